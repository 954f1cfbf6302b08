/*
 * personalities/linux/exec.c - running a program: execve (a new task for
 * the same process, so that a failed execve leaves the caller as it was),
 * "#!" scripts (nested up to 5), and process 1.
 *
 * Entry points: proc_start_init (main.c).  Callers: the syscall table.
 * Layer: proc, over elf.c's loader.  Book: docs/linux.md, "Programs and
 * processes".
 */
#include "aio.h"
#include "iouring.h"
#include "exec.h"
#include "fasync.h"
#include "fsnotify.h"
#include "futex.h"
#include "interop.h"
#include "perfevent.h"
#include "pidns.h"
#include "proc.h"
#include "ptimer.h"
#include "sysctl.h"
#include "tty.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux_entries/exec.h" /* generated: the handlers' prototypes, entries */

/* Loads path into a new task for p and starts its thread, named (comm)
 * after named, the file execve was given: a script, for an interpreter,
 * as Linux names it.  On success the old task (if any) is killed; on
 * failure p is unchanged. */
static int load_program(struct proc *p, const char *path, const char *named, char *const argv[], int argc,
                        char *const envp[], int envc)
{
    int r = files_exec_prepare(p); /* what the close-on-exec pass needs, while failing leaves p as it was */
    if (r < 0)
        return r;
    struct proc tmp = *p;
    struct mm mm;
    tmp.mm = &mm;
    uint64_t tb = proc_new_badge(), thb = proc_new_badge(), entry, sp;
    long task = sys_pico_task_create(linux_ep, tb);
    if (task < 0)
        return -LINUX_ENOMEM;
    tmp.task = (int)task;
    mm_init(tmp.mm);
    r = elf_exec(&tmp, path, argv, argc, envp, envc, &entry, &sp);
    /* a tracee's new image waits for its stop (ptrace_exec) */
    long th = r < 0 ? r
                    : sys_thread_create((int)task, entry, sp, 0,
                                        PRIO_PROGRAM | (p->pt.tracer ? THREAD_SUSPENDED : 0) | (mm.compat ? THREAD_COMPAT : 0) |
                                            (p->pr.tsc_sigsegv ? THREAD_NOTSC : 0), thb);
    if (r < 0 || th < 0) {
        mm_free(tmp.mm);
        sys_task_kill((int)task);
        sys_handle_close((int)task);
        return r < 0 ? r : -LINUX_ENOMEM;
    }
    /* Past failing: the robust futexes its threads hold are released while
     * the old memory is there (FUTEX_OWNER_DIED), as Linux's
     * futex_exec_release, and the new image starts with no list. */
    for_each_thread(t, p)
        if (!t->zombie)
            futex_exit(t);
    perf_thread_ending(p); /* its counters' reading before its thread is a new one (perf_exec) */
    proc_keep_peak(p); /* the old image's peak stays the process's (Linux's exec_mmap) */
    if (p->vfork.shared) { /* the parent's task and map stay; the child leaves them */
        sys_thread_kill(p->thread);
        sys_handle_close(p->thread);
        p->mm = &p->own_mm;
        p->vfork.shared = false;
    } else if (p->task >= 0) {
        for (struct proc *c = proc_vforkers, *n; c; c = n) { /* a CLONE_VM process in the old memory ends with it */
            n = c->vfork_link.next;
            if (c->vfork.shared && c->mm == p->mm && c != p && !c->zombie)
                proc_exit(c, SIGKILL), n = proc_vforkers; /* an exit may change the list */
        }
        sys_task_kill(p->task);
        sys_handle_close(p->task);
        sys_handle_close(p->thread);
    }
    aio_exit(p->mm); /* its AIO contexts go with the old image */
    iouring_cancel_mm(p->mm); /* its io_uring requests too */
    mm_free(p->mm);
    *p->mm = mm;
    vfork_release(p); /* a vfork parent goes on once its child has its own image */
    p->task = (int)task;
    p->thread = (int)th;
    sched_apply(p); /* the new image's thread runs at the policy's level */
    proc_set_task_badge(p, tb);
    proc_set_thread_badge(p, thb);
    const char *base = strrchr(named, '/'); /* a script's name, not its interpreter's, as Linux */
    if (snprintf(p->comm, sizeof p->comm, "%s", base ? base + 1 : named) >= (int)sizeof p->comm)
        p->comm[sizeof p->comm - 1] = '\0'; /* cut, as Linux's */
    struct inode *file, *dir = NULL;
    int found = exec_at ? (file = exec_at, 0) : fs_lookup_in(p->cwd, path, &file, &dir);
    bool nosuid = found == 0 && (fs_walk_flags(file) & MS_NOSUID); /* a nosuid mount's: as no_new_privs for it */
    if (found == 0 && cred_exec(&p->cred, file, p->no_new_privs || nosuid)) { /* a set-user-ID program runs as its owner */
        p->pdeathsig = 0;                    /* and, as Linux, loses its parent-death signal */
        proc_group(p)->undumpable = sysctl_suid_dumpable != 1; /* and may not dump (fs/suid_dumpable 0 or 2) */
        p->personality &= ~(uint32_t)PER_CLEAR_ON_SETID; /* and the flags that would weaken it */
    }
    if (!p->mm->compat)
        p->personality &= ~(uint32_t)READ_IMPLIES_EXEC; /* never for a 64-bit program (set_personality_64bit) */
    if (found == 0 && fs_name_of(file, dir, p->exe, sizeof p->exe) > 0)
        goto named; /* the file's own name, symlinks (as /proc/self/exe) resolved */
    char cwd[PATH_MAX_LEN] = "/";
    if (path[0] != '/' && fs_path(p->cwd, cwd, sizeof cwd) < 0)
        strcpy(cwd, "/");
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    if (snprintf(p->exe, sizeof p->exe, "%s%s%s", path[0] == '/' ? "" : cwd,
                 path[0] == '/' || cwd[strlen(cwd) - 1] == '/' ? "" : "/", path) >= (int)sizeof p->exe)
        p->exe[sizeof p->exe - 1] = '\0'; /* absolute, as /proc/self/exe, cut if it must be */
named:
    files_unshare(p); /* as Linux's unshare_files: a table shared with other processes is copied (ENOMEM: kept) */
    if (exec_at) { /* by descriptor: the file's own name, as Linux names it then (a memfd's "memfd:NAME") */
        const char *b = strrchr(p->exe, '/'), *end = strstr(p->exe, " (deleted)");
        b = b ? b + 1 : p->exe;
        snprintf(p->comm, sizeof p->comm, "%.*s", (int)(end && end > b ? end - b : (long)strlen(b)), b);
    }
    files_close_on_exec(p);
    p->sig.ss_sp = p->sig.ss_size = 0, p->sig.ss_flags = 0; /* no alternate stack in the new image */
    sighand_unshare(p); /* the actions are the process's own from here (CLONE_SIGHAND) */
    signal_reset_handlers(&p->sig); /* handlers are gone; ignored stays ignored */
    ptimer_drop(proc_group(p)); /* POSIX timers go; the interval timers stay */
    return 0;
}

/* argv or envp as execve gathers them: malloc'd strings. */
struct strv {
    char **v;
    int n, cap;
};

static void strv_free(struct strv *a)
{
    for (int i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    *a = (struct strv){0};
}

/* Puts s (malloc'd, taken over) at index at, moving the rest up. */
static int strv_insert(struct strv *a, int at, char *s)
{
    if (!s)
        return -LINUX_ENOMEM;
    if (a->n + 1 >= a->cap) {
        int cap = a->cap ? 2 * a->cap : 16;
        char **v = realloc(a->v, (size_t)cap * sizeof *v);
        if (!v) {
            free(s);
            return -LINUX_ENOMEM;
        }
        a->v = v, a->cap = cap;
    }
    memmove(a->v + at + 1, a->v + at, (size_t)(a->n - at) * sizeof *a->v);
    a->v[at] = s;
    a->v[++a->n] = NULL;
    return 0;
}

/* Linux's room for argv and envp together (fs/exec.c): a quarter of the
 * stack limit, at least ARG_MAX (128 KiB), at most three quarters of 8 MiB;
 * the strings with their NULs and a pointer each count.  One string may be
 * MAX_ARG_STRLEN (128 KiB) at most. */
#define ARG_MIN_ROOM (128u << 10)
#define MAX_ARG_STRLEN (128u << 10)
static uint64_t arg_room(struct proc *p)
{
    uint64_t room = proc_group(p)->rlim[RLIMIT_STACK][0] / 4;
    room = room < (6ull << 20) ? room : 6ull << 20;
    return room > ARG_MIN_ROOM ? room : ARG_MIN_ROOM;
}

/* Reads a NULL-terminated array of strings from user memory onto a,
 * taking from *room what they use (E2BIG when it runs out); the
 * pointers are ws bytes (4 for an i386 call's). */
static int read_strv(struct proc *p, uint64_t va, struct strv *a, uint64_t *room, size_t ws)
{
    static char buf[MAX_ARG_STRLEN];
    for (uint64_t i = 0; va; i++) {
        uint64_t ptr = 0;
        if (mem_in(p, &ptr, va + i * ws, ws) < 0)
            return -LINUX_EFAULT;
        if (!ptr)
            break;
        int len = mem_str(p, ptr, buf, sizeof buf);
        if (len < 0)
            return len == -LINUX_ENAMETOOLONG ? -LINUX_E2BIG : len;
        if ((uint64_t)len + 1 + 8 > *room)
            return -LINUX_E2BIG;
        *room -= (uint64_t)len + 1 + 8;
        int r = strv_insert(a, a->n, strdup(buf));
        if (r < 0)
            return r;
    }
    return 0;
}

/* "#!interpreter [arg]": the interpreter and its one argument (the rest
 * of the line, as Linux takes it) go before argv, whose first word
 * becomes the script's path; 1 if it was a script. */
static int script(struct proc *p, const char *path, struct strv *argv)
{
    struct inode *f = exec_at;
    char head[258];
    size_t got;
    if ((!f && fs_lookup(p->cwd, path, true, &f) < 0) || (f->mode & S_IFMT) != S_IFREG)
        return 0;
    if (fs_permission(f, MAY_EXEC) < 0) /* a script too must be executable */
        return -LINUX_EACCES;
    if (landlock_check(p, f, LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE) < 0)
        return -LINUX_EACCES; /* and Landlock's domain must let it be run, and read */
    if ((got = fs_read(f, 0, head, sizeof head)) < 3 || memcmp(head, "#!", 2) != 0)
        return 0;
    size_t n = 0;
    while (2 + n < got && head[2 + n] != '\n' && n < 255)
        n++;
    char line[256];
    memcpy(line, head + 2, n);
    line[n] = '\0';
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        line[--n] = '\0';
    char *name = line + strspn(line, " \t"), *arg = name + strcspn(name, " \t");
    if (*arg) {
        *arg++ = '\0';
        arg += strspn(arg, " \t");
    }
    if (!*name)
        return -LINUX_ENOEXEC;
    char *script_path = strdup(path);
    if (!script_path)
        return -LINUX_ENOMEM;
    free(argv->v[0]);
    argv->v[0] = script_path;
    int r = *arg ? strv_insert(argv, 0, strdup(arg)) : 0;
    return r < 0 ? r : (r = strv_insert(argv, 0, strdup(name))) < 0 ? r : 1;
}

/* Runs path in p with argv and envp: "#!" scripts (nested up to 5; a
 * sixth is ELOOP) run their interpreter.  0, or -errno with p as it was. */
static int exec_program(struct proc *p, const char *path, struct strv *argv, struct strv *envp)
{
    int r = 0;
    char prog[PATH_MAX_LEN];
    snprintf(prog, sizeof prog, "%s", path);
    for (int depth = 0;; depth++) {
        r = script(p, prog, argv);
        if (r <= 0)
            break;
        if (depth == 5)
            return -LINUX_ELOOP; /* Linux's exec_binprm: six scripts deep is too deep */
        exec_at = NULL; /* the interpreter is found by its name */
        snprintf(prog, sizeof prog, "%s", argv->v[0]);
    }
    char who[24];
    struct inode *f = exec_at;
    if (r == 0 && (f || fs_lookup(p->cwd, prog, true, &f) == 0) && interop_target(f, who, sizeof who)) {
        uint64_t job; /* another personality's program: it runs there, and the relay here */
        struct inode *relay = interop_relay_image(), *saved = exec_at;
        if (!relay)
            return -LINUX_ENOMEM;
        if ((r = interop_start(p, f, who, argv->v, argv->n, envp->v, envp->n, &job)) < 0)
            return r;
        exec_at = relay;
        r = load_program(p, prog, path, argv->v, argv->n, envp->v, envp->n);
        exec_at = saved;
        interop_started(p, who, job, r, prog);
        return r;
    }
    return r < 0 ? r : load_program(p, prog, path, argv->v, argv->n, envp->v, envp->n);
}

int proc_start_init(const char *const argv[], int argc)
{
    static const char *const env[] = {"HOME=/", "PATH=/sbin:/usr/sbin:/bin:/usr/bin", "TERM=vt100", "SHELL=/bin/sh",
                                      "USER=root", "LOGNAME=root", "PWD=/"};
    struct proc *p = proc_alloc();
    if (!p)
        return -LINUX_ENOMEM;
    p->pgid = p->sid = p->pid;
    p->cwd = fs_root();
    p->cwd_mnt = 0;
    p->umask = 022;
    p->cred.cap_eff = p->cred.cap_prm = p->cred.cap_bnd = CAP_ALL; /* root's, all of them */
    p->pr.timer_slack = p->pr.default_slack = 50000; /* Linux's first: 50 us */
    rlimits_default(p->rlim);
    struct file *console = calloc(1, sizeof *console);
    if (!console || fd_room(p, 2) < 0)
        return -LINUX_ENOMEM;
    console->ops = &console_fops;
    console->kind = FILE_CONSOLE;
    console->flags = O_RDWR;
    console->refs = 3;
    /* The console's node, as Linux's init opens /dev/console: ttyname
     * checks that the name /proc/self/fd/0 shows is the descriptor's file. */
    if (fs_lookup(fs_root(), "/dev/console", true, &console->inode) == 0)
        console->inode->refs++;
    else
        console->inode = NULL;
    for (int fd = 0; fd < 3; fd++)
        p->fds->fd[fd] = console;
    struct strv a = {0}, e = {0};
    int r = 0;
    for (int i = 0; i < argc && r == 0; i++)
        r = strv_insert(&a, a.n, strdup(argv[i]));
    for (size_t i = 0; i < sizeof env / sizeof env[0] && r == 0; i++)
        r = strv_insert(&e, e.n, strdup(env[i]));
    r = r < 0 ? r : exec_program(p, argv[0], &a, &e);
    strv_free(&a);
    strv_free(&e);
    return r;
}

struct inode *exec_at;

/* fanotify's events of an exec's open of path, after the file's own
 * checks (Linux's do_open_execat): the permission events
 * FAN_OPEN_EXEC_PERM, then FAN_OPEN_PERM (which may make the call wait),
 * then FAN_OPEN | FAN_OPEN_EXEC (not to inotify, which would hear
 * IN_OPEN here and IN_CLOSE_NOWRITE when the program ends, as Linux's). */
static int exec_open(struct sys_ctx *c, const char *path)
{
    struct inode *f = exec_at;
    if ((!f && fs_lookup(c->p->cwd, path, true, &f) < 0) || (f->mode & S_IFMT) != S_IFREG ||
        fs_permission(f, MAY_EXEC) < 0)
        return 0; /* the exec fails before any event */
    int r = fsnotify_perm(c, f, FAN_OPEN_EXEC_PERM);
    if (r == 0 && !c->deferred)
        r = fsnotify_perm(c, f, FAN_OPEN_PERM);
    if (r == 0 && !c->deferred && fsnotify_watches && fanotify_marks)
        fanotify_event(f, FAN_OPEN | FAN_OPEN_EXEC, true);
    return r;
}

/* execve of path (read already, or r < 0 the error reading it). */
static int64_t do_execve(struct sys_ctx *c, const char *path, int r, uint64_t uargv, uint64_t uenvp)
{
    struct strv argv = {0}, envp = {0};
    uint64_t room = arg_room(c->p);
    size_t ws = c->i386 ? 4 : 8;
    r = r < 0 ? r : nproc_exec(c->p); /* a set*uid past RLIMIT_NPROC (Linux checks before the file) */
    struct inode *file;
    if (r == 0 && !exec_at) /* the file is found (ENOENT, ENOTDIR, ELOOP) before argv is read (EFAULT), as */
        r = fs_lookup(c->p->cwd, path, true, &file); /* Linux's alloc_bprm opens it first */
    r = r < 0 ? r : read_strv(c->p, uargv, &argv, &room, ws);
    if (r == 0)
        r = read_strv(c->p, uenvp, &envp, &room, ws);
    if (r == 0 && argv.n == 0) /* Linux runs it with argv[0] "" */
        r = strv_insert(&argv, 0, strdup(""));
    if (r == 0 && (fanotify_perm_groups || fanotify_marks) && (r = exec_open(c, path)) == 0 && c->deferred) {
        strv_free(&argv); /* the call again once a listener allows it */
        strv_free(&envp);
        return 0;
    }
    struct proc *g = proc_group(c->p);
    struct landlock_ruleset *leaders = g->landlock;
    g->landlock = c->p->landlock; /* the caller's Landlock domain checks the program (borrowed) */
    if (r == 0)
        r = exec_program(g, path, &argv, &envp);
    g->landlock = leaders;
    strv_free(&argv);
    strv_free(&envp);
    if (r < 0)
        return r;
    /* The other threads died with the old task; the process goes on as
     * one thread, with the caller's signal mask, under the process's pid. */
    g->sig.mask = c->p->sig.mask;
    if (c->p != g) { /* and the caller's own pending signals, as Linux's de_thread */
        signal_free_queue(&g->sig.own);
        g->sig.own = c->p->sig.own;
        c->p->sig.own.queued = NULL, c->p->sig.own.nqueued = 0, c->p->sig.own.pending = c->p->sig.own.charged = 0;
        seccomp_drop(&g->seccomp); /* the caller's filters and session go on */
        seccomp_inherit(&g->seccomp, &c->p->seccomp);
        landlock_drop(&g->landlock); /* and its Landlock domain */
        landlock_inherit(&g->landlock, c->p->landlock);
        g->keys.session = c->p->keys.session;
    }
    keyring_exec(&g->keys);
    g->forked_only = false;
    g->thread_gone = false;
    perf_exec(g); /* its counters go on with the new thread, enable_on_exec ones start */
    int caller = g->pt.tracer ? pidns_vnr(proc_by_pid(g->pt.tracer), c->p) : 0; /* as the tracer numbers it */
    drop_threads(g, NULL);
    c->no_reply = true; /* the calling thread died with its old task */
    if (g->pt.tracer)
        ptrace_exec(g, caller);
    return 0;
}

static int64_t sys_execve(struct sys_ctx *c, uint64_t upath, uint64_t uargv, uint64_t uenvp)
{
    static char path[PATH_MAX_LEN];
    return do_execve(c, path, mem_str(c->p, upath, path, sizeof path), uargv, uenvp);
}

/* execveat: the file a path names from dirfd (AT_SYMLINK_NOFOLLOW: not a
 * symlink, ELOOP), or dirfd's own with AT_EMPTY_PATH and "" (fexecve);
 * AT_EXECVE_CHECK only says whether it may run.
 * The program's name (AT_EXECFN, a script's argument) is Linux's:
 * "/dev/fd/N" or "/dev/fd/N/path" unless the path is absolute or from
 * AT_FDCWD. */
static int64_t sys_execveat(struct sys_ctx *c, int dirfd, uint64_t upath, uint64_t uargv, uint64_t uenvp, int flags)
{
    static char path[PATH_MAX_LEN], name[PATH_MAX_LEN];
    int r = mem_str(c->p, upath, path, sizeof path);
    if (r < 0)
        return r;
    if (!path[0] && !(flags & AT_EMPTY_PATH))
        return -LINUX_ENOENT;
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_EXECVE_CHECK))
        return -LINUX_EINVAL;
    struct inode *file;
    if ((r = path_target(c, dirfd, upath, flags, &file)) < 0)
        return r;
    if ((file->mode & S_IFMT) == S_IFLNK)
        return -LINUX_ELOOP;
    if (flags & AT_EXECVE_CHECK) /* whether it may run, as Linux's do_open_execat checks it; nothing runs */
        return (file->mode & S_IFMT) != S_IFREG || fs_permission(file, MAY_EXEC) < 0 ? -LINUX_EACCES
               : file->writers                                                     ? -LINUX_ETXTBSY : 0;
    if (path[0] == '/' || (dirfd == AT_FDCWD && path[0]))
        snprintf(name, sizeof name, "%s", path);
    else if (snprintf(name, sizeof name, path[0] ? "/dev/fd/%d/%s" : "/dev/fd/%d", dirfd, path) >= (int)sizeof name)
        return -LINUX_ENAMETOOLONG;
    exec_at = file;
    int64_t result = do_execve(c, name, 0, uargv, uenvp);
    exec_at = NULL;
    return result;
}
