/*
 * personalities/linux/interop.h - other personalities' programs run from
 * Linux (interop.c): execve's test and start, the relay's private call,
 * and the events the target's thread forwards.
 *
 * Entry points: interop_target, interop_start, interop_started,
 * interop_relay_image (exec.c), relay_call and interop_event (main.c),
 * interop_exit (exit.c).  Layer: proc.  Book:
 * docs/personality-protocol.md.
 */
#ifndef LINUX_INTEROP_H
#define LINUX_INTEROP_H
#include "linux.h"
#include <persona/ipc.h>

/* The badge of the events forwarded from target i: INTEROP_BADGE + i,
 * above every badge proc_new_badge hands out. */
#define INTEROP_BADGE (1ull << 61)
static inline bool interop_is_event(const struct ipc_info *info)
{
    return info->badge >= INTEROP_BADGE && info->badge < INTEROP_BADGE + 16;
}

struct inode;
struct proc;
/* 1 and the personality's name if f is an ELF file whose note names one. */
int interop_target(struct inode *f, char *name, size_t size);
/* Sends f to that personality and starts it with argv and envp: 0 and the
 * job's number, or -errno (ENOEXEC: no such personality). */
int interop_start(struct proc *p, struct inode *f, const char *name, char *const argv[], int argc, char *const envp[],
                  int envc, uint64_t *job);
/* After the relay was loaded into p (r: how that went). */
void interop_started(struct proc *p, const char *name, uint64_t job, int r, const char *path);
/* The relay program, as an unnamed file execve runs. */
struct inode *interop_relay_image(void);
int64_t relay_call(struct sys_ctx *c, uint64_t op, uint64_t have, uint64_t result, uint64_t ubuf, uint64_t uev);
void interop_event(const struct ipc_info *info, const uint64_t *w, const void *bulk);
/* p is ending: its program is ended too. */
void interop_exit(struct proc *p);

#endif
