/*
 * personalities/linux/ptracemem.h - what a tracer reads and changes of a
 * stopped tracee (ptracemem.c): memory, registers, siginfo, signal mask,
 * the call it stopped in.
 *
 * Entry point: ptrace_request (ptrace.c's sys_ptrace, for a tracee in a
 * ptrace stop).  Layer: proc.  Book: docs/linux.md, "ptrace".
 */
#ifndef LINUX_PTRACEMEM_H
#define LINUX_PTRACEMEM_H
#include <stdint.h>

struct proc;
int64_t ptrace_request(struct proc *p, struct proc *t, uint64_t req, uint64_t addr, uint64_t data);

#endif
