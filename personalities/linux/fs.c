/*
 * personalities/linux/fs.c - the root file system: an in-memory tree (a
 * tmpfs) filled at boot from cpio "newc" archives (the initramfs, then an
 * optional overlay), with /dev's character devices.  A file's data is in
 * pages, holes taking none (sparse files).  Paths resolve with
 * ".", ".." and symlinks (at most 40 links).
 */
#include "linux.h"
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static struct inode *root;
static uint64_t next_ino = 1, live_inodes;

static struct inode *inode_new(uint32_t mode)
{
    struct inode *i = calloc(1, sizeof *i);
    if (!i)
        return NULL;
    i->mode = mode;
    i->nlink = 1;
    i->fs = FS_ROOT;
    i->ino = next_ino++;
    live_inodes++;
    i->atime = i->mtime = i->ctime = realtime_ns();
    return i;
}

struct inode *fs_root(void) { return root; }

struct inode *fs_dir_find(struct inode *dir, const char *name, size_t len)
{
    if (len == 1 && name[0] == '.')
        return dir;
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return dir->parent ? dir->parent : dir;
    for (struct dirent_node *d = dir->children; d; d = d->next)
        if (d->name[0] == name[0] && strlen(d->name) == len && memcmp(d->name, name, len) == 0)
            return d->inode; /* the first byte first: most names differ there */
    return NULL;
}

/* A change of contents: the modification and change times are now. */
static void modified(struct inode *i) { i->mtime = i->ctime = realtime_ns(); }

static int dir_add(struct inode *dir, const char *name, struct inode *ino)
{
    if (!dir->nlink)
        return -LINUX_ENOENT; /* a removed directory takes no new entries, as Linux */
    struct dirent_node *d = calloc(1, sizeof *d), **tail = &dir->children;
    if (!d || !(d->name = strdup(name))) {
        free(d);
        return -LINUX_ENOMEM;
    }
    d->inode = ino;
    while (*tail) /* keep creation order, like a fresh tmpfs listing */
        tail = &(*tail)->next;
    *tail = d;
    if ((ino->mode & S_IFMT) == S_IFDIR) {
        ino->parent = dir;
        dir->nlink++;
    }
    modified(dir);
    ino->ctime = dir->mtime;
    return 0;
}

int fs_create(struct inode *dir, const char *name, uint32_t mode, struct inode **out)
{
    if ((dir->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    if (fs_dir_find(dir, name, strlen(name)))
        return -LINUX_EEXIST;
    if (strlen(name) > 255)
        return -LINUX_ENAMETOOLONG;
    struct inode *i = inode_new(mode);
    if (!i)
        return -LINUX_ENOMEM;
    if ((mode & S_IFMT) == S_IFDIR)
        i->nlink = 2;
    i->fs = dir->fs;
    int r = dir_add(dir, name, i);
    if (r < 0) {
        free(i);
        live_inodes--;
        return r;
    }
    *out = i;
    return 0;
}

int fs_unlink(struct inode *dir, const char *name, bool rmdir)
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
        if (isdir && d->inode->children)
            return -LINUX_ENOTEMPTY;
        *pd = d->next;
        if (isdir)
            dir->nlink--;
        if (--d->inode->nlink == 0 || isdir)
            d->inode->nlink = 0;
        modified(dir);
        d->inode->ctime = dir->mtime;
        fs_release(d->inode);
        free(d->name);
        free(d);
        return 0;
    }
    return -LINUX_ENOENT;
}

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
    int r = dir_add(dir, name, ino);
    if (r == 0)
        ino->nlink++;
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
        int r = fs_unlink(ndir, nname, olddir);
        if (r < 0)
            return r;
        po = entry(odir, oname);
    }
    struct dirent_node *d = *po;
    char *copy = strdup(nname);
    if (!copy)
        return -LINUX_ENOMEM;
    *po = d->next;
    if (isdir)
        odir->nlink--;
    modified(odir);
    free(d->name);
    free(d);
    int r = dir_add(ndir, copy, ino);
    free(copy);
    return r;
}

/* ---- a regular file's pages ----
 * A tree of 512-way nodes, as tall as the highest page written needs:
 * height h holds pages 0 .. 512^h - 1; at height 0, pages is page 0
 * itself.  An empty slot is a hole.  Most files are small (all of /proc's
 * are), so a file of page 0 alone keeps that page as long as its data (in
 * 64-byte steps, cap0), and makes it whole once the file needs more. */
#define PAGE_SZ 4096
#define FANOUT 512

static uint64_t span(int height) { return height >= 6 ? UINT64_MAX : 1ull << (9 * height); } /* 512^6 > 2^51 */

/* Makes a short page 0 (height 0) hold len bytes, the new ones zero. */
static int page0_grow(struct inode *ino, uint64_t len)
{
    if (ino->height || !ino->pages || len <= ino->cap0)
        return 0;
    len = len >= PAGE_SZ ? PAGE_SZ : (len + 63) & ~63ull;
    char *p = realloc(ino->pages, len);
    if (!p)
        return -LINUX_ENOMEM;
    memset(p + ino->cap0, 0, len - ino->cap0);
    ino->pages = p;
    ino->cap0 = (uint32_t)len;
    return 0;
}

/* The slot of page index, made (with the nodes above it) if create;
 * NULL if absent, or out of memory. */
static void **page_slot(struct inode *ino, uint64_t index, bool create)
{
    if (index >= span(ino->height)) {
        if (!create || page0_grow(ino, PAGE_SZ) < 0) /* page 0 below a node is a whole page */
            return NULL;
        while (index >= span(ino->height)) {
            if (ino->pages) { /* the tree so far becomes the first child of a new root */
                void **top = calloc(FANOUT, sizeof *top);
                if (!top)
                    return NULL;
                top[0] = ino->pages;
                ino->pages = top;
            }
            ino->height++;
        }
    }
    void **slot = &ino->pages;
    for (int level = ino->height; level > 0; level--) {
        if (!*slot && !(create && (*slot = calloc(FANOUT, sizeof(void *)))))
            return NULL;
        slot = &((void **)*slot)[(index / span(level - 1)) % FANOUT];
    }
    return slot;
}

const char *fs_page(const struct inode *ino, uint64_t index)
{
    void **slot = page_slot((struct inode *)ino, index, false);
    return slot ? *slot : NULL;
}

/* Frees the pages at and past index first in the subtree at *slot
 * (height level, its first page base), and the nodes left empty. */
static void prune(struct inode *ino, void **slot, int level, uint64_t base, uint64_t first)
{
    if (!*slot || (level < 6 && base + span(level) <= first))
        return;
    if (level == 0) {
        free(*slot);
        *slot = NULL;
        ino->npages--;
        return;
    }
    void **node = *slot;
    for (uint64_t i = 0; i < FANOUT; i++)
        prune(ino, &node[i], level - 1, base + i * span(level - 1), first);
    if (base >= first) {
        free(node);
        *slot = NULL;
    }
}

/* The first page at or after index that is present (or, if hole, absent)
 * in the subtree at node; UINT64_MAX if none. */
static uint64_t find_page(void *node, int level, uint64_t base, uint64_t index, bool hole)
{
    if (level < 6 && index >= base + span(level))
        return UINT64_MAX;
    if (!node)
        return hole ? (index > base ? index : base) : UINT64_MAX;
    if (level == 0)
        return hole ? UINT64_MAX : base;
    for (uint64_t i = index > base ? (index - base) / span(level - 1) : 0; i < FANOUT; i++) {
        uint64_t r = find_page(((void **)node)[i], level - 1, base + i * span(level - 1), index, hole);
        if (r != UINT64_MAX)
            return r;
    }
    return UINT64_MAX;
}

int64_t fs_seek_data(const struct inode *ino, uint64_t off, bool hole)
{
    if (off >= ino->size)
        return -LINUX_ENXIO;
    uint64_t page = off / PAGE_SZ, found = find_page(ino->pages, ino->height, 0, page, hole);
    if (hole && found == UINT64_MAX) /* none in the tree from there on: the holes past its end */
        found = page > span(ino->height) ? page : span(ino->height);
    uint64_t at = found == UINT64_MAX ? UINT64_MAX : found == page ? off : found * PAGE_SZ;
    if (hole)
        return (int64_t)(at < ino->size ? at : ino->size); /* the end of the file is a hole */
    return at < ino->size ? (int64_t)at : -LINUX_ENXIO;
}

int fs_write(struct inode *ino, uint64_t off, const void *buf, size_t n)
{
    if (ino->exec_mapped)
        mm_file_changing(ino);
    if (n > UINT64_MAX - off)
        return -LINUX_EFBIG;
    for (size_t done = 0; done < n;) {
        uint64_t at = off + done, in = at % PAGE_SZ, k = n - done < PAGE_SZ - in ? n - done : PAGE_SZ - in;
        void **slot = page_slot(ino, at / PAGE_SZ, true);
        bool short0 = slot == &ino->pages; /* page 0, alone: as long as needed */
        if (slot && !*slot && (*slot = calloc(1, short0 ? 64 : PAGE_SZ)))
            ino->npages++, ino->cap0 = short0 ? 64 : 0;
        if (slot && short0 && page0_grow(ino, in + k) < 0)
            slot = NULL;
        if (!slot || !*slot) {
            if (!done)
                return -LINUX_ENOMEM;
            n = done; /* as much as fitted */
            break;
        }
        memcpy((char *)*slot + in, (const char *)buf + done, k);
        done += k;
    }
    if (off + n > ino->size)
        ino->size = off + n;
    modified(ino);
    return (int)n;
}

size_t fs_read(const struct inode *ino, uint64_t off, void *buf, size_t n)
{
    if (off >= ino->size)
        return 0;
    n = ino->size - off < n ? ino->size - off : n;
    for (size_t done = 0; done < n;) {
        uint64_t at = off + done, in = at % PAGE_SZ, k = n - done < PAGE_SZ - in ? n - done : PAGE_SZ - in;
        const char *page = fs_page(ino, at / PAGE_SZ);
        if (page)
            memcpy((char *)buf + done, page + in, k);
        else
            memset((char *)buf + done, 0, k);
        done += k;
    }
    return n;
}

int fs_set_link(struct inode *ino, const char *target, size_t n)
{
    char *t = malloc(n ? n : 1);
    if (!t)
        return -LINUX_ENOMEM;
    memcpy(t, target, n);
    free(ino->data);
    ino->data = t;
    ino->size = n;
    modified(ino);
    return 0;
}

/* A file's contents go when it has no name and no open file; the inode
 * waits on the orphan list until fs_sweep finds nothing pointing at it (a
 * mapping's /proc/<pid>/maps line, a removed working directory). */
static struct inode *orphans;

static void drop_data(struct inode *ino)
{
    if (ino->exec_mapped)
        mm_file_changing(ino);
    prune(ino, &ino->pages, ino->height, 0, 0);
    ino->height = 0;
    free(ino->data);
    ino->data = NULL;
}
bool fs_sweep_wanted;

void fs_release(struct inode *ino)
{
    if (ino->nlink || ino->refs || ino->orphaned)
        return;
    drop_data(ino);
    ino->size = 0;
    ino->orphaned = true;
    ino->orphan_next = orphans;
    orphans = ino;
    fs_sweep_wanted = true;
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
        free(i);
        live_inodes--;
    }
}

int fs_truncate(struct inode *ino, uint64_t size)
{
    if (ino->exec_mapped)
        mm_file_changing(ino);
    if (size < ino->size) { /* what is cut goes, so that growing again shows zeros */
        prune(ino, &ino->pages, ino->height, 0, (size + PAGE_SZ - 1) / PAGE_SZ);
        void **last = size % PAGE_SZ ? page_slot(ino, size / PAGE_SZ, false) : NULL;
        uint64_t len = last == &ino->pages ? ino->cap0 : PAGE_SZ;
        if (last && *last && len > size % PAGE_SZ)
            memset((char *)*last + size % PAGE_SZ, 0, len - size % PAGE_SZ);
    } else if (page0_grow(ino, size) < 0) { /* a short page 0 reads as long as the file */
        return -LINUX_ENOMEM;
    }
    ino->size = size; /* a file grown is sparse: holes up to its new end */
    modified(ino);
    return 0;
}

/* Walks path from start; the last component is resolved only if follow
 * or it is not a symlink.  depth counts symlinks followed; dir_out (if not
 * NULL) gets the directory the final entry was found in. */
static int walk(struct inode *start, const char *path, bool follow, int depth, struct inode **out,
                struct inode **dir_out)
{
    struct inode *cur = path[0] == '/' ? root : start, *dir = NULL;
    const char *p = path;
    if (!*p)
        return -LINUX_ENOENT;
    if (procfs_is_root(cur) || (cur->parent && procfs_is_root(cur->parent)))
        procfs_refresh(); /* a walk from inside /proc sees it as it is now */
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
        if (e - p > 255)
            return -LINUX_ENAMETOOLONG;
        struct inode *next = fs_dir_find(cur, p, (size_t)(e - p));
        if (next && procfs_is_root(next) && cur != next)
            procfs_refresh(); /* /proc is written when a walk enters it */
        if (!next)
            return -LINUX_ENOENT;
        bool last = !*e || !e[strspn(e, "/")];
        if ((next->mode & S_IFMT) == S_IFLNK && (!last || follow || *e == '/')) {
            if (depth >= 40)
                return -LINUX_ELOOP;
            struct inode *target;
            char link[PATH_MAX_LEN];
            size_t n = next->size < sizeof link - 1 ? next->size : sizeof link - 1;
            memcpy(link, next->data, n);
            link[n] = '\0';
            struct inode *in;
            int r = walk(cur, link, true, depth + 1, &target, &in);
            if (r < 0)
                return r;
            next = target;
            dir = in;
        } else {
            dir = cur;
        }
        cur = next;
        p = e;
    }
    *out = cur;
    if (dir_out)
        *dir_out = dir;
    return 0;
}

int fs_lookup(struct inode *cwd, const char *path, bool follow, struct inode **out)
{
    return walk(cwd, path, follow, 0, out, NULL);
}

int fs_lookup_in(struct inode *cwd, const char *path, struct inode **out, struct inode **dir)
{
    return walk(cwd, path, true, 0, out, dir);
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
        *dir = cwd;
    else if (slash == path)
        *dir = root;
    else {
        *slash = '\0'; /* the path is split in place: dir part, then name */
        int r = walk(cwd, path, true, 0, dir, NULL);
        if (r < 0)
            return r;
    }
    if (((*dir)->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    return 0;
}

int fs_path(struct inode *dir, char *buf, size_t size)
{
    char tmp[PATH_MAX_LEN];
    size_t len = 0;
    tmp[0] = '\0';
    for (struct inode *d = dir; d != root; d = d->parent) {
        struct inode *parent = d->parent;
        if (!parent)
            return -LINUX_ENOENT; /* not a directory, or removed */
        struct dirent_node *e = parent->children;
        while (e && e->inode != d)
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
        struct inode *h;
        if ((d->inode->mode & S_IFMT) == S_IFDIR && d->inode->parent == dir && (h = holder(d->inode, ino, name)))
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
    if ((ino->mode & S_IFMT) == S_IFDIR)
        return fs_path(ino, buf, size);
    const char *name;
    struct dirent_node *e = entry_in(hint, ino);
    struct inode *dir = e ? (name = e->name, hint) : holder(root, ino, &name);
    if (!dir)
        return -LINUX_ENOENT;
    int n = fs_path(dir, buf, size);
    if (n < 0)
        return n;
    int k = snprintf(buf + n - 1, size - (size_t)n + 1, "%s%s", dir == root ? "" : "/", name);
    return k < 0 || (size_t)k >= size - (size_t)n + 1 ? -LINUX_ERANGE : n + k;
}

uint64_t fs_inodes_live(void) { return live_inodes; }

/* ---- cpio newc ---- */

static uint64_t hex(const char *s)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v * 16 + (uint64_t)(s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
    return v;
}

/* Makes the parent directories of path; returns the parent. */
static struct inode *make_parents(char *path, const char **leaf)
{
    struct inode *dir = root;
    char *p = path;
    for (char *slash; (slash = strchr(p, '/')); p = slash + 1) {
        *slash = '\0';
        struct inode *next = *p ? fs_dir_find(dir, p, strlen(p)) : dir;
        if (!next && fs_create(dir, p, S_IFDIR | 0755, &next) < 0)
            return NULL;
        *slash = '/';
        dir = next;
    }
    *leaf = p;
    return dir;
}

int fs_load_cpio(const void *archive, size_t len)
{
    const char *a = archive;
    size_t off = 0;
    while (off + 110 <= len) {
        const char *h = a + off;
        if (memcmp(h, "070701", 6) != 0)
            return -LINUX_EINVAL;
        uint32_t mode = (uint32_t)hex(h + 14), uid = (uint32_t)hex(h + 22), gid = (uint32_t)hex(h + 30);
        uint64_t mtime = hex(h + 46), size = hex(h + 54), namesize = hex(h + 94);
        if (off + 110 + namesize > len)
            return -LINUX_EINVAL;
        char *name = strndup(h + 110, namesize);
        size_t data = (off + 110 + namesize + 3) & ~(size_t)3;
        if (!name || data + size > len) {
            free(name);
            return -LINUX_EINVAL;
        }
        off = (data + size + 3) & ~(size_t)3;
        if (strcmp(name, "TRAILER!!!") == 0) {
            free(name);
            break;
        }
        const char *leaf;
        char *path = name[0] == '.' && name[1] == '/' ? name + 2 : name;
        struct inode *dir = strcmp(path, ".") == 0 ? NULL : make_parents(path, &leaf), *ino;
        if (dir && *leaf) {
            ino = fs_dir_find(dir, leaf, strlen(leaf));
            if (ino && (ino->mode & S_IFMT) != S_IFDIR && (mode & S_IFMT) != S_IFDIR) {
                fs_unlink(dir, leaf, false); /* an overlay replaces the file */
                ino = NULL;
            }
            if (!ino && fs_create(dir, leaf, mode, &ino) < 0) {
                free(name);
                return -LINUX_ENOMEM;
            }
            ino->mode = mode, ino->uid = uid, ino->gid = gid;
            if ((mode & S_IFMT) == S_IFREG)
                fs_write(ino, 0, a + data, size);
            else if ((mode & S_IFMT) == S_IFLNK)
                fs_set_link(ino, a + data, size);
            ino->atime = ino->mtime = ino->ctime = (int64_t)mtime * 1000000000; /* the archive's */
        }
        free(name);
    }
    return 0;
}

int fs_dev_kind(uint32_t rdev)
{
    switch (rdev) {
    case DEVNO_NULL:
        return DEV_NULL;
    case DEVNO_ZERO:
        return DEV_ZERO;
    case DEVNO_RANDOM:
    case DEVNO_URANDOM:
        return DEV_RANDOM;
    case DEVNO_TTY:
    case DEVNO_CONSOLE:
        return DEV_TTY;
    default:
        return DEV_NONE;
    }
}

static void add_dev(struct inode *dev, const char *name, uint32_t rdev, uint32_t perm)
{
    struct inode *i;
    if (fs_create(dev, name, S_IFCHR | perm, &i) == 0)
        i->rdev = rdev, i->dev = fs_dev_kind(rdev);
}

void fs_init(void)
{
    root = inode_new(S_IFDIR | 0755);
    root->nlink = 2;
    struct inode *dev, *tmp;
    fs_create(root, "dev", S_IFDIR | 0755, &dev);
    fs_create(root, "tmp", S_IFDIR | 01777, &tmp);
    add_dev(dev, "null", DEVNO_NULL, 0666);
    add_dev(dev, "zero", DEVNO_ZERO, 0666);
    add_dev(dev, "urandom", DEVNO_URANDOM, 0666);
    add_dev(dev, "random", DEVNO_RANDOM, 0666);
    add_dev(dev, "tty", DEVNO_TTY, 0666);
    add_dev(dev, "console", DEVNO_CONSOLE, 0600);
}
