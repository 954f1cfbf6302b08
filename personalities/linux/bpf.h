/*
 * personalities/linux/bpf.h - eBPF: maps, programs, the verifier and the
 * interpreter behind the bpf call.  A map (struct bpf_map) is the object
 * behind a "bpf-map" descriptor: fixed-size keys and values, held in one
 * block of max_entries slots (Linux's preallocated maps), so that every
 * byte a program may touch is known.  A program (struct bpf_prog) is a
 * checked copy of the instructions, with its maps resolved: LD_IMM64 of a
 * map descriptor holds the map's address, as Linux's.
 *
 * Entry points: bpfmap.c (maps), bpfprog.c (bpf_verify), bpfvm.c
 * (bpf_prog_run), bpf.c (the call, and socket filters: bpf_sock_filter).
 * Layer: above file.h.  Book: docs/linux.md, "eBPF".
 */
#ifndef LINUX_BPF_H
#define LINUX_BPF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "uapi_bpf.h"

#define MAX_BPF_STACK 512               /* the stack a program has (include/linux/filter.h) */
#define BPF_COMPLEXITY_LIMIT_INSNS 1000000 /* instructions the verifier may walk, and a program may have */
#define BPF_PROG_MAX_MAPS 64            /* MAX_USED_MAPS */

struct bpf_insn {
    uint8_t code;
    uint8_t regs; /* dst_reg in the low four bits, src_reg in the high four */
    int16_t off;
    int32_t imm;
};
_Static_assert(sizeof(struct bpf_insn) == 8, "struct bpf_insn");
#define INSN_DST(i) ((i)->regs & 0x0f)
#define INSN_SRC(i) ((i)->regs >> 4)

struct bpf_map {
    int refs;
    uint32_t id, type, key_size, value_size, max_entries, flags;
    char name[BPF_OBJ_NAME_LEN];
    bool hash, percpu, lru;
    bool frozen; /* BPF_MAP_FREEZE: read-only to the calls, not to programs */
    uint32_t koff, slot; /* a slot: the value (rounded to 8) at 0, a hash map's key at koff */
    uint8_t *mem;        /* max_entries slots */
    /* a hash map: which slots hold an element, chains from buckets */
    uint8_t *used;
    int32_t *next, *bucket, free_head;
    uint32_t nbuckets, count;
    uint64_t *stamp, clock; /* LRU: when each slot was last used */
};

struct bpf_prog {
    int refs;
    uint32_t id, type, len;
    char name[BPF_OBJ_NAME_LEN];
    struct bpf_insn *insns;
    struct bpf_map *maps[BPF_PROG_MAX_MAPS]; /* the maps it uses, referenced */
    int nmaps;
    struct sock_filter *classic; /* SO_ATTACH_FILTER's classic program (len instructions), run as it is */
};

/* A socket filter's view of a packet: struct __sk_buff's fields a program
 * may read (len, protocol, ...), cb[] it may write, and the bytes LD_ABS
 * and LD_IND read. */
struct bpf_skb {
    uint32_t len, pkt_type, mark, queue_mapping, protocol, vlan_present, vlan_tci, vlan_proto, priority;
    uint32_t ingress_ifindex, ifindex, tc_index, cb[5], hash;
};
#define SKB_CTX_SIZE ((uint32_t)sizeof(struct bpf_skb))
struct bpf_packet {
    struct bpf_skb skb;
    const uint8_t *data; /* skb.len bytes */
};

/* ---- maps (bpfmap.c) ---- */
struct map_create_attr {
    uint32_t map_type, key_size, value_size, max_entries, map_flags, inner_map_fd, numa_node;
    char map_name[BPF_OBJ_NAME_LEN];
};
/* A new map as attr asks: 0 and *out, or Linux's -EINVAL, -E2BIG, -ENOMEM. */
int bpf_map_new(const struct map_create_attr *a, struct bpf_map **out);
void bpf_map_put(struct bpf_map *m);
/* The value of key (a pointer into the map), or NULL. */
void *bpf_map_lookup(struct bpf_map *m, const void *key);
/* 0, or -EEXIST, -ENOENT, -E2BIG, -EINVAL as Linux's for these flags. */
int bpf_map_update(struct bpf_map *m, const void *key, const void *value, uint64_t flags);
int bpf_map_delete(struct bpf_map *m, const void *key);
/* The key after key (NULL: the first) into next: 0 or -ENOENT. */
int bpf_map_next_key(struct bpf_map *m, const void *key, void *next);
/* A hash map's bucket b: how many keys it holds, copied to keys if they
 * are at most room (the batch commands walk buckets, as Linux's). */
uint32_t bpf_map_bucket(const struct bpf_map *m, uint32_t b, uint8_t *keys, uint32_t room);
/* Whether [addr, addr+len) lies inside one value of m (the interpreter's check). */
bool bpf_map_holds(const struct bpf_map *m, uintptr_t addr, size_t len);
/* The bytes a value takes in user memory: a per-CPU map's, rounded to 8, once per CPU (one here). */
uint32_t bpf_map_user_value(const struct bpf_map *m);
/* Whether a valid name (Linux's bpf_obj_name_cpy): letters, digits, '_' and '.', NUL-ended. */
bool bpf_name_ok(const char *name);

/* ---- the calls' helpers (bpf.c) and the batch commands (bpfbatch.c) ---- */
struct sys_ctx;
/* The map of descriptor fd, if opened for reading and writing as asked:
 * NULL and *err (EBADF, EINVAL, EPERM). */
struct bpf_map *bpf_map_for(struct sys_ctx *c, uint32_t fd, bool read, bool write, int *err);
/* value (the map's) out to user memory at u: a per-CPU map's padded to 8. */
int bpf_value_out(struct sys_ctx *c, const struct bpf_map *m, uint64_t u, const void *value);
/* BPF_MAP_LOOKUP_BATCH, _LOOKUP_AND_DELETE_BATCH, _UPDATE_BATCH, _DELETE_BATCH. */
int64_t bpf_map_batch(struct sys_ctx *c, int cmd, const uint8_t *attr, uint64_t uattr);

/* ---- the verifier (bpfprog.c) ---- */
struct bpf_log {
    char *buf;   /* NULL: no log */
    uint32_t size, len;
    uint32_t want; /* the bytes the whole log would take */
};
void bpf_log(struct bpf_log *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether prog (its maps resolved) is one Linux loads for a caller that
 * may (priv) or may not read uninitialised stack: 0, or -EINVAL, -EACCES,
 * -E2BIG with the reason in log. */
struct bpf_resolver {
    /* the map of descriptor fd, referenced: 0, -EBADF or -EINVAL */
    int (*map_of)(void *ctx, int fd, struct bpf_map **m);
    void *ctx;
};
int bpf_verify(struct bpf_prog *prog, struct bpf_log *log, bool priv, const struct bpf_resolver *res);
/* Whether code is an instruction Linux knows (bpf_opcode_in_insntable). */
bool bpf_opcode_ok(uint8_t code);
/* do_check (bpfcheck.c): every path of a program whose structure is
 * checked; target[pc] marks the instructions a jump goes to. */
int bpf_check_paths(const struct bpf_prog *prog, const bool *target, struct bpf_log *log, bool priv);

/* ---- classic socket filters (sockfilter.c) ---- */
struct sock_filter;
/* Whether Linux's bpf_check_classic takes the program. */
bool cbpf_check(const struct sock_filter *prog, int len);
/* A checked program's answer for the packet. */
uint32_t cbpf_run(const struct sock_filter *prog, const struct bpf_packet *pkt);

/* ---- the interpreter (bpfvm.c) ---- */
/* A verified program's R0 for the packet pkt. */
uint64_t bpf_prog_run(const struct bpf_prog *prog, struct bpf_packet *pkt);
/* One ALU operation (BPF_ADD...BPF_MOV, with its off: signed division,
 * sign-extending moves) and BPF_END, as the interpreter does them: the
 * verifier computes known values with them. */
uint64_t bpf_alu(uint8_t op, uint64_t d, uint64_t s, int16_t off, bool is64);
uint64_t bpf_endian(const struct bpf_insn *i, uint64_t d);
/* Whether a conditional jump's op (BPF_JEQ...) holds for d and s. */
bool bpf_cond(uint8_t op, uint64_t d, uint64_t s, bool is64);

#endif
