/*
 * personalities/linux/wait.c - waiting for several things or for time:
 * poll, ppoll, select and pselect6 over the terminal, pipes, sockets and
 * files, nanosleep and clock_nanosleep.  A waiting process keeps its
 * reply token in p->wait; the wait ends when poll_recheck() finds a
 * descriptor ready (called when the terminal or a pipe changes) or when
 * the timer, a notification bound to this server's thread, reaches the
 * deadline (deadline.c runs the timer).
 *
 * Entry points: wait.h.  Callers: the syscall table; every subsystem that
 * parks a process in a wait.  Layer: waits, above the file types.  Book:
 * docs/linux.md, "Waiting".
 */
#include "aio.h"
#include "iouring.h"
#include "counter.h"
#include "cputime.h"
#include "deadline.h"
#include "fasync.h"
#include "proc.h"
#include "procfs.h"
#include "ptimer.h"
#include "tty.h"
#include "wait.h"
#include "epoll.h"
#include "timens.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/wait.h" /* generated: the handlers' prototypes, entries */

static int64_t select_done(struct proc *p, int64_t ready);

/* ppoll and pselect6 wait under their own signal mask, swapped in as
 * sigsuspend does; it stays while a handler is set up (the frame keeps the
 * caller's) and is undone by any other end of the wait. */
int wait_mask_swap(struct sys_ctx *c, uint64_t umask, uint64_t size)
{
    uint64_t mask;
    if (!umask)
        return 0;
    if (size != sizeof mask)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &mask, umask, sizeof mask) < 0)
        return -LINUX_EFAULT;
    c->p->sig.saved_mask = c->p->sig.mask;
    c->p->sig.saved = true;
    c->p->sig.mask = mask & ~SIG_UNBLOCKABLE;
    return 0;
}

void wait_mask_unswap(struct proc *p, int64_t r)
{
    if (p->sig.saved && r != -LINUX_EINTR && r != -ERESTARTSYS) {
        p->sig.mask = p->sig.saved_mask;
        p->sig.saved = false;
    }
}

void wait_finish(struct proc *p, int64_t r)
{
    if (p->wait.kind == WAIT_SELECT)
        r = select_done(p, r);
    if (p->wait.kind == WAIT_AIO)
        r = aio_wait_end(p, r);
    if (p->wait.kind == WAIT_IOURING)
        r = iouring_wait_end(p, r);
    if (p->wait.kind == WAIT_EPOLL || p->wait.kind == WAIT_FLOCK || p->wait.kind == WAIT_READ ||
        p->wait.kind == WAIT_SPLICE || p->wait.kind == WAIT_AIOSUB)
        file_put((struct file *)p->wait.fds);
    if (p->wait.kind == WAIT_POLL || p->wait.kind == WAIT_SELECT || p->wait.kind == WAIT_EPOLL ||
        p->wait.kind == WAIT_AIO)
        wait_mask_unswap(p, r);
    if (p->wait.kind == WAIT_SYSV || p->wait.kind == WAIT_MQUEUE || p->wait.kind == WAIT_FUTEXV)
        free((void *)(uintptr_t)p->wait.fds);
    p->wait.kind = WAIT_NONE;
    proc_reply(p, p->wait.token, r);
}

struct proc *poll_current;

/* What a descriptor is ready for: POLLIN, POLLOUT, POLLHUP..., or POLLNVAL. */
static int fd_ready(struct proc *p, int fd)
{
    struct file *f = fd >= 0 ? fd_file(p, (uint64_t)fd) : NULL;
    poll_current = p;
    int m = !f ? POLLNVAL : f->ops->poll ? f->ops->poll(f) : POLLIN | POLLOUT;
    poll_current = NULL; /* never left pointing at a process that may go */
    return m;
}

/* Computes revents for every pollfd; returns how many are ready. */
static int64_t poll_scan(struct proc *p, uint64_t ufds, uint64_t nfds)
{
    int64_t ready = 0;
    for (uint64_t i = 0; i < nfds; i++) {
        struct linux_pollfd pfd;
        if (mem_in(p, &pfd, ufds + i * sizeof pfd, sizeof pfd) < 0)
            return -LINUX_EFAULT;
        int16_t rev = 0;
        if (pfd.fd >= 0) /* POLLERR, POLLHUP and POLLNVAL whether asked for or not */
            rev = (int16_t)(fd_ready(p, pfd.fd) & (pfd.events | POLLERR | POLLHUP | POLLNVAL));
        if (rev)
            ready++;
        pfd.revents = rev;
        if (mem_out(p, ufds + i * sizeof pfd, &pfd, sizeof pfd) < 0)
            return -LINUX_EFAULT;
    }
    return ready;
}

/* select's sets: bit n of a set is descriptor n, in 64-bit words, read
 * and written a chunk of CHUNK_WORDS words at a time. */
#define CHUNK_WORDS 16

/* Scans the sets over nfds descriptors: the count of set bits that are
 * ready (Linux's answer), or -EBADF, -EFAULT.  With write, the ready sets
 * go back to the caller (all empty if clear: a timeout). */
static int64_t select_scan(struct proc *p, uint64_t nfds, const uint64_t sets[3], bool write, bool clear)
{
    int64_t ready = 0;
    for (uint64_t base = 0; base < nfds; base += CHUNK_WORDS * 64) {
        uint64_t in[3][CHUNK_WORDS] = {{0}}, out[3][CHUNK_WORDS] = {{0}};
        uint64_t n = nfds - base < CHUNK_WORDS * 64 ? nfds - base : CHUNK_WORDS * 64;
        size_t bytes = (n + 7) / 8;
        for (int k = 0; k < 3; k++)
            if (sets[k] && mem_in(p, in[k], sets[k] + base / 8, bytes) < 0)
                return -LINUX_EFAULT;
        for (uint64_t i = 0; i < n; i++) {
            uint64_t bit = 1ull << (i % 64), w = i / 64;
            if (!((in[0][w] | in[1][w] | in[2][w]) & bit))
                continue;
            int m = fd_ready(p, (int)(base + i));
            if (m & POLLNVAL)
                return -LINUX_EBADF;
            /* readable: data, end of file or hang-up; writable: room or error */
            bool r = m & (POLLIN | POLLHUP), wr = m & (POLLOUT | POLLERR), ex = m & POLLPRI; /* POLLEX_SET */
            if ((in[0][w] & bit) && r)
                out[0][w] |= bit, ready++;
            if ((in[1][w] & bit) && wr)
                out[1][w] |= bit, ready++;
            if ((in[2][w] & bit) && ex)
                out[2][w] |= bit, ready++;
        }
        if (clear)
            memset(out, 0, sizeof out);
        for (int k = 0; write && k < 3; k++)
            if (sets[k] && mem_out(p, sets[k] + base / 8, out[k], bytes) < 0)
                return -LINUX_EFAULT;
    }
    return ready;
}

/* select's time left goes back to its struct timeval (at its end, or
 * when a signal interrupts it), as Linux's. */
static void select_left(struct proc *p)
{
    if (p->wait.tv && p->wait.deadline) {
        uint64_t t = clock_now(), left = p->wait.deadline > t ? p->wait.deadline - t : 0;
        int64_t tv[2] = {(int64_t)(left / 1000000000), (int64_t)(left % 1000000000 / 1000)};
        mem_out(p, p->wait.tv, tv, sizeof tv);
    }
}

/* The end of a select: the ready sets (all empty on a timeout) and the
 * time left go back to the caller. */
static int64_t select_done(struct proc *p, int64_t ready)
{
    int64_t r = select_scan(p, p->wait.nfds, p->wait.sets, true, ready == 0);
    if (r < 0)
        return r;
    select_left(p);
    return ready ? r : 0;
}

/*
 * The processes in a wait that poll_recheck looks at (poll, select,
 * epoll, a read or a splice waiting for readiness), newest wait first, so
 * that a change walks those and not every process.  One joins when its
 * wait starts (poll_waiter_add) and leaves when a recheck finds it in no
 * such wait, or when it is freed (poll_waiter_drop).  The walk's next
 * stop (poll_cursor) moves on past one that leaves meanwhile.
 */
static struct proc *pollers, *poll_cursor;

static bool polled_kind(int k)
{
    return k == WAIT_POLL || k == WAIT_SELECT || k == WAIT_READ || k == WAIT_EPOLL || k == WAIT_SPLICE;
}

void poll_waiter_add(struct proc *p)
{
    if (p->poll_pprev)
        return;
    p->poll_next = pollers;
    if (pollers)
        pollers->poll_pprev = &p->poll_next;
    p->poll_pprev = &pollers;
    pollers = p;
}

void poll_waiter_drop(struct proc *p)
{
    if (!p->poll_pprev)
        return;
    if (poll_cursor == p)
        poll_cursor = p->poll_next;
    *p->poll_pprev = p->poll_next;
    if (p->poll_next)
        p->poll_next->poll_pprev = p->poll_pprev;
    p->poll_next = NULL, p->poll_pprev = NULL;
}

/* One waiter looked at again: its wait ends if what it waits for came. */
static void poll_recheck_one(struct proc *p)
{
    poll_current = p;
    if (p->wait.kind == WAIT_READ) { /* the read again, which may wait again (a wait of its own) */
        struct file *f = (struct file *)p->wait.fds;
        struct sys_ctx c = {.p = p, .token = p->wait.token};
        if (!(f->ops->poll(f) & (POLLIN | POLLHUP))) /* data, or the end (a notification pipe's writers gone) */
            return;
        p->wait.kind = WAIT_NONE;
        int64_t r = p->wait.sets[0] ? f->ops->ioctl(&c, f, p->wait.nfds, p->wait.tv)
                                    : f->ops->read(&c, f, p->wait.tv, p->wait.nfds, -1);
        if (!c.deferred)
            proc_reply(p, c.token, r);
        file_put(f);
        return;
    }
    if (p->wait.kind == WAIT_EPOLL) { /* collected at once: each file polled once (/proc/mounts's takes its news) */
        int n = epoll_collect((struct file *)p->wait.fds, p, p->wait.tv, (int)p->wait.nfds);
        if (n)
            wait_finish(p, n);
        return;
    }
    if (p->wait.kind == WAIT_SPLICE) { /* its pipe moved: the call runs again (splice.c) */
        struct file *f = (struct file *)p->wait.fds;
        if (f->ops->poll(f) & (int)(p->wait.nfds | POLLHUP | POLLERR))
            wait_finish(p, -ERESTARTSYS);
        return;
    }
    int64_t r = p->wait.kind == WAIT_POLL ? poll_scan(p, p->wait.fds, p->wait.nfds)
                                           : select_scan(p, p->wait.nfds, p->wait.sets, false, false);
    if (r != 0)
        wait_finish(p, r);
}

void poll_recheck(void)
{
    static bool busy, again;
    if (busy) { /* a recheck from within one: the walk runs again after */
        again = true;
        return;
    }
    busy = true;
    poll_current = NULL; /* edge-triggered entries are looked at for no process */
    if (epoll_edge_entries)
        epoll_notice();
    aio_recheck();
    iouring_recheck();
    fasync_notice(); /* O_ASYNC files whose bits came signal their owners */
    do {
        again = false;
        for (struct proc *p = pollers; p; p = poll_cursor) {
            poll_cursor = p->poll_next;
            if (p->zombie || !polled_kind(p->wait.kind))
                poll_waiter_drop(p);
            else
                poll_recheck_one(p);
        }
    } while (again);
    poll_current = NULL;
    busy = false;
}

bool wait_cancel(struct proc *p, uint64_t *token)
{
    if (p->wait.kind == WAIT_NONE)
        return false;
    if (p->wait.kind == WAIT_EPOLL || p->wait.kind == WAIT_FLOCK || p->wait.kind == WAIT_READ ||
        p->wait.kind == WAIT_SPLICE || p->wait.kind == WAIT_AIOSUB)
        file_put((struct file *)p->wait.fds);
    uint64_t t = clock_now(), left = p->wait.deadline > t ? p->wait.deadline - t : 0;
    if (p->wait.kind == WAIT_SLEEP && p->wait.tv && (p->wait.deadline || cpuclock_sleep_left(p, &left))) {
        /* a relative sleep: the time it had left, on its clock */
        int64_t ts[2] = {(int64_t)(left / 1000000000), (int64_t)(left % 1000000000)};
        mem_out(p, p->wait.tv, ts, sizeof ts); /* at a bad address Linux's answer is EFAULT; here still EINTR */
    }
    if (p->wait.kind == WAIT_SELECT)
        select_left(p);
    if (p->wait.kind == WAIT_SECCOMP) /* off its listener's queue */
        seccomp_notify_cancel(p);
    if (p->wait.kind == WAIT_SYSV || p->wait.kind == WAIT_MQUEUE || p->wait.kind == WAIT_FUTEXV)
        free((void *)(uintptr_t)p->wait.fds);
    p->wait.kind = WAIT_NONE;
    *token = p->wait.token;
    return true;
}

void wait_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len)
{
    c->p->wait = (struct proc_wait){.kind = WAIT_READ, .token = c->token, .fds = (uint64_t)file_get(f), .nfds = len,
                                    .tv = ubuf};
    poll_waiter_add(c->p);
    c->deferred = true;
}

void wait_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    wait_read(c, f, arg, req);
    c->p->wait.sets[0] = 1;
}

static int64_t do_poll(struct sys_ctx *c, uint64_t ufds, uint64_t nfds, int64_t timeout_ns)
{
    if (nfds > (uint64_t)fd_limit(c->p))
        return -LINUX_EINVAL;
    int64_t r = poll_scan(c->p, ufds, nfds);
    if (r == 0 && timeout_ns != 0 && c->p->sig.saved && signal_deliverable(&c->p->sig))
        return -LINUX_EINTR; /* the swapped mask lets a pending signal through */
    if (r != 0 || timeout_ns == 0) {
        wait_mask_unswap(c->p, r);
        return r;
    }
    c->p->wait = (struct proc_wait){.kind = WAIT_POLL, .token = c->token, .fds = ufds, .nfds = nfds,
                                    .deadline = timeout_ns > 0 ? clock_after((uint64_t)timeout_ns) : 0};
    poll_waiter_add(c->p);
    c->deferred = true;
    wait_rearm_for(c->p);
    return 0;
}

/* epoll_wait and its kin: the ready events now, or a wait for them (the
 * instance's file held meanwhile, as Linux holds it through the call). */
static int64_t do_epoll_wait(struct sys_ctx *c, uint64_t epfd, uint64_t uevents, int max, int64_t timeout_ns)
{
    struct file *f = fd_file(c->p, epfd);
    int64_t r = max <= 0 || max > 0x7fffffff / 12 ? -LINUX_EINVAL /* Linux's order */
              : !f                                 ? -LINUX_EBADF
              : f->kind != FILE_EPOLL              ? -LINUX_EINVAL
                                                   : (poll_current = c->p, epoll_collect(f, c->p, uevents, max));
    poll_current = NULL;
    if (r == 0 && timeout_ns != 0 && c->p->sig.saved && signal_deliverable(&c->p->sig))
        r = -LINUX_EINTR; /* the swapped mask lets a pending signal through */
    if (r != 0 || timeout_ns == 0) {
        wait_mask_unswap(c->p, r);
        return r;
    }
    c->p->wait = (struct proc_wait){.kind = WAIT_EPOLL, .token = c->token, .fds = (uint64_t)file_get(f),
                                    .nfds = (uint64_t)max, .tv = uevents,
                                    .deadline = timeout_ns > 0 ? clock_after((uint64_t)timeout_ns) : 0};
    poll_waiter_add(c->p);
    c->deferred = true;
    wait_rearm_for(c->p);
    return 0;
}

static int64_t sys_epoll_wait(struct sys_ctx *c, uint64_t epfd, uint64_t uevents, int max, int timeout)
{
    return do_epoll_wait(c, epfd, uevents, max, timeout < 0 ? -1 : (int64_t)timeout * 1000000);
}

static int64_t sys_epoll_pwait(struct sys_ctx *c, uint64_t epfd, uint64_t uevents, int max, int timeout,
                               uint64_t usigmask, uint64_t sigsetsize)
{
    int e = wait_mask_swap(c, usigmask, sigsetsize);
    return e < 0 ? e : do_epoll_wait(c, epfd, uevents, max, timeout < 0 ? -1 : (int64_t)timeout * 1000000);
}

/* A struct timespec timeout argument as ns in *ns (-1: none, NULL);
 * 0, -EFAULT or -EINVAL. */
static int timeout_arg(struct proc *p, uint64_t utmo, int64_t *ns)
{
    int64_t ts[2];
    *ns = -1;
    if (utmo && mem_in(p, ts, utmo, sizeof ts) < 0)
        return -LINUX_EFAULT;
    if (utmo && (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000))
        return -LINUX_EINVAL;
    if (utmo)
        *ns = (int64_t)timespec_ns(ts);
    return 0;
}

static int64_t sys_epoll_pwait2(struct sys_ctx *c, uint64_t epfd, uint64_t uevents, int max, uint64_t utmo,
                                uint64_t usigmask, uint64_t sigsetsize)
{
    int64_t ns;
    int e = timeout_arg(c->p, utmo, &ns);
    if (e == 0)
        e = wait_mask_swap(c, usigmask, sigsetsize);
    return e < 0 ? e : do_epoll_wait(c, epfd, uevents, max, ns);
}

static int64_t sys_poll(struct sys_ctx *c, uint64_t ufds, uint64_t nfds, int timeout)
{
    int64_t ms = timeout;
    return do_poll(c, ufds, nfds, ms < 0 ? -1 : ms * 1000000);
}

static int64_t sys_ppoll(struct sys_ctx *c, uint64_t ufds, uint64_t nfds, uint64_t utmo, uint64_t usigmask,
                         uint64_t sigsetsize)
{
    int64_t ns;
    int e = timeout_arg(c->p, utmo, &ns);
    if (e == 0)
        e = wait_mask_swap(c, usigmask, sigsetsize);
    return e < 0 ? e : do_poll(c, ufds, nfds, ns);
}

/* tv_ns: the timeout, or -1 for none; tv: where select writes the time
 * left (0 for pselect6, which leaves its timespec alone). */
static int64_t do_select(struct sys_ctx *c, uint64_t nfds, const uint64_t sets[3], int64_t timeout_ns, uint64_t tv)
{
    if ((int32_t)nfds < 0)
        return -LINUX_EINVAL;
    if (nfds > (uint64_t)c->p->fds->size)
        nfds = (uint64_t)c->p->fds->size; /* descriptors past the table cannot be open (Linux's max_fds) */
    int64_t r = select_scan(c->p, nfds, sets, false, false);
    if (r == 0 && timeout_ns != 0 && c->p->sig.saved && signal_deliverable(&c->p->sig))
        r = -LINUX_EINTR; /* the swapped mask lets a pending signal through */
    if (r < 0) {
        wait_mask_unswap(c->p, r);
        return r;
    }
    struct proc_wait w = {.kind = WAIT_SELECT, .token = c->token, .nfds = nfds,
                          .deadline = timeout_ns > 0 ? clock_after((uint64_t)timeout_ns) : 0,
                          .sets = {sets[0], sets[1], sets[2]}, .tv = tv};
    c->p->wait = w;
    if (r > 0 || timeout_ns == 0) {
        r = select_done(c->p, r);
        c->p->wait.kind = WAIT_NONE;
        wait_mask_unswap(c->p, r);
        return r;
    }
    poll_waiter_add(c->p);
    c->deferred = true;
    wait_rearm_for(c->p);
    return 0;
}

static int64_t sys_select(struct sys_ctx *c, uint64_t nfds, uint64_t ureadfds, uint64_t uwritefds, uint64_t uexceptfds,
                          uint64_t utimeout)
{
    uint64_t sets[3] = {ureadfds, uwritefds, uexceptfds};
    int64_t tv[2], ns = -1;
    if (utimeout) {
        if (mem_in(c->p, tv, utimeout, sizeof tv) < 0)
            return -LINUX_EFAULT;
        if (tv[0] < 0 || tv[1] < 0)
            return -LINUX_EINVAL;
        int64_t ts[2] = {tv[0] > INT64_MAX - tv[1] / 1000000 ? INT64_MAX : tv[0] + tv[1] / 1000000, tv[1] % 1000000 * 1000};
        ns = (int64_t)timespec_ns(ts);
    }
    return do_select(c, nfds, sets, ns, utimeout);
}

static int64_t sys_pselect6(struct sys_ctx *c, uint64_t nfds, uint64_t ureadfds, uint64_t uwritefds,
                            uint64_t uexceptfds, uint64_t utimeout, uint64_t usigmask)
{
    uint64_t sets[3] = {ureadfds, uwritefds, uexceptfds};
    int64_t ts[2], ns = -1;
    if (utimeout) {
        if (mem_in(c->p, ts, utimeout, sizeof ts) < 0)
            return -LINUX_EFAULT;
        if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
            return -LINUX_EINVAL;
        ns = (int64_t)timespec_ns(ts);
    }
    uint64_t sig[2] = {0, 0}; /* the sixth argument: {const sigset_t *, size_t} */
    if (usigmask && mem_in(c->p, sig, usigmask, sizeof sig) < 0)
        return -LINUX_EFAULT;
    int e = wait_mask_swap(c, sig[0], sig[1]);
    return e < 0 ? e : do_select(c, nfds, sets, ns, 0);
}

/* urem: where an interrupted sleep writes the time it had left (0: not). */
static int64_t sleep_until(struct sys_ctx *c, uint64_t deadline, uint64_t urem)
{
    if (deadline <= clock_now())
        return 0;
    c->p->wait = (struct proc_wait){.kind = WAIT_SLEEP, .token = c->token, .deadline = deadline, .tv = urem};
    c->deferred = true;
    wait_rearm_for(c->p);
    return 0;
}

static int read_timespec(struct sys_ctx *c, uint64_t va, uint64_t *ns)
{
    int64_t ts[2];
    if (mem_in(c->p, ts, va, sizeof ts) < 0)
        return -LINUX_EFAULT;
    if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
        return -LINUX_EINVAL;
    *ns = time_ns(ts[0], ts[1]);
    return 0;
}

static int64_t sys_nanosleep(struct sys_ctx *c, uint64_t ureq, uint64_t urem)
{
    uint64_t ns;
    int r = read_timespec(c, ureq, &ns);
    return r < 0 ? r : sleep_until(c, ns_sat(clock_now(), ns), urem);
}

/* Linux's answer for a clock it cannot sleep on: the raw and coarse
 * clocks, the alarm ones without a real-time clock device, the calling
 * thread's CPU clock, a dynamic clock (CLOCKFD); for no clock, EINVAL. */
static int64_t sleep_clock(int32_t clock)
{
    if (clock == CLOCK_THREAD_CPUTIME_ID || clock == CLOCK_MONOTONIC_RAW || clock == CLOCK_REALTIME_COARSE ||
        clock == CLOCK_MONOTONIC_COARSE || clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM ||
        (clock < 0 && (clock & 7) == 3))
        return -LINUX_EOPNOTSUPP;
    return clock < 0 || (clock <= CLOCK_TAI && clock != 10) ? 0 : -LINUX_EINVAL;
}

static int64_t sys_clock_nanosleep(struct sys_ctx *c, uint64_t clockid, uint64_t flags, uint64_t urequest,
                                   uint64_t uremain)
{
    uint64_t ns;
    int32_t clock = (int32_t)clockid;
    int64_t e = sleep_clock(clock);
    if (e < 0)
        return e;
    int r = read_timespec(c, urequest, &ns);
    if (r < 0)
        return r;
    if (cpuclock_is(clock))
        return cpuclock_nanosleep(c, clock, flags, ns, uremain);
    if (!(flags & TIMER_ABSTIME))
        return sleep_until(c, ns_sat(clock_now(), ns), uremain);
    ns = timens_to_host(c->p, clock, ns); /* a time of the caller's time namespace */
    return sleep_until(c, clock_deadline(ns, clock == CLOCK_REALTIME || clock == CLOCK_TAI), 0);
}
