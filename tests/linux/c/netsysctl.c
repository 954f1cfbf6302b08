/*
 * tests/linux/c/netsysctl.c - /proc/sys/net, in a network namespace of
 * the test's own (unshare, as root: the host's settings are never
 * touched): the settings' defaults in a new namespace, their writes and
 * read-backs, the bounds (EINVAL past them, a vector's order), and what
 * each changes: IP_TTL's and IPV6_UNICAST_HOPS's defaults and the
 * packets' TTL and hop limit, bind below ip_unprivileged_port_start
 * without CAP_NET_BIND_SERVICE, ip_nonlocal_bind (and no route from
 * the address it lets a socket take), echo replies under
 * icmp_echo_ignore_all, the TCP options' defaults (TCP_KEEPIDLE,
 * TCP_KEEPINTVL, TCP_KEEPCNT, TCP_SYNCNT, TCP_LINGER2, TCP_CONGESTION),
 * a TCP socket's buffers from tcp_rmem and tcp_wmem, IPV6_V6ONLY's
 * default, an AF_UNIX datagram queue's length, lo's ::1 under
 * disable_ipv6, the conf/ files' reach, and who may write (a holder of
 * CAP_NET_ADMIN over the namespace, as root; the files its user
 * namespace's root's).  "netsysctl persona-only"
 * shows what Linux 6.18 (the host) has otherwise than 6.1: the machine's
 * net.core settings (the initial namespace's alone in 6.1) and
 * SO_RCVBUF's and SO_SNDBUF's bounds by them, and the defaults that
 * differ (tcp_rmem's third, the congestion control):
 * tests/linux/c/netsysctl.persona-only.expected is Linux 6.1's answer.
 */
#define _GNU_SOURCE
#include "check.h"
#include "netlo.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define NET "/proc/sys/net/"

static void rd(const char *name)
{
    char path[128], buf[256];
    snprintf(path, sizeof path, NET "%s", name);
    long n = read_text(path, buf, sizeof buf);
    if (n < 0)
        printf("%-44s : %s\n", name, errno_name(errno));
    else
        printf("%-44s = %s", name, buf);
}

static void wr(const char *name, const char *text)
{
    char path[128];
    int opened;
    snprintf(path, sizeof path, NET "%s", name);
    long n = write_text(path, text, &opened);
    printf("write %-38s \"%s\": %ld %s\n", name, text, n, n < 0 ? errno_name(errno) : "");
}

static void wr_rd(const char *name, const char *text)
{
    wr(name, text);
    rd(name);
}

static int opt(int fd, int level, int name)
{
    int v = -999;
    socklen_t l = sizeof v;
    return getsockopt(fd, level, name, &v, &l) < 0 ? -errno : v;
}

static const char *const defaults[] = {
    "core/somaxconn", "core/txrehash", "ipv4/ip_local_port_range", "ipv4/ping_group_range",
    "ipv4/ip_unprivileged_port_start", "ipv4/ip_default_ttl", "ipv4/ip_nonlocal_bind", "ipv4/ip_forward",
    "ipv4/icmp_echo_ignore_all", "ipv4/icmp_echo_ignore_broadcasts", "ipv4/icmp_ignore_bogus_error_responses",
    "ipv4/icmp_ratemask", "ipv4/tcp_fin_timeout", "ipv4/tcp_keepalive_time", "ipv4/tcp_keepalive_intvl",
    "ipv4/tcp_keepalive_probes", "ipv4/tcp_syn_retries", "ipv4/tcp_synack_retries", "ipv4/tcp_retries1",
    "ipv4/tcp_retries2", "ipv4/tcp_syncookies", "ipv4/tcp_tw_reuse", "ipv4/tcp_ecn", "ipv4/tcp_fastopen",
    "ipv4/tcp_timestamps", "ipv4/tcp_sack", "ipv4/tcp_window_scaling", "ipv4/tcp_wmem", "ipv4/udp_rmem_min",
    "ipv4/udp_wmem_min", "ipv4/tcp_mem", "ipv4/udp_mem", "ipv4/conf/all/forwarding", "ipv4/conf/all/rp_filter",
    "ipv4/conf/all/accept_redirects", "ipv4/conf/all/send_redirects", "ipv4/conf/all/accept_source_route",
    "ipv4/conf/all/log_martians", "ipv4/conf/default/accept_source_route", "ipv4/conf/default/rp_filter",
    "ipv4/conf/lo/forwarding", "ipv4/conf/lo/accept_source_route", "ipv4/conf/lo/send_redirects",
    "ipv6/conf/all/disable_ipv6", "ipv6/conf/all/hop_limit", "ipv6/conf/all/forwarding",
    "ipv6/conf/default/disable_ipv6", "ipv6/conf/default/hop_limit", "ipv6/conf/lo/disable_ipv6",
    "ipv6/conf/lo/hop_limit", "ipv6/bindv6only", "ipv6/ip_nonlocal_bind", "ipv6/icmp/echo_ignore_all",
    "unix/max_dgram_qlen"};

/* Each setting's bounds, as proc_dointvec_minmax and its kin check them. */
static void bounds(void)
{
    static const char *const w[][2] = {
        {"ipv4/ip_default_ttl", "0"}, {"ipv4/ip_default_ttl", "256"}, {"ipv4/ip_default_ttl", "255"},
        {"ipv4/ip_default_ttl", "1"}, {"ipv4/icmp_echo_ignore_all", "2"}, {"ipv4/icmp_echo_ignore_all", "-1"},
        {"ipv4/icmp_echo_ignore_broadcasts", "2"}, {"ipv4/icmp_echo_ignore_broadcasts", "0"},
        {"ipv4/ip_nonlocal_bind", "256"}, {"ipv4/ip_nonlocal_bind", "-1"}, {"ipv4/ip_nonlocal_bind", "255"},
        {"ipv4/ip_nonlocal_bind", "0"}, {"ipv4/tcp_keepalive_probes", "256"}, {"ipv4/tcp_keepalive_probes", "0"},
        {"ipv4/tcp_syn_retries", "0"}, {"ipv4/tcp_syn_retries", "128"}, {"ipv4/tcp_syn_retries", "127"},
        {"ipv4/tcp_timestamps", "256"}, {"ipv4/tcp_timestamps", "2"}, {"ipv4/tcp_sack", "-1"},
        {"ipv4/tcp_window_scaling", "3"}, {"ipv4/tcp_retries2", "256"}, {"ipv4/tcp_tw_reuse", "3"},
        {"ipv4/tcp_ecn", "3"}, {"ipv4/tcp_fastopen", "-1"}, {"ipv4/tcp_fin_timeout", "-5"},
        {"ipv4/tcp_fin_timeout", "10000000"}, {"ipv4/tcp_keepalive_time", "0"},
        {"ipv4/tcp_keepalive_time", "10000000"}, {"ipv4/tcp_wmem", "0 1 2"}, {"ipv4/tcp_wmem", "1 1 1"},
        {"ipv4/tcp_wmem", "4096 16384 4194304"}, {"ipv4/udp_rmem_min", "0"},
        {"ipv4/ip_forward", "-1"}, {"ipv4/ip_forward", "0"}, {"ipv4/conf/all/rp_filter", "3"},
        {"ipv4/conf/all/rp_filter", "0"}, {"ipv6/conf/all/hop_limit", "0"}, {"ipv6/conf/all/hop_limit", "256"},
        {"ipv6/conf/all/hop_limit", "255"}, {"ipv6/bindv6only", "256"}, {"ipv6/bindv6only", "2"},
        {"ipv6/bindv6only", "0"}, {"unix/max_dgram_qlen", "-1"}, {"unix/max_dgram_qlen", "10"},
        {"core/somaxconn", "-1"}, {"core/somaxconn", "0"}, {"core/somaxconn", "4096"}, {"core/txrehash", "2"},
        {"ipv4/ip_unprivileged_port_start", "-1"}, {"ipv4/ip_unprivileged_port_start", "65536"},
        {"ipv4/ip_unprivileged_port_start", "32769"}, {"ipv4/ip_unprivileged_port_start", "32768"},
        {"ipv4/ip_local_port_range", "1000 2000"}, {"ipv4/ip_unprivileged_port_start", "500"},
        {"ipv4/ip_local_port_range", "1000 2000"}, {"ipv4/ip_unprivileged_port_start", "1500"},
        {"ipv4/ip_local_port_range", "32768 60999"}, {"ipv4/ip_unprivileged_port_start", "1024"},
        {"ipv4/tcp_congestion_control", "reno"}, {"ipv4/tcp_congestion_control", "nosuch"},
        {"ipv4/tcp_congestion_control", "reno x"}, {"ipv4/tcp_congestion_control", "reno\n"}};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        wr_rd(w[i][0], w[i][1]);
    wr("ipv4/tcp_rmem", "0 1 2"); /* (its third differs in 6.18: not read here) */
    wr("ipv4/tcp_allowed_congestion_control", "reno"); /* the machine's: read-only here */
}

/* IP_TTL and IPV6_UNICAST_HOPS unset follow ip_default_ttl and
 * conf/all/hop_limit; the packets carry them (IP_RECVTTL, lo's hop_limit
 * by IPV6_RECVHOPLIMIT). */
static int received_ttl(int family)
{
    int r = socket(family, SOCK_DGRAM, 0), s = socket(family, SOCK_DGRAM, 0), one = 1;
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct sockaddr *a = family == AF_INET6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4;
    socklen_t al = family == AF_INET6 ? sizeof a6 : sizeof a4;
    if (family == AF_INET6)
        setsockopt(r, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof one);
    else
        setsockopt(r, IPPROTO_IP, IP_RECVTTL, &one, sizeof one);
    bind(r, a, al);
    getsockname(r, a, &al);
    sendto(s, "x", 1, 0, a, al);
    char data[8], cbuf[64];
    struct iovec io = {data, sizeof data};
    struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    int ttl = -1;
    if (recvmsg(r, &m, MSG_DONTWAIT) == 1)
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
            memcpy(&ttl, CMSG_DATA(c), sizeof ttl);
    close(r), close(s);
    return ttl;
}

static void ttl(void)
{
    int u4 = socket(AF_INET, SOCK_DGRAM, 0), u6 = socket(AF_INET6, SOCK_DGRAM, 0), v = 5, unset = -1;
    printf("IP_TTL %d, IPV6_UNICAST_HOPS %d, packets %d %d\n", opt(u4, IPPROTO_IP, IP_TTL),
           opt(u6, IPPROTO_IPV6, IPV6_UNICAST_HOPS), received_ttl(AF_INET), received_ttl(AF_INET6));
    wr("ipv4/ip_default_ttl", "77");
    wr("ipv6/conf/all/hop_limit", "33");
    wr("ipv6/conf/lo/hop_limit", "44");
    printf("IP_TTL %d, IPV6_UNICAST_HOPS %d, packets %d %d\n", opt(u4, IPPROTO_IP, IP_TTL),
           opt(u6, IPPROTO_IPV6, IPV6_UNICAST_HOPS), received_ttl(AF_INET), received_ttl(AF_INET6));
    setsockopt(u4, IPPROTO_IP, IP_TTL, &v, sizeof v);
    printf("set 5: %d", opt(u4, IPPROTO_IP, IP_TTL));
    setsockopt(u4, IPPROTO_IP, IP_TTL, &unset, sizeof unset);
    printf(", set -1: %d\n", opt(u4, IPPROTO_IP, IP_TTL));
    wr("ipv4/ip_default_ttl", "64");
    wr("ipv6/conf/all/hop_limit", "64");
    wr("ipv6/conf/lo/hop_limit", "64");
    close(u4), close(u6);
}

/* A bind below ip_unprivileged_port_start without CAP_NET_BIND_SERVICE
 * (nobody's) is EACCES; at or above it, or with the sysctl at 0, taken. */
static void unprivileged_port(void)
{
    wr("ipv4/ip_unprivileged_port_start", "2000");
    for (int round = 0; round < 2; round++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            setresuid(65534, 65534, 65534);
            int ports[] = {80, 1500, 2500};
            for (int i = 0; i < 3; i++) {
                int s = socket(AF_INET, SOCK_STREAM, 0);
                struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)ports[i]),
                                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
                int r = bind(s, (struct sockaddr *)&a, sizeof a);
                printf("  nobody binds %d: %d %s\n", ports[i], r, r < 0 ? errno_name(errno) : "");
                close(s);
            }
            fflush(stdout);
            _exit(0);
        }
        waitpid(pid, NULL, 0);
        wr("ipv4/ip_unprivileged_port_start", round ? "1024" : "0");
    }
}

/* A bind to an address no interface has: EADDRNOTAVAIL until ip_nonlocal_bind. */
static void nonlocal(void)
{
    for (int round = 0; round < 2; round++) {
        int s = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = inet_addr("10.9.8.7")};
        int r = bind(s, (struct sockaddr *)&a, sizeof a);
        printf("bind 10.9.8.7: %d %s\n", r, r < 0 ? errno_name(errno) : "");
        struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        if (!r) { /* no route from it: a send, a TCP connect */
            int t = socket(AF_INET, SOCK_STREAM, 0);
            bind(t, (struct sockaddr *)&a, sizeof a);
            long n = sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof to);
            printf("  send from it: %ld %s\n", n, n < 0 ? errno_name(errno) : "");
            n = connect(t, (struct sockaddr *)&to, sizeof to);
            printf("  TCP connect from it: %ld %s\n", n, n < 0 ? errno_name(errno) : "");
            close(t);
        }
        close(s);
        wr("ipv4/ip_nonlocal_bind", round ? "0" : "1");
    }
}

/* An echo request to 127.0.0.1 (a raw ICMP socket sees its reply) goes
 * unanswered while icmp_echo_ignore_all is 1. */
static int echo_answered(void)
{
    int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    uint8_t req[16] = {ICMP_ECHO, 0, 0, 0, 0x12, 0x34, 0, 1, 'p', 'i', 'n', 'g'};
    uint32_t sum = 0;
    for (int i = 0; i < 16; i += 2)
        sum += (uint32_t)(req[i] << 8 | req[i + 1]);
    sum = (sum & 0xffff) + (sum >> 16);
    sum = ~(sum + (sum >> 16)) & 0xffff;
    req[2] = (uint8_t)(sum >> 8), req[3] = (uint8_t)sum;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    sendto(s, req, sizeof req, 0, (struct sockaddr *)&a, sizeof a);
    int answered = 0;
    struct pollfd p = {s, POLLIN, 0};
    while (!answered && poll(&p, 1, 300) == 1) {
        uint8_t buf[256];
        long n = recv(s, buf, sizeof buf, 0);
        if (n >= 28 && buf[20] == ICMP_ECHOREPLY && buf[24] == 0x12 && buf[25] == 0x34)
            answered = buf[8]; /* its TTL */
    }
    close(s);
    return answered;
}

static void echo(void)
{
    printf("echo answered, TTL %d\n", echo_answered());
    wr("ipv4/icmp_echo_ignore_all", "1");
    printf("echo answered, TTL %d\n", echo_answered());
    wr("ipv4/icmp_echo_ignore_all", "0");
    wr("ipv4/ip_default_ttl", "99");
    printf("echo answered, TTL %d\n", echo_answered());
    wr("ipv4/ip_default_ttl", "64");
}

/* The TCP options unset answer the namespace's settings, read each time. */
static void tcp_defaults(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    char cc[16] = "";
    socklen_t l = sizeof cc;
    getsockopt(s, IPPROTO_TCP, TCP_CONGESTION, cc, &l);
    printf("KEEPIDLE %d KEEPINTVL %d KEEPCNT %d SYNCNT %d LINGER2 %d CONGESTION %s\n",
           opt(s, IPPROTO_TCP, TCP_KEEPIDLE), opt(s, IPPROTO_TCP, TCP_KEEPINTVL), opt(s, IPPROTO_TCP, TCP_KEEPCNT),
           opt(s, IPPROTO_TCP, TCP_SYNCNT), opt(s, IPPROTO_TCP, TCP_LINGER2), cc);
    wr("ipv4/tcp_keepalive_time", "100");
    wr("ipv4/tcp_keepalive_intvl", "10");
    wr("ipv4/tcp_keepalive_probes", "4");
    wr("ipv4/tcp_syn_retries", "3");
    wr("ipv4/tcp_fin_timeout", "30");
    wr("ipv4/tcp_wmem", "4096 20000 4194304");
    wr("ipv4/tcp_rmem", "4096 100000 6291456");
    printf("KEEPIDLE %d KEEPINTVL %d KEEPCNT %d SYNCNT %d LINGER2 %d\n", opt(s, IPPROTO_TCP, TCP_KEEPIDLE),
           opt(s, IPPROTO_TCP, TCP_KEEPINTVL), opt(s, IPPROTO_TCP, TCP_KEEPCNT), opt(s, IPPROTO_TCP, TCP_SYNCNT),
           opt(s, IPPROTO_TCP, TCP_LINGER2));
    close(s);
    s = socket(AF_INET, SOCK_STREAM, 0);
    l = sizeof cc;
    getsockopt(s, IPPROTO_TCP, TCP_CONGESTION, cc, &l);
    printf("new TCP socket: SO_SNDBUF %d SO_RCVBUF %d CONGESTION %s\n", opt(s, SOL_SOCKET, SO_SNDBUF),
           opt(s, SOL_SOCKET, SO_RCVBUF), cc);
    close(s);
}

/* A new AF_INET6 socket's IPV6_V6ONLY is bindv6only's. */
static void v6only(void)
{
    wr("ipv6/bindv6only", "1");
    int s = socket(AF_INET6, SOCK_STREAM, 0);
    printf("IPV6_V6ONLY %d\n", opt(s, IPPROTO_IPV6, IPV6_V6ONLY));
    close(s);
    wr("ipv6/bindv6only", "0");
    s = socket(AF_INET6, SOCK_DGRAM, 0);
    printf("IPV6_V6ONLY %d\n", opt(s, IPPROTO_IPV6, IPV6_V6ONLY));
    close(s);
}

/* A datagram receiver made after max_dgram_qlen is 3 takes 4 from an
 * unconnected sender, then EAGAIN. */
static void dgram_qlen(void)
{
    wr("unix/max_dgram_qlen", "3");
    int r = socket(AF_UNIX, SOCK_DGRAM, 0), s = socket(AF_UNIX, SOCK_DGRAM, 0), n = 0;
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    memcpy(a.sun_path, "\0netsysctl-q", 12);
    socklen_t al = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 12);
    bind(r, (struct sockaddr *)&a, al);
    while (n < 20 && sendto(s, "x", 1, MSG_DONTWAIT, (struct sockaddr *)&a, al) == 1)
        n++;
    printf("datagrams queued: %d (%s)\n", n, errno_name(errno));
    close(r), close(s);
    wr("unix/max_dgram_qlen", "10");
}

/* lo's ::1 goes with conf/lo/disable_ipv6 and comes back. */
static void bind6(void)
{
    int s = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    int r = bind(s, (struct sockaddr *)&a, sizeof a);
    printf("bind ::1: %d %s\n", r, r < 0 ? errno_name(errno) : "");
    close(s);
}

static void conf(void)
{
    bind6();
    wr("ipv6/conf/lo/disable_ipv6", "1");
    bind6();
    wr("ipv6/conf/lo/disable_ipv6", "0");
    bind6();
    wr("ipv6/conf/all/disable_ipv6", "1");
    rd("ipv6/conf/default/disable_ipv6");
    rd("ipv6/conf/lo/disable_ipv6");
    bind6();
    wr("ipv6/conf/all/disable_ipv6", "0");
    rd("ipv6/conf/lo/disable_ipv6");
    wr("ipv6/conf/all/forwarding", "1");
    rd("ipv6/conf/default/forwarding");
    rd("ipv6/conf/lo/forwarding");
    wr("ipv4/ip_forward", "1");
    rd("ipv4/conf/all/forwarding");
    rd("ipv4/conf/all/accept_redirects");
    rd("ipv4/conf/default/forwarding");
    rd("ipv4/conf/lo/forwarding");
    wr("ipv4/conf/default/forwarding", "0");
    rd("ipv4/ip_forward");
    rd("ipv4/conf/lo/forwarding");
    wr("ipv4/conf/lo/forwarding", "0");
    rd("ipv4/conf/all/forwarding");
    wr("ipv4/conf/default/rp_filter", "2");
    rd("ipv4/conf/lo/rp_filter");
    wr("ipv4/conf/lo/rp_filter", "1");
    wr("ipv4/conf/default/rp_filter", "0");
    rd("ipv4/conf/lo/rp_filter");
    rd("ipv4/conf/all/rp_filter");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) { /* lo never up: its settings follow default's until written */
        unshare(CLONE_NEWNET);
        wr("ipv4/conf/default/log_martians", "1");
        rd("ipv4/conf/lo/log_martians");
        wr("ipv4/conf/lo/log_martians", "0");
        wr("ipv4/conf/default/log_martians", "2");
        rd("ipv4/conf/lo/log_martians");
        wr("ipv4/conf/default/send_redirects", "0");
        rd("ipv4/conf/lo/send_redirects");
        rd("ipv4/conf/all/log_martians");
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

/* Who may open a setting for writing: nobody not (EACCES); nobody in a
 * user namespace of its own, over a network namespace it made there
 * (CAP_NET_ADMIN over it), may. */
static void writers(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        setresgid(65534, 65534, 65534);
        setresuid(65534, 65534, 65534);
        prctl(PR_SET_DUMPABLE, 1); /* its /proc/self files its own again, for the maps */
        wr("core/somaxconn", "100");
        int r = unshare(CLONE_NEWUSER | CLONE_NEWNET);
        printf("  unshare user and net: %d\n", r);
        wr_rd("core/somaxconn", "100");
        wr_rd("ipv4/ip_default_ttl", "100");
        wr("ipv4/tcp_allowed_congestion_control", "reno");
        /* its files are its user namespace's root's once that maps one */
        int opened;
        write_text("/proc/self/setgroups", "deny", &opened);
        write_text("/proc/self/uid_map", "0 65534 1", &opened);
        write_text("/proc/self/gid_map", "0 65534 1", &opened);
        struct stat st;
        stat(NET "ipv4/tcp_fin_timeout", &st);
        printf("  tcp_fin_timeout's owner: %u %u\n", st.st_uid, st.st_gid);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    rd("core/somaxconn");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    if (argc == 2 && !strcmp(argv[1], "persona-only")) {
        void persona_only(void);
        persona_only();
        return 0;
    }
    if (own_lo() < 0)
        return 1;
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        rd(defaults[i]);
    bounds();
    ttl();
    unprivileged_port();
    nonlocal();
    echo();
    tcp_defaults();
    v6only();
    dgram_qlen();
    conf();
    fflush(stdout);
    writers();
    return 0;
}

/* ---- Linux 6.1's answers where 6.18 has others (persona-only) ---- */

static void bufs(const char *what)
{
    int u = socket(AF_INET, SOCK_DGRAM, 0), big = 1 << 30, small = 1000;
    printf("%s: new SO_RCVBUF %d SO_SNDBUF %d", what, opt(u, SOL_SOCKET, SO_RCVBUF), opt(u, SOL_SOCKET, SO_SNDBUF));
    setsockopt(u, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    setsockopt(u, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    printf(", 1 GiB: %d %d", opt(u, SOL_SOCKET, SO_RCVBUF), opt(u, SOL_SOCKET, SO_SNDBUF));
    setsockopt(u, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    setsockopt(u, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    printf(", 1000: %d %d\n", opt(u, SOL_SOCKET, SO_RCVBUF), opt(u, SOL_SOCKET, SO_SNDBUF));
    close(u);
}

void persona_only(void)
{
    static const char *const machine[] = {"core/rmem_max", "core/wmem_max", "core/rmem_default", "core/wmem_default",
                                          "core/optmem_max", "core/netdev_max_backlog", "core/somaxconn",
                                          "ipv4/tcp_rmem", "ipv4/tcp_wmem", "ipv4/tcp_congestion_control",
                                          "ipv4/tcp_available_congestion_control",
                                          "ipv4/tcp_allowed_congestion_control"};
    for (size_t i = 0; i < sizeof machine / sizeof machine[0]; i++)
        rd(machine[i]);
    bufs("defaults");
    wr_rd("core/rmem_max", "2303");
    wr_rd("core/wmem_max", "4607");
    wr_rd("core/rmem_default", "2303");
    wr_rd("core/rmem_max", "100000");
    wr_rd("core/wmem_max", "50000");
    wr_rd("core/rmem_default", "30000");
    wr_rd("core/wmem_default", "40000");
    bufs("smaller bounds");
    wr("core/rmem_max", "212992");
    wr("core/wmem_max", "212992");
    wr("core/rmem_default", "212992");
    wr("core/wmem_default", "212992");
    wr_rd("ipv4/tcp_congestion_control", "reno");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) { /* a new namespace: the machine's are not there; the initial one's TCP settings copied */
        unshare(CLONE_NEWNET);
        for (size_t i = 0; i < sizeof machine / sizeof machine[0]; i++)
            rd(machine[i]);
        rd("ipv4/tcp_mem");
        wr_rd("ipv4/tcp_congestion_control", "cubic");
        wr("ipv4/tcp_allowed_congestion_control", "reno");
        bufs("new namespace");
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    wr_rd("ipv4/tcp_allowed_congestion_control", "cubic bbr");
    wr_rd("ipv4/tcp_allowed_congestion_control", "cubic  reno");
    wr_rd("ipv4/tcp_congestion_control", "cubic");
    /* an algorithm not allowed: CAP_NET_ADMIN's to take (TCP_CONGESTION);
     * the initial namespace's default is allowed once set */
    wr_rd("ipv4/tcp_allowed_congestion_control", "reno");
    fflush(stdout);
    if ((pid = fork()) == 0) {
        setresuid(65534, 65534, 65534);
        int t = socket(AF_INET, SOCK_STREAM, 0);
        printf("nobody's TCP_CONGESTION cubic: %d", setsockopt(t, IPPROTO_TCP, TCP_CONGESTION, "cubic", 5) ? -errno : 0);
        printf(", reno: %d\n", setsockopt(t, IPPROTO_TCP, TCP_CONGESTION, "reno", 4) ? -errno : 0);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    int t = socket(AF_INET, SOCK_STREAM, 0);
    printf("root's TCP_CONGESTION cubic: %d\n", setsockopt(t, IPPROTO_TCP, TCP_CONGESTION, "cubic", 5) ? -errno : 0);
    close(t);
    wr_rd("ipv4/tcp_congestion_control", "cubic");
    rd("ipv4/tcp_allowed_congestion_control");
}
