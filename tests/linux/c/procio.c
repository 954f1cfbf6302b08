/*
 * tests/linux/c/procio.c - /proc/self/io: what each kind of call adds to
 * rchar, wchar, syscr and syscw (read, write, pread64, pwrite64, readv,
 * writev, sendfile; a read that waits for a pipe; a failed call: EBADF
 * for read (not counted) and readv (counted), EAGAIN), a thread's calls
 * (joined) and a reaped child's, which join the process's counts.  Each
 * look reads the file with one read, whose own bytes are taken off the
 * next look's difference.  Prints differences only.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static unsigned long last[4];
static long last_len;

/* The differences since the last look, less that look's own read. */
static void look(const char *what)
{
    static char text[512];
    int fd = open("/proc/self/io", O_RDONLY);
    long n = read(fd, text, sizeof text - 1);
    close(fd);
    unsigned long v[4] = {0};
    if (n > 0) {
        text[n] = '\0';
        sscanf(text, "rchar: %lu wchar: %lu syscr: %lu syscw: %lu", &v[0], &v[1], &v[2], &v[3]);
    }
    static char line[256];
    snprintf(line, sizeof line, "%-36s rchar +%ld wchar +%ld syscr +%ld syscw +%ld\n", what,
             (long)(v[0] - last[0]) - last_len, (long)(v[1] - last[1]), (long)(v[2] - last[2]) - (last_len >= 0),
             (long)(v[3] - last[3]));
    if (last_len >= 0) /* the first look has nothing to compare with */
        fputs(line, stdout);
    memcpy(last, v, sizeof v);
    last_len = n;
}

static void *thread(void *arg)
{
    write(*(int *)arg, "thread", 6);
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOFBF, 1 << 16); /* printed once, at the end: no writes between looks */
    last_len = -1;
    look("start");
    int fd = open("procio-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    look("nothing");
    write(fd, "0123456789", 10);
    look("write 10");
    lseek(fd, 0, SEEK_SET);
    char buf[64];
    read(fd, buf, 4);
    look("read 4");
    read(fd, buf, sizeof buf);
    read(fd, buf, sizeof buf);
    look("read 6, then at the end");
    pread(fd, buf, 3, 2);
    pwrite(fd, "ab", 2, 20);
    look("pread 3, pwrite 2");
    struct iovec iov[2] = {{buf, 2}, {buf + 2, 3}};
    writev(fd, iov, 2);
    lseek(fd, 0, SEEK_SET);
    readv(fd, iov, 2);
    look("writev 5, readv 5");
    read(999, buf, 1);
    write(999, buf, 1);
    look("read and write of no descriptor");
    readv(999, iov, 1);
    look("readv of no descriptor");
    int p[2];
    pipe2(p, O_NONBLOCK);
    read(p[0], buf, 1);
    look("read of an empty pipe, O_NONBLOCK");
    int out = open("procio-copy", O_RDWR | O_CREAT | O_TRUNC, 0600);
    off_t off = 0;
    sendfile(out, fd, &off, 7);
    look("sendfile 7");
    pthread_t t;
    pthread_create(&t, NULL, thread, &fd);
    pthread_join(t, NULL);
    look("a thread's write 6, joined");
    int q[2];
    pipe(q);
    pid_t pid = fork();
    if (pid == 0) {
        write(fd, "child", 5);
        usleep(100000);
        write(q[1], "late", 4);
        _exit(0);
    }
    read(q[0], buf, sizeof buf); /* waits for the child's write */
    look("a read that waited for 4");
    waitpid(pid, NULL, 0);
    look("the reaped child's writes 5 and 4");
    unlink("procio-file");
    unlink("procio-copy");
    return 0;
}
