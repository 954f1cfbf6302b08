/*
 * personalities/linux/cred.c - users and groups.  The personality has one
 * user, root: every process is uid 0 and gid 0, may "change" an id to 0
 * (or leave it with -1), and is refused (EPERM) anything else, honestly
 * partial.
 *
 * Entry points: the calls' handlers (syscalls.def).  Callers: the syscall
 * table.  Layer: calls alone.  Book: docs/linux.md,
 * "Programs and processes".
 */
#include "linux.h"
#include "linux_entries/cred.h" /* generated: the handlers' prototypes, entries */
static int64_t sys_getuid(struct sys_ctx *c) { (void)c; return 0; }
static int64_t sys_geteuid(struct sys_ctx *c) { (void)c; return 0; }
static int64_t sys_getgid(struct sys_ctx *c) { (void)c; return 0; }
static int64_t sys_getegid(struct sys_ctx *c) { (void)c; return 0; }

/* Changing identity as root: the personality has one user, root. */
static int64_t sys_setuid(struct sys_ctx *c, uint64_t uid)
{
    (void)c;
    return uid == 0 ? 0 : -LINUX_EPERM;
}

static int64_t sys_setgid(struct sys_ctx *c, uint64_t gid)
{
    (void)c;
    return gid == 0 ? 0 : -LINUX_EPERM;
}

static int64_t sys_getgroups(struct sys_ctx *c) { (void)c; return 0; }

/* The personality has one user, root: ids may be "changed" to 0 (or left
 * as they are with -1); anything else is EPERM, honestly partial. */
static int64_t set_ids(const uint32_t *ids, int n)
{
    for (int i = 0; i < n; i++)
        if (ids[i] != 0 && ids[i] != 0xffffffffu)
            return -LINUX_EPERM;
    return 0;
}

static int64_t sys_setreuid(struct sys_ctx *c, uint32_t ruid, uint32_t euid)
{
    (void)c;
    return set_ids((uint32_t[]){ruid, euid}, 2);
}

static int64_t sys_setregid(struct sys_ctx *c, uint32_t rgid, uint32_t egid)
{
    (void)c;
    return set_ids((uint32_t[]){rgid, egid}, 2);
}

static int64_t sys_setresuid(struct sys_ctx *c, uint32_t ruid, uint32_t euid, uint32_t suid)
{
    (void)c;
    return set_ids((uint32_t[]){ruid, euid, suid}, 3);
}

static int64_t sys_setresgid(struct sys_ctx *c, uint32_t rgid, uint32_t egid, uint32_t sgid)
{
    (void)c;
    return set_ids((uint32_t[]){rgid, egid, sgid}, 3);
}

static int64_t sys_setfsuid(struct sys_ctx *c) { (void)c; return 0; } /* returns the previous fsuid, 0 */
static int64_t sys_setfsgid(struct sys_ctx *c) { (void)c; return 0; }

/* Writes 0 to each of the three ids, in order, as far as they go. */
static int64_t get_three(struct proc *p, uint64_t a, uint64_t b, uint64_t c)
{
    uint32_t zero = 0;
    const uint64_t ids[3] = {a, b, c};
    for (int i = 0; i < 3; i++)
        if (mem_out(p, ids[i], &zero, 4) < 0)
            return -LINUX_EFAULT;
    return 0;
}

static int64_t sys_getresuid(struct sys_ctx *c, uint64_t ruid, uint64_t euid, uint64_t suid)
{
    return get_three(c->p, ruid, euid, suid);
}

static int64_t sys_getresgid(struct sys_ctx *c, uint64_t rgid, uint64_t egid, uint64_t sgid)
{
    return get_three(c->p, rgid, egid, sgid);
}

static int64_t sys_setgroups(struct sys_ctx *c, uint64_t size, uint64_t ulist)
{
    uint32_t g;
    if (size > 65536)
        return -LINUX_EINVAL;
    for (uint64_t i = 0; i < size; i++) {
        if (mem_in(c->p, &g, ulist + i * 4, 4) < 0)
            return -LINUX_EFAULT;
        if (g != 0)
            return -LINUX_EPERM;
    }
    return 0;
}
