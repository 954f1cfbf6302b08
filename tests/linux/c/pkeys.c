/*
 * tests/linux/c/pkeys.c - memory protection keys on a CPU without them:
 * pkey_alloc has no key to give (ENOSPC) once its flags and access
 * rights are right (EINVAL), pkey_free frees no key (EINVAL, key 0
 * included), and pkey_mprotect with key -1 is mprotect (the same checks,
 * the same effect, seen by a write that faults or not), while any other
 * key is EINVAL after mprotect's own checks of the range.  The output
 * must equal the host Linux's; the test first checks that the CPU says
 * it has no protection keys, as the machine the tests run on.  Linux's
 * quirk is kept: the first good pkey_alloc of a memory map takes key 0
 * into its allocation map and fails (EINVAL) without giving it back, so
 * every later one finds the map full (ENOSPC), in a fork's child too,
 * whose memory map is a copy.
 */
#define _GNU_SOURCE
#include "check.h"
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define P 4096L

static long pkey_alloc_(unsigned long flags, unsigned long rights) { return syscall(SYS_pkey_alloc, flags, rights); }
static long pkey_free_(long key) { return syscall(SYS_pkey_free, key); }
static long pkey_mprotect_(void *a, size_t len, unsigned long prot, long key)
{
    return syscall(SYS_pkey_mprotect, a, len, prot, key);
}

static sigjmp_buf env;
static void on_segv(int sig) { siglongjmp(env, sig); }

/* Whether a write to p faults. */
static const char *try_write(char *p)
{
    if (sigsetjmp(env, 1))
        return "SIGSEGV";
    *(volatile char *)p = 1;
    return "written";
}

/* CPUID leaf 7: ECX bit 3 is PKU, bit 4 OSPKE. */
static int cpu_has_pku(void)
{
    unsigned a = 7, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return (c >> 3) & 1;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGSEGV, on_segv);
    printf("the CPU has PKU: %d\n", cpu_has_pku());
    CHECK(pkey_alloc_(0, 4));
    CHECK(pkey_alloc_(0, 0));
    CHECK(pkey_alloc_(0, 0));
    CHECK(pkey_alloc_(0, 1));
    CHECK(pkey_alloc_(0, 3));
    CHECK(pkey_alloc_(0, 4));
    CHECK(pkey_alloc_(1, 0));
    CHECK(pkey_alloc_(~0ul, 0));
    CHECK(pkey_free_(0));
    CHECK(pkey_free_(1));
    CHECK(pkey_free_(15));
    CHECK(pkey_free_(16));
    CHECK(pkey_free_(-1));
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(pkey_alloc_(1, 1));
        CHECK(pkey_alloc_(0, 2));
        CHECK(pkey_alloc_(0, 2));
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    char *m = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(pkey_mprotect_(m, P, PROT_READ, -1));
    printf("key -1, PROT_READ: %s\n", try_write(m));
    CHECK(pkey_mprotect_(m, P, PROT_READ | PROT_WRITE, -1));
    printf("key -1, PROT_READ|PROT_WRITE: %s\n", try_write(m));
    CHECK(pkey_mprotect_(m + P, 2 * P, PROT_NONE, -1));
    printf("key -1, PROT_NONE: %s\n", try_write(m + 2 * P));
    CHECK(pkey_mprotect_(m, P, PROT_READ, 0));
    printf("key 0: %s\n", try_write(m));
    CHECK(pkey_mprotect_(m, P, PROT_READ, 1));
    CHECK(pkey_mprotect_(m, P, PROT_READ, 16));
    CHECK(pkey_mprotect_(m, P, PROT_READ, -2));
    CHECK(pkey_mprotect_(m + 1, P, PROT_READ, 1));
    CHECK(pkey_mprotect_(m + 1, P, PROT_READ, -1));
    CHECK(pkey_mprotect_(m, 0, PROT_READ, 1));
    CHECK(pkey_mprotect_(m, 0, PROT_READ, -1));
    CHECK(pkey_mprotect_(m, -P, PROT_READ, 1));
    CHECK(pkey_mprotect_(m, -P, PROT_READ, -1));
    CHECK(pkey_mprotect_(m, P, 0x100, 1));
    CHECK(pkey_mprotect_(m, P, 0x100, -1));
    CHECK(pkey_mprotect_(m, P, PROT_GROWSDOWN | PROT_GROWSUP | PROT_READ, 1));
    CHECK(pkey_mprotect_(m, P, PROT_GROWSDOWN | PROT_GROWSUP | PROT_READ, -1));
    munmap(m + 3 * P, P);
    CHECK(pkey_mprotect_(m, 4 * P, PROT_READ, 1));
    CHECK(pkey_mprotect_(m, 4 * P, PROT_READ, -1));
    CHECK(pkey_mprotect_(m + 3 * P, P, PROT_READ, -1));
    CHECK(pkey_mprotect_((void *)0x7ffffffff000ul, 2 * P, PROT_READ, -1));
    return 0;
}
