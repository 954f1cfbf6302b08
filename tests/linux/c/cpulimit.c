/*
 * tests/linux/c/cpulimit.c - RLIMIT_CPU, as Linux's check_process_timers:
 * with soft 1 s and hard 3 s, SIGXCPU comes when the process's CPU time
 * reaches the soft limit, which each time moves a second on (getrlimit
 * shows it) until it meets the hard one; a child whose CPU time reaches
 * its hard limit dies of SIGKILL, without SIGXCPU.  About 3 s of CPU.
 */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int seen;

static void on_xcpu(int sig) { seen += sig == SIGXCPU; }

static double wall(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Spins until n SIGXCPU have come (or a minute passed: a failure). */
static void spin_until(int n)
{
    double start = wall();
    while (seen < n && wall() - start < 60)
        for (volatile int i = 0; i < 100000; i++)
            ;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGXCPU, on_xcpu);
    struct rlimit r = {1, 3}, got;
    CHECK(setrlimit(RLIMIT_CPU, &r));
    getrlimit(RLIMIT_CPU, &got);
    printf("set: soft %ld hard %ld\n", (long)got.rlim_cur, (long)got.rlim_max);
    for (int n = 1; n <= 2; n++) {
        spin_until(n);
        getrlimit(RLIMIT_CPU, &got);
        printf("SIGXCPU %d: soft %ld hard %ld\n", seen, (long)got.rlim_cur, (long)got.rlim_max);
    }
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit one = {1, 1};
        setrlimit(RLIMIT_CPU, &one);
        seen = 0;
        spin_until(1);
        printf("child: still alive, SIGXCPU %d\n", seen);
        _exit(1);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child: signaled %d signal %d\n", WIFSIGNALED(status), WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return 0;
}
