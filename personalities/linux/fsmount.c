/*
 * personalities/linux/fsmount.c - Linux's new mount API's mounts, over the
 * mount table (mnttab.c): fsmount makes a detached mount of what a file
 * system context (fscontext.c) created, an O_PATH file that owns it
 * (struct file's detached) until move_mount attaches it; open_tree opens
 * a path as such a file, or with OPEN_TREE_CLONE a detached bind mount
 * of it; move_mount also moves an attached mount (and so does mount(2)'s
 * MS_MOVE); mount_setattr changes a mount's flags.
 *
 * Mount attributes are the mount's own flags, shown (/proc's tables,
 * statfs) and enforced as mount(2)'s (fs_walk_mount): read-only is the
 * mount's, EBUSY while a file is open for writing through it.
 *
 * Entry points: the calls' handlers (syscalls.def), mount_move
 * (mount.h), fsmount_named (fscontext.h).  Layer: calls, over mount.c and
 * the mount table.  Book: docs/linux.md, "Mounts".
 */
#include "file.h"
#include "fscontext.h"
#include "mount.h"
#include "ns.h"
#include "propagate.h"
#include "proc.h"
#include "procfs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux_entries/fsmount.h" /* generated: the handlers' prototypes, entries */

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
struct mount *fsmount_named(struct sys_ctx *c, int64_t dfd, uint64_t upath, struct inode *ino, bool *detached)
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

static int64_t sys_fsmount(struct sys_ctx *c, int fsfd, uint32_t flags, uint32_t attr)
{
    if (!mount_may(c->p))
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
    uint32_t mf = attr_to_ms(attr) | (atime == MOUNT_ATTR_NOATIME ? MS_NOATIME : atime ? 0 : MS_RELATIME);
    if (mount_too_revealing(c->p, fc->fs->magic, &mf)) /* and the locks of the mount that shows it whole */
        return -LINUX_EPERM;
    if (fc->phase != AWAITING_MOUNT)
        return -LINUX_EBUSY;
    struct mount *d = detached_new(fc->root ? fc->root : fc->fs->root, fc->fs, fc->has_source ? fc->source : NULL, mf);
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
    if (clone && !mount_may(c->p))
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
    if (!mount_may(c->p))
        return -LINUX_EPERM;
    if (flags & ~(uint32_t)MOVE_MOUNT__MASK)
        return -LINUX_EINVAL;
    struct inode *from, *to;
    bool detached, to_detached;
    struct mount *m = NULL, *t = NULL, *under = NULL;
    int r = path_target(c, from_dfd, ufrom, (flags & MOVE_MOUNT_F_EMPTY_PATH ? AT_EMPTY_PATH : 0) |
                                                (flags & MOVE_MOUNT_F_SYMLINKS ? 0 : AT_SYMLINK_NOFOLLOW), &from);
    if (r == 0) /* each mount found just after its own walk, which tells copies at one point apart */
        m = fsmount_named(c, from_dfd, ufrom, from, &detached);
    if (r < 0 || (r = path_target(c, to_dfd, uto, (flags & MOVE_MOUNT_T_EMPTY_PATH ? AT_EMPTY_PATH : 0) |
                                                      (flags & MOVE_MOUNT_T_SYMLINKS ? 0 : AT_SYMLINK_NOFOLLOW),
                                  &to)) < 0)
        return r;
    under = mount_walked(to); /* the mount the target's walk is in */
    if (flags & MOVE_MOUNT_SET_GROUP) { /* Linux's do_set_group: both mounts' roots */
        t = fsmount_named(c, to_dfd, uto, to, &to_detached);
        return m && t ? prop_set_group(m, t) : -LINUX_EINVAL;
    }
    if (!m)
        return -LINUX_EINVAL;
    if (detached)
        return attach(fd_file_raw(c->p, (uint64_t)(int64_t)from_dfd), to, under);
    return m->flags & MOUNT_LOCKED ? -LINUX_EINVAL : mount_move(m, to, under); /* do_move_mount */
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
    /* Linux's build_mount_idmapped: a user namespace's nsfs file, not the
     * initial one, in which the caller has CAP_SYS_ADMIN */
    if ((a->attr_clr & MOUNT_ATTR_IDMAP) || a->userns_fd > INT32_MAX)
        return -LINUX_EINVAL;
    struct file *f = fd_file(c->p, a->userns_fd);
    if (!f)
        return -LINUX_EBADF;
    int slot;
    struct ns *n = f->inode ? ns_by_inode(f->inode, &slot) : NULL;
    if (!n || n->type != CLONE_NEWUSER)
        return -LINUX_EINVAL;
    if (!n->user || !cred_ns_capable(&c->p->cred, n, CAP_SYS_ADMIN))
        return -LINUX_EPERM; /* the initial idmapping; a namespace the caller does not control */
    return 1; /* then, the mount found, EINVAL: no file system here allows idmapped mounts (6.1's tmpfs neither) */
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
    if (mount_locked_refuses(m, nf))
        return -LINUX_EPERM; /* can_change_locked_flags */
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
    if (!mount_may(c->p))
        return -LINUX_EPERM;
    int r = setattr_arg(c, uattr, size, &a);
    if (r < 0)
        return r;
    if (!a.attr_set && !a.attr_clr && !a.propagation)
        return 0; /* nothing to do: not even the path is looked at */
    int idmap = setattr_check(c, &a);
    if (idmap < 0)
        return idmap;
    struct inode *ino;
    if ((r = path_target(c, dfd, upath, flags & (AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW), &ino)) < 0)
        return r;
    bool detached;
    struct mount *m = fsmount_named(c, dfd, upath, ino, &detached);
    if (!m || idmap) /* can_idmap_mount: no FS_ALLOW_IDMAP */
        return -LINUX_EINVAL;
    bool rec = flags & AT_RECURSIVE;
    if ((r = setattr_tree(m, detached, &a, rec, false, 0)) < 0) /* all or nothing, as Linux's */
        return r;
    if (a.propagation && (r = mount_propagation(m, a.propagation, rec && !detached)) < 0)
        return r;
    return setattr_tree(m, detached, &a, rec, true, 0);
}
