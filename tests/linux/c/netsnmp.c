/*
 * tests/linux/c/netsnmp.c - /proc/net/snmp, snmp6, sockstat and
 * sockstat6 move with the traffic: a TCP connection (ActiveOpens,
 * PassiveOpens, CurrEstab, segments), one refused (AttemptFails, OutRsts),
 * UDP datagrams delivered, taken and sent to nobody (OutDatagrams,
 * InDatagrams, NoPorts and ICMP's port unreachable), the same over IPv6,
 * and the sockets in use.  It runs in a network namespace of its own (its
 * loopback brought up), so that the host's other traffic does not count;
 * only the changes are printed.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "netlo.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

/* The value of name (e.g. "Tcp:ActiveOpens", "Udp6InDatagrams",
 * "TCP:inuse") in /proc/net/file; -1 if not there. */
static long stat_of(const char *file, const char *name)
{
    static char text[16384];
    char path[64], prefix[32] = "";
    snprintf(path, sizeof path, "/proc/net/%s", file);
    if (read_text(path, text, sizeof text) < 0)
        return -1;
    const char *colon = strchr(name, ':');
    if (!colon) { /* snmp6: "name value" lines */
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
            char key[64];
            long v;
            if (sscanf(line, "%63s %ld", key, &v) == 2 && strcmp(key, name) == 0)
                return v;
        }
        return -1;
    }
    snprintf(prefix, sizeof prefix, "%.*s:", (int)(colon - name), name);
    const char *field = colon + 1;
    if (strcmp(file, "snmp") != 0) { /* sockstat: "TCP: inuse 1 orphan 0 ..." */
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
            if (strncmp(line, prefix, strlen(prefix)) != 0)
                continue;
            for (char *w = strtok(line + strlen(prefix), " "); w; w = strtok(NULL, " "))
                if (strcmp(w, field) == 0)
                    return atol(strtok(NULL, " "));
        }
        return -1;
    }
    /* snmp: a line of names, then one of values */
    char *lines[64];
    int n = 0;
    for (char *line = strtok(text, "\n"); line && n < 64; line = strtok(NULL, "\n"))
        lines[n++] = line;
    for (int i = 0; i + 1 < n; i += 2) {
        if (strncmp(lines[i], prefix, strlen(prefix)) != 0)
            continue;
        char *np, *vp;
        char *nw = strtok_r(lines[i] + strlen(prefix), " ", &np), *vw = strtok_r(lines[i + 1] + strlen(prefix), " ", &vp);
        for (; nw && vw; nw = strtok_r(NULL, " ", &np), vw = strtok_r(NULL, " ", &vp))
            if (strcmp(nw, field) == 0)
                return atol(vw);
    }
    return -1;
}

static const char *const watched[][2] = {
    {"snmp", "Tcp:ActiveOpens"}, {"snmp", "Tcp:PassiveOpens"}, {"snmp", "Tcp:AttemptFails"},
    {"snmp", "Tcp:CurrEstab"}, {"snmp", "Udp:InDatagrams"}, {"snmp", "Udp:OutDatagrams"},
    {"snmp", "Udp:NoPorts"}, {"snmp", "Icmp:InMsgs"}, {"snmp", "Icmp:OutMsgs"}, {"snmp", "Icmp:InDestUnreachs"},
    {"snmp", "Icmp:OutDestUnreachs"}, {"snmp6", "Udp6InDatagrams"}, {"snmp6", "Udp6OutDatagrams"},
    {"sockstat", "TCP:inuse"}, {"sockstat", "UDP:inuse"}, {"sockstat6", "TCP6:inuse"}, {"sockstat6", "UDP6:inuse"},
};
#define NWATCHED (sizeof watched / sizeof *watched)
static long base[NWATCHED];

static void snap(void)
{
    for (unsigned i = 0; i < NWATCHED; i++)
        base[i] = stat_of(watched[i][0], watched[i][1]);
}

/* What changed since snap, one line each. */
static void changes(const char *when)
{
    printf("-- %s\n", when);
    for (unsigned i = 0; i < NWATCHED; i++) {
        long v = stat_of(watched[i][0], watched[i][1]);
        if (v < 0)
            printf("%s: missing\n", watched[i][1]);
        else if (v != base[i])
            printf("%s %+ld\n", watched[i][1], v - base[i]);
    }
}

/* Whether the counters that depend on timing (acknowledgements) moved. */
static void moved(const char *file, const char *name, long before)
{
    printf("%s moved %d\n", name, stat_of(file, name) > before);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (own_lo() < 0) /* a network namespace of its own: only this traffic counts */
        return 1;
    char text[4096];
    CHECK(read_text("/proc/net/snmp", text, sizeof text) > 0);
    printf("snmp starts: %.3s\n", text);
    CHECK(read_text("/proc/net/snmp6", text, sizeof text) > 0);
    printf("snmp6 starts: %.32s|\n", text);
    CHECK(read_text("/proc/net/sockstat6", text, sizeof text) > 0);
    printf("%s", text);
    long ip_in = stat_of("snmp", "Ip:InReceives"), ip_out = stat_of("snmp", "Ip:OutRequests");
    long in_segs = stat_of("snmp", "Tcp:InSegs"), out_segs = stat_of("snmp", "Tcp:OutSegs");

    snap();
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    int l = socket(AF_INET, SOCK_STREAM, 0), a = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(listen(l, 1)); /* a port of its own, on every address */
    getsockname(l, (struct sockaddr *)&sa, &len);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(connect(a, (struct sockaddr *)&sa, sizeof sa));
    int b = accept(l, NULL, NULL);
    CHECK(write(a, "ping", 4));
    CHECK(read(b, text, sizeof text));
    changes("a TCP connection");
    moved("snmp", "Tcp:InSegs", in_segs);
    moved("snmp", "Tcp:OutSegs", out_segs);
    snap();
    close(a), close(b);
    close(l);
    int r = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(r, (struct sockaddr *)&sa, sizeof sa));
    close(r);
    changes("closed, then refused");

    snap();
    struct sockaddr_in ua = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    len = sizeof ua;
    int u = socket(AF_INET, SOCK_DGRAM, 0), s = socket(AF_INET, SOCK_DGRAM, 0);
    bind(u, (struct sockaddr *)&ua, sizeof ua);
    getsockname(u, (struct sockaddr *)&ua, &len);
    for (int i = 0; i < 3; i++)
        CHECK(sendto(s, "dgram", 5, 0, (struct sockaddr *)&ua, sizeof ua));
    changes("three datagrams sent");
    snap();
    CHECK(recv(u, text, sizeof text, MSG_PEEK));
    for (int i = 0; i < 3; i++)
        CHECK(recv(u, text, sizeof text, 0));
    changes("and taken");
    snap();
    close(u);
    CHECK(sendto(s, "lost", 4, 0, (struct sockaddr *)&ua, sizeof ua));
    changes("one to nobody");
    close(s);
    moved("snmp", "Ip:InReceives", ip_in);
    moved("snmp", "Ip:OutRequests", ip_out);

    snap();
    struct sockaddr_in6 six = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    len = sizeof six;
    int u6 = socket(AF_INET6, SOCK_DGRAM, 0), s6 = socket(AF_INET6, SOCK_DGRAM, 0);
    CHECK(bind(u6, (struct sockaddr *)&six, sizeof six));
    getsockname(u6, (struct sockaddr *)&six, &len);
    CHECK(sendto(s6, "six", 3, 0, (struct sockaddr *)&six, sizeof six));
    CHECK(recv(u6, text, sizeof text, 0));
    int l6 = socket(AF_INET6, SOCK_STREAM, 0);
    CHECK(listen(l6, 1));
    changes("IPv6");
    close(u6), close(s6), close(l6);
    return 0;
}
