/* Pseudo-terminals: /dev/ptmx and /dev/pts/N as Linux's.  Locking,
 * names, the slave's line discipline seen through the master (echo,
 * ONLCR, canonical lines, raw mode), sizes, a controlling terminal for a
 * new session (/dev/tty, ^C to its foreground group), and what each side
 * sees when the other closes; the old struct termio of TCGETA and
 * TCSETA(W/F): the flags' low 16 bits (the high ones kept), the line and 8
 * control characters, TCSETAF's flush, EFAULT, ENOTTY for a regular file. */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void show(const char *what, const char *buf, ssize_t n)
{
    printf("%s: %zd \"", what, n);
    for (ssize_t i = 0; i < n; i++)
        printf(buf[i] == '\r' ? "\\r" : buf[i] == '\n' ? "\\n" : "%c", buf[i]);
    printf("\"\n");
}

/* Reads what the master has within a short while. */
static void drain(int m, const char *what)
{
    char buf[256];
    ssize_t n = 0;
    struct pollfd p = {m, POLLIN, 0};
    while (poll(&p, 1, 200) == 1 && (p.revents & POLLIN)) {
        ssize_t k = read(m, buf + n, sizeof buf - (size_t)n);
        if (k <= 0)
            break;
        n += k;
    }
    show(what, buf, n);
}

/* linux/termios.h's struct termio (musl has no TCGETA's struct) */
struct termio_old {
    unsigned short iflag, oflag, cflag, lflag;
    unsigned char line, cc[8];
};

static void termio(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    char name[64];
    unlockpt(m);
    ptsname_r(m, name, sizeof name);
    int s = open(name, O_RDWR | O_NOCTTY);
    struct termio_old o;
    memset(&o, 0x55, sizeof o);
    CHECK(ioctl(s, TCGETA, &o));
    /* its padding byte is not shown: Linux 6.1 writes the fields alone, 6.2 and later zero it */
    printf("termio: iflag %o oflag %o cflag %o lflag %o line %d cc %d %d %d %d %d %d %d %d\n", o.iflag, o.oflag, o.cflag,
           o.lflag, o.line, o.cc[0], o.cc[1], o.cc[2], o.cc[3], o.cc[4], o.cc[5], o.cc[6], o.cc[7]);
    struct termios t;
    tcgetattr(s, &t);
    t.c_lflag |= EXTPROC, t.c_cc[VEOL2] = 9, t.c_cc[VSUSP] = 11;
    tcsetattr(s, TCSANOW, &t);
    o.iflag = IGNPAR | ICRNL | IXON, o.oflag = OPOST | OLCUC, o.lflag = ISIG | ICANON | ECHO, o.line = 0;
    for (int i = 0; i < 8; i++)
        o.cc[i] = (unsigned char)(i + 1);
    CHECK(ioctl(s, TCSETA, &o));
    tcgetattr(s, &t);
    printf("after TCSETA: iflag %o oflag %o lflag %o EXTPROC kept %d VEOL2 %d VSUSP %d VINTR %d VEOF %d\n", t.c_iflag,
           t.c_oflag, t.c_lflag & 0xffff, !!(t.c_lflag & EXTPROC), t.c_cc[VEOL2], t.c_cc[VSUSP], t.c_cc[VINTR],
           t.c_cc[VEOF]);
    o.lflag = 0;
    CHECK(ioctl(s, TCSETAW, &o));
    CHECK(write(m, "ab", 2));
    usleep(100000);
    CHECK(ioctl(s, TCSETAF, &o)); /* what was typed and not read goes */
    int left = -1;
    CHECK(ioctl(s, FIONREAD, &left));
    printf("bytes to read after TCSETAF: %d\n", left);
    CHECK(ioctl(s, TCGETA, (void *)-1));
    CHECK(ioctl(s, TCGETA, NULL));
    CHECK(ioctl(s, TCSETA, NULL));
    CHECK(ioctl(s, 9999999, &o));
    int f = open("pty-termio-file", O_RDWR | O_CREAT, 0600);
    CHECK(ioctl(f, TCGETA, &o));
    CHECK(ioctl(-1, TCGETA, &o));
    close(f), unlink("pty-termio-file");
    close(s), close(m);
}

int main(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    printf("posix_openpt: %d\n", m >= 0);
    char name[64];
    CHECK(ptsname_r(m, name, sizeof name));
    printf("the name is /dev/pts/N: %d\n", strncmp(name, "/dev/pts/", 9) == 0);
    unsigned n;
    CHECK(ioctl(m, TIOCGPTN, &n));
    printf("TIOCGPTN is its N: %d\n", atoi(name + 9) == (int)n);
    CHECK(open(name, O_RDWR | O_NOCTTY)); /* locked until unlockpt */
    CHECK(grantpt(m));
    CHECK(unlockpt(m));
    int s = open(name, O_RDWR | O_NOCTTY);
    printf("the slave opens: %d\n", s >= 0);
    printf("isatty: master %d, slave %d\n", isatty(m), isatty(s));
    printf("ttyname is the name: %d\n", ttyname(s) && strcmp(ttyname(s), name) == 0);
    struct stat st;
    CHECK(fstat(s, &st));
    printf("a character device: %d, major 136: %d, minor N: %d\n", S_ISCHR(st.st_mode), major(st.st_rdev) == 136,
           minor(st.st_rdev) == n); /* its mode and group are devpts's mount options' */

    struct termios t;
    CHECK(tcgetattr(s, &t));
    printf("ICANON %d ECHO %d ISIG %d ICRNL %d OPOST %d ONLCR %d\n", !!(t.c_lflag & ICANON), !!(t.c_lflag & ECHO),
           !!(t.c_lflag & ISIG), !!(t.c_iflag & ICRNL), !!(t.c_oflag & OPOST), !!(t.c_oflag & ONLCR));
    struct winsize ws;
    CHECK(ioctl(s, TIOCGWINSZ, &ws));
    printf("a new pair's size: %d %d\n", ws.ws_row, ws.ws_col);
    ws.ws_row = 30, ws.ws_col = 100;
    CHECK(ioctl(m, TIOCSWINSZ, &ws));
    memset(&ws, 0, sizeof ws);
    CHECK(ioctl(s, TIOCGWINSZ, &ws));
    printf("the size set through the master: %d %d\n", ws.ws_row, ws.ws_col);

    /* canonical: the master types a line, sees its echo; the slave reads the line */
    char buf[256];
    CHECK(write(m, "hello\r", 6));
    drain(m, "the echo");
    ssize_t k = read(s, buf, sizeof buf);
    show("the slave reads", buf, k);
    CHECK(write(m, "ab\177c\r", 5));
    drain(m, "the echo of an erase");
    k = read(s, buf, sizeof buf);
    show("the slave reads", buf, k);
    CHECK(write(s, "out\n", 4));
    drain(m, "the slave's output");
    int avail = -1;
    CHECK(write(s, "xyz", 3));
    usleep(50000);
    CHECK(ioctl(m, FIONREAD, &avail));
    printf("FIONREAD on the master: %d\n", avail);
    drain(m, "then");

    /* raw */
    cfmakeraw(&t);
    CHECK(tcsetattr(s, TCSANOW, &t));
    CHECK(write(m, "raw\r", 4));
    usleep(50000);
    k = read(s, buf, sizeof buf);
    show("raw, the slave reads", buf, k);
    CHECK(write(s, "r\n", 2));
    drain(m, "raw output");

    /* a new session takes the slave as its controlling terminal; ^C */
    int p2[2];
    pipe(p2);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        close(s);
        int cs = open(name, O_RDWR); /* no O_NOCTTY: the session leader's first terminal */
        int tty = open("/dev/tty", O_WRONLY);
        pid_t fg = tcgetpgrp(cs);
        dprintf(tty, "via /dev/tty, fg is me: %d, sid %d\n", fg == getpid(), tcgetsid(cs) == getpid());
        write(p2[1], "r", 1);
        tcgetattr(cs, &t);
        t.c_lflag |= ISIG | ICANON;
        tcsetattr(cs, TCSANOW, &t);
        read(cs, buf, sizeof buf); /* until ^C */
        _exit(0);
    }
    char ch;
    read(p2[0], &ch, 1);
    usleep(100000);
    drain(m, "the child wrote");
    CHECK(write(m, "\003", 1));
    int status;
    waitpid(pid, &status, 0);
    printf("^C: signaled %d, signal %d\n", WIFSIGNALED(status), WTERMSIG(status));
    drain(m, "the echo of ^C");

    /* the master closes: the slave reads end of file, writes fail */
    CHECK(close(m));
    CHECK(read(s, buf, sizeof buf));
    CHECK(write(s, "x", 1));
    struct pollfd pf = {s, POLLIN | POLLOUT, 0};
    CHECK(poll(&pf, 1, 0));
    printf("the slave polls hang-up: %d\n", !!(pf.revents & POLLHUP));
    CHECK(access(name, F_OK)); /* the node went with the master */
    close(s);

    /* the slave closes: the master reads what is left, then EIO */
    m = posix_openpt(O_RDWR | O_NOCTTY);
    unlockpt(m);
    ptsname_r(m, name, sizeof name);
    s = open(name, O_RDWR | O_NOCTTY);
    CHECK(write(s, "bye", 3));
    CHECK(close(s));
    k = read(m, buf, sizeof buf);
    show("after the slave closed", buf, k);
    CHECK(read(m, buf, sizeof buf));
    pf = (struct pollfd){m, POLLIN, 0};
    CHECK(poll(&pf, 1, 0));
    printf("the master polls hang-up: %d\n", !!(pf.revents & POLLHUP));
    CHECK(fcntl(m, F_SETFL, O_NONBLOCK));
    CHECK(read(m, buf, sizeof buf));
    close(m);

    /* TIOCGPTPEER; a non-blocking master with nothing to read */
    m = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
    unlockpt(m);
    CHECK(read(m, buf, sizeof buf));
    s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    printf("TIOCGPTPEER gives the slave: %d\n", s >= 0 && isatty(s));
    CHECK(ioctl(s, TIOCGPTN, &n));
    close(s), close(m);
    termio();
    return 0;
}
