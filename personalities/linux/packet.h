/*
 * personalities/linux/packet.h - AF_PACKET's state, shared by packet.c
 * (the sockets, their frames and options) and packetring.c (their mapped
 * rings, PACKET_RX_RING and PACKET_TX_RING, as Linux 6.1's af_packet.c
 * keeps them: the receive ring's frames or TPACKET_V3 blocks, then the
 * transmit ring's, in pages of an inode of the socket's own that mmap of
 * the socket maps shared, and this server writes and reads in place).
 *
 * Entry points: below.  Callers: packet.c, packetring.c, udp.c (poll and
 * mmap of a packet socket), deadline.c (the retire timers of TPACKET_V3
 * blocks).  Layer: a file type, over udp.c's queues.  Book:
 * docs/linux.md, "Networking".
 */
#ifndef LINUX_PACKET_H
#define LINUX_PACKET_H
#include "raw.h"

#define TPACKET_V1 0
#define TPACKET_V2 1
#define TPACKET_V3 2

struct packet_mreq_k {
    int32_t ifindex;
    uint16_t type, alen;
    uint8_t address[8];
};

#define MAX_MREQ 16

/* A ring (packetring.c). */
struct pring {
    uint32_t block_size, block_nr, frame_size, frame_nr;
    uint64_t base;         /* its offset in the socket's pages (the receive ring's 0, the transmit ring's after it) */
    uint32_t head;         /* V1, V2 and transmit: the frame next; V3: the active block */
    uint32_t tov_ms, priv; /* V3: tp_retire_blk_tov (8 ms if 0, as lo's unknown speed), tp_sizeof_priv */
    uint32_t nxt, prev;    /* V3: offsets in the active block: the next packet's, the last one's */
    uint32_t npkts, blen;  /* V3: the active block's num_pkts and blk_len */
    uint64_t seq;          /* V3: the next block's seq_num */
    uint64_t retire_at;    /* V3: when its retire timer fires (clock_now's) */
    bool frozen;           /* V3: the next block was the user's still: packets are dropped until it comes back */
};

struct packet_sock {
    int ifindex;                   /* bound to (0: every interface) */
    uint16_t num;                  /* its protocol, network order (0: takes nothing) */
    int version, reserve, auxdata, vnet_hdr;
    int loss, bypass, tstamp, origdev, ignore_outgoing, tx_has_off, copy_thresh; /* their options' values */
    uint32_t packets, drops;       /* PACKET_STATISTICS, since last read */
    uint32_t freeze;               /* V3's tp_freeze_q_cnt */
    struct pring *ring[2];         /* PACKET_RX_RING, PACKET_TX_RING (NULL: none) */
    struct fanout *fanout;         /* its PACKET_FANOUT group (packetfanout.c; NULL: none) */
    struct rollover *rollover;     /* the group's rollover counts, PACKET_ROLLOVER_STATS */
    struct inode *mem;             /* the rings' pages (NULL: none) */
    struct packet_mreq_k mreq[MAX_MREQ];
    int nmreq;
};

static inline struct packet_sock *pk(const struct inet_sock *s) { return (struct packet_sock *)s->pk; }

/* packetring.c.  PACKET_RX_RING or PACKET_TX_RING's setsockopt (optval
 * uval, len bytes). */
int64_t pring_set(struct sys_ctx *c, struct inet_sock *s, bool tx, uint64_t uval, int len);
/* tpacket_rcv: a frame (d, snap bytes of a frame of full bytes, lo's
 * header first on SOCK_RAW) into s's receive ring; false if it was
 * dropped (no frame free).  partial: lo's offloaded checksum (TCP, UDP). */
bool pring_rx(struct inet_sock *s, const uint8_t *d, uint64_t snap, uint64_t full, uint16_t ethertype,
              uint8_t pkttype, bool partial);
/* tpacket_snd: the transmit ring's frames of TP_STATUS_SEND_REQUEST, sent
 * as one packet_send each (send's data is not looked at); the bytes sent
 * or -errno. */
int64_t pring_send(struct sys_ctx *c, struct inet_sock *s, uint64_t uaddr, uint64_t addrlen);
/* packet_poll's part: POLLIN once a frame (V3: a block) is the user's. */
int pring_poll(const struct inet_sock *s);
/* mmap of the socket: both rings, from offset 0, exactly. */
int pring_map(struct file *f, uint64_t off, uint64_t len, struct inode **ino, uint64_t *at);
/* The socket's end: its rings go (their pages once no mapping is left). */
void pring_release(struct inet_sock *s);
/* The earliest retire timer of a TPACKET_V3 ring (0: none), and their firing. */
uint64_t pring_next(void);
void pring_fire(uint64_t now);

/* packetfanout.c: PACKET_FANOUT and PACKET_FANOUT_DATA's setsockopt,
 * PACKET_FANOUT and PACKET_ROLLOVER_STATS's getsockopt (into v, *size
 * bytes); the socket's leaving its group (packet_release); and which
 * member of s's group takes a frame (s itself without a group; NULL:
 * none, the group's other members having been given it). */
int64_t packet_fanout_set(struct sys_ctx *c, struct inet_sock *s, int name, uint64_t uval, int len);
int64_t packet_fanout_get(struct inet_sock *s, int name, int32_t *v, uint32_t *size);
void packet_fanout_leave(struct inet_sock *s);
/* The member of s's group that takes a frame (ip: n bytes from its
 * network header) going out from `from` or coming in: s itself without a
 * group; NULL when s does not take it for the group (the group takes each
 * frame once, through its first member; not its own members' going out). */
struct inet_sock *packet_fanout_pick(struct inet_sock *s, const uint8_t *ip, uint64_t n, uint16_t ethertype,
                                     const struct inet_sock *from);
/* packetring.c: room in s's receive ring for the next frame, as
 * __packet_rcv_has_room: 2 (a quarter of the ring on), 1 (the next), 0. */
int packet_ring_room(const struct inet_sock *s);

/* packet.c: recvmsg's PACKET_AUXDATA control message of a frame of len
 * bytes from `from` (udp_queue's address: its ethertype, packet type,
 * offload and length before the filter) after used bytes of m's control,
 * when the option asks for it (MSG_CTRUNC when it does not fit); m's
 * controllen becomes what was written. */
int64_t packet_aux_cmsg(struct proc *p, const struct inet_sock *s, const struct inet_addr *from, uint64_t len,
                        struct msghdr_k *m, uint64_t used);

/* packet.c: one frame (d, total bytes, lo's header first on SOCK_RAW)
 * out of s to lo, of ethertype proto (network order); bypass: not shown
 * to the taps going out (PACKET_QDISC_BYPASS). */
void packet_xmit(struct inet_sock *s, const uint8_t *d, uint64_t total, uint16_t proto);

#endif
