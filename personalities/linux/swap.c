/*
 * personalities/linux/swap.c - swapon and swapoff.  There is no swap:
 * the root file system is a tmpfs, which cannot hold a swap file (Linux
 * refuses one there, EINVAL, for it has no blocks to map), and there is
 * no block device.  So the calls check what Linux checks first, in its
 * order (the flags, CAP_SYS_ADMIN, the path, a directory), then refuse a
 * file as Linux refuses one on tmpfs; swapoff finds no active swap.
 *
 * Entry points: the handlers.  Callers: the syscall table.  Layer: above
 * the file system.  Book: docs/linux.md, "Memory".
 */
#include "proc.h"
#include "linux_entries/swap.h" /* generated: the handlers' prototypes, entries */

#define SWAP_FLAGS_VALID (SWAP_FLAG_PRIO_MASK | SWAP_FLAG_PREFER | SWAP_FLAG_DISCARD | SWAP_FLAG_DISCARD_ONCE | \
                          SWAP_FLAG_DISCARD_PAGES)

/* The file a swap call names, opened for reading and writing as Linux
 * opens it: 0, or ENOENT, EACCES, EISDIR... */
static int swap_file(struct sys_ctx *c, uint64_t upath, struct inode **ino)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir;
    int r = path_arg(c, AT_FDCWD, upath, path, &dir);
    if (r < 0 || (r = fs_lookup(dir, path, true, ino)) < 0)
        return r;
    if (((*ino)->mode & S_IFMT) == S_IFDIR)
        return -LINUX_EISDIR;
    return fs_permission(*ino, MAY_READ | MAY_WRITE);
}

static int64_t sys_swapon(struct sys_ctx *c, uint64_t upath, int flags)
{
    if (flags & ~SWAP_FLAGS_VALID)
        return -LINUX_EINVAL;
    if (!cred_capable(&c->p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    struct inode *ino;
    int r = swap_file(c, upath, &ino);
    return r < 0 ? r : -LINUX_EINVAL; /* not a block device, and a file on tmpfs */
}

static int64_t sys_swapoff(struct sys_ctx *c, uint64_t upath)
{
    if (!cred_capable(&c->p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    struct inode *ino;
    int r = swap_file(c, upath, &ino);
    return r < 0 ? r : -LINUX_EINVAL; /* not an active swap area: there is none */
}
