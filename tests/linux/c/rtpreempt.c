/*
 * tests/linux/c/rtpreempt.c - real-time priorities decide who runs, on
 * one processor (the process pins itself to CPU 0, as the host has more):
 * a child raised to a SCHED_FIFO priority above its parent's runs at once,
 * before the call that raised it returns; a child below a spinning
 * SCHED_FIFO parent does not run at all until the parent lowers itself
 * beneath it, and then runs before that call returns; a SCHED_FIFO child
 * preempts its parent when the parent becomes ordinary (SCHED_OTHER).  A
 * child forked by a SCHED_FIFO parent, at its priority, does not run
 * while the parent does: there is no time slice to end its turn.  Each child
 * writes a byte to a pipe; the parent reads it without blocking.  One
 * line per check; the output must equal the host Linux's (run as root).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long setsched(int pid, int policy, int prio)
{
    return syscall(SYS_sched_setscheduler, pid, policy, &(struct sched_param){prio});
}

static int fds[2];

/* A child that writes its mark the moment it runs, and exits. */
static int child(char mark)
{
    int pid = fork();
    if (pid == 0) {
        if (write(fds[1], &mark, 1) != 1)
            _exit(1);
        _exit(0);
    }
    return pid;
}

/* What the pipe holds now, without waiting: the marks of the children that ran. */
static const char *ran(void)
{
    static char buf[16];
    long n = read(fds[0], buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    return n > 0 ? buf : "nothing";
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void reap(int pid)
{
    int st;
    waitpid(pid, &st, 0);
    printf("child %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "exited 0" : "failed");
}

int main(void)
{
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    if (sched_setaffinity(0, sizeof one, &one) < 0 || pipe2(fds, O_NONBLOCK) < 0) {
        perror("setup");
        return 1;
    }
    setvbuf(stdout, NULL, _IONBF, 0);

    /* 1: a FIFO 10 parent raises its child (FIFO 10, queued behind it) to 20. */
    printf("parent to FIFO 10: %ld\n", setsched(0, SCHED_FIFO, 10));
    int pid = child('a');
    printf("after fork: %s\n", ran());
    printf("child to FIFO 20: %ld\n", setsched(pid, SCHED_FIFO, 20));
    printf("after raising it: %s\n", ran());
    reap(pid);

    /* 2: a child lowered to FIFO 5 waits while its FIFO 10 parent spins
     * for 50 ms, and runs as soon as the parent lowers itself to 1. */
    pid = child('b');
    printf("child to FIFO 5: %ld\n", setsched(pid, SCHED_FIFO, 5));
    double end = now() + 0.05;
    while (now() < end)
        ;
    printf("after spinning: %s\n", ran());
    printf("parent to FIFO 1: %ld\n", setsched(0, SCHED_FIFO, 1));
    printf("after lowering itself: %s\n", ran());
    reap(pid);

    /* 3: a child forked at FIFO 1 waits behind its parent, which then
     * becomes ordinary (SCHED_OTHER): the child runs before that returns. */
    pid = child('c');
    printf("after fork: %s\n", ran());
    printf("parent to OTHER: %ld\n", setsched(0, SCHED_OTHER, 0));
    printf("after the parent became ordinary: %s\n", ran());
    reap(pid);
    return 0;
}
