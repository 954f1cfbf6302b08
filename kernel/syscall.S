/*
 * kernel/syscall.S - the syscall instruction's entry.  Builds the same
 * struct trap_frame as trap.S (vector VEC_SYSCALL) on the thread's kernel
 * stack and calls syscall_dispatch.  The way out is sysretq, unless the
 * dispatcher asks for iretq: registers were replaced (a pico reply, a
 * register set) or the return address is not canonical, where sysretq
 * would fault in kernel mode.
 */
    .text
    .globl syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:8
    movq %gs:0, %rsp
    pushq $0x1b             /* ss */
    pushq %gs:8             /* rsp */
    pushq %r11              /* rflags */
    pushq $0x23             /* cs */
    pushq %rcx              /* rip */
    pushq $0                /* error */
    pushq $256              /* vector */
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
    cld
    movq %rsp, %rdi
    call syscall_dispatch
    testl %eax, %eax
    jnz trap_return         /* the full restore through iretq */
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
    movq 16(%rsp), %rcx     /* rip */
    movq 32(%rsp), %r11     /* rflags */
    movq 40(%rsp), %rsp     /* user rsp */
    swapgs
    sysretq
