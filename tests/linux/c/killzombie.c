/*
 * tests/linux/c/killzombie.c - a child that has ended but not been waited
 * for can still be signalled, to no effect, as on Linux: kill, kill of its
 * process group, tgkill and sigqueue give 0, and its status stays its
 * own; once reaped, ESRCH.  One line per check; the output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        _exit(3);
    }
    setpgid(pid, pid); /* either side may be first; the other's fails */
    siginfo_t si;
    CHECK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT)); /* a zombie now */
    CHECK(kill(pid, 0));
    CHECK(kill(pid, SIGTERM));
    CHECK(kill(pid, SIGKILL));
    CHECK(kill(-pid, 0));
    CHECK(syscall(SYS_tgkill, pid, pid, 0));
    CHECK(syscall(SYS_tgkill, pid, pid, SIGUSR1));
    CHECK(syscall(SYS_tkill, pid, SIGUSR1));
    CHECK(sigqueue(pid, SIGUSR1, (union sigval){0}));
    int st;
    CHECK(waitpid(pid, &st, 0) == pid);
    printf("exited %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));
    CHECK(kill(pid, 0));
    CHECK(kill(-pid, 0));
    CHECK(syscall(SYS_tgkill, pid, pid, 0));
    return 0;
}
