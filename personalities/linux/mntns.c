/*
 * personalities/linux/mntns.c - mount namespaces (CLONE_NEWNS): a new one
 * is a copy of every mount of the old (Linux's copy_mnt_ns, copy_tree
 * with CL_COPY_ALL): each copy a mount of its own, with a new id, the
 * same flags and source, a peer of its original if that is shared (so a
 * mount under one propagates to the other, through the peer group), a
 * slave of its master if that is a slave, private if it was private; the
 * process's working directory moves to the copy of its mount, as Linux
 * moves the caller's fs_struct.  When the namespace's last user goes (its
 * last process and last open nsfs file), its mounts go, as Linux's
 * put_mnt_ns unmounts its tree, without propagation: a file system
 * another namespace still shows stays.
 *
 * The mounts of every namespace are in the one table (mnttab.c), each
 * naming its namespace (struct mount's ns); fs_mnt_ns, the caller's, is
 * what walks and /proc's tables see.
 *
 * pivot_root is here too: the namespace's root mount (a chroot's, on a
 * mount) changes places with another.
 *
 * Entry points: mntns.h; pivot_root (syscalls.def).  Callers: ns.c (a new
 * namespace, the last release of one).  Layer: proc, over the mount table.  Book:
 * docs/linux.md, "Mounts".
 */
#include "mntns.h"
#include "file.h"
#include "mount.h"
#include "propagate.h"
#include "proc.h"
#include "userns.h"
#include <stdlib.h>
#include "linux_entries/mntns.h" /* generated: the handlers' prototypes, entries */

/* The copy of the mount with id id among the n copies (old ids in from). */
static int copy_id(const int *from, struct mount *const *to, int n, int id)
{
    for (int i = 0; i < n; i++)
        if (from[i] == id)
            return to[i]->id;
    return 0;
}

int mntns_copy(struct ns *to, struct ns *from, struct proc *t)
{
    int n = 0, k = 0;
    for (struct mount *m = fs_mounts(); m; m = m->next)
        n += m->ns == from && m->id; /* the attached ones: a detached mount (fsmount's) stays out */
    int *old = calloc((size_t)n + 1, sizeof *old);
    struct mount **copy = calloc((size_t)n + 1, sizeof *copy);
    if (!old || !copy) {
        free(old), free(copy);
        return -LINUX_ENOMEM;
    }
    struct ns *saved = fs_mnt_ns;
    fs_mnt_ns = to;
    int rootfs = 0; /* Linux copies rootfs, under the root, too: the root's parent is its copy, not shown */
    for (struct mount *m = fs_mounts(); m && k < n; m = m->next) {
        if (m->ns != from || !m->id)
            continue;
        struct mount *c = fs_mount_add(NULL, m->root, m->fs, m->source, m->flags);
        if (!c)
            break;
        c->point = m->point; /* already marked mounted on */
        if (userns_owner(to) != userns_owner(from))
            mount_lock_tree(c); /* for a less privileged namespace: locked (Linux's copy_mnt_ns) */
        c->unbindable = m->unbindable;
        if (m->group)
            fs_group_join(c, m); /* a peer of its original, a slave of its master too */
        else if (m->master)
            fs_slave_of(c, m->master, m);
        old[k] = m->id, copy[k++] = c;
        if (!m->point && !rootfs)
            rootfs = fs_mount_new_id();
    }
    for (int i = 0; i < k; i++) {
        const struct mount *m = fs_mount_by_id(old[i]);
        int p = m && m->point ? copy_id(old, copy, k, m->parent) : 0;
        copy[i]->parent = p ? p : rootfs;
    }
    if (t->cwd_mnt) /* the working directory: the copy of its mount */
        t->cwd_mnt = copy_id(old, copy, k, t->cwd_mnt);
    fs_mnt_ns = saved;
    fs_mount_touch();
    bool whole = k == n;
    free(old), free(copy);
    if (!whole)
        mntns_release(to);
    return whole ? 0 : -LINUX_ENOMEM;
}

/* The newest mount of n with no mount on it, or NULL. */
static struct mount *leaf(const struct ns *n)
{
    struct mount *found = NULL;
    for (struct mount *m = fs_mounts(); m; m = m->next) {
        if (m->ns != n || !m->id)
            continue;
        bool covered = false;
        for (struct mount *o = fs_mounts(); o && !covered; o = o->next)
            covered = o != m && o->parent == m->id;
        if (!covered)
            found = m;
    }
    return found;
}

void mntns_release(struct ns *n)
{
    struct ns *saved = fs_mnt_ns;
    fs_mnt_ns = n;
    for (struct mount *m; (m = leaf(n));)
        mount_drop(m);
    for (struct mount *m = fs_mounts(); m; m = m->next)
        if (m->ns == n)
            m->ns = NULL; /* a detached one (fsmount's, open_tree's) lives on with its file */
    fs_mnt_ns = saved;
}

/* ---- pivot_root ---- */

/* A directory for pivot_root (Linux's LOOKUP_DIRECTORY), and the mount
 * its walk ended in. */
static int pivot_dir(struct sys_ctx *c, uint64_t upath, struct inode **ino, struct mount **m)
{
    static char path[PATH_MAX_LEN];
    struct inode *dir;
    int r = path_arg(c, AT_FDCWD, upath, path, &dir);
    if (r < 0 || (r = fs_lookup(dir, path, true, ino)) < 0)
        return r;
    *m = mount_walked(*ino);
    return ((*ino)->mode & S_IFMT) != S_IFDIR ? -LINUX_ENOTDIR : 0;
}

/* Whether the mount in holds ino through its own tree or a mount under
 * it (Linux's is_path_reachable), from mount from, which holds ino. */
static bool reachable(const struct mount *from, const struct inode *ino, const struct mount *in)
{
    for (int depth = 0; from && depth < 64; depth++) {
        if (from == in)
            return fs_mount_holds(in, ino);
        ino = from->point;
        from = from->point ? fs_mount_by_id(from->parent) : NULL;
    }
    return false;
}

static bool shared(const struct mount *m) { return m && m->group; }

/* pivot_root: Linux's checks in its order, then the new root's mount
 * goes where the root's was (under its parent), the root's onto put_old,
 * and the processes of the namespace whose root or working directory was
 * the old root move to the new one (Linux's chroot_fs_refs).  The first
 * root is Linux's rootfs, not attached: EINVAL. */
static int64_t sys_pivot_root(struct sys_ctx *c, uint64_t unew, uint64_t uold)
{
    if (!mount_may(c->p))
        return -LINUX_EPERM;
    struct inode *new, *old, *root = c->p->cred.root ? c->p->cred.root : fs_root();
    struct mount *new_m, *old_m;
    int r = pivot_dir(c, unew, &new, &new_m);
    if (r < 0 || (r = pivot_dir(c, uold, &old, &old_m)) < 0)
        return r;
    struct mount *root_m = fs_mount_of(root);
    if (!new_m || !old_m || !root_m)
        return -LINUX_EINVAL;
    struct mount *ex_parent = fs_mount_by_id(new_m->parent), *root_parent = fs_mount_by_id(root_m->parent);
    if (shared(old_m) || (new_m->point && shared(ex_parent)) || (root_m->point && shared(root_parent)) ||
        (new_m->flags & MOUNT_LOCKED))
        return -LINUX_EINVAL;
    if (new->nlink == 0)
        return -LINUX_ENOENT;
    if (new_m == root_m || old_m == root_m)
        return -LINUX_EBUSY; /* on the root's own mount */
    if (root_m->root != root || !root_m->point || new_m->root != new || !new_m->point)
        return -LINUX_EINVAL; /* a root or new root that is no mount's, or not attached */
    if (!reachable(old_m, old, new_m) || !reachable(ex_parent, new_m->point, root_m))
        return -LINUX_EINVAL; /* put_old not under new_root, or new_root not under the root */
    if (root_m->flags & MOUNT_LOCKED) /* the lock goes with the root */
        new_m->flags |= MOUNT_LOCKED, root_m->flags &= ~MOUNT_LOCKED;
    fs_mount_move(new_m, root_m->point); /* newest there: on top of the root's, which leaves next */
    fs_mount_move(root_m, old);
    for (struct proc *t = proc_list(); t; t = t->next) {
        if (t->zombie || t->ns[NS_MNT] != fs_mnt_ns)
            continue;
        if (t->cred.root == root)
            t->cred.root = new;
        if (t->cwd == root)
            t->cwd = new, t->cwd_mnt = new_m->id;
    }
    return 0;
}
