/*
 * personalities/linux/caps.c - capabilities as Linux keeps them for
 * programs without file capabilities: each thread's effective, permitted,
 * inheritable, bounding and ambient sets and its securebits (struct cred,
 * fs.h); capget and capset, prctl's capability options (the bounding set,
 * the ambient set, the securebits and keepcaps), and what execve makes of
 * the sets (Linux's cap_bprm_creds_from_file).  The uids' part (root's
 * capabilities going and coming with setuid) is cred.c's.
 *
 * Entry points: capget and capset (syscalls.def); caps_prctl (prctl.c);
 * caps_exec (cred.c's cred_exec).  Layer: calls alone, on fs.h's struct
 * cred.  Book: docs/linux.md, "Users and permissions".
 */
#include "linux.h"
#include "pidns.h"
#include "proc.h"
#include "prctl.h"
#include "uapi_sec.h"
#include "userns.h"
#include "linux_entries/caps.h" /* generated: the handlers' prototypes, entries */

void caps_exec(struct cred *cr, const struct cred *old, bool setid, bool no_new_privs)
{
    uint32_t root_uid = userns_uid_to(cr->userns, 0); /* its user namespace's root */
    bool root = !(old->securebits & SECBIT_NOROOT) && (cr->uid == root_uid || cr->euid == root_uid);
    cr->cap_prm = root ? old->cap_bnd | old->cap_inh : 0; /* root's: the bounding and inheritable sets */
    bool gained = cr->cap_prm & ~old->cap_prm;
    if ((setid || gained) && no_new_privs)
        cr->cap_prm &= old->cap_prm; /* no more than it had */
    if (setid)
        cr->cap_amb = 0;
    cr->cap_prm |= cr->cap_amb;
    cr->cap_eff = root && cr->euid == root_uid ? cr->cap_prm : cr->cap_amb; /* an effective root's: all permitted */
    cr->securebits &= ~(uint32_t)SECBIT_KEEP_CAPS;
}

/* ---- capget and capset: the sets as 32-bit words, one (version 1) or
 * two (versions 2 and 3) ---- */

#define CAP_V1 0x19980330u
#define CAP_V2 0x20071026u
#define CAP_V3 0x20080522u

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

/* Any thread's sets, by its id (0: the caller's). */
static int64_t sys_capget(struct sys_ctx *c, uint64_t uhdr, uint64_t udata)
{
    struct cap_header h;
    int words = cap_words(c, uhdr, &h);
    if (!udata || words < 0)
        return !udata && words == -LINUX_EINVAL ? 0 : words < 0 ? words : 0;
    if (h.pid < 0)
        return -LINUX_EINVAL;
    struct proc *t = h.pid ? pidns_find(c->p, h.pid) : c->p;
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

/* Linux's cap_capset: the permitted set may only shrink, the effective one
 * stays within it, the inheritable one within the old inheritable and
 * permitted ones (unless CAP_SETPCAP) and the old inheritable and
 * bounding ones; the ambient set keeps what is still both permitted and
 * inheritable. */
static int set_caps(struct cred *cr, uint64_t eff, uint64_t prm, uint64_t inh)
{
    if (!cred_own_capable(cr, CAP_SETPCAP) && (inh & ~(cr->cap_inh | cr->cap_prm)))
        return -LINUX_EPERM;
    if ((inh & ~(cr->cap_inh | cr->cap_bnd)) || (prm & ~cr->cap_prm) || (eff & ~prm))
        return -LINUX_EPERM;
    cr->cap_eff = eff, cr->cap_prm = prm, cr->cap_inh = inh;
    cr->cap_amb &= prm & inh;
    return 0;
}

/* Only the calling thread's own sets (its thread id, or 0): another
 * thread's, even of its own process, are EPERM, as on Linux. */
static int64_t sys_capset(struct sys_ctx *c, uint64_t uhdr, uint64_t udata)
{
    struct cap_header h;
    int words = cap_words(c, uhdr, &h);
    if (words < 0)
        return words;
    if (h.pid != 0 && h.pid != c->p->pid)
        return -LINUX_EPERM;
    uint64_t eff = 0, prm = 0, inh = 0;
    for (int i = 0; i < words; i++) {
        uint32_t d[3];
        if (mem_in(c->p, d, udata + (uint64_t)i * sizeof d, sizeof d) < 0)
            return -LINUX_EFAULT;
        eff |= (uint64_t)d[0] << (32 * i), prm |= (uint64_t)d[1] << (32 * i), inh |= (uint64_t)d[2] << (32 * i);
    }
    return set_caps(&c->p->cred, eff & CAP_ALL, prm & CAP_ALL, inh & CAP_ALL);
}

/* ---- prctl's capability options (Linux's cap_task_prctl) ---- */

/* PR_SET_SECUREBITS: no locked bit changed, no lock undone, no unknown
 * bit, and CAP_SETPCAP for any of it. */
static int64_t set_securebits(struct cred *cr, uint64_t bits)
{
    uint64_t old = cr->securebits;
    if ((((old & SECURE_ALL_LOCKS) >> 1) & (old ^ bits)) || (old & SECURE_ALL_LOCKS & ~bits) ||
        (bits & ~(uint64_t)(SECURE_ALL_LOCKS | SECURE_ALL_BITS)) || !cred_own_capable(cr, CAP_SETPCAP))
        return -LINUX_EPERM;
    cr->securebits = (uint32_t)bits;
    return 0;
}

/* PR_CAP_AMBIENT: a capability is raised only if permitted and
 * inheritable, and not under SECBIT_NO_CAP_AMBIENT_RAISE. */
static int64_t ambient(struct cred *cr, uint64_t op, uint64_t cap, uint64_t a4, uint64_t a5)
{
    if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
        if (cap | a4 | a5)
            return -LINUX_EINVAL;
        cr->cap_amb = 0;
        return 0;
    }
    if (cap > CAP_LAST || a4 || a5)
        return -LINUX_EINVAL;
    uint64_t bit = 1ull << cap;
    if (op == PR_CAP_AMBIENT_IS_SET)
        return (cr->cap_amb & bit) != 0;
    if (op != PR_CAP_AMBIENT_RAISE && op != PR_CAP_AMBIENT_LOWER)
        return -LINUX_EINVAL;
    if (op == PR_CAP_AMBIENT_LOWER) {
        cr->cap_amb &= ~bit;
        return 0;
    }
    if (!(cr->cap_prm & bit) || !(cr->cap_inh & bit) || (cr->securebits & SECBIT_NO_CAP_AMBIENT_RAISE))
        return -LINUX_EPERM;
    cr->cap_amb |= bit;
    return 0;
}

int64_t caps_prctl(struct proc *p, uint64_t option, uint64_t arg2, uint64_t arg3, uint64_t arg4, uint64_t arg5)
{
    struct cred *cr = &p->cred;
    switch (option) {
    case PR_CAPBSET_READ: return arg2 <= CAP_LAST ? (int64_t)((cr->cap_bnd >> arg2) & 1) : -LINUX_EINVAL;
    case PR_CAPBSET_DROP:
        if (!cred_own_capable(cr, CAP_SETPCAP))
            return -LINUX_EPERM;
        if (arg2 > CAP_LAST)
            return -LINUX_EINVAL;
        cr->cap_bnd &= ~(1ull << arg2);
        return 0;
    case PR_GET_SECUREBITS: return cr->securebits;
    case PR_SET_SECUREBITS: return set_securebits(cr, arg2);
    case PR_GET_KEEPCAPS: return (cr->securebits & SECBIT_KEEP_CAPS) != 0;
    case PR_SET_KEEPCAPS:
        if (arg2 > 1)
            return -LINUX_EINVAL;
        if (cr->securebits & SECBIT_KEEP_CAPS_LOCKED)
            return -LINUX_EPERM;
        cr->securebits = arg2 ? cr->securebits | SECBIT_KEEP_CAPS : cr->securebits & ~(uint32_t)SECBIT_KEEP_CAPS;
        return 0;
    case PR_CAP_AMBIENT: return ambient(cr, arg2, arg3, arg4, arg5);
    }
    return -LINUX_ENOSYS; /* not one of these */
}
