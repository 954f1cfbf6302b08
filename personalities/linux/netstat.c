/*
 * personalities/linux/netstat.c - the network's statistics in Linux 6.1's
 * files: /proc/net/snmp (Ip, Icmp, IcmpMsg when any ICMP message went,
 * Tcp, Udp, UdpLite), /proc/net/snmp6 (Ip6, Icmp6, Udp6, UdpLite6, a
 * name and a value a line), /proc/net/sockstat and sockstat6 (the sockets
 * in use).  The counters move with what the loopback carries: a packet
 * sent there is received there too, so each counts out and in; TCP's
 * segments are the handshake's three, a write's data and its ACK; a
 * datagram to a port nobody has brings back ICMP's port unreachable.
 * Linux counts UDP's InDatagrams when a receive takes one, as here.  The
 * Tcp and Udp lines are both families' TCP and IPv4's UDP; snmp6 has
 * IPv6's.  CurrEstab and the sockets in use are counted from inet.c's port
 * table when the file is read.
 *
 * Entry points: netstat.h's.  Layer: a file type, over inet.c.  Book:
 * docs/linux.md, "Networking".
 */
#include "netstat.h"
#include "inet.h"
#include <stdio.h>
#include <string.h>

/* One family's counters (Linux's ip_statistics, icmp and udp MIBs). */
struct fam_mib {
    unsigned long ip_in, ip_delivers, ip_out;
    unsigned long icmp_in, icmp_out; /* destination unreachable, both ways */
    unsigned long udp_in, udp_noports, udp_inerrs, udp_out, udp_rcvbuf;
};
static struct fam_mib v4, v6;
static unsigned long tcp_active, tcp_passive, tcp_attempt_fails, tcp_in_segs, tcp_out_segs, tcp_out_rsts;

static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static struct fam_mib *fam(const struct inet_addr *a)
{
    return memcmp(a->addr, mapped, sizeof mapped) == 0 ? &v4 : &v6;
}

/* n packets over the loopback: each leaves and arrives. */
static void packets(const struct inet_addr *to, unsigned long n)
{
    struct fam_mib *m = fam(to);
    m->ip_out += n, m->ip_in += n, m->ip_delivers += n;
}

void netstat_tcp_open(const struct inet_addr *to)
{
    tcp_active++, tcp_passive++;
    tcp_out_segs += 3, tcp_in_segs += 3; /* SYN, SYN-ACK, ACK */
    packets(to, 3);
}

void netstat_tcp_refused(const struct inet_addr *to)
{
    tcp_active++, tcp_attempt_fails++, tcp_out_rsts++; /* the SYN went: an open, which failed */
    tcp_out_segs += 2, tcp_in_segs += 2; /* the SYN, the reset */
    packets(to, 2);
}

void netstat_tcp_data(const struct inet_addr *to)
{
    tcp_out_segs += 2, tcp_in_segs += 2; /* the data, its ACK */
    packets(to, 2);
    netstat_tcp_sent_data();
}

void netstat_tcp_reset(const struct inet_addr *to)
{
    tcp_out_rsts++, tcp_out_segs++, tcp_in_segs++;
    packets(to, 1);
}

unsigned long netstat_ip_in(void) { return v4.ip_in; }

void netstat_udp_sent(const struct inet_addr *to, bool there)
{
    struct fam_mib *m = fam(to);
    m->udp_out++;
    packets(to, 1);
    if (!there) { /* nobody there: the port unreachable comes back */
        m->udp_noports++, m->icmp_out++, m->icmp_in++;
        packets(to, 1);
    }
}

void netstat_udp_dropped(const struct inet_addr *to)
{
    struct fam_mib *m = fam(to);
    m->udp_rcvbuf++, m->udp_inerrs++;
}

void netstat_udp_taken(const struct inet_addr *from)
{
    fam(from)->udp_in++;
}

/* The sockets in inet.c's table: TCP's hashed (listening or connected)
 * and UDP's bound, of one family; TCP's established of both. */
static void in_use(int family, int *tcp, int *udp, int *estab)
{
    *tcp = *udp = *estab = 0;
    for (const struct inet_sock *s = inet_ports(); s; s = s->next) {
        bool tcp_hashed = s->proto == IPPROTO_TCP && (s->sock->listening || s->connected);
        *estab += s->proto == IPPROTO_TCP && s->connected && !s->sock->listening;
        if (s->family != family)
            continue;
        *tcp += tcp_hashed;
        *udp += s->proto == IPPROTO_UDP;
    }
}

#define AT out + (n < size ? n : size), n < size ? size - n : 0 /* where the next text goes, if it fits */
#define PUT(...) (n += (size_t)snprintf(AT, __VA_ARGS__))

static const char *const icmp_names[] = {"DestUnreachs", "TimeExcds", "ParmProbs", "SrcQuenchs", "Redirects",
                                         "Echos", "EchoReps", "Timestamps", "TimestampReps", "AddrMasks",
                                         "AddrMaskReps"};
static const char udp_names[] = "InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors "
                                "IgnoredMulti MemErrors";

static size_t snmp(char *out, size_t size)
{
    size_t n = 0;
    int tcp, udp, estab;
    in_use(AF_INET, &tcp, &udp, &estab);
    PUT("Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos InDiscards "
        "InDelivers OutRequests OutDiscards OutNoRoutes ReasmTimeout ReasmReqds ReasmOKs ReasmFails FragOKs "
        "FragFails FragCreates\nIp: 2 64 %lu 0 0 0 0 0 %lu %lu 0 0 0 0 0 0 0 0 0\n", v4.ip_in, v4.ip_delivers,
        v4.ip_out);
    PUT("Icmp: InMsgs InErrors InCsumErrors");
    for (int i = 0; i < 11; i++)
        PUT(" In%s", icmp_names[i]);
    PUT(" OutMsgs OutErrors");
    for (int i = 0; i < 11; i++)
        PUT(" Out%s", icmp_names[i]);
    PUT("\nIcmp: %lu 0 0 %lu 0 0 0 0 0 0 0 0 0 0 %lu 0 %lu 0 0 0 0 0 0 0 0 0 0\n", v4.icmp_in, v4.icmp_in,
        v4.icmp_out, v4.icmp_out);
    if (v4.icmp_in || v4.icmp_out) /* the types that went, as Linux's icmpmsg_put: 3, port unreachable */
        PUT("IcmpMsg: InType3 OutType3\nIcmpMsg: %lu %lu\n", v4.icmp_in, v4.icmp_out);
    PUT("Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab "
        "InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\nTcp: 1 200 120000 -1 %lu %lu %lu 0 %d %lu %lu 0 0 "
        "%lu 0\n", tcp_active, tcp_passive, tcp_attempt_fails, estab, tcp_in_segs, tcp_out_segs, tcp_out_rsts);
    PUT("Udp: %s\nUdp: %lu %lu %lu %lu %lu 0 0 0 0\n", udp_names, v4.udp_in, v4.udp_noports, v4.udp_inerrs,
        v4.udp_out, v4.udp_rcvbuf);
    PUT("UdpLite: %s\nUdpLite: 0 0 0 0 0 0 0 0 0\n", udp_names);
    return n;
}

static size_t snmp6(char *out, size_t size)
{
    static const char *const ip6[] = {"InReceives", "InHdrErrors", "InTooBigErrors", "InNoRoutes", "InAddrErrors",
        "InUnknownProtos", "InTruncatedPkts", "InDiscards", "InDelivers", "OutForwDatagrams", "OutRequests",
        "OutDiscards", "OutNoRoutes", "ReasmTimeout", "ReasmReqds", "ReasmOKs", "ReasmFails", "FragOKs",
        "FragFails", "FragCreates", "InMcastPkts", "OutMcastPkts", "InOctets", "OutOctets", "InMcastOctets",
        "OutMcastOctets", "InBcastOctets", "OutBcastOctets", "InNoECTPkts", "InECT1Pkts", "InECT0Pkts",
        "InCEPkts"};
    static const char *const icmp6[] = {"DestUnreachs", "PktTooBigs", "TimeExcds", "ParmProblems", "Echos",
        "EchoReplies", "GroupMembQueries", "GroupMembResponses", "GroupMembReductions", "RouterSolicits",
        "RouterAdvertisements", "NeighborSolicits", "NeighborAdvertisements", "Redirects", "MLDv2Reports"};
    static const char *const udp6[] = {"InDatagrams", "NoPorts", "InErrors", "OutDatagrams", "RcvbufErrors",
        "SndbufErrors", "InCsumErrors", "IgnoredMulti", "MemErrors"};
    size_t n = 0;
    char name[48];
    for (int i = 0; i < 32; i++) {
        unsigned long v = i == 0 ? v6.ip_in : i == 8 ? v6.ip_delivers : i == 10 ? v6.ip_out : 0;
        snprintf(name, sizeof name, "Ip6%s", ip6[i]);
        PUT("%-32s\t%lu\n", name, v);
    }
    PUT("%-32s\t%lu\n%-32s\t0\n%-32s\t%lu\n%-32s\t0\n%-32s\t0\n", "Icmp6InMsgs", v6.icmp_in, "Icmp6InErrors",
        "Icmp6OutMsgs", v6.icmp_out, "Icmp6OutErrors", "Icmp6InCsumErrors");
    for (int out6 = 0; out6 < 2; out6++)
        for (int i = 0; i < 15; i++) {
            snprintf(name, sizeof name, "Icmp6%s%s", out6 ? "Out" : "In", icmp6[i]);
            PUT("%-32s\t%lu\n", name, i ? 0 : out6 ? v6.icmp_out : v6.icmp_in);
        }
    if (v6.icmp_in) /* the types that went: 1, destination unreachable */
        PUT("%-32s\t%lu\n%-32s\t%lu\n", "Icmp6InType1", v6.icmp_in, "Icmp6OutType1", v6.icmp_out);
    for (int lite = 0; lite < 2; lite++)
        for (int i = 0; i < 9; i++) {
            if (lite && i == 7)
                continue; /* UDP-Lite has no IgnoredMulti */
            unsigned long v = lite ? 0 : i == 0 ? v6.udp_in : i == 1 ? v6.udp_noports : i == 2 ? v6.udp_inerrs
                                                : i == 3 ? v6.udp_out : i == 4 ? v6.udp_rcvbuf : 0;
            snprintf(name, sizeof name, "%s%s", lite ? "UdpLite6" : "Udp6", udp6[i]);
            PUT("%-32s\t%lu\n", name, v);
        }
    return n;
}

static size_t sockstat(char *out, size_t size, bool six)
{
    size_t n = 0;
    int tcp, udp, estab, used = 0;
    in_use(six ? AF_INET6 : AF_INET, &tcp, &udp, &estab);
    if (six)
        return (size_t)snprintf(out, size, "TCP6: inuse %d\nUDP6: inuse %d\nUDPLITE6: inuse 0\nRAW6: inuse 0\n"
                                "FRAG6: inuse 0 memory 0\n", tcp, udp);
    for (const struct inet_sock *s = inet_ports(); s; s = s->next)
        used++;
    for (const struct sock *k = unix_socks(); k; k = k->next_unix)
        used++;
    int tcp6, udp6;
    in_use(AF_INET6, &tcp6, &udp6, &estab);
    PUT("sockets: used %d\nTCP: inuse %d orphan 0 tw 0 alloc %d mem 0\nUDP: inuse %d mem 0\nUDPLITE: inuse 0\n"
        "RAW: inuse 0\nFRAG: inuse 0 memory 0\n", used, tcp, tcp + tcp6, udp);
    return n;
}

size_t netstat_text(const char *name, char *out, size_t size)
{
    if (strcmp(name, "snmp") == 0)
        return snmp(out, size);
    if (strcmp(name, "snmp6") == 0)
        return snmp6(out, size);
    if (strcmp(name, "netstat") == 0 || strcmp(name, "protocols") == 0)
        return netstat_ext_text(name, out, size); /* netstatext.c's */
    return sockstat(out, size, strcmp(name, "sockstat6") == 0);
}
