/*
 * personalities/linux/keys.h - the kernel's key store: keys of the "user"
 * type (a payload) and the "keyring" type (links to other keys), their
 * permissions and possession, and the lookup of a key id a process names
 * (a serial, or a KEY_SPEC_* special keyring, made when asked).
 *
 * Entry points: keys.c's (key_find, key_lookup, key_new, key_link,
 * key_unlink, key_search, key_possessed, key_perm), used by keyctl.c;
 * keylife.c's (expiry, negative keys, keyctl's other commands);
 * keyquota.c's (the owners' quotas, the collection of keys nothing
 * holds, /proc/keys and /proc/key-users).  Layer: proc.  Book:
 * docs/linux.md, "Keyrings".
 */
#ifndef LINUX_KEYS_H
#define LINUX_KEYS_H
#include "proc.h"
#include "uapi_sec.h"

/* "logon" is a "user" key whose payload no process may read, named
 * "service:name" (Linux's key_type_logon). */
enum key_type { KEY_TYPE_USER = 1, KEY_TYPE_KEYRING, KEY_TYPE_LOGON };

struct key {
    int32_t serial;
    enum key_type type;
    bool revoked, invalid;
    bool restricted;   /* KEYCTL_RESTRICT_KEYRING without a type: no key may be linked in */
    int reject;        /* a negative key's error (ENOKEY, or a rejection's); 0: positive */
    int64_t expiry;    /* the CLOCK_REALTIME second it expires at; 0: never (keylife.c) */
    int64_t revoked_at;
    uint32_t perm, uid, gid;
    char *desc;
    char *data;        /* a user key's payload */
    uint32_t len;
    int32_t *links;    /* a keyring's keys */
    int nlinks, cap;
    uint32_t datalen;  /* its data as its quota counts it: a payload's length, a keyring's 4 bytes a link */
    uint32_t quotalen; /* the bytes charged to its owner: the description, its end and datalen */
    bool in_quota;     /* charged (keyquota.c) */
    bool marked;       /* held, in key_collect's marking */
    struct key *next;
};

/* The "user", "keyring" or "logon" type a name is: 0 for another. */
enum key_type key_type_named(const char *name);
const char *key_type_name(enum key_type t);
/* The type's vet_description, as key_alloc asks it of a new key: 0, or
 * -EINVAL for a logon key's name without a "service:" part. */
int64_t key_vet(enum key_type t, const char *desc);
struct key *key_find(int32_t serial);
/* Every key, newest first; the link that starts the list (keyquota.c's
 * collection unlinks from it). */
struct key *key_list(void);
struct key **key_list_head(void);
/* Marks the users' keyrings, which their users hold (keyquota.c). */
void key_mark_users(void (*mark)(int32_t serial));
/* A new key of p's fsuid and fsgid into *out, charged to its owner: 0,
 * -ENOMEM, or -EDQUOT past the quota unless overrun (Linux's
 * KEY_ALLOC_QUOTA_OVERRUN: a thread's, process's or new session's
 * keyring). */
int64_t key_new(struct proc *p, enum key_type type, const char *desc, uint32_t perm, bool overrun, struct key **out);
/* The rights (KEY_VIEW ...) p has on k, possessed or not. */
uint32_t key_perm(const struct proc *p, const struct key *k, bool possessed);
/* Whether p possesses k: one of its keyrings, or reached from them
 * through keyrings it may search, and searchable itself. */
bool key_possessed(struct proc *p, const struct key *k);

/* key_lookup's flags: make a special keyring that does not exist yet;
 * take a negative key, and with no rights needed a revoked or expired
 * one too (unlink's). */
#define KEY_LOOKUP_CREATE 1
#define KEY_LOOKUP_PARTIAL 2
/* The key id names for p, with the rights need (0: none checked):
 * -ENOKEY, -EKEYREVOKED, -EKEYEXPIRED, a negative key's error, -EACCES,
 * -EINVAL as Linux's lookup_user_key. */
int64_t key_lookup(struct proc *p, int32_t id, int flags, uint32_t need, struct key **out);

/* Links k into ring (replacing a key of the same type and description):
 * 0, -ENOTDIR, -EPERM (a restricted ring), -EDEADLK (a keyring into
 * itself or one it holds), -ENOMEM.  key_link_any passes over the
 * restriction, as Linux's construction does. */
int64_t key_link(struct key *ring, struct key *k);
int64_t key_link_any(struct key *ring, struct key *k);
/* 0, or -ENOENT when ring does not hold k. */
int64_t key_unlink(struct key *ring, const struct key *k);
/* The key of type and desc in ring itself, or NULL. */
struct key *key_in_ring(const struct key *ring, enum key_type type, const char *desc);
/* Searches ring and the keyrings it holds (those p may search, six deep)
 * for a key of type and desc that p may search: -EAGAIN (none),
 * -EKEYREVOKED, -EKEYEXPIRED (unless skip_expired: passed over as
 * absent) or a negative key's error (only such ones), -EACCES. */
int64_t key_search(struct proc *p, struct key *ring, bool possessed, enum key_type type, const char *desc,
                   bool skip_expired, struct key **out);
/* A keyring of that name p may search without possessing it, or NULL
 * (Linux's find_keyring_by_name, for joining a named session). */
struct key *key_named_ring(struct proc *p, const char *name);
/* Takes k out of every keyring (invalidation: gone at once). */
void key_drop_links(const struct key *k);
/* A keyring's links all go (KEYCTL_CLEAR, a keyring's revocation). */
void key_clear_links(struct key *ring);

/* ---- keylife.c ---- */
/* The CLOCK_REALTIME second now (a key's expiry and /proc/keys'). */
int64_t key_now(void);
/* Linux's key_validate: 0, -ENOKEY (invalidated), -EKEYREVOKED,
 * -EKEYEXPIRED. */
int64_t key_validate(const struct key *k);
/* request_key's construction with no /sbin/request-key to run: a
 * negative key of type and desc for key_negative_timeout's 60 seconds,
 * linked into dest or the default keyring; -ENOENT (the helper's exec),
 * or the error that came first. */
int64_t key_construct(struct proc *p, enum key_type type, const char *desc, struct key *dest);
/* keyctl's commands of keylife.c: SET_TIMEOUT, the construction ones,
 * SESSION_TO_PARENT, GET_PERSISTENT, RESTRICT_KEYRING, MOVE; -EOPNOTSUPP
 * for another. */
int64_t keyctl_life(struct proc *p, int cmd, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
/* Unlinks the keys that expired or were revoked gc_delay seconds ago
 * (key_collect's first step). */
void key_reap(void);
/* Marks the persistent keyrings' registers, which their namespaces hold. */
/* User namespace u ends: its register is no longer held (Linux's free_user_ns). */
void key_userns_gone(const struct ns *u);
void key_mark_life(void (*mark)(int32_t serial));

/* ---- keyquota.c ---- */
#define KEYQUOTA_LINK_BYTES 4
/* Charges new key k (its owner, description) to its owner: 0, -ENOMEM,
 * -EDQUOT (unless overrun). */
int64_t key_charge(struct key *k, bool overrun);
/* k's data becomes datalen bytes: the difference charged (-EDQUOT when
 * it grows past the quota) or given back; Linux's key_payload_reserve. */
int64_t key_reserve(struct key *k, uint32_t datalen);
/* k is no longer charged to its owner's quota (KEY_ALLOC_NOT_IN_QUOTA's). */
void key_unquota(struct key *k);
/* k's quota moves to uid (KEYCTL_CHOWN): 0, -ENOMEM, -EDQUOT. */
int64_t key_chown_quota(struct key *k, uint32_t uid);
/* Frees every key that no thread, user or held keyring holds. */
void key_collect(void);
/* /proc/key-users' lines; /proc/keys' lines of the keys viewer may view. */
void keyquota_users(void);
void keyquota_keys(struct proc *viewer);

#endif
