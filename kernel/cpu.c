/*
 * kernel/cpu.c - builds the GDT (with the TSS), the IDT, and the per-CPU
 * block; turns on SMEP/SMAP where the CPU has them.  Called once at boot.
 * Selector order is fixed by syscall/sysret: kernel code, kernel data,
 * user data, user code; then the TSS, the 32-bit user code of
 * compatibility mode, and the three TLS entries (GDT_TLS) a thread of it
 * brings.  Vector 0x80 (int 0x80, Linux's i386 call) is open to user mode.
 * Book: docs/boot.md.
 */
#include "cpu.h"
#include "string.h"
#include "x86.h"
#include <stddef.h>

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3, iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS layout");
_Static_assert(offsetof(struct tss, rsp) == 4, "TSS rsp0, which cpu0.tss_rsp0 points at");

struct idt_entry {
    uint16_t off_lo, sel;
    uint8_t ist, type;
    uint16_t off_mid;
    uint32_t off_hi, zero;
} __attribute__((packed));

/* The TSS and its I/O permission bitmap (all ports closed unless the
 * running task holds a port grant: cpu_set_iobitmap). */
static struct {
    struct tss tss;
    uint8_t iomap[8192];
    uint8_t end; /* the CPU reads one byte past the bitmap */
} __attribute__((packed)) tss_io;
#define tss tss_io.tss

struct percpu cpu0;
static uint64_t gdt[GDT_TLS + 3];
static struct idt_entry idt[0x81];
static uint8_t df_stack[4096] __attribute__((aligned(16)));
static uint8_t db_stack[4096] __attribute__((aligned(16))); /* #DB's (trap.S's debug_entry) */
extern const uint64_t trap_stubs[48];
extern char isr_128[];

static void load_gdt(void)
{
    gdt[1] = 0x00af9a000000ffff; /* kernel code */
    gdt[2] = 0x00cf92000000ffff; /* kernel data */
    gdt[3] = 0x00cff2000000ffff; /* user data */
    gdt[4] = 0x00affa000000ffff; /* user code */
    uint64_t base = (uint64_t)&tss_io, limit = sizeof tss_io - 1;
    gdt[5] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ull << 40 | ((limit >> 16) & 0xf) << 48 |
             ((base >> 24) & 0xff) << 56;
    gdt[6] = base >> 32;
    gdt[SEL_UCODE32 >> 3] = 0x00cffa000000ffff;
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) ptr = {sizeof gdt - 1, (uint64_t)gdt};
    __asm__ volatile("lgdt %0\n"
                     "pushq $0x08\n"
                     "leaq 1f(%%rip), %%rax\n"
                     "pushq %%rax\n"
                     "lretq\n"
                     "1: mov $0x10, %%ax\n"
                     "mov %%ax, %%ds\n"
                     "mov %%ax, %%es\n"
                     "mov %%ax, %%ss\n"
                     "ltr %w1\n" ::"m"(ptr),
                     "r"(SEL_TSS)
                     : "rax", "memory");
}

static void load_idt(void)
{
    for (int v = 0; v < 0x81; v++) {
        uint64_t a = v < 48 ? trap_stubs[v] : (uint64_t)isr_128;
        idt[v] = (struct idt_entry){(uint16_t)a, SEL_KCODE, v == 8 ? 1 : v == 1 ? 2 : 0, v < 48 || v == 0x80 ? 0x8e : 0,
                                    (uint16_t)(a >> 16), (uint32_t)(a >> 32), 0};
    }
    idt[3].type = idt[0x80].type = 0xee; /* int3 and int 0x80 are allowed from user mode */
    tss.ist[0] = (uint64_t)df_stack + sizeof df_stack;
    tss.ist[1] = (uint64_t)db_stack + sizeof db_stack;
    tss.iomap_base = sizeof tss;
    memset(tss_io.iomap, 0xff, sizeof tss_io.iomap + 1);
    cpu0.tss_rsp0 = (char *)&tss_io + 4; /* struct tss: rsp[0] follows reserved0 */
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) ptr = {sizeof idt - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" ::"m"(ptr));
}

static void enable_protections(void)
{
    uint32_t r[4];
    cpuid(0, 0, r);
    if (r[0] < 7)
        return;
    cpuid(7, 0, r);
    uint64_t cr4 = read_cr4();
    if (r[1] & (1u << 7))
        cr4 |= 1ull << 20; /* SMEP */
    if (r[1] & (1u << 20))
        cr4 |= 1ull << 21; /* SMAP */
    write_cr4(cr4);
}

void cpu_init(void)
{
    load_gdt();
    load_idt();
    enable_protections();
    wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void cpu_set_tls(const uint64_t tls[3]) { memcpy(&gdt[GDT_TLS], tls, 3 * sizeof *tls); }

void cpu_load_iobitmap(const uint8_t *map)
{
    if (map)
        memcpy(tss_io.iomap, map, sizeof tss_io.iomap);
    else
        memset(tss_io.iomap, 0xff, sizeof tss_io.iomap);
    cpu0.iomap_loaded = map;
}
