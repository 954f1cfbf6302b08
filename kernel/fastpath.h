/*
 * kernel/fastpath.h - the IPC fast path (fastpath.c): the commonest calls,
 * replies and forwarded traps, done in fewer steps, with a handoff straight
 * to user mode.  Each entry point either does the whole operation and never
 * returns, or returns having changed nothing, and the general path
 * (endpoint.c, pico.c), which is the specification, runs.
 * Book: docs/ipc.md (the fast path), docs/life-of-a-syscall.md.
 */
#ifndef PERSONA_FASTPATH_H
#define PERSONA_FASTPATH_H
#include "thread.h"
#include "trap.h"
#include <persona/abi.h>
#include <stdbool.h>
#include <stdint.h>

/* On unless the command line says "fastpath=off": then every IPC call,
 * reply and forwarded trap takes the general path. */
extern bool ipc_fastpath;

/* A native ipc_call or ipc_reply_recv, before the syscall table (f is the
 * caller's frame, nr its call number). */
void fastpath_call(struct trap_frame *f);
void fastpath_reply_recv(struct trap_frame *f);
static inline void fastpath_ipc(uint64_t nr, struct trap_frame *f)
{
    if (nr == SYS_ipc_reply_recv)
        fastpath_reply_recv(f);
    else if (nr == SYS_ipc_call)
        fastpath_call(f);
}
/* A pico thread's trap, to a provider thread waiting in receive; when
 * that cannot be, the general path (pico_forward_general), whose result it
 * returns. */
int fastpath_forward(struct thread *th, uint64_t error, uint64_t addr);

#endif
