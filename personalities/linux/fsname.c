/*
 * personalities/linux/fsname.c - the names of inodes: a directory's path
 * from the caller's root (getcwd, /proc's cwd and fd links), and a file's
 * through the directory it was last linked in, or a search of the tree.
 *
 * Entry points: fs.h's fs_path and fs_name_of.  Callers: getcwd, procfs,
 * the tracer, inotify's and fanotify's names.  Layer: the file system (the
 * tree of names is fs.c's).  Book: docs/linux.md, "Files".
 */
#include "fs.h"
#include <stdio.h>
#include <string.h>

int fs_path(struct inode *dir, char *buf, size_t size)
{
    char tmp[PATH_MAX_LEN];
    size_t len = 0;
    tmp[0] = '\0';
    struct inode *root = fs_root(), *top = fs_cred->root ? fs_cred->root : root, *d = dir;
    for (; d != top && d != root; d = d->parent) {
        struct inode *parent = d->parent;
        if (!parent)
            return -LINUX_ENOENT; /* not a directory, or removed */
        const struct inode *named = d == d->fs->root ? d->fs->point : d; /* a mounted root: its mountpoint's name */
        struct dirent_node *e = parent->children;
        while (e && e->inode != named)
            e = e->next;
        if (!e)
            return -LINUX_ENOENT;
        size_t n = strlen(e->name);
        if (len + n + 1 >= sizeof tmp)
            return -LINUX_ENAMETOOLONG;
        memmove(tmp + n + 1, tmp, len + 1);
        tmp[0] = '/';
        memcpy(tmp + 1, e->name, n);
        len += n + 1;
    }
    if (d != top) { /* outside the caller's chroot: Linux's getcwd says so */
        static const char outside[] = "(unreachable)";
        if (len + sizeof outside >= sizeof tmp)
            return -LINUX_ENAMETOOLONG;
        memmove(tmp + sizeof outside - 1, tmp, len + 1);
        memcpy(tmp, outside, sizeof outside - 1);
        len += sizeof outside - 1;
    }
    if (len == 0)
        tmp[len++] = '/', tmp[len] = '\0';
    if (len + 1 > size)
        return -LINUX_ERANGE;
    memcpy(buf, tmp, len + 1);
    return (int)len + 1;
}

/* The directory holding an entry for ino, searched from dir, and the
 * entry's name. */
static struct inode *holder(struct inode *dir, const struct inode *ino, const char **name)
{
    for (struct dirent_node *d = dir->children; d; d = d->next) {
        if (d->inode == ino) {
            *name = d->name;
            return dir;
        }
        struct inode *h, *sub = fs_mounted(d->inode);
        if ((sub->mode & S_IFMT) == S_IFDIR && sub->parent == dir && (h = holder(sub, ino, name)))
            return h;
    }
    return NULL;
}

/* The entry for ino in dir itself, or NULL. */
static struct dirent_node *entry_in(struct inode *dir, const struct inode *ino)
{
    for (struct dirent_node *d = dir ? dir->children : NULL; d; d = d->next)
        if (d->inode == ino)
            return d;
    return NULL;
}

int fs_name_of(struct inode *ino, struct inode *hint, char *buf, size_t size)
{
    if (ino->anon_name) /* a memfd */
        return snprintf(buf, size, "%s", ino->anon_name) < (int)size ? (int)strlen(buf) + 1 : -LINUX_ERANGE;
    if ((ino->mode & S_IFMT) == S_IFDIR)
        return fs_path(ino, buf, size);
    const char *name;
    struct dirent_node *e = entry_in(hint, ino);
    if (!e && ino->entry_dir) /* the directory it was last linked in, if its entry is there still */
        e = entry_in(hint = ino->entry_dir, ino);
    struct inode *root = fs_root(), *dir = e ? (name = e->name, hint) : holder(root, ino, &name);
    if (!dir)
        return -LINUX_ENOENT;
    int n = fs_path(dir, buf, size);
    if (n < 0)
        return n;
    int k = snprintf(buf + n - 1, size - (size_t)n + 1, "%s%s", dir == root ? "" : "/", name);
    return k < 0 || (size_t)k >= size - (size_t)n + 1 ? -LINUX_ERANGE : n + k;
}
