/*
 * personalities/linux/watchq.h - watch queues, as Linux 6.1's
 * kernel/watch_queue.c: a pipe made with pipe2(O_NOTIFICATION_PIPE)
 * carries whole notifications the kernel posts instead of bytes, sized
 * and filtered by its two ioctls, and KEYCTL_WATCH_KEY ties a key to it
 * (the keys' notifications: NOTIFY_KEY_*).
 *
 * Entry points: below.  Callers: pipe.c (the pipe's read, write, poll,
 * ioctl and end), splice.c (not a pipe to splice), keyctl.c, keys.c,
 * keylife.c and keyquota.c (the keys' changes).  Layer: a file type's
 * helper, with pipe.c.  Book: docs/linux.md, "Keyrings".
 */
#ifndef LINUX_WATCHQ_H
#define LINUX_WATCHQ_H
#include "proc.h"
#include <stdbool.h>
#include <stdint.h>

struct pipe;
struct file;
struct io_seg;

/* linux/watch_queue.h's key notifications' subtypes. */
enum {
    NOTIFY_KEY_INSTANTIATED, NOTIFY_KEY_UPDATED, NOTIFY_KEY_LINKED, NOTIFY_KEY_UNLINKED, NOTIFY_KEY_CLEARED,
    NOTIFY_KEY_REVOKED, NOTIFY_KEY_INVALIDATED, NOTIFY_KEY_SETATTR
};

/* Makes pp a notification pipe: 0 or -ENOMEM. */
int watchq_init(struct pipe *pp);
bool pipe_is_watchq(const struct pipe *pp);
/* The pipe's last end went: its watches go, without a word. */
void watchq_free(struct pipe *pp);
/* A read (whole notifications, ENOBUFS when the first does not fit) or
 * a write (EXDEV) of a notification pipe's file f. */
int64_t watchq_move(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, bool one, uint64_t total,
                    bool write);
int watchq_poll(struct file *f);
#define IOC_WATCH_QUEUE_SET_SIZE 0x5760 /* _IO('W', 0x60) */
#define IOC_WATCH_QUEUE_SET_FILTER 0x5761
/* IOC_WATCH_QUEUE_SET_SIZE, IOC_WATCH_QUEUE_SET_FILTER and FIONREAD (a
 * pipe without a queue: ENODEV for the first two). */
int64_t watchq_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg);

/* KEYCTL_WATCH_KEY: key serial (looked up by the caller) watched into
 * descriptor fd's queue with watch_id (0-255), or the watch removed (-1). */
int64_t watchq_watch_key(struct proc *p, int32_t serial, int fd, int watch_id);
/* Linux's notify_key: a notification of key serial's change to its watches. */
void watchq_notify_key(int32_t serial, int subtype, uint32_t aux);
/* Key serial is gone: each watch on it gets the removal notification and goes. */
void watchq_key_gone(int32_t serial);

#endif
