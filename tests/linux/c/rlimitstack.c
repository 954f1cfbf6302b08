/*
 * tests/linux/c/rlimitstack.c - RLIMIT_STACK and the main thread's stack,
 * as Linux: the stack grows on faults up to the soft limit, set after the
 * program started too (1 MiB: a recursion 4 MiB deep is a SIGSEGV, which
 * a handler on an alternate stack can catch; 32 MiB: one 16 MiB deep
 * works and keeps its frames), and mmap's addresses start below a gap
 * the limit sets at execve (unlimited: five sixths of the address space
 * lower).  Prints which of those held, no address.
 */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1ul << 20)

/* depth frames of a bit over 4 KiB, each one's bytes checked on the way back */
static __attribute__((noinline)) long recurse(int depth)
{
    volatile unsigned char buf[4000];
    for (int i = 0; i < 4000; i += 256)
        buf[i] = (unsigned char)(depth + i);
    long bad = depth ? recurse(depth - 1) : 0;
    for (int i = 0; i < 4000; i += 256)
        bad += buf[i] != (unsigned char)(depth + i);
    return bad;
}

static void caught(int sig)
{
    (void)sig;
    _exit(7);
}

static void set_stack(rlim_t soft)
{
    struct rlimit r;
    getrlimit(RLIMIT_STACK, &r);
    r.rlim_cur = soft;
    if (setrlimit(RLIMIT_STACK, &r) < 0)
        printf("setrlimit: %s\n", errno_name(errno));
}

/* A child with soft limit soft recursing mib MiB deep; how it ended. */
static void deep(const char *what, rlim_t soft, int mib, int handler)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        set_stack(soft);
        if (handler) {
            static char alt[65536];
            stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
            struct sigaction sa = {.sa_handler = caught, .sa_flags = SA_ONSTACK};
            sigaltstack(&ss, NULL);
            sigaction(SIGSEGV, &sa, NULL);
        }
        _exit(recurse(mib * 256) ? 1 : 0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st))
        printf("%-40s killed by %s\n", what, WTERMSIG(st) == SIGSEGV ? "SIGSEGV" : "another signal");
    else
        printf("%-40s exit %d%s\n", what, WEXITSTATUS(st), WEXITSTATUS(st) == 7 ? " (SIGSEGV caught)" : "");
}

/* Where an mmap lands in a program execve'd with soft limit soft. */
static void base(const char *what, rlim_t soft, char *self)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        set_stack(soft);
        execl(self, self, "base", (char *)NULL);
        _exit(99);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    printf("%-40s %s\n", what, WEXITSTATUS(st) == 1 ? "high" : WEXITSTATUS(st) == 2 ? "low (below 32 TiB)" : "other");
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        uintptr_t m = (uintptr_t)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return m > 0x7e0000000000ul ? 1 : m < 0x200000000000ul ? 2 : 3;
    }
    struct rlimit r;
    getrlimit(RLIMIT_STACK, &r);
    printf("default: soft %lu KiB, hard %s\n", (unsigned long)r.rlim_cur >> 10,
           r.rlim_max == RLIM_INFINITY ? "infinity" : "finite");
    deep("1 MiB limit, no recursion:", MIB, 0, 0);
    deep("1 MiB limit, 4 MiB deep:", MIB, 4, 0);
    deep("1 MiB limit, 4 MiB deep, a handler:", MIB, 4, 1);
    deep("32 MiB limit, 16 MiB deep:", 32 * MIB, 16, 0);
    deep("8 MiB limit, 16 MiB deep:", 8 * MIB, 16, 0);
    base("mmap after execve, 8 MiB limit:", 8 * MIB, argv[0]);
    base("mmap after execve, 1 GiB limit:", 1024 * MIB, argv[0]);
    base("mmap after execve, no limit:", RLIM_INFINITY, argv[0]);
    return 0;
}
