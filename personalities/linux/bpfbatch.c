/*
 * personalities/linux/bpfbatch.c - bpf's batch commands on maps, as
 * Linux's: LOOKUP_BATCH of an array walks its keys from the one after
 * in_batch (generic_map_lookup_batch: out_batch gets the last key, and
 * ENOENT says the walk is over); a hash map's LOOKUP_BATCH and
 * LOOKUP_AND_DELETE_BATCH walk whole buckets from the bucket in_batch
 * names (htab_map_lookup_batch: ENOSPC when the first bucket does not
 * fit in count; out_batch the next bucket); UPDATE_BATCH (BPF_ANY each)
 * and a hash map's DELETE_BATCH stop at the first error.  count comes
 * back as the elements done; ENOTSUPP where the map type has no such
 * command.
 *
 * Entry points: bpf_map_batch.  Callers: bpf.c.  Layer: above file.h.
 * Book: docs/linux.md, "eBPF".
 */
#include "proc.h"
#include "bpf.h"
#include <stdlib.h>
#include <string.h>

struct batch_attr {
    uint64_t in_batch, out_batch, keys, values;
    uint32_t count, map_fd;
    uint64_t elem_flags, flags;
};
#define ATTR_END 56
#define ATTR_SIZE 160

struct batch {
    struct sys_ctx *c;
    struct bpf_map *m;
    struct batch_attr a;
    uint64_t uattr;
    uint32_t vsize; /* a value's bytes in user memory */
    uint8_t *key, *value;
};

static int count_out(struct batch *b, uint32_t n) { return mem_out(b->c->p, b->uattr + 32, &n, 4) < 0 ? -LINUX_EFAULT : 0; }

/* Element i out: its key, and its value (from the map). */
static int elem_out(struct batch *b, uint32_t i, const void *key, const void *value)
{
    if (mem_out(b->c->p, b->a.keys + (uint64_t)i * b->m->key_size, key, b->m->key_size) < 0)
        return -LINUX_EFAULT;
    return bpf_value_out(b->c, b->m, b->a.values + (uint64_t)i * b->vsize, value);
}

/* generic_map_lookup_batch: key after key, from the one after in_batch. */
static int64_t array_lookup(struct batch *b)
{
    uint8_t *prev = NULL, *buf = malloc(b->m->key_size);
    uint32_t cp = 0;
    int r = buf ? 0 : -LINUX_ENOMEM;
    if (!r && b->a.in_batch) {
        prev = malloc(b->m->key_size);
        r = !prev ? -LINUX_ENOMEM : mem_in(b->c->p, prev, b->a.in_batch, b->m->key_size) < 0 ? -LINUX_EFAULT : 0;
    }
    while (!r && cp < b->a.count && !(r = bpf_map_next_key(b->m, prev, buf))) {
        if ((r = elem_out(b, cp, buf, bpf_map_lookup(b->m, buf))) < 0)
            break;
        if (!prev && !(prev = malloc(b->m->key_size)))
            r = -LINUX_ENOMEM;
        else
            memcpy(prev, buf, b->m->key_size), cp++;
    }
    if (r != -LINUX_EFAULT && r != -LINUX_ENOMEM &&
        (count_out(b, cp) < 0 || (cp && mem_out(b->c->p, b->a.out_batch, prev, b->m->key_size) < 0)))
        r = -LINUX_EFAULT;
    free(prev), free(buf);
    return r;
}

/* htab's batch: whole buckets from in_batch's, deleting them too if del. */
static int64_t hash_lookup(struct batch *b, bool del)
{
    uint32_t bucket = 0, total = 0;
    int r = 0;
    if (b->a.in_batch && mem_in(b->c->p, &bucket, b->a.in_batch, 4) < 0)
        return -LINUX_EFAULT;
    if (bucket >= b->m->nbuckets)
        return -LINUX_ENOENT;
    for (; bucket < b->m->nbuckets && !r; bucket++) {
        uint32_t n = bpf_map_bucket(b->m, bucket, NULL, 0);
        if (!n)
            continue;
        if (n > b->a.count - total) {
            r = total ? 1 : -LINUX_ENOSPC;
            break;
        }
        uint8_t *keys = malloc((size_t)n * b->m->key_size);
        if (!keys)
            return -LINUX_ENOMEM;
        bpf_map_bucket(b->m, bucket, keys, n);
        for (uint32_t i = 0; i < n && !r; i++)
            r = elem_out(b, total + i, keys + (size_t)i * b->m->key_size,
                         bpf_map_lookup(b->m, keys + (size_t)i * b->m->key_size));
        for (uint32_t i = 0; i < n && del && !r; i++)
            bpf_map_delete(b->m, keys + (size_t)i * b->m->key_size);
        free(keys);
        total += n;
    }
    if (r == -LINUX_EFAULT)
        return r;
    if (!r && bucket >= b->m->nbuckets)
        r = -LINUX_ENOENT;
    if (mem_out(b->c->p, b->a.out_batch, &bucket, 4) < 0 || count_out(b, total) < 0)
        return -LINUX_EFAULT;
    return r > 0 ? 0 : r;
}

/* generic_map_update_batch and generic_map_delete_batch. */
static int64_t update_delete(struct batch *b, bool del)
{
    uint32_t cp = 0;
    int r = 0;
    for (; cp < b->a.count; cp++) {
        if (mem_in(b->c->p, b->key, b->a.keys + (uint64_t)cp * b->m->key_size, b->m->key_size) < 0 ||
            (!del && mem_in(b->c->p, b->value, b->a.values + (uint64_t)cp * b->vsize, b->vsize) < 0)) {
            r = -LINUX_EFAULT;
            break;
        }
        if ((r = del ? bpf_map_delete(b->m, b->key) : bpf_map_update(b->m, b->key, b->value, BPF_ANY)) < 0)
            break;
    }
    return count_out(b, cp) < 0 ? -LINUX_EFAULT : r;
}

int64_t bpf_map_batch(struct sys_ctx *c, int cmd, const uint8_t *attr, uint64_t uattr)
{
    struct batch b = {.c = c, .uattr = uattr};
    memcpy(&b.a, attr, sizeof b.a);
    for (int k = ATTR_END; k < ATTR_SIZE; k++)
        if (attr[k])
            return -LINUX_EINVAL;
    bool rd = cmd == BPF_MAP_LOOKUP_BATCH || cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH, del;
    int err;
    if (!(b.m = bpf_map_for(c, b.a.map_fd, rd, cmd != BPF_MAP_LOOKUP_BATCH, &err)))
        return err;
    if (!b.m->hash && (cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH || cmd == BPF_MAP_DELETE_BATCH))
        return -LINUX_ENOTSUPP;
    if (b.a.elem_flags) /* BPF_F_LOCK too: no map here has a spin lock */
        return -LINUX_EINVAL;
    if (b.m->hash && rd && b.a.flags)
        return -LINUX_EINVAL;
    if (!b.a.count)
        return 0;
    if (count_out(&b, 0) < 0)
        return -LINUX_EFAULT;
    b.vsize = bpf_map_user_value(b.m);
    if (rd)
        return b.m->hash ? hash_lookup(&b, cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH) : array_lookup(&b);
    del = cmd == BPF_MAP_DELETE_BATCH;
    b.key = malloc(b.m->key_size), b.value = malloc(b.vsize);
    int64_t r = b.key && b.value ? update_delete(&b, del) : -LINUX_ENOMEM;
    free(b.key), free(b.value);
    return r;
}
