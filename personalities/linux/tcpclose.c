/*
 * personalities/linux/tcpclose.c - the end of a TCP connection, as Linux
 * 6.1's close state machine leaves it (tcpclose.h).  Over the loopback a
 * FIN is ACKed at once, so FIN_WAIT1, CLOSING and LAST_ACK pass at once;
 * what stays is the end that closed first: an orphan in FIN_WAIT2 until
 * the peer's FIN (then TIME_WAIT) or its timeout (its namespace's tcp_fin_timeout, 60 s,
 * or TCP_LINGER2's, at least 3.5 times the RTO, as tcp_fin_time), or
 * until data reaches it (its reset ends it); and TIME_WAIT's 60 s
 * (TCP_TIMEWAIT_LEN) once both FINs went, whether its socket is still
 * open (whose own state is then CLOSE) or not.  A reset (SO_LINGER of no
 * time, a close with data unread) leaves nothing.  While an entry lives
 * it holds its port: a bind of it is EADDRINUSE unless both it and the
 * binder had SO_REUSEADDR (or both SO_REUSEPORT), as inet_csk_bind_conflict.
 * Past its namespace's tcp_max_tw_buckets entries (by default half the
 * established hash's buckets, which Linux sizes from the memory) an end
 * that would stay closes at once, as inet_twsk_alloc's "time wait bucket
 * table overflow".
 *
 * Entry points: tcpclose.h.  Layer: a file type, over inet.c.  Book:
 * docs/linux.md, "Networking".
 */
#include "tcpclose.h"
#include "netns.h"
#include "pipe.h"
#include "proc.h"
#include "mm.h"
#include "netsysctl.h"
#include "sysctl.h"
#include "signal.h"
#include "time.h"
#include <stdlib.h>
#include <string.h>

#define TCP_TIMEWAIT_LEN 60000000000ull   /* ns */
#define TCP_RTO_LOOPBACK 204000000ull     /* ns: a loopback connection's RTO (TCP_INFO's) */
#define TCP_DELACK_MIN 40000000ull        /* ns: TCP_ATO_MIN, the peer's delayed ACK of a FIN */

static struct tcp_tw *tws;
static uint64_t tw_count;

int tcp_tw_default(void)
{
    uint64_t want = mm_total_pages() >> (17 - 12), cnt = 1;
    while (cnt < want)
        cnt <<= 1;
    return (int)(cnt / 2);
}

/* Whether s's namespace takes one more timewait socket. */
static bool tw_room(const struct inet_sock *s)
{
    sysctl_sized(); /* the initial namespace's limit */
    int cap = net_sysctl(s->sock)->max_tw_buckets;
    if (cap <= 0)
        return false;
    if (tw_count < (uint64_t)cap)
        return true;
    tcp_tw_list(); /* the expired ones go first */
    uint64_t n = 0;
    const struct netns *net = netns_of(s->sock->net);
    for (const struct tcp_tw *t = tws; t; t = t->next)
        n += netns_of(t->k.net) == net;
    return n < (uint64_t)cap;
}

static void tw_free(struct tcp_tw *t)
{
    for (struct tcp_tw **pt = &tws; *pt; pt = &(*pt)->next)
        if (*pt == t) {
            *pt = t->next;
            break;
        }
    if (t->flow)
        for (int j = 0; j < 2; j++)
            if (t->flow->tw[j] == t)
                t->flow->tw[j] = NULL;
    netns_sock_put(&t->k);
    free(t);
    tw_count--;
}

/* An entry for s's end of the connection, in state for ns from now. */
static struct tcp_tw *tw_new(const struct inet_sock *s, int state, uint64_t ns)
{
    struct tcp_tw *t = tw_room(s) ? calloc(1, sizeof *t) : NULL;
    if (!t)
        return NULL; /* overflow, or no memory: the port is free the sooner, nothing else */
    tw_count++;
    t->family = s->family, t->v6only = s->v6only;
    t->local = s->local, t->remote = s->remote;
    t->k.reuseaddr = s->sock->reuseaddr, t->k.reuseport = s->sock->reuseport;
    netns_sock_hold(&t->k, s->sock->net);
    t->state = state;
    t->expires = clock_now() + ns;
    t->next = tws;
    tws = t;
    return t;
}

void tcp_closed(struct tcp_flow *f, int i, bool rst)
{
    int j = !i;
    struct tcp_tw *t = f->tw[j];
    if (rst) { /* an orphan that gets a reset is gone, as tcp_timewait_state_process's */
        if (t)
            tw_free(t);
        return;
    }
    if (!f->fin[j])
        return; /* this side's FIN went first: FIN_WAIT2 (tcp_state), an orphan if it closes now */
    /* the peer's FIN went first: it gets this one and goes to TIME_WAIT */
    if (t) {
        t->state = TCP_TIME_WAIT, t->expires = clock_now() + TCP_TIMEWAIT_LEN;
        t->flow = NULL, f->tw[j] = NULL;
    } else if (f->end[j]) {
        tw_new(f->end[j], TCP_TIME_WAIT, TCP_TIMEWAIT_LEN);
    }
}

void tcp_orphan(struct tcp_flow *f, int i)
{
    struct inet_sock *s = f->end[i];
    if (!s || !f->fin[i] || f->fin[!i] || f->reset || !f->end[!i])
        return;
    /* tcp_fin_time: TCP_LINGER2's time, else tcp_fin_timeout, at least 3.5 RTOs */
    int fin = net_sysctl(s->sock)->fin_timeout;
    uint64_t tmo = (uint64_t)(s->tcp.linger2 > 0 ? s->tcp.linger2 : fin > 0 ? fin : 0) * 1000000000ull;
    if (tmo < TCP_RTO_LOOPBACK * 7 / 2)
        tmo = TCP_RTO_LOOPBACK * 7 / 2;
    struct tcp_tw *t = tw_new(s, TCP_FIN_WAIT2, tmo);
    if (t)
        t->flow = f, f->tw[i] = t;
}

void tcp_flow_gone(struct tcp_flow *f)
{
    for (int j = 0; j < 2; j++)
        if (f->tw[j])
            f->tw[j]->flow = NULL, f->tw[j] = NULL;
}

int64_t tcp_write_gone(struct sys_ctx *c, struct file *f, int how, uint64_t total)
{
    struct inet_sock *s = f->sock->inet;
    if (s->rst)
        return SOCKET_MAY; /* its EPIPE is the pipe's */
    if (pipe_was_reset(f->pipe)) { /* the peer closed with data unread: its reset came */
        s->rst = true;
        int64_t e = pipe_take_reset(f->pipe); /* ECONNRESET if nothing said it yet, as sk_err */
        if (e)
            return e;
        if (!(how & MOVE_NOSIGNAL))
            signal_send_thread(c->p, SIGPIPE, NULL);
        return -LINUX_EPIPE;
    }
    if (pipe_ends(f->peer, false))
        return SOCKET_MAY;
    /* the peer is gone, but the first write goes out, and the peer's reset
     * comes back: a pending EPIPE, and EPIPE for every write after */
    s->rst = true, s->err = LINUX_EPIPE;
    tcp_peer_reset(s);
    poll_recheck();
    return (int64_t)total;
}

void tcp_peer_reset(struct inet_sock *s)
{
    struct tcp_flow *f = s->flow;
    if (!f)
        return;
    struct tcp_tw *t = f->tw[f->end[0] == s];
    if (t) { /* data after its half-duplex close: the orphan resets, and goes */
        f->reset = true;
        tw_free(t);
    }
}

/* A FIN makes its receiver quick to delay ACKs (tcp_fin's pingpong mode):
 * its ACK comes after TCP_ATO_MIN, unless its own FIN carries it first. */
bool tcp_fin_unacked(const struct inet_sock *s)
{
    const struct tcp_flow *f = s->flow;
    if (!f)
        return false;
    int i = f->end[1] == s;
    return f->fin[i] && !f->fin[!i] && !f->reset && clock_now() < f->fin_at[i] + TCP_DELACK_MIN;
}

const struct tcp_tw *tcp_tw_list(void)
{
    uint64_t now = clock_now();
    for (struct tcp_tw *t = tws, *n; t; t = n) {
        n = t->next;
        if (t->expires <= now)
            tw_free(t);
    }
    return tws;
}
