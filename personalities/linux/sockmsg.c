/*
 * personalities/linux/sockmsg.c - data on sockets: send, sendto, recv,
 * recvfrom, sendmsg, recvmsg (MSG_DONTWAIT, MSG_NOSIGNAL, MSG_PEEK,
 * MSG_WAITALL), and descriptors passed with the bytes (SCM_RIGHTS): a
 * batch rides in the pipe at the position of its message, and the read
 * that takes that message's first byte gets them; a user may have no more
 * in flight than its RLIMIT_NOFILE (ETOOMANYREFS).  UDP sockets' calls go
 * to udp.c; TCP's are a stream's, with no names on the data.
 *
 * sendmmsg and recvmmsg on AF_UNIX and TCP sockets run each message in turn.
 *
 * Entry points: fd_batch_free, fd_batch_dup, scm_deliver, mmsg_reply and
 * mmsg_count (pipe.c), scm_parse, socket_put_name (socket.c, udp.c,
 * netlink.c).  Callers: the
 * syscall table.  Layer: a file type, over socket.c and pipe.c.  Book:
 * docs/linux.md, "Files".
 */
#include "inet.h"
#include "netlink.h"
#include "pidns.h"
#include "proc.h"
#include "socket.h"
#include "userns.h"
#include <stddef.h>
#include <stdlib.h>
#include "linux_entries/sockmsg.h" /* generated: the handlers' prototypes, entries */

/* Writes a name out as getsockname, accept and recvfrom do: as much of
 * its len bytes as fit in the caller's length, and len itself. */
int64_t socket_put_name(struct proc *p, uint64_t uaddr, uint64_t ulen, const struct sockaddr_k *name, uint32_t len)
{
    uint32_t room;
    if (mem_in(p, &room, ulen, sizeof room) < 0)
        return -LINUX_EFAULT;
    if ((int32_t)room < 0)
        return -LINUX_EINVAL;
    if ((len && mem_out(p, uaddr, name, room < len ? room : len) < 0) || mem_out(p, ulen, &len, sizeof len) < 0)
        return -LINUX_EFAULT;
    return 0;
}

/* A stream's send flags, as Linux's tcp_sendmsg and unix_stream_sendmsg
 * take them: MSG_OOB makes the last byte urgent (streamoob.c; AF_UNIX's
 * of no bytes is EOPNOTSUPP), TCP's MSG_FASTOPEN on a connection is
 * EISCONN, and the others that change nothing here (MSG_MORE, MSG_EOR,
 * MSG_CONFIRM ...) are passed over. */
static int64_t send_flags(const struct file *f, uint64_t flags, uint64_t total, int *how)
{
    bool tcp = f->sock && f->sock->inet;
    if (tcp && (flags & MSG_FASTOPEN)) /* first, as tcp_sendmsg_locked */
        return f->pipe ? -LINUX_EISCONN : -LINUX_EOPNOTSUPP; /* a connect with data is not done */
    if ((flags & MSG_OOB) && !tcp && !total)
        return -LINUX_EOPNOTSUPP;
    *how = ((flags & MSG_DONTWAIT) ? MOVE_NONBLOCK : 0) | ((flags & MSG_NOSIGNAL) ? MOVE_NOSIGNAL : 0) |
           ((flags & MSG_OOB) ? MOVE_OOB : 0);
    return 0;
}

/* A stream's receive flags.  TCP's error queue is empty (EAGAIN); a
 * listening TCP socket's MSG_OOB is ENOTCONN, and the others' MSG_OOB
 * oob_recv's (OOB_RECV), as Linux's tcp_recvmsg and unix_stream_recvmsg
 * say before they look at the other flags; TCP's MSG_TRUNC is
 * tcp_discard's; the flags that change nothing here are passed over. */
#define OOB_RECV 1
static int64_t recv_flags(const struct file *f, uint64_t flags, int *how)
{
    bool tcp = f->sock && f->sock->inet;
    if (tcp && (flags & MSG_ERRQUEUE))
        return -LINUX_EAGAIN;
    if (flags & MSG_OOB)
        return tcp && f->sock->listening ? -LINUX_ENOTCONN : OOB_RECV;
    *how = ((flags & MSG_DONTWAIT) ? MOVE_NONBLOCK : 0) | ((flags & MSG_PEEK) ? MOVE_PEEK : 0) |
           ((flags & MSG_WAITALL) ? MOVE_WAITALL : 0);
    return 0;
}

static int64_t mmsg_wait(struct sys_ctx *c, struct file *f);

/* TCP's MSG_TRUNC: up to len bytes of the stream dropped, not copied (or,
 * with MSG_PEEK, only counted), as Linux's tcp_recvmsg; a blocking one
 * with nothing there waits and runs again. */
static int64_t tcp_discard(struct sys_ctx *c, struct file *f, uint64_t len, uint64_t flags)
{
    int how = (f->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT) ? MOVE_NONBLOCK : 0;
    int64_t r = socket_may_move(c, f, false, how);
    if (r != SOCKET_MAY || !len)
        return r != SOCKET_MAY ? r : 0;
    size_t skip = 0, n = pipe_read_span(f->pipe, (flags & MSG_PEEK) != 0, &skip); /* to an urgent byte's mark */
    if (!n && !pipe_ends(f->pipe, true))
        return pipe_take_reset(f->pipe); /* the end, after a reset's ECONNRESET */
    if (!n)
        return how ? -LINUX_EAGAIN : mmsg_wait(c, f);
    return (int64_t)pipe_kread(f->pipe, NULL, len < n ? len : n, skip, (flags & MSG_PEEK) != 0);
}

static int64_t sys_sendto(struct sys_ctx *c, uint64_t fd, uint64_t ubuf, uint64_t len, uint64_t flags, uint64_t uaddr,
                          int addrlen)
{
    int64_t err;
    int how = 0;
    struct file *f = socket_of(c, fd, &err);
    if (!f)
        return err;
    if (udp_of(f))
        return udp_sendto(c, f, ubuf, len, flags, uaddr, (uint64_t)(int64_t)addrlen);
    if (nl_of(f))
        return nl_sendto(c, f, ubuf, len, uaddr, (uint64_t)(int64_t)addrlen);
    struct io_seg seg = {ubuf, len};
    if (umsg_of(f))
        return umsg_send(c, f, &seg, 1, len, flags, uaddr, (uint64_t)(int64_t)addrlen, NULL);
    if (uaddr && !f->sock->inet) /* TCP ignores an address */
        return f->pipe ? -LINUX_EISCONN : -LINUX_EOPNOTSUPP; /* a stream takes no address */
    if ((err = send_flags(f, flags, len, &how)) < 0)
        return err;
    return socket_io(c, f, &seg, 1, true, len, true, how);
}

static int64_t sys_recvfrom(struct sys_ctx *c, uint64_t fd, uint64_t ubuf, uint64_t len, uint64_t flags, uint64_t uaddr,
                            uint64_t uaddrlen)
{
    int64_t err;
    int how = 0;
    struct file *f = socket_of(c, fd, &err);
    if (!f)
        return err;
    if (udp_of(f))
        return udp_recvfrom(c, f, ubuf, len, flags, uaddr, uaddrlen);
    if (nl_of(f))
        return nl_recvfrom(c, f, ubuf, len, flags, uaddr, uaddrlen);
    struct io_seg seg = {ubuf, len};
    if (umsg_of(f)) {
        struct umsg_to to = {.name = uaddrlen ? uaddr : 0, .namelen = uaddrlen};
        return umsg_recv(c, f, &seg, 1, flags, &to);
    }
    int32_t mflags = 0;
    if ((err = recv_flags(f, flags, &how)) == OOB_RECV)
        return (err = oob_recv(c, f, &seg, 1, len, flags, &mflags)) < 0 || !uaddr || !uaddrlen ? err
               : socket_put_name(c->p, uaddr, uaddrlen, NULL, 0) < 0 ? -LINUX_EFAULT : err;
    if (err < 0)
        return err;
    if (f->sock->inet && (flags & MSG_TRUNC))
        return tcp_discard(c, f, len, flags);
    /* the sender's name, which a stream's peer gives; length 0 for an unnamed one or TCP, as Linux */
    bool named = f->sock && !f->sock->inet;
    if (uaddr && uaddrlen &&
        (err = socket_put_name(c->p, uaddr, uaddrlen, named ? &f->sock->peer : NULL, named ? f->sock->peerlen : 0)) < 0)
        return err;
    return socket_io(c, f, &seg, 1, true, len, false, how);
}

struct fd_batch *fd_batch_dup(const struct fd_batch *b)
{
    struct fd_batch *copy = calloc(1, sizeof *b + (size_t)b->n * sizeof(struct file *));
    if (copy)
        for (int i = 0; i < b->n; i++)
            copy->files[copy->n++] = file_get(b->files[i]);
    return copy;
}

/* Descriptors in flight per user, as Linux's user->unix_inflight: what
 * the batches not yet received hold, charged to their senders (rlimit.c's
 * per-user counts, UCOUNT_UNIX_INFLIGHT).  b's leave flight (received, or
 * dropped). */
static void inflight_uncharge(struct fd_batch *b)
{
    ucount_uncharge(b->uid, UCOUNT_UNIX_INFLIGHT, (uint64_t)b->charged);
    b->charged = 0;
}

void fd_batch_free(struct fd_batch *b)
{
    inflight_uncharge(b);
    for (int i = 0; i < b->n; i++)
        file_put(b->files[i]);
    free(b);
}

/* Explicit credentials, as Linux's scm_check_creds and __scm_send take
 * them: ids of the sender's user namespace (EINVAL unmapped), a pid of
 * its pid namespace; a process may say its own pid (any with
 * CAP_SYS_ADMIN over its pid namespace) and any of its own ids (any with
 * CAP_SETUID, CAP_SETGID), ESRCH for a pid no process has.  Kept as the
 * kernel's ids and the initial namespace's pid. */
static int64_t cred_check(struct proc *p, struct ucred_k *u)
{
    const struct cred *c = &p->cred;
    uint32_t uid = userns_uid_to(c->userns, u->uid), gid = userns_gid_to(c->userns, u->gid);
    if (uid == USERNS_NO_ID || gid == USERNS_NO_ID)
        return -LINUX_EINVAL;
    bool pid = u->pid == pidns_vnr(p, proc_group(p)) ||
               cred_ns_capable(c, userns_owner(ns_of(p, NS_PID)), CAP_SYS_ADMIN);
    bool uok = uid == c->uid || uid == c->euid || uid == c->suid || cred_ns_capable(c, c->userns, CAP_SETUID);
    bool gok = gid == c->gid || gid == c->egid || gid == c->sgid || cred_ns_capable(c, c->userns, CAP_SETGID);
    if (!pid || !uok || !gok)
        return -LINUX_EPERM;
    int g = pidns_global(p, u->pid);
    if (g <= 0 || g == PIDNS_NONE || !proc_by_pid(g))
        return -LINUX_ESRCH;
    *u = (struct ucred_k){g, uid, gid};
    return 0;
}

/* A sendmsg's control messages: SCM_RIGHTS descriptors, each taken with a
 * reference, into one batch (NULL if none), and SCM_CREDENTIALS; those of
 * another level than SOL_SOCKET are passed over. */
int64_t scm_parse(struct proc *p, uint64_t control, uint64_t len, struct umsg_ctl *ctl)
{
    int fds[SCM_MAX_FD], n = 0;
    int64_t err;
    static char scratch[4096];
    *ctl = (struct umsg_ctl){0};
    /* Linux's ____sys_sendmsg copies the whole buffer in first: more than
     * its 36 bytes on the stack is allocated against net.core.optmem_max
     * (6.1's 20480: ENOBUFS), and any byte unmapped is EFAULT */
    if (len > 36 && len >= 20480)
        return -LINUX_ENOBUFS;
    for (uint64_t off = 0; off < len; off += sizeof scratch)
        if (mem_in(p, scratch, control + off, len - off < sizeof scratch ? len - off : sizeof scratch) < 0)
            return -LINUX_EFAULT;
    for (uint64_t off = 0; len - off >= sizeof(struct cmsghdr_k);) {
        struct cmsghdr_k h;
        if (mem_in(p, &h, control + off, sizeof h) < 0)
            return -LINUX_EFAULT;
        if (h.len < sizeof h || h.len > len - off)
            return -LINUX_EINVAL;
        if (h.level != SOL_SOCKET) {
            /* another level's: passed over, as Linux's __scm_send */
        } else if (h.type == SCM_CREDENTIALS) {
            if (h.len != sizeof h + sizeof ctl->cred)
                return -LINUX_EINVAL;
            if (mem_in(p, &ctl->cred, control + off + sizeof h, sizeof ctl->cred) < 0)
                return -LINUX_EFAULT;
            if ((err = cred_check(p, &ctl->cred)) < 0)
                return err;
            ctl->has_cred = true;
        } else if (h.type == SCM_RIGHTS) {
            uint64_t k = (h.len - sizeof h) / sizeof(int);
            if (n + k > SCM_MAX_FD)
                return -LINUX_EINVAL;
            if (mem_in(p, fds + n, control + off + sizeof h, k * sizeof(int)) < 0)
                return -LINUX_EFAULT;
            n += (int)k;
        } else {
            return -LINUX_EINVAL;
        }
        off += CMSG_ALIGN(h.len);
        if (off > len)
            break;
    }
    for (int i = 0; i < n; i++)
        if (fds[i] < 0 || !fd_file_raw(p, (uint64_t)fds[i])) /* O_PATH files pass too, as Linux's fget_raw */
            return -LINUX_EBADF;
    if (!n)
        return 0;
    /* a user may have no more in flight than its RLIMIT_NOFILE, unless privileged (Linux's too_many_unix_fds) */
    if (ucount_get(p->cred.uid, UCOUNT_UNIX_INFLIGHT) > proc_group(p)->rlim[RLIMIT_NOFILE][0] &&
        !cred_capable(&p->cred, CAP_SYS_RESOURCE) && !cred_capable(&p->cred, CAP_SYS_ADMIN))
        return -LINUX_ETOOMANYREFS;
    struct fd_batch *b = calloc(1, sizeof *b + (size_t)n * sizeof(struct file *));
    if (!b || !ucount_charge(p->cred.uid, UCOUNT_UNIX_INFLIGHT, (uint64_t)n, RLIM_INFINITY)) {
        free(b);
        return -LINUX_ENOMEM;
    }
    b->uid = p->cred.uid, b->charged = n;
    for (int i = 0; i < n; i++)
        b->files[b->n++] = file_get(p->fds->fd[fds[i]]);
    ctl->fds = b;
    return 0;
}

/* Puts descriptors into p's table and their numbers at control: as many
 * as fit in room bytes, as Linux (the rest are dropped, *flags gets
 * MSG_CTRUNC); the bytes of control used. */
static uint64_t put_rights(struct proc *p, const struct scm *to, uint64_t control, uint64_t room, struct fd_batch *b,
                           int32_t *flags)
{
    uint64_t fit = room >= sizeof(struct cmsghdr_k) ? (room - sizeof(struct cmsghdr_k)) / sizeof(int) : 0;
    int fds[SCM_MAX_FD], n = 0, total = b->n;
    inflight_uncharge(b);
    for (int i = 0; i < total; i++) { /* those that fit, as Linux; the rest are dropped */
        int fd = (uint64_t)n < fit ? fd_alloc(p, 0, b->files[i], to->cloexec) : -1;
        if (fd < 0) {
            file_put(b->files[i]);
            continue;
        }
        fds[n++] = fd;
    }
    b->n = 0; /* the files are the process's now, or gone */
    fd_batch_free(b);
    struct cmsghdr_k h = {sizeof h + (uint64_t)n * sizeof(int), SOL_SOCKET, SCM_RIGHTS};
    *flags |= n < total ? MSG_CTRUNC : 0;
    if (n && (mem_out(p, control, &h, sizeof h) < 0 || mem_out(p, control + sizeof h, fds, n * sizeof(int)) < 0)) {
        for (int i = 0; i < n; i++) { /* a control buffer it cannot see: the descriptors go, not leak */
            struct file *f = p->fds->fd[fds[i]];
            if (fd_clear(p->fds, fds[i]) == 0) /* the table is its own since the installs */
                file_put(f);
        }
        *flags |= MSG_CTRUNC;
        return 0;
    }
    return n ? CMSG_ALIGN(h.len) : 0;
}

int64_t scm_deliver(struct proc *p, const struct scm *to, const struct ucred_k *cred, struct fd_batch *b,
                    int32_t flags)
{
    uint64_t used = 0;
    if (!to->msg) {
        if (b)
            fd_batch_free(b); /* a plain read drops them */
        return 0;
    }
    struct ucred_k seen; /* as the receiver sees them (Linux's scm_set_cred and scm_recv) */
    if (cred) {
        seen = (struct ucred_k){pidns_vpid(p, cred->pid), userns_uid_from(p->cred.userns, cred->uid),
                                userns_gid_from(p->cred.userns, cred->gid)};
        cred = &seen;
    }
    if (cred) { /* the credentials first, as Linux's scm_recv */
        struct cmsghdr_k h = {sizeof h + sizeof *cred, SOL_SOCKET, SCM_CREDENTIALS};
        if (to->controllen < h.len) {
            flags |= MSG_CTRUNC;
        } else {
            if (mem_out(p, to->control, &h, sizeof h) < 0 || mem_out(p, to->control + sizeof h, cred, sizeof *cred) < 0) {
                if (b)
                    fd_batch_free(b);
                return -LINUX_EFAULT;
            }
            used = CMSG_ALIGN(h.len) < to->controllen ? CMSG_ALIGN(h.len) : to->controllen;
        }
    }
    if (b)
        used += put_rights(p, to, to->control + used, to->controllen - used, b, &flags);
    if (mem_out(p, to->msg + offsetof(struct msghdr_k, controllen), &used, sizeof used) < 0 ||
        mem_out(p, to->msg + offsetof(struct msghdr_k, flags), &flags, sizeof flags) < 0)
        return -LINUX_EFAULT;
    return 0;
}

/* sendmsg and recvmsg on a datagram or seqpacket socket (segs freed here;
 * ctl: a send's control messages). */
static int64_t umsg_msg(struct sys_ctx *c, struct file *f, const struct msghdr_k *m, uint64_t umsg, uint64_t flags,
                        struct io_seg *segs, uint64_t total, struct umsg_ctl *ctl)
{
    int64_t r;
    if (ctl) {
        r = umsg_send(c, f, segs, (int)m->iovlen, total, flags, m->name, m->namelen, ctl);
        if (ctl->fds) /* not sent: the descriptors stay here */
            fd_batch_free(ctl->fds);
    } else {
        struct umsg_to to = {m->name, m->name ? umsg + offsetof(struct msghdr_k, namelen) : 0, umsg, m->control,
                             m->controllen, (flags & MSG_CMSG_CLOEXEC) != 0, false};
        r = umsg_recv(c, f, segs, (int)m->iovlen, flags, &to);
    }
    free(segs);
    return r;
}

/* sendmsg and recvmsg: the buffers as one move, and descriptors passed
 * (SCM_RIGHTS) with the bytes. */
static int64_t msg_io(struct sys_ctx *c, uint64_t fd, uint64_t umsg, uint64_t flags, bool write)
{
    int64_t err;
    int how = 0;
    struct msghdr_k m;
    struct file *f = socket_of(c, fd, &err);
    if (!f)
        return err;
    if (udp_of(f))
        return udp_msg(c, f, umsg, flags, write);
    if (nl_of(f))
        return nl_msg(c, f, umsg, flags, write);
    if (mem_in(c->p, &m, umsg, sizeof m) < 0)
        return -LINUX_EFAULT;
    if (!umsg_of(f) && (err = write ? send_flags(f, flags, UINT64_MAX, &how) : recv_flags(f, flags, &how)) < 0)
        return err; /* a datagram or seqpacket socket's are its own */
    bool oob = !write && err == OOB_RECV;
    if (!write && !oob && f->sock->inet && (flags & MSG_TRUNC)) { /* TCP's: the bytes dropped */
        struct io_seg *segs;
        uint64_t total;
        if ((err = iov_read(c->p, m.iov, m.iovlen, &segs, &total)) < 0)
            return err;
        free(segs);
        return tcp_discard(c, f, total, flags);
    }
    if (write && m.name && !f->sock->inet && !umsg_of(f)) /* a stream takes no address; TCP ignores it */
        return f->pipe ? -LINUX_EISCONN : -LINUX_EOPNOTSUPP;
    if (m.iovlen > 1024)
        return -LINUX_EMSGSIZE;
    struct umsg_ctl ctl = {0};
    if (write && m.controllen && (err = scm_parse(c->p, m.control, m.controllen, &ctl)) < 0)
        return err;
    struct scm scm = {.send = ctl.fds, .has_cred = ctl.has_cred, .cred = ctl.cred}; /* a stream's own, if sent */
    struct io_seg *segs;
    uint64_t total;
    if ((err = iov_read(c->p, m.iov, m.iovlen, &segs, &total)) < 0) {
        if (scm.send)
            fd_batch_free(scm.send);
        return err;
    }
    if (write && (flags & MSG_OOB) && !f->sock->inet && !umsg_of(f) && total == 1 && scm.send) {
        fd_batch_free(scm.send); /* 6.1's urgent byte alone carries no descriptors: they are dropped */
        scm.send = NULL;
    }
    if (umsg_of(f))
        return umsg_msg(c, f, &m, umsg, flags, segs, total, write ? &ctl : NULL);
    if (oob || (write && (flags & MSG_OOB) && !f->sock->inet && !total)) { /* urgent data's, or none to send */
        int32_t mflags = 0;
        err = oob ? oob_recv(c, f, segs, (int)m.iovlen, total, flags, &mflags) : -LINUX_EOPNOTSUPP;
        free(segs);
        if (scm.send)
            fd_batch_free(scm.send);
        m.namelen = 0, m.controllen = 0, m.flags = mflags;
        return err >= 0 && mem_out(c->p, umsg, &m, sizeof m) < 0 ? -LINUX_EFAULT : err;
    }
    if (!write) { /* the sender's name now; descriptors, if any come, when the data does */
        scm = (struct scm){.msg = umsg, .control = m.control, .controllen = m.controllen,
                           .cloexec = (flags & MSG_CMSG_CLOEXEC) != 0};
        struct sock *k = f->sock;
        uint32_t len = k && f->pipe && !k->inet ? k->peerlen : 0;
        if (m.name && len && mem_out(c->p, m.name, &k->peer, len < m.namelen ? len : m.namelen) < 0)
            err = -LINUX_EFAULT;
        m.namelen = m.name ? len : 0, m.controllen = 0, m.flags = 0;
        if (err < 0 || mem_out(c->p, umsg, &m, sizeof m) < 0) {
            free(segs);
            return -LINUX_EFAULT;
        }
    }
    c->scm = &scm;
    int64_t r = socket_io(c, f, segs, (int)m.iovlen, false, total, write, how);
    c->scm = NULL;
    if (!write && !r && !c->deferred && total && f->pipe && f->sock && f->sock->passcred && !f->sock->inet) {
        struct ucred_k none = {0, 0, 0}; /* the end of the stream: Linux's empty credentials */
        if (scm_deliver(c->p, &scm, &none, NULL, 0) < 0)
            r = -LINUX_EFAULT;
    }
    if (scm.send) /* the move ended before its first byte: the descriptors stay here */
        fd_batch_free(scm.send);
    return r;
}

static int64_t sys_sendmsg(struct sys_ctx *c, uint64_t fd, uint64_t umsg, uint64_t flags)
{
    return msg_io(c, fd, umsg, flags, true);
}

static int64_t sys_recvmsg(struct sys_ctx *c, uint64_t fd, uint64_t umsg, uint64_t flags)
{
    return msg_io(c, fd, umsg, flags, false);
}

#define MMSG_SIZE 64 /* struct mmsghdr: a msghdr and msg_len, padded */

int64_t mmsg_count(struct proc *p, int64_t r)
{
    const struct mmsg_state *m = &p->block.mmsg;
    uint32_t len = (uint32_t)r;
    if (!m->len_at)
        return r;
    if (r < 0)
        return m->n ? (int64_t)m->n : r;
    if (mem_out(p, m->len_at, &len, sizeof len) < 0)
        return m->n ? (int64_t)m->n : -LINUX_EFAULT;
    return (int64_t)m->n + 1;
}

bool mmsg_reply(struct proc *p, int64_t *r)
{
    struct mmsg_state *m = &p->block.mmsg;
    if (m->held) {
        m->got = *r, m->ended = true;
        return false;
    }
    *r = mmsg_count(p, *r);
    return true;
}

/* A stream's recvmmsg with nothing to take: it waits for data, as a
 * splice does (WAIT_SPLICE, SO_RCVTIMEO its deadline), and runs again. */
static int64_t mmsg_wait(struct sys_ctx *c, struct file *f)
{
    uint64_t t = f->sock->rcvtimeo;
    c->p->wait = (struct proc_wait){.kind = WAIT_SPLICE, .token = c->token, .fds = (uint64_t)file_get(f),
                                    .nfds = POLLIN, .deadline = t ? clock_now() + t : 0};
    poll_waiter_add(c->p);
    if (t)
        wait_rearm_for(c->p);
    c->deferred = true;
    return 0;
}

/* sendmmsg and recvmmsg: UDP's are udp.c's; the others each message in
 * turn as sendmsg and recvmsg, as Linux's.  The first may wait: a datagram
 * or seqpacket socket's wait, and a stream's receive, run the call again
 * from the start; a stream's send (or MSG_WAITALL receive) ends it with 1,
 * its bytes in msg_len.  Those after it do not wait (MSG_DONTWAIT, as
 * MSG_WAITFORONE makes Linux's recvmmsg): one that would ends the call
 * with the count so far, as an error after the first does.  end:
 * recvmmsg's deadline (clock_ns; 0: none), looked at after each. */
static int64_t mmsg(struct sys_ctx *c, uint64_t fd, uint64_t vec, uint64_t vlen, uint64_t flags, bool write,
                    uint64_t end)
{
    int64_t err;
    struct file *f = socket_of(c, fd, &err);
    if (!f)
        return err;
    if (udp_of(f))
        return udp_mmsg(c, f, vec, vlen, flags, write);
    if (nl_of(f))
        return -LINUX_EOPNOTSUPP;
    vlen = vlen < 1024 ? vlen : 1024; /* UIO_MAXIOV, as Linux caps it */
    bool poll_first = !write && !umsg_of(f) && !(flags & (MSG_WAITALL | MSG_DONTWAIT)) && !(f->flags & O_NONBLOCK);
    uint64_t n = 0;
    for (; n < vlen; n++) {
        uint64_t entry = vec + n * MMSG_SIZE;
        struct mmsg_state st = {entry + sizeof(struct msghdr_k), n, true, false, 0};
        c->mmsg = &st;
        int64_t r = msg_io(c, fd, entry, (flags & ~(uint64_t)MSG_WAITFORONE) | (n || poll_first ? MSG_DONTWAIT : 0),
                           write);
        c->mmsg = NULL;
        if (c->deferred && c->p->block.mmsg.len_at == st.len_at && c->p->block.mmsg.ended) {
            r = c->p->block.mmsg.got, c->deferred = false; /* the move ended at once: the call goes on */
            c->p->block.mmsg = (struct mmsg_state){0};
        } else if (c->deferred) {
            c->p->block.mmsg.held = false; /* it waits: its end replies, with the count */
            return r;
        }
        if (!n && r == -LINUX_EAGAIN && poll_first)
            return mmsg_wait(c, f);
        uint32_t len = (uint32_t)r;
        if (r < 0 || mem_out(c->p, entry + sizeof(struct msghdr_k), &len, sizeof len) < 0)
            return n ? (int64_t)n : r < 0 ? r : -LINUX_EFAULT;
        if (end && clock_now() >= end)
            return (int64_t)n + 1; /* the timeout passed: what came, as Linux */
    }
    return (int64_t)n;
}

static int64_t sys_sendmmsg(struct sys_ctx *c, uint64_t fd, uint64_t vec, uint64_t vlen, uint64_t flags)
{
    return mmsg(c, fd, vec, vlen, flags, true, 0);
}

static int64_t sys_recvmmsg(struct sys_ctx *c, uint64_t fd, uint64_t vec, uint64_t vlen, uint64_t flags,
                            uint64_t utimeout)
{
    struct { int64_t sec, nsec; } ts;
    if (utimeout && mem_in(c->p, &ts, utimeout, sizeof ts) < 0)
        return -LINUX_EFAULT;
    if (utimeout && (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000))
        return -LINUX_EINVAL; /* before the descriptor, as Linux */
    uint64_t end = utimeout ? clock_now() + (uint64_t)ts.sec * 1000000000u + (uint64_t)ts.nsec : 0;
    return mmsg(c, fd, vec, vlen, flags, false, utimeout ? (end ? end : 1) : 0);
}
