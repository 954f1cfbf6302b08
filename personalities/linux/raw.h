/*
 * personalities/linux/raw.h - raw internet sockets (SOCK_RAW of AF_INET
 * and AF_INET6, CAP_NET_RAW's) and ping sockets (SOCK_DGRAM with
 * IPPROTO_ICMP or IPPROTO_ICMPV6, for the groups of ping_group_range),
 * and the loopback's packet path they share.
 *
 * TCP and UDP here move their bytes without packets (inet.h), though
 * the taps get a copy of each as Linux would have sent it (ip_tap,
 * tcptap.c); a raw or ping socket's send is a packet.  It is built as Linux builds it (an IPv4 header with TTL 64,
 * DF, its id and checksum; an ICMPv6 checksum; a ping socket's echo id
 * and checksum) and given to rawip.c's loopback, which does what Linux's
 * receive side does with it: every raw socket of its protocol takes a copy
 * (an IPv4 one with its header), the stack answers an echo request with
 * an echo reply from the address asked, and an echo reply goes to the ping
 * socket whose id it bears.  A raw or ping socket is an internet socket
 * (struct inet_sock, kind RAW_SOCK or PING_SOCK) with UDP's file
 * operations: its received packets queue as UDP's datagrams do (udp.c),
 * which read, recvmsg, poll and the rest take as they are.
 *
 * AF_PACKET sockets (packet.c) are of this kind too (PACKET_SOCK): they
 * see the frames of this path, and of ip_tap's, as lo carries them.
 *
 * Entry points: raw_socket (inet_socket's for these kinds), raw_bind and
 * raw_connect (inet_bind and inet_connect's), raw_send (udp.c's send for
 * a raw or ping socket), raw_getsockopt and raw_setsockopt (sockopt.c's
 * for levels but SOL_SOCKET), raw_release (inet_release's).
 *
 * Layer: a file type, over inet.c and udp.c.  Book: docs/linux.md,
 * "Networking".
 */
#ifndef LINUX_RAW_H
#define LINUX_RAW_H
#include "inet.h"

enum { RAW_SOCK = 1, PING_SOCK = 2, PACKET_SOCK = 3 /* AF_PACKET's (packet.c) */ };

#define IPPROTO_ICMP 1
#define IPPROTO_ICMPV6 58
#define IPPROTO_RAW 255
#define SOL_RAW 255
#define ICMP_FILTER 1 /* SOL_RAW; ICMPV6_FILTER is 1 of level IPPROTO_ICMPV6 too */
#define IP_HDRINCL 3
#define IP_RECVERR 11
#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8
#define ICMPV6_ECHO_REQUEST 128
#define ICMPV6_ECHO_REPLY 129

int64_t raw_socket(struct sys_ctx *c, int domain, int type, int flags, uint64_t protocol);
int64_t raw_bind(struct sys_ctx *c, struct inet_sock *s, uint64_t uaddr, uint64_t len);
int64_t raw_connect(struct sys_ctx *c, struct inet_sock *s, uint64_t uaddr, uint64_t len);
/* One send of total bytes (segs, or the server's kbuf) to uaddr (0: the
 * peer): the count or -errno. */
int64_t raw_send(struct sys_ctx *c, struct inet_sock *s, const struct io_seg *segs, uint64_t nsegs, uint64_t total,
                 uint64_t flags, uint64_t uaddr, uint64_t addrlen, const char *kbuf);
int64_t raw_getsockopt(struct sys_ctx *c, struct inet_sock *s, int level, int name, uint64_t uval, uint64_t ulen);
int64_t raw_setsockopt(struct sys_ctx *c, struct inet_sock *s, int level, int name, uint64_t uval, int len);
void raw_release(struct inet_sock *s);
/* A ping socket's first send takes it an echo id (inet_autobind's). */
int64_t raw_ping_autobind(struct inet_sock *s);

/* rawip.c: the loopback's receive side.  A packet: an IPv4 datagram,
 * header and all (v6 false), or an IPv6 payload of protocol proto between
 * src and dst (addresses in inet.h's form, ports 0). */
struct ip_pkt {
    bool v6;
    uint8_t proto;
    struct inet_addr src, dst;
    uint8_t *data;
    uint64_t len, hl; /* hl: the IPv4 header's bytes (0 for IPv6) */
    uint8_t hops;     /* IPv6: its hop limit (IPv4's TTL is in its header) */
    const struct sock *via; /* its sender's socket: the namespace whose lo carries it */
    bool partial;           /* TCP or UDP: its checksum left to lo, which offloads it */
};
void ip_loopback(struct ip_pkt *p);
/* A TCP segment or UDP datagram of s, from `from` to `to` (ports in its
 * header hdr, hlen bytes, whose checksum is filled here), with n bytes of
 * data after it (full: its checksum computed whole, else left to lo's
 * offload): lo's frames of its packet to the packet sockets, and a
 * copy to each raw socket of its protocol (ip_tap.c's part of Linux's
 * path; the stream or datagram itself goes its own way, inet.h). */
void ip_tap(const struct inet_sock *s, const struct inet_addr *from, const struct inet_addr *to, uint8_t proto,
            uint8_t *hdr, uint64_t hlen, const uint8_t *data, uint64_t n, bool full);
/* ip_tap of a UDP datagram of n bytes. */
void udp_tap(const struct inet_sock *s, const struct inet_addr *from, const struct inet_addr *to, const uint8_t *data,
             uint64_t n);
/* Whether a raw, ping or packet socket s is of the namespace p is carried in. */
bool ip_pkt_ours(const struct inet_sock *s, const struct ip_pkt *p);
/* The raw, ping and packet sockets (raw.c's list), and its new head. */
struct inet_sock *raw_list(void);
void raw_set_list(struct inet_sock *s);

/* packet.c: AF_PACKET sockets.  packet_taps gives p, as lo carries it,
 * to the packet sockets that take it (from: a packet socket that sent it);
 * packet_name is a received frame's sockaddr_ll, from udp_queue's address
 * (the ethertype's two bytes and the packet type). */
int64_t packet_socket(struct sys_ctx *c, int type, int flags, uint64_t protocol);
int64_t packet_bind(struct sys_ctx *c, struct inet_sock *s, uint64_t uaddr, uint64_t len);
int64_t packet_send(struct sys_ctx *c, struct inet_sock *s, const uint8_t *d, uint64_t total, uint64_t uaddr,
                    uint64_t addrlen);
int64_t packet_getsockopt(struct sys_ctx *c, struct inet_sock *s, int level, int name, uint64_t uval, uint64_t ulen);
int64_t packet_setsockopt(struct sys_ctx *c, struct inet_sock *s, int level, int name, uint64_t uval, int len);
void packet_taps(const struct ip_pkt *p, const struct inet_sock *from);
void packet_release(struct inet_sock *s);
uint32_t packet_name(const struct inet_addr *a, struct sockaddr_k *out);
/* The Internet checksum of n bytes, sum carried in (a pseudo-header's). */
uint16_t ip_checksum(const uint8_t *d, uint64_t n, uint32_t sum);
/* The sum of IPv6's pseudo-header for an upper-layer packet of len bytes. */
uint32_t ip6_pseudo(const struct inet_addr *src, const struct inet_addr *dst, uint64_t len, uint8_t proto);
/* Builds the IPv4 header of a datagram of len bytes (hl 20 + payload) at
 * d, from src to dst; id 0 for a DF packet, as Linux's unconnected one. */
void ip4_header(uint8_t *d, uint64_t len, uint8_t proto, uint8_t ttl, uint8_t tos, bool df, uint16_t id,
                const struct inet_addr *src, const struct inet_addr *dst);

/* udp.c: queues a copy of n bytes from `from`, of IP TTL or hop limit
 * ttl, on s (lost when past its receive buffer or shut), waking its
 * receivers. */
void udp_queue(struct inet_sock *s, const struct inet_addr *from, const void *data, uint64_t n, uint8_t ttl);

#endif
