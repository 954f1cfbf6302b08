/*
 * personalities/linux/keylife.c - a key's life past add_key, as Linux
 * 6.1's security/keys: expiry (KEYCTL_SET_TIMEOUT; an expired key answers
 * EKEYEXPIRED, a search passes it over, and it leaves its keyrings
 * kernel/keys/gc_delay seconds later, as a revoked one does), negative
 * keys (request_key with a callout info: no /sbin/request-key runs here,
 * so the construction fails as Linux's does when the helper cannot be
 * executed, ENOENT, and leaves a negative key for key_negative_timeout's
 * 60 seconds, which later requests find: ENOKEY), and keyctl's commands
 * around them: the construction ones (INSTANTIATE, INSTANTIATE_IOV,
 * NEGATE, REJECT, ASSUME_AUTHORITY), which need an authority only a
 * request-key helper holds, so answer Linux's errors for a caller without
 * one; SESSION_TO_PARENT; GET_PERSISTENT (a user's "_persistent.UID"
 * keyring in its user namespace's ".persistent_register", renewed for
 * kernel/keys/persistent_keyring_expiry at each get); RESTRICT_KEYRING
 * (without a type: no key may be linked in; the types here restrict
 * nothing else: ENOENT, an unknown type ENOKEY); MOVE.
 *
 * Entry points: key_now, key_validate, key_construct, keyctl_life,
 * key_reap, key_mark_life, key_userns_gone (keys.h).  Callers: keys.c,
 * keyctl.c, keyquota.c, userns.c.  Layer: proc.  Book: docs/linux.md, "Keyrings".
 */
#include "keys.h"
#include "file.h"
#include "signal.h"
#include "sysctl.h"
#include "time.h"
#include "userns.h"
#include "watchq.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_NEGATIVE_TIMEOUT 60 /* security/keys/request_key.c's key_negative_timeout */
#define KEY_TYPE_NAME_MAX 32
#define INSTANTIATE_MAX (1024 * 1024 - 1)
#define MAX_ERRNO 4095
#define ERESTART_RESTARTBLOCK 516
#define PERM_PERSISTENT 0x1f030000u /* all the possessor's but setattr; the user's view and read */
#define PERM_REGISTER 0x3f010000u
#define OVERFLOW_GID 65534      /* how INVALID_GID is shown: a persistent keyring has no group */

int64_t key_now(void) { return realtime_ns() / 1000000000; }

int64_t key_validate(const struct key *k)
{
    if (k->invalid)
        return -LINUX_ENOKEY;
    if (k->revoked)
        return -LINUX_EKEYREVOKED;
    return k->expiry && key_now() >= k->expiry ? -LINUX_EKEYEXPIRED : 0;
}

/* construct_get_dest_keyring: the default keyring request_key links a
 * new key into, by KEYCTL_SET_REQKEY_KEYRING's setting; the write right. */
static int64_t default_dest(struct proc *p, struct key **out)
{
    static const int32_t order[] = {KEY_SPEC_THREAD_KEYRING, KEY_SPEC_PROCESS_KEYRING, KEY_SPEC_SESSION_KEYRING,
                                    KEY_SPEC_USER_SESSION_KEYRING};
    int from = 0, which = p->keys.reqkey_default;
    if (which == KEY_REQKEY_DEFL_USER_KEYRING)
        return key_lookup(p, KEY_SPEC_USER_KEYRING, 0, KEY_WRITE, out);
    if (which >= KEY_REQKEY_DEFL_THREAD_KEYRING && which <= KEY_REQKEY_DEFL_USER_SESSION_KEYRING)
        from = which - KEY_REQKEY_DEFL_THREAD_KEYRING; /* DEFAULT and REQUESTOR (no requestor here): the thread's on */
    for (int i = from; i < 4; i++) {
        int64_t r = key_lookup(p, order[i], 0, 0, out);
        if (r == -LINUX_ENOKEY && i < 3)
            continue; /* that keyring does not exist: the next */
        if (r < 0)
            return r;
        return key_perm(p, *out, true) & KEY_WRITE ? 0 : -LINUX_EACCES;
    }
    return -LINUX_ENOKEY;
}

int64_t key_construct(struct proc *p, enum key_type type, const char *desc, struct key *dest)
{
    int64_t r = dest ? 0 : default_dest(p, &dest);
    struct key *k;
    if (r < 0 || (r = key_vet(type, desc)) < 0 || (r = key_new(p, type, desc, type == KEY_TYPE_LOGON ? 0x3d010000u : 0x3f010000u, false, &k)) < 0)
        return r; /* construct_alloc_key's perm: the possessor's all (but a logon key's read), the user's view */
    k->reject = LINUX_ENOKEY, k->expiry = key_now() + KEY_NEGATIVE_TIMEOUT;
    if ((r = key_link_any(dest, k)) < 0)
        return r; /* the key, linked nowhere, goes at the next collection */
    return -LINUX_ENOENT; /* call_usermodehelper's: no /sbin/request-key */
}

static int64_t set_timeout(struct proc *p, int32_t id, uint32_t timeout)
{
    struct key *k;
    int64_t r = key_lookup(p, id, KEY_LOOKUP_CREATE | KEY_LOOKUP_PARTIAL, KEY_SETATTR, &k);
    if (r < 0)
        return r;
    k->expiry = timeout ? key_now() + timeout : 0;
    watchq_notify_key(k->serial, NOTIFY_KEY_SETATTR, 0);
    return 0;
}

/* KEYCTL_INSTANTIATE_IOV's import_iovec, then the payload's size: no
 * caller holds an instantiation authority, so EPERM after these. */
static int64_t instantiate_iov(struct proc *p, uint64_t uiov, uint64_t cnt)
{
    struct io_seg *segs = NULL;
    uint64_t total = 0;
    int64_t r = iov_read(p, uiov, uiov ? cnt : 0, &segs, &total);
    free(segs);
    return r < 0 ? r : total > INSTANTIATE_MAX ? -LINUX_EINVAL : -LINUX_EPERM;
}

static int64_t reject(uint64_t error)
{
    if (error == 0 || error >= MAX_ERRNO || error == ERESTARTSYS || error == ERESTARTNOINTR ||
        error == ERESTARTNOHAND || error == ERESTART_RESTARTBLOCK)
        return -LINUX_EINVAL;
    return -LINUX_EPERM; /* no instantiation authority assumed */
}

static int64_t assume_authority(int32_t id)
{
    if (id < 0)
        return -LINUX_EINVAL;
    return id == 0 ? 0 : -LINUX_ENOKEY; /* no ".request_key_auth" key exists to assume */
}

/* keyctl_session_to_parent: the caller's session keyring becomes its
 * parent's, under Linux's conditions (EPERM otherwise). */
static int64_t session_to_parent(struct proc *p)
{
    struct key *mine;
    int64_t r = key_lookup(p, KEY_SPEC_SESSION_KEYRING, 0, KEY_LINK, &mine);
    if (r < 0)
        return r;
    struct proc *parent = proc_by_pid(proc_group(p)->ppid);
    if (!parent || parent->zombie || parent->pid <= 1 || parent->threads)
        return -LINUX_EPERM; /* not init, and single-threaded */
    int32_t theirs = parent->keys.session;
    if (theirs == mine->serial)
        return 0;
    const struct cred *c = &p->cred, *pc = &parent->cred;
    if (pc->uid != c->euid || pc->euid != c->euid || pc->suid != c->euid || pc->gid != c->egid ||
        pc->egid != c->egid || pc->sgid != c->egid)
        return -LINUX_EPERM;
    struct key *old = theirs ? key_find(theirs) : NULL;
    if ((old && old->uid != c->euid) || mine->uid != c->euid)
        return -LINUX_EPERM;
    parent->keys.session = mine->serial; /* Linux's task work, run before the parent returns to its program */
    return 0;
}

/* ---- persistent keyrings: a register per user namespace ---- */

struct persist_reg {
    const struct ns *userns;
    int32_t reg;
    struct persist_reg *next;
};
static struct persist_reg *regs;

/* A key held by no quota (KEY_ALLOC_NOT_IN_QUOTA), owned by uid. */
static int64_t unquoted(struct proc *p, const char *desc, uint32_t perm, uint32_t uid, uint32_t gid, struct key **out)
{
    int64_t r = key_new(p, KEY_TYPE_KEYRING, desc, perm, true, out);
    if (r < 0)
        return r;
    key_unquota(*out);
    if ((*out)->uid != uid && (r = key_chown_quota(*out, uid)) < 0)
        return r;
    (*out)->uid = uid, (*out)->gid = gid;
    return 0;
}

static int64_t persistent(struct proc *p, uint32_t uid, int32_t destid)
{
    const struct ns *ns = p->cred.userns;
    uint32_t kuid = p->cred.uid;
    if (uid != (uint32_t)-1) {
        if ((kuid = userns_uid_to(ns, uid)) == USERNS_NO_ID)
            return -LINUX_EINVAL;
        if (kuid != p->cred.uid && kuid != p->cred.euid && !cred_own_capable(&p->cred, CAP_SETUID))
            return -LINUX_EPERM; /* only one's own without CAP_SETUID */
    }
    struct key *dest, *reg = NULL, *k;
    int64_t r = key_lookup(p, destid, KEY_LOOKUP_CREATE, KEY_WRITE, &dest);
    if (r < 0)
        return r;
    if (dest->type != KEY_TYPE_KEYRING)
        return -LINUX_ENOTDIR;
    struct persist_reg *g = regs;
    while (g && g->userns != ns)
        g = g->next;
    if (!g && (g = calloc(1, sizeof *g)))
        g->userns = ns, g->next = regs, regs = g;
    if (!g)
        return -LINUX_ENOMEM;
    if (!(reg = g->reg ? key_find(g->reg) : NULL)) {
        if ((r = unquoted(p, ".persistent_register", PERM_REGISTER, 0, 0, &reg)) < 0)
            return r;
        g->reg = reg->serial;
    }
    char name[32];
    snprintf(name, sizeof name, "_persistent.%u", userns_uid_from(ns, kuid));
    k = key_in_ring(reg, KEY_TYPE_KEYRING, name);
    if (k && key_validate(k) < 0) {
        key_unlink(reg, k);
        k = NULL;
    }
    if (!k && ((r = unquoted(p, name, PERM_PERSISTENT, kuid, OVERFLOW_GID, &k)) < 0 || (r = key_link_any(reg, k)) < 0))
        return r;
    if ((r = key_link(dest, k)) < 0)
        return r;
    k->expiry = key_now() + sysctl_key_persistent_expiry;
    return k->serial;
}

void key_userns_gone(const struct ns *u)
{
    for (struct persist_reg **at = &regs, *g; (g = *at); at = &g->next)
        if (g->userns == u) {
            *at = g->next; /* the register, no longer held, goes at the next collection */
            free(g);
            return;
        }
}

void key_mark_life(void (*mark)(int32_t serial))
{
    for (struct persist_reg *g = regs; g; g = g->next)
        mark(g->reg);
}

/* ---- restriction and moves ---- */

static int64_t restrict_ring(struct proc *p, int32_t id, uint64_t utype, uint64_t urestriction)
{
    char type[KEY_TYPE_NAME_MAX];
    if (!utype != !urestriction)
        return -LINUX_EINVAL; /* a type and its restriction, or neither */
    if (utype) {
        int n = mem_str(p, utype, type, sizeof type);
        if (n == -LINUX_EFAULT)
            return n;
        if (n <= 0)
            return -LINUX_EINVAL;
        if (type[0] == '.')
            return -LINUX_EPERM;
        char restriction[256];
        if (mem_str(p, urestriction, restriction, sizeof restriction) == -LINUX_EFAULT)
            return -LINUX_EFAULT;
    }
    struct key *ring;
    int64_t r = key_lookup(p, id, 0, KEY_SETATTR, &ring);
    if (r < 0)
        return r;
    if (ring->type != KEY_TYPE_KEYRING)
        return -LINUX_ENOTDIR;
    if (utype) /* "user" and "keyring" have no lookup_restriction; no other type is here */
        return key_type_named(type) ? -LINUX_ENOENT : -LINUX_ENOKEY;
    if (ring->restricted)
        return -LINUX_EEXIST;
    ring->restricted = true;
    watchq_notify_key(ring->serial, NOTIFY_KEY_SETATTR, 0);
    return 0;
}

static int64_t move(struct proc *p, int32_t id, int32_t fromid, int32_t toid, uint64_t flags)
{
    if (flags & ~(uint64_t)KEYCTL_MOVE_EXCL)
        return -LINUX_EINVAL;
    struct key *k, *from, *to;
    int64_t r = key_lookup(p, id, KEY_LOOKUP_CREATE, KEY_LINK, &k);
    if (r < 0 || (r = key_lookup(p, fromid, 0, KEY_WRITE, &from)) < 0 ||
        (r = key_lookup(p, toid, KEY_LOOKUP_CREATE, KEY_WRITE, &to)) < 0)
        return r;
    if (from == to)
        return 0;
    if (from->type != KEY_TYPE_KEYRING || to->type != KEY_TYPE_KEYRING)
        return -LINUX_ENOTDIR;
    struct key *held = key_in_ring(from, k->type, k->desc); /* by type and name, as Linux's index finds it */
    if (!held)
        return -LINUX_ENOENT;
    struct key *same = key_in_ring(to, k->type, k->desc);
    if (same && same != k && (flags & KEYCTL_MOVE_EXCL))
        return -LINUX_EEXIST;
    if (to->restricted)
        return -LINUX_EPERM;
    key_unlink(from, held); /* out of one, then into the other, as Linux's key_move announces them */
    if ((r = key_link(to, k)) < 0)
        key_link_any(from, held);
    return r;
}

static int64_t watch_key(struct proc *p, int32_t id, int fd, int watch_id)
{
    if (watch_id < -1 || watch_id > 0xff)
        return -LINUX_EINVAL;
    struct key *k;
    int64_t r = key_lookup(p, id, KEY_LOOKUP_CREATE, KEY_VIEW, &k);
    return r < 0 ? r : watchq_watch_key(p, k->serial, fd, watch_id);
}

int64_t keyctl_life(struct proc *p, int cmd, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    int32_t id = (int32_t)a2;
    switch (cmd) {
    case KEYCTL_SET_TIMEOUT: return set_timeout(p, id, (uint32_t)a3);
    case KEYCTL_INSTANTIATE: return a4 > INSTANTIATE_MAX ? -LINUX_EINVAL : -LINUX_EPERM;
    case KEYCTL_INSTANTIATE_IOV: return instantiate_iov(p, a3, a4);
    case KEYCTL_NEGATE: return reject(LINUX_ENOKEY);
    case KEYCTL_REJECT: return reject(a4);
    case KEYCTL_ASSUME_AUTHORITY: return assume_authority(id);
    case KEYCTL_SESSION_TO_PARENT: return session_to_parent(p);
    case KEYCTL_GET_PERSISTENT: return persistent(p, (uint32_t)a2, (int32_t)a3);
    case KEYCTL_RESTRICT_KEYRING: return restrict_ring(p, id, a3, a4);
    case KEYCTL_MOVE: return move(p, id, (int32_t)a3, (int32_t)a4, a5);
    case KEYCTL_WATCH_KEY: return watch_key(p, id, (int)a3, (int)a4);
    default: return -LINUX_EOPNOTSUPP;
    }
}

/* Linux's key_gc: an expired or revoked key leaves every keyring
 * gc_delay seconds after it died. */
void key_reap(void)
{
    int64_t limit = key_now() - sysctl_key_gc_delay;
    for (struct key *k = key_list(); k; k = k->next)
        if ((k->expiry && k->expiry <= limit) || (k->revoked_at && k->revoked_at <= limit))
            key_drop_links(k);
}
