/*
 * personalities/linux/tstamp.c - receive timestamps, as Linux 6.1's
 * sock_set_timestamp, sock_set_timestamping and __sock_recv_timestamp
 * keep and give them.  SO_TIMESTAMP (a struct timeval), SO_TIMESTAMPNS (a
 * timespec) and their _NEW twins (64-bit times; the same 16 bytes on
 * x86-64) ask for a control message with each datagram a recvmsg takes,
 * of that name; SO_TIMESTAMPING's SOF_TIMESTAMPING_SOFTWARE with
 * RX_SOFTWARE asks for SCM_TIMESTAMPING (three timespecs, the software
 * one first).  SIOCGSTAMP and SIOCGSTAMPNS say when the last datagram a
 * receive took came (ENOENT before any).  The time is the datagram's
 * arrival on CLOCK_REALTIME, which udp.c and unixmsg.c note as they
 * queue it.
 *
 * Entry points: tstamp_getsockopt, tstamp_setsockopt (sockopt.c),
 * tstamp_cmsgs (udp.c's and unixctl.c's recvmsg), tstamp_ioctl (netdev.c).  Layer: a file
 * type, over socket.c.  Book: docs/linux.md, "Networking".
 */
#include "tstamp.h"
#include "inet.h"
#include "proc.h"
#include "socket.h"

#define TS_RCV (1u << 0)     /* SOCK_RCVTSTAMP */
#define TS_RCVNS (1u << 1)   /* SOCK_RCVTSTAMPNS */
#define TS_NEW (1u << 2)     /* SOCK_TSTAMP_NEW */
#define TS_STAMPED (1u << 3) /* stamp holds a receive's time */

#define SOF_RX_SOFTWARE (1u << 3)
#define SOF_SOFTWARE (1u << 4)
#define SOF_OPT_TSONLY (1u << 11)
#define SOF_OPT_STATS (1u << 12)
#define SOF_BIND_PHC (1u << 15)
#define SOF_MASK 0xffffu      /* 6.1's: up to SOF_TIMESTAMPING_BIND_PHC */

#define SIOCGSTAMP_NEW 0x80108906u /* _IOR(0x89, 6, long long[2]) */
#define SIOCGSTAMPNS_NEW 0x80108907u

bool tstamp_option(int name)
{
    return name == SO_TIMESTAMP_OLD || name == SO_TIMESTAMPNS_OLD || name == SO_TIMESTAMPING_OLD ||
           name == SO_TIMESTAMP_NEW || name == SO_TIMESTAMPNS_NEW || name == SO_TIMESTAMPING_NEW;
}

int32_t tstamp_getsockopt(const struct sock *k, int name)
{
    uint32_t f = k->tsflags;
    switch (name) {
    case SO_TIMESTAMP_OLD: return (f & TS_RCV) && !(f & TS_NEW) && !(f & TS_RCVNS);
    case SO_TIMESTAMPNS_OLD: return (f & TS_RCVNS) && !(f & TS_NEW);
    case SO_TIMESTAMP_NEW: return (f & TS_RCV) && (f & TS_NEW);
    case SO_TIMESTAMPNS_NEW: return (f & TS_RCVNS) && (f & TS_NEW);
    default: return (int32_t)k->tsopts; /* SO_TIMESTAMPING: its flags */
    }
}

int64_t tstamp_setsockopt(struct sock *k, int name, int32_t v)
{
    bool is_new = name == SO_TIMESTAMP_NEW || name == SO_TIMESTAMPNS_NEW || name == SO_TIMESTAMPING_NEW;
    if (name == SO_TIMESTAMPING_OLD || name == SO_TIMESTAMPING_NEW) {
        uint32_t u = (uint32_t)v;
        if ((u & ~SOF_MASK) || ((u & SOF_OPT_STATS) && !(u & SOF_OPT_TSONLY)))
            return -LINUX_EINVAL;
        if (u & SOF_BIND_PHC)
            return -LINUX_EOPNOTSUPP; /* no clock of a device to bind: the socket is bound to none */
        k->tsopts = u;
        k->tsflags = is_new ? k->tsflags | TS_NEW : k->tsflags & ~TS_NEW;
        return 0;
    }
    bool ns = name == SO_TIMESTAMPNS_OLD || name == SO_TIMESTAMPNS_NEW;
    if (!v) {
        k->tsflags &= ~(TS_RCV | TS_RCVNS);
        return 0;
    }
    k->tsflags = (k->tsflags & ~(TS_NEW | TS_RCVNS)) | TS_RCV | (is_new ? TS_NEW : 0) | (ns ? TS_RCVNS : 0);
    return 0;
}

/* One control message of SOL_SOCKET at *used in the buffer of room
 * bytes, as Linux's put_cmsg: cut to what fits, with MSG_CTRUNC (none
 * at all without room for its header). */
static int64_t put(struct proc *p, uint64_t control, uint64_t room, uint64_t *used, int type, const void *data,
                   uint64_t len, int32_t *mflags)
{
    struct cmsghdr_k h = {sizeof h + len, SOL_SOCKET, type};
    uint64_t left = room - *used;
    if (left < sizeof h) {
        *mflags |= MSG_CTRUNC;
        return 0;
    }
    if (left < h.len)
        *mflags |= MSG_CTRUNC, h.len = left;
    if (mem_out(p, control + *used, &h, sizeof h) < 0 || mem_out(p, control + *used + sizeof h, data, h.len - sizeof h) < 0)
        return -LINUX_EFAULT;
    *used += CMSG_ALIGN(h.len) < left ? CMSG_ALIGN(h.len) : left;
    return 0;
}

int64_t tstamp_cmsgs(struct proc *p, struct sock *k, int64_t when, uint64_t control, uint64_t room,
                     int32_t *mflags)
{
    uint64_t used = 0;
    int64_t t[6] = {when / 1000000000, when % 1000000000, 0, 0, 0, 0};
    k->stamp = when, k->tsflags |= TS_STAMPED;
    if (k->tsflags & TS_RCV) {
        bool ns = k->tsflags & TS_RCVNS, is_new = k->tsflags & TS_NEW;
        int64_t tv[2] = {t[0], ns ? t[1] : t[1] / 1000};
        int type = ns ? (is_new ? SO_TIMESTAMPNS_NEW : SO_TIMESTAMPNS_OLD) : is_new ? SO_TIMESTAMP_NEW : SO_TIMESTAMP_OLD;
        if (put(p, control, room, &used, type, tv, sizeof tv, mflags) < 0)
            return -LINUX_EFAULT;
    }
    bool stamped = (k->tsopts & SOF_RX_SOFTWARE) || (k->tsflags & TS_RCV);
    if ((k->tsopts & SOF_SOFTWARE) && stamped &&
        put(p, control, room, &used, k->tsflags & TS_NEW ? SO_TIMESTAMPING_NEW : SO_TIMESTAMPING_OLD, t, sizeof t,
            mflags) < 0)
        return -LINUX_EFAULT;
    return (int64_t)used;
}

void tstamp_taken(struct sock *k, int64_t when)
{
    k->stamp = when, k->tsflags |= TS_STAMPED;
}

int64_t tstamp_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    bool old = req == SIOCGSTAMP_OLD || req == SIOCGSTAMPNS_OLD, ns = req == SIOCGSTAMPNS_OLD || req == SIOCGSTAMPNS_NEW;
    if (!old && req != SIOCGSTAMP_NEW && req != SIOCGSTAMPNS_NEW)
        return 1; /* not one of these */
    const struct sock *k = f->sock;
    if (!k || !k->inet)
        return 1; /* Linux's gettstamp is the internet families': the others' ENOTTY */
    if (!(k->tsflags & TS_STAMPED))
        return -LINUX_ENOENT;
    int64_t t[2] = {k->stamp / 1000000000, k->stamp % 1000000000};
    t[1] = ns ? t[1] : t[1] / 1000;
    return mem_out(c->p, arg, t, sizeof t) < 0 ? -LINUX_EFAULT : 0;
}
