/*
 * personalities/linux/deadline.h - the processes' pending deadlines in a
 * binary min-heap (deadline.c): a wait's timeout, a socket read's or
 * write's SO_RCVTIMEO or SO_SNDTIMEO, and ITIMER_REAL (alarm, setitimer).
 * The server's timer asks it for the earliest and for those due without
 * walking every process.
 *
 * deadline.c also runs the server's timer: wait_init, wait_rearm,
 * wait_rearm_for and timers_fire, declared in wait.h.
 *
 * Entry points: below.  Callers: deadline.c's timer, proc.c (a proc
 * freed).  Layer: with waits.  Book: docs/linux.md, "Waiting".
 */
#ifndef LINUX_DEADLINE_H
#define LINUX_DEADLINE_H
#include <stdint.h>

struct proc;

/* p's earliest deadline now (clock_ns; 0: none): its wait's, its blocked
 * pipe move's, its ITIMER_REAL's. */
uint64_t deadline_of(const struct proc *p);
/* p's deadlines may have changed: its place in the heap follows. */
void deadline_note(struct proc *p);
/* p is leaving the heap (deadline_drop), or being freed (deadline_gone:
 * out of it for good, later notes of it ignored, as a firing that ended
 * it may still note it). */
void deadline_drop(struct proc *p);
void deadline_gone(struct proc *p);
/* The earliest deadline of any process (0: none). */
uint64_t deadline_first(void);
/* A process with a deadline at or before t (NULL: none). */
struct proc *deadline_due(uint64_t t);

#endif
