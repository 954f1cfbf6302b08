/*
 * personalities/linux/iflags.c - the inode flags chattr sets and lsattr
 * shows, as Linux's fileattr (fs/ioctl.c): FS_IOC_GETFLAGS and
 * FS_IOC_SETFLAGS (FS_*_FL as an int; an i386 program's FS_IOC32_*, as
 * Linux's compat ioctl), FS_IOC_FSGETXATTR and FS_IOC_FSSETXATTR (struct
 * fsxattr, whose xflags say the common flags as FS_XFLAG_*).  A change
 * needs a writable mount (EROFS), the file's owner or CAP_FOWNER (EPERM),
 * and CAP_LINUX_IMMUTABLE to change FS_APPEND_FL or FS_IMMUTABLE_FL
 * (EPERM), as vfs_fileattr_set.  tmpfs keeps FS_IMMUTABLE_FL,
 * FS_APPEND_FL, FS_NODUMP_FL and FS_NOATIME_FL and refuses any other
 * (EOPNOTSUPP), as shmem_fileattr_set; ext2 keeps those of
 * EXT2_FL_USER_MODIFIABLE, in the inode's i_flags on disk (ext2.c,
 * ext2sync.c), and drops the rest, as ext2_fileattr_set.  Only their
 * regular files and directories have them: any other file leaves the
 * request to its own ioctl (ENOTTY).  What the flags do is the checks'
 * (fs.h's fs_is_immutable and fs_is_append, and their callers), statx's
 * attributes (stat.c) and fs_accessed's (FS_NOATIME_FL).
 *
 * Entry points: iflags_ioctl (file.h).  Callers: vfsioctl.c.  Layer:
 * calls, above file.h.  Book: docs/linux.md, "Files".
 */
#include "file.h"
#include "proc.h"
#include "time.h"
#include "uapi_ext2.h" /* EXT2_SUPER_MAGIC */

/* The flags struct fsxattr's xflags also say (Linux's FS_COMMON_FL and
 * FS_XFLAG_COMMON, pair by pair). */
static const uint32_t common[][2] = {
    {FS_SYNC_FL, FS_XFLAG_SYNC},     {FS_IMMUTABLE_FL, FS_XFLAG_IMMUTABLE}, {FS_APPEND_FL, FS_XFLAG_APPEND},
    {FS_NODUMP_FL, FS_XFLAG_NODUMP}, {FS_NOATIME_FL, FS_XFLAG_NOATIME},     {FS_DAX_FL, FS_XFLAG_DAX},
    {FS_PROJINHERIT_FL, FS_XFLAG_PROJINHERIT}};
#define NCOMMON (sizeof common / sizeof common[0])
#define TMPFS_FL_USER_MODIFIABLE (FS_IMMUTABLE_FL | FS_APPEND_FL | FS_NODUMP_FL | FS_NOATIME_FL)
/* The xflags of extent size hints (fileattr_set_prepare's checks). */
#define FS_XFLAG_EXTSIZE 0x800
#define FS_XFLAG_EXTSZINHERIT 0x1000
#define FS_XFLAG_COWEXTSIZE 0x10000

/* struct fsxattr (linux/fs.h), 28 bytes. */
struct fsxattr {
    uint32_t xflags, extsize, nextents, projid, cowextsize;
    uint8_t pad[8];
};
_Static_assert(sizeof(struct fsxattr) == 28, "struct fsxattr");

/* One flag set's other (Linux's fileattr_fill_flags, fileattr_fill_xflags). */
static uint32_t convert(uint32_t v, int from)
{
    uint32_t out = 0;
    for (size_t k = 0; k < NCOMMON; k++)
        if (v & common[k][from])
            out |= common[k][!from];
    return out;
}

/* Whether ino has fileattr operations: tmpfs's and ext2's regular files
 * and directories (shmem's and ext2's inode_operations for them). */
static bool has_fileattr(const struct inode *ino)
{
    uint32_t type = ino->mode & S_IFMT;
    return (type == S_IFREG || type == S_IFDIR) &&
           (ino->fs->magic == TMPFS_MAGIC || ino->fs->magic == EXT2_SUPER_MAGIC);
}

/* vfs_fileattr_set with the file system's own: flags the new FS_*_FL, x
 * the struct fsxattr (NULL: FS_IOC_SETFLAGS's). */
static int64_t set_attr(struct sys_ctx *c, struct file *f, uint32_t flags, struct fsxattr *x)
{
    struct inode *ino = f->inode;
    fs_walk_through(ino, f->mnt_id, f->mnt_flags);
    if (fs_want_write(ino) < 0)
        return -LINUX_EROFS;
    if (!fs_owner(ino))
        return -LINUX_EPERM;
    uint32_t old = ino->iflags & FS_FL_USER_VISIBLE, type = ino->mode & S_IFMT;
    uint32_t common_fl = convert(~0u, 1);
    if (x)
        flags |= old & ~common_fl; /* the flags struct fsxattr cannot say stay */
    if (((flags ^ old) & (FS_APPEND_FL | FS_IMMUTABLE_FL)) && !cred_capable(&c->p->cred, CAP_LINUX_IMMUTABLE))
        return -LINUX_EPERM;
    if (x) { /* fileattr_set_prepare's checks of the extent size hints, then fileattr_has_fsx */
        if (((x->xflags & FS_XFLAG_EXTSIZE) && type != S_IFREG) ||
            ((x->xflags & FS_XFLAG_EXTSZINHERIT) && type != S_IFDIR))
            return -LINUX_EINVAL;
        if (!x->extsize)
            x->xflags &= ~(uint32_t)(FS_XFLAG_EXTSIZE | FS_XFLAG_EXTSZINHERIT);
        if (!x->cowextsize)
            x->xflags &= ~(uint32_t)FS_XFLAG_COWEXTSIZE;
        if ((x->xflags & ~convert(~0u, 0)) || x->extsize || x->projid || x->cowextsize)
            return -LINUX_EOPNOTSUPP; /* neither tmpfs nor ext2 keeps XFS's attributes */
    }
    uint32_t keep = FS_FL_USER_MODIFIABLE; /* ext2's: the rest dropped */
    if (ino->fs->magic == TMPFS_MAGIC) {
        keep = TMPFS_FL_USER_MODIFIABLE;
        if (flags & ~keep)
            return -LINUX_EOPNOTSUPP;
    }
    ino->iflags = (ino->iflags & ~keep) | (flags & keep);
    ino->ctime = realtime_ns();
    return 0;
}

int64_t iflags_ioctl(struct sys_ctx *c, struct file *f, uint32_t req, uint64_t arg)
{
    if (c->i386 && (req == FS_IOC32_GETFLAGS || req == FS_IOC32_SETFLAGS))
        req = req == FS_IOC32_GETFLAGS ? FS_IOC_GETFLAGS : FS_IOC_SETFLAGS;
    if ((req != FS_IOC_GETFLAGS && req != FS_IOC_SETFLAGS && req != FS_IOC_FSGETXATTR && req != FS_IOC_FSSETXATTR) ||
        f->kind != FILE_INODE || !f->inode || !has_fileattr(f->inode))
        return VFS_IOCTL_NOT_MINE; /* no fileattr: the file's own ioctl answers (ENOTTY) */
    uint32_t flags = f->inode->iflags & FS_FL_USER_VISIBLE;
    struct fsxattr x = {0};
    switch (req) {
    case FS_IOC_GETFLAGS:
        return mem_out(c->p, arg, &flags, sizeof flags) < 0 ? -LINUX_EFAULT : 0;
    case FS_IOC_SETFLAGS:
        if (mem_in(c->p, &flags, arg, sizeof flags) < 0)
            return -LINUX_EFAULT;
        return set_attr(c, f, flags, NULL);
    case FS_IOC_FSGETXATTR:
        x.xflags = convert(flags, 0);
        return mem_out(c->p, arg, &x, sizeof x) < 0 ? -LINUX_EFAULT : 0;
    }
    if (mem_in(c->p, &x, arg, sizeof x) < 0)
        return -LINUX_EFAULT;
    return set_attr(c, f, convert(x.xflags, 1), &x);
}
