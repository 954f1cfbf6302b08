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
 * capabilities (caps_follow, cred_exec); capget and capset read and
 * narrow them, and every privileged check asks for one (cred_capable).
 *
 * Entry points: the calls' handlers (syscalls.def); cred_exec (exec.c:
 * set-user-ID and set-group-ID programs, and the capabilities execve
 * gives).  Layer: calls alone, on fs.h's
 * struct cred.  Book: docs/linux.md, "Users and permissions".
 */
#include "linux.h"
#include "proc.h"
#include "linux_entries/cred.h" /* generated: the handlers' prototypes, entries */
#include <string.h>

#define KEEP 0xffffffffu /* -1: an id left as it is */

/* Capabilities follow the uids, as Linux's cap_emulate_setxuid: all go
 * when root's uids all do (unless keepcaps: the permitted ones stay), the
 * effective ones when the effective uid leaves 0 and come back from the
 * permitted ones when it returns, and the file-system ones with the
 * file-system uid. */
static void caps_follow(struct cred *cr, const struct cred *old)
{
    if ((!old->uid || !old->euid || !old->suid) && cr->uid && cr->euid && cr->suid) {
        if (!cr->keepcaps)
            cr->cap_prm = 0;
        cr->cap_eff = 0;
    }
    if (!old->euid && cr->euid)
        cr->cap_eff = 0;
    if (old->euid && !cr->euid)
        cr->cap_eff = cr->cap_prm;
    if (!old->fsuid && cr->fsuid)
        cr->cap_eff &= ~CAP_FS_SET;
    else if (old->fsuid && !cr->fsuid)
        cr->cap_eff |= cr->cap_prm & CAP_FS_SET;
}

static int64_t sys_getuid(struct sys_ctx *c) { return c->p->cred.uid; }
static int64_t sys_geteuid(struct sys_ctx *c) { return c->p->cred.euid; }
static int64_t sys_getgid(struct sys_ctx *c) { return c->p->cred.gid; }
static int64_t sys_getegid(struct sys_ctx *c) { return c->p->cred.egid; }

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

/* A uid call's end: the capabilities follow the new uids (r: its result). */
static int64_t after_uids(struct cred *cr, const struct cred *old, int64_t r)
{
    if (r >= 0)
        caps_follow(cr, old);
    return r;
}

static int64_t sys_setuid(struct sys_ctx *c, uint32_t uid)
{
    struct cred *cr = &c->p->cred, old = *cr;
    return after_uids(cr, &old, set_one(cr->uids, cred_capable(cr, CAP_SETUID), uid));
}

static int64_t sys_setreuid(struct sys_ctx *c, uint32_t ruid, uint32_t euid)
{
    struct cred *cr = &c->p->cred, old = *cr;
    return after_uids(cr, &old, set_re(cr->uids, cred_capable(cr, CAP_SETUID), ruid, euid));
}

static int64_t sys_setresuid(struct sys_ctx *c, uint32_t ruid, uint32_t euid, uint32_t suid)
{
    struct cred *cr = &c->p->cred, old = *cr;
    return after_uids(cr, &old, set_res(cr->uids, cred_capable(cr, CAP_SETUID), ruid, euid, suid));
}

static int64_t sys_setfsuid(struct sys_ctx *c, uint32_t fsuid)
{
    struct cred *cr = &c->p->cred, old = *cr;
    return after_uids(cr, &old, set_fs(cr->uids, cred_capable(cr, CAP_SETUID), fsuid));
}

static int64_t sys_setgid(struct sys_ctx *c, uint32_t gid)
{
    struct cred *cr = &c->p->cred;
    return set_one(cr->gids, cred_capable(cr, CAP_SETGID), gid);
}

static int64_t sys_setregid(struct sys_ctx *c, uint32_t rgid, uint32_t egid)
{
    struct cred *cr = &c->p->cred;
    return set_re(cr->gids, cred_capable(cr, CAP_SETGID), rgid, egid);
}

static int64_t sys_setresgid(struct sys_ctx *c, uint32_t rgid, uint32_t egid, uint32_t sgid)
{
    struct cred *cr = &c->p->cred;
    return set_res(cr->gids, cred_capable(cr, CAP_SETGID), rgid, egid, sgid);
}

static int64_t sys_setfsgid(struct sys_ctx *c, uint32_t fsgid)
{
    struct cred *cr = &c->p->cred;
    return set_fs(cr->gids, cred_capable(cr, CAP_SETGID), fsgid);
}

/* Writes three ids, in order, as far as they go. */
static int64_t get_three(struct proc *p, const uint32_t ids[3], uint64_t a, uint64_t b, uint64_t c)
{
    const uint64_t to[3] = {a, b, c};
    for (int i = 0; i < 3; i++)
        if (mem_out(p, to[i], &ids[i], 4) < 0)
            return -LINUX_EFAULT;
    return 0;
}

static int64_t sys_getresuid(struct sys_ctx *c, uint64_t ruid, uint64_t euid, uint64_t suid)
{
    return get_three(c->p, c->p->cred.uids, ruid, euid, suid);
}

static int64_t sys_getresgid(struct sys_ctx *c, uint64_t rgid, uint64_t egid, uint64_t sgid)
{
    return get_three(c->p, c->p->cred.gids, rgid, egid, sgid);
}

static int64_t sys_getgroups(struct sys_ctx *c, int size, uint64_t ulist)
{
    const struct cred *cr = &c->p->cred;
    if (size < 0)
        return -LINUX_EINVAL;
    if (size == 0)
        return cr->ngroups;
    if (size < cr->ngroups)
        return -LINUX_EINVAL;
    return mem_out(c->p, ulist, cr->groups, (size_t)cr->ngroups * 4) < 0 ? -LINUX_EFAULT : cr->ngroups;
}

/* Linux takes up to NGROUPS_MAX (65536); this personality keeps
 * CRED_GROUPS_MAX, and says EINVAL past them. */
static int64_t sys_setgroups(struct sys_ctx *c, int size, uint64_t ulist)
{
    struct cred *cr = &c->p->cred;
    uint32_t groups[CRED_GROUPS_MAX];
    if (size < 0 || size > 65536)
        return -LINUX_EINVAL;
    if (!cred_capable(cr, CAP_SETGID))
        return -LINUX_EPERM;
    if (size > CRED_GROUPS_MAX)
        return -LINUX_EINVAL;
    if (mem_in(c->p, groups, ulist, (size_t)size * 4) < 0)
        return -LINUX_EFAULT;
    for (int i = 1; i < size; i++) /* sorted, as Linux keeps them */
        for (int j = i; j > 0 && groups[j - 1] > groups[j]; j--) {
            uint32_t t = groups[j];
            groups[j] = groups[j - 1], groups[j - 1] = t;
        }
    memcpy(cr->groups, groups, (size_t)size * 4);
    cr->ngroups = size;
    return 0;
}

bool cred_exec(struct cred *cr, const struct inode *ino, bool no_new_privs)
{
    uint32_t euid = cr->euid, egid = cr->egid;
    if ((ino->mode & S_ISUID) && !no_new_privs)
        cr->euid = ino->uid;
    if ((ino->mode & (S_ISGID | 010)) == (S_ISGID | 010) && !no_new_privs)
        cr->egid = ino->gid;
    cr->suid = cr->fsuid = cr->euid; /* execve saves the effective ids */
    cr->sgid = cr->fsgid = cr->egid;
    /* capabilities, as Linux gives them to a program without file
     * capabilities: all permitted to root (a real or effective uid of 0),
     * effective too for an effective root; none to anyone else */
    bool root = cr->uid == 0 || cr->euid == 0;
    cr->cap_prm = root ? CAP_ALL : 0;
    cr->cap_eff = root && cr->euid == 0 ? CAP_ALL : 0;
    cr->keepcaps = false;
    return cr->euid != euid || cr->egid != egid;
}

/* ---- capget and capset: the sets as 32-bit words, one (version 1) or
 * two (versions 2 and 3) ---- */

#define CAP_V1 0x19980330u
#define CAP_V2 0x20071026u
#define CAP_V3 0x20080522u
#define CAP_SETPCAP 8

struct cap_header {
    uint32_t version;
    int32_t pid;
};

/* The header's words a set takes (1 or 2), or -EFAULT; an unknown
 * version is EINVAL, and the header learns the one to use. */
static int cap_words(struct sys_ctx *c, uint64_t uhdr, struct cap_header *h)
{
    if (mem_in(c->p, h, uhdr, sizeof *h) < 0)
        return -LINUX_EFAULT;
    if (h->version == CAP_V1)
        return 1;
    if (h->version == CAP_V2 || h->version == CAP_V3)
        return 2;
    uint32_t v = CAP_V3;
    return mem_out(c->p, uhdr, &v, sizeof v) < 0 ? -LINUX_EFAULT : -LINUX_EINVAL;
}

static int64_t sys_capget(struct sys_ctx *c, uint64_t uhdr, uint64_t udata)
{
    struct cap_header h;
    int words = cap_words(c, uhdr, &h);
    if (!udata || words < 0)
        return !udata && words == -LINUX_EINVAL ? 0 : words < 0 ? words : 0;
    if (h.pid < 0)
        return -LINUX_EINVAL;
    struct proc *t = h.pid ? proc_by_pid(h.pid) : c->p;
    if (!t || t->zombie)
        return -LINUX_ESRCH;
    for (int i = 0; i < words; i++) {
        uint32_t d[3] = {(uint32_t)(t->cred.cap_eff >> (32 * i)), (uint32_t)(t->cred.cap_prm >> (32 * i)),
                         (uint32_t)(t->cred.cap_inh >> (32 * i))};
        if (mem_out(c->p, udata + (uint64_t)i * sizeof d, d, sizeof d) < 0)
            return -LINUX_EFAULT;
    }
    return 0;
}

/* Linux's rules: the permitted set may only shrink, the effective one
 * stays within it, the inheritable one within the old inheritable and
 * permitted ones (unless CAP_SETPCAP); and only for oneself. */
static int64_t sys_capset(struct sys_ctx *c, uint64_t uhdr, uint64_t udata)
{
    struct cap_header h;
    struct cred *cr = &c->p->cred;
    int words = cap_words(c, uhdr, &h);
    if (words < 0)
        return words;
    if (h.pid != 0 && h.pid != c->p->pid && h.pid != proc_tgid(c->p))
        return -LINUX_EPERM;
    uint64_t eff = 0, prm = 0, inh = 0;
    for (int i = 0; i < words; i++) {
        uint32_t d[3];
        if (mem_in(c->p, d, udata + (uint64_t)i * sizeof d, sizeof d) < 0)
            return -LINUX_EFAULT;
        eff |= (uint64_t)d[0] << (32 * i), prm |= (uint64_t)d[1] << (32 * i), inh |= (uint64_t)d[2] << (32 * i);
    }
    eff &= CAP_ALL, prm &= CAP_ALL, inh &= CAP_ALL;
    if ((!cred_capable(cr, CAP_SETPCAP) && (inh & ~(cr->cap_inh | cr->cap_prm))) || (prm & ~cr->cap_prm) ||
        (eff & ~prm))
        return -LINUX_EPERM;
    cr->cap_eff = eff, cr->cap_prm = prm, cr->cap_inh = inh;
    return 0;
}
