/*
 * tests/linux/c/memory.c - memory: brk (the page it leaves below an area
 * above it), anonymous and file mmap, munmap,
 * mprotect, copy-on-write after fork, shared anonymous memory across fork
 * (and futexes and process-shared semaphores in it), large allocations,
 * a stack that grows under data the kernel wrote into it, a running
 * program whose file is removed, the end of the address space, and the
 * resident memory /proc reports (statm, VmRSS).  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "selfcopy.h"
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define FUTEX_WAIT 0 /* linux/futex.h, which musl's headers do not bring */
#define FUTEX_WAKE 1

/* Deep in a stack not yet touched, a read() writes a page first; touching
 * the pages above it afterwards must not wipe what the read put there. */
static __attribute__((noinline)) void deep_stack(void)
{
    char big[256 * 1024];
    int p[2];
    pipe(p);
    write(p[1], "deep", 5);
    read(p[0], big, 5);
    memset(big + 4096, 'x', sizeof big - 4096);
    printf("deep stack: %s, %c\n", big, big[sizeof big - 1]);
    close(p[0]), close(p[1]);
}

/* Read-only data far from everything else the program touches first. */
static const unsigned char far_table[256 * 1024] = {[200000] = 42, [250000] = 7};

/* A running program whose file is removed keeps all of its image: a copy
 * of this program waits, its file is unlinked, and then it reads data it
 * had not touched before. */
static void program_removed(void)
{
    copy_self("prog", 0);
    int go;
    pid_t c = start_copy("./prog", "wait-then-read", &go);
    printf("unlink the running program: %d\n", unlink("prog"));
    fflush(stdout);
    write(go, "x", 1);
    int status;
    waitpid(c, &status, 0);
    printf("it exited with %d\n", WEXITSTATUS(status));
    close(go);
}

/* The last page below 2^47 is never mapped (TASK_SIZE with four-level
 * paging): a fixed mapping there is ENOMEM, a hint there is moved, munmap
 * of it is EINVAL, and neither is it an FS base.  A host with five-level
 * paging maps it (its TASK_SIZE is far above): there the checks are moot. */
static void top_page(void)
{
    void *const top = (void *)0x7ffffffff000;
    void *high = mmap((void *)(1ul << 47), 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    bool five_level = high != MAP_FAILED;
    if (five_level)
        munmap(high, 4096);
    void *fixed = mmap(top, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED on the top page: ENOMEM %d\n", five_level || (fixed == MAP_FAILED && errno == ENOMEM));
    void *hint = mmap(top, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("a hint of the top page goes below: %d\n", five_level || (hint != MAP_FAILED && hint < top));
    long r = munmap(top, 4096);
    printf("munmap of the top page: EINVAL %d\n", five_level || (r < 0 && errno == EINVAL));
    r = five_level ? -1 : syscall(SYS_arch_prctl, 0x1002 /* ARCH_SET_FS */, (unsigned long)top);
    printf("an FS base there: EPERM %d\n", five_level || (r < 0 && errno == EPERM));
}

/* The resident pages /proc/self/statm reports, and VmRSS in status (kB). */
static long rss_pages(long *status_kb)
{
    long size = 0, res = 0;
    char line[128];
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld %ld", &size, &res) != 2)
        res = -1;
    if (f)
        fclose(f);
    *status_kb = -1;
    if ((f = fopen("/proc/self/status", "r"))) {
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "VmRSS: %ld kB", status_kb) == 1)
                break;
        fclose(f);
    }
    return res;
}

/* Touching 100 fresh pages adds 100 to the resident count, and unmapping
 * them takes them off; status and statm agree. */
/* brk over a new area it made protected, and back; then up to an area
 * mapped above it: a page must be left between them (the break returned
 * is the old one if not), as Linux's brk. */
static void brk_gap(void)
{
    char *b = (char *)((syscall(SYS_brk, 0) + 4095) & ~4095L);
    long p = 4096;
    printf("brk to its page: %d\n", syscall(SYS_brk, b) == (long)b);
    long r[3];
    r[0] = syscall(SYS_brk, b + 2 * p) - (long)b;
    int mp = mprotect(b + p, p, PROT_READ | PROT_WRITE | PROT_EXEC);
    r[1] = syscall(SYS_brk, b + 3 * p) - (long)b;
    r[2] = syscall(SYS_brk, b) - (long)b;
    printf("brk +2 pages, mprotect the second, +3, back: %ld %d %ld %ld\n", r[0], mp, r[1], r[2]);
    char *m = mmap(b + 16 * p, p, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("an area 16 pages up: %d\n", m == b + 16 * p);
    for (int i = 0; i < 3; i++) /* to it, to the page below, into that page */
        r[i] = syscall(SYS_brk, b + (i ? 15 * p + (i - 1) : 16 * p)) - (long)b;
    printf("brk to it, to a page below, into that page: %ld %ld %ld\n", r[0], r[1], r[2]);
    munmap(m, p);
    syscall(SYS_brk, b);
}

static void resident(void)
{
    long kb, before, after, gone;
    char *m = mmap(NULL, 100 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    rss_pages(&kb);
    before = rss_pages(&kb);
    for (int i = 0; i < 100; i++)
        m[i * 4096] = 1;
    after = rss_pages(&kb);
    printf("resident after touching 100 pages: +100 %d\n", after - before >= 100 && after - before < 104);
    printf("VmRSS agrees with statm: %d\n", after > 0 && kb / 4 - after >= -4 && kb / 4 - after <= 4);
    munmap(m, 100 * 4096);
    gone = rss_pages(&kb);
    printf("and after unmapping them: -100 %d\n", after - gone >= 100 && after - gone < 104);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "wait-then-read") == 0) {
        copy_wait();
        printf("the removed program reads its data: %d\n", far_table[200000] + far_table[250000]);
        return 0;
    }
    program_removed();
    deep_stack();
    top_page();
    resident();
    void *b0 = sbrk(0);
    printf("sbrk grows: %d\n", sbrk(8192) == b0 && sbrk(0) == (char *)b0 + 8192);
    brk_gap();
    char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap 1 MiB: %d, zeroed: %d\n", m != MAP_FAILED, m[0] == 0 && m[(1 << 20) - 1] == 0);
    memset(m, 7, 1 << 20);
    printf("written: %d\n", m[12345] == 7);
    printf("munmap: %d\n", munmap(m + 4096, 4096));
    printf("mprotect read-only: %d\n", mprotect(m, 4096, PROT_READ));
    printf("mprotect unaligned: %d %s\n", mprotect(m + 1, 4096, PROT_READ), strerror(errno));
    printf("munmap len 0: %d %s\n", munmap(m, 0), strerror(errno));
    int fd = open("file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(fd, "file contents", 13);
    char *f = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    printf("file mapping: %.13s\n", f);
    char *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    w[0] = 'F';
    char buf[16] = {0};
    pread(fd, buf, 4, 0);
    printf("private write stays private: %c%c\n", w[0], buf[0]);
    printf("mmap of a bad fd: %d %s\n", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 99, 0) == MAP_FAILED,
           strerror(errno));
    char *fixed = mmap((void *)0x200000000, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED at 0x200000000: %d\n", fixed == (char *)0x200000000);
    static int shared = 1;
    pid_t pid = fork();
    if (pid == 0) {
        shared = 2;
        fixed[0] = 'c';
        _exit(shared);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("after fork: child saw %d, parent still %d %d\n", WEXITSTATUS(status), shared, fixed[0]);
    /* Demand paging: a mapping larger than the machine's memory costs only the pages touched (MAP_NORESERVE:
     * overcommit's heuristic refuses it otherwise) */
    char *huge = mmap(NULL, 1ul << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    printf("1 GiB mapping: %d\n", huge != MAP_FAILED);
    huge[0] = 1, huge[(1ul << 30) - 1] = 2, huge[512ul << 20] = 3;
    printf("touched three pages: %d\n", huge[0] + huge[(1ul << 30) - 1] + huge[512ul << 20]);
    char *fresh = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    lseek(fd, 0, SEEK_SET);
    printf("read into untouched memory: %zd %.4s\n", read(fd, fresh + 40000, 13), fresh + 40000);
    printf("munmap 1 GiB: %d\n", munmap(huge, 1ul << 30));
    void *big = malloc(16 << 20);
    printf("16 MiB malloc: %d\n", big != NULL);
    memset(big, 1, 16 << 20);
    free(big);
    printf("stack array: %d\n", ({ volatile char a[200000]; a[0] = 1; a[199999] = 2; a[0] + a[199999]; }));
    /* MAP_SHARED anonymous memory stays shared across fork, both ways,
     * and through a grandchild; a private mapping beside it does not. */
    int *sh = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int *pr = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("shared mapping zeroed: %d\n", sh[0] == 0 && sh[2 * 1024] == 0);
    sh[0] = 1, pr[0] = 1;
    fflush(stdout);
    pid_t kid = fork();
    if (kid == 0) {
        sh[0] += 10, sh[2048] = 7, pr[0] = 99;
        if (fork() == 0) {
            sh[1] = 5;
            _exit(0);
        }
        wait(NULL);
        _exit(0);
    }
    waitpid(kid, NULL, 0);
    printf("after the children: shared %d %d %d, private %d\n", sh[0], sh[1], sh[2048], pr[0]);
    printf("mprotect read-only keeps it shared: %d\n", mprotect(sh, 4096, PROT_READ) == 0 && sh[0] == 11);
    printf("munmap of the middle page: %d\n", munmap(sh + 1024, 4096));
    fflush(stdout);
    if ((kid = fork()) == 0) {
        sh[2048] = 8;
        _exit(0);
    }
    waitpid(kid, NULL, 0);
    printf("the last page, still shared: %d\n", sh[2048]);
    /* A futex in shared memory meets across processes (no PRIVATE flag),
     * and a process-shared semaphore hands over between them. */
    struct shared {
        sem_t sem;
        int word, seen;
    } *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    sem_init(&s->sem, 1, 0);
    fflush(stdout);
    if ((kid = fork()) == 0) {
        while (s->word == 0)
            syscall(SYS_futex, &s->word, FUTEX_WAIT, 0, NULL, NULL, 0);
        s->seen = s->word;
        sem_post(&s->sem);
        _exit(0);
    }
    usleep(50000);
    s->word = 42;
    syscall(SYS_futex, &s->word, FUTEX_WAKE, 1, NULL, NULL, 0);
    sem_wait(&s->sem);
    waitpid(kid, NULL, 0);
    printf("the child woke on the shared futex and saw %d; the semaphore came back\n", s->seen);
    return 0;
}
