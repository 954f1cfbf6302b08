/*
 * tests/linux/c/leases.c - fcntl's F_SETLEASE and F_GETLEASE: read and
 * write leases on a regular file, with Linux's errors (EINVAL for another
 * type or a file that is not regular, EAGAIN for conflicting opens,
 * EBADF); a
 * conflicting open breaks the lease: the holder gets SIGIO (or F_SETSIG's
 * signal with POLL_MSG and si_fd), an O_NONBLOCK open is EWOULDBLOCK, a
 * blocking one (or truncate) waits until the holder lets go or
 * downgrades.  Signals are blocked and taken with sigtimedwait.
 */
#define _GNU_SOURCE
#include "check.h"
#include "sigtake.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static sigset_t set;

static void take(const char *what, int fd) { take_signals(&set, what, fd, 2000000000, 1, false); }

static const char *lease(int fd)
{
    int r = fcntl(fd, F_GETLEASE);
    return r == F_RDLCK ? "F_RDLCK" : r == F_WRLCK ? "F_WRLCK" : r == F_UNLCK ? "F_UNLCK" : errno_name(errno);
}

/* A child's open of the file: its result, and the lease seen meanwhile. */
static pid_t opener(int flags, int sleep_ms)
{
    pid_t k = fork();
    if (k == 0) {
        struct timespec t = {0, sleep_ms * 1000000L};
        nanosleep(&t, NULL);
        int f = open("lease-file", flags);
        printf("child open(%s%s) = %s\n", (flags & O_ACCMODE) == O_RDONLY ? "O_RDONLY" : "O_WRONLY",
               flags & O_NONBLOCK ? "|O_NONBLOCK" : "", f >= 0 ? "ok" : errno_name(errno));
        _exit(0);
    }
    return k;
}

static void reap(pid_t k)
{
    int st;
    waitpid(k, &st, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    sigemptyset(&set);
    sigaddset(&set, SIGIO);
    sigaddset(&set, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    close(open("lease-file", O_CREAT | O_WRONLY, 0644));
    int f = open("lease-file", O_RDONLY);
    printf("lease: %s\n", lease(f));
    CHECK(fcntl(f, F_SETLEASE, 3));
    CHECK(fcntl(99, F_SETLEASE, F_RDLCK));
    CHECK(fcntl(99, F_GETLEASE));
    int p[2];
    pipe(p);
    CHECK(fcntl(p[0], F_SETLEASE, F_RDLCK));
    close(p[0]);
    close(p[1]);
    int d = open(".", O_RDONLY);
    CHECK(fcntl(d, F_SETLEASE, F_RDLCK));
    close(d);
    int w = open("lease-file", O_WRONLY);
    CHECK(fcntl(f, F_SETLEASE, F_RDLCK));
    CHECK(fcntl(w, F_SETLEASE, F_WRLCK));
    close(w);
    int r2 = open("lease-file", O_RDONLY);
    CHECK(fcntl(f, F_SETLEASE, F_WRLCK));
    close(r2);

    printf("owner before: %d\n", fcntl(f, F_GETOWN));
    CHECK(fcntl(f, F_SETLEASE, F_RDLCK));
    printf("owner is self: %d\n", fcntl(f, F_GETOWN) == getpid());
    printf("lease: %s\n", lease(f));
    CHECK(fcntl(f, F_SETLEASE, F_RDLCK));
    reap(opener(O_RDONLY | O_NONBLOCK, 0));
    take("read open", f);
    reap(opener(O_WRONLY | O_NONBLOCK, 0));
    take("write open, nonblocking", f);
    printf("lease: %s\n", lease(f));
    CHECK(fcntl(f, F_SETLEASE, F_UNLCK));
    printf("lease: %s\n", lease(f));

    fcntl(f, F_SETSIG, SIGRTMIN + 1);
    CHECK(fcntl(f, F_SETLEASE, F_WRLCK));
    printf("lease: %s\n", lease(f));
    pid_t k = opener(O_RDONLY, 0);
    take("read open of a write lease", f);
    printf("lease: %s\n", lease(f));
    int r = fcntl(f, F_SETLEASE, F_RDLCK);
    reap(k); /* the child's line first */
    printf("downgrade: %d\n", r);
    printf("lease: %s\n", lease(f));
    k = fork();
    if (k == 0) {
        printf("child truncate = %d\n", truncate("lease-file", 0));
        _exit(0);
    }
    take("truncate", f);
    printf("lease: %s\n", lease(f));
    r = fcntl(f, F_SETLEASE, F_UNLCK);
    reap(k);
    printf("unlock: %d\n", r);
    CHECK(fcntl(f, F_SETLEASE, F_UNLCK));
    CHECK(fcntl(f, F_SETLEASE, F_RDLCK));
    close(f);
    f = open("lease-file", O_RDONLY);
    printf("lease after close: %s\n", lease(f));
    close(f);

    unlink("lease-file");
    return 0;
}
