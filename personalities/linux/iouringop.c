/*
 * personalities/linux/iouringop.c - io_uring's requests: each SQE checked
 * as Linux's prep checks it, then done by the code its call has.  Reads
 * and writes go through native AIO's aio_rw (aiosubmit.c: a pipe's or a
 * socket's bytes through the server's buffer, a file's through its
 * operations); FSYNC, CLOSE, OPENAT, STATX, SEND, RECV, SENDMSG, RECVMSG,
 * ACCEPT and CONNECT through their calls' handlers (the entries of the
 * syscall table), run for the submitting thread.  A request whose file is
 * not ready waits on its ring (IORING_FEAT_FAST_POLL: Linux's poll-driven
 * retry) and is done again when iouring_recheck finds the file ready;
 * POLL_ADD waits the same way, TIMEOUT for its deadline (iouring_fire) or
 * its count of completions.  A call's handler that would wait has its
 * wait cancelled and the request waits instead; the wait its thread may
 * be in (an io_uring_enter, say) is kept.
 *
 * Not built: the other opcodes, IOSQE_IO_LINK, HARDLINK, IO_DRAIN and
 * BUFFER_SELECT (the SQE fails with EINVAL, as an opcode Linux does not
 * know), fixed files (EBADF: none can be registered), direct descriptors,
 * multishot polls and accepts.
 *
 * Entry points: iouring_recheck, iouring_next, iouring_fire (iouring.h),
 * iouring_cancel_mm, uring_issue, uring_count_timeouts, uring_op_supported,
 * uring_drop_pending.  Layer: waits, over the file types.  Book:
 * docs/linux.md, "Waiting".
 */
#include "aio.h"
#include "i386.h"
#include "iouring.h"
#include "pipe.h"
#include "proc.h"
#include "time.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "linux_entries/all.h" /* the 64-bit handlers' entries */

#define PENDING INT64_MIN /* an op's answer: the request waits (its uring_req made) */
#define OP_LAST 48u
#define SQE_FLAGS_BUILT (IOSQE_ASYNC | IOSQE_CQE_SKIP_SUCCESS)
#define SQE_FLAGS_KNOWN 0x7fu
#define TIMEOUT_FLAGS (IORING_TIMEOUT_ABS | IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME | \
                       IORING_TIMEOUT_ETIME_SUCCESS)

bool uring_op_supported(uint32_t op)
{
    switch (op) {
    case IORING_OP_NOP: case IORING_OP_READV: case IORING_OP_WRITEV: case IORING_OP_FSYNC:
    case IORING_OP_READ_FIXED: case IORING_OP_WRITE_FIXED: case IORING_OP_POLL_ADD: case IORING_OP_POLL_REMOVE:
    case IORING_OP_SENDMSG: case IORING_OP_RECVMSG: case IORING_OP_TIMEOUT: case IORING_OP_ACCEPT:
    case IORING_OP_CONNECT: case IORING_OP_OPENAT: case IORING_OP_CLOSE: case IORING_OP_STATX:
    case IORING_OP_READ: case IORING_OP_WRITE: case IORING_OP_SEND: case IORING_OP_RECV: return true;
    default: return false;
    }
}

/* The request waits on u: for f (a reference taken) to be ready for want,
 * or for a deadline, or a count; PENDING, or -ENOMEM. */
static int64_t park(struct proc *p, struct uring *u, const struct linux_io_uring_sqe *sqe, struct file *f,
                    uint32_t want, struct uring_req **made)
{
    struct uring_req *q = calloc(1, sizeof *q);
    if (!q)
        return -LINUX_ENOMEM;
    *q = (struct uring_req){.sqe = *sqe, .tid = p->pid, .file = f ? file_get(f) : NULL, .want = want,
                            .next = u->pending};
    u->pending = q;
    if (made)
        *made = q;
    return PENDING;
}

/* ---- doing a request with its call's code ---- */

/* A call's entry run for p from a context of its own, as p's own call:
 * one that would wait gives -EAGAIN, its wait cancelled; the wait p was
 * in is kept. */
static int64_t run_entry(struct proc *p, linux_handler entry, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                         uint64_t a4)
{
    uint64_t a[6] = {a0, a1, a2, a3, a4, 0}, t;
    struct sys_ctx s = {.p = p, .a = a};
    struct proc_wait outer = p->wait;
    bool outer_pipe = p->block.pipe != NULL;
    const struct cred *cred = fs_cred;
    p->wait.kind = WAIT_NONE;
    struct ns *mnt_ns = fs_mnt_ns;
    fs_cred = &p->cred, fs_mnt_ns = p->ns[NS_MNT]; /* the submitter's permissions and mounts */
    int64_t r = entry(&s);
    fs_cred = cred, fs_mnt_ns = mnt_ns;
    if (s.deferred) {
        if (p->wait.kind != WAIT_NONE)
            wait_cancel(p, &t);
        else if (!outer_pipe && p->block.pipe)
            pipe_cancel(p, &t);
        r = -LINUX_EAGAIN;
    }
    p->wait = outer;
    return r;
}

/* READ, WRITE, their V and FIXED forms, through aio_rw: IORING_FEAT_RW_CUR_POS
 * (offset -1: the file's position, moved on), a stream's offset ignored. */
static int64_t op_rw(struct proc *p, struct uring *u, const struct linux_io_uring_sqe *sqe, struct uring_req **made)
{
    uint8_t op = sqe->opcode;
    bool write = op == IORING_OP_WRITE || op == IORING_OP_WRITEV || op == IORING_OP_WRITE_FIXED;
    bool vectored = op == IORING_OP_READV || op == IORING_OP_WRITEV;
    struct file *f = fd_file(p, (uint64_t)(int64_t)sqe->fd);
    if (!f)
        return -LINUX_EBADF;
    if (op == IORING_OP_READ_FIXED || op == IORING_OP_WRITE_FIXED) {
        if (sqe->buf_index >= u->nbufs) /* unregistered since its prep */
            return -LINUX_EFAULT;
        const struct io_seg *b = &u->bufs[sqe->buf_index];
        if (sqe->addr < b->base || sqe->addr + sqe->len > b->base + b->len || sqe->addr + sqe->len < sqe->addr)
            return -LINUX_EFAULT;
    }
    bool cur = sqe->off == UINT64_MAX;
    int64_t at = f->ops->stream ? 0 : cur ? (int64_t)f->pos : (int64_t)sqe->off;
    struct linux_iocb cb = {.aio_rw_flags = sqe->op_flags, .aio_fildes = (uint32_t)sqe->fd, .aio_buf = sqe->addr,
                            .aio_nbytes = sqe->len, .aio_offset = at};
    uint32_t want = 0;
    int64_t res = 0, r;
    struct proc_wait outer = p->wait;
    p->wait.kind = WAIT_NONE;
    fsize_io_worker = true; /* as Linux's io worker, which blocks SIGXFSZ */
    r = aio_rw(p, 0, f, &cb, write, vectored ? (u->compat ? AIO_IOV32 : AIO_IOV) : 0, false, &want, &res);
    fsize_io_worker = false;
    p->wait = outer;
    if (r == AIO_BLOCK)
        return park(p, u, sqe, f, want, made);
    if (r < 0)
        return r;
    if (cur && !f->ops->stream && res > 0)
        f->pos += (uint64_t)res;
    return res;
}

/* POLL_ADD: the ready bits it asks for, now or when its file has them. */
static int64_t op_poll(struct proc *p, struct uring *u, const struct linux_io_uring_sqe *sqe, struct uring_req **made)
{
    struct file *f = fd_file(p, (uint64_t)(int64_t)sqe->fd);
    if (!f)
        return -LINUX_EBADF;
    uint32_t events = (sqe->op_flags & 0xffffu) | POLLERR | POLLHUP, m = aio_poll_mask(f) & events;
    return m ? m : park(p, u, sqe, f, events, made);
}

/* POLL_REMOVE: the pending POLL_ADD whose user_data is sqe->addr ends
 * (ECANCELED); 0, or ENOENT. */
static int64_t op_poll_remove(struct uring *u, const struct linux_io_uring_sqe *sqe)
{
    for (struct uring_req **pq = &u->pending, *q; (q = *pq); pq = &q->next)
        if (q->sqe.opcode == IORING_OP_POLL_ADD && q->sqe.user_data == sqe->addr) {
            *pq = q->next;
            uring_post(u, q->sqe.user_data, -LINUX_ECANCELED, 0);
            file_put(q->file);
            free(q);
            return 0;
        }
    return -LINUX_ENOENT;
}

/* TIMEOUT: ETIME at its time, or 0 once off other completions came. */
static int64_t op_timeout(struct proc *p, struct uring *u, const struct linux_io_uring_sqe *sqe)
{
    int64_t ts[2];
    if (mem_in(p, ts, sqe->addr, sizeof ts) < 0)
        return -LINUX_EFAULT;
    if (ts[0] < 0 || ts[1] < 0)
        return -LINUX_EINVAL;
    uint64_t ns = ts[0] >= INT64_MAX / 1000000000 ? INT64_MAX : (uint64_t)(ts[0] * 1000000000 + ts[1]);
    struct uring_req *q = NULL;
    int64_t r = park(p, u, sqe, NULL, 0, &q);
    if (r != PENDING)
        return r;
    q->deadline = !(sqe->op_flags & IORING_TIMEOUT_ABS) ? clock_after(ns)
                  : clock_deadline(ns, (sqe->op_flags & IORING_TIMEOUT_REALTIME) != 0);
    if (!q->deadline)
        q->deadline = 1;
    if (sqe->off) {
        q->counted = true;
        q->target = u->posted - u->timeouts + (uint32_t)sqe->off;
    }
    wait_rearm();
    return PENDING;
}

/* A stream socket's SEND, RECV, SENDMSG or RECVMSG (a message without
 * control data or name): its bytes through aio_rw, as a read or write,
 * with MSG_NOSIGNAL (no SIGPIPE) and MSG_DONTWAIT (no wait) obeyed. */
static int64_t stream_io(struct proc *p, struct uring *u, const struct linux_io_uring_sqe *sqe, struct file *f,
                         bool out, struct uring_req **made)
{
    bool msg = sqe->opcode == IORING_OP_SENDMSG || sqe->opcode == IORING_OP_RECVMSG;
    struct msghdr_k m = {.iov = sqe->addr, .iovlen = sqe->len};
    uint32_t m32[7]; /* an i386 ring's struct compat_msghdr: name, namelen, iov, iovlen, control, controllen, flags */
    if (msg && u->compat) {
        if (mem_in(p, m32, sqe->addr, sizeof m32) < 0)
            return -LINUX_EFAULT;
        m = (struct msghdr_k){.name = m32[0], .iov = m32[2], .iovlen = m32[3], .control = m32[4]};
    } else if (msg && mem_in(p, &m, sqe->addr, sizeof m) < 0) {
        return -LINUX_EFAULT;
    }
    if ((sqe->op_flags & ~(uint32_t)(MSG_DONTWAIT | MSG_NOSIGNAL)) || (msg && (m.control || m.name)))
        return -LINUX_EINVAL; /* not built: the call's other flags, control data */
    if (out && !pipe_ends(f->peer, false))
        return -LINUX_EPIPE; /* io_uring's sends are MSG_NOSIGNAL */
    uint32_t ready = aio_poll_mask(f) & (out ? POLLOUT | POLLERR : POLLIN | POLLHUP | POLLERR);
    if (!ready && (sqe->op_flags & MSG_DONTWAIT))
        return -LINUX_EAGAIN;
    struct linux_io_uring_sqe rw = *sqe;
    rw.opcode = msg ? (out ? IORING_OP_WRITEV : IORING_OP_READV) : (out ? IORING_OP_WRITE : IORING_OP_READ);
    rw.addr = m.iov, rw.len = (uint32_t)m.iovlen, rw.op_flags = 0, rw.off = 0;
    int64_t r = ready ? op_rw(p, u, &rw, NULL) : park(p, u, sqe, f, out ? POLLOUT | POLLERR : POLLIN | POLLHUP | POLLERR,
                                                       made);
    if (r >= 0 && msg && !out) {
        int32_t flags = 0;
        mem_out(p, sqe->addr + (u->compat ? 24 : offsetof(struct msghdr_k, flags)), &flags, sizeof flags);
    }
    return r;
}

/* A socket call's request: a stream's through stream_io, another's with
 * the call and MSG_DONTWAIT, waiting for the file (want) itself when the
 * caller did not ask for DONTWAIT. */
static int64_t op_sock(struct proc *p, struct uring *u, const struct linux_io_uring_sqe *sqe, struct uring_req **made)
{
    struct file *f = fd_file(p, (uint64_t)(int64_t)sqe->fd);
    if (!f)
        return -LINUX_EBADF;
    uint8_t op = sqe->opcode;
    bool out = op == IORING_OP_SEND || op == IORING_OP_SENDMSG;
    if (f->kind == FILE_SOCKET && f->pipe && f->peer)
        return stream_io(p, u, sqe, f, out, made);
    uint64_t flags = sqe->op_flags | (out ? MSG_NOSIGNAL : 0) | MSG_DONTWAIT;
    int64_t r = op == IORING_OP_SEND      ? run_entry(p, entry_sendto, (uint64_t)sqe->fd, sqe->addr, sqe->len, flags, 0)
                : op == IORING_OP_RECV    ? run_entry(p, entry_recvfrom, (uint64_t)sqe->fd, sqe->addr, sqe->len, flags, 0)
                : op == IORING_OP_SENDMSG ? run_entry(p, u->compat ? entry32_sendmsg : entry_sendmsg, (uint64_t)sqe->fd,
                                                      sqe->addr, flags, 0, 0)
                                          : run_entry(p, u->compat ? entry32_recvmsg : entry_recvmsg, (uint64_t)sqe->fd,
                                                      sqe->addr, flags, 0, 0);
    if (r == -LINUX_EAGAIN && !(sqe->op_flags & MSG_DONTWAIT))
        return park(p, u, sqe, f, out ? POLLOUT | POLLERR : POLLIN | POLLHUP | POLLERR, made);
    return r;
}

/* ACCEPT and CONNECT: the call, waiting for the file when it would. */
static int64_t op_conn(struct proc *p, struct uring *u, const struct linux_io_uring_sqe *sqe, struct uring_req **made,
                       bool retry)
{
    struct file *f = fd_file(p, (uint64_t)(int64_t)sqe->fd);
    if (!f)
        return -LINUX_EBADF;
    bool accept = sqe->opcode == IORING_OP_ACCEPT;
    int64_t r = accept ? run_entry(p, entry_accept4, (uint64_t)sqe->fd, sqe->addr, sqe->off, sqe->op_flags, 0)
                       : run_entry(p, entry_connect, (uint64_t)sqe->fd, sqe->addr, sqe->off, 0, 0);
    if (!accept && retry && r == -LINUX_EISCONN)
        return 0; /* the connection a first try started is made */
    if (r == -LINUX_EAGAIN || (!accept && (r == -LINUX_EINPROGRESS || r == -LINUX_EALREADY)))
        return park(p, u, sqe, f, accept ? POLLIN | POLLERR : POLLOUT | POLLERR, made);
    return r;
}

/* The request's work: its result, or PENDING. */
static int64_t op_work(struct proc *p, struct uring *u, const struct linux_io_uring_sqe *sqe, bool retry)
{
    uint64_t fd = (uint64_t)(int64_t)sqe->fd;
    struct file *f;
    switch (sqe->opcode) {
    case IORING_OP_NOP: return 0;
    case IORING_OP_READV: case IORING_OP_WRITEV: case IORING_OP_READ: case IORING_OP_WRITE:
    case IORING_OP_READ_FIXED: case IORING_OP_WRITE_FIXED: return op_rw(p, u, sqe, NULL);
    case IORING_OP_FSYNC:
        return run_entry(p, sqe->op_flags & IORING_FSYNC_DATASYNC ? entry_fdatasync : entry_fsync, fd, 0, 0, 0, 0);
    case IORING_OP_POLL_ADD: return op_poll(p, u, sqe, NULL);
    case IORING_OP_POLL_REMOVE: return op_poll_remove(u, sqe);
    case IORING_OP_TIMEOUT: return op_timeout(p, u, sqe);
    case IORING_OP_SEND: case IORING_OP_RECV: case IORING_OP_SENDMSG: case IORING_OP_RECVMSG:
        return op_sock(p, u, sqe, NULL);
    case IORING_OP_ACCEPT: case IORING_OP_CONNECT: return op_conn(p, u, sqe, NULL, retry);
    case IORING_OP_OPENAT:
        return run_entry(p, entry_openat, fd, sqe->addr, sqe->op_flags | O_LARGEFILE, sqe->len, 0);
    case IORING_OP_CLOSE:
        if (sqe->file_index) /* a direct descriptor: there is no table of them */
            return -LINUX_ENXIO;
        f = fd_file(p, fd);
        if (f && f->kind == FILE_IOURING)
            return -LINUX_EBADF; /* a ring may not close itself, as Linux's io_close */
        return run_entry(p, entry_close, fd, 0, 0, 0, 0);
    case IORING_OP_STATX:
        return run_entry(p, entry_statx, fd, sqe->addr, sqe->op_flags, sqe->len, sqe->off);
    default: return -LINUX_EINVAL;
    }
}

static int in_op;     /* a request's work is running: a recheck it causes waits for its end */
static uint32_t pass; /* iouring_recheck's: a request parked again in it waits for the next */

static int64_t op_do(struct proc *p, struct uring *u, const struct linux_io_uring_sqe *sqe, bool retry)
{
    in_op++;
    struct uring_req *before = u->pending;
    int64_t r = op_work(p, u, sqe, retry);
    if (r == PENDING && u->pending != before)
        u->pending->tried = pass;
    in_op--;
    return r;
}

/* ---- preparing a request: Linux's prep checks, which fail the SQE ---- */

static int prep_rw(const struct uring *u, const struct linux_io_uring_sqe *sqe)
{
    uint8_t op = sqe->opcode;
    if (op == IORING_OP_READ_FIXED || op == IORING_OP_WRITE_FIXED)
        return sqe->buf_index >= u->nbufs ? -LINUX_EFAULT : 0;
    return 0; /* another's buf_index is a buffer group's, which only IOSQE_BUFFER_SELECT reads */
}

static int prep_sock(const struct linux_io_uring_sqe *sqe)
{
    uint8_t op = sqe->opcode;
    if (op == IORING_OP_ACCEPT)
        return sqe->len || sqe->buf_index || sqe->ioprio || sqe->file_index ||
                       (sqe->op_flags & ~(uint32_t)(O_CLOEXEC | O_NONBLOCK))
                   ? -LINUX_EINVAL
                   : 0;
    if (op == IORING_OP_CONNECT)
        return sqe->len || sqe->buf_index || sqe->op_flags || sqe->file_index ? -LINUX_EINVAL : 0;
    return sqe->file_index || sqe->ioprio || (op != IORING_OP_SENDMSG && op != IORING_OP_RECVMSG && sqe->off)
               ? -LINUX_EINVAL
               : 0;
}

/* What Linux's io_init_req and the opcode's prep refuse: -errno, or 0. */
static int prep(const struct uring *u, const struct linux_io_uring_sqe *sqe)
{
    if (sqe->opcode >= OP_LAST || (sqe->flags & ~SQE_FLAGS_KNOWN) || sqe->personality)
        return -LINUX_EINVAL; /* no personality is ever registered */
    if ((sqe->flags & ~(SQE_FLAGS_BUILT | IOSQE_FIXED_FILE)) || !uring_op_supported(sqe->opcode))
        return -LINUX_EINVAL; /* not built: links, drain, buffer selection, the other opcodes */
    switch (sqe->opcode) {
    case IORING_OP_READV: case IORING_OP_WRITEV: case IORING_OP_READ: case IORING_OP_WRITE:
    case IORING_OP_READ_FIXED: case IORING_OP_WRITE_FIXED: return prep_rw(u, sqe);
    case IORING_OP_FSYNC:
        return sqe->addr || sqe->buf_index || sqe->file_index || (sqe->op_flags & ~IORING_FSYNC_DATASYNC)
                   ? -LINUX_EINVAL : 0;
    case IORING_OP_POLL_ADD: return sqe->buf_index || sqe->off || sqe->addr || sqe->len ? -LINUX_EINVAL : 0;
    case IORING_OP_POLL_REMOVE: return sqe->buf_index || sqe->file_index || sqe->len || sqe->op_flags || sqe->off
                                           ? -LINUX_EINVAL : 0;
    case IORING_OP_TIMEOUT:
        return sqe->buf_index || sqe->len != 1 || sqe->file_index || (sqe->op_flags & ~TIMEOUT_FLAGS) ||
                       (sqe->op_flags & IORING_TIMEOUT_BOOTTIME && sqe->op_flags & IORING_TIMEOUT_REALTIME)
                   ? -LINUX_EINVAL : 0;
    case IORING_OP_CLOSE:
        return sqe->off || sqe->addr || sqe->len || sqe->op_flags || sqe->buf_index || (sqe->file_index && sqe->fd)
                   ? -LINUX_EINVAL : 0;
    case IORING_OP_OPENAT: return sqe->buf_index || sqe->file_index ? -LINUX_EINVAL : 0; /* no direct descriptors */
    case IORING_OP_STATX: return sqe->buf_index || sqe->file_index ? -LINUX_EINVAL : 0;
    case IORING_OP_SEND: case IORING_OP_RECV: case IORING_OP_SENDMSG: case IORING_OP_RECVMSG:
    case IORING_OP_ACCEPT: case IORING_OP_CONNECT: return prep_sock(sqe);
    default: return 0;
    }
}

/* A receive's IORING_CQE_F_SOCK_NONEMPTY: its stream socket holds more. */
static uint32_t cqe_flags(struct proc *p, const struct linux_io_uring_sqe *sqe, int64_t res)
{
    if (res < 0 || !p || (sqe->opcode != IORING_OP_RECV && sqe->opcode != IORING_OP_RECVMSG))
        return 0;
    struct file *f = fd_file(p, (uint64_t)(int64_t)sqe->fd);
    return f && f->kind == FILE_SOCKET && f->pipe && f->peer && pipe_len(f->pipe) ? IORING_CQE_F_SOCK_NONEMPTY : 0;
}

/* The request's completion, unless IOSQE_CQE_SKIP_SUCCESS skips it. */
static void complete(struct proc *p, struct uring *u, const struct linux_io_uring_sqe *sqe, int64_t res)
{
    if (!(sqe->flags & IOSQE_CQE_SKIP_SUCCESS) || res < 0)
        uring_post(u, sqe->user_data, res, cqe_flags(p, sqe, res));
}

int uring_issue(struct proc *p, struct uring *u, const struct linux_io_uring_sqe *sqe)
{
    int e = prep(u, sqe);
    if (e < 0) {
        uring_post(u, sqe->user_data, e, 0);
        return e;
    }
    int64_t r = sqe->flags & IOSQE_FIXED_FILE ? -LINUX_EBADF /* no file is ever registered */
                                                : op_do(p, u, sqe, false);
    if (r != PENDING)
        complete(p, u, sqe, r);
    return 0;
}

/* ---- requests that wait ---- */

static void req_free(struct uring_req *q)
{
    if (q->file)
        file_put(q->file);
    free(q);
}

/* One pending request of some ring whose file is ready now, done again;
 * false when there was none. */
static bool retry_one(void)
{
    for (struct uring *u = urings; u; u = u->next)
        for (struct uring_req **pq = &u->pending, *q; (q = *pq); pq = &q->next) {
            if (!q->file || q->tried == pass || !(aio_poll_mask(q->file) & q->want))
                continue;
            struct proc *p = proc_by_pid(q->tid);
            if (p && !p->zombie && p->block.pipe)
                continue; /* its thread is in a pipe's call: later */
            *pq = q->next;
            int64_t r = !p || p->zombie ? -LINUX_ECANCELED
                        : q->sqe.opcode == IORING_OP_POLL_ADD ? (int64_t)(aio_poll_mask(q->file) & q->want)
                                                              : op_do(p, u, &q->sqe, true);
            if (r != PENDING)
                complete(p && !p->zombie ? p : NULL, u, &q->sqe, r);
            req_free(q);
            return true; /* the lists may have changed under the completion's wakeups */
        }
    return false;
}

void iouring_recheck(void)
{
    static bool busy;
    if (busy || in_op || !iouring_live)
        return; /* the completion after the request's work looks again */
    busy = true;
    pass++;
    while (retry_one())
        ;
    busy = false;
}

uint64_t iouring_next(void)
{
    uint64_t next = 0;
    for (struct uring *u = urings; u; u = u->next)
        for (struct uring_req *q = u->pending; q; q = q->next)
            if (q->deadline && (!next || q->deadline < next))
                next = q->deadline;
    return next;
}

/* The timeout q of u ends with res: it counts among the timeouts, which
 * other timeouts' counts leave out. */
static void timeout_end(struct uring *u, struct uring_req **pq, int64_t res)
{
    struct uring_req *q = *pq;
    *pq = q->next;
    u->timeouts++;
    complete(NULL, u, &q->sqe, res);
    req_free(q);
}

/* One timeout of u that is due (its deadline past t, or its count
 * reached) ended; false when none is. */
static bool timeout_due(struct uring *u, uint64_t t)
{
    for (struct uring_req **pq = &u->pending, *q; (q = *pq); pq = &q->next) {
        if (q->deadline && q->deadline <= t) {
            timeout_end(u, pq, -LINUX_ETIME);
            return true;
        }
        if (q->counted && (int32_t)(u->posted - u->timeouts - q->target) >= 0) {
            timeout_end(u, pq, 0);
            return true;
        }
    }
    return false;
}

void iouring_fire(uint64_t t)
{
    for (struct uring *u = urings; u;)
        u = timeout_due(u, t) ? urings : u->next; /* a completion may change the list */
}

void uring_count_timeouts(struct uring *u)
{
    while (timeout_due(u, 0))
        ;
}

void uring_drop_pending(struct uring *u)
{
    while (u->pending) {
        struct uring_req *q = u->pending;
        u->pending = q->next;
        req_free(q);
    }
}

/* One pending request of u submitted by a thread of mm ended (ECANCELED);
 * false when there is none. */
static bool cancel_one(struct uring *u, const struct mm *mm)
{
    for (struct uring_req **pq = &u->pending, *q; (q = *pq); pq = &q->next) {
        struct proc *p = proc_by_pid(q->tid);
        if (!p || p->mm != mm)
            continue;
        *pq = q->next;
        u->timeouts += q->sqe.opcode == IORING_OP_TIMEOUT;
        complete(NULL, u, &q->sqe, -LINUX_ECANCELED);
        req_free(q);
        return true;
    }
    return false;
}

void iouring_cancel_mm(const struct mm *mm)
{
    for (struct uring *u = iouring_live ? urings : NULL; u;)
        u = cancel_one(u, mm) ? urings : u->next; /* a completion may change the list */
}
