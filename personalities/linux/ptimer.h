/*
 * personalities/linux/ptimer.h - POSIX timers (ptimer.c): timer_create,
 * timer_settime, timer_gettime, timer_getoverrun, timer_delete, on the
 * wall and monotonic clocks (the server's timer fires them) and on CPU
 * clocks (cputime.c's tick does).  A process's own, deleted at its exec
 * and exit, none for a forked child.
 *
 * Entry points: below.  Callers: wait.c (the server's timer), cputime.c,
 * signal.c (a timer's signal taken), exec.c and exit.c, time.c
 * (clock_settime).  Layer: with waits, above signals.  Book:
 * docs/linux.md, "Clocks and timers".
 */
#ifndef LINUX_PTIMER_H
#define LINUX_PTIMER_H
#include "uapi.h"
#include <stdbool.h>
#include <stdint.h>

struct proc;

/* The earliest expiry of a timer on a wall or monotonic clock (kernel
 * clock ns), 0 for none; firing those due at t. */
uint64_t ptimer_next(void);
void ptimer_fire(uint64_t t);
/* Whether a timer on a CPU clock is armed; firing those due. */
bool ptimer_cpu_armed(void);
void ptimer_cpu_fire(void);
/* Each of process g's timers, newest first (/proc/PID/timers): its id,
 * signal, sigevent value, notification, the pid or tid it signals, clock. */
void ptimer_each(struct proc *g, void (*fn)(int id, int signo, uint64_t value, int notify, int pid, int32_t clock));
/* Deletes process g's timers (execve, exit). */
void ptimer_drop(struct proc *g);
/* A timer's signal is being taken by a thread of g: si_overrun is filled
 * in; false when the signal is stale (its timer deleted or set again
 * since) and is to be dropped, as Linux drops it. */
bool ptimer_taken(struct proc *g, struct siginfo_k *info);
/* clock_settime moved CLOCK_REALTIME by moved ns: absolute timers on it
 * follow (relative ones do not, as Linux's). */
void ptimer_clock_set(int64_t moved);

/* Marks a siginfo a timer's signal made (the padding after si_code, which
 * Linux's siginfo does not use): a program's SI_TIMER from sigqueue is
 * delivered as it is. */
#define PTIMER_MARK 0x54494d52

#endif
