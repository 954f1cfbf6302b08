/*
 * tests/linux/c/rlimitnproc.c - RLIMIT_NPROC, as Linux: its default is
 * half of /proc/sys/kernel/threads-max; a user's tasks (threads too,
 * zombies until reaped) at the limit make fork, vfork, clone3 and
 * pthread_create fail EAGAIN, unless the real uid is root or the caller
 * has CAP_SYS_ADMIN or CAP_SYS_RESOURCE; a setuid to a user past the
 * limit succeeds but marks the process, whose execve then fails EAGAIN
 * while the user still is past it, and ENOENT (of a missing program)
 * once it is not.  Run as root (a user no other process has: U).
 */
#define _GNU_SOURCE
#include "check.h"
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define U 47321

static void say(const char *what, long r)
{
    printf("%-44s %s\n", what, r < 0 ? errno_name(errno) : "ok");
    errno = 0;
}

static void set_nproc(rlim_t n)
{
    struct rlimit r = {n, n};
    if (setrlimit(RLIMIT_NPROC, &r) < 0)
        printf("setrlimit: %s\n", errno_name(errno));
}

/* A fork whose child exits at once (reaped): 0 or -1. */
static long try_fork(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    return pid < 0 ? -1 : (waitpid(pid, NULL, 0), 0);
}

static long try_vfork(void)
{
    pid_t pid = vfork();
    if (pid == 0)
        _exit(0);
    return pid < 0 ? -1 : (waitpid(pid, NULL, 0), 0);
}

static long try_clone3(void)
{
    uint64_t args[8] = {0, 0, 0, 0, SIGCHLD, 0, 0, 0}; /* struct clone_args: a fork */
    long pid = syscall(SYS_clone3, args, sizeof args);
    if (pid == 0)
        _exit(0);
    return pid < 0 ? -1 : (waitpid((pid_t)pid, NULL, 0), 0);
}

static void *idle(void *arg) { return arg; }

static long try_thread(void)
{
    pthread_t t;
    int e = pthread_create(&t, NULL, idle, NULL);
    if (e)
        return errno = e, -1;
    pthread_join(t, NULL);
    return 0;
}

/* A child that becomes U and waits for its pipe to close; its pid. */
static pid_t user_child(int hold[2])
{
    int ready[2];
    char c;
    if (pipe(hold) < 0 || pipe(ready) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        for (int fd = 3; fd < 64; fd++) /* another such child's pipe too */
            if (fd != hold[0] && fd != ready[1])
                close(fd);
        if (setuid(U) < 0 || write(ready[1], "x", 1) != 1)
            _exit(1);
        read(hold[0], &c, 1);
        _exit(0);
    }
    close(hold[0]);
    close(ready[1]);
    read(ready[0], &c, 1);
    close(ready[0]);
    return pid;
}

/* Two tasks of U at a limit of 2: who may still make one. */
static void at_limit(void)
{
    set_nproc(2);
    say("root, at 0 tasks of its own: fork", try_fork());
    say("real uid U, effective root: setresuid", setresuid(U, 0, 0));
    int hold[2];
    pid_t b = user_child(hold); /* U's second task (with the privilege: it may) */
    say("U with CAP_SYS_ADMIN, at the limit: fork", try_fork());
    say("U, all ids: setresuid", setresuid(U, U, U));
    say("U at the limit: fork", try_fork());
    say("U at the limit: vfork", try_vfork());
    say("U at the limit: clone3", try_clone3());
    say("U at the limit: pthread_create", try_thread());
    close(hold[1]);
    siginfo_t si;
    waitid(P_PID, (id_t)b, &si, WEXITED | WNOWAIT); /* a zombie, not reaped */
    say("U, one a zombie: fork", try_fork());
    waitpid(b, NULL, 0);
    say("U, the zombie reaped: fork", try_fork());
    say("U, the zombie reaped: pthread_create", try_thread());
}

/* setuid to U while U has two tasks, at a limit of 1. */
static void setuid_past(void)
{
    int h1[2], h2[2];
    set_nproc(1);
    pid_t d1 = user_child(h1), d2 = user_child(h2);
    say("setuid(U), U past its limit", setuid(U));
    say("execve", execl("/nonexistent-rlimitnproc", "x", (char *)NULL));
    say("fork", try_fork());
    close(h1[1]);
    waitpid(d1, NULL, 0);
    say("one of U's others gone: execve", execl("/nonexistent-rlimitnproc", "x", (char *)NULL));
    close(h2[1]);
    waitpid(d2, NULL, 0);
    say("both gone: execve", execl("/nonexistent-rlimitnproc", "x", (char *)NULL));
}

/* setresuid to U past its limit keeping root's effective uid: marked,
 * yet privileged, a fork works; the child takes the mark, the caller's
 * goes. */
static void mark_to_child(void)
{
    int h1[2], h2[2];
    set_nproc(1);
    pid_t d1 = user_child(h1), d2 = user_child(h2);
    say("setresuid(U, 0, 0), U past its limit", setresuid(U, 0, 0));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        say("the child: execve", execl("/nonexistent-rlimitnproc", "x", (char *)NULL));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    say("the caller, having forked: execve", execl("/nonexistent-rlimitnproc", "x", (char *)NULL));
    close(h1[1]);
    close(h2[1]);
    waitpid(d1, NULL, 0);
    waitpid(d2, NULL, 0);
}

/* setuid to U within its limit: nothing marked. */
static void setuid_within(void)
{
    set_nproc(5);
    say("setuid(U), U within its limit", setuid(U));
    say("execve", execl("/nonexistent-rlimitnproc", "x", (char *)NULL));
}

static void in_child(void (*f)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        f();
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

int main(void)
{
    struct rlimit r;
    unsigned long max = 0;
    FILE *f = fopen("/proc/sys/kernel/threads-max", "r");
    if (!f || fscanf(f, "%lu", &max) != 1)
        printf("threads-max: not read\n");
    getrlimit(RLIMIT_NPROC, &r);
    printf("default: soft %s threads-max / 2, hard %s soft\n", r.rlim_cur == max / 2 ? "is" : "is not",
           r.rlim_max == r.rlim_cur ? "is" : "is not");
    in_child(at_limit);
    in_child(setuid_past);
    in_child(mark_to_child);
    in_child(setuid_within);
    return 0;
}
