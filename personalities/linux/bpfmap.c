/*
 * personalities/linux/bpfmap.c - eBPF maps (bpf.h): arrays, hash maps,
 * their per-CPU kinds (one CPU here) and LRU hash maps, as Linux's
 * array_map_* and htab_map_* check and answer.  Every map is one block of
 * max_entries slots, allocated at creation, as Linux's preallocated maps
 * (BPF_F_NO_PREALLOC is taken and changes nothing); a hash map chains its
 * slots from buckets by an FNV hash of the key, and walks its keys in
 * slot order (Linux's walk is in bucket order: a program may not rely on
 * either).  An LRU map, full, takes the slot least recently updated or
 * looked up by a program.
 *
 * Entry points: bpf.h's bpf_map_*.  Callers: bpf.c (the map commands),
 * bpfvm.c (the map helpers).  Layer: the bottom (no process state).
 * Book: docs/linux.md, "eBPF".
 */
#include "bpf.h"
#include "uapi.h"
#include <stdlib.h>
#include <string.h>

#define ROUND8(n) (((n) + 7u) & ~7u)
#define ACCESS_MASK (BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)
#define ARRAY_FLAGS (BPF_F_NUMA_NODE | BPF_F_MMAPABLE | ACCESS_MASK)
#define HTAB_FLAGS (BPF_F_NO_PREALLOC | BPF_F_NO_COMMON_LRU | BPF_F_NUMA_NODE | ACCESS_MASK | BPF_F_ZERO_SEED)
#define PCPU_MIN_UNIT_SIZE (32u << 10)
#define KMALLOC_MAX_SIZE (4u << 20)
#define HTAB_ELEM 48u          /* struct htab_elem's bytes, which Linux counts against KMALLOC_MAX_SIZE */
#define MAP_MEM_MAX (64u << 20) /* the most a map's slots may take here: ENOMEM beyond */

static uint32_t next_id = 1;

bool bpf_name_ok(const char *name)
{
    for (unsigned i = 0; i < BPF_OBJ_NAME_LEN; i++) {
        char ch = name[i];
        if (!ch)
            return true;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
              ch == '.'))
            return false;
    }
    return false; /* no NUL within the 16 bytes */
}

static bool access_ok(uint32_t flags)
{
    return (flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) != (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG);
}

/* Linux's array_map_alloc_check. */
static int array_check(const struct map_create_attr *a, bool percpu)
{
    if (!a->max_entries || a->key_size != 4 || !a->value_size || (a->map_flags & ~ARRAY_FLAGS) ||
        !access_ok(a->map_flags) || (percpu && (a->map_flags & BPF_F_NUMA_NODE)))
        return -LINUX_EINVAL;
    if (percpu && (a->map_flags & BPF_F_MMAPABLE))
        return -LINUX_EINVAL;
    if (a->value_size > 0x7fffffffu || (percpu && ROUND8(a->value_size) > PCPU_MIN_UNIT_SIZE))
        return -LINUX_E2BIG;
    return 0;
}

/* Linux's htab_map_alloc_check (BPF_F_ZERO_SEED's CAP_SYS_ADMIN is bpf.c's). */
static int htab_check(const struct map_create_attr *a, bool percpu, bool lru)
{
    if ((a->map_flags & ~HTAB_FLAGS) || !access_ok(a->map_flags))
        return -LINUX_EINVAL;
    if (!lru && (a->map_flags & BPF_F_NO_COMMON_LRU))
        return -LINUX_EINVAL;
    if (lru && (a->map_flags & BPF_F_NO_PREALLOC))
        return -LINUX_ENOTSUPP;
    if ((a->map_flags & BPF_F_NUMA_NODE) && (percpu || (a->map_flags & BPF_F_NO_COMMON_LRU)))
        return -LINUX_EINVAL;
    if (!a->max_entries || !a->key_size || !a->value_size)
        return -LINUX_EINVAL;
    if ((uint64_t)a->key_size + a->value_size >= KMALLOC_MAX_SIZE - HTAB_ELEM)
        return -LINUX_E2BIG;
    if (percpu && ROUND8(a->value_size) > PCPU_MIN_UNIT_SIZE)
        return -LINUX_E2BIG;
    return 0;
}

static int map_alloc(struct bpf_map *m)
{
    m->koff = ROUND8(m->value_size);
    m->slot = m->koff + (m->hash ? ROUND8(m->key_size) : 0);
    if ((uint64_t)m->slot * m->max_entries > MAP_MEM_MAX)
        return -LINUX_ENOMEM;
    m->mem = calloc(m->max_entries, m->slot);
    if (!m->mem)
        return -LINUX_ENOMEM;
    if (!m->hash)
        return 0;
    m->nbuckets = 1;
    while (m->nbuckets < m->max_entries && m->nbuckets < (1u << 20))
        m->nbuckets <<= 1;
    m->used = calloc(m->max_entries, 1);
    m->next = malloc(m->max_entries * sizeof *m->next);
    m->bucket = malloc(m->nbuckets * sizeof *m->bucket);
    m->stamp = m->lru ? calloc(m->max_entries, sizeof *m->stamp) : NULL;
    if (!m->used || !m->next || !m->bucket || (m->lru && !m->stamp))
        return -LINUX_ENOMEM;
    for (uint32_t b = 0; b < m->nbuckets; b++)
        m->bucket[b] = -1;
    for (uint32_t i = 0; i < m->max_entries; i++) /* the free slots, chained in order */
        m->next[i] = i + 1 < m->max_entries ? (int32_t)i + 1 : -1;
    m->free_head = 0;
    return 0;
}

int bpf_map_new(const struct map_create_attr *a, struct bpf_map **out)
{
    uint32_t t = a->map_type;
    bool percpu = t == BPF_MAP_TYPE_PERCPU_ARRAY || t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
    bool lru = t == BPF_MAP_TYPE_LRU_HASH || t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
    bool hash = lru || t == BPF_MAP_TYPE_HASH || t == BPF_MAP_TYPE_PERCPU_HASH;
    if (!hash && t != BPF_MAP_TYPE_ARRAY && t != BPF_MAP_TYPE_PERCPU_ARRAY)
        return -LINUX_EINVAL; /* a map type not built here: as a Linux built without it */
    int r = hash ? htab_check(a, percpu, lru) : array_check(a, percpu);
    if (r < 0)
        return r;
    if (!bpf_name_ok(a->map_name))
        return -LINUX_EINVAL;
    struct bpf_map *m = calloc(1, sizeof *m);
    if (!m)
        return -LINUX_ENOMEM;
    *m = (struct bpf_map){.refs = 1, .type = t, .key_size = a->key_size, .value_size = a->value_size,
                          .max_entries = a->max_entries, .flags = a->map_flags, .hash = hash, .percpu = percpu,
                          .lru = lru};
    memcpy(m->name, a->map_name, BPF_OBJ_NAME_LEN);
    if ((r = map_alloc(m)) < 0) {
        bpf_map_put(m);
        return r;
    }
    m->id = next_id++;
    *out = m;
    return 0;
}

void bpf_map_put(struct bpf_map *m)
{
    if (!m || --m->refs > 0)
        return;
    free(m->mem), free(m->used), free(m->next), free(m->bucket), free(m->stamp);
    free(m);
}

uint32_t bpf_map_user_value(const struct bpf_map *m) { return m->percpu ? ROUND8(m->value_size) : m->value_size; }

bool bpf_map_holds(const struct bpf_map *m, uintptr_t addr, size_t len)
{
    uintptr_t base = (uintptr_t)m->mem;
    if (addr < base || addr - base >= (uintptr_t)m->slot * m->max_entries)
        return false;
    return (addr - base) % m->slot + len <= m->value_size;
}

/* ---- hash maps ---- */

static uint32_t key_hash(const struct bpf_map *m, const void *key)
{
    const uint8_t *k = key;
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < m->key_size; i++)
        h = (h ^ k[i]) * 16777619u;
    return h & (m->nbuckets - 1);
}

static uint8_t *slot_at(const struct bpf_map *m, int32_t i) { return m->mem + (size_t)i * m->slot; }

/* The slot holding key, or -1. */
static int32_t htab_find(const struct bpf_map *m, const void *key)
{
    for (int32_t i = m->bucket[key_hash(m, key)]; i >= 0; i = m->next[i])
        if (!memcmp(slot_at(m, i) + m->koff, key, m->key_size))
            return i;
    return -1;
}

static void htab_unlink(struct bpf_map *m, int32_t i)
{
    int32_t *pp = &m->bucket[key_hash(m, slot_at(m, i) + m->koff)];
    while (*pp != i)
        pp = &m->next[*pp];
    *pp = m->next[i];
    m->used[i] = 0, m->count--;
    m->next[i] = m->free_head, m->free_head = i;
}

/* The least recently used slot of a full LRU map. */
static int32_t lru_victim(const struct bpf_map *m)
{
    int32_t v = 0;
    for (uint32_t i = 1; i < m->max_entries; i++)
        if (m->stamp[i] < m->stamp[v])
            v = (int32_t)i;
    return v;
}

static int htab_update(struct bpf_map *m, const void *key, const void *value, uint64_t flags)
{
    int32_t i = htab_find(m, key);
    if (i >= 0 && flags == BPF_NOEXIST)
        return -LINUX_EEXIST;
    if (i < 0 && flags == BPF_EXIST)
        return -LINUX_ENOENT;
    if (i < 0) {
        if (m->count >= m->max_entries && !m->lru)
            return -LINUX_E2BIG;
        if (m->count >= m->max_entries)
            htab_unlink(m, lru_victim(m));
        i = m->free_head;
        m->free_head = m->next[i];
        memcpy(slot_at(m, i) + m->koff, key, m->key_size);
        uint32_t b = key_hash(m, key);
        m->next[i] = m->bucket[b], m->bucket[b] = i;
        m->used[i] = 1, m->count++;
    }
    memcpy(slot_at(m, i), value, m->value_size);
    if (m->lru)
        m->stamp[i] = ++m->clock;
    return 0;
}

/* ---- the operations ---- */

void *bpf_map_lookup(struct bpf_map *m, const void *key)
{
    if (!m->hash) {
        uint32_t idx;
        memcpy(&idx, key, 4);
        return idx < m->max_entries ? slot_at(m, (int32_t)idx) : NULL;
    }
    int32_t i = htab_find(m, key);
    if (i < 0)
        return NULL;
    if (m->lru)
        m->stamp[i] = ++m->clock;
    return slot_at(m, i);
}

int bpf_map_update(struct bpf_map *m, const void *key, const void *value, uint64_t flags)
{
    if (flags > BPF_EXIST)
        return -LINUX_EINVAL; /* BPF_F_LOCK too: no map here has a spin lock */
    if (m->hash)
        return htab_update(m, key, value, flags);
    uint32_t idx;
    memcpy(&idx, key, 4);
    if (idx >= m->max_entries)
        return -LINUX_E2BIG;
    if (flags == BPF_NOEXIST)
        return -LINUX_EEXIST; /* every element of an array exists */
    memcpy(slot_at(m, (int32_t)idx), value, m->value_size);
    return 0;
}

int bpf_map_delete(struct bpf_map *m, const void *key)
{
    if (!m->hash)
        return -LINUX_EINVAL;
    int32_t i = htab_find(m, key);
    if (i < 0)
        return -LINUX_ENOENT;
    htab_unlink(m, i);
    return 0;
}

int bpf_map_next_key(struct bpf_map *m, const void *key, void *next)
{
    if (!m->hash) {
        uint32_t idx = UINT32_MAX, n;
        if (key)
            memcpy(&idx, key, 4);
        if (idx < m->max_entries && idx == m->max_entries - 1)
            return -LINUX_ENOENT;
        n = idx >= m->max_entries ? 0 : idx + 1;
        memcpy(next, &n, 4);
        return 0;
    }
    int32_t i = key ? htab_find(m, key) : -1; /* a key not there: the first */
    for (uint32_t j = (uint32_t)(i + 1); j < m->max_entries; j++)
        if (m->used[j]) {
            memcpy(next, slot_at(m, (int32_t)j) + m->koff, m->key_size);
            return 0;
        }
    return -LINUX_ENOENT;
}

uint32_t bpf_map_bucket(const struct bpf_map *m, uint32_t b, uint8_t *keys, uint32_t room)
{
    uint32_t n = 0;
    for (int32_t i = m->bucket[b]; i >= 0; i = m->next[i], n++)
        if (n < room)
            memcpy(keys + (size_t)n * m->key_size, slot_at(m, i) + m->koff, m->key_size);
    return n;
}
