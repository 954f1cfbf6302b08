/*
 * kernel/trap.c - trap dispatch and the panic path.
 *
 * trap_dispatch() is called by trap.S for every exception and IRQ.  IRQs go
 * to irq.c; exceptions from user mode go to the faulting thread's handler
 * (thread.c); an exception in kernel mode is a kernel bug and panics with a
 * full register dump and a frame-pointer backtrace, then leaves QEMU
 * through isa-debug-exit, but for a #DB: a thread's data breakpoint on a
 * user address the kernel touched for it (debugreg.c), passed over.
 * Book: docs/boot.md (the panic path), life-of-a-syscall.md.
 */
#include "trap.h"
#include "irq.h"
#include "pico.h"
#include "printf.h"
#include "serial.h"
#include "task.h"
#include "thread.h"
#include "x86.h"
#include <stdbool.h>

extern char __text_start[], __text_end[];

__attribute__((noreturn)) void machine_exit(int code)
{
    cli();
    outb(0xf4, (uint8_t)code); /* isa-debug-exit: QEMU exits with (code << 1) | 1 */
    outw(0x604, 0x2000);       /* not under the test device: ACPI power-off */
    for (;;)
        hlt();
}

static bool kernel_text(uint64_t a) { return a >= (uint64_t)__text_start && a < (uint64_t)__text_end; }

static void backtrace(uint64_t rip, uint64_t rbp)
{
    kprintf("backtrace:\n  %016lx\n", rip);
    for (int depth = 0; depth < 32 && rbp >= 0xffff800000000000ull && !(rbp & 7); depth++) {
        uint64_t *fp = (uint64_t *)rbp;
        if (!kernel_text(fp[1]))
            break;
        kprintf("  %016lx\n", fp[1]);
        rbp = fp[0];
    }
    kprintf("(resolve with: addr2line -f -e build/persona.elf ADDR)\n");
}

__attribute__((noreturn)) void panic_frame(const char *why, const struct trap_frame *f)
{
    cli();
    kprintf("\n*** KERNEL PANIC: %s\n", why);
    kprintf("vector %lu  error 0x%lx  cr2 0x%016lx  cr3 0x%016lx\n", f->vector, f->error, read_cr2(),
            read_cr3());
    kprintf("rip %016lx  cs %04lx  rflags %016lx\n", f->rip, f->cs, f->rflags);
    kprintf("rsp %016lx  ss %04lx\n", f->rsp, f->ss);
    kprintf("rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    kprintf("rsi %016lx  rdi %016lx  rbp %016lx\n", f->rsi, f->rdi, f->rbp);
    kprintf("r8  %016lx  r9  %016lx  r10 %016lx  r11 %016lx\n", f->r8, f->r9, f->r10, f->r11);
    kprintf("r12 %016lx  r13 %016lx  r14 %016lx  r15 %016lx\n", f->r12, f->r13, f->r14, f->r15);
    backtrace(f->rip, f->rbp);
    machine_exit(EXIT_PANIC);
}

__attribute__((noreturn)) void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    struct trap_frame f = {0};
    f.rip = (uint64_t)__builtin_return_address(0);
    f.rbp = (uint64_t)__builtin_frame_address(0);
    panic_frame(buf, &f);
}

void trap_dispatch(struct trap_frame *f)
{
    if (f->vector >= VEC_IRQ0 && f->vector < VEC_IRQ0 + 16)
        irq_dispatch((int)(f->vector - VEC_IRQ0), f);
    else if (f->vector == 0x80 && current()->task->pico)
        pico_forward(current(), PICO_SYSCALL32, 0, 0); /* int 0x80: Linux's i386 call, from either mode */
    else if (f->cs & 3)
        thread_user_exception(f);
    else if (f->vector == 1)
        thread_debug_trap(f); /* on its own stack (trap.S): a user breakpoint or step the kernel's entry hit */
    else
        panic_frame(persona_exception_name(f->vector), f);
    if (f->cs & 3) /* back to user mode, perhaps after a preemption */
        pico_return_to_user(current());
}
