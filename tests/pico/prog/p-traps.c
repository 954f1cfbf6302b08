/*
 * tests/pico/prog/p-traps.c - a pico program that raises, on request, each
 * kind of trap a user task can raise.  The provider (tests/native/t-pico.c)
 * starts it with the case number in rdi and checks what it is sent.
 * Freestanding: no C library, no Persona headers.
 */
#include <stdint.h>

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
    register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

static volatile int zero;

/* Where the provider's full-register reply resumes us (case 8). */
void after_regs(void)
{
    uint64_t rbx, fsval;
    __asm__ volatile("mov %%rbx, %0" : "=r"(rbx));
    __asm__ volatile("mov %%fs:0, %0" : "=r"(fsval));
    sys6(2001, (long)rbx, (long)fsval, 0, 0, 0, 0);
    sys6(60, 0, 0, 0, 0, 0, 0);
    for (;;)
        ;
}

void pico_main(long which)
{
    switch (which) {
    case 0: {
        long r = sys6(1000, 1, 2, 3, 4, 5, 6);
        sys6(1001, r, 0, 0, 0, 0, 0);
        sys6(35, 0, 0, 0, 0, 0, 0); /* the native machine_exit number */
        sys6(0, (long)"must not reach the kernel log\n", 30, 0, 0, 0, 0);
        sys6(60, 0, 0, 0, 0, 0, 0);
        break;
    }
    case 1: zero = 10 / zero; break;
    case 2: __asm__ volatile("ud2"); break;
    case 3: __asm__ volatile("hlt"); break;
    case 4: __asm__ volatile("int3"); break;
    case 5: zero = *(volatile int *)0xdead000; break;
    case 6: *(volatile char *)(uintptr_t)pico_main = 0; break;
    case 7: {
        static uint8_t data[16] = {0xc3};
        ((void (*)(void))data)();
        break;
    }
    case 8: sys6(2000, (long)after_regs, 0, 0, 0, 0, 0); break;
    case 9: sys6(3000, 0, 0, 0, 0, 0, 0); break;
    case 10: __asm__ volatile("movabs $0x8000000000000000, %%rsp; pushq %%rax" ::: "memory"); break;
    case 12: {
        uint32_t lo, hi;
        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        uint64_t t0 = (uint64_t)hi << 32 | lo;
        for (int i = 0; i < 10000; i++)
            sys6(1, 0, 0, 0, 0, 0, 0);
        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        sys6(4000, (long)((((uint64_t)hi << 32 | lo) - t0) / 10000), 0, 0, 0, 0, 0);
        sys6(60, 0, 0, 0, 0, 0, 0);
        break;
    }
    case 13:
        sys6(1000, 0, 0, 0, 0, 0, 0); /* to a provider that crashes */
        break;
    case 14: { /* resumed unchanged: a syscall returns its own number, an int3 goes on */
        long r = sys6(5000, 0, 0, 0, 0, 0, 0);
        __asm__ volatile("int3");
        sys6(2001, r, 7, 0, 0, 0, 0);
        sys6(60, 0, 0, 0, 0, 0, 0);
        break;
    }
    case 15: /* restarted: the same call, with the same arguments, traps again */
        sys6(2001, sys6(5001, 11, 22, 0, 0, 0, 0), 0, 0, 0, 0, 0);
        sys6(60, 0, 0, 0, 0, 0, 0);
        break;
    case 16: /* a reply the kernel does not know */
        sys6(5002, 0, 0, 0, 0, 0, 0);
        break;
    case 17: { /* int $0x80 from 64-bit code: an i386 call, its registers 32 bits each */
        long r;
        __asm__ volatile("int $0x80"
                         : "=a"(r)
                         : "a"(0x100000007L), "b"(0xffffffff00000011L), "c"(0x12L), "d"(0x13L), "S"(0x14L), "D"(0x15L)
                         : "memory");
        sys6(2001, r, 0, 0, 0, 0, 0);
        break;
    }
    case 18: /* the syscall instruction in compatibility mode: #UD, as on Intel */
        __asm__ volatile("leaq 1f(%%rip), %%rax\n pushq $0x3b\n pushq %%rax\n lretq\n"
                         ".code32\n 1: syscall\n .code64" ::: "rax", "memory");
        break;
    case 19: /* int $0x80 in compatibility mode (selector 0x3b): the i386 call */
        __asm__ volatile("leaq 1f(%%rip), %%rcx\n pushq $0x3b\n pushq %%rcx\n movl $9, %%eax\n movl $0x21, %%ebx\n"
                         "lretq\n .code32\n 1: int $0x80\n hlt\n .code64" ::: "rax", "rbx", "rcx", "memory");
        break;
    case 11: /* single-step: set TF, and the next instruction traps */
        __asm__ volatile("pushfq; orq $0x100, (%%rsp); popfq; nop" ::: "memory", "cc");
        break;
    }
    sys6(60, 99, 0, 0, 0, 0, 0);
}

__asm__(".globl _start\n"
        "_start:\n"
        "    xorl %ebp, %ebp\n"
        "    andq $-16, %rsp\n"
        "    call pico_main\n"
        "    hlt\n");
