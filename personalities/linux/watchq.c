/*
 * personalities/linux/watchq.c - watch queues, as Linux 6.1's
 * kernel/watch_queue.c and security/keys' notifications.  A notification
 * pipe (pipe2 with O_NOTIFICATION_PIPE) holds no bytes: its writes are
 * EXDEV, and what its read end gives are the notifications posted to it,
 * each whole (a read takes as many as fit; ENOBUFS when not even the
 * first does).  IOC_WATCH_QUEUE_SET_SIZE gives it room for its notes
 * (1 to 512 asked, rounded up to a page's 32; EBUSY a second time), and
 * until then every notification is lost; IOC_WATCH_QUEUE_SET_FILTER
 * keeps only the types, subtypes and info bits a filter names (Linux's
 * first word of subtypes).  A notification that finds the queue full is
 * lost, and the next read starts with the loss notification.
 *
 * KEYCTL_WATCH_KEY ties a key to a queue with an id of 0 to 255, which
 * each notification carries in its info; the key's changes (updated,
 * linked, unlinked, cleared, revoked, invalidated, its attributes) are
 * posted as Linux's notify_key posts them, and when the key goes, or the
 * watch is taken off (id -1), the queue gets the removal notification.
 * Left out: the per-user count of watches against RLIMIT_NOFILE, and the
 * mount and superblock notifications (not in Linux 6.1 either).
 *
 * Entry points: watchq.h.  Layer: a file type's helper, with pipe.c.
 * Book: docs/linux.md, "Keyrings".
 */
#include "watchq.h"
#include "epoll.h"
#include "file.h"
#include "pipe.h"
#include "pipepriv.h"
#include "uapi_sec.h"
#include "wait.h"
#include <stdlib.h>
#include <string.h>

#define WATCH_TYPE_META 0
#define WATCH_TYPE_KEY_NOTIFY 1
#define WATCH_TYPE__NR 2
#define WATCH_META_REMOVAL_NOTIFICATION 0
#define WATCH_META_LOSS_NOTIFICATION 1
#define WATCH_INFO_LENGTH 0x7f
#define WATCH_INFO_ID__SHIFT 8
#define NOTES_PER_PAGE 32 /* a page of 128-byte notes */
#define NOTES_MAX 512     /* 16 pages */
#define FILTERS_MAX 16
#define NOTE_MAX 16 /* the largest here: a key's, or a removal with its id */

struct note {
    uint32_t len;
    unsigned char data[NOTE_MAX];
};

struct wfilter { /* struct watch_type_filter, as the queue keeps it */
    uint32_t type, info_filter, info_mask, subtypes;
};

struct watchq {
    struct pipe *pp;
    struct note *notes; /* the ring, nr of them; NULL before SET_SIZE: everything is lost */
    int nr, head, count;
    bool loss;          /* a notification was lost: the next read starts with the loss notification */
    struct wfilter *filter;
    int nfilters;       /* with filter: the kept ones (0 of them: nothing passes) */
};

struct watch {
    struct watchq *q;
    int32_t key;
    uint32_t info_id;
    struct watch *next;
};
static struct watch *watches;

int watchq_init(struct pipe *pp)
{
    if (!(pp->wq = calloc(1, sizeof *pp->wq)))
        return -LINUX_ENOMEM;
    pp->wq->pp = pp;
    return 0;
}

bool pipe_is_watchq(const struct pipe *pp) { return pp && pp->wq; }

static void drop_watches(struct watchq *q, int32_t key, bool all)
{
    for (struct watch **at = &watches; *at;) {
        struct watch *w = *at;
        if (w->q == q && (all || w->key == key)) {
            *at = w->next;
            free(w);
        } else {
            at = &w->next;
        }
    }
}

void watchq_free(struct pipe *pp)
{
    if (!pp->wq)
        return;
    drop_watches(pp->wq, 0, true);
    free(pp->wq->notes);
    free(pp->wq->filter);
    free(pp->wq);
    pp->wq = NULL;
}

/* post_one_notification, after the filter: into the ring, or lost. */
static void post(struct pipe *pp, const void *n, uint32_t len)
{
    struct watchq *q = pp->wq;
    if (!q->notes || q->count == q->nr) {
        q->loss = true;
        return;
    }
    struct note *slot = &q->notes[(q->head + q->count++) % q->nr];
    slot->len = len;
    memcpy(slot->data, n, len);
    epoll_arrival(pp, POLLIN);
    poll_recheck();
}

static bool passes(const struct watchq *q, uint32_t type, uint32_t subtype, uint32_t info)
{
    if (!q->filter)
        return true;
    for (int i = 0; i < q->nfilters; i++) {
        const struct wfilter *f = &q->filter[i];
        if (f->type == type && subtype < 32 && (f->subtypes & (1u << subtype)) && (info & f->info_mask) == f->info_filter)
            return true;
    }
    return false;
}


void watchq_notify_key(int32_t serial, int subtype, uint32_t aux)
{
    for (struct watch *w = watches; w; w = w->next) {
        if (w->key != serial)
            continue;
        uint32_t n[4] = {WATCH_TYPE_KEY_NOTIFY | (uint32_t)subtype << 24, 16 | w->info_id, (uint32_t)serial, aux};
        if (passes(w->q, WATCH_TYPE_KEY_NOTIFY, (uint32_t)subtype, n[1]))
            post(w->q->pp, n, sizeof n);
    }
}

/* remove_watch_from_object's notification: the watch is gone. */
static void removal(struct watch *w)
{
    uint32_t n[4] = {WATCH_TYPE_META | WATCH_META_REMOVAL_NOTIFICATION << 24, 16 | w->info_id, (uint32_t)w->key, 0};
    post(w->q->pp, n, sizeof n);
}

void watchq_key_gone(int32_t serial)
{
    for (struct watch **at = &watches; *at;) {
        struct watch *w = *at;
        if (w->key != serial) {
            at = &w->next;
            continue;
        }
        removal(w);
        *at = w->next;
        free(w);
    }
}

static struct watchq *queue_of_fd(struct proc *p, int fd)
{
    struct file *f = fd < 0 ? NULL : fd_file(p, (uint64_t)fd);
    return f && (f->kind == FILE_PIPE_R || f->kind == FILE_PIPE_W) ? f->pipe->wq : NULL;
}

int64_t watchq_watch_key(struct proc *p, int32_t serial, int fd, int watch_id)
{
    struct watchq *q = queue_of_fd(p, fd);
    if (!q)
        return -LINUX_EBADF;
    struct watch *w = watches;
    while (w && !(w->q == q && w->key == serial))
        w = w->next;
    if (watch_id < 0) { /* take it off */
        if (!w)
            return -LINUX_EBADSLT;
        removal(w);
        drop_watches(q, serial, false);
        return 0;
    }
    if (w)
        return -LINUX_EBUSY;
    if (!(w = malloc(sizeof *w)))
        return -LINUX_ENOMEM;
    *w = (struct watch){q, serial, (uint32_t)watch_id << WATCH_INFO_ID__SHIFT, watches};
    watches = w;
    return 0;
}

/* ---- the file: reads, writes, poll, ioctls ---- */

int64_t watchq_move(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, bool one, uint64_t total,
                    bool write)
{
    struct pipe *pp = f->pipe;
    struct watchq *q = pp->wq;
    uint64_t first = nsegs ? segs[0].base : 0, first_len = nsegs ? segs[0].len : 0;
    unsigned char buf[NOTES_MAX * NOTE_MAX + 8];
    size_t n = 0;
    int64_t r = 0;
    if (write) {
        r = -LINUX_EXDEV;
    } else if (total) {
        while (q->count) {
            if (q->loss) { /* pipe_read: the loss first, before the next note */
                if (total - n < 8) {
                    r = n ? 0 : -LINUX_ENOBUFS;
                    break;
                }
                uint32_t loss[2] = {WATCH_TYPE_META | WATCH_META_LOSS_NOTIFICATION << 24, 8};
                memcpy(buf + n, loss, 8);
                n += 8, q->loss = false;
            }
            struct note *nt = &q->notes[q->head];
            if (nt->len > total - n) { /* each goes whole */
                r = n ? 0 : -LINUX_ENOBUFS;
                break;
            }
            memcpy(buf + n, nt->data, nt->len);
            n += nt->len, q->head = (q->head + 1) % q->nr, q->count--;
        }
        if (n && iov_copy(c->p, segs, nsegs, (char *)buf, 0, n, true) < 0)
            r = -LINUX_EFAULT; /* the notes are gone, as Linux's copy_to_iter leaves them taken */
        else if (n)
            r = (int64_t)n;
        else if (r == 0 && pp->writers && (f->flags & O_NONBLOCK))
            r = -LINUX_EAGAIN;
        else if (r == 0 && pp->writers) {
            wait_read(c, f, first, first_len); /* again once a note comes (a readv waits into its first buffer) */
            r = 0;
        }
    }
    if (!one)
        free(segs);
    return r;
}

int watchq_poll(struct file *f)
{
    struct pipe *pp = f->pipe;
    int in = (pp->wq->count ? POLLIN : 0) | (!pp->writers ? POLLHUP : 0);
    int out = pp->wq->count < pp->wq->nr ? POLLOUT : 0;
    int acc = f->flags & O_ACCMODE;
    return acc == O_RDWR ? in | out : f->kind == FILE_PIPE_R ? in : out;
}

static int64_t set_filter(struct proc *p, struct watchq *q, uint64_t uf)
{
    struct {
        uint32_t nr, reserved;
        struct {
            uint32_t type, info_filter, info_mask, subtype_filter[8];
        } f[FILTERS_MAX];
    } in;
    if (!uf) { /* no filter: everything passes */
        free(q->filter);
        q->filter = NULL, q->nfilters = 0;
        return 0;
    }
    if (mem_in(p, &in, uf, 8) < 0)
        return -LINUX_EFAULT;
    if (in.nr == 0 || in.nr > FILTERS_MAX || in.reserved)
        return -LINUX_EINVAL;
    if (mem_in(p, in.f, uf + 8, in.nr * sizeof in.f[0]) < 0)
        return -LINUX_EFAULT;
    struct wfilter *kept = calloc(in.nr, sizeof *kept);
    int k = 0;
    for (uint32_t i = 0; i < in.nr; i++) {
        if ((in.f[i].info_filter & ~in.f[i].info_mask) || (in.f[i].info_mask & WATCH_INFO_LENGTH)) {
            free(kept);
            return -LINUX_EINVAL;
        }
        if (kept && in.f[i].type < WATCH_TYPE__NR) /* unknown types are passed over */
            kept[k++] = (struct wfilter){in.f[i].type, in.f[i].info_filter, in.f[i].info_mask,
                                         in.f[i].subtype_filter[0]};
    }
    if (!kept)
        return -LINUX_ENOMEM;
    free(q->filter);
    q->filter = kept, q->nfilters = k;
    return 0;
}

int64_t watchq_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    struct watchq *q = f->pipe->wq;
    if (!q) /* a pipe that is no notification pipe (pipe.c sends only the queue's two ioctls) */
        return -LINUX_ENODEV;
    if (req == FIONREAD) {
        int n = 0; /* the notes' bytes (not the loss notification's, which no buffer holds) */
        for (int i = 0; i < q->count; i++)
            n += (int)q->notes[(q->head + i) % q->nr].len;
        return mem_out(c->p, arg, &n, sizeof n) < 0 ? -LINUX_EFAULT : 0;
    }
    if (req == IOC_WATCH_QUEUE_SET_FILTER)
        return set_filter(c->p, q, arg);
    if (req != IOC_WATCH_QUEUE_SET_SIZE)
        return -LINUX_ENOTTY;
    if (q->notes)
        return -LINUX_EBUSY;
    if (arg < 1 || arg > NOTES_MAX)
        return -LINUX_EINVAL;
    int nr = (int)((arg + NOTES_PER_PAGE - 1) / NOTES_PER_PAGE) * NOTES_PER_PAGE;
    if (!(q->notes = calloc((size_t)nr, sizeof *q->notes)))
        return -LINUX_ENOMEM;
    q->nr = nr;
    return 0;
}
