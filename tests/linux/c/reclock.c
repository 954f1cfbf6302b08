/*
 * tests/linux/c/reclock.c - fcntl's record locks: F_GETLK, F_SETLK and
 * F_SETLKW between processes (a child's locks against its parent's),
 * ranges that split and merge, whence and negative lengths, the access a
 * lock needs, locks gone when the process closes any descriptor of the
 * file, a wait until the holder unlocks, EDEADLK for a circle of waiters,
 * and open file description locks (F_OFD_*); the checks' order (F_GETLK
 * of F_UNLCK, a range past the largest offset, l_pid after the mode).  One line per check; the
 * output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static int fd;

static long lk(int cmd, int type, int whence, long start, long len)
{
    struct flock fl = {.l_type = type, .l_whence = whence, .l_start = start, .l_len = len};
    return fcntl(fd, cmd, &fl);
}

/* F_GETLK as the test's child sees it: the lock in the way, if any. */
static void probe(const char *what, int type, long start, long len)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        long r = fcntl(fd, F_GETLK, &fl);
        if (r < 0)
            printf("%s: %s\n", what, strerror(errno));
        else if (fl.l_type == F_UNLCK)
            printf("%s: free\n", what);
        else
            printf("%s: %s %ld+%ld by %s\n", what, fl.l_type == F_WRLCK ? "write" : "read", (long)fl.l_start,
                   (long)fl.l_len, fl.l_pid == getppid() ? "the parent" : fl.l_pid == -1 ? "-1" : "another");
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

int main(void)
{
    fd = open("reclock-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(fd, "0123456789", 10);
    CHECK(lk(F_SETLK, 9, SEEK_SET, 0, 1));
    CHECK(lk(F_SETLK, F_WRLCK, 9, 0, 1));
    CHECK(lk(F_SETLK, F_WRLCK, SEEK_SET, -1, 1));
    CHECK(lk(F_SETLK, F_WRLCK, SEEK_SET, 5, -6));
    CHECK(fcntl(fd, F_SETLK, (struct flock *)8));
    CHECK(lk(F_GETLK, F_UNLCK, SEEK_SET, 0, 1)); /* F_GETLK asks about a lock */
    CHECK(lk(F_SETLK, F_WRLCK, SEEK_SET, 0x7fffffffffffffffL, 2)); /* past the largest offset */
    CHECK(lk(F_SETLK, F_WRLCK, SEEK_END, 0x7ffffffffffffffaL, 1));
    CHECK(lk(F_SETLK, F_WRLCK, SEEK_SET, 0x7fffffffffffffffL, 1));
    CHECK(lk(F_SETLK, F_WRLCK, SEEK_SET, 1, 0x7fffffffffffffffL));
    CHECK(lk(F_SETLK, F_WRLCK, SEEK_SET, 5, -5));
    CHECK(lk(F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
    CHECK(lk(F_SETLK, F_WRLCK, SEEK_SET, 10, 10));
    probe("10..19 for reading", F_RDLCK, 10, 10);
    probe("20.. for writing", F_WRLCK, 20, 0);
    probe("0..9 for writing", F_WRLCK, 0, 10);
    CHECK(lk(F_SETLK, F_WRLCK, SEEK_SET, 20, 5)); /* touches 10..19: merged */
    probe("merged", F_RDLCK, 0, 0);
    CHECK(lk(F_SETLK, F_UNLCK, SEEK_SET, 14, 2)); /* a hole in it: split */
    probe("the hole", F_WRLCK, 14, 2);
    probe("after the hole", F_WRLCK, 15, 10);
    CHECK(lk(F_SETLK, F_RDLCK, SEEK_SET, 10, 4)); /* a write lock made a read lock */
    probe("read over read", F_RDLCK, 10, 4);
    probe("write over read", F_WRLCK, 10, 4);
    lseek(fd, 30, SEEK_SET);
    CHECK(lk(F_SETLK, F_WRLCK, SEEK_CUR, -2, 1));
    CHECK(lk(F_SETLK, F_WRLCK, SEEK_END, 40, 0));
    probe("SEEK_CUR and SEEK_END", F_WRLCK, 28, 100);
    CHECK(lk(F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
    probe("all unlocked", F_WRLCK, 0, 0);

    /* the access a lock needs */
    int ro = open("reclock-file", O_RDONLY);
    struct flock w = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    CHECK(fcntl(ro, F_SETLK, &w));
    w.l_type = F_RDLCK;
    CHECK(fcntl(ro, F_SETLK, &w));
    probe("read lock through another descriptor", F_WRLCK, 0, 1);
    CHECK(close(ro)); /* any close of the file lets go of the process's locks */
    probe("after closing that descriptor", F_WRLCK, 0, 1);

    /* a child that conflicts: EAGAIN, then a wait until the parent unlocks */
    CHECK(lk(F_SETLK, F_WRLCK, SEEK_SET, 0, 5));
    int p[2];
    pipe(p);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child F_SETLK: %ld\n", lk(F_SETLK, F_WRLCK, SEEK_SET, 2, 1) < 0 ? (long)errno : 0L);
        fflush(stdout);
        write(p[1], "w", 1);
        long r = lk(F_SETLKW, F_WRLCK, SEEK_SET, 2, 1);
        printf("child F_SETLKW: %ld after the parent let go\n", r);
        fflush(stdout);
        _exit(0);
    }
    char ch;
    read(p[0], &ch, 1);
    usleep(100000);
    printf("parent: unlocking\n");
    fflush(stdout);
    long r = lk(F_SETLK, F_UNLCK, SEEK_SET, 0, 5);
    waitpid(pid, NULL, 0); /* the child's line first, whoever ran first */
    printf("parent unlocked: %ld\n", r);

    /* a circle: the child holds 50, waits for 60; the parent, holding 60, asks for 50 */
    CHECK(lk(F_SETLK, F_WRLCK, SEEK_SET, 60, 1));
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        lk(F_SETLK, F_WRLCK, SEEK_SET, 50, 1);
        write(p[1], "w", 1);
        long r = lk(F_SETLKW, F_WRLCK, SEEK_SET, 60, 1);
        printf("child got 60: %ld\n", r);
        fflush(stdout);
        _exit(0);
    }
    read(p[0], &ch, 1);
    usleep(100000);
    CHECK(lk(F_SETLKW, F_WRLCK, SEEK_SET, 50, 1));
    fflush(stdout);
    r = lk(F_SETLK, F_UNLCK, SEEK_SET, 60, 1);
    waitpid(pid, NULL, 0);
    printf("parent unlocked 60: %ld\n", r);

    /* open file description locks: the owner is the open file */
    int a = open("reclock-file", O_RDWR), b = open("reclock-file", O_RDWR);
    struct flock o = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    CHECK(fcntl(a, F_OFD_SETLK, &o));
    CHECK(fcntl(b, F_OFD_SETLK, &o));
    o.l_pid = 1;
    CHECK(fcntl(b, F_OFD_GETLK, &o));
    o.l_pid = 0;
    CHECK(fcntl(b, F_OFD_GETLK, &o));
    printf("OFD conflict: type %d pid %d\n", o.l_type, (int)o.l_pid);
    CHECK(close(a));
    o = (struct flock){.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    CHECK(fcntl(b, F_OFD_SETLK, &o));
    int wo = open("reclock-file", O_WRONLY);
    o = (struct flock){.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_pid = 1};
    CHECK(fcntl(wo, F_OFD_SETLK, &o)); /* the mode's EBADF before l_pid's EINVAL */
    o.l_type = F_WRLCK;
    CHECK(fcntl(wo, F_OFD_SETLK, &o));
    unlink("reclock-file");
    return 0;
}
