/*
 * personalities/linux/packetfanout.c - PACKET_FANOUT's groups of packet
 * sockets, as Linux 6.1's fanout_add: a group of an id in a network
 * namespace, of one mode and flags, whose members (up to
 * max_num_members, 256 by default, PACKET_FANOUT_MAX at most) are bound
 * to one protocol and device; each frame the group takes goes to one of
 * them: PACKET_FANOUT_HASH (a symmetric hash of the flow's addresses,
 * ports and protocol), LB (round robin), CPU (the CPU's: this server's
 * one), ROLLOVER (the first with room), RND, QM (the receive queue's:
 * lo's one), CBPF and EBPF (PACKET_FANOUT_DATA's program's answer, run
 * from the network header);
 * FLAG_ROLLOVER moves a frame to a member with room when the chosen one
 * has none, FLAG_UNIQUEID takes an unused id, FLAG_DEFRAG is kept (lo
 * carries no fragments here).  Joining: EINVAL for an unknown mode,
 * ROLLOVER with FLAG_ROLLOVER, an id with UNIQUEID, other flags or size
 * than the group's, another mode, protocol or device, or a socket not
 * running (protocol 0); EALREADY once in a group; ENOSPC when full.
 * getsockopt's PACKET_FANOUT (id | mode << 16 | flags << 24) and
 * PACKET_ROLLOVER_STATS.
 *
 * What differs: the hash is not Linux's (its seed is random per boot
 * there: only "one flow, one member" holds on both); a member's room is
 * its receive buffer's or its ring's, without Linux's huge-flow history.
 *
 * Entry points: packet.h's packet_fanout_*.  Callers: packet.c.  Layer:
 * a file type, over packet.c.  Book: docs/linux.md, "Networking".
 */
#include "packet.h"
#include "bpf.h"
#include "netns.h"
#include <stdlib.h>
#include <string.h>

#define FANOUT_MAX 65536u /* PACKET_FANOUT_MAX */
#define DEFAULT_MEMBERS 256u

struct fanout {
    uint16_t id;
    uint8_t type, flags;
    uint32_t max, num, rr;
    uint16_t proto;       /* its members' protocol and device */
    int ifindex;
    struct sock *net;     /* its first member's sock: the namespace */
    struct inet_sock **arr;
    int refs;             /* members (sk_ref) */
    struct sock prog;     /* PACKET_FANOUT_DATA's program, as a socket filter's */
    struct fanout *next;
};

struct rollover {
    uint64_t num, huge, failed;
    uint32_t sock;
};

static struct fanout *groups;
static uint16_t next_id;

static struct fanout *find(const struct inet_sock *s, uint16_t id)
{
    for (struct fanout *g = groups; g; g = g->next)
        if (g->id == id && netns_same(g->net, s->sock))
            return g;
    return NULL;
}

static void unlist(struct fanout *g)
{
    for (struct fanout **pg = &groups; *pg; pg = &(*pg)->next)
        if (*pg == g) {
            *pg = g->next;
            break;
        }
    bpf_sock_release(&g->prog);
    free(g->arr);
    free(g);
}

int64_t packet_fanout_set(struct sys_ctx *c, struct inet_sock *s, int name, uint64_t uval, int len)
{
    struct packet_sock *ps = pk(s);
    struct fanout *g = ps->fanout;
    if (name == PACKET_FANOUT_DATA) { /* a CBPF or EBPF group's program */
        if (!g)
            return -LINUX_EINVAL;
        if (g->type == PACKET_FANOUT_CBPF)
            return bpf_sock_attach_classic(c->p, &g->prog, uval, len);
        if (g->type != PACKET_FANOUT_EBPF)
            return -LINUX_EINVAL;
        int32_t fd;
        if (len != (int)sizeof fd)
            return -LINUX_EINVAL;
        if (mem_in(c->p, &fd, uval, sizeof fd) < 0)
            return -LINUX_EFAULT;
        return bpf_sock_attach(c->p, &g->prog, fd);
    }
    struct {
        uint16_t id, type_flags;
        uint32_t max;
    } a = {0};
    if (len != 4 && len != 8)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &a, uval, (uint64_t)len) < 0)
        return -LINUX_EFAULT;
    uint8_t type = (uint8_t)a.type_flags, flags = (uint8_t)(a.type_flags >> 8);
    if (type > PACKET_FANOUT_EBPF || (type == PACKET_FANOUT_ROLLOVER && (a.type_flags & PACKET_FANOUT_FLAG_ROLLOVER)))
        return -LINUX_EINVAL;
    if (g)
        return -LINUX_EALREADY;
    if (a.type_flags & PACKET_FANOUT_FLAG_UNIQUEID) {
        if (a.id)
            return -LINUX_EINVAL;
        uint16_t id = next_id;
        while (find(s, id) && (uint16_t)(id + 1) != next_id)
            id++;
        if (find(s, id))
            return -LINUX_ENOMEM;
        a.id = id, next_id = (uint16_t)(id + 1);
        flags &= (uint8_t)~(PACKET_FANOUT_FLAG_UNIQUEID >> 8); /* the first member's only */
    }
    g = find(s, a.id);
    if (g && (g->flags != flags || (a.max && a.max != g->max)))
        return -LINUX_EINVAL;
    if (!g) {
        if (a.max > FANOUT_MAX)
            return -LINUX_EINVAL;
        if (!(g = calloc(1, sizeof *g)) || !(g->arr = calloc(a.max ? a.max : DEFAULT_MEMBERS, sizeof *g->arr))) {
            free(g);
            return -LINUX_ENOMEM;
        }
        *g = (struct fanout){.id = a.id, .type = type, .flags = flags, .max = a.max ? a.max : DEFAULT_MEMBERS,
                             .proto = ps->num, .ifindex = ps->ifindex, .net = s->sock, .arr = g->arr, .next = groups};
        groups = g;
    }
    int64_t r = -LINUX_EINVAL;
    bool rolls = type == PACKET_FANOUT_ROLLOVER || (a.type_flags & PACKET_FANOUT_FLAG_ROLLOVER);
    struct rollover *ro = rolls ? calloc(1, sizeof *ro) : NULL;
    if (rolls && !ro)
        r = -LINUX_ENOMEM;
    else if (ps->num && g->type == type && g->proto == ps->num && g->ifindex == ps->ifindex)
        r = g->num < g->max ? 0 : -LINUX_ENOSPC; /* running, and the group's kind */
    if (!r) {
        g->arr[g->num++] = s, g->refs++;
        ps->fanout = g, ps->rollover = ro;
    } else {
        free(ro);
        if (!g->refs)
            unlist(g);
    }
    return r;
}

int64_t packet_fanout_get(struct inet_sock *s, int name, int32_t *v, uint32_t *size)
{
    struct packet_sock *ps = pk(s);
    struct fanout *g = ps->fanout;
    if (name == PACKET_FANOUT) {
        v[0] = g ? (int32_t)((uint32_t)g->id | (uint32_t)g->type << 16 | (uint32_t)g->flags << 24) : 0;
        return 0;
    }
    if (!ps->rollover)
        return -LINUX_EINVAL;
    uint64_t st[3] = {ps->rollover->num, ps->rollover->huge, ps->rollover->failed};
    memcpy(v, st, sizeof st), *size = sizeof st;
    return 0;
}

void packet_fanout_leave(struct inet_sock *s)
{
    struct packet_sock *ps = pk(s);
    struct fanout *g = ps->fanout;
    free(ps->rollover);
    ps->rollover = NULL, ps->fanout = NULL;
    if (!g)
        return;
    for (uint32_t i = 0; i < g->num; i++)
        if (g->arr[i] == s) {
            g->arr[i] = g->arr[--g->num];
            break;
        }
    if (!--g->refs)
        unlist(g);
    else if (g->net == s->sock)
        g->net = g->arr[0]->sock;
}

/* ---- demux ---- */

/* packet_rcv_has_room: ROOM_NORMAL (2) past a quarter free, ROOM_LOW (1), ROOM_NONE (0). */
static int room(struct inet_sock *s, uint64_t len)
{
    if (pk(s)->ring[0])
        return packet_ring_room(s);
    int64_t rcv = s->sock->rcvbuf, avail = rcv - (int64_t)s->queued - (int64_t)(len + 768);
    return avail > rcv / 4 ? 2 : avail > 0 ? 1 : 0;
}

/* fanout_demux_rollover */
static uint32_t rollover(struct fanout *g, uint32_t idx, bool try_self, uint64_t len)
{
    struct packet_sock *po = pk(g->arr[idx]);
    struct inet_sock *skip = NULL;
    int r = 0;
    if (try_self) {
        if ((r = room(g->arr[idx], len)) == 2)
            return idx;
        skip = g->arr[idx];
    }
    uint32_t i = po->rollover->sock < g->num - 1 ? po->rollover->sock : g->num - 1, j = i;
    do {
        if (g->arr[i] != skip && room(g->arr[i], len) == 2) {
            if (i != j)
                po->rollover->sock = i;
            po->rollover->num++;
            po->rollover->huge += r == 1;
            return i;
        }
        if (++i == g->num)
            i = 0;
    } while (i != j);
    po->rollover->failed++;
    return idx;
}

/* __skb_get_hash_symmetric's idea: the same for both directions of a flow. */
static uint32_t flow_hash(const uint8_t *ip, uint64_t n, uint16_t ethertype)
{
    uint32_t a = 0, b = 0, ports = 0, proto = 0;
    if (ethertype == ETH_P_IP && n >= 20) {
        memcpy(&a, ip + 12, 4), memcpy(&b, ip + 16, 4), proto = ip[9];
        if ((proto == IPPROTO_TCP || proto == IPPROTO_UDP) && n >= (uint64_t)(ip[0] & 15) * 4 + 4)
            memcpy(&ports, ip + (ip[0] & 15) * 4, 4);
    } else if (ethertype == ETH_P_IPV6 && n >= 40) {
        for (int i = 0; i < 16; i += 4) {
            uint32_t x, y;
            memcpy(&x, ip + 8 + i, 4), memcpy(&y, ip + 24 + i, 4);
            a = a * 31 + x, b = b * 31 + y;
        }
        proto = ip[6];
        if ((proto == IPPROTO_TCP || proto == IPPROTO_UDP) && n >= 44)
            memcpy(&ports, ip + 40, 4);
    }
    uint32_t lo = a < b ? a : b, hi = a < b ? b : a, p1 = ports & 0xffff, p2 = ports >> 16;
    uint32_t h = lo * 0x9e3779b1u ^ hi * 0x85ebca77u ^ (p1 < p2 ? p1 << 16 | p2 : p2 << 16 | p1) * 0xc2b2ae3du ^ proto;
    h ^= h >> 15, h *= 0x2c1b3c6du, h ^= h >> 12;
    return h;
}

struct inet_sock *packet_fanout_pick(struct inet_sock *s, const uint8_t *ip, uint64_t n, uint16_t ethertype,
                                     const struct inet_sock *from)
{
    struct fanout *g = pk(s)->fanout;
    if (!g)
        return s;
    if (g->arr[0] != s || !g->num)
        return NULL; /* the group takes a frame once, through its first member */
    for (uint32_t i = 0; from && i < g->num; i++)
        if (g->arr[i] == from)
            return NULL; /* match_fanout_group: not its own members' frames going out */
    uint32_t idx = 0, num = g->num;
    switch (g->type) {
    case PACKET_FANOUT_LB: idx = ++g->rr % num; break;
    case PACKET_FANOUT_CPU: idx = 0; break; /* this server runs on one CPU */
    case PACKET_FANOUT_RND: idx = (uint32_t)random() % num; break;
    case PACKET_FANOUT_QM: idx = 0; break; /* lo has one queue */
    case PACKET_FANOUT_ROLLOVER: idx = rollover(g, 0, false, 14 + n); break;
    case PACKET_FANOUT_CBPF:
    case PACKET_FANOUT_EBPF:
        if (g->prog.filter) { /* over the frame from its network header, as skb->data is at lo's receive */
            struct bpf_packet pkt = {.data = ip};
            pkt.skb.len = (uint32_t)n, pkt.skb.protocol = __builtin_bswap16(ethertype);
            idx = (g->prog.filter->classic ? cbpf_run(g->prog.filter->classic, &pkt)
                                           : (uint32_t)bpf_prog_run(g->prog.filter, &pkt)) % num;
        }
        break;
    default: idx = (uint32_t)(((uint64_t)flow_hash(ip, n, ethertype) * num) >> 32); break; /* reciprocal_scale */
    }
    if (g->flags & (PACKET_FANOUT_FLAG_ROLLOVER >> 8))
        idx = rollover(g, idx, true, 14 + n);
    return g->arr[idx];
}
