/*
 * tests/linux/c/unixstreamcred.c - SO_PASSCRED and SCM_CREDENTIALS on
 * AF_UNIX stream sockets: a receiver that asked gets the writer's pid, uid
 * and gid with each read (its own when a sendmsg named none), and a read
 * never joins bytes of writers with different credentials (another
 * process, explicit credentials), whether recvmsg, read, MSG_PEEK or
 * MSG_WAITALL; without SO_PASSCRED the same bytes come in one read.  Bytes
 * written while neither end asked carry no credentials (pid 0, the
 * overflow ids).  A connection through a listener as a pair.  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "scm.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child_pid;

static const char *who(pid_t pid)
{
    return pid == getpid() ? "mine" : pid == child_pid ? "child's" : pid == 0 ? "0" : "other";
}

/* Receives up to 16 bytes with flags and says what came with them. */
static void receive(int fd, int flags, size_t room)
{
    union cred_room r;
    char buf[17] = {0};
    struct iovec iov = {buf, 16};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = room ? r.b : NULL, .msg_controllen = room};
    memset(&r, 0, sizeof r);
    long n = (long)recvmsg(fd, &m, flags);
    if (n < 0) { /* Linux writes no lengths back then */
        printf("recvmsg: %ld %s\n", n, strerror(errno));
        return;
    }
    printf("recvmsg: %ld \"%s\", controllen %zu, flags %#x", n, buf, (size_t)m.msg_controllen, m.msg_flags);
    for (struct cmsghdr *h = m.msg_controllen ? CMSG_FIRSTHDR(&m) : NULL; h; h = CMSG_NXTHDR(&m, h)) {
        struct ucred u;
        memcpy(&u, CMSG_DATA(h), sizeof u);
        printf(", level %d type %d len %zu", h->cmsg_level, h->cmsg_type, (size_t)h->cmsg_len);
        if (h->cmsg_type == SCM_CREDENTIALS)
            printf(" pid %s uid %u gid %u", who(u.pid), u.uid, u.gid);
    }
    printf("\n");
}

/* "ab" from here, "cd" from a child, "ef" from here again, "gh" with
 * explicit ids, "ij" from here. */
static void writers(int fd)
{
    CHECK(send_creds(fd, "ab", NULL));
    child_pid = fork();
    if (child_pid == 0) {
        send_creds(fd, "cd", NULL);
        _exit(0);
    }
    waitpid(child_pid, NULL, 0);
    CHECK(write(fd, "ef", 2));
    struct ucred u = {getpid(), 5, 6};
    CHECK(send_creds(fd, "gh", &u));
    CHECK(send_creds(fd, "ij", NULL));
}

static void stream(int a, int b)
{
    int on = 1, off = 0;
    char buf[17] = {0};
    writers(a); /* neither asked: every read joins them */
    receive(b, MSG_DONTWAIT, sizeof(union cred_room));
    CHECK(setsockopt(b, SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    CHECK(send_creds(a, "kl", NULL));
    writers(a);
    for (int i = 0; i < 7; i++)
        receive(b, MSG_DONTWAIT, sizeof(union cred_room));
    writers(a); /* a peek stops where a read does, and read() too */
    receive(b, MSG_DONTWAIT | MSG_PEEK, sizeof(union cred_room));
    receive(b, MSG_DONTWAIT, 0);
    CHECK(read(b, buf, 16));
    printf("read \"%s\"\n", buf);
    receive(b, MSG_WAITALL, sizeof(union cred_room));
    receive(b, MSG_WAITALL, sizeof(union cred_room));
    receive(b, MSG_DONTWAIT, sizeof(union cred_room));
    /* the writer asked, the reader not: credentials ride, unread */
    CHECK(setsockopt(b, SOL_SOCKET, SO_PASSCRED, &off, sizeof off));
    CHECK(setsockopt(a, SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    CHECK(send_creds(a, "mn", NULL));
    receive(b, MSG_DONTWAIT, sizeof(union cred_room));
    CHECK(setsockopt(a, SOL_SOCKET, SO_PASSCRED, &off, sizeof off));
    CHECK(send_creds(a, "op", NULL));
    CHECK(setsockopt(b, SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    CHECK(send_creds(a, "qr", NULL));
    receive(b, MSG_DONTWAIT, sizeof(union cred_room));
    receive(b, MSG_DONTWAIT, sizeof(union cred_room));
    receive(b, MSG_DONTWAIT, sizeof(union cred_room));
    close(a); /* the end: nothing read, empty credentials */
    receive(b, 0, sizeof(union cred_room));
    receive(b, 0, 0);
    close(b);
}

/* A connection to listener l at s that writes before its accept. */
static void before_accept(int l, const struct sockaddr_un *s, socklen_t ls, bool inherits)
{
    int on = 1, v = -1, k = socket(AF_UNIX, SOCK_STREAM, 0);
    socklen_t vl = sizeof v;
    CHECK(connect(k, (const struct sockaddr *)s, ls));
    CHECK(write(k, "st", 2));
    int acc = accept(l, NULL, NULL);
    CHECK(getsockopt(acc, SOL_SOCKET, SO_PASSCRED, &v, &vl));
    CHECK(v);
    if (!inherits)
        CHECK(setsockopt(acc, SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    CHECK(write(k, "uv", 2));
    receive(acc, MSG_DONTWAIT, sizeof(union cred_room));
    close(k), close(acc);
}

int main(void)
{
    int on = 1;
    setvbuf(stdout, NULL, _IONBF, 0);
    int sv[2];
    printf("-- pair\n");
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    stream(sv[0], sv[1]);
    printf("-- connection\n");
    struct sockaddr_un s = {AF_UNIX, "\0ustreamcred"};
    socklen_t ls = offsetof(struct sockaddr_un, sun_path) + 12;
    int l = socket(AF_UNIX, SOCK_STREAM, 0), k = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(bind(l, (struct sockaddr *)&s, ls));
    CHECK(listen(l, 1));
    CHECK(connect(k, (struct sockaddr *)&s, ls));
    int acc = accept(l, NULL, NULL);
    stream(k, acc);
    /* bytes written before the accept carry credentials; the accepted end has the listener's SO_PASSCRED */
    printf("-- before accept\n");
    before_accept(l, &s, ls, false);
    CHECK(setsockopt(l, SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    before_accept(l, &s, ls, true);
    close(l);
    return 0;
}
