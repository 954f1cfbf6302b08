/*
 * personalities/linux/signal.c - signals: sending, default actions, and
 * delivery to handlers with an rt_sigframe on the user stack, and
 * rt_sigreturn.
 *
 * Job control: a stop signal whose action is the default stops the
 * process: replies that complete while it is stopped are held
 * (proc_reply parks them) and go out at SIGCONT.  A process running user
 * code is made to trap (thread_interrupt), and that trap is held too.
 *
 * Handlers run when a system call of the process completes, or interrupt
 * a blocking call (which then returns EINTR, or is restarted under
 * SA_RESTART), or when a CPU exception arrives, or, for code that makes no
 * calls, when the kernel makes the thread trap (thread_interrupt).  Every reply to a system
 * call goes through proc_reply(), the one place that delivers.  The FPU
 * and SSE state is saved above the frame (uc_mcontext.fpstate, the fxsave
 * format) and restored by rt_sigreturn.
 */
#include "linux.h"
#include <string.h>

#define SIG_STOP_ACTION 2 /* default_action's answer for the stop signals */

static int default_action(int sig)
{
    switch (sig) {
    case SIGCHLD: case SIGURG: case SIGWINCH: case SIGCONT: return SIG_IGN; /* SIGCONT continues, whatever */
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: return SIG_STOP_ACTION;
    default: return SIG_DFL; /* terminate */
    }
}

static void sigwait_take(struct proc *t);

/* Builds the frame and points the registers at the handler. */
static int setup_frame(struct proc *p, int sig, struct persona_regs *r, const struct siginfo_k *info)
{
    uint64_t *act = p->sigactions[sig];
    struct rt_sigframe f;
    memset(&f, 0, sizeof f);
    bool on_alt = p->ss_size && r->rsp - p->ss_sp < p->ss_size;
    uint64_t top = r->rsp - 128; /* below the red zone */
    if ((act[1] & SA_ONSTACK) && p->ss_size && !on_alt)
        top = p->ss_sp + p->ss_size; /* the alternate stack */
    /* the FPU/SSE state goes above the frame, 64-aligned, as Linux puts it */
    static struct persona_fpu fpu;
    uint64_t fpstate = (top - sizeof fpu) & ~63ull;
    uint64_t sp = ((fpstate - sizeof f) & ~15ull) - 8; /* rsp+8 16-aligned, as after a call */
    if (sys_thread_regs(p->thread, REGS_FPU_GET, (struct persona_regs *)(void *)&fpu) < 0 || mem_out(p, fpstate, &fpu, sizeof fpu) < 0)
        return -1;
    f.pretcode = act[2];
    f.uc.mc = (struct sigcontext){r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15, r->rdi,
                                  r->rsi, r->rbp, r->rbx, r->rdx, r->rax, r->rcx, r->rsp, r->rip, r->rflags,
                                  0x33, 0, 0, 0x2b, 0, 0, p->sigmask, info->fault.addr, fpstate, {0}};
    f.uc.sigmask = p->sigmask;
    f.uc.ss_sp = p->ss_sp;
    f.uc.ss_size = p->ss_size;
    f.uc.ss_flags = !p->ss_size ? SS_DISABLE : on_alt ? SS_ONSTACK : 0;
    f.info = *info;
    if (!(act[1] & SA_RESTORER) || mem_out(p, sp, &f, sizeof f) < 0)
        return -1;
    r->rsp = sp;
    r->rip = act[0];
    r->rdi = (uint64_t)sig;
    r->rsi = sp + __builtin_offsetof(struct rt_sigframe, info);
    r->rdx = sp + __builtin_offsetof(struct rt_sigframe, uc);
    r->rax = 0;
    r->rflags &= ~0x400ull; /* DF clear */
    if (!(act[1] & SA_NODEFER))
        p->sigmask |= SIGSET_BIT(sig);
    p->sigmask |= act[3] & ~SIG_UNBLOCKABLE;
    if (act[1] & SA_RESETHAND)
        act[0] = SIG_DFL;
    return 0;
}

/* Takes the next deliverable signal: default actions happen here; returns
 * a signal whose handler must run, or 0. */
static int next_handled(struct proc *p, struct siginfo_k *info)
{
    for (int sig; !p->zombie && (sig = signal_deliverable(p));) {
        p->sigpending &= ~SIGSET_BIT(sig);
        *info = p->siginfo[sig];
        uint64_t h = p->sigactions[sig][0];
        if (h == SIG_IGN || (h == SIG_DFL && default_action(sig) == SIG_IGN))
            continue;
        if (h == SIG_DFL && default_action(sig) == SIG_STOP_ACTION) {
            proc_stop(proc_group(p), sig); /* a stop that was blocked until now */
            continue;
        }
        if (h == SIG_DFL) {
            proc_exit(p, sig);
            return 0;
        }
        return sig;
    }
    return 0;
}

/* Handlers for every further deliverable signal, each frame on top of the
 * last, as Linux stacks them before returning to user mode: the last
 * one set up runs first.  -1 if a frame did not fit (the process ended). */
static int more_frames(struct proc *p, struct persona_regs *r)
{
    struct siginfo_k info;
    for (int sig; !p->zombie && (sig = next_handled(p, &info));)
        if (setup_frame(p, sig, r, &info) < 0) {
            proc_exit(p, SIGSEGV);
            return -1;
        }
    return p->zombie ? -1 : 0;
}

/* proc_reply's general case: a signal to deliver, a stop, an interrupt,
 * a restart (out of line, so that the common case stays small). */
void proc_reply_signals(struct proc *p, uint64_t token, int64_t result)
{
    struct siginfo_k info;
    int sig = p->zombie ? 0 : next_handled(p, &info);
    if (p->zombie)
        return; /* a default action ended it */
    if (proc_group(p)->stopped) { /* held until SIGCONT */
        p->parked = true;
        p->parked_token = token;
        p->parked_result = result;
        return;
    }
    struct persona_regs *r = ipc_buf();
    if (!sig && result == RESUME_UNCHANGED) { /* an interrupt with nothing left to deliver */
        if (sys_thread_regs(p->thread, REGS_GET, r) < 0)
            return;
        struct ipc_msg m = {{PICO_RESUME_REGS}};
        linux_reply(token, &m, sizeof *r);
        return;
    }
    if (!sig && result == -ERESTARTSYS) {
        /* interrupted without a handler to run (a stop, say): the call
         * starts again, as Linux restarts it */
        if (sys_thread_regs(p->thread, REGS_GET, r) < 0)
            return;
        r->rip -= 2;
        struct ipc_msg m = {{PICO_RESUME_REGS}};
        linux_reply(token, &m, sizeof *r);
        return;
    }
    if (!sig) {
        struct ipc_msg m = {{PICO_RESUME, (uint64_t)result}};
        linux_reply(token, &m, 0);
        return;
    }
    if (sys_thread_regs(p->thread, REGS_GET, r) < 0)
        return;
    if (result == RESUME_UNCHANGED)
        ; /* interrupted user code: every register as it was */
    else if (result == -ERESTARTSYS && (p->sigactions[sig][1] & SA_RESTART))
        r->rip -= 2; /* back onto the syscall instruction; rax still holds its number */
    else
        r->rax = (uint64_t)(result == -ERESTARTSYS ? -LINUX_EINTR : result);
    if (p->sigsuspend_saved) { /* sigsuspend's mask is undone by the handler's sigreturn */
        p->sigmask = p->saved_mask;
        p->sigsuspend_saved = false;
    }
    if (setup_frame(p, sig, r, &info) < 0) {
        proc_exit(p, SIGSEGV); /* no room for the frame, as Linux does */
        return;
    }
    if (more_frames(p, r) < 0)
        return;
    struct ipc_msg m = {{PICO_RESUME_REGS}};
    linux_reply(token, &m, sizeof *r);
}

/* Interrupts whatever the process waits for, with -ERESTARTSYS; if it
 * waits for nothing, it runs user code: the kernel makes it trap here. */
static void interrupt(struct proc *p)
{
    uint64_t token;
    /* sigsuspend, and ppoll/pselect6 under their own mask, are never restarted */
    bool suspended = p->wait.kind == WAIT_SIGSUSPEND || p->sigsuspend_saved;
    int64_t moved = pipe_moved(p); /* a write that moved some bytes returns their count */
    if (!proc_cancel_wait(p, &token)) {
        sys_thread_interrupt(p->thread); /* EBUSY if it is in a trap: the reply delivers */
        return;
    }
    proc_reply(p, token, moved ? moved : suspended ? -LINUX_EINTR : -ERESTARTSYS);
}

/* Which thread takes a signal sent to process g: g's own thread unless it
 * has exited or blocks the signal and another thread does not. */
static struct proc *taker(struct proc *g, int sig)
{
    if (!g->thread_gone && !(g->sigmask & SIGSET_BIT(sig)))
        return g;
    struct proc *any = NULL;
    for (struct proc *t = proc_list(); t; t = t->next) {
        if (t->leader != g || t->zombie)
            continue;
        if (!(t->sigmask & SIGSET_BIT(sig)))
            return t;
        any = any ? any : t;
    }
    return g->thread_gone && any ? any : g;
}

static void notify_parent(struct proc *g, int code, int status)
{
    struct proc *parent = proc_by_pid(g->ppid);
    if (!parent || parent->zombie)
        return;
    for (struct proc *w = proc_list(), *n; w; w = n) { /* a waiting thread of the parent */
        n = w->next;
        if (proc_tgid(w) == g->ppid && w->waiting && !w->zombie)
            proc_wake_waiter(w);
    }
    if (parent->sigactions[SIGCHLD][1] & SA_NOCLDSTOP)
        return;
    struct siginfo_k si = {SIGCHLD, 0, code, 0, {.child = {g->pid, 0, status}}};
    signal_send(parent, SIGCHLD, &si);
}

void proc_stop(struct proc *g, int sig)
{
    if (g->stopped || g->zombie)
        return;
    g->stopped = true;
    g->stop_sig = sig;
    g->stop_report = true;
    g->cont_report = false;
    /* Threads in user code stop at once; the kernel refuses (EBUSY) those
     * in a trap, which stop when their call is answered. */
    for (struct proc *t = proc_list(); t; t = t->next)
        if (proc_group(t) == g && !t->zombie && !(t == g && g->thread_gone))
            sys_thread_interrupt(t->thread);
    notify_parent(g, CLD_STOPPED, sig);
}

void proc_continue(struct proc *g)
{
    if (!g->stopped)
        return;
    g->stopped = false;
    g->stop_report = false;
    g->cont_report = true;
    for (struct proc *t = proc_list(), *n; t; t = n) {
        n = t->next;
        if (proc_group(t) == g && t->parked && !t->zombie) {
            t->parked = false;
            proc_reply(t, t->parked_token, t->parked_result);
        }
    }
    notify_parent(g, CLD_CONTINUED, SIGCONT);
}

static bool is_stop(int sig) { return sig >= SIGSTOP && sig <= SIGTTOU; } /* SIGSTOP SIGTSTP SIGTTIN SIGTTOU */

/* A process group none of whose members has a parent in another group of
 * the same session: nobody is left to continue it if it stops. */
bool pgrp_orphaned(int pgid)
{
    for (struct proc *q = proc_list(); q; q = q->next) {
        if (q->zombie || q->leader || q->pgid != pgid)
            continue;
        struct proc *parent = proc_by_pid(q->ppid);
        if (parent && !parent->zombie && parent->pgid != pgid && parent->sid == q->sid)
            return false;
    }
    return true;
}

bool signal_refused(struct proc *p, int sig)
{
    return p->sigactions[sig][0] == SIG_IGN || (p->sigmask & SIGSET_BIT(sig));
}

int signal_group(int pgid, int sig, const void *info)
{
    int n = 0;
    for (struct proc *p = proc_list(), *next; p; p = next) {
        next = p->next;
        if (!p->zombie && !p->leader && p->pgid == pgid)
            n++, signal_send(p, sig, info);
    }
    return n;
}

void signal_send(struct proc *p, int sig, const void *info_in)
{
    if (p->zombie || sig < 1 || sig > LINUX_NSIG)
        return;
    struct proc *g = proc_group(p);
    if (sig == SIGCONT) { /* continues whatever its action, and drops pending stops */
        for (struct proc *t = proc_list(); t; t = t->next)
            if (proc_group(t) == g)
                t->sigpending &= ~(SIGSET_BIT(SIGSTOP) | SIGSET_BIT(SIGTSTP) | SIGSET_BIT(SIGTTIN) | SIGSET_BIT(SIGTTOU));
        proc_continue(g);
    } else if (is_stop(sig)) {
        for (struct proc *t = proc_list(); t; t = t->next)
            if (proc_group(t) == g)
                t->sigpending &= ~SIGSET_BIT(SIGCONT);
    }
    if (!p->leader)
        p = taker(p, sig);
    uint64_t h = p->sigactions[sig][0];
    if (is_stop(sig) && h == SIG_DFL && (sig == SIGSTOP || !(p->sigmask & SIGSET_BIT(sig)))) {
        if (sig == SIGSTOP || !pgrp_orphaned(g->pgid)) /* as Linux: the terminal stops spare an orphaned group */
            proc_stop(g, sig);
        return;
    }
    if (sig != SIGKILL && (h == SIG_IGN || (h == SIG_DFL && default_action(sig) == SIG_IGN)))
        return; /* discarded at once, as Linux does for ignored signals */
    if (sig == SIGKILL || (h == SIG_DFL && !(p->sigmask & SIGSET_BIT(sig)))) {
        proc_exit(p, sig);
        return;
    }
    p->sigpending |= SIGSET_BIT(sig);
    if (info_in)
        memcpy(&p->siginfo[sig], info_in, sizeof p->siginfo[sig]);
    else
        p->siginfo[sig] = (struct siginfo_k){sig, 0, SI_KERNEL, 0, {.kill = {0, 0}}};
    for (struct proc *t = proc_list(); t; t = t->next) /* a sigtimedwait for it takes it */
        if (proc_group(t) == proc_group(p) && t->wait.kind == WAIT_SIGWAIT && (t->wait.fds & SIGSET_BIT(sig)) && !t->zombie) {
            if (t != p)
                p->sigpending &= ~SIGSET_BIT(sig), t->sigpending |= SIGSET_BIT(sig), t->siginfo[sig] = p->siginfo[sig];
            sigwait_take(t);
            return;
        }
    if (!(p->sigmask & SIGSET_BIT(sig)))
        interrupt(p);
}

void signal_child_exited(struct proc *parent, struct proc *child)
{
    struct siginfo_k si = {SIGCHLD, 0, (child->status & 0x7f) ? CLD_KILLED : CLD_EXITED, 0, {.child = {child->pid, 0, 0}}};
    si.child.status = (child->status & 0x7f) ? child->status & 0x7f : (child->status >> 8) & 0xff;
    signal_send(parent, SIGCHLD, &si);
}

/* A CPU exception: the handler runs at the faulting instruction, or the
 * default action ends the process. */
void signal_exception(struct proc *p, int sig, uint64_t addr, uint64_t token)
{
    uint64_t h = p->sigactions[sig][0];
    if (h == SIG_DFL || h == SIG_IGN || (p->sigmask & SIGSET_BIT(sig))) {
        proc_exit(p, sig);
        return;
    }
    struct siginfo_k si = {sig, 0, 1, 0, {.fault = {addr}}};
    p->sigpending |= SIGSET_BIT(sig);
    p->siginfo[sig] = si;
    struct persona_regs *r = ipc_buf();
    struct siginfo_k info;
    if (sys_thread_regs(p->thread, REGS_GET, r) < 0 || next_handled(p, &info) != sig || setup_frame(p, sig, r, &info) < 0) {
        proc_exit(p, sig);
        return;
    }
    struct ipc_msg m = {{PICO_RESUME_REGS}};
    linux_reply(token, &m, sizeof *r);
}

SYSCALL_HANDLER(rt_sigreturn)
{
    struct rt_sigframe f;
    struct persona_regs *r = ipc_buf();
    uint64_t frame = c->trap->rsp - 8; /* the handler's ret popped pretcode */
    if (mem_in(c->p, &f, frame, sizeof f) < 0 || sys_thread_regs(c->p->thread, REGS_GET, r) < 0) {
        proc_exit(c->p, SIGSEGV);
        c->no_reply = true;
        return 0;
    }
    const struct sigcontext *m = &f.uc.mc;
    *r = (struct persona_regs){m->rax, m->rbx, m->rcx, m->rdx, m->rsi, m->rdi, m->rbp, m->rsp, m->r8, m->r9,
                               m->r10, m->r11, m->r12, m->r13, m->r14, m->r15, m->rip, m->eflags, r->fs_base,
                               r->gs_base};
    c->p->sigmask = f.uc.sigmask & ~SIG_UNBLOCKABLE;
    static struct persona_fpu fpu;
    if (m->fpstate && (mem_in(c->p, &fpu, m->fpstate, sizeof fpu) < 0 ||
                       sys_thread_regs(c->p->thread, REGS_FPU_SET, (struct persona_regs *)(void *)&fpu) < 0)) {
        proc_exit(c->p, SIGSEGV); /* a frame whose FPU state cannot be loaded, as Linux */
        c->no_reply = true;
        return 0;
    }
    if (!(f.uc.ss_flags & SS_ONSTACK)) /* the alternate stack as the frame kept it */
        c->p->ss_sp = f.uc.ss_sp, c->p->ss_size = (f.uc.ss_flags & SS_DISABLE) ? 0 : f.uc.ss_size;
    c->no_reply = true;
    /* signals the restored mask lets through are delivered now */
    if (more_frames(c->p, r) < 0 || sys_thread_regs(c->p->thread, REGS_SET, r) < 0) {
        proc_exit(c->p, SIGSEGV);
        return 0;
    }
    struct ipc_msg msg = {{PICO_RESUME, r->rax}}; /* the registers are set; rax as restored */
    linux_reply(c->token, &msg, 0);
    return 0;
}

SYSCALL_HANDLER(rt_sigsuspend)
{
    uint64_t mask;
    if (c->a[1] != sizeof mask)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &mask, c->a[0], sizeof mask) < 0)
        return -LINUX_EFAULT;
    c->p->saved_mask = c->p->sigmask;
    c->p->sigsuspend_saved = true;
    c->p->sigmask = mask & ~SIG_UNBLOCKABLE;
    c->p->wait = (struct proc_wait){.kind = WAIT_SIGSUSPEND, .token = c->token};
    c->deferred = true;
    if (signal_deliverable(c->p)) {
        c->p->wait.kind = WAIT_NONE;
        proc_reply(c->p, c->token, -LINUX_EINTR);
    }
    return 0;
}

SYSCALL_HANDLER(rt_sigpending)
{
    uint64_t set = c->p->sigpending;
    return mem_out(c->p, c->a[0], &set, sizeof set) < 0 ? -LINUX_EFAULT : 0;
}

static struct proc *sender; /* kill's caller, for si_pid */

static int64_t kill_one(struct proc *p, int sig)
{
    if (!p || p->zombie)
        return -LINUX_ESRCH;
    struct siginfo_k si = {sig, 0, SI_USER, 0, {.kill = {sender ? proc_tgid(sender) : 0, 0}}};
    if (sig)
        signal_send(p, sig, &si);
    return 0;
}

static int64_t tkill_one(struct sys_ctx *c, struct proc *t, int sig)
{
    if (sig < 0 || sig > LINUX_NSIG)
        return -LINUX_EINVAL;
    if (!t || t->zombie)
        return -LINUX_ESRCH;
    struct siginfo_k si = {sig, 0, SI_TKILL, 0, {.kill = {proc_tgid(c->p), 0}}};
    if (sig)
        signal_send(t, sig, &si);
    return 0;
}

SYSCALL_HANDLER(kill)
{
    int pid = (int)c->a[0], sig = (int)c->a[1], found = 0;
    sender = c->p;
    if (sig < 0 || sig > LINUX_NSIG)
        return -LINUX_EINVAL;
    if (pid > 0) { /* a thread's id names its whole process */
        struct proc *t = proc_by_pid(pid);
        return kill_one(t ? proc_group(t) : NULL, sig);
    }
    if (pid != -1) {
        int pgid = pid == 0 ? c->p->pgid : -pid;
        if (!sig) {
            for (struct proc *p = proc_list(); p; p = p->next)
                found += !p->zombie && !p->leader && p->pgid == pgid;
        } else {
            struct siginfo_k si = {sig, 0, SI_USER, 0, {.kill = {proc_tgid(c->p), 0}}};
            found = signal_group(pgid, sig, &si);
        }
        return found ? 0 : -LINUX_ESRCH;
    }
    for (struct proc *p = proc_list(), *n; p; p = n) {
        n = p->next;
        if (!p->zombie && !p->leader && p->pid != 1)
            found++, kill_one(p, sig);
    }
    return found ? 0 : -LINUX_ESRCH;
}

SYSCALL_HANDLER(tgkill)
{
    struct proc *t = proc_by_pid((int)c->a[1]);
    return tkill_one(c, t && proc_tgid(t) == (int)c->a[0] ? t : NULL, (int)c->a[2]);
}

SYSCALL_HANDLER(tkill) { return tkill_one(c, proc_by_pid((int)c->a[0]), (int)c->a[1]); }

/* Completes a sigtimedwait with the lowest pending signal of its set. */
static void sigwait_take(struct proc *t)
{
    uint64_t ready = t->sigpending & t->wait.fds;
    int sig = __builtin_ctzll(ready) + 1;
    t->sigpending &= ~SIGSET_BIT(sig);
    t->wait.kind = WAIT_NONE;
    int64_t r = t->wait.tv && mem_out(t, t->wait.tv, &t->siginfo[sig], sizeof t->siginfo[sig]) < 0 ? -LINUX_EFAULT : sig;
    proc_reply(t, t->wait.token, r);
}

SYSCALL_HANDLER(rt_sigtimedwait)
{
    uint64_t set;
    int64_t ts[2];
    if (c->a[3] != sizeof set)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &set, c->a[0], sizeof set) < 0 || (c->a[2] && mem_in(c->p, ts, c->a[2], sizeof ts) < 0))
        return -LINUX_EFAULT;
    if (c->a[2] && (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000))
        return -LINUX_EINVAL;
    set &= ~SIG_UNBLOCKABLE;
    c->p->wait = (struct proc_wait){.kind = WAIT_SIGWAIT, .token = c->token, .fds = set, .tv = c->a[1]};
    c->deferred = true;
    struct proc *g = proc_group(c->p);
    if (!(c->p->sigpending & set) && (g->sigpending & set)) { /* a process signal left with the leader */
        int sig = __builtin_ctzll(g->sigpending & set) + 1;
        g->sigpending &= ~SIGSET_BIT(sig), c->p->sigpending |= SIGSET_BIT(sig), c->p->siginfo[sig] = g->siginfo[sig];
    }
    if (c->p->sigpending & set) {
        sigwait_take(c->p);
        return 0;
    }
    if (c->a[2] && ts[0] == 0 && ts[1] == 0) {
        c->p->wait.kind = WAIT_NONE;
        c->deferred = false;
        return -LINUX_EAGAIN;
    }
    if (c->a[2]) {
        c->p->wait.deadline = (uint64_t)sys_clock_ns() + (uint64_t)ts[0] * 1000000000ull + (uint64_t)ts[1];
        wait_rearm();
    }
    return 0;
}

SYSCALL_HANDLER(sigaltstack)
{
    struct proc *p = c->p;
    struct stack_k ss, old = {p->ss_sp, 0, 0, p->ss_size};
    bool on = p->ss_size && c->trap->rsp - p->ss_sp < p->ss_size;
    old.flags = !p->ss_size ? SS_DISABLE : on ? SS_ONSTACK : 0;
    if (c->a[0]) {
        if (mem_in(p, &ss, c->a[0], sizeof ss) < 0)
            return -LINUX_EFAULT;
        if (on)
            return -LINUX_EPERM;
        uint32_t mode = (uint32_t)ss.flags & ~SS_AUTODISARM;
        if (mode != 0 && mode != SS_DISABLE)
            return -LINUX_EINVAL;
        if (mode == 0 && ss.size < MINSIGSTKSZ)
            return -LINUX_ENOMEM;
    }
    if (c->a[1] && mem_out(p, c->a[1], &old, sizeof old) < 0)
        return -LINUX_EFAULT;
    if (c->a[0]) {
        p->ss_sp = ((uint32_t)ss.flags & SS_DISABLE) ? 0 : ss.sp;
        p->ss_size = ((uint32_t)ss.flags & SS_DISABLE) ? 0 : ss.size;
    }
    return 0;
}

SYSCALL_HANDLER(pause)
{
    c->p->wait = (struct proc_wait){.kind = WAIT_SIGSUSPEND, .token = c->token};
    c->deferred = true;
    return 0;
}
