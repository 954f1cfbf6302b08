/*
 * personalities/linux/i386sig.c - signals of i386 programs (docs/i386.md):
 * their struct sigaction and stack_t, the old sigaction and sigprocmask,
 * and the 32-bit frames: Linux's sigframe_ia32 for a handler without
 * SA_SIGINFO (sigreturn) and rt_sigframe_ia32 with it (rt_sigreturn),
 * each with its sigcontext, the FPU state above it in the _fpstate_32
 * format (the fxsave image at byte 112) and the return code Linux writes;
 * and the waits' siginfo and 32-bit struct rusage (wait4, waitid, waitpid).
 *
 * Entry points: i386_setup_frame (sigframe.c), the i386 table's handlers.
 * Layer: signals.  Book: docs/i386.md.
 */
#include "i386.h"
#include "proc.h"
#include "vdso.h"
#include <stddef.h>
#include <string.h>
#include "linux_entries/i386sig.h" /* generated: the handlers' prototypes, entries */
#include "linux_entries/all.h" /* the 64-bit handlers' entries */

struct sigaction32 {
    uint32_t handler, flags, restorer;
    uint64_t mask;
} __attribute__((packed));

static int64_t sys32_rt_sigaction(struct sys_ctx *c, uint64_t sig, uint64_t uact, uint64_t uoldact, uint64_t sigsetsize)
{
    struct sigaction32 a32 = {0};
    uint64_t k[8] = {0}; /* the new action, then the old */
    if (sigsetsize != 8)
        return -LINUX_EINVAL; /* before the action is read, as Linux's */
    if (uact && mem_in(c->p, &a32, uact, sizeof a32) < 0)
        return -LINUX_EFAULT;
    k[0] = a32.handler, k[1] = a32.flags, k[2] = a32.restorer, k[3] = a32.mask;
    uint64_t a[6] = {sig, uact ? I386_BOUNCE_VA : 0, uoldact ? I386_BOUNCE_VA + 32 : 0, sigsetsize};
    int64_t r = i386_run(c, entry_rt_sigaction, a, k, sizeof k);
    if (r < 0 || !uoldact)
        return r;
    a32 = (struct sigaction32){(uint32_t)k[4], (uint32_t)k[5], (uint32_t)k[6], k[7]};
    return mem_out(c->p, uoldact, &a32, sizeof a32) < 0 ? -LINUX_EFAULT : 0;
}

/* The old sigaction: handler, a 32-bit mask, flags, restorer. */
static int64_t sys32_sigaction(struct sys_ctx *c, uint64_t sig, uint64_t uact, uint64_t uoldact)
{
    uint32_t o[4] = {0};
    uint64_t k[8] = {0};
    if (uact && mem_in(c->p, o, uact, sizeof o) < 0)
        return -LINUX_EFAULT;
    k[0] = o[0], k[1] = o[2], k[2] = o[3], k[3] = o[1];
    uint64_t a[6] = {sig, uact ? I386_BOUNCE_VA : 0, uoldact ? I386_BOUNCE_VA + 32 : 0, 8};
    int64_t r = i386_run(c, entry_rt_sigaction, a, k, sizeof k);
    if (r < 0 || !uoldact)
        return r;
    uint32_t old[4] = {(uint32_t)k[4], (uint32_t)k[7], (uint32_t)k[5], (uint32_t)k[6]};
    return mem_out(c->p, uoldact, old, sizeof old) < 0 ? -LINUX_EFAULT : 0;
}

/* Linux's sys_signal: the handler with SA_RESETHAND and SA_NODEFER (its
 * SA_ONESHOT and SA_NOMASK) and an empty mask; the old handler answered. */
static int64_t sys32_signal(struct sys_ctx *c, uint64_t sig, uint64_t handler)
{
    uint64_t k[8] = {(uint32_t)handler, SA_RESETHAND | SA_NODEFER, 0, 0};
    uint64_t a[6] = {sig, I386_BOUNCE_VA, I386_BOUNCE_VA + 32, 8};
    int64_t r = i386_run(c, entry_rt_sigaction, a, k, sizeof k);
    return r < 0 ? r : (int64_t)(uint32_t)k[4];
}

/* sgetmask: the mask's first word; ssetmask: the mask made the new one
 * (an int, sign-extended as Linux's siginitset takes it), the old one's
 * first word answered. */
static int64_t sys32_sgetmask(struct sys_ctx *c)
{
    return (int32_t)c->p->sig.mask;
}

static int64_t sys32_ssetmask(struct sys_ctx *c, int newmask)
{
    uint64_t k[2] = {(uint64_t)(int64_t)newmask, 0};
    int64_t r = i386_run(c, entry_rt_sigprocmask, (uint64_t[6]){SIG_SETMASK, I386_BOUNCE_VA, I386_BOUNCE_VA + 8, 8},
                         k, sizeof k);
    return r < 0 ? r : (int32_t)k[1];
}

/* The old sigprocmask: 32-bit sets. */
static int64_t sys32_sigprocmask(struct sys_ctx *c, uint64_t how, uint64_t uset, uint64_t uoldset)
{
    uint32_t set = 0;
    if (uset && mem_in(c->p, &set, uset, 4) < 0)
        return -LINUX_EFAULT;
    uint64_t k[2] = {how == SIG_SETMASK ? set | (c->p->sig.mask & ~0xffffffffull) : set, 0}; /* past 32: kept */
    uint64_t a[6] = {how, uset ? I386_BOUNCE_VA : 0, uoldset ? I386_BOUNCE_VA + 8 : 0, 8};
    int64_t r = i386_run(c, entry_rt_sigprocmask, a, k, sizeof k);
    uint32_t old = (uint32_t)k[1];
    return r < 0 || !uoldset ? r : mem_out(c->p, uoldset, &old, 4) < 0 ? -LINUX_EFAULT : 0;
}

struct stack32 {
    uint32_t sp;
    int32_t flags;
    uint32_t size;
};

static int64_t sys32_sigaltstack(struct sys_ctx *c, uint64_t uss, uint64_t uold_ss)
{
    struct stack32 s = {0};
    struct stack_k k[2] = {0};
    if (uss && mem_in(c->p, &s, uss, sizeof s) < 0)
        return -LINUX_EFAULT;
    k[0] = (struct stack_k){s.sp, s.flags, 0, s.size};
    uint64_t a[6] = {uss ? I386_BOUNCE_VA : 0, uold_ss ? I386_BOUNCE_VA + sizeof k[0] : 0};
    int64_t r = i386_run(c, entry_sigaltstack, a, k, sizeof k);
    s = (struct stack32){(uint32_t)k[1].sp, k[1].flags, (uint32_t)k[1].size};
    return r < 0 || !uold_ss ? r : mem_out(c->p, uold_ss, &s, sizeof s) < 0 ? -LINUX_EFAULT : 0;
}

/* ---- frames ---- */

struct sigcontext32 {
    uint16_t gs, gsh, fs, fsh, es, esh, ds, dsh;
    uint32_t di, si, bp, sp, bx, dx, cx, ax, trapno, err, ip;
    uint16_t cs, csh;
    uint32_t flags, sp_at_signal;
    uint16_t ss, ssh;
    uint32_t fpstate, oldmask, cr2;
};
_Static_assert(sizeof(struct sigcontext32) == 88, "sigcontext_32");

#define FPSTATE32 (112 + 512) /* struct _fpstate_32: the fsave header, then the fxsave image */

struct sigframe32 {
    uint32_t pretcode;
    int32_t sig;
    struct sigcontext32 sc;
    uint8_t fpstate_unused[FPSTATE32];
    uint32_t extramask;
    uint8_t retcode[8];
};

struct rt_sigframe32 {
    uint32_t pretcode;
    int32_t sig;
    uint32_t pinfo, puc;
    uint8_t info[128];
    struct {
        uint32_t flags, link;
        struct stack32 stack;
        struct sigcontext32 mc;
        uint64_t sigmask;
    } __attribute__((packed)) uc;
    uint8_t retcode[8];
};

/* A siginfo as i386's compat_siginfo: the union starts at byte 12, and
 * its longs and pointers are 4 bytes. */
void i386_siginfo_out(const struct siginfo_k *k, uint8_t out[128])
{
    const uint8_t *raw = (const uint8_t *)k;
    memset(out, 0, 128);
    memcpy(out, raw, 12);
    memcpy(out + 12, raw + 16, 8);   /* pid uid, tid overrun, a fault's address, a band */
    memcpy(out + 20, raw + 24, 4);   /* status, a value's low half */
    if (k->signo == SIGCHLD)         /* utime and stime, as 32-bit clocks */
        memcpy(out + 24, raw + 32, 4), memcpy(out + 28, raw + 40, 4);
    if (k->signo == SIGIO)         /* the descriptor after the band */
        memcpy(out + 16, raw + 24, 4);
}

void i386_siginfo_in(const uint8_t in[128], struct siginfo_k *k)
{
    uint8_t *raw = (uint8_t *)k;
    memset(k, 0, sizeof *k);
    memcpy(raw, in, 12);
    memcpy(raw + 16, in + 12, 8);
    memcpy(raw + 24, in + 20, 4);
}

/* The registers and segments a sigcontext keeps. */
static int context32(struct proc *p, const struct persona_regs *r, uint64_t fpstate, struct sigcontext32 *sc)
{
    struct persona_segs s;
    if (sys_thread_regs(p->thread, REGS_SEG_GET, (struct persona_regs *)(void *)&s) < 0)
        return -1;
    *sc = (struct sigcontext32){s.gs, 0, s.fs, 0, SEG_USER_DATA, 0, SEG_USER_DATA, 0, (uint32_t)r->rdi,
                                (uint32_t)r->rsi, (uint32_t)r->rbp, (uint32_t)r->rsp, (uint32_t)r->rbx,
                                (uint32_t)r->rdx, (uint32_t)r->rcx, (uint32_t)r->rax, (uint32_t)p->sig.trap_nr,
                                (uint32_t)p->sig.trap_err, (uint32_t)r->rip, SEG_USER_CODE32, 0, (uint32_t)r->rflags,
                                (uint32_t)r->rsp, SEG_USER_DATA, 0, (uint32_t)fpstate, (uint32_t)p->sig.mask,
                                (uint32_t)p->sig.cr2};
    return 0;
}

int i386_setup_frame(struct proc *p, int sig, struct persona_regs *r, const struct siginfo_k *info)
{
    uint64_t *act = p->sig.actions[sig];
    bool rt = act[1] & SA_SIGINFO;
    uint64_t top = (uint32_t)r->rsp;
    if ((act[1] & SA_ONSTACK) && !(sig_altstack_state(&p->sig, (uint32_t)r->rsp) & ~SS_AUTODISARM))
        top = p->sig.ss_sp + p->sig.ss_size;
    static uint8_t fp[FPSTATE32];
    uint64_t fpstate = (top - sizeof fp) & ~63ull;
    size_t size = rt ? sizeof(struct rt_sigframe32) : sizeof(struct sigframe32);
    uint64_t sp = ((fpstate - size + 4) & ~15ull) - 4; /* esp+4 16-aligned, as after a call */
    memset(fp, 0, 112);
    if (sys_thread_regs(p->thread, REGS_FPU_GET, (struct persona_regs *)(void *)(fp + 112)) < 0 ||
        mem_out(p, fpstate, fp, sizeof fp) < 0)
        return -1;
    struct sigcontext32 sc;
    if (context32(p, r, fpstate, &sc) < 0)
        return -1;
    uint32_t restorer = (act[1] & SA_RESTORER) ? (uint32_t)act[2] : 0;
    uint64_t vdso = restorer ? 0 : vdso_base(p->mm);
    if (vdso) /* as Linux's: the vDSO's return, else the frame's own code (an executable stack's) */
        restorer = (uint32_t)(vdso + (rt ? VDSO32_RT_SIGRETURN_OFFSET : VDSO32_SIGRETURN_OFFSET));
    static union {
        struct sigframe32 f;
        struct rt_sigframe32 rf;
    } u;
    memset(&u, 0, sizeof u);
    if (rt) {
        struct rt_sigframe32 *f = &u.rf;
        *f = (struct rt_sigframe32){restorer ? restorer : (uint32_t)(sp + offsetof(struct rt_sigframe32, retcode)), sig,
                                    (uint32_t)(sp + offsetof(struct rt_sigframe32, info)),
                                    (uint32_t)(sp + offsetof(struct rt_sigframe32, uc)), {0}, {0}, {0xb8, 173, 0, 0, 0, 0xcd, 0x80, 0}};
        i386_siginfo_out(info, f->info);
        f->uc.stack = (struct stack32){(uint32_t)p->sig.ss_sp, (int32_t)p->sig.ss_flags, (uint32_t)p->sig.ss_size};
        f->uc.mc = sc;
        f->uc.sigmask = p->sig.mask;
        r->rdx = f->pinfo, r->rcx = f->puc;
    } else {
        struct sigframe32 *f = &u.f;
        f->pretcode = restorer ? restorer : (uint32_t)(sp + offsetof(struct sigframe32, retcode));
        f->sig = sig;
        f->sc = sc;
        f->extramask = (uint32_t)(p->sig.mask >> 32);
        memcpy(f->retcode, (const uint8_t[8]){0x58, 0xb8, 119, 0, 0, 0, 0xcd, 0x80}, 8);
        r->rdx = r->rcx = 0;
    }
    if (mem_out(p, sp, &u, size) < 0)
        return -1;
    if (rt)
        sig_altstack_disarm(&p->sig); /* the old frame keeps no stack, and disarms none */
    r->rsp = sp;
    r->rip = (uint32_t)act[0];
    r->rax = (uint64_t)sig;
    signal_handler_entered(p, sig, r);
    return 0;
}

/* The registers, FPU and selectors a sigcontext gives back; mask the
 * signal mask it kept.  0, or -1 (the frame cannot be read back). */
static int restore(struct sys_ctx *c, const struct sigcontext32 *sc, uint64_t mask, struct persona_regs *r)
{
    static uint8_t fp[FPSTATE32];
    struct persona_segs s;
    if (sys_thread_regs(c->p->thread, REGS_GET, r) < 0 ||
        sys_thread_regs(c->p->thread, REGS_SEG_GET, (struct persona_regs *)(void *)&s) < 0)
        return -1;
    r->rax = sc->ax, r->rbx = sc->bx, r->rcx = sc->cx, r->rdx = sc->dx, r->rsi = sc->si, r->rdi = sc->di;
    r->rbp = sc->bp, r->rsp = sc->sp, r->rip = sc->ip, r->rflags = sc->flags;
    c->p->sig.mask = mask & ~SIG_UNBLOCKABLE;
    if (sc->fpstate && (mem_in(c->p, fp, sc->fpstate, sizeof fp) < 0 ||
                        sys_thread_regs(c->p->thread, REGS_FPU_SET, (struct persona_regs *)(void *)(fp + 112)) < 0))
        return -1;
    if (s.fs != sc->fs || s.gs != sc->gs) {
        s.fs = sc->fs, s.gs = sc->gs;
        if (sys_thread_regs(c->p->thread, REGS_SEG_SET, (struct persona_regs *)(void *)&s) < 0)
            return -1;
    }
    return 0;
}

/* After the registers are restored: signals the mask lets through now. */
static int64_t resume(struct sys_ctx *c, int bad, struct persona_regs *r)
{
    c->no_reply = true;
    if (bad < 0 || signal_more_frames(c->p, r) < 0 || sys_thread_regs(c->p->thread, REGS_SET, r) < 0) {
        signal_force_segv(c->p);
        return 0;
    }
    signal_resume_set(c->p, c->token);
    return 0;
}

static int64_t sys32_sigreturn(struct sys_ctx *c)
{
    struct sigframe32 f;
    struct persona_regs *r = ipc_buf();
    uint64_t frame = (uint32_t)c->trap->rsp - 8; /* the handler's ret popped pretcode, the retcode sig */
    int bad = mem_in(c->p, &f, frame, sizeof f) < 0 ? -1 : 0;
    if (!bad)
        bad = restore(c, &f.sc, f.sc.oldmask | (uint64_t)f.extramask << 32, r);
    return resume(c, bad, r);
}

static int64_t sys32_rt_sigreturn(struct sys_ctx *c)
{
    struct rt_sigframe32 f;
    struct persona_regs *r = ipc_buf();
    uint64_t frame = (uint32_t)c->trap->rsp - 4; /* the handler's ret popped pretcode */
    int bad = mem_in(c->p, &f, frame, sizeof f) < 0 ? -1 : 0;
    struct sigcontext32 mc = f.uc.mc;
    if (!bad)
        bad = restore(c, &mc, f.uc.sigmask, r);
    if (!bad) /* the alternate stack as the frame kept it, if it may be set here (restore_altstack) */
        sig_altstack_set(c->p, (uint32_t)c->trap->rsp, f.uc.stack.sp, (uint32_t)f.uc.stack.flags, f.uc.stack.size);
    return resume(c, bad, r);
}

/* ---- the old calls' 32-bit sets, and siginfo in and out ---- */

static int64_t sys32_sigpending(struct sys_ctx *c, uint64_t uset)
{
    uint64_t set = 0;
    int64_t r = i386_run(c, entry_rt_sigpending, (uint64_t[6]){I386_BOUNCE_VA, 8}, &set, sizeof set);
    uint32_t low = (uint32_t)set;
    return r < 0 ? r : mem_out(c->p, uset, &low, 4) < 0 ? -LINUX_EFAULT : 0;
}

/* The old sigsuspend(0, 0, mask): the signals past 32 stay blocked as they are. */
static int64_t sys32_sigsuspend(struct sys_ctx *c, uint64_t mask)
{
    uint64_t set = (uint32_t)mask | (c->p->sig.mask & ~0xffffffffull);
    return i386_run(c, entry_rt_sigsuspend, (uint64_t[6]){I386_BOUNCE_VA, 8}, &set, sizeof set);
}

/* sigtimedwait's end: the siginfo at ctx[0] in i386's layout. */
static int64_t siginfo_done(struct proc *p, int64_t r, const void *buf, const uint64_t *ctx)
{
    uint8_t out[128];
    if (r <= 0 || !ctx[0])
        return r;
    i386_siginfo_out((const struct siginfo_k *)((const uint8_t *)buf + 16), out);
    return mem_out(p, ctx[0], out, sizeof out) < 0 ? -LINUX_EFAULT : r;
}

/* The window: the set, the siginfo, the timeout. */
static int64_t sigtimedwait32(struct sys_ctx *c, uint64_t uset, uint64_t uinfo, uint64_t utimeout, uint64_t size,
                              bool time64)
{
    static struct {
        uint64_t set, pad;
        struct siginfo_k info;
        int64_t ts[2];
    } w;
    int32_t t[2];
    memset(&w, 0, sizeof w);
    if (size != 8 || mem_in(c->p, &w.set, uset, 8) < 0)
        return size != 8 ? -LINUX_EINVAL : -LINUX_EFAULT;
    if (utimeout && (time64 ? mem_in(c->p, w.ts, utimeout, 16) : mem_in(c->p, t, utimeout, 8)) < 0)
        return -LINUX_EFAULT;
    if (utimeout && !time64)
        w.ts[0] = t[0], w.ts[1] = t[1];
    uint64_t a[6] = {I386_BOUNCE_VA, uinfo ? I386_BOUNCE_VA + 16 : 0, utimeout ? I386_BOUNCE_VA + 16 + 128 : 0, 8};
    return i386_call(c, entry_rt_sigtimedwait, a, &w, sizeof w, siginfo_done, (uint64_t[4]){uinfo});
}

static int64_t sys32_rt_sigtimedwait(struct sys_ctx *c, uint64_t uset, uint64_t uinfo, uint64_t utimeout, uint64_t size)
{
    return sigtimedwait32(c, uset, uinfo, utimeout, size, false);
}

static int64_t sys32_rt_sigtimedwait_time64(struct sys_ctx *c, uint64_t uset, uint64_t uinfo, uint64_t utimeout,
                                            uint64_t size)
{
    return sigtimedwait32(c, uset, uinfo, utimeout, size, true);
}

/* A siginfo from i386's layout, for the call's argument at index at. */
static int64_t queue32(struct sys_ctx *c, linux_handler entry, uint64_t a[6], int at)
{
    uint8_t in[128];
    struct siginfo_k k;
    if (mem_in(c->p, in, a[at], sizeof in) < 0)
        return -LINUX_EFAULT;
    i386_siginfo_in(in, &k);
    a[at] = I386_BOUNCE_VA;
    return i386_run(c, entry, a, &k, sizeof k);
}

static int64_t sys32_rt_sigqueueinfo(struct sys_ctx *c, int tgid, int sig, uint64_t uinfo)
{
    return queue32(c, entry_rt_sigqueueinfo, (uint64_t[6]){(uint64_t)(int64_t)tgid, (uint64_t)(int64_t)sig, uinfo}, 2);
}

static int64_t sys32_rt_tgsigqueueinfo(struct sys_ctx *c, int tgid, int tid, int sig, uint64_t uinfo)
{
    return queue32(c, entry_rt_tgsigqueueinfo,
                   (uint64_t[6]){(uint64_t)(int64_t)tgid, (uint64_t)(int64_t)tid, (uint64_t)(int64_t)sig, uinfo}, 3);
}

/* A wait's window: waitid's siginfo, then the child's struct rusage. */
struct wait_window {
    struct siginfo_k si;
    uint64_t ru[RUSAGE_WORDS];
};
#define WAIT_RU_VA (I386_BOUNCE_VA + offsetof(struct wait_window, ru))

/* i386's struct rusage: the same 18 numbers, each a 32-bit long. */
static int64_t rusage_out(struct proc *p, uint64_t to, const uint64_t *ru)
{
    uint32_t out[RUSAGE_WORDS];
    for (int i = 0; i < RUSAGE_WORDS; i++)
        out[i] = (uint32_t)ru[i];
    return mem_out(p, to, out, sizeof out);
}

/* A wait's end: the siginfo (waitid: ctx[0]) and the rusage (ctx[1]) out
 * of the window, once a child is reported (the rusage first, as Linux). */
static int64_t wait_done(struct proc *p, int64_t r, const void *buf, const uint64_t *ctx)
{
    const struct wait_window *w = buf;
    uint8_t out[128];
    if (r < 0 || (ctx[2] ? !w->si.signo : r == 0))
        return r;
    if (ctx[1] && rusage_out(p, ctx[1], w->ru) < 0)
        return -LINUX_EFAULT;
    if (!ctx[0])
        return r;
    i386_siginfo_out(&w->si, out);
    return mem_out(p, ctx[0], out, sizeof out) < 0 ? -LINUX_EFAULT : r;
}

static int64_t sys32_waitid(struct sys_ctx *c, uint64_t idtype, uint64_t id, uint64_t uinfop, uint64_t options,
                            uint64_t urusage)
{
    static struct wait_window k;
    memset(&k, 0, sizeof k);
    uint64_t a[6] = {idtype, id, uinfop ? I386_BOUNCE_VA : 0, options, urusage ? WAIT_RU_VA : 0};
    if (!uinfop && urusage)
        a[2] = I386_BOUNCE_VA; /* the siginfo says whether a child was reported; it goes nowhere */
    return i386_call(c, entry_waitid, a, &k, sizeof k, wait_done, (uint64_t[4]){uinfop, urusage, 1});
}

static int64_t sys32_wait4(struct sys_ctx *c, int pid, uint64_t ustatus, uint64_t options, uint64_t urusage)
{
    static struct wait_window k;
    memset(&k, 0, sizeof k);
    uint64_t a[6] = {(uint64_t)(int64_t)pid, ustatus, options, urusage ? WAIT_RU_VA : 0};
    return i386_call(c, entry_wait4, a, &k, sizeof k, wait_done, (uint64_t[4]){0, urusage, 0});
}

/* waitpid: wait4 without a rusage (its fourth register is no argument). */
static int64_t sys32_waitpid(struct sys_ctx *c, int pid, uint64_t ustatus, uint64_t options)
{
    return sys32_wait4(c, pid, ustatus, options, 0);
}
