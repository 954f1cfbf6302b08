/*
 * personalities/linux/exec.c - running a program: execve (a new task for
 * the same process, so that a failed execve leaves the caller as it was),
 * "#!" scripts (nested up to 4), and process 1.
 *
 * Entry points: proc_start_init (main.c).  Callers: the syscall table.
 * Layer: proc, over elf.c's loader.  Book: docs/linux.md, "Programs and
 * processes".
 */
#include "exec.h"
#include "proc.h"
#include "tty.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux_entries/exec.h" /* generated: the handlers' prototypes, entries */

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
    if (p->vfork.shared) { /* the parent's task and map stay; the child leaves them */
        sys_thread_kill(p->thread);
        sys_handle_close(p->thread);
        p->mm = &p->own_mm;
        p->vfork.shared = false;
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
    proc_set_thread_badge(p, thb);
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
    p->sig.ss_sp = p->sig.ss_size = 0; /* no alternate stack in the new image */
    signal_reset_handlers(&p->sig); /* handlers are gone; ignored stays ignored */
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
    return load_program(p, argv[0], (char *const *)argv, argc, envp, (int)(sizeof envp / sizeof envp[0]));
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

static int64_t sys_execve(struct sys_ctx *c, uint64_t upath, uint64_t uargv, uint64_t uenvp)
{
    static char pool[256 * 1024];
    static char *argv[MAX_ARGS + 4], *envp[MAX_ARGS];
    static char path[PATH_MAX_LEN];
    size_t used = 0;
    int r = mem_str(c->p, upath, path, sizeof path);
    if (r < 0)
        return r;
    int argc = read_strv(c->p, uargv, argv, MAX_ARGS, pool, sizeof pool, &used);
    if (argc < 0)
        return argc;
    int envc = read_strv(c->p, uenvp, envp, MAX_ARGS, pool, sizeof pool, &used);
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
    g->sig.mask = c->p->sig.mask;
    g->thread_gone = false;
    drop_threads(g, NULL);
    c->no_reply = true; /* the calling thread died with its old task */
    return 0;
}
