/*
 * tests/linux/c/epoll.c - epoll: creating instances, epoll_ctl's errors,
 * level-triggered, edge-triggered and one-shot entries over pipes, an
 * eventfd and a timerfd, waits that block until a child writes or a timer
 * fires, hang-ups, nested instances and the loop refused, an entry gone
 * with its file, and how an instance shows in /proc.  One line per check;
 * the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static int ep;

/* One wait: how many, and each event's bits and data. */
static void wait_show(const char *what, int timeout)
{
    struct epoll_event ev[8];
    int n = epoll_wait(ep, ev, 8, timeout);
    printf("%s: %d", what, n);
    if (n < 0)
        printf(" %s", strerror(errno));
    for (int i = 0; i < n; i++)
        printf(" [%#x %lu]", ev[i].events, (unsigned long)ev[i].data.u64);
    printf("\n");
}

static int add(int fd, uint32_t events, uint64_t data)
{
    struct epoll_event e = {.events = events, .data.u64 = data};
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

int main(void)
{
    int p[2], q[2];
    char b[16];
    struct epoll_event e = {.events = EPOLLIN};

    CHECK(epoll_create(0));
    CHECK(epoll_create1(1));
    ep = epoll_create1(EPOLL_CLOEXEC);
    CHECK(ep >= 0);
    CHECK(fcntl(ep, F_GETFD));
    struct stat st;
    CHECK(fstat(ep, &st));
    printf("st_mode %o\n", st.st_mode);
    char link[64], path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", ep);
    ssize_t n = readlink(path, link, sizeof link - 1);
    printf("fd link: %.*s\n", (int)(n > 0 ? n : 0), link);

    /* epoll_ctl's errors */
    pipe(p);
    int file = open("epoll-regular", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &e));
    CHECK(epoll_ctl(999, EPOLL_CTL_ADD, p[0], &e));
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &e));
    CHECK(epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &e));
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, file, &e));
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], (struct epoll_event *)8));
    CHECK(epoll_ctl(ep, 99, p[0], &e));
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e));
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
    CHECK(add(p[0], EPOLLIN, 1));
    CHECK(add(p[0], EPOLLIN, 1));
    CHECK(epoll_wait(ep, (struct epoll_event[1]){}, 0, 0));
    CHECK(epoll_wait(p[0], (struct epoll_event[1]){}, 1, 0));
    CHECK(epoll_wait(999, (struct epoll_event[1]){}, 1, 0));

    /* level-triggered */
    wait_show("empty pipe", 0);
    write(p[1], "ab", 2);
    wait_show("data", 0);
    wait_show("data again", 0);
    read(p[0], b, 2);
    wait_show("drained", 0);
    CHECK(add(p[1], EPOLLOUT, 2));
    wait_show("writable", 0);
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
    write(p[1], "c", 1);
    CHECK(epoll_wait(ep, (struct epoll_event *)8, 1, 0));

    /* edge-triggered */
    pipe(q);
    e = (struct epoll_event){.events = EPOLLIN | EPOLLET, .data.u64 = 3};
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e));
    wait_show("edge: data there", 0);
    wait_show("edge: nothing new", 0);
    read(p[0], b, 1);
    write(p[1], "d", 1);
    wait_show("edge: new data", 0);
    read(p[0], b, 1);

    /* one-shot */
    e = (struct epoll_event){.events = EPOLLIN | EPOLLONESHOT, .data.u64 = 4};
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e));
    write(p[1], "e", 1);
    wait_show("one-shot", 0);
    wait_show("one-shot, off", 0);
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &e));
    wait_show("one-shot, re-armed", 0);
    read(p[0], b, 1);
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));

    /* an eventfd, and a wait that blocks until a timerfd fires */
    int ev = eventfd(0, 0), tf = timerfd_create(CLOCK_MONOTONIC, 0);
    CHECK(add(ev, EPOLLIN | EPOLLOUT, 5));
    wait_show("eventfd at 0", 0);
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, ev, NULL));
    CHECK(add(tf, EPOLLIN, 6));
    struct itimerspec its = {{0, 0}, {0, 50000000}};
    timerfd_settime(tf, 0, &its, NULL);
    wait_show("timer", 2000);
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, tf, NULL));

    /* a wait that blocks until a child writes, then a hang-up */
    CHECK(add(q[0], EPOLLIN, 7));
    pid_t pid = fork();
    if (pid == 0) {
        usleep(50000);
        write(q[1], "f", 1);
        usleep(300000); /* the hang-up comes well after the data */
        _exit(0);
    }
    close(q[1]);
    wait_show("child wrote", 5000);
    waitpid(pid, NULL, 0);
    read(q[0], b, 1);
    wait_show("writer gone", 0);

    /* nested, and the loop */
    int inner = epoll_create1(0);
    write(p[1], "g", 1);
    struct epoll_event ie = {.events = EPOLLIN, .data.u64 = 8};
    CHECK(epoll_ctl(inner, EPOLL_CTL_ADD, p[0], &ie));
    CHECK(add(inner, EPOLLIN, 9));
    wait_show("nested", 0);
    ie.data.u64 = 10;
    CHECK(epoll_ctl(inner, EPOLL_CTL_ADD, ep, &ie));

    /* an entry goes with its file */
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, inner, NULL));
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, q[0], NULL));
    int r[2];
    pipe(r);
    write(r[1], "h", 1);
    CHECK(add(r[0], EPOLLIN, 11));
    int dup_fd = dup(r[0]);
    close(r[0]);
    wait_show("a descriptor closed, the file open", 0);
    close(dup_fd);
    wait_show("the file closed", 0);
    unlink("epoll-regular");
    return 0;
}
