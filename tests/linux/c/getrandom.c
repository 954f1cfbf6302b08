/*
 * tests/linux/c/getrandom.c - getrandom as Linux answers it: the flags
 * (GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE; unknown bits, and
 * GRND_INSECURE with GRND_RANDOM, EINVAL), every byte asked for (a
 * megabyte at once), a buffer outside user memory (EFAULT), one that
 * runs into an unmapped page (the bytes before it), and bytes that
 * differ; /dev/random's and /dev/urandom's ioctls (RNDGETENTCNT 256 as
 * entropy_avail, the root-only ones EPERM for another user, EINVAL for
 * a negative count and any other request, EFAULT).  One line per check;
 * the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdlib.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* linux/random.h's */
#define RNDGETENTCNT 0x80045200
#define RNDADDTOENTCNT 0x40045201
#define RNDGETPOOL 0x80085202
#define RNDADDENTROPY 0x40085203
#define RNDZAPENTCNT 0x5204
#define RNDCLEARPOOL 0x5206
#define RNDRESEEDCRNG 0x5207

static void rnd_ioctls(const char *dev)
{
    int fd = open(dev, O_RDONLY), n = -1, z = 0;
    printf("%s:\n", dev);
    CHECK(ioctl(fd, RNDGETENTCNT, &n));
    printf("entropy count %d\n", n);
    CHECK(ioctl(fd, RNDGETENTCNT, (void *)8));
    CHECK(ioctl(fd, RNDGETPOOL, &n));
    CHECK(ioctl(fd, TCGETS, &n));
    CHECK(ioctl(fd, RNDRESEEDCRNG, 0));
    CHECK(ioctl(fd, RNDZAPENTCNT, 0));
    CHECK(ioctl(fd, RNDCLEARPOOL, 0));
    CHECK(ioctl(fd, RNDADDTOENTCNT, &z));
    z = -1;
    CHECK(ioctl(fd, RNDADDTOENTCNT, &z));
    struct {
        int count, len;
        char bytes[8];
    } e = {8, 8, "abcdefg"};
    CHECK(ioctl(fd, RNDADDENTROPY, &e));
    e.count = -1;
    CHECK(ioctl(fd, RNDADDENTROPY, &e));
    char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
    int *last = (int *)(page + 4096 - 16); /* its bytes run into the unmapped page */
    last[0] = 0, last[1] = 100;
    CHECK(ioctl(fd, RNDADDENTROPY, last));
    munmap(page, 4096);
    CHECK(ioctl(fd, RNDADDENTROPY, (void *)8));
    fflush(stdout);
    if (fork() == 0) {
        if (setuid(65534) == 0) {
            CHECK(ioctl(fd, RNDGETENTCNT, &n));
            CHECK(ioctl(fd, RNDADDTOENTCNT, &z));
            CHECK(ioctl(fd, RNDZAPENTCNT, 0));
            CHECK(ioctl(fd, RNDRESEEDCRNG, 0));
        }
        fflush(stdout);
        _exit(0);
    }
    wait(NULL);
    close(fd);
}

#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4

static long rnd(void *buf, size_t len, unsigned flags) { return syscall(SYS_getrandom, buf, len, flags); }

int main(void)
{
    char small[64];
    static const unsigned flags[] = {0, GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE, GRND_NONBLOCK | GRND_RANDOM,
                                     GRND_NONBLOCK | GRND_INSECURE, GRND_RANDOM | GRND_INSECURE, 8, 0x100,
                                     0xffffffffu};
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
        long r = rnd(small, sizeof small, flags[i]);
        printf("flags %#x: %ld %s\n", flags[i], r, r < 0 ? errno_name(errno) : "");
    }
    static const size_t sizes[] = {0, 1, 7, 127, 256, 257, 4096, 65537, 1 << 20};
    char *big = malloc(1 << 20);
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        printf("%zu bytes: %ld\n", sizes[i], rnd(big, sizes[i], 0));
    long zeros = 0;
    for (long i = 0; i < 1 << 20; i++)
        zeros += big[i] == 0;
    printf("zero bytes in a megabyte: fewer than 8192 %d\n", zeros < 8192);
    long r = rnd((void *)-1, 64, 0);
    printf("a buffer at -1: %ld %s\n", r, r < 0 ? errno_name(errno) : "");
    r = rnd(NULL, 64, 0);
    printf("a buffer at NULL: %ld %s\n", r, r < 0 ? errno_name(errno) : "");
    char *two = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(munmap(two + 4096, 4096));
    r = rnd(two + 4096 - 100, 300, 0);
    printf("100 bytes before an unmapped page: %ld %s\n", r, r < 0 ? errno_name(errno) : "");
    rnd_ioctls("/dev/urandom");
    rnd_ioctls("/dev/random");
    return 0;
}
