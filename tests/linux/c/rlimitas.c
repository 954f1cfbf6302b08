/*
 * tests/linux/c/rlimitas.c - RLIMIT_AS, as Linux's may_expand_vm on the
 * process's mapped total: past the soft limit mmap, mremap's growth,
 * brk (which returns the old break), shmat and the stack's growth fail
 * (ENOMEM; a stack fault is a SIGSEGV), while what stays within it, what
 * MAP_FIXED replaces and what munmap gives back work.  The limit is far
 * above what the program holds, so no exact total is printed.
 */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1ul << 20)

static void *map(size_t len)
{
    return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void said(const char *what, void *r)
{
    printf("%-44s %s\n", what, r == MAP_FAILED ? errno_name(errno) : "ok");
    errno = 0;
}

static void set_as(rlim_t soft)
{
    struct rlimit r = {soft, RLIM_INFINITY};
    if (setrlimit(RLIMIT_AS, &r) < 0)
        printf("setrlimit: %s\n", errno_name(errno));
}

static __attribute__((noinline)) long recurse(int depth)
{
    volatile char buf[4000];
    buf[0] = (char)depth;
    return depth ? recurse(depth - 1) + buf[0] : 0;
}

/* A child fills its room to the last page, then grows its stack by a MiB. */
static void stack_growth(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        set_as(64 * MIB);
        while (map(MIB) != MAP_FAILED)
            ;
        while (mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED)
            ;
        _exit((int)recurse(256) & 1 ? 3 : 4);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    printf("stack growth past the limit: %s\n",
           WIFSIGNALED(st) ? (WTERMSIG(st) == SIGSEGV ? "SIGSEGV" : "other signal") : "exited");
}

int main(void)
{
    struct rlimit r;
    getrlimit(RLIMIT_AS, &r);
    printf("default: soft %s, hard %s\n", r.rlim_cur == RLIM_INFINITY ? "infinity" : "finite",
           r.rlim_max == RLIM_INFINITY ? "infinity" : "finite");
    set_as(256 * MIB);
    said("mmap 512 MiB", map(512 * MIB));
    char *a = map(64 * MIB), *b = map(64 * MIB), *c = map(64 * MIB);
    said("mmap 64 MiB", a);
    said("mmap 64 MiB", b);
    said("mmap 64 MiB (192 MiB)", c);
    said("mmap 64 MiB more", map(64 * MIB));
    said("mmap 64 MiB read-only, none", mmap(NULL, 64 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    said("mmap 64 MiB shared", mmap(NULL, 64 * MIB, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    said("mmap MAP_FIXED over b (replaces it)",
         mmap(b, 64 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    said("mmap MAP_FIXED over b and 32 MiB past it",
         mmap(b, 96 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    said("mremap c 64 -> 128 MiB, may move", mremap(c, 64 * MIB, 128 * MIB, MREMAP_MAYMOVE));
    said("mremap c 64 -> 32 MiB", mremap(c, 64 * MIB, 32 * MIB, 0));
    said("mremap c 32 -> 48 MiB, may move", c = mremap(c, 32 * MIB, 48 * MIB, MREMAP_MAYMOVE));
    said("mremap c 48 -> 96 MiB, may move", c = mremap(c, 48 * MIB, 96 * MIB, MREMAP_MAYMOVE));
    said("mremap c 96 MiB, MREMAP_DONTUNMAP", mremap(c, 96 * MIB, 96 * MIB, MREMAP_MAYMOVE | MREMAP_DONTUNMAP));
    uintptr_t brk0 = (uintptr_t)syscall(SYS_brk, 0);
    uintptr_t got = (uintptr_t)syscall(SYS_brk, brk0 + 128 * MIB);
    printf("brk +128 MiB: %s\n", got == brk0 ? "old break" : got == brk0 + 128 * MIB ? "moved" : "other");
    got = (uintptr_t)syscall(SYS_brk, brk0 + MIB);
    printf("brk +1 MiB: %s\n", got == brk0 ? "old break" : got == brk0 + MIB ? "moved" : "other");
    syscall(SYS_brk, brk0);
    int id = shmget(IPC_PRIVATE, 128 * MIB, IPC_CREAT | 0600);
    printf("shmget 128 MiB: %s\n", id < 0 ? errno_name(errno) : "ok");
    said("shmat 128 MiB", shmat(id, NULL, 0));
    printf("munmap a and c: %d %d\n", munmap(a, 64 * MIB), munmap(c, 96 * MIB));
    void *s = shmat(id, NULL, 0);
    said("shmat 128 MiB after munmap", s);
    shmdt(s);
    shmctl(id, IPC_RMID, NULL);
    said("mmap 64 MiB after shmdt", map(64 * MIB));
    set_as(RLIM_INFINITY);
    /* MAP_NORESERVE: more than Persona's test machine has, which overcommit's heuristic refuses otherwise */
    said("mmap 512 MiB, no limit", mmap(NULL, 512 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
    stack_growth();
    return 0;
}
