/*
 * personalities/linux/pidfd.h - process descriptors (pidfd.c): an open file
 * that names a process, which polls
 * readable once it has ended.
 *
 * Entry points: pidfd_install (pidfd_open, clone's CLONE_PIDFD),
 * pidfd_target (pidfd_send_signal, waitid's P_PIDFD).  Layer: a file
 * type, above proc.h.  Book: docs/linux.md, "Programs and processes".
 */
#ifndef LINUX_PIDFD_H
#define LINUX_PIDFD_H
#include "proc.h"

/* A new pidfd for t in p's table (close-on-exec, as Linux's always are;
 * O_NONBLOCK from flags): the descriptor, or -errno. */
int pidfd_install(struct proc *p, struct proc *t, int flags);
/* What pidfd f names: its proc (a zombie until reaped) in *t, 0; -EBADF
 * if f is no pidfd, -ESRCH once the process is gone. */
int pidfd_target(const struct file *f, struct proc **t);

#endif
