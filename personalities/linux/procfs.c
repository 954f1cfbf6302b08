/*
 * personalities/linux/procfs.c - /proc, a file system mounted on /proc.
 * Its files are kept as tmpfs keeps its own (tmpfs_iops), and written
 * lazily, by name: a path walk about to look a name up in one of its
 * directories (its lookup operation, which fs.c's walk calls) has that
 * entry alone written afresh, and opening a directory (its refresh
 * operation) writes what the listing needs.  An open file keeps the
 * snapshot it was opened on, as a seq_file read at once would.  A
 * directory for every process, named by its pid (procpid.c), and the
 * global files, each written alone (procglobal.c).  Each pid namespace
 * whose processes mount a proc has an instance of its own (procfs_for),
 * which names its processes by their numbers there.  Here: the buffer a
 * file is written in, the nodes, the instances, and which writer a name
 * calls.
 *
 * Entry points: procfs.h.  Layer: a file system that shows processes, so
 * it includes proc.h, over the tmpfs it writes.  Book: docs/linux.md,
 * "/proc".
 */
#include "mount.h"
#include "pidns.h"
#include "proc.h"
#include "procfs.h"
#include "userns.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An instance: the one mounted on /proc at the start, and one for each
 * pid namespace whose processes mounted a proc (Linux's proc_fill_super
 * takes the mounter's namespace: what the instance shows is that
 * namespace's processes, by their numbers there). */
struct procfs_inst {
    struct fs fs;
    struct ns *pidns;          /* NULL: the initial namespace */
    bool gone;                 /* its namespace is gone: no process is numbered in it */
    struct procfs_opts opts;   /* its mount's options (procfsopts.c); given: an instance of its own */
    struct procfs_inst *next;
};
static struct procfs_inst initial_inst, *insts;
static struct procfs_inst *cur = &initial_inst; /* the instance being looked at (enter) */
#define procfs_root (cur->fs.root)

static void enter(const struct fs *fs) { cur = (struct procfs_inst *)((char *)fs - offsetof(struct procfs_inst, fs)); }

const struct ns *procfs_pidns(void) { return cur->pidns; }

int procfs_nr(const struct proc *t) { return t && !cur->gone ? pidns_nr(t, cur->pidns) : 0; }

/* The thread numbered nr in the instance's namespace. */
static struct proc *find(int nr) { return cur->gone ? NULL : pidns_find_in(cur->pidns, nr); }

/* Whether the reader sees process p in the listing (proc_pid_readdir)
 * and by name (proc_pid_lookup; an invisible one's getattr fails too). */
static bool shown(struct proc *p)
{
    return cur->opts.hidepid < PROC_HIDEPID_INVISIBLE || procfs_may_see(&cur->opts, p, PROC_HIDEPID_INVISIBLE);
}

int procfs_pid_nr(int gpid)
{
    struct proc *t = gpid > 0 ? proc_by_pid(gpid) : NULL;
    return t ? procfs_nr(t) : 0;
}

struct proc *procfs_find(const struct fs *fs, const char *name)
{
    enter(fs);
    return find(atoi(name));
}

struct proc *procfs_viewer(void)
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

void procfs_put(const char *fmt, ...)
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

void procfs_bytes(const void *data, size_t n)
{
    if (!grow(len + n))
        n = cap > len ? cap - len : 0;
    memcpy(buf + len, data, n);
    len += n;
}

char *procfs_room(size_t need, size_t *room)
{
    grow(need > 64 * 1024 ? need : 64 * 1024);
    len = 0;
    *room = cap;
    return buf;
}

void procfs_took(size_t n) { len = n < cap ? n : cap ? cap - 1 : 0; }

/* Whose the nodes made now are, and their mark (rdev; 0: none): root's,
 * but a process's own directory is its effective ids' (procfs_owner). */
static uint32_t node_uid, node_gid, node_rdev;

void procfs_owner(uint32_t uid, uint32_t gid, uint32_t rdev) { node_uid = uid, node_gid = gid, node_rdev = rdev; }

struct inode *procfs_node(struct inode *dir, const char *name, uint32_t mode)
{
    struct inode *i = fs_dir_find(dir, name, strlen(name));
    if (!i && fs_create(dir, name, mode, &i) < 0)
        return NULL;
    i->uid = node_uid, i->gid = node_gid;
    if (node_rdev)
        i->rdev = node_rdev;
    return i;
}

void procfs_file(struct inode *dir, const char *name)
{
    struct inode *i = procfs_node(dir, name, S_IFREG | 0444);
    if (i && tmpfs_iops.truncate(i, 0) == 0 && len) /* the server's own: sysfs's files take no truncation */
        tmpfs_iops.write(i, 0, buf, len); /* the server's own write, not a process's */
    len = 0;
}

void procfs_text(struct inode *dir, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char line[256];
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    procfs_put("%s", line);
    procfs_file(dir, name);
}

void procfs_link(struct inode *dir, const char *name, const char *target)
{
    struct inode *i = procfs_node(dir, name, S_IFLNK | 0777);
    if (i)
        fs_set_link(i, target, strlen(target));
}

void procfs_remove(struct inode *dir, const char *name)
{
    struct inode *d = fs_dir_find(dir, name, strlen(name));
    if (!d)
        return;
    if ((d->mode & S_IFMT) == S_IFDIR)
        while (d->children) {
            char child[256];
            snprintf(child, sizeof child, "%s", d->children->name);
            procfs_remove(d, child);
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

/* A name of the root that is a number: a process's directory (made if
 * new, its owner brought up to date; its files are written by name), a
 * thread's link to its directory under its process's task/ (there, but
 * not listed, as on Linux), or nothing, removed. */
static struct inode *root_pid(const char *name)
{
    struct proc *p = find(atoi(name));
    p = p && shown(proc_group(p)) ? p : NULL;
    struct inode *old = fs_dir_find(procfs_root, name, strlen(name));
    bool dir = p && !p->leader, link = p && p->leader && !p->zombie;
    if (old && !((old->mode & S_IFMT) == S_IFDIR ? dir : link))
        procfs_remove(procfs_root, name); /* gone, or its pid taken since by another kind */
    if (dir)
        return procpid_dir(procfs_root, p);
    if (link) {
        char to[32];
        snprintf(to, sizeof to, "%d/task/%d", procfs_pid_nr(proc_tgid(p)), procfs_nr(p));
        procfs_link(procfs_root, name, to);
        fs_hide(procfs_root, name);
    }
    return NULL;
}

/* Gone processes' and threads' entries removed, before any name of the
 * root is looked up: what a dead process leaves is no memory's. */
static void sweep(void)
{
    for (struct dirent_node *d = procfs_root->children, *n; d; d = n) {
        n = d->next;
        if (!is_pid_name(d->name))
            continue;
        struct proc *p = find(atoi(d->name));
        if (!p || ((d->inode->mode & S_IFMT) == S_IFDIR ? p->leader != NULL : !p->leader || p->zombie))
            procfs_remove(procfs_root, d->name);
    }
}

static int by_pid(const void *a, const void *b)
{
    int x = atoi((*(struct dirent_node *const *)a)->name), y = atoi((*(struct dirent_node *const *)b)->name);
    return (x > y) - (x < y);
}

/* The processes' entries last, in the order of their pids, as Linux lists
 * the root (they are made as they are first looked up: ps's own /proc/self
 * comes before process 1's). */
static void sort_pids(void)
{
    size_t n = 0;
    for (struct dirent_node *d = procfs_root->children; d; d = d->next)
        n += is_pid_name(d->name);
    struct dirent_node **pids = n ? malloc(n * sizeof *pids) : NULL, **tail = &procfs_root->children;
    if (!pids)
        return; /* none, or no memory: the order of their making */
    n = 0;
    for (struct dirent_node *d = procfs_root->children; d; d = d->next)
        if (is_pid_name(d->name))
            pids[n++] = d;
        else
            *tail = d, tail = &d->next;
    qsort(pids, n, sizeof *pids, by_pid);
    for (size_t i = 0; i < n; i++)
        *tail = pids[i], tail = &pids[i]->next;
    *tail = NULL;
    free(pids);
}

/* self and thread-self: the caller's process and thread, by their
 * numbers in the instance's namespace.  For a caller outside it they are
 * listed but lead nowhere (ENOENT, as Linux's proc_self_get_link): a
 * walk finds none. */
static void self_link(const char *name, bool listing)
{
    struct proc *v = procfs_viewer();
    int tgid = v ? procfs_pid_nr(proc_tgid(v)) : 1, tid = v ? procfs_nr(v) : 1;
    char to[32];
    if (!tgid && !listing) {
        procfs_remove(procfs_root, name);
        return;
    }
    if (strcmp(name, "self") == 0)
        snprintf(to, sizeof to, "%d", tgid);
    else
        snprintf(to, sizeof to, "%d/task/%d", tgid, tid);
    procfs_link(procfs_root, name, to);
}

/* The entry of the root that holds dir (below the root), and its name. */
static struct inode *top_of(struct inode *dir, const char **name)
{
    struct inode *top = dir;
    while (top->parent && top->parent != procfs_root)
        top = top->parent;
    for (struct dirent_node *e = top->parent ? procfs_root->children : NULL; e; e = e->next)
        if (e->inode == top) {
            *name = e->name;
            return top;
        }
    return NULL; /* removed: its process is gone */
}

/* In dir, below the root: a process's entry, or a global subtree. */
static void below_root(struct inode *dir, const char *name)
{
    const char *top_name;
    struct inode *top = top_of(dir, &top_name);
    if (!top)
        return;
    if (!is_pid_name(top_name)) {
        procglobal_write(procfs_root, top_name);
        return;
    }
    struct proc *p = find(atoi(top_name));
    if (!p || p->leader)
        procfs_remove(procfs_root, top_name); /* a walk from inside a gone process's directory finds nothing */
    else
        procpid_write(top, p, dir, name);
}

static void procfs_lookup(struct fs *fs, struct inode *dir, const char *name, size_t n)
{
    enter(fs);
    char nm[256];
    if (!procfs_root || n >= sizeof nm || !grow(64 * 1024))
        return;
    memcpy(nm, name, n);
    nm[n] = '\0';
    if (dir != procfs_root) {
        below_root(dir, nm);
    } else {
        sweep();
        if (is_pid_name(nm))
            root_pid(nm);
        else if (strcmp(nm, "self") == 0 || strcmp(nm, "thread-self") == 0)
            self_link(nm, false);
        else if (!cur->opts.pidonly) /* subset=pid: the processes alone */
            procglobal_write(procfs_root, nm);
    }
    procfs_owner(0, 0, 0);
}

/* A directory opened to be listed: the root lists every process (and
 * no gone one), a process's directory all its files, the others all
 * their entries. */
static void procfs_refresh(struct fs *fs, struct inode *dir)
{
    enter(fs);
    if (!procfs_root || !grow(64 * 1024))
        return;
    if (dir == procfs_root) {
        sweep();
        char name[16];
        for (struct proc *p = proc_list(); p; p = p->next)
            if (!p->leader && procfs_nr(p) && shown(p)) {
                snprintf(name, sizeof name, "%d", procfs_nr(p));
                root_pid(name);
            }
        self_link("self", true);
        self_link("thread-self", true);
        sort_pids();
    } else {
        below_root(dir, NULL);
    }
    procfs_owner(0, 0, 0);
}

/* Whether dir is named name in its parent (a process's or thread's fdinfo, fd, map_files). */
/* The name of directory dir in its parent, or "". */
static const char *dir_name(const struct inode *dir)
{
    for (const struct dirent_node *e = dir->parent ? dir->parent->children : NULL; e; e = e->next)
        if (e->inode == dir)
            return e->name;
    return "";
}

static bool dir_named(const struct inode *dir, const char *name) { return strcmp(dir_name(dir), name) == 0; }

/* A process's task/ directory. */
static bool task_dir(const struct inode *dir)
{
    return dir->parent && dir->parent != procfs_root && dir->parent->parent == procfs_root && dir_named(dir, "task");
}

/* A process's directory whose process is gone (looked up after it was
 * reaped, through a descriptor or a working directory) is ESRCH to any
 * check, as Linux's proc_pid_permission; an fdinfo directory wants
 * ptrace's read access to its process besides its mode (Linux's
 * proc_fdinfo_permission: EACCES), so another user's files' positions
 * and flags stay theirs; an fd or map_files directory is open to its own
 * process whatever its mode (proc_fd_permission: it is root's when the
 * process may not dump); the rest as procsys.c says. */
static int procfs_permission(const struct inode *ino, int mask)
{
    const char *name;
    struct proc *p = NULL, *viewer;
    enter(ino->fs);
    if ((ino->mode & S_IFMT) == S_IFDIR && ino != procfs_root) {
        if (!ino->nlink)
            return -LINUX_ESRCH; /* removed: only what a gone process had is */
        bool pid_dir = ino->parent == procfs_root || task_dir(ino); /* task/ as its process's (proc_task_inode_operations) */
        if (pid_dir && top_of((struct inode *)ino, &name) && is_pid_name(name) && (!(p = find(atoi(name))) || p->leader))
            return -LINUX_ESRCH;
        if (pid_dir && p && !procfs_may_see(&cur->opts, p, PROC_HIDEPID_NOACCESS))
            return cur->opts.hidepid == PROC_HIDEPID_INVISIBLE ? -LINUX_ENOENT : -LINUX_EPERM; /* proc_pid_permission */
    }
    int r = procsys_permission(ino, mask);
    bool sub = (ino->mode & S_IFMT) == S_IFDIR && ino->parent && ino->parent != procfs_root &&
               top_of((struct inode *)ino, &name) && is_pid_name(name) && (p = find(atoi(name))) &&
               !p->leader;
    if (r == 0 && sub && dir_named(ino, "fdinfo") && (viewer = procfs_viewer()) && !proc_may_ptrace(viewer, p))
        return -LINUX_EACCES;
    if (r < 0 && sub && (dir_named(ino, "fd") || dir_named(ino, "map_files")) && (viewer = procfs_viewer()) &&
        proc_group(viewer) == proc_group(p))
        return 0; /* Linux's proc_fd_permission: one's own process's, whoever owns the directory */
    return r;
}

/* Linux's pid_getattr: a process's directory, or a thread's in task/, is
 * ENOENT to a reader hidepid=invisible hides it from; task/ itself and
 * the files in them are not. */
static int procfs_may_getattr(const struct inode *ino)
{
    enter(ino->fs);
    if ((ino->mode & S_IFMT) != S_IFDIR || cur->opts.hidepid < PROC_HIDEPID_INVISIBLE || ino == procfs_root ||
        !ino->parent || (ino->parent != procfs_root && !task_dir(ino->parent)))
        return 0;
    const char *name = dir_name(ino);
    struct proc *p = is_pid_name(name) ? find(atoi(name)) : NULL;
    return p && !procfs_may_see(&cur->opts, p, PROC_HIDEPID_INVISIBLE) ? -LINUX_ENOENT : 0;
}

static void procfs_statfs(struct fs *fs, struct linux_statfs *s)
{
    (void)fs;
    s->flags |= ST_NOSUID | ST_NODEV | ST_NOEXEC;
}

/* The file ino's name in the directory that holds it. */
static const char *file_name(const struct inode *ino)
{
    for (const struct dirent_node *e = ino->entry_dir ? ino->entry_dir->children : NULL; e; e = e->next)
        if (e->inode == ino)
            return e->name;
    return "";
}

/* Linux's /proc files have no size (config.gz, whose size is set, aside)
 * and count no blocks. */
static void procfs_getattr(const struct inode *ino, struct linux_stat *st)
{
    if ((ino->mode & S_IFMT) != S_IFREG || strcmp(file_name(ino), "config.gz") != 0)
        st->size = 0;
    st->blocks = 0;
}

/* lseek past SEEK_CUR: most of /proc's files are seq_files, whose
 * seq_lseek knows only SEEK_SET and SEEK_CUR (EINVAL); the sysctls, a
 * process's cmdline, environ, auxv and its one-number settings seek as a
 * file of size 0 (generic_file_llseek: SEEK_END from 0, SEEK_DATA and
 * SEEK_HOLE ENXIO), and config.gz as the file it is. */
static int64_t procfs_seek(const struct inode *ino, int64_t off, int whence)
{
    static const char *const sized0[] = {"cmdline", "environ", "auxv", "oom_adj", "oom_score_adj",
                                         "coredump_filter", "loginuid", "sessionid"};
    const char *name = file_name(ino);
    bool plain = ino->rdev == SYSCTL_NODE, top = ino->entry_dir == ino->fs->root;
    for (size_t i = 0; !plain && !top && i < sizeof sized0 / sizeof sized0[0]; i++)
        plain = strcmp(name, sized0[i]) == 0;
    if (top && !strcmp(name, "config.gz"))
        return whence != SEEK_END ? off < 0 ? -LINUX_ENXIO : fs_seek_data(ino, (uint64_t)off, whence == SEEK_HOLE)
               : (int64_t)ino->size + off < 0 ? -LINUX_EINVAL
                                              : (int64_t)ino->size + off;
    if (!plain)
        return -LINUX_EINVAL;
    return whence != SEEK_END ? -LINUX_ENXIO : off < 0 ? -LINUX_EINVAL : off;
}

static const struct fs_ops procfs_ops = {.statfs = procfs_statfs, .lookup = procfs_lookup, .refresh = procfs_refresh,
                                         .permission = procfs_permission, .getattr = procfs_getattr,
                                         .may_getattr = procfs_may_getattr,
                                         .seek = procfs_seek};

/* Its files are kept as tmpfs keeps its own, but written by processes
 * only where a write means something (procsys_write). */
static struct inode_ops procfs_iops;
static struct procfs_inst initial_inst = {.fs = {.type = "proc", .dev = DEV_PROCFS, .magic = PROC_SUPER_MAGIC,
                                                 .ops = &procfs_ops, .iops = &procfs_iops}};

/* Linux's proc_dir_entry files (the top's, those under its directories
 * but sys/ and the processes', and net/'s wherever it is) have a mmap
 * that is -EIO without the entry's own; a process's files, the sysctls
 * and sysfs's attributes have none (-ENODEV). */
int procfs_map_error(const struct inode *ino)
{
    const struct inode *d = ino->entry_dir;
    if (ino->fs->magic != PROC_SUPER_MAGIC || !d)
        return -LINUX_ENODEV;
    const char *top = "";
    for (; d && d != ino->fs->root; d = d->parent) {
        top = dir_name(d);
        if (strcmp(top, "net") == 0)
            return -LINUX_EIO;
    }
    bool pid = *top >= '0' && *top <= '9';
    return *top && (pid || strcmp(top, "sys") == 0) ? -LINUX_ENODEV : -LINUX_EIO;
}

void procfs_init(void)
{
    procfs_iops = tmpfs_iops;
    procfs_iops.write = procsys_write;
    struct inode *point;
    if (fs_lookup(fs_root(), "/proc", true, &point) < 0 && fs_create(fs_root(), "proc", S_IFDIR | 0555, &point) < 0)
        return;
    if (!fs_new_root(&initial_inst.fs, point) ||
        fs_mount(point, &initial_inst.fs, MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME) != 0)
        return;
    enter(&initial_inst.fs);
    procglobal_make(procfs_root); /* the global names, empty until looked up, in the listing's order */
    self_link("self", true);
    self_link("thread-self", true);
}

struct fs *procfs_for(struct ns *pidns, const struct procfs_opts *o)
{
    bool plain = !o || !o->given;
    if (!initial_inst.fs.root)
        return NULL;
    if (!pidns_level(pidns) && plain)
        return &initial_inst.fs;
    struct procfs_inst *in = plain ? insts : NULL;
    while (in && (in->pidns != pidns || in->opts.given))
        in = in->next;
    if (in)
        return &in->fs;
    if (!(in = calloc(1, sizeof *in)))
        return NULL;
    in->fs = initial_inst.fs;
    in->fs.dev = mount_new_dev();
    in->fs.point = NULL;
    in->pidns = pidns;
    if (!plain)
        in->opts = *o, procfs_opts_text(o, in->fs.opts, sizeof in->fs.opts);
    if (!fs_new_empty_root(&in->fs, initial_inst.fs.root, 0555, 0, 0)) {
        free(in);
        return NULL;
    }
    in->next = insts, insts = in;
    mount_userns_hold(&in->fs, userns_owner(pidns)); /* its s_user_ns: its pid namespace's owner */
    enter(&in->fs);
    if (!in->opts.pidonly)
        procglobal_make(procfs_root);
    self_link("self", true);
    self_link("thread-self", true);
    return &in->fs;
}

void procfs_pidns_gone(const struct ns *pidns)
{
    for (struct procfs_inst *in = insts; in; in = in->next)
        if (in->pidns == pidns) {
            in->gone = true; /* kept while a mount shows it, with no process (Linux's holds its namespace) */
            mount_userns_drop(&in->fs); /* its owner's hold goes with the namespace */
        }
}
