/*
 * personalities/linux/keyquota.c - what the key store charges its users
 * and when it lets keys go, as Linux's security/keys: every key counts
 * against its owner's quota (kernel/keys/maxkeys keys and maxbytes bytes
 * for a user, root_maxkeys and root_maxbytes for root), as its
 * description and a byte for its end, plus its data: a user key's
 * payload, a keyring's four bytes per link (KEYQUOTA_LINK_BYTES).  Past
 * the quota, a new key, a bigger payload, a new link and a chown to
 * another user are EDQUOT; the keyrings a thread, a process or an
 * anonymous session gets are charged without a check (Linux's
 * KEY_ALLOC_QUOTA_OVERRUN).
 *
 * A key lives while something holds it: a keyring linking it, or a
 * thread's credentials (its thread, process and session keyrings), or a
 * user (its two user keyrings, kept as long as the server).  Linux drops
 * the others in its garbage collector's work, soon after the last
 * reference goes; here key_collect marks what is held and frees the rest
 * before each key call and each read of /proc/keys and /proc/key-users,
 * the only places a process could see the difference.
 *
 * Entry points: key_charge, key_reserve, key_chown_quota, key_collect,
 * keyquota_users, keyquota_keys (keys.h).  Callers: keys.c, keyctl.c,
 * procglobal.c.  Layer: proc.  Book: docs/linux.md, "Keyrings".
 */
#include "keys.h"
#include "procfs.h"
#include "sysctl.h"
#include "watchq.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Linux's key_user: one per user that owns keys, gone with its last key. */
struct key_user {
    uint32_t uid;
    int nkeys, nikeys, qnkeys;
    uint32_t qnbytes;
    struct key_user *next; /* by uid, as Linux's tree */
};
static struct key_user *key_users;

static struct key_user *user_of(uint32_t uid, bool make)
{
    struct key_user **at = &key_users;
    while (*at && (*at)->uid < uid)
        at = &(*at)->next;
    if (*at && (*at)->uid == uid)
        return *at;
    struct key_user *u = make ? calloc(1, sizeof *u) : NULL;
    if (u)
        u->uid = uid, u->next = *at, *at = u;
    return u;
}

static uint32_t max_keys(uint32_t uid) { return uid == 0 ? sysctl_key_root_maxkeys : sysctl_key_maxkeys; }
static uint32_t max_bytes(uint32_t uid) { return uid == 0 ? sysctl_key_root_maxbytes : sysctl_key_maxbytes; }

/* Whether n more keys and b more bytes fit uid's quota (Linux's checks,
 * the sum's wrap included). */
static bool fits(const struct key_user *u, int n, uint32_t b)
{
    return (uint32_t)(u->qnkeys + n) <= max_keys(u->uid) && u->qnbytes + b <= max_bytes(u->uid) &&
           u->qnbytes + b >= u->qnbytes;
}

int64_t key_charge(struct key *k, bool overrun)
{
    struct key_user *u = user_of(k->uid, true);
    k->quotalen = (uint32_t)strlen(k->desc) + 1;
    if (!u)
        return -LINUX_ENOMEM;
    if (!overrun && !fits(u, 1, k->quotalen))
        return -LINUX_EDQUOT; /* a user made for it and left with no key goes at the next collection */
    u->nkeys++, u->nikeys++, u->qnkeys++;
    u->qnbytes += k->quotalen;
    k->in_quota = true;
    return 0;
}

int64_t key_reserve(struct key *k, uint32_t datalen)
{
    int64_t delta = (int64_t)datalen - (int64_t)k->datalen;
    struct key_user *u = k->in_quota ? user_of(k->uid, false) : NULL;
    if (u && delta > 0 && !fits(u, 0, (uint32_t)delta))
        return -LINUX_EDQUOT;
    if (u)
        u->qnbytes += (uint32_t)delta, k->quotalen += (uint32_t)delta;
    k->datalen = datalen;
    return 0;
}

void key_unquota(struct key *k)
{
    struct key_user *u = k->in_quota ? user_of(k->uid, false) : NULL;
    if (u)
        u->qnkeys--, u->qnbytes -= k->quotalen;
    k->in_quota = false;
}

int64_t key_chown_quota(struct key *k, uint32_t uid)
{
    struct key_user *to = user_of(uid, true), *from = user_of(k->uid, false);
    if (!to)
        return -LINUX_ENOMEM;
    if (k->in_quota && !fits(to, 1, k->quotalen))
        return -LINUX_EDQUOT;
    if (k->in_quota && from)
        from->qnkeys--, from->qnbytes -= k->quotalen, to->qnkeys++, to->qnbytes += k->quotalen;
    if (from)
        from->nkeys--, from->nikeys--;
    to->nkeys++, to->nikeys++;
    return 0;
}

/* A user with no key left goes, as Linux's key_user_put. */
static void users_tidy(void)
{
    for (struct key_user **at = &key_users; *at;) {
        struct key_user *u = *at;
        if (u->nkeys > 0) {
            at = &u->next;
            continue;
        }
        *at = u->next;
        free(u);
    }
}

static void uncharge(const struct key *k)
{
    struct key_user *u = user_of(k->uid, false);
    if (!u)
        return;
    u->nkeys--, u->nikeys--;
    if (k->in_quota)
        u->qnkeys--, u->qnbytes -= k->quotalen;
}

/* ---- collection ---- */

/* The keys by serial, descending (the list is newest first, and serials
 * only grow); after a collection, the ones it kept. */
static struct key **by_serial;
static size_t nby;

static struct key *find_fast(int32_t serial)
{
    size_t lo = 0, hi = nby;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (by_serial[mid]->serial == serial)
            return by_serial[mid];
        if (by_serial[mid]->serial > serial)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Marks what serial leads to, through keyrings' links: a list of the
 * keyrings still to walk rather than recursion, since a chain of
 * keyrings may be as long as root's quota lets it (a million). */
static struct key **todo;
static size_t ntodo, todo_cap;
static bool mark_short; /* a keyring could not be queued (no memory): this collection frees nothing */

static void mark(int32_t serial)
{
    struct key *k = serial ? find_fast(serial) : NULL;
    if (!k || k->marked)
        return;
    k->marked = true;
    if (k->type != KEY_TYPE_KEYRING || !k->nlinks)
        return;
    if (ntodo == todo_cap) {
        size_t cap = todo_cap ? todo_cap * 2 : 64;
        struct key **t = realloc(todo, cap * sizeof *t);
        if (!t) {
            mark_short = true;
            return;
        }
        todo = t, todo_cap = cap;
    }
    todo[ntodo++] = k;
}

/* Walks the keyrings mark queued until none is left. */
static void mark_links(void)
{
    while (ntodo) {
        struct key *k = todo[--ntodo];
        for (int i = 0; i < k->nlinks; i++)
            mark(k->links[i]);
    }
}

void key_collect(void)
{
    key_reap();
    size_t n = 0;
    for (struct key *k = key_list(); k; k = k->next)
        n++;
    struct key **arr = n ? realloc(by_serial, n * sizeof *arr) : by_serial;
    nby = 0;
    if (!n || !arr) {
        users_tidy();
        return; /* nothing to collect, or no memory for it now: the next call tries again */
    }
    by_serial = arr, nby = 0;
    for (struct key *k = key_list(); k; k = k->next)
        k->marked = false, by_serial[nby++] = k;
    for (struct proc *p = proc_list(); p; p = p->next)
        mark(p->keys.thread), mark(p->keys.process), mark(p->keys.session);
    key_mark_users(mark);
    key_mark_life(mark);
    mark_links();
    if (mark_short) { /* what is held is not all known: free nothing, every key stays listed */
        mark_short = false, ntodo = 0;
        return;
    }
    nby = 0;
    for (struct key **at = key_list_head(); *at;) {
        struct key *k = *at;
        if (k->marked) {
            by_serial[nby++] = k;
            at = &k->next;
            continue;
        }
        *at = k->next;
        watchq_key_gone(k->serial);
        uncharge(k);
        free(k->desc), free(k->data), free(k->links), free(k);
    }
    users_tidy();
}

/* ---- /proc/key-users and /proc/keys ---- */

void keyquota_users(void)
{
    key_collect();
    for (const struct key_user *u = key_users; u; u = u->next)
        procfs_put("%5u: %5d %d/%d %d/%u %u/%u\n", u->uid, u->nkeys, u->nkeys, u->nikeys, u->qnkeys, max_keys(u->uid),
                   u->qnbytes, max_bytes(u->uid));
}

/* The threads and keyrings holding k: its usage count, as near as the
 * server's bookkeeping comes to Linux's references. */
static int usage(const struct key *k)
{
    int n = 0;
    for (const struct key *r = key_list(); r; r = r->next)
        for (int i = 0; r->type == KEY_TYPE_KEYRING && i < r->nlinks; i++)
            n += r->links[i] == k->serial;
    for (const struct proc *p = proc_list(); p; p = p->next)
        n += (p->keys.thread == k->serial) + (p->keys.session == k->serial) +
             (!p->leader && p->keys.process == k->serial);
    return n ? n : 1;
}

/* proc_keys_show's timeout column: "perm", "expd", or what is left in
 * the largest unit it reaches. */
static void timeout_text(const struct key *k, char *buf, size_t size)
{
    int64_t left = k->expiry ? k->expiry - key_now() : 0;
    if (!k->expiry)
        snprintf(buf, size, "perm");
    else if (left <= 0)
        snprintf(buf, size, "expd");
    else if (left < 60)
        snprintf(buf, size, "%llds", (long long)left);
    else if (left < 60 * 60)
        snprintf(buf, size, "%lldm", (long long)(left / 60));
    else if (left < 60 * 60 * 24)
        snprintf(buf, size, "%lldh", (long long)(left / (60 * 60)));
    else if (left < 60 * 60 * 24 * 7)
        snprintf(buf, size, "%lldd", (long long)(left / (60 * 60 * 24)));
    else
        snprintf(buf, size, "%lldw", (long long)(left / (60 * 60 * 24 * 7)));
}

/* The keys viewer may view (the possessor's view counting where it
 * possesses the key), in serial order as Linux's tree. */
void keyquota_keys(struct proc *viewer)
{
    key_collect();
    for (size_t i = nby; i > 0; i--) {
        struct key *k = by_serial[i - 1]; /* the collection's snapshot: looking up possession may add user keyrings */
        if (!viewer || !(key_perm(viewer, k, (k->perm & (KEY_VIEW << 24)) && key_possessed(viewer, k)) & KEY_VIEW))
            continue;
        char tmo[24];
        timeout_text(k, tmo, sizeof tmo);
        procfs_put("%08x %c%c%c%c%c%c%c %5d %4s %08x %5d %5d %-9.9s %s", (unsigned)k->serial, 'I',
                   k->revoked ? 'R' : '-', '-', k->in_quota ? 'Q' : '-', '-', k->reject ? 'N' : '-',
                   k->invalid ? 'i' : '-', usage(k), tmo, k->perm, (int)k->uid, (int)k->gid, key_type_name(k->type),
                   k->desc);
        if (k->type == KEY_TYPE_KEYRING && k->nlinks)
            procfs_put(": %d\n", k->nlinks);
        else if (k->type == KEY_TYPE_KEYRING)
            procfs_put(": empty\n");
        else
            procfs_put(": %u\n", k->datalen);
    }
}
