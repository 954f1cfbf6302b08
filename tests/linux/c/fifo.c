/*
 * tests/linux/c/fifo.c - named pipes and mknod: mkfifo, the opens that
 * wait for the other side (and those that do not), data through a FIFO
 * between processes, an open interrupted by a signal, and the node types
 * mknod makes without privilege.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static void on_alarm(int sig) { (void)sig; }

int main(void)
{
    struct stat st;
    char buf[64] = {0};
    umask(022);
    CHECK(mkfifo("ff", 0666));
    CHECK(stat("ff", &st) + S_ISFIFO(st.st_mode) * 1000 + (int)(st.st_mode & 0777));
    CHECK(mkfifo("ff", 0666));
    CHECK(open("ff", O_WRONLY | O_NONBLOCK)); /* no reader: ENXIO */
    int r = open("ff", O_RDONLY | O_NONBLOCK);
    CHECK(r >= 0);
    CHECK(read(r, buf, sizeof buf)); /* no writer: end of file */
    struct pollfd pfd = {r, POLLIN, 0};
    CHECK(poll(&pfd, 1, 0) * 100 + pfd.revents); /* no writer yet: no hangup either */
    int w = open("ff", O_WRONLY | O_NONBLOCK);
    CHECK(w >= 0);
    CHECK(write(w, "abc", 3));
    CHECK(poll(&pfd, 1, 0) * 100 + pfd.revents);
    CHECK(read(r, buf, sizeof buf));
    CHECK(lseek(r, 0, SEEK_SET));
    CHECK(fstat(w, &st) + S_ISFIFO(st.st_mode));
    close(w);
    CHECK(poll(&pfd, 1, 0) * 100 + pfd.revents); /* the writer came and went */
    CHECK(read(r, buf, sizeof buf));
    close(r);

    /* Blocking opens meet: the parent's read end waits for the child. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(100000);
        int cw = open("ff", O_WRONLY);
        dprintf(cw, "hello through the fifo\n");
        _exit(0);
    }
    r = open("ff", O_RDONLY);
    CHECK(r >= 0);
    memset(buf, 0, sizeof buf);
    int n = 0, k;
    while ((k = read(r, buf + n, sizeof buf - 1 - n)) > 0)
        n += k;
    printf("read %d: %s", n, buf);
    close(r);
    waitpid(pid, NULL, 0);

    /* And the other way round: the writer waits for a reader. */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        usleep(100000);
        int cr = open("ff", O_RDONLY);
        int got = (int)read(cr, buf, sizeof buf);
        printf("child read %d\n", got);
        fflush(stdout);
        _exit(0);
    }
    w = open("ff", O_WRONLY);
    CHECK(write(w, "xyz", 3));
    close(w);
    waitpid(pid, NULL, 0);

    /* O_RDWR never waits: it is both ends. */
    int rw = open("ff", O_RDWR);
    CHECK(rw >= 0);
    CHECK(write(rw, "rw", 2));
    CHECK(read(rw, buf, sizeof buf));
    close(rw);

    /* A signal ends a waiting open with EINTR (no SA_RESTART). */
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &it, NULL);
    CHECK(open("ff", O_RDONLY));
    CHECK(unlink("ff"));

    CHECK(mknod("plain", S_IFREG | 0600, 0));
    CHECK(stat("plain", &st) + S_ISREG(st.st_mode) * 1000 + (int)(st.st_mode & 0777));
    CHECK(mknod("plain", S_IFREG | 0600, 0));
    CHECK(mknod("dir", S_IFDIR | 0755, 0));
    CHECK(mknod("odd", 0170000 | 0644, 0));
    CHECK(mknodat(AT_FDCWD, "fifo2", S_IFIFO | 0640, 0));
    CHECK(stat("fifo2", &st) + S_ISFIFO(st.st_mode) * 1000 + (int)(st.st_mode & 0777));
    CHECK(mknod("no/such/dir/x", S_IFIFO | 0600, 0));
    /* /dev/fd/N and /proc/self/fd/N, followed, are the open file itself */
    int pp[2];
    pipe(pp);
    char name[64];
    snprintf(name, sizeof name, "/dev/fd/%d", pp[0]);
    CHECK(stat(name, &st) + S_ISFIFO(st.st_mode));
    snprintf(name, sizeof name, "/proc/self/fd/%d", pp[1]);
    CHECK(stat(name, &st) + S_ISFIFO(st.st_mode));
    CHECK(lstat(name, &st) + S_ISLNK(st.st_mode));
    CHECK(fstatat(AT_FDCWD, "/dev/fd/999", &st, 0));
    CHECK(truncate("fifo2", 0));
    CHECK(truncate("/dev/null", 0));
    return 0;
}
