/*
 * tests/linux/c/tcpmmsg.c - sendmmsg and recvmmsg on a TCP connection over
 * the loopback: the count and each msg_len, MSG_DONTWAIT and
 * MSG_WAITFORONE, a first receive that waits for the peer's write, a send
 * bigger than the buffers that waits for the reader, and end of file.
 * The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "mmsg.h"
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    CHECK(bind(l, (struct sockaddr *)&a, sizeof a));
    CHECK(listen(l, 1));
    getsockname(l, (struct sockaddr *)&a, &len);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(c, (struct sockaddr *)&a, sizeof a));
    int s = accept(l, NULL, NULL);
    const char *three[] = {"aaa", "bbbb", "cc"};
    prep(3, three);
    CHECK(sendmmsg(c, mm, 3, 0));
    printf("  sent %u %u %u\n", mm[0].msg_len, mm[1].msg_len, mm[2].msg_len);
    usleep(50000);
    prep(N, NULL);
    CHECK(recvmmsg(s, mm, N, MSG_DONTWAIT, NULL));
    show(N);
    CHECK(recvmmsg(s, mm, N, MSG_DONTWAIT, NULL));
    /* the first receive waits for the peer's write */
    if (fork() == 0) {
        usleep(100000);
        _exit(write(c, "later", 5) == 5 ? 0 : 1);
    }
    prep(N, NULL);
    CHECK(recvmmsg(s, mm, N, MSG_WAITFORONE, NULL));
    show(2);
    wait(NULL);
    /* a send bigger than the buffers waits for the reader */
    big_send(c, s, 8 << 20);
    /* the peer closed: end of file in each message */
    close(c);
    prep(2, NULL);
    CHECK(recvmmsg(s, mm, 2, 0, NULL));
    show(2);
    return 0;
}
