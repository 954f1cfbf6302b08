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
 * Entry points: mntns.h.  Callers: ns.c (a new namespace, the last
 * release of one).  Layer: proc, over the mount table.  Book:
 * docs/linux.md, "Mounts".
 */
#include "mntns.h"
#include "mount.h"
#include "propagate.h"
#include "proc.h"
#include <stdlib.h>

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
