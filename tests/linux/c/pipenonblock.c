/*
 * tests/linux/c/pipenonblock.c - non-blocking writes to a pipe with too
 * little room: a write of more than PIPE_BUF bytes takes what fits and
 * returns the short count, one of at most PIPE_BUF bytes goes whole or
 * fails with EAGAIN, and a full pipe takes nothing.  The fills are whole
 * pages or fit the last page, where Linux's page-granular room and a
 * byte count agree.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[100000];

static void try_write(int fd, size_t n)
{
    ssize_t r = write(fd, buf, n);
    if (r < 0)
        printf("write %zu: %s\n", n, strerror(errno));
    else
        printf("write %zu: %zd\n", n, r);
}

static void drain(int fd)
{
    long total = 0;
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0)
        total += r;
    printf("drained %ld (%s)\n", total, r < 0 ? strerror(errno) : "eof");
}

static int nb_pipe(int p[2])
{
    if (pipe2(p, O_NONBLOCK)) {
        perror("pipe2");
        return -1;
    }
    printf("capacity %d\n", fcntl(p[1], F_GETPIPE_SZ));
    return 0;
}

int main(void)
{
    int p[2];
    memset(buf, 'x', sizeof buf);
    if (nb_pipe(p))
        return 1;
    try_write(p[1], sizeof buf); /* more than the pipe holds: the capacity */
    try_write(p[1], 1);          /* full: nothing */
    try_write(p[1], 10000);
    drain(p[0]);
    try_write(p[1], 3 * 4096); /* three pages in, then a big write takes the rest */
    try_write(p[1], sizeof buf);
    drain(p[0]);
    try_write(p[1], 65536 - 100); /* 100 bytes of room left in the last page */
    try_write(p[1], 50);          /* fits: goes whole */
    try_write(p[1], 4096);        /* at most PIPE_BUF and no room for it: EAGAIN, nothing written */
    try_write(p[1], 51);
    try_write(p[1], 50);
    try_write(p[1], 1);
    drain(p[0]);
    close(p[1]);
    drain(p[0]);
    return 0;
}
