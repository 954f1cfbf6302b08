/*
 * tests/linux/c/select.c - select and pselect6: readiness of pipes and
 * files, a timeout that expires and writes back the time left, a reader
 * woken by a child's write, end of file and a closed reader, bad input.
 * The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, int r, fd_set *rd, fd_set *wr, int a, int b)
{
    printf("%s: %d", what, r);
    if (r < 0)
        printf(" %s", strerror(errno));
    if (rd)
        printf(" read{%d%d}", FD_ISSET(a, rd), FD_ISSET(b, rd));
    if (wr)
        printf(" write{%d%d}", FD_ISSET(a, wr), FD_ISSET(b, wr));
    printf("\n");
}

int main(void)
{
    int p[2];
    fd_set rd, wr;
    struct timeval tv;
    pipe(p);

    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(p[0], &rd);
    FD_SET(p[1], &wr);
    tv = (struct timeval){0, 0};
    show("empty pipe, no wait", select(p[1] + 1, &rd, &wr, NULL, &tv), &rd, &wr, p[0], p[1]);

    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    tv = (struct timeval){0, 200000};
    int r = select(p[0] + 1, &rd, NULL, NULL, &tv);
    show("empty pipe, 0.2 s", r, &rd, NULL, p[0], p[1]);
    printf("time left after the timeout: %ld.%06ld\n", (long)tv.tv_sec, (long)tv.tv_usec);

    write(p[1], "x", 1);
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(p[0], &rd);
    FD_SET(p[1], &wr);
    show("one byte in", select(p[1] + 1, &rd, &wr, NULL, NULL), &rd, &wr, p[0], p[1]);
    char c;
    read(p[0], &c, 1);

    pid_t pid = fork();
    if (pid == 0) {
        struct timespec ts = {0, 100000000};
        nanosleep(&ts, NULL);
        write(p[1], "y", 1);
        _exit(0);
    }
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    show("woken by the child", select(p[0] + 1, &rd, NULL, NULL, NULL), &rd, NULL, p[0], p[1]);
    waitpid(pid, NULL, 0);
    read(p[0], &c, 1);

    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    struct timespec ts = {0, 50000000};
    sigset_t none;
    sigemptyset(&none);
    show("pselect6, empty, 0.05 s", pselect(p[0] + 1, &rd, NULL, NULL, &ts, &none), &rd, NULL, p[0], p[1]);

    int f = open("/tmp/select-file", O_CREAT | O_RDWR | O_TRUNC, 0644);
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(f, &rd);
    FD_SET(f, &wr);
    show("a regular file", select(f + 1, &rd, &wr, NULL, NULL), &rd, &wr, f, f);
    close(f);
    unlink("/tmp/select-file");

    close(p[1]);
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    show("writer closed (end of file)", select(p[0] + 1, &rd, NULL, NULL, NULL), &rd, NULL, p[0], p[1]);

    int q[2];
    pipe(q);
    close(q[0]);
    FD_ZERO(&wr);
    FD_SET(q[1], &wr);
    signal(SIGPIPE, SIG_IGN);
    show("reader closed", select(q[1] + 1, NULL, &wr, NULL, NULL), NULL, &wr, q[1], q[1]);

    FD_ZERO(&rd);
    FD_SET(p[1], &rd); /* closed above */
    show("a closed descriptor", select(p[1] + 1, &rd, NULL, NULL, NULL), NULL, NULL, 0, 0);
    show("negative nfds", select(-1, NULL, NULL, NULL, NULL), NULL, NULL, 0, 0);
    tv = (struct timeval){-1, 0};
    show("negative timeout", select(0, NULL, NULL, NULL, &tv), NULL, NULL, 0, 0);
    show("bad set pointer", select(4, (fd_set *)8, NULL, NULL, NULL), NULL, NULL, 0, 0);
    tv = (struct timeval){0, 30000};
    show("no descriptors, 0.03 s", select(0, NULL, NULL, NULL, &tv), NULL, NULL, 0, 0);
    return 0;
}
