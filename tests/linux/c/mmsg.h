/*
 * tests/linux/c/mmsg.h - a vector of struct mmsghdr for the sendmmsg and
 * recvmmsg tests (unixmmsg.c, tcpmmsg.c): prep makes its first n entries
 * send the strings given, or receive into in[] (4 bytes each), with
 * msg_len 99 until the call sets it; show prints what a receive put in
 * the first n (the length, MSG_TRUNC, the bytes); big_send sends one
 * message of size bytes on wfd that a child, after a pause, reads from
 * rfd (it must wait for the reader), and prints the count and msg_len.
 * Include check.h first.
 */
#ifndef TESTS_LINUX_MMSG_H
#define TESTS_LINUX_MMSG_H
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define N 4
static char in[N][8];
static struct iovec iov[N];
static struct mmsghdr mm[N];

static void prep(int n, const char **s)
{
    memset(mm, 0, sizeof mm), memset(in, 0, sizeof in);
    for (int i = 0; i < n; i++) {
        iov[i] = s ? (struct iovec){(void *)s[i], strlen(s[i])} : (struct iovec){in[i], sizeof in[i] - 4};
        mm[i].msg_hdr.msg_iov = &iov[i], mm[i].msg_hdr.msg_iovlen = 1;
        mm[i].msg_len = 99;
    }
}

static void show(int n)
{
    for (int i = 0; i < n; i++)
        printf("  [%d] len %u flags %#x \"%s\"\n", i, mm[i].msg_len, mm[i].msg_hdr.msg_flags & MSG_TRUNC, in[i]);
}

static void big_send(int wfd, int rfd, size_t size)
{
    char *buf = calloc(1, size);
    if (fork() == 0) {
        size_t got = 0;
        ssize_t r;
        usleep(100000);
        while (got < size && (r = read(rfd, buf, size)) > 0)
            got += (size_t)r;
        _exit(got == size ? 0 : 1);
    }
    struct iovec biov = {buf, size};
    struct mmsghdr bm[1] = {{.msg_hdr = {.msg_iov = &biov, .msg_iovlen = 1}}};
    CHECK(sendmmsg(wfd, bm, 1, 0));
    printf("  sent %u\n", bm[0].msg_len);
    int st;
    wait(&st);
    CHECK(WEXITSTATUS(st));
    free(buf);
}

#endif
