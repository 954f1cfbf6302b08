/*
 * personalities/linux/sigframe.c - delivery to a handler: the x86-64
 * rt_sigframe on the user stack (or the alternate stack), rt_sigreturn,
 * sigaltstack, and proc_reply's slow half.
 *
 * Handlers run when a system call of the process completes, or interrupt
 * a blocking call (which then returns EINTR, or is restarted under
 * SA_RESTART), or when a CPU exception arrives, or, for code that makes no
 * calls, when the kernel makes the thread trap (thread_interrupt).  Every
 * reply to a system call goes through proc_reply(), the one place that
 * delivers.  The FPU and SSE state is saved above the frame
 * (uc_mcontext.fpstate, the fxsave format) and restored by rt_sigreturn.
 *
 * Entry points: proc_reply_signals, signal_exception.  Layer: signals.
 * Book: docs/linux.md, "Signals".
 */
#include "proc.h"
#include <string.h>
#include "linux_entries/sigframe.h" /* generated: the handlers' prototypes, entries */

_Static_assert(sizeof(struct persona_fpu) <= 512, "SIGFRAME_SIZE counts 512 bytes of FPU state");

/* Linux's force_sigsegv: a frame that does not fit or cannot be read back. */
static const struct siginfo_k forced_segv = {SIGSEGV, 0, SI_KERNEL, 0, {.kill = {0, 0}}};

/* Builds the frame and points the registers at the handler. */
static int setup_frame(struct proc *p, int sig, struct persona_regs *r, const struct siginfo_k *info)
{
    if (p->mm->compat) /* an i386 program's frame (i386sig.c) */
        return i386_setup_frame(p, sig, r, info);
    uint64_t *act = p->sig.actions[sig];
    struct rt_sigframe f;
    memset(&f, 0, sizeof f);
    uint64_t top = r->rsp - 128; /* below the red zone */
    if ((act[1] & SA_ONSTACK) && !(sig_altstack_state(&p->sig, r->rsp) & ~SS_AUTODISARM))
        top = p->sig.ss_sp + p->sig.ss_size; /* the alternate stack */
    /* the FPU/SSE state goes above the frame, 64-aligned, as Linux puts it */
    static struct persona_fpu fpu;
    uint64_t fpstate = (top - sizeof fpu) & ~63ull;
    uint64_t sp = ((fpstate - sizeof f) & ~15ull) - 8; /* rsp+8 16-aligned, as after a call */
    if (sys_thread_regs(p->thread, REGS_FPU_GET, (struct persona_regs *)(void *)&fpu) < 0 || mem_out(p, fpstate, &fpu, sizeof fpu) < 0)
        return -1;
    f.pretcode = act[2];
    f.uc.mc = (struct sigcontext){r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15, r->rdi,
                                  r->rsi, r->rbp, r->rbx, r->rdx, r->rax, r->rcx, r->rsp, r->rip, r->rflags,
                                  0x33, 0, 0, 0x2b, p->sig.trap_err, p->sig.trap_nr, p->sig.mask, p->sig.cr2, fpstate,
                                  {0}};
    f.uc.sigmask = p->sig.mask;
    f.info = *info;
    if (!(act[1] & SA_RESTORER))
        return -1;
    f.uc.ss_sp = p->sig.ss_sp, f.uc.ss_flags = (int32_t)p->sig.ss_flags, f.uc.ss_size = p->sig.ss_size;
    if (mem_out(p, sp, &f, sizeof f) < 0)
        return -1;
    sig_altstack_disarm(&p->sig);
    r->rsp = sp;
    r->rip = act[0];
    r->rdi = (uint64_t)sig;
    r->rsi = sp + __builtin_offsetof(struct rt_sigframe, info);
    r->rdx = sp + __builtin_offsetof(struct rt_sigframe, uc);
    r->rax = 0;
    signal_handler_entered(p, sig, r);
    return 0;
}

/* What a handler for sig blocks while it runs: sig itself (unless
 * SA_NODEFER) and its sa_mask. */
static uint64_t handler_blocks(const uint64_t *act, int sig)
{
    return ((act[1] & SA_NODEFER) ? 0 : SIGSET_BIT(sig)) | (act[3] & ~SIG_UNBLOCKABLE);
}

void signal_handler_entered(struct proc *p, int sig, struct persona_regs *r)
{
    uint64_t *act = p->sig.actions[sig];
    r->rflags &= ~0x400ull; /* DF clear */
    p->sig.mask |= handler_blocks(act, sig);
    if (act[1] & SA_RESETHAND)
        act[0] = SIG_DFL;
}

/* Handlers for every further deliverable signal, each frame on top of the
 * last, as Linux stacks them before returning to user mode: the last
 * one set up runs first.  -1 if a frame did not fit (the process ended). */
int signal_more_frames(struct proc *p, struct persona_regs *r)
{
    struct siginfo_k info;
    for (int sig; !p->zombie && (sig = signal_take(p, &info));)
        if (setup_frame(p, sig, r, &info) < 0) {
            signal_die(p, SIGSEGV, &forced_segv);
            return -1;
        }
    return p->zombie ? -1 : 0;
}

void signal_force_segv(struct proc *p) { signal_die(p, SIGSEGV, &forced_segv); }

/* proc_reply's general case: a signal to deliver, a stop, an interrupt,
 * a restart (out of line, so that the common case stays small). */
void proc_reply_signals(struct proc *p, uint64_t token, int64_t result)
{
    if (trace_on) /* the result, before a signal's frame replaces it */
        linux_trace_result(token, result);
    if (p->pt.tracer && !p->zombie && ptrace_reply(p, token, result))
        return; /* a ptrace stop holds the reply (ptrace.c) */
    struct siginfo_k info;
    if (p->frozen && !p->zombie) { /* its group is frozen: held, its signals pending, until the thaw (cgroup.c) */
        p->parked.held = true, p->parked.token = token, p->parked.result = result;
        return;
    }
    int sig = p->zombie ? 0 : signal_take(p, &info);
    if (p->zombie)
        return; /* a default action ended it */
    if (p->pt.tracer && proc_group(p)->job.stopped && ptrace_reply(p, token, result))
        return; /* a group stop the signal began, reported to the tracer */
    if (proc_group(p)->job.stopped) { /* held until SIGCONT */
        p->parked.held = true;
        p->parked.token = token;
        p->parked.result = result;
        return;
    }
    struct persona_regs *r = ipc_buf();
    if (!sig) {
        /* an interrupt with nothing left to deliver goes on as it was; a
         * call interrupted without a handler to run (a stop, say) starts
         * again, as Linux restarts it; anything else has its result.  A
         * mask that sigsuspend, ppoll or pselect6 swapped in goes back, as
         * Linux's restore_saved_sigmask when no handler runs. */
        if (p->sig.saved && result != RESUME_UNCHANGED)
            p->sig.mask = p->sig.saved_mask, p->sig.saved = false;
        linux_answer(token, result == RESUME_UNCHANGED ? PICO_RESUME_UNCHANGED
                            : result == -ERESTARTSYS || result == -ERESTARTNOHAND || result == -ERESTARTNOINTR
                                ? PICO_RESTART
                                                      : PICO_RESUME,
                     (uint64_t)result);
        return;
    }
    if (sys_thread_regs(p->thread, REGS_GET, r) < 0)
        return;
    if (result == RESUME_UNCHANGED)
        ; /* interrupted user code: every register as it was */
    else if ((result == -ERESTARTSYS && (p->sig.actions[sig][1] & SA_RESTART)) || result == -ERESTARTNOINTR)
        r->rip -= 2; /* back onto the syscall instruction; rax still holds its number */
    else
        r->rax = (uint64_t)(result == -ERESTARTSYS || result == -ERESTARTNOHAND ? -LINUX_EINTR : result);
    uint64_t during = p->sig.mask;
    bool swapped = p->sig.saved;
    if (swapped) { /* sigsuspend's mask is undone by the handler's sigreturn: the frame keeps the old one */
        p->sig.mask = p->sig.saved_mask;
        p->sig.saved = false;
    }
    if (setup_frame(p, sig, r, &info) < 0) {
        signal_die(p, SIGSEGV, &forced_segv); /* no room for the frame, as Linux does */
        return;
    }
    if (swapped) /* the handler itself runs under sigsuspend's mask and its own, as Linux's signal_delivered */
        p->sig.mask = during | handler_blocks(p->sig.actions[sig], sig);
    if (signal_more_frames(p, r) < 0)
        return;
    if (proc_group(p)->job.stopped) { /* a stop taken after the frames: before the handler runs, as Linux's */
        if (sys_thread_regs(p->thread, REGS_SET, r) == 0)
            signal_resume_set(p, token);
        return;
    }
    struct ipc_msg m = {{PICO_RESUME_REGS}};
    linux_reply(token, &m, sizeof *r);
}

void signal_resume_set(struct proc *p, uint64_t token)
{
    if (proc_group(p)->job.stopped)
        p->parked = (struct parked_reply){true, token, RESUME_UNCHANGED};
    else
        linux_answer(token, PICO_RESUME_UNCHANGED, 0);
}

/* The x86 exception vectors. */
enum { X86_DE = 0, X86_DB = 1, X86_BP = 3, X86_UD = 6, X86_NP = 11, X86_SS = 12, X86_PF = 14, X86_MF = 16,
       X86_AC = 17, X86_XM = 19 };
#define X86_PF_USER 4 /* a page fault's error code: from user mode */
/* A fault's si_code (asm-generic/siginfo.h): no mapping there, one that
 * forbids the access; misaligned, no page behind the address (past a
 * file's end); an invalid operand (Linux's for #UD); a division by zero. */
enum { SEGV_MAPERR = 1, SEGV_ACCERR = 2, BUS_ADRALN = 1, BUS_ADRERR = 2, ILL_ILLOPN = 2, FPE_INTDIV = 1 };

void signal_exception(struct proc *p, uint64_t vector, uint64_t error, uint64_t addr, uint64_t rip, bool sigbus,
                      uint64_t token)
{
    /* Linux's traps.c and fault.c: the signal, si_code and si_addr by vector */
    int sig = SIGSEGV, code = SI_KERNEL;
    uint64_t at = 0;
    switch (vector) {
    case X86_DE: sig = SIGFPE, code = FPE_INTDIV, at = rip; break;
    case X86_MF: case X86_XM: sig = SIGFPE, code = 1, at = rip; break;
    case X86_DB: /* addr is DR6 (the kernel's): a step, a hardware breakpoint, an icebp, or nothing to tell */
        if (!(code = hwbp_trap(p, addr))) {
            proc_reply(p, token, RESUME_UNCHANGED);
            return;
        }
        sig = SIGTRAP, at = rip;
        break;
    case X86_BP: sig = SIGTRAP; break;
    case X86_UD: sig = SIGILL, code = ILL_ILLOPN, at = rip; break;
    case X86_AC: sig = SIGBUS, code = BUS_ADRALN; break;
    case X86_NP: case X86_SS: sig = SIGBUS; break;
    case X86_PF: /* no area there (or a kernel address), or one that forbids the access */
        sig = sigbus ? SIGBUS : SIGSEGV, at = addr;
        code = sigbus ? BUS_ADRERR : mm_find(p, addr) ? SEGV_ACCERR : SEGV_MAPERR;
        p->sig.cr2 = addr;
        error |= X86_PF_USER | (addr >= 0x800000000000ull ? 1 : 0); /* and PROT for a kernel address */
        break;
    default: break; /* #GP and the rest: SIGSEGV, SI_KERNEL */
    }
    p->sig.trap_nr = vector, p->sig.trap_err = error;
    struct siginfo_k si = {sig, 0, code, 0, {.fault = {at}}};
    signal_force(p, &si, token);
}

void signal_force(struct proc *p, const struct siginfo_k *forced, uint64_t token)
{
    int sig = forced->signo;
    uint64_t h = p->sig.actions[sig][0];
    struct siginfo_k si = *forced;
    if (p->pt.tracer) { /* the tracer sees it first (ptrace.c) */
        ptrace_exception(p, sig, &si, token);
        return;
    }
    if (h == SIG_DFL || h == SIG_IGN || (p->sig.mask & SIGSET_BIT(sig))) {
        signal_die(p, sig, &si);
        return;
    }
    p->sig.own.pending |= SIGSET_BIT(sig);
    p->sig.own.info[sig] = si;
    if (proc_group(p)->job.stopped) { /* a stop came first: the handler runs at SIGCONT, as Linux's */
        p->parked = (struct parked_reply){true, token, RESUME_UNCHANGED};
        return;
    }
    struct persona_regs *r = ipc_buf();
    struct siginfo_k info;
    if (sys_thread_regs(p->thread, REGS_GET, r) < 0 || signal_take(p, &info) != sig || setup_frame(p, sig, r, &info) < 0) {
        signal_die(p, sig, &si);
        return;
    }
    struct ipc_msg m = {{PICO_RESUME_REGS}};
    linux_reply(token, &m, sizeof *r);
}

static int64_t sys_rt_sigreturn(struct sys_ctx *c)
{
    struct rt_sigframe f;
    struct persona_regs *r = ipc_buf();
    uint64_t frame = c->trap->rsp - 8; /* the handler's ret popped pretcode */
    if (mem_in(c->p, &f, frame, sizeof f) < 0 || sys_thread_regs(c->p->thread, REGS_GET, r) < 0) {
        signal_die(c->p, SIGSEGV, &forced_segv);
        c->no_reply = true;
        return 0;
    }
    const struct sigcontext *m = &f.uc.mc;
    *r = (struct persona_regs){m->rax, m->rbx, m->rcx, m->rdx, m->rsi, m->rdi, m->rbp, m->rsp, m->r8, m->r9,
                               m->r10, m->r11, m->r12, m->r13, m->r14, m->r15, m->rip, m->eflags, r->fs_base,
                               r->gs_base};
    c->p->sig.mask = f.uc.sigmask & ~SIG_UNBLOCKABLE;
    static struct persona_fpu fpu;
    if (m->fpstate && (mem_in(c->p, &fpu, m->fpstate, sizeof fpu) < 0 ||
                       sys_thread_regs(c->p->thread, REGS_FPU_SET, (struct persona_regs *)(void *)&fpu) < 0)) {
        signal_die(c->p, SIGSEGV, &forced_segv); /* a frame whose FPU state cannot be loaded, as Linux */
        c->no_reply = true;
        return 0;
    }
    /* the alternate stack as the frame kept it, if it may be set here (Linux's restore_altstack) */
    sig_altstack_set(c->p, c->trap->rsp, f.uc.ss_sp, (uint32_t)f.uc.ss_flags, f.uc.ss_size);
    c->no_reply = true;
    /* signals the restored mask lets through are delivered now */
    if (signal_more_frames(c->p, r) < 0 || sys_thread_regs(c->p->thread, REGS_SET, r) < 0) {
        signal_die(c->p, SIGSEGV, &forced_segv);
        return 0;
    }
    if (c->p->pt.tracer)
        ptrace_regs_reply(c->p, c->token); /* its exit stop first */
    else
        signal_resume_set(c->p, c->token); /* the registers are set, rax as restored */
    return 0;
}

int sig_altstack_set(struct proc *p, uint64_t sp_now, uint64_t sp, uint32_t flags, uint64_t size)
{
    struct sigstate *s = &p->sig;
    if (sig_on_altstack(s, sp_now))
        return -LINUX_EPERM;
    uint32_t mode = flags & ~SS_AUTODISARM;
    if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
        return -LINUX_EINVAL; /* SS_ONSTACK is taken as 0, as Linux takes it */
    if (mode == SS_DISABLE)
        sp = size = 0;
    else if (size < MINSIGSTKSZ)
        return -LINUX_ENOMEM;
    s->ss_sp = sp, s->ss_size = size, s->ss_flags = flags;
    return 0;
}

/* The old state is written after the new one is set, as Linux writes it
 * (a bad old pointer is EFAULT with the new stack in place). */
static int64_t sys_sigaltstack(struct sys_ctx *c, uint64_t uss, uint64_t uold_ss)
{
    struct proc *p = c->p;
    struct stack_k ss, old = {p->sig.ss_sp, (int32_t)sig_altstack_state(&p->sig, c->trap->rsp), 0, p->sig.ss_size};
    if (uss && mem_in(p, &ss, uss, sizeof ss) < 0)
        return -LINUX_EFAULT;
    int64_t r = uss ? sig_altstack_set(p, c->trap->rsp, ss.sp, (uint32_t)ss.flags, ss.size) : 0;
    if (!r && uold_ss && mem_out(p, uold_ss, &old, sizeof old) < 0)
        return -LINUX_EFAULT;
    return r;
}
