/*
 * personalities/linux/perfevent.h - perf_event_open's counters
 * (perfevent.c): software events counted for one thread.
 *
 * Entry points: perf_exec (exec.c: the thread's enable_on_exec events
 * start counting).  Layer: a file type, above processes.  Book:
 * docs/linux.md, "Performance counters".
 */
#ifndef LINUX_PERFEVENT_H
#define LINUX_PERFEVENT_H

struct proc;
void perf_exec(struct proc *p);

#endif
