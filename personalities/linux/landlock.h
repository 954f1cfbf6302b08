/*
 * personalities/linux/landlock.h - Landlock: a thread limits, for itself
 * and what it starts, what it may do to files beneath given directories
 * and which TCP ports it may bind and connect to.  A ruleset (its
 * descriptor's) says which rights it handles and the rules that grant
 * them; landlock_restrict_self freezes a copy of it as a new layer of the
 * thread's domain (at most 16), which children, new threads and execve
 * keep.  A right a layer handles is denied unless a rule of that layer,
 * on the file or on a directory above it, grants it; a scope a layer
 * has keeps signals and abstract-socket connections inside that layer's
 * domain.
 *
 * Entry points: the three calls (landlock.c), and the checks below, which
 * the operations call at the point Linux's security hooks sit: open
 * (file.c), execve (elf.c, exec.c), creating, removing, renaming and
 * linking names (path.c, file.c, unixname.c), truncate, ioctl, bind
 * and connect (inet.c), signals (kill.c) and abstract sockets
 * (unixname.c).  Layer: proc (the domain is in struct proc).
 * Book: docs/linux.md, "Landlock".
 */
#ifndef LINUX_LANDLOCK_H
#define LINUX_LANDLOCK_H
#include <stdbool.h>
#include <stdint.h>
#include "uapi_landlock.h"

struct landlock_ruleset;
struct proc;
struct inode;
struct file;

/* A child or new thread starts in its parent's domain (NULL: none). */
void landlock_inherit(struct landlock_ruleset **child, struct landlock_ruleset *domain);
/* A thread is gone, or takes another's domain: its reference goes. */
void landlock_drop(struct landlock_ruleset **domain);
/* 0 if p's domain grants it the rights access (LANDLOCK_ACCESS_FS_*) on
 * ino, by the rules on ino and on the directories above it; else -EACCES. */
int landlock_check(const struct proc *p, const struct inode *ino, uint64_t access);
/* The same for a file found in directory dir (its rules, then dir's and
 * above: the path the caller took, which matters for a file with several
 * names); dir NULL: as landlock_check. */
int landlock_check_in(const struct proc *p, const struct inode *ino, const struct inode *dir, uint64_t access);
/* The same for creating an inode of mode's type in dir (MAKE_*), and
 * removing victim from dir (REMOVE_DIR for rmdir, else REMOVE_FILE). */
int landlock_make(const struct proc *p, const struct inode *dir, uint32_t mode);
int landlock_remove(const struct proc *p, const struct inode *dir, bool rmdir);
/* Opening ino (found in dir, or NULL) with open flags flags (truncating: O_TRUNC applies): the
 * rights asked for, or -EACCES; *denied gets the rights the open file
 * will lack (TRUNCATE, IOCTL_DEV on a device), kept in struct file. */
int landlock_open(const struct proc *p, const struct inode *ino, const struct inode *dir, int flags, bool truncating,
                  uint64_t *denied);
/* Renaming (or, !rename, linking) from, in odir, to a name in ndir that
 * to holds (NULL if none); exchange: RENAME_EXCHANGE.  -EACCES, or
 * -EXDEV if the file would gain rights by moving (or REFER is denied). */
int landlock_refer(const struct proc *p, const struct inode *odir, const struct inode *from, const struct inode *ndir,
                   const struct inode *to, bool rename, bool exchange);
/* ftruncate and ioctl of an open file: -EACCES if its open lacked the right. */
int landlock_file_truncate(const struct file *f);
int landlock_file_ioctl(const struct file *f, uint32_t cmd);
/* bind (or !bind, connect) of a TCP socket to port (host order): -EACCES
 * if the domain handles it and no rule grants the port. */
int landlock_net(const struct proc *p, bool bind, uint16_t port);
/* The directory above ino (a file's: that of its newest name), where
 * the walk goes on; NULL above the root. */
const struct inode *landlock_dir_of(const struct inode *ino);
/* A socket's file made by p holds p's domain (Linux's f_cred), which
 * a scope asks about; file_put drops it. */
void landlock_own(struct file *f, const struct proc *p);
/* -EPERM if sender s's domain scopes signals (LANDLOCK_SCOPE_SIGNAL) and
 * target t is outside it (in no domain nested in the scoping layer);
 * threads of one process may always signal each other. */
int landlock_signal(const struct proc *s, const struct proc *t);
/* -EPERM if p's domain scopes abstract sockets and the one bound to
 * the abstract name, made by file server, is outside it. */
int landlock_unix(const struct proc *p, const struct file *server);
/* Whether a rule names ino (it may not be freed: fs_sweep's callback). */
bool landlock_pins(const struct inode *ino);

#endif
