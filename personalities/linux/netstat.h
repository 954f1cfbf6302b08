/*
 * personalities/linux/netstat.h - the network's statistics, as Linux
 * keeps them in its MIBs and shows them in /proc/net/snmp, snmp6 and
 * sockstat(6): counters that the loopback's traffic moves (inet.c's
 * connections, socket.c's TCP writes, udp.c's datagrams), and the sockets
 * in use, counted from inet.c's port table when read.
 *
 * Entry points: the netstat_* counters (inet.c, socket.c, udp.c), and
 * netstat_text (procfs's /proc/net).  Layer: a file type, over inet.c.
 * Book: docs/linux.md, "Networking".
 */
#ifndef LINUX_NETSTAT_H
#define LINUX_NETSTAT_H
#include <stddef.h>
#include <stdbool.h>

struct inet_addr;

/* A TCP connection made (both ends: ActiveOpens, PassiveOpens, and the
 * handshake's segments); one refused (an open too, AttemptFails, the reset); a write's
 * data and its acknowledgement; to: the peer, whose family counts the IP
 * packets. */
void netstat_tcp_open(const struct inet_addr *to);
void netstat_tcp_refused(const struct inet_addr *to);
void netstat_tcp_data(const struct inet_addr *to);
/* A UDP datagram sent to `to`: delivered (there: a socket took it),
 * else nobody's (NoPorts, and the ICMP port unreachable back); one lost
 * to a full receive queue; one a receive took. */
void netstat_udp_sent(const struct inet_addr *to, bool there);
void netstat_udp_dropped(const struct inet_addr *to);
void netstat_udp_taken(const struct inet_addr *from);

/* netstatext.c: a TCP data segment sent (TCPOrigDataSent); a close that
 * reset the connection to `to`: data unread (TCPAbortOnClose), or
 * SO_LINGER's zero time (linger: TCPAbortOnData); /proc/net/netstat or
 * protocols (name) into out, its whole length.  netstat.c: the reset's
 * segment (OutRsts), IPv4's packets received (InNoECTPkts). */
void netstat_tcp_sent_data(void);
void netstat_tcp_abort(const struct inet_addr *to, bool linger);
size_t netstat_ext_text(const char *name, char *out, size_t size);
void netstat_tcp_reset(const struct inet_addr *to);
unsigned long netstat_ip_in(void);

/* /proc/net's file `name` (snmp, snmp6, sockstat, sockstat6, netstat, protocols) into out;
 * its whole length, as snprintf's. */
size_t netstat_text(const char *name, char *out, size_t size);

#endif
