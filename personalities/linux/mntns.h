/*
 * personalities/linux/mntns.h - mount namespaces (mntns.c): a new one, a
 * copy of another's mounts, and the end of one.
 *
 * Entry points: the functions below.  Callers: ns.c.  Layer: proc, over
 * the mount table (fs.h).  Book: docs/linux.md, "Mounts".
 */
#ifndef LINUX_MNTNS_H
#define LINUX_MNTNS_H
#include "fs.h"

struct proc;
/* Namespace to (new, with no mounts) gets a copy of each mount of from
 * (NULL: the initial one), as Linux's copy_mnt_ns; t's working directory
 * goes to the copy of its mount.  0 or -ENOMEM (nothing copied then). */
int mntns_copy(struct ns *to, struct ns *from, struct proc *t);
/* The last user of n went: its mounts go (mount_drop). */
void mntns_release(struct ns *n);
#endif
