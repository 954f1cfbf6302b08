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
 * Entry points: fsnotify.h (the hooks), inotify_sysctl (procfs), and the
 * calls' handlers (syscalls.def).  Layer: a file type, above the file
 * system.  Book: docs/linux.md, "inotify".
 */
#include "fsnotify.h"
#include "proc.h"
#include "wait.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/inotify.h" /* generated: the handlers' prototypes, entries */

#define MAX_QUEUED 16384  /* Linux's max_queued_events */
#define MAX_INSTANCES 128 /* max_user_instances */
#define MAX_WATCHES 8192  /* max_user_watches: Linux's least, what its memory rule gives a small machine */
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

struct watch {
    struct inotify *in;
    struct inode *ino;   /* not a reference: inotify_gone drops the watch before the inode is freed */
    int wd;
    uint32_t mask;
    struct watch *next;  /* every watch, in the order made */
};

struct event {
    struct event *next;
    struct inotify_event_k h; /* h.len: the name's bytes, NUL padded to 16 */
    char name[];
};

struct inotify {
    struct event *head, *tail;
    int queued;             /* events, an IN_Q_OVERFLOW included */
    uint64_t bytes;         /* what FIONREAD says */
    bool overflowed;        /* the IN_Q_OVERFLOW is queued */
    int next_wd, watches;
    uint32_t uid;           /* whose: the limits are per user */
    struct inotify *next;   /* every instance */
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

int fsnotify_watches;
static struct watch *watches;
static struct ghost *ghosts;
static struct inotify *instances;
static uint32_t cookies;
static bool woken; /* an instance's queue was empty and has an event now */

uint32_t inotify_cookie(void) { return ++cookies ? cookies : ++cookies; }

/* /proc/sys/fs/inotify's values. */
void inotify_sysctl(int *queued, int *instances_max, int *watches_max)
{
    *queued = MAX_QUEUED, *instances_max = MAX_INSTANCES, *watches_max = MAX_WATCHES;
}

static void enqueue(struct inotify *in, int wd, uint32_t mask, uint32_t cookie, const char *name)
{
    size_t n = name ? strlen(name) : 0, len = name ? (n + 16) & ~(size_t)15 : 0;
    struct event *t = in->tail;
    if (in->queued >= MAX_QUEUED) {
        if (in->overflowed)
            return;
        wd = -1, mask = IN_Q_OVERFLOW, cookie = 0, len = 0;
        in->overflowed = true;
    } else if (t && !(t->h.mask & IN_IGNORED) && t->h.mask == mask && t->h.wd == wd && t->h.len == len &&
               (!len || strcmp(t->name, name) == 0)) {
        return; /* the same as the last: merged, as Linux's */
    }
    struct event *e = calloc(1, sizeof *e + len);
    if (!e)
        return;
    e->h = (struct inotify_event_k){wd, mask, cookie, (uint32_t)len};
    if (len)
        memcpy(e->name, name, n);
    if (t)
        t->next = e;
    else
        in->head = e;
    in->tail = e;
    in->queued++;
    in->bytes += sizeof e->h + len;
    woken |= in->head == e;
}

/* The end of a hook: if an instance became readable, a waiting read, poll
 * or epoll looks again; not sooner, since the reply it may send could
 * close files while the watches are being walked. */
static void wake(void)
{
    if (woken) {
        woken = false;
        poll_recheck();
    }
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

static void drop_watch(struct watch *w, bool ignored)
{
    drop_ghosts(w, NULL);
    for (struct watch **pw = &watches; *pw; pw = &(*pw)->next)
        if (*pw == w) {
            *pw = w->next;
            break;
        }
    if (ignored)
        enqueue(w->in, w->wd, IN_IGNORED, 0, NULL);
    w->in->watches--;
    fsnotify_watches--;
    free(w);
}

/* One event to watch w, if it asks for it; a one-shot watch then goes. */
static void deliver(struct watch *w, uint32_t mask, uint32_t cookie, const char *name)
{
    if (!(w->mask & mask & IN_ALL_EVENTS))
        return;
    enqueue(w->in, w->wd, mask, cookie, name);
    if (w->mask & IN_ONESHOT)
        drop_watch(w, true);
}

static uint32_t isdir(const struct inode *i) { return (i->mode & S_IFMT) == S_IFDIR ? IN_ISDIR : 0; }
static bool on_proc(const struct inode *i) { return i->fs->magic == PROC_SUPER_MAGIC; }

void inotify_self(struct inode *ino, uint32_t mask)
{
    if (!(mask & (IN_MOVE_SELF | IN_DELETE_SELF))) /* Linux never gave those IN_ISDIR */
        mask |= isdir(ino);
    for (struct watch *w = watches, *next; w; w = next) {
        next = w->next;
        if (w->ino == ino)
            deliver(w, mask, 0, NULL);
    }
    wake();
}

void inotify_inode(struct inode *ino, uint32_t mask)
{
    /* a watched directory holding it first, with its name (Linux's order) */
    for (struct watch *w = watches, *next; w; w = next) {
        next = w->next;
        if (w->ino == ino || !(w->mask & mask) || (w->ino->mode & S_IFMT) != S_IFDIR)
            continue;
        for (struct dirent_node *d = w->ino->children; d; d = d->next)
            if (d->inode == ino && !d->hidden) {
                deliver(w, mask | isdir(ino), 0, d->name);
                break;
            }
    }
    for (struct ghost *g = ghosts; g; g = g->next)
        if (g->ino == ino && (g->w->mask & mask) && !(g->w->mask & IN_EXCL_UNLINK)) {
            bool last = g->w->mask & IN_ONESHOT; /* deliver drops the watch, and its ghosts */
            deliver(g->w, mask, 0, g->name);
            if (last)
                break;
        }
    inotify_self(ino, mask);
    wake();
}

void inotify_dirent(struct inode *dir, const char *name, const struct inode *child, uint32_t mask, uint32_t cookie)
{
    if (on_proc(dir))
        return;
    for (struct watch *w = watches, *next; w; w = next) {
        next = w->next;
        if (w->ino != dir)
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
    wake();
}

void inotify_gone(struct inode *ino)
{
    if (!on_proc(ino))
        inotify_self(ino, IN_DELETE_SELF);
    drop_ghosts(NULL, ino);
    for (struct watch *w = watches, *next; w; w = next) {
        next = w->next;
        if (w->ino == ino)
            drop_watch(w, true);
    }
    wake();
}

/* ---- the instance's file ---- */

/* The instance descriptor fd is; NULL and *err (EBADF, EINVAL) if none. */
static struct inotify *instance(struct sys_ctx *c, int fd, int64_t *err)
{
    struct file *f = fd_file(c->p, (uint64_t)(int64_t)fd);
    *err = f ? -LINUX_EINVAL : -LINUX_EBADF;
    return f && f->kind == FILE_INOTIFY ? f->inotify : NULL;
}

static int64_t in_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    struct inotify *in = f->inotify;
    uint64_t done = 0;
    while (in->head) {
        struct event *e = in->head;
        uint64_t size = sizeof e->h + e->h.len;
        if (size > len - done) {
            if (done)
                break;
            return -LINUX_EINVAL; /* not even the first fits */
        }
        /* taken off the queue either way: as Linux's, one that cannot be
         * copied is lost, and the read is EFAULT whatever went before */
        bool fault = mem_out(c->p, ubuf + done, &e->h, sizeof e->h) < 0 ||
                     (e->h.len && mem_out(c->p, ubuf + done + sizeof e->h, e->name, e->h.len) < 0);
        done += size;
        in->head = e->next;
        if (!in->head)
            in->tail = NULL;
        in->queued--;
        in->bytes -= size;
        if (e->h.mask & IN_Q_OVERFLOW)
            in->overflowed = false;
        free(e);
        if (fault)
            return -LINUX_EFAULT;
    }
    if (done)
        return (int64_t)done;
    if (f->flags & O_NONBLOCK)
        return -LINUX_EAGAIN;
    wait_read(c, f, ubuf, len);
    return 0;
}

static int in_poll(struct file *f) { return f->inotify->head ? POLLIN | POLLRDNORM : 0; }

static int64_t in_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    if (req != FIONREAD)
        return -LINUX_ENOTTY;
    int32_t n = (int32_t)f->inotify->bytes;
    return mem_out(c->p, arg, &n, sizeof n) < 0 ? -LINUX_EFAULT : 0;
}

static void in_release(struct file *f)
{
    struct inotify *in = f->inotify;
    for (struct watch *w = watches, *next; w; w = next) {
        next = w->next;
        if (w->in == in)
            drop_watch(w, false);
    }
    while (in->head) {
        struct event *e = in->head;
        in->head = e->next;
        free(e);
    }
    for (struct inotify **pi = &instances; *pi; pi = &(*pi)->next)
        if (*pi == in) {
            *pi = in->next;
            break;
        }
    free(in);
}

static const struct file_ops inotify_fops = {.read = in_read, .poll = in_poll, .ioctl = in_ioctl,
                                             .stat = anon_inode_stat, .release = in_release,
                                             .fs = &anon_inodefs, .stream = true};

/* ---- the calls ---- */

static int64_t sys_inotify_init1(struct sys_ctx *c, int flags)
{
    if (flags & ~(O_NONBLOCK | O_CLOEXEC)) /* IN_NONBLOCK, IN_CLOEXEC */
        return -LINUX_EINVAL;
    int n = 0;
    for (struct inotify *i = instances; i; i = i->next)
        n += i->uid == c->p->cred.euid;
    if (n >= MAX_INSTANCES)
        return -LINUX_EMFILE;
    struct file *f = calloc(1, sizeof *f);
    struct inotify *in = calloc(1, sizeof *in);
    if (!f || !in) {
        free(f);
        free(in);
        return -LINUX_ENOMEM;
    }
    *in = (struct inotify){.next_wd = 1, .uid = c->p->cred.euid, .next = instances};
    instances = in;
    *f = (struct file){.ops = &inotify_fops, .kind = FILE_INOTIFY, .flags = O_RDONLY | (flags & O_NONBLOCK),
                       .refs = 1, .inotify = in};
    int fd = fd_alloc(c->p, 0, f, (flags & O_CLOEXEC) != 0);
    if (fd < 0)
        file_put(f);
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
    for (struct watch *w = watches; w; w = w->next)
        if (w->in == in && w->ino == ino) {
            if (mask & IN_MASK_CREATE)
                return -LINUX_EEXIST;
            w->mask = (mask & USER_FLAGS) | ((mask & IN_MASK_ADD) ? w->mask : 0);
            return w->wd;
        }
    int mine = 0;
    for (struct inotify *i = instances; i; i = i->next)
        mine += i->uid == in->uid ? i->watches : 0;
    if (mine >= MAX_WATCHES)
        return -LINUX_ENOSPC;
    struct watch *w = calloc(1, sizeof *w), **tail = &watches;
    if (!w)
        return -LINUX_ENOMEM;
    *w = (struct watch){in, ino, in->next_wd++, mask & USER_FLAGS, NULL};
    while (*tail)
        tail = &(*tail)->next;
    *tail = w;
    in->watches++;
    fsnotify_watches++;
    return w->wd;
}

static int64_t sys_inotify_rm_watch(struct sys_ctx *c, int fd, int wd)
{
    int64_t err;
    struct inotify *in = instance(c, fd, &err);
    if (!in)
        return err;
    for (struct watch *w = watches; w; w = w->next)
        if (w->in == in && w->wd == wd) {
            drop_watch(w, true);
            wake();
            return 0;
        }
    return -LINUX_EINVAL;
}
