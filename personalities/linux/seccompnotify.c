/*
 * personalities/linux/seccompnotify.c - seccomp user notification: the
 * listener a filter installed with SECCOMP_FILTER_FLAG_NEW_LISTENER gives
 * (a file, anon_inode:seccomp notify), and the calls that filter answers
 * SECCOMP_RET_USER_NOTIF: each waits (WAIT_SECCOMP) as a notification on
 * the listener's queue until a supervisor answers it through the
 * listener's ioctls: NOTIF_RECV (the oldest not yet received: its id,
 * the caller's thread id, its struct seccomp_data; it waits for one, EINTR
 * at a signal), NOTIF_SEND (a value, an error, or FLAG_CONTINUE: the call
 * runs, past the filters), NOTIF_ID_VALID, NOTIF_ADDFD (a descriptor put
 * in the waiting thread's table, at the lowest free number or one named,
 * and with ADDFD_FLAG_SEND the call's answer).  Poll: POLLIN while one waits
 * to be received, POLLOUT while one waits for its answer, POLLHUP once
 * no thread runs the filter.  A signal takes the waiting call off the
 * queue (it restarts, as Linux's -ERESTARTSYS); the listener's last close
 * answers every waiting call ENOSYS, as every later one is.  Not built:
 * NOTIF_SET_FLAGS (EINVAL, as a Linux without it), and i386 calls are not
 * notified (ENOSYS, as with no listener).
 *
 * Entry points: seccomp_listener_new, seccomp_listener_live,
 * seccomp_listener_put, seccomp_notify (seccomp.c), seccomp_notify_cancel
 * (wait.c's wait_cancel).  Layer: proc, a file type.  Book: docs/linux.md,
 * "Seccomp".
 */
#include "proc.h"
#include "seccomp.h"
#include "seccompbpf.h"
#include "uapi_sec.h"
#include <stdlib.h>
#include <string.h>

#define NOTIF_RECV 0xc0502100u     /* SECCOMP_IOCTL_NOTIF_RECV: _IOWR('!', 0, struct seccomp_notif) */
#define NOTIF_SEND 0xc0182101u     /* SECCOMP_IOCTL_NOTIF_SEND: _IOWR('!', 1, struct seccomp_notif_resp) */
#define NOTIF_ID_VALID 0x40082102u /* SECCOMP_IOCTL_NOTIF_ID_VALID: _IOW('!', 2, __u64) */
#define NOTIF_ID_VALID_WRONG_DIR 0x80082102u /* its first, mistaken, number, still taken */
#define NOTIF_ADDFD 0x2103u        /* SECCOMP_IOCTL_NOTIF_ADDFD, its size and direction aside */
#define FLAG_CONTINUE 1u           /* SECCOMP_USER_NOTIF_FLAG_CONTINUE */
#define ADDFD_SETFD 1u             /* SECCOMP_ADDFD_FLAG_SETFD: at newfd */
#define ADDFD_SEND 2u              /* SECCOMP_ADDFD_FLAG_SEND: and the call returns it */

/* A call waiting for its answer: INIT until received, then SENT. */
struct notif {
    uint64_t id;
    bool sent;
    struct proc *t;
    uint64_t token, nr, args[6];
    struct pico_trap trap;
    struct seccomp_data data;
    struct seccomp_listener *l;
    struct notif *next;
};

/* A listener: the filter and the file each hold a reference. */
struct seccomp_listener {
    int refs;
    bool closed;      /* the file's last close: calls get ENOSYS */
    bool filter_gone; /* no thread runs the filter: POLLHUP */
    uint64_t next_id;
    struct notif *queue; /* oldest first */
};

/* struct seccomp_notif and struct seccomp_notif_resp. */
struct notif_k {
    uint64_t id;
    uint32_t pid, flags;
    struct seccomp_data data;
};
struct notif_resp_k {
    uint64_t id;
    int64_t val;
    int32_t error;
    uint32_t flags;
};
struct addfd_k {
    uint64_t id;
    uint32_t flags, srcfd, newfd, newfd_flags;
};
_Static_assert(sizeof(struct addfd_k) == 24 && sizeof(struct notif_k) == 80 && sizeof(struct notif_resp_k) == 24, "seccomp_notif's layout");

void seccomp_listener_put(struct seccomp_listener *l, bool filter)
{
    if (filter)
        l->filter_gone = true, poll_recheck();
    if (--l->refs == 0)
        free(l);
}

bool seccomp_listener_live(const struct seccomp_listener *l) { return l && !l->closed; }

static void unlink_notif(struct notif *n)
{
    for (struct notif **pn = &n->l->queue; *pn; pn = &(*pn)->next)
        if (*pn == n) {
            *pn = n->next;
            return;
        }
}

bool seccomp_notify(struct sys_ctx *c, struct seccomp_listener *l, uint64_t nr, const struct seccomp_data *d)
{
    struct notif *n = calloc(1, sizeof *n), **pn = &l->queue;
    if (!n)
        return false;
    *n = (struct notif){.id = l->next_id++, .t = c->p, .token = c->token, .nr = nr, .trap = *c->trap, .data = *d, .l = l};
    memcpy(n->args, c->a, sizeof n->args);
    while (*pn)
        pn = &(*pn)->next;
    *pn = n;
    c->p->wait = (struct proc_wait){.kind = WAIT_SECCOMP, .token = c->token, .fds = (uint64_t)(uintptr_t)n};
    c->deferred = true;
    poll_recheck();
    return true;
}

void seccomp_notify_cancel(struct proc *p)
{
    struct notif *n = (struct notif *)(uintptr_t)p->wait.fds;
    unlink_notif(n);
    free(n);
    poll_recheck();
}

/* The waiting call's end: its answer, or (CONTINUE) the call itself. */
static void notif_answer(struct sys_ctx *c, struct notif *n, int64_t result, bool run)
{
    struct proc *t = n->t;
    struct pico_trap trap = n->trap;
    uint64_t args[6], nr = n->nr, token = n->token;
    memcpy(args, n->args, sizeof args);
    unlink_notif(n);
    free(n);
    t->wait.kind = WAIT_NONE;
    poll_recheck();
    if (!run) {
        proc_reply(t, token, result);
        return;
    }
    linux_run_allowed(t, token, &trap, nr, args);
    fs_cred = &c->p->cred; /* the supervisor's call goes on */
}

static struct notif *find(struct seccomp_listener *l, uint64_t id)
{
    struct notif *n = l->queue;
    while (n && n->id != id)
        n = n->next;
    return n;
}

/* NOTIF_RECV: the buffer must be zeroed (EINVAL); waits for a call. */
static int64_t notif_recv(struct sys_ctx *c, struct file *f, uint64_t arg)
{
    struct notif_k k;
    static const struct notif_k zero;
    if (mem_in(c->p, &k, arg, sizeof k) < 0)
        return -LINUX_EFAULT;
    if (memcmp(&k, &zero, sizeof k) != 0)
        return -LINUX_EINVAL;
    struct notif *n = f->listener->queue;
    while (n && n->sent)
        n = n->next;
    if (!n) {
        wait_ioctl(c, f, NOTIF_RECV, arg);
        return 0;
    }
    k = (struct notif_k){n->id, (uint32_t)n->t->pid, 0, n->data};
    if (mem_out(c->p, arg, &k, sizeof k) < 0)
        return -LINUX_EFAULT; /* it stays to be received */
    n->sent = true;
    poll_recheck();
    return 0;
}

static int64_t notif_send(struct sys_ctx *c, struct seccomp_listener *l, uint64_t arg)
{
    struct notif_resp_k r;
    if (mem_in(c->p, &r, arg, sizeof r) < 0)
        return -LINUX_EFAULT;
    if ((r.flags & ~FLAG_CONTINUE) || ((r.flags & FLAG_CONTINUE) && (r.error || r.val)))
        return -LINUX_EINVAL;
    struct notif *n = find(l, r.id);
    if (!n)
        return -LINUX_ENOENT;
    if (!n->sent)
        return -LINUX_EINPROGRESS; /* exactly one answer, to a received one */
    notif_answer(c, n, r.error ? (int64_t)r.error : r.val, r.flags & FLAG_CONTINUE);
    return 0;
}

/* NOTIF_ADDFD: a copy of the supervisor's srcfd in the waiting thread's
 * table, at its lowest free descriptor or at newfd (SETFD); with SEND
 * the call returns that descriptor.  The struct may be longer than
 * Linux's first (size), its extra bytes zeros (E2BIG). */
static int64_t notif_addfd(struct sys_ctx *c, struct seccomp_listener *l, uint64_t arg, uint32_t size)
{
    struct addfd_k a;
    if (size < sizeof a || size >= 4096)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &a, arg, sizeof a) < 0)
        return -LINUX_EFAULT;
    int extra = size > sizeof a ? mem_zeros(c->p, arg + sizeof a, size - sizeof a) : 0;
    if (extra)
        return extra < 0 ? extra : -LINUX_E2BIG;
    if ((a.newfd_flags & ~(uint32_t)O_CLOEXEC) || (a.flags & ~(ADDFD_SETFD | ADDFD_SEND)) ||
        (a.newfd && !(a.flags & ADDFD_SETFD)))
        return -LINUX_EINVAL;
    struct file *src = fd_file(c->p, a.srcfd);
    if (!src)
        return -LINUX_EBADF;
    struct notif *n = find(l, a.id);
    if (!n)
        return -LINUX_ENOENT;
    if (!n->sent)
        return -LINUX_EINPROGRESS;
    bool cloexec = a.newfd_flags & O_CLOEXEC;
    int64_t fd = a.flags & ADDFD_SETFD ? fd_install_at(n->t, src, a.newfd, cloexec) : fd_alloc(n->t, 0, src, cloexec);
    if (fd >= 0 && !(a.flags & ADDFD_SETFD))
        file_get(src);
    if (fd >= 0 && (a.flags & ADDFD_SEND))
        notif_answer(c, n, fd, false);
    return fd;
}

static int64_t notif_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    uint64_t id;
    struct notif *n;
    switch (req) {
    case NOTIF_RECV: return notif_recv(c, f, arg);
    case NOTIF_SEND: return notif_send(c, f->listener, arg);
    case NOTIF_ID_VALID:
    case NOTIF_ID_VALID_WRONG_DIR:
        if (mem_in(c->p, &id, arg, sizeof id) < 0)
            return -LINUX_EFAULT;
        n = find(f->listener, id);
        return n && n->sent ? 0 : -LINUX_ENOENT;
    default: /* ADDFD is known by its type and number: its size may grow */
        return (req & 0xffff) == NOTIF_ADDFD ? notif_addfd(c, f->listener, arg, (uint32_t)(req >> 16) & 0x3fff)
                                             : -LINUX_EINVAL;
    }
}

static int notif_poll(struct file *f)
{
    int r = f->listener->filter_gone ? POLLHUP : 0;
    for (struct notif *n = f->listener->queue; n; n = n->next)
        r |= n->sent ? POLLOUT | POLLWRNORM : POLLIN | POLLRDNORM;
    return r;
}

/* The last close: every waiting call is answered ENOSYS. */
static void notif_release(struct file *f)
{
    struct seccomp_listener *l = f->listener;
    l->closed = true;
    while (l->queue) {
        struct notif *n = l->queue;
        l->queue = n->next;
        n->t->wait.kind = WAIT_NONE;
        proc_reply(n->t, n->token, -LINUX_ENOSYS);
        free(n);
    }
    seccomp_listener_put(l, false);
    poll_recheck();
}

static const struct file_ops notif_fops = {.ioctl = notif_ioctl, .poll = notif_poll, .stat = anon_inode_stat,
                                           .release = notif_release, .fs = &anon_inodefs, .stream = true};

int64_t seccomp_listener_new(struct proc *p, struct seccomp_listener **out)
{
    struct seccomp_listener *l = calloc(1, sizeof *l);
    struct file *f = l ? calloc(1, sizeof *f) : NULL;
    if (!f) {
        free(l);
        return -LINUX_ENOMEM;
    }
    *l = (struct seccomp_listener){.refs = 1, .next_id = 1};
    *f = (struct file){.ops = &notif_fops, .kind = FILE_SECCOMP, .flags = O_RDWR, .refs = 1, .listener = l};
    int fd = fd_alloc(p, 0, f, true);
    if (fd < 0) {
        free(f);
        free(l);
        return fd;
    }
    l->refs++; /* the filter's */
    *out = l;
    return fd;
}
