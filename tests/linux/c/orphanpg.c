/*
 * tests/linux/c/orphanpg.c - orphaned process groups: when a group with a
 * stopped member becomes orphaned (its last member whose parent is in
 * another group of the session exits), each member gets SIGHUP then
 * SIGCONT (a handler sees both; the default SIGHUP kills); a group with
 * no stopped member gets nothing; in an orphaned group SIGTSTP, SIGTTIN
 * and SIGTTOU do not stop, and a background read or
 * TOSTOP write of the terminal is EIO.  Everything runs in a session of
 * its own (setsid in a child), so the harness's session does not matter.
 * The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int out = -1; /* the pipe every line goes to; the first process prints them in order */
static volatile int hups, conts;

static void say(const char *fmt, ...)
{
    char line[200];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (write(out, line, (size_t)n) < 0)
        _exit(9);
}

static void on_hup(int sig) { (void)sig, hups++; }
static void on_cont(int sig) { (void)sig, conts++; }

static void nap(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* Waits (up to 5 s) until the process's parent is no longer ppid. */
static void wait_reparented(pid_t ppid)
{
    for (int i = 0; i < 500 && getppid() == ppid; i++)
        nap(10);
}

/* The member of the group: stops itself if asked, and once its parent
 * (the group's link outside) is gone, says what came. */
static void member(int stop, int handler, int tty)
{
    pid_t ppid = getppid();
    if (handler) {
        signal(SIGHUP, on_hup);
        signal(SIGCONT, on_cont);
    }
    if (stop)
        raise(SIGSTOP);
    wait_reparented(ppid);
    nap(50);
    say("member(stop=%d handler=%d): hups %d conts %d\n", stop, handler, hups, conts);
    raise(SIGTSTP);
    say("  SIGTSTP in the orphaned group: still running\n");
    kill(0, SIGTTIN);
    kill(0, SIGTTOU);
    say("  SIGTTIN, SIGTTOU to the group: still running\n");
    if (tty >= 0) {
        char c;
        errno = 0;
        long r = write(tty, "x", 1);
        say("  TOSTOP write from the background: %ld %s\n", r, r < 0 ? strerror(errno) : "");
        errno = 0;
        r = read(tty, &c, 1);
        say("  read from the background: %ld %s\n", r, r < 0 ? strerror(errno) : "");
        signal(SIGTTOU, SIG_IGN);
        r = write(tty, "x", 1);
        say("  write with SIGTTOU ignored: %ld\n", r);
    }
    _exit(0);
}

/* A group of its own (the link to its parent's group), with one member
 * child; the link leaves once the member is stopped (or running).  Done
 * when both have ended: the end of a pipe only they hold. */
static void scenario(int stop, int handler, int tty)
{
    int done[2];
    if (pipe(done) < 0)
        _exit(8);
    pid_t link = fork();
    if (link == 0) {
        close(done[0]);
        setpgid(0, 0);
        pid_t m = fork();
        if (m == 0)
            member(stop, handler, tty);
        int st;
        if (stop)
            waitpid(m, &st, WUNTRACED);
        else
            nap(100);
        _exit(0);
    }
    close(done[1]);
    int st;
    waitpid(link, &st, 0);
    char c;
    while (read(done[0], &c, 1) > 0) /* the member reports, or dies */
        ;
    close(done[0]);
}

/* The pseudo-terminal that becomes the session's controlling terminal,
 * with TOSTOP; -1 if there is none. */
static int controlling_tty(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
        return -1;
    int s = open(ptsname(m), O_RDWR);
    struct termios t;
    if (s < 0 || tcgetattr(s, &t) < 0)
        return -1;
    t.c_lflag |= TOSTOP;
    tcsetattr(s, TCSANOW, &t);
    return s;
}

static void session(void)
{
    setsid();
    scenario(1, 1, -1);
    say("-- stopped member, default SIGHUP:\n");
    scenario(1, 0, -1);
    say("-- running member (no stopped one), handlers:\n");
    scenario(0, 1, -1);
    int tty = controlling_tty();
    say("-- with a controlling terminal: %s\n", tty >= 0 ? "yes" : "none");
    if (tty >= 0)
        scenario(1, 1, tty);
    _exit(0);
}

int main(void)
{
    int p[2];
    if (pipe(p) < 0)
        return 1;
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("-- stopped member, handlers:\n");
    out = p[1];
    pid_t s = fork();
    if (s == 0) {
        close(p[0]);
        session();
    }
    close(p[1]);
    char buf[512];
    for (ssize_t n; (n = read(p[0], buf, sizeof buf)) > 0;)
        fwrite(buf, 1, (size_t)n, stdout);
    int st;
    waitpid(s, &st, 0);
    printf("session: exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
