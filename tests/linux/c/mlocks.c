/*
 * tests/linux/c/mlocks.c - locked memory as Linux keeps it: mlock, mlock2
 * (MLOCK_ONFAULT), munlock, MAP_LOCKED, mlockall (MCL_CURRENT,
 * MCL_FUTURE, MCL_ONFAULT) and munlockall, seen in /proc/self/status's
 * VmLck (a range locked twice counts once) and mincore; what a lock
 * refuses (madvise's MADV_DONTNEED, MADV_FREE, MADV_REMOVE, MADV_COLD,
 * MADV_PAGEOUT: EINVAL; msync's MS_INVALIDATE: EBUSY); a fork's child
 * holding no locks; and, as the user nobody, RLIMIT_MEMLOCK: ENOMEM past
 * it for mlock and mlockall(MCL_CURRENT), EAGAIN for MAP_LOCKED, a
 * MCL_FUTURE area and a locked area's mremap growth, EPERM when it is 0.
 * MAP_POPULATE brings the pages in as a lock does (not with MAP_NONBLOCK,
 * nor for PROT_NONE).  Only differences of VmLck are printed (the vDSO
 * and the stack differ).
 * One line per check; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define P 4096L
#define AREA ((char *)0x40000000000ul) /* free on both: far from the program, the heap and the stack */
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

/* /proc/self/status's VmLck, in kB (read without stdio, whose buffer
 * would be a new area, locked under MCL_FUTURE). */
static long vmlck(void)
{
    static char buf[4096];
    int fd = open("/proc/self/status", O_RDONLY);
    long n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    char *l = strstr(buf, "\nVmLck:");
    return l ? strtol(l + 8, NULL, 10) : -1;
}

/* The pages of [a, a+n pages) mincore counts in memory. */
static int resident(char *a, int n)
{
    unsigned char v[64];
    if (mincore(a, n * P, v) < 0)
        return -1;
    int k = 0;
    for (int i = 0; i < n; i++)
        k += v[i] & 1;
    return k;
}

static void ranges(void)
{
    printf("-- mlock, mlock2, munlock\n");
    long base = vmlck();
    char *a = mmap(AREA, 8 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(mlock(a, 3 * P));
    printf("VmLck +%ld kB, resident %d\n", vmlck() - base, resident(a, 8));
    CHECK(mlock(a + P, 3 * P));
    printf("VmLck +%ld kB (a range locked twice counts once)\n", vmlck() - base);
    CHECK(munlock(a + P, P));
    printf("VmLck +%ld kB\n", vmlck() - base);
    CHECK(mlock(a + 6 * P + 1, P));
    printf("VmLck +%ld kB (two pages for an unaligned page)\n", vmlck() - base);
    CHECK(munlock(a, 8 * P));
    printf("VmLck +%ld kB\n", vmlck() - base);
    CHECK(syscall(SYS_mlock2, a, 4 * P, MLOCK_ONFAULT));
    printf("VmLck +%ld kB, resident %d (MLOCK_ONFAULT)\n", vmlck() - base, resident(a, 8));
    CHECK(syscall(SYS_mlock2, a, P, 2));
    CHECK(mlock(a + 16 * P, P));
    CHECK(mlock(a + 7 * P, 2 * P));
    printf("VmLck +%ld kB (the mapped part of a range with a hole is locked)\n", vmlck() - base);
    CHECK(munlock(a + 7 * P, 2 * P));
    CHECK(munlock(a, 8 * P));
    printf("-- what a lock refuses\n");
    CHECK(mlock(a, 2 * P));
    CHECK(madvise(a, P, MADV_DONTNEED));
    CHECK(madvise(a, P, MADV_FREE));
    CHECK(madvise(a, P, MADV_REMOVE));
    CHECK(madvise(a, P, MADV_COLD));
    CHECK(madvise(a, P, MADV_PAGEOUT));
    CHECK(madvise(a, 2 * P, MADV_WILLNEED));
    CHECK(madvise(a + P, 2 * P, MADV_DONTNEED));
    CHECK(madvise(a, P, 24)); /* MADV_DONTNEED_LOCKED */
    CHECK(msync(a, P, MS_INVALIDATE));
    CHECK(msync(a, P, MS_SYNC));
    CHECK(msync(a + 2 * P, P, MS_INVALIDATE));
    CHECK(munmap(a, P));
    printf("VmLck +%ld kB after munmap of a locked page\n", vmlck() - base);
    munmap(a, 8 * P);
    printf("VmLck +%ld kB\n", vmlck() - base);
    printf("-- MAP_LOCKED\n");
    char *m = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    printf("VmLck +%ld kB, resident %d\n", vmlck() - base, resident(m, 4));
    char *s = mmap(NULL, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    printf("VmLck +%ld kB with a shared one\n", vmlck() - base);
    munmap(m, 4 * P), munmap(s, 2 * P);
    printf("VmLck +%ld kB\n", vmlck() - base);
}

static void all(void)
{
    printf("-- mlockall, munlockall\n");
    long base = vmlck();
    CHECK(mlockall(0));
    CHECK(mlockall(MCL_ONFAULT));
    CHECK(mlockall(8));
    CHECK(mlockall(MCL_CURRENT));
    printf("VmLck grew %d\n", vmlck() > base);
    CHECK(munlockall());
    printf("VmLck back %d\n", vmlck() == base);
    CHECK(mlockall(MCL_FUTURE));
    printf("VmLck back %d (MCL_FUTURE alone)\n", vmlck() == base);
    char *m = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("new area: VmLck +%ld kB, resident %d\n", vmlck() - base, resident(m, 4));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char *c = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        printf("child: VmLck %ld kB, a new area resident %d\n", vmlck(), resident(c, 4));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(mlockall(MCL_FUTURE | MCL_ONFAULT));
    char *o = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("MCL_ONFAULT area: VmLck +%ld kB, resident %d\n", vmlck() - base, resident(o, 4));
    CHECK(mlockall(MCL_CURRENT | MCL_ONFAULT));
    char *q = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("after MCL_CURRENT alone a new area is unlocked: VmLck same %d\n", vmlck() > base);
    CHECK(munlockall());
    printf("VmLck back %d\n", vmlck() == base);
    munmap(m, 4 * P), munmap(o, 4 * P), munmap(q, 4 * P);
}

/* As nobody, with RLIMIT_MEMLOCK of two pages, then 0. */
static void limited(void)
{
    printf("-- RLIMIT_MEMLOCK as nobody\n");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit two = {2 * P, 2 * P};
        setrlimit(RLIMIT_MEMLOCK, &two);
        if (setgid(65534) < 0 || setuid(65534) < 0)
            printf("setuid: %s\n", strerror(errno));
        char *a = mmap(AREA, 8 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        CHECK(mlock(a, 3 * P));
        CHECK(mlock(a, 2 * P));
        CHECK(mlock(a + P, P));
        CHECK(mlock(a + 2 * P, P));
        CHECK(syscall(SYS_mlock2, a + 2 * P, P, MLOCK_ONFAULT));
        CHECK(mmap(NULL, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0) == MAP_FAILED ? -1 : 0);
        CHECK(mremap(a, 2 * P, 3 * P, 0) == MAP_FAILED ? -1 : 0);
        CHECK(mlockall(MCL_CURRENT));
        CHECK(munlock(a, P));
        CHECK(mmap(NULL, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0) == MAP_FAILED ? -1 : 0);
        CHECK(mlockall(MCL_FUTURE));
        CHECK(mmap(NULL, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0);
        CHECK(mmap(NULL, 2 * P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0);
        CHECK(munlockall());
        struct rlimit zero = {0, 0};
        CHECK(setrlimit(RLIMIT_MEMLOCK, &zero));
        CHECK(mlock(a, P));
        CHECK(syscall(SYS_mlock2, a, P, MLOCK_ONFAULT));
        CHECK(munlock(a, P));
        CHECK(mlockall(MCL_CURRENT));
        CHECK(mlockall(MCL_FUTURE));
        CHECK(munlockall());
        CHECK(mmap(NULL, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0) == MAP_FAILED ? -1 : 0);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

static void populate(void)
{
    printf("-- MAP_POPULATE\n");
    static const int flags[] = {0, MAP_POPULATE, MAP_POPULATE | MAP_NONBLOCK};
    static const int prots[] = {PROT_READ | PROT_WRITE, PROT_READ, PROT_NONE};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            char *m = mmap(NULL, 4 * P, prots[j], MAP_PRIVATE | MAP_ANONYMOUS | flags[i], -1, 0);
            printf("flags %#x prot %d: resident %d\n", flags[i], prots[j], resident(m, 4));
            munmap(m, 4 * P);
        }
}

int main(void)
{
    ranges();
    populate();
    all();
    limited();
    return 0;
}
