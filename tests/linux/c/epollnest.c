/*
 * tests/linux/c/epollnest.c - how deep epoll instances may nest: chains
 * of instances over a pipe, loops (ELOOP, as an instance added into one
 * below it, or into itself through a chain), the pipe added below a
 * chain, and an instance added back after its entries went.  One line per
 * check; the output must equal the host Linux's.
 *
 * "epollnest persona-only" adds what Linux 6.1 answers and a later
 * kernel (the host's) does not: a chain of five instances over a file
 * added into a sixth is EINVAL (its reverse path check: the pipe would
 * wake an instance through six levels), a file added at the bottom of
 * a chain of six empty ones as well, and a chain of more than six
 * instances added into another ELOOP, and an eleventh chain of five
 * instances over one pipe EINVAL (tests/linux/c/epollnest.persona-only.expected;
 * tests/run-all.py's linux-epollnest-persona-only).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "check.h"

static int add(int ep, int fd)
{
    struct epoll_event ev = {.events = EPOLLIN};
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void show(const char *what, int r)
{
    printf("%-48s %d %s\n", what, r, r < 0 ? errno_name(errno) : "");
}

/* A chain of n instances, each watching the one before, over fd: the
 * top one (the first is *bottom). */
static int chain(int fd, int n, int *bottom)
{
    for (int i = 0; i < n; i++) {
        int e = epoll_create1(EPOLL_CLOEXEC);
        if (i == 0)
            *bottom = e;
        if (fd >= 0 && add(e, fd) < 0) {
            printf("chain of %d: level %d %s\n", n, i, errno_name(errno));
            return -1;
        }
        fd = e;
    }
    return fd;
}

/* n empty instances e[], chained from the top down: each add is of an
 * empty one. */
static void empty_chain(int *e, int n)
{
    char what[64];
    for (int i = 0; i < n; i++)
        e[i] = epoll_create1(EPOLL_CLOEXEC);
    for (int i = 0; i + 1 < n; i++) {
        snprintf(what, sizeof what, "empty %d into %d", i + 1, i);
        show(what, add(e[i], e[i + 1]));
    }
}

static void common(void)
{
    char what[64];
    for (int n = 1; n <= 4; n++) {
        int p[2], bottom;
        pipe(p);
        int top = chain(p[0], n, &bottom);
        snprintf(what, sizeof what, "%d over a pipe, into a new one", n);
        show(what, add(epoll_create1(EPOLL_CLOEXEC), top));
        snprintf(what, sizeof what, "%d over a pipe, top into the bottom", n);
        show(what, add(bottom, top));
        struct epoll_event ev = {0};
        epoll_ctl(bottom, EPOLL_CTL_DEL, p[0], &ev);
        snprintf(what, sizeof what, "%d, the pipe gone, top into the bottom", n);
        show(what, add(bottom, top));
    }
    int a = epoll_create1(EPOLL_CLOEXEC), b = epoll_create1(EPOLL_CLOEXEC);
    show("b into a", add(a, b));
    show("a into b", add(b, a));
    show("a into a", add(a, a));
    show("b into a again", add(a, b));
    struct epoll_event ev = {0};
    show("b out of a", epoll_ctl(a, EPOLL_CTL_DEL, b, &ev));
    show("a into b now", add(b, a));
    int e[5];
    empty_chain(e, 5);
    int p[2];
    pipe(p);
    show("a pipe into the fifth of five", add(e[4], p[0]));
}

/* What Linux 6.1 answers where a later kernel differs. */
static void linux61(void)
{
    int p[2], bottom;
    pipe(p);
    int top = chain(p[0], 5, &bottom);
    show("5 over a pipe, into a new one", add(epoll_create1(EPOLL_CLOEXEC), top));
    show("5 over a pipe, top into the bottom", add(bottom, top));
    int e[8];
    empty_chain(e, 8);
    show("a pipe into the sixth of eight", add(e[5], p[0]));
    show("a pipe into the fifth of eight", add(e[4], p[0]));
    show("a pipe into the first of eight", add(e[0], p[0]));
    show("the chain of eight into a new one", add(epoll_create1(EPOLL_CLOEXEC), e[0]));
    show("the chain from the second into a new one", add(epoll_create1(EPOLL_CLOEXEC), e[1]));
    /* many paths: a pipe under chains of five; Linux allows ten paths
     * of that depth to one file */
    int q[2];
    pipe(q);
    for (int n = 1; n <= 11; n++) {
        int b, t = chain(q[0], 5, &b);
        if (t < 0) {
            printf("(chain %d)\n", n);
            break;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "persona-only"))
        linux61();
    else
        common();
    return 0;
}
