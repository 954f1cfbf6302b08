/*
 * kernel/syscall.c - the syscall entry's C half: the dispatch table built
 * from syscalls.def, pico redirection, and handle resolution.
 */
#include "syscall.h"
#include "cpu.h"
#include "errno.h"
#include "pico.h"
#include "printf.h"
#include "task.h"
#include "thread.h"
#include "vm.h"
#include "x86.h"

extern void syscall_entry(void);

typedef int64_t (*sys_fn)(u64, u64, u64, u64, u64, u64);

static const sys_fn sys_table[SYS_COUNT] = {
#define SYSCALL(nr, name, args, doc) [nr] = sys_##name, /* doc */
#include <persona/syscalls.def>
#undef SYSCALL
};

/* The names native-call tracing prints (trace=TASKNAME on the command line). */
static const char *const sys_names[SYS_COUNT] = {
#define SYSCALL(nr, name, args, doc) [nr] = #name,
#include <persona/syscalls.def>
#undef SYSCALL
};

void syscall_init(void)
{
    wrmsr(MSR_STAR, (uint64_t)SEL_KCODE << 32 | (uint64_t)(SEL_KDATA | 3) << 48);
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_FMASK, 0x47700); /* IF, TF, DF, AC, NT, IOPL cleared on entry */
}

/* Native-call tracing, after the call: the arguments are still in the
 * frame (a call that replaced the registers shows the new ones). */
static __attribute__((noinline)) void trace_native(struct thread *th, const struct trap_frame *f, u64 nr, int64_t r)
{
    kprintf("[trace native] task %s thread %lu: %s(0x%lx, 0x%lx, 0x%lx, ...) = %ld\n", th->task->name, th->tid,
            sys_names[nr], f->rdi, f->rsi, f->rdx, r);
}

/* Returns nonzero when the way out must be iretq. */
int syscall_dispatch(struct trap_frame *f)
{
    struct thread *th = current();
    th->full_restore = false;
    if (th->task->pico) {
        pico_forward(th, PICO_SYSCALL, 0, 0);
        if (th->interrupt_pending)
            pico_check_interrupt(th);
    } else if (f->rax >= SYS_COUNT) {
        f->rax = (u64)-ENOSYS;
    } else {
        u64 nr = f->rax;
        if (nr == SYS_ipc_reply_recv && pico_fastpath)
            sys_ipc_answer_fast(f);
        int64_t r = sys_table[nr](f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9);
        th = current();
        if (!th->full_restore) /* a register set replaces the result */
            f->rax = (u64)r;
        if (th->task->trace)
            trace_native(th, f, nr, r);
    }
    return th->full_restore; /* a syscall's own rip is canonical (USER_END) */
}

int64_t sys_install(struct kobject *o, uint32_t rights, uint64_t badge)
{
    int h = handle_install(&current()->task->handles, o, rights, badge);
    obj_put(o);
    return h;
}
