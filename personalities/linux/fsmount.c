/*
 * personalities/linux/fsmount.c - Linux's new mount API over the mount
 * table (mnttab.c): a file system context (fsopen for a new tmpfs, an ext2 or
 * proc, fspick for a mounted one's superblock) is a file
 * (anon_inode:[fscontext]) that fsconfig fills with parameters and then
 * creates or reconfigures, in Linux's phases (EBUSY out of turn);
 * fsmount makes a detached mount of what was created, an O_PATH file
 * that owns it (struct file's detached) until move_mount attaches it;
 * open_tree opens a path as such a file, or with OPEN_TREE_CLONE a
 * detached bind mount of it; move_mount also moves an attached mount
 * (and so does mount(2)'s MS_MOVE); mount_setattr changes a mount's
 * flags.
 *
 * Mount attributes are the mount's own flags, shown (/proc's tables,
 * statfs) and enforced as mount(2)'s (fs_walk_mount): read-only is the
 * mount's, EBUSY while a file is open for writing through it.  The
 * context's messages are not kept (its read is ENODATA).
 *
 * Entry points: the calls' handlers (syscalls.def), mount_move
 * (mount.h).  Layer: calls, over mount.c and the mount table.  Book:
 * docs/linux.md, "Mounts".
 */
#include "file.h"
#include "mount.h"
#include "ext2.h"
#include "propagate.h"
#include "proc.h"
#include "procfs.h"
#include "sysfs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux_entries/fsmount.h" /* generated: the handlers' prototypes, entries */

/* A context's phase (Linux's enum fs_context_phase). */
enum phase { CREATE_PARAMS, AWAITING_MOUNT, AWAITING_RECONF, RECONF_PARAMS, FAILED };

struct fscontext {
    enum phase phase;
    bool proc;             /* fsopen("proc"): a view of the procfs instance of the caller's pid namespace */
    bool sysfs;            /* fsopen("sysfs"): its network namespace's sysfs, which takes no option */
    bool ext2;             /* fsopen("ext2"): from the block device "source" names (ext2.c), no option */
    struct inode *dev;     /* that device, found at CMD_CREATE */
    struct fs *fs;         /* created (CMD_CREATE) or picked (fspick) */
    bool owned;            /* fs was created here and no mount has it yet: it goes with the context */
    bool set_ro, ro;       /* "ro" or "rw" given */
    bool has_source;
    char source[64];
    char data[1024];       /* the tmpfs options given, comma-separated, as mount(2)'s */
};

#define PARAM_MAX 256 /* a key's or string's bytes with the NUL (Linux's strndup_user) */

/* ---- the context's file ---- */

static int64_t fsc_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)c, (void)f, (void)ubuf, (void)len, (void)at;
    return -LINUX_ENODATA; /* no message kept */
}

static void fsc_release(struct file *f)
{
    struct fscontext *fc = f->fsc;
    if (fc->owned) /* an empty tmpfs no one mounted; an ext2's device is free (its tree stays, unreachable) */
        fc->ext2 ? ext2_release(fc->fs) : (free(fc->fs->root), free(fc->fs));
    free(fc);
}

static const struct file_ops fsc_fops = {.read = fsc_read, .stat = anon_inode_stat, .release = fsc_release,
                                         .fs = &anon_inodefs, .stream = true};

static int64_t fsc_new(struct sys_ctx *c, struct fscontext *fc, bool cloexec)
{
    struct file *f = calloc(1, sizeof *f);
    if (!f) {
        free(fc);
        return -LINUX_ENOMEM;
    }
    *f = (struct file){.ops = &fsc_fops, .kind = FILE_FSCONTEXT, .flags = O_RDWR, .refs = 1, .fsc = fc};
    int fd = fd_alloc(c->p, 0, f, cloexec);
    if (fd < 0)
        file_put(f);
    return fd;
}

/* ---- mount files ---- */

/* A detached mount goes (its file system stays while files hold it). */
static void detached_free(struct mount *d)
{
    if (d) {
        fs_group_leave(d);
        fs_slave_of(d, 0, NULL);
    }
    free(d);
}

static void mnt_release(struct file *f) { detached_free(f->detached); }

/* What an O_PATH file has (file.c's), and the detached mount it owns. */
static const struct file_ops mnt_fops = {.release = mnt_release};

static int64_t mnt_file(struct sys_ctx *c, struct inode *ino, struct mount *detached, bool cloexec)
{
    struct file *f = calloc(1, sizeof *f);
    if (!f) {
        detached_free(detached);
        return -LINUX_ENOMEM;
    }
    *f = (struct file){.ops = &mnt_fops, .kind = FILE_INODE, .inode = ino, .flags = O_PATH, .refs = 1,
                       .detached = detached};
    ino->refs++;
    int fd = fd_alloc(c->p, 0, f, cloexec);
    if (fd < 0)
        file_put(f);
    return fd;
}

/* A detached mount of root (of fs). */
static struct mount *detached_new(struct inode *root, struct fs *fs, const char *source, uint32_t flags)
{
    struct mount *m = calloc(1, sizeof *m);
    if (m) {
        *m = (struct mount){.root = root, .fs = fs, .flags = flags};
        snprintf(m->source, sizeof m->source, "%s", source ? source : "none");
    }
    return m;
}

/* The mount a path names: a mount file's own detached one (an empty
 * path on it), or the attached one whose root it is; NULL: EINVAL. */
static struct mount *named_mount(struct sys_ctx *c, int64_t dfd, uint64_t upath, struct inode *ino, bool *detached)
{
    char first = 0;
    *detached = false;
    if (mem_in(c->p, &first, upath, 1) == 0 && !first) {
        struct file *f = dfd == AT_FDCWD ? NULL : fd_file_raw(c->p, (uint64_t)dfd);
        if (f && f->detached)
            return *detached = true, f->detached;
        return fs_mount_at(ino);
    }
    return mount_target(c, dfd, upath, ino);
}

/* Read-only for mount m, checked (its caller sets the flag): EBUSY while
 * a file is open for writing through it (Linux's mnt_make_readonly). */
static int set_rdonly(struct mount *m, bool ro)
{
    return ro && !(m->flags & MS_RDONLY) && mount_has_writers(m) ? -LINUX_EBUSY : 0;
}

/* MOUNT_ATTR_* flags into MS_* (Linux's attr_flags_to_mnt_flags). */
static uint32_t attr_to_ms(uint64_t a)
{
    return (a & MOUNT_ATTR_RDONLY ? MS_RDONLY : 0) | (a & MOUNT_ATTR_NOSUID ? MS_NOSUID : 0) |
           (a & MOUNT_ATTR_NODEV ? MS_NODEV : 0) | (a & MOUNT_ATTR_NOEXEC ? MS_NOEXEC : 0) |
           (a & MOUNT_ATTR_NODIRATIME ? MS_NODIRATIME : 0) | (a & MOUNT_ATTR_NOSYMFOLLOW ? MS_NOSYMFOLLOW : 0);
}

#define ATTR_FLAGS (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR__ATIME | \
                    MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW)

int mount_move(struct mount *m, struct inode *point, struct mount *under)
{
    if (!m->point)
        return -LINUX_EINVAL; /* the root: neither attached under another nor detached */
    if (((point->mode & S_IFMT) == S_IFDIR) != ((m->root->mode & S_IFMT) == S_IFDIR))
        return -LINUX_EINVAL;
    struct mount *old = fs_mount_by_id(m->parent);
    if (old && old->group)
        return -LINUX_EINVAL; /* a mount under a shared one stays (Linux's do_move_mount) */
    struct mount *to = under ? under : fs_mount_of(point);
    if (!to)
        return -LINUX_EINVAL; /* a detached tree's */
    if (to->group && prop_tree_unbindable(m, 0))
        return -LINUX_EINVAL; /* an unbindable mount goes under no shared one */
    int depth = 0;
    for (struct mount *p = to; p && p->point && depth < 256; p = fs_mount_by_id(p->parent), depth++)
        if (p == m) /* not under itself */
            return -LINUX_ELOOP;
    fs_mount_move(m, point);
    return prop_attach(m, to);
}

/* A detached mount d attached at point; d goes (the file no longer owns a mount). */
static int attach(struct file *f, struct inode *point, struct mount *under)
{
    struct mount *d = f->detached, *m;
    if (((point->mode & S_IFMT) == S_IFDIR) != ((d->root->mode & S_IFMT) == S_IFDIR))
        return -LINUX_EINVAL;
    if (!fs_mount_of(point) || (under && under->group && d->unbindable))
        return -LINUX_EINVAL;
    if (!(m = fs_mount_add(point, d->root, d->fs, d->source, d->flags)))
        return -LINUX_ENOMEM;
    fs_group_join(m, d);
    m->unbindable = d->unbindable;
    struct mount *tree = d->tree_of ? fs_mount_by_id(d->tree_of) : NULL;
    if (tree) /* open_tree's AT_RECURSIVE: the mounts under its source, cloned now */
        prop_clone_under(m, tree);
    if (d->root == d->fs->root && !d->fs->point && d->fs->magic != PROC_SUPER_MAGIC) {
        d->fs->point = point; /* a new file system's own mount: its ".." leaves it now */
        d->root->parent = point->parent;
    }
    detached_free(d);
    f->detached = NULL;
    return prop_attach(m, under);
}

/* ---- the calls ---- */

static int64_t sys_fsopen(struct sys_ctx *c, uint64_t uname, int flags)
{
    char name[PATH_MAX_LEN];
    if (!cred_capable(&c->p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    if (flags & ~FSOPEN_CLOEXEC)
        return -LINUX_EINVAL;
    int r = mem_str(c->p, uname, name, sizeof name);
    if (r < 0)
        return r;
    if (strcmp(name, "tmpfs") && strcmp(name, "proc") && strcmp(name, "sysfs") && strcmp(name, "ext2"))
        return -LINUX_ENODEV; /* the types mount(2) makes */
    struct fscontext *fc = calloc(1, sizeof *fc);
    if (!fc)
        return -LINUX_ENOMEM;
    fc->proc = name[0] == 'p', fc->sysfs = name[0] == 's', fc->ext2 = name[0] == 'e';
    fc->fs = fc->proc ? procfs_for(ns_of(c->p, NS_PID), NULL) : NULL; /* Linux's proc_init_fs_context: the caller's */
    return fsc_new(c, fc, flags & FSOPEN_CLOEXEC);
}

static int64_t sys_fspick(struct sys_ctx *c, int dfd, uint64_t upath, int flags)
{
    if (!cred_capable(&c->p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    if (flags & ~(FSPICK_CLOEXEC | FSPICK_SYMLINK_NOFOLLOW | FSPICK_NO_AUTOMOUNT | FSPICK_EMPTY_PATH))
        return -LINUX_EINVAL;
    struct inode *ino;
    int r = path_target(c, dfd, upath, (flags & FSPICK_EMPTY_PATH ? AT_EMPTY_PATH : 0) |
                                           (flags & FSPICK_SYMLINK_NOFOLLOW ? AT_SYMLINK_NOFOLLOW : 0), &ino);
    if (r < 0)
        return r;
    bool detached;
    struct mount *m = named_mount(c, dfd, upath, ino, &detached);
    if (!m)
        return -LINUX_EINVAL; /* not a mount's root */
    struct fscontext *fc = calloc(1, sizeof *fc);
    if (!fc)
        return -LINUX_ENOMEM;
    *fc = (struct fscontext){.phase = RECONF_PARAMS, .proc = m->fs->magic == PROC_SUPER_MAGIC,
                             .sysfs = m->fs->magic == SYSFS_MAGIC, .fs = m->fs};
    return fsc_new(c, fc, flags & FSPICK_CLOEXEC);
}

/* fsconfig's arguments as Linux checks them before the descriptor. */
static int config_args(int cmd, uint64_t ukey, uint64_t uvalue, int aux)
{
    switch (cmd) {
    case FSCONFIG_SET_FLAG:
        return !ukey || uvalue || aux ? -LINUX_EINVAL : 0;
    case FSCONFIG_SET_STRING:
        return !ukey || !uvalue || aux ? -LINUX_EINVAL : 0;
    case FSCONFIG_SET_BINARY:
        return !ukey || !uvalue || aux <= 0 || aux > 1024 * 1024 ? -LINUX_EINVAL : 0;
    case FSCONFIG_SET_PATH:
    case FSCONFIG_SET_PATH_EMPTY:
        return !ukey || !uvalue || (aux != AT_FDCWD && aux < 0) ? -LINUX_EINVAL : 0;
    case FSCONFIG_SET_FD:
        return !ukey || uvalue || aux < 0 ? -LINUX_EINVAL : 0;
    case FSCONFIG_CMD_CREATE:
    case FSCONFIG_CMD_RECONFIGURE:
        return ukey || uvalue || aux ? -LINUX_EINVAL : 0;
    }
    return -LINUX_EOPNOTSUPP;
}

/* A user string of at most PARAM_MAX bytes: EFAULT, or EINVAL if longer. */
static int param_str(struct sys_ctx *c, uint64_t u, char *buf)
{
    int r = mem_str(c->p, u, buf, PARAM_MAX);
    return r == -LINUX_ENAMETOOLONG ? -LINUX_EINVAL : r < 0 ? r : 0;
}

/* A value that is no string (SET_BINARY, SET_PATH*, SET_FD): copied or
 * resolved as Linux does, then only a superblock flag's key takes it. */
static int other_value(struct sys_ctx *c, int cmd, uint64_t uvalue, int aux)
{
    static char path[PATH_MAX_LEN];
    if (cmd == FSCONFIG_SET_FD)
        return fd_file(c->p, (uint64_t)(int64_t)aux) ? 0 : -LINUX_EBADF;
    if (cmd == FSCONFIG_SET_BINARY) {
        char *blob = malloc((size_t)aux);
        int r = !blob ? -LINUX_ENOMEM : mem_in(c->p, blob, uvalue, (size_t)aux) < 0 ? -LINUX_EFAULT : 0;
        free(blob);
        return r;
    }
    int r = mem_str(c->p, uvalue, path, sizeof path);
    return r < 0 ? r : !path[0] && cmd == FSCONFIG_SET_PATH ? -LINUX_ENOENT : 0;
}

/* One parameter: key, and value (NULL: a flag; "" with other: no string). */
static int config_param(struct fscontext *fc, const char *key, const char *value, bool other)
{
    if (!strcmp(key, "ro") || !strcmp(key, "rw")) { /* Linux's vfs_parse_sb_flag: any kind of value */
        fc->set_ro = true, fc->ro = key[1] == 'o';
        return 0;
    }
    if (fs_sb_flag(key))
        return 0; /* kept by no file system here */
    if (other)
        return -LINUX_EINVAL;
    if (!strcmp(key, "source")) {
        if (!value || fc->has_source)
            return -LINUX_EINVAL; /* "Multiple sources" */
        fc->has_source = true;
        snprintf(fc->source, sizeof fc->source, "%.63s", value); /* as long as a mount keeps */
        return 0;
    }
    if (fc->sysfs || fc->ext2) /* "Unknown parameter": sysfs takes none; ext2's as mount(2)'s (ext2opts.c) */
        return fc->ext2 && ext2_option_ok(key, value) ? 0 : -LINUX_EINVAL;
    if (fc->proc) /* gid=, hidepid=, subset=: mount(2) takes them, fsconfig not yet (ENOSYS) */
        return !value || (strcmp(key, "gid") && strcmp(key, "hidepid") && strcmp(key, "subset")) ? -LINUX_EINVAL
                                                                                                 : -LINUX_ENOSYS;
    bool flag = !strcmp(key, "inode32") || !strcmp(key, "inode64");
    if (flag != !value || strchr(key, '=') || strchr(key, ',') || (value && strchr(value, ',')))
        return -LINUX_EINVAL; /* a flag with a value, an option without */
    char opt[2 * PARAM_MAX + 1];
    snprintf(opt, sizeof opt, "%s%s%s", key, value ? "=" : "", value ? value : "");
    size_t n = strlen(fc->data);
    if (n + strlen(opt) + 2 > sizeof fc->data)
        return -LINUX_ENOMEM;
    snprintf(fc->data + n, sizeof fc->data - n, "%s%s", n ? "," : "", opt);
    char check[sizeof opt];
    memcpy(check, opt, sizeof opt);
    int r = mount_tmpfs_check(check);
    if (r < 0)
        fc->data[n] = '\0';
    return r;
}

/* CMD_CREATE: the new file system (proc: the one procfs). */
static int config_create(struct fscontext *fc)
{
    if (fc->proc) { /* the instance of fsopen's caller's pid namespace (procfs_for) */
        if (!fc->fs)
            return -LINUX_ENODEV;
        return fc->ro ? -LINUX_ENOSYS : 0; /* an instance cannot be read-only for one mount */
    }
    if (fc->sysfs) {
        if (!(fc->fs = sysfs_fs()))
            return -LINUX_ENODEV;
        return fc->ro ? -LINUX_ENOSYS : 0; /* as procfs: one instance, not read-only for one mount */
    }
    char data[sizeof fc->data];
    memcpy(data, fc->data, sizeof data);
    uint64_t ro = fc->ro ? MS_RDONLY : 0;
    int r = !fc->ext2 ? mount_tmpfs_new(data, ro, NULL, &fc->fs)
            : fc->dev ? ext2_new(fc->dev, fc->source, "", ro, NULL, &fc->fs) : -LINUX_EINVAL; /* no source */
    fc->owned = r == 0;
    return r > 0 ? 0 : r; /* an ext2 mounted already: that one */
}

/* The command or parameter once its arguments are copied (Linux's vfs_fsconfig_locked). */
static int config_locked(struct fscontext *fc, int cmd, const char *key, const char *value, bool other)
{
    if (fc->phase == AWAITING_RECONF) { /* after a mount or a reconfiguration: parameters afresh */
        fc->phase = RECONF_PARAMS, fc->set_ro = false, fc->data[0] = '\0';
    }
    int r;
    switch (cmd) {
    case FSCONFIG_CMD_CREATE:
        if (fc->phase != CREATE_PARAMS)
            return -LINUX_EBUSY;
        r = config_create(fc);
        fc->phase = r < 0 ? FAILED : AWAITING_MOUNT;
        return r;
    case FSCONFIG_CMD_RECONFIGURE:
        if (fc->phase != RECONF_PARAMS)
            return -LINUX_EBUSY;
        r = (fc->proc || fc->sysfs) && fc->data[0] ? -LINUX_EINVAL : mount_fs_reconfigure(fc->fs, fc->data, fc->set_ro, fc->ro);
        fc->phase = r < 0 ? FAILED : AWAITING_RECONF;
        return r;
    }
    if (fc->phase != CREATE_PARAMS && fc->phase != RECONF_PARAMS)
        return -LINUX_EBUSY;
    return config_param(fc, key, value, other);
}

static int64_t sys_fsconfig(struct sys_ctx *c, int fd, int cmd, uint64_t ukey, uint64_t uvalue, int aux)
{
    char key[PARAM_MAX], value[PARAM_MAX];
    if (fd < 0)
        return -LINUX_EINVAL;
    int r = config_args(cmd, ukey, uvalue, aux);
    if (r < 0)
        return r;
    struct file *f = fd_file(c->p, (uint64_t)(int64_t)fd);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != FILE_FSCONTEXT)
        return -LINUX_EINVAL;
    key[0] = '\0';
    if (ukey && (r = param_str(c, ukey, key)) < 0)
        return r;
    bool other = cmd >= FSCONFIG_SET_BINARY && cmd <= FSCONFIG_SET_FD;
    if (cmd == FSCONFIG_SET_STRING && (r = param_str(c, uvalue, value)) < 0)
        return r;
    if (other && (r = other_value(c, cmd, uvalue, aux)) < 0)
        return r;
    struct fscontext *fc = f->fsc; /* ext2's source: the caller's path, found now */
    if (cmd == FSCONFIG_CMD_CREATE && fc->ext2 && fc->phase == CREATE_PARAMS && fc->has_source &&
        (r = fs_lookup(c->p->cwd, fc->source, true, &fc->dev)) < 0)
        return r;
    return config_locked(f->fsc, cmd, key, cmd == FSCONFIG_SET_STRING ? value : NULL, other);
}

static int64_t sys_fsmount(struct sys_ctx *c, int fsfd, uint32_t flags, uint32_t attr)
{
    if (!cred_capable(&c->p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    if (flags & ~FSMOUNT_CLOEXEC)
        return -LINUX_EINVAL;
    uint32_t atime = attr & MOUNT_ATTR__ATIME;
    if ((attr & ~(uint32_t)ATTR_FLAGS) || (atime != MOUNT_ATTR_RELATIME && atime != MOUNT_ATTR_NOATIME &&
                                           atime != MOUNT_ATTR_STRICTATIME))
        return -LINUX_EINVAL;
    struct file *f = fd_file(c->p, (uint64_t)(int64_t)fsfd);
    if (!f)
        return -LINUX_EBADF;
    struct fscontext *fc = f->kind == FILE_FSCONTEXT ? f->fsc : NULL;
    if (!fc || !fc->fs)
        return -LINUX_EINVAL; /* no superblock yet */
    if (fc->phase != AWAITING_MOUNT)
        return -LINUX_EBUSY;
    uint32_t mf = attr_to_ms(attr) | (atime == MOUNT_ATTR_NOATIME ? MS_NOATIME : atime ? 0 : MS_RELATIME);
    struct mount *d = detached_new(fc->fs->root, fc->fs, fc->has_source ? fc->source : NULL, mf);
    if (!d)
        return -LINUX_ENOMEM;
    fc->owned = false; /* the mount has it now */
    fc->phase = AWAITING_RECONF;
    return mnt_file(c, d->root, d, flags & FSMOUNT_CLOEXEC);
}

static int64_t sys_open_tree(struct sys_ctx *c, int dfd, uint64_t upath, uint32_t flags)
{
    if (flags & ~(uint32_t)(AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_RECURSIVE | AT_SYMLINK_NOFOLLOW | OPEN_TREE_CLONE |
                            O_CLOEXEC))
        return -LINUX_EINVAL;
    if ((flags & (AT_RECURSIVE | OPEN_TREE_CLONE)) == AT_RECURSIVE)
        return -LINUX_EINVAL;
    bool clone = flags & OPEN_TREE_CLONE;
    if (clone && !cred_capable(&c->p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    struct inode *ino;
    int r = path_target(c, dfd, upath, flags & (AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW), &ino);
    if (r < 0)
        return r;
    if (!clone)
        return mnt_file(c, ino, NULL, flags & O_CLOEXEC);
    /* a bind mount of it; with AT_RECURSIVE the mounts under it are cloned when it is attached */
    struct mount *from = mount_walked(ino);
    if (from && from->unbindable)
        return -LINUX_EINVAL;
    struct mount *d = detached_new(ino, ino->fs, from ? from->source : NULL, from ? from->flags : MS_RELATIME);
    if (d && from) {
        fs_group_join(d, from); /* a clone of a shared mount is its peer */
        d->tree_of = flags & AT_RECURSIVE ? from->id : 0;
    }
    return d ? mnt_file(c, ino, d, flags & O_CLOEXEC) : -LINUX_ENOMEM;
}

static int64_t sys_move_mount(struct sys_ctx *c, int from_dfd, uint64_t ufrom, int to_dfd, uint64_t uto,
                              uint32_t flags)
{
    if (!cred_capable(&c->p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    if (flags & ~(uint32_t)MOVE_MOUNT__MASK)
        return -LINUX_EINVAL;
    struct inode *from, *to;
    bool detached, to_detached;
    struct mount *m = NULL, *t = NULL, *under = NULL;
    int r = path_target(c, from_dfd, ufrom, (flags & MOVE_MOUNT_F_EMPTY_PATH ? AT_EMPTY_PATH : 0) |
                                                (flags & MOVE_MOUNT_F_SYMLINKS ? 0 : AT_SYMLINK_NOFOLLOW), &from);
    if (r == 0) /* each mount found just after its own walk, which tells copies at one point apart */
        m = named_mount(c, from_dfd, ufrom, from, &detached);
    if (r < 0 || (r = path_target(c, to_dfd, uto, (flags & MOVE_MOUNT_T_EMPTY_PATH ? AT_EMPTY_PATH : 0) |
                                                      (flags & MOVE_MOUNT_T_SYMLINKS ? 0 : AT_SYMLINK_NOFOLLOW),
                                  &to)) < 0)
        return r;
    under = mount_walked(to); /* the mount the target's walk is in */
    if (flags & MOVE_MOUNT_SET_GROUP) { /* Linux's do_set_group: both mounts' roots */
        t = named_mount(c, to_dfd, uto, to, &to_detached);
        return m && t ? prop_set_group(m, t) : -LINUX_EINVAL;
    }
    if (!m)
        return -LINUX_EINVAL;
    return detached ? attach(fd_file_raw(c->p, (uint64_t)(int64_t)from_dfd), to, under) : mount_move(m, to, under);
}

/* mount_setattr's argument, as Linux's copy_struct_from_user and build_mount_kattr check it. */
static int setattr_arg(struct sys_ctx *c, uint64_t uattr, uint64_t size, struct mount_attr_k *a)
{
    uint8_t rest[4096 - sizeof *a];
    if (mem_in(c->p, a, uattr, sizeof *a) < 0 ||
        (size > sizeof *a && mem_in(c->p, rest, uattr + sizeof *a, size - sizeof *a) < 0))
        return -LINUX_EFAULT;
    for (uint64_t i = 0; size > sizeof *a && i < size - sizeof *a; i++)
        if (rest[i])
            return -LINUX_E2BIG;
    return 0;
}

static int setattr_check(struct sys_ctx *c, const struct mount_attr_k *a)
{
    uint64_t prop = a->propagation;
    if ((prop & ~(uint64_t)(MS_UNBINDABLE | MS_PRIVATE | MS_SLAVE | MS_SHARED)) || (prop & (prop - 1)))
        return -LINUX_EINVAL;
    if ((a->attr_set | a->attr_clr) & ~(uint64_t)(ATTR_FLAGS | MOUNT_ATTR_IDMAP))
        return -LINUX_EINVAL;
    if (a->attr_clr & MOUNT_ATTR__ATIME) {
        uint64_t t = a->attr_set & MOUNT_ATTR__ATIME;
        if ((a->attr_clr & MOUNT_ATTR__ATIME) != MOUNT_ATTR__ATIME ||
            (t != MOUNT_ATTR_RELATIME && t != MOUNT_ATTR_NOATIME && t != MOUNT_ATTR_STRICTATIME))
            return -LINUX_EINVAL;
    } else if (a->attr_set & MOUNT_ATTR__ATIME) {
        return -LINUX_EINVAL;
    }
    if (!((a->attr_set | a->attr_clr) & MOUNT_ATTR_IDMAP))
        return 0;
    /* an idmapped mount needs a user namespace's descriptor: there are none */
    if ((a->attr_clr & MOUNT_ATTR_IDMAP) || a->userns_fd > INT32_MAX)
        return -LINUX_EINVAL;
    return fd_file(c->p, a->userns_fd) ? -LINUX_EINVAL : -LINUX_EBADF;
}

/* The new flags of mount m. */
static uint32_t setattr_flags(uint32_t f, const struct mount_attr_k *a)
{
    f &= ~attr_to_ms(a->attr_clr);
    if (a->attr_clr & MOUNT_ATTR__ATIME) {
        uint64_t t = a->attr_set & MOUNT_ATTR__ATIME;
        f &= ~(uint32_t)(MS_RELATIME | MS_NOATIME);
        f |= t == MOUNT_ATTR_NOATIME ? MS_NOATIME : t == MOUNT_ATTR_RELATIME ? MS_RELATIME : 0;
    }
    return f | attr_to_ms(a->attr_set);
}

/* Mount m and (recursive) the mounts under it: checked, or changed if commit. */
static int setattr_tree(struct mount *m, bool detached, const struct mount_attr_k *a, bool recursive, bool commit,
                        int depth)
{
    uint32_t nf = setattr_flags(m->flags, a);
    int r = set_rdonly(m, nf & MS_RDONLY);
    if (r < 0)
        return r;
    if (commit)
        m->flags = nf;
    for (struct mount *s = fs_mounts(); recursive && !detached && s && depth < 64; s = s->next)
        if (s->parent == m->id && s != m && (r = setattr_tree(s, false, a, true, commit, depth + 1)) < 0)
            return r;
    return 0;
}

static int64_t sys_mount_setattr(struct sys_ctx *c, int dfd, uint64_t upath, uint32_t flags, uint64_t uattr,
                                 uint64_t size)
{
    struct mount_attr_k a;
    if (flags & ~(uint32_t)(AT_EMPTY_PATH | AT_RECURSIVE | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT))
        return -LINUX_EINVAL;
    if (size > 4096)
        return -LINUX_E2BIG;
    if (size < MOUNT_ATTR_SIZE_VER0)
        return -LINUX_EINVAL;
    if (!cred_capable(&c->p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    int r = setattr_arg(c, uattr, size, &a);
    if (r < 0)
        return r;
    if (!a.attr_set && !a.attr_clr && !a.propagation)
        return 0; /* nothing to do: not even the path is looked at */
    if ((r = setattr_check(c, &a)) < 0)
        return r;
    struct inode *ino;
    if ((r = path_target(c, dfd, upath, flags & (AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW), &ino)) < 0)
        return r;
    bool detached;
    struct mount *m = named_mount(c, dfd, upath, ino, &detached);
    if (!m)
        return -LINUX_EINVAL;
    bool rec = flags & AT_RECURSIVE;
    if ((r = setattr_tree(m, detached, &a, rec, false, 0)) < 0) /* all or nothing, as Linux's */
        return r;
    if (a.propagation && (r = mount_propagation(m, a.propagation, rec && !detached)) < 0)
        return r;
    return setattr_tree(m, detached, &a, rec, true, 0);
}
