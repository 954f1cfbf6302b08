/*
 * personalities/linux/time.h - the clocks and the interval timer (time.c):
 * CLOCK_REALTIME and its kin, which clock_settime and settimeofday move,
 * the monotonic clocks, which are the kernel's, and ITIMER_REAL (alarm,
 * setitimer), which the server's timer (wait.c) fires.
 *
 * Entry points: realtime_ns (file times), realtime_at_boot (/proc/stat),
 * clock_deadline (absolute timeouts: futex, timerfd, clock_nanosleep);
 * wait.c's timer fires a process's struct itimer.
 *
 * Layer: the bottom, with uapi.h: the file system asks it the time.
 * Book: docs/linux.md, "Waiting".
 */
#ifndef LINUX_TIME_H
#define LINUX_TIME_H
#include <persona/ipc.h>
#include <stdbool.h>
#include <stdint.h>

/* The kernel's clock is monotonic from boot; CLOCK_REALTIME adds
 * EPOCH_NS, 2024-01-01 00:00 UTC, and whatever clock_settime or
 * settimeofday moved it by since. */
#define EPOCH_NS 1704067200000000000ull

/* ITIMER_REAL of a process (struct proc's alarm): SIGALRM at at, and
 * then every every ns; 0: disarmed. */
struct itimer {
    uint64_t at, every; /* clock_ns, ns */
};

/* The kernel's clock, ns since boot, read in user mode as the vDSO reads
 * it: the TSC turned into ns with the kernel's own figures
 * (stats(STATS_CLOCK), which time_init fetches), by the kernel's formula,
 * so the two agree to the nanosecond, without a kernel call. */
extern struct persona_clock linux_clock;
static inline uint64_t clock_now(void) { return persona_clock_ns(&linux_clock, persona_rdtsc()); }
/* A checked struct timespec in nanoseconds, saturated at Linux's
 * KTIME_MAX: a timeout centuries off waits for ever rather than wrapping
 * round into the past. */
static inline uint64_t timespec_ns(const int64_t ts[2])
{
    return ts[0] > (INT64_MAX - 999999999) / 1000000000 ? (uint64_t)INT64_MAX
                                                         : (uint64_t)ts[0] * 1000000000ull + (uint64_t)ts[1];
}
/* The clock's time ns from now, saturated as timespec_ns. */
static inline uint64_t clock_after(uint64_t ns)
{
    uint64_t t = clock_now();
    return ns >= (uint64_t)INT64_MAX - t ? (uint64_t)INT64_MAX : t + ns;
}
/* Fetches the clock's figures: first thing at start. */
void time_init(void);
/* A time as ns, from a valid (non-negative) seconds and ns; as Linux's
 * ktime, saturated at INT64_MAX (292 years), and a sum of two so too: a
 * wild time is "never", not a wrapped one. */
static inline uint64_t ns_sat(uint64_t a, uint64_t b)
{
    return a + b > (uint64_t)INT64_MAX || a + b < a ? (uint64_t)INT64_MAX : a + b;
}
static inline uint64_t time_ns(int64_t sec, int64_t ns)
{
    return (uint64_t)sec >= (uint64_t)INT64_MAX / 1000000000 ? (uint64_t)INT64_MAX
                                                              : ns_sat((uint64_t)sec * 1000000000, (uint64_t)ns);
}
int64_t realtime_ns(void);      /* read once per message (file times) */
int64_t realtime_at_boot(void); /* CLOCK_REALTIME when the kernel's clock read 0 */
/* An absolute time ns on CLOCK_REALTIME or a monotonic clock as a deadline
 * on the kernel's clock: at least 1, so that 0 keeps meaning "none". */
uint64_t clock_deadline(uint64_t ns, bool realtime);
/* The same for a timer of period interval: a time before the kernel
 * clock's 1 moves on by whole periods to its first expiry from there, and
 * *missed counts the expiries passed on the way, which Linux's timers count
 * (a POSIX timer's overruns, a timerfd's reads). */
uint64_t clock_deadline_every(uint64_t ns, bool realtime, uint64_t interval, uint64_t *missed);

#endif
