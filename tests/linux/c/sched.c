/*
 * tests/linux/c/sched.c - scheduling policies and real-time priorities
 * as a program sees them: the priority ranges, sched_setscheduler,
 * sched_setparam and their errors, what a child inherits (and does not,
 * with SCHED_RESET_ON_FORK), SCHED_RR's quantum, what an unprivileged
 * process may do (another user's process, leaving SCHED_IDLE under
 * RLIMIT_NICE) and sched_setaffinity's errors; and mlock and its kin.
 * One line per check; the output must equal the host Linux's (run as
 * root).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

/* The raw calls: musl's sched_setscheduler wrappers are ENOSYS by design. */
static long setsched(int pid, int policy, int prio)
{
    return syscall(SYS_sched_setscheduler, pid, policy, &(struct sched_param){prio});
}
static long getsched(int pid) { return syscall(SYS_sched_getscheduler, pid); }
static long getprio(int pid)
{
    struct sched_param sp = {-1};
    long r = syscall(SYS_sched_getparam, pid, &sp);
    return r < 0 ? r : sp.sched_priority;
}

int main(void)
{
    int policies[] = {SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, 6, 4, -1};
    for (int i = 0; i < 8; i++)
        printf("policy %d: priorities %d to %d\n", policies[i], sched_get_priority_min(policies[i]),
               sched_get_priority_max(policies[i]));
    struct timespec other = {9, 9}; /* a fair thread's slice, less than a jiffy: 0 */
    CHECK(syscall(SYS_sched_rr_get_interval, 0, &other));
    printf("OTHER quantum %ld.%09ld\n", (long)other.tv_sec, other.tv_nsec);
    CHECK(getsched(0));
    CHECK(getprio(0));
    CHECK(setsched(0, SCHED_FIFO, 10));
    CHECK(getsched(0));
    CHECK(getprio(getpid()));
    struct timespec ts = {9, 9};
    CHECK(syscall(SYS_sched_rr_get_interval, 0, &ts));
    printf("FIFO quantum %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
    CHECK(setsched(0, SCHED_RR, 5));
    CHECK(syscall(SYS_sched_rr_get_interval, 0, &ts));
    printf("RR quantum %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
    CHECK(syscall(SYS_sched_setparam, 0, &(struct sched_param){50}));
    CHECK(getsched(0));
    CHECK(getprio(0));
    CHECK(setsched(0, SCHED_FIFO, 0));
    CHECK(setsched(0, SCHED_FIFO, 100));
    CHECK(setsched(0, SCHED_OTHER, 1));
    CHECK(setsched(0, 99, 0));
    CHECK(setsched(0, 6, 0));
    CHECK(setsched(-1, SCHED_OTHER, 0));
    CHECK(setsched(999999, SCHED_OTHER, 0));
    CHECK(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL));
    CHECK(syscall(SYS_sched_getparam, 0, NULL));
    CHECK(getsched(999999));
    CHECK(getsched(-1));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child: policy %ld priority %ld\n", getsched(0), getprio(0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(setsched(0, SCHED_FIFO | SCHED_RESET_ON_FORK, 20));
    CHECK(getsched(0));
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        printf("child, reset on fork: policy %ld priority %ld\n", getsched(0), getprio(0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(setsched(0, SCHED_OTHER, 0));
    CHECK(getsched(0));

    /* as nobody (the effective uid alone, as a test dropping root does):
     * root's process is another user's; leaving SCHED_IDLE needs
     * RLIMIT_NICE's room for the nice value kept */
    setrlimit(RLIMIT_NICE, &(struct rlimit){19, 19});
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        uint64_t cpu0 = 1;
        pid_t parent = getppid();
        CHECK(seteuid(65534));
        CHECK(setsched(0, SCHED_BATCH, 0));
        CHECK(setsched(0, SCHED_IDLE, 0));
        CHECK(setsched(0, SCHED_OTHER, 0));
        CHECK(getsched(0));
        CHECK(setsched(0, SCHED_FIFO, 1));
        CHECK(setsched(parent, SCHED_OTHER, 0));
        CHECK(setsched(parent, SCHED_OTHER, 1));
        CHECK(syscall(SYS_sched_setparam, parent, &(struct sched_param){0}));
        CHECK(syscall(SYS_sched_setaffinity, parent, sizeof cpu0, &cpu0));
        CHECK(syscall(SYS_sched_setaffinity, 0, sizeof cpu0, &cpu0));
        CHECK(syscall(SYS_sched_setaffinity, 999999, sizeof cpu0, &cpu0));
        CHECK(syscall(SYS_sched_setaffinity, 999999, sizeof cpu0, (void *)8));
        CHECK(syscall(SYS_sched_getaffinity, 999999, 4, &cpu0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    /* mlock and its kin */
    char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + 4096, 4096);
    CHECK(mlock(m, 4096));
    CHECK(mlock(m + 100, 10));
    CHECK(mlock(m, 3 * 4096));
    CHECK(munlock(m, 4096));
    CHECK(munlock(m, 3 * 4096));
    CHECK(syscall(SYS_mlock2, m, 4096, 1));
    CHECK(syscall(SYS_mlock2, m, 4096, 2));
    CHECK(mlock(m, (size_t)-4096));
    CHECK(mlockall(0));
    CHECK(mlockall(8));
    CHECK(mlockall(MCL_ONFAULT));
    CHECK(mlockall(MCL_CURRENT | MCL_FUTURE));
    CHECK(munlockall());
    m[0] = 1;
    printf("locked memory still works: %d\n", m[0]);
    return 0;
}
