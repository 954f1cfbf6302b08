/*
 * personalities/linux/ptracemem.c - what a tracer reads and changes of a
 * tracee in a ptrace stop: its memory a word at a time (PEEK and POKE,
 * EIO past what is mapped), its registers (GETREGS, SETREGS, PEEKUSR,
 * POKEUSR and the NT_PRSTATUS regset, as struct user_regs_struct; the
 * x87 and SSE state as GETFPREGS, SETFPREGS and NT_PRFPREG), the
 * siginfo of its stop, its signal mask, and the call it stopped in
 * (PTRACE_GET_SYSCALL_INFO).
 *
 * The registers are the copy ptrace.c made at the stop (rax is the
 * call's result, or -ENOSYS at its entry, orig_rax its number); a change
 * marks it dirty, and the resume loads it.  The debug registers are
 * hwbp.c's.
 *
 * Entry point: ptrace_request.  Callers: ptrace.c.  Layer: proc.  Book:
 * docs/linux.md, "ptrace".
 */
#include "hwbp.h"
#include "i386.h"
#include "proc.h"
#include "userns.h"
#include "pidns.h"
#include "ptrace.h"
#include "ptracemem.h"
#include "uapi_sec.h" /* AUDIT_ARCH_X86_64 */
#include <string.h>

static struct user_regs_k user_regs(const struct ptrace_state *s)
{
    const struct persona_regs *r = &s->regs;
    return (struct user_regs_k){r->r15, r->r14, r->r13, r->r12, r->rbp, r->rbx, r->r11, r->r10, r->r9,
                                r->r8, r->rax, r->rcx, r->rdx, r->rsi, r->rdi, s->orig_rax, r->rip, 0x33,
                                r->rflags, r->rsp, 0x2b, r->fs_base, r->gs_base, 0, 0, 0, 0};
}

/* Takes u as the tracee's registers: EIO for a rip or base outside the user half. */
static int set_user_regs(struct ptrace_state *s, const struct user_regs_k *u)
{
    if (u->rip >= TASK_SIZE || u->fs_base >= TASK_SIZE || u->gs_base >= TASK_SIZE)
        return -LINUX_EIO;
    s->regs = (struct persona_regs){u->rax, u->rbx, u->rcx, u->rdx, u->rsi, u->rdi, u->rbp, u->rsp, u->r8, u->r9,
                                    u->r10, u->r11, u->r12, u->r13, u->r14, u->r15, u->rip,
                                    (s->regs.rflags & ~0xcd5ull) | (u->eflags & 0xcd5ull), u->fs_base, u->gs_base};
    s->orig_rax = u->orig_rax;
    s->dirty = true;
    return 0;
}

/* PEEKUSR and POKEUSR: a word of struct user at off (8-aligned, inside): the registers, the debug
 * registers (hwbp.c), or 0 (read-only: EIO). */
static int64_t user_word(struct proc *p, struct proc *t, uint64_t off, uint64_t data, bool poke)
{
    struct ptrace_state *s = &t->pt;
    if ((off & 7) || off >= USER_AREA_SIZE)
        return -LINUX_EIO;
    if (off < sizeof(struct user_regs_k)) {
        struct user_regs_k u = user_regs(s);
        if (!poke)
            return mem_out(p, data, (uint64_t *)&u + off / 8, 8) < 0 ? -LINUX_EFAULT : 0;
        ((uint64_t *)&u)[off / 8] = data;
        return set_user_regs(s, &u);
    }
    uint64_t v = 0;
    if (off >= USER_DEBUGREG_OFFSET && off < USER_DEBUGREG_OFFSET + 64) {
        unsigned n = (unsigned)(off - USER_DEBUGREG_OFFSET) / 8;
        if (poke)
            return hwbp_set(t, n, data);
        hwbp_get(t, n, &v);
    } else if (poke) { /* the rest of struct user is read-only */
        return -LINUX_EIO;
    }
    return mem_out(p, data, &v, 8) < 0 ? -LINUX_EFAULT : 0;
}

/* The regsets: NT_PRSTATUS (struct user_regs_struct) and NT_PRFPREG (fxsave), through an iovec. */
static int64_t regset(struct proc *p, struct proc *t, uint64_t type, uint64_t uiov, bool set)
{
    struct io_seg iov;
    static struct persona_fpu fpu;
    struct user_regs_k u = user_regs(&t->pt);
    if (mem_in(p, &iov, uiov, sizeof iov) < 0)
        return -LINUX_EFAULT;
    void *buf = type == NT_PRSTATUS ? (void *)&u : (void *)&fpu;
    size_t size = type == NT_PRSTATUS ? sizeof u : sizeof fpu;
    if (type != NT_PRSTATUS && type != NT_PRFPREG)
        return -LINUX_EINVAL;
    if (type == NT_PRFPREG && sys_thread_regs(t->thread, REGS_FPU_GET, (struct persona_regs *)(void *)&fpu) < 0)
        return -LINUX_ESRCH;
    size = iov.len < size ? iov.len : size;
    if (!set) {
        iov.len = size;
        return mem_out(p, iov.base, buf, size) < 0 || mem_out(p, uiov, &iov, sizeof iov) < 0 ? -LINUX_EFAULT : 0;
    }
    if (mem_in(p, buf, iov.base, size) < 0)
        return -LINUX_EFAULT;
    if (type == NT_PRSTATUS)
        return set_user_regs(&t->pt, &u);
    return sys_thread_regs(t->thread, REGS_FPU_SET, (struct persona_regs *)(void *)&fpu) < 0 ? -LINUX_EINVAL : 0;
}

/* PTRACE_GET_SYSCALL_INFO: the call a syscall stop is in; the size of the whole record. */
static int64_t syscall_info(struct proc *p, struct proc *t, uint64_t size, uint64_t uinfo)
{
    const struct ptrace_state *s = &t->pt;
    struct ptrace_syscall_info_k i;
    memset(&i, 0, sizeof i);
    i.arch = s->call32 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
    i.instruction_pointer = s->regs.rip;
    i.stack_pointer = s->regs.rsp;
    size_t n = offsetof(struct ptrace_syscall_info_k, entry);
    bool sysgood = ((s->status >> 8) & 0xffff) == (SIGTRAP | 0x80); /* as Linux tells a syscall stop */
    if (s->kind == PT_ENTRY && sysgood) {
        i.op = PTRACE_SYSCALL_INFO_ENTRY;
        i.entry.nr = s->orig_rax;
        uint64_t a[6] = {s->regs.rdi, s->regs.rsi, s->regs.rdx, s->regs.r10, s->regs.r8, s->regs.r9};
        uint64_t a32[6] = {(uint32_t)s->regs.rbx, (uint32_t)s->regs.rcx, (uint32_t)s->regs.rdx,
                           (uint32_t)s->regs.rsi, (uint32_t)s->regs.rdi, (uint32_t)s->regs.rbp};
        memcpy(i.entry.args, s->call32 ? a32 : a, sizeof a);
        n = sizeof i;
    } else if (s->kind == PT_EXIT && sysgood) {
        i.op = PTRACE_SYSCALL_INFO_EXIT;
        i.exit.rval = (int64_t)s->regs.rax;
        i.exit.is_error = i.exit.rval < 0 && i.exit.rval >= -4095;
        n = offsetof(struct ptrace_syscall_info_k, exit.is_error) + 1;
    }
    size = size < n ? size : n;
    return mem_out(p, uinfo, &i, size) < 0 ? -LINUX_EFAULT : (int64_t)n;
}

/* The siginfo of t's stop: a signal's own, or the SIGTRAP of a syscall or event stop. */
static int64_t siginfo(struct proc *p, struct proc *t, uint64_t uinfo, bool set)
{
    struct ptrace_state *s = &t->pt;
    if (s->kind == PT_GROUP)
        return -LINUX_EINVAL;
    if (set)
        return mem_in(p, &s->info, uinfo, sizeof s->info) < 0 ? -LINUX_EFAULT : 0;
    /* as the tracee sees itself (Linux's ptrace_do_notify: task_pid_vnr, its user namespace's uid) */
    struct siginfo_k trap = {SIGTRAP, 0, (s->status >> 8) & 0xffff, 0,
                             {.kill = {pidns_vnr(t, t), (int32_t)userns_uid_from(t->cred.userns, t->cred.uid)}}};
    const struct siginfo_k *si = s->kind == PT_SIGNAL ? &s->info : &trap;
    return mem_out(p, uinfo, si, sizeof *si) < 0 ? -LINUX_EFAULT : 0;
}

int64_t ptrace_request(struct proc *p, struct proc *t, uint64_t req, uint64_t addr, uint64_t data)
{
    uint64_t word;
    struct user_regs_k u;
    static struct persona_fpu fpu;
    switch (req) {
    case PTRACE_PEEKTEXT: case PTRACE_PEEKDATA:
        if (mem_in(t, &word, addr, sizeof word) < 0)
            return -LINUX_EIO;
        return mem_out(p, data, &word, sizeof word) < 0 ? -LINUX_EFAULT : 0;
    case PTRACE_POKETEXT: case PTRACE_POKEDATA:
        return mem_out_force(t, addr, &data, sizeof data) < 0 ? -LINUX_EIO : 0;
    case PTRACE_PEEKUSR: case PTRACE_POKEUSR:
        return user_word(p, t, addr, data, req == PTRACE_POKEUSR);
    case PTRACE_GETREGS:
        u = user_regs(&t->pt);
        return mem_out(p, data, &u, sizeof u) < 0 ? -LINUX_EFAULT : 0;
    case PTRACE_SETREGS:
        return mem_in(p, &u, data, sizeof u) < 0 ? -LINUX_EFAULT : set_user_regs(&t->pt, &u);
    case PTRACE_GETFPREGS:
        if (sys_thread_regs(t->thread, REGS_FPU_GET, (struct persona_regs *)(void *)&fpu) < 0)
            return -LINUX_ESRCH;
        return mem_out(p, data, &fpu, sizeof fpu) < 0 ? -LINUX_EFAULT : 0;
    case PTRACE_SETFPREGS:
        if (mem_in(p, &fpu, data, sizeof fpu) < 0)
            return -LINUX_EFAULT;
        return sys_thread_regs(t->thread, REGS_FPU_SET, (struct persona_regs *)(void *)&fpu) < 0 ? -LINUX_EINVAL : 0;
    case PTRACE_GETREGSET: case PTRACE_SETREGSET:
        return regset(p, t, addr, data, req == PTRACE_SETREGSET);
    case PTRACE_GETSIGINFO: case PTRACE_SETSIGINFO:
        return siginfo(p, t, data, req == PTRACE_SETSIGINFO);
    case PTRACE_GETSIGMASK:
        if (addr != sizeof t->sig.mask)
            return -LINUX_EINVAL;
        return mem_out(p, data, &t->sig.mask, sizeof t->sig.mask) < 0 ? -LINUX_EFAULT : 0;
    case PTRACE_SETSIGMASK:
        if (addr != sizeof word)
            return -LINUX_EINVAL;
        if (mem_in(p, &word, data, sizeof word) < 0)
            return -LINUX_EFAULT;
        t->sig.mask = word & ~SIG_UNBLOCKABLE;
        return 0;
    case PTRACE_GET_SYSCALL_INFO:
        return syscall_info(p, t, addr, data);
    case PTRACE_GET_THREAD_AREA: case PTRACE_SET_THREAD_AREA: /* either ABI's tracer, as Linux with IA32 */
        if ((int32_t)addr < 0)
            return -LINUX_EIO;
        return i386_thread_area(p, t->thread, (uint32_t)addr, data, req == PTRACE_SET_THREAD_AREA);
    default:
        return -LINUX_EIO;
    }
}
