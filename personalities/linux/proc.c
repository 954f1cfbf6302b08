/*
 * personalities/linux/proc.c - processes: creation from an executable,
 * fork (a copy-on-write clone of the task), threads (clone with
 * CLONE_THREAD: another thread in the same task), execve (a new task for
 * the same process), exit and exit_group, and wait4 with Linux's status
 * words.  Task and thread badges are unique numbers, so a
 * lifecycle event of a replaced task is never taken for its successor's.
 */
#include "linux.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WALL_FLAGS ((uint64_t)(__WNOTHREAD | __WALL | __WCLONE))

static struct proc *procs;
static int next_pid = 1;
static uint64_t next_badge = 1;

uint64_t proc_new_badge(void) { return next_badge++; }

struct proc *proc_list(void) { return procs; }

bool proc_running_file(const struct inode *ino)
{
    for (struct proc *p = procs; p; p = p->next)
        if (p->mm->exe == ino)
            return true; /* an exit or an exec clears it (mm_free) */
    return false;
}

struct proc *proc_by_pid(int pid)
{
    for (struct proc *p = procs; p; p = p->next)
        if (p->pid == pid)
            return p;
    return NULL;
}

struct proc *proc_by_task_badge(uint64_t badge)
{
    for (struct proc *p = procs; p; p = p->next)
        if (!p->zombie && !p->leader && !p->vfork_shared && p->task_badge == badge)
            return p;
    return NULL;
}

/* Processes by their thread's badge, for the lookup at every trap: a hash
 * of the badges, which proc_new_badge hands out in order. */
#define BADGE_BUCKETS 256
static struct proc *by_thread_badge[BADGE_BUCKETS];

struct proc *proc_by_thread_badge(uint64_t badge)
{
    for (struct proc *p = by_thread_badge[badge % BADGE_BUCKETS]; p; p = p->badge_next)
        if (p->thread_badge == badge)
            return p->zombie ? NULL : p;
    return NULL;
}

static void unlink_thread_badge(struct proc *p)
{
    for (struct proc **pp = &by_thread_badge[p->thread_badge % BADGE_BUCKETS]; *pp; pp = &(*pp)->badge_next)
        if (*pp == p) {
            *pp = p->badge_next;
            break;
        }
    p->thread_badge = 0;
}

/* p runs on a new thread, with this badge. */
static void set_thread_badge(struct proc *p, uint64_t badge)
{
    if (p->thread_badge)
        unlink_thread_badge(p);
    p->thread_badge = badge;
    p->badge_next = by_thread_badge[badge % BADGE_BUCKETS];
    by_thread_badge[badge % BADGE_BUCKETS] = p;
}

static struct proc *proc_alloc(void)
{
    struct proc *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->pid = next_pid++;
    p->task = p->thread = -1;
    p->start_ns = (uint64_t)sys_clock_ns();
    p->mm = &p->own_mm;
    p->fds = &p->own_fds;
    p->sigactions = p->own_sigactions;
    mm_init(p->mm);
    p->next = procs;
    procs = p;
    return p;
}

/* A vfork child has exec'd or exited: its parent's vfork returns. */
static void vfork_release(struct proc *child)
{
    struct proc *parent = child->vfork_parent;
    child->vfork_parent = NULL;
    if (parent && !parent->zombie)
        proc_reply(parent, child->vfork_token, child->pid);
}

/* argv or envp as /proc shows them: the strings with their NULs. */
static void save_strings(char **out, size_t *out_len, char *const v[], int n)
{
    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += strlen(v[i]) + 1;
    char *s = malloc(total ? total : 1);
    free(*out);
    *out = s;
    *out_len = s ? total : 0;
    for (int i = 0; s && i < n; i++) {
        size_t k = strlen(v[i]) + 1;
        memcpy(s, v[i], k);
        s += k;
    }
}

static char *copy_bytes(const char *src, size_t n)
{
    char *d = src ? malloc(n ? n : 1) : NULL;
    return d ? memcpy(d, src, n) : NULL;
}

/* Loads path into a new task for p and starts its thread.  On success the
 * old task (if any) is killed; on failure p is unchanged. */
static int load_program(struct proc *p, const char *path, char *const argv[], int argc, char *const envp[], int envc)
{
    struct proc tmp = *p;
    struct mm mm;
    tmp.mm = &mm;
    uint64_t tb = proc_new_badge(), thb = proc_new_badge(), entry, sp;
    long task = sys_pico_task_create(linux_ep, tb);
    if (task < 0)
        return -LINUX_ENOMEM;
    tmp.task = (int)task;
    mm_init(tmp.mm);
    int r = elf_exec(&tmp, path, argv, argc, envp, envc, &entry, &sp);
    long th = r < 0 ? r : sys_thread_create((int)task, entry, sp, 0, 10, thb);
    if (r < 0 || th < 0) {
        mm_free(tmp.mm);
        sys_task_kill((int)task);
        sys_handle_close((int)task);
        return r < 0 ? r : -LINUX_ENOMEM;
    }
    if (p->vfork_shared) { /* the parent's task and map stay; the child leaves them */
        sys_thread_kill(p->thread);
        sys_handle_close(p->thread);
        p->mm = &p->own_mm;
        p->vfork_shared = false;
    } else if (p->task >= 0) {
        sys_task_kill(p->task);
        sys_handle_close(p->task);
        sys_handle_close(p->thread);
    }
    mm_free(p->mm);
    *p->mm = mm;
    vfork_release(p); /* a vfork parent goes on once its child has its own image */
    p->task = (int)task;
    p->thread = (int)th;
    p->task_badge = tb;
    set_thread_badge(p, thb);
    const char *base = strrchr(path, '/');
    snprintf(p->comm, sizeof p->comm, "%s", base ? base + 1 : path);
    save_strings(&p->cmdline, &p->cmdline_len, argv, argc);
    save_strings(&p->environ, &p->environ_len, envp, envc);
    struct inode *file, *dir;
    if (fs_lookup_in(p->cwd, path, &file, &dir) == 0 && fs_name_of(file, dir, p->exe, sizeof p->exe) > 0)
        goto named; /* the file's own name, symlinks (as /proc/self/exe) resolved */
    char cwd[PATH_MAX_LEN] = "/";
    if (path[0] != '/' && fs_path(p->cwd, cwd, sizeof cwd) < 0)
        strcpy(cwd, "/");
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    snprintf(p->exe, sizeof p->exe, "%s%s%s", path[0] == '/' ? "" : cwd,
             path[0] == '/' || cwd[strlen(cwd) - 1] == '/' ? "" : "/", path); /* absolute, as /proc/self/exe */
named:
    for (int fd = 0; fd < MAX_FDS; fd++)
        if (p->fds->cloexec[fd] && p->fds->fd[fd]) {
            file_put(p->fds->fd[fd]);
            p->fds->fd[fd] = NULL;
            p->fds->cloexec[fd] = 0;
        }
    p->ss_sp = p->ss_size = 0; /* no alternate stack in the new image */
    for (int sig = 1; sig <= LINUX_NSIG; sig++) /* handlers are gone; ignored stays ignored */
        if (p->sigactions[sig][0] != SIG_IGN)
            memset(p->sigactions[sig], 0, sizeof p->sigactions[sig]);
    return 0;
}

int proc_start_init(const char *const argv[], int argc)
{
    static char *const envp[] = {"HOME=/", "PATH=/sbin:/usr/sbin:/bin:/usr/bin", "TERM=vt100", "SHELL=/bin/sh",
                                 "USER=root", "LOGNAME=root", "PWD=/"};
    struct proc *p = proc_alloc();
    if (!p)
        return -LINUX_ENOMEM;
    p->pgid = p->sid = p->pid;
    p->cwd = fs_root();
    p->umask = 022;
    rlimits_default(p->rlim);
    struct file *console = calloc(1, sizeof *console);
    if (!console)
        return -LINUX_ENOMEM;
    console->kind = FILE_CONSOLE;
    console->flags = O_RDWR;
    console->refs = 3;
    for (int fd = 0; fd < 3; fd++)
        p->fds->fd[fd] = console;
    return load_program(p, argv[0], (char *const *)argv, argc, envp, (int)(sizeof envp / sizeof envp[0]));
}

static struct proc *graveyard;

/* Takes a reaped process off the list; it is freed by proc_collect, after
 * the handler that reaped it has finished with it. */
static void proc_free(struct proc *dead)
{
    for (struct proc **pp = &procs; *pp; pp = &(*pp)->next)
        if (*pp == dead) {
            *pp = dead->next;
            if (dead->thread_badge)
                unlink_thread_badge(dead);
            dead->next = graveyard;
            graveyard = dead;
            fs_sweep_wanted = true; /* what it pointed at may be free once it is */
            return;
        }
}

/* Whether a process still points at ino: as its working directory or one
 * of that directory's ancestors (a removed directory keeps its parent for
 * "..", as Linux), or through a mapping of it. */
static bool inode_pinned(const struct inode *ino)
{
    for (struct proc *p = procs; p; p = p->next) {
        for (const struct inode *d = p->cwd; d; d = d->parent == d ? NULL : d->parent)
            if (d == ino)
                return true;
        for (const struct vma *v = p->mm->vmas; v; v = v->next)
            if (v->file == ino)
                return true;
    }
    return false;
}

void proc_collect(void)
{
    while (graveyard) {
        struct proc *p = graveyard;
        graveyard = p->next;
        free(p->cmdline);
        free(p->environ);
        free(p);
    }
    if (fs_sweep_wanted)
        fs_sweep(inode_pinned);
}

bool proc_cancel_wait(struct proc *p, uint64_t *token)
{
    if (pipe_cancel(p, token) || tty_cancel(p, token) || wait_cancel(p, token))
        return true;
    if (!p->waiting)
        return false;
    p->waiting = false;
    *token = p->wait_token;
    return true;
}

/* Replies to a parent's wait4 if one of its children can be reaped. */
/* Whether child c is one that parent's wait names: a pid, -1 for any,
 * or -pgid for a process group. */
static bool wait_names(struct proc *parent, struct proc *c)
{
    if (c->leader || c->ppid != proc_tgid(parent))
        return false;
    int w = parent->wait_pid;
    return w == -1 || (w > 0 ? c->pid == w : c->pgid == -w);
}

/* What c has to report to a wait with these options: 'x' exited, 's'
 * stopped, 'c' continued, or 0. */
#define WAIT_NO_EXITS 0x100000 /* internal: waitid without WEXITED */

static char wait_event(struct proc *c, int options)
{
    if (c->zombie)
        return options & WAIT_NO_EXITS ? 0 : 'x';
    if ((options & WUNTRACED) && c->stop_report)
        return 's';
    if ((options & WCONTINUED) && c->cont_report)
        return 'c';
    return 0;
}

void proc_wake_waiter(struct proc *parent)
{
    if (!parent || !parent->waiting)
        return;
    bool any = false;
    for (struct proc *c = procs; c; c = c->next) {
        if (!wait_names(parent, c))
            continue;
        any = true;
        char ev = wait_event(c, parent->wait_options);
        if (!ev)
            continue;
        /* the status word: exit, 0x7f | sig << 8 stopped, 0xffff continued */
        int32_t status = ev == 'x' ? c->status : ev == 's' ? 0x7f | c->stop_sig << 8 : 0xffff;
        int pid = c->pid;
        if (parent->wait_siginfo) { /* waitid: a siginfo, and 0 for success */
            int code = ev == 's' ? CLD_STOPPED : ev == 'c' ? CLD_CONTINUED : (status & 0x7f) ? CLD_KILLED : CLD_EXITED;
            struct siginfo_k si = {SIGCHLD, 0, code, 0, {.child = {pid, 0, 0}}};
            si.child.status = ev == 's' ? c->stop_sig : ev == 'c' ? SIGCONT
                              : (status & 0x7f) ? status & 0x7f : (status >> 8) & 0xff;
            mem_out(parent, parent->wait_status_ptr, &si, sizeof si);
            pid = 0;
        } else if (parent->wait_status_ptr) {
            mem_out(parent, parent->wait_status_ptr, &status, sizeof status);
        }
        parent->waiting = false;
        if (ev == 'x') {
            struct proc *g = proc_group(parent);
            g->child_utime += c->gone_utime + c->child_utime;
            g->child_stime += c->gone_stime + c->child_stime;
            proc_free(c);
        }
        else if (ev == 's')
            c->stop_report = false;
        else
            c->cont_report = false;
        proc_reply(parent, parent->wait_token, pid);
        return;
    }
    if (!any) {
        parent->waiting = false;
        proc_reply(parent, parent->wait_token, -LINUX_ECHILD);
    }
}

static uint64_t to_user_hz(uint64_t ticks, uint64_t hz) { return hz && hz != USER_HZ ? ticks * USER_HZ / hz : ticks; }

void proc_cpu_times(struct proc *g, uint64_t *user, uint64_t *sys)
{
    *user = g->gone_utime, *sys = g->gone_stime;
    for (struct proc *t = procs; t; t = t->next)
        if (proc_group(t) == g) {
            uint64_t u, s;
            proc_thread_cpu_times(t, &u, &s);
            *user += u, *sys += s;
        }
}

void proc_thread_cpu_times(struct proc *t, uint64_t *user, uint64_t *sys)
{
    struct persona_cputimes ct;
    *user = *sys = 0;
    if (!t->zombie && !(t == proc_group(t) && t->thread_gone) && sys_cpu_times(t->thread, &ct) == 0)
        *user = to_user_hz(ct.user, ct.hz), *sys = to_user_hz(ct.kernel, ct.hz);
}

/* times: the process's and its reaped children's CPU time; the clock in
 * ticks since boot. */
SYSCALL_HANDLER(times)
{
    struct proc *g = proc_group(c->p);
    uint64_t t[4];
    proc_cpu_times(g, &t[0], &t[1]);
    t[2] = g->child_utime, t[3] = g->child_stime;
    if (c->a[0] && mem_out(c->p, c->a[0], t, sizeof t) < 0)
        return -LINUX_EFAULT;
    return (int64_t)((uint64_t)sys_clock_ns() / (1000000000 / USER_HZ));
}

/* getrusage: CPU times only; the other fields are 0. */
SYSCALL_HANDLER(getrusage)
{
    int who = (int)c->a[0];
    uint64_t u, s, ru[18] = {0}; /* struct rusage: two timevals, then 14 longs */
    struct proc *g = proc_group(c->p);
    if (who == RUSAGE_SELF) {
        proc_cpu_times(g, &u, &s);
    } else if (who == RUSAGE_CHILDREN) {
        u = g->child_utime, s = g->child_stime;
    } else if (who == RUSAGE_THREAD) {
        struct persona_cputimes ct = {0, 0, 0, USER_HZ};
        sys_cpu_times(c->p->thread, &ct);
        u = to_user_hz(ct.user, ct.hz), s = to_user_hz(ct.kernel, ct.hz);
    } else {
        return -LINUX_EINVAL;
    }
    ru[0] = u / USER_HZ, ru[1] = u % USER_HZ * (1000000 / USER_HZ);
    ru[2] = s / USER_HZ, ru[3] = s % USER_HZ * (1000000 / USER_HZ);
    return mem_out(c->p, c->a[1], ru, sizeof ru) < 0 ? -LINUX_EFAULT : 0;
}

/* Adds what thread t used to its process's account of ended threads. */
static void charge_thread(struct proc *t)
{
    struct persona_cputimes ct;
    if (t->thread >= 0 && sys_cpu_times(t->thread, &ct) == 0) {
        proc_group(t)->gone_utime += to_user_hz(ct.user, ct.hz);
        proc_group(t)->gone_stime += to_user_hz(ct.kernel, ct.hz);
    }
}

/* Ends thread th of its process without a reply (its kernel thread is
 * killed or dies with the task): it leaves the list. */
static void thread_drop(struct proc *th)
{
    charge_thread(th);
    uint64_t token;
    proc_cancel_wait(th, &token);
    th->zombie = true;
    sys_thread_kill(th->thread); /* if it still runs */
    sys_handle_close(th->thread);
    proc_free(th);
}

static void drop_threads(struct proc *g, struct proc *keep)
{
    for (struct proc *t = procs, *n; t; t = n) {
        n = t->next;
        if (t->leader == g && t != keep && !t->zombie)
            thread_drop(t);
    }
}

void proc_set_fs(struct proc *p, struct inode *cwd, uint32_t umask)
{
    struct proc *g = proc_group(p);
    for (struct proc *t = procs; t; t = t->next)
        if (proc_group(t) == g)
            t->cwd = cwd, t->umask = umask;
}

int proc_live_threads(struct proc *g)
{
    int n = g->thread_gone ? 0 : 1;
    for (struct proc *t = procs; t; t = t->next)
        n += t->leader == g && !t->zombie;
    return n;
}

/* clear_child_tid: 0 is written there and one futex waiter woken (how
 * pthread_join learns that a thread has ended). */
static void clear_child_tid(struct proc *t)
{
    uint32_t zero = 0;
    if (t->clear_tid && mem_out(t, t->clear_tid, &zero, sizeof zero) == 0)
        futex_wake(t, t->clear_tid, 1, ~0u);
    t->clear_tid = 0;
}

void proc_oom_kill(struct proc *p)
{
    printf("linux: out of memory: killed process %d (%s)\n", proc_tgid(p), proc_group(p)->comm);
    fflush(stdout);
    proc_exit(p, SIGKILL);
}

void proc_exit(struct proc *p, int status)
{
    p = proc_group(p); /* a process ends with all its threads */
    if (p->zombie)
        return;
    drop_threads(p, NULL);
    if (!p->thread_gone)
        charge_thread(p);
    p->zombie = true;
    p->status = status;
    if (linux_trace)
        printf("[linux %d] exits with status 0x%x\n", p->pid, status);
    uint64_t token;
    proc_cancel_wait(p, &token); /* the thread dies with the task: no reply */
    for (int fd = 0; fd < MAX_FDS; fd++)
        if (p->fds->fd[fd]) {
            file_put(p->fds->fd[fd]);
            p->fds->fd[fd] = NULL;
        }
    for (struct proc *c = procs; c; c = c->next) /* a vfork child in our memory dies with it */
        if (c->vfork_shared && c->vfork_parent && proc_group(c->vfork_parent) == p) {
            c->vfork_parent = NULL;
            proc_exit(c, SIGKILL);
        }
    if (p->vfork_shared) { /* only the child's thread goes; the task is its parent's */
        sys_thread_kill(p->thread);
        sys_handle_close(p->thread);
    } else {
        mm_free(p->mm);
        sys_task_kill(p->task);
        sys_handle_close(p->task);
        sys_handle_close(p->thread);
    }
    vfork_release(p);
    for (struct proc *c = procs; c; c = c->next)
        if (c->ppid == p->pid && !c->leader)
            c->ppid = 1;
    if (p->pid == 1) {
        /* init is gone: power off with its status, as a shell's $? would show it */
        int code = (status & 0x7f) ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
        /* The debug-exit device carries 7 bits: the log line has the whole status. */
        printf("linux: init exited with status %d\n", code);
        fflush(stdout);
        if (linux_power >= 0)
            sys_machine_exit(linux_power, code & 0x7f);
        return;
    }
    struct proc *parent = proc_by_pid(p->ppid);
    if (parent && !parent->zombie &&
        (parent->sigactions[SIGCHLD][0] == SIG_IGN || (parent->sigactions[SIGCHLD][1] & SA_NOCLDWAIT))) {
        /* SIGCHLD ignored, or SA_NOCLDWAIT: no zombie; a wait sees one child fewer */
        struct proc *g = proc_group(parent);
        g->child_utime += p->gone_utime + p->child_utime, g->child_stime += p->gone_stime + p->child_stime;
        proc_free(p);
    }
    for (struct proc *w = procs, *n; w && !p->leader; w = n) { /* any thread of the parent may wait */
        n = w->next;
        if (proc_tgid(w) == p->ppid && w->waiting && !w->zombie)
            proc_wake_waiter(w);
    }
    if (parent && !parent->zombie)
        signal_child_exited(parent, p);
}

SYSCALL_HANDLER(exit_group)
{
    proc_exit(c->p, (int)((c->a[0] & 0xff) << 8));
    c->no_reply = true;
    return 0;
}

/* exit: the calling thread ends; the process ends with its last thread. */
SYSCALL_HANDLER(exit)
{
    struct proc *t = c->p, *g = proc_group(t);
    if (proc_live_threads(g) <= 1)
        return sys_exit_group(c);
    clear_child_tid(t);
    struct ipc_msg m = {{PICO_KILL_THREAD}};
    linux_reply(c->token, &m, 0);
    c->no_reply = true;
    if (t == g) {
        uint64_t token;
        proc_cancel_wait(t, &token);
        charge_thread(t);
        t->thread_gone = true; /* the process lives on in its other threads */
    } else {
        thread_drop(t);
    }
    return 0;
}

/* wait4 and waitid: pid -1 for any child; options checked by the callers. */
/* wait4 and waitid: pid > 0 a child, -1 any, -pgid a process group;
 * options checked by the callers. */
static int64_t do_wait(struct sys_ctx *c, int pid, uint64_t status_ptr, uint64_t options, bool siginfo)
{
    struct proc *p = c->p;
    p->wait_pid = pid;
    p->wait_options = (int)options;
    p->wait_status_ptr = status_ptr;
    p->wait_siginfo = siginfo;
    p->wait_token = c->token;
    p->waiting = true;
    bool any = false, ready = false;
    for (struct proc *ch = procs; ch; ch = ch->next)
        if (wait_names(p, ch))
            any = true, ready |= wait_event(ch, (int)options) != 0;
    if (!any) {
        p->waiting = false;
        return -LINUX_ECHILD;
    }
    if (!ready && (options & WNOHANG)) {
        p->waiting = false;
        struct siginfo_k none = {0, 0, 0, 0, {.raw = {0}}};
        return siginfo && status_ptr && mem_out(p, status_ptr, &none, sizeof none) < 0 ? -LINUX_EFAULT : 0;
    }
    c->deferred = true;
    proc_wake_waiter(p);
    return 0;
}

SYSCALL_HANDLER(wait4)
{
    int pid = (int)c->a[0];
    if (pid == INT32_MIN)
        return -LINUX_ESRCH; /* as Linux: its negation is no process group */
    if (c->a[2] & ~(uint64_t)(WNOHANG | WUNTRACED | WCONTINUED | WALL_FLAGS))
        return -LINUX_EINVAL;
    return do_wait(c, pid == 0 ? -c->p->pgid : pid, c->a[1], c->a[2], false);
}

SYSCALL_HANDLER(waitid)
{
    uint64_t type = c->a[0], options = c->a[3], id = c->a[1];
    if (type > P_PGID)
        return -LINUX_EINVAL;
    if (!(options & (WEXITED | WSTOPPED | WCONTINUED)) ||
        (options & ~(uint64_t)(WNOHANG | WEXITED | WSTOPPED | WCONTINUED | WALL_FLAGS)))
        return -LINUX_EINVAL; /* WNOWAIT is not implemented */
    int pid = type == P_ALL ? -1 : type == P_PID ? (int)id : -(id ? (int)id : c->p->pgid);
    /* waitid's WSTOPPED is wait4's WUNTRACED */
    return do_wait(c, pid, c->a[2],
                   (options & WNOHANG) | (options & WSTOPPED ? WUNTRACED : 0) | (options & WCONTINUED) |
                       (options & WEXITED ? 0 : WAIT_NO_EXITS),
                   true);
}

/* A suspended thread in task with the registers of p's thread, rax 0,
 * and the given stack and FS base if nonzero; its handle, or < 0. */
static long copy_thread(struct proc *p, int task, uint64_t stack, uint64_t fs_base, uint64_t badge)
{
    struct persona_regs regs;
    if (sys_thread_regs(p->thread, REGS_GET, &regs) < 0)
        return -LINUX_EAGAIN;
    regs.rax = 0;
    if (stack)
        regs.rsp = stack;
    if (fs_base)
        regs.fs_base = fs_base;
    long th = sys_thread_create(task, regs.rip, regs.rsp, 0, 10 | THREAD_SUSPENDED, badge);
    if (th >= 0 && sys_thread_regs((int)th, REGS_SET, &regs) < 0) {
        sys_handle_close((int)th);
        return -LINUX_ENOMEM;
    }
    return th;
}

/* What a fork or vfork child takes from its parent p: identity, the
 * memory of its last execve for /proc, signal actions, mask and alternate
 * stack, and a copy of the descriptor table. */
static void inherit(struct proc *ch, struct proc *p)
{
    struct proc *g = proc_group(p);
    ch->ppid = proc_tgid(p), ch->pgid = p->pgid, ch->sid = p->sid;
    ch->cwd = p->cwd, ch->umask = p->umask, ch->nice = p->nice;
    memcpy(ch->rlim, g->rlim, sizeof ch->rlim);
    memcpy(ch->comm, p->comm, sizeof ch->comm);
    memcpy(ch->exe, p->exe, sizeof ch->exe);
    if ((ch->cmdline = copy_bytes(g->cmdline, g->cmdline_len)))
        ch->cmdline_len = g->cmdline_len;
    if ((ch->environ = copy_bytes(g->environ, g->environ_len)))
        ch->environ_len = g->environ_len;
    memcpy(ch->sigactions, p->sigactions, sizeof ch->own_sigactions);
    ch->sigmask = p->sigmask;
    ch->ss_sp = p->ss_sp, ch->ss_size = p->ss_size;
    for (int fd = 0; fd < MAX_FDS; fd++)
        if (p->fds->fd[fd])
            ch->fds->fd[fd] = file_get(p->fds->fd[fd]), ch->fds->cloexec[fd] = p->fds->cloexec[fd];
}

static int64_t do_fork(struct sys_ctx *c, uint64_t flags, uint64_t child_tid)
{
    struct proc *p = c->p, *ch = proc_alloc();
    if (!ch)
        return -LINUX_ENOMEM;
    uint64_t tb = proc_new_badge(), thb = proc_new_badge();
    long task = sys_task_clone(p->task, tb);
    long th = task < 0 ? task : copy_thread(p, (int)task, 0, 0, thb);
    if (th < 0 || mm_copy(ch->mm, p->mm) < 0) {
        if (task >= 0)
            sys_task_kill((int)task), sys_handle_close((int)task);
        mm_free(ch->mm);
        proc_free(ch);
        return -LINUX_ENOMEM;
    }
    ch->task = (int)task, ch->thread = (int)th, ch->task_badge = tb;
    set_thread_badge(ch, thb);
    inherit(ch, p);
    if (flags & CLONE_CHILD_SETTID)
        sys_mem_write(ch->task, child_tid, &ch->pid, sizeof ch->pid);
    if (flags & CLONE_CHILD_CLEARTID)
        ch->clear_tid = child_tid;
    sys_thread_resume((int)th);
    return ch->pid;
}

SYSCALL_HANDLER(fork) { return do_fork(c, 0, 0); }
/* vfork: the child runs in the parent's task, on its memory and stack,
 * until it execs or exits; the parent's call is answered then. */
static int64_t do_vfork(struct sys_ctx *c, uint64_t stack)
{
    struct proc *p = c->p, *g = proc_group(p), *ch = proc_alloc();
    if (!ch)
        return -LINUX_ENOMEM;
    uint64_t thb = proc_new_badge();
    long th = copy_thread(p, g->task, stack, 0, thb); /* a stack of its own: posix_spawn's clone */
    if (th < 0) {
        ch->zombie = true;
        proc_free(ch);
        return -LINUX_ENOMEM;
    }
    mm_free(ch->mm);
    ch->mm = g->mm;
    ch->vfork_shared = true;
    ch->task = g->task, ch->task_badge = g->task_badge;
    ch->thread = (int)th;
    set_thread_badge(ch, thb);
    inherit(ch, p);
    ch->vfork_parent = p;
    ch->vfork_token = c->token;
    c->deferred = true; /* answered by vfork_release */
    sys_thread_resume((int)th);
    return 0;
}

SYSCALL_HANDLER(vfork) { return do_vfork(c, 0); }

/* A new thread in the caller's task: the caller's registers, with rax 0,
 * the new stack and, with CLONE_SETTLS, the new FS base. */
static int64_t new_thread(struct sys_ctx *c, uint64_t flags, uint64_t stack, uint64_t ptid, uint64_t ctid,
                          uint64_t tls)
{
    struct proc *p = c->p, *g = proc_group(p), *t = proc_alloc();
    if (!t)
        return -LINUX_ENOMEM;
    uint64_t thb = proc_new_badge();
    long th = copy_thread(p, g->task, stack, (flags & CLONE_SETTLS) ? tls : 0, thb);
    if (th < 0) {
        t->zombie = true;
        proc_free(t);
        return th == -LINUX_ENOMEM ? -LINUX_ENOMEM : -LINUX_EAGAIN;
    }
    mm_free(t->mm);
    t->leader = g;
    t->mm = g->mm, t->fds = g->fds, t->sigactions = g->sigactions;
    t->task = g->task, t->task_badge = g->task_badge;
    t->ppid = g->ppid, t->pgid = g->pgid, t->sid = g->sid;
    t->cwd = p->cwd, t->umask = p->umask, t->sigmask = p->sigmask, t->nice = p->nice;
    memcpy(t->comm, p->comm, sizeof t->comm);
    memcpy(t->exe, p->exe, sizeof t->exe);
    t->thread = (int)th;
    set_thread_badge(t, thb);
    if ((flags & CLONE_PARENT_SETTID) && mem_out(p, ptid, &t->pid, sizeof t->pid) < 0)
        return thread_drop(t), -LINUX_EFAULT;
    if ((flags & CLONE_CHILD_SETTID) && mem_out(t, ctid, &t->pid, sizeof t->pid) < 0)
        return thread_drop(t), -LINUX_EFAULT;
    if (flags & CLONE_CHILD_CLEARTID)
        t->clear_tid = ctid;
    sys_thread_resume((int)th);
    return t->pid;
}

SYSCALL_HANDLER(clone)
{
    uint64_t flags = c->a[0];
    if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
        return -LINUX_EINVAL; /* as Linux: a thread shares the signal actions */
    if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
        return -LINUX_EINVAL;
    if (flags & CLONE_THREAD)
        return new_thread(c, flags, c->a[1], c->a[2], c->a[3], c->a[4]);
    if (flags & (CLONE_SIGHAND | CLONE_SETTLS))
        return -LINUX_ENOSYS; /* shared actions or a new TLS without a thread */
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
        return -LINUX_ENOSYS;
    if ((flags & (CLONE_VM | CLONE_VFORK)) == (CLONE_VM | CLONE_VFORK))
        return do_vfork(c, c->a[1]); /* vfork's and posix_spawn's clone */
    if (c->a[1])
        return -LINUX_EINVAL; /* a new stack only makes sense with a shared address space */
    if (flags & CLONE_PARENT_SETTID)
        return -LINUX_ENOSYS;
    return do_fork(c, flags, c->a[3]);
}

#define MAX_ARGS 1024

/* Reads a NULL-terminated array of strings from user memory. */
static int read_strv(struct proc *p, uint64_t va, char **out, int max, char *pool, size_t pool_size, size_t *used)
{
    int n = 0;
    for (; va; n++) {
        uint64_t ptr;
        if (n == max)
            return -LINUX_E2BIG;
        if (mem_in(p, &ptr, va + (uint64_t)n * 8, 8) < 0)
            return -LINUX_EFAULT;
        if (!ptr)
            break;
        int len = mem_str(p, ptr, pool + *used, pool_size - *used);
        if (len < 0)
            return len == -LINUX_ENAMETOOLONG ? -LINUX_E2BIG : len;
        out[n] = pool + *used;
        *used += (size_t)len + 1;
    }
    out[n] = NULL;
    return n;
}

/* "#!interpreter [arg]": rewrites argv; returns 1 if it was a script. */
static int script(struct proc *p, char *path, char **argv, int *argc, char *pool, size_t pool_size, size_t *used)
{
    struct inode *f;
    char head[258];
    size_t got;
    if (fs_lookup(p->cwd, path, true, &f) < 0 || (f->mode & S_IFMT) != S_IFREG ||
        (got = fs_read(f, 0, head, sizeof head)) < 3 || memcmp(head, "#!", 2) != 0)
        return 0;
    size_t n = 0;
    while (2 + n < got && head[2 + n] != '\n' && n < 255)
        n++;
    char *line = pool + *used;
    if (*used + n + 1 > pool_size)
        return -LINUX_E2BIG;
    memcpy(line, head + 2, n);
    line[n] = '\0';
    *used += n + 1;
    while (*line == ' ' || *line == '\t')
        line++;
    char *arg = line + strcspn(line, " \t");
    if (*arg) {
        *arg++ = '\0';
        arg += strspn(arg, " \t");
        arg[strcspn(arg, " \t")] = '\0';
    }
    if (!*line)
        return -LINUX_ENOEXEC;
    int extra = *arg ? 2 : 1;
    if (*argc + extra >= MAX_ARGS)
        return -LINUX_E2BIG;
    memmove(argv + extra + 1, argv + 1, (size_t)*argc * sizeof *argv);
    argv[0] = line;
    if (*arg)
        argv[1] = arg;
    argv[extra] = path;
    *argc += extra;
    return 1;
}

SYSCALL_HANDLER(execve)
{
    static char pool[256 * 1024];
    static char *argv[MAX_ARGS + 4], *envp[MAX_ARGS];
    static char path[PATH_MAX_LEN];
    size_t used = 0;
    int r = mem_str(c->p, c->a[0], path, sizeof path);
    if (r < 0)
        return r;
    int argc = read_strv(c->p, c->a[1], argv, MAX_ARGS, pool, sizeof pool, &used);
    if (argc < 0)
        return argc;
    int envc = read_strv(c->p, c->a[2], envp, MAX_ARGS, pool, sizeof pool, &used);
    if (envc < 0)
        return envc;
    if (argc == 0)
        argv[argc++] = path, argv[1] = NULL;
    const char *prog = path;
    for (int depth = 0; depth < 4; depth++) { /* "#!" scripts, possibly nested */
        r = script(c->p, (char *)prog, argv, &argc, pool, sizeof pool, &used);
        if (r <= 0)
            break;
        prog = argv[0];
    }
    if (r < 0)
        return r;
    struct proc *g = proc_group(c->p);
    r = load_program(g, prog, argv, argc, envp, envc);
    if (r < 0)
        return r;
    /* The other threads died with the old task; the process goes on as
     * one thread, with the caller's signal mask, under the process's pid. */
    g->sigmask = c->p->sigmask;
    g->thread_gone = false;
    drop_threads(g, NULL);
    c->no_reply = true; /* the calling thread died with its old task */
    return 0;
}
