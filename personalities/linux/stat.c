/*
 * personalities/linux/stat.c - what a file is: stat, lstat, fstat,
 * newfstatat, statx, and the file system it is on: statfs, fstatfs.
 * Pipes, sockets and eventfds have no inode of the file system; fstat
 * shows them as Linux's pipefs, sockfs and anonymous inodes do.
 *
 * Callers: the syscall table.  Layer: above file.h.  Book:
 * docs/linux.md, "Files".
 */
#include "file.h"
#include "pipe.h"
#include "proc.h"
#include "socket.h"
#include "tty.h"
#include <string.h>
#include "linux_entries/stat.h" /* generated: the handlers' prototypes, entries */

static void fill_stat(const struct inode *i, struct linux_stat *st)
{
    memset(st, 0, sizeof *st);
    st->dev = (uint64_t)i->fs;
    st->ino = i->ino;
    st->nlink = i->nlink;
    st->mode = i->mode;
    st->uid = i->uid;
    st->gid = i->gid;
    st->rdev = i->rdev;
    st->size = (i->mode & S_IFMT) == S_IFDIR ? 4096 : (int64_t)i->size;
    st->blksize = 4096;
    st->blocks = (int64_t)(i->npages * 8); /* as tmpfs counts: the pages that hold data, in 512-byte units */
    st->atime = i->atime / 1000000000, st->atime_ns = i->atime % 1000000000;
    st->mtime = i->mtime / 1000000000, st->mtime_ns = i->mtime % 1000000000;
    st->ctime = i->ctime / 1000000000, st->ctime_ns = i->ctime % 1000000000;
}

/* What fstat says of an open file: its inode, or a pipe or an anonymous
 * inode as Linux shows them. */
static void stat_file(const struct file *f, struct linux_stat *st)
{
    static const struct inode anon = {.mode = 0600, .nlink = 1, .fs = FS_ANON};
    if (f->kind == FILE_SOCKET) {
        fill_stat(&anon, st);
        st->mode = S_IFSOCK | 0777, st->ino = socket_ino(f);
        return;
    }
    if (f->inode || (!f->pipe && !f->counter)) {
        fill_stat(f->inode ? f->inode : &console_inode, st);
        return;
    }
    fill_stat(&anon, st); /* Linux's anonymous inodes have no file type */
    if (f->pipe)
        st->mode = S_IFIFO | 0600, st->ino = pipe_ino(f);
}

static int64_t sys_fstat(struct sys_ctx *c, uint64_t fd, uint64_t ustatbuf)
{
    struct file *f = fd_file(c->p, fd);
    struct linux_stat st;
    if (!f)
        return -LINUX_EBADF;
    stat_file(f, &st);
    return mem_out(c->p, ustatbuf, &st, sizeof st) < 0 ? -LINUX_EFAULT : 0;
}

/* The stat of the *at() triple (dirfd, path, flags), path already read
 * from upath into buf: "" with AT_EMPTY_PATH is dirfd itself (or the
 * working directory), and /dev/fd/N and its kin, followed, are the open
 * file, pipes included, as Linux's magic links. */
static int stat_at(struct sys_ctx *c, int64_t dirfd, uint64_t upath, char *buf, int flags, struct linux_stat *st)
{
    struct inode *dir, *ino;
    bool self = !buf[0] && (flags & AT_EMPTY_PATH);
    int alias = self || (flags & AT_SYMLINK_NOFOLLOW) ? -1 : fd_alias(buf);
    if (self && dirfd == AT_FDCWD) {
        fill_stat(c->p->cwd, st);
        return 0;
    }
    if (self || alias >= 0) {
        struct file *f = fd_file(c->p, self ? (uint64_t)dirfd : (uint64_t)alias);
        if (!f)
            return self ? -LINUX_EBADF : -LINUX_ENOENT;
        stat_file(f, st);
        return 0;
    }
    int r = path_arg(c, dirfd, upath, buf, &dir);
    if (r < 0 || (r = fs_lookup(dir, buf, !(flags & AT_SYMLINK_NOFOLLOW), &ino)) < 0)
        return r;
    fill_stat(ino, st);
    return 0;
}

static int64_t stat_path(struct sys_ctx *c, int64_t dirfd, uint64_t upath, uint64_t ust, int flags)
{
    static char path[PATH_MAX_LEN];
    struct linux_stat st;
    int r = mem_str(c->p, upath, path, sizeof path);
    if (r < 0 || (r = stat_at(c, dirfd, upath, path, flags, &st)) < 0)
        return r;
    return mem_out(c->p, ust, &st, sizeof st) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys_statx(struct sys_ctx *c, int dirfd, uint64_t upath, int flags, uint64_t ustatx)
{
    static char path[PATH_MAX_LEN];
    struct linux_stat st;
    int r = mem_str(c->p, upath, path, sizeof path);
    if (r < 0 || (r = stat_at(c, dirfd, upath, path, flags, &st)) < 0)
        return r;
    uint8_t x[256] = {0};
    uint32_t mask = 0x7ff, blksize = 4096, nlink = (uint32_t)st.nlink, rdev_major = (uint32_t)(st.rdev >> 8),
             rdev_minor = (uint32_t)(st.rdev & 0xff), dev_major = 0, dev_minor = (uint32_t)st.dev;
    uint16_t mode = (uint16_t)st.mode;
    memcpy(x + 0, &mask, 4), memcpy(x + 4, &blksize, 4), memcpy(x + 16, &nlink, 4);
    memcpy(x + 20, &st.uid, 4), memcpy(x + 24, &st.gid, 4), memcpy(x + 28, &mode, 2);
    memcpy(x + 32, &st.ino, 8), memcpy(x + 40, &st.size, 8), memcpy(x + 48, &st.blocks, 8);
    const int64_t *times[3][2] = {{&st.atime, &st.atime_ns}, {&st.ctime, &st.ctime_ns}, {&st.mtime, &st.mtime_ns}};
    for (int t = 0; t < 3; t++) { /* statx_timestamp at 64, 96 and 112: seconds, then nanoseconds (btime, 80, unset) */
        uint32_t ns = (uint32_t)*times[t][1];
        memcpy(x + (t ? 80 + 16 * t : 64), times[t][0], 8), memcpy(x + (t ? 88 + 16 * t : 72), &ns, 4);
    }
    memcpy(x + 128, &rdev_major, 4), memcpy(x + 132, &rdev_minor, 4);
    memcpy(x + 136, &dev_major, 4), memcpy(x + 140, &dev_minor, 4);
    return mem_out(c->p, ustatx, x, sizeof x) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys_stat(struct sys_ctx *c, uint64_t upath, uint64_t ustatbuf)
{
    return stat_path(c, AT_FDCWD, upath, ustatbuf, 0);
}

static int64_t sys_lstat(struct sys_ctx *c, uint64_t upath, uint64_t ustatbuf)
{
    return stat_path(c, AT_FDCWD, upath, ustatbuf, AT_SYMLINK_NOFOLLOW);
}

static int64_t sys_newfstatat(struct sys_ctx *c, int dirfd, uint64_t upath, uint64_t ustatbuf, int flags)
{
    return stat_path(c, dirfd, upath, ustatbuf, flags);
}

/* ---- statfs ---- */

/* The file system an open file or an inode (f NULL) lives on, as statfs
 * tells it.  The root is a tmpfs in this server's memory: its blocks are
 * the machine's, and it may grow into all that is free. */
static int64_t put_statfs(struct sys_ctx *c, uint64_t ubuf, const struct file *f, const struct inode *ino)
{
    struct linux_statfs s = {.bsize = 4096, .namelen = 255, .frsize = 4096, .flags = ST_VALID};
    if (f && f->kind == FILE_SOCKET)
        s.type = SOCKFS_MAGIC;
    else if (f && f->pipe && !f->inode)
        s.type = PIPEFS_MAGIC;
    else if (f && f->counter)
        s.type = ANON_INODE_FS_MAGIC;
    else if (ino && ino->fs == FS_PROC)
        s.type = PROC_SUPER_MAGIC, s.flags |= ST_NOSUID | ST_NODEV | ST_NOEXEC;
    else {
        struct persona_memstats ms = {0, 0};
        sys_stats(STATS_MEMORY, -1, &ms, sizeof ms);
        s.type = TMPFS_MAGIC;
        s.blocks = (int64_t)(ms.total_bytes / 4096);
        s.bfree = s.bavail = (int64_t)(ms.free_bytes / 4096);
        s.files = s.blocks;
        uint64_t used = fs_inodes_live();
        s.ffree = (uint64_t)s.files > used ? s.files - (int64_t)used : 0;
    }
    return mem_out(c->p, ubuf, &s, sizeof s) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys_statfs(struct sys_ctx *c, uint64_t upath, uint64_t ubuf)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir, *ino;
    int r;
    if ((r = path_arg(c, AT_FDCWD, upath, path, &dir)) < 0 || (r = fs_lookup(dir, path, true, &ino)) < 0)
        return r;
    return put_statfs(c, ubuf, NULL, ino);
}

static int64_t sys_fstatfs(struct sys_ctx *c, uint64_t fd, uint64_t ubuf)
{
    struct file *f = fd_file(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    return put_statfs(c, ubuf, f, f->inode);
}
