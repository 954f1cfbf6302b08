/*
 * tests/linux/c/cmsgint.h - recv_int_control: one recvmsg of a packet
 * into buf with room for a single control message of an int (a TTL, a
 * hop limit), printed as "control LEN level L type T value V" after the
 * caller's text; the packet's length.  For rawsock.c and pingsock.c.
 */
#ifndef TESTS_LINUX_CMSGINT_H
#define TESTS_LINUX_CMSGINT_H
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static inline long recv_int_control(int fd, void *buf, size_t size, const char *what)
{
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(sizeof(int))];
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct iovec io = {buf, size};
    struct msghdr mh = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = &ctl, .msg_controllen = sizeof ctl};
    long n = recvmsg(fd, &mh, 0);
    int v;
    memcpy(&v, CMSG_DATA(&ctl.h), sizeof v);
    printf("%s %ld: control %zu level %d type %d value %d\n", what, n, (size_t)mh.msg_controllen, ctl.h.cmsg_level,
           ctl.h.cmsg_type, v);
    return n;
}

#endif
