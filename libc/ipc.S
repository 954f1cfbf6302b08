/*
 * libc/ipc.S - persona_ipc: the one IPC stub.  Loads the eight message
 * words into their registers (rdx r10 r8 r9 r12 r13 r14 r15), the endpoint
 * into rdi, the bulk length into rsi and the reply token into rbx, makes
 * the call, and stores the words and the badge/token/length it got back.
 *
 * long persona_ipc(long nr, long ep, long bulk, uint64_t token,
 *                  uint64_t words[8], struct ipc_info *info)
 *
 * ipc_answer_recv, a server's commonest call, is inline asm in
 * <persona/ipc.h> instead.
 */
    .text
    .globl persona_ipc
persona_ipc:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushq %r8               /* words, for the way back */
    pushq %r9               /* info */
    movq %rdi, %rax
    movq %rsi, %rdi
    movq %rdx, %rsi
    movq %rcx, %rbx
    movq %r8, %rbp
    movq 0(%rbp), %rdx
    movq 8(%rbp), %r10
    movq 16(%rbp), %r8
    movq 24(%rbp), %r9
    movq 32(%rbp), %r12
    movq 40(%rbp), %r13
    movq 48(%rbp), %r14
    movq 56(%rbp), %r15
    syscall
    movq 8(%rsp), %rbp
    movq %rdx, 0(%rbp)
    movq %r10, 8(%rbp)
    movq %r8, 16(%rbp)
    movq %r9, 24(%rbp)
    movq %r12, 32(%rbp)
    movq %r13, 40(%rbp)
    movq %r14, 48(%rbp)
    movq %r15, 56(%rbp)
    movq (%rsp), %rcx
    testq %rcx, %rcx
    jz 1f
    movq %rdi, 0(%rcx)
    movq %rbx, 8(%rcx)
    movq %rsi, 16(%rcx)
1:  addq $16, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    ret

