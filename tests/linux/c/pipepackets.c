/*
 * tests/linux/c/pipepackets.c - pipes in packet mode (pipe2 with
 * O_DIRECT): each write a packet, split at PIPE_BUF; a read takes one
 * packet at most, and what it leaves of one goes; each packet takes a
 * page of the capacity, so sixteen small ones fill a pipe of 64 KiB
 * (EAGAIN), and a smaller capacity fewer; FIONREAD counts their bytes;
 * F_GETFL shows O_DIRECT, F_SETFL may not set it (EINVAL), and pipe2's
 * other flags are EINVAL (O_NOTIFICATION_PIPE is watchqueue.c's).  The
 * output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

static char buf[70000];

int main(void)
{
    int p[2], n;
    CHECK(pipe2(p, O_DIRECT | O_NONBLOCK));
    printf("read end O_DIRECT %d, write end %d\n", (fcntl(p[0], F_GETFL) & O_DIRECT) != 0,
           (fcntl(p[1], F_GETFL) & O_DIRECT) != 0);
    memset(buf, 'a', sizeof buf);
    CHECK(write(p[1], "hello", 5));
    CHECK(write(p[1], "world!", 6));
    CHECK(read(p[0], buf, 100));
    CHECK(read(p[0], buf, 3)); /* "wor": the rest of the packet goes */
    CHECK(read(p[0], buf, 100));
    CHECK(write(p[1], buf, 5000)); /* packets of 4096 and 904 */
    ioctl(p[0], FIONREAD, &n);
    printf("FIONREAD %d\n", n);
    CHECK(read(p[0], buf, sizeof buf));
    CHECK(read(p[0], buf, sizeof buf));

    int k = 0;
    while (write(p[1], "x", 1) == 1 && k < 100)
        k++;
    printf("one-byte packets until full: %d (%s)\n", k, errno_name(errno));
    ioctl(p[0], FIONREAD, &n);
    printf("FIONREAD %d\n", n);
    CHECK(read(p[0], buf, 2));
    CHECK(write(p[1], "yy", 2));
    CHECK(write(p[1], "z", 1));
    for (k = 0; read(p[0], buf, sizeof buf) > 0; k++)
        ;
    printf("packets read: %d\n", k);

    CHECK(fcntl(p[1], F_SETPIPE_SZ, 8192));
    for (k = 0; write(p[1], buf, 10) == 10 && k < 100; k++)
        ;
    printf("packets in 8 KiB: %d\n", k);
    CHECK(write(p[1], buf, 10));
    close(p[0]), close(p[1]);

    CHECK(pipe2(p, 0));
    CHECK(fcntl(p[1], F_SETFL, O_DIRECT));
    CHECK(fcntl(p[1], F_GETFL) & O_DIRECT);
    close(p[0]), close(p[1]);
    CHECK(pipe2(p, O_DIRECT | O_APPEND));
    CHECK(pipe2(p, O_DIRECT | O_NOATIME));
    return 0;
}
