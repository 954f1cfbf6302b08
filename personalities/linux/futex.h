/*
 * personalities/linux/futex.h - futexes (futex.c): a thread waits on a
 * word of memory until another wakes it.
 *
 * Entry points: futex_wake (exit's clear_child_tid), futex_exit (a
 * thread's end); the rest is the futex calls themselves.
 *
 * Layer: above mm.h (keys) and wait.h (the waits).  Book: docs/linux.md,
 * "Waiting".
 */
#ifndef LINUX_FUTEX_H
#define LINUX_FUTEX_H
#include <stdint.h>

struct proc;
/* Wakes up to n waiters on uaddr in p's memory map. */
int futex_wake(struct proc *p, uint64_t uaddr, int n, uint32_t mask);
/* Thread t ends (exit, exit_group, a fatal signal): the futexes on its
 * robust list that it still holds get FUTEX_OWNER_DIED and a waiter is
 * woken, and the priority-inheritance futexes it owns go to their
 * waiters, as Linux's exit_robust_list and exit_pi_state_list. */
void futex_exit(struct proc *t);

#endif
