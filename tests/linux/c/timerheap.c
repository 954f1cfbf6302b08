/*
 * tests/linux/c/timerheap.c - many deadlines pending at once, set,
 * moved, ended early and left by processes that die: forty processes
 * asleep with long timeouts and long alarms (some killed in the middle),
 * short sleepers that must all wake, an alarm that kills its process, an
 * interval timer, and the caller's own timed waits (nanosleep under a
 * long alarm, rt_sigtimedwait, ppoll, select, futex) timing out among
 * them.  Persona keeps these deadlines in a heap (deadline.c); Linux in
 * its timer wheel.  Only counts and results are printed: the output must
 * equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define LONG_SLEEPERS 40
#define SHORT_SLEEPERS 8

static volatile sig_atomic_t alarms;

static void on_alarm(int s)
{
    (void)s;
    alarms++;
}

static void ms_sleep(long ms)
{
    struct timespec ts = {ms / 1000, ms % 1000 * 1000000};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* A child that says it is ready on fd, then sleeps for ever: its alarm
 * and its sleep far off, each a different time. */
static pid_t long_sleeper(int fd, int i)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct itimerval it = {{0, 0}, {5000 + i, 0}};
        struct timespec ts = {1000 + 7 * i, 0};
        setitimer(ITIMER_REAL, &it, NULL);
        if (write(fd, "r", 1) != 1)
            _exit(1);
        for (;;)
            nanosleep(&ts, NULL);
    }
    return pid;
}

static void short_sleepers(void)
{
    int fds[2], woke = 0;
    char c;
    CHECK(pipe(fds) == 0);
    for (int j = 0; j < SHORT_SLEEPERS; j++)
        if (fork() == 0) {
            close(fds[0]);
            ms_sleep(20 + 15 * (SHORT_SLEEPERS - j)); /* the last made wakes first */
            _exit(write(fds[1], "w", 1) == 1 ? 0 : 1);
        }
    close(fds[1]);
    while (read(fds[0], &c, 1) == 1)
        woke++;
    close(fds[0]);
    int ok = 0, st;
    for (int j = 0; j < SHORT_SLEEPERS; j++)
        ok += wait(&st) > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    printf("short sleepers: %d woke, %d exited 0\n", woke, ok);
}

static void alarm_kills(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGALRM, SIG_DFL);
        struct itimerval it = {{0, 0}, {0, 30000}};
        setitimer(ITIMER_REAL, &it, NULL);
        for (;;)
            pause();
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid);
    printf("alarm child: signaled %d, signal %s\n", WIFSIGNALED(st), WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) : "-");
}

static void interval_timer(void)
{
    sigset_t block, old;
    sigemptyset(&block), sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, &old);
    struct itimerval it = {{0, 20000}, {0, 20000}}, off = {{0, 0}, {0, 0}};
    alarms = 0;
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    while (alarms < 3)
        sigsuspend(&old);
    CHECK(setitimer(ITIMER_REAL, &off, NULL) == 0);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("interval timer: %d signals\n", (int)alarms);
}

static void own_waits(void)
{
    alarm(1000);
    ms_sleep(10); /* a sleep earlier than the caller's alarm */
    unsigned left = alarm(0);
    printf("nanosleep under an alarm: alarm left %s\n", left > 990 && left <= 1000 ? "about 1000 s" : "wrong");
    sigset_t s;
    sigemptyset(&s), sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    struct timespec t30 = {0, 30000000};
    long r = syscall(SYS_rt_sigtimedwait, &s, NULL, &t30, 8);
    printf("rt_sigtimedwait: %ld %s\n", r, r < 0 ? errno_name(errno) : "");
    int fds[2];
    CHECK(pipe(fds) == 0);
    struct pollfd pf = {fds[0], POLLIN, 0};
    struct timespec t20 = {0, 20000000};
    printf("ppoll: %d\n", ppoll(&pf, 1, &t20, NULL));
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(fds[0], &rd);
    struct timeval tv = {0, 20000};
    printf("select: %d\n", select(fds[0] + 1, &rd, NULL, NULL, &tv));
    int word = 0;
    r = syscall(SYS_futex, &word, 0 /* FUTEX_WAIT */, 0, &t20, NULL, 0);
    printf("futex: %ld %s\n", r, r < 0 ? errno_name(errno) : "");
    close(fds[0]), close(fds[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGALRM, on_alarm);
    pid_t longs[LONG_SLEEPERS];
    int ready[2];
    char c;
    CHECK(pipe(ready) == 0);
    for (int i = 0; i < LONG_SLEEPERS; i++)
        CHECK((longs[i] = long_sleeper(ready[1], i)) > 0);
    int n = 0;
    for (int i = 0; i < LONG_SLEEPERS && read(ready[0], &c, 1) == 1; i++)
        n++;
    printf("long sleepers ready: %d\n", n);
    for (int i = 1; i < LONG_SLEEPERS; i += 2) /* out of the middle of the heap */
        kill(longs[i], SIGKILL);
    for (int i = 1; i < LONG_SLEEPERS; i += 2)
        CHECK(waitpid(longs[i], NULL, 0) == longs[i]);
    short_sleepers();
    alarm_kills();
    interval_timer();
    own_waits();
    int alive = 0;
    for (int i = 0; i < LONG_SLEEPERS; i += 2)
        alive += kill(longs[i], 0) == 0;
    printf("long sleepers still asleep: %d\n", alive);
    for (int i = 0; i < LONG_SLEEPERS; i += 2)
        kill(longs[i], SIGKILL);
    for (int i = 0; i < LONG_SLEEPERS; i += 2)
        CHECK(waitpid(longs[i], NULL, 0) == longs[i]);
    printf("done\n");
    return 0;
}
