/*
 * tests/linux/c/memfd.c - memfd_create: an anonymous tmpfs file (fstat,
 * its name in /proc/self/fd and /proc/self/maps, read, write, ftruncate,
 * a MAP_SHARED mapping shared with a forked child), MFD_CLOEXEC, the
 * errors of names and flags; and file seals through fcntl F_ADD_SEALS and
 * F_GET_SEALS: F_SEAL_SHRINK, GROW, WRITE (EBUSY while a shared mapping
 * may write, then EPERM for write, truncation and writable shared
 * mappings), FUTURE_WRITE (mappings already there go on writing),
 * F_SEAL_SEAL, MFD_NOEXEC_SEAL's F_SEAL_EXEC, and the seals of other
 * files.  The output must equal the host Linux's (whose vm.memfd_noexec
 * is 0, as Linux's default).
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x10
#endif
#define F_SEAL_EXEC_ 0x20
#define MFD_NOEXEC_SEAL_ 8
#define MFD_EXEC_ 0x10

static long memfd(const char *name, unsigned flags) { return syscall(SYS_memfd_create, name, flags); }

static void show(int fd)
{
    struct stat st;
    char link[64], path[300];
    fstat(fd, &st);
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    path[n > 0 ? n : 0] = '\0';
    printf("fd: mode %o nlink %ld size %ld blocks %ld uid %d cloexec %d link \"%s\"\n", st.st_mode,
           (long)st.st_nlink, (long)st.st_size, (long)st.st_blocks, st.st_uid, fcntl(fd, F_GETFD), path);
}

/* The line of /proc/self/maps that maps addr: its permissions and name. */
static void maps_line(void *addr)
{
    char line[512], want[32];
    snprintf(want, sizeof want, "%lx-", (unsigned long)addr);
    FILE *f = fopen("/proc/self/maps", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, want, strlen(want))) {
            char *name = strchr(line, '/');
            printf("maps: %.4s %s", strchr(line, ' ') + 1, name ? name : "(none)\n");
        }
    if (f)
        fclose(f);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = (int)memfd("test", 0);
    show(fd);
    CHECK(write(fd, "hello, memfd", 12));
    CHECK(lseek(fd, 0, SEEK_CUR));
    char b[32] = {0};
    CHECK(pread(fd, b, sizeof b, 7));
    printf("read \"%s\"\n", b);
    CHECK(ftruncate(fd, 8192));
    show(fd);
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    maps_line(m);
    pid_t pid = fork();
    if (pid == 0) {
        memcpy(m + 4096, "from the child", 14);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("shared: \"%s\"\n", m + 4096);
    CHECK(pread(fd, b, 14, 4096));
    munmap(m, 8192);
    CHECK(fcntl(fd, F_GET_SEALS));
    CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    int ce = (int)memfd("", MFD_CLOEXEC);
    show(ce);

    /* names and flags */
    char name[300];
    memset(name, 'n', sizeof name);
    name[249] = '\0';
    CHECK(memfd(name, 0) >= 0);
    name[249] = 'n', name[250] = '\0';
    CHECK(memfd(name, 0));
    CHECK(memfd((char *)8, 0));
    CHECK(memfd("x", 0x100));
    CHECK(memfd("x", 0x80000000u));
    CHECK(memfd("x", 21u << 26)); /* a huge page size without MFD_HUGETLB */
    CHECK(memfd("x", MFD_EXEC_ | MFD_NOEXEC_SEAL_));
    int ne = (int)memfd("noexec", MFD_NOEXEC_SEAL_);
    show(ne);
    CHECK(fcntl(ne, F_GET_SEALS));
    CHECK(fchmod(ne, 0755));
    CHECK(fchmod(ne, 0600));
    int ex = (int)memfd("exec", MFD_EXEC_);
    show(ex);
    CHECK(fcntl(ex, F_GET_SEALS));

    /* shrink and grow */
    int s = (int)memfd("sealed", MFD_ALLOW_SEALING);
    CHECK(fcntl(s, F_GET_SEALS));
    CHECK(write(s, "0123456789", 10));
    CHECK(fcntl(s, F_ADD_SEALS, F_SEAL_SHRINK));
    CHECK(ftruncate(s, 5));
    CHECK(ftruncate(s, 10));
    CHECK(ftruncate(s, 20));
    CHECK(fcntl(s, F_ADD_SEALS, F_SEAL_GROW));
    CHECK(fcntl(s, F_GET_SEALS));
    CHECK(ftruncate(s, 30));
    CHECK(ftruncate(s, 20));
    CHECK(pwrite(s, "ab", 2, 18));
    CHECK(pwrite(s, "abc", 3, 18));
    CHECK(pwrite(s, "x", 1, 25));
    CHECK(fallocate(s, 0, 0, 20));
    CHECK(fallocate(s, 0, 10, 20));
    CHECK(fallocate(s, FALLOC_FL_KEEP_SIZE, 10, 20));
    CHECK(fcntl(s, F_ADD_SEALS, 0x100));
    CHECK(fcntl(s, F_ADD_SEALS, 0));

    /* write: not while a shared mapping may write */
    char *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, s, 0);
    CHECK(fcntl(s, F_ADD_SEALS, F_SEAL_WRITE));
    munmap(w, 4096);
    char *r = mmap(NULL, 4096, PROT_READ, MAP_SHARED, s, 0);
    CHECK(fcntl(s, F_ADD_SEALS, F_SEAL_WRITE));
    munmap(r, 4096);
    char *pv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, s, 0);
    CHECK(fcntl(s, F_ADD_SEALS, F_SEAL_WRITE));
    CHECK(fcntl(s, F_GET_SEALS));
    pv[0] = 'P';
    printf("private copy: %c\n", pv[0]);
    CHECK(write(s, "x", 1));
    CHECK(pwrite(s, "x", 1, 0));
    struct iovec v = {"x", 1};
    CHECK(writev(s, &v, 1));
    CHECK(write(s, "", 0));
    CHECK(ftruncate(s, 20));
    CHECK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, s, 0) == MAP_FAILED ? -1 : 0);
    r = mmap(NULL, 4096, PROT_READ, MAP_SHARED, s, 0);
    CHECK(r == MAP_FAILED ? -1 : 0);
    CHECK(mprotect(r, 4096, PROT_READ | PROT_WRITE));
    CHECK(fallocate(s, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4));
    CHECK(pread(s, b, 20, 0));
    printf("contents \"%.20s\"\n", b);
    CHECK(fcntl(s, F_ADD_SEALS, F_SEAL_SEAL));
    CHECK(fcntl(s, F_ADD_SEALS, F_SEAL_SHRINK));
    CHECK(fcntl(s, F_ADD_SEALS, 0));
    CHECK(fcntl(s, F_GET_SEALS));

    /* future writes: the mapping already there goes on */
    int fw = (int)memfd("future", MFD_ALLOW_SEALING);
    ftruncate(fw, 4096);
    char *fm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fw, 0);
    CHECK(fcntl(fw, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
    memcpy(fm, "still", 5);
    CHECK(pread(fw, b, 5, 0));
    printf("through the old mapping: \"%.5s\"\n", b);
    CHECK(write(fw, "x", 1));
    CHECK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fw, 0) == MAP_FAILED ? -1 : 0);
    CHECK(ftruncate(fw, 8192));
    CHECK(fcntl(fw, F_GET_SEALS));
    /* F_SEAL_EXEC on a file with exec bits brings the write seals */
    int xs = (int)memfd("exec-sealed", MFD_ALLOW_SEALING);
    CHECK(fcntl(xs, F_ADD_SEALS, F_SEAL_EXEC_));
    CHECK(fcntl(xs, F_GET_SEALS));
    CHECK(fchmod(xs, 0644));
    /* a file open read-only: no writable shared mapping, for any file */
    char rpath[] = "/dev/shm/memfd-ro-XXXXXX";
    close(mkstemp(rpath));
    int ro = open(rpath, O_RDONLY), wo = open(rpath, O_WRONLY);
    unlink(rpath);
    CHECK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED ? -1 : 0);
    CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, wo, 0) == MAP_FAILED ? -1 : 0);
    r = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro, 0);
    CHECK(mprotect(r, 4096, PROT_READ | PROT_WRITE));
    char *rp = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, ro, 0);
    CHECK(mprotect(rp, 4096, PROT_READ | PROT_WRITE));

    /* other files: tmpfs files have F_SEAL_SEAL, pipes no seals at all */
    char path[] = "/dev/shm/memfd-XXXXXX";
    int t = mkstemp(path);
    unlink(path);
    CHECK(fcntl(t, F_GET_SEALS));
    CHECK(fcntl(t, F_ADD_SEALS, F_SEAL_WRITE));
    int p[2];
    pipe(p);
    CHECK(fcntl(p[0], F_GET_SEALS));
    CHECK(fcntl(p[1], F_ADD_SEALS, F_SEAL_WRITE));
    CHECK(fcntl(99, F_GET_SEALS));
    return 0;
}
