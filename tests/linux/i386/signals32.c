/*
 * tests/linux/i386/signals32.c - signals in the i386 frames: the old
 * sigaction (its own struct, a restorer that calls sigreturn) and its
 * non-RT frame, whose sigcontext a handler changes (the interrupted call's
 * result); rt_sigaction with SA_SIGINFO, siginfo's fields and a ucontext
 * register changed the same way (rt_sigreturn); the old sigprocmask and
 * sigpending with their 32-bit masks; a handler on an alternate stack; and
 * a NULL dereference's SIGSEGV left by siglongjmp.  Built gcc -m32
 * -static; the output must equal the host Linux's running the same binary.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <unistd.h>
#include "../c/check.h"

struct old_sigaction {
    void (*handler)(int);
    unsigned long mask, flags;
    void (*restorer)(void);
};
#define OLD_SA_RESTORER 0x04000000

/* what Linux's own i386 restorers do: drop the signal number, sigreturn */
void restore_old(void);
__asm__(".globl restore_old\nrestore_old:\n\tpopl %eax\n\tmovl $119, %eax\n\tint $0x80\n");

static volatile int hits;

static void old_handler(int sig, struct sigcontext sc)
{
    volatile struct sigcontext *p = &sc;
    hits += sig;
    p->eax = 43;   /* what the interrupted kill returns */
}

static void rt_handler(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    printf("  handler: signo %d code %d own pid %d\n", si->si_signo, si->si_code, si->si_pid == getpid());
    uc->uc_mcontext.gregs[REG_EAX] = 42;
    hits += sig;
}

static char altstack[16384];

static void alt_handler(int sig)
{
    char here;
    printf("  handler on the alternate stack: %d\n", &here > altstack && &here < altstack + sizeof altstack);
    hits += sig;
}

static sigjmp_buf back;
static volatile int *volatile nowhere = (int *)8;

static void segv_handler(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    printf("  SIGSEGV: signo %d at address %p\n", sig, si->si_addr);
    siglongjmp(back, 1);
}

static void old_frames(void)
{
    struct old_sigaction sa = {(void (*)(int))old_handler, 0, OLD_SA_RESTORER, restore_old}, old;
    CHECK(syscall(SYS_sigaction, SIGUSR1, &sa, NULL));
    CHECK(syscall(SYS_sigaction, SIGUSR1, NULL, &old));
    printf("  read back: same handler %d, flags %#lx\n", old.handler == sa.handler, old.flags);
    CHECK(syscall(SYS_kill, getpid(), SIGUSR1));
    printf("  hits %d\n", hits);
    unsigned long set = 1ul << (SIGUSR1 - 1), was = 0, pending = 0;
    CHECK(syscall(SYS_sigprocmask, SIG_BLOCK, &set, &was));
    CHECK(syscall(SYS_kill, getpid(), SIGUSR1));
    CHECK(syscall(SYS_sigpending, &pending));
    printf("  pending mask %#lx, hits %d\n", pending, hits);
    CHECK(syscall(SYS_sigprocmask, SIG_UNBLOCK, &set, NULL));
    printf("  after unblocking: hits %d\n", hits);
    CHECK(syscall(SYS_sigaction, 64, &sa, NULL));
    CHECK(syscall(SYS_sigaction, SIGKILL, &sa, NULL));
}

static void rt_frames(void)
{
    struct sigaction sa = {0};
    sa.sa_sigaction = rt_handler;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGUSR2, &sa, NULL));
    CHECK(syscall(SYS_kill, getpid(), SIGUSR2));
    CHECK(syscall(SYS_tgkill, getpid(), getpid(), SIGUSR2));
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    CHECK(sigaltstack(&ss, NULL));
    struct sigaction alt = {0};
    alt.sa_handler = alt_handler;
    alt.sa_flags = SA_ONSTACK;
    CHECK(sigaction(SIGHUP, &alt, NULL));
    CHECK(raise(SIGHUP));
    struct sigaction segv = {0};
    segv.sa_sigaction = segv_handler;
    segv.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGSEGV, &segv, NULL));
    if (!sigsetjmp(back, 1))
        printf("  read %d\n", *nowhere);
    printf("  back after SIGSEGV, hits %d\n", hits);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    old_frames();
    rt_frames();
    return 0;
}
