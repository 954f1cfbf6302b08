/*
 * personalities/linux/perfevent.h - perf_event_open's counters
 * (perfevent.c): software events counted for one thread.
 *
 * Entry points: perf_exec (exec.c: the new image's thread goes on
 * counting, and the enable_on_exec events start), perf_thread_ending
 * (exit.c, and exec.c before its thread is replaced: a thread's counts
 * are taken while it can still be read).  Layer: a file type, above processes.  Book:
 * docs/linux.md, "Performance counters".
 */
#ifndef LINUX_PERFEVENT_H
#define LINUX_PERFEVENT_H

struct proc;
void perf_exec(struct proc *p);
void perf_thread_ending(struct proc *t);

#endif
