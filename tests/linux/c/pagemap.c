/*
 * tests/linux/c/pagemap.c - /proc/self/pagemap: each page's eight bytes
 * (present, file or shared, mapped once; the frame number, which root
 * sees on Linux, and soft-dirty, which Debian's Linux sets on every new
 * page and this host's kernel may be built without, left out) for an unmapped page, an anonymous
 * page untouched and written, a shared anonymous page, a private file
 * mapping read; EINVAL for an offset or count that is not a multiple of
 * eight, nothing past the end of user space, and what a child sees of its
 * parent's.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

static int pm;

static void entry(const char *what, void *addr)
{
    uint64_t e = 0;
    long n = pread(pm, &e, 8, (off_t)((uintptr_t)addr / 4096 * 8));
    printf("%-28s %ld present %d file %d exclusive %d\n", what, n, (int)(e >> 63 & 1), (int)(e >> 61 & 1),
           (int)(e >> 56 & 1));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    CHECK(pm = open("/proc/self/pagemap", O_RDONLY));
    char *a = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(a + 2 * 4096, 4096);
    a[0] = 1;
    entry("anonymous, written", a);
    entry("anonymous, untouched", a + 4096);
    entry("unmapped", a + 2 * 4096);
    char *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    s[0] = 1;
    entry("shared anonymous, written", s);
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(fd, "data", 4);
    char *f = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    volatile char x = f[0];
    (void)x;
    entry("private file mapping, read", f);
    ftruncate(fd, 2 * 4096);
    char *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096); /* a page the other does not map */
    w[0] = 'D';
    entry("shared file mapping, written", w);
    unlink("f");
    uint64_t e[2];
    printf("offset 4: %s\n", pread(pm, e, 8, 4) < 0 ? strerror(errno) : "read");
    printf("count 12: %s\n", pread(pm, e, 12, 0) < 0 ? strerror(errno) : "read");
    printf("count 0: %ld\n", (long)pread(pm, e, 0, 0));
    printf("past user space: %ld\n", (long)pread(pm, e, 16, (off_t)(0x7ffffffff000ull / 4096 * 8)));
    printf("last page of user space: %ld\n", (long)pread(pm, e, 16, (off_t)(0x7ffffffff000ull / 4096 * 8 - 8)));
    printf("a page past the end: %ld\n", (long)pread(pm, e, 8, (off_t)1 << 60));
    pid_t parent = getpid(), c = fork();
    if (c == 0) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/pagemap", (int)parent);
        int pp = open(path, O_RDONLY);
        printf("the parent's, opened: %s\n", pp < 0 ? strerror(errno) : "yes");
        uint64_t pe = 0;
        printf("a read of it: %ld\n", (long)pread(pp, &pe, 8, 0));
        setgid(65534);
        setuid(65534);
        pp = open(path, O_RDONLY);
        printf("the parent's, as nobody: %s\n", pp < 0 ? strerror(errno) : "opened");
        _exit(0);
    }
    waitpid(c, NULL, 0);
    return 0;
}
