/*
 * personalities/linux/wait.c - waiting for several things or for time:
 * poll, ppoll, select and pselect6 over the terminal, pipes, sockets and
 * files, nanosleep and clock_nanosleep.  A waiting process keeps its
 * reply token in p->wait; the wait ends when poll_recheck() finds a
 * descriptor ready (called when the terminal or a pipe changes) or when
 * the timer, a notification bound to this server's thread, reaches the
 * deadline.
 *
 * Entry points: wait.h.  Callers: the syscall table; every subsystem that
 * parks a process in a wait.  Layer: waits, above the file types.  Book:
 * docs/linux.md, "Waiting".
 */
#include "counter.h"
#include "cputime.h"
#include "proc.h"
#include "procfs.h"
#include "ptimer.h"
#include "tty.h"
#include "wait.h"
#include "epoll.h"
#include <string.h>
#include "linux_entries/wait.h" /* generated: the handlers' prototypes, entries */

static int timer = -1;

void wait_init(void)
{
    long n = sys_notif_create();
    if (n >= 0 && sys_notif_bind((int)n) == 0)
        timer = (int)n;
}


void wait_rearm(void)
{
    uint64_t next = 0, t = clock_now();
    for (struct proc *p = proc_list(); p; p = p->next) {
        if (!p->zombie && p->wait.kind && p->wait.deadline && (!next || p->wait.deadline < next))
            next = p->wait.deadline;
        if (!p->zombie && p->alarm.at && (!next || p->alarm.at < next))
            next = p->alarm.at;
    }
    uint64_t tfd = timerfd_next(), tty = tty_next_deadline(), load = loadavg_next(), pt = ptimer_next();
    if (!next || load < next)
        next = load;
    if (pt && pt < next)
        next = pt;
    if (cputime_armed() && t + CPUTIME_POLL_NS < next) /* CPU time is checked at a tick */
        next = t + CPUTIME_POLL_NS;
    if (tfd && (!next || tfd < next))
        next = tfd;
    if (tty && (!next || tty < next))
        next = tty;
    if (timer >= 0)
        sys_timer_arm(timer, next ? (next > t ? next - t : 1) : 0, 1);
}

static int64_t select_done(struct proc *p, int64_t ready);

/* ppoll and pselect6 wait under their own signal mask, swapped in as
 * sigsuspend does; it stays while a handler is set up (the frame keeps the
 * caller's) and is undone by any other end of the wait. */
static int swap_mask(struct sys_ctx *c, uint64_t umask, uint64_t size)
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

static void unswap_mask(struct proc *p, int64_t r)
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
    if (p->wait.kind == WAIT_EPOLL || p->wait.kind == WAIT_FLOCK)
        file_put((struct file *)p->wait.fds);
    if (p->wait.kind == WAIT_POLL || p->wait.kind == WAIT_SELECT || p->wait.kind == WAIT_EPOLL)
        unswap_mask(p, r);
    p->wait.kind = WAIT_NONE;
    proc_reply(p, p->wait.token, r);
}

/* What a descriptor is ready for: POLLIN, POLLOUT, POLLHUP..., or POLLNVAL. */
static int fd_ready(struct proc *p, int fd)
{
    struct file *f = fd >= 0 && fd < MAX_FDS ? p->fds->fd[fd] : NULL;
    return !f ? POLLNVAL : f->ops->poll ? f->ops->poll(f) : POLLIN | POLLOUT;
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

/* select's sets: bit n of a set is descriptor n, in 64-bit words. */
#define SET_WORDS (MAX_FDS / 64 + 1)
struct fdsets {
    uint64_t in[3][SET_WORDS], out[3][SET_WORDS];
};

/* Reads the sets and computes the ready ones into s->out; the count of set
 * bits (Linux's answer), or -EBADF, -EFAULT. */
static int64_t select_scan(struct proc *p, uint64_t nfds, const uint64_t sets[3], struct fdsets *s)
{
    size_t bytes = (nfds + 7) / 8;
    memset(s, 0, sizeof *s);
    for (int k = 0; k < 3; k++)
        if (sets[k] && mem_in(p, s->in[k], sets[k], bytes) < 0)
            return -LINUX_EFAULT;
    int64_t ready = 0;
    for (uint64_t fd = 0; fd < nfds; fd++) {
        uint64_t bit = 1ull << (fd % 64), w = fd / 64;
        if (!((s->in[0][w] | s->in[1][w] | s->in[2][w]) & bit))
            continue;
        int m = fd_ready(p, (int)fd);
        if (m & POLLNVAL)
            return -LINUX_EBADF;
        /* readable: data, end of file or hang-up; writable: room or error */
        bool r = m & (POLLIN | POLLHUP), wr = m & (POLLOUT | POLLERR);
        if ((s->in[0][w] & bit) && r)
            s->out[0][w] |= bit, ready++;
        if ((s->in[1][w] & bit) && wr)
            s->out[1][w] |= bit, ready++;
    }
    return ready;
}

/* The end of a select: the ready sets (all empty on a timeout) and the
 * time left go back to the caller. */
static int64_t select_done(struct proc *p, int64_t ready)
{
    struct fdsets s;
    int64_t r = select_scan(p, p->wait.nfds, p->wait.sets, &s);
    if (r < 0)
        return r;
    if (ready == 0)
        memset(s.out, 0, sizeof s.out);
    size_t bytes = (p->wait.nfds + 7) / 8;
    for (int k = 0; k < 3; k++)
        if (p->wait.sets[k] && mem_out(p, p->wait.sets[k], s.out[k], bytes) < 0)
            return -LINUX_EFAULT;
    if (p->wait.tv && p->wait.deadline) {
        uint64_t t = clock_now(), left = p->wait.deadline > t ? p->wait.deadline - t : 0;
        int64_t tv[2] = {(int64_t)(left / 1000000000), (int64_t)(left % 1000000000 / 1000)};
        mem_out(p, p->wait.tv, tv, sizeof tv);
    }
    return ready ? r : 0;
}

void poll_recheck(void)
{
    if (epoll_edge_entries)
        epoll_notice();
    for (struct proc *p = proc_list(); p; p = p->next) {
        if (p->zombie || p->wait.kind == WAIT_NONE)
            continue;
        if (p->wait.kind == WAIT_EPOLL) {
            if (epoll_has_ready((struct file *)p->wait.fds))
                wait_finish(p, epoll_collect((struct file *)p->wait.fds, p, p->wait.tv, (int)p->wait.nfds));
            continue;
        }
        if (p->wait.kind != WAIT_POLL && p->wait.kind != WAIT_SELECT)
            continue;
        struct fdsets s;
        int64_t r = p->wait.kind == WAIT_POLL ? poll_scan(p, p->wait.fds, p->wait.nfds)
                                               : select_scan(p, p->wait.nfds, p->wait.sets, &s);
        if (r != 0)
            wait_finish(p, r);
    }
}

void timers_fire(void)
{
    uint64_t t = clock_now();
    timerfd_fire(t);
    ptimer_fire(t);
    if (cputime_armed())
        cputime_tick();
    tty_timeout(t);
    loadavg_tick(t);
    for (struct proc *p = proc_list(); p; p = p->next) {
        if (!p->zombie && p->wait.kind && p->wait.deadline && p->wait.deadline <= t)
            wait_finish(p, p->wait.kind == WAIT_FUTEX ? -LINUX_ETIMEDOUT
                           : p->wait.kind == WAIT_SIGWAIT ? -LINUX_EAGAIN : 0);
        if (!p->zombie && p->alarm.at && p->alarm.at <= t) {
            /* an interval timer runs on from its last expiry, skipping
             * expiries that passed unseen (one signal for them, as Linux) */
            p->alarm.at = p->alarm.every ? p->alarm.at + ((t - p->alarm.at) / p->alarm.every + 1) * p->alarm.every : 0;
            signal_send(p, SIGALRM, NULL);
        }
    }
    wait_rearm();
}

bool wait_cancel(struct proc *p, uint64_t *token)
{
    if (p->wait.kind == WAIT_NONE)
        return false;
    if (p->wait.kind == WAIT_EPOLL || p->wait.kind == WAIT_FLOCK)
        file_put((struct file *)p->wait.fds);
    uint64_t t = clock_now(), left = p->wait.deadline > t ? p->wait.deadline - t : 0;
    if (p->wait.kind == WAIT_SLEEP && p->wait.tv && (p->wait.deadline || cpuclock_sleep_left(p, &left))) {
        /* a relative sleep: the time it had left, on its clock */
        int64_t ts[2] = {(int64_t)(left / 1000000000), (int64_t)(left % 1000000000)};
        mem_out(p, p->wait.tv, ts, sizeof ts); /* at a bad address Linux's answer is EFAULT; here still EINTR */
    }
    p->wait.kind = WAIT_NONE;
    *token = p->wait.token;
    return true;
}

static int64_t do_poll(struct sys_ctx *c, uint64_t ufds, uint64_t nfds, int64_t timeout_ns)
{
    if (nfds > MAX_FDS)
        return -LINUX_EINVAL;
    int64_t r = poll_scan(c->p, ufds, nfds);
    if (r == 0 && timeout_ns != 0 && c->p->sig.saved && signal_deliverable(&c->p->sig))
        return -LINUX_EINTR; /* the swapped mask lets a pending signal through */
    if (r != 0 || timeout_ns == 0) {
        unswap_mask(c->p, r);
        return r;
    }
    c->p->wait = (struct proc_wait){.kind = WAIT_POLL, .token = c->token, .fds = ufds, .nfds = nfds,
                                    .deadline = timeout_ns > 0 ? clock_now() + (uint64_t)timeout_ns : 0};
    c->deferred = true;
    wait_rearm();
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
                                                   : epoll_collect(f, c->p, uevents, max);
    if (r == 0 && timeout_ns != 0 && c->p->sig.saved && signal_deliverable(&c->p->sig))
        r = -LINUX_EINTR; /* the swapped mask lets a pending signal through */
    if (r != 0 || timeout_ns == 0) {
        unswap_mask(c->p, r);
        return r;
    }
    c->p->wait = (struct proc_wait){.kind = WAIT_EPOLL, .token = c->token, .fds = (uint64_t)file_get(f),
                                    .nfds = (uint64_t)max, .tv = uevents,
                                    .deadline = timeout_ns > 0 ? clock_now() + (uint64_t)timeout_ns : 0};
    c->deferred = true;
    wait_rearm();
    return 0;
}

static int64_t sys_epoll_wait(struct sys_ctx *c, uint64_t epfd, uint64_t uevents, int max, int timeout)
{
    return do_epoll_wait(c, epfd, uevents, max, timeout < 0 ? -1 : (int64_t)timeout * 1000000);
}

static int64_t sys_epoll_pwait(struct sys_ctx *c, uint64_t epfd, uint64_t uevents, int max, int timeout,
                               uint64_t usigmask, uint64_t sigsetsize)
{
    int e = swap_mask(c, usigmask, sigsetsize);
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
        *ns = ts[0] * 1000000000 + ts[1];
    return 0;
}

static int64_t sys_epoll_pwait2(struct sys_ctx *c, uint64_t epfd, uint64_t uevents, int max, uint64_t utmo,
                                uint64_t usigmask, uint64_t sigsetsize)
{
    int64_t ns;
    int e = timeout_arg(c->p, utmo, &ns);
    if (e == 0)
        e = swap_mask(c, usigmask, sigsetsize);
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
        e = swap_mask(c, usigmask, sigsetsize);
    return e < 0 ? e : do_poll(c, ufds, nfds, ns);
}

/* tv_ns: the timeout, or -1 for none; tv: where select writes the time
 * left (0 for pselect6, which leaves its timespec alone). */
static int64_t do_select(struct sys_ctx *c, uint64_t nfds, const uint64_t sets[3], int64_t timeout_ns, uint64_t tv)
{
    if ((int32_t)nfds < 0)
        return -LINUX_EINVAL;
    if (nfds > MAX_FDS)
        nfds = MAX_FDS; /* descriptors above the table cannot be open */
    struct fdsets s;
    int64_t r = select_scan(c->p, nfds, sets, &s);
    if (r == 0 && timeout_ns != 0 && c->p->sig.saved && signal_deliverable(&c->p->sig))
        r = -LINUX_EINTR; /* the swapped mask lets a pending signal through */
    if (r < 0) {
        unswap_mask(c->p, r);
        return r;
    }
    struct proc_wait w = {.kind = WAIT_SELECT, .token = c->token, .nfds = nfds,
                          .deadline = timeout_ns > 0 ? clock_now() + (uint64_t)timeout_ns : 0,
                          .sets = {sets[0], sets[1], sets[2]}, .tv = tv};
    c->p->wait = w;
    if (r > 0 || timeout_ns == 0) {
        r = select_done(c->p, r);
        c->p->wait.kind = WAIT_NONE;
        unswap_mask(c->p, r);
        return r;
    }
    c->deferred = true;
    wait_rearm();
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
        ns = tv[0] * 1000000000 + (tv[1] % 1000000) * 1000 + tv[1] / 1000000 * 1000000000;
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
        ns = ts[0] * 1000000000 + ts[1];
    }
    uint64_t sig[2] = {0, 0}; /* the sixth argument: {const sigset_t *, size_t} */
    if (usigmask && mem_in(c->p, sig, usigmask, sizeof sig) < 0)
        return -LINUX_EFAULT;
    int e = swap_mask(c, sig[0], sig[1]);
    return e < 0 ? e : do_select(c, nfds, sets, ns, 0);
}

/* urem: where an interrupted sleep writes the time it had left (0: not). */
static int64_t sleep_until(struct sys_ctx *c, uint64_t deadline, uint64_t urem)
{
    if (deadline <= clock_now())
        return 0;
    c->p->wait = (struct proc_wait){.kind = WAIT_SLEEP, .token = c->token, .deadline = deadline, .tv = urem};
    c->deferred = true;
    wait_rearm();
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
    return sleep_until(c, clock_deadline(ns, clock == CLOCK_REALTIME || clock == CLOCK_TAI), 0);
}
