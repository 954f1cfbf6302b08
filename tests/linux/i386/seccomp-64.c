/*
 * tests/linux/i386/seccomp-64.c - a seccomp filter sees which ABI a call
 * came through: a 64-bit program's `int $0x80` is an i386 call, with
 * AUDIT_ARCH_I386 and i386's number, so a filter that allows only
 * x86-64 calls refuses it, and one that matches i386's getpid (20) does
 * not touch the 64-bit getpid (39).  Built 64-bit (musl-gcc -static);
 * the output must equal the host Linux's.
 */
#include "../c/seccompbpf.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long int80(long nr)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr) : "memory", "r8", "r9", "r10", "r11");
    return r;
}

#define AUDIT_ARCH_X86_64 0xc000003eu
#define AUDIT_ARCH_I386 0x40000003u

static int install(struct sock_filter *insns, unsigned short n)
{
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || install_flags(insns, n, 0)) {
        perror("seccomp");
        return -1;
    }
    return 0;
}

/* Only x86-64 calls: any other arch's is EPERM. */
static void only_x86_64(void)
{
    struct sock_filter f[] = {
        LD_ARCH,
        JEQ(AUDIT_ARCH_X86_64, 1, 0),
        RET(ERRNO(EPERM)),
        RET(ALLOW),
    };
    if (install(f, sizeof f / sizeof f[0]))
        _exit(1);
    printf("i386 getpid: %ld\n", int80(20));
    printf("64-bit getpid works: %d\n", syscall(SYS_getpid) == getpid());
    _exit(0);
}

/* i386's getpid (arch I386, number 20) is EACCES; nothing else. */
static void no_i386_getpid(void)
{
    struct sock_filter f[] = {
        LD_ARCH,
        JEQ(AUDIT_ARCH_I386, 0, 3),
        LD_NR,
        JEQ(20, 0, 1),
        RET(ERRNO(EACCES)),
        RET(ALLOW),
    };
    if (install(f, sizeof f / sizeof f[0]))
        _exit(1);
    printf("i386 getpid: %ld\n", int80(20));
    printf("i386 getppid works: %d\n", int80(64) == getppid());
    printf("64-bit getpid works: %d\n", syscall(SYS_getpid) == getpid());
    _exit(0);
}

static void run(void (*fn)(void))
{
    pid_t pid = fork();
    if (pid == 0)
        fn();
    int st;
    waitpid(pid, &st, 0);
    printf("exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    run(only_x86_64);
    run(no_i386_getpid);
    return 0;
}
