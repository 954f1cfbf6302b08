/*
 * personalities/linux/i386ptrace.c - ptrace from an i386 call (docs/i386.md),
 * as Linux's ia32_arch_ptrace and compat_ptrace_request: a word of
 * memory is 4 bytes (PEEK, POKE), the registers are i386's struct
 * user_regs_struct (GETREGS, SETREGS, PEEKUSR and POKEUSR at struct
 * user32's offsets, NT_PRSTATUS), the x87 state user_i387_ia32_struct
 * (GETFPREGS, SETFPREGS, NT_PRFPREG; the fxsave image is GETFPXREGS's and
 * NT_PRXFPREG's), the siginfo i386's and GETEVENTMSG's message 4 bytes.
 * The rest are the 64-bit handler's, their arguments carrying over.
 *
 * The registers are the copy ptrace.c keeps at the stop, their low halves;
 * the segment selectors are Linux's (cs 0x23, the data segments 0x2b) and
 * the thread's FS and GS.  A selector cannot be changed (EIO).
 *
 * Entry points: the i386 table.  Layer: above ptrace.  Book: docs/i386.md.
 */
#include "i386.h"
#include "pidns.h"
#include "proc.h"
#include "ptrace.h"
#include "uapi_ptrace.h"
#include <string.h>
#include "linux_entries/i386ptrace.h" /* generated: the handlers' prototypes, entries */
#include "linux_entries/all.h" /* the 64-bit handlers' entries */

#define PTRACE_GETFPXREGS 18 /* asm/ptrace-abi.h: i386's fxsave image */
#define PTRACE_SETFPXREGS 19
#define NT_PRXFPREG 0x46e62b7f /* linux/elf.h */
#define USER32_REGS 17       /* struct user_regs_struct32's words */
#define USER32_SIZE 284      /* sizeof(struct user32) */
#define USER32_DEBUGREG 252  /* offsetof(struct user32, u_debugreg) */
#define I387_32_SIZE 108     /* sizeof(struct user_i387_ia32_struct) */
#define USER32_CS 0x23       /* Linux's __USER32_CS and __USER_DS */
#define USER32_DS 0x2b

/* i386's registers in struct user_regs_struct's order: ebx ecx edx esi edi
 * ebp eax xds xes xfs xgs orig_eax eip xcs eflags esp xss. */
static int regs32(struct proc *t, uint32_t r[USER32_REGS])
{
    const struct persona_regs *g = &t->pt.regs;
    struct persona_segs s = {0};
    if (sys_thread_regs(t->thread, REGS_SEG_GET, (struct persona_regs *)(void *)&s) < 0)
        return -LINUX_ESRCH;
    uint32_t v[USER32_REGS] = {(uint32_t)g->rbx, (uint32_t)g->rcx, (uint32_t)g->rdx, (uint32_t)g->rsi,
                               (uint32_t)g->rdi, (uint32_t)g->rbp, (uint32_t)g->rax, USER32_DS, USER32_DS, s.fs,
                               s.gs, (uint32_t)t->pt.orig_rax, (uint32_t)g->rip, USER32_CS, (uint32_t)g->rflags,
                               (uint32_t)g->rsp, USER32_DS};
    memcpy(r, v, sizeof v);
    return 0;
}

/* Takes r as the tracee's registers (Linux's putreg32): the general ones
 * zero-extended, orig_eax sign-extended (-1 stops a restart), the flags
 * a user may change; a segment selector must stay as it is. */
static int set_regs32(struct proc *t, const uint32_t r[USER32_REGS])
{
    uint32_t cur[USER32_REGS];
    int e = regs32(t, cur);
    if (e < 0)
        return e;
    for (int i = 7; i < 11; i++)
        if (r[i] != cur[i])
            return -LINUX_EIO;
    if (r[13] != cur[13] || r[16] != cur[16])
        return -LINUX_EIO;
    struct persona_regs *g = &t->pt.regs;
    g->rbx = r[0], g->rcx = r[1], g->rdx = r[2], g->rsi = r[3], g->rdi = r[4], g->rbp = r[5], g->rax = r[6];
    t->pt.orig_rax = (uint64_t)(int64_t)(int32_t)r[11];
    g->rip = r[12], g->rsp = r[15];
    g->rflags = (g->rflags & ~0xcd5ull) | (r[14] & 0xcd5u);
    t->pt.dirty = true;
    return 0;
}

/* PEEKUSR and POKEUSR at struct user32's offset off (4-aligned, up to its
 * size itself, as Linux's getreg32 allows): a register, a debug register
 * (ptrace_debugreg's, in 32 bits), or else 0 (a poke of the rest is
 * ignored, as Linux's). */
static int64_t user32_word(struct proc *p, struct proc *t, uint64_t off, uint64_t data, bool poke)
{
    uint32_t r[USER32_REGS], v = 0;
    if ((off & 3) || off > USER32_SIZE)
        return -LINUX_EIO;
    if (off < sizeof r) {
        int e = regs32(t, r);
        if (e < 0)
            return e;
        if (poke) {
            r[off / 4] = (uint32_t)data;
            return set_regs32(t, r);
        }
        v = r[off / 4];
    } else if (off >= USER32_DEBUGREG && off < USER32_DEBUGREG + 32) { /* Linux's compat debug registers */
        uint64_t d = (uint32_t)data, w = 0;
        unsigned n = (unsigned)(off - USER32_DEBUGREG) / 4;
        if (poke)
            return hwbp_set(t, n, d);
        hwbp_get(t, n, &w);
        v = (uint32_t)w;
    } else if (poke) {
        return 0;
    }
    return mem_out(p, data, &v, sizeof v) < 0 ? -LINUX_EFAULT : 0;
}

/* ---- the x87 state: fxsave's image as the old fsave layout ---- */

/* Linux's twd_fxsr_to_i387: the full tag word from fxsave's abridged one
 * and the registers' contents. */
static uint32_t twd_full(const uint8_t *fx)
{
    uint16_t swd, twd = fx[4];
    memcpy(&swd, fx + 2, 2);
    uint32_t tos = (swd >> 11) & 7, ret = 0xffff0000u;
    for (int i = 0; i < 8; i++, twd >>= 1) {
        uint32_t tag = 3; /* empty */
        if (twd & 1) {
            uint16_t sig[4], exp;
            memcpy(sig, fx + 32 + ((i - tos) & 7) * 16, 8);
            memcpy(&exp, fx + 32 + ((i - tos) & 7) * 16 + 8, 2);
            if ((exp & 0x7fff) == 0x7fff)
                tag = 2; /* special */
            else if ((exp & 0x7fff) == 0)
                tag = sig[0] | sig[1] | sig[2] | sig[3] ? 2 : 1; /* zero */
            else
                tag = sig[3] & 0x8000 ? 0 : 2; /* valid */
        }
        ret |= tag << (2 * i);
    }
    return ret;
}

/* Linux's convert_from_fxsr on x86-64: cwd swd twd fip fcs foo fos, then
 * the eight registers, ten bytes each. */
static void fsave_from(const uint8_t *fx, uint8_t out[I387_32_SIZE])
{
    uint16_t cwd, swd;
    uint64_t rip, rdp;
    memcpy(&cwd, fx, 2), memcpy(&swd, fx + 2, 2), memcpy(&rip, fx + 8, 8), memcpy(&rdp, fx + 16, 8);
    uint32_t env[7] = {cwd | 0xffff0000u, swd | 0xffff0000u, twd_full(fx), (uint32_t)rip, USER32_CS, (uint32_t)rdp,
                       USER32_DS | 0xffff0000u};
    memcpy(out, env, sizeof env);
    for (int i = 0; i < 8; i++)
        memcpy(out + 28 + i * 10, fx + 32 + i * 16, 10);
}

/* Linux's convert_to_fxsr: the abridged tag word, fop from fcs's high
 * half, fip and foo; cs and ds are ignored. */
static void fsave_to(const uint8_t in[I387_32_SIZE], uint8_t *fx)
{
    uint32_t env[7];
    memcpy(env, in, sizeof env);
    uint16_t cwd = (uint16_t)env[0], swd = (uint16_t)env[1], fop = (uint16_t)(env[4] >> 16);
    uint32_t tmp = ~env[2] & 0xffff;
    tmp = (tmp | (tmp >> 1)) & 0x5555;
    tmp = (tmp | (tmp >> 1)) & 0x3333;
    tmp = (tmp | (tmp >> 2)) & 0x0f0f;
    tmp = (tmp | (tmp >> 4)) & 0x00ff;
    uint64_t rip = env[3], rdp = env[5];
    memcpy(fx, &cwd, 2), memcpy(fx + 2, &swd, 2), memcpy(fx + 6, &fop, 2);
    fx[4] = (uint8_t)tmp;
    memcpy(fx + 8, &rip, 8), memcpy(fx + 16, &rdp, 8);
    for (int i = 0; i < 8; i++)
        memcpy(fx + 32 + i * 16, in + 28 + i * 10, 10);
}

/* The tracee's state as kind (NT_PRSTATUS, NT_PRFPREG: fsave, NT_PRXFPREG:
 * fxsave) in buf, or from it (set); its size, or -errno. */
static int64_t state32(struct proc *t, uint64_t kind, uint8_t *buf, bool set)
{
    static struct persona_fpu fpu;
    if (kind == NT_PRSTATUS) {
        int e = set ? set_regs32(t, (const uint32_t *)(void *)buf) : regs32(t, (uint32_t *)(void *)buf);
        return e < 0 ? e : USER32_REGS * 4;
    }
    if (kind != NT_PRFPREG && kind != NT_PRXFPREG)
        return -LINUX_EINVAL;
    if (sys_thread_regs(t->thread, REGS_FPU_GET, (struct persona_regs *)(void *)&fpu) < 0)
        return -LINUX_ESRCH;
    int64_t size = kind == NT_PRFPREG ? I387_32_SIZE : (int64_t)sizeof fpu;
    if (!set) {
        if (kind == NT_PRFPREG)
            fsave_from(fpu.fxsave, buf);
        else
            memcpy(buf, fpu.fxsave, sizeof fpu);
        return size;
    }
    if (kind == NT_PRFPREG)
        fsave_to(buf, fpu.fxsave);
    else
        memcpy(fpu.fxsave, buf, sizeof fpu);
    return sys_thread_regs(t->thread, REGS_FPU_SET, (struct persona_regs *)(void *)&fpu) < 0 ? -LINUX_EINVAL : size;
}

/* GETREGS and the like: the state to the tracer at u, or from there. */
static int64_t state_at(struct proc *p, struct proc *t, uint64_t kind, uint64_t u, bool set)
{
    static uint8_t buf[512];
    int64_t n = state32(t, kind, buf, false); /* a set reads what it replaces first: its size */
    if (n < 0 || !set)
        return n < 0 ? n : mem_out(p, u, buf, (size_t)n) < 0 ? -LINUX_EFAULT : 0;
    if (mem_in(p, buf, u, (size_t)n) < 0)
        return -LINUX_EFAULT;
    n = state32(t, kind, buf, true);
    return n < 0 ? n : 0;
}

/* GETREGSET and SETREGSET: through a compat_iovec, its length cut to the
 * set's size and written back. */
static int64_t regset32(struct proc *p, struct proc *t, uint64_t kind, uint64_t uiov, bool set)
{
    static uint8_t buf[512];
    struct iovec32 iov;
    if (mem_in(p, &iov, uiov, sizeof iov) < 0)
        return -LINUX_EFAULT;
    int64_t n = state32(t, kind, buf, false);
    if (n < 0)
        return n;
    uint32_t size = iov.len < n ? iov.len : (uint32_t)n;
    if (!set) {
        iov.len = size;
        return mem_out(p, iov.base, buf, size) < 0 || mem_out(p, uiov, &iov, sizeof iov) < 0 ? -LINUX_EFAULT : 0;
    }
    if (mem_in(p, buf, iov.base, size) < 0)
        return -LINUX_EFAULT;
    n = state32(t, kind, buf, true);
    return n < 0 ? n : 0;
}

/* GETSIGINFO, SETSIGINFO and GETEVENTMSG: the 64-bit call on the window,
 * its siginfo in i386's layout, its message 4 bytes. */
static int64_t through64(struct sys_ctx *c, uint64_t req, int pid, uint64_t data)
{
    uint8_t k[128] = {0}, out[128];
    if (req == PTRACE_SETSIGINFO) {
        if (mem_in(c->p, out, data, sizeof out) < 0)
            return -LINUX_EFAULT;
        i386_siginfo_in(out, (struct siginfo_k *)(void *)k);
    }
    int64_t r = i386_run(c, entry_ptrace, (uint64_t[6]){req, (uint64_t)(int64_t)pid, 0, I386_BOUNCE_VA}, k, sizeof k);
    if (r < 0 || req == PTRACE_SETSIGINFO)
        return r;
    if (req == PTRACE_GETEVENTMSG)
        return mem_out(c->p, data, k, 4) < 0 ? -LINUX_EFAULT : r;
    i386_siginfo_out((const struct siginfo_k *)(void *)k, out);
    return mem_out(c->p, data, out, sizeof out) < 0 ? -LINUX_EFAULT : r;
}

static int64_t sys32_ptrace(struct sys_ctx *c, uint64_t req, int pid, uint64_t addr, uint64_t data)
{
    uint32_t word = (uint32_t)data;
    req = (uint32_t)req;
    bool mine = (req >= PTRACE_PEEKTEXT && req <= PTRACE_POKEUSR) || (req >= PTRACE_GETREGS &&
                req <= PTRACE_SETFPREGS) || req == PTRACE_GETFPXREGS || req == PTRACE_SETFPXREGS ||
                req == PTRACE_GETREGSET || req == PTRACE_SETREGSET;
    if (req == PTRACE_GETSIGINFO || req == PTRACE_SETSIGINFO || req == PTRACE_GETEVENTMSG)
        return through64(c, req, pid, data);
    if (!mine)
        return i386_run(c, entry_ptrace, (uint64_t[6]){req, (uint64_t)(int64_t)pid, addr, data}, NULL, 0);
    struct proc *t = pidns_find(c->p, pid);
    if (!t || t->zombie || !ptrace_traced_by(t, c->p) || !t->pt.stopped) /* sys_ptrace's checks */
        return -LINUX_ESRCH;
    switch (req) {
    case PTRACE_PEEKTEXT: case PTRACE_PEEKDATA:
        if (mem_in(t, &word, addr, sizeof word) < 0)
            return -LINUX_EIO;
        return mem_out(c->p, data, &word, sizeof word) < 0 ? -LINUX_EFAULT : 0;
    case PTRACE_POKETEXT: case PTRACE_POKEDATA:
        return mem_out_force(t, addr, &word, sizeof word) < 0 ? -LINUX_EIO : 0;
    case PTRACE_PEEKUSR: case PTRACE_POKEUSR:
        return user32_word(c->p, t, addr, data, req == PTRACE_POKEUSR);
    case PTRACE_GETREGS: case PTRACE_SETREGS:
        return state_at(c->p, t, NT_PRSTATUS, data, req == PTRACE_SETREGS);
    case PTRACE_GETFPREGS: case PTRACE_SETFPREGS:
        return state_at(c->p, t, NT_PRFPREG, data, req == PTRACE_SETFPREGS);
    case PTRACE_GETFPXREGS: case PTRACE_SETFPXREGS:
        return state_at(c->p, t, NT_PRXFPREG, data, req == PTRACE_SETFPXREGS);
    default:
        return regset32(c->p, t, addr, data, req == PTRACE_SETREGSET);
    }
}
