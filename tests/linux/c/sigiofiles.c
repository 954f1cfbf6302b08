/*
 * tests/linux/c/sigiofiles.c - O_ASYNC on more files: TCP and UDP on the
 * loopback, a listener's incoming connection, a pseudo-terminal, inotify,
 * an eventfd and a regular file (which take O_ASYNC through F_SETFL and
 * never signal; FIOASYNC on them is ENOTTY); F_SETFL's other flags
 * (O_DIRECT on a file, a pipe, a socket; O_NOATIME for a file one does
 * not own: EPERM); and Linux's sigio_perm: a signal set up by another
 * user's process does not reach a root-owned owner.  Signals are blocked
 * and taken with sigtimedwait; one that comes again the same is printed
 * once (Linux's TCP signals a FIN twice: its state change and its data).
 */
#define _GNU_SOURCE
#include "check.h"
#include "sigtake.h"
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static sigset_t set;

/* (Linux's TCP may signal one event twice: a line is printed once.) */
static void take(const char *what, int fd) { take_signals(&set, what, fd, 200000000, TAKE_ALL, true); }

static int async_on(int fd)
{
    fcntl(fd, F_SETOWN, getpid());
    fcntl(fd, F_SETSIG, SIGRTMIN + 1);
    return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC | O_NONBLOCK);
}

static void tcp(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    bind(l, (struct sockaddr *)&a, sizeof a);
    getsockname(l, (struct sockaddr *)&a, &len);
    listen(l, 4);
    async_on(l);
    take("listener enabled", l);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *)&a, sizeof a);
    take("incoming connection", l);
    int s = accept(l, NULL, NULL);
    async_on(s);
    take("accepted enabled", s);
    write(c, "x", 1);
    take("tcp data", s);
    close(c);
    take("tcp peer closed", s);
    close(s);
    close(l);
}

static void udp(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int r = socket(AF_INET, SOCK_DGRAM, 0), w = socket(AF_INET, SOCK_DGRAM, 0);
    bind(r, (struct sockaddr *)&a, sizeof a);
    getsockname(r, (struct sockaddr *)&a, &len);
    async_on(r);
    take("udp enabled", r);
    sendto(w, "x", 1, 0, (struct sockaddr *)&a, sizeof a);
    take("udp datagram", r);
    close(r);
    close(w);
}

static void pty(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    async_on(m);
    take("pty master enabled", m);
    write(s, "x", 1);
    take("pty slave wrote", m);
    close(s);
    close(m);
}

static void others(void)
{
    int in = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(in, ".", IN_CREATE);
    CHECK(async_on(in));
    close(open("sigio-file", O_CREAT | O_WRONLY, 0644));
    take("inotify event", in);
    close(in);
    int e = eventfd(0, EFD_NONBLOCK);
    CHECK(async_on(e));
    printf("eventfd async: %d\n", (fcntl(e, F_GETFL) & O_ASYNC) != 0);
    int on = 0;
    CHECK(ioctl(e, FIOASYNC, &on));
    eventfd_write(e, 1);
    take("eventfd write", e);
    close(e);
    int f = open("sigio-file", O_RDWR);
    CHECK(async_on(f));
    printf("file async: %d\n", (fcntl(f, F_GETFL) & O_ASYNC) != 0);
    CHECK(ioctl(f, FIOASYNC, &on));
    on = 1;
    CHECK(ioctl(f, FIOASYNC, &on));
    write(f, "x", 1);
    take("file write", f);
    /* (O_DIRECT depends on the file system: odirect.c) */
    CHECK(fcntl(f, F_SETFL, O_NOATIME | O_APPEND));
    printf("flags: %#x\n", fcntl(f, F_GETFL) & (O_NOATIME | O_APPEND | O_DIRECT | O_ASYNC));
    close(f);
    int p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, p);
    CHECK(fcntl(p[0], F_SETFL, O_DIRECT));
    close(p[0]);
    close(p[1]);
}

/* A child that is another user owns nothing of ours: its file's signal to
 * us (root) is dropped; to itself it goes. */
static void perm(void)
{
    int p[2];
    pipe(p);
    pid_t parent = getpid();
    pid_t k = fork();
    if (k == 0) {
        if (setresuid(1000, 1000, 1000) < 0)
            _exit(1);
        fcntl(p[0], F_SETOWN, parent);
        fcntl(p[0], F_SETSIG, SIGRTMIN + 1);
        fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK);
        write(p[1], "x", 1);
        _exit(0);
    }
    int st;
    waitpid(k, &st, 0);
    printf("child: %d\n", WEXITSTATUS(st));
    take("set by another user", p[0]);
    fcntl(p[0], F_SETOWN, getpid());
    write(p[1], "x", 1);
    take("set by us", p[0]);
    close(p[0]);
    close(p[1]);
    int f = open("sigio-file", O_RDONLY);
    k = fork();
    if (k == 0) {
        if (setresuid(1000, 1000, 1000) < 0)
            _exit(1);
        CHECK(fcntl(f, F_SETFL, O_NOATIME));
        _exit(0);
    }
    waitpid(k, &st, 0);
    close(f);
    unlink("sigio-file");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    sigemptyset(&set);
    sigaddset(&set, SIGIO);
    sigaddset(&set, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    tcp();
    udp();
    pty();
    others();
    perm();
    return 0;
}
