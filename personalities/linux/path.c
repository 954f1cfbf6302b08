/*
 * personalities/linux/path.c - the calls on names and what they name:
 * the working directory (getcwd, chdir, fchdir, umask), access,
 * readlink, and making and removing names (mkdir, symlink, mknod, unlink,
 * rmdir, rename, link); an inode's attributes are attrs.c's and
 * utimes.c's.
 *
 * Entry points: path_target (file.h), the calls' handlers (syscalls.def).
 * Callers: the syscall table; path_target: attrs.c, utimes.c.  Layer: above file.h and fs.h.  Book:
 * docs/linux.md, "Files".
 */
#include "cgroup.h"
#include "file.h"
#include "fsnotify.h"
#include "proc.h"
#include "tty.h"
#include "uapi_sec.h"
#include <string.h>
#include "linux_entries/path.h" /* generated: the handlers' prototypes, entries */

static int64_t sys_getcwd(struct sys_ctx *c, uint64_t ubuf, uint64_t size)
{
    char buf[PATH_MAX_LEN];
    int n = fs_path(c->p->cwd, buf, sizeof buf);
    if (n < 0)
        return n;
    if ((uint64_t)n > size)
        return -LINUX_ERANGE;
    return mem_out(c->p, ubuf, buf, (size_t)n) < 0 ? -LINUX_EFAULT : n;
}

/* The directory a path argument names, which the caller may search
 * (chdir's and chroot's): 0, or ENOENT, ENOTDIR, EACCES... */
static int dir_arg(struct sys_ctx *c, uint64_t upath, struct inode **ino)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir;
    int r = path_arg(c, AT_FDCWD, upath, path, &dir);
    if (r < 0 || (r = fs_lookup(dir, path, true, ino)) < 0)
        return r;
    if (((*ino)->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    return fs_permission(*ino, MAY_EXEC);
}

static int64_t sys_chdir(struct sys_ctx *c, uint64_t upath)
{
    struct inode *ino;
    int r = dir_arg(c, upath, &ino);
    if (r == 0)
        proc_set_fs(c->p, ino, fs_walk_mount.fs == ino->fs && fs_walk_mount.mount ? fs_walk_mount.mount->id : 0,
                    c->p->umask);
    return r;
}

/* chroot: CAP_SYS_CHROOT in the caller's user namespace; the process's
 * threads share it, as they share the working directory, which stays
 * where it was. */
static int64_t sys_chroot(struct sys_ctx *c, uint64_t upath)
{
    struct inode *ino;
    int r = dir_arg(c, upath, &ino);
    if (r < 0)
        return r;
    if (!cred_own_capable(&c->p->cred, CAP_SYS_CHROOT))
        return -LINUX_EPERM;
    for (struct proc *t = proc_list(); t; t = t->next)
        if (proc_fs_shared(t, c->p))
            t->cred.root = ino == fs_root() ? NULL : ino;
    return 0;
}

static int64_t sys_fchdir(struct sys_ctx *c, uint64_t fd)
{
    struct file *f = fd_file_raw(c->p, fd); /* an O_PATH directory too */
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != FILE_INODE || (f->inode->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    if (fs_permission(f->inode, MAY_EXEC) < 0)
        return -LINUX_EACCES;
    proc_set_fs(c->p, f->inode, f->mnt_id, c->p->umask);
    return 0;
}

static int64_t sys_umask(struct sys_ctx *c, uint32_t mask)
{
    uint32_t old = c->p->umask;
    proc_set_fs(c->p, c->p->cwd, c->p->cwd_mnt, mask & 0777);
    return old;
}

/* access: the path walked and the file checked with the real ids, as if
 * they were the file-system ones (with AT_EACCESS, the effective ones),
 * and, as Linux's access_override_creds, with no capabilities for a real
 * uid not 0 and the permitted ones for 0 (unless SECBIT_NO_SETUID_FIXUP). */
static int64_t access_path(struct sys_ctx *c, int64_t dirfd, uint64_t upath, int mode, int flags)
{
    struct inode *ino;
    if (mode & ~(R_OK | W_OK | X_OK) || flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH))
        return -LINUX_EINVAL;
    struct cred *cr = &c->p->cred; /* fs_cred: the real ids stand in for the file-system ones meanwhile */
    uint32_t fsuid = cr->fsuid, fsgid = cr->fsgid;
    uint64_t eff = cr->cap_eff;
    if (!(flags & AT_EACCESS)) {
        cr->fsuid = cr->uid, cr->fsgid = cr->gid;
        if (!(cr->securebits & SECBIT_NO_SETUID_FIXUP))
            cr->cap_eff = cr->uid == 0 ? cr->cap_prm : 0;
    }
    int r = path_target(c, dirfd, upath, flags, &ino); /* "" with AT_EMPTY_PATH: dirfd's file */
    if (r == 0) /* R_OK 4, W_OK 2, X_OK 1: MAY_READ, MAY_WRITE, MAY_EXEC */
        r = fs_permission(ino, mode);
    cr->fsuid = fsuid, cr->fsgid = fsgid, cr->cap_eff = eff;
    return r;
}

static int64_t sys_access(struct sys_ctx *c, uint64_t upath, int mode)
{
    return access_path(c, AT_FDCWD, upath, mode, 0);
}

static int64_t sys_faccessat(struct sys_ctx *c, int dirfd, uint64_t upath, int mode)
{
    return access_path(c, dirfd, upath, mode, 0);
}

static int64_t sys_faccessat2(struct sys_ctx *c, int dirfd, uint64_t upath, int mode, int flags)
{
    return access_path(c, dirfd, upath, mode, flags);
}

static int64_t readlink_path(struct sys_ctx *c, int64_t dirfd, uint64_t upath, uint64_t ubuf, uint64_t size)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir, *ino;
    int r = (int)size <= 0 ? -LINUX_EINVAL : mem_str(c->p, upath, path, sizeof path); /* the size: an int, as Linux's */
    if (r < 0)
        return r;
    if (strcmp(path, "/proc/self/exe") == 0) {
        size_t n = strlen(c->p->exe) < size ? strlen(c->p->exe) : size;
        return mem_out(c->p, ubuf, c->p->exe, n) < 0 ? -LINUX_EFAULT : (int64_t)n;
    }
    if (!path[0]) { /* dirfd's own file, as a symlink O_PATH|O_NOFOLLOW opened: Linux takes "" here */
        if ((r = path_target(c, dirfd, upath, AT_EMPTY_PATH, &ino)) < 0)
            return r;
        if ((ino->mode & S_IFMT) != S_IFLNK)
            return -LINUX_ENOENT;
    } else if ((r = path_arg(c, dirfd, upath, path, &dir)) < 0 || (r = fs_lookup(dir, path, false, &ino)) < 0) {
        return r;
    }
    if ((ino->mode & S_IFMT) != S_IFLNK)
        return -LINUX_EINVAL;
    if ((r = ns_link_access(ino)) < 0) /* another user's /proc/<pid>/ns link */
        return r;
    size_t n = ino->size < size ? ino->size : size;
    return mem_out(c->p, ubuf, ino->data, n) < 0 ? -LINUX_EFAULT : (int64_t)n;
}

static int64_t sys_readlink(struct sys_ctx *c, uint64_t upath, uint64_t ubuf, uint64_t bufsiz)
{
    return readlink_path(c, AT_FDCWD, upath, ubuf, bufsiz);
}

static int64_t sys_readlinkat(struct sys_ctx *c, int dirfd, uint64_t upath, uint64_t ubuf, uint64_t bufsiz)
{
    return readlink_path(c, dirfd, upath, ubuf, bufsiz);
}

/* Whether a path names its last component with a slash after it: only a
 * directory may be named so (Linux's checks of last.name[last.len]). */
static bool slash_after(const char *p) { return strlen(p) > 1 && p[strlen(p) - 1] == '/'; }

/* A new directory entry of the given mode (umask not yet taken off); a symlink's target written
 * into it; the inode in *out if out. */
static int64_t make_node(struct sys_ctx *c, int64_t dirfd, uint64_t upath, uint32_t mode, const char *target,
                         struct inode **out)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir, *parent, *ino;
    const char *name;
    int r = path_arg(c, dirfd, upath, path, &dir);
    bool slash = r >= 0 && slash_after(path);
    if (r < 0 || (r = fs_lookup_parent(dir, path, &parent, &name)) < 0)
        return r;
    if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return -LINUX_EEXIST;
    if (fs_dir_find(parent, name, strlen(name)))
        return -LINUX_EEXIST; /* a name that is there is EEXIST first, as on Linux */
    if (slash && (mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOENT; /* "name/" asks for a directory: Linux's filename_create */
    if ((r = landlock_make(c->p, parent, mode)) < 0 || (r = fs_permission(parent, MAY_WRITE | MAY_EXEC)) < 0)
        return r; /* Landlock before the mode bits */
    uint32_t umask = (mode & S_IFMT) == S_IFLNK ? 0 : c->p->umask; /* a symbolic link's is 0777 always */
    if (cgroupfs_is(parent)) /* a new control group: mkdir only */
        return (mode & S_IFMT) == S_IFDIR ? cgroupfs_mkdir(parent, name, fs_prepare_mode(parent, mode, umask)) : -LINUX_EPERM;
    if ((r = fs_names_fixed(parent, -LINUX_EPERM, true)) < 0 ||
        (r = fs_create(parent, name, fs_prepare_mode(parent, mode, umask), &ino)) < 0)
        return r;
    if (out)
        *out = ino;
    return target ? fs_set_link(ino, target, strlen(target)) : 0;
}

/* mkdir's mode: the permission and sticky bits only (Linux's vfs_mkdir);
 * set-group-ID comes from the parent alone (fs_create). */
static int64_t sys_mkdir(struct sys_ctx *c, uint64_t upath, uint32_t mode)
{
    return make_node(c, AT_FDCWD, upath, S_IFDIR | (mode & 01777), NULL, NULL);
}

static int64_t sys_mkdirat(struct sys_ctx *c, int dirfd, uint64_t upath, uint32_t mode)
{
    return make_node(c, dirfd, upath, S_IFDIR | (mode & 01777), NULL, NULL);
}

static int64_t do_symlink(struct sys_ctx *c, uint64_t utarget, int64_t dirfd, uint64_t upath)
{
    static char target[PATH_MAX_LEN];
    int r = mem_str(c->p, utarget, target, sizeof target);
    if (r >= 0 && !target[0])
        return -LINUX_ENOENT; /* an empty target, as Linux's getname */
    return r < 0 ? r : make_node(c, dirfd, upath, S_IFLNK | 0777, target, NULL);
}

static int64_t sys_symlink(struct sys_ctx *c, uint64_t utarget, uint64_t ulinkpath)
{
    return do_symlink(c, utarget, AT_FDCWD, ulinkpath);
}

static int64_t sys_symlinkat(struct sys_ctx *c, uint64_t utarget, int newdirfd, uint64_t ulinkpath)
{
    return do_symlink(c, utarget, newdirfd, ulinkpath);
}

static int64_t do_unlink(struct sys_ctx *c, int64_t dirfd, uint64_t upath, int flags)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir, *parent;
    const char *name;
    if (flags & ~AT_REMOVEDIR)
        return -LINUX_EINVAL;
    int r = path_arg(c, dirfd, upath, path, &dir);
    bool slash = r >= 0 && slash_after(path);
    if (r < 0 || (r = fs_lookup_parent(dir, path, &parent, &name)) < 0)
        return r;
    if (!*name) /* the root */
        return flags & AT_REMOVEDIR ? -LINUX_EBUSY : -LINUX_EISDIR;
    bool dot = !strcmp(name, "."), dotdot = !strcmp(name, "..");
    if ((dot || dotdot) && !(flags & AT_REMOVEDIR))
        return -LINUX_EISDIR; /* as Linux's do_unlinkat */
    if (dot || dotdot) /* and its do_rmdir */
        return dot ? -LINUX_EINVAL : -LINUX_ENOTEMPTY;
    if ((r = fs_want_write(parent)) < 0)
        return r; /* a read-only mount, before the name is looked up */
    struct inode *victim = fs_dir_find(parent, name, strlen(name));
    if (slash && !(flags & AT_REMOVEDIR)) /* unlink of "name/": Linux's do_unlinkat */
        return !victim ? -LINUX_ENOENT : (victim->mode & S_IFMT) == S_IFDIR ? -LINUX_EISDIR : -LINUX_ENOTDIR;
    if (victim && ((r = landlock_remove(c->p, parent, (flags & AT_REMOVEDIR) != 0)) < 0 ||
                   (r = fs_may_delete(parent, victim)) < 0))
        return r;
    bool isdir = victim && (victim->mode & S_IFMT) == S_IFDIR;
    if (victim && isdir != ((flags & AT_REMOVEDIR) != 0)) /* the type before the file system's EPERM (may_delete) */
        return isdir ? -LINUX_EISDIR : -LINUX_ENOTDIR;
    if (victim && isdir && cgroupfs_is(parent))
        return cgroupfs_rmdir(parent, name); /* a control group's removal */
    if (victim && (r = fs_names_fixed(parent, -LINUX_EPERM, false)) < 0)
        return r;
    return fs_unlink(parent, name, (flags & AT_REMOVEDIR) != 0);
}

static int64_t sys_unlink(struct sys_ctx *c, uint64_t upath) { return do_unlink(c, AT_FDCWD, upath, 0); }
static int64_t sys_rmdir(struct sys_ctx *c, uint64_t upath) { return do_unlink(c, AT_FDCWD, upath, AT_REMOVEDIR); }

static int64_t sys_unlinkat(struct sys_ctx *c, int dirfd, uint64_t upath, int flags)
{
    return do_unlink(c, dirfd, upath, flags);
}

/* Resolves the parent directory and last name of a path argument. */
static int parent_arg(struct sys_ctx *c, int64_t dirfd, uint64_t upath, char *buf, struct inode **parent,
                      const char **name, bool *slash)
{
    struct inode *dir;
    int r = path_arg(c, dirfd, upath, buf, &dir);
    *slash = r >= 0 && slash_after(buf);
    return r < 0 ? r : fs_lookup_parent(dir, buf, parent, name);
}

static int64_t do_rename(struct sys_ctx *c, int64_t ofd, uint64_t oldp, int64_t nfd, uint64_t newp, uint64_t flags)
{
    static char a[PATH_MAX_LEN], b[PATH_MAX_LEN];
    struct inode *od, *nd;
    const char *on, *nn;
    int r;
    if (flags & ~(uint64_t)(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT) ||
        ((flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) && (flags & RENAME_EXCHANGE)))
        return -LINUX_EINVAL;
    if ((flags & RENAME_WHITEOUT) && !cred_capable(fs_cred, CAP_MKNOD))
        return -LINUX_EPERM; /* a whiteout is a device node */
    bool oslash, nslash;
    if ((r = parent_arg(c, ofd, oldp, a, &od, &on, &oslash)) < 0)
        return r;
    struct fs_walk_mount om = fs_walk_mount;
    if ((r = parent_arg(c, nfd, newp, b, &nd, &nn, &nslash)) < 0)
        return r;
    if (od->fs != nd->fs || fs_walk_mounts_differ(&om, &fs_walk_mount))
        return -LINUX_EXDEV; /* before the names are looked at, as Linux */
    if (!strcmp(on, ".") || !strcmp(on, ".."))
        return -LINUX_EBUSY; /* "." or ".." on either side: EBUSY, as Linux (EEXIST under RENAME_NOREPLACE) */
    if (!strcmp(nn, ".") || !strcmp(nn, ".."))
        return flags & RENAME_NOREPLACE ? -LINUX_EEXIST : -LINUX_EBUSY;
    if ((r = fs_want_write(od)) < 0)
        return r; /* a read-only mount, before the names are looked up */
    struct inode *from = fs_dir_find(od, on, strlen(on)), *to = fs_dir_find(nd, nn, strlen(nn));
    if (from && to && (flags & RENAME_NOREPLACE))
        return -LINUX_EEXIST;
    if (from && !to && (flags & RENAME_EXCHANGE))
        return -LINUX_ENOENT;
    if (from && (from->mode & S_IFMT) != S_IFDIR && (oslash || (nslash && !(flags & RENAME_EXCHANGE))))
        return -LINUX_ENOTDIR; /* a trailing slash names a directory: Linux's do_renameat2 */
    if (from && to && (flags & RENAME_EXCHANGE) && (to->mode & S_IFMT) != S_IFDIR && nslash)
        return -LINUX_ENOTDIR;
    if (from && (r = landlock_refer(c->p, od, from, nd, to, true, (flags & RENAME_EXCHANGE) != 0)) < 0)
        return r;
    if (from && (r = fs_may_delete(od, from)) < 0)
        return r;
    if (from && (r = to ? fs_may_delete(nd, to) : fs_permission(nd, MAY_WRITE | MAY_EXEC)) < 0)
        return r;
    if (from && (r = fs_names_fixed(od, -LINUX_EPERM, false)) < 0)
        return r;
    if (from && od != nd && (from->mode & S_IFMT) == S_IFDIR && (r = fs_permission(from, MAY_WRITE)) < 0)
        return r; /* a directory that moves has its ".." rewritten */
    if ((flags & RENAME_EXCHANGE) && od != nd && (to->mode & S_IFMT) == S_IFDIR && (r = fs_permission(to, MAY_WRITE)) < 0)
        return r; /* and so has one that comes the other way */
    if (flags & RENAME_EXCHANGE)
        return fs_exchange(od, on, nd, nn);
    if ((r = fs_rename(od, on, nd, nn)) < 0 || !(flags & RENAME_WHITEOUT) || from == to)
        return r;
    struct inode *w; /* tmpfs's whiteout: a character device 0:0 of no permissions, where the file was */
    return fs_create(od, on, S_IFCHR, &w);
}

static int64_t sys_rename(struct sys_ctx *c, uint64_t uoldpath, uint64_t unewpath)
{
    return do_rename(c, AT_FDCWD, uoldpath, AT_FDCWD, unewpath, 0);
}

static int64_t sys_renameat(struct sys_ctx *c, int olddirfd, uint64_t uoldpath, int newdirfd, uint64_t unewpath)
{
    return do_rename(c, olddirfd, uoldpath, newdirfd, unewpath, 0);
}

static int64_t sys_renameat2(struct sys_ctx *c, int olddirfd, uint64_t uoldpath, int newdirfd, uint64_t unewpath,
                             uint64_t flags)
{
    return do_rename(c, olddirfd, uoldpath, newdirfd, unewpath, flags);
}

static int64_t do_link(struct sys_ctx *c, int64_t ofd, uint64_t oldp, int64_t nfd, uint64_t newp, int flags)
{
    static char a[PATH_MAX_LEN], b[PATH_MAX_LEN];
    struct inode *dir, *ino, *nd;
    const char *nn;
    if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
        return -LINUX_EINVAL;
    int r = mem_str(c->p, oldp, a, PATH_MAX_LEN);
    if (r >= 0 && !a[0] && (flags & AT_EMPTY_PATH)) { /* the descriptor's own file: only for who may find any */
        struct file *f = ofd == AT_FDCWD ? NULL : fd_file_raw(c->p, (uint64_t)ofd);
        if (!cred_capable(fs_cred, CAP_DAC_READ_SEARCH))
            return -LINUX_ENOENT;
        if (ofd != AT_FDCWD && !f)
            return -LINUX_EBADF;
        ino = f ? f->inode : c->p->cwd;
        if (!ino)
            return -LINUX_EPERM; /* a pipe's, a socket's: not in the file system */
    } else if (r >= 0 && (flags & AT_SYMLINK_FOLLOW) && a[0] == '/' && fd_alias(a) >= 0) {
        struct file *f = fd_file_raw(c->p, (uint64_t)fd_alias(a)); /* /proc/self/fd/N: the open file's inode */
        if (!f || !(ino = f->inode))
            return f ? -LINUX_EXDEV : -LINUX_ENOENT;
    } else if (r < 0 || (r = path_arg(c, ofd, oldp, a, &dir)) < 0 ||
               (r = fs_lookup(dir, a, (flags & AT_SYMLINK_FOLLOW) != 0, &ino)) < 0) {
        return r;
    }
    struct fs_walk_mount om = fs_walk_mount; /* NULL's for the descriptor's file: not known */
    bool nslash;
    if ((r = parent_arg(c, nfd, newp, b, &nd, &nn, &nslash)) < 0)
        return r;
    bool there = fs_dir_find(nd, nn, strlen(nn)) != NULL; /* the new name first, as Linux's filename_create: */
    if (there || nslash || fs_names_fixed(nd, 0, true) == -LINUX_ENOENT) /* "name/" asks for a directory, */
        return there ? -LINUX_EEXIST : -LINUX_ENOENT;                   /* and /proc's lookup fails */
    if (fs_walk_mounts_differ(&om, &fs_walk_mount))
        return -LINUX_EXDEV; /* Linux's, between two mounts even of one file system */
    if ((r = fs_may_link(ino)) < 0)
        return r; /* protected_hardlinks, after the new name's EEXIST, as Linux's may_linkat */
    if ((r = landlock_refer(c->p, landlock_dir_of(ino), ino, nd, NULL, false, false)) < 0 ||
        (r = fs_permission(nd, MAY_WRITE | MAY_EXEC)) < 0)
        return r;
    if (ino->fs == nd->fs && (fs_is_append(ino) || fs_is_immutable(ino)))
        return -LINUX_EPERM; /* no new name for it (Linux's vfs_link, after another file system's EXDEV) */
    if (!ino->nlink && !ino->linkable && (ino->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOENT; /* a file with no name left gets none back; O_TMPFILE's may get its first */
    if ((r = fs_names_fixed(nd, -LINUX_EPERM, true)) < 0)
        return r;
    if ((r = fs_link(nd, nn, ino)) == 0)
        ino->linkable = false;
    return r;
}

static int64_t sys_link(struct sys_ctx *c, uint64_t uoldpath, uint64_t unewpath)
{
    return do_link(c, AT_FDCWD, uoldpath, AT_FDCWD, unewpath, 0);
}

static int64_t sys_linkat(struct sys_ctx *c, int olddirfd, uint64_t uoldpath, int newdirfd, uint64_t unewpath,
                          int flags)
{
    return do_link(c, olddirfd, uoldpath, newdirfd, unewpath, flags);
}

/* The inode a path names; or a descriptor's, for a NULL path
 * (utimensat: an open file's) or "" with AT_EMPTY_PATH (an O_PATH file's
 * too, as Linux's walk takes it). */
int path_target(struct sys_ctx *c, int64_t dirfd, uint64_t upath, int flags, struct inode **ino)
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
        struct file *f = upath ? fd_file_raw(c->p, (uint64_t)dirfd) : fd_file(c->p, (uint64_t)dirfd);
        if (!f)
            return -LINUX_EBADF;
        *ino = f->inode ? f->inode : &console_inode;
        if (f->inode)
            fs_walk_through(f->inode, f->mnt_id, f->mnt_flags);
        return 0;
    }
    r = path_arg(c, dirfd, upath, path, &dir);
    return r < 0 ? r : fs_lookup(dir, path, !(flags & AT_SYMLINK_NOFOLLOW), ino);
}

/* mknod: regular files, FIFOs, socket nodes and character devices; a
 * character node the personality has no device for opens with ENXIO, as
 * one without a driver does on Linux.  A socket node is a name no socket
 * listens on (connect: ECONNREFUSED), as one mknod makes on Linux.  A
 * block node of major 7 opens a loop device (loop.c); any other, ENXIO.
 * Device nodes need CAP_MKNOD (EPERM), as Linux's vfs_mknod. */
static int64_t do_mknod(struct sys_ctx *c, int64_t dirfd, uint64_t upath, uint32_t mode, uint64_t dev)
{
    struct inode *ino;
    uint32_t type = mode & S_IFMT;
    if (type == 0)
        type = S_IFREG;
    if (type != S_IFREG && type != S_IFIFO && type != S_IFCHR && type != S_IFBLK && type != S_IFSOCK)
        return type == S_IFDIR ? -LINUX_EPERM : -LINUX_EINVAL;
    if ((type == S_IFCHR || type == S_IFBLK) && !cred_capable(fs_cred, CAP_MKNOD))
        return -LINUX_EPERM;
    int64_t r = make_node(c, dirfd, upath, type | (mode & 07777), NULL, &ino);
    if (r == 0 && (type == S_IFCHR || type == S_IFBLK))
        ino->rdev = (uint32_t)dev; /* its driver, if there is one, is found by it at open (dev.c) */
    return r;
}

static int64_t sys_mknod(struct sys_ctx *c, uint64_t upath, uint32_t mode, uint64_t dev)
{
    return do_mknod(c, AT_FDCWD, upath, mode, dev);
}

static int64_t sys_mknodat(struct sys_ctx *c, int dirfd, uint64_t upath, uint32_t mode, uint64_t dev)
{
    return do_mknod(c, dirfd, upath, mode, dev);
}
