/*
 * tests/linux/c/processvm.c - process_vm_readv and process_vm_writev
 * between a process and its forked child (the same addresses in both):
 * reads and writes, scattered and gathered over several segments, the
 * partial transfers (a remote range that runs into an unmapped page, a
 * read-only or PROT_NONE page, a local segment that faults), the iovec
 * rules (UIO_MAXIOV, negative lengths, bad arrays, nothing to move) and
 * EINVAL for flags, ESRCH for no process or a zombie, EPERM for another
 * user's.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define P 4096L
#define AREA ((char *)0x40000000000ul) /* two pages, the second unmapped in the child */
#define RO ((char *)0x40000010000ul)   /* read-only */
#define NONE ((char *)0x40000020000ul) /* PROT_NONE */

static char buf[64] = "the child's own buffer";
static char local[64];
static int to_child[2], from_child[2];

static long vm_read(pid_t pid, const struct iovec *l, unsigned long ln, const struct iovec *r, unsigned long rn,
                    unsigned long flags)
{
    return syscall(SYS_process_vm_readv, pid, l, ln, r, rn, flags);
}

static long vm_write(pid_t pid, const struct iovec *l, unsigned long ln, const struct iovec *r, unsigned long rn,
                     unsigned long flags)
{
    return syscall(SYS_process_vm_writev, pid, l, ln, r, rn, flags);
}

/* The child: its own buffer and areas, then waits for a byte; answers
 * with what its buffer holds then. */
static void child(void)
{
    char c;
    strcpy(buf, "the child's changed buffer");
    munmap(AREA + P, P);
    memset(AREA, 'a', P);
    mprotect(RO, P, PROT_READ);
    if (write(from_child[1], "r", 1) != 1 || read(to_child[0], &c, 1) != 1)
        _exit(1);
    if (write(from_child[1], buf, sizeof buf) != sizeof buf)
        _exit(1);
    if (read(to_child[0], &c, 1) != 1)
        _exit(1);
    _exit(0);
}

static void rw_cases(pid_t pid)
{
    struct iovec l[3], r[3];
    memset(local, 0, sizeof local);
    l[0] = (struct iovec){local, 10}, r[0] = (struct iovec){buf, 10};
    CHECK(vm_read(pid, l, 1, r, 1, 0));
    printf("read: \"%s\"\n", local);
    memset(local, 0, sizeof local);
    l[0] = (struct iovec){local, 3}, l[1] = (struct iovec){local + 20, 5};
    r[0] = (struct iovec){buf + 4, 4}, r[1] = (struct iovec){buf + 12, 6};
    CHECK(vm_read(pid, l, 2, r, 2, 0));
    printf("scattered: \"%.3s\" \"%.5s\"\n", local, local + 20);
    memset(local, 0, sizeof local);
    l[0] = (struct iovec){local, 40};
    r[0] = (struct iovec){buf, 5}, r[1] = (struct iovec){buf + 11, 7};
    CHECK(vm_read(pid, l, 1, r, 2, 0));
    printf("gathered: \"%s\"\n", local);
    l[0] = (struct iovec){local, 4}, r[0] = (struct iovec){buf, 30};
    CHECK(vm_read(pid, l, 1, r, 1, 0));

    /* partial: the remote range runs into the unmapped page */
    char *big = malloc(3 * P);
    l[0] = (struct iovec){big, 3 * P};
    r[0] = (struct iovec){AREA + P - 100, 300};
    CHECK(vm_read(pid, l, 1, r, 1, 0));
    r[0] = (struct iovec){AREA + 10, 20}, r[1] = (struct iovec){AREA + P, 20}, r[2] = (struct iovec){AREA, 5};
    CHECK(vm_read(pid, l, 1, r, 3, 0));
    r[0] = (struct iovec){AREA + P, 20};
    CHECK(vm_read(pid, l, 1, r, 1, 0));
    CHECK(vm_write(pid, l, 1, r, 1, 0));
    r[0] = (struct iovec){AREA, 2 * P};
    CHECK(vm_read(pid, l, 1, r, 1, 0));
    CHECK(vm_write(pid, l, 1, r, 1, 0));
    r[0] = (struct iovec){(void *)16, 20};
    CHECK(vm_read(pid, l, 1, r, 1, 0));
    /* read-only and PROT_NONE pages */
    r[0] = (struct iovec){RO, 20};
    CHECK(vm_read(pid, l, 1, r, 1, 0));
    CHECK(vm_write(pid, l, 1, r, 1, 0));
    r[0] = (struct iovec){NONE, 20};
    CHECK(vm_read(pid, l, 1, r, 1, 0));
    CHECK(vm_write(pid, l, 1, r, 1, 0));
    r[0] = (struct iovec){AREA + P - 8, 8}, r[1] = (struct iovec){RO, 8};
    CHECK(vm_write(pid, l, 1, r, 2, 0));
    /* a local segment that faults */
    l[0] = (struct iovec){local, 10}, l[1] = (struct iovec){(void *)16, 10};
    r[0] = (struct iovec){buf, 30};
    CHECK(vm_read(pid, l, 2, r, 1, 0));
    CHECK(vm_write(pid, l, 2, r, 1, 0));
    l[0] = (struct iovec){(void *)16, 10};
    CHECK(vm_read(pid, l, 1, r, 1, 0));
    l[0] = (struct iovec){(void *)0x7ffffffff000ul, 0x2000};
    CHECK(vm_read(pid, l, 1, r, 1, 0));
    free(big);

    /* writes */
    l[0] = (struct iovec){"THE", 3}, l[1] = (struct iovec){"CHANGED", 7};
    r[0] = (struct iovec){buf, 3}, r[1] = (struct iovec){buf + 12, 7};
    CHECK(vm_write(pid, l, 2, r, 2, 0));
    r[0] = (struct iovec){AREA + 8, 2}, r[1] = (struct iovec){AREA + 4, 4};
    CHECK(vm_write(pid, l, 2, r, 2, 0));
    memset(local, 0, sizeof local);
    l[0] = (struct iovec){local, 12};
    r[0] = (struct iovec){AREA + 2, 12};
    CHECK(vm_read(pid, l, 1, r, 1, 0));
    printf("written: \"%s\"\n", local);
}

static void iovec_cases(pid_t pid)
{
    struct iovec l[2] = {{local, 10}}, r[2] = {{buf, 10}};
    static struct iovec many[1025];
    for (int i = 0; i < 1025; i++)
        many[i] = (struct iovec){local, 1};
    CHECK(vm_read(pid, l, 1, r, 1, 1));
    CHECK(vm_write(pid, l, 1, r, 1, ~0ul));
    CHECK(vm_read(pid, many, 1025, r, 1, 0));
    CHECK(vm_read(pid, many, 1024, r, 1, 0));
    CHECK(vm_read(pid, l, 1, many, 1025, 0));
    CHECK(vm_read(pid, l, 1, many, 1024, 0));
    CHECK(vm_read(pid, (struct iovec *)16, 1, r, 1, 0));
    CHECK(vm_read(pid, l, 1, (struct iovec *)16, 1, 0));
    CHECK(vm_write(pid, l, 1, (struct iovec *)16, 1, 0));
    l[1] = (struct iovec){local, (size_t)-1};
    CHECK(vm_read(pid, l, 2, r, 1, 0));
    r[1] = (struct iovec){buf, (size_t)-1};
    CHECK(vm_read(pid, l, 1, r, 2, 0));
    /* nothing to move: 0 before the pid or the remote array is looked at */
    CHECK(vm_read(pid, l, 0, r, 1, 0));
    CHECK(vm_read(-1, l, 0, (struct iovec *)16, 1, 0));
    l[0].iov_len = 0;
    CHECK(vm_read(-1, l, 1, r, 1, 0));
    l[0].iov_len = 10;
    CHECK(vm_read(pid, l, 1, r, 0, 0));
    r[0].iov_len = 0;
    CHECK(vm_read(-1, l, 1, r, 1, 0));
    CHECK(vm_read(-1, l, 1, NULL, 0, 0));
    r[0].iov_len = 10;
    CHECK(vm_read(-1, l, 1, r, 1, 0));
    CHECK(vm_read(0, l, 1, r, 1, 0));
    CHECK(vm_read(0x3ffffff, l, 1, r, 1, 0));
    CHECK(vm_write(-5, l, 1, r, 1, 0));
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (mmap(AREA, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED ||
        mmap(RO, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED ||
        mmap(NONE, P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
        return 1;
    if (pipe(to_child) < 0 || pipe(from_child) < 0)
        return 1;
    pid_t pid = fork();
    if (pid == 0)
        child();
    char c;
    if (read(from_child[0], &c, 1) != 1)
        return 1;
    rw_cases(pid);
    iovec_cases(pid);

    /* the process itself */
    struct iovec l = {local, 8}, r = {buf, 8};
    CHECK(vm_read(getpid(), &l, 1, &r, 1, 0));
    printf("own: \"%.8s\"\n", local);

    /* what the child holds now */
    if (write(to_child[1], "x", 1) != 1 || read(from_child[0], local, sizeof local) != sizeof local)
        return 1;
    printf("the child's buffer: \"%s\"\n", local);

    /* another user: EPERM; itself: allowed */
    pid_t me = getpid(), other = fork();
    if (other == 0) {
        struct iovec ll = {local, 8}, rr = {buf, 8};
        if (setuid(65534) < 0)
            _exit(2);
        CHECK(vm_read(me, &ll, 1, &rr, 1, 0));
        CHECK(vm_write(me, &ll, 1, &rr, 1, 0));
        CHECK(vm_read(pid, &ll, 1, &rr, 1, 0));
        CHECK(vm_read(getpid(), &ll, 1, &rr, 1, 0));
        _exit(0);
    }
    int st;
    waitpid(other, &st, 0);
    printf("unprivileged child: %d\n", WEXITSTATUS(st));

    /* a zombie: ESRCH */
    if (write(to_child[1], "x", 1) != 1)
        return 1;
    siginfo_t si;
    waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
    l.iov_len = 8;
    r = (struct iovec){buf, 8};
    CHECK(vm_read(pid, &l, 1, &r, 1, 0));
    CHECK(vm_write(pid, &l, 1, &r, 1, 0));
    waitpid(pid, &st, 0);
    CHECK(vm_read(pid, &l, 1, &r, 1, 0));
    return 0;
}
