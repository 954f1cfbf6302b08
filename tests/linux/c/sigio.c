/*
 * tests/linux/c/sigio.c - signal-driven I/O: fcntl's F_SETOWN/F_GETOWN,
 * F_SETOWN_EX/F_GETOWN_EX, F_SETSIG/F_GETSIG and O_ASYNC (F_SETFL,
 * ioctl FIOASYNC), with their errors; the signal a pipe, a socket pair
 * and a datagram pair send when they become readable or writable, or
 * hang up: SIGIO as the kernel's (SI_KERNEL) or F_SETSIG's real-time
 * signal with si_code, si_band and si_fd, queued once per arrival.
 * Signals are blocked and taken with sigtimedwait, so the run is
 * deterministic; pids are printed only as compared with getpid.
 */
#define _GNU_SOURCE
#include "check.h"
#include "sigtake.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static sigset_t set;

/* The signals that came (none within 200 ms: "none"). */
static void take(const char *what, int fd) { take_signals(&set, what, fd, 200000000, TAKE_ALL, false); }

static void async_on(int fd, int sig)
{
    fcntl(fd, F_SETOWN, getpid());
    fcntl(fd, F_SETSIG, sig);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC | O_NONBLOCK);
}

static void owners(void)
{
    int p[2];
    pipe(p);
    struct f_owner_ex ex = {7, 7};
    printf("default: own %d sig %d\n", fcntl(p[0], F_GETOWN), fcntl(p[0], F_GETSIG));
    CHECK(fcntl(p[0], F_GETOWN_EX, &ex));
    printf("ex: type %d pid %d\n", ex.type, ex.pid);
    CHECK(fcntl(p[0], F_SETOWN, getpid()));
    printf("own is self: %d\n", fcntl(p[0], F_GETOWN) == getpid());
    CHECK(fcntl(p[0], F_GETOWN_EX, &ex));
    printf("ex: type %d self %d\n", ex.type, ex.pid == getpid());
    CHECK(fcntl(p[0], F_SETOWN, -getpgrp()));
    printf("own is -pgrp: %d\n", fcntl(p[0], F_GETOWN) == -getpgrp());
    CHECK(fcntl(p[0], F_GETOWN_EX, &ex));
    printf("ex: type %d pgrp %d\n", ex.type, ex.pid == getpgrp());
    ex = (struct f_owner_ex){F_OWNER_TID, gettid()};
    CHECK(fcntl(p[0], F_SETOWN_EX, &ex));
    printf("own is self: %d\n", fcntl(p[0], F_GETOWN) == getpid());
    CHECK(fcntl(p[0], F_GETOWN_EX, &ex));
    printf("ex: type %d self %d\n", ex.type, ex.pid == getpid());
    ex.type = 3;
    CHECK(fcntl(p[0], F_SETOWN_EX, &ex));
    ex = (struct f_owner_ex){F_OWNER_PID, 0x3ffffff0};
    CHECK(fcntl(p[0], F_SETOWN_EX, &ex));
    CHECK(fcntl(p[0], F_SETOWN_EX, (void *)8));
    CHECK(fcntl(p[0], F_GETOWN_EX, (void *)8));
    CHECK(fcntl(p[0], F_SETOWN, 0x3ffffff0));
    CHECK(fcntl(p[0], F_SETOWN, 0));
    printf("own %d\n", fcntl(p[0], F_GETOWN));
    CHECK(fcntl(p[0], F_SETSIG, 65));
    CHECK(fcntl(p[0], F_SETSIG, -1));
    CHECK(fcntl(p[0], F_SETSIG, 64));
    CHECK(fcntl(p[0], F_GETSIG));
    CHECK(fcntl(p[0], F_SETSIG, 0));
    CHECK(fcntl(99, F_SETOWN, 0));
    CHECK(fcntl(99, F_GETSIG));
    int o = open("/", O_PATH);
    CHECK(fcntl(o, F_SETOWN, getpid()));
    CHECK(fcntl(o, F_GETOWN));
    close(o);
    int on = 1;
    CHECK(ioctl(p[0], FIOASYNC, &on));
    printf("async: %d\n", (fcntl(p[0], F_GETFL) & O_ASYNC) != 0);
    on = 0;
    CHECK(ioctl(p[0], FIOASYNC, &on));
    printf("async: %d\n", (fcntl(p[0], F_GETFL) & O_ASYNC) != 0);
    CHECK(ioctl(p[0], FIOSETOWN, &on));
    CHECK(ioctl(p[0], FIOGETOWN, &on));
    close(p[0]);
    close(p[1]);
}

static void pipes(void)
{
    int p[2];
    char buf[65536] = {0};
    pipe(p);
    async_on(p[0], 0);
    printf("flags %#x\n", fcntl(p[0], F_GETFL) & (O_ASYNC | O_NONBLOCK | O_APPEND));
    take("enabled", p[0]);
    write(p[1], "a", 1);
    take("pipe write, SIGIO", p[0]);
    fcntl(p[0], F_SETSIG, SIGRTMIN + 1);
    write(p[1], "b", 1);
    write(p[1], "c", 1);
    take("pipe writes, rt", p[0]);
    read(p[0], buf, sizeof buf);
    take("pipe read", p[0]);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    async_on(p[1], SIGRTMIN + 1);
    take("writer enabled", p[1]);
    while (write(p[1], buf, sizeof buf) > 0)
        ;
    take("pipe full", p[1]);
    read(p[0], buf, sizeof buf);
    take("pipe drained", p[1]);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    read(p[0], buf, sizeof buf);
    take("pipe drained, async off", p[1]);
    async_on(p[0], SIGRTMIN + 1);
    close(p[1]);
    take("writer closed", p[0]);
    close(p[0]);
}

static void sockets(int type, const char *name)
{
    int s[2];
    char what[64], buf[256];
    socketpair(AF_UNIX, type, 0, s);
    async_on(s[0], SIGRTMIN + 1);
    async_on(s[1], SIGRTMIN + 1);
    snprintf(what, sizeof what, "%s enabled", name);
    take(what, s[0]);
    send(s[1], "x", 1, 0);
    snprintf(what, sizeof what, "%s send", name);
    take(what, s[0]);
    recv(s[0], buf, sizeof buf, 0);
    snprintf(what, sizeof what, "%s recv", name);
    take(what, s[1]);
    close(s[1]);
    snprintf(what, sizeof what, "%s peer closed", name);
    take(what, s[0]);
    close(s[0]);
}

static void sockowner(void)
{
    int s[2], v = 0;
    socketpair(AF_UNIX, SOCK_STREAM, 0, s);
    v = getpid();
    CHECK(ioctl(s[0], FIOSETOWN, &v));
    printf("own is self: %d\n", fcntl(s[0], F_GETOWN) == getpid());
    v = -getpgrp();
    CHECK(ioctl(s[0], SIOCSPGRP, &v));
    v = 0;
    CHECK(ioctl(s[0], SIOCGPGRP, &v));
    printf("pgrp: %d\n", v == -getpgrp());
    CHECK(ioctl(s[0], FIOGETOWN, &v));
    printf("pgrp: %d\n", v == -getpgrp());
    v = 1;
    CHECK(ioctl(s[0], FIOASYNC, &v));
    printf("async: %d\n", (fcntl(s[0], F_GETFL) & O_ASYNC) != 0);
    close(s[0]);
    close(s[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    sigemptyset(&set);
    sigaddset(&set, SIGIO);
    sigaddset(&set, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    owners();
    pipes();
    sockets(SOCK_STREAM, "stream");
    sockets(SOCK_DGRAM, "dgram");
    sockowner();
    return 0;
}
