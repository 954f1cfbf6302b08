/*
 * personalities/linux/streamoob.c - out-of-band data on stream sockets,
 * kept on the pipe of the way it goes (struct pipe_oob), as Linux 6.1
 * has it.  send(MSG_OOB) makes the last byte of what it wrote urgent and
 * signals the receiving socket's owner (SIGURG).
 *
 * TCP (tcp_check_urg, tcp_recv_urg, tcp_recvmsg): the urgent byte stays
 * in the stream; a read stops before it and, starting there, passes over
 * it (unless SO_OOBINLINE) and forgets it; recv(MSG_OOB) takes it once
 * (EINVAL with none, once read, or inline) while its mark stays until a
 * read passes it.  A newer urgent byte replaces the one not read: that one
 * becomes data, unless the reader sat at its mark, where it goes.
 *
 * AF_UNIX (6.1's CONFIG_AF_UNIX_OOB: queue_oob, manage_oob,
 * unix_stream_recv_urg): the byte is a record of its own in the stream; a
 * read stops before it, and starting there takes it out of the stream
 * (still there for recv(MSG_OOB)) or, inline, reads it; recv(MSG_OOB)
 * takes it out and leaves a break a read stops at.  A peek sees every
 * byte, the urgent one too, as 6.1's did (later kernels stop there).
 *
 * Also here: SO_PEEK_OFF's offset for an AF_UNIX stream's peek.
 *
 * Entry points: oob_before_read, oob_after_read, oob_mark, oob_free
 * (pipepriv.h, for pipe.c); oob_recv, oob_atmark, oob_splice_span, oob_inq, oob_poll
 * (socket.h, for sockmsg.c, netdev.c, socket.c).  Layer: a file type,
 * with pipe.c, under socket.c.  Book: docs/linux.md, "Networking".
 */
#include "epoll.h"
#include "fasync.h"
#include "pipepriv.h"
#include "proc.h"
#include "socket.h"
#include "inet.h"
#include <stdlib.h>

static bool oob_inline(const struct sock *k) { return (k->flagopts >> SO_OOBINLINE) & 1; }

/* The byte at stream position pos (in the ring). */
static uint8_t byte_at(const struct pipe *pp, uint64_t pos)
{
    return (uint8_t)pp->buf[(pp->head + (pos - pp->rpos)) % pp->cap];
}

/* The head's byte leaves the stream unread. */
static void drop_head(struct pipe *pp)
{
    pp->head = (pp->head + 1) % pp->cap;
    pp->len--;
    pp->rpos++;
    if (pp->marks)
        mark_at(pp, pp->rpos);
}

/* The byte at pos leaves the stream (AF_UNIX's urgent byte, which
 * recv(MSG_OOB) took): what follows moves up, with its marks. */
static void ring_remove(struct pipe *pp, uint64_t pos)
{
    for (uint64_t i = pos - pp->rpos; i + 1 < pp->len; i++)
        pp->buf[(pp->head + i) % pp->cap] = pp->buf[(pp->head + i + 1) % pp->cap];
    pp->len--;
    for (struct cred_mark *m = pp->marks; m; m = m->next)
        m->start -= m->start > pos, m->end -= m->end > pos;
    for (struct fd_batch *b = pp->batches; b; b = b->next)
        b->start -= b->start > pos, b->end -= b->end > pos;
}

static void drop_break(struct pipe_oob *o)
{
    for (int i = 1; i < o->nbreaks; i++)
        o->breaks[i - 1] = o->breaks[i];
    o->nbreaks--;
}

bool oob_before_read(struct pipe *pp, bool peek, uint64_t done, size_t *skip, size_t *limit)
{
    struct pipe_oob *o = &pp->oob;
    struct sock *k = pp->reader;
    *skip = 0, *limit = SIZE_MAX;
    if (!k)
        return true;
    if (peek && k->peek_set && k->peek_off > 0 && !k->inet) /* SO_PEEK_OFF: where a peek starts */
        *skip = (size_t)k->peek_off;
    if (k->inet) { /* TCP */
        if (!o->state)
            return true;
        if (o->pos > pp->rpos) {
            *limit = o->pos - pp->rpos;
        } else if (done) {
            return false; /* at the mark after bytes: the read ends */
        } else if (!oob_inline(k) && peek) {
            *skip = 1;
        } else if (!oob_inline(k)) {
            drop_head(pp); /* passed over, and forgotten */
            o->state = OOB_NONE;
        }
        return true;
    }
    if (peek) /* 6.1: a peek goes through the urgent byte, and past breaks */
        return true;
    for (;;) {
        if (o->nbreaks && o->breaks[0] <= pp->rpos) {
            drop_break(o);
            if (done)
                return false;
        } else if (o->state && o->queued && o->pos == pp->rpos) {
            if (done)
                return false;
            if (oob_inline(k)) { /* read as data */
                o->state = OOB_NONE;
                break;
            }
            drop_head(pp); /* out of the stream, still there for MSG_OOB */
            o->queued = false;
        } else {
            break;
        }
    }
    uint64_t next = o->nbreaks ? o->breaks[0] : UINT64_MAX;
    if (o->state && o->queued && o->pos > pp->rpos && o->pos < next)
        next = o->pos;
    if (next != UINT64_MAX)
        *limit = next - pp->rpos;
    return true;
}

void oob_after_read(struct pipe *pp, size_t k, bool peek)
{
    struct sock *s = pp->reader;
    if (s && s->peek_set && s->peek_off >= 0) { /* Linux's sk_peek_offset_fwd and _bwd */
        int64_t off = s->peek_off + (peek ? (int64_t)k : -(int64_t)k);
        s->peek_off = off < 0 ? 0 : off > INT32_MAX ? INT32_MAX : (int32_t)off;
    }
    if (!peek && s && s->inet && pp->oob.state && pp->oob.pos < pp->rpos)
        pp->oob.state = OOB_NONE; /* read past it */
}

/* The receiving socket's file, whose owner SIGURG goes to. */
static struct file *reader_file(const struct sock *k)
{
    return k->inet ? k->inet->file : k->file;
}

void oob_mark(struct pipe *pp)
{
    struct sock *k = pp->reader;
    struct pipe_oob *o = &pp->oob;
    if (!k || !pp->len)
        return;
    uint64_t at = pp->rpos + pp->len - 1;
    if (k->inet && o->state && o->pos >= at)
        return; /* no newer */
    if (k->inet && o->state && o->pos == pp->rpos && !oob_inline(k) && at > pp->rpos)
        drop_head(pp); /* the reader sat at the old mark: that byte goes (tcp_check_urg) */
    *o = (struct pipe_oob){OOB_VALID, at, byte_at(pp, at), true, o->breaks, o->nbreaks};
    struct file *f = reader_file(k);
    if (f)
        fasync_sigurg(f);
    epoll_arrival(pp, POLLPRI);
}

void oob_free(struct pipe *pp) { free(pp->oob.breaks); }

int64_t oob_recv(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, uint64_t total, uint64_t flags,
                 int32_t *msg_flags)
{
    struct sock *k = f->sock;
    struct pipe *pp = f->pipe;
    struct pipe_oob *o = pp ? &pp->oob : NULL;
    bool peek = flags & MSG_PEEK;
    if (!pp || oob_inline(k) || !o->state || (k->inet && o->state != OOB_VALID))
        return -LINUX_EINVAL; /* none, or read already */
    uint8_t b = o->byte;
    *msg_flags |= MSG_OOB;
    if (k->inet) { /* tcp_recv_urg */
        if (!peek)
            o->state = OOB_READ;
        if (!total) {
            *msg_flags |= MSG_TRUNC;
            return 0;
        }
        return (flags & MSG_TRUNC) || iov_copy(c->p, segs, nsegs, (char *)&b, 0, 1, true) >= 0 ? 1 : -LINUX_EFAULT;
    }
    if (!peek) { /* unix_stream_recv_urg: taken, and a break where it was */
        uint64_t *nb = o->queued ? realloc(o->breaks, ((size_t)o->nbreaks + 1) * sizeof *nb) : NULL;
        if (o->queued) {
            ring_remove(pp, o->pos);
            if (nb)
                o->breaks = nb, o->breaks[o->nbreaks++] = o->pos;
        }
        o->state = OOB_NONE, o->queued = false;
        poll_recheck();
    }
    return !total || iov_copy(c->p, segs, nsegs, (char *)&b, 0, 1, true) >= 0 ? 1 : -LINUX_EFAULT;
}

int oob_atmark(const struct file *f)
{
    const struct pipe *pp = f->pipe;
    if (!pp || !pp->oob.state || pp->oob.pos != pp->rpos)
        return 0;
    if (f->sock && f->sock->inet)
        return 1; /* read or not, until a read passes it */
    return pp->oob.queued && !(pp->oob.nbreaks && pp->oob.breaks[0] <= pp->rpos); /* 6.1: the head is the oob_skb */
}

size_t oob_splice_span(const struct file *f)
{
    const struct pipe *pp = f->pipe;
    if (!pp || !pp->oob.state || !f->sock || !f->sock->inet)
        return SIZE_MAX;
    return pp->oob.pos > pp->rpos ? (size_t)(pp->oob.pos - pp->rpos) : 0; /* as tcp_read_sock's urg_offset */
}

size_t oob_inq(const struct file *f)
{
    const struct pipe *pp = f->pipe;
    if (!pp)
        return 0;
    if (f->sock && f->sock->inet && pp->oob.state && !oob_inline(f->sock) && pp->oob.pos >= pp->rpos)
        return pp->oob.pos - pp->rpos; /* tcp_inq: up to the mark */
    return pipe_len(pp);
}

int oob_poll(const struct file *f, size_t *target)
{
    const struct pipe *pp = f->pipe;
    const struct sock *k = f->sock;
    if (!pp || !k)
        return 0;
    if (k->inet) { /* tcp_poll: a byte more to read at a mark not inline; POLLPRI while it is unread */
        *target += pp->oob.state && pp->oob.pos == pp->rpos && !oob_inline(k);
        return pp->oob.state == OOB_VALID ? POLLPRI : 0;
    }
    return (pp->oob.state ? POLLPRI : 0) | (pp->oob.nbreaks ? POLLIN : 0); /* unix_poll: a break is a record */
}
