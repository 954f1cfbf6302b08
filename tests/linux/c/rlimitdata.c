/*
 * tests/linux/c/rlimitdata.c - RLIMIT_DATA, as Linux 6.1: brk fails past
 * it (the heap and the program's data together, check_data_rlimit: the
 * old break comes back), and private writable mappings, data to Linux
 * (not shared ones, not a MAP_GROWSDOWN stack, not read-only ones), fail
 * past it in mmap, mremap and an mprotect that makes them writable
 * (ENOMEM); a soft limit of 0 lets data grow to the hard one (Linux's
 * allowance for Valgrind).
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1ul << 20)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)

static void said(const char *what, void *r)
{
    printf("%-48s %s\n", what, r == MAP_FAILED ? errno_name(errno) : "ok");
    errno = 0;
}

static void set_data(rlim_t soft, rlim_t hard)
{
    struct rlimit r = {soft, hard};
    if (setrlimit(RLIMIT_DATA, &r) < 0)
        printf("setrlimit: %s\n", errno_name(errno));
}

static void brk_to(const char *what, uintptr_t want, uintptr_t old)
{
    uintptr_t got = (uintptr_t)syscall(SYS_brk, want);
    printf("%-48s %s\n", what, got == old ? "old break" : got == want ? "moved" : "other");
}

static void heap(void)
{
    uintptr_t b = (uintptr_t)syscall(SYS_brk, 0);
    brk_to("brk +64 MiB", b + 64 * MIB, b);
    brk_to("brk +16 MiB", b + 16 * MIB, b);
    brk_to("brk +40 MiB (from +16)", b + 40 * MIB, b + 16 * MIB);
    brk_to("brk back", b, b + 16 * MIB);
}

static void maps(void)
{
    said("mmap 64 MiB private writable", mmap(NULL, 64 * MIB, RW, ANON, -1, 0));
    char *ro = mmap(NULL, 64 * MIB, PROT_READ, ANON, -1, 0);
    said("mmap 64 MiB private read-only", ro);
    said("mmap 64 MiB shared writable", mmap(NULL, 64 * MIB, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    said("mmap 64 MiB MAP_GROWSDOWN writable", mmap(NULL, 64 * MIB, RW, ANON | MAP_GROWSDOWN, -1, 0));
    printf("%-48s %s\n", "mprotect the read-only 64 MiB writable",
           mprotect(ro, 64 * MIB, RW) < 0 ? errno_name(errno) : "ok");
    printf("%-48s %s\n", "mprotect 1 MiB of it writable", mprotect(ro, MIB, RW) < 0 ? errno_name(errno) : "ok");
    char *m = mmap(NULL, 16 * MIB, RW, ANON, -1, 0);
    said("mmap 16 MiB private writable", m);
    said("mremap it to 48 MiB, may move", mremap(m, 16 * MIB, 48 * MIB, MREMAP_MAYMOVE));
    said("mremap it to 24 MiB, may move", m = mremap(m, 16 * MIB, 24 * MIB, MREMAP_MAYMOVE));
    said("mmap 8 MiB private writable", mmap(NULL, 8 * MIB, RW, ANON, -1, 0));
    munmap(m, 24 * MIB);
    said("mmap 8 MiB after munmap", mmap(NULL, 8 * MIB, RW, ANON, -1, 0));
}

int main(void)
{
    struct rlimit r;
    getrlimit(RLIMIT_DATA, &r);
    printf("default: soft %s, hard %s\n", r.rlim_cur == RLIM_INFINITY ? "infinity" : "finite",
           r.rlim_max == RLIM_INFINITY ? "infinity" : "finite");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        set_data(32 * MIB, RLIM_INFINITY);
        heap();
        maps();
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("soft 0, hard 32 MiB:\n");
    fflush(stdout);
    if ((pid = fork()) == 0) {
        set_data(0, 32 * MIB);
        said("mmap 16 MiB private writable", mmap(NULL, 16 * MIB, RW, ANON, -1, 0));
        said("mmap 64 MiB private writable", mmap(NULL, 64 * MIB, RW, ANON, -1, 0));
        uintptr_t b = (uintptr_t)syscall(SYS_brk, 0);
        brk_to("brk +1 MiB", b + MIB, b);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
