/*
 * personalities/linux/uapi.h - the Linux x86-64 ABI as the personality
 * speaks it: error numbers, signal numbers, the flags of open, fcntl,
 * mmap and the other memory calls, clone, wait and the socket calls, file types, resource limits,
 * clocks, terminal settings, and the structs more than one file copies to
 * or from a process, each checked for its size (and offsets where they
 * matter).  Values are Linux's (include/uapi/ and arch/x86/include/uapi/);
 * scripts/check-uapi.py compares them with the UAPI headers of the machine
 * that builds.
 *
 * Every file of the server takes these names from here and never from the
 * C library's <errno.h>, <signal.h>, <fcntl.h> or <sys/stat.h>, whose
 * values are newlib's, not Linux's.  Errors are LINUX_E*, so that they
 * cannot be taken for newlib's errno values.
 *
 * Entry points: none; names and structs only.  Layer: the bottom; it
 * includes nothing of the server, and any file may include it.  Book:
 * docs/linux.md, "Layers".
 */
#ifndef LINUX_UAPI_H
#define LINUX_UAPI_H
#include <persona/abi.h> /* PROT_*: the kernel's, which are Linux's */
#include <stddef.h>
#include <stdint.h>

/* ---- error numbers (asm-generic/errno-base.h, errno.h) ---- */
#define LINUX_EPERM 1
#define LINUX_ENOENT 2
#define LINUX_ESRCH 3
#define LINUX_EINTR 4
#define LINUX_EIO 5
#define LINUX_ENXIO 6
#define LINUX_E2BIG 7
#define LINUX_ENOEXEC 8
#define LINUX_EBADF 9
#define LINUX_ECHILD 10
#define LINUX_EAGAIN 11
#define LINUX_ENOMEM 12
#define LINUX_EACCES 13
#define LINUX_EFAULT 14
#define LINUX_EBUSY 16
#define LINUX_EEXIST 17
#define LINUX_EXDEV 18
#define LINUX_ENODEV 19
#define LINUX_ENOTDIR 20
#define LINUX_EISDIR 21
#define LINUX_EINVAL 22
#define LINUX_ENFILE 23
#define LINUX_EMFILE 24
#define LINUX_ENOTTY 25
#define LINUX_ETXTBSY 26
#define LINUX_EFBIG 27
#define LINUX_ENOSPC 28
#define LINUX_ESPIPE 29
#define LINUX_EROFS 30
#define LINUX_EPIPE 32
#define LINUX_EDOM 33
#define LINUX_ERANGE 34
#define LINUX_EDEADLK 35
#define LINUX_ENAMETOOLONG 36
#define LINUX_ENOSYS 38
#define LINUX_ENOTEMPTY 39
#define LINUX_ELOOP 40
#define LINUX_ENOMSG 42
#define LINUX_EIDRM 43
#define LINUX_EBADR 53
#define LINUX_ENODATA 61
#define LINUX_ENOPKG 65
#define LINUX_EOVERFLOW 75
#define LINUX_ELIBBAD 80
#define LINUX_EUSERS 87
#define LINUX_ENOTSOCK 88
#define LINUX_EDESTADDRREQ 89
#define LINUX_EMSGSIZE 90
#define LINUX_EPROTOTYPE 91
#define LINUX_ENOPROTOOPT 92
#define LINUX_EPROTONOSUPPORT 93
#define LINUX_ESOCKTNOSUPPORT 94
#define LINUX_EOPNOTSUPP 95
#define LINUX_EAFNOSUPPORT 97
#define LINUX_EADDRINUSE 98
#define LINUX_EADDRNOTAVAIL 99
#define LINUX_ENETUNREACH 101
#define LINUX_ECONNRESET 104
#define LINUX_ENOBUFS 105
#define LINUX_EISCONN 106
#define LINUX_ENOTCONN 107
#define LINUX_ETOOMANYREFS 109
#define LINUX_ETIMEDOUT 110
#define LINUX_ECONNREFUSED 111
#define LINUX_EINPROGRESS 115
#define LINUX_ESTALE 116
#define LINUX_ECANCELED 125

/* ---- signals (asm/signal.h, asm-generic/signal-defs.h, siginfo.h) ---- */
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGSYS 31
#define LINUX_NSIG 64 /* signals 1..64; a sigset_t is 8 bytes */
/* A signal's bit in a sigset_t. */
#define SIGSET_BIT(sig) (1ull << ((sig) - 1))
#define SIG_DFL 0 /* sa_handler */
#define SIG_IGN 1
#define SIG_BLOCK 0 /* rt_sigprocmask's how */
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_RESTORER 0x04000000
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000u
#define SS_ONSTACK 1 /* sigaltstack's ss_flags */
#define SS_DISABLE 2
#define SS_AUTODISARM (1u << 31)
#define MINSIGSTKSZ 2048
#define WCOREFLAG 0x80 /* a wait status's core bit (the C library's, as the kernel sets it) */
#define SI_USER 0 /* si_code */
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define SI_SIGIO (-5)
#define SI_TKILL (-6)
#define SI_MESGQ (-3)
#define SIGEV_SIGNAL 0 /* struct sigevent's sigev_notify */
#define SIGEV_NONE 1
#define SIGEV_THREAD 2
#define SIGEV_THREAD_ID 4
#define CLD_EXITED 1 /* SIGCHLD's si_code */
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* ---- files: open, *at, fcntl, lseek, stat (asm-generic/fcntl.h, linux/stat.h) ---- */
#define O_ACCMODE 3
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_EXCL 0200
#define O_NOCTTY 0400
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW 0400000
#define O_CLOEXEC 02000000
#define O_TMPFILE (020000000 | O_DIRECTORY)
#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_EMPTY_PATH 0x1000
#define RENAME_NOREPLACE 1 /* renameat2's flags (linux/fs.h) */
#define RENAME_EXCHANGE 2
#define RENAME_WHITEOUT 4
#define RESOLVE_NO_XDEV 0x01 /* openat2's resolve flags (linux/openat2.h) */
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10
#define RESOLVE_CACHED 0x20
#define AT_EACCESS 0x200 /* faccessat2: the effective ids (its value is AT_REMOVEDIR's, for another call) */
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define F_GETLK 5 /* record locks (reclock.c) */
#define F_SETLK 6
#define F_SETLKW 7
#define F_OFD_GETLK 36
#define F_SETPIPE_SZ 1031
#define F_GETPIPE_SZ 1032
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#define FD_CLOEXEC 1
#define FALLOC_FL_KEEP_SIZE 0x01 /* fallocate's modes (linux/falloc.h) */
#define FALLOC_FL_PUNCH_HOLE 0x02
#define FALLOC_FL_COLLAPSE_RANGE 0x08
#define FALLOC_FL_ZERO_RANGE 0x10
#define FALLOC_FL_INSERT_RANGE 0x20
#define FALLOC_FL_UNSHARE_RANGE 0x40
#define FALLOC_FL_WRITE_ZEROES 0x80
#define SPLICE_F_NONBLOCK 2 /* splice, tee and vmsplice's (fcntl.h; the others change nothing here) */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4
#define S_ISUID 04000 /* mode bits: set-user-ID, set-group-ID, sticky */
#define S_ISGID 02000
#define S_ISVTX 01000
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define DT_FIFO 1 /* getdents64's d_type */
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
#define R_OK 4 /* access's mode */
#define W_OK 2
#define X_OK 1

/* statfs's f_type (linux/magic.h) and f_flags (ST_*). */
#define TMPFS_MAGIC 0x01021994
#define PROC_SUPER_MAGIC 0x9fa0
#define SYSFS_MAGIC 0x62656572
#define PIPEFS_MAGIC 0x50495045
#define SOCKFS_MAGIC 0x534f434b
#define ANON_INODE_FS_MAGIC 0x09041934
#define MQUEUE_MAGIC 0x19800202
#define NSFS_MAGIC 0x6e736673
#define ST_RDONLY 1
#define ST_NOSUID 2
#define ST_NODEV 4
#define ST_NOEXEC 8
#define ST_VALID 0x20 /* the flags are filled in */

/* ---- memory: mmap (asm-generic/mman-common.h); PROT_* are the kernel's ---- */
_Static_assert(PROT_READ == 1 && PROT_WRITE == 2 && PROT_EXEC == 4, "the kernel's PROT_* are Linux's");
#define PROT_SEM 0x8
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP 0x02000000
#define PKEY_DISABLE_ACCESS 0x1 /* pkey_alloc's access rights */
#define PKEY_DISABLE_WRITE 0x2
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_32BIT 0x40
#define MAP_GROWSDOWN 0x0100
#define MAP_LOCKED 0x2000
#define MAP_HUGETLB 0x40000
#define MAP_SYNC 0x80000
#define MAP_FIXED_NOREPLACE 0x100000
#define MREMAP_MAYMOVE 1 /* mremap (linux/mman.h) */
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4
#define MS_ASYNC 1 /* msync */
#define MS_INVALIDATE 2
#define MS_SYNC 4
#define MADV_NORMAL 0 /* madvise */
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_FREE 8
#define MADV_REMOVE 9
#define MADV_DONTFORK 10
#define MADV_DOFORK 11
#define MADV_MERGEABLE 12
#define MADV_UNMERGEABLE 13
#define MADV_HUGEPAGE 14
#define MADV_NOHUGEPAGE 15
#define MADV_DONTDUMP 16
#define MADV_DODUMP 17
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#define MADV_COLD 20
#define MADV_PAGEOUT 21
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#define MADV_DONTNEED_LOCKED 24
#define MADV_COLLAPSE 25
/* membarrier's commands (linux/membarrier.h, where they are an enum) */
enum { MEMBARRIER_CMD_QUERY = 0, MEMBARRIER_CMD_GLOBAL = 1 << 0, MEMBARRIER_CMD_GLOBAL_EXPEDITED = 1 << 1,
       MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 1 << 2, MEMBARRIER_CMD_PRIVATE_EXPEDITED = 1 << 3,
       MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 5,
       MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 6, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ = 1 << 7,
       MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ = 1 << 8, MEMBARRIER_CMD_GET_REGISTRATIONS = 1 << 9,
       MEMBARRIER_CMD_FLAG_CPU = 1 << 0 };

/* ---- processes: clone, wait, limits, priorities (linux/sched.h, wait.h, resource.h) ---- */
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_NEWNS 0x00020000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000
#define CSIGNAL 0x000000ff /* clone's exit signal, in its flags */
#define CLONE_DETACHED 0x00400000
#define CLONE_NEWCGROUP 0x02000000
#define CLONE_NEWUTS 0x04000000
#define CLONE_NEWIPC 0x08000000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWPID 0x20000000
#define CLONE_NEWNET 0x40000000
#define CLONE_IO 0x80000000u
#define CLONE_NEWTIME 0x00000080 /* clone3's and unshare's only: inside CSIGNAL */
enum kcmp_type { KCMP_FILE, KCMP_VM, KCMP_FILES, KCMP_FS, KCMP_SIGHAND, KCMP_IO, KCMP_SYSVSEM, KCMP_EPOLL_TFD,
                 KCMP_TYPES }; /* linux/kcmp.h */
struct kcmp_epoll_slot_k {
    uint32_t efd, tfd;
    uint64_t toff;
};
#define CLONE_CLEAR_SIGHAND 0x100000000ull /* clone3's only */
#define CLONE_INTO_CGROUP 0x200000000ull
#define CLONE_ARGS_SIZE_VER0 64 /* struct clone_args as first published */
#define CLONE_ARGS_SIZE_VER2 88 /* with cgroup: all of it */
#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002
#define WSTOPPED WUNTRACED
#define WEXITED 0x00000004
#define WCONTINUED 0x00000008
#define __WNOTHREAD 0x20000000
#define __WALL 0x40000000
#define __WCLONE 0x80000000u
#define P_ALL 0 /* waitid's idtype */
#define P_PID 1
#define P_PGID 2
#define P_PIDFD 3
#define WNOWAIT 0x01000000
#define CLONE_PIDFD 0x00001000
enum { RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_RSS, RLIMIT_NPROC, RLIMIT_NOFILE,
       RLIMIT_MEMLOCK, RLIMIT_AS, RLIMIT_LOCKS, RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE, RLIMIT_NICE, RLIMIT_RTPRIO, RLIMIT_RTTIME };
#define RLIM_NLIMITS 16
#define RLIM_INFINITY (~0ull)
#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2
#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1
#define PR_SET_PDEATHSIG 1 /* prctl */
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_GET_KEEPCAPS 7
#define PR_SET_KEEPCAPS 8
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_CAPBSET_READ 23
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37
#define PR_SET_NO_NEW_PRIVS 38
#define PR_GET_NO_NEW_PRIVS 39
#define READ_IMPLIES_EXEC 0x0400000 /* personality's flags (linux/personality.h) */
#define ADDR_NO_RANDOMIZE 0x0040000
#define UNAME26 0x0020000
#define PER_CLEAR_ON_SETID 0x0740000 /* READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE, ADDR_COMPAT_LAYOUT, MMAP_PAGE_ZERO */
#define ARCH_SET_FS 0x1002 /* arch_prctl (asm/prctl.h) */
#define ARCH_GET_FS 0x1003
#define ARCH_GET_CPUID 0x1011
#define ARCH_SET_CPUID 0x1012
#define USER_HZ 100 /* clock ticks, as times and /proc count CPU time */
#define __NEW_UTS_LEN 64 /* uname's names, sethostname (linux/utsname.h) */

/* ---- time: clocks and timers (linux/time.h, timerfd.h, eventfd.h) ---- */
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11
#define TIMER_ABSTIME 0x01
#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2
/* adjtimex and clock_adjtime (linux/timex.h): modes, status bits, states */
enum { ADJ_OFFSET = 0x0001, ADJ_FREQUENCY = 0x0002, ADJ_MAXERROR = 0x0004, ADJ_ESTERROR = 0x0008, ADJ_STATUS = 0x0010,
       ADJ_TIMECONST = 0x0020, ADJ_TAI = 0x0080, ADJ_SETOFFSET = 0x0100, ADJ_MICRO = 0x1000, ADJ_NANO = 0x2000,
       ADJ_TICK = 0x4000, ADJ_OFFSET_SINGLESHOT = 0x0001, ADJ_OFFSET_READONLY = 0x2000, ADJ_ADJTIME = 0x8000 };
enum { STA_UNSYNC = 0x0040, STA_CLOCKERR = 0x1000, STA_NANO = 0x2000, STA_RONLY = 0xff00, TIME_OK = 0, TIME_ERROR = 5 };
#include "uapi_mount.h" /* mount, umount2, swapon */
#include "uapi_files.h" /* newer open flags, preadv2's flags, memfd and seals, close_range, fadvise, pidfds */
#include "uapi_sched.h" /* scheduling policies, sched_attr, I/O priorities */
#include "uapi_ipc.h" /* inotify, poll, futex, System V IPC and POSIX message queues */

/* ---- sockets (linux/socket.h, asm-generic/socket.h, linux/net.h) ---- */
#define AF_UNIX 1
#define AF_MAX 46
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_SEQPACKET 5
#define SOCK_MAX 11 /* types below this exist */
#define SOCK_TYPE_MASK 0xf
#define SOL_SOCKET 1
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_ACCEPTCONN 30
#define SO_PROTOCOL 38
#define SO_DOMAIN 39
#define MSG_PEEK 0x2
#define MSG_CTRUNC 0x8
#define MSG_DONTWAIT 0x40
#define MSG_WAITALL 0x100
#define MSG_NOSIGNAL 0x4000
#define MSG_CMSG_CLOEXEC 0x40000000
#define SCM_RIGHTS 1
#define SCM_CREDENTIALS 2
#define SCM_MAX_FD 253 /* descriptors one message may carry (include/net/scm.h) */
#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2
#define SOMAXCONN 4096
#include "uapi_net.h" /* the internet sockets' constants */

/* ---- the auxiliary vector (linux/auxvec.h, asm/auxvec.h) ---- */
enum { AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8,
       AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16,
       AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31, AT_SYSINFO = 32 /* i386's */, AT_SYSINFO_EHDR = 33,
       AT_MINSIGSTKSZ = 51 };

/* ---- structs copied to or from processes ---- */

/* struct stat (asm/stat.h). */
struct linux_stat {
    uint64_t dev, ino, nlink;
    uint32_t mode, uid, gid, pad0;
    uint64_t rdev;
    int64_t size, blksize, blocks;
    int64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
    int64_t unused[3];
};
_Static_assert(sizeof(struct linux_stat) == 144, "struct stat on x86-64");

/* struct statfs (asm-generic/statfs.h). */
struct linux_statfs {
    int64_t type, bsize, blocks, bfree, bavail, files, ffree;
    int32_t fsid[2];
    int64_t namelen, frsize, flags, spare[4];
};
_Static_assert(sizeof(struct linux_statfs) == 120, "struct statfs");

/* The kernel's siginfo_t (asm-generic/siginfo.h): the fields the
 * personality fills. */
struct siginfo_k {
    int32_t signo, errno_, code, pad;
    union {
        struct { int32_t pid, uid, status; } child;
        struct { uint64_t addr; } fault;
        struct { int32_t pid, uid; } kill;
        /* SI_TIMER: tid is the timer's id; sys_private, Linux's own, is ptimer.c's too */
        struct { int32_t tid, overrun; uint64_t value; int32_t sys_private; } timer;
        struct { int64_t band; int32_t fd; } poll; /* SIGIO's from an O_ASYNC file (fasync.c) */
        char raw[112];
    };
};
_Static_assert(sizeof(struct siginfo_k) == 128, "siginfo_t");

/* struct clone_args (linux/sched.h), clone3's. */
struct clone_args_k {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};
_Static_assert(sizeof(struct clone_args_k) == CLONE_ARGS_SIZE_VER2, "struct clone_args");

/* struct iovec (linux/uio.h): a span of user memory. */
struct io_seg {
    uint64_t base, len;
};
_Static_assert(sizeof(struct io_seg) == 16, "struct iovec");

/* struct pollfd (asm-generic/poll.h). */
struct linux_pollfd {
    int32_t fd;
    int16_t events, revents;
};
_Static_assert(sizeof(struct linux_pollfd) == 8, "struct pollfd");

/* struct sigevent (asm-generic/siginfo.h), timer_create's: SIGEV_THREAD_ID's thread after the preamble. */
struct sigevent_k {
    uint64_t value;
    int32_t signo, notify, tid, pad[11];
};
_Static_assert(sizeof(struct sigevent_k) == 64, "struct sigevent");

/* struct itimerval (linux/time.h), two timevals. */
struct itimerval_k {
    int64_t interval_sec, interval_usec, value_sec, value_usec;
};
_Static_assert(sizeof(struct itimerval_k) == 32, "struct itimerval");

/* struct sockaddr_un (linux/un.h). */
struct sockaddr_k {
    uint16_t family;
    char path[108];
};
#define SOCKADDR_UN_MIN offsetof(struct sockaddr_k, path) /* the family alone */
_Static_assert(sizeof(struct sockaddr_k) == 110, "struct sockaddr_un");

/* struct msghdr and struct cmsghdr (linux/socket.h), 64-bit. */
struct msghdr_k {
    uint64_t name;
    uint32_t namelen, pad;
    uint64_t iov, iovlen, control, controllen;
    int32_t flags, pad2;
};
_Static_assert(sizeof(struct msghdr_k) == 56, "struct msghdr");
struct cmsghdr_k {
    uint64_t len;
    int32_t level, type;
};
_Static_assert(sizeof(struct cmsghdr_k) == 16, "struct cmsghdr");
#define CMSG_ALIGN(n) (((n) + 7) & ~(uint64_t)7)

/* The signal frame (asm/sigcontext.h, asm/ucontext.h, and the kernel's
 * struct rt_sigframe): what a handler finds on its stack. */
struct sigcontext {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2, fpstate, reserved[8];
};
struct ucontext_k {
    uint64_t flags, link;
    uint64_t ss_sp;
    int32_t ss_flags, pad;
    uint64_t ss_size;
    struct sigcontext mc;
    uint64_t sigmask;
};
struct rt_sigframe {
    uint64_t pretcode;
    struct ucontext_k uc;
    struct siginfo_k info;
};
_Static_assert(sizeof(struct sigcontext) == 256, "struct sigcontext");
_Static_assert(offsetof(struct rt_sigframe, info) == 312, "rt_sigframe: the siginfo after the ucontext");

/* stack_t (asm-generic/signal.h), sigaltstack's. */
struct stack_k {
    uint64_t sp;
    int32_t flags, pad;
    uint64_t size;
};
_Static_assert(sizeof(struct stack_k) == 24, "stack_t");

/* struct sysinfo (linux/sysinfo.h). */
struct sysinfo_k {
    int64_t uptime;
    uint64_t loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    uint16_t procs, pad;
    uint32_t pad2;
    uint64_t totalhigh, freehigh;
    uint32_t mem_unit;
    char reserved[4];
};
_Static_assert(sizeof(struct sysinfo_k) == 112, "struct sysinfo");
#define SI_LOAD_SHIFT 16

#include "uapi_tty.h" /* the terminal's: a file of its own, as uapi.h is long */

#endif
