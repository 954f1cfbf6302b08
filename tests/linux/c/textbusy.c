/*
 * tests/linux/c/textbusy.c - a program being run cannot be written
 * (ETXTBSY): not opened for writing, not truncated, by its name or as
 * /proc/<pid>/exe, while reading and removing it still work; once it has
 * exited it is an ordinary file again.  And a file open for writing cannot
 * be run.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "selfcopy.h"
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) { /* the copy */
        copy_wait();
        return 0;
    }
    copy_self("prog", 0);
    int go;
    pid_t c = start_copy("./prog", "wait", &go);
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
    write(go, "x", 1);
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
