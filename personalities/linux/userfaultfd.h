/*
 * personalities/linux/userfaultfd.h - userfaultfd (userfaultfd.c): a
 * descriptor through which a process serves the page faults of areas it
 * registered, the faulting thread waiting until the page is supplied.
 *
 * Entry points: uffd_fault (main.c, before mm_fault), uffd_cancel
 * (signal_kick), uffd_proc_gone (proc_free), uffd_forked (mm_forked: a fork's child keeps no
 * registration), uffd_dev_fops (dev.c's /dev/userfaultfd).
 *
 * Layer: above mm and files.  Book: docs/linux.md, "Userfaultfd".
 */
#ifndef LINUX_USERFAULTFD_H
#define LINUX_USERFAULTFD_H
#include <stdbool.h>
#include <stdint.h>

struct proc;
struct file_ops;

/* What uffd_fault made of a page fault: not one of a registered area's
 * (mm_fault's then), queued (the thread waits: its reply token is kept),
 * or SIGBUS (UFFD_FEATURE_SIGBUS). */
enum { UFFD_NOT_MINE, UFFD_QUEUED, UFFD_SIGBUS };
int uffd_fault(struct proc *p, uint64_t addr, uint64_t error, uint64_t token);
/* Thread p is gone: its waiting fault is forgotten (no reply). */
void uffd_proc_gone(struct proc *p);
/* A signal for p: the fault it waits in, if any, is dropped (with its
 * message); true and its reply token, which the signal answers. */
bool uffd_cancel(struct proc *p, uint64_t *token);
/* A fork's child: its areas are registered with no userfaultfd (Linux's
 * answer without UFFD_FEATURE_EVENT_FORK). */
void uffd_forked(struct proc *child);
extern const struct file_ops uffd_dev_fops;

#endif
