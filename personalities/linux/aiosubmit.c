/*
 * personalities/linux/aiosubmit.c - native AIO's io_submit: each iocb
 * checked as Linux's io_submit_one checks it, and done.  A read or write
 * of a tmpfs file completes at once; one of a pipe, a socket or the like
 * completes at once when the file is ready, else io_submit itself waits
 * (WAIT_AIOSUB), as Linux's synchronous read does, until aio_recheck finds
 * the file ready, then goes on with the rest (a signal meanwhile: EINTR
 * for that request, as Linux's).  A pipe's bytes move through the server's
 * buffer (pipe_kread, pipe_kwrite), never through a blocking pipe call.
 * IOCB_CMD_POLL completes at once if its file is ready, else stays pending
 * on its context until aio_recheck sees the file ready, or io_cancel or
 * io_destroy (aio.c) ends it.
 *
 * Entry points: aio_recheck, aio_submit_interrupted, and for io_uring
 * (iouringop.c) aio_rw and aio_poll_mask (aio.h); the handler of io_submit.
 * Layer: waits, over the file types.  Book:
 * docs/linux.md, "Waiting".
 */
#include "aio.h"
#include "pipe.h"
#include "proc.h"
#include <stddef.h>
#include <stdlib.h>
#include "linux_entries/aiosubmit.h" /* generated: the handlers' prototypes, entries */

#define MAX_RW_COUNT 0x7ffff000u
#define RWF_AIO (RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_APPEND | RWF_NOAPPEND)
#define EVENT_BITS 0xffffu

uint32_t aio_poll_mask(struct file *f)
{
    uint32_t m = f->ops->poll ? (uint32_t)f->ops->poll(f) : POLLIN | POLLOUT;
    return m | (m & POLLIN ? POLLRDNORM : 0) | (m & POLLOUT ? POLLWRNORM : 0);
}

/* A pipe's (or a stream socket's) bytes through the server's buffer: as
 * many as it holds, or has room for, now. */
static int64_t pipe_io(struct proc *p, struct file *f, bool write, uint64_t buf, uint64_t len)
{
    static char chunk[4096];
    struct pipe *pp = write && f->kind == FILE_SOCKET ? f->peer : f->pipe;
    uint64_t done = 0;
    bool fault = false;
    if (write && !pipe_ends(pp, false)) {
        signal_send_thread(p, SIGPIPE, NULL);
        return -LINUX_EPIPE;
    }
    while (done < len) {
        size_t n = len - done < sizeof chunk ? len - done : sizeof chunk, k;
        if (write) {
            n = n < pipe_room(pp) ? n : pipe_room(pp);
            if (!n || (fault = mem_in(p, chunk, buf + done, n) < 0))
                break;
            k = pipe_kwrite(pp, chunk, n);
        } else {
            k = pipe_kread(pp, chunk, n, 0, false);
            if (!k || (fault = mem_out(p, buf + done, chunk, k) < 0))
                break;
        }
        done += k;
    }
    return fault && !done ? -LINUX_EFAULT : (int64_t)done;
}

/* One read or write with the file's operation, from a context of its own:
 * a file that would still wait gives what it moved, or EAGAIN. */
static int64_t file_io(struct proc *p, uint64_t token, struct file *f, bool write, uint64_t buf, uint64_t len,
                       int64_t at)
{
    if (f->pipe && (f->kind == FILE_PIPE_R || f->kind == FILE_PIPE_W || (f->kind == FILE_SOCKET && f->peer)))
        return pipe_io(p, f, write, buf, len);
    struct sys_ctx s = {.p = p, .token = token};
    int64_t r = write ? f->ops->write(&s, f, buf, len, at) : f->ops->read(&s, f, buf, len, at);
    if (s.deferred) {
        uint64_t t;
        int64_t moved = pipe_moved(p);
        proc_cancel_wait(p, &t);
        r = moved ? moved : -LINUX_EAGAIN;
    }
    return r;
}

int64_t aio_rw(struct proc *p, uint64_t token, struct file *f, const struct linux_iocb *cb, bool write,
           int vectored, bool intr, uint32_t *wait, int64_t *res)
{
    if (cb->aio_rw_flags & ~(uint64_t)RWF_AIO)
        return -LINUX_EOPNOTSUPP;
    if ((f->flags & O_ACCMODE) == (write ? O_RDONLY : O_WRONLY))
        return -LINUX_EBADF;
    if (!(write ? f->ops->write : f->ops->read) || (f->inode && (f->inode->mode & S_IFMT) == S_IFDIR))
        return -LINUX_EINVAL;
    struct io_seg one = {cb->aio_buf, cb->aio_nbytes}, *segs = &one;
    uint64_t total = cb->aio_nbytes, nsegs = 1;
    if (vectored) {
        int64_t e = iov_read_abi(p, cb->aio_buf, cb->aio_nbytes, vectored == AIO_IOV32, &segs, &total);
        if (e < 0)
            return e;
        nsegs = cb->aio_nbytes;
    } else if (one.len > TASK_SIZE || one.base > TASK_SIZE - one.len) {
        return -LINUX_EFAULT; /* access_ok */
    } else if (one.len > MAX_RW_COUNT) {
        one.len = total = MAX_RW_COUNT;
    }
    int64_t r = cb->aio_offset < 0 ? -LINUX_EINVAL : 0; /* rw_verify_area */
    uint32_t want = write ? POLLOUT | POLLERR : POLLIN | POLLHUP | POLLERR;
    bool stream = f->ops->stream;
    if (!r && stream && total && !(f->flags & O_NONBLOCK) && !(aio_poll_mask(f) & want)) {
        if (!intr) {
            *wait = want, r = AIO_BLOCK;
        } else {
            *res = -LINUX_EINTR;
        }
    } else if (!r) {
        int64_t done = write ? file_fsize_ok(p, f, cb->aio_offset, &total) : 0; /* RLIMIT_FSIZE: once */
        for (uint64_t i = 0; i < nsegs && done >= 0 && (uint64_t)done < total; i++) {
            uint64_t len = segs[i].len < total - (uint64_t)done ? segs[i].len : total - (uint64_t)done;
            if (!len)
                continue;
            if (done && stream && !(aio_poll_mask(f) & want))
                break;
            int64_t k = file_io(p, token, f, write, segs[i].base, len, stream ? -1 : cb->aio_offset + done);
            if (k < 0) {
                done = done ? done : k;
                break;
            }
            done += k;
            if ((uint64_t)k < len)
                break;
        }
        *res = done;
    }
    if (segs != &one)
        free(segs);
    return r;
}

/* IOCB_CMD_POLL: done at once if the file is ready (or has no poll), else
 * pending on x; 0, or BLOCK-free errors. */
static int64_t submit_poll(struct aio_ctx *x, struct file *f, const struct linux_iocb *cb, uint64_t ucb,
                           struct file *resfd, bool *pending)
{
    if (cb->aio_buf > EVENT_BITS || cb->aio_offset || cb->aio_nbytes || cb->aio_rw_flags)
        return -LINUX_EINVAL;
    uint32_t events = (uint32_t)cb->aio_buf | POLLERR | POLLHUP, m = aio_poll_mask(f) & events;
    if (!f->ops->poll && !m)
        return -LINUX_EINVAL; /* as for a file without poll */
    if (m) {
        aio_complete(x, ucb, cb->aio_data, m, resfd ? file_get(resfd) : NULL);
        return 0;
    }
    struct aio_poll *q = calloc(1, sizeof *q);
    if (!q)
        return -LINUX_ENOMEM;
    *q = (struct aio_poll){file_get(f), resfd ? file_get(resfd) : NULL, ucb, cb->aio_data, events, x->polls};
    x->polls = q;
    x->pending++;
    *pending = true;
    return 0;
}

/* One iocb, as Linux's io_submit_one: 0 (submitted), AIO_BLOCK (*wait_file
 * and *wait set), or -errno. */
static int64_t submit_one(struct proc *p, uint64_t token, struct aio_ctx *x, uint64_t ucb, bool intr, bool compat,
                          struct file **wait_file, uint32_t *wait)
{
    struct linux_iocb cb;
    if (mem_in(p, &cb, ucb, sizeof cb) < 0)
        return -LINUX_EFAULT;
    if (cb.aio_reserved2 || (int64_t)cb.aio_nbytes < 0)
        return -LINUX_EINVAL;
    if (x->pending + aio_ready_events(p, x) >= x->nr - 1)
        return -LINUX_EAGAIN; /* no request left (Linux's reqs_available) */
    struct file *f = fd_file(p, cb.aio_fildes), *resfd = NULL;
    if (!f)
        return -LINUX_EBADF;
    if (cb.aio_flags & IOCB_FLAG_RESFD) {
        resfd = fd_file(p, cb.aio_resfd);
        if (!resfd)
            return -LINUX_EBADF;
        if (resfd->kind != FILE_EVENTFD)
            return -LINUX_EINVAL;
    }
    uint32_t key = 0; /* KIOCB_KEY */
    if (mem_out(p, ucb + offsetof(struct linux_iocb, aio_key), &key, sizeof key) < 0)
        return -LINUX_EFAULT;
    int64_t r, res = 0;
    bool pending = false;
    switch (cb.aio_lio_opcode) {
    case IOCB_CMD_PREAD:
    case IOCB_CMD_PWRITE:
    case IOCB_CMD_PREADV:
    case IOCB_CMD_PWRITEV: {
        bool write = cb.aio_lio_opcode == IOCB_CMD_PWRITE || cb.aio_lio_opcode == IOCB_CMD_PWRITEV;
        bool vectored = cb.aio_lio_opcode >= IOCB_CMD_PREADV;
        r = aio_rw(p, token, f, &cb, write, vectored ? (compat ? AIO_IOV32 : AIO_IOV) : 0, intr, wait, &res);
        if (r == AIO_BLOCK)
            *wait_file = f;
        break;
    }
    case IOCB_CMD_FSYNC:
    case IOCB_CMD_FDSYNC:
        r = cb.aio_buf || cb.aio_offset || cb.aio_nbytes || cb.aio_rw_flags || f->ops != &inode_fops ? -LINUX_EINVAL
                                                                                                     : 0;
        break;
    case IOCB_CMD_POLL: return submit_poll(x, f, &cb, ucb, resfd, &pending);
    default: return -LINUX_EINVAL;
    }
    if (r == 0)
        aio_complete(x, ucb, cb.aio_data, res, resfd ? file_get(resfd) : NULL);
    return r;
}

/* io_submit from the i-th of nr iocbs at list: how many went, or the
 * first one's error; or 0 with the call waiting (c->deferred).  compat:
 * an i386 call's, its list 32-bit pointers and its vectored requests'
 * iovecs struct compat_iovec (Linux's compat io_submit). */
static int64_t submit_from(struct sys_ctx *c, struct aio_ctx *x, uint64_t list, int64_t nr, int64_t i, bool intr,
                           bool compat)
{
    uint64_t ws = compat ? 4 : 8;
    for (; i < nr; i++) {
        uint64_t ucb = 0;
        struct file *wf = NULL;
        uint32_t bits = 0;
        int64_t r = mem_in(c->p, &ucb, list + (uint64_t)i * ws, ws) < 0
                        ? -LINUX_EFAULT
                        : submit_one(c->p, c->token, x, ucb, intr, compat, &wf, &bits);
        if (r == AIO_BLOCK) {
            c->p->wait = (struct proc_wait){.kind = WAIT_AIOSUB, .token = c->token, .fds = (uintptr_t)file_get(wf),
                                            .nfds = (uint64_t)nr, .tv = list,
                                            .sets = {(uint64_t)i, (uintptr_t)x, bits | (uint64_t)compat << 32}};
            c->deferred = true;
            return 0;
        }
        if (r < 0)
            return i ? i : r;
    }
    return nr;
}

static int64_t sys_io_submit(struct sys_ctx *c, uint64_t ctx_id, int64_t nr, uint64_t iocbpp)
{
    if (nr < 0)
        return -LINUX_EINVAL;
    struct aio_ctx *x = aio_lookup(c->p, ctx_id);
    if (!x)
        return -LINUX_EINVAL;
    return submit_from(c, x, iocbpp, nr > x->nr ? x->nr : nr, 0, false, c->i386);
}

int64_t aio_submit_interrupted(struct proc *p)
{
    struct sys_ctx c = {.p = p, .token = p->wait.token};
    struct proc_wait w = p->wait;
    int64_t r = submit_from(&c, (struct aio_ctx *)w.sets[1], w.tv, (int64_t)w.nfds, (int64_t)w.sets[0], true,
                            w.sets[2] >> 32);
    p->wait = w; /* still waiting: the signal's proc_cancel_wait takes it */
    return r;
}

/* io_submits waiting on a file that is ready now go on. */
static void resume_submits(void)
{
    for (struct proc *p = proc_list(); p; p = p->next) {
        if (p->zombie || p->wait.kind != WAIT_AIOSUB)
            continue;
        struct file *f = (struct file *)p->wait.fds;
        if (!(aio_poll_mask(f) & (uint32_t)p->wait.sets[2]))
            continue;
        struct proc_wait w = p->wait;
        struct sys_ctx c = {.p = p, .token = w.token};
        p->wait.kind = WAIT_NONE;
        file_put(f);
        int64_t r = submit_from(&c, (struct aio_ctx *)w.sets[1], w.tv, (int64_t)w.nfds, (int64_t)w.sets[0], false,
                                w.sets[2] >> 32);
        if (!c.deferred)
            proc_reply(p, w.token, r);
    }
}

/* Pending polls whose file is ready complete, with the bits the file's
 * wakeup would carry. */
static bool finish_polls(void)
{
    for (struct aio_ctx *x = aio_contexts; x; x = x->next)
        for (struct aio_poll **pq = &x->polls, *q; (q = *pq);) {
            uint32_t m = aio_poll_mask(q->file);
            if (!(m & q->events)) {
                pq = &q->next;
                continue;
            }
            *pq = q->next;
            x->pending--;
            aio_complete(x, q->obj, q->data, m & (q->events | POLLRDNORM | POLLWRNORM), q->resfd);
            file_put(q->file);
            free(q);
            return true; /* the lists may have changed under the completion's wakeups */
        }
    return false;
}

void aio_recheck(void)
{
    static bool busy;
    if (busy || !aio_live)
        return;
    busy = true;
    while (finish_polls())
        ;
    resume_submits();
    busy = false;
}
