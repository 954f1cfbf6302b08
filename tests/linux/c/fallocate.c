/*
 * tests/linux/c/fallocate.c - fallocate on tmpfs (in /dev/shm, a tmpfs on
 * the host as on Persona): mode 0 allocates pages and grows the file,
 * FALLOC_FL_KEEP_SIZE allocates past the end without growing it,
 * PUNCH_HOLE (with KEEP_SIZE, as Linux requires) zeros a range and frees
 * its whole pages; the modes tmpfs lacks are EOPNOTSUPP; the errors of
 * bad descriptors, ranges and file types; a hole punched under a shared
 * mapping, by fallocate or by madvise's MADV_REMOVE (zeros in the mapping,
 * and its later writes reach the file again; EACCES for a private mapping
 * or one of a file open read-only); posix_fallocate; allocated pages never
 * written (zeros, holes to SEEK_DATA, counted in st_blocks); and
 * sync_file_range's checks.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FALLOC_FL_COLLAPSE_RANGE /* linux/falloc.h's, which musl leaves out */
#define FALLOC_FL_COLLAPSE_RANGE 0x08
#define FALLOC_FL_ZERO_RANGE 0x10
#define FALLOC_FL_INSERT_RANGE 0x20
#define FALLOC_FL_UNSHARE_RANGE 0x40
#endif

static void show(int fd, const char *what)
{
    struct stat st;
    fstat(fd, &st);
    printf("%s: size %lld blocks %lld\n", what, (long long)st.st_size, (long long)st.st_blocks);
}

static void bytes(int fd, long off, int n)
{
    unsigned char b[16] = {0};
    printf("at %ld: %zd:", off, pread(fd, b, (size_t)n, off));
    for (int i = 0; i < n; i++)
        printf(" %02x", b[i]);
    printf("\n");
}

/* Holes punched under a shared mapping of the file g: the mapping sees
 * them, and stays the file's. */
static void mapped_holes(void)
{
    int fd = open("g", O_RDWR | O_CREAT | O_TRUNC, 0644);
    ftruncate(fd, 3 * 4096);
    char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memset(m, 'A', 3 * 4096);
    CHECK(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096, 4096));
    printf("mapped after the punch: %d %d %d\n", m[0], m[4096], m[8192]);
    m[4096] = 'B';
    bytes(fd, 4096, 1);
    memset(m, 'C', 3 * 4096);
    CHECK(madvise(m + 4096, 4096, MADV_REMOVE));
    printf("mapped after MADV_REMOVE: %d %d %d\n", m[0], m[4096], m[8192]);
    bytes(fd, 4094, 4);
    m[4096] = 'D';
    bytes(fd, 4096, 1);
    char *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(madvise(priv, 4096, MADV_REMOVE));
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(madvise(ro, 4096, MADV_REMOVE)); /* it may become writable */
    int rofd = open("g", O_RDONLY);
    char *never = mmap(NULL, 4096, PROT_READ, MAP_SHARED, rofd, 0);
    CHECK(madvise(never, 4096, MADV_REMOVE));
    munmap(never, 4096), close(rofd);
    munmap(m, 3 * 4096), munmap(priv, 4096), munmap(ro, 4096);
    close(fd);
    unlink("g");
}

int main(void)
{
    char dir[] = "/dev/shm/falloc-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0)
        return 1;
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    show(fd, "new");
    CHECK(fallocate(fd, 0, 0, 10000));
    show(fd, "allocated 10000");
    bytes(fd, 9990, 12);
    CHECK(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 20000));
    show(fd, "kept size, 20000");
    CHECK(fallocate(fd, 0, 100, 50));
    show(fd, "inside");
    char ones[12288];
    memset(ones, 0x11, sizeof ones);
    CHECK(pwrite(fd, ones, sizeof ones, 0));
    CHECK(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4090, 4200));
    show(fd, "punched 4090+4200");
    bytes(fd, 4086, 8);
    bytes(fd, 8286, 8);
    CHECK(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 1 << 20));
    show(fd, "punched all");
    bytes(fd, 0, 4);
    CHECK(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 1 << 20, 4096));
    show(fd, "punched past the end");
    CHECK(lseek(fd, 0, SEEK_DATA));
    CHECK(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 4096));
    CHECK(fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 4096));
    CHECK(fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 0, 4096));
    CHECK(fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, 4096));
    CHECK(fallocate(fd, FALLOC_FL_INSERT_RANGE, 0, 4096));
    CHECK(fallocate(fd, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE, 0, 4096));
    CHECK(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 0, 4096));
    CHECK(fallocate(fd, FALLOC_FL_UNSHARE_RANGE, 0, 4096));
    CHECK(fallocate(fd, 0x1000, 0, 4096));
    CHECK(fallocate(fd, 0, 0, 0));
    CHECK(fallocate(fd, 0, 0, -1));
    CHECK(fallocate(fd, 0, -1, 10));
    CHECK(fallocate(fd, 0, 0x7fffffffffffffffll, 10));
    CHECK(fallocate(fd, 0, 0x7ffffffffffff000ll, 0x1000));
    CHECK(fallocate(99, 0, 0, 10));
    CHECK(fallocate(-1, 0, 0, 10));
    int ro = open("f", O_RDONLY);
    CHECK(fallocate(ro, 0, 0, 10));
    CHECK(fallocate(ro, 0, 0, 0));
    close(ro);
    int ap = open("f", O_WRONLY | O_APPEND);
    CHECK(fallocate(ap, 0, 0, 100));
    close(ap);
    int p[2];
    pipe(p);
    CHECK(fallocate(p[0], 0, 0, 10));
    CHECK(fallocate(p[1], 0, 0, 10));
    int d = open(".", O_RDONLY | O_DIRECTORY);
    CHECK(fallocate(d, 0, 0, 10));
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    CHECK(fallocate(sv[0], 0, 0, 10));
    int null = open("/dev/null", O_WRONLY);
    CHECK(fallocate(null, 0, 0, 10));
    CHECK(posix_fallocate(fd, 0, 30000));
    show(fd, "posix_fallocate 30000");

    /* pages allocated but never written: zeros, holes to SEEK_DATA until
     * written, counted in st_blocks all along */
    int g = open("g", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fallocate(g, 0, 4096, 65536));
    show(g, "g allocated 4096+65536");
    CHECK(lseek(g, 0, SEEK_DATA));
    CHECK(lseek(g, 0, SEEK_HOLE));
    CHECK(lseek(g, 8192, SEEK_HOLE));
    bytes(g, 30000, 4);
    CHECK(pwrite(g, "x", 1, 20000));
    show(g, "g written at 20000");
    CHECK(lseek(g, 0, SEEK_DATA));
    CHECK(lseek(g, 20000, SEEK_HOLE));
    CHECK(fallocate(g, FALLOC_FL_KEEP_SIZE, 65536, 65536));
    show(g, "g kept size, 65536+65536");
    CHECK(ftruncate(g, 10000));
    show(g, "g cut to 10000");
    CHECK(fallocate(g, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 10000));
    show(g, "g punched");
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, g, 0);
    CHECK(fallocate(g, 0, 0, 8192));
    printf("mapped: %d\n", m[5000]);
    m[5000] = 7;
    bytes(g, 4999, 3);
    show(g, "g written through a mapping");
    munmap(m, 8192);
    close(g);
    CHECK(posix_fallocate(fd, 0, -1));
    CHECK(posix_fallocate(p[1], 0, 10));

    CHECK(sync_file_range(fd, 0, 0, 0));
    CHECK(sync_file_range(fd, 0, 100, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER));
    CHECK(sync_file_range(fd, 0, 100, 8));
    CHECK(sync_file_range(fd, -1, 100, 0));
    CHECK(sync_file_range(fd, 0, -1, 0));
    CHECK(sync_file_range(fd, 0x7fffffffffffffffll, 1, 0));
    CHECK(sync_file_range(99, 0, 100, 8));
    CHECK(sync_file_range(p[0], 0, 100, 0));
    CHECK(sync_file_range(d, 0, 100, 0));
    CHECK(sync_file_range(sv[0], 0, 100, 0));
    CHECK(sync_file_range(null, 0, 100, 0));
    close(fd);
    unlink("f");
    mapped_holes();
    chdir("/");
    CHECK(rmdir(dir));
    return 0;
}
