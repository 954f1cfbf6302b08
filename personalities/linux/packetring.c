/*
 * personalities/linux/packetring.c - the mapped rings of AF_PACKET
 * sockets, as Linux 6.1's af_packet.c builds them: PACKET_RX_RING and
 * PACKET_TX_RING (packet_set_ring's checks and their order), mmap of the
 * socket (packet_mmap: both rings, the receive ring's first, from offset
 * 0 and of their exact size), the receive ring's frames (tpacket_rcv:
 * TPACKET_V1 and V2 frames of tp_status TP_STATUS_USER, the header, the
 * sockaddr_ll after it, the frame at tp_mac; TPACKET_V3's blocks, filled
 * packet after packet and retired to the user when full or when their
 * timer fires, the queue frozen while the next block is still the
 * user's), poll's POLLIN (packet_poll: the frame or block before the
 * current one is the user's), and the transmit ring's send (tpacket_snd:
 * each TP_STATUS_SEND_REQUEST frame goes out to lo and is
 * TP_STATUS_AVAILABLE again, or TP_STATUS_WRONG_FORMAT stops the send,
 * or PACKET_LOSS passes it over).  See packet.h for the design.
 *
 * What differs: timestamps are the clock's when the frame is written
 * (never TP_STATUS_TS_SOFTWARE: lo's packets carry no stamp here);
 * TP_FT_REQ_FILL_RXHASH leaves tp_rxhash 0 (no flow hash is kept); a
 * frame too big for its slot is cut, never copied to the socket's queue
 * (PACKET_COPY_THRESH is kept, not acted on).
 *
 * Entry points: packet.h's pring_*.  Callers: packet.c, udp.c,
 * deadline.c.  Layer: a file type's memory, over fs.c's pages.  Book:
 * docs/linux.md, "Networking".
 */
#include "packet.h"
#include "netns.h"
#include "proc.h"
#include "time.h"
#include <stdlib.h>
#include <string.h>

#define PAGE 4096ull
#define ALIGN16(x) (((x) + 15u) & ~15u)
#define ALIGN8(x) (((x) + 7u) & ~7u)
#define BLK_HDR_LEN 48u /* struct tpacket_block_desc, 8-aligned */
#define LO_INDEX 1
#define ARPHRD_LOOPBACK 772

/* The internal tmpfs whose unnamed inodes hold the rings. */
static struct fs ringfs = {.type = "tmpfs", .dev = DEV_ANONFS, .magic = TMPFS_MAGIC, .iops = &tmpfs_iops};
static struct inode *leftover[64]; /* a closed or replaced socket's pages a mapping still shows */
static int nleftover, v3_live;

/* sizeof struct tpacket_hdr, tpacket2_hdr, tpacket3_hdr; the hdrlen with sockaddr_ll after it. */
static uint32_t hdr_size(int version) { return version == TPACKET_V3 ? 48 : 32; }
static uint32_t tp_hdrlen(int version) { return ALIGN16(hdr_size(version)) + 20; }
static uint32_t blk_plus_priv(uint32_t priv) { return BLK_HDR_LEN + ALIGN8(priv); }
static uint64_t ring_bytes(const struct pring *r) { return r ? (uint64_t)r->block_size * r->block_nr : 0; }

/* ---- the pages ---- */

static bool mapped(const struct inode *ino)
{
    for (struct proc *p = proc_list(); ino && p; p = p->next)
        for (const struct vma *v = p->zombie ? NULL : p->mm->vmas; v; v = v->next)
            if (v->file == ino)
                return true;
    return false;
}

static void drop_pages(struct inode *ino)
{
    ino->refs = 0;
    fs_release(ino);
}

/* The pages of closed sockets go once nothing maps them. */
static void sweep(void)
{
    for (int i = 0; i < nleftover;)
        if (mapped(leftover[i]))
            i++;
        else
            drop_pages(leftover[i]), leftover[i] = leftover[--nleftover];
}

static void let_go(struct inode *ino)
{
    if (!ino)
        return;
    if (mapped(ino) && nleftover < (int)(sizeof leftover / sizeof *leftover))
        leftover[nleftover++] = ino; /* the mapping keeps them, as the pages Linux's vma holds */
    else
        drop_pages(ino);
}

static void copy(struct packet_sock *ps, uint64_t off, void *buf, uint64_t n, bool write)
{
    while (n) {
        char *page = fs_whole_page(ps->mem, off / PAGE, true);
        uint64_t in = off % PAGE, k = PAGE - in < n ? PAGE - in : n;
        if (page && write)
            memcpy(page + in, buf, k);
        else if (!write)
            page ? memcpy(buf, page + in, k) : memset(buf, 0, k);
        buf = (char *)buf + k, off += k, n -= k;
    }
}

static uint32_t get32(struct packet_sock *ps, uint64_t off)
{
    uint32_t v;
    copy(ps, off, &v, 4, false);
    return v;
}

static void put32(struct packet_sock *ps, uint64_t off, uint32_t v) { copy(ps, off, &v, 4, true); }

static uint64_t frame_at(const struct pring *r, uint32_t i)
{
    uint32_t per = r->block_size / r->frame_size;
    return r->base + (uint64_t)(i / per) * r->block_size + (uint64_t)(i % per) * r->frame_size;
}

/* A frame's tp_status (V1's is an unsigned long; V3's after four words). */
static uint64_t status_off(int version) { return version == TPACKET_V3 ? 20 : 0; }
static uint32_t frame_status(struct packet_sock *ps, const struct pring *r, uint32_t i)
{
    return get32(ps, frame_at(r, i) + status_off(ps->version));
}
static void set_status(struct packet_sock *ps, uint64_t frame, uint32_t v)
{
    put32(ps, frame + status_off(ps->version), v);
    if (ps->version == TPACKET_V1)
        put32(ps, frame + 4, 0);
}

/* ---- setsockopt ---- */

/* The pages for both rings, the receive ring's first (the other's moved
 * after it, fresh: nothing of a ring is kept but while it is there). */
static int relayout(struct packet_sock *ps, bool tx)
{
    struct inode *old = ps->mem;
    uint64_t total = ring_bytes(ps->ring[0]) + ring_bytes(ps->ring[1]);
    ps->mem = NULL;
    if (total && !(ps->mem = fs_new_unnamed(&ringfs, S_IFREG | 0600))) {
        ps->mem = old;
        return -LINUX_ENOMEM;
    }
    if (ps->mem)
        ps->mem->size = total;
    if (ps->ring[1])
        ps->ring[1]->base = ring_bytes(ps->ring[0]);
    if (old && ps->mem && ps->ring[0] && tx) { /* the receive ring's frames stay as they are */
        for (uint64_t off = 0; off < ring_bytes(ps->ring[0]); off += PAGE) {
            const char *from = fs_whole_page(old, off / PAGE, false);
            if (from)
                copy(ps, off, (void *)from, PAGE, true);
        }
    }
    let_go(old);
    return 0;
}

static void v3_open(struct packet_sock *ps, struct pring *r);

int64_t pring_set(struct sys_ctx *c, struct inet_sock *s, bool tx, uint64_t uval, int len)
{
    struct packet_sock *ps = pk(s);
    uint32_t q[7] = {0}; /* tpacket_req: block_size, block_nr, frame_size, frame_nr; req3 adds three */
    int need = ps->version == TPACKET_V3 ? 28 : 16;
    if (len < need)
        return -LINUX_EINVAL;
    if (mem_in(c->p, q, uval, (uint64_t)need) < 0)
        return -LINUX_EFAULT;
    sweep();
    if (mapped(ps->mem))
        return -LINUX_EBUSY; /* po->mapped */
    struct pring *r = ps->ring[tx];
    if (!q[1]) { /* no blocks: the ring goes, if no frames are asked */
        if (q[3])
            return -LINUX_EINVAL;
    } else {
        if (r)
            return -LINUX_EBUSY;
        uint64_t min = tp_hdrlen(ps->version) + (uint32_t)ps->reserve;
        if ((int32_t)q[0] <= 0 || (q[0] & (PAGE - 1)))
            return -LINUX_EINVAL;
        if (ps->version == TPACKET_V3 && q[0] < blk_plus_priv(q[5]) + min)
            return -LINUX_EINVAL; /* the block's header and its private part first */
        if (q[2] < min || (q[2] & (TPACKET_ALIGNMENT - 1)))
            return -LINUX_EINVAL;
        uint32_t per = q[0] / q[2];
        if (!per || per > UINT32_MAX / q[1] || per * q[1] != q[3])
            return -LINUX_EINVAL;
        if ((uint64_t)q[0] * q[1] > (1ull << 32))
            return -LINUX_ENOMEM; /* alloc_pg_vec fails */
        if (ps->version == TPACKET_V3 && tx && (q[4] || q[5] || q[6]))
            return -LINUX_EINVAL; /* no block transmit: none of its receive settings */
    }
    struct pring *n = NULL;
    if (q[1] && !(n = calloc(1, sizeof *n)))
        return -LINUX_ENOMEM;
    if (n)
        *n = (struct pring){.block_size = q[0], .block_nr = q[1], .frame_size = q[2], .frame_nr = q[3],
                            .tov_ms = q[4] ? q[4] : 8, .priv = q[5], .seq = 1};
    ps->ring[tx] = n;
    int e = relayout(ps, tx);
    if (e < 0) {
        ps->ring[tx] = r;
        free(n);
        return e;
    }
    if (r && !tx && ps->version == TPACKET_V3)
        v3_live--;
    free(r);
    if (!tx) {
        if (!s->held)
            udp_free_queue(s); /* skb_queue_purge: the frames queued before go */
        if (n && ps->version == TPACKET_V3) {
            ps->freeze = 0, v3_live++;
            v3_open(ps, n);
        }
    }
    return 0;
}

/* ---- receiving: TPACKET_V3's blocks ---- */

/* A block's header fields (struct tpacket_block_desc). */
enum { BD_VERSION = 0, BD_PRIV = 4, BD_STATUS = 8, BD_NUM = 12, BD_FIRST = 16, BD_LEN = 20, BD_SEQ = 24,
       BD_TS_FIRST = 32, BD_TS_LAST = 40 };

static uint64_t block_at(const struct pring *r, uint32_t b) { return r->base + (uint64_t)b * r->block_size; }

static void put_ts(struct packet_sock *ps, uint64_t off, int64_t ns)
{
    put32(ps, off, (uint32_t)(ns / 1000000000)), put32(ps, off + 4, (uint32_t)(ns % 1000000000));
}

/* prb_open_block: the active block, empty, its sequence number next. */
static void v3_open(struct packet_sock *ps, struct pring *r)
{
    uint64_t b = block_at(r, r->head);
    uint32_t first = blk_plus_priv(r->priv);
    uint64_t seq = r->seq++;
    copy(ps, b + BD_SEQ, &seq, 8, true);
    put32(ps, b + BD_NUM, 0), put32(ps, b + BD_LEN, first);
    put_ts(ps, b + BD_TS_FIRST, realtime_ns());
    put32(ps, b + BD_FIRST, first), put32(ps, b + BD_PRIV, BLK_HDR_LEN), put32(ps, b + BD_VERSION, TPACKET_V3);
    r->nxt = r->prev = first, r->npkts = 0, r->blen = first, r->frozen = false;
    r->retire_at = clock_now() + (uint64_t)r->tov_ms * 1000000;
}

/* prb_close_block: the active block to the user; the next one active. */
static void v3_close(struct packet_sock *ps, struct pring *r, uint32_t why)
{
    uint64_t b = block_at(r, r->head);
    put32(ps, b + r->prev, 0); /* the last packet's tp_next_offset */
    if (r->npkts) {
        put32(ps, b + BD_TS_LAST, get32(ps, b + r->prev + 4));
        put32(ps, b + BD_TS_LAST + 4, get32(ps, b + r->prev + 8));
    } else {
        put_ts(ps, b + BD_TS_LAST, realtime_ns());
    }
    put32(ps, b + BD_STATUS, TP_STATUS_USER | why | (ps->drops ? TP_STATUS_LOSING : 0));
    r->head = (r->head + 1) % r->block_nr;
    poll_recheck();
}

/* prb_retire_current_block, then prb_dispatch_next_block: false if the
 * next block is still the user's (the queue freezes). */
static bool v3_next(struct packet_sock *ps, struct pring *r, uint32_t why)
{
    if (get32(ps, block_at(r, r->head) + BD_STATUS) == TP_STATUS_KERNEL)
        v3_close(ps, r, why);
    if (get32(ps, block_at(r, r->head) + BD_STATUS) & TP_STATUS_USER) {
        r->frozen = true;
        ps->freeze++;
        return false;
    }
    v3_open(ps, r);
    return true;
}

/* __packet_lookup_frame_in_block: where a packet of len bytes goes (0: dropped). */
static uint64_t v3_place(struct packet_sock *ps, struct pring *r, uint32_t len)
{
    if (r->frozen) {
        if (get32(ps, block_at(r, r->head) + BD_STATUS) & TP_STATUS_USER)
            return 0;
        v3_open(ps, r); /* the user gave the block back: it thaws */
    }
    if (r->nxt + ALIGN8(len) >= r->block_size && !v3_next(ps, r, 0))
        return 0;
    uint64_t b = block_at(r, r->head), at = b + r->nxt;
    put32(ps, at, ALIGN8(len)); /* tp_next_offset, until a later packet's */
    r->prev = r->nxt, r->nxt += ALIGN8(len), r->blen += ALIGN8(len), r->npkts++;
    put32(ps, b + BD_LEN, r->blen), put32(ps, b + BD_NUM, r->npkts);
    return at;
}

uint64_t pring_next(void)
{
    uint64_t next = 0;
    for (struct inet_sock *s = v3_live ? raw_list() : NULL; s; s = s->next_raw) {
        struct pring *r = s->kind == PACKET_SOCK && pk(s)->version == TPACKET_V3 ? pk(s)->ring[0] : NULL;
        if (r && (!next || r->retire_at < next))
            next = r->retire_at;
    }
    return next;
}

/* prb_retire_rx_blk_timer_expired: a block with packets goes to the user;
 * a frozen queue thaws once its block is back. */
void pring_fire(uint64_t now)
{
    for (struct inet_sock *s = v3_live ? raw_list() : NULL; s; s = s->next_raw) {
        struct pring *r = s->kind == PACKET_SOCK && pk(s)->version == TPACKET_V3 ? pk(s)->ring[0] : NULL;
        if (!r || r->retire_at > now)
            continue;
        struct packet_sock *ps = pk(s);
        r->retire_at = now + (uint64_t)r->tov_ms * 1000000;
        if (r->frozen) {
            if (!(get32(ps, block_at(r, r->head) + BD_STATUS) & TP_STATUS_USER))
                v3_open(ps, r);
        } else if (r->npkts) {
            v3_next(ps, r, TP_STATUS_BLK_TMO);
        }
    }
}

/* ---- receiving ---- */

bool pring_rx(struct inet_sock *s, const uint8_t *d, uint64_t snap, uint64_t full, uint16_t ethertype,
              uint8_t pkttype, bool partial)
{
    struct packet_sock *ps = pk(s);
    struct pring *r = ps->ring[0];
    bool raw = s->sock->type == SOCK_RAW;
    uint32_t hl = tp_hdrlen(ps->version), maclen = raw ? ETH_HLEN : 0;
    uint32_t netoff = raw ? ALIGN16(hl + (maclen < 16 ? 16 : maclen)) + (uint32_t)ps->reserve +
                                (ps->vnet_hdr ? 10 : 0)
                          : ALIGN16(hl) + 16 + (uint32_t)ps->reserve;
    uint32_t macoff = netoff - maclen;
    if (netoff > 0xffff)
        return false;
    uint64_t room = ps->version == TPACKET_V3 ? r->block_size - blk_plus_priv(r->priv) : r->frame_size;
    if (macoff + snap > room) { /* cut to what the slot holds */
        snap = room > macoff ? room - macoff : 0;
        if (ps->version == TPACKET_V3 && room < macoff)
            macoff = (uint32_t)room;
    }
    uint64_t at;
    uint32_t status = TP_STATUS_USER | (partial ? TP_STATUS_CSUMNOTREADY : 0);
    if (ps->version == TPACKET_V3) {
        if (!(at = v3_place(ps, r, macoff + (uint32_t)snap)))
            return false;
    } else {
        if (frame_status(ps, r, r->head) != TP_STATUS_KERNEL)
            return false; /* the ring is full */
        at = frame_at(r, r->head);
        r->head = (r->head + 1) % r->frame_nr;
        status |= ps->drops ? TP_STATUS_LOSING : 0;
    }
    if (ps->vnet_hdr && raw) { /* a virtio_net_hdr before the frame: no offloads (lo's are done) */
        uint8_t v[10] = {0};
        copy(ps, at + macoff - 10, v, 10, true);
    }
    copy(ps, at + macoff, (void *)d, snap, true);
    int64_t now = realtime_ns();
    uint32_t sec = (uint32_t)(now / 1000000000), nsec = (uint32_t)(now % 1000000000);
    uint8_t h[48] = {0};
    uint32_t w[12] = {0};
    uint16_t mn[2] = {(uint16_t)macoff, (uint16_t)netoff};
    if (ps->version == TPACKET_V3) { /* next_offset, sec, nsec, snaplen, len, status; mac, net; hv1; padding */
        w[0] = get32(ps, at), w[1] = sec, w[2] = nsec, w[3] = (uint32_t)snap, w[4] = (uint32_t)full;
        w[5] = status;
        memcpy(h, w, 24), memcpy(h + 24, mn, 4);
    } else if (ps->version == TPACKET_V2) { /* status, len, snaplen; mac, net; sec, nsec; vlan; padding */
        w[1] = (uint32_t)full, w[2] = (uint32_t)snap;
        memcpy(h, w, 12), memcpy(h + 12, mn, 4);
        memcpy(h + 16, &sec, 4), memcpy(h + 20, &nsec, 4);
    } else { /* status (a long), len, snaplen; mac, net; sec, usec */
        w[2] = (uint32_t)full, w[3] = (uint32_t)snap;
        uint32_t usec = nsec / 1000;
        memcpy(h, w, 16), memcpy(h + 16, mn, 4);
        memcpy(h + 20, &sec, 4), memcpy(h + 24, &usec, 4);
    }
    copy(ps, at, h, hdr_size(ps->version), true);
    uint8_t sll[20] = {0};
    uint16_t f[2] = {AF_PACKET, (uint16_t)__builtin_bswap16(ethertype)};
    int32_t ifi = LO_INDEX;
    uint16_t ha = ARPHRD_LOOPBACK;
    memcpy(sll, f, 4), memcpy(sll + 4, &ifi, 4), memcpy(sll + 8, &ha, 2);
    sll[10] = pkttype, sll[11] = 6; /* lo's Ethernet source address, all zero, its 6 bytes */
    copy(ps, at + ALIGN16(hdr_size(ps->version)), sll, 18, true);
    if (ps->version != TPACKET_V3)
        set_status(ps, at, status); /* last: the frame is the user's */
    poll_recheck();
    return true;
}

int packet_ring_room(const struct inet_sock *s)
{
    struct packet_sock *ps = pk(s);
    struct pring *r = ps->ring[0];
    bool v3 = ps->version == TPACKET_V3;
    uint32_t len = v3 ? r->block_nr : r->frame_nr, at = r->head + len / 4, st[2];
    for (int i = 0; i < 2; i++, at = r->head) {
        at = at >= len ? at - len : at;
        st[i] = v3 ? get32(ps, block_at(r, at) + BD_STATUS) : frame_status(ps, r, at);
    }
    return st[0] == TP_STATUS_KERNEL ? 2 : st[1] == TP_STATUS_KERNEL ? 1 : 0;
}

int pring_poll(const struct inet_sock *s)
{
    struct packet_sock *ps = pk(s);
    struct pring *r = ps->ring[0];
    if (!r)
        return 0;
    uint32_t st;
    if (ps->version == TPACKET_V3)
        st = get32(ps, block_at(r, r->head ? r->head - 1 : r->block_nr - 1) + BD_STATUS);
    else
        st = frame_status(ps, r, r->head ? r->head - 1 : r->frame_nr - 1);
    return st != TP_STATUS_KERNEL ? POLLIN | POLLRDNORM : 0;
}

int pring_map(struct file *f, uint64_t off, uint64_t len, struct inode **ino, uint64_t *at)
{
    struct inet_sock *s = f->sock->inet;
    if (s->kind != PACKET_SOCK)
        return -LINUX_ENODEV; /* sock_no_mmap: no other socket maps */
    struct packet_sock *ps = pk(s);
    uint64_t size = ring_bytes(ps->ring[0]) + ring_bytes(ps->ring[1]);
    if (off || !size || (len + PAGE - 1) / PAGE * PAGE != size)
        return -LINUX_EINVAL;
    *ino = ps->mem, *at = 0;
    return 0;
}

void pring_release(struct inet_sock *s)
{
    struct packet_sock *ps = pk(s);
    if (ps->ring[0] && ps->version == TPACKET_V3)
        v3_live--;
    free(ps->ring[0]), free(ps->ring[1]);
    ps->ring[0] = ps->ring[1] = NULL;
    let_go(ps->mem);
    ps->mem = NULL;
    sweep();
}

/* ---- sending ---- */

int64_t pring_send(struct sys_ctx *c, struct inet_sock *s, uint64_t uaddr, uint64_t addrlen)
{
    struct packet_sock *ps = pk(s);
    struct pring *r = ps->ring[1];
    int ifindex = ps->ifindex;
    uint16_t proto = ps->num;
    bool raw = s->sock->type == SOCK_RAW;
    if (uaddr) {
        uint8_t a[20];
        if ((int64_t)addrlen < 20)
            return -LINUX_EINVAL;
        if (mem_in(c->p, a, uaddr, sizeof a) < 0)
            return -LINUX_EFAULT;
        if (addrlen < 12u + a[11])
            return -LINUX_EINVAL;
        memcpy(&proto, a + 2, 2), memcpy(&ifindex, a + 4, 4);
        if (ifindex == LO_INDEX && !raw && addrlen < 12 + 6)
            return -LINUX_EINVAL;
    }
    if (ifindex != LO_INDEX)
        return -LINUX_ENXIO;
    if (!(netns_of(s->sock->net) ? netns_of(s->sock->net) : &netns_initial)->lo_flags & IFF_UP)
        return -LINUX_ENETDOWN;
    uint32_t off = tp_hdrlen(ps->version) - 20, reserve = raw ? ETH_HLEN : 0;
    int64_t size_max = (int64_t)r->frame_size - off, mtu = 65536, sum = 0;
    if (size_max > mtu + reserve + 4 && !ps->vnet_hdr)
        size_max = mtu + reserve + 4;
    uint8_t *buf = malloc((size_t)size_max > 0 ? (size_t)size_max : 1);
    if (!buf)
        return -LINUX_ENOMEM;
    for (uint32_t tries = 0; tries < r->frame_nr && frame_status(ps, r, r->head) == TP_STATUS_SEND_REQUEST; tries++) {
        uint64_t at = frame_at(r, r->head);
        uint32_t w[6];
        copy(ps, at, w, sizeof w, false);
        int64_t len = ps->version == TPACKET_V3 ? (w[0] ? -LINUX_EINVAL : (int32_t)w[4])
                                                : (int32_t)w[ps->version == TPACKET_V2 ? 1 : 2];
        uint32_t data = off;
        if (len >= 0 && len > size_max)
            len = -LINUX_EMSGSIZE;
        if (len >= 0 && ps->tx_has_off) { /* the frame's own tp_mac (SOCK_RAW) or tp_net */
            uint16_t mn[2];
            copy(ps, at + (ps->version == TPACKET_V3 ? 24 : ps->version == TPACKET_V2 ? 12 : 16), mn, 4, false);
            data = mn[raw ? 0 : 1];
            if (data < off || (int64_t)data > (int64_t)r->frame_size - len)
                len = -LINUX_EINVAL;
        }
        if (len >= 0 && raw && len < ETH_HLEN)
            len = -LINUX_EINVAL; /* dev_validate_header */
        if (len >= 0 && len > mtu + reserve)
            len = -LINUX_EMSGSIZE;
        if (len < 0) {
            if (!ps->loss) {
                set_status(ps, at, TP_STATUS_WRONG_FORMAT);
                free(buf);
                return len;
            }
            set_status(ps, at, TP_STATUS_AVAILABLE);
        } else {
            copy(ps, at + data, buf, (uint64_t)len, false);
            set_status(ps, at, TP_STATUS_SENDING);
            packet_xmit(s, buf, (uint64_t)len, proto);
            set_status(ps, at, TP_STATUS_AVAILABLE); /* lo took it: its destructor's status */
            sum += len;
        }
        r->head = (r->head + 1) % r->frame_nr;
    }
    free(buf);
    poll_recheck();
    return sum;
}
