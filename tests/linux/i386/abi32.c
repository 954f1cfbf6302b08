/*
 * tests/linux/i386/abi32.c - the i386 calls whose structures or numbers
 * are the 32-bit ABI's own, made raw (syscall(), i386 numbers): stat64,
 * lstat64, fstat64 and fstatat64's struct stat64, _llseek's 64-bit offset
 * in two halves, time, gettimeofday, clock_gettime with 32-bit and 64-bit
 * timespecs, mmap2's offset in pages and old mmap's argument block,
 * socketcall's socket, socketpair, bind, send and recv, and futex with a
 * 32-bit and a 64-bit timeout.  Built gcc -m32 -static; the output must
 * equal the host Linux's running the same binary.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "../c/check.h"

struct ts32 { int32_t sec, nsec; };
struct ts64 { int64_t sec, nsec; };

static void stat_calls(void)
{
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0640);
    char buf[5000];
    memset(buf, 'x', sizeof buf);
    write(fd, buf, sizeof buf);
    symlink("f", "l");
    struct stat64 st;
    CHECK(syscall(SYS_stat64, "f", &st));
    printf("  size %lld mode %o nlink %u blksize %ld\n", (long long)st.st_size, st.st_mode, (unsigned)st.st_nlink,
           (long)st.st_blksize);
    CHECK(syscall(SYS_lstat64, "l", &st));
    printf("  link: size %lld symlink %d\n", (long long)st.st_size, S_ISLNK(st.st_mode));
    CHECK(syscall(SYS_fstat64, fd, &st));
    printf("  fstat64 size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    CHECK(syscall(SYS_fstatat64, AT_FDCWD, "l", &st, 0));
    printf("  fstatat64 follows: size %lld\n", (long long)st.st_size);
    CHECK(syscall(SYS_stat64, "missing", &st));
    CHECK(syscall(SYS_stat64, "f", (void *)16));
    long long pos = -1;
    CHECK(syscall(SYS__llseek, fd, 1, 0x10, &pos, SEEK_SET));   /* 4 GiB + 16 */
    printf("  _llseek to %lld\n", pos);
    CHECK(syscall(SYS__llseek, fd, 0, 100, &pos, SEEK_END));
    printf("  _llseek from the end to %lld\n", pos);
    CHECK(syscall(SYS__llseek, fd, 0, 0, &pos, 99));
    close(fd);
}

static void time_calls(void)
{
    int32_t t = 0;
    long r = syscall(SYS_time, &t);
    printf("time returns what it stores: %d, after 2020: %d\n", r == t, t > 1577836800);
    struct { int32_t sec, usec; } tv;
    CHECK(syscall(SYS_gettimeofday, &tv, NULL));
    printf("  gettimeofday agrees with time: %d\n", tv.sec - t >= 0 && tv.sec - t < 5);
    struct ts32 a;
    struct ts64 b;
    CHECK(syscall(SYS_clock_gettime, CLOCK_REALTIME, &a));
    CHECK(syscall(SYS_clock_gettime64, CLOCK_REALTIME, &b));
    printf("  the two clock_gettimes agree: %d, nsec in range %d\n", b.sec - a.sec >= 0 && b.sec - a.sec < 5,
           a.nsec >= 0 && a.nsec < 1000000000 && b.nsec >= 0 && b.nsec < 1000000000);
    CHECK(syscall(SYS_clock_gettime, 12345, &a));
    CHECK(syscall(SYS_clock_gettime64, CLOCK_MONOTONIC, (void *)16));
    struct ts32 nap = {0, 1000000};
    CHECK(syscall(SYS_nanosleep, &nap, NULL));
    struct ts64 nap64 = {0, 1000000};
    CHECK(syscall(SYS_clock_nanosleep_time64, CLOCK_MONOTONIC, 0, &nap64, NULL));
}

static void mmap_calls(void)
{
    int fd = open("m", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char page[4096];
    for (int i = 0; i < 3; i++) {
        memset(page, 'a' + i, sizeof page);
        write(fd, page, sizeof page);
    }
    char *p = (char *)syscall(SYS_mmap2, 0, 8192, PROT_READ, MAP_SHARED, fd, 1);
    printf("mmap2 at page 1: %s, bytes %c %c\n", p == MAP_FAILED ? "failed" : "mapped",
           p == MAP_FAILED ? '-' : p[0], p == MAP_FAILED ? '-' : p[4096]);
    CHECK(syscall(SYS_mmap2, 0, 4096, PROT_READ, MAP_SHARED, 99, 0));
    CHECK(syscall(SYS_mmap2, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    uint32_t args[6] = {0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, (uint32_t)fd, 8192};
    char *q = (char *)syscall(SYS_mmap, args);
    printf("old mmap at byte 8192: %s, byte %c\n", q == MAP_FAILED ? "failed" : "mapped", q == MAP_FAILED ? '-' : q[0]);
    args[5] = 100;   /* not page-aligned */
    CHECK(syscall(SYS_mmap, args));
    char *anon = (char *)syscall(SYS_mmap2, 0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    anon[(1 << 20) - 1] = 1;
    printf("anonymous megabyte below 4 GiB: %d\n", (uintptr_t)anon < 0xffffffffu && anon[(1 << 20) - 1] == 1);
    CHECK(munmap(anon, 1 << 20));
    close(fd);
}

static void socketcall_calls(void)
{
    enum { SOCKET = 1, BIND = 2, SOCKETPAIR = 8, SEND = 9, RECV = 10 };
    uint32_t a[6] = {AF_UNIX, SOCK_STREAM, 0};
    int s = syscall(SYS_socketcall, SOCKET, a);
    printf("socketcall(SOCKET) gives a descriptor: %d\n", s > 2);
    struct sockaddr_un un = {AF_UNIX, "sock"};
    uint32_t b[3] = {(uint32_t)s, (uint32_t)(uintptr_t)&un, sizeof un};
    CHECK(syscall(SYS_socketcall, BIND, b));
    int sv[2];
    uint32_t p[4] = {AF_UNIX, SOCK_DGRAM, 0, (uint32_t)(uintptr_t)sv};
    CHECK(syscall(SYS_socketcall, SOCKETPAIR, p));
    uint32_t snd[4] = {(uint32_t)sv[0], (uint32_t)(uintptr_t)"hello", 5, 0};
    CHECK(syscall(SYS_socketcall, SEND, snd));
    char got[16] = "";
    uint32_t rcv[4] = {(uint32_t)sv[1], (uint32_t)(uintptr_t)got, sizeof got, 0};
    CHECK(syscall(SYS_socketcall, RECV, rcv));
    printf("  received \"%s\"\n", got);
    CHECK(syscall(SYS_socketcall, 99, a));
    CHECK(syscall(SYS_socketcall, SOCKET, (void *)16));
    CHECK(syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0) > 2);   /* the direct call too */
}

static void futex_calls(void)
{
    static uint32_t word = 7;
    struct ts32 t32 = {0, 20000000};
    struct ts64 t64 = {0, 20000000};
    CHECK(syscall(SYS_futex, &word, FUTEX_WAIT, 7, &t32, NULL, 0));
    CHECK(syscall(SYS_futex_time64, &word, FUTEX_WAIT, 7, &t64, NULL, 0));
    CHECK(syscall(SYS_futex, &word, FUTEX_WAIT, 8, &t32, NULL, 0));
    CHECK(syscall(SYS_futex, &word, FUTEX_WAKE, 1, NULL, NULL, 0));
    t32.nsec = -1;
    CHECK(syscall(SYS_futex, &word, FUTEX_WAIT, 7, &t32, NULL, 0));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    stat_calls();
    time_calls();
    mmap_calls();
    socketcall_calls();
    futex_calls();
    return 0;
}
