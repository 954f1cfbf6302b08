/*
 * kernel/trap.S - interrupt and exception entry stubs.  Each stub pushes an
 * error code (a zero where the CPU pushes none) and its vector, then
 * trap_common saves the general registers as a struct trap_frame, switches
 * GS to the kernel's when coming from user mode, and calls trap_dispatch.
 * trap_return is also where new threads first enter user mode.  A #DB
 * goes through debug_entry first (its own stack, below).
 * syscall32_entry takes the syscall instruction in compatibility mode
 * (MSR_CSTAR), which Intel's processors refuse: an invalid opcode here too.
 * Book: docs/life-of-a-syscall.md (a page fault).
 */
#include "frame.h"
    .text
.macro STUB vec
isr_\vec:
    .if (\vec == 8 || \vec == 10 || \vec == 11 || \vec == 12 || \vec == 13 || \vec == 14 || \vec == 17 || \vec == 21 || \vec == 29 || \vec == 30)
    .else
    pushq $0
    .endif
    pushq $\vec
    .if \vec == 1
    jmp debug_entry
    .else
    jmp trap_common
    .endif
.endm

.altmacro
.macro STUBS from, to
    STUB \from
    .if \to-\from
    STUBS %(\from+1), \to
    .endif
.endm
    STUBS 0, 47
    .globl isr_128
    STUB 128                /* int 0x80: Linux's i386 system call */

    .globl syscall32_entry
syscall32_entry:
    subq $2, %rcx           /* rip back onto the instruction */
    SYSCALL_FRAME 0x3b
    pushq $0
    pushq $6                /* #UD */
    swapgs                  /* trap_common swaps again: it came from user mode */

/* #DB comes on a stack of its own (IST 2): after MOV SS, one can come at
 * the syscall entry's first instruction, whose stack is still the user's
 * (CVE-2018-8897).  From kernel mode it is handled there (trap.c passes
 * it over); from user mode its frame moves to the thread's kernel stack,
 * where the processor puts any other trap's, since the thread may block
 * in its handler. */
debug_entry:
    testb $3, 24(%rsp)
    jz trap_common
    pushq %rax
    pushq %rcx
    movq cpu0(%rip), %rax   /* cpu0.kernel_rsp */
    subq $56, %rax          /* the vector, the error code and the processor's five words */
    .irp w, 0, 8, 16, 24, 32, 40, 48
    movq 16+\w(%rsp), %rcx
    movq %rcx, \w(%rax)
    .endr
    popq %rcx
    xchgq %rax, (%rsp)      /* rax back, the new stack's top in its place */
    popq %rsp

trap_common:
    testb $3, 24(%rsp)
    jz 1f
    swapgs
1:  PUSH_GPRS
    cld
    mov %rsp, %rdi
    call trap_dispatch
    .globl trap_return
trap_return:
    POP_GPRS
    testb $3, 24(%rsp)
    jz 2f
    cli
    swapgs
2:  add $16, %rsp
    iretq

.macro ADDR vec
    .quad isr_\vec
.endm
.macro ADDRS from, to
    ADDR \from
    .if \to-\from
    ADDRS %(\from+1), \to
    .endif
.endm
    .section .rodata
    .globl trap_stubs
trap_stubs:
    ADDRS 0, 47
