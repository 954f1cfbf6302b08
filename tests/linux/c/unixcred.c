/*
 * tests/linux/c/unixcred.c - SO_PEERCRED on AF_UNIX stream sockets: a
 * socketpair's ends name their maker; a connection's accepted end names
 * the connecting process, and the connecting end the listener's maker (as
 * it was at listen); an unconnected socket names nobody (pid 0, ids -1).
 * The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static struct ucred peer(int fd)
{
    struct ucred u = {-2, 7, 7};
    socklen_t l = sizeof u;
    CHECK(getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &u, &l));
    CHECK(l);
    return u;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    struct ucred u = peer(sv[0]);
    CHECK(u.pid == getpid() && u.uid == geteuid() && u.gid == getegid());
    u = peer(sv[1]);
    CHECK(u.pid == getpid());
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    u = peer(s);
    CHECK(u.pid);
    CHECK((int)u.uid == -1);
    CHECK((int)u.gid == -1);
    struct ucred small;
    socklen_t l = 4;
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &small, &l));
    CHECK(l);
    l = sizeof u;
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, (void *)1, &l));
    struct sockaddr_un a = {AF_UNIX, "\0unixcred"};
    socklen_t la = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 9);
    CHECK(bind(s, (struct sockaddr *)&a, la));
    CHECK(listen(s, 4));
    pid_t child = fork();
    if (child == 0) {
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        connect(c, (struct sockaddr *)&a, la);
        struct ucred v;
        socklen_t vl = sizeof v;
        getsockopt(c, SOL_SOCKET, SO_PEERCRED, &v, &vl);
        printf("child: peer pid is the parent's: %d\n", v.pid == getppid());
        char b = 'x';
        write(c, &b, 1); /* the parent prints after this line */
        read(c, &b, 1);
        _exit(0);
    }
    int acc = accept(s, NULL, NULL);
    char b;
    read(acc, &b, 1);
    u = peer(acc);
    CHECK(u.pid == child && u.uid == geteuid() && u.gid == getegid());
    close(acc);
    wait(NULL);
    return 0;
}
