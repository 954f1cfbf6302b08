/*
 * personalities/linux/cred.c - users and groups.  The personality has one
 * user, root: every process is uid 0 and gid 0, may "change" an id to 0
 * (or leave it with -1), and is refused (EPERM) anything else, honestly
 * partial.
 *
 * Callers: the syscall table.  Layer: calls alone.  Book: docs/linux.md,
 * "Programs and processes".
 */
#include "linux.h"
SYSCALL_HANDLER(getuid) { (void)c; return 0; }
SYSCALL_HANDLER(geteuid) { (void)c; return 0; }
SYSCALL_HANDLER(getgid) { (void)c; return 0; }
SYSCALL_HANDLER(getegid) { (void)c; return 0; }

/* Changing identity as root: the personality has one user, root. */
SYSCALL_HANDLER(setuid) { return c->a[0] == 0 ? 0 : -LINUX_EPERM; }
SYSCALL_HANDLER(setgid) { return c->a[0] == 0 ? 0 : -LINUX_EPERM; }

SYSCALL_HANDLER(getgroups) { (void)c; return 0; }

/* The personality has one user, root: ids may be "changed" to 0 (or left
 * as they are with -1); anything else is EPERM, honestly partial. */
static int64_t set_ids(const uint64_t *ids, int n)
{
    for (int i = 0; i < n; i++)
        if ((uint32_t)ids[i] != 0 && (uint32_t)ids[i] != 0xffffffffu)
            return -LINUX_EPERM;
    return 0;
}

SYSCALL_HANDLER(setreuid) { return set_ids(c->a, 2); }
SYSCALL_HANDLER(setregid) { return set_ids(c->a, 2); }
SYSCALL_HANDLER(setresuid) { return set_ids(c->a, 3); }
SYSCALL_HANDLER(setresgid) { return set_ids(c->a, 3); }
SYSCALL_HANDLER(setfsuid) { (void)c; return 0; } /* returns the previous fsuid, 0 */
SYSCALL_HANDLER(setfsgid) { (void)c; return 0; }

static int64_t get_three(struct sys_ctx *c)
{
    uint32_t zero = 0;
    for (int i = 0; i < 3; i++)
        if (mem_out(c->p, c->a[i], &zero, 4) < 0)
            return -LINUX_EFAULT;
    return 0;
}

SYSCALL_HANDLER(getresuid) { return get_three(c); }
SYSCALL_HANDLER(getresgid) { return get_three(c); }

SYSCALL_HANDLER(setgroups)
{
    uint32_t g;
    if (c->a[0] > 65536)
        return -LINUX_EINVAL;
    for (uint64_t i = 0; i < c->a[0]; i++) {
        if (mem_in(c->p, &g, c->a[1] + i * 4, 4) < 0)
            return -LINUX_EFAULT;
        if (g != 0)
            return -LINUX_EPERM;
    }
    return 0;
}
