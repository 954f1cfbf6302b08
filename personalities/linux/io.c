/*
 * personalities/linux/io.c - moving data: read, write, pread64, pwrite64,
 * lseek, sendfile, getdents and getdents64 (a directory's entries),
 * fadvise64 and readahead, the syncs; the vectored calls are iov.c's.
 * Each open file moves its data with its own operations (struct
 * file_ops); here are those of the file system's files (inode_fops), read
 * and written through a buffer of the server's (file_copy_io, which
 * devices and the terminal use too).
 *
 * sendfile into a socket or a pipe is splice.c's move; a blocking one
 * into a full stream socket waits for room and runs again, carrying what
 * it moved (splice.c's carry), until all is sent.
 *
 * Entry points: file_copy_io, inode_fops, io_transfer (file.h), and the
 * calls' handlers.  Callers: the syscall table; file_copy_io and
 * inode_fops: the file types and file.c's open.  Layer: above file.h.  Book: docs/linux.md, "Files".
 */
#include "file.h"
#include "fsnotify.h"
#include "inet.h"
#include "pipe.h"
#include "proc.h"
#include "socket.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/io.h" /* generated: the handlers' prototypes, entries */

#define MAX_RW_COUNT 0x7ffff000ull /* Linux's INT_MAX & PAGE_MASK: what one call moves at most */

/* ---- the file system's files: regular files and directories ---- */

/* Reads from a file into the server's buffer; returns bytes or -errno. */
static int64_t inode_kread(struct file *f, char *buf, uint64_t n, uint64_t *pos)
{
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return -LINUX_EBADF;
    struct inode *i = f->inode;
    if ((i->mode & S_IFMT) == S_IFDIR)
        return -LINUX_EISDIR;
    if (*pos >= i->size)
        return 0;
    size_t k = fs_read(i, *pos, buf, n);
    *pos += k;
    return (int64_t)k;
}

/* A write of n bytes at pos to regular file i, after RLIMIT_FSIZE's
 * check: EFBIG from its file system's largest size on, cut to it across
 * it (Linux's generic_write_check_limits). */
static int maxbytes_ok(const struct inode *i, uint64_t pos, uint64_t *n)
{
    uint64_t max = fs_maxbytes(i->fs);
    if (pos >= max)
        return -LINUX_EFBIG;
    if (*n > max - pos)
        *n = max - pos;
    return 0;
}

static int64_t inode_kwrite(struct file *f, const char *buf, uint64_t n, uint64_t *pos)
{
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -LINUX_EBADF;
    struct inode *i = f->inode;
    if (f->flags & O_APPEND)
        *pos = i->size;
    int r = n && (i->mode & S_IFMT) == S_IFREG ? fsize_write_ok(proc_charged, *pos, &n) : 0;
    if (r == 0 && n && (i->mode & S_IFMT) == S_IFREG)
        r = maxbytes_ok(i, *pos, &n);
    if (r < 0)
        return r;
    if ((i->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) || ((i->seals & F_SEAL_GROW) && *pos + n > i->size))
        return -LINUX_EPERM; /* a sealed memfd (memfd.c) */
    r = fs_write(i, *pos, buf, n);
    if (r < 0)
        return r;
    n = r > 0 && (uint64_t)r < n ? (uint64_t)r : n; /* a short write: a sysctl takes what it parsed */
    *pos += n;
    return (int64_t)n;
}

static char iobuf[64 * 1024];

/* Reads or writes a file's contents (or the terminal's output) through
 * iobuf, in chunks, from pos at, or from the file's position if at < 0. */
__attribute__((noinline)) int64_t file_copy_io(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len,
                                               bool write, int64_t at)
{
    uint64_t pos = at >= 0 ? (uint64_t)at : f->pos, done = 0;
    while (done < len) {
        uint64_t n = len - done < sizeof iobuf ? len - done : sizeof iobuf;
        int64_t r;
        if (write) {
            if (mem_in(c->p, iobuf, ubuf + done, n) < 0)
                return done ? (int64_t)done : -LINUX_EFAULT;
            r = f->ops->kwrite(f, iobuf, n, &pos);
        } else {
            r = f->ops->kread(f, iobuf, n, &pos);
            if (r > 0 && mem_out(c->p, ubuf + done, iobuf, (size_t)r) < 0)
                return done ? (int64_t)done : -LINUX_EFAULT;
        }
        if (r < 0)
            return done ? (int64_t)done : r;
        done += (uint64_t)r;
        if ((uint64_t)r < n)
            break;
    }
    if (at < 0)
        f->pos = pos;
    return (int64_t)done;
}

/* O_DIRECT (an ext2 file's: open and F_SETFL take it nowhere else),
 * as Linux 6.1's blockdev_direct_IO: the offset, the buffer and the
 * length aligned to the device's logical block (512 bytes), else EINVAL;
 * a read at or past the end is 0 before that check.  The bytes move as
 * any others (there is no page cache to bypass). */
static int64_t direct_refused(struct file *f, uint64_t ubuf, uint64_t len, int64_t at, bool write)
{
    if (!(f->flags & O_DIRECT) || !len || !f->inode || (f->inode->mode & S_IFMT) != S_IFREG)
        return 0;
    uint64_t pos = at >= 0 ? (uint64_t)at : write && (f->flags & O_APPEND) ? f->inode->size : f->pos;
    if (!write && pos >= f->inode->size)
        return 0;
    return (pos | ubuf | len) & 511 ? -LINUX_EINVAL : 0;
}

static int64_t inode_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    int64_t r = direct_refused(f, ubuf, len, at, false);
    if (r < 0)
        return r;
    r = file_copy_io(c, f, ubuf, len, false, at);
    if (r >= 0 && f->inode)
        fs_accessed(f->inode, f->mnt_flags); /* Linux's file_accessed, as its filemap_read: even at the end */
    return r;
}

int file_fsize_ok(struct proc *p, struct file *f, int64_t at, uint64_t *n)
{
    struct inode *i = f->inode;
    if (!*n || !i || (i->mode & S_IFMT) != S_IFREG || (f->flags & O_ACCMODE) == O_RDONLY)
        return 0; /* nothing to write, not a regular file, or EBADF to come */
    uint64_t pos = f->flags & O_APPEND ? i->size : at >= 0 ? (uint64_t)at : f->pos;
    int r = fsize_write_ok(p, pos, n);
    return r < 0 ? r : maxbytes_ok(i, pos, n);
}

static int64_t inode_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    int r = file_fsize_ok(c->p, f, at, &len); /* the whole call's, as Linux's: once, not each chunk's */
    r = r < 0 ? r : (int)direct_refused(f, ubuf, len, at, true);
    if (r >= 0 && len && f->inode)
        fs_remove_privs(f->inode);
    return r < 0 ? r : file_copy_io(c, f, ubuf, len, true, at);
}

const struct file_ops inode_fops = {
    .read = inode_read,
    .write = inode_write,
    .kread = inode_kread,
    .kwrite = inode_kwrite,
};

/* ---- the calls ---- */

/* read/write/pread/pwrite (at >= 0) between a user buffer and a file.
 * Only a file that is not a stream has positions to read or write at. */
static inline int64_t transfer(struct sys_ctx *c, uint64_t fd, uint64_t ubuf, uint64_t len, bool write, int64_t at)
{
    struct file *f = fd_file(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    if (at >= 0 && f->ops->stream)
        return -LINUX_ESPIPE;
    int acc = f->flags & O_ACCMODE; /* 3: neither, as Linux's OPEN_FMODE */
    bool allowed = acc != 3 && acc != (write ? O_RDONLY : O_WRONLY);
    if (f->kind == FILE_INODE && !allowed) /* Linux's vfs_read and vfs_write, before anything is moved, even nothing */
        return -LINUX_EBADF;
    if (!(write ? f->ops->write : f->ops->read)) /* an epoll instance, a signalfd's write: Linux's EINVAL */
        return write && (f->flags & O_ACCMODE) == O_RDONLY ? -LINUX_EBADF : -LINUX_EINVAL;
    if (allowed && (len > TASK_SIZE || ubuf > TASK_SIZE - len))
        return -LINUX_EFAULT; /* access_ok: the buffer past user space, whatever the file (mapped or not comes later) */
    if (f->kind == FILE_INODE) {
        if (!write && (f->inode->mode & S_IFMT) == S_IFDIR)
            return -LINUX_EISDIR;
        if (len > TASK_SIZE || ubuf > TASK_SIZE - len)
            return -LINUX_EFAULT; /* access_ok, before the range */
        uint64_t pos = at >= 0 ? (uint64_t)at : f->pos;
        if (!f->ops->stream && !f->ops->unsigned_offsets && (int64_t)(pos + len) < 0)
            return -LINUX_EINVAL; /* rw_verify_area: the end past the largest offset */
        int r = write || f->nonotify ? 0 : fsnotify_perm(c, f->inode, FAN_ACCESS_PERM); /* and its fsnotify_perm */
        if (r < 0 || c->deferred)
            return r;
    }
    int64_t r = write ? f->ops->write(c, f, ubuf, len, at) : f->ops->read(c, f, ubuf, len, at);
    if (r > 0 && f->inode && !c->deferred && !f->nonotify) /* files, devices, FIFOs: as Linux's vfs_read and vfs_write */
        fsnotify(f->inode, write ? IN_MODIFY : IN_ACCESS);
    return r;
}

/* The same for iov.c's calls; read and write above take the inline one,
 * folded for its direction (their cost is the benchmark's). */
int64_t io_transfer(struct sys_ctx *c, uint64_t fd, uint64_t ubuf, uint64_t len, bool write, int64_t at)
{
    return transfer(c, fd, ubuf, len, write, at);
}

static int64_t sys_read(struct sys_ctx *c, uint64_t fd, uint64_t ubuf, uint64_t count)
{
    return transfer(c, fd, ubuf, count, false, -1);
}

static int64_t sys_write(struct sys_ctx *c, uint64_t fd, uint64_t ubuf, uint64_t count)
{
    return transfer(c, fd, ubuf, count, true, -1);
}

static int64_t sys_pread64(struct sys_ctx *c, uint64_t fd, uint64_t ubuf, uint64_t count, int64_t offset)
{
    return offset < 0 ? -LINUX_EINVAL : transfer(c, fd, ubuf, count, false, offset);
}

static int64_t sys_pwrite64(struct sys_ctx *c, uint64_t fd, uint64_t ubuf, uint64_t count, int64_t offset)
{
    return offset < 0 ? -LINUX_EINVAL : transfer(c, fd, ubuf, count, true, offset);
}

/* Where SEEK_END counts from: a device's size, or the file's as stat
 * shows it (a sysfs attribute's is a page, as Linux's i_size). */
static int64_t file_end(const struct file *f)
{
    if (f->ops->size)
        return f->ops->size(f);
    if (!f->inode->fs->ops || !f->inode->fs->ops->getattr)
        return (int64_t)f->inode->size;
    struct linux_stat st;
    stat_inode(f->inode, &st);
    return st.size;
}

static int64_t sys_lseek(struct sys_ctx *c, uint64_t fd, int64_t offset, uint64_t whence)
{
    struct file *f = fd_file(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    if (whence > SEEK_HOLE)
        return -LINUX_EINVAL; /* ksys_lseek's, before the file's own */
    if (f->ops->llseek)
        return f->ops->llseek(f, offset, (int)whence);
    if (f->ops->stream) /* Linux's anonymous inodes (eventfd, epoll, ...) take any seek and stay at 0 */
        return f->ops->fs && f->ops->fs->magic == ANON_INODE_FS_MAGIC && !f->ops->no_llseek ? 0 : -LINUX_ESPIPE;
    if (f->ops->unsigned_offsets && whence <= SEEK_CUR) /* any position: the result may look negative */
        return (int64_t)(f->pos = (whence == SEEK_SET ? 0 : f->pos) + (uint64_t)offset);
    if (f->ops->unsigned_offsets)
        return -LINUX_EINVAL;
    int64_t off = offset, base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->pos
                                                           : whence == SEEK_END ? file_end(f) : -1;
    if (whence > SEEK_CUR && (f->inode->mode & S_IFMT) == S_IFDIR && f->inode->fs->iops == &tmpfs_iops)
        return -LINUX_EINVAL; /* a tmpfs directory's offset counts entries: Linux's dcache_dir_lseek */
    if (whence > SEEK_CUR && (f->inode->mode & S_IFMT) == S_IFREG && f->inode->fs->ops && f->inode->fs->ops->seek) {
        int64_t at = f->inode->fs->ops->seek(f->inode, off, (int)whence);
        if (at >= 0)
            f->pos = (uint64_t)at;
        return at;
    }
    if ((whence == SEEK_DATA || whence == SEEK_HOLE) && (f->inode->mode & S_IFMT) == S_IFREG) {
        int64_t at = off < 0 ? -LINUX_ENXIO : fs_seek_data(f->inode, (uint64_t)off, whence == SEEK_HOLE);
        if (at >= 0)
            f->pos = (uint64_t)at;
        return at;
    }
    if (base < 0 || base + off < 0)
        return -LINUX_EINVAL;
    if ((f->inode->mode & S_IFMT) == S_IFREG && (uint64_t)(base + off) > fs_maxbytes(f->inode->fs))
        return -LINUX_EINVAL; /* past the file system's largest file (Linux's vfs_setpos) */
    f->pos = (uint64_t)(base + off);
    return (int64_t)f->pos;
}

static int64_t sys_sendfile(struct sys_ctx *c, uint64_t out_fd, uint64_t in_fd, uint64_t uoffset, uint64_t count)
{
    const uint64_t key[4] = {out_fd, in_fd, uoffset, count};
    uint64_t before = splice_carry_take(c->p, key);
    count -= before;
    struct file *out = fd_file(c->p, out_fd), *in = fd_file(c->p, in_fd);
    int64_t off = -1, total = 0;
    bool wait = false;
    /* Linux's do_sendfile's order: the offset, the input, its range
     * (rw_verify_area), the output, its range */
    if (uoffset && mem_in(c->p, &off, uoffset, 8) < 0)
        return -LINUX_EFAULT;
    if (!in || (in->flags & O_ACCMODE) == O_WRONLY)
        return -LINUX_EBADF; /* each opened for its direction */
    if (uoffset && (in->kind == FILE_SOCKET || in->ops->stream))
        return -LINUX_ESPIPE; /* no positions to read at */
    uint64_t pos = uoffset ? (uint64_t)off : in->pos, left = count;
    if ((int64_t)count < 0 || (!in->ops->unsigned_offsets && (int64_t)(pos + count) < 0) || (int64_t)pos < 0)
        return -LINUX_EINVAL;
    if (count > MAX_RW_COUNT)
        left = count = MAX_RW_COUNT;
    int r = before || in->kind != FILE_INODE || in->nonotify ? 0 : fsnotify_perm(c, in->inode, FAN_ACCESS_PERM);
    if (r < 0 || c->deferred) /* rw_verify_area's, before the output's checks */
        return r;
    if (!out || (out->flags & O_ACCMODE) == O_RDONLY)
        return -LINUX_EBADF;
    if (out->kind == FILE_INODE && !out->ops->stream && !out->ops->unsigned_offsets &&
        (int64_t)(out->pos + count) < 0)
        return -LINUX_EINVAL;
    if (in->kind != FILE_INODE || (in->inode->mode & S_IFMT) == S_IFDIR || !in->ops->kread)
        return -LINUX_EINVAL; /* a pipe, a socket: only splice takes them; /dev/null has no splice_read */
    if (!count && out->kind == FILE_SOCKET)
        return 0; /* nothing to send: Linux's do_splice_direct asks the socket nothing */
    if (out->kind == FILE_INODE && !out->pipe && (out->flags & O_APPEND))
        return -LINUX_EINVAL; /* do_splice_direct's: no appending file */
    if (udp_of(out)) /* a datagram */
        left = 0, total = splice_to_dgram(c, in, &pos, out, count);
    if (total < 0)
        return total;
    bool sock = out->kind == FILE_SOCKET && out->ops == &socket_fops; /* a stream's: its peer's pipe */
    if (sock || (out->pipe && (out->kind == FILE_PIPE_R || out->kind == FILE_PIPE_W))) { /* splice.c's move */
        if (!sock && (out->flags & O_ACCMODE) == O_RDONLY)
            return -LINUX_EBADF;
        bool nonblock = (out->flags & O_NONBLOCK) != 0;
        struct pipe *to = sock ? out->peer : out->pipe;
        int64_t k;
        while ((k = splice_to_pipe(c, in, &pos, out, count - (uint64_t)total, nonblock)) > 0 && !c->deferred) {
            total += k; /* as long as the file gives and the pipe takes */
            if ((uint64_t)total == count || !pipe_has_room(to))
                break;
        }
        if (!total && (k < 0 || c->deferred))
            return c->deferred ? splice_carry_wait(c, key, before, out) : before ? (int64_t)before : k;
        if (sock && !nonblock && (uint64_t)total < count && !pipe_has_room(to))
            wait = true; /* full, with more to send: after the offset or position is saved */
        left = 0;
    }
    static char chunk[16384];
    while (left) {
        int64_t n = in->ops->kread(in, chunk, left < sizeof chunk ? left : sizeof chunk, &pos);
        if (n <= 0)
            break;
        /* only a file of the file system, a device or the terminal: not a
         * pipe, a socket, an eventfd or a timerfd */
        /* as iter_file_splice_write: again after a short write (the
         * second, at RLIMIT_FSIZE, is EFBIG with SIGXFSZ) */
        int64_t w = 0, k = out->ops->kwrite ? 1 : -LINUX_EINVAL;
        while (k > 0 && w < n && (k = out->ops->kwrite(out, chunk + w, (uint64_t)(n - w), &out->pos)) > 0)
            w += k;
        if (!w && k < 0)
            return total ? total : k;
        total += w, left -= (uint64_t)w;
        if (w < n) {
            pos -= (uint64_t)(n - w); /* the input's offset moves by what was written */
            break;
        }
    }
    if (uoffset) {
        off = (int64_t)pos;
        if (mem_out(c->p, uoffset, &off, 8) < 0)
            return -LINUX_EFAULT;
    } else
        in->pos = pos;
    if (wait)
        return splice_carry_wait(c, key, before + (uint64_t)total, out);
    total += (int64_t)before;
    if (count && in->ops == &inode_fops && (in->inode->mode & S_IFMT) == S_IFREG)
        fs_accessed(in->inode, in->mnt_flags); /* its read's file_accessed, even at the end */
    if (total > 0 && out->inode) { /* as Linux's do_sendfile: an access of one, a modification of the other */
        if (!in->nonotify)
            fsnotify(in->inode, IN_ACCESS);
        if (!out->nonotify)
            fsnotify(out->inode, IN_MODIFY);
    }
    return total;
}

/* getdents64's records (old: getdents's struct linux_dirent, whose type
 * is the record's last byte) of the directory open as f, from its
 * position, which counts entries; -EINVAL if not one fits in count.  A
 * listing of tmpfs or ext2 read on from where the last call left it (no
 * lseek between) goes on after the entry it gave last, by its seq, so that
 * entries removed or added before it meanwhile move none past it unseen
 * (Linux's cursor in the directory, dcache_readdir). */
static int64_t list_dir(struct sys_ctx *c, uint64_t fd, uint64_t udirp, uint64_t count, bool old)
{
    struct file *f = fd_file(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != FILE_INODE || (f->inode->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    int r = f->nonotify ? 0 : fsnotify_perm(c, f->inode, FAN_ACCESS_PERM); /* iterate_dir's, before the rest */
    if (r < 0 || c->deferred)
        return r;
    if (!f->inode->nlink)
        return -LINUX_ENOENT; /* a removed directory, as Linux's IS_DEADDIR */
    uint64_t cap = count < sizeof iobuf ? count : sizeof iobuf, used = 0, index = 0, from = f->pos;
    uint64_t from_seq = f->dir_seq, from_at = f->dir_at;
    /* read on: after the entry given last, in a file system that keeps
     * its entries (procfs, sysfs and cgroupfs make theirs anew at a
     * lookup or an open, with new seqs: theirs go by index, as before) */
    const struct fs_ops *ops = f->inode->fs->ops;
    bool resume = (!ops || (!ops->lookup && !ops->refresh)) && f->pos >= 2 && f->dir_at == f->pos;
    struct dirent_node dot = {.name = ".", .inode = f->inode, .seq = 0},
                       dotdot = {.name = "..", .inode = f->inode->parent ? f->inode->parent : f->inode, .seq = 1};
    dot.next = &dotdot;
    dotdot.next = f->inode->children;
    for (struct dirent_node *d = &dot; d; d = d->next, index++) {
        if (d->hidden || (resume ? index < 2 || d->seq <= from_seq : index < from))
            continue;
        size_t namelen = strlen(d->name), reclen = ((old ? 18 + 2 : 19 + 1) + namelen + 7) & ~(size_t)7;
        if (used + reclen > cap) {
            if (used == 0)
                return -LINUX_EINVAL;
            break;
        }
        char *rec = iobuf + used;
        memset(rec, 0, reclen);
        uint64_t ino = d->inode->ino;
        int64_t next = resume ? (int64_t)f->pos + 1 : (int64_t)index + 1;
        uint16_t rl = (uint16_t)reclen;
        uint32_t t = d->inode->mode & S_IFMT;
        uint8_t type = t == S_IFDIR ? DT_DIR : t == S_IFREG ? DT_REG : t == S_IFLNK ? DT_LNK : t == S_IFCHR ? DT_CHR
                     : t == S_IFIFO ? DT_FIFO : t == S_IFBLK ? DT_BLK : t == S_IFSOCK ? DT_SOCK : 0;
        memcpy(rec, &ino, 8), memcpy(rec + 8, &next, 8), memcpy(rec + 16, &rl, 2);
        rec[old ? reclen - 1 : 18] = (char)type;
        memcpy(rec + (old ? 18 : 19), d->name, namelen);
        used += reclen;
        f->pos = (uint64_t)next;
        f->dir_seq = d->seq, f->dir_at = f->pos;
    }
    if (mem_out(c->p, udirp, iobuf, used) < 0) {
        f->pos = from, f->dir_seq = from_seq, f->dir_at = from_at; /* nothing was listed: the next call starts there again */
        return -LINUX_EFAULT;
    }
    if (!f->nonotify)
        fsnotify(f->inode, IN_ACCESS); /* a listing is an access, as Linux's iterate_dir says */
    return (int64_t)used;
}

static int64_t sys_getdents64(struct sys_ctx *c, uint64_t fd, uint64_t udirp, uint64_t count)
{
    return list_dir(c, fd, udirp, count, false);
}

static int64_t sys_getdents(struct sys_ctx *c, uint64_t fd, uint64_t udirp, uint64_t count)
{
    return list_dir(c, fd, udirp, count, true);
}

/* fadvise64: tmpfs, like every file system without a backing device on
 * Linux, checks the advice and changes nothing (its pages are all in
 * memory).  A pipe is ESPIPE, before the length and the advice. */
static int64_t sys_fadvise64(struct sys_ctx *c, uint64_t fd, int64_t offset, int64_t len, int advice)
{
    (void)offset;
    struct file *f = fd_file(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind == FILE_PIPE_R || f->kind == FILE_PIPE_W)
        return -LINUX_ESPIPE;
    return len < 0 || advice < POSIX_FADV_NORMAL || advice > POSIX_FADV_NOREUSE ? -LINUX_EINVAL : 0;
}

/* readahead: fadvise's POSIX_FADV_WILLNEED on a regular file open for
 * reading; nothing to read ahead, everything being in memory. */
static int64_t sys_readahead(struct sys_ctx *c, uint64_t fd, int64_t offset, int64_t count)
{
    struct file *f = fd_file(c->p, fd);
    if (!f || (f->flags & O_ACCMODE) == O_WRONLY)
        return -LINUX_EBADF;
    if (f->kind != FILE_INODE || (f->inode->mode & S_IFMT) != S_IFREG)
        return -LINUX_EINVAL;
    return sys_fadvise64(c, fd, offset, count, POSIX_FADV_WILLNEED);
}

/* tmpfs keeps everything in memory: there is nothing to write back, but
 * for a file system kept elsewhere (an ext2 image), which fs_ops.sync
 * writes back whole.  As on Linux, fsync of a file whose type has no fsync
 * (a pipe, a socket, a device, the terminal, /proc's) is EINVAL. */
static int64_t fs_sync_of(struct fs *fs) { return fs && fs->ops && fs->ops->sync ? fs->ops->sync(fs) : 0; }

static int64_t sys_fsync(struct sys_ctx *c, uint64_t fd)
{
    struct file *f = fd_file(c->p, fd);
    if (!f || !(f->ops == &inode_fops || f->ops->syncs) || (f->inode && !strcmp(f->inode->fs->type, "proc")))
        return !f ? -LINUX_EBADF : -LINUX_EINVAL; /* /proc's files and directories have no fsync either */
    return f->inode ? fs_sync_of(f->inode->fs) : 0;
}

static int64_t sys_fdatasync(struct sys_ctx *c, uint64_t fd) { return sys_fsync(c, fd); }

/* Every file system once (sync's errors are not reported, as Linux's). */
static int64_t sys_sync(struct sys_ctx *c)
{
    (void)c;
    for (struct mount *m = fs_mounts(); m; m = m->next) {
        bool first = true;
        for (struct mount *o = fs_mounts(); o != m; o = o->next)
            first &= o->fs != m->fs;
        if (first)
            fs_sync_of(m->fs);
    }
    return 0;
}

static int64_t sys_syncfs(struct sys_ctx *c, uint64_t fd)
{
    struct file *f = fd_file(c->p, fd);
    return !f ? -LINUX_EBADF : f->inode ? fs_sync_of(f->inode->fs) : 0;
}
