/*
 * tests/linux/c/unixinflight.c - descriptors in flight over AF_UNIX
 * sockets: a user other than root may have no more of them sent and not
 * yet received than its RLIMIT_NOFILE (a send that finds more is
 * ETOOMANYREFS, as Linux's too_many_unix_fds), every kind of descriptor
 * counting, whatever the kind of socket; a receive makes room again, and
 * so does a close that drops a queue; root is not limited.  Sockets in
 * flight may nest in each other's queues without a limit of depth (Linux
 * 6.1 stopped at 4; the host's kernel, like the newer ones, has none).
 * The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "scm.h"
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errno_text(int e) { return e == ETOOMANYREFS ? "ETOOMANYREFS" : errno_name(e); }

/* Passes descriptor fd over via n times; the results, runs of equal ones counted. */
static void passes(int via, int fd, int n)
{
    int last = 0, run = 0;
    for (int i = 0; i <= n; i++) {
        int r = i < n ? pass_fd(via, fd) : 0, v = r < 0 ? -errno : r;
        if (i && (i == n || v != last)) {
            printf("pass x%d: %s\n", run, last < 0 ? errno_text(-last) : "1");
            run = 0;
        }
        last = v, run++;
    }
}

static void limited(int type)
{
    int sv[2];
    long len;
    printf("-- type %d\n", type);
    CHECK(socketpair(AF_UNIX, type, 0, sv));
    passes(sv[0], 1, 9);
    errno = 0;
    printf("one more: %d %s\n", pass_fd(sv[0], sv[1]), errno_text(errno));
    CHECK(take_fd(sv[1], 0, &len) >= 0);
    passes(sv[0], 1, 2);
    close(sv[0]), close(sv[1]); /* the queue goes, and its descriptors leave flight */
    CHECK(socketpair(AF_UNIX, type, 0, sv));
    passes(sv[0], 0, 3);
    close(sv[0]), close(sv[1]);
}

/* Socket d+1's queue holds socket d, eight deep. */
static void nested(void)
{
    int prev[2], sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, prev));
    for (int d = 1; d <= 8; d++) {
        socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
        int r = pass_fd(sv[0], prev[1]);
        printf("depth %d: %d %s\n", d, r, r < 0 ? errno_text(errno) : "");
        close(prev[0]), close(prev[1]);
        prev[0] = sv[0], prev[1] = sv[1];
    }
    close(prev[0]), close(prev[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    struct rlimit r = {8, 8};
    CHECK(setrlimit(RLIMIT_NOFILE, &r));
    passes(sv[0], 1, 12); /* root: no limit */
    close(sv[0]), close(sv[1]);
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(setgid(1000));
        CHECK(setuid(1000));
        limited(SOCK_STREAM);
        limited(SOCK_SEQPACKET);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    nested();
    return 0;
}
