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
 * are xattr.c's, on the inode; mount reads them from the image (the
 * inode's room and its block, "user.", "trusted." and "security." ones)
 * and the write-back puts them there as Linux lays them out: the inode's
 * after the magic 0xEA020000, unhashed; the block's after its header
 * (magic, refcount 1, one block, the block's hash), sorted by namespace,
 * name length and name, each with its entry's hash.  POSIX ACLs (acl.c)
 * go there as the ext4 driver writes them: names of index 2 (access) and
 * 3 (default) with nothing after, their values in ext4_acl form.
 *
 * Entry points: ext2_xattr_room, ext2_xattr_load, ext2_xattr_block_wanted,
 * ext2_xattr_put_block, ext2_xattr_put_body, ext2_xattr_order (ext2.h).  Callers: xattr.c
 * through fs_ops.xattr_room; ext2.c (mount), ext2sync.c (write-back).
 * Layer: the file system's.  Book: docs/linux.md, "ext2 on a loop device".
 */
#include "acl.h"
#include "ext2.h"
#include <stdlib.h>
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

/* The size of x's value in the image (an ACL's in its own form). */
static size_t stored_size(const struct xattr *x)
{
    return acl_type_of(x->name) ? acl_disk_size(x->value, x->size) : x->size;
}

/* The bytes ino's attributes take in one place (but skip's). */
static size_t used(const struct inode *ino, bool in_block, const struct xattr *skip)
{
    size_t n = 0;
    for (const struct xattr *x = ino->xattrs; x; x = x->next)
        if (x != skip && x->in_block == in_block)
            n += need(x->name, stored_size(x));
    return n;
}

int ext2_xattr_room(const struct inode *ino, const char *name, size_t size, const struct xattr *old)
{
    const struct ext2 *e = (const struct ext2 *)ino->fs;
    size_t want = need(name, size);
    size_t body = e->isize >= EXT2_GOOD_OLD_INODE_SIZE + EXTRA + 4 ? e->isize - EXT2_GOOD_OLD_INODE_SIZE - EXTRA - 4 : 0;
    int r = body >= 4 && used(ino, false, old) + want <= body - 4 ? 0 /* the inode's own room */
            : used(ino, true, old) + want <= e->bsize - HEADER - 4 ? 1 /* the attribute block */
            : -LINUX_ENOSPC;
    if (r >= 0) /* the image has attributes now (Linux's ext4_xattr_update_super_block) */
        ((struct ext2 *)ino->fs)->sb.s_feature_compat |= EXT2_FEATURE_COMPAT_EXT_ATTR;
    return r;
}

/* ---- the attributes in the image: read at mount, written back ---- */

#define XATTR_MAGIC 0xEA020000u

struct xentry { /* struct ext2_xattr_entry, its name after */
    uint8_t name_len, name_index;
    uint16_t value_offs;
    uint32_t value_inum, value_size, hash;
};

static const char *const index_prefix[8] = {[1] = "user.", [2] = ACL_NAME_ACCESS, [3] = ACL_NAME_DEFAULT,
                                            [4] = "trusted.", [6] = "security."};

static int index_of(const char *name)
{
    for (int i = 0; i < 8; i++)
        if (index_prefix[i] && !strncmp(name, index_prefix[i], strlen(index_prefix[i])))
            return i;
    return 0;
}

/* An entry's hash (Linux's ext4_xattr_hash_entry): the name's bytes,
 * then the value's 32-bit words, its last one padded with zeros. */
static uint32_t entry_hash(const char *name, size_t n, const uint8_t *value, size_t size)
{
    uint32_t h = 0;
    for (size_t i = 0; i < n; i++)
        h = (h << 5) ^ (h >> 27) ^ (uint8_t)name[i];
    for (size_t i = 0; i < size; i += 4) {
        uint32_t word = 0;
        memcpy(&word, value + i, size - i < 4 ? size - i : 4);
        h = (h << 16) ^ (h >> 16) ^ word;
    }
    return h;
}

static bool in_place(const struct xattr *x, bool in_block) { return x->in_block == in_block && index_of(x->name); }

bool ext2_xattr_block_wanted(const struct inode *ino)
{
    for (const struct xattr *x = ino->xattrs; x; x = x->next)
        if (in_place(x, true))
            return true;
    return false;
}

/* Whether a sorts before b in a block (Linux's order: index, length, name). */
static bool before(const struct xattr *a, const struct xattr *b)
{
    int ia = index_of(a->name), ib = index_of(b->name);
    const char *na = a->name + strlen(index_prefix[ia]), *nb = b->name + strlen(index_prefix[ib]);
    return ia != ib ? ia < ib : strlen(na) != strlen(nb) ? strlen(na) < strlen(nb) : strcmp(na, nb) < 0;
}

void ext2_xattr_order(struct inode *ino)
{
    struct xattr *body = NULL, **bt = &body, *block = NULL;
    for (struct xattr *x = ino->xattrs, *next; x; x = next) {
        next = x->next, x->next = NULL;
        if (!x->in_block) {
            *bt = x, bt = &x->next;
            continue;
        }
        struct xattr **p = &block; /* into the block's sorted list */
        while (*p && (!in_place(x, true) || (in_place(*p, true) && before(*p, x))))
            p = &(*p)->next;
        x->next = *p, *p = x;
    }
    *bt = block;
    ino->xattrs = body;
}

/* The attributes of one place into area (len bytes, zeroed): entries from
 * first on, values from the end, offsets from area's start; the entries'
 * hashes if hashed (a block's; an inode's are 0).  The block's hash. */
static uint32_t pack(const struct inode *ino, bool in_block, uint8_t *area, size_t len, size_t first, bool hashed)
{
    const struct xattr *done = NULL; /* the last packed, in the block's order */
    size_t at = first, end = len;
    uint32_t block_hash = 0;
    for (;;) {
        const struct xattr *next = NULL;
        if (!in_block) /* the inode's in the order they came: Linux appends them there */
            for (const struct xattr *x = done ? done->next : ino->xattrs; x && !next; x = x->next)
                next = in_place(x, false) ? x : NULL;
        else /* the block's sorted */
            for (const struct xattr *x = ino->xattrs; x; x = x->next)
                if (in_place(x, true) && (!done || before(done, x)) && (!next || before(x, next)))
                    next = x;
        if (!next)
            break;
        const char *name = next->name + strlen(index_prefix[index_of(next->name)]);
        size_t n = strlen(name), size = stored_size(next), vlen = (size + 3) & ~(size_t)3;
        if (at + ((16 + n + 3) & ~(size_t)3) + 4 > end - vlen)
            break; /* not reached: ext2_xattr_room kept it within */
        end -= vlen;
        if (acl_type_of(next->name))
            acl_to_disk(next->value, next->size, area + end);
        else
            memcpy(area + end, next->value, size);
        struct xentry en = {(uint8_t)n, (uint8_t)index_of(next->name), (uint16_t)(size ? end : 0), 0,
                            (uint32_t)size, hashed ? entry_hash(name, n, area + end, size) : 0};
        memcpy(area + at, &en, sizeof en);
        memcpy(area + at + sizeof en, name, n);
        at += (16 + n + 3) & ~(size_t)3;
        block_hash = (block_hash << 16) ^ (block_hash >> 16) ^ en.hash;
        done = next;
    }
    return block_hash;
}

void ext2_xattr_put_block(const struct ext2 *e, const struct inode *ino, uint8_t *buf)
{
    memset(buf, 0, e->bsize);
    uint32_t hash = pack(ino, true, buf, e->bsize, HEADER, true);
    uint32_t header[4] = {XATTR_MAGIC, 1, 1, hash}; /* magic, refcount, blocks, hash */
    memcpy(buf, header, sizeof header);
}

void ext2_xattr_put_body(const struct ext2 *e, const struct inode *ino, uint8_t *slot)
{
    if (e->isize < EXT2_GOOD_OLD_INODE_SIZE + EXTRA + 8)
        return; /* no room in a small inode */
    bool any = false;
    for (const struct xattr *x = ino->xattrs; x; x = x->next)
        any |= in_place(x, false);
    if (!any)
        return;
    uint8_t *body = slot + EXT2_GOOD_OLD_INODE_SIZE + EXTRA;
    uint32_t magic = XATTR_MAGIC;
    memcpy(body, &magic, 4);
    pack(ino, false, body + 4, e->isize - EXT2_GOOD_OLD_INODE_SIZE - EXTRA - 4, 0, false);
}

/* The entries of one place onto ino (those of a namespace not kept here
 * are left out); EINVAL for one that does not lie within the place. */
static int unpack(struct inode *ino, const uint8_t *area, size_t len, size_t first, bool in_block)
{
    for (size_t at = first; at + 4 <= len;) {
        uint32_t word;
        memcpy(&word, area + at, 4);
        if (!word)
            return 0; /* the end of the entries */
        struct xentry en;
        if (at + sizeof en > len)
            return -LINUX_EINVAL;
        memcpy(&en, area + at, sizeof en);
        if (at + sizeof en + en.name_len > len || en.value_inum || en.value_size > len ||
            en.value_offs + (size_t)en.value_size > len)
            return -LINUX_EINVAL;
        const char *prefix = en.name_index < 8 ? index_prefix[en.name_index] : NULL;
        bool acl = en.name_index == 2 || en.name_index == 3;
        if (acl && !en.name_len) { /* a POSIX ACL, kept in the xattr form (a malformed one left out) */
            struct xattr *x = calloc(1, sizeof *x);
            if (!x || !(x->name = strdup(prefix)) ||
                !(x->value = acl_from_disk(area + en.value_offs, en.value_size, &x->size))) {
                if (x)
                    free(x->name), free(x);
                x = NULL;
            }
            struct xattr **px = &ino->xattrs;
            while (x && *px)
                px = &(*px)->next;
            if (x)
                x->in_block = in_block, *px = x;
        } else if (prefix && en.name_len && !acl) {
            struct xattr *x = calloc(1, sizeof *x);
            size_t pl = strlen(prefix);
            if (!x || !(x->name = malloc(pl + en.name_len + 1)) || !(x->value = malloc(en.value_size + 1))) {
                if (x)
                    free(x->name), free(x);
                return -LINUX_ENOMEM;
            }
            memcpy(x->name, prefix, pl);
            memcpy(x->name + pl, area + at + sizeof en, en.name_len);
            x->name[pl + en.name_len] = '\0';
            memcpy(x->value, area + en.value_offs, en.value_size);
            x->size = en.value_size, x->in_block = in_block;
            struct xattr **px = &ino->xattrs;
            while (*px)
                px = &(*px)->next;
            *px = x;
        }
        at += (sizeof en + en.name_len + 3) & ~(size_t)3;
    }
    return 0;
}

int ext2_xattr_load(struct ext2 *e, const struct ext2_inode *raw, uint32_t n, struct inode *ino, uint8_t *blk)
{
    static uint8_t slot[4096];
    int r = 0;
    for (struct xattr *x = ino->xattrs, *next; x; x = next) /* what fs_create gave it: its directory's default ACL */
        next = x->next, free(x->name), free(x->value), free(x);
    ino->xattrs = NULL;
    if (e->isize >= EXT2_GOOD_OLD_INODE_SIZE + 8 && raw->i_extra_isize &&
        EXT2_GOOD_OLD_INODE_SIZE + (size_t)raw->i_extra_isize + 8 <= e->isize && !(raw->i_extra_isize & 3)) {
        uint32_t g = (n - 1) / e->sb.s_inodes_per_group, i = (n - 1) % e->sb.s_inodes_per_group, magic;
        uint64_t at = (uint64_t)e->gd[g].bg_inode_table * e->bsize + (uint64_t)i * e->isize;
        if (ext2_io(e, at, slot, e->isize, false) < 0)
            return -LINUX_EINVAL;
        const uint8_t *body = slot + EXT2_GOOD_OLD_INODE_SIZE + raw->i_extra_isize;
        memcpy(&magic, body, 4);
        if (magic == XATTR_MAGIC)
            r = unpack(ino, body + 4, e->isize - EXT2_GOOD_OLD_INODE_SIZE - raw->i_extra_isize - 4, 0, false);
    }
    if (r == 0 && raw->i_file_acl) {
        uint32_t header[4];
        if (raw->i_file_acl >= e->sb.s_blocks_count ||
            ext2_io(e, (uint64_t)raw->i_file_acl * e->bsize, blk, e->bsize, false) < 0)
            return -LINUX_EINVAL;
        memcpy(header, blk, sizeof header);
        if (header[0] != XATTR_MAGIC || header[2] != 1)
            return -LINUX_EINVAL;
        r = unpack(ino, blk, e->bsize, HEADER, true);
    }
    return r;
}
