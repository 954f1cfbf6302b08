/*
 * tests/linux/c/mmcalls.c - the memory calls beyond mmap: mremap (shrink,
 * grow in place, move with MREMAP_MAYMOVE, MREMAP_FIXED and
 * MREMAP_DONTUNMAP, of anonymous, file and shared areas whose pages are
 * partly untouched), madvise (MADV_DONTNEED zeroing anonymous pages and
 * re-reading a private file mapping, MADV_DONTFORK and MADV_WIPEONFORK
 * across fork, the hints), msync, mincore, membarrier, and clone3 (a
 * process, a CLONE_VM|CLONE_VFORK child on a stack of its own, a thread),
 * with Linux's errors for each.  The areas are placed at fixed addresses
 * so that what lies beside them is known; nothing printed depends on an
 * address.  One line per check; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/membarrier.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define P 4096L
#define AREA ((char *)0x40000000000ul) /* free on both: far from the program, the heap and the stack */
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MEMBARRIER_CMD_GET_REGISTRATIONS
#define MEMBARRIER_CMD_GET_REGISTRATIONS (1 << 9)
#endif
#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ull
#endif
#define FUTEX_WAIT 0

/* struct clone_args (linux/sched.h), which musl does not have. */
struct clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size,
        cgroup;
};

/* An anonymous private area of n pages at AREA + at pages, or NULL. */
static char *anon(long at, long n, int prot)
{
    char *m = mmap(AREA + at * P, n * P, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    return m == MAP_FAILED ? NULL : m;
}

/* mremap's result: -1 (errno set), 0 where it was, 1 at want, 2 elsewhere;
 * it is kept in `moved`. */
static char *moved;
static long remap(char *old, long old_pages, long new_pages, int flags, char *want)
{
    void *r = mremap(old, old_pages * P, new_pages * P, flags, want);
    if (r == MAP_FAILED)
        return -1;
    moved = r;
    return r == old ? 0 : r == want ? 1 : 2;
}

/* The first byte of each of n pages, '.' for a zero (in one of four
 * buffers, so that a printf may show several). */
static const char *firsts(const char *m, int n)
{
    static char ring[4][64];
    static int next;
    char *s = ring[next++ % 4];
    for (int i = 0; i < n; i++)
        s[i] = m[i * P] ? m[i * P] : '.';
    s[n] = '\0';
    return s;
}

/* Whether the page at m is mapped (msync answers ENOMEM for a hole). */
static int mapped(char *m) { return msync(m, P, MS_ASYNC) == 0; }

/* mincore of n pages as a string of 0s and 1s, or the error. */
static const char *resident(char *m, int n)
{
    static char s[64];
    unsigned char vec[64];
    if (mincore(m, n * P, vec) < 0)
        return strerror(errno);
    for (int i = 0; i < n; i++)
        s[i] = vec[i] ? '1' : '0';
    s[n] = '\0';
    return s;
}

static void mremap_anonymous(void)
{
    char *a = anon(0, 2, PROT_READ | PROT_WRITE);
    a[0] = 'A', a[P] = 'B';
    CHECK(remap(a, 2, 4, 0, NULL));
    printf("grown in place: %s\n", firsts(a, 4));
    a[3 * P] = 'D';
    CHECK(remap(a, 4, 1, 0, NULL));
    CHECK(mapped(a + P));
    char *blocker = anon(1, 1, PROT_READ);
    CHECK(remap(a, 1, 2, 0, NULL));
    CHECK(remap(a, 1, 3, MREMAP_MAYMOVE, NULL));
    char *m = moved;
    printf("moved: %s, the old page mapped %d\n", firsts(m, 3), mapped(a));
    m[2 * P] = 'C';
    CHECK(remap(m, 3, 2, MREMAP_MAYMOVE | MREMAP_FIXED, AREA + 8 * P));
    printf("fixed: %s, the old pages mapped %d %d\n", firsts(AREA + 8 * P, 2), mapped(m), mapped(m + P));
    /* MREMAP_FIXED replaces what is at the target */
    char *t = anon(20, 1, PROT_READ | PROT_WRITE);
    t[0] = 'T';
    CHECK(remap(AREA + 8 * P, 2, 2, MREMAP_MAYMOVE | MREMAP_FIXED, AREA + 19 * P));
    printf("over another area: %s\n", firsts(AREA + 19 * P, 2));
    /* a shrink stays in place, MREMAP_MAYMOVE or not */
    CHECK(remap(AREA + 19 * P, 2, 1, MREMAP_MAYMOVE, NULL));
    CHECK(mapped(AREA + 20 * P));
    /* MREMAP_DONTUNMAP: the pages move, the old area stays, empty */
    char *d = AREA + 19 * P;
    CHECK(remap(d, 1, 1, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL));
    printf("dontunmap: new %s, old %s\n", firsts(moved, 1), firsts(d, 1));
    munmap(moved, P);
    munmap(d, P);
    munmap(blocker, P);
    munmap(a, P);
    /* two mappings side by side are one area, as Linux merges them */
    char *x = anon(0, 2, PROT_READ | PROT_WRITE), *y = anon(2, 2, PROT_READ | PROT_WRITE);
    x[0] = 'x', y[0] = 'y';
    CHECK(remap(x, 4, 5, 0, NULL));
    printf("across both: %s\n", firsts(x, 5));
    munmap(x, 5 * P);
}

/* An area with untouched pages: they stay untouched, and fill as before. */
static void mremap_lazy(void)
{
    char *a = anon(0, 4, PROT_READ | PROT_WRITE);
    a[0] = 'a', a[2 * P] = 'c';
    char *blocker = anon(4, 1, PROT_READ);
    printf("before: %s\n", resident(a, 4));
    CHECK(remap(a, 4, 6, MREMAP_MAYMOVE, NULL));
    char *m = moved;
    printf("after the move: %s\n", resident(m, 6));
    printf("contents: %s\n", firsts(m, 6));
    m[5 * P] = 'f';
    printf("written at the end: %s\n", firsts(m, 6));
    munmap(m, 6 * P);
    munmap(blocker, P);
}

static void mremap_file(void)
{
    int fd = open("data", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char page[P];
    for (int i = 0; i < 4; i++) {
        memset(page, 'a' + i, sizeof page);
        write(fd, page, sizeof page);
    }
    char *f = mmap(AREA + 30 * P, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, P);
    char *blocker = anon(32, 1, PROT_READ);
    printf("file mapping (untouched): %s\n", resident(f, 2));
    CHECK(remap(f, 2, 3, 0, NULL));
    CHECK(remap(f, 2, 3, MREMAP_MAYMOVE, NULL));
    char *m = moved;
    printf("moved file mapping: %s\n", firsts(m, 3));
    m[P] = 'X';
    CHECK(remap(m, 3, 3, MREMAP_MAYMOVE | MREMAP_FIXED, AREA + 40 * P));
    printf("and again: %s\n", firsts(AREA + 40 * P, 3));
    /* shrunk, then grown in place again: the file's pages come back */
    CHECK(remap(AREA + 40 * P, 3, 1, 0, NULL));
    CHECK(remap(AREA + 40 * P, 1, 3, 0, NULL));
    printf("regrown: %s\n", firsts(AREA + 40 * P, 3));
    /* MADV_DONTNEED on a private file mapping: the file's bytes again */
    char *g = AREA + 40 * P;
    g[0] = 'Y';
    CHECK(madvise(g, 3 * P, MADV_DONTNEED));
    printf("after MADV_DONTNEED: %s\n", firsts(g, 3));
    /* after the file changed, the file as it is now */
    printf("read before the change: %c\n", g[P]);
    memset(page, 'Z', sizeof page);
    pwrite(fd, page, sizeof page, 2 * P);
    CHECK(madvise(g, 3 * P, MADV_DONTNEED));
    printf("after a change and MADV_DONTNEED: %s\n", firsts(g, 3));
    CHECK(madvise(g, P, MADV_FREE));
    CHECK(madvise(g, P, MADV_REMOVE));
    CHECK(madvise(g, P, MADV_WILLNEED));
    munmap(g, 3 * P);
    munmap(blocker, P);
    close(fd);
}

static void mremap_shared(void)
{
    char *s = mmap(AREA + 50 * P, 2 * P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                   -1, 0);
    s[0] = 's', s[P] = 't';
    CHECK(remap(s, 2, 2, MREMAP_MAYMOVE | MREMAP_FIXED, AREA + 60 * P));
    char *m = AREA + 60 * P;
    printf("shared, moved: %s\n", firsts(m, 2));
    fflush(stdout);
    pid_t kid = fork();
    if (kid == 0) {
        m[0] = 'S';
        _exit(0);
    }
    waitpid(kid, NULL, 0);
    printf("still shared with a child: %s\n", firsts(m, 2));
    CHECK(madvise(m, 2 * P, MADV_DONTNEED));
    printf("MADV_DONTNEED keeps shared pages: %s\n", firsts(m, 2));
    CHECK(madvise(m, P, MADV_FREE));
    CHECK(madvise(m + P, P, MADV_REMOVE));
    printf("MADV_REMOVE zeroes them: %s\n", firsts(m, 2));
    munmap(m, 2 * P);
}

static void mremap_errors(void)
{
    char *a = anon(0, 2, PROT_READ | PROT_WRITE);
    CHECK(remap(a + 1, 1, 2, MREMAP_MAYMOVE, NULL));
    CHECK(remap(a, 1, 2, 8, NULL));
    CHECK(remap(a, 1, 2, MREMAP_FIXED, AREA + 10 * P));
    CHECK(remap(a, 1, 2, MREMAP_DONTUNMAP, NULL));
    CHECK(remap(a, 1, 2, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL));
    CHECK(remap(a, 1, 0, MREMAP_MAYMOVE, NULL));
    CHECK(remap(a, 1, 1, MREMAP_MAYMOVE | MREMAP_FIXED, AREA + 10 * P + 1));
    CHECK(remap(a, 2, 2, MREMAP_MAYMOVE | MREMAP_FIXED, AREA + P));
    CHECK(remap(AREA + 5 * P, 1, 2, MREMAP_MAYMOVE, NULL));
    CHECK(remap(a, 3, 4, MREMAP_MAYMOVE, NULL));
    CHECK(remap(a + P, 2, 3, MREMAP_MAYMOVE, NULL));
    CHECK(remap(a, 0, 1, MREMAP_MAYMOVE, NULL));
    CHECK(remap(a, 1, 1, 0, NULL));
    munmap(a, 2 * P);
}

static void madvise_calls(void)
{
    char *a = anon(0, 3, PROT_READ | PROT_WRITE);
    memset(a, 'z', 3 * P);
    CHECK(madvise(a, P, MADV_DONTNEED));
    printf("after MADV_DONTNEED: %s, resident %s\n", firsts(a, 3), resident(a, 3));
    int advice[] = {MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTFORK, MADV_DOFORK,
                    MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_DODUMP, MADV_WIPEONFORK,
                    MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT, MADV_FREE};
    for (size_t i = 0; i < sizeof advice / sizeof advice[0]; i++)
        printf("advice %d: %d\n", advice[i], madvise(a, 3 * P, advice[i]));
    printf("contents after the hints: %s\n", firsts(a, 3));
    CHECK(madvise(a + 1, P, MADV_DONTNEED));
    CHECK(madvise(a, P, 999));
    CHECK(madvise(a, P, -1));
    CHECK(madvise(a, 0, MADV_DONTNEED));
    CHECK(madvise(a + 1, 0, MADV_DONTNEED));
    CHECK(madvise(a, -4096, MADV_DONTNEED));
    CHECK(madvise(AREA + 10 * P, P, MADV_DONTNEED));
    CHECK(madvise(AREA + 10 * P, P, MADV_NORMAL));
    CHECK(madvise(a, P, MADV_REMOVE));
    /* a range past the area: what is mapped is done, then ENOMEM */
    a[2 * P] = 'y';
    CHECK(madvise(a + 2 * P, 2 * P, MADV_DONTNEED));
    printf("the mapped part was done: %s\n", firsts(a, 3));
    CHECK(madvise(a, 3 * P, MADV_POPULATE_READ));
    printf("populated: %s\n", resident(a, 3));
    CHECK(madvise(a, 4 * P, MADV_POPULATE_WRITE));
    CHECK(mprotect(a, P, PROT_READ));
    CHECK(madvise(a, P, MADV_POPULATE_WRITE));
    CHECK(madvise(a, P, MADV_POPULATE_READ));
    CHECK(mprotect(a, P, PROT_NONE));
    CHECK(madvise(a, P, MADV_POPULATE_READ));
    munmap(a, 3 * P);
}

/* MADV_DONTFORK: the child has no such area; MADV_WIPEONFORK: the
 * child's is zeroed; the parent keeps both. */
static void madvise_fork(void)
{
    char *keep = anon(0, 1, PROT_READ | PROT_WRITE), *gone = anon(2, 1, PROT_READ | PROT_WRITE);
    char *wipe = anon(4, 2, PROT_READ | PROT_WRITE);
    keep[0] = 'k', gone[0] = 'g', wipe[0] = 'w', wipe[P] = 'x';
    CHECK(madvise(gone, P, MADV_DONTFORK));
    CHECK(madvise(wipe, P, MADV_WIPEONFORK));
    fflush(stdout);
    pid_t kid = fork();
    if (kid == 0) {
        printf("child: keep %s, the DONTFORK area mapped %d, wiped %s\n", firsts(keep, 1), mapped(gone),
               firsts(wipe, 2));
        fflush(stdout);
        _exit(0);
    }
    waitpid(kid, NULL, 0);
    printf("parent: keep %s, gone %s, wiped %s\n", firsts(keep, 1), firsts(gone, 1), firsts(wipe, 2));
    CHECK(madvise(gone, P, MADV_DOFORK));
    char *file = mmap(AREA + 8 * P, P, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, open("data", O_RDONLY), 0);
    CHECK(madvise(file, P, MADV_WIPEONFORK));
    munmap(keep, P), munmap(gone, P), munmap(wipe, 2 * P), munmap(file, P);
}

static void msync_calls(void)
{
    char *a = anon(0, 2, PROT_READ | PROT_WRITE);
    CHECK(msync(a, 2 * P, MS_SYNC));
    CHECK(msync(a, 2 * P, MS_ASYNC));
    CHECK(msync(a, 100, MS_INVALIDATE));
    CHECK(msync(a, 2 * P, MS_ASYNC | MS_INVALIDATE));
    CHECK(msync(a + 1, P, MS_SYNC));
    CHECK(msync(a, P, MS_ASYNC | MS_SYNC));
    CHECK(msync(a, P, 8));
    CHECK(msync(a, 3 * P, MS_SYNC));
    CHECK(msync(a, 3 * P, MS_ASYNC));
    CHECK(msync(AREA + 10 * P, P, MS_SYNC));
    CHECK(msync(AREA + 10 * P, 0, MS_SYNC));
    CHECK(msync(a, -4096, MS_SYNC));
    munmap(a, 2 * P);
}

static void mincore_calls(void)
{
    char *a = anon(0, 4, PROT_READ | PROT_WRITE);
    printf("untouched: %s\n", resident(a, 4));
    a[0] = 1;
    (void)*(volatile char *)(a + 2 * P);
    printf("touched 0 and 2: %s\n", resident(a, 4));
    unsigned char vec[8];
    CHECK(mincore(a + 1, P, vec));
    CHECK(mincore(a, 5 * P, vec));
    CHECK(mincore(AREA + 10 * P, P, vec));
    CHECK(mincore(AREA + 10 * P, 0, vec));
    CHECK(mincore(a, P, (unsigned char *)8));
    CHECK(mincore(a, 100, vec));
    CHECK(mincore(a, P, (unsigned char *)a));
    munmap(a, 4 * P);
}

static void membarrier_calls(void)
{
    int q = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    int basic = MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED | MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED |
                MEMBARRIER_CMD_PRIVATE_EXPEDITED | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
    printf("query has the basic commands: %d\n", (q & basic) == basic);
#define CMD(cmd, flags) {#cmd, cmd, flags}
    static const struct {
        const char *name;
        int cmd, flags;
    } calls[] = {
        CMD(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0), /* not registered yet: EPERM */
        CMD(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0),
        CMD(MEMBARRIER_CMD_GLOBAL, 0),
        CMD(MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0),
        CMD(MEMBARRIER_CMD_GET_REGISTRATIONS, 0),
        CMD(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0),
        CMD(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0),
        CMD(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0),
        CMD(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0),
        CMD(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0),
        CMD(MEMBARRIER_CMD_GET_REGISTRATIONS, 0),
        CMD(MEMBARRIER_CMD_GLOBAL, 1), /* flags are for the rseq command only */
        CMD(MEMBARRIER_CMD_QUERY, 1),
        CMD(3, 0), /* no command: two bits */
        CMD(1 << 20, 0),
        CMD(-1, 0),
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        long r = syscall(SYS_membarrier, calls[i].cmd, calls[i].flags, 0);
        printf("membarrier(%s, %d) = %ld%s%s\n", calls[i].name, calls[i].flags, r, r < 0 ? " " : "",
               r < 0 ? strerror(errno) : "");
    }
    fflush(stdout);
    pid_t kid = fork();
    if (kid == 0) { /* a fork's memory keeps the registrations */
        CHECK(syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(kid, NULL, 0);
}

/* clone3 whose child stores 1 at *flag and exits with code at once: it
 * runs no C and touches no stack (it may be on the parent's). */
static long clone3_raw(struct clone_args *args, size_t size, volatile int *flag, long code)
{
    long ret;
    register long rdx asm("rdx") = (long)flag;
    register long r8 asm("r8") = code;
    asm volatile("syscall\n\t"
                 "test %%rax, %%rax\n\t"
                 "jnz 1f\n\t"
                 "movl $1, (%%rdx)\n\t"
                 "mov %%r8, %%rdi\n\t"
                 "mov $60, %%eax\n\t" /* exit: this thread */
                 "syscall\n\t"
                 "hlt\n"
                 "1:"
                 : "=a"(ret)
                 : "a"((long)SYS_clone3), "D"(args), "S"(size), "r"(rdx), "r"(r8)
                 : "rcx", "r11", "memory");
    if (ret < 0) {
        errno = -ret;
        return -1;
    }
    return ret;
}

static long clone3(struct clone_args *args, size_t size) { return syscall(SYS_clone3, args, size); }

static void clone3_calls(void)
{
    struct clone_args ca = {.exit_signal = SIGCHLD};
    unsigned char big[200] = {0};
    int status = -1;
    CHECK(clone3(&ca, 63));
    CHECK(clone3(&ca, 4097));
    memcpy(big, &ca, sizeof ca);
    big[150] = 1;
    CHECK(clone3((struct clone_args *)big, sizeof big));
    CHECK(clone3((struct clone_args *)8, 64));
    CHECK(clone3(&(struct clone_args){.flags = SIGCHLD}, 64));
    CHECK(clone3(&(struct clone_args){.exit_signal = 65}, 64));
    CHECK(clone3(&(struct clone_args){.exit_signal = 1ul << 32 | SIGCHLD}, 64));
    CHECK(clone3(&(struct clone_args){.flags = 1ul << 40}, 64));
    CHECK(clone3(&(struct clone_args){.flags = CLONE_DETACHED}, 64));
    CHECK(clone3(&(struct clone_args){.stack = (uintptr_t)big}, 64));
    CHECK(clone3(&(struct clone_args){.stack_size = sizeof big}, 64));
    CHECK(clone3(&(struct clone_args){.stack = 0x7ffffffff000 - 64, .stack_size = 128}, 64));
    CHECK(clone3(&(struct clone_args){.set_tid_size = 1}, 88));
    CHECK(clone3(&(struct clone_args){.set_tid = (uintptr_t)big}, 88));
    CHECK(clone3(&(struct clone_args){.set_tid = (uintptr_t)big, .set_tid_size = 33}, 88));
    CHECK(clone3(&(struct clone_args){.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, .exit_signal = SIGCHLD}, 64));
    CHECK(clone3(&(struct clone_args){.flags = CLONE_SIGHAND | CLONE_CLEAR_SIGHAND | CLONE_VM}, 64));
    CHECK(clone3(&(struct clone_args){.flags = CLONE_THREAD}, 64));
    fflush(stdout);
    /* a process, with a struct longer than the kernel's but zero past it */
    memset(big, 0, sizeof big);
    memcpy(big, &ca, sizeof ca);
    volatile int ptid = 0;
    ca.flags = CLONE_PARENT_SETTID, ca.parent_tid = (uintptr_t)&ptid;
    memcpy(big, &ca, sizeof ca);
    long pid = clone3((struct clone_args *)big, sizeof big);
    if (pid == 0)
        _exit(3);
    printf("clone3 process: parent_tid %d, waited %d, ", ptid == pid, waitpid(pid, &status, 0) == pid);
    printf("status %d\n", WEXITSTATUS(status));
    /* CLONE_CLEAR_SIGHAND: handlers go back to the default, ignored stays ignored */
    signal(SIGUSR1, SIG_IGN);
    signal(SIGUSR2, (void (*)(int))exit);
    struct clone_args clear = {.flags = CLONE_CLEAR_SIGHAND, .exit_signal = SIGCHLD};
    if ((pid = clone3(&clear, sizeof clear)) == 0) {
        struct sigaction sa;
        sigaction(SIGUSR1, NULL, &sa);
        int ign = sa.sa_handler == SIG_IGN;
        sigaction(SIGUSR2, NULL, &sa);
        _exit(ign * 10 + (sa.sa_handler == SIG_DFL));
    }
    waitpid(pid, &status, 0);
    printf("clone3 CLONE_CLEAR_SIGHAND: ignored %d, default %d\n", WEXITSTATUS(status) / 10, WEXITSTATUS(status) % 10);
    signal(SIGUSR1, SIG_DFL), signal(SIGUSR2, SIG_DFL);
    /* posix_spawn's: CLONE_VM|CLONE_VFORK on a stack of its own */
    char *stack = malloc(65536);
    volatile int flag = 0;
    struct clone_args vf = {.flags = CLONE_VM | CLONE_VFORK, .exit_signal = SIGCHLD, .stack = (uintptr_t)stack,
                            .stack_size = 65536};
    pid = clone3_raw(&vf, sizeof vf, &flag, 7);
    printf("clone3 vfork: the child ran first %d, waited %d, ", flag, waitpid(pid, &status, 0) == pid);
    printf("status %d\n", WEXITSTATUS(status));
    /* a process on a stack of its own: what it writes is its own */
    struct clone_args own = {.exit_signal = SIGCHLD, .stack = (uintptr_t)stack, .stack_size = 65536};
    flag = 0;
    pid = clone3_raw(&own, sizeof own, &flag, 9);
    printf("clone3 process on a new stack: waited %d, ", waitpid(pid, &status, 0) == pid);
    printf("status %d, the parent's flag %d\n", WEXITSTATUS(status), flag);
    /* pthread_create's: a thread, its id in parent_tid, child_tid cleared at its end */
    volatile int ctid = -1;
    ptid = 0, flag = 0;
    struct clone_args th = {.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
                                     CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
                            .parent_tid = (uintptr_t)&ptid, .child_tid = (uintptr_t)&ctid,
                            .stack = (uintptr_t)stack, .stack_size = 65536};
    long tid = clone3_raw(&th, sizeof th, &flag, 0);
    for (int v; (v = ctid) != 0;)
        syscall(SYS_futex, &ctid, FUTEX_WAIT, v, NULL, NULL, 0);
    printf("clone3 thread: parent_tid %d, ran %d, child_tid cleared\n", tid > 0 && ptid == tid, flag);
    free(stack);
}

int main(void)
{
    mremap_anonymous();
    mremap_lazy();
    mremap_file();
    mremap_shared();
    mremap_errors();
    madvise_calls();
    madvise_fork();
    msync_calls();
    mincore_calls();
    membarrier_calls();
    clone3_calls();
    return 0;
}
