/*
 * tests/linux/c/timerpast.c - timers armed at an absolute CLOCK_REALTIME
 * time long past (before the machine started, on a machine just booted):
 * every period since counts, as Linux's timers forward over them.  A POSIX
 * timer's signal comes at once with the missed periods as its overrun, capped
 * at INT_MAX (Linux's DELAYTIMER_MAX: a 1 ns period from 3 s ago); a
 * timerfd's read counts them.  The counts are printed as ranges.
 */
#define _GNU_SOURCE
#include "check.h"
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <sys/timerfd.h>
#include <time.h>

static timer_t timer;
static volatile int got, overrun;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    if (got++)
        return;
    overrun = si->si_overrun;
    struct itimerspec off = {{0, 0}, {0, 0}};
    timer_settime(timer, 0, &off, NULL);
}

/* it: now less back_s seconds, every period_ns */
static struct itimerspec past(long back_s, long period_ns)
{
    struct itimerspec it = {{0, period_ns}, {0, 0}};
    clock_gettime(CLOCK_REALTIME, &it.it_value);
    it.it_value.tv_sec -= back_s;
    return it;
}

static void posix_timer(long back_s, long period_ns, long lo, long hi)
{
    struct itimerspec it = past(back_s, period_ns);
    got = 0;
    CHECK(timer_settime(timer, TIMER_ABSTIME, &it, NULL));
    while (!got)
        ;
    printf("%lds back every %ldns: overrun in [%ld, %ld]: %d (timer_getoverrun once disarmed: %d)\n", back_s,
           period_ns, lo, hi, overrun >= lo && overrun <= hi, timer_getoverrun(timer));
}

int main(void)
{
    struct sigaction sa = {0};
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    CHECK(timer_create(CLOCK_REALTIME, &ev, &timer));
    posix_timer(100, 1000000, 99999, 101000);
    posix_timer(3, 1, INT_MAX, INT_MAX);
    CHECK(timer_delete(timer));

    int fd = timerfd_create(CLOCK_REALTIME, 0);
    struct itimerspec it = past(100, 1000000);
    CHECK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &it, NULL));
    uint64_t n = 0;
    CHECK(read(fd, &n, sizeof n));
    printf("timerfd 100s back every 1ms: count in [100000, 101000]: %d\n", n >= 100000 && n <= 101000);
    it = past(100, 0); /* no period: one expiry */
    it.it_interval.tv_sec = 3600;
    CHECK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &it, NULL));
    CHECK(read(fd, &n, sizeof n));
    printf("timerfd 100s back every hour: count %llu\n", (unsigned long long)n);
    return 0;
}
