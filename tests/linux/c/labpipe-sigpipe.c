/* The pipes lab (docs/labs/pipes.md): writing to a pipe nobody can read
 * any more.  The writer dies of SIGPIPE; with SIGPIPE ignored, the write
 * fails with EPIPE; a writer waiting for room when the last reader goes
 * returns what it had written. */
#include "check.h"
#include "labpipe.h"
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int fd[2], status;
    CHECK(pipe(fd));
    CHECK(close(fd[0]));
    pid_t pid = fork();
    if (pid == 0) {
        write(fd[1], "x", 1);
        _exit(0); /* not reached */
    }
    waitpid(pid, &status, 0);
    printf("the writer: %s %d\n", WIFSIGNALED(status) ? "killed by signal" : "exited with", WIFSIGNALED(status) ?
           WTERMSIG(status) : WEXITSTATUS(status));
    signal(SIGPIPE, SIG_IGN);
    CHECK(write(fd[1], "x", 1));
    CHECK(close(fd[1]));

    static char big[200000];
    memset(big, 'y', sizeof big);
    CHECK(pipe(fd));
    pid = fork();
    if (pid == 0) { /* a reader that reads nothing and leaves */
        close(fd[1]);
        nap(100);
        _exit(0);
    }
    CHECK(close(fd[0]));
    CHECK(write(fd[1], big, sizeof big)); /* the pipe's 65536 bytes went in */
    waitpid(pid, NULL, 0);
    return 0;
}
