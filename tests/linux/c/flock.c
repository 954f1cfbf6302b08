/*
 * tests/linux/c/flock.c - flock(2): shared and exclusive locks between
 * open file descriptions of one file, LOCK_NB, a conversion that fails
 * and loses the old lock (Linux's non-atomic conversion), locks shared by
 * dup'd and inherited descriptors, release at the last close, and a lock
 * that blocks until another process lets go; the order of the checks (a
 * LOCK_MAND request, 32, ignored with 0 even on a bad descriptor; a bad
 * operation EINVAL before a bad descriptor's EBADF; an O_PATH file's
 * EBADF).  One line per check; the output must equal the host Linux's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

int main(void)
{
    int a = open("flock-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    int b = open("flock-file", O_RDWR), c = open("flock-file", O_RDONLY);
    CHECK(flock(999, LOCK_SH));
    CHECK(flock(999, 7));
    CHECK(flock(-1, LOCK_NB));
    CHECK(flock(-1, 32));
    CHECK(flock(-1, 32 | 64));
    CHECK(flock(a, 32 | LOCK_EX));
    CHECK(flock(a, 16 | LOCK_SH));
    int o = open("flock-file", O_PATH);
    CHECK(flock(o, LOCK_SH));
    CHECK(flock(o, 32));
    close(o);
    CHECK(flock(a, 0));
    CHECK(flock(a, LOCK_SH | LOCK_EX));
    CHECK(flock(a, LOCK_EX));
    CHECK(flock(a, LOCK_EX));
    CHECK(flock(b, LOCK_SH | LOCK_NB));
    CHECK(flock(b, LOCK_EX | LOCK_NB));
    CHECK(flock(a, LOCK_UN));
    CHECK(flock(b, LOCK_SH));
    CHECK(flock(a, LOCK_SH | LOCK_NB));
    CHECK(flock(a, LOCK_EX | LOCK_NB)); /* b's shared lock: refused, and a's own is gone */
    CHECK(flock(b, LOCK_UN));
    CHECK(flock(c, LOCK_EX | LOCK_NB)); /* so nothing stops c */
    CHECK(flock(c, LOCK_UN));

    /* a dup'd descriptor shares the lock; the last close lets go */
    CHECK(flock(a, LOCK_EX));
    int d = dup(a);
    CHECK(close(a));
    CHECK(flock(b, LOCK_SH | LOCK_NB));
    CHECK(close(d));
    CHECK(flock(b, LOCK_SH | LOCK_NB));
    CHECK(flock(b, LOCK_UN));

    /* an inherited descriptor: the child's unlock is the parent's */
    CHECK(flock(b, LOCK_EX));
    fflush(stdout); /* the children start with nothing of ours to print */
    pid_t pid = fork();
    if (pid == 0) {
        flock(b, LOCK_UN);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(flock(c, LOCK_SH | LOCK_NB));
    CHECK(flock(c, LOCK_UN));

    /* a lock that waits for another process to let go */
    CHECK(flock(b, LOCK_EX));
    int p[2];
    pipe(p);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int own = open("flock-file", O_RDONLY);
        write(p[1], "w", 1);
        int r = flock(own, LOCK_SH); /* blocks until the parent unlocks */
        printf("child: flock = %d after the parent let go\n", r);
        fflush(stdout);
        _exit(0);
    }
    char ch;
    read(p[0], &ch, 1);
    usleep(100000);
    printf("parent: letting go\n");
    fflush(stdout);
    CHECK(flock(b, LOCK_UN));
    waitpid(pid, NULL, 0);
    unlink("flock-file");
    return 0;
}
