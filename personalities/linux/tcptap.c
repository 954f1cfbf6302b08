/*
 * personalities/linux/tcptap.c - a TCP connection's segments over lo, as
 * Linux 6.1 sends them, for the packet and raw sockets (tcptap.h): the
 * handshake (a SYN and SYN-ACK of options MSS 65495, 65476 over IPv6,
 * SACK permitted, timestamps, NOP, window scale 7; their ACK), data
 * segments of at most lo's MSS less the timestamps option (65483 bytes,
 * 65464 over IPv6), PSH on a write's last, each ACKed at once by the
 * receiver (a new connection's quick ACKs), FIN and its ACK, RST-ACK with
 * the timestamps for a close with data unread, and the stack's bare
 * RST-ACK (checksummed whole) to a connect nobody listens to.  Sequence numbers start at a random
 * ISN per side, timestamps at a random offset, as Linux's.
 *
 * What differs: every data segment is ACKed alone (Linux delays ACKs
 * once a connection is past its first segments, and piggybacks them on
 * replies); windows are the SYN's 65495 and 65483, then 512 (65536
 * scaled by 7), where Linux's grow with the receive buffer; a write to a
 * peer gone shows no segment (Linux sends it and gets a reset); urgent
 * data is not shown.
 *
 * Entry points: tcptap.h.  Layer: a file type's packets, over rawip.c.
 * Book: docs/linux.md, "Networking".
 */
#include "tcpclose.h"
#include "raw.h"
#include "time.h"
#include <stdlib.h>
#include <string.h>

/* lo's MSS option (65536 less the IP and TCP headers), and a segment's
 * most data (less the timestamps option too) */
static bool is_v6(const struct inet_addr *a)
{
    static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};
    return memcmp(a->addr, mapped, 12) != 0;
}
static uint16_t mss_opt(const struct inet_addr *a) { return is_v6(a) ? 65476 : 65495; }
enum { FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16 };


static uint32_t rnd(void) { return (uint32_t)random() ^ (uint32_t)(clock_now() >> 3); }
static void put16(uint8_t *d, uint32_t v) { d[0] = (uint8_t)(v >> 8), d[1] = (uint8_t)v; }
static void put32(uint8_t *d, uint32_t v) { put16(d, v >> 16), put16(d + 2, v); }

/* A segment of s from `from` to `to`: flags, seq, ack, window, its
 * options, n bytes of data. */
static void segment(const struct inet_sock *s, const struct inet_addr *from, const struct inet_addr *to, int flags,
                    uint32_t seq, uint32_t ack, uint16_t win, const uint8_t *opt, size_t optlen, const uint8_t *data,
                    size_t n)
{
    uint8_t h[60] = {0};
    size_t hl = 20 + optlen;
    put16(h, from->port), put16(h + 2, to->port), put32(h + 4, seq), put32(h + 8, ack);
    h[12] = (uint8_t)(hl / 4 << 4), h[13] = (uint8_t)flags;
    put16(h + 14, win);
    memcpy(h + 20, opt, optlen);
    ip_tap(s, from, to, IPPROTO_TCP, h, hl, data, n, flags == (RST | ACK) && !optlen);
}

static uint32_t ts_now(const struct tcp_flow *f, int i) { return (uint32_t)(clock_now() / 1000000) + f->ts_off[i]; }

/* A segment of side i of f, with the timestamps option (its SYN's options on a SYN). */
static void send_seg(struct tcp_flow *f, int i, int flags, uint16_t win, const uint8_t *data, size_t n)
{
    struct inet_sock *s = f->end[i] ? f->end[i] : f->end[!i];
    if (!s)
        return;
    uint8_t opt[20];
    size_t ol;
    uint32_t ts = ts_now(f, i), ecr = flags == SYN ? 0 : f->ts_last[!i];
    if (flags & SYN) { /* MSS, SACK permitted, timestamps, NOP, window scale */
        opt[0] = 2, opt[1] = 4, put16(opt + 2, mss_opt(&f->addr[i]));
        opt[4] = 4, opt[5] = 2, opt[6] = 8, opt[7] = 10;
        put32(opt + 8, ts), put32(opt + 12, ecr);
        opt[16] = 1, opt[17] = 3, opt[18] = 3, opt[19] = 7;
        ol = 20;
    } else {
        opt[0] = opt[1] = 1, opt[2] = 8, opt[3] = 10;
        put32(opt + 4, ts), put32(opt + 8, ecr);
        ol = 12;
    }
    f->ts_last[i] = ts;
    uint32_t seq = f->nxt[i], ack = (flags == SYN) ? 0 : f->nxt[!i];
    segment(s, &f->addr[i], &f->addr[!i], flags, seq, ack, win, opt, ol, data, n);
    f->nxt[i] += (uint32_t)n + ((flags & (SYN | FIN)) ? 1 : 0);
}

void tcp_tap_open(struct inet_sock *client, struct inet_sock *as)
{
    struct tcp_flow *f = calloc(1, sizeof *f);
    if (!f)
        return;
    *f = (struct tcp_flow){.end = {client, as}, .nxt = {rnd(), rnd()}, .ts_off = {rnd(), rnd()}};
    f->addr[0] = client->local, f->addr[1] = as->local;
    client->flow = f, as->flow = f;
    if (!raw_list())
        return;
    send_seg(f, 0, SYN, 65495, NULL, 0);
    send_seg(f, 1, SYN | ACK, 65483, NULL, 0);
    send_seg(f, 0, ACK, 512, NULL, 0);
}

void tcp_tap_refused(const struct inet_sock *s, const struct inet_addr *to)
{
    if (!raw_list())
        return;
    struct inet_addr from;
    inet_source(s, to, &from);
    from.port = s->local.port;
    struct tcp_flow f = {.end = {(struct inet_sock *)s}, .nxt = {rnd()}, .ts_off = {rnd()}};
    uint8_t opt[20];
    uint32_t isn = f.nxt[0], ts = ts_now(&f, 0);
    const uint8_t syn_opt[20] = {2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 3, 7};
    memcpy(opt, syn_opt, 20), put32(opt + 8, ts), put16(opt + 2, mss_opt(to));
    segment(s, &from, to, SYN, isn, 0, 65495, opt, 20, NULL, 0);
    segment(s, to, &from, RST | ACK, 0, isn + 1, 0, NULL, 0, NULL, 0); /* tcp_v4_send_reset: no options */
}

void tcp_tap_data(struct inet_sock *reader, const char *buf, size_t cap, size_t at, size_t k)
{
    struct tcp_flow *f = reader->flow;
    if (!f || !raw_list() || !k)
        return;
    int i = f->end[0] == reader; /* the writer: the reader's other side */
    uint8_t *d = malloc(k);
    if (!d)
        return;
    size_t first = cap - at < k ? cap - at : k;
    memcpy(d, buf + at, first), memcpy(d + first, buf, k - first);
    size_t mss = mss_opt(&f->addr[0]) - 12u;
    for (size_t off = 0; off < k; off += mss) {
        size_t n = k - off < mss ? k - off : mss;
        send_seg(f, i, off + n == k ? PSH | ACK : ACK, 512, d + off, n);
        send_seg(f, !i, ACK, 512, NULL, 0);
    }
    free(d);
}

void tcp_tap_close(struct inet_sock *s, bool rst)
{
    struct tcp_flow *f = s->flow;
    if (!f)
        return;
    int i = f->end[1] == s;
    if ((f->fin[i] && !rst) || f->reset)
        return;
    bool tap = raw_list() != NULL;
    if (rst) { /* tcp_send_active_reset: with the timestamps */
        if (tap)
            send_seg(f, i, RST | ACK, 0, NULL, 0);
        f->fin[i] = f->fin[!i] = f->reset = true;
        tcp_closed(f, i, true); /* the peer's state goes (tcpclose.c) */
        return;
    }
    f->fin[i] = true, f->fin_at[i] = clock_now();
    if (tap) {
        send_seg(f, i, FIN | ACK, 512, NULL, 0);
        send_seg(f, !i, ACK, 512, NULL, 0);
    }
    tcp_closed(f, i, false); /* the peer's FIN came first: it is in TIME_WAIT now */
}

void tcp_tap_forget(struct inet_sock *s)
{
    struct tcp_flow *f = s->flow;
    if (!f)
        return;
    int i = f->end[1] == s;
    tcp_orphan(f, i); /* closed in FIN_WAIT2: it stays (tcpclose.c) */
    s->flow = NULL;
    f->end[i] = NULL;
    if (!f->end[0] && !f->end[1]) {
        tcp_flow_gone(f); /* its orphans keep no hold on it */
        free(f);
    }
}
