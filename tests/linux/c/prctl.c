/*
 * tests/linux/c/prctl.c - prctl's process controls: names, the parent's
 * death signal (delivered when the parent ends; not inherited), dumpable,
 * keepcaps, no_new_privs (for good, and inherited), the child subreaper
 * (orphans come to it, not to init, and it reaps them), PR_GET_AUXV (the
 * auxiliary vector, as /proc/self/auxv has it, in Linux's 448 bytes), and
 * EINVAL for what it does not know.  One line per check; the output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static int out[2];

static void on_term(int sig)
{
    char line[64];
    int n = snprintf(line, sizeof line, "grandchild: got signal %d when its parent ended\n", sig);
    write(out[1], line, (size_t)n);
    _exit(0);
}

#define PR_GET_AUXV 0x41555856

static void auxv(void)
{
    unsigned char got[512], file[512];
    memset(got, 0xee, sizeof got);
    long n = prctl(PR_GET_AUXV, got, sizeof got, 0, 0);
    printf("PR_GET_AUXV: %ld\n", n);
    int fd = open("/proc/self/auxv", O_RDONLY);
    long fn = read(fd, file, sizeof file);
    close(fd);
    printf("as /proc/self/auxv: %d, zeros past it: %d, untouched past 448: %d\n",
           fn > 0 && memcmp(got, file, (size_t)fn) == 0, n > fn && got[fn] == 0 && got[n - 1] == 0, got[448] == 0xee);
    CHECK(prctl(PR_GET_AUXV, got, 8, 0, 0));
    CHECK(prctl(PR_GET_AUXV, NULL, 0, 0, 0));
    CHECK(prctl(PR_GET_AUXV, got, 8, 1, 0));
    CHECK(prctl(PR_GET_AUXV, (void *)8, 8, 0, 0));
}

int main(void)
{
    auxv();
    char name[16] = "";
    int v = -1;
    CHECK(prctl(PR_SET_NAME, "renamed", 0, 0, 0));
    CHECK(prctl(PR_GET_NAME, name, 0, 0, 0));
    printf("name: %s\n", name);
    CHECK(prctl(PR_GET_PDEATHSIG, &v, 0, 0, 0));
    printf("pdeathsig: %d\n", v);
    CHECK(prctl(PR_SET_PDEATHSIG, 99, 0, 0, 0));
    CHECK(prctl(PR_SET_PDEATHSIG, SIGUSR2, 0, 0, 0));
    CHECK(prctl(PR_GET_PDEATHSIG, &v, 0, 0, 0));
    printf("pdeathsig: %d\n", v);
    CHECK(prctl(PR_GET_PDEATHSIG, (int *)8, 0, 0, 0));
    CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_DUMPABLE, 2, 0, 0, 0));
    CHECK(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0));
    CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
    CHECK(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
    CHECK(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0));
    CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0));
    CHECK(prctl(9999, 0, 0, 0, 0));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child: pdeathsig %d\n", prctl(PR_GET_PDEATHSIG, &v, 0, 0, 0) == 0 ? v : -1);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    /* the subreaper: a grandchild orphaned by its parent comes to us */
    CHECK(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
    CHECK(prctl(PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0));
    printf("subreaper: %d\n", v);
    pipe(out);
    int ready[2];
    pipe(ready);
    fflush(stdout);
    pid_t middle = fork();
    if (middle == 0) {
        pid_t g = fork();
        if (g == 0) {
            signal(SIGTERM, on_term);
            prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
            write(ready[1], "r", 1);
            for (;;)
                pause();
        }
        char ch;
        read(ready[0], &ch, 1);
        _exit(3); /* the grandchild is orphaned, and told */
    }
    int st;
    waitpid(middle, &st, 0);
    printf("middle exited %d\n", WEXITSTATUS(st));
    char line[64];
    ssize_t n = read(out[0], line, sizeof line);
    printf("%.*s", (int)(n > 0 ? n : 0), line);
    pid_t reaped = waitpid(-1, &st, 0);
    printf("reaped the grandchild ourselves: %d, status %d\n", reaped > 0 && reaped != middle, WEXITSTATUS(st));
    CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        printf("child: no_new_privs %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
