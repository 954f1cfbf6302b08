/*
 * personalities/linux/xattr.c - extended attributes, as Linux's tmpfs
 * keeps them: names in the "user.", "trusted." and "security." namespaces,
 * values of up to 64 KiB, on the inode, gone with it.  The calls come in
 * threes: by path (following a last symlink, and /proc/self/fd/N's magic
 * link to its open file), by path on the symlink itself (l...), and by
 * descriptor (f...).  "system.posix_acl_access" and
 * "system.posix_acl_default" are POSIX ACLs, which acl.c checks and
 * keeps (among the attributes, in their xattr form); other namespaces
 * are EOPNOTSUPP, as are /proc's files, pipes and sockets, whose file
 * systems keep none.  A "user." attribute
 * belongs only to regular files and directories: on anything else it
 * reads as absent and cannot be set (EPERM), as on Linux.
 *
 * Entry points: the calls {,l,f}{set,get,list,remove}xattr.  Layer:
 * above file.h; the attributes live in struct inode (fs.h), and tmpfs
 * frees them with the inode.  Book: docs/linux.md, "Files".
 */
#include "acl.h"
#include "ext2.h"
#include "file.h"
#include "fsnotify.h"
#include "proc.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/xattr.h" /* generated: the handlers' prototypes, entries */

#define XATTR_NAME_MAX 255
#define XATTR_SIZE_MAX 65536
#define XATTR_CREATE 1
#define XATTR_REPLACE 2

/* The inode a call names: by path (following or not its last symlink),
 * or by descriptor; EOPNOTSUPP for a file without one. */
static int target(struct sys_ctx *c, bool by_fd, uint64_t upath_or_fd, bool follow, struct inode **out)
{
    if (!by_fd) {
        uint64_t upath = upath_or_fd;
        static char path[PATH_MAX_LEN];
        int r = mem_str(c->p, upath, path, sizeof path);
        if (r < 0)
            return r;
        if (!path[0])
            return -LINUX_ENOENT;
        int alias = follow ? fd_alias(path) : -1; /* /proc/self/fd/N: through the magic link, to the open file */
        if (alias >= 0 && fd_file(c->p, (uint64_t)alias))
            return target(c, true, (uint64_t)alias, true, out);
        return fs_lookup(c->p->cwd, path, follow, out);
    }
    struct file *f = fd_file(c->p, upath_or_fd);
    if (!f)
        return -LINUX_EBADF;
    if (f->inode) {
        *out = f->inode;
        fs_walk_through(f->inode, f->mnt_id, f->mnt_flags);
        return 0;
    }
    /* A pipe, socket or eventfd: an inode of its file system (pipefs,
     * sockfs, anon_inodefs), which keeps no attributes, with the type its
     * fstat shows, which decides what a "user." name gets. */
    static struct inode anon;
    static struct fs none; /* keeps no attributes */
    struct linux_stat st = {.mode = 0};
    if (f->ops->stat)
        f->ops->stat(f, &st);
    anon = (struct inode){.mode = st.mode, .fs = f->ops->fs ? f->ops->fs : &none};
    *out = &anon;
    return 0;
}

/* Reads and checks an attribute's name (ERANGE when empty or too long, as
 * Linux), and whether ino's file system takes it: 0, -EOPNOTSUPP, or for
 * a "user." name on a file that is neither regular nor a directory -EPERM
 * (writing) or -ENODATA (reading).  *acl: a POSIX ACL name. */
static int attr_name(struct sys_ctx *c, uint64_t uname, char name[XATTR_NAME_MAX + 1], const struct inode *ino,
                     bool write, bool *acl)
{
    int r = mem_str(c->p, uname, name, XATTR_NAME_MAX + 1);
    if (r == -LINUX_ENAMETOOLONG || (r >= 0 && !name[0]))
        return -LINUX_ERANGE;
    if (r < 0)
        return r;
    *acl = !strcmp(name, "system.posix_acl_access") || !strcmp(name, "system.posix_acl_default");
    if (write && (fs_is_immutable(ino) || fs_is_append(ino)))
        return -LINUX_EPERM; /* Linux's xattr_permission, first: an immutable or append-only inode's are fixed */
    uint32_t type = ino->mode & S_IFMT;
    bool user = !strncmp(name, "user.", 5);
    bool trusted = !strncmp(name, "trusted.", 8), security = !strncmp(name, "security.", 9);
    /* Linux's xattr_permission, before the file system's: trusted.* is CAP_SYS_ADMIN's, user.* only on
       regular files and directories (a sticky one's owner's), and but for security.* and system.* the
       file's permission to read or write */
    if (trusted && !cred_capable(fs_cred, CAP_SYS_ADMIN))
        return write ? -LINUX_EPERM : -LINUX_ENODATA;
    if (user && type != S_IFREG && type != S_IFDIR)
        return write ? -LINUX_EPERM : -LINUX_ENODATA;
    if (user && write && type == S_IFDIR && (ino->mode & S_ISVTX) && !fs_owner(ino))
        return -LINUX_EPERM;
    if (!security && strncmp(name, "system.", 7) && (r = fs_permission(ino, write ? MAY_WRITE : MAY_READ)) < 0)
        return r;
    if (!ino->fs->xattrs)
        return -LINUX_EOPNOTSUPP;
    if (*acl)
        return 0; /* the ACL handlers' (acl.c) */
    if (!strcmp(name, "user.") || !strcmp(name, "trusted.") || !strcmp(name, "security."))
        return -LINUX_EINVAL; /* a namespace with no name in it */
    return user || trusted || security ? 0 : -LINUX_EOPNOTSUPP;
}

static struct xattr **find(struct inode *ino, const char *name)
{
    struct xattr **px = &ino->xattrs;
    while (*px && strcmp((*px)->name, name) != 0)
        px = &(*px)->next;
    return px;
}

static int64_t set(struct sys_ctx *c, struct inode *ino, uint64_t uname, uint64_t uvalue, uint64_t size, int flags)
{
    char name[XATTR_NAME_MAX + 1];
    bool acl;
    if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
        return -LINUX_EINVAL;
    if (fs_want_write(ino) < 0) /* a read-only mount's, before any check of the name (Linux's mnt_want_write) */
        return -LINUX_EROFS;
    int r = attr_name(c, uname, name, ino, true, &acl);
    if (r < 0)
        return r;
    if (size > XATTR_SIZE_MAX)
        return -LINUX_E2BIG;
    void *value = malloc(size ? size : 1);
    if (!value)
        return -LINUX_ENOMEM;
    if (size && mem_in(c->p, value, uvalue, size) < 0) {
        free(value);
        return -LINUX_EFAULT;
    }
    if (acl) /* XATTR_CREATE and XATTR_REPLACE mean nothing to an ACL (Linux's posix_acl_xattr_set) */
        return acl_set(fs_cred->userns, ino, acl_type_of(name), size ? value : (free(value), NULL), size);
    struct xattr **px = find(ino, name), *x = *px;
    if ((x && (flags & XATTR_CREATE)) || (!x && (flags & XATTR_REPLACE))) {
        free(value);
        return x ? -LINUX_EEXIST : -LINUX_ENODATA;
    }
    int room = ino->fs->ops && ino->fs->ops->xattr_room ? ino->fs->ops->xattr_room(ino, name, size, x) : 0;
    if (room < 0) { /* no room on an ext2 file */
        free(value);
        return room;
    }
    if (!x) {
        x = calloc(1, sizeof *x);
        if (!x || !(x->name = strdup(name))) {
            free(x), free(value);
            return -LINUX_ENOMEM;
        }
        *px = x;
    }
    free(x->value);
    x->value = value;
    x->size = size;
    x->in_block = room == 1;
    ino->ctime = realtime_ns();
    fsnotify_change(ino, IN_ATTRIB);
    return 0;
}

static int64_t get(struct sys_ctx *c, struct inode *ino, uint64_t uname, uint64_t uvalue, uint64_t size)
{
    char name[XATTR_NAME_MAX + 1];
    bool acl;
    int r = attr_name(c, uname, name, ino, false, &acl);
    if (r < 0)
        return r;
    const void *value;
    int64_t len;
    if (acl) {
        if ((len = acl_get(fs_cred->userns, ino, acl_type_of(name), &value)) < 0)
            return len;
    } else {
        struct xattr *x = *find(ino, name);
        if (!x)
            return -LINUX_ENODATA;
        value = x->value, len = (int64_t)x->size;
    }
    if (size && size < (uint64_t)len)
        return -LINUX_ERANGE;
    if (size && len && mem_out(c->p, uvalue, value, (size_t)len) < 0)
        return -LINUX_EFAULT;
    return len;
}

/* The names, each with its NUL, into ulist (size 0: only the length). */
static int64_t list(struct sys_ctx *c, struct inode *ino, uint64_t ulist, uint64_t size)
{
    if (!ino->fs->xattrs)
        return 0; /* Linux lists nothing on a file system without attributes */
    if (ino->fs->magic == EXT2_SUPER_MAGIC)
        ext2_xattr_order(ino);
    uint64_t total = 0;
    bool trusted = cred_capable(fs_cred, CAP_SYS_ADMIN); /* trusted.* names are listed to CAP_SYS_ADMIN alone */
    for (struct xattr *x = ino->xattrs; x; x = x->next)
        total += trusted || strncmp(x->name, "trusted.", 8) ? strlen(x->name) + 1 : 0;
    if (!size)
        return (int64_t)total;
    if (size < total)
        return -LINUX_ERANGE;
    uint64_t at = ulist;
    for (struct xattr *x = ino->xattrs; x; x = x->next) {
        size_t n = strlen(x->name) + 1;
        if (!trusted && !strncmp(x->name, "trusted.", 8))
            continue;
        if (mem_out(c->p, at, x->name, n) < 0)
            return -LINUX_EFAULT;
        at += n;
    }
    return (int64_t)total;
}

static int64_t remove_attr(struct sys_ctx *c, struct inode *ino, uint64_t uname)
{
    char name[XATTR_NAME_MAX + 1];
    bool acl;
    if (fs_want_write(ino) < 0)
        return -LINUX_EROFS;
    int r = attr_name(c, uname, name, ino, true, &acl);
    if (r < 0)
        return r;
    if (acl) /* Linux's removexattr of an ACL: setting none (set_posix_acl's checks, no ENODATA) */
        return acl_set(fs_cred->userns, ino, acl_type_of(name), NULL, 0);
    struct xattr **px = find(ino, name), *x = *px;
    if (!x)
        return -LINUX_ENODATA;
    *px = x->next;
    free(x->name), free(x->value), free(x);
    ino->ctime = realtime_ns();
    fsnotify_change(ino, IN_ATTRIB);
    return 0;
}

/* Each call finds its inode, then does its one thing. */
#define WITH_TARGET(by_fd, path_or_fd, follow, call)                                                     \
    do {                                                                                                 \
        struct inode *ino;                                                                               \
        int r_ = target(c, by_fd, path_or_fd, follow, &ino);                                             \
        return r_ < 0 ? r_ : call;                                                                       \
    } while (0)

static int64_t sys_setxattr(struct sys_ctx *c, uint64_t upath, uint64_t uname, uint64_t uvalue, uint64_t size, int flags)
{
    WITH_TARGET(false, upath, true, set(c, ino, uname, uvalue, size, flags));
}
static int64_t sys_lsetxattr(struct sys_ctx *c, uint64_t upath, uint64_t uname, uint64_t uvalue, uint64_t size, int flags)
{
    WITH_TARGET(false, upath, false, set(c, ino, uname, uvalue, size, flags));
}
static int64_t sys_fsetxattr(struct sys_ctx *c, uint64_t fd, uint64_t uname, uint64_t uvalue, uint64_t size, int flags)
{
    WITH_TARGET(true, fd, true, set(c, ino, uname, uvalue, size, flags));
}
static int64_t sys_getxattr(struct sys_ctx *c, uint64_t upath, uint64_t uname, uint64_t uvalue, uint64_t size)
{
    WITH_TARGET(false, upath, true, get(c, ino, uname, uvalue, size));
}
static int64_t sys_lgetxattr(struct sys_ctx *c, uint64_t upath, uint64_t uname, uint64_t uvalue, uint64_t size)
{
    WITH_TARGET(false, upath, false, get(c, ino, uname, uvalue, size));
}
static int64_t sys_fgetxattr(struct sys_ctx *c, uint64_t fd, uint64_t uname, uint64_t uvalue, uint64_t size)
{
    WITH_TARGET(true, fd, true, get(c, ino, uname, uvalue, size));
}
static int64_t sys_listxattr(struct sys_ctx *c, uint64_t upath, uint64_t ulist, uint64_t size)
{
    WITH_TARGET(false, upath, true, list(c, ino, ulist, size));
}
static int64_t sys_llistxattr(struct sys_ctx *c, uint64_t upath, uint64_t ulist, uint64_t size)
{
    WITH_TARGET(false, upath, false, list(c, ino, ulist, size));
}
static int64_t sys_flistxattr(struct sys_ctx *c, uint64_t fd, uint64_t ulist, uint64_t size)
{
    WITH_TARGET(true, fd, true, list(c, ino, ulist, size));
}
static int64_t sys_removexattr(struct sys_ctx *c, uint64_t upath, uint64_t uname)
{
    WITH_TARGET(false, upath, true, remove_attr(c, ino, uname));
}
static int64_t sys_lremovexattr(struct sys_ctx *c, uint64_t upath, uint64_t uname)
{
    WITH_TARGET(false, upath, false, remove_attr(c, ino, uname));
}
static int64_t sys_fremovexattr(struct sys_ctx *c, uint64_t fd, uint64_t uname)
{
    WITH_TARGET(true, fd, true, remove_attr(c, ino, uname));
}
