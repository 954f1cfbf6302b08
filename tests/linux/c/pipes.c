/*
 * tests/linux/c/pipes.c - pipe data paths under load: a writer pushing
 * 64 KiB chunks (the pipe's whole capacity) to a reader that takes them in
 * reads of other sizes, odd sizes both ways, and the byte sum at the end.
 * writev and readv across several buffers; bad buffers; a write a signal
 * interrupts.  The output must
 * equal the host Linux's.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static char wbuf[65536], rbuf[65536 + 512];

static void transfer(size_t chunk, long chunks, size_t rsize)
{
    int p[2];
    if (pipe(p))
        return perror("pipe");
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        for (size_t i = 0; i < chunk; i++)
            wbuf[i] = (char)(i * 7 + 3);
        for (long c = 0; c < chunks; c++)
            for (size_t off = 0; off < chunk;) {
                ssize_t w = write(p[1], wbuf + off, chunk - off);
                if (w <= 0)
                    _exit(1);
                off += (size_t)w;
            }
        _exit(0);
    }
    close(p[1]);
    unsigned long total = 0, sum = 0;
    for (ssize_t r; (r = read(p[0], rbuf, rsize)) > 0;) {
        for (ssize_t i = 0; i < r; i++)
            sum += (unsigned char)rbuf[i];
        total += (unsigned long)r;
    }
    int status;
    waitpid(pid, &status, 0);
    close(p[0]);
    printf("chunk %zu x %ld, reads of %zu: %lu bytes, sum %lu, writer status %d\n", chunk, chunks, rsize, total,
           sum, WEXITSTATUS(status));
}

/* One writev of two buffers, 4000 and 70000 bytes, to a reader that starts
 * late: Linux's blocking writev moves all of it; readv fills its buffers
 * in order. */
static void vectors(void)
{
    static char a[4000], b[70000], r1[10], r2[200000];
    int p[2];
    pipe(p);
    memset(a, 'a', sizeof a), memset(b, 'b', sizeof b);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        struct iovec v[2] = {{a, sizeof a}, {b, sizeof b}};
        _exit(writev(p[1], v, 2) == sizeof a + sizeof b ? 0 : 1);
    }
    close(p[1]);
    usleep(100000);
    struct iovec v[2] = {{r1, sizeof r1}, {r2, sizeof r2}};
    ssize_t k = readv(p[0], v, 2);
    printf("readv: first buffer %.10s, the second written too %d\n", r1, k > (ssize_t)sizeof r1);
    size_t got = (size_t)k;
    while ((k = read(p[0], r2, sizeof r2)) > 0)
        got += (size_t)k;
    int status;
    waitpid(pid, &status, 0);
    close(p[0]);
    printf("writev of 4000 + 70000: %zu bytes through, writer status %d\n", got, WEXITSTATUS(status));
}

/* A read into a bad buffer fails with EFAULT and leaves the data in the
 * pipe; a write from one moves nothing. */
static void bad_buffers(void)
{
    int p[2];
    char buf[8] = {0};
    pipe(p);
    write(p[1], "abc", 3);
    ssize_t r = read(p[0], (void *)8, 3);
    printf("read into a bad buffer: %zd %s\n", r, r < 0 ? strerror(errno) : "");
    r = read(p[0], buf, sizeof buf);
    printf("then: %zd \"%s\"\n", r, buf);
    r = write(p[1], (void *)8, 3);
    printf("write from a bad buffer: %zd %s\n", r, r < 0 ? strerror(errno) : "");
    close(p[1]);
    printf("then the reader sees %zd bytes\n", read(p[0], buf, sizeof buf));
    close(p[0]);
}

static void on_alarm(int sig) { (void)sig; }

/* A signal interrupts a write that has filled the pipe: the write returns
 * what it moved, with or without SA_RESTART, and nothing is sent twice. */
static void interrupted_write(void)
{
    static char big[100000];
    int p[2];
    pipe(p);
    for (int restart = 0; restart < 2; restart++) {
        struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = restart ? SA_RESTART : 0};
        sigaction(SIGALRM, &sa, NULL);
        struct itimerval it = {{0, 0}, {0, 100000}};
        setitimer(ITIMER_REAL, &it, NULL);
        ssize_t w = write(p[1], big, sizeof big), got = 0, r;
        fcntl(p[0], F_SETFL, O_NONBLOCK);
        while ((r = read(p[0], rbuf, sizeof rbuf)) > 0)
            got += r;
        printf("write interrupted (SA_RESTART %d): %zd written, %zd in the pipe\n", restart, w, got);
    }
    close(p[0]), close(p[1]);
    signal(SIGALRM, SIG_DFL);
}

int main(void)
{
    bad_buffers();
    interrupted_write();
    vectors();
    transfer(65536, 64, 65536);
    transfer(65536, 16, 65536 + 512);
    transfer(65536, 8, 1000);
    transfer(4096, 100, 65536);
    transfer(1, 3000, 7);
    transfer(65535, 9, 4097);
    return 0;
}
