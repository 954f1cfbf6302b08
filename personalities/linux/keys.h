/*
 * personalities/linux/keys.h - the kernel's key store: keys of the "user"
 * type (a payload) and the "keyring" type (links to other keys), their
 * permissions and possession, and the lookup of a key id a process names
 * (a serial, or a KEY_SPEC_* special keyring, made when asked).
 *
 * Entry points: keys.c's (key_find, key_lookup, key_new, key_link,
 * key_unlink, key_search, key_possessed, key_perm), used by keyctl.c;
 * keyquota.c's (the owners' quotas, the collection of keys nothing
 * holds, /proc/keys and /proc/key-users).  Layer: proc.  Book:
 * docs/linux.md, "Keyrings".
 */
#ifndef LINUX_KEYS_H
#define LINUX_KEYS_H
#include "proc.h"
#include "uapi_sec.h"

enum key_type { KEY_TYPE_USER = 1, KEY_TYPE_KEYRING };

struct key {
    int32_t serial;
    enum key_type type;
    bool revoked, invalid;
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

/* The "user" or "keyring" type a name is: 0 for another. */
enum key_type key_type_named(const char *name);
const char *key_type_name(enum key_type t);
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
 * take a revoked key (unlink's). */
#define KEY_LOOKUP_CREATE 1
#define KEY_LOOKUP_PARTIAL 2
/* The key id names for p, with the rights need (0: none checked):
 * -ENOKEY, -EKEYREVOKED, -EACCES, -EINVAL as Linux's lookup_user_key. */
int64_t key_lookup(struct proc *p, int32_t id, int flags, uint32_t need, struct key **out);

/* Links k into ring (replacing a key of the same type and description):
 * 0, -ENOTDIR, -EDEADLK (a keyring into itself or one it holds), -ENOMEM. */
int64_t key_link(struct key *ring, struct key *k);
/* 0, or -ENOENT when ring does not hold k. */
int64_t key_unlink(struct key *ring, const struct key *k);
/* The key of type and desc in ring itself, or NULL. */
struct key *key_in_ring(const struct key *ring, enum key_type type, const char *desc);
/* Searches ring and the keyrings it holds (those p may search, six deep)
 * for a key of type and desc that p may search: -ENOKEY,
 * -EKEYREVOKED (only revoked ones), -EACCES. */
int64_t key_search(struct proc *p, struct key *ring, bool possessed, enum key_type type, const char *desc,
                   struct key **out);
/* A keyring of that name p may search without possessing it, or NULL
 * (Linux's find_keyring_by_name, for joining a named session). */
struct key *key_named_ring(struct proc *p, const char *name);
/* Takes k out of every keyring (invalidation: gone at once). */
void key_drop_links(const struct key *k);
/* A keyring's links all go (KEYCTL_CLEAR, a keyring's revocation). */
void key_clear_links(struct key *ring);

/* ---- keyquota.c ---- */
#define KEYQUOTA_LINK_BYTES 4
/* Charges new key k (its owner, description) to its owner: 0, -ENOMEM,
 * -EDQUOT (unless overrun). */
int64_t key_charge(struct key *k, bool overrun);
/* k's data becomes datalen bytes: the difference charged (-EDQUOT when
 * it grows past the quota) or given back; Linux's key_payload_reserve. */
int64_t key_reserve(struct key *k, uint32_t datalen);
/* k's quota moves to uid (KEYCTL_CHOWN): 0, -ENOMEM, -EDQUOT. */
int64_t key_chown_quota(struct key *k, uint32_t uid);
/* Frees every key that no thread, user or held keyring holds. */
void key_collect(void);
/* /proc/key-users' lines; /proc/keys' lines of the keys viewer may view. */
void keyquota_users(void);
void keyquota_keys(struct proc *viewer);

#endif
