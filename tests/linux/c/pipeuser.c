/*
 * tests/linux/c/pipeuser.c - what pipes cost their user, as Linux counts
 * it: /proc/sys/fs/pipe-user-pages-soft (16384 pages) and
 * pipe-user-pages-hard (0: none); a new pipe charges its creator's real
 * user 16 pages, and once an unprivileged user's pipes pass the soft
 * limit (the 1025th) a new one gets 2 pages (8192 bytes), which
 * F_SETPIPE_SZ may not grow (EPERM) though it may shrink a big one; a
 * closed pipe gives its pages back.  Runs as a user of its own (uid
 * 54321), whose count starts at 0; root is not held to the limits.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define PIPES 1030

static void show(const char *path)
{
    char buf[64];
    printf("%s: %s", path, read_text(path, buf, sizeof buf) < 0 ? "unreadable\n" : buf);
}

int main(void)
{
    static int fds[PIPES][2];
    show("/proc/sys/fs/pipe-user-pages-soft");
    show("/proc/sys/fs/pipe-user-pages-hard");
    struct rlimit rl = {4096, 4096};
    CHECK(setrlimit(RLIMIT_NOFILE, &rl));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        if (setgid(54321) < 0 || setuid(54321) < 0)
            _exit(1);
        int i, big = 0;
        for (i = 0; i < PIPES && pipe(fds[i]) == 0; i++)
            big += fcntl(fds[i][1], F_GETPIPE_SZ) == 65536;
        printf("pipes made %d, of 64 KiB %d\n", i, big);
        CHECK(fcntl(fds[1023][1], F_GETPIPE_SZ));
        CHECK(fcntl(fds[1024][1], F_GETPIPE_SZ));
        CHECK(fcntl(fds[1029][0], F_GETPIPE_SZ));
        CHECK(fcntl(fds[1024][1], F_SETPIPE_SZ, 16384));
        CHECK(fcntl(fds[1024][1], F_SETPIPE_SZ, 8192));
        CHECK(fcntl(fds[1024][1], F_SETPIPE_SZ, 4096));
        CHECK(fcntl(fds[0][1], F_SETPIPE_SZ, 4096));
        CHECK(fcntl(fds[0][1], F_SETPIPE_SZ, 65536));
        CHECK(fcntl(fds[1][1], F_SETPIPE_SZ, 131072));
        CHECK(write(fds[1024][1], "x", 1));
        for (int j = 0; j < 200; j++)
            close(fds[j][0]), close(fds[j][1]);
        int again[2];
        CHECK(pipe(again));
        CHECK(fcntl(again[1], F_GETPIPE_SZ));
        CHECK(fcntl(fds[1025][1], F_SETPIPE_SZ, 65536));
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("child status %d\n", status);
    int p[2];
    CHECK(pipe(p));
    CHECK(fcntl(p[1], F_GETPIPE_SZ));
    return 0;
}
