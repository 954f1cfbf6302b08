/*
 * personalities/linux/unixctl.c - what AF_UNIX sockets keep of each
 * other: the control messages a datagram or seqpacket receive hands out
 * (SCM_CREDENTIALS when the receiver asked with SO_PASSCRED, then the
 * descriptors passed, SCM_RIGHTS: new ones for a MSG_PEEK, the message
 * keeping its own); the list of every AF_UNIX socket, which
 * /proc/net/unix shows as Linux's does (a connection not yet accepted as
 * connecting); and the descriptors in flight: sockets only reachable from the queues of sockets nobody holds (a socket sent over
 * itself, a cycle of sockets each in the other's queue) are collected
 * when a socket closes, as Linux's unix_gc.
 *
 * Entry points: socket.h (umsg_control, unix_register, unix_forget,
 * unix_proc_net, unix_gc).  Callers: unixmsg.c, socket.c,
 * sockmsg.c, netdev.c.  Layer: a file type, with socket.c.  Book:
 * docs/linux.md, "Networking".
 */
#include "proc.h"
#include "socket.h"
#include "tstamp.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a receive's control messages ---- */

int64_t umsg_control(struct proc *p, struct sock *k, struct umsg *m, struct umsg_to *to, bool peek)
{
    uint32_t zero = 0;
    struct fd_batch *b = m->fds;
    if (b && peek) /* new descriptors for the same files; the message keeps its own */
        b = fd_batch_dup(b);
    else
        m->fds = NULL;
    /* the times SO_TIMESTAMP* asked for come first, as unix_dgram_recvmsg's */
    int32_t tflags = 0;
    int64_t used = tstamp_cmsgs(p, k, m->when, to->control, to->controllen, &tflags);
    struct scm scm = {.msg = to->msg, .control = to->control + (used > 0 ? (uint64_t)used : 0),
                      .controllen = to->controllen - (used > 0 ? (uint64_t)used : 0), .cloexec = to->cloexec};
    if (used < 0 || scm_deliver(p, &scm, k->passcred ? &m->cred : NULL, b, (to->trunc ? MSG_TRUNC : 0) | tflags) < 0 ||
        (!to->name && mem_out(p, to->msg + offsetof(struct msghdr_k, namelen), &zero, sizeof zero) < 0))
        return -LINUX_EFAULT;
    uint64_t len, at = to->msg + offsetof(struct msghdr_k, controllen);
    if (used > 0 && (mem_in(p, &len, at, sizeof len) < 0 || (len += (uint64_t)used, mem_out(p, at, &len, sizeof len) < 0)))
        return -LINUX_EFAULT; /* the times' bytes too */
    return 0;
}

/* ---- every AF_UNIX socket: /proc/net/unix ---- */

static struct sock *all; /* linked by next_unix */

const struct sock *unix_socks(void) { return all; }

void unix_register(struct sock *k, struct file *f)
{
    k->file = f;
    k->next_unix = all;
    all = k;
}

void unix_forget(struct sock *k)
{
    for (struct sock **pk = &all; *pk; pk = &(*pk)->next_unix)
        if (*pk == k) {
            *pk = k->next_unix;
            return;
        }
}

/* Linux's sk_refcnt as /proc/net/unix shows it: the socket's own two, and
 * one for each socket whose peer it is. */
static int refcount(const struct sock *k)
{
    int n = 2;
    if (!k->un)
        return n + (k->file && k->file->pipe ? 1 : 0);
    for (struct usock *o = usocks; o; o = o->next)
        n += o->peer == k->un;
    return n;
}

size_t unix_proc_net(char *out, size_t size)
{
    size_t n = (size_t)snprintf(out, size, "Num       RefCount Protocol Flags    Type St Inode Path\n");
    char line[64 + sizeof ((struct sock *)0)->name.path];
    for (struct sock *k = all; k; k = k->next_unix) {
        bool connected = k->un ? k->un->connected : k->file && k->file->pipe;
        if (netns_of(k->net) != netns_of(netns_here()))
            continue; /* the reader's namespace's sockets alone */
        /* a connection still on its listener's queue is connecting, and has no inode yet, as Linux's */
        size_t w = (size_t)snprintf(line, sizeof line, "%016x: %08X %08X %08X %04X %02X %5lu", 0, refcount(k), 0,
                                    k->listening ? 0x10000 : 0, k->type ? k->type : SOCK_STREAM,
                                    k->embryo ? 2 : connected ? 3 : 1, k->embryo ? 0ul : (unsigned long)k->ino);
        if (k->namelen > SOCKADDR_UN_MIN) {
            uint32_t len = k->namelen - (uint32_t)SOCKADDR_UN_MIN;
            const char *path = k->name.path;
            if (path[0]) /* a path's length counts its 0; an abstract name's NULs show as '@' */
                len = (uint32_t)strnlen(path, len);
            line[w++] = ' ';
            for (uint32_t i = 0; i < len && w + 2 < sizeof line; i++)
                line[w++] = path[i] ? path[i] : '@';
        }
        line[w++] = '\n';
        if (n + w < size)
            memcpy(out + n, line, w);
        n += w; /* the whole length, as snprintf's, when it does not fit */
    }
    if (n < size)
        out[n] = 0;
    return n;
}

/* ---- the collection of sockets only the queues hold ---- */

bool unix_gc_wanted;

/* The AF_UNIX socket file f is, or NULL. */
static struct sock *unix_sock_of(const struct file *f)
{
    return f->kind == FILE_SOCKET && f->sock && f->sock->file == f ? f->sock : NULL;
}

/* Calls fn on each batch of descriptors in k's receive queue. */
static void each_batch(struct sock *k, void (*fn)(struct fd_batch *b))
{
    if (k->un) {
        for (struct umsg *m = k->un->queue; m; m = m->next)
            if (m->fds)
                fn(m->fds);
    } else if (k->file->pipe) {
        for (struct fd_batch *b = pipe_batches(k->file->pipe); b; b = b->next)
            fn(b);
    }
}

static void count_inflight(struct fd_batch *b)
{
    for (int i = 0; i < b->n; i++) {
        struct sock *s = unix_sock_of(b->files[i]);
        if (s)
            s->gc_inflight++;
    }
}

static unsigned scm_fds;

static void count_scm(struct fd_batch *b) { scm_fds += (unsigned)b->n; }

void unix_fdinfo(const struct file *f, void (*put)(const char *fmt, ...))
{
    struct sock *k = unix_sock_of(f);
    if (!k)
        return;
    scm_fds = 0;
    each_batch(k, count_scm);
    put("scm_fds: %u\n", scm_fds);
}

static bool marked; /* the mark phase found another live socket */

static void mark_live(struct fd_batch *b)
{
    for (int i = 0; i < b->n; i++) {
        struct sock *s = unix_sock_of(b->files[i]);
        if (s && s->gc == GC_CANDIDATE)
            s->gc = GC_LIVE, marked = true;
    }
}

static struct fd_batch *garbage; /* the batches taken from the queues of unreachable sockets */

static void take_batch(struct fd_batch *b)
{
    struct fd_batch *copy = calloc(1, sizeof *b + (size_t)b->n * sizeof(struct file *));
    if (!copy)
        return; /* kept where it is: the next collection tries again */
    memcpy(copy->files, b->files, (size_t)b->n * sizeof(struct file *));
    copy->n = b->n, b->n = 0; /* the queue's batch is empty now, its files the copy's */
    copy->uid = b->uid, copy->charged = b->charged, b->charged = 0;
    copy->next = garbage;
    garbage = copy;
}

/*
 * Linux's unix_gc: a socket every reference of which is in the queues of
 * sockets (refs == gc_inflight) is a candidate; those reachable from a
 * socket that is not one are live; the others hold one another only, and
 * their queues' descriptors are dropped, which frees them.
 */
void unix_gc(void)
{
    static bool running;
    unix_gc_wanted = false;
    if (running)
        return;
    running = true;
    for (struct sock *k = all; k; k = k->next_unix)
        k->gc_inflight = 0, k->gc = GC_ROOT;
    for (struct sock *k = all; k; k = k->next_unix)
        each_batch(k, count_inflight);
    for (struct sock *k = all; k; k = k->next_unix)
        if (k->gc_inflight && k->gc_inflight == k->file->refs)
            k->gc = GC_CANDIDATE;
    do { /* what a root or a live socket's queue holds is live */
        marked = false;
        for (struct sock *k = all; k; k = k->next_unix)
            if (k->gc == GC_ROOT || k->gc == GC_LIVE) {
                each_batch(k, mark_live);
                if (k->gc == GC_LIVE)
                    k->gc = GC_SCANNED;
            }
    } while (marked);
    for (struct sock *k = all; k; k = k->next_unix)
        if (k->gc == GC_CANDIDATE)
            each_batch(k, take_batch);
    while (garbage) { /* the files go now, and with them the sockets */
        struct fd_batch *b = garbage;
        garbage = b->next;
        fd_batch_free(b);
    }
    running = false;
}
