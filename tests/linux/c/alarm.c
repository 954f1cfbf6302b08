/*
 * tests/linux/c/alarm.c - SIGALRM from alarm and setitimer: a handler that
 * runs, pause and a blocking read interrupted by it (EINTR), SA_RESTART
 * resuming the read instead, an interval timer firing again and again,
 * alarm's return of the time left, getitimer, a child not inheriting the
 * timer, and bad input.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static void handle(int flags)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sa.sa_flags = flags;
    sigaction(SIGALRM, &sa, NULL);
}

int main(void)
{
    handle(0);
    printf("alarm with none set: %u\n", alarm(0));
    alarm(1);
    pause();
    printf("pause returned after SIGALRM: %d alarm(s)\n", alarms);

    printf("alarm(5) then alarm(0) returns %u\n", (alarm(5), alarm(0)));

    int p[2];
    pipe(p);
    struct itimerval it = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &it, NULL);
    char c;
    errno = 0;
    ssize_t n = read(p[0], &c, 1);
    printf("read interrupted: %zd %s, alarms %d\n", n, strerror(errno), alarms);

    handle(SA_RESTART);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct itimerval none;
        getitimer(ITIMER_REAL, &none);
        printf("the child has no timer: %ld %ld\n", (long)none.it_value.tv_sec, (long)none.it_value.tv_usec);
        fflush(stdout);
        usleep(300000);
        write(p[1], "k", 1);
        _exit(0);
    }
    setitimer(ITIMER_REAL, &it, NULL);
    n = read(p[0], &c, 1);
    printf("with SA_RESTART the read went on: %zd '%c', alarms %d\n", n, c, alarms);
    waitpid(pid, NULL, 0);

    handle(0);
    alarms = 0;
    it = (struct itimerval){{0, 50000}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    while (alarms < 3)
        pause();
    struct itimerval cur;
    getitimer(ITIMER_REAL, &cur);
    printf("interval timer: %d alarms, interval %ld.%06ld, running %d\n", alarms, (long)cur.it_interval.tv_sec,
           (long)cur.it_interval.tv_usec, cur.it_value.tv_sec || cur.it_value.tv_usec);
    struct itimerval old, off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, &old);
    getitimer(ITIMER_REAL, &cur);
    printf("disarmed: old interval %ld.%06ld, now %ld.%06ld\n", (long)old.it_interval.tv_sec,
           (long)old.it_interval.tv_usec, (long)cur.it_value.tv_sec, (long)cur.it_value.tv_usec);

    it = (struct itimerval){{0, 0}, {0, 1000000}};
    int r = setitimer(ITIMER_REAL, &it, NULL);
    printf("usec out of range: %d %s\n", r, strerror(errno));
    r = setitimer(7, &off, NULL);
    printf("bad which: %d %s\n", r, strerror(errno));
    r = getitimer(ITIMER_REAL, (struct itimerval *)8);
    printf("bad pointer: %d %s\n", r, strerror(errno));
    printf("the default action ends the process:\n");
    fflush(stdout);
    signal(SIGALRM, SIG_DFL);
    alarm(1);
    pause();
    printf("not reached\n");
    return 0;
}
