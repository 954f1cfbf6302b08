/*
 * personalities/linux/seccompbpf.c - seccomp's classic BPF: the check a
 * filter passes (Linux's bpf_check_classic and seccomp_check_filter) and
 * the interpreter that runs one over a call's struct seccomp_data: an
 * accumulator A, an index X, sixteen words of scratch memory, 32-bit
 * arithmetic, forward jumps only, and a division by a zero X ending the
 * program with 0, as Linux's.
 *
 * Entry points: bpf_check, bpf_run.  Callers: seccomp.c.  Layer: the
 * bottom.  Book: docs/linux.md, "Seccomp".
 */
#include "seccompbpf.h"
#include "uapi.h"
#include "uapi_sec.h"

#define BPF_CLASS(code) ((code) & 0x07)
#define BPF_OP(code) ((code) & 0xf0)
#define BPF_SRC(code) ((code) & 0x08)

/* Whether code is one of the instructions seccomp takes. */
static bool allowed(uint16_t code)
{
    switch (code) {
    case BPF_LD | BPF_W | BPF_ABS: case BPF_LD | BPF_W | BPF_LEN: case BPF_LDX | BPF_W | BPF_LEN:
    case BPF_RET | BPF_K: case BPF_RET | BPF_A:
    case BPF_ALU | BPF_NEG:
    case BPF_LD | BPF_IMM: case BPF_LDX | BPF_IMM: case BPF_MISC | BPF_TAX: case BPF_MISC | BPF_TXA:
    case BPF_LD | BPF_MEM: case BPF_LDX | BPF_MEM: case BPF_ST: case BPF_STX:
    case BPF_JMP | BPF_JA: return true;
    }
    switch (code & ~BPF_X) {
    case BPF_ALU | BPF_ADD: case BPF_ALU | BPF_SUB: case BPF_ALU | BPF_MUL: case BPF_ALU | BPF_DIV:
    case BPF_ALU | BPF_AND: case BPF_ALU | BPF_OR: case BPF_ALU | BPF_XOR: case BPF_ALU | BPF_LSH:
    case BPF_ALU | BPF_RSH: case BPF_JMP | BPF_JEQ: case BPF_JMP | BPF_JGE: case BPF_JMP | BPF_JGT:
    case BPF_JMP | BPF_JSET: return true;
    }
    return false;
}

static bool uses_mem(uint16_t code)
{
    return code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_MEM) || code == BPF_ST || code == BPF_STX;
}

/* One instruction's operands, in a program of len at pc. */
static bool operands_ok(const struct sock_filter *f, int pc, int len)
{
    uint16_t c = f->code;
    if (c == (BPF_LD | BPF_W | BPF_ABS))
        return f->k < sizeof(struct seccomp_data) && !(f->k & 3);
    if (uses_mem(c))
        return f->k < BPF_MEMWORDS;
    if (c == (BPF_ALU | BPF_DIV | BPF_K))
        return f->k != 0;
    if (c == (BPF_ALU | BPF_LSH | BPF_K) || c == (BPF_ALU | BPF_RSH | BPF_K))
        return f->k < 32;
    if (c == (BPF_JMP | BPF_JA))
        return f->k < (uint32_t)(len - pc - 1);
    if (BPF_CLASS(c) == BPF_JMP)
        return pc + f->jt + 1 < len && pc + f->jf + 1 < len;
    return true;
}

/* Linux's check_load_and_stores: a scratch word is read only on paths
 * that stored it. */
static bool stores_before_loads(const struct sock_filter *prog, int len)
{
    uint16_t valid_at[BPF_MAXINSNS], valid = 0; /* nothing stored yet */
    for (int pc = 0; pc < len; pc++)
        valid_at[pc] = 0xffff;
    for (int pc = 0; pc < len; pc++) {
        const struct sock_filter *f = &prog[pc];
        valid &= valid_at[pc];
        if (f->code == BPF_ST || f->code == BPF_STX)
            valid |= (uint16_t)(1u << f->k);
        else if ((f->code == (BPF_LD | BPF_MEM) || f->code == (BPF_LDX | BPF_MEM)) && !(valid & (1u << f->k)))
            return false;
        else if (f->code == (BPF_JMP | BPF_JA)) {
            valid_at[pc + 1 + f->k] &= valid;
            valid = 0xffff;
        } else if (BPF_CLASS(f->code) == BPF_JMP) {
            valid_at[pc + 1 + f->jt] &= valid;
            valid_at[pc + 1 + f->jf] &= valid;
            valid = 0xffff;
        } else if (BPF_CLASS(f->code) == BPF_RET)
            valid = 0xffff;
    }
    return true;
}

bool bpf_check(const struct sock_filter *prog, int len)
{
    if (len <= 0 || len > BPF_MAXINSNS)
        return false;
    for (int pc = 0; pc < len; pc++)
        if (!allowed(prog[pc].code) || !operands_ok(&prog[pc], pc, len))
            return false;
    return stores_before_loads(prog, len) && BPF_CLASS(prog[len - 1].code) == BPF_RET;
}

/* A ALU operation with operand v; false for a division by zero. */
static bool alu(uint32_t *a, uint16_t op, uint32_t v)
{
    switch (op) {
    case BPF_ADD: *a += v; break;
    case BPF_SUB: *a -= v; break;
    case BPF_MUL: *a *= v; break;
    case BPF_DIV:
        if (!v)
            return false;
        *a /= v;
        break;
    case BPF_AND: *a &= v; break;
    case BPF_OR: *a |= v; break;
    case BPF_XOR: *a ^= v; break;
    case BPF_LSH: *a <<= v & 31; break;
    case BPF_RSH: *a >>= v & 31; break;
    case BPF_NEG: *a = -*a; break;
    }
    return true;
}

static bool jump_taken(uint16_t op, uint32_t a, uint32_t v)
{
    switch (op) {
    case BPF_JEQ: return a == v;
    case BPF_JGT: return a > v;
    case BPF_JGE: return a >= v;
    default: return (a & v) != 0; /* BPF_JSET */
    }
}

uint32_t bpf_run(const struct sock_filter *prog, const struct seccomp_data *d)
{
    uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {0};
    for (int pc = 0;; pc++) {
        const struct sock_filter *f = &prog[pc];
        uint32_t v = BPF_SRC(f->code) == BPF_X ? x : f->k;
        switch (BPF_CLASS(f->code)) {
        case BPF_LD:
            a = f->code == (BPF_LD | BPF_W | BPF_ABS) ? *(const uint32_t *)((const char *)d + f->k)
                : f->code == (BPF_LD | BPF_W | BPF_LEN) ? sizeof *d
                : f->code == (BPF_LD | BPF_MEM)         ? mem[f->k]
                                                        : f->k;
            break;
        case BPF_LDX:
            x = f->code == (BPF_LDX | BPF_W | BPF_LEN) ? sizeof *d : f->code == (BPF_LDX | BPF_MEM) ? mem[f->k] : f->k;
            break;
        case BPF_ST: mem[f->k] = a; break;
        case BPF_STX: mem[f->k] = x; break;
        case BPF_ALU:
            if (!alu(&a, BPF_OP(f->code), v))
                return 0;
            break;
        case BPF_JMP:
            if (BPF_OP(f->code) == BPF_JA)
                pc += (int)f->k;
            else
                pc += jump_taken(BPF_OP(f->code), a, v) ? f->jt : f->jf;
            break;
        case BPF_RET: return f->code == (BPF_RET | BPF_A) ? a : f->k;
        case BPF_MISC: f->code == (BPF_MISC | BPF_TAX) ? (x = a) : (a = x); break;
        }
    }
}
