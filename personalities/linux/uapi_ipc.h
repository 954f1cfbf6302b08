/*
 * personalities/linux/uapi_ipc.h - the Linux ABI of waiting on and
 * talking between processes: inotify, poll, futex, System V IPC and POSIX
 * message queues.  Part of uapi.h, which includes it (the same rules:
 * Linux's names and values, checked by scripts/check-uapi.py).
 *
 * Entry points: none; names only.  Layer: the bottom.  Book: docs/linux.md,
 * "Waiting" and "Inter-process communication".
 */
#ifndef LINUX_UAPI_IPC_H
#define LINUX_UAPI_IPC_H

/* ---- inotify (linux/inotify.h) ---- */
#define IN_ACCESS 0x00000001
#define IN_MODIFY 0x00000002
#define IN_ATTRIB 0x00000004
#define IN_CLOSE_WRITE 0x00000008
#define IN_CLOSE_NOWRITE 0x00000010
#define IN_OPEN 0x00000020
#define IN_MOVED_FROM 0x00000040
#define IN_MOVED_TO 0x00000080
#define IN_CREATE 0x00000100
#define IN_DELETE 0x00000200
#define IN_DELETE_SELF 0x00000400
#define IN_MOVE_SELF 0x00000800
#define IN_UNMOUNT 0x00002000
#define IN_Q_OVERFLOW 0x00004000
#define IN_IGNORED 0x00008000
#define IN_ONLYDIR 0x01000000
#define IN_DONT_FOLLOW 0x02000000
#define IN_EXCL_UNLINK 0x04000000
#define IN_MASK_CREATE 0x10000000
#define IN_MASK_ADD 0x20000000
#define IN_ISDIR 0x40000000
#define IN_ONESHOT 0x80000000u
#define IN_ALL_EVENTS 0x00000fff

/* ---- fanotify (linux/fanotify.h) ---- */
#define FAN_ACCESS 0x00000001
#define FAN_MODIFY 0x00000002
#define FAN_ATTRIB 0x00000004
#define FAN_CLOSE_WRITE 0x00000008
#define FAN_CLOSE_NOWRITE 0x00000010
#define FAN_OPEN 0x00000020
#define FAN_MOVED_FROM 0x00000040
#define FAN_MOVED_TO 0x00000080
#define FAN_CREATE 0x00000100
#define FAN_DELETE 0x00000200
#define FAN_DELETE_SELF 0x00000400
#define FAN_MOVE_SELF 0x00000800
#define FAN_OPEN_EXEC 0x00001000
#define FAN_Q_OVERFLOW 0x00004000
#define FAN_FS_ERROR 0x00008000
#define FAN_OPEN_PERM 0x00010000
#define FAN_ACCESS_PERM 0x00020000
#define FAN_OPEN_EXEC_PERM 0x00040000
#define FAN_EVENT_ON_CHILD 0x08000000
#define FAN_RENAME 0x10000000
#define FAN_ONDIR 0x40000000
#define FAN_CLOEXEC 0x00000001
#define FAN_NONBLOCK 0x00000002
#define FAN_CLASS_NOTIF 0x00000000
#define FAN_CLASS_CONTENT 0x00000004
#define FAN_CLASS_PRE_CONTENT 0x00000008
#define FAN_UNLIMITED_QUEUE 0x00000010
#define FAN_UNLIMITED_MARKS 0x00000020
#define FAN_ENABLE_AUDIT 0x00000040
#define FAN_REPORT_PIDFD 0x00000080
#define FAN_REPORT_TID 0x00000100
#define FAN_REPORT_FID 0x00000200
#define FAN_REPORT_DIR_FID 0x00000400
#define FAN_REPORT_NAME 0x00000800
#define FAN_REPORT_TARGET_FID 0x00001000
#define FAN_MARK_ADD 0x00000001
#define FAN_MARK_REMOVE 0x00000002
#define FAN_MARK_DONT_FOLLOW 0x00000004
#define FAN_MARK_ONLYDIR 0x00000008
#define FAN_MARK_MOUNT 0x00000010
#define FAN_MARK_IGNORED_MASK 0x00000020
#define FAN_MARK_IGNORED_SURV_MODIFY 0x00000040
#define FAN_MARK_FLUSH 0x00000080
#define FAN_MARK_FILESYSTEM 0x00000100
#define FAN_MARK_EVICTABLE 0x00000200
#define FAN_MARK_IGNORE 0x00000400
#define FAN_MARK_INODE 0x00000000
#define FANOTIFY_METADATA_VERSION 3
#define FAN_NOFD (-1)
#define FAN_NOPIDFD FAN_NOFD
#define FAN_EPIDFD (-2)
#define FAN_EVENT_INFO_TYPE_PIDFD 4
#define FAN_ALLOW 0x01
#define FAN_DENY 0x02
#define FAN_AUDIT 0x10

/* ---- poll (asm-generic/poll.h) ---- */
#define POLLIN 0x0001
#define POLLPRI 0x0002
#define POLLRDNORM 0x0040
#define POLLWRNORM 0x0100
#define POLLOUT 0x0004
#define POLLERR 0x0008
#define POLLHUP 0x0010
#define POLLNVAL 0x0020
#define POLLRDHUP 0x2000
#define EPOLLEXCLUSIVE (1u << 28) /* epoll_event.events: besides the POLL* bits */
#define EPOLLWAKEUP (1u << 29)
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3
/* x86-64's struct epoll_event is packed: 12 bytes. */
struct linux_epoll_event {
    uint32_t events;
    uint64_t data;
} __attribute__((packed));

/* ---- futex (linux/futex.h) ---- */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_LOCK_PI2 13
#define FUTEX_32 2 /* futex2's flags: the word's size (FUTEX2_SIZE_U32) */
#define FUTEX2_SIZE_MASK 0x3
#define FUTEX_WAITV_MAX 128
#define FUTEX_WAITERS 0x80000000u /* the word of a PI or robust futex */
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu
#define ROBUST_LIST_LIMIT 2048
#define FUTEX_OP_SET 0 /* FUTEX_WAKE_OP's operations and comparisons */
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_ANDN 3
#define FUTEX_OP_XOR 4
#define FUTEX_OP_OPARG_SHIFT 8
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_NE 1
#define FUTEX_OP_CMP_LT 2
#define FUTEX_OP_CMP_LE 3
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP_CMP_GE 5
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256

/* ---- System V IPC (linux/ipc.h, shm.h, msg.h, sem.h; the structs are in sysvipc.h) ---- */
enum { IPC_PRIVATE = 0, IPC_CREAT = 01000, IPC_EXCL = 02000, IPC_NOWAIT = 04000, IPC_RMID = 0, IPC_SET = 1,
       IPC_STAT = 2, IPC_INFO = 3, IPC_64 = 0x0100 };
#define SHMMAX 0xfffffffffeffffffull /* ULONG_MAX - (1UL << 24) */
#define SHMALL 0xfffffffffeffffffull
enum { SHMMIN = 1, SHMMNI = 4096, SHM_HUGETLB = 04000, SHM_NORESERVE = 010000, SHM_RDONLY = 010000,
       SHM_RND = 020000, SHM_REMAP = 040000, SHM_EXEC = 0100000, SHM_LOCK = 11, SHM_UNLOCK = 12, SHM_STAT = 13,
       SHM_INFO = 14, SHM_STAT_ANY = 15, SHM_DEST = 01000 /* shm_perm.mode: removed */, SHM_LOCKED = 02000 };
enum { MSG_STAT = 11, MSG_INFO = 12, MSG_STAT_ANY = 13, MSG_NOERROR = 010000, MSG_EXCEPT = 020000,
       MSG_COPY = 040000, MSGMNI = 32000, MSGMAX = 8192, MSGMNB = 16384, MSGSSZ = 16 };
/* POSIX message queues (linux/mqueue.h) and their notification (asm-generic/siginfo.h) */
enum { MQ_PRIO_MAX = 32768 }; /* SIGEV_*: with the signals */
enum { SEM_UNDO = 0x1000, GETPID = 11, GETVAL = 12, GETALL = 13, GETNCNT = 14, GETZCNT = 15, SETVAL = 16,
       SETALL = 17, SEM_STAT = 18, SEM_INFO = 19, SEM_STAT_ANY = 20, SEMMNI = 32000, SEMMSL = 32000,
       SEMMNS = 1024000000, SEMOPM = 500, SEMVMX = 32767, SEMUSZ = 20 };

#endif
