/*
 * tests/linux/c/signalfd.c - signalfd and signalfd4: the flags and sizes
 * refused, reads of the pending signals of the mask as struct
 * signalfd_siginfo (kill, tgkill, sigqueue with its value, a child's
 * SIGCHLD with its status), several in one read, EAGAIN when there are
 * none, a read that waits for a child's signal, poll, select and epoll
 * readiness, a changed mask, SIGKILL and SIGSTOP left out, a thread's
 * read, the sender's and a child's uid, the file across fork, lseek and
 * the ioctls every file has, and how it shows in /proc.  One line per
 * check; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "showfile.h"

static void show(const struct signalfd_siginfo *si, pid_t from)
{
    printf("  signo %u errno %d code %d pid_is_sender %d uid %u status %d int %d ptr %llu\n", si->ssi_signo,
           si->ssi_errno, si->ssi_code, (pid_t)si->ssi_pid == from, si->ssi_uid, si->ssi_status, si->ssi_int,
           (unsigned long long)si->ssi_ptr);
}

/* One read of up to 4 records: how many, and each. */
static void read_show(int fd, pid_t from)
{
    struct signalfd_siginfo si[4];
    ssize_t n = read(fd, si, sizeof si);
    printf("read: %zd%s%s\n", n, n < 0 ? " " : "", n < 0 ? strerror(errno) : "");
    for (int i = 0; i < n / (ssize_t)sizeof si[0]; i++)
        show(&si[i], from);
}

/* A thread's read: a signal sent to the process, which every thread
 * blocks, is the thread's to read; one sent to the thread too. */
static pthread_mutex_t go = PTHREAD_MUTEX_INITIALIZER;

/* Reads once the main thread has printed its pthread_create line (it
 * holds go until then), so that the lines come in one order. */
static void *thread_reads(void *arg)
{
    int fd = *(int *)arg;
    pthread_mutex_lock(&go);
    pthread_mutex_unlock(&go);
    read_show(fd, getpid());
    syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2);
    read_show(fd, getpid());
    return NULL;
}

static long sfd4(int fd, const sigset_t *m, size_t size, int flags)
{
    return syscall(SYS_signalfd4, fd, m, size, flags);
}

int main(void)
{
    sigset_t m, all;
    pid_t me = getpid();
    setvbuf(stdout, NULL, _IONBF, 0); /* nothing buffered for a child to print again */
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    sigaddset(&m, SIGUSR2);
    sigaddset(&m, SIGRTMIN);
    sigaddset(&m, SIGCHLD);
    sigprocmask(SIG_BLOCK, &m, NULL);

    /* the errors */
    CHECK(sfd4(-1, &m, 8, 1));
    CHECK(sfd4(-1, &m, 4, 0));
    CHECK(sfd4(-1, &m, 16, 0));
    CHECK(sfd4(-1, (sigset_t *)16, 8, 0));
    CHECK(sfd4(77, &m, 8, 0));
    CHECK(sfd4(0, &m, 8, 0));
    CHECK(syscall(SYS_signalfd, -1, &m, 4));

    int fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
    CHECK(fd >= 0);
    CHECK(fcntl(fd, F_GETFD));
    CHECK(fcntl(fd, F_GETFL) & (O_NONBLOCK | O_ACCMODE));
    show_file(fd);

    /* nothing pending; a buffer too small */
    read_show(fd, me);
    char small[64];
    CHECK(read(fd, small, sizeof small));
    CHECK(write(fd, small, 8));
    CHECK(lseek(fd, 5, SEEK_SET)); /* an anonymous inode's: any seek, and it stays at 0 */
    CHECK(pread(fd, small, sizeof small, 0));
    int on = 0;
    CHECK(ioctl(fd, FIONBIO, &on));
    CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
    on = 1;
    CHECK(ioctl(fd, FIONBIO, &on));
    CHECK(ioctl(fd, FIONBIO, (int *)16));
    CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
    CHECK(ioctl(fd, FIONCLEX));
    CHECK(fcntl(fd, F_GETFD));
    CHECK(ioctl(fd, FIOCLEX));
    CHECK(fcntl(fd, F_GETFD));
    CHECK(ioctl(fd, FIONREAD, &on));
    struct pollfd pfd = {fd, POLLIN | POLLOUT, 0};
    CHECK(poll(&pfd, 1, 0));

    /* kill, tgkill, and a too-small read with one pending */
    CHECK(kill(me, SIGUSR1));
    CHECK(read(fd, small, sizeof small));
    CHECK(poll(&pfd, 1, 0));
    printf("revents %#x\n", pfd.revents);
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(fd, &rs);
    struct timeval tv = {0, 0};
    CHECK(select(fd + 1, &rs, NULL, NULL, &tv));
    sigset_t pend;
    sigpending(&pend);
    CHECK(sigismember(&pend, SIGUSR1));
    read_show(fd, me);
    sigpending(&pend);
    CHECK(sigismember(&pend, SIGUSR1));
    CHECK(syscall(SYS_tgkill, me, me, SIGUSR2));
    read_show(fd, me);
    CHECK(kill(me, SIGUSR1));
    CHECK(kill(me, SIGUSR1)); /* merged with the one pending */
    read_show(fd, me);

    /* sigqueue's value, queued real-time signals in one read */
    union sigval v = {.sival_int = 42};
    CHECK(sigqueue(me, SIGRTMIN, v));
    v.sival_int = 43;
    CHECK(sigqueue(me, SIGRTMIN, v));
    CHECK(kill(me, SIGUSR2));
    read_show(fd, me);
    read_show(fd, me);

    /* a read to a bad address loses the signal, as on Linux */
    CHECK(kill(me, SIGUSR1));
    CHECK(read(fd, (void *)16, 128));
    read_show(fd, me);

    /* a signal outside the mask stays pending */
    sigset_t hup;
    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    sigprocmask(SIG_BLOCK, &hup, NULL);
    CHECK(kill(me, SIGHUP));
    read_show(fd, me);
    sigpending(&pend);
    CHECK(sigismember(&pend, SIGHUP));

    /* a new mask for the same file: SIGKILL and SIGSTOP left out silently */
    sigset_t m2;
    sigemptyset(&m2);
    sigaddset(&m2, SIGHUP);
    sigaddset(&m2, SIGKILL);
    sigaddset(&m2, SIGSTOP);
    CHECK(signalfd(fd, &m2, 0) == fd);
    read_show(fd, me);
    CHECK(signalfd(fd, &m, SFD_NONBLOCK) == fd); /* the flags of an existing one are not changed */

    /* SIGCHLD of a child that exits 7 */
    pid_t child = fork();
    if (child == 0)
        _exit(7);
    pfd.events = POLLIN;
    CHECK(poll(&pfd, 1, 5000)); /* until its SIGCHLD comes */
    read_show(fd, child);
    CHECK(waitpid(child, NULL, 0) == child);

    /* a blocking read, woken by the child's signal */
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    int bfd = signalfd(-1, &usr2, 0);
    CHECK(bfd >= 0);
    child = fork();
    if (child == 0) {
        usleep(100000);
        kill(getppid(), SIGUSR2);
        _exit(0);
    }
    read_show(bfd, child);
    waitpid(child, NULL, 0);
    read_show(fd, child); /* its SIGCHLD */

    /* poll and epoll that wait for a signal */
    child = fork();
    if (child == 0) {
        usleep(100000);
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    CHECK(poll(&pfd, 1, 5000));
    printf("revents %#x\n", pfd.revents);
    waitpid(child, NULL, 0);
    read_show(fd, child);
    read_show(fd, child);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 5}, out[2];
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
    CHECK(epoll_wait(ep, out, 2, 0));
    child = fork();
    if (child == 0) {
        usleep(100000);
        kill(getppid(), SIGRTMIN);
        _exit(0);
    }
    CHECK(epoll_wait(ep, out, 2, 5000));
    printf("events %#x data %lu\n", out[0].events, (unsigned long)out[0].data.u64);
    waitpid(child, NULL, 0);
    read_show(fd, child);
    read_show(fd, child);

    /* across fork: the child reads its own signals with the same file */
    child = fork();
    if (child == 0) {
        read_show(fd, getpid());
        kill(getpid(), SIGUSR2);
        read_show(fd, getpid());
        _exit(0);
    }
    waitpid(child, NULL, 0);
    read_show(fd, child);

    /* a thread reads the process's signal, and its own */
    CHECK(kill(me, SIGUSR1));
    pthread_t th;
    pthread_mutex_lock(&go);
    CHECK(pthread_create(&th, NULL, thread_reads, &fd));
    pthread_mutex_unlock(&go);
    CHECK(pthread_join(th, NULL));

    /* si_uid: the sender's real uid; a child's for SIGCHLD, with its
     * signal when killed */
    CHECK(setresuid(1000, 0, 0));
    CHECK(kill(me, SIGUSR1));
    read_show(fd, me);
    child = fork();
    if (child == 0) {
        setresuid(2000, 2000, 2000);
        _exit(3);
    }
    waitpid(child, NULL, 0);
    read_show(fd, child);
    child = fork();
    if (child == 0) {
        raise(SIGKILL);
        _exit(3);
    }
    waitpid(child, NULL, 0);
    read_show(fd, child);
    CHECK(setresuid(0, 0, 0));

    /* a blocked SIGCHLD whose action is to ignore stays pending; set to
     * SIG_IGN it goes */
    CHECK(kill(me, SIGCHLD));
    sigpending(&pend);
    CHECK(sigismember(&pend, SIGCHLD));
    signal(SIGCHLD, SIG_IGN);
    sigpending(&pend);
    CHECK(sigismember(&pend, SIGCHLD));
    signal(SIGCHLD, SIG_DFL);
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    CHECK(close(fd));
    CHECK(close(bfd));
    return 0;
}
