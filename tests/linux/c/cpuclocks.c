/*
 * tests/linux/c/cpuclocks.c - the CPU-time clocks: clock_gettime and
 * clock_getres on CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID and
 * the clock ids clock_getcpuclockid and pthread_getcpuclockid make
 * (Linux's encoding of a pid or tid), the errors for a bad one,
 * clock_nanosleep on a CPU clock (a process's works, a thread's own is
 * refused), and timers on CPU clocks; and which of the other clocks
 * exist and can be slept on (this machine, as Persona, has no real-time
 * clock device for the alarm clocks).  Times are printed only as
 * relations.  One line per check; the output must equal the host's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static long ns_of(clockid_t clock)
{
    struct timespec ts;
    if (clock_gettime(clock, &ts) < 0)
        return -1;
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* Spins until clock has counted ms more, or 5 s have passed. */
static int spin(clockid_t clock, long ms)
{
    long start = ns_of(clock), t0 = ns_of(CLOCK_MONOTONIC);
    while (ns_of(clock) - start < ms * 1000000L)
        if (ns_of(CLOCK_MONOTONIC) - t0 > 5000000000L)
            return 0;
    return 1;
}

static volatile int stop, hits, last_code;
static void *spinner(void *arg)
{
    (void)arg;
    while (!stop)
        ;
    return NULL;
}

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    hits++;
    last_code = si->si_code;
}

#define PROCESS_CLOCK(pid, which) ((~(clockid_t)(pid) << 3) | (which))
#define THREAD_CLOCK(tid, which) PROCESS_CLOCK(tid, (which) | 4)

int main(void)
{
    struct timespec ts;
    clockid_t id;
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("-- the clocks\n");
    CHECK(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &ts));
    printf("resolution %ld %ld\n", ts.tv_sec, ts.tv_nsec);
    CHECK(clock_getres(CLOCK_THREAD_CPUTIME_ID, &ts));
    printf("resolution %ld %ld\n", ts.tv_sec, ts.tv_nsec);
    CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts));
    CHECK(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts));
    CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, (struct timespec *)8));
    printf("the process clock advances with work: %d\n", spin(CLOCK_PROCESS_CPUTIME_ID, 30));
    printf("the thread clock advances with work: %d\n", spin(CLOCK_THREAD_CPUTIME_ID, 30));
    long th = ns_of(CLOCK_THREAD_CPUTIME_ID), pr = ns_of(CLOCK_PROCESS_CPUTIME_ID);
    printf("thread <= process: %d\n", th <= pr);
    struct timespec nap = {0, 50000000};
    long before = ns_of(CLOCK_PROCESS_CPUTIME_ID);
    nanosleep(&nap, NULL);
    printf("sleeping costs under 20 ms of CPU time: %d\n", ns_of(CLOCK_PROCESS_CPUTIME_ID) - before < 20000000);

    printf("-- clock ids\n");
    CHECK(clock_getcpuclockid(getpid(), &id));
    printf("the process's: Linux's encoding %d\n", id == PROCESS_CLOCK(getpid(), 2));
    CHECK(clock_gettime(id, &ts));
    CHECK(clock_getcpuclockid(0, &id));
    printf("pid 0: %d\n", id == PROCESS_CLOCK(0, 2));
    printf("getcpuclockid(999999): %d\n", clock_getcpuclockid(999999, &id));
    CHECK(pthread_getcpuclockid(pthread_self(), &id));
    printf("the thread's: Linux's encoding %d\n", id == THREAD_CLOCK(syscall(SYS_gettid), 2));
    CHECK(clock_gettime(id, &ts));
    CHECK(clock_getres(id, &ts));
    printf("resolution %ld %ld\n", ts.tv_sec, ts.tv_nsec);
    CHECK(clock_gettime(PROCESS_CLOCK(getpid(), 0), &ts));
    CHECK(clock_gettime(PROCESS_CLOCK(getpid(), 1), &ts));
    CHECK(clock_gettime(PROCESS_CLOCK(getpid(), 3), &ts));
    CHECK(clock_gettime(THREAD_CLOCK(getpid(), 3), &ts));
    CHECK(clock_gettime(PROCESS_CLOCK(999999, 2), &ts));
    CHECK(clock_getres(PROCESS_CLOCK(999999, 2), &ts));
    CHECK(clock_gettime(THREAD_CLOCK(1, 2), &ts));
    CHECK(clock_gettime(PROCESS_CLOCK(1, 2), &ts));
    long prof = ns_of(PROCESS_CLOCK(getpid(), 0)), virt = ns_of(PROCESS_CLOCK(getpid(), 1));
    printf("user time <= user and system: %d\n", virt <= prof + 20000000);

    printf("-- another thread\n");
    pthread_t t;
    pthread_create(&t, NULL, spinner, NULL);
    CHECK(pthread_getcpuclockid(t, &id));
    printf("its clock advances while it works: %d\n", spin(id, 30));
    printf("so does the process's: %d\n", ns_of(CLOCK_PROCESS_CPUTIME_ID) - pr >= 30000000);

    printf("-- clock_nanosleep\n");
    struct sigaction sa = {.sa_sigaction = handler, .sa_flags = SA_SIGINFO | SA_RESTART};
    sigaction(SIGRTMIN + 4, &sa, NULL);
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN + 4};
    timer_t tm;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &tm));
    /* every 30 ms, not once: on a loaded machine the first may come before the sleep begins */
    struct itimerspec its = {{0, 30000000}, {0, 30000000}}, cur;
    CHECK(timer_settime(tm, 0, &its, NULL));
    struct timespec long_req = {10, 0}, rem = {7, 7};
    printf("10 s of the process's, interrupted: %d\n", clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &long_req, &rem));
    /* what is left of the 10 s, written: less by the spinner's time, all
     * of it when a loaded machine gave the spinner none before the
     * signal, or seconds less when the spinner took the signals for a
     * while (any thread may: the sleeper ends at the first it takes) */
    printf("the rest written: %d\n", !(rem.tv_sec == 7 && rem.tv_nsec == 7) && rem.tv_sec >= 0 &&
                                          (rem.tv_sec < 10 || (rem.tv_sec == 10 && rem.tv_nsec == 0)));
    CHECK(timer_delete(tm));
    hits = 0;
    struct timespec req = {0, 30000000};
    printf("CLOCK_THREAD_CPUTIME_ID: %d\n", clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL));
    printf("its own thread's: %d\n",
           clock_nanosleep(THREAD_CLOCK(syscall(SYS_gettid), 2), 0, &req, NULL));
    before = ns_of(CLOCK_PROCESS_CPUTIME_ID);
    printf("the process's, while a thread works: %d\n", clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &req, NULL));
    printf("the time passed: %d\n", ns_of(CLOCK_PROCESS_CPUTIME_ID) - before >= 30000000);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    printf("absolute, in the past: %d\n", clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, &ts, NULL));

    printf("-- timers\n");
    CHECK(timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &tm));
    its = (struct itimerspec){{0, 0}, {0, 40000000}};
    CHECK(timer_settime(tm, 0, &its, NULL));
    CHECK(timer_gettime(tm, &cur));
    printf("armed: in (0, 40 ms] %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
                                            cur.it_value.tv_nsec <= 40000000);
    long t0 = ns_of(CLOCK_MONOTONIC);
    while (!hits && ns_of(CLOCK_MONOTONIC) - t0 < 5000000000L)
        ;
    printf("the process timer fired: %d, SI_TIMER %d\n", hits, last_code == SI_TIMER);
    CHECK(timer_delete(tm));
    stop = 1;
    pthread_join(t, NULL);
    hits = 0;
    CHECK(timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &tm));
    its.it_interval.tv_nsec = 20000000;
    CHECK(timer_settime(tm, 0, &its, NULL));
    t0 = ns_of(CLOCK_MONOTONIC);
    while (hits < 3 && ns_of(CLOCK_MONOTONIC) - t0 < 5000000000L)
        ;
    printf("the thread timer fired 3 times: %d\n", hits >= 3);
    its.it_value.tv_nsec = 0;
    CHECK(timer_settime(tm, 0, &its, NULL));
    hits = 0;
    nanosleep(&nap, NULL);
    printf("a sleeping thread's timer does not fire: %d\n", hits);
    CHECK(timer_delete(tm));
    CHECK(timer_create(PROCESS_CLOCK(999999, 2), &ev, &tm));
    CHECK(timer_create(PROCESS_CLOCK(getpid(), 3), &ev, &tm));

    printf("-- the other clocks\n");
    for (int clock = 0; clock <= 12; clock++) {
        struct timespec tiny = {0, 1000};
        long g = syscall(SYS_clock_gettime, clock, &ts), ge = errno;
        long r = syscall(SYS_clock_getres, clock, &ts), re = errno;
        long hres = r == 0 && ts.tv_sec == 0 && ts.tv_nsec == 1;
        long s = clock == 2 || clock == 3 ? 0 : syscall(SYS_clock_nanosleep, clock, 0, &tiny, NULL), se = errno;
        printf("clock %2d: gettime %ld %s, getres %ld %s, 1 ns %ld, nanosleep %ld %s\n", clock, g,
               g ? strerror(ge) : "", r, r ? strerror(re) : "", hres, s, s ? strerror(se) : "");
    }
    CHECK(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, (void *)8, NULL));
    CHECK(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_COARSE, 0, (void *)8, NULL));
    CHECK(syscall(SYS_clock_nanosleep, 10, 0, (void *)8, NULL));
    CHECK(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (void *)8, NULL));
    CHECK(syscall(SYS_clock_nanosleep, PROCESS_CLOCK(getpid(), 3), 0, (void *)8, NULL));
    return 0;
}
