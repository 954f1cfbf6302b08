/*
 * personalities/linux/fs.c - the tree of names: inodes, directories
 * (entries in creation order, as a fresh tmpfs lists them), links,
 * renames, path walks with ".", ".." and symlinks (at most 40 links), the
 * names of inodes (getcwd, /proc's links), and the orphans: inodes with
 * neither name nor open file, freed once nothing points at them.
 *
 * Entry points: fs.h's "tree and path walks".  Callers: the file and
 * path calls, exec, sockets, procfs.  Layer: the file system; it includes
 * no process or signal header.  Book: docs/linux.md, "Files".
 */
#include "acl.h"
#include "fs.h"
#include "fsnotify.h"
#include "ns.h"
#include "time.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct inode *root;
static uint64_t next_ino = 1, live_inodes;

/* One of fs's inodes (nr_inodes=) taken for a new inode or a hard link:
 * 0, or -ENOSPC when none is left (Linux's shmem_reserve_inode). */
static int inode_reserve(struct fs *fs)
{
    if (fs->inodes_max && fs->inodes_used >= fs->inodes_max)
        return -LINUX_ENOSPC;
    fs->inodes_used++;
    return 0;
}

static void inode_free(struct inode *i)
{
    struct fs *fs = i->fs;
    fs->inodes_used--;
    for (struct xattr *x = i->xattrs, *n; x; x = n) /* a failed creation's inherited ACLs */
        n = x->next, free(x->name), free(x->value), free(x);
    free(i);
    live_inodes--;
    if (--fs->inodes_live == 0 && fs->gone && fs->userns && !--fs->userns->inode->refs)
        fs_release(fs->userns->inode); /* its user namespace's hold (mount_userns_hold) */
    if (fs->inodes_live == 0 && fs->gone)
        fs->ops->free ? fs->ops->free(fs) : free(fs);
}

/* A new inode of fs, or NULL with *err (-ENOSPC, -ENOMEM).  Inode numbers
 * are one sequence for every file system, as they were when /proc was a
 * directory of the root. */
static struct inode *inode_new(struct fs *fs, uint32_t mode, int *err)
{
    struct inode *i = (*err = inode_reserve(fs)) < 0 ? NULL : calloc(1, sizeof *i);
    if (!i) {
        if (!*err)
            fs->inodes_used--, *err = -LINUX_ENOMEM;
        return NULL;
    }
    i->mode = mode;
    i->nlink = 1;
    i->fs = fs;
    i->ino = next_ino++;
    live_inodes++;
    fs->inodes_live++;
    i->atime = i->mtime = i->ctime = i->btime = realtime_ns();
    return i;
}

struct inode *fs_root(void) { return root; }

struct inode *fs_new_unnamed(struct fs *fs, uint32_t mode)
{
    int err;
    struct inode *i = inode_new(fs, mode, &err);
    if (i)
        i->nlink = 0, i->refs = 1;
    return i;
}

/* Where the caller's absolute paths start: its chroot, or the root. */
static struct inode *walk_root(void) { return fs_cred->root ? fs_cred->root : root; }

struct inode *fs_dir_find(struct inode *dir, const char *name, size_t len)
{
    if (len == 1 && name[0] == '.')
        return dir;
    if (len == 2 && name[0] == '.' && name[1] == '.') /* no way up from the root, or the caller's chroot */
        return dir->parent && dir != fs_cred->root ? dir->parent : dir;
    for (struct dirent_node *d = dir->children; d; d = d->next)
        if (d->name[0] == name[0] && strlen(d->name) == len && memcmp(d->name, name, len) == 0)
            return d->inode; /* the first byte first: most names differ there */
    return NULL;
}

/* A change of contents: the modification and change times are now. */
void fs_modified(struct inode *i) { i->mtime = i->ctime = realtime_ns(); }

static int dir_add(struct inode *dir, const char *name, struct inode *ino)
{
    if (!dir->nlink)
        return -LINUX_ENOENT; /* a removed directory takes no new entries, as Linux */
    struct dirent_node *d = calloc(1, sizeof *d), **tail = &dir->children;
    if (!d || !(d->name = strdup(name))) {
        free(d);
        return -LINUX_ENOMEM;
    }
    static uint64_t seq = 2; /* after "." and ".." (io.c's list_dir) */
    d->inode = ino, d->seq = seq++;
    ino->entry_dir = dir;
    while (*tail) /* keep creation order, like a fresh tmpfs listing */
        tail = &(*tail)->next;
    *tail = d;
    dir->size += DIRENT_SIZE;
    if ((ino->mode & S_IFMT) == S_IFDIR) {
        ino->parent = dir;
        fs_mounted(ino)->parent = dir; /* what is mounted on it leaves by ".." to dir too */
        dir->nlink++;
    }
    fs_modified(dir);
    ino->ctime = dir->mtime;
    return 0;
}

uint32_t fs_prepare_mode(const struct inode *dir, uint32_t mode, uint32_t umask)
{
    if ((mode & (S_ISGID | 0010)) == (S_ISGID | 0010) && (mode & S_IFMT) != S_IFDIR && (dir->mode & S_ISGID) &&
        !fs_in_group(dir->gid) && !cred_inode_capable(fs_cred, dir, CAP_FSETID))
        mode &= ~(uint32_t)S_ISGID; /* not the creator's group to give: Linux's mode_strip_sgid */
    return acl_inherits(dir) ? mode : mode & ~(umask & 0777); /* a default ACL rules instead (acl_create) */
}

int fs_create(struct inode *dir, const char *name, uint32_t mode, struct inode **out)
{
    if ((dir->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    if (name && fs_dir_find(dir, name, strlen(name)))
        return -LINUX_EEXIST;
    if (name && strlen(name) > 255)
        return -LINUX_ENAMETOOLONG;
    int r;
    struct inode *i = inode_new(dir->fs, mode, &r);
    if (!i)
        return r;
    /* its owner is the caller; its group the caller's, or in a set-group-ID
     * directory the directory's, which a new directory inherits too (on a
     * grpid mount, the directory's always, and not the set-group-ID bit) */
    i->uid = fs_cred->fsuid, i->gid = fs_cred->fsgid;
    if (dir->fs->grpid)
        i->gid = dir->gid;
    if (dir->mode & S_ISGID) {
        i->gid = dir->gid;
        if ((mode & S_IFMT) == S_IFDIR && !dir->fs->grpid)
            i->mode |= S_ISGID;
        else
            i->mode = fs_prepare_mode(dir, i->mode, 0);
    }
    i->iflags = fs_iflags_inherited(dir, mode);
    if ((r = acl_create(dir, i)) < 0) /* the directory's default ACL */
        return inode_free(i), r;
    if (!name) /* O_TMPFILE's: no name yet */
        return i->nlink = 0, *out = i, 0;
    if ((mode & S_IFMT) == S_IFDIR)
        i->nlink = 2, i->size = 2 * DIRENT_SIZE; /* "." and ".." */
    if ((dir->fs->ops && dir->fs->ops->new_inode && (r = dir->fs->ops->new_inode(i)) < 0) ||
        (r = dir_add(dir, name, i)) < 0) {
        inode_free(i);
        return r;
    }
    *out = i;
    fsnotify_dirent(dir, name, i, IN_CREATE);
    return 0;
}

/* unlink and rmdir; quiet: a rename's replaced entry, whose events
 * fsnotify_move gives */
static int unlink_entry(struct inode *dir, const char *name, bool rmdir, bool quiet)
{
    for (struct dirent_node **pd = &dir->children; *pd; pd = &(*pd)->next) {
        struct dirent_node *d = *pd;
        if (strcmp(d->name, name) != 0)
            continue;
        bool isdir = (d->inode->mode & S_IFMT) == S_IFDIR;
        if (rmdir && !isdir)
            return -LINUX_ENOTDIR;
        if (!rmdir && isdir)
            return -LINUX_EISDIR;
        struct inode *seen = fs_mounted(d->inode); /* a mountpoint: the root mounted there */
        if (d->inode->mounted_on && !quiet)
            return -LINUX_EBUSY; /* Linux's is_local_mountpoint */
        if (isdir && seen->children)
            return -LINUX_ENOTEMPTY;
        *pd = d->next;
        if (d->inode->entry_dir == dir)
            d->inode->entry_dir = NULL; /* another link's directory is not known: fs_name_of searches */
        dir->size -= DIRENT_SIZE;
        if (isdir)
            dir->nlink--, seen->nlink = 0;
        if (!isdir && d->inode->nlink > 1)
            d->inode->fs->inodes_used--; /* the link's share (fs_link) */
        if (--d->inode->nlink == 0 || isdir)
            d->inode->nlink = 0;
        fs_modified(dir);
        d->inode->ctime = dir->mtime;
        if (!quiet && !isdir)
            fsnotify_self(d->inode, IN_ATTRIB); /* its link count */
        fs_release(d->inode);
        if (!quiet)
            fsnotify_dirent(dir, d->name, d->inode, IN_DELETE);
        free(d->name);
        free(d);
        return 0;
    }
    return -LINUX_ENOENT;
}

int fs_unlink(struct inode *dir, const char *name, bool rmdir) { return unlink_entry(dir, name, rmdir, false); }

/* Finds the directory entry for name in dir, or NULL. */
static struct dirent_node **entry(struct inode *dir, const char *name)
{
    for (struct dirent_node **pd = &dir->children; *pd; pd = &(*pd)->next)
        if (strcmp((*pd)->name, name) == 0)
            return pd;
    return NULL;
}

void fs_hide(struct inode *dir, const char *name)
{
    for (struct dirent_node *d = dir->children; d; d = d->next)
        if (strcmp(d->name, name) == 0)
            d->hidden = true;
}

int fs_link(struct inode *dir, const char *name, struct inode *ino)
{
    if ((ino->mode & S_IFMT) == S_IFDIR)
        return -LINUX_EPERM;
    if (ino->fs != dir->fs)
        return -LINUX_EXDEV;
    if (fs_dir_find(dir, name, strlen(name)))
        return -LINUX_EEXIST;
    /* a name more holds an inode's share too, but an O_TMPFILE's first
     * (nlink 0) has it already (shmem_link) */
    int r = ino->nlink ? inode_reserve(ino->fs) : 0;
    if (r == 0 && (r = dir_add(dir, name, ino)) < 0 && ino->nlink)
        ino->fs->inodes_used--;
    if (r == 0) {
        ino->nlink++;
        fsnotify_self(ino, IN_ATTRIB);
        fsnotify_dirent(dir, name, ino, IN_CREATE);
    }
    return r;
}

int fs_rename(struct inode *odir, const char *oname, struct inode *ndir, const char *nname)
{
    struct dirent_node **po = entry(odir, oname), **pn;
    if (!po)
        return -LINUX_ENOENT;
    if (odir->fs != ndir->fs)
        return -LINUX_EXDEV;
    struct inode *ino = (*po)->inode;
    bool isdir = (ino->mode & S_IFMT) == S_IFDIR;
    if (ino->mounted_on || ((pn = entry(ndir, nname)) && (*pn)->inode->mounted_on))
        return -LINUX_EBUSY; /* a mountpoint stays where it is */
    for (struct inode *d = ndir; isdir && d; d = d->parent)
        if (d == ino)
            return -LINUX_EINVAL; /* into itself */
    if ((pn = entry(ndir, nname))) {
        struct inode *old = (*pn)->inode;
        if (old == ino)
            return 0;
        bool olddir = (old->mode & S_IFMT) == S_IFDIR;
        if (isdir != olddir)
            return isdir ? -LINUX_ENOTDIR : -LINUX_EISDIR;
        if (olddir && fs_mounted(old)->children)
            return -LINUX_ENOTEMPTY;
        fsnotify_move(odir, oname, ndir, nname, ino, old); /* before the replaced entry's IN_DELETE_SELF */
        int r = unlink_entry(ndir, nname, olddir, true);
        if (r < 0)
            return r;
        po = entry(odir, oname);
    } else {
        fsnotify_move(odir, oname, ndir, nname, ino, NULL);
    }
    struct dirent_node *d = *po;
    char *copy = strdup(nname);
    if (!copy)
        return -LINUX_ENOMEM;
    *po = d->next;
    if (ino->entry_dir == odir)
        ino->entry_dir = NULL;
    odir->size -= DIRENT_SIZE;
    if (isdir)
        odir->nlink--;
    fs_modified(odir);
    free(d->name);
    free(d);
    int r = dir_add(ndir, copy, ino);
    free(copy);
    return r;
}

int fs_exchange(struct inode *odir, const char *oname, struct inode *ndir, const char *nname)
{
    struct dirent_node **po = entry(odir, oname), **pn = entry(ndir, nname);
    if (!po || !pn)
        return -LINUX_ENOENT;
    if (odir->fs != ndir->fs)
        return -LINUX_EXDEV;
    struct inode *a = (*po)->inode, *b = (*pn)->inode;
    if (a == b)
        return 0;
    bool adir = (a->mode & S_IFMT) == S_IFDIR, bdir = (b->mode & S_IFMT) == S_IFDIR;
    for (struct inode *d = ndir; adir && d; d = d->parent)
        if (d == a)
            return -LINUX_EINVAL;
    for (struct inode *d = odir; bdir && d; d = d->parent)
        if (d == b)
            return -LINUX_EINVAL;
    (*po)->inode = b, (*pn)->inode = a;
    a->entry_dir = ndir, b->entry_dir = odir;
    if (adir)
        a->parent = ndir, fs_mounted(a)->parent = ndir;
    if (bdir)
        b->parent = odir, fs_mounted(b)->parent = odir;
    if (odir != ndir && adir != bdir) { /* a subdirectory's ".." moves from one parent to the other */
        (adir ? odir : ndir)->nlink--;
        (adir ? ndir : odir)->nlink++;
    }
    fs_modified(odir);
    fs_modified(ndir);
    a->ctime = b->ctime = ndir->mtime;
    return 0;
}

/* A file's contents go when it has no name and no open file; the inode
 * waits on the orphan list until fs_sweep finds nothing pointing at it (a
 * mapping's /proc/<pid>/maps line, a removed working directory). */
static struct inode *orphans;
bool fs_sweep_wanted;

void fs_release(struct inode *ino)
{
    if (ino->nlink || ino->refs || ino->orphaned)
        return;
    fsnotify_gone(ino);
    ino->fs->iops->drop(ino);
    ino->size = 0;
    ino->orphaned = true;
    ino->orphan_next = orphans;
    orphans = ino;
    fs_sweep_wanted = true;
}

void fs_forget(struct fs *fs)
{
    if (fs->root->children) /* a tree too deep for clear_tree */
        return;
    fs->gone = true;
    fs->root->nlink = 0;
    fs->root->refs--; /* the hold it had for good (fs_new_empty_root) */
    fs_release(fs->root);
}

void fs_sweep(bool (*pinned)(const struct inode *))
{
    fs_sweep_wanted = false;
    for (struct inode **pi = &orphans, *i; (i = *pi);) {
        if (i->refs || pinned(i)) { /* reopened since (through a working directory), or still pointed at */
            pi = &i->orphan_next;
            continue;
        }
        *pi = i->orphan_next;
        fsnotify_gone(i); /* a watch made since it went (a removed working directory's), as Linux's last dput */
        free(i->anon_name);
        inode_free(i);
    }
}

/* Walks path from start; the last component is resolved only if follow
 * or it is not a symlink.  depth counts symlinks followed; dir_out (if not
 * NULL) gets the directory the final entry was found in. */
struct fs_walk_limits fs_walk_limits;

/* Whether following symlink ino is one openat2's limits forbid: ELOOP for
 * any with RESOLVE_NO_SYMLINKS, and for /proc's "magic" ones (a process's
 * fd/N, exe, cwd, root: all its links but self and thread-self) with
 * RESOLVE_NO_MAGICLINKS. */
static int limit_link(const struct inode *dir, const struct inode *ino)
{
    uint64_t r = fs_walk_limits.resolve;
    bool magic = ino->fs->magic == PROC_SUPER_MAGIC && dir != ino->fs->root;
    return (r & RESOLVE_NO_SYMLINKS) || ((r & RESOLVE_NO_MAGICLINKS) && magic) ? -LINUX_ELOOP : 0;
}

struct fs_walk_mount fs_walk_mount;
bool fs_walk_keeps_expiry;
struct fs_walk_start fs_walk_start;

/* The mount a walk from ino (not the root) starts in: the one the call's
 * start was reached through, if known and it still holds ino, or a guess. */
static struct fs_walk_mount start_mount(struct inode *ino)
{
    struct mount *m = fs_walk_start.ino == ino && fs_walk_start.mnt_id ? fs_mount_by_id(fs_walk_start.mnt_id) : NULL;
    return m && fs_mount_holds(m, ino) ? (struct fs_walk_mount){ino->fs, m->flags, m} : fs_mount_guess(ino);
}

/* The mount a walk sees at the root directory (of the process). */
static struct fs_walk_mount mount_seen(struct inode *root)
{
    struct mount *m = fs_mount_at(root);
    return m ? (struct fs_walk_mount){root->fs, m->flags, m} : fs_mount_guess(root);
}

/* A walk of path from start, seen through the mount *mnt (start's; NULL:
 * not known), which becomes the result's (fs_walk_mount). */
static int walk(struct inode *start, const char *path, bool follow, int depth, struct inode **out,
                struct inode **dir_out, const struct fs_walk_mount *mnt)
{
    struct inode *cur = path[0] == '/' ? walk_root() : start, *dir = NULL;
    struct fs_walk_mount m = path[0] == '/' ? mount_seen(cur) : mnt ? *mnt : start_mount(cur);
    const char *p = path;
    if (!*p)
        return -LINUX_ENOENT;
    if (fs_walk_limits.resolve && path[0] == '/' &&
        ((fs_walk_limits.resolve & RESOLVE_BENEATH) || ((fs_walk_limits.resolve & RESOLVE_NO_XDEV) && cur->fs != start->fs)))
        return -LINUX_EXDEV; /* the jump to the root leaves the directory, or its file system */
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        if ((cur->mode & S_IFMT) != S_IFDIR)
            return -LINUX_ENOTDIR;
        int searchable = fs_permission(cur, MAY_EXEC); /* search, before the name is looked for */
        if (searchable < 0)
            return searchable; /* EACCES; ESRCH in a gone process's /proc directory */
        if (e - p > 255)
            return -LINUX_ENAMETOOLONG;
        bool dotdot = e - p == 2 && p[0] == '.' && p[1] == '.';
        if (dotdot && cur == fs_walk_limits.beneath && (fs_walk_limits.resolve & RESOLVE_BENEATH))
            return -LINUX_EXDEV;
        if (cur->fs->ops && cur->fs->ops->lookup && !dotdot && (e - p != 1 || *p != '.'))
            cur->fs->ops->lookup(cur->fs, cur, p, (size_t)(e - p)); /* /proc writes the entry named, alone */
        struct inode *next = fs_dir_find(cur, p, (size_t)(e - p));
        if (!next)
            return -LINUX_ENOENT;
        /* a mountpoint: on at the root of what is mounted there, as seen from the mount the walk is in */
        struct mount *in = next->mounted_on ? fs_mount_on_from(next, m.mount) : NULL;
        if (in) { /* into the mount there */
            next = in->root;
            m = (struct fs_walk_mount){next->fs, in->flags, in};
        } else if (dotdot && (!m.mount || cur == m.mount->root)) { /* out of a mount's root, up to the one it is on */
            struct mount *up = m.mount ? fs_mount_by_id(m.mount->parent) : NULL;
            m = up && fs_mount_holds(up, next) ? (struct fs_walk_mount){next->fs, up->flags, up} : fs_mount_guess(next);
        }
        if ((fs_walk_limits.resolve & RESOLVE_NO_XDEV) && next->fs != cur->fs)
            return -LINUX_EXDEV;
        bool last = !*e || !e[strspn(e, "/")];
        if ((next->mode & S_IFMT) == S_IFLNK && (!last || follow || *e == '/')) {
            if (depth >= 40)
                return -LINUX_ELOOP;
            int limited = fs_walk_limits.resolve ? limit_link(cur, next) : 0;
            if (limited < 0 || (limited = fs_may_follow(cur, next)) < 0)
                return limited;
            if (next->fs->magic == PROC_SUPER_MAGIC && next->rdev == PROC_CHECKPOINT_LINK && !cred_checkpointer(fs_cred))
                return -LINUX_EPERM;
            struct inode *target;
            int err;
            if (ns_follow(next, &target, &err)) { /* /proc/<pid>/ns/<kind>: to the namespace's nsfs file */
                if (err < 0)
                    return err;
                if (fs_walk_limits.resolve & (RESOLVE_NO_XDEV | RESOLVE_BENEATH))
                    return -LINUX_EXDEV; /* a jump to another mount, not safe for a scoped walk (nd_jump_link) */
                cur = target, dir = NULL, p = e, m = (struct fs_walk_mount){target->fs, 0, NULL};
                continue;
            }
            char link[PATH_MAX_LEN];
            size_t n = next->size < sizeof link - 1 ? next->size : sizeof link - 1;
            memcpy(link, next->data, n);
            link[n] = '\0';
            struct inode *in;
            int r = walk(cur, link, true, depth + 1, &target, &in, &m);
            if (r < 0)
                return r;
            next = target;
            dir = in;
            m = fs_walk_mount;
        } else {
            dir = cur;
        }
        cur = next;
        p = e;
    }
    if (p[-1] == '/' && p - 1 > path && (cur->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR; /* "name/" must be a directory's */
    *out = cur;
    if (dir_out)
        *dir_out = dir;
    fs_walk_mount = m;
    struct mount *marked = m.mount && m.mount->expiry_mark && !fs_walk_keeps_expiry ? fs_mount_by_id(m.mount->id) : NULL;
    if (marked)
        marked->expiry_mark = false; /* used since: MNT_EXPIRE starts again (Linux's mntput) */
    return 0;
}

int fs_lookup(struct inode *cwd, const char *path, bool follow, struct inode **out)
{
    return walk(cwd, path, follow, 0, out, NULL, NULL);
}

int fs_lookup_in(struct inode *cwd, const char *path, struct inode **out, struct inode **dir)
{
    return walk(cwd, path, true, 0, out, dir, NULL);
}

int fs_lookup_parent(struct inode *cwd, char *path, struct inode **dir, const char **name)
{
    size_t n = strlen(path);
    if (n == 0)
        return -LINUX_ENOENT;
    while (n > 1 && path[n - 1] == '/')
        path[--n] = '\0';
    char *slash = strrchr(path, '/');
    *name = slash ? slash + 1 : path;
    if (!slash)
        fs_walk_mount = start_mount(*dir = cwd);
    else if (slash == path)
        fs_walk_mount = mount_seen(*dir = walk_root());
    else {
        *slash = '\0'; /* the path is split in place: dir part, then name */
        int r = walk(cwd, path, true, 0, dir, NULL, NULL);
        if (r < 0)
            return r;
    }
    if (((*dir)->mode & S_IFMT) != S_IFDIR || strlen(*name) > 255) /* the last name's length: its lookup's */
        return ((*dir)->mode & S_IFMT) != S_IFDIR ? -LINUX_ENOTDIR : -LINUX_ENAMETOOLONG;
    const struct fs_ops *ops = (*dir)->fs->ops;
    if (ops && ops->lookup && strcmp(*name, ".") && strcmp(*name, ".."))
        ops->lookup((*dir)->fs, *dir, *name, strlen(*name)); /* the caller looks it up itself */
    return 0;
}

uint64_t fs_inodes_live(void) { return live_inodes; }

void fs_init(void)
{
    int err;
    root = rootfs.root = inode_new(&rootfs, S_IFDIR | 0755, &err);
    root->nlink = 2;
    struct inode *dev, *tmp;
    fs_create(root, "dev", S_IFDIR | 0755, &dev); /* dev.c puts the device nodes there */
    fs_create(root, "tmp", S_IFDIR | 01777, &tmp);
    fs_mount_add(NULL, root, &rootfs, "tmpfs", 0);
}

/* ---- contents, through the inode's file system ---- */

size_t fs_read(const struct inode *ino, uint64_t off, void *buf, size_t n)
{
    return ino->fs->iops->read(ino, off, buf, n);
}

int fs_write(struct inode *ino, uint64_t off, const void *buf, size_t n)
{
    return ino->fs->iops->write(ino, off, buf, n);
}

int fs_truncate(struct inode *ino, uint64_t size) { return ino->fs->iops->truncate(ino, size); }
const char *fs_page(const struct inode *ino, uint64_t index) { return ino->fs->iops->page(ino, index); }
char *fs_whole_page(struct inode *ino, uint64_t index, bool create) { return ino->fs->iops->whole_page(ino, index, create); }

bool fs_sb_flag(const char *key)
{
    static const char *const names[] = {"dirsync", "lazytime", "mand", "sync", "async", "nolazytime", "nomand"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(key, names[i]))
            return true;
    return false;
}

int64_t fs_seek_data(const struct inode *ino, uint64_t off, bool hole)
{
    return ino->fs->iops->seek_data(ino, off, hole);
}

int fs_set_link(struct inode *ino, const char *target, size_t n) { return ino->fs->iops->set_link(ino, target, n); }

void fs_statfs(struct fs *fs, struct linux_statfs *s)
{
    s->type = (int64_t)fs->magic;
    if (fs->rdonly)
        s->flags |= ST_RDONLY;
    if (fs->ops && fs->ops->statfs)
        fs->ops->statfs(fs, s);
}
