/*
 * tests/linux/c/kcmp.c - kcmp between processes and threads: each type
 * says 0 for what is shared and not 0 for what is not (the order of 1 and
 * 2 is the kernel's own business, and is printed only as "differ"), the
 * same answer twice; ESRCH, EBADF, EINVAL, EFAULT, ENOENT for the epoll
 * slot, EPERM for another user's process.  And getcpu: a CPU the process
 * may run on, node 0, NULL addresses, EFAULT.  The output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

enum { KCMP_FILE, KCMP_VM, KCMP_FILES, KCMP_FS, KCMP_SIGHAND, KCMP_IO, KCMP_SYSVSEM, KCMP_EPOLL_TFD };
struct slot { unsigned efd, tfd; unsigned long long toff; };

static long kcmp(pid_t a, pid_t b, int type, unsigned long i1, unsigned long i2)
{
    return syscall(SYS_kcmp, a, b, type, i1, i2);
}

static void show(const char *what, long r)
{
    if (r < 0)
        printf("%-44s -1 %s\n", what, errno_name(errno));
    else
        printf("%-44s %s\n", what, r == 0 ? "same" : r == 1 || r == 2 ? "differ" : "bad value");
}

static volatile int stop;
static pid_t thread_tid;

static void *spin(void *arg)
{
    (void)arg;
    thread_tid = (pid_t)syscall(SYS_gettid);
    while (!stop)
        usleep(1000);
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    pid_t me = getpid();
    int fd = open("/dev/null", O_RDONLY), dup_fd = dup(fd), other = open("/dev/null", O_RDONLY);
    show("FILE fd, its dup", kcmp(me, me, KCMP_FILE, fd, dup_fd));
    show("FILE fd, another open", kcmp(me, me, KCMP_FILE, fd, other));
    long a = kcmp(me, me, KCMP_FILE, fd, other), b = kcmp(me, me, KCMP_FILE, other, fd);
    printf("the order turns over: %d\n", a + b == 3);
    show("FILE bad fd", kcmp(me, me, KCMP_FILE, fd, 999));
    for (int t = KCMP_VM; t <= KCMP_SYSVSEM; t++) {
        char what[40];
        snprintf(what, sizeof what, "type %d, self", t);
        show(what, kcmp(me, me, t, 0, 0));
    }
    show("type 8", kcmp(me, me, 8, 0, 0));
    show("type -1", kcmp(me, me, -1, 0, 0));
    show("no such pid", kcmp(me, 999999, KCMP_VM, 0, 0));
    show("pid 0", kcmp(0, me, KCMP_VM, 0, 0));

    pthread_t th;
    pthread_create(&th, NULL, spin, NULL);
    while (!thread_tid)
        usleep(1000);
    show("thread VM", kcmp(me, thread_tid, KCMP_VM, 0, 0));
    show("thread FILES", kcmp(me, thread_tid, KCMP_FILES, 0, 0));
    show("thread FS", kcmp(me, thread_tid, KCMP_FS, 0, 0));
    show("thread SIGHAND", kcmp(me, thread_tid, KCMP_SIGHAND, 0, 0));
    show("thread FILE", kcmp(me, thread_tid, KCMP_FILE, fd, fd));
    stop = 1;
    pthread_join(th, NULL);

    /* children: a fork, and clones sharing one thing */
    int p[2];
    pipe(p);
    static const struct { const char *name; unsigned long flags; } kids[] = {
        {"fork", SIGCHLD}, {"CLONE_FILES", CLONE_FILES | SIGCHLD}, {"CLONE_FS", CLONE_FS | SIGCHLD},
    };
    for (size_t k = 0; k < sizeof kids / sizeof kids[0]; k++) {
        long pid = syscall(SYS_clone, kids[k].flags, 0L, 0L, 0L, 0L);
        if (pid == 0) {
            char ch;
            read(p[0], &ch, 1);
            _exit(0);
        }
        char what[64];
        static const char *names[] = {"FILE", "VM", "FILES", "FS", "SIGHAND"};
        for (int t = KCMP_FILE; t <= KCMP_SIGHAND; t++) {
            snprintf(what, sizeof what, "%s child: %s", kids[k].name, names[t]);
            show(what, kcmp(me, (pid_t)pid, t, fd, fd));
        }
        write(p[1], "x", 1);
        waitpid((pid_t)pid, NULL, 0);
    }

    /* epoll */
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {0}};
    int pd = dup(p[0]);
    show("epoll_ctl", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    struct slot s = {ep, p[0], 0};
    show("EPOLL_TFD watched", kcmp(me, me, KCMP_EPOLL_TFD, pd, (unsigned long)&s));
    show("EPOLL_TFD other file", kcmp(me, me, KCMP_EPOLL_TFD, other, (unsigned long)&s));
    s.toff = 1;
    show("EPOLL_TFD toff 1", kcmp(me, me, KCMP_EPOLL_TFD, pd, (unsigned long)&s));
    s.toff = 0, s.tfd = other;
    show("EPOLL_TFD unwatched fd", kcmp(me, me, KCMP_EPOLL_TFD, fd, (unsigned long)&s));
    s.efd = fd;
    show("EPOLL_TFD not epoll", kcmp(me, me, KCMP_EPOLL_TFD, fd, (unsigned long)&s));
    s.efd = 999;
    show("EPOLL_TFD bad efd", kcmp(me, me, KCMP_EPOLL_TFD, fd, (unsigned long)&s));
    show("EPOLL_TFD bad slot", kcmp(me, me, KCMP_EPOLL_TFD, fd, 16));
    show("EPOLL_TFD bad idx1", kcmp(me, me, KCMP_EPOLL_TFD, 999, (unsigned long)&s));

    /* another user may not look at root's process */
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) || setuid(65534))
            _exit(9);
        show("uid 65534: root's VM", kcmp(getpid(), me, KCMP_VM, 0, 0));
        show("uid 65534: its own", kcmp(getpid(), getpid(), KCMP_VM, 0, 0));
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    /* getcpu */
    unsigned cpu = 12345, node = 12345;
    cpu_set_t set;
    sched_getaffinity(0, sizeof set, &set);
    long r = syscall(SYS_getcpu, &cpu, &node, NULL);
    printf("getcpu: %ld, cpu allowed %d, node %u\n", r, cpu < CPU_SETSIZE && CPU_ISSET(cpu, &set), node);
    show("getcpu(NULL, NULL)", syscall(SYS_getcpu, NULL, NULL, NULL));
    show("getcpu(bad, NULL)", syscall(SYS_getcpu, (void *)16, NULL, NULL));
    show("getcpu(NULL, bad)", syscall(SYS_getcpu, NULL, (void *)16, NULL));
    return 0;
}
