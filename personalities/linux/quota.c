/*
 * personalities/linux/quota.c - quotactl and quotactl_fd.  No file system
 * here keeps quotas: tmpfs is mounted without its quota options and proc
 * has none, so every file system answers as a Linux one without quota
 * operations, ENOSYS; and there is no block device for quotactl to name
 * (ENOTBLK for any other file).  Both check first what Linux checks
 * first: the quota type, then the descriptor or the path; quotactl's
 * Q_SYNC without a device syncs every quota there is (none): 0.
 *
 * Entry points: the handlers.  Callers: the syscall table.  Layer: above
 * the file system.  Book: docs/linux.md, "Mounts".
 */
#include "proc.h"
#include "linux_entries/quota.h" /* generated: the handlers' prototypes, entries */

static int64_t sys_quotactl(struct sys_ctx *c, uint32_t cmd, uint64_t special, uint32_t id, uint64_t addr)
{
    (void)id, (void)addr;
    static char path[PATH_MAX_LEN];
    if ((cmd & SUBCMDMASK) >= MAXQUOTAS)
        return -LINUX_EINVAL;
    if (!special)
        return cmd >> SUBCMDSHIFT == Q_SYNC ? 0 : -LINUX_ENODEV;
    struct inode *dir, *ino;
    int r = path_arg(c, AT_FDCWD, special, path, &dir);
    if (r < 0 || (r = fs_lookup(dir, path, true, &ino)) < 0)
        return r;
    return (ino->mode & S_IFMT) == S_IFBLK ? -LINUX_ENODEV : -LINUX_ENOTBLK; /* no disk is behind a node */
}

static int64_t sys_quotactl_fd(struct sys_ctx *c, uint64_t fd, uint32_t cmd, uint32_t id, uint64_t addr)
{
    (void)id, (void)addr;
    if (!fd_file_raw(c->p, fd))
        return -LINUX_EBADF;
    return (cmd & SUBCMDMASK) >= MAXQUOTAS ? -LINUX_EINVAL : -LINUX_ENOSYS; /* no quota operations */
}
