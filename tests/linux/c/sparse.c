/*
 * tests/linux/c/sparse.c - sparse files, as tmpfs keeps them: a file grown
 * by truncate, or by a write past its end, takes room only for the pages
 * written (st_blocks, du), reads its holes as zeros, and lseek finds its
 * data and holes; a shrink drops what it cut off, so that growing the file
 * again shows zeros, never the old bytes; a private mapping's read of a
 * hole gives the file that page, as shmem's faults do.  The files are in
 * /dev/shm, a tmpfs on both sides.  The output must equal the host
 * Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(int fd, const char *what)
{
    struct stat st;
    fstat(fd, &st);
    printf("%s: size %lld blocks %lld\n", what, (long long)st.st_size, (long long)st.st_blocks);
}

static void bytes(int fd, long off, int n)
{
    unsigned char b[32] = {0};
    printf("at %ld: %zd:", off, pread(fd, b, (size_t)n, off));
    for (int i = 0; i < n; i++)
        printf(" %02x", b[i]);
    printf("\n");
}

int main(void)
{
    CHECK(chdir("/dev/shm")); /* a tmpfs on the host too (its /tmp may be a disk's) */
    int fd = open("sparse-s", O_RDWR | O_CREAT | O_TRUNC, 0644);
    show(fd, "new");
    CHECK(ftruncate(fd, 1l << 30));
    show(fd, "truncated to 1 GiB");
    CHECK(pwrite(fd, "x", 1, 1 << 20));
    show(fd, "a byte at 1 MiB");
    bytes(fd, (1 << 20) - 4, 8);
    bytes(fd, (1l << 30) - 4, 8);
    char *a = malloc(10000);
    memset(a, 'a', 10000);
    CHECK(pwrite(fd, a, 10000, 0));
    show(fd, "10000 bytes at 0");
    CHECK(lseek(fd, 0, SEEK_HOLE));
    CHECK(lseek(fd, 12288, SEEK_DATA));
    CHECK(lseek(fd, (1 << 20) + 1, SEEK_HOLE));
    CHECK(lseek(fd, (1 << 20) + 4096, SEEK_DATA));
    CHECK(lseek(fd, 1l << 30, SEEK_DATA));
    CHECK(ftruncate(fd, 5000));
    show(fd, "cut to 5000");
    CHECK(ftruncate(fd, 20000));
    show(fd, "grown to 20000");
    bytes(fd, 4996, 8);
    bytes(fd, 9996, 8);
    CHECK(lseek(fd, 100000, SEEK_SET));
    CHECK(write(fd, "end", 3));
    show(fd, "a write past the end");
    bytes(fd, 99996, 8);
    char *m = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 94208);
    printf("a mapping of the hole and the end: %d %d %c\n", m[0], m[4095], m[100000 - 94208 + 1]);
    munmap(m, 8192);
    fflush(stdout);
    if (fork() == 0) {
        execlp("du", "du", "-k", "sparse-s", (char *)NULL);
        _exit(127);
    }
    wait(NULL);
    close(fd);
    unlink("sparse-s");
    /* a small file, cut and grown, then written past its first page */
    int g = open("sparse-g", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(write(g, "0123456789", 10));
    CHECK(ftruncate(g, 4));
    CHECK(ftruncate(g, 3000));
    bytes(g, 0, 8);
    bytes(g, 2996, 8);
    CHECK(pwrite(g, "z", 1, 5000));
    bytes(g, 2996, 8);
    bytes(g, 4092, 8);
    bytes(g, 4996, 8);
    show(g, "small, grown");
    CHECK(ftruncate(g, 0));
    show(g, "emptied");
    close(g);
    unlink("sparse-g");
    return 0;
}
