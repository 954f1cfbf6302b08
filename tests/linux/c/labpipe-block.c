/* The pipes lab (docs/labs/pipes.md): a read of an empty pipe waits for
 * the writer, and returns what is there then (not what was asked); a
 * write bigger than the pipe waits for the reader to make room, and
 * returns only once all of it is in. */
#include "check.h"
#include "labpipe.h"
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BIG 300000

int main(void)
{
    int fd[2];
    char buf[100];
    CHECK(pipe(fd));
    pid_t pid = late_write(fd[1]);
    CHECK(read(fd[0], buf, sizeof buf)); /* waits for the child's 4 bytes */
    waitpid(pid, NULL, 0);

    static char big[BIG];
    memset(big, 'x', sizeof big);
    pid = fork();
    if (pid == 0) { /* the reader, slow to start */
        close(fd[1]);
        nap(100);
        long total = 0, n;
        while ((n = read(fd[0], buf, sizeof buf)) > 0)
            total += n;
        printf("the reader got %ld bytes\n", total);
        _exit(0);
    }
    close(fd[0]);
    CHECK(write(fd[1], big, sizeof big)); /* all of it, in one call */
    close(fd[1]);
    waitpid(pid, NULL, 0);
    return 0;
}
