/*
 * libc/include/persona/supervisor.h - the root task's protocol, on the
 * endpoint every boot module holds as PERSONA_EP_init
 * (personalities/native/supervise.c, docs/supervision.md).
 *   INIT_LOOKUP: w1..w3 = an endpoint's name (up to 23 bytes, NUL padded).
 *                Reply w0 = a new send handle to the endpoint of that name,
 *                granted into the caller's task, or -ENOENT (no module
 *                serves it), -EPIPE (its server is down and not coming
 *                back), -ENOSPC (the caller's handle table is full).
 * A server whose call to another got EPIPE (that server died) asks again
 * with persona_lookup: the supervisor answers once the server has been
 * restarted, with its new endpoint.
 */
#ifndef PERSONA_SUPERVISOR_H
#define PERSONA_SUPERVISOR_H

#include <stdlib.h>
#include <string.h>

#define INIT_LOOKUP 1
#define INIT_NAME_MAX 23

/* A fresh send handle to the endpoint called name, or a negative errno
 * (-EBADF when the task holds no handle to init).  The old handle stays
 * in the caller's table: close it. */
long persona_lookup(const char *name);

/* crash=N among a server's arguments (its module line): the number of the
 * message on which it faults on purpose, for tests and teaching; or 0. */
static inline unsigned long persona_crash_at(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "crash=", 6) == 0)
            return strtoul(argv[i] + 6, NULL, 10);
    return 0;
}

/* A real page fault: a write to address 0.  The kernel kills the task,
 * and its supervisor hears of it. */
static inline __attribute__((noreturn)) void persona_crash(void)
{
    __asm__ volatile("movb $0, 0" ::: "memory");
    __builtin_unreachable();
}

#endif
