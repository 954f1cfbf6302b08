/* The pipes lab (docs/labs/pipes.md): poll on the ends of a pipe.  The
 * read end is readable with data, or hung up once the writers are gone;
 * the write end is writable while there is room, an error once the
 * readers are gone; a poll waits for the writer's data. */
#define _GNU_SOURCE
#include "check.h"
#include "labpipe.h"
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, int fd, int timeout)
{
    struct pollfd p = {fd, POLLIN | POLLOUT, 0};
    int n = poll(&p, 1, timeout);
    printf("%-36s %d:%s%s%s%s\n", what, n, p.revents & POLLIN ? " IN" : "", p.revents & POLLOUT ? " OUT" : "",
           p.revents & POLLHUP ? " HUP" : "", p.revents & POLLERR ? " ERR" : "");
}

int main(void)
{
    int fd[2];
    char buf[65536];
    CHECK(pipe(fd));
    show("an empty pipe's read end", fd[0], 0);
    show("its write end", fd[1], 0);
    CHECK(write(fd[1], "abc", 3));
    show("the read end, 3 bytes in", fd[0], 0);
    CHECK(write(fd[1], buf, fcntl(fd[1], F_GETPIPE_SZ) - 3)); /* just fills it */
    show("a full pipe's write end", fd[1], 0);
    CHECK(read(fd[0], buf, sizeof buf));
    show("the write end, room made", fd[1], 0);
    CHECK(close(fd[1]));
    show("the read end, writer gone", fd[0], 0);
    while (read(fd[0], buf, sizeof buf) > 0)
        ;
    show("the read end, drained", fd[0], 0);
    CHECK(close(fd[0]));

    CHECK(pipe(fd));
    pid_t pid = late_write(fd[1]);
    show("a poll that waits for data", fd[0], 5000);
    waitpid(pid, NULL, 0);
    CHECK(close(fd[0]));
    show("the write end, reader gone", fd[1], 0);
    return 0;
}
