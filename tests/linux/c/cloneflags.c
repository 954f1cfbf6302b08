/*
 * tests/linux/c/cloneflags.c - clone's flags as Linux's copy_process
 * takes or refuses them: the combinations it refuses (EINVAL), the
 * namespaces a user without CAP_SYS_ADMIN may not make (EPERM), and what
 * a child sees with each flag Linux accepts for a process: CLONE_FILES
 * and CLONE_FS shared with the parent, CLONE_VM memory shared while both
 * run, CLONE_VFORK alone, CLONE_PARENT's parent, CLONE_SETTLS, exit
 * signals other than SIGCHLD (and __WCLONE, __WALL), ignored bits.  The
 * output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static long raw2(long n, long a, long b)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return r;
}

static void raw_exit(int code)
{
    for (;;)
        raw2(SYS_exit_group, code, 0);
}

/* clone as a system call: the child returns 0 on a copy of our stack. */
static long rclone(unsigned long flags, void *tls)
{
    long r = syscall(SYS_clone, flags, 0L, 0L, 0L, tls);
    return r;
}

static void result(const char *what, long r)
{
    if (r < 0)
        printf("%-40s -1 %s\n", what, errno_name(errno));
    else
        printf("%-40s ok\n", what);
}

/* A clone that must fail (or, if it makes a child, the child exits 0 at once). */
static void refused(const char *what, unsigned long flags)
{
    long r = rclone(flags, NULL);
    if (r == 0)
        raw_exit(0);
    result(what, r);
    if (r > 0)
        waitpid((pid_t)r, NULL, __WALL);
}

/* clone(CLONE_SETTLS) whose child, in assembly (it has no C library on
 * that TLS), exits 0 if its FS base is tls, else 1. */
static long clone_settls(void *tls)
{
    long r;
    register long r10 __asm__("r10") = 0;
    register long r8 __asm__("r8") = (long)tls;
    __asm__ volatile("syscall\n\t"
                     "test %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "sub $16, %%rsp\n\t"
                     "mov $158, %%eax\n\t"       /* arch_prctl(ARCH_GET_FS, rsp) */
                     "mov $0x1003, %%edi\n\t"
                     "mov %%rsp, %%rsi\n\t"
                     "syscall\n\t"
                     "xor %%edi, %%edi\n\t"
                     "cmp %%r8, (%%rsp)\n\t"
                     "setne %%dil\n\t"
                     "mov $231, %%eax\n\t"       /* exit_group */
                     "syscall\n\t"
                     "1:"
                     : "=a"(r)
                     : "a"((long)SYS_clone), "D"((long)(CLONE_SETTLS | SIGCHLD)), "S"(0L), "d"(0L), "r"(r10), "r"(r8)
                     : "rcx", "r11", "memory");
    return r < 0 ? (errno = (int)-r, -1) : r;
}

static int status_of(pid_t pid, int opts)
{
    int st = -1;
    pid_t w = waitpid(pid, &st, opts);
    if (w < 0)
        return -errno;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

static volatile int go, done;
static char stack[65536] __attribute__((aligned(16)));

static int vm_child(void *arg)
{
    (void)arg;
    for (long i = 0; i < 100000000 && !go; i++)
        ;
    done = go ? 42 : 13;
    return 5;
}

static void namespaces_as_user(void)
{
    static const struct { const char *name; unsigned long flag; } ns[] = {
        {"CLONE_NEWNS", CLONE_NEWNS}, {"CLONE_NEWUTS", CLONE_NEWUTS}, {"CLONE_NEWIPC", CLONE_NEWIPC},
        {"CLONE_NEWPID", CLONE_NEWPID}, {"CLONE_NEWNET", CLONE_NEWNET}, {"CLONE_NEWCGROUP", CLONE_NEWCGROUP},
    };
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) || setuid(65534))
            _exit(9);
        for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
            char what[64];
            snprintf(what, sizeof what, "uid 65534: %s", ns[i].name);
            refused(what, ns[i].flag | SIGCHLD);
        }
        fflush(stdout);
        _exit(0);
    }
    printf("user's child: %d\n", status_of(pid, 0));
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    umask(022);
    /* refused combinations */
    refused("CLONE_SIGHAND without CLONE_VM", CLONE_SIGHAND | SIGCHLD);
    refused("CLONE_THREAD without CLONE_SIGHAND", CLONE_THREAD | CLONE_VM);
    refused("CLONE_FS|CLONE_NEWNS", CLONE_FS | CLONE_NEWNS | SIGCHLD);
    refused("CLONE_NEWUSER|CLONE_FS", CLONE_NEWUSER | CLONE_FS | SIGCHLD);
    refused("CLONE_THREAD|CLONE_NEWPID", CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWPID);
    refused("CLONE_THREAD|CLONE_NEWUSER", CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWUSER);
    refused("CLONE_PIDFD|CLONE_DETACHED", CLONE_PIDFD | CLONE_DETACHED | SIGCHLD);
    namespaces_as_user();

    fflush(stdout);
    /* CLONE_FILES: the child's open and close are the parent's */
    int keep = open("/dev/null", O_RDONLY);
    long r = rclone(CLONE_FILES | SIGCHLD, NULL);
    if (r == 0) {
        close(keep);
        int fd = open("/", O_RDONLY | O_DIRECTORY);
        _exit(fd == keep ? 0 : 1);
    }
    result("CLONE_FILES", r);
    printf("  child: %d\n", status_of((pid_t)r, 0));
    struct stat st;
    printf("  fd %d is now a directory: %d\n", keep, fstat(keep, &st) == 0 && S_ISDIR(st.st_mode));
    close(keep);
    /* without it, a copy */
    keep = open("/dev/null", O_RDONLY);
    r = rclone(SIGCHLD, NULL);
    if (r == 0)
        _exit(close(keep) == 0 ? 0 : 1);
    printf("  plain clone's child closed its copy: %d\n", status_of((pid_t)r, 0));
    printf("  ours still open: %d\n", fcntl(keep, F_GETFD) >= 0);
    close(keep);

    /* CLONE_FS: the child's chdir and umask are the parent's */
    char cwd[256];
    r = rclone(CLONE_FS | SIGCHLD, NULL);
    if (r == 0) {
        umask(077);
        _exit(chdir("/tmp") == 0 ? 0 : 1);
    }
    result("CLONE_FS", r);
    printf("  child: %d\n", status_of((pid_t)r, 0));
    printf("  cwd %s, umask %03o\n", getcwd(cwd, sizeof cwd), umask(022));
    chdir("/");
    r = rclone(SIGCHLD, NULL);
    if (r == 0) {
        umask(077);
        _exit(chdir("/tmp") == 0 ? 0 : 1);
    }
    printf("  plain clone's child: %d\n", status_of((pid_t)r, 0));
    printf("  cwd %s, umask %03o\n", getcwd(cwd, sizeof cwd), umask(022));

    /* CLONE_VM without CLONE_VFORK: both run, on one memory */
    go = done = 0;
    r = clone(vm_child, stack + sizeof stack, CLONE_VM | SIGCHLD, NULL);
    result("CLONE_VM", r);
    go = 1;
    int vm_status = status_of((pid_t)r, 0);
    printf("  child: %d, done %d\n", vm_status, done);

    /* CLONE_VFORK without CLONE_VM: a copy, and we wait for its exit */
    done = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = rclone(CLONE_VFORK | SIGCHLD, NULL);
    if (r == 0) {
        done = 7;
        usleep(100000);
        _exit(3);
    }
    result("CLONE_VFORK", r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long waited_ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    printf("  we waited for its exit: %d, done %d\n", waited_ms >= 90, done);
    printf("  child: %d\n", status_of((pid_t)r, 0));

    /* CLONE_SETTLS for a process */
    static unsigned long tlsblock[64];
    tlsblock[0] = (unsigned long)tlsblock;
    r = clone_settls(tlsblock);
    result("CLONE_SETTLS", r);
    printf("  child: %d\n", status_of((pid_t)r, 0));

    /* CLONE_PARENT: a child's CLONE_PARENT child is our child */
    pid_t mid = fork();
    if (mid == 0) {
        long g = rclone(CLONE_PARENT | SIGCHLD, NULL);
        if (g == 0)
            _exit(getppid() == getppid() ? 4 : 5);
        _exit(g > 0 && waitpid((pid_t)g, NULL, WNOHANG) < 0 && errno == ECHILD ? 0 : 1);
    }
    printf("CLONE_PARENT: middle %d\n", status_of(mid, 0));
    printf("  then ours: %d\n", status_of(-1, 0));
    printf("  no more: %d\n", status_of(-1, 0));

    /* exit signals */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, &old);
    r = rclone(SIGUSR1, NULL);
    if (r == 0)
        _exit(6);
    result("exit signal SIGUSR1", r);
    usleep(100000);
    printf("  wait without __WCLONE: %d\n", status_of((pid_t)r, 0));
    printf("  wait -1 without __WCLONE: %d\n", status_of(-1, WNOHANG));
    printf("  wait with __WCLONE: %d\n", status_of((pid_t)r, __WCLONE));
    sigset_t pend;
    sigpending(&pend);
    printf("  pending: SIGUSR1 %d, SIGCHLD %d\n", sigismember(&pend, SIGUSR1), sigismember(&pend, SIGCHLD));
    int sig;
    sigwait(&set, &sig);

    r = rclone(0, NULL);
    if (r == 0)
        _exit(8);
    result("exit signal 0", r);
    usleep(100000);
    printf("  wait with __WALL: %d\n", status_of(-1, __WALL));
    sigpending(&pend);
    printf("  pending: SIGUSR1 %d, SIGCHLD %d\n", sigismember(&pend, SIGUSR1), sigismember(&pend, SIGCHLD));

    r = rclone(SIGCHLD, NULL);
    if (r == 0)
        _exit(2);
    printf("  SIGCHLD child with __WCLONE: %d\n", status_of((pid_t)r, __WCLONE | WNOHANG));
    siginfo_t si;
    memset(&si, 0, sizeof si);
    printf("  waitid __WALL: %d", waitid(P_PID, (id_t)r, &si, WEXITED | __WALL));
    printf(" status %d\n", si.si_status);
    sigtimedwait(&set, NULL, &(struct timespec){0, 0});
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* bits clone takes no notice of */
    r = rclone(CLONE_DETACHED | SIGCHLD, NULL);
    if (r == 0)
        _exit(1);
    result("CLONE_DETACHED", r);
    printf("  child: %d\n", status_of((pid_t)r, 0));
    r = rclone((1UL << 40) | CLONE_SYSVSEM | CLONE_IO | CLONE_UNTRACED | CLONE_PTRACE | SIGCHLD, NULL);
    if (r == 0)
        _exit(1);
    result("high bits, SYSVSEM, IO, UNTRACED, PTRACE", r);
    printf("  child: %d\n", status_of((pid_t)r, 0));
    return 0;
}
