/*
 * personalities/linux/iov.c - vectored reads and writes: readv, writev,
 * preadv, pwritev, preadv2 and pwritev2, and the iovec arrays they (and
 * sendmsg, recvmsg, vmsplice) take, checked as Linux's import_iovec
 * checks them.  A pipe or a socket moves all the segments as one read or
 * write (its rw_iov); any other file takes them one by one, as read and
 * write would (io_transfer).
 *
 * Entry points: iov_read and iov_copy (file.h), and the calls' handlers.
 * Callers: the syscall table; iov_read: the socket calls and vmsplice;
 * iov_copy: pipes (pipe.c), which copy into and out of the segments.  Layer: above
 * file.h, beside io.c.  Book: docs/linux.md, "Files".
 */
#include "file.h"
#include "pipe.h"
#include "proc.h"
#include "socket.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/iov.h" /* generated: the handlers' prototypes, entries */

#define UIO_MAXIOV 1024          /* the most segments a call takes (linux/uio.h) */
#define MAX_RW_COUNT 0x7ffff000u /* the most one call moves: INT_MAX down to a page (linux/fs.h) */
/* the RWF_* flags Linux 6.18 knows */
#define RWF_KNOWN (RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND | RWF_NOAPPEND | RWF_ATOMIC | \
                   RWF_DONTCACHE | RWF_NOSIGNAL)

int iov_copy(struct proc *p, const struct io_seg *segs, int nsegs, char *buf, uint64_t off, size_t n, bool out)
{
    if (nsegs == 1) /* read and write: one span */
        return out ? mem_out(p, segs[0].base + off, buf, n) : mem_in(p, buf, segs[0].base + off, n);
    for (int i = 0; i < nsegs && n; i++) {
        uint64_t l = segs[i].len;
        if (off >= l) {
            off -= l;
            continue;
        }
        size_t k = l - off < n ? l - off : n;
        int r = out ? mem_out(p, segs[i].base + off, buf, k) : mem_in(p, buf, segs[i].base + off, k);
        if (r < 0)
            return r;
        buf += k, n -= k, off = 0;
    }
    return 0;
}

int64_t iov_read_abi(struct proc *p, uint64_t iov, uint64_t cnt, bool compat, struct io_seg **segs, uint64_t *total)
{
    *total = 0, *segs = NULL; /* NULL after any error: callers may free it all the same */
    if (cnt > UIO_MAXIOV)
        return -LINUX_EINVAL;
    *segs = malloc((cnt ? cnt : 1) * sizeof **segs);
    if (!*segs)
        return -LINUX_ENOMEM;
    int64_t err = cnt && mem_in(p, *segs, iov, cnt * (compat ? 8 : sizeof **segs)) < 0 ? -LINUX_EFAULT : 0;
    if (compat && !err) /* struct compat_iovec: widened from the top down, in place; the length signed */
        for (uint64_t i = cnt; i-- > 0;) {
            uint32_t w[2];
            memcpy(w, (char *)*segs + i * 8, 8);
            (*segs)[i] = (struct io_seg){w[0], (uint64_t)(int64_t)(int32_t)w[1]};
        }
    for (uint64_t i = 0; i < cnt && !err; i++) /* every length first, as Linux copies them */
        if ((int64_t)(*segs)[i].len < 0)
            err = -LINUX_EINVAL;
    for (uint64_t i = 0; i < cnt && !err; i++) {
        struct io_seg *s = &(*segs)[i];
        if (s->len > TASK_SIZE || s->base > TASK_SIZE - s->len) /* Linux's access_ok */
            err = -LINUX_EFAULT;
        else if (s->len > MAX_RW_COUNT - *total)
            s->len = MAX_RW_COUNT - *total;
        *total += s->len;
    }
    if (err)
        free(*segs), *segs = NULL;
    return err;
}

int64_t iov_read(struct proc *p, uint64_t iov, uint64_t cnt, struct io_seg **segs, uint64_t *total)
{
    return iov_read_abi(p, iov, cnt, false, segs, total);
}

/* The RWF_* flags of preadv2 and pwritev2 as Linux's kiocb_set_rw_flags
 * takes them on file f: tmpfs has no non-blocking, atomic or uncached
 * I/O, pipes and sockets have the first. */
static int64_t rwf_check(struct file *f, uint64_t rwf)
{
    if (rwf & ~(uint64_t)RWF_KNOWN)
        return -LINUX_EOPNOTSUPP;
    if ((rwf & RWF_APPEND) && (rwf & RWF_NOAPPEND))
        return -LINUX_EINVAL;
    if ((rwf & RWF_NOWAIT) && !f->ops->rw_iov)
        return -LINUX_EOPNOTSUPP;
    return rwf & (RWF_ATOMIC | RWF_DONTCACHE) ? -LINUX_EOPNOTSUPP : 0;
}

/* All the segments as one read or write of a pipe or a socket, RWF_NOWAIT
 * as O_NONBLOCK, RWF_NOSIGNAL as MSG_NOSIGNAL; segs is freed. */
static int64_t stream_io(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, uint64_t total,
                         bool write, uint64_t rwf)
{
    int how = ((rwf & RWF_NOWAIT) || (f->flags & O_NONBLOCK) ? MOVE_NONBLOCK : 0) |
              (write && (rwf & RWF_NOSIGNAL) ? MOVE_NOSIGNAL : 0);
    if (!rwf)
        return f->ops->rw_iov(c, f, segs, nsegs, total, write);
    if (f->ops == &socket_fops)
        return socket_io(c, f, segs, nsegs, false, total, write, how);
    if ((f->kind != FILE_PIPE_R && f->kind != FILE_PIPE_W) || !f->pipe) { /* UDP: only NOWAIT, as O_NONBLOCK */
        int flags = f->flags;
        f->flags |= how & MOVE_NONBLOCK ? O_NONBLOCK : 0;
        int64_t r = f->ops->rw_iov(c, f, segs, nsegs, total, write);
        f->flags = flags;
        return r;
    }
    if ((f->flags & O_ACCMODE) != O_RDWR && write != (f->kind == FILE_PIPE_W)) { /* the wrong end */
        free(segs);
        return -LINUX_EBADF;
    }
    return pipe_move(c, f->pipe, segs, nsegs, false, total, write, how);
}

/* A vectored read or write of descriptor fd: at an offset (at >= 0), or
 * at the file's position (-1), with preadv2's flags rwf. */
static int64_t vector_io(struct sys_ctx *c, uint64_t fd, uint64_t iov, uint64_t cnt, bool write, int64_t at,
                         uint64_t rwf)
{
    struct file *f = fd_file(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    if (at >= 0 && f->ops->stream)
        return -LINUX_ESPIPE;
    if (f->kind == FILE_INODE && (f->flags & O_ACCMODE) == (write ? O_RDONLY : O_WRONLY))
        return -LINUX_EBADF;
    struct io_seg *segs;
    uint64_t total;
    int64_t r = iov_read(c->p, iov, cnt, &segs, &total);
    if (r < 0)
        return r;
    if (!total || (r = rwf_check(f, rwf)) < 0) { /* nothing to move: no flag is looked at */
        free(segs);
        return r;
    }
    if ((rwf & ~(uint64_t)RWF_HIPRI) && f->kind == FILE_INODE && (f->inode->mode & S_IFMT) == S_IFDIR) {
        free(segs); /* a directory has no read_iter: do_loop_readv_writev takes RWF_HIPRI alone */
        return -LINUX_EOPNOTSUPP;
    }
    if (f->ops->rw_iov)
        return stream_io(c, f, segs, (int)cnt, total, write, rwf);
    int flags = f->flags; /* RWF_APPEND and RWF_NOAPPEND: this call's O_APPEND */
    if (write && (rwf & (RWF_APPEND | RWF_NOAPPEND)))
        f->flags = rwf & RWF_APPEND ? f->flags | O_APPEND : f->flags & ~O_APPEND;
    int64_t done = 0;
    if (write)
        done = file_fsize_ok(c->p, f, at, &total); /* RLIMIT_FSIZE: once for the call */
    for (uint64_t i = 0; i < cnt && done >= 0; i++) { /* done < 0: EFBIG */
        uint64_t len = segs[i].len < total - (uint64_t)done ? segs[i].len : total - (uint64_t)done;
        if (!len)
            continue;
        r = io_transfer(c, fd, segs[i].base, len, write, at < 0 ? -1 : at + done);
        if (r < 0) {
            done = done ? done : r;
            break;
        }
        done += r;
        if ((uint64_t)r < len || c->deferred || (uint64_t)done == total) /* c->deferred: the terminal answers */
            break;
    }
    f->flags = (f->flags & ~O_APPEND) | (flags & O_APPEND);
    free(segs);
    return done;
}

static int64_t sys_readv(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t iovcnt)
{
    return vector_io(c, fd, uiov, iovcnt, false, -1, 0);
}

static int64_t sys_writev(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t iovcnt)
{
    return vector_io(c, fd, uiov, iovcnt, true, -1, 0);
}

/* preadv and pwritev: x86-64 Linux takes pos_l whole as the offset (its
 * pos_from_hilo shifts pos_h out); a negative one is EINVAL before all. */
static int64_t sys_preadv(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t iovcnt, int64_t pos_l)
{
    return pos_l < 0 ? -LINUX_EINVAL : vector_io(c, fd, uiov, iovcnt, false, pos_l, 0);
}

static int64_t sys_pwritev(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t iovcnt, int64_t pos_l)
{
    return pos_l < 0 ? -LINUX_EINVAL : vector_io(c, fd, uiov, iovcnt, true, pos_l, 0);
}

/* preadv2 and pwritev2: an offset of -1 is readv's and writev's (the
 * position, and no ESPIPE for a pipe), with the flags. */
static int64_t sys_preadv2(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t iovcnt, int64_t pos_l,
                           uint64_t flags)
{
    return pos_l < -1 ? -LINUX_EINVAL : vector_io(c, fd, uiov, iovcnt, false, pos_l, flags);
}

static int64_t sys_pwritev2(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t iovcnt, int64_t pos_l,
                            uint64_t flags)
{
    return pos_l < -1 ? -LINUX_EINVAL : vector_io(c, fd, uiov, iovcnt, true, pos_l, flags);
}
