/*
 * tests/linux/c/prctl2.c - prctl's other options, as Linux answers them:
 * the timer slack (kept, inherited, 0 restoring what the thread had at
 * fork), TSC, the clear-tid address, THP, timing, perf events, the
 * machine-check kill policy, no_new_privs's and the child subreaper's
 * argument checks, the options of other architectures (EINVAL on x86),
 * PR_SET_MM's checks and PR_SET_IO_FLUSHER without CAP_SYS_RESOURCE, the
 * speculation controls' argument checks (their values are the CPU's, so
 * not printed), and, run again as uid 1000 in a child, what needs a
 * capability.  CAP_SYS_RESOURCE is dropped from every set first, on both
 * sides (the host's root may lack it).  The output must equal the host
 * Linux's (run as root).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define CAP_SYS_RESOURCE 24
struct cap_header {
    uint32_t version;
    int pid;
};
struct cap_data {
    uint32_t effective, permitted, inheritable;
};

/* CAP_SYS_RESOURCE out of the bounding, effective and permitted sets. */
static void without_sys_resource(void)
{
    struct cap_header h = {0x20080522, 0};
    struct cap_data d[2];
    prctl(PR_CAPBSET_DROP, CAP_SYS_RESOURCE, 0, 0, 0);
    syscall(SYS_capget, &h, d);
    d[0].effective &= ~(1u << CAP_SYS_RESOURCE), d[0].permitted &= ~(1u << CAP_SYS_RESOURCE);
    if (syscall(SYS_capset, &h, d))
        perror("capset");
}

static void timerslack(void)
{
    CHECK(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_TIMERSLACK, 1000, 0, 0, 0));
    CHECK(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
        CHECK(prctl(PR_SET_TIMERSLACK, 7000, 0, 0, 0));
        CHECK(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
        CHECK(prctl(PR_SET_TIMERSLACK, 0, 0, 0, 0)); /* back to the parent's at fork */
        CHECK(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(prctl(PR_SET_TIMERSLACK, 0, 0, 0, 0));
    CHECK(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
}

static void small_ones(void)
{
    int v = -1;
    CHECK(prctl(PR_GET_TSC, &v, 0, 0, 0));
    printf("tsc %d\n", v);
    CHECK(prctl(PR_SET_TSC, 3, 0, 0, 0));
    CHECK(prctl(PR_SET_TSC, 0, 0, 0, 0));
    CHECK(prctl(PR_GET_TSC, (void *)8, 0, 0, 0));
    static int tid_word;
    long tid = syscall(SYS_set_tid_address, &tid_word);
    int *addr = NULL;
    CHECK(tid > 0);
    CHECK(prctl(PR_GET_TID_ADDRESS, &addr, 0, 0, 0));
    printf("tid address is ours: %d\n", addr == &tid_word);
    CHECK(prctl(PR_GET_TID_ADDRESS, (void *)8, 0, 0, 0));
    CHECK(prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
    CHECK(prctl(PR_GET_THP_DISABLE, 1, 0, 0, 0));
    CHECK(prctl(PR_SET_THP_DISABLE, 1, 1, 0, 0));
    CHECK(prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0));
    CHECK(prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
    CHECK(prctl(PR_GET_TIMING, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_TIMING, 1, 0, 0, 0));
    CHECK(prctl(PR_SET_TIMING, 0, 0, 0, 0));
    CHECK(prctl(PR_TASK_PERF_EVENTS_DISABLE, 0, 0, 0, 0));
    CHECK(prctl(PR_TASK_PERF_EVENTS_ENABLE, 0, 0, 0, 0));
    CHECK(prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0));
    CHECK(prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0));
    CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0));
    CHECK(prctl(PR_SET_CHILD_SUBREAPER, 5, 0, 0, 0));
    CHECK(prctl(PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0));
    printf("subreaper %d\n", v);
    CHECK(prctl(PR_GET_CHILD_SUBREAPER, (void *)8, 0, 0, 0));
    CHECK(prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0));
}

static void other_arches(void)
{
    int v = 0;
    CHECK(prctl(PR_GET_ENDIAN, &v, 0, 0, 0));
    CHECK(prctl(PR_SET_ENDIAN, 0, 0, 0, 0));
    CHECK(prctl(PR_GET_FPEMU, &v, 0, 0, 0));
    CHECK(prctl(PR_SET_FPEMU, 0, 0, 0, 0));
    CHECK(prctl(PR_GET_FPEXC, &v, 0, 0, 0));
    CHECK(prctl(PR_SET_FPEXC, 0, 0, 0, 0));
    CHECK(prctl(PR_GET_UNALIGN, &v, 0, 0, 0));
    CHECK(prctl(PR_SET_UNALIGN, 0, 0, 0, 0));
    CHECK(prctl(PR_GET_FP_MODE, 0, 0, 0, 0));
    CHECK(prctl(PR_MPX_ENABLE_MANAGEMENT, 0, 0, 0, 0));
    CHECK(prctl(1000, 0, 0, 0, 0));
}

static void mce(void)
{
    CHECK(prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
    CHECK(prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0));
    CHECK(prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
    CHECK(prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 0, 0));
    CHECK(prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
    CHECK(prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_DEFAULT, 0, 0));
    CHECK(prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
    CHECK(prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0));
    CHECK(prctl(PR_MCE_KILL, PR_MCE_KILL_CLEAR, 1, 0, 0));
    CHECK(prctl(PR_MCE_KILL, PR_MCE_KILL_CLEAR, 0, 0, 0));
    CHECK(prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
    CHECK(prctl(PR_MCE_KILL, PR_MCE_KILL_SET, 7, 0, 0));
    CHECK(prctl(PR_MCE_KILL, 5, 0, 0, 0));
    CHECK(prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 1, 0));
    CHECK(prctl(PR_MCE_KILL_GET, 1, 0, 0, 0));
}

/* Without CAP_SYS_RESOURCE (as root and as uid 1000 alike). */
static void needs_resource(void)
{
    unsigned size = 0;
    CHECK(prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, &size, 0, 0));
    printf("prctl_mm_map size %u\n", size);
    CHECK(prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, (void *)8, 0, 0));
    CHECK(prctl(PR_SET_MM, PR_SET_MM_MAP, (void *)8, 5, 0));
    CHECK(prctl(PR_SET_MM, PR_SET_MM_MAP, (void *)8, 104, 0));
    CHECK(prctl(PR_SET_MM, PR_SET_MM_START_CODE, 0x400000, 0, 1));
    CHECK(prctl(PR_SET_MM, PR_SET_MM_START_CODE, 0x400000, 1, 0));
    CHECK(prctl(PR_SET_MM, PR_SET_MM_START_CODE, 0x400000, 0, 0));
    CHECK(prctl(PR_SET_MM, 99, 0x400000, 0, 0));
    CHECK(prctl(PR_SET_IO_FLUSHER, 1, 0, 0, 0));
    CHECK(prctl(PR_GET_IO_FLUSHER, 0, 0, 0, 0));
}

static void speculation(void)
{
    CHECK(prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 1, 0, 0));
    CHECK(prctl(PR_GET_SPECULATION_CTRL, 7, 0, 0, 0));
    CHECK(prctl(PR_SET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, PR_SPEC_ENABLE, 1, 0));
    CHECK(prctl(PR_SET_SPECULATION_CTRL, 7, PR_SPEC_ENABLE, 0, 0));
    printf("store bypass answered: %d\n", prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0) >= 0);
    printf("indirect branch answered: %d\n", prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH, 0, 0, 0) >= 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    without_sys_resource();
    timerslack();
    small_ones();
    other_arches();
    mce();
    needs_resource();
    speculation();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(setresuid(1000, 1000, 1000));
        CHECK(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
        CHECK(prctl(PR_SET_TIMERSLACK, 3000, 0, 0, 0));
        CHECK(prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
        mce();
        needs_resource();
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child as uid 1000: status %d\n", st);
    return 0;
}
