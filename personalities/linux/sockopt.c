/*
 * personalities/linux/sockopt.c - getsockopt and setsockopt.  SOL_SOCKET's
 * options are every socket's (struct sock): the ones that describe it
 * (SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_ACCEPTCONN, and SO_PEERCRED: an AF_UNIX
 * peer's pid, euid and egid, which socket.c sets), SO_ERROR (read and
 * cleared), and the ones kept as set: SO_REUSEADDR and SO_REUSEPORT
 * (which inet.c's port table obeys), SO_KEEPALIVE (kept; the loopback
 * loses no peer) and SO_LINGER (a close sends all there is at once; on
 * with no time, a TCP close resets the connection, socket.c), SO_RCVBUF and
 * SO_SNDBUF (doubled, within Linux's bounds; a UDP queue keeps to its
 * receive buffer), SO_RCVTIMEO and SO_SNDTIMEO (deadlines of the reads,
 * writes, accepts and UDP receives that wait: socket.c and udp.c).
 * SO_OOBINLINE (streamoob.c), SO_PEEK_OFF (AF_UNIX's and UDP's: where
 * MSG_PEEK starts, streamoob.c, unixmsg.c, udp.c); SO_DEBUG,
 * SO_DONTROUTE, SO_BROADCAST, SO_NO_CHECK and SO_PRIORITY are kept and
 * change nothing; SO_SNDBUFFORCE and
 * SO_RCVBUFFORCE pass rmem_max; SO_PEERNAME is getpeername's name.
 * SO_ATTACH_BPF, SO_ATTACH_FILTER and SO_DETACH_FILTER hang a socket
 * filter on it and take it off (bpf.c).  SO_RCVLOWAT is what a stream's
 * blocking read waits for (pipe.c), the SO_TIMESTAMP* options tstamp.c's.
 * The IP and IPv6 levels are inet.c's, TCP's tcpopt.c's.
 *
 * Entry points: the calls.  Callers: the syscall table.  Layer: a file
 * type, over socket.c and inet.c.  Book: docs/linux.md, "Networking".
 */
#include "raw.h"
#include "socket.h"
#include "netlink.h"
#include "tstamp.h"
#include "uapi_bpf.h"
#include "netns.h"
#include "netsysctl.h"
#include "pidns.h"
#include "proc.h"
#include "userns.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/sockopt.h" /* generated: the handlers' prototypes, entries */

#define SOCK_MIN_RCVBUF 2304  /* include/net/sock.h on x86-64 */
#define SOCK_MIN_SNDBUF 4608

/* A new socket's state with its options' defaults (socket.h). */
struct sock *sock_new(void)
{
    struct sock *k = calloc(1, sizeof *k);
    if (k) /* net.core.rmem_default and wmem_default */
        k->ino = anon_ino(), k->rcvbuf = sysctl_rmem_default, k->sndbuf = sysctl_wmem_default, k->peercred[1] = k->peercred[2] = -1,
        k->uid = fs_cred->fsuid, k->gid = fs_cred->fsgid, netns_sock_hold(k, netns_here());
    return k;
}

void sock_set_cred(struct sock *k, struct proc *p)
{
    k->peercred[0] = proc_tgid(p), k->peercred[1] = (int32_t)p->cred.euid, k->peercred[2] = (int32_t)p->cred.egid;
}

static int64_t get_error(struct file *f)
{
    struct inet_sock *s = f->sock ? f->sock->inet : NULL;
    if (s && s->err) {
        int e = s->err;
        s->err = 0;
        return e;
    }
    return f->pipe ? -pipe_take_reset(f->pipe) : 0;
}

/* SO_PEERNAME: the peer's name as getpeername gives it, into *name; its
 * length, or -ENOTCONN. */
static int64_t peer_name(struct file *f, struct sockaddr_k *name)
{
    struct sock *k = f->sock;
    if (!socket_connected(f))
        return -LINUX_ENOTCONN;
    if (k && k->peerlen) {
        *name = k->peer;
        return k->peerlen;
    }
    memset(name, 0, sizeof *name); /* an unnamed AF_UNIX peer: the family alone */
    name->family = AF_UNIX;
    return SOCKADDR_UN_MIN;
}

/* As Linux: a level not the socket's fails first, then the length (EFAULT,
 * EINVAL), then an unknown option. */
/* The sockets with SO_PEEK_OFF in 6.1 (a set_peek_off operation): AF_UNIX's
 * every type and UDP's (TCP's came in 6.9). */
static bool peek_off_capable(const struct file *f)
{
    const struct sock *k = f->sock;
    return k->inet ? k->inet->proto == IPPROTO_UDP && !k->inet->kind : !k->nl;
}

static int64_t sys_getsockopt(struct sys_ctx *c, uint64_t fd, uint64_t level, uint64_t optname, uint64_t uoptval,
                              uint64_t uoptlen)
{
    int64_t err, lv;
    struct file *f = socket_of(c, fd, &err);
    if (!f)
        return err;
    struct sock *k = f->sock;
    struct inet_sock *s = k->inet;
    int32_t v = 0, pair[4];
    struct sockaddr_k name;
    void *val = &v;
    uint32_t len, size = sizeof v;
    if (level == IPPROTO_TCP && s && s->proto == IPPROTO_TCP) /* TCP's own level: tcpopt.c's */
        return tcp_getsockopt(c, f, (int)optname, uoptval, uoptlen);
    if (s && s->kind && level != SOL_SOCKET) /* raw and ping sockets' levels (raw.c) */
        return raw_getsockopt(c, s, (int)level, (int)optname, uoptval, uoptlen);
    if (level != SOL_SOCKET) {
        if (!s) /* AF_UNIX has no options but SOL_SOCKET's; netlink's level is SOL_NETLINK */
            return nl_of(f) ? -LINUX_ENOPROTOOPT : -LINUX_EOPNOTSUPP;
        if ((err = inet_getsockopt(k, (int)level, (int)optname, &v)) == -LINUX_EOPNOTSUPP)
            return err;
    }
    if (mem_in(c->p, &len, uoptlen, sizeof len) < 0)
        return -LINUX_EFAULT;
    if ((int32_t)len < 0)
        return -LINUX_EINVAL;
    if (level != SOL_SOCKET) {
        if (err < 0)
            return err;
    } else {
        switch (optname) {
        case SO_TYPE: v = k->type ? k->type : udp_of(f) ? SOCK_DGRAM : SOCK_STREAM; break;
        case SO_PASSCRED: v = k->passcred; break;
        case SO_DOMAIN: v = s ? s->family : AF_UNIX; break;
        case SO_PROTOCOL: v = s ? s->proto : 0; break;
        case SO_ERROR: v = (int32_t)get_error(f); break; /* read, and cleared */
        case SO_ACCEPTCONN: v = k->listening; break;
        case SO_REUSEADDR: v = k->reuseaddr; break;
        case SO_REUSEPORT: v = k->reuseport; break;
        case SO_KEEPALIVE: v = k->keepalive; break;
        case SO_DEBUG: case SO_DONTROUTE: case SO_BROADCAST: case SO_OOBINLINE: case SO_NO_CHECK:
            v = (int32_t)(k->flagopts >> optname) & 1;
            break;
        case SO_PRIORITY: v = k->priority; break;
        case SO_PEEK_OFF:
            if (!peek_off_capable(f))
                return -LINUX_EOPNOTSUPP;
            v = k->peek_set ? k->peek_off : -1;
            break;
        case SO_TIMESTAMP_OLD: case SO_TIMESTAMPNS_OLD: case SO_TIMESTAMP_NEW: case SO_TIMESTAMPNS_NEW:
            v = tstamp_getsockopt(k, (int)optname);
            break;
        case SO_TIMESTAMPING_OLD: case SO_TIMESTAMPING_NEW: /* struct so_timestamping: the flags, no clock */
            pair[0] = tstamp_getsockopt(k, (int)optname), pair[1] = 0, val = pair, size = 8;
            break;
        case SO_RCVLOWAT: v = k->rcvlowat > 1 ? k->rcvlowat : 1; break;
        case SO_SNDLOWAT: v = 1; break; /* Linux's, which it does not let a program change */
        case SO_RCVBUF: v = k->rcvbuf; break;
        case SO_SNDBUF: v = k->sndbuf; break;
        case SO_PEERCRED: /* as the reader sees them (Linux's cred_to_ucred); -1: none */
            pair[0] = pidns_vpid(c->p, k->peercred[0]), val = pair, size = 12;
            pair[1] = k->peercred[1] == -1 ? -1 : (int32_t)userns_uid_from(c->p->cred.userns, (uint32_t)k->peercred[1]);
            pair[2] = k->peercred[2] == -1 ? -1 : (int32_t)userns_gid_from(c->p->cred.userns, (uint32_t)k->peercred[2]);
            break;
        case SO_PEERNAME:
            if ((lv = peer_name(f, &name)) < 0)
                return lv;
            if (lv < len)
                return -LINUX_EINVAL; /* as Linux: no longer than the name */
            val = &name, size = (uint32_t)lv;
            break;
        case SO_LINGER: pair[0] = k->linger_on, pair[1] = k->linger, val = pair, size = 8; break;
        case SO_RCVTIMEO_OLD:
        case SO_SNDTIMEO_OLD: {
            uint64_t t = optname == SO_RCVTIMEO_OLD ? k->rcvtimeo : k->sndtimeo;
            int64_t tv[2] = {(int64_t)(t / 1000000000), (int64_t)(t % 1000000000 / 1000)};
            int32_t tv32[2] = {(int32_t)tv[0], (int32_t)tv[1]}; /* an i386 call's old_timeval32 */
            memcpy(pair, c->i386 ? (void *)tv32 : (void *)tv, c->i386 ? sizeof tv32 : sizeof tv);
            val = pair, size = c->i386 ? sizeof tv32 : sizeof tv;
            break;
        }
        default: return -LINUX_ENOPROTOOPT;
        }
    }
    len = len < size ? len : size;
    if (mem_out(c->p, uoptval, val, len) < 0 || mem_out(c->p, uoptlen, &len, sizeof len) < 0)
        return -LINUX_EFAULT;
    return 0;
}

/* SO_RCVTIMEO and SO_SNDTIMEO: a struct timeval (an i386 call's
 * old_timeval32, as Linux's sock_set_timeout in a compat call), as ns (0:
 * none). */
static int64_t set_timeo(struct sys_ctx *c, uint64_t uoptval, int optlen, uint64_t *to)
{
    int64_t tv[2];
    int32_t tv32[2];
    if (optlen < (c->i386 ? (int)sizeof tv32 : (int)sizeof tv))
        return -LINUX_EINVAL;
    if (mem_in(c->p, c->i386 ? (void *)tv32 : (void *)tv, uoptval, c->i386 ? sizeof tv32 : sizeof tv) < 0)
        return -LINUX_EFAULT;
    if (c->i386)
        tv[0] = tv32[0], tv[1] = tv32[1];
    if (tv[1] < 0 || tv[1] >= 1000000)
        return -LINUX_EDOM;
    if (tv[0] < 0)
        *to = 1; /* as Linux: a timeout already over */
    else
        *to = (uint64_t)tv[0] * 1000000000ull + (uint64_t)tv[1] * 1000;
    return 0;
}

static int64_t sys_setsockopt(struct sys_ctx *c, uint64_t fd, uint64_t level, uint64_t optname, uint64_t uoptval,
                              int optlen)
{
    int64_t err;
    struct file *f = socket_of(c, fd, &err);
    if (!f)
        return err;
    struct sock *k = f->sock;
    int32_t v;
    if (level == IPPROTO_TCP && k->inet && k->inet->proto == IPPROTO_TCP) /* TCP's own level: tcpopt.c's */
        return tcp_setsockopt(c, f, (int)optname, uoptval, optlen);
    if (k->inet && k->inet->kind && level != SOL_SOCKET) /* raw and ping sockets' levels (raw.c) */
        return raw_setsockopt(c, k->inet, (int)level, (int)optname, uoptval, optlen);
    if (optlen < (int)sizeof v)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &v, uoptval, sizeof v) < 0)
        return -LINUX_EFAULT;
    if (level != SOL_SOCKET)
        return k->inet ? inet_setsockopt(k, (int)level, (int)optname, v) : -LINUX_EOPNOTSUPP;
    uint32_t most = (uint32_t)(optname == SO_SNDBUF ? sysctl_wmem_max : sysctl_rmem_max); /* sock_setsockopt's */
    uint32_t u = (uint32_t)v < most ? (uint32_t)v : most;
    u = u < INT32_MAX / 2 ? u : INT32_MAX / 2; /* doubled within an int */
    bool net_admin = cred_capable(&c->p->cred, CAP_NET_ADMIN);
    if (optname == SO_SNDBUFFORCE || optname == SO_RCVBUFFORCE) { /* past rmem_max, for CAP_NET_ADMIN */
        if (!net_admin)
            return -LINUX_EPERM;
        u = v < 0 ? 0 : (uint32_t)v < INT32_MAX / 2 ? (uint32_t)v : INT32_MAX / 2;
        optname = optname == SO_SNDBUFFORCE ? SO_SNDBUF : SO_RCVBUF;
    }
    switch (optname) {
    case SO_REUSEADDR: k->reuseaddr = v != 0; break;
    case SO_REUSEPORT: k->reuseport = v != 0; break;
    case SO_KEEPALIVE: k->keepalive = v != 0; break;
    case SO_PASSCRED: k->passcred = v != 0; break;
    case SO_DEBUG: case SO_DONTROUTE: case SO_BROADCAST: case SO_OOBINLINE: case SO_NO_CHECK:
        if (optname == SO_DEBUG && v && !net_admin)
            return -LINUX_EACCES;
        k->flagopts = v ? k->flagopts | 1u << optname : k->flagopts & ~(1u << optname);
        break;
    case SO_PRIORITY:
        if ((v < 0 || v > 6) && !netns_capable(&c->p->cred, k->net, CAP_NET_ADMIN) &&
            !netns_capable(&c->p->cred, k->net, CAP_NET_RAW))
            return -LINUX_EPERM;
        k->priority = v;
        break;
    case SO_PEEK_OFF: /* any value, -1 (or below) off (Linux's sk_set_peek_off, unix_set_peek_off) */
        if (!peek_off_capable(f))
            return -LINUX_EOPNOTSUPP;
        k->peek_set = true, k->peek_off = v;
        break;
    case SO_RCVBUF: k->rcvbuf = (int)(2 * u > SOCK_MIN_RCVBUF ? 2 * u : SOCK_MIN_RCVBUF); break;
    case SO_SNDBUF: k->sndbuf = (int)(2 * u > SOCK_MIN_SNDBUF ? 2 * u : SOCK_MIN_SNDBUF); break;
    case SO_LINGER: {
        int32_t l[2];
        if (optlen < (int)sizeof l)
            return -LINUX_EINVAL;
        if (mem_in(c->p, l, uoptval, sizeof l) < 0)
            return -LINUX_EFAULT;
        k->linger_on = l[0] != 0; /* off, it keeps the time it had */
        k->linger = l[0] ? l[1] : k->linger;
        break;
    }
    case SO_RCVLOWAT: /* what a stream's receive waits for (pipe.c); TCP's at most half tcp_rmem[2] */
        v = v < 0 ? INT32_MAX : v;
        if (k->inet && k->inet->proto == IPPROTO_TCP) {
            int most = net_sysctl(k)->rmem[2] / 2; /* tcp_rmem's third */
            v = v < most ? v : most;
            k->rcvbuf = 2 * v > k->rcvbuf ? 2 * v : k->rcvbuf; /* room for it, as tcp_set_rcvlowat makes */
        }
        k->rcvlowat = v ? v : 1;
        break;
    case SO_TIMESTAMP_OLD: case SO_TIMESTAMPNS_OLD: case SO_TIMESTAMP_NEW: case SO_TIMESTAMPNS_NEW:
    case SO_TIMESTAMPING_OLD: case SO_TIMESTAMPING_NEW:
        return tstamp_setsockopt(k, (int)optname, v);
    case SO_RCVTIMEO_OLD: return set_timeo(c, uoptval, optlen, &k->rcvtimeo);
    case SO_SNDTIMEO_OLD: return set_timeo(c, uoptval, optlen, &k->sndtimeo);
    case SO_ATTACH_BPF: return bpf_sock_attach(c->p, k, v);
    case SO_ATTACH_FILTER: return bpf_sock_attach_classic(c->p, k, uoptval, optlen);
    case SO_DETACH_FILTER: return bpf_sock_detach(k);
    default: return -LINUX_ENOPROTOOPT;
    }
    return 0;
}
