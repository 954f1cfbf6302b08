/*
 * personalities/linux/file.c - descriptors and open files: references to
 * open files (file_get, file_put; a table's slots are fdtable.c's, fd_file
 * proc.h's), the *at() calls' starting directory, and the calls that make
 * and change descriptors: open, openat, close, close_range, dup, dup2,
 * dup3, fcntl, ioctl.
 *
 * Entry points: file_get, file_put, at_dir, path_arg, fd_alias (file.h),
 * and the calls' handlers.  Callers: the syscall table; every file type
 * (file_put).  Layer: above the file system and the file types, which
 * file_put closes.  Book: docs/linux.md, "Files".
 */
#include "cgroup.h"
#include "dev.h"
#include "fasync.h"
#include "file.h"
#include "fsnotify.h"
#include "loop.h"
#include "epoll.h"
#include "pipe.h"
#include "proc.h"
#include "procfs.h"
#include "socket.h"
#include "sysfs.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/file.h" /* generated: the handlers' prototypes, entries */

struct file *file_get(struct file *f)
{
    f->refs++;
    return f;
}

void file_put(struct file *f)
{
    if (--f->refs == 0) {
        if (f->fown) /* its owner, and its place on the O_ASYNC list, before the file type's release */
            fasync_release(f);
        if (dnotify_marks) /* F_NOTIFY's requests through it */
            dnotify_closing(NULL, f);
        if (leases_held) /* and its lease */
            lease_file_gone(f);
        if (f->kind == FILE_INODE && !(f->flags & O_PATH) && !f->nonotify) /* an O_PATH file was never opened */
            fsnotify(f->inode, (f->flags & O_ACCMODE) ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE);
        if (f->kind == FILE_INODE && (f->flags & O_ACCMODE) && (f->inode->mode & S_IFMT) == S_IFREG &&
            !f->inode->anon_name) /* a memfd's own file is no writer, as Linux's pseudo files */
            f->inode->writers--;
        if (f->inode && --f->inode->refs == 0)
            fs_release(f->inode);
        if (f->ops->release)
            f->ops->release(f);
        landlock_drop(&f->landlock); /* a ruleset's, a socket's maker's domain */
        if (epoll_live) /* it leaves every epoll instance's list */
            epoll_forget(f);
        if (flocks_held) /* and its lock goes */
            flock_release(f);
        if (reclocks_held) /* and its record locks */
            reclock_release(f);
        free(f);
    } else if (f->kind == FILE_SOCKET) { /* its last holder outside the sockets' queues may be gone */
        unix_gc_wanted = true;
    }
}

/* The directory a *at() call starts from. */
int at_dir(struct proc *p, int64_t dirfd, const char *path, struct inode **dir)
{
    if (path[0] == '/' || dirfd == AT_FDCWD) {
        *dir = p->cwd;
        fs_walk_start = (struct fs_walk_start){p->cwd, p->cwd_mnt};
        return 0;
    }
    struct file *f = fd_file_raw(p, (uint64_t)dirfd); /* an O_PATH directory too */
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != FILE_INODE || (f->inode->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    *dir = f->inode;
    fs_walk_start = (struct fs_walk_start){f->inode, f->mnt_id};
    return 0;
}

/* Copies a path argument and resolves its starting directory. */
int path_arg(struct sys_ctx *c, int64_t dirfd, uint64_t upath, char *buf, struct inode **dir)
{
    int r = mem_str(c->p, upath, buf, PATH_MAX_LEN);
    if (r < 0)
        return r;
    if (!buf[0])
        return -LINUX_ENOENT;
    return at_dir(c->p, dirfd, buf, dir);
}

/* /dev/fd/N, /proc/self/fd/N and /dev/std{in,out,err}: the open file
 * behind descriptor N, or -1 if path is none of them. */
int fd_alias(const char *path)
{
    if (path[0] != '/' || (path[1] != 'd' && path[1] != 'p')) /* most paths: neither /dev nor /proc */
        return -1;
    const char *n = !strncmp(path, "/dev/fd/", 8) ? path + 8 : !strncmp(path, "/proc/self/fd/", 14) ? path + 14 : NULL;
    if (!strcmp(path, "/dev/stdin") || !strcmp(path, "/dev/stdout") || !strcmp(path, "/dev/stderr"))
        return path[8] == 'i' ? 0 : path[9] == 'o' ? 1 : 2;
    if (!n || !*n || strspn(n, "0123456789") != strlen(n) || strlen(n) > 4)
        return -1;
    return atoi(n);
}

/* The open flags Linux knows (its VALID_OPEN_FLAGS); openat2 refuses
 * others, open ignores them. */
#define OPEN_FLAGS_VALID 037777703ull

int open_file_flags(int flags)
{
    return (int)((uint32_t)flags & OPEN_FLAGS_VALID & ~(uint64_t)(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)) |
           O_LARGEFILE;
}

/* A listing of /proc/<pid>/fd open on ino shows the descriptors as they
 * are now, this one too, as Linux's. */
static void open_dir_refresh(struct inode *ino)
{
    if ((ino->mode & S_IFMT) == S_IFDIR && ino->fs->ops && ino->fs->ops->refresh)
        ino->fs->ops->refresh(ino->fs, ino);
}

/* The operations of an O_PATH file: none.  The calls that reach it
 * (fd_file_raw's) use its inode alone. */
static const struct file_ops path_fops = {0};

/* open with O_PATH: a file that names ino and opens nothing, as Linux's
 * do_o_path: no permission on ino itself (the walk to it needed search),
 * no wait for a FIFO, no device's open, a symlink itself (O_NOFOLLOW), no
 * inotify event; flags are the ones that mean anything with O_PATH. */
static int64_t open_path(struct sys_ctx *c, struct inode *ino, int flags)
{
    if ((flags & O_DIRECTORY) && (ino->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    struct file *f = calloc(1, sizeof *f);
    if (!f)
        return -LINUX_ENOMEM;
    *f = (struct file){.ops = &path_fops, .kind = FILE_INODE, .inode = ino,
                       .flags = flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW), .refs = 1};
    ino->refs++;
    int fd = fd_alloc(c->p, 0, f, (flags & O_CLOEXEC) != 0);
    if (fd < 0)
        file_put(f);
    else
        open_dir_refresh(ino);
    return fd;
}

/* /dev/fd/N and its kin (alias, descriptor N): -1 if the call goes on to
 * open *ino afresh (an O_PATH file's, or what O_PATH reopens: Linux opens
 * the inode again), else the result: a descriptor for the same open file,
 * like Linux for pipes and terminals. */
static int64_t open_alias(struct sys_ctx *c, int alias, int flags, struct inode **ino)
{
    struct file *f = fd_file_raw(c->p, (uint64_t)alias);
    if (!f)
        return -LINUX_ENOENT;
    if (f->kind == FILE_INODE && ((f->flags | flags) & O_PATH)) {
        *ino = f->inode;
        return -1;
    }
    int fd = fd_alloc(c->p, 0, f, (flags & O_CLOEXEC) != 0);
    if (fd >= 0)
        file_get(f);
    return fd;
}

/* O_CREAT's new file: in the directory path names, or where a dangling
 * symlink there points (Linux follows it, unless O_EXCL). */
static int open_create(struct sys_ctx *c, struct inode *dir, char *path, int flags, uint32_t mode, struct inode **ino,
                       struct inode **found_in)
{
    struct inode *parent, *last;
    const char *name;
    int r;
    for (int depth = 0;; depth++, dir = parent) {
        if ((r = fs_lookup_parent(dir, path, &parent, &name)) < 0)
            return r;
        if (!(last = fs_dir_find(parent, name, strlen(name))) || (last->mode & S_IFMT) != S_IFLNK)
            break;
        if (flags & O_EXCL)
            return -LINUX_EEXIST;
        if (depth >= 40)
            return -LINUX_ELOOP;
        size_t n = last->size < PATH_MAX_LEN - 1 ? last->size : PATH_MAX_LEN - 1;
        memmove(path, last->data, n); /* the target, from the symlink's directory */
        path[n] = '\0';
        if (!n)
            return -LINUX_ENOENT;
        if (path[n - 1] == '/')
            return -LINUX_EISDIR;
    }
    if ((r = landlock_make(c->p, parent, S_IFREG)) < 0 || (r = fs_permission(parent, MAY_WRITE | MAY_EXEC)) < 0 ||
        (r = fs_names_fixed(parent, -LINUX_EACCES, true)) < 0 ||
        (r = fs_create(parent, name, fs_prepare_mode(parent, S_IFREG | (mode & 07777), c->p->umask), ino)) < 0)
        return r;
    *found_in = parent;
    return 0;
}

/* O_TMPFILE: a file with no name, on the file system of the directory
 * path names (tmpfs's), which linkat may name later unless O_EXCL. */
static int64_t open_tmpfile(struct sys_ctx *c, struct inode *dir, const char *path, int flags, uint32_t mode)
{
    struct inode *d, *ino;
    int r = fs_lookup(dir, path, true, &d);
    if (r < 0)
        return r;
    if ((d->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    if ((r = fs_want_write(d)) < 0 || (r = fs_permission(d, MAY_WRITE | MAY_EXEC)) < 0)
        return r;
    if (d->fs->iops != &tmpfs_iops || d->fs->kernfs)
        return -LINUX_EOPNOTSUPP; /* no tmpfile operation (proc, sysfs) */
    if ((r = fs_create(d, NULL, fs_prepare_mode(d, S_IFREG | (mode & 07777), c->p->umask), &ino)) < 0)
        return r;
    ino->linkable = !(flags & O_EXCL);
    int64_t fd = file_open_inode(c, ino, flags, true, d);
    if (fd < 0)
        fs_release(ino);
    return fd;
}

static int64_t do_open(struct sys_ctx *c, int64_t dirfd, uint64_t upath, int flags, uint32_t mode)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir, *ino, *found_in = NULL;
    flags &= ~FMODE_NONOTIFY; /* the server's own flag */
    if (flags & O_PATH) /* what means anything with it, as Linux's build_open_flags */
        flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    bool tmpfile = flags & O_TMPFILE & ~O_DIRECTORY;
    if (tmpfile && ((flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE || !(flags & O_ACCMODE)))
        return -LINUX_EINVAL; /* Linux's build_open_flags: O_TMPFILE whole, without O_CREAT, and for writing */
    int r = path_arg(c, dirfd, upath, path, &dir);
    if (r < 0 || (r = fd_unused(c->p)) < 0) /* no descriptor free: nothing made */
        return r;
    if (tmpfile)
        return open_tmpfile(c, dir, path, flags, mode);
    size_t len = strlen(path);
    if ((flags & O_CREAT) && path[len - 1] == '/') { /* a name to make that must be a directory's */
        struct inode *parent;
        const char *name;
        return (r = fs_lookup_parent(dir, path, &parent, &name)) < 0 ? r : -LINUX_EISDIR;
    }
    int alias = fd_alias(path);
    int64_t fd = alias >= 0 ? open_alias(c, alias, flags, &ino) : -1;
    if (fd != -1)
        return fd;
    if (alias < 0) /* the directory it is found in, for Landlock's walk */
        r = (flags & O_NOFOLLOW) ? fs_lookup(dir, path, false, &ino) : fs_lookup_in(dir, path, &ino, &found_in);
    if (r == 0 && (flags & O_PATH))
        return open_path(c, ino, flags);
    bool created = (r == -LINUX_ENOENT && (flags & O_CREAT)) || (r == 0 && ino == c->p->fanperm.made);
    c->p->fanperm.made = NULL;
    if (created && r < 0) {
        if ((r = open_create(c, dir, path, flags, mode, &ino, &found_in)) < 0)
            return r;
    } else if (r < 0) {
        return r;
    } else if (created) {
        ; /* made by this open before it waited for a fanotify listener */
    } else if ((flags & O_CREAT) && (flags & O_EXCL)) {
        return -LINUX_EEXIST;
    } else if (flags & O_CREAT) { /* Linux's do_open: a directory, then protected_fifos and protected_regular */
        if ((ino->mode & S_IFMT) == S_IFDIR)
            return -LINUX_EISDIR;
        struct inode *parent = (struct inode *)found_in;
        const char *name;
        if (!parent && fs_lookup_parent(dir, path, &parent, &name) < 0)
            parent = NULL;
        if (parent && (r = fs_may_open_sticky(parent, ino)) < 0)
            return r;
    }
    return file_open_inode(c, ino, flags, created, found_in);
}

int64_t file_open_inode(struct sys_ctx *c, struct inode *ino, int flags, bool created, const struct inode *dir)
{
    int r;
    uint32_t type = ino->mode & S_IFMT;
    bool isdir = type == S_IFDIR;
    if ((flags & O_TMPFILE) == O_DIRECTORY && !isdir)
        return -LINUX_ENOTDIR;
    if (type == S_IFLNK)
        return -LINUX_ELOOP;
    if (isdir && (flags & (O_ACCMODE | O_TRUNC)))
        return -LINUX_EISDIR; /* a directory opens to read only, before its permissions (Linux's may_open) */
    if ((type == S_IFCHR || type == S_IFBLK) && ((fs_walk_flags(ino) & MS_NODEV) || ino->fs->userns))
        return -LINUX_EACCES; /* a device through a nodev mount, or of a user namespace's (Linux's may_open_dev) */
    /* the access asked for, which its creator has whatever its mode */
    int want = ((flags & O_ACCMODE) != O_WRONLY ? MAY_READ : 0) | ((flags & O_ACCMODE) ? MAY_WRITE : 0) |
               ((flags & O_TRUNC) ? MAY_WRITE : 0);
    if (!created && (r = fs_permission(ino, want)) < 0)
        return r;
    if (!created && fs_is_append(ino) && (((flags & O_ACCMODE) && !(flags & O_APPEND)) || (flags & O_TRUNC)))
        return -LINUX_EPERM; /* an append-only file is written only by appending (Linux's may_open) */
    if ((flags & O_NOATIME) && !(flags & FMODE_NONOTIFY) && !fs_owner(ino))
        return -LINUX_EPERM; /* Linux's may_open: the owner's (or CAP_FOWNER's) alone; fanotify's opens skip it */
    if (ino->fs->kernfs && ino->fs->magic != CGROUP2_SUPER_MAGIC && type == S_IFREG && (flags & O_ACCMODE) &&
        !(ino->mode & 0222)) /* (cgroup2's kernfs root makes no such check: the write is EINVAL) */
        return -LINUX_EACCES; /* a sysfs attribute without a store, even to root (Linux's kernfs_fop_open) */
    uint64_t landlock_denied;
    bool truncating = type == S_IFREG && (flags & O_ACCMODE) && (flags & O_TRUNC) && !created;
    if ((r = landlock_open(c->p, ino, dir, flags, truncating, &landlock_denied)) < 0)
        return r;
    if ((flags & O_DIRECT) && !inode_direct_capable(ino))
        return -LINUX_EINVAL; /* do_dentry_open's: no direct I/O there (a file O_CREAT made stays) */
    if (type == S_IFIFO)
        return fifo_open(c, ino, flags);
    const struct file_ops *ops = type == S_IFCHR ? dev_file_ops(ino->rdev)
                               : type == S_IFBLK ? loop_file_ops(ino->rdev)
                               : ino->fs->dev == DEV_NSFS ? &ns_fops
                               : cgroupfs_is(ino) && type == S_IFREG ? cgroupfs_fops()
                               : ino->fs->magic == PROC_SUPER_MAGIC && ino->rdev == PROCKMSG_NODE && type == S_IFREG
                                   ? &prockmsg_fops
                               : ino->fs->magic == SYSFS_MAGIC && ino->rdev == SYSFS_LIVE_NODE ? &sysfs_live_fops
                                   : procmem_file_ops(ino);
    ops = ops || type == S_IFCHR || type == S_IFBLK ? ops : &inode_fops;
    if (!ops || type == S_IFSOCK)
        return -LINUX_ENXIO; /* no driver behind it */
    bool writer = type == S_IFREG && (flags & O_ACCMODE);
    if (writer && proc_running_file(ino))
        return -LINUX_ETXTBSY;
    if (leases_held && type == S_IFREG && !created && /* its leases broken first, as Linux's break_lease */
        ((r = lease_break(c, ino, (flags & O_ACCMODE) || (flags & O_TRUNC), flags & O_NONBLOCK)) < 0 || c->deferred))
        return r;
    if (!(flags & FMODE_NONOTIFY) && ((r = fsnotify_perm(c, ino, FAN_OPEN_PERM)) < 0 || c->deferred)) {
        c->p->fanperm.made = c->deferred && created ? ino : NULL; /* the open again is still its creation */
        return r; /* a fanotify listener's answer first, before the truncation, as Linux's security_file_open */
    }
    bool truncated = writer && (flags & O_TRUNC) && !created;
    if (truncated)
        fs_truncate(ino, 0);
    struct file *f = calloc(1, sizeof *f);
    if (!f)
        return -LINUX_ENOMEM;
    *f = (struct file){.ops = ops, .kind = FILE_INODE, .inode = ino, .flags = open_file_flags(flags), .refs = 1,
                       .nonotify = (flags & FMODE_NONOTIFY) != 0, .landlock_denied = landlock_denied,
                       .mnt_flags = fs_walk_flags(ino),
                       .mnt_id = fs_walk_mount.fs == ino->fs && fs_walk_mount.mount ? fs_walk_mount.mount->id : 0};
    if (ops->open && (r = ops->open(c, f, flags)) < 0) { /* a device's: the terminal's, a pseudo-terminal's */
        free(f);
        return r;
    }
    procmem_dir_opened(f);
    ino->refs++;
    ino->writers += writer;
    int64_t fd = fd_alloc(c->p, 0, f, (flags & O_CLOEXEC) != 0);
    if (fd >= 0 && !f->nonotify) {
        fsnotify(ino, IN_OPEN);
        if (truncated)
            fsnotify_change(ino, IN_MODIFY); /* after IN_OPEN, as Linux's; the truncation's, with no path */
    }
    if (fd < 0)
        file_put(f);
    else
        open_dir_refresh(ino);
    return fd;
}

static int64_t sys_open(struct sys_ctx *c, uint64_t upath, int flags, uint32_t mode)
{
    return do_open(c, AT_FDCWD, upath, flags, mode);
}

static int64_t sys_creat(struct sys_ctx *c, uint64_t upath, uint32_t mode)
{
    return do_open(c, AT_FDCWD, upath, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

static int64_t sys_openat(struct sys_ctx *c, int dirfd, uint64_t upath, int flags, uint32_t mode)
{
    return do_open(c, dirfd, upath, flags, mode);
}

#define OPEN_HOW_SIZE_VER0 24 /* struct open_how as first published (linux/openat2.h) */
#define RESOLVE_ALL (RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | \
                     RESOLVE_IN_ROOT | RESOLVE_CACHED)

/* openat2: openat with a struct open_how of size bytes (at least the first
 * version's; what lies past the fields Linux knows must be zeros, else
 * E2BIG), whose flags, mode and resolve are checked as Linux's
 * build_open_how does, and whose RESOLVE_* flags limit the walk
 * (fs_walk_limits; IN_ROOT makes the directory the root for the call). */
static int64_t sys_openat2(struct sys_ctx *c, int dirfd, uint64_t upath, uint64_t uhow, uint64_t size)
{
    uint64_t how[3] = {0, 0, 0};
    if (size < OPEN_HOW_SIZE_VER0)
        return -LINUX_EINVAL;
    if (size > 4096)
        return -LINUX_E2BIG;
    int tail = size > sizeof how ? mem_zeros(c->p, uhow + sizeof how, size - sizeof how) : 0;
    if (tail) /* past what Linux knows: zeros */
        return tail < 0 ? tail : -LINUX_E2BIG;
    if (mem_in(c->p, how, uhow, sizeof how) < 0)
        return -LINUX_EFAULT;
    uint64_t flags = how[0], mode = how[1], resolve = how[2];
    if ((flags & ~OPEN_FLAGS_VALID) || (resolve & ~(uint64_t)RESOLVE_ALL) ||
        (resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) == (RESOLVE_BENEATH | RESOLVE_IN_ROOT))
        return -LINUX_EINVAL;
    bool creates = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
    if (creates ? (mode & ~07777ull) != 0 : mode != 0)
        return -LINUX_EINVAL;
    if ((flags & O_PATH) && (flags & ~(uint64_t)(O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)))
        return -LINUX_EINVAL; /* open ignores the others; openat2 refuses them */
    if ((resolve & RESOLVE_CACHED) && (flags & (O_CREAT | O_TRUNC | O_TMPFILE)))
        return -LINUX_EAGAIN; /* these would have to do more than look in the cache */
    static char path[PATH_MAX_LEN];
    struct inode *dir = NULL;
    int r = resolve ? path_arg(c, dirfd, upath, path, &dir) : 0;
    if (r >= 0 && resolve)
        r = at_dir(c->p, dirfd, "", &dir); /* dirfd's directory, for an absolute path too */
    if (r < 0)
        return r;
    if (resolve & (RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_BENEATH | RESOLVE_IN_ROOT | RESOLVE_NO_XDEV))
        if (fd_alias(path) >= 0) /* /dev/fd/N and /proc/self/fd/N: through a magic link, or out of the directory */
            return resolve & (RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS) ? -LINUX_ELOOP
                   : resolve & RESOLVE_IN_ROOT ? -LINUX_ENOENT : -LINUX_EXDEV;
    struct inode *root = c->p->cred.root;
    fs_walk_limits = (struct fs_walk_limits){resolve & ~(uint64_t)RESOLVE_IN_ROOT, dir};
    if (resolve & RESOLVE_IN_ROOT)
        c->p->cred.root = dir; /* "/" and ".." stop at the directory, as a chroot's */
    int64_t fd = do_open(c, dirfd, upath, (int)flags, (uint32_t)mode);
    c->p->cred.root = root;
    fs_walk_limits = (struct fs_walk_limits){0, NULL};
    return fd;
}

static int64_t sys_close(struct sys_ctx *c, uint64_t fd)
{
    struct file *f = fd_file_raw(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    int r = fd_clear(c->p->fds, (int)fd);
    if (r < 0)
        return r;
    if (reclocks_held) /* the process's record locks on the file go */
        reclock_closing(c->p, f);
    if (dnotify_marks) /* and its table's F_NOTIFY requests */
        dnotify_closing(c->p->fds, f);
    if (mq_notifiers && f->kind == FILE_MQUEUE) /* and its mq_notify registration */
        mq_closing(c->p, f);
    file_put(f);
    return 0;
}

/* close_range: the descriptors from first to last closed, or marked
 * close-on-exec; the ones not open are skipped, as Linux does.  With
 * CLOSE_RANGE_UNSHARE a process of one thread whose table another process
 * shares (CLONE_FILES) takes its own copy first, and acts on that; a
 * thread that shares its table cannot get one here (ENOSYS). */
static int64_t sys_close_range(struct sys_ctx *c, uint32_t first, uint32_t last, int flags)
{
    if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) || first > last)
        return -LINUX_EINVAL;
    if ((flags & CLOSE_RANGE_UNSHARE) && proc_live_threads(proc_group(c->p)) > 1)
        return -LINUX_ENOSYS;
    int64_t r = (flags & CLOSE_RANGE_UNSHARE) ? files_unshare(c->p) : 0;
    for (uint64_t fd = first; fd <= last && fd < (uint64_t)c->p->fds->size && r == 0; fd++)
        if (c->p->fds->fd[fd] && (flags & CLOSE_RANGE_CLOEXEC))
            r = fd_set_cloexec(c->p->fds, (int)fd, true);
        else if (c->p->fds->fd[fd])
            r = sys_close(c, fd);
    return r;
}

static int64_t dup_to(struct proc *p, uint64_t old, uint64_t new, bool cloexec)
{
    struct file *f = fd_file_raw(p, old);
    if (!f)
        return -LINUX_EBADF;
    if (new >= (uint64_t)fd_limit(p))
        return -LINUX_EBADF;
    return old == new ? (int64_t)new : fd_install_at(p, f, new, cloexec);
}

static int64_t sys_dup(struct sys_ctx *c, uint64_t oldfd)
{
    struct file *f = fd_file_raw(c->p, oldfd);
    if (!f)
        return -LINUX_EBADF;
    int fd = fd_alloc(c->p, 0, f, false);
    if (fd >= 0)
        file_get(f);
    return fd;
}

static int64_t sys_dup2(struct sys_ctx *c, uint64_t oldfd, uint64_t newfd) { return dup_to(c->p, oldfd, newfd, false); }

static int64_t sys_dup3(struct sys_ctx *c, uint64_t oldfd, uint64_t newfd, uint64_t flags)
{
    if (oldfd == newfd)
        return -LINUX_EINVAL;
    if (flags & ~(uint64_t)O_CLOEXEC)
        return -LINUX_EINVAL;
    return dup_to(c->p, oldfd, newfd, (flags & O_CLOEXEC) != 0);
}

/* F_GET_RW_HINT and F_SET_RW_HINT: the inode's write-life hint, kept
 * and reported (Linux 6.1's; the per-file hints were gone by then). */
static int64_t fcntl_rw_hint(struct sys_ctx *c, struct file *f, int cmd, uint64_t uhint)
{
    uint64_t h = f->inode ? f->inode->write_hint : 0;
    if (cmd == F_GET_RW_HINT)
        return mem_out(c->p, uhint, &h, sizeof h) < 0 ? -LINUX_EFAULT : 0;
    if (mem_in(c->p, &h, uhint, sizeof h) < 0)
        return -LINUX_EFAULT;
    if (h > RWH_WRITE_LIFE_EXTREME)
        return -LINUX_EINVAL;
    if (f->inode)
        f->inode->write_hint = (uint8_t)h;
    return 0;
}

static int64_t sys_fcntl(struct sys_ctx *c, uint64_t fd, uint64_t cmd, uint64_t arg)
{
    struct proc *p = c->p;
    struct file *f = fd_file_raw(p, fd);
    if (!f || ((f->flags & O_PATH) && cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC && cmd != F_GETFD && cmd != F_SETFD &&
               cmd != F_GETFL)) /* what an O_PATH file takes: Linux's check_fcntl_cmd */
        return -LINUX_EBADF;
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
        if ((uint32_t)arg >= (uint32_t)fd_limit(p)) /* an int, as Linux takes it */
            return -LINUX_EINVAL;
        int nfd = fd_alloc(p, (int)arg, f, cmd == F_DUPFD_CLOEXEC);
        if (nfd >= 0)
            file_get(f);
        return nfd;
    }
    case F_GETFD: return p->fds->cloexec[fd];
    case F_SETFD: return fd_set_cloexec(p->fds, (int)fd, arg & 1);
    case F_GETFL: return f->flags;
    case F_GETPIPE_SZ: case F_SETPIPE_SZ: return pipe_fcntl_size(f, cmd, arg);
    case F_SETFL: return fcntl_setfl(f, (int)fd, (int)arg);
    case F_SETOWN: case F_GETOWN: case F_SETOWN_EX: case F_GETOWN_EX: case F_SETSIG: case F_GETSIG:
        return fasync_fcntl(c, f, (int)fd, (int)cmd, arg);
    case F_NOTIFY: return dnotify_fcntl(c, f, (int)fd, (uint32_t)arg);
    case F_SETLEASE: case F_GETLEASE: return lease_fcntl(c, f, (int)fd, (int)cmd, arg);
    case F_GETLK: case F_SETLK: case F_SETLKW: case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW:
        return reclock_fcntl(c, f, (int)cmd, arg);
    case F_ADD_SEALS: case F_GET_SEALS: return memfd_fcntl(f, (int)cmd, arg);
    case F_GET_RW_HINT: case F_SET_RW_HINT: return fcntl_rw_hint(c, f, (int)cmd, arg);
    }
    return -LINUX_EINVAL;
}

static int64_t sys_ioctl(struct sys_ctx *c, uint64_t fd, uint64_t request, uint64_t arg)
{
    struct file *f = fd_file(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    int on = landlock_file_ioctl(f, (uint32_t)request); /* before any answer, as Linux's security_file_ioctl */
    if (on < 0)
        return on;
    switch ((uint32_t)request) { /* Linux's do_vfs_ioctl answers these for every file, before the file's own */
    case FIOCLEX:
    case FIONCLEX:
        return fd_set_cloexec(c->p->fds, (int)fd, request == FIOCLEX);
    case FIONBIO:
        if (mem_in(c->p, &on, arg, sizeof on) < 0)
            return -LINUX_EFAULT;
        f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
        return 0;
    }
    int64_t done = vfs_ioctl(c, f, (uint32_t)request, arg); /* FIOQSIZE, FIGETBSZ, FICLONE, ... */
    if (done != VFS_IOCTL_NOT_MINE)
        return done;
    if ((uint32_t)request == FIONREAD && f->kind == FILE_INODE && f->inode && (f->inode->mode & S_IFMT) == S_IFREG &&
        f->ops == &inode_fops) { /* a regular file's bytes past the position, as Linux's file_ioctl */
        int left = (int)(f->inode->size - f->pos);
        return mem_out(c->p, arg, &left, sizeof left) < 0 ? -LINUX_EFAULT : 0;
    }
    int64_t r = fasync_ioctl(c, f, (int)fd, (uint32_t)request, arg); /* FIOASYNC; a socket's owner */
    if (r != FASYNC_NOT_MINE)
        return r;
    /* the request is Linux's unsigned int: a C library that passes it as
     * an int sign-extends the ones with the top bit (TIOCGPTN) */
    return f->ops->ioctl ? f->ops->ioctl(c, f, (uint32_t)request, arg) : -LINUX_ENOTTY;
}
