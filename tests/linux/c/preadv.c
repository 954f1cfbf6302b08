/*
 * tests/linux/c/preadv.c - vectored reads and writes at an offset:
 * preadv and pwritev (the offset in two registers, of which x86-64 takes
 * the low one whole), preadv2 and pwritev2 (offset -1: the file's
 * position; the RWF_* flags as tmpfs takes them), with the errors of bad
 * descriptors, offsets, flags, iovec arrays and pipes; and readv/writev's
 * own iovec checks.  Files are in /dev/shm, a tmpfs on the host as on
 * Persona.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/* linux/fs.h's flags, which musl leaves out (and 0x200, which no Linux knows yet) */
enum { RWF_HIPRI = 1, RWF_DSYNC = 2, RWF_SYNC = 4, RWF_NOWAIT = 8, RWF_APPEND = 0x10, RWF_NOAPPEND = 0x20,
       RWF_ATOMIC = 0x40, RWF_DONTCACHE = 0x80, RWF_NOSIGNAL = 0x100, RWF_UNKNOWN = 0x200 };

static long rv(int fd, struct iovec *v, long n, long lo, long hi)
{
    return syscall(SYS_preadv, fd, v, n, lo, hi);
}

static long wv(int fd, struct iovec *v, long n, long lo, long hi)
{
    return syscall(SYS_pwritev, fd, v, n, lo, hi);
}

static long rv2(int fd, struct iovec *v, long n, long off, long flags)
{
    return syscall(SYS_preadv2, fd, v, n, off, 0, flags);
}

static long wv2(int fd, struct iovec *v, long n, long off, long flags)
{
    return syscall(SYS_pwritev2, fd, v, n, off, 0, flags);
}

static void whole(int fd)
{
    char b[64];
    ssize_t n = pread(fd, b, sizeof b, 0);
    printf("file: %zd \"%.*s\" pos %ld\n", n, (int)(n > 0 ? n : 0), b, (long)lseek(fd, 0, SEEK_CUR));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char dir[] = "/dev/shm/preadv-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0)
        return 1;
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char a[4] = "abcd", b[6] = "efghij", x[8], y[8];
    struct iovec w[2] = {{a, 4}, {b, 6}}, r[2] = {{x, 3}, {y, 8}};

    /* pwritev/preadv: at the offset, the position left alone */
    CHECK(wv(fd, w, 2, 2, 0));
    whole(fd);
    CHECK(wv(fd, w, 1, 0, 7)); /* the high half is not used on x86-64 */
    whole(fd);
    memset(x, 0, 8), memset(y, 0, 8);
    CHECK(rv(fd, r, 2, 1, 0));
    printf("x \"%.3s\" y \"%.8s\"\n", x, y);
    CHECK(rv(fd, r, 2, 100, 0));
    CHECK(rv(fd, r, 0, 0, 0));
    CHECK(rv(fd, r, 2, -1, 0));
    CHECK(wv(fd, w, 2, -5, 0));
    CHECK(rv(99, r, 2, 0, 0));
    CHECK(rv(-1, r, 2, -1, 0));
    CHECK(rv(fd, (struct iovec *)8, 2, 0, 0));
    CHECK(rv(fd, r, 1025, 0, 0));
    CHECK(rv(fd, r, -1, 0, 0));
    int ro = open("f", O_RDONLY), wo = open("f", O_WRONLY);
    CHECK(wv(ro, w, 2, 0, 0));
    CHECK(rv(wo, r, 2, 0, 0));
    CHECK(rv(wo, r, 0, 0, 0));
    int d = open(".", O_RDONLY | O_DIRECTORY);
    CHECK(rv(d, r, 2, 0, 0));
    CHECK(rv2(d, r, 2, 0, RWF_HIPRI)); /* a directory takes no other flag (no read_iter) */
    CHECK(rv2(d, r, 2, 0, RWF_DSYNC));
    CHECK(rv2(d, r, 2, -1, RWF_NOWAIT));
    int p[2];
    pipe(p);
    CHECK(wv(p[1], w, 2, 0, 0));
    CHECK(rv(p[0], r, 2, 0, 0));

    /* preadv2/pwritev2: -1 is the position, which then moves */
    lseek(fd, 3, SEEK_SET);
    memset(x, 0, 8), memset(y, 0, 8);
    CHECK(rv2(fd, r, 2, -1, 0));
    printf("x \"%.3s\" y \"%.8s\" pos %ld\n", x, y, (long)lseek(fd, 0, SEEK_CUR));
    CHECK(rv2(fd, r, 2, 0, 0));
    printf("pos %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    CHECK(rv2(fd, r, 2, -2, 0));
    lseek(fd, 1, SEEK_SET);
    CHECK(wv2(fd, w, 1, -1, 0));
    whole(fd);
    CHECK(wv2(fd, w, 1, 12, RWF_DSYNC));
    CHECK(wv2(fd, w, 1, 12, RWF_SYNC));
    CHECK(wv2(fd, w, 1, 12, RWF_HIPRI));
    CHECK(rv2(fd, r, 2, 0, RWF_HIPRI | RWF_SYNC));
    CHECK(rv2(fd, r, 2, 0, RWF_NOWAIT));
    CHECK(wv2(fd, w, 1, 0, RWF_NOWAIT));
    CHECK(wv2(fd, w, 1, 0, RWF_ATOMIC));
    CHECK(rv2(fd, r, 2, 0, RWF_ATOMIC));
    CHECK(rv2(fd, r, 2, 0, RWF_DONTCACHE));
    CHECK(rv2(fd, r, 2, 0, RWF_UNKNOWN));
    CHECK(rv2(fd, r, 0, 0, RWF_UNKNOWN));
    CHECK(rv2(fd, r, 2, 0, RWF_APPEND | RWF_NOAPPEND));
    CHECK(rv2(99, r, 2, 0, RWF_UNKNOWN));
    CHECK(rv2(fd, r, 2, -3, RWF_UNKNOWN));
    whole(fd);
    /* RWF_APPEND: at the end, whatever the offset; the position moves
     * only with -1 */
    lseek(fd, 0, SEEK_SET);
    CHECK(wv2(fd, w, 1, 0, RWF_APPEND));
    whole(fd);
    CHECK(wv2(fd, w + 1, 1, -1, RWF_APPEND));
    whole(fd);
    CHECK(rv2(fd, r, 2, 0, RWF_APPEND));
    /* RWF_NOAPPEND on an O_APPEND file writes at the offset */
    int ap = open("f", O_WRONLY | O_APPEND);
    CHECK(wv2(ap, w, 1, 0, RWF_NOAPPEND));
    CHECK(wv2(ap, w + 1, 1, 0, 0));
    whole(fd);
    CHECK(ftruncate(fd, 0));
    /* on a pipe: -1 is readv/writev, an offset ESPIPE */
    CHECK(wv2(p[1], w, 2, -1, 0));
    CHECK(rv2(p[0], r, 2, 0, 0));
    memset(x, 0, 8), memset(y, 0, 8);
    CHECK(rv2(p[0], r, 2, -1, 0));
    printf("x \"%.3s\" y \"%.8s\"\n", x, y);
    CHECK(rv2(p[0], r, 2, -1, RWF_NOWAIT));
    CHECK(rv2(p[0], r, 2, -1, RWF_UNKNOWN));
    CHECK(rv2(p[0], r, 0, -1, RWF_UNKNOWN));
    /* RWF_NOSIGNAL: a write to a pipe with no reader is EPIPE without SIGPIPE */
    close(p[0]);
    CHECK(wv2(p[1], w, 2, -1, RWF_NOSIGNAL));
    CHECK(rv2(fd, r, 2, 0, RWF_NOSIGNAL));

    /* the iovec checks of readv and writev */
    struct iovec big[2] = {{a, 4}, {b, (size_t)SSIZE_MAX}};
    CHECK(writev(fd, big, 2));
    struct iovec neg[2] = {{a, 4}, {b, (size_t)SSIZE_MAX + 1}};
    CHECK(writev(fd, neg, 2));
    CHECK(rv(fd, neg, 2, 0, 0));
    struct iovec many[1025];
    for (int i = 0; i < 1025; i++)
        many[i] = (struct iovec){a, 1};
    CHECK(writev(fd, many, 1025));
    CHECK(writev(fd, many, 1024));
    CHECK(readv(fd, many, 1025));
    struct iovec high[1] = {{(void *)0xffff800000000000ul, 4}};
    CHECK(writev(fd, high, 1));
    CHECK(writev(fd, (struct iovec *)8, 1));
    CHECK(writev(fd, w, 0));
    whole(fd);
    return 0;
}
