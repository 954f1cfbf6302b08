/*
 * kernel/cpu.h - descriptor tables (GDT, TSS, IDT) and the per-CPU block
 * that GS points at in kernel mode.  Persona runs on one CPU.
 * Book: docs/boot.md.
 */
#ifndef PERSONA_CPU_H
#define PERSONA_CPU_H
#include <persona/abi.h>
#include <stdint.h>

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1b
#define SEL_UCODE 0x23
#define SEL_TSS 0x28
#define SEL_UCODE32 0x3b /* compatibility mode: 32-bit user code */
#define GDT_TLS 12       /* three TLS entries: a thread's (thread_switch_segs) */

struct thread;

/* Offsets are used by syscall.S. */
struct percpu {
    uint64_t kernel_rsp; /* 0: top of the current thread's kernel stack */
    uint64_t user_rsp;   /* 8: scratch for the syscall entry */
    struct thread *current;
    void *tss_rsp0;                /* the TSS's ring-0 stack slot (unaligned) */
    const uint8_t *iomap_loaded;   /* whose I/O bitmap the TSS holds */
    uint64_t user_gs_loaded;       /* what MSR_KERNEL_GS_BASE holds (0 at boot) */
    uint64_t root_loaded;          /* the address space CR3 holds (vm_activate) */
    struct persona_debug debug_loaded; /* what DR0-3 and DR7 hold (debugreg.c; none at boot) */
    uint8_t notsc_loaded;          /* CR4.TSD (debugreg.c; clear at boot) */
};

extern struct percpu cpu0;

void cpu_init(void);
/* Sets the stack the CPU switches to on a trap from user mode (inline:
 * every context switch does it). */
static inline void cpu_set_kernel_stack(uint64_t top)
{
    __builtin_memcpy(cpu0.tss_rsp0, &top, sizeof top);
    cpu0.kernel_rsp = top;
}
void cpu_load_iobitmap(const uint8_t *map);
/* Writes the three TLS descriptors of the GDT. */
void cpu_set_tls(const uint64_t tls[3]);
/* Loads a task's 8 KiB I/O bitmap into the TSS (NULL: no ports), unless
 * it is there already. */
static inline void cpu_set_iobitmap(const uint8_t *map)
{
    if (map != cpu0.iomap_loaded)
        cpu_load_iobitmap(map);
}

#endif
