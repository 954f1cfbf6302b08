/*
 * tests/linux/c/ioprio.c - ioprio_get and ioprio_set: the value a process
 * starts with, the classes (none, real-time, best-effort, idle) and their
 * levels, each "who" (IOPRIO_WHO_PROCESS, a thread id, IOPRIO_WHO_PGRP,
 * IOPRIO_WHO_USER) and 0 for the caller's own; what a fork inherits; EINVAL
 * for a bad class, level or which, ESRCH for nobody, EPERM for the
 * real-time class or another user's process when not root.  Users are
 * chosen so that no process of the machine's is touched.  The output must
 * equal the host Linux's.
 *
 * "ioprio persona-only" sets levels past 7, which Linux 6.1 (the
 * reference) refuses for the real-time, best-effort and none classes
 * (EINVAL) and 6.5 and later take as hints: run on Persona alone and compared with
 * Linux 6.1's answers (tests/linux/c/ioprio.persona-only.expected).
 */
#define _GNU_SOURCE
#include "check.h"
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define WHO_PROCESS 1
#define WHO_PGRP 2
#define WHO_USER 3
#define PRIO(class, data) (((class) << 13) | (data))
#define NONE 0
#define RT 1
#define BE 2
#define IDLE 3
#define UID 4242 /* a user nothing else runs as */

static long get(int which, int who) { return syscall(SYS_ioprio_get, which, who); }
static long set(int which, int who, int prio) { return syscall(SYS_ioprio_set, which, who, prio); }

static volatile pid_t thread_tid;
static int wake[2];

/* A thread that says its id, then waits for a byte on the pipe. */
static void *waiter(void *arg)
{
    char c;
    (void)arg;
    thread_tid = (pid_t)syscall(SYS_gettid);
    return read(wake[0], &c, 1) == 1 ? NULL : arg;
}

static void classes(void)
{
    CHECK(set(WHO_PROCESS, 0, PRIO(BE, 0)));
    CHECK(get(WHO_PROCESS, 0));
    CHECK(set(WHO_PROCESS, 0, PRIO(BE, 7)));
    CHECK(get(WHO_PROCESS, 0));
    CHECK(set(WHO_PROCESS, 0, PRIO(BE, 1) | 0x10000));
    CHECK(get(WHO_PROCESS, 0));
    CHECK(set(WHO_PROCESS, 0, PRIO(RT, 3)));
    CHECK(get(WHO_PROCESS, 0));
    CHECK(set(WHO_PROCESS, 0, PRIO(IDLE, 0)));
    CHECK(get(WHO_PROCESS, 0));
    CHECK(set(WHO_PROCESS, 0, PRIO(IDLE, 7)));
    CHECK(get(WHO_PROCESS, 0));
    CHECK(set(WHO_PROCESS, 0, PRIO(NONE, 1)));
    CHECK(set(WHO_PROCESS, 0, PRIO(4, 0)));
    CHECK(set(WHO_PROCESS, 0, PRIO(7, 0)));
    CHECK(set(WHO_PROCESS, 0, -1));
    CHECK(set(WHO_PROCESS, 0, PRIO(NONE, 0)));
    CHECK(get(WHO_PROCESS, 0));
    CHECK(set(0, 0, PRIO(BE, 1)));
    CHECK(set(4, 0, PRIO(BE, 1)));
    CHECK(get(0, 0));
    CHECK(get(4, 0));
    CHECK(get(-1, 0));
    CHECK(set(4, 0, PRIO(9, 1)));
    CHECK(get(WHO_PROCESS, 0x3ffffff));
    CHECK(set(WHO_PROCESS, 0x3ffffff, PRIO(BE, 1)));
    CHECK(get(WHO_PROCESS, -1));
    CHECK(get(WHO_PGRP, 0x3ffffff));
    CHECK(set(WHO_PGRP, 0x3ffffff, PRIO(BE, 1)));
    CHECK(get(WHO_USER, 54321));
    CHECK(set(WHO_USER, 54321, PRIO(BE, 1)));
}

/* Threads have an I/O priority each; a fork's child inherits it. */
static void threads(void)
{
    pthread_t th;
    if (pipe(wake) < 0)
        return;
    pthread_create(&th, NULL, waiter, NULL);
    while (!thread_tid)
        usleep(1000);
    CHECK(set(WHO_PROCESS, thread_tid, PRIO(BE, 2)));
    CHECK(get(WHO_PROCESS, thread_tid));
    CHECK(get(WHO_PROCESS, 0));
    CHECK(set(WHO_PROCESS, 0, PRIO(BE, 6)));
    CHECK(get(WHO_PROCESS, thread_tid));
    if (write(wake[1], "x", 1) != 1)
        return;
    pthread_join(th, NULL);
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(get(WHO_PROCESS, 0));
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
}

/* A process group of its own: the group's best (lowest) value. */
static void groups(void)
{
    int p[2];
    if (pipe(p) < 0)
        return;
    pid_t a = fork();
    if (a == 0) {
        setpgid(0, 0);
        char c;
        read(p[0], &c, 1);
        _exit(0);
    }
    setpgid(a, a);
    pid_t b = fork();
    if (b == 0) {
        setpgid(0, a);
        char c;
        read(p[0], &c, 1);
        _exit(0);
    }
    setpgid(b, a);
    CHECK(set(WHO_PROCESS, a, PRIO(BE, 5)));
    CHECK(set(WHO_PROCESS, b, PRIO(IDLE, 0)));
    CHECK(get(WHO_PGRP, a));
    CHECK(set(WHO_PROCESS, b, PRIO(BE, 3)));
    CHECK(get(WHO_PGRP, a));
    CHECK(set(WHO_PGRP, a, PRIO(BE, 1)));
    CHECK(get(WHO_PROCESS, a));
    CHECK(get(WHO_PROCESS, b));
    CHECK(set(WHO_PROCESS, b, PRIO(RT, 0)));
    CHECK(get(WHO_PGRP, a));
    write(p[1], "xx", 2);
    int st;
    waitpid(a, &st, 0);
    waitpid(b, &st, 0);
}

/* A user with two processes, and what an unprivileged one may do. */
static void users(void)
{
    int p[2], q[2];
    char c;
    if (pipe(p) < 0 || pipe(q) < 0)
        return;
    pid_t a = fork();
    if (a == 0) {
        setresuid(UID, UID, UID);
        write(q[1], "x", 1);
        read(p[0], &c, 1);
        _exit(0);
    }
    read(q[0], &c, 1);
    pid_t b = fork();
    if (b == 0) {
        setresuid(UID, UID, UID);
        CHECK(get(WHO_PROCESS, 0));
        CHECK(set(WHO_PROCESS, 0, PRIO(RT, 1)));
        CHECK(set(WHO_PROCESS, 0, PRIO(BE, 0)));
        CHECK(set(WHO_PROCESS, 0, PRIO(IDLE, 0)));
        CHECK(set(WHO_PROCESS, 0, PRIO(BE, 2)));
        CHECK(get(WHO_PROCESS, 0));
        CHECK(set(WHO_PROCESS, getppid(), PRIO(BE, 2)));
        CHECK(get(WHO_PROCESS, getppid()));
        CHECK(set(WHO_PROCESS, a, PRIO(BE, 4)));
        CHECK(get(WHO_USER, UID));
        CHECK(set(WHO_USER, UID, PRIO(BE, 5)));
        CHECK(get(WHO_PROCESS, a));
        CHECK(get(WHO_USER, UID));
        _exit(0);
    }
    int st;
    waitpid(b, &st, 0);
    CHECK(set(WHO_USER, UID, PRIO(BE, 6)));
    CHECK(get(WHO_PROCESS, a));
    write(p[1], "x", 1);
    waitpid(a, &st, 0);
    CHECK(get(WHO_USER, UID));
}

/* Levels past 7: Linux 6.1's EINVAL but for the idle class, which keeps
 * them; the value before stays. */
static void levels(void)
{
    CHECK(set(WHO_PROCESS, 0, PRIO(BE, 4)));
    CHECK(set(WHO_PROCESS, 0, PRIO(BE, 8)));
    CHECK(get(WHO_PROCESS, 0));
    CHECK(set(WHO_PROCESS, 0, PRIO(BE, 0x1fff)));
    CHECK(set(WHO_PROCESS, 0, PRIO(RT, 8)));
    CHECK(set(WHO_PROCESS, 0, PRIO(RT, 7)));
    CHECK(get(WHO_PROCESS, 0));
    CHECK(set(WHO_PROCESS, 0, PRIO(IDLE, 8)));
    CHECK(get(WHO_PROCESS, 0));
    CHECK(set(WHO_PROCESS, 0, PRIO(IDLE, 0x1fff)));
    CHECK(get(WHO_PROCESS, 0));
    CHECK(set(WHO_PROCESS, 0, PRIO(NONE, 8)));
    CHECK(set(WHO_PROCESS, 0, PRIO(NONE, 0x18)));
    CHECK(get(WHO_PROCESS, 0));
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 2 && !strcmp(argv[1], "persona-only")) {
        levels();
        return 0;
    }
    CHECK(get(WHO_PROCESS, 0));
    CHECK(get(WHO_PROCESS, getpid()));
    classes();
    threads();
    groups();
    users();
    return 0;
}
