/*
 * tests/linux/c/mqueue.c - POSIX message queues: mq_open (O_CREAT,
 * O_EXCL, attributes and their limits, bad names, permissions),
 * mq_send and mq_receive by priority, EMSGSIZE, EAGAIN with O_NONBLOCK,
 * a receiver and a sender that wait for another process, absolute
 * timeouts (ETIMEDOUT), mq_getsetattr, mq_notify (a signal for a message
 * to an empty queue, EBUSY for a second process), poll, read of the
 * descriptor's status line, mq_unlink (the queue lives on while open),
 * and /proc/sys/fs/mqueue.  The output must equal the host Linux's (run
 * as root).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static char name[64];

static void attr(mqd_t q)
{
    struct mq_attr a;
    if (mq_getattr(q, &a) < 0)
        printf("mq_getattr: %s\n", strerror(errno));
    else
        printf("flags %#lx maxmsg %ld msgsize %ld curmsgs %ld\n", a.mq_flags, a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs);
}

static void recv1(mqd_t q, size_t size)
{
    char buf[9000];
    unsigned prio = 99;
    ssize_t n = mq_receive(q, buf, size, &prio);
    if (n < 0)
        printf("mq_receive = -1 %s\n", strerror(errno));
    else
        printf("mq_receive = %zd \"%.*s\" prio %u\n", n, (int)n, buf, prio);
}

static int reap(pid_t pid)
{
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

static volatile int got, code, value;
static void on_sig(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got = sig, code = si->si_code, value = si->si_value.sival_int;
}

static struct timespec soon(long ms)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += ms * 1000000;
    t.tv_sec += t.tv_nsec / 1000000000;
    t.tv_nsec %= 1000000000;
    return t;
}

static void show_file(const char *path)
{
    char buf[64] = "";
    FILE *f = fopen(path, "r");
    if (f && fgets(buf, sizeof buf, f))
        printf("%s: %s", path, buf);
    else
        printf("%s: %s\n", path, strerror(errno));
    if (f)
        fclose(f);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    umask(022);
    snprintf(name, sizeof name, "/persona-test-%d", getpid());
    show_file("/proc/sys/fs/mqueue/msg_max");
    show_file("/proc/sys/fs/mqueue/msgsize_max");
    show_file("/proc/sys/fs/mqueue/msg_default");
    show_file("/proc/sys/fs/mqueue/msgsize_default");
    show_file("/proc/sys/fs/mqueue/queues_max");

    /* mq_open */
    CHECK(mq_open(name, O_RDWR));
    CHECK(syscall(SYS_mq_open, "a/b", O_RDWR | O_CREAT, 0600, NULL));
    CHECK(syscall(SYS_mq_open, "", O_RDWR | O_CREAT, 0600, NULL));
    CHECK(syscall(SYS_mq_open, (char *)16, O_RDWR | O_CREAT, 0600, NULL));
    struct mq_attr a = {.mq_maxmsg = 0, .mq_msgsize = 16};
    CHECK(mq_open(name, O_RDWR | O_CREAT, 0600, &a));
    a.mq_maxmsg = 3, a.mq_msgsize = 0;
    CHECK(mq_open(name, O_RDWR | O_CREAT, 0600, &a));
    CHECK(mq_open(name, O_RDWR | O_CREAT, 0600, (struct mq_attr *)16));
    a.mq_msgsize = 16;
    mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0666, &a);
    CHECK(q >= 0);
    CHECK(mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a));
    mqd_t q2 = mq_open(name, O_RDONLY);
    CHECK(q2 >= 0);
    struct stat st;
    CHECK(fstat(q, &st));
    printf("mode %o size %lld\n", st.st_mode, (long long)st.st_size);
    CHECK(fcntl(q, F_GETFD));
    attr(q);

    /* send and receive by priority */
    CHECK(mq_send(q, "low", 3, 1));
    CHECK(mq_send(q, "high", 4, 5));
    CHECK(mq_send(q, "low2", 4, 1));
    CHECK(mq_send(q, "x", 1, 32768));
    CHECK(mq_send(q, "0123456789abcdefg", 17, 0));
    CHECK(mq_send(q2, "ro", 2, 0));
    attr(q);
    char rd[128] = "";
    CHECK(read(q, rd, sizeof rd - 1) > 0);
    printf("read: %s", rd);
    recv1(q, 15);
    recv1(q, 16);
    recv1(q2, 16);
    recv1(q, 16);
    struct pollfd pfd = {.fd = q, .events = POLLIN | POLLOUT};
    CHECK(poll(&pfd, 1, 0));
    printf("revents %#x\n", pfd.revents);

    /* O_NONBLOCK and mq_setattr */
    struct mq_attr nb = {.mq_flags = O_NONBLOCK}, old;
    CHECK(mq_setattr(q, &nb, &old));
    printf("old flags %#lx\n", old.mq_flags);
    recv1(q, 16);
    CHECK(mq_send(q, "a", 1, 0) == 0 && mq_send(q, "b", 1, 0) == 0 && mq_send(q, "c", 1, 0) == 0);
    CHECK(mq_send(q, "full", 4, 0));
    recv1(q, 16), recv1(q, 16), recv1(q, 16);
    attr(q);
    nb.mq_flags = O_RDWR;
    CHECK(mq_setattr(q, &nb, NULL));
    nb.mq_flags = 0;
    CHECK(mq_setattr(q, &nb, NULL));
    CHECK(mq_getattr(42, &old));
    CHECK(mq_getattr(0, &old));

    /* timeouts */
    struct timespec t = soon(50);
    char buf[64];
    CHECK(mq_timedreceive(q, buf, 16, NULL, &t));
    t.tv_nsec = 1000000000;
    CHECK(mq_timedreceive(q, buf, 16, NULL, &t));
    CHECK(mq_timedreceive(q, buf, 16, NULL, (struct timespec *)16));
    CHECK(mq_send(q, "a", 1, 0) == 0 && mq_send(q, "b", 1, 0) == 0 && mq_send(q, "c", 1, 0) == 0);
    t = soon(50);
    CHECK(mq_timedsend(q, "d", 1, 0, &t));
    recv1(q, 16), recv1(q, 16), recv1(q, 16);

    /* a receiver waits for another process's message; a sender for room */
    pid_t pid = fork();
    if (pid == 0) {
        usleep(200000);
        mq_send(q, "hello", 5, 3);
        _exit(0);
    }
    recv1(q, 16);
    reap(pid);
    mq_send(q, "1", 1, 0), mq_send(q, "2", 1, 0), mq_send(q, "3", 1, 0);
    pid = fork();
    if (pid == 0) {
        usleep(200000);
        char b[16];
        mq_receive(q, b, 16, NULL);
        _exit(0);
    }
    CHECK(mq_send(q, "4", 1, 0));
    reap(pid);
    recv1(q, 16), recv1(q, 16), recv1(q, 16);

    /* a signal: EINTR without SA_RESTART, the wait goes on with it */
    struct sigaction plain = {.sa_handler = (void (*)(int))on_sig};
    sigaction(SIGUSR2, &plain, NULL);
    pid = fork();
    if (pid == 0) {
        usleep(200000);
        kill(getppid(), SIGUSR2);
        _exit(0);
    }
    recv1(q, 16);
    reap(pid);
    plain.sa_flags = SA_RESTART;
    sigaction(SIGUSR2, &plain, NULL);
    pid = fork();
    if (pid == 0) {
        usleep(200000);
        kill(getppid(), SIGUSR2);
        usleep(200000);
        mq_send(q, "after", 5, 0);
        _exit(0);
    }
    recv1(q, 16);
    reap(pid);

    /* poll woken by another process's message */
    pid = fork();
    if (pid == 0) {
        usleep(200000);
        mq_send(q, "polled", 6, 0);
        _exit(0);
    }
    pfd.events = POLLIN;
    CHECK(poll(&pfd, 1, 5000));
    printf("revents %#x\n", pfd.revents);
    reap(pid);
    recv1(q, 16);

    /* mq_notify */
    struct sigaction sa = {.sa_sigaction = on_sig, .sa_flags = SA_SIGINFO};
    sigaction(SIGUSR1, &sa, NULL);
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1, .sigev_value.sival_int = 77};
    CHECK(mq_notify(q, &ev));
    CHECK(mq_notify(q, &ev));
    pid = fork();
    if (pid == 0) {
        CHECK(mq_notify(q, &ev));
        CHECK(mq_notify(q, NULL));
        _exit(0);
    }
    reap(pid);
    CHECK(mq_send(q, "n", 1, 0));
    printf("notified: sig %d code %d value %d\n", got, code, value);
    got = 0;
    CHECK(mq_send(q, "n2", 2, 0));
    printf("again: sig %d\n", got);
    CHECK(mq_notify(q, &ev)); /* the registration went with the signal */
    CHECK(mq_notify(q, NULL));
    ev.sigev_signo = 0;
    CHECK(mq_notify(q, &ev));
    ev.sigev_notify = 99;
    CHECK(mq_notify(q, &ev));
    recv1(q, 16), recv1(q, 16);

    /* permissions */
    pid = fork();
    if (pid == 0) {
        setgroups(0, NULL);
        if (setgid(2000) || setuid(2000))
            _exit(9);
        struct mq_attr big = {.mq_maxmsg = 11, .mq_msgsize = 16};
        char other[80];
        snprintf(other, sizeof other, "%s-user", name);
        CHECK(mq_open(other, O_RDWR | O_CREAT, 0600, &big));
        big.mq_maxmsg = 10, big.mq_msgsize = 8193;
        CHECK(mq_open(other, O_RDWR | O_CREAT, 0600, &big));
        CHECK(mq_open(name, O_RDONLY) >= 0);
        CHECK(mq_open(name, O_WRONLY) >= 0);
        CHECK(mq_unlink(name));
        mqd_t mine = mq_open(other, O_RDWR | O_CREAT, 0600, NULL);
        CHECK(mine >= 0);
        attr(mine);
        CHECK(mq_unlink(other));
        _exit(0);
    }
    printf("child: %d\n", reap(pid));
    CHECK(fchmod(q, 0600));
    pid = fork();
    if (pid == 0) {
        setgroups(0, NULL);
        if (setgid(2000) || setuid(2000))
            _exit(9);
        CHECK(mq_open(name, O_RDONLY));
        _exit(0);
    }
    printf("child: %d\n", reap(pid));

    /* mq_unlink: the queue lives on while open */
    CHECK(mq_unlink(name));
    CHECK(mq_unlink(name));
    CHECK(mq_open(name, O_RDWR));
    CHECK(mq_send(q, "still", 5, 0));
    recv1(q2, 16);
    CHECK(mq_close(q));
    CHECK(mq_close(q2));
    CHECK(mq_send(q, "closed", 6, 0));
    CHECK(mq_send(0, "stdin", 5, 0));
    return 0;
}
