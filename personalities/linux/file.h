/*
 * personalities/linux/file.h - open files and descriptor tables.  An open
 * file (struct file) is what open, pipe, socket, eventfd and the like
 * make; a descriptor is a slot of a process's table pointing at one, and
 * several descriptors (dup, fork, SCM_RIGHTS) may point at the same.
 *
 * Entry points: file_get/file_put (file.c), fd_alloc, fd_alloc_pair,
 * fds_fork, fds_own (fdtable.c), fd_file (proc.h, inline); the *at() helpers at_dir and path_arg (file.c); iov_read
 * (iov.c), io_transfer (io.c).  Callers: every file type (pipe, socket, counter, tty) and the
 * file calls (file.c, io.c, stat.c, path.c), proc (fork shares a table
 * copy-on-write, exit closes one), procfs (/proc/<pid>/fd).
 *
 * Layer: above fs.h.  Book: docs/linux.md, "Files".
 */
#ifndef LINUX_FILE_H
#define LINUX_FILE_H
#include "fs.h"
#include "linux.h"

/* The most descriptors a table may hold (Linux's fs.nr_open), and how many
 * a new one has room for before it first grows (Linux's NR_OPEN_DEFAULT). */
#define NR_OPEN 1048576
#define FDS_FIRST 64

enum file_kind { FILE_INODE, FILE_PIPE_R, FILE_PIPE_W, FILE_CONSOLE, FILE_EVENTFD, FILE_TIMERFD, FILE_SOCKET, FILE_EPOLL,
                 FILE_SIGNALFD, FILE_INOTIFY, FILE_PIDFD, FILE_MQUEUE, FILE_FSCONTEXT, FILE_FANOTIFY,
                 FILE_SECCOMP, FILE_LANDLOCK, FILE_IOURING,
                 FILE_USERFAULTFD, FILE_PERF, FILE_BPF_MAP, FILE_BPF_PROG };
struct file;

/*
 * What an open file does: each file type has its table (inode_fops for
 * the file system's files, dev.c's for devices, the terminal's, pipes',
 * sockets', eventfd's and timerfd's), which the descriptor calls reach it
 * through.  A NULL operation is the call's default, said below.
 */
struct file_ops {
    /* read and write between user memory and the file: at its position,
     * or at at (pread, pwrite: at >= 0, only for a file that is not a
     * stream) */
    int64_t (*read)(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at);
    int64_t (*write)(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at);
    /* readv and writev on a file over a pipe: the segments (malloc'd,
     * freed here) moved as one read or write */
    int64_t (*rw_iov)(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, uint64_t total, bool write);
    /* between the server's buffer and the file from *pos, which they move
     * on (read, write and sendfile of files and devices; NULL: sendfile
     * refuses the file, EINVAL) */
    int64_t (*kread)(struct file *f, char *buf, uint64_t n, uint64_t *pos);
    int64_t (*kwrite)(struct file *f, const char *buf, uint64_t n, uint64_t *pos);
    int (*poll)(struct file *f);                       /* NULL: always ready (POLLIN | POLLOUT) */
    int64_t (*ioctl)(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg); /* NULL: ENOTTY */
    void (*stat)(const struct file *f, struct linux_stat *st); /* NULL: its inode's */
    int (*open)(struct sys_ctx *c, struct file *f, int flags); /* a device's, when open makes the file:
                                                                  0, or -errno (the open fails) */
    void (*release)(struct file *f);                   /* the last reference is gone */
    struct fs *fs;       /* the file system of its files without an inode (pipefs, sockfs, anon_inodefs);
                            NULL: the root's */
    int64_t (*size)(const struct file *f); /* what lseek's SEEK_END counts from (a block device's size);
                                               NULL: its inode's */
    bool syncs;          /* fsync succeeds though it is no file of the file system (a block device) */
    bool stream;         /* no positions: pread, pwrite and lseek are ESPIPE */
    bool no_llseek;      /* lseek is ESPIPE on anon_inodefs too (Linux's no_llseek: perf events) */
    bool map_anonymous;  /* mmap of it maps anonymous memory (/dev/zero) */
    bool unsigned_offsets; /* positions past 2^63 too: lseek's SEEK_SET and SEEK_CUR take any, SEEK_END is
                              EINVAL (Linux's FMODE_UNSIGNED_OFFSET: /proc/PID/mem) */
    /* mmap of a file with no inode of its own (io_uring's rings): the
     * inode whose pages len bytes at off are, and their offset in it
     * (*at); 0 or -errno.  The mapping is shared, whatever was asked. */
    int (*map)(struct file *f, uint64_t off, uint64_t len, struct inode **ino, uint64_t *at);
    bool map_as_asked;   /* map's mapping is shared or private as asked, with the checks of a file's
                            (a loop device: its backing file's pages) */
    /* lseek of a device with positions of its own (/dev/kmsg's records):
     * the new position or -errno; NULL: the file's offset */
    int64_t (*llseek)(struct file *f, int64_t off, int whence);
    /* /proc/PID/fdinfo/N's lines after the four every file has, each
     * through put (procfs's printf), as Linux's show_fdinfo; NULL: none */
    void (*fdinfo)(const struct file *f, void (*put)(const char *fmt, ...));
};

/*
 * An open file.  refs counts the descriptors (in every table) and the
 * passed-descriptor batches holding it; the last file_put closes it.  An
 * inode it has open counts it in inode->refs (and, open for writing,
 * inode->writers) until then.
 */
struct file {
    const struct file_ops *ops;
    enum file_kind kind;      /* what /proc/<pid>/fd shows, and which end of a pipe */
    struct inode *inode;     /* FILE_INODE; a FIFO's node; the terminal's node if opened by name */
    struct pipe *pipe;       /* pipes and FIFOs; FILE_SOCKET: the pipe it reads */
    uint64_t pos;            /* the offset of reads and writes; a FIFO's: the writers seen at open */
    uint64_t dir_seq, dir_at; /* a directory's listing: the seq of the entry it gave last, at pos dir_at */
    int flags;               /* O_ACCMODE and F_SETFL's: O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME | FASYNC */
    int refs;
    struct counter *counter; /* FILE_EVENTFD, FILE_TIMERFD */
    struct pipe *peer;       /* FILE_SOCKET: the pipe it writes */
    int shut;                /* FILE_SOCKET: SHUT_RD + 1 and SHUT_WR + 1 bits done */
    struct sock *sock;       /* FILE_SOCKET: names, state and options (a socketpair end's are unnamed) */
    struct epoll *epoll;     /* FILE_EPOLL: its interest list (epoll.c) */
    struct pty *pty;         /* either side of a pseudo-terminal (pty.c) */
    uint64_t sigmask;        /* FILE_SIGNALFD: the signals it reads (signalfd.c) */
    uint64_t mount_event;    /* /proc/mounts, mountinfo: the mount table's change its poll saw (procpidmem.c) */
    uint64_t cgroup_seen;    /* a cgroup2 *.events file: its text's hash at the open or last read (cgroupfs.c) */
    struct notifygroup *group; /* FILE_INOTIFY, FILE_FANOTIFY: its marks and events (notifygroup.c) */
    struct uffd *uffd;       /* FILE_USERFAULTFD: its areas' faults (userfaultfd.c) */
    struct perf_event *perf; /* FILE_PERF: the counter (perfevent.c) */
    struct kmsg_user *kmsg;  /* /dev/kmsg: a writer's rate limit (kmsg.c) */
    bool nonotify;           /* opened for a fanotify event: its own open, reads, writes and close report
                                nothing (Linux's FMODE_NONOTIFY) */
    struct fscontext *fsc;   /* FILE_FSCONTEXT: fsopen's or fspick's file system context (fsmount.c) */
    uint32_t mnt_flags;      /* FILE_INODE: the flags of the mount it was opened through (fs_walk_mount) */
    int mnt_id;              /* and that mount's id, if the walk knew it (0: not known) */
    struct mount *detached;  /* an O_PATH mount file (fsmount, open_tree's clone): its mount, while it is
                                attached nowhere; it goes with the file (fsmount.c) */
    struct seccomp_listener *listener; /* FILE_SECCOMP: its queue of notifications (seccompnotify.c) */
    struct {                 /* FILE_PIDFD, and /proc/PID/mem: the process, by its pid and when it started
                                (pidfd.c, procpidmem.c) */
        int pid;
        uint64_t start_ns;
    } pidfd;
    struct landlock_ruleset *landlock; /* FILE_LANDLOCK: the ruleset (landlock.c) */
    void *bpf;               /* FILE_BPF_MAP, FILE_BPF_PROG: the map or program (bpf.c) */
    uint64_t landlock_denied; /* what Landlock denied it at open: LANDLOCK_ACCESS_FS_TRUNCATE, _IOCTL_DEV */
    struct uring *uring;     /* FILE_IOURING: its rings and requests (iouring.c) */
    struct loop *loop;       /* a loop device's open file: the device (loop.c) */
    struct fown *fown;       /* its owner, F_SETSIG's signal, O_ASYNC's state (fasync.c); NULL: none set */
};

/*
 * A descriptor table.  A process's threads share their leader's
 * (CLONE_FILES): proc->fds points at the leader's own_fds, or at the
 * table that processes share.  It grows as
 * descriptors are made, doubling from FDS_FIRST as Linux's does (so
 * /proc/<pid>/status's FDSize reads the same), up to the process's
 * RLIMIT_NOFILE; size is how many slots fd and cloexec have.
 *
 * A fork's child does not copy its parent's slots: the two tables share
 * them copy-on-write (fds_fork), and whichever first changes its slots
 * (a store into fd or cloexec, a grown table) takes a copy of its own
 * first (fds_own).  So a child that execs or exits without changing its
 * table costs no pass over it.
 */
struct fdtable {
    struct file **fd;
    uint8_t *cloexec;
    int size;
    int next_fd;    /* no free descriptor below it (Linux's next_fd): where fd_alloc looks first */
    /* 0 for a leader's own_fds; a table that processes share
     * (clone(CLONE_FILES) without CLONE_THREAD) is on the heap, and this
     * counts them (share.c). */
    int users;
    /* NULL: fd and cloexec are this table's alone.  Else they are shared
     * copy-on-write, and *sharers (on the heap, freed by the last one)
     * counts the tables sharing them; a file in a shared slot holds one
     * reference for all of them.  Not CLONE_FILES's sharing: each of
     * these tables is a files_struct of its own (record locks' owner,
     * kcmp's KCMP_FILES). */
    int *sharers;
};

struct proc;
struct file *file_get(struct file *f);
void file_put(struct file *f);
/* Its flock lock, if any, goes (flock.c: the description's last close);
 * flocks_held counts the locks there are. */
void flock_release(struct file *f);
extern int flocks_held;
/* fcntl's record locks (reclock.c): the call; p closes a descriptor of f
 * (its POSIX locks on the file go); f's last close (its OFD locks go);
 * reclocks_held counts the locks there are. */
struct sys_ctx;
int64_t reclock_fcntl(struct sys_ctx *c, struct file *f, int cmd, uint64_t uflock);
void reclock_closing(struct proc *p, struct file *f);
/* p closes a descriptor of POSIX message queue f: its mq_notify
 * registration there goes (mqueue.c); mq_notifiers counts the queues
 * with one. */
extern int mq_notifiers;
void mq_closing(struct proc *p, struct file *f);
void reclock_release(struct file *f);
/* Whether owner (a descriptor table) holds a POSIX record lock. */
bool reclock_held_by(const void *owner);
extern int reclocks_held;
/* One lock as /proc/locks shows it: Linux's words for its kind, F_RDLCK,
 * F_WRLCK or F_UNLCK, the process that took it (-1: an open file's),
 * the file (the open file, or its inode when only that is known), the
 * range (end inclusive; UINT64_MAX: to the end) and its owner (a POSIX
 * lock's descriptor table, else the open file: /proc/PID/fdinfo).  reclock_each (record
 * locks, POSIX then OFD as they are kept), flock_each and lease_each
 * (fasync.h) show fn each lock they hold. */
struct lock_view {
    const char *kind;
    int type, pid;
    const struct file *file;
    const struct inode *ino;
    uint64_t start, end;
    const void *owner;
};
void reclock_each(void (*fn)(const struct lock_view *v));
void flock_each(void (*fn)(const struct lock_view *v));
/* fcntl's F_ADD_SEALS and F_GET_SEALS on f (memfd.c). */
int64_t memfd_fcntl(struct file *f, int cmd, uint64_t arg);
/* Room in p's table for descriptor fd: 0, or -ENOMEM (fdtable.c). */
int fd_room(struct proc *p, int fd);
/* Frees a table's slots (its files are closed already), or its share of
 * slots that other tables still use. */
void fd_table_free(struct fdtable *t);
/* A copy of from's slots for to, its files referenced again: 0, or
 * -ENOMEM (to untouched). */
int fd_table_copy(struct fdtable *to, const struct fdtable *from);
/* Table to (empty) shares from's slots copy-on-write (fork's child):
 * 0, or -ENOMEM. */
int fds_fork(struct fdtable *to, struct fdtable *from);
/* t's slots its own, copied if another table shares them: 0, or -ENOMEM.
 * Every change of a table's slots comes after it (fd_alloc, fd_room,
 * fd_install_at, fd_clear, fd_set_cloexec, exec's close-on-exec pass,
 * exit's close-all). */
int fds_copy_out(struct fdtable *t);
static inline int fds_own(struct fdtable *t) { return t->sharers ? fds_copy_out(t) : 0; }
/* Descriptor fd of t is free again (every store of NULL goes through here,
 * for the next_fd hint): 0, or -ENOMEM (the copy fds_own takes). */
static inline int fd_clear(struct fdtable *t, int fd)
{
    if (fds_own(t) < 0)
        return -LINUX_ENOMEM;
    t->fd[fd] = NULL;
    if (fd < t->next_fd)
        t->next_fd = fd;
    return 0;
}
/* Descriptor fd (open) of t close-on-exec or not (F_SETFD, FIOCLEX,
 * close_range): 0, or -ENOMEM; an unchanged flag changes nothing. */
static inline int fd_set_cloexec(struct fdtable *t, int fd, bool on)
{
    if (t->cloexec[fd] == on)
        return 0;
    if (fds_own(t) < 0)
        return -LINUX_ENOMEM;
    t->cloexec[fd] = on;
    return 0;
}
/* A new reference to f at descriptor fd of p, whatever was there closed
 * (dup2's end, seccomp's ADDFD with SETFD): fd, or -EBADF past the limit,
 * -ENOMEM. */
int64_t fd_install_at(struct proc *p, struct file *f, uint64_t fd, bool cloexec);
/* A descriptor is free below p's limit: 0, or -EMFILE (what a call that
 * makes something checks first, as Linux's get_unused_fd_flags comes
 * before the open or create). */
int fd_unused(struct proc *p);
/* Install f at the lowest free descriptor >= from; the descriptor, or -EMFILE. */
int fd_alloc(struct proc *p, int from, struct file *f, bool cloexec);
/* Installs a and b at the two lowest free descriptors and writes their
 * numbers to ufds; on failure both files are put and -errno returned. */
int fd_alloc_pair(struct proc *p, struct file *a, struct file *b, bool cloexec, uint64_t ufds);
/* The lowest descriptor number p may not use: RLIMIT_NOFILE, at most
 * NR_OPEN (rlimit.c). */
int fd_limit(struct proc *p);

/* The directory a *at() call starts from: the working directory for an
 * absolute path or AT_FDCWD, else dirfd's (ENOTDIR if not a directory). */
int at_dir(struct proc *p, int64_t dirfd, const char *path, struct inode **dir);
/* Copies a path argument into buf (PATH_MAX_LEN) and resolves its
 * starting directory; "" is ENOENT. */
int path_arg(struct sys_ctx *c, int64_t dirfd, uint64_t upath, char *buf, struct inode **dir);
/* The inode a path names (from dirfd; a symlink itself with
 * AT_SYMLINK_NOFOLLOW), or descriptor dirfd's for a NULL path or "" with
 * AT_EMPTY_PATH (path.c). */
int path_target(struct sys_ctx *c, int64_t dirfd, uint64_t upath, int flags, struct inode **ino);
/* What F_GETFL shows of a file open made with flags: all but the flags
 * that act only at open, and O_LARGEFILE, which Linux sets for every open
 * on 64-bit (file.c). */
int open_file_flags(int flags);
/* /dev/fd/N, /proc/self/fd/N and /dev/std{in,out,err}: descriptor N,
 * or -1 if path is none of them. */
int fd_alias(const char *path);

/* open's end, once the inode is found (or created; in dir, if known,
 * whose path Landlock's check walks): the checks of its type and permission, then a new open file and its descriptor (file.c;
 * open_by_handle_at's too). */
int64_t file_open_inode(struct sys_ctx *c, struct inode *ino, int flags, bool created, const struct inode *dir);
/* An open flag of the server's alone, outside Linux's (its __FMODE_NONOTIFY's
 * bit): the file reports no events (fanotify's descriptors). */
#define FMODE_NONOTIFY 0x4000000

/* A user iovec array of cnt entries as io_segs (malloc'd) and their total
 * length, as Linux's import_iovec checks and cuts them: -EINVAL for more
 * than UIO_MAXIOV entries or a negative length, -EFAULT for an array or a
 * span outside user memory, -ENOMEM; a total past MAX_RW_COUNT is cut
 * there (iov.c). */
int64_t iov_read(struct proc *p, uint64_t iov, uint64_t cnt, struct io_seg **segs, uint64_t *total);
/* The same; with compat, an array of struct compat_iovec (an i386
 * io_submit's vectored requests). */
int64_t iov_read_abi(struct proc *p, uint64_t iov, uint64_t cnt, bool compat, struct io_seg **segs, uint64_t *total);
/* Copies n bytes between buf and the process's nsegs segments, from byte
 * off of them: out to the process when out, else in from it; 0 or -EFAULT
 * (iov.c). */
int iov_copy(struct proc *p, const struct io_seg *segs, int nsegs, char *buf, uint64_t off, size_t n, bool out);
/* read, write, pread64 or pwrite64 (at >= 0) of descriptor fd, with the
 * file's operations: the bytes moved or -errno (io.c). */
int64_t io_transfer(struct sys_ctx *c, uint64_t fd, uint64_t ubuf, uint64_t len, bool write, int64_t at);
/* RLIMIT_FSIZE for p's write of *n bytes into f at at (-1: its position;
 * O_APPEND: its end), once for the whole call (io.c): 0, *n shortened to
 * end at the limit, or -EFBIG with SIGXFSZ (rlimit.c's fsize_write_ok);
 * 0 for what is not a regular file open for writing. */
int file_fsize_ok(struct proc *p, struct file *f, int64_t at, uint64_t *n);
/* A read or write of a file through the server's buffer, in chunks, with
 * its kread or kwrite, from at or (at < 0) the file's position (io.c). */
int64_t file_copy_io(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, bool write, int64_t at);
/* The operations of the file system's files: regular files and
 * directories (io.c). */
extern const struct file_ops inode_fops;

/* The file system types, as /proc/filesystems lists them (stat.c). */
#define FS_TYPES 7
extern const char *const fs_type_names[FS_TYPES];
/* stat.c: an inode's struct stat; one of a file with no inode, on fs. */
void stat_inode(const struct inode *i, struct linux_stat *st);
void stat_anon(struct fs *fs, uint32_t mode, uint64_t ino, struct linux_stat *st);
/* What fstat says of an open file (stat.c), and the device of st as
 * the kernel's dev_t keeps it (major << 20 | minor), which /proc's
 * fdinfo and locks show. */
void file_stat(const struct file *f, struct linux_stat *st);
/* fallocate of an open file (falloc.c): 0 or -errno, as the call's. */
int64_t file_fallocate(struct sys_ctx *c, struct file *f, int mode, int64_t offset, int64_t len);
/* The ioctls Linux's do_vfs_ioctl and file_ioctl answer for every file
 * before its own (vfsioctl.c): FIOQSIZE, FIGETBSZ, FS_IOC_FIEMAP,
 * FICLONE, FICLONERANGE, and a regular file's FIBMAP and preallocation
 * ioctls; VFS_IOCTL_NOT_MINE for any other request. */
#define VFS_IOCTL_NOT_MINE 1
int64_t vfs_ioctl(struct sys_ctx *c, struct file *f, uint32_t req, uint64_t arg);
/* Of them, the inode flags' (iflags.c): FS_IOC_GETFLAGS, FS_IOC_SETFLAGS,
 * FS_IOC_FSGETXATTR and FS_IOC_FSSETXATTR on a file that has them;
 * VFS_IOCTL_NOT_MINE for any other request or file. */
int64_t iflags_ioctl(struct sys_ctx *c, struct file *f, uint32_t req, uint64_t arg);
static inline uint32_t stat_kdev(const struct linux_stat *st)
{
    uint32_t major = (uint32_t)(((st->dev >> 8) & 0xfff) | ((st->dev >> 32) & ~0xfffull));
    uint32_t minor = (uint32_t)((st->dev & 0xff) | ((st->dev >> 12) & ~0xffull));
    return major << 20 | minor;
}
/* The file handle Linux's exportfs makes of ino (handle.c), into fh:
 * its type, and its length in bytes in *len. */
int handle_encode(const struct inode *ino, uint32_t fh[3], uint32_t *len);
/* Whether ino's file system makes file handles (tmpfs, ext2). */
bool handle_exportable(const struct inode *ino);
/* fdinfo's "fhandle-bytes:... f_handle:..." of ino, through put (handle.c). */
void handle_fdinfo(const struct inode *ino, void (*put)(const char *fmt, ...));
/* A new inode number for a pipe or a socket, as pipefs and sockfs number them. */
uint64_t anon_ino(void);
/* Linux's anon_inodefs, and the stat of a file whose inode is there
 * (signalfd, inotify): no file type, 0600, and the number of the one
 * inode they all share (Linux's is whatever its boot gave it; 0 is no
 * inode's, and pipes' and sockets' numbers start above it). */
#define ANON_INODE_INO 999
extern struct fs anon_inodefs;
void anon_inode_stat(const struct file *f, struct linux_stat *st);

#endif
