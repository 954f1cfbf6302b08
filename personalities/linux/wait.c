/*
 * personalities/linux/wait.c - waiting for several things or for time:
 * poll and ppoll over the terminal, pipes and files, nanosleep and
 * clock_nanosleep.  A waiting process keeps its reply token in p->wait; the
 * wait ends when poll_recheck() finds a descriptor ready (called when the
 * terminal or a pipe changes) or when the timer, a notification bound to
 * this server's thread, reaches the deadline.
 */
#include "linux.h"
#include <string.h>

#define POLLIN 1
#define POLLOUT 4
#define POLLNVAL 0x20
#define TIMER_ABSTIME 1
#define EPOCH_NS 1704067200000000000ull

static int timer = -1;

void wait_init(void)
{
    long n = sys_notif_create();
    if (n >= 0 && sys_notif_bind((int)n) == 0)
        timer = (int)n;
}

static uint64_t now(void) { return (uint64_t)sys_clock_ns(); }

static void rearm(void)
{
    uint64_t next = 0, t = now();
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && p->wait.kind && p->wait.deadline && (!next || p->wait.deadline < next))
            next = p->wait.deadline;
    if (timer >= 0)
        sys_timer_arm(timer, next ? (next > t ? next - t : 1) : 0, 1);
}

static void finish(struct proc *p, int64_t r)
{
    p->wait.kind = WAIT_NONE;
    proc_reply(p, p->wait.token, r);
}

/* Computes revents for every pollfd; returns how many are ready. */
static int64_t poll_scan(struct proc *p, uint64_t ufds, uint64_t nfds)
{
    int64_t ready = 0;
    for (uint64_t i = 0; i < nfds; i++) {
        struct { int32_t fd; int16_t events, revents; } pfd;
        if (mem_in(p, &pfd, ufds + i * 8, 8) < 0)
            return -LINUX_EFAULT;
        int16_t rev = 0;
        if (pfd.fd >= 0) {
            struct file *f = pfd.fd < MAX_FDS ? p->fds.fd[pfd.fd] : NULL;
            int mask = !f ? POLLNVAL : f->kind == FILE_CONSOLE ? (tty_readable() ? POLLIN : 0) | POLLOUT
                       : f->pipe ? pipe_poll(f) : POLLIN | POLLOUT;
            rev = (int16_t)(mask & (pfd.events | 0x38)); /* POLLERR, POLLHUP, POLLNVAL always */
        }
        if (rev)
            ready++;
        pfd.revents = rev;
        if (mem_out(p, ufds + i * 8, &pfd, 8) < 0)
            return -LINUX_EFAULT;
    }
    return ready;
}

void poll_recheck(void)
{
    for (struct proc *p = proc_list(); p; p = p->next) {
        if (p->zombie || p->wait.kind != WAIT_POLL)
            continue;
        int64_t r = poll_scan(p, p->wait.fds, p->wait.nfds);
        if (r != 0)
            finish(p, r);
    }
}

void timers_fire(void)
{
    uint64_t t = now();
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && p->wait.kind && p->wait.deadline && p->wait.deadline <= t)
            finish(p, 0);
    rearm();
}

bool wait_cancel(struct proc *p, uint64_t *token)
{
    if (p->wait.kind == WAIT_NONE)
        return false;
    p->wait.kind = WAIT_NONE;
    *token = p->wait.token;
    return true;
}

static int64_t do_poll(struct sys_ctx *c, uint64_t ufds, uint64_t nfds, int64_t timeout_ns)
{
    if (nfds > MAX_FDS)
        return -LINUX_EINVAL;
    int64_t r = poll_scan(c->p, ufds, nfds);
    if (r != 0 || timeout_ns == 0)
        return r;
    c->p->wait = (struct proc_wait){WAIT_POLL, c->token, ufds, nfds, timeout_ns > 0 ? now() + (uint64_t)timeout_ns : 0};
    c->deferred = true;
    rearm();
    return 0;
}

SYSCALL_HANDLER(poll)
{
    int64_t ms = (int64_t)(int32_t)c->a[2];
    return do_poll(c, c->a[0], c->a[1], ms < 0 ? -1 : ms * 1000000);
}

SYSCALL_HANDLER(ppoll)
{
    int64_t ts[2];
    if (c->a[2] && mem_in(c->p, ts, c->a[2], sizeof ts) < 0)
        return -LINUX_EFAULT;
    if (c->a[2] && (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000))
        return -LINUX_EINVAL;
    return do_poll(c, c->a[0], c->a[1], c->a[2] ? ts[0] * 1000000000 + ts[1] : -1); /* the mask waits for signals */
}

static int64_t sleep_until(struct sys_ctx *c, uint64_t deadline)
{
    if (deadline <= now())
        return 0;
    c->p->wait = (struct proc_wait){WAIT_SLEEP, c->token, 0, 0, deadline};
    c->deferred = true;
    rearm();
    return 0;
}

static int read_timespec(struct sys_ctx *c, uint64_t va, uint64_t *ns)
{
    int64_t ts[2];
    if (mem_in(c->p, ts, va, sizeof ts) < 0)
        return -LINUX_EFAULT;
    if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
        return -LINUX_EINVAL;
    *ns = (uint64_t)ts[0] * 1000000000ull + (uint64_t)ts[1];
    return 0;
}

SYSCALL_HANDLER(nanosleep)
{
    uint64_t ns;
    int r = read_timespec(c, c->a[0], &ns);
    return r < 0 ? r : sleep_until(c, now() + ns);
}

SYSCALL_HANDLER(clock_nanosleep)
{
    uint64_t ns;
    if (c->a[0] > 11)
        return -LINUX_EINVAL;
    int r = read_timespec(c, c->a[2], &ns);
    if (r < 0)
        return r;
    if (!(c->a[1] & TIMER_ABSTIME))
        return sleep_until(c, now() + ns);
    uint64_t base = c->a[0] == 0 ? EPOCH_NS : 0; /* CLOCK_REALTIME counts from the epoch */
    return sleep_until(c, ns > base ? ns - base : 0);
}
