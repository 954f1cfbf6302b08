/*
 * personalities/linux/pipepriv.h - a pipe's ring and what is marked on
 * its stream of bytes, shared by pipe.c (the moves) and pipemark.c (the
 * marks: whose an AF_UNIX stream's bytes are, and where an O_DIRECT
 * pipe's packets end).  Positions are stream positions: rpos is the one
 * of the ring's head.  Not for other files: pipe.h is the pipe's API.
 * Entry points: struct pipe, pipemark.c's and pipesize.c's functions
 * below.  Callers: pipe.c, pipemark.c, pipesize.c.  Layer: a file type, with pipe.c.  Book: docs/linux.md, "Files".
 */
#ifndef LINUX_PIPEPRIV_H
#define LINUX_PIPEPRIV_H
#include "pipe.h"

/* The size of a packet's page: an O_DIRECT write goes in packets of at
 * most this, and each takes a page of the capacity, as a buffer of
 * Linux's pipe does whatever it holds. */
#define PACKET_MAX 4096

/* A stream socket's out-of-band byte (streamoob.c): TCP's urgent byte,
 * which stays in the stream at pos (a read skips it unless SO_OOBINLINE;
 * OOB_READ once recv(MSG_OOB) took it, its mark still there), or AF_UNIX's
 * (Linux 6.1's oob_skb: queued while its byte is in the ring; breaks:
 * where the bytes recv(MSG_OOB) took out were, Linux's consumed skbs,
 * which a read stops at). */
enum { OOB_NONE, OOB_VALID, OOB_READ };
struct pipe_oob {
    int state;
    uint64_t pos;
    uint8_t byte;
    bool queued;
    uint64_t *breaks;
    int nbreaks;
};

struct pipe {
    char *buf;
    size_t cap, head, len; /* the ring: cap bytes, len of them from head in use */
    size_t pad;            /* the capacity packets take beyond their bytes (a page each) */
    int readers, writers;
    struct inode *fifo; /* a named pipe's inode, or NULL */
    uint64_t w_counter; /* a FIFO's writer opens, ever */
    uint64_t ino;       /* an anonymous pipe's inode number, as pipefs's */
    uint32_t uid, gid;  /* an anonymous pipe's inode's owner (its maker's fsuid, fsgid) */
    int64_t atime, mtime, ctime; /* and its times (Linux's get_pipe_inode, pipe_read, pipe_write) */
    bool timed;         /* a pipe's or FIFO's: reads and writes set times (not a socket's) */
    uint32_t mnt_flags; /* a FIFO's: the mount of its last read or write, whose atime rule applies */
    int holders;        /* socket ends keeping it, whatever shutdown did to the counts */
    bool reset;         /* a socket's: its writer closed with data unread (ECONNRESET) */
    bool was_reset;     /* and it stays so once that was said */
    uint64_t rpos;      /* bytes read from it ever: the stream position of head */
    struct fd_batch *batches; /* a socket's: descriptors passed with its bytes, oldest first */
    struct cred_mark *marks, *marks_tail; /* an AF_UNIX stream's: whose its bytes are, oldest first */
    struct packet *packets, *packets_tail; /* an O_DIRECT writer's packets, oldest first */
    struct sock *reader;      /* an AF_UNIX stream's: the socket reading it */
    int busy;                 /* pipe_progress calls running on it: it is freed after the last one */
    struct proc *blocked;     /* the reads and writes waiting on it, oldest first */
    struct pipe_oob oob;      /* a stream socket's urgent byte (streamoob.c) */
    bool acct;                /* a pipe's or FIFO's: acct_pages charged to real user acct_uid (pipesize.c) */
    struct watchq *wq;        /* a notification pipe's queue (watchq.c); NULL for others */
    uint32_t acct_uid;
    size_t acct_pages;
};

/* The credentials an AF_UNIX stream's bytes from start to end carry
 * (Linux's per-skb UNIXCB creds): one mark per run of equal ones. */
struct cred_mark {
    uint64_t start, end;
    struct ucred_k cred;
    struct cred_mark *next;
};

/* A packet, the bytes from start to end that an O_DIRECT write put in
 * one buffer (Linux's PIPE_BUF_FLAG_PACKET): a read takes at most one,
 * and what it leaves of it goes. */
struct packet {
    uint64_t start, end;
    struct packet *next;
};

/* A new pipe's or FIFO's pages charged to cr's real user (pipesize.c):
 * 0, its capacity cut to 2 pages past pipe-user-pages-soft, or -ENFILE
 * past pipe-user-pages-hard; pipe_unaccount gives them back. */
int pipe_account(struct pipe *pp, const struct cred *cr);
void pipe_unaccount(struct pipe *pp);
/* Readers and writers blocked on pp look again (pipe.c). */
void pipe_progress(struct pipe *pp);

/* What the pipe's capacity has in use: its bytes, and the packets' pages. */
static inline size_t pipe_used(const struct pipe *pp) { return pp->len + pp->pad; }

/* Drops the marks of bytes before stream position pos (read); the mark
 * of the byte at pos, or NULL. */
struct cred_mark *mark_at(struct pipe *pp, uint64_t pos);
/* n bytes from stream position start carry cred. */
void mark_add(struct pipe *pp, uint64_t start, uint64_t n, const struct ucred_k *cred);
/* The bytes a write may put in now: what is free, or for packets (an
 * O_DIRECT writer) a whole page's room for each. */
size_t pipe_room_for(const struct pipe *pp, bool packets);
/* The n bytes just written from stream position start are packets, of
 * PACKET_MAX bytes but the last. */
void packets_add(struct pipe *pp, uint64_t start, size_t n);
/* A read of up to k bytes at the head stops at a packet's edge: the k it
 * may take, and whether they are a packet's (*in: the read ends there,
 * and packet_done drops the rest of it). */
size_t packet_limit(const struct pipe *pp, size_t k, bool *in);
/* The head's packet is read: its bytes left go, and its page is free. */
void packet_done(struct pipe *pp);
/* Bytes were taken from the head as bytes (splice): the packets they
 * ended go, and one they cut into starts at the head. */
void packets_taken(struct pipe *pp);
/* streamoob.c: a stream socket's read of pp, done bytes taken so far: it
 * ends at a mark if it took any (false); else what its head passes over
 * (taken out, or for a peek *skip bytes) and how far it may read
 * (*limit); oob_after_read: k bytes taken (or looked at). */
bool oob_before_read(struct pipe *pp, bool peek, uint64_t done, size_t *skip, size_t *limit);
void oob_after_read(struct pipe *pp, size_t k, bool peek);
/* A MSG_OOB write ended: its last byte is the urgent one. */
void oob_mark(struct pipe *pp);
void oob_free(struct pipe *pp);
/* Every mark and packet goes (the pipe is freed). */
void marks_free(struct pipe *pp);
#endif
