/*
 * tests/linux/c/eintr.c - which blocking calls a signal's handler ends
 * with EINTR and which it restarts, with SA_RESTART and without, and what
 * a stop and a continue (no handler) do to each: a table of calls, each
 * run in a child that blocks in it; the parent waits until the child
 * sleeps (/proc/PID/stat), signals it, waits for the handler to have run
 * (a byte on a pipe) or the stop to show (WUNTRACED) and for the child
 * to sleep again or end, then lets the call complete (data, a wake-up, a connection), and the child prints EINTR or
 * the restarted call's result.  One line per case; the output must equal
 * the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "sleeping.h"

static int p[2];      /* the call's pipe */
static int ran[2];    /* the handler's byte */
static int sv[2];     /* a socket pair */
static int lsock;     /* a listening socket */
static int efd, msq;
static int *word;     /* a futex shared with the child */
static const char *lockname = "eintr.lock";
static int lockfd;

static void handler(int sig)
{
    (void)sig;
    char c = 'h';
    (void)!write(ran[1], &c, 1);
}

/* ---- the calls, in the child ---- */
static long c_read(void) { char b; return read(p[0], &b, 1); }
static long c_write(void) { return write(p[1], "x", 1); }
static long c_poll(void) { struct pollfd f = {p[0], POLLIN, 0}; return poll(&f, 1, -1); }
static long c_poll_timeout(void) { struct pollfd f = {p[0], POLLIN, 0}; return poll(&f, 1, 30000); }
static long c_ppoll(void) { struct pollfd f = {p[0], POLLIN, 0}; return ppoll(&f, 1, NULL, NULL); }
static long c_select(void)
{
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    return select(p[0] + 1, &r, NULL, NULL, NULL);
}
static long c_select_timeout(void)
{
    fd_set r;
    struct timeval tv = {30, 0};
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    long n = syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv); /* musl's select keeps tv */
    int e = errno;
    printf("  select's time left: %s, ", tv.tv_sec < 30 && (tv.tv_sec > 0 || tv.tv_usec > 0) ? "less, not none" : "wrong");
    errno = e;
    return n;
}
static long c_pselect(void)
{
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    return pselect(p[0] + 1, &r, NULL, NULL, NULL, NULL);
}
static long epoll_on_pipe(void)
{
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    return ep;
}
static long c_epoll_wait(void) { struct epoll_event ev; return epoll_wait((int)epoll_on_pipe(), &ev, 1, -1); }
static long c_epoll_pwait(void) { struct epoll_event ev; return epoll_pwait((int)epoll_on_pipe(), &ev, 1, -1, NULL); }
static long c_sigtimedwait(void)
{
    sigset_t s;
    sigemptyset(&s), sigaddset(&s, SIGUSR2);
    return syscall(SYS_rt_sigtimedwait, &s, NULL, NULL, 8); /* musl's sigwaitinfo goes again on EINTR */
}
static long c_nanosleep(void) { struct timespec t = {10, 0}; return nanosleep(&t, NULL); }
static long c_clock_nanosleep(void)
{
    struct timespec t = {10, 0};
    int r = clock_nanosleep(CLOCK_MONOTONIC, 0, &t, NULL);
    return r ? (errno = r, -1) : 0;
}
static long c_wait4(void)
{
    pid_t g = fork();
    if (g == 0) {
        char b;
        while (read(p[0], &b, 1) < 0)
            ;
        _exit(7);
    }
    int st;
    long r = wait4(g, &st, 0, NULL);
    return r == g ? WEXITSTATUS(st) : r;
}
static long c_futex(void) { return syscall(SYS_futex, word, FUTEX_WAIT, 0, NULL, NULL, 0); }
static long c_futex_timeout(void)
{
    struct timespec t = {30, 0};
    return syscall(SYS_futex, word, FUTEX_WAIT, 0, &t, NULL, 0);
}
static long c_accept(void)
{
    long r = accept(lsock, NULL, NULL);
    return r >= 0 ? 1 : r;
}
static long c_recv(void) { char b; return recv(sv[0], &b, 1, 0); }
static long c_recv_timeout(void)
{
    struct timeval tv = {30, 0};
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char b;
    return recv(sv[0], &b, 1, 0);
}
static long c_eventfd(void) { uint64_t v; return read(efd, &v, sizeof v); }
static long c_msgrcv(void)
{
    struct { long type; char text[4]; } m;
    return msgrcv(msq, &m, sizeof m.text, 0, 0);
}
static long c_flock(void)
{
    int fd = open(lockname, O_RDWR);
    return flock(fd, LOCK_EX);
}

/* ---- what makes each complete, in the parent ---- */
static void f_data(void) { (void)!write(p[1], "d", 1); }
static void f_drain(void) { char b[4096]; (void)!read(p[0], b, sizeof b); }
static void f_none(void) {}
static void f_usr2(pid_t child) { kill(child, SIGUSR2); }
static void f_wake(void)
{
    *word = 1;
    syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
}
static void f_connect(void)
{
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {AF_UNIX, "eintr.sock"};
    (void)!connect(s, (struct sockaddr *)&a, sizeof a);
}
static void f_send(void) { (void)!send(sv[1], "s", 1, 0); }
static void f_event(void) { uint64_t v = 1; (void)!write(efd, &v, sizeof v); }
static void f_msg(void)
{
    struct { long type; char text[4]; } m = {1, "m"};
    msgsnd(msq, &m, 2, 0);
}
static void f_unlock(void) { flock(lockfd, LOCK_UN); }

struct callcase {
    const char *name;
    long (*call)(void);
    void (*finish)(void);
    bool sleeps;      /* no way to end it early: no stop case */
    bool full_pipe;   /* the pipe is filled first */
};

static const struct callcase cases[] = {
    {"read of a pipe", c_read, f_data, false, false},
    {"write to a full pipe", c_write, f_drain, false, true},
    {"poll", c_poll, f_data, false, false},
    {"poll with a timeout", c_poll_timeout, f_data, false, false},
    {"ppoll", c_ppoll, f_data, false, false},
    {"select", c_select, f_data, false, false},
    {"select with a timeout", c_select_timeout, f_data, false, false},
    {"pselect", c_pselect, f_data, false, false},
    {"epoll_wait", c_epoll_wait, f_data, false, false},
    {"epoll_pwait", c_epoll_pwait, f_data, false, false},
    {"sigwaitinfo", c_sigtimedwait, NULL, false, false},
    {"nanosleep", c_nanosleep, f_none, true, false},
    {"clock_nanosleep", c_clock_nanosleep, f_none, true, false},
    {"wait4", c_wait4, f_data, false, false},
    {"futex wait", c_futex, f_wake, false, false},
    {"futex wait with a timeout", c_futex_timeout, f_wake, false, false},
    {"accept", c_accept, f_connect, false, false},
    {"recv", c_recv, f_send, false, false},
    {"recv with SO_RCVTIMEO", c_recv_timeout, f_send, false, false},
    {"read of an eventfd", c_eventfd, f_event, false, false},
    {"msgrcv", c_msgrcv, f_msg, false, false},
    {"flock", c_flock, f_unlock, false, false},
};

/* mode 0: a handler without SA_RESTART, 1: with, 2: a stop and a continue */
static void run(const struct callcase *k, int mode)
{
    if (pipe(p) < 0 || pipe(ran) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        exit(1);
    unlink("eintr.sock");
    lsock = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {AF_UNIX, "eintr.sock"};
    if (bind(lsock, (struct sockaddr *)&a, sizeof a) < 0 || listen(lsock, 4) < 0)
        exit(1);
    efd = eventfd(0, 0);
    msq = msgget(IPC_PRIVATE, 0600);
    *word = 0;
    lockfd = open(lockname, O_RDWR | O_CREAT, 0600);
    flock(lockfd, LOCK_EX);
    if (k->full_pipe) {
        fcntl(p[1], F_SETFL, O_NONBLOCK);
        while (write(p[1], "f", 1) == 1)
            ;
        fcntl(p[1], F_SETFL, 0);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = handler;
        sa.sa_flags = mode == 1 ? SA_RESTART : 0;
        sigaction(SIGUSR1, &sa, NULL);
        printf("%-28s %-10s:", k->name, mode == 0 ? "handler" : mode == 1 ? "SA_RESTART" : "stop+cont");
        errno = 0;
        long r = k->call();
        if (r < 0)
            printf(" %s\n", errno == EINTR ? "EINTR" : strerror(errno));
        else
            printf(" %ld\n", r);
        exit(0);
    }
    wait_sleeping(pid, false);
    int st;
    if (mode < 2) {
        kill(pid, SIGUSR1);
        char c;
        while (read(ran[0], &c, 1) < 0)
            ;
    } else {
        kill(pid, SIGSTOP);
        waitpid(pid, &st, WUNTRACED);
        kill(pid, SIGCONT);
    }
    wait_sleeping(pid, true); /* back in its call, or ended */
    if (k->finish)
        k->finish();
    else
        f_usr2(pid);
    waitpid(pid, &st, 0);
    close(p[0]), close(p[1]), close(ran[0]), close(ran[1]), close(sv[0]), close(sv[1]), close(lsock), close(efd);
    close(lockfd);
    msgctl(msq, IPC_RMID, NULL);
    unlink("eintr.sock");
    unlink(lockname);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    sigset_t s;
    sigemptyset(&s), sigaddset(&s, SIGUSR2);
    sigprocmask(SIG_BLOCK, &s, NULL); /* the children's sigwaitinfo's */
    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int mode = 0; mode < 3; mode++)
            if (mode < 2 || !cases[i].sleeps)
                run(&cases[i], mode);
    return 0;
}
