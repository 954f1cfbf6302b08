/*
 * personalities/linux/mntuserns.c - mounts and user namespaces, as Linux
 * 6.1's fs/namespace.c and fs/super.c have them.  Mounting wants
 * CAP_SYS_ADMIN in the user namespace owning the caller's mount
 * namespace (may_mount); a new file system, CAP_SYS_ADMIN in its own
 * (mount_capable): the caller's for tmpfs (FS_USERNS_MOUNT), the owner's
 * of the caller's pid namespace for proc and of its network namespace
 * for sysfs and of its cgroup namespace for cgroup2, the initial one's
 * for the others.  Outside the initial user namespace a proc or sysfs is
 * refused unless the mount namespace shows
 * one of its kind whole already, whose locked read-only and atime flags
 * the new mount must keep (mount_too_revealing).  A tmpfs made in a user
 * namespace keeps it (its s_user_ns), and a procfs instance its pid
 * namespace's owner while that lives: its devices do not open
 * (SB_I_NODEV) and a remount of it wants CAP_SYS_ADMIN there.
 *
 * The mounts a mount namespace owned by a less privileged user namespace
 * copies are locked (lock_mnt_tree): none unmounts or moves (EINVAL), a
 * bind of one leaving a locked mount under it out is EINVAL, and their
 * read-only, nodev, nosuid, noexec and atime flags cannot be taken away
 * (EPERM).  The locks are kept in the mount's flags, above the MS_* ones
 * (mount.h's MOUNT_LOCK*), so that its copies and binds take them along.
 *
 * Entry points: mount.h's mount_may, mount_capable (mount_fs_capable and
 * mount_too_revealing, its two halves, which fsconfig and fsmount ask
 * apart), mount_lock_tree, mount_locked_refuses, mount_has_locked_under,
 * mount_userns_hold, mount_userns_drop and mount_userns_nodev.  Callers:
 * mount.c, mntns.c, fsparam.c, fsmount.c, cgroupfs.c, procfs.c.  Layer:
 * calls, over the mount table and userns.c's capabilities.  Book:
 * docs/linux.md, "Mounts".
 */
#include "mount.h"
#include "proc.h"
#include "userns.h"
#include <string.h>

bool mount_may(const struct proc *p) { return cred_ns_capable(&p->cred, userns_owner(ns_of(p, NS_MNT)), CAP_SYS_ADMIN); }

/* Whether a mount of m's kind in the caller's mount namespace shows its
 * whole file system (Linux's mnt_already_visible): its root, its locked
 * read-only and atime flags kept by the new mount's (which take those
 * locks), and no locked mount on a directory under it (none of ours is
 * permanently empty). */
static bool already_visible(uint64_t magic, uint32_t *flags)
{
    for (struct mount *m = fs_mounts(); m; m = m->next) {
        if (m->ns != fs_mnt_ns || !m->id || m->fs->magic != magic || m->root != m->fs->root)
            continue;
        uint32_t f = m->flags | (m->fs->rdonly ? MOUNT_LOCK_RDONLY : 0);
        if (((f & MOUNT_LOCK_RDONLY) && !(*flags & MS_RDONLY)) || /* Linux 6.1 compares these two alone */
            ((f & MOUNT_LOCK_ATIME) && (f & MOUNT_ATIME) != (*flags & MOUNT_ATIME)))
            continue;
        bool covered = false;
        for (struct mount *s = fs_mounts(); s && !covered; s = s->next)
            covered = s != m && s->parent == m->id && s->ns == m->ns && (s->flags & MOUNT_LOCKED);
        if (covered)
            continue;
        *flags |= f & (MOUNT_LOCK_RDONLY | MOUNT_LOCK_ATIME);
        return true;
    }
    return false;
}

bool mount_fs_capable(const struct proc *p, const char *type)
{
    const struct cred *c = &p->cred;
    const struct ns *owner = !strcmp(type, "tmpfs")   ? c->userns
                             : !strcmp(type, "proc")    ? userns_owner(ns_of(p, NS_PID))
                             : !strcmp(type, "sysfs")   ? userns_owner(ns_of(p, NS_NET))
                             : !strcmp(type, "cgroup2") ? userns_owner(ns_of(p, NS_CGROUP))
                                                        : NULL;
    return cred_ns_capable(c, owner, CAP_SYS_ADMIN);
}

bool mount_too_revealing(const struct proc *p, uint64_t magic, uint32_t *flags)
{
    if ((magic != PROC_SUPER_MAGIC && magic != SYSFS_MAGIC) || !userns_owner(ns_of(p, NS_MNT)))
        return false;
    return !already_visible(magic, flags);
}

int mount_capable(const struct proc *p, const char *type, uint32_t *flags)
{
    if (!mount_fs_capable(p, type))
        return -LINUX_EPERM;
    bool proc = !strcmp(type, "proc"), sysfs = !strcmp(type, "sysfs");
    if ((proc || sysfs) && mount_too_revealing(p, proc ? PROC_SUPER_MAGIC : SYSFS_MAGIC, flags))
        return -LINUX_EPERM;
    return 0;
}

void mount_lock_tree(struct mount *m)
{
    uint32_t f = m->flags;
    m->flags |= MOUNT_LOCK_ATIME | MOUNT_LOCKED | (f & MS_RDONLY ? MOUNT_LOCK_RDONLY : 0) |
                (f & MS_NODEV ? MOUNT_LOCK_NODEV : 0) | (f & MS_NOSUID ? MOUNT_LOCK_NOSUID : 0) |
                (f & MS_NOEXEC ? MOUNT_LOCK_NOEXEC : 0);
}

bool mount_locked_refuses(const struct mount *m, uint32_t to)
{
    uint32_t f = m->flags;
    return ((f & MOUNT_LOCK_RDONLY) && !(to & MS_RDONLY)) || ((f & MOUNT_LOCK_NODEV) && !(to & MS_NODEV)) ||
           ((f & MOUNT_LOCK_NOSUID) && !(to & MS_NOSUID)) || ((f & MOUNT_LOCK_NOEXEC) && !(to & MS_NOEXEC)) ||
           ((f & MOUNT_LOCK_ATIME) && (f & MOUNT_ATIME) != (to & MOUNT_ATIME));
}

/* Whether ino is dir or below it (directories know their parents). */
static bool below(const struct inode *ino, const struct inode *dir)
{
    for (int depth = 0; ino && depth < 4096; depth++, ino = ino->parent)
        if (ino == dir)
            return true;
    return false;
}

bool mount_has_locked_under(const struct mount *m, const struct inode *dir)
{
    for (struct mount *s = fs_mounts(); s; s = s->next)
        if (s != m && s->parent == m->id && (s->flags & MOUNT_LOCKED) && s->point && below(s->point, dir))
            return true;
    return false;
}

void mount_userns_hold(struct fs *fs, struct ns *u)
{
    if (u && !fs->userns) {
        fs->userns = u;
        u->inode->refs++; /* let go with the file system (fs.c) */
    }
}

void mount_userns_drop(struct fs *fs)
{
    struct ns *u = fs->userns;
    fs->userns = NULL;
    if (u && !--u->inode->refs)
        fs_release(u->inode);
}

bool mount_userns_nodev(const struct inode *ino) { return ino->fs->userns != NULL; }
