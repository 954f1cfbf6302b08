/*
 * tests/linux/c/schedattr.c - sched_setattr and sched_getattr: struct
 * sched_attr's sizes (0 as the first version's 48, E2BIG with the size
 * written back, bytes past the known ones that must be zero, the size
 * sched_getattr writes), SCHED_OTHER, SCHED_BATCH and SCHED_IDLE with
 * their nice values, SCHED_FIFO and SCHED_RR with priorities, the flags
 * (SCHED_FLAG_RESET_ON_FORK, KEEP_POLICY, KEEP_PARAMS; UTIL_CLAMP without
 * uclamp), SCHED_DEADLINE's parameter checks and a small reservation, and
 * what sched_getscheduler, sched_getparam and getpriority then say; EINVAL,
 * ESRCH, EPERM and EFAULT.  No reservation here depends on the number of
 * CPUs.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* struct sched_attr (linux/sched/types.h), which musl does not have */
struct attr {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period; /* SCHED_DEADLINE's, in ns */
    uint32_t util_min, util_max;        /* the utilization clamps */
};

#define SCHED_DEADLINE 6
#define F_RESET_ON_FORK 0x01
#define F_RECLAIM 0x02
#define F_DL_OVERRUN 0x04
#define F_KEEP_POLICY 0x08
#define F_KEEP_PARAMS 0x10
#define F_UTIL_CLAMP_MIN 0x20

static long setattr(pid_t pid, void *a, unsigned flags) { return syscall(SYS_sched_setattr, pid, a, flags); }
static long getattr(pid_t pid, void *a, unsigned size, unsigned flags)
{
    return syscall(SYS_sched_getattr, pid, a, size, flags);
}

static void show(pid_t pid)
{
    struct attr a;
    memset(&a, 0xee, sizeof a);
    long r = getattr(pid, &a, sizeof a, 0);
    if (r < 0) {
        printf("  getattr: %s\n", errno_name(errno));
        return;
    }
    int prio = -1;
    syscall(SYS_sched_getparam, pid, &prio);
    int policy = (int)syscall(SYS_sched_getscheduler, pid);
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, (id_t)pid);
    printf("  size %u policy %u flags %#llx nice %d prio %u util %u/%u; getscheduler %d getparam %d getpriority %d\n",
           a.size, a.policy, (unsigned long long)a.flags, a.nice, a.priority, a.util_min, a.util_max, policy, prio,
           nice);
    if (a.policy == SCHED_DEADLINE) /* a fair task's runtime is its slice, which depends on the CPUs */
        printf("  runtime %llu deadline %llu period %llu\n", (unsigned long long)a.runtime,
               (unsigned long long)a.deadline, (unsigned long long)a.period);
}

static long set(uint32_t policy, uint64_t flags, int nice, uint32_t prio)
{
    struct attr a = {sizeof a, policy, flags, nice, prio, 0, 0, 0, 0, 0};
    return setattr(0, &a, 0);
}

static long set_dl(uint64_t flags, uint64_t runtime, uint64_t deadline, uint64_t period)
{
    struct attr a = {48, SCHED_DEADLINE, flags, 0, 0, runtime, deadline, period, 0, 0};
    return setattr(0, &a, 0);
}

static void sizes(void)
{
    static unsigned char big[4200];
    struct attr *a = (struct attr *)big;
    memset(big, 0, sizeof big);
    a->size = 0; /* the first version's 48 */
    CHECK(setattr(0, a, 0));
    a->size = 47;
    CHECK(setattr(0, a, 0));
    printf("size written back: %u\n", a->size);
    a->size = 4097;
    CHECK(setattr(0, a, 0));
    printf("size written back: %u\n", a->size);
    a->size = 200;
    CHECK(setattr(0, a, 0));
    big[150] = 1;
    a->size = 200;
    CHECK(setattr(0, a, 0));
    printf("size written back: %u\n", a->size);
    big[150] = 0;
    a->size = 56;
    CHECK(setattr(0, a, 0));
    a->size = 48;
    a->flags = F_UTIL_CLAMP_MIN;
    CHECK(setattr(0, a, 0));
    a->size = 56;
    CHECK(setattr(0, a, 0));
    a->flags = 0;

    memset(big, 0xee, sizeof big);
    CHECK(getattr(0, big, 200, 0));
    printf("getattr 200: size %u, byte 56 %#x\n", a->size, big[56]);
    memset(big, 0xee, sizeof big);
    CHECK(getattr(0, big, 48, 0));
    printf("getattr 48: size %u, byte 48 %#x\n", a->size, big[48]);
    CHECK(getattr(0, big, 47, 0));
    CHECK(getattr(0, big, 4097, 0));
    memset(big, 0xee, sizeof big);
    CHECK(getattr(0, big, 4096, 0));
    printf("getattr 4096: size %u, bytes 56 and 4095 %#x %#x, 4096 %#x\n", a->size, big[56], big[4095], big[4096]);
    CHECK(getattr(0, big, 56, 1));
    CHECK(getattr(0, NULL, 56, 0));
    CHECK(getattr(0, (void *)16, 56, 0));
    CHECK(getattr(-1, big, 56, 0));
    CHECK(getattr(0x3ffffff, big, 56, 0));
    a->size = 56;
    CHECK(setattr(0, NULL, 0));
    CHECK(setattr(0, (void *)16, 0));
    CHECK(setattr(-1, a, 0));
    CHECK(setattr(0, a, 1));
    CHECK(setattr(0x3ffffff, a, 0));
    char *end = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(end + 4096, 4096);
    struct attr *last = (struct attr *)(end + 4096 - 48);
    memset(last, 0, 48);
    last->size = 48;
    CHECK(setattr(0, last, 0));
    last->size = 56;
    CHECK(setattr(0, last, 0));
    CHECK(getattr(0, last, 56, 0));
    CHECK(getattr(0, last, 48, 0));
    CHECK(getattr(0, end + 4000, 200, 0));
}

static void policies(void)
{
    CHECK(set(SCHED_BATCH, 0, 5, 0));
    show(0);
    CHECK(set(SCHED_OTHER, 0, -25, 0));
    show(0);
    CHECK(set(SCHED_IDLE, 0, 3, 0));
    show(0);
    CHECK(set(SCHED_OTHER, 0, 25, 0));
    show(0);
    CHECK(set(SCHED_OTHER, 0, 0, 1));
    CHECK(set(SCHED_FIFO, 0, 0, 0));
    CHECK(set(SCHED_FIFO, 0, 0, 100));
    CHECK(set(SCHED_RR, 0, 0, 1000));
    CHECK(set(4, 0, 0, 0));
    CHECK(set(7, 0, 0, 0));
    CHECK(set(8, 0, 0, 0));
    CHECK(set(0x80000000u, 0, 0, 0));
    CHECK(set(SCHED_FIFO, 0, 7, 10));
    show(0);
    CHECK(set(SCHED_RR, F_RESET_ON_FORK, 0, 20));
    show(0);
    CHECK(set(0x40000001, 0, 0, 20));
    CHECK(set(SCHED_OTHER, 0x80, 0, 0));
    CHECK(set(SCHED_OTHER, 0x10000000, 0, 0));
    /* KEEP_POLICY: the priority changes, the policy stays */
    CHECK(set(SCHED_OTHER, F_KEEP_POLICY | F_RESET_ON_FORK, 0, 30));
    show(0);
    CHECK(set(SCHED_OTHER, F_KEEP_POLICY, 0, 0));
    CHECK(set(SCHED_OTHER, F_KEEP_PARAMS, 0, 50));
    show(0);
    CHECK(set(SCHED_BATCH, F_KEEP_PARAMS, 9, 0));
    show(0);
    CHECK(set(SCHED_OTHER, F_RECLAIM | F_DL_OVERRUN, -3, 0));
    show(0);
    CHECK(set(SCHED_OTHER, F_UTIL_CLAMP_MIN, 0, 0));
    CHECK(set(SCHED_OTHER, F_KEEP_POLICY | F_KEEP_PARAMS, 0, 0));
    show(0);
    /* the old calls keep the nice value */
    struct sched_param sp = {0};
    CHECK(syscall(SYS_sched_setscheduler, 0, SCHED_BATCH, &sp));
    show(0);
    CHECK(set(SCHED_OTHER, 0, 0, 0));
}

static void deadline(void)
{
    CHECK(set_dl(0, 0, 0, 0));
    CHECK(set_dl(0, 1000000, 0, 0));
    CHECK(set_dl(0, 1000, 1000000, 0));
    CHECK(set_dl(0, 2000000, 1000000, 0));
    CHECK(set_dl(0, 1000000, 2000000, 1500000));
    CHECK(set_dl(0, 10000, 50000, 0));
    CHECK(set_dl(0, 1000000, 5000000000ull, 0));
    CHECK(set_dl(0, 1000000, 2000000, 1ull << 63));
    CHECK(set_dl(0, 1000000, 1ull << 63, 0));
    CHECK(set_dl(0x80, 1000000, 10000000, 0));
    struct attr a = {48, SCHED_DEADLINE, 0, 0, 5, 1000000, 10000000, 0, 0, 0};
    CHECK(setattr(0, &a, 0));
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(set_dl(F_DL_OVERRUN, 1000000, 10000000, 20000000));
        show(0);
        CHECK(fork());
        CHECK(set_dl(0, 2000000, 10000000, 0));
        show(0);
        CHECK(set(SCHED_OTHER, 0, 0, 0));
        show(0);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
}

/* An unprivileged process: what it may and may not change. */
static void unprivileged(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(set(SCHED_OTHER, 0, 5, 0));
        CHECK(set(SCHED_RR, F_RESET_ON_FORK, 0, 5));
        if (setuid(65534) < 0)
            _exit(2);
        show(0);
        CHECK(set(SCHED_RR, F_RESET_ON_FORK, 0, 4));
        CHECK(set(SCHED_RR, F_RESET_ON_FORK, 0, 6));
        CHECK(set(SCHED_FIFO, F_RESET_ON_FORK, 0, 4));
        CHECK(set(SCHED_OTHER, 0, 5, 0));
        CHECK(set(SCHED_OTHER, F_RESET_ON_FORK, 5, 0));
        show(0);
        CHECK(set(SCHED_OTHER, 0, 4, 0));
        CHECK(set(SCHED_OTHER, F_RESET_ON_FORK, 4, 0));
        CHECK(set(SCHED_BATCH, F_RESET_ON_FORK, 7, 0));
        show(0);
        CHECK(set(SCHED_BATCH, F_RESET_ON_FORK | F_KEEP_PARAMS, 0, 0));
        CHECK(set(SCHED_IDLE, F_RESET_ON_FORK, 9, 0));
        show(0);
        CHECK(set(SCHED_OTHER, F_RESET_ON_FORK, 7, 0));
        CHECK(set(SCHED_OTHER, F_RESET_ON_FORK, 19, 0));
        CHECK(set(SCHED_IDLE, F_RESET_ON_FORK, 19, 0));
        show(0);
        CHECK(set_dl(F_RESET_ON_FORK, 1000000, 10000000, 0));
        struct attr a = {56, SCHED_OTHER, 0, 19, 0, 0, 0, 0, 0, 0};
        CHECK(setattr(getppid(), &a, 0));
        show(getppid());
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    show(0);
    sizes();
    policies();
    deadline();
    unprivileged();
    show(0);
    return 0;
}
