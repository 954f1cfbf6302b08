/*
 * tests/linux/c/closerange.c - close_range: a range of descriptors
 * closed (the ones not open skipped, a last past every descriptor), or
 * marked close-on-exec with CLOSE_RANGE_CLOEXEC (and then closed by an
 * execve), CLOSE_RANGE_UNSHARE in a process of one thread, and in a
 * child that shares its parent's table (CLONE_FILES: the child takes a
 * copy and acts on it, the parent keeps its descriptors), and the errors
 * (first past last, unknown flags).  The output must equal the host
 * Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CLOSE_RANGE_UNSHARE 2
#define CLOSE_RANGE_CLOEXEC 4

static long close_range(unsigned first, unsigned last, unsigned flags)
{
    return syscall(SYS_close_range, first, last, flags);
}

/* Which of descriptors 3 to 40 are open, and which close-on-exec. */
static void show(const char *what)
{
    printf("%s:", what);
    for (int fd = 3; fd <= 40; fd++) {
        int fl = fcntl(fd, F_GETFD);
        if (fl >= 0)
            printf(" %d%s", fd, fl & FD_CLOEXEC ? "e" : "");
    }
    printf("\n");
}

static void fill(void)
{
    for (int fd = 3; fd <= 12; fd++)
        dup2(0, fd);
    dup2(0, 20), dup2(0, 40);
}

/* close_range with flags in a child sharing the table, the child
 * making descriptor 25 before (share_first) or after it. */
static void shared(unsigned flags, bool share_first)
{
    fill();
    pid_t pid = (pid_t)syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) {
        if (share_first)
            dup2(0, 25);
        long r = close_range(8, ~0u, flags);
        if (!share_first)
            dup2(0, 25);
        printf("CLONE_FILES child, flags %u: %ld\n", flags, r);
        show("child");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    show("parent");
    close_range(3, ~0u, 0);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1) { /* after execve: what is left */
        show("after exec");
        return 0;
    }
    fill();
    show("filled");
    CHECK(close_range(5, 7, 0));
    show("5-7 closed");
    CHECK(close_range(6, 6, 0));
    CHECK(close_range(11, ~0u, 0));
    show("11- closed");
    CHECK(close_range(8, 3, 0));
    CHECK(close_range(3, 4, 1));
    CHECK(close_range(3, 4, 8));
    CHECK(close_range(3, 4, 0x80000000u));
    CHECK(close_range(~0u, ~0u, 0));
    CHECK(close_range(100000, 200000, 0));
    show("unchanged");
    fill();
    CHECK(close_range(4, 9, CLOSE_RANGE_CLOEXEC));
    show("4-9 cloexec");
    CHECK(close_range(20, ~0u, CLOSE_RANGE_CLOEXEC | CLOSE_RANGE_UNSHARE));
    show("20- cloexec, unshared");
    CHECK(close_range(12, 12, CLOSE_RANGE_UNSHARE));
    show("12 closed, unshared");
    CHECK(close_range(30, ~0u, CLOSE_RANGE_UNSHARE));
    show("30- closed, unshared");
    pid_t pid = fork();
    if (pid == 0) { /* a child's table is its own */
        close_range(3, ~0u, 0);
        show("child");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    show("parent after child");
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        execl("/proc/self/exe", argv[0], "after", (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("exec child: %d\n", WEXITSTATUS(st));
    shared(0, true);
    shared(CLOSE_RANGE_UNSHARE, true);
    shared(CLOSE_RANGE_CLOEXEC, false);
    shared(CLOSE_RANGE_CLOEXEC | CLOSE_RANGE_UNSHARE, false);
    return 0;
}
