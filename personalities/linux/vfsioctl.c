/*
 * personalities/linux/vfsioctl.c - the ioctls Linux's do_vfs_ioctl
 * answers for every file, whatever its type, before the file's own: the
 * inode flags' FS_IOC_GETFLAGS, SETFLAGS, FSGETXATTR and FSSETXATTR
 * (iflags.c), FIOQSIZE (the bytes a regular file, directory or symlink
 * takes: fstat's blocks), FIGETBSZ (its file system's block size: fstat's st_blksize),
 * FS_IOC_FIEMAP (EOPNOTSUPP: no file system here maps its extents),
 * FICLONE and FICLONERANGE (their checks, as vfs_clone_file_range makes
 * them: EBADF, EXDEV across mounts, EISDIR, EINVAL, EBADF for the modes;
 * then EOPNOTSUPP, since none shares blocks); and those its file_ioctl
 * answers for a regular file: FIBMAP (CAP_SYS_RAWIO, then EINVAL: no
 * block map) and the XFS preallocation ioctls, which are fallocate with
 * FALLOC_FL_KEEP_SIZE.
 *
 * Entry points: vfs_ioctl (file.h).  Callers: file.c's ioctl.  Layer:
 * calls, above file.h.  Book: docs/linux.md, "Files".
 */
#include "file.h"
#include "proc.h"
#include "uapi_landlock.h" /* FIOQSIZE, FIGETBSZ, FS_IOC_FIEMAP, FICLONE, FICLONERANGE */

/* The mount a file was opened through, as an identity (its file system
 * where the mount is not known; a pseudo file system's for a file with
 * no inode). */
static const void *mount_of(struct file *f)
{
    if (!f->inode)
        return f->ops->fs ? f->ops->fs : &rootfs;
    fs_walk_through(f->inode, f->mnt_id, f->mnt_flags);
    return fs_walk_mount.mount ? (const void *)fs_walk_mount.mount : (const void *)f->inode->fs;
}

static const struct fs *fs_of(const struct file *f) { return f->inode ? f->inode->fs : f->ops->fs ? f->ops->fs : &rootfs; }

/* Linux's ioctl_file_clone: dst takes src's bytes. */
static int64_t clone_file(struct sys_ctx *c, struct file *dst, int64_t srcfd)
{
    struct file *src = srcfd < 0 || srcfd > INT32_MAX ? NULL : fd_file(c->p, (uint64_t)srcfd);
    if (!src)
        return -LINUX_EBADF;
    if (mount_of(src) != mount_of(dst) || fs_of(src) != fs_of(dst))
        return -LINUX_EXDEV;
    struct linux_stat in, out;
    file_stat(src, &in), file_stat(dst, &out);
    if ((in.mode & S_IFMT) == S_IFDIR || (out.mode & S_IFMT) == S_IFDIR)
        return -LINUX_EISDIR;
    if ((in.mode & S_IFMT) != S_IFREG || (out.mode & S_IFMT) != S_IFREG)
        return -LINUX_EINVAL;
    if ((src->flags & O_ACCMODE) == O_WRONLY || (dst->flags & O_ACCMODE) == O_RDONLY || (dst->flags & O_APPEND))
        return -LINUX_EBADF;
    return -LINUX_EOPNOTSUPP; /* no remap_file_range: tmpfs's and ext2's have none */
}

/* Linux's ioctl_preallocate: struct space_resv's start (from l_whence)
 * and length, then fallocate with mode | FALLOC_FL_KEEP_SIZE. */
static int64_t preallocate(struct sys_ctx *c, struct file *f, int mode, uint64_t arg)
{
    struct {
        int16_t type, whence;
        int64_t start, len;
        int32_t sysid;
        uint32_t pid;
        int32_t pad[4];
    } sr;
    _Static_assert(sizeof sr == 48, "struct space_resv");
    if (mem_in(c->p, &sr, arg, sizeof sr) < 0)
        return -LINUX_EFAULT;
    if (sr.whence == SEEK_CUR)
        sr.start += (int64_t)f->pos;
    else if (sr.whence == SEEK_END)
        sr.start += (int64_t)f->inode->size;
    else if (sr.whence != SEEK_SET)
        return -LINUX_EINVAL;
    return file_fallocate(c, f, mode | FALLOC_FL_KEEP_SIZE, sr.start, sr.len);
}

int64_t vfs_ioctl(struct sys_ctx *c, struct file *f, uint32_t req, uint64_t arg)
{
    static const uint32_t mine[] = {FIOQSIZE, FIGETBSZ, FS_IOC_FIEMAP, FICLONE, FICLONERANGE, FIBMAP,
                                    FS_IOC_RESVSP, FS_IOC_RESVSP64, FS_IOC_UNRESVSP, FS_IOC_UNRESVSP64,
                                    FS_IOC_ZERO_RANGE};
    int64_t done = iflags_ioctl(c, f, req, arg); /* chattr's flags */
    if (done != VFS_IOCTL_NOT_MINE)
        return done;
    size_t i = 0;
    while (i < sizeof mine / sizeof mine[0] && mine[i] != req)
        i++;
    if (i == sizeof mine / sizeof mine[0]) /* the common case: a file's own request, no stat taken */
        return VFS_IOCTL_NOT_MINE;
    struct linux_stat st;
    file_stat(f, &st);
    uint32_t type = st.mode & S_IFMT;
    int64_t v;
    int32_t v32;
    switch (req) {
    case FIOQSIZE:
        if (type != S_IFREG && type != S_IFDIR && type != S_IFLNK)
            return -LINUX_ENOTTY;
        v = st.blocks * 512;
        return mem_out(c->p, arg, &v, sizeof v) < 0 ? -LINUX_EFAULT : 0;
    case FIGETBSZ:
        v32 = (int32_t)st.blksize;
        return mem_out(c->p, arg, &v32, sizeof v32) < 0 ? -LINUX_EFAULT : 0;
    case FS_IOC_FIEMAP:
        return -LINUX_EOPNOTSUPP;
    case FICLONE:
        return clone_file(c, f, (int64_t)(int32_t)arg); /* Linux's fdget takes the int */
    case FICLONERANGE:
        if (mem_in(c->p, &v, arg, sizeof v) < 0) /* struct file_clone_range's src_fd, the rest unused here */
            return -LINUX_EFAULT;
        return clone_file(c, f, (int64_t)(int32_t)v);
    }
    if (type != S_IFREG || !f->inode)
        return VFS_IOCTL_NOT_MINE;
    switch (req) {
    case FIBMAP:
        if (!cred_capable(&c->p->cred, CAP_SYS_RAWIO))
            return -LINUX_EPERM;
        if (mem_in(c->p, &v32, arg, sizeof v32) < 0)
            return -LINUX_EFAULT;
        return -LINUX_EINVAL;
    case FS_IOC_RESVSP: case FS_IOC_RESVSP64:
        return preallocate(c, f, 0, arg);
    case FS_IOC_UNRESVSP: case FS_IOC_UNRESVSP64:
        return preallocate(c, f, FALLOC_FL_PUNCH_HOLE, arg);
    case FS_IOC_ZERO_RANGE:
        return preallocate(c, f, FALLOC_FL_ZERO_RANGE, arg);
    }
    return VFS_IOCTL_NOT_MINE;
}
