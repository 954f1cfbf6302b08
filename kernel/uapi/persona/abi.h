/*
 * kernel/uapi/persona/abi.h - constants and structs of the native ABI,
 * shared by the kernel and user space (libc, servers, personalities).
 * Every struct here is checked for size and offsets at compile time.
 */
#ifndef PERSONA_UAPI_ABI_H
#define PERSONA_UAPI_ABI_H
#include <stddef.h>
#include <stdint.h>

enum {
#define SYSCALL(nr, name, args, doc) SYS_##name = nr,
#define RETIRED(nr, name, note) SYS_retired_##nr = nr,
#include "syscalls.def"
#undef SYSCALL
#undef RETIRED
    SYS_COUNT
};

/* Handle rights. */
#define R_SEND (1u << 0)   /* endpoint: call; notification: signal */
#define R_RECV (1u << 1)   /* endpoint: receive and reply; notification: wait */
#define R_GRANT (1u << 2)  /* copy or mint this handle */
#define R_MANAGE (1u << 3) /* task/thread: create threads, kill, registers, handles */
#define R_MAP (1u << 4)    /* task: map, unmap, protect, read, write, share, clone */
#define R_IRQ (1u << 5)    /* device: bind its IRQ */
#define R_IOPORT (1u << 6) /* device: use its ports */
#define R_POWER (1u << 7)  /* device: power the machine off */
#define R_ALL 0xffu

/* Handle 0 of every native task is the task itself. */
#define H_SELF 0
/* task_create_named: the longest name. */
#define TASK_NAME_MAX 31

/* Memory protection for mem_map, mem_protect, mem_share. */
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define SHARE_MOVE 0x100 /* mem_share: the source range is unmapped */
#define SHARE_COW 0x200  /* mem_share: the destination gets the frames copy-on-write */

/* task_watch's result for a dead task: TASK_DEAD | (uint32_t)exit code;
 * the code is task_exit's, -9 for task_kill, -(128 + vector) for a fault. */
#define TASK_DEAD (1ull << 32)

/* thread_create: or'd into prio, the thread waits for thread_resume. */
#define THREAD_SUSPENDED 0x100
/* thread_create: or'd into prio, the thread starts in compatibility mode
 * (32-bit code; rip and rsp below 4 GiB). */
#define THREAD_COMPAT 0x200
/* thread_create: or'd into prio, the thread's rdtsc and rdtscp fault
 * (#GP) from its first instruction (thread_regs REGS_TSC_SET changes it). */
#define THREAD_NOTSC 0x800
/* thread_prio: or'd into prio, the thread keeps the processor until it
 * blocks, yields or is preempted by a higher priority: no time slice
 * (SCHED_FIFO's rule); without it, threads of one priority take turns. */
#define THREAD_FIFO 0x400
#define THREAD_QUANTUM_MAX 100 /* thread_prio's longest time slice, in timer ticks: a second */

/* thread_regs operations: the general registers (struct persona_regs),
 * or the FPU and SSE state (struct persona_fpu). */
#define REGS_GET 0
#define REGS_SET 1
#define REGS_FPU_GET 2
#define REGS_FPU_SET 3
#define REGS_SEG_GET 4 /* struct persona_segs */
#define REGS_SEG_SET 5
#define REGS_DEBUG_GET 6 /* struct persona_debug */
#define REGS_DEBUG_SET 7
#define REGS_TSC_SET 9 /* a uint64_t: 1 if the thread's rdtsc and rdtscp are to fault (#GP, CR4.TSD), else 0 */

/* A thread's hardware breakpoints (thread_regs REGS_DEBUG_*): DR0 to DR3
 * and DR7, in the processor's format.  The addresses must lie in the user
 * half; DR7 may hold only the four breakpoints' enable bits and their
 * kinds and lengths, and no I/O breakpoint.  A #DB's trap message carries
 * DR6 in pico_trap.addr. */
struct persona_debug {
    uint64_t addr[4];
    uint64_t dr7;
};
_Static_assert(sizeof(struct persona_debug) == 5 * 8, "persona_debug size");

/* A thread's segments (thread_regs REGS_SEG_*): whether it runs 32-bit
 * code (compatibility mode), its FS and GS selectors, and its three TLS
 * descriptors, GDT entries SEG_TLS_MIN.. (Linux's set_thread_area slots),
 * in the processor's 8-byte format.  A descriptor is made a user code or
 * data one (S and DPL 3 forced) or, not present, zero; a selector that
 * names no usable descriptor becomes 0. */
struct persona_segs {
    uint64_t compat;
    uint64_t tls[3];
    uint16_t fs, gs;
    uint32_t pad;
};
_Static_assert(sizeof(struct persona_segs) == 5 * 8, "persona_segs size");
#define SEG_TLS_MIN 12    /* GDT index of the first TLS entry (as Linux's x86-64) */
#define SEG_USER_DATA 0x1b
#define SEG_USER_CODE32 0x3b

/* The FPU and SSE state in the fxsave format (x87, MXCSR, XMM0-15). */
struct persona_fpu {
    uint8_t fxsave[512];
};

/* IPC: eight message words travel in registers. */
#define IPC_WORDS 8
#define IPC_BUFFER_SIZE 4096
#define BADGE_NOTIFY 0xffffffffffffffffull /* rbx on a notification wake-up */

/* The full user register set of a thread (thread_regs, pico replies). */
struct persona_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags, fs_base, gs_base;
};
_Static_assert(sizeof(struct persona_regs) == 20 * 8, "persona_regs size");
_Static_assert(offsetof(struct persona_regs, rip) == 128, "persona_regs.rip");
_Static_assert(offsetof(struct persona_regs, fs_base) == 144, "persona_regs.fs_base");

/* stats: what to read. */
#define STATS_MEMORY 0   /* struct persona_memstats */
#define STATS_CPU 1      /* struct persona_cputimes */
#define STATS_TASK_MEM 2 /* struct persona_taskmem */
#define STATS_CLOCK 3    /* struct persona_clock */

/* STATS_MEMORY */
struct persona_memstats {
    uint64_t total_bytes, free_bytes;
};
_Static_assert(sizeof(struct persona_memstats) == 16, "persona_memstats size");

/* STATS_TASK_MEM: a task's pages in memory, in bytes. */
struct persona_taskmem {
    uint64_t resident_bytes, shared_bytes;
};
_Static_assert(sizeof(struct persona_taskmem) == 16, "persona_taskmem size");

/* STATS_CLOCK: the kernel's clock (clock_ns) from the TSC, which user mode
 * may read as well: ns since boot = ((rdtsc - tsc0) * mult) >> 32, the
 * product taken in 128 bits. */
struct persona_clock {
    uint64_t tsc0, mult;
};
_Static_assert(sizeof(struct persona_clock) == 16, "persona_clock size");

/* TSC counts as ns, by the clock's rate; and the clock at TSC value tsc.
 * The one formula the kernel, the servers and the Linux vDSO all use (its
 * 32-bit image, built without 128-bit integers, computes it in halves). */
#ifdef __SIZEOF_INT128__
static inline uint64_t persona_tsc_ns(const struct persona_clock *c, uint64_t counts)
{
    return (uint64_t)(((unsigned __int128)counts * c->mult) >> 32);
}
static inline uint64_t persona_clock_ns(const struct persona_clock *c, uint64_t tsc)
{
    return persona_tsc_ns(c, tsc - c->tsc0);
}
#endif
/* The TSC, ordered after the loads before it. */
static inline uint64_t persona_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* STATS_CPU: timer ticks (hz a second) a thread, or the machine, spent. */
struct persona_cputimes {
    uint64_t user, kernel, idle; /* idle: the machine's only */
    uint64_t hz;
};
_Static_assert(sizeof(struct persona_cputimes) == 32, "persona_cputimes size");

/* ---- The root task (see docs/boot.md) ---- */

/* The root task (the boot module named init) holds the root device at
 * handle 1, and finds at BOOT_INFO_VA this table and after it the modules,
 * read-only (past a module's end, its last page is zero). */
#define H_ROOT_DEVICE 1
#define BOOT_INFO_VA 0x0000200000000000ull
#define BOOT_MODULES_MAX 16
#define BOOT_CMDLINE_MAX 512

struct persona_bootmod {
    uint64_t va, len;               /* where the root task sees it; its size in bytes */
    char cmdline[BOOT_CMDLINE_MAX]; /* its GRUB command line, NUL-terminated */
};

struct persona_bootinfo {
    uint32_t nmods;                 /* entries in mods */
    uint32_t self;                  /* the root task's own module */
    char cmdline[BOOT_CMDLINE_MAX]; /* the kernel's command line */
    struct persona_bootmod mods[BOOT_MODULES_MAX];
};
_Static_assert(sizeof(struct persona_bootmod) == 16 + BOOT_CMDLINE_MAX, "persona_bootmod size");
_Static_assert(offsetof(struct persona_bootinfo, mods) == 8 + BOOT_CMDLINE_MAX, "persona_bootinfo.mods");

/* ---- Pico forwarding (see docs/pico.md) ---- */

/* w0 of a trap message: a CPU vector 0..31, or one of these. */
#define PICO_SYSCALL 256
#define PICO_INTERRUPT 257 /* thread_interrupt: registers untouched; reply PICO_RESUME_REGS */
#define PICO_SYSCALL32 258 /* int 0x80: words eax ebx ecx edx esi edi ebp (zero-extended) */
#define PICO_EV_THREAD_EXIT 512 /* lifecycle: badge = thread's badge */
#define PICO_EV_TASK_DIED 513   /* lifecycle: badge = task's badge */

/* pico_provide's flags. */
#define PICO_TIMED 1 /* stamp every trap's times in struct pico_trap */

/* A trap message: rdi = the thread's badge, rbx = reply token, words
 * w0 kind, w1 rax, w2 rdi, w3 rsi, w4 rdx, w5 r10, w6 r8, w7 r9, and this
 * struct in the provider thread's IPC buffer: what the words do not carry. */
struct pico_trap {
    uint64_t error;        /* exception error code */
    uint64_t addr;         /* page fault: CR2 */
    uint64_t rip, rsp, rflags;
    uint64_t task_badge;   /* the task's badge (pico_task_create) */
    /* With PICO_TIMED only (else undefined): the TSC at the trap, and when
     * this thread last went back to user mode after a reply (0: never). */
    uint64_t tsc, resumed;
};
_Static_assert(sizeof(struct pico_trap) == 8 * 8, "pico_trap size");
_Static_assert(offsetof(struct pico_trap, task_badge) == 40, "pico_trap.task_badge");
_Static_assert(offsetof(struct pico_trap, resumed) == 56, "pico_trap.resumed");

/* w0 of the reply. */
#define PICO_RESUME 0           /* w1 -> rax, then resume */
#define PICO_RESUME_REGS 1      /* IPC buffer holds a struct persona_regs */
#define PICO_KILL_THREAD 2
#define PICO_KILL_TASK 3        /* w1: exit code, reported in TASK_DIED */
#define PICO_RESUME_UNCHANGED 4 /* resume with every register as it was */
#define PICO_RESTART 5          /* a syscall runs again (rip back over it); else as UNCHANGED */

/* Page-fault error code bits (pico_trap.error for vector 14). */
#define PF_PRESENT 1
#define PF_WRITE 2
#define PF_USER 4
#define PF_FETCH 16

/* A CPU vector's mnemonic and name, for logs and tracers: "#PF page fault". */
static inline const char *persona_exception_name(uint64_t vector)
{
    static const char *const names[32] = {
        "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound range",
        "#UD invalid opcode", "#NM device not available", "#DF double fault", "#09 coprocessor overrun",
        "#TS invalid TSS", "#NP segment not present", "#SS stack fault", "#GP general protection",
        "#PF page fault", "#15 reserved", "#MF x87 error", "#AC alignment check", "#MC machine check",
        "#XM SIMD error", "#VE virtualization", "#CP control protection"};
    return vector < 32 && names[vector] ? names[vector] : "? exception";
}

#endif
