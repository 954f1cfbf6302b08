/*
 * tests/linux/c/seccompbpf.h - what the seccomp tests (seccomp.c,
 * seccompnotify.c, ../i386/seccomp-64.c) need of linux/filter.h and linux/seccomp.h, which
 * musl's headers lack: struct sock_filter and sock_fprog, macros that
 * write a classic BPF filter's instructions by hand, the filter's return
 * actions, and install_flags, seccomp(SECCOMP_SET_MODE_FILTER) of a
 * filter.
 */
#ifndef TESTS_LINUX_SECCOMPBPF_H
#define TESTS_LINUX_SECCOMPBPF_H
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

struct sock_filter {
    uint16_t code;
    uint8_t jt, jf;
    uint32_t k;
};
struct sock_fprog {
    unsigned short len;
    struct sock_filter *filter;
};
#define LD_NR {0x20, 0, 0, 0}                       /* ld [0]: the call's number */
#define LD_ARCH {0x20, 0, 0, 4}                     /* ld [4]: its arch (AUDIT_ARCH_*) */
#define LD_ARG0 {0x20, 0, 0, 16}                    /* ld [16]: args[0]'s low word */
#define JEQ(k, t, f) {0x15, t, f, k}                /* jeq #k */
#define RET(k) {0x06, 0, 0, k}                      /* ret #k */
#define ALLOW 0x7fff0000u
#define ERRNO(e) (0x00050000u | (e))
#define TRAP 0x00030000u
#define TRACE 0x7ff00000u
#define NOTIF 0x7fc00000u
#define LOG 0x7ffc0000u
#define KILL_THREAD 0u
#define KILL_PROCESS 0x80000000u

/* seccomp(SECCOMP_SET_MODE_FILTER, flags) of the n instructions at f. */
static inline long install_flags(struct sock_filter *f, int n, unsigned flags)
{
    struct sock_fprog prog = {(unsigned short)n, f};
    return syscall(SYS_seccomp, 1, flags, &prog);
}

#endif
