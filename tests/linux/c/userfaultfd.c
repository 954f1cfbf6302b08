/*
 * tests/linux/c/userfaultfd.c - userfaultfd: the call's and the ioctls'
 * errors, the UFFDIO_API handshake (the features and ioctls Persona
 * builds, each asked for by name: a newer kernel offers more),
 * registering anonymous memory in MISSING mode, and serving faults the
 * usual way: another thread touches a missing page and waits, the main
 * thread sees the message (poll, epoll, a blocking read), reads it, and
 * supplies the page with UFFDIO_COPY or UFFDIO_ZEROPAGE (or wakes the
 * thread with UFFDIO_WAKE, which faults again).  Then THREAD_ID and
 * EXACT_ADDRESS, SIGBUS, a fork's child (its memory is not registered), a
 * signal to a waiting thread (its handler runs, then it faults again),
 * unregistering, the last close (a waiting thread gets a zero page), and
 * /dev/userfaultfd.  Addresses are printed relative to the area.  If the
 * machine has no userfaultfd, that is the one line.  One line per check;
 * the output must equal the host's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

/* linux/userfaultfd.h, which musl does not have. */
#define UFFD_API 0xAAull
#define UFFDIO 0xAA
#define _UFFDIO_REGISTER 0x00
#define _UFFDIO_UNREGISTER 0x01
#define _UFFDIO_WAKE 0x02
#define _UFFDIO_COPY 0x03
#define _UFFDIO_ZEROPAGE 0x04
#define _UFFDIO_API 0x3F
#define UFFD_FEATURE_SIGBUS (1 << 7)
#define UFFD_FEATURE_THREAD_ID (1 << 8)
#define UFFD_FEATURE_EXACT_ADDRESS (1 << 11)
#define UFFDIO_REGISTER_MODE_MISSING 1
#define UFFDIO_REGISTER_MODE_MINOR 4
#define UFFD_PAGEFAULT_FLAG_WRITE 1
struct uffdio_api {
    uint64_t api, features, ioctls;
};
struct uffdio_range {
    uint64_t start, len;
};
struct uffdio_register {
    struct uffdio_range range;
    uint64_t mode, ioctls;
};
struct uffdio_copy {
    uint64_t dst, src, len, mode;
    int64_t copy;
};
struct uffdio_zeropage {
    struct uffdio_range range;
    uint64_t mode;
    int64_t zeropage;
};
struct uffd_msg {
    uint8_t event, reserved1;
    uint16_t reserved2;
    uint32_t reserved3;
    union {
        struct {
            uint64_t flags, address;
            union {
                uint32_t ptid;
            } feat;
        } pagefault;
        uint64_t reserved[3];
    } arg;
} __attribute__((packed));
#define UFFDIO_API _IOWR(UFFDIO, _UFFDIO_API, struct uffdio_api)
#define UFFDIO_REGISTER _IOWR(UFFDIO, _UFFDIO_REGISTER, struct uffdio_register)
#define UFFDIO_UNREGISTER _IOR(UFFDIO, _UFFDIO_UNREGISTER, struct uffdio_range)
#define UFFDIO_WAKE _IOR(UFFDIO, _UFFDIO_WAKE, struct uffdio_range)
#define UFFDIO_COPY _IOWR(UFFDIO, _UFFDIO_COPY, struct uffdio_copy)
#define UFFDIO_ZEROPAGE _IOWR(UFFDIO, _UFFDIO_ZEROPAGE, struct uffdio_zeropage)
#define USERFAULTFD_IOC_NEW _IO(0xAA, 0x00)

#define PG 4096L
static char *area;
static volatile pid_t toucher_tid;

static int uffd(int flags) { return (int)syscall(__NR_userfaultfd, flags); }

/* A thread that reads (arg >= 0) or writes 'w' at area + |arg| - 1. */
static void *toucher(void *arg)
{
    long at = (long)arg;
    toucher_tid = (pid_t)syscall(SYS_gettid);
    if (at > 0)
        return (void *)(long)((volatile char *)area)[at - 1];
    ((volatile char *)area)[-at - 1] = 'w';
    return NULL;
}

static pthread_t touch(long at) /* at: offset + 1, negative to write */
{
    pthread_t t;
    pthread_create(&t, NULL, toucher, (void *)at);
    return t;
}

static long joined(pthread_t t)
{
    void *r;
    pthread_join(t, &r);
    return (long)r;
}

static int api(int fd, uint64_t features)
{
    struct uffdio_api a = {.api = UFFD_API, .features = features};
    return ioctl(fd, UFFDIO_API, &a);
}

static int reg(int fd, char *start, long len, int mode)
{
    struct uffdio_register r = {.range = {(uintptr_t)start, (uint64_t)len}, .mode = (uint64_t)mode};
    return ioctl(fd, UFFDIO_REGISTER, &r);
}

static int range_ioctl(int fd, unsigned long req, char *start, long len)
{
    struct uffdio_range r = {(uintptr_t)start, (uint64_t)len};
    return ioctl(fd, req, &r);
}

static int zeropage(int fd, char *start, long len, int mode)
{
    struct uffdio_zeropage z = {.range = {(uintptr_t)start, (uint64_t)len}, .mode = (uint64_t)mode};
    int r = ioctl(fd, UFFDIO_ZEROPAGE, &z);
    printf("  zeropage: %lld\n", (long long)z.zeropage);
    return r;
}

static int copy(int fd, char *dst, const void *src, long len, int mode)
{
    struct uffdio_copy c = {.dst = (uintptr_t)dst, .src = (uintptr_t)src, .len = (uint64_t)len, .mode = (uint64_t)mode};
    int r = ioctl(fd, UFFDIO_COPY, &c);
    printf("  copy: %lld\n", (long long)c.copy);
    return r;
}

/* Waits for a message (poll) and prints it. */
static void take(int fd, char *base)
{
    struct pollfd p = {fd, POLLIN, 0};
    struct uffd_msg m;
    int n = poll(&p, 1, 10000);
    printf("poll: %d revents %#x\n", n, p.revents);
    long r = read(fd, &m, sizeof m);
    printf("read: %ld event %#x at page %ld offset %ld write %d\n", r, m.event,
           (long)((char *)(uintptr_t)m.arg.pagefault.address - base) / PG,
           (long)((char *)(uintptr_t)m.arg.pagefault.address - base) % PG,
           (int)(m.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WRITE));
}

static void errors(int fd)
{
    char buf[64];
    struct pollfd p = {fd, POLLIN, 0};
    CHECK(uffd(0x1000));
    CHECK(reg(fd, area, PG, UFFDIO_REGISTER_MODE_MISSING)); /* before the handshake */
    CHECK(read(fd, buf, sizeof buf));
    CHECK(poll(&p, 1, 0));
    printf("revents %#x\n", p.revents);
    struct uffdio_api a = {.api = 0x55};
    CHECK(ioctl(fd, UFFDIO_API, &a));
    printf("zeroed: %d\n", a.api == 0 && a.features == 0 && a.ioctls == 0);
    CHECK(api(fd, 1ull << 62));
    a = (struct uffdio_api){.api = UFFD_API};
    CHECK(ioctl(fd, UFFDIO_API, &a));
    printf("features: SIGBUS %d THREAD_ID %d EXACT_ADDRESS %d\n", !!(a.features & UFFD_FEATURE_SIGBUS),
           !!(a.features & UFFD_FEATURE_THREAD_ID), !!(a.features & UFFD_FEATURE_EXACT_ADDRESS));
    printf("ioctls: API %d REGISTER %d UNREGISTER %d\n", !!(a.ioctls & 1ull << _UFFDIO_API),
           !!(a.ioctls & 1ull << _UFFDIO_REGISTER), !!(a.ioctls & 1ull << _UFFDIO_UNREGISTER));
    CHECK(api(fd, 0)); /* once only */
    CHECK(ioctl(fd, _IO(UFFDIO, 0x30)));
    CHECK(read(fd, buf, 16));
    CHECK(read(fd, buf, sizeof buf));
    CHECK(reg(fd, area + 1, PG, UFFDIO_REGISTER_MODE_MISSING));
    CHECK(reg(fd, area, 0, UFFDIO_REGISTER_MODE_MISSING));
    CHECK(reg(fd, area, PG + 1, UFFDIO_REGISTER_MODE_MISSING));
    CHECK(reg(fd, area, PG, 0));
    CHECK(reg(fd, area, PG, 8));
    CHECK(reg(fd, area, PG, UFFDIO_REGISTER_MODE_MINOR));
    CHECK(reg(fd, (char *)PG, PG, UFFDIO_REGISTER_MODE_MISSING));
    CHECK(reg(fd, area + 16 * PG, PG, UFFDIO_REGISTER_MODE_MISSING)); /* unmapped */
    CHECK(ioctl(fd, UFFDIO_REGISTER, (void *)8));
}

/* Another thread faults; the main thread serves it. */
static void serve(int fd)
{
    static char src[2 * PG];
    memset(src, 'c', sizeof src);
    struct uffdio_register r = {.range = {(uintptr_t)area, 6 * PG}, .mode = UFFDIO_REGISTER_MODE_MISSING};
    CHECK(ioctl(fd, UFFDIO_REGISTER, &r));
    printf("range ioctls: WAKE %d COPY %d ZEROPAGE %d\n", !!(r.ioctls & 1ull << _UFFDIO_WAKE),
           !!(r.ioctls & 1ull << _UFFDIO_COPY), !!(r.ioctls & 1ull << _UFFDIO_ZEROPAGE));
    CHECK(reg(fd, area, 6 * PG, UFFDIO_REGISTER_MODE_MISSING)); /* again: the same file may */
    pthread_t t = touch(PG + 5 + 1);
    take(fd, area);
    char m[32];
    CHECK(read(fd, m, sizeof m)); /* read once */
    CHECK(copy(fd, area + PG, src, PG, 0));
    printf("the thread read '%c'\n", (char)joined(t));
    CHECK(copy(fd, area + PG, src, PG, 0));
    CHECK(copy(fd, area + 6 * PG, src, PG, 0));
    CHECK(copy(fd, area + 2 * PG, (void *)8, PG, 0));
    CHECK(copy(fd, area + 2 * PG, src, PG, 4));
    CHECK(copy(fd, area + 2 * PG + 1, src, PG, 0));
    CHECK(zeropage(fd, area + 2 * PG, PG, 2));
    CHECK(zeropage(fd, area + 2 * PG, PG, 0));
    printf("page 2 reads %d\n", area[2 * PG + 7]);
    /* a write fault, woken without a page: it faults again */
    t = touch(-(3 * PG + 9 + 1));
    take(fd, area);
    CHECK(range_ioctl(fd, UFFDIO_WAKE, area + 3 * PG, PG));
    CHECK(range_ioctl(fd, UFFDIO_WAKE, area + 3 * PG, 0));
    take(fd, area);
    CHECK(zeropage(fd, area + 3 * PG, PG, 0));
    joined(t);
    printf("page 3 holds '%c'\n", area[3 * PG + 9]);
}

/* epoll, a copy that stops at a page already there (EAGAIN), a blocking
 * read. */
static void more(int fd)
{
    static char src[2 * PG];
    memset(src, 'e', sizeof src);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN}, out;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
    CHECK(epoll_wait(ep, &out, 1, 0));
    pthread_t t = touch(1);
    CHECK(epoll_wait(ep, &out, 1, 10000));
    printf("events %#x\n", out.events);
    take(fd, area);
    CHECK(copy(fd, area, src, 2 * PG, 0));
    printf("the thread read '%c'\n", (char)joined(t));
    close(ep);
    int fl = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    struct pollfd p = {fd, POLLIN, 0};
    CHECK(poll(&p, 1, 0));
    printf("blocking: revents %#x\n", p.revents);
    t = touch(4 * PG + 1);
    struct uffd_msg m;
    CHECK(read(fd, &m, sizeof m));
    printf("at page %ld\n", (long)((char *)(uintptr_t)m.arg.pagefault.address - area) / PG);
    CHECK(zeropage(fd, area + 4 * PG, PG, 0));
    printf("the thread read %ld\n", joined(t));
    fcntl(fd, F_SETFL, fl);
}

/* A fork's child has the pages, not the registration. */
static void forked(int fd)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(area[5 * PG] == 0 ? 7 : 8);
    int st;
    waitpid(pid, &st, 0);
    printf("child: exit %d\n", WEXITSTATUS(st));
    struct pollfd p = {fd, POLLIN, 0};
    CHECK(poll(&p, 1, 0));
}

static sigjmp_buf jb;
static void on_bus(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    printf("signal %d at page %ld\n", sig, (long)((char *)si->si_addr - area) / PG);
    siglongjmp(jb, 1);
}

/* THREAD_ID and EXACT_ADDRESS; SIGBUS. */
static void features(void)
{
    int fd = uffd(O_CLOEXEC | O_NONBLOCK);
    CHECK(api(fd, UFFD_FEATURE_THREAD_ID | UFFD_FEATURE_EXACT_ADDRESS));
    CHECK(reg(fd, area + 8 * PG, PG, UFFDIO_REGISTER_MODE_MISSING));
    pthread_t t = touch(8 * PG + 123 + 1);
    struct pollfd p = {fd, POLLIN, 0};
    poll(&p, 1, 10000);
    struct uffd_msg m;
    CHECK(read(fd, &m, sizeof m));
    printf("exact offset %ld, the thread's id %d\n", (long)((char *)(uintptr_t)m.arg.pagefault.address - area),
           m.arg.pagefault.feat.ptid == (uint32_t)toucher_tid);
    CHECK(zeropage(fd, area + 8 * PG, PG, 0));
    joined(t);
    close(fd);
    fd = uffd(O_CLOEXEC);
    CHECK(api(fd, UFFD_FEATURE_SIGBUS));
    CHECK(reg(fd, area + 9 * PG, PG, UFFDIO_REGISTER_MODE_MISSING));
    struct sigaction sa = {.sa_sigaction = on_bus, .sa_flags = SA_SIGINFO};
    sigaction(SIGBUS, &sa, NULL);
    if (!sigsetjmp(jb, 1))
        printf("read %d\n", ((volatile char *)area)[9 * PG]);
    close(fd);
    printf("after close: %d\n", ((volatile char *)area)[9 * PG]);
}

static volatile int handled;
static void on_usr1(int sig)
{
    handled = sig;
}

/* A signal to a thread waiting in a fault: its handler runs, and the
 * instruction faults again (a second message). */
static void signalled(int fd)
{
    static char src[PG];
    memset(src, 's', sizeof src);
    struct sigaction sa = {.sa_handler = on_usr1};
    sigaction(SIGUSR1, &sa, NULL);
    pthread_t t = touch(5 * PG + 1);
    take(fd, area);
    CHECK(pthread_kill(t, SIGUSR1));
    take(fd, area);
    printf("handler ran: %d\n", handled == SIGUSR1);
    CHECK(copy(fd, area + 5 * PG, src, PG, 0));
    printf("the thread read '%c'\n", (char)joined(t));
}

/* Unregistering; the last close wakes a waiting thread. */
static void ending(int fd)
{
    CHECK(range_ioctl(fd, UFFDIO_UNREGISTER, area + 1, PG));
    CHECK(range_ioctl(fd, UFFDIO_UNREGISTER, area + 6 * PG, 2 * PG)); /* not registered: nothing to do */
    CHECK(range_ioctl(fd, UFFDIO_UNREGISTER, area, 8 * PG));
    printf("page 0 after unregister: %d\n", area[3]);
    static char two[2 * PG];
    memset(two, 't', sizeof two);
    CHECK(reg(fd, area + 12 * PG, PG, UFFDIO_REGISTER_MODE_MISSING));
    CHECK(reg(fd, area + 13 * PG, PG, UFFDIO_REGISTER_MODE_MISSING));
    CHECK(copy(fd, area + 12 * PG, two, 2 * PG, 0)); /* across both registrations */
    printf("pages 12 and 13: '%c' '%c'\n", area[12 * PG], area[13 * PG + 5]);
    int fd2 = uffd(O_CLOEXEC | O_NONBLOCK);
    CHECK(api(fd2, 0));
    CHECK(reg(fd2, area + 10 * PG, PG, UFFDIO_REGISTER_MODE_MISSING));
    CHECK(reg(fd, area + 10 * PG, PG, UFFDIO_REGISTER_MODE_MISSING)); /* another file's */
    pthread_t t = touch(10 * PG + 1);
    take(fd2, area);
    CHECK(close(fd2));
    printf("the thread read %ld\n", joined(t));
}

static void device(void)
{
    int dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
    if (dev < 0) {
        printf("/dev/userfaultfd: %s\n", strerror(errno));
        return;
    }
    CHECK(ioctl(dev, USERFAULTFD_IOC_NEW, 0x10));
    int fd = ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC | O_NONBLOCK);
    printf("new: %d\n", fd >= 0);
    CHECK(api(fd, 0));
    CHECK(ioctl(dev, _IO(0xAA, 1), 0));
    close(fd);
    close(dev);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int fd = uffd(O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        printf("userfaultfd: %s\n", strerror(errno));
        return 0;
    }
    char link[64] = "";
    char path[32];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    CHECK(readlink(path, link, sizeof link - 1));
    printf("%s\n", link);
    CHECK(lseek(fd, 0, SEEK_SET));
    area = mmap(NULL, 17 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(area + 16 * PG, PG); /* a hole above it */
    errors(fd);
    serve(fd);
    more(fd);
    forked(fd);
    signalled(fd);
    features();
    ending(fd);
    device();
    return 0;
}
