/*
 * personalities/linux/uapi_landlock.h - the Linux ABI of Landlock
 * (linux/landlock.h): landlock_create_ruleset's flags, the rule types,
 * the file-system and network access rights; and the ioctl commands a
 * device opened without LANDLOCK_ACCESS_FS_IOCTL_DEV may still be given
 * (linux/fs.h, asm/ioctls.h).  Beside uapi.h, for landlock.c (the same
 * rules: Linux's names and values, checked by scripts/check-uapi.py;
 * a name the machine's headers are too old to have is listed, not
 * failed).
 *
 * Entry points: none; names only.  Layer: the bottom.  Book:
 * docs/linux.md, "Landlock".
 */
#ifndef LINUX_UAPI_LANDLOCK_H
#define LINUX_UAPI_LANDLOCK_H

#define LINUX_EBADFD 77 /* asm-generic/errno.h: a descriptor that is not a ruleset, or not a file to rule on */
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0) /* linux/landlock.h */
#define LANDLOCK_CREATE_RULESET_ERRATA (1U << 1)
enum { LANDLOCK_RULE_PATH_BENEATH = 1, LANDLOCK_RULE_NET_PORT = 2 };
#define LANDLOCK_ACCESS_FS_EXECUTE (1ULL << 0)
#define LANDLOCK_ACCESS_FS_WRITE_FILE (1ULL << 1)
#define LANDLOCK_ACCESS_FS_READ_FILE (1ULL << 2)
#define LANDLOCK_ACCESS_FS_READ_DIR (1ULL << 3)
#define LANDLOCK_ACCESS_FS_REMOVE_DIR (1ULL << 4)
#define LANDLOCK_ACCESS_FS_REMOVE_FILE (1ULL << 5)
#define LANDLOCK_ACCESS_FS_MAKE_CHAR (1ULL << 6)
#define LANDLOCK_ACCESS_FS_MAKE_DIR (1ULL << 7)
#define LANDLOCK_ACCESS_FS_MAKE_REG (1ULL << 8)
#define LANDLOCK_ACCESS_FS_MAKE_SOCK (1ULL << 9)
#define LANDLOCK_ACCESS_FS_MAKE_FIFO (1ULL << 10)
#define LANDLOCK_ACCESS_FS_MAKE_BLOCK (1ULL << 11)
#define LANDLOCK_ACCESS_FS_MAKE_SYM (1ULL << 12)
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#define LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF (1U << 0)
#define LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON (1U << 1)
#define LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF (1U << 2)

#define FIOQSIZE 0x5460 /* asm/ioctls.h; FIOCLEX, FIONCLEX, FIONBIO are uapi_tty.h's */
#define FIOASYNC 0x5452
#define FIFREEZE 0xc0045877 /* linux/fs.h */
#define FITHAW 0xc0045878
#define FS_IOC_FIEMAP 0xc020660b
#define FIGETBSZ 2
#define FICLONE 0x40049409
#define FICLONERANGE 0x4020940d
#define FIDEDUPERANGE 0xc0189436
#define FS_IOC_GETFSUUID 0x80111500
#define FS_IOC_GETFSSYSFSPATH 0x80811501

#endif
