/*
 * kernel/seg.c - compatibility mode: a thread's segments (see
 * struct persona_segs).  A thread that runs 32-bit code, or has TLS
 * descriptors (Linux's set_thread_area), is "on": its descriptors go into
 * the GDT's TLS entries and its FS and GS selectors into the registers
 * when it is switched in (the selectors are read back when it is switched
 * out: its own code loads them); DS and ES become the user data segment,
 * which 32-bit code addresses through.  A switch between two threads that
 * are not on does none of this.
 *
 * Entry points: thread_switch_segs (sched.h's load_thread),
 * thread_get_segs and thread_set_segs (sys_task.c).
 * Book: docs/i386.md.
 */
#include "cpu.h"
#include "errno.h"
#include "thread.h"
#include "x86.h"

void thread_switch_segs(struct thread *prev, struct thread *next)
{
    static const uint64_t none[3];
    if (prev->seg.on)
        __asm__ volatile("mov %%fs, %0; mov %%gs, %1" : "=r"(prev->seg.fs), "=r"(prev->seg.gs));
    bool on = next->seg.on;
    cpu_set_tls(on ? next->seg.tls : none);
    uint16_t fs = on ? next->seg.fs : 0, gs = on ? next->seg.gs : 0, ds = SEL_UDATA;
    /* GS's selector loads the user base, which swapgs keeps aside in kernel mode */
    __asm__ volatile("mov %0, %%ds; mov %0, %%es; mov %1, %%fs; swapgs; mov %2, %%gs; swapgs" ::"r"(ds), "r"(fs),
                     "r"(gs));
    if (!fs) /* a null selector may clear the base */
        wrmsr(MSR_FS_BASE, next->fs_base);
    if (gs)
        cpu0.user_gs_loaded = ~0ull; /* unknown: the next 64-bit thread writes its own */
    else
        wrmsr(MSR_KERNEL_GS_BASE, cpu0.user_gs_loaded = next->gs_base);
}

void thread_get_segs(const struct thread *th, struct persona_segs *s)
{
    *s = (struct persona_segs){th->frame->cs == SEL_UCODE32, {th->seg.tls[0], th->seg.tls[1], th->seg.tls[2]},
                               th->seg.fs, th->seg.gs, 0};
}

/* A descriptor a user may have: code or data (S), DPL 3, accessed (the
 * processor need not write it); not present: none. */
static uint64_t user_descriptor(uint64_t d)
{
    if (!(d & 1ull << 47))
        return 0;
    return d | 1ull << 44 | 3ull << 45 | 1ull << 40;
}

/* A selector FS or GS can hold with these TLS entries, else 0. */
static uint16_t user_selector(uint16_t sel, const uint64_t tls[3])
{
    unsigned i = sel >> 3;
    if (sel == SEL_UDATA || sel == SEL_UCODE32 || sel == SEL_UCODE)
        return sel;
    if ((sel & 7) != 3 || i < GDT_TLS || i >= GDT_TLS + 3)
        return 0;
    uint64_t d = tls[i - GDT_TLS];
    bool code = d & 1ull << 43, readable = d & 1ull << 41;
    return d && (!code || readable) ? sel : 0;
}

int thread_set_segs(struct thread *th, const struct persona_segs *s)
{
    if (s->compat > 1 || (s->compat && (th->frame->rip >> 32 || th->frame->rsp >> 32)))
        return -EINVAL; /* iretq would fault in the kernel */
    for (int i = 0; i < 3; i++)
        th->seg.tls[i] = user_descriptor(s->tls[i]);
    th->seg.fs = user_selector(s->fs, th->seg.tls);
    th->seg.gs = user_selector(s->gs, th->seg.tls);
    th->frame->cs = s->compat ? SEL_UCODE32 : SEL_UCODE;
    th->seg.on = s->compat || th->seg.tls[0] || th->seg.tls[1] || th->seg.tls[2];
    th->full_restore = true;
    return 0;
}
