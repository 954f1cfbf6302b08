/*
 * personalities/linux/falloc.c - a file's data by ranges: fallocate (and so
 * posix_fallocate), which on tmpfs allocates pages (mode 0, KEEP_SIZE) or
 * punches holes (PUNCH_HOLE | KEEP_SIZE), the other modes being
 * EOPNOTSUPP as tmpfs's; sync_file_range, which checks its arguments and
 * has nothing to write back; copy_file_range between regular files.
 *
 * Entry points: the calls' handlers (syscalls.def); file_fallocate
 * (file.h).  Callers: the syscall table, vfsioctl.c.  Layer: calls, above
 * file.h and the file system's inode_ops (allocate, punch: tmpfs.c).  Book: docs/linux.md, "Files".
 */
#include "file.h"
#include "fsnotify.h"
#include "proc.h"
#include "linux_entries/falloc.h" /* generated: the handlers' prototypes, entries */

/* fallocate's modes (linux/falloc.h) that the VFS knows; tmpfs does
 * allocation and, with KEEP_SIZE, punching. */
#define FALLOC_MODES (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | \
                      FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_WRITE_ZEROES)

/* Whether pages more pages could never fit: the root's tmpfs has the
 * machine's memory for blocks.  What fallocate reserves takes no memory
 * until it is written (tmpfs.c), as a disk's blocks would not, so a
 * reservation past what is free is taken (overcommitted: a later write
 * there may find no memory); past all of it, ENOSPC. */
static bool no_room(uint64_t pages)
{
    struct persona_memstats ms = {0, 0};
    sys_stats(STATS_MEMORY, -1, &ms, sizeof ms);
    return pages > ms.total_bytes / 4096;
}

/* The checks in the order of Linux's vfs_fallocate: range, mode, the
 * descriptor's access, the file's type, the size limit; then tmpfs's. */
static int64_t sys_fallocate(struct sys_ctx *c, uint64_t fd, int mode, int64_t offset, int64_t len)
{
    struct file *f = fd_file(c->p, fd);
    return f ? file_fallocate(c, f, mode, offset, len) : -LINUX_EBADF;
}

int64_t file_fallocate(struct sys_ctx *c, struct file *f, int mode, int64_t offset, int64_t len)
{
    if (offset < 0 || len <= 0)
        return -LINUX_EINVAL;
    if (mode & ~(FALLOC_MODES | FALLOC_FL_KEEP_SIZE))
        return -LINUX_EOPNOTSUPP;
    switch (mode & FALLOC_MODES) {
    case 0: case FALLOC_FL_UNSHARE_RANGE: case FALLOC_FL_ZERO_RANGE:
        break;
    case FALLOC_FL_PUNCH_HOLE:
        if (!(mode & FALLOC_FL_KEEP_SIZE))
            return -LINUX_EOPNOTSUPP;
        break;
    case FALLOC_FL_COLLAPSE_RANGE: case FALLOC_FL_INSERT_RANGE: case FALLOC_FL_WRITE_ZEROES:
        if (mode & FALLOC_FL_KEEP_SIZE)
            return -LINUX_EOPNOTSUPP;
        break;
    default: /* two modes at once */
        return -LINUX_EOPNOTSUPP;
    }
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -LINUX_EBADF;
    struct inode *ino = f->kind == FILE_INODE ? f->inode : NULL;
    uint32_t type = ino ? ino->mode & S_IFMT : 0;
    if (ino && (((mode & ~FALLOC_FL_KEEP_SIZE) && fs_is_append(ino)) || fs_is_immutable(ino)))
        return -LINUX_EPERM; /* an append-only file takes plain allocation alone, an immutable one none */
    if (f->pipe && f->kind != FILE_SOCKET)
        return -LINUX_ESPIPE; /* a pipe or a FIFO */
    if (type == S_IFDIR)
        return -LINUX_EISDIR;
    if (type != S_IFREG)
        return -LINUX_ENODEV; /* devices, sockets, the terminal, anonymous files */
    if (offset > INT64_MAX - len)
        return -LINUX_EFBIG;
    const struct inode_ops *ops = ino->fs->iops;
    bool can = mode & FALLOC_FL_PUNCH_HOLE ? ops->punch != NULL : ops->allocate != NULL;
    if ((mode & ~FALLOC_FL_KEEP_SIZE & ~FALLOC_FL_PUNCH_HOLE) || !can)
        return -LINUX_EOPNOTSUPP; /* what tmpfs does not do, or ext2 (no allocation) */
    uint64_t end = (uint64_t)offset + (uint64_t)len;
    int r = mode & FALLOC_FL_PUNCH_HOLE ? 0 : fsize_grow_ok(c->p, ino->size, end); /* shmem_fallocate's, even kept */
    if (r < 0)
        return r;
    if ((mode & FALLOC_FL_PUNCH_HOLE) ? (ino->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0
                                      : (ino->seals & F_SEAL_GROW) && end > ino->size)
        return -LINUX_EPERM; /* a sealed memfd (memfd.c), as Linux's shmem_fallocate */
    if (mode & FALLOC_FL_PUNCH_HOLE) {
        mm_file_punching(ino, (uint64_t)offset, (uint64_t)len);
        ops->punch(ino, (uint64_t)offset, (uint64_t)len);
        return 0;
    }
    uint64_t first = (uint64_t)offset / 4096, last = (end + 4095) / 4096;
    if (no_room(last - first))
        return -LINUX_ENOSPC;
    if (ops->allocate(ino, first, last) < 0)
        return -LINUX_ENOSPC;
    if (!(mode & FALLOC_FL_KEEP_SIZE) && end > ino->size)
        return fs_truncate(ino, end);
    return 0;
}

/* The checks are Linux's: the flags, the range, and a file that has
 * pages to write (not a pipe, a socket or a character device: ESPIPE).
 * Nothing is written back on tmpfs; SYNC_FILE_RANGE_WRITE on a regular
 * file of an ext2 writes its image back (whole, which holds the range),
 * as Linux starts the range's writeback to the device. */
static int64_t sys_sync_file_range(struct sys_ctx *c, uint64_t fd, int64_t offset, int64_t nbytes, uint32_t flags)
{
    struct file *f = fd_file(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    if (flags & ~(uint32_t)(SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER))
        return -LINUX_EINVAL;
    uint64_t endbyte = (uint64_t)offset + (uint64_t)nbytes;
    if (offset < 0 || (int64_t)endbyte < 0 || endbyte < (uint64_t)offset)
        return -LINUX_EINVAL;
    uint32_t type = f->kind == FILE_INODE && f->inode ? f->inode->mode & S_IFMT : 0;
    if (type != S_IFREG && type != S_IFBLK && type != S_IFDIR && type != S_IFLNK)
        return -LINUX_ESPIPE;
    const struct fs *fs = f->inode->fs;
    if ((flags & SYNC_FILE_RANGE_WRITE) && type == S_IFREG && fs->ops && fs->ops->sync)
        return fs->ops->sync(f->inode->fs);
    return 0;
}

/* copy_file_range: bytes of one regular file into another (or another
 * range of the same), through the server's buffer, with Linux's checks in
 * its order: types, access, an immutable output, wrapping offsets, the
 * copy shortened to the input's end and to RLIMIT_FSIZE, overlap within
 * one file, and one file system for both. */
static int64_t sys_copy_file_range(struct sys_ctx *c, uint64_t fd_in, uint64_t uoff_in, uint64_t fd_out,
                                   uint64_t uoff_out, uint64_t len, uint32_t flags)
{
    static char chunk[64 * 1024];
    struct file *in = fd_file(c->p, fd_in), *out = fd_file(c->p, fd_out);
    if (!in || !out)
        return -LINUX_EBADF;
    uint64_t pin = in->pos, pout = out->pos;
    if ((uoff_in && mem_in(c->p, &pin, uoff_in, 8) < 0) || (uoff_out && mem_in(c->p, &pout, uoff_out, 8) < 0))
        return -LINUX_EFAULT;
    if (flags)
        return -LINUX_EINVAL;
    struct inode *a = in->kind == FILE_INODE ? in->inode : NULL, *b = out->kind == FILE_INODE ? out->inode : NULL;
    uint32_t ta = a ? a->mode & S_IFMT : 0, tb = b ? b->mode & S_IFMT : 0;
    if (ta == S_IFDIR || tb == S_IFDIR)
        return -LINUX_EISDIR;
    if (ta != S_IFREG || tb != S_IFREG)
        return -LINUX_EINVAL;
    if ((in->flags & O_ACCMODE) == O_WRONLY || (out->flags & O_ACCMODE) == O_RDONLY || (out->flags & O_APPEND))
        return -LINUX_EBADF;
    if (fs_is_immutable(b))
        return -LINUX_EPERM; /* an output made immutable since its open (generic_copy_file_checks) */
    if (pin + len < pin || pout + len < pout)
        return -LINUX_EOVERFLOW; /* a negative offset wraps too */
    len = pin >= a->size ? 0 : len < a->size - pin ? len : a->size - pin;
    int64_t r = fsize_write_ok(c->p, pout, &len); /* generic_copy_file_checks': even for nothing to copy */
    if (r < 0)
        return r;
    if ((int64_t)pout >= 0 && pout == (uint64_t)INT64_MAX)
        return -LINUX_EFBIG; /* at the largest offset (tmpfs's s_maxbytes), even for nothing */
    if ((int64_t)pout >= 0 && len > (uint64_t)INT64_MAX - pout)
        len = (uint64_t)INT64_MAX - pout; /* and cut to it */
    if (a == b && pout + len > pin && pout < pin + len)
        return -LINUX_EINVAL;
    if ((int64_t)pin < 0 || (int64_t)pout < 0)
        return -LINUX_EINVAL;
    if (!in->nonotify && ((r = fsnotify_perm(c, a, FAN_ACCESS_PERM)) < 0 || c->deferred))
        return r; /* the input's rw_verify_area, even for nothing to copy */
    if (!len)
        return 0;
    if (a->fs != b->fs)
        return -LINUX_EXDEV;
    int64_t total = 0;
    while (len) {
        int64_t k = in->ops->kread(in, chunk, len < sizeof chunk ? len : sizeof chunk, &pin);
        int64_t w = k > 0 ? out->ops->kwrite(out, chunk, (uint64_t)k, &pout) : k;
        if (w <= 0) {
            if (!total)
                return w;
            break;
        }
        total += w, len -= (uint64_t)w;
        if (w < k) {
            pin -= (uint64_t)(k - w); /* what was read and not written is read again next time */
            break;
        }
    }
    if (in->ops == &inode_fops)
        fs_accessed(a, in->mnt_flags); /* the splice read's file_accessed */
    if (total > 0) { /* vfs_copy_file_range's fsnotify_access and fsnotify_modify */
        if (!in->nonotify)
            fsnotify(a, IN_ACCESS);
        if (!out->nonotify)
            fsnotify(b, IN_MODIFY);
    }
    if (uoff_in ? mem_out(c->p, uoff_in, &pin, 8) < 0 : (in->pos = pin, false))
        return -LINUX_EFAULT;
    if (uoff_out ? mem_out(c->p, uoff_out, &pout, 8) < 0 : (out->pos = pout, false))
        return -LINUX_EFAULT;
    return total;
}
