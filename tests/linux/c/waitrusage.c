/*
 * tests/linux/c/waitrusage.c - wait4's and waitid's struct rusage: the
 * reported child's getrusage(RUSAGE_BOTH), its CPU time and its reaped
 * children's, written only when a child is reported (a stop, too), EFAULT
 * for a bad address (the child reaped all the same).  Prints only what
 * is stable: whether the CPU time is above 0, and the fields Linux keeps
 * at 0.
 */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void spin(long ms)
{
    struct timespec t;
    volatile unsigned long x = 0;
    do {
        for (int i = 0; i < 100000; i++)
            x += (unsigned long)i;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    } while (t.tv_sec * 1000 + t.tv_nsec / 1000000 < ms);
}

static int child(long ms, int code)
{
    pid_t pid = fork();
    if (pid == 0) {
        spin(ms);
        _exit(code);
    }
    return pid;
}

static void show(const char *what, const struct rusage *ru)
{
    long cpu = ru->ru_utime.tv_sec * 1000000 + ru->ru_utime.tv_usec + ru->ru_stime.tv_sec * 1000000 +
               ru->ru_stime.tv_usec;
    printf("%s: cpu>0 %d usec<1e6 %d %d zeros %ld %ld %ld %ld %ld %ld %ld\n", what, cpu > 0,
           ru->ru_utime.tv_usec < 1000000, ru->ru_stime.tv_usec < 1000000, ru->ru_ixrss, ru->ru_idrss, ru->ru_isrss,
           ru->ru_nswap, ru->ru_msgsnd, ru->ru_msgrcv, ru->ru_nsignals);
}

static int untouched(const struct rusage *ru)
{
    const unsigned char *b = (const unsigned char *)ru;
    for (size_t i = 0; i < sizeof *ru; i++)
        if (b[i] != 0xa5)
            return 0;
    return 1;
}

int main(void)
{
    struct rusage ru;
    siginfo_t si;
    int st;
    setvbuf(stdout, NULL, _IONBF, 0);

    pid_t pid = child(50, 3);
    CHECK(wait4(pid, &st, 0, &ru) == pid);
    printf("status %#x\n", st);
    show("wait4 exited", &ru);

    /* a grandchild's CPU is in its parent's RUSAGE_BOTH */
    pid = fork();
    if (pid == 0) {
        pid_t g = child(50, 0);
        _exit(waitpid(g, NULL, 0) == g ? 0 : 1);
    }
    CHECK(wait4(pid, &st, 0, &ru) == pid);
    show("wait4 grandchild's", &ru);

    /* nothing to report: the rusage is left alone */
    pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    memset(&ru, 0xa5, sizeof ru);
    CHECK(wait4(pid, &st, WNOHANG, &ru));
    CHECK(untouched(&ru));
    memset(&ru, 0xa5, sizeof ru);
    CHECK(syscall(SYS_waitid, P_PID, pid, &si, WEXITED | WNOHANG, &ru));
    CHECK(untouched(&ru));
    kill(pid, SIGKILL);
    CHECK(syscall(SYS_waitid, P_PID, pid, &si, WEXITED, &ru));
    printf("waitid killed: signo %d code %d status %d\n", si.si_signo, si.si_code, si.si_status);

    /* a stop reports the rusage too */
    pid = fork();
    if (pid == 0) {
        spin(50);
        raise(SIGSTOP);
        pause();
        _exit(0);
    }
    CHECK(wait4(pid, &st, WUNTRACED, &ru) == pid);
    printf("stopped %d sig %d\n", WIFSTOPPED(st), WSTOPSIG(st));
    show("wait4 stopped", &ru);
    kill(pid, SIGCONT);
    memset(&si, 0, sizeof si);
    CHECK(syscall(SYS_waitid, P_PID, pid, &si, WCONTINUED, &ru));
    printf("waitid continued: code %d\n", si.si_code);
    show("waitid continued", &ru);
    kill(pid, SIGKILL);
    CHECK(wait4(pid, &st, 0, NULL) == pid);

    /* waitid: the rusage of an exit, with and without a siginfo */
    pid = child(50, 7);
    CHECK(syscall(SYS_waitid, P_PID, pid, NULL, WEXITED, &ru));
    show("waitid exited", &ru);

    /* a bad address: EFAULT, and the child is reaped all the same */
#ifndef __i386__ /* 32-bit glibc's wait4 converts a 64-bit rusage into the caller's itself */
    pid = child(0, 1);
    CHECK(wait4(pid, &st, 0, (struct rusage *)16));
    CHECK(wait4(pid, &st, WNOHANG, &ru));
#endif
    pid = child(0, 1);
    CHECK(syscall(SYS_waitid, P_PID, pid, &si, WEXITED, (struct rusage *)16));
    CHECK(syscall(SYS_waitid, P_PID, pid, &si, WEXITED | WNOHANG, &ru));
    pid = child(0, 1);
    CHECK(wait4(pid, (int *)16, 0, &ru));
    CHECK(wait4(pid, &st, WNOHANG, &ru));
    return 0;
}
