/*
 * tests/linux/c/itimers.c - the interval timers on CPU time: setitimer
 * and getitimer with ITIMER_VIRTUAL (SIGVTALRM after the process's user
 * time) and ITIMER_PROF (SIGPROF after its user and system time): the
 * value and interval read back, the old value, disarming, signals while
 * the process works and none while it sleeps, none for a forked child,
 * kept across execve; and the errors.  Times are printed only as
 * relations.  One line per check; the output must equal the host's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static volatile int vt, prof;
static void handler(int sig)
{
    if (sig == SIGVTALRM)
        vt++;
    else
        prof++;
}

static long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Works until *count reaches n, or 5 s have passed. */
static int work_until(volatile int *count, int n)
{
    long t0 = mono_ms();
    while (*count < n)
        if (mono_ms() - t0 > 5000)
            return 0;
    return 1;
}

static void *set_alarm(void *arg)
{
    (void)arg;
    alarm(100);
    return NULL;
}

static void show(const char *what, const struct itimerval *v)
{
    printf("%s: value %s, interval %ld %ld\n", what,
           v->it_value.tv_sec == 0 && v->it_value.tv_usec == 0 ? "0"
           : v->it_value.tv_sec >= 1 && v->it_value.tv_sec <= 2 ? "in [1 s, 3 s)"
                                                                  : "other",
           (long)v->it_interval.tv_sec, (long)v->it_interval.tv_usec);
}

int main(int argc, char **argv)
{
    struct itimerval v, old;
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1) {
        printf("-- after execve\n");
        CHECK(getitimer(ITIMER_VIRTUAL, &v));
        show("ITIMER_VIRTUAL", &v);
        return 0;
    }
    signal(SIGVTALRM, handler);
    signal(SIGPROF, handler);
    printf("-- errors\n");
    CHECK(getitimer(3, &v));
    CHECK(setitimer(3, &v, NULL));
    CHECK(getitimer(ITIMER_VIRTUAL, (struct itimerval *)8));
    CHECK(setitimer(ITIMER_PROF, (struct itimerval *)8, NULL));
    v = (struct itimerval){{0, 0}, {0, 1000000}};
    CHECK(setitimer(ITIMER_PROF, &v, NULL));

    printf("-- values\n");
    CHECK(getitimer(ITIMER_VIRTUAL, &v));
    show("unset", &v);
    v = (struct itimerval){{1, 500}, {2, 0}};
    CHECK(setitimer(ITIMER_VIRTUAL, &v, NULL));
    CHECK(getitimer(ITIMER_VIRTUAL, &v));
    show("set", &v);
    v = (struct itimerval){{0, 0}, {0, 0}};
    CHECK(setitimer(ITIMER_VIRTUAL, &v, &old));
    show("old", &old);
    CHECK(getitimer(ITIMER_VIRTUAL, &v));
    show("disarmed", &v);

    printf("-- signals\n");
    v = (struct itimerval){{0, 0}, {0, 30000}};
    CHECK(setitimer(ITIMER_VIRTUAL, &v, NULL));
    printf("SIGVTALRM while working: %d\n", work_until(&vt, 1));
    CHECK(getitimer(ITIMER_VIRTUAL, &v));
    show("after it fired", &v);
    v = (struct itimerval){{0, 20000}, {0, 20000}};
    CHECK(setitimer(ITIMER_PROF, &v, NULL));
    printf("SIGPROF three times: %d\n", work_until(&prof, 3));
    v = (struct itimerval){{0, 0}, {0, 0}};
    CHECK(setitimer(ITIMER_PROF, &v, NULL));
    vt = prof = 0;
    v = (struct itimerval){{0, 0}, {0, 30000}};
    CHECK(setitimer(ITIMER_VIRTUAL, &v, NULL));
    struct timespec nap = {0, 100000000};
    nanosleep(&nap, NULL);
    printf("while sleeping: %d\n", vt);
    CHECK(setitimer(ITIMER_VIRTUAL, &old, NULL));

    printf("-- ITIMER_REAL is the process's too\n");
    pthread_t t;
    pthread_create(&t, NULL, set_alarm, NULL);
    pthread_join(t, NULL);
    CHECK(getitimer(ITIMER_REAL, &v));
    printf("set by a thread, seen by another: %d\n", v.it_value.tv_sec >= 98 && v.it_value.tv_sec <= 100);
    CHECK(alarm(0) >= 98);

    printf("-- fork and execve\n");
    v = (struct itimerval){{0, 0}, {2, 0}};
    CHECK(setitimer(ITIMER_VIRTUAL, &v, NULL));
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(getitimer(ITIMER_VIRTUAL, &v));
        show("the child's", &v);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
    printf("execl failed\n");
    return 1;
}
