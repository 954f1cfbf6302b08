/*
 * tests/linux/i386/ptrace32.c - a 32-bit tracer of a 32-bit child stopped
 * by a signal, as Linux's ia32 ptrace answers it: 4-byte PEEKDATA and
 * POKEDATA, GETREGS' i386 user_regs_struct (the segment selectors,
 * registers the child set), PEEKUSR and POKEUSR at struct user32's
 * offsets (a register, the debug registers, the rest, EIO past it),
 * SETREGS, GETFPREGS' user_i387_ia32_struct and GETFPXREGS' fxsave image,
 * NT_PRSTATUS through a compat_iovec, GETSIGINFO's i386 siginfo and
 * GETEVENTMSG, GET_THREAD_AREA and SET_THREAD_AREA; then the syscall stops of an i386 call (int $0x80), its
 * PTRACE_GET_SYSCALL_INFO (AUDIT_ARCH_I386, the arguments from ebx), and
 * the call changed at its entry (orig_eax).  Built gcc -m32 -static; the output must equal the host
 * Linux's running the same binary.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../c/check.h"

static volatile uint32_t secret[2] = {0x11223344, 0x55667788};

/* The child: known values in ebx, esi and edi, then a SIGSTOP to itself
 * made with int $0x80 (kill(getpid(), SIGSTOP)), then exit with the
 * secret's first word's low byte. */
static void child(void)
{
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    int pid = getpid();
    long r;
    __asm__ volatile("push %%ebx\n\t"
                     "mov %2, %%ebx\n\t"
                     "int $0x80\n\t"
                     "mov $0x0b0b0b0b, %%ebx\n\t"
                     "pop %%ebx"
                     : "=a"(r)
                     : "0"(SYS_kill), "r"(pid), "c"(SIGSTOP), "S"(0x5151), "D"(0xd1d1)
                     : "memory");
    __asm__ volatile("int $0x80" : "=a"(r) : "0"(SYS_getpid) : "memory"); /* the syscall stops' call */
    _exit((int)(secret[0] & 0xff));
}

int main(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        child();
    int st;
    CHECK(waitpid(pid, &st, 0) == pid);
    printf("stopped %d by %d\n", WIFSTOPPED(st), WSTOPSIG(st));

    uint32_t w = 0;
    CHECK(syscall(SYS_ptrace, PTRACE_PEEKDATA, pid, &secret[0], &w));
    printf("peek %#x\n", w);
    CHECK(syscall(SYS_ptrace, PTRACE_POKEDATA, pid, &secret[0], 0x2a));
    CHECK(syscall(SYS_ptrace, PTRACE_PEEKDATA, pid, &secret[1], &w));
    printf("the next word untouched: %#x\n", w);
    CHECK(syscall(SYS_ptrace, PTRACE_PEEKDATA, pid, (void *)16, &w));

    struct user_regs_struct r;
    memset(&r, 0x5a, sizeof r);
    CHECK(syscall(SYS_ptrace, PTRACE_GETREGS, pid, 0, &r));
    printf("ebx is the pid %d esi %#lx edi %#lx eax %ld orig_eax %ld\n", r.ebx == pid, r.esi, r.edi, r.eax,
           r.orig_eax);
    printf("xcs %#lx xss %#lx xds %#lx xes %#lx xfs %#lx xgs %#lx\n", r.xcs, r.xss, r.xds, r.xes, r.xfs, r.xgs);
    uint32_t v = 0;
    CHECK(syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, offsetof(struct user, regs.eip), &v));
    printf("PEEKUSR eip is GETREGS': %d\n", v == (uint32_t)r.eip);
    CHECK(syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, offsetof(struct user, regs.xcs), &v));
    printf("xcs %#x\n", v);
    CHECK(syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, offsetof(struct user, u_debugreg[7]), &v));
    printf("dr7 %u\n", v);
    CHECK(syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, offsetof(struct user, start_code), &v));
    CHECK(syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, sizeof(struct user), &v));
    CHECK(syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, sizeof(struct user) + 4, &v));
    CHECK(syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, 2, &v));
    CHECK(syscall(SYS_ptrace, PTRACE_POKEUSER, pid, offsetof(struct user, regs.esi), 0x7777));
    CHECK(syscall(SYS_ptrace, PTRACE_POKEUSER, pid, offsetof(struct user, u_debugreg[7]), 0));
    CHECK(syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, offsetof(struct user, u_debugreg[6]), &v));
    printf("dr6 %#x\n", v);
    CHECK(syscall(SYS_ptrace, PTRACE_POKEUSER, pid, offsetof(struct user, u_debugreg[0]), 0xfffff000));
    CHECK(syscall(SYS_ptrace, PTRACE_POKEUSER, pid, offsetof(struct user, u_debugreg[6]), 3));
    CHECK(syscall(SYS_ptrace, PTRACE_POKEUSER, pid, offsetof(struct user, u_debugreg[4]), 0));
    CHECK(syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, offsetof(struct user, u_debugreg[0]), &v));
    printf("dr0 %#x\n", v);
    CHECK(syscall(SYS_ptrace, PTRACE_PEEKUSER, pid, offsetof(struct user, u_debugreg[6]), &v));
    printf("dr6 %#x\n", v);
    CHECK(syscall(SYS_ptrace, PTRACE_POKEUSER, pid, offsetof(struct user, start_code), 5));
    CHECK(syscall(SYS_ptrace, PTRACE_GETREGS, pid, 0, &r));
    printf("esi %#lx\n", r.esi);
    r.edi = 0x9999;
    CHECK(syscall(SYS_ptrace, PTRACE_SETREGS, pid, 0, &r));
    memset(&r, 0, sizeof r);
    struct iovec iov = {&r, sizeof r + 100};
    CHECK(syscall(SYS_ptrace, PTRACE_GETREGSET, pid, NT_PRSTATUS, &iov));
    printf("regset: %u bytes, edi %#lx\n", (unsigned)iov.iov_len, r.edi);
    iov.iov_len = 8;
    CHECK(syscall(SYS_ptrace, PTRACE_GETREGSET, pid, NT_PRSTATUS, &iov));
    printf("regset cut: %u bytes\n", (unsigned)iov.iov_len);

    struct user_fpregs_struct fp;
    memset(&fp, 0x5a, sizeof fp);
    CHECK(syscall(SYS_ptrace, PTRACE_GETFPREGS, pid, 0, &fp));
    printf("fpregs: cwd %#lx swd %#lx twd %#lx fcs %#lx fos %#lx\n", fp.cwd, fp.swd, fp.twd, fp.fcs, fp.fos);
    CHECK(syscall(SYS_ptrace, PTRACE_SETFPREGS, pid, 0, &fp));
    struct user_fpxregs_struct fx;
    memset(&fx, 0x5a, sizeof fx);
    CHECK(syscall(SYS_ptrace, PTRACE_GETFPXREGS, pid, 0, &fx));
    printf("fpxregs: cwd %#x twd %#x mxcsr %#lx\n", fx.cwd, fx.twd, fx.mxcsr);

    siginfo_t si;
    memset(&si, 0x5a, sizeof si);
    CHECK(syscall(SYS_ptrace, PTRACE_GETSIGINFO, pid, 0, &si));
    printf("siginfo: signo %d code %d pid is the child's %d\n", si.si_signo, si.si_code, si.si_pid == pid);
    uint32_t msg[2] = {0x5a5a5a5a, 0x5a5a5a5a};
    CHECK(syscall(SYS_ptrace, PTRACE_GETEVENTMSG, pid, 0, msg));
    printf("eventmsg %#x, the next word %#x\n", msg[0], msg[1]);

    struct { uint32_t entry, base, limit, bits; } ud;
    memset(&ud, 0x5a, sizeof ud);
    CHECK(syscall(SYS_ptrace, PTRACE_GET_THREAD_AREA, pid, r.xgs >> 3, &ud));
    printf("TLS entry %u: base set %d limit %#x bits %#x\n", ud.entry, ud.base != 0, ud.limit, ud.bits);
    CHECK(syscall(SYS_ptrace, PTRACE_GET_THREAD_AREA, pid, 14, &ud));
    printf("entry %u: base %#x limit %#x bits %#x\n", ud.entry, ud.base, ud.limit, ud.bits);
    CHECK(syscall(SYS_ptrace, PTRACE_GET_THREAD_AREA, pid, 11, &ud));
    CHECK(syscall(SYS_ptrace, PTRACE_GET_THREAD_AREA, pid, -1, &ud));
    ud = (typeof(ud)){99, 0x1000, 0xfff, 0x51};
    CHECK(syscall(SYS_ptrace, PTRACE_SET_THREAD_AREA, pid, 14, &ud));
    memset(&ud, 0, sizeof ud);
    CHECK(syscall(SYS_ptrace, PTRACE_GET_THREAD_AREA, pid, 14, &ud));
    printf("entry %u: base %#x limit %#x bits %#x\n", ud.entry, ud.base, ud.limit, ud.bits);
    ud.bits = 0x7; /* a code segment: not a TLS one */
    CHECK(syscall(SYS_ptrace, PTRACE_SET_THREAD_AREA, pid, 14, &ud));

    CHECK(syscall(SYS_ptrace, PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD));
    CHECK(syscall(SYS_ptrace, PTRACE_SYSCALL, pid, 0, 0));
    CHECK(waitpid(pid, &st, 0) == pid);
    printf("entry stop %d: sig %#x\n", WIFSTOPPED(st), WSTOPSIG(st));
    CHECK(syscall(SYS_ptrace, PTRACE_GETREGS, pid, 0, &r));
    printf("orig_eax %ld eax %ld\n", r.orig_eax, r.eax);
    struct __ptrace_syscall_info info;
    memset(&info, 0, sizeof info);
    CHECK(syscall(SYS_ptrace, PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info) > 0);
    printf("info: op %d arch %#x nr %llu\n", info.op, info.arch, (unsigned long long)info.entry.nr);
    CHECK(syscall(SYS_ptrace, PTRACE_POKEUSER, pid, offsetof(struct user, regs.orig_eax), SYS_getppid));
    CHECK(syscall(SYS_ptrace, PTRACE_SYSCALL, pid, 0, 0));
    CHECK(waitpid(pid, &st, 0) == pid);
    printf("exit stop %d: sig %#x\n", WIFSTOPPED(st), WSTOPSIG(st));
    CHECK(syscall(SYS_ptrace, PTRACE_GETREGS, pid, 0, &r));
    printf("orig_eax %ld, eax is the tracer's pid %d\n", r.orig_eax, r.eax == getpid());
    memset(&info, 0, sizeof info);
    CHECK(syscall(SYS_ptrace, PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info) > 0);
    printf("info: op %d arch %#x is_error %d\n", info.op, info.arch, info.exit.is_error);
    CHECK(syscall(SYS_ptrace, PTRACE_CONT, pid, 0, 0));
    CHECK(waitpid(pid, &st, 0) == pid);
    printf("exited %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));
    CHECK(syscall(SYS_ptrace, PTRACE_GETREGS, pid, 0, &r));
    return 0;
}
