/*
 * tests/linux/c/textbusy.c - a program being run cannot be written
 * (ETXTBSY): not opened for writing, not truncated, by its name or as
 * /proc/<pid>/exe, while reading and removing it still work; once it has
 * exited it is an ordinary file again.  And a file open for writing cannot
 * be run.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

static char img[4 << 20];

/* A copy of this program at path, closed unless keep; its descriptor. */
static int copy_self(const char *path, int keep)
{
    int in = open("/proc/self/exe", O_RDONLY), out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    ssize_t n = read(in, img, sizeof img);
    write(out, img, (size_t)n);
    close(in);
    if (!keep)
        close(out);
    return out;
}

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) { /* the copy: says it runs, then waits until told to go (or its input ends) */
        char b;
        write(3, "r", 1);
        read(0, &b, 1);
        return 0;
    }
    copy_self("prog", 0);
    int go[2], ready[2];
    pipe(go), pipe(ready);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        dup2(go[0], 0), dup2(ready[1], 3);
        execl("./prog", "prog", "wait", (char *)NULL);
        _exit(127);
    }
    close(go[0]), close(ready[1]);
    char b;
    read(ready[0], &b, 1); /* it runs */
    char exe[64];
    snprintf(exe, sizeof exe, "/proc/%d/exe", (int)c);
    CHECK(open("prog", O_WRONLY));
    CHECK(open("prog", O_RDWR));
    CHECK(open("prog", O_WRONLY | O_TRUNC));
    CHECK(open("prog", O_WRONLY | O_CREAT, 0755));
    CHECK(open(exe, O_WRONLY));
    CHECK(truncate("prog", 0));
    int r = open("prog", O_RDONLY);
    CHECK(r >= 0);
    close(r);
    CHECK(link("prog", "prog2"));
    CHECK(open("prog2", O_WRONLY));
    CHECK(unlink("prog2"));
    write(go[1], "x", 1);
    int status;
    waitpid(c, &status, 0);
    printf("it exited with %d\n", WEXITSTATUS(status));
    r = open("prog", O_WRONLY);
    CHECK(r >= 0);
    close(r);
    /* the other way round: a program open for writing does not run */
    int w = copy_self("prog3", 1);
    fflush(stdout);
    c = fork();
    if (c == 0) {
        close(0); /* if it runs after all, it ends at once */
        execl("./prog3", "prog3", "wait", (char *)NULL);
        printf("execve of a file open for writing: %s\n", strerror(errno));
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, &status, 0);
    close(w);
    unlink("prog");
    unlink("prog3");
    return 0;
}
