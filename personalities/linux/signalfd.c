/*
 * personalities/linux/signalfd.c - signalfd: a file (anon_inode
 * [signalfd]) holding a signal mask, whose reads take the reader's
 * pending signals of the mask as struct signalfd_siginfo, as many as the
 * buffer holds, lowest first (its own thread's, then its process's:
 * signal_dequeue).  The file holds no signal: after fork
 * the child reads its own with the same file.  A read with none waits
 * (wait.c's WAIT_READ) unless O_NONBLOCK; readiness (poll, select, epoll)
 * is for the process that asks (poll_current), and signal_send rechecks
 * the polls when a signal becomes pending while there are signalfds.
 * The signals stay pending while blocked; one not blocked is delivered
 * as usual.
 *
 * Entry points: the calls' handlers (syscalls.def).  Callers: the
 * syscall table; the descriptor calls through the file's operations.
 * Layer: a file type, above signals.  Book: docs/linux.md, "signalfd".
 */
#include "file.h"
#include "proc.h"
#include "wait.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/signalfd.h" /* generated: the handlers' prototypes, entries */

int signalfds_live;

/* struct signalfd_siginfo (linux/signalfd.h): what a signalfd read gives
 * for each signal. */
struct signalfd_siginfo_k {
    uint32_t signo;
    int32_t errno_, code;
    uint32_t pid, uid;
    int32_t fd;
    uint32_t tid, band, overrun, trapno;
    int32_t status, int_;
    uint64_t ptr, utime, stime, addr;
    uint16_t addr_lsb, pad2;
    int32_t syscall;
    uint64_t call_addr;
    uint32_t arch;
    uint8_t pad[28];
};
_Static_assert(sizeof(struct signalfd_siginfo_k) == 128, "struct signalfd_siginfo");

/* The Linux layout of a siginfo (kernel/signal.c's siginfo_layout) decides
 * which fields a record gets (fs/signalfd.c's signalfd_copyinfo). */
static void copy_info(struct signalfd_siginfo_k *o, const struct siginfo_k *si)
{
    int32_t i32[28];
    uint64_t u64[14];
    memcpy(i32, si->raw, sizeof i32);
    memcpy(u64, si->raw, sizeof u64);
    memset(o, 0, sizeof *o);
    o->signo = (uint32_t)si->signo, o->errno_ = si->errno_, o->code = si->code;
    int sig = si->signo, code = si->code;
    if (code > SI_USER && code < SI_KERNEL) { /* the kernel's own, by signal */
        if (sig == SIGCHLD) {
            o->pid = (uint32_t)i32[0], o->uid = (uint32_t)i32[1], o->status = i32[2];
            o->utime = u64[2], o->stime = u64[3];
        } else if (sig == SIGILL || sig == SIGFPE || sig == SIGSEGV || sig == SIGBUS || sig == SIGTRAP) {
            o->addr = u64[0];
        } else if (sig == SIGSYS) {
            o->call_addr = u64[0], o->syscall = i32[2], o->arch = (uint32_t)i32[3];
        } else if (code <= 6) { /* NSIGPOLL: si_band and si_fd */
            o->band = (uint32_t)u64[0], o->fd = i32[2];
        } else {
            o->pid = (uint32_t)i32[0], o->uid = (uint32_t)i32[1];
        }
    } else if (code == SI_TIMER) {
        o->tid = (uint32_t)i32[0], o->overrun = (uint32_t)i32[1], o->ptr = u64[1], o->int_ = i32[2];
    } else if (code == SI_SIGIO) {
        o->band = (uint32_t)u64[0], o->fd = i32[2];
    } else if (code < 0) { /* sigqueue, tkill and the like: the sender and the value */
        o->pid = (uint32_t)i32[0], o->uid = (uint32_t)i32[1], o->ptr = u64[1], o->int_ = i32[2];
    } else { /* kill, or the kernel */
        o->pid = (uint32_t)i32[0], o->uid = (uint32_t)i32[1];
    }
}

static int64_t sfd_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    uint64_t n = 0, want = len / sizeof(struct signalfd_siginfo_k);
    if (!want)
        return -LINUX_EINVAL;
    for (; n < want; n++) {
        struct siginfo_k si;
        struct signalfd_siginfo_k o;
        if (!signal_dequeue(c->p, f->sigmask, &si))
            break;
        copy_info(&o, &si);
        if (mem_out(c->p, ubuf + n * sizeof o, &o, sizeof o) < 0) /* Linux loses the signal too */
            return n ? (int64_t)(n * sizeof o) : -LINUX_EFAULT;
    }
    if (n)
        return (int64_t)(n * sizeof(struct signalfd_siginfo_k));
    if (f->flags & O_NONBLOCK)
        return -LINUX_EAGAIN;
    wait_read(c, f, ubuf, len);
    return 0;
}

static int sfd_poll(struct file *f)
{
    struct proc *p = poll_current;
    return p && (signal_pending(&p->sig) & f->sigmask) ? POLLIN : 0;
}

static void sfd_release(struct file *f)
{
    (void)f;
    signalfds_live--;
}

/* Linux's signalfd_show_fdinfo: the signals it reads, highest first. */
static void sfd_fdinfo(const struct file *f, void (*put)(const char *fmt, ...))
{
    put("sigmask:\t%016llx\n", (unsigned long long)f->sigmask);
}

static const struct file_ops signalfd_fops = {.read = sfd_read, .poll = sfd_poll, .stat = anon_inode_stat,
                                              .release = sfd_release, .fs = &anon_inodefs, .stream = true,
                                              .fdinfo = sfd_fdinfo};

static int64_t sys_signalfd4(struct sys_ctx *c, int fd, uint64_t umask, uint64_t size, int flags)
{
    uint64_t mask;
    if (size != sizeof mask) /* Linux's order: the size, the mask, the flags */
        return -LINUX_EINVAL;
    if (mem_in(c->p, &mask, umask, sizeof mask) < 0)
        return -LINUX_EFAULT;
    if (flags & ~(O_NONBLOCK | O_CLOEXEC)) /* SFD_NONBLOCK, SFD_CLOEXEC */
        return -LINUX_EINVAL;
    mask &= ~SIG_UNBLOCKABLE; /* silently, as Linux */
    if (fd != -1) { /* a new mask for an existing one; its flags stay */
        struct file *f = fd_file(c->p, (uint64_t)(int64_t)fd);
        if (!f)
            return -LINUX_EBADF;
        if (f->ops != &signalfd_fops)
            return -LINUX_EINVAL;
        f->sigmask = mask;
        poll_recheck(); /* waiters on it may have something now */
        return fd;
    }
    struct file *f = calloc(1, sizeof *f);
    if (!f)
        return -LINUX_ENOMEM;
    *f = (struct file){.ops = &signalfd_fops, .kind = FILE_SIGNALFD, .flags = O_RDWR | (flags & O_NONBLOCK),
                       .refs = 1, .sigmask = mask};
    signalfds_live++;
    int r = fd_alloc(c->p, 0, f, (flags & O_CLOEXEC) != 0);
    if (r < 0)
        file_put(f);
    return r;
}

static int64_t sys_signalfd(struct sys_ctx *c, int fd, uint64_t umask, uint64_t size)
{
    return sys_signalfd4(c, fd, umask, size, 0);
}
