/*
 * kernel/thread.c - thread creation, death and user-mode exceptions.
 *
 * A thread's kernel stack holds its user trap frame at the top and, while
 * it is switched out, the callee-saved context of switch.S below that.  A
 * new thread's context "returns" into thread_first_entry, which leaves for
 * user mode through trap_return.  References: one for being alive (dropped
 * after the switch away from a dead thread), one per handle.
 * Book: docs/objects.md, pico.md (exceptions).
 */
#include "thread.h"
#include "endpoint.h"
#include "errno.h"
#include "heap.h"
#include "notif.h"
#include "pico.h"
#include "pmm.h"
#include "printf.h"
#include "sched.h"
#include "string.h"
#include "task.h"
#include "uvm.h"
#include "vm.h"
#include "x86.h"

extern void thread_first_entry(void);
static uint8_t initial_fpu[512] __attribute__((aligned(16)));
static uint64_t next_tid = 1;

void thread_init(void)
{
    write_cr4(read_cr4() | (1 << 9) | (1 << 10)); /* OSFXSR, OSXMMEXCPT */
    uint32_t mxcsr = 0x1f80;
    __asm__ volatile("fninit; ldmxcsr %1; fxsave64 %0" : "=m"(initial_fpu) : "m"(mxcsr));
}

void thread_get_fpu(struct thread *th, void *fx512)
{
    if (th == current())
        __asm__ volatile("fxsave64 %0" : "=m"(th->fpu)); /* live in the registers */
    memcpy(fx512, th->fpu, sizeof th->fpu);
}

int thread_set_fpu(struct thread *th, const void *fx512)
{
    uint32_t mxcsr, mask;
    memcpy(&mxcsr, (const uint8_t *)fx512 + 24, 4);
    memcpy(&mask, initial_fpu + 28, 4); /* MXCSR_MASK as this processor reports it */
    if (mxcsr & ~(mask ? mask : 0xffbf))
        return -EINVAL; /* fxrstor would fault in the kernel */
    memcpy(th->fpu, fx512, sizeof th->fpu);
    return 0;
}

struct thread *thread_create(struct task *t, uint64_t rip, uint64_t rsp, uint64_t arg, int prio, bool suspended)
{
    struct thread *th = kzalloc(sizeof *th);
    uint64_t stack = pmm_alloc_contig(KSTACK_SIZE / PAGE_SIZE);
    if (!th || !stack) {
        kfree(th);
        for (uint64_t i = 0; stack && i < KSTACK_SIZE / PAGE_SIZE; i++)
            pmm_unref(stack + i * PAGE_SIZE);
        return NULL;
    }
    obj_init(&th->obj, OBJ_THREAD);
    th->kstack = phys_to_virt(stack);
    th->task = t;
    obj_get(&t->obj);
    th->prio = prio < 0 ? 0 : prio >= PRIO_LEVELS ? PRIO_LEVELS - 1 : prio;
    th->tid = next_tid++;
    list_init(&th->sched_link);
    memcpy(th->fpu, initial_fpu, sizeof th->fpu);
    struct trap_frame *f = (struct trap_frame *)((char *)th->kstack + KSTACK_SIZE) - 1;
    memset(f, 0, sizeof *f);
    f->rip = rip;
    f->rsp = rsp;
    f->rdi = arg;
    f->cs = SEL_UCODE;
    f->ss = SEL_UDATA;
    f->rflags = 0x202;
    th->frame = f;
    uint64_t *ctx = (uint64_t *)f - 7;
    memset(ctx, 0, 7 * sizeof *ctx);
    ctx[6] = (uint64_t)thread_first_entry;
    th->kctx = (uint64_t)ctx;
    list_add_tail(&t->threads, &th->task_link);
    if (suspended)
        th->state = TS_SUSPENDED;
    else
        sched_ready(th);
    return th;
}

void thread_kill(struct thread *th)
{
    if (th->state == TS_DEAD)
        return;
    if (th->state == TS_READY)
        sched_unready(th);
    else if (th->state == TS_SLEEP)
        list_del(&th->sched_link);
    else if (th->state == TS_NOTIF)
        notif_cancel(th);
    else if (th->state != TS_SUSPENDED)
        ipc_cancel(th);
    notif_unbind(th);
    if (th->ipcbuf)
        pmm_unref(virt_to_phys(th->ipcbuf));
    th->ipcbuf = NULL;
    list_del(&th->task_link);
    th->state = TS_DEAD;
    if (th->task->pico)
        pico_thread_exited(th);
    if (th == current())
        sched_block(TS_DEAD); /* never returns; reaped after the switch */
    obj_put(&th->obj);
}

void thread_destroy(struct thread *th)
{
    for (uint64_t i = 0; i < KSTACK_SIZE / PAGE_SIZE; i++)
        pmm_unref(virt_to_phys(th->kstack) + i * PAGE_SIZE);
    obj_put(&th->task->obj);
    kfree(th);
}

void thread_get_regs(const struct thread *th, struct persona_regs *r)
{
    const struct trap_frame *f = th->frame;
    *r = (struct persona_regs){f->rax, f->rbx, f->rcx, f->rdx, f->rsi, f->rdi, f->rbp, f->rsp,
                               f->r8,  f->r9,  f->r10, f->r11, f->r12, f->r13, f->r14, f->r15,
                               f->rip, f->rflags, th->fs_base, th->gs_base};
}

int thread_set_regs(struct thread *th, const struct persona_regs *r)
{
    if (r->rip >= USER_TOP || r->fs_base >= USER_TOP || r->gs_base >= USER_TOP ||
        (th->frame->cs == SEL_UCODE32 && r->rip >> 32))
        return -EINVAL; /* iretq or wrmsr would fault in the kernel */
    struct trap_frame *f = th->frame;
    f->rax = r->rax, f->rbx = r->rbx, f->rcx = r->rcx, f->rdx = r->rdx, f->rsi = r->rsi, f->rdi = r->rdi;
    f->rbp = r->rbp, f->rsp = r->rsp, f->r8 = r->r8, f->r9 = r->r9, f->r10 = r->r10, f->r11 = r->r11;
    f->r12 = r->r12, f->r13 = r->r13, f->r14 = r->r14, f->r15 = r->r15, f->rip = r->rip;
    f->rflags = (r->rflags & 0x254dd5) | 0x202; /* user-settable flags, IF on */
    th->fs_base = r->fs_base;
    th->gs_base = r->gs_base;
    th->full_restore = true;
    return 0;
}

void thread_user_exception(struct trap_frame *f)
{
    struct thread *cur = current();
    uint64_t cr2 = f->vector == 1 ? thread_debug_trap(f) : read_cr2(); /* a #DB's DR6 */
    if (f->vector == 14 && (f->error & 3) == 3 && uvm_cow_fault(cur->task, cr2) == 0)
        return; /* copy-on-write resolved */
    if (cur->task->pico) {
        pico_forward(cur, (uint32_t)f->vector, f->error, cr2);
        return;
    }
    kprintf("persona: task %s thread %lu killed: %s (vector %lu, error 0x%lx) at rip 0x%lx, address 0x%lx\n",
            cur->task->name, cur->tid, persona_exception_name(f->vector), f->vector, f->error,
            f->rip, cr2);
    task_kill(cur->task, -(int)f->vector - 128);
}
