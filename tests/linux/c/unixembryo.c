/*
 * tests/linux/c/unixembryo.c - /proc/net/unix of connections a listener
 * has queued and not yet accepted: as Linux's, each shows under the
 * listener's name, connecting (state 02), with inode 0, until accept
 * makes it a socket of its own (connected, 03, its inode).  Streams and
 * seqpacket sockets.  The kernel addresses are left out and the rows
 * sorted (their order is the kernel's hash's); the output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int by_text(const void *a, const void *b) { return strcmp(a, b); }

/* The rows of /proc/net/unix named with tag, past their address, inodes
 * other than 0 said as "ino", sorted. */
static void show(const char *tag)
{
    char line[512], rows[8][128];
    int n = 0;
    FILE *f = fopen("/proc/net/unix", "r");
    while (f && fgets(line, sizeof line, f)) {
        char *rest = strchr(line, ':');
        unsigned refs, proto, flags, type, st;
        unsigned long ino;
        char path[256];
        if (!rest || !strstr(line, tag) ||
            sscanf(rest + 1, "%x %x %x %x %x %lu %255s", &refs, &proto, &flags, &type, &st, &ino, path) != 7)
            continue;
        if (n < 8)
            snprintf(rows[n++], sizeof rows[0], "refs %u flags %05x type %u st %02x inode %s %s", refs, flags, type,
                     st, ino ? "ino" : "0", path);
    }
    if (f)
        fclose(f);
    qsort(rows, (size_t)n, sizeof rows[0], by_text);
    for (int i = 0; i < n; i++)
        printf("%s\n", rows[i]);
}

static void queued(int type, const char *tag)
{
    struct sockaddr_un s = {AF_UNIX, ""};
    snprintf(s.sun_path + 1, sizeof s.sun_path - 1, "%s", tag);
    socklen_t ls = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(tag);
    int l = socket(AF_UNIX, type, 0), a = socket(AF_UNIX, type, 0), b = socket(AF_UNIX, type, 0);
    printf("-- type %d\n", type);
    CHECK(bind(l, (struct sockaddr *)&s, ls));
    CHECK(listen(l, 4));
    CHECK(connect(a, (struct sockaddr *)&s, ls));
    CHECK(connect(b, (struct sockaddr *)&s, ls));
    show(tag);
    int acc = accept(l, NULL, NULL);
    CHECK(acc >= 0);
    show(tag);
    close(acc), close(a), close(b), close(l);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    queued(SOCK_STREAM, "embryo-stream");
    queued(SOCK_SEQPACKET, "embryo-seqpacket");
    return 0;
}
