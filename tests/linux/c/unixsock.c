/*
 * tests/linux/c/unixsock.c - AF_UNIX stream sockets with names: socket,
 * bind (a path, an abstract name, autobind), listen, connect, accept and
 * accept4, the errors of each, getsockname/getpeername, poll on a
 * listening socket, a blocked accept woken by a connection, data both
 * ways, MSG_PEEK, and the sender's name from recvfrom and recvmsg; and a
 * connection reset: an end closed with data unread, or a listener closed
 * with connections never accepted, leaves ECONNRESET to its peer's next
 * read (and in poll and SO_ERROR), after the data already sent.  And
 * MSG_WAITALL: a receive that waits for all it asked, across several
 * sends, unless the peer ends first or a signal comes.  And descriptors
 * passed with the bytes (SCM_RIGHTS).  And a full backlog: a connect
 * waits for an accept to make room (EAGAIN if nonblocking), or fails with
 * ECONNREFUSED if the listener closes.  The output must equal the host
 * Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static socklen_t addr_of(struct sockaddr_un *a, const char *path)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, path);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

/* What getsockname or getpeername says: the length, and the name. */
static void show_name(const char *what, int fd, int peer)
{
    struct sockaddr_un a;
    socklen_t len = sizeof a;
    memset(&a, 0x55, sizeof a);
    int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len) : getsockname(fd, (struct sockaddr *)&a, &len);
    if (r < 0) {
        printf("%s: %s\n", what, strerror(errno));
        return;
    }
    if (len > offsetof(struct sockaddr_un, sun_path) && a.sun_path[0] == 0)
        printf("%s: len %u, family %d, abstract \"%.*s\"\n", what, (unsigned)len, a.sun_family,
               (int)(len - offsetof(struct sockaddr_un, sun_path) - 1), a.sun_path + 1);
    else
        printf("%s: len %u, family %d, path \"%s\"\n", what, (unsigned)len, a.sun_family,
               len > offsetof(struct sockaddr_un, sun_path) ? a.sun_path : "");
}

static void errors(void)
{
    struct sockaddr_un a;
    char buf[8];
    CHECK(socket(99, SOCK_STREAM, 0));
    CHECK(socket(AF_UNIX, SOCK_STREAM | 0x1000, 0));
    CHECK(socket(AF_UNIX, SOCK_STREAM, 6));
    CHECK(socket(AF_UNIX, 7, 0));
    CHECK(socket(AF_UNIX, 12, 0));
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(s >= 0);
    CHECK(listen(s, 5));
    CHECK(write(s, "x", 1));
    CHECK(read(s, buf, 1));
    CHECK(send(s, "x", 1, MSG_NOSIGNAL));
    int u = socket(AF_UNIX, SOCK_STREAM, 0);
    struct pollfd up = {u, POLLIN | POLLOUT, 0};
    CHECK(poll(&up, 1, 0) * 1000 + up.revents);
    CHECK(shutdown(u, SHUT_RD));
    CHECK(poll(&up, 1, 0) * 1000 + up.revents);
    CHECK(shutdown(u, SHUT_RDWR));
    CHECK(poll(&up, 1, 0) * 1000 + up.revents);
    CHECK(read(u, buf, 1));
    CHECK(shutdown(u, 3));
    close(u);
    CHECK(accept(s, NULL, NULL));
    show_name("unbound name", s, 0);
    show_name("unconnected peer", s, 1);
    CHECK(connect(s, (struct sockaddr *)&a, addr_of(&a, "no-such-socket")));
    close(open("plain", O_CREAT | O_WRONLY, 0600));
    CHECK(connect(s, (struct sockaddr *)&a, addr_of(&a, "plain")));
    CHECK(bind(s, (struct sockaddr *)&a, addr_of(&a, "plain")));
    CHECK(bind(s, (struct sockaddr *)&a, 1));
    CHECK(bind(s, (struct sockaddr *)&a, sizeof a + 1));
    CHECK(bind(s, (struct sockaddr *)8, sizeof a));
    a.sun_family = AF_INET;
    CHECK(bind(s, (struct sockaddr *)&a, sizeof a));
    CHECK(bind(s, (struct sockaddr *)&a, addr_of(&a, "no/such/dir/s")));
    CHECK(bind(s, (struct sockaddr *)&a, addr_of(&a, "bound")));
    show_name("bound name", s, 0);
    CHECK(bind(s, (struct sockaddr *)&a, addr_of(&a, "again")));
    struct stat st;
    CHECK(stat("bound", &st) + S_ISSOCK(st.st_mode) * 10);
    CHECK(open("bound", O_RDONLY));
    int t = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(connect(t, (struct sockaddr *)&a, addr_of(&a, "bound")));
    CHECK(listen(s, 5));
    CHECK(listen(s, 7));
    struct pollfd lp = {s, POLLIN | POLLOUT, 0};
    CHECK(poll(&lp, 1, 0) * 1000 + lp.revents);
    int v;
    socklen_t vl = sizeof v;
    CHECK(getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl) + v * 10);
    CHECK(getsockopt(t, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl) + v * 10);
    CHECK(connect(s, (struct sockaddr *)&a, addr_of(&a, "bound")));
    CHECK(write(s, "x", 1));
    CHECK(read(s, buf, 1));
    CHECK(syscall(SYS_accept4, s, NULL, NULL, 0x1000)); /* musl's accept4 would retry as accept */
    CHECK(syscall(SYS_accept4, 99, NULL, NULL, 0x1000));
    close(s);
    CHECK(connect(t, (struct sockaddr *)&a, addr_of(&a, "bound")));
    close(t);
    CHECK(unlink("bound") + unlink("plain"));
    /* mknod makes a socket node nobody listens on */
    CHECK(mknod("made", S_IFSOCK | 0600, 0));
    CHECK(stat("made", &st) + S_ISSOCK(st.st_mode) * 10);
    t = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(connect(t, (struct sockaddr *)&a, addr_of(&a, "made")));
    CHECK(bind(t, (struct sockaddr *)&a, addr_of(&a, "made")));
    close(t);
    CHECK(unlink("made"));
}

/* A server that accepts two connections; the first client connects
 * before the accept, the second while it waits. */
static void conversation(void)
{
    struct sockaddr_un a, peer;
    socklen_t len = addr_of(&a, "srv");
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(bind(s, (struct sockaddr *)&a, len) + listen(s, 4));
    show_name("server name", s, 0);
    struct pollfd pf = {s, POLLIN, 0};
    CHECK(poll(&pf, 1, 0));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        for (int i = 0; i < 2; i++) {
            if (i == 1)
                usleep(200000); /* the server waits in accept by now */
            int c = socket(AF_UNIX, SOCK_STREAM, 0);
            if (connect(c, (struct sockaddr *)&a, len) < 0)
                _exit(1);
            char msg[32], back[32] = {0};
            int n = snprintf(msg, sizeof msg, "hello %d", i);
            if (write(c, msg, (size_t)n) != n || read(c, back, sizeof back - 1) <= 0)
                _exit(2);
            printf("client %d got \"%s\"\n", i, back);
            show_name("client peer", c, 1);
            fflush(stdout);
            close(c);
        }
        _exit(0);
    }
    usleep(100000);
    CHECK(poll(&pf, 1, 1000) * 1000 + pf.revents);
    for (int i = 0; i < 2; i++) {
        socklen_t pl = sizeof peer;
        int c = accept4(s, (struct sockaddr *)&peer, &pl, i ? SOCK_NONBLOCK : 0);
        CHECK(c >= 0);
        printf("accepted %d: peer address length %u, family %d\n", i, (unsigned)pl, peer.sun_family);
        show_name("accepted name", c, 0);
        char buf[32] = {0};
        int flags = fcntl(c, F_GETFL);
        if (i)
            while (read(c, buf, sizeof buf - 1) < 0 && errno == EAGAIN)
                usleep(10000);
        else
            read(c, buf, sizeof buf - 1);
        printf("server read \"%s\", nonblocking %d\n", buf, (flags & O_NONBLOCK) != 0);
        buf[0] = 'H';
        write(c, buf, strlen(buf));
        
        close(c);
    }
    int status;
    waitpid(child, &status, 0);
    CHECK(status);
    close(s);
    unlink("srv");
}

/* Names outside the file system: abstract ones, and autobind. */
static void abstract(void)
{
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    memcpy(a.sun_path, "\0persona-test", 13);
    socklen_t len = offsetof(struct sockaddr_un, sun_path) + 13;
    int s = socket(AF_UNIX, SOCK_STREAM, 0), t = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(bind(s, (struct sockaddr *)&a, len) + listen(s, 1));
    show_name("abstract name", s, 0);
    CHECK(bind(t, (struct sockaddr *)&a, len));
    CHECK(connect(t, (struct sockaddr *)&a, len));
    int c = accept(s, NULL, NULL);
    CHECK(c >= 0);
    CHECK(write(t, "ab", 2));
    char buf[4] = {0};
    CHECK(recv(c, buf, 1, MSG_PEEK));
    CHECK(recv(c, buf, sizeof buf, MSG_PEEK));
    CHECK(read(c, buf, sizeof buf));
    printf("read back \"%s\"\n", buf);
    CHECK(recv(c, buf, 1, MSG_PEEK | MSG_DONTWAIT));
    /* a sender with a name: recvfrom and recvmsg give it */
    CHECK(write(c, "cd", 2));
    struct sockaddr_un from;
    socklen_t fl = sizeof from;
    memset(&from, 0, sizeof from);
    CHECK(recvfrom(t, buf, 1, 0, (struct sockaddr *)&from, &fl));
    printf("recvfrom an abstract sender: len %u, \"%.*s\"\n", (unsigned)fl, (int)(fl > 3 ? fl - 3 : 0),
           from.sun_path + 1);
    struct iovec io = {buf, 1};
    struct msghdr mh = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &io, .msg_iovlen = 1};
    CHECK(recvmsg(t, &mh, 0));
    printf("recvmsg: namelen %u\n", (unsigned)mh.msg_namelen);
    CHECK(write(t, "e", 1));
    fl = sizeof from;
    CHECK(recvfrom(c, buf, 1, 0, (struct sockaddr *)&from, &fl));
    printf("recvfrom an unnamed sender: len %u\n", (unsigned)fl);
    close(c), close(t), close(s);
    s = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(bind(s, (struct sockaddr *)&a, sizeof(sa_family_t)));
    struct sockaddr_un got;
    socklen_t gl = sizeof got;
    getsockname(s, (struct sockaddr *)&got, &gl);
    printf("autobind: len %u, abstract %d\n", (unsigned)gl, got.sun_path[0] == 0);
    close(s);
    t = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(connect(t, (struct sockaddr *)&a, len));
    close(t);
    s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    CHECK(bind(s, (struct sockaddr *)&a, sizeof(sa_family_t)) + listen(s, 1));
    CHECK(accept(s, NULL, NULL));
    close(s);
}

static void on_alarm(int sig) { (void)sig; }

/* A blocked accept that a signal interrupts: EINTR without SA_RESTART. */
static void interrupted(void)
{
    struct sockaddr_un a;
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(bind(s, (struct sockaddr *)&a, addr_of(&a, "intr")) + listen(s, 1));
    struct sigaction sa = {.sa_handler = on_alarm};
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &it, NULL);
    CHECK(accept(s, NULL, NULL));
    close(s);
    unlink("intr");
}

/* What the peer of a reset sees: poll's bits, then reads until the end. */
static void after_reset(int fd)
{
    struct pollfd pfd = {fd, POLLIN | POLLOUT, 0};
    CHECK(poll(&pfd, 1, 0));
    printf("revents %#x\n", pfd.revents);
    char b[8];
    CHECK(read(fd, b, sizeof b));
    CHECK(read(fd, b, sizeof b));
    CHECK(read(fd, b, sizeof b));
    CHECK(send(fd, "x", 1, MSG_NOSIGNAL));
}

static void reset(void)
{
    int sv[2], err;
    socklen_t len = sizeof err;
    /* closed with nothing unread: end of file, no error */
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    CHECK(write(sv[0], "hi", 2));
    char b[2];
    CHECK(read(sv[1], b, 2));
    close(sv[1]);
    after_reset(sv[0]);
    close(sv[0]);
    /* closed with data unread: the data it had sent first, then ECONNRESET once */
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    CHECK(write(sv[1], "bye", 3));
    CHECK(write(sv[0], "unread", 6));
    close(sv[1]);
    after_reset(sv[0]);
    close(sv[0]);
    /* SO_ERROR reports it, and clears it */
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    CHECK(write(sv[0], "unread", 6));
    close(sv[1]);
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_ERROR, &err, &len));
    printf("SO_ERROR %s\n", strerror(err));
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_ERROR, &err, &len));
    printf("SO_ERROR %d\n", err);
    CHECK(read(sv[0], b, 2));
    close(sv[0]);
    /* a listener closed before accepting: its clients are reset */
    struct sockaddr_un a;
    socklen_t al = addr_of(&a, "resetme");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(bind(s, (struct sockaddr *)&a, al) + listen(s, 2));
    int c1 = socket(AF_UNIX, SOCK_STREAM, 0), c2 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(connect(c1, (struct sockaddr *)&a, al));
    CHECK(connect(c2, (struct sockaddr *)&a, al));
    int in = accept(s, NULL, NULL);
    CHECK(write(in, "taken", 5));
    close(s);
    unlink("resetme");
    after_reset(c2); /* never accepted */
    CHECK(read(c1, b, 2)); /* accepted: it reads on */
    close(in);
    CHECK(read(c1, b, 2));
    CHECK(read(c1, b, 8));
    close(c1), close(c2);
}

/* A child that sends its parent's socket 3 bytes every 20 ms, n times,
 * then closes. */
static pid_t trickle(int fd, int n)
{
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < n; i++) {
            usleep(20000);
            write(fd, "abc", 3);
        }
        _exit(0);
    }
    return pid;
}

static void waitall(void)
{
    int sv[2];
    char b[16] = {0};
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    pid_t pid = trickle(sv[1], 4);
    CHECK(recv(sv[0], b, 9, MSG_WAITALL)); /* three sends */
    printf("got %s\n", b);
    memset(b, 0, sizeof b);
    close(sv[1]);
    CHECK(recv(sv[0], b, 9, MSG_WAITALL)); /* the fourth, then the end */
    printf("got %s\n", b);
    waitpid(pid, NULL, 0);
    close(sv[0]);
    /* a signal ends the wait with what came so far */
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    struct sigaction sa = {.sa_handler = on_alarm};
    sigaction(SIGALRM, &sa, NULL);
    write(sv[1], "abc", 3); /* there before the wait, whatever the load */
    struct itimerval it = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &it, NULL);
    CHECK(recv(sv[0], b, 9, MSG_WAITALL));
    CHECK(recv(sv[0], b, 9, MSG_WAITALL | MSG_DONTWAIT));
    CHECK(write(sv[1], "0123456789", 10));
    CHECK(recv(sv[0], b, 9, MSG_WAITALL | MSG_DONTWAIT));
    close(sv[0]), close(sv[1]);
}

/* sendmsg of the bytes in s with descriptors fds[0..n). */
static long send_fds(int sock, const char *s, const int *fds, int n)
{
    char ctl[CMSG_SPACE(4 * sizeof(int))] = {0};
    struct iovec iov = {(void *)s, strlen(s)};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = n ? ctl : NULL,
                       .msg_controllen = n ? CMSG_SPACE(n * sizeof(int)) : 0};
    if (n) {
        struct cmsghdr *h = CMSG_FIRSTHDR(&m);
        h->cmsg_level = SOL_SOCKET, h->cmsg_type = SCM_RIGHTS, h->cmsg_len = CMSG_LEN(n * sizeof(int));
        memcpy(CMSG_DATA(h), fds, n * sizeof(int));
    }
    return sendmsg(sock, &m, 0);
}

/* recvmsg into buf with room for room descriptors; prints what came. */
static void recv_fds(int sock, int room, int flags, int *got)
{
    char buf[16] = {0}, ctl[CMSG_SPACE(4 * sizeof(int))] = {0};
    struct iovec iov = {buf, sizeof buf - 1};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = room ? ctl : NULL,
                       .msg_controllen = room ? CMSG_SPACE(room * sizeof(int)) : 0};
    long r = recvmsg(sock, &m, flags);
    int n = 0;
    for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h))
        if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS) {
            n = (int)((h->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            memcpy(got, CMSG_DATA(h), n * sizeof(int));
        }
    printf("recvmsg = %ld \"%s\", %d descriptors, controllen %zu%s\n", r, buf, n, (size_t)m.msg_controllen,
           m.msg_flags & MSG_CTRUNC ? ", MSG_CTRUNC" : "");
}

static void pass_fds(void)
{
    int sv[2], p[2], got[4];
    char b[16] = {0};
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    int fd = open("passed", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(fd, "via scm", 7);
    pipe(p);
    write(p[1], "pipe!", 5);
    int two[2] = {fd, p[0]};
    CHECK(send_fds(sv[0], "x", two, 2));
    close(fd), close(p[0]);
    recv_fds(sv[1], 4, 0, got);
    CHECK(pread(got[0], b, 7, 0));
    printf("the file: %s\n", b);
    CHECK(read(got[1], b, 5));
    printf("the pipe: %.5s\n", b);
    CHECK(fcntl(got[0], F_GETFD));
    close(got[0]), close(got[1]);
    /* a read stops at the end of a message with descriptors */
    CHECK(send_fds(sv[0], "ab", NULL, 0));
    CHECK(send_fds(sv[0], "cd", &p[1], 1));
    CHECK(send_fds(sv[0], "ef", NULL, 0));
    recv_fds(sv[1], 4, MSG_CMSG_CLOEXEC, got);
    CHECK(fcntl(got[0], F_GETFD));
    struct stat st;
    CHECK(fstat(got[0], &st) == 0 && S_ISFIFO(st.st_mode));
    close(got[0]);
    recv_fds(sv[1], 4, 0, got);
    /* no room: dropped, MSG_CTRUNC; a plain read drops them too */
    CHECK(send_fds(sv[0], "gh", &p[1], 1));
    recv_fds(sv[1], 0, 0, got);
    CHECK(send_fds(sv[0], "ij", &p[1], 1));
    CHECK(read(sv[1], b, sizeof b));
    int bad = 99;
    CHECK(send_fds(sv[0], "kl", &bad, 1));
    /* a control buffer the process cannot write: MSG_CTRUNC, and no descriptor left behind */
    CHECK(send_fds(sv[0], "mn", &p[1], 1));
    struct iovec iov = {b, sizeof b};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = (void *)16, .msg_controllen = 24};
    CHECK(recvmsg(sv[1], &m, 0));
    printf("flags %#x, controllen %zu\n", m.msg_flags, (size_t)m.msg_controllen);
    int next = dup(0);
    printf("the lowest free descriptor: %d\n", next); /* none was installed */
    close(next);
    close(p[1]);
    close(sv[0]), close(sv[1]);
    unlink("passed");
}

/* A child that connects to a (full) listener at path, blocking, and
 * reports the result on the pipe r: its errno, or 0. */
static pid_t connect_later(const char *path, int *r)
{
    int p[2];
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        for (int fd = 3; fd < 64; fd++) /* the listener's descriptor above all: it must not hold it open */
            if (fd != p[1])
                close(fd);
        struct sockaddr_un a;
        socklen_t al = addr_of(&a, path);
        int s = socket(AF_UNIX, SOCK_STREAM, 0);
        int e = connect(s, (struct sockaddr *)&a, al) < 0 ? errno : 0;
        if (!e)
            write(s, "in", 2);
        write(p[1], &e, sizeof e);
        _exit(0);
    }
    close(p[1]);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    *r = p[0];
    return pid;
}

static void backlog(void)
{
    struct sockaddr_un a;
    socklen_t al = addr_of(&a, "full");
    int s = socket(AF_UNIX, SOCK_STREAM, 0), e, r;
    char b[4] = {0};
    CHECK(bind(s, (struct sockaddr *)&a, al) + listen(s, 0));
    int c1 = socket(AF_UNIX, SOCK_STREAM, 0), c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    CHECK(connect(c1, (struct sockaddr *)&a, al));
    CHECK(connect(c2, (struct sockaddr *)&a, al)); /* the backlog is full */
    pid_t pid = connect_later("full", &r);
    usleep(100000);
    CHECK(read(r, &e, sizeof e)); /* it waits */
    int in = accept(s, NULL, NULL);
    CHECK(in >= 0); /* c1's: room for the waiting one */
    waitpid(pid, NULL, 0);
    CHECK(read(r, &e, sizeof e));
    printf("the waiting connect: %s\n", e ? strerror(e) : "connected");
    int in2 = accept(s, NULL, NULL);
    CHECK(read(in2, b, 2));
    printf("from it: %s\n", b);
    close(in), close(in2), close(r);
    /* the listener closes while a connect waits */
    int c4 = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(connect(c4, (struct sockaddr *)&a, al)); /* full again */
    pid = connect_later("full", &r);
    usleep(100000);
    close(s);
    waitpid(pid, NULL, 0);
    CHECK(read(r, &e, sizeof e));
    printf("the waiting connect: %s\n", e ? strerror(e) : "connected");
    close(r), close(c1), close(c2), close(c4);
    unlink("full");
}

int main(void)
{
    errors();
    conversation();
    abstract();
    interrupted();
    reset();
    waitall();
    pass_fds();
    backlog();
    return 0;
}
