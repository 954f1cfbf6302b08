/*
 * personalities/linux/stat.c - what a file is: stat, lstat, fstat,
 * newfstatat, statx, and the file system it is on: statfs, fstatfs; the
 * old sysfs (file system types) and ustat.
 * Pipes, sockets and eventfds have no inode of the file system; their
 * file type's stat shows them as Linux's pipefs, sockfs and anonymous
 * inodes do (stat_anon), and statfs asks their file system's.
 *
 * Entry points: stat_inode, stat_anon, fs_type_names (file.h).  Callers: the syscall
 * table, the file types.  Layer: above file.h.  Book:
 * docs/linux.md, "Files".
 */
#include "file.h"
#include "proc.h"
#include "procfs.h"
#include "mount.h"
#include "uapi_ext2.h" /* EXT2_SUPER_MAGIC */
#include "userns.h"
#include <string.h>
#include "linux_entries/stat.h" /* generated: the handlers' prototypes, entries */

/* The birth time of the inode the last stat_inode showed, if tmpfs's (as
 * Linux's shmem_getattr gives it, since 5.18), else -1: statx's. */
static int64_t shown_btime;
/* Its statx attributes, and those its file system could show (tmpfs's
 * shmem_getattr, ext2's ext2_getattr: from the chattr flags). */
static uint64_t shown_attrs, shown_attrs_known;

void stat_inode(const struct inode *i, struct linux_stat *st)
{
    shown_btime = i->fs->magic == TMPFS_MAGIC ? i->btime : -1;
    bool ext2 = i->fs->magic == EXT2_SUPER_MAGIC;
    shown_attrs_known = i->fs->magic == TMPFS_MAGIC ? STATX_ATTR_IMMUTABLE | STATX_ATTR_APPEND | STATX_ATTR_NODUMP
                        : ext2 ? STATX_ATTR_IMMUTABLE | STATX_ATTR_APPEND | STATX_ATTR_NODUMP | STATX_ATTR_COMPRESSED |
                                     STATX_ATTR_ENCRYPTED
                               : 0;
    shown_attrs = shown_attrs_known ? ((i->iflags & FS_IMMUTABLE_FL) ? STATX_ATTR_IMMUTABLE : 0) |
                                          ((i->iflags & FS_APPEND_FL) ? STATX_ATTR_APPEND : 0) |
                                          ((i->iflags & FS_NODUMP_FL) ? STATX_ATTR_NODUMP : 0) |
                                          (ext2 && (i->iflags & FS_COMPR_FL) ? STATX_ATTR_COMPRESSED : 0)
                                    : 0;
    memset(st, 0, sizeof *st);
    st->dev = i->fs->dev;
    st->ino = i->ino;
    st->nlink = i->nlink;
    st->mode = i->mode;
    st->uid = userns_uid_from(fs_cred->userns, i->uid); /* as the caller's user namespace sees them */
    st->gid = userns_gid_from(fs_cred->userns, i->gid);
    /* a device's number; procfs's files keep their marks there (PROCMEM_NODE...), which are no device */
    st->rdev = (i->mode & S_IFMT) == S_IFCHR || (i->mode & S_IFMT) == S_IFBLK ? i->rdev : 0;
    /* a directory on tmpfs counts its entries; /proc's show 0, as Linux's */
    st->size = (i->mode & S_IFMT) == S_IFDIR && i->fs != &rootfs ? 0 : (int64_t)i->size;
    st->blksize = i->fs->magic == PROC_SUPER_MAGIC ? 1024 : 4096; /* procfs's s_blocksize is 1 KiB */
    st->blocks = (int64_t)(i->npages * 8); /* as tmpfs counts: the pages that hold data, in 512-byte units */
    /* seconds rounded down, nanoseconds from 0 up: a time before 1970 too */
    const int64_t kept[3] = {i->atime, i->mtime, i->ctime};
    int64_t *shown[3][2] = {{&st->atime, &st->atime_ns}, {&st->mtime, &st->mtime_ns}, {&st->ctime, &st->ctime_ns}};
    for (int k = 0; k < 3; k++)
        *shown[k][0] = kept[k] / 1000000000 - (kept[k] % 1000000000 < 0),
        *shown[k][1] = (kept[k] % 1000000000 + 1000000000) % 1000000000;
    if (i->fs->ops && i->fs->ops->getattr)
        i->fs->ops->getattr(i, st);
}

/* A file with no inode of the file system (a pipe, a socket, an eventfd)
 * as Linux shows its inode on pipefs, sockfs or anon_inodefs. */
void stat_anon(struct fs *fs, uint32_t mode, uint64_t ino, struct linux_stat *st)
{
    const struct inode anon = {.mode = mode, .nlink = 1, .ino = ino, .fs = fs};
    stat_inode(&anon, st);
}

uint64_t anon_ino(void)
{
    static uint64_t next_ino = 1000;
    return next_ino++;
}

/* What fstat says of an open file: its inode, or what its type says. */
void file_stat(const struct file *f, struct linux_stat *st)
{
    if (f->ops->stat)
        f->ops->stat(f, st);
    else
        stat_inode(f->inode, st);
}

/* Whether the caller may stat i (its file system's may_getattr). */
static int may_getattr(const struct inode *i)
{
    return i && i->fs && i->fs->ops && i->fs->ops->may_getattr ? i->fs->ops->may_getattr(i) : 0;
}

static int64_t sys_fstat(struct sys_ctx *c, uint64_t fd, uint64_t ustatbuf)
{
    struct file *f = fd_file_raw(c->p, fd); /* O_PATH files too */
    struct linux_stat st;
    if (!f)
        return -LINUX_EBADF;
    int r = may_getattr(f->ops->stat ? NULL : f->inode);
    if (r < 0)
        return r;
    file_stat(f, &st);
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
        int r = may_getattr(c->p->cwd);
        if (r < 0)
            return r;
        stat_inode(c->p->cwd, st);
        fs_walk_mount = fs_mount_guess(c->p->cwd);
        return 0;
    }
    if (self || alias >= 0) {
        struct file *f = fd_file_raw(c->p, self ? (uint64_t)dirfd : (uint64_t)alias);
        if (!f)
            return self ? -LINUX_EBADF : -LINUX_ENOENT;
        if (f->inode)
            fs_walk_through(f->inode, f->mnt_id, f->mnt_flags);
        int r = may_getattr(f->ops->stat ? NULL : f->inode);
        if (r < 0)
            return r;
        file_stat(f, st);
        return 0;
    }
    int r = path_arg(c, dirfd, upath, buf, &dir);
    if (r < 0 || (r = fs_lookup(dir, buf, !(flags & AT_SYMLINK_NOFOLLOW), &ino)) < 0)
        return r;
    if ((r = may_getattr(ino)) < 0)
        return r;
    stat_inode(ino, st);
    return 0;
}

/* The stat of the path at upath (relative to dirfd, as flags say). */
static int stat_named(struct sys_ctx *c, int64_t dirfd, uint64_t upath, int flags, struct linux_stat *st)
{
    static char path[PATH_MAX_LEN];
    int r = mem_str(c->p, upath, path, sizeof path);
    return r < 0 ? r : stat_at(c, dirfd, upath, path, flags, st);
}

/* The *at() flags the stat calls take (Linux's vfs_statx). */
#define STAT_FLAGS (AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE)

static int64_t stat_path(struct sys_ctx *c, int64_t dirfd, uint64_t upath, uint64_t ust, int flags)
{
    struct linux_stat st;
    if (flags & ~STAT_FLAGS)
        return -LINUX_EINVAL;
    int r = stat_named(c, dirfd, upath, flags, &st);
    if (r < 0)
        return r;
    return mem_out(c->p, ust, &st, sizeof st) < 0 ? -LINUX_EFAULT : 0;
}

/* statx: the basic stats and the mount's id (stx_mnt_id, as mountinfo
 * numbers it: the walk's mount, or a descriptor's) whatever the mask asks,
 * and a tmpfs file's birth time when it asks for it. */
static int64_t sys_statx(struct sys_ctx *c, int dirfd, uint64_t upath, int flags, uint64_t mask_asked, uint64_t ustatx)
{
    struct linux_stat st;
    if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask_asked & STATX__RESERVED) || (flags & ~STAT_FLAGS))
        return -LINUX_EINVAL;
    fs_walk_mount = (struct fs_walk_mount){0};
    shown_btime = -1, shown_attrs = shown_attrs_known = 0;
    int r = stat_named(c, dirfd, upath, flags, &st);
    if (r < 0)
        return r;
    int64_t btime = shown_btime;
    uint8_t x[256] = {0};
    const struct mount *m = fs_walk_mount.mount;
    uint64_t mnt_id = m ? (uint64_t)m->id : 0, attrs_known = STATX_ATTR_AUTOMOUNT | STATX_ATTR_MOUNT_ROOT | STATX_ATTR_DAX,
             attrs = m && m->root->ino == st.ino && m->root->fs->dev == st.dev ? STATX_ATTR_MOUNT_ROOT : 0;
    attrs_known |= shown_attrs_known, attrs |= shown_attrs; /* what the chattr flags show */
    memcpy(x + 8, &attrs, 8), memcpy(x + 56, &attrs_known, 8), memcpy(x + 144, &mnt_id, 8);
    uint32_t mask = 0x7ff | STATX_MNT_ID, blksize = (uint32_t)st.blksize, nlink = (uint32_t)st.nlink, rdev_major = (uint32_t)(st.rdev >> 8),
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
    if ((mask_asked & STATX_BTIME) && btime >= 0) { /* tmpfs's, when asked for: statx_timestamp at 80 */
        uint32_t ns = (uint32_t)(btime % 1000000000);
        int64_t sec = btime / 1000000000;
        mask |= STATX_BTIME;
        memcpy(x, &mask, 4), memcpy(x + 80, &sec, 8), memcpy(x + 88, &ns, 4);
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
/* What statfs says of file system fs. */
/* The mount flags statfs shows for ino (ST_*: MS_RDONLY and the three
 * after it are the same bits, and so are the superblock's MS_SYNCHRONOUS
 * and MS_MANDLOCK; the times are ST_NOATIME, ST_NODIRATIME and
 * ST_RELATIME). */
static int64_t mount_statfs_flags(struct inode *ino, uint32_t flags)
{
    struct mount *m = flags ? NULL : fs_mount_of(ino); /* no walk's: the mount it is most likely seen through */
    flags = m ? m->flags : flags;
    return (flags & 15) | (ino->fs->rdonly ? MS_RDONLY : 0) | (ino->fs->sb_flags & (MS_SYNCHRONOUS | MS_MANDLOCK)) | (flags & MS_NOATIME ? 1024 : 0) |
           (flags & MS_NODIRATIME ? 2048 : 0) | (flags & MS_RELATIME ? 4096 : 0) | (flags & MS_NOSYMFOLLOW ? 8192 : 0);
}

static int64_t put_statfs(struct sys_ctx *c, uint64_t ubuf, struct fs *fs, struct inode *ino, uint32_t mnt_flags)
{
    struct linux_statfs s = {.bsize = 4096, .namelen = 255, .frsize = 4096, .flags = ST_VALID};
    fs_statfs(fs, &s);
    if (ino) /* the flags of the mount it is seen through */
        s.flags |= mount_statfs_flags(ino, mnt_flags);
    return mem_out(c->p, ubuf, &s, sizeof s) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys_statfs(struct sys_ctx *c, uint64_t upath, uint64_t ubuf)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir, *ino;
    int r;
    if ((r = path_arg(c, AT_FDCWD, upath, path, &dir)) < 0 || (r = fs_lookup(dir, path, true, &ino)) < 0)
        return r;
    return put_statfs(c, ubuf, ino->fs, ino, fs_walk_flags(ino));
}

static int64_t sys_fstatfs(struct sys_ctx *c, uint64_t fd, uint64_t ubuf)
{
    struct file *f = fd_file_raw(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    if (f->inode) /* the flags its mount has now */
        fs_walk_through(f->inode, f->mnt_id, f->mnt_flags);
    return put_statfs(c, ubuf, f->inode ? f->inode->fs : f->ops->fs ? f->ops->fs : &rootfs, f->inode,
                      f->inode ? fs_walk_flags(f->inode) : 0);
}

/* ---- sysfs and ustat: the old calls on file system types and devices ---- */

/* The file system types there are, in /proc/filesystems's order (procfs.c
 * writes it from here); sysfs numbers them from 0. */
const char *const fs_type_names[FS_TYPES] = {"sysfs", "tmpfs", "proc", "pipefs", "anon_inodefs", "sockfs", "ext2"};

/* sysfs: 1, a type's index by its name; 2, the name of index arg1 into
 * arg2; 3, how many there are.  EINVAL for anything else. */
static int64_t sys_sysfs(struct sys_ctx *c, int option, uint64_t arg1, uint64_t arg2)
{
    static char name[PATH_MAX_LEN];
    int r;
    switch (option) {
    case 1:
        if ((r = mem_str(c->p, arg1, name, sizeof name)) < 0)
            return r;
        for (int i = 0; i < FS_TYPES; i++)
            if (!strcmp(name, fs_type_names[i]))
                return i;
        return -LINUX_EINVAL;
    case 2:
        if ((uint32_t)arg1 >= FS_TYPES)
            return -LINUX_EINVAL;
        return mem_out(c->p, arg2, fs_type_names[(uint32_t)arg1], strlen(fs_type_names[(uint32_t)arg1]) + 1) < 0
                   ? -LINUX_EFAULT : 0;
    case 3: return FS_TYPES;
    }
    return -LINUX_EINVAL;
}

/* ustat: the free blocks and inodes of the file system of device dev (a
 * mounted one's st_dev, or the anonymous inodes' of pipes and sockets);
 * EINVAL for a device with none, as Linux's user_get_super finds none. */
static int64_t sys_ustat(struct sys_ctx *c, uint32_t dev, uint64_t ubuf)
{
    struct fs *fs = dev == DEV_ANONFS ? &anon_inodefs : NULL;
    for (struct mount *m = fs_mounts(); m && !fs; m = m->next)
        if (m->fs->dev == dev)
            fs = m->fs;
    if (!fs)
        return -LINUX_EINVAL;
    struct linux_statfs s = {0};
    fs_statfs(fs, &s);
    struct { /* struct ustat (linux/types.h's, x86-64) */
        int32_t tfree;
        uint64_t tinode;
        char fname[6], fpack[6];
    } u = {.tfree = (int32_t)s.bfree, .tinode = (uint64_t)s.ffree};
    _Static_assert(sizeof u == 32, "struct ustat");
    return mem_out(c->p, ubuf, &u, sizeof u) < 0 ? -LINUX_EFAULT : 0;
}
