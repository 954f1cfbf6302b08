/*
 * personalities/linux/tmpfs.c - what a file holds, in the server's memory
 * as Linux's tmpfs holds it: a regular file's data in 4 KiB pages, holes
 * taking none (sparse files), pages fallocate reserved taking none until
 * written, and a symlink's target; the pages counted against a mount's
 * size=.
 *
 * Entry points: tmpfs_iops, the operations on its inodes' contents (which
 * fs_read, fs_write and the others of fs.c call), and rootfs, the root
 * file system (fs_init makes its root directory).  procfs keeps its files
 * in tmpfs_iops's pages too.  Layer: the file system.  Book:
 * docs/linux.md, "Files".
 */
#include "fs.h"
#include "mm.h"
#include <persona/ipc.h>
#include <stdlib.h>
#include <string.h>

/* ---- a regular file's pages ----
 * A tree of 512-way nodes, as tall as the highest page written needs:
 * height h holds pages 0 .. 512^h - 1; at height 0, pages is page 0
 * itself.  An empty slot is a hole.  Most files are small (all of /proc's
 * are), so a file of page 0 alone keeps that page as long as its data (in
 * 64-byte steps, cap0), and makes it whole once the file needs more. */
#define PAGE_SZ 4096
#define FANOUT 512
#define POOL_BASE 0x580000000000ull /* where this server keeps whole file pages */

/* ---- whole pages: each a mapping of its own in this server, so that
 * processes can map its frame (mm.c: a file's page is in memory once),
 * and a freed page is unmapped, never reused while a process still maps
 * its frame (the kernel frees the frame with its last mapping). ---- */
static uint64_t pool_top = POOL_BASE;
static uint64_t *pool_free; /* addresses of pages given back, to map again */
static size_t pool_nfree, pool_cap;

static void *pool_page(void)
{
    uint64_t va = pool_nfree ? pool_free[--pool_nfree] : pool_top;
    if (sys_mem_map(H_SELF, va, PAGE_SZ, PROT_READ | PROT_WRITE) < 0) {
        if (va != pool_top)
            pool_free[pool_nfree++] = va;
        return NULL;
    }
    if (va == pool_top)
        pool_top += PAGE_SZ;
    return (void *)va;
}

static void pool_put(void *page)
{
    sys_mem_unmap(H_SELF, (uint64_t)page, PAGE_SZ);
    if (pool_nfree == pool_cap) {
        size_t cap = pool_cap ? 2 * pool_cap : 256;
        uint64_t *grown = realloc(pool_free, cap * sizeof *grown);
        if (!grown)
            return; /* the address is lost, not the memory */
        pool_free = grown, pool_cap = cap;
    }
    pool_free[pool_nfree++] = (uint64_t)page;
}

static uint64_t span(int height) { return height >= 6 ? UINT64_MAX : 1ull << (9 * height); } /* 512^6 > 2^51 */

/* Makes a short page 0 (height 0) hold len bytes, the new ones zero; at
 * PAGE_SZ it becomes a whole page of the pool. */
static int page0_grow(struct inode *ino, uint64_t len)
{
    if (ino->height || !ino->pages || len <= ino->cap0 || ino->cap0 == PAGE_SZ) /* whole already: a pool page */
        return 0;
    len = len >= PAGE_SZ ? PAGE_SZ : (len + 63) & ~63ull;
    char *p = len == PAGE_SZ ? pool_page() : realloc(ino->pages, len);
    if (!p)
        return -LINUX_ENOMEM;
    if (len == PAGE_SZ) { /* pool pages come zeroed */
        memcpy(p, ino->pages, ino->cap0);
        free(ino->pages);
    } else {
        memset(p + ino->cap0, 0, len - ino->cap0);
    }
    ino->pages = p;
    ino->cap0 = (uint32_t)len;
    return 0;
}

/* Whether the page in slot is a short page 0 (malloc'd) rather than a
 * whole page of the pool. */
static bool short_page(const struct inode *ino, void *const *slot)
{
    return slot == &ino->pages && !ino->height && ino->cap0 < PAGE_SZ;
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

/* A page fallocate took that was never written: counted as a block, in
 * no memory until it is (page_new), read as zeros, and a hole to
 * SEEK_DATA, as Linux's tmpfs keeps a fallocated page that is not
 * uptodate.  Never page 0 alone (slot ino->pages at height 0). */
#define RESERVED ((void *)1)

static const char *tmpfs_page(const struct inode *ino, uint64_t index)
{
    void **slot = page_slot((struct inode *)ino, index, false);
    return slot && *slot != RESERVED ? *slot : NULL;
}

uint64_t tmpfs_shmem_pages;

/* The count fs's pages are in: tmpfs's (Shmem), or none (procfs's files; ext2's, whose directories
 * count pages they do not take) */
static uint64_t *counted(const struct fs *fs)
{
    static uint64_t uncounted;
    return fs->magic == TMPFS_MAGIC ? &tmpfs_shmem_pages : &uncounted;
}

/* A page more of ino's file system's size= (Linux's shmem_inode_acct_blocks):
 * 0, or -ENOSPC; block_put gives n back. */
static int block_take(struct inode *ino)
{
    struct fs *fs = ino->fs;
    if (fs->blocks_max && fs->blocks_used >= fs->blocks_max)
        return -LINUX_ENOSPC;
    fs->blocks_used++, ino->npages++;
    *counted(fs) += 1;
    return 0;
}

static void block_put(struct inode *ino, uint64_t n)
{
    ino->fs->blocks_used -= n, ino->npages -= n;
    *counted(ino->fs) -= n;
}

/* Fills the empty slot with a page of zeros: page 0 alone (slot is
 * ino->pages) a short one of 64 bytes, any other a whole page of the
 * pool.  0, -ENOSPC past the file system's size=, or -ENOMEM when no
 * memory is left. */
static int page_new(struct inode *ino, void **slot)
{
    bool short0 = slot == &ino->pages, counted = *slot == RESERVED;
    int r = counted ? 0 : block_take(ino);
    if (r < 0)
        return r;
    void *page = short0 ? calloc(1, 64) : pool_page();
    if (!page) {
        if (!counted)
            block_put(ino, 1);
        return -LINUX_ENOMEM;
    }
    *slot = page;
    ino->cap0 = short0 ? 64 : 0;
    ino->fs->blocks_unbacked -= counted;
    return 0;
}

/* Whether slot holds no page in memory: a hole, or one fallocate reserved. */
static bool no_page(void *const *slot) { return !*slot || *slot == RESERVED; }

static char *tmpfs_whole_page(struct inode *ino, uint64_t index, bool create)
{
    void **slot = page_slot(ino, index, create);
    if (slot && no_page(slot) && create && page_new(ino, slot) < 0)
        return NULL;
    if (!slot || no_page(slot) || (short_page(ino, slot) && page0_grow(ino, PAGE_SZ) < 0))
        return NULL;
    return *slot;
}

/* Frees the pages at and past index first in the subtree at *slot
 * (height level, its first page base), and the nodes left empty. */
static void prune(struct inode *ino, void **slot, int level, uint64_t base, uint64_t first)
{
    if (!*slot || (level < 6 && base + span(level) <= first))
        return;
    if (level == 0) {
        if (short_page(ino, slot))
            free(*slot);
        else if (*slot != RESERVED)
            pool_put(*slot);
        else
            ino->fs->blocks_unbacked--;
        *slot = NULL;
        block_put(ino, 1);
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
 * in the subtree at node; UINT64_MAX if none.  A page fallocate reserved
 * is present if reserved_present (to fallocate and to punch), else
 * absent (to SEEK_DATA and SEEK_HOLE). */
static uint64_t find_page(void *node, int level, uint64_t base, uint64_t index, bool hole, bool reserved_present)
{
    if (level < 6 && index >= base + span(level))
        return UINT64_MAX;
    if (!node || (level == 0 && node == RESERVED && !reserved_present))
        return hole ? (index > base ? index : base) : UINT64_MAX;
    if (level == 0)
        return hole ? UINT64_MAX : base;
    for (uint64_t i = index > base ? (index - base) / span(level - 1) : 0; i < FANOUT; i++) {
        uint64_t r = find_page(((void **)node)[i], level - 1, base + i * span(level - 1), index, hole,
                               reserved_present);
        if (r != UINT64_MAX)
            return r;
    }
    return UINT64_MAX;
}

static int64_t tmpfs_seek_data(const struct inode *ino, uint64_t off, bool hole)
{
    if (off >= ino->size)
        return -LINUX_ENXIO;
    uint64_t page = off / PAGE_SZ, found = find_page(ino->pages, ino->height, 0, page, hole, false);
    if (hole && found == UINT64_MAX) /* none in the tree from there on: the holes past its end */
        found = page > span(ino->height) ? page : span(ino->height);
    uint64_t at = found == UINT64_MAX ? UINT64_MAX : found == page ? off : found * PAGE_SZ;
    if (hole)
        return (int64_t)(at < ino->size ? at : ino->size); /* the end of the file is a hole */
    return at < ino->size ? (int64_t)at : -LINUX_ENXIO;
}

static int tmpfs_write(struct inode *ino, uint64_t off, const void *buf, size_t n)
{
    if (n > UINT64_MAX - off)
        return -LINUX_EFBIG;
    for (size_t done = 0; done < n;) {
        uint64_t at = off + done, in = at % PAGE_SZ, k = n - done < PAGE_SZ - in ? n - done : PAGE_SZ - in;
        void **slot = page_slot(ino, at / PAGE_SZ, true);
        bool short0 = slot == &ino->pages; /* page 0, alone: as long as needed */
        int r = !slot ? -LINUX_ENOMEM : no_page(slot) ? page_new(ino, slot) : 0;
        if (r == 0 && short0 && page0_grow(ino, in + k) < 0)
            r = -LINUX_ENOMEM;
        if (r < 0) {
            if (!done)
                return r;
            n = done; /* as much as fitted */
            break;
        }
        memcpy((char *)*slot + in, (const char *)buf + done, k);
        done += k;
    }
    if (off + n > ino->size)
        ino->size = off + n;
    fs_modified(ino);
    return (int)n;
}

static size_t tmpfs_read(const struct inode *ino, uint64_t off, void *buf, size_t n)
{
    if (off >= ino->size)
        return 0;
    n = ino->size - off < n ? ino->size - off : n;
    for (size_t done = 0; done < n;) {
        uint64_t at = off + done, in = at % PAGE_SZ, k = n - done < PAGE_SZ - in ? n - done : PAGE_SZ - in;
        const char *page = tmpfs_page(ino, at / PAGE_SZ);
        if (page)
            memcpy((char *)buf + done, page + in, k);
        else
            memset((char *)buf + done, 0, k);
        done += k;
    }
    return n;
}

/* A target this long or longer takes a page of its own, as shmem's
 * beyond SHORT_SYMLINK_LEN (its length counts the terminating 0). */
#define SHORT_LINK 128

static int tmpfs_set_link(struct inode *ino, const char *target, size_t n)
{
    if (ino->npages)
        block_put(ino, ino->npages);
    int r = n >= SHORT_LINK ? block_take(ino) : 0;
    char *t = r < 0 ? NULL : malloc(n ? n : 1);
    if (!t) {
        if (r == 0 && n >= SHORT_LINK)
            block_put(ino, 1);
        return r < 0 ? r : -LINUX_ENOMEM;
    }
    memcpy(t, target, n);
    free(ino->data);
    ino->data = t;
    ino->size = n;
    fs_modified(ino);
    return 0;
}

static int tmpfs_truncate(struct inode *ino, uint64_t size)
{
    if (size < ino->size) { /* what is cut goes, so that growing again shows zeros */
        prune(ino, &ino->pages, ino->height, 0, (size + PAGE_SZ - 1) / PAGE_SZ);
        void **last = size % PAGE_SZ ? page_slot(ino, size / PAGE_SZ, false) : NULL;
        uint64_t len = last == &ino->pages ? ino->cap0 : PAGE_SZ;
        if (last && !no_page(last) && len > size % PAGE_SZ)
            memset((char *)*last + size % PAGE_SZ, 0, len - size % PAGE_SZ);
    } else if (page0_grow(ino, size) < 0) { /* a short page 0 reads as long as the file */
        return -LINUX_ENOMEM;
    }
    ino->size = size; /* a file grown is sparse: holes up to its new end */
    fs_modified(ino);
    return 0;
}

/* The next hole at or after page i (past the tree, all are holes). */
static uint64_t next_hole(const struct inode *ino, uint64_t i)
{
    uint64_t hole = find_page(ino->pages, ino->height, 0, i, true, true);
    return hole != UINT64_MAX ? hole : i > span(ino->height) ? i : span(ino->height);
}

/* fallocate's allocation: each hole of pages [first, end) becomes a
 * reserved page (RESERVED: a block, but no memory until written; page 0
 * alone a page of zeros).  -ENOSPC, with nothing taken, if they would
 * pass the size= (Linux's shmem_fallocate undoes what it took); -ENOMEM
 * when the tree's nodes find no memory (the pages made so far stay). */
static int tmpfs_allocate(struct inode *ino, uint64_t first, uint64_t end)
{
    struct fs *fs = ino->fs;
    if (fs->blocks_max) {
        uint64_t holes = 0, room = fs->blocks_max > fs->blocks_used ? fs->blocks_max - fs->blocks_used : 0;
        for (uint64_t i = next_hole(ino, first); i < end && holes <= room; i = next_hole(ino, i + 1))
            holes++;
        if (holes > room)
            return -LINUX_ENOSPC;
    }
    for (uint64_t i = next_hole(ino, first); i < end; i = next_hole(ino, i + 1)) {
        void **slot = page_slot(ino, i, true);
        int r = !slot ? -LINUX_ENOMEM : slot == &ino->pages ? page_new(ino, slot) : block_take(ino);
        if (r < 0)
            return r;
        if (slot != &ino->pages)
            *slot = RESERVED, ino->fs->blocks_unbacked++;
    }
    return 0;
}

/* A hole punched in [off, off + len): the pages wholly inside are freed,
 * the bytes of the two at its ends made zero. */
static void tmpfs_punch(struct inode *ino, uint64_t off, uint64_t len)
{
    uint64_t end = len > UINT64_MAX - off ? UINT64_MAX : off + len;
    uint64_t first = (off + PAGE_SZ - 1) / PAGE_SZ, last = end / PAGE_SZ; /* the whole pages: [first, last) */
    for (uint64_t i = find_page(ino->pages, ino->height, 0, first, false, true); i < last;
         i = find_page(ino->pages, ino->height, 0, i + 1, false, true))
        prune(ino, page_slot(ino, i, false), 0, i, 0);
    uint64_t head_end = first * PAGE_SZ < end ? first * PAGE_SZ : end; /* a range within one page is all head */
    uint64_t ends[2][2] = {{off, head_end}, {last * PAGE_SZ > head_end ? last * PAGE_SZ : head_end, end}};
    for (int k = 0; k < 2; k++) {
        uint64_t from = ends[k][0], to = ends[k][1];
        void **slot = from < to ? page_slot(ino, from / PAGE_SZ, false) : NULL;
        if (!slot || no_page(slot))
            continue;
        uint64_t cap = short_page(ino, slot) ? ino->cap0 : PAGE_SZ, in = from % PAGE_SZ;
        uint64_t n = to - from < cap - in ? to - from : cap > in ? cap - in : 0;
        memset((char *)*slot + in, 0, n);
    }
    fs_modified(ino);
}

static void tmpfs_drop(struct inode *ino)
{
    if (ino->lazily_mapped)
        mm_file_changing(ino);
    prune(ino, &ino->pages, ino->height, 0, 0);
    ino->height = 0;
    if (ino->npages) /* a long symlink's page */
        block_put(ino, ino->npages);
    free(ino->data);
    ino->data = NULL;
    for (struct xattr *x = ino->xattrs, *n; x; x = n) {
        n = x->next;
        free(x->name), free(x->value), free(x);
    }
    ino->xattrs = NULL;
}

const struct inode_ops tmpfs_iops = {
    .read = tmpfs_read,
    .write = tmpfs_write,
    .truncate = tmpfs_truncate,
    .page = tmpfs_page,
    .whole_page = tmpfs_whole_page,
    .seek_data = tmpfs_seek_data,
    .set_link = tmpfs_set_link,
    .allocate = tmpfs_allocate,
    .punch = tmpfs_punch,
    .drop = tmpfs_drop,
};

/* A tmpfs's f_fsid, as Linux 6.7's shmem_statfs gives one (from a uuid
 * made at each mount; 6.1's tmpfs had none): here its device number,
 * scrambled, never 0.  With it a
 * fanotify FID group may mark a tmpfs, and so the root, which is a disk
 * file system with an fsid on the machines test suites run on. */
static void tmpfs_fsid(const struct fs *fs, int32_t fsid[2])
{
    uint64_t v = (fs->dev + 1) * 0xff51afd7ed558ccdull ^ 0x9e3779b97f4a7c15ull;
    v ^= v >> 29;
    fsid[0] = (int32_t)(uint32_t)v ? (int32_t)(uint32_t)v : 1, fsid[1] = (int32_t)(uint32_t)(v >> 32);
}

/* The root is a tmpfs in this server's memory: its blocks are the
 * machine's, and it may grow into all that is free.  A mount's are its
 * size= and nr_inodes=, as Linux's shmem_statfs shows them (0: unlimited). */
static void tmpfs_statfs(struct fs *fs, struct linux_statfs *s)
{
    tmpfs_fsid(fs, s->fsid);
    if (fs != &rootfs) {
        s->blocks = (int64_t)fs->blocks_max;
        s->bfree = s->bavail = fs->blocks_max > fs->blocks_used ? (int64_t)(fs->blocks_max - fs->blocks_used) : 0;
        s->files = (int64_t)fs->inodes_max;
        s->ffree = fs->inodes_max > fs->inodes_used ? (int64_t)(fs->inodes_max - fs->inodes_used) : 0;
        return;
    }
    struct persona_memstats ms = {0, 0};
    sys_stats(STATS_MEMORY, -1, &ms, sizeof ms);
    s->blocks = (int64_t)(ms.total_bytes / 4096);
    uint64_t free_pages = ms.free_bytes / 4096; /* less what fallocate promised */
    s->bfree = s->bavail = (int64_t)(free_pages > fs->blocks_unbacked ? free_pages - fs->blocks_unbacked : 0);
    s->files = s->blocks;
    uint64_t used = fs_inodes_live();
    s->ffree = (uint64_t)s->files > used ? s->files - (int64_t)used : 0;
}

const struct fs_ops tmpfs_ops = {.statfs = tmpfs_statfs};

struct fs rootfs = {.type = "tmpfs", .dev = DEV_ROOTFS, .magic = TMPFS_MAGIC, .ops = &tmpfs_ops, .iops = &tmpfs_iops,
                   .xattrs = true};
