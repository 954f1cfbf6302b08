/*
 * personalities/linux/i386fs.c - the i386 file calls whose structures or
 * offsets differ (docs/i386.md): stat64 and the old stat, statfs and
 * statfs64, fcntl's record locks (struct flock with a 32-bit off_t, or
 * fcntl64's packed flock64), iovec arrays, and the 64-bit offsets i386
 * passes in two registers (pread64, truncate64, fadvise64_64, fallocate,
 * readahead, sync_file_range).  Each runs the 64-bit handler on the
 * translated structures (i386_run).
 *
 * Entry points: the i386 table.  Layer: above stat, file, io, iov.
 * Book: docs/i386.md.
 */
#include "i386.h"
#include "proc.h"
#include "sysctl.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/i386fs.h" /* generated: the handlers' prototypes, entries */
#include "linux_entries/all.h" /* the 64-bit handlers' entries */

/* ---- stat ---- */

/* i386's struct stat64: 4-byte aligned 64-bit fields. */
struct stat64_32 {
    uint64_t dev;
    uint32_t pad0, ino32, mode, nlink, uid, gid;
    uint64_t rdev;
    uint32_t pad3;
    int64_t size;
    uint32_t blksize;
    uint64_t blocks;
    uint32_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
    uint64_t ino;
} __attribute__((packed));
_Static_assert(sizeof(struct stat64_32) == 96, "i386 struct stat64");

/* i386's old struct stat: 32-bit numbers, 16-bit mode, links and ids. */
struct stat_32 {
    uint32_t dev, ino;
    uint16_t mode, nlink, uid, gid;
    uint32_t rdev, size, blksize, blocks, atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns, unused[2];
};
_Static_assert(sizeof(struct stat_32) == 64, "i386 struct stat");

/* i386's struct __old_kernel_stat (oldstat): 16-bit numbers, 32-bit
 * size and times. */
struct old_kstat_32 {
    uint16_t dev, ino, mode, nlink, uid, gid, rdev, pad;
    uint32_t size, atime, mtime, ctime;
};
_Static_assert(sizeof(struct old_kstat_32) == 32, "i386 struct __old_kernel_stat");

/* Linux's old_encode_dev: a 16-bit device number. */
static uint32_t dev16(uint64_t d) { return (uint32_t)(((d >> 8) & 0xfff) << 8 | (d & 0xff)); }

/* An id in the old struct stat (Linux's high2lowuid and high2lowgid:
 * kernel/overflowuid or overflowgid). */
static uint16_t id16(uint32_t id) { return id > 0xffff ? (uint16_t)sysctl_overflowuid : (uint16_t)id; }
static uint16_t gid16(uint32_t id) { return id > 0xffff ? (uint16_t)sysctl_overflowgid : (uint16_t)id; }

/* Runs a stat entry (its buffer argument at index at) and writes the
 * result as stat64, or with old (OLD) as the old struct stat, or the
 * older __old_kernel_stat (OLDEST) (EOVERFLOW when a
 * number does not fit, as Linux). */
enum { STAT64, OLD, OLDEST };
static int64_t stat32(struct sys_ctx *c, linux_handler entry, uint64_t a[6], int at, int old)
{
    struct linux_stat k;
    uint64_t ubuf = a[at];
    a[at] = I386_BOUNCE_VA;
    int64_t r = i386_run(c, entry, a, &k, sizeof k);
    if (r < 0)
        return r;
    if (old == OLDEST) { /* Linux's cp_old_stat on x86-64: the size and devices cut */
        if (k.ino > UINT16_MAX || k.nlink > UINT16_MAX)
            return -LINUX_EOVERFLOW;
        struct old_kstat_32 s = {(uint16_t)dev16(k.dev), (uint16_t)k.ino, (uint16_t)k.mode, (uint16_t)k.nlink,
                                 id16(k.uid), gid16(k.gid), (uint16_t)dev16(k.rdev), 0, (uint32_t)k.size,
                                 (uint32_t)k.atime, (uint32_t)k.mtime, (uint32_t)k.ctime};
        return mem_out(c->p, ubuf, &s, sizeof s) < 0 ? -LINUX_EFAULT : 0;
    }
    if (old) {
        if (k.ino > UINT32_MAX || k.size > INT32_MAX || k.nlink > UINT16_MAX)
            return -LINUX_EOVERFLOW;
        struct stat_32 s = {dev16(k.dev), (uint32_t)k.ino, (uint16_t)k.mode, (uint16_t)k.nlink, id16(k.uid),
                            gid16(k.gid), dev16(k.rdev), (uint32_t)k.size, (uint32_t)k.blksize, (uint32_t)k.blocks,
                            (uint32_t)k.atime, (uint32_t)k.atime_ns, (uint32_t)k.mtime, (uint32_t)k.mtime_ns,
                            (uint32_t)k.ctime, (uint32_t)k.ctime_ns, {0}};
        return mem_out(c->p, ubuf, &s, sizeof s) < 0 ? -LINUX_EFAULT : 0;
    }
    struct stat64_32 s = {k.dev, 0, (uint32_t)k.ino, k.mode, (uint32_t)k.nlink, k.uid, k.gid, k.rdev, 0, k.size,
                          (uint32_t)k.blksize, (uint64_t)k.blocks, (uint32_t)k.atime, (uint32_t)k.atime_ns,
                          (uint32_t)k.mtime, (uint32_t)k.mtime_ns, (uint32_t)k.ctime, (uint32_t)k.ctime_ns, k.ino};
    return mem_out(c->p, ubuf, &s, sizeof s) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys32_stat64(struct sys_ctx *c, uint64_t upath, uint64_t ubuf)
{
    return stat32(c, entry_newfstatat, (uint64_t[6]){(uint64_t)(int64_t)AT_FDCWD, upath, ubuf, 0}, 2, STAT64);
}

static int64_t sys32_lstat64(struct sys_ctx *c, uint64_t upath, uint64_t ubuf)
{
    return stat32(c, entry_newfstatat, (uint64_t[6]){(uint64_t)(int64_t)AT_FDCWD, upath, ubuf, AT_SYMLINK_NOFOLLOW},
                  2, STAT64);
}

static int64_t sys32_fstat64(struct sys_ctx *c, uint64_t fd, uint64_t ubuf)
{
    return stat32(c, entry_fstat, (uint64_t[6]){fd, ubuf}, 1, STAT64);
}

static int64_t sys32_fstatat64(struct sys_ctx *c, int dirfd, uint64_t upath, uint64_t ubuf, int flags)
{
    return stat32(c, entry_newfstatat, (uint64_t[6]){(uint64_t)(int64_t)dirfd, upath, ubuf, (uint32_t)flags}, 2, STAT64);
}

static int64_t sys32_stat(struct sys_ctx *c, uint64_t upath, uint64_t ubuf)
{
    return stat32(c, entry_newfstatat, (uint64_t[6]){(uint64_t)(int64_t)AT_FDCWD, upath, ubuf, 0}, 2, OLD);
}

static int64_t sys32_lstat(struct sys_ctx *c, uint64_t upath, uint64_t ubuf)
{
    return stat32(c, entry_newfstatat, (uint64_t[6]){(uint64_t)(int64_t)AT_FDCWD, upath, ubuf, AT_SYMLINK_NOFOLLOW},
                  2, OLD);
}

static int64_t sys32_fstat(struct sys_ctx *c, uint64_t fd, uint64_t ubuf)
{
    return stat32(c, entry_fstat, (uint64_t[6]){fd, ubuf}, 1, OLD);
}

static int64_t sys32_oldstat(struct sys_ctx *c, uint64_t upath, uint64_t ubuf)
{
    return stat32(c, entry_newfstatat, (uint64_t[6]){(uint64_t)(int64_t)AT_FDCWD, upath, ubuf, 0}, 2, OLDEST);
}

static int64_t sys32_oldlstat(struct sys_ctx *c, uint64_t upath, uint64_t ubuf)
{
    return stat32(c, entry_newfstatat, (uint64_t[6]){(uint64_t)(int64_t)AT_FDCWD, upath, ubuf, AT_SYMLINK_NOFOLLOW},
                  2, OLDEST);
}

static int64_t sys32_oldfstat(struct sys_ctx *c, uint64_t fd, uint64_t ubuf)
{
    return stat32(c, entry_fstat, (uint64_t[6]){fd, ubuf}, 1, OLDEST);
}

/* statfs: 32-bit numbers; statfs64 (with its size, 84): 64-bit counts. */
static int64_t statfs32(struct sys_ctx *c, linux_handler entry, uint64_t what, uint64_t ubuf, bool wide)
{
    struct linux_statfs k;
    int64_t r = i386_run(c, entry, (uint64_t[6]){what, I386_BOUNCE_VA}, &k, sizeof k);
    if (r < 0)
        return r;
    if (wide) {
        struct __attribute__((packed)) {
            uint32_t type, bsize;
            uint64_t blocks, bfree, bavail, files, ffree;
            int32_t fsid[2];
            uint32_t namelen, frsize, flags, spare[4];
        } s = {(uint32_t)k.type, (uint32_t)k.bsize, (uint64_t)k.blocks, (uint64_t)k.bfree, (uint64_t)k.bavail,
               (uint64_t)k.files, (uint64_t)k.ffree, {k.fsid[0], k.fsid[1]}, (uint32_t)k.namelen,
               (uint32_t)k.frsize, (uint32_t)k.flags, {0}};
        _Static_assert(sizeof s == 84, "i386 struct statfs64");
        return mem_out(c->p, ubuf, &s, sizeof s) < 0 ? -LINUX_EFAULT : 0;
    }
    if ((uint64_t)k.blocks > UINT32_MAX || (uint64_t)k.files > UINT32_MAX)
        return -LINUX_EOVERFLOW;
    uint32_t s[16] = {(uint32_t)k.type, (uint32_t)k.bsize, (uint32_t)k.blocks, (uint32_t)k.bfree, (uint32_t)k.bavail,
                      (uint32_t)k.files, (uint32_t)k.ffree, (uint32_t)k.fsid[0], (uint32_t)k.fsid[1],
                      (uint32_t)k.namelen, (uint32_t)k.frsize, (uint32_t)k.flags};
    return mem_out(c->p, ubuf, s, sizeof s) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys32_statfs(struct sys_ctx *c, uint64_t upath, uint64_t ubuf)
{
    return statfs32(c, entry_statfs, upath, ubuf, false);
}

static int64_t sys32_fstatfs(struct sys_ctx *c, uint64_t fd, uint64_t ubuf)
{
    return statfs32(c, entry_fstatfs, fd, ubuf, false);
}

static int64_t sys32_statfs64(struct sys_ctx *c, uint64_t upath, uint64_t size, uint64_t ubuf)
{
    return size != 84 ? -LINUX_EINVAL : statfs32(c, entry_statfs, upath, ubuf, true);
}

static int64_t sys32_fstatfs64(struct sys_ctx *c, uint64_t fd, uint64_t size, uint64_t ubuf)
{
    return size != 84 ? -LINUX_EINVAL : statfs32(c, entry_fstatfs, fd, ubuf, true);
}

/* ---- fcntl's record locks ---- */

/* struct flock: short type and whence, then off_t start and len (4 bytes
 * in fcntl's, 8 and packed in fcntl64's flock64), then the pid. */
static int64_t fcntl32(struct sys_ctx *c, uint64_t fd, uint64_t cmd, uint64_t arg, bool wide)
{
    bool lock = cmd == F_GETLK || cmd == F_SETLK || cmd == F_SETLKW || cmd == F_OFD_GETLK || cmd == F_OFD_SETLK ||
                cmd == F_OFD_SETLKW;
    if (wide && cmd >= 12 && cmd <= 14) /* F_GETLK64, F_SETLK64, F_SETLKW64 */
        cmd -= 7, lock = true;
    else if (wide && lock && cmd <= F_SETLKW)
        wide = false; /* fcntl64's own F_GETLK: the 32-bit struct */
    if (!lock)
        return i386_run(c, entry_fcntl, (uint64_t[6]){fd, cmd, arg}, NULL, 0);
    struct __attribute__((packed)) {
        int16_t type, whence;
        int64_t start, len;
        int32_t pid;
    } w;
    struct {
        int16_t type, whence;
        int32_t start, len, pid;
    } n;
    struct {
        int16_t type, whence, pad[2];
        int64_t start, len;
        int32_t pid, pad2;
    } k = {0};
    if (mem_in(c->p, wide ? (void *)&w : (void *)&n, arg, wide ? sizeof w : sizeof n) < 0)
        return -LINUX_EFAULT;
    if (wide)
        k.type = w.type, k.whence = w.whence, k.start = w.start, k.len = w.len, k.pid = w.pid;
    else
        k.type = n.type, k.whence = n.whence, k.start = n.start, k.len = n.len, k.pid = n.pid;
    int64_t r = i386_run(c, entry_fcntl, (uint64_t[6]){fd, cmd, I386_BOUNCE_VA}, &k, sizeof k);
    if (r < 0 || (cmd != F_GETLK && cmd != F_OFD_GETLK))
        return r;
    if (!wide && (k.start > INT32_MAX || k.len > INT32_MAX))
        return -LINUX_EOVERFLOW;
    w.type = n.type = k.type, w.whence = n.whence = k.whence, w.start = k.start, w.len = k.len, w.pid = n.pid = k.pid;
    n.start = (int32_t)k.start, n.len = (int32_t)k.len;
    return mem_out(c->p, arg, wide ? (void *)&w : (void *)&n, wide ? sizeof w : sizeof n) < 0 ? -LINUX_EFAULT : r;
}

static int64_t sys32_fcntl(struct sys_ctx *c, uint64_t fd, uint64_t cmd, uint64_t arg)
{
    return fcntl32(c, fd, cmd, arg, false);
}

static int64_t sys32_fcntl64(struct sys_ctx *c, uint64_t fd, uint64_t cmd, uint64_t arg)
{
    return fcntl32(c, fd, cmd, arg, true);
}

/* ---- iovec arrays ---- */

#define IOV_MAX_32 1024

/* Runs entry with the iovec arrays at a[i] (a[i + 1] entries) and, if
 * j >= 0, at a[j] (a[j + 1] entries) widened, each length sign-extended
 * (Linux's compat_ssize_t: one past 2 GiB is EINVAL).  An array too long
 * or unreadable is left as it is, for the 64-bit handler to refuse as
 * Linux does (EINVAL past UIO_MAXIOV, EFAULT), in its own order. */
int64_t i386_iovecs(struct sys_ctx *c, linux_handler entry, uint64_t a[6], int i, int j)
{
    static struct iovec32 v[IOV_MAX_32];
    static int64_t k[4 * IOV_MAX_32];
    size_t len = 0;
    int at[2] = {i, j};
    for (int n = 0; n < 2; n++) {
        int x = at[n];
        if (x < 0 || a[x + 1] > IOV_MAX_32 || mem_in(c->p, v, a[x], a[x + 1] * sizeof *v) < 0)
            continue;
        int64_t *w = k + n * 2 * IOV_MAX_32;
        for (uint64_t m = 0; m < a[x + 1]; m++)
            w[2 * m] = v[m].base, w[2 * m + 1] = (int32_t)v[m].len;
        a[x] = I386_BOUNCE_VA + (uint64_t)n * 16 * IOV_MAX_32;
        len = n * 16 * IOV_MAX_32 + a[x + 1] * 16;
    }
    return i386_run(c, entry, a, k, len);
}

/* Runs entry with the iovec array at a[1] widened (a[2] entries). */
static int64_t iov32(struct sys_ctx *c, linux_handler entry, uint64_t a[6])
{
    return i386_iovecs(c, entry, a, 1, -1);
}

static int64_t sys32_readv(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t iovcnt)
{
    return iov32(c, entry_readv, (uint64_t[6]){fd, uiov, iovcnt});
}

static int64_t sys32_writev(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t iovcnt)
{
    return iov32(c, entry_writev, (uint64_t[6]){fd, uiov, iovcnt});
}

/* The offset in two registers, low first. */
static uint64_t off64(uint64_t lo, uint64_t hi) { return hi << 32 | (uint32_t)lo; }

static int64_t sys32_preadv(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t iovcnt, uint64_t lo, uint64_t hi)
{
    return iov32(c, entry_preadv2, (uint64_t[6]){fd, uiov, iovcnt, off64(lo, hi), 0, 0});
}

static int64_t sys32_pwritev(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t iovcnt, uint64_t lo, uint64_t hi)
{
    return iov32(c, entry_pwritev2, (uint64_t[6]){fd, uiov, iovcnt, off64(lo, hi), 0, 0});
}

static int64_t sys32_preadv2(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t iovcnt, uint64_t lo, uint64_t hi,
                             uint64_t flags)
{
    return iov32(c, entry_preadv2, (uint64_t[6]){fd, uiov, iovcnt, off64(lo, hi), 0, flags});
}

static int64_t sys32_pwritev2(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t iovcnt, uint64_t lo, uint64_t hi,
                              uint64_t flags)
{
    return iov32(c, entry_pwritev2, (uint64_t[6]){fd, uiov, iovcnt, off64(lo, hi), 0, flags});
}

/* ---- 64-bit offsets in two registers ---- */

static int64_t sys32_pread64(struct sys_ctx *c, uint64_t fd, uint64_t ubuf, uint64_t count, uint64_t lo, uint64_t hi)
{
    return i386_run(c, entry_pread64, (uint64_t[6]){fd, ubuf, count, off64(lo, hi)}, NULL, 0);
}

static int64_t sys32_pwrite64(struct sys_ctx *c, uint64_t fd, uint64_t ubuf, uint64_t count, uint64_t lo, uint64_t hi)
{
    return i386_run(c, entry_pwrite64, (uint64_t[6]){fd, ubuf, count, off64(lo, hi)}, NULL, 0);
}

static int64_t sys32_truncate64(struct sys_ctx *c, uint64_t upath, uint64_t lo, uint64_t hi)
{
    return i386_run(c, entry_truncate, (uint64_t[6]){upath, off64(lo, hi)}, NULL, 0);
}

static int64_t sys32_ftruncate64(struct sys_ctx *c, uint64_t fd, uint64_t lo, uint64_t hi)
{
    return i386_run(c, entry_ftruncate, (uint64_t[6]){fd, off64(lo, hi)}, NULL, 0);
}

static int64_t sys32_fadvise64(struct sys_ctx *c, uint64_t fd, uint64_t lo, uint64_t hi, uint64_t len, int advice)
{
    return i386_run(c, entry_fadvise64, (uint64_t[6]){fd, off64(lo, hi), len, (uint32_t)advice}, NULL, 0);
}

static int64_t sys32_fadvise64_64(struct sys_ctx *c, uint64_t fd, uint64_t lo, uint64_t hi, uint64_t len_lo,
                                  uint64_t len_hi, int advice)
{
    return i386_run(c, entry_fadvise64, (uint64_t[6]){fd, off64(lo, hi), off64(len_lo, len_hi), (uint32_t)advice},
                    NULL, 0);
}

static int64_t sys32_fallocate(struct sys_ctx *c, uint64_t fd, int mode, uint64_t lo, uint64_t hi, uint64_t len_lo,
                               uint64_t len_hi)
{
    return i386_run(c, entry_fallocate, (uint64_t[6]){fd, (uint32_t)mode, off64(lo, hi), off64(len_lo, len_hi)},
                    NULL, 0);
}

static int64_t sys32_readahead(struct sys_ctx *c, uint64_t fd, uint64_t lo, uint64_t hi, uint64_t count)
{
    return i386_run(c, entry_readahead, (uint64_t[6]){fd, off64(lo, hi), count}, NULL, 0);
}

static int64_t sys32_sync_file_range(struct sys_ctx *c, uint64_t fd, uint64_t lo, uint64_t hi, uint64_t n_lo,
                                     uint64_t n_hi, uint64_t flags)
{
    return i386_run(c, entry_sync_file_range, (uint64_t[6]){fd, off64(lo, hi), off64(n_lo, n_hi), flags}, NULL, 0);
}

/* sendfile: a 32-bit offset (sendfile64's is sendfile's own). */
static int64_t sys32_sendfile(struct sys_ctx *c, uint64_t out_fd, uint64_t in_fd, uint64_t uoffset, uint64_t count)
{
    int32_t o32;
    int64_t off;
    if (uoffset && mem_in(c->p, &o32, uoffset, 4) < 0)
        return -LINUX_EFAULT;
    off = uoffset ? o32 : 0;
    int64_t r = i386_run(c, entry_sendfile, (uint64_t[6]){out_fd, in_fd, uoffset ? I386_BOUNCE_VA : 0, count}, &off,
                         sizeof off);
    o32 = (int32_t)off;
    return r < 0 || !uoffset ? r : mem_out(c->p, uoffset, &o32, 4) < 0 ? -LINUX_EFAULT : r;
}
