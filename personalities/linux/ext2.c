/*
 * personalities/linux/ext2.c - ext2 on a loop device, read whole at
 * mount: the superblock is checked as Linux's ext2_fill_super checks it
 * (magic, block size, geometry, the INCOMPAT features it knows, the
 * RO_COMPAT ones for a read-write mount), then every directory, from the
 * root, becomes a directory of the tree of names (fs.c), every regular
 * file's data tmpfs pages (tmpfs_iops: reads, writes and mappings as
 * tmpfs's), and symlinks (fast and slow), device nodes, FIFOs and
 * sockets, each keeping its inode number, mode, owner, times (their
 * nanoseconds in a large inode) and chattr flags (i_flags).  Extended
 * attributes are not read.  New inodes take free inode numbers (none
 * left: ENOSPC); statfs counts as Linux's ext2_statfs.  The write-back is
 * ext2sync.c's.  Every number the image gives is checked against it: a
 * bad image is EINVAL.
 *
 * Entry points: ext2_new, ext2_is, ext2_release (ext2.h).  Callers:
 * mount.c.  Layer: the file system's; the image is read through the loop
 * device's bound file (loop.h).  Book: docs/linux.md, "Block and loop
 * devices".
 */
#include "ext2.h"
#include "loop.h"
#include "time.h"
#include <stdlib.h>
#include <string.h>

#define DEPTH_MAX 512 /* directories deeper than this are refused (EINVAL) */

static struct ext2 *mounted;
static struct inode_ops ext2_iops;
static const struct fs_ops ext2_ops;

bool ext2_is(const struct fs *fs) { return fs->ops == &ext2_ops; }

static struct ext2 *of(const struct fs *fs) { return (struct ext2 *)fs; }

bool ext2_writable(const struct fs *fs) { return !(of(fs)->sb.s_feature_ro_compat & ~EXT2_FEATURE_RO_COMPAT_SUPP); }

int ext2_io(struct ext2 *e, uint64_t off, void *buf, size_t n, bool write)
{
    struct loop_state ls;
    uint32_t minor = (e->rdev & 0xff) | (e->rdev >> 12 & 0xfff00);
    if (((e->rdev >> 8) & 0xfff) != LOOP_MAJOR || !loop_state((int)minor, &ls) || !ls.backing)
        return -LINUX_ENXIO;
    if (off > ls.size || n > ls.size - off)
        return -LINUX_EIO;
    struct inode *b = (struct inode *)ls.backing;
    uint64_t t0 = (uint64_t)sys_clock_ns();
    if (write) {
        int r = b->fs->iops->write(b, ls.offset + off, buf, n);
        if (r >= 0)
            loop_count((int)minor, true, n, t0); /* the device's counts, as a disk's (/sys/block/loopN/stat) */
        return r < 0 ? r : 0;
    }
    size_t got = b->fs->iops->read(b, ls.offset + off, buf, n);
    memset((char *)buf + got, 0, n - got); /* a file cut short since its binding reads zeros */
    loop_count((int)minor, false, n, t0);
    return 0;
}

static int block_read(struct ext2 *e, uint32_t blk, void *buf)
{
    if (blk < e->sb.s_first_data_block || blk >= e->sb.s_blocks_count)
        return -LINUX_EINVAL;
    return ext2_io(e, (uint64_t)blk * e->bsize, buf, e->bsize, false) < 0 ? -LINUX_EINVAL : 0;
}

static bool power_of(uint32_t g, uint32_t base)
{
    uint64_t p = base;
    while (p < g)
        p *= base;
    return p == g;
}

bool ext2_group_has_super(const struct ext2 *e, uint32_t g)
{
    return g <= 1 || !(e->sb.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER) || power_of(g, 3) ||
           power_of(g, 5) || power_of(g, 7);
}

/* The largest file a block map of 2^bits-byte blocks holds (Linux's
 * ext4_max_bitmap_size, as the ext4 driver that mounts ext2 counts it):
 * direct, indirect, double and triple indirect blocks, with their
 * metadata blocks no more than i_blocks counts in 512-byte sectors (32
 * bits of them without huge_file). */
static uint64_t max_bitmap_size(unsigned bits, bool huge)
{
    uint64_t ppb = 1ull << (bits - 2), res = 12 + ppb + ppb * ppb + ppb * ppb * ppb;
    uint64_t upper = huge ? (1ull << 48) - 1 : ((1ull << 32) - 1) >> (bits - 9);
    uint64_t meta = 1 + (1 + ppb) + (1 + ppb + ppb * ppb);
    if (res + meta > upper) {
        res = upper;
        upper -= 12 + ppb;
        meta = 1;
        if (upper < ppb * ppb) {
            meta += 1 + (upper + ppb - 1) / ppb;
        } else {
            meta += 1 + ppb;
            upper -= ppb * ppb;
            meta += 1 + (upper + ppb - 1) / ppb + (upper + ppb * ppb - 1) / (ppb * ppb);
        }
        res -= meta;
    }
    return res << bits > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : res << bits;
}

/* The superblock's checks (Linux's ext2_fill_super), and the geometry
 * every later read relies on. */
static int check_super(struct ext2 *e, uint64_t dev_bytes, bool ro)
{
    struct ext2_super_block *s = &e->sb;
    if (s->s_magic != EXT2_SUPER_MAGIC || s->s_log_block_size > 2)
        return -LINUX_EINVAL; /* blocks above a page are refused too */
    if (s->s_feature_incompat & ~EXT2_FEATURE_INCOMPAT_SUPP)
        return -LINUX_EINVAL; /* a journal to replay, extents, 64bit, meta_bg (not built here) ... */
    if (!ro && (s->s_feature_ro_compat & ~EXT2_FEATURE_RO_COMPAT_SUPP))
        return -LINUX_EINVAL; /* "couldn't mount RDWR because of unsupported optional features" */
    e->bsize = 1024u << s->s_log_block_size;
    e->fs.maxbytes = max_bitmap_size(10 + s->s_log_block_size, s->s_feature_ro_compat & EXT4_FEATURE_RO_COMPAT_HUGE_FILE);
    e->isize = s->s_rev_level ? s->s_inode_size : EXT2_GOOD_OLD_INODE_SIZE;
    e->first_ino = s->s_rev_level ? s->s_first_ino : EXT2_GOOD_OLD_FIRST_INO;
    if (e->isize < EXT2_GOOD_OLD_INODE_SIZE || e->isize > e->bsize || (e->isize & (e->isize - 1)) ||
        e->first_ino <= EXT2_RESIZE_INO || s->s_blocks_per_group == 0 || s->s_blocks_per_group > e->bsize * 8 ||
        s->s_inodes_per_group == 0 || s->s_inodes_per_group > e->bsize * 8 ||
        s->s_first_data_block != (e->bsize == 1024 ? 1u : 0u) || s->s_blocks_count <= s->s_first_data_block ||
        (uint64_t)s->s_blocks_count * e->bsize > dev_bytes)
        return -LINUX_EINVAL;
    e->groups = (s->s_blocks_count - s->s_first_data_block + s->s_blocks_per_group - 1) / s->s_blocks_per_group;
    if ((uint64_t)e->groups * s->s_inodes_per_group != s->s_inodes_count || e->first_ino > s->s_inodes_count)
        return -LINUX_EINVAL;
    uint32_t itb = (s->s_inodes_per_group * e->isize + e->bsize - 1) / e->bsize;
    if ((uint64_t)e->groups * (itb + 2) > s->s_blocks_count)
        return -LINUX_EINVAL; /* the inode tables and bitmaps cannot all be in the image */
    e->gdt_blocks = (e->groups * (uint32_t)sizeof *e->gd + e->bsize - 1) / e->bsize;
    if (!(e->gd = malloc((size_t)e->gdt_blocks * e->bsize)))
        return -LINUX_ENOMEM;
    for (uint32_t i = 0; i < e->gdt_blocks; i++)
        if (block_read(e, s->s_first_data_block + 1 + i, (char *)e->gd + (size_t)i * e->bsize) < 0)
            return -LINUX_EINVAL;
    e->overhead = s->s_first_data_block;
    for (uint32_t g = 0; g < e->groups; g++) {
        const struct ext2_group_desc *d = &e->gd[g];
        if (d->bg_block_bitmap >= s->s_blocks_count || d->bg_inode_bitmap >= s->s_blocks_count ||
            d->bg_inode_table < s->s_first_data_block || d->bg_inode_table + (uint64_t)itb > s->s_blocks_count ||
            d->bg_block_bitmap < s->s_first_data_block || d->bg_inode_bitmap < s->s_first_data_block)
            return -LINUX_EINVAL;
        /* as Linux's statfs counts it (ext4's, which mounts ext2: the reserved descriptor blocks too) */
        e->overhead += 2 + itb + (ext2_group_has_super(e, g) ? 1 + e->gdt_blocks + s->s_reserved_gdt_blocks : 0);
    }
    return 0;
}

/* Inode n's fields (the extra ones zero unless the inode has them). */
int ext2_inode_read(struct ext2 *e, uint32_t n, struct ext2_inode *raw)
{
    if (n == 0 || n > e->sb.s_inodes_count)
        return -LINUX_EINVAL;
    uint32_t g = (n - 1) / e->sb.s_inodes_per_group, i = (n - 1) % e->sb.s_inodes_per_group;
    size_t len = e->isize < sizeof *raw ? e->isize : sizeof *raw;
    memset(raw, 0, sizeof *raw);
    if (ext2_io(e, (uint64_t)e->gd[g].bg_inode_table * e->bsize + (uint64_t)i * e->isize, raw, len, false) < 0)
        return -LINUX_EINVAL;
    if (e->isize == EXT2_GOOD_OLD_INODE_SIZE || raw->i_extra_isize < 16)
        raw->i_ctime_extra = raw->i_mtime_extra = raw->i_atime_extra = 0;
    return 0;
}

int ext2_map_block(struct ext2 *e, const struct ext2_inode *raw, uint64_t lb, uint32_t *out, uint32_t *buf,
                   uint64_t *span)
{
    uint64_t per = e->bsize / 4;
    *span = 1;
    if (lb < EXT2_NDIR_BLOCKS) {
        *out = raw->i_block[lb];
        return *out && *out >= e->sb.s_blocks_count ? -LINUX_EINVAL : 0;
    }
    lb -= EXT2_NDIR_BLOCKS;
    int level = 0;
    uint64_t cover = per; /* what the indirect block of this level covers */
    while (lb >= cover) {
        lb -= cover;
        if (++level == 3)
            return -LINUX_EINVAL;
        cover *= per;
    }
    uint32_t blk = raw->i_block[EXT2_IND_BLOCK + level];
    if (!blk)
        *span = cover - lb;
    for (int l = level; l >= 0 && blk; l--) {
        if (block_read(e, blk, buf) < 0)
            return -LINUX_EINVAL;
        cover /= per;
        blk = buf[(lb / cover) % per];
        if (!blk)
            *span = cover - lb % cover; /* what that entry covers is a hole */
    }
    *out = blk;
    return blk >= e->sb.s_blocks_count ? -LINUX_EINVAL : 0;
}

static int64_t time_of(uint32_t sec, uint32_t extra)
{
    return ((int64_t)(int32_t)sec + ((int64_t)(extra & 3) << 32)) * 1000000000 + (extra >> 2) % 1000000000;
}

/* A regular file's data, or a slow symlink's target, into ino. */
static int load_data(struct ext2 *e, const struct ext2_inode *raw, struct inode *ino, uint64_t size, char *blk,
                     uint32_t *scratch)
{
    uint64_t span;
    for (uint64_t lb = 0; lb * e->bsize < size; lb += span) {
        uint32_t pb;
        if (ext2_map_block(e, raw, lb, &pb, scratch, &span) < 0)
            return -LINUX_EINVAL;
        if (!pb)
            continue;
        if (block_read(e, pb, blk) < 0)
            return -LINUX_EINVAL;
        uint64_t off = lb * e->bsize, n = size - off < e->bsize ? size - off : e->bsize;
        if ((ino->mode & S_IFMT) == S_IFLNK)
            return fs_set_link(ino, blk, strnlen(blk, n));
        int r = ext2_iops.write(ino, off, blk, n);
        if (r < 0)
            return r;
    }
    return 0;
}

static uint32_t type_of(uint16_t mode)
{
    uint32_t t = mode & S_IFMT;
    return t == S_IFREG || t == S_IFDIR || t == S_IFLNK || t == S_IFCHR || t == S_IFBLK || t == S_IFIFO ||
                   t == S_IFSOCK ? t : 0;
}

/* Inode n's fields and contents into ino (made already, of its type). */
static int load_inode(struct ext2 *e, const struct ext2_inode *raw, uint32_t n, struct inode *ino, char *blk,
                      uint32_t *scratch)
{
    ino->ino = n;
    ino->mode = raw->i_mode;
    ino->uid = raw->i_uid | (uint32_t)raw->i_uid_high << 16;
    ino->gid = raw->i_gid | (uint32_t)raw->i_gid_high << 16;
    uint64_t size = raw->i_size | (uint64_t)raw->i_size_high << 32;
    int r = 0;
    switch (ino->mode & S_IFMT) {
    case S_IFREG:
        if ((r = ext2_iops.truncate(ino, size)) == 0)
            r = load_data(e, raw, ino, size, blk, scratch);
        break;
    case S_IFLNK: {
        uint32_t ea = raw->i_file_acl ? e->bsize / 512 : 0;
        if (size >= e->bsize || size == 0)
            return -LINUX_EINVAL;
        if (raw->i_blocks - ea == 0) /* a fast symlink: the target in i_block */
            r = size < sizeof raw->i_block ? fs_set_link(ino, (const char *)raw->i_block, size) : -LINUX_EINVAL;
        else
            r = load_data(e, raw, ino, size, blk, scratch);
        break;
    }
    case S_IFCHR: case S_IFBLK:
        ino->rdev = raw->i_block[0] ? raw->i_block[0] & 0xffff : raw->i_block[1];
        break;
    }
    if ((ino->mode & S_IFMT) == S_IFDIR) /* a directory's blocks on disk: Linux never shrinks one (ext2sync.c) */
        ino->npages = size / e->bsize;
    ino->atime = time_of(raw->i_atime, raw->i_atime_extra);
    ino->mtime = time_of(raw->i_mtime, raw->i_mtime_extra);
    ino->ctime = time_of(raw->i_ctime, raw->i_ctime_extra);
    /* chattr's flags, as Linux's ext2 keeps them; not a directory's index,
     * which the write-back does not keep (its directories are linear) */
    ino->iflags = raw->i_flags & FS_FL_USER_VISIBLE & ~(uint32_t)FS_INDEX_FL;
    if (r == 0)
        r = ext2_xattr_load(e, raw, n, ino, (uint8_t *)blk);
    if (!e->ino_used[n])
        e->ino_used[n] = 1;
    return r;
}

struct pending {
    struct inode *dir;
    uint32_t n, depth;
};

/* Directory q->n's entries into q->dir; its subdirectories onto the queue. */
static int load_dir(struct ext2 *e, struct pending *q, struct pending **queue, size_t *len, size_t *cap,
                    struct inode **loaded, char *blk, uint32_t *scratch)
{
    struct ext2_inode raw, child;
    static char name[EXT2_NAME_LEN + 1], data[4096];
    if (ext2_inode_read(e, q->n, &raw) < 0)
        return -LINUX_EINVAL;
    bool ftype = e->sb.s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE;
    for (uint64_t lb = 0; lb * e->bsize < raw.i_size; lb++) {
        uint32_t pb;
        uint64_t span;
        if (ext2_map_block(e, &raw, lb, &pb, scratch, &span) < 0 || !pb || block_read(e, pb, data) < 0)
            return -LINUX_EINVAL;
        for (uint32_t off = 0; off < e->bsize;) {
            struct ext2_dir_entry de;
            if (off + sizeof de > e->bsize)
                return -LINUX_EINVAL;
            memcpy(&de, data + off, sizeof de);
            uint32_t nlen = ftype ? de.name_len : de.name_len | (uint32_t)de.file_type << 8;
            if (de.rec_len < 8 || de.rec_len % 4 || off + de.rec_len > e->bsize || 8 + nlen > de.rec_len)
                return -LINUX_EINVAL;
            uint32_t n = de.inode;
            memcpy(name, data + off + 8, nlen);
            name[nlen] = '\0';
            off += de.rec_len;
            if (!n || !nlen || memchr(name, '/', nlen) || strlen(name) != nlen || !strcmp(name, ".") ||
                !strcmp(name, ".."))
                continue;
            if (n > e->sb.s_inodes_count || (n < e->first_ino && n != EXT2_ROOT_INO))
                return -LINUX_EINVAL;
            struct inode *ino = loaded[n];
            if (ino) { /* another name of a file already read: a hard link (of a directory: corrupt) */
                if ((ino->mode & S_IFMT) == S_IFDIR || fs_link(q->dir, name, ino) < 0 ||
                    ext2_inode_read(e, n, &child) < 0)
                    return -LINUX_EINVAL;
                ino->ctime = time_of(child.i_ctime, child.i_ctime_extra); /* as it was, not the link's */
                continue;
            }
            if (ext2_inode_read(e, n, &child) < 0 || !child.i_links_count || !type_of(child.i_mode))
                return -LINUX_EINVAL;
            int r = fs_create(q->dir, name, type_of(child.i_mode), &ino);
            if (r < 0)
                return r == -LINUX_ENOMEM ? r : -LINUX_EINVAL;
            loaded[n] = ino;
            if ((r = load_inode(e, &child, n, ino, blk, scratch)) < 0)
                return r;
            if ((ino->mode & S_IFMT) != S_IFDIR)
                continue;
            if (q->depth + 1 >= DEPTH_MAX)
                return -LINUX_EINVAL;
            if (*len == *cap) {
                size_t c = *cap ? 2 * *cap : 64;
                struct pending *g = realloc(*queue, c * sizeof *g);
                if (!g)
                    return -LINUX_ENOMEM;
                *queue = g, *cap = c;
            }
            (*queue)[(*len)++] = (struct pending){ino, n, q->depth + 1};
        }
    }
    q->dir->mtime = time_of(raw.i_mtime, raw.i_mtime_extra); /* as it was, not its new entries' */
    q->dir->ctime = time_of(raw.i_ctime, raw.i_ctime_extra);
    return 0;
}

/* The whole tree from the root directory, breadth first. */
static int load_tree(struct ext2 *e)
{
    struct inode **loaded = calloc((size_t)e->sb.s_inodes_count + 1, sizeof *loaded);
    struct pending *queue = malloc(64 * sizeof *queue);
    char *blk = malloc(e->bsize);
    uint32_t *scratch = malloc(e->bsize);
    size_t len = 1, cap = 64;
    struct ext2_inode raw;
    int r = loaded && queue && blk && scratch ? 0 : -LINUX_ENOMEM;
    if (r == 0 && (ext2_inode_read(e, EXT2_ROOT_INO, &raw) < 0 || (raw.i_mode & S_IFMT) != S_IFDIR))
        r = -LINUX_EINVAL;
    if (r == 0) {
        loaded[EXT2_ROOT_INO] = e->fs.root;
        r = load_inode(e, &raw, EXT2_ROOT_INO, e->fs.root, blk, scratch);
        queue[0] = (struct pending){e->fs.root, EXT2_ROOT_INO, 0};
    }
    for (size_t i = 0; r == 0 && i < len; i++) {
        struct pending q = queue[i]; /* a copy: the queue may move as it grows */
        r = load_dir(e, &q, &queue, &len, &cap, loaded, blk, scratch);
    }
    free(loaded), free(queue), free(blk), free(scratch);
    return r;
}

/* Takes the tree of a mount that failed (or was unmounted) apart. */
static void clear(struct inode *dir, int depth)
{
    while (dir->children && depth < DEPTH_MAX + 2) {
        struct inode *i = dir->children->inode;
        char name[EXT2_NAME_LEN + 1];
        strncpy(name, dir->children->name, sizeof name - 1);
        name[sizeof name - 1] = '\0';
        bool isdir = (i->mode & S_IFMT) == S_IFDIR;
        if (isdir)
            clear(i, depth + 1);
        if (fs_unlink(dir, name, isdir) < 0)
            return;
    }
}

/* A number for a new inode, the lowest free one (Linux's ext2_new_inode
 * looks near the parent first; any free one is valid). */
static int ext2_new_inode(struct inode *ino)
{
    struct ext2 *e = of(ino->fs);
    if (e->loading)
        return 0; /* the image's own number follows */
    for (uint32_t n = e->first_ino; n <= e->sb.s_inodes_count; n++)
        if (!e->ino_used[n]) {
            e->ino_used[n] = 1;
            ino->ino = n;
            return 0;
        }
    return -LINUX_ENOSPC;
}

/* An inode with no name and no open file left: its number is free. */
static void ext2_drop(struct inode *ino)
{
    struct ext2 *e = of(ino->fs);
    tmpfs_iops.drop(ino);
    free(ino->fs_private);
    ino->fs_private = NULL;
    if (ino->ino >= e->first_ino && ino->ino <= e->sb.s_inodes_count)
        e->ino_used[ino->ino] = 0;
}

/* ext2_statfs: the layout's blocks out of f_blocks, the reserved ones out
 * of f_bavail. */
static void ext2_statfs(struct fs *fs, struct linux_statfs *s)
{
    struct ext2 *e = of(fs);
    uint64_t used = 0, data = ext2_blocks_used(e);
    for (uint32_t n = 1; n <= e->sb.s_inodes_count; n++)
        used += e->ino_used[n] != 0;
    uint64_t taken = e->static_used + data;
    s->bsize = s->frsize = e->bsize;
    s->blocks = (int64_t)(e->sb.s_blocks_count - (e->opts.minixdf > 0 ? 0 : e->overhead)); /* minixdf: all */
    s->bfree = taken < e->sb.s_blocks_count ? (int64_t)(e->sb.s_blocks_count - taken) : 0;
    s->bavail = s->bfree > e->sb.s_r_blocks_count ? s->bfree - e->sb.s_r_blocks_count : 0;
    s->files = e->sb.s_inodes_count;
    s->ffree = (int64_t)(e->sb.s_inodes_count - used);
    s->namelen = EXT2_NAME_LEN;
    /* f_fsid: the uuid's two little-endian halves xor'ed, low word first,
     * as Linux's ext2_statfs (and ext4's, which mounts ext2 on Debian) */
    uint64_t half[2];
    memcpy(half, e->sb.s_uuid, sizeof half);
    uint64_t fsid = half[0] ^ half[1];
    s->fsid[0] = (int32_t)(uint32_t)fsid, s->fsid[1] = (int32_t)(uint32_t)(fsid >> 32);
}

/* stat: a directory's size is its blocks' (not tmpfs's count of entries),
 * and a file's blocks are those the write-back would give it. */
int64_t ext2_time(const struct ext2 *e, int64_t ns)
{
    int64_t sec = ns / 1000000000, frac = ns % 1000000000;
    if (frac < 0)
        sec--, frac += 1000000000;
    bool extra = e->isize >= 144; /* room for i_atime_extra: the epoch bits and nanoseconds */
    if (sec <= INT32_MIN || (!extra && sec >= INT32_MAX))
        return (sec <= INT32_MIN ? (int64_t)INT32_MIN : (int64_t)INT32_MAX) * 1000000000;
    return sec * 1000000000 + (extra ? frac : 0);
}

static void ext2_getattr(const struct inode *ino, struct linux_stat *st)
{
    struct ext2 *e = of(ino->fs);
    /* the times as the inode holds them (a time set out of its range is clamped, as Linux's) */
    int64_t *shown[3][2] = {{&st->atime, &st->atime_ns}, {&st->mtime, &st->mtime_ns}, {&st->ctime, &st->ctime_ns}};
    const int64_t kept[3] = {ino->atime, ino->mtime, ino->ctime};
    for (int k = 0; k < 3; k++) {
        int64_t t = ext2_time(e, kept[k]);
        *shown[k][0] = t / 1000000000 - (t % 1000000000 < 0), *shown[k][1] = (t % 1000000000 + 1000000000) % 1000000000;
    }
    uint64_t blocks = ext2_inode_blocks(e, ino);
    if ((ino->mode & S_IFMT) == S_IFDIR)
        st->size = (int64_t)(blocks * e->bsize);
    st->blocks = (int64_t)(blocks * (e->bsize / 512));
    st->blksize = e->bsize;
}

/* The last inode of an unmounted (or failed) mount went (fs_forget). */
static void ext2_forgotten(struct fs *fs)
{
    free(of(fs)->ino_used);
    free(of(fs));
}

static const struct fs_ops ext2_ops = {.statfs = ext2_statfs, .getattr = ext2_getattr, .sync = ext2_sync,
                                       .new_inode = ext2_new_inode, .free = ext2_forgotten,
                                       .xattr_room = ext2_xattr_room};

/* A mount that failed: its tree goes, and e with the last of the inodes
 * it made, which wait as orphans until fs_sweep (ext2_forgotten). */
static void ext2_free(struct ext2 *e)
{
    free(e->gd), free(e->layout);
    e->gd = NULL, e->layout = NULL;
    if (!e->fs.root) {
        free(e->ino_used), free(e);
        return;
    }
    clear(e->fs.root, 0);
    fs_forget(&e->fs);
}

int ext2_new(const struct inode *dev, const char *source, const char *data, uint64_t flags,
             const struct inode *point, struct fs **out)
{
    struct loop_state ls;
    struct ext2_opts opts; /* parsed first, as Linux's fs_context before its get_tree */
    int bad = ext2_options_parse(data, &opts);
    if (bad < 0)
        return bad;
    if ((dev->mode & S_IFMT) != S_IFBLK)
        return -LINUX_ENOTBLK;
    static const struct inode none = {.mode = S_IFDIR}; /* a detached root's (fsmount): no parent */
    point = point ? point : &none;
    if ((point->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    uint32_t minor = (dev->rdev & 0xff) | (dev->rdev >> 12 & 0xfff00);
    if (((dev->rdev >> 8) & 0xfff) != LOOP_MAJOR || !loop_state((int)minor, &ls))
        return -LINUX_ENXIO; /* no driver */
    bool ro = opts.ro >= 0 ? opts.ro : (flags & MS_RDONLY) != 0; /* "ro" or "rw" in the data has the last word */
    for (struct ext2 *m = mounted; m; m = m->next)
        if (m->rdev == dev->rdev) { /* mounted: another mount of it, unless it would change its read-only state */
            if (ro != m->fs.rdonly)
                return -LINUX_EBUSY;
            *out = &m->fs;
            return 1;
        }
    if (!ls.backing)
        return -LINUX_EIO; /* unbound: its superblock cannot be read */
    if (!ro && ls.ro)
        return -LINUX_EACCES; /* a read-only device opened for writing */
    if (!ext2_iops.read) { /* tmpfs's pages, and inode numbers kept */
        ext2_iops = tmpfs_iops;
        ext2_iops.drop = ext2_drop;
        ext2_iops.write = ext2_write; /* the blocks a write leaves untouched stay holes (ext2map.c) */
        ext2_iops.truncate = ext2_truncate;
        ext2_iops.punch = ext2_punch;
        ext2_iops.seek_data = ext2_seek_data;
        ext2_iops.allocate = NULL; /* no allocation (EOPNOTSUPP) but punching, as Linux's ext4 driver on
                                      an ext2 file of indirect blocks */
    }
    struct ext2 *e = calloc(1, sizeof *e);
    if (!e)
        return -LINUX_ENOMEM;
    e->rdev = dev->rdev;
    e->fs = (struct fs){.type = "ext2", .magic = EXT2_SUPER_MAGIC, .ops = &ext2_ops, .iops = &ext2_iops,
                        .dev = dev->rdev, .rdonly = ro, /* st_dev: the block device's, as on Linux */
                        .xattrs = true};
    int r = ext2_io(e, 1024, &e->sb, sizeof e->sb, false) < 0 ? -LINUX_EIO : check_super(e, ls.size, ro);
    if (r == 0 && !(e->ino_used = calloc((size_t)e->sb.s_inodes_count + 1, 1)))
        r = -LINUX_ENOMEM;
    if (r == 0 && !fs_new_empty_root(&e->fs, point, S_IFDIR | 0755, 0, 0))
        r = -LINUX_ENOMEM;
    if (r == 0) {
        for (uint32_t n = 1; n < e->first_ino; n++)
            e->ino_used[n] = 1;
        e->loading = true;
        r = load_tree(e);
        e->loading = false;
    }
    if (r == 0)
        r = ext2_layout_used(e); /* the blocks the layout and the reserved inodes keep */
    if (r < 0) {
        ext2_free(e);
        return r;
    }
    (void)source; /* the mount keeps it (/proc/mounts) */
    memset(&e->opts, -1, sizeof e->opts);
    e->opts.sb_set = e->opts.sb_clear = 0;
    ext2_options_apply(e, &opts);
    e->sb.s_mtime = (uint32_t)(realtime_ns() / 1000000000);
    e->sb.s_mnt_count++;
    /* tmpfs's count of pages stops at what the image has room for: its
     * free blocks in whole pages (a page of a small file is a block of the
     * image, so the count errs on the side of ENOSPC) */
    uint64_t taken = e->static_used + ext2_blocks_used(e);
    uint64_t room = taken < e->sb.s_blocks_count ? (e->sb.s_blocks_count - taken) * e->bsize / 4096 : 0;
    e->fs.blocks_max = e->fs.blocks_used + room ? e->fs.blocks_used + room : 1;
    e->next = mounted;
    mounted = e;
    loop_hold(e->rdev, true);
    *out = &e->fs;
    return 0;
}

void ext2_release(struct fs *fs)
{
    for (struct ext2 **p = &mounted; *p; p = &(*p)->next)
        if (*p == of(fs)) {
            *p = (*p)->next;
            break;
        }
    struct ext2 *e = of(fs);
    loop_hold(e->rdev, false);
    e->rdev = 0; /* what is left: the inode numbers, which a detached mount's files still give back */
    free(e->gd), free(e->layout);
    e->gd = NULL, e->layout = NULL;
}
