/*
 * personalities/linux/futex.h - futexes (futex.c): a thread waits on a
 * word of memory until another wakes it.
 *
 * Entry point: futex_wake (exit's clear_child_tid); the rest is the
 * futex call itself.
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

#endif
