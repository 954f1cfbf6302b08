/*
 * tests/linux/c/pgrps.c - setpgid's and setsid's rules, as Linux's: a
 * negative group (EINVAL), no such process or one that is neither the
 * caller nor its child (ESRCH), a child past an execve (EACCES), a child
 * in another session or a session leader (EPERM), a group that is not in
 * the caller's session (EPERM); setsid while a group has the caller's id
 * (EPERM).  Children wait on a pipe; one re-executes this program with
 * the argument "wait" to be past its execve.  One line per check; the
 * output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int gate[2];

/* A child that waits until the gate closes; first, with session, in a
 * session of its own; with exec, past an execve of this program. */
static pid_t child(int session, int exec)
{
    int ready[2];
    pipe(ready);
    pid_t pid = fork();
    if (pid == 0) {
        close(gate[1]), close(ready[0]);
        if (session)
            setsid();
        if (exec) {
            dup2(gate[0], 0), dup2(ready[1], 1);
            close(ready[1]);
            execl("/proc/self/exe", "pgrps", "wait", (char *)NULL);
            _exit(127);
        }
        close(ready[1]);
        char b;
        read(gate[0], &b, 1);
        _exit(0);
    }
    close(ready[1]);
    char b;
    read(ready[0], &b, 1); /* its setsid or execve is done */
    close(ready[0]);
    return pid;
}

int main(int argc, char **argv)
{
    if (argc > 1) { /* the exec'd child: ready, then wait for the gate */
        close(1);
        char b;
        read(0, &b, 1);
        return 0;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    pipe(gate);
    CHECK(setpgid(-1, 0));
    CHECK(setpgid(0, -1));
    CHECK(setpgid(999999, 0));
    CHECK(setpgid(getpid(), 999999));
    CHECK(setpgid(getppid(), 0));
    pid_t plain = child(0, 0), leader = child(1, 0), execd = child(0, 1);
    CHECK(setpgid(plain, plain));
    CHECK(getpgid(plain) == plain);
    CHECK(setpgid(plain, getpgrp()));
    CHECK(getpgid(plain) == getpgrp());
    CHECK(setpgid(plain, 0));
    CHECK(setpgid(leader, leader));
    CHECK(setpgid(leader, 0));
    CHECK(setpgid(plain, leader));
    CHECK(setpgid(execd, execd));
    CHECK(setpgid(execd, getpgrp()));
    CHECK(getpgid(leader) == leader);
    CHECK(getsid(leader) == leader);
    printf("-- setsid\n");
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(setpgid(0, 0));
        CHECK(setsid() == getpid());
        CHECK(setsid());
        CHECK(setpgid(0, 0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    pid = fork();
    if (pid == 0) { /* a group that outlives its leader keeps its id from setsid */
        setpgid(0, 0);
        pid_t member = fork();
        if (member == 0) {
            char b;
            read(gate[0], &b, 1);
            _exit(0);
        }
        setpgid(member, getpid());
        setpgid(0, getpgid(getppid()));
        CHECK(getpgid(member) == getpid());
        CHECK(setsid());
        kill(member, SIGKILL);
        waitpid(member, NULL, 0);
        CHECK(setsid() == getpid());
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    close(gate[1]);
    while (wait(NULL) > 0)
        ;
    return 0;
}
