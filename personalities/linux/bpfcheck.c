/*
 * personalities/linux/bpfcheck.c - the eBPF verifier's second half
 * (bpf.h's bpf_check_paths, Linux's do_check): every path of the program
 * walked with what each register holds (uninitialised, a scalar, known
 * or not, a pointer to the context, the stack, a map value, a map value
 * or NULL, a map) and what each 8-byte stack slot holds.  Reading an
 * uninitialised register is EACCES ("R%d !read_ok"); so are a load or
 * store outside the stack, the context fields a socket filter has or a
 * map's value, a map value used before its NULL check, a helper given
 * the wrong argument; reserved fields, a division by a zero constant and
 * an unknown helper are EINVAL.  Scalars are known exactly or not at
 * all (there are no ranges: a pointer moved by an unknown amount may not
 * be dereferenced, which Linux, tracking bounds, accepts when they are
 * checked).  A state met again at a jump target is pruned, or, met on
 * its own path, an infinite loop (EINVAL); past 1,000,000 instructions
 * walked the program is too large (E2BIG), as Linux's.
 *
 * Entry points: bpf_check_paths.  Callers: bpfprog.c.  Layer: the bottom.
 * Book: docs/linux.md, "eBPF".
 */
#include "bpf.h"
#include "uapi.h"
#include <stdlib.h>
#include <string.h>

#define CLS(c) ((c) & 0x07)
#define OP(c) ((c) & 0xf0)
#define MODE(c) ((c) & 0xe0)
#define SLOTS (MAX_BPF_STACK / 8)
#define HISTORY 32
#define JMP_SEQ_MAX 8192

enum { NOT_INIT, SCALAR, PTR_CTX, PTR_STACK, PTR_MAP_VALUE, PTR_MAP_OR_NULL, CONST_PTR_MAP };
static const char *const type_name[] = {"?", "scalar", "ctx", "fp", "map_value", "map_value_or_null", "map_ptr"};
enum { SLOT_INVALID, SLOT_MISC, SLOT_SPILL };

struct reg {
    uint8_t type;
    bool known;    /* a scalar's value, a pointer's offset */
    int16_t map;   /* a map pointer's or map value's: the index in prog->maps */
    uint32_t id;   /* a map value or NULL: the lookup it came from */
    int64_t val;
};
struct state {
    struct reg r[MAX_BPF_REG];
    uint8_t slot[SLOTS];
    struct reg spill[SLOTS];
    uint32_t pc, next_id, nhist;
    uint64_t hist[HISTORY]; /* the path's states at jump targets (pc and hash) */
};
struct walk {
    const struct bpf_prog *prog;
    const bool *target;
    struct bpf_log *log;
    bool priv;
    struct state *todo;
    uint32_t ntodo, room;
    uint64_t *seen; /* every state met at a jump target: an open-addressed set */
    uint32_t nseen, seen_room;
    long processed;
};

static int fail(struct walk *w, int err, const char *msg, int a, int b, int c)
{
    bpf_log(w->log, msg, a, b, c);
    return err;
}

static struct reg scalar(bool known, int64_t val) { return (struct reg){.type = SCALAR, .known = known, .val = val}; }

static uint64_t state_hash(const struct state *s)
{
    uint64_t h = 1469598103934665603ull;
    const uint8_t *p = (const uint8_t *)s;
    for (size_t k = 0; k < offsetof(struct state, pc); k++)
        h = (h ^ p[k]) * 1099511628211ull;
    return (h ^ s->pc) * 1099511628211ull;
}

/* Whether h was seen already (a pruned path); else it is now. */
static bool seen(struct walk *w, uint64_t h)
{
    if (2 * (w->nseen + 1) > w->seen_room) {
        uint32_t room = w->seen_room ? 2 * w->seen_room : 1024;
        uint64_t *old = w->seen, *set = calloc(room, sizeof *set);
        if (!set)
            return false;
        w->seen = set, w->seen_room = room, w->nseen = 0;
        for (uint32_t k = 0; old && k < room / 2; k++)
            if (old[k])
                seen(w, old[k]);
        free(old);
    }
    h |= 1; /* 0 marks an empty place */
    uint32_t k = (uint32_t)h & (w->seen_room - 1);
    for (; w->seen[k]; k = (k + 1) & (w->seen_room - 1))
        if (w->seen[k] == h)
            return true;
    w->seen[k] = h, w->nseen++;
    return false;
}

static int push(struct walk *w, const struct state *s)
{
    if (w->ntodo >= JMP_SEQ_MAX)
        return fail(w, -LINUX_E2BIG, "The sequence of %d jumps is too complex.\n", (int)w->ntodo, 0, 0);
    if (w->ntodo == w->room) {
        uint32_t room = w->room ? 2 * w->room : 16;
        struct state *more = realloc(w->todo, room * sizeof *more);
        if (!more)
            return -LINUX_ENOMEM;
        w->todo = more, w->room = room;
    }
    w->todo[w->ntodo++] = *s;
    return 0;
}

static int read_reg(struct walk *w, const struct state *s, int r)
{
    if (r >= MAX_BPF_REG)
        return fail(w, -LINUX_EINVAL, "R%d is invalid\n", r, 0, 0);
    if (s->r[r].type == NOT_INIT)
        return fail(w, -LINUX_EACCES, "R%d !read_ok\n", r, 0, 0);
    return 0;
}

static int write_reg(struct walk *w, int r)
{
    if (r >= MAX_BPF_REG)
        return fail(w, -LINUX_EINVAL, "R%d is invalid\n", r, 0, 0);
    if (r == 10)
        return fail(w, -LINUX_EACCES, "frame pointer is read only\n", 0, 0, 0);
    return 0;
}


/* ---- loads and stores ---- */

static int stack_access(struct walk *w, struct state *s, int regno, int64_t o, int n, bool store,
                        const struct reg *val, struct reg *out)
{
    if (!s->r[regno].known)
        return fail(w, -LINUX_EACCES, "R%d variable stack access prohibited\n", regno, 0, 0);
    if (o < -MAX_BPF_STACK || o + n > 0)
        return fail(w, -LINUX_EACCES, "invalid stack R%d off=%d size=%d\n", regno, (int)o, n);
    if (o % n)
        return fail(w, -LINUX_EACCES, "misaligned stack access off %d size %d\n", (int)o, n, 0);
    int k = (int)((o + MAX_BPF_STACK) / 8);
    if (store) {
        bool spill = n == 8 && val;
        s->slot[k] = spill ? SLOT_SPILL : SLOT_MISC;
        s->spill[k] = spill ? *val : (struct reg){0};
        return 0;
    }
    if (s->slot[k] == SLOT_INVALID && !w->priv)
        return fail(w, -LINUX_EACCES, "invalid read from stack off %d+%d size %d\n", (int)o, 0, n);
    *out = s->slot[k] == SLOT_SPILL && n == 8 ? s->spill[k] : scalar(false, 0);
    return 0;
}

/* struct __sk_buff's fields a socket filter reads (4 bytes each) and
 * cb[], which it also writes (Linux's sk_filter_is_valid_access). */
static bool ctx_ok(int64_t o, int n, bool store)
{
    const int64_t cb = (int64_t)offsetof(struct bpf_skb, cb), cb_end = cb + 5 * 4;
    if (o >= cb && o + n <= cb_end)
        return o % n == 0;
    return !store && n == 4 && o >= 0 && o % 4 == 0 && o + n <= SKB_CTX_SIZE;
}

/* A load (out) or store (of val; NULL: a constant's) of n bytes at
 * R[regno] + off. */
static int check_mem(struct walk *w, struct state *s, int regno, int16_t off, int n, bool store,
                     const struct reg *val, struct reg *out)
{
    const struct reg *p = &s->r[regno];
    int64_t o = p->val + off;
    if (p->type == PTR_STACK)
        return stack_access(w, s, regno, o, n, store, val, out);
    if (p->type == PTR_CTX) {
        if (p->val)
            return fail(w, -LINUX_EACCES, "dereference of modified ctx ptr R%d off=%d disallowed\n", regno,
                        (int)p->val, 0);
        if (!ctx_ok(o, n, store))
            return fail(w, -LINUX_EACCES, "invalid bpf_context access off=%d size=%d\n", (int)o, n, 0);
        if (store && val && val->type != SCALAR)
            return fail(w, -LINUX_EACCES, "R%d leaks addr into ctx\n", regno, 0, 0);
        *out = scalar(false, 0);
        return 0;
    }
    if (p->type != PTR_MAP_VALUE)
        return bpf_log(w->log, "R%d invalid mem access '%s'\n", regno, type_name[p->type]), -LINUX_EACCES;
    const struct bpf_map *m = w->prog->maps[p->map];
    if (!p->known)
        return fail(w, -LINUX_EACCES, "R%d unbounded memory access, make sure to bounds check any such access\n",
                    regno, 0, 0);
    if (o < 0 || o + n > m->value_size)
        return fail(w, -LINUX_EACCES, "invalid access to map value, value_size=%d off=%d size=%d\n",
                    (int)m->value_size, (int)o, n);
    if (m->flags & (store ? BPF_F_RDONLY_PROG : BPF_F_WRONLY_PROG))
        return fail(w, -LINUX_EACCES, store ? "write into map forbidden, value_size=%d off=%d size=%d\n"
                                            : "read from map forbidden, value_size=%d off=%d size=%d\n",
                    (int)m->value_size, (int)o, n);
    *out = scalar(false, 0);
    return 0;
}

/* A helper's argument that points at n bytes it reads: the stack or a map value. */
static int check_mem_arg(struct walk *w, struct state *s, int regno, uint32_t n)
{
    int r = read_reg(w, s, regno);
    if (r < 0)
        return r;
    const struct reg *p = &s->r[regno];
    if (p->type == PTR_MAP_VALUE) {
        if (!p->known || p->val < 0 || p->val + n > w->prog->maps[p->map]->value_size)
            return fail(w, -LINUX_EACCES, "invalid access to map value, value_size=%d off=%d size=%d\n",
                        (int)w->prog->maps[p->map]->value_size, (int)p->val, (int)n);
        return 0;
    }
    if (p->type != PTR_STACK) {
        bpf_log(w->log, "R%d type=%s expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, "
                        "trusted_ptr_\n", regno, type_name[p->type]);
        return -LINUX_EACCES;
    }
    if (!p->known || p->val < -MAX_BPF_STACK || p->val + n > 0)
        return fail(w, -LINUX_EACCES, "invalid indirect access to stack R%d off=%d size=%d\n", regno, (int)p->val,
                    (int)n);
    for (int64_t o = p->val; o < p->val + n && !w->priv; o++)
        if (s->slot[(o + MAX_BPF_STACK) / 8] == SLOT_INVALID)
            return fail(w, -LINUX_EACCES, "invalid indirect read from stack R%d off %d+0 size %d\n", regno,
                        (int)p->val, (int)n);
    return 0;
}

/* ---- instructions ---- */

static int check_call(struct walk *w, struct state *s, const struct bpf_insn *i)
{
    if (i->off || INSN_DST(i) || (INSN_SRC(i) && INSN_SRC(i) > 2))
        return fail(w, -LINUX_EINVAL, "BPF_CALL uses reserved fields\n", 0, 0, 0);
    if (INSN_SRC(i))
        return fail(w, -LINUX_EINVAL, "calls of bpf functions and kfuncs are not supported\n", 0, 0, 0);
    int fn = i->imm, r;
    if (fn == BPF_FUNC_map_lookup_elem || fn == BPF_FUNC_map_update_elem || fn == BPF_FUNC_map_delete_elem) {
        if ((r = read_reg(w, s, 1)) < 0)
            return r;
        if (s->r[1].type != CONST_PTR_MAP)
            return bpf_log(w->log, "R1 type=%s expected=map_ptr\n", type_name[s->r[1].type]), -LINUX_EACCES;
        const struct bpf_map *m = w->prog->maps[s->r[1].map];
        if ((r = check_mem_arg(w, s, 2, m->key_size)) < 0)
            return r;
        if (fn == BPF_FUNC_map_update_elem) {
            if ((r = check_mem_arg(w, s, 3, m->value_size)) < 0 || (r = read_reg(w, s, 4)) < 0)
                return r;
            if (s->r[4].type != SCALAR)
                return bpf_log(w->log, "R4 type=%s expected=scalar\n", type_name[s->r[4].type]), -LINUX_EACCES;
        }
    } else if (fn != BPF_FUNC_ktime_get_ns && fn != BPF_FUNC_get_prandom_u32 && fn != BPF_FUNC_get_smp_processor_id) {
        return fail(w, -LINUX_EINVAL, "invalid func unknown#%d\n", fn, 0, 0);
    }
    struct reg r0 = scalar(false, 0);
    if (fn == BPF_FUNC_map_lookup_elem)
        r0 = (struct reg){.type = PTR_MAP_OR_NULL, .known = true, .map = s->r[1].map, .id = s->next_id++};
    for (int k = 1; k <= 5; k++)
        s->r[k] = (struct reg){0};
    s->r[0] = r0;
    return 1;
}

static int alu_reserved(struct walk *w, const struct bpf_insn *i, bool is64)
{
    uint8_t op = OP(i->code);
    bool x = i->code & BPF_X, bad;
    if (op == BPF_NEG)
        bad = INSN_SRC(i) || i->off || i->imm;
    else if (op == BPF_END)
        bad = INSN_SRC(i) || i->off || (i->imm != 16 && i->imm != 32 && i->imm != 64);
    else if (op == BPF_MOV)
        bad = x ? i->imm || (i->off && i->off != 8 && i->off != 16 && (!is64 || i->off != 32))
                : INSN_SRC(i) || i->off;
    else
        bad = (x ? i->imm != 0 : INSN_SRC(i) != 0) || i->off < 0 || i->off > 1 ||
              (i->off == 1 && op != BPF_DIV && op != BPF_MOD);
    if (bad)
        return fail(w, -LINUX_EINVAL, op == BPF_NEG ? "BPF_NEG uses reserved fields\n"
                                      : op == BPF_END ? "BPF_END uses reserved fields\n"
                                      : op == BPF_MOV ? "BPF_MOV uses reserved fields\n"
                                                      : "BPF_ALU uses reserved fields\n", 0, 0, 0);
    return 0;
}

/* A constant operand Linux refuses (after the operands are read). */
static int alu_constant(struct walk *w, const struct bpf_insn *i, bool is64)
{
    uint8_t op = OP(i->code);
    bool x = i->code & BPF_X;
    if (!x && (op == BPF_DIV || op == BPF_MOD) && i->imm == 0)
        return fail(w, -LINUX_EINVAL, "div by zero\n", 0, 0, 0);
    if (!x && (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) && (uint32_t)i->imm >= (is64 ? 64u : 32u))
        return fail(w, -LINUX_EINVAL, "invalid shift %d\n", i->imm, 0, 0);
    return 0;
}

/* Pointer arithmetic: ptr op scalar, or scalar + ptr, or ptr - ptr. */
static int ptr_alu(struct walk *w, struct state *s, const struct bpf_insn *i, struct reg sv, bool is64)
{
    uint8_t op = OP(i->code), d = INSN_DST(i);
    struct reg dv = s->r[d];
    if (!is64)
        return fail(w, -LINUX_EACCES, "R%d 32-bit pointer arithmetic prohibited\n", d, 0, 0);
    if (dv.type != SCALAR && sv.type != SCALAR) {
        if (op == BPF_SUB && w->priv)
            return s->r[d] = scalar(false, 0), 1;
        return fail(w, -LINUX_EACCES, "R%d pointer arithmetic with pointer prohibited\n", d, 0, 0);
    }
    if (op != BPF_ADD && op != BPF_SUB)
        return fail(w, -LINUX_EACCES, "R%d pointer arithmetic with this operator prohibited\n", d, 0, 0);
    if (dv.type == SCALAR && op == BPF_SUB)
        return fail(w, -LINUX_EACCES, "R%d tried to subtract pointer from scalar\n", d, 0, 0);
    struct reg ptr = dv.type == SCALAR ? sv : dv, k = dv.type == SCALAR ? dv : sv;
    if (ptr.type == PTR_MAP_OR_NULL)
        return fail(w, -LINUX_EACCES, "R%d pointer arithmetic on map_value_or_null prohibited, null-check it first\n",
                    d, 0, 0);
    if (ptr.type == CONST_PTR_MAP)
        return fail(w, -LINUX_EACCES, "R%d pointer arithmetic on map_ptr prohibited\n", d, 0, 0);
    ptr.known = ptr.known && k.known;
    ptr.val = op == BPF_ADD ? ptr.val + k.val : ptr.val - k.val;
    s->r[d] = ptr;
    return 1;
}

static int check_alu(struct walk *w, struct state *s, const struct bpf_insn *i)
{
    bool is64 = CLS(i->code) == BPF_ALU64, x = i->code & BPF_X;
    uint8_t op = OP(i->code), d = INSN_DST(i), sr = INSN_SRC(i);
    int r = alu_reserved(w, i, is64); /* in Linux's order: fields, source, destination, constant */
    if (r < 0 || (x && (r = read_reg(w, s, sr)) < 0) || (op != BPF_MOV && (r = read_reg(w, s, d)) < 0) ||
        (r = alu_constant(w, i, is64)) < 0 || (r = write_reg(w, d)) < 0)
        return r;
    struct reg sv = x ? s->r[sr] : scalar(true, i->imm), dv = s->r[d];
    if (op == BPF_NEG || op == BPF_END) {
        bool k = dv.type == SCALAR && dv.known;
        uint64_t v = op == BPF_END ? bpf_endian(i, (uint64_t)dv.val) : bpf_alu(op, (uint64_t)dv.val, 0, 0, is64);
        s->r[d] = scalar(k, (int64_t)(is64 || op == BPF_END ? v : (uint32_t)v));
        return 1;
    }
    if (op == BPF_MOV) {
        if (x && is64 && !i->off)
            s->r[d] = sv;
        else {
            uint64_t v = bpf_alu(BPF_MOV, 0, (uint64_t)sv.val, i->off, is64);
            s->r[d] = scalar(sv.type == SCALAR && sv.known, (int64_t)(is64 ? v : (uint32_t)v));
        }
        return 1;
    }
    if (dv.type != SCALAR || sv.type != SCALAR)
        return ptr_alu(w, s, i, sv, is64);
    uint64_t v = bpf_alu(op, (uint64_t)dv.val, (uint64_t)sv.val, i->off, is64);
    s->r[d] = scalar(dv.known && sv.known, (int64_t)(is64 ? v : (uint32_t)v));
    return 1;
}

/* The other branch of a conditional jump, and this path's refinement:
 * a map value's NULL check, a scalar found equal to a constant. */
static int check_cond(struct walk *w, struct state *s, const struct bpf_insn *i)
{
    bool x = i->code & BPF_X, is64 = CLS(i->code) == BPF_JMP;
    uint8_t op = OP(i->code), d = INSN_DST(i);
    int r;
    if ((r = read_reg(w, s, d)) < 0) /* Linux's order: the destination, the fields, the source */
        return r;
    if (x ? i->imm != 0 : INSN_SRC(i) != 0)
        return fail(w, -LINUX_EINVAL, "BPF_JMP/JMP32 uses reserved fields\n", 0, 0, 0);
    if (x && (r = read_reg(w, s, INSN_SRC(i))) < 0)
        return r;
    struct reg dv = s->r[d], sv = x ? s->r[INSN_SRC(i)] : scalar(true, i->imm);
    uint32_t taken = s->pc + 1 + (uint32_t)i->off, fall = s->pc + 1;
    if (dv.type == SCALAR && sv.type == SCALAR && dv.known && sv.known) {
        s->pc = bpf_cond(op, (uint64_t)dv.val, (uint64_t)sv.val, is64) ? taken : fall;
        return 1;
    }
    struct state other = *s;
    other.pc = taken, s->pc = fall;
    bool eq_null = dv.type == PTR_MAP_OR_NULL && !x && !i->imm && is64 && (op == BPF_JEQ || op == BPF_JNE);
    if (eq_null) { /* the NULL side: a zero scalar; the other: the value */
        struct state *null = op == BPF_JEQ ? &other : s, *val = op == BPF_JEQ ? s : &other;
        for (int k = 0; k < MAX_BPF_REG; k++)
            if (s->r[k].type == PTR_MAP_OR_NULL && s->r[k].id == dv.id) {
                null->r[k] = scalar(true, 0);
                val->r[k].type = PTR_MAP_VALUE, val->r[k].id = 0;
            }
    } else if (dv.type == SCALAR && !dv.known && sv.type == SCALAR && sv.known && is64 &&
               (op == BPF_JEQ || op == BPF_JNE)) {
        (op == BPF_JEQ ? &other : s)->r[d] = scalar(true, sv.val);
    }
    return (r = push(w, &other)) < 0 ? r : 1;
}

static int check_jmp(struct walk *w, struct state *s, const struct bpf_insn *i)
{
    uint8_t op = OP(i->code);
    int r;
    if (op == BPF_JA) {
        bool j32 = CLS(i->code) == BPF_JMP32;
        if ((j32 ? i->off : i->imm) || i->regs)
            return fail(w, -LINUX_EINVAL, "BPF_JA uses reserved fields\n", 0, 0, 0);
        s->pc += 1 + (uint32_t)(j32 ? i->imm : i->off);
        return 1;
    }
    if (op == BPF_EXIT) {
        if (i->imm || i->off || i->regs)
            return fail(w, -LINUX_EINVAL, "BPF_EXIT uses reserved fields\n", 0, 0, 0);
        if ((r = read_reg(w, s, 0)) < 0)
            return r;
        if (s->r[0].type != SCALAR && !w->priv)
            return fail(w, -LINUX_EACCES, "R0 leaks addr as return value\n", 0, 0, 0);
        return 0;
    }
    if (op == BPF_CALL) {
        if ((r = check_call(w, s, i)) > 0)
            s->pc++;
        return r;
    }
    return check_cond(w, s, i);
}

static int check_ld(struct walk *w, struct state *s, const struct bpf_insn *i)
{
    int r;
    if (MODE(i->code) == BPF_IMM) {
        if (i->off)
            return fail(w, -LINUX_EINVAL, "invalid BPF_LD_IMM insn\n", 0, 0, 0);
        if ((r = write_reg(w, INSN_DST(i))) < 0)
            return r;
        if (INSN_SRC(i) == BPF_PSEUDO_MAP_VALUE)
            s->r[INSN_DST(i)] = (struct reg){.type = PTR_MAP_VALUE, .known = true, .map = (int16_t)i->imm,
                                             .val = (uint32_t)i[1].imm};
        else if (INSN_SRC(i))
            s->r[INSN_DST(i)] = (struct reg){.type = CONST_PTR_MAP, .known = true, .map = (int16_t)i->imm};
        else
            s->r[INSN_DST(i)] = scalar(true, (int64_t)((uint32_t)i->imm | (uint64_t)(uint32_t)i[1].imm << 32));
        s->pc += 2;
        return 1;
    }
    if (INSN_DST(i) || i->off || (MODE(i->code) == BPF_ABS && INSN_SRC(i)))
        return fail(w, -LINUX_EINVAL, "BPF_LD_[ABS|IND] uses reserved fields\n", 0, 0, 0);
    if ((r = read_reg(w, s, 6)) < 0 || (MODE(i->code) == BPF_IND && (r = read_reg(w, s, INSN_SRC(i))) < 0))
        return r;
    if (s->r[6].type != PTR_CTX)
        return fail(w, -LINUX_EINVAL, "at the time of BPF_LD_ABS|IND R6 != pointing to skb\n", 0, 0, 0);
    for (int k = 1; k <= 5; k++)
        s->r[k] = (struct reg){0};
    s->r[0] = scalar(false, 0);
    s->pc++;
    return 1;
}

static int check_atomic(struct walk *w, struct state *s, const struct bpf_insn *i, int n)
{
    uint8_t d = INSN_DST(i), sr = INSN_SRC(i);
    int32_t op = i->imm & ~BPF_FETCH;
    int r;
    if (i->imm != BPF_XCHG && i->imm != BPF_CMPXCHG && op != BPF_ADD && op != BPF_OR && op != BPF_AND && op != BPF_XOR)
        return fail(w, -LINUX_EINVAL, "BPF_ATOMIC uses invalid atomic opcode %02x\n", i->imm, 0, 0);
    if ((r = read_reg(w, s, sr)) < 0 || (r = read_reg(w, s, d)) < 0 ||
        (i->imm == BPF_CMPXCHG && (r = read_reg(w, s, 0)) < 0))
        return r;
    if (s->r[d].type != PTR_STACK && s->r[d].type != PTR_MAP_VALUE)
        return fail(w, -LINUX_EACCES, "BPF_ATOMIC stores into R%d %d is not allowed\n", d, s->r[d].type, 0);
    struct reg out, v = scalar(false, 0);
    if ((r = check_mem(w, s, d, i->off, n, false, NULL, &out)) < 0 || (r = check_mem(w, s, d, i->off, n, true, &v, &out)) < 0)
        return r;
    if (i->imm == BPF_CMPXCHG)
        s->r[0] = v;
    else if (i->imm & BPF_FETCH) {
        if ((r = write_reg(w, sr)) < 0)
            return r;
        s->r[sr] = v;
    }
    return 1;
}

static const int size_bytes[4] = {4, 2, 1, 8};

static int check_ldst(struct walk *w, struct state *s, const struct bpf_insn *i)
{
    uint8_t c = i->code, d = INSN_DST(i), sr = INSN_SRC(i);
    int n = size_bytes[(c & 0x18) >> 3], r;
    struct reg out, v;
    if (CLS(c) == BPF_LDX) {
        if (i->imm)
            return fail(w, -LINUX_EINVAL, "BPF_LDX uses reserved fields\n", 0, 0, 0);
        if ((r = read_reg(w, s, sr)) < 0 || (r = write_reg(w, d)) < 0 ||
            (r = check_mem(w, s, sr, i->off, n, false, NULL, &out)) < 0)
            return r;
        s->r[d] = MODE(c) == BPF_MEM ? out : scalar(false, 0);
    } else if (CLS(c) == BPF_ST) {
        if (sr)
            return fail(w, -LINUX_EINVAL, "BPF_ST uses reserved fields\n", 0, 0, 0);
        v = scalar(true, i->imm);
        if ((r = read_reg(w, s, d)) < 0 || (r = check_mem(w, s, d, i->off, n, true, &v, &out)) < 0)
            return r;
    } else if (MODE(c) == BPF_ATOMIC) {
        if ((r = check_atomic(w, s, i, n)) < 0)
            return r;
    } else {
        if (i->imm)
            return fail(w, -LINUX_EINVAL, "BPF_STX uses reserved fields\n", 0, 0, 0);
        if ((r = read_reg(w, s, sr)) < 0 || (r = read_reg(w, s, d)) < 0 ||
            (r = check_mem(w, s, d, i->off, n, true, &s->r[sr], &out)) < 0)
            return r;
    }
    s->pc++;
    return 1;
}

/* One instruction of a path: 1 to go on (s->pc moved), 0 at an exit, or -errno. */
static int check_insn(struct walk *w, struct state *s)
{
    const struct bpf_insn *i = &w->prog->insns[s->pc];
    int r;
    switch (CLS(i->code)) {
    case BPF_ALU:
    case BPF_ALU64:
        if ((r = check_alu(w, s, i)) > 0)
            s->pc++;
        return r;
    case BPF_JMP:
    case BPF_JMP32: return check_jmp(w, s, i);
    case BPF_LD: return check_ld(w, s, i);
    default: return check_ldst(w, s, i);
    }
}

/* One path from s to its exits, branches pushed for later. */
static int walk_path(struct walk *w, struct state *s)
{
    for (;;) {
        if (++w->processed > BPF_COMPLEXITY_LIMIT_INSNS)
            return fail(w, -LINUX_E2BIG, "BPF program is too large. Processed %d insn\n", (int)w->processed, 0, 0);
        if (w->target[s->pc]) {
            uint64_t h = state_hash(s);
            for (uint32_t k = 0; k < s->nhist && k < HISTORY; k++)
                if (s->hist[k] == h)
                    return fail(w, -LINUX_EINVAL, "infinite loop detected at insn %d\n", (int)s->pc, 0, 0);
            if (seen(w, h))
                return 0; /* the same state went on safely before */
            s->hist[s->nhist++ % HISTORY] = h;
        }
        int r = check_insn(w, s);
        if (r <= 0)
            return r; /* an error, or the exit */
    }
}

int bpf_check_paths(const struct bpf_prog *prog, const bool *target, struct bpf_log *log, bool priv)
{
    struct walk w = {.prog = prog, .target = target, .log = log, .priv = priv};
    struct state s;
    memset(&s, 0, sizeof s);
    s.r[1] = (struct reg){.type = PTR_CTX, .known = true};
    s.r[10] = (struct reg){.type = PTR_STACK, .known = true};
    s.next_id = 1;
    int r = push(&w, &s);
    while (!r && w.ntodo) {
        s = w.todo[--w.ntodo];
        r = walk_path(&w, &s);
    }
    free(w.todo), free(w.seen);
    if (!r)
        bpf_log(log, "processed %ld insns (limit %d)\n", w.processed, BPF_COMPLEXITY_LIMIT_INSNS);
    return r;
}
