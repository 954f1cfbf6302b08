/*
 * personalities/linux/notifygroup.h - a notification group, the one
 * object under inotify (inotify.c) and fanotify (fanotify.c): a queue of
 * events with its limit and its one overflow event, the readers that
 * wait on it (a read, poll, epoll), its FIONREAD, and the marks that tie
 * it to inodes (or, for fanotify, mounts and file systems).  A front end
 * embeds struct notifygroup first in its own instance and struct
 * ng_mark first in its own mark, says how one of its records is copied
 * out and freed (struct ng_ops), and formats the records; the queue, the
 * reads, the marks' lists and the wake-up at the end of an fsnotify.h
 * hook are here.
 *
 * Entry points: the calls below, from inotify.c and fanotify.c only.
 * Layer: a file type's helper, above the file system.  Book:
 * docs/linux.md, "inotify".
 */
#ifndef LINUX_NOTIFYGROUP_H
#define LINUX_NOTIFYGROUP_H
#include "proc.h"
#include <stdbool.h>
#include <stdint.h>

/* The head of a front end's queued record. */
struct ng_event {
    struct ng_event *next;
    uint32_t size;  /* the bytes a read gives for it (and FIONREAD counts) */
    bool overflow;  /* the group's overflow event */
};

struct notifygroup;
struct ng_mark;

struct ng_ops {
    /* Copies e, already off the queue, to the reader at ubuf (and makes
     * what it carries, fanotify's descriptor): 0, or a negative errno,
     * -EFAULT failing the read whatever went before it, another giving
     * what went before. */
    int64_t (*copy)(struct sys_ctx *c, struct notifygroup *g, struct ng_event *e, uint64_t ubuf);
    void (*free)(struct ng_event *e);
    void (*unmark)(struct ng_mark *k); /* or NULL: before mark k is freed with its group */
};

/* One kind of group (inotify's, fanotify's): its groups and its marks. */
struct ng_kind {
    const struct ng_ops *ops;
    struct notifygroup *groups; /* newest first */
    struct ng_mark *marks;      /* in the order made */
    int *count;                 /* or NULL: a counter of this kind's marks besides fsnotify_watches */
};

struct notifygroup {
    struct ng_event *head, *tail;
    int queued;              /* events, the overflow event included */
    uint64_t bytes;          /* what FIONREAD says */
    bool overflowed;         /* the overflow event is queued */
    int max_queued;          /* past it, one overflow event (0: no limit) */
    int marks;               /* its marks */
    uint32_t uid;            /* whose: the limits are per user */
    struct ng_kind *kind;
    struct notifygroup *next; /* every group of its kind */
};

struct ng_mark {
    struct notifygroup *g;
    const void *obj;         /* not a reference: the mark goes before the inode (file system) is freed */
    uint32_t mask;
    struct ng_mark *next;    /* every mark of its kind, in the order made */
};

/* What may be queued now: NG_ROOM an event, NG_OVERFLOW the overflow
 * event (the queue is full, and has none yet), NG_FULL nothing. */
enum { NG_FULL, NG_ROOM, NG_OVERFLOW };
int ng_room(struct notifygroup *g);
/* e to the end of g's queue (the caller set its size and overflow). */
void ng_queue(struct notifygroup *g, struct ng_event *e);
/* At the end of a hook: a waiting read, poll or epoll looks again if a
 * queue was empty and has an event now; not sooner, since the reply it
 * may send could close files while the marks are walked. */
void ng_wake(void);

/* The groups of kind that uid has. */
int ng_count(const struct ng_kind *kind, uint32_t uid);
/* A new group of size bytes (the front end's struct) on kind's list and
 * its file (kind of file fkind, flags oflags) at a new descriptor: the
 * descriptor, or a negative errno; *made the group. */
int ng_open(struct sys_ctx *c, struct ng_kind *kind, size_t size, int max_queued, const struct file_ops *fops,
            int fkind, int oflags, bool cloexec, struct notifygroup **made);
/* The file's read, poll and ioctl (FIONREAD). */
int64_t ng_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at);
int ng_poll(struct file *f);
int64_t ng_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg);
/* The file's release: its marks, its queue and the group go. */
void ng_release(struct file *f);

/* k (the front end's mark of size bytes, zeroed but for g, obj, mask)
 * onto its kind's list; k off it (the caller frees it). */
void ng_mark_add(struct ng_mark *k);
void ng_mark_unlink(struct ng_mark *k);

#endif
