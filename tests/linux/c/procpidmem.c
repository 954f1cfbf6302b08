/*
 * tests/linux/c/procpidmem.c - /proc/PID/mem: a process's memory read and
 * written at the address as the offset (pread, pwrite, lseek then read),
 * its own and a child's; a read-only private page written all the same
 * (as ptrace may), a shared read-only one not, a short read at the end of a mapping, EIO where nothing
 * is mapped, offsets as unsigned (lseek to a kernel address, SEEK_END
 * EINVAL), a descriptor open for writing only (EBADF), another user's
 * process (EACCES), and a process that has ended (reads 0).  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static char secret[32] = "the child's secret";
static volatile long counter = 41;

static void own(void)
{
    int fd = open("/proc/self/mem", O_RDWR);
    CHECK(fd >= 0);
    long v = 0;
    CHECK(pread(fd, &v, sizeof v, (off_t)(uintptr_t)&counter));
    printf("read counter: %ld\n", v);
    v = 42;
    CHECK(pwrite(fd, &v, sizeof v, (off_t)(uintptr_t)&counter));
    printf("counter now: %ld\n", counter);
    char buf[32] = {0};
    CHECK(lseek(fd, (off_t)(uintptr_t)secret, SEEK_SET) == (off_t)(uintptr_t)secret);
    CHECK(read(fd, buf, 10));
    printf("read after lseek: %.10s\n", buf);
    CHECK(lseek(fd, 0, SEEK_CUR) == (off_t)(uintptr_t)secret + 10);
    CHECK(lseek(fd, 4, SEEK_CUR) == (off_t)(uintptr_t)secret + 14);
    CHECK(lseek(fd, 0, SEEK_END));
    CHECK(pwrite(fd, "x", 0, (off_t)(uintptr_t)secret));

    /* a read-only private page takes a write, as ptrace's would */
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(pwrite(fd, "poked", 5, (off_t)(uintptr_t)ro));
    printf("read-only page: %.5s\n", ro);
    /* a shared read-only page is not written */
    char *shared = mmap(NULL, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(pwrite(fd, "abc", 3, (off_t)(uintptr_t)shared));
    /* two pages, the second unmapped: a short read, then EIO */
    char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(two, 'a', 4096);
    munmap(two + 4096, 4096);
    CHECK(pread(fd, buf, 16, (off_t)(uintptr_t)(two + 4088)));
    CHECK(pread(fd, buf, 16, (off_t)(uintptr_t)(two + 4096)));
    CHECK(pwrite(fd, buf, 16, (off_t)(uintptr_t)(two + 4096)));
    CHECK(pread(fd, buf, 8, 0));
    /* offsets are unsigned: lseek to a kernel address, and a read there */
    uint64_t high = 0xffff888000001000ull;
    CHECK(lseek(fd, (off_t)high, SEEK_SET) == (off_t)high);
    CHECK(read(fd, buf, 8));
    CHECK(pread(fd, buf, 8, -4096)); /* pread's offset is signed whatever the file */
    close(fd);

    fd = open("/proc/self/mem", O_WRONLY);
    CHECK(pread(fd, buf, 8, (off_t)(uintptr_t)secret));
    CHECK(pwrite(fd, "T", 1, (off_t)(uintptr_t)secret));
    printf("secret now: %s\n", secret);
    close(fd);
}

static void child(void)
{
    int to[2], from[2];
    if (pipe(to) < 0 || pipe(from) < 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        strcpy(secret, "the child's secret");
        if (write(from[1], "r", 1) != 1 || read(to[0], &c, 1) != 1) /* the parent looks, and changes it */
            _exit(1);
        printf("child sees: %s\n", secret);
        fflush(stdout);
        _exit(0);
    }
    char c, path[64], buf[32] = {0};
    CHECK(read(from[0], &c, 1));
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    int fd = open(path, O_RDWR);
    CHECK(fd >= 0);
    CHECK(pread(fd, buf, 18, (off_t)(uintptr_t)secret));
    printf("parent reads: %s\n", buf);
    CHECK(pwrite(fd, "THE", 3, (off_t)(uintptr_t)secret));
    long wrote = write(to[1], "g", 1); /* printed once the child has printed, in one order on both */
    int st;
    waitpid(pid, &st, 0);
    CHECK(wrote);
    CHECK(pread(fd, buf, 8, (off_t)(uintptr_t)secret)); /* it has ended */
    close(fd);
    CHECK(open(path, O_RDONLY));
}

/* Another user's process: its mem is not to be opened. */
static void other_user(void)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        char path[64];
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(1);
        snprintf(path, sizeof path, "/proc/%d/mem", parent);
        CHECK(open(path, O_RDONLY));
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    own();
    child();
    other_user();
    return 0;
}
