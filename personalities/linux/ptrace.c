/*
 * personalities/linux/ptrace.c - ptrace(2)'s tracing: attaching
 * (PTRACE_TRACEME, PTRACE_ATTACH, PTRACE_SEIZE), the stops of a traced
 * thread and how its tracer learns of them (wait's status, SIGCHLD), and
 * the resumes (PTRACE_CONT, PTRACE_SYSCALL, PTRACE_LISTEN, PTRACE_DETACH,
 * PTRACE_KILL, PTRACE_INTERRUPT).  What a tracer reads and writes of a
 * stopped thread is ptracemem.c's.
 *
 * Every stop is a reply held back: at a call's entry (main.c asks
 * ptrace_entry before the handler runs) and at its reply (proc_reply's
 * slow half asks ptrace_reply: an event first, then the call's exit, a
 * PTRACE_INTERRUPT, a group stop, then each signal about to be acted on).
 * The tracer's resume lets the reply go, or runs the held call.
 *
 * Entry points: ptrace.h.  Callers: main.c, signal.c, fork.c, exec.c,
 * exit.c.  Layer: proc, beside signals.  Book: docs/linux.md, "ptrace".
 */
#include "hwbp.h"
#include "pidns.h"
#include "proc.h"
#include "ptracemem.h"
#include <string.h>
#include "linux_entries/ptrace.h" /* generated: the handlers' prototypes, entries */

#define X86_TF 0x100ull /* rflags' trap flag */
#define TRAP_TRACE 2    /* SIGTRAP's si_code for a step */

bool ptrace_traced_by(const struct proc *t, const struct proc *g) { return t->pt.tracer && t->pt.tracer == proc_tgid((struct proc *)g); }

/* The tracer learns of a stop: its waiting threads wake, and it gets SIGCHLD (CLD_TRAPPED). */
static void notify_tracer(struct proc *t)
{
    struct proc *tracer = proc_by_pid(t->pt.tracer);
    if (!tracer || tracer->zombie)
        return;
    proc_wake_waiters(t->pt.tracer);
    if (tracer->sig.actions[SIGCHLD][1] & SA_NOCLDSTOP)
        return;
    struct siginfo_k si = {SIGCHLD, 0, CLD_TRAPPED, 0,
                           {.child = {pidns_vnr(tracer, t), (int32_t)t->cred.uid, (t->pt.status >> 8) & 0xff}}};
    signal_send(tracer, SIGCHLD, &si);
}

/* Thread t stops: its reply (token, result) is held, its registers copied for the tracer. */
static void stop(struct proc *t, int kind, uint64_t token, int64_t result, int status)
{
    struct ptrace_state *s = &t->pt;
    s->stopped = s->report = true;
    s->dirty = false;
    s->kind = (uint8_t)kind;
    s->token = token;
    s->result = result;
    s->status = status;
    if (sys_thread_regs(t->thread, REGS_GET, &s->regs) < 0)
        memset(&s->regs, 0, sizeof s->regs);
    bool call = kind == PT_ENTRY || kind == PT_EXIT || result != RESUME_UNCHANGED;
    s->orig_rax = call ? s->orig_rax : (uint64_t)-1;
    if (kind == PT_ENTRY)
        s->regs.rax = (uint64_t)-LINUX_ENOSYS; /* as Linux shows a call at its entry */
    else if (result != RESUME_UNCHANGED)
        s->regs.rax = (uint64_t)result;
    notify_tracer(t);
}

static int trap_status(int code) { return 0x7f | code << 8; } /* a stopped wait status: WSTOPSIG and the event above */

void ptrace_exception(struct proc *p, int sig, struct siginfo_k *si, uint64_t token)
{
    uint64_t *act = p->sig.actions[sig];
    if (sig == SIGTRAP && p->pt.stepping) { /* a step's #DB: the trap flag goes until the next step */
        struct persona_regs r;
        if (sys_thread_regs(p->thread, REGS_GET, &r) == 0)
            r.rflags &= ~X86_TF, sys_thread_regs(p->thread, REGS_SET, &r);
        si->code = TRAP_TRACE;
    }
    p->sig.mask &= ~SIGSET_BIT(sig); /* forced, as Linux's force_sig: unblocked, and not ignored */
    if (act[0] == SIG_IGN)
        act[0] = SIG_DFL;
    p->sig.own.pending |= SIGSET_BIT(sig);
    p->sig.own.info[sig] = *si;
    proc_reply(p, token, RESUME_UNCHANGED);
}

void ptrace_regs_reply(struct proc *p, uint64_t token)
{
    p->pt.regs_reply = true;
    proc_reply(p, token, RESUME_UNCHANGED);
}

bool ptrace_entry(struct proc *p, uint64_t token, const struct pico_trap *trap, const uint64_t *w)
{
    struct ptrace_state *s = &p->pt;
    s->in_call = true;
    s->orig_rax = w[1];
    s->call32 = w[0] == PICO_SYSCALL32;
    if (!s->syscalls)
        return false;
    s->trap = *trap;
    s->msg = 1; /* PTRACE_EVENTMSG_SYSCALL_ENTRY */
    stop(p, PT_ENTRY, token, 0, trap_status(SIGTRAP | (s->options & PTRACE_O_TRACESYSGOOD ? 0x80 : 0)));
    return true;
}

bool ptrace_reply(struct proc *p, uint64_t token, int64_t result)
{
    struct ptrace_state *s = &p->pt;
    struct proc *g = proc_group(p);
    if (s->stopped) { /* a vfork's end while its event stop holds the call: the reply waits for the resume */
        s->vfork_held = false;
        s->result = result;
        return true;
    }
    if (s->event) { /* fork, clone, exec, vfork's end: reported before the call's exit */
        int ev = s->event;
        s->event = 0;
        stop(p, PT_EVENT, token, result, trap_status(SIGTRAP | ev << 8));
        return true;
    }
    bool call_ends = result != RESUME_UNCHANGED || s->regs_reply; /* else an interrupt in user code */
    s->regs_reply = false;
    if (s->in_call) {
        s->in_call = false;
        if (s->syscalls && call_ends) {
            s->msg = 2; /* PTRACE_EVENTMSG_SYSCALL_EXIT */
            stop(p, PT_EXIT, token, result, trap_status(SIGTRAP | (s->options & PTRACE_O_TRACESYSGOOD ? 0x80 : 0)));
            return true;
        }
    }
    if (s->interrupt) {
        s->interrupt = false;
        s->msg = 0;
        int sig = g->job.stopped ? g->job.stop_sig : SIGTRAP;
        stop(p, g->job.stopped ? PT_GROUP : PT_EVENT, token, result, trap_status(sig | PTRACE_EVENT_STOP << 8));
        return true;
    }
    if (g->job.stopped) { /* a group stop, reported to the tracer (not as a job's stop) */
        g->job.stop_report = false;
        s->msg = 0;
        stop(p, PT_GROUP, token, result, trap_status(g->job.stop_sig | (s->seized ? PTRACE_EVENT_STOP << 8 : 0)));
        return true;
    }
    if (s->pass) { /* the signal the tracer let through is acted on now */
        s->pass = 0;
        return false;
    }
    struct siginfo_k info;
    int sig = signal_dequeue(p, ~p->sig.mask, &info);
    if (!sig)
        return false;
    s->info = info;
    s->msg = 0; /* as Linux's signal stops leave it */
    stop(p, PT_SIGNAL, token, result, trap_status(sig));
    return true;
}

/* Thread t leaves its stop: the held call runs, or the held reply goes
 * (the result the tracer left in rax at a call's exit), with signal sig
 * acted on if the stop was a signal's. */
static void resume(struct proc *t, int sig)
{
    struct ptrace_state *s = &t->pt;
    int64_t result = s->result;
    s->stopped = s->report = false;
    if (s->kind == PT_EXIT && result != RESUME_UNCHANGED)
        result = (int64_t)s->regs.rax;
    if (s->dirty) {
        struct persona_regs r = s->regs;
        if (s->kind == PT_ENTRY || result == -ERESTARTSYS || result == -ERESTARTNOHAND || result == -ERESTARTNOINTR)
            r.rax = s->orig_rax; /* a call runs, or runs again, by its number */
        sys_thread_regs(t->thread, REGS_SET, &r);
    }
    if (s->kind == PT_GROUP && proc_group(t)->job.stopped) { /* the tracer's resume ends a group stop */
        proc_continue(proc_group(t));
        proc_group(t)->job.cont_report = false;
    }
    if (s->kind == PT_ENTRY) {
        uint64_t a[6] = {s->regs.rdi, s->regs.rsi, s->regs.rdx, s->regs.r10, s->regs.r8, s->regs.r9};
        uint64_t a32[6] = {(uint32_t)s->regs.rbx, (uint32_t)s->regs.rcx, (uint32_t)s->regs.rdx,
                           (uint32_t)s->regs.rsi, (uint32_t)s->regs.rdi, (uint32_t)s->regs.rbp};
        if ((int64_t)s->orig_rax < 0 || (s->call32 && (int32_t)s->orig_rax < 0)) /* the tracer cancelled the call */
            proc_reply(t, s->token, (int64_t)s->regs.rax);
        else if (s->call32)
            linux_run_call32(t, s->token, &s->trap, (uint32_t)s->orig_rax, a32);
        else
            linux_run_call(t, s->token, &s->trap, s->orig_rax, a);
        return;
    }
    if (s->kind == PT_EVENT && s->vfork_held) { /* the child has not left yet: vfork_release replies */
        s->vfork_held = false;
        return;
    }
    if (s->kind == PT_EVENT && s->exiting) {
        proc_exit(t, s->exit_status);
        return;
    }
    if (sig && s->kind == PT_SIGNAL) { /* pending again, and acted on without a stop */
        s->info.signo = sig;
        t->sig.own.pending |= SIGSET_BIT(sig);
        t->sig.own.info[sig] = s->info;
        s->pass = sig;
    } else if (sig) {
        signal_send_thread(t, sig, NULL);
    }
    proc_reply(t, s->token, result);
}

/* The tracer lets t go: untraced, resumed with sig. */
static void detach(struct proc *t, int sig)
{
    bool stopped = t->pt.stopped;
    t->pt.tracer = 0;
    proc_link_del(t, TRACEE_LINK);
    t->pt.options = 0;
    t->pt.syscalls = t->pt.seized = t->pt.interrupt = false;
    t->pt.event = 0;
    if (stopped && t->pt.kind == PT_GROUP && proc_group(t)->job.stopped) { /* it stays stopped, as a job */
        t->pt.stopped = t->pt.report = false;
        t->parked = (struct parked_reply){true, t->pt.token, t->pt.result};
    } else if (stopped) {
        resume(t, sig);
    }
}

void ptrace_tracer_gone(struct proc *g)
{
    for (struct proc *t = proc_tracees, *n; t; t = n) {
        n = t->tracee_link.next;
        if (t->pt.tracer != g->pid)
            continue;
        proc_link_del(t, TRACEE_LINK);
        if (t->zombie) /* its parent reaps it */
            t->pt.tracer = 0;
        else if (t->pt.options & PTRACE_O_EXITKILL)
            signal_send(t, SIGKILL, NULL), t->pt.tracer = 0, n = proc_tracees; /* an exit may change the list */
        else
            detach(t, 0), n = proc_tracees;
    }
}

void ptrace_child(struct proc *p, struct proc *ch, uint64_t flags, int exit_signal)
{
    int ev = (flags & CLONE_VFORK) ? PTRACE_EVENT_VFORK : exit_signal != SIGCHLD ? PTRACE_EVENT_CLONE : PTRACE_EVENT_FORK;
    if (!p->pt.tracer || (flags & CLONE_UNTRACED))
        return;
    bool done = ev == PTRACE_EVENT_VFORK && (p->pt.options & PTRACE_O_TRACEVFORKDONE);
    p->pt.msg = (uint64_t)pidns_vnr(proc_by_pid(p->pt.tracer), ch); /* as the tracer numbers it */
    p->pt.event = done ? PTRACE_EVENT_VFORK_DONE : 0; /* when the vfork returns */
    if (!(p->pt.options & (1u << ev)))
        return;
    ch->pt.tracer = p->pt.tracer;
    proc_link_add(&proc_tracees, ch, TRACEE_LINK);
    ch->pt.options = p->pt.options;
    ch->pt.seized = p->pt.seized;
    if (ch->pt.seized) /* a seized tracer's child starts in PTRACE_EVENT_STOP, another's with SIGSTOP */
        ch->pt.interrupt = true;
    else
        ch->sig.own.pending |= SIGSET_BIT(SIGSTOP), ch->sig.own.info[SIGSTOP] = (struct siginfo_k){SIGSTOP, 0, SI_KERNEL, 0, {.kill = {0, 0}}};
    sys_thread_interrupt(ch->thread); /* it traps before its first instruction */
    if (ev != PTRACE_EVENT_VFORK) {
        p->pt.event = ev;
        return;
    }
    p->pt.vfork_held = true; /* the vfork stops now, before its child runs; it returns when the child leaves */
    stop(p, PT_EVENT, ch->vfork.token, -LINUX_ENOSYS, trap_status(SIGTRAP | ev << 8));
}

void ptrace_exec(struct proc *p, int old_tid)
{
    hwbp_flush(p); /* Linux's flush_ptrace_hw_breakpoint */
    p->pt.regs_reply = true; /* the call's end is the new image's first trap */
    if (p->pt.options & PTRACE_O_TRACEEXEC)
        p->pt.event = PTRACE_EVENT_EXEC, p->pt.msg = (uint64_t)old_tid;
    else if (!p->pt.seized) /* the exec's SIGTRAP, as Linux sends a PTRACE_ATTACHed tracee */
        signal_send_thread(p, SIGTRAP, NULL);
    sys_thread_interrupt(p->thread); /* the new image stops before its first instruction */
    sys_thread_resume(p->thread);
}

bool ptrace_exit(struct proc *p, uint64_t token, int status)
{
    if (!(p->pt.options & PTRACE_O_TRACEEXIT))
        return false;
    p->pt.exiting = true;
    p->pt.exit_status = status;
    p->pt.msg = (uint64_t)status;
    p->pt.in_call = false;
    stop(p, PT_EVENT, token, 0, trap_status(SIGTRAP | PTRACE_EVENT_EXIT << 8));
    return true;
}

/* ---- the requests ---- */

/* PTRACE_TRACEME: the parent traces the caller. */
static int64_t trace_me(struct proc *p)
{
    struct proc *parent = proc_by_pid(proc_group(p)->ppid);
    if (p->pt.tracer || !parent || parent->zombie)
        return -LINUX_EPERM;
    p->pt = (struct ptrace_state){.tracer = parent->pid, .orig_rax = (uint64_t)-1};
    proc_link_add(&proc_tracees, p, TRACEE_LINK);
    return 0;
}

/* PTRACE_ATTACH (a SIGSTOP) and PTRACE_SEIZE (options, no stop). */
static int64_t attach(struct proc *p, int pid, uint64_t addr, uint64_t data, bool seize)
{
    struct proc *t = pidns_find(p, pid);
    if (!t || t->zombie || (!t->leader && t->thread_gone))
        return -LINUX_ESRCH;
    if (seize && (addr || (data & ~(uint64_t)PTRACE_O_MASK)))
        return addr ? -LINUX_EIO : -LINUX_EINVAL;
    if (proc_group(t) == proc_group(p) || t->pt.tracer || !proc_may_ptrace(p, t))
        return -LINUX_EPERM;
    t->pt = (struct ptrace_state){.tracer = proc_tgid(p), .seized = seize, .orig_rax = (uint64_t)-1};
    proc_link_add(&proc_tracees, t, TRACEE_LINK);
    t->pt.options = seize ? (uint32_t)data : 0;
    struct proc *g = proc_group(t);
    if (g->job.stopped && t->parked.held && !seize) { /* stopped already: reported to the tracer as its stop */
        t->parked.held = false;
        g->job.stop_report = false;
        stop(t, PT_GROUP, t->parked.token, t->parked.result, trap_status(g->job.stop_sig));
    } else if (!seize) {
        signal_send_thread(t, SIGSTOP, NULL);
    }
    return 0;
}

/* The resumes: sig is the signal to act on (EIO if none). */
static int64_t do_resume(struct proc *t, uint64_t req, uint64_t sig)
{
    if (sig > LINUX_NSIG)
        return -LINUX_EIO;
    bool step = req == PTRACE_SINGLESTEP;
    if (step || t->pt.stepping) { /* the trap flag: #DB after one instruction */
        t->pt.regs.rflags = step ? t->pt.regs.rflags | X86_TF : t->pt.regs.rflags & ~X86_TF;
        t->pt.dirty = true;
    }
    t->pt.stepping = step;
    if (req == PTRACE_DETACH) {
        detach(t, (int)sig);
        return 0;
    }
    if (req == PTRACE_LISTEN) {
        struct proc *g = proc_group(t);
        if (!t->pt.seized || t->pt.kind != PT_GROUP)
            return -LINUX_EIO;
        t->pt.stopped = t->pt.report = false;
        if (!g->job.stopped) { /* continued meanwhile */
            resume(t, 0);
            return 0;
        }
        t->parked = (struct parked_reply){true, t->pt.token, t->pt.result}; /* a job's stop until SIGCONT */
        t->pt.interrupt = true; /* which ends in PTRACE_EVENT_STOP, as Linux's trap notify */
        return 0;
    }
    t->pt.syscalls = req == PTRACE_SYSCALL;
    resume(t, (int)sig);
    return 0;
}

static int64_t sys_ptrace(struct sys_ctx *c, uint64_t req, int pid, uint64_t addr, uint64_t data)
{
    struct proc *p = c->p, *t = pidns_find(c->p, pid);
    if (req == PTRACE_TRACEME)
        return trace_me(p);
    if (req == PTRACE_ATTACH || req == PTRACE_SEIZE)
        return attach(p, pid, addr, data, req == PTRACE_SEIZE);
    if (!t || t->zombie || !ptrace_traced_by(t, p))
        return -LINUX_ESRCH;
    if (req == PTRACE_KILL) {
        signal_send(t, SIGKILL, NULL);
        return 0;
    }
    if (req == PTRACE_INTERRUPT) {
        if (!t->pt.seized)
            return -LINUX_EIO;
        if (!t->pt.stopped) {
            t->pt.interrupt = true;
            signal_kick(t);
        }
        return 0;
    }
    if (!t->pt.stopped)
        return -LINUX_ESRCH;
    switch (req) {
    case PTRACE_CONT: case PTRACE_SYSCALL: case PTRACE_DETACH: case PTRACE_LISTEN: case PTRACE_SINGLESTEP:
        return do_resume(t, req, data);
    case PTRACE_SETOPTIONS:
        if (data & ~(uint64_t)PTRACE_O_MASK)
            return -LINUX_EINVAL;
        t->pt.options = (uint32_t)data;
        return 0;
    case PTRACE_GETEVENTMSG:
        return mem_out(p, data, &t->pt.msg, sizeof t->pt.msg) < 0 ? -LINUX_EFAULT : 0;
    default:
        return ptrace_request(p, t, req, addr, data);
    }
}
