/*
 * tests/linux/c/unixpass.c - SO_PASSCRED and SCM_CREDENTIALS on AF_UNIX
 * datagram and seqpacket sockets: a receiver that asked gets the sender's
 * pid, uid and gid with each message, sent or not; explicit credentials
 * are checked as Linux checks them (a process other than root may say
 * only its own pid and ids: EPERM; an invalid id: EINVAL; root may name
 * another process, one that exists: ESRCH); no room for them is
 * MSG_CTRUNC; a sender that asked gets a name of its own when it sends
 * (autobind).  SO_PEERCRED on seqpacket connections and datagram pairs;
 * a datagram connect gives none.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "scm.h"
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* Sends "c", with credentials u if not NULL. */
static long send_cred(int fd, const struct ucred *u) { return send_creds(fd, "c", u); }

/* Receives a message and says what came with it. */
static void receive(int fd, size_t room)
{
    union cred_room r;
    char c;
    struct iovec iov = {&c, 1};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = room ? r.b : NULL, .msg_controllen = room};
    memset(&r, 0, sizeof r);
    long n = (long)recvmsg(fd, &m, MSG_DONTWAIT);
    printf("recvmsg: %ld%s%s, controllen %zu, flags %#x", n, n < 0 ? " " : "", n < 0 ? strerror(errno) : "",
           (size_t)m.msg_controllen, m.msg_flags);
    for (struct cmsghdr *h = m.msg_controllen ? CMSG_FIRSTHDR(&m) : NULL; h; h = CMSG_NXTHDR(&m, h)) {
        struct ucred u;
        memcpy(&u, CMSG_DATA(h), sizeof u);
        printf(", level %d type %d len %zu", h->cmsg_level, h->cmsg_type, (size_t)h->cmsg_len);
        if (h->cmsg_type == SCM_CREDENTIALS)
            printf(" pid %s uid %u gid %u", u.pid == getpid() ? "mine" : u.pid == getppid() ? "parent's" : "other",
                   u.uid, u.gid);
    }
    printf("\n");
}

static void peercred(int fd)
{
    struct ucred u = {-2, 7, 7};
    socklen_t l = sizeof u;
    CHECK(getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &u, &l));
    printf("peer: pid %s uid %d gid %d\n", u.pid == getpid() ? "mine" : u.pid == 0 ? "0" : "other", (int)u.uid,
           (int)u.gid);
}

static void creds(int type)
{
    int sv[2], on = 1, v = -1;
    socklen_t vl = sizeof v;
    printf("-- type %d\n", type);
    CHECK(socketpair(AF_UNIX, type, 0, sv));
    peercred(sv[0]);
    CHECK(getsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &v, &vl));
    CHECK(v);
    CHECK(send_cred(sv[0], NULL));
    receive(sv[1], sizeof(union cred_room)); /* not asked: nothing */
    CHECK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    CHECK(getsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &v, &vl));
    CHECK(v);
    CHECK(send_cred(sv[0], NULL));
    receive(sv[1], sizeof(union cred_room));
    struct ucred u = {getpid(), 0, 0};
    CHECK(send_cred(sv[0], &u));
    receive(sv[1], sizeof(union cred_room));
    CHECK(send_cred(sv[0], NULL));
    receive(sv[1], 0); /* no room: MSG_CTRUNC */
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    u.pid = child; /* root may name another process */
    CHECK(send_cred(sv[0], &u));
    receive(sv[1], sizeof(union cred_room));
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    u.pid = 999999;
    CHECK(send_cred(sv[0], &u));
    u.pid = getpid(), u.uid = (uid_t)-1;
    CHECK(send_cred(sv[0], &u));
    if (fork() == 0) { /* someone else: its own pid and ids only */
        CHECK(setgid(1000));
        CHECK(setuid(1000));
        struct ucred mine = {getpid(), 1000, 1000}, other = {getppid(), 1000, 1000}, root = {getpid(), 0, 1000};
        CHECK(send_cred(sv[0], &other));
        CHECK(send_cred(sv[0], &root));
        CHECK(send_cred(sv[0], &mine));
        receive(sv[1], sizeof(union cred_room));
        CHECK(send_cred(sv[0], NULL));
        receive(sv[1], sizeof(union cred_room));
        _exit(0);
    }
    wait(NULL);
    close(sv[0]), close(sv[1]);
}

static void named(void)
{
    struct sockaddr_un a = {AF_UNIX, "\0upass"}, from;
    socklen_t la = offsetof(struct sockaddr_un, sun_path) + 6, fl = sizeof from;
    int x = socket(AF_UNIX, SOCK_DGRAM, 0), y = socket(AF_UNIX, SOCK_DGRAM, 0), on = 1;
    char c;
    printf("-- named\n");
    CHECK(bind(x, (struct sockaddr *)&a, la));
    CHECK(sendto(y, "1", 1, 0, (struct sockaddr *)&a, la));
    CHECK(recvfrom(x, &c, 1, 0, (struct sockaddr *)&from, &fl));
    CHECK(fl);
    CHECK(setsockopt(x, SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    CHECK(sendto(y, "2", 1, 0, (struct sockaddr *)&a, la));
    fl = sizeof from;
    CHECK(recvfrom(x, &c, 1, 0, (struct sockaddr *)&from, &fl));
    CHECK(fl); /* the receiver's SO_PASSCRED names no sender */
    CHECK(setsockopt(y, SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    CHECK(sendto(y, "3", 1, 0, (struct sockaddr *)&a, la));
    fl = sizeof from;
    CHECK(recvfrom(x, &c, 1, 0, (struct sockaddr *)&from, &fl));
    CHECK(fl == offsetof(struct sockaddr_un, sun_path) + 6 && from.sun_path[0] == 0); /* the sender's: autobound */
    CHECK(connect(y, (struct sockaddr *)&a, la));
    peercred(y);
    close(x), close(y);
    /* seqpacket: the accepted end names who connected, the connecting end the listener's maker */
    struct sockaddr_un s = {AF_UNIX, "\0upass-seq"};
    socklen_t ls = offsetof(struct sockaddr_un, sun_path) + 10;
    int l = socket(AF_UNIX, SOCK_SEQPACKET, 0), k = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    peercred(k);
    CHECK(bind(l, (struct sockaddr *)&s, ls));
    CHECK(listen(l, 1));
    CHECK(connect(k, (struct sockaddr *)&s, ls));
    int acc = accept(l, NULL, NULL);
    peercred(acc);
    peercred(k);
    close(l), close(k), close(acc);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    creds(SOCK_DGRAM);
    creds(SOCK_SEQPACKET);
    named();
    return 0;
}
