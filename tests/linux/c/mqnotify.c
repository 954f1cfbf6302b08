/*
 * tests/linux/c/mqnotify.c - mq_notify's SIGEV_THREAD, as the C library
 * makes it: a netlink socket gets the caller's 32-byte cookie from the
 * kernel (port 0) with its last byte NOTIFY_WOKENUP (1) when a message
 * comes to the empty queue, or NOTIFY_REMOVED (2) when the registration
 * is taken back; musl's thread waits on it in a blocking recv and calls
 * the function.  The raw call's errors in Linux's order: the cookie's
 * address (EFAULT), the socket's descriptor (EBADF, ENOTSOCK, EINVAL for
 * another family), then the queue's (EBADF) and a registration there is
 * (EBUSY).  The registration goes when its process closes any
 * descriptor of the queue (Linux's mqueue_flush_file: NOTIFY_REMOVED to
 * a SIGEV_THREAD's socket), not when another process closes its own.
 * And with no descriptor free, mq_open and open with O_CREAT
 * fail with EMFILE before they make anything (Linux's
 * get_unused_fd_flags first).
 */
#define _GNU_SOURCE
#include "check.h"
#include <mqueue.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* struct sockaddr_nl (linux/netlink.h) */
struct nl_name {
    unsigned short family, pad;
    unsigned pid, groups;
};

static volatile int called, value;
static volatile long received;
static mqd_t q;

/* the thread's: it prints nothing, the main thread's lines stay in order */
static void on_message(union sigval sv)
{
    char b[16];
    value = sv.sival_int;
    received = (long)mq_receive(q, b, sizeof b, NULL);
    called++;
}

static void through_libc(void)
{
    struct mq_attr a = {.mq_maxmsg = 1, .mq_msgsize = 16};
    mq_unlink("/mqnotify_t");
    q = mq_open("/mqnotify_t", O_CREAT | O_RDWR, 0600, &a);
    CHECK(q >= 0);
    struct sigevent sev = {.sigev_notify = SIGEV_THREAD, .sigev_notify_function = on_message,
                           .sigev_value.sival_int = 0x1234};
    CHECK(mq_notify(q, &sev));
    CHECK(mq_notify(q, &sev));
    CHECK(mq_notify(q, NULL)); /* the first thread hears NOTIFY_REMOVED and ends */
    CHECK(mq_notify(q, &sev));
    CHECK(mq_send(q, "hello", 5, 1));
    for (int i = 0; i < 500 && !called; i++)
        usleep(10000);
    CHECK(called);
    CHECK(value);
    CHECK(received);
}

static void raw(void)
{
    unsigned char cookie[32] = {0}, buf[64];
    int nl = socket(AF_NETLINK, SOCK_RAW, 0), us = socket(AF_UNIX, SOCK_DGRAM, 0);
    int null = open("/dev/null", O_RDONLY);
    struct sigevent r = {.sigev_notify = SIGEV_THREAD, .sigev_signo = nl};
    CHECK(syscall(SYS_mq_notify, q, &r));
    r.sigev_value.sival_ptr = cookie;
    r.sigev_signo = 1000;
    CHECK(syscall(SYS_mq_notify, q, &r));
    r.sigev_signo = null;
    CHECK(syscall(SYS_mq_notify, q, &r));
    r.sigev_signo = us;
    CHECK(syscall(SYS_mq_notify, q, &r));
    r.sigev_signo = nl;
    CHECK(syscall(SYS_mq_notify, -1, &r));
    CHECK(syscall(SYS_mq_notify, null, &r));
    memset(cookie, 7, sizeof cookie);
    CHECK(syscall(SYS_mq_notify, q, &r));
    memset(cookie, 9, sizeof cookie); /* the cookie was copied at the call */
    CHECK(syscall(SYS_mq_notify, q, &r));
    CHECK(recv(nl, buf, sizeof buf, MSG_DONTWAIT));
    CHECK(syscall(SYS_mq_notify, q, NULL));
    struct nl_name from;
    socklen_t fromlen = sizeof from;
    CHECK(recvfrom(nl, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen));
    CHECK(fromlen);
    CHECK(from.family);
    CHECK(from.pid);
    printf("cookie: %d %d %d\n", buf[0], buf[30], buf[31]);
    CHECK(syscall(SYS_mq_notify, q, &r));
    CHECK(mq_send(q, "x", 1, 0));
    CHECK(recv(nl, buf, sizeof buf, 0));
    printf("cookie: %d %d %d\n", buf[0], buf[30], buf[31]);
    CHECK(recv(nl, buf, sizeof buf, MSG_DONTWAIT));
    CHECK(syscall(SYS_mq_notify, q, &r));
    close(nl);
    CHECK(syscall(SYS_mq_notify, q, NULL));
    CHECK(mq_unlink("/mqnotify_t"));
}

/* A blocking recv of a netlink socket waits for a datagram: here one
 * another process sends to its port id. */
static void blocking_recv(void)
{
    int a = socket(AF_NETLINK, SOCK_RAW, 0), b = socket(AF_NETLINK, SOCK_RAW, 0);
    struct nl_name name = {AF_NETLINK, 0, 0, 0};
    socklen_t len = sizeof name;
    char buf[64];
    bind(a, (struct sockaddr *)&name, sizeof name);
    getsockname(a, (struct sockaddr *)&name, &len);
    pid_t child = fork();
    if (child == 0) {
        usleep(100000);
        struct nl_name to = {AF_NETLINK, 0, name.pid, 0};
        sendto(b, "ping", 4, 0, (struct sockaddr *)&to, sizeof to);
        _exit(0);
    }
    CHECK(recv(a, buf, sizeof buf, 0));
    CHECK(memcmp(buf, "ping", 4));
    waitpid(child, NULL, 0);
    close(a);
    close(b);
}

/* A registration goes when its process closes a descriptor of the queue. */
static void on_close(void)
{
    struct mq_attr a = {.mq_maxmsg = 1, .mq_msgsize = 16};
    mq_unlink("/mqnotify_c");
    mqd_t m = mq_open("/mqnotify_c", O_CREAT | O_RDWR, 0600, &a);
    struct sigevent none = {.sigev_notify = SIGEV_NONE};
    CHECK(mq_notify(m, &none));
    pid_t child = fork();
    if (child == 0) {
        close(m);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    CHECK(mq_notify(m, &none)); /* still registered: EBUSY */
    CHECK(close(dup(m)));
    CHECK(mq_notify(m, &none)); /* gone with the close: registered again */
    unsigned char cookie[32], buf[64];
    memset(cookie, 5, sizeof cookie);
    int nl = socket(AF_NETLINK, SOCK_RAW, 0);
    struct sigevent th = {.sigev_notify = SIGEV_THREAD, .sigev_signo = nl, .sigev_value.sival_ptr = cookie};
    CHECK(close(dup(m)));
    CHECK(syscall(SYS_mq_notify, m, &th));
    CHECK(close(dup(m)));
    CHECK(recv(nl, buf, sizeof buf, MSG_DONTWAIT));
    printf("cookie: %d %d\n", buf[0], buf[31]);
    close(nl);
    mq_close(m);
    CHECK(mq_unlink("/mqnotify_c"));
}

static void no_descriptor(void)
{
    struct rlimit rl = {16, 16};
    setrlimit(RLIMIT_NOFILE, &rl);
    while (dup(0) >= 0)
        ;
    CHECK(mq_open("/mqnotify_u", O_CREAT | O_RDWR, 0600, NULL));
    CHECK(mq_unlink("/mqnotify_u"));
    CHECK(open("mqnotify_file", O_CREAT | O_RDWR, 0600));
    CHECK(unlink("mqnotify_file"));
    CHECK(syscall(SYS_memfd_create, "x", 0));
    int fds[2];
    CHECK(pipe(fds));
}

int main(void)
{
    through_libc();
    raw();
    blocking_recv();
    on_close();
    no_descriptor();
    return 0;
}
