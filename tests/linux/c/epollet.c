/*
 * tests/linux/c/epollet.c - edge-triggered epoll as Linux's: each arrival
 * of data reports the descriptor again, even when what came before was
 * not read (pipes, stream sockets, eventfds), while a read
 * that leaves data reports nothing; EPOLLONESHOT reports once until
 * EPOLL_CTL_MOD rearms it; EPOLLEXCLUSIVE's rules.  One line per check;
 * the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

static int ep;

static void events(const char *what)
{
    struct epoll_event ev[4];
    int n = epoll_wait(ep, ev, 4, 0);
    printf("  %-34s: %d", what, n);
    for (int i = 0; i < n; i++)
        printf(" %#x", ev[i].events);
    printf("\n");
}

static void put(int fd, bool counter)
{
    uint64_t one = 1;
    (void)!write(fd, counter ? (void *)&one : "ab", counter ? 8 : 2);
}

/* rd: where readiness shows; wr: where data goes in */
static void edges(const char *name, int rd, int wr, bool counter)
{
    printf("%s\n", name);
    ep = epoll_create1(0);
    struct epoll_event e = {.events = EPOLLIN | EPOLLET, .data.fd = rd};
    epoll_ctl(ep, EPOLL_CTL_ADD, rd, &e);
    events("nothing yet");
    put(wr, counter);
    events("data came");
    events("again, nothing new");
    put(wr, counter);
    events("more came, the first unread");
    events("again");
    char b[1];
    if (!counter) {
        (void)!read(rd, b, 1);
        events("a read that leaves some");
    }
    put(wr, counter);
    events("more came");
    close(ep);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int p[2], s[2];
    if (pipe(p) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, s) < 0)
        return 1;
    edges("pipe", p[0], p[1], false);
    edges("stream socket", s[0], s[1], false);
    int efd = eventfd(0, 0);
    edges("eventfd", efd, efd, true);

    printf("EPOLLONESHOT\n");
    int q[2];
    if (pipe(q) < 0)
        return 1;
    ep = epoll_create1(0);
    struct epoll_event e = {.events = EPOLLIN | EPOLLONESHOT, .data.fd = q[0]};
    epoll_ctl(ep, EPOLL_CTL_ADD, q[0], &e);
    put(q[1], false);
    events("data came");
    events("disabled");
    put(q[1], false);
    events("more came, still disabled");
    printf("  MOD: %d\n", epoll_ctl(ep, EPOLL_CTL_MOD, q[0], &e));
    events("rearmed, data there");
    events("disabled again");
    e.events = EPOLLIN | EPOLLONESHOT | EPOLLET;
    epoll_ctl(ep, EPOLL_CTL_MOD, q[0], &e);
    events("rearmed edge-triggered");
    close(ep);

    printf("EPOLLEXCLUSIVE\n");
    ep = epoll_create1(0);
    e.events = EPOLLIN | EPOLLEXCLUSIVE;
    int r = epoll_ctl(ep, EPOLL_CTL_ADD, q[0], &e);
    printf("  ADD: %d\n", r);
    events("data there");
    r = epoll_ctl(ep, EPOLL_CTL_MOD, q[0], &e);
    printf("  MOD: %d %s\n", r, r < 0 && errno == EINVAL ? "EINVAL" : "");
    e.events = EPOLLIN;
    r = epoll_ctl(ep, EPOLL_CTL_MOD, q[0], &e);
    printf("  MOD without it: %d %s\n", r, r < 0 && errno == EINVAL ? "EINVAL" : "");
    epoll_ctl(ep, EPOLL_CTL_DEL, q[0], NULL);
    e.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
    r = epoll_ctl(ep, EPOLL_CTL_ADD, q[0], &e);
    printf("  with EPOLLONESHOT: %d %s\n", r, r < 0 && errno == EINVAL ? "EINVAL" : "");
    int ep2 = epoll_create1(0);
    e.events = EPOLLIN | EPOLLEXCLUSIVE;
    r = epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &e);
    printf("  on an epoll: %d %s\n", r, r < 0 && errno == EINVAL ? "EINVAL" : "");
    return 0;
}
