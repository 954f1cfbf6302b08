/*
 * tests/linux/c/epollready.c - which ready entries an epoll_wait reports:
 * more ready than maxevents are reported in turn (each reported entry
 * goes to the back of the ready list), quiet ones never; EPOLLEXCLUSIVE
 * entries, of which an arrival wakes one waiter, the first added; and
 * the mount tables' poll (/proc/mounts, /proc/self/mountinfo): POLLERR | POLLPRI
 * once after each mount or unmount, through epoll (a wait woken by the
 * change) and poll.  On the host it runs in a mount namespace of its own
 * (unshare, as root), the table's changes private to it.  One line per
 * check; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define D "/tmp/epollready-test"
#define NREADY 13
#define NQUIET 5

/* Waits of maxevents 3 on ep, each reported entry's data shown. */
static void waits(int ep, int times, int (*ready)[2])
{
    for (int k = 0; k < times; k++) {
        struct epoll_event ev[3];
        int n = epoll_wait(ep, ev, 3, 0);
        printf("wait %d: %d", k, n);
        for (int i = 0; i < n; i++) {
            printf(" %llu", (unsigned long long)ev[i].data.u64);
            char c;
            if (ready && ev[i].data.u64 < NREADY)
                read(ready[ev[i].data.u64][0], &c, 1);
        }
        printf("\n");
    }
}

static void rotation(void)
{
    int ready[NREADY][2], quiet[NQUIET][2], ep = epoll_create1(0);
    for (int i = 0; i < NREADY + NQUIET; i++) {
        int *p = i < NREADY ? ready[i] : quiet[i - NREADY];
        pipe(p);
        struct epoll_event e = {.events = EPOLLIN, .data.u64 = (uint64_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e);
    }
    for (int i = 0; i < NREADY; i++) /* in the order they were added: Linux's ready list is in readiness's */
        write(ready[i][1], "x", 1);
    printf("level-triggered, kept ready:\n");
    waits(ep, 10, NULL);
    printf("drained as reported:\n");
    waits(ep, 6, ready);
    close(ep);
    for (int i = 0; i < NREADY + NQUIET; i++) {
        int *p = i < NREADY ? ready[i] : quiet[i - NREADY];
        close(p[0]), close(p[1]);
    }
}

static void epoll_show(int ep, const char *what, int timeout)
{
    struct epoll_event ev;
    int n = epoll_wait(ep, &ev, 1, timeout);
    printf("%s: %d", what, n);
    if (n > 0)
        printf(" %#x", ev.events);
    printf("\n");
}

static void poll_show(int fd, const char *what)
{
    struct pollfd p = {.fd = fd, .events = POLLIN | POLLPRI};
    int n = poll(&p, 1, 0);
    printf("%s: %d %#x\n", what, n, p.revents);
}

static void mount_tables(void)
{
    struct stat st;
    int mounts = open("/proc/mounts", O_RDONLY), info = open("/proc/self/mountinfo", O_RDONLY);
    int ep = epoll_create1(0);
    CHECK(fstat(mounts, &st));
    printf("/proc/mounts: st_rdev %lu\n", (unsigned long)st.st_rdev);
    CHECK(stat("/proc/self/mem", &st));
    printf("/proc/self/mem: st_rdev %lu\n", (unsigned long)st.st_rdev);
    struct epoll_event e = {.events = EPOLLPRI, .data.u64 = 1};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, mounts, &e));
    epoll_show(ep, "unchanged", 0);
    poll_show(info, "mountinfo unchanged");
    CHECK(mount("none", D "/t", "tmpfs", 0, NULL));
    epoll_show(ep, "mounted", 0);
    epoll_show(ep, "seen", 0);
    poll_show(info, "mountinfo after the mount");
    poll_show(info, "mountinfo seen");
    pid_t pid = fork();
    if (pid == 0) {
        usleep(100000);
        umount(D "/t");
        _exit(0);
    }
    epoll_show(ep, "unmounted by a child while waiting", 5000);
    waitpid(pid, NULL, 0);
    epoll_show(ep, "seen", 0);
    CHECK(mount("none", D "/t", "tmpfs", 0, NULL));
    CHECK(mount(NULL, D "/t", NULL, MS_REMOUNT | MS_RDONLY, NULL));
    epoll_show(ep, "mounted and remounted", 0);
    CHECK(umount(D "/t"));
    poll_show(mounts, "unmounted, by poll");
    epoll_show(ep, "after poll took it", 0);
    close(ep), close(mounts), close(info);
}

static char state(pid_t p)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", p);
    long n = read_text(path, buf, sizeof buf);
    char *c = n > 0 ? strrchr(buf, ')') : NULL;
    return c ? c[2] : '?';
}

/* Waiters in instances of their own, each with the pipe's read end added
 * EPOLLEXCLUSIVE (a waiter on it too without): each byte written wakes
 * the plain waiter and one exclusive waiter, the first added. */
static void exclusive(void)
{
    int fds[2];
    pipe(fds);
    int *woken = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t pids[5];
    for (int i = 0; i < 5; i++) {
        if ((pids[i] = fork()) == 0) {
            int ep = epoll_create1(0);
            struct epoll_event e = {.events = EPOLLIN | EPOLLET | (i < 4 ? EPOLLEXCLUSIVE : 0)};
            epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &e);
            if (epoll_wait(ep, &e, 1, 3000) == 1)
                __atomic_fetch_or(woken, 1 << i, __ATOMIC_SEQ_CST);
            _exit(0);
        }
        for (int t = 0; t < 3000 && state(pids[i]) != 'S'; t++)
            usleep(1000);
    }
    for (int round = 0; round < 3; round++) {
        write(fds[1], "x", 1);
        usleep(200000);
        printf("write %d: woken %#x\n", round, *woken);
        char c;
        read(fds[0], &c, 1);
    }
    for (int i = 0; i < 5; i++)
        waitpid(pids[i], NULL, 0);
    printf("at the end: woken %#x\n", *woken);
    close(fds[0]), close(fds[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    rotation();
    exclusive();
    unshare(CLONE_NEWNS);
    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    mkdir(D, 0755);
    mkdir(D "/t", 0755);
    mount_tables();
    rmdir(D "/t");
    rmdir(D);
    return 0;
}
