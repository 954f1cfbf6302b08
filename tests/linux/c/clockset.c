/*
 * tests/linux/c/clockset.c - what setting CLOCK_REALTIME does to timers:
 * an absolute CLOCK_REALTIME timerfd armed with TFD_TIMER_CANCEL_ON_SET
 * becomes readable and its read fails once with ECANCELED; relative ones,
 * monotonic ones and ones without the flag are left alone; absolute
 * timers keep their time.  The clock is set to the time it reads (moved
 * back by microseconds), so that the host's clock is not disturbed.  One
 * line per check; the output must equal the host's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static int arm(int clock, int flags, long sec, long nsec)
{
    int fd = timerfd_create(clock, TFD_NONBLOCK);
    struct itimerspec its = {{0, 0}, {sec, nsec}};
    if (timerfd_settime(fd, flags, &its, NULL) < 0)
        printf("timerfd_settime: %s\n", strerror(errno));
    return fd;
}

static long rd(int fd)
{
    uint64_t n;
    return read(fd, &n, sizeof n) < 0 ? -errno : (long)n;
}

static int readable(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

int main(void)
{
    struct timespec now, mono;
    setvbuf(stdout, NULL, _IONBF, 0);
    clock_gettime(CLOCK_REALTIME, &now);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    int cancel = arm(CLOCK_REALTIME, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, now.tv_sec + 100, 0);
    int disarmed = arm(CLOCK_REALTIME, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, 0, 0);
    int plain = arm(CLOCK_REALTIME, TFD_TIMER_ABSTIME, now.tv_sec + 100, 0);
    int relative = arm(CLOCK_REALTIME, TFD_TIMER_CANCEL_ON_SET, 100, 0);
    int monotonic = arm(CLOCK_MONOTONIC, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, mono.tv_sec + 100, 0);
    int r = readable(cancel);
    printf("before: %ld %ld %ld %ld %ld, readable %d\n", rd(cancel), rd(disarmed), rd(plain), rd(relative),
           rd(monotonic), r);
    clock_gettime(CLOCK_REALTIME, &now);
    CHECK(clock_settime(CLOCK_REALTIME, &now));
    printf("readable: %d %d %d %d %d\n", readable(cancel), readable(disarmed), readable(plain), readable(relative),
           readable(monotonic));
    printf("after: %ld %ld %ld %ld %ld\n", rd(cancel), rd(disarmed), rd(plain), rd(relative), rd(monotonic));
    long a = rd(cancel), b = rd(disarmed);
    printf("again: %ld %ld, readable %d\n", a, b, readable(cancel));
    struct itimerspec cur;
    CHECK(timerfd_gettime(cancel, &cur));
    printf("still armed, about 100 s: %d\n", cur.it_value.tv_sec >= 98 && cur.it_value.tv_sec <= 100);
    CHECK(timerfd_gettime(plain, &cur));
    printf("still armed, about 100 s: %d\n", cur.it_value.tv_sec >= 98 && cur.it_value.tv_sec <= 100);
    clock_gettime(CLOCK_REALTIME, &now);
    CHECK(clock_settime(CLOCK_REALTIME, &now));
    a = rd(cancel);
    printf("a second setting: %ld, readable after %d\n", a, readable(cancel));
    struct itimerspec its = {{0, 0}, {now.tv_sec + 100, 0}};
    CHECK(timerfd_settime(cancel, TFD_TIMER_CANCEL_ON_SET, &its, NULL));
    CHECK(timerfd_settime(cancel, TFD_TIMER_CANCEL_ON_SET | 4, &its, NULL));
    its = (struct itimerspec){{0x7fffffffffffffffL, 0}, {0x7fffffffffffffffL, 999999999}};
    CHECK(timerfd_settime(plain, 0, &its, NULL));
    CHECK(timerfd_gettime(plain, &cur));
    printf("a wild time: over 200 years %d %d, not due %ld\n", cur.it_value.tv_sec > 6400000000L,
           cur.it_interval.tv_sec > 6400000000L, rd(plain));
    return 0;
}
