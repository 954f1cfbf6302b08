/*
 * personalities/linux/perfevent.c - perf_event_open: a file (anon_inode
 * [perf_event]) counting one software event of one thread.  There is no
 * PMU (as in a VM without one): hardware, cache, raw, tracepoint and
 * breakpoint events are ENOENT.  The software events count from what the
 * server knows of the thread: the clocks (CPU_CLOCK, TASK_CLOCK) its CPU
 * time (cputime.h: steps of a tick), PAGE_FAULTS every page fault it
 * took, PAGE_FAULTS_MIN those that got their page (there are no major
 * ones: no swap, the page cache is memory), CONTEXT_SWITCHES the calls
 * and faults it waited in, and the others (migrations, alignment and
 * emulation faults, dummy, cgroup switches) 0, true on one CPU.
 *
 * An event counts while enabled (not attr.disabled, or after ENABLE, or
 * from the next execve with enable_on_exec) and, in a group, while its
 * leader is; its times enabled and running are the thread's CPU time
 * then (a software event is never multiplexed: they are equal).  Each
 * event keeps its totals, folded in from the thread's readings whenever
 * it is read or changes state, and as the thread ends (what it counted is
 * kept).
 * read() gives Linux's read_format (the group's values with
 * PERF_FORMAT_GROUP); ENABLE, DISABLE and RESET take PERF_IOC_FLAG_GROUP.
 *
 * A CPU-wide event (pid -1, CPU 0: there is one) counts every thread, its
 * clocks and times the time that passes.
 *
 * Not built: sampling (a sample_period or freq: EINVAL) and so the mmap
 * ring buffer; cgroup events (EINVAL); inherit counts the thread alone.
 *
 * Entry points: perfevent.h; the call's handler (syscalls.def).  Callers:
 * exec.c, exit.c, the descriptor calls through the file's operations.  Layer: a
 * file type, above processes.  Book: docs/linux.md, "Performance
 * counters".
 */
#include "file.h"
#include "perfevent.h"
#include "pidns.h"
#include "proc.h"
#include "time.h"
#include "uapi_perf.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/perfevent.h" /* generated: the handlers' prototypes, entries */

#define CAP_PERFMON 38
#define MAX_SAMPLE_RATE 100000 /* kernel.perf_event_max_sample_rate's default */

struct perf_event {
    uint32_t type;
    uint64_t config, read_format, id;
    int tid;                     /* the thread counted; -1: CPU 0, every thread (CPU-wide) */
    bool enabled, enable_on_exec, inherit;
    uint64_t count, time_enabled, time_running; /* the totals */
    uint64_t at_value, at_time;  /* the thread's readings when last folded in */
    struct perf_event *leader;   /* its group's leader: itself for a leader */
    struct perf_event *sibling;  /* a leader's members after it, in the order made */
    struct perf_event *next;     /* every event (perf_exec) */
};
static struct perf_event *events;
static uint64_t next_id = 1;

/* The reading of what ev counts, and its time: the thread's CPU time, or
 * for a CPU-wide event the time that passes (the CPU's clock runs all the
 * while) and every thread's counts; false when the thread is gone. */
static bool reading(const struct perf_event *ev, uint64_t *value, uint64_t *time)
{
    struct proc *t = ev->tid < 0 ? NULL : proc_by_pid(ev->tid);
    const struct task_counts *k = &counts_all;
    uint64_t u, s;
    if (ev->tid < 0) {
        *time = clock_now();
    } else {
        if (!t || t->zombie)
            return false;
        proc_thread_cpu_ns(t, &u, &s);
        *time = u + s;
        k = &t->counts;
    }
    switch (ev->config) {
    case PERF_COUNT_SW_CPU_CLOCK: case PERF_COUNT_SW_TASK_CLOCK: *value = *time; break;
    case PERF_COUNT_SW_PAGE_FAULTS: *value = k->faults; break;
    case PERF_COUNT_SW_PAGE_FAULTS_MIN: *value = k->minflt; break;
    case PERF_COUNT_SW_CONTEXT_SWITCHES: *value = k->switches; break;
    default: *value = 0; /* migrations, major faults, ...: none here */
    }
    return true;
}

static bool counting(const struct perf_event *ev) { return ev->enabled && ev->leader->enabled; }

/* Folds what the thread did since the last fold into ev's totals. */
static void fold(struct perf_event *ev)
{
    uint64_t v, t;
    if (!reading(ev, &v, &t))
        return; /* gone: the totals stay, folded as it ended (perf_thread_ending) */
    if (t < ev->at_time || v < ev->at_value)
        ev->at_time = t, ev->at_value = v; /* not the thread it was (its id taken again) */
    if (ev->enabled)
        ev->time_enabled += t - ev->at_time;
    if (counting(ev)) {
        ev->count += v - ev->at_value;
        ev->time_running += t - ev->at_time;
    }
    ev->at_value = v;
    ev->at_time = t;
}

/* Folds ev's whole group (before a change of its state). */
static void fold_group(struct perf_event *ev)
{
    for (struct perf_event *e = ev->leader; e; e = e->sibling)
        fold(e);
}

/* Folded as the old thread went (perf_thread_ending): the new thread's
 * readings are where its counting goes on from. */
void perf_exec(struct proc *p)
{
    uint64_t v, t;
    for (struct perf_event *ev = events; ev; ev = ev->next) {
        if (ev->tid != p->pid || !reading(ev, &v, &t))
            continue;
        ev->at_value = v, ev->at_time = t;
        ev->enabled |= ev->enable_on_exec;
        ev->enable_on_exec = false; /* once, as Linux's */
    }
}

void perf_thread_ending(struct proc *t)
{
    for (struct perf_event *ev = events; ev; ev = ev->next)
        if (ev->tid == t->pid)
            fold(ev);
}

/* ---- the file ---- */

/* The words a read gives, into w (room for 3 + 3 * members); their count. */
static size_t read_words(struct perf_event *ev, uint64_t *w)
{
    uint64_t f = ev->read_format;
    struct perf_event *first = f & PERF_FORMAT_GROUP ? ev->leader : ev;
    size_t n = 0, members = 0;
    fold_group(ev);
    for (struct perf_event *e = first; e; e = f & PERF_FORMAT_GROUP ? e->sibling : NULL)
        members++;
    if (f & PERF_FORMAT_GROUP)
        w[n++] = members;
    else
        w[n++] = ev->count;
    if (f & PERF_FORMAT_TOTAL_TIME_ENABLED)
        w[n++] = first->time_enabled;
    if (f & PERF_FORMAT_TOTAL_TIME_RUNNING)
        w[n++] = first->time_running;
    for (struct perf_event *e = first; e; e = f & PERF_FORMAT_GROUP ? e->sibling : NULL) {
        if (f & PERF_FORMAT_GROUP)
            w[n++] = e->count;
        if (f & PERF_FORMAT_ID)
            w[n++] = e->id;
        if (f & PERF_FORMAT_LOST)
            w[n++] = 0;
    }
    return n;
}

static int64_t perf_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    size_t members = 0;
    for (struct perf_event *e = f->perf->leader; e; e = e->sibling)
        members++;
    uint64_t *w = malloc((3 + 3 * members) * sizeof *w);
    if (!w)
        return -LINUX_ENOMEM;
    size_t bytes = read_words(f->perf, w) * sizeof *w;
    int64_t r = len < bytes ? -LINUX_ENOSPC : mem_out(c->p, ubuf, w, bytes) < 0 ? -LINUX_EFAULT : (int64_t)bytes;
    free(w);
    return r;
}

/* ENABLE, DISABLE (on 1, 0) or RESET (on -1) of ev, or of its group. */
static void perf_switch(struct perf_event *ev, int on, bool group)
{
    fold_group(ev);
    for (struct perf_event *e = group ? ev->leader : ev; e; e = group ? e->sibling : NULL) {
        if (on < 0)
            e->count = 0;
        else
            e->enabled = on;
    }
}

/* An i386 program's ioctl whose size is a pointer's (ID, SET_FILTER,
 * QUERY_BPF, MODIFY_ATTRIBUTES): the 64-bit number, as Linux's
 * perf_compat_ioctl fixes it. */
static uint64_t compat_request(uint64_t req)
{
    uint64_t nr = req & 0xff, size = req >> 16 & 0x3fff;
    if ((req >> 8 & 0xff) != '$' || size != 4 || (nr != 6 && nr != 7 && nr != 10 && nr != 11))
        return req;
    return (req & ~(0x3fffull << 16)) | 8ull << 16;
}

static int64_t perf_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    struct perf_event *ev = f->perf;
    uint64_t word;
    switch (c->i386 ? compat_request(req) : req) {
    case PERF_EVENT_IOC_ENABLE: perf_switch(ev, 1, arg & PERF_IOC_FLAG_GROUP); return 0;
    case PERF_EVENT_IOC_DISABLE: perf_switch(ev, 0, arg & PERF_IOC_FLAG_GROUP); return 0;
    case PERF_EVENT_IOC_RESET: perf_switch(ev, -1, arg & PERF_IOC_FLAG_GROUP); return 0;
    case PERF_EVENT_IOC_ID: return mem_out(c->p, arg, &ev->id, sizeof ev->id);
    case PERF_EVENT_IOC_PERIOD: /* the new period is read first, then: not a sampling event */
        return mem_in(c->p, &word, arg, sizeof word) < 0 ? -LINUX_EFAULT : -LINUX_EINVAL;
    case PERF_EVENT_IOC_REFRESH: case PERF_EVENT_IOC_SET_FILTER: case PERF_EVENT_IOC_PAUSE_OUTPUT:
        return -LINUX_EINVAL; /* sampling, tracepoints, a ring buffer: none here */
    case PERF_EVENT_IOC_SET_OUTPUT: {
        struct file *out = (int)arg == -1 ? NULL : fd_file(c->p, arg);
        return (int)arg == -1 || (out && out->kind == FILE_PERF) ? 0 : -LINUX_EBADF;
    }
    default: return -LINUX_ENOTTY;
    }
}

/* The leader's file closes first: its members go on as events of their own. */
static void perf_release(struct file *f)
{
    struct perf_event *ev = f->perf;
    fold_group(ev);
    if (ev->leader == ev) {
        for (struct perf_event *e = ev->sibling, *n; e; e = n) {
            n = e->sibling;
            e->leader = e;
            e->sibling = NULL;
        }
    } else {
        for (struct perf_event **pe = &ev->leader->sibling; *pe; pe = &(*pe)->sibling)
            if (*pe == ev) {
                *pe = ev->sibling;
                break;
            }
    }
    for (struct perf_event **pe = &events; *pe; pe = &(*pe)->next)
        if (*pe == ev) {
            *pe = ev->next;
            break;
        }
    free(ev);
}

static int perf_poll(struct file *f)
{
    (void)f;
    return 0; /* no ring buffer: nothing to wake a poll for */
}

static const struct file_ops perf_fops = {.read = perf_read, .ioctl = perf_ioctl, .poll = perf_poll,
                                          .stat = anon_inode_stat, .release = perf_release,
                                          .fs = &anon_inodefs, .stream = true, .no_llseek = true};

/* ---- the call ---- */

/* Linux's perf_copy_attr: the size (0 is VER0's; past the structure the
 * bytes must be zero, else E2BIG with our size written back) and the
 * fields' own checks. */
static int64_t attr_in(struct sys_ctx *c, uint64_t uattr, struct perf_event_attr_k *a)
{
    uint32_t size;
    memset(a, 0, sizeof *a);
    if (mem_in(c->p, &size, uattr + offsetof(struct perf_event_attr_k, size), sizeof size) < 0)
        return -LINUX_EFAULT;
    size = size ? size : PERF_ATTR_SIZE_VER0;
    bool big = size < PERF_ATTR_SIZE_VER0 || size > 4096;
    int z = big || size <= sizeof *a ? 0 : mem_zeros(c->p, uattr + sizeof *a, size - sizeof *a);
    if (z < 0)
        return -LINUX_EFAULT;
    big |= z == 1;
    if (big) {
        uint32_t ours = sizeof *a;
        return mem_out(c->p, uattr + offsetof(struct perf_event_attr_k, size), &ours, sizeof ours) < 0 ? -LINUX_EFAULT
                                                                                                     : -LINUX_E2BIG;
    }
    if (mem_in(c->p, a, uattr, size < sizeof *a ? size : sizeof *a) < 0)
        return -LINUX_EFAULT;
    a->size = size;
    uint64_t fl = a->flags;
    if ((fl >> ATTR_RESERVED_1) || a->reserved_2 || a->reserved_3 || (a->read_format & ~(uint64_t)(PERF_FORMAT_MAX - 1)))
        return -LINUX_EINVAL;
    if (((fl >> ATTR_INHERIT_THREAD & 1) && !(fl >> ATTR_INHERIT & 1)) ||
        ((fl >> ATTR_REMOVE_ON_EXEC & 1) && (fl >> ATTR_ENABLE_ON_EXEC & 1)) ||
        ((fl >> ATTR_SIGTRAP & 1) && !(fl >> ATTR_REMOVE_ON_EXEC & 1)))
        return -LINUX_EINVAL;
    return 0;
}

/* The attribute's checks after the copy, Linux's order: the kernel's
 * part needs privilege (perf_event_paranoid 2), a frequency its limit;
 * then ours: no sampling. */
static bool perf_privileged(struct sys_ctx *c)
{
    return cred_capable(&c->p->cred, CAP_PERFMON) || cred_capable(&c->p->cred, CAP_SYS_ADMIN);
}

static int64_t attr_check(struct sys_ctx *c, const struct perf_event_attr_k *a)
{
    if (!(a->flags >> ATTR_EXCLUDE_KERNEL & 1) && !perf_privileged(c))
        return -LINUX_EACCES;
    if ((a->flags >> ATTR_FREQ & 1) ? a->sample_period > MAX_SAMPLE_RATE : (a->sample_period >> 63) != 0)
        return -LINUX_EINVAL;
    if ((a->flags >> ATTR_FREQ & 1) || a->sample_period)
        return -LINUX_EINVAL; /* sampling is not built */
    return 0;
}

/* The group leader group_fd names (NULL: none); 0 or EBADF. */
static int64_t leader_of(struct sys_ctx *c, int group_fd, uint64_t flags, struct perf_event **leader)
{
    *leader = NULL;
    if (group_fd == -1)
        return 0;
    struct file *g = fd_file(c->p, (uint64_t)(int64_t)group_fd);
    if (!g || g->kind != FILE_PERF)
        return -LINUX_EBADF;
    *leader = flags & PERF_FLAG_FD_NO_GROUP ? NULL : g->perf;
    return 0;
}

/* The thread pid names (0: the caller), or NULL: ESRCH. */
static struct proc *target(struct sys_ctx *c, int pid)
{
    struct proc *t = pid == 0 ? c->p : pidns_find(c->p, pid);
    return t && !t->zombie ? t : NULL;
}

/* A new event, counting if enabled from now; its descriptor. */
static int64_t perf_new(struct sys_ctx *c, const struct perf_event_attr_k *a, int tid,
                        struct perf_event *leader, uint64_t flags)
{
    struct perf_event *ev = calloc(1, sizeof *ev);
    struct file *f = calloc(1, sizeof *f);
    if (!ev || !f) {
        free(ev);
        free(f);
        return -LINUX_ENOMEM;
    }
    *ev = (struct perf_event){.type = a->type, .config = a->config, .read_format = a->read_format, .id = next_id++,
                              .tid = tid, .enabled = !(a->flags >> ATTR_DISABLED & 1),
                              .enable_on_exec = (a->flags >> ATTR_ENABLE_ON_EXEC & 1) != 0,
                              .inherit = (a->flags >> ATTR_INHERIT & 1) != 0, .next = events};
    ev->leader = leader ? leader : ev;
    if (leader) {
        fold_group(leader);
        struct perf_event **pe = &leader->sibling;
        while (*pe)
            pe = &(*pe)->sibling;
        *pe = ev;
    }
    events = ev;
    uint64_t v, tm;
    if (reading(ev, &v, &tm))
        ev->at_value = v, ev->at_time = tm;
    *f = (struct file){.ops = &perf_fops, .kind = FILE_PERF, .flags = O_RDWR, .refs = 1, .perf = ev};
    int fd = fd_alloc(c->p, 0, f, (flags & PERF_FLAG_FD_CLOEXEC) != 0);
    if (fd < 0)
        file_put(f);
    return fd;
}

static int64_t sys_perf_event_open(struct sys_ctx *c, uint64_t uattr, int pid, int cpu, int group_fd, uint64_t flags)
{
    struct perf_event_attr_k a;
    struct perf_event *leader;
    if (flags & ~(uint64_t)(PERF_FLAG_FD_NO_GROUP | PERF_FLAG_FD_OUTPUT | PERF_FLAG_PID_CGROUP | PERF_FLAG_FD_CLOEXEC))
        return -LINUX_EINVAL;
    int64_t e = attr_in(c, uattr, &a);
    if (e || (e = attr_check(c, &a)))
        return e;
    if ((flags & PERF_FLAG_PID_CGROUP) && (pid == -1 || cpu == -1))
        return -LINUX_EINVAL;
    if ((e = leader_of(c, group_fd, flags, &leader)))
        return e;
    struct proc *t = pid == -1 || (flags & PERF_FLAG_PID_CGROUP) ? NULL : target(c, pid);
    if (pid != -1 && !(flags & PERF_FLAG_PID_CGROUP) && !t)
        return -LINUX_ESRCH;
    if (t && leader && leader->inherit != ((a.flags >> ATTR_INHERIT & 1) != 0))
        return -LINUX_EINVAL;
    if ((unsigned)cpu >= 1 && (!t || cpu != -1))
        return -LINUX_EINVAL; /* one CPU, 0 */
    if (flags & PERF_FLAG_PID_CGROUP)
        return -LINUX_EINVAL; /* cgroup events are not built */
    if (a.type != PERF_TYPE_SOFTWARE || a.config >= PERF_COUNT_SW_MAX)
        return -LINUX_ENOENT; /* no PMU, no tracepoints or breakpoints */
    int tid = t ? t->pid : -1;
    if (leader && (leader->leader != leader || leader->tid != tid || (a.flags >> ATTR_PINNED & 1) ||
                   (a.flags >> ATTR_EXCLUSIVE & 1)))
        return -LINUX_EINVAL;
    if (t ? proc_group(t) != proc_group(c->p) && !proc_may_ptrace(c->p, t) : !perf_privileged(c))
        return -LINUX_EACCES; /* another's thread: ptrace's read access; a CPU: perf_event_paranoid 2 */
    return perf_new(c, &a, tid, leader, flags);
}
