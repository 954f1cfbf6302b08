/*
 * kernel/switch.S - switch_context(save_rsp, new_rsp): saves the
 * callee-saved registers on the current kernel stack, stores its stack
 * pointer, and resumes another thread from its saved stack pointer.
 * thread_first_entry is where a new thread's first switch lands, and a
 * thread that left by handoff_exit.
 * Book: docs/scheduling.md.
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
    call sched_enter_user
    jmp trap_return

/*
 * handoff_exit(save_rsp, ctx, frame, iret): sched_handoff's way out.  Moves
 * to the next thread's trap frame, then writes the previous thread's entry
 * context (the seven words switch_context pops, ending in
 * thread_first_entry) just below its own frame, which is no longer in use,
 * and stores it as its saved stack pointer.  The next thread leaves by
 * sysretq, or by iretq when iret is nonzero.
 */
    .globl handoff_exit
handoff_exit:
    movq %rdx, %rsp
    movq $0, 40(%rsi)       /* rbp: the end of a backtrace */
    movq $thread_first_entry, 48(%rsi)
    movq %rsi, (%rdi)
    testl %ecx, %ecx
    jnz trap_return
    jmp syscall_return
