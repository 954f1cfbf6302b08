/*
 * personalities/linux/pipe.h - pipes, FIFOs, and the pipe under each way
 * of a connected socket.  A read from an empty pipe or a write to a full
 * one keeps the caller's reply token (struct blocked_io, in its proc) and
 * finishes when the other side moves.
 *
 * Entry points: fifo_open (open of a FIFO node: its file has pipe.c's
 * file operations, as a pipe's does), pipe_cancel and pipe_moved (signals
 * end a blocked call), pipe_ino (/proc/<pid>/fd), and for sockets
 * pipe_new, pipe_move, pipe_drop and the state queries.
 *
 * Layer: a file type, above file.h.  Book: docs/linux.md, "Files".
 */
#ifndef LINUX_PIPE_H
#define LINUX_PIPE_H
#include "file.h"

struct sock;

/*
 * Descriptors passed with a socket's bytes (SCM_RIGHTS): the read that
 * takes the first byte of their message gets them, and stops at its end.
 * A batch holds a reference on each of its files.
 */
struct fd_batch {
    uint64_t start, end;  /* the message, in stream positions */
    uint32_t uid;         /* the sender's user, charged with the descriptors in flight */
    int charged;          /* how many (0: a peek's copy, or delivered) */
    int n;
    struct fd_batch *next;
    struct file *files[];
};
/* struct ucred (SCM_CREDENTIALS, SO_PEERCRED). */
struct ucred_k {
    int32_t pid;
    uint32_t uid, gid;
};
#define OVERFLOW_ID 65534 /* the id a receiver sees for none (Linux's overflowuid and overflowgid) */
/* A sendmsg's descriptors and the credentials its bytes carry (an AF_UNIX
 * stream's write: has_cred), or where a recvmsg puts what comes (its
 * msghdr and control buffer; msg 0: a plain read, which drops them). */
struct scm {
    struct fd_batch *send;
    uint64_t msg, control, controllen;
    bool cloexec;         /* MSG_CMSG_CLOEXEC */
    bool has_cred;
    struct ucred_k cred;
};

/*
 * A read or write waiting on a pipe, or a FIFO's open waiting for the
 * other end: a proc's, while pipe is set.  It is on the pipe's list of
 * blocked calls (listed) until it finishes or is cancelled.
 */
/* A stream's sendmmsg or recvmmsg message that moves through a pipe:
 * where its msg_len goes (0: not one), the messages before it; held
 * while the call runs on (the result kept in got, ended set), else the
 * reply says the count. */
struct mmsg_state {
    uint64_t len_at, n;
    bool held, ended;
    int64_t got;
};

struct blocked_io {
    struct pipe *pipe;    /* NULL: not blocked */
    bool writer;
    struct io_seg one;    /* a plain read's or write's buffer */
    struct io_seg *segs;  /* &one, or readv/writev's (malloc'd, freed at the end) */
    int nsegs;
    uint64_t len, done;   /* bytes in all the segments; moved so far (writes, MSG_WAITALL reads) */
    bool nosignal;        /* MSG_NOSIGNAL: EPIPE without SIGPIPE */
    bool peek;            /* MSG_PEEK: the data stays in the pipe */
    bool waitall;         /* MSG_WAITALL: a read that goes on until len */
    uint64_t lowat;       /* a blocking stream socket's read: the bytes it waits for (SO_RCVLOWAT) */
    struct scm scm;       /* a write's descriptors, until its first byte is in */
    struct fd_batch *got; /* a read's, taken with its bytes */
    bool passcred;        /* a read of a socket with SO_PASSCRED: it stops where the credentials change */
    bool packets;         /* a write of an O_DIRECT pipe's: its bytes go in packets */
    bool oob;             /* a stream socket's send(MSG_OOB): its last byte is urgent (streamoob.c) */
    bool got_cred;        /* and it has taken bytes (or the end) with cred */
    struct ucred_k cred;
    struct proc *next;    /* the pipe's list of blocked reads and writes, oldest first */
    bool listed;          /* on it */
    uint64_t token;
    uint64_t deadline;    /* a socket's SO_RCVTIMEO or SO_SNDTIMEO (clock_ns; 0: none): wait.c ends the
                             call then, with EAGAIN or what it moved */
    struct mmsg_state mmsg; /* a sendmmsg's or recvmmsg's message (sockmsg.c's mmsg_reply) */
    struct file *opening; /* a FIFO's open waiting for the other end, as fd */
    int fd;
};

/* An anonymous pipe's inode number (fstat, /proc/<pid>/fd). */
uint64_t pipe_ino(const struct file *f);
/* Opens FIFO ino: a read-only or write-only open waits for the other end
 * unless O_NONBLOCK; the descriptor, or -errno. */
int64_t fifo_open(struct sys_ctx *c, struct inode *ino, int flags);
/* Takes p off the pipe it waits on; true and its reply token if it did. */
bool pipe_cancel(struct proc *p, uint64_t *token);
/* What a blocked pipe write (or MSG_WAITALL read) has moved so far (0 if
 * none): a signal ends it with that count, as Linux, rather than
 * restarting it. */
int64_t pipe_moved(struct proc *p);

/* The pipe itself, for sockets (socket.c): a pipe with readers and writers
 * counted; a move on it, which waits (holding the reply) unless
 * MOVE_NONBLOCK, with segs owned by the caller if one, freed here if not. */
struct pipe *pipe_new(int readers, int writers, int holders);
void pipe_drop(struct pipe *pp, int readers, int writers);
void pipe_unhold(struct pipe *pp); /* one holder less: freed with the last of everything */
int pipe_ends(const struct pipe *pp, bool writers);
/* An AF_UNIX stream's pipe: the socket reading it (NULL: none now), whose
 * SO_PASSCRED decides whether its writes carry credentials. */
void pipe_set_reader(struct pipe *pp, struct sock *k);
struct sock *pipe_reader(const struct pipe *pp);
/* A connection reset (socket.c): the end writing pp closed abortively, so
 * the reader gets ECONNRESET once, after the data, then end of file.
 * pipe_take_reset returns it (or 0) and clears it. */
void pipe_set_reset(struct pipe *pp);
bool pipe_reset_pending(const struct pipe *pp);
bool pipe_was_reset(const struct pipe *pp); /* pending or said */
int64_t pipe_take_reset(struct pipe *pp);
bool pipe_has_data(const struct pipe *pp);
bool pipe_has_room(const struct pipe *pp);
/* Moves inside the server (splice.c): what the pipe holds and has room
 * for; up to n bytes taken from skip bytes past its start into buf (NULL:
 * dropped), left there if peek; up to n bytes put in.  Each wakes the
 * calls blocked on the other side. */
size_t pipe_len(const struct pipe *pp);
/* The descriptors passed in a socket's pipe, oldest first (unixctl.c). */
struct fd_batch *pipe_batches(const struct pipe *pp);
size_t pipe_room(const struct pipe *pp);
size_t pipe_kread(struct pipe *pp, char *buf, size_t n, size_t skip, bool peek);
size_t pipe_kwrite(struct pipe *pp, const char *buf, size_t n);
/* What a stream socket's read may take from pp now, from *skip bytes
 * past its head: up to its urgent byte's mark (what the head passes over
 * first is taken out, or skipped for a peek: streamoob.c). */
size_t pipe_read_span(struct pipe *pp, bool peek, size_t *skip);
/* fcntl's F_GETPIPE_SZ and F_SETPIPE_SZ on f (EBADF if it is no pipe). */
int64_t pipe_fcntl_size(struct file *f, int cmd, uint64_t arg);
/* splice.c's move of a file's data, from *pos, into pipe file out (which
 * sendfile uses): bytes moved, -errno, or 0 with the call waiting. */
int64_t splice_to_pipe(struct sys_ctx *c, struct file *in, uint64_t *pos, struct file *out, uint64_t len,
                       bool nonblock);
/* A blocking move into a stream socket that runs again after its wait
 * for room (sendfile, splice): what the runs before moved, for the call
 * with these arguments (key), taken (0: none); a wait for room in f (or
 * the wait the call is in) carrying done so far.  splice_carried: what a
 * waiting call moved, taken, which a signal ends it with (signal.c). */
uint64_t splice_carry_take(struct proc *p, const uint64_t key[4]);
int64_t splice_carry_wait(struct sys_ctx *c, const uint64_t key[4], uint64_t done, struct file *f);
int64_t splice_carried(struct proc *p);
/* The same into a UDP socket: one datagram of up to len bytes (64 KiB at
 * most: Linux's MSG_MORE corks the pieces into one). */
int64_t splice_to_dgram(struct sys_ctx *c, struct file *in, uint64_t *pos, struct file *out, uint64_t len);
#define MOVE_NONBLOCK 1
#define MOVE_NOSIGNAL 2
#define MOVE_PEEK 4 /* a read that leaves the data where it is (MSG_PEEK) */
#define MOVE_WAITALL 8 /* a read that waits for all it asked, unless the end or a signal comes (MSG_WAITALL) */
#define MOVE_PASSCRED 16 /* a read that says whose bytes it took (SO_PASSCRED), and takes one writer's only */
#define MOVE_PACKET 32   /* a write in packets (an O_DIRECT pipe's: pipemark.c) */
#define MOVE_OOB 64      /* a stream socket's write whose last byte is urgent (MSG_OOB) */
#define PIPE_ATOMIC 4096 /* PIPE_BUF: a write of at most this many bytes goes whole, never split */
int64_t pipe_move(struct sys_ctx *c, struct pipe *pp, struct io_seg *segs, int nsegs, bool one, uint64_t total,
                  bool write, int how);

#endif
