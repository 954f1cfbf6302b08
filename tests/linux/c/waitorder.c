/*
 * tests/linux/c/waitorder.c - which child a wait for any child reports
 * first: with several already ended, Linux's order of its children list,
 * the oldest-created first (whatever order they ended in), for wait,
 * waitpid(-1), waitid(P_ALL) and wait4 with __WALL and __WCLONE; with
 * children ending one at a time, each as it ends.  Tracees that are not
 * the tracer's children come after its children, the latest attached
 * first (Linux's ptraced list).  Prints each reaped child's index, never
 * its pid.
 */
#define _GNU_SOURCE
#include "check.h"
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N 5

static pid_t kids[N];

static int index_of(pid_t pid)
{
    for (int i = 0; i < N; i++)
        if (kids[i] == pid)
            return i;
    return -1;
}

static void nap_ms(long ms)
{
    struct timespec t = {ms / 1000, ms % 1000 * 1000000};
    nanosleep(&t, NULL);
}

/* Process pid's state letter in its /proc stat (0 when it has none). */
static char state(pid_t pid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    return p && p[1] == ' ' ? p[2] : 0;
}

static int zombie(pid_t pid) { return state(pid) == 'Z'; }
static int stopped(pid_t pid) { return state(pid) == 't' || state(pid) == 'T'; }

static void all_zombies(void)
{
    for (int tries = 0; tries < 500; tries++) {
        int all = 1;
        for (int i = 0; i < N; i++)
            all &= zombie(kids[i]);
        if (all)
            return;
        nap_ms(10);
    }
    printf("children did not all end\n");
}

/* Three tracees that are not this process's children (a child's children,
 * attached in order 0 1 2): their stops and their ends, with the child's
 * own end among them. */
static void tracees(void)
{
    int fds[2];
    if (pipe(fds) < 0)
        return;
    pid_t helper = fork();
    if (helper == 0) { /* makes three sleepers and waits to be killed */
        for (int i = 0; i < 3; i++) {
            pid_t g = fork();
            if (g == 0) {
                pause();
                _exit(0);
            }
            if (write(fds[1], &g, sizeof g) != sizeof g)
                _exit(1);
        }
        pause();
        _exit(0);
    }
    for (int i = 0; i < 3; i++)
        if (read(fds[0], &kids[i], sizeof kids[i]) != sizeof kids[i])
            return;
    kids[3] = helper, kids[4] = -2;
    for (int i = 0; i < 3; i++)
        CHECK(ptrace(PTRACE_ATTACH, kids[i], 0L, 0L));
    for (int tries = 0; tries < 500 && !(stopped(kids[0]) && stopped(kids[1]) && stopped(kids[2])); tries++)
        nap_ms(10);
    printf("tracees' stops:");
    for (int i = 0; i < 3; i++)
        printf(" %d", index_of(waitpid(-1, NULL, __WALL)));
    printf("\n");
    for (int i = 0; i < 3; i++)
        kill(kids[i], SIGKILL);
    kill(helper, SIGKILL);
    for (int tries = 0; tries < 500 && !(zombie(kids[0]) && zombie(kids[1]) && zombie(kids[2]) && zombie(helper));
         tries++)
        nap_ms(10);
    printf("their ends and the child's:");
    for (int i = 0; i < 4; i++)
        printf(" %d", index_of(waitpid(-1, NULL, __WALL)));
    printf("\n");
}

/* A child (a clone child with exit signal 0 when clone_kid) that ends
 * after ms milliseconds. */
static pid_t kid(long ms, int clone_kid)
{
    pid_t pid = clone_kid ? (pid_t)syscall(SYS_clone, 0L, 0L, 0L, 0L, 0L) : fork();
    if (pid == 0) {
        nap_ms(ms);
        _exit(0);
    }
    return pid;
}

/* N children that end in reverse order of their creation; reaped once all
 * have ended, with how. */
static void ended_first(const char *how)
{
    for (int i = 0; i < N; i++)
        kids[i] = kid(20L * (N - i), 0);
    all_zombies();
    printf("%s:", how);
    for (int i = 0; i < N; i++) {
        pid_t pid = -1;
        if (!strcmp(how, "wait()")) {
            pid = wait(NULL);
        } else if (!strcmp(how, "waitpid(-1)")) {
            pid = waitpid(-1, NULL, 0);
        } else {
            siginfo_t si;
            pid = waitid(P_ALL, 0, &si, WEXITED) == 0 ? si.si_pid : -1;
        }
        printf(" %d", index_of(pid));
    }
    printf("\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    ended_first("wait()");
    ended_first("waitpid(-1)");
    ended_first("waitid(P_ALL)");

    /* ending one at a time, in the order 2 0 4 1 3: each as it ends */
    static const int order[N] = {2, 0, 4, 1, 3};
    for (int k = 0; k < N; k++)
        kids[order[k]] = kid(200L * (k + 1), 0); /* far apart: the wait is there before the next ends */
    printf("one at a time:");
    for (int i = 0; i < N; i++)
        printf(" %d", index_of(wait(NULL)));
    printf("\n");

    /* clone children (exit signal 0) among ordinary ones: 0, 2 and 4 */
    for (int i = 0; i < N; i++)
        kids[i] = kid(20L * (N - i), i % 2 == 0);
    all_zombies();
    printf("__WCLONE:");
    for (int i = 0; i < 3; i++)
        printf(" %d", index_of(waitpid(-1, NULL, __WCLONE)));
    printf("\n");
    for (int i = 0; i < N; i++)
        kids[i] = i % 2 ? kids[i] : kid(20L * (N - i), 1);
    all_zombies();
    printf("__WALL:");
    for (int i = 0; i < N; i++)
        printf(" %d", index_of(waitpid(-1, NULL, __WALL)));
    printf("\n");
    errno = 0;
    CHECK(waitpid(-1, NULL, __WALL));
    tracees();
    return 0;
}
