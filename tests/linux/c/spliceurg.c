/*
 * tests/linux/c/spliceurg.c - splice out of a TCP socket with urgent data
 * waiting, in a network namespace of its own: it stops before the urgent
 * mark and says 0 at it, whether the urgent byte was read with MSG_OOB or
 * not (tcp_read_sock's rule), and a recv then passes the byte over (or,
 * SO_OOBINLINE, reads it); run with an argument for SO_OOBINLINE.
 */
#define _GNU_SOURCE
#include "check.h"
#include "netlo.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>

static void spliced(int a, int p[2])
{
    char buf[16];
    CHECK(splice(a, 0, p[1], 0, 100, SPLICE_F_NONBLOCK));
    long n = read(p[0], buf, sizeof buf);
    printf("pipe has %.*s\n", (int)(n < 0 ? 0 : n), buf);
}

static void run(int oobinline)
{
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1, p[2];
    struct sockaddr_in b = {.sin_family = AF_INET, .sin_port = htons(7400), .sin_addr.s_addr = htonl(0x7f000001)};
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    CHECK(bind(l, (struct sockaddr *)&b, sizeof b));
    CHECK(listen(l, 8));
    int c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(c, (struct sockaddr *)&b, sizeof b));
    int a = accept(l, NULL, NULL);
    if (oobinline)
        CHECK(setsockopt(a, SOL_SOCKET, SO_OOBINLINE, &one, sizeof one));
    CHECK(pipe2(p, O_NONBLOCK));
    char buf[16] = "";
    CHECK(send(c, "ab", 2, 0));
    CHECK(send(c, "c", 1, MSG_OOB));
    CHECK(send(c, "de", 2, 0));
    usleep(50000);
    spliced(a, p);
    spliced(a, p);
    CHECK(recv(a, buf, 1, MSG_OOB | MSG_DONTWAIT));
    spliced(a, p);
    long n = recv(a, buf, sizeof buf, MSG_DONTWAIT);
    printf("recv %ld: %.*s\n", n, (int)(n < 0 ? 0 : n), buf);
    close(a), close(c), close(l), close(p[0]), close(p[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (own_lo() < 0)
        return 1;
    run(0);
    run(1);
    return 0;
}
