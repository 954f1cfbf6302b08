/*
 * personalities/linux/inet.h - internet sockets (AF_INET, AF_INET6): TCP
 * streams and UDP datagrams between the processes of this machine, over
 * its one network interface, the loopback.  A TCP connection is a pair of
 * pipes, as an AF_UNIX stream's (socket.c); a UDP datagram goes straight
 * into its receiver's queue (udp.c).  An address is kept in IPv6 form
 * (an IPv4 one mapped, ::ffff:a.b.c.d), so that one table of bound ports
 * serves both families, a v6 wildcard included.
 *
 * The loopback is the only network stack: inet_route says which addresses
 * it owns (127.0.0.0/8, ::1, the wildcards).  A second stack (a real
 * interface behind a driver server) would plug in there: its addresses
 * would be routed to it, and its ports taken from the same table.
 *
 * Entry points: inet_socket, inet_bind, inet_connect, inet_listen (the
 * socket calls in socket.c hand an internet socket's work here),
 * inet_joined (socket_join, for the accepted end), inet_release (a
 * close), inet_getsockopt/inet_setsockopt (sockopt.c), and for udp.c the
 * address helpers and the port table.
 *
 * Layer: a file type, over socket.c and pipe.c.  Book: docs/linux.md,
 * "Networking".
 */
#ifndef LINUX_INET_H
#define LINUX_INET_H
#include "socket.h"
#include "tcpopt.h"

/* struct sockaddr_in and struct sockaddr_in6 (linux/in.h, linux/in6.h). */
struct sockaddr_in_k {
    uint16_t family, port; /* the port in network order */
    uint8_t addr[4], zero[8];
};
_Static_assert(sizeof(struct sockaddr_in_k) == 16, "struct sockaddr_in");
struct sockaddr_in6_k {
    uint16_t family, port;
    uint32_t flowinfo;
    uint8_t addr[16];
    uint32_t scope_id;
};
_Static_assert(sizeof(struct sockaddr_in6_k) == 28, "struct sockaddr_in6");

/* An address and port: addr in IPv6 form (IPv4 mapped), port in host order. */
struct inet_addr {
    uint8_t addr[16];
    uint16_t port;
};

struct dgram;    /* a queued UDP datagram (udp.c) */
struct seg_hold; /* a waiting readv's buffers (udp.c) */

/* An internet socket's own state, hung from its struct sock. */
struct inet_sock {
    struct sock *sock;
    struct file *file;          /* the socket's file (not a reference): a UDP receiver's */
    int family, proto;          /* AF_INET or AF_INET6; IPPROTO_TCP or IPPROTO_UDP */
    struct inet_addr local, remote;
    bool bound;                 /* in the port table (local.port is its own) */
    bool connected;             /* UDP: remote is the default destination and the only sender taken */
    bool v6only;
    bool addr_lock, port_lock;  /* bind named the address, the port (Linux's SOCK_BINDADDR_LOCK, _BINDPORT_LOCK) */
    struct tcp_opts tcp;        /* TCP: its IPPROTO_TCP options (tcpopt.c) */
    bool rst;                   /* TCP: a write after the peer closed drew its reset; writes are EPIPE now */
    bool connect_done;          /* a nonblocking connect said EINPROGRESS: the next connect says 0 */
    int ttl;                    /* IP_TTL or IPV6_UNICAST_HOPS; -1: its namespace's default (inet_ttl) */
    uint32_t uid;               /* its maker's effective uid (/proc/net) */
    int err;                    /* a pending error, positive (SO_ERROR; ECONNREFUSED) */
    int shut;                   /* UDP: shutdown's SHUT_RD + 1 and SHUT_WR + 1 bits */
    struct dgram *queue;        /* UDP: received datagrams, oldest first */
    uint64_t queued;            /* their bytes, against SO_RCVBUF */
    struct seg_hold *held;      /* UDP: the buffers of readv calls waiting (udp.c) */
    struct dgram *cork;         /* UDP: what sends with MSG_MORE gathered, for cork_to (udp.c); NULL: none */
    struct inet_addr cork_to;
    struct inet_sock *next;     /* the port table */
    /* raw and ping sockets (raw.h): kind RAW_SOCK or PING_SOCK (0: TCP or UDP), on raw.c's list */
    int kind;
    bool hdrincl, recverr;      /* raw: IP_HDRINCL (the sender writes the IP header); IP_RECVERR */
    bool recvttl, recvhops;     /* IP_RECVTTL, IPV6_RECVHOPLIMIT: recvmsg gives the packet's TTL */
    uint32_t icmp_filter[8];    /* raw: ICMP_FILTER (word 0) or ICMP6_FILTER, a bit for each type dropped */
    struct inet_sock *next_raw;
    void *pk;                   /* AF_PACKET's state (packet.c) */
    struct tcp_flow *flow;      /* TCP: its connection's segments for the taps (tcptap.c) */
};

int64_t inet_socket(struct sys_ctx *c, int domain, int type, int flags, uint64_t protocol);
/* A new internet socket's file, sock and state, the file's operations
 * ops (NULL: no memory); then its descriptor in c's process (the file
 * put if none). */
struct inet_sock *inet_new(struct sys_ctx *c, int domain, int proto, int flags, const struct file_ops *ops);
int64_t inet_install(struct sys_ctx *c, struct inet_sock *s, int flags);
/* The TTL (hop limit) s's packets carry, IPv6 ones (v6) or IPv4: its
 * IP_TTL, else its namespace's ip_default_ttl or lo's hop_limit. */
int inet_ttl(const struct inet_sock *s, bool v6);
int64_t inet_bind(struct sys_ctx *c, struct file *f, uint64_t uaddr, uint64_t len);
int64_t inet_connect(struct sys_ctx *c, struct file *f, uint64_t fd, uint64_t uaddr, uint64_t len);
int64_t inet_listen(struct file *f);
void inet_joined(struct sock *client, struct sock *l, struct sock *accepted);
void inet_release(struct sock *k);
/* The options of levels IPPROTO_IP and IPPROTO_IPV6 (TCP's are tcpopt.c's): an int
 * value each; -errno as Linux for the others. */
int64_t inet_getsockopt(struct sock *k, int level, int name, int32_t *v);
int64_t inet_setsockopt(struct sock *k, int level, int name, int32_t v);

/* For udp.c: a user's address as Linux reads it for a socket of k's
 * family (connect: AF_UNSPEC dissolves, *unspec says so); a name written
 * in k's family; binding a port of its own to an unbound socket; whether
 * the loopback owns an address (else ENETUNREACH); and the bound UDP
 * socket of s's namespace a datagram from s to `to` from `from` goes to
 * (NULL: nobody there). */
int64_t inet_addr_in(struct sys_ctx *c, struct inet_sock *s, uint64_t uaddr, uint64_t len, struct inet_addr *a,
                     bool *unspec);
uint32_t inet_name(const struct inet_sock *s, const struct inet_addr *a, struct sockaddr_k *out);
int64_t inet_autobind(struct inet_sock *s);
bool inet_route(const struct inet_addr *to);
/* A destination of 0.0.0.0 or :: is the loopback's 127.0.0.1 or ::1, as Linux takes it. */
void inet_any_to_loopback(struct inet_addr *a);
/* A destination of s, as connect and a send take it: the wildcard the
 * loopback, then ENETUNREACH for a mapped one from an IPv6-only socket or
 * one the loopback does not own, EAFNOSUPPORT for an IPv6 one from a
 * socket bound to a mapped address; 0. */
int64_t inet_dest(const struct inet_sock *s, struct inet_addr *a);
/* s leaves the port table. */
void inet_unbind(struct inet_sock *s);
/* The source address of a packet from s to `to` (s's own, or the loopback's). */
void inet_source(const struct inet_sock *s, const struct inet_addr *to, struct inet_addr *from);
struct inet_sock *inet_deliver_to(const struct inet_sock *s, const struct inet_addr *to, const struct inet_addr *from);

/* The bound sockets, linked by next (netdev.c's /proc/net). */
const struct inet_sock *inet_ports(void);

/* netdev.c: the interface ioctls of every socket; a /proc/net table
 * (0 tcp, 1 tcp6, 2 udp, 3 udp6; 4 dev, 5 if_inet6, 6 route; 7 unix, unixctl.c's) into
 * out, its whole length (as snprintf's, past size if it did not fit). */
int64_t netdev_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg);
size_t inet_proc_net(int which, char *out, size_t size);

/* udp.c */
extern const struct file_ops udp_fops;
bool udp_of(const struct file *f);
int64_t udp_sendto(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, uint64_t flags, uint64_t uaddr,
                   uint64_t addrlen);
int64_t udp_recvfrom(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, uint64_t flags, uint64_t uaddr,
                     uint64_t uaddrlen);
int64_t udp_msg(struct sys_ctx *c, struct file *f, uint64_t umsg, uint64_t flags, bool write);
/* One datagram of len bytes of the server's to f's connected peer
 * (splice.c's splice and sendfile into UDP); the count or -errno. */
int64_t udp_send_kernel(struct sys_ctx *c, struct file *f, const char *buf, uint64_t len);
/* The oldest datagram f has received, its first len bytes into the
 * server's buf (the rest is lost, as a read's); -EAGAIN if none, 0 once
 * shut, or a pending error. */
int64_t udp_recv_kernel(struct file *f, char *buf, uint64_t len);
/* sendmmsg and recvmmsg: vlen entries of struct mmsghdr at vec; the count. */
int64_t udp_mmsg(struct sys_ctx *c, struct file *f, uint64_t vec, uint64_t vlen, uint64_t flags, bool write);
int64_t udp_shutdown(struct file *f, int how);
void udp_free_queue(struct inet_sock *s);
/* The bytes of the first datagram s has received (0: none): its FIONREAD. */
uint64_t udp_first_len(const struct inet_sock *s);

#endif
