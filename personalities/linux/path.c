/*
 * personalities/linux/path.c - the calls on names and what they name:
 * the working directory (getcwd, chdir, fchdir, umask), access,
 * readlink, making and removing names (mkdir, symlink, mknod, unlink,
 * rmdir, rename, link), and an inode's attributes (chmod, chown,
 * utimensat, truncate).
 *
 * Callers: the syscall table.  Layer: above file.h and fs.h.  Book:
 * docs/linux.md, "Files".
 */
#include "file.h"
#include "proc.h"
#include "time.h"
#include "tty.h"
#include <string.h>

SYSCALL_HANDLER(getcwd)
{
    char buf[PATH_MAX_LEN];
    int n = fs_path(c->p->cwd, buf, sizeof buf);
    if (n < 0)
        return n;
    if ((uint64_t)n > c->a[1])
        return -LINUX_ERANGE;
    return mem_out(c->p, c->a[0], buf, (size_t)n) < 0 ? -LINUX_EFAULT : n;
}

SYSCALL_HANDLER(chdir)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir, *ino;
    int r = path_arg(c, AT_FDCWD, c->a[0], path, &dir);
    if (r < 0 || (r = fs_lookup(dir, path, true, &ino)) < 0)
        return r;
    if ((ino->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    proc_set_fs(c->p, ino, c->p->umask);
    return 0;
}

SYSCALL_HANDLER(fchdir)
{
    struct file *f = fd_file(c->p, c->a[0]);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != FILE_INODE || (f->inode->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    proc_set_fs(c->p, f->inode, c->p->umask);
    return 0;
}

SYSCALL_HANDLER(umask)
{
    uint32_t old = c->p->umask;
    proc_set_fs(c->p, c->p->cwd, (uint32_t)c->a[0] & 0777);
    return old;
}

static int64_t access_path(struct sys_ctx *c, int64_t dirfd, uint64_t upath, int mode, int flags)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir, *ino;
    int r = path_arg(c, dirfd, upath, path, &dir);
    if (r < 0 || (r = fs_lookup(dir, path, !(flags & AT_SYMLINK_NOFOLLOW), &ino)) < 0)
        return r;
    if (mode & ~(R_OK | W_OK | X_OK))
        return -LINUX_EINVAL;
    if ((mode & X_OK) && !(ino->mode & 0111))
        return -LINUX_EACCES; /* root may read and write anything, but execute only what is executable */
    return 0;
}

SYSCALL_HANDLER(access) { return access_path(c, AT_FDCWD, c->a[0], (int)c->a[1], 0); }
SYSCALL_HANDLER(faccessat) { return access_path(c, (int64_t)(int)c->a[0], c->a[1], (int)c->a[2], 0); }
SYSCALL_HANDLER(faccessat2) { return access_path(c, (int64_t)(int)c->a[0], c->a[1], (int)c->a[2], (int)c->a[3]); }

static int64_t readlink_path(struct sys_ctx *c, int64_t dirfd, uint64_t upath, uint64_t ubuf, uint64_t size)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir, *ino;
    int r = mem_str(c->p, upath, path, sizeof path);
    if (r < 0)
        return r;
    if (strcmp(path, "/proc/self/exe") == 0) {
        size_t n = strlen(c->p->exe) < size ? strlen(c->p->exe) : size;
        return mem_out(c->p, ubuf, c->p->exe, n) < 0 ? -LINUX_EFAULT : (int64_t)n;
    }
    if ((r = path_arg(c, dirfd, upath, path, &dir)) < 0 || (r = fs_lookup(dir, path, false, &ino)) < 0)
        return r;
    if ((ino->mode & S_IFMT) != S_IFLNK)
        return -LINUX_EINVAL;
    size_t n = ino->size < size ? ino->size : size;
    return mem_out(c->p, ubuf, ino->data, n) < 0 ? -LINUX_EFAULT : (int64_t)n;
}

SYSCALL_HANDLER(readlink) { return readlink_path(c, AT_FDCWD, c->a[0], c->a[1], c->a[2]); }
SYSCALL_HANDLER(readlinkat) { return readlink_path(c, (int64_t)(int)c->a[0], c->a[1], c->a[2], c->a[3]); }

/* A new directory entry of the given mode; a symlink's target written
 * into it; the inode in *out if out. */
static int64_t make_node(struct sys_ctx *c, int64_t dirfd, uint64_t upath, uint32_t mode, const char *target,
                         struct inode **out)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir, *parent, *ino;
    const char *name;
    int r = path_arg(c, dirfd, upath, path, &dir);
    if (r < 0 || (r = fs_lookup_parent(dir, path, &parent, &name)) < 0)
        return r;
    if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return -LINUX_EEXIST;
    if ((r = fs_create(parent, name, mode, &ino)) < 0)
        return r;
    if (out)
        *out = ino;
    return target ? fs_set_link(ino, target, strlen(target)) : 0;
}

SYSCALL_HANDLER(mkdir) { return make_node(c, AT_FDCWD, c->a[0], S_IFDIR | ((uint32_t)c->a[1] & 07777 & ~c->p->umask), NULL, NULL); }
SYSCALL_HANDLER(mkdirat) { return make_node(c, (int64_t)(int)c->a[0], c->a[1], S_IFDIR | ((uint32_t)c->a[2] & 07777 & ~c->p->umask), NULL, NULL); }

static int64_t do_symlink(struct sys_ctx *c, uint64_t utarget, int64_t dirfd, uint64_t upath)
{
    static char target[PATH_MAX_LEN];
    int r = mem_str(c->p, utarget, target, sizeof target);
    return r < 0 ? r : make_node(c, dirfd, upath, S_IFLNK | 0777, target, NULL);
}

SYSCALL_HANDLER(symlink) { return do_symlink(c, c->a[0], AT_FDCWD, c->a[1]); }
SYSCALL_HANDLER(symlinkat) { return do_symlink(c, c->a[0], (int64_t)(int)c->a[1], c->a[2]); }

static int64_t do_unlink(struct sys_ctx *c, int64_t dirfd, uint64_t upath, int flags)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir, *parent;
    const char *name;
    int r = path_arg(c, dirfd, upath, path, &dir);
    if (r < 0 || (r = fs_lookup_parent(dir, path, &parent, &name)) < 0)
        return r;
    if (strcmp(name, ".") == 0)
        return -LINUX_EINVAL;
    return fs_unlink(parent, name, (flags & AT_REMOVEDIR) != 0);
}

SYSCALL_HANDLER(unlink) { return do_unlink(c, AT_FDCWD, c->a[0], 0); }
SYSCALL_HANDLER(rmdir) { return do_unlink(c, AT_FDCWD, c->a[0], AT_REMOVEDIR); }
SYSCALL_HANDLER(unlinkat) { return do_unlink(c, (int64_t)(int)c->a[0], c->a[1], (int)c->a[2]); }

/* Resolves the parent directory and last name of a path argument. */
static int parent_arg(struct sys_ctx *c, int64_t dirfd, uint64_t upath, char *buf, struct inode **parent,
                      const char **name)
{
    struct inode *dir;
    int r = path_arg(c, dirfd, upath, buf, &dir);
    return r < 0 ? r : fs_lookup_parent(dir, buf, parent, name);
}

static int64_t do_rename(struct sys_ctx *c, int64_t ofd, uint64_t oldp, int64_t nfd, uint64_t newp, uint64_t flags)
{
    static char a[PATH_MAX_LEN], b[PATH_MAX_LEN];
    struct inode *od, *nd;
    const char *on, *nn;
    int r;
    if (flags)
        return -LINUX_EINVAL; /* RENAME_NOREPLACE and friends are not implemented */
    if ((r = parent_arg(c, ofd, oldp, a, &od, &on)) < 0 || (r = parent_arg(c, nfd, newp, b, &nd, &nn)) < 0)
        return r;
    if (!strcmp(on, ".") || !strcmp(on, "..") || !strcmp(nn, ".") || !strcmp(nn, ".."))
        return -LINUX_EINVAL;
    return fs_rename(od, on, nd, nn);
}

SYSCALL_HANDLER(rename) { return do_rename(c, AT_FDCWD, c->a[0], AT_FDCWD, c->a[1], 0); }
SYSCALL_HANDLER(renameat) { return do_rename(c, (int)c->a[0], c->a[1], (int)c->a[2], c->a[3], 0); }
SYSCALL_HANDLER(renameat2) { return do_rename(c, (int)c->a[0], c->a[1], (int)c->a[2], c->a[3], c->a[4]); }

static int64_t do_link(struct sys_ctx *c, int64_t ofd, uint64_t oldp, int64_t nfd, uint64_t newp, int flags)
{
    static char a[PATH_MAX_LEN], b[PATH_MAX_LEN];
    struct inode *dir, *ino, *nd;
    const char *nn;
    int r = path_arg(c, ofd, oldp, a, &dir);
    if (r < 0 || (r = fs_lookup(dir, a, (flags & AT_SYMLINK_FOLLOW) != 0, &ino)) < 0 || (r = parent_arg(c, nfd, newp, b, &nd, &nn)) < 0)
        return r;
    return fs_link(nd, nn, ino);
}

SYSCALL_HANDLER(link) { return do_link(c, AT_FDCWD, c->a[0], AT_FDCWD, c->a[1], 0); }
SYSCALL_HANDLER(linkat) { return do_link(c, (int)c->a[0], c->a[1], (int)c->a[2], c->a[3], (int)c->a[4]); }

/* The inode a path names; or a descriptor's, for a NULL path
 * (utimensat) or "" with AT_EMPTY_PATH. */
static int target_inode(struct sys_ctx *c, int64_t dirfd, uint64_t upath, int flags, struct inode **ino)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir;
    int r = upath ? mem_str(c->p, upath, path, sizeof path) : 0;
    if (r < 0)
        return r;
    if (!upath || (!path[0] && (flags & AT_EMPTY_PATH))) {
        if (upath && dirfd == AT_FDCWD) {
            *ino = c->p->cwd;
            return 0;
        }
        struct file *f = fd_file(c->p, (uint64_t)dirfd);
        if (!f)
            return -LINUX_EBADF;
        *ino = f->inode ? f->inode : &console_inode;
        return 0;
    }
    r = path_arg(c, dirfd, upath, path, &dir);
    return r < 0 ? r : fs_lookup(dir, path, !(flags & AT_SYMLINK_NOFOLLOW), ino);
}

/* chmod's change: the permission bits, and the change time. */
static void set_mode(struct inode *ino, uint32_t mode)
{
    ino->mode = (ino->mode & ~07777u) | (mode & 07777);
    ino->ctime = realtime_ns();
}

static int64_t do_chmod(struct sys_ctx *c, int64_t dirfd, uint64_t upath, uint32_t mode)
{
    struct inode *ino;
    int r = target_inode(c, dirfd, upath, 0, &ino);
    if (r == 0)
        set_mode(ino, mode);
    return r;
}

SYSCALL_HANDLER(chmod) { return do_chmod(c, AT_FDCWD, c->a[0], (uint32_t)c->a[1]); }
SYSCALL_HANDLER(fchmodat) { return do_chmod(c, (int)c->a[0], c->a[1], (uint32_t)c->a[2]); }
SYSCALL_HANDLER(fchmod)
{
    struct file *f = fd_file(c->p, c->a[0]);
    if (!f)
        return -LINUX_EBADF;
    if (f->inode)
        set_mode(f->inode, (uint32_t)c->a[1]);
    return 0;
}

/* mknod: regular files, FIFOs, socket nodes and character devices; a
 * character node the personality has no device for opens with ENXIO, as
 * one without a driver does on Linux.  A socket node is a name no socket
 * listens on (connect: ECONNREFUSED), as one mknod makes on Linux.  Block
 * devices are refused (EPERM): there is nothing behind them here. */
static int64_t do_mknod(struct sys_ctx *c, int64_t dirfd, uint64_t upath, uint32_t mode, uint64_t dev)
{
    struct inode *ino;
    uint32_t type = mode & S_IFMT;
    if (type == 0)
        type = S_IFREG;
    if (type != S_IFREG && type != S_IFIFO && type != S_IFCHR && type != S_IFBLK && type != S_IFSOCK)
        return type == S_IFDIR ? -LINUX_EPERM : -LINUX_EINVAL;
    if (type == S_IFBLK)
        return -LINUX_EPERM;
    int64_t r = make_node(c, dirfd, upath, type | (mode & 07777 & ~c->p->umask), NULL, &ino);
    if (r == 0 && type == S_IFCHR)
        ino->rdev = (uint32_t)dev, ino->dev = fs_dev_kind((uint32_t)dev);
    return r;
}

SYSCALL_HANDLER(mknod) { return do_mknod(c, AT_FDCWD, c->a[0], (uint32_t)c->a[1], c->a[2]); }
SYSCALL_HANDLER(mknodat) { return do_mknod(c, (int)c->a[0], c->a[1], (uint32_t)c->a[2], c->a[3]); }

/* Every process is root, so it may give a file to anyone (-1 keeps an
 * id).  As on Linux, a non-directory loses its set-user-ID bit, and its
 * set-group-ID bit if it is group-executable. */
static int64_t do_chown(struct sys_ctx *c, int64_t dirfd, uint64_t upath, uint64_t uid, uint64_t gid, int flags)
{
    struct inode *ino;
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -LINUX_EINVAL;
    int r = target_inode(c, dirfd, upath, flags, &ino);
    if (r < 0)
        return r;
    if ((uint32_t)uid != UINT32_MAX)
        ino->uid = (uint32_t)uid;
    if ((uint32_t)gid != UINT32_MAX)
        ino->gid = (uint32_t)gid;
    if ((ino->mode & S_IFMT) != S_IFDIR)
        ino->mode &= (ino->mode & 010) ? ~06000u : ~04000u;
    ino->ctime = realtime_ns();
    return 0;
}

SYSCALL_HANDLER(chown) { return do_chown(c, AT_FDCWD, c->a[0], c->a[1], c->a[2], 0); }
SYSCALL_HANDLER(lchown) { return do_chown(c, AT_FDCWD, c->a[0], c->a[1], c->a[2], AT_SYMLINK_NOFOLLOW); }
SYSCALL_HANDLER(fchownat) { return do_chown(c, (int)c->a[0], c->a[1], c->a[2], c->a[3], (int)c->a[4]); }
SYSCALL_HANDLER(fchown) { return do_chown(c, (int)c->a[0], 0, c->a[1], c->a[2], 0); } /* no path: the descriptor */

/* Seconds and nanoseconds as the ns count an inode keeps, saturated past
 * the 292 years either side of 1970 it holds. */
static int64_t times_ns(int64_t sec, int64_t nsec)
{
    const int64_t max = INT64_MAX / 1000000000 - 1;
    return (sec > max ? max : sec < -max ? -max : sec) * 1000000000 + nsec;
}

/* Access and modification times: NULL for now, or two timespecs each
 * of which may be UTIME_NOW or UTIME_OMIT; the change time becomes now. */
SYSCALL_HANDLER(utimensat)
{
    struct inode *ino;
    int64_t ts[4], now = realtime_ns();
    int r = target_inode(c, (int)c->a[0], c->a[1], (int)c->a[3], &ino);
    if (r < 0)
        return r;
    if (!c->a[2])
        ts[1] = ts[3] = UTIME_NOW; /* for both */
    else if (mem_in(c->p, ts, c->a[2], sizeof ts) < 0)
        return -LINUX_EFAULT;
    for (int k = 1; k < 4; k += 2)
        if (ts[k] != UTIME_NOW && ts[k] != UTIME_OMIT && (ts[k] < 0 || ts[k] >= 1000000000))
            return -LINUX_EINVAL;
    int64_t *dst[2] = {&ino->atime, &ino->mtime};
    for (int k = 0; k < 2; k++)
        if (ts[2 * k + 1] != UTIME_OMIT) /* which keeps it */
            *dst[k] = ts[2 * k + 1] == UTIME_NOW ? now : times_ns(ts[2 * k], ts[2 * k + 1]);
    ino->ctime = now;
    return 0;
}

static int64_t do_truncate(struct inode *ino, int64_t len)
{
    if (len < 0)
        return -LINUX_EINVAL;
    if ((ino->mode & S_IFMT) == S_IFDIR)
        return -LINUX_EISDIR;
    if ((ino->mode & S_IFMT) != S_IFREG)
        return -LINUX_EINVAL; /* FIFOs, devices, and symlinks' targets that are either */
    if (proc_running_file(ino))
        return -LINUX_ETXTBSY;
    return fs_truncate(ino, (uint64_t)len);
}

SYSCALL_HANDLER(truncate)
{
    struct inode *ino;
    int r = target_inode(c, AT_FDCWD, c->a[0], 0, &ino);
    return r < 0 ? r : do_truncate(ino, (int64_t)c->a[1]);
}

SYSCALL_HANDLER(ftruncate)
{
    struct file *f = fd_file(c->p, c->a[0]);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != FILE_INODE || !(f->flags & O_ACCMODE))
        return -LINUX_EINVAL;
    return do_truncate(f->inode, (int64_t)c->a[1]);
}
