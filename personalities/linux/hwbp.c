/*
 * personalities/linux/hwbp.c - hardware breakpoints, as Linux 6.1's x86
 * ptrace keeps them (arch/x86/kernel/ptrace.c and hw_breakpoint.c): a
 * tracer writes DR0 to DR3 and DR7 through POKEUSR, each breakpoint is
 * checked as Linux's hw_breakpoint_arch_parse checks it, and the enabled
 * ones go into the thread's debug registers, which the kernel loads when
 * the thread runs (thread_regs REGS_DEBUG_SET).  A hit is a #DB whose DR6
 * the kernel passes on; it becomes the virtual DR6 the tracer reads and
 * a SIGTRAP with TRAP_HWBKPT.
 *
 * Entry points: hwbp.h.  Callers: ptracemem.c, i386ptrace.c, ptrace.c,
 * sigframe.c.  Layer: proc.  Book: docs/linux.md, "ptrace".
 */
#include "hwbp.h"
#include "linux.h"
#include "proc.h"
#include <string.h>

#define DR6_RESERVED 0xffff0ff0ull
#define DR_TRAP_BITS 0xfull
#define DR_STEP 0x4000ull
#define DR_CONTROL_RESERVED 0xffffffff0000fc00ull
#define DR_GLOBAL_SLOWDOWN 0x200ull
#define TASK_SIZE_MAX 0x7ffffffff000ull /* arch_check_bp_in_kernelspace's bound, for i386 tracees too */
enum { RW_EXECUTE = 0, RW_WRITE = 1, RW_IO = 2, RW_READWRITE = 3 };
enum { TRAP_BRKPT = 1, TRAP_TRACE = 2, TRAP_HWBKPT = 4 };

/* Whether Linux takes a breakpoint of this kind ((LEN << 2) | R/W) at
 * addr: an instruction one only with LEN 0 (arch_bp_generic_fields), no
 * I/O one, the address aligned to the length and wholly in user space
 * (hw_breakpoint_arch_parse, arch_check_bp_in_kernelspace). */
static bool valid(unsigned kind, uint64_t addr)
{
    static const uint8_t length[4] = {1, 2, 8, 4}; /* by DR7's LEN */
    unsigned rw = kind & 3, len = rw == RW_EXECUTE ? 1 : length[kind >> 2];
    if (rw == RW_IO || (rw == RW_EXECUTE && kind >> 2))
        return false;
    return !(addr & (len - 1)) && addr < TASK_SIZE_MAX && addr + len - 1 < TASK_SIZE_MAX;
}

/* The enabled breakpoints into the thread's debug registers. */
static void load(struct proc *t)
{
    struct persona_debug d = {{0}, 0};
    for (int i = 0; i < 4; i++) {
        d.addr[i] = t->hwbp.addr[i];
        if (t->hwbp.enabled >> i & 1)
            d.dr7 |= 1ull << (2 * i) | (uint64_t)t->hwbp.kind[i] << (16 + 4 * i);
    }
    sys_thread_regs(t->thread, REGS_DEBUG_SET, (struct persona_regs *)(void *)&d);
}

void hwbp_get(struct proc *t, unsigned n, uint64_t *val)
{
    const struct hwbp *b = &t->hwbp;
    *val = n < 4 ? b->addr[n] : n == 6 ? b->dr6 ^ DR6_RESERVED : n == 7 ? b->dr7 : 0;
}

/* ptrace_get_dr7: a DR7 made from the enabled breakpoints, as encode_dr7
 * gives each (what a refused DR7 is undone with). */
static uint64_t made_dr7(const struct hwbp *b)
{
    uint64_t dr7 = 0;
    for (int i = 0; i < 4; i++)
        if (b->enabled >> i & 1)
            dr7 |= (uint64_t)b->kind[i] << (16 + 4 * i) | 2ull << (2 * i) | DR_GLOBAL_SLOWDOWN;
    return dr7;
}

/* One pass of ptrace_write_dr7 over b: a breakpoint enabled that did not
 * exist is made (at address 0), one that exists takes its new kind and
 * state; 0 or -EINVAL at the first refused, with the ones before it done. */
static int64_t write_dr7(struct hwbp *b, uint64_t dr7)
{
    for (int i = 0; i < 4; i++) {
        bool on = dr7 >> (2 * i) & 3;
        unsigned kind = dr7 >> (16 + 4 * i) & 0xf;
        if (!(b->made >> i & 1) && !on)
            continue;
        if (!valid(kind, b->made >> i & 1 ? b->addr[i] : 0))
            return -LINUX_EINVAL;
        if (!(b->made >> i & 1))
            b->addr[i] = 0;
        b->made |= 1 << i;
        b->kind[i] = (uint8_t)kind;
        b->enabled = (uint8_t)(on ? b->enabled | 1 << i : b->enabled & ~(1 << i));
    }
    return 0;
}

int64_t hwbp_set(struct proc *t, unsigned n, uint64_t val)
{
    struct hwbp *b = &t->hwbp;
    if (n == 4 || n == 5)
        return -LINUX_EIO;
    if (n == 6) {
        b->dr6 = val ^ DR6_RESERVED;
        return 0;
    }
    if (n < 4) { /* ptrace_set_breakpoint_addr: a new one is a disabled 1-byte write breakpoint */
        unsigned kind = b->made >> n & 1 ? b->kind[n] : RW_WRITE;
        if (!valid(kind, val))
            return -LINUX_EINVAL;
        b->made |= 1 << n;
        b->kind[n] = (uint8_t)kind;
        b->addr[n] = val;
    } else {
        uint64_t old = made_dr7(b);
        int64_t e = write_dr7(b, val & ~DR_CONTROL_RESERVED);
        if (e < 0) {
            write_dr7(b, old); /* Linux's second pass: back to the old breakpoints */
            load(t);
            return e;
        }
        b->dr7 = val;
    }
    load(t);
    return 0;
}

void hwbp_flush(struct proc *t)
{
    bool had = t->hwbp.enabled;
    memset(&t->hwbp, 0, sizeof t->hwbp);
    if (had)
        load(t);
}

int hwbp_trap(struct proc *t, uint64_t dr6)
{
    dr6 ^= DR6_RESERVED; /* its conditions, active high */
    bool icebp = !dr6;
    uint64_t hit = dr6 & t->hwbp.enabled & DR_TRAP_BITS; /* hw_breakpoint_handler's ptrace_triggered */
    t->hwbp.dr6 = (dr6 & DR_STEP) | hit;
    dr6 = (dr6 & ~hit) | t->hwbp.dr6;
    if (!(dr6 & (DR_STEP | DR_TRAP_BITS)) && !icebp)
        return 0;
    return dr6 & DR_STEP ? TRAP_TRACE : dr6 & DR_TRAP_BITS ? TRAP_HWBKPT : TRAP_BRKPT;
}
