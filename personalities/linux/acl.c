/*
 * personalities/linux/acl.c - POSIX access control lists, as Linux 6.1's
 * fs/posix_acl.c keeps them on tmpfs (CONFIG_TMPFS_POSIX_ACL) and on ext2
 * through the ext4 driver (its default "acl" option): the attributes
 * "system.posix_acl_access" and "system.posix_acl_default" in the xattr
 * form (a version-2 header, then entries of tag, permission and id),
 * checked as posix_acl_from_xattr and posix_acl_valid check them, with
 * ids through the caller's user namespace; an access ACL that says no
 * more than the mode is kept as the mode alone (posix_acl_equiv_mode),
 * and setting one drops a set-group-ID bit its setter could not set
 * (posix_acl_update_mode).  The permission check (posix_acl_permission),
 * chmod's update of the ACL (posix_acl_chmod) and a new inode's
 * inheritance of its directory's default ACL (posix_acl_create) are
 * here too; ext2xattr.c converts the ACLs to the image's own form with
 * acl_to_disk and acl_from_disk (fs/ext4/acl.c's).
 *
 * Entry points: acl.h.  Layer: the file system.  Book: docs/linux.md,
 * "Users and permissions".
 */
#include "acl.h"
#include "ext2.h"
#include "fsnotify.h"
#include "time.h"
#include "userns.h"
#include <stdlib.h>
#include <string.h>

struct entry { /* struct posix_acl_xattr_entry */
    uint16_t tag, perm;
    uint32_t id;
};

#define HEAD 4 /* struct posix_acl_xattr_header: a_version */

int acl_type_of(const char *name)
{
    return !strcmp(name, ACL_NAME_ACCESS) ? ACL_TYPE_ACCESS : !strcmp(name, ACL_NAME_DEFAULT) ? ACL_TYPE_DEFAULT : 0;
}

bool acl_fs(const struct inode *ino) { return ino->fs->xattrs; }

static struct xattr **find(const struct inode *ino, int type)
{
    const char *name = type == ACL_TYPE_ACCESS ? ACL_NAME_ACCESS : ACL_NAME_DEFAULT;
    struct xattr **px = (struct xattr **)&ino->xattrs;
    while (*px && strcmp((*px)->name, name) != 0)
        px = &(*px)->next;
    return px;
}

/* ino's ACL of a type, its entries and their count; NULL when none. */
static struct entry *acl_of(const struct inode *ino, int type, int *count)
{
    struct xattr *x = acl_fs(ino) ? *find(ino, type) : NULL;
    if (!x || x->size < HEAD + sizeof(struct entry))
        return NULL;
    *count = (int)((x->size - HEAD) / sizeof(struct entry));
    return (struct entry *)((uint8_t *)x->value + HEAD);
}

/* Keeps value (malloc'd, size bytes; NULL: none) as ino's ACL of a type:
 * on ext2 where the image has room for it (ENOSPC). */
static int store(struct inode *ino, int type, void *value, size_t size)
{
    struct xattr **px = find(ino, type), *x = *px;
    if (!value) {
        if (x) {
            *px = x->next;
            free(x->name), free(x->value), free(x);
        }
        return 0;
    }
    const char *name = type == ACL_TYPE_ACCESS ? ACL_NAME_ACCESS : ACL_NAME_DEFAULT;
    int room = 0;
    if (ino->fs->ops && ino->fs->ops->xattr_room &&
        (room = ino->fs->ops->xattr_room(ino, name, acl_disk_size(value, size), x)) < 0) {
        free(value);
        return room;
    }
    if (!x) {
        if (!(x = calloc(1, sizeof *x)) || !(x->name = strdup(name))) {
            free(x), free(value);
            return -LINUX_ENOMEM;
        }
        if (!ino->fs->ops || !ino->fs->ops->xattr_room) { /* tmpfs lists the access ACL, the default, then the rest */
            px = &ino->xattrs;
            if (type == ACL_TYPE_DEFAULT && *px && !strcmp((*px)->name, ACL_NAME_ACCESS))
                px = &(*px)->next;
            x->next = *px;
        }
        *px = x;
    }
    free(x->value);
    x->value = value, x->size = size, x->in_block = room == 1;
    return 0;
}

/* posix_acl_valid: each entry's permission within rwx, the entries in
 * the order owner, named users, group, named groups, mask, other, with a
 * mask wherever a named entry is. */
static int valid(const struct entry *e, int n)
{
    int state = ACL_USER_OBJ;
    bool needs_mask = false;
    for (int i = 0; i < n; i++) {
        if (e[i].perm & ~(ACL_READ | ACL_WRITE | ACL_EXECUTE))
            return -LINUX_EINVAL;
        switch (e[i].tag) {
        case ACL_USER_OBJ:
            if (state != ACL_USER_OBJ)
                return -LINUX_EINVAL;
            state = ACL_USER;
            break;
        case ACL_USER:
        case ACL_GROUP:
            if (state != (e[i].tag == ACL_USER ? ACL_USER : ACL_GROUP))
                return -LINUX_EINVAL;
            needs_mask = true;
            break;
        case ACL_GROUP_OBJ:
            if (state != ACL_USER)
                return -LINUX_EINVAL;
            state = ACL_GROUP;
            break;
        case ACL_MASK:
            if (state != ACL_GROUP)
                return -LINUX_EINVAL;
            state = ACL_OTHER;
            break;
        case ACL_OTHER:
            if (state != ACL_OTHER && (state != ACL_GROUP || needs_mask))
                return -LINUX_EINVAL;
            state = 0;
            break;
        default:
            return -LINUX_EINVAL;
        }
    }
    return state == 0 ? 0 : -LINUX_EINVAL;
}

/* posix_acl_equiv_mode: the permission bits the ACL comes to into *mode,
 * and whether it says more than they do (a mask or a named entry). */
static bool equiv_mode(const struct entry *e, int n, uint32_t *mode)
{
    uint32_t m = 0;
    bool more = false;
    for (int i = 0; i < n; i++) {
        uint32_t p = e[i].perm & 7;
        switch (e[i].tag) {
        case ACL_USER_OBJ: m |= p << 6; break;
        case ACL_GROUP_OBJ: m |= p << 3; break;
        case ACL_OTHER: m |= p; break;
        case ACL_MASK: m = (m & ~070u) | p << 3, more = true; break;
        default: more = true; break;
        }
    }
    *mode = (*mode & ~0777u) | m;
    return more;
}

/* posix_acl_update_mode's set-group-ID rule: kept only by a member of the
 * file's group or a holder of CAP_FSETID. */
static uint32_t sgid_kept(const struct inode *ino, uint32_t mode)
{
    return fs_in_group(ino->gid) || cred_inode_capable(fs_cred, ino, CAP_FSETID) ? mode : mode & ~(uint32_t)S_ISGID;
}

int acl_set(const struct ns *u, struct inode *ino, int type, void *value, size_t size)
{
    /* posix_acl_from_xattr, the caller's ids made the kernel's first (posix_acl_fix_xattr_from_user) */
    int n = 0;
    if (value && size < HEAD)
        return free(value), -LINUX_EINVAL;
    if (value && *(uint32_t *)value != POSIX_ACL_XATTR_VERSION)
        return free(value), -LINUX_EOPNOTSUPP;
    if (value && (size - HEAD) % sizeof(struct entry))
        return free(value), -LINUX_EINVAL;
    if (value && !(n = (int)((size - HEAD) / sizeof(struct entry))))
        free(value), value = NULL; /* no entries: no ACL */
    struct entry *e = value ? (struct entry *)((uint8_t *)value + HEAD) : NULL;
    for (int i = 0; i < n; i++) {
        switch (e[i].tag) {
        case ACL_USER_OBJ: case ACL_GROUP_OBJ: case ACL_MASK: case ACL_OTHER:
            e[i].id = (uint32_t)ACL_UNDEFINED_ID; /* as posix_acl_to_xattr writes it back */
            break;
        case ACL_USER: case ACL_GROUP:
            e[i].id = e[i].tag == ACL_USER ? userns_uid_to(u, e[i].id) : userns_gid_to(u, e[i].id);
            if (e[i].id == USERNS_NO_ID)
                return free(value), -LINUX_EINVAL;
            break;
        default:
            return free(value), -LINUX_EINVAL;
        }
    }
    /* set_posix_acl */
    uint32_t ftype = ino->mode & S_IFMT;
    int r = 0;
    if (!acl_fs(ino) || ftype == S_IFLNK)
        r = -LINUX_EOPNOTSUPP; /* a symlink has no set_acl */
    else if (type == ACL_TYPE_DEFAULT && ftype != S_IFDIR)
        r = value ? -LINUX_EACCES : 0;
    else if (!fs_owner(ino))
        r = -LINUX_EPERM;
    else if (value)
        r = valid(e, n);
    if (r < 0 || (type == ACL_TYPE_DEFAULT && ftype != S_IFDIR))
        return free(value), r;
    /* the file system's set_acl: tmpfs's simple_set_acl updates the mode
       whether there is an ACL or not, ext4_set_acl only for one */
    uint32_t mode = ino->mode;
    bool ext2 = ino->fs->magic == EXT2_SUPER_MAGIC;
    if (type == ACL_TYPE_ACCESS && (value || !ext2)) {
        if (value && !equiv_mode(e, n, &mode))
            free(value), value = NULL;
        mode = sgid_kept(ino, mode);
    }
    if (!value && !*find(ino, type) && ext2 && mode == ino->mode)
        return 0; /* nothing there, nothing changed */
    if ((r = store(ino, type, value, size)) < 0)
        return r;
    ino->mode = mode;
    ino->ctime = realtime_ns();
    fsnotify_change(ino, IN_ATTRIB);
    return 0;
}

int64_t acl_get(const struct ns *u, const struct inode *ino, int type, const void **out)
{
    static uint8_t buf[65536];
    if (!acl_fs(ino) || (ino->mode & S_IFMT) == S_IFLNK)
        return -LINUX_EOPNOTSUPP;
    struct xattr *x = *find(ino, type);
    if (!x || x->size > sizeof buf)
        return -LINUX_ENODATA;
    memcpy(buf, x->value, x->size);
    struct entry *e = (struct entry *)(buf + HEAD);
    for (size_t i = 0; i < (x->size - HEAD) / sizeof *e; i++)
        if (e[i].tag == ACL_USER || e[i].tag == ACL_GROUP) /* as the caller sees them (-1: unmapped) */
            e[i].id = userns_id_up(u, e[i].tag == ACL_GROUP, e[i].id);
    *out = buf;
    return (int64_t)x->size;
}

int acl_permission(const struct inode *ino, int mask)
{
    int n;
    const struct entry *e = acl_of(ino, ACL_TYPE_ACCESS, &n);
    if (!e)
        return -LINUX_EAGAIN;
    unsigned want = (unsigned)mask & 7;
    bool found = false;
    for (int i = 0; i < n; i++) {
        bool masked = false;
        switch (e[i].tag) {
        case ACL_USER_OBJ:
            if (fs_cred->fsuid != ino->uid)
                continue;
            break;
        case ACL_USER:
            if (fs_cred->fsuid != e[i].id)
                continue;
            masked = true;
            break;
        case ACL_GROUP_OBJ:
        case ACL_GROUP:
            if (!fs_in_group(e[i].tag == ACL_GROUP ? e[i].id : ino->gid))
                continue;
            found = true;
            if ((e[i].perm & want) != want)
                continue;
            masked = true;
            break;
        case ACL_MASK:
            continue;
        case ACL_OTHER:
            if (found)
                return -LINUX_EACCES;
            break;
        default:
            return -LINUX_EIO;
        }
        unsigned perm = e[i].perm;
        for (int j = i + 1; masked && j < n; j++)
            if (e[j].tag == ACL_MASK)
                perm &= e[j].perm;
        return (perm & want) == want ? 0 : -LINUX_EACCES;
    }
    return -LINUX_EIO;
}

void acl_chmod(struct inode *ino)
{
    int n;
    struct entry *e = acl_of(ino, ACL_TYPE_ACCESS, &n);
    if (!e || (ino->mode & S_IFMT) == S_IFLNK)
        return;
    struct entry *group = NULL, *mask = NULL;
    for (int i = 0; i < n; i++) {
        if (e[i].tag == ACL_USER_OBJ)
            e[i].perm = (ino->mode >> 6) & 7;
        else if (e[i].tag == ACL_OTHER)
            e[i].perm = ino->mode & 7;
        else if (e[i].tag == ACL_GROUP_OBJ)
            group = &e[i];
        else if (e[i].tag == ACL_MASK)
            mask = &e[i];
    }
    if (mask || group) /* (chmod has dropped a set-group-ID bit its caller could not set already) */
        (mask ? mask : group)->perm = (ino->mode >> 3) & 7;
}

bool acl_inherits(const struct inode *dir)
{
    int n;
    return (dir->mode & S_IFMT) == S_IFDIR && acl_of(dir, ACL_TYPE_DEFAULT, &n);
}

/* A copy of ino's ACL of a type, or NULL. */
static void *copy(const struct inode *ino, int type, size_t *size)
{
    struct xattr *x = *find(ino, type);
    void *v = malloc(x->size);
    if (v)
        memcpy(v, x->value, x->size), *size = x->size;
    return v;
}

int acl_create(const struct inode *dir, struct inode *ino)
{
    uint32_t type = ino->mode & S_IFMT;
    if (type == S_IFLNK || !acl_inherits(dir))
        return 0;
    size_t size = 0, dsize = 0;
    uint8_t *v = copy(dir, ACL_TYPE_DEFAULT, &size);
    if (!v)
        return -LINUX_ENOMEM;
    /* posix_acl_create_masq: the mode's owner, group (or mask) and other bits and the ACL's limit each other */
    struct entry *e = (struct entry *)(v + HEAD), *group = NULL, *mask = NULL;
    int n = (int)((size - HEAD) / sizeof *e);
    uint32_t mode = ino->mode;
    bool more = false;
    for (int i = 0; i < n; i++) {
        if (e[i].tag == ACL_USER_OBJ)
            e[i].perm &= (mode >> 6) & 7, mode &= (uint32_t)e[i].perm << 6 | ~0700u;
        else if (e[i].tag == ACL_OTHER)
            e[i].perm &= mode & 7, mode &= e[i].perm | ~07u;
        else if (e[i].tag == ACL_GROUP_OBJ)
            group = &e[i];
        else if (e[i].tag == ACL_MASK)
            mask = &e[i], more = true;
        else
            more = true;
    }
    struct entry *g = mask ? mask : group;
    if (g)
        g->perm &= (mode >> 3) & 7, mode &= (uint32_t)g->perm << 3 | ~070u;
    ino->mode = mode;
    int r = 0;
    if (type == S_IFDIR) {
        void *d = copy(dir, ACL_TYPE_DEFAULT, &dsize);
        r = d ? store(ino, ACL_TYPE_DEFAULT, d, dsize) : -LINUX_ENOMEM;
    }
    if (r == 0 && more)
        return store(ino, ACL_TYPE_ACCESS, v, size);
    free(v);
    return r;
}

/* ---- the ext2 image's form (fs/ext4/acl.h): a 4-byte version 1, then
 * owner, group, mask and other entries of tag and permission alone, named
 * ones with their id too ---- */

#define EXT4_ACL_VERSION 1

size_t acl_disk_size(const void *value, size_t size)
{
    const struct entry *e = (const struct entry *)((const uint8_t *)value + HEAD);
    size_t n = 4;
    for (size_t i = 0; i < (size - HEAD) / sizeof *e; i++)
        n += e[i].tag == ACL_USER || e[i].tag == ACL_GROUP ? 8 : 4;
    return n;
}

size_t acl_to_disk(const void *value, size_t size, uint8_t *out)
{
    const struct entry *e = (const struct entry *)((const uint8_t *)value + HEAD);
    uint32_t version = EXT4_ACL_VERSION;
    size_t at = 4;
    memcpy(out, &version, 4);
    for (size_t i = 0; i < (size - HEAD) / sizeof *e; i++) {
        bool named = e[i].tag == ACL_USER || e[i].tag == ACL_GROUP;
        memcpy(out + at, &e[i], named ? 8 : 4);
        at += named ? 8 : 4;
    }
    return at;
}

void *acl_from_disk(const uint8_t *disk, size_t len, size_t *size)
{
    uint32_t version;
    if (len < 4 || (memcpy(&version, disk, 4), version != EXT4_ACL_VERSION))
        return NULL;
    uint8_t *v = malloc(HEAD + 2 * len); /* at most twice as long: a short entry of 4 bytes takes 8 */
    if (!v)
        return NULL;
    uint32_t xversion = POSIX_ACL_XATTR_VERSION;
    memcpy(v, &xversion, 4);
    size_t at = 4, n = 0;
    while (at < len) {
        struct entry en = {0, 0, (uint32_t)ACL_UNDEFINED_ID};
        if (at + 4 > len)
            return free(v), NULL;
        memcpy(&en, disk + at, 4);
        bool named = en.tag == ACL_USER || en.tag == ACL_GROUP;
        if (named && at + 8 > len)
            return free(v), NULL;
        if (named)
            memcpy(&en.id, disk + at + 4, 4);
        at += named ? 8 : 4;
        memcpy(v + HEAD + n++ * sizeof en, &en, sizeof en);
    }
    *size = HEAD + n * sizeof(struct entry);
    return v;
}
