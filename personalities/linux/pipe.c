/*
 * personalities/linux/pipe.c - pipes.  A read from an empty pipe, or a
 * write to a full one, keeps the caller's reply token and finishes when
 * the other side moves: that is how a process blocks here.  The last
 * writer's close is end of file for readers; writing with no reader left
 * is EPIPE (SIGPIPE comes with signal delivery).  FIFOs are pipes with a
 * name, and each way of a connected socket is one (socket.c).
 *
 * Entry points: pipe.h; the calls pipe and pipe2.  Layer: a file type,
 * above file.h.  Book: docs/linux.md, "Files".
 */
#include "sysctl.h"
#include "epoll.h"
#include "pipe.h"
#include "pipepriv.h"
#include "proc.h"
#include "socket.h"
#include "tcptap.h"
#include "watchq.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/pipe.h" /* generated: the handlers' prototypes, entries */

#define PIPE_SIZE 65536 /* a new pipe's capacity, 16 pages as Linux's; F_SETPIPE_SZ changes it */

static void pipe_free(struct pipe *pp)
{
    marks_free(pp); /* every mark and packet goes */
    oob_free(pp);
    for (struct proc *p = pp->blocked; p; p = p->block.next)
        p->block.listed = false; /* its descriptor was closed under it: it waits on nothing now */
    while (pp->batches) {
        struct fd_batch *b = pp->batches;
        pp->batches = b->next;
        fd_batch_free(b);
    }
    pipe_unaccount(pp);
    watchq_free(pp);
    free(pp->buf);
    free(pp);
}

/* Frees pp once no end nor holder is left, unless a pipe_progress on it
 * still runs: a writer it ended with EPIPE may die of SIGPIPE there and
 * close the last end, and the loop must not go on over freed memory (the
 * server's fault after busybox 'yes | head -3'); the outermost frees it. */
static void pipe_done(struct pipe *pp)
{
    if (pp->busy || pp->readers || pp->writers || pp->holders)
        return;
    if (pp->fifo) /* a FIFO's data goes with its last open */
        pp->fifo->fifo = NULL;
    pipe_free(pp);
}

uint64_t pipe_ino(const struct file *f) { return f->pipe->ino; }

static struct proc *blocked_on(struct pipe *pp, bool writer);

/* The ring holds len bytes from head.  Copies n of its bytes, from the one
 * pos bytes past head, between it and a blocked call's segments (from
 * byte off of them), with no copy in between: at most two spans, up to the
 * end of the buffer and on from its start.  Out: to the process. */
static int ring_copy(struct pipe *pp, size_t pos, struct proc *p, const struct blocked_io *b, uint64_t off, size_t n,
                     bool out)
{
    size_t at = (pp->head + pos) % pp->cap, first = pp->cap - at < n ? pp->cap - at : n;
    if (first && iov_copy(p, b->segs, b->nsegs, pp->buf + at, off, first, out) < 0)
        return -1;
    return n > first ? iov_copy(p, b->segs, b->nsegs, pp->buf, off + first, n - first, out) : 0;
}

static void block_end(struct proc *p)
{
    if (p->block.listed) {
        struct proc **pp = &p->block.pipe->blocked;
        while (*pp && *pp != p)
            pp = &(*pp)->block.next;
        if (*pp)
            *pp = p->block.next;
        p->block.listed = false;
    }
    if (p->block.segs != &p->block.one)
        free(p->block.segs);
    if (p->block.scm.send) /* a write that ended before its first byte went in */
        fd_batch_free(p->block.scm.send);
    p->block.scm.send = NULL, p->block.segs = NULL, p->block.pipe = NULL;
}

/* A read or write that moved bytes sets the times, as Linux's pipe_read
 * (file_accessed) and pipe_write (file_update_time) end: a FIFO's node's,
 * through the mount it was opened on, or the anonymous pipe's (pipefs is
 * mounted without relatime: every read). */
static void pipe_touch(struct pipe *pp, bool writer)
{
    if (pp->fifo && writer)
        fs_modified(pp->fifo);
    else if (pp->fifo)
        fs_accessed(pp->fifo, pp->mnt_flags);
    else if (writer)
        pp->mtime = pp->ctime = realtime_ns();
    else
        pp->atime = realtime_ns();
}

static void finish(struct proc *p, int64_t result)
{
    bool nosignal = p->block.nosignal;
    struct pipe *urgent = result > 0 && p->block.oob ? p->block.pipe : NULL; /* send(MSG_OOB) */
    if (result > 0 && p->block.pipe->timed)
        pipe_touch(p->block.pipe, p->block.writer);
    if (result >= 0 && (p->block.got || p->block.passcred)) /* what came with the bytes */
        scm_deliver(p, &p->block.scm, p->block.passcred ? &p->block.cred : NULL, p->block.got, 0);
    else if (p->block.got)
        fd_batch_free(p->block.got);
    p->block.got = NULL;
    block_end(p);
    if (urgent) /* its last byte is urgent (streamoob.c), signalled once the call is no longer blocked */
        oob_mark(urgent);
    if (result == -LINUX_EPIPE && !nosignal)
        signal_send_thread(p, SIGPIPE, NULL);
    if (mmsg_reply(p, &result)) /* false: kept for the sendmmsg or recvmmsg running on */
        proc_reply(p, p->block.token, result);
}

/* Moves data for blocked readers and writers until nobody can progress. */
void pipe_progress(struct pipe *pp)
{
    uint32_t arrived = 0; /* for edge-triggered epoll: data came, room was made */
    pp->busy++;
    for (bool moved = true; moved;) {
        moved = false;
        struct proc *r = blocked_on(pp, false), *w = blocked_on(pp, true);
        /* a peek that waits for all it asked waits for it to be there */
        size_t peek_all = !r || !r->block.peek || !r->block.waitall ? 0
                          : r->block.len < pp->cap ? r->block.len : pp->cap;
        if (r && r->block.lowat > r->block.done + peek_all) /* and one with SO_RCVLOWAT for that much */
            peek_all = r->block.lowat - r->block.done;
        size_t skip = 0, limit = SIZE_MAX, avail = 0; /* a stream socket's urgent byte, peek offset */
        if (r && !oob_before_read(pp, r->block.peek, r->block.done, &skip, &limit)) {
            finish(r, (int64_t)r->block.done); /* a mark ends a read that took bytes */
            moved = true;
            continue;
        }
        avail = pp->len > skip ? pp->len - skip : 0;
        if (r && (avail || !pp->writers) && (avail >= peek_all || !pp->writers)) {
            size_t want = r->block.len - r->block.done, k = want < avail ? want : avail;
            int64_t done = (int64_t)r->block.done;
            k = k < limit ? k : limit;
            uint64_t from = pp->rpos + skip; /* a peek's offset: what it passes over is not its */
            struct fd_batch *b = pp->batches;
            while (skip && b && b->end <= from)
                b = b->next;
            if (r->block.passcred) { /* one writer's bytes only (Linux's unix_skb_scm_eq), and whose */
                struct cred_mark *cm = mark_at(pp, pp->rpos);
                while (skip && cm && cm->end <= from)
                    cm = cm->next;
                cm = cm && cm->start <= from ? cm : NULL;
                struct ucred_k none = {0, OVERFLOW_ID, OVERFLOW_ID}, *cred = cm ? &cm->cred : &none;
                if (done && k && memcmp(cred, &r->block.cred, sizeof *cred)) { /* a MSG_WAITALL read ends here */
                    finish(r, done);
                    moved = true;
                    continue;
                }
                if (cm && cm->end - from < k)
                    k = cm->end - from;
                if (k)
                    r->block.cred = *cred, r->block.got_cred = true;
            }
            /* A message with descriptors starts in this chunk: they come with
             * it (a peek's are new ones for the same files), and the read ends
             * with it, as Linux's. */
            if (b && b->start < from + k) {
                k = b->end - from < k ? b->end - from : k;
                if (!r->block.peek)
                    pp->batches = b->next;
                r->block.got = r->block.peek ? fd_batch_dup(b) : b;
            }
            bool in_packet; /* an O_DIRECT writer's packet: the read takes it alone (pipemark.c) */
            k = packet_limit(pp, k, &in_packet);
            if (!k && !done && pp->reset) {
                finish(r, pipe_take_reset(pp));
            } else if (ring_copy(pp, skip, r, &r->block, r->block.done, k, true) < 0) {
                finish(r, done ? done : -LINUX_EFAULT); /* the data stays in the pipe, as Linux leaves it */
            } else {
                if (!r->block.peek) {
                    arrived |= k && pipe_used(pp) == pp->cap ? POLLOUT : 0; /* Linux's pipe_read: room in a full one */
                    pp->head = (pp->head + k) % pp->cap;
                    pp->len -= k;
                    pp->rpos += k;
                    if (pp->marks)
                        mark_at(pp, pp->rpos);
                    if (in_packet)
                        packet_done(pp); /* what the read left of it goes */
                }
                oob_after_read(pp, k, r->block.peek);
                r->block.done += k;
                if (!r->block.waitall || r->block.peek || r->block.got || r->block.done == r->block.len || !pp->writers ||
                    in_packet)
                    finish(r, (int64_t)r->block.done);
            }
            moved = true;
        }
        /* LAB(pipes): solution */
        if (w && !pp->readers) { /* nobody will read it: EPIPE, or what went in before */
            finish(w, w->block.done ? (int64_t)w->block.done : -LINUX_EPIPE);
            moved = true;
            continue;
        }
        /* LAB(pipes): skeleton
        LAB(pipes): end */
        if (w && pipe_room_for(pp, w->block.packets)) {
            size_t want = w->block.len - w->block.done, room = pipe_room_for(pp, w->block.packets);
            size_t k = want < room ? want : room;
            struct fd_batch *b = w->block.scm.send;
            if (b) { /* its descriptors go with its first byte */
                b->start = pp->rpos + pp->len, b->end = b->start + want;
                struct fd_batch **tail = &pp->batches;
                while (*tail)
                    tail = &(*tail)->next;
                *tail = b;
                w->block.scm.send = NULL;
            }
            if (ring_copy(pp, pp->len, w, &w->block, w->block.done, k, false) < 0) {
                finish(w, w->block.done ? (int64_t)w->block.done : -LINUX_EFAULT);
            } else {
                if (w->block.scm.has_cred && k) /* an AF_UNIX stream's: whose bytes these are */
                    mark_add(pp, pp->rpos + pp->len, k, &w->block.scm.cred);
                if (w->block.packets && k)
                    packets_add(pp, pp->rpos + pp->len, k);
                pp->len += k;
                if (k && pp->reader && pp->reader->inet) /* a TCP connection's segments (tcptap.c) */
                    tcp_tap_data(pp->reader->inet, pp->buf, pp->cap, (pp->head + pp->len - k) % pp->cap, k);
                arrived |= k ? POLLIN : 0;
                if ((w->block.done += k) == w->block.len)
                    finish(w, (int64_t)w->block.len);
            }
            moved = true;
        }
    }
    if (arrived)
        epoll_arrival(pp, arrived);
    pp->busy--;
    pipe_done(pp); /* its last end closed meanwhile */
    poll_recheck(); /* after the moves: what is left decides who is ready */
}

/* The oldest read (or write) waiting on pp. */
static struct proc *blocked_on(struct pipe *pp, bool writer)
{
    for (struct proc *p = pp->blocked; p; p = p->block.next)
        if (!p->zombie && p->block.writer == writer)
            return p;
    return NULL;
}

/* What a blocking read of len bytes from a stream socket's pipe waits
 * for: its reader's SO_RCVLOWAT, or len if less, as Linux's
 * sock_rcvlowat (not beyond what the pipe holds); 0: no more than a byte. */
static uint64_t lowat(const struct pipe *pp, uint64_t len, int how)
{
    uint64_t want = pp->reader && pp->reader->rcvlowat > 1 ? (uint64_t)pp->reader->rcvlowat : 0;
    want = want < len ? want : len;
    return (how & MOVE_NONBLOCK) || want <= 1 ? 0 : want < pp->cap ? want : pp->cap;
}

int64_t pipe_move(struct sys_ctx *c, struct pipe *pp, struct io_seg *segs, int nsegs, bool one, uint64_t total,
                  bool write, int how)
{
    int64_t r = 1;
    size_t skip = 0, limit;
    if (!write && total) /* what a read's head passes over first (streamoob.c) */
        oob_before_read(pp, how & MOVE_PEEK, 0, &skip, &limit);
    if (total == 0)
        r = 0;
    /* LAB(pipes): solution */
    else if (write && !pp->readers) {
        if (!(how & MOVE_NOSIGNAL))
            signal_send_thread(c->p, SIGPIPE, NULL); /* by default the writer dies */
        r = -LINUX_EPIPE;
    } else if (!write && pp->len <= skip && !pp->writers)
        r = pipe_take_reset(pp); /* end of file, after a reset's one ECONNRESET */
    /* LAB(pipes): skeleton
    else if (!write && !pp->len)
        r = 0; // an empty pipe: is it the end, or must the read wait?
    LAB(pipes): end */
    else if ((how & MOVE_NONBLOCK) && (write ? !pipe_room_for(pp, how & MOVE_PACKET) : pp->len <= skip))
        r = -LINUX_EAGAIN;
    bool waitall = !write && (how & MOVE_WAITALL) && !(how & MOVE_NONBLOCK);
    uint64_t len = write || waitall ? total : (total < pp->cap ? total : pp->cap); /* what the call waits for */
    /* LAB(pipes): solution */
    if (write && r > 0 && (how & MOVE_NONBLOCK)) { /* no waiting: what fits now, or EAGAIN */
        uint64_t room = pipe_room_for(pp, how & MOVE_PACKET);
        r = total <= PIPE_ATOMIC && room < total ? -LINUX_EAGAIN : r; /* up to PIPE_BUF bytes go whole */
        len = total < room ? total : room;
    }
    /* LAB(pipes): skeleton
    if (write && r > 0) { // a write takes what fits now, and none when the pipe is full
        r = pp->len == pp->cap ? -LINUX_EAGAIN : r;
        len = total < pp->cap - pp->len ? total : pp->cap - pp->len;
    }
    LAB(pipes): end */
    if (r <= 0) {
        if (!one)
            free(segs);
        return r;
    }
    struct proc *p = c->p;
    p->block = (struct blocked_io){.pipe = pp, .writer = write, .nsegs = nsegs, .token = c->token, .len = len,
                                   .nosignal = (how & MOVE_NOSIGNAL) != 0, .peek = (how & MOVE_PEEK) != 0,
                                   .waitall = waitall, .lowat = write ? 0 : lowat(pp, len, how), .passcred = !write && (how & MOVE_PASSCRED),
                                   .packets = write && (how & MOVE_PACKET), .oob = write && (how & MOVE_OOB)};
    p->block.mmsg = c->mmsg ? *c->mmsg : (struct mmsg_state){0};
    if (c->scm) { /* the batch is the block's now */
        p->block.scm = *c->scm;
        c->scm->send = NULL;
    }
    if (one)
        p->block.one = segs[0], p->block.segs = &p->block.one;
    else
        p->block.segs = segs;
    struct proc **tail = &pp->blocked;
    while (*tail)
        tail = &(*tail)->block.next;
    *tail = p, p->block.listed = true;
    c->deferred = true;
    pipe_progress(pp);
    return 0;
}

/* A read or write of total bytes in segs (one: the caller's own, not
 * freed) on pipe file f. */
static int64_t start(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, bool one, uint64_t total,
                     bool write)
{
    if ((f->flags & O_ACCMODE) != O_RDWR && write != (f->kind == FILE_PIPE_W)) { /* O_RDWR: a FIFO's both ends */
        if (!one)
            free(segs);
        return -LINUX_EBADF;
    }
    if (f->pipe->wq) /* a notification pipe's notes */
        return watchq_move(c, f, segs, nsegs, one, total, write);
    f->pipe->mnt_flags = f->mnt_flags; /* a FIFO's read sets the access time through this mount */
    return pipe_move(c, f->pipe, segs, nsegs, one, total, write,
                     ((f->flags & O_NONBLOCK) ? MOVE_NONBLOCK : 0) | ((f->flags & O_DIRECT) ? MOVE_PACKET : 0));
}

/* ---- the file operations of pipes and FIFOs ---- */

static int64_t pipe_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    struct io_seg seg = {ubuf, len};
    return start(c, f, &seg, 1, true, len, false);
}

static int64_t pipe_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    struct io_seg seg = {ubuf, len};
    return start(c, f, &seg, 1, true, len, true);
}

/* readv/writev: segs (malloc'd; freed here) hold total bytes, moved as
 * one read or write. */
static int64_t pipe_iov(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, uint64_t total, bool write)
{
    return start(c, f, segs, nsegs, false, total, write);
}

struct pipe *pipe_new(int readers, int writers, int holders)
{
    struct pipe *pp = calloc(1, sizeof *pp);
    if (pp && !(pp->buf = malloc(PIPE_SIZE))) {
        free(pp);
        return NULL;
    }
    if (pp)
        pp->cap = PIPE_SIZE, pp->readers = readers, pp->writers = writers, pp->holders = holders, pp->ino = anon_ino();
    return pp;
}

/* A new pipe's or FIFO's capacity without CAP_SYS_RESOURCE is at most
 * pipe-max-size, whole pages (Linux's alloc_pipe_info); sockets' pipes
 * keep theirs. */
static struct pipe *pipe_new_capped(int readers, int writers)
{
    struct pipe *pp = pipe_new(readers, writers, 0);
    size_t max = (size_t)sysctl_pipe_max_size & ~(size_t)4095;
    if (pp && pp->cap > max && max && !cred_capable(fs_cred, CAP_SYS_RESOURCE))
        pp->cap = max;
    if (pp)
        pp->timed = true, pp->uid = fs_cred->fsuid, pp->gid = fs_cred->fsgid,
        pp->atime = pp->mtime = pp->ctime = realtime_ns();
    return pp;
}

void pipe_unhold(struct pipe *pp)
{
    pp->holders--;
    pipe_done(pp);
}

int pipe_ends(const struct pipe *pp, bool writers) { return writers ? pp->writers : pp->readers; }
void pipe_set_reader(struct pipe *pp, struct sock *k) { pp->reader = k; }
struct sock *pipe_reader(const struct pipe *pp) { return pp->reader; }
void pipe_set_reset(struct pipe *pp) { pp->reset = pp->was_reset = true; }
bool pipe_was_reset(const struct pipe *pp) { return pp->was_reset; }
bool pipe_reset_pending(const struct pipe *pp) { return pp->reset; }

int64_t pipe_take_reset(struct pipe *pp)
{
    bool was = pp->reset;
    pp->reset = false;
    return was ? -LINUX_ECONNRESET : 0;
}
bool pipe_has_data(const struct pipe *pp) { return pp->len != 0; }
bool pipe_has_room(const struct pipe *pp) { return pipe_used(pp) < pp->cap; }

void pipe_drop(struct pipe *pp, int readers, int writers)
{
    pp->readers -= readers;
    pp->writers -= writers;
    if (!pp->readers && !pp->writers && !pp->holders) {
        pipe_done(pp);
        return;
    }
    pipe_progress(pp);
}

static void pipe_close(struct file *f)
{
    int acc = f->flags & O_ACCMODE;
    pipe_drop(f->pipe, acc != O_WRONLY, acc != O_RDONLY);
}

static int pipe_poll(struct file *f)
{
    if (f->pipe->wq)
        return watchq_poll(f);
    /* LAB(pipes): solution */
    struct pipe *pp = f->pipe;
    /* POLLHUP once writers are gone; on a FIFO, only if one came since this
     * open (a reader waiting for its first writer does not spin) */
    bool hup = !pp->writers && (!pp->fifo || f->pos != pp->w_counter);
    int acc = f->flags & O_ACCMODE, in = (pp->len ? POLLIN : 0) | (hup ? POLLHUP : 0);
    int out = (pipe_used(pp) < pp->cap ? POLLOUT : 0) | (!pp->readers ? POLLERR : 0);
    return acc == O_RDWR ? in | out : f->kind == FILE_PIPE_R ? in : out;
    /* LAB(pipes): skeleton
    (void)f; // ready for everything: which end is f, what does it hold, is the other end there?
    return POLLIN | POLLOUT;
    LAB(pipes): end */
}

/* Linux's pipefs, where an anonymous pipe's inode is (fstat, statfs). */
static struct fs pipefs = {.type = "pipefs", .dev = DEV_ANONFS, .magic = PIPEFS_MAGIC};

/* A FIFO is its node of the file system; an anonymous pipe, pipefs's. */
static void pipe_stat(const struct file *f, struct linux_stat *st)
{
    const struct pipe *pp = f->pipe;
    if (f->inode) {
        stat_inode(f->inode, st);
        return;
    }
    const struct inode anon = {.mode = S_IFIFO | 0600, .nlink = 1, .ino = pp->ino, .fs = &pipefs, .uid = pp->uid,
                               .gid = pp->gid, .atime = pp->atime, .mtime = pp->mtime, .ctime = pp->ctime};
    stat_inode(&anon, st);
}

/* FIONREAD: the bytes in the pipe, as Linux's pipe_ioctl; a watch queue's own (watchq.c). */
static int64_t pipe_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    int n = (int)f->pipe->len;
    if (f->pipe->wq || req == IOC_WATCH_QUEUE_SET_SIZE || req == IOC_WATCH_QUEUE_SET_FILTER)
        return watchq_ioctl(c, f, req, arg);
    if (req != FIONREAD)
        return -LINUX_ENOTTY;
    return mem_out(c->p, arg, &n, sizeof n) < 0 ? -LINUX_EFAULT : 0;
}

static const struct file_ops pipe_fops = {.read = pipe_read, .write = pipe_write, .rw_iov = pipe_iov,
                                          .poll = pipe_poll, .stat = pipe_stat, .release = pipe_close,
                                          .ioctl = pipe_ioctl, .fs = &pipefs, .stream = true};

int64_t pipe_moved(struct proc *p)
{
    int64_t done = p->block.pipe && (p->block.writer || p->block.waitall) ? (int64_t)p->block.done : 0;
    return done ? mmsg_count(p, done) : 0; /* a sendmmsg's: the count of messages */
}

bool pipe_cancel(struct proc *p, uint64_t *token)
{
    if (!p->block.pipe)
        return false;
    struct file *f = p->block.opening;
    block_end(p);
    p->block.opening = NULL;
    /* an interrupted open leaves no descriptor (unless a table shared since
     * with a fork's child found no memory for its copy: ENOMEM) */
    if (f && fd_file(p, (uint64_t)p->block.fd) == f && fd_clear(p->fds, p->block.fd) == 0)
        file_put(f);
    *token = p->block.token;
    return true;
}

static int64_t make_pipe(struct sys_ctx *c, uint64_t ufds, uint64_t flags)
{
    if (flags & ~(uint64_t)(O_NONBLOCK | O_CLOEXEC | O_DIRECT | O_NOTIFICATION_PIPE))
        return -LINUX_EINVAL;
    struct pipe *pp = pipe_new_capped(1, 1);
    struct file *r = calloc(1, sizeof *r), *w = calloc(1, sizeof *w);
    int err = !pp || !r || !w ? -LINUX_ENOMEM : (flags & O_NOTIFICATION_PIPE) ? watchq_init(pp) : 0; /* watchq.c */
    if ((err = err ? err : pipe_account(pp, &c->p->cred)) < 0) {
        if (pp)
            watchq_free(pp), free(pp->buf);
        free(pp), free(r), free(w);
        return err;
    }
    int fl = (int)(flags & O_NONBLOCK); /* the write end's O_DIRECT: packets (pipemark.c) */
    *r = (struct file){.ops = &pipe_fops, .kind = FILE_PIPE_R, .pipe = pp, .flags = fl, .refs = 1};
    *w = (struct file){.ops = &pipe_fops, .kind = FILE_PIPE_W, .pipe = pp,
                       .flags = O_WRONLY | fl | (int)(flags & O_DIRECT), .refs = 1};
    return fd_alloc_pair(c->p, r, w, (flags & O_CLOEXEC) != 0, ufds);
}

/* Opens waiting on pp whose other end is now there return their fd. */
static void fifo_wake(struct pipe *pp)
{
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && p->block.pipe == pp && p->block.opening &&
            (p->block.writer ? pp->readers : pp->writers)) {
            block_end(p);
            p->block.opening = NULL;
            proc_reply(p, p->block.token, p->block.fd);
        }
}

int64_t fifo_open(struct sys_ctx *c, struct inode *ino, int flags)
{
    int acc = flags & O_ACCMODE;
    if (acc == O_ACCMODE)
        return -LINUX_EINVAL;
    struct pipe *pp = ino->fifo;
    if (acc == O_WRONLY && (flags & O_NONBLOCK) && (!pp || !pp->readers))
        return -LINUX_ENXIO; /* a writer that may not wait, and no reader */
    struct file *f = calloc(1, sizeof *f);
    int err = 0;
    if (!pp && (pp = pipe_new_capped(0, 0)) && (err = pipe_account(pp, &c->p->cred)) < 0) {
        free(pp->buf), free(pp), free(f);
        return err;
    }
    if (pp && !pp->fifo)
        pp->fifo = ino, ino->fifo = pp;
    if (!f || !pp) {
        free(f);
        return -LINUX_ENOMEM; /* a pipe just made is empty of opens and stays for the next */
    }
    *f = (struct file){.ops = &pipe_fops, .kind = acc == O_WRONLY ? FILE_PIPE_W : FILE_PIPE_R, .pipe = pp, .inode = ino,
                       .flags = open_file_flags(flags), .refs = 1};
    ino->refs++;
    pp->readers += acc != O_WRONLY;
    pp->writers += acc != O_RDONLY;
    pp->w_counter += acc != O_RDONLY;
    f->pos = pp->w_counter; /* the writers seen at open, for pipe_poll */
    int fd = fd_alloc(c->p, 0, f, (flags & O_CLOEXEC) != 0);
    if (fd < 0) {
        file_put(f);
        return fd;
    }
    fifo_wake(pp);
    pipe_progress(pp); /* a writer may be blocked on a full FIFO with a reader gone */
    if (acc == O_RDWR || (flags & O_NONBLOCK) || (acc == O_RDONLY ? pp->writers : pp->readers))
        return fd;
    c->p->block = (struct blocked_io){.pipe = pp, .writer = acc == O_WRONLY, .token = c->token, .opening = f, .fd = fd};
    c->deferred = true;
    return 0;
}

static int64_t sys_pipe(struct sys_ctx *c, uint64_t ufds) { return make_pipe(c, ufds, 0); }
static int64_t sys_pipe2(struct sys_ctx *c, uint64_t ufds, uint64_t flags) { return make_pipe(c, ufds, flags); }
