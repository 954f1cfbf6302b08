/*
 * personalities/linux/file.c - file descriptors and the file calls:
 * open, read, write, seek, stat, directories, dup, fcntl, and the paths
 * calls (mkdir, unlink, rename, links, chdir, getcwd, access, umask).
 */
#include "linux.h"
#include <stdlib.h>
#include <string.h>

struct file *file_get(struct file *f)
{
    f->refs++;
    return f;
}

void file_put(struct file *f)
{
    if (--f->refs == 0) {
        if (f->kind == FILE_INODE && (f->flags & O_ACCMODE) && (f->inode->mode & S_IFMT) == S_IFREG)
            f->inode->writers--;
        if (f->inode && --f->inode->refs == 0)
            fs_release(f->inode);
        if (f->kind == FILE_SOCKET)
            socket_close(f);
        else if (f->pipe)
            pipe_close(f);
        if (f->counter)
            counter_close(f);
        free(f);
    }
}

static struct file *fd_file(struct proc *p, uint64_t fd)
{
    return fd < MAX_FDS ? p->fds->fd[fd] : NULL;
}

int fd_alloc(struct proc *p, int from, struct file *f, bool cloexec)
{
    for (int fd = from, limit = fd_limit(p); fd < limit; fd++)
        if (!p->fds->fd[fd]) {
            p->fds->fd[fd] = f;
            p->fds->cloexec[fd] = cloexec;
            return fd;
        }
    return -LINUX_EMFILE;
}

int fd_alloc_pair(struct proc *p, struct file *a, struct file *b, bool cloexec, uint64_t ufds)
{
    int fds[2] = {fd_alloc(p, 0, a, cloexec), -1};
    if (fds[0] >= 0)
        fds[1] = fd_alloc(p, fds[0] + 1, b, cloexec);
    int err = fds[1] < 0 ? -LINUX_EMFILE : mem_out(p, ufds, fds, sizeof fds) < 0 ? -LINUX_EFAULT : 0;
    if (err) {
        for (int i = 0; i < 2; i++)
            if (fds[i] >= 0)
                p->fds->fd[fds[i]] = NULL;
        file_put(a), file_put(b);
    }
    return err;
}

/* The directory a *at() call starts from. */
static int at_dir(struct proc *p, int64_t dirfd, const char *path, struct inode **dir)
{
    if (path[0] == '/' || dirfd == AT_FDCWD) {
        *dir = p->cwd;
        return 0;
    }
    struct file *f = fd_file(p, (uint64_t)dirfd);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != FILE_INODE || (f->inode->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    *dir = f->inode;
    return 0;
}

/* Copies a path argument and resolves its starting directory. */
static int path_arg(struct sys_ctx *c, int64_t dirfd, uint64_t upath, char *buf, struct inode **dir)
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
static int fd_alias(const char *path)
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

static int64_t do_open(struct sys_ctx *c, int64_t dirfd, uint64_t upath, int flags, uint32_t mode)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir, *ino;
    int r = path_arg(c, dirfd, upath, path, &dir);
    if (r < 0)
        return r;
    int alias = fd_alias(path);
    if (alias >= 0) { /* like Linux for pipes and terminals: the same open file */
        struct file *f = fd_file(c->p, (uint64_t)alias);
        if (!f)
            return -LINUX_ENOENT;
        int fd = fd_alloc(c->p, 0, f, (flags & O_CLOEXEC) != 0);
        if (fd >= 0)
            file_get(f);
        return fd;
    }
    r = fs_lookup(dir, path, !(flags & O_NOFOLLOW), &ino);
    if (r == -LINUX_ENOENT && (flags & O_CREAT)) {
        struct inode *parent;
        const char *name;
        if ((r = fs_lookup_parent(dir, path, &parent, &name)) < 0)
            return r;
        if ((r = fs_create(parent, name, S_IFREG | (mode & 07777 & ~c->p->umask), &ino)) < 0)
            return r;
    } else if (r < 0) {
        return r;
    } else if ((flags & O_CREAT) && (flags & O_EXCL)) {
        return -LINUX_EEXIST;
    }
    uint32_t type = ino->mode & S_IFMT;
    if (type == S_IFLNK)
        return -LINUX_ELOOP;
    if (type == S_IFIFO && !(flags & O_DIRECTORY))
        return fifo_open(c, ino, flags);
    if ((type == S_IFCHR && ino->dev == DEV_NONE) || type == S_IFBLK || type == S_IFSOCK)
        return (flags & O_DIRECTORY) ? -LINUX_ENOTDIR : -LINUX_ENXIO; /* no driver behind it */
    bool isdir = (ino->mode & S_IFMT) == S_IFDIR;
    if ((flags & O_DIRECTORY) && !isdir)
        return -LINUX_ENOTDIR;
    if (isdir && (flags & O_ACCMODE) != O_RDONLY)
        return -LINUX_EISDIR;
    bool writer = type == S_IFREG && (flags & O_ACCMODE);
    if (writer && proc_running_file(ino))
        return -LINUX_ETXTBSY;
    if (writer && (flags & O_TRUNC))
        fs_truncate(ino, 0);
    struct file *f = calloc(1, sizeof *f);
    if (!f)
        return -LINUX_ENOMEM;
    *f = (struct file){.kind = ino->dev == DEV_TTY ? FILE_CONSOLE : FILE_INODE, .inode = ino,
                       .flags = flags & (O_ACCMODE | O_APPEND | O_NONBLOCK), .refs = 1};
    ino->refs++;
    ino->writers += writer;
    int fd = fd_alloc(c->p, 0, f, (flags & O_CLOEXEC) != 0);
    if (fd < 0)
        file_put(f);
    else if (isdir && ino->fs == FS_PROC)
        procfs_refresh(); /* a listing of /proc/<pid>/fd shows this descriptor too, as Linux's */
    return fd;
}

SYSCALL_HANDLER(open) { return do_open(c, AT_FDCWD, c->a[0], (int)c->a[1], (uint32_t)c->a[2]); }
SYSCALL_HANDLER(openat) { return do_open(c, (int64_t)(int)c->a[0], c->a[1], (int)c->a[2], (uint32_t)c->a[3]); }

SYSCALL_HANDLER(close)
{
    struct file *f = fd_file(c->p, c->a[0]);
    if (!f)
        return -LINUX_EBADF;
    c->p->fds->fd[c->a[0]] = NULL;
    file_put(f);
    return 0;
}

/* Reads from a file into a kernel buffer; returns bytes or -errno. */
static int64_t file_read(struct file *f, char *buf, uint64_t n, uint64_t *pos)
{
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return -LINUX_EBADF;
    if (f->kind == FILE_CONSOLE)
        return -LINUX_EIO; /* reads of the terminal go through tty_read */
    struct inode *i = f->inode;
    if (i->dev == DEV_NULL)
        return 0;
    if (i->dev == DEV_ZERO || i->dev == DEV_RANDOM) {
        for (uint64_t k = 0; k < n; k++)
            buf[k] = i->dev == DEV_ZERO ? 0 : (char)rand();
        return (int64_t)n;
    }
    if ((i->mode & S_IFMT) == S_IFDIR)
        return -LINUX_EISDIR;
    if (*pos >= i->size)
        return 0;
    size_t k = fs_read(i, *pos, buf, n);
    *pos += k;
    return (int64_t)k;
}

static int64_t file_write(struct file *f, const char *buf, uint64_t n, uint64_t *pos)
{
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -LINUX_EBADF;
    if (f->kind == FILE_CONSOLE) {
        tty_write(buf, n);
        return (int64_t)n;
    }
    struct inode *i = f->inode;
    if (i->dev != DEV_NONE)
        return (int64_t)n;
    if (f->flags & O_APPEND)
        *pos = i->size;
    int r = fs_write(i, *pos, buf, n);
    if (r < 0)
        return r;
    *pos += n;
    return (int64_t)n;
}

static char iobuf[64 * 1024];

/* Linux's /dev/null never touches the buffer: only the range is checked
 * (access_ok), and a write takes at most MAX_RW_COUNT. */
static int64_t null_io(const struct file *f, uint64_t ubuf, uint64_t len, bool write)
{
    const uint64_t max_rw = 0x7ffff000;
    if ((f->flags & O_ACCMODE) == (write ? 0 : 1))
        return -LINUX_EBADF;
    if (len > TASK_SIZE || ubuf > TASK_SIZE - len)
        return -LINUX_EFAULT;
    return write ? (int64_t)(len < max_rw ? len : max_rw) : 0;
}

/* Reads or writes a file's contents (or the terminal's output) through
 * iobuf, in chunks, from pos at, or from the file's position if at < 0. */
static __attribute__((noinline)) int64_t contents_io(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len,
                                                     bool write, int64_t at)
{
    uint64_t pos = at >= 0 ? (uint64_t)at : f->pos, done = 0;
    while (done < len) {
        uint64_t n = len - done < sizeof iobuf ? len - done : sizeof iobuf;
        int64_t r;
        if (write) {
            if (mem_in(c->p, iobuf, ubuf + done, n) < 0)
                return done ? (int64_t)done : -LINUX_EFAULT;
            r = file_write(f, iobuf, n, &pos);
        } else {
            r = file_read(f, iobuf, n, &pos);
            if (r > 0 && mem_out(c->p, ubuf + done, iobuf, (size_t)r) < 0)
                return done ? (int64_t)done : -LINUX_EFAULT;
        }
        if (r < 0)
            return done ? (int64_t)done : r;
        done += (uint64_t)r;
        if ((uint64_t)r < n)
            break;
    }
    if (at < 0)
        f->pos = pos;
    return (int64_t)done;
}

/* read/write/pread/pwrite (at >= 0) between a user buffer and a file.
 * Only a file of the file system has positions to read or write at. */
static int64_t transfer(struct sys_ctx *c, uint64_t fd, uint64_t ubuf, uint64_t len, bool write, int64_t at)
{
    struct file *f = fd_file(c->p, fd);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind == FILE_INODE)
        return f->inode->dev == DEV_NULL ? null_io(f, ubuf, len, write) : contents_io(c, f, ubuf, len, write, at);
    if (at >= 0)
        return -LINUX_ESPIPE;
    if (f->kind == FILE_SOCKET) {
        struct io_seg seg = {ubuf, len};
        return socket_io(c, f, &seg, 1, true, len, write, 0);
    }
    if (f->pipe)
        return pipe_io(c, f, ubuf, len, write);
    if (f->counter)
        return counter_io(c, f, ubuf, len, write);
    if (!write) /* the terminal */
        return (f->flags & O_ACCMODE) == O_WRONLY ? -LINUX_EBADF : tty_read(c, f, ubuf, len);
    int64_t stop = tty_write_check(c->p);
    return stop ? stop : contents_io(c, f, ubuf, len, true, -1);
}

SYSCALL_HANDLER(read) { return transfer(c, c->a[0], c->a[1], c->a[2], false, -1); }
SYSCALL_HANDLER(write) { return transfer(c, c->a[0], c->a[1], c->a[2], true, -1); }
SYSCALL_HANDLER(pread64) { return (int64_t)c->a[3] < 0 ? -LINUX_EINVAL : transfer(c, c->a[0], c->a[1], c->a[2], false, (int64_t)c->a[3]); }
SYSCALL_HANDLER(pwrite64) { return (int64_t)c->a[3] < 0 ? -LINUX_EINVAL : transfer(c, c->a[0], c->a[1], c->a[2], true, (int64_t)c->a[3]); }

int64_t iov_read(struct proc *p, uint64_t iov, uint64_t cnt, struct io_seg **segs, uint64_t *total)
{
    *segs = malloc((cnt ? cnt : 1) * sizeof **segs);
    *total = 0;
    if (!*segs)
        return -LINUX_ENOMEM;
    if (cnt && mem_in(p, *segs, iov, cnt * sizeof **segs) < 0) {
        free(*segs);
        return -LINUX_EFAULT;
    }
    for (uint64_t i = 0; i < cnt; i++)
        if ((*total += (*segs)[i].len) > (uint64_t)INT64_MAX || (*segs)[i].len > (uint64_t)INT64_MAX) {
            free(*segs);
            return -LINUX_EINVAL;
        }
    return 0;
}

static int64_t vector_io(struct sys_ctx *c, bool write)
{
    uint64_t iov = c->a[1], cnt = c->a[2];
    int64_t total = 0;
    if (cnt > 1024)
        return -LINUX_EINVAL;
    struct file *f = fd_file(c->p, c->a[0]);
    if (f && f->pipe) { /* one read or write over all the segments, as Linux's pipes */
        uint64_t sum;
        struct io_seg *segs;
        int64_t r = iov_read(c->p, iov, cnt, &segs, &sum);
        if (r < 0)
            return r;
        return f->kind == FILE_SOCKET ? socket_io(c, f, segs, (int)cnt, false, sum, write, 0)
                                      : pipe_iov(c, f, segs, (int)cnt, sum, write);
    }
    for (uint64_t i = 0; i < cnt; i++) {
        uint64_t v[2];
        if (mem_in(c->p, v, iov + i * 16, 16) < 0)
            return total ? total : -LINUX_EFAULT;
        if (!v[1])
            continue;
        int64_t r = transfer(c, c->a[0], v[0], v[1], write, -1);
        if (r < 0)
            return total ? total : r;
        total += r;
        if ((uint64_t)r < v[1] || c->deferred) /* a call that waits (the terminal) answers for itself */
            break;
    }
    return total;
}

SYSCALL_HANDLER(readv) { return vector_io(c, false); }
SYSCALL_HANDLER(writev) { return vector_io(c, true); }

SYSCALL_HANDLER(lseek)
{
    struct file *f = fd_file(c->p, c->a[0]);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != FILE_INODE)
        return -LINUX_ESPIPE;
    int64_t off = (int64_t)c->a[1], base = c->a[2] == SEEK_SET ? 0 : c->a[2] == SEEK_CUR ? (int64_t)f->pos
                                                           : c->a[2] == SEEK_END ? (int64_t)f->inode->size : -1;
    if ((c->a[2] == SEEK_DATA || c->a[2] == SEEK_HOLE) && (f->inode->mode & S_IFMT) == S_IFREG) {
        int64_t at = off < 0 ? -LINUX_ENXIO : fs_seek_data(f->inode, (uint64_t)off, c->a[2] == SEEK_HOLE);
        if (at >= 0)
            f->pos = (uint64_t)at;
        return at;
    }
    if (base < 0 || base + off < 0)
        return -LINUX_EINVAL;
    f->pos = (uint64_t)(base + off);
    return (int64_t)f->pos;
}

static void fill_stat(const struct inode *i, struct linux_stat *st)
{
    memset(st, 0, sizeof *st);
    st->dev = (uint64_t)i->fs;
    st->ino = i->ino;
    st->nlink = i->nlink;
    st->mode = i->mode;
    st->uid = i->uid;
    st->gid = i->gid;
    st->rdev = i->rdev;
    st->size = (i->mode & S_IFMT) == S_IFDIR ? 4096 : (int64_t)i->size;
    st->blksize = 4096;
    st->blocks = (int64_t)(i->npages * 8); /* as tmpfs counts: the pages that hold data, in 512-byte units */
    st->atime = i->atime / 1000000000, st->atime_ns = i->atime % 1000000000;
    st->mtime = i->mtime / 1000000000, st->mtime_ns = i->mtime % 1000000000;
    st->ctime = i->ctime / 1000000000, st->ctime_ns = i->ctime % 1000000000;
}

static struct inode console_inode = {.mode = S_IFCHR | 0620, .nlink = 1, .ino = 0x500, .dev = DEV_TTY, .rdev = DEVNO_CONSOLE, .gid = 5,
                                     .fs = FS_ROOT};

/* What fstat says of an open file: its inode, or a pipe or an anonymous
 * inode as Linux shows them. */
static void stat_file(const struct file *f, struct linux_stat *st)
{
    static const struct inode anon = {.mode = 0600, .nlink = 1, .fs = FS_ANON};
    if (f->kind == FILE_SOCKET) {
        fill_stat(&anon, st);
        st->mode = S_IFSOCK | 0777, st->ino = socket_ino(f);
        return;
    }
    if (f->inode || (!f->pipe && !f->counter)) {
        fill_stat(f->inode ? f->inode : &console_inode, st);
        return;
    }
    fill_stat(&anon, st); /* Linux's anonymous inodes have no file type */
    if (f->pipe)
        st->mode = S_IFIFO | 0600, st->ino = pipe_ino(f);
}

SYSCALL_HANDLER(fstat)
{
    struct file *f = fd_file(c->p, c->a[0]);
    struct linux_stat st;
    if (!f)
        return -LINUX_EBADF;
    stat_file(f, &st);
    return mem_out(c->p, c->a[1], &st, sizeof st) < 0 ? -LINUX_EFAULT : 0;
}

/* The stat of the *at() triple (dirfd, path, flags), path already read
 * from upath into buf: "" with AT_EMPTY_PATH is dirfd itself (or the
 * working directory), and /dev/fd/N and its kin, followed, are the open
 * file, pipes included, as Linux's magic links. */
static int stat_at(struct sys_ctx *c, int64_t dirfd, uint64_t upath, char *buf, int flags, struct linux_stat *st)
{
    struct inode *dir, *ino;
    bool self = !buf[0] && (flags & AT_EMPTY_PATH);
    int alias = self || (flags & AT_SYMLINK_NOFOLLOW) ? -1 : fd_alias(buf);
    if (self && dirfd == AT_FDCWD) {
        fill_stat(c->p->cwd, st);
        return 0;
    }
    if (self || alias >= 0) {
        struct file *f = fd_file(c->p, self ? (uint64_t)dirfd : (uint64_t)alias);
        if (!f)
            return self ? -LINUX_EBADF : -LINUX_ENOENT;
        stat_file(f, st);
        return 0;
    }
    int r = path_arg(c, dirfd, upath, buf, &dir);
    if (r < 0 || (r = fs_lookup(dir, buf, !(flags & AT_SYMLINK_NOFOLLOW), &ino)) < 0)
        return r;
    fill_stat(ino, st);
    return 0;
}

static int64_t stat_path(struct sys_ctx *c, int64_t dirfd, uint64_t upath, uint64_t ust, int flags)
{
    static char path[PATH_MAX_LEN];
    struct linux_stat st;
    int r = mem_str(c->p, upath, path, sizeof path);
    if (r < 0 || (r = stat_at(c, dirfd, upath, path, flags, &st)) < 0)
        return r;
    return mem_out(c->p, ust, &st, sizeof st) < 0 ? -LINUX_EFAULT : 0;
}

SYSCALL_HANDLER(statx)
{
    static char path[PATH_MAX_LEN];
    struct linux_stat st;
    int r = mem_str(c->p, c->a[1], path, sizeof path);
    if (r < 0 || (r = stat_at(c, (int64_t)(int)c->a[0], c->a[1], path, (int)c->a[2], &st)) < 0)
        return r;
    uint8_t x[256] = {0};
    uint32_t mask = 0x7ff, blksize = 4096, nlink = (uint32_t)st.nlink, rdev_major = (uint32_t)(st.rdev >> 8),
             rdev_minor = (uint32_t)(st.rdev & 0xff), dev_major = 0, dev_minor = (uint32_t)st.dev;
    uint16_t mode = (uint16_t)st.mode;
    memcpy(x + 0, &mask, 4), memcpy(x + 4, &blksize, 4), memcpy(x + 16, &nlink, 4);
    memcpy(x + 20, &st.uid, 4), memcpy(x + 24, &st.gid, 4), memcpy(x + 28, &mode, 2);
    memcpy(x + 32, &st.ino, 8), memcpy(x + 40, &st.size, 8), memcpy(x + 48, &st.blocks, 8);
    const int64_t *times[3][2] = {{&st.atime, &st.atime_ns}, {&st.ctime, &st.ctime_ns}, {&st.mtime, &st.mtime_ns}};
    for (int t = 0; t < 3; t++) { /* statx_timestamp at 64, 96 and 112: seconds, then nanoseconds (btime, 80, unset) */
        uint32_t ns = (uint32_t)*times[t][1];
        memcpy(x + (t ? 80 + 16 * t : 64), times[t][0], 8), memcpy(x + (t ? 88 + 16 * t : 72), &ns, 4);
    }
    memcpy(x + 128, &rdev_major, 4), memcpy(x + 132, &rdev_minor, 4);
    memcpy(x + 136, &dev_major, 4), memcpy(x + 140, &dev_minor, 4);
    return mem_out(c->p, c->a[4], x, sizeof x) < 0 ? -LINUX_EFAULT : 0;
}

SYSCALL_HANDLER(stat) { return stat_path(c, AT_FDCWD, c->a[0], c->a[1], 0); }

/* ---- statfs ---- */

/* The file system an open file or an inode (f NULL) lives on, as statfs
 * tells it.  The root is a tmpfs in this server's memory: its blocks are
 * the machine's, and it may grow into all that is free. */
static int64_t put_statfs(struct sys_ctx *c, uint64_t ubuf, const struct file *f, const struct inode *ino)
{
    struct linux_statfs s = {.bsize = 4096, .namelen = 255, .frsize = 4096, .flags = ST_VALID};
    if (f && f->kind == FILE_SOCKET)
        s.type = SOCKFS_MAGIC;
    else if (f && f->pipe && !f->inode)
        s.type = PIPEFS_MAGIC;
    else if (f && f->counter)
        s.type = ANON_INODE_FS_MAGIC;
    else if (ino && ino->fs == FS_PROC)
        s.type = PROC_SUPER_MAGIC, s.flags |= ST_NOSUID | ST_NODEV | ST_NOEXEC;
    else {
        struct persona_memstats ms = {0, 0};
        sys_mem_stats(&ms);
        s.type = TMPFS_MAGIC;
        s.blocks = (int64_t)(ms.total_bytes / 4096);
        s.bfree = s.bavail = (int64_t)(ms.free_bytes / 4096);
        s.files = s.blocks;
        uint64_t used = fs_inodes_live();
        s.ffree = (uint64_t)s.files > used ? s.files - (int64_t)used : 0;
    }
    return mem_out(c->p, ubuf, &s, sizeof s) < 0 ? -LINUX_EFAULT : 0;
}

SYSCALL_HANDLER(statfs)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir, *ino;
    int r;
    if ((r = path_arg(c, AT_FDCWD, c->a[0], path, &dir)) < 0 || (r = fs_lookup(dir, path, true, &ino)) < 0)
        return r;
    return put_statfs(c, c->a[1], NULL, ino);
}

SYSCALL_HANDLER(fstatfs)
{
    struct file *f = fd_file(c->p, c->a[0]);
    if (!f)
        return -LINUX_EBADF;
    return put_statfs(c, c->a[1], f, f->inode);
}
SYSCALL_HANDLER(lstat) { return stat_path(c, AT_FDCWD, c->a[0], c->a[1], AT_SYMLINK_NOFOLLOW); }
SYSCALL_HANDLER(newfstatat) { return stat_path(c, (int64_t)(int)c->a[0], c->a[1], c->a[2], (int)c->a[3]); }

SYSCALL_HANDLER(getdents64)
{
    struct file *f = fd_file(c->p, c->a[0]);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != FILE_INODE || (f->inode->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    if (!f->inode->nlink)
        return 0; /* a removed directory lists nothing, not even "." */
    uint64_t cap = c->a[2] < sizeof iobuf ? c->a[2] : sizeof iobuf, used = 0, index = 0;
    struct dirent_node dot = {.name = ".", .inode = f->inode},
                       dotdot = {.name = "..", .inode = f->inode->parent ? f->inode->parent : f->inode};
    dot.next = &dotdot;
    dotdot.next = f->inode->children;
    for (struct dirent_node *d = &dot; d; d = d->next, index++) {
        if (index < f->pos || d->hidden)
            continue;
        size_t namelen = strlen(d->name), reclen = (19 + namelen + 1 + 7) & ~(size_t)7;
        if (used + reclen > cap) {
            if (used == 0)
                return -LINUX_EINVAL;
            break;
        }
        char *rec = iobuf + used;
        memset(rec, 0, reclen);
        uint64_t ino = d->inode->ino;
        int64_t next = (int64_t)index + 1;
        uint16_t rl = (uint16_t)reclen;
        uint32_t t = d->inode->mode & S_IFMT;
        uint8_t type = t == S_IFDIR ? DT_DIR : t == S_IFREG ? DT_REG : t == S_IFLNK ? DT_LNK : t == S_IFCHR ? DT_CHR
                     : t == S_IFIFO ? DT_FIFO : t == S_IFBLK ? DT_BLK : t == S_IFSOCK ? DT_SOCK : 0;
        memcpy(rec, &ino, 8), memcpy(rec + 8, &next, 8), memcpy(rec + 16, &rl, 2), rec[18] = (char)type;
        memcpy(rec + 19, d->name, namelen);
        used += reclen;
        f->pos = index + 1;
    }
    return mem_out(c->p, c->a[1], iobuf, used) < 0 ? -LINUX_EFAULT : (int64_t)used;
}

SYSCALL_HANDLER(ioctl)
{
    struct file *f = fd_file(c->p, c->a[0]);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != FILE_CONSOLE)
        return -LINUX_ENOTTY;
    return tty_ioctl(c, c->a[1], c->a[2]);
}

static int64_t dup_to(struct proc *p, uint64_t old, uint64_t new, bool cloexec)
{
    struct file *f = fd_file(p, old);
    if (!f)
        return -LINUX_EBADF;
    if (new >= (uint64_t)fd_limit(p))
        return -LINUX_EBADF;
    if (old == new)
        return (int64_t)new;
    if (p->fds->fd[new])
        file_put(p->fds->fd[new]);
    p->fds->fd[new] = file_get(f);
    p->fds->cloexec[new] = cloexec;
    return (int64_t)new;
}

SYSCALL_HANDLER(dup)
{
    struct file *f = fd_file(c->p, c->a[0]);
    if (!f)
        return -LINUX_EBADF;
    int fd = fd_alloc(c->p, 0, f, false);
    if (fd >= 0)
        file_get(f);
    return fd;
}

SYSCALL_HANDLER(dup2) { return dup_to(c->p, c->a[0], c->a[1], false); }

SYSCALL_HANDLER(dup3)
{
    if (c->a[0] == c->a[1])
        return -LINUX_EINVAL;
    if (c->a[2] & ~(uint64_t)O_CLOEXEC)
        return -LINUX_EINVAL;
    return dup_to(c->p, c->a[0], c->a[1], (c->a[2] & O_CLOEXEC) != 0);
}

SYSCALL_HANDLER(fcntl)
{
    struct proc *p = c->p;
    struct file *f = fd_file(p, c->a[0]);
    if (!f)
        return -LINUX_EBADF;
    switch (c->a[1]) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
        if (c->a[2] >= (uint64_t)fd_limit(p))
            return -LINUX_EINVAL;
        int fd = fd_alloc(p, (int)c->a[2], f, c->a[1] == F_DUPFD_CLOEXEC);
        if (fd >= 0)
            file_get(f);
        return fd;
    }
    case F_GETFD: return p->fds->cloexec[c->a[0]];
    case F_SETFD: p->fds->cloexec[c->a[0]] = c->a[2] & 1; return 0;
    case F_GETFL: return f->flags;
    case F_SETFL: f->flags = (f->flags & O_ACCMODE) | ((int)c->a[2] & (O_APPEND | O_NONBLOCK)); return 0;
    }
    return -LINUX_EINVAL;
}

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

SYSCALL_HANDLER(umask)
{
    uint32_t old = c->p->umask;
    proc_set_fs(c->p, c->p->cwd, (uint32_t)c->a[0] & 0777);
    return old;
}

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

SYSCALL_HANDLER(sendfile)
{
    struct file *out = fd_file(c->p, c->a[0]), *in = fd_file(c->p, c->a[1]);
    int64_t off = -1, total = 0;
    if (!out || !in)
        return -LINUX_EBADF;
    if (in->kind != FILE_INODE || (in->inode->mode & S_IFMT) == S_IFDIR)
        return -LINUX_EINVAL;
    if (c->a[2] && mem_in(c->p, &off, c->a[2], 8) < 0)
        return -LINUX_EFAULT;
    if (c->a[2] && off < 0)
        return -LINUX_EINVAL;
    uint64_t pos = c->a[2] ? (uint64_t)off : in->pos, left = c->a[3];
    static char chunk[16384];
    while (left) {
        int64_t n = file_read(in, chunk, left < sizeof chunk ? left : sizeof chunk, &pos);
        if (n <= 0)
            break;
        int64_t w = out->pipe ? -LINUX_EINVAL : file_write(out, chunk, (uint64_t)n, &out->pos);
        if (w < 0)
            return total ? total : w;
        total += w, left -= (uint64_t)w;
    }
    if (c->a[2]) {
        off = (int64_t)pos;
        if (mem_out(c->p, c->a[2], &off, 8) < 0)
            return -LINUX_EFAULT;
    } else
        in->pos = pos;
    return total;
}
