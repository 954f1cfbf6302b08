/*
 * tests/linux/c/ptrace.c - ptrace(2) from a tracer's side: a child that
 * asks to be traced (PTRACE_TRACEME) and stops, its calls' entry and exit
 * stops under PTRACE_SYSCALL (orig_rax, rax -ENOSYS at the entry,
 * PTRACE_GET_SYSCALL_INFO), a result changed at the exit, a call
 * cancelled at its entry, its memory read and written, PEEKUSR, regsets,
 * signals suppressed and injected, PTRACE_O_TRACEFORK following a fork,
 * PTRACE_O_TRACEEXEC, PTRACE_ATTACH and DETACH (/proc's TracerPid),
 * PTRACE_SEIZE and INTERRUPT, the debug registers (PEEKUSR and POKEUSR,
 * no breakpoint enabled), PTRACE_O_EXITKILL, and the errors.  The
 * output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#define NT_PRSTATUS 1 /* linux/elf.h's, which musl-gcc does not reach */

static volatile long secret = 0x1122334455667788;

/* PTRACE_GET_SYSCALL_INFO's record, as linux/ptrace.h has it. */
struct sc_info {
    uint8_t op, pad[3];
    uint32_t arch;
    uint64_t ip, sp;
    union {
        struct { uint64_t nr, args[6]; } entry;
        struct { int64_t rval; uint8_t is_error; } exit;
    };
};

static void show(const char *what, int status)
{
    if (WIFSTOPPED(status))
        printf("%s: stopped by %d, event %d%s\n", what, WSTOPSIG(status) & 0x7f, status >> 16,
               (WSTOPSIG(status) & 0x80) ? " (syscall)" : "");
    else if (WIFEXITED(status))
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: killed by %d\n", what, WTERMSIG(status));
}

static int wait_show(const char *what, pid_t pid)
{
    int status = 0;
    if (waitpid(pid, &status, __WALL) != pid)
        printf("%s: waitpid failed: %s\n", what, strerror(errno));
    show(what, status);
    return status;
}

/* The traced child of the syscall stops: its calls, its memory. */
static void syscalls_child(int fd)
{
    char c;
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    printf("traceme again: %s\n", ptrace(PTRACE_TRACEME, 0, 0, 0) < 0 ? errno_name(errno) : "ok");
    raise(SIGSTOP);
    long pid = syscall(SYS_getpid);          /* its result becomes 4242 */
    long uid = syscall(SYS_getuid);          /* cancelled: rax as the tracer left it */
    if (read(fd, &c, 1) != 1)                /* the tracer finds it running meanwhile */
        _exit(1);
    _exit((pid == 4242) + 2 * (uid == 99) + 4 * (secret == 77));
}

static void syscall_stops(void)
{
    int fds[2];
    pipe(fds);
    pid_t pid = fork();
    if (pid == 0)
        syscalls_child(fds[0]);
    wait_show("traceme child", pid);
    siginfo_t si;
    CHECK(ptrace(PTRACE_GETSIGINFO, pid, 0, &si));
    printf("siginfo: signo %d code %d\n", si.si_signo, si.si_code);
    CHECK(ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD | 0x40000000));
    CHECK(ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD));
    errno = 0;
    long word = ptrace(PTRACE_PEEKDATA, pid, (void *)&secret, 0);
    printf("peek secret: %#lx errno %d\n", word, errno);
    CHECK(ptrace(PTRACE_POKEDATA, pid, (void *)&secret, (void *)77));
    errno = 0;
    ptrace(PTRACE_PEEKDATA, pid, (void *)8, 0);
    printf("peek at 8: %s\n", errno_name(errno));
    CHECK(ptrace(PTRACE_POKEDATA, pid, (void *)8, 0));
    errno = 0;
    ptrace(PTRACE_PEEKUSER, pid, (void *)3, 0);
    printf("peekuser misaligned: %s\n", errno_name(errno));
    errno = 0;
    long dr7 = ptrace(PTRACE_PEEKUSER, pid, (void *)offsetof(struct user, u_debugreg[7]), 0);
    printf("peekuser dr7: %ld %s\n", dr7, errno_name(errno));
    /* the kernel's struct user ends with error_code and fault_address, at 912 and 920 */
    CHECK(ptrace(PTRACE_PEEKUSER, pid, (void *)920, 0));
    CHECK(ptrace(PTRACE_PEEKUSER, pid, (void *)928, 0));
    int stops = 0;
    for (;;) {
        CHECK(ptrace(PTRACE_SYSCALL, pid, 0, 0));
        int status = wait_show("  stop", pid);
        if (!WIFSTOPPED(status))
            break;
        stops++;
        struct user_regs_struct r;
        struct sc_info info;
        ptrace(PTRACE_GETREGS, pid, 0, &r);
        long n = ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof info, &info);
        long nr = ptrace(PTRACE_PEEKUSER, pid, (void *)offsetof(struct user, regs.orig_rax), 0);
        if (info.op == 1) {
            printf("  entry %ld (info %ld bytes, nr %lu), rax %lld\n", nr, n, (unsigned long)info.entry.nr,
                   (long long)r.rax);
            if (nr == SYS_getuid) {
                r.orig_rax = -1; /* cancelled */
                ptrace(PTRACE_SETREGS, pid, 0, &r);
            }
            if (nr == SYS_read) { /* running: no requests */
                CHECK(ptrace(PTRACE_SYSCALL, pid, 0, 0));
                CHECK(ptrace(PTRACE_GETREGS, pid, 0, &r));
                CHECK(write(fds[1], "x", 1));
                wait_show("  stop", pid);
                ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof info, &info);
                printf("  exit of read: op %d rval %lld\n", info.op, (long long)info.exit.rval);
            }
        } else if (info.op == 2) {
            printf("  exit %ld (info %ld bytes) = %lld, error %d\n", nr, n,
                   nr == SYS_getpid ? 0 : (long long)info.exit.rval, info.exit.is_error);
            if (nr == SYS_getpid) {
                r.rax = 4242;
                ptrace(PTRACE_SETREGS, pid, 0, &r);
            }
            if (nr == -1) /* the cancelled getuid */
                ptrace(PTRACE_POKEUSER, pid, (void *)offsetof(struct user, regs.rax), (void *)99);
        }
        if (nr == SYS_exit_group)
            break;
    }
    struct iovec iov;
    struct user_regs_struct r;
    iov.iov_base = &r, iov.iov_len = sizeof r + 64;
    CHECK(ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &iov));
    printf("regset size %zu, orig_rax %lld\n", iov.iov_len, (long long)r.orig_rax);
    struct user_fpregs_struct fp;
    CHECK(ptrace(PTRACE_GETFPREGS, pid, 0, &fp));
    printf("fpregs mxcsr %#x\n", fp.mxcsr & 0xffc0);
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    wait_show("traceme child", pid);
    close(fds[0]);
    close(fds[1]);
}

static int usr1;
static void on_usr1(int sig) { (void)sig; usr1++; }

/* A signal suppressed, another replaced by SIGUSR1. */
static void signal_stops(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGUSR1, on_usr1);
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGUSR1);
        raise(SIGUSR2);
        _exit(usr1);
    }
    wait_show("signals child", pid);
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0)); /* SIGUSR1 suppressed */
    wait_show("signals child", pid);
    CHECK(ptrace(PTRACE_CONT, pid, 0, 100));
    CHECK(ptrace(PTRACE_CONT, pid, 0, SIGUSR1)); /* SIGUSR2 becomes SIGUSR1 */
    wait_show("signals child", pid);
}

/* PTRACE_O_TRACEFORK: the grandchild is traced from its start. */
static void follow_fork(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        pid_t g = fork();
        if (g == 0)
            _exit(5);
        int status;
        waitpid(g, &status, 0);
        _exit(WEXITSTATUS(status) + 10);
    }
    wait_show("fork child", pid);
    CHECK(ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEFORK));
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    wait_show("fork child", pid);
    unsigned long msg = 0;
    CHECK(ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg));
    pid_t g = (pid_t)msg;
    printf("event message is the new pid: %d\n", g > pid);
    wait_show("grandchild", g);
    CHECK(ptrace(PTRACE_CONT, g, 0, 0));
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    wait_show("grandchild", g);
    wait_show("fork child", pid);
}

/* A child that asks to be traced, stops (shown as what), then runs this
 * program again, which exits at once. */
static pid_t exec_child(const char *what)
{
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        execl("/proc/self/exe", "ptrace", "exit", NULL);
        _exit(99);
    }
    wait_show(what, pid);
    return pid;
}

/* PTRACE_O_TRACEEXEC's event, and the plain SIGTRAP without it. */
static void exec_stops(int with_option)
{
    pid_t pid = exec_child("exec child");
    if (with_option)
        CHECK(ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXEC));
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    wait_show("exec child", pid);
    unsigned long msg = 0;
    ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
    printf("event message is its pid: %d\n", (pid_t)msg == pid);
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    wait_show("exec child", pid);
}

static void tracer_pid_line(pid_t pid, pid_t me, int state)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "TracerPid:", 10) == 0)
            printf("TracerPid is %s\n", atoi(line + 10) == me ? "us" : atoi(line + 10) == 0 ? "0" : "another");
        else if (state && strncmp(line, "State:", 6) == 0)
            printf("%s", line);
    if (f)
        fclose(f);
}

/* PTRACE_ATTACH and DETACH; PTRACE_SEIZE and INTERRUPT; errors. */
static void attach_seize(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    CHECK(ptrace(PTRACE_GETREGS, pid, 0, 0)); /* not traced */
    CHECK(ptrace(PTRACE_ATTACH, pid, 0, 0));
    CHECK(ptrace(PTRACE_ATTACH, pid, 0, 0)); /* twice */
    wait_show("attached", pid);
    tracer_pid_line(pid, getpid(), 1);
    CHECK(ptrace(PTRACE_INTERRUPT, pid, 0, 0)); /* attached, not seized */
    CHECK(ptrace(PTRACE_CONT, pid, 0, 1000));
    CHECK(ptrace(PTRACE_DETACH, pid, 0, 0));
    tracer_pid_line(pid, getpid(), 0);
    CHECK(ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESYSGOOD));
    CHECK(ptrace(PTRACE_INTERRUPT, pid, 0, 0));
    wait_show("seized", pid);
    struct sc_info info;
    long n = ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof info, &info);
    printf("syscall info at an interrupt: %ld bytes, op %d\n", n, info.op);
    CHECK(ptrace(PTRACE_KILL, pid, 0, 0));
    wait_show("seized", pid);
    CHECK(ptrace(PTRACE_ATTACH, getpid(), 0, 0));
    CHECK(ptrace(PTRACE_SEIZE, pid, 0, 0)); /* gone */
    CHECK(ptrace(PTRACE_SEIZE, getppid(), (void *)1, 0));
    CHECK(ptrace(PTRACE_CONT, getpid(), 0, 0));
}

static int __attribute__((noinline)) target(int x) { return x * 3 + 1; }
static int (*volatile target_fp)(int) = target;

/* A breakpoint (int3 written into the child's text, which stays the
 * parent's as it was), and steps. */
static void breakpoints(void)
{
    uint64_t addr = (uint64_t)target;
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        _exit(target_fp(4));
    }
    wait_show("breakpoint child", pid);
    long orig = ptrace(PTRACE_PEEKTEXT, pid, (void *)addr, 0);
    CHECK(ptrace(PTRACE_POKETEXT, pid, (void *)addr, (void *)((orig & ~0xffL) | 0xcc)));
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    wait_show("breakpoint child", pid);
    struct user_regs_struct r;
    siginfo_t si;
    ptrace(PTRACE_GETREGS, pid, 0, &r);
    ptrace(PTRACE_GETSIGINFO, pid, 0, &si);
    printf("stopped after the int3: %d, signo %d, code %#x\n", r.rip == addr + 1, si.si_signo, si.si_code);
    printf("the parent's own text is as it was: %d\n", target_fp(4));
    CHECK(ptrace(PTRACE_POKETEXT, pid, (void *)addr, (void *)orig));
    r.rip = addr;
    CHECK(ptrace(PTRACE_SETREGS, pid, 0, &r));
    for (int i = 0; i < 3; i++) {
        uint64_t before = r.rip;
        CHECK(ptrace(PTRACE_SINGLESTEP, pid, 0, 0));
        wait_show("  step", pid);
        ptrace(PTRACE_GETREGS, pid, 0, &r);
        ptrace(PTRACE_GETSIGINFO, pid, 0, &si);
        printf("  moved on: %d, trap flag %d, signo %d, code %d\n", r.rip != before, !!(r.eflags & 0x100),
               si.si_signo, si.si_code);
    }
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    wait_show("breakpoint child", pid);
}

/* PTRACE_O_EXITKILL: the tracee dies with its tracer. */
/* PEEKUSR and POKEUSR of the debug registers: a fresh tracee's (DR6's
 * reserved bits set), breakpoint addresses set and read back (one in the
 * kernel refused, the old one kept), DR4 and DR5 refused, DR6 as written,
 * DR7 0; all fresh again after an exec. */
static void debug_poke(pid_t pid, int n, unsigned long v)
{
    long r = ptrace(PTRACE_POKEUSER, pid, (void *)offsetof(struct user, u_debugreg[n]), (void *)v);
    printf("poke dr%d %#lx: %ld %s\n", n, v, r, r ? errno_name(errno) : "");
}

static void debug_peek(pid_t pid, int n)
{
    errno = 0;
    long r = ptrace(PTRACE_PEEKUSER, pid, (void *)offsetof(struct user, u_debugreg[n]), 0);
    printf("peek dr%d: %#lx %s\n", n, r, errno ? errno_name(errno) : "");
}

static void debug_registers(void)
{
    pid_t pid = exec_child("debug registers child");
    for (int n = 0; n < 8; n++)
        debug_peek(pid, n);
    debug_poke(pid, 0, 1);
    debug_poke(pid, 0, 2);
    debug_peek(pid, 0);
    debug_poke(pid, 1, 0x7fffffffefff);
    debug_poke(pid, 1, 0x7ffffffff000);
    debug_poke(pid, 2, 0xffff800000000000);
    debug_poke(pid, 3, 0x1234);
    for (int n = 1; n < 4; n++)
        debug_peek(pid, n);
    debug_poke(pid, 4, 0);
    debug_poke(pid, 5, 1);
    debug_poke(pid, 6, 5);
    debug_peek(pid, 6);
    debug_poke(pid, 7, 0);
    debug_peek(pid, 7);
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    wait_show("debug registers child", pid); /* the exec's SIGTRAP */
    debug_peek(pid, 0);
    debug_peek(pid, 6);
    CHECK(ptrace(PTRACE_CONT, pid, 0, 0));
    wait_show("debug registers child", pid);
}

static void exit_kill(void)
{
    int fds[2];
    pipe(fds);
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    pid_t tracer = fork();
    if (tracer == 0) {
        pid_t t = fork();
        if (t == 0) {
            ptrace(PTRACE_TRACEME, 0, 0, 0);
            raise(SIGSTOP);
            for (;;)
                pause();
        }
        int status;
        waitpid(t, &status, 0);
        ptrace(PTRACE_SETOPTIONS, t, 0, PTRACE_O_EXITKILL);
        ptrace(PTRACE_CONT, t, 0, 0);
        write(fds[1], &t, sizeof t);
        _exit(0);
    }
    pid_t t;
    read(fds[0], &t, sizeof t);
    wait_show("tracer", tracer);
    wait_show("its tracee", t);
    close(fds[0]);
    close(fds[1]);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exit") == 0)
        return 0;
    setvbuf(stdout, NULL, _IONBF, 0);
    syscall_stops();
    signal_stops();
    follow_fork();
    exec_stops(1);
    exec_stops(0);
    attach_seize();
    breakpoints();
    debug_registers();
    exit_kill();
    return 0;
}
