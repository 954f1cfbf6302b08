/*
 * kernel/frame.h - assembler macros that save and restore the general
 * registers in the order of struct trap_frame (trap.h); used by trap.S and
 * syscall.S, so the two entry paths build one frame layout.
 * Book: docs/life-of-a-syscall.md.
 */
#ifndef PERSONA_FRAME_H
#define PERSONA_FRAME_H

.macro PUSH_GPRS
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
.endm

.macro POP_GPRS
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
.endm

/* The syscall instruction's entry: the kernel's GS and stack, and the
 * hardware frame an interrupt would have pushed (rip from rcx, rflags
 * from r11), with code segment cs. */
.macro SYSCALL_FRAME cs
    swapgs
    movq %rsp, %gs:8
    movq %gs:0, %rsp
    pushq $0x1b             /* ss */
    pushq %gs:8             /* rsp */
    pushq %r11              /* rflags */
    pushq $\cs              /* cs */
    pushq %rcx              /* rip */
.endm

#endif
