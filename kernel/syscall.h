/*
 * kernel/syscall.h - what the thin syscall handlers share: the handler
 * type, and handle resolution for the calling task.  Handlers live one
 * family per file: sys_task.c, sys_mem.c, sys_ipc.c.
 */
#ifndef PERSONA_SYSCALL_H
#define PERSONA_SYSCALL_H
#include "handle.h"
#include "trap.h"
#include <persona/abi.h>
#include <stdint.h>

typedef uint64_t u64;

#define SYSCALL(nr, name, args, doc) int64_t sys_##name(u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5);
#include <persona/syscalls.def>
#undef SYSCALL

void syscall_init(void);
/* Resolves a handle of the calling task to its object; NULL with *err. */
void *sys_object(u64 h, enum obj_type type, uint32_t rights, int64_t *err);
struct handle *sys_handle(u64 h, enum obj_type type, uint32_t rights, int64_t *err);
/* Installs an object in the caller's table, dropping the creator's
 * reference; returns the handle or a negative errno. */
int64_t sys_install(struct kobject *o, uint32_t rights, uint64_t badge);

#endif
