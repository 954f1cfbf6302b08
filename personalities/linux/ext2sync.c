/*
 * personalities/linux/ext2sync.c - ext2's write-back: the tree of names
 * and tmpfs's pages of a mounted ext2 image written back into it whole.
 * The image's static layout stays where it is (the superblock and its
 * copies, group descriptors and reserved ones, bitmaps, inode tables,
 * the reserved inodes 1..s_first_ino-1 other than the root, with the
 * resize inode's blocks); every file's and directory's data is laid out
 * afresh, first free block first: data blocks (not those of a page no
 * write touched that hold zeros: ext2map.c), then indirect, double and
 * triple indirect ones; directories as linear blocks (an htree index is
 * not written: its flag is cleared), never fewer blocks than they had, as
 * Linux never shrinks one.  Inodes keep their numbers; one whose number
 * is not its own (a clash) takes a free one.  Then the bitmaps, the
 * groups' and the superblock's counts.  Only the primary superblock and
 * group descriptors change, as Linux's ext2 writes them.  Nothing is
 * written unless the whole tree fits (else ENOSPC).
 *
 * Entry points: ext2_sync, ext2_layout_used, ext2_inode_blocks,
 * ext2_blocks_used (ext2.h).  Callers: ext2.c (fs_ops).  Layer: the file
 * system's.  Book: docs/linux.md, "Block and loop devices".
 */
#include "ext2.h"
#include "time.h"
#include <stdlib.h>
#include <string.h>

#define BIT(m, b) ((m)[(b) >> 3] >> ((b) & 7) & 1)
#define SET(m, b) ((m)[(b) >> 3] |= (uint8_t)(1u << ((b) & 7)))

/* One write-back (or a count, dry). */
struct wb {
    struct ext2 *e;
    bool dry;
    uint8_t *bmap;         /* the new block bitmap */
    uint32_t cursor;       /* where the next free block is looked for */
    uint64_t count;        /* blocks taken */
    uint64_t *lbs;         /* the present logical blocks of the inode at hand */
    uint32_t *pbs;         /* and where they went */
    size_t nlb, caplb, i;
    struct inode **imap;   /* the tree's inodes by number */
    uint32_t *links;
};

static uint32_t alloc(struct wb *w)
{
    w->count++;
    if (w->dry)
        return 1;
    for (uint32_t b = w->cursor; b < w->e->sb.s_blocks_count; b++)
        if (!BIT(w->bmap, b)) {
            SET(w->bmap, b);
            w->cursor = b + 1;
            return b;
        }
    return 0; /* not reached: the dry run counted them */
}

static int wblk(struct wb *w, uint32_t blk, const void *buf)
{
    return w->dry || !blk ? 0 : ext2_io(w->e, (uint64_t)blk * w->e->bsize, (void *)buf, w->e->bsize, true);
}

/* The indirect block of level (1: its entries are data blocks) covering
 * the logical blocks from start, 0 if none of them is present. */
static uint32_t indirect(struct wb *w, int level, uint64_t start, int *err)
{
    uint64_t per = w->e->bsize / 4, sub = 1;
    for (int l = 1; l < level; l++)
        sub *= per;
    if (w->i >= w->nlb || w->lbs[w->i] >= start + sub * per)
        return 0;
    uint32_t b = alloc(w), *buf = w->dry ? NULL : calloc(per, 4);
    if (!w->dry && !buf) {
        *err = -LINUX_ENOMEM;
        return 0;
    }
    for (uint64_t k = 0; k < per && w->i < w->nlb; k++) {
        uint32_t v = level == 1 ? (w->lbs[w->i] == start + k ? w->pbs[w->i++] : 0)
                                : indirect(w, level - 1, start + k * sub, err);
        if (buf)
            buf[k] = v;
    }
    if (buf && wblk(w, b, buf) < 0)
        *err = -LINUX_EIO;
    free(buf);
    return b;
}

static int add_lb(struct wb *w, uint64_t lb)
{
    if (w->nlb == w->caplb) {
        size_t c = w->caplb ? 2 * w->caplb : 64;
        uint64_t *l = realloc(w->lbs, c * sizeof *l);
        uint32_t *p = l ? realloc(w->pbs, c * sizeof *p) : NULL;
        if (l)
            w->lbs = l;
        if (!p)
            return -LINUX_ENOMEM;
        w->pbs = p, w->caplb = c;
    }
    w->lbs[w->nlb++] = lb;
    return 0;
}

static uint8_t file_type(uint32_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return EXT2_FT_REG_FILE;
    case S_IFDIR: return EXT2_FT_DIR;
    case S_IFCHR: return EXT2_FT_CHRDEV;
    case S_IFBLK: return EXT2_FT_BLKDEV;
    case S_IFIFO: return EXT2_FT_FIFO;
    case S_IFSOCK: return EXT2_FT_SOCK;
    case S_IFLNK: return EXT2_FT_SYMLINK;
    default: return EXT2_FT_UNKNOWN;
    }
}

/* One entry into a directory's blocks (buf NULL: counting); *last is the
 * previous entry's place, whose rec_len takes a block's rest. */
static void put_entry(struct ext2 *e, char *buf, uint64_t *at, uint64_t *last, const char *name, uint32_t n,
                      uint32_t mode)
{
    size_t len = strlen(name);
    uint32_t rec = 8 + (uint32_t)((len + 3) & ~3ul), off = (uint32_t)(*at % e->bsize);
    if (off + rec > e->bsize) {
        if (buf && *last != UINT64_MAX)
            ((struct ext2_dir_entry *)(buf + *last))->rec_len = (uint16_t)(e->bsize - *last % e->bsize);
        *at += e->bsize - off;
    }
    if (buf) {
        struct ext2_dir_entry de = {n, (uint16_t)rec, (uint8_t)len, 0};
        if (e->sb.s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE)
            de.file_type = file_type(mode);
        memcpy(buf + *at, &de, sizeof de);
        memcpy(buf + *at + 8, name, len);
    }
    *last = *at;
    *at += rec;
}

/* A directory's linear blocks into buf (NULL: counting them). */
static uint64_t dir_blocks(struct ext2 *e, const struct inode *dir, char *buf)
{
    uint64_t at = 0, last = UINT64_MAX;
    const struct inode *up = dir == e->fs.root || !dir->parent ? dir : dir->parent;
    put_entry(e, buf, &at, &last, ".", (uint32_t)dir->ino, S_IFDIR);
    put_entry(e, buf, &at, &last, "..", (uint32_t)up->ino, S_IFDIR);
    for (const struct dirent_node *d = dir->children; d; d = d->next)
        if (d->inode->fs == &e->fs)
            put_entry(e, buf, &at, &last, d->name, (uint32_t)d->inode->ino, d->inode->mode);
    uint64_t nb = (at + e->bsize - 1) / e->bsize;
    nb = nb > dir->npages ? nb : dir->npages;
    if (buf) {
        ((struct ext2_dir_entry *)(buf + last))->rec_len = (uint16_t)(e->bsize - last % e->bsize);
        for (uint64_t b = (last / e->bsize) + 1; b < nb; b++) /* empty blocks: one unused entry each */
            *(struct ext2_dir_entry *)(buf + b * e->bsize) = (struct ext2_dir_entry){0, (uint16_t)e->bsize, 0, 0};
    }
    return nb;
}

static bool fast_link(const struct inode *ino) { return ino->size < sizeof(((struct ext2_inode *)0)->i_block); }

/* ino's present logical blocks into w->lbs: -EFBIG past what triple
 * indirect blocks reach. */
static int present_blocks(struct wb *w, const struct inode *ino)
{
    struct ext2 *e = w->e;
    uint64_t per = e->bsize / 4, max = EXT2_NDIR_BLOCKS + per + per * per + per * per * per, nb = 0;
    w->nlb = 0, w->i = 0;
    switch (ino->mode & S_IFMT) {
    case S_IFDIR: nb = dir_blocks(e, ino, NULL); break;
    case S_IFLNK: nb = fast_link(ino) ? 0 : 1; break;
    case S_IFREG:
        for (uint64_t off = 0; off < ino->size;) {
            int64_t d = fs_seek_data(ino, off, false), h;
            if (d < 0 || (uint64_t)d >= ino->size)
                break;
            h = fs_seek_data(ino, (uint64_t)d, true);
            h = h < d || (uint64_t)h > ino->size ? (int64_t)ino->size : h;
            for (uint64_t lb = (uint64_t)d / e->bsize; lb * e->bsize < (uint64_t)h; lb++)
                if (ext2_block_hole(ino, lb))
                    continue; /* in a page, but no write reached it: a hole, as on Linux */
                else if (lb >= max || add_lb(w, lb) < 0)
                    return lb >= max ? -LINUX_EFBIG : -LINUX_ENOMEM;
            if ((uint64_t)h <= off)
                break;
            off = (uint64_t)h;
        }
        return 0;
    }
    for (uint64_t lb = 0; lb < nb; lb++)
        if (add_lb(w, lb) < 0)
            return -LINUX_ENOMEM;
    return 0;
}

/* Lays ino's blocks out (dry: counts them) and fills raw's i_block. */
static int lay_out(struct wb *w, const struct inode *ino, struct ext2_inode *raw)
{
    struct ext2 *e = w->e;
    int r = present_blocks(w, ino), err = 0;
    if (r < 0)
        return r;
    char *data = NULL, *blk = w->dry ? NULL : calloc(1, e->bsize);
    if (!w->dry && (ino->mode & S_IFMT) == S_IFDIR && (data = calloc(w->nlb, e->bsize)))
        dir_blocks(e, ino, data);
    if (!w->dry && (!blk || ((ino->mode & S_IFMT) == S_IFDIR && !data))) {
        free(blk);
        return -LINUX_ENOMEM;
    }
    for (size_t k = 0; k < w->nlb && r == 0; k++) {
        w->pbs[k] = alloc(w);
        if (w->dry)
            continue;
        const char *src = blk;
        if (data)
            src = data + w->lbs[k] * e->bsize;
        else if ((ino->mode & S_IFMT) == S_IFLNK && ino->data)
            memcpy(blk, ino->data, ino->size < e->bsize ? ino->size : e->bsize - 1);
        else
            memset(blk, 0, e->bsize), fs_read(ino, w->lbs[k] * e->bsize, blk, e->bsize);
        r = wblk(w, w->pbs[k], src);
    }
    for (size_t k = 0; k < w->nlb && w->lbs[k] < EXT2_NDIR_BLOCKS; k++, w->i++)
        raw->i_block[w->lbs[k]] = w->pbs[k];
    uint64_t per = e->bsize / 4, start = EXT2_NDIR_BLOCKS;
    for (int level = 1; level <= 3 && r == 0; level++) {
        raw->i_block[EXT2_IND_BLOCK + level - 1] = indirect(w, level, start, &err);
        start += level == 1 ? per : level == 2 ? per * per : 0;
    }
    if (r == 0 && ext2_xattr_block_wanted(ino)) { /* the attribute block, last */
        raw->i_file_acl = alloc(w);
        if (!w->dry) {
            ext2_xattr_put_block(e, ino, (uint8_t *)blk);
            r = wblk(w, raw->i_file_acl, blk);
        }
    }
    free(data), free(blk);
    return r < 0 ? r : err;
}

uint64_t ext2_inode_blocks(struct ext2 *e, const struct inode *ino)
{
    struct wb w = {.e = e, .dry = true};
    struct ext2_inode raw;
    lay_out(&w, ino, &raw);
    free(w.lbs), free(w.pbs);
    return w.count;
}

/* Every inode of the tree once (hard links by their number), in w->imap
 * if it is given (numbers given to those without their own), counting
 * the blocks of each into w->count if not. */
static int walk_tree(struct wb *w)
{
    struct ext2 *e = w->e;
    uint32_t count = e->sb.s_inodes_count, next = e->first_ino;
    uint8_t *seen = calloc((size_t)count + 1, 1);
    size_t len = 1, cap = 64;
    struct inode **stack = malloc(cap * sizeof *stack);
    if (!seen || !stack) {
        free(seen), free(stack);
        return -LINUX_ENOMEM;
    }
    stack[0] = e->fs.root;
    e->fs.root->ino = EXT2_ROOT_INO;
    int r = 0;
    if (w->imap)
        w->imap[EXT2_ROOT_INO] = e->fs.root, w->links[EXT2_ROOT_INO] = 1;
    while (len && r == 0) {
        struct inode *dir = stack[--len];
        if (w->imap)
            w->links[dir->ino]++; /* its "." (the root's ".." too) */
        for (struct dirent_node *d = dir->children; d && r == 0; d = d->next) {
            struct inode *c = d->inode;
            uint64_t n = c->ino;
            bool isdir = (c->mode & S_IFMT) == S_IFDIR;
            if (c->fs != &e->fs)
                continue;
            if (n < e->first_ino || n > count || (w->imap && w->imap[n] && w->imap[n] != c)) {
                if (!w->imap) { /* counting: a clash is counted, to be renumbered */
                    w->count += ext2_inode_blocks(e, c);
                    continue;
                }
                while (next <= count && (w->imap[next] || e->ino_used[next]))
                    next++;
                if (next > count) {
                    r = -LINUX_ENOSPC;
                    break;
                }
                e->ino_used[next] = 1;
                c->ino = n = next;
            }
            if (w->imap) {
                w->imap[n] = c;
                w->links[n]++;
                if (isdir)
                    w->links[dir->ino]++; /* its ".." */
            }
            if (seen[n]++)
                continue; /* a hard link's second name */
            if (!w->imap)
                w->count += ext2_inode_blocks(e, c);
            if (isdir && len == cap) {
                struct inode **s = realloc(stack, 2 * cap * sizeof *s);
                if (!s) {
                    r = -LINUX_ENOMEM;
                    break;
                }
                stack = s, cap *= 2;
            }
            if (isdir)
                stack[len++] = c;
        }
    }
    free(seen), free(stack);
    return r;
}

uint64_t ext2_blocks_used(struct ext2 *e)
{
    struct wb w = {.e = e, .dry = true};
    walk_tree(&w);
    return w.count + ext2_inode_blocks(e, e->fs.root);
}

/* Marks blk and, at level > 0, the blocks it points at (not again once
 * marked: a loop in a bad image ends). */
static int mark(struct ext2 *e, uint32_t blk, int level, uint32_t *bufs)
{
    uint32_t per = e->bsize / 4, *buf = bufs + (size_t)(level > 0 ? level - 1 : 0) * per;
    if (!blk)
        return 0;
    if (blk >= e->sb.s_blocks_count)
        return -LINUX_EINVAL;
    bool was = BIT(e->layout, blk);
    SET(e->layout, blk);
    if (!level || was)
        return 0;
    if (ext2_io(e, (uint64_t)blk * e->bsize, buf, e->bsize, false) < 0)
        return -LINUX_EINVAL;
    for (uint32_t i = 0; i < per; i++)
        if (mark(e, buf[i], level - 1, bufs) < 0)
            return -LINUX_EINVAL;
    return 0;
}

int ext2_layout_used(struct ext2 *e)
{
    const struct ext2_super_block *s = &e->sb;
    uint32_t itb = (s->s_inodes_per_group * e->isize + e->bsize - 1) / e->bsize, *bufs = malloc(3 * e->bsize);
    if (!bufs || !(e->layout = calloc(s->s_blocks_count / 8 + 1, 1))) {
        free(bufs);
        return -LINUX_ENOMEM;
    }
    for (uint32_t b = 0; b < s->s_first_data_block; b++)
        SET(e->layout, b);
    for (uint32_t g = 0; g < e->groups; g++) {
        uint64_t base = s->s_first_data_block + (uint64_t)g * s->s_blocks_per_group;
        uint64_t meta = ext2_group_has_super(e, g) ? 1 + e->gdt_blocks + s->s_reserved_gdt_blocks : 0;
        for (uint64_t b = base; b < base + meta && b < s->s_blocks_count; b++)
            SET(e->layout, b);
        SET(e->layout, e->gd[g].bg_block_bitmap);
        SET(e->layout, e->gd[g].bg_inode_bitmap);
        for (uint32_t b = 0; b < itb; b++)
            SET(e->layout, e->gd[g].bg_inode_table + b);
    }
    int r = 0;
    for (uint32_t n = 1; n < e->first_ino && r == 0; n++) {
        struct ext2_inode raw;
        if (n == EXT2_ROOT_INO || (r = ext2_inode_read(e, n, &raw)) < 0 || (raw.i_mode & S_IFMT) == S_IFLNK)
            continue;
        for (int k = 0; k < EXT2_N_BLOCKS && r == 0; k++)
            r = mark(e, raw.i_block[k], k < EXT2_IND_BLOCK ? 0 : k - EXT2_IND_BLOCK + 1, bufs);
    }
    free(bufs);
    e->static_used = 0;
    for (uint32_t b = 0; b < s->s_blocks_count; b++)
        e->static_used += BIT(e->layout, b);
    return r;
}

/* Linux's ext4_encode_extra_time: the seconds' epoch bits, nanoseconds. */
static uint32_t put_time(const struct ext2 *e, int64_t ns, uint32_t *extra)
{
    ns = ext2_time(e, ns); /* clamped to what the inode holds */
    int64_t sec = ns / 1000000000, nsec = ns % 1000000000;
    if (nsec < 0)
        sec--, nsec += 1000000000;
    *extra = (uint32_t)(((sec - (int32_t)sec) >> 32) & 3) | (uint32_t)nsec << 2;
    return (uint32_t)sec;
}

/* Inode n, laid out and encoded into slot (s_inode_size bytes, zeroed). */
static int put_inode(struct wb *w, uint32_t n, char *slot, bool *large)
{
    struct ext2 *e = w->e;
    const struct inode *ino = w->imap[n];
    struct ext2_inode raw = {0};
    w->count = 0;
    int r = lay_out(w, ino, &raw);
    if (r < 0)
        return r;
    uint32_t type = ino->mode & S_IFMT;
    uint64_t size = type == S_IFDIR ? w->nlb * e->bsize : type == S_IFREG || type == S_IFLNK ? ino->size : 0;
    raw.i_mode = (uint16_t)ino->mode;
    raw.i_uid = (uint16_t)ino->uid, raw.i_uid_high = (uint16_t)(ino->uid >> 16);
    raw.i_gid = (uint16_t)ino->gid, raw.i_gid_high = (uint16_t)(ino->gid >> 16);
    raw.i_size = (uint32_t)size;
    raw.i_size_high = type == S_IFREG ? (uint32_t)(size >> 32) : 0;
    *large |= type == S_IFREG && size >= 1ull << 31;
    raw.i_links_count = (uint16_t)w->links[n];
    raw.i_flags = ino->iflags; /* chattr's */
    raw.i_blocks = (uint32_t)(w->count * (e->bsize / 512));
    if (type == S_IFLNK && fast_link(ino) && ino->data)
        memcpy(raw.i_block, ino->data, ino->size);
    if (type == S_IFCHR || type == S_IFBLK) {
        uint32_t major = (ino->rdev >> 8) & 0xfff, minor = (ino->rdev & 0xff) | ((ino->rdev >> 12) & 0xfff00);
        if (major < 256 && minor < 256)
            raw.i_block[0] = major << 8 | minor;
        else
            raw.i_block[1] = ino->rdev;
    }
    uint32_t ax, mx, cx;
    raw.i_atime = put_time(e, ino->atime, &ax), raw.i_mtime = put_time(e, ino->mtime, &mx);
    raw.i_ctime = put_time(e, ino->ctime, &cx);
    size_t len = EXT2_GOOD_OLD_INODE_SIZE;
    if (e->isize >= sizeof raw) { /* a large inode's extra fields: the times' nanoseconds */
        raw.i_extra_isize = e->isize >= 160 ? 32 : (uint16_t)(e->isize - EXT2_GOOD_OLD_INODE_SIZE);
        raw.i_atime_extra = ax, raw.i_mtime_extra = mx, raw.i_ctime_extra = cx;
        len = sizeof raw;
    }
    memcpy(slot, &raw, len);
    ext2_xattr_put_body(e, ino, (uint8_t *)slot); /* the attributes kept in the inode's room */
    return 0;
}

/* Group g's inode table, inode bitmap and counts. */
static int put_group(struct wb *w, uint32_t g, char *table, uint8_t *bits, struct ext2_group_desc *gd, bool *large)
{
    struct ext2 *e = w->e;
    uint32_t ipg = e->sb.s_inodes_per_group;
    size_t tlen = (size_t)ipg * e->isize;
    int r = ext2_io(e, (uint64_t)gd->bg_inode_table * e->bsize, table, tlen, false);
    memset(bits, 0xff, e->bsize); /* the padding past the group's inodes is set */
    gd->bg_free_inodes_count = gd->bg_used_dirs_count = 0;
    for (uint32_t i = 0; i < ipg && r == 0; i++) {
        uint32_t n = g * ipg + i + 1;
        char *slot = table + (size_t)i * e->isize;
        if (n < e->first_ino && n != EXT2_ROOT_INO)
            continue; /* the reserved inodes as they are */
        bits[i >> 3] &= (uint8_t)~(1u << (i & 7));
        if (!w->imap[n]) {
            memset(slot, 0, e->isize);
            gd->bg_free_inodes_count++;
            continue;
        }
        bits[i >> 3] |= (uint8_t)(1u << (i & 7));
        memset(slot, 0, e->isize);
        r = put_inode(w, n, slot, large);
        gd->bg_used_dirs_count += (w->imap[n]->mode & S_IFMT) == S_IFDIR;
    }
    if (r == 0)
        r = ext2_io(e, (uint64_t)gd->bg_inode_table * e->bsize, table, tlen, true);
    if (r == 0)
        r = ext2_io(e, (uint64_t)gd->bg_inode_bitmap * e->bsize, bits, e->bsize, true);
    return r;
}

/* Group g's block bitmap and free count, once every block is placed. */
static int put_block_bitmap(struct wb *w, uint32_t g, uint8_t *bits, struct ext2_group_desc *gd)
{
    struct ext2 *e = w->e;
    uint64_t base = e->sb.s_first_data_block + (uint64_t)g * e->sb.s_blocks_per_group;
    memset(bits, 0xff, e->bsize); /* past the group's blocks (or the image's end): set */
    gd->bg_free_blocks_count = 0;
    for (uint32_t i = 0; i < e->sb.s_blocks_per_group && base + i < e->sb.s_blocks_count; i++)
        if (!BIT(w->bmap, base + i)) {
            bits[i >> 3] &= (uint8_t)~(1u << (i & 7));
            gd->bg_free_blocks_count++;
        }
    return ext2_io(e, (uint64_t)gd->bg_block_bitmap * e->bsize, bits, e->bsize, true);
}

int ext2_sync(struct fs *fs)
{
    struct ext2 *e = (struct ext2 *)fs;
    if (fs->rdonly || !e->rdev)
        return 0; /* nothing written since, or the device let go */
    uint32_t count = e->sb.s_inodes_count;
    struct wb w = {.e = e, .dry = true};
    w.imap = calloc((size_t)count + 1, sizeof *w.imap);
    w.links = calloc((size_t)count + 1, sizeof *w.links);
    w.bmap = malloc(e->sb.s_blocks_count / 8 + 1);
    size_t tlen = (size_t)e->sb.s_inodes_per_group * e->isize;
    char *table = malloc(tlen);
    uint8_t *bits = malloc(e->bsize);
    struct ext2_group_desc *gd = malloc((size_t)e->gdt_blocks * e->bsize);
    int r = w.imap && w.links && w.bmap && table && bits && gd ? walk_tree(&w) : -LINUX_ENOMEM;
    uint64_t need = 0;
    struct ext2_inode scratch;
    for (uint32_t n = 1; n <= count && r == 0; n++)
        if (w.imap && w.imap[n]) {
            w.count = 0;
            r = lay_out(&w, w.imap[n], &scratch);
            need += w.count;
        }
    if (r == 0 && need + e->static_used > e->sb.s_blocks_count)
        r = -LINUX_ENOSPC; /* nothing is written: the image stays as it was */
    bool large = false;
    uint64_t free_blocks = 0, free_inodes = 0;
    if (r == 0) {
        memcpy(w.bmap, e->layout, e->sb.s_blocks_count / 8 + 1);
        memcpy(gd, e->gd, (size_t)e->gdt_blocks * e->bsize);
        w.dry = false, w.cursor = e->sb.s_first_data_block;
        for (uint32_t g = 0; g < e->groups && r == 0; g++) {
            r = put_group(&w, g, table, bits, &gd[g], &large);
            free_inodes += gd[g].bg_free_inodes_count;
        }
        for (uint32_t g = 0; g < e->groups && r == 0; g++) {
            r = put_block_bitmap(&w, g, bits, &gd[g]);
            free_blocks += gd[g].bg_free_blocks_count;
        }
    }
    if (r == 0) {
        memcpy(e->gd, gd, (size_t)e->gdt_blocks * e->bsize);
        e->sb.s_free_blocks_count = (uint32_t)free_blocks;
        e->sb.s_free_inodes_count = (uint32_t)free_inodes;
        e->sb.s_wtime = (uint32_t)(realtime_ns() / 1000000000);
        e->sb.s_state |= EXT2_VALID_FS;
        if (large)
            e->sb.s_feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
        r = ext2_io(e, (uint64_t)(e->sb.s_first_data_block + 1) * e->bsize, gd, (size_t)e->gdt_blocks * e->bsize,
                    true);
    }
    if (r == 0)
        r = ext2_io(e, 1024, &e->sb, sizeof e->sb, true);
    free(w.imap), free(w.links), free(w.bmap), free(table), free(bits), free(gd), free(w.lbs), free(w.pbs);
    return r;
}
