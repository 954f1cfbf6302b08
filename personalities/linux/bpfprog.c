/*
 * personalities/linux/bpfprog.c - the eBPF verifier's first half (bpf.h's
 * bpf_verify): what Linux's bpf_check does before it walks the paths.
 * Every instruction must be one Linux knows ("unknown opcode"), a
 * LD_IMM64 whole, a map's descriptor a map (EBADF for no descriptor,
 * EINVAL for another file; a map value's address, a global variable's,
 * inside the value of an array of one element), each jump inside the program, the last
 * instruction an exit or a jump, every instruction reachable, none a
 * jump into the middle of a LD_IMM64, and, for a caller without CAP_BPF,
 * no back-edge; then bpfcheck.c walks every path.  Errors are Linux's
 * errnos, with Linux's message in the log.
 *
 * Entry points: bpf_verify, bpf_opcode_ok, bpf_log.  Callers: bpf.c.
 * Layer: the bottom.  Book: docs/linux.md, "eBPF".
 */
#include "bpf.h"
#include "uapi.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLS(c) ((c) & 0x07)
#define OP(c) ((c) & 0xf0)

void bpf_log(struct bpf_log *log, const char *fmt, ...)
{
    if (!log->buf)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(log->buf + log->len, log->size - log->len, fmt, ap);
    va_end(ap);
    if (n > 0) {
        log->want += (uint32_t)n;
        log->len += (uint32_t)n < log->size - log->len ? (uint32_t)n : log->size - log->len - 1;
    }
}

static bool alu_ok(uint8_t code)
{
    uint8_t op = OP(code);
    if (op == BPF_NEG)
        return !(code & BPF_X);
    if (op == BPF_END)
        return CLS(code) == BPF_ALU || !(code & BPF_X); /* ALU64 has the unconditional swap alone */
    return op <= BPF_ARSH; /* ADD SUB MUL DIV OR AND LSH RSH (NEG above) MOD XOR MOV ARSH */
}

bool bpf_opcode_ok(uint8_t code)
{
    switch (CLS(code)) {
    case BPF_ALU:
    case BPF_ALU64: return alu_ok(code);
    case BPF_JMP:
        if (code == (BPF_JMP | BPF_JA) || code == (BPF_JMP | BPF_CALL) || code == (BPF_JMP | BPF_EXIT))
            return true;
        return OP(code) != BPF_JA && OP(code) <= BPF_JSLE && OP(code) != BPF_CALL && OP(code) != BPF_EXIT;
    case BPF_JMP32:
        if (code == (BPF_JMP32 | BPF_JA))
            return true;
        return OP(code) != BPF_JA && OP(code) <= BPF_JSLE && OP(code) != BPF_CALL && OP(code) != BPF_EXIT;
    case BPF_LD:
        if (code == (BPF_LD | BPF_IMM | BPF_DW))
            return true;
        return ((code & 0xe0) == BPF_ABS || (code & 0xe0) == BPF_IND) && (code & 0x18) != BPF_DW;
    case BPF_LDX:
        return (code & 0xe0) == BPF_MEM || ((code & 0xe0) == 0x80 && (code & 0x18) != BPF_DW); /* MEM, MEMSX */
    case BPF_ST: return (code & 0xe0) == BPF_MEM;
    default: /* BPF_STX */
        return (code & 0xe0) == BPF_MEM || ((code & 0xe0) == BPF_ATOMIC && ((code & 0x18) == BPF_W ||
                                                                              (code & 0x18) == BPF_DW));
    }
}

/* A map value's address in a LD_IMM64 (BPF_PSEUDO_MAP_VALUE: a global
 * variable): an array of one element, the offset inside its value. */
static int direct_value(const struct bpf_map *m, uint32_t off, struct bpf_log *log)
{
    if (off >= (1u << 29)) { /* BPF_MAX_VAR_OFF */
        bpf_log(log, "direct value offset of %u is not allowed\n", off);
        return -LINUX_EINVAL;
    }
    if (m->hash) {
        bpf_log(log, "no direct value access support for this map type\n");
        return -LINUX_EINVAL;
    }
    if (m->max_entries != 1 || off >= m->value_size) {
        bpf_log(log, "invalid access to map value pointer, value_size=%u off=%u\n", m->value_size, off);
        return m->max_entries != 1 ? -LINUX_ENOTSUPP : -LINUX_EINVAL;
    }
    return 0;
}

/* Linux's resolve_pseudo_ldimm64: each instruction known, each LD_IMM64
 * whole, a map's descriptor replaced by the map's index in prog->maps. */
static int resolve(struct bpf_prog *prog, struct bpf_log *log, const struct bpf_resolver *res)
{
    for (uint32_t pc = 0; pc < prog->len; pc++) {
        struct bpf_insn *i = &prog->insns[pc];
        if (!bpf_opcode_ok(i->code)) {
            bpf_log(log, "unknown opcode %02x\n", i->code);
            return -LINUX_EINVAL;
        }
        if (CLS(i->code) == BPF_LDX && i->imm) {
            bpf_log(log, "BPF_LDX uses reserved fields\n");
            return -LINUX_EINVAL;
        }
        if (i->code != (BPF_LD | BPF_IMM | BPF_DW))
            continue;
        struct bpf_insn *n = i + 1;
        if (pc + 1 >= prog->len || n->code || n->regs || n->off) {
            bpf_log(log, "invalid bpf_ld_imm64 insn\n");
            return -LINUX_EINVAL;
        }
        if (INSN_SRC(i) == 0) {
            pc++;
            continue;
        }
        if ((INSN_SRC(i) != BPF_PSEUDO_MAP_FD || n->imm) && INSN_SRC(i) != BPF_PSEUDO_MAP_VALUE) {
            bpf_log(log, "unrecognized bpf_ld_imm64 insn\n");
            return -LINUX_EINVAL;
        }
        struct bpf_map *m;
        int r = res->map_of(res->ctx, i->imm, &m);
        if (r < 0) {
            bpf_log(log, "fd %d is not pointing to valid bpf_map\n", i->imm);
            return r;
        }
        if (INSN_SRC(i) == BPF_PSEUDO_MAP_VALUE && (r = direct_value(m, (uint32_t)n->imm, log)) < 0) {
            bpf_map_put(m);
            return r;
        }
        int k = 0;
        while (k < prog->nmaps && prog->maps[k] != m)
            k++;
        if (k == prog->nmaps && k == BPF_PROG_MAX_MAPS) {
            bpf_map_put(m);
            bpf_log(log, "The total number of maps per program has reached the limit of %u\n", BPF_PROG_MAX_MAPS);
            return -LINUX_E2BIG;
        }
        if (k == prog->nmaps)
            prog->maps[prog->nmaps++] = m;
        else
            bpf_map_put(m);
        i->imm = k;
        pc++;
    }
    return 0;
}

/* Where the jump at pc goes, or -1 for an instruction that does not jump. */
static int64_t jump_target(const struct bpf_insn *i, uint32_t pc)
{
    uint8_t c = i->code;
    if ((CLS(c) != BPF_JMP && CLS(c) != BPF_JMP32) || OP(c) == BPF_CALL || OP(c) == BPF_EXIT)
        return -1;
    return (int64_t)pc + 1 + (c == (BPF_JMP32 | BPF_JA) ? i->imm : i->off);
}

/* Linux's check_subprogs: jumps inside the program, an exit or jump last. */
static int check_jumps(const struct bpf_prog *prog, struct bpf_log *log)
{
    for (uint32_t pc = 0; pc < prog->len; pc++) {
        int64_t t = jump_target(&prog->insns[pc], pc);
        if (t != -1 && (t < 0 || t >= prog->len)) {
            bpf_log(log, "jump out of range from insn %u to %lld\n", pc, (long long)t);
            return -LINUX_EINVAL;
        }
    }
    uint8_t last = prog->insns[prog->len - 1].code;
    if (last != (BPF_JMP | BPF_EXIT) && last != (BPF_JMP | BPF_JA) && last != (BPF_JMP32 | BPF_JA)) {
        bpf_log(log, "last insn is not an exit or jmp\n");
        return -LINUX_EINVAL;
    }
    return 0;
}

/* The instructions after pc on the control-flow graph: up to two. */
static int successors(const struct bpf_prog *prog, uint32_t pc, uint32_t out[2])
{
    const struct bpf_insn *i = &prog->insns[pc];
    uint8_t c = i->code;
    if (c == (BPF_JMP | BPF_EXIT))
        return 0;
    int64_t t = jump_target(i, pc);
    if (t >= 0 && OP(c) == BPF_JA) {
        out[0] = (uint32_t)t;
        return 1;
    }
    out[0] = pc + (c == (BPF_LD | BPF_IMM | BPF_DW) ? 2 : 1);
    if (t < 0)
        return out[0] < prog->len ? 1 : 0;
    out[1] = (uint32_t)t;
    return 2;
}

/* Linux's check_cfg: a depth-first walk; a jump into a LD_IMM64's second
 * half, a back-edge (without CAP_BPF), an instruction never reached. */
static int check_cfg(const struct bpf_prog *prog, bool *target, struct bpf_log *log, bool priv)
{
    uint32_t n = prog->len, *stack = malloc(n * sizeof *stack), sp = 0;
    uint8_t *state = calloc(n, 1); /* 0 new, 1 on the walk's stack, 2 done */
    int r = stack && state ? 0 : -LINUX_ENOMEM;
    for (uint32_t pc = 0; !r && pc + 1 < n; pc++) /* a LD_IMM64's second half: no jump may land there */
        if (prog->insns[pc].code == (BPF_LD | BPF_IMM | BPF_DW))
            state[++pc] = 3;
    if (!r)
        stack[sp++] = 0, state[0] = 1;
    while (!r && sp) {
        uint32_t pc = stack[sp - 1], next[2];
        int k = successors(prog, pc, next), pushed = 0;
        for (int e = 0; e < k && !r && !pushed; e++) {
            uint32_t w = next[e];
            if (k == 2 || OP(prog->insns[pc].code) == BPF_JA)
                target[w] = true;
            if (state[w] == 3) {
                bpf_log(log, "jump into the middle of ldimm64 insn %u\n", w);
                r = -LINUX_EINVAL;
            } else if (state[w] == 1 && !priv) {
                bpf_log(log, "back-edge from insn %u to %u\n", pc, w);
                r = -LINUX_EINVAL;
            } else if (state[w] == 0) {
                state[w] = 1, stack[sp++] = w, pushed = 1;
            }
        }
        if (!pushed && !r)
            state[pc] = 2, sp--;
    }
    for (uint32_t pc = 0; !r && pc < n; pc++)
        if (state[pc] == 0) {
            bpf_log(log, "unreachable insn %u\n", pc);
            r = -LINUX_EINVAL;
        }
    free(stack), free(state);
    return r;
}

int bpf_verify(struct bpf_prog *prog, struct bpf_log *log, bool priv, const struct bpf_resolver *res)
{
    int r = resolve(prog, log, res);
    if (r < 0 || (r = check_jumps(prog, log)) < 0)
        return r;
    bool *target = calloc(prog->len, sizeof *target);
    if (!target)
        return -LINUX_ENOMEM;
    r = check_cfg(prog, target, log, priv);
    if (!r)
        r = bpf_check_paths(prog, target, log, priv);
    free(target);
    return r;
}
