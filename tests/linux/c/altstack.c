/*
 * tests/linux/c/altstack.c - sigaltstack's flags as Linux keeps them: the
 * frame's uc_stack holds the flags as last set (SS_DISABLE, SS_AUTODISARM),
 * not whether the handler runs on the stack; the old
 * state says SS_ONSTACK there; a stack set by a handler on the ordinary
 * stack is undone by sigreturn unless the frame's cannot be set (too small);
 * SS_AUTODISARM, kept in the flags, runs the handler on the stack and
 * disarms it until sigreturn, so a nested handler may set another;
 * SS_ONSTACK as a mode (raw call: musl refuses it) taken as 0; the errors,
 * EPERM on the stack, EINVAL, ENOMEM, and EFAULT for a bad old pointer
 * with the new stack set all the same.  Also built -m32 (i386 frames).
 */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif
#define SIZE 65536

static char stacks[3][SIZE];
static int depth;

/* which of the stacks p is on, or -1 */
static int which(const void *p)
{
    for (int i = 0; i < 3; i++)
        if ((const char *)p >= stacks[i] && (const char *)p < stacks[i] + SIZE)
            return i;
    return -1;
}

static void show(const char *what, const stack_t *s)
{
    printf("%s: stack %d flags %#x size %lu\n", what, s->ss_sp ? which(s->ss_sp) : -1, (unsigned)s->ss_flags,
           (unsigned long)s->ss_size);
}

static void handler(int sig, siginfo_t *si, void *uc_)
{
    ucontext_t *uc = uc_;
    int here;
    stack_t now, set = {stacks[2], 0, SIZE};
    (void)si;
    printf("  handler %d on stack %d\n", sig, which(&here));
    show("  uc_stack", &uc->uc_stack);
    sigaltstack(NULL, &now);
    show("  now", &now);
    int r = sigaltstack(&set, NULL);
    printf("  set stack 2 = %d %s\n", r, r ? errno_name(errno) : "");
    if (sig == SIGUSR1 && depth++ == 0)
        raise(SIGUSR2);
}

/* sets the stack, then a signal, then what is left */
static void round_with(const char *what, int index, unsigned flags, int nested)
{
    stack_t s = {index < 0 ? NULL : stacks[index], (int)flags, SIZE}, now;
    printf("%s\n", what);
    CHECK(sigaltstack(&s, NULL));
    sigaltstack(NULL, &now);
    show(" set", &now);
    depth = nested ? 0 : 1;
    raise(SIGUSR1);
    sigaltstack(NULL, &now);
    show(" after", &now);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa = {0};
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);

    round_with("stack 0", 0, 0, 1);
    round_with("SS_AUTODISARM", 0, SS_AUTODISARM, 1);
    round_with("SS_DISABLE | SS_AUTODISARM", 0, SS_DISABLE | SS_AUTODISARM, 0);
    round_with("SS_DISABLE", 0, SS_DISABLE, 1);

    stack_t s = {stacks[1], SS_ONSTACK, SIZE}, old;
    CHECK(syscall(SYS_sigaltstack, &s, NULL));
    sigaltstack(NULL, &old);
    show("SS_ONSTACK as the mode", &old);
    s.ss_flags = SS_ONSTACK | SS_AUTODISARM;
    CHECK(syscall(SYS_sigaltstack, &s, NULL));
    sigaltstack(NULL, &old);
    show("SS_ONSTACK | SS_AUTODISARM", &old);
    s.ss_flags = 4;
    CHECK(syscall(SYS_sigaltstack, &s, NULL));
    s.ss_flags = SS_DISABLE | SS_ONSTACK;
    CHECK(syscall(SYS_sigaltstack, &s, NULL));
    s.ss_flags = 0, s.ss_size = MINSIGSTKSZ - 1;
    CHECK(syscall(SYS_sigaltstack, &s, NULL));
    s.ss_flags = SS_DISABLE, s.ss_size = 1; /* a disabled one's size is not checked */
    CHECK(syscall(SYS_sigaltstack, &s, NULL));
    s = (stack_t){stacks[0], 0, SIZE};
    CHECK(syscall(SYS_sigaltstack, &s, (void *)8));
    sigaltstack(NULL, &old);
    show("set despite the bad old pointer", &old);
    CHECK(syscall(SYS_sigaltstack, (void *)8, NULL));
    return 0;
}
