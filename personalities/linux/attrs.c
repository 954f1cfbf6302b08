/*
 * personalities/linux/attrs.c - an inode's attributes by name or
 * descriptor: its mode (chmod, fchmod, fchmodat), its owner (chown,
 * fchown, lchown, fchownat) and its size (truncate, ftruncate), with
 * Linux's rules for who may and what set-user-ID and set-group-ID bits
 * survive; the times are utimes.c's.
 *
 * Entry points: the calls' handlers (syscalls.def).  Callers: the syscall
 * table.  Layer: above file.h and fs.h, beside path.c.  Book:
 * docs/linux.md, "Files".
 */
#include "fasync.h"
#include "file.h"
#include "fsnotify.h"
#include "acl.h"
#include "proc.h"
#include "time.h"
#include "userns.h"
#include <string.h>
#include "linux_entries/attrs.h" /* generated: the handlers' prototypes, entries */

/* chmod's change: the permission bits, and the change time.  Only the
 * owner (or root) may; one outside the file's group cannot keep its
 * set-group-ID bit. */
static int set_mode(struct inode *ino, uint32_t mode)
{
    if (fs_want_write(ino) < 0)
        return -LINUX_EROFS;
    if (fs_is_immutable(ino) || fs_is_append(ino) || !fs_owner(ino))
        return -LINUX_EPERM; /* Linux's may_setattr, then the owner's */
    if (!cred_inode_capable(fs_cred, ino, CAP_FSETID) && !fs_in_group(ino->gid))
        mode &= ~(uint32_t)S_ISGID;
    if ((ino->seals & F_SEAL_EXEC) && ((ino->mode ^ mode) & 0111))
        return -LINUX_EPERM; /* a memfd sealed against exec bits (memfd.c) */
    ino->mode = (ino->mode & ~07777u) | (mode & 07777);
    acl_chmod(ino); /* the access ACL follows */
    ino->ctime = realtime_ns();
    fsnotify_change(ino, IN_ATTRIB);
    return 0;
}

static int64_t do_chmod(struct sys_ctx *c, int64_t dirfd, uint64_t upath, uint32_t mode)
{
    struct inode *ino;
    int r = path_target(c, dirfd, upath, 0, &ino);
    return r < 0 ? r : set_mode(ino, mode);
}

static int64_t sys_chmod(struct sys_ctx *c, uint64_t upath, uint32_t mode)
{
    return do_chmod(c, AT_FDCWD, upath, mode);
}

static int64_t sys_fchmodat(struct sys_ctx *c, int dirfd, uint64_t upath, uint32_t mode)
{
    return do_chmod(c, dirfd, upath, mode);
}

static int64_t sys_fchmod(struct sys_ctx *c, uint64_t fd, uint32_t mode)
{
    struct file *f = fd_file(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    if (f->inode)
        fs_walk_through(f->inode, f->mnt_id, f->mnt_flags);
    return f->inode ? set_mode(f->inode, mode) : 0;
}

/* Root may give a file to anyone (-1 keeps an id); its owner may only
 * give it to a group it is in.  As on Linux, a non-directory loses its
 * set-user-ID bit, and its set-group-ID bit if it is group-executable. */
static int64_t do_chown(struct sys_ctx *c, int64_t dirfd, uint64_t upath, uint64_t uid, uint64_t gid, int flags)
{
    struct inode *ino;
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -LINUX_EINVAL;
    int r = path_target(c, dirfd, upath, flags, &ino);
    if (r < 0)
        return r;
    if (fs_want_write(ino) < 0)
        return -LINUX_EROFS;
    uint32_t ku = (uint32_t)uid == UINT32_MAX ? UINT32_MAX : userns_uid_to(fs_cred->userns, (uint32_t)uid);
    uint32_t kg = (uint32_t)gid == UINT32_MAX ? UINT32_MAX : userns_gid_to(fs_cred->userns, (uint32_t)gid);
    if ((ku == UINT32_MAX && (uint32_t)uid != UINT32_MAX) || (kg == UINT32_MAX && (uint32_t)gid != UINT32_MAX))
        return -LINUX_EINVAL; /* no id of the caller's user namespace (chown_common's make_kuid) */
    uid = ku, gid = kg;
    if (ino->fs->immutable || ((fs_is_immutable(ino) || fs_is_append(ino)) &&
                               ((uint32_t)uid != UINT32_MAX || (uint32_t)gid != UINT32_MAX)))
        return -LINUX_EPERM; /* Linux's may_setattr for a new owner or group (nsfs's: any), before the owner's */
    bool new_uid = (uint32_t)uid != UINT32_MAX && (uint32_t)uid != ino->uid;
    bool new_gid = (uint32_t)gid != UINT32_MAX && (uint32_t)gid != ino->gid;
    if (!cred_inode_capable(fs_cred, ino, CAP_CHOWN) && (new_uid || ((uint32_t)uid != UINT32_MAX && !fs_owner(ino)) ||
                                ((uint32_t)gid != UINT32_MAX && (!fs_owner(ino) || (new_gid && !fs_in_group(gid))))))
        return -LINUX_EPERM;
    if ((uint32_t)uid != UINT32_MAX)
        ino->uid = (uint32_t)uid;
    if ((uint32_t)gid != UINT32_MAX)
        ino->gid = (uint32_t)gid;
    if ((ino->mode & S_IFMT) != S_IFDIR)
        ino->mode &= (ino->mode & 010) ? ~06000u : ~04000u;
    ino->ctime = realtime_ns();
    if ((uint32_t)uid != UINT32_MAX || (uint32_t)gid != UINT32_MAX)
        fsnotify_change(ino, IN_ATTRIB);
    return 0;
}

static int64_t sys_chown(struct sys_ctx *c, uint64_t upath, int owner, int group)
{
    return do_chown(c, AT_FDCWD, upath, owner, group, 0);
}

static int64_t sys_lchown(struct sys_ctx *c, uint64_t upath, int owner, int group)
{
    return do_chown(c, AT_FDCWD, upath, owner, group, AT_SYMLINK_NOFOLLOW);
}

static int64_t sys_fchownat(struct sys_ctx *c, int dirfd, uint64_t upath, int owner, int group, int flags)
{
    return do_chown(c, dirfd, upath, owner, group, flags);
}

static int64_t sys_fchown(struct sys_ctx *c, int fd, int owner, int group)
{
    return do_chown(c, fd, 0, owner, group, 0); /* no path: the descriptor */
}

static int64_t do_truncate(struct proc *p, struct inode *ino, int64_t len)
{
    if (len < 0)
        return -LINUX_EINVAL;
    if ((ino->mode & S_IFMT) == S_IFDIR)
        return -LINUX_EISDIR;
    if ((ino->mode & S_IFMT) != S_IFREG)
        return -LINUX_EINVAL; /* FIFOs, devices, and symlinks' targets that are either */
    if (fs_is_append(ino))
        return -LINUX_EPERM; /* an append-only file is not cut (Linux's vfs_truncate, do_sys_ftruncate) */
    if (proc_running_file(ino))
        return -LINUX_ETXTBSY;
    int r = fsize_grow_ok(p, ino->size, (uint64_t)len); /* Linux's inode_newsize_ok */
    if (r < 0)
        return r;
    if ((uint64_t)len > fs_maxbytes(ino->fs))
        return -LINUX_EFBIG; /* past an ext2's block map (ext4_setattr's s_bitmap_maxbytes) */
    if (((uint64_t)len < ino->size && (ino->seals & F_SEAL_SHRINK)) ||
        ((uint64_t)len > ino->size && (ino->seals & F_SEAL_GROW)))
        return -LINUX_EPERM; /* a sealed memfd (memfd.c) */
    r = fs_truncate(ino, (uint64_t)len);
    if (r == 0)
        fs_remove_privs(ino), fsnotify_change(ino, IN_MODIFY);
    return r;
}

static int64_t sys_truncate(struct sys_ctx *c, uint64_t upath, int64_t length)
{
    struct inode *ino;
    int r = path_target(c, AT_FDCWD, upath, 0, &ino);
    if (r == 0 && (ino->mode & S_IFMT) != S_IFDIR)
        r = fs_permission(ino, MAY_WRITE);
    if (r == 0 && (ino->mode & S_IFMT) == S_IFREG)
        r = landlock_check(c->p, ino, LANDLOCK_ACCESS_FS_TRUNCATE);
    if (r == 0 && leases_held && (r = lease_break(c, ino, true, false)) == 0 && c->deferred)
        return 0; /* run again when the leases let go (lease.c) */
    return r < 0 ? r : do_truncate(c->p, ino, length);
}

static int64_t sys_ftruncate(struct sys_ctx *c, uint64_t fd, int64_t length)
{
    struct file *f = fd_file(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != FILE_INODE || !(f->flags & O_ACCMODE) || (f->flags & O_ACCMODE) == 3) /* 3: neither way */
        return -LINUX_EINVAL;
    int r = length < 0 ? 0 : landlock_file_truncate(f); /* what its open was allowed */
    return r < 0 ? r : do_truncate(c->p, f->inode, length);
}
