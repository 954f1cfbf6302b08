/*
 * personalities/linux/cred.c - users and groups: each thread's real,
 * effective, saved and file-system ids and its supplementary groups
 * (struct cred, fs.h), and the calls that read and change them, with
 * Linux's rules.  CAP_SETUID (CAP_SETGID) lets a thread set any uid
 * (gid); anyone else may only move among the ids it already
 * has (setuid: to its real or saved uid; setreuid, setresuid and
 * setfsuid: to one of its real, effective or saved uids), and never set
 * its groups.  The file-system ids follow the effective ones, as on Linux.
 * The ids are a thread's: a C library makes every thread change together
 * (musl and glibc signal each thread to make the call itself).
 *
 * Capabilities follow the uids as Linux's do for programs without file
 * capabilities (caps_follow here, execve's in caps.c, where capget and
 * capset are), and every privileged check asks for one (cred_capable).
 * The ids the calls take and give are the caller's user namespace's
 * (userns.c maps them; the credentials keep the initial namespace's), and
 * setting them asks for the capability in that namespace.
 * The supplementary groups, up to 65536, are a shared list (cred_hold).
 *
 * Entry points: the calls' handlers (syscalls.def); cred_hold and
 * cred_release (fork.c, proc.c); cred_exec (exec.c:
 * set-user-ID and set-group-ID programs, and the capabilities execve
 * gives).  Layer: calls alone, on fs.h's
 * struct cred.  Book: docs/linux.md, "Users and permissions".
 */
#include "linux.h"
#include "proc.h"
#include "uapi_sec.h"
#include "sysctl.h"
#include "userns.h"
#include "linux_entries/cred.h" /* generated: the handlers' prototypes, entries */
#include <stdlib.h>
#include <string.h>

#define KEEP 0xffffffffu /* -1: an id left as it is */

/* Capabilities follow the uids, as Linux's cap_emulate_setxuid, unless
 * SECBIT_NO_SETUID_FIXUP: all go when root's uids all do (unless
 * SECBIT_KEEP_CAPS: the permitted ones stay), and the ambient ones with
 * them; the effective ones when the effective uid leaves 0, and they come
 * back from the permitted ones when it returns.  setfsuid (fs) moves the
 * file-system ones with the file-system uid. */
static void caps_follow(struct cred *cr, const struct cred *old, bool fs)
{
    uint32_t root = userns_uid_to(cr->userns, 0); /* the user namespace's root */
    if (cr->securebits & SECBIT_NO_SETUID_FIXUP)
        return;
    if (fs) {
        if (old->fsuid == root && cr->fsuid != root)
            cr->cap_eff &= ~CAP_FS_SET;
        else if (old->fsuid != root && cr->fsuid == root)
            cr->cap_eff |= cr->cap_prm & CAP_FS_SET;
        return;
    }
    if ((old->uid == root || old->euid == root || old->suid == root) && cr->uid != root && cr->euid != root &&
        cr->suid != root) {
        if (!(cr->securebits & SECBIT_KEEP_CAPS))
            cr->cap_prm = cr->cap_eff = 0;
        cr->cap_amb = 0;
    }
    if (old->euid == root && cr->euid != root)
        cr->cap_eff = 0;
    if (old->euid != root && cr->euid == root)
        cr->cap_eff = cr->cap_prm;
}

/* The ids as the caller's user namespace sees them (the overflow ids
 * for those it does not map). */
static int64_t sys_getuid(struct sys_ctx *c) { return userns_uid_from(c->p->cred.userns, c->p->cred.uid); }
static int64_t sys_geteuid(struct sys_ctx *c) { return userns_uid_from(c->p->cred.userns, c->p->cred.euid); }
static int64_t sys_getgid(struct sys_ctx *c) { return userns_gid_from(c->p->cred.userns, c->p->cred.gid); }
static int64_t sys_getegid(struct sys_ctx *c) { return userns_gid_from(c->p->cred.userns, c->p->cred.egid); }

/* An id given in the caller's user namespace as the kernel's (KEEP
 * stays); *bad when the namespace does not map it (the calls' EINVAL). */
static uint32_t kid(const struct cred *cr, bool gid, uint32_t id, bool *bad)
{
    if (id == KEEP)
        return KEEP;
    uint32_t k = gid ? userns_gid_to(cr->userns, id) : userns_uid_to(cr->userns, id);
    *bad |= k == USERNS_NO_ID;
    return k;
}

/* ids[0..2] real, effective, saved; whether v is one of them. */
static bool one_of(const uint32_t ids[3], uint32_t v) { return v == ids[0] || v == ids[1] || v == ids[2]; }

/* setresuid's and setresgid's rule, on ids (uid, euid, suid, fsuid in a
 * row): each new id is KEEP, or, for the unprivileged, one of the three. */
static int64_t set_res(uint32_t ids[4], bool capable, uint32_t r, uint32_t e, uint32_t s)
{
    if (!capable && ((r != KEEP && !one_of(ids, r)) || (e != KEEP && !one_of(ids, e)) ||
                     (s != KEEP && !one_of(ids, s))))
        return -LINUX_EPERM;
    if (r != KEEP)
        ids[0] = r;
    if (e != KEEP)
        ids[1] = e;
    if (s != KEEP)
        ids[2] = s;
    ids[3] = ids[1];
    return 0;
}

/* setreuid's rule: the real id may become the real or effective one, the
 * effective any of the three; the saved one follows the new effective id
 * when the real one was set, or the effective one set to other than the
 * old real id. */
static int64_t set_re(uint32_t ids[4], bool capable, uint32_t r, uint32_t e)
{
    uint32_t old_real = ids[0];
    if (!capable && ((r != KEEP && r != ids[0] && r != ids[1]) || (e != KEEP && !one_of(ids, e))))
        return -LINUX_EPERM;
    if (r != KEEP)
        ids[0] = r;
    if (e != KEEP)
        ids[1] = e;
    if (r != KEEP || (e != KEEP && e != old_real))
        ids[2] = ids[1];
    ids[3] = ids[1];
    return 0;
}

/* setuid's rule: the privileged set all three, others the effective one,
 * to their real or saved id. */
static int64_t set_one(uint32_t ids[4], bool capable, uint32_t v)
{
    if (v == KEEP) /* -1 is no id */
        return -LINUX_EINVAL;
    if (capable)
        ids[0] = ids[2] = v;
    else if (v != ids[0] && v != ids[2])
        return -LINUX_EPERM;
    ids[1] = ids[3] = v;
    return 0;
}

/* setfsuid's rule: the old file-system id comes back either way. */
static int64_t set_fs(uint32_t ids[4], bool capable, uint32_t v)
{
    uint32_t old = ids[3];
    if (v != KEEP && (capable || one_of(ids, v) || v == ids[3]))
        ids[3] = v;
    return old;
}

/* Linux's commit_creds: a process whose effective or file-system ids
 * change may dump (and be read by ptrace) only as fs/suid_dumpable says. */
static int64_t dumpable(struct proc *p, const struct cred *old, int64_t r)
{
    const struct cred *cr = &p->cred;
    if (cr->euid != old->euid || cr->fsuid != old->fsuid || cr->egid != old->egid || cr->fsgid != old->fsgid)
        proc_group(p)->undumpable = sysctl_suid_dumpable != 1;
    return r;
}

/* A uid call's end: the capabilities follow the new uids (r: its result). */
static int64_t after_uids(struct cred *cr, const struct cred *old, int64_t r, bool fs)
{
    if (r >= 0)
        caps_follow(cr, old, fs);
    return r;
}

static int64_t sys_setuid(struct sys_ctx *c, uint32_t uid)
{
    struct cred *cr = &c->p->cred, old = *cr;
    bool bad = false;
    if ((uid = kid(cr, false, uid, &bad)) == KEEP || bad)
        return -LINUX_EINVAL;
    int64_t r = after_uids(cr, &old, set_one(cr->uids, cred_own_capable(cr, CAP_SETUID), uid), false);
    nproc_setuid(c->p, old.uid);
    return dumpable(c->p, &old, r);
}

static int64_t sys_setreuid(struct sys_ctx *c, uint32_t ruid, uint32_t euid)
{
    struct cred *cr = &c->p->cred, old = *cr;
    bool bad = false;
    ruid = kid(cr, false, ruid, &bad), euid = kid(cr, false, euid, &bad);
    if (bad)
        return -LINUX_EINVAL;
    int64_t r = after_uids(cr, &old, set_re(cr->uids, cred_own_capable(cr, CAP_SETUID), ruid, euid), false);
    nproc_setuid(c->p, old.uid);
    return dumpable(c->p, &old, r);
}

static int64_t sys_setresuid(struct sys_ctx *c, uint32_t ruid, uint32_t euid, uint32_t suid)
{
    struct cred *cr = &c->p->cred, old = *cr;
    bool bad = false;
    ruid = kid(cr, false, ruid, &bad), euid = kid(cr, false, euid, &bad), suid = kid(cr, false, suid, &bad);
    if (bad)
        return -LINUX_EINVAL;
    int64_t r = after_uids(cr, &old, set_res(cr->uids, cred_own_capable(cr, CAP_SETUID), ruid, euid, suid), false);
    nproc_setuid(c->p, old.uid);
    return dumpable(c->p, &old, r);
}

/* setfsuid and setfsgid answer the old id as the caller sees it, and
 * change nothing for an id its namespace does not map. */
static int64_t sys_setfsuid(struct sys_ctx *c, uint32_t fsuid)
{
    struct cred *cr = &c->p->cred, old = *cr;
    uint32_t shown = userns_uid_from(cr->userns, cr->fsuid);
    bool bad = false;
    if ((fsuid = kid(cr, false, fsuid, &bad)), !bad)
        after_uids(cr, &old, set_fs(cr->uids, cred_own_capable(cr, CAP_SETUID), fsuid), true);
    return dumpable(c->p, &old, shown);
}

static int64_t sys_setgid(struct sys_ctx *c, uint32_t gid)
{
    struct cred *cr = &c->p->cred, old = *cr;
    bool bad = false;
    if ((gid = kid(cr, true, gid, &bad)) == KEEP || bad)
        return -LINUX_EINVAL;
    return dumpable(c->p, &old, set_one(cr->gids, cred_own_capable(cr, CAP_SETGID), gid));
}

static int64_t sys_setregid(struct sys_ctx *c, uint32_t rgid, uint32_t egid)
{
    struct cred *cr = &c->p->cred, old = *cr;
    bool bad = false;
    rgid = kid(cr, true, rgid, &bad), egid = kid(cr, true, egid, &bad);
    return bad ? -LINUX_EINVAL : dumpable(c->p, &old, set_re(cr->gids, cred_own_capable(cr, CAP_SETGID), rgid, egid));
}

static int64_t sys_setresgid(struct sys_ctx *c, uint32_t rgid, uint32_t egid, uint32_t sgid)
{
    struct cred *cr = &c->p->cred, old = *cr;
    bool bad = false;
    rgid = kid(cr, true, rgid, &bad), egid = kid(cr, true, egid, &bad), sgid = kid(cr, true, sgid, &bad);
    return bad ? -LINUX_EINVAL
               : dumpable(c->p, &old, set_res(cr->gids, cred_own_capable(cr, CAP_SETGID), rgid, egid, sgid));
}

static int64_t sys_setfsgid(struct sys_ctx *c, uint32_t fsgid)
{
    struct cred *cr = &c->p->cred, old = *cr;
    uint32_t shown = userns_gid_from(cr->userns, cr->fsgid);
    bool bad = false;
    if ((fsgid = kid(cr, true, fsgid, &bad)), !bad)
        set_fs(cr->gids, cred_own_capable(cr, CAP_SETGID), fsgid);
    return dumpable(c->p, &old, shown);
}

/* Writes three ids, in order, as far as they go, as the caller's user
 * namespace sees them. */
static int64_t get_three(struct proc *p, const uint32_t ids[3], bool gid, uint64_t a, uint64_t b, uint64_t c)
{
    const uint64_t to[3] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        uint32_t v = gid ? userns_gid_from(p->cred.userns, ids[i]) : userns_uid_from(p->cred.userns, ids[i]);
        if (mem_out(p, to[i], &v, 4) < 0)
            return -LINUX_EFAULT;
    }
    return 0;
}

static int64_t sys_getresuid(struct sys_ctx *c, uint64_t ruid, uint64_t euid, uint64_t suid)
{
    return get_three(c->p, c->p->cred.uids, false, ruid, euid, suid);
}

static int64_t sys_getresgid(struct sys_ctx *c, uint64_t rgid, uint64_t egid, uint64_t sgid)
{
    return get_three(c->p, c->p->cred.gids, true, rgid, egid, sgid);
}

static int64_t sys_getgroups(struct sys_ctx *c, int size, uint64_t ulist)
{
    const struct cred *cr = &c->p->cred;
    if (size < 0)
        return -LINUX_EINVAL;
    if (size == 0 || !cr->ngroups)
        return cr->ngroups;
    if (size < cr->ngroups)
        return -LINUX_EINVAL;
    if (!cr->userns)
        return mem_out(c->p, ulist, cr->grp->gid, (size_t)cr->ngroups * 4) < 0 ? -LINUX_EFAULT : cr->ngroups;
    uint32_t *seen = malloc((size_t)cr->ngroups * 4); /* as the caller's user namespace sees them */
    if (!seen)
        return -LINUX_ENOMEM;
    for (int i = 0; i < cr->ngroups; i++)
        seen[i] = userns_gid_from(cr->userns, cr->grp->gid[i]);
    int64_t r = mem_out(c->p, ulist, seen, (size_t)cr->ngroups * 4) < 0 ? -LINUX_EFAULT : cr->ngroups;
    free(seen);
    return r;
}

void cred_hold(struct cred *c)
{
    if (c->grp)
        c->grp->refs++;
}

void cred_release(struct cred *c)
{
    if (c->grp && --c->grp->refs == 0)
        free(c->grp);
    c->grp = NULL, c->ngroups = 0;
}

static int gid_order(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Up to NGROUPS_MAX (65536), kept sorted as Linux keeps them (getgroups
 * gives them back in that order); a new list for this thread alone. */
static int64_t sys_setgroups(struct sys_ctx *c, int size, uint64_t ulist)
{
    struct cred *cr = &c->p->cred;
    if (!cred_own_capable(cr, CAP_SETGID) || !userns_may_setgroups(cr->userns)) /* before the size, as Linux */
        return -LINUX_EPERM; /* in a user namespace, after its gid_map, unless setgroups is denied */
    if (size < 0 || size > CRED_GROUPS_MAX)
        return -LINUX_EINVAL;
    struct cred_groups *g = size ? malloc(sizeof *g + (size_t)size * 4) : NULL;
    if (size && !g)
        return -LINUX_ENOMEM;
    if (size && mem_in(c->p, g->gid, ulist, (size_t)size * 4) < 0) {
        free(g);
        return -LINUX_EFAULT;
    }
    for (int i = 0; i < size; i++)
        if ((g->gid[i] = userns_gid_to(cr->userns, g->gid[i])) == USERNS_NO_ID) { /* no valid gid (make_kgid) */
            free(g);
            return -LINUX_EINVAL;
        }
    if (g) {
        g->refs = 1;
        qsort(g->gid, (size_t)size, 4, gid_order);
    }
    cred_release(cr);
    cr->grp = g, cr->ngroups = size;
    return 0;
}

bool cred_exec(struct cred *cr, const struct inode *ino, bool no_new_privs)
{
    const struct cred old = *cr;
    if ((ino->mode & S_ISUID) && !no_new_privs)
        cr->euid = ino->uid;
    if ((ino->mode & (S_ISGID | 010)) == (S_ISGID | 010) && !no_new_privs)
        cr->egid = ino->gid;
    cr->suid = cr->fsuid = cr->euid; /* execve saves the effective ids */
    cr->sgid = cr->fsgid = cr->egid;
    bool setid = cr->euid != old.euid || cr->egid != old.egid;
    caps_exec(cr, &old, setid, no_new_privs);
    return setid;
}
