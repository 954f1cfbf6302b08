/*
 * kernel/debugreg.c - a thread's debugging controls: its hardware
 * breakpoints (see struct persona_debug), which its personality sets for
 * a debugger (Linux's PTRACE_POKEUSER of u_debugreg), and whether its
 * rdtsc faults.  DR0 to DR3 and DR7 go into
 * the processor when a thread that has them, or one after it, is switched
 * in; a switch between two threads without breakpoints touches nothing.
 * What a breakpoint may be (its length and alignment, Linux's rules) is
 * the personality's policy; the kernel refuses only what would be unsafe:
 * an address in the kernel's half, an I/O breakpoint, the general-detect
 * and reserved bits.
 *
 * A #DB from user mode goes to the personality with DR6 (thread.c); one
 * from kernel mode can only be a data breakpoint on a user address the
 * kernel touched for its thread, and is passed over (trap.c).
 *
 * A thread may also have its time-stamp counter refused (CR4.TSD, Linux's
 * PR_SET_TSC): its rdtsc is then a #GP, which its personality sees.
 *
 * Entry points: thread_switch_debug (sched.h's load_thread),
 * thread_get_debug, thread_set_debug and thread_set_notsc (sys_task.c), thread_debug_trap
 * (thread.c, trap.c).  Book: docs/pico.md.
 */
#include "cpu.h"
#include "errno.h"
#include "string.h"
#include "thread.h"
#include "vm.h"
#include "x86.h"

#define DR7_ENABLES 0xffull          /* L0, G0 ... L3, G3 */
#define DR7_CONTROLS 0xffff0000ull   /* R/W0, LEN0 ... R/W3, LEN3 */
#define DR6_FRESH 0xffff0ff0ull      /* DR6 with no condition recorded */
#define RFLAGS_RF 0x10000ull
#define CR4_TSD 0x4ull               /* rdtsc and rdtscp are #GP in user mode */

static void write_dr(int n, uint64_t v)
{
    switch (n) {
    case 0: __asm__ volatile("mov %0, %%db0" ::"r"(v)); break;
    case 1: __asm__ volatile("mov %0, %%db1" ::"r"(v)); break;
    case 2: __asm__ volatile("mov %0, %%db2" ::"r"(v)); break;
    case 3: __asm__ volatile("mov %0, %%db3" ::"r"(v)); break;
    case 6: __asm__ volatile("mov %0, %%db6" ::"r"(v)); break;
    default: __asm__ volatile("mov %0, %%db7" ::"r"(v)); break;
    }
}

void thread_switch_debug(const struct thread *next)
{
    if (next->notsc != cpu0.notsc_loaded) {
        write_cr4(read_cr4() ^ CR4_TSD);
        cpu0.notsc_loaded = next->notsc;
    }
    if (!memcmp(&next->debug, &cpu0.debug_loaded, sizeof next->debug))
        return; /* its own, or the same breakpoints */
    write_dr(7, 0); /* no breakpoint half set while the addresses change */
    if (next->debug.dr7) {
        for (int i = 0; i < 4; i++)
            write_dr(i, next->debug.addr[i]);
        write_dr(7, next->debug.dr7);
    }
    cpu0.debug_loaded = next->debug;
}

void thread_get_debug(const struct thread *th, struct persona_debug *d) { *d = th->debug; }

int thread_set_debug(struct thread *th, const struct persona_debug *d)
{
    if (d->dr7 & ~(DR7_ENABLES | DR7_CONTROLS))
        return -EINVAL; /* general detect, the slowdown and reserved bits */
    for (int i = 0; i < 4; i++) {
        if (d->addr[i] >= USER_TOP - 8)
            return -EINVAL; /* a breakpoint in the kernel's half */
        if ((d->dr7 >> (16 + 4 * i) & 3) == 2)
            return -EINVAL; /* an I/O breakpoint */
    }
    th->debug = *d;
    return 0;
}

int thread_set_notsc(struct thread *th, uint64_t on)
{
    if (on > 1)
        return -EINVAL;
    th->notsc = on;
    return 0;
}

uint64_t thread_debug_trap(struct trap_frame *f)
{
    uint64_t dr6;
    __asm__ volatile("mov %%db6, %0" : "=r"(dr6));
    write_dr(6, DR6_FRESH); /* the processor never clears it */
    uint64_t dr7 = current()->debug.dr7;
    for (int i = 0; i < 4; i++)
        if ((dr6 >> i & 1) && (dr7 >> (2 * i) & 3) && !(dr7 >> (16 + 4 * i) & 3))
            f->rflags |= RFLAGS_RF; /* an instruction breakpoint: the instruction runs when resumed */
    return dr6;
}
