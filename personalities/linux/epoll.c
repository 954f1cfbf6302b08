/*
 * personalities/linux/epoll.c - epoll: an instance is a file (anon_inode
 * [eventpoll]) holding an interest list of (descriptor, open file) pairs,
 * each with the events asked for and a word of user data.  Readiness is
 * the files' own poll operations, as poll(2) sees them, looked at again
 * whenever something changes (poll_recheck); so level-triggered entries
 * report what is ready now.  An edge-triggered one (EPOLLET) reports a
 * ready bit once, and again after it has dropped and come back, as seen
 * at any change (epoll_notice: a pipe read empty, then written), or at
 * each arrival, as Linux's wakeups report it (epoll_arrival: more data
 * in a pipe or socket that still has some, a write to an eventfd, room
 * made by a read); a one-shot one (EPOLLONESHOT) is
 * off after one report until EPOLL_CTL_MOD.  Instances nest as Linux
 * 6.1's do: a loop, or a chain more than 6 deep below the instance
 * added, is ELOOP; an add that would leave a file waking instances
 * through more than 5 levels, or through too many paths, is EINVAL.
 * An entry goes when its open
 * file is closed for good (epoll_forget), not when one descriptor of it
 * is.  Entries reported go behind the others, as Linux puts them back
 * at the tail of its ready list, so that ready entries beyond maxevents
 * each have their turn.  An EPOLLEXCLUSIVE entry on a file with arrivals
 * reports once an arrival chose it: the first ones added, up to one whose
 * instance has a waiter.  A user's entries in all the instances it made
 * are bounded by /proc/sys/fs/epoll/max_user_watches (ENOSPC past it).
 * Waiting (epoll_wait, epoll_pwait, epoll_pwait2) is wait.c's.
 *
 * Entry points: epoll.h, and the calls' handlers (syscalls.def).  Layer:
 * a file type.  Book: docs/linux.md, "Waiting".
 */
#include "epoll.h"
#include "fasync.h"
#include "proc.h"
#include "sysctl.h"
#include "wait.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/epoll.h" /* generated: the handlers' prototypes, entries */

#define MAX_NESTS 4 /* Linux's EPOLL_MAX_NESTS */
#define EVENT_BITS 0xffffu

struct epoll_entry {
    int fd;
    struct file *file;   /* not a reference: epoll_forget drops the entry */
    uint32_t events;     /* asked for, with EPOLLET, EPOLLONESHOT */
    uint64_t data;
    uint32_t seen;       /* EPOLLET: bits reported and not dropped since */
    bool off;            /* EPOLLONESHOT: reported; off until EPOLL_CTL_MOD */
    bool reported;       /* by the epoll_collect under way, for rotate */
    bool queued;         /* EPOLLEXCLUSIVE: woken (an arrival chose it), until reported or not ready */
    uint64_t seq;        /* the order of adds: exclusive entries are woken in it */
};

struct epoll {
    struct epoll_entry *e;
    int n, cap;
    struct file *self;  /* the instance's file (not a reference) */
    uint32_t uid;       /* its maker's user, charged with its entries (Linux's ep->user) */
    struct epoll *next; /* every instance, for epoll_forget */
};

static struct epoll *instances;
static uint64_t next_seq;
static int excl_entries; /* EPOLLEXCLUSIVE entries there are: epoll_arrival has work */
int epoll_live;
int epoll_edge_entries; /* EPOLLET entries there are: epoll_notice has work */

static const struct file_ops epoll_fops;

static struct epoll *epoll_of(struct file *f) { return f && f->ops == &epoll_fops ? f->epoll : NULL; }

struct file *epoll_target(struct file *f, int tfd, uint64_t toff, int *err)
{
    struct epoll *ep = epoll_of(f);
    *err = ep ? -LINUX_ENOENT : -LINUX_EINVAL;
    for (int i = 0; ep && i < ep->n; i++)
        if (ep->e[i].fd == tfd && toff-- == 0)
            return ep->e[i].file;
    return NULL;
}

static uint32_t file_mask(struct file *f) { return (uint32_t)(f->ops->poll ? f->ops->poll(f) : POLLIN | POLLOUT); }

/* An EPOLLEXCLUSIVE entry on a file whose arrivals come (a pipe, a
 * stream socket, an eventfd: epoll_arrival) reports only once an arrival
 * chose it; on others it is woken as any entry is. */
static bool exclusive(const struct epoll_entry *e)
{
    return (e->events & EPOLLEXCLUSIVE) && (e->file->pipe || e->file->peer || e->file->counter);
}

/* What entry e reports when its file's poll is mask (0: nothing), as
 * asked for plus errors and hang-ups; an edge-triggered entry only bits
 * that are new. */
static uint32_t entry_ready(const struct epoll_entry *e, uint32_t mask)
{
    if (e->off || (exclusive(e) && !e->queued && !(mask & (POLLERR | POLLHUP))))
        return 0;
    uint32_t m = mask & ((e->events & EVENT_BITS) | POLLERR | POLLHUP);
    return (e->events & EPOLLET) && !(m & ~e->seen) ? 0 : m;
}

bool epoll_has_ready(struct file *f)
{
    struct epoll *ep = epoll_of(f);
    for (int i = 0; ep && i < ep->n; i++)
        if (!ep->e[i].off && entry_ready(&ep->e[i], file_mask(ep->e[i].file)))
            return true;
    return false;
}

/* The entries just reported moved, in their order, behind the others:
 * Linux puts a reported entry back at the tail of its ready list, so
 * that more ready entries than maxevents are each reported in turn. */
static void rotate(struct epoll *ep, int n)
{
    struct epoll_entry *moved = malloc((size_t)n * sizeof *moved);
    int kept = 0, nmoved = 0;
    for (int i = 0; i < ep->n; i++) {
        bool r = ep->e[i].reported;
        ep->e[i].reported = false;
        if (r && moved)
            moved[nmoved++] = ep->e[i];
        else
            ep->e[kept++] = ep->e[i];
    }
    if (moved)
        memcpy(ep->e + kept, moved, (size_t)nmoved * sizeof *moved);
    free(moved);
}

int epoll_collect(struct file *f, struct proc *p, uint64_t uevents, int max)
{
    struct epoll *ep = epoll_of(f);
    int n = 0;
    for (int i = 0; ep && i < ep->n && n < max; i++) {
        struct epoll_entry *e = &ep->e[i];
        if (e->off)
            continue;
        uint32_t mask = file_mask(e->file); /* once: a poll may take what it shows as seen (/proc/mounts's) */
        if (e->events & EPOLLET) /* bits that dropped may be reported when they come back */
            e->seen &= mask;
        uint32_t m = entry_ready(e, mask);
        if (!m) {
            e->queued = e->queued && (mask & e->events & EVENT_BITS); /* off Linux's ready list once not ready */
            continue;
        }
        struct linux_epoll_event ev = {m, e->data};
        if (mem_out(p, uevents + (uint64_t)n * sizeof ev, &ev, sizeof ev) < 0) {
            if (!n)
                n = -LINUX_EFAULT;
            break;
        }
        e->seen |= m;
        e->off = (e->events & EPOLLONESHOT) != 0;
        e->queued = e->queued && !(e->events & EPOLLET);
        e->reported = true;
        n++;
    }
    if (n > 0)
        rotate(ep, n);
    return n;
}

static int epoll_poll(struct file *f) { return epoll_has_ready(f) ? POLLIN : 0; }

static void epoll_close(struct file *f)
{
    struct epoll *ep = f->epoll;
    for (int i = 0; i < ep->n; i++)
        epoll_edge_entries -= (ep->e[i].events & EPOLLET) != 0, excl_entries -= (ep->e[i].events & EPOLLEXCLUSIVE) != 0;
    for (struct epoll **pp = &instances; *pp; pp = &(*pp)->next)
        if (*pp == ep) {
            *pp = ep->next;
            epoll_live--;
            break;
        }
    free(ep->e);
    free(ep);
}

void epoll_notice(void)
{
    for (struct epoll *ep = instances; ep; ep = ep->next)
        for (int i = 0; i < ep->n; i++)
            if (ep->e[i].events & EPOLLET)
                ep->e[i].seen &= file_mask(ep->e[i].file);
}

/* Whether a process waits in epoll_wait on the instance f. */
static bool waited_on(const struct file *f)
{
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && p->wait.kind == WAIT_EPOLL && (const struct file *)(uintptr_t)p->wait.fds == f)
            return true;
    return false;
}

void epoll_arrival(const void *obj, uint32_t bits)
{
    if (fasync_files) /* O_ASYNC files signal each arrival too */
        fasync_arrival(obj, bits);
    if (!epoll_edge_entries && !excl_entries)
        return;
    for (struct epoll *ep = instances; ep; ep = ep->next)
        for (int i = 0; i < ep->n; i++) {
            struct epoll_entry *e = &ep->e[i];
            const struct file *f = e->file;
            if ((e->events & EPOLLET) && !exclusive(e) && (f->pipe == obj || f->peer == obj || f->counter == obj))
                e->seen &= ~bits;
        }
    /* Exclusive entries, in the order they were added (Linux's exclusive
     * waits at the queue's tail): each taking bits it asked for is woken,
     * up to the first whose instance has a waiter (ep_poll_callback's ewake). */
    for (uint64_t after = 0; excl_entries;) {
        struct epoll_entry *first = NULL;
        struct epoll *in = NULL;
        for (struct epoll *ep = instances; ep; ep = ep->next)
            for (int i = 0; i < ep->n; i++) {
                struct epoll_entry *e = &ep->e[i];
                const struct file *f = e->file;
                if (exclusive(e) && e->seq > after && (!first || e->seq < first->seq) &&
                    (f->pipe == obj || f->peer == obj || f->counter == obj))
                    first = e, in = ep;
            }
        if (!first)
            break;
        after = first->seq;
        if (!(first->events & bits))
            continue;
        first->queued = true, first->seen &= ~bits;
        if (waited_on(in->self))
            break;
    }
}

void epoll_forget(struct file *f)
{
    for (struct epoll *ep = instances; ep; ep = ep->next)
        for (int i = 0; i < ep->n;)
            if (ep->e[i].file == f) {
                epoll_edge_entries -= (ep->e[i].events & EPOLLET) != 0;
                excl_entries -= (ep->e[i].events & EPOLLEXCLUSIVE) != 0;
                ep->e[i] = ep->e[--ep->n];
            } else {
                i++;
            }
}

/* Linux's anon_inodefs, where an instance's inode is. */
static struct fs epoll_fs = {.type = "anon_inodefs", .dev = DEV_ANONFS, .magic = ANON_INODE_FS_MAGIC};

static void epoll_stat(const struct file *f, struct linux_stat *st)
{
    (void)f;
    stat_anon(&epoll_fs, 0600, ANON_INODE_INO, st);
}

/* Linux's ep_show_fdinfo: a line per entry, its events as Linux keeps
 * them (errors and hang-ups always; a one-shot entry that reported keeps
 * only its flags), and its file's position, inode and device. */
static void epoll_fdinfo(const struct file *f, void (*put)(const char *fmt, ...))
{
    const uint32_t flags = EPOLLET | EPOLLONESHOT | EPOLLWAKEUP | EPOLLEXCLUSIVE;
    for (int i = 0; i < f->epoll->n; i++) {
        const struct epoll_entry *e = &f->epoll->e[i];
        struct linux_stat st;
        file_stat(e->file, &st);
        put("tfd: %8d events: %8x data: %16llx  pos:%lli ino:%lx sdev:%x\n", e->fd,
            e->off ? e->events & flags : e->events | POLLERR | POLLHUP, (unsigned long long)e->data,
            (long long)(e->file->pipe ? 0 : e->file->pos), (unsigned long)st.ino, stat_kdev(&st));
    }
}

static const struct file_ops epoll_fops = {.poll = epoll_poll, .stat = epoll_stat, .release = epoll_close,
                                           .fs = &epoll_fs, .stream = true, .fdinfo = epoll_fdinfo};

/* The entries of uid's instances. */
static unsigned long user_watches(uint32_t uid)
{
    unsigned long n = 0;
    for (struct epoll *ep = instances; ep; ep = ep->next)
        n += ep->uid == uid ? (unsigned long)ep->n : 0;
    return n;
}

static int64_t sys_epoll_create1(struct sys_ctx *c, int flags)
{
    if (flags & ~O_CLOEXEC)
        return -LINUX_EINVAL;
    struct file *f = calloc(1, sizeof *f);
    struct epoll *ep = calloc(1, sizeof *ep);
    if (!f || !ep) {
        free(f);
        free(ep);
        return -LINUX_ENOMEM;
    }
    *f = (struct file){.ops = &epoll_fops, .kind = FILE_EPOLL, .flags = O_RDWR, .refs = 1, .epoll = ep};
    ep->self = f, ep->uid = c->p->cred.uid;
    ep->next = instances, instances = ep;
    epoll_live++;
    int fd = fd_alloc(c->p, 0, f, (flags & O_CLOEXEC) != 0);
    if (fd < 0)
        file_put(f);
    return fd;
}

static int64_t sys_epoll_create(struct sys_ctx *c, int size)
{
    return size <= 0 ? -LINUX_EINVAL : sys_epoll_create1(c, 0);
}

/* Linux 6.1's ep_loop_check: from instance f down, an instance that
 * holds target (a loop), or one more than EP_MAX_NESTS + 1 levels below
 * f, is ELOOP; the other files found on the way go to files[*n] (up to
 * max), whose wake-up paths reverse_paths then counts. */
static bool loop_check(struct file *f, struct file *target, int depth, struct file **files, int *n, int max)
{
    struct epoll *ep = epoll_of(f);
    for (int i = 0; i < ep->n; i++) {
        struct file *sub = ep->e[i].file;
        if (!epoll_of(sub)) {
            if (*n < max)
                files[(*n)++] = sub;
        } else if (sub == target || depth > MAX_NESTS || loop_check(sub, target, depth + 1, files, n, max)) {
            return true;
        }
    }
    return false;
}

/* Linux's reverse_path_check_proc: the wake-up paths up from f through
 * the instances that watch it, each path counted at its depth
 * (counts[]), too many at a depth, or any deeper than EP_MAX_NESTS,
 * failing. */
static bool reverse_paths(struct file *f, int depth, int *counts)
{
    static const int limits[MAX_NESTS + 1] = {1000, 500, 100, 50, 10}; /* Linux's path_limits */
    if (depth > MAX_NESTS)
        return true;
    for (struct epoll *ep = instances; ep; ep = ep->next)
        for (int i = 0; i < ep->n; i++) {
            if (ep->e[i].file != f)
                continue;
            bool top = true;
            for (struct epoll *up = instances; up && top; up = up->next)
                for (int j = 0; j < up->n && top; j++)
                    top = up->e[j].file != ep->self;
            if (top ? depth && ++counts[depth] > limits[depth] : reverse_paths(ep->self, depth + 1, counts))
                return true;
        }
    return false;
}

/* Whether ep watched by someone (Linux's f_ep of an instance's file). */
static bool watched(struct file *ef)
{
    for (struct epoll *up = instances; up; up = up->next)
        for (int j = 0; j < up->n; j++)
            if (up->e[j].file == ef)
                return true;
    return false;
}

#define CHECK_FILES 64

/* Linux 6.1's checks of an EPOLL_CTL_ADD of f to ef, made once the entry
 * is in (its ep_insert's reverse_path_check): EINVAL if a file below
 * it would then wake an instance through more than EP_MAX_NESTS levels,
 * or through too many paths. */
static bool too_many_paths(struct file *f, struct file **files, int n)
{
    if (!epoll_of(f))
        files[n++] = f;
    for (int k = 0; k < n; k++) {
        int counts[MAX_NESTS + 1] = {0};
        if (reverse_paths(files[k], 0, counts))
            return true;
    }
    return false;
}

static int64_t sys_epoll_ctl(struct sys_ctx *c, uint64_t epfd, int op, uint64_t fd, uint64_t uevent)
{
    struct file *ef = fd_file(c->p, epfd), *f = fd_file(c->p, fd);
    struct epoll *ep = epoll_of(ef);
    struct linux_epoll_event ev = {0, 0};
    /* Linux's order: the event, the descriptors, the target's poll, the rest */
    if (op != EPOLL_CTL_DEL && mem_in(c->p, &ev, uevent, sizeof ev) < 0)
        return -LINUX_EFAULT;
    if (!ef || !f)
        return -LINUX_EBADF;
    if (!f->ops->poll) /* a regular file or a directory: always ready, so no use */
        return -LINUX_EPERM;
    if ((ev.events & EPOLLEXCLUSIVE) && op != EPOLL_CTL_DEL &&
        (op == EPOLL_CTL_MOD || epoll_of(f) ||
         (ev.events & ~(EPOLLEXCLUSIVE | EPOLLET | EPOLLWAKEUP | POLLIN | POLLOUT | POLLERR | POLLHUP))))
        return -LINUX_EINVAL;
    if (!ep || ef == f)
        return -LINUX_EINVAL;
    struct file *files[CHECK_FILES + 1];
    int nfiles = 0;
    bool full_check = op == EPOLL_CTL_ADD && (epoll_of(f) || watched(ef));
    if (op == EPOLL_CTL_ADD && epoll_of(f) && loop_check(f, ef, 0, files, &nfiles, CHECK_FILES))
        return -LINUX_ELOOP;
    int i = 0;
    while (i < ep->n && !(ep->e[i].fd == (int)fd && ep->e[i].file == f))
        i++;
    switch (op) {
    case EPOLL_CTL_ADD:
        if (i < ep->n)
            return -LINUX_EEXIST;
        sysctl_sized();
        if (user_watches(ep->uid) >= sysctl_epoll_watches)
            return -LINUX_ENOSPC; /* fs/epoll/max_user_watches, as ep_insert */
        if (ep->n == ep->cap) {
            int cap = ep->cap ? 2 * ep->cap : 8;
            struct epoll_entry *e = realloc(ep->e, (size_t)cap * sizeof *e);
            if (!e)
                return -LINUX_ENOMEM;
            ep->e = e, ep->cap = cap;
        }
        ep->e[ep->n++] = (struct epoll_entry){(int)fd, f, ev.events, ev.data, 0, false, false, false, ++next_seq};
        if (full_check && too_many_paths(f, files, nfiles)) {
            ep->n--;
            return -LINUX_EINVAL;
        }
        ep->e[ep->n - 1].queued = (file_mask(f) & ev.events & EVENT_BITS) != 0; /* ready now: on the list at once */
        epoll_edge_entries += (ev.events & EPOLLET) != 0;
        excl_entries += (ev.events & EPOLLEXCLUSIVE) != 0;
        break;
    case EPOLL_CTL_MOD:
        if (i == ep->n)
            return -LINUX_ENOENT;
        if (ep->e[i].events & EPOLLEXCLUSIVE)
            return -LINUX_EINVAL;
        epoll_edge_entries += ((ev.events & EPOLLET) != 0) - ((ep->e[i].events & EPOLLET) != 0);
        ep->e[i] = (struct epoll_entry){(int)fd, f, ev.events, ev.data, 0, false, false, false, ep->e[i].seq}; /* re-armed */
        break;
    case EPOLL_CTL_DEL:
        if (i == ep->n)
            return -LINUX_ENOENT;
        epoll_edge_entries -= (ep->e[i].events & EPOLLET) != 0;
        excl_entries -= (ep->e[i].events & EPOLLEXCLUSIVE) != 0;
        ep->e[i] = ep->e[--ep->n];
        return 0;
    default:
        return -LINUX_EINVAL;
    }
    poll_recheck(); /* a waiter on it may have something now */
    return 0;
}
