/*
 * tests/linux/c/sleepprecise.c - timed waits end when they are due, not
 * at a timer tick, and never early: nanosleep, clock_nanosleep (relative
 * and absolute), poll, ppoll, select, pselect, epoll_wait, a futex wait,
 * sigtimedwait, a timerfd, setitimer's SIGALRM and a POSIX timer, each
 * nine times for 2 ms.  What is printed is whether each ended early, and
 * whether its least lateness was under 2 ms, which the host and Persona
 * both should say: waits that end at a 10 ms tick are each about 8 ms late,
 * since each starts just after the tick that ended the one before; the
 * least of nine is what a loaded machine leaves alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define FUTEX_WAIT_PRIVATE 128 /* FUTEX_WAIT | FUTEX_PRIVATE_FLAG */
#define WAIT_NS 2000000LL
#define SAMPLES 9

static long long now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int epfd, tfd;
static int futex_word;
static volatile sig_atomic_t alarms;
static timer_t ptimer;

static void on_alarm(int sig) { (void)sig, alarms++; }

static void wait_once(int how)
{
    struct timespec ts = {0, WAIT_NS};
    struct timeval tv = {0, WAIT_NS / 1000};
    struct epoll_event ev;
    sigset_t set;
    switch (how) {
    case 0: nanosleep(&ts, NULL); break;
    case 1: clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL); break;
    case 2: {
        struct timespec at;
        clock_gettime(CLOCK_MONOTONIC, &at);
        at.tv_nsec += WAIT_NS;
        if (at.tv_nsec >= 1000000000)
            at.tv_sec++, at.tv_nsec -= 1000000000;
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL);
        break;
    }
    case 3: poll(NULL, 0, WAIT_NS / 1000000); break;
    case 4: ppoll(NULL, 0, &ts, NULL); break;
    case 5: select(0, NULL, NULL, NULL, &tv); break;
    case 6: pselect(0, NULL, NULL, NULL, &ts, NULL); break;
    case 7: epoll_wait(epfd, &ev, 1, WAIT_NS / 1000000); break;
    case 8: syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0); break;
    case 9:
        sigemptyset(&set);
        sigaddset(&set, SIGUSR1);
        sigtimedwait(&set, NULL, &ts);
        break;
    case 10: {
        struct itimerspec its = {{0, 0}, {0, WAIT_NS}};
        uint64_t n;
        timerfd_settime(tfd, 0, &its, NULL);
        if (read(tfd, &n, sizeof n) < 0)
            perror("read timerfd");
        break;
    }
    case 11:
    case 12: {
        int before = alarms;
        sigemptyset(&set);
        if (how == 11) {
            struct itimerval it = {{0, 0}, {0, WAIT_NS / 1000}};
            setitimer(ITIMER_REAL, &it, NULL);
        } else {
            struct itimerspec its = {{0, 0}, {0, WAIT_NS}};
            timer_settime(ptimer, 0, &its, NULL);
        }
        while (alarms == before)
            sigsuspend(&set);
        break;
    }
    }
}

static int cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    static const char *names[] = {"nanosleep", "clock_nanosleep", "clock_nanosleep TIMER_ABSTIME", "poll", "ppoll",
                                  "select", "pselect", "epoll_wait", "futex wait", "sigtimedwait", "timerfd read",
                                  "setitimer SIGALRM", "timer_create SIGALRM"};
    epfd = epoll_create1(0);
    tfd = timerfd_create(CLOCK_MONOTONIC, 0);
    signal(SIGALRM, on_alarm);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, NULL);
    struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM};
    if (timer_create(CLOCK_MONOTONIC, &sev, &ptimer) < 0)
        perror("timer_create");
    for (int how = 0; how < 13; how++) {
        long long late[SAMPLES];
        int early = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long long t0 = now();
            wait_once(how);
            late[i] = now() - t0 - WAIT_NS;
            early += late[i] < 0;
        }
        qsort(late, SAMPLES, sizeof late[0], cmp);
        printf("%-30s early %d, least lateness under 2 ms: %s\n", names[how], early, late[0] < 2000000 ? "yes" : "no");
    }
    return 0;
}
