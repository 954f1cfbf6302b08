/*
 * personalities/linux/vfsioctl.c - the ioctls Linux's do_vfs_ioctl
 * answers for every file, whatever its type, before the file's own: the
 * inode flags' FS_IOC_GETFLAGS, SETFLAGS, FSGETXATTR and FSSETXATTR
 * (iflags.c), FIOQSIZE (the bytes a regular file, directory or symlink
 * takes: fstat's blocks), FIGETBSZ (its file system's block size: fstat's st_blksize),
 * FS_IOC_FIEMAP (an ext2 file's or directory's extents, as the ext4
 * driver that mounts ext2 on Linux reports a block-mapped file's: each
 * FIEMAP_EXTENT_MERGED; EOPNOTSUPP elsewhere: tmpfs maps none),
 * FICLONE and FICLONERANGE (their checks, as vfs_clone_file_range makes
 * them: EBADF, EXDEV across mounts, EISDIR, EINVAL, EBADF for the modes;
 * then EOPNOTSUPP, since none shares blocks); and those its file_ioctl
 * answers for a regular file: FIBMAP (CAP_SYS_RAWIO, then an ext2 file's
 * block, 0 for a hole; EINVAL elsewhere: no block map) and the XFS preallocation ioctls, which are fallocate with
 * FALLOC_FL_KEEP_SIZE.
 *
 * Entry points: vfs_ioctl (file.h).  Callers: file.c's ioctl.  Layer:
 * calls, above file.h.  Book: docs/linux.md, "Files".
 */
#include "ext2.h"
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

/* One extent out, as Linux's fiemap_fill_next_extent: 1 once the caller's
 * array is full or the last extent is in, else 0; or -EFAULT. */
static int fiemap_fill(struct sys_ctx *c, uint64_t arg, uint32_t *mapped, uint32_t max, const uint64_t ext[3],
                       uint32_t flags)
{
    if (max == 0) { /* only counted */
        (*mapped)++;
        return flags & FIEMAP_EXTENT_LAST ? 1 : 0;
    }
    if (*mapped >= max)
        return 1;
    struct {
        uint64_t logical, physical, length, reserved64[2];
        uint32_t flags, reserved[3];
    } x = {.logical = ext[0], .physical = ext[1], .length = ext[2], .flags = flags};
    _Static_assert(sizeof x == 56, "struct fiemap_extent");
    if (mem_out(c->p, arg + 32 + (uint64_t)*mapped * sizeof x, &x, sizeof x) < 0)
        return -LINUX_EFAULT;
    (*mapped)++;
    return *mapped == max || (flags & FIEMAP_EXTENT_LAST) ? 1 : 0;
}

/* Linux's ioctl_fiemap over ext4_fiemap and iomap_fiemap, for an ext2's
 * file or directory (ext2map.c): FIEMAP_FLAG_CACHE ignored, the range
 * checked (EINVAL, EFBIG) and cut to the largest file, flags other than
 * SYNC and XATTR EBADR (fm_flags says which), the image written back and
 * each mapped run an extent from the block holding fm_start, cut at the
 * range's last block; the last one FIEMAP_EXTENT_LAST.  XATTR maps the
 * attributes' block: none is written, so no extent.  The header goes back
 * whatever the answer. */
static int64_t fiemap(struct sys_ctx *c, struct file *f, uint32_t type, uint64_t arg)
{
    struct inode *ino = f->inode;
    if (!ino || !ext2_is(ino->fs) || (type != S_IFREG && type != S_IFDIR))
        return -LINUX_EOPNOTSUPP;
    struct {
        uint64_t start, length;
        uint32_t flags, mapped, count, reserved;
    } fm;
    _Static_assert(sizeof fm == 32, "struct fiemap");
    if (mem_in(c->p, &fm, arg, sizeof fm) < 0)
        return -LINUX_EFAULT;
    if (fm.count > UINT32_MAX / 56) /* FIEMAP_MAX_EXTENTS */
        return -LINUX_EINVAL;
    struct ext2 *e = (struct ext2 *)ino->fs;
    uint64_t max = ext2_maxbytes(e), len = fm.length;
    uint32_t mapped = 0, count = fm.count;
    int64_t r = 0;
    fm.flags &= ~FIEMAP_FLAG_CACHE;
    if (!len)
        r = -LINUX_EINVAL;
    else if (fm.start > max)
        r = -LINUX_EFBIG;
    else if (fm.flags & ~(FIEMAP_FLAG_SYNC | FIEMAP_FLAG_XATTR))
        fm.flags &= ~(FIEMAP_FLAG_SYNC | FIEMAP_FLAG_XATTR), r = -LINUX_EBADR;
    else {
        if (len > max || max - len < fm.start)
            len = max - fm.start;
        struct ext2_inode raw = {0};
        bool xattr = fm.flags & FIEMAP_FLAG_XATTR;
        fm.flags &= ~FIEMAP_FLAG_XATTR;
        r = ext2_map_open(ino, &raw);
        uint64_t size = raw.i_size | (type == S_IFREG ? (uint64_t)raw.i_size_high << 32 : 0);
        uint64_t lb = fm.start / e->bsize, last = (fm.start + len - 1) / e->bsize, prev[3], n = 1;
        uint64_t nblk = (size + e->bsize - 1) / e->bsize;
        bool have = false;
        if (last >= nblk)
            last = nblk - 1;
        for (; r == 0 && !xattr && nblk && lb <= last; lb += n) {
            uint32_t pb;
            r = ext2_map_run(e, &raw, lb, last, &pb, &n);
            if (r < 0 || !pb)
                continue;
            if (have && (r = fiemap_fill(c, arg, &mapped, count, prev, FIEMAP_EXTENT_MERGED)) != 0)
                break;
            prev[0] = lb * e->bsize, prev[1] = (uint64_t)pb * e->bsize, prev[2] = n * e->bsize, have = true;
        }
        if (r == 1)
            r = 0; /* the array is full */
        else if (r == 0 && have)
            r = fiemap_fill(c, arg, &mapped, count, prev, FIEMAP_EXTENT_MERGED | FIEMAP_EXTENT_LAST);
        r = r > 0 ? 0 : r;
    }
    fm.mapped = mapped;
    return mem_out(c->p, arg, &fm, sizeof fm) < 0 ? -LINUX_EFAULT : r;
}

/* Linux's ioctl_fibmap: an ext2 file's block (written back first, as
 * ext4_bmap writes delayed pages; 0 for a hole or past the end), EINVAL
 * for other file systems (no bmap). */
static int64_t fibmap(struct sys_ctx *c, struct file *f, uint64_t arg)
{
    int32_t v32;
    if (!cred_capable(&c->p->cred, CAP_SYS_RAWIO))
        return -LINUX_EPERM;
    if (mem_in(c->p, &v32, arg, sizeof v32) < 0)
        return -LINUX_EFAULT;
    if (v32 < 0 || !ext2_is(f->inode->fs))
        return -LINUX_EINVAL;
    struct ext2_inode raw = {0};
    uint32_t pb = 0;
    uint64_t n, size = 0;
    if (ext2_map_open(f->inode, &raw) == 0)
        size = raw.i_size | (uint64_t)raw.i_size_high << 32;
    struct ext2 *e = (struct ext2 *)f->inode->fs;
    if ((uint64_t)v32 * e->bsize >= size || ext2_map_run(e, &raw, (uint64_t)v32, (uint64_t)v32, &pb, &n) < 0)
        pb = 0;
    int64_t r = pb > INT32_MAX ? -LINUX_ERANGE : 0;
    v32 = r < 0 ? 0 : (int32_t)pb;
    return mem_out(c->p, arg, &v32, sizeof v32) < 0 ? -LINUX_EFAULT : r;
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
        return fiemap(c, f, type, arg);
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
        return fibmap(c, f, arg);
    case FS_IOC_RESVSP: case FS_IOC_RESVSP64:
        return preallocate(c, f, 0, arg);
    case FS_IOC_UNRESVSP: case FS_IOC_UNRESVSP64:
        return preallocate(c, f, FALLOC_FL_PUNCH_HOLE, arg);
    case FS_IOC_ZERO_RANGE:
        return preallocate(c, f, FALLOC_FL_ZERO_RANGE, arg);
    }
    return VFS_IOCTL_NOT_MINE;
}
