/*
 * personalities/linux/linux.h - the Linux personality's shared state:
 * processes, their memory areas and file descriptors, and the in-memory
 * file system.  The server is single-threaded: one loop (main.c) receives
 * every trap of every Linux task and calls the handler the syscall table
 * names (table.c).  A handler that must wait (wait4, a read that blocks)
 * keeps the reply token and answers later.
 */
#ifndef LINUX_H
#define LINUX_H
#include "uapi.h"
#include <persona/ipc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_FDS 256
#define PATH_MAX_LEN 4096
/* The end of a process's address space, Linux's TASK_SIZE with four-level
 * paging: the last page below the non-canonical hole is never mapped (the
 * kernel's USER_END). */
#define TASK_SIZE 0x7ffffffff000ull

/* ---- the file system (fs.c) ---- */
struct inode {
    uint32_t mode; /* type and permission bits, as st_mode */
    uint32_t uid, gid, nlink;
    uint64_t ino, size;
    int64_t atime, mtime, ctime; /* ns since 1970, on CLOCK_REALTIME */
    void *pages;            /* a regular file's data: fs.c's tree of pages */
    int height;             /* its levels */
    uint32_t cap0;          /* at height 0, the length of its one page, which a small file keeps short */
    uint64_t npages;        /* the pages in it: holes take none */
    char *data;             /* a symlink's target */
    struct dirent_node *children;
    struct inode *parent;   /* directories */
    int dev;                /* character devices: DEV_* */
    int fs;                 /* the file system it is on: FS_*, its st_dev */
    uint32_t rdev;          /* a device node's number, as mknod gave it */
    struct pipe *fifo;      /* a FIFO's pipe while it is open */
    struct inode *orphan_next; /* on the list of inodes with no name and no open file */
    bool orphaned;
    int refs;               /* open files */
    int writers;            /* of them, those open for writing: execve refuses it (ETXTBSY) */
    bool exec_mapped;       /* a program's segments may still load pages from it (mm.c) */
};

struct dirent_node {
    char *name;
    struct inode *inode;
    struct dirent_node *next;
    bool hidden; /* found by name, left out of listings (/proc/<tid>) */
};

enum { DEV_NONE, DEV_NULL, DEV_ZERO, DEV_RANDOM, DEV_TTY };
/* Linux's numbers of the devices there are, major << 8 | minor
 * (Documentation/admin-guide/devices.txt). */
#define DEVNO_NULL 0x103
#define DEVNO_ZERO 0x105
#define DEVNO_RANDOM 0x108
#define DEVNO_URANDOM 0x109
#define DEVNO_TTY 0x500
#define DEVNO_CONSOLE 0x501
/* The device behind a character node's number, or DEV_NONE. */
int fs_dev_kind(uint32_t rdev);
enum { FS_ROOT = 1, FS_PROC, FS_ANON }; /* a new inode is on its directory's; FS_ANON: pipes, eventfds */

void fs_init(void);
int fs_load_cpio(const void *archive, size_t len);
/* Resolves path (relative to cwd) to an inode; follow: the last symlink. */
int fs_lookup(struct inode *cwd, const char *path, bool follow, struct inode **out);
/* The same, following the last symlink, and the directory whose entry
 * named what it found (NULL for the root). */
int fs_lookup_in(struct inode *cwd, const char *path, struct inode **out, struct inode **dir);
/* The parent directory and the last name of path, which is split in
 * place (name points into it). */
int fs_lookup_parent(struct inode *cwd, char *path, struct inode **dir, const char **name);
struct inode *fs_root(void);
struct inode *fs_dir_find(struct inode *dir, const char *name, size_t len);
/* Leaves dir/name out of directory listings; lookups still find it. */
void fs_hide(struct inode *dir, const char *name);
int fs_create(struct inode *dir, const char *name, uint32_t mode, struct inode **out);
int fs_unlink(struct inode *dir, const char *name, bool rmdir);
int fs_link(struct inode *dir, const char *name, struct inode *ino);
int fs_rename(struct inode *odir, const char *oname, struct inode *ndir, const char *nname);
/* A regular file's data is kept in 4 KiB pages, as tmpfs keeps it: a page
 * never written is a hole, which takes no memory and reads as zeros. */
int fs_write(struct inode *ino, uint64_t off, const void *buf, size_t n);
/* Up to n bytes from off (fewer at the end of the file); holes read 0. */
size_t fs_read(const struct inode *ino, uint64_t off, void *buf, size_t n);
/* Page index of the file, or NULL for a hole. */
const char *fs_page(const struct inode *ino, uint64_t index);
/* SEEK_DATA and SEEK_HOLE: the first offset at or after off in data (or
 * in a hole; the end of the file is one), or -ENXIO. */
int64_t fs_seek_data(const struct inode *ino, uint64_t off, bool hole);
/* Grows (sparse) or cuts the file; a cut drops the pages past the end. */
int fs_truncate(struct inode *ino, uint64_t size);
/* A symlink's target. */
int fs_set_link(struct inode *ino, const char *target, size_t n);
/* Once an inode has no name and no open file: its contents are freed,
 * and the inode joins the orphans, freed by fs_sweep when nothing else
 * points at them. */
void fs_release(struct inode *ino);
/* Frees the orphans that pinned() does not claim (a working directory or
 * a mapping still naming one); runs only when fs_sweep_wanted is set. */
extern bool fs_sweep_wanted;
void fs_sweep(bool (*pinned)(const struct inode *));
/* The absolute path of a directory into buf. */
int fs_path(struct inode *dir, char *buf, size_t size);
/* The path of any inode, or -ENOENT: its name in hint if it has one there
 * (hint may be NULL), else the first name found for it in the tree. */
int fs_name_of(struct inode *ino, struct inode *hint, char *buf, size_t size);
/* Inodes in existence: in the tree, open, or orphans not yet swept. */
uint64_t fs_inodes_live(void);

/* ---- open files and descriptors (file.c) ---- */
enum file_kind { FILE_INODE, FILE_PIPE_R, FILE_PIPE_W, FILE_CONSOLE, FILE_EVENTFD, FILE_TIMERFD, FILE_SOCKET };
struct counter; /* eventfd and timerfd (counter.c) */
struct sys_ctx;

struct pipe;

struct file {
    enum file_kind kind;
    struct inode *inode;
    struct pipe *pipe;
    uint64_t pos;
    int flags;  /* O_ACCMODE | O_APPEND | O_NONBLOCK */
    int refs;
    struct counter *counter; /* FILE_EVENTFD, FILE_TIMERFD */
    struct pipe *peer;       /* FILE_SOCKET: the pipe it writes; pipe is the one it reads */
    int shut;                /* FILE_SOCKET: SHUT_RD + 1 and SHUT_WR + 1 bits done */
    struct sock *sock;       /* FILE_SOCKET made by socket(): names and state; NULL for a socketpair end */
};

/* AF_UNIX stream sockets (socket.c): a connected one is two pipes, one
 * each way (pipe and peer), whether socketpair or connect made it. */
struct sock;
uint64_t socket_ino(const struct file *f);
struct io_seg;
int64_t socket_io(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, bool one, uint64_t total,
                  bool write, int how);
int socket_poll(struct file *f);
void socket_close(struct file *f);

/* eventfd and timerfd (counter.c): a file holding a 64-bit count. */
int64_t counter_io(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, bool write);
int counter_poll(struct file *f);
void counter_close(struct file *f);
uint64_t timerfd_next(void);        /* the earliest armed timerfd's expiry, or 0 */
void timerfd_fire(uint64_t now);

/* Resource limits (misc.c): Linux's 16, soft and hard. */
void rlimits_default(uint64_t rlim[RLIM_NLIMITS][2]);
struct proc;
/* The lowest descriptor number p may not use: RLIMIT_NOFILE, at most MAX_FDS. */
int fd_limit(struct proc *p);

struct fdtable {
    struct file *fd[MAX_FDS];
    uint8_t cloexec[MAX_FDS];
};

struct file *file_get(struct file *f);
void file_put(struct file *f);
struct proc;
/* Install f at the lowest free descriptor >= from; the descriptor, or -EMFILE. */
int fd_alloc(struct proc *p, int from, struct file *f, bool cloexec);
/* Installs a and b at the two lowest free descriptors and writes their
 * numbers to ufds; on failure both files are put and -errno returned. */
int fd_alloc_pair(struct proc *p, struct file *a, struct file *b, bool cloexec, uint64_t ufds);

/* ---- memory areas (mm.c) ---- */
struct vma {
    uint64_t start, end;
    int prot;
    bool grows_down;          /* the stack */
    bool lazy;                /* anonymous: pages are mapped when first touched */
    uint64_t shm_id;          /* MAP_SHARED anonymous (one set of pages for every fork): which shared
                                 memory it is, for futex keys, with file_off the offset; else 0 */
    struct inode *file;       /* private file mapping, or a program's segment (lazy: filled at first touch) */
    uint64_t file_off;        /* the file offset of start */
    uint64_t file_end;        /* lazy with a file: below this address the file's bytes, above it zeros */
    struct vma *next;
};

struct mm {
    struct vma *vmas;
    struct inode *exe;        /* the program execve loaded: nobody may write it (ETXTBSY) */
    uint64_t brk_start, brk;
    uint64_t mmap_top;        /* next mmap search starts below here */
};

/* A poll or a sleep in progress (wait.c). */
enum { WAIT_NONE, WAIT_POLL, WAIT_SLEEP, WAIT_SIGSUSPEND, WAIT_SELECT, WAIT_FUTEX, WAIT_SIGWAIT, WAIT_COUNTER,
       WAIT_ACCEPT, WAIT_CONNECT };
struct proc_wait {
    int kind;
    uint64_t token, fds, nfds; /* poll: the pollfd array; select: nfds; futex: address, bitset;
                                  sigtimedwait: the set; counter: the file, 1 to write;
                                  accept: the listening socket, the flags;
                                  connect: the listener, the connecting descriptor */
    uint64_t deadline;    /* clock_ns; 0: none */
    uint64_t sets[3];     /* select: the read, write and except fd_sets */
    uint64_t tv;          /* select: its struct timeval, updated at the end; futex: queue order;
                             sigtimedwait: where the siginfo goes; counter: the user buffer;
                             accept: where the address goes (its length: sets[0]) */
    uint64_t space;       /* futex: with fds, the key: the memory map, or shared memory (futex.c) */
};

/* ---- processes (proc.c) ---- */
/* A read or write waiting on a pipe (pipe.c). */

/* Descriptors passed with a socket's bytes (SCM_RIGHTS): the read that
 * takes the first byte of their message gets them, and stops at its end. */
struct fd_batch {
    uint64_t start, end;  /* the message, in stream positions */
    int n;
    struct fd_batch *next;
    struct file *files[];
};
void fd_batch_free(struct fd_batch *b); /* drops the descriptors too */
/* A sendmsg's descriptors, or where a recvmsg puts them (its msghdr and
 * control buffer; msg 0: a plain read, which drops them). */
struct scm {
    struct fd_batch *send;
    uint64_t msg, control, controllen;
    bool cloexec;         /* MSG_CMSG_CLOEXEC */
};
/* Hands a read's descriptors to p as a control message (socket.c). */
void scm_deliver(struct proc *p, const struct scm *to, struct fd_batch *b);

struct blocked_io {
    struct pipe *pipe;    /* NULL: not blocked */
    bool writer;
    struct io_seg one;    /* a plain read's or write's buffer */
    struct io_seg *segs;  /* &one, or readv/writev's (malloc'd, freed at the end) */
    int nsegs;
    uint64_t len, done;   /* bytes in all the segments; moved so far (writes, MSG_WAITALL reads) */
    bool nosignal;        /* MSG_NOSIGNAL: EPIPE without SIGPIPE */
    bool peek;            /* MSG_PEEK: the data stays in the pipe */
    bool waitall;         /* MSG_WAITALL: a read that goes on until len */
    struct scm scm;       /* a write's descriptors, until its first byte is in */
    struct fd_batch *got; /* a read's, taken with its bytes */
    struct proc *next;    /* the pipe's list of blocked reads and writes (pipe.c), oldest first */
    bool listed;          /* on it */
    uint64_t token;
    struct file *opening; /* a FIFO's open waiting for the other end, as fd */
    int fd;
};

struct proc {
    int pid, ppid, pgid, sid; /* pid is the thread id; a process's is its leader's */
    /* A thread made by clone(CLONE_THREAD) is a proc of its own whose
     * leader is the process's first; it shares the leader's task, memory
     * map, descriptors and signal actions.  NULL for the leader. */
    struct proc *leader;
    bool thread_gone;         /* the leader's own thread has exited; others run on */
    /* job control, on the leader: stopped by stop_sig; the parent's wait
     * has a stop or a continue to report */
    bool stopped, stop_report, cont_report;
    int stop_sig;
    /* a reply that completed while the process was stopped, per thread */
    bool parked;
    uint64_t parked_token;
    int64_t parked_result;
    /* vfork: the child runs in its parent's task and memory map until it
     * execs or exits; the parent's call is answered then */
    bool vfork_shared;
    struct proc *vfork_parent;
    uint64_t vfork_token;
    /* sigaltstack, per thread: ss_size 0 when there is none */
    uint64_t ss_sp, ss_size;
    int task;                 /* task handle */
    int thread;               /* handle of its thread */
    uint64_t task_badge, thread_badge;
    struct proc *badge_next;  /* proc.c's table of thread badges */
    /* What a process's threads share (CLONE_VM, CLONE_FILES,
     * CLONE_SIGHAND) points into the storage of the process that owns it. */
    struct mm *mm;
    struct fdtable *fds;
    struct inode *cwd;
    uint32_t umask;
    int nice;                 /* setpriority's value: shown, not scheduled by */
    uint64_t rlim[RLIM_NLIMITS][2]; /* soft, hard; a process's are its leader's */
    uint64_t clear_tid;
    char comm[16];
    char exe[256];
    char *cmdline, *environ;  /* argv and envp of the last execve, NUL-separated (/proc) */
    size_t cmdline_len, environ_len;
    uint64_t start_ns;        /* when it was made, on the clock */
    /* CPU time in clock ticks: what its ended threads used, and what its
     * reaped children (with theirs) used, for /proc and times */
    uint64_t gone_utime, gone_stime, child_utime, child_stime;
    bool zombie;
    int status;               /* wait status once a zombie */
    /* a wait4 in progress */
    bool waiting;
    uint64_t wait_token;
    int wait_pid;
    uint64_t wait_status_ptr;
    int wait_options;
    bool wait_siginfo;        /* waitid: wait_status_ptr is a siginfo_t */
    struct blocked_io block;
    struct proc_wait wait;
    uint64_t alarm_at, alarm_every; /* ITIMER_REAL (alarm, setitimer): clock_ns, ns; 0: none */
    /* signals (signal.c): actions are the kernel's struct sigaction, as
     * handler, flags, restorer, mask */
    uint64_t sigmask, sigpending, saved_mask;
    bool sigsuspend_saved;
    uint64_t (*sigactions)[4];  /* [65][4] */
    struct siginfo_k siginfo[65];
    struct proc *next;
    /* the storage behind mm, fds and sigactions */
    struct mm own_mm;
    struct fdtable own_fds;
    uint64_t own_sigactions[65][4];
};

static inline struct proc *proc_group(struct proc *p) { return p->leader ? p->leader : p; }
static inline int proc_tgid(struct proc *p) { return proc_group(p)->pid; }

/* /proc (procfs.c): files written afresh when a walk enters /proc. */
void procfs_init(void);
extern struct inode *procfs_root;
static inline bool procfs_is_root(const struct inode *dir) { return dir == procfs_root; }
void procfs_refresh(void);
/* Load averages (procfs.c): sampled every 5 s from the server's timer. */
uint64_t loadavg_next(void);
void loadavg_tick(uint64_t now);
/* The 1, 5 and 15 minute averages in 11-bit fixed point, shifted left. */
void loadavg_get(uint64_t out[3], int shift);
#define LOADAVG_FSHIFT 11 /* the averages' fixed point: 11 bits of fraction, as Linux's FSHIFT */
/* The process /proc/self names: the caller of the system call being run. */
extern struct proc *procfs_viewer;
static inline void procfs_set_viewer(struct proc *p) { procfs_viewer = p; }

/* What a syscall handler sees. */
struct sys_ctx {
    struct proc *p;
    uint64_t token;           /* to reply later */
    const struct pico_trap *trap;
    uint64_t *a;              /* rdi rsi rdx r10 r8 r9: the message's words 2..7 */
    bool deferred;            /* the handler keeps the token */
    bool no_reply;            /* the thread is gone (exit, execve) */
    struct scm *scm;          /* sendmsg/recvmsg: descriptors passed (socket.c) */
};

typedef int64_t (*linux_handler)(struct sys_ctx *c);

extern int linux_ep;
extern int linux_power;
/* Every reply to a Linux thread goes through here (main.c): one without
 * bulk data carries only its first two words, and may wait to leave with
 * the next receive. */
void linux_reply(uint64_t token, const struct ipc_msg *m, size_t bulk);
/* One reply without bulk data waits in the outbox and leaves with the
 * next receive (reply-and-receive: one kernel entry, and the kernel
 * switches straight to the process it resumes).  A reply with bulk data,
 * which lives in the IPC buffer, or a second reply, goes at once. */
extern struct linux_outbox {
    bool full;
    uint64_t token, action, value;
} linux_outbox;
void linux_answer_now(uint64_t token, uint64_t action, uint64_t value);
/* A reply of two words, the action and its value (PICO_RESUME and rax). */
static inline void linux_answer(uint64_t token, uint64_t action, uint64_t value)
{
    if (linux_outbox.full)
        linux_answer_now(token, action, value);
    else
        linux_outbox = (struct linux_outbox){true, token, action, value};
}

struct proc *proc_list(void);
/* Whether a live process runs the program in ino: then it cannot be
 * opened for writing or truncated (ETXTBSY), as on Linux. */
bool proc_running_file(const struct inode *ino);
struct proc *proc_by_pid(int pid);
int proc_live_threads(struct proc *g); /* g's threads not yet ended */
/* A new working directory and umask for p and every thread of its process:
 * threads share them (CLONE_FS), as pthreads expect. */
void proc_set_fs(struct proc *p, struct inode *cwd, uint32_t umask);
struct proc *proc_by_task_badge(uint64_t badge);
struct proc *proc_by_thread_badge(uint64_t badge);
uint64_t proc_new_badge(void);
/* Ends a process with a wait status; wakes a waiting parent. */
void proc_exit(struct proc *p, int status);
/* As Linux's OOM killer: SIGKILL, with a line on the console. */
void proc_oom_kill(struct proc *p);
/* A process's user and system time, in clock ticks (1/100 s). */
void proc_cpu_times(struct proc *g, uint64_t *user, uint64_t *sys);
/* One thread's CPU time, in clock ticks. */
void proc_thread_cpu_times(struct proc *t, uint64_t *user, uint64_t *sys);
/* proc_reply's result for a trap that is not a call (PICO_INTERRUPT): the
 * thread resumes with its registers as they were. */
#define RESUME_UNCHANGED INT64_MIN
/* A call interrupted by a signal: restarted if the handler has SA_RESTART
 * (or there is no handler), else EINTR.  Never reaches the program. */
#define ERESTARTSYS 512
/* Job control (signal.c): a stop, and a continue that sends the replies
 * held while stopped. */
void proc_stop(struct proc *g, int sig);
void proc_continue(struct proc *g);
/* Sends sig to every process of a process group; how many there were. */
int signal_group(int pgid, int sig, const void *info);
/* Whether p blocks or ignores sig (a background read then fails with EIO
 * instead of stopping). */
bool signal_refused(struct proc *p, int sig);
bool pgrp_orphaned(int pgid);
/* The lowest unblocked pending signal, or 0. */
static inline int signal_deliverable(const struct proc *p)
{
    uint64_t ready = p->sigpending & ~p->sigmask;
    return ready ? __builtin_ctzll(ready) + 1 : 0;
}
/* Reaps: replies to a parent blocked in wait4 if a child is ready. */
void proc_wake_waiter(struct proc *parent);
int proc_start_init(const char *const argv[], int argc);

/* User memory of the calling process. */
int mem_in(struct proc *p, void *dst, uint64_t va, size_t n);
int mem_out(struct proc *p, uint64_t va, const void *src, size_t n);
/* A NUL-terminated string from user memory; -EFAULT, -ENAMETOOLONG. */
int mem_str(struct proc *p, uint64_t va, char *buf, size_t size);

/* ELF loading (elf.c): replaces p's image; 0 or -errno. */
int elf_exec(struct proc *p, const char *path, char *const argv[], int argc, char *const envp[], int envc,
             uint64_t *entry, uint64_t *sp);

/* Memory (mm.c). */
void mm_init(struct mm *mm);
void mm_free(struct mm *mm);
int mm_copy(struct mm *dst, const struct mm *src);
int64_t mm_map(struct proc *p, uint64_t addr, uint64_t len, int prot, int flags, struct inode *file, uint64_t off);
/* The area holding addr in p's memory map, or NULL. */
struct vma *mm_find(struct proc *p, uint64_t addr);
/* A page fault in one of p's areas: 0 when the page is there now, -ENOMEM
 * when no frame was left for it, -1 when the access is not allowed. */
int mm_fault(struct proc *p, uint64_t addr, uint64_t error);
/* Maps the not-yet-touched pages of [va, va+n) that the areas allow, so
 * the server can copy to or from them; 0, or -EFAULT. */
int mm_populate(struct proc *p, uint64_t va, size_t n);

/* Pipes (pipe.c). */
int64_t pipe_io(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, bool write);
/* readv/writev on a pipe: segs (malloc'd; the pipe code frees it) hold
 * total bytes, moved as one read or write. */
int64_t pipe_iov(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, uint64_t total, bool write);
/* A user iovec array of cnt entries as io_segs (malloc'd) and their total
 * length; -EFAULT, -EINVAL past SSIZE_MAX, -ENOMEM (file.c). */
int64_t iov_read(struct proc *p, uint64_t iov, uint64_t cnt, struct io_seg **segs, uint64_t *total);
/* The pipe itself, for sockets (socket.c): a pipe with readers and writers
 * counted; a move on it, which waits (holding the reply) unless
 * MOVE_NONBLOCK, with segs owned by the caller if one, freed here if not. */
struct pipe *pipe_new(int readers, int writers, int holders);
void pipe_drop(struct pipe *pp, int readers, int writers);
void pipe_unhold(struct pipe *pp); /* one holder less: freed with the last of everything */
int pipe_ends(const struct pipe *pp, bool writers);
/* A connection reset (socket.c): the end writing pp closed abortively, so
 * the reader gets ECONNRESET once, after the data, then end of file.
 * pipe_take_reset returns it (or 0) and clears it. */
void pipe_set_reset(struct pipe *pp);
bool pipe_reset_pending(const struct pipe *pp);
int64_t pipe_take_reset(struct pipe *pp);
bool pipe_has_data(const struct pipe *pp);
bool pipe_has_room(const struct pipe *pp);
#define MOVE_NONBLOCK 1
#define MOVE_NOSIGNAL 2
#define MOVE_PEEK 4 /* a read that leaves the data where it is (MSG_PEEK) */
#define MOVE_WAITALL 8 /* a read that waits for all it asked, unless the end or a signal comes (MSG_WAITALL) */
int64_t pipe_move(struct sys_ctx *c, struct pipe *pp, struct io_seg *segs, int nsegs, bool one, uint64_t total,
                  bool write, int how);
void pipe_close(struct file *f);
bool pipe_cancel(struct proc *p, uint64_t *token);
/* What a blocked pipe write (or MSG_WAITALL read) has moved so far (0 if
 * none): a signal ends it with that count, as Linux, rather than
 * restarting it. */
int64_t pipe_moved(const struct proc *p);
/* A new inode number for a pipe or a socket, as pipefs and sockfs number them. */
uint64_t anon_ino(void);
int pipe_poll(struct file *f);
/* An anonymous pipe's inode number (fstat, /proc/<pid>/fd). */
uint64_t pipe_ino(const struct file *f);
/* Opens FIFO ino: a read-only or write-only open waits for the other end
 * unless O_NONBLOCK; the descriptor, or -errno. */
int64_t fifo_open(struct sys_ctx *c, struct inode *ino, int flags);

/* The terminal (tty.c). */
void tty_init(const char *endpoint_name);
void tty_write(const char *buf, size_t n);
/* The badge of the console's calls with typed bytes: above every badge
 * proc_new_badge hands out. */
#define TTY_INPUT_BADGE (1ull << 62)
static inline bool tty_is_input(const struct ipc_info *info) { return info->badge == TTY_INPUT_BADGE; }
void tty_input(const char *buf, size_t n);
int tty_readable(void);
int64_t tty_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len);
int64_t tty_ioctl(struct sys_ctx *c, uint64_t req, uint64_t arg);
bool tty_cancel(struct proc *p, uint64_t *token);
bool tty_waiting(const struct proc *p);
/* With TOSTOP, a background write to the terminal: SIGTTOU to its group
 * and -ERESTARTSYS, or 0 to go ahead. */
int64_t tty_write_check(struct proc *p);
uint64_t tty_next_deadline(void); /* a reader's VTIME, or 0 */
void tty_timeout(uint64_t now);
int tty_foreground(void); /* the foreground process group */

/* Signals (signal.c).  Every reply to a system call goes through
 * proc_reply, which runs pending handlers. */
void proc_reply_signals(struct proc *p, uint64_t token, int64_t result);
static inline void proc_reply(struct proc *p, uint64_t token, int64_t result)
{
    if (result != RESUME_UNCHANGED && result != -ERESTARTSYS && !p->zombie && !signal_deliverable(p) &&
        !proc_group(p)->stopped) /* the common case, proc_reply_signals' last: the result, and go on */
        linux_answer(token, PICO_RESUME, (uint64_t)result);
    else
        proc_reply_signals(p, token, result);
}
void signal_send(struct proc *p, int sig, const void *siginfo);
void signal_child_exited(struct proc *parent, struct proc *child);
void signal_exception(struct proc *p, int sig, uint64_t addr, uint64_t token);
/* Takes p off whatever it waits on; true and its reply token if it waited. */
bool proc_cancel_wait(struct proc *p, uint64_t *token);
/* wait.c: ends a wait with result r; re-arms the server's timer. */
void wait_finish(struct proc *p, int64_t r);
void wait_rearm(void);
/* futex.c: wakes up to n waiters on uaddr in p's memory map. */
int futex_wake(struct proc *p, uint64_t uaddr, int n, uint32_t mask);
/* Before a file's contents change or go: the pages of it that programs
 * started from it have not loaded yet are loaded now (mm.c). */
void mm_file_changing(struct inode *ino);
/* Frees processes reaped since the last call (never during a handler),
 * then sweeps the file system; there is work only when fs_sweep_wanted
 * is set, which every reaping sets. */
void proc_collect(void);

/* Waiting (wait.c): poll, sleeps, and the timer behind them. */
void wait_init(void);
void poll_recheck(void);
void timers_fire(void);
bool wait_cancel(struct proc *p, uint64_t *token);
/* The clocks (misc.c): the kernel's is monotonic from boot; CLOCK_REALTIME
 * adds EPOCH_NS, 2024-01-01 00:00 UTC, and whatever clock_settime or
 * settimeofday moved it by since. */
#define EPOCH_NS 1704067200000000000ull
int64_t realtime_ns(void); /* read once per message (file times) */
extern uint64_t linux_messages; /* messages the server has received */
int64_t realtime_at_boot(void); /* CLOCK_REALTIME when the kernel's clock read 0 */
/* An absolute time ns on CLOCK_REALTIME or a monotonic clock as a deadline
 * on the kernel's clock: at least 1, so that 0 keeps meaning "none". */
uint64_t clock_deadline(uint64_t ns, bool realtime);

/* Tracing of Linux calls by name (trace=linux-names on the command line). */
extern bool linux_trace;
const char *linux_syscall_name(uint64_t nr);

/* SIGKILL and SIGSTOP, which no mask blocks. */
#define SIG_UNBLOCKABLE (SIGSET_BIT(SIGKILL) | SIGSET_BIT(SIGSTOP))

#define SYSCALL_HANDLER(name) int64_t sys_##name(struct sys_ctx *c)

#endif
