/*
 * tests/linux/c/unixproc.c - /proc/net/unix: AF_UNIX sockets of each kind
 * (a listening stream on a path, its connection's two ends, an abstract
 * datagram socket and another connected to it, a listening seqpacket
 * socket, an unnamed socketpair) are listed as Linux lists them: the
 * header, the reference count, flags (__SO_ACCEPTCON), type, state,
 * inode (fstat's) and path, an abstract name's 0 as @; and busybox
 * netstat -xa, which reads it, shows them.  The kernel addresses and the
 * inode numbers differ from the host's and are left out.  The output must
 * equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int fds[16], nfds;

static int keep(int fd)
{
    fds[nfds++] = fd;
    return fd;
}

static socklen_t name(struct sockaddr_un *a, const char *path)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    memcpy(a->sun_path, path, strlen(path + 1) + 1); /* an abstract name's first byte is 0 */
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path + 1) + 1 + (path[0] != 0));
}

/* Whether ino is one of the test's sockets' (fstat). */
static int known(unsigned long ino)
{
    for (int i = 0; i < nfds; i++) {
        struct stat st;
        if (fstat(fds[i], &st) == 0 && st.st_ino == ino)
            return 1;
    }
    return 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sockaddr_un a;
    socklen_t la;
    int sv[2];
    unlink("/tmp/unixproc-l");
    int l = keep(socket(AF_UNIX, SOCK_STREAM, 0)), c = keep(socket(AF_UNIX, SOCK_STREAM, 0));
    la = name(&a, "/tmp/unixproc-l");
    CHECK(bind(l, (struct sockaddr *)&a, la));
    CHECK(listen(l, 1));
    CHECK(connect(c, (struct sockaddr *)&a, la));
    CHECK(keep(accept(l, NULL, NULL)) >= 0);
    int d = keep(socket(AF_UNIX, SOCK_DGRAM, 0)), e = keep(socket(AF_UNIX, SOCK_DGRAM, 0));
    la = name(&a, "\0unixproc-d");
    CHECK(bind(d, (struct sockaddr *)&a, la));
    CHECK(connect(e, (struct sockaddr *)&a, la));
    int q = keep(socket(AF_UNIX, SOCK_SEQPACKET, 0));
    la = name(&a, "\0unixproc-q");
    CHECK(bind(q, (struct sockaddr *)&a, la));
    CHECK(listen(q, 1));
    CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    keep(sv[0]), keep(sv[1]);
    FILE *f = fopen("/proc/net/unix", "r");
    char line[512], lines[16][128];
    int n = 0, mine = 0;
    CHECK(f != NULL);
    if (fgets(line, sizeof line, f))
        printf("%s", line);
    while (fgets(line, sizeof line, f)) {
        unsigned refs, proto, flags, type, st;
        unsigned long ino;
        char path[256] = "";
        if (sscanf(line, "%*x: %x %x %x %x %x %lu %255s", &refs, &proto, &flags, &type, &st, &ino, path) < 6)
            continue;
        if (!known(ino))
            continue;
        mine++;
        if (n < 16)
            snprintf(lines[n++], sizeof lines[0], "%s: %08X %08X %08X %04X %02X", path[0] ? path : "(unnamed)", refs,
                     proto, flags, type, st);
    }
    fclose(f);
    printf("sockets of this test listed: %d\n", mine);
    for (int i = 0; i < n; i++) /* in a fixed order */
        for (int j = i + 1; j < n; j++)
            if (strcmp(lines[j], lines[i]) < 0) {
                char t[128];
                memcpy(t, lines[i], sizeof t), memcpy(lines[i], lines[j], sizeof t), memcpy(lines[j], t, sizeof t);
            }
    for (int i = 0; i < n; i++)
        printf("%s\n", lines[i]);
    fflush(stdout);
    CHECK(system("busybox netstat -xa | grep -E 'unixproc|^Proto' | sed -E 's/ +[0-9]+ ([/@])/ INODE \\1/' | sort"));
    CHECK(unlink("/tmp/unixproc-l"));
    return 0;
}
