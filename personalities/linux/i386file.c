/*
 * personalities/linux/i386file.c - the i386 file calls whose structures or
 * arguments are the 32-bit ABI's own (docs/i386.md): stat64, lstat64,
 * fstat64 and fstatat64's struct stat64; statfs, fstatfs, statfs64 and
 * fstatfs64; fcntl and fcntl64's record locks (struct flock and flock64);
 * pread64, pwrite64, truncate64 and ftruncate64's 64-bit offsets in two
 * registers; sendfile's 32-bit offset; readv and writev's 32-bit iovecs.  Each translates and runs
 * the 64-bit handler through i386_run.
 *
 * Entry points: the handlers, through the i386 table (i386.def).  Layer:
 * above stat.c, file.c, reclock.c, io.c, iov.c, path.c.  Book: docs/i386.md.
 */
#include "i386.h"
#include "proc.h"
#include "linux_entries/i386file.h" /* generated: the handlers' prototypes, entries */

int64_t entry_newfstatat(struct sys_ctx *c);
int64_t entry_fstat(struct sys_ctx *c);
int64_t entry_statfs(struct sys_ctx *c);
int64_t entry_fstatfs(struct sys_ctx *c);
int64_t entry_fcntl(struct sys_ctx *c);
int64_t entry_pread64(struct sys_ctx *c);
int64_t entry_pwrite64(struct sys_ctx *c);
int64_t entry_truncate(struct sys_ctx *c);
int64_t entry_ftruncate(struct sys_ctx *c);
int64_t entry_readv(struct sys_ctx *c);
int64_t entry_writev(struct sys_ctx *c);
int64_t entry_sendfile(struct sys_ctx *c);

#define AT_FDCWD32 0xffffff9cull /* AT_FDCWD as an i386 register holds it */

/* ---- stat64 ---- */

/* i386's struct stat64 (asm/stat.h). */
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
_Static_assert(sizeof(struct stat64_32) == 96, "struct stat64 on i386");

/* Runs a stat handler into the bounce window, then writes its struct
 * stat64 to ubuf (Linux's cp_new_stat64). */
static int64_t stat64_run(struct sys_ctx *c, linux_handler entry, const uint64_t a[6], uint64_t ubuf)
{
    struct linux_stat st;
    int64_t r = i386_run(c, entry, a, &st, sizeof st);
    if (r < 0)
        return r;
    struct stat64_32 s = {.dev = st.dev, .ino32 = (uint32_t)st.ino, .mode = st.mode, .nlink = (uint32_t)st.nlink,
                          .uid = st.uid, .gid = st.gid, .rdev = st.rdev, .size = st.size,
                          .blksize = (uint32_t)st.blksize, .blocks = (uint64_t)st.blocks,
                          .atime = (uint32_t)st.atime, .atime_ns = (uint32_t)st.atime_ns, .mtime = (uint32_t)st.mtime,
                          .mtime_ns = (uint32_t)st.mtime_ns, .ctime = (uint32_t)st.ctime,
                          .ctime_ns = (uint32_t)st.ctime_ns, .ino = st.ino};
    return mem_out(c->p, ubuf, &s, sizeof s) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys32_stat64(struct sys_ctx *c, uint64_t upath, uint64_t ubuf)
{
    uint64_t a[6] = {AT_FDCWD32, upath, I386_BOUNCE_VA, 0};
    return stat64_run(c, entry_newfstatat, a, ubuf);
}

static int64_t sys32_lstat64(struct sys_ctx *c, uint64_t upath, uint64_t ubuf)
{
    uint64_t a[6] = {AT_FDCWD32, upath, I386_BOUNCE_VA, AT_SYMLINK_NOFOLLOW};
    return stat64_run(c, entry_newfstatat, a, ubuf);
}

static int64_t sys32_fstat64(struct sys_ctx *c, uint64_t fd, uint64_t ubuf)
{
    uint64_t a[6] = {fd, I386_BOUNCE_VA};
    return stat64_run(c, entry_fstat, a, ubuf);
}

static int64_t sys32_fstatat64(struct sys_ctx *c, uint64_t dirfd, uint64_t upath, uint64_t ubuf, uint64_t flags)
{
    uint64_t a[6] = {dirfd, upath, I386_BOUNCE_VA, flags};
    return stat64_run(c, entry_newfstatat, a, ubuf);
}

/* ---- statfs ---- */

/* i386's struct statfs64 (asm-generic/statfs.h, 4-byte aligned) and struct statfs. */
struct statfs64_32 {
    uint32_t type, bsize;
    uint64_t blocks, bfree, bavail, files, ffree;
    int32_t fsid[2];
    uint32_t namelen, frsize, flags, spare[4];
} __attribute__((packed));
_Static_assert(sizeof(struct statfs64_32) == 84, "struct statfs64 on i386");
struct statfs_32 {
    uint32_t type, bsize, blocks, bfree, bavail, files, ffree;
    int32_t fsid[2];
    uint32_t namelen, frsize, flags, spare[4];
};

/* Runs a statfs handler into the bounce window, then writes the 32-bit
 * struct statfs (wide: statfs64's) to ubuf; EOVERFLOW where a count does
 * not fit, as Linux's put_compat_statfs. */
static int64_t statfs_run(struct sys_ctx *c, linux_handler entry, uint64_t what, uint64_t ubuf, bool wide)
{
    struct linux_statfs st;
    uint64_t a[6] = {what, I386_BOUNCE_VA};
    int64_t r = i386_run(c, entry, a, &st, sizeof st);
    if (r < 0)
        return r;
    if (wide) {
        struct statfs64_32 s = {(uint32_t)st.type, (uint32_t)st.bsize, (uint64_t)st.blocks, (uint64_t)st.bfree,
                                (uint64_t)st.bavail, (uint64_t)st.files, (uint64_t)st.ffree, {st.fsid[0], st.fsid[1]},
                                (uint32_t)st.namelen, (uint32_t)st.frsize, (uint32_t)st.flags, {0}};
        return mem_out(c->p, ubuf, &s, sizeof s) < 0 ? -LINUX_EFAULT : 0;
    }
    if ((uint64_t)(st.blocks | st.bfree | st.bavail | st.bsize | st.frsize) > UINT32_MAX ||
        (st.files != -1 && (uint64_t)st.files > UINT32_MAX) || (st.ffree != -1 && (uint64_t)st.ffree > UINT32_MAX))
        return -LINUX_EOVERFLOW;
    struct statfs_32 s = {(uint32_t)st.type, (uint32_t)st.bsize, (uint32_t)st.blocks, (uint32_t)st.bfree,
                          (uint32_t)st.bavail, (uint32_t)st.files, (uint32_t)st.ffree, {st.fsid[0], st.fsid[1]},
                          (uint32_t)st.namelen, (uint32_t)st.frsize, (uint32_t)st.flags, {0}};
    return mem_out(c->p, ubuf, &s, sizeof s) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys32_statfs(struct sys_ctx *c, uint64_t upath, uint64_t ubuf)
{
    return statfs_run(c, entry_statfs, upath, ubuf, false);
}

static int64_t sys32_fstatfs(struct sys_ctx *c, uint64_t fd, uint64_t ubuf)
{
    return statfs_run(c, entry_fstatfs, fd, ubuf, false);
}

/* statfs64 and fstatfs64 take the structure's size, which must be its own. */
static int64_t sys32_statfs64(struct sys_ctx *c, uint64_t upath, uint64_t size, uint64_t ubuf)
{
    return size != sizeof(struct statfs64_32) ? -LINUX_EINVAL : statfs_run(c, entry_statfs, upath, ubuf, true);
}

static int64_t sys32_fstatfs64(struct sys_ctx *c, uint64_t fd, uint64_t size, uint64_t ubuf)
{
    return size != sizeof(struct statfs64_32) ? -LINUX_EINVAL : statfs_run(c, entry_fstatfs, fd, ubuf, true);
}

/* ---- fcntl ---- */

enum { F_SETOWN32 = 8, F_GETLK64_32 = 12, F_SETLK64_32 = 13, F_SETLKW64_32 = 14 };

/* x86-64's struct flock, and i386's struct flock and flock64. */
struct flock_64 {
    int16_t type, whence;
    int64_t start, len;
    int32_t pid;
};
struct flock_32 {
    int16_t type, whence;
    int32_t start, len, pid;
};
struct flock64_32 {
    int16_t type, whence;
    int64_t start, len;
    int32_t pid;
} __attribute__((packed));

/* A record-lock command with its struct at ulock, as wide (flock64) or
 * not: translated in, run as the 64-bit cmd, and for a GETLK out again
 * (EOVERFLOW where struct flock cannot hold the lock, as Linux). */
static int64_t lock_run(struct sys_ctx *c, uint64_t fd, uint64_t cmd, uint64_t ulock, bool wide)
{
    struct flock_64 fl;
    struct flock_32 n;
    struct flock64_32 w;
    if (wide ? mem_in(c->p, &w, ulock, sizeof w) < 0 : mem_in(c->p, &n, ulock, sizeof n) < 0)
        return -LINUX_EFAULT;
    fl = wide ? (struct flock_64){w.type, w.whence, w.start, w.len, w.pid}
              : (struct flock_64){n.type, n.whence, n.start, n.len, n.pid};
    uint64_t a[6] = {fd, cmd, I386_BOUNCE_VA};
    int64_t r = i386_run(c, entry_fcntl, a, &fl, sizeof fl);
    if (r < 0 || (cmd != F_GETLK && cmd != F_OFD_GETLK))
        return r;
    if (wide) {
        w = (struct flock64_32){fl.type, fl.whence, fl.start, fl.len, fl.pid};
        return mem_out(c->p, ulock, &w, sizeof w) < 0 ? -LINUX_EFAULT : 0;
    }
    if (fl.start != (int32_t)fl.start || fl.len != (int32_t)fl.len)
        return -LINUX_EOVERFLOW;
    n = (struct flock_32){fl.type, fl.whence, (int32_t)fl.start, (int32_t)fl.len, fl.pid};
    return mem_out(c->p, ulock, &n, sizeof n) < 0 ? -LINUX_EFAULT : 0;
}

/* fcntl64: the 64 commands take a flock64, as do the OFD locks; the plain
 * lock commands a struct flock.  The others carry over (F_SETOWN's pid,
 * negative for a group, sign-extended). */
static int64_t sys32_fcntl64(struct sys_ctx *c, uint64_t fd, uint64_t cmd, uint64_t arg)
{
    switch (cmd) {
    case F_GETLK64_32: case F_SETLK64_32: case F_SETLKW64_32:
        return lock_run(c, fd, cmd - F_GETLK64_32 + F_GETLK, arg, true);
    case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW:
        return lock_run(c, fd, cmd, arg, true);
    case F_GETLK: case F_SETLK: case F_SETLKW:
        return lock_run(c, fd, cmd, arg, false);
    default: {
        uint64_t a[6] = {fd, cmd, cmd == F_SETOWN32 ? (uint64_t)(int64_t)(int32_t)arg : arg};
        return i386_run(c, entry_fcntl, a, NULL, 0);
    }
    }
}

/* The old fcntl: no 64 commands (EINVAL, as Linux's compat fcntl). */
static int64_t sys32_fcntl(struct sys_ctx *c, uint64_t fd, uint64_t cmd, uint64_t arg)
{
    if (cmd == F_GETLK64_32 || cmd == F_SETLK64_32 || cmd == F_SETLKW64_32)
        return -LINUX_EINVAL;
    return sys32_fcntl64(c, fd, cmd, arg);
}

/* ---- 64-bit offsets in two registers ---- */

static uint64_t offset64(uint64_t lo, uint64_t hi) { return (hi & 0xffffffffu) << 32 | (lo & 0xffffffffu); }

static int64_t sys32_pread64(struct sys_ctx *c, uint64_t fd, uint64_t ubuf, uint64_t count, uint64_t lo, uint64_t hi)
{
    uint64_t a[6] = {fd, ubuf, count, offset64(lo, hi)};
    return i386_run(c, entry_pread64, a, NULL, 0);
}

static int64_t sys32_pwrite64(struct sys_ctx *c, uint64_t fd, uint64_t ubuf, uint64_t count, uint64_t lo, uint64_t hi)
{
    uint64_t a[6] = {fd, ubuf, count, offset64(lo, hi)};
    return i386_run(c, entry_pwrite64, a, NULL, 0);
}

static int64_t sys32_truncate64(struct sys_ctx *c, uint64_t upath, uint64_t lo, uint64_t hi)
{
    uint64_t a[6] = {upath, offset64(lo, hi)};
    return i386_run(c, entry_truncate, a, NULL, 0);
}

static int64_t sys32_ftruncate64(struct sys_ctx *c, uint64_t fd, uint64_t lo, uint64_t hi)
{
    uint64_t a[6] = {fd, offset64(lo, hi)};
    return i386_run(c, entry_ftruncate, a, NULL, 0);
}

/* sendfile's offset a 32-bit off_t, read and written back around the
 * 64-bit call (EOVERFLOW past 2 GiB, as Linux's compat sendfile). */
static int64_t sys32_sendfile(struct sys_ctx *c, uint64_t out_fd, uint64_t in_fd, uint64_t uoffset, uint64_t count)
{
    int32_t off32;
    if (!uoffset) {
        uint64_t a[6] = {out_fd, in_fd, 0, count};
        return i386_run(c, entry_sendfile, a, NULL, 0);
    }
    if (mem_in(c->p, &off32, uoffset, sizeof off32) < 0)
        return -LINUX_EFAULT;
    int64_t off = off32;
    uint64_t a[6] = {out_fd, in_fd, I386_BOUNCE_VA, count};
    int64_t r = i386_run(c, entry_sendfile, a, &off, sizeof off);
    if (r < 0)
        return r;
    if (off != (int32_t)off)
        return -LINUX_EOVERFLOW;
    off32 = (int32_t)off;
    return mem_out(c->p, uoffset, &off32, sizeof off32) < 0 ? -LINUX_EFAULT : r;
}

/* ---- vectored I/O ---- */

#define IOV_MAX32 1024

/* readv and writev: the 32-bit iovecs as 64-bit ones in the bounce window
 * (a length above INT32_MAX negative, so EINVAL, as Linux's compat
 * import_iovec); iov.c reads them once, before any wait. */
static int64_t vector_run(struct sys_ctx *c, linux_handler entry, uint64_t fd, uint64_t uiov, uint64_t cnt)
{
    static struct iovec32 in[IOV_MAX32];
    static struct { uint64_t base, len; } out[IOV_MAX32];
    if (cnt > IOV_MAX32)
        return -LINUX_EINVAL;
    if (cnt && mem_in(c->p, in, uiov, cnt * sizeof in[0]) < 0)
        return -LINUX_EFAULT;
    for (uint64_t i = 0; i < cnt; i++)
        out[i].base = in[i].base, out[i].len = (uint64_t)(int64_t)(int32_t)in[i].len;
    uint64_t a[6] = {fd, I386_BOUNCE_VA, cnt};
    return i386_run(c, entry, a, out, cnt * sizeof out[0]);
}

static int64_t sys32_readv(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t iovcnt)
{
    return vector_run(c, entry_readv, fd, uiov, iovcnt);
}

static int64_t sys32_writev(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t iovcnt)
{
    return vector_run(c, entry_writev, fd, uiov, iovcnt);
}
