/*
 * libc/crt0.S - entry point of every native Persona program.  The kernel
 * starts the first thread with rsp at argc, followed by argv, NULL, envp,
 * NULL (libc/start.c reads them).
 */
    .text
    .globl _start
_start:
    xorl %ebp, %ebp
    movq %rsp, %rdi
    andq $-16, %rsp
    call __persona_start
    hlt
