/*
 * tests/linux/c/mmapargs.c - mmap's checks of its arguments, in Linux's
 * order: the mapping types (MAP_SHARED_VALIDATE of anonymous memory, no
 * type, MAP_SHARED with MAP_GROWSDOWN), the flags MAP_SHARED_VALIDATE
 * refuses (MAP_SYNC, MAP_FIXED_NOREPLACE, unknown bits) where MAP_SHARED
 * drops them, MAP_HUGETLB (EINVAL for a file, ENOMEM with no huge pages
 * reserved), an offset past what the file can hold (EOVERFLOW), the file's
 * modes, and files that do not map (a directory, /dev/null, /proc's files:
 * ENODEV or EIO); then mprotect's PROT_GROWSDOWN and PROT_GROWSUP and
 * mremap's new length past the address space; MAP_32BIT's places, all in
 * the second GiB (a hint above it ignored, 2 GiB refused: ENOMEM).
 * Files are on /dev/shm, a
 * tmpfs on both sides.  One line per check; the output must equal the host
 * Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define P 4096L
#define AREA 0x40000000000ul /* free on both: far from the program, the heap and the stack */
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

/* mmap as the call itself, without libc's own checks; 0 for success. */
static long map(unsigned long addr, unsigned long len, int prot, int flags, int fd, long off)
{
    long r = syscall(SYS_mmap, addr, len, prot, flags, fd, off);
    if (r != -1)
        munmap((void *)r, len);
    return r == -1 ? -1 : 0;
}

static void types(int fd)
{
    printf("-- types\n");
    CHECK(map(0, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    CHECK(map(0, P, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    CHECK(map(0, P, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0));
    CHECK(map(0, P, PROT_READ, MAP_ANONYMOUS, -1, 0));
    CHECK(map(0, P, PROT_READ, 0x0f | MAP_ANONYMOUS, -1, 0));
    CHECK(map(0, P, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0));
    CHECK(map(0, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0));
    CHECK(map(0, P, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_SYNC, -1, 0));
    CHECK(map(0, P, PROT_READ, 0, fd, 0));
    CHECK(map(0, P, PROT_READ, 0x0f, fd, 0));
    CHECK(map(0, P, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, fd, 0));
    CHECK(map(0, P, PROT_READ, MAP_SHARED | MAP_GROWSDOWN, fd, 0));
}

static void validate(int fd)
{
    static const long bits[] = {0x40, 0x80, 0x200, 0x400, 0x800, 0x2000, 0x8000, 0x20000, MAP_SYNC,
                                0x200000, 0x1000000, 0x4000000, 0x10000000, 0x40000000, 0x80000000};
    printf("-- MAP_SHARED_VALIDATE and MAP_SHARED\n");
    for (unsigned i = 0; i < sizeof bits / sizeof *bits; i++) {
        long v = map(0, P, PROT_READ, MAP_SHARED_VALIDATE | bits[i], fd, 0);
        int ev = errno;
        long s = map(0, P, PROT_READ, MAP_SHARED | bits[i], fd, 0);
        int es = errno;
        long pr = map(0, P, PROT_READ, MAP_PRIVATE | bits[i], fd, 0);
        printf("flag %#lx: validate %ld %s, shared %ld %s, private %ld %s\n", bits[i], v, v ? errno_name(ev) : "",
               s, s ? errno_name(es) : "", pr, pr ? errno_name(errno) : "");
    }
    CHECK(map(AREA, P, PROT_READ, MAP_SHARED_VALIDATE | MAP_FIXED_NOREPLACE, fd, 0));
    CHECK(map(AREA, P, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0));
    int zero = open("/dev/zero", O_RDWR);
    CHECK(map(0, P, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, zero, 0));
    CHECK(map(0, P, PROT_READ, MAP_SHARED | MAP_SYNC, zero, 0));
    CHECK(map(0, P, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, zero, 0));
    close(zero);
}

static void hugetlb_offsets(int fd)
{
    printf("-- MAP_HUGETLB, offsets\n");
    CHECK(map(0, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0));
    CHECK(map(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0));
    CHECK(map(0, P, PROT_READ, MAP_PRIVATE | MAP_HUGETLB, fd, 0));
    CHECK(map(0, P, PROT_READ, MAP_PRIVATE, fd, -P));
    CHECK(map(0, P, PROT_READ, MAP_PRIVATE, fd, 0x7ffffffffffff000L));
    CHECK(map(0, P, PROT_READ, MAP_PRIVATE, fd, 0x7fffffffffffe000L));
    CHECK(map(0, P, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, fd, -P));
    CHECK(map(0, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, -P));
    CHECK(map(0, P, PROT_READ, MAP_PRIVATE, fd, 1));
    CHECK(map(0, 0, PROT_READ, MAP_PRIVATE, fd, 0));
    CHECK(map(0, -P, PROT_READ, MAP_PRIVATE, fd, 0));
    int zero = open("/dev/zero", O_RDONLY);
    CHECK(map(0, P, PROT_READ, MAP_PRIVATE, zero, -2 * P));
    close(zero);
    int dir = open("/dev/shm", O_RDONLY | O_DIRECTORY);
    CHECK(map(0, P, PROT_READ, MAP_PRIVATE, dir, -P));
    close(dir);
}

static void modes(void)
{
    printf("-- modes and files that do not map\n");
    int ro = open("/dev/shm/mmapargs", O_RDONLY), wo = open("/dev/shm/mmapargs", O_WRONLY);
    CHECK(map(0, P, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
    CHECK(map(0, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0));
    CHECK(map(0, P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_GROWSDOWN, ro, 0));
    CHECK(map(0, P, PROT_WRITE, MAP_SHARED, wo, 0));
    CHECK(map(0, P, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, wo, 0));
    static const char *const files[] = {"/dev/shm", "/dev/null", "/dev/full", "/dev/urandom",
                                        "/proc/self/maps", "/proc/self/status", "/proc/cpuinfo", "/proc/meminfo",
                                        "/proc/sys/kernel/ostype", "/proc/version", "/proc/self/mem"};
    for (unsigned i = 0; i < sizeof files / sizeof *files; i++) {
        int fd = open(files[i], O_RDONLY);
        long r = map(0, P, PROT_READ, MAP_PRIVATE, fd, 0);
        printf("%s: open %d, mmap %ld %s\n", files[i], fd >= 0, r, r ? errno_name(errno) : "");
        close(fd);
    }
    int nul = open("/dev/null", O_RDONLY);
    CHECK(map(0, P, PROT_READ, MAP_SHARED | MAP_GROWSDOWN, nul, 0));
    close(nul);
    nul = open("/dev/null", O_WRONLY);
    CHECK(map(0, P, PROT_READ, MAP_PRIVATE, nul, 0));
    close(nul);
    close(ro), close(wo);
}

static void protect_remap(void)
{
    printf("-- mprotect's growth flags, mremap's length\n");
    char *a = mmap((void *)AREA, 4 * P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    char *g = mmap((void *)(AREA + 8 * P), 4 * P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN,
                   -1, 0);
    CHECK(mprotect(a + P, P, PROT_READ | PROT_GROWSDOWN));
    CHECK(mprotect(a + P, P, PROT_READ | PROT_GROWSUP));
    CHECK(mprotect(a + P, P, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP));
    CHECK(mprotect(a + 5 * P, P, PROT_READ | PROT_GROWSDOWN));
    CHECK(mprotect(a + 5 * P, P, PROT_READ | PROT_GROWSUP));
    CHECK(mprotect(a + 5 * P, 4 * P, PROT_READ | PROT_GROWSDOWN));
    CHECK(mprotect(a + 5 * P, 4 * P, PROT_READ | PROT_GROWSUP));
    CHECK(mprotect(g + 2 * P, P, PROT_READ | PROT_WRITE | PROT_GROWSDOWN));
    CHECK(mprotect(g, P, PROT_READ | PROT_GROWSUP));
    g[0] = 1; /* the whole area below was made writable too */
    printf("grown-down area's first page writable: %d\n", g[0]);
    CHECK(syscall(SYS_mremap, a, P, -P, MREMAP_MAYMOVE));
    CHECK(syscall(SYS_mremap, a, P, 1L << 47, MREMAP_MAYMOVE));
    CHECK(syscall(SYS_mremap, a, P, 0x7ffffffff000L, MREMAP_MAYMOVE));
    CHECK(syscall(SYS_mremap, a, P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, 0x7ffffffff000L));
    munmap(a, 4 * P), munmap(g, 4 * P);
}

/* MAP_32BIT: the lowest free place in [1 GiB, 2 GiB) (Linux randomizes the
 * start within 32 MiB, and since 6.7 leaves 2 MiB between large anonymous
 * areas to align them: of the 32 pieces of 32 MiB, from 28 on fit) */
static void low(void)
{
    void *m = mmap(NULL, 2ul << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    printf("MAP_32BIT of 2 GiB: %s\n", m == MAP_FAILED ? errno_name(errno) : "made");
    void *hinted = mmap((void *)(3ul << 30), P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    printf("a hint at 3 GiB: below 2 GiB %d\n", hinted != MAP_FAILED && (uintptr_t)hinted < (2ul << 30));
    munmap(hinted, P);
    uintptr_t pieces[64];
    int n = 0, outside = 0;
    for (; n < 64; n++) {
        void *a = mmap(NULL, 32 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
        if (a == MAP_FAILED) {
            printf("MAP_32BIT pieces of 32 MiB: %s after 28 to 32: %d\n", errno_name(errno), n >= 28 && n <= 32);
            break;
        }
        pieces[n] = (uintptr_t)a;
        outside += pieces[n] < (1ul << 30) || pieces[n] + (32 << 20) > (2ul << 30);
    }
    printf("outside [1 GiB, 2 GiB): %d\n", outside);
    m = mmap(NULL, 32 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("then without MAP_32BIT: %s\n", m == MAP_FAILED ? errno_name(errno) : "made");
    munmap(m, 32 << 20);
    while (n--)
        munmap((void *)pieces[n], 32 << 20);
}

int main(void)
{
    int fd = open("/dev/shm/mmapargs", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, 4 * P) < 0) {
        perror("/dev/shm/mmapargs");
        return 1;
    }
    types(fd);
    validate(fd);
    hugetlb_offsets(fd);
    modes();
    protect_remap();
    low();
    unlink("/dev/shm/mmapargs");
    return 0;
}
