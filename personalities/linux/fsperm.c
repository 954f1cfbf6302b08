/*
 * personalities/linux/fsperm.c - who may do what to an inode: fs_cred,
 * the ids and capabilities of the caller (main.c sets it for each call;
 * the server's own work is root's, fs_server_cred), and Linux's checks
 * over it: generic_permission's mode bits and a POSIX ACL's (acl.c),
 * then CAP_DAC_READ_SEARCH and CAP_DAC_OVERRIDE (fs_permission, inline
 * in fs.h, over fs_permission_check), ownership (fs_owner: CAP_FOWNER), group
 * membership, may_delete's sticky directories and append-only and
 * immutable inodes, the chattr flags a new inode inherits, and the protected_*
 * settings' checks (fs_may_follow, fs_may_link, fs_may_open_sticky).
 *
 * Entry points: fs.h's permission part.  Layer: the file system.  Book:
 * docs/linux.md, "Users and permissions".
 */
#include "acl.h"
#include "fs.h"
#include "sysctl.h"
#include "uapi_ext2.h" /* EXT2_SUPER_MAGIC */

const struct cred fs_server_cred = {.cap_eff = CAP_ALL, .cap_prm = CAP_ALL, .cap_bnd = CAP_ALL};
const struct cred *fs_cred = &fs_server_cred;

void fs_cred_drop(const struct cred *c)
{
    if (fs_cred == c)
        fs_cred = &fs_server_cred;
}

bool fs_in_group(uint32_t gid)
{
    if (gid == fs_cred->fsgid)
        return true;
    for (int lo = 0, hi = fs_cred->ngroups; lo < hi;) { /* sorted: halves */
        int mid = lo + (hi - lo) / 2;
        uint32_t g = fs_cred->grp->gid[mid];
        if (g == gid)
            return true;
        if (g < gid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Linux's acl_permission_check: the owner's bits, else the ACL's answer
 * where there is one, else the group's or other's bits. */
static int mode_check(const struct inode *ino, int mask)
{
    uint32_t mode = ino->mode;
    if (fs_cred->fsuid != ino->uid && (mode & 070)) { /* not the owner, and the group bits say something */
        int r = acl_permission(ino, mask);
        if (r != -LINUX_EAGAIN)
            return r;
    }
    uint32_t bits = fs_cred->fsuid == ino->uid ? mode >> 6 : fs_in_group(ino->gid) ? mode >> 3 : mode;
    return (bits & (uint32_t)mask & 7) == ((uint32_t)mask & 7) ? 0 : -LINUX_EACCES;
}

int fs_permission_check(const struct inode *ino, int mask)
{
    if (mode_check(ino, mask) == 0)
        return 0;
    /* then the capabilities (generic_permission): a directory is read and searched with
       CAP_DAC_READ_SEARCH, anything written with CAP_DAC_OVERRIDE; a file read with either, and executed
       with CAP_DAC_OVERRIDE only if it has an execute bit */
    bool dir = (ino->mode & S_IFMT) == S_IFDIR;
    mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
    if ((dir ? !(mask & MAY_WRITE) : mask == MAY_READ) && cred_inode_capable(fs_cred, ino, CAP_DAC_READ_SEARCH))
        return 0;
    if ((dir || !(mask & MAY_EXEC) || (ino->mode & 0111)) && cred_inode_capable(fs_cred, ino, CAP_DAC_OVERRIDE))
        return 0;
    return -LINUX_EACCES;
}

bool fs_owner(const struct inode *ino) { return cred_inode_capable(fs_cred, ino, CAP_FOWNER) || fs_cred->fsuid == ino->uid; }

void fs_remove_privs(struct inode *ino)
{
    uint32_t kill = (ino->mode & S_ISUID) | ((ino->mode & (S_ISGID | 0010)) == (S_ISGID | 0010) ? S_ISGID : 0);
    if (kill && (ino->mode & S_IFMT) == S_IFREG && !cred_inode_capable(fs_cred, ino, CAP_FSETID))
        ino->mode &= ~kill;
}

int fs_may_delete(const struct inode *dir, const struct inode *ino)
{
    int r = fs_permission(dir, MAY_WRITE | MAY_EXEC);
    if (r == 0 && (fs_is_append(dir) || ((dir->mode & S_ISVTX) && !fs_owner(ino) && fs_cred->fsuid != dir->uid) ||
                   fs_is_append(ino) || fs_is_immutable(ino)))
        return -LINUX_EPERM;
    return r;
}

uint32_t fs_iflags_inherited(const struct inode *dir, uint32_t mode)
{
    if (dir->fs->magic == TMPFS_MAGIC)
        return dir->iflags & (FS_NODUMP_FL | FS_NOATIME_FL); /* SHMEM_FL_INHERITED */
    if (dir->fs->magic != EXT2_SUPER_MAGIC)
        return 0;
    uint32_t f = dir->iflags & (FS_SECRM_FL | FS_UNRM_FL | FS_COMPR_FL | FS_SYNC_FL | FS_NODUMP_FL | FS_NOATIME_FL |
                                FS_COMPRBLK_FL | FS_NOCOMP_FL | FS_JOURNAL_DATA_FL | FS_NOTAIL_FL |
                                FS_DIRSYNC_FL); /* EXT2_FL_INHERITED */
    uint32_t type = mode & S_IFMT; /* ext2_mask_flags: a directory all, a file not the directories' own */
    return type == S_IFDIR ? f : type == S_IFREG ? f & ~(FS_DIRSYNC_FL | FS_TOPDIR_FL) : f & (FS_NODUMP_FL | FS_NOATIME_FL);
}

/* The protected_* settings (sysctl.c; 0, Linux's default, allows all). */
int fs_may_follow(const struct inode *dir, const struct inode *link)
{
    if (!sysctl_protected_symlinks || fs_cred->fsuid == link->uid ||
        (dir->mode & (S_ISVTX | 02u)) != (S_ISVTX | 02u) || dir->uid == link->uid)
        return 0;
    return -LINUX_EACCES;
}

int fs_may_link(const struct inode *ino)
{
    uint32_t mode = ino->mode;
    bool safe = (mode & S_IFMT) == S_IFREG && !(mode & S_ISUID) && (mode & (S_ISGID | 010)) != (S_ISGID | 010) &&
                fs_permission(ino, MAY_READ | MAY_WRITE) == 0; /* Linux's safe_hardlink_source */
    return !sysctl_protected_hardlinks || safe || fs_owner(ino) ? 0 : -LINUX_EPERM;
}

int fs_may_open_sticky(const struct inode *dir, const struct inode *ino)
{
    uint32_t type = ino->mode & S_IFMT;
    int level = type == S_IFIFO ? sysctl_protected_fifos : type == S_IFREG ? sysctl_protected_regular : 0;
    if (!level || !(dir->mode & S_ISVTX) || ino->uid == dir->uid || fs_cred->fsuid == ino->uid)
        return 0;
    return (dir->mode & 02u) || ((dir->mode & 020) && level >= 2) ? -LINUX_EACCES : 0;
}
