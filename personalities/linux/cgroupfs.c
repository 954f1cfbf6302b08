/*
 * personalities/linux/cgroupfs.c - the cgroup2 file system, as Linux
 * 6.1's kernfs shows the unified hierarchy: one tree, whatever mounts
 * show it (each the mounter's cgroup namespace's root), with the mount
 * options Linux 6.1's cgroup2 takes (nsdelegate, favordynmods,
 * memory_localevents, memory_recursiveprot: the hierarchy's own, set
 * and cleared by each mount from the initial cgroup namespace).  A
 * group's directory holds the core files (cgroup.procs, threads, type,
 * controllers, subtree_control, events, max.depth, max.descendants,
 * stat, freeze, kill; cpu.stat) and its controllers' (cgroupctl.c);
 * their text is written when a walk or a read from the start asks, and a
 * process's write is taken whole, as kernfs takes it, and handed to
 * cgroupcore.c or cgroupctl.c; poll shows the *.events files' changes.  mkdir makes a
 * group (EAGAIN past cgroup.max.depth or max.descendants), rmdir removes
 * an empty one (EBUSY while populated or with children).
 *
 * Entry points: cgroup.h (cgroupfs_*).  Layer: a file system that moves
 * processes: over the tree, under the calls.  Book: docs/linux.md,
 * "Control groups".
 */
#include "cgroup.h"
#include "file.h"
#include "mount.h"
#include "proc.h"
#include "pidns.h"
#include "propagate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t cgroup_root_flags;
static struct inode_ops cg_iops;
static struct fs cgfs;

/* The core files: name, mode, and whether the root has it (Linux 6.1's
 * cgroup_base_files; CFTYPE_NOT_ON_ROOT). */
static const struct {
    const char *name;
    uint32_t mode;
    bool on_root;
} core[] = {
    {"cgroup.type", 0644, false},          {"cgroup.procs", 0644, true},    {"cgroup.threads", 0644, true},
    {"cgroup.controllers", 0444, true},    {"cgroup.subtree_control", 0644, true},
    {"cgroup.events", 0444, false},        {"cgroup.max.descendants", 0644, true},
    {"cgroup.max.depth", 0644, true},      {"cgroup.stat", 0444, true},     {"cgroup.freeze", 0644, false},
    {"cgroup.kill", 0200, false},          {"cpu.stat", 0444, true},
};

bool cgroupfs_is(const struct inode *dir) { return cgfs.root && dir->fs == &cgfs; }

struct cgroup *cgroupfs_group(const struct inode *ino)
{
    return cgroupfs_is(ino) && (ino->mode & S_IFMT) == S_IFDIR ? ino->fs_private : NULL;
}

/* The name of file ino in its directory dir. */
static const char *file_name(const struct inode *ino, struct inode **dir)
{
    *dir = ino->entry_dir;
    for (struct dirent_node *d = *dir ? (*dir)->children : NULL; d; d = d->next)
        if (d->inode == ino)
            return d->name;
    return NULL;
}

/* The space-separated names of a mask's controllers, and a newline if
 * there was one (Linux's cgroup_print_ss_mask: nothing for none). */
static int mask_text(uint32_t mask, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < CG_NR; i++)
        if (mask & (1u << i))
            n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? " " : "", cgroup_ss_names[i]);
    return (int)(n ? n + (size_t)snprintf(buf + n, size - n, "\n") : 0);
}

static int limit_text(int v, char *buf, size_t size)
{
    return v == CG_MAX ? snprintf(buf, size, "max\n") : snprintf(buf, size, "%d\n", v);
}

/* cpu.stat's usage: the CPU time of the threads in the subtree, and of
 * those freed in it (in µs). */
static void cpu_usage(const struct cgroup *cg, uint64_t *user, uint64_t *sys)
{
    *user = *sys = 0;
    for (struct proc *t = proc_list(); t; t = t->next)
        if (cgroup_is_descendant(cgroup_of(t), cg)) {
            uint64_t u, s;
            proc_thread_cpu_ns(t, &u, &s);
            *user += u, *sys += s;
        }
    *user /= 1000, *sys /= 1000;
}

static uint64_t gone_ns(const struct cgroup *cg, bool user)
{
    uint64_t n = user ? cg->gone_user_ns : cg->gone_system_ns;
    for (const struct cgroup *ch = cg->children; ch; ch = ch->sibling)
        n += gone_ns(ch, user);
    return n;
}

static char text[64 * 1024]; /* a file's text, written */

/* The text of cg's file name into buf: its length, or -1 for none. */
static int show(struct cgroup *cg, const char *name, char *buf, size_t size)
{
    struct proc *viewer = proc_charged;
    if (!strcmp(name, "cgroup.procs") || !strcmp(name, "cgroup.threads")) {
        bool procs = name[7] == 'p';
        size_t n = 0;
        buf[0] = '\0';
        for (struct proc *t = proc_list(); t && n + 16 < size; t = t->next) {
            /* a process is its domain's (a threaded subtree's root: Linux's CSS_TASK_ITER_THREADED) */
            if (t->zombie || (procs ? t->leader || cgroup_of(t)->dom != cg : cgroup_of(t) != cg))
                continue;
            int nr = viewer ? pidns_vnr(viewer, t) : t->pid;
            if (nr > 0)
                n += (size_t)snprintf(buf + n, size - n, "%d\n", nr);
        }
        return (int)n;
    }
    if (!strcmp(name, "cgroup.type"))
        return snprintf(buf, size, "%s\n", cgroup_is_threaded(cg) ? "threaded" : !cgroup_is_valid_domain(cg) ? "domain invalid"
                                           : cgroup_is_thread_root(cg) ? "domain threaded" : "domain");
    if (!strcmp(name, "cgroup.controllers"))
        return mask_text(cgroup_control(cg), buf, size);
    if (!strcmp(name, "cgroup.subtree_control"))
        return mask_text(cg->subtree_control, buf, size);
    if (!strcmp(name, "cgroup.events"))
        return snprintf(buf, size, "populated %d\nfrozen %d\n", cgroup_populated(cg), cgroup_frozen(cg));
    if (!strcmp(name, "cgroup.max.descendants"))
        return limit_text(cg->max_descendants, buf, size);
    if (!strcmp(name, "cgroup.max.depth"))
        return limit_text(cg->max_depth, buf, size);
    if (!strcmp(name, "cgroup.stat"))
        return snprintf(buf, size, "nr_descendants %d\nnr_dying_descendants %d\n", cg->nr_descendants, cg->nr_dying);
    if (!strcmp(name, "cgroup.freeze"))
        return snprintf(buf, size, "%d\n", cg->freeze);
    if (!strcmp(name, "cgroup.kill"))
        return 0;
    if (!strcmp(name, "cpu.stat")) {
        uint64_t u, s;
        cpu_usage(cg, &u, &s);
        u += gone_ns(cg, true) / 1000, s += gone_ns(cg, false) / 1000;
        int n = snprintf(buf, size, "usage_usec %llu\nuser_usec %llu\nsystem_usec %llu\n", (unsigned long long)(u + s),
                         (unsigned long long)u, (unsigned long long)s);
        if (cg->parent && (cg->parent->subtree_control & (1u << CG_CPU)))
            n += snprintf(buf + n, size - (size_t)n,
                          "nr_periods 0\nnr_throttled 0\nthrottled_usec 0\nnr_bursts 0\nburst_usec 0\n");
        return n;
    }
    return cgroupctl_show(cg, name, buf, size);
}

bool cgroupfs_show_path(struct inode *ino, char *buf, size_t size)
{
    struct cgroup *cg = cgroupfs_group(ino);
    if (!cg)
        return false;
    cgroup_path(cg, proc_charged ? cgroup_ns_root(proc_charged) : &cgroup_root, buf, size);
    return true;
}


/* dir/name's text written afresh (a file of a group's directory). */
static void refresh_file(struct inode *dir, const char *name)
{
    struct cgroup *cg = dir->fs_private;
    struct inode *f = fs_dir_find(dir, name, strlen(name));
    if (!cg || !f || (f->mode & S_IFMT) != S_IFREG)
        return;
    int n = show(cg, name, text, sizeof text);
    n = n < 0 ? 0 : n >= (int)sizeof text ? (int)sizeof text - 1 : n;
    if (tmpfs_iops.truncate(f, 0) == 0 && n)
        tmpfs_iops.write(f, 0, text, (size_t)n);
}

static void cg_lookup(struct fs *fs, struct inode *dir, const char *name, size_t n)
{
    (void)fs;
    char nm[256];
    snprintf(nm, sizeof nm, "%.*s", (int)(n < 255 ? n : 255), name);
    refresh_file(dir, nm);
}

static void cg_refresh(struct fs *fs, struct inode *dir)
{
    (void)fs;
    for (struct dirent_node *d = dir->children; d; d = d->next)
        if ((d->inode->mode & S_IFMT) == S_IFREG)
            refresh_file(dir, d->name);
}

/* A read from the start writes the text afresh (a file kept open and
 * read again, as a poller of cgroup.events does). */
static size_t cg_read(const struct inode *ino, uint64_t off, void *buf, size_t n)
{
    struct inode *dir;
    const char *name = off == 0 ? file_name(ino, &dir) : NULL;
    if (name)
        refresh_file(dir, name);
    return tmpfs_iops.read(ino, off, buf, n);
}

/* kernfs's getattr: a file's size is 0, whatever it holds. */
static void cg_getattr(const struct inode *ino, struct linux_stat *st)
{
    if ((ino->mode & S_IFMT) == S_IFREG)
        st->size = 0;
    st->blocks = 0;
}

static int cg_truncate(struct inode *ino, uint64_t size)
{
    (void)ino, (void)size;
    return 0;
}

/* A process's write to a file: taken whole (a page at most), stripped of
 * the blanks around it as Linux's strstrip. */
static int cg_write(struct inode *ino, uint64_t off, const void *data, size_t n)
{
    (void)off;
    static char buf[4097];
    struct inode *dir;
    const char *name = file_name(ino, &dir);
    struct cgroup *cg = dir ? dir->fs_private : NULL;
    if (!name || !cg)
        return -LINUX_ENODEV;
    if (n > 4096)
        return -LINUX_E2BIG;
    memcpy(buf, data, n);
    buf[n] = '\0';
    char *s = buf, *e = buf + n;
    while (*s == ' ' || *s == '\n' || *s == '\t')
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\t'))
        *--e = '\0';
    struct cgroup *nsroot = proc_charged ? cgroup_ns_root(proc_charged) : &cgroup_root;
    if ((cgroup_root_flags & CGRP_NS_DELEGATE) && nsroot != &cgroup_root && nsroot == cg && strcmp(name, "cgroup.procs") &&
        strcmp(name, "cgroup.threads") && strcmp(name, "cgroup.subtree_control"))
        return -LINUX_EPERM; /* a namespace's root's own files are its parent's to write (CFTYPE_NS_DELEGATABLE) */
    int r = cgroup_core_write(cg, name, s);
    return r < 0 ? r : (int)n;
}

/* The hash of an events file's text now (1 for any other file): kernfs
 * counts its notifications, cgroup_file_notify's, where this compares
 * what a poll sees with what the last read or the open saw. */
static uint64_t events_hash(const struct file *f)
{
    struct inode *dir;
    const char *name = file_name(f->inode, &dir);
    struct cgroup *cg = dir ? dir->fs_private : NULL;
    size_t k = name ? strlen(name) : 0;
    if (!cg || k < 7 || strcmp(name + k - 7, ".events"))
        return 1;
    int n = show(cg, name, text, sizeof text);
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    for (int i = 0; i < n; i++)
        h = (h ^ (uint8_t)text[i]) * 1099511628211ull;
    return h | 2; /* never 0, an unread file's, nor 1, another file's */
}

/* kernfs_generic_poll: readable and writable, and POLLERR | POLLPRI
 * until the first read (kernfs's open node starts at event 1, a file at
 * 0), then once the events changed since the last read. */
static int cg_poll(struct file *f)
{
    int mask = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
    return events_hash(f) != f->cgroup_seen ? mask | POLLERR | POLLPRI : mask;
}

static int cg_open(struct sys_ctx *c, struct file *f, int flags)
{
    (void)c, (void)flags;
    f->cgroup_seen = 0; /* unread */
    return 0;
}

/* A read of a file Linux's cgroup_seqfile_show refuses: cgroup.kill has
 * nothing to show (EINVAL), a threaded group's cgroup.procs is its
 * domain's (EOPNOTSUPP, as cgroup_procs_start). */
static int64_t cg_kread(struct file *f, char *buf, uint64_t n, uint64_t *pos)
{
    struct inode *dir;
    const char *name = file_name(f->inode, &dir);
    struct cgroup *cg = dir ? dir->fs_private : NULL;
    if (name && !strcmp(name, "cgroup.kill"))
        return -LINUX_EINVAL;
    if (name && cg && !strcmp(name, "cgroup.procs") && cgroup_is_threaded(cg))
        return -LINUX_EOPNOTSUPP;
    if (*pos == 0)
        f->cgroup_seen = events_hash(f);
    return inode_fops.kread(f, buf, n, pos);
}

const struct file_ops *cgroupfs_fops(void)
{
    static struct file_ops ops;
    if (!ops.kread)
        ops = inode_fops, ops.kread = cg_kread, ops.poll = cg_poll, ops.open = cg_open;
    return &ops;
}

static const struct fs_ops cg_ops = {.lookup = cg_lookup, .refresh = cg_refresh, .getattr = cg_getattr};
static struct fs cgfs = {.type = "cgroup2", .magic = CGROUP2_SUPER_MAGIC, .ops = &cg_ops, .iops = &cg_iops,
                         .kernfs = true};

/* One file of cg's directory made (owned as the directory is). */
static void add_file(struct cgroup *cg, const char *name, uint32_t mode)
{
    struct inode *f = fs_dir_find(cg->dir, name, strlen(name));
    if (!f && fs_create(cg->dir, name, S_IFREG | mode, &f) < 0)
        return;
    f->mode = S_IFREG | mode, f->uid = cg->dir->uid, f->gid = cg->dir->gid;
}

void cgroupfs_files(struct cgroup *cg)
{
    const struct cred *saved = fs_cred;
    fs_cred = &fs_server_cred;
    for (size_t i = 0; i < sizeof core / sizeof *core; i++)
        if (cg->parent || core[i].on_root)
            add_file(cg, core[i].name, core[i].mode);
    /* the controllers' files: those of controllers gone removed, new ones made */
    for (struct dirent_node *d = cg->dir->children, *next; d; d = next) {
        next = d->next;
        if ((d->inode->mode & S_IFMT) == S_IFREG && strncmp(d->name, "cgroup.", 7) && strcmp(d->name, "cpu.stat") &&
            !cgroupctl_has(cg, d->name)) {
            char nm[256];
            snprintf(nm, sizeof nm, "%s", d->name);
            fs_unlink(cg->dir, nm, false);
        }
    }
    cgroupctl_files(cg, add_file);
    fs_cred = saved;
}

static struct fs *cgfs_get(const struct inode *point)
{
    if (cgfs.root)
        return &cgfs;
    cg_iops = tmpfs_iops;
    cg_iops.read = cg_read, cg_iops.write = cg_write, cg_iops.truncate = cg_truncate;
    cgfs.dev = mount_new_dev();
    const struct cred *saved = fs_cred;
    fs_cred = &fs_server_cred;
    struct inode *root = fs_new_empty_root(&cgfs, point, 0755, 0, 0);
    fs_cred = saved;
    if (!root)
        return NULL;
    root->mode = S_IFDIR | 0755, root->uid = root->gid = 0;
    root->fs_private = &cgroup_root;
    cgroup_root.dir = root;
    cgroupctl_init(&cgroup_root);
    cgroupfs_files(&cgroup_root);
    return &cgfs;
}

/* The options' text, as cgroup2's show_options. */
static void show_options(void)
{
    snprintf(cgfs.opts, sizeof cgfs.opts, "%s%s%s%s", cgroup_root_flags & CGRP_NS_DELEGATE ? ",nsdelegate" : "",
             cgroup_root_flags & CGRP_FAVOR_DYNMODS ? ",favordynmods" : "",
             cgroup_root_flags & CGRP_MEMORY_LOCAL_EVENTS ? ",memory_localevents" : "",
             cgroup_root_flags & CGRP_MEMORY_RECURSIVE_PROT ? ",memory_recursiveprot" : "");
}

int cgroupfs_options(struct proc *p, char *data)
{
    static const char *const names[] = {"nsdelegate", "favordynmods", "memory_localevents", "memory_recursiveprot"};
    uint32_t flags = 0;
    for (char *tok = strtok(data, ","); tok; tok = strtok(NULL, ",")) {
        size_t i = 0;
        while (i < 4 && strcmp(tok, names[i]))
            i++;
        if (i < 4)
            flags |= 1u << i;
        else if (strcmp(tok, "ro") && strcmp(tok, "rw") && !fs_sb_flag(tok) && strncmp(tok, "source=", 7))
            return -LINUX_EINVAL; /* "Unknown parameter" */
    }
    if (cgroup_ns_root(p) == &cgroup_root) /* Linux's apply_cgroup_root_flags: from the initial namespace */
        cgroup_root_flags = flags;
    show_options();
    return 0;
}

int cgroupfs_create(struct proc *p, char *data, struct fs **fs, struct inode **root)
{
    static const struct inode none; /* fsconfig's: no mount point yet */
    if (!(*fs = cgfs_get(&none)))
        return -LINUX_ENOMEM;
    *root = cgroup_ns_root(p)->dir;
    return cgroupfs_options(p, data);
}

int cgroupfs_mount(struct proc *p, struct inode *point, struct mount *under, const char *source, char *data,
                   uint64_t flags)
{
    struct fs *fs = cgfs_get(point);
    if (!fs)
        return -LINUX_ENOMEM;
    if (!mount_fs_capable(p, "cgroup2")) /* mount_capable, before the options touch the root's flags */
        return -LINUX_EPERM;
    int r = cgroupfs_options(p, data);
    if (r < 0)
        return r;
    if ((point->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    struct mount *m = fs_mount_add(point, cgroup_ns_root(p)->dir, fs, source, mount_flags(flags));
    return m ? prop_attach(m, under) : -LINUX_ENOMEM;
}

/* Linux's cgroup_check_hierarchy_limits: every ancestor's. */
static bool limits_allow(const struct cgroup *parent)
{
    int level = 1;
    for (const struct cgroup *a = parent; a; a = a->parent, level++)
        if (a->nr_descendants >= a->max_descendants || level > a->max_depth)
            return false;
    return true;
}

int cgroupfs_mkdir(struct inode *dir, const char *name, uint32_t mode)
{
    struct cgroup *parent = cgroupfs_group(dir);
    if (strchr(name, '\n'))
        return -LINUX_EINVAL;
    if (!parent || parent->dead)
        return -LINUX_ENODEV;
    if (!limits_allow(parent))
        return -LINUX_EAGAIN;
    struct cgroup *cg = calloc(1, sizeof *cg);
    if (!cg)
        return -LINUX_ENOMEM;
    struct inode *d;
    int r = fs_create(dir, name, S_IFDIR | (mode & 07777), &d);
    if (r < 0) {
        free(cg);
        return r;
    }
    snprintf(cg->name, sizeof cg->name, "%s", name);
    cg->parent = parent, cg->dom = cg, cg->dir = d, cg->level = parent->level + 1, cg->refs = 1;
    cg->max_depth = cg->max_descendants = CG_MAX;
    cg->sibling = parent->children, parent->children = cg;
    cgroup_get(parent);
    for (struct cgroup *a = parent; a; a = a->parent)
        a->nr_descendants++;
    d->fs_private = cg;
    cgroupctl_init(cg);
    cgroupfs_files(cg);
    return 0;
}

int cgroupfs_rmdir(struct inode *dir, const char *name)
{
    struct inode *d = fs_dir_find(dir, name, strlen(name));
    struct cgroup *cg = d ? cgroupfs_group(d) : NULL;
    if (!cg || cg->dead)
        return -LINUX_ENODEV;
    if (cgroup_populated(cg) || cg->children)
        return -LINUX_EBUSY;
    const struct cred *saved = fs_cred;
    fs_cred = &fs_server_cred;
    while (d->children) {
        char nm[256];
        snprintf(nm, sizeof nm, "%s", d->children->name);
        fs_unlink(d, nm, false);
    }
    fs_cred = saved;
    int r = fs_unlink(dir, name, true);
    if (r < 0)
        return r;
    cg->dead = true, cg->dir = NULL;
    d->fs_private = NULL; /* an open descriptor of it names no group */
    struct cgroup **pc = &cg->parent->children;
    while (*pc != cg)
        pc = &(*pc)->sibling;
    *pc = cg->sibling;
    if (cgroup_is_threaded(cg))
        cg->parent->nr_threaded_children--;
    for (struct cgroup *a = cg->parent; a; a = a->parent)
        a->nr_descendants--, a->nr_dying++;
    cgroup_put(cg); /* the tree's: it goes with its last thread and namespace */
    return 0;
}
