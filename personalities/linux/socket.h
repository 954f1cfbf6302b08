/*
 * personalities/linux/socket.h - AF_UNIX stream sockets.  A connected
 * socket is two pipes, one each way (file->pipe it reads, file->peer it
 * writes), whether socketpair or connect made it; each has a struct sock
 * with its names, its listening state and its options.
 *
 * Internet sockets have a struct sock too, with their own state hung from
 * it (inet.h): TCP uses all that is here, UDP its own file operations.
 *
 * Entry points: socket_io, socket_ino, socket_of and socket_connected (socket.c, whose
 * file operations the descriptor calls reach sockets through); sock_new,
 * socket_join, socket_stat, sockfs and socket_fops (for inet.c and udp.c);
 * fd_batch_free and scm_deliver (sockmsg.c).  Callers: sockmsg.c,
 * procfs, and pipe.c, which carries the descriptors passed with a
 * socket's bytes.
 *
 * Layer: a file type, above file.h and pipe.h.  Book: docs/linux.md,
 * "Files" and "Networking".
 */
#ifndef LINUX_SOCKET_H
#define LINUX_SOCKET_H
#include "file.h"
#include "pipe.h"
#include "netns.h"

/* What shutdown has done to a socket, in its shut bits: SHUT_RD + 1 and
 * SHUT_WR + 1, so that SHUT_RDWR + 1 is both. */
#define SHUT_READ (SHUT_RD + 1)
#define SHUT_WRITE (SHUT_WR + 1)

struct usock;

/*
 * A socket socket() made.  name: what bind gave it (namelen 0: none);
 * peer: the other end's name once connected.  A bound socket is on
 * socket.c's list of names until it closes; node is its socket node,
 * pinned (refs) while bound.  A listening one queues the connections
 * connect made until accept takes them.
 */
struct sock {
    uint64_t ino;
    uint32_t uid, gid;            /* its sockfs inode's owner: the maker's fsuid and fsgid (Linux's sock_alloc) */
    struct sockaddr_k name, peer; /* their lengths 0: unnamed */
    uint32_t namelen, peerlen;
    struct inode *node;           /* a path name's socket node, pinned while bound */
    bool listening;
    int backlog;
    struct conn *queue;           /* oldest first */
    struct sock *next_bound;
    /* SOL_SOCKET options (sockopt.c): what setsockopt set, which getsockopt gives back */
    bool keepalive, reuseaddr, reuseport, linger_on;
    uint32_t flagopts;            /* the on-off options kept alone, bit 1 << SO_*: SO_DEBUG, SO_OOBINLINE ... */
    int priority;                 /* SO_PRIORITY */
    int linger;                   /* seconds */
    int rcvbuf, sndbuf;           /* as getsockopt says them: twice what was set */
    int rcvlowat;                 /* SO_RCVLOWAT: what a stream's blocking receive waits for; 0: 1 */
    uint32_t tsflags, tsopts;     /* SO_TIMESTAMP*'s TS_* bits, SO_TIMESTAMPING's flags (tstamp.c) */
    int64_t stamp;                /* SIOCGSTAMP's: the last datagram's arrival, if TS_STAMPED */
    uint64_t rcvtimeo, sndtimeo;  /* ns; 0: none */
    struct inet_sock *inet;       /* AF_INET and AF_INET6 (inet.h); NULL for AF_UNIX */
    /* SO_PEERCRED (AF_UNIX): the peer's tgid, euid and egid when it connected, or when socketpair or
     * listen made this end; pid 0 and ids -1 (none) until then, as Linux */
    int32_t peercred[3];
    void *nl;                     /* AF_NETLINK's state (netlink.c) */
    int type;                     /* AF_UNIX: SOCK_DGRAM or SOCK_SEQPACKET; 0: a stream */
    struct usock *un;             /* AF_UNIX datagram and seqpacket sockets' state (unixmsg.c) */
    bool passcred;                /* SO_PASSCRED: receives say who sent (SCM_CREDENTIALS) */
    bool embryo;                  /* a connection's accepted end still on its listener's queue */
    struct file *file;            /* AF_UNIX: its file (not a reference), on unixctl.c's list by next_unix */
    struct sock *next_unix;
    int gc_inflight, gc;          /* unixctl.c's collection: references in queues; GC_* */
    struct bpf_prog *filter;      /* SO_ATTACH_BPF's program (bpf.c), referenced; NULL: none */
    struct ns *net;               /* its network namespace, its maker's, held (netns.h) */
    bool peek_set;                /* SO_PEEK_OFF was set: peek_off is Linux's sk_peek_off (else -1) */
    int32_t peek_off;
};
enum { GC_ROOT, GC_CANDIDATE, GC_LIVE, GC_SCANNED };

/*
 * A datagram or a seqpacket record on its receiver's queue: its bytes,
 * the sender's name and credentials, and the descriptors passed with it.
 * from is the sending socket while it is open (its send buffer counts
 * charge until the message is read).
 */
struct umsg {
    struct umsg *next;
    struct usock *from;
    struct sockaddr_k name;
    uint32_t namelen;
    struct ucred_k cred;
    struct fd_batch *fds;
    uint64_t len, charge;
    int64_t when;                 /* its arrival, on CLOCK_REALTIME (tstamp.c) */
    char data[];
};

/*
 * An AF_UNIX datagram or seqpacket socket's state, hung from its sock.
 * peer: a datagram socket's default destination (connect), a seqpacket
 * socket's other end; NULL once that closed.  Every one is on usocks.
 */
struct usock {
    struct sock *sock;
    struct file *file;            /* its file (not a reference) */
    int type;                     /* SOCK_DGRAM or SOCK_SEQPACKET */
    struct umsg *queue, **tail;   /* received, oldest first */
    int qlen, max_qlen;           /* max_qlen: net.unix.max_dgram_qlen when made; a sender waits past it */
    uint64_t wmem;                /* the charge of its messages not yet read, against SO_SNDBUF */
    struct usock *peer;
    bool connected;               /* seqpacket: it was (end of file once the peer is gone);
                                     datagram: connect named it, or another connected to it */
    bool refused;                 /* datagram: the peer closed; the next send says ECONNREFUSED */
    int shut;                     /* SHUT_READ and SHUT_WRITE */
    int err;                      /* pending, positive (SO_ERROR; ECONNRESET) */
    bool mark;                    /* unixctl.c's collection */
    struct usock *next;
};
extern struct usock *usocks;

/* A sendmsg's control messages: the descriptors passed, and the
 * credentials sent (SCM_CREDENTIALS, checked as Linux), if any. */
struct umsg_ctl {
    struct fd_batch *fds;
    struct ucred_k cred;
    bool has_cred;
};
/* Where a receive puts what comes with a message: the sender's name (a
 * user address and its length's address; 0: none), a recvmsg's msghdr (0:
 * none) and its control buffer; trunc is the receive's (the message did
 * not fit). */
struct umsg_to {
    uint64_t name, namelen, msg, control, controllen;
    bool cloexec, trunc;
};

/* unixmsg.c: the file operations, and the socket calls' work on these
 * sockets; umsg_accepted makes the accepted end of a seqpacket connection
 * from f to listener l (NULL without memory). */
extern const struct file_ops umsg_fops;
bool umsg_of(const struct file *f);
struct usock *umsg_new(int type, struct sock *k, struct file *f);
int64_t umsg_socket(struct sys_ctx *c, int type, int flags);
int64_t umsg_pair(struct sys_ctx *c, int type, int flags, uint64_t usv);
int64_t umsg_connect(struct sys_ctx *c, struct file *f, uint64_t fd, uint64_t uaddr, uint64_t addrlen);
struct file *umsg_accepted(struct file *f, struct sock *l);
bool umsg_connected(const struct file *f);
int64_t umsg_shutdown(struct file *f, int how);
int64_t umsg_send(struct sys_ctx *c, struct file *f, const struct io_seg *segs, int nsegs, uint64_t total,
                  uint64_t flags, uint64_t uaddr, uint64_t addrlen, struct umsg_ctl *ctl);
int64_t umsg_recv(struct sys_ctx *c, struct file *f, const struct io_seg *segs, int nsegs, uint64_t flags,
                  struct umsg_to *to);
/* unixctl.c: what a recvmsg gets with message m (credentials if k has
 * SO_PASSCRED, its descriptors: new ones for a peek), with its msghdr's
 * lengths and flags; -EFAULT.  A sendmsg's control messages into ctl. */
int64_t umsg_control(struct proc *p, struct sock *k, struct umsg *m, struct umsg_to *to, bool peek);
int64_t scm_parse(struct proc *p, uint64_t control, uint64_t len, struct umsg_ctl *ctl);
/* unixctl.c: every AF_UNIX socket, for /proc/net/unix (its text into out,
 * its whole length, as snprintf's) and the collection of the unreachable ones. */
void unix_register(struct sock *k, struct file *f);
const struct sock *unix_socks(void); /* linked by next_unix */
/* socket.c: the connections on listener k's queue. */
int socket_queued(const struct sock *k);
void unix_forget(struct sock *k);
size_t unix_proc_net(char *out, size_t size);
/* Frees the sockets only the queues of unreachable sockets hold; a socket
 * descriptor's close that leaves its file open asks for it (file.c), and
 * the server's loop runs it then (main.c). */
void unix_gc(void);
extern bool unix_gc_wanted;
/* unixctl.c: an AF_UNIX socket's /proc/PID/fdinfo line, the descriptors
 * passed to it and not yet received (Linux's scm_fds); nothing for
 * another family's. */
void unix_fdinfo(const struct file *f, void (*put)(const char *fmt, ...));
/* socket.c: the close of a socket's names, queue and sock (f's own state is gone). */
void socket_release(struct file *f);
/* Socket filters (bpf.c): SO_ATTACH_BPF of descriptor fd (a socket
 * filter program: else EBADF, EINVAL); SO_DETACH_FILTER (ENOENT if none);
 * the socket's end.  bpf_sock_filter: what k's filter keeps of a datagram
 * of n bytes, the first cap of them a header it keeps in any case
 * (proto: its ETH_P_* ethertype, or 0): the length, or UINT64_MAX to
 * drop it. */
struct bpf_prog;
int64_t bpf_sock_attach(struct proc *p, struct sock *k, int fd);
/* SO_ATTACH_FILTER: the classic program of the struct sock_fprog at uoptval. */
int64_t bpf_sock_attach_classic(struct proc *p, struct sock *k, uint64_t uoptval, int optlen);
int64_t bpf_sock_detach(struct sock *k);
void bpf_sock_release(struct sock *k);
uint64_t bpf_sock_filter(const struct sock *k, const uint8_t *data, uint64_t n, uint16_t proto, uint64_t cap);

/* Out-of-band data on a stream socket (streamoob.c): recv(MSG_OOB) into
 * segs (MSG_OOB, MSG_TRUNC into *msg_flags), SIOCATMARK, SIOCINQ's bytes,
 * and poll's POLLPRI (and the bytes POLLIN wants, *target, raised at a
 * TCP mark). */
int64_t oob_recv(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, uint64_t total, uint64_t flags,
                 int32_t *msg_flags);
/* What a splice out of TCP socket f may take: the bytes before its
 * urgent mark (0 at it, read or not, as tcp_read_sock), else SIZE_MAX. */
size_t oob_splice_span(const struct file *f);
int oob_atmark(const struct file *f);
size_t oob_inq(const struct file *f);
int oob_poll(const struct file *f, size_t *target);

uint64_t socket_ino(const struct file *f);
/* p's SO_PEERCRED triple, as Linux's init_peercred takes it. */
void sock_set_cred(struct sock *k, struct proc *p);
/* Linux's sockfs, where a socket's inode is, and a socket's fstat. */
extern struct fs sockfs;
void socket_stat(const struct file *f, struct linux_stat *st);
/* A new socket's state with the options' defaults; NULL without memory. */
struct sock *sock_new(void);
/* Queues a connection from unconnected stream socket f to listener l, as
 * connect does once it found l; 0 or -errno. */
int64_t socket_join(struct proc *p, struct file *f, struct sock *l);
/* The same, or (a full queue) a wait for an accept to make room, or
 * EAGAIN if f may not wait; fd is f's descriptor, found again then.
 * socket_join's p is the process connecting (the accepted end's SO_PEERCRED). */
int64_t socket_connect_to(struct sys_ctx *c, struct file *f, uint64_t fd, struct sock *l);
/* The file operations of connected and listening stream sockets. */
extern const struct file_ops socket_fops;
/* The socket behind descriptor fd, or NULL with *err EBADF or ENOTSOCK. */
struct file *socket_of(struct sys_ctx *c, uint64_t fd, int64_t *err);
/* Whether socket f has a peer: a connection, a UDP or AF_UNIX datagram socket's connect. */
bool socket_connected(struct file *f);
/* A read or write of total bytes in segs (one: the caller's, not freed)
 * on socket f, as pipe_move's how (MOVE_*) says. */
int64_t socket_io(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, bool one, uint64_t total,
                  bool write, int how);
/* Whether stream socket f may read (or write) now: SOCKET_MAY, or the
 * answer socket_io gives (with its SIGPIPE, unless how has MOVE_NOSIGNAL):
 * not connected, or shut that way (splice.c's moves ask it too). */
#define SOCKET_MAY INT64_MIN
int64_t socket_may_move(struct sys_ctx *c, struct file *f, bool write, int how);
/* A pipe move that ended with *r (sockmsg.c): for a stream's sendmmsg or
 * recvmmsg message, false if the call, still running, takes it on
 * (p->block.mmsg keeps it); else true, with *r the call's reply (for such
 * a message the count, its msg_len written; mmsg_count makes that). */
bool mmsg_reply(struct proc *p, int64_t *r);
int64_t mmsg_count(struct proc *p, int64_t r);
/* Writes a name out as getsockname, accept and recvfrom do: as much of
 * its len bytes as fit in the caller's length, and len itself. */
int64_t socket_put_name(struct proc *p, uint64_t uaddr, uint64_t ulen, const struct sockaddr_k *name, uint32_t len);

/* AF_UNIX names (unixname.c): a user's address, as Linux checks it
 * (EINVAL for a length out of range or another family); the socket of
 * type an address names (ENOENT and the like for a path not there,
 * ECONNREFUSED for nobody, EPROTOTYPE for a path of another type); a
 * socket's name given up (its close); a name of its own (a 0 and five
 * hex digits), if it has none. */
int64_t unix_addr_in(struct sys_ctx *c, uint64_t uaddr, uint64_t len, struct sockaddr_k *a);
int64_t unix_lookup(struct sys_ctx *c, struct sockaddr_k *a, uint32_t len, int type, struct sock **out);
void unix_unbind(struct sock *k);
void unix_autobind(struct sock *k);

/* Passed descriptors (sockmsg.c): a batch's files are put with it. */
void fd_batch_free(struct fd_batch *b);
/* A new batch of the same files (a peek's), each with a reference; NULL without memory. */
struct fd_batch *fd_batch_dup(const struct fd_batch *b);
/* What a recvmsg gets with its bytes, as control messages into to's
 * buffer: credentials (SCM_CREDENTIALS, if cred), then descriptors (b, if
 * any: new ones in p's table); its msghdr's length and flags (flags, and
 * MSG_CTRUNC for what did not fit).  Without a msghdr (a plain read) the
 * descriptors are dropped.  0 or -EFAULT. */
int64_t scm_deliver(struct proc *p, const struct scm *to, const struct ucred_k *cred, struct fd_batch *b,
                    int32_t flags);

#endif
