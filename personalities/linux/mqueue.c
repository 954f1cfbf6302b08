/*
 * personalities/linux/mqueue.c - POSIX message queues: mq_open,
 * mq_unlink, mq_timedsend, mq_timedreceive, mq_notify, mq_getsetattr.  A
 * queue has a name in one flat namespace (Linux's mqueue file system,
 * not mounted here), an unnamed inode of its own for the owner, the mode
 * (checked as a file's: fs_permission), fstat and fchmod, and its
 * messages, highest priority first and in order within one.  Its
 * descriptors are files (FILE_MQUEUE) that poll (POLLIN with a message,
 * POLLOUT with room) and read as Linux's status line.  A sender with no
 * room and a receiver with nothing to take wait (WAIT_MQUEUE, retried
 * oldest first at every change) unless O_NONBLOCK, until an absolute
 * CLOCK_REALTIME deadline (ETIMEDOUT); a signal restarts them under
 * SA_RESTART, as Linux's ERESTARTSYS.  mq_notify registers one process
 * for a signal when a message comes to an empty queue nobody waits on,
 * or (SIGEV_THREAD, as C libraries do it) for a netlink socket to get
 * the caller's 32-byte cookie, its last byte NOTIFY_WOKENUP then, or
 * NOTIFY_REMOVED when the registration is taken back, or when its
 * process closes a descriptor of the queue (mq_closing).
 * The queue goes when it has no name and no descriptor.
 *
 * Entry points: the calls, mq_closing (the closes).  Layer: above proc.h and file.h.  Book:
 * docs/linux.md, "Inter-process communication".
 */
#include "netlink.h"
#include "sysctl.h"
#include "sysvipc.h"
#include "proc.h"
#include "userns.h"
#include "pidns.h"
#include "time.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux_entries/mqueue.h" /* generated: the handlers' prototypes, entries */

/* /proc/sys/fs/mqueue's defaults, and the hard limits for CAP_SYS_RESOURCE */
enum { HARD_MSGMAX = 65536, HARD_MSGSIZEMAX = 1 << 24 };
#define MQ_NAME_MAX 255
#define MQ_FILENT_SIZE 80 /* a queue's st_size: its status line's length */
enum { NOTIFY_COOKIE_LEN = 32, NOTIFY_WOKENUP = 1, NOTIFY_REMOVED = 2 }; /* linux/mqueue.h */

struct mq_attr_k {
    int64_t flags, maxmsg, msgsize, curmsgs, reserved[4];
};

struct mq_msg {
    struct mq_msg *next;
    uint32_t prio;
    size_t len;
    char data[];
};

struct mqueue {
    struct mqueue *next;
    char name[MQ_NAME_MAX + 1];
    bool linked;            /* has its name */
    struct ipc_ns *ns;      /* the IPC namespace its name is in (counted there); NULL once that is gone */
    struct inode *ino;      /* mode and owner; a reference for the name and one for each open file */
    int64_t maxmsg, msgsize, curmsgs;
    uint64_t qsize;         /* the bytes of its messages */
    uint32_t uid;           /* its creator's real user, charged bytes (RLIMIT_MSGQUEUE) */
    uint64_t bytes;
    struct mq_msg *head;
    int notify_pid;         /* the process mq_notify registered (its tgid), 0 for none */
    int notify_kind, notify_signo;
    uint64_t notify_value;
    struct file *notify_sock; /* SIGEV_THREAD's netlink socket (a reference), else NULL */
    uint8_t notify_cookie[NOTIFY_COOKIE_LEN];
};

static struct mqueue *queues;
static struct fs mqueuefs = {.type = "mqueue", .dev = DEV_ANONFS, .magic = MQUEUE_MAGIC, .iops = &tmpfs_iops};

struct mq_waiter {
    struct ipc_waiter w; /* what: 1 to send */
    uint64_t ubuf, uprio;
    struct mq_msg *m;    /* a sender's message, in the record */
};

static struct mqueue *queue_of(const struct file *f)
{
    for (struct mqueue *q = queues; q && f->kind == FILE_MQUEUE; q = q->next)
        if (q->ino == f->inode)
            return q;
    return NULL;
}

/* A SIGEV_THREAD registration ends: its cookie, the last byte how, goes
 * to its netlink socket as a datagram from the kernel (Linux's
 * netlink_sendskb), which lets the socket go. */
int mq_notifiers;

/* q's registration goes to process pid (0: none), the count of queues
 * with one (mq_notifiers, what a close looks at) kept. */
static void notify_owner(struct mqueue *q, int pid)
{
    mq_notifiers += (pid != 0) - (q->notify_pid != 0);
    q->notify_pid = pid;
}

static void notify_sock_send(struct mqueue *q, uint8_t how)
{
    if (!q->notify_sock)
        return;
    q->notify_cookie[NOTIFY_COOKIE_LEN - 1] = how;
    nl_deliver(q->notify_sock, q->notify_cookie, NOTIFY_COOKIE_LEN);
    file_put(q->notify_sock);
    q->notify_sock = NULL;
}

static void queue_free(struct mqueue *q)
{
    /* a waiter whose descriptor another thread closed: Linux's call holds the file, this one ends */
    ipc_wake_all(q, -LINUX_EBADF);
    for (struct mqueue **pq = &queues; *pq; pq = &(*pq)->next)
        if (*pq == q) {
            *pq = q->next;
            break;
        }
    for (struct mq_msg *m = q->head, *n; m; m = n)
        n = m->next, free(m);
    ucount_uncharge(q->uid, UCOUNT_MSGQUEUE, q->bytes);
    if (q->ns) /* queues_max counts a queue until it goes, named or not (Linux's mqueue_evict_inode) */
        q->ns->mq_count--;
    if (q->notify_sock)
        file_put(q->notify_sock);
    notify_owner(q, 0);
    free(q);
}

/* A name as Linux's lookup in the mqueue root takes it: 0, or -errno. */
static int take_name(struct sys_ctx *c, uint64_t uname, char *name)
{
    char buf[PATH_MAX_LEN];
    int n = mem_str(c->p, uname, buf, sizeof buf);
    if (n < 0)
        return n;
    if (n == 0)
        return -LINUX_ENOENT;
    if (strchr(buf, '/') || !strcmp(buf, ".") || !strcmp(buf, ".."))
        return -LINUX_EACCES;
    if (n > MQ_NAME_MAX)
        return -LINUX_ENAMETOOLONG;
    memcpy(name, buf, (size_t)n + 1);
    return 0;
}

static struct mqueue *find(const char *name)
{
    for (struct mqueue *q = queues; q; q = q->next)
        if (q->linked && q->ns == ipc_cur && !strcmp(q->name, name))
            return q;
    return NULL;
}

/* ---- the descriptor ---- */

static int64_t mq_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    struct mqueue *q = queue_of(f);
    char text[MQ_FILENT_SIZE + 1];
    snprintf(text, sizeof text, "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", (unsigned long)q->qsize,
             q->notify_pid ? q->notify_kind : 0, q->notify_pid && q->notify_kind == SIGEV_SIGNAL ? q->notify_signo : 0,
             pidns_vpid(c->p, q->notify_pid)); /* the reader's view (pid_vnr) */
    size_t n = strlen(text), off = f->pos < n ? (size_t)f->pos : n;
    len = len < n - off ? len : n - off;
    if (mem_out(c->p, ubuf, text + off, len) < 0)
        return -LINUX_EFAULT;
    f->pos += len;
    return (int64_t)len;
}

static int mq_poll(struct file *f)
{
    struct mqueue *q = queue_of(f);
    return (q->curmsgs ? POLLIN : 0) | (q->curmsgs < q->maxmsg ? POLLOUT : 0);
}

static void mq_release(struct file *f)
{
    struct mqueue *q = queue_of(f);
    if (q && !q->linked && !q->ino->refs) /* file_put let its inode go: the last descriptor of an unlinked queue */
        queue_free(q);
}

static const struct file_ops mq_fops = {.read = mq_read, .poll = mq_poll, .release = mq_release, .fs = &mqueuefs};

/* ---- opening and unlinking ---- */

static int64_t check_attr(struct sys_ctx *c, const struct mq_attr_k *a)
{
    if (a->maxmsg <= 0 || a->msgsize <= 0)
        return -LINUX_EINVAL;
    bool cap = cred_capable(&c->p->cred, CAP_SYS_RESOURCE);
    if (a->maxmsg > (cap ? HARD_MSGMAX : sysctl_mq_msg_max) || a->msgsize > (cap ? HARD_MSGSIZEMAX : sysctl_mq_msgsize_max))
        return -LINUX_EINVAL;
    return 0;
}

static struct mqueue *create(struct sys_ctx *c, const char *name, uint32_t mode, const struct mq_attr_k *a,
                             int64_t *err)
{
    *err = ipc_cur->mq_count >= sysctl_mq_queues_max && !cred_capable(&c->p->cred, CAP_SYS_RESOURCE) ? -LINUX_ENOSPC : 0;
    if (!*err && a) /* the count first, as Linux's mqueue_create_attr, then mqueue_get_inode's checks */
        *err = check_attr(c, a);
    struct mqueue *q = *err ? NULL : calloc(1, sizeof *q);
    if (!*err && (!q || !(q->ino = fs_new_unnamed(&mqueuefs, S_IFREG | (mode & ~c->p->umask & 0777))))) {
        free(q);
        *err = -LINUX_ENOMEM;
        return NULL;
    }
    if (*err)
        return NULL;
    q->ino->uid = c->p->cred.fsuid, q->ino->gid = c->p->cred.fsgid;
    q->ino->size = MQ_FILENT_SIZE;
    strcpy(q->name, name);
    q->linked = true;
    q->maxmsg = a ? a->maxmsg : (sysctl_mq_msg_default < sysctl_mq_msg_max ? sysctl_mq_msg_default : sysctl_mq_msg_max); /* Linux's defaults */
    q->msgsize = a ? a->msgsize : (sysctl_mq_msgsize_default < sysctl_mq_msgsize_max ? sysctl_mq_msgsize_default
                                                                                : sysctl_mq_msgsize_max);
    /* Linux's mqueue_get_inode charges the most the queue may pin: a
     * struct msg_msg (48 bytes on x86-64) a message, a posix_msg_tree_node
     * (48) a priority it may use, and the messages' bytes */
    uint64_t n = (uint64_t)q->maxmsg, tree = n * 48 + (n < MQ_PRIO_MAX ? n : MQ_PRIO_MAX) * 48;
    q->uid = c->p->cred.uid, q->bytes = n * (uint64_t)q->msgsize + tree;
    bool wraps = (uint64_t)q->msgsize > UINT64_MAX / n || q->bytes < tree;
    if (wraps || !ucount_charge(q->uid, UCOUNT_MSGQUEUE, q->bytes, proc_group(c->p)->rlim[RLIMIT_MSGQUEUE][0])) {
        *err = wraps ? -LINUX_EOVERFLOW : -LINUX_EMFILE;
        q->ino->refs = 0; /* the name's reference, never given */
        fs_release(q->ino);
        free(q);
        return NULL;
    }
    q->next = queues, queues = q;
    q->ns = ipc_cur;
    ipc_cur->mq_count++;
    return q;
}

static int64_t sys_mq_open(struct sys_ctx *c, uint64_t uname, int oflag, uint32_t mode, uint64_t uattr)
{
    struct mq_attr_k a;
    char name[MQ_NAME_MAX + 1];
    if (uattr && mem_in(c->p, &a, uattr, sizeof a) < 0)
        return -LINUX_EFAULT;
    int64_t r = take_name(c, uname, name);
    if (r < 0 || (r = fd_unused(c->p)) < 0) /* no descriptor free: no queue made */
        return r;
    struct mqueue *q = find(name);
    if (!q) {
        if (!(oflag & O_CREAT))
            return -LINUX_ENOENT;
        if (!(q = create(c, name, mode, uattr ? &a : NULL, &r)))
            return r;
    } else if ((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
        return -LINUX_EEXIST;
    } else if ((oflag & O_ACCMODE) == O_ACCMODE) {
        return -LINUX_EINVAL;
    } else {
        static const int acc[] = {MAY_READ, MAY_WRITE, MAY_READ | MAY_WRITE};
        if ((r = fs_permission(q->ino, acc[oflag & O_ACCMODE])) < 0)
            return r;
    }
    struct file *f = calloc(1, sizeof *f);
    if (!f)
        return -LINUX_ENOMEM;
    *f = (struct file){.ops = &mq_fops, .kind = FILE_MQUEUE, .inode = q->ino, .flags = oflag & (O_ACCMODE | O_NONBLOCK),
                       .refs = 1};
    q->ino->refs++;
    int fd = fd_alloc(c->p, 0, f, true); /* always close-on-exec, as Linux's */
    if (fd < 0)
        file_put(f);
    return fd;
}

/* q's name goes, and q with it unless it is open. */
static void unlink_queue(struct mqueue *q)
{
    q->linked = false;
    if (--q->ino->refs == 0) {
        fs_release(q->ino);
        queue_free(q);
    }
}
static int64_t sys_mq_unlink(struct sys_ctx *c, uint64_t uname)
{
    char name[MQ_NAME_MAX + 1];
    int64_t r = take_name(c, uname, name);
    if (r < 0)
        return r;
    struct mqueue *q = find(name);
    if (!q)
        return -LINUX_ENOENT;
    if (!fs_owner(q->ino))
        return -LINUX_EACCES; /* what the host's Linux says to anyone else */
    unlink_queue(q);
    return 0;
}

void mq_ns_free(struct ipc_ns *n)
{
    for (struct mqueue *q = queues, *next; q; q = next) {
        next = q->next;
        if (q->ns != n)
            continue;
        q->ns = NULL; /* an open one lives on, with no name */
        if (q->linked)
            unlink_queue(q);
    }
}

/* ---- messages ---- */

static void insert(struct mqueue *q, struct mq_msg *m)
{
    struct mq_msg **pm = &q->head;
    while (*pm && (*pm)->prio >= m->prio)
        pm = &(*pm)->next;
    m->next = *pm, *pm = m;
    q->curmsgs++, q->qsize += m->len;
}

/* Hands the first message to p's buffers: its length, or -EFAULT. */
static int64_t take(struct mqueue *q, struct proc *p, uint64_t ubuf, uint64_t uprio)
{
    struct mq_msg *m = q->head;
    q->head = m->next;
    q->curmsgs--, q->qsize -= m->len;
    int64_t r = (uprio && mem_out(p, uprio, &m->prio, sizeof m->prio) < 0) || mem_out(p, ubuf, m->data, m->len) < 0
                    ? -LINUX_EFAULT
                    : (int64_t)m->len;
    free(m);
    return r;
}

/* A waiter on q, again: a sender's message goes in if there is room now. */
static int64_t mq_attempt(void *obj, struct proc *p, struct ipc_waiter *iw)
{
    struct mqueue *q = obj;
    struct mq_waiter *w = (struct mq_waiter *)iw;
    if (!w->w.what)
        return q->curmsgs ? take(q, p, w->ubuf, w->uprio) : IPC_BLOCKED;
    struct mq_msg *m = q->curmsgs < q->maxmsg ? malloc(sizeof *m + w->m->len) : NULL;
    if (!m)
        return IPC_BLOCKED;
    memcpy(m, w->m, sizeof *m + w->m->len); /* out of the record, which goes with the wait */
    insert(q, m);
    return 0;
}

/* The queue changed: its waiters go on while they can; so may a poll. */
static void retry(struct mqueue *q)
{
    ipc_retry(q, mq_attempt);
    poll_recheck();
}

/* A message came to an empty queue that nobody waited on: the registered
 * process is told, and the registration goes, as Linux's __do_notify. */
static void notify(struct mqueue *q, struct proc *sender)
{
    struct proc *p = q->notify_pid ? proc_by_pid(q->notify_pid) : NULL;
    if (q->notify_pid && q->notify_kind == SIGEV_SIGNAL && p && !p->zombie && q->notify_signo) {
        struct siginfo_k info = {.signo = q->notify_signo, .code = SI_MESGQ,
                                 .kill = {pidns_vnr(p, proc_group(sender)), /* as the owner sees them */
                                          (int32_t)userns_uid_from(p->cred.userns, sender->cred.uid)}};
        memcpy(info.raw + 8, &q->notify_value, sizeof q->notify_value); /* si_value, after pid and uid */
        signal_send(p, q->notify_signo, &info);
    }
    if (q->notify_pid)
        notify_sock_send(q, NOTIFY_WOKENUP);
    notify_owner(q, 0);
}

/* The queue of descriptor mqdes, open for mode (1 to read, 2 to write)
 * and the deadline of uts, an absolute CLOCK_REALTIME timeout (0 for
 * none, else clock_ns), in Linux's order of errors, bad_prio between
 * them: 0, or -errno. */
static int64_t call_queue(struct sys_ctx *c, int mqdes, int mode, uint64_t uts, bool bad_prio, uint64_t *deadline,
                          struct file **fp, struct mqueue **qp)
{
    int64_t ts[2];
    *deadline = 0;
    if (uts && mem_in(c->p, ts, uts, sizeof ts) < 0)
        return -LINUX_EFAULT;
    if (uts && (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000))
        return -LINUX_EINVAL;
    if (uts && ts[0] < 10000000000) /* past three centuries: no deadline, rather than one that wraps */
        *deadline = clock_deadline(timespec_ns(ts), true);
    if (bad_prio)
        return -LINUX_EINVAL;
    struct file *f = mqdes >= 0 ? fd_file(c->p, (uint64_t)mqdes) : NULL;
    struct mqueue *q = f ? queue_of(f) : NULL;
    int acc = f ? (f->flags & O_ACCMODE) + 1 : 0; /* O_RDONLY 1, O_WRONLY 2, O_RDWR 3 */
    *fp = f, *qp = q;
    return q && (acc & mode) == mode ? 0 : -LINUX_EBADF;
}

/* A call that cannot go on now: 0 if it waits, else why not. */
static int64_t may_wait(const struct file *f, uint64_t deadline)
{
    return f->flags & O_NONBLOCK ? -LINUX_EAGAIN : deadline && deadline <= clock_now() ? -LINUX_ETIMEDOUT : 0;
}

static int64_t sys_mq_timedsend(struct sys_ctx *c, int mqdes, uint64_t umsg, uint64_t len, uint32_t prio,
                                uint64_t uts)
{
    uint64_t deadline;
    struct file *f;
    struct mqueue *q;
    int64_t r = call_queue(c, mqdes, 2, uts, prio >= MQ_PRIO_MAX, &deadline, &f, &q);
    if (r < 0)
        return r;
    if (len > (uint64_t)q->msgsize)
        return -LINUX_EMSGSIZE;
    struct mq_waiter *w = malloc(sizeof *w + sizeof(struct mq_msg) + len);
    if (!w)
        return -LINUX_ENOMEM;
    struct mq_msg *m = (struct mq_msg *)(w + 1);
    m->prio = prio, m->len = len;
    if (mem_in(c->p, m->data, umsg, len) < 0) {
        free(w);
        return -LINUX_EFAULT;
    }
    if (q->curmsgs < q->maxmsg) {
        struct proc *receiver = ipc_waiter_after(q, 0); /* only receivers wait on a queue with room */
        bool was_empty = !q->curmsgs;
        memmove(w, m, sizeof *m + len); /* the record becomes the message */
        insert(q, (struct mq_msg *)w);
        if (!receiver && was_empty)
            notify(q, c->p);
        retry(q);
        return 0;
    }
    if ((r = may_wait(f, deadline)) < 0) {
        free(w);
        return r;
    }
    w->w = (struct ipc_waiter){.obj = q, .what = 1};
    w->m = m;
    ipc_wait(c, &w->w, deadline, WAIT_MQUEUE);
    return 0;
}

static int64_t sys_mq_timedreceive(struct sys_ctx *c, int mqdes, uint64_t umsg, uint64_t len, uint64_t uprio,
                                   uint64_t uts)
{
    uint64_t deadline;
    struct file *f;
    struct mqueue *q;
    int64_t r = call_queue(c, mqdes, 1, uts, false, &deadline, &f, &q);
    if (r < 0)
        return r;
    if (len < (uint64_t)q->msgsize)
        return -LINUX_EMSGSIZE;
    if (q->curmsgs) {
        r = take(q, c->p, umsg, uprio);
        retry(q); /* room for a waiting sender */
        return r;
    }
    if ((r = may_wait(f, deadline)) < 0)
        return r;
    struct mq_waiter *w = malloc(sizeof *w);
    if (!w)
        return -LINUX_ENOMEM;
    *w = (struct mq_waiter){.w = {.obj = q}, .ubuf = umsg, .uprio = uprio};
    ipc_wait(c, &w->w, deadline, WAIT_MQUEUE);
    return 0;
}

static int64_t sys_mq_notify(struct sys_ctx *c, int mqdes, uint64_t unotification)
{
    struct {
        uint64_t value;
        int32_t signo, notify;
    } ev;
    struct file *f, *sock = NULL;
    uint8_t cookie[NOTIFY_COOKIE_LEN];
    if (unotification) {
        if (mem_in(c->p, &ev, unotification, sizeof ev) < 0)
            return -LINUX_EFAULT;
        if (ev.notify != SIGEV_NONE && ev.notify != SIGEV_SIGNAL && ev.notify != SIGEV_THREAD)
            return -LINUX_EINVAL;
        if (ev.notify == SIGEV_SIGNAL && (ev.signo < 0 || ev.signo > LINUX_NSIG))
            return -LINUX_EINVAL;
        if (ev.notify == SIGEV_THREAD) { /* the cookie at sigev_value, a netlink socket's descriptor in signo */
            if (mem_in(c->p, cookie, ev.value, sizeof cookie) < 0)
                return -LINUX_EFAULT;
            if (!(sock = fd_file(c->p, (uint64_t)(uint32_t)ev.signo)))
                return -LINUX_EBADF;
            if (sock->kind != FILE_SOCKET)
                return -LINUX_ENOTSOCK;
            if (!nl_of(sock))
                return -LINUX_EINVAL; /* netlink_getsockbyfilp's answer for another family */
        }
    }
    uint64_t none;
    struct mqueue *q;
    if (call_queue(c, mqdes, 0, 0, false, &none, &f, &q) < 0)
        return -LINUX_EBADF;
    int me = proc_tgid(c->p);
    if (!unotification) {
        if (q->notify_pid == me) {
            notify_sock_send(q, NOTIFY_REMOVED);
            notify_owner(q, 0);
        }
        return 0;
    }
    struct proc *owner = q->notify_pid ? proc_by_pid(q->notify_pid) : NULL;
    if (owner && !owner->zombie)
        return -LINUX_EBUSY;
    if (q->notify_sock) /* a gone owner's */
        file_put(q->notify_sock);
    notify_owner(q, me);
    q->notify_kind = ev.notify, q->notify_signo = ev.signo, q->notify_value = ev.value;
    q->notify_sock = sock ? file_get(sock) : NULL;
    if (sock)
        memcpy(q->notify_cookie, cookie, sizeof cookie);
    return 0;
}

void mq_closing(struct proc *p, struct file *f)
{
    struct mqueue *q = queue_of(f);
    if (q && q->notify_pid && q->notify_pid == proc_tgid(p)) { /* Linux's mqueue_flush_file */
        notify_sock_send(q, NOTIFY_REMOVED);
        notify_owner(q, 0);
    }
}

static int64_t sys_mq_getsetattr(struct sys_ctx *c, int mqdes, uint64_t unew, uint64_t uold)
{
    struct mq_attr_k a, old;
    struct file *f;
    if (unew) {
        if (mem_in(c->p, &a, unew, sizeof a) < 0)
            return -LINUX_EFAULT;
        if (a.flags & ~(int64_t)O_NONBLOCK)
            return -LINUX_EINVAL;
    }
    uint64_t none;
    struct mqueue *q;
    if (call_queue(c, mqdes, 0, 0, false, &none, &f, &q) < 0)
        return -LINUX_EBADF;
    old = (struct mq_attr_k){.flags = f->flags & O_NONBLOCK, .maxmsg = q->maxmsg, .msgsize = q->msgsize,
                             .curmsgs = q->curmsgs};
    if (unew)
        f->flags = (f->flags & ~O_NONBLOCK) | (int)a.flags;
    return uold && mem_out(c->p, uold, &old, sizeof old) < 0 ? -LINUX_EFAULT : 0;
}
