/*
 * personalities/linux/procpidlive.c - the files of /proc/PID (and of
 * task/TID) whose text is made at each read, as Linux's seq_file makes
 * it, not at the lookup: syscall (the call a thread is blocked in, its
 * six arguments, stack pointer and return address, "running" for a
 * thread on the CPU; the reader's own read for itself), stack (root's:
 * empty, see below), sched (CONFIG_SCHED_DEBUG's text), autogroup
 * (CONFIG_SCHED_AUTOGROUP's: a group per session a setsid made, with a
 * nice value of its own), children (CONFIG_PROC_CHILDREN's, in
 * task/TID), attr/ (current, prev, exec, fscreate, keycreate and
 * sockcreate, as Linux built with CONFIG_SECURITY and no LSM that keeps
 * them: every read and write EINVAL, after Linux's checks), and the
 * memory files of procsmaps.c (smaps_rollup, numa_maps, clear_refs).
 *
 * stack: Linux shows the kernel functions a thread's kernel stack holds.
 * A Persona thread blocked in a call has no such stack: the call waits
 * as the server's record, not as frames, and the server's own stack is
 * no thread's.  So the file reads empty (what Linux shows of a task it
 * cannot unwind), after Linux's checks (CAP_SYS_ADMIN, then ptrace's
 * attach); wchan names the wait (procpidinfo.c).
 *
 * sched: the thread's CPU time (se.sum_exec_runtime), its switches
 * (voluntary: the calls it waited in), weight, policy and priority; the
 * scheduler's own figures (exec_start, vruntime, the load averages) are
 * the kernel's and not known here: 0.  No schedstats (Debian's default,
 * kernel.sched_schedstats 0), one NUMA node.
 *
 * Entry points: procpidlive_node, procpidlive_attr, proclive_fops,
 * procpidlive_put, procpid_node_thread (procfs.h).  Callers: procpid.c,
 * procpidmem.c (procmem_file_ops), procsmaps.c, procpidset.c.
 * Layer: procfs, which shows processes.  Book: docs/linux.md, "/proc".
 */
#include "file.h"
#include "proc.h"
#include "procfs.h"
#include "time.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIVE_SIZE 262144

static char live[LIVE_SIZE];
static size_t live_len;

void procpidlive_put(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(live + live_len, sizeof live - live_len, fmt, ap);
    va_end(ap);
    if (n > 0)
        live_len = live_len + (size_t)n < sizeof live ? live_len + (size_t)n : sizeof live - 1;
}

void procpidlive_node(struct inode *d, struct proc *p, const char *name)
{
    (void)p;
    uint32_t mode = !strcmp(name, "clear_refs") ? 0200
                  : !strcmp(name, "sched") || !strcmp(name, "autogroup") ? 0644
                  : !strcmp(name, "syscall") || !strcmp(name, "stack") ? 0400
                                                                         : 0444;
    struct inode *i = procfs_node(d, name, S_IFREG | mode);
    if (i)
        i->rdev = PROCLIVE_NODE;
}

/* attr/: the six files of every LSM's (no per-LSM directory: no
 * AppArmor, SELinux or Smack is built). */
void procpidlive_attr(struct inode *d, struct proc *p, const char *name)
{
    (void)p;
    static const char *const files[] = {"current", "prev", "exec", "fscreate", "keycreate", "sockcreate"};
    struct inode *a = procfs_node(d, name, S_IFDIR | 0555);
    for (size_t k = 0; a && k < sizeof files / sizeof *files; k++) {
        struct inode *i = procfs_node(a, files[k], S_IFREG | (k == 1 ? 0444 : 0666));
        if (i)
            i->rdev = PROCLIVE_NODE;
    }
}

/* ino's name in its directory dir, or NULL. */
static const char *name_in(const struct inode *dir, const struct inode *ino)
{
    for (const struct dirent_node *d = dir ? dir->children : NULL; d; d = d->next)
        if (d->inode == ino)
            return d->name;
    return NULL;
}

/* From the node up (its entry's directory, the directories' parents),
 * not through a path: a proc instance's nodes are reached from any of
 * its mounts, and its numbers are its pid namespace's. */
struct proc *procpid_node_thread(struct inode *ino, const char **name, bool *attr)
{
    struct inode *dir = ino->entry_dir ? ino->entry_dir : ino->parent;
    const char *dn = dir ? name_in(dir->parent, dir) : NULL;
    *name = name_in(dir, ino);
    *attr = dn && !strcmp(dn, "attr");
    if (*attr) /* attr/'s files: the thread's directory is one up */
        dir = dir->parent, dn = dir ? name_in(dir->parent, dir) : NULL;
    return *name && dn ? procfs_find(ino->fs, dn) : NULL;
}

/* The thread the file was opened on, if still the same one (a zombie too). */
static struct proc *live_target(const struct file *f)
{
    struct proc *t = proc_by_pid(f->pidfd.pid);
    return t && t->start_ns == f->pidfd.start_ns ? t : NULL;
}

static bool may_attach(struct proc *v, struct proc *t)
{
    return proc_group(v) == proc_group(t) || proc_may_ptrace(v, proc_group(t));
}

/* syscall's line for thread t read by v in call c (Linux's
 * proc_pid_syscall): the call's number and arguments, "-1 sp pc" for a
 * thread stopped outside a call, "running" for one on the CPU. */
static void syscall_text(struct sys_ctx *c, struct proc *t)
{
    struct persona_regs r;
    long nr;
    uint64_t a[6];
    if (t->zombie) { /* its stack is gone: no call, as Linux's collect_syscall */
        procpidlive_put("-1 0x0 0x0\n");
        return;
    }
    bool in_call = t == c->p || proc_waiting(t) || (t->pt.stopped && t->pt.in_call);
    bool stopped = t->pt.stopped || proc_group(t)->job.stopped;
    if (!in_call && !stopped) {
        procpidlive_put("running\n");
        return;
    }
    if (t->pt.stopped)
        r = t->pt.regs;
    else if (t == c->p)
        memset(&r, 0, sizeof r), r.rsp = c->trap->rsp, r.rip = c->trap->rip;
    else if (sys_thread_regs(t->thread, REGS_GET, &r) < 0) {
        procpidlive_put("running\n");
        return;
    }
    bool i386 = t->pt.stopped ? t->pt.call32 : t == c->p ? c->i386 : t->wait_nr < 0;
    if (t == c->p)
        nr = c->i386 ? 3 : 0, memcpy(a, c->a, sizeof a); /* its read, of this file (read or i386 read) */
    else if (t->pt.stopped)
        nr = t->pt.in_call ? (long)t->pt.orig_rax : -1;
    else
        nr = in_call ? (i386 ? (long)(uint32_t)r.rax : t->wait_nr) : -1;
    if (t != c->p && i386)
        a[0] = r.rbx & 0xffffffff, a[1] = r.rcx & 0xffffffff, a[2] = r.rdx & 0xffffffff, a[3] = r.rsi & 0xffffffff,
        a[4] = r.rdi & 0xffffffff, a[5] = r.rbp & 0xffffffff;
    else if (t != c->p)
        a[0] = r.rdi, a[1] = r.rsi, a[2] = r.rdx, a[3] = r.r10, a[4] = r.r8, a[5] = r.r9;
    if (nr < 0)
        procpidlive_put("%ld 0x%lx 0x%lx\n", nr, (unsigned long)r.rsp, (unsigned long)r.rip);
    else
        procpidlive_put("%ld 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx\n", nr, (unsigned long)a[0],
                        (unsigned long)a[1], (unsigned long)a[2], (unsigned long)a[3], (unsigned long)a[4],
                        (unsigned long)a[5], (unsigned long)r.rsp, (unsigned long)r.rip);
}

/* Linux's sched_prio_to_weight, by nice + 20 (scaled up by 1024 on 64-bit). */
static const uint32_t nice_weight[40] = {
    88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916, 9548, 7620, 6100, 4904,
    3906,  3121,  2501,  1991,  1586,  1277,  1024,  820,   655,   526,   423,   335,  272,  215,
    172,   137,   110,   87,    70,    56,    45,    36,    29,    23,    18,    15};

static void sched_line(const char *name, long long v) { procpidlive_put("%-45s:%21lld\n", name, v); }

static void sched_ns_line(const char *name, uint64_t ns)
{
    procpidlive_put("%-45s:%14llu.%06llu\n", name, (unsigned long long)(ns / 1000000), (unsigned long long)(ns % 1000000));
}

/* sched (proc_sched_show_task in Linux 6.1, CONFIG_SMP and
 * CONFIG_NUMA_BALANCING, no schedstats, no uclamp). */
static void sched_text(struct proc *t)
{
    uint64_t u, s;
    proc_thread_cpu_ns(t, &u, &s);
    int nice = t->nice < -20 ? -20 : t->nice > 19 ? 19 : t->nice;
    int prio = t->policy == SCHED_DEADLINE ? -1 : t->policy == SCHED_FIFO || t->policy == SCHED_RR ? 99 - t->rt_priority
                                                                                                  : 120 + nice;
    procpidlive_put("%s (%d, #threads: %d)\n", t->comm, t->pid, proc_threads(proc_group(t)));
    procpidlive_put("-------------------------------------------------------------------\n");
    sched_ns_line("se.exec_start", 0);
    sched_ns_line("se.vruntime", 0);
    sched_ns_line("se.sum_exec_runtime", u + s);
    sched_line("se.nr_migrations", 0);
    sched_line("nr_switches", (long long)t->counts.switches);
    sched_line("nr_voluntary_switches", (long long)t->counts.switches);
    sched_line("nr_involuntary_switches", 0);
    sched_line("se.load.weight", t->policy == SCHED_IDLE ? 3ll << 10 : (long long)nice_weight[nice + 20] << 10);
    static const char *const avg[] = {"se.avg.load_sum", "se.avg.runnable_sum", "se.avg.util_sum", "se.avg.load_avg",
                                      "se.avg.runnable_avg", "se.avg.util_avg", "se.avg.last_update_time",
                                      "se.avg.util_est.ewma", "se.avg.util_est.enqueued"};
    for (size_t i = 0; i < sizeof avg / sizeof *avg; i++)
        sched_line(avg[i], 0);
    sched_line("policy", t->policy);
    sched_line("prio", prio);
    if (t->policy == SCHED_DEADLINE)
        sched_line("dl.runtime", (long long)t->dl.runtime), sched_line("dl.deadline", (long long)t->dl.deadline);
    uint64_t t0 = clock_now(), t1 = clock_now();
    sched_line("clock-delta", (long long)(t1 - t0));
    if (!proc_group(t)->zombie)
        sched_line("mm->numa_scan_seq", 0);
    sched_line("numa_pages_migrated", 0);
    sched_line("numa_preferred_nid", -1);
    sched_line("total_numa_faults", 0);
    procpidlive_put("current_node=0, numa_group_id=0\n");
    procpidlive_put("numa_faults node=0 task_private=0 task_shared=0 group_private=0 group_shared=0\n");
}

/* children: the process's children, oldest first, under its first
 * thread's directory (the server keeps a process's children, not which
 * of its threads made each: another thread's list is empty). */
static void children_text(struct proc *t)
{
    struct proc *g = proc_group(t);
    if (t != g || g->zombie)
        return;
    for (struct proc *ch = g->children; ch; ch = ch->child_link.next)
        procpidlive_put("%d ", procfs_nr(ch)); /* in the instance's pid namespace (proc_pid_ns) */
}

/* The autogroups: one per session a setsid made (the initial session,
 * 1, is the root group's, which shows nothing), numbered as made (here:
 * when first looked at), with a nice value of its own. */
static struct autogroup {
    int sid;
    long id;
    int nice;
} groups[64];

static struct autogroup *autogroup_of(struct proc *g)
{
    static long last_id;
    struct autogroup *free_one = NULL;
    if (g->sid <= 1)
        return NULL;
    for (size_t i = 0; i < sizeof groups / sizeof *groups; i++) {
        if (groups[i].sid == g->sid)
            return &groups[i];
        bool used = false;
        for (struct proc *q = groups[i].sid ? proc_list() : NULL; q && !used; q = q->next)
            used = q->sid == groups[i].sid;
        free_one = free_one || used ? free_one : &groups[i];
    }
    if (free_one)
        *free_one = (struct autogroup){g->sid, ++last_id, 0};
    return free_one;
}

static void autogroup_text(struct proc *g)
{
    struct autogroup *a = autogroup_of(g);
    if (a)
        procpidlive_put("/autogroup-%ld nice %d\n", a->id, a->nice);
}

/* Linux's proc_sched_autogroup_set_nice: -20..19, below 0 within
 * RLIMIT_NICE or with CAP_SYS_NICE (EPERM), one change in a tenth of a
 * second without CAP_SYS_ADMIN (EAGAIN); the root group's weight is not
 * set (EINVAL). */
static int64_t autogroup_write(struct proc *w, struct proc *t, char *text)
{
    static uint64_t next;
    int nice, r = procpid_kstrtoint(procpid_strip(text), 0, &nice);
    if (r < 0)
        return r;
    if (!t)
        return -LINUX_ESRCH;
    if (nice < -20 || nice > 19)
        return -LINUX_EINVAL;
    if (nice < 0 && (uint64_t)(20 - nice) > proc_group(w)->rlim[RLIMIT_NICE][0] && !cred_capable(&w->cred, CAP_SYS_NICE))
        return -LINUX_EPERM;
    uint64_t now = clock_now();
    if (!cred_capable(&w->cred, CAP_SYS_ADMIN) && now < next)
        return -LINUX_EAGAIN;
    next = now + 100000000;
    struct autogroup *a = autogroup_of(proc_group(t));
    if (!a)
        return -LINUX_EINVAL;
    a->nice = nice;
    return 0;
}

static void live_text(struct sys_ctx *c, struct proc *t, const char *name)
{
    live_len = 0;
    live[0] = '\0';
    if (!strcmp(name, "syscall"))
        syscall_text(c, t);
    else if (!strcmp(name, "sched"))
        sched_text(t);
    else if (!strcmp(name, "autogroup"))
        autogroup_text(proc_group(t));
    else if (!strcmp(name, "children"))
        children_text(t);
    else if (strcmp(name, "stack") != 0) /* stack: empty (above) */
        procsmaps_text(proc_group(t), name);
}

/* The errors a read meets before the text (Linux's order). */
static int live_check(struct sys_ctx *c, struct proc *t, const char *name, bool attr)
{
    if (attr)
        return -LINUX_EINVAL; /* security_getprocattr: no LSM keeps these */
    if (!strcmp(name, "stack") && !cred_capable(&c->p->cred, CAP_SYS_ADMIN))
        return -LINUX_EACCES;
    if ((!strcmp(name, "stack") || !strcmp(name, "syscall")) && !may_attach(c->p, t))
        return -LINUX_EPERM; /* lock_trace: PTRACE_MODE_ATTACH_FSCREDS */
    return 0;
}

static int live_open(struct sys_ctx *c, struct file *f, int flags)
{
    (void)flags;
    const char *name;
    bool attr;
    struct proc *t = procpid_node_thread(f->inode, &name, &attr);
    if (!t)
        return -LINUX_ESRCH;
    if ((!strcmp(name, "smaps_rollup") || !strcmp(name, "numa_maps")) && !may_attach(c->p, t))
        return -LINUX_EACCES; /* proc_maps_open: mm_access, PTRACE_MODE_READ */
    f->pidfd.pid = t->pid;
    f->pidfd.start_ns = t->start_ns;
    return 0;
}

static int64_t live_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    const char *name;
    bool attr;
    struct proc *t = live_target(f);
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return -LINUX_EBADF;
    if (!t || !procpid_node_thread(f->inode, &name, &attr))
        return -LINUX_ESRCH;
    if (!strcmp(name, "clear_refs"))
        return -LINUX_EINVAL; /* write only: no read operation */
    int r = live_check(c, t, name, attr);
    if (r < 0)
        return r;
    uint64_t pos = at >= 0 ? (uint64_t)at : f->pos;
    static const struct file *made_for; /* the text is made at offset 0, kept for the same file's next reads */
    static const struct inode *made_of;
    if (pos == 0 || made_for != f || made_of != f->inode)
        live_text(c, t, name);
    made_for = f, made_of = f->inode;
    uint64_t n = pos < live_len ? live_len - pos : 0;
    n = n < len ? n : len;
    if (n && mem_out(c->p, ubuf, live + pos, n) < 0)
        return -LINUX_EFAULT;
    if (at < 0)
        f->pos = pos + n;
    return (int64_t)n;
}

/* A write to attr/ (Linux's proc_pid_attr_write): only the thread itself,
 * of the process that opened it (EPERM, EACCES), at offset 0, then the
 * LSMs', none of which takes it: EINVAL. */
static int64_t attr_write(struct sys_ctx *c, struct proc *t, uint64_t ubuf, uint64_t len, uint64_t pos)
{
    static char page[4096];
    if (c->p->mm != t->mm)
        return -LINUX_EPERM;
    if (c->p != t)
        return -LINUX_EACCES;
    len = len < sizeof page ? len : sizeof page;
    if (pos)
        return -LINUX_EINVAL;
    if (len && mem_in(c->p, page, ubuf, len) < 0)
        return -LINUX_EFAULT;
    return -LINUX_EINVAL;
}

static int64_t live_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    const char *name;
    bool attr;
    char buf[16] = {0};
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -LINUX_EBADF;
    if (!procpid_node_thread(f->inode, &name, &attr))
        return -LINUX_ESRCH;
    struct proc *t = live_target(f);
    uint64_t pos = at >= 0 ? (uint64_t)at : f->pos;
    if (attr)
        return t ? attr_write(c, t, ubuf, len, pos) : -LINUX_ESRCH;
    if (!strcmp(name, "sched")) /* clears the schedstats, of which none are kept */
        return t ? (int64_t)len : -LINUX_ESRCH;
    if (strcmp(name, "clear_refs") != 0 && strcmp(name, "autogroup") != 0)
        return -LINUX_EINVAL; /* no write operation */
    size_t n = len < sizeof buf - 1 ? len : sizeof buf - 1; /* PROC_NUMBUF's 13 and autogroup's 16 */
    n = !strcmp(name, "clear_refs") && n > 12 ? 12 : n;
    if (n && mem_in(c->p, buf, ubuf, n) < 0)
        return -LINUX_EFAULT;
    int64_t r = !strcmp(name, "autogroup") ? autogroup_write(c->p, t, buf) : procsmaps_clear_refs(t, buf);
    return r < 0 ? r : (int64_t)len;
}

const struct file_ops proclive_fops = {.read = live_read, .write = live_write, .open = live_open};
