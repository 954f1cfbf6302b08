/*
 * tests/linux/c/clone3settid.c - clone3's set_tid (for checkpoint/restore):
 * the child takes the pid asked for; set_tid without set_tid_size or the
 * reverse, more than MAX_PID_NS_LEVEL (32) or more than the namespace's
 * levels, a pid outside 1..pid_max-1 EINVAL; an unreadable array EFAULT;
 * a pid in use EEXIST; a caller without CAP_SYS_ADMIN or
 * CAP_CHECKPOINT_RESTORE EPERM (after the range's EINVAL, before
 * EEXIST); choosing a pid leaves ns_last_pid as it was.  It runs in a
 * pid namespace of its own (unshare, as root: the checks in its process
 * 1, where two pids may be given, one per level; without one, the checks
 * run as they are).  Only pids' differences are printed.
 */
#define _GNU_SOURCE
#include "check.h"
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
struct clone_args { /* linux/sched.h's, version 2 */
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

#define WANT 20000 /* free on the host's new namespace and on Persona */

static long last_pid(void)
{
    char buf[32];
    return read_text("/proc/sys/kernel/ns_last_pid", buf, sizeof buf) < 0 ? -1 : atol(buf);
}

/* clone3 with set_tid (n of them at tids); the child exits at once.  Prints
 * the error, or whether the child had the first pid asked for. */
static void try(const char *what, pid_t *tids, uint64_t n)
{
    struct clone_args a = {0};
    a.exit_signal = SIGCHLD;
    a.set_tid = (uintptr_t)tids;
    a.set_tid_size = n;
    fflush(stdout);
    long r = syscall(SYS_clone3, &a, sizeof a);
    if (r == 0)
        _exit(getpid() == (tids ? tids[0] : -1) ? 7 : 8);
    if (r < 0) {
        printf("%s: %s\n", what, errno_name(errno));
        return;
    }
    int st = 0;
    pid_t w = waitpid((pid_t)r, &st, 0);
    printf("%s: child is the pid asked for: %s, it saw it: %s\n", what, r == tids[0] && w == r ? "yes" : "no",
           WIFEXITED(st) && WEXITSTATUS(st) == 7 ? "yes" : "no");
}

static void checks(void)
{
    pid_t self = getpid(), t[33] = {WANT};
    long max = 0;
    char buf[32];
    if (read_text("/proc/sys/kernel/pid_max", buf, sizeof buf) >= 0)
        max = atol(buf);
    try("size 1, no array", NULL, 1);
    struct clone_args a = {0};
    a.exit_signal = SIGCHLD, a.set_tid = (uintptr_t)t;
    printf("array, size 0: %s\n", syscall(SYS_clone3, &a, sizeof a) < 0 ? errno_name(errno) : "made");
    try("size 33", t, 33);
    try("size 3 (past the levels)", t, 3);
    try("bad array", (pid_t *)8, 1);
    pid_t bad[] = {0, -1, (pid_t)max, (pid_t)max + 1, self};
    const char *names[] = {"pid 0", "pid -1", "pid pid_max", "pid pid_max + 1", "own pid (in use)"};
    for (int i = 0; i < 5; i++)
        try(names[i], &bad[i], 1);
    long before = last_pid();
    try("free pid", t, 1);
    printf("ns_last_pid unchanged: %s\n", last_pid() == before ? "yes" : "no");
    try("the same pid again", t, 1);
    t[0] = (pid_t)max - 1;
    try("pid_max - 1", t, 1);
    t[0] = WANT;
    fflush(stdout);
    pid_t n = fork();
    if (n == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(1);
        try("as nobody, free pid", t, 1);
        try("as nobody, pid 0", &bad[0], 1);
        try("as nobody, pid in use", &self, 1);
        try("as nobody, size 3", t, 3);
        fflush(stdout);
        _exit(0);
    }
    waitpid(n, NULL, 0);
}

int main(void)
{
    if (unshare(CLONE_NEWPID) == 0) { /* the host: the checks in the namespace's process 1 */
        fflush(stdout);
        pid_t init = fork();
        if (init == 0) {
            checks();
            fflush(stdout);
            _exit(0);
        }
        waitpid(init, NULL, 0);
        return 0;
    }
    checks();
    return 0;
}
