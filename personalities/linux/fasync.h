/*
 * personalities/linux/fasync.h - signal-driven I/O (fasync.c): an open
 * file's owner (F_SETOWN, F_SETOWN_EX, FIOSETOWN and SIOCSPGRP), the
 * signal it sends (F_SETSIG) and O_ASYNC (F_SETFL, FIOASYNC), which makes
 * the file signal its owner when it becomes readable or writable or hangs
 * up, as Linux's kill_fasync; and F_SETFL itself, whose flags O_ASYNC is
 * one of.
 *
 * Entry points: fasync_fcntl and fcntl_setfl (file.c's fcntl),
 * fasync_ioctl (file.c's ioctl), fasync_notice (wait.c's poll_recheck),
 * fasync_arrival (epoll_arrival's callers: pipes, counters),
 * fasync_release (file_put).  Layer: above file types and signals.
 * Book: docs/linux.md, "Signal-driven I/O".
 */
#ifndef LINUX_FASYNC_H
#define LINUX_FASYNC_H
#include "file.h"

/*
 * A file's owner and signal (struct file's fown, made at the first
 * F_SETOWN, F_SETSIG or O_ASYNC; Linux's fown_struct with its
 * fasync_struct).  A file with O_ASYNC set is on fasync.c's list, which
 * poll_recheck walks: seen holds the poll bits signalled already, so that
 * a bit signals when it comes (and again when fasync_arrival says it came
 * again: each write to a pipe is one signal).
 */
struct fown {
    int type;            /* F_OWNER_TID, F_OWNER_PID or F_OWNER_PGRP */
    int pid;             /* the thread, process or group; 0: none */
    uint32_t uid, euid;  /* the setter's, which sending checks (Linux's sigio_perm) */
    int signum;          /* F_SETSIG's: 0 is SIGIO without its siginfo */
    int fd;              /* the descriptor O_ASYNC was set through: si_fd */
    uint32_t seen;       /* poll bits signalled, while listed */
    struct file *file;
    struct fown *next;   /* on the list while the file has O_ASYNC */
    bool listed;
};

/* What fasync_ioctl returns for a request it does not answer. */
#define FASYNC_NOT_MINE 1

int64_t fasync_fcntl(struct sys_ctx *c, struct file *f, int fd, int cmd, uint64_t arg);
/* F_SETFL: O_APPEND, O_NONBLOCK, O_DIRECT, O_NOATIME and O_ASYNC (Linux's
 * SETFL_MASK) with Linux's checks; 0, -EPERM, -EINVAL. */
int fcntl_setfl(struct file *f, int fd, int flags);
/* Whether an open of ino takes O_DIRECT (Linux 6.1's FMODE_CAN_ODIRECT:
 * an ext2 regular file, a block device); open is EINVAL otherwise. */
bool inode_direct_capable(const struct inode *ino);
int64_t fasync_ioctl(struct sys_ctx *c, struct file *f, int fd, uint32_t req, uint64_t arg);
/* Something changed: each O_ASYNC file whose bits came signals its owner
 * (nothing to do unless one is set: fasync_files). */
void fasync_check(void);
extern int fasync_files;
static inline void fasync_notice(void)
{
    if (fasync_files)
        fasync_check();
}
/* bits came again at obj (a pipe, a counter), as epoll_arrival's. */
void fasync_arrival(const void *obj, uint32_t bits);
void fasync_release(struct file *f);
/* f's owner, made the caller's process if it has none (dnotify's); its
 * signal for reason through descriptor fd (dnotify's POLL_MSG). */
int fasync_owner_default(struct sys_ctx *c, struct file *f);
void fasync_signal(struct file *f, int fd, int reason);
/* Urgent data came to socket f: SIGURG to its owner, and with O_ASYNC
 * and F_SETSIG that signal with POLL_PRI (Linux's sk_send_sigurg). */
void fasync_sigurg(struct file *f);

/* dnotify.c: fcntl's F_NOTIFY; a descriptor of f closed in table t (its
 * requests through t go; t NULL: f's last close, all of them), called
 * while dnotify_marks counts some. */
int64_t dnotify_fcntl(struct sys_ctx *c, struct file *f, int fd, uint32_t arg);
/* lease.c: F_SETLEASE and F_GETLEASE; an open of ino (for writing, or a
 * truncate: write) breaks the leases it conflicts with: 0, EAGAIN
 * (nonblock), or 0 with the call deferred (c->deferred) until they
 * change; f's last close takes its lease (while leases_held counts
 * some). */
extern int leases_held;
int64_t lease_fcntl(struct sys_ctx *c, struct file *f, int fd, int cmd, uint64_t arg);
int lease_break(struct sys_ctx *c, struct inode *ino, bool write, bool nonblock);
void lease_file_gone(struct file *f);
struct lock_view;
void lease_each(void (*fn)(const struct lock_view *v));
void dnotify_closing(struct fdtable *t, struct file *f);

#endif
