/*
 * personalities/linux/uapi_ext2.h - the ext2 file system's on-disk
 * format, as Linux's fs/ext2/ext2.h and e2fsprogs' ext2_fs.h define it:
 * the superblock (1024 bytes at byte 1024), a group's descriptor, an
 * inode, a directory entry, and the feature bits.  Little-endian, as the
 * machine is.  Part of uapi.h's rules (Linux's names and values, checked
 * by scripts/check-uapi.py where the system's headers name them).
 *
 * Entry points: none; names only.  Layer: the bottom.  Book:
 * docs/linux.md, "Block and loop devices".
 */
#ifndef LINUX_UAPI_EXT2_H
#define LINUX_UAPI_EXT2_H
#include <stdint.h>

#define EXT2_SUPER_MAGIC 0xEF53
#define EXT2_ROOT_INO 2
#define EXT2_RESIZE_INO 7
#define EXT2_GOOD_OLD_FIRST_INO 11
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK 12
#define EXT2_DIND_BLOCK 13
#define EXT2_TIND_BLOCK 14
#define EXT2_N_BLOCKS 15
#define EXT2_NAME_LEN 255
#define EXT2_VALID_FS 1
#define EXT2_INDEX_FL 0x1000 /* a directory with an htree index */

/* features (Linux's ext2 knows these; ext4's bits beyond are refused) */
#define EXT2_FEATURE_COMPAT_EXT_ATTR 0x0008
#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002
#define EXT2_FEATURE_INCOMPAT_META_BG 0x0010
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002
#define EXT2_FEATURE_RO_COMPAT_BTREE_DIR 0x0004
#define EXT4_FEATURE_RO_COMPAT_HUGE_FILE 0x0008 /* i_blocks in file system blocks, 48 bits (ext4's) */
#define EXT2_FEATURE_INCOMPAT_SUPP EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_FEATURE_RO_COMPAT_SUPP \
    (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE | EXT2_FEATURE_RO_COMPAT_BTREE_DIR)

/* a directory entry's file type (with FILETYPE) */
enum { EXT2_FT_UNKNOWN, EXT2_FT_REG_FILE, EXT2_FT_DIR, EXT2_FT_CHRDEV, EXT2_FT_BLKDEV, EXT2_FT_FIFO, EXT2_FT_SOCK,
       EXT2_FT_SYMLINK };

struct ext2_super_block {
    uint32_t s_inodes_count, s_blocks_count, s_r_blocks_count, s_free_blocks_count, s_free_inodes_count;
    uint32_t s_first_data_block, s_log_block_size, s_log_frag_size, s_blocks_per_group, s_frags_per_group;
    uint32_t s_inodes_per_group, s_mtime, s_wtime;
    uint16_t s_mnt_count;
    int16_t s_max_mnt_count;
    uint16_t s_magic, s_state, s_errors, s_minor_rev_level;
    uint32_t s_lastcheck, s_checkinterval, s_creator_os, s_rev_level;
    uint16_t s_def_resuid, s_def_resgid;
    uint32_t s_first_ino;
    uint16_t s_inode_size, s_block_group_nr;
    uint32_t s_feature_compat, s_feature_incompat, s_feature_ro_compat;
    uint8_t s_uuid[16];
    char s_volume_name[16], s_last_mounted[64];
    uint32_t s_algorithm_usage_bitmap;
    uint8_t s_prealloc_blocks, s_prealloc_dir_blocks;
    uint16_t s_reserved_gdt_blocks;
    uint8_t s_rest[1024 - 208]; /* the journal's, the hash seed, ext4's */
};
_Static_assert(sizeof(struct ext2_super_block) == 1024, "ext2 superblock");

struct ext2_group_desc {
    uint32_t bg_block_bitmap, bg_inode_bitmap, bg_inode_table;
    uint16_t bg_free_blocks_count, bg_free_inodes_count, bg_used_dirs_count, bg_flags;
    uint32_t bg_reserved[3];
};
_Static_assert(sizeof(struct ext2_group_desc) == 32, "ext2 group descriptor");

/* An inode's first 128 bytes, and the large inode's extra fields after. */
struct ext2_inode {
    uint16_t i_mode, i_uid;
    uint32_t i_size, i_atime, i_ctime, i_mtime, i_dtime;
    uint16_t i_gid, i_links_count;
    uint32_t i_blocks, i_flags, i_osd1;
    uint32_t i_block[EXT2_N_BLOCKS];
    uint32_t i_generation, i_file_acl, i_size_high, i_faddr;
    uint16_t i_blocks_hi, i_file_acl_high, i_uid_high, i_gid_high;
    uint32_t i_osd2_rest;
    /* a large inode's (s_inode_size > 128): times' nanoseconds << 2 and epoch bits */
    uint16_t i_extra_isize, i_checksum_hi;
    uint32_t i_ctime_extra, i_mtime_extra, i_atime_extra, i_crtime, i_crtime_extra;
};
_Static_assert(sizeof(struct ext2_inode) == 152, "ext2 inode");

struct ext2_dir_entry {
    uint32_t inode;
    uint16_t rec_len;
    uint8_t name_len, file_type;
};

#endif
