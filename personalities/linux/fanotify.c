/*
 * personalities/linux/fanotify.c - fanotify: a group is a file
 * (anon_inode:[fanotify]) holding marks and a queue of events.  A mark
 * is on an inode, a mount or a file system, with a mask of events (and
 * FAN_ONDIR, FAN_EVENT_ON_CHILD) and an ignore mask (the legacy
 * FAN_MARK_IGNORED_MASK: cleared by a modification unless
 * FAN_MARK_IGNORED_SURV_MODIFY; or FAN_MARK_IGNORE's, whose FAN_ONDIR and
 * FAN_EVENT_ON_CHILD count).  The VFS's open, access, modify and
 * close reach it through fsnotify.h's fsnotify hook, as inotify's: an
 * operation on a file makes at most one event a group, from its own
 * marks, those of the directory holding it (FAN_EVENT_ON_CHILD), of its
 * mount and of its file system, as Linux's fanotify_group_event_mask.
 * An event not yet read merges with a queued one on the same file by the
 * same process (masks or'ed); past max_queued_events one FAN_Q_OVERFLOW
 * is queued.  A read gives struct fanotify_event_metadata, each with a
 * new descriptor open on the file (with the group's event_f_flags, and
 * no events of its own: struct file's nonotify).
 *
 * The permission classes' events (FAN_*_PERM) and the listener's answer
 * are fanperm.c's.
 *
 * With FAN_REPORT_PIDFD each event carries a pidfd info record.  FID
 * groups (FAN_REPORT_FID and the rest) mark only a file system with an
 * f_fsid (ext2's, tmpfs's as Linux 6.7's; ENODEV on /proc), and hear
 * the directory events too: fanfid.c.  An unprivileged group sees the pid
 * of its own process alone (0 for another's).  An exec's open (exec.c) is FAN_OPEN | FAN_OPEN_EXEC, with no close when
 * the program ends.  What fdinfo shows of the marks, and the evictable
 * ones' end at drop_caches, are fanmark.c's.
 *
 * Entry points: fsnotify.h (fanotify_event, fanotify_gone), the calls'
 * handlers (syscalls.def).  Layer: a file type, above the file system.
 * Book: docs/linux.md, "fanotify".
 */
#include "fanperm.h"
#include "fsnotify.h"
#include "pidfd.h"
#include "pidns.h"
#include "sysctl.h"
#include "userns.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/fanotify.h" /* generated: the handlers' prototypes, entries */

/* /proc/sys/fs/fanotify's max_queued_events, max_user_groups and
 * max_user_marks (Linux's least, 8192: memory here is small) */
#define MAX_QUEUED sysctl_fan_queued
/* the caller's user namespace's limits (userns.c) */
#define MAX_GROUPS userns_notify_max(proc_charged ? proc_charged->cred.userns : NULL, USERNS_FANOTIFY_GROUPS)
#define MAX_MARKS userns_notify_max(proc_charged ? proc_charged->cred.userns : NULL, USERNS_FANOTIFY_MARKS)
#define PATH_EVENTS (FAN_ACCESS | FAN_MODIFY | FAN_CLOSE_WRITE | FAN_CLOSE_NOWRITE | FAN_OPEN | FAN_OPEN_EXEC)
#define INODE_EVENTS (FAN_ATTRIB | FAN_MOVED_FROM | FAN_MOVED_TO | FAN_CREATE | FAN_DELETE | FAN_DELETE_SELF | \
                      FAN_MOVE_SELF | FAN_RENAME)
#define EVENT_FLAGS (FAN_EVENT_ON_CHILD | FAN_ONDIR)
#define DIRENT_EVENTS (FAN_MOVED_FROM | FAN_MOVED_TO | FAN_CREATE | FAN_DELETE | FAN_RENAME)
#define FID_BITS (FAN_REPORT_FID | FAN_REPORT_DIR_FID | FAN_REPORT_NAME | FAN_REPORT_TARGET_FID)
#define INIT_FLAGS (FAN_CLOEXEC | FAN_NONBLOCK | FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT | FAN_UNLIMITED_QUEUE | \
                    FAN_UNLIMITED_MARKS | FAN_ENABLE_AUDIT | FAN_REPORT_PIDFD | FAN_REPORT_TID | FID_BITS)
#define EVENT_F_BITS (O_ACCMODE | O_APPEND | O_NONBLOCK | O_SYNC | O_DSYNC | O_CLOEXEC | O_LARGEFILE | O_NOATIME)
#define MARK_FLAGS (FAN_MARK_ADD | FAN_MARK_REMOVE | FAN_MARK_FLUSH | FAN_MARK_MOUNT | FAN_MARK_FILESYSTEM | \
                    FAN_MARK_DONT_FOLLOW | FAN_MARK_ONLYDIR | FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORE | \
                    FAN_MARK_IGNORED_SURV_MODIFY | FAN_MARK_EVICTABLE)
#define TYPE_BITS (FAN_MARK_MOUNT | FAN_MARK_FILESYSTEM)

int fanotify_marks;
int fanfid_groups;
static const struct ng_ops fanotify_ops;
struct ng_kind fanotify_kind = {&fanotify_ops, NULL, NULL, &fanotify_marks};

/* ---- events ---- */

void fan_event_free(struct ng_event *q)
{
    struct fan_event *e = (struct fan_event *)q;
    if (e->asked)
        return; /* a permission event read: on the group's list until answered (fanperm.c) */
    if (e->ino && --e->ino->refs == 0)
        fs_release(e->ino);
    free(e->name);
    free(e->name2);
    free(e);
}

void fan_overflow(struct fanotify *g)
{
    struct fan_event *e = calloc(1, sizeof *e);
    if (!e)
        return;
    *e = (struct fan_event){.q = {NULL, fan_event_len(g), true}, .mask = FAN_Q_OVERFLOW};
    ng_queue(&g->g, &e->q);
}

void fan_enqueue(struct fanotify *g, struct fan_event *e)
{
    int room = ng_room(&g->g);
    if (room != NG_ROOM) {
        if (room == NG_OVERFLOW)
            fan_overflow(g);
        fan_event_free(&e->q);
        return;
    }
    for (int i = 0; i < MERGE_LOOK; i++) { /* merged, as Linux's fanotify_merge */
        struct fan_event *o = g->recent[i];
        if (o && o->pid == e->pid && o->fid == e->fid && (e->fid ? fanfid_same(o, e) : o->ino == e->ino)) {
            o->mask |= e->mask;
            fan_event_free(&e->q);
            return;
        }
    }
    g->recent[g->next_recent++ % MERGE_LOOK] = e;
    ng_queue(&g->g, &e->q);
}

static void enqueue(struct fanotify *g, struct inode *ino, uint32_t mask, int pid)
{
    struct fan_event *e = calloc(1, sizeof *e);
    if (!e)
        return;
    *e = (struct fan_event){.q = {NULL, fan_event_len(g), false}, .ino = ino, .mask = mask, .pid = pid};
    ino->refs++;
    fan_enqueue(g, e);
}

/* The kinds of mark k is for an event at w (FAN_HEARD_*; 0: none). */
static uint32_t mark_on(const struct fan_mark *k, const struct fan_where *w)
{
    if (k->type == FAN_MARK_MOUNT)
        return w->mount_id && k->mount_id == w->mount_id ? FAN_HEARD_MOUNT : 0;
    if (k->type == FAN_MARK_FILESYSTEM)
        return k->k.obj == w->fs ? FAN_HEARD_SB : 0;
    return (k->k.obj == w->ino ? FAN_HEARD_INODE : 0) | (w->dir && k->k.obj == w->dir ? FAN_HEARD_PARENT : 0) |
           (w->dir2 && k->k.obj == w->dir2 ? FAN_HEARD_INODE2 : 0);
}

/* The ignore mask of mark k that counts for an event on a directory
 * (isdir) or on a child of k's directory (parent), as Linux's
 * fsnotify_effective_ignore_mask: with FAN_MARK_IGNORE's flags as they
 * say; legacy ones always on a directory, on a child when the mark
 * watches children. */
static uint32_t ignored(const struct fan_mark *k, bool isdir, bool parent)
{
    if (!isdir && !parent)
        return k->ignore & ~(uint32_t)EVENT_FLAGS;
    uint32_t m = k->ignore;
    if (!k->ignore_flags)
        m = ((m | FAN_ONDIR) & ~(uint32_t)FAN_EVENT_ON_CHILD) | (k->k.mask & FAN_EVENT_ON_CHILD);
    if ((isdir && !(m & FAN_ONDIR)) || (parent && !(m & FAN_EVENT_ON_CHILD)))
        return 0;
    return m & ~(uint32_t)EVENT_FLAGS;
}

uint32_t fan_marks_mask(struct fanotify *g, const struct fan_where *w, uint32_t mask, uint32_t *heard,
                        int32_t fsid[2])
{
    uint32_t want = 0, ignore = 0, kinds;
    *heard = 0;
    FOR_MARKS(k, next) {
        if (k->k.g != &g->g || !(kinds = mark_on(k, w)))
            continue;
        if ((mask & FAN_MODIFY) && !k->surv)
            k->ignore = 0;
        for (uint32_t kind = 1; kind <= FAN_HEARD_SB; kind <<= 1) { /* a rename's directory may be both */
            bool parent = kind == FAN_HEARD_PARENT;
            if (!(kinds & kind))
                continue;
            ignore |= ignored(k, w->ondir, parent);
            if ((w->ondir && !(k->k.mask & FAN_ONDIR)) || (parent && !(k->k.mask & FAN_EVENT_ON_CHILD)))
                continue;
            want |= k->k.mask;
            *heard |= kind;
            if (!fsid[0] && !fsid[1])
                fsid[0] = k->fsid[0], fsid[1] = k->fsid[1];
        }
    }
    return mask & want & ~ignore;
}

uint32_t fan_group_mask(struct fanotify *g, struct inode *ino, const struct inode *dir, int mount_id, uint32_t mask)
{
    struct fan_where w = {ino, dir, NULL, ino->fs, mount_id, (ino->mode & S_IFMT) == S_IFDIR};
    uint32_t heard;
    int32_t fsid[2] = {0, 0};
    return fan_marks_mask(g, &w, mask, &heard, fsid) & (PATH_EVENTS | PERM_EVENTS);
}

const struct inode *fan_event_dir(const struct inode *ino)
{
    const struct inode *dir = (ino->mode & S_IFMT) == S_IFDIR ? ino->parent : ino->entry_dir;
    return dir == ino ? NULL : dir;
}

int fan_mount_id(struct inode *ino)
{
    struct mount *m = fs_mount_of(ino);
    return m ? m->id : 0;
}

/* The name of ino's entry in dir (NULL: none). */
static const char *entry_name(const struct inode *dir, const struct inode *ino)
{
    for (const struct dirent_node *d = dir ? dir->children : NULL; d; d = d->next)
        if (d->inode == ino && !d->hidden)
            return d->name;
    return NULL;
}

void fanotify_event(struct inode *ino, uint32_t mask, bool path)
{
    if (!(mask & (PATH_EVENTS | FAN_ATTRIB)) || ino->fs == &anon_inodefs)
        return;
    struct proc *p = proc_charged;
    const struct inode *dir = fan_event_dir(ino);
    int mount_id = path ? fan_mount_id(ino) : 0; /* no path: no descriptor to give, no mount */
    for (struct fanotify *g = (struct fanotify *)fanotify_kind.groups; g && path; g = (struct fanotify *)g->g.next) {
        uint32_t got = g->flags & FID_BITS ? 0 : fan_group_mask(g, ino, dir, mount_id, mask & PATH_EVENTS);
        if (got)
            enqueue(g, ino, got, !p ? 0 : (g->flags & FAN_REPORT_TID) ? p->pid : proc_tgid(p));
    }
    if (!fanfid_groups) {
        ng_wake();
        return;
    }
    /* FID groups: a file's event with its directory and name (Linux's
     * fsnotify_parent) */
    bool isdir = (ino->mode & S_IFMT) == S_IFDIR;
    struct fan_where w = {ino, dir, NULL, ino->fs, mount_id, isdir};
    const char *name = isdir ? NULL : entry_name(dir, ino);
    fanfid_hear(&w, mask & (PATH_EVENTS | FAN_ATTRIB), ino, name ? dir : NULL, name, NULL, NULL);
}

void fan_drop_mark(struct fan_mark *k)
{
    ng_mark_unlink(&k->k);
    free(k);
}

void fanotify_gone(struct inode *ino)
{
    /* FAN_DELETE_SELF; once freed (fs_sweep) only to marks made since on
     * it, its file system's heard it when it went */
    struct fan_where w = {ino, NULL, NULL, ino->orphaned ? NULL : ino->fs, 0, (ino->mode & S_IFMT) == S_IFDIR};
    if (ino->fs != &anon_inodefs)
        fanfid_hear(&w, FAN_DELETE_SELF, ino, NULL, NULL, NULL, NULL);
    FOR_MARKS(k, next)
        if (k->type == FAN_MARK_INODE && k->k.obj == ino)
            fan_drop_mark(k);
}

void fanotify_unmount(const struct fs *fs, int mount_id)
{
    FOR_MARKS(k, next)
        if (k->type == FAN_MARK_MOUNT ? k->mount_id == mount_id
            : k->type == FAN_MARK_FILESYSTEM ? k->k.obj == fs
            : fs && ((const struct inode *)k->k.obj)->fs == fs)
            fan_drop_mark(k);
}

/* ---- the group's file ---- */

/* The descriptor at fd goes again (the table is its own since the install). */
static void unopen(struct proc *p, int64_t fd)
{
    struct file *nf = fd >= 0 ? fd_file_raw(p, (uint64_t)fd) : NULL;
    if (nf && fd_clear(p->fds, (int)fd) == 0)
        file_put(nf);
}

/* A pidfd for the event's process, or Linux's FAN_NOPIDFD (none: it is
 * reaped, or the overflow event) or FAN_EPIDFD. */
static int32_t event_pidfd(struct proc *p, int pid)
{
    struct proc *t = pid ? proc_by_pid(pid) : NULL;
    if (!t || t != proc_group(t))
        return FAN_NOPIDFD;
    int fd = pidfd_install(p, t, 0);
    return fd < 0 ? FAN_EPIDFD : fd;
}

/* e's struct fanotify_event_metadata, with a new descriptor open on its
 * file, and with FAN_REPORT_PIDFD its info record (both go again if the
 * copy fails). */
static int64_t copy(struct sys_ctx *c, struct notifygroup *ng, struct ng_event *q, uint64_t ubuf)
{
    struct fanotify *g = (struct fanotify *)ng;
    struct fan_event *e = (struct fan_event *)q;
    for (int i = 0; i < MERGE_LOOK; i++)
        g->recent[i] = g->recent[i] == e ? NULL : g->recent[i];
    uint8_t rec[FAN_EVENT_MAX] = {0};
    /* the pid as the reader sees it (Linux's pid_vnr: 0 if not in its namespace) */
    struct fan_meta m = {q->size, FANOTIFY_METADATA_VERSION, 0, sizeof m, e->mask, FAN_NOFD,
                         g->unpriv && e->pid != proc_tgid(c->p) ? 0 : pidns_vpid(c->p, e->pid)};
    int64_t fd = e->ino ? file_open_inode(c, e->ino, (int)g->f_flags | FMODE_NONOTIFY, false, NULL) : FAN_NOFD;
    size_t at = sizeof m + (e->fid ? fanfid_records(g, e, rec + sizeof m) : 0); /* a FID group's records first */
    if (fd < 0 && fd != FAN_NOFD) {
        if (e->perm)
            fanperm_read(g, e, -1);
        return fd;
    }
    m.fd = (int32_t)fd;
    memcpy(rec, &m, sizeof m);
    int32_t pidfd = FAN_NOPIDFD;
    if (g->flags & FAN_REPORT_PIDFD) { /* struct fanotify_event_info_pidfd */
        pidfd = event_pidfd(c->p, m.pid ? e->pid : 0);
        uint16_t len = 8;
        rec[at] = FAN_EVENT_INFO_TYPE_PIDFD;
        memcpy(rec + at + 2, &len, 2);
        memcpy(rec + at + 4, &pidfd, 4);
    }
    bool failed = mem_out(c->p, ubuf, rec, q->size) < 0;
    if (failed) {
        unopen(c->p, fd);
        unopen(c->p, pidfd);
    }
    if (e->perm)
        fanperm_read(g, e, failed ? -1 : (int)fd); /* kept for its answer, or denied */
    return failed ? -LINUX_EFAULT : 0;
}

/* The group's end: its waiters go on (fanperm.c), then its marks and queue go. */
static void release(struct file *f)
{
    fanfid_groups -= (((struct fanotify *)f->group)->flags & FID_BITS) != 0;
    fanperm_release((struct fanotify *)f->group);
    ng_release(f);
}

static const struct ng_ops fanotify_ops = {copy, fan_event_free, NULL};
static const struct file_ops fanotify_fops = {.read = ng_read, .write = fanperm_write, .poll = ng_poll,
                                              .ioctl = ng_ioctl, .stat = anon_inode_stat, .release = release,
                                              .fs = &anon_inodefs, .stream = true, .fdinfo = fan_fdinfo};

/* ---- the calls ---- */

/* fanotify_init's arguments, in Linux's order. */
static int init_check(struct sys_ctx *c, uint32_t flags, uint32_t f_flags)
{
    uint32_t fid = flags & FID_BITS, class = flags & (FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT);
    if (!cred_capable(&c->p->cred, CAP_SYS_ADMIN) &&
        ((flags & (FAN_UNLIMITED_QUEUE | FAN_UNLIMITED_MARKS | FAN_ENABLE_AUDIT | FAN_REPORT_PIDFD | class)) || !fid))
        return -LINUX_EPERM; /* an unprivileged group reports FIDs, and no more */
    if (flags & ~(uint32_t)INIT_FLAGS)
        return -LINUX_EINVAL;
    if ((flags & FAN_REPORT_PIDFD) && (flags & FAN_REPORT_TID))
        return -LINUX_EINVAL;
    if ((f_flags & ~(uint32_t)EVENT_F_BITS) || (f_flags & O_ACCMODE) == O_ACCMODE)
        return -LINUX_EINVAL;
    if (fid && class)
        return -LINUX_EINVAL; /* FIDs are a notification group's */
    if ((fid & FAN_REPORT_NAME) && !(fid & FAN_REPORT_DIR_FID))
        return -LINUX_EINVAL; /* a name is reported with its directory's FID */
    if ((fid & FAN_REPORT_TARGET_FID) && (!(fid & FAN_REPORT_NAME) || !(fid & FAN_REPORT_FID)))
        return -LINUX_EINVAL;
    if (ng_count(&fanotify_kind, c->p->cred.euid) >= MAX_GROUPS)
        return -LINUX_EMFILE;
    return class == (FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT) ? -LINUX_EINVAL : 0; /* Linux's switch, after EMFILE */
}

static int64_t sys_fanotify_init(struct sys_ctx *c, uint32_t flags, uint32_t f_flags)
{
    int r = init_check(c, flags, f_flags);
    if (r < 0)
        return r;
    struct notifygroup *ng;
    int fd = ng_open(c, &fanotify_kind, sizeof(struct fanotify), flags & FAN_UNLIMITED_QUEUE ? 0 : MAX_QUEUED,
                     &fanotify_fops, FILE_FANOTIFY, O_RDWR | (flags & FAN_NONBLOCK ? O_NONBLOCK : 0),
                     flags & FAN_CLOEXEC, &ng);
    if (ng) {
        struct fanotify *g = (struct fanotify *)ng;
        fanfid_groups += (flags & FID_BITS) != 0;
        g->flags = flags, g->f_flags = f_flags | O_LARGEFILE;
        g->unpriv = !cred_capable(&c->p->cred, CAP_SYS_ADMIN);
        fanperm_group(g, flags & (FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT));
    }
    return fd;
}

/* fanotify_mark's flags and mask, before the descriptor (Linux's order). */
static int mark_check(uint32_t flags, uint64_t *mask)
{
    uint32_t type = flags & TYPE_BITS, cmd = flags & (FAN_MARK_ADD | FAN_MARK_REMOVE | FAN_MARK_FLUSH);
    uint32_t ign = flags & (FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORE);
    if ((*mask >> 32) || (flags & ~(uint32_t)MARK_FLAGS) || type == TYPE_BITS)
        return -LINUX_EINVAL;
    if (cmd == FAN_MARK_FLUSH ? (flags & ~(uint32_t)(TYPE_BITS | FAN_MARK_FLUSH)) != 0
                              : (cmd != FAN_MARK_ADD && cmd != FAN_MARK_REMOVE) || !*mask)
        return -LINUX_EINVAL;
    if (*mask & ~(uint64_t)(PATH_EVENTS | INODE_EVENTS | FAN_FS_ERROR | EVENT_FLAGS | PERM_EVENTS))
        return -LINUX_EINVAL;
    if (ign == (FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORE))
        return -LINUX_EINVAL;
    if (ign == FAN_MARK_IGNORED_MASK)
        *mask &= ~(uint64_t)EVENT_FLAGS; /* they mean nothing in a legacy ignore mask */
    return 0;
}

/* The checks that need the group: its privilege, permission events, FID events. */
static int mark_group_check(struct sys_ctx *c, struct fanotify *g, uint32_t flags, uint64_t mask)
{
    uint32_t type = flags & TYPE_BITS, fid = g->flags & FID_BITS;
    if ((g->unpriv || !cred_capable(&c->p->cred, CAP_SYS_ADMIN)) && type != FAN_MARK_INODE)
        return -LINUX_EPERM;
    if ((mask & PERM_EVENTS) && !(g->flags & (FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT)))
        return -LINUX_EINVAL; /* a notification group's */
    if ((mask & FAN_FS_ERROR) && type != FAN_MARK_FILESYSTEM)
        return -LINUX_EINVAL;
    if ((flags & FAN_MARK_EVICTABLE) && type != FAN_MARK_INODE)
        return -LINUX_EINVAL;
    if ((mask & ~(uint64_t)(PATH_EVENTS | PERM_EVENTS | EVENT_FLAGS)) && (!fid || type == FAN_MARK_MOUNT))
        return -LINUX_EINVAL; /* events that need FID, which a mount cannot place */
    if ((mask & FAN_RENAME) && !(fid & FAN_REPORT_NAME))
        return -LINUX_EINVAL;
    return 0;
}

/* Linux's fanotify_events_supported, for an added mark: no permission
 * events on /proc (FS_DISALLOW_NOTIFY_PERM: an open there may wait on
 * what the listener holds), no mount or file system mark of a pseudo
 * file system (every pipe of the machine), and with the v5.17 APIs
 * (FAN_MARK_IGNORE, FAN_RENAME, FAN_REPORT_TARGET_FID) no directory
 * events or flags on a file's mark. */
static int events_supported(struct fanotify *g, struct inode *ino, uint32_t flags, uint64_t mask)
{
    uint32_t type = flags & TYPE_BITS;
    bool strict = (g->flags & FAN_REPORT_TARGET_FID) || (mask & FAN_RENAME) || (flags & FAN_MARK_IGNORE);
    if ((mask & PERM_EVENTS) && ino->fs->magic == PROC_SUPER_MAGIC)
        return -LINUX_EINVAL;
    if (type != FAN_MARK_INODE && ino->fs == &anon_inodefs)
        return -LINUX_EINVAL;
    if (strict && type == FAN_MARK_INODE && (ino->mode & S_IFMT) != S_IFDIR &&
        (mask & (DIRENT_EVENTS | EVENT_FLAGS)))
        return -LINUX_ENOTDIR;
    return 0;
}

/* Whether a FID group may mark ino: Linux's fanotify_test_fsid, ENODEV
 * for a file system whose statfs has no f_fsid (/proc's; ext2's is its
 * uuid's, tmpfs's its device number's), EXDEV for an object whose fsid is
 * not its file system root's (btrfs's subvolumes: none here), then
 * fanotify_test_fid's EOPNOTSUPP for one that makes no file handles. */
static int fid_check(struct inode *ino, int32_t fsid[2])
{
    struct linux_statfs s = {0};
    fs_statfs(ino->fs, &s);
    if (!s.fsid[0] && !s.fsid[1])
        return -LINUX_ENODEV;
    fsid[0] = s.fsid[0], fsid[1] = s.fsid[1];
    return handle_exportable(ino) ? 0 : -LINUX_EOPNOTSUPP;
}

static void flush(struct fanotify *g, uint32_t type)
{
    FOR_MARKS(k, next)
        if (k->k.g == &g->g && k->type == type)
            fan_drop_mark(k);
}

/* Whether mark k may take flags' change (Linux's
 * fanotify_may_update_existing_mark): EEXIST to make it evictable, to
 * go back to the legacy ignore mask, or to drop SURV_MODIFY. */
static int may_update(const struct fan_mark *k, uint32_t flags)
{
    if (((flags & FAN_MARK_EVICTABLE) && !k->evictable) || ((flags & FAN_MARK_IGNORED_MASK) && k->ignore_flags) ||
        ((flags & FAN_MARK_IGNORE) && !(flags & FAN_MARK_IGNORED_SURV_MODIFY) && k->surv))
        return -LINUX_EEXIST;
    return 0;
}

static int mark_change(struct fanotify *g, uint32_t flags, uint32_t mask, const void *obj, int mount_id,
                       uint32_t umask, const int32_t fsid[2])
{
    uint32_t type = flags & TYPE_BITS;
    umask |= flags & FAN_MARK_IGNORED_MASK ? EVENT_FLAGS : 0;
    bool ign = flags & (FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORE);
    struct fan_mark *k = (struct fan_mark *)fanotify_kind.marks;
    while (k && !(k->k.g == &g->g && k->type == type && k->k.obj == obj && k->mount_id == mount_id))
        k = (struct fan_mark *)k->k.next;
    if (flags & FAN_MARK_REMOVE) {
        if (!k)
            return -LINUX_ENOENT;
        *(ign ? &k->ignore : &k->k.mask) &= ~mask;
        if (!((k->k.mask | k->ignore) & ~umask))
            fan_drop_mark(k);
        return 0;
    }
    int r = k ? may_update(k, flags) : 0;
    if (r < 0)
        return r;
    if (!k) {
        if (g->g.marks >= MAX_MARKS && !(g->flags & FAN_UNLIMITED_MARKS))
            return -LINUX_ENOSPC;
        if (!(k = calloc(1, sizeof *k)))
            return -LINUX_ENOMEM;
        *k = (struct fan_mark){.k = {.g = &g->g, .obj = obj}, .type = type, .mount_id = mount_id,
                               .fsid = {fsid[0], fsid[1]}};
        ng_mark_add(&k->k);
    }
    *(ign ? &k->ignore : &k->k.mask) |= mask;
    k->surv |= ign && (flags & FAN_MARK_IGNORED_SURV_MODIFY);
    k->ignore_flags |= (flags & FAN_MARK_IGNORE) != 0;
    k->evictable = (flags & FAN_MARK_EVICTABLE) != 0; /* an add without it pins the mark */
    return 0;
}

static int64_t sys_fanotify_mark(struct sys_ctx *c, int fd, uint32_t flags, uint64_t mask, int dfd, uint64_t upath)
{
    int r = mark_check(flags, &mask);
    if (r < 0)
        return r;
    struct file *f = fd_file(c->p, (uint64_t)(int64_t)fd);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != FILE_FANOTIFY)
        return -LINUX_EINVAL;
    struct fanotify *g = (struct fanotify *)f->group;
    uint32_t type = flags & TYPE_BITS;
    if ((r = mark_group_check(c, g, flags, mask)) < 0)
        return r;
    if (flags & FAN_MARK_FLUSH) {
        flush(g, type);
        return 0;
    }
    struct inode *ino;
    if ((r = path_target(c, dfd, upath, flags & FAN_MARK_DONT_FOLLOW ? AT_SYMLINK_NOFOLLOW : 0, &ino)) < 0)
        return r;
    if ((flags & FAN_MARK_ONLYDIR) && (ino->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    if ((r = fs_permission(ino, MAY_READ)) < 0)
        return r;
    bool add = flags & FAN_MARK_ADD, isdir = (ino->mode & S_IFMT) == S_IFDIR;
    if (add && (r = events_supported(g, ino, flags, mask)) < 0)
        return r;
    int32_t fsid[2] = {0, 0};
    if ((g->flags & FID_BITS) && (r = fid_check(ino, fsid)) < 0)
        return r;
    if (add && (flags & FAN_MARK_IGNORE) && (type != FAN_MARK_INODE || isdir) &&
        !(flags & FAN_MARK_IGNORED_SURV_MODIFY))
        return type != FAN_MARK_INODE ? -LINUX_EINVAL : -LINUX_EISDIR; /* a modification may not clear it */
    uint32_t umask = 0;
    if (type != FAN_MARK_INODE || !isdir) {
        mask &= ~(uint64_t)FAN_EVENT_ON_CHILD;
        umask = FAN_EVENT_ON_CHILD; /* not the caller's to remove */
        if ((g->flags & FAN_REPORT_DIR_FID) && add && !(flags & (FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORE)))
            mask |= FAN_EVENT_ON_CHILD; /* events on a file come with its directory and name */
    }
    struct mount *m = type == FAN_MARK_MOUNT ? fs_mount_of(ino) : NULL;
    if (type == FAN_MARK_MOUNT && !m)
        return -LINUX_EINVAL;
    const void *obj = type == FAN_MARK_INODE ? (const void *)ino : type == FAN_MARK_FILESYSTEM ? ino->fs : NULL;
    r = mark_change(g, flags, (uint32_t)mask, obj, m ? m->id : 0, umask, fsid);
    ng_wake();
    return r;
}
