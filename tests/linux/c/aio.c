/*
 * tests/linux/c/aio.c - Linux native AIO: io_setup and the ring it maps
 * (its header as libaio reads it), io_submit of every command on a tmpfs
 * file (PREAD, PWRITE, PREADV, PWRITEV, FSYNC, FDSYNC, POLL), IOCB_CMD_POLL
 * and reads on a pipe that complete when it is ready, IOCB_FLAG_RESFD with
 * an eventfd (and its count overflowed past the top), io_getevents' min_nr and timeout, io_pgetevents, io_cancel
 * of a poll, io_destroy waking a waiter, a full ring (EAGAIN), a fork's
 * child (no contexts), and the errors as Linux gives them.  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "aioabi.h"
/* the ring's header (fs/aio.c's struct aio_ring) */
struct aio_ring {
    unsigned id, nr, head, tail, magic, compat_features, incompat_features, header_length;
};

static long setup(unsigned nr, aio_context_t *ctx) { return syscall(SYS_io_setup, nr, ctx); }
static long destroy(aio_context_t ctx) { return syscall(SYS_io_destroy, ctx); }
static long submit(aio_context_t ctx, long nr, struct iocb **l) { return syscall(SYS_io_submit, ctx, nr, l); }
static long getevents(aio_context_t ctx, long min, long nr, struct io_event *ev, struct timespec *ts)
{
    return syscall(SYS_io_getevents, ctx, min, nr, ev, ts);
}
static long cancel(aio_context_t ctx, struct iocb *cb, struct io_event *ev)
{
    return syscall(SYS_io_cancel, ctx, cb, ev);
}

static struct iocb cb[8];
static struct iocb *list[8];
static struct io_event ev[256];

static struct iocb *prep(int i, int op, int fd, void *buf, long n, long off)
{
    cb[i] = (struct iocb){.aio_data = 100 + (unsigned)i, .aio_lio_opcode = (uint16_t)op, .aio_fildes = (uint32_t)fd,
                          .aio_buf = (uintptr_t)buf, .aio_nbytes = (uint64_t)n, .aio_offset = off};
    list[i] = &cb[i];
    return &cb[i];
}

/* The events in the order of their iocbs (fsync completes later on Linux). */
static int by_iocb(const void *a, const void *b)
{
    const struct io_event *x = a, *y = b;
    return x->obj != y->obj ? (x->obj > y->obj) - (x->obj < y->obj) : (x->res > y->res) - (x->res < y->res);
}

static void show(long n)
{
    qsort(ev, (size_t)n, sizeof ev[0], by_iocb);
    for (long i = 0; i < n; i++)
        printf("  event: data %llu iocb %ld res %lld%s%s res2 %lld\n", (unsigned long long)ev[i].data,
               ev[i].obj ? (long)((struct iocb *)(uintptr_t)ev[i].obj - cb) : -1L, (long long)ev[i].res,
               ev[i].res < 0 ? " " : "", ev[i].res < 0 ? errno_name((int)-ev[i].res) : "", (long long)ev[i].res2);
}

static void ring_header(aio_context_t ctx)
{
    struct aio_ring *r = (struct aio_ring *)ctx;
    printf("ring: page aligned %d id %u nr %u head %u tail %u magic %#x compat %u incompat %u header %u\n",
           (ctx & 4095) == 0, r->id, r->nr, r->head, r->tail, r->magic, r->compat_features, r->incompat_features,
           r->header_length);
}

static aio_context_t waited_ctx;
static long waited_r;
static int waited_errno;

static void *waiter(void *arg)
{
    (void)arg;
    waited_r = getevents(waited_ctx, 1, 1, ev, NULL);
    waited_errno = errno;
    return NULL;
}

/* A child that writes to fd after a while (the parent waits for it meanwhile). */
static pid_t late_write(int fd, const char *s)
{
    pid_t pid = fork();
    if (pid == 0) {
        usleep(200000);
        write(fd, s, strlen(s));
        _exit(0);
    }
    return pid;
}

static void errors(aio_context_t ctx, int fd, int ro, int wo, int pfd[2])
{
    char buf[16];
    struct timespec ts = {0, 0};
    puts("-- errors");
    CHECK(submit(ctx, -1, list));
    CHECK(submit(0, 1, list));
    CHECK(submit(ctx + 4096, 1, list));
    CHECK(submit(ctx, 0, list));
    CHECK(submit(ctx, 1, NULL));
    list[0] = NULL;
    CHECK(submit(ctx, 1, list));
    list[0] = (struct iocb *)16;
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_PREAD, 99, buf, 4, 0);
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_PREAD, fd, buf, 4, 0)->aio_reserved2 = 1;
    CHECK(submit(ctx, 1, list));
    prep(0, 42, fd, buf, 4, 0);
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_NOOP, fd, buf, 4, 0);
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_PREAD, fd, buf, -1, 0);
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_PREAD, fd, buf, 4, -1);
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_PREAD, wo, buf, 4, 0);
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_PWRITE, ro, buf, 4, 0);
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_PREAD, fd, buf, 4, 0)->aio_rw_flags = 0x10000;
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_PREADV, fd, (void *)16, 1, 0);
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_PREADV, fd, buf, 5000, 0);
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_FSYNC, fd, buf, 0, 0);
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_FDSYNC, fd, NULL, 0, 8);
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_FSYNC, pfd[0], NULL, 0, 0);
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_POLL, fd, (void *)0x10000, 0, 0);
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_POLL, fd, (void *)POLLIN, 1, 0);
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_POLL, fd, (void *)POLLPRI, 0, 0);
    CHECK(submit(ctx, 1, list));
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    prep(0, CMD_PREAD, dir, buf, 4, 0);
    CHECK(submit(ctx, 1, list));
    close(dir);
    prep(0, CMD_PWRITE, fd, buf, 4, 0);
    cb[0].aio_flags = FLAG_RESFD, cb[0].aio_resfd = 99;
    CHECK(submit(ctx, 1, list));
    cb[0].aio_resfd = (uint32_t)fd;
    CHECK(submit(ctx, 1, list));
    prep(0, CMD_PWRITE, fd, "abcd", 4, 0);
    prep(1, CMD_PWRITE, 99, "abcd", 4, 0);
    CHECK(submit(ctx, 2, list));
    prep(0, CMD_PREAD, fd, (void *)16, 4, 0);
    CHECK(submit(ctx, 1, list));
    CHECK(getevents(ctx, 2, 1, ev, &ts));
    CHECK(getevents(ctx, -1, 1, ev, &ts));
    CHECK(getevents(ctx, 0, -1, ev, &ts));
    CHECK(getevents(0, 0, 1, ev, &ts));
    CHECK(getevents(ctx, 0, 1, ev, (struct timespec *)16));
    CHECK(getevents(ctx, 0, 1, NULL, &ts));
    CHECK(getevents(ctx, 0, 4, ev, &ts));
    show(2);
    CHECK(getevents(ctx, 0, 4, ev, &ts));
    CHECK(cancel(ctx, (struct iocb *)16, ev));
    CHECK(cancel(ctx, &cb[0], ev));
    cb[0].aio_key = 1;
    CHECK(cancel(ctx, &cb[0], ev));
    cb[0].aio_key = 0;
    CHECK(cancel(0, &cb[0], ev));
    CHECK(destroy(0));
    CHECK(destroy(ctx + 4096));
}

static void commands(aio_context_t ctx, int fd)
{
    char a[8] = {0}, b[8] = {0}, c[8] = {0};
    struct iovec wv[2] = {{"IJK", 3}, {"LMNOP", 5}}, rv[2] = {{b, 3}, {c, 4}};
    puts("-- commands on a tmpfs file");
    prep(0, CMD_PWRITE, fd, "hello, world", 12, 0);
    prep(1, CMD_PWRITEV, fd, wv, 2, 20);
    prep(2, CMD_PREAD, fd, a, 5, 7);
    prep(3, CMD_PREADV, fd, rv, 2, 21);
    prep(4, CMD_FSYNC, fd, NULL, 0, 0);
    prep(5, CMD_FDSYNC, fd, NULL, 0, 0);
    prep(6, CMD_POLL, fd, (void *)(POLLIN | POLLOUT), 0, 0);
    CHECK(submit(ctx, 7, list));
    printf("keys: %u %u\n", cb[0].aio_key, cb[6].aio_key);
    struct aio_ring *r = (struct aio_ring *)ctx;
    printf("ring before: head %u\n", r->head); /* the tail: fsync completes later on Linux */
    CHECK(getevents(ctx, 7, 7, ev, NULL));
    show(7);
    printf("ring after: head %u tail %u\n", r->head, r->tail);
    printf("read: %s, %s %s\n", a, b, c);
    char all[32] = {0};
    CHECK(pread(fd, all, 28, 0));
    for (int i = 0; i < 28; i++)
        putchar(all[i] ? all[i] : '.');
    putchar('\n');
    prep(0, CMD_PREAD, fd, a, 4, 1000);
    prep(1, CMD_PREAD, fd, (void *)16, 4, 0);
    prep(2, CMD_PREAD, fd, a, 0, 0);
    CHECK(submit(ctx, 3, list));
    CHECK(getevents(ctx, 1, 8, ev, NULL));
    show(3);
}

static void resfd(aio_context_t ctx, int fd)
{
    puts("-- IOCB_FLAG_RESFD");
    int efd = eventfd(0, EFD_NONBLOCK);
    uint64_t v = 0;
    for (int i = 0; i < 3; i++) {
        prep(i, CMD_PWRITE, fd, "x", 1, 40 + i);
        cb[i].aio_flags = FLAG_RESFD, cb[i].aio_resfd = (uint32_t)efd;
    }
    CHECK(submit(ctx, 3, list));
    CHECK(read(efd, &v, sizeof v));
    printf("eventfd count %llu\n", (unsigned long long)v);
    CHECK(getevents(ctx, 3, 3, ev, NULL));
    show(3);
    CHECK(read(efd, &v, sizeof v));
    /* a completion past the top overflows the count: ~0, POLLERR */
    v = 0xfffffffffffffffeull;
    CHECK(write(efd, &v, sizeof v));
    prep(0, CMD_PWRITE, fd, "x", 1, 40);
    cb[0].aio_flags = FLAG_RESFD, cb[0].aio_resfd = (uint32_t)efd;
    CHECK(submit(ctx, 1, list));
    CHECK(getevents(ctx, 1, 1, ev, NULL));
    struct pollfd p = {.fd = efd, .events = POLLIN | POLLOUT};
    CHECK(poll(&p, 1, 0));
    printf("overflowed: revents %#x\n", p.revents);
    v = 1;
    CHECK(write(efd, &v, sizeof v));
    CHECK(read(efd, &v, sizeof v));
    printf("eventfd count %#llx\n", (unsigned long long)v);
    close(efd);
}

static void pipes(aio_context_t ctx, int pfd[2])
{
    char buf[16] = {0};
    struct timespec zero = {0, 0}, short_ts = {0, 50000000};
    puts("-- a pipe");
    prep(0, CMD_POLL, pfd[0], (void *)POLLIN, 0, 0);
    prep(1, CMD_POLL, pfd[1], (void *)POLLOUT, 0, 0);
    CHECK(submit(ctx, 2, list));
    CHECK(getevents(ctx, 1, 4, ev, &zero));
    show(1);
    CHECK(getevents(ctx, 1, 4, ev, &short_ts));
    pid_t pid = late_write(pfd[1], "ping");
    CHECK(getevents(ctx, 1, 4, ev, NULL));
    show(1);
    waitpid(pid, NULL, 0);
    CHECK(read(pfd[0], buf, sizeof buf));
    pid = late_write(pfd[1], "late");
    prep(0, CMD_PREAD, pfd[0], buf, sizeof buf, 0);
    prep(1, CMD_PWRITE, pfd[1], "more", 4, 0);
    CHECK(submit(ctx, 2, list));
    waitpid(pid, NULL, 0);
    CHECK(getevents(ctx, 2, 2, ev, NULL));
    show(2);
    printf("read: %s\n", buf);
    CHECK(read(pfd[0], buf, sizeof buf));
    puts("-- io_cancel of a poll");
    prep(0, CMD_POLL, pfd[0], (void *)POLLIN, 0, 0);
    CHECK(submit(ctx, 1, list));
    CHECK(cancel(ctx, &cb[0], ev));
    CHECK(getevents(ctx, 1, 4, ev, NULL));
    show(1);
    CHECK(cancel(ctx, &cb[0], ev));
    puts("-- min_nr and the timeout");
    prep(0, CMD_POLL, pfd[1], (void *)POLLOUT, 0, 0);
    CHECK(submit(ctx, 1, list));
    CHECK(getevents(ctx, 2, 4, ev, &short_ts));
    show(1);
    CHECK(getevents(ctx, 0, 4, ev, NULL));
}

static void pgetevents(aio_context_t ctx, int fd)
{
    puts("-- io_pgetevents");
    sigset_t set;
    sigemptyset(&set);
    struct {
        sigset_t *mask;
        size_t size;
    } usig = {&set, 8}, bad = {&set, 4};
    struct timespec zero = {0, 0};
    prep(0, CMD_FSYNC, fd, NULL, 0, 0);
    CHECK(submit(ctx, 1, list));
    CHECK(syscall(SYS_io_pgetevents, ctx, 1, 1, ev, NULL, &usig));
    show(1);
    CHECK(syscall(SYS_io_pgetevents, ctx, 0, 1, ev, &zero, NULL));
    CHECK(syscall(SYS_io_pgetevents, ctx, 0, 1, ev, &zero, &bad));
    CHECK(syscall(SYS_io_pgetevents, ctx, 0, 1, ev, &zero, (void *)16));
    CHECK(syscall(SYS_io_pgetevents, 0, 0, 1, ev, &zero, &usig));
}

static void full(int fd)
{
    puts("-- a full ring");
    aio_context_t ctx = 0;
    CHECK(setup(1, &ctx));
    long n = 0, r;
    prep(0, CMD_PWRITE, fd, "y", 1, 50);
    while ((r = submit(ctx, 1, list)) == 1 && n < 1000)
        n++;
    printf("accepted at least 1: %d, then %ld %s\n", n >= 1, r, r < 0 ? errno_name(errno) : "");
    struct aio_ring *ring = (struct aio_ring *)ctx;
    printf("ring holds them: %d\n", (long)(ring->tail - ring->head) == n);
    CHECK(getevents(ctx, 1, 1, ev, NULL) == 1 && submit(ctx, 1, list) == 1);
    CHECK(destroy(ctx));
}

static void destroyed(int fd)
{
    puts("-- io_destroy wakes a waiter");
    CHECK(setup(4, &waited_ctx));
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    usleep(200000);
    CHECK(destroy(waited_ctx));
    pthread_join(t, NULL);
    printf("waiter: %ld %s\n", waited_r, waited_r < 0 ? errno_name(waited_errno) : "");
    CHECK(destroy(waited_ctx));
    CHECK(getevents(waited_ctx, 0, 1, ev, NULL));
    CHECK(submit(waited_ctx, 1, list));
    aio_context_t ctx = 0;
    CHECK(setup(4, &ctx));
    prep(0, CMD_PWRITE, fd, "z", 1, 60);
    CHECK(submit(ctx, 1, list));
    CHECK(destroy(ctx));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char dir[] = "/dev/shm/aio-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0)
        return 1;
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    int ro = open("f", O_RDONLY), wo = open("f", O_WRONLY), pfd[2];
    pipe(pfd);
    aio_context_t ctx = 0, ctx2 = 0;
    puts("-- io_setup");
    CHECK(setup(0, &ctx));
    CHECK(setup(4, NULL));
    CHECK(setup(4, (aio_context_t *)16));
    ctx = 1;
    CHECK(setup(4, &ctx));
    ctx = 0;
    CHECK(setup(65537, &ctx));
    CHECK(setup(5000000, &ctx));
    CHECK(setup(0xffffffffu, &ctx));
    CHECK(setup(1, &ctx));
    ring_header(ctx);
    CHECK(setup(100, &ctx2));
    ring_header(ctx2);
    CHECK(destroy(ctx2));
    errors(ctx, fd, ro, wo, pfd);
    commands(ctx, fd);
    resfd(ctx, fd);
    pipes(ctx, pfd);
    pgetevents(ctx, fd);
    pid_t pid = fork();
    if (pid == 0) {
        int e = getevents(ctx, 0, 1, ev, NULL) < 0 ? errno : 0;
        int d = destroy(ctx) < 0 ? errno : 0;
        _exit(e == EINVAL && d == EINVAL ? 0 : 1);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("a fork's child has no context: %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);
    full(fd);
    destroyed(fd);
    CHECK(destroy(ctx));
    unlink("f");
    chdir("/");
    rmdir(dir);
    return 0;
}
