/*
 * personalities/linux/tcpopt.c - the options of level IPPROTO_TCP on a
 * TCP socket, as Linux 6.1's do_tcp_setsockopt and do_tcp_getsockopt take
 * and give them: TCP_NODELAY, TCP_CORK, TCP_QUICKACK (a read says 1 until
 * 0 was set), TCP_USER_TIMEOUT, the keepalive's TCP_KEEPIDLE,
 * TCP_KEEPINTVL and TCP_KEEPCNT, TCP_SYNCNT, TCP_LINGER2 (capped at 120
 * s), TCP_DEFER_ACCEPT (kept in retransmissions: a read gives the seconds
 * those add up to), TCP_MAXSEG, TCP_WINDOW_CLAMP, TCP_NOTSENT_LOWAT,
 * TCP_INQ, TCP_THIN_*, TCP_SAVE_SYN, TCP_FASTOPEN*, each in Linux's range
 * (EINVAL past it), and TCP_CONGESTION (cubic, or reno); unset, the
 * keepalive's, TCP_SYNCNT and TCP_LINGER2 read the namespace's tcp_*
 * settings (netsysctl.c), a new socket's algorithm is its
 * tcp_congestion_control.  The loopback
 * neither delays, retransmits nor probes, so they change no traffic.
 *
 * TCP_INFO gives struct tcp_info of 6.1 (232 bytes, or fewer as asked):
 * the connection's state, a listener's queue, and a loopback connection's
 * figures (MSS, a round trip of microseconds, the window).
 *
 * Entry points: tcp_getsockopt, tcp_setsockopt (sockopt.c), tcp_state.
 * Layer: a file type, over inet.c and pipe.c.  Book: docs/linux.md,
 * "Networking".
 */
#include "inet.h"
#include "tcpclose.h"
#include "proc.h"
#include "socket.h"
#include "netns.h"
#include "netsysctl.h"
#include <string.h>

#define TCP_MSS_DEFAULT 536   /* an unconnected socket's MSS */
#define LO_MSS 32768          /* a loopback connection's: half the peer's first window (tcp_bound_to_half_wnd) */
#define LO_ADVMSS 65483       /* lo's MTU less the IP and TCP headers and the timestamps */
#define MAX_TCP_KEEPIDLE 32767
#define MAX_TCP_KEEPCNT 127
#define MAX_TCP_SYNCNT 127
#define FIN_TIMEOUT_MAX 120   /* TCP_LINGER2's cap, seconds */
#define TCP_CA_NAME_MAX 16

/* struct tcp_info (linux/tcp.h) as 6.1 has it. */
struct tcp_info_k {
    uint8_t state, ca_state, retransmits, probes, backoff, options, wscale, flags;
    uint32_t rto, ato, snd_mss, rcv_mss;
    uint32_t unacked, sacked, lost, retrans, fackets;
    uint32_t last_data_sent, last_ack_sent, last_data_recv, last_ack_recv;
    uint32_t pmtu, rcv_ssthresh, rtt, rttvar, snd_ssthresh, snd_cwnd, advmss, reordering;
    uint32_t rcv_rtt, rcv_space, total_retrans;
    uint64_t pacing_rate, max_pacing_rate, bytes_acked, bytes_received;
    uint32_t segs_out, segs_in, notsent_bytes, min_rtt, data_segs_in, data_segs_out;
    uint64_t delivery_rate, busy_time, rwnd_limited, sndbuf_limited;
    uint32_t delivered, delivered_ce;
    uint64_t bytes_sent, bytes_retrans;
    uint32_t dsack_dups, reord_seen, rcv_ooopack, snd_wnd;
};
_Static_assert(sizeof(struct tcp_info_k) == 232, "struct tcp_info");

enum { ESTABLISHED = 1, FIN_WAIT1 = 4, FIN_WAIT2 = 5, CLOSE = 7, CLOSE_WAIT = 8, LISTEN = 10 };

int tcp_state(const struct file *f)
{
    const struct sock *k = f->sock;
    if (k->listening)
        return LISTEN;
    if (!f->pipe || k->inet->rst)
        return CLOSE;
    bool fin_in = !pipe_ends(f->pipe, true), fin_out = (f->shut & SHUT_WRITE) != 0;
    /* both ways shut: TIME_WAIT or LAST_ACK's end, where the socket itself is closed */
    if (fin_out && !fin_in) /* FIN_WAIT1 until the peer's delayed ACK of the FIN (tcpclose.c) */
        return tcp_fin_unacked(k->inet) ? FIN_WAIT1 : FIN_WAIT2;
    return fin_in && fin_out ? CLOSE : fin_in ? CLOSE_WAIT : ESTABLISHED;
}

/* TCP_DEFER_ACCEPT's seconds as retransmissions of a SYN-ACK (the first
 * after 1 s, each twice the last, at most 120 s), and back, as Linux's
 * secs_to_retrans and retrans_to_secs. */
static int secs_to_retrans(int seconds)
{
    int res = 0;
    if (seconds > 0) {
        int timeout = 1, period = 1;
        res = 1;
        while (seconds > period && res < 255) {
            res++;
            timeout = timeout * 2 > 120 ? 120 : timeout * 2;
            period += timeout;
        }
    }
    return res;
}

static int retrans_to_secs(int retrans)
{
    int period = 0;
    if (retrans > 0) {
        int timeout = 1;
        period = 1;
        while (--retrans) {
            timeout = timeout * 2 > 120 ? 120 : timeout * 2;
            period += timeout;
        }
    }
    return period;
}

static void info(const struct file *f, struct tcp_info_k *t)
{
    const struct sock *k = f->sock;
    memset(t, 0, sizeof *t);
    t->state = (uint8_t)tcp_state(f);
    if (t->state == LISTEN) { /* a listener's queue and backlog, as Linux's */
        t->unacked = (uint32_t)socket_queued(k), t->sacked = (uint32_t)k->backlog;
        return;
    }
    bool up = t->state != CLOSE || f->pipe;
    t->rto = up ? 204000 : 1000000; /* µs: the minimum and the loopback's round trip; TCP_TIMEOUT_INIT */
    t->ato = up ? 40000 : 0;
    t->snd_mss = up ? LO_MSS : TCP_MSS_DEFAULT;
    t->rcv_mss = TCP_MSS_DEFAULT;
    t->pmtu = up ? 65535 : 0;
    t->rcv_ssthresh = up ? LO_ADVMSS : 0;
    t->rtt = up ? 30 : 0, t->rttvar = up ? 15 : 250000, t->min_rtt = up ? 10 : UINT32_MAX;
    t->snd_ssthresh = 0x7fffffff, t->snd_cwnd = 10;
    t->advmss = up ? LO_ADVMSS : TCP_MSS_DEFAULT;
    t->reordering = 3;
    t->rcv_space = up ? LO_ADVMSS : 0;
    t->pacing_rate = t->max_pacing_rate = UINT64_MAX;
    if (up) { /* timestamps, SACK and window scaling (by 7 both ways), as the namespace's tcp_* settings allow */
        const struct netsysctl *ns = net_sysctl(k);
        t->options = (ns->timestamps ? 1 : 0) | (ns->sack ? 2 : 0) | (ns->window_scaling ? 4 : 0);
        t->wscale = ns->window_scaling ? 7 << 4 | 7 : 0, t->snd_wnd = 65536;
        t->segs_out = t->segs_in = 1;
    }
}

int64_t tcp_getsockopt(struct sys_ctx *c, struct file *f, int name, uint64_t uoptval, uint64_t uoptlen)
{
    struct inet_sock *s = f->sock->inet;
    const struct tcp_opts *o = &s->tcp;
    int32_t len, v;
    if (mem_in(c->p, &len, uoptlen, sizeof len) < 0)
        return -LINUX_EFAULT;
    if (len < 0)
        return -LINUX_EINVAL;
    if (name == TCP_INFO || name == TCP_CONGESTION) {
        struct tcp_info_k t;
        char cc[TCP_CA_NAME_MAX] = {0};
        if (name == TCP_INFO)
            info(f, &t);
        else
            strcpy(cc, o->congestion ? "reno" : "cubic");
        uint32_t size = name == TCP_INFO ? sizeof t : sizeof cc, n = (uint32_t)len < size ? (uint32_t)len : size;
        if (mem_out(c->p, uoptval, name == TCP_INFO ? (void *)&t : (void *)cc, n) < 0 ||
            mem_out(c->p, uoptlen, &n, sizeof n) < 0)
            return -LINUX_EFAULT;
        return 0;
    }
    switch (name) {
    case TCP_NODELAY: v = o->nodelay; break;
    case TCP_CORK: v = o->cork; break;
    case TCP_QUICKACK: v = !o->pingpong; break;
    case TCP_USER_TIMEOUT: v = o->user_timeout; break;
    /* unset: the namespace's tcp_keepalive_time, _intvl, _probes, tcp_syn_retries, tcp_fin_timeout, read now */
    case TCP_KEEPIDLE: v = o->keepidle ? o->keepidle : net_sysctl(f->sock)->keep_time; break;
    case TCP_KEEPINTVL: v = o->keepintvl ? o->keepintvl : net_sysctl(f->sock)->keep_intvl; break;
    case TCP_KEEPCNT: v = o->keepcnt ? o->keepcnt : net_sysctl(f->sock)->keep_probes; break;
    case TCP_SYNCNT: v = o->syncnt ? o->syncnt : net_sysctl(f->sock)->syn_retries; break;
    case TCP_LINGER2: v = o->linger2 < 0 ? -1 : o->linger2 ? o->linger2 : net_sysctl(f->sock)->fin_timeout; break;
    case TCP_DEFER_ACCEPT: v = retrans_to_secs(o->defer_accept); break;
    case TCP_MAXSEG: /* the user's MSS until connected, then the connection's */
        v = f->pipe ? (o->maxseg && o->maxseg < LO_MSS ? o->maxseg : LO_MSS) : o->maxseg ? o->maxseg : TCP_MSS_DEFAULT;
        break;
    case TCP_WINDOW_CLAMP: v = o->window_clamp; break;
    case TCP_NOTSENT_LOWAT: v = o->notsent_lowat; break;
    case TCP_INQ: v = o->inq; break;
    case TCP_THIN_LINEAR_TIMEOUTS: v = o->thin_lto; break;
    case TCP_THIN_DUPACK: v = 0; break;
    case TCP_SAVE_SYN: v = o->save_syn; break;
    case TCP_FASTOPEN: v = o->fastopen_qlen; break;
    case TCP_FASTOPEN_CONNECT: v = o->fastopen_connect; break;
    case TCP_FASTOPEN_NO_COOKIE: v = o->no_cookie; break;
    default: return -LINUX_ENOPROTOOPT;
    }
    uint32_t n = (uint32_t)len < sizeof v ? (uint32_t)len : sizeof v;
    if (mem_out(c->p, uoptlen, &n, sizeof n) < 0 || mem_out(c->p, uoptval, &v, n) < 0)
        return -LINUX_EFAULT;
    return 0;
}

/* TCP_CONGESTION: a name of at most 15 characters; cubic (the default)
 * and reno are built in, any other is not there (ENOENT); one
 * tcp_allowed_congestion_control does not list needs CAP_NET_ADMIN over
 * the socket's namespace (EPERM). */
static int64_t congestion(struct sys_ctx *c, struct file *f, struct tcp_opts *o, uint64_t uoptval, int optlen)
{
    char name[TCP_CA_NAME_MAX] = {0};
    if (optlen < 1)
        return -LINUX_EINVAL;
    size_t n = (size_t)optlen < sizeof name - 1 ? (size_t)optlen : sizeof name - 1;
    if (mem_in(c->p, name, uoptval, n) < 0)
        return -LINUX_EFAULT;
    if (strcmp(name, "cubic") && strcmp(name, "reno"))
        return -LINUX_ENOENT;
    if (!netsysctl_cc_allowed(name) && !netns_capable(&c->p->cred, f->sock->net, CAP_NET_ADMIN))
        return -LINUX_EPERM; /* tcp_set_congestion_control: one not allowed is CAP_NET_ADMIN's */
    o->congestion = strcmp(name, "reno") == 0;
    return 0;
}

/* A value within [lo, hi] into *at, else EINVAL. */
static int64_t ranged(int32_t v, int lo, int hi, int *at)
{
    if (v < lo || v > hi)
        return -LINUX_EINVAL;
    *at = v;
    return 0;
}

int64_t tcp_setsockopt(struct sys_ctx *c, struct file *f, int name, uint64_t uoptval, int optlen)
{
    struct tcp_opts *o = &f->sock->inet->tcp;
    int32_t v;
    int flag = 0;
    int64_t r = 0;
    if (name == TCP_CONGESTION)
        return congestion(c, f, o, uoptval, optlen);
    if (optlen < (int)sizeof v)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &v, uoptval, sizeof v) < 0)
        return -LINUX_EFAULT;
    bool closed = !f->pipe && !f->sock->listening;
    switch (name) {
    case TCP_NODELAY: o->nodelay = v != 0; break;
    case TCP_CORK: o->cork = v != 0; break;
    case TCP_QUICKACK: o->pingpong = v == 0; break;
    case TCP_USER_TIMEOUT: r = ranged(v, 0, INT32_MAX, &o->user_timeout); break;
    case TCP_KEEPIDLE: r = ranged(v, 1, MAX_TCP_KEEPIDLE, &o->keepidle); break;
    case TCP_KEEPINTVL: r = ranged(v, 1, MAX_TCP_KEEPIDLE, &o->keepintvl); break;
    case TCP_KEEPCNT: r = ranged(v, 1, MAX_TCP_KEEPCNT, &o->keepcnt); break;
    case TCP_SYNCNT: r = ranged(v, 1, MAX_TCP_SYNCNT, &o->syncnt); break;
    case TCP_LINGER2: o->linger2 = v < 0 ? -1 : v > FIN_TIMEOUT_MAX ? FIN_TIMEOUT_MAX : v; break;
    case TCP_DEFER_ACCEPT: o->defer_accept = secs_to_retrans(v); break;
    case TCP_MAXSEG:
        if (v && (v < 88 || v > 32767)) /* TCP_MIN_MSS, MAX_TCP_WINDOW */
            return -LINUX_EINVAL;
        o->maxseg = v;
        break;
    case TCP_WINDOW_CLAMP:
        if (!v && !closed)
            return -LINUX_EINVAL;
        o->window_clamp = !v ? 0 : v < 1152 ? 1152 : v; /* SOCK_MIN_RCVBUF / 2 at least */
        break;
    case TCP_NOTSENT_LOWAT: o->notsent_lowat = v; break;
    case TCP_INQ: r = ranged(v, 0, 1, &flag), o->inq = r ? o->inq : flag; break;
    case TCP_THIN_LINEAR_TIMEOUTS: r = ranged(v, 0, 1, &flag), o->thin_lto = r ? o->thin_lto : flag; break;
    case TCP_THIN_DUPACK: r = ranged(v, 0, 1, &flag); break;
    case TCP_SAVE_SYN: r = ranged(v, 0, 2, &flag), o->save_syn = r ? o->save_syn : (uint8_t)flag; break;
    case TCP_FASTOPEN:
        if (v < 0 || f->pipe)
            return -LINUX_EINVAL;
        o->fastopen_qlen = v < net_sysctl(f->sock)->somaxconn ? v : net_sysctl(f->sock)->somaxconn;
        break;
    case TCP_FASTOPEN_CONNECT:
    case TCP_FASTOPEN_NO_COOKIE:
        if (v < 0 || v > 1 || (name == TCP_FASTOPEN_CONNECT && !closed))
            return -LINUX_EINVAL;
        if (name == TCP_FASTOPEN_CONNECT)
            o->fastopen_connect = v;
        else
            o->no_cookie = v;
        break;
    default: return -LINUX_ENOPROTOOPT;
    }
    return r;
}
