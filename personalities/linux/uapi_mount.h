/*
 * personalities/linux/uapi_mount.h - the Linux ABI of mounting: mount's
 * flags, umount2's and swapon's.  Part of uapi.h, which includes it (the same
 * rules: Linux's names and values, checked by scripts/check-uapi.py).
 *
 * Entry points: none; names only.  Layer: the bottom.  Book: docs/linux.md,
 * "Mounts".
 */
#ifndef LINUX_UAPI_MOUNT_H
#define LINUX_UAPI_MOUNT_H

/* ---- mount's flags (linux/mount.h) ---- */
#define MS_RDONLY 1
#define MS_NOSUID 2
#define MS_NODEV 4
#define MS_NOEXEC 8
#define MS_SYNCHRONOUS 16
#define MS_REMOUNT 32
#define MS_MANDLOCK 64
#define MS_DIRSYNC 128
#define MS_NOSYMFOLLOW 256
#define MS_NOATIME 1024
#define MS_NODIRATIME 2048
#define MS_BIND 4096
#define MS_MOVE 8192
#define MS_REC 16384
#define MS_SILENT 32768
#define MS_UNBINDABLE (1 << 17)
#define MS_PRIVATE (1 << 18)
#define MS_SLAVE (1 << 19)
#define MS_SHARED (1 << 20)
#define MS_RELATIME (1 << 21)
#define MS_STRICTATIME (1 << 24)
#define MS_LAZYTIME (1 << 25)
#define MS_MGC_VAL 0xC0ED0000
#define MS_MGC_MSK 0xffff0000

/* ---- the new mount API (linux/mount.h) ---- */
#define OPEN_TREE_CLONE 1
#define MOVE_MOUNT_F_SYMLINKS 0x00000001
#define MOVE_MOUNT_F_AUTOMOUNTS 0x00000002
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#define MOVE_MOUNT_T_SYMLINKS 0x00000010
#define MOVE_MOUNT_T_AUTOMOUNTS 0x00000020
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#define MOVE_MOUNT_SET_GROUP 0x00000100
#define MOVE_MOUNT__MASK 0x00000177
#define AT_NO_AUTOMOUNT 0x800 /* open_tree's, mount_setattr's flags (linux/fcntl.h) */
#define AT_STATX_SYNC_TYPE 0x6000 /* statx's (linux/fcntl.h) */
#define STATX_MNT_ID 0x1000 /* (linux/stat.h) */
#define STATX_BTIME 0x800
#define STATX__RESERVED 0x80000000u
#define STATX_ATTR_COMPRESSED 0x4
#define STATX_ATTR_IMMUTABLE 0x10
#define STATX_ATTR_APPEND 0x20
#define STATX_ATTR_NODUMP 0x40
#define STATX_ATTR_ENCRYPTED 0x800
#define STATX_ATTR_AUTOMOUNT 0x1000
#define STATX_ATTR_MOUNT_ROOT 0x2000
#define STATX_ATTR_DAX 0x200000
#define AT_RECURSIVE 0x8000
#define FSOPEN_CLOEXEC 0x00000001
#define FSPICK_CLOEXEC 0x00000001
#define FSPICK_SYMLINK_NOFOLLOW 0x00000002
#define FSPICK_NO_AUTOMOUNT 0x00000004
#define FSPICK_EMPTY_PATH 0x00000008
enum {
    FSCONFIG_SET_FLAG = 0,
    FSCONFIG_SET_STRING = 1,
    FSCONFIG_SET_BINARY = 2,
    FSCONFIG_SET_PATH = 3,
    FSCONFIG_SET_PATH_EMPTY = 4,
    FSCONFIG_SET_FD = 5,
    FSCONFIG_CMD_CREATE = 6,
    FSCONFIG_CMD_RECONFIGURE = 7,
};
#define FSMOUNT_CLOEXEC 0x00000001
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#define MOUNT_ATTR__ATIME 0x00000070
#define MOUNT_ATTR_RELATIME 0x00000000
#define MOUNT_ATTR_NOATIME 0x00000010
#define MOUNT_ATTR_STRICTATIME 0x00000020
#define MOUNT_ATTR_NODIRATIME 0x00000080
#define MOUNT_ATTR_IDMAP 0x00100000
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#define MOUNT_ATTR_SIZE_VER0 32

/* struct mount_attr, mount_setattr's argument (its first version) */
struct mount_attr_k {
    uint64_t attr_set, attr_clr, propagation, userns_fd;
};
_Static_assert(sizeof(struct mount_attr_k) == MOUNT_ATTR_SIZE_VER0, "struct mount_attr");

/* ---- umount2's flags (include/linux/fs.h; glibc's sys/mount.h) ---- */
#define MNT_FORCE 1
#define MNT_DETACH 2
#define MNT_EXPIRE 4
#define UMOUNT_NOFOLLOW 8

/* ---- swapon's flags (sys/swap.h) ---- */
#define SWAP_FLAG_PREFER 0x8000
#define SWAP_FLAG_PRIO_MASK 0x7fff
#define SWAP_FLAG_DISCARD 0x10000
#define SWAP_FLAG_DISCARD_ONCE 0x20000
#define SWAP_FLAG_DISCARD_PAGES 0x40000

/* ---- quotactl's commands (linux/quota.h) ---- */
#define MAXQUOTAS 3
#define SUBCMDMASK 0x00ff
#define SUBCMDSHIFT 8
#define Q_SYNC 0x800001
#define LINUX_ENOTBLK 15 /* asm-generic/errno-base.h: what quotactl answers for a file not a block device */

#endif
