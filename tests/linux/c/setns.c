/*
 * tests/linux/c/setns.c - setns through a pidfd of a child, which is in
 * the caller's namespaces: root joins them (the mount namespace moving it
 * to the root, EINVAL while a CLONE_FS child shares its directory), its
 * own user namespace is EINVAL, a user without CAP_SYS_ADMIN gets EPERM;
 * nstype 0 or unknown bits, a file that is no pidfd, a bad descriptor.
 * The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static void show(const char *what, long r)
{
    printf("%-40s %ld %s\n", what, r, r < 0 ? errno_name(errno) : "");
}

static pid_t sleeper(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    return pid;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    pid_t kid = sleeper();
    int pfd = (int)syscall(SYS_pidfd_open, kid, 0);
    int nul = open("/dev/null", O_RDONLY);
    show("setns(pidfd, CLONE_NEWUTS)", setns(pfd, CLONE_NEWUTS));
    show("setns(pidfd, NEWIPC|NEWNET|NEWPID)", setns(pfd, CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID));
    show("setns(pidfd, CLONE_NEWCGROUP)", setns(pfd, CLONE_NEWCGROUP));
    show("setns(pidfd, CLONE_NEWUSER)", setns(pfd, CLONE_NEWUSER));
    show("setns(pidfd, NEWUTS|NEWUSER)", setns(pfd, CLONE_NEWUTS | CLONE_NEWUSER));
    show("setns(pidfd, 0)", setns(pfd, 0));
    show("setns(pidfd, CLONE_VM)", setns(pfd, CLONE_VM));
    show("setns(pidfd, NEWUTS|CLONE_FS)", setns(pfd, CLONE_NEWUTS | CLONE_FS));
    show("setns(/dev/null, 0)", setns(nul, 0));
    show("setns(/dev/null, CLONE_NEWUTS)", setns(nul, CLONE_NEWUTS));
    show("setns(999, CLONE_NEWUTS)", setns(999, CLONE_NEWUTS));
    show("setns(-1, 0)", setns(-1, 0));

    /* the mount namespace: to its root, unless the directory is shared */
    long r = syscall(SYS_clone, CLONE_FS | SIGCHLD, 0L, 0L, 0L, 0L);
    if (r == 0) {
        pause();
        _exit(0);
    }
    show("with a CLONE_FS child: CLONE_NEWNS", setns(pfd, CLONE_NEWNS));
    kill((pid_t)r, SIGKILL);
    waitpid((pid_t)r, NULL, 0);
    char cwd[256];
    show("setns(pidfd, CLONE_NEWNS)", setns(pfd, CLONE_NEWNS));
    printf("cwd %s\n", getcwd(cwd, sizeof cwd));

    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) || setuid(65534))
            _exit(9);
        pid_t own = sleeper();
        int ofd = (int)syscall(SYS_pidfd_open, own, 0);
        show("uid 65534: CLONE_NEWUTS", setns(ofd, CLONE_NEWUTS));
        show("uid 65534: CLONE_NEWNS", setns(ofd, CLONE_NEWNS));
        show("uid 65534: CLONE_NEWUSER", setns(ofd, CLONE_NEWUSER));
        kill(own, SIGKILL);
        waitpid(own, NULL, 0);
        show("uid 65534: an ended child's", setns(ofd, CLONE_NEWUTS));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    kill(kid, SIGKILL);
    waitpid(kid, NULL, 0);
    show("an ended child's", setns(pfd, CLONE_NEWUTS));
    return 0;
}
