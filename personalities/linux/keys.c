/*
 * personalities/linux/keys.c - the key store behind add_key, keyctl and
 * request_key: every key, its permissions (a possessor's, user's, group's
 * and others' byte, the possessor's added to the one that applies, as
 * Linux's key_task_permission; root has no exemption), possession (a
 * thread's keyrings and what they lead to through searchable keyrings),
 * the special keyrings a KEY_SPEC_* id names (made on demand: a thread's
 * "_tid", a process's "_pid", a session's "_ses", a user's "_uid.N" and
 * "_uid_ses.N"), and the links of keyrings.  A key nothing holds goes
 * at keyquota.c's next collection; a user's keyrings stay with the server.
 *
 * Entry points: keys.h's.  Callers: keyctl.c.  Layer: proc.  Book:
 * docs/linux.md, "Keyrings".
 */
#include "keys.h"
#include "watchq.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEYRING_SEARCH_DEPTH 6
#define PERM_USER_KEY 0x3f010000u  /* all the possessor's rights; the user's view */
#define PERM_SESSION 0x3f030000u   /* and the user's read */
#define PERM_USER_RING 0x1f3f0000u /* all but the possessor's setattr, all the user's */

static struct key *keys;
static int32_t next_serial = 0x1b5e0000;

/* A user's keyring and user session keyring (Linux's user_struct's). */
struct user_rings {
    uint32_t uid;
    int32_t user, session;
    struct user_rings *next;
};
static struct user_rings *users;

static const char *const type_names[] = {[KEY_TYPE_USER] = "user", [KEY_TYPE_KEYRING] = "keyring",
                                          [KEY_TYPE_LOGON] = "logon"};

enum key_type key_type_named(const char *name)
{
    for (int t = KEY_TYPE_USER; t <= KEY_TYPE_LOGON; t++)
        if (strcmp(name, type_names[t]) == 0)
            return (enum key_type)t;
    return 0;
}

const char *key_type_name(enum key_type t) { return type_names[t]; }

int64_t key_vet(enum key_type t, const char *desc)
{
    const char *colon = strchr(desc, ':');
    return t == KEY_TYPE_LOGON && (!colon || colon == desc) ? -LINUX_EINVAL : 0; /* logon_vet_description */
}

struct key *key_find(int32_t serial)
{
    for (struct key *k = keys; k; k = k->next)
        if (k->serial == serial)
            return k;
    return NULL;
}

struct key *key_list(void) { return keys; }
struct key **key_list_head(void) { return &keys; }

int64_t key_new(struct proc *p, enum key_type type, const char *desc, uint32_t perm, bool overrun, struct key **out)
{
    struct key *k = calloc(1, sizeof *k);
    char *d = strdup(desc);
    int64_t r = k && d ? 0 : -LINUX_ENOMEM;
    if (r == 0) {
        *k = (struct key){.type = type, .perm = perm, .uid = p->cred.fsuid, .gid = p->cred.fsgid, .desc = d};
        r = key_charge(k, overrun);
    }
    if (r < 0) {
        free(k);
        free(d);
        return r;
    }
    k->serial = next_serial++, k->next = keys;
    keys = k;
    *out = k;
    return 0;
}

uint32_t key_perm(const struct proc *p, const struct key *k, bool possessed)
{
    uint32_t bits = k->perm;
    if (k->uid == p->cred.fsuid)
        bits >>= 16;
    else if (fs_in_group(k->gid)) /* fs_cred is the caller's */
        bits >>= 8;
    bits &= 0x3f;
    return possessed ? bits | ((k->perm >> 24) & 0x3f) : bits;
}

struct key *key_in_ring(const struct key *ring, enum key_type type, const char *desc)
{
    for (int i = 0; i < ring->nlinks; i++) {
        struct key *k = key_find(ring->links[i]);
        if (k && k->type == type && strcmp(k->desc, desc) == 0)
            return k;
    }
    return NULL;
}

/* Whether want is reached from ring through keyrings p may search. */
static bool reaches(struct proc *p, const struct key *ring, const struct key *want, int depth)
{
    for (int i = 0; ring && i < ring->nlinks; i++) {
        struct key *k = key_find(ring->links[i]);
        if (!k || k->invalid)
            continue;
        uint32_t perm = p ? key_perm(p, k, true) : KEY_SEARCH;
        if (k == want && (perm & KEY_SEARCH))
            return true;
        if (k->type == KEY_TYPE_KEYRING && !k->revoked && (perm & KEY_SEARCH) && depth < KEYRING_SEARCH_DEPTH &&
            reaches(p, k, want, depth + 1))
            return true;
    }
    return false;
}

/* The user's keyrings, made the first time: "_uid_ses.N" holds "_uid.N". */
static struct user_rings *user_rings(struct proc *p)
{
    uint32_t uid = p->cred.uid;
    for (struct user_rings *u = users; u; u = u->next)
        if (u->uid == uid)
            return u;
    char name[32];
    struct key *user = NULL, *ses = NULL;
    snprintf(name, sizeof name, "_uid.%u", uid);
    int64_t r = key_new(p, KEY_TYPE_KEYRING, name, PERM_USER_RING, false, &user);
    snprintf(name, sizeof name, "_uid_ses.%u", uid);
    if (r == 0)
        r = key_new(p, KEY_TYPE_KEYRING, name, PERM_USER_RING, false, &ses);
    struct user_rings *u = r == 0 ? malloc(sizeof *u) : NULL;
    if (!u || key_link(ses, user) < 0) {
        free(u);
        return NULL; /* what was made goes at the next collection */
    }
    user->uid = ses->uid = uid;
    *u = (struct user_rings){uid, user->serial, ses->serial, users};
    users = u;
    return u;
}

bool key_possessed(struct proc *p, const struct key *k)
{
    struct user_rings *u = p->keys.session ? NULL : user_rings(p);
    int32_t roots[3] = {p->keys.thread, proc_group(p)->keys.process, u ? u->session : p->keys.session};
    for (int i = 0; i < 3; i++) {
        struct key *r = roots[i] ? key_find(roots[i]) : NULL;
        if (r && (r == k || ((key_perm(p, r, true) & KEY_SEARCH) && reaches(p, r, k, 1))))
            return true;
    }
    return false;
}

/* A special keyring of p's, made if create (else -ENOKEY). */
static int64_t own_ring(struct proc *p, int32_t *slot, const char *name, uint32_t perm, bool create)
{
    if (!*slot) {
        struct key *k;
        int64_t r = create ? key_new(p, KEY_TYPE_KEYRING, name, perm, true, &k) : -LINUX_ENOKEY;
        if (r < 0)
            return r;
        *slot = k->serial;
    }
    return *slot;
}

/* The session keyring: the user session keyring when there is none, or a
 * new anonymous one if create (Linux's lookup_user_key). */
static int64_t session_ring(struct proc *p, bool create)
{
    struct user_rings *u = user_rings(p);
    if (!u)
        return -LINUX_ENOMEM;
    if (!p->keys.session && !create)
        p->keys.session = u->session;
    if (!create || (p->keys.session && p->keys.session != u->session))
        return p->keys.session;
    p->keys.session = 0;
    return own_ring(p, &p->keys.session, "_ses", PERM_SESSION, true);
}

static int64_t special_ring(struct proc *p, int32_t id, bool create)
{
    struct user_rings *u;
    switch (id) {
    case KEY_SPEC_THREAD_KEYRING: return own_ring(p, &p->keys.thread, "_tid", PERM_USER_KEY, create);
    case KEY_SPEC_PROCESS_KEYRING: return own_ring(p, &proc_group(p)->keys.process, "_pid", PERM_USER_KEY, create);
    case KEY_SPEC_SESSION_KEYRING: return session_ring(p, create);
    case KEY_SPEC_USER_KEYRING:
    case KEY_SPEC_USER_SESSION_KEYRING:
        u = user_rings(p);
        return !u ? -LINUX_ENOMEM : id == KEY_SPEC_USER_KEYRING ? u->user : u->session;
    case KEY_SPEC_REQKEY_AUTH_KEY:
    case KEY_SPEC_REQUESTOR_KEYRING: return -LINUX_ENOKEY; /* no request_key construction is under way */
    default: return -LINUX_EINVAL; /* KEY_SPEC_GROUP_KEYRING too, as Linux */
    }
}

int64_t key_lookup(struct proc *p, int32_t id, int flags, uint32_t need, struct key **out)
{
    bool possessed = id < 0;
    int64_t serial = id < 0 ? special_ring(p, id, flags & KEY_LOOKUP_CREATE) : id ? id : -LINUX_EINVAL;
    if (serial < 0)
        return serial;
    struct key *k = key_find((int32_t)serial);
    if (!k || k->invalid)
        return -LINUX_ENOKEY;
    if (!possessed)
        possessed = key_possessed(p, k);
    int64_t state = k->reject && !(flags & KEY_LOOKUP_PARTIAL) ? -k->reject : 0;
    if (!state && (!(flags & KEY_LOOKUP_PARTIAL) || need))
        state = key_validate(k); /* wait_for_key_construction's, or a partial lookup's with rights to check */
    if (state < 0)
        return state;
    if (need & ~key_perm(p, k, possessed))
        return -LINUX_EACCES;
    *out = k;
    return possessed;
}

int64_t key_link(struct key *ring, struct key *k)
{
    if (ring->type == KEY_TYPE_KEYRING && ring->restricted)
        return -LINUX_EPERM; /* Linux's restrict_link_reject */
    return key_link_any(ring, k);
}

int64_t key_link_any(struct key *ring, struct key *k)
{
    if (ring->type != KEY_TYPE_KEYRING)
        return -LINUX_ENOTDIR;
    if (k->type == KEY_TYPE_KEYRING && (k == ring || reaches(NULL, k, ring, 1)))
        return -LINUX_EDEADLK;
    struct key *same = key_in_ring(ring, k->type, k->desc);
    for (int i = 0; same && i < ring->nlinks; i++)
        if (ring->links[i] == same->serial) {
            ring->links[i] = k->serial; /* the new key displaces the old, in the link's place and quota */
            watchq_notify_key(ring->serial, NOTIFY_KEY_LINKED, (uint32_t)k->serial);
            return 0;
        }
    if (key_reserve(ring, ring->datalen + KEYQUOTA_LINK_BYTES) < 0)
        return -LINUX_EDQUOT; /* the keyring's owner's quota: Linux's __key_link_begin */
    if (ring->nlinks == ring->cap) {
        int cap = ring->cap ? ring->cap * 2 : 8;
        int32_t *l = realloc(ring->links, (size_t)cap * sizeof *l);
        if (!l) {
            key_reserve(ring, ring->datalen - KEYQUOTA_LINK_BYTES);
            return -LINUX_ENOMEM;
        }
        ring->links = l, ring->cap = cap;
    }
    ring->links[ring->nlinks++] = k->serial;
    watchq_notify_key(ring->serial, NOTIFY_KEY_LINKED, (uint32_t)k->serial);
    return 0;
}

/* k out of ring, unannounced (the collector's): 0 or -ENOENT. */
static int64_t unlink_quiet(struct key *ring, const struct key *k)
{
    for (int i = 0; i < ring->nlinks; i++)
        if (ring->links[i] == k->serial) {
            memmove(&ring->links[i], &ring->links[i + 1], (size_t)(ring->nlinks - i - 1) * sizeof *ring->links);
            ring->nlinks--;
            key_reserve(ring, ring->datalen - KEYQUOTA_LINK_BYTES);
            return 0;
        }
    return -LINUX_ENOENT;
}

int64_t key_unlink(struct key *ring, const struct key *k)
{
    int64_t r = unlink_quiet(ring, k);
    if (r == 0)
        watchq_notify_key(ring->serial, NOTIFY_KEY_UNLINKED, (uint32_t)k->serial);
    return r;
}

struct key *key_named_ring(struct proc *p, const char *name)
{
    for (struct key *k = keys; k; k = k->next)
        if (k->type == KEY_TYPE_KEYRING && !k->revoked && !k->invalid && strcmp(k->desc, name) == 0 &&
            (key_perm(p, k, false) & KEY_SEARCH))
            return k;
    return NULL;
}

void key_drop_links(const struct key *k)
{
    for (struct key *r = keys; r; r = r->next)
        if (r->type == KEY_TYPE_KEYRING)
            unlink_quiet(r, k);
}

void key_clear_links(struct key *ring)
{
    ring->nlinks = 0;
    key_reserve(ring, 0);
}

void key_mark_users(void (*mark)(int32_t serial))
{
    for (struct user_rings *u = users; u; u = u->next)
        mark(u->user), mark(u->session);
}

/* search_nested_keyrings: the ring's own key of that name first, then
 * the keyrings it holds; *skipped keeps why a match was passed over. */
static bool search_in(struct proc *p, struct key *ring, bool possessed, enum key_type type, const char *desc,
                      bool skip_expired, int depth, struct key **out, int64_t *skipped)
{
    struct key *k = key_in_ring(ring, type, desc);
    int64_t state = k ? key_validate(k) : 0;
    if (state == -LINUX_EKEYEXPIRED && skip_expired)
        ; /* request_key's search passes over an expired key as absent */
    else if (state < 0)
        *skipped = state == -LINUX_ENOKEY ? -LINUX_EKEYREVOKED : state;
    else if (k && !(key_perm(p, k, possessed) & KEY_SEARCH))
        *skipped = -LINUX_EACCES;
    else if (k && k->reject)
        *skipped = -k->reject; /* a negative key: its error, unless a positive one is found further on */
    else if (k) {
        *out = k;
        return true;
    }
    for (int i = 0; i < ring->nlinks && depth < KEYRING_SEARCH_DEPTH; i++) {
        struct key *r = key_find(ring->links[i]);
        if (r && r->type == KEY_TYPE_KEYRING && !r->revoked && !r->invalid &&
            (key_perm(p, r, possessed) & KEY_SEARCH) && key_validate(r) == 0 &&
            search_in(p, r, possessed, type, desc, skip_expired, depth + 1, out, skipped))
            return true;
    }
    return false;
}

int64_t key_search(struct proc *p, struct key *ring, bool possessed, enum key_type type, const char *desc,
                   bool skip_expired, struct key **out)
{
    int64_t skipped = -LINUX_EAGAIN;
    if (ring->type != KEY_TYPE_KEYRING)
        return -LINUX_ENOTDIR;
    return search_in(p, ring, possessed, type, desc, skip_expired, 1, out, &skipped) ? 0 : skipped;
}
