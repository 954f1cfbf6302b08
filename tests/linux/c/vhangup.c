/*
 * tests/linux/c/vhangup.c - vhangup(2): EPERM without
 * CAP_SYS_TTY_CONFIG, 0 with no controlling terminal, and a session on a
 * pseudo-terminal of its own hung up: the leader's SIGHUP and SIGCONT,
 * the old descriptor's reads (end of file), writes and ioctls (EIO),
 * TIOCSPGRP (ENOTTY), poll, /dev/tty gone, and a new open of the slave
 * working.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void caught(int sig) { printf("  signal %d\n", sig); }

static void session(void)
{
    CHECK(setsid() > 0);
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(grantpt(m) == 0 && unlockpt(m) == 0);
    char *name = ptsname(m);
    int s = open(name, O_RDWR); /* the session's controlling terminal now */
    CHECK(s >= 0);
    pid_t sid;
    CHECK(ioctl(s, TIOCGSID, &sid) == 0 && sid == getpid());
    signal(SIGHUP, caught);
    signal(SIGCONT, caught);
    CHECK(syscall(SYS_vhangup));
    char buf[8];
    CHECK(read(s, buf, sizeof buf));
    CHECK(write(s, "x", 1));
    struct termios tio;
    CHECK(tcgetattr(s, &tio));
    pid_t pg = getpgrp();
    CHECK(ioctl(s, TIOCSPGRP, &pg));
    struct pollfd pfd = {s, POLLIN | POLLOUT, 0};
    CHECK(poll(&pfd, 1, 0));
    printf("  revents %#x\n", pfd.revents);
    CHECK(open("/dev/tty", O_RDWR));
    int again = open(name, O_RDWR | O_NOCTTY);
    CHECK(again >= 0);
    CHECK(tcgetattr(again, &tio));
    CHECK(ioctl(again, TIOCGSID, &sid));
    CHECK(write(again, "y", 1));
    CHECK(close(s));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(setsid() > 0);
        CHECK(syscall(SYS_vhangup)); /* no controlling terminal */
        CHECK(syscall(SYS_setresuid, 1000, 1000, 1000));
        CHECK(syscall(SYS_vhangup));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    pid = fork();
    if (pid == 0) {
        session();
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("exit %d\n", WEXITSTATUS(st));
    return 0;
}
