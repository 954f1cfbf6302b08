/*
 * tests/linux/i386/misc32.c - the smaller i386 calls, made raw (syscall(),
 * i386 numbers): the ones Linux's IA32 table leaves empty and those it
 * answers ENOSYS here as on the host (no I/O ports, modules or kexec),
 * restart_syscall with nothing to restart, ustat's errors, syslog's
 * argument checks, arch_prctl's compat options, seccomp filters given as
 * a compat_sock_fprog (seccomp and prctl), clone3, socketcall's
 * sendmmsg and recvmmsg with compat_mmsghdrs, and the memory policy calls'
 * node masks in 32-bit words and move_pages' 32-bit page pointers.  Built gcc -m32 -static;
 * the output must equal the host Linux's running the same binary (run
 * as root).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../c/check.h"

/* The i386 numbers of calls with no glibc name. */
static const struct { int nr; const char *name; } empty[] = {
    {17, "break"}, {31, "stty"}, {32, "gtty"}, {35, "ftime"}, {44, "prof"}, {53, "lock"}, {56, "mpx"},
    {58, "ulimit"}, {98, "profil"}, {112, "idle"}, {113, "vm86old"}, {166, "vm86"}, {127, "create_module"},
    {130, "get_kernel_syms"}, {167, "query_module"}, {169, "nfsservctl"}, {137, "afs_syscall"},
    {188, "getpmsg"}, {189, "putpmsg"}, {273, "vserver"}, {149, "_sysctl"}, {86, "uselib"},
    {253, "lookup_dcookie"}, {101, "ioperm"}, {110, "iopl"}, {128, "init_module"}, {129, "delete_module"},
    {350, "finit_module"}, {283, "kexec_load"},
};

struct fprog32 {
    uint16_t len;
    uint32_t filter; /* at byte 4, as compat_sock_fprog */
};

/* getppid answers EPERM (as an i386 call, AUDIT_ARCH_I386), the rest run. */
static struct sock_filter insns[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static void filtered(int how)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct fprog32 f = {sizeof insns / sizeof *insns, (uint32_t)(uintptr_t)insns};
        CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
        if (how == 0) {
            CHECK(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (void *)16));
            struct fprog32 none = {0, f.filter};
            CHECK(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &none));
            CHECK(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &f));
        } else {
            CHECK(syscall(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &f));
        }
        CHECK(syscall(SYS_getppid));
        CHECK(syscall(SYS_getpid) > 0);
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("filtered child: status %#x\n", st);
}

/* socketcall's sendmmsg (20) and recvmmsg (19) on a datagram pair. */
static void mmsg_socketcall(void)
{
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    struct { uint32_t name, namelen, iov, iovlen, control, controllen; int32_t flags; uint32_t len; } mm[3];
    struct { uint32_t base, len; } iov[3];
    char bufs[3][16] = {"first", "second!", "3rd"};
    for (int i = 0; i < 3; i++) {
        iov[i].base = (uint32_t)(uintptr_t)bufs[i], iov[i].len = (uint32_t)strlen(bufs[i]);
        mm[i] = (typeof(mm[i])){0, 0, (uint32_t)(uintptr_t)&iov[i], 1, 0, 0, 0, 99};
    }
    uint32_t a[5] = {(uint32_t)sv[0], (uint32_t)(uintptr_t)mm, 3, 0, 0};
    CHECK(syscall(SYS_socketcall, 20, a));
    printf("msg_len %u %u %u\n", mm[0].len, mm[1].len, mm[2].len);
    memset(bufs, 0, sizeof bufs);
    for (int i = 0; i < 3; i++)
        iov[i].len = 16, mm[i].len = 99, mm[i].flags = -1;
    uint32_t b[5] = {(uint32_t)sv[1], (uint32_t)(uintptr_t)mm, 3, MSG_DONTWAIT, 0};
    CHECK(syscall(SYS_socketcall, 19, b));
    printf("msg_len %u %u %u flags %d; %s %s %s\n", mm[0].len, mm[1].len, mm[2].len, mm[0].flags, bufs[0], bufs[1],
           bufs[2]);
    CHECK(syscall(SYS_socketcall, 19, b));
    b[1] = 16;
    CHECK(syscall(SYS_socketcall, 19, b));
    close(sv[0]);
    close(sv[1]);
}

/* Node masks of 32-bit words: the bits maxnode - 1 counts, a word past
 * them untouched (0x5a5a5a5a) where Linux's compat_put_bitmap stops. */
static void mempolicy32(void)
{
    uint32_t mask[3] = {1, 0, 0}, out[3];
    int mode = -1;
    CHECK(syscall(SYS_set_mempolicy, 2 /* MPOL_BIND */, mask, 33));
    memset(out, 0x5a, sizeof out);
    CHECK(syscall(SYS_get_mempolicy, &mode, out, 33, NULL, 0));
    printf("mode %d mask %#x %#x %#x\n", mode, out[0], out[1], out[2]);
    memset(out, 0x5a, sizeof out);
    CHECK(syscall(SYS_get_mempolicy, &mode, out, 65, NULL, 0));
    printf("mode %d mask %#x %#x %#x\n", mode, out[0], out[1], out[2]);
    memset(out, 0x5a, sizeof out);
    CHECK(syscall(SYS_get_mempolicy, &mode, out, 2, NULL, 0));
    printf("mode %d mask %#x %#x\n", mode, out[0], out[1]);
    mask[0] = 2;
    CHECK(syscall(SYS_set_mempolicy, 2, mask, 33));
    mask[0] = 1, mask[1] = 1;
    CHECK(syscall(SYS_set_mempolicy, 2, mask, 65));
    CHECK(syscall(SYS_set_mempolicy, 0, NULL, 0));
    char *area = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    area[0] = 1, area[2 * 4096] = 1;
    mask[0] = 1, mask[1] = 0;
    CHECK(syscall(SYS_mbind, area, 3 * 4096, 2, mask, 33, 0));
    memset(out, 0x5a, sizeof out);
    CHECK(syscall(SYS_get_mempolicy, &mode, out, 33, area, 2 /* MPOL_F_ADDR */));
    printf("area: mode %d mask %#x\n", mode, out[0]);
    void *pages[4] = {area, area + 4096, area + 2 * 4096, (void *)16};
    int status[4] = {9, 9, 9, 9};
    CHECK(syscall(SYS_move_pages, 0, 4, pages, NULL, status, 0));
    printf("status %d %d %d %d\n", status[0], status[1], status[2], status[3]);
    munmap(area, 3 * 4096);
}

int main(void)
{
    for (unsigned i = 0; i < sizeof empty / sizeof *empty; i++) {
        long r = syscall(empty[i].nr, 0, 0, 0, 0, 0);
        printf("%-16s %ld %s\n", empty[i].name, r, r < 0 ? errno_name(errno) : "");
    }
    CHECK(syscall(SYS_restart_syscall));

    char u[20];
    CHECK(syscall(SYS_ustat, 0xfffff, u));

    char buf[16];
    CHECK(syscall(SYS_syslog, 99, buf, sizeof buf));
    CHECK(syscall(SYS_syslog, 2, NULL, 10));
    CHECK(syscall(SYS_syslog, 3, buf, -1));
    CHECK(syscall(SYS_syslog, 8, NULL, 99));

    uint64_t fs = 0;
    CHECK(syscall(SYS_arch_prctl, 0x1011, 0));
    CHECK(syscall(SYS_arch_prctl, 0x1003, &fs));
    CHECK(syscall(SYS_arch_prctl, 0x1002, 0));
    CHECK(syscall(SYS_arch_prctl, 0x1001, 0));
    CHECK(syscall(SYS_arch_prctl, 0x9999, 0));

    filtered(0);
    filtered(1);

    struct { uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls; } ca = {0};
    ca.exit_signal = SIGCHLD;
    CHECK(syscall(SYS_clone3, &ca, 8));
    fflush(stdout);
    long pid = syscall(SYS_clone3, &ca, sizeof ca);
    if (pid == 0)
        _exit(7);
    int st;
    CHECK(waitpid((pid_t)pid, &st, 0) == pid);
    printf("clone3 child: exited %d\n", WEXITSTATUS(st));

    mmsg_socketcall();
    mempolicy32();
    return 0;
}
