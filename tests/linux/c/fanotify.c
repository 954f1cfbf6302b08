/*
 * tests/linux/c/fanotify.c - fanotify as root on a tmpfs of its own:
 * fanotify_init's and fanotify_mark's errors, an inode mark's events
 * merged into one, the descriptor each event brings (its flags, its own
 * reads reporting nothing), FIONREAD, poll and epoll, a blocking read
 * woken by a child's open, a directory's marks (FAN_ONDIR,
 * FAN_EVENT_ON_CHILD), mount and file system marks, ignore masks (and a
 * modification clearing them unless FAN_MARK_IGNORED_SURV_MODIFY),
 * FAN_MARK_REMOVE and FAN_MARK_FLUSH, the queue's overflow event, and
 * EPERM for a user.  On the host it runs in a mount namespace of its
 * own, so that no other program's events reach its mount.
 */
#define _GNU_SOURCE
#include "check.h"
#include "fanabi.h"
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define D "/tmp/fanotify-test"

/* linux/fanotify.h's, which musl's headers do not have */
#define FAN_ACCESS 0x1
#define FAN_MODIFY 0x2
#define FAN_CLOSE_WRITE 0x8
#define FAN_CLOSE_NOWRITE 0x10
#define FAN_OPEN 0x20
#define FAN_CREATE 0x100
#define FAN_Q_OVERFLOW 0x4000
#define FAN_OPEN_PERM 0x10000
#define FAN_EVENT_ON_CHILD 0x08000000
#define FAN_ONDIR 0x40000000
#define FAN_CLOEXEC 1
#define FAN_NONBLOCK 2
#define FAN_REPORT_PIDFD 0x80
#define FAN_REPORT_TID 0x100
#define FAN_MARK_ADD 1
#define FAN_MARK_REMOVE 2
#define FAN_MARK_ONLYDIR 8
#define FAN_MARK_MOUNT 0x10
#define FAN_MARK_IGNORED_MASK 0x20
#define FAN_MARK_IGNORED_SURV_MODIFY 0x40
#define FAN_MARK_FLUSH 0x80
#define FAN_MARK_FILESYSTEM 0x100
#define FAN_MARK_IGNORE 0x400

static int child;

/* The events a read gives, each with what its descriptor shows; the
 * descriptors are closed. */
static void drain(int g, const char *what)
{
    char buf[4096], link[128], proc[64];
    ssize_t n = read(g, buf, sizeof buf);
    if (n < 0) {
        printf("%s: read: %s\n", what, strerror(errno));
        return;
    }
    for (ssize_t at = 0; at + (ssize_t)sizeof(struct meta) <= n;) {
        struct meta *m = (struct meta *)(buf + at);
        link[0] = '\0';
        int fl = -1;
        if (m->fd >= 0) {
            snprintf(proc, sizeof proc, "/proc/self/fd/%d", m->fd);
            ssize_t k = readlink(proc, link, sizeof link - 1);
            link[k > 0 ? k : 0] = '\0';
            fl = fcntl(m->fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK);
            close(m->fd);
        }
        printf("%s: len %u vers %u metalen %u mask %llx fd %s flags %o pid %s %s\n", what, m->event_len, m->vers,
               m->metadata_len, (unsigned long long)m->mask, m->fd >= 0 ? "yes" : m->fd == -1 ? "FAN_NOFD" : "error",
               fl, m->pid == getpid() ? "self" : m->pid == child ? "child" : m->pid == 0 ? "0" : "other", link);
        at += m->event_len;
    }
}

static void touch(const char *path, int flags)
{
    int fd = open(path, flags, 0644);
    if (fd >= 0)
        close(fd);
}

static void errors(void)
{
    int file = open(D "/f", O_RDONLY);
    CHECK(fan_init(0x80000000u, O_RDONLY));
    CHECK(fan_init(0, O_ACCMODE));
    CHECK(fan_init(0, O_RDONLY | O_TRUNC));
    CHECK(fan_init(0xc, O_RDONLY));
    CHECK(fan_init(FAN_REPORT_PIDFD | FAN_REPORT_TID, O_RDONLY));
    int g = fan_init(0, O_RDONLY);
    CHECK(g >= 0);
    CHECK(fan_mark(g, 0, FAN_OPEN, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD, 0, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD, 1ull << 32, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_CREATE, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_Q_OVERFLOW, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORE, FAN_OPEN, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_FLUSH | FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, D "/missing"));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_ONLYDIR, FAN_OPEN, AT_FDCWD, D "/f"));
    CHECK(fan_mark(g, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD, D "/f"));
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN, 100, NULL));
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, NULL));
    CHECK(fan_mark(100, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, D));
    CHECK(fan_mark(file, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_FLUSH, 0, AT_FDCWD, NULL));
    close(g);
    close(file);
}

/* An inode mark: one merged event, its descriptor, readiness. */
static void inode_mark(void)
{
    char buf[16];
    int n;
    struct pollfd p;
    int g = fan_init(FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
    CHECK(g >= 0);
    CHECK(fcntl(g, F_GETFD));
    CHECK(fcntl(g, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
    char proc[64], link[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", g);
    ssize_t k = readlink(proc, link, sizeof link - 1);
    printf("%.*s\n", (int)(k > 0 ? k : 0), link);
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN | FAN_CLOSE_WRITE | FAN_CLOSE_NOWRITE | FAN_MODIFY | FAN_ACCESS,
                   AT_FDCWD, D "/f"));
    drain(g, "none yet");
    p = (struct pollfd){g, POLLIN, 0};
    CHECK(poll(&p, 1, 0));
    int fd = open(D "/f", O_RDWR);
    CHECK(write(fd, "hello", 5));
    CHECK(pread(fd, buf, 5, 0));
    close(fd);
    CHECK(poll(&p, 1, 0));
    printf("revents %x\n", p.revents);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN}, out;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, g, &ev));
    CHECK(epoll_wait(ep, &out, 1, 0));
    CHECK(read(g, buf, 8)); /* too small for one */
    CHECK(ioctl(g, FIONREAD, &n));
    printf("FIONREAD %d\n", n);
    /* the event's descriptor reports nothing of its own */
    int r = read(g, buf, 0);
    printf("read 0: %d\n", r < 0 ? -errno : r);
    char ebuf[64];
    CHECK(read(g, ebuf, sizeof ebuf));
    struct meta *m = (struct meta *)ebuf;
    printf("mask %llx fd %d accmode %o\n", (unsigned long long)m->mask, m->fd >= 0, fcntl(m->fd, F_GETFL) & O_ACCMODE);
    CHECK(read(m->fd, buf, 5));
    CHECK(close(m->fd));
    drain(g, "after its descriptor");
    CHECK(epoll_wait(ep, &out, 1, 0));
    close(ep);
    touch(D "/g", O_RDONLY | O_CREAT);
    drain(g, "another file");
    close(g);
}

/* A blocking read, woken by a child's open. */
static void blocking(void)
{
    int g = fan_init(0, O_RDWR);
    CHECK(g >= 0);
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, D "/f"));
    fflush(stdout);
    child = fork();
    if (child == 0) {
        usleep(100000);
        touch(D "/f", O_RDONLY);
        _exit(0);
    }
    drain(g, "blocking");
    waitpid(child, NULL, 0);
    close(g);
}

/* A directory's marks: itself (FAN_ONDIR) and its children (FAN_EVENT_ON_CHILD). */
static void directory(void)
{
    int g = fan_init(FAN_NONBLOCK, O_RDONLY);
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, D));
    touch(D, O_RDONLY | O_DIRECTORY);
    touch(D "/f", O_RDONLY);
    drain(g, "dir without ONDIR");
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN | FAN_ONDIR, AT_FDCWD, D));
    touch(D, O_RDONLY | O_DIRECTORY);
    touch(D "/f", O_RDONLY);
    drain(g, "dir with ONDIR");
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_EVENT_ON_CHILD | FAN_CLOSE_NOWRITE, AT_FDCWD, D));
    touch(D "/f", O_RDONLY);
    drain(g, "child");
    touch(D "/sub", O_RDONLY | O_DIRECTORY);
    drain(g, "child dir");
    touch(D "/sub/deep", O_RDONLY);
    drain(g, "grandchild");
    CHECK(fan_mark(g, FAN_MARK_REMOVE, FAN_EVENT_ON_CHILD | FAN_CLOSE_NOWRITE | FAN_OPEN | FAN_ONDIR, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD, D));
    touch(D, O_RDONLY | O_DIRECTORY);
    drain(g, "removed");
    close(g);
}

/* Mount and file system marks, ignore masks, FLUSH. */
static void mount_marks(void)
{
    int g = fan_init(FAN_NONBLOCK, O_RDONLY);
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN | FAN_CLOSE_NOWRITE, AT_FDCWD, D "/f"));
    touch(D "/sub/deep", O_RDONLY);
    touch(D "/sub", O_RDONLY | O_DIRECTORY);
    drain(g, "mount");
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK, FAN_OPEN | FAN_CLOSE_NOWRITE, AT_FDCWD, D "/f"));
    touch(D "/f", O_RDONLY);
    touch(D "/g", O_RDONLY);
    drain(g, "ignored f");
    int fd = open(D "/f", O_WRONLY);
    CHECK(write(fd, "x", 1));
    close(fd);
    touch(D "/f", O_RDONLY);
    drain(g, "after a write");
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY,
                   FAN_OPEN | FAN_CLOSE_NOWRITE, AT_FDCWD, D "/f"));
    fd = open(D "/f", O_WRONLY);
    CHECK(write(fd, "x", 1));
    close(fd);
    touch(D "/f", O_RDONLY);
    drain(g, "surviving");
    CHECK(fan_mark(g, FAN_MARK_FLUSH | FAN_MARK_MOUNT, 0, AT_FDCWD, NULL));
    touch(D "/g", O_RDONLY);
    drain(g, "flushed");
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_CLOSE_NOWRITE, AT_FDCWD, D "/sub"));
    touch(D "/g", O_RDONLY);
    drain(g, "filesystem");
    CHECK(fan_mark(g, FAN_MARK_FLUSH | FAN_MARK_FILESYSTEM, 0, AT_FDCWD, NULL));
    CHECK(fan_mark(g, FAN_MARK_FLUSH, 0, AT_FDCWD, NULL));
    touch(D "/g", O_RDONLY);
    drain(g, "all flushed");
    close(g);
}

/* More events than the queue holds: FIONREAD counts one FAN_Q_OVERFLOW
 * more than max_queued_events (16384); opens alone, the files closed a
 * hundred at a time, to keep the calls few. */
static void overflow(void)
{
    char path[128];
    int n = 0, first = -1;
    int g = fan_init(FAN_NONBLOCK, O_RDONLY);
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD, D));
    for (int d = 0; d < 130; d++) {
        snprintf(path, sizeof path, D "/many/%d", d);
        mkdir(path, 0755);
        for (int i = 0; i < 128; i++) {
            snprintf(path, sizeof path, D "/many/%d/%d", d, i);
            int fd = open(path, O_WRONLY | O_CREAT, 0644);
            first = first < 0 ? fd : first;
        }
        syscall(SYS_close_range, first, ~0u, 0);
    }
    CHECK(ioctl(g, FIONREAD, &n));
    printf("FIONREAD %d: %d events\n", n, n / (int)sizeof(struct meta));
    struct meta m;
    CHECK(read(g, &m, sizeof m));
    printf("first mask %llx fd %s\n", (unsigned long long)m.mask, m.fd >= 0 ? "yes" : "no");
    close(m.fd);
    close(g);
}

int main(void)
{
    unshare(CLONE_NEWNS);
    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    mkdir(D, 0755);
    CHECK(mount("none", D, "tmpfs", 0, NULL));
    touch(D "/f", O_WRONLY | O_CREAT);
    mkdir(D "/sub", 0755);
    mkdir(D "/many", 0755);
    touch(D "/sub/deep", O_WRONLY | O_CREAT);
    errors();
    inode_mark();
    blocking();
    directory();
    mount_marks();
    overflow();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(1000) < 0)
            _exit(1);
        CHECK(fan_init(0, O_RDONLY));
        CHECK(fan_init(0x80000000u, O_RDONLY));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(umount2(D, MNT_DETACH));
    CHECK(rmdir(D));
    return 0;
}
