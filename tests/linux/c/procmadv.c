/*
 * tests/linux/c/procmadv.c - process_madvise (the hints another process
 * may be given, by a pidfd; the iovec rules; EINVAL, EBADF, ESRCH, EPERM;
 * what the caller may ask of itself), process_mrelease (a live process is
 * EINVAL, a zombie ESRCH), remap_file_pages (a shared file mapping whose
 * first page shows another page of the file, as Linux emulates it with a
 * new mapping; EINVAL for a private mapping, a hole, prot, a bad size)
 * and restart_syscall with nothing to restart (EINTR).  The output must
 * equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define P 4096L
#ifndef SYS_process_mrelease
#define SYS_process_mrelease 448
#endif
#ifndef MADV_COLD
#define MADV_COLD 20
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

static long pmadvise(int fd, const struct iovec *v, size_t n, int advice, unsigned flags)
{
    return syscall(SYS_process_madvise, fd, v, n, advice, flags);
}
static long mrelease(int fd, unsigned flags) { return syscall(SYS_process_mrelease, fd, flags); }
static int pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

static void madvise_cases(void)
{
    char *m = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(m, 'x', 4 * P);
    int p[2];
    if (pipe(p) < 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        if (read(p[0], &c, 1) < 0)
            _exit(1);
        _exit(0);
    }
    int fd = pidfd_open(pid), me = pidfd_open(getpid());
    struct iovec v[3] = {{m, P}, {m + 2 * P, 2 * P}, {m, 0}};
    CHECK(pmadvise(fd, v, 2, MADV_COLD, 0));
    CHECK(pmadvise(fd, v, 2, MADV_PAGEOUT, 0));
    CHECK(pmadvise(fd, v, 2, MADV_WILLNEED, 0));
    CHECK(pmadvise(fd, v, 3, MADV_COLD, 0));
    CHECK(pmadvise(fd, v, 0, MADV_COLD, 0));
    CHECK(pmadvise(fd, v, 2, MADV_DONTNEED, 0));
    CHECK(pmadvise(fd, v, 2, MADV_NORMAL, 0));
    CHECK(pmadvise(fd, v, 2, MADV_COLD, 1));
    CHECK(pmadvise(fd, v, 2, 999, 0));
    CHECK(pmadvise(fd, v, 1025, MADV_COLD, 0));
    CHECK(pmadvise(fd, (struct iovec *)16, 1, MADV_COLD, 0));
    CHECK(pmadvise(-1, v, 2, MADV_COLD, 0));
    CHECK(pmadvise(0x3fff, v, 2, MADV_COLD, 0));
    CHECK(pmadvise(p[0], v, 2, MADV_COLD, 0));
    struct iovec odd = {m + 1, P};
    CHECK(pmadvise(fd, &odd, 1, MADV_COLD, 0));
    struct iovec hole[2] = {{m, P}, {(void *)0x100000000000ul, P}};
    CHECK(pmadvise(fd, hole, 2, MADV_COLD, 0));
    CHECK(pmadvise(fd, hole + 1, 1, MADV_COLD, 0));
    /* the caller itself */
    CHECK(pmadvise(me, v, 2, MADV_COLD, 0));
    CHECK(pmadvise(me, v, 1, MADV_DONTNEED, 0));
    printf("after MADV_DONTNEED on itself: %d\n", m[0]);
    CHECK(mrelease(fd, 0));
    CHECK(mrelease(fd, 1));
    CHECK(mrelease(me, 0));
    CHECK(mrelease(-1, 0));
    CHECK(mrelease(p[0], 0));

    /* another user */
    pid_t other = fork();
    if (other == 0) {
        if (setuid(65534) < 0)
            _exit(2);
        CHECK(pmadvise(fd, v, 2, MADV_COLD, 0));
        _exit(0);
    }
    waitpid(other, NULL, 0);
    if (write(p[1], "x", 1) != 1)
        return;
    siginfo_t si;
    waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
    CHECK(pmadvise(fd, v, 2, MADV_COLD, 0));
    CHECK(mrelease(fd, 0));
    waitpid(pid, NULL, 0);
    CHECK(pmadvise(fd, v, 2, MADV_COLD, 0));
    CHECK(mrelease(fd, 0));
    close(fd);
    close(me);
}

static void remap_cases(void)
{
    int fd = open("remap.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char page[P];
    for (int i = 0; i < 4; i++) {
        memset(page, 'A' + i, P);
        if (write(fd, page, P) != P)
            return;
    }
    char *m = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(remap_file_pages(m, P, 0, 2, 0));
    printf("pages: %c %c %c %c\n", m[0], m[P], m[2 * P], m[3 * P]);
    CHECK(remap_file_pages(m + P + 100, P + 5, 0, 3, MAP_NONBLOCK));
    printf("pages: %c %c %c %c\n", m[0], m[P], m[2 * P], m[3 * P]);
    m[P] = 'z';
    char c;
    if (pread(fd, &c, 1, 3 * P) != 1)
        return;
    printf("the file's page 3 starts with %c\n", c);
    CHECK(remap_file_pages(m, 2 * P, 0, 0, 0));
    printf("pages: %c %c %c %c\n", m[0], m[P], m[2 * P], m[3 * P]);
    CHECK(remap_file_pages(m, P, PROT_READ, 1, 0));
    CHECK(remap_file_pages(m, 0, 0, 1, 0));
    CHECK(remap_file_pages(m, 100, 0, 1, 0));
    CHECK(remap_file_pages(m, P, 0, ~0ul, 0));
    CHECK(remap_file_pages(m, 8 * P, 0, 0, 0));
    CHECK(remap_file_pages(m, P, 0, 100, 0));
    char *priv = mmap(NULL, P, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(remap_file_pages(priv, P, 0, 1, 0));
    char *anon = mmap(NULL, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(remap_file_pages(anon, P, 0, 1, 0));
    CHECK(remap_file_pages((void *)0x100000000000ul, P, 0, 1, 0));
    munmap(m + 3 * P, P);
    CHECK(remap_file_pages(m + 2 * P, 2 * P, 0, 0, 0));
    close(fd);
    unlink("remap.tmp");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    madvise_cases();
    remap_cases();
    CHECK(syscall(SYS_restart_syscall));
    CHECK(syscall(SYS_restart_syscall));
    return 0;
}
