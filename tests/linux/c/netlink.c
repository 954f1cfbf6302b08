/*
 * tests/linux/c/netlink.c - the netlink route socket: socket's errors,
 * bind and getsockname (the first socket's port id is the pid), RTM_GETLINK
 * and RTM_GETADDR dumps (lo's attributes and addresses: their types and
 * values, those the host also has for lo), the dump's sequence numbers and
 * NLMSG_DONE, MSG_PEEK|MSG_TRUNC sizing, NLMSG_ERROR for a request not
 * understood; then getifaddrs and if_nameindex, lo's entries only (the host
 * has more interfaces); /proc/net/dev's header and lo's line (its fields,
 * not its counters), if_inet6's lo lines and route's header.  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

/* linux/netlink.h, rtnetlink.h, if_link.h, if_addr.h: musl has no kernel headers */
#define NETLINK_ROUTE 0
struct sockaddr_nl { unsigned short nl_family, nl_pad; unsigned nl_pid, nl_groups; };
struct nlmsghdr { unsigned nlmsg_len; unsigned short nlmsg_type, nlmsg_flags; unsigned nlmsg_seq, nlmsg_pid; };
struct nlmsgerr { int error; struct nlmsghdr msg; };
struct rtattr { unsigned short rta_len, rta_type; };
struct ifinfomsg { unsigned char ifi_family, pad; unsigned short ifi_type; int ifi_index; unsigned ifi_flags, ifi_change; };
struct ifaddrmsg { unsigned char ifa_family, ifa_prefixlen, ifa_flags, ifa_scope; unsigned ifa_index; };
struct ifa_cacheinfo { unsigned ifa_prefered, ifa_valid, cstamp, tstamp; };
struct rtgenmsg { unsigned char rtgen_family; };
#define NLM_F_REQUEST 1
#define NLM_F_DUMP 0x300
#define NLMSG_DONE 3
#define RTM_NEWLINK 16
#define RTM_GETLINK 18
#define RTM_NEWADDR 20
#define RTM_GETADDR 22
#define RTM_MAX 127
#define IFLA_ADDRESS 1
#define IFLA_BROADCAST 2
#define IFLA_IFNAME 3
#define IFLA_MTU 4
#define IFLA_STATS 7
#define IFLA_TXQLEN 13
#define IFA_ADDRESS 1
#define IFA_LOCAL 2
#define IFA_LABEL 3
#define IFA_CACHEINFO 6
#define IFA_FLAGS 8
#define A4(n) (((n) + 3) & ~3u)
#define NLMSG_DATA(h) ((void *)((char *)(h) + 16))
#define NLMSG_OK(h, n) ((n) >= 16 && (h)->nlmsg_len >= 16 && (h)->nlmsg_len <= (unsigned)(n))
#define NLMSG_NEXT(h, n) ((n) -= A4((h)->nlmsg_len), (struct nlmsghdr *)((char *)(h) + A4((h)->nlmsg_len)))
#define RTA_OK(a, n) ((n) >= 4 && (a)->rta_len >= 4 && (a)->rta_len <= (n))
#define RTA_NEXT(a, n) ((n) -= A4((a)->rta_len), (struct rtattr *)((char *)(a) + A4((a)->rta_len)))
#define RTA_DATA(a) ((void *)((char *)(a) + 4))
#define RTA_PAYLOAD(a) ((a)->rta_len - 4)
#define IFLA_RTA(i) ((struct rtattr *)((char *)(i) + A4(sizeof(struct ifinfomsg))))
#define IFA_RTA(i) ((struct rtattr *)((char *)(i) + A4(sizeof(struct ifaddrmsg))))
#define IFLA_PAYLOAD(h) ((int)(h)->nlmsg_len - 16 - (int)sizeof(struct ifinfomsg))
#define IFA_PAYLOAD(h) ((int)(h)->nlmsg_len - 16 - (int)sizeof(struct ifaddrmsg))

static char buf[65536];

/* Sends a dump request of type with family, prints lo's messages; the number of messages seen. */
static void dump(int fd, int type, int family, unsigned seq)
{
    struct {
        struct nlmsghdr h;
        struct ifaddrmsg m;
    } req = {{sizeof req, type, NLM_F_REQUEST | NLM_F_DUMP, seq, 0}, {family}};
    struct sockaddr_nl k = {AF_NETLINK};
    CHECK(sendto(fd, &req, sizeof req, 0, (struct sockaddr *)&k, sizeof k) == sizeof req);
    int done = 0, seq_ok = 1, pid_ok = 1;
    while (!done) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            CHECK(n);
            return;
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            seq_ok &= h->nlmsg_seq == seq;
            pid_ok &= h->nlmsg_pid == (unsigned)getpid();
            if (h->nlmsg_type == NLMSG_DONE) {
                printf("DONE len %u flags %#x value %d\n", h->nlmsg_len, h->nlmsg_flags, *(int *)NLMSG_DATA(h));
                done = 1;
                break;
            }
            if (h->nlmsg_type == RTM_NEWLINK) {
                struct ifinfomsg *i = NLMSG_DATA(h);
                if (i->ifi_index != 1)
                    continue;
                printf("NEWLINK flags %#x family %d type %d index %d ifflags %#x\n", h->nlmsg_flags, i->ifi_family,
                       i->ifi_type, i->ifi_index, i->ifi_flags);
                int len = IFLA_PAYLOAD(h);
                for (struct rtattr *a = IFLA_RTA(i); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
                    unsigned char *d = RTA_DATA(a);
                    if (a->rta_type == IFLA_IFNAME)
                        printf("  IFLA_IFNAME %s\n", (char *)d);
                    else if (a->rta_type == IFLA_MTU)
                        printf("  IFLA_MTU %u\n", *(unsigned *)d);
                    else if (a->rta_type == IFLA_TXQLEN)
                        printf("  IFLA_TXQLEN %u\n", *(unsigned *)d);
                    else if (a->rta_type == IFLA_ADDRESS || a->rta_type == IFLA_BROADCAST)
                        printf("  IFLA_%s len %d %02x%02x%02x%02x%02x%02x\n",
                               a->rta_type == IFLA_ADDRESS ? "ADDRESS" : "BROADCAST", (int)RTA_PAYLOAD(a), d[0],
                               d[1], d[2], d[3], d[4], d[5]);
                    else if (a->rta_type == IFLA_STATS)
                        printf("  IFLA_STATS len %d\n", (int)RTA_PAYLOAD(a));
                }
            } else if (h->nlmsg_type == RTM_NEWADDR) {
                struct ifaddrmsg *i = NLMSG_DATA(h);
                if (i->ifa_index != 1)
                    continue;
                printf("NEWADDR flags %#x family %d prefix %d ifaflags %#x scope %d index %d\n", h->nlmsg_flags,
                       i->ifa_family, i->ifa_prefixlen, i->ifa_flags, i->ifa_scope, i->ifa_index);
                int len = IFA_PAYLOAD(h);
                for (struct rtattr *a = IFA_RTA(i); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
                    char text[64];
                    if (a->rta_type == IFA_ADDRESS || a->rta_type == IFA_LOCAL)
                        printf("  IFA_%s %s\n", a->rta_type == IFA_LOCAL ? "LOCAL" : "ADDRESS",
                               inet_ntop(i->ifa_family, RTA_DATA(a), text, sizeof text));
                    else if (a->rta_type == IFA_LABEL)
                        printf("  IFA_LABEL %s\n", (char *)RTA_DATA(a));
                    else if (a->rta_type == IFA_FLAGS)
                        printf("  IFA_FLAGS %#x\n", *(unsigned *)RTA_DATA(a));
                    else if (a->rta_type == IFA_CACHEINFO) {
                        struct ifa_cacheinfo *ci = RTA_DATA(a);
                        printf("  IFA_CACHEINFO prefered %#x valid %#x\n", ci->ifa_prefered, ci->ifa_valid);
                    }
                }
            }
        }
    }
    printf("seq ok %d pid ok %d\n", seq_ok, pid_ok);
}

/* The lines of /proc/net/<name>: the first `header` as they are, then lo's (counters: only how many fields). */
static void proc_net(const char *name, int header, int fields_only)
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/net/%s", name);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("%s: %s\n", path, strerror(errno));
        return;
    }
    for (int n = 0; fgets(line, sizeof line, f); n++) {
        if (n < header) {
            printf("%s: [%s]\n", name, line);
            continue;
        }
        char *colon = strstr(line, "lo:"), *tail = line + strlen(line) - 4;
        if (fields_only && colon && colon[-1] == ' ') {
            int k = 0;
            for (char *t = strtok(colon + 3, " \n"); t; t = strtok(NULL, " \n"))
                k++;
            printf("%s: lo with %d fields, at %d\n", name, k, (int)(colon - line));
        } else if (!fields_only && tail > line && !strcmp(tail, " lo\n"))
            printf("%s: [%s]\n", name, line);
    }
    fclose(f);
}

int main(void)
{
    proc_net("dev", 2, 1);
    proc_net("if_inet6", 0, 0);
    proc_net("route", 1, 0);
    CHECK(socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE));
    CHECK(socket(AF_NETLINK, SOCK_RAW, 32));
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    CHECK(fd >= 0);
    struct sockaddr_nl a = {0};
    socklen_t len = sizeof a;
    CHECK(getsockname(fd, (struct sockaddr *)&a, &len));
    printf("unbound: len %u family %d pid %u\n", len, a.nl_family, a.nl_pid);
    a = (struct sockaddr_nl){AF_INET};
    CHECK(bind(fd, (struct sockaddr *)&a, sizeof a));
    a = (struct sockaddr_nl){AF_NETLINK};
    CHECK(bind(fd, (struct sockaddr *)&a, 4));
    CHECK(bind(fd, (struct sockaddr *)&a, sizeof a));
    len = sizeof a;
    CHECK(getsockname(fd, (struct sockaddr *)&a, &len));
    printf("bound: len %u family %d pid is getpid %d\n", len, a.nl_family, a.nl_pid == (unsigned)getpid());
    int fd2 = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
    a = (struct sockaddr_nl){AF_NETLINK, 0, getpid()};
    CHECK(bind(fd2, (struct sockaddr *)&a, sizeof a));
    a = (struct sockaddr_nl){AF_NETLINK};
    CHECK(bind(fd2, (struct sockaddr *)&a, sizeof a));
    len = sizeof a;
    CHECK(getsockname(fd2, (struct sockaddr *)&a, &len));
    printf("second: pid is getpid %d, negative %d\n", a.nl_pid == (unsigned)getpid(), (int)a.nl_pid < 0);
    CHECK(recv(fd, buf, sizeof buf, MSG_DONTWAIT));

    dump(fd, RTM_GETLINK, AF_UNSPEC, 7);
    dump(fd, RTM_GETADDR, AF_UNSPEC, 8);
    dump(fd, RTM_GETADDR, AF_INET6, 9);

    /* glibc's sizing: a peek with MSG_TRUNC says the datagram's length */
    struct {
        struct nlmsghdr h;
        struct rtgenmsg g;
    } req = {{sizeof req, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 10, 0}, {AF_INET}};
    CHECK(send(fd, &req, sizeof req, 0));
    char small[16];
    struct iovec iov = {small, sizeof small};
    struct sockaddr_nl from;
    struct msghdr m = {&from, sizeof from, &iov, 1};
    ssize_t full = recvmsg(fd, &m, MSG_PEEK | MSG_TRUNC);
    printf("peek: > 16 %d, truncated %d, from %d pid %u namelen %u\n", full > 16, !!(m.msg_flags & MSG_TRUNC),
           from.nl_family, from.nl_pid, m.msg_namelen);
    iov = (struct iovec){buf, sizeof buf};
    m = (struct msghdr){&from, sizeof from, &iov, 1};
    CHECK(recvmsg(fd, &m, 0) == full);
    while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0)
        ;

    /* a request not understood: NLMSG_ERROR with the request */
    req.h = (struct nlmsghdr){sizeof req, RTM_MAX + 4, NLM_F_REQUEST, 11, 0};
    CHECK(send(fd, &req, sizeof req, 0));
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    struct nlmsghdr *h = (struct nlmsghdr *)buf;
    struct nlmsgerr *e = NLMSG_DATA(h);
    printf("error: n %zd type %d seq %u error %d (%s) echoed type %d len %u\n", n, h->nlmsg_type, h->nlmsg_seq,
           e->error, strerror(-e->error), e->msg.nlmsg_type, e->msg.nlmsg_len);
    CHECK(listen(fd, 1));
    /* connect: the peer a send without an address goes to; AF_UNSPEC undoes it */
    a = (struct sockaddr_nl){AF_NETLINK, 0, 0};
    len = sizeof a;
    CHECK(getsockname(fd2, (struct sockaddr *)&a, &len));
    struct sockaddr_nl peer = {AF_NETLINK, 0, a.nl_pid};
    CHECK(connect(fd, (struct sockaddr *)&peer, 4));
    CHECK(connect(fd, (struct sockaddr *)&peer, sizeof peer));
    len = sizeof a;
    CHECK(getpeername(fd, (struct sockaddr *)&a, &len));
    printf("peer is fd2 %d\n", a.nl_pid == peer.nl_pid);
    CHECK(send(fd, "hi", 2, 0));
    len = sizeof a;
    CHECK(recvfrom(fd2, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&a, &len));
    len = sizeof peer;
    getsockname(fd, (struct sockaddr *)&peer, &len);
    printf("from fd %d: %.2s\n", a.nl_pid == peer.nl_pid, buf);
    peer.nl_family = AF_UNSPEC;
    CHECK(connect(fd, (struct sockaddr *)&peer, sizeof peer));
    len = sizeof a;
    CHECK(getpeername(fd, (struct sockaddr *)&a, &len));
    printf("peer %u\n", a.nl_pid);
    CHECK(recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL));
    close(fd);
    close(fd2);

    struct ifaddrs *ifa;
    CHECK(getifaddrs(&ifa));
    for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
        if (strcmp(i->ifa_name, "lo"))
            continue;
        int fam = i->ifa_addr ? i->ifa_addr->sa_family : -1;
        char text[64] = "-", mask[64] = "-";
        if (fam == AF_INET) {
            inet_ntop(fam, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, text, sizeof text);
            inet_ntop(fam, &((struct sockaddr_in *)i->ifa_netmask)->sin_addr, mask, sizeof mask);
        } else if (fam == AF_INET6) {
            inet_ntop(fam, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, text, sizeof text);
            inet_ntop(fam, &((struct sockaddr_in6 *)i->ifa_netmask)->sin6_addr, mask, sizeof mask);
        }
        printf("getifaddrs: %s flags %#x family %d addr %s mask %s\n", i->ifa_name, i->ifa_flags, fam, text, mask);
    }
    freeifaddrs(ifa);
    struct if_nameindex *ni = if_nameindex();
    CHECK(ni != NULL);
    for (struct if_nameindex *i = ni; i && i->if_index; i++)
        if (!strcmp(i->if_name, "lo"))
            printf("if_nameindex: %u %s\n", i->if_index, i->if_name);
    if (ni)
        if_freenameindex(ni);
    return 0;
}
