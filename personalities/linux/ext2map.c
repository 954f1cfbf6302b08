/*
 * personalities/linux/ext2map.c - an ext2 file's block map as the image
 * holds it, for FS_IOC_FIEMAP and FIBMAP (vfsioctl.c): the file system
 * is written back first (ext2sync.c lays every file out afresh, so where
 * a block lies is known once it is written, as Linux's delayed
 * allocation knows it once the pages are written), then the file's inode
 * and indirect blocks are read from the image.  A mapped run is what
 * Linux's ext4_ind_map_blocks maps at once, the driver that mounts ext2
 * on Debian's Linux: contiguous blocks, up to the end of the direct
 * blocks or of the indirect block that holds them.  The largest file is
 * ext4_max_bitmap_size's, which ext2.c works out at mount.
 *
 * Entry points: ext2_maxbytes, ext2_map_open, ext2_map_run (ext2.h).
 * Callers: vfsioctl.c.  Layer: the file system's, beside ext2.c.  Book:
 * docs/linux.md, "Block and loop devices".
 */
#include "ext2.h"
#include <stdlib.h>
#include <string.h>

uint64_t ext2_maxbytes(const struct ext2 *e)
{
    return e->fs.maxbytes; /* ext2.c's max_bitmap_size, set at mount */
}

int ext2_map_open(struct inode *ino, struct ext2_inode *raw)
{
    struct ext2 *e = (struct ext2 *)ino->fs;
    int r = ext2_sync(ino->fs);
    if (r < 0)
        return r;
    memset(raw, 0, sizeof *raw);
    if (!ino->nlink) /* not in the tree: not written back, no blocks of its own */
        return 0;
    return ext2_inode_read(e, (uint32_t)ino->ino, raw);
}

int ext2_map_run(struct ext2 *e, const struct ext2_inode *raw, uint64_t lb, uint64_t last, uint32_t *pb,
                 uint64_t *n)
{
    uint32_t *buf = malloc(e->bsize), next;
    uint64_t span, max = last - lb + 1;
    if (!buf)
        return -LINUX_ENOMEM;
    int r = ext2_map_block(e, raw, lb, pb, buf, &span);
    if (r < 0 || !*pb) {
        *n = span < max ? span : max;
        free(buf);
        return r;
    }
    /* where the block's indirect block (the inode's direct ones) ends */
    uint64_t per = e->bsize / 4, start = EXT2_NDIR_BLOCKS, cover = per, end = EXT2_NDIR_BLOCKS;
    if (lb >= EXT2_NDIR_BLOCKS) {
        while (lb - start >= cover)
            start += cover, cover *= per;
        end = start + ((lb - start) / per + 1) * per;
    }
    uint64_t count = 1;
    while (count < max && lb + count < end && ext2_map_block(e, raw, lb + count, &next, buf, &span) == 0 &&
           next && next == *pb + count)
        count++;
    *n = count;
    free(buf);
    return 0;
}

/* ---- the blocks of a file's pages that no write touched ---- */

#define PAGE_SZ 4096

struct untouched {
    uint64_t n;       /* bits */
    uint8_t bits[];
};

static void mark(struct inode *ino, uint64_t lb, bool on)
{
    struct untouched *u = ino->fs_private;
    if (!u || lb >= u->n) {
        if (!on)
            return;
        uint64_t n = u && 2 * u->n > lb + 1 ? 2 * u->n : (lb + 64) & ~63ull, had = u ? u->n : 0;
        struct untouched *g = realloc(u, sizeof *g + n / 8);
        if (!g)
            return; /* unmarked: written back as data, which is safe */
        memset(g->bits + had / 8, 0, (n - had) / 8);
        g->n = n;
        ino->fs_private = u = g;
    }
    if (on)
        u->bits[lb / 8] |= (uint8_t)(1u << (lb % 8));
    else
        u->bits[lb / 8] &= (uint8_t)~(1u << (lb % 8));
}

static uint32_t bsize_of(const struct inode *ino) { return ((const struct ext2 *)ino->fs)->bsize; }

bool ext2_block_hole(const struct inode *ino, uint64_t lb)
{
    const struct untouched *u = ino->fs_private;
    if (!u || lb >= u->n || !(u->bits[lb / 8] >> (lb % 8) & 1))
        return false;
    static char buf[PAGE_SZ];
    uint32_t bs = bsize_of(ino);
    size_t got = fs_read(ino, lb * bs, buf, bs);
    for (size_t i = 0; i < got; i++)
        if (buf[i])
            return false; /* data (written through a mapping): kept */
    return true;
}

/* Blocks from lb to the end of lb's page (if the page is there) marked. */
static void mark_page_tail(struct inode *ino, uint64_t lb)
{
    uint64_t per = PAGE_SZ / bsize_of(ino);
    if (lb % per && tmpfs_iops.page(ino, lb / per))
        for (; lb % per; lb++)
            mark(ino, lb, true);
}

int ext2_write(struct inode *ino, uint64_t off, const void *buf, size_t n)
{
    uint64_t bs = bsize_of(ino), per = PAGE_SZ / bs;
    if (bs < PAGE_SZ && n) {
        for (uint64_t pg = off / PAGE_SZ; pg <= (off + n - 1) / PAGE_SZ; pg++)
            if (!tmpfs_iops.page(ino, pg)) /* a new page: only the blocks written take a block */
                for (uint64_t k = 0; k < per; k++)
                    mark(ino, pg * per + k, true);
        for (uint64_t lb = off / bs; lb <= (off + n - 1) / bs; lb++)
            mark(ino, lb, false);
    }
    return tmpfs_iops.write(ino, off, buf, n);
}

int ext2_truncate(struct inode *ino, uint64_t size)
{
    uint64_t bs = bsize_of(ino), from = size < ino->size ? size : ino->size;
    int r = tmpfs_iops.truncate(ino, size);
    if (r == 0 && bs < PAGE_SZ) /* the blocks past the shorter end, in its page, are none */
        mark_page_tail(ino, (from + bs - 1) / bs);
    return r;
}

void ext2_punch(struct inode *ino, uint64_t off, uint64_t len)
{
    uint64_t bs = bsize_of(ino), per = PAGE_SZ / bs, end = off + len < off ? UINT64_MAX : off + len;
    tmpfs_iops.punch(ino, off, len);
    if (bs >= PAGE_SZ)
        return;
    if (end > ino->size)
        end = ino->size;
    for (uint64_t lb = (off + bs - 1) / bs; (lb + 1) * bs <= end; lb++) /* whole blocks freed, as Linux's */
        if (tmpfs_iops.page(ino, lb / per))
            mark(ino, lb, true);
}

/* tmpfs's answer is a page's; within the pages that hold data, a block
 * no write touched is a hole too, as Linux's iomap_seek_hole and
 * iomap_seek_data find one. */
int64_t ext2_seek_data(const struct inode *ino, uint64_t off, bool hole)
{
    uint64_t bs = bsize_of(ino), per = PAGE_SZ / bs;
    if (bs >= PAGE_SZ || !ino->fs_private)
        return tmpfs_iops.seek_data(ino, off, hole);
    for (;;) {
        int64_t r = tmpfs_iops.seek_data(ino, off, hole);
        if (r < 0)
            return r;
        uint64_t at = (uint64_t)r;
        if (hole) { /* a hole of blocks before the page's (or the end's) */
            for (uint64_t lb = off / bs; lb * bs < at; lb++)
                if (ext2_block_hole(ino, lb))
                    return (int64_t)(lb * bs > off ? lb * bs : off);
            return r;
        }
        for (uint64_t lb = at / bs; lb < (at / PAGE_SZ + 1) * per && lb * bs < ino->size; lb++)
            if (!ext2_block_hole(ino, lb))
                return (int64_t)(lb * bs > at ? lb * bs : at);
        off = (at / PAGE_SZ + 1) * PAGE_SZ; /* the rest of the page holds none */
        if (off >= ino->size)
            return -LINUX_ENXIO;
    }
}
