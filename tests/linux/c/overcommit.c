/*
 * tests/linux/c/overcommit.c - the overcommit check and its count, as
 * Linux 6.1's __vm_enough_memory and vm_committed_as.
 *
 * On the host (mode 0, its own IPC namespace): a single commitment above
 * memory and swap is ENOMEM (a private writable mapping, a read-only one
 * mprotect makes writable, mremap's growth, shared anonymous memory, a
 * SysV segment), MAP_NORESERVE and SHM_NORESERVE take it, a read-only
 * private mapping is not charged; Committed_AS grows by a charged
 * mapping's size and not by a MAP_NORESERVE one's (to the nearest 16
 * MiB: the host's other programs move it too).
 *
 * "persona-only": mode 2 changes the machine's settings (restored at the
 * end), so the host cannot run it: with overcommit_kbytes a little above
 * what is committed, the charged kinds fail past it (MAP_NORESERVE and
 * SHM_NORESERVE too), brk and fork are refused, Committed_AS moves by
 * each charge and back; mode 1 takes a terabyte.
 */
#define _GNU_SOURCE
#include "meminfo.h"
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define MiB (1ul << 20)

static long mapped(void *p) { return p == MAP_FAILED ? -1 : 0; }

static void set(const char *name, const char *value)
{
    char path[128];
    snprintf(path, sizeof path, "/proc/sys/vm/%s", name);
    int opened;
    if (write_text(path, value, &opened) < 0)
        printf("write %s %s: %s\n", name, value, strerror(errno));
}

/* mode 0: a single commitment above memory and swap */
static void heuristic(void)
{
    unsigned long big = ((unsigned long)(meminfo_kb("MemTotal") + meminfo_kb("SwapTotal")) * 1024 + 256 * MiB) & ~(MiB - 1);
    void *p;
    CHECK(mapped(mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
    CHECK(mapped(p = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)));
    if (p != MAP_FAILED) {
        CHECK(mprotect(p, big, PROT_READ)); /* not charged: nothing to ask */
        CHECK(mprotect(p, big, PROT_READ | PROT_WRITE));
        munmap(p, big);
    }
    CHECK(mapped(p = mmap(NULL, big, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
    if (p != MAP_FAILED) {
        CHECK(mprotect(p, big, PROT_READ | PROT_WRITE));
        CHECK(mprotect(p, 4096, PROT_READ | PROT_WRITE)); /* a page of it is little */
        munmap(p, big);
    }
    CHECK(mapped(mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)));
    CHECK(mapped(p = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)));
    if (p != MAP_FAILED)
        munmap(p, big);
    CHECK(mapped(p = mmap(NULL, 4 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
    CHECK(mapped(mremap(p, 4 * MiB, big, MREMAP_MAYMOVE)));
    munmap(p, 4 * MiB);
    int id;
    CHECK(id = shmget(IPC_PRIVATE, big, 0600));
    CHECK(id = shmget(IPC_PRIVATE, big, 0600 | SHM_NORESERVE));
    if (id >= 0)
        CHECK(shmctl(id, IPC_RMID, NULL));
}

/* Committed_AS's growth by a mapping of 64 MiB, to the nearest 16 MiB */
static void counted(void)
{
    unsigned long len = 64 * MiB;
    long before = meminfo_kb("Committed_AS");
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long grown = meminfo_kb("Committed_AS") - before;
    printf("private writable 64 MiB: Committed_AS grew by about %ld MiB\n", (grown + 8192) / 16384 * 16);
    munmap(p, len);
    before = meminfo_kb("Committed_AS");
    p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    grown = meminfo_kb("Committed_AS") - before;
    printf("MAP_NORESERVE 64 MiB: Committed_AS grew by about %ld MiB\n", (grown + 8192) / 16384 * 16);
    munmap(p, len);
    before = meminfo_kb("Committed_AS");
    p = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    grown = meminfo_kb("Committed_AS") - before;
    printf("read-only 64 MiB: Committed_AS grew by about %ld MiB\n", (grown + 8192) / 16384 * 16);
    munmap(p, len);
    before = meminfo_kb("Committed_AS");
    p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    grown = meminfo_kb("Committed_AS") - before;
    printf("shared anonymous 64 MiB: Committed_AS grew by about %ld MiB\n", (grown + 8192) / 16384 * 16);
    munmap(p, len);
}

/* Committed_AS's change since before, to the nearest 4 MiB */
static long moved(long before) { long d = meminfo_kb("Committed_AS") - before; return (d + (d < 0 ? -2048 : 2048)) / 4096 * 4; }

static void strict(void)
{
    char buf[64];
    set("overcommit_memory", "2");
    long base = meminfo_kb("Committed_AS");
    snprintf(buf, sizeof buf, "%ld", base + 64 * 1024 + 4096); /* 64 MiB more (and a user reserve's part) */
    set("overcommit_kbytes", buf);
    printf("CommitLimit is overcommit_kbytes: %d\n", meminfo_kb("CommitLimit") == base + 64 * 1024 + 4096);
    void *p, *q;
    CHECK(mapped(p = mmap(NULL, 32 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
    printf("Committed_AS moved by %ld MiB\n", moved(base));
    CHECK(mapped(mmap(NULL, 128 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
    CHECK(mapped(mmap(NULL, 128 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)));
    CHECK(mapped(q = mmap(NULL, 128 * MiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
    printf("Committed_AS moved by %ld MiB\n", moved(base));
    CHECK(mprotect(q, 128 * MiB, PROT_READ | PROT_WRITE));
    CHECK(mprotect(q, 8 * MiB, PROT_READ | PROT_WRITE));
    printf("Committed_AS moved by %ld MiB\n", moved(base));
    /* Linux 6.1 keeps the charge when the area becomes read-only again (6.2 gives an untouched one's back) */
    CHECK(mprotect(q, 8 * MiB, PROT_READ));
    printf("Committed_AS moved by %ld MiB\n", moved(base));
    CHECK(munmap(q, 128 * MiB));
    CHECK(mapped(mmap(NULL, 128 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)));
    CHECK(mapped(mmap(NULL, 128 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)));
    CHECK(mapped(q = mmap(NULL, 8 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)));
    printf("Committed_AS moved by %ld MiB\n", moved(base));
    CHECK(munmap(q, 8 * MiB));
    printf("Committed_AS moved by %ld MiB\n", moved(base));
    CHECK(mapped(mremap(p, 32 * MiB, 128 * MiB, MREMAP_MAYMOVE)));
    int id;
    CHECK(shmget(IPC_PRIVATE, 128 * MiB, 0600));
    CHECK(shmget(IPC_PRIVATE, 128 * MiB, 0600 | SHM_NORESERVE));
    CHECK(id = shmget(IPC_PRIVATE, 16 * MiB, 0600));
    printf("Committed_AS moved by %ld MiB\n", moved(base));
    CHECK(shmctl(id, IPC_RMID, NULL));
    printf("Committed_AS moved by %ld MiB\n", moved(base));
    /* brk by the call itself (musl's sbrk only reads the break) */
    unsigned long top = syscall(SYS_brk, 0);
    CHECK(syscall(SYS_brk, top + 128 * MiB) == (long)top);
    CHECK(syscall(SYS_brk, top + 8 * MiB) == (long)(top + 8 * MiB));
    printf("Committed_AS moved by %ld MiB\n", moved(base));
    CHECK(syscall(SYS_brk, top) == (long)top);
    CHECK(mapped(q = mmap(NULL, 16 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
    pid_t pid = fork(); /* its copy of the 48 MiB is charged again: past the limit */
    if (pid == 0)
        _exit(0);
    printf("fork: %s\n", pid < 0 ? strerror(errno) : "made");
    CHECK(munmap(p, 32 * MiB));
    CHECK(munmap(q, 16 * MiB));
    printf("Committed_AS moved by %ld MiB\n", moved(base));
    pid = fork();
    if (pid == 0)
        _exit(0);
    printf("fork: %s\n", pid < 0 ? strerror(errno) : "made");
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && st == 0);
    set("overcommit_memory", "1");
    CHECK(mapped(p = mmap(NULL, 1ul << 40, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
    if (p != MAP_FAILED)
        munmap(p, 1ul << 40);
    set("overcommit_memory", "0");
    set("overcommit_ratio", "50"); /* and overcommit_kbytes 0 again */
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (unshare(CLONE_NEWIPC) < 0) /* shmget's segments are this namespace's */
        printf("unshare: %s\n", strerror(errno));
    if (argc > 1 && !strcmp(argv[1], "persona-only")) {
        strict();
        return 0;
    }
    char mode[8];
    read_text("/proc/sys/vm/overcommit_memory", mode, sizeof mode);
    printf("overcommit_memory %s", mode);
    heuristic();
    counted();
    return 0;
}
