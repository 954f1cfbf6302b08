/*
 * tests/linux/c/signals.c - signal semantics: the order pending signals
 * are delivered in, the mask while a handler runs (its own signal and
 * sa_mask), SA_NODEFER, SA_RESETHAND, SA_RESTART against EINTR on a pipe
 * read, siginfo fields from kill and sigqueue-like sources, a handler
 * interrupting a handler, sigsuspend (and the mask its handler runs
 * under), rt_sigtimedwait, ppoll and pselect6
 * under their own masks, SIGSEGV and SIGFPE
 * with si_addr and si_code, sigaltstack, and the flags and mask
 * rt_sigaction keeps, with its errors' order.  The output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char order[64];
static volatile int norder;
static sigset_t seen_mask;
static volatile int nested_depth, max_depth;
static volatile int info_signo, info_code, info_pid_ok;
static sigjmp_buf jb;
static volatile uintptr_t fault_addr;
static volatile int fault_code, on_alt;
static char altstack[65536];

static void record(int sig)
{
    order[norder++] = (char)('A' + sig - 1);
    order[norder] = 0;
}

static void on_mask(int sig)
{
    record(sig);
    sigprocmask(SIG_BLOCK, NULL, &seen_mask);
}

static void on_nested(int sig)
{
    (void)sig;
    nested_depth++;
    if (nested_depth > max_depth)
        max_depth = nested_depth;
    if (nested_depth < 3)
        raise(SIGUSR1); /* with SA_NODEFER this re-enters */
    nested_depth--;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    info_signo = sig, info_code = si->si_code, info_pid_ok = si->si_pid == getpid();
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    char local;
    on_alt = &local >= altstack && &local < altstack + sizeof altstack;
    fault_addr = (uintptr_t)si->si_addr, fault_code = si->si_code;
    siglongjmp(jb, sig);
}

static void nothing(int sig) { (void)sig; }

/* rt_sigaction as the kernel takes it: the flags it knows kept (unknown
 * ones and SA_UNSUPPORTED dropped, so a program can tell), SIGKILL and
 * SIGSTOP taken out of sa_mask, the new action read before the signal
 * is checked (EFAULT first) and the old one written after (EFAULT once
 * the new is set) */
struct kaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};

static void actions(void)
{
    struct kaction a = {nothing, 0xffffffffUL, (void (*)(void))0x1234, ~0ULL}, o;
    printf("set everything: %ld\n", syscall(SYS_rt_sigaction, SIGUSR1, &a, NULL, 8));
    memset(&o, 0, sizeof o);
    syscall(SYS_rt_sigaction, SIGUSR1, NULL, &o, 8);
    printf("  kept flags %#lx mask %#llx\n", o.flags, (unsigned long long)o.mask);
    a.flags = 0x400 | 0x04000000; /* SA_UNSUPPORTED */
    syscall(SYS_rt_sigaction, SIGUSR1, &a, NULL, 8);
    syscall(SYS_rt_sigaction, SIGUSR1, NULL, &o, 8);
    printf("  SA_UNSUPPORTED kept: %d\n", (o.flags & 0x400) != 0);
    errno = 0;
    long r = syscall(SYS_rt_sigaction, 0, (void *)8, NULL, 8);
    printf("signal 0 with a bad action: %ld %s\n", r, strerror(errno));
    a.flags = 0x04000000, a.handler = SIG_IGN;
    r = syscall(SYS_rt_sigaction, SIGUSR2, &a, (void *)8, 8);
    syscall(SYS_rt_sigaction, SIGUSR2, NULL, &o, 8);
    printf("bad old action: %ld %s, yet set: %d\n", r, strerror(errno), o.handler == SIG_IGN);
}

/* a handler run from sigsuspend blocks what sigsuspend's mask blocks, and
 * its own; the mask from before comes back after it */
static volatile int during_usr1, during_usr2, during_term;
static void on_suspended(int sig)
{
    sigset_t now;
    (void)sig;
    sigprocmask(SIG_BLOCK, NULL, &now);
    during_usr1 = sigismember(&now, SIGUSR1), during_usr2 = sigismember(&now, SIGUSR2);
    during_term = sigismember(&now, SIGTERM);
}

static void suspend_mask(void)
{
    sigset_t block, wait_mask, after;
    signal(SIGUSR1, on_suspended);
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_SETMASK, &block, NULL);
    raise(SIGUSR1);
    sigemptyset(&wait_mask);
    sigaddset(&wait_mask, SIGUSR2);
    sigsuspend(&wait_mask);
    sigprocmask(SIG_BLOCK, NULL, &after);
    printf("handler in sigsuspend blocks: USR1 %d USR2 %d TERM %d; after: USR1 %d USR2 %d TERM %d\n", during_usr1,
           during_usr2, during_term, sigismember(&after, SIGUSR1), sigismember(&after, SIGUSR2),
           sigismember(&after, SIGTERM));
    sigemptyset(&block);
    sigprocmask(SIG_SETMASK, &block, NULL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;

    /* delivery order: lowest number first once unblocked */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = record;
    for (int s = SIGUSR1; s <= SIGTERM; s++)
        sigaction(s, &sa, NULL);
    sigset_t all, old;
    sigemptyset(&all);
    sigaddset(&all, SIGUSR1), sigaddset(&all, SIGUSR2), sigaddset(&all, SIGTERM), sigaddset(&all, SIGALRM);
    sigprocmask(SIG_BLOCK, &all, &old);
    raise(SIGTERM), raise(SIGUSR2), raise(SIGALRM), raise(SIGUSR1), raise(SIGUSR1);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("order (A=1): %s\n", order);

    /* the mask inside a handler: its signal and sa_mask */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_mask;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("in the handler: USR1 blocked %d, USR2 blocked %d, TERM blocked %d\n", sigismember(&seen_mask, SIGUSR1),
           sigismember(&seen_mask, SIGUSR2), sigismember(&seen_mask, SIGTERM));
    sigprocmask(SIG_BLOCK, NULL, &old);
    printf("after it: USR1 blocked %d\n", sigismember(&old, SIGUSR1));
    sa.sa_flags = SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("SA_NODEFER: USR1 blocked in the handler %d\n", sigismember(&seen_mask, SIGUSR1));

    /* nesting with SA_NODEFER */
    sa.sa_handler = on_nested;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("SA_NODEFER nesting depth: %d\n", max_depth);

    /* SA_RESETHAND: the action is the default afterwards */
    sa.sa_handler = nothing;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    sigaction(SIGUSR2, NULL, &sa);
    printf("SA_RESETHAND: handler now default %d\n", sa.sa_handler == SIG_DFL);

    /* SA_RESTART against EINTR on a blocking read */
    int p[2];
    pipe(p);
    struct itimerval it = {{0, 0}, {0, 50000}};
    char c;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = nothing;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    errno = 0;
    ssize_t n = read(p[0], &c, 1);
    printf("no SA_RESTART: read %zd %s\n", n, strerror(errno));
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec ts = {0, 150000000};
        nanosleep(&ts, NULL);
        write(p[1], "r", 1);
        _exit(0);
    }
    setitimer(ITIMER_REAL, &it, NULL);
    n = read(p[0], &c, 1);
    printf("SA_RESTART: read %zd '%c'\n", n, c);
    waitpid(pid, NULL, 0);

    /* siginfo from kill */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    kill(getpid(), SIGUSR2);
    printf("siginfo: signo %d, code SI_USER %d, pid is ours %d\n", info_signo, info_code == SI_USER, info_pid_ok);

    /* sigsuspend returns EINTR with the old mask back */
    sigemptyset(&all);
    sigaddset(&all, SIGUSR2);
    sigprocmask(SIG_BLOCK, &all, &old);
    raise(SIGUSR2);
    sigset_t none;
    sigemptyset(&none);
    info_signo = 0;
    int r = sigsuspend(&none);
    sigprocmask(SIG_BLOCK, NULL, &old);
    printf("sigsuspend: %d %s, handler ran %d, USR2 blocked again %d\n", r, strerror(errno), info_signo,
           sigismember(&old, SIGUSR2));

    /* rt_sigtimedwait takes a blocked pending signal without a handler */
    raise(SIGUSR2);
    siginfo_t si;
    struct timespec zero = {0, 0}, short_wait = {0, 30000000};
    r = sigtimedwait(&all, &si, &zero);
    printf("sigtimedwait: %d, signo %d, code SI_USER %d\n", r, si.si_signo, si.si_code == SI_USER);
    r = sigtimedwait(&all, &si, &short_wait);
    printf("sigtimedwait with nothing pending: %d %s\n", r, strerror(errno));
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* ppoll and pselect6 wait under their own mask, and put the old back */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    sigemptyset(&all);
    sigaddset(&all, SIGUSR1);
    sigprocmask(SIG_BLOCK, &all, NULL);
    int q[2];
    pipe(q);
    pid = fork();
    if (pid == 0) {
        struct timespec ts = {0, 50000000};
        nanosleep(&ts, NULL);
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    struct pollfd pf = {q[0], POLLIN, 0};
    struct timespec second = {1, 0};
    info_signo = 0;
    r = ppoll(&pf, 1, &second, &none);
    sigprocmask(SIG_BLOCK, NULL, &old);
    printf("ppoll: %d %s, handler ran %d, USR1 blocked again %d\n", r, strerror(errno), info_signo,
           sigismember(&old, SIGUSR1));
    waitpid(pid, NULL, 0);
    raise(SIGUSR1); /* pending, blocked */
    write(q[1], "d", 1);
    info_signo = 0;
    r = ppoll(&pf, 1, &second, &none);
    printf("ppoll with data ready: %d, handler ran %d\n", r, info_signo);
    fd_set rd;
    FD_ZERO(&rd);
    read(q[0], &c, 1);
    FD_SET(q[0], &rd);
    r = pselect(q[0] + 1, &rd, NULL, NULL, &second, &none); /* the pending USR1 gets through */
    sigprocmask(SIG_BLOCK, NULL, &old);
    printf("pselect: %d %s, handler ran %d, USR1 blocked again %d\n", r, strerror(errno), info_signo,
           sigismember(&old, SIGUSR1));
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* faults: si_addr and si_code, on an alternate stack */
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0}, oss;
    printf("sigaltstack: %d\n", sigaltstack(&ss, NULL));
    sigaltstack(NULL, &oss);
    printf("the stack: size %zu, flags %d\n", oss.ss_size, oss.ss_flags);
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    if (sigsetjmp(jb, 1) == 0)
        *(volatile int *)0x1234 = 1;
    printf("SIGSEGV: addr 0x%lx, code SEGV_MAPERR %d, on the alternate stack %d\n", (unsigned long)fault_addr,
           fault_code == SEGV_MAPERR, on_alt);
    volatile int zero_div = 0;
    if (sigsetjmp(jb, 1) == 0)
        printf("%d\n", 1 / zero_div);
    printf("SIGFPE: code FPE_INTDIV %d\n", fault_code == FPE_INTDIV);
    ss.ss_flags = SS_DISABLE;
    printf("disabled: %d\n", sigaltstack(&ss, NULL));
    ss = (stack_t){.ss_sp = altstack, .ss_size = 100, .ss_flags = 0};
    r = sigaltstack(&ss, NULL);
    printf("too small: %d %s\n", r, strerror(errno));
    actions();
    suspend_mask();
    return 0;
}
