/*
 * personalities/linux/ext2xattr.c - where an ext2 file's extended
 * attributes fit, as the ext4 driver that mounts ext2 on Linux places
 * them: first in the inode's own room past its extra fields (a 256-byte
 * inode's 92 bytes after the 4-byte magic; none in a 128-byte inode),
 * else in the file's one attribute block (its 32-byte header, then
 * entries from the front and values from the back); each entry takes 16
 * bytes and its name without the namespace's prefix, rounded up to 4, a
 * value its size rounded up to 4, and each place keeps 4 bytes for the
 * entries' end.  What fits in neither is ENOSPC (Linux's
 * ext4_xattr_set_entry's count of free room).  The attributes themselves
 * are xattr.c's, on the inode, in memory.
 *
 * Entry points: ext2_xattr_room (ext2.h).  Callers: xattr.c through
 * fs_ops.xattr_room.  Layer: the file system's.  Book: docs/linux.md,
 * "ext2 on a loop device".
 */
#include "ext2.h"
#include <string.h>

#define HEADER 32 /* an attribute block's header (struct ext2_xattr_header) */
#define EXTRA 32  /* a large inode's extra fields, as written here and by mke2fs (i_extra_isize) */

/* The name as the image keeps it: without its namespace's prefix (which
 * the entry's e_name_index says). */
static size_t stored_name_len(const char *name)
{
    static const char *const prefixes[] = {"user.", "trusted.", "security.", "system.posix_acl_access",
                                           "system.posix_acl_default"};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
            return strlen(name) - strlen(prefixes[i]);
    return strlen(name);
}

static size_t need(const char *name, size_t size)
{
    return ((16 + stored_name_len(name) + 3) & ~(size_t)3) + ((size + 3) & ~(size_t)3);
}

/* The bytes ino's attributes take in one place (but skip's). */
static size_t used(const struct inode *ino, bool in_block, const struct xattr *skip)
{
    size_t n = 0;
    for (const struct xattr *x = ino->xattrs; x; x = x->next)
        if (x != skip && x->in_block == in_block)
            n += need(x->name, x->size);
    return n;
}

int ext2_xattr_room(const struct inode *ino, const char *name, size_t size, const struct xattr *old)
{
    const struct ext2 *e = (const struct ext2 *)ino->fs;
    size_t want = need(name, size);
    size_t body = e->isize >= EXT2_GOOD_OLD_INODE_SIZE + EXTRA + 4 ? e->isize - EXT2_GOOD_OLD_INODE_SIZE - EXTRA - 4 : 0;
    if (body >= 4 && used(ino, false, old) + want <= body - 4)
        return 0; /* the inode's own room */
    if (used(ino, true, old) + want <= e->bsize - HEADER - 4)
        return 1; /* the attribute block */
    return -LINUX_ENOSPC;
}
