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
