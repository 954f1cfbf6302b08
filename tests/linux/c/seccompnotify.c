/*
 * tests/linux/c/seccompnotify.c - seccomp user notification: a filter
 * installed with SECCOMP_FILTER_FLAG_NEW_LISTENER gives a listener
 * descriptor (close-on-exec, anon_inode:seccomp notify); a call the filter
 * answers SECCOMP_RET_USER_NOTIF waits while a supervisor (a child that
 * shares the listener) receives the notification (NOTIF_RECV: the call,
 * its arguments, the caller's pid), checks it (NOTIF_ID_VALID) and
 * answers (NOTIF_SEND): a value, an error, or FLAG_CONTINUE, which runs
 * the call, and NOTIF_ADDFD (a descriptor given to the waiting process,
 * and with ADDFD_SEND returned by its call).  Poll on the listener, the ioctls' errors, a signal
 * interrupting a waiting call, and the listener's close: the waiting
 * call, and every one after, ENOSYS.  The output must equal the host
 * Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "seccompbpf.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct seccomp_data {
    int nr;
    uint32_t arch;
    uint64_t ip, args[6];
};
struct seccomp_notif {
    uint64_t id;
    uint32_t pid, flags;
    struct seccomp_data data;
};
struct seccomp_notif_resp {
    uint64_t id;
    int64_t val;
    int32_t error;
    uint32_t flags;
};
#define NEW_LISTENER 8u
#define TSYNC 1u
#define CONTINUE 1u
#define NOTIF_RECV 0xc0502100ul
#define NOTIF_SEND 0xc0182101ul
#define NOTIF_ID_VALID 0x40082102ul
#define NOTIF_ADDFD 0x40182103ul
#define NOTIF_ADDFD_BIG 0x40202103ul /* a longer struct: its extra bytes must be zeros */
#define ADDFD_SETFD 1u
#define ADDFD_SEND 2u

struct seccomp_notif_addfd {
    uint64_t id;
    uint32_t flags, srcfd, newfd, newfd_flags;
    uint64_t extra;
};

static int listener = -1;
static pid_t target;

static long install(unsigned flags)
{
    struct sock_filter f[] = {LD_NR,
                              JEQ(SYS_getppid, 3, 0),
                              JEQ(SYS_dup, 2, 0),
                              JEQ(SYS_getpgid, 1, 0),
                              RET(ALLOW),
                              RET(NOTIF)};
    return install_flags(f, sizeof f / sizeof f[0], flags);
}

static void nap(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static const char *call_name(int nr)
{
    return nr == SYS_getppid ? "getppid" : nr == SYS_dup ? "dup" : nr == SYS_getpgid ? "getpgid" : "other";
}

/* Receives the next notification and says what it names. */
static struct seccomp_notif receive(void)
{
    struct seccomp_notif n = {0};
    CHECK(ioctl(listener, NOTIF_RECV, &n));
    long arg = n.data.nr == SYS_getppid ? 0 : (long)n.data.args[0]; /* getppid's is whatever rdi held */
    printf("  supervisor: %s(%ld), from the target: %d, arch ok: %d\n", call_name(n.data.nr), arg,
           n.pid == (uint32_t)target, n.data.arch == 0xc000003e);
    return n;
}

/* An answer that the ioctl refuses: the target still waits. */
static void refused(uint64_t id, int64_t val, int32_t error, uint32_t flags)
{
    struct seccomp_notif_resp r = {id, val, error, flags};
    CHECK(ioctl(listener, NOTIF_SEND, &r));
}

/* The answer, said before it goes (after, the target runs and prints). */
static void answer(uint64_t id, int64_t val, int32_t error, uint32_t flags)
{
    struct seccomp_notif_resp r = {id, val, error, flags};
    printf("  supervisor: answers val %ld error %d flags %u\n", (long)val, error, flags);
    if (ioctl(listener, NOTIF_SEND, &r) != 0)
        printf("  supervisor: NOTIF_SEND failed: %s\n", strerror(errno));
}

static void supervisor(void)
{
    struct pollfd p = {listener, POLLIN | POLLOUT, 0};
    CHECK(poll(&p, 1, -1));
    printf("  supervisor: poll revents 0x%x\n", p.revents);
    struct seccomp_notif n = receive();
    CHECK(poll(&p, 1, 0));
    printf("  supervisor: poll revents 0x%x\n", p.revents);
    CHECK(ioctl(listener, NOTIF_ID_VALID, &n.id));
    uint64_t wrong = n.id + 1000;
    CHECK(ioctl(listener, NOTIF_ID_VALID, &wrong));
    refused(wrong, 0, 0, 0);
    refused(n.id, 1, 0, CONTINUE);
    refused(n.id, 0, 0, 2);
    answer(n.id, 4242, 0, 0);

    n = receive(); /* dup: an error */
    answer(n.id, 0, -EPERM, 0);
    n = receive(); /* getpgid: the call runs */
    answer(n.id, 0, 0, CONTINUE);
    n = receive(); /* dup: descriptors given */
    struct seccomp_notif_addfd a = {n.id, 0, 1, 0, 0, 0};
    CHECK(ioctl(listener, NOTIF_ADDFD, &a)); /* the lowest free */
    a.flags = 4;
    CHECK(ioctl(listener, NOTIF_ADDFD, &a));
    a.flags = 0, a.newfd = 40;
    CHECK(ioctl(listener, NOTIF_ADDFD, &a));
    a.flags = ADDFD_SETFD, a.newfd_flags = 1;
    CHECK(ioctl(listener, NOTIF_ADDFD, &a));
    a.newfd_flags = 02000000; /* O_CLOEXEC */
    CHECK(ioctl(listener, NOTIF_ADDFD, &a));
    a.srcfd = 999;
    CHECK(ioctl(listener, NOTIF_ADDFD, &a));
    a.srcfd = 1, a.id = wrong;
    CHECK(ioctl(listener, NOTIF_ADDFD, &a));
    a.id = n.id, a.extra = 1;
    CHECK(ioctl(listener, NOTIF_ADDFD_BIG, &a));
    a.extra = 0, a.newfd = 50, a.flags = ADDFD_SETFD | ADDFD_SEND;
    printf("  supervisor: ADDFD at 50 with SEND\n");
    long sent = ioctl(listener, NOTIF_ADDFD_BIG, &a);
    n = receive(); /* dup again: interrupted by a signal */
    printf("  supervisor: that ADDFD returned %ld\n", sent);
    CHECK(ioctl(listener, NOTIF_ADDFD, &a)); /* the call has its answer */
    kill(target, SIGUSR1);
    nap(300); /* the target takes the signal, and says what its call returned */
    CHECK(ioctl(listener, NOTIF_ID_VALID, &n.id));

    struct seccomp_notif dirty = {.id = 1};
    CHECK(ioctl(listener, NOTIF_RECV, &dirty));
    CHECK(ioctl(listener, NOTIF_RECV, (void *)8));
    CHECK(ioctl(listener, 0x5401, 0)); /* TCGETS */
    CHECK(read(listener, &dirty, 8));

    n = receive(); /* the last: left waiting when the listener closes */
    fflush(stdout);
    _exit(0);
}

static void on_usr1(int sig) { (void)sig; }

static void calls(void)
{
    errno = 0;
    long r = syscall(SYS_getppid);
    printf("target: getppid = %ld\n", r);
    CHECK(dup(1));
    CHECK(syscall(SYS_getpgid, 0) == syscall(SYS_getpgrp));
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1; /* no SA_RESTART: EINTR */
    sigaction(SIGUSR1, &sa, NULL);
    CHECK(dup(1)); /* the supervisor's ADDFD with SEND */
    CHECK(fcntl(3, F_GETFD));
    CHECK(fcntl(40, F_GETFD));
    CHECK(fcntl(50, F_GETFD));
    CHECK(dup(1));
    CHECK(syscall(SYS_getppid)); /* the supervisor exits without an answer */
    CHECK(syscall(SYS_getppid)); /* no listener now */
}

static void target_process(void)
{
    CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    CHECK(install(NEW_LISTENER | TSYNC));
    listener = (int)install(NEW_LISTENER);
    CHECK(listener >= 0);
    CHECK(fcntl(listener, F_GETFD));
    char path[64], link[64] = {0};
    snprintf(path, sizeof path, "/proc/self/fd/%d", listener);
    CHECK(readlink(path, link, sizeof link - 1));
    printf("listener: %s\n", link);
    CHECK(install(NEW_LISTENER));
    target = getpid();
    fflush(stdout);
    pid_t s = fork();
    if (s == 0)
        supervisor();
    close(listener);
    calls();
    int st;
    waitpid(s, &st, 0);
    printf("supervisor: exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    uint16_t sizes[3];
    CHECK(syscall(SYS_seccomp, 3, 0, sizes));
    printf("sizes: %u %u %u\n", sizes[0], sizes[1], sizes[2]);
    pid_t t = fork();
    if (t == 0) {
        target_process();
        _exit(0);
    }
    int st;
    waitpid(t, &st, 0);
    printf("target: exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
