/*
 * kernel/trap.h - the saved register frame of every kernel entry
 * (exceptions, IRQs and syscalls build the same layout), and trap dispatch.
 * Book: docs/life-of-a-syscall.md.
 */
#ifndef PERSONA_TRAP_H
#define PERSONA_TRAP_H
#include <stdint.h>

struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap_frame layout is shared with trap.S");

#define VEC_IRQ0 32
#define VEC_SYSCALL 256 /* pseudo-vector: entered through the syscall instruction */

void trap_dispatch(struct trap_frame *f);
/* Prints the frame, registers and a backtrace, then stops the machine. */
__attribute__((noreturn)) void panic_frame(const char *why, const struct trap_frame *f);
__attribute__((noreturn)) void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Leaves QEMU through isa-debug-exit with status (code << 1) | 1. */
__attribute__((noreturn)) void machine_exit(int code);

#define EXIT_PANIC 0x7e
#define EXIT_NO_INIT 0x7d /* no root task could start */

#endif
