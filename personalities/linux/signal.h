/*
 * personalities/linux/signal.h - signals: a thread's signal state, and the
 * calls that send, hold and deliver signals.
 *
 * Entry points: signal_send, signal_send_thread, signal_group, signal_child_exited,
 * the pending signals' queues (sigqueue.c),
 * signal_exception, signal_force, signal_refused, signal_reset_handlers (signal.c); proc_reply_signals, the
 * slow half of proc_reply (proc.h), which runs handlers, stops, restarts
 * and interrupts (signal.c and sigframe.c); proc_stop, proc_continue and
 * pgrp_orphaned (job control, signal.c).  Callers: every subsystem that
 * ends a wait with a reply, the terminal, pipes (SIGPIPE), exit
 * (SIGCHLD), main.c (CPU exceptions).
 *
 * Layer: above file types and waits; below proc.h, which embeds struct
 * sigstate.  This header does not include proc.h.  Book: docs/linux.md,
 * "Signals" and "Job control".
 */
#ifndef LINUX_SIGNAL_H
#define LINUX_SIGNAL_H
#include "uapi.h"
#include <stdbool.h>
#include <stdint.h>

/* A call interrupted by a signal: restarted if the handler has SA_RESTART
 * (or there is no handler), else EINTR.  Never reaches the program. */
#define ERESTARTSYS 512
/* One that a handler ends with EINTR, SA_RESTART or not, and that is
 * restarted when no handler runs (Linux's ERESTARTNOHAND, and its
 * ERESTART_RESTARTBLOCK: poll, select, sleeps, sigsuspend, msgrcv). */
#define ERESTARTNOHAND 514
/* One restarted whatever happens, after a handler too (Linux's
 * ERESTARTNOINTR): a call fanotify's listener allowed (fanperm.c). */
#define ERESTARTNOINTR 513
/* proc_reply's result for a trap that is not a call (PICO_INTERRUPT): the
 * thread resumes with its registers as they were. */
#define RESUME_UNCHANGED INT64_MIN
/* SIGKILL and SIGSTOP, which no mask blocks. */
#define SIG_UNBLOCKABLE (SIGSET_BIT(SIGKILL) | SIGSET_BIT(SIGSTOP))

/*
 * Signals pending, as Linux keeps them twice: a thread's own (tkill,
 * tgkill, rt_tgsigqueueinfo, SIGPIPE, faults) and its process's, shared by
 * its threads (kill, sigqueue, timers, SIGCHLD, the terminal's), which any
 * thread that does not block one takes.  Real-time signals (32 and up)
 * queue: one sent while it is pending waits here, in order, and becomes
 * pending when the first is taken.
 */
struct sigqueue {
    uint64_t pending;
    struct siginfo_k info[LINUX_NSIG + 1]; /* a pending signal's siginfo */
    uint64_t charged;                      /* pending ones charged to uid[sig] (RLIMIT_SIGPENDING) */
    uint32_t uid[LINUX_NSIG + 1];
    struct rt_queued *queued;
    int nqueued;
};

/*
 * A thread's signal state (struct proc's sig).  mask, own, saved_mask and
 * the alternate stack are the thread's own; actions points at its
 * process's table (the leader's own_sigactions: threads share it,
 * CLONE_SIGHAND), shared at its process's pending signals (the leader's
 * own_shared).
 */
struct sigstate {
    uint64_t mask;
    struct sigqueue own;
    struct sigqueue *shared;
    uint64_t saved_mask;           /* sigsuspend, ppoll and pselect6: the mask to put back */
    bool saved;                    /* saved_mask holds one */
    uint64_t (*actions)[4];        /* [LINUX_NSIG + 1]: the kernel's struct sigaction, as handler, flags,
                                      restorer, mask */
    uint64_t ss_sp, ss_size;       /* sigaltstack: ss_size 0 when there is none */
    uint32_t ss_flags;             /* and its flags as last set (Linux's sas_ss_flags) */
    uint64_t trap_nr, trap_err, cr2; /* the last exception that sent a signal (Linux's thread.trap_nr,
                                        error_code, cr2): every frame's sigcontext shows them */
};

/* What is pending for a thread: its own and its process's. */
static inline uint64_t signal_pending(const struct sigstate *s) { return s->own.pending | s->shared->pending; }

/* The lowest unblocked pending signal, or 0. */
static inline int signal_deliverable(const struct sigstate *s)
{
    uint64_t ready = signal_pending(s) & ~s->mask;
    return ready ? __builtin_ctzll(ready) + 1 : 0;
}

/* The most a handler's frame takes of its stack (sigframe.c): the red
 * zone, the FPU state 64-aligned, the frame 16-aligned.  Programs learn it
 * as AT_MINSIGSTKSZ. */
#define SIGFRAME_SIZE (128 + 512 + 64 + sizeof(struct rt_sigframe) + 16)

#define SIG_RT_FIRST 32

/* Whether sp is on s's alternate stack (Linux's on_sig_stack: never with
 * SS_AUTODISARM, whose stack a handler has disarmed). */
static inline bool sig_on_altstack(const struct sigstate *s, uint64_t sp)
{
    return !(s->ss_flags & SS_AUTODISARM) && s->ss_size && sp - s->ss_sp < s->ss_size;
}

/* The alternate stack's state at sp, as sigaltstack reports it: SS_DISABLE,
 * SS_ONSTACK or 0 (sas_ss_flags), and SS_AUTODISARM if it was asked for. */
static inline uint32_t sig_altstack_state(const struct sigstate *s, uint64_t sp)
{
    return (!s->ss_size ? SS_DISABLE : sig_on_altstack(s, sp) ? SS_ONSTACK : 0) | (s->ss_flags & SS_AUTODISARM);
}

/* Once a frame has saved the alternate stack (its sp, ss_flags as set and
 * size: Linux's __save_altstack), one with SS_AUTODISARM is gone while the
 * handler runs (sas_ss_reset); its sigreturn sets it back. */
static inline void sig_altstack_disarm(struct sigstate *s)
{
    if (s->ss_flags & SS_AUTODISARM)
        s->ss_sp = s->ss_size = 0, s->ss_flags = SS_DISABLE;
}

struct proc;
/* ---- pending signals (sigqueue.c) ---- */
/* Frees what a queue holds, pending and queued, giving its charges back
 * (proc_free, exec). */
void signal_free_queue(struct sigqueue *q);
/* sig pending in q for p with si (a real-time one queued behind the one
 * pending; a standard one already pending keeps its siginfo, as Linux's
 * legacy_queue); si is charged to p's real user (RLIMIT_SIGPENDING, as
 * signal_send says).  0: newly pending; 1: behind or merged; -EAGAIN. */
int sigqueue_make_pending(struct proc *p, struct sigqueue *q, int sig, struct siginfo_k *si);
/* Drops sig from q, pending and queued; sigqueue_uncharge: the pending
 * signals in bits give their charges back (their bits are to be cleared). */
void sigqueue_drop(struct sigqueue *q, int sig);
void sigqueue_uncharge(struct sigqueue *q, uint64_t bits);
/* proc_reply's general case: a signal to deliver, a stop, an interrupt,
 * a restart. */
void proc_reply_signals(struct proc *p, uint64_t token, int64_t result);
/* A signal to p's process (kill's), which a thread that does not block it
 * takes; signal_send_thread's to thread p alone (tgkill's).  siginfo NULL:
 * SI_KERNEL's.  Each siginfo held is charged to p's real user, as Linux's
 * __sigqueue_alloc: past RLIMIT_SIGPENDING a real-time signal that does
 * not come from kill is -EAGAIN, not sent; another is sent without its
 * siginfo (SI_USER, no sender).  A timer's signal is not charged. */
int signal_send(struct proc *p, int sig, const void *siginfo);
int signal_send_thread(struct proc *p, int sig, const void *siginfo);
/* Sends sig to every process of a process group; how many there were. */
int signal_group(int pgid, int sig, const void *info);
void signal_child_exited(struct proc *parent, struct proc *child);
/* execve, and clone3's CLONE_CLEAR_SIGHAND: the handlers go back to the
 * default; an ignored signal stays ignored. */
void signal_reset_handlers(struct sigstate *s);
/* A CPU exception the memory map did not resolve: its signal and siginfo
 * as Linux's traps send them, by vector, error code and address (CR2 for
 * a page fault; sigbus: a page past a file's end).  The handler runs at
 * the faulting instruction, or the default action ends the process. */
void signal_exception(struct proc *p, uint64_t vector, uint64_t error, uint64_t addr, uint64_t rip, bool sigbus,
                      uint64_t token);
/* The same with a siginfo of the caller's (seccomp's SIGSYS): a signal
 * that is blocked, ignored or not handled ends the process. */
void signal_force(struct proc *p, const struct siginfo_k *info, uint64_t token);
/* A signal's default action ends p's process (with a core file, if the
 * signal dumps one and it may be written: coredump.c). */
void signal_die(struct proc *p, int sig, const struct siginfo_k *info);
/* Linux's force_sigsegv: a frame that does not fit or cannot be read back
 * (sigframe.c). */
void signal_force_segv(struct proc *p);
/* Frames for every further deliverable signal, on top of r's (sigframe.c);
 * -1 if one did not fit (the process ended). */
int signal_more_frames(struct proc *p, struct persona_regs *r);
/* The answer to a call whose thread's registers are set (a sigreturn's,
 * frames on them): it goes on with them, or, when a stop began (a
 * SIGSTOP among the signals taken), holds until SIGCONT. */
void signal_resume_set(struct proc *p, uint64_t token);
/* A handler's frame is set up: DF clear, its mask taken, SA_RESETHAND's
 * default back (sigframe.c). */
void signal_handler_entered(struct proc *p, int sig, struct persona_regs *r);
/* Sets p's alternate stack to sp, flags, size as Linux's do_sigaltstack does,
 * p's stack pointer at sp_now: 0, or -EPERM (on the stack now), -EINVAL or
 * -ENOMEM. sigaltstack calls it, and sigreturn with the frame's uc_stack
 * (sigframe.c). */
int sig_altstack_set(struct proc *p, uint64_t sp_now, uint64_t sp, uint32_t flags, uint64_t size);
/* An i386 program's frame for sig (i386sig.c): 0, or -1. */
int i386_setup_frame(struct proc *p, int sig, struct persona_regs *r, const struct siginfo_k *info);
/* Whether p blocks or ignores sig (a background read then fails with EIO
 * instead of stopping). */
bool signal_refused(struct proc *p, int sig);
/* The siginfo of timer id's signal sig, pending or queued on a thread of
 * process g, or NULL (ptimer.c counts overruns on it). */
struct siginfo_k *signal_timer_pending(struct proc *g, int sig, int id);
/* Takes p's next deliverable signal: default actions (ignore, stop,
 * terminate) happen here; returns a signal whose handler must run, with
 * its siginfo, or 0. */
int signal_take(struct proc *p, struct siginfo_k *info);
/* Takes the next signal of set pending for thread p, with its siginfo:
 * its own first, then its process's, the lowest number of each (faults'
 * first), as Linux's dequeue_signal: signalfd's read.  0 if there is none. */
int signal_dequeue(struct proc *p, uint64_t set, struct siginfo_k *info);
/* signalfds open (signalfd.c): a signal made pending rechecks the polls. */
extern int signalfds_live;
/* Makes thread p act on its signals: its wait is interrupted, or, in user
 * code, it traps (a thread in a trap acts at its reply). */
void signal_kick(struct proc *p);
/* Job control: a stop, and a continue that sends the replies held while
 * stopped. */
void proc_stop(struct proc *g, int sig);
void proc_continue(struct proc *g);
/* A process group none of whose members has a parent in another group of
 * the same session: nobody is left to continue it if it stops. */
bool pgrp_orphaned(int pgid);
/* The same were ignored gone (exit.c); whether a member of the group is stopped. */
bool pgrp_will_orphan(int pgid, const struct proc *ignored);
bool pgrp_has_stopped(int pgid);

#endif
