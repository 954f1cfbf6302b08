/*
 * personalities/linux/ext2.h - ext2 file systems on block devices (loop
 * devices): mount reads the whole image into the tree of names and
 * tmpfs's pages (ext2.c), and sync, syncfs, fsync, a remount read-only
 * and umount write the tree back whole into the image (ext2sync.c).
 *
 * Entry points: ext2_new (mount.c: mount(2) with type "ext2"), ext2_is,
 * and the file system's fs_ops.sync (io.c, mount.c).  Layer: the file
 * system's, beside loop.c, whose bound file holds the image.  Book:
 * docs/linux.md, "Block and loop devices".
 */
#ifndef LINUX_EXT2_H
#define LINUX_EXT2_H
#include "fs.h"
#include "uapi_ext2.h"

/* A mounted ext2 file system.  fs comes first: its inodes point at it. */
/* The options of a mount (ext2opts.c): -1 where not given. */
struct ext2_opts {
    int8_t grpid, minixdf, nouid32, debug, usrquota, grpquota, errors; /* errors: 1 continue, 2 remount-ro, 3 panic */
    int8_t nobarrier, discard, noautoda, novalidity, ro;
    int64_t resuid, resgid, readahead;
    uint32_t sb_set, sb_clear; /* the superblock flags' words: MS_SYNCHRONOUS ... */
};

struct ext2 {
    struct fs fs;
    uint32_t rdev;        /* the block device's number */
    struct ext2 *next;    /* the mounted ones: a device mounted twice is EBUSY */
    struct ext2_super_block sb;
    struct ext2_group_desc *gd; /* the group descriptors, as read */
    uint32_t bsize, groups, gdt_blocks, isize, first_ino;
    uint8_t *ino_used;    /* numbers taken (1..s_inodes_count): by the tree, open files, the reserved ones */
    uint64_t overhead;    /* ext2_statfs's: the blocks of the layout */
    uint64_t static_used; /* blocks the layout and the reserved inodes take (before s_first_data_block too) */
    uint8_t *layout;      /* those blocks' bitmap, over the whole image */
    bool loading;         /* mount reading the tree: its inodes bring their numbers */
    struct ext2_opts opts; /* the mount's options as given, merged over remounts */
};

/* A new ext2 file system read from the block device dev (a node: the
 * mount's source, named source), to be mounted on point: 0; or 1, the
 * one already mounted from dev, to be mounted again (as Linux's sget);
 * or ENOTBLK (not a block device), ENXIO (no driver), EIO (an unbound
 * loop device, an image too short), EBUSY (mounted with the other
 * read-only state), EINVAL (not an ext2 image ext2 can mount), EACCES
 * (read-write on a read-only device), ENOMEM. */
int ext2_new(const struct inode *dev, const char *source, const char *data, uint64_t flags,
             const struct inode *point, struct fs **out);
bool ext2_is(const struct fs *fs);
/* Whether one option (value NULL: a flag) is one ext2_options_parse
 * takes (fsconfig's, one key at a time: ext2opts.c). */
bool ext2_option_ok(const char *key, const char *value);
/* Whether its image may be mounted read-write: no RO_COMPAT feature ext2
 * does not know (a remount read-write is EINVAL else). */
bool ext2_writable(const struct fs *fs);
/* After the write-back of an unmount: the device is free again. */
void ext2_release(struct fs *fs);
/* mount(2)'s data: 0 or EINVAL (ext2opts.c); then kept and shown on e
 * (fs.opts, fs.sb_flags), over those given before (a remount's). */
int ext2_options_parse(const char *data, struct ext2_opts *o);
void ext2_options_apply(struct ext2 *e, const struct ext2_opts *o);
/* fs_ops.xattr_room: where an attribute fits on an ext2 file (ext2xattr.c). */
int ext2_xattr_room(const struct inode *ino, const char *name, size_t size, const struct xattr *old);
/* Inode n's attributes from the image onto ino (mount; blk a scratch block), POSIX ACLs among them (in
 * acl.c's form), in place of any fs_create gave it: 0, EINVAL, ENOMEM. */
int ext2_xattr_load(struct ext2 *e, const struct ext2_inode *raw, uint32_t n, struct inode *ino, uint8_t *blk);
/* ino's attributes in the order Linux lists them: the inode's as they
 * were set, then the block's in its sorted order (xattr.c's listxattr). */
void ext2_xattr_order(struct inode *ino);
/* The write-back's: whether ino needs an attribute block, that block's
 * bytes, and the attributes in the inode's room of its table slot. */
bool ext2_xattr_block_wanted(const struct inode *ino);
void ext2_xattr_put_block(const struct ext2 *e, const struct inode *ino, uint8_t *buf);
void ext2_xattr_put_body(const struct ext2 *e, const struct inode *ino, uint8_t *slot);

/* ---- ext2.c's helpers for ext2sync.c ---- */
/* n bytes of the image at byte off: 0, or -EIO past its end or once the
 * device is unbound. */
int ext2_io(struct ext2 *e, uint64_t off, void *buf, size_t n, bool write);
/* Inode n's fields (the large inode's extra ones zero unless it has
 * them): 0, or -EINVAL. */
int ext2_inode_read(struct ext2 *e, uint32_t n, struct ext2_inode *raw);
/* The block holding logical block lb of a file (0: a hole, *span blocks
 * long from lb), through the indirect blocks; buf is a scratch block of
 * e->bsize bytes.  -EINVAL for a block outside the image. */
int ext2_map_block(struct ext2 *e, const struct ext2_inode *raw, uint64_t lb, uint32_t *out, uint32_t *buf,
                   uint64_t *span);
/* Whether group g holds a copy of the superblock (sparse_super). */
bool ext2_group_has_super(const struct ext2 *e, uint32_t g);
/* ---- ext2sync.c ---- */
/* The write-back: fs_ops.sync.  ENOSPC if the tree no longer fits. */
int ext2_sync(struct fs *fs);
/* The layout's bitmap (static_used): the superblock's copies, the group
 * descriptors and reserved ones, bitmaps, inode tables, and every block
 * of the reserved inodes (the resize inode's).  0, or -EINVAL. */
int ext2_layout_used(struct ext2 *e);
/* The blocks (data and indirect) ino takes once written back; and all
 * the tree's. */
uint64_t ext2_inode_blocks(struct ext2 *e, const struct inode *ino);
/* A time (ns) as e's inodes hold it, Linux's timestamp_truncate with the
 * ext4 driver's limits: 128-byte inodes whole seconds from 1901 to 2038,
 * larger ones nanoseconds from 1901 (to 2446, past what an inode's
 * nanosecond count reaches); at a limit, no fraction.  Stat shows it and
 * the image keeps it (ext2.c's getattr, ext2sync.c). */
int64_t ext2_time(const struct ext2 *e, int64_t ns);
uint64_t ext2_blocks_used(struct ext2 *e);

/* ---- ext2map.c: the block map, as FS_IOC_FIEMAP and FIBMAP report it ---- */
/* The largest file of block-mapped (indirect) blocks, in bytes, as
 * Linux's ext4_max_bitmap_size counts it: the mount's fs.maxbytes. */
uint64_t ext2_maxbytes(const struct ext2 *e);
/* ino (a file or directory of an ext2) written back, then its inode as
 * the image holds it into raw (no blocks for one with no name left). */
int ext2_map_open(struct inode *ino, struct ext2_inode *raw);
/* From logical block lb, at most to block last: the run of blocks mapped
 * alike (*pb 0: a hole), *n long; a mapped run is contiguous and ends
 * where its indirect block's reach does, as Linux's ext4_ind_map_blocks
 * maps one. */
int ext2_map_run(struct ext2 *e, const struct ext2_inode *raw, uint64_t lb, uint64_t last, uint32_t *pb,
                 uint64_t *n);
/* tmpfs's write, truncate and punch, which also keep, on an image of
 * blocks smaller than a page, the blocks of the file's pages that no
 * write touched: ext2_block_hole says whether block lb is one that holds
 * only zeros (the write-back leaves it a hole), as Linux allocates only
 * the blocks a write reaches; and tmpfs's SEEK_DATA/SEEK_HOLE, which
 * finds those holes too. */
int ext2_write(struct inode *ino, uint64_t off, const void *buf, size_t n);
int ext2_truncate(struct inode *ino, uint64_t size);
void ext2_punch(struct inode *ino, uint64_t off, uint64_t len);
int64_t ext2_seek_data(const struct inode *ino, uint64_t off, bool hole);
bool ext2_block_hole(const struct inode *ino, uint64_t lb);

#endif
