/*
 * tests/linux/c/posixsig.c - signal rules the POSIX conformance tests
 * lean on, as Linux has them: kill(-1, sig) from a user that may signal
 * none of the other processes still succeeds (Linux counts every process
 * but init and the caller, and a refusal is no error), while a process
 * group it may not signal is EPERM and its own group is 0.  One line per
 * check; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define NOBODY_UID 54321 /* a uid no process of the machine has */

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    pid_t root_kid = fork(); /* stays root: the unprivileged child may not signal it */
    if (root_kid == 0) {
        setpgid(0, 0);
        pause();
        _exit(0);
    }
    setpgid(root_kid, root_kid);
    pid_t kid = fork();
    if (kid == 0) {
        setpgid(0, 0);
        if (setuid(NOBODY_UID) != 0)
            _exit(1);
        CHECK(kill(-1, 0)); /* others exist, none may be signalled: 0 */
        CHECK(kill(-root_kid, 0));
        CHECK(kill(root_kid, 0));
        CHECK(kill(0, 0));
        CHECK(kill(-getpid(), 0));
        _exit(0);
    }
    int st;
    waitpid(kid, &st, 0);
    printf("unprivileged child: exited %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));
    kill(root_kid, SIGKILL);
    waitpid(root_kid, &st, 0);
    printf("root child: signalled %d signal %d\n", WIFSIGNALED(st), WTERMSIG(st));
    return 0;
}
