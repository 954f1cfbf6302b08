/*
 * personalities/linux/netstatext.c - /proc/net/netstat and
 * /proc/net/protocols, as Linux 6.1 writes them.  netstat: the TcpExt and
 * IpExt lines (a line of names, one of values, in 6.1's order; no
 * MPTcpExt, as a kernel without MPTCP), whose counters the loopback moves
 * where it does what Linux counts: TCPOrigDataSent (a write's data
 * segment), TCPAbortOnClose (a close with data unread, which resets),
 * TCPAbortOnData (SO_LINGER's close of no time), InNoECTPkts (every IPv4
 * packet received: nothing here asks for ECN); the others stay 0, the
 * listen queue's drops and overflows among them (a connect past the
 * backlog waits or is queued, never dropped), and the octets (not
 * counted).  protocols: the protocols the personality has, with 6.1's
 * columns (the sendpage column included), the sockets in use of the
 * reader's network namespace counted as Linux's sock_prot_inuse counts
 * them (the
 * sizes and header room are the host's build's, the memory in use 0: the
 * loopback keeps no account of it).
 *
 * Entry points: netstat_tcp_abort, netstat_ext_text (netstat.h).
 * Callers: socket.c, netstat.c.  Layer: a file type, over inet.c.  Book:
 * docs/linux.md, "Networking".
 */
#include "netstat.h"
#include "inet.h"
#include "netns.h"
#include "raw.h"
#include <stdio.h>
#include <string.h>

static unsigned long orig_data_sent, abort_on_close, abort_on_data;

void netstat_tcp_sent_data(void) { orig_data_sent++; }

void netstat_tcp_abort(const struct inet_addr *to, bool linger)
{
    if (linger)
        abort_on_data++; /* tcp_close's LINUX_MIB_TCPABORTONDATA, for SO_LINGER's zero time */
    else
        abort_on_close++;
    netstat_tcp_reset(to);
}

static const char tcpext[] =
    "SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts PruneCalled RcvPruned OfoPruned "
    "OutOfWindowIcmps LockDroppedIcmps ArpFilter TW TWRecycled TWKilled PAWSActive PAWSEstab DelayedACKs "
    "DelayedACKLocked DelayedACKLost ListenOverflows ListenDrops TCPHPHits TCPPureAcks TCPHPAcks "
    "TCPRenoRecovery TCPSackRecovery TCPSACKReneging TCPSACKReorder TCPRenoReorder TCPTSReorder "
    "TCPFullUndo TCPPartialUndo TCPDSACKUndo TCPLossUndo TCPLostRetransmit TCPRenoFailures "
    "TCPSackFailures TCPLossFailures TCPFastRetrans TCPSlowStartRetrans TCPTimeouts TCPLossProbes "
    "TCPLossProbeRecovery TCPRenoRecoveryFail TCPSackRecoveryFail TCPRcvCollapsed TCPBacklogCoalesce "
    "TCPDSACKOldSent TCPDSACKOfoSent TCPDSACKRecv TCPDSACKOfoRecv TCPAbortOnData TCPAbortOnClose "
    "TCPAbortOnMemory TCPAbortOnTimeout TCPAbortOnLinger TCPAbortFailed TCPMemoryPressures "
    "TCPMemoryPressuresChrono TCPSACKDiscard TCPDSACKIgnoredOld TCPDSACKIgnoredNoUndo TCPSpuriousRTOs "
    "TCPMD5NotFound TCPMD5Unexpected TCPMD5Failure TCPSackShifted TCPSackMerged TCPSackShiftFallback "
    "TCPBacklogDrop PFMemallocDrop TCPMinTTLDrop TCPDeferAcceptDrop IPReversePathFilter "
    "TCPTimeWaitOverflow TCPReqQFullDoCookies TCPReqQFullDrop TCPRetransFail TCPRcvCoalesce TCPOFOQueue "
    "TCPOFODrop TCPOFOMerge TCPChallengeACK TCPSYNChallenge TCPFastOpenActive TCPFastOpenActiveFail "
    "TCPFastOpenPassive TCPFastOpenPassiveFail TCPFastOpenListenOverflow TCPFastOpenCookieReqd "
    "TCPFastOpenBlackhole TCPSpuriousRtxHostQueues BusyPollRxPackets TCPAutoCorking TCPFromZeroWindowAdv "
    "TCPToZeroWindowAdv TCPWantZeroWindowAdv TCPSynRetrans TCPOrigDataSent TCPHystartTrainDetect "
    "TCPHystartTrainCwnd TCPHystartDelayDetect TCPHystartDelayCwnd TCPACKSkippedSynRecv "
    "TCPACKSkippedPAWS TCPACKSkippedSeq TCPACKSkippedFinWait2 TCPACKSkippedTimeWait "
    "TCPACKSkippedChallenge TCPWinProbe TCPKeepAlive TCPMTUPFail TCPMTUPSuccess TCPDelivered "
    "TCPDeliveredCE TCPAckCompressed TCPZeroWindowDrop TCPRcvQDrop TCPWqueueTooBig "
    "TCPFastOpenPassiveAltKey TcpTimeoutRehash TcpDuplicateDataRehash TCPDSACKRecvSegs "
    "TCPDSACKIgnoredDubious TCPMigrateReqSuccess TCPMigrateReqFailure";
static const char ipext[] = "InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts InBcastPkts OutBcastPkts InOctets "
                            "OutOctets InMcastOctets OutMcastOctets InBcastOctets OutBcastOctets InCsumErrors "
                            "InNoECTPkts InECT1Pkts InECT0Pkts InCEPkts ReasmOverlaps";

#define AT out + (n < size ? n : size), n < size ? size - n : 0 /* where the next text goes, if it fits */
#define PUT(...) (n += (size_t)snprintf(AT, __VA_ARGS__))

/* A line of names and its line of values: value(name) each. */
static size_t mib_lines(char *out, size_t size, const char *title, const char *names,
                        unsigned long (*value)(const char *name, size_t len))
{
    size_t n = 0;
    PUT("%s: %s\n%s:", title, names, title);
    for (const char *p = names; *p;) {
        size_t len = strcspn(p, " ");
        PUT(" %lu", value(p, len));
        p += len + (p[len] == ' ');
    }
    PUT("\n");
    return n;
}

static bool is(const char *name, size_t len, const char *want)
{
    return strlen(want) == len && memcmp(name, want, len) == 0;
}

static unsigned long tcp_value(const char *name, size_t len)
{
    return is(name, len, "TCPOrigDataSent") ? orig_data_sent : is(name, len, "TCPAbortOnClose") ? abort_on_close
           : is(name, len, "TCPAbortOnData") ? abort_on_data : 0;
}

static unsigned long ip_value(const char *name, size_t len)
{
    return is(name, len, "InNoECTPkts") ? netstat_ip_in() : 0;
}

/* /proc/net/protocols: 6.1's proto_seq_show, newest registered first.
 * The methods' columns: close connect disconnect accept ioctl init
 * destroy shutdown setsockopt getsockopt sendmsg recvmsg sendpage bind
 * backlog_rcv hash unhash get_port enter_memory_pressure. */
static const struct proto_row {
    const char *name;
    unsigned size;
    int kind; /* which sockets count: 0 none, else inuse()'s */
    int memory; /* -1: no memory accounting */
    const char *press;
    unsigned maxhdr;
    const char *slab, *methods;
} protos[] = {
    {"PACKET", 1600, 1, -1, "NI", 0, "no", "n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n"},
    {"PINGv6", 1344, 2, -1, "NI", 0, "yes", "y  y  y  n  n  y  n  n  y  y  y  y  n  y  y  n  y  y  n"},
    {"RAWv6", 1344, 3, -1, "NI", 0, "yes", "y  y  y  n  y  y  y  n  y  y  y  y  n  y  y  y  y  n  n"},
    {"UDPv6", 1472, 4, 0, "NI", 0, "yes", "y  y  y  n  y  y  y  n  y  y  y  y  n  n  n  y  y  y  n"},
    {"TCPv6", 2432, 5, 0, "no", 192, "yes", "y  y  y  y  y  y  y  y  y  y  y  y  y  n  y  y  y  y  y"},
    {"UNIX-STREAM", 1152, 6, -1, "NI", 0, "yes", "y  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n"},
    {"UNIX", 1152, 7, -1, "NI", 0, "yes", "y  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n"},
    {"PING", 1016, 8, -1, "NI", 0, "yes", "y  y  y  n  n  y  n  n  y  y  y  y  n  y  y  n  y  y  n"},
    {"RAW", 1152, 9, -1, "NI", 0, "yes", "y  y  y  n  y  y  y  n  y  y  y  y  n  y  y  y  y  n  n"},
    {"UDP", 1344, 10, 0, "NI", 0, "yes", "y  y  y  n  y  y  y  n  y  y  y  y  y  n  n  y  y  y  n"},
    {"TCP", 2304, 11, 0, "no", 192, "yes", "y  y  y  y  y  y  y  y  y  y  y  y  y  n  y  y  y  y  y"},
    {"NETLINK", 1096, 0, -1, "NI", 0, "no", "n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n"},
};

/* The sockets in use of one row's kind, as sock_prot_inuse_add counts
 * them: TCP's hashed (listening or connected), UDP's bound, raw and ping
 * sockets hashed, AF_UNIX's and packet sockets all. */
static int inuse(int kind)
{
    int count = 0;
    struct netns *here = netns_of(netns_here()); /* the reader's namespace's, as Linux's per-net counts */
    if (kind == 6 || kind == 7) {
        for (const struct sock *k = unix_socks(); k; k = k->next_unix)
            count += (kind == 6) == (k->type == 0) && netns_of(k->net) == here;
        return count;
    }
    for (const struct inet_sock *s = inet_ports(); s; s = s->next) {
        bool six = s->family == AF_INET6;
        if (s->kind || netns_of(s->sock->net) != here || (kind != 4 && kind != 5 && kind != 10 && kind != 11) || six != (kind == 4 || kind == 5))
            continue;
        if (s->proto == IPPROTO_TCP)
            count += (kind == 5 || kind == 11) && (s->sock->listening || s->connected);
        else
            count += kind == 4 || kind == 10;
    }
    for (const struct inet_sock *s = raw_list(); s; s = s->next_raw) { /* raw: hashed when made; ping: given an id */
        bool six = s->family == AF_INET6;
        if (netns_of(s->sock->net) != here)
            continue;
        count += s->kind == PACKET_SOCK ? kind == 1
                 : s->kind == RAW_SOCK ? kind == (six ? 3 : 9) : kind == (six ? 2 : 8) && s->local.port;
    }
    return count;
}

static size_t protocols(char *out, size_t size)
{
    size_t n = 0;
    PUT("%-9s %-4s %-8s %-6s %-5s %-7s %-4s %-10s %s", "protocol", "size", "sockets", "memory", "press", "maxhdr",
        "slab", "module", "cl co di ac io in de sh ss gs se re sp bi br ha uh gp em\n");
    for (size_t i = 0; i < sizeof protos / sizeof *protos; i++) {
        const struct proto_row *r = &protos[i];
        PUT("%-9s %4u %6d  %6d   %-3s %6u   %-3s  %-10s  %s\n", r->name, r->size, r->kind ? inuse(r->kind) : 0,
            r->memory, r->press, r->maxhdr, r->slab, "kernel", r->methods);
    }
    return n;
}

size_t netstat_ext_text(const char *name, char *out, size_t size)
{
    if (strcmp(name, "protocols") == 0)
        return protocols(out, size);
    size_t n = mib_lines(out, size, "TcpExt", tcpext, tcp_value);
    return n + mib_lines(AT, "IpExt", ipext, ip_value);
}
