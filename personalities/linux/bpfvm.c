/*
 * personalities/linux/bpfvm.c - the eBPF interpreter (bpf.h's
 * bpf_prog_run): Linux's ___bpf_prog_run for a verified program, with
 * eleven 64-bit registers, a 512-byte stack, ALU64 and ALU32 (a 32-bit
 * result zero-extended; division by zero 0, modulo by zero the dividend,
 * shifts by the count's low bits; the signed forms, sign-extending moves
 * and byte swaps of ISA v4), JMP and JMP32, LD_IMM64 (a map's, by its
 * descriptor), LDX/ST/STX with sign-extending loads and the atomic
 * operations, LD_ABS and LD_IND over the packet (out of it: the program
 * ends with 0), and the helpers socket filters have here.  Every load and
 * store is checked once more against the stack, the context and the
 * values of the program's maps, so that a verifier's mistake ends the
 * program (with 0) instead of reaching the server's memory.
 *
 * Entry points: bpf_prog_run.  Callers: bpf.c (BPF_PROG_TEST_RUN, socket
 * filters).  Layer: the bottom.  Book: docs/linux.md, "eBPF".
 */
#include "bpf.h"
#include "time.h"
#include <stdlib.h>
#include <string.h>

#define CLS(c) ((c) & 0x07)
#define OP(c) ((c) & 0xf0)
#define SIZE(c) ((c) & 0x18)
#define MODE(c) ((c) & 0xe0)
#define BPF_MEMSX 0x80

struct vm {
    const struct bpf_prog *prog;
    struct bpf_packet *pkt;
    uint64_t r[MAX_BPF_REG];
    uint8_t stack[MAX_BPF_STACK] __attribute__((aligned(8)));
    bool fault;
};

static const unsigned size_bytes[4] = {4, 2, 1, 8}; /* BPF_W, BPF_H, BPF_B, BPF_DW by SIZE >> 3 */

/* Whether the program may touch [a, a+n): its stack, its context (cb[]
 * alone for a store), a value of one of its maps. */
static bool mem_ok(struct vm *v, uint64_t a, unsigned n, bool store)
{
    uintptr_t s = (uintptr_t)v->stack, c = (uintptr_t)&v->pkt->skb;
    if (a >= s && a + n <= s + MAX_BPF_STACK)
        return true;
    if (a >= c && a + n <= c + SKB_CTX_SIZE)
        return !store || (a >= (uintptr_t)v->pkt->skb.cb && a + n <= (uintptr_t)(v->pkt->skb.cb + 5));
    for (int i = 0; i < v->prog->nmaps; i++)
        if (bpf_map_holds(v->prog->maps[i], (uintptr_t)a, n))
            return true;
    return false;
}

static uint64_t load(struct vm *v, uint64_t a, unsigned n, bool sx)
{
    if (!mem_ok(v, a, n, false)) {
        v->fault = true;
        return 0;
    }
    const void *p = (const void *)(uintptr_t)a;
    switch (n) {
    case 1: { uint8_t x; memcpy(&x, p, 1); return sx ? (uint64_t)(int8_t)x : x; }
    case 2: { uint16_t x; memcpy(&x, p, 2); return sx ? (uint64_t)(int16_t)x : x; }
    case 4: { uint32_t x; memcpy(&x, p, 4); return sx ? (uint64_t)(int32_t)x : x; }
    default: { uint64_t x; memcpy(&x, p, 8); return x; }
    }
}

static void store(struct vm *v, uint64_t a, unsigned n, uint64_t x)
{
    if (!mem_ok(v, a, n, true)) {
        v->fault = true;
        return;
    }
    memcpy((void *)(uintptr_t)a, &x, n); /* little-endian: the low n bytes */
}

/* BPF_STX | BPF_ATOMIC: op imm on the n bytes at a with register src (R0 for CMPXCHG). */
static void atomic(struct vm *v, uint64_t a, unsigned n, int32_t imm, uint8_t src)
{
    uint64_t old = load(v, a, n, false), x = v->r[src], nw;
    if (v->fault)
        return;
    switch (imm & ~BPF_FETCH) {
    case BPF_ADD: nw = old + x; break;
    case BPF_OR: nw = old | x; break;
    case BPF_AND: nw = old & x; break;
    case BPF_XOR: nw = old ^ x; break;
    case 0xe0: nw = x; break; /* XCHG */
    default: /* CMPXCHG */
        nw = old == (n == 4 ? (uint32_t)v->r[0] : v->r[0]) ? x : old;
        v->r[0] = old;
        store(v, a, n, nw);
        return;
    }
    store(v, a, n, nw);
    if (imm & BPF_FETCH)
        v->r[src] = old;
}

uint64_t bpf_alu(uint8_t op, uint64_t d, uint64_t s, int16_t off, bool is64)
{
    unsigned bits = is64 ? 64 : 32;
    if (!is64)
        d = (uint32_t)d, s = (uint32_t)s;
    switch (op) {
    case BPF_ADD: return d + s;
    case BPF_SUB: return d - s;
    case BPF_MUL: return d * s;
    case BPF_OR: return d | s;
    case BPF_AND: return d & s;
    case BPF_XOR: return d ^ s;
    case BPF_LSH: return d << (s & (bits - 1));
    case BPF_RSH: return d >> (s & (bits - 1));
    case BPF_NEG: return -d;
    case BPF_ARSH:
        return is64 ? (uint64_t)((int64_t)d >> (s & 63)) : (uint32_t)((int32_t)d >> (s & 31));
    case BPF_MOV:
        if (off == 8)
            return is64 ? (uint64_t)(int8_t)s : (uint32_t)(int8_t)s;
        if (off == 16)
            return is64 ? (uint64_t)(int16_t)s : (uint32_t)(int16_t)s;
        return off == 32 ? (uint64_t)(int32_t)s : s;
    case BPF_DIV:
        if (!s)
            return 0;
        if (!off)
            return d / s;
        if (is64)
            return (int64_t)s == -1 ? -d : (uint64_t)((int64_t)d / (int64_t)s);
        return (int32_t)s == -1 ? (uint32_t)-d : (uint32_t)((int32_t)d / (int32_t)s);
    default: /* BPF_MOD */
        if (!s)
            return d;
        if (!off)
            return d % s;
        if (is64)
            return (int64_t)s == -1 ? 0 : (uint64_t)((int64_t)d % (int64_t)s);
        return (int32_t)s == -1 ? 0 : (uint32_t)((int32_t)d % (int32_t)s);
    }
}

static uint64_t bswap(uint64_t x, int bits)
{
    if (bits == 16)
        return __builtin_bswap16((uint16_t)x);
    return bits == 32 ? __builtin_bswap32((uint32_t)x) : __builtin_bswap64(x);
}

uint64_t bpf_endian(const struct bpf_insn *i, uint64_t d)
{
    if (CLS(i->code) == BPF_ALU64 || (i->code & BPF_TO_BE)) /* x86-64 is little-endian: "to big" swaps */
        return bswap(d, i->imm);
    return i->imm == 16 ? (uint16_t)d : i->imm == 32 ? (uint32_t)d : d;
}

bool bpf_cond(uint8_t op, uint64_t d, uint64_t s, bool is64)
{
    if (!is64)
        d = (uint32_t)d, s = (uint32_t)s;
    int64_t sd = is64 ? (int64_t)d : (int32_t)d, ss = is64 ? (int64_t)s : (int32_t)s;
    switch (op) {
    case BPF_JEQ: return d == s;
    case BPF_JNE: return d != s;
    case BPF_JGT: return d > s;
    case BPF_JGE: return d >= s;
    case BPF_JLT: return d < s;
    case BPF_JLE: return d <= s;
    case BPF_JSET: return d & s;
    case BPF_JSGT: return sd > ss;
    case BPF_JSGE: return sd >= ss;
    case BPF_JSLT: return sd < ss;
    default: return sd <= ss; /* BPF_JSLE */
    }
}

/* A helper's answer, from R1-R5. */
static uint64_t call(struct vm *v, int32_t fn)
{
    struct bpf_map *m = (struct bpf_map *)(uintptr_t)v->r[1];
    if (fn == BPF_FUNC_ktime_get_ns)
        return clock_now();
    if (fn == BPF_FUNC_get_prandom_u32)
        return (uint32_t)rand();
    if (fn == BPF_FUNC_get_smp_processor_id)
        return 0;
    int k = 0;
    while (k < v->prog->nmaps && v->prog->maps[k] != m)
        k++;
    if (k == v->prog->nmaps || !mem_ok(v, v->r[2], m->key_size, false)) /* R1 one of its maps, R2 its memory */
        return v->fault = true, 0;
    const void *key = (const void *)(uintptr_t)v->r[2];
    if (fn == BPF_FUNC_map_lookup_elem)
        return (uintptr_t)bpf_map_lookup(m, key);
    if (fn == BPF_FUNC_map_delete_elem)
        return (uint64_t)(int64_t)bpf_map_delete(m, key);
    if (!mem_ok(v, v->r[3], m->value_size, false))
        return v->fault = true, 0;
    return (uint64_t)(int64_t)bpf_map_update(m, key, (const void *)(uintptr_t)v->r[3], v->r[4]);
}

/* LD_ABS / LD_IND: n bytes of the packet at off, big-endian into R0;
 * false if outside it (the program ends with 0). */
static bool ld_pkt(struct vm *v, int64_t off, unsigned n)
{
    if (off < 0 || (uint64_t)off + n > v->pkt->skb.len)
        return false;
    uint64_t x = 0;
    for (unsigned k = 0; k < n; k++)
        x = x << 8 | v->pkt->data[off + k];
    v->r[0] = x;
    return true;
}

/* One instruction at *pc: false when the program ends (R0 its answer). */
static bool step(struct vm *v, int *pc)
{
    const struct bpf_insn *i = &v->prog->insns[*pc];
    uint8_t c = i->code, d = INSN_DST(i), s = INSN_SRC(i);
    uint64_t src = (c & BPF_X) ? v->r[s] : (uint64_t)(int64_t)i->imm;
    switch (CLS(c)) {
    case BPF_ALU:
    case BPF_ALU64: {
        bool is64 = CLS(c) == BPF_ALU64;
        uint64_t r = OP(c) == BPF_END ? bpf_endian(i, v->r[d]) : bpf_alu(OP(c), v->r[d], src, i->off, is64);
        v->r[d] = is64 || OP(c) == BPF_END ? r : (uint32_t)r;
        break;
    }
    case BPF_JMP:
    case BPF_JMP32:
        if (OP(c) == BPF_EXIT)
            return false;
        if (OP(c) == BPF_CALL) {
            v->r[0] = call(v, i->imm);
            break;
        }
        if (OP(c) == BPF_JA)
            *pc += CLS(c) == BPF_JMP ? i->off : i->imm;
        else if (bpf_cond(OP(c), v->r[d], (c & BPF_X) ? v->r[s] : (uint64_t)(int64_t)i->imm, CLS(c) == BPF_JMP))
            *pc += i->off;
        break;
    case BPF_LD:
        if (MODE(c) == BPF_IMM) {
            v->r[d] = s == BPF_PSEUDO_MAP_FD      ? (uintptr_t)v->prog->maps[i->imm]
                      : s == BPF_PSEUDO_MAP_VALUE ? (uintptr_t)v->prog->maps[i->imm]->mem + (uint32_t)i[1].imm
                                                  : (uint32_t)i->imm | (uint64_t)(uint32_t)i[1].imm << 32;
            (*pc)++;
        } else if (!ld_pkt(v, (int64_t)(MODE(c) == BPF_IND ? (int64_t)(int32_t)v->r[s] : 0) + i->imm,
                           size_bytes[SIZE(c) >> 3])) {
            v->r[0] = 0;
            return false;
        } else {
            for (int k = 1; k <= 5; k++)
                v->r[k] = 0; /* clobbered, as a call's */
        }
        break;
    case BPF_LDX:
        v->r[d] = load(v, v->r[s] + (uint64_t)(int64_t)i->off, size_bytes[SIZE(c) >> 3], MODE(c) == BPF_MEMSX);
        break;
    case BPF_ST:
        store(v, v->r[d] + (uint64_t)(int64_t)i->off, size_bytes[SIZE(c) >> 3], (uint64_t)(int64_t)i->imm);
        break;
    default: /* BPF_STX */
        if (MODE(c) == BPF_ATOMIC)
            atomic(v, v->r[d] + (uint64_t)(int64_t)i->off, size_bytes[SIZE(c) >> 3], i->imm, s);
        else
            store(v, v->r[d] + (uint64_t)(int64_t)i->off, size_bytes[SIZE(c) >> 3], v->r[s]);
    }
    (*pc)++;
    return !v->fault;
}

uint64_t bpf_prog_run(const struct bpf_prog *prog, struct bpf_packet *pkt)
{
    static struct vm v; /* the server runs one program at a time */
    memset(&v, 0, sizeof v);
    v.prog = prog, v.pkt = pkt;
    v.r[1] = (uintptr_t)&pkt->skb;
    v.r[10] = (uintptr_t)(v.stack + MAX_BPF_STACK);
    int pc = 0;
    for (long n = 0; n <= BPF_COMPLEXITY_LIMIT_INSNS; n++)
        if (pc < 0 || (uint32_t)pc >= prog->len || !step(&v, &pc))
            return v.fault ? 0 : v.r[0];
    return 0;
}
