/*
 * personalities/linux/prctl.h - what prctl (prctl.c) asks of the files
 * that keep the state an option reads or sets.
 *
 * Entry points: caps_prctl (caps.c).  Layer: calls.  Book: docs/linux.md,
 * "Programs and processes".
 */
#ifndef LINUX_PRCTL_H
#define LINUX_PRCTL_H
#include "proc.h"

/* The capability options (PR_CAPBSET_*, PR_CAP_AMBIENT, PR_*_SECUREBITS,
 * PR_*_KEEPCAPS) for p, as Linux's cap_task_prctl: the answer, or -ENOSYS
 * for an option that is not one of them. */
int64_t caps_prctl(struct proc *p, uint64_t option, uint64_t arg2, uint64_t arg3, uint64_t arg4, uint64_t arg5);

#endif
