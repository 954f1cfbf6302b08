/*
 * personalities/linux/notifygroup.c - the notification group under
 * inotify and fanotify (notifygroup.h): its queue (a limit past which one
 * overflow event stands for what was lost, and taken off by the read
 * that gives it), its reads (whole records; the first that does not fit
 * is EINVAL, a record taken off is lost even when its copy fails, as
 * Linux's), its readiness for poll and epoll (wait.c's WAIT_READ for a
 * read that waits), and the marks of each kind in the order made.
 *
 * Entry points: notifygroup.h.  Layer: a file type's helper, above the
 * file system.  Book: docs/linux.md, "inotify".
 */
#include "notifygroup.h"
#include "fsnotify.h"
#include "wait.h"
#include <stdlib.h>

int fsnotify_watches;
static bool woken; /* a group's queue was empty and has an event now */

int ng_room(struct notifygroup *g)
{
    if (!g->max_queued || g->queued < g->max_queued)
        return NG_ROOM;
    if (g->overflowed)
        return NG_FULL;
    g->overflowed = true;
    return NG_OVERFLOW;
}

void ng_queue(struct notifygroup *g, struct ng_event *e)
{
    e->next = NULL;
    if (g->tail)
        g->tail->next = e;
    else
        g->head = e;
    g->tail = e;
    g->queued++;
    g->bytes += e->size;
    woken |= g->head == e;
}

void ng_wake(void)
{
    if (woken) {
        woken = false;
        poll_recheck();
    }
}

int ng_count(const struct ng_kind *kind, uint32_t uid)
{
    int n = 0;
    for (struct notifygroup *g = kind->groups; g; g = g->next)
        n += g->uid == uid;
    return n;
}

int ng_open(struct sys_ctx *c, struct ng_kind *kind, size_t size, int max_queued, const struct file_ops *fops,
            int fkind, int oflags, bool cloexec, struct notifygroup **made)
{
    *made = NULL;
    struct file *f = calloc(1, sizeof *f);
    struct notifygroup *g = calloc(1, size);
    if (!f || !g) {
        free(f);
        free(g);
        return -LINUX_ENOMEM;
    }
    *g = (struct notifygroup){.max_queued = max_queued, .uid = c->p->cred.euid, .kind = kind, .next = kind->groups};
    kind->groups = g;
    *f = (struct file){.ops = fops, .kind = fkind, .flags = oflags, .refs = 1, .group = g};
    int fd = fd_alloc(c->p, 0, f, cloexec);
    if (fd < 0)
        file_put(f);
    else
        *made = g;
    return fd;
}

/* The first record of g's queue, taken off. */
static struct ng_event *take(struct notifygroup *g)
{
    struct ng_event *e = g->head;
    g->head = e->next;
    if (!g->head)
        g->tail = NULL;
    g->queued--;
    g->bytes -= e->size;
    g->overflowed &= !e->overflow;
    return e;
}

int64_t ng_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    struct notifygroup *g = f->group;
    uint64_t done = 0;
    while (g->head) {
        if (g->head->size > len - done) {
            if (done)
                break;
            return -LINUX_EINVAL; /* not even the first fits */
        }
        struct ng_event *e = take(g);
        int64_t r = g->kind->ops->copy(c, g, e, ubuf + done);
        uint32_t size = e->size;
        g->kind->ops->free(e);
        if (r < 0)
            return r == -LINUX_EFAULT || done == 0 ? r : (int64_t)done;
        done += size;
    }
    if (done)
        return (int64_t)done;
    if (f->flags & O_NONBLOCK)
        return -LINUX_EAGAIN;
    wait_read(c, f, ubuf, len);
    return 0;
}

int ng_poll(struct file *f) { return f->group->head ? POLLIN | POLLRDNORM : 0; }

int64_t ng_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    if (req != FIONREAD)
        return -LINUX_ENOTTY;
    int32_t n = (int32_t)f->group->bytes;
    return mem_out(c->p, arg, &n, sizeof n) < 0 ? -LINUX_EFAULT : 0;
}

void ng_release(struct file *f)
{
    struct notifygroup *g = f->group;
    struct ng_kind *kind = g->kind;
    for (struct ng_mark *k = kind->marks, *next; k; k = next) {
        next = k->next;
        if (k->g != g)
            continue;
        if (kind->ops->unmark)
            kind->ops->unmark(k);
        ng_mark_unlink(k);
        free(k);
    }
    while (g->head)
        kind->ops->free(take(g));
    for (struct notifygroup **pg = &kind->groups; *pg; pg = &(*pg)->next)
        if (*pg == g) {
            *pg = g->next;
            break;
        }
    free(g);
}

void ng_mark_add(struct ng_mark *k)
{
    struct ng_kind *kind = k->g->kind;
    struct ng_mark **tail = &kind->marks;
    while (*tail)
        tail = &(*tail)->next;
    k->next = NULL;
    *tail = k;
    k->g->marks++;
    fsnotify_watches++;
    if (kind->count)
        ++*kind->count;
}

void ng_mark_unlink(struct ng_mark *k)
{
    struct ng_kind *kind = k->g->kind;
    for (struct ng_mark **pk = &kind->marks; *pk; pk = &(*pk)->next)
        if (*pk == k) {
            *pk = k->next;
            break;
        }
    k->g->marks--;
    fsnotify_watches--;
    if (kind->count)
        --*kind->count;
}
