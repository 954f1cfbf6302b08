/*
 * tests/linux/c/niceshare.c - nice values and SCHED_IDLE share one
 * processor by weight (the process pins itself to CPU 0, as the host has
 * more): two children spin side by side for 1.2 s of wall time (long
 * beside Persona's turns of up to 150 ms), and the CPU times wait4
 * reports for them are compared.  A nice 10 child beside a nice 0 one
 * gets well under a third of the time (Linux's weights give a tenth), a
 * nice -5 one well over twice (three times), a SCHED_IDLE one under a
 * third, and two equals about the same.  One line per pair, with coarse
 * bounds that Persona's turns (docs/scheduling.md) and Linux's weights
 * both meet; the output must equal the host Linux's (run as root).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A child that takes policy and nice, waits for the start, then spins until end. */
static int spinner(int go, int policy, int nice, double end)
{
    int pid = fork();
    if (pid == 0) {
        char c;
        if (syscall(SYS_sched_setscheduler, 0, policy, &(struct sched_param){0}) != 0 || /* musl's is ENOSYS */
            setpriority(PRIO_PROCESS, 0, nice) != 0)
            _exit(2);
        if (read(go, &c, 1) != 1)
            _exit(3);
        while (now() < end) {
        }
        _exit(0);
    }
    return pid;
}

static double cpu_of(int pid)
{
    struct rusage ru;
    int status;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
        return -1;
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* The second child's CPU time over the first's, both spinning 1.2 s. */
static double ratio(int policy0, int nice0, int policy1, int nice1)
{
    int go[2];
    if (pipe(go) != 0)
        return -1;
    double end = now() + 1.3; /* the start comes 0.1 s after the forks */
    int a = spinner(go[0], policy0, nice0, end), b = spinner(go[0], policy1, nice1, end);
    usleep(100000);
    if (write(go[1], "gg", 2) != 2)
        return -1;
    close(go[0]), close(go[1]);
    double ta = cpu_of(a), tb = cpu_of(b);
    return ta > 0 && tb >= 0 ? tb / ta : -1;
}

int main(void)
{
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0)
        return 1;
    double r = ratio(SCHED_OTHER, 0, SCHED_OTHER, 10);
    printf("nice 10 beside nice 0, under a third of its time: %s\n", r >= 0 && r < 1 / 3.0 ? "yes" : "no");
    r = ratio(SCHED_OTHER, 0, SCHED_OTHER, -5);
    printf("nice -5 beside nice 0, over twice its time: %s\n", r > 2 ? "yes" : "no");
    r = ratio(SCHED_OTHER, 0, SCHED_IDLE, 0);
    printf("SCHED_IDLE beside nice 0, under a third of its time: %s\n", r >= 0 && r < 1 / 3.0 ? "yes" : "no");
    r = ratio(SCHED_OTHER, 0, SCHED_BATCH, 0);
    printf("SCHED_BATCH beside SCHED_OTHER, both nice 0, within a factor of two: %s\n",
           r > 0.5 && r < 2 ? "yes" : "no");
    r = ratio(SCHED_OTHER, 3, SCHED_OTHER, 3);
    printf("two at nice 3, within a factor of two: %s\n", r > 0.5 && r < 2 ? "yes" : "no");
    return 0;
}
