/*
 * tests/linux/c/hwbp.c - hardware breakpoints through ptrace's POKEUSR of
 * u_debugreg: the fresh registers, Linux's rules for DR0 to DR3 and DR7
 * (a kernel address, a misaligned one, an I/O or a long instruction
 * breakpoint are EINVAL and change nothing; DR4 and DR5 are EIO; DR7
 * reads back as Linux encodes it), a write watchpoint and an instruction
 * breakpoint hit in the tracee (SIGTRAP with TRAP_HWBKPT at the rip, the
 * virtual DR6 naming the breakpoint, the instruction run once resumed), a
 * single step's DR6, an exec clearing them, and two tracees with a
 * watchpoint each on other addresses.  The output must equal
 * the host Linux's; the hits (argument persona-only) are compared with
 * Linux 6.1's answer, hwbp.persona-only.expected, as the host's virtual
 * machine runs no hardware breakpoints.
 */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define DR(n) ((void *)offsetof(struct user, u_debugreg[n]))

static volatile int watched;
static volatile int calls;

__attribute__((noinline)) static void target(void) { calls++; }

static void child(void)
{
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    watched = 42;
    watched = 43;
    target();
    target();
    _exit(calls);
}

static long peek(pid_t pid, int n) { return ptrace(PTRACE_PEEKUSER, pid, DR(n), 0); }

static void poke(pid_t pid, int n, unsigned long v, const char *what)
{
    errno = 0;
    long r = ptrace(PTRACE_POKEUSER, pid, DR(n), (void *)v);
    printf("poke DR%d %s: %s\n", n, what, r < 0 ? errno_name(errno) : "ok");
}

static void show(pid_t pid, const char *what)
{
    printf("%s:", what);
    for (int n = 0; n < 8; n++) {
        errno = 0;
        unsigned long v = (unsigned long)peek(pid, n);
        if (n < 4 && v == (unsigned long)&watched)
            printf(" &watched");
        else if (n < 4 && v == (unsigned long)&target)
            printf(" &target");
        else
            printf(" %#lx%s", v, errno ? "(error)" : "");
    }
    printf("\n");
}

/* Resumes pid (step or continue) and tells its next stop: the signal,
 * its si_code, whether si_addr is the rip, and where the rip is. */
static int resume(pid_t pid, int req, const char *what)
{
    int status;
    ptrace(req, pid, 0, 0);
    waitpid(pid, &status, 0);
    if (WIFEXITED(status)) {
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
        return -1;
    }
    siginfo_t si;
    struct user_regs_struct r;
    ptrace(PTRACE_GETSIGINFO, pid, 0, &si);
    ptrace(PTRACE_GETREGS, pid, 0, &r);
    printf("%s: signal %d code %d, si_addr %s, at %s, watched %ld\n", what, WSTOPSIG(status), si.si_code,
           (unsigned long)si.si_addr == r.rip ? "rip" : "elsewhere",
           r.rip == (unsigned long)&target ? "target" : "code", ptrace(PTRACE_PEEKDATA, pid, &watched, 0) & 0xff);
    return 0;
}

static short ss_copy;

/* LTP's ptrace09 (CVE-2018-8897): MOV SS to a read watchpoint, then int3,
 * so that the #DB comes at the kernel's entry for the int3. */
static void movss_child(void)
{
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    __asm__ volatile("mov %%ss, %0\n\tmov %0, %%ss\n\tint $3" : "+m"(ss_copy));
    /* and the trap flag's step held by MOV SS over a syscall, whose #DB
     * can come at the kernel's entry, on the user's stack but for its own */
    __asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\tmov %%ss, %%dx\n\tmov %%dx, %%ss\n\tsyscall\n\t"
                     "pushfq\n\tandq $~0x100, (%%rsp)\n\tpopfq"
                     : : "a"(39L) : "rcx", "rdx", "r11", "memory");
    _exit(0);
}

static void movss(void)
{
    int status;
    pid_t pid = fork();
    if (pid == 0)
        movss_child();
    waitpid(pid, &status, 0);
    poke(pid, 0, (unsigned long)&ss_copy, "&ss_copy");
    poke(pid, 7, 0x30001, "L0 read or write 1");
    int int3 = 0; /* the watchpoint's own stops depend on the processor's MOV SS delay: not told */
    for (int stops = 0; stops < 50; stops++) {
        siginfo_t si = {0};
        ptrace(PTRACE_CONT, pid, 0, 0);
        waitpid(pid, &status, 0);
        if (!WIFSTOPPED(status)) {
            printf("MOV SS: the int3's SIGTRAP %s, exited %d\n", int3 ? "seen" : "missing", WEXITSTATUS(status));
            return;
        }
        ptrace(PTRACE_GETSIGINFO, pid, 0, &si);
        int3 += WSTOPSIG(status) == SIGTRAP && si.si_code == SI_KERNEL;
    }
    printf("MOV SS: still stopping\n");
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
}

static volatile long spin_a, spin_b;

/* Two tracees spinning at once, each with a write watchpoint of its own
 * in DR0 (the same DR7, other addresses): each stops on its own, however
 * often the processor switched between them. */
static void two_child(volatile long *mine, volatile long *other)
{
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    for (long i = 0; i < 3000000; i++)
        *other = i;
    *mine = 1;
    _exit(0);
}

static void two(void)
{
    int status;
    pid_t a = fork();
    if (a == 0)
        two_child(&spin_a, &spin_b);
    waitpid(a, &status, 0);
    pid_t b = fork();
    if (b == 0)
        two_child(&spin_b, &spin_a);
    waitpid(b, &status, 0);
    poke(a, 0, (unsigned long)&spin_a, "&spin_a");
    poke(a, 7, 1 | 0xdul << 16, "L0 write 4");
    poke(b, 0, (unsigned long)&spin_b, "&spin_b");
    poke(b, 7, 1 | 0xdul << 16, "L0 write 4");
    ptrace(PTRACE_CONT, a, 0, 0);
    ptrace(PTRACE_CONT, b, 0, 0);
    char seen[2][64];
    for (int n = 0; n < 2; n++) { /* in whichever order they stop, told a first */
        pid_t w = waitpid(-1, &status, 0);
        long mine = ptrace(PTRACE_PEEKDATA, w, w == a ? &spin_a : &spin_b, 0);
        snprintf(seen[w != a], sizeof seen[0], "tracee %s: %s, its own variable %ld", w == a ? "a" : "b",
                 WIFSTOPPED(status) ? "stopped" : "ended", mine);
        kill(w, SIGKILL);
        waitpid(w, &status, 0);
    }
    printf("%s\n%s\n", seen[0], seen[1]);
}

/* The breakpoints hit: a write watchpoint of 4 bytes, then an
 * instruction breakpoint, a step from it, and the second call. */
static void hits(pid_t pid)
{
    poke(pid, 0, (unsigned long)&watched, "&watched");
    poke(pid, 1, (unsigned long)&target, "&target");
    poke(pid, 7, 1 | 0xdul << 16, "L0 write 4");
    show(pid, "watching");
    resume(pid, PTRACE_CONT, "first write");
    show(pid, "after it");
    resume(pid, PTRACE_CONT, "second write");
    poke(pid, 7, 4, "L1 instruction");
    show(pid, "breaking");
    resume(pid, PTRACE_CONT, "first call");
    show(pid, "after it");
    resume(pid, PTRACE_SINGLESTEP, "a step in target");
    show(pid, "after the step");
    resume(pid, PTRACE_CONT, "second call");
    poke(pid, 7, 0, "0");
    resume(pid, PTRACE_CONT, "the rest");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "exec") == 0)
        return 0;
    pid_t pid = fork();
    if (pid == 0)
        child();
    int status;
    waitpid(pid, &status, 0);
    if (argc > 1) {
        hits(pid);
        movss();
        two();
        return 0;
    }
    show(pid, "fresh");

    /* the rules (LTP's ptrace08 and ptrace10 among them) */
    poke(pid, 0, 1, "1");
    poke(pid, 7, 1, "L0");
    show(pid, "L0 at 1");
    poke(pid, 0, 0xffff800000000000ul, "kernel");
    poke(pid, 0, 0x7ffffffff000ul, "TASK_SIZE_MAX");
    poke(pid, 0, 0x7fffffffeffful, "below TASK_SIZE_MAX");
    poke(pid, 0, 2, "2");
    show(pid, "after the kernel addresses");
    poke(pid, 7, 1 | 2ul << 16, "I/O");
    poke(pid, 7, 1 | 1ul << 18, "instruction of length 2");
    poke(pid, 7, 1 | 0xdul << 16, "write of 4 at 2");
    poke(pid, 7, 1 | 0x5ul << 16, "write of 2 at 2");
    show(pid, "after the refused");
    poke(pid, 0, 3, "3 in a write of 2");
    poke(pid, 0, 4, "4 in a write of 2");
    poke(pid, 1, (unsigned long)&watched + 1, "&watched+1");
    poke(pid, 7, 1 | 0x5ul << 16 | 4 | 0xdul << 20, "and L1 write 4 misaligned");
    poke(pid, 7, 0x401 | 0x5ul << 16, "with a reserved bit");
    show(pid, "after the refused");
    poke(pid, 7, 0x20 | 0x10 | 0x1ul << 28, "L3 G2 G3 and DR2 made");
    show(pid, "DR2 made at 0");
    poke(pid, 4, 0, "DR4");
    poke(pid, 6, 0x1234, "0x1234");
    show(pid, "DR6 written");
    poke(pid, 6, 0xffff0ff0ul, "fresh");
    poke(pid, 7, 0, "0");
    show(pid, "all disabled");
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);

    /* an exec clears them */
    pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        execl("/proc/self/exe", "hwbp", "exec", (char *)NULL);
        _exit(127);
    }
    waitpid(pid, &status, 0);
    poke(pid, 2, 0x1000, "0x1000");
    poke(pid, 7, 0x10 | 0x1ul << 24, "L2 write 1");
    show(pid, "before the exec");
    ptrace(PTRACE_CONT, pid, 0, 0);
    waitpid(pid, &status, 0);
    printf("exec stop: %s %d\n", WIFSTOPPED(status) ? "stopped" : "ended", WSTOPSIG(status));
    show(pid, "after the exec");
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return 0;
}
