/*
 * personalities/linux/procfs.c - /proc, a file system mounted on /proc.
 * Its files are kept as tmpfs keeps its own (tmpfs_iops), and written
 * afresh whenever a path walk enters /proc (its refresh operation, which
 * fs.c's walk calls): an open file keeps the snapshot it was opened on,
 * as a seq_file read at once would.  A directory for every
 * process (its pid), with stat, status, cmdline, environ, maps and the
 * links exe, cwd and fd/N; and meminfo, uptime, loadavg, stat, cpuinfo,
 * version,
 * mounts, self, and the sockets' tables in net (netdev.c writes them).  CPU times are the kernel's timer-tick accounts of the
 * process's threads (cpu_times); time the server spends on a process's
 * calls is the server's.  The resident set is the kernel's count of a
 * task's pages (task_mem); the load averages are sampled here every 5 s.
 *
 * Entry points: procfs.h.  Layer: a file system that shows processes, so
 * it includes proc.h, over the tmpfs it writes.  Book: docs/linux.md,
 * "/proc".
 */
#include "dev.h"
#include "fsnotify.h"
#include "inet.h"
#include "pipe.h"
#include "proc.h"
#include "sysvipc.h"
#include "time.h"
#include "procfs.h"
#include "socket.h"
#include "tty.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct inode *procfs_root; /* the root of procfs, mounted on /proc */
/* The process /proc/self names: the caller of the call being run, whose
 * credentials the file system is checking by (fs.h); none for the
 * server's own work. */
static struct proc *viewer(void)
{
    return fs_cred == &fs_server_cred ? NULL : (struct proc *)((char *)fs_cred - offsetof(struct proc, cred));
}
/* The file being written: buf[0..len), in cap bytes that grow as a file
 * needs (a /proc/net table of thousands of sockets). */
static char *buf;
static size_t len, cap;

static bool grow(size_t need)
{
    if (need <= cap)
        return true;
    size_t c = cap ? cap : 64 * 1024;
    while (c < need)
        c *= 2;
    char *b = realloc(buf, c);
    if (!b)
        return false;
    buf = b, cap = c;
    return true;
}

static void procfs_refresh(void);

/* procfs is written when a walk comes to /proc, or starts in /proc or one
 * of its directories, and when one of its directories is opened. */
static void procfs_fs_refresh(struct fs *fs, struct inode *dir, enum fs_refresh why)
{
    (void)fs;
    if (why == FS_WALK_START && dir != procfs_root && dir->parent != procfs_root)
        return; /* a walk from deeper in /proc: written when that walk came in */
    procfs_refresh();
}

static void procfs_statfs(struct fs *fs, struct linux_statfs *s)
{
    (void)fs;
    s->flags |= ST_NOSUID | ST_NODEV | ST_NOEXEC;
}

static const struct fs_ops procfs_ops = {.statfs = procfs_statfs, .refresh = procfs_fs_refresh,
                                         .permission = procsys_permission};

/* Its files are kept as tmpfs keeps its own, but written by processes
 * only where a write means something (procfs_write). */
static struct inode_ops procfs_iops;
static struct fs procfs = {.type = "proc", .dev = DEV_PROCFS, .magic = PROC_SUPER_MAGIC, .ops = &procfs_ops,
                           .iops = &procfs_iops};

static bool making_sysctls; /* nodes made now are /proc/sys's (SYSCTL_NODE) */

void procfs_init(void)
{
    procfs_iops = tmpfs_iops;
    procfs_iops.write = procsys_write;
    struct inode *point;
    if (fs_lookup(fs_root(), "/proc", true, &point) < 0 && fs_create(fs_root(), "proc", S_IFDIR | 0555, &point) < 0)
        return;
    if (fs_new_root(&procfs, point) && fs_mount(point, &procfs, MS_NOSUID | MS_NODEV | MS_NOEXEC) == 0)
        procfs_root = procfs.root;
}

static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void put(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = grow(len + 1) ? vsnprintf(buf + len, cap - len, fmt, ap) : 0;
    va_end(ap);
    if (n > 0 && len + (size_t)n >= cap && grow(len + (size_t)n + 1)) {
        va_start(ap, fmt); /* did not fit: again, in a buffer that now holds it */
        n = vsnprintf(buf + len, cap - len, fmt, ap);
        va_end(ap);
    }
    if (n > 0)
        len = len + (size_t)n < cap ? len + (size_t)n : cap - 1;
}

/* Whose the nodes made now are: root's, but a process's own directory
 * is its effective ids', as on Linux (so that its fd directory, 0500, is
 * its own to list). */
static uint32_t node_uid, node_gid;

static struct inode *node(struct inode *dir, const char *name, uint32_t mode)
{
    struct inode *i = fs_dir_find(dir, name, strlen(name));
    if (!i && fs_create(dir, name, mode, &i) < 0)
        return NULL;
    i->uid = node_uid, i->gid = node_gid;
    if (making_sysctls)
        i->rdev = SYSCTL_NODE;
    return i;
}

/* The file's contents become buf[0..len). */
static void file(struct inode *dir, const char *name)
{
    struct inode *i = node(dir, name, S_IFREG | 0444);
    if (i && fs_truncate(i, 0) == 0 && len)
        tmpfs_iops.write(i, 0, buf, len); /* the server's own write, not a process's */
    len = 0;
}

struct inode *procfs_node(struct inode *dir, const char *name, uint32_t mode) { return node(dir, name, mode); }

void procfs_text(struct inode *dir, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char line[256];
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    put("%s", line);
    file(dir, name);
}

static void link_to(struct inode *dir, const char *name, const char *target)
{
    struct inode *i = node(dir, name, S_IFLNK | 0777);
    if (i)
        fs_set_link(i, target, strlen(target));
}

/* Removes dir/name and everything under it. */
static void remove_tree(struct inode *dir, const char *name)
{
    struct inode *d = fs_dir_find(dir, name, strlen(name));
    if (!d)
        return;
    if ((d->mode & S_IFMT) == S_IFDIR)
        while (d->children) {
            char child[256];
            snprintf(child, sizeof child, "%s", d->children->name);
            remove_tree(d, child);
        }
    fs_unlink(dir, name, (d->mode & S_IFMT) == S_IFDIR);
}

static bool is_pid_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static char state_of(struct proc *p)
{
    if (p->zombie)
        return 'Z';
    if (p->pt.stopped)
        return 't'; /* in a ptrace stop */
    if (viewer() && (p == viewer() || proc_group(viewer()) == p))
        return 'R';
    return proc_waiting(p) ? 'S' : 'R';
}

/* The process's argv, as its last execve gave it (empty once a zombie). */
static void cmdline_file(struct inode *d, struct proc *p)
{
    if (!p->zombie && p->cmdline) {
        grow(p->cmdline_len);
        memcpy(buf, p->cmdline, p->cmdline_len < cap ? p->cmdline_len : cap);
        len = p->cmdline_len < cap ? p->cmdline_len : cap;
    }
    file(d, "cmdline");
}

/* stat, status and comm of thread t of process g: the process's own, with
 * its totals, when whole (t is g); one thread's, under task/, otherwise. */
static void thread_files(struct inode *d, struct proc *t, struct proc *g, bool whole)
{
    char st = state_of(t);
    uint64_t start = t->start_ns / (1000000000 / USER_HZ), ut, stt;
    if (whole)
        proc_cpu_times(g, &ut, &stt);
    else
        proc_thread_cpu_times(t, &ut, &stt);
    put("%d (%s) %c %d %d %d %d %d %u %lu %lu %lu %lu %lu %lu %ld %ld %ld %ld %d %ld %lu %lu %ld %lu "
        "%lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %d %d %u %u %lu %lu %ld %lu %lu %lu %lu %lu %lu %lu %d\n",
        t->pid, t->comm, st, g->ppid, g->pgid, g->sid, DEVNO_CONSOLE, tty_foreground(), 0x400000u, 0ul, 0ul, 0ul, 0ul,
        (unsigned long)ut, (unsigned long)stt, (long)g->cpu.child_utime, (long)g->cpu.child_stime, 20l + t->nice, (long)t->nice,
        proc_threads(g), 0l, (unsigned long)start, (unsigned long)proc_vsize(g), (long)(proc_resident(g, NULL) / 4096),
        (unsigned long)~0ul, 0ul, 0ul, 0ul, 0ul,
        0ul, (unsigned long)t->sig.own.pending, (unsigned long)t->sig.mask, (unsigned long)proc_sigset(g, 1),
        (unsigned long)proc_sigset(g, 0), 0ul, 0ul, 0ul, SIGCHLD, 0, 0u, 0u, 0ul, 0ul, 0l, 0ul, 0ul, 0ul, 0ul, 0ul, 0ul, 0ul,
        g->zombie ? g->status : 0);
    file(d, "stat");
    static const char *const names[] = {"R (running)", "S (sleeping)", "Z (zombie)", "t (tracing stop)"};
    uint64_t shm, rss = proc_resident(g, &shm);
    put("Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t%d\n"
        "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t%d\nGroups:\t",
        t->comm, g->umask, names[st == 'R' ? 0 : st == 'S' ? 1 : st == 't' ? 3 : 2], g->pid, t->pid, g->ppid,
        t->zombie ? 0 : t->pt.tracer, t->cred.uid, t->cred.euid,
        t->cred.suid, t->cred.fsuid, t->cred.gid, t->cred.egid, t->cred.sgid, t->cred.fsgid, g->zombie ? 0 : g->fds->size);
    for (int i = 0; i < t->cred.ngroups; i++) /* "Groups:\t4 27 \n", as Linux's ("\t \n" for none) */
        put("%s%u", i ? " " : "", t->cred.grp->gid[i]);
    uint64_t hwm = g->zombie ? 0 : MAX(g->mm->hiwater, rss); /* its memory's peak, as Linux's task_mem */
    put(" \nVmSize:\t%8lu kB\nVmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n"
        "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\nThreads:\t%d\n"
        "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t%016lx\n",
        (unsigned long)(proc_vsize(g) / 1024), (unsigned long)(hwm / 1024), (unsigned long)(rss / 1024), (unsigned long)((rss - shm) / 1024), 0ul,
        (unsigned long)(shm / 1024), proc_threads(g), (unsigned long)t->sig.own.pending,
        (unsigned long)t->sig.shared->pending, (unsigned long)t->sig.mask,
        (unsigned long)proc_sigset(g, 1), (unsigned long)proc_sigset(g, 0));
    put("CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\nCapBnd:\t%016lx\nCapAmb:\t%016lx\nNoNewPrivs:\t%d\n"
        "Seccomp:\t%d\nSeccomp_filters:\t%d\n",
        (unsigned long)t->cred.cap_inh, (unsigned long)t->cred.cap_prm, (unsigned long)t->cred.cap_eff,
        (unsigned long)t->cred.cap_bnd, (unsigned long)t->cred.cap_amb, t->no_new_privs, t->seccomp.mode, seccomp_filters(&t->seccomp));
    file(d, "status");
    uint64_t text, data;
    proc_text_data(g, &text, &data);
    put("%lu %lu %lu %lu 0 %lu 0\n", (unsigned long)(proc_vsize(g) / 4096), (unsigned long)(rss / 4096),
        (unsigned long)(shm / 4096), (unsigned long)(text / 4096), (unsigned long)(data / 4096));
    file(d, "statm");
    put("%s\n", t->comm);
    file(d, "comm");
}

/* PID/mem and PID/task/TID/mem: read and written live (procpidmem.c). */
static void mem_node(struct inode *d)
{
    struct inode *mem = node(d, "mem", S_IFREG | 0600);
    if (mem)
        mem->rdev = PROCMEM_NODE;
}

static void pid_dir(struct proc *p)
{
    char name[16], path[PATH_MAX_LEN];
    node_uid = p->cred.euid, node_gid = p->cred.egid; /* the caller puts root's back */
    snprintf(name, sizeof name, "%d", p->pid);
    struct inode *d = node(procfs_root, name, S_IFDIR | 0555), *fd;
    if (!d)
        return;
    thread_files(d, p, p, true);
    cmdline_file(d, p);
    if (!p->zombie && p->environ) {
        grow(p->environ_len);
        memcpy(buf, p->environ, p->environ_len < cap ? p->environ_len : cap);
        len = p->environ_len < cap ? p->environ_len : cap;
    }
    file(d, "environ");
    if (!p->zombie) { /* the auxiliary vector, binary, as execve gave it */
        len = p->mm->auxv_len * 8 < cap ? p->mm->auxv_len * 8 : cap;
        memcpy(buf, p->mm->auxv, len);
    }
    file(d, "auxv");
    mem_node(d);
    /* maps, in address order */
    for (uint64_t from = 0;;) {
        struct vma *v = NULL;
        for (struct vma *w = p->zombie ? NULL : p->mm->vmas; w; w = w->next)
            if (w->start >= from && (!v || w->start < v->start))
                v = w;
        if (!v)
            break;
        from = v->end;
        const char *what = v->grows_down ? "[stack]" : v->vdso ? "[vdso]" : v->start == p->mm->brk_start && v->lazy ? "[heap]" : "";
        if (v->file && !shm_name(v->file, path, sizeof path) && fs_name_of(v->file, NULL, path, sizeof path) < 0)
            path[0] = '\0';
        if (!v->file && !*what && v->anon_name)
            snprintf(path, sizeof path, "[anon:%s]", v->anon_name), what = path;
        put("%08lx-%08lx %c%c%c%c %08lx 00:00 %-10lu %s\n", (unsigned long)v->start, (unsigned long)v->end,
            v->prot & 1 ? 'r' : '-', v->prot & 2 ? 'w' : '-', v->prot & 4 ? 'x' : '-', v->shm_id || v->file_shared ? 's' : 'p',
            (unsigned long)v->file_off, v->file ? (unsigned long)v->file->ino : 0ul, v->file ? path : what);
    }
    file(d, "maps");
    len = mount_table_text(buf, cap, false); /* one mount namespace: every process's is the same */
    file(d, "mounts");
    len = mount_table_text(buf, cap, true);
    file(d, "mountinfo");
    static const char *const limits[RLIM_NLIMITS][2] = {
        {"Max cpu time", "seconds"}, {"Max file size", "bytes"}, {"Max data size", "bytes"},
        {"Max stack size", "bytes"}, {"Max core file size", "bytes"}, {"Max resident set", "bytes"},
        {"Max processes", "processes"}, {"Max open files", "files"}, {"Max locked memory", "bytes"},
        {"Max address space", "bytes"}, {"Max file locks", "locks"}, {"Max pending signals", "signals"},
        {"Max msgqueue size", "bytes"}, {"Max nice priority", ""}, {"Max realtime priority", ""},
        {"Max realtime timeout", "us"}};
    put("%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
    for (int i = 0; i < RLIM_NLIMITS; i++) {
        char v[2][24];
        for (int k = 0; k < 2; k++)
            if (p->rlim[i][k] == RLIM_INFINITY)
                snprintf(v[k], sizeof v[k], "unlimited");
            else
                snprintf(v[k], sizeof v[k], "%llu", (unsigned long long)p->rlim[i][k]);
        put("%-25s %-20s %-20s %-10s\n", limits[i][0], v[0], v[1], limits[i][1]);
    }
    file(d, "limits");
    put("%08x\n", p->personality);
    file(d, "personality");
    link_to(d, "exe", p->exe);
    /* ns/: one namespace of each kind, numbered as Linux's initial ones (mnt
     * the first inode proc_alloc_inum gives at boot); links to read, not to open */
    static const char *const ns[][2] = {{"cgroup", "cgroup:[4026531835]"}, {"ipc", "ipc:[4026531839]"},
                                        {"mnt", "mnt:[4026531840]"}, {"net", "net:[4026531992]"},
                                        {"pid", "pid:[4026531836]"}, {"pid_for_children", "pid:[4026531836]"},
                                        {"time", "time:[4026531834]"}, {"time_for_children", "time:[4026531834]"},
                                        {"user", "user:[4026531837]"}, {"uts", "uts:[4026531838]"}};
    struct inode *nsd = node(d, "ns", S_IFDIR | 0511);
    for (size_t i = 0; nsd && i < sizeof ns / sizeof ns[0]; i++)
        link_to(nsd, ns[i][0], ns[i][1]);
    if (p->cwd && fs_path(p->cwd, path, sizeof path) > 0)
        link_to(d, "cwd", path);
    /* fd/ is rewritten in place, so that a descriptor open on it (ls's)
     * lists what is there at its next refresh, itself included */
    fd = node(d, "fd", S_IFDIR | 0500);
    while (fd && fd->children) {
        char child[16];
        snprintf(child, sizeof child, "%s", fd->children->name);
        fs_unlink(fd, child, false);
    }
    if (!p->zombie && fd)
        for (int i = 0; i < p->fds->size; i++) {
            struct file *f = p->fds->fd[i];
            if (!f)
                continue;
            char n[16];
            snprintf(n, sizeof n, "%d", i);
            if (f->kind == FILE_CONSOLE)
                snprintf(path, sizeof path, "/dev/console");
            else if (f->kind == FILE_SOCKET)
                snprintf(path, sizeof path, "socket:[%lu]", (unsigned long)socket_ino(f));
            else if (f->pipe && !f->inode) /* a FIFO shows its path */
                snprintf(path, sizeof path, "pipe:[%lu]", (unsigned long)pipe_ino(f));
            else if (f->kind == FILE_INOTIFY || f->kind == FILE_SECCOMP || f->kind == FILE_BPF_MAP ||
                     f->kind == FILE_BPF_PROG) /* Linux's names for them have no brackets */
                snprintf(path, sizeof path, "anon_inode:%s", f->kind == FILE_INOTIFY   ? "inotify"
                                                           : f->kind == FILE_SECCOMP ? "seccomp notify"
                                                           : f->kind == FILE_BPF_MAP ? "bpf-map"
                                                                                     : "bpf-prog");
            else if (!f->inode || fs_name_of(f->inode, NULL, path, sizeof path) < 0)
                snprintf(path, sizeof path, "anon_inode:[%s]", f->kind == FILE_EVENTFD   ? "eventfd"
                                                               : f->kind == FILE_TIMERFD ? "timerfd"
                                                               : f->kind == FILE_EPOLL   ? "eventpoll"
                                                               : f->kind == FILE_SIGNALFD ? "signalfd"
                                                               : f->kind == FILE_PIDFD   ? "pidfd"
                                                               : f->kind == FILE_FANOTIFY ? "fanotify"
                                                               : f->kind == FILE_FSCONTEXT ? "fscontext"
                                                               : f->kind == FILE_LANDLOCK ? "landlock-ruleset"
                                                               : f->kind == FILE_IOURING ? "io_uring"
                                                               : f->kind == FILE_USERFAULTFD ? "userfaultfd"
                                                               : f->kind == FILE_PERF    ? "perf_event"
                                                                                         : "?");
            link_to(fd, n, path);
        }
    /* task/: a directory per thread, the first thread's included; as fd/,
     * rewritten in place: gone threads' directories removed */
    struct inode *task = node(d, "task", S_IFDIR | 0555), *td;
    for (struct dirent_node *e = task ? task->children : NULL, *next; e; e = next) {
        next = e->next;
        struct proc *t = p->zombie ? NULL : proc_by_pid(atoi(e->name));
        if (!t || proc_group(t) != p || (t != p && t->zombie)) {
            snprintf(name, sizeof name, "%s", e->name); /* remove_tree frees the entry's own */
            remove_tree(task, name);
        }
    }
    for (struct proc *t = task && !p->zombie ? proc_list() : NULL; t; t = t->next) {
        if (proc_group(t) != p || (t != p && t->zombie))
            continue;
        snprintf(name, sizeof name, "%d", t->pid);
        if ((td = node(task, name, S_IFDIR | 0555))) {
            thread_files(td, t, p, false);
            cmdline_file(td, p);
            mem_node(td);
        }
    }
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

static void cpuinfo(void)
{
    uint32_t r[4], brand[13] = {0};
    char vendor[13] = {0};
    cpuid(0, r);
    memcpy(vendor, &r[1], 4), memcpy(vendor + 4, &r[3], 4), memcpy(vendor + 8, &r[2], 4);
    cpuid(1, r);
    unsigned family = (r[0] >> 8) & 0xf, model = (r[0] >> 4) & 0xf, stepping = r[0] & 0xf;
    if (family == 0xf)
        family += (r[0] >> 20) & 0xff;
    if (family >= 6)
        model |= ((r[0] >> 16) & 0xf) << 4;
    cpuid(0x80000000, r);
    if (r[0] >= 0x80000004)
        for (uint32_t i = 0; i < 3; i++)
            cpuid(0x80000002 + i, brand + 4 * i);
    put("processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\nmodel name\t: %s\nstepping\t: %u\n"
        "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\n\n",
        vendor, family, model, (char *)brand, stepping);
}

/* /proc/sysvipc: the System V IPC objects, as ipcs reads them. */
static void sysvipc_files(void)
{
    struct inode *d = node(procfs_root, "sysvipc", S_IFDIR | 0555);
    if (!d)
        return;
    len = shm_proc_text(buf, cap);
    file(d, "shm");
    len = msg_proc_text(buf, cap);
    file(d, "msg");
    len = sem_proc_text(buf, cap);
    file(d, "sem");
}

static void procfs_refresh(void)
{
    if (!procfs_root || !grow(64 * 1024))
        return;
    uint64_t now = clock_now();
    struct persona_memstats ms = {0, 0};
    sys_stats(STATS_MEMORY, -1, &ms, sizeof ms);
    int nthreads = 0, last = 0, running = loadavg_running(viewer());
    for (struct proc *p = proc_list(); p; p = p->next) {
        nthreads += !p->zombie;
        last = p->pid > last ? p->pid : last;
    }
    /* pid directories: gone ones removed, live ones written */
    for (struct dirent_node *d = procfs_root->children, *n; d; d = n) {
        n = d->next;
        struct proc *p = is_pid_name(d->name) ? proc_by_pid(atoi(d->name)) : NULL;
        if (is_pid_name(d->name) && (!p || p->leader))
            remove_tree(procfs_root, d->name);
    }
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->leader)
            pid_dir(p);
    node_uid = node_gid = 0;
    char self[32], tid[16];
    for (struct proc *t = proc_list(); t; t = t->next) /* /proc/<tid>: there, but not listed, as on Linux */
        if (t->leader && !t->zombie) {
            snprintf(tid, sizeof tid, "%d", t->pid);
            snprintf(self, sizeof self, "%d/task/%d", proc_tgid(t), t->pid);
            link_to(procfs_root, tid, self);
            fs_hide(procfs_root, tid);
        }
    struct proc *v = viewer();
    snprintf(self, sizeof self, "%d/task/%d", v ? proc_tgid(v) : 1, v ? v->pid : 1);
    link_to(procfs_root, "thread-self", self);
    snprintf(self, sizeof self, "%d", v ? proc_tgid(v) : 1);
    link_to(procfs_root, "self", self);
    unsigned long total = ms.total_bytes / 1024, free_kb = ms.free_bytes / 1024;
    put("MemTotal:       %8lu kB\nMemFree:        %8lu kB\nMemAvailable:   %8lu kB\nBuffers:        %8lu kB\n"
        "Cached:         %8lu kB\nSwapCached:     %8lu kB\nSwapTotal:      %8lu kB\nSwapFree:       %8lu kB\n"
        "Shmem:          %8lu kB\nSReclaimable:   %8lu kB\n",
        total, free_kb, free_kb, 0ul, 0ul, 0ul, 0ul, 0ul, 0ul, 0ul);
    file(procfs_root, "meminfo");
    struct persona_cputimes ct = {0, 0, 0, USER_HZ};
    sys_stats(STATS_CPU, -1, &ct, sizeof ct);
    if (ct.hz && ct.hz != USER_HZ) /* the kernel's ticks as clock ticks of 1/USER_HZ */
        ct.user = ct.user * USER_HZ / ct.hz, ct.kernel = ct.kernel * USER_HZ / ct.hz, ct.idle = ct.idle * USER_HZ / ct.hz;
    put("%lu.%02lu %lu.%02lu\n", (unsigned long)(now / 1000000000), (unsigned long)(now % 1000000000 / 10000000),
        (unsigned long)(ct.idle / USER_HZ), (unsigned long)(ct.idle % USER_HZ));
    file(procfs_root, "uptime");
    uint64_t la[3];
    loadavg_get(la, 0);
    for (int i = 0; i < 3; i++) { /* as Linux prints them: rounded to hundredths */
        uint64_t v = la[i] + (1ull << LOADAVG_FSHIFT) / 200;
        put("%lu.%02lu ", (unsigned long)(v >> LOADAVG_FSHIFT), (unsigned long)(((v & ((1ull << LOADAVG_FSHIFT) - 1)) * 100) >> LOADAVG_FSHIFT));
    }
    put("%d/%d %d\n", running, nthreads, last);
    file(procfs_root, "loadavg");
    put("cpu  %lu 0 %lu %lu 0 0 0 0 0 0\ncpu0 %lu 0 %lu %lu 0 0 0 0 0 0\nintr 0\nctxt 0\nbtime %d\n"
        "processes %d\nprocs_running %d\nprocs_blocked 0\n",
        (unsigned long)ct.user, (unsigned long)ct.kernel, (unsigned long)ct.idle, (unsigned long)ct.user,
        (unsigned long)ct.kernel, (unsigned long)ct.idle, (int)(realtime_at_boot() / 1000000000), last, running);
    file(procfs_root, "stat");
    len = mount_table_text(buf, cap, false);
    file(procfs_root, "mounts");
    cpuinfo();
    file(procfs_root, "cpuinfo");
    put("Linux version %s (persona@persona) (gcc) %s\n", LINUX_RELEASE, LINUX_VERSION); /* as uname says */
    file(procfs_root, "version");
    put("%s\n", linux_cmdline);
    file(procfs_root, "cmdline");
    for (int i = 0; i < FS_TYPES; i++) /* sysfs's list (stat.c) */
        put("nodev\t%s\n", fs_type_names[i]);
    file(procfs_root, "filesystems");
    static uint8_t config_gz[4096];
    static size_t config_len;
    struct inode *config = node(procfs_root, "config.gz", S_IFREG | 0444);
    if (!config_len)
        config_len = ikconfig_gz(config_gz, sizeof config_gz); /* made once: it never changes */
    if (config && config_len && fs_truncate(config, 0) == 0)
        tmpfs_iops.write(config, 0, config_gz, config_len);
    procsys_sysrq(node(procfs_root, "sysrq-trigger", S_IFREG | 0200)); /* write-only: 'c' crashes (procsys.c) */
    struct inode *sys = node(procfs_root, "sys", S_IFDIR | 0555);
    making_sysctls = true;
    if (sys)
        procsys_files(sys, ms.total_bytes);
    making_sysctls = false;
    sysvipc_files();
    struct inode *net = node(procfs_root, "net", S_IFDIR | 0555);
    static const char *const tables[] = {"tcp", "tcp6", "udp", "udp6", "dev", "if_inet6", "route", "unix"};
    for (int i = 0; net && i < 8; i++) { /* inet_proc_net's order */
        len = inet_proc_net(i, buf, cap);
        if (len >= cap)
            len = grow(len + 1) ? inet_proc_net(i, buf, cap) : cap - 1;
        file(net, tables[i]);
    }
}
