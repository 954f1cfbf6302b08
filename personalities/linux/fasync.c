/*
 * personalities/linux/fasync.c - signal-driven I/O: the owner of an open
 * file and the signal it sends (fcntl's F_SETOWN, F_GETOWN, F_SETOWN_EX,
 * F_GETOWN_EX, F_SETSIG, F_GETSIG; ioctl's FIOSETOWN, FIOGETOWN,
 * SIOCSPGRP, SIOCGPGRP on sockets), O_ASYNC (F_SETFL, FIOASYNC), and the
 * signal itself: when an O_ASYNC file becomes readable or writable or
 * hangs up, its owner gets SIGIO (SI_KERNEL's, no siginfo), or F_SETSIG's
 * signal with si_code POLL_IN, POLL_OUT or POLL_HUP, si_band and si_fd,
 * queued if real-time, as Linux's send_sigio.
 *
 * The files that signal are Linux's that have a fasync operation: pipes
 * and FIFOs, sockets, terminals, inotify.  Others keep no O_ASYNC: F_SETFL
 * leaves it out, FIOASYNC is ENOTTY.  The signal is
 * found, not announced: poll_recheck (run by whatever changes what a poll
 * waits for) calls fasync_notice, which polls each file on the list (only
 * files with O_ASYNC are) and signals the bits that came since (a peer's
 * end too: POLLHUP, POLLRDHUP); a pipe's or counter's arrivals
 * (fasync_arrival) make a bit come again.
 *
 * Entry points: fasync.h's.  Layer: above file types and signals.  Book:
 * docs/linux.md, "Signal-driven I/O".
 */
#include "fasync.h"
#include "pidns.h"
#include "proc.h"
#include <stdlib.h>
#include <string.h>

int fasync_files; /* files on the list */
/* The list, newest first; the walk's next stop (cursor) moves on past one
 * that leaves meanwhile (a signal that ends its owner closes its files). */
static struct fown *listed, *cursor;

/* The bits that signal, and each reason's si_band (Linux's band_table). */
#define WATCHED (POLLIN | POLLOUT | POLLHUP | POLLERR | POLLRDHUP)
static const int64_t bands[] = {[POLL_IN] = 0x41, [POLL_OUT] = 0x304, [POLL_MSG] = 0x441, [POLL_PRI] = 0x202,
                               [POLL_HUP] = 0x18};

static struct fown *fown_of(struct file *f)
{
    if (!f->fown && (f->fown = calloc(1, sizeof *f->fown)))
        f->fown->file = f;
    return f->fown;
}

/* Linux's files with a fasync operation. */
static bool fasync_capable(const struct file *f)
{
    return f->kind == FILE_PIPE_R || f->kind == FILE_PIPE_W || f->kind == FILE_SOCKET || f->kind == FILE_CONSOLE ||
           f->kind == FILE_INOTIFY || f->pty;
}

/* A pid that exists: a thread's or process's, or a group's or session's. */
static bool pid_exists(int pid)
{
    struct proc *p = proc_by_pid(pid);
    if (p && !(p->zombie && p->leader))
        return true;
    for (p = proc_list(); p; p = p->next)
        if (!p->zombie && (p->pgid == pid || p->sid == pid))
            return true;
    return false;
}

static bool pgrp_exists(int pgid)
{
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && !p->leader && p->pgid == pgid)
            return true;
    return false;
}

/* The process or thread the owner names, if it is there. */
static struct proc *owner_proc(const struct fown *o)
{
    struct proc *p = o->pid ? proc_by_pid(o->pid) : NULL;
    if (!p || p->zombie || (o->type == F_OWNER_PID && p->leader))
        return NULL;
    return p;
}

static bool owner_alive(const struct fown *o)
{
    return o->type == F_OWNER_PGRP ? pgrp_exists(o->pid) : owner_proc(o) != NULL;
}

/* Linux's __f_setown: the caller becomes the setter whose ids sending checks. */
static int set_owner(struct sys_ctx *c, struct file *f, int type, int pid)
{
    pid = pidns_global(c->p, pid); /* the caller's pid namespace's number */
    if (pid && !pid_exists(pid))
        return -LINUX_ESRCH;
    struct fown *o = fown_of(f);
    if (!o)
        return -LINUX_ENOMEM;
    o->type = type, o->pid = pid, o->uid = c->p->cred.uid, o->euid = c->p->cred.euid;
    return 0;
}

/* F_SETOWN's argument: a process, or a group if negative. */
static int set_owner_arg(struct sys_ctx *c, struct file *f, int who)
{
    if (who == INT32_MIN)
        return -LINUX_EINVAL;
    return who < 0 ? set_owner(c, f, F_OWNER_PGRP, -who) : set_owner(c, f, F_OWNER_PID, who);
}

/* F_GETOWN's answer, as caller's pid namespace numbers it: 0 when the
 * owner is gone (or outside it). */
static int get_owner(struct proc *caller, struct file *f)
{
    struct fown *o = f->fown;
    if (!o || !owner_alive(o))
        return 0;
    int nr = pidns_vpid(caller, o->pid);
    return o->type == F_OWNER_PGRP ? -nr : nr;
}

struct owner_ex {
    int32_t type, pid;
};
_Static_assert(sizeof(struct owner_ex) == 8, "struct f_owner_ex");

int64_t fasync_fcntl(struct sys_ctx *c, struct file *f, int fd, int cmd, uint64_t arg)
{
    (void)fd;
    struct owner_ex ex = {F_OWNER_TID, 0};
    switch (cmd) {
    case F_SETOWN: return set_owner_arg(c, f, (int)arg);
    case F_GETOWN: return get_owner(c->p, f);
    case F_SETOWN_EX:
        if (mem_in(c->p, &ex, arg, sizeof ex) < 0)
            return -LINUX_EFAULT;
        if (ex.type != F_OWNER_TID && ex.type != F_OWNER_PID && ex.type != F_OWNER_PGRP)
            return -LINUX_EINVAL;
        return set_owner(c, f, ex.type, ex.pid);
    case F_GETOWN_EX:
        if (f->fown)
            ex = (struct owner_ex){f->fown->type, owner_alive(f->fown) ? pidns_vpid(c->p, f->fown->pid) : 0};
        return mem_out(c->p, arg, &ex, sizeof ex) < 0 ? -LINUX_EFAULT : 0;
    case F_SETSIG:
        if ((uint32_t)arg > LINUX_NSIG) /* 0 puts SIGIO back */
            return -LINUX_EINVAL;
        if (!fown_of(f))
            return -LINUX_ENOMEM;
        f->fown->signum = (int)arg;
        return 0;
    case F_GETSIG: return f->fown ? f->fown->signum : 0;
    }
    return -LINUX_EINVAL;
}

static void unlist(struct fown *o)
{
    for (struct fown **pp = &listed; *pp; pp = &(*pp)->next)
        if (*pp == o) {
            if (cursor == o)
                cursor = o->next;
            *pp = o->next;
            o->listed = false;
            fasync_files--;
            return;
        }
}

/* O_ASYNC set or cleared on f through descriptor fd (Linux's fasync
 * operation): a file that signals joins the list, with what it shows now
 * as seen. */
static int set_async(struct file *f, int fd, bool on)
{
    struct fown *o = fasync_capable(f) ? fown_of(f) : NULL;
    if (!o)
        return fasync_capable(f) ? -LINUX_ENOMEM : 0;
    f->flags = on ? f->flags | FASYNC : f->flags & ~FASYNC;
    if (!on) {
        if (o->listed)
            unlist(o);
        return 0;
    }
    o->fd = fd;
    o->seen = (uint32_t)(f->ops->poll ? f->ops->poll(f) : 0) & WATCHED;
    if (!o->listed) {
        o->next = listed, listed = o, o->listed = true;
        fasync_files++;
    }
    return 0;
}

/* O_DIRECT: Linux 6.1's files that can (FMODE_CAN_ODIRECT, an address
 * space with direct_IO): ext2's regular files and block devices; not
 * tmpfs's (6.1's has no direct I/O: 6.6 brought it), a memfd, a FIFO,
 * a character device, /proc's or /sys's files.  A pipe's is its packet
 * mode (pipemark.c). */
bool inode_direct_capable(const struct inode *ino)
{
    uint32_t type = ino->mode & S_IFMT;
    return type == S_IFBLK || (type == S_IFREG && !strcmp(ino->fs->type, "ext2"));
}

static bool direct_capable(const struct file *f)
{
    if (f->kind == FILE_PIPE_R || f->kind == FILE_PIPE_W)
        return true;
    return f->kind == FILE_INODE && f->inode && inode_direct_capable(f->inode);
}

#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME | FASYNC)

int fcntl_setfl(struct file *f, int fd, int flags)
{
    if (((flags ^ f->flags) & O_APPEND) && f->inode && fs_is_append(f->inode))
        return -LINUX_EPERM; /* O_APPEND stays as it is on an append-only file (Linux's setfl) */
    if ((flags & O_NOATIME) && !(f->flags & O_NOATIME) && f->inode && !fs_owner(f->inode))
        return -LINUX_EPERM;
    if ((flags & O_DIRECT) && !direct_capable(f))
        return -LINUX_EINVAL;
    if ((flags ^ f->flags) & FASYNC) {
        int r = set_async(f, fd, (flags & FASYNC) != 0);
        if (r < 0)
            return r;
    }
    f->flags = (f->flags & ~SETFL_MASK) | (flags & SETFL_MASK & ~FASYNC) | (f->flags & FASYNC); /* set_async's */
    return 0;
}

int64_t fasync_ioctl(struct sys_ctx *c, struct file *f, int fd, uint32_t req, uint64_t arg)
{
    int v;
    if (req == FIOASYNC) {
        if (mem_in(c->p, &v, arg, sizeof v) < 0)
            return -LINUX_EFAULT;
        if (!(((v ? FASYNC : 0) ^ f->flags) & FASYNC))
            return 0;
        return fasync_capable(f) ? set_async(f, fd, v != 0) : -LINUX_ENOTTY;
    }
    if (f->kind != FILE_SOCKET) /* the others are sockets' (sock_ioctl) */
        return FASYNC_NOT_MINE;
    switch (req) {
    case FIOSETOWN:
    case SIOCSPGRP:
        return mem_in(c->p, &v, arg, sizeof v) < 0 ? -LINUX_EFAULT : set_owner_arg(c, f, v);
    case FIOGETOWN:
    case SIOCGPGRP:
        v = get_owner(c->p, f);
        return mem_out(c->p, arg, &v, sizeof v) < 0 ? -LINUX_EFAULT : 0;
    }
    return FASYNC_NOT_MINE;
}

/* Linux's sigio_perm: the setter's ids against the target's. */
static bool sigio_perm(const struct fown *o, const struct proc *p)
{
    const struct cred *t = &p->cred;
    return o->euid == 0 || o->euid == t->suid || o->euid == t->uid || o->uid == t->suid || o->uid == t->uid;
}

static void send_to(const struct fown *o, struct proc *p, int fd, int reason, bool thread)
{
    if (p->zombie || !sigio_perm(o, p))
        return;
    int sig = o->signum ? o->signum : SIGIO;
    struct siginfo_k si = {.signo = sig, .code = reason};
    si.poll.band = bands[reason], si.poll.fd = fd;
    const void *info = o->signum ? &si : NULL; /* plain SIGIO: SI_KERNEL's */
    if (thread)
        signal_send_thread(p, sig, info);
    else
        signal_send(p, sig, info);
}

static void send_sigio(const struct fown *o, int fd, int reason)
{
    if (!o->pid)
        return;
    if (o->type != F_OWNER_PGRP) {
        struct proc *p = owner_proc(o);
        if (p)
            send_to(o, p, fd, reason, o->type == F_OWNER_TID);
        return;
    }
    for (struct proc *p = proc_list(), *next; p; p = next) {
        next = p->next;
        if (!p->zombie && !p->leader && p->pgid == o->pid)
            send_to(o, p, fd, reason, false);
    }
}

/* The bits that came at one file, as Linux's wakers name them: a pipe's
 * reader hears POLL_IN of anything (data, its last writer gone), its
 * writer POLL_OUT; a socket's hang-up is POLL_HUP alone; a terminal's or
 * inotify's is nothing. */
static void signal_bits(const struct fown *o, uint32_t came)
{
    const struct file *f = o->file;
    if (f->kind == FILE_PIPE_R || f->kind == FILE_PIPE_W) {
        send_sigio(o, o->fd, f->kind == FILE_PIPE_R ? POLL_IN : POLL_OUT);
        return;
    }
    if ((came & POLLHUP) && f->kind == FILE_SOCKET) {
        send_sigio(o, o->fd, POLL_HUP);
        return;
    }
    if (came & (POLLIN | POLLRDHUP)) /* data, or a TCP peer's FIN */
        send_sigio(o, o->fd, POLL_IN);
    if (came & POLLOUT)
        send_sigio(o, o->fd, POLL_OUT);
}

void fasync_check(void)
{
    for (struct fown *o = listed; o; o = cursor) {
        cursor = o->next;
        struct file *f = o->file;
        uint32_t now = (uint32_t)(f->ops->poll ? f->ops->poll(f) : 0) & WATCHED, came = now & ~o->seen;
        o->seen = now;
        if (came)
            signal_bits(o, came);
    }
    cursor = NULL;
}

void fasync_arrival(const void *obj, uint32_t bits)
{
    for (struct fown *o = listed; o; o = o->next) {
        const struct file *f = o->file;
        if (f->pipe == obj || f->peer == obj || f->counter == obj)
            o->seen &= ~bits;
    }
}

void fasync_release(struct file *f)
{
    if (f->fown->listed)
        unlist(f->fown);
    free(f->fown);
    f->fown = NULL;
}

int fasync_owner_default(struct sys_ctx *c, struct file *f)
{
    if (f->fown && f->fown->pid)
        return 0;
    return set_owner(c, f, F_OWNER_PID, proc_tgid(c->p));
}

void fasync_signal(struct file *f, int fd, int reason)
{
    if (f->fown)
        send_sigio(f->fown, fd, reason);
}

void fasync_sigurg(struct file *f)
{
    struct fown *o = f->fown;
    if (!o || !o->pid)
        return;
    if (o->type != F_OWNER_PGRP) { /* SI_KERNEL's, as send_sigurg's SEND_SIG_PRIV */
        struct proc *p = owner_proc(o);
        if (p && !p->zombie && sigio_perm(o, p) && o->type == F_OWNER_TID)
            signal_send_thread(p, SIGURG, NULL);
        else if (p && !p->zombie && sigio_perm(o, p))
            signal_send(p, SIGURG, NULL);
    } else {
        for (struct proc *p = proc_list(), *next; p; p = next) {
            next = p->next;
            if (!p->zombie && !p->leader && p->pgid == o->pid && sigio_perm(o, p))
                signal_send(p, SIGURG, NULL);
        }
    }
    if (o->listed && o->signum) /* kill_fasync's SIGURG: only a signal F_SETSIG chose */
        send_sigio(o, o->fd, POLL_PRI);
}
