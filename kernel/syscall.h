/*
 * kernel/syscall.h - what the thin syscall handlers share: the handler
 * type, and handle resolution for the calling task.  Handlers live one
 * family per file: sys_task.c, sys_mem.c, sys_ipc.c.
 * Book: docs/abi.md.
 */
#ifndef PERSONA_SYSCALL_H
#define PERSONA_SYSCALL_H
#include "handle.h"
#include "task.h"
#include "thread.h"
#include "trap.h"
#include <persona/abi.h>
#include <stdint.h>

typedef uint64_t u64;

#define SYSCALL(nr, name, args, doc) int64_t sys_##name(u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5);
#define RETIRED(nr, name, note)
#include <persona/syscalls.def>
#undef SYSCALL
#undef RETIRED

void syscall_init(void);
/* Resolves a handle of the calling task to its object; NULL with *err. */
static inline struct handle *sys_handle(u64 h, enum obj_type type, uint32_t rights, int64_t *err)
{
    int e;
    struct handle *s = h >= HANDLE_MAX ? NULL : handle_lookup(&current()->task->handles, (int)h, type, rights, &e);
    *err = s ? 0 : h >= HANDLE_MAX ? -EBADF : e;
    return s;
}

static inline void *sys_object(u64 h, enum obj_type type, uint32_t rights, int64_t *err)
{
    struct handle *s = sys_handle(h, type, rights, err);
    return s ? s->obj : NULL;
}
/* Installs an object in the caller's table, dropping the creator's
 * reference; returns the handle or a negative errno. */
int64_t sys_install(struct kobject *o, uint32_t rights, uint64_t badge);

#endif
