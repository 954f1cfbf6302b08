/*
 * tests/linux/c/pipetimes.c - what fstat says of a pipe's and a socket's
 * inode: the owner is its maker's fsuid and fsgid (root's, then nobody's
 * after setfsuid and setgid), a pipe's three times are its making's, a
 * socket's are 0; a FIFO's node takes a write's modification time and a
 * read's access time (relatime: the access time was older).  The output
 * must equal the host Linux's.
 *
 * "pipetimes persona-only" checks what Linux 6.1 (the reference) does and
 * 6.9 and later do not: an anonymous pipe's write sets its modification
 * and change times, a read its access time, every read (pipefs is mounted
 * without relatime) (tests/linux/c/pipetimes.persona-only.expected).
 */
#define _GNU_SOURCE
#include "check.h"
#include <sys/fsuid.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

/* Where a time lies against [before, after] (the file times' clock is
 * coarse: a tick's slack before). */
static const char *when(struct timespec t, long long before, long long after)
{
    long long v = ns(t);
    if (v == 0)
        return "0";
    if (v < before - 20000000)
        return "before";
    return v <= after ? "then" : "after";
}

static void show(const char *what, int fd, long long before, long long after)
{
    struct stat st;
    CHECK(fstat(fd, &st));
    printf("%s: uid %u gid %u mode %o atime %s mtime %s ctime %s\n", what, st.st_uid, st.st_gid, st.st_mode,
           when(st.st_atim, before, after), when(st.st_mtim, before, after), when(st.st_ctim, before, after));
}

static void owners(const char *who)
{
    int p[2], s[2];
    long long t0 = now_ns();
    CHECK(pipe(p));
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    int u;
    CHECK(u = socket(AF_INET, SOCK_DGRAM, 0));
    long long t1 = now_ns();
    printf("%s\n", who);
    show("  pipe's read end", p[0], t0, t1);
    show("  pipe's write end", p[1], t0, t1);
    show("  AF_UNIX socket", s[0], t0, t1);
    show("  UDP socket", u, t0, t1);
    close(p[0]), close(p[1]), close(s[0]), close(s[1]), close(u);
}

static void fifo(void)
{
    char c = 'x';
    CHECK(mkfifo("fifo", 0644));
    int r = open("fifo", O_RDONLY | O_NONBLOCK), w = open("fifo", O_WRONLY);
    struct timeval old[2] = {{1000, 0}, {2000, 0}};
    CHECK(utimes("fifo", old));
    long long t0 = now_ns();
    CHECK(write(w, &c, 1));
    show("FIFO after a write", w, 2000000000000LL, now_ns());
    usleep(30000);
    long long t1 = now_ns();
    CHECK(read(r, &c, 1));
    show("FIFO after a read", r, t1, now_ns());
    (void)t0;
    CHECK(write(w, &c, 1));
    time_t sec = time(NULL);
    struct timeval later[2] = {{sec - 5, 0}, {sec - 10, 0}}; /* after the modification, before the change (now) */
    CHECK(utimes("fifo", later));
    CHECK(read(r, &c, 1));
    struct stat st;
    CHECK(stat("fifo", &st));
    printf("relatime, accessed before the change: access time %s\n", st.st_atime == sec - 5 ? "kept" : "updated");
    CHECK(read(r, &c, 1)); /* nothing read: no time */
    close(r), close(w);
    unlink("fifo");
}

/* Linux 6.1's pipe_read and pipe_write set an anonymous pipe's times. */
static int persona_only(void)
{
    int p[2];
    char c = 'x';
    CHECK(pipe(p));
    usleep(30000);
    long long t0 = now_ns();
    CHECK(write(p[1], &c, 1));
    show("after a write", p[0], t0, now_ns());
    usleep(30000);
    long long t1 = now_ns();
    CHECK(read(p[0], &c, 1));
    show("after a read", p[0], t1, now_ns());
    usleep(30000);
    long long t2 = now_ns();
    CHECK(write(p[1], &c, 1));
    CHECK(read(p[0], &c, 1));
    show("after both again", p[0], t2, now_ns());
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 2 && !strcmp(argv[1], "persona-only"))
        return persona_only();
    owners("root");
    pid_t pid = fork();
    if (pid == 0) {
        setfsgid(65534);
        setfsuid(65534);
        owners("fsuid and fsgid nobody");
        setgid(65533);
        setuid(65533);
        owners("uid and gid 65533");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    fifo();
    return 0;
}
