/*
 * personalities/linux/inotify.c - inotify: an instance is a file
 * (anon_inode:inotify) holding watches and a queue of events.  A watch
 * is an inode (a directory or any file) with a mask and a descriptor
 * (1, 2, ... per instance, never reused, as Linux's cyclic ones); one
 * instance has one watch per inode, which a second inotify_add_watch
 * changes (IN_MASK_ADD: adds to).  The VFS operations report their events
 * through fsnotify.h's hooks: an event on a file goes to its own watches
 * and to those of a directory holding it, with its name; an event about
 * a directory's entry (create, delete, the two halves of a rename) to the
 * directory's.  The queue merges an event identical to its last, and
 * past max_queued_events takes one IN_Q_OVERFLOW.  A read takes whole
 * events; one that waits is wait.c's WAIT_READ.
 *
 * An open file unlinked from a watched directory leaves a ghost there,
 * so that its events still reach that watch while it has no
 * IN_EXCL_UNLINK, as Linux's dentry keeps its parent.  /proc's entries
 * come and go without events, as Linux's do.
 *
 * Entry points: fsnotify.h (the hooks), its limits (sysctl.c, fs/inotify), and the
 * calls' handlers (syscalls.def).  Layer: a file type, above the file
 * system.  Book: docs/linux.md, "inotify".
 */
#include "sysctl.h"
#include "fsnotify.h"
#include "notifygroup.h"
#include "proc.h"
#include "userns.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/inotify.h" /* generated: the handlers' prototypes, entries */

#define USER_FLAGS (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK)
#define ALL_BITS (IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR | IN_DONT_FOLLOW | \
                  IN_EXCL_UNLINK | IN_MASK_ADD | IN_MASK_CREATE | IN_ISDIR | IN_ONESHOT)

/* struct inotify_event (linux/inotify.h), its name (len bytes, NUL
 * padded) after it. */
struct inotify_event_k {
    int32_t wd;
    uint32_t mask, cookie, len;
};
_Static_assert(sizeof(struct inotify_event_k) == 16, "struct inotify_event");

/* A watch: its mark's obj is the inode (inotify_gone drops the watch
 * before the inode is freed). */
struct watch {
    struct ng_mark k;
    int wd;
};

struct event {
    struct ng_event q;
    struct inotify_event_k h; /* h.len: the name's bytes, NUL padded to 16 */
    char name[];
};

struct inotify {
    struct notifygroup g;
    int next_wd;
};

/* An open file unlinked from a watched directory: its events still go to
 * that directory's watch, under its old name, while the watch has no
 * IN_EXCL_UNLINK (Linux's dentry keeps its parent), until the file or the
 * watch goes. */
struct ghost {
    struct watch *w;
    const struct inode *ino;
    struct ghost *next;
    char name[];
};

static const struct ng_ops inotify_ops;
static struct ng_kind inotify_kind = {&inotify_ops, NULL, NULL, NULL};
static struct ghost *ghosts;
static uint32_t cookies;

/* Every watch, in the order made. */
#define FOR_WATCHES(w, next)                                                                                   \
    for (struct watch *w = (struct watch *)inotify_kind.marks, *next; w && (next = (struct watch *)w->k.next, 1); \
         w = next)
static struct inode *watched(const struct watch *w) { return (struct inode *)w->k.obj; }

bool inotify_watches(const struct inode *ino)
{
    FOR_WATCHES(w, next)
        if (watched(w) == ino)
            return true;
    return false;
}

uint32_t inotify_cookie(void) { return ++cookies ? cookies : ++cookies; }


static void enqueue(struct notifygroup *g, int wd, uint32_t mask, uint32_t cookie, const char *name)
{
    size_t n = name ? strlen(name) : 0, len = name ? (n + 16) & ~(size_t)15 : 0;
    struct event *t = (struct event *)g->tail;
    int room = ng_room(g);
    if (room == NG_FULL)
        return;
    if (room == NG_OVERFLOW)
        wd = -1, mask = IN_Q_OVERFLOW, cookie = 0, len = 0;
    else if (t && !(t->h.mask & IN_IGNORED) && t->h.mask == mask && t->h.wd == wd && t->h.len == len &&
             (!len || strcmp(t->name, name) == 0))
        return; /* the same as the last: merged, as Linux's */
    struct event *e = calloc(1, sizeof *e + len);
    if (!e)
        return;
    e->q = (struct ng_event){.size = (uint32_t)(sizeof e->h + len), .overflow = room == NG_OVERFLOW};
    e->h = (struct inotify_event_k){wd, mask, cookie, (uint32_t)len};
    if (len)
        memcpy(e->name, name, n);
    ng_queue(g, &e->q);
}

/* The ghosts of watch w (or of inode ino) go. */
static void drop_ghosts(const struct watch *w, const struct inode *ino)
{
    for (struct ghost **pg = &ghosts, *g; (g = *pg);)
        if (g->w == w || g->ino == ino) {
            *pg = g->next;
            free(g);
        } else {
            pg = &g->next;
        }
}

static void unmark(struct ng_mark *k) { drop_ghosts((struct watch *)k, NULL); }

/* Watch w goes, with an IN_IGNORED. */
static void drop_watch(struct watch *w)
{
    unmark(&w->k);
    ng_mark_unlink(&w->k);
    enqueue(w->k.g, w->wd, IN_IGNORED, 0, NULL);
    free(w);
}

/* One event to watch w, if it asks for it; a one-shot watch then goes. */
static void deliver(struct watch *w, uint32_t mask, uint32_t cookie, const char *name)
{
    if (!(w->k.mask & mask & IN_ALL_EVENTS))
        return;
    enqueue(w->k.g, w->wd, mask, cookie, name);
    if (w->k.mask & IN_ONESHOT)
        drop_watch(w);
}

static uint32_t isdir(const struct inode *i) { return (i->mode & S_IFMT) == S_IFDIR ? IN_ISDIR : 0; }
static bool on_proc(const struct inode *i) { return i->fs->magic == PROC_SUPER_MAGIC; }

void inotify_self(struct inode *ino, uint32_t mask)
{
    if (!(mask & (IN_MOVE_SELF | IN_DELETE_SELF))) /* Linux never gave those IN_ISDIR */
        mask |= isdir(ino);
    FOR_WATCHES(w, next)
        if (watched(w) == ino)
            deliver(w, mask, 0, NULL);
    ng_wake();
}

void inotify_inode(struct inode *ino, uint32_t mask)
{
    /* a watched directory holding it first, with its name (Linux's order) */
    FOR_WATCHES(w, next) {
        if (watched(w) == ino || !(w->k.mask & mask) || (watched(w)->mode & S_IFMT) != S_IFDIR)
            continue;
        for (struct dirent_node *d = watched(w)->children; d; d = d->next)
            if (d->inode == ino && !d->hidden) {
                deliver(w, mask | isdir(ino), 0, d->name);
                break;
            }
    }
    for (struct ghost *g = ghosts; g; g = g->next)
        if (g->ino == ino && (g->w->k.mask & mask) && !(g->w->k.mask & IN_EXCL_UNLINK)) {
            bool last = g->w->k.mask & IN_ONESHOT; /* deliver drops the watch, and its ghosts */
            deliver(g->w, mask, 0, g->name);
            if (last)
                break;
        }
    inotify_self(ino, mask);
    ng_wake();
}

void inotify_dirent(struct inode *dir, const char *name, const struct inode *child, uint32_t mask, uint32_t cookie)
{
    if (on_proc(dir))
        return;
    FOR_WATCHES(w, next) {
        if (watched(w) != dir)
            continue;
        if ((mask & IN_DELETE) && child->refs && !isdir(child)) {
            struct ghost *g = malloc(sizeof *g + strlen(name) + 1);
            if (g) {
                *g = (struct ghost){w, child, ghosts};
                strcpy(g->name, name);
                ghosts = g;
            }
        }
        deliver(w, mask | isdir(child), cookie, name);
    }
    ng_wake();
}

void inotify_gone(struct inode *ino)
{
    if (!on_proc(ino))
        inotify_self(ino, IN_DELETE_SELF);
    drop_ghosts(NULL, ino);
    FOR_WATCHES(w, next)
        if (watched(w) == ino)
            drop_watch(w);
    ng_wake();
}

void inotify_unmount(const struct fs *fs)
{
    FOR_WATCHES(w, next)
        if (watched(w)->fs == fs) {
            enqueue(w->k.g, w->wd, IN_UNMOUNT | isdir(watched(w)), 0, NULL);
            drop_watch(w);
        }
    ng_wake();
}

/* ---- the instance's file ---- */

/* The instance descriptor fd is; NULL and *err (EBADF, EINVAL) if none. */
static struct inotify *instance(struct sys_ctx *c, int fd, int64_t *err)
{
    struct file *f = fd_file(c->p, (uint64_t)(int64_t)fd);
    *err = f ? -LINUX_EINVAL : -LINUX_EBADF;
    return f && f->kind == FILE_INOTIFY ? (struct inotify *)f->group : NULL;
}

static int64_t copy(struct sys_ctx *c, struct notifygroup *g, struct ng_event *q, uint64_t ubuf)
{
    (void)g;
    struct event *e = (struct event *)q;
    bool fault = mem_out(c->p, ubuf, &e->h, sizeof e->h) < 0 ||
                 (e->h.len && mem_out(c->p, ubuf + sizeof e->h, e->name, e->h.len) < 0);
    return fault ? -LINUX_EFAULT : 0;
}

static void event_free(struct ng_event *q) { free(q); }

static const struct ng_ops inotify_ops = {copy, event_free, unmark};
/* Linux's inotify_show_fdinfo: a line per watch, with the watched
 * inode's file handle; newest first, as Linux's group keeps its marks. */
static void watch_fdinfo(const struct watch *w, void (*put)(const char *fmt, ...))
{
    const struct inode *ino = watched(w);
    struct linux_stat st;
    stat_inode(ino, &st);
    put("inotify wd:%x ino:%lx sdev:%x mask:%x ignored_mask:0 ", w->wd, (unsigned long)ino->ino, stat_kdev(&st),
        w->k.mask);
    handle_fdinfo(ino, put);
    put("\n");
}

static void inotify_fdinfo(const struct file *f, void (*put)(const char *fmt, ...))
{
    int n = f->group->marks, i = n;
    const struct watch **mine = calloc((size_t)n + 1, sizeof *mine);
    FOR_WATCHES(w, next)
        if (w->k.g == f->group && !mine)
            watch_fdinfo(w, put); /* no memory to turn them round: in the order made */
        else if (w->k.g == f->group && i > 0)
            mine[--i] = w;
    for (i = 0; mine && i < n; i++)
        if (mine[i])
            watch_fdinfo(mine[i], put);
    free(mine);
}

static const struct file_ops inotify_fops = {.read = ng_read, .poll = ng_poll, .ioctl = ng_ioctl,
                                             .stat = anon_inode_stat, .release = ng_release,
                                             .fs = &anon_inodefs, .stream = true, .fdinfo = inotify_fdinfo};

/* ---- the calls ---- */

static int64_t sys_inotify_init1(struct sys_ctx *c, int flags)
{
    if (flags & ~(O_NONBLOCK | O_CLOEXEC)) /* IN_NONBLOCK, IN_CLOEXEC */
        return -LINUX_EINVAL;
    if (ng_count(&inotify_kind, c->p->cred.euid) >= userns_notify_max(c->p->cred.userns, USERNS_INOTIFY_INSTANCES))
        return -LINUX_EMFILE;
    struct notifygroup *g;
    int fd = ng_open(c, &inotify_kind, sizeof(struct inotify), sysctl_inotify_queued, &inotify_fops, FILE_INOTIFY,
                     O_RDONLY | (flags & O_NONBLOCK), (flags & O_CLOEXEC) != 0, &g);
    if (g)
        ((struct inotify *)g)->next_wd = 1;
    return fd;
}

static int64_t sys_inotify_init(struct sys_ctx *c) { return sys_inotify_init1(c, 0); }

static int64_t sys_inotify_add_watch(struct sys_ctx *c, int fd, uint64_t upath, uint64_t umask)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir, *ino;
    uint32_t mask = (uint32_t)umask; /* Linux's u32 */
    /* Linux's order: the mask, the descriptor, the path, the permission */
    if (((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE)) || !(mask & ALL_BITS) || (mask & ~ALL_BITS))
        return -LINUX_EINVAL;
    int64_t err;
    struct inotify *in = instance(c, fd, &err);
    if (!in)
        return err;
    int r = path_arg(c, AT_FDCWD, upath, path, &dir);
    if (r == 0)
        r = fs_lookup(dir, path, !(mask & IN_DONT_FOLLOW), &ino);
    if (r == 0 && (mask & IN_ONLYDIR) && (ino->mode & S_IFMT) != S_IFDIR)
        r = -LINUX_ENOTDIR;
    if (r == 0)
        r = fs_permission(ino, MAY_READ);
    if (r < 0)
        return r;
    FOR_WATCHES(w, next)
        if (w->k.g == &in->g && watched(w) == ino) {
            if (mask & IN_MASK_CREATE)
                return -LINUX_EEXIST;
            w->k.mask = (mask & USER_FLAGS) | ((mask & IN_MASK_ADD) ? w->k.mask : 0);
            return w->wd;
        }
    int mine = 0;
    for (struct notifygroup *g = inotify_kind.groups; g; g = g->next)
        mine += g->uid == in->g.uid ? g->marks : 0;
    if (mine >= userns_notify_max(proc_charged ? proc_charged->cred.userns : NULL, USERNS_INOTIFY_WATCHES))
        return -LINUX_ENOSPC;
    struct watch *w = calloc(1, sizeof *w);
    if (!w)
        return -LINUX_ENOMEM;
    *w = (struct watch){{&in->g, ino, mask & USER_FLAGS, NULL}, in->next_wd++};
    ng_mark_add(&w->k);
    return w->wd;
}

static int64_t sys_inotify_rm_watch(struct sys_ctx *c, int fd, int wd)
{
    int64_t err;
    struct inotify *in = instance(c, fd, &err);
    if (!in)
        return err;
    FOR_WATCHES(w, next)
        if (w->k.g == &in->g && w->wd == wd) {
            drop_watch(w);
            ng_wake();
            return 0;
        }
    return -LINUX_EINVAL;
}
