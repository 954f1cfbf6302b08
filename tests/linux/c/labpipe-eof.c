/* The pipes lab (docs/labs/pipes.md): end of file.  A read returns what
 * is left after the writer closed, then 0; a reader waiting on an empty
 * pipe gets 0 when the last writer closes, and not before: a second
 * writer (a forked copy of the descriptor) keeps it waiting. */
#include "check.h"
#include "labpipe.h"
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int fd[2];
    char buf[16];
    CHECK(pipe(fd));
    CHECK(write(fd[1], "abc", 3));
    CHECK(close(fd[1]));
    CHECK(read(fd[0], buf, sizeof buf));
    CHECK(read(fd[0], buf, sizeof buf));
    CHECK(close(fd[0]));

    CHECK(pipe(fd));
    pid_t pid = fork();
    if (pid == 0) { /* the second writer: writes once, late, then closes */
        nap(150);
        write(fd[1], "z", 1);
        _exit(0);
    }
    CHECK(close(fd[1])); /* the parent's writer goes; the child's is left */
    CHECK(read(fd[0], buf, sizeof buf)); /* waits for the child's byte */
    CHECK(read(fd[0], buf, sizeof buf)); /* then for its exit: 0 */
    waitpid(pid, NULL, 0);
    return 0;
}
