/*
 * personalities/linux/ptrace.h - ptrace(2): a thread's tracing state
 * (struct proc's pt) and the hooks by which the rest of the server stops
 * a traced thread and tells its tracer.
 *
 * A traced thread stops where the server holds its reply: at a call's
 * entry (before the handler runs) and exit, before a signal is acted on,
 * at the events the tracer asked for (fork, exec, exit), and in a group
 * stop.  While stopped its reply token, its result and a copy of its
 * registers wait here; the tracer reads and changes the copy, and the
 * resume applies it.
 *
 * Entry points: ptrace_entry (main.c, every call of a traced thread),
 * ptrace_reply (proc_reply's slow half, before signals), ptrace_child
 * (fork.c), ptrace_exec (exec.c), ptrace_exit (exit.c: a tracee's
 * PTRACE_EVENT_EXIT), ptrace_tracer_gone (exit.c), ptrace_wait_status
 * (exit.c's wait).  Layer: proc, beside signals.  Book: docs/linux.md,
 * "ptrace".
 */
#ifndef LINUX_PTRACE_H
#define LINUX_PTRACE_H
#include "uapi.h"
#include "uapi_ptrace.h"
#include <persona/abi.h>
#include <stdbool.h>
#include <stdint.h>

/* What a stopped tracee stopped at. */
enum { PT_SIGNAL = 1, PT_ENTRY, PT_EXIT, PT_EVENT, PT_GROUP };

struct ptrace_state {
    int tracer;             /* the tracer's process id; 0: not traced */
    uint32_t options;       /* PTRACE_O_* */
    bool seized;            /* PTRACE_SEIZE's: group stops are PTRACE_EVENT_STOP */
    bool syscalls;          /* resumed by PTRACE_SYSCALL: stops at calls' entries and exits */
    bool in_call;           /* between a call's entry and its reply */
    bool interrupt;         /* PTRACE_INTERRUPT's stop to come */
    bool stopped;           /* in a ptrace stop: token held */
    bool report;            /* the stop not yet reported to a wait */
    bool dirty;             /* the tracer changed regs */
    bool vfork_held;        /* stopped at PTRACE_EVENT_VFORK: the call's reply waits for the child */
    bool stepping;          /* resumed by PTRACE_SINGLESTEP: the trap flag is set */
    bool regs_reply;        /* the call's reply is the registers it set (execve, rt_sigreturn) */
    bool call32;            /* the call is an i386 one (int 0x80): its arguments ebx ... ebp, the i386 table */
    uint8_t kind;           /* PT_* */
    int event;              /* an event stop to come (PTRACE_EVENT_*), or 0 */
    int pass;               /* a signal the tracer let through: acted on without another stop */
    bool exiting;           /* stopped at PTRACE_EVENT_EXIT: the exit follows the resume */
    int exit_status;
    int status;             /* the stop's wait status */
    uint64_t token;         /* the held reply */
    int64_t result;
    uint64_t msg;           /* PTRACE_GETEVENTMSG's */
    uint64_t orig_rax;      /* the call's number, -1 outside a call */
    struct persona_regs regs;
    struct siginfo_k info;  /* a signal stop's */
    struct pico_trap trap;  /* a call's trap record, for the handler once the entry stop ends */
};

struct proc;
/* A traced thread's call arrives: true if it stopped at the entry (the
 * call runs when the tracer resumes it). */
bool ptrace_entry(struct proc *p, uint64_t token, const struct pico_trap *trap, const uint64_t *w);
/* A traced thread's reply (a result, or RESUME_UNCHANGED): true if it
 * stopped instead (an event, a call's exit, a signal, a group stop). */
bool ptrace_reply(struct proc *p, uint64_t token, int64_t result);
/* A CPU exception of a traced thread: its signal (si) is forced pending,
 * and the tracer sees it at a signal stop. */
void ptrace_exception(struct proc *p, int sig, struct siginfo_k *si, uint64_t token);
/* A traced thread's call that set every register (rt_sigreturn) ends:
 * its exit stop, if one is due, then the registers as they are. */
void ptrace_regs_reply(struct proc *p, uint64_t token);
/* Child ch of p was made with clone's flags: traced too if p's tracer
 * asked (PTRACE_O_TRACEFORK...), and p stops at the event. */
void ptrace_child(struct proc *p, struct proc *ch, uint64_t flags, int exit_signal);
/* Process p exec'd (its new thread not yet started; old_tid the caller's id). */
void ptrace_exec(struct proc *p, int old_tid);
/* p's exit_group with this wait status: true if it stops first
 * (PTRACE_O_TRACEEXIT); the exit happens when the tracer resumes it. */
bool ptrace_exit(struct proc *p, uint64_t token, int status);
/* Process g ends: its tracees are let go, or killed (PTRACE_O_EXITKILL). */
void ptrace_tracer_gone(struct proc *g);
/* Whether thread t is traced by process g. */
bool ptrace_traced_by(const struct proc *t, const struct proc *g);

/* The call the entry stop held runs now (main.c), with these arguments. */
void linux_run_call(struct proc *p, uint64_t token, const struct pico_trap *trap, uint64_t nr, uint64_t *args);
/* The same for an i386 call (main.c): the i386 table, args its registers. */
void linux_run_call32(struct proc *p, uint64_t token, const struct pico_trap *trap, uint64_t nr, uint64_t *args);
/* The same past the filters: a call a seccomp supervisor let go on. */
void linux_run_allowed(struct proc *p, uint64_t token, const struct pico_trap *trap, uint64_t nr, uint64_t *args);

#endif
