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
 *
 * "prctl2 persona-only" shows PR_SET_VMA's names in /proc/self/maps, which
 * the host's kernel was built without (CONFIG_ANON_VMA_NAME), and what
 * root may do with CAP_SYS_RESOURCE, which the host's root lacks
 * (PR_SET_IO_FLUSHER, PR_SET_MM_EXE_FILE's checks), and PR_SET_MDWE and
 * PR_GET_MDWE, which Linux 6.3 brought: run on Persona only,
 * and its output compared with what Linux 6.1 prints
 * (tests/linux/c/prctl2.persona-only.expected; tests/run-all.py's
 * linux-prctl2-persona-only).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define CAP_SYS_RESOURCE 24
#ifndef PR_SET_MDWE /* linux/prctl.h's, Linux 6.3's */
#define PR_SET_MDWE 65
#define PR_GET_MDWE 66
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif
#ifndef PR_SET_VMA /* linux/prctl.h's, newer than musl's */
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif
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

#define NAME(addr, len, name) prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, len, name)

/* The areas of /proc/self/maps that start in [a, a + 4 pages), by page
 * (read without stdio, whose buffer could fill a hole in the range). */
static void maps(const char *when, char *a)
{
    static char text[65536];
    int fd = open("/proc/self/maps", O_RDONLY), n = 0, r;
    while (fd >= 0 && n < (int)sizeof text - 1 && (r = (int)read(fd, text + n, sizeof text - 1 - (size_t)n)) > 0)
        n += r;
    close(fd);
    text[n] = '\0';
    printf("%s:", when);
    for (char *line = text; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != 0)) {
        unsigned long s, e;
        size_t len = strcspn(line, "\n");
        char *name = memchr(line, '[', len);
        if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s >= (unsigned long)a && s < (unsigned long)a + 4 * 4096)
            printf(" %lu-%lu %.*s", (s - (unsigned long)a) / 4096, (e - (unsigned long)a) / 4096,
                   name ? (int)(line + len - name) : 1, name ? name : "-");
    }
    printf("\n");
}

static int anon_names(void)
{
    char *base = mmap(NULL, 6 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *a = base + 4096;
    mprotect(a, 4 * 4096, PROT_READ | PROT_WRITE); /* four pages between two PROT_NONE ones */
    CHECK(NAME(a + 4096, 2 * 4096, "my name"));
    maps("middle named", a);
    CHECK(NAME(a, 4 * 4096, "my name"));
    maps("all named", a);
    CHECK(NAME(a + 1, 4096, "x"));
    CHECK(NAME(a, 4096, "bad$name"));
    CHECK(NAME(a, 4096, "bad[name"));
    CHECK(NAME(a, 4096, "tab\tname"));
    char name[100];
    memset(name, 'n', sizeof name);
    name[80] = '\0';
    CHECK(NAME(a, 4096, name));
    name[79] = '\0';
    CHECK(NAME(a + 3 * 4096, 4096, name));
    CHECK(prctl(PR_SET_VMA, 1, a, 4096, "x"));
    CHECK(NAME(a, 4096, (char *)8));
    CHECK(NAME(a, 0, "empty"));
    maps("after the errors", a);
    munmap(a + 3 * 4096, 4096);
    CHECK(NAME(a, 4 * 4096, "other"));
    maps("past a hole", a);
    CHECK(NAME(a, 4096, NULL));
    maps("first unnamed", a);
    fflush(stdout);
    if (fork() == 0) {
        maps("in a child", a);
        _exit(0);
    }
    wait(NULL);
    int fd = open("/tmp/anon-names-file", O_CREAT | O_RDWR | O_TRUNC, 0600);
    CHECK(ftruncate(fd, 4096));
    char *file = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(NAME(file, 4096, "file"));
    unlink("/tmp/anon-names-file");
    char *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(NAME(shared, 4096, "shared"));
    return 0;
}

/* Memory-deny-write-execute came with Linux 6.3 (the host may have it):
 * Linux 6.1 knows neither option, and a mapping may still be W+X after. */
static int mdwe(void)
{
    CHECK(prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0));
    CHECK(prctl(PR_GET_MDWE, 0, 0, 0, 0));
    void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("a W+X mapping: %s\n", m == MAP_FAILED ? errno_name(errno) : "made");
    return 0;
}

/* As root with CAP_SYS_RESOURCE. */
static int with_resource(void)
{
    CHECK(prctl(PR_GET_IO_FLUSHER, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_IO_FLUSHER, 2, 0, 0, 0));
    CHECK(prctl(PR_SET_IO_FLUSHER, 1, 1, 0, 0));
    CHECK(prctl(PR_SET_IO_FLUSHER, 1, 0, 0, 0));
    CHECK(prctl(PR_GET_IO_FLUSHER, 0, 0, 0, 0));
    CHECK(prctl(PR_GET_IO_FLUSHER, 1, 0, 0, 0));
    CHECK(prctl(PR_SET_MM, PR_SET_MM_EXE_FILE, 99, 0, 0));
    int dir = open("/", O_RDONLY | O_DIRECTORY), exe = open("/proc/self/exe", O_RDONLY);
    CHECK(prctl(PR_SET_MM, PR_SET_MM_EXE_FILE, dir, 0, 0));
    CHECK(prctl(PR_SET_MM, PR_SET_MM_EXE_FILE, exe, 0, 0)); /* this program is still mapped */
    CHECK(prctl(PR_SET_MM, PR_SET_MM_START_CODE, 4096, 0, 0)); /* below mmap_min_addr */
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 2 && !strcmp(argv[1], "persona-only"))
        return anon_names() || with_resource() || mdwe();
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
