/*
 * personalities/linux/trace.h - the Linux decoder of the tracer
 * (linux.trace=SPEC on the kernel command line; libc's <persona/trace.h>
 * keeps the times, filters, lines and summary): names, arguments and
 * results as strace prints them.
 *
 * Entry points: linux_trace_init and linux_trace_trap (main.c),
 * linux_trace_result (proc_reply_signals: a result a signal may replace),
 * linux_trace_reply (every reply: the outbox's when it is sent, in main.c,
 * linux_answer_now, linux_reply), linux_trace_exit (proc_exit).  Each call
 * site tests trace_on first; on the common path of an untraced call there
 * are two such tests (main.c's).  Layer: beside main.c, above every
 * subsystem.  Book: docs/tracing.md.
 */
#ifndef LINUX_TRACE_H
#define LINUX_TRACE_H
#include <persona/ipc.h>
#include <persona/trace.h>
#include <stdbool.h>
#include <stdint.h>

struct proc;

/* Reads linux.trace=SPEC; true when tracing is on. */
bool linux_trace_init(const char *cmdline);
/* A trap of p arrived (the message and the IPC buffer's record). */
void linux_trace_trap(struct proc *p, uint64_t token, const struct ipc_msg *in, const struct pico_trap *t);
/* The call of token returns result (its reply may still deliver a signal). */
void linux_trace_result(uint64_t token, int64_t result);
/* The reply to token: its action and value (w0, w1). */
void linux_trace_reply(uint64_t token, uint64_t action, uint64_t value);
/* Process or thread pid ended with a wait status. */
void linux_trace_exit(int pid, int status);
/* A call's name, or NULL; the letters that show its arguments. */
const char *linux_syscall_name(uint64_t nr);
/* An i386 call's name (main.c), or NULL. */
const char *linux_i386_name(uint64_t nr);
const char *linux_arg_format(uint64_t nr);

#endif
