/*
 * personalities/linux/mount.c - mount(2) and umount2(2) on the mount
 * table (mnttab.c): new tmpfs instances (tmpfsopts.c), another view of /proc or /sys, bind mounts,
 * remounts (MS_RDONLY: writes become EROFS; with MS_BIND the mount's own
 * flags, which fs_walk_mount's walks enforce), propagation changes
 * (MS_SHARED, MS_SLAVE, MS_PRIVATE, MS_UNBINDABLE: propagate.c, which
 * also copies a new mount to the peers and slaves of the one it goes
 * under, and takes the copies at umount), moves (MS_MOVE:
 * fsmount.c's mount_move, which move_mount takes too), and unmounts
 * refused while a process works or has a file open there (EBUSY) unless
 * detached; and /proc/mounts and /proc/self/mountinfo's text.
 *
 * Entry points: the calls' handlers (syscalls.def); mount_table_text
 * (procfs); mount_reap_lazy (proc_collect); mount.h's helpers for the new mount API (fsmount.c).  Layer: calls, over the file system and the process table
 * (whose working directories and open files make a mount busy).  Book:
 * docs/linux.md, "Mounts".
 */
#include "file.h"
#include "fsnotify.h"
#include "proc.h"
#include "mm.h"
#include "procfs.h"
#include "mount.h"
#include "cgroup.h"
#include "ext2.h"
#include "propagate.h"
#include "sysctl.h"
#include "sysfs.h"
#include "time.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux_entries/mount.h" /* generated: the handlers' prototypes, entries */

/* The mount flags a call's MS_* give: relatime unless said otherwise. */
uint32_t mount_flags(uint64_t flags)
{
    uint32_t f = (uint32_t)(flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME |
                                     MS_NOSYMFOLLOW));
    return f | (flags & (MS_NOATIME | MS_STRICTATIME) ? 0 : MS_RELATIME);
}

/* A new tmpfs on point, under the mount under (the target's walk's); or
 * an ext2 from the block device dev (ext2.c). */
static int new_tmpfs(struct inode *point, struct mount *under, const char *source, char *data, uint64_t flags,
                     const struct inode *dev, struct ns *userns)
{
    struct fs *fs;
    int r = dev ? ext2_new(dev, source, data, flags, point, &fs) : mount_tmpfs_new(data, flags, point, &fs);
    if (r < 0)
        return r;
    if (r == 0) /* the superblock's flags (Linux's path_mount's sb_flags); a second mount keeps the first's */
        fs->sb_flags |= (uint32_t)(flags & (MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK | MS_LAZYTIME));
    if (r == 0 && !dev)
        mount_userns_hold(fs, userns); /* its s_user_ns: the mounter's */
    struct mount *m = fs_mount_add(point, fs->root, fs, source, mount_flags(flags));
    if (r > 0) /* an ext2 mounted already: another mount of it */
        return m ? prop_attach(m, under) : -LINUX_ENOMEM;
    if (!m) { /* an empty directory with no name: nothing else points at it (an ext2's tree stays, unreachable) */
        dev ? ext2_release(fs) : fs_forget(fs);
        return -LINUX_ENOMEM;
    }
    fs->point = point;
    return prop_attach(m, under);
}

/* Another mount of a procfs instance (the mounter's pid namespace's and
 * options', procfs_for) or of the one sysfs, which takes no option
 * ("Unknown parameter"). */
static int new_view(struct fs *fs, struct inode *point, struct mount *under, const char *source, const char *data,
                    uint32_t mf)
{
    if (!fs)
        return -LINUX_ENODEV;
    if (*data)
        return -LINUX_EINVAL;
    if ((point->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    struct mount *m = fs_mount_add(point, fs->root, fs, source, mf);
    return m ? prop_attach(m, under) : -LINUX_ENOMEM;
}

/* A path argument, resolved (following the last symlink if follow). */
static int path_inode(struct sys_ctx *c, uint64_t upath, bool follow, struct inode **ino)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir;
    int r = path_arg(c, AT_FDCWD, upath, path, &dir);
    return r < 0 ? r : fs_lookup(dir, path, follow, ino);
}

/* mount.h: two mounts may show one root (a bind mount's), so the entry
 * the walk ends on tells which. */
struct mount *mount_target(struct sys_ctx *c, int64_t dfd, uint64_t upath, struct inode *ino)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir, *parent, *raw;
    const char *name;
    const struct mount *w = fs_walk_mount.fs == ino->fs ? fs_walk_mount.mount : NULL;
    if (w && w->root == ino) /* the walk went into it (of copies at one point, the one it saw) */
        return w->ns == fs_mnt_ns ? (struct mount *)w : NULL; /* another namespace's (through a descriptor): none */
    if (upath && path_arg(c, dfd, upath, path, &dir) == 0 && fs_lookup_parent(dir, path, &parent, &name) == 0 &&
        strcmp(name, ".") && strcmp(name, "..") && (raw = fs_dir_find(parent, name, strlen(name))) &&
        fs_mounted(raw) == ino) {
        struct mount *m = fs_mount_on(raw);
        if (m || raw == ino)
            return m;
    }
    return fs_mount_at(ino);
}

static int bind(struct sys_ctx *c, struct inode *point, struct mount *under, uint64_t usource, uint64_t flags)
{
    struct inode *src;
    int r = usource ? path_inode(c, usource, true, &src) : -LINUX_EINVAL;
    if (r < 0)
        return r;
    if (((src->mode & S_IFMT) == S_IFDIR) != ((point->mode & S_IFMT) == S_IFDIR))
        return -LINUX_ENOTDIR;
    struct mount *from = mount_walked(src);
    if (from && from->unbindable)
        return -LINUX_EINVAL;
    if (from && !(flags & MS_REC) && mount_has_locked_under(from, src))
        return -LINUX_EINVAL; /* it would show what a locked mount hides (has_locked_children) */
    struct mount *m = prop_bind(under, point, src, from, flags & MS_REC);
    if (m)
        m->flags &= ~MOUNT_LOCKED; /* its flags' locks stay, as Linux's __do_loopback */
    return m ? 0 : -LINUX_ENOMEM;
}

/* Whether fs cannot become read-only, as Linux's sb_prepare_remount_readonly:
 * a file open for writing on it, or one removed while still open (whose
 * deletion is pending: its s_remove_count). */
static bool ro_busy(struct fs *fs)
{
    if (fs_has_writers(fs))
        return true;
    for (struct proc *p = proc_list(); p; p = p->next)
        for (int fd = 0; !p->zombie && fd < p->fds->size; fd++) {
            const struct file *f = p->fds->fd[fd];
            if (f && f->inode && f->inode->fs == fs && (f->inode->writers || !f->inode->nlink))
                return true;
        }
    return false;
}

int mount_fs_reconfigure(struct fs *fs, char *data, bool set_ro, bool ro)
{
    int r;
    struct ext2_opts opts;
    if (set_ro && ro && !fs->rdonly && ro_busy(fs))
        return -LINUX_EBUSY;
    if (fs->ops == &tmpfs_ops && fs != &rootfs) {
        if ((r = mount_tmpfs_options(data, fs, NULL, NULL, NULL, true)) < 0)
            return r;
    } else if (ext2_is(fs)) {
        if ((r = ext2_options_parse(data, &opts)) < 0)
            return r;
    } else if (cgroupfs_is(fs->root)) {
        if ((r = cgroupfs_options(proc_charged, data)) < 0)
            return r;
    } else if (*data && strcmp(data, "ro") && strcmp(data, "rw")) {
        return -LINUX_EINVAL;
    }
    if (set_ro && !ro && fs->rdonly && ext2_is(fs) && !ext2_writable(fs))
        return -LINUX_EINVAL; /* an RO_COMPAT feature ext2 does not know */
    if (set_ro && ro && !fs->rdonly && fs->ops && fs->ops->sync && (r = fs->ops->sync(fs)) < 0)
        return r; /* ext2's image written back first */
    if (set_ro)
        fs->rdonly = ro;
    if (ext2_is(fs)) /* the options given, over the ones before */
        ext2_options_apply((struct ext2 *)fs, &opts);
    return 0;
}

static int remount(const struct cred *c, struct mount *m, uint64_t flags, char *data)
{
    if (!m)
        return -LINUX_EINVAL;
    uint32_t mf = mount_flags(flags);
    if (mount_locked_refuses(m, mf))
        return -LINUX_EPERM; /* can_change_locked_flags */
    mf |= m->flags & MOUNT_LOCKS;
    if (!(flags & MS_BIND) && !cred_ns_capable(c, m->fs->userns, CAP_SYS_ADMIN))
        return -LINUX_EPERM; /* the file system's: its user namespace's (s_user_ns) */
    if (flags & MS_BIND) { /* the mount's own flags, not its file system's (Linux's do_reconfigure_mnt) */
        if ((mf & MS_RDONLY) && !(m->flags & MS_RDONLY) && mount_has_writers(m))
            return -LINUX_EBUSY;
        m->flags = mf;
        fs_mount_touch();
        return 0;
    }
    int r = mount_fs_reconfigure(m->fs, data, true, flags & MS_RDONLY);
    if (r == 0) { /* and the superblock's flags MS_RMT_MASK covers (not MS_DIRSYNC) */
        uint32_t rmt = MS_SYNCHRONOUS | MS_MANDLOCK | MS_LAZYTIME;
        m->fs->sb_flags = (m->fs->sb_flags & ~rmt) | ((uint32_t)flags & rmt);
        m->flags = mf, fs_mount_touch();
    }
    return r;
}

/* MS_MOVE: the mount whose root usource names goes to point. */
static int move_old(struct sys_ctx *c, struct inode *point, struct mount *under, uint64_t usource)
{
    struct inode *src;
    if (!usource)
        return -LINUX_EINVAL;
    int r = path_inode(c, usource, true, &src);
    if (r < 0)
        return r;
    struct mount *m = mount_target(c, AT_FDCWD, usource, src);
    return m && !(m->flags & MOUNT_LOCKED) ? mount_move(m, point, under) : -LINUX_EINVAL;
}

static int64_t sys_mount(struct sys_ctx *c, uint64_t usource, uint64_t utarget, uint64_t utype, uint64_t flags,
                         uint64_t udata)
{
    static char type[PATH_MAX_LEN], source[PATH_MAX_LEN], data[4096];
    int r;
    type[0] = source[0] = data[0] = '\0';
    if ((utype && (r = mem_str(c->p, utype, type, sizeof type)) < 0) ||
        (usource && (r = mem_str(c->p, usource, source, sizeof source)) < 0))
        return r;
    if (udata && (r = mem_str(c->p, udata, data, sizeof data)) < 0 && r != -LINUX_ENAMETOOLONG)
        return r;
    data[sizeof data - 1] = '\0'; /* Linux reads a page of it */
    struct inode *point;
    if ((r = path_inode(c, utarget, true, &point)) < 0)
        return r;
    struct mount *under = mount_walked(point); /* what a new mount goes under: the walk's */
    if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
        flags &= ~(uint64_t)MS_MGC_MSK;
    if (flags & (1ull << 31)) /* MS_NOUSER */
        return -LINUX_EINVAL;
    if (!mount_may(c->p))
        return -LINUX_EPERM;
    if (flags & MS_REMOUNT)
        return remount(&c->p->cred, mount_target(c, AT_FDCWD, utarget, point), flags, data);
    bool adds = !(flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE | MS_MOVE)) || (flags & MS_BIND);
    if (adds && fs_mount_count() >= sysctl_mount_max)
        return -LINUX_ENOSPC; /* fs/mount-max, as Linux's count_mounts */
    if (flags & MS_BIND)
        return bind(c, point, under, usource, flags);
    if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)) { /* Linux's do_change_type */
        uint64_t prop = flags & ~(uint64_t)(MS_REC | MS_SILENT); /* a per-mount flag with it too: EINVAL */
        struct mount *m = mount_target(c, AT_FDCWD, utarget, point);
        if (!m || (prop & (prop - 1)))
            return -LINUX_EINVAL; /* no mount's root, or not one propagation type alone */
        return mount_propagation(m, prop, flags & MS_REC);
    }
    if (flags & MS_MOVE)
        return move_old(c, point, under, usource);
    if (!utype)
        return -LINUX_EINVAL;
    uint32_t mf = mount_flags(flags); /* and the locks a proc or sysfs takes (mount_capable) */
    if (!strcmp(type, "tmpfs"))
        return (r = mount_capable(c->p, type, &mf)) < 0
                   ? r : new_tmpfs(point, under, usource ? source : NULL, data, flags, NULL, c->p->cred.userns);
    struct inode *dev; /* ext2: a block device's (Linux's get_tree_bdev: no source is EINVAL) */
    if (!strcmp(type, "ext2"))
        return !usource ? -LINUX_EINVAL : (r = path_inode(c, usource, true, &dev)) < 0 ? r
               : (r = mount_capable(c->p, type, &mf)) < 0 ? r : new_tmpfs(point, under, source, data, flags, dev, NULL);
    if (!strcmp(type, "cgroup2")) /* the one hierarchy (cgroupfs.c) */
        return cgroupfs_mount(c->p, point, under, usource ? source : NULL, data, flags);
    if (!strcmp(type, "proc") || !strcmp(type, "sysfs")) {
        struct procfs_opts o; /* proc's options, parsed first (EINVAL), as its fs_context's */
        if ((type[0] == 'p' && (r = procfs_parse(data, &o)) < 0) || (r = mount_capable(c->p, type, &mf)) < 0)
            return r;
        return new_view(type[0] == 'p' ? procfs_for(ns_of(c->p, NS_PID), &o) : sysfs_fs(), point, under,
                        usource ? source : NULL, type[0] == 'p' ? "" : data, mf);
    }
    return -LINUX_ENODEV;
}

struct mount *mount_walked(struct inode *ino)
{
    return fs_walk_mount.fs == ino->fs && fs_walk_mount.mount ? (struct mount *)fs_walk_mount.mount : fs_mount_of(ino);
}

bool mount_has_writers(const struct mount *m)
{
    for (struct proc *p = proc_list(); p; p = p->next)
        for (int fd = 0; !p->zombie && fd < p->fds->size; fd++) {
            struct file *f = p->fds->fd[fd];
            if (f && f->inode && f->mnt_id == m->id && (f->flags & O_ACCMODE) != O_RDONLY)
                return true;
        }
    return false;
}

/* Whether a process works, has its root, has a file open or mapped in m,
 * or a mount is on it (but except).  Another mount namespace's process
 * uses its own copy of m (not m), but for a file it opened through m. */
static bool in_use(const struct mount *m, const struct mount *except)
{
    for (struct mount *s = fs_mounts(); s; s = s->next)
        if (s->parent == m->id && s != except)
            return true; /* a mount on it */
    for (struct proc *p = proc_list(); p; p = p->next) {
        if (p->zombie)
            continue;
        bool here = p->ns[NS_MNT] == m->ns;
        if ((here || p->cwd_mnt == m->id) &&
            (fs_mount_holds(m, p->cwd) || (p->cred.root && fs_mount_holds(m, p->cred.root))))
            return true;
        for (int fd = 0; fd < p->fds->size; fd++) {
            struct file *f = p->fds->fd[fd];
            if (f && f->inode && (here || f->mnt_id == m->id) && fs_mount_holds(m, f->inode))
                return true;
        }
        for (const struct vma *v = p->mm && here ? p->mm->vmas : NULL; v; v = v->next)
            if (v->file && fs_mount_holds(m, v->file))
                return true;
    }
    return false;
}

/* The tmpfs and ext2 file systems MNT_DETACH took out of sight while in
 * use, whose files live on while a process works in them or holds them:
 * each is taken apart once nothing does (mount_reap_lazy, looking at most
 * every LAZY_CHECK_NS), as Linux frees a superblock with its last
 * reference.  Beyond LAZY_MAX at once, one stays for good. */
enum { LAZY_MAX = 16 };
#define LAZY_CHECK_NS 20000000ull
static struct fs *lazy[LAZY_MAX];
static int nlazy;
bool mount_lazy_pending;

/* Removes dir's whole tree (an unmounted tmpfs that nothing uses). */
static void clear_tree(struct inode *dir, int depth)
{
    while (dir->children && depth < 256) {
        struct inode *i = dir->children->inode;
        char name[256];
        snprintf(name, sizeof name, "%s", dir->children->name);
        bool isdir = (i->mode & S_IFMT) == S_IFDIR;
        if (isdir)
            clear_tree(fs_mounted(i), depth + 1);
        if (fs_unlink(dir, name, isdir) < 0)
            return;
    }
}

/* m and the mounts on it are about to go: the marks on them go, and on
 * a file system no other mount shows, with IN_UNMOUNT (Linux sends it
 * when the superblock goes: for a lazy unmount still in use, later). */
static void notify_unmount(const struct mount *m)
{
    for (struct mount *s = fs_mounts(); s; s = s->next)
        if (s->parent == m->id)
            notify_unmount(s);
    bool last = true;
    for (struct mount *o = fs_mounts(); o; o = o->next)
        last &= o == m || o->fs != m->fs;
    fsnotify_unmount(last ? m->fs : NULL, m->id);
}

/* Takes m and the mounts on it out of the table. */
static void detach(struct mount *m)
{
    for (struct mount *s = fs_mounts(); s;) /* from the start again after each: a child's detach frees its own */
        if (s->parent == m->id && s != m) {
            detach(s);
            s = fs_mounts();
        } else {
            s = s->next;
        }
    bool copy_stays = false; /* a propagated copy of it, at the same point, is the file system's own now */
    for (struct mount *o = fs_mounts(); o; o = o->next)
        copy_stays |= o != m && o->root == m->root && o->point == m->point;
    if (m->root == m->fs->root && m->fs->point == m->point && !copy_stays) { /* the file system's own mount */
        m->fs->point = NULL;
        m->root->parent = NULL; /* its ".." stays in it, and getcwd there fails, as once detached on Linux */
    }
    fs_umount(m);
}

static int64_t sys_umount2(struct sys_ctx *c, uint64_t utarget, int flags)
{
    if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
        return -LINUX_EINVAL;
    struct inode *ino;
    fs_walk_keeps_expiry = true;
    int r = path_inode(c, utarget, !(flags & UMOUNT_NOFOLLOW), &ino);
    fs_walk_keeps_expiry = false;
    if (r < 0)
        return r;
    if (!mount_may(c->p))
        return -LINUX_EPERM;
    fs_walk_keeps_expiry = true;
    struct mount *m = mount_target(c, AT_FDCWD, utarget, ino);
    fs_walk_keeps_expiry = false;
    if (!m || (m->flags & MOUNT_LOCKED))
        return -LINUX_EINVAL; /* no mount's root, or locked (can_umount) */
    if ((flags & MNT_FORCE) && !cred_capable(&c->p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    if (!m->point) /* the root: Linux would remount it read-only */
        return (flags & (MNT_EXPIRE | MNT_DETACH)) ? -LINUX_EINVAL : -LINUX_EBUSY;
    if (flags & MNT_EXPIRE) { /* the first call marks it, a second with no use between unmounts it */
        if (flags & (MNT_FORCE | MNT_DETACH))
            return -LINUX_EINVAL;
        if (in_use(m, NULL))
            return -LINUX_EBUSY;
        if (!m->expiry_mark) {
            m->expiry_mark = true;
            return -LINUX_EAGAIN;
        }
    }
    struct mount *copies[64]; /* what propagates from m's parent: its peers' and slaves' copies of m */
    int n = prop_umount_set(m, copies, 64);
    bool last = true, own_tmpfs = m->fs->ops == &tmpfs_ops && m->root == m->fs->root && m->fs->point == m->point;
    for (struct mount *o = fs_mounts(); o; o = o->next) {
        bool going = o == m;
        for (int i = 0; i < n; i++)
            going |= o == copies[i];
        own_tmpfs &= going || o->fs != m->fs; /* a bind mount still shows its files */
        last &= going || o->fs != m->fs;
    }
    if (!(flags & MNT_DETACH)) {
        bool busy = in_use(m, NULL);
        for (int i = 0; i < n; i++)
            busy |= in_use(copies[i], prop_topper(copies[i])); /* Linux's propagate_mount_busy */
        if (busy)
            return -LINUX_EBUSY;
        acct_umount(m->fs); /* accounting to a file there stops, as Linux's acct_pin_kill */
    }
    for (int i = 0; i < n; i++) {
        prop_untuck(copies[i]);
        notify_unmount(copies[i]);
        detach(copies[i]);
    }
    notify_unmount(m);
    if (last && ext2_is(m->fs)) { /* written back, its device free (detached: its files stay, unwritten) */
        m->fs->ops->sync(m->fs);
        ext2_release(m->fs);
        own_tmpfs = m->root == m->fs->root;
    }
    struct fs *fs = m->fs;
    bool lazily = own_tmpfs && (flags & MNT_DETACH);
    own_tmpfs &= !(flags & MNT_DETACH);
    if (own_tmpfs)
        clear_tree(m->root, 0); /* nothing can reach its files again */
    detach(m);
    for (int i = 0; own_tmpfs && i < nlazy; i++)
        if (lazy[i] == fs) /* shown again since it was unmounted lazily: going now */
            lazy[i] = lazy[--nlazy];
    bool listed = false; /* unmounted lazily once already, shown again since */
    for (int i = 0; i < nlazy; i++)
        listed |= lazy[i] == fs;
    if (own_tmpfs)
        fs_forget(fs); /* and its root and the struct go too */
    else if (lazily && !listed && nlazy < LAZY_MAX)
        lazy[nlazy++] = fs, mount_lazy_pending = true;
    return 0;
}

/* ---- file systems unmounted lazily ---- */

/* Whether a process works or has its root in fs, has a file of it open
 * or mapped, or a mount shows it again (open_tree's clone, moved). */
static bool fs_busy(const struct fs *fs)
{
    for (struct mount *m = fs_mounts(); m; m = m->next)
        if (m->fs == fs)
            return true;
    for (struct proc *p = proc_list(); p; p = p->next) {
        if (p->zombie)
            continue;
        if (p->cwd->fs == fs || (p->cred.root && p->cred.root->fs == fs))
            return true;
        for (int fd = 0; fd < p->fds->size; fd++) {
            struct file *f = p->fds->fd[fd];
            if (f && f->inode && f->inode->fs == fs)
                return true;
        }
        for (const struct vma *v = p->mm ? p->mm->vmas : NULL; v; v = v->next)
            if (v->file && v->file->fs == fs)
                return true;
    }
    return false;
}

void mount_reap_lazy(void)
{
    static uint64_t next;
    uint64_t now = clock_now();
    if (now < next)
        return;
    next = now + LAZY_CHECK_NS;
    for (int i = 0; i < nlazy;)
        if (fs_busy(lazy[i])) {
            i++;
        } else {
            struct fs *fs = lazy[i];
            lazy[i] = lazy[--nlazy];
            clear_tree(fs->root, 0);
            fs_forget(fs);
        }
    mount_lazy_pending = nlazy > 0;
}

void mount_drop(struct mount *m)
{
    struct fs *fs = m->fs;
    bool own = fs->ops == &tmpfs_ops && m->root == fs->root && fs->point == m->point && m->point, last = true;
    notify_unmount(m);
    detach(m);
    for (struct mount *o = fs_mounts(); o; o = o->next)
        last &= o->fs != fs;
    if (last && ext2_is(fs)) /* written back, its device free */
        fs->ops->sync(fs), ext2_release(fs);
    else if (last && own && !fs_busy(fs)) /* nothing can reach its files again */
        clear_tree(fs->root, 0), fs_forget(fs);
    else if (last && own && nlazy < LAZY_MAX) /* taken apart once nothing uses it */
        lazy[nlazy++] = fs, mount_lazy_pending = true;
}

/* ---- the tables /proc shows ---- */

/* s into buf with Linux's escapes for a table's field (mangle: space, tab,
 * newline and backslash in octal). */
static size_t escaped(char *buf, size_t size, const char *s)
{
    size_t n = 0;
    for (; *s && n + 5 < size; s++)
        n += strchr(" \t\n\\", *s) ? (size_t)snprintf(buf + n, size - n, "\\%03o", (unsigned char)*s)
                                   : (size_t)(buf[n] = *s, 1);
    buf[n] = '\0';
    return n;
}

/* Where ino is, as the caller names paths. */
static void where(struct inode *ino, char *buf, size_t size)
{
    if (fs_name_of(ino, NULL, buf, size) < 0)
        snprintf(buf, size, "/");
}

/* A superblock's flags as Linux's show_sb_opts writes them. */
static const char *sb_text(uint32_t sb)
{
    static char t[40];
    snprintf(t, sizeof t, "%s%s%s%s", sb & MS_SYNCHRONOUS ? ",sync" : "", sb & MS_DIRSYNC ? ",dirsync" : "",
             sb & MS_MANDLOCK ? ",mand" : "", sb & MS_LAZYTIME ? ",lazytime" : "");
    return t;
}

static int flag_text(char *buf, size_t size, uint32_t f, bool ro, uint32_t sb)
{
    return snprintf(buf, size, "%s%s%s%s%s%s%s%s%s", ro ? "ro" : "rw", sb_text(sb), f & MS_NOSUID ? ",nosuid" : "",
                    f & MS_NODEV ? ",nodev" : "", f & MS_NOEXEC ? ",noexec" : "", f & MS_NOATIME ? ",noatime" : "",
                    f & MS_NODIRATIME ? ",nodiratime" : "", f & MS_RELATIME ? ",relatime" : "",
                    f & MS_NOSYMFOLLOW ? ",nosymfollow" : "");
}

/* The oldest mount after the one with id after: the tables list mounts
 * in the order they were made (Linux's, by their unique ids), a moved one
 * where it was, though the table has it last (on top at its new point). */
static struct mount *by_age(int after)
{
    struct mount *next = NULL;
    for (struct mount *m = fs_mounts(); m; m = m->next)
        if (m->id > after && m->ns == fs_mnt_ns && (!next || m->id < next->id))
            next = m;
    return next;
}

size_t mount_table_text(char *buf, size_t size, bool info)
{
    static char point[PATH_MAX_LEN], root[PATH_MAX_LEN], fsroot[PATH_MAX_LEN], esc[3][PATH_MAX_LEN];
    char opts[128], tags[64];
    size_t n = 0;
    for (struct mount *m = by_age(0); m && n + 1 < size; m = by_age(m->id)) {
        prop_point_path(m, point, sizeof point);
        /* the mount's root within its file system: a bind mount's directory */
        where(m->root, root, sizeof root);
        where(m->fs->root, fsroot, sizeof fsroot);
        size_t k = strlen(fsroot);
        const char *rel = m->root == m->fs->root ? "/" : strcmp(fsroot, "/") && !strncmp(root, fsroot, k) ? root + k : root;
        rel = cgroupfs_show_path(m->root, root, sizeof root) ? root : rel; /* from the reader's cgroup namespace */
        escaped(esc[0], sizeof esc[0], point);
        escaped(esc[1], sizeof esc[1], rel);
        escaped(esc[2], sizeof esc[2], m->source);
        int w;
        if (info) {
            flag_text(opts, sizeof opts, m->flags, m->flags & MS_RDONLY, 0);
            prop_fields(m, tags, sizeof tags);
            uint32_t dev = m->fs->dev; /* as st_dev encodes it: an ext2's is its block device's */
            w = snprintf(buf + n, size - n, "%d %d %u:%u %s %s %s%s - %s %s %s%s%s\n", m->id, m->parent,
                         dev >> 8 & 0xfff, (dev & 0xff) | (dev >> 12 & 0xfff00), esc[1], esc[0], opts, tags,
                         m->fs->type, esc[2], m->fs->rdonly ? "ro" : "rw", sb_text(m->fs->sb_flags), m->fs->opts);
        } else {
            flag_text(opts, sizeof opts, m->flags, (m->flags & MS_RDONLY) || m->fs->rdonly, m->fs->sb_flags);
            w = snprintf(buf + n, size - n, "%s %s %s %s%s 0 0\n", esc[2], esc[0], m->fs->type, opts, m->fs->opts);
        }
        n = w < 0 ? n : n + (size_t)w < size ? n + (size_t)w : size - 1;
    }
    return n;
}
