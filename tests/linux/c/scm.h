/*
 * tests/linux/c/scm.h - descriptors passed over AF_UNIX sockets in the
 * tests: pass_fd sends one byte, "x", with descriptor fd (SCM_RIGHTS);
 * take_fd receives one message of up to a byte with recvmsg's flags and
 * gives the descriptor that came with it, or -1 (its length to *len);
 * send_creds sends a string with credentials (SCM_CREDENTIALS), or none.
 */
#ifndef TESTS_LINUX_SCM_H
#define TESTS_LINUX_SCM_H
#include <string.h>
#include <sys/socket.h>

union scm_room {
    struct cmsghdr h;
    char b[CMSG_SPACE(sizeof(int))];
};

static inline int pass_fd(int via, int fd)
{
    union scm_room u;
    memset(&u, 0, sizeof u);
    struct iovec iov = {"x", 1};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof u.b};
    u.h.cmsg_len = CMSG_LEN(sizeof(int)), u.h.cmsg_level = SOL_SOCKET, u.h.cmsg_type = SCM_RIGHTS;
    memcpy(CMSG_DATA(&u.h), &fd, sizeof fd);
    return (int)sendmsg(via, &m, 0);
}

static inline int take_fd(int from, int flags, long *len)
{
    union scm_room u;
    char c;
    struct iovec iov = {&c, 1};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof u.b};
    int fd = -1;
    memset(&u, 0, sizeof u);
    *len = (long)recvmsg(from, &m, flags);
    if (*len >= 0 && m.msg_controllen && u.h.cmsg_type == SCM_RIGHTS)
        memcpy(&fd, CMSG_DATA(&u.h), sizeof fd);
    return fd;
}

union cred_room {
    struct cmsghdr h;
    char b[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int))];
};

/* Sends s, with credentials u if not NULL. */
static inline long send_creds(int fd, const char *s, const struct ucred *u)
{
    union cred_room r;
    struct iovec iov = {(void *)s, strlen(s)};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    memset(&r, 0, sizeof r);
    if (u) {
        r.h.cmsg_len = CMSG_LEN(sizeof *u), r.h.cmsg_level = SOL_SOCKET, r.h.cmsg_type = SCM_CREDENTIALS;
        memcpy(CMSG_DATA(&r.h), u, sizeof *u);
        m.msg_control = r.b, m.msg_controllen = CMSG_SPACE(sizeof *u);
    }
    return (long)sendmsg(fd, &m, 0);
}

#endif
