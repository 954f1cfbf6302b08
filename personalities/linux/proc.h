/*
 * personalities/linux/proc.h - processes and threads.  A Linux thread is a
 * struct proc; a process is its first thread (the leader) with the
 * threads clone(CLONE_THREAD) made, which share the leader's task, memory
 * map, descriptors and signal actions.
 *
 * Entry points: the table (proc_list, proc_by_pid, proc_by_*_badge,
 * the lists of threads, children and the rest, proc.c), proc_reply (below: every reply to a call), proc_exit and
 * proc_collect (exit.c), proc_cancel_wait (whatever a signal interrupts).
 * Callers: every subsystem that acts for a process.
 *
 * Every field is the server thread's (the tty reader thread touches
 * none).  A proc is freed only by proc_collect, between messages, so a
 * handler may keep using one that it reaped.  Layer: above the file
 * system, file types, mm, waits and signals, whose per-thread state it
 * embeds.  Book: docs/linux.md, "Programs and processes".
 */
#ifndef LINUX_PROC_H
#define LINUX_PROC_H
#include "file.h"
#include "hwbp.h"
#include "linux.h"
#include "mm.h"
#include "pipe.h"
#include "ptrace.h"
#include "keyring.h"
#include "landlock.h"
#include "ns.h"
#include "seccomp.h"
#include "signal.h"
#include "time.h"
#include "wait.h"
#include <stddef.h>

/* Job control of a process, on its leader: stopped by stop_sig; the
 * parent's wait has a stop or a continue to report. */
struct jobctl {
    bool stopped, stop_report, cont_report;
    int stop_sig;
};

/* A reply that completed while the thread's process was stopped: sent at
 * SIGCONT (proc_continue). */
struct parked_reply {
    bool held;
    uint64_t token;
    int64_t result;
};

/* vfork: the child runs in its parent's task and memory map until it
 * execs or exits; the parent's call (token) is answered then.  A
 * clone(CLONE_VM) process without CLONE_VFORK is shared too, with no
 * parent waiting for it (parent NULL). */
struct vfork_state {
    bool shared;
    struct proc *parent;
    uint64_t token;
};

/* A wait4 or waitid in progress (exit.c): the children it names (pid > 0
 * one, -1 any, -pgid a group) and where the status goes. */
struct reap_wait {
    bool waiting;
    uint64_t token;
    int pid;
    uint64_t status_ptr;
    int options;
    bool siginfo;         /* waitid: status_ptr is a siginfo_t */
    uint64_t rusage_ptr;  /* struct rusage of the child reported (0: none) */
};

/* Linux's task_io_accounting (procio.c): the bytes read and written by
 * the read and write calls, and the calls. */
struct io_account {
    uint64_t rchar, wchar, syscr, syscw;
};

/* CPU time in clock ticks, on the leader: what its ended threads used,
 * and what its reaped children (with theirs) used, for /proc and times. */
struct cpu_account {
    uint64_t gone_utime, gone_stime, child_utime, child_stime;
    /* getrusage's minor faults and voluntary switches (waits), the same way:
     * of ended threads, and of reaped children with theirs */
    uint64_t gone_minflt, gone_nvcsw, child_minflt, child_nvcsw;
    /* peaks of memory in bytes (ru_maxrss): of the images it left by exec
     * and, once it ended, of its last (Linux's signal->maxrss); the largest
     * of its reaped children's, with theirs (signal->cmaxrss) */
    uint64_t maxrss, child_maxrss;
    /* /proc/PID/io's counts of its ended threads and reaped children, with
     * theirs (Linux's signal->ioac) */
    struct io_account gone_io;
};

/* A SCHED_DEADLINE thread's parameters (ns) and its sched_flags
 * (SCHED_FLAG_RECLAIM, SCHED_FLAG_DL_OVERRUN), kept and reported. */
struct sched_dl {
    uint64_t runtime, deadline, period, flags;
};

/* What perf_event_open's software events count of a thread
 * (perfevent.c): its page faults (every one, and those that found or got
 * their page: all minor), and its context switches (the calls and faults
 * it waited in). */
struct task_counts {
    uint64_t faults, minflt, switches;
};

/* A proc's place on one of the lists that spare a walk of every proc
 * (proc_link_add and proc_link_del below, and their heads' owners say
 * who joins and leaves). */
struct proc_link {
    struct proc *next, **pprev;
};

/* What prctl keeps of a thread (copied to its children and new threads). */
struct prctl_state {
    uint64_t timer_slack, default_slack; /* PR_SET_TIMERSLACK's ns; what 0 restores (the parent's at fork) */
    bool mce_process, mce_early;         /* PR_MCE_KILL's policy (neither: the system's default) */
    bool tsc_sigsegv;                    /* PR_SET_TSC's: the thread's rdtsc faults (its kernel thread's THREAD_NOTSC) */
    bool io_flusher;                     /* PR_SET_IO_FLUSHER's */
    bool thp_disable;                    /* PR_SET_THP_DISABLE's, the process's (its leader's) */
};
struct proc {
    /* The thread's ids (cred.c), which fs.c checks permissions by; first,
     * so that fs_cred, set for every call, is the proc's own address. */
    struct cred cred;
    int pid, ppid, pgid, sid; /* pid is the thread id; a process's is its leader's */
    /* A thread made by clone(CLONE_THREAD) is a proc of its own whose
     * leader is the process's first.  NULL for the leader. */
    struct proc *leader;
    bool thread_gone;         /* the leader's own thread has exited; others run on */
    bool zombie;
    int status;               /* wait status once a zombie */
    int task;                 /* task handle */
    int thread;               /* handle of its thread */
    uint64_t task_badge, thread_badge;
    struct proc *badge_next;  /* proc.c's table of thread badges */
    struct proc *pid_next;    /* proc.c's table of pids */
    struct proc *task_next;   /* proc.c's table of task badges (proc_set_task_badge) */
    /* A leader's other threads (on thread_link), and its child processes,
     * the procs whose ppid is its pid (on child_link: proc_set_parent),
     * oldest first as Linux's list that wait walks: youngest is the last. */
    struct proc *threads, *children, *youngest;
    struct proc_link thread_link, child_link;
    /* The global lists (proc.c) of the traced, the vfork and CLONE_VM
     * children, the futex waiters and the processes using another's
     * signal actions: each joins when it becomes one and leaves when it
     * is freed; a tracee also when it is let go (ptrace.c), the others
     * when a walk finds it no longer one (exit.c, futex.c, share.c). */
    struct proc_link tracee_link, vfork_link, futex_link, sighand_link;
    /* What a process's threads share (CLONE_VM, CLONE_FILES,
     * CLONE_SIGHAND) points into the storage of the process that owns it. */
    struct mm *mm;
    struct fdtable *fds;
    /* Shared by the threads (CLONE_FS): proc_set_fs changes all, and
     * those of the processes with the same fs_share (clone(CLONE_FS)
     * without CLONE_THREAD; 0: none), on their leaders. */
    struct inode *cwd;
    int cwd_mnt; /* the id of the mount cwd was reached through (0: not known), which relative walks start in */
    int fs_share;
    /* The signal the parent gets when the process ends (clone's CSIGNAL,
     * on the leader): SIGCHLD, another, or 0; a child whose is not SIGCHLD
     * is a "clone" child, which wait finds with __WCLONE or __WALL. */
    int exit_signal;
    uint32_t umask;
    int nice;                 /* setpriority's value: shown, not scheduled by */
    int wait_nr;              /* the 64-bit call it last waited in (-1: an i386 one): /proc/PID/wchan's name */
    int policy, rt_priority;  /* sched_setscheduler's: the thread's kernel priority (sched.c) */
    int level;                /* the kernel priority its thread has (sched_apply) */
    int slice;                /* and its turn's length in ticks (0: the kernel's own) */
    struct sched_dl dl;       /* SCHED_DEADLINE's reservation (sched.c) */
    uint16_t ioprio;          /* ioprio_set's value, 0 until set (ioprio.c) */
    struct mpol mpol;         /* set_mempolicy's, inherited (mempolicy.c) */
    /* prctl's: the signal a thread gets when its parent ends; a
     * process's children's orphans come to it (the leader's); whether it
     * may dump core (the leader's); execve grants no privileges (keepcaps
     * is cred's securebits). */
    int pdeathsig;
    bool subreaper, undumpable, no_new_privs;
    struct prctl_state pr;        /* prctl's settings kept for programs to read back (prctl.c) */
    bool nproc_exceeded;          /* a set*uid took it to a user past RLIMIT_NPROC: execve checks again
                                     (Linux's PF_NPROC_EXCEEDED; rlimit.c) */
    bool forked_only;             /* made by fork and not exec'd since (acct's AFORK) */
    struct seccomp_state seccomp; /* its mode and filters (seccomp.c) */
    struct landlock_ruleset *landlock; /* its Landlock domain, the newest layer; NULL: none (landlock.c) */
    struct keyrings keys;         /* its keyrings (keys.c) */
    struct ns *ns[NS_SLOTS];      /* the thread's namespaces, NULL an initial one (ns.c) */
    struct cgroup *cgroup;        /* its control group (NULL: the root; cgroup.c) */
    bool frozen;                  /* its group is frozen: held as a stop holds it (cgroup.c) */
    int *nsnr;                    /* its numbers in the pid namespaces from ns[NS_PID] up, by level (0: pid;
                                     NULL in the initial one; pidns.c) */
    uint32_t personality;     /* personality(2)'s execution domain and flags: kept, shown, not acted on */
    /* /proc/PID's settings of a process (its leader's; procpidset.c),
     * inherited at fork and kept over execve: oom_score_adj (-1000..1000)
     * and the least one it may set back to without CAP_SYS_RESOURCE
     * (Linux's oom_score_adj_min), and coredump_filter's bits (0x33 at
     * first), which coredump.c's choice of mappings reads. */
    int16_t oom_score_adj, oom_score_adj_min;
    uint32_t coredump_filter;
    /* The audit login uid and session of the thread (/proc/PID/loginuid
     * and sessionid; AUDIT_UID_UNSET, -1, until set), inherited. */
    uint32_t loginuid, sessionid;
    uint64_t rlim[RLIM_NLIMITS][2]; /* soft, hard; a process's are its leader's */
    uint64_t clear_tid;       /* set_tid_address: zeroed, and a futex woken, when it ends */
    uint64_t robust_list;     /* set_robust_list: its held robust futexes, released when it ends (futex.c) */
    bool robust32;            /* the list is i386's (compat_robust_list): 4-byte pointers and offset */
    /* What the last execve gave it, for /proc. */
    struct relay_job *relay;  /* a relay for another personality's program (interop.c) */
    char comm[16];
    char exe[256];
    uint64_t start_ns;        /* when it was made, on the clock */
    uint64_t server_tsc;      /* this server's time on the thread's calls and faults (TSC counts): its system time */
    struct cpu_account cpu;
    struct task_counts counts; /* perf_event_open's software events (perfevent.c) */
    struct io_account io;      /* the thread's read and write calls (procio.c) */
    uint8_t io_call;           /* the kind of such a call that waits, counted at its reply (0: none) */
    struct jobctl job;
    struct parked_reply parked;
    struct vfork_state vfork;
    struct reap_wait reap;
    struct blocked_io block;  /* a read or write waiting on a pipe (pipe.c) */
    /* The call fanotify permission groups said yes to, done again: its
     * inode (not a reference; NULL: none), event and the last group's key
     * (fanperm.c). */
    struct {
        const void *ino;
        uint32_t mask;
        uint64_t key;
        const void *made; /* the file an open that waits created: done again, it creates it still */
    } fanperm;
    /* A blocking sendfile or splice into a stream socket that moved done
     * bytes and waits for room to move the rest (splice.c): the call runs
     * again with the same arguments (key) and goes on; a signal ends it
     * with done. */
    struct {
        uint64_t key[4], done;
    } move_carry;
    struct proc_wait wait;    /* poll, sleeps and the other waits (wait.c) */
    struct proc *poll_next, **poll_pprev; /* wait.c's list of the waits poll_recheck looks at */
    uint64_t dl_key;          /* its earliest deadline when last noted, its heap slot (1-based; 0: none), */
    uint32_t dl_slot, dl_round; /* (UINT32_MAX: being freed); the timer round that last fired it (deadline.c, wait.c) */
    struct itimer alarm;      /* ITIMER_REAL (alarm, setitimer) */
    /* The leader's: ITIMER_VIRTUAL and ITIMER_PROF, on the process's CPU
     * time (cputime.c), and the id its next POSIX timer gets (ptimer.c). */
    struct itimer cpu_itimer[2];
    int ptimer_next_id;
    struct sigstate sig;
    struct ptrace_state pt;   /* its tracer, and a ptrace stop (ptrace.c) */
    struct hwbp hwbp;         /* its hardware breakpoints (hwbp.c) */
    struct i386_bounce *bounce; /* an i386 call's bounce window, while its 64-bit handler runs or waits (i386.h) */
    struct proc *next;
    /* the storage behind mm, fds, sig.actions and sig.shared */
    struct mm own_mm;
    struct fdtable own_fds;
    uint64_t own_sigactions[LINUX_NSIG + 1][4];
    struct sigqueue own_shared;
};

/* Every thread's counts together, for CPU-wide events (main.c keeps both). */
extern struct task_counts counts_all;

static inline struct proc *proc_group(struct proc *p) { return p->leader ? p->leader : p; }
static inline int proc_tgid(struct proc *p) { return proc_group(p)->pid; }

/* The lists on a struct proc_link at offset off of struct proc (offsetof). */
#define PROC_LINK(p, off) ((struct proc_link *)((char *)(p) + (off)))
static inline void proc_link_add(struct proc **head, struct proc *p, size_t off)
{
    struct proc_link *l = PROC_LINK(p, off);
    if (l->pprev)
        return; /* on it already */
    l->next = *head;
    if (*head)
        PROC_LINK(*head, off)->pprev = &l->next;
    l->pprev = head;
    *head = p;
}

static inline void proc_link_del(struct proc *p, size_t off)
{
    struct proc_link *l = PROC_LINK(p, off);
    if (!l->pprev)
        return;
    *l->pprev = l->next;
    if (l->next)
        PROC_LINK(l->next, off)->pprev = l->pprev;
    l->next = NULL, l->pprev = NULL;
}
#define THREAD_LINK offsetof(struct proc, thread_link)
#define CHILD_LINK offsetof(struct proc, child_link)
#define TRACEE_LINK offsetof(struct proc, tracee_link)
#define VFORK_LINK offsetof(struct proc, vfork_link)
#define FUTEX_LINK offsetof(struct proc, futex_link)
#define SIGHAND_LINK offsetof(struct proc, sighand_link)
extern struct proc *proc_tracees, *proc_vforkers, *proc_futex_waiters, *proc_sighand_borrowers;

/* t: each thread of process g (a leader), g first, whether or not g's
 * own thread has ended (thread_gone).  Not for a walk that frees them. */
#define for_each_thread(t, g) for (struct proc *t = (g); t; t = t == (g) ? (g)->threads : t->thread_link.next)

/* The end of an i386 call that waited: what it wrote translated (i386.c);
 * its result. */
int64_t i386_finish(struct proc *p, int64_t result);

/*
 * Every reply to a system call goes through here: the result, unless a
 * signal is to be delivered, the process is stopped or traced, or the
 * call is to be restarted or was no call (proc_reply_signals, signal.c).
 */
/* /proc/PID/io (procio.c): what call nr counts as (a read, a write, both;
 * 0: nothing), and its counting with its result r; a's counts added to to. */
#define IO_KINDS_NR 512
extern const uint8_t io_kinds[2][IO_KINDS_NR];
static inline uint8_t io_kind(uint64_t nr, bool i386) { return nr < IO_KINDS_NR ? io_kinds[i386][nr] : 0; }
void proc_io_done(struct proc *p, uint8_t kind, int64_t r);
void io_add(struct io_account *to, const struct io_account *from);

static inline void proc_reply(struct proc *p, uint64_t token, int64_t result)
{
    if (__builtin_expect(p->io_call != 0, 0)) /* a read or write that waited: counted now */
        proc_io_done(p, p->io_call, result);
    if (p->bounce) /* an i386 call that waited: its structures translated back (i386.c) */
        result = i386_finish(p, result);
    if (result > -ERESTARTSYS && !p->zombie && !signal_deliverable(&p->sig) && /* RESUME_UNCHANGED is below */
        !proc_group(p)->job.stopped && !p->frozen && !p->pt.tracer) /* the common case, proc_reply_signals' last: the result, and go on */
        linux_answer(token, PICO_RESUME, (uint64_t)result);
    else
        proc_reply_signals(p, token, result);
}

/* The open file behind descriptor fd of p, or NULL (fd taken whole: a
 * number past the table is no descriptor), O_PATH descriptors included:
 * Linux's fdget_raw, for the calls that take them (close, dup, fcntl's
 * few, fstat, fstatfs, fchdir, a directory or AT_EMPTY_PATH). */
static inline struct file *fd_file_raw(struct proc *p, uint64_t fd)
{
    return fd < (uint64_t)p->fds->size ? p->fds->fd[fd] : NULL;
}

/* The same for every other call: an O_PATH descriptor names a file and
 * opens nothing, so it is NULL (EBADF), as Linux's fdget.  Inline: every
 * file call starts here. */
static inline struct file *fd_file(struct proc *p, uint64_t fd)
{
    struct file *f = fd_file_raw(p, fd);
    return f && !(f->flags & O_PATH) ? f : NULL;
}

/* ---- the table (proc.c) ---- */
/* Every proc, newest first: proc.c links and unlinks them (proc_alloc,
 * proc_free); everyone else only walks the list. */
extern struct proc *proc_head;
extern int proc_count; /* how many are on it (threads each, zombies until reaped) */
static inline struct proc *proc_list(void) { return proc_head; }
struct proc *proc_by_pid(int pid);
struct proc *proc_by_task_badge(uint64_t badge);
/* p's process runs in a new task, with this badge (fork, exec). */
void proc_set_task_badge(struct proc *p, uint64_t badge);
/* Process c's parent is now the one with pid ppid (on its children list). */
void proc_set_parent(struct proc *c, int ppid);
/* A thread t of process g, on g's list of threads. */
void proc_add_thread(struct proc *g, struct proc *t);
/* Wakes the threads of process tgid waiting in wait4 or waitid. */
void proc_wake_waiters(int tgid);
/* Processes by their thread's badge, for the lookup at every trap: a hash
 * of the badges, which proc_new_badge hands out in order (a fork takes
 * two, so only every other bucket may be used: 4,096 of them keep a chain
 * short with a thousand processes).  Inline: it is on every call's path. */
#define BADGE_BUCKETS 4096
extern struct proc *by_thread_badge[BADGE_BUCKETS];
static inline struct proc *proc_by_thread_badge(uint64_t badge)
{
    for (struct proc *p = by_thread_badge[badge % BADGE_BUCKETS]; p; p = p->badge_next)
        if (p->thread_badge == badge)
            return p->zombie ? NULL : p;
    return NULL;
}
uint64_t proc_new_badge(void);
/* A new proc on the list, with its own (empty) memory map and tables. */
struct proc *proc_alloc(void);
/* The same with pid want (0: the next), which proc_pid_wanted has checked. */
struct proc *proc_alloc_pid(int want);
/* 0 if the caller with cred may have its child take pid (clone3's set_tid), or Linux's error. */
int proc_pid_wanted(const struct cred *cred, int pid);
/* p runs on a new thread, with this badge. */
void proc_set_thread_badge(struct proc *p, uint64_t badge);
/* Takes a reaped process off the list; proc_collect frees it. */
void proc_free(struct proc *dead);
/* Frees processes reaped since the last call (never during a handler),
 * then sweeps the file system; there is work only when fs_sweep_wanted
 * is set, which every reaping sets. */
void proc_collect(void);
/* Whether a live process runs the program in ino: then it cannot be
 * opened for writing or truncated (ETXTBSY), as on Linux. */
bool proc_running_file(const struct inode *ino);
int proc_live_threads(struct proc *g); /* g's threads not yet ended */
/* A new working directory and umask for p and every thread of its process:
 * threads share them (CLONE_FS), as pthreads expect. */
void proc_set_fs(struct proc *p, struct inode *cwd, int cwd_mnt, uint32_t umask);
/* Takes p off whatever it waits on; true and its reply token if it waited. */
bool proc_cancel_wait(struct proc *p, uint64_t *token);
/* A process's user and system time, in clock ticks (1/100 s). */
void proc_cpu_times(struct proc *g, uint64_t *user, uint64_t *sys);
/* The thread whose call or fault this server is handling, charged with
 * the time it takes (main.c); NULL once it is freed. */
extern struct proc *proc_charged;
/* One thread's CPU time, in clock ticks: user mode, and its system time,
 * which is the kernel's time on it and this server's on its calls. */
void proc_thread_cpu_times(struct proc *t, uint64_t *user, uint64_t *sys);
/* The same in ns: the kernel's ticks (whole ticks: it samples which
 * thread runs at each) and this server's time on the thread's calls. */
void proc_thread_cpu_ns(struct proc *t, uint64_t *user, uint64_t *sys);
/* struct rusage (two timevals, then 14 longs) as getrusage(g,
 * RUSAGE_BOTH) fills it for a wait that reports g: its CPU times, counts
 * and peak of memory, and its waited-for children's; Linux's other
 * fields are 0 here. */
#define RUSAGE_WORDS 18
void proc_rusage_both(struct proc *g, uint64_t ru[RUSAGE_WORDS]);
/* The peak of p's memory now stays its process's, for ru_maxrss: at exec
 * (the old image's) and at exit. */
void proc_keep_peak(struct proc *p);
#define MAX(a, b) ((a) > (b) ? (a) : (b))
/* The kernel's CPU ticks as clock ticks (USER_HZ). */
static inline uint64_t proc_user_hz(uint64_t ticks, uint64_t hz)
{
    return hz && hz != USER_HZ ? ticks * USER_HZ / hz : ticks;
}

/* ---- creation, exec, exit (fork.c, exec.c, exit.c) ---- */
/* A vfork child has exec'd or exited: its parent's vfork returns. */
void vfork_release(struct proc *child);
/* Ends a process with a wait status; wakes a waiting parent. */
void proc_exit(struct proc *p, int status);
/* Process accounting's record of process g, ending with status (acct.c). */
void acct_exit(struct proc *g, int status);
/* A file system is unmounted: accounting to a file on it stops. */
void acct_umount(const struct fs *fs);
/* Whether sig's default action dumps core; a core file of thread t's
 * process, ended by sig, when one may be written (coredump.c). */
struct siginfo_k;
bool core_signal(int sig);
bool core_dump(struct proc *t, int sig, const struct siginfo_k *info);
/* As Linux's OOM killer: SIGKILL, with a line on the console. */
void proc_oom_kill(struct proc *p);
/* Ends the calling thread of c, one of its process's live threads (exit's,
 * and seccomp's for a thread it kills). */
void thread_exit(struct sys_ctx *c);
/* Ends thread th of its process without a reply; it leaves the list. */
void thread_drop(struct proc *th);
/* Ends the threads of process g other than its leader's own and keep. */
void drop_threads(struct proc *g, struct proc *keep);
/* Reaps: replies to a parent blocked in wait4 if a child is ready. */
void proc_wake_waiter(struct proc *parent);

/* ---- sharing between processes (share.c) ---- */
/* Linux's checks of clone's flags: 0 or -errno. */
int clone_check(struct proc *p, uint64_t flags);
/* p's process's descriptor table, made shareable, with one more user;
 * NULL when memory is short. */
struct fdtable *files_share(struct proc *p);
/* Process g ends: its descriptors close, unless another process shares them. */
void files_exit(struct proc *g);
/* A table of p's process's own, a copy of the one it shares: 0 or -ENOMEM. */
int files_unshare(struct proc *p);
/* Before execve's point of no return: the copy of the slots that the
 * close-on-exec pass will need, if any (a table shared copy-on-write with
 * a close-on-exec descriptor): 0 or -ENOMEM, p's table unchanged. */
int files_exec_prepare(struct proc *p);
/* execve: p's close-on-exec descriptors close (its record locks on their
 * files go with them). */
void files_close_on_exec(struct proc *p);
/* Process g ends, or p's process execs: the signal actions it shares
 * stay with the others. */
void sighand_exit(struct proc *g);
void sighand_unshare(struct proc *p);
/* The fs_share of p's process, made if it had none. */
int fs_share_new(struct proc *p);
/* Whether processes a and b share their working directory (CLONE_FS). */
static inline bool proc_fs_shared(struct proc *a, struct proc *b)
{
    a = proc_group(a), b = proc_group(b);
    return a == b || (a->fs_share && a->fs_share == b->fs_share);
}

/* Whether p may look into t as ptrace's *_REALCREDS modes allow (pidfd.c). */
bool proc_may_ptrace(const struct proc *p, struct proc *t);

/* ---- limits (rlimit.c) ---- */
/* Linux's defaults, soft and hard, for process 1. */
void rlimits_default(uint64_t rlim[RLIM_NLIMITS][2]);
/* What each real user holds, as Linux's ucounts: ucount_charge adds n to
 * uid's count of kind if that stays within limit (true), else changes
 * nothing (false); ucount_uncharge gives n back; ucount_get: the count
 * (/proc/<pid>/status's SigQ). */
enum { UCOUNT_SIGPENDING, UCOUNT_MSGQUEUE, UCOUNT_UNIX_INFLIGHT, UCOUNT_PIPE_BUFS, UCOUNT_KINDS };
bool ucount_charge(uint32_t uid, int kind, uint64_t n, uint64_t limit);
void ucount_uncharge(uint32_t uid, int kind, uint64_t n);
uint64_t ucount_get(uint32_t uid, int kind);
/* RLIMIT_FSIZE, for a regular file's data written or grown by p (NULL:
 * the server's own work, unlimited).  fsize_write_ok is Linux's
 * generic_write_check_limits: a write of *n bytes at pos, at or past the
 * soft limit, sends p SIGXFSZ and is -EFBIG (even of 0 bytes: write's
 * callers skip those); one that crosses it is shortened to end there.  fsize_grow_ok is inode_newsize_ok: a file of
 * size growing to end past the limit, SIGXFSZ and -EFBIG. */
int fsize_write_ok(struct proc *p, uint64_t pos, uint64_t *n);
int fsize_grow_ok(struct proc *p, uint64_t size, uint64_t end);
/* Set while an io_uring request runs (iouringop.c): Linux runs it in an
 * io worker thread, which blocks every signal, so SIGXFSZ is lost there
 * (EFBIG stays). */
extern bool fsize_io_worker;
/* RLIMIT_NPROC, counted in tasks (threads) of a real uid: whether p may
 * make one more (fork, vfork, clone; EAGAIN if not: if so, the new task
 * takes p's nproc_exceeded mark, and p's goes); after p's real uid
 * changed from old_uid, whether it is past the limit (nproc_exceeded);
 * and execve's check of that mark, 0 or -EAGAIN. */
bool nproc_allows(struct proc *p);
void nproc_setuid(struct proc *p, uint32_t old_uid);
int nproc_exec(struct proc *p);

/* Kernel priorities (the server itself runs at init's 120): an ordinary
 * Linux thread's, and the server's own helper threads' (above every
 * program's, real-time ones too). */
#define PRIO_PROGRAM 10
#define PRIO_HELPER 111
/* The kernel priority t's policy gives (sched.c), and t's thread set to it. */
int sched_level(const struct proc *t);
void sched_apply(struct proc *t);

#endif
