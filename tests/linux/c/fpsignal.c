/*
 * tests/linux/c/fpsignal.c - a signal handler that runs in the middle of
 * user code (a trap, not a system call) and uses the FPU and SSE
 * registers must not change the interrupted code's: XMM registers, the x87
 * stack and the SSE rounding mode come back from rt_sigreturn.  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <fenv.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void clobber(int sig)
{
    (void)sig;
    volatile double x = 1.0;
    for (int i = 0; i < 10; i++)
        x = x * 3.7 + 0.1;
    fesetround(FE_TONEAREST);
    __asm__ volatile("pxor %%xmm0, %%xmm0\n\tpcmpeqd %%xmm1, %%xmm1\n\tfninit" ::: "xmm0", "xmm1");
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = clobber;
    sigaction(SIGTRAP, &sa, NULL);

    uint64_t in0 = 0x0123456789abcdefull, in1 = 0x1122334455667788ull, out0, out1;
    __asm__ volatile("movq %2, %%xmm0\n\tmovq %3, %%xmm1\n\tint3\n\tmovq %%xmm0, %0\n\tmovq %%xmm1, %1"
                     : "=r"(out0), "=r"(out1)
                     : "r"(in0), "r"(in1)
                     : "xmm0", "xmm1");
    printf("xmm0 kept %d, xmm1 kept %d\n", out0 == in0, out1 == in1);

    fesetround(FE_TOWARDZERO);
    __asm__ volatile("int3");
    printf("rounding mode kept %d\n", fegetround() == FE_TOWARDZERO);
    fesetround(FE_TONEAREST);

    long double a = 2.5L, b;
    __asm__ volatile("fldt %1\n\tint3\n\tfstpt %0" : "=m"(b) : "m"(a));
    printf("x87 stack kept %d\n", b == a);
    return 0;
}
