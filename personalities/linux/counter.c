/*
 * personalities/linux/counter.c - eventfd and timerfd, the two files that
 * hold a 64-bit count.  An eventfd's writes add to it and a read takes it
 * (or 1, with EFD_SEMAPHORE); a timerfd's count is its expirations, which
 * the server's timer adds (wait.c asks timerfd_next for the deadline).  A
 * read of 0, or a write that would overflow, blocks: the process keeps its
 * reply in a WAIT_COUNTER wait and the operation is retried whenever the
 * count changes.  A clock_settime moves absolute CLOCK_REALTIME timerfds,
 * and cancels those armed with TFD_TIMER_CANCEL_ON_SET.  TFD_IOC_SET_TICKS
 * sets a timerfd's count.
 *
 * Entry points: counter.h.  Callers: the syscall table, the file calls,
 * wait.c's timer.  Layer: a file type.  Book: docs/linux.md, "Files".
 */
#include "counter.h"
#include "epoll.h"
#include "proc.h"
#include "time.h"
#include "timens.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/counter.h" /* generated: the handlers' prototypes, entries */

#define COUNT_MAX 0xfffffffffffffffeull

struct counter {
    uint64_t count;
    bool semaphore;               /* eventfd */
    bool timer, realtime;         /* timerfd: CLOCK_REALTIME counts from the epoch */
    bool realtime_abs;            /* armed absolute on CLOCK_REALTIME: clock_settime moves it */
    bool might_cancel, cancelled; /* TFD_TIMER_CANCEL_ON_SET: a clock_settime came since, the next read fails */
    uint64_t next, interval;      /* timerfd: the next expiry (0: disarmed), the period */
    int clockid;                  /* timerfd: its clock (fdinfo) */
    int id;                       /* eventfd: its number (fdinfo's eventfd-id) */
    uint32_t settime_flags;       /* timerfd: the last settime's flags (fdinfo) */
    struct counter *next_timer;   /* the list of timerfds */
};

static struct counter *timers;

/* The operation itself: bytes moved, or -EAGAIN when it must wait. */
static int64_t try_io(struct proc *p, struct counter *k, uint64_t ubuf, bool write)
{
    uint64_t v;
    if (write) {
        if (mem_in(p, &v, ubuf, sizeof v) < 0)
            return -LINUX_EFAULT;
        if (v == ~0ull)
            return -LINUX_EINVAL;
        if (v >= ~0ull - k->count) /* (AIO's eventfd_signal may have left it at ~0: overflowed) */
            return -LINUX_EAGAIN;
        k->count += v;
        return 8;
    }
    if (k->count == 0)
        return -LINUX_EAGAIN;
    if (k->cancelled) { /* the expiries do not matter: the program must look at the clock again */
        k->cancelled = false;
        k->count = 0;
        return -LINUX_ECANCELED;
    }
    v = k->semaphore ? 1 : k->count;
    k->count -= v; /* taken even when the copy out fails, as Linux's */
    return mem_out(p, ubuf, &v, sizeof v) < 0 ? -LINUX_EFAULT : 8;
}

/* The count moved: waiters retry, pollers look again. */
static void changed(struct counter *k)
{
    for (bool again = true; again;) {
        again = false;
        for (struct proc *p = proc_list(); p; p = p->next) {
            if (p->zombie || p->wait.kind != WAIT_COUNTER || ((struct file *)p->wait.fds)->counter != k)
                continue;
            int64_t r = try_io(p, k, p->wait.tv, p->wait.nfds);
            if (r != -LINUX_EAGAIN) {
                wait_finish(p, r);
                again = true; /* a read made room for a writer, or the reverse */
                break;
            }
        }
    }
    poll_recheck();
}

static int64_t counter_io(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, bool write)
{
    struct counter *k = f->counter;
    if (len < 8 || (write && k->timer))
        return -LINUX_EINVAL;
    int64_t r = try_io(c->p, k, ubuf, write);
    if (r == 8 || (r == -LINUX_EFAULT && !write))
        epoll_arrival(k, write ? POLLIN : POLLOUT), changed(k);
    if (r != -LINUX_EAGAIN || (f->flags & O_NONBLOCK))
        return r;
    c->p->wait = (struct proc_wait){.kind = WAIT_COUNTER, .token = c->token, .fds = (uintptr_t)f, .nfds = write,
                                    .tv = ubuf};
    c->deferred = true;
    return 0;
}

static int counter_poll(struct file *f)
{
    struct counter *k = f->counter;
    return (k->count ? POLLIN : 0) | (!k->timer && k->count < COUNT_MAX ? POLLOUT : 0) |
           (k->count == ~0ull ? POLLERR : 0); /* overflowed (eventfd_signal) */
}

/* eventfds' numbers, as Linux's ida hands them out: the lowest free
 * one; a bit each, in bytes grown as needed. */
static uint8_t *ids_used;
static size_t ids_bytes;

static int id_take(void)
{
    size_t i = 0;
    while (i < ids_bytes && ids_used[i] == 0xff)
        i++;
    if (i == ids_bytes) {
        uint8_t *more = realloc(ids_used, ids_bytes + 64);
        if (!more)
            return -1;
        memset(more + ids_bytes, 0, 64);
        ids_used = more, ids_bytes += 64;
    }
    int bit = __builtin_ctz(~(unsigned)ids_used[i]);
    ids_used[i] |= (uint8_t)(1u << bit);
    return (int)i * 8 + bit;
}

static void counter_free(struct counter *k)
{
    if (!k->timer)
        ids_used[k->id / 8] &= (uint8_t)~(1u << (k->id % 8));
    free(k);
}

static void counter_close(struct file *f)
{
    for (struct counter **pk = &timers; *pk; pk = &(*pk)->next_timer)
        if (*pk == f->counter) {
            *pk = f->counter->next_timer;
            break;
        }
    counter_free(f->counter);
}

/* Linux's eventfd_signal, for native AIO's IOCB_FLAG_RESFD: n more, up
 * to ~0, the overflow a write cannot reach, which polls POLLERR and
 * reads as ~0. */
void eventfd_signal(struct file *f, uint64_t n)
{
    struct counter *k = f->counter;
    k->count += n < ~0ull - k->count ? n : ~0ull - k->count;
    epoll_arrival(k, POLLIN);
    changed(k);
}

/* ---- the file operations of eventfds and timerfds ---- */

static int64_t counter_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    return counter_io(c, f, ubuf, len, false);
}

static int64_t counter_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    return counter_io(c, f, ubuf, len, true);
}

/* A timerfd's TFD_IOC_SET_TICKS (Linux's with CONFIG_CHECKPOINT_RESTORE,
 * as Debian's): its count of expirations set, not 0; ECANCELED once a
 * clock change cancelled it.  Nothing else (an eventfd has no ioctl). */
static int64_t counter_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    struct counter *k = f->counter;
    uint64_t ticks;
    if (!k->timer || req != TFD_IOC_SET_TICKS)
        return -LINUX_ENOTTY;
    if (mem_in(c->p, &ticks, arg, sizeof ticks) < 0)
        return -LINUX_EFAULT;
    if (!ticks)
        return -LINUX_EINVAL;
    if (k->cancelled) {
        k->cancelled = false;
        return -LINUX_ECANCELED;
    }
    k->count = ticks;
    epoll_arrival(k, POLLIN);
    changed(k);
    return 0;
}

/* Linux's anon_inodefs, where an eventfd's and a timerfd's inode is (and
 * a signalfd's, an inotify instance's). */
struct fs anon_inodefs = {.type = "anon_inodefs", .dev = DEV_ANONFS, .magic = ANON_INODE_FS_MAGIC};

void anon_inode_stat(const struct file *f, struct linux_stat *st)
{
    (void)f;
    stat_anon(&anon_inodefs, 0600, ANON_INODE_INO, st); /* Linux's anonymous inodes have no file type */
}

/* struct itimerspec: interval, then value, each seconds and nanoseconds. */
static void current(struct counter *k, int64_t its[4])
{
    uint64_t t = clock_now(), left = k->next > t ? k->next - t : k->next ? 1 : 0;
    its[0] = (int64_t)(k->interval / 1000000000), its[1] = (int64_t)(k->interval % 1000000000);
    its[2] = (int64_t)(left / 1000000000), its[3] = (int64_t)(left % 1000000000);
}

/* Linux's eventfd_show_fdinfo (6.1: the count in hex) and
 * timerfd_show. */
static void counter_fdinfo(const struct file *f, void (*put)(const char *fmt, ...))
{
    struct counter *k = f->counter;
    int64_t its[4];
    if (!k->timer) {
        put("eventfd-count: %16llx\neventfd-id: %d\n", (unsigned long long)k->count, k->id);
        return;
    }
    current(k, its);
    put("clockid: %d\nticks: %llu\nsettime flags: 0%o\nit_value: (%lld, %lld)\nit_interval: (%lld, %lld)\n",
        k->clockid, (unsigned long long)k->count, k->settime_flags, (long long)its[2], (long long)its[3],
        (long long)its[0], (long long)its[1]);
}

static const struct file_ops counter_fops = {.read = counter_read, .write = counter_write, .poll = counter_poll, .ioctl = counter_ioctl,
                                             .stat = anon_inode_stat, .release = counter_close, .fs = &anon_inodefs,
                                             .stream = true, .fdinfo = counter_fdinfo};

static int64_t new_file(struct sys_ctx *c, struct counter *k, enum file_kind kind, uint64_t flags)
{
    struct file *f = calloc(1, sizeof *f);
    if (!f) {
        counter_free(k);
        return -LINUX_ENOMEM;
    }
    *f = (struct file){.ops = &counter_fops, .kind = kind, .flags = O_RDWR | (int)(flags & O_NONBLOCK), .refs = 1,
                       .counter = k};
    int fd = fd_alloc(c->p, 0, f, (flags & O_CLOEXEC) != 0);
    if (fd < 0) {
        file_put(f);
        return fd;
    }
    if (k->timer)
        k->next_timer = timers, timers = k;
    return fd;
}

static int64_t sys_eventfd2(struct sys_ctx *c, uint32_t count, uint64_t flags)
{
    if (flags & ~(uint64_t)(EFD_SEMAPHORE | O_NONBLOCK | O_CLOEXEC))
        return -LINUX_EINVAL;
    struct counter *k = calloc(1, sizeof *k);
    if (!k)
        return -LINUX_ENOMEM;
    k->count = count;
    k->semaphore = flags & EFD_SEMAPHORE;
    k->id = id_take();
    if (k->id < 0) {
        free(k);
        return -LINUX_ENOMEM;
    }
    return new_file(c, k, FILE_EVENTFD, flags);
}

static int64_t sys_eventfd(struct sys_ctx *c, uint32_t count) { return sys_eventfd2(c, count, 0); }

/* ---- timerfd ---- */


/* The alarm clocks are taken, as Linux's timerfd takes them even without
 * a real-time clock device to wake the machine (CAP_WAKE_ALARM's, else
 * EPERM): their timers run as the wall and boot clocks' do. */
static int64_t sys_timerfd_create(struct sys_ctx *c, uint64_t uclockid, uint64_t flags)
{
    int32_t clockid = (int32_t)uclockid; /* an int to Linux */
    bool alarm = clockid == CLOCK_REALTIME_ALARM || clockid == CLOCK_BOOTTIME_ALARM;
    if ((clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC && clockid != CLOCK_BOOTTIME && !alarm) ||
        (flags & ~(uint64_t)(O_NONBLOCK | O_CLOEXEC)))
        return -LINUX_EINVAL;
    if (alarm && !cred_capable(&c->p->cred, CAP_WAKE_ALARM))
        return -LINUX_EPERM;
    struct counter *k = calloc(1, sizeof *k);
    if (!k)
        return -LINUX_ENOMEM;
    k->timer = true;
    k->realtime = clockid == CLOCK_REALTIME || clockid == CLOCK_REALTIME_ALARM;
    k->clockid = clockid;
    return new_file(c, k, FILE_TIMERFD, flags);
}

static struct counter *timer_of(struct sys_ctx *c, uint64_t fd, int64_t *err)
{
    struct file *f = fd_file(c->p, fd);
    *err = !f ? -LINUX_EBADF : -LINUX_EINVAL;
    return f && f->counter && f->counter->timer ? f->counter : NULL;
}


static int64_t sys_timerfd_settime(struct sys_ctx *c, uint64_t fd, uint64_t flags, uint64_t unew, uint64_t uold)
{
    int64_t err, its[4], old[4];
    struct counter *k = timer_of(c, fd, &err);
    if (!k)
        return err;
    if (flags & ~(uint64_t)(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
        return -LINUX_EINVAL;
    if (mem_in(c->p, its, unew, sizeof its) < 0)
        return -LINUX_EFAULT;
    for (int i = 0; i < 4; i++)
        if (its[i] < 0 || (i % 2 && its[i] >= 1000000000))
            return -LINUX_EINVAL;
    current(k, old);
    if (uold && mem_out(c->p, uold, old, sizeof old) < 0)
        return -LINUX_EFAULT;
    uint64_t value = time_ns(its[2], its[3]); /* a wild time is "never", not a wrapped one */
    k->interval = time_ns(its[0], its[1]);
    k->count = 0;
    k->settime_flags = (uint32_t)flags;
    k->realtime_abs = k->realtime && (flags & TFD_TIMER_ABSTIME);
    k->might_cancel = k->realtime_abs && (flags & TFD_TIMER_CANCEL_ON_SET); /* armed or not, as Linux */
    k->cancelled = false;
    if (!value)
        k->next = 0;
    else if (!(flags & TFD_TIMER_ABSTIME))
        k->next = ns_sat(clock_now(), value);
    else
        k->next = clock_deadline_every(timens_to_host(c->p, k->clockid, value), k->realtime, k->interval, &k->count);
    if (k->count)
        changed(k);
    if (k->next && k->next <= clock_now())
        timerfd_fire(clock_now()); /* a time already past counts at once, before a read can look */
    wait_rearm();
    return 0;
}

static int64_t sys_timerfd_gettime(struct sys_ctx *c, uint64_t fd, uint64_t ucurr)
{
    int64_t err, its[4];
    struct counter *k = timer_of(c, fd, &err);
    if (!k)
        return err;
    current(k, its);
    return mem_out(c->p, ucurr, its, sizeof its) < 0 ? -LINUX_EFAULT : 0;
}

uint64_t timerfd_next(void)
{
    uint64_t next = 0;
    for (struct counter *k = timers; k; k = k->next_timer)
        if (k->next && (!next || k->next < next))
            next = k->next;
    return next;
}

void timerfd_clock_set(int64_t moved)
{
    for (struct counter *k = timers; k; k = k->next_timer) {
        if (k->realtime_abs && k->next)
            k->next = (int64_t)k->next - moved > 0 ? (uint64_t)((int64_t)k->next - moved) : 1;
        if (k->might_cancel) {
            k->cancelled = true;
            k->count++; /* readable: the read fails */
            changed(k);
        }
    }
}

void timerfd_fire(uint64_t t)
{
    for (struct counter *k = timers; k; k = k->next_timer) {
        if (!k->next || k->next > t)
            continue;
        uint64_t n = 1;
        if (k->interval) {
            n += (t - k->next) / k->interval; /* expiries that passed unseen count too */
            k->next += n * k->interval;
        } else {
            k->next = 0;
        }
        k->count += n;
        changed(k);
    }
}
