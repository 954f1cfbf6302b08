/*
 * kernel/syscall.S - the syscall instruction's entry.  Builds the same
 * struct trap_frame as trap.S (vector VEC_SYSCALL) on the thread's kernel
 * stack and calls syscall_dispatch.  The way out is sysretq, unless the
 * dispatcher asks for iretq: registers were replaced (a pico reply, a
 * register set).  The return address of a syscall itself is always
 * canonical, where sysretq is safe: user mode maps nothing at or above
 * USER_END (vm.h), a page short of the non-canonical hole.
 * Book: docs/life-of-a-syscall.md.
 */
#include "frame.h"
    .text
    .globl syscall_entry
syscall_entry:
    SYSCALL_FRAME 0x23
    pushq $0                /* error */
    pushq $256              /* vector */
    PUSH_GPRS               /* DF is clear: MSR_FMASK clears it on entry */
    movq %rsp, %rdi
    call syscall_dispatch
    testl %eax, %eax
    jnz trap_return         /* the full restore through iretq */
    .globl syscall_return
syscall_return:
    POP_GPRS
    movq 16(%rsp), %rcx     /* rip */
    movq 32(%rsp), %r11     /* rflags */
    movq 40(%rsp), %rsp     /* user rsp */
    swapgs
    sysretq
