/*
 * kernel/switch.S - switch_context(save_rsp, new_rsp): saves the
 * callee-saved registers on the current kernel stack, stores its stack
 * pointer, and resumes another thread from its saved stack pointer.
 * thread_first_entry is where a new thread's first switch lands.
 */
    .text
    .globl switch_context
switch_context:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

    .globl thread_first_entry
thread_first_entry:
    call sched_finish_switch
    jmp trap_return
