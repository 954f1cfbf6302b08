/*
 * personalities/linux/sockfilter.c - classic BPF socket filters
 * (SO_ATTACH_FILTER): Linux's bpf_check_classic (the instructions of
 * classic BPF, jumps inside the program, no division or shift by a bad
 * constant, scratch words stored before they are read, a return at the
 * end) and an interpreter over a datagram: an accumulator A, an index X,
 * sixteen scratch words, loads of the packet's bytes big-endian (a load
 * outside it ends the program with 0), its length, the IP header length
 * (LDX MSH), and the ancillary words of SKF_AD_OFF that mean something
 * here (protocol, packet type, ifindex 0, CPU 0, a random number, A ^ X;
 * the others read 0).  Linux turns such a filter into eBPF; here it runs
 * as it is, with the same answers.
 *
 * Entry points: cbpf_check, cbpf_run (bpf.h).  Callers: bpf.c.  Layer:
 * the bottom.  Book: docs/linux.md, "eBPF".
 */
#include "bpf.h"
#include "seccompbpf.h"
#include <stdlib.h>

#define CLS(c) ((c) & 0x07)
#define OP(c) ((c) & 0xf0)
#define SKF_AD_OFF (-0x1000)
#define SKF_AD_PROTOCOL 0
#define SKF_AD_PKTTYPE 4
#define SKF_AD_ALU_XOR_X 40
#define SKF_AD_RANDOM 56
#define SKF_AD_MAX 64
#define BPF_MSH 0xa0

static bool code_ok(uint16_t c)
{
    switch (c) {
    case BPF_ALU | BPF_NEG:
    case BPF_LD | BPF_W | BPF_ABS: case BPF_LD | BPF_H | BPF_ABS: case BPF_LD | BPF_B | BPF_ABS:
    case BPF_LD | BPF_W | BPF_IND: case BPF_LD | BPF_H | BPF_IND: case BPF_LD | BPF_B | BPF_IND:
    case BPF_LD | BPF_W | BPF_LEN: case BPF_LD | BPF_IMM: case BPF_LD | BPF_MEM:
    case BPF_LDX | BPF_W | BPF_LEN: case BPF_LDX | BPF_IMM: case BPF_LDX | BPF_MEM: case BPF_LDX | BPF_B | BPF_MSH:
    case BPF_ST: case BPF_STX: case BPF_MISC | BPF_TAX: case BPF_MISC | BPF_TXA:
    case BPF_RET | BPF_K: case BPF_RET | BPF_A: case BPF_JMP | BPF_JA: return true;
    }
    uint16_t op = OP(c);
    if (CLS(c) == BPF_ALU && (c & ~(BPF_X | 0xf0)) == BPF_ALU)
        return op <= BPF_RSH || op == BPF_MOD || op == BPF_XOR;
    if (CLS(c) == BPF_JMP && (c & ~(BPF_X | 0xf0)) == BPF_JMP)
        return op == BPF_JEQ || op == BPF_JGT || op == BPF_JGE || op == BPF_JSET;
    return false;
}

static bool operands_ok(const struct sock_filter *f, int pc, int len)
{
    uint16_t c = f->code;
    if (c == (BPF_ALU | BPF_DIV | BPF_K) || c == (BPF_ALU | BPF_MOD | BPF_K))
        return f->k != 0;
    if (c == (BPF_ALU | BPF_LSH | BPF_K) || c == (BPF_ALU | BPF_RSH | BPF_K))
        return f->k < 32;
    if (c == (BPF_LD | BPF_MEM) || c == (BPF_LDX | BPF_MEM) || c == BPF_ST || c == BPF_STX)
        return f->k < BPF_MEMWORDS;
    if (c == (BPF_JMP | BPF_JA))
        return f->k < (uint32_t)(len - pc - 1);
    if (CLS(c) == BPF_JMP)
        return pc + f->jt + 1 < len && pc + f->jf + 1 < len;
    return true;
}

/* Linux's check_load_and_stores, path by path through the jumps. */
static bool stores_before_loads(const struct sock_filter *prog, int len)
{
    uint16_t *valid_at = malloc((size_t)len * sizeof *valid_at), valid = 0;
    bool ok = valid_at != NULL;
    for (int pc = 0; ok && pc < len; pc++)
        valid_at[pc] = 0xffff;
    for (int pc = 0; ok && pc < len; pc++) {
        const struct sock_filter *f = &prog[pc];
        valid &= valid_at[pc];
        if (f->code == BPF_ST || f->code == BPF_STX)
            valid |= (uint16_t)(1u << f->k);
        else if ((f->code == (BPF_LD | BPF_MEM) || f->code == (BPF_LDX | BPF_MEM)) && !(valid & (1u << f->k)))
            ok = false;
        else if (f->code == (BPF_JMP | BPF_JA)) {
            valid_at[pc + 1 + f->k] &= valid;
            valid = 0xffff;
        } else if (CLS(f->code) == BPF_JMP) {
            valid_at[pc + 1 + f->jt] &= valid;
            valid_at[pc + 1 + f->jf] &= valid;
            valid = 0xffff;
        } else if (CLS(f->code) == BPF_RET)
            valid = 0xffff;
    }
    free(valid_at);
    return ok;
}

bool cbpf_check(const struct sock_filter *prog, int len)
{
    if (len <= 0 || len > BPF_MAXINSNS)
        return false;
    for (int pc = 0; pc < len; pc++)
        if (!code_ok(prog[pc].code) || !operands_ok(&prog[pc], pc, len))
            return false;
    return CLS(prog[len - 1].code) == BPF_RET && stores_before_loads(prog, len);
}

/* n bytes of the packet at off, big-endian, into *v; an ancillary word
 * for an offset in SKF_AD_OFF's page; false outside the packet. */
static bool load(const struct bpf_packet *pkt, int64_t off, unsigned n, uint32_t a, uint32_t x, uint32_t *v, bool abs)
{
    if (abs && off >= SKF_AD_OFF && off < SKF_AD_OFF + SKF_AD_MAX) {
        int anc = (int)(off - SKF_AD_OFF);
        *v = anc == SKF_AD_PROTOCOL  ? __builtin_bswap16((uint16_t)pkt->skb.protocol)
             : anc == SKF_AD_PKTTYPE ? pkt->skb.pkt_type
             : anc == SKF_AD_RANDOM  ? (uint32_t)rand()
             : anc == SKF_AD_ALU_XOR_X ? a ^ x
                                       : 0;
        return true;
    }
    if (off < 0 || (uint64_t)off + n > pkt->skb.len)
        return false; /* outside, or SKF_NET_OFF's and SKF_LL_OFF's headers, which a datagram here has not */
    uint32_t r = 0;
    for (unsigned k = 0; k < n; k++)
        r = r << 8 | pkt->data[off + k];
    *v = r;
    return true;
}

static uint32_t alu(uint16_t op, uint32_t a, uint32_t v)
{
    switch (op) {
    case BPF_ADD: return a + v;
    case BPF_SUB: return a - v;
    case BPF_MUL: return a * v;
    case BPF_DIV: return v ? a / v : 0;
    case BPF_MOD: return v ? a % v : 0;
    case BPF_AND: return a & v;
    case BPF_OR: return a | v;
    case BPF_XOR: return a ^ v;
    case BPF_LSH: return a << (v & 31);
    case BPF_RSH: return a >> (v & 31);
    default: return -a; /* BPF_NEG */
    }
}

static const unsigned size_bytes[4] = {4, 2, 1, 0};

uint32_t cbpf_run(const struct sock_filter *prog, const struct bpf_packet *pkt)
{
    uint32_t a = 0, x = 0, m[BPF_MEMWORDS] = {0}, v;
    for (int pc = 0;; pc++) {
        const struct sock_filter *f = &prog[pc];
        uint16_t c = f->code;
        uint32_t src = (c & BPF_X) ? x : f->k;
        switch (CLS(c)) {
        case BPF_LD:
            if ((c & 0xe0) == BPF_ABS || (c & 0xe0) == BPF_IND) {
                int64_t off = (int32_t)f->k + ((c & 0xe0) == BPF_IND ? (int64_t)(int32_t)x : 0);
                if (!load(pkt, off, size_bytes[(c & 0x18) >> 3], a, x, &v, (c & 0xe0) == BPF_ABS))
                    return 0;
                a = v;
            } else
                a = (c & 0xe0) == BPF_LEN ? pkt->skb.len : (c & 0xe0) == BPF_MEM ? m[f->k] : f->k;
            break;
        case BPF_LDX:
            if ((c & 0xe0) == BPF_MSH) {
                if (!load(pkt, (int32_t)f->k, 1, a, x, &v, false))
                    return 0;
                x = (v & 0xf) << 2;
            } else
                x = (c & 0xe0) == BPF_LEN ? pkt->skb.len : (c & 0xe0) == BPF_MEM ? m[f->k] : f->k;
            break;
        case BPF_ST: m[f->k] = a; break;
        case BPF_STX: m[f->k] = x; break;
        case BPF_ALU:
            if ((OP(c) == BPF_DIV || OP(c) == BPF_MOD) && !src)
                return 0; /* a division by a zero X ends the program */
            a = alu(OP(c), a, src);
            break;
        case BPF_JMP:
            if (OP(c) == BPF_JA)
                pc += (int)f->k;
            else {
                bool t = OP(c) == BPF_JEQ ? a == src : OP(c) == BPF_JGT ? a > src : OP(c) == BPF_JGE ? a >= src
                                                                                             : (a & src) != 0;
                pc += t ? f->jt : f->jf;
            }
            break;
        case BPF_RET: return c == (BPF_RET | BPF_A) ? a : f->k;
        default: c == (BPF_MISC | BPF_TAX) ? (x = a) : (a = x); break;
        }
    }
}
