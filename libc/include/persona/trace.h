/*
 * libc/include/persona/trace.h - the one tracer of pico tasks, for every
 * personality (libc/trace.c): like strace, a line a trap with its cost
 * split into kernel, server and waiting, filters by process and by call,
 * children followed on request, and a summary table like strace -c.
 *
 * The personality decodes (a call's name, its arguments as text, its
 * result); the tracer keeps the times, filters, prints and counts.  The
 * kernel's part is only the times: a provider that registers with
 * pico_provide(ep, PICO_TIMED) gets in each trap's struct pico_trap the
 * TSC at the trap (tsc) and when the thread last went back to user mode
 * (resumed).  A line is printed at the thread's next trap, when the way
 * back out is known too, or when its process ends.
 *
 * The spec, from "NAME.trace=SPEC" on the kernel command line (NAME is
 * the personality's, e.g. linux.trace=openat,read), is a comma list of:
 *   all (or 1)   everything (the default for an empty spec)
 *   CALL         this call (a name the personality knows, or a number)
 *   !CALL        not this call
 *   faults       every CPU exception, the page faults the personality
 *                resolved included (by default only the others: those
 *                that end in a signal; !faults: none)
 *   pid=N        only process N (and, with follow, the ones it starts)
 *   follow       trace the children of traced processes too
 *   summary      a table of counts and costs at the end (trace_summary)
 *   quiet        no line a trap (with summary: strace -c)
 * Book: docs/tracing.md.
 */
#ifndef PERSONA_TRACE_H
#define PERSONA_TRACE_H
#include <persona/abi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRACE_ARG_MAX 96 /* an argument's text, NUL included */

/* One traced trap, from the trap to the next trap of its thread. */
struct trace_call {
    uint64_t thread, token; /* the thread's badge; the reply token */
    int pid, group;         /* the thread's and its process's ids */
    bool exception;         /* nr is a CPU vector, not a call number */
    bool replied, has_result;
    uint64_t nr;
    uint64_t args[6];
    int64_t result;
    /* What the personality writes: the call's name (for an exception,
     * the whole text), its arguments, and its result (" = 3"). */
    char name[96];
    int nargs;                /* -1: name is the whole text (an exception) */
    char arg[6][TRACE_ARG_MAX];
    char outcome[96];
    uint64_t action;          /* the reply's w0 */
    uint64_t t_trap, t_idle, t_recv, t_handled, t_reply;
    uint64_t t_flush[2];      /* the first printing after the reply */
};

/* A personality's names for its calls. */
struct trace_names {
    const char *(*call)(uint64_t nr);   /* NULL: no such call */
    uint64_t ncalls;                    /* numbers below this */
};

/* Reads "NAME.trace=SPEC" from cmdline; true when tracing is on (then
 * register with PICO_TIMED).  "NAME.trace=1" is "all". */
bool trace_init(const char *name, const char *cmdline, const struct trace_names *names);
extern bool trace_on;

/* A trap of thread pid of process group arrived (the filters name
 * processes): kind and nr as in the message (w0; w1 for a call), t
 * the IPC buffer's record.  The previous call of the thread is printed.
 * Returns the new record when this trap is traced, else NULL; the
 * personality then fills name, nargs, arg (inputs) before handling it. */
struct trace_call *trace_enter(uint64_t thread, int pid, int group, uint64_t token, uint64_t kind, uint64_t nr,
                               const uint64_t *args, const struct pico_trap *t);
/* The handling of the message that trace_enter saw is over (its reply may
 * be later: the time until then is waiting). */
void trace_handled(void);
/* The call of token has this result (before its reply, which may carry
 * other registers: a signal's frame). */
void trace_result(uint64_t token, int64_t result);
/* The reply to token is decided (action and value: its w0 and w1; a
 * PICO_RESUME's value is the result): the record, for the personality to
 * write outcome (and output arguments); NULL when untraced. */
struct trace_call *trace_reply(uint64_t token, uint64_t action, uint64_t value);
/* The server is about to wait for its next message: the lines of the
 * calls finished so far are printed (never while a message is handled:
 * printing is IPC, which reuses the IPC buffer). */
void trace_idle(void);
/* Process pid is traced (for pid=N), e.g. a child of a traced one. */
bool trace_pid_traced(int pid);
void trace_fork(int parent, int child);
/* Thread or process pid ended (a process: every thread's record with
 * group pid too): its calls are printed, then "+++ how +++" (how may be
 * NULL). */
void trace_end(int pid, const char *how);
/* At the end (before powering off): the lines not yet printed, and the
 * summary table when the spec asked for it. */
void trace_summary(void);

#endif
