/*
 * personalities/linux/fanperm.h - fanotify's group, event and mark, which
 * fanotify.c (the calls, the notification events, the marks), fanperm.c
 * (the permission events: the caller's wait, the listener's answer) and
 * fanfid.c (the FID groups' events and records) and fanmark.c (fdinfo's
 * lines, evictable marks) share, and the calls they make of each other.
 *
 * Entry points: below, from fanotify.c, fanperm.c, fanfid.c and fanmark.c only.  Layer: a
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

/* A file handle in an event of a FID group (Linux's fanotify_fh): len 0,
 * none. */
struct fan_fh {
    uint8_t type, len;
    uint32_t w[3];
};

struct fan_event {
    struct ng_event q;
    struct inode *ino; /* held (refs); NULL: the overflow event, or a FID group's event */
    uint32_t mask;
    int pid;
    /* A permission event: the group's order (fanperm.c's key), and once
     * read the descriptor the answer names, on the group's list of
     * events read and not answered. */
    bool perm, asked;
    uint64_t key;
    int fd;
    struct fan_event *next_asked;
    /* A FID group's event (fanfid.c): the file system's fsid, and Linux's
     * fid event (obj alone) or name event (dir and name, a rename's new
     * dir2 and name2, the child's obj). */
    bool fid, named;
    int32_t fsid[2];
    struct fan_fh obj, dir, dir2;
    char *name, *name2;
};

/* A mark: k.obj the inode, the file system; a mount's by its id (mount_id). */
struct fan_mark {
    struct ng_mark k;
    uint32_t type;       /* FAN_MARK_INODE, FAN_MARK_MOUNT, FAN_MARK_FILESYSTEM */
    int mount_id;
    uint32_t ignore;
    bool surv;           /* FAN_MARK_IGNORED_SURV_MODIFY */
    bool ignore_flags;   /* set with FAN_MARK_IGNORE: FAN_ONDIR, FAN_EVENT_ON_CHILD in ignore count */
    bool evictable;      /* FAN_MARK_EVICTABLE: goes with its inode at drop_caches (fanotify_drop_caches) */
    int32_t fsid[2];     /* a FID group's: the marked object's file system's (Linux's connector fsid) */
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
/* Every mark, in the order made. */
#define FOR_MARKS(k, next)                                                                                      \
    for (struct fan_mark *k = (struct fan_mark *)fanotify_kind.marks, *next;                                     \
         k && (next = (struct fan_mark *)k->k.next, 1); k = next)
/* A mark goes: off its list, freed. */
void fan_drop_mark(struct fan_mark *k);
/* The group's lines of /proc/PID/fdinfo (fanmark.c). */
void fan_fdinfo(const struct file *f, void (*put)(const char *fmt, ...));
extern int fanfid_groups; /* the FID groups there are */
/* The most a read gives for one event: the metadata, three FID records
 * with a name each, a pidfd's. */
#define FAN_EVENT_MAX (24 + 3 * (20 + 12 + 256) + 8)

/* The bytes a read gives for an event of g: the metadata, and with
 * FAN_REPORT_PIDFD a struct fanotify_event_info_pidfd. */
static inline uint32_t fan_event_len(const struct fanotify *g)
{
    return sizeof(struct fan_meta) + (g->flags & FAN_REPORT_PIDFD ? 8 : 0);
}

/* Where an event happens, as Linux's fsnotify iterates the marks: ino's
 * (a directory entry's event: the directory's), those of the directory
 * holding it (dir: they hear it with FAN_EVENT_ON_CHILD), a rename's new
 * directory's (dir2), the mount's (mount_id; 0: the event has no path)
 * and the file system's; ondir: it is about a directory. */
struct fan_where {
    const struct inode *ino, *dir, *dir2;
    const struct fs *fs;
    int mount_id;
    bool ondir;
};
/* The kinds of mark that heard an event (Linux's match_mask). */
enum { FAN_HEARD_INODE = 1, FAN_HEARD_PARENT = 2, FAN_HEARD_INODE2 = 4, FAN_HEARD_MOUNT = 8, FAN_HEARD_SB = 16 };

/* fanotify.c's: Linux's marks mask less the ignore masks for an event of
 * mask (FAN_ONDIR in it for a directory) at w, with the kinds of mark
 * that heard it and the fsid of one of them. */
uint32_t fan_marks_mask(struct fanotify *g, const struct fan_where *w, uint32_t mask, uint32_t *heard,
                        int32_t fsid[2]);
/* The events of mask a group's marks let through for ino
 * (in directory dir, seen through mount mount_id). */
uint32_t fan_group_mask(struct fanotify *g, struct inode *ino, const struct inode *dir, int mount_id, uint32_t mask);
/* Event e to g's queue, or merged with one queued (same: whether two
 * may merge). */
void fan_enqueue(struct fanotify *g, struct fan_event *e);
/* fanfid.c's: a FID group's event (Linux's fanotify_alloc_event); the
 * bytes a read gives for it and its info records (before a pidfd's);
 * whether two such events merge; the event's names freed. */
void fanfid_event(struct fanotify *g, uint32_t mask, const int32_t fsid[2], uint32_t heard, int pid,
                  const struct inode *data, const struct inode *dir, const char *name, const struct inode *ndir,
                  const char *nname);
uint32_t fanfid_len(const struct fanotify *g, const struct fan_event *e);
size_t fanfid_records(const struct fanotify *g, const struct fan_event *e, uint8_t *out);
bool fanfid_same(const struct fan_event *a, const struct fan_event *b);
/* The hooks' FID half: an event on ino (and the entry name naming it in
 * dir, or NULL), of mask, at w, to every FID group. */
void fanfid_hear(const struct fan_where *w, uint32_t mask, const struct inode *data, const struct inode *dir,
                 const char *name, const struct inode *ndir, const char *nname);
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
