/*
 * personalities/linux/procpid.c - /proc/PID, a process's directory: stat,
 * status, statm, comm, cmdline, environ, auxv, mem, maps, smaps, mounts,
 * mountinfo, limits, personality, the settings oom_score_adj, oom_adj,
 * oom_score, coredump_filter, setgroups, timerslack_ns, loginuid and
 * sessionid (procpidset.c), io (procio.c),
 * the links exe, cwd and root, and the directories ns, fd (a link per
 * descriptor), fdinfo (procfdinfo.c), map_files (a link per file-backed area) and task (a
 * directory per thread).  Made with its entries' names when first looked up, each
 * entry written alone when a walk looks it up (procfs.c), all of them
 * when the directory is opened to be listed.  CPU times are the kernel's
 * timer-tick accounts of the process's threads (cpu_times); time the
 * server spends on a process's calls is the server's.  The resident set
 * is the kernel's count of a task's pages (task_mem).
 *
 * Entry points: procpid_dir, procpid_write (procfs.h).  Callers: procfs.c.
 * Layer: procfs, which shows processes.  Book: docs/linux.md, "/proc".
 */
#include "dev.h"
#include "pidns.h"
#include "pipe.h"
#include "proc.h"
#include "procfs.h"
#include "socket.h"
#include "sysvipc.h"
#include "tty.h"
#include "timens.h"
#include "userns.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char state_of(struct proc *p)
{
    if (p->zombie)
        return 'Z';
    if (p->pt.stopped)
        return 't'; /* in a ptrace stop */
    if (proc_group(p)->job.stopped)
        return 'T'; /* stopped by a signal (job control) */
    if (procfs_viewer() && (p == procfs_viewer() || proc_group(procfs_viewer()) == p))
        return 'R';
    return proc_waiting(p) ? 'S' : 'R';
}

/* stat's memory bounds, as Linux's do_task_stat: a zombie's (no memory)
 * 0, and 1 for the code's and 0 for the rest to a viewer that may not
 * ptrace the process. */
static void stat_bounds(struct proc *g, unsigned long b[10])
{
    struct proc *v = procfs_viewer();
    const struct mm *mm = g->zombie ? NULL : g->mm;
    bool permitted = mm && (!v || proc_group(v) == g || proc_may_ptrace(v, g));
    const uint64_t all[10] = {mm ? mm->start_code : 0, mm ? mm->end_code : 0, mm ? mm->start_stack : 0,
                              mm ? mm->start_data : 0, mm ? mm->end_data : 0, mm ? mm->brk_start : 0,
                              mm ? mm->arg_start : 0, mm ? mm->arg_end : 0, mm ? mm->env_start : 0, mm ? mm->env_end : 0};
    for (int i = 0; i < 10; i++)
        b[i] = permitted ? (unsigned long)all[i] : mm && i < 2 ? 1ul : 0ul;
}

static void stat_file(struct inode *d, struct proc *t, struct proc *g, bool whole)
{
    unsigned long b[10];
    stat_bounds(g, b);
    char st = state_of(t);
    uint64_t start = timens_from_host(procfs_viewer(), CLOCK_BOOTTIME, t->start_ns) / (1000000000 / USER_HZ), ut, stt;
    if (whole)
        proc_cpu_times(g, &ut, &stt);
    else
        proc_thread_cpu_times(t, &ut, &stt);
    procfs_put("%d (%s) %c %d %d %d %d %d %u %lu %lu %lu %lu %lu %lu %ld %ld %ld %ld %d %ld %lu %lu %ld %lu "
        "%lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %d %d %u %u %lu %lu %ld %lu %lu %lu %lu %lu %lu %lu %d\n",
        procfs_nr(t), t->comm, st, procfs_pid_nr(g->ppid), procfs_pid_nr(g->pgid), procfs_pid_nr(g->sid), DEVNO_CONSOLE, tty_foreground(), 0x400000u, 0ul, 0ul, 0ul, 0ul,
        (unsigned long)ut, (unsigned long)stt, (long)g->cpu.child_utime, (long)g->cpu.child_stime, 20l + t->nice, (long)t->nice,
        proc_threads(g), 0l, (unsigned long)start, (unsigned long)proc_vsize(g), (long)(proc_resident(g, NULL) / 4096),
        (unsigned long)~0ul, b[0], b[1], b[2], 0ul,
        0ul, (unsigned long)t->sig.own.pending, (unsigned long)t->sig.mask, (unsigned long)proc_sigset(g, 1),
        (unsigned long)proc_sigset(g, 0), 0ul, 0ul, 0ul, SIGCHLD, 0, 0u, 0u, 0ul, 0ul, 0l, b[3], b[4], b[5], b[6], b[7], b[8], b[9],
        g->zombie ? g->status : 0);
    procfs_file(d, "stat");
}

static void status_file(struct inode *d, struct proc *t, struct proc *g)
{
    char st = state_of(t);
    static const char *const names[] = {"R (running)", "S (sleeping)", "Z (zombie)", "t (tracing stop)", "T (stopped)"};
    uint64_t shm, rss = proc_resident(g, &shm);
    uint32_t id[8]; /* the ids as the reader's user namespace sees them (Linux's task_state) */
    userns_ids_seen(procfs_viewer(), &t->cred, id);
    procfs_put("Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t%d\n"
        "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t%d\nGroups:\t",
        t->comm, g->umask, names[st == 'R' ? 0 : st == 'S' ? 1 : st == 't' ? 3 : st == 'T' ? 4 : 2], procfs_nr(g), procfs_nr(t),
        procfs_pid_nr(g->ppid), t->zombie ? 0 : procfs_pid_nr(t->pt.tracer), id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7],
        g->zombie ? 0 : g->fds->size);
    for (int i = 0; i < t->cred.ngroups; i++) /* "Groups:\t4 27 \n", as Linux's ("\t \n" for none) */
        procfs_put("%s%u", i ? " " : "", userns_gid_seen(procfs_viewer(), t->cred.grp->gid[i]));
    procfs_put(" \n");
    pidns_status(t); /* NStgid, NSpid, NSpgid, NSsid */
    uint64_t hwm = g->zombie ? 0 : MAX(g->mm->hiwater, rss); /* its memory's peak, as Linux's task_mem */
    procfs_put("VmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmPin:\t%8lu kB\nVmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n"
        "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\nThreads:\t%d\nSigQ:\t%lu/%lu\n"
        "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t%016lx\n",
        (unsigned long)(proc_vsize(g) / 1024), (unsigned long)(g->zombie ? 0 : mm_locked(g->mm, 0, ~0ull) / 1024), 0ul,
        (unsigned long)(hwm / 1024), (unsigned long)(rss / 1024), (unsigned long)((rss - shm) / 1024), 0ul,
        (unsigned long)(shm / 1024), proc_threads(g), (unsigned long)ucount_get(t->cred.uid, UCOUNT_SIGPENDING),
        (unsigned long)g->rlim[RLIMIT_SIGPENDING][0], (unsigned long)t->sig.own.pending,
        (unsigned long)t->sig.shared->pending, (unsigned long)t->sig.mask,
        (unsigned long)proc_sigset(g, 1), (unsigned long)proc_sigset(g, 0));
    procfs_put("CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\nCapBnd:\t%016lx\nCapAmb:\t%016lx\nNoNewPrivs:\t%d\n"
        "Seccomp:\t%d\nSeccomp_filters:\t%d\n",
        (unsigned long)t->cred.cap_inh, (unsigned long)t->cred.cap_prm, (unsigned long)t->cred.cap_eff,
        (unsigned long)t->cred.cap_bnd, (unsigned long)t->cred.cap_amb, t->no_new_privs, t->seccomp.mode, seccomp_filters(&t->seccomp));
    procfs_file(d, "status");
}

/* stat, status, statm and comm of thread t of process g (only the one
 * named which, unless NULL): the process's own, with its totals, when
 * whole (t is g); one thread's, under task/, otherwise. */
static void thread_files(struct inode *d, struct proc *t, struct proc *g, bool whole, const char *which)
{
    if (!which || strcmp(which, "stat") == 0)
        stat_file(d, t, g, whole);
    if (!which || strcmp(which, "status") == 0)
        status_file(d, t, g);
    if (!which || strcmp(which, "statm") == 0) {
        uint64_t text, data, shm, rss = proc_resident(g, &shm);
        proc_text_data(g, &text, &data);
        procfs_put("%lu %lu %lu %lu 0 %lu 0\n", (unsigned long)(proc_vsize(g) / 4096), (unsigned long)(rss / 4096),
                   (unsigned long)(shm / 4096), (unsigned long)(text / 4096), (unsigned long)(data / 4096));
        procfs_file(d, "statm");
    }
    if (!which || strcmp(which, "comm") == 0) {
        procfs_put("%s\n", t->comm);
        procfs_file(d, "comm");
        struct inode *i = fs_dir_find(d, "comm", 4);
        if (i)
            i->rdev = PROCSET_NODE, i->mode = S_IFREG | 0644; /* written by its process (procpidset.c) */
    }
}

/* The entries of a process's directory: each written alone by name. */
static void own_thread_file(struct inode *d, struct proc *p, const char *name) { thread_files(d, p, p, true, name); }

/* The process's argv, read from its memory between arg_start and arg_end
 * as Linux's get_mm_cmdline (empty once a zombie): if the byte before
 * arg_end is not a NUL (setproctitle wrote past it), the first string
 * from arg_start, into the environment when that follows the arguments. */
static void cmdline_file(struct inode *d, struct proc *p, const char *name)
{
    const struct mm *mm = p->zombie ? NULL : proc_group(p)->mm;
    uint64_t start = mm ? mm->arg_start : 0, end = mm ? mm->arg_end : 0, env_end = mm ? mm->env_end : 0;
    char last = 0;
    if (mm && start < end) {
        if (mm->env_start != end || env_end < mm->env_start)
            env_end = end;
        if (mm_find(p, end - 1) && mem_in(p, &last, end - 1, 1) == 0 && last)
            procmem_put(p, start, env_end, true);
        else
            procmem_put(p, start, end, false);
    }
    procfs_file(d, name);
}

/* The environment, read from memory between env_start and env_end. */
static void environ_file(struct inode *d, struct proc *p, const char *name)
{
    const struct mm *mm = p->zombie ? NULL : proc_group(p)->mm;
    if (mm && mm->env_start < mm->env_end)
        procmem_put(p, mm->env_start, mm->env_end, false);
    procfs_file(d, name);
}

/* The auxiliary vector, binary, as execve gave it.  An i386 program's
 * is of 32-bit words, which Linux keeps in its array of 64-bit ones and
 * reads up to the first even-numbered pair that is zero, so one or two
 * pairs of zeros follow AT_NULL's. */
static void auxv_file(struct inode *d, struct proc *p, const char *name)
{
    const struct mm *mm = p->zombie ? NULL : p->mm;
    if (mm)
        procfs_bytes(mm->auxv, mm->auxv_len * 8);
    procfs_file(d, name);
}

/* PID/mem and PID/task/TID/mem: read and written live (procpidmem.c). */
static void mem_node(struct inode *d, struct proc *p, const char *name)
{
    (void)p;
    bool pagemap = strcmp(name, "pagemap") == 0;
    struct inode *mem = procfs_node(d, name, S_IFREG | (pagemap ? 0400 : 0600));
    if (mem)
        mem->rdev = pagemap ? PROCPAGEMAP_NODE : PROCMEM_NODE;
}

/* The name of the file v maps, as maps and map_files show it. */
static void vma_path(const struct vma *v, char *path, size_t size)
{
    if (!shm_name(v->file, path, size) && !mm_anon_name(v->file, path, size) &&
        fs_name_of(v->file, NULL, path, size) < 0)
        path[0] = '\0';
}

/* p's area starting at or after from, the lowest such; NULL past the last. */
static struct vma *vma_from(struct proc *p, uint64_t from)
{
    struct vma *v = NULL;
    for (struct vma *w = p->zombie ? NULL : p->mm->vmas; w; w = w->next)
        if (w->start >= from && (!v || w->start < v->start))
            v = w;
    return v;
}

/* An area's line of maps. */
static void maps_line(struct proc *p, const struct vma *v)
{
    char path[PATH_MAX_LEN];
    const char *what = v->grows_down ? "[stack]" : v->vdso ? "[vdso]" : v->start == p->mm->brk_start && v->lazy ? "[heap]" : "";
    if (v->file)
        vma_path(v, path, sizeof path);
    if (!v->file && !*what && v->anon_name)
        snprintf(path, sizeof path, "[anon:%s]", v->anon_name), what = path;
    procfs_put("%08lx-%08lx %c%c%c%c %08lx 00:00 %-10lu %s\n", (unsigned long)v->start, (unsigned long)v->end,
        v->prot & 1 ? 'r' : '-', v->prot & 2 ? 'w' : '-', v->prot & 4 ? 'x' : '-', v->shm_id || v->file_shared ? 's' : 'p',
        (unsigned long)v->file_off, v->file ? (unsigned long)v->file->ino : 0ul, v->file ? path : what);
}

/* maps, in address order */
static void maps_file(struct inode *d, struct proc *p, const char *name)
{
    for (struct vma *v = vma_from(p, 0); v; v = vma_from(p, v->end))
        maps_line(p, v);
    procfs_file(d, name);
}

/* smaps: each area's maps line and Linux 6.1's fields (show_smap), in kB.
 * Rss counts the area's pages there are; with no swap, huge pages or page
 * sharing to weigh, Pss is Rss, and a private anonymous area's pages are
 * all dirty and anonymous, a file's or shared memory's all clean. */
static void smaps_file(struct inode *d, struct proc *p, const char *name)
{
    static const char *const fields[] = {"Pss", "Pss_Dirty", "Shared_Clean", "Shared_Dirty", "Private_Clean",
                                         "Private_Dirty", "Referenced", "Anonymous", "LazyFree", "AnonHugePages",
                                         "ShmemPmdMapped", "FilePmdMapped", "Shared_Hugetlb", "Private_Hugetlb",
                                         "Swap", "SwapPss", "Locked"};
    for (struct vma *v = p->zombie ? NULL : vma_from(p, 0); v; v = vma_from(p, v->end)) {
        maps_line(p, v);
        uint64_t rss = 0;
        for (uint64_t a = v->start; a < v->end; a += 4096)
            rss += mm_present(p, a) ? 4 : 0;
        bool anon = !v->file && !v->shm_id && !v->vdso;
        uint64_t value[] = {rss, anon ? rss : 0, 0, 0, anon ? 0 : rss, anon ? rss : 0, rss, anon ? rss : 0,
                            0, 0, 0, 0, 0, 0, 0, 0, v->locked ? rss : 0};
        procfs_put("Size:           %8lu kB\nKernelPageSize: %8u kB\nMMUPageSize:    %8u kB\nRss:            %8lu kB\n",
                   (unsigned long)((v->end - v->start) >> 10), 4u, 4u, (unsigned long)rss);
        for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
            procfs_put("%s:%*s%8lu kB\n", fields[i], (int)(15 - strlen(fields[i])), "", (unsigned long)value[i]);
        bool shared = v->shm_id || v->file_shared;
        procfs_put("THPeligible:    %d\nVmFlags:%s%s%s%s mr%s me%s%s%s%s%s%s \n", 0, v->prot & 1 ? " rd" : "",
                   v->prot & 2 ? " wr" : "", v->prot & 4 ? " ex" : "", shared ? " sh" : "",
                   v->no_write ? "" : " mw", shared ? " ms" : "", v->grows_down ? " gd" : "", v->locked ? " lo" : "",
                   v->dontfork ? " dc" : "", anon && (v->prot & 2) ? " ac" : "", v->wipeonfork ? " wf" : "");
    }
    procfs_file(d, name);
}

/* The table of the process's mount namespace. */
static void mounts_file(struct inode *d, struct proc *p, const char *name)
{
    size_t room;
    char *b = procfs_room(0, &room);
    struct ns *saved = fs_mnt_ns;
    fs_mnt_ns = p->ns[NS_MNT];
    procfs_took(mount_table_text(b, room, strcmp(name, "mountinfo") == 0));
    fs_mnt_ns = saved;
    procfs_file(d, name);
    struct inode *i = procfs_node(d, name, S_IFREG | 0444);
    if (i)
        i->rdev = PROCMOUNTS_NODE; /* its poll shows the table's changes (procpidmem.c) */
}

static void limits_file(struct inode *d, struct proc *p, const char *name)
{
    static const char *const limits[RLIM_NLIMITS][2] = {
        {"Max cpu time", "seconds"}, {"Max file size", "bytes"}, {"Max data size", "bytes"},
        {"Max stack size", "bytes"}, {"Max core file size", "bytes"}, {"Max resident set", "bytes"},
        {"Max processes", "processes"}, {"Max open files", "files"}, {"Max locked memory", "bytes"},
        {"Max address space", "bytes"}, {"Max file locks", "locks"}, {"Max pending signals", "signals"},
        {"Max msgqueue size", "bytes"}, {"Max nice priority", ""}, {"Max realtime priority", ""},
        {"Max realtime timeout", "us"}};
    procfs_put("%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
    for (int i = 0; i < RLIM_NLIMITS; i++) {
        char v[2][24];
        for (int k = 0; k < 2; k++)
            if (p->rlim[i][k] == RLIM_INFINITY)
                snprintf(v[k], sizeof v[k], "unlimited");
            else
                snprintf(v[k], sizeof v[k], "%llu", (unsigned long long)p->rlim[i][k]);
        procfs_put("%-25s %-20s %-20s %-10s\n", limits[i][0], v[0], v[1], limits[i][1]);
    }
    procfs_file(d, name);
}

static void personality_file(struct inode *d, struct proc *p, const char *name)
{
    procfs_put("%08x\n", p->personality);
    procfs_file(d, name);
}

static void exe_link(struct inode *d, struct proc *p, const char *name) { procfs_link(d, name, p->exe); }

static void cwd_link(struct inode *d, struct proc *p, const char *name)
{
    char path[PATH_MAX_LEN];
    if (p->cwd && fs_path(p->cwd, path, sizeof path) > 0)
        procfs_link(d, name, path);
    else if (!p->cwd)
        procfs_remove(d, name); /* a zombie's: ENOENT, as Linux's readlink */
}

/* root: the process's root directory (its chroot's), as cwd. */
static void root_link(struct inode *d, struct proc *p, const char *name)
{
    char path[PATH_MAX_LEN] = "/";
    if (!p->cwd)
        procfs_remove(d, name);
    else if (!p->cred.root || fs_path(p->cred.root, path, sizeof path) > 0)
        procfs_link(d, name, path);
}

/* What fd/N names: a file's path, or Linux's name for what has none. */
static void fd_target(struct file *f, char *path, size_t size)
{
    if (f->kind == FILE_CONSOLE)
        snprintf(path, size, "/dev/console");
    else if (f->kind == FILE_SOCKET)
        snprintf(path, size, "socket:[%lu]", (unsigned long)socket_ino(f));
    else if (f->pipe && !f->inode) /* a FIFO shows its path */
        snprintf(path, size, "pipe:[%lu]", (unsigned long)pipe_ino(f));
    else if (f->kind == FILE_INOTIFY || f->kind == FILE_SECCOMP || f->kind == FILE_BPF_MAP ||
             f->kind == FILE_BPF_PROG) /* Linux's names for them have no brackets */
        snprintf(path, size, "anon_inode:%s", f->kind == FILE_INOTIFY   ? "inotify"
                                                   : f->kind == FILE_SECCOMP ? "seccomp notify"
                                                   : f->kind == FILE_BPF_MAP ? "bpf-map"
                                                                             : "bpf-prog");
    else if (f->inode && ns_file_name(f->inode, path, size) == 0)
        ; /* a namespace's nsfs file: "uts:[N]" */
    else if (!f->inode || fs_name_of(f->inode, NULL, path, size) < 0)
        snprintf(path, size, "anon_inode:[%s]", f->kind == FILE_EVENTFD   ? "eventfd"
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
}

/* fd/ is rewritten in place, so that a descriptor open on it (ls's)
 * lists what is there at its next refresh, itself included */
static void fd_dir(struct inode *d, struct proc *p, const char *name)
{
    struct inode *fd = procfs_node(d, name, S_IFDIR | 0500);
    while (fd && fd->children) {
        char child[16];
        snprintf(child, sizeof child, "%s", fd->children->name);
        fs_unlink(fd, child, false);
    }
    for (int i = 0; fd && !p->zombie && i < p->fds->size; i++) {
        struct file *f = p->fds->fd[i];
        if (!f)
            continue;
        char n[16], path[PATH_MAX_LEN];
        snprintf(n, sizeof n, "%d", i);
        fd_target(f, path, sizeof path);
        procfs_link(fd, n, path);
    }
}

/* map_files/ (checkpoint/restore's; Linux has it with or without the
 * option): a link START-END per file-backed area, naming the file as
 * maps does, its mode the mapped descriptor's read and write for the
 * owner (Linux's proc_map_files_instantiate); marked
 * PROC_CHECKPOINT_LINK, which only a checkpointer may follow (fs.c's
 * walk: EPERM, as Linux's proc_map_files_get_link).  Rewritten in place,
 * as fd/. */
static void map_files_dir(struct inode *d, struct proc *p, const char *name)
{
    struct inode *dir = procfs_node(d, name, S_IFDIR | 0500);
    while (dir && dir->children) {
        char child[40];
        snprintf(child, sizeof child, "%s", dir->children->name);
        fs_unlink(dir, child, false);
    }
    char n[40], path[PATH_MAX_LEN];
    for (struct vma *v = dir ? vma_from(p, 0) : NULL; v; v = vma_from(p, v->end)) {
        if (!v->file)
            continue;
        snprintf(n, sizeof n, "%lx-%lx", (unsigned long)v->start, (unsigned long)v->end);
        vma_path(v, path, sizeof path);
        struct inode *l = procfs_node(dir, n, S_IFLNK | 0400 | (v->file_rdwr ? 0200 : 0));
        if (l)
            fs_set_link(l, path, strlen(path)), l->rdev = PROC_CHECKPOINT_LINK;
    }
}

static void thread_file(struct inode *d, struct proc *t, const char *name)
{
    thread_files(d, t, proc_group(t), false, name);
}

/* task/TID's entries, Linux 6.1's tid_base_stuff: each written for the
 * thread (per_thread) or its process. */
static const struct tid_entry {
    const char *name;
    void (*write)(struct inode *d, struct proc *p, const char *name);
    bool per_thread;
} tid_entries[] = {
    {"fd", fd_dir, 0},          {"fdinfo", procfdinfo_dir, 0},      {"ns", ns_dir, 1},
    {"net", procpidinfo_file, 0}, {"environ", environ_file, 0},      {"auxv", auxv_file, 0},
    {"status", thread_file, 1}, {"personality", personality_file, 0}, {"limits", limits_file, 0},
    {"sched", procpidlive_node, 1}, {"comm", thread_file, 1},       {"syscall", procpidlive_node, 1},
    {"cmdline", cmdline_file, 0}, {"stat", thread_file, 1},          {"statm", thread_file, 1},
    {"maps", maps_file, 0},     {"children", procpidlive_node, 1},  {"numa_maps", procpidlive_node, 1},
    {"mem", mem_node, 0},       {"cwd", cwd_link, 0},               {"root", root_link, 0},
    {"exe", exe_link, 0},       {"mounts", mounts_file, 0},         {"mountinfo", mounts_file, 0},
    {"clear_refs", procpidlive_node, 1}, {"smaps", smaps_file, 0},  {"smaps_rollup", procpidlive_node, 1},
    {"pagemap", mem_node, 0},   {"attr", procpidlive_attr, 1},      {"wchan", procpidinfo_file, 1},
    {"stack", procpidlive_node, 1}, {"schedstat", procpidinfo_file, 1}, {"cpuset", procpidinfo_file, 0},
    {"cgroup", procpidinfo_file, 0}, {"oom_score", procpidset_file, 0}, {"oom_adj", procpidset_file, 0},
    {"oom_score_adj", procpidset_file, 0}, {"loginuid", procpidset_file, 0}, {"sessionid", procpidset_file, 0},
    {"io", procio_thread_file, 1}, {"uid_map", procpidset_file, 0},  {"gid_map", procpidset_file, 0},
    {"projid_map", procpidset_file, 0}, {"setgroups", procpidset_file, 0}, {"arch_status", procpidinfo_file, 0},
    {"ksm_merging_pages", procpidinfo_file, 0}, {"ksm_stat", procpidinfo_file, 0},
};

/* task/TID, a thread's directory; removed if the thread is gone.  Its
 * entry which written (all of them if NULL, none if ""). */
static void thread_dir(struct inode *task, struct proc *p, const char *tid, const char *which)
{
    struct proc *t = p->zombie ? NULL : procfs_find(task->fs, tid);
    struct inode *td;
    if (!t || proc_group(t) != p || (t != p && t->zombie))
        procfs_remove(task, tid);
    else if ((td = procfs_node(task, tid, S_IFDIR | 0555)))
        for (size_t i = 0; i < sizeof tid_entries / sizeof *tid_entries; i++)
            if (!which || !strcmp(which, tid_entries[i].name))
                tid_entries[i].write(td, tid_entries[i].per_thread ? t : p, tid_entries[i].name);
}

/* task/: a directory per thread, the first thread's included; as fd/,
 * rewritten in place: gone threads' directories removed */
static void task_dir(struct inode *d, struct proc *p, const char *name)
{
    struct inode *task = procfs_node(d, name, S_IFDIR | 0555);
    char tid[16];
    for (struct dirent_node *e = task ? task->children : NULL, *next; e; e = next) {
        next = e->next;
        snprintf(tid, sizeof tid, "%s", e->name); /* thread_dir may free the entry's own */
        thread_dir(task, p, tid, "");
    }
    for (struct proc *t = task && !p->zombie ? proc_list() : NULL; t; t = t->next)
        if (proc_group(t) == p && (t == p || !t->zombie) && procfs_nr(t)) {
            snprintf(tid, sizeof tid, "%d", procfs_nr(t));
            thread_dir(task, p, tid, "");
        }
}

static const struct pid_entry {
    const char *name;
    uint32_t mode;
    void (*write)(struct inode *d, struct proc *p, const char *name);
} entries[] = {
    {"stat", S_IFREG | 0444, own_thread_file},     {"status", S_IFREG | 0444, own_thread_file},
    {"statm", S_IFREG | 0444, own_thread_file},    {"comm", S_IFREG | 0644, own_thread_file},
    {"cmdline", S_IFREG | 0444, cmdline_file},     {"environ", S_IFREG | 0400, environ_file},
    {"auxv", S_IFREG | 0400, auxv_file},           {"mem", S_IFREG | 0600, mem_node},
    {"maps", S_IFREG | 0444, maps_file},           {"smaps", S_IFREG | 0444, smaps_file},
    {"mounts", S_IFREG | 0444, mounts_file},
    {"mountinfo", S_IFREG | 0444, mounts_file},    {"limits", S_IFREG | 0444, limits_file},
    {"personality", S_IFREG | 0400, personality_file}, {"exe", S_IFLNK | 0777, exe_link},
    {"ns", S_IFDIR | 0511, ns_dir},                {"cwd", S_IFLNK | 0777, cwd_link},
    {"root", S_IFLNK | 0777, root_link},
    {"fd", S_IFDIR | 0500, fd_dir},                {"fdinfo", S_IFDIR | 0555, procfdinfo_dir},
    {"task", S_IFDIR | 0555, task_dir},
    {"oom_score", S_IFREG | 0444, procpidset_file}, {"oom_adj", S_IFREG | 0644, procpidset_file},
    {"oom_score_adj", S_IFREG | 0644, procpidset_file}, {"coredump_filter", S_IFREG | 0644, procpidset_file},
    {"setgroups", S_IFREG | 0644, procpidset_file}, {"timerslack_ns", S_IFREG | 0666, procpidset_file},
    {"loginuid", S_IFREG | 0644, procpidset_file}, {"sessionid", S_IFREG | 0444, procpidset_file},
    {"io", S_IFREG | 0400, procio_file},
    {"map_files", S_IFDIR | 0500, map_files_dir},
    {"wchan", S_IFREG | 0444, procpidinfo_file},
    {"timers", S_IFREG | 0444, procpidinfo_file},    {"schedstat", S_IFREG | 0444, procpidinfo_file},
    {"mountstats", S_IFREG | 0400, procpidinfo_file}, {"net", S_IFDIR | 0555, procpidinfo_file},
    {"cgroup", S_IFREG | 0444, procpidinfo_file},    {"cpuset", S_IFREG | 0444, procpidinfo_file},
    {"uid_map", S_IFREG | 0644, procpidset_file},    {"gid_map", S_IFREG | 0644, procpidset_file},
    {"projid_map", S_IFREG | 0644, procpidset_file}, {"timens_offsets", S_IFREG | 0644, procpidset_file},
    {"arch_status", S_IFREG | 0444, procpidinfo_file}, {"ksm_merging_pages", S_IFREG | 0400, procpidinfo_file},
    {"ksm_stat", S_IFREG | 0400, procpidinfo_file},   {"pagemap", S_IFREG | 0400, mem_node},
    {"syscall", S_IFREG | 0400, procpidlive_node},    {"stack", S_IFREG | 0400, procpidlive_node},
    {"sched", S_IFREG | 0644, procpidlive_node},      {"autogroup", S_IFREG | 0644, procpidlive_node},
    {"smaps_rollup", S_IFREG | 0444, procpidlive_node}, {"numa_maps", S_IFREG | 0444, procpidlive_node},
    {"clear_refs", S_IFREG | 0200, procpidlive_node}, {"attr", S_IFDIR | 0555, procpidlive_attr},
};
#define NENTRIES (sizeof entries / sizeof entries[0])

static const struct pid_entry *entry_named(const char *name)
{
    for (size_t i = 0; name && i < NENTRIES; i++)
        if (strcmp(entries[i].name, name) == 0)
            return &entries[i];
    return NULL;
}

struct inode *procpid_dir(struct inode *root, struct proc *p)
{
    char name[16];
    snprintf(name, sizeof name, "%d", procfs_nr(p));
    procfs_owner(p->cred.euid, p->cred.egid, 0); /* a process's directory is its own; the caller puts root's back */
    struct inode *d = fs_dir_find(root, name, strlen(name));
    if (d) {
        d->uid = p->cred.euid, d->gid = p->cred.egid;
        return d;
    }
    d = procfs_node(root, name, S_IFDIR | 0555);
    for (size_t i = 0; d && i < NENTRIES; i++) /* the names, in the listing's order; written when looked up */
        procfs_node(d, entries[i].name, entries[i].mode);
    return d;
}

void procpid_write(struct inode *d, struct proc *p, struct inode *dir, const char *name)
{
    /* Linux's task_dump_owner: what is in the directory of a process that
     * may not dump (a set-user-ID one, one that changed its ids) is root's */
    bool dumpable = !proc_group(p)->undumpable;
    procfs_owner(dumpable ? p->cred.euid : 0, dumpable ? p->cred.egid : 0, 0);
    const struct pid_entry *e;
    if (dir == d && !name) { /* the listing: every entry */
        for (size_t i = 0; i < NENTRIES; i++)
            entries[i].write(d, p, entries[i].name);
    } else if (dir == d) {
        if ((e = entry_named(name)))
            e->write(d, p, e->name);
    } else {
        struct inode *below = dir, *thread = NULL;
        while (below->parent && below->parent != d)
            thread = below, below = below->parent;
        const char *top = NULL; /* the entry of d that holds dir */
        for (struct dirent_node *c = d->children; c && !top; c = c->next)
            top = c->inode == below ? c->name : NULL;
        if (!top || !(e = entry_named(top)))
            return;
        if (e->write != task_dir || (dir == below && !name))
            e->write(d, p, e->name); /* ns/, fd/, or task/'s listing: all of it */
        else if (dir == below) /* task/TID looked up: that thread's directory */
            thread_dir(dir, p, name, "");
        else { /* in task/TID or below it: the entry of task/TID that holds dir, or is named */
            const char *entry = dir == thread ? name : NULL;
            for (struct inode *i = dir; i != thread && i->parent; i = i->parent)
                for (struct dirent_node *c = i->parent == thread ? thread->children : NULL; c; c = c->next)
                    entry = c->inode == i ? c->name : entry;
            for (struct dirent_node *c = below->children; c; c = c->next)
                if (c->inode == thread) {
                    char tid[16], what[32];
                    snprintf(tid, sizeof tid, "%s", c->name);
                    snprintf(what, sizeof what, "%s", entry ? entry : "");
                    thread_dir(below, p, tid, dir == thread && !name ? NULL : what);
                    break;
                }
        }
    }
}
