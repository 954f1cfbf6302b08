/*
 * tests/linux/c/netstatext.c - /proc/net/netstat's counters the loopback
 * moves (TCPOrigDataSent, TCPAbortOnClose, TCPAbortOnData; the listen
 * queue's ListenOverflows and ListenDrops, which stay; InNoECTPkts, which
 * follows Ip's InReceives) and the resets' Tcp OutRsts, in a network
 * namespace of its own on the host; /proc/net/protocols's sockets column
 * for TCP and UNIX-STREAM.  The output must equal the host Linux's.  With
 * argument persona-only: the files' lines of names and columns, Linux
 * 6.1's (the host's have fields and columns 6.1 had not, and lacks its
 * sendpage column), compared with netstatext.persona-only.expected.
 */
#define _GNU_SOURCE
#include "check.h"
#include "netlo.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

static char text[65536];

/* The value of field in the line pair of title ("TcpExt", "IpExt", "Tcp") of file. */
static long stat_of(const char *file, const char *title, const char *field)
{
    char path[64], *lines[64];
    int n = 0;
    snprintf(path, sizeof path, "/proc/net/%s", file);
    if (read_text(path, text, sizeof text) < 0)
        return -1;
    for (char *line = strtok(text, "\n"); line && n < 64; line = strtok(NULL, "\n"))
        lines[n++] = line;
    size_t tl = strlen(title);
    for (int i = 0; i + 1 < n; i += 2) {
        if (strncmp(lines[i], title, tl) || lines[i][tl] != ':')
            continue;
        char *np, *vp;
        char *nw = strtok_r(lines[i] + tl + 1, " ", &np), *vw = strtok_r(lines[i + 1] + tl + 1, " ", &vp);
        for (; nw && vw; nw = strtok_r(NULL, " ", &np), vw = strtok_r(NULL, " ", &vp))
            if (strcmp(nw, field) == 0)
                return atol(vw);
    }
    return -1;
}

/* A protocol's sockets in /proc/net/protocols. */
static long proto_sockets(const char *name)
{
    if (read_text("/proc/net/protocols", text, sizeof text) < 0)
        return -1;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char key[32];
        long size, sockets;
        if (sscanf(line, "%31s %ld %ld", key, &size, &sockets) == 3 && strcmp(key, name) == 0)
            return sockets;
    }
    return -1;
}

static const char *const watched[][3] = {
    {"netstat", "TcpExt", "TCPOrigDataSent"}, {"netstat", "TcpExt", "TCPAbortOnClose"},
    {"netstat", "TcpExt", "TCPAbortOnData"}, {"netstat", "TcpExt", "ListenOverflows"},
    {"netstat", "TcpExt", "ListenDrops"}, {"snmp", "Tcp", "OutRsts"},
};
#define NWATCHED (sizeof watched / sizeof *watched)
static long base[NWATCHED];

static void snap(void)
{
    for (unsigned i = 0; i < NWATCHED; i++)
        base[i] = stat_of(watched[i][0], watched[i][1], watched[i][2]);
}

static void changes(const char *when)
{
    printf("-- %s\n", when);
    for (unsigned i = 0; i < NWATCHED; i++) {
        long v = stat_of(watched[i][0], watched[i][1], watched[i][2]);
        if (v < 0)
            printf("%s: missing\n", watched[i][2]);
        else if (v != base[i])
            printf("%s %+ld\n", watched[i][2], v - base[i]);
    }
    snap();
}

static void pair(int l, int *a, int *b)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    getsockname(l, (struct sockaddr *)&sa, &len);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    *a = socket(AF_INET, SOCK_STREAM, 0);
    connect(*a, (struct sockaddr *)&sa, sizeof sa);
    *b = accept(l, NULL, NULL);
}

/* The first line of each pair of names, up to past, and protocols' header. */
static void names(void)
{
    read_text("/proc/net/netstat", text, sizeof text);
    char *nl = strchr(text, '\n');
    printf("%.*s\n", nl ? (int)(nl - text) : 0, text);
    char *ip = strstr(text, "IpExt:");
    nl = ip ? strchr(ip, '\n') : NULL;
    printf("%.*s\n", nl ? (int)(nl - ip) : 0, ip ? ip : "");
    read_text("/proc/net/protocols", text, sizeof text);
    nl = strchr(text, '\n');
    printf("%.*s\n", nl ? (int)(nl - text) : 0, text);
    for (char *line = strtok(nl ? nl + 1 : text, "\n"); line; line = strtok(NULL, "\n")) {
        char key[32];
        if (sscanf(line, "%31s", key) == 1 && (!strcmp(key, "TCP") || !strcmp(key, "UNIX")))
            printf("%.9s ... %s\n", line, line + 49); /* the name and the methods' columns */
    }
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], "persona-only")) {
        names();
        return 0;
    }
    if (own_lo() < 0) /* a network namespace of its own: only this traffic counts */
        return 1;
    snap();
    long tcp0 = proto_sockets("TCP"), unix0 = proto_sockets("UNIX-STREAM");
    int l = socket(AF_INET, SOCK_STREAM, 0), a, b;
    CHECK(listen(l, 1));
    pair(l, &a, &b);
    CHECK(proto_sockets("TCP") - tcp0);
    CHECK(write(a, "hello", 5));
    CHECK(read(b, text, sizeof text));
    CHECK(write(b, "world", 5));
    CHECK(read(a, text, sizeof text));
    usleep(20000);
    changes("two writes");
    CHECK(write(a, "unread", 6));
    usleep(20000);
    close(b);
    usleep(20000);
    changes("a close with data unread");
    close(a);
    pair(l, &a, &b);
    struct linger lg = {1, 0};
    CHECK(setsockopt(a, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    close(a);
    usleep(20000);
    changes("SO_LINGER's close of no time");
    close(b), close(l);
    long ip_in = stat_of("snmp", "Ip", "InReceives"), noect = stat_of("netstat", "IpExt", "InNoECTPkts");
    printf("InNoECTPkts is Ip InReceives: %d\n", ip_in == noect && ip_in > 0);
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    CHECK(proto_sockets("UNIX-STREAM") - unix0);
    CHECK(proto_sockets("TCP") - tcp0);
    return 0;
}
