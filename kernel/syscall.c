/*
 * kernel/syscall.c - the syscall entry's C half: the dispatch table built
 * from syscalls.def, pico forwarding, the fast path, and handle
 * installation.  A retired call number answers -ENOSYS.
 * Book: docs/abi.md, docs/life-of-a-syscall.md.
 */
#define SYSCALL_TABLE /* the generated call_NAME entries */
#include "syscall.h"
#include "cpu.h"
#include "errno.h"
#include "fastpath.h"
#include "pico.h"
#include "printf.h"
#include "task.h"
#include "thread.h"
#include "vm.h"
#include "x86.h"

extern void syscall_entry(void), syscall32_entry(void);

typedef int64_t (*sys_fn)(u64, u64, u64, u64, u64, u64);

static int64_t sys_retired(u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
{
    (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
    return -ENOSYS;
}

static const sys_fn sys_table[SYS_COUNT] = {
#define SYSCALL(nr, name, args, doc) [nr] = call_##name, /* doc */
#define RETIRED(nr, name, note) [nr] = sys_retired,     /* note */
#include <persona/syscalls.def>
#undef SYSCALL
#undef RETIRED
};

void syscall_init(void)
{
    wrmsr(MSR_STAR, (uint64_t)SEL_KCODE << 32 | (uint64_t)(SEL_KDATA | 3) << 48);
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_CSTAR, (uint64_t)syscall32_entry); /* compatibility mode's: #UD (trap.S) */
    wrmsr(MSR_FMASK, 0x47700); /* IF, TF, DF, AC, NT, IOPL cleared on entry */
}

/* A native task's call: the fast path, or the table. */
static __attribute__((noinline)) int native_syscall(struct thread *th, struct trap_frame *f)
{
    th->full_restore = false;
    u64 nr = f->rax;
    if (nr >= SYS_COUNT) {
        f->rax = (u64)-ENOSYS;
        return 0;
    }
    if (ipc_fastpath)
        fastpath_ipc(nr, f); /* no return, if it applies */
    int64_t r = sys_table[nr](f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9);
    if (!th->full_restore) /* a register set replaces the result */
        f->rax = (u64)r;
    return th->full_restore;
}

/* Returns nonzero when the way out must be iretq.  A pico thread's call
 * is forwarded, whatever its number. */
int syscall_dispatch(struct trap_frame *f)
{
    struct thread *th = current();
    if (th->task->pico)
        return pico_syscall(th);
    return native_syscall(th, f); /* a syscall's own rip is canonical (USER_END) */
}

int64_t sys_install(struct kobject *o, uint32_t rights, uint64_t badge)
{
    int h = handle_install(&current()->task->handles, o, rights, badge);
    obj_put(o);
    return h;
}
