/*
 * personalities/linux/hwbp.h - a thread's hardware breakpoints (hwbp.c):
 * the four that ptrace's POKEUSR of u_debugreg sets up, as Linux keeps
 * them (ptrace_bps: each one made by its first address or enabling, then
 * changed), its virtual DR6, and what a #DB means for the thread.
 *
 * Entry points: hwbp_get and hwbp_set (ptracemem.c, i386ptrace.c),
 * hwbp_flush (ptrace.c, at an exec), hwbp_trap (sigframe.c).  Layer:
 * proc.  Book: docs/linux.md, "ptrace".
 */
#ifndef LINUX_HWBP_H
#define LINUX_HWBP_H
#include <stdbool.h>
#include <stdint.h>

/* One thread's breakpoints, zero when it has none. */
struct hwbp {
    uint64_t addr[4];
    uint8_t made;     /* a bit each: the breakpoint exists (Linux's ptrace_bps[i]) */
    uint8_t enabled;  /* a bit each: it is enabled (not attr.disabled) */
    uint8_t kind[4];  /* DR7's R/W and LEN bits of each, (LEN << 2) | R/W */
    uint64_t dr6;     /* the virtual DR6, its reserved bits flipped, so 0 is fresh */
    uint64_t dr7;     /* the last DR7 written and taken, as written (Linux's ptrace_dr7) */
};

struct proc;
/* Debug register n (0 to 7) of t into *val, as Linux's
 * ptrace_get_debugreg: a breakpoint's address, the virtual DR6, the DR7
 * last taken; DR4 and DR5 read 0. */
void hwbp_get(struct proc *t, unsigned n, uint64_t *val);
/* Sets debug register n of t, as Linux's ptrace_set_debugreg: 0, -EINVAL
 * for a breakpoint Linux refuses (in the kernel's half, misaligned, of a
 * kind or length it has none of; the old ones stay), -EIO for DR4 and
 * DR5.  The enabled breakpoints go to the thread's debug registers. */
int64_t hwbp_set(struct proc *t, unsigned n, uint64_t val);
/* An exec: the breakpoints go, as Linux's flush_ptrace_hw_breakpoint. */
void hwbp_flush(struct proc *t);
/* A #DB with the processor's DR6: the virtual DR6 is set as Linux's
 * exc_debug_user does, and the result is SIGTRAP's si_code (TRAP_TRACE,
 * TRAP_HWBKPT, or TRAP_BRKPT for an icebp), or 0 if no signal is due. */
int hwbp_trap(struct proc *t, uint64_t dr6);

#endif
