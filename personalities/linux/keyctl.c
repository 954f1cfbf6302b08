/*
 * personalities/linux/keyctl.c - add_key, request_key and keyctl over the
 * key store (keys.c): "user" and "keyring" keys, the KEY_SPEC_* keyrings,
 * and keyctl's GET_KEYRING_ID, JOIN_SESSION_KEYRING, UPDATE, REVOKE,
 * CHOWN, SETPERM, DESCRIBE, CLEAR, LINK, UNLINK, SEARCH, READ,
 * SET_REQKEY_KEYRING, GET_SECURITY (no security module: empty),
 * INVALIDATE and CAPABILITIES, with Linux's permission checks and errors;
 * keylife.c has the others that are built (timeouts, the construction
 * commands, SESSION_TO_PARENT, persistent keyrings, RESTRICT_KEYRING,
 * MOVE).  request_key finds a key that exists; with a callout info and
 * none found, keylife.c's construction leaves a negative key.  The
 * public-key and Diffie-Hellman commands (no "asymmetric" key type, and a
 * "user" key's payload is no DH parameter set here) and WATCH_KEY (no
 * notification pipes) are EOPNOTSUPP.
 *
 * Entry points: the calls' handlers (syscalls.def).  Layer: proc.  Book:
 * docs/linux.md, "Keyrings".
 */
#include "keys.h"
#include "watchq.h"
#include "linux_entries/keyctl.h" /* generated: the handlers' prototypes, entries */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_TYPE_NAME_MAX 32
#define KEY_DESC_MAX 4096
#define USER_PAYLOAD_MAX 32767
#define UPDATE_MAX 4096 /* keyctl_update_key's PAGE_SIZE */
#define ADD_KEY_PAYLOAD_MAX (1024 * 1024 - 1)
#define PERM_NAMED_SESSION 0x3f130000u /* the user's view, read and link */
#define PERM_ANON_SESSION 0x3f030000u
#define PERM_NEW_KEY 0x3f010000u

/* A key type's name from the process: -EFAULT, -EINVAL, -EPERM (a ".": the kernel's own). */
static int64_t type_in(struct proc *p, uint64_t uname, char *buf)
{
    int n = mem_str(p, uname, buf, KEY_TYPE_NAME_MAX);
    if (n == -LINUX_EFAULT)
        return n;
    if (n <= 0)
        return -LINUX_EINVAL;
    return buf[0] == '.' ? -LINUX_EPERM : 0;
}

static int64_t desc_in(struct proc *p, uint64_t udesc, char *buf)
{
    int n = mem_str(p, udesc, buf, KEY_DESC_MAX);
    return n == -LINUX_EFAULT ? n : n < 0 ? -LINUX_EINVAL : 0;
}

/* A user key's new payload. */
static int64_t set_payload(struct key *k, const char *data, uint64_t len)
{
    if (!data || len == 0 || len > USER_PAYLOAD_MAX)
        return -LINUX_EINVAL;
    char *copy = malloc(len);
    if (!copy)
        return -LINUX_ENOMEM;
    if (key_reserve(k, (uint32_t)len) < 0) { /* the owner's quota: Linux's user_update, generic_key_instantiate */
        free(copy);
        return -LINUX_EDQUOT;
    }
    memcpy(copy, data, len);
    free(k->data);
    k->data = copy, k->len = (uint32_t)len;
    k->reject = 0, k->expiry = 0; /* user_update: positive now, and the payload's expiry (none) is the key's */
    return 0;
}

/* key_create_or_update: a user key of that name in ring is updated (with
 * the write right); else a new key displaces it. */
static int64_t create_or_update(struct proc *p, struct key *ring, enum key_type t, const char *desc, const char *data,
                                uint64_t len)
{
    if (ring->type != KEY_TYPE_KEYRING)
        return -LINUX_ENOTDIR;
    bool payload = t != KEY_TYPE_KEYRING; /* a user or logon key's */
    if (payload ? (!data || !len || len > USER_PAYLOAD_MAX || !desc[0]) : len != 0)
        return -LINUX_EINVAL;
    struct key *old = payload ? key_in_ring(ring, t, desc) : NULL;
    if (old && !old->revoked && !old->invalid) { /* find_key_to_update: an expired or negative one too */
        if (!(key_perm(p, old, key_possessed(p, old)) & KEY_WRITE))
            return -LINUX_EACCES;
        int64_t r = set_payload(old, data, len);
        if (r == 0)
            watchq_notify_key(old->serial, NOTIFY_KEY_UPDATED, 0);
        return r < 0 ? r : old->serial;
    }
    struct key *k;
    int64_t r = key_vet(t, desc);
    if (r == 0) /* a logon key has no read: not even its possessor's */
        r = key_new(p, t, desc, t == KEY_TYPE_LOGON ? PERM_NEW_KEY & ~(KEY_READ << 24) : PERM_NEW_KEY, false, &k);
    if (r == 0 && payload)
        r = set_payload(k, data, len);
    if (r == 0)
        r = key_link(ring, k);
    return r < 0 ? r : k->serial; /* a key left unlinked goes at the next collection */
}

static int64_t sys_add_key(struct sys_ctx *c, uint64_t utype, uint64_t udesc, uint64_t payload, uint64_t plen,
                           int ringid)
{
    static char type[KEY_TYPE_NAME_MAX], desc[KEY_DESC_MAX], data[ADD_KEY_PAYLOAD_MAX + 1];
    key_collect();
    int64_t r = type_in(c->p, utype, type);
    if (r < 0)
        return r;
    desc[0] = '\0';
    if (udesc && (r = desc_in(c->p, udesc, desc)) < 0)
        return r;
    if (desc[0] == '.' && strcmp(type, "keyring") == 0)
        return -LINUX_EPERM;
    if (plen > ADD_KEY_PAYLOAD_MAX)
        return -LINUX_EINVAL;
    if (plen && mem_in(c->p, data, payload, plen) < 0)
        return -LINUX_EFAULT;
    struct key *ring;
    if ((r = key_lookup(c->p, ringid, KEY_LOOKUP_CREATE, KEY_WRITE, &ring)) < 0)
        return r;
    enum key_type t = key_type_named(type);
    return t ? create_or_update(c->p, ring, t, desc, payload ? data : NULL, plen) : -LINUX_ENODEV;
}

/* search_process_keyrings: the thread's, the process's, then the
 * session's (or the user session's) keyring, passing over expired keys;
 * -EAGAIN (none) or -ENOKEY (a negative key) from the last keyring that
 * answered either, else the first other error, else -EAGAIN. */
static int64_t search_process(struct proc *p, enum key_type t, const char *desc, struct key **out)
{
    int32_t ids[3] = {KEY_SPEC_THREAD_KEYRING, KEY_SPEC_PROCESS_KEYRING, KEY_SPEC_SESSION_KEYRING};
    int64_t none = 0, err = -LINUX_EAGAIN;
    for (int i = 0; i < 3; i++) {
        struct key *ring;
        if (key_lookup(p, ids[i], 0, 0, &ring) < 0)
            continue;
        int64_t r = key_search(p, ring, true, t, desc, true, out);
        if (r == 0)
            return 0;
        if (r == -LINUX_EAGAIN || r == -LINUX_ENOKEY)
            none = r;
        else if (err == -LINUX_EAGAIN)
            err = r;
    }
    return none ? none : err;
}

static int64_t sys_request_key(struct sys_ctx *c, uint64_t utype, uint64_t udesc, uint64_t callout, int destid)
{
    static char type[KEY_TYPE_NAME_MAX], desc[KEY_DESC_MAX], info[KEY_DESC_MAX];
    key_collect();
    int64_t r = type_in(c->p, utype, type);
    if (r < 0 || (r = desc_in(c->p, udesc, desc)) < 0 || (callout && (r = desc_in(c->p, callout, info)) < 0))
        return r;
    struct key *dest = NULL, *k;
    if (destid && (r = key_lookup(c->p, destid, KEY_LOOKUP_CREATE, KEY_WRITE, &dest)) < 0)
        return r;
    enum key_type t = key_type_named(type);
    if (!t)
        return -LINUX_ENOKEY;
    if ((r = search_process(c->p, t, desc, &k)) == -LINUX_EAGAIN)
        return callout ? key_construct(c->p, t, desc, dest) : -LINUX_ENOKEY;
    if (r < 0)
        return r;
    return dest && (r = key_link(dest, k)) < 0 ? r : k->serial;
}

/* KEYCTL_JOIN_SESSION_KEYRING: a new anonymous session keyring, or the
 * named one the user may search, else a new one of that name. */
static int64_t join_session(struct proc *p, uint64_t uname)
{
    static char name[KEY_DESC_MAX];
    int64_t r = uname ? desc_in(p, uname, name) : 0;
    if (r < 0)
        return r;
    struct key *k = uname ? key_named_ring(p, name) : NULL;
    if (!k && (r = key_new(p, KEY_TYPE_KEYRING, uname ? name : "_ses", uname ? PERM_NAMED_SESSION : PERM_ANON_SESSION,
                           !uname, &k)) < 0)
        return r; /* a named one counts against the quota, an anonymous one is charged past it */
    p->keys.session = k->serial;
    return k->serial;
}

static int64_t describe(struct proc *p, int32_t id, uint64_t buf, uint64_t len)
{
    struct key *k;
    int64_t r = key_lookup(p, id, KEY_LOOKUP_PARTIAL, KEY_VIEW, &k);
    if (r < 0)
        return r;
    char text[KEY_DESC_MAX + 64];
    int n = snprintf(text, sizeof text, "%s;%u;%u;%08x;%s", key_type_name(k->type), k->uid, k->gid, k->perm, k->desc) + 1;
    if (buf && len >= (uint64_t)n && mem_out(p, buf, text, (size_t)n) < 0)
        return -LINUX_EFAULT;
    return n;
}

/* KEYCTL_READ: a user key's payload, or a keyring's serials; the read
 * right, or possession (with search) will do. */
static int64_t read_key(struct proc *p, int32_t id, uint64_t buf, uint64_t len)
{
    struct key *k;
    int64_t r = key_lookup(p, id, 0, 0, &k);
    if (r < 0)
        return r;
    if (!(key_perm(p, k, r) & KEY_READ) && !r)
        return -LINUX_EACCES;
    if (k->type == KEY_TYPE_LOGON)
        return -LINUX_EOPNOTSUPP; /* no read operation */
    const void *data = k->type == KEY_TYPE_USER ? (const void *)k->data : (const void *)k->links;
    uint64_t n = k->type == KEY_TYPE_USER ? k->len : (uint64_t)k->nlinks * sizeof(int32_t);
    if (buf && len && mem_out(p, buf, data, n < len ? n : len) < 0)
        return -LINUX_EFAULT;
    return (int64_t)n;
}

static int64_t update(struct proc *p, int32_t id, uint64_t payload, uint64_t plen)
{
    static char data[UPDATE_MAX + 1];
    if (plen > UPDATE_MAX)
        return -LINUX_EINVAL;
    if (plen && mem_in(p, data, payload, plen) < 0)
        return -LINUX_EFAULT;
    struct key *k;
    int64_t r = key_lookup(p, id, 0, KEY_WRITE, &k);
    if (r < 0)
        return r;
    if (k->type == KEY_TYPE_KEYRING)
        return -LINUX_EOPNOTSUPP;
    if ((r = set_payload(k, payload ? data : NULL, plen)) == 0)
        watchq_notify_key(k->serial, NOTIFY_KEY_UPDATED, 0);
    return r;
}

static int64_t revoke(struct proc *p, int32_t id)
{
    struct key *k;
    int64_t r = key_lookup(p, id, 0, KEY_WRITE, &k);
    if (r == -LINUX_EACCES)
        r = key_lookup(p, id, 0, KEY_SETATTR, &k);
    if (r < 0)
        return r;
    k->revoked = true, k->revoked_at = key_now();
    free(k->data);
    k->data = NULL, k->len = 0;
    if (k->type == KEY_TYPE_KEYRING)
        key_clear_links(k); /* Linux's keyring_revoke */
    else
        key_reserve(k, 0); /* user_revoke */
    watchq_notify_key(k->serial, NOTIFY_KEY_REVOKED, 0);
    return 0;
}

static int64_t set_perm(struct proc *p, int32_t id, uint32_t perm)
{
    struct key *k;
    if (perm & ~0x3f3f3f3fu)
        return -LINUX_EINVAL;
    int64_t r = key_lookup(p, id, KEY_LOOKUP_CREATE | KEY_LOOKUP_PARTIAL, KEY_SETATTR, &k);
    if (r < 0)
        return r;
    if (k->uid != p->cred.fsuid && !cred_capable(&p->cred, CAP_SYS_ADMIN))
        return -LINUX_EACCES;
    k->perm = perm;
    watchq_notify_key(k->serial, NOTIFY_KEY_SETATTR, 0);
    return 0;
}

static int64_t chown_key(struct proc *p, int32_t id, uint32_t uid, uint32_t gid)
{
    struct key *k;
    if (uid == (uint32_t)-1 && gid == (uint32_t)-1)
        return 0; /* nothing to change: Linux answers before looking the key up */
    int64_t r = key_lookup(p, id, KEY_LOOKUP_CREATE | KEY_LOOKUP_PARTIAL, KEY_SETATTR, &k);
    if (r < 0)
        return r;
    bool admin = cred_capable(&p->cred, CAP_SYS_ADMIN);
    if ((uid != (uint32_t)-1 && uid != k->uid && !admin) ||
        (gid != (uint32_t)-1 && gid != k->gid && !admin && (k->uid != p->cred.fsuid || !fs_in_group(gid))))
        return -LINUX_EACCES;
    if (uid != (uint32_t)-1 && uid != k->uid && (r = key_chown_quota(k, uid)) < 0)
        return r; /* the new owner's quota takes the key's burden, or EDQUOT */
    k->uid = uid != (uint32_t)-1 ? uid : k->uid;
    k->gid = gid != (uint32_t)-1 ? gid : k->gid;
    watchq_notify_key(k->serial, NOTIFY_KEY_SETATTR, 0);
    return 0;
}

/* LINK and UNLINK: the keyring with the write right, then the key. */
static int64_t link_key(struct proc *p, int32_t id, int32_t ringid, bool unlink)
{
    struct key *ring, *k;
    int64_t r = key_lookup(p, ringid, unlink ? 0 : KEY_LOOKUP_CREATE, KEY_WRITE, &ring);
    if (r < 0 || (r = key_lookup(p, id, unlink ? KEY_LOOKUP_PARTIAL : KEY_LOOKUP_CREATE, unlink ? 0 : KEY_LINK, &k)) < 0)
        return r;
    if (ring->type != KEY_TYPE_KEYRING)
        return -LINUX_ENOTDIR;
    return unlink ? key_unlink(ring, k) : key_link(ring, k);
}

static int64_t clear_ring(struct proc *p, int32_t id)
{
    struct key *ring;
    int64_t r = key_lookup(p, id, KEY_LOOKUP_CREATE, KEY_WRITE, &ring);
    if (r < 0)
        return r;
    if (ring->type != KEY_TYPE_KEYRING)
        return -LINUX_ENOTDIR;
    key_clear_links(ring);
    watchq_notify_key(ring->serial, NOTIFY_KEY_CLEARED, 0);
    return 0;
}

static int64_t search(struct proc *p, int32_t ringid, uint64_t utype, uint64_t udesc, int32_t destid)
{
    static char type[KEY_TYPE_NAME_MAX], desc[KEY_DESC_MAX];
    int64_t r = type_in(p, utype, type);
    if (r < 0 || (r = desc_in(p, udesc, desc)) < 0)
        return r;
    struct key *ring, *dest = NULL, *k;
    if ((r = key_lookup(p, ringid, 0, KEY_SEARCH, &ring)) < 0)
        return r;
    bool possessed = r;
    if (destid && (r = key_lookup(p, destid, KEY_LOOKUP_CREATE, KEY_WRITE, &dest)) < 0)
        return r;
    enum key_type t = key_type_named(type);
    if (!t)
        return -LINUX_ENOKEY;
    if ((r = key_search(p, ring, possessed, t, desc, false, &k)) < 0)
        return r == -LINUX_EAGAIN ? -LINUX_ENOKEY : r;
    if (dest && !(key_perm(p, k, key_possessed(p, k)) & KEY_LINK))
        return -LINUX_EACCES;
    return dest && (r = key_link(dest, k)) < 0 ? r : k->serial;
}

static int64_t invalidate(struct proc *p, int32_t id)
{
    struct key *k;
    int64_t r = key_lookup(p, id, 0, KEY_SEARCH, &k);
    if (r < 0)
        return r;
    k->invalid = true;
    key_drop_links(k);
    watchq_notify_key(k->serial, NOTIFY_KEY_INVALIDATED, 0);
    return 0;
}

static int64_t reqkey_default(struct proc *p, int which)
{
    int old = p->keys.reqkey_default;
    if (which == KEY_REQKEY_DEFL_NO_CHANGE)
        return old;
    if (which < 0 || which > KEY_REQKEY_DEFL_REQUESTOR_KEYRING || which == KEY_REQKEY_DEFL_GROUP_KEYRING)
        return -LINUX_EINVAL;
    struct key *k;
    int64_t r = 0;
    if (which == KEY_REQKEY_DEFL_THREAD_KEYRING || which == KEY_REQKEY_DEFL_PROCESS_KEYRING)
        r = key_lookup(p, which == KEY_REQKEY_DEFL_THREAD_KEYRING ? KEY_SPEC_THREAD_KEYRING : KEY_SPEC_PROCESS_KEYRING,
                       KEY_LOOKUP_CREATE, 0, &k); /* installed now, as Linux's keyctl_set_reqkey_keyring does */
    if (r < 0)
        return r;
    p->keys.reqkey_default = which;
    return old;
}

/* No security module: an empty label. */
static int64_t security(struct proc *p, int32_t id, uint64_t buf, uint64_t len)
{
    struct key *k;
    int64_t r = key_lookup(p, id, KEY_LOOKUP_PARTIAL, KEY_VIEW, &k);
    if (r < 0)
        return r;
    return buf && len && mem_out(p, buf, "", 1) < 0 ? -LINUX_EFAULT : 1;
}

static int64_t capabilities(struct proc *p, uint64_t buf, uint64_t len)
{
    uint8_t caps[2] = {KEYCTL_CAPS0_CAPABILITIES | KEYCTL_CAPS0_PERSISTENT_KEYRINGS | KEYCTL_CAPS0_INVALIDATE |
                           KEYCTL_CAPS0_RESTRICT_KEYRING | KEYCTL_CAPS0_MOVE,
                       KEYCTL_CAPS1_NOTIFICATIONS};
    return buf && len && mem_out(p, buf, caps, len < sizeof caps ? len : sizeof caps) < 0 ? -LINUX_EFAULT
                                                                                           : (int64_t)sizeof caps;
}

static int64_t sys_keyctl(struct sys_ctx *c, int cmd, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct proc *p = c->p;
    struct key *k;
    int32_t id = (int32_t)a2;
    int64_t r;
    key_collect(); /* what nothing holds has gone, as after Linux's collector ran */
    switch (cmd) {
    case KEYCTL_GET_KEYRING_ID: return (r = key_lookup(p, id, a3 ? KEY_LOOKUP_CREATE : 0, 0, &k)) < 0 ? r : k->serial;
    case KEYCTL_JOIN_SESSION_KEYRING: return join_session(p, a2);
    case KEYCTL_UPDATE: return update(p, id, a3, a4);
    case KEYCTL_REVOKE: return revoke(p, id);
    case KEYCTL_CHOWN: return chown_key(p, id, (uint32_t)a3, (uint32_t)a4);
    case KEYCTL_SETPERM: return set_perm(p, id, (uint32_t)a3);
    case KEYCTL_DESCRIBE: return describe(p, id, a3, a4);
    case KEYCTL_CLEAR: return clear_ring(p, id);
    case KEYCTL_LINK: return link_key(p, id, (int32_t)a3, false);
    case KEYCTL_UNLINK: return link_key(p, id, (int32_t)a3, true);
    case KEYCTL_SEARCH: return search(p, id, a3, a4, (int32_t)a5);
    case KEYCTL_READ: return read_key(p, id, a3, a4);
    case KEYCTL_SET_REQKEY_KEYRING: return reqkey_default(p, id);
    case KEYCTL_GET_SECURITY: return security(p, id, a3, a4);
    case KEYCTL_INVALIDATE: return invalidate(p, id);
    case KEYCTL_CAPABILITIES: return capabilities(p, a2, a3);
    default: return keyctl_life(p, cmd, a2, a3, a4, a5);
    }
}
