/*
 * personalities/linux/socket.h - AF_UNIX stream sockets.  A connected
 * socket is two pipes, one each way (file->pipe it reads, file->peer it
 * writes), whether socketpair or connect made it; each has a struct sock
 * with its names, its listening state and its options.
 *
 * Internet sockets have a struct sock too, with their own state hung from
 * it (inet.h): TCP uses all that is here, UDP its own file operations.
 *
 * Entry points: socket_io, socket_ino and socket_of (socket.c, whose
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

/*
 * A socket socket() made.  name: what bind gave it (namelen 0: none);
 * peer: the other end's name once connected.  A bound socket is on
 * socket.c's list of names until it closes; node is its socket node,
 * pinned (refs) while bound.  A listening one queues the connections
 * connect made until accept takes them.
 */
struct sock {
    uint64_t ino;
    struct sockaddr_k name, peer; /* their lengths 0: unnamed */
    uint32_t namelen, peerlen;
    struct inode *node;           /* a path name's socket node, pinned while bound */
    bool listening;
    int backlog;
    struct conn *queue;           /* oldest first */
    struct sock *next_bound;
    /* SOL_SOCKET options (sockopt.c): what setsockopt set, which getsockopt gives back */
    bool keepalive, reuseaddr, reuseport, linger_on;
    int linger;                   /* seconds */
    int rcvbuf, sndbuf;           /* as getsockopt says them: twice what was set */
    uint64_t rcvtimeo, sndtimeo;  /* ns; 0: none */
    struct inet_sock *inet;       /* AF_INET and AF_INET6 (inet.h); NULL for AF_UNIX */
    /* SO_PEERCRED (AF_UNIX): the peer's tgid, euid and egid when it connected, or when socketpair or
     * listen made this end; pid 0 and ids -1 (none) until then, as Linux */
    int32_t peercred[3];
    void *nl;                     /* AF_NETLINK's state (netlink.c) */
    int type;                     /* AF_UNIX: SOCK_DGRAM or SOCK_SEQPACKET; 0: a stream */
};

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
/* A read or write of total bytes in segs (one: the caller's, not freed)
 * on socket f, as pipe_move's how (MOVE_*) says. */
int64_t socket_io(struct sys_ctx *c, struct file *f, struct io_seg *segs, int nsegs, bool one, uint64_t total,
                  bool write, int how);
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
/* Hands a read's descriptors to p as a control message. */
void scm_deliver(struct proc *p, const struct scm *to, struct fd_batch *b);

#endif
