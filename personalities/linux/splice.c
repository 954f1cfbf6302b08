/*
 * personalities/linux/splice.c - moving data between descriptors without
 * the program's buffers: splice (a file into a pipe, a pipe into a file,
 * a pipe into a pipe, a stream socket into a pipe and a pipe into one,
 * a datagram of UDP's either way), tee (a copy from one pipe to another
 * that leaves the data), vmsplice (user memory into a pipe, or out of
 * one), and sendfile into a pipe or a socket.  The bytes go through a buffer of the server's, with
 * the pipe's own ring taken and filled by pipe_kread/pipe_kwrite: a
 * connected stream socket (socket.h) is two such pipes, and UDP takes a
 * datagram of the server's (udp_send_kernel, udp_recv_kernel).
 *
 * A call that must wait for a pipe (empty, or full) waits as
 * WAIT_SPLICE on that pipe's file and, when the pipe moves, runs again
 * from the start (wait.c answers -ERESTARTSYS, which restarts it unless a
 * handler interrupts it), so nothing is half done while it waits.  A
 * blocking move into a stream socket that filled it with more to send
 * (sendfile, or splice from a pipe, which Linux's finish) waits so too,
 * carrying the count it moved in the proc's move_carry, keyed by the
 * call's arguments; a signal ends it with that count (splice_carried).
 *
 * Entry points: the calls' handlers; splice_to_pipe, splice_to_dgram and
 * the carry's splice_carry_take and splice_carry_wait (io.c's sendfile);
 * splice_carried (signal.c).
 * Callers: the syscall table.  Layer: calls, above pipe.h and file.h.
 * Book: docs/linux.md, "Files".
 */
#include "inet.h"
#include "pipe.h"
#include "proc.h"
#include "socket.h"
#include "watchq.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/splice.h" /* generated: the handlers' prototypes, entries */

#define SPLICE_F_ALL 0x0f /* Linux's: SPLICE_F_MOVE, NONBLOCK, MORE and GIFT */
#define UIO_MAXIOV 1024
#define WAITING INT64_MIN /* the call waits: its answer comes later */

static char chunk[64 * 1024];

/* A pipe or a FIFO (a socket's pipes are not the program's). */
static bool is_pipe(const struct file *f)
{
    return f->pipe && (f->kind == FILE_PIPE_R || f->kind == FILE_PIPE_W) && !pipe_is_watchq(f->pipe); /* not a queue's */
}

/* A stream socket, AF_UNIX or TCP (socket.h): once connected it reads
 * f->pipe and writes f->peer, which the moves here take and fill. */
static bool is_stream(const struct file *f) { return f->kind == FILE_SOCKET && f->ops == &socket_fops; }

/* The pipe a write to pipe or stream socket f fills. */
static struct pipe *wpipe(const struct file *f) { return is_pipe(f) ? f->pipe : f->peer; }

static bool readable(const struct file *f) { return (f->flags & O_ACCMODE) != O_WRONLY; }
static bool writable(const struct file *f) { return (f->flags & O_ACCMODE) != O_RDONLY; }

/* Waits until pipe file f is ready for events, then runs the call again. */
static int64_t wait_pipe(struct sys_ctx *c, struct file *f, int events)
{
    c->p->move_carry.done = 0; /* none, unless splice_carry_wait sets it */
    c->p->wait = (struct proc_wait){.kind = WAIT_SPLICE, .token = c->token, .fds = (uint64_t)file_get(f),
                                    .nfds = (uint64_t)events};
    poll_waiter_add(c->p);
    c->deferred = true;
    return WAITING;
}

/* Whether pipe file f has data to take: 1; 0 at its end (no writer
 * left); -EAGAIN, or a wait, if not yet. */
static int64_t need_data(struct sys_ctx *c, struct file *f, bool nonblock)
{
    int64_t may = is_stream(f) ? socket_may_move(c, f, false, 0) : SOCKET_MAY;
    if (may != SOCKET_MAY)
        return may; /* not connected, or shut for reading (end of file) */
    if (pipe_len(f->pipe))
        return 1;
    if (is_stream(f) && pipe_reset_pending(f->pipe))
        return pipe_take_reset(f->pipe);
    if (!pipe_ends(f->pipe, true))
        return 0;
    return nonblock ? -LINUX_EAGAIN : wait_pipe(c, f, POLLIN);
}

/* Whether pipe file f has room: 1; -EPIPE (and SIGPIPE) with no reader
 * left; -EAGAIN, or a wait, if not yet. */
static int64_t need_room(struct sys_ctx *c, struct file *f, bool nonblock)
{
    int64_t may = is_stream(f) ? socket_may_move(c, f, true, 0) : SOCKET_MAY;
    if (may != SOCKET_MAY)
        return may; /* not connected, or shut for writing */
    if (!pipe_ends(wpipe(f), false)) {
        signal_send_thread(c->p, SIGPIPE, NULL);
        return -LINUX_EPIPE;
    }
    if (pipe_room(wpipe(f)))
        return 1;
    return nonblock ? -LINUX_EAGAIN : wait_pipe(c, f, POLLOUT);
}

static int64_t answer(int64_t r) { return r == WAITING ? 0 : r; }

uint64_t splice_carry_take(struct proc *p, const uint64_t key[4])
{
    uint64_t done = memcmp(p->move_carry.key, key, sizeof p->move_carry.key) == 0 ? p->move_carry.done : 0;
    p->move_carry.done = 0;
    return done;
}

int64_t splice_carry_wait(struct sys_ctx *c, const uint64_t key[4], uint64_t done, struct file *f)
{
    if (!c->deferred) /* else it waits already */
        wait_pipe(c, f, POLLOUT);
    memcpy(c->p->move_carry.key, key, sizeof c->p->move_carry.key);
    c->p->move_carry.done = done;
    return 0;
}

int64_t splice_carried(struct proc *p)
{
    uint64_t done = p->move_carry.done;
    p->move_carry.done = 0;
    return (int64_t)done;
}

int64_t splice_to_pipe(struct sys_ctx *c, struct file *in, uint64_t *pos, struct file *out, uint64_t len,
                       bool nonblock)
{
    int64_t r = need_room(c, out, nonblock), total = 0;
    if (r <= 0)
        return answer(r);
    for (uint64_t room = pipe_room(wpipe(out)); len && room;) {
        uint64_t n = len < room ? len : room;
        n = n < sizeof chunk ? n : sizeof chunk;
        int64_t k = in->ops->kread(in, chunk, n, pos);
        if (k <= 0)
            return total ? total : k;
        pipe_kwrite(wpipe(out), chunk, (size_t)k);
        total += k, len -= (uint64_t)k, room -= (uint64_t)k;
        if ((uint64_t)k < n)
            break;
    }
    return total;
}

int64_t splice_to_dgram(struct sys_ctx *c, struct file *in, uint64_t *pos, struct file *out, uint64_t len)
{
    uint64_t at = *pos;
    int64_t k = in->ops->kread(in, chunk, len < sizeof chunk ? len : sizeof chunk, &at);
    if (k <= 0)
        return k;
    int64_t r = udp_send_kernel(c, out, chunk, (uint64_t)k);
    if (r > 0)
        *pos = at;
    return r;
}

/* splice from pipe file in into UDP socket out: one datagram of what the
 * pipe holds, up to len. */
static int64_t pipe_to_dgram(struct sys_ctx *c, struct file *in, struct file *out, uint64_t len, bool nonblock)
{
    int64_t r = need_data(c, in, nonblock);
    if (r <= 0)
        return answer(r);
    size_t k = pipe_kread(in->pipe, chunk, len < sizeof chunk ? len : sizeof chunk, 0, true);
    if ((r = udp_send_kernel(c, out, chunk, k)) > 0)
        pipe_kread(in->pipe, NULL, k, 0, false);
    return r;
}

/* splice from UDP socket in into pipe file out: one datagram, up to len
 * and the pipe's room, after a wait for that room.  The socket's own
 * O_NONBLOCK alone decides whether its read waits (Linux's
 * copy_splice_read reads it as read does). */
static int64_t dgram_to_pipe(struct sys_ctx *c, struct file *in, struct file *out, uint64_t len, bool nonblock)
{
    int64_t r = need_room(c, out, nonblock);
    if (r <= 0)
        return answer(r);
    size_t room = pipe_room(out->pipe), n = len < room ? len : room;
    r = udp_recv_kernel(in, chunk, n < sizeof chunk ? n : sizeof chunk);
    if (r == -LINUX_EAGAIN && !(in->flags & O_NONBLOCK))
        return answer(wait_pipe(c, in, POLLIN));
    if (r > 0)
        pipe_kwrite(out->pipe, chunk, (size_t)r);
    return r;
}

/* The data of pipe file in, written to file out from *pos; what the file
 * does not take stays in the pipe. */
static int64_t splice_from_pipe(struct sys_ctx *c, struct file *in, struct file *out, uint64_t *pos, uint64_t len,
                                bool nonblock)
{
    int64_t r = need_data(c, in, nonblock), total = 0;
    if (r <= 0)
        return answer(r);
    while (len && pipe_len(in->pipe)) {
        size_t n = len < sizeof chunk ? len : sizeof chunk, k = pipe_kread(in->pipe, chunk, n, 0, true);
        int64_t w = out->ops->kwrite(out, chunk, k, pos);
        if (w <= 0)
            return total ? total : w;
        pipe_kread(in->pipe, NULL, (size_t)w, 0, false);
        total += w, len -= (uint64_t)w; /* after a short write, the rest again (Linux's iter_file_splice_write) */
    }
    return total;
}

/* splice between two pipes, or tee (keep: the data stays in the first);
 * or between a pipe and a stream socket, either way.  nb_in, nb_out:
 * whether a wait for data or for room is EAGAIN instead.  A socket's
 * data comes after the pipe's room, as Linux's splice_file_to_pipe. */
static int64_t pipe_to_pipe(struct sys_ctx *c, struct file *in, struct file *out, uint64_t len, bool nb_in,
                            bool nb_out, bool keep)
{
    int64_t r = is_pipe(in) ? need_data(c, in, nb_in) : 1, total = 0;
    if (r > 0)
        r = need_room(c, out, nb_out);
    if (r > 0 && !is_pipe(in))
        r = need_data(c, in, nb_in);
    if (r <= 0)
        return answer(r);
    size_t span = is_pipe(in) ? SIZE_MAX : oob_splice_span(in); /* TCP: up to the urgent mark, and 0 at it */
    len = len < span ? len : span;
    struct pipe *to = wpipe(out);
    while (len) {
        size_t n = len < sizeof chunk ? len : sizeof chunk;
        size_t k = pipe_kread(in->pipe, chunk, n < pipe_room(to) ? n : pipe_room(to), keep ? total : 0, true);
        if (!k)
            break;
        pipe_kwrite(to, chunk, k);
        if (!keep)
            pipe_kread(in->pipe, NULL, k, 0, false);
        total += (int64_t)k, len -= k;
    }
    return total;
}

/* splice from pipe in into blocking stream socket out: as Linux's
 * splice_to_socket, all the pipe holds (up to len) goes, the call waiting
 * for room as often as it must (the carry), and it ends when the pipe is
 * empty once something has gone. */
static int64_t pipe_to_stream(struct sys_ctx *c, struct file *in, struct file *out, uint64_t len, bool nb_pipe)
{
    const uint64_t key[4] = {(uint64_t)(uintptr_t)in | 1, (uint64_t)(uintptr_t)out, len, 0};
    uint64_t before = splice_carry_take(c->p, key);
    if (before && !pipe_len(in->pipe))
        return (int64_t)before;
    int64_t r = pipe_to_pipe(c, in, out, len - before, nb_pipe, false, false);
    if (c->deferred)
        return splice_carry_wait(c, key, before, out);
    if (r < 0)
        return before ? (int64_t)before : r;
    if (r > 0 && before + (uint64_t)r < len && pipe_len(in->pipe) && !pipe_room(out->peer))
        return splice_carry_wait(c, key, before + (uint64_t)r, out);
    return (int64_t)before + r;
}

/* splice with a stream socket on one side and a pipe on the other: the
 * socket's own O_NONBLOCK decides whether its side waits (for a TCP
 * read or any write, it alone: Linux's tcp_splice_read and
 * splice_to_socket), the flag and the pipe's O_NONBLOCK the pipe's. */
static int64_t splice_socket(struct sys_ctx *c, struct file *in, struct file *out, uint64_t len, bool nonblock)
{
    struct file *pipe = is_pipe(in) ? in : out, *sock = is_pipe(in) ? out : in;
    bool nb_pipe = nonblock || (pipe->flags & O_NONBLOCK), nb_sock = (sock->flags & O_NONBLOCK) != 0;
    if (sock == in && !sock->sock->inet)
        nb_sock |= nb_pipe; /* AF_UNIX's splice_read takes the call's SPLICE_F_NONBLOCK */
    if (sock == in)
        return pipe_to_pipe(c, in, out, len, nb_sock, nb_pipe, false);
    return nb_sock ? pipe_to_pipe(c, in, out, len, nb_pipe, nb_sock, false) : pipe_to_stream(c, in, out, len, nb_pipe);
}

/* A file's offset argument, or its position. */
static int offset_in(struct sys_ctx *c, struct file *f, uint64_t uoff, uint64_t *pos)
{
    int64_t off;
    if (!uoff) {
        *pos = f->pos;
        return 0;
    }
    if (mem_in(c->p, &off, uoff, sizeof off) < 0)
        return -LINUX_EFAULT;
    if (off < 0)
        return -LINUX_EINVAL;
    *pos = (uint64_t)off;
    return 0;
}

static int64_t offset_out(struct sys_ctx *c, struct file *f, uint64_t uoff, uint64_t pos, int64_t r)
{
    if (r < 0 || c->deferred)
        return r;
    if (!uoff)
        f->pos = pos;
    else if (mem_out(c->p, uoff, &pos, sizeof pos) < 0)
        return -LINUX_EFAULT;
    return r;
}

/* The checks in the order of Linux's splice and do_splice. */
static int64_t sys_splice(struct sys_ctx *c, uint64_t fd_in, uint64_t uoff_in, uint64_t fd_out, uint64_t uoff_out,
                          uint64_t len, uint32_t flags)
{
    if (!len)
        return 0;
    if (flags & ~(uint32_t)SPLICE_F_ALL)
        return -LINUX_EINVAL;
    struct file *in = fd_file(c->p, fd_in), *out = fd_file(c->p, fd_out);
    if (!in || !out)
        return -LINUX_EBADF;
    bool ipipe = is_pipe(in), opipe = is_pipe(out), nonblock = flags & SPLICE_F_NONBLOCK;
    if ((ipipe && uoff_in) || (opipe && uoff_out))
        return -LINUX_ESPIPE;
    int64_t probe;
    if ((uoff_out && mem_in(c->p, &probe, uoff_out, 8) < 0) || (uoff_in && mem_in(c->p, &probe, uoff_in, 8) < 0))
        return -LINUX_EFAULT;
    if (!readable(in) || !writable(out))
        return -LINUX_EBADF;
    if (ipipe && opipe) {
        nonblock |= ((in->flags | out->flags) & O_NONBLOCK) != 0;
        return in->pipe == out->pipe ? -LINUX_EINVAL : pipe_to_pipe(c, in, out, len, nonblock, nonblock, false);
    }
    if ((ipipe && is_stream(out)) || (opipe && is_stream(in)))
        return (ipipe ? uoff_out : uoff_in) ? -LINUX_EINVAL : splice_socket(c, in, out, len, nonblock);
    if (opipe && udp_of(in))
        return uoff_in ? -LINUX_EINVAL : dgram_to_pipe(c, in, out, len, nonblock || (out->flags & O_NONBLOCK));
    if (ipipe && udp_of(out))
        return uoff_out ? -LINUX_EINVAL : pipe_to_dgram(c, in, out, len, nonblock || (in->flags & O_NONBLOCK));
    uint64_t pos;
    int r;
    if (ipipe) {
        if (uoff_out && out->ops->stream)
            return -LINUX_ESPIPE;
        if (out->flags & O_APPEND)
            return -LINUX_EINVAL;
        if (!out->ops->kwrite || (r = offset_in(c, out, uoff_out, &pos)) < 0)
            return out->ops->kwrite ? r : -LINUX_EINVAL;
        return offset_out(c, out, uoff_out, pos,
                          splice_from_pipe(c, in, out, &pos, len, nonblock || (in->flags & O_NONBLOCK)));
    }
    if (opipe) {
        if (uoff_in && in->ops->stream)
            return -LINUX_ESPIPE;
        if (!in->ops->kread || (in->inode && (in->inode->mode & S_IFMT) == S_IFDIR))
            return -LINUX_EINVAL; /* no splice_read: a directory, a socket, an eventfd */
        if ((r = offset_in(c, in, uoff_in, &pos)) < 0)
            return r;
        r = splice_to_pipe(c, in, &pos, out, len, nonblock || (out->flags & O_NONBLOCK));
        if (r >= 0 && in->ops == &inode_fops && (in->inode->mode & S_IFMT) == S_IFREG)
            fs_accessed(in->inode, in->mnt_flags); /* the read's file_accessed (6.1's splice sends no event) */
        return offset_out(c, in, uoff_in, pos, r);
    }
    return -LINUX_EINVAL;
}

static int64_t sys_tee(struct sys_ctx *c, uint64_t fd_in, uint64_t fd_out, uint64_t len, uint32_t flags)
{
    if (flags & ~(uint32_t)SPLICE_F_ALL)
        return -LINUX_EINVAL;
    if (!len)
        return 0;
    struct file *in = fd_file(c->p, fd_in), *out = fd_file(c->p, fd_out);
    if (!in || !out)
        return -LINUX_EBADF;
    if (!readable(in) || !writable(out))
        return -LINUX_EBADF;
    if (!is_pipe(in) || !is_pipe(out) || in->pipe == out->pipe)
        return -LINUX_EINVAL;
    bool nonblock = (flags & SPLICE_F_NONBLOCK) || ((in->flags | out->flags) & O_NONBLOCK);
    return pipe_to_pipe(c, in, out, len, nonblock, nonblock, true);
}

/* Copies n bytes between chunk and the segments, from byte off of them
 * (out: to the process); the bytes copied before a bad address. */
static size_t segs_copy(struct proc *p, const struct io_seg *segs, uint64_t nsegs, uint64_t off, size_t n, bool out)
{
    size_t done = 0;
    for (uint64_t i = 0; i < nsegs && done < n; i++) {
        if (off >= segs[i].len) {
            off -= segs[i].len;
            continue;
        }
        size_t k = segs[i].len - off < n - done ? segs[i].len - off : n - done;
        int r = out ? mem_out(p, segs[i].base + off, chunk + done, k) : mem_in(p, chunk + done, segs[i].base + off, k);
        if (r < 0)
            break;
        done += k, off = 0;
    }
    return done;
}

/* vmsplice: into the pipe for a descriptor open for writing (as much as
 * there is room for), out of it for one open for reading (as much as it
 * holds), as Linux's. */
static int64_t sys_vmsplice(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t nr_segs, uint32_t flags)
{
    if (flags & ~(uint32_t)SPLICE_F_ALL)
        return -LINUX_EINVAL;
    struct file *f = fd_file(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    if (nr_segs > UIO_MAXIOV)
        return -LINUX_EINVAL;
    struct io_seg *segs;
    uint64_t total;
    int64_t r = iov_read(c->p, uiov, nr_segs, &segs, &total), done = 0;
    if (r < 0)
        return r;
    bool to_pipe = writable(f), nonblock = (flags & SPLICE_F_NONBLOCK) || (f->flags & O_NONBLOCK);
    if (!total)
        r = 0;
    else if (!is_pipe(f))
        r = -LINUX_EBADF;
    else if ((r = to_pipe ? need_room(c, f, nonblock) : need_data(c, f, nonblock)) > 0)
        while ((uint64_t)done < total) {
            size_t n = total - (uint64_t)done < sizeof chunk ? total - (uint64_t)done : sizeof chunk, k;
            if (to_pipe) {
                n = n < pipe_room(f->pipe) ? n : pipe_room(f->pipe);
                k = segs_copy(c->p, segs, nr_segs, (uint64_t)done, n, false);
                pipe_kwrite(f->pipe, chunk, k);
            } else {
                n = pipe_kread(f->pipe, chunk, n, 0, true);
                k = segs_copy(c->p, segs, nr_segs, (uint64_t)done, n, true);
                pipe_kread(f->pipe, NULL, k, 0, false);
            }
            done += (int64_t)k;
            if (k < n || !n)
                break;
        }
    free(segs);
    return r <= 0 ? answer(r) : done ? done : -LINUX_EFAULT;
}
