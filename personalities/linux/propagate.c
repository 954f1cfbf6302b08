/*
 * personalities/linux/propagate.c - shared subtrees, as Linux's
 * fs/pnode.c: a shared mount is in a peer group (its id, shared:N, the
 * smallest free from 1, mnttab.c's fs_group_new); a slave follows a
 * group (master:N).  A mount made under a shared mount is copied under
 * each of its peers and slaves that show the point (a copy under a peer
 * is a peer of the new mount; under a slave, a slave of it, and if that
 * slave is shared too, the first of a new group its own peers join); an
 * umount takes the copies with it, EBUSY if one is in use.  There is one
 * mount namespace, so the peers and slaves are bind mounts in it.
 *
 * A copy is a mount of its own (its id, its parent: the peer or slave),
 * at the same point inode as the mount it copies: a walk tells them
 * apart by the mount it is in (mnttab.c's fs_mount_on_from).
 *
 * mountinfo's optional fields and a copy's mount point come from here.
 *
 * Entry points: propagate.h.  Callers: mount.c, fsmount.c.  Layer: calls,
 * over the mount table.  Book: docs/linux.md, "Mounts".
 */
#include "propagate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEEN_MAX 256

/* The mounts a propagation has been to (each once). */
struct seen {
    const struct mount *m[SEEN_MAX];
    int n;
};

static bool seen_has(const struct seen *s, const struct mount *m)
{
    for (int i = 0; i < s->n; i++)
        if (s->m[i] == m)
            return true;
    return false;
}

static void seen_add(struct seen *s, const struct mount *m)
{
    if (s->n < SEEN_MAX)
        s->m[s->n++] = m;
}

/* How a clone takes its source's propagation (Linux's clone_mnt flags). */
enum clone_kind {
    CLONE_PEER,         /* its group and master (none: CL_PRIVATE's): a bind's, a copy under a peer */
    CLONE_SLAVE,        /* a slave of its group (CL_SLAVE): a copy under a slave */
    CLONE_SLAVE_SHARED, /* and the first of a new group (CL_SLAVE | CL_MAKE_SHARED): under a shared slave */
};

/* A clone of x (its root, at its point) under the mount under, and of the
 * mounts under x that the clone shows, the unbindable ones left out
 * (Linux's copy_tree).  NULL: no memory. */
static struct mount *clone_tree(struct mount *under, struct mount *x, enum clone_kind kind, int depth)
{
    struct mount *c = fs_mount_add(x->point, x->root, x->fs, x->source, x->flags);
    if (!c)
        return NULL;
    c->parent = under->id;
    c->ns = under->ns; /* under a peer in another namespace: a mount of that one */
    if (kind == CLONE_PEER)
        fs_group_join(c, x);
    else
        fs_slave_of(c, x->group, NULL); /* at the head of x's slaves, as CL_SLAVE's clone */
    if (kind == CLONE_SLAVE_SHARED)
        fs_group_new(c);
    for (struct mount *s = fs_mounts(); s && depth < 64; s = s->next)
        if (s->parent == x->id && s != c && !s->unbindable && s->point && fs_mount_holds(c, s->point))
            clone_tree(c, s, kind, depth + 1);
    return c;
}

/* A copy c just made under q, where a mount t of q's already is: t goes on
 * c's root, covering it (Linux's attach_recursive_mnt tucks the copy
 * under). */
static void tuck(struct mount *q, struct mount *c)
{
    struct mount *t = NULL;
    for (struct mount *o = fs_mounts(); o; o = o->next)
        if (o != c && o->parent == q->id && o->point == c->point)
            t = o;
    if (!t)
        return;
    t->point = c->root;
    t->parent = c->id;
    c->root->mounted_on = true;
}

/* Copies of x's tree (just made under start, a shared mount) under
 * start's peers, in their ring's order from start, each a clone of the
 * last (peers of x), and under the slaves of start's group (slaves of
 * x's group), on from a shared slave to its own peers and slaves:
 * Linux's propagate_mnt.  A detached peer (open_tree's clone) gets none. */
static void spread(struct seen *s, struct mount *start, struct mount *x, int depth)
{
    struct mount *last = x;
    for (struct mount *q = start->peer_next; q && q != start; q = q->peer_next) {
        if (!q->id || seen_has(s, q))
            continue;
        seen_add(s, q);
        struct mount *c = fs_mount_holds(q, x->point) ? clone_tree(q, last, CLONE_PEER, 0) : NULL;
        if (c)
            seen_add(s, c), last = c, tuck(q, c);
    }
    for (struct mount *q = fs_slaves(start->group); q; q = q->slave_next) { /* in their list's order */
        if (!q->id || seen_has(s, q))
            continue;
        seen_add(s, q);
        struct mount *c = fs_mount_holds(q, x->point)
                              ? clone_tree(q, x, q->group ? CLONE_SLAVE_SHARED : CLONE_SLAVE, 0)
                              : NULL;
        if (!c)
            continue;
        seen_add(s, c);
        tuck(q, c);
        if (q->group && depth < 32)
            spread(s, q, c, depth + 1);
    }
}

static int tree_shared(struct mount *m, bool rec, int depth);

bool prop_tree_unbindable(const struct mount *m, int depth)
{
    if (m->unbindable)
        return true;
    for (struct mount *s = fs_mounts(); m->id && s && depth < 64; s = s->next)
        if (s->parent == m->id && s != m && prop_tree_unbindable(s, depth + 1))
            return true;
    return false;
}

int prop_attach(struct mount *m, struct mount *parent)
{
    if (parent)
        m->parent = parent->id;
    else
        parent = fs_mount_by_id(m->parent);
    if (!parent || !parent->group)
        return 0;
    if (tree_shared(m, true, 0) < 0) /* the tree's mounts without a group get one (Linux's invent_group_ids) */
        return -LINUX_ENOSPC;
    struct seen s = {.n = 0};
    seen_add(&s, parent);
    seen_add(&s, m);
    spread(&s, parent, m, 0);
    return 0;
}

struct mount *prop_bind(struct mount *parent, struct inode *point, struct inode *root, struct mount *like,
                        bool rec)
{
    struct mount *m = fs_mount_add(point, root, root->fs, like ? like->source : "none",
                                   like ? like->flags : MS_RELATIME);
    if (!m)
        return NULL;
    if (like)
        fs_group_join(m, like);
    if (like && rec) /* MS_REC: the tree under it too */
        prop_clone_under(m, like);
    prop_attach(m, parent);
    return m;
}

void prop_clone_under(struct mount *m, const struct mount *like)
{
    for (struct mount *s = fs_mounts(); s; s = s->next)
        if (s->parent == like->id && s != m && !s->unbindable && s->point && fs_mount_holds(m, s->point))
            clone_tree(m, s, CLONE_PEER, 1);
}

/* Every mount that g's propagation reaches: its members, its slaves, and
 * on from each shared slave. */
static void reach(struct seen *s, int g, int depth)
{
    for (struct mount *q = fs_mounts(); q; q = q->next)
        if ((q->group == g || q->master == g) && !seen_has(s, q)) {
            seen_add(s, q);
            if (q->group && q->group != g && depth < 32)
                reach(s, q->group, depth + 1);
        }
}

struct mount *prop_topper(const struct mount *c)
{
    struct mount *top = NULL;
    int n = 0;
    for (struct mount *o = fs_mounts(); o; o = o->next)
        if (o->parent == c->id && o != c)
            n++, top = o->point == c->root ? o : top;
    return n == 1 ? top : NULL;
}

void prop_untuck(struct mount *c)
{
    struct mount *top = prop_topper(c);
    if (top) { /* back where it was (Linux's mnt_change_mountpoint) */
        top->point = c->point;
        top->parent = c->parent;
    }
}

int prop_umount_set(const struct mount *m, struct mount **out, int max)
{
    struct mount *p = fs_mount_by_id(m->parent);
    if (!p || !p->group || !m->point)
        return 0;
    struct seen s = {.n = 0};
    seen_add(&s, p);
    reach(&s, p->group, 0);
    int n = 0;
    for (int i = 1; i < s.n && n < max; i++) {
        struct mount *child = NULL;
        for (struct mount *o = fs_mounts(); o; o = o->next)
            if (o != m && o->point == m->point && o->parent == s.m[i]->id)
                child = o; /* the newest there */
        bool covered = false;
        for (struct mount *o = fs_mounts(); child && o; o = o->next)
            covered |= o->parent == child->id;
        if (child && (!covered || prop_topper(child)))
            out[n++] = child; /* with nothing on it, or one mount over its whole root that stays (find_topper) */
    }
    return n;
}

/* Linux's change_mnt_propagation for one mount (its group, if MS_SHARED,
 * already given). */
static void change(struct mount *m, uint64_t prop)
{
    if (prop & MS_SHARED) {
        m->unbindable = false;
        return;
    }
    int group = m->group, master = m->master;
    bool peers = group && m->peer_next != m; /* a detached clone is a peer too */
    fs_group_leave(m); /* the last of its group: the group's slaves follow m's master */
    if (peers || master) /* a slave of the peers it leaves, or still of its master: first of their slaves */
        fs_slave_of(m, peers ? group : master, NULL);
    if (!(prop & MS_SLAVE))
        fs_slave_of(m, 0, NULL);
    m->unbindable = prop & MS_UNBINDABLE; /* private and slave end it */
}

/* Each mount of m's tree (m, and with rec the mounts under it, depth first). */
static int tree_shared(struct mount *m, bool rec, int depth)
{
    if (!m->group && fs_group_new(m) < 0)
        return -LINUX_ENOSPC;
    for (struct mount *s = fs_mounts(); rec && s && depth < 64; s = s->next)
        if (s->parent == m->id && s != m && tree_shared(s, true, depth + 1) < 0)
            return -LINUX_ENOSPC;
    return 0;
}

static void tree_change(struct mount *m, uint64_t prop, bool rec, int depth)
{
    change(m, prop);
    for (struct mount *s = fs_mounts(); rec && s && depth < 64; s = s->next)
        if (s->parent == m->id && s != m)
            tree_change(s, prop, true, depth + 1);
}

int mount_propagation(struct mount *m, uint64_t prop, bool rec)
{
    if ((prop & MS_SHARED) && tree_shared(m, rec, 0) < 0)
        return -LINUX_ENOSPC;
    tree_change(m, prop, rec, 0);
    return 0;
}

int prop_set_group(struct mount *from, struct mount *to)
{
    if (from->fs != to->fs || !fs_mount_holds(from, to->root))
        return -LINUX_EINVAL; /* across file systems, or to's root not under from's */
    if (to->group || to->master || (!from->group && !from->master))
        return -LINUX_EINVAL; /* to must be private, from not */
    fs_group_join(to, from);
    if (from->master)
        fs_slave_of(to, from->master, NULL); /* at the head of the master's slaves (do_set_group's list_add) */
    to->unbindable = false;
    return 0;
}

/* Where ino is, as the caller names paths. */
static void where(struct inode *ino, char *buf, size_t size)
{
    if (fs_name_of(ino, NULL, buf, size) < 0)
        snprintf(buf, size, "/");
}

void prop_point_path(const struct mount *m, char *buf, size_t size)
{
    static char root[PATH_MAX_LEN], tail[PATH_MAX_LEN], part[PATH_MAX_LEN];
    tail[0] = '\0';
    for (int depth = 0;; depth++) {
        where(m->point ? m->point : m->root, buf, size);
        if (!m->point)
            snprintf(buf, size, "/");
        struct mount *p = m->point && depth < 32 ? fs_mount_by_id(m->parent) : NULL;
        if (p && p != m && p->point) { /* its place within the parent's root, then the parent's */
            where(p->root, root, sizeof root);
            size_t k = strcmp(root, "/") ? strlen(root) : 0;
            if (!strncmp(buf, root, k) && (!buf[k] || buf[k] == '/')) {
                snprintf(part, sizeof part, "%s%s", buf + k, tail);
                snprintf(tail, sizeof tail, "%s", part);
                m = p;
                continue;
            }
        }
        size_t n = strcmp(buf, "/") || !*tail ? strlen(buf) : 0;
        snprintf(buf + n, size - n, "%s", tail);
        return;
    }
}

void prop_fields(const struct mount *m, char *buf, size_t size)
{
    int n = m->group ? snprintf(buf, size, " shared:%d", m->group) : 0;
    if (m->master)
        n += snprintf(buf + n, size - (size_t)n, " master:%d", m->master);
    snprintf(buf + n, size - (size_t)n, "%s", m->unbindable ? " unbindable" : "");
}
