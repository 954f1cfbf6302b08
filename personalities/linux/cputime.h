/*
 * personalities/linux/cputime.h - the CPU-time clocks (cputime.c):
 * CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID and the clock ids
 * clock_getcpuclockid and pthread_getcpuclockid make of a pid or a tid,
 * the waits on them (ITIMER_VIRTUAL, ITIMER_PROF, clock_nanosleep on a
 * process's clock, and ptimer.c's timers on CPU clocks).
 *
 * How the server knows a thread's CPU time: the kernel's timer samples,
 * at each of its ticks (100 a second), which thread runs and in which
 * mode (stats(STATS_CPU)); the server adds its own time on the thread's
 * calls (proc.c).  So a CPU clock moves in steps of 10 ms, plus the
 * server's share, and a CPU deadline is checked at the server's timer,
 * which ticks every 10 ms while one is armed: a CPU timer fires within
 * about a tick of its time.
 *
 * Entry points: below.  Callers: time.c (clock_gettime, clock_getres,
 * setitimer, getitimer), wait.c (clock_nanosleep, the server's timer),
 * ptimer.c.  Layer: with waits.  Book: docs/linux.md, "Clocks and timers".
 */
#ifndef LINUX_CPUTIME_H
#define LINUX_CPUTIME_H
#include <stdbool.h>
#include <stdint.h>

struct proc;
struct sys_ctx;

/* A CPU clock, as a clock id names it: the process or thread (by pid, so
 * that a clock outlives nothing), and what it counts. */
struct cpuclock {
    int pid;
    bool thread;
    int which; /* CPUCLOCK_PROF: user and system time; CPUCLOCK_VIRT: user time; CPUCLOCK_SCHED: as PROF */
};
#define CPUCLOCK_PROF 0 /* include/linux/posix-timers.h's encoding, which clock ids carry */
#define CPUCLOCK_VIRT 1
#define CPUCLOCK_SCHED 2

/* Whether a clock id is a CPU clock (the two named ones, or a pid's or
 * tid's: negative). */
static inline bool cpuclock_is(int32_t clock) { return clock < 0 || clock == 2 || clock == 3; }
/* The clock a CPU clock id names for caller; 0, or -EINVAL when it names
 * no process (or a thread of another process).  gettime: a process's id
 * may be any of its threads' (clock_gettime's leniency, as Linux's). */
int cpuclock_resolve(struct proc *caller, int32_t clock, bool gettime, struct cpuclock *k);
/* The clock's reading, ns; false when its process or thread is gone. */
bool cpuclock_read(const struct cpuclock *k, uint64_t *ns);

int64_t cpuclock_gettime(struct proc *caller, int32_t clock, uint64_t utp);
int64_t cpuclock_getres(struct proc *caller, int32_t clock, uint64_t ures);
/* clock_nanosleep on a CPU clock: a process's (another thread's time
 * passes); the caller's own thread clock is refused. */
int64_t cpuclock_nanosleep(struct sys_ctx *c, int32_t clock, uint64_t flags, uint64_t ns, uint64_t uremain);
/* p's wait is a CPU sleep: true, and the CPU time it had left in *left. */
bool cpuclock_sleep_left(struct proc *p, uint64_t *left);

/* ITIMER_VIRTUAL and ITIMER_PROF (which 1 or 2): the process's timer as
 * struct itimerval, and setting it. */
int64_t cputime_getitimer(struct proc *p, int which, uint64_t ucurr);
int64_t cputime_setitimer(struct proc *p, int which, uint64_t value_ns, uint64_t interval_ns, uint64_t uold);

/* Whether anything waits for CPU time: the server's timer then ticks
 * (wait_rearm). */
#define CPUTIME_POLL_NS 10000000ull
bool cputime_armed(void);
/* A CPU deadline was armed (an itimer, a CPU sleep, a POSIX timer on a
 * CPU clock): cputime_armed walks the processes again. */
void cputime_note_armed(void);
/* The tick: CPU deadlines that passed fire. */
void cputime_tick(void);

#endif
