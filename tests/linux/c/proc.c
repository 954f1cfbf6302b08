/*
 * tests/linux/c/proc.c - processes: fork, wait status words, exec of a
 * script, pipes between processes, process ids and groups, signals with
 * handlers and siginfo, nice values.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int got, got_code, got_status;

static void on_usr1(int sig) { got = sig; }
static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got = sig, got_code = si->si_code, got_status = si->si_status;
}

int main(void)
{
    int status;
    pid_t pid = fork();
    if (pid == 0)
        _exit(42);
    printf("waitpid returns the child: %d\n", waitpid(pid, &status, 0) == pid);
    printf("exited %d, status %d\n", WIFEXITED(status), WEXITSTATUS(status));
    pid = fork();
    if (pid == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    printf("signaled %d, by %d\n", WIFSIGNALED(status), WTERMSIG(status));
    pid = fork();
    if (pid == 0) {
        *(volatile int *)0 = 1;
        _exit(0);
    }
    waitpid(pid, &status, 0);
    printf("segfault: signaled %d, by %d\n", WIFSIGNALED(status), WTERMSIG(status));
    int w = waitpid(-1, &status, 0);
    printf("waitpid with no children: %d %s\n", w, strerror(errno));

    int p[2];
    pipe(p);
    pid = fork();
    if (pid == 0) {
        close(p[0]);
        dup2(p[1], 1);
        execl("/bin/sh", "sh", "-c", "echo from the child shell; exit 7", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    char buf[64] = {0};
    ssize_t n = read(p[0], buf, sizeof buf - 1);
    waitpid(pid, &status, 0);
    printf("read %zd: %s", n, buf);
    printf("exec'd child exited %d\n", WEXITSTATUS(status));
    printf("read at end of pipe: %zd\n", read(p[0], buf, 1));

    /* Sessions and groups are checked in a child that makes its own
     * session: the session the test starts in is the host's business
     * (under a container's runtime, getsid can name a session leader
     * outside the pid namespace and return 0). */
    printf("getpgrp == getpgid(0): %d\n", getpgrp() == getpgid(0));
    fflush(stdout);
    pid_t parent = getpid();
    pid = fork();
    if (pid == 0) {
        pid_t me = getpid();
        printf("child: getppid is the parent %d, ", getppid() == parent);
        pid_t sid = setsid();
        printf("setsid %d, getsid %d, getpgrp %d, ", sid == me, getsid(0) == me, getpgrp() == me);
        int again = setsid();
        printf("setsid again %d %s\n", again, strerror(errno));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    signal(SIGUSR1, on_usr1);
    kill(getpid(), SIGUSR1);
    printf("SIGUSR1 handler ran: %d\n", got == SIGUSR1);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    got = 0;
    sigprocmask(SIG_BLOCK, &set, &old);
    kill(getpid(), SIGUSR1);
    sigset_t pending;
    sigpending(&pending);
    printf("blocked: handler ran %d, pending %d\n", got, sigismember(&pending, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: handler ran %d\n", got == SIGUSR1);

    struct sigaction sa = {0};
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGCHLD, &sa, NULL);
    got = 0;
    pid = fork();
    if (pid == 0)
        _exit(3);
    while (!got)
        pause();
    printf("SIGCHLD: code CLD_EXITED %d, status %d\n", got_code == CLD_EXITED, got_status);
    waitpid(pid, NULL, 0);
    pid = fork();
    if (pid == 0)
        _exit(5);
    siginfo_t si = {0};
    int wr = waitid(P_PID, pid, &si, WEXITED);
    printf("waitid: %d, signo %d, code CLD_EXITED %d, status %d, pid matches %d\n", wr, si.si_signo,
           si.si_code == CLD_EXITED, si.si_status, si.si_pid == pid);
    memset(&si, 0, sizeof si);
    wr = waitid(P_ALL, 0, &si, WEXITED | WNOHANG);
    printf("waitid with no children: %d %s\n", wr, strerror(errno));
    int r = kill(999999, 0);
    printf("kill of a missing process: %d %s\n", r, strerror(errno));
    signal(SIGCHLD, SIG_IGN); /* children are reaped by themselves: no zombies to wait for */
    pid = fork();
    if (pid == 0)
        _exit(1);
    r = waitpid(pid, &status, 0);
    printf("SIGCHLD ignored: waitpid %d %s\n", r, strerror(errno));
    signal(SIGCHLD, SIG_DFL);

    /* Nice values, relative to the one the test starts with (raising
     * it needs no privilege). */
    errno = 0;
    int base = getpriority(PRIO_PROCESS, 0);
    printf("setpriority +2: %d\n", setpriority(PRIO_PROCESS, 0, base + 2));
    printf("getpriority: +%d\n", getpriority(PRIO_PROCESS, getpid()) - base);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        printf("child inherits: +%d\n", getpriority(PRIO_PROCESS, 0) - base);
        setsid();
        setpriority(PRIO_PGRP, 0, base + 4);
        printf("own group: +%d\n", getpriority(PRIO_PGRP, 0) - base);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    errno = 0;
    r = setpriority(PRIO_PROCESS, 999999, 0);
    printf("setpriority of a missing process: %d %s\n", r, strerror(errno));
    r = getpriority(7, 0);
    printf("getpriority, bad which: %d %s\n", r, strerror(errno));
    return 0;
}
