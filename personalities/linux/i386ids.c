/*
 * personalities/linux/i386ids.c - i386's 16-bit user and group id calls
 * (docs/i386.md): getuid, setuid, chown, getgroups ... of old programs,
 * whose ids are 16 bits (old_uid_t), as Linux's kernel/uid16.c.  An id
 * given is Linux's low2highuid (0xffff is -1); an id shown is its
 * high2lowuid (one above 65535 shows as the overflow id, 65534).  The
 * calls are the 64-bit ones on the widened ids; the "32" calls are those
 * themselves (i386.def).
 *
 * Entry points: the i386 table.  Layer: above cred, path.  Book:
 * docs/i386.md.
 */
#include "i386.h"
#include "proc.h"
#include "sysctl.h"
#include "userns.h"
#include <string.h>
#include "linux_entries/i386ids.h" /* generated: the handlers' prototypes, entries */
#include "linux_entries/all.h" /* the 64-bit handlers' entries */

/* An id a 16-bit call takes, widened (Linux's low2highuid). */
static uint64_t widen(uint32_t id)
{
    return (uint16_t)id == 0xffff ? 0xffffffffu : (uint16_t)id;
}

/* A user id a 16-bit call shows (Linux's high2lowuid: one past 16 bits
 * is kernel/overflowuid), and a group id (kernel/overflowgid). */
static uint16_t narrow(uint32_t id)
{
    return id > 0xffff ? (uint16_t)sysctl_overflowuid : (uint16_t)id;
}
static uint16_t narrow_gid(uint32_t id)
{
    return id > 0xffff ? (uint16_t)sysctl_overflowgid : (uint16_t)id;
}

/* Runs the 64-bit entry on up to three widened ids, after the words
 * before them (a path or a descriptor). */
static int64_t run_ids(struct sys_ctx *c, linux_handler entry, int skip, int n, const uint32_t *ids)
{
    uint64_t a[6] = {0};
    for (int i = 0; i < skip; i++)
        a[i] = c->a[i];
    for (int i = 0; i < n; i++)
        a[skip + i] = widen(ids[i]);
    return i386_run(c, entry, a, NULL, 0);
}

/* An id as the caller's user namespace sees it, narrowed. */
static uint16_t uid_seen(const struct proc *p, uint32_t id) { return narrow(userns_uid_from(p->cred.userns, id)); }
static uint16_t gid_seen(const struct proc *p, uint32_t id) { return narrow_gid(userns_gid_from(p->cred.userns, id)); }

static int64_t sys32_getuid(struct sys_ctx *c) { return uid_seen(c->p, c->p->cred.uid); }
static int64_t sys32_geteuid(struct sys_ctx *c) { return uid_seen(c->p, c->p->cred.euid); }
static int64_t sys32_getgid(struct sys_ctx *c) { return gid_seen(c->p, c->p->cred.gid); }
static int64_t sys32_getegid(struct sys_ctx *c) { return gid_seen(c->p, c->p->cred.egid); }

static int64_t sys32_setuid(struct sys_ctx *c, uint32_t uid)
{
    return run_ids(c, entry_setuid, 0, 1, &uid);
}

static int64_t sys32_setgid(struct sys_ctx *c, uint32_t gid)
{
    return run_ids(c, entry_setgid, 0, 1, &gid);
}

static int64_t sys32_setreuid(struct sys_ctx *c, uint32_t ruid, uint32_t euid)
{
    return run_ids(c, entry_setreuid, 0, 2, (uint32_t[]){ruid, euid});
}

static int64_t sys32_setregid(struct sys_ctx *c, uint32_t rgid, uint32_t egid)
{
    return run_ids(c, entry_setregid, 0, 2, (uint32_t[]){rgid, egid});
}

static int64_t sys32_setresuid(struct sys_ctx *c, uint32_t ruid, uint32_t euid, uint32_t suid)
{
    return run_ids(c, entry_setresuid, 0, 3, (uint32_t[]){ruid, euid, suid});
}

static int64_t sys32_setresgid(struct sys_ctx *c, uint32_t rgid, uint32_t egid, uint32_t sgid)
{
    return run_ids(c, entry_setresgid, 0, 3, (uint32_t[]){rgid, egid, sgid});
}

/* setfsuid16 answers the old fsuid as it is, not narrowed (Linux). */
static int64_t sys32_setfsuid(struct sys_ctx *c, uint32_t fsuid)
{
    return run_ids(c, entry_setfsuid, 0, 1, &fsuid);
}

static int64_t sys32_setfsgid(struct sys_ctx *c, uint32_t fsgid)
{
    return run_ids(c, entry_setfsgid, 0, 1, &fsgid);
}

static int64_t sys32_chown(struct sys_ctx *c, uint64_t upath, uint32_t owner, uint32_t group)
{
    (void)upath;
    return run_ids(c, entry_chown, 1, 2, (uint32_t[]){owner, group});
}

static int64_t sys32_lchown(struct sys_ctx *c, uint64_t upath, uint32_t owner, uint32_t group)
{
    (void)upath;
    return run_ids(c, entry_lchown, 1, 2, (uint32_t[]){owner, group});
}

static int64_t sys32_fchown(struct sys_ctx *c, uint64_t fd, uint32_t owner, uint32_t group)
{
    (void)fd;
    return run_ids(c, entry_fchown, 1, 2, (uint32_t[]){owner, group});
}

/* Three ids narrowed, written in order as far as they go. */
static int64_t get_three(struct proc *p, const uint32_t ids[3], bool gid, uint64_t a, uint64_t b, uint64_t c)
{
    const uint64_t to[3] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        uint16_t id = gid ? gid_seen(p, ids[i]) : uid_seen(p, ids[i]);
        if (mem_out(p, to[i], &id, 2) < 0)
            return -LINUX_EFAULT;
    }
    return 0;
}

static int64_t sys32_getresuid(struct sys_ctx *c, uint64_t ruid, uint64_t euid, uint64_t suid)
{
    return get_three(c->p, c->p->cred.uids, false, ruid, euid, suid);
}

static int64_t sys32_getresgid(struct sys_ctx *c, uint64_t rgid, uint64_t egid, uint64_t sgid)
{
    return get_three(c->p, c->p->cred.gids, true, rgid, egid, sgid);
}

static int64_t sys32_getgroups(struct sys_ctx *c, int size, uint64_t ulist)
{
    static uint16_t g[CRED_GROUPS_MAX];
    const struct cred *cr = &c->p->cred;
    if (size < 0)
        return -LINUX_EINVAL;
    if (size == 0 || !cr->ngroups)
        return cr->ngroups;
    if (size < cr->ngroups)
        return -LINUX_EINVAL;
    for (int i = 0; i < cr->ngroups; i++)
        g[i] = gid_seen(c->p, cr->grp->gid[i]);
    return mem_out(c->p, ulist, g, (size_t)cr->ngroups * 2) < 0 ? -LINUX_EFAULT : cr->ngroups;
}

/* The list read and widened into the window; a size out of range, or a
 * list that cannot be read, goes to the 64-bit call as it is, which
 * answers in Linux's order (EPERM first). */
static int64_t sys32_setgroups(struct sys_ctx *c, int size, uint64_t ulist)
{
    static uint16_t g16[CRED_GROUPS_MAX];
    static uint32_t g[CRED_GROUPS_MAX];
    if (size <= 0 || size > CRED_GROUPS_MAX || mem_in(c->p, g16, ulist, (size_t)size * 2) < 0)
        return entry_setgroups(c);
    for (int i = 0; i < size; i++)
        g[i] = (uint32_t)widen(g16[i]);
    return i386_run(c, entry_setgroups, (uint64_t[6]){(uint64_t)size, I386_BOUNCE_VA}, g, (size_t)size * 4);
}
