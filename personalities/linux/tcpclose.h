/*
 * personalities/linux/tcpclose.h - what stays of a TCP connection after
 * its socket closed, as Linux 6.1 keeps it (tcpclose.c): an end that sent
 * its FIN first and closed before the peer's FIN came is an orphan in
 * FIN_WAIT2 for tcp_fin_timeout (or its TCP_LINGER2); an end that sent
 * its FIN first and then got the peer's is in TIME_WAIT for 60 s.  Both
 * hold their port and show in /proc/net/tcp and sock_diag, as Linux's
 * timewait sockets (tw_substate FIN_WAIT2 or TIME_WAIT).
 *
 * Entry points: tcp_closed, tcp_orphan, tcp_flow_gone (tcptap.c, where a
 * connection's FINs and resets are seen), tcp_write_gone (socket.c: a
 * write to a peer that reset or closed), tcp_peer_reset, tcp_tw_list
 * (inet.c's ports, netdev.c's /proc/net/tcp, netlink.c's sock_diag).
 * Layer: a file type, over inet.c.  Book: docs/linux.md, "Networking".
 */
#ifndef LINUX_TCPCLOSE_H
#define LINUX_TCPCLOSE_H
#include "tcptap.h"

enum { TCP_FIN_WAIT2 = 5, TCP_TIME_WAIT = 6 };

/* An orphan in FIN_WAIT2 or an end in TIME_WAIT (Linux's inet_timewait_sock). */
struct tcp_tw {
    struct tcp_tw *next;
    struct sock k;            /* its namespace (held) and SO_REUSEADDR/SO_REUSEPORT, its socket's */
    int family;
    bool v6only;
    struct inet_addr local, remote;
    int state;                /* TCP_FIN_WAIT2 or TCP_TIME_WAIT */
    uint64_t expires;         /* clock_now's ns */
    struct tcp_flow *flow;    /* FIN_WAIT2: its connection while the peer is there */
};

/* Side i of f sent its FIN (rst: its reset): a peer that sent its FIN
 * first enters TIME_WAIT; a reset ends the peer's orphan. */
void tcp_closed(struct tcp_flow *f, int i, bool rst);
/* Side i of f goes (its socket closed): an orphan if its FIN went first
 * and the peer's has not come. */
void tcp_orphan(struct tcp_flow *f, int i);
void tcp_flow_gone(struct tcp_flow *f);
/* Linux 6.1's tcp_max_tw_buckets by default: half of the established
 * hash's buckets, one per 128 KiB of memory rounded up to a power of two
 * (alloc_large_system_hash's scale 17, tcp_init, tcp_sk_init). */
int tcp_tw_default(void);
/* A write of total bytes to TCP socket f (how: socket_io's MOVE_*
 * bits) where the peer reset or closed: ECONNRESET or EPIPE after a
 * reset, total for the first write after the peer's close (whose reset
 * makes the rest EPIPE); SOCKET_MAY for a write to go on. */
int64_t tcp_write_gone(struct sys_ctx *c, struct file *f, int how, uint64_t total);
/* s wrote to a peer that closed: an orphan's reset, and it goes. */
void tcp_peer_reset(struct inet_sock *s);
/* Whether s's FIN, sent first, waits for the peer's delayed ACK (FIN_WAIT1). */
bool tcp_fin_unacked(const struct inet_sock *s);
/* The entries not yet expired (the expired ones go first). */
const struct tcp_tw *tcp_tw_list(void);

#endif
