/*
 * personalities/linux/sysvipc.h - System V IPC: what shared memory
 * (sysvshm.c), message queues (sysvmsg.c) and semaphores (sysvsem.c)
 * share (sysvipc.c): the tables of ids, keys, permissions, the waits of
 * msgsnd, msgrcv and semop (and of the POSIX queues' calls, mqueue.c),
 * the structs they copy, and the hooks the rest of the server calls.
 *
 * Entry points: sysv_exit (exit: semaphore undos, segments detached),
 * sysv_collect (proc_collect: removed segments whose last attachment went
 * with a munmap, an exec or an exit), shm_name, shm_proc_text,
 * msg_proc_text and sem_proc_text (procfs: /proc/<pid>/maps,
 * /proc/sysvipc).
 *
 * Layer: above proc.h (it looks at processes' memory maps and waits);
 * nothing below includes it.  Book: docs/linux.md, "Inter-process
 * communication".
 */
#ifndef LINUX_SYSVIPC_H
#define LINUX_SYSVIPC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct proc;
struct sys_ctx;

/* ---- the structs copied to and from processes, Linux's (the constants are in uapi.h) ---- */
/* struct ipc64_perm (asm-generic/ipcbuf.h): an IPC object's owner and mode. */
struct ipc64_perm_k {
    int32_t key;
    uint32_t uid, gid, cuid, cgid, mode;
    uint16_t seq, pad;
    uint64_t unused[2];
};
_Static_assert(sizeof(struct ipc64_perm_k) == 48, "struct ipc64_perm");

/* struct shmid64_ds (asm-generic/shmbuf.h). */
struct shmid64_ds_k {
    struct ipc64_perm_k perm;
    uint64_t segsz;
    int64_t atime, dtime, ctime;
    int32_t cpid, lpid;
    uint64_t nattch, unused[2];
};
_Static_assert(sizeof(struct shmid64_ds_k) == 112, "struct shmid64_ds");

/* struct shminfo64 and struct shm_info (linux/shm.h, asm-generic/shmbuf.h). */
struct shminfo64_k {
    uint64_t shmmax, shmmin, shmmni, shmseg, shmall, unused[4];
};
struct shm_info_k {
    int32_t used_ids, pad;
    uint64_t shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes;
};

/* struct msqid64_ds (asm-generic/msgbuf.h) and struct msginfo (linux/msg.h). */
struct msqid64_ds_k {
    struct ipc64_perm_k perm;
    int64_t stime, rtime, ctime;
    uint64_t cbytes, qnum, qbytes;
    int32_t lspid, lrpid;
    uint64_t unused[2];
};
_Static_assert(sizeof(struct msqid64_ds_k) == 120, "struct msqid64_ds");
struct msginfo_k {
    int32_t msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
    uint16_t msgseg, pad;
};

/* struct semid64_ds (asm/sembuf.h), struct seminfo and struct sembuf (linux/sem.h). */
struct semid64_ds_k {
    struct ipc64_perm_k perm;
    int64_t otime;
    uint64_t unused1;
    int64_t ctime;
    uint64_t unused2, nsems, unused[2];
};
_Static_assert(sizeof(struct semid64_ds_k) == 104, "struct semid64_ds");
struct seminfo_k {
    int32_t semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem;
};
struct sembuf_k {
    uint16_t num;
    int16_t op, flg;
};


/* An object's identity and permissions, first in a segment, a queue and a
 * set, as Linux's struct kern_ipc_perm. */
struct ipc_obj {
    int32_t key;           /* IPC_PRIVATE once a segment is removed */
    uint32_t uid, gid, cuid, cgid, mode; /* mode: the 9 permission bits, and SHM_DEST, SHM_LOCKED */
    int id;                /* seq * IPC_MNI + its index in the table */
    uint16_t seq;
    int64_t ctime;         /* seconds: made, or last changed by IPC_SET */
};

/* A table of one kind of object: ids are indexes in it with a sequence
 * number, taken cyclically as Linux's ipc_idr_alloc does. */
#define IPC_MNI 32768
#define IPC_MIN_CYCLE 64     /* ipc_min_cycle, RADIX_TREE_MAP_SIZE: the fewest indexes the cycle runs over */
#define IPC_SEQ_MAX (0x7fffffff / IPC_MNI) /* ipcid_seq_max(): 65535 */
struct ipc_ids {
    struct ipc_obj **slot;
    int cap, in_use;
    const int *limit; /* the sysctl that caps in_use */
    int *next_id;     /* the sysctl *_next_id: the id the next object asks for, -1 none */
    uint16_t seq;     /* the sequence number of new ids: one more each time the indexes wrap */
    int cursor;       /* where the next cyclic search for a free index starts (the idr's idr_next) */
    int last_idx;     /* the index the last id took (-1: none yet) */
};

/* An IPC namespace (ns.c makes them): its objects' tables and totals,
 * and its settings, /proc/sys/kernel's and /proc/sys/fs/mqueue's (the
 * sysctl_* names of sysctl.h are ipc_cur's), and its POSIX queues' count
 * (mqueue.c: each queue names its namespace). */
struct ipc_ns {
    struct ipc_ids msg_ids, sem_ids, shm_ids;
    uint64_t shm_tot;  /* pages of every segment, against shmall */
    int64_t used_sems; /* semaphores of every set, against semmns */
    unsigned long shmmax, shmall;
    int shmmni, shm_rmid_forced, msgmax, msgmnb, msgmni, sem[4], msg_next_id, sem_next_id, shm_next_id;
    int mq_msg_default, mq_msg_max, mq_msgsize_default, mq_msgsize_max, mq_queues_max;
    int mq_count;      /* its queues, named or still open */
};
/* The initial namespace, and the one the call at hand is in (main.c sets
 * it for each call; the exit hooks for the process that ends). */
extern struct ipc_ns ipc_initial, *ipc_cur;
/* A new namespace's tables and settings, Linux's defaults; NULL when
 * memory is short. */
struct ipc_ns *ipc_ns_new(void);
/* Its last process is gone: every object of it goes (shared memory
 * still attached lives on unnamed until its last detach), then n. */
void ipc_ns_free(struct ipc_ns *n);
void msg_ns_free(void);
void sem_ns_free(void);
void shm_ns_free(void);
void mq_ns_free(struct ipc_ns *n);

/* key, flags and argument of a get call to a new object; 0 and its id, or -errno. */
typedef int64_t (*ipc_new_fn)(struct sys_ctx *c, int32_t key, int flg, int64_t arg);
/* An existing object found by key: 0, or -errno (a size or count past its own). */
typedef int (*ipc_check_fn)(struct ipc_obj *o, int64_t arg);
/* shmget's, msgget's and semget's common part, Linux's ipcget. */
int64_t ipc_get(struct sys_ctx *c, struct ipc_ids *ids, int32_t key, int flg, int64_t arg, ipc_new_fn make,
                ipc_check_fn check);
/* Fills o's owner (the caller's effective ids), key and mode, puts it in
 * ids: its id, or -ENOSPC.  The index is Linux's ipc_idr_alloc's: the
 * next free one after the last taken, cyclic below max(in_use * 3 / 2,
 * 64), the sequence number one more when the search has wrapped; or, a
 * *_next_id that is set taken (and put back to -1), its sequence number
 * and the first free index from its own up. */
int ipc_add(struct sys_ctx *c, struct ipc_ids *ids, struct ipc_obj *o, int32_t key, int flg);
void ipc_remove(struct ipc_ids *ids, struct ipc_obj *o);
/* The object of id, or NULL (EINVAL); by index for the *_STAT commands
 * (an id's index part: an id finds its object there too, as on Linux). */
struct ipc_obj *ipc_find(struct ipc_ids *ids, int id);
struct ipc_obj *ipc_at(struct ipc_ids *ids, int index);
/* The highest index in use, -1 when none. */
int ipc_max_index(const struct ipc_ids *ids);
/* Whether the caller may not do what flag's permission bits (S_IRUGO,
 * S_IWUGO) ask, Linux's ipcperms: owner, creator, group, CAP_IPC_OWNER
 * (in the user namespace owning the caller's IPC namespace). */
bool ipc_denied(struct sys_ctx *c, const struct ipc_obj *o, int flag);
/* IPC_SET and IPC_RMID: the owner, the creator, or CAP_SYS_ADMIN (in the
 * user namespace owning the IPC namespace); 0 or -EPERM. */
int ipc_may_change(struct sys_ctx *c, const struct ipc_obj *o);
void ipc_perm_out(const struct ipc_obj *o, struct ipc64_perm_k *out);
/* IPC_SET: owner, group and permission bits. */
void ipc_perm_set(struct ipc_obj *o, const struct ipc64_perm_k *in);
int64_t ipc_now(void);

/* A process waiting in msgsnd, msgrcv or semop: wait.kind WAIT_SYSV,
 * wait.fds a malloc'd record that starts with this (freed by wait.c as
 * the wait ends); the waiters on an object are found in the process
 * table, oldest first. */
struct ipc_waiter {
    void *obj;
    uint64_t order;
    int what; /* the owner's kind of wait; 0 for semop (signal.c: EINTR even after a stop) */
};
/* p waits with the record w (which becomes its), deadline 0 or clock_ns;
 * kind WAIT_SYSV, or WAIT_MQUEUE (POSIX queues: ETIMEDOUT, restarted). */
void ipc_wait(struct sys_ctx *c, struct ipc_waiter *w, uint64_t deadline, int kind);
/* The oldest waiter on obj whose record's order is past after, or NULL. */
struct proc *ipc_waiter_after(void *obj, uint64_t after);
/* p's record if it waits in System V IPC or on a POSIX queue, else NULL. */
struct ipc_waiter *ipc_waiting(struct proc *p);
/* What an attempt answers when the call must go on waiting (a result is
 * a count, or -errno). */
#define IPC_BLOCKED INT64_MIN
/* obj changed: its waiters, oldest first, try again (attempt: a result,
 * which ends the wait, or IPC_BLOCKED), until none can go on. */
void ipc_retry(void *obj, int64_t (*attempt)(void *obj, struct proc *p, struct ipc_waiter *w));
/* Ends every wait on obj with err (-EIDRM: it was removed). */
void ipc_wake_all(void *obj, int64_t err);

/* Hooks: a process ends, its memory map still there (its semaphore
 * adjustments are applied, its segments see it detach); memory maps
 * went, maybe the last attachment of a removed segment. */
void sysv_exit(struct proc *p);
void shm_exiting(struct proc *p);
void sysv_collect(void);
void shm_collect(void);
void sem_exit(struct proc *p);
/* p leaves its SEM_UNDO list (unshare's CLONE_SYSVSEM, which a new IPC
 * namespace implies, and setns into an IPC namespace): its adjustments
 * are applied now, as Linux's exit_sem, if no other thread shares it. */
void sem_unshare(struct proc *p);
/* Whether process tgid holds SEM_UNDO adjustments (kcmp's KCMP_SYSVSEM). */
bool sem_has_undo(int tgid);
/* The name /proc/<pid>/maps gives a segment's inode, as Linux's: false if ino is none. */
struct inode;
bool shm_name(const struct inode *ino, char *buf, size_t size);
/* The text of /proc/sysvipc/<name> ("shm", "msg", "sem") into buf. */
size_t shm_proc_text(char *buf, size_t size);
size_t msg_proc_text(char *buf, size_t size);
size_t sem_proc_text(char *buf, size_t size);

#endif
