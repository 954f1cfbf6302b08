/*
 * personalities/linux/tcptap.h - the segments of a TCP connection over lo
 * as packet and raw sockets see them (tcptap.c).  A connection here is a
 * pair of pipes (inet.h) and never becomes packets; these calls, made
 * where its state changes, build the segments Linux 6.1 would have sent
 * for it and give them to rawip.c's ip_tap.
 *
 * Entry points: below.  Callers: inet.c (connect, the accepted end, a
 * refusal, the end of a socket), pipe.c (bytes into a TCP socket's pipe:
 * a write's, splice's and sendfile's), socket.c (close, shutdown, a
 * listener's connections not accepted).  Layer: a file type's packets.  Book:
 * docs/linux.md, "Networking".
 */
#ifndef LINUX_TCPTAP_H
#define LINUX_TCPTAP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "inet.h"

struct tcp_tw;

/* One connection: index 0 the client's side, 1 the accepted end's. */
struct tcp_flow {
    struct inet_sock *end[2]; /* NULL once it is gone (its side's segments go on, from its address) */
    struct inet_addr addr[2]; /* each side's address and port */
    uint32_t nxt[2];    /* each side's next sequence number */
    uint32_t ts_off[2]; /* each side's timestamp offset */
    uint32_t ts_last[2]; /* the last timestamp each side sent (the other's echo) */
    bool fin[2];        /* each side has sent its FIN */
    uint64_t fin_at[2]; /* when (clock_now) */
    bool reset;         /* a side sent its reset: the connection is gone */
    struct tcp_tw *tw[2]; /* a side closed in FIN_WAIT2: its orphan (tcpclose.c) */
};

/* The handshake of client's connection, accepted as as: SYN, SYN-ACK, ACK. */
void tcp_tap_open(struct inet_sock *client, struct inet_sock *as);
/* A connect of s to `to` where nothing listens: its SYN, the stack's RST-ACK. */
void tcp_tap_refused(const struct inet_sock *s, const struct inet_addr *to);
/* k bytes the peer of reader wrote into reader's pipe (a ring of cap bytes
 * at buf, from at): its data segments, and reader's ACK. */
void tcp_tap_data(struct inet_sock *reader, const char *buf, size_t cap, size_t at, size_t k);
/* s sends its FIN (a close or SHUT_WR; the peer ACKs it) or, rst, its
 * reset (closed with data unread, or SO_LINGER of no time). */
void tcp_tap_close(struct inet_sock *s, bool rst);
/* s goes: its side of the connection's state with it. */
void tcp_tap_forget(struct inet_sock *s);

#endif
