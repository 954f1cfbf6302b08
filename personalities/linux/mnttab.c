/*
 * personalities/linux/mnttab.c - the mount table: which inode a path walk
 * sees at a mount point (fs_mounted; every mount namespace's mounts are
 * here, a walk seeing the caller's, fs_mnt_ns), the mounts in the order they were
 * made (the root's first, then /proc's), with the ids, flags and sources
 * /proc/self/mountinfo shows, and the questions umount and remount ask of
 * it (a mount's tree, open writers), and the guess of a walk's mount
 * (fs_mount_guess) and the access times reads set (fs_accessed); the
 * peer groups' ids and members (propagate.c's shared subtrees), and the
 * mount a walk sees at a point from the mount it is in (fs_mount_on_from:
 * each peer and slave its own copy); and the count of the table's
 * changes (fs_mount_event), which /proc/mounts's poll shows.
 *
 * Entry points: fs.h's "mount table" part.  Callers: fs.c's walks, the
 * mount calls (mount.c), procfs (its own mount, and the tables it shows).
 * Layer: the file system.  Book: docs/linux.md, "Mounts".
 */
#include "fs.h"
#include "time.h"
#include "wait.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct mount *mounts;
uint64_t fs_mount_event;
struct ns *fs_mnt_ns;
static int next_id = 21; /* the numbers a booted Linux gives its first mounts */
#define GROUPS 4096
static uint16_t group_members[GROUPS]; /* by peer group id: the mounts in it, attached or detached */
static struct mount *slave_head[GROUPS]; /* by group: its slaves, in Linux's order (mnt_slave_list) */

/* m out of its master's list of slaves (m->master stays). */
static void slave_unlink(struct mount *m)
{
    if (!m->master)
        return;
    if (m->slave_prev)
        m->slave_prev->slave_next = m->slave_next;
    else if (slave_head[m->master] == m)
        slave_head[m->master] = m->slave_next;
    if (m->slave_next)
        m->slave_next->slave_prev = m->slave_prev;
    m->slave_next = m->slave_prev = NULL;
}

void fs_slave_of(struct mount *m, int group, struct mount *after)
{
    slave_unlink(m);
    m->master = group;
    if (!group)
        return;
    bool behind = after && after != m && after->master == group;
    struct mount **at = behind ? &after->slave_next : &slave_head[group];
    m->slave_prev = behind ? after : NULL;
    m->slave_next = *at;
    if (*at)
        (*at)->slave_prev = m;
    *at = m;
}

struct mount *fs_slaves(int group) { return group > 0 && group < GROUPS ? slave_head[group] : NULL; }

struct mount *fs_mounts(void) { return mounts; }

void fs_mount_touch(void)
{
    fs_mount_event++;
    poll_recheck(); /* the waits on /proc/mounts's poll look again */
}

struct mount *fs_mount_add(struct inode *point, struct inode *root, struct fs *fs, const char *source, uint32_t flags)
{
    struct mount *m = calloc(1, sizeof *m), **tail = &mounts;
    if (!m)
        return NULL;
    struct mount *under = point ? fs_mount_of(point) : NULL;
    *m = (struct mount){.id = next_id++, .point = point, .root = root, .fs = fs, .flags = flags, .ns = fs_mnt_ns};
    m->parent = under ? under->id : 1; /* the root's: a mount outside the namespace, as Linux shows it */
    snprintf(m->source, sizeof m->source, "%s", source ? source : "none");
    while (*tail)
        tail = &(*tail)->next;
    *tail = m;
    if (point)
        point->mounted_on = true, fs_mount_touch();
    return m;
}

int fs_group_new(struct mount *m)
{
    int g = 1;
    while (g < GROUPS && group_members[g])
        g++;
    if (g == GROUPS)
        return -LINUX_ENOSPC;
    group_members[g]++;
    m->group = g;
    m->peer_next = m->peer_prev = m;
    return 0;
}

void fs_group_leave(struct mount *m)
{
    if (!m->group)
        return;
    m->peer_prev->peer_next = m->peer_next;
    m->peer_next->peer_prev = m->peer_prev;
    m->peer_next = m->peer_prev = NULL;
    if (--group_members[m->group] == 0) { /* no peer left to follow: m's master, at the end of its slaves, or none */
        struct mount *tail = m->master ? slave_head[m->master] : NULL;
        while (tail && tail->slave_next)
            tail = tail->slave_next;
        while (slave_head[m->group]) {
            struct mount *s = slave_head[m->group];
            fs_slave_of(s, m->master, tail);
            tail = m->master ? s : NULL;
        }
    }
    m->group = 0;
}

void fs_group_join(struct mount *m, struct mount *like)
{
    fs_slave_of(m, like->master, like);
    if (!(m->group = like->group))
        return;
    group_members[m->group]++;
    m->peer_prev = like;
    m->peer_next = like->peer_next;
    like->peer_next->peer_prev = m;
    like->peer_next = m;
}

void fs_umount(struct mount *m)
{
    fs_group_leave(m);
    fs_slave_of(m, 0, NULL);
    bool still = false;
    for (struct mount **pm = &mounts; *pm;)
        if (*pm == m)
            *pm = m->next;
        else {
            still |= (*pm)->point == m->point;
            pm = &(*pm)->next;
        }
    if (m->point && !still)
        m->point->mounted_on = false;
    if (fs_walk_mount.mount == m)
        fs_walk_mount.mount = NULL;
    if (m->point)
        fs_mount_touch();
    free(m);
}

void fs_mount_move(struct mount *m, struct inode *point)
{
    struct mount *under = fs_mount_of(point), **pm = &mounts;
    struct inode *old = m->point;
    while (*pm != m)
        pm = &(*pm)->next;
    *pm = m->next; /* to the end: the newest, on top of any mount at point */
    bool still = false;
    for (struct mount *s = mounts; s; s = s->next)
        still |= s->point == old;
    old->mounted_on = still;
    m->next = NULL;
    for (pm = &mounts; *pm;)
        pm = &(*pm)->next;
    *pm = m;
    m->point = point;
    m->ns = fs_mnt_ns; /* a detached one joins the caller's namespace */
    m->parent = under ? under->id : 1;
    point->mounted_on = true;
    if (m->root == m->fs->root && m->fs->point == old) { /* the file system's own mount: its ".." follows */
        m->fs->point = point;
        m->root->parent = point->parent;
    }
    fs_mount_touch();
}

struct inode *fs_new_root(struct fs *fs, const struct inode *point)
{
    struct inode *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    *r = (struct inode){.mode = point->mode, .uid = point->uid, .gid = point->gid, .nlink = point->nlink,
                        .ino = point->ino, .atime = point->atime, .mtime = point->mtime, .ctime = point->ctime,
                        .fs = fs, .parent = point->parent, .refs = 1}; /* never released */
    fs->root = r;
    return r;
}

struct inode *fs_new_empty_root(struct fs *fs, const struct inode *point, uint32_t mode, uint32_t uid, uint32_t gid)
{
    struct inode *r = fs_new_unnamed(fs, S_IFDIR | (mode & 07777)); /* held (refs 1) until fs_forget */
    if (!r)
        return NULL;
    r->nlink = 2, r->size = 2 * DIRENT_SIZE, r->uid = uid, r->gid = gid, r->parent = point->parent;
    fs->root = r;
    return r;
}

int fs_mount(struct inode *point, struct fs *fs, uint32_t flags)
{
    if ((point->mode & S_IFMT) != S_IFDIR || !fs->root)
        return -LINUX_ENOTDIR;
    fs->point = point;
    return fs_mount_add(point, fs->root, fs, fs->type, flags) ? 0 : -LINUX_ENOMEM;
}

int fs_mount_new_id(void) { return next_id++; }

/* Whether the call's walks see m: a mount of its namespace. */
static bool visible(const struct mount *m) { return m->ns == fs_mnt_ns; }

/* The newest mount on point, or NULL. */
static struct mount *top_on(const struct inode *point)
{
    struct mount *top = NULL;
    for (struct mount *m = mounts; m; m = m->next)
        if (m->point == point && visible(m))
            top = m;
    return top;
}

struct inode *fs_mounted(struct inode *ino)
{
    for (int depth = 0; ino->mounted_on && depth < 64; depth++) { /* stacked mounts: each on the last's root */
        struct mount *m = top_on(ino);
        if (!m || m->root == ino)
            break;
        ino = m->root;
    }
    return ino;
}

/* Whether a mount under p would propagate to c, or one under c to p
 * (peers, a slave and its master, two slaves of one master). */
static bool related(const struct mount *p, const struct mount *c)
{
    return (p->group && (p->group == c->group || p->group == c->master)) || (c->group && c->group == p->master) ||
           (p->master && p->master == c->master);
}

struct mount *fs_mount_by_id(int id)
{
    struct mount *m = mounts;
    while (m && m->id != id)
        m = m->next;
    return m;
}

/* The newest mount on point seen from the mount from (fs.h). */
static struct mount *top_from(const struct inode *point, const struct mount *from)
{
    struct mount *top = NULL, *own = NULL;
    for (struct mount *m = mounts; m; m = m->next) {
        if (m->point != point || !visible(m))
            continue;
        if (from && m->parent == from->id)
            own = m;
        const struct mount *p = from && m->parent != from->id ? fs_mount_by_id(m->parent) : NULL;
        if (!p || !related(p, from))
            top = m;
    }
    return own ? own : top;
}

struct mount *fs_mount_on_from(struct inode *point, const struct mount *from)
{
    struct mount *seen = NULL;
    for (int depth = 0; point->mounted_on && depth < 64; depth++) { /* stacked: each on the last's root */
        struct mount *m = top_from(point, from);
        if (!m || m->root == point)
            break;
        seen = m;
        from = m;
        point = m->root;
    }
    return seen;
}

struct mount *fs_mount_on(struct inode *point)
{
    struct mount *m = top_on(point);
    for (int depth = 0; m && m->root->mounted_on && top_on(m->root) && depth < 64; depth++)
        m = top_on(m->root); /* stacked: the newest, on the root of the one before */
    return m;
}

int fs_mount_count(void)
{
    int n = 0;
    for (struct mount *m = mounts; m; m = m->next)
        n += visible(m) && m->id; /* the namespace's, root and attached (not a detached fsmount's or open_tree's) */
    return n;
}

struct mount *fs_mount_at(struct inode *ino)
{
    struct mount *found = NULL;
    for (struct mount *m = mounts; m; m = m->next)
        if (m->root == ino && visible(m) && (!m->point || fs_mounted(m->point) == ino))
            found = m; /* the one a walk sees: not one covered by another since */
    return found;
}

bool fs_mount_holds(const struct mount *m, const struct inode *ino)
{
    if (ino->fs != m->fs)
        return false;
    if (m->root == m->fs->root)
        return true; /* a file system's own mount holds all of it */
    for (const struct inode *d = ino, *up; d; d = up == d ? NULL : up) {
        if (d == m->root)
            return true;
        up = (d->mode & S_IFMT) == S_IFDIR ? d->parent : d->entry_dir; /* a file's newest link's directory */
    }
    return false;
}

struct mount *fs_mount_of(struct inode *ino)
{
    struct mount *found = NULL;
    for (struct mount *m = mounts; m; m = m->next) /* the newest that holds it: the innermost */
        if (visible(m) && fs_mount_holds(m, ino) && (!m->point || fs_mounted(m->point) == m->root))
            found = m;
    return found;
}

struct fs_walk_mount fs_mount_guess(struct inode *ino)
{
    struct fs_walk_mount w = {ino->fs, ~0u, NULL};
    int n = 0;
    for (struct mount *m = mounts; m; m = m->next)
        if (visible(m) && fs_mount_holds(m, ino) && (!m->point || fs_mounted(m->point) == m->root))
            w.flags &= m->flags, w.mount = m, n++;
    if (n != 1)
        w.mount = NULL;
    if (!n)
        w.flags = 0;
    return w;
}

void fs_walk_through(struct inode *ino, int mnt_id, uint32_t flags)
{
    struct mount *m = mounts;
    while (m && (!mnt_id || m->id != mnt_id))
        m = m->next;
    fs_walk_mount = m ? (struct fs_walk_mount){ino->fs, m->flags, m} : (struct fs_walk_mount){ino->fs, flags, NULL};
}

void fs_accessed(struct inode *ino, uint32_t mnt_flags)
{
    if ((ino->iflags & FS_NOATIME_FL) || (mnt_flags & (MS_NOATIME | MS_RDONLY)) || ino->fs->rdonly ||
        ino->fs->magic == PROC_SUPER_MAGIC ||
        ((mnt_flags & MS_NODIRATIME) && (ino->mode & S_IFMT) == S_IFDIR))
        return;
    int64_t now = realtime_ns();
    if ((mnt_flags & MS_RELATIME) && ino->atime > ino->mtime && ino->atime > ino->ctime &&
        now - ino->atime < 24 * 3600 * 1000000000ll)
        return; /* relatime: only a stale one is brought up to date */
    ino->atime = now;
}

static bool tree_writers(const struct inode *dir, int depth)
{
    for (struct dirent_node *d = dir->children; d && depth < 256; d = d->next) {
        const struct inode *i = d->inode;
        if (i->writers || ((i->mode & S_IFMT) == S_IFDIR && i->fs == dir->fs && tree_writers(i, depth + 1)))
            return true;
    }
    return false;
}

bool fs_has_writers(struct fs *fs) { return fs->root && tree_writers(fs->root, 0); }
