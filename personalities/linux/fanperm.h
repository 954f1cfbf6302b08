/*
 * personalities/linux/fanperm.h - fanotify's group, event and mark, which
 * fanotify.c (the calls, the notification events, the marks) and
 * fanperm.c (the permission events: the caller's wait, the listener's
 * answer) share, and the calls fanotify.c makes of fanperm.c.
 *
 * Entry points: below, from fanotify.c and fanperm.c only.  Layer: a
 * file type, above the file system.  Book: docs/linux.md, "fanotify".
 */
#ifndef LINUX_FANPERM_H
#define LINUX_FANPERM_H
#include "file.h"
#include "notifygroup.h"

#define PERM_EVENTS (FAN_OPEN_PERM | FAN_ACCESS_PERM | FAN_OPEN_EXEC_PERM)

/* struct fanotify_event_metadata (linux/fanotify.h) */
struct fan_meta {
    uint32_t event_len;
    uint8_t vers, reserved;
    uint16_t metadata_len;
    uint64_t mask;
    int32_t fd, pid;
};
_Static_assert(sizeof(struct fan_meta) == 24, "struct fanotify_event_metadata");

struct fan_event {
    struct ng_event q;
    struct inode *ino; /* held (refs); NULL: the overflow event */
    uint32_t mask;
    int pid;
    /* A permission event: the group's order (fanperm.c's key), and once
     * read the descriptor the answer names, on the group's list of
     * events read and not answered. */
    bool perm, asked;
    uint64_t key;
    int fd;
    struct fan_event *next_asked;
};

/* A mark: k.obj the inode, the file system; a mount's by its id (mount_id). */
struct fan_mark {
    struct ng_mark k;
    uint32_t type;       /* FAN_MARK_INODE, FAN_MARK_MOUNT, FAN_MARK_FILESYSTEM */
    int mount_id;
    uint32_t ignore;
    bool surv;           /* FAN_MARK_IGNORED_SURV_MODIFY */
    bool ignore_flags;   /* set with FAN_MARK_IGNORE: FAN_ONDIR, FAN_EVENT_ON_CHILD in ignore count */
    bool evictable;      /* FAN_MARK_EVICTABLE (never evicted here) */
};

#define MERGE_LOOK 128   /* the queued events a new one may merge with (Linux's FANOTIFY_MAX_MERGE_EVENTS) */

struct fanotify {
    struct notifygroup g;
    uint32_t flags, f_flags; /* fanotify_init's */
    bool unpriv;             /* made without CAP_SYS_ADMIN: inode marks alone */
    struct fan_event *recent[MERGE_LOOK]; /* the newest queued events, a new one may merge with (NULL: read) */
    unsigned next_recent;
    uint64_t key;                /* permission events go to groups in its order (0: a notification group) */
    struct fan_event *asked;     /* permission events read and not answered */
};

extern struct ng_kind fanotify_kind;

/* The bytes a read gives for an event of g: the metadata, and with
 * FAN_REPORT_PIDFD a struct fanotify_event_info_pidfd. */
static inline uint32_t fan_event_len(const struct fanotify *g)
{
    return sizeof(struct fan_meta) + (g->flags & FAN_REPORT_PIDFD ? 8 : 0);
}

/* fanotify.c's: the events of mask a group's marks let through for ino
 * (in directory dir, seen through mount mount_id). */
uint32_t fan_group_mask(struct fanotify *g, struct inode *ino, const struct inode *dir, int mount_id, uint32_t mask);
/* The directory an event on ino reaches too (or NULL), and the mount. */
const struct inode *fan_event_dir(const struct inode *ino);
int fan_mount_id(struct inode *ino);
/* The overflow event on g's queue. */
void fan_overflow(struct fanotify *g);
void fan_event_free(struct ng_event *q);

/* fanperm.c's: a new group's order (class: its FAN_CLASS_* bits); a
 * permission event read into descriptor fd (fd < 0: its copy failed, the
 * caller denied); the response write; the group's end, which lets its
 * waiters go. */
void fanperm_group(struct fanotify *g, uint32_t class);
void fanperm_read(struct fanotify *g, struct fan_event *e, int fd);
int64_t fanperm_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at);
void fanperm_release(struct fanotify *g);

#endif
