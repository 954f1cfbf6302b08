/*
 * tests/linux/c/shmanon.c - shared anonymous memory (MAP_SHARED |
 * MAP_ANONYMOUS) as Linux keeps it, a shmem file of its own: mincore
 * shows only the pages touched (by the process, a fork's child, a lock
 * or MADV_POPULATE_WRITE), as mlock2 with and without MLOCK_ONFAULT
 * counts them; MADV_DONTNEED keeps the contents, MADV_REMOVE drops them
 * (zeros, and out of memory again); mremap grows the area in place or
 * moves it with the contents, and a page past the original size is
 * SIGBUS; remap_file_pages maps its pages at another offset;
 * /proc/self/maps names it "/dev/zero (deleted)".
 * One line per check; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define P 4096L
#define PAGES 8
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static char *area(long pages)
{
    return mmap(NULL, pages * P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
}

/* mincore's bytes for the first pages of m, as a string of 0s and 1s */
static const char *core(char *m, long pages)
{
    static char s[64];
    unsigned char vec[64];
    if (mincore(m, pages * P, vec) < 0)
        return errno_name(errno);
    for (long i = 0; i < pages; i++)
        s[i] = '0' + (vec[i] & 1);
    s[pages] = '\0';
    return s;
}

static void touches(void)
{
    char *m = area(PAGES);
    printf("fresh: %s\n", core(m, PAGES));
    m[0] = 1, m[3 * P] = 2;
    volatile char r = m[5 * P];
    (void)r;
    printf("written 0 and 3, read 5: %s\n", core(m, PAGES));
    pid_t c = fork();
    if (c == 0) {
        m[6 * P] = 7;
        _exit(0);
    }
    waitpid(c, NULL, 0);
    printf("a child wrote 6: %s, the byte %d\n", core(m, PAGES), m[6 * P]);
    CHECK(madvise(m, PAGES * P, MADV_DONTNEED));
    printf("after MADV_DONTNEED: %s, bytes %d %d\n", core(m, PAGES), m[0], m[3 * P]);
    CHECK(madvise(m + 3 * P, 2 * P, MADV_REMOVE));
    printf("after MADV_REMOVE of 3-4: %s\n", core(m, PAGES));
    int b = m[3 * P];
    printf("the byte at 3 %d: %s\n", b, core(m, PAGES));
    CHECK(madvise(m + P, P, MADV_POPULATE_WRITE));
    printf("after MADV_POPULATE_WRITE of 1: %s\n", core(m, PAGES));
    CHECK(madvise(m, P, MADV_FREE));
    munmap(m, PAGES * P);
}

/* mlock2 over lock pages and off bytes more, with pop pages touched first */
static void locks(long pop, long lock, long off, int flags)
{
    char *m = area(PAGES);
    memset(m, 0, pop * P);
    long r = syscall(SYS_mlock2, m, lock * P + off, flags);
    printf("mlock2(%ld touched, %ld pages%+ld, %s): %ld %s: %s\n", pop, lock, off, flags ? "ONFAULT" : "0", r,
           r < 0 ? errno_name(errno) : "", core(m, PAGES));
    munlock(m, lock * P + off);
    munmap(m, PAGES * P);
}

static sigjmp_buf back;
static void on_bus(int sig)
{
    siglongjmp(back, sig);
}

/* reads the byte at a: the signal it raised, or 0 */
static int probe(volatile char *a)
{
    int sig = sigsetjmp(back, 1);
    if (sig == 0)
        (void)*a;
    return sig;
}

static void remaps(void)
{
    signal(SIGBUS, on_bus);
    signal(SIGSEGV, on_bus);
    char *m = area(4);
    m[P] = 5;
    munmap(m + 4 * P, 4 * P); /* room to grow in place */
    char *g = mremap(m, 4 * P, 8 * P, 0);
    printf("grown in place: %d, %s\n", g == m, g == MAP_FAILED ? errno_name(errno) : core(m, 8));
    if (g != MAP_FAILED)
        printf("past the old end: %s, within %d\n", probe(g + 5 * P) == SIGBUS ? "SIGBUS" : "no signal",
               probe(g + 3 * P));
    char *n = mremap(m, 8 * P, 8 * P, MREMAP_MAYMOVE | MREMAP_FIXED, m + 16 * P);
    printf("moved: %d, %s, the byte %d\n", n == m + 16 * P, n == MAP_FAILED ? errno_name(errno) : core(n, 8),
           n == MAP_FAILED ? -1 : n[P]);
    char *dup = mremap(n, 0, 4 * P, MREMAP_MAYMOVE);
    printf("old_len 0: %s", dup == MAP_FAILED ? errno_name(errno) : "a copy");
    if (dup != MAP_FAILED)
        printf(", the byte %d, %s", dup[P], core(dup, 4)), dup[2 * P] = 9, printf(" shared %d", n[2 * P]);
    printf("\n");
    munmap(n, 8 * P);
    signal(SIGBUS, SIG_DFL);
    signal(SIGSEGV, SIG_DFL);
}

/* remap_file_pages over shared anonymous memory: its own file's pages */
static void remap_pages(void)
{
    char *m = area(4);
    for (int i = 0; i < 4; i++)
        m[i * P] = (char)(10 + i);
    long r = remap_file_pages(m, P, 0, 3, 0);
    printf("remap_file_pages: %ld %s, bytes %d %d, %s\n", r, r < 0 ? errno_name(errno) : "", m[0], m[P], core(m, 4));
    munmap(m, 4 * P);
}

static void maps(void)
{
    char *m = area(2);
    char want[64], buf[65536];
    snprintf(want, sizeof want, "%lx-", (unsigned long)m);
    read_text("/proc/self/maps", buf, sizeof buf);
    char *l = strstr(buf, want), *e = l ? strchr(l, '\n') : NULL;
    if (e)
        *e = '\0';
    printf("maps: %s, named /dev/zero (deleted) %d\n", l ? (strstr(l, " rw-s ") ? "rw-s" : "other") : "missing",
           l && strstr(l, " /dev/zero (deleted)") != NULL);
    munmap(m, 2 * P);
}

int main(void)
{
    touches();
    locks(0, 1, 0, 0);
    locks(0, PAGES, 0, 0);
    locks(0, 2, 1, 0);
    locks(0, 2, -1, 0);
    locks(0, 1, 0, MLOCK_ONFAULT);
    locks(PAGES / 2, PAGES, 0, MLOCK_ONFAULT);
    locks(1, PAGES / 2, 1, MLOCK_ONFAULT);
    locks(PAGES / 2, PAGES / 2, -1, MLOCK_ONFAULT);
    remaps();
    remap_pages();
    maps();
    return 0;
}
