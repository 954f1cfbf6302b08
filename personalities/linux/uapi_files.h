/*
 * personalities/linux/uapi_files.h - the Linux ABI of the newer file
 * calls: the newer open flags, preadv2's and pwritev2's RWF_* flags, memfd_create's MFD_*,
 * file seals, close_range's flags, fadvise's advice, native AIO's iocb
 * and io_event, pidfds' flags, timerfd's and eventfd's.  Part of uapi.h,
 * which includes it (the same rules: Linux's names and values, checked by
 * scripts/check-uapi.py).
 *
 * Entry points: none; names only.  Layer: the bottom.  Book: docs/linux.md,
 * "Files".
 */
#ifndef LINUX_UAPI_FILES_H
#define LINUX_UAPI_FILES_H

/* ---- open flags (asm-generic/fcntl.h): O_LARGEFILE is what F_GETFL shows
 * of every file open makes on 64-bit (Linux's force_o_largefile) ---- */
#define O_LARGEFILE 0100000
#define O_DSYNC 010000
#define O_SYNC 04010000
#define O_NOATIME 01000000
#define O_NOTIFICATION_PIPE 0200 /* O_EXCL: pipe2's notification pipe (linux/watch_queue.h) */

/* ---- pidfds (linux/pidfd.h) ---- */
#define PIDFD_NONBLOCK O_NONBLOCK /* pidfd_open's flags */
#define PIDFD_THREAD O_EXCL
#define PIDFD_SIGNAL_THREAD 1 /* pidfd_send_signal's */
#define PIDFD_SIGNAL_THREAD_GROUP 2
#define PIDFD_SIGNAL_PROCESS_GROUP 4
#define O_PATH 010000000

/* ---- preadv2 and pwritev2 (linux/fs.h; the last four are newer than
 * some headers) ---- */
#define RWF_HIPRI 0x01
#define RWF_DSYNC 0x02
#define RWF_SYNC 0x04
#define RWF_NOWAIT 0x08
#define RWF_APPEND 0x10
#define RWF_NOAPPEND 0x20
#define RWF_ATOMIC 0x40
#define RWF_DONTCACHE 0x80
#define RWF_NOSIGNAL 0x100

/* ---- memfd_create (linux/memfd.h) and file seals (linux/fcntl.h) ---- */
#define MFD_CLOEXEC 1
#define MFD_ALLOW_SEALING 2
#define MFD_HUGETLB 4
#define MFD_NOEXEC_SEAL 8
#define MFD_EXEC 0x10
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 1
#define F_SEAL_SHRINK 2
#define F_SEAL_GROW 4
#define F_SEAL_WRITE 8
#define F_SEAL_FUTURE_WRITE 0x10
#define F_SEAL_EXEC 0x20
#define F_GET_RW_HINT 1035 /* write-life hints (linux/fcntl.h) */
#define F_SET_RW_HINT 1036
#define RWH_WRITE_LIFE_EXTREME 5

#define SYNC_FILE_RANGE_WAIT_BEFORE 1 /* sync_file_range's flags (linux/fs.h) */
#define SYNC_FILE_RANGE_WRITE 2
#define SYNC_FILE_RANGE_WAIT_AFTER 4

/* ---- signal-driven I/O (asm-generic/fcntl.h, asm-generic/siginfo.h,
 * asm-generic/ioctls.h, asm-generic/sockios.h) ---- */
#define O_DIRECT 040000
#define FASYNC 020000
#define F_SETOWN 8
#define F_GETOWN 9
#define F_SETSIG 10
#define F_GETSIG 11
#define F_SETOWN_EX 15
#define F_GETOWN_EX 16
#define F_OWNER_TID 0
#define F_OWNER_PID 1
#define F_OWNER_PGRP 2
#define POLL_IN 1
#define POLL_OUT 2
#define POLL_MSG 3
#define POLL_ERR 4
#define POLL_PRI 5
#define POLL_HUP 6
#define F_RDLCK 0 /* record locks' and leases' types (asm-generic/fcntl.h) */
#define F_WRLCK 1
#define F_UNLCK 2
#define F_SETLEASE 1024 /* leases (linux/fcntl.h) */
#define F_GETLEASE 1025
#define F_NOTIFY 1026 /* directory notifications (linux/fcntl.h) */
#define DN_ACCESS 0x1
#define DN_MODIFY 0x2
#define DN_CREATE 0x4
#define DN_DELETE 0x8
#define DN_RENAME 0x10
#define DN_ATTRIB 0x20
#define DN_MULTISHOT 0x80000000u
#define FIOSETOWN 0x8901
#define SIOCSPGRP 0x8902
#define FIOGETOWN 0x8903
#define SIOCGPGRP 0x8904

/* ---- execveat's check-only flag (linux/fcntl.h, Linux 6.14) ---- */
#define AT_EXECVE_CHECK 0x10000

/* ---- close_range (linux/close_range.h) ---- */
#define CLOSE_RANGE_UNSHARE 2
#define CLOSE_RANGE_CLOEXEC 4

/* ---- fadvise64 (linux/fadvise.h) ---- */
#define POSIX_FADV_NORMAL 0
#define POSIX_FADV_RANDOM 1
#define POSIX_FADV_SEQUENTIAL 2
#define POSIX_FADV_WILLNEED 3
#define POSIX_FADV_DONTNEED 4
#define POSIX_FADV_NOREUSE 5

/* ---- native AIO (linux/aio_abi.h) ---- */
enum { IOCB_CMD_PREAD = 0, IOCB_CMD_PWRITE = 1, IOCB_CMD_FSYNC = 2, IOCB_CMD_FDSYNC = 3, IOCB_CMD_POLL = 5,
       IOCB_CMD_NOOP = 6, IOCB_CMD_PREADV = 7, IOCB_CMD_PWRITEV = 8 };
#define IOCB_FLAG_RESFD (1 << 0)
struct linux_iocb {
    uint64_t aio_data;
    uint32_t aio_key, aio_rw_flags; /* in this order on a little-endian machine */
    uint16_t aio_lio_opcode;
    int16_t aio_reqprio;
    uint32_t aio_fildes;
    uint64_t aio_buf, aio_nbytes;
    int64_t aio_offset;
    uint64_t aio_reserved2;
    uint32_t aio_flags, aio_resfd;
};
_Static_assert(sizeof(struct linux_iocb) == 64, "struct iocb");
struct linux_io_event {
    uint64_t data, obj;
    int64_t res, res2;
};
_Static_assert(sizeof(struct linux_io_event) == 32, "struct io_event");

/* ---- loop devices (linux/loop.h) and the block ioctls (linux/fs.h) ---- */
#define LOOP_SET_FD 0x4C00
#define LOOP_CLR_FD 0x4C01
#define LOOP_SET_STATUS 0x4C02
#define LOOP_GET_STATUS 0x4C03
#define LOOP_SET_STATUS64 0x4C04
#define LOOP_GET_STATUS64 0x4C05
#define LOOP_CHANGE_FD 0x4C06
#define LOOP_SET_CAPACITY 0x4C07
#define LOOP_SET_DIRECT_IO 0x4C08
#define LOOP_SET_BLOCK_SIZE 0x4C09
#define LOOP_CONFIGURE 0x4C0A
#define LOOP_CTL_ADD 0x4C80
#define LOOP_CTL_REMOVE 0x4C81
#define LOOP_CTL_GET_FREE 0x4C82
#define LO_FLAGS_READ_ONLY 1
#define LO_FLAGS_AUTOCLEAR 4
#define LO_FLAGS_PARTSCAN 8
#define LO_FLAGS_DIRECT_IO 16
#define BLKROSET 0x125D
#define BLKROGET 0x125E
#define BLKRRPART 0x125F
#define BLKGETSIZE 0x1260
#define BLKFLSBUF 0x1261
#define RNDGETENTCNT 0x80045200 /* linux/random.h: /dev/random's and /dev/urandom's ioctls */
#define RNDADDTOENTCNT 0x40045201
#define RNDADDENTROPY 0x40085203
#define RNDZAPENTCNT 0x5204
#define RNDCLEARPOOL 0x5206
#define RNDRESEEDCRNG 0x5207
#define BLKRASET 0x1262 /* the read-ahead, in 512-byte sectors; FRA's, the file system's, are the same */
#define BLKRAGET 0x1263
#define BLKFRASET 0x1264
#define BLKFRAGET 0x1265
#define BLKSSZGET 0x1268
#define BLKBSZGET 0x80081270
#define BLKBSZSET 0x40081271
#define BLKGETSIZE64 0x80081272
#define BLKDISCARD 0x1277
#define BLKIOMIN 0x1278
#define BLKIOOPT 0x1279
#define BLKPBSZGET 0x127B

struct loop_info64 {
    uint64_t lo_device, lo_inode, lo_rdevice, lo_offset, lo_sizelimit;
    uint32_t lo_number, lo_encrypt_type, lo_encrypt_key_size, lo_flags;
    uint8_t lo_file_name[64], lo_crypt_name[64], lo_encrypt_key[32];
    uint64_t lo_init[2];
};
_Static_assert(sizeof(struct loop_info64) == 232, "struct loop_info64");

struct loop_info { /* the old one, x86-64's */
    int32_t lo_number;
    uint64_t lo_device, lo_inode, lo_rdevice;
    int32_t lo_offset, lo_encrypt_type, lo_encrypt_key_size, lo_flags;
    char lo_name[64];
    uint8_t lo_encrypt_key[32];
    uint64_t lo_init[2];
    char reserved[4];
};
_Static_assert(sizeof(struct loop_info) == 168, "struct loop_info");

struct loop_config {
    uint32_t fd, block_size;
    struct loop_info64 info;
    uint64_t reserved[8];
};
_Static_assert(sizeof(struct loop_config) == 304, "struct loop_config");

/* timerfd and eventfd (linux/timerfd.h, linux/eventfd.h) */
#define TFD_TIMER_ABSTIME 1
#define TFD_TIMER_CANCEL_ON_SET 2
#define TFD_IOC_SET_TICKS 0x40085400ull /* _IOW('T', 0, u64) */
#define EFD_SEMAPHORE 1

#include "uapi_iouring.h" /* io_uring: setup, the rings, the opcodes */

/* linux/fs.h's block map, and the kernel's linux/falloc.h: the XFS
 * preallocation ioctls (struct space_resv, 48 bytes) that Linux's
 * file_ioctl answers for every regular file */
#define FIBMAP 1
#define FS_IOC_RESVSP 0x40305828
#define FS_IOC_UNRESVSP 0x40305829
#define FS_IOC_RESVSP64 0x4030582a
#define FS_IOC_UNRESVSP64 0x4030582b
#define FS_IOC_ZERO_RANGE 0x40305839
/* linux/fiemap.h: FS_IOC_FIEMAP's request flags (struct fiemap, 32 bytes,
 * then struct fiemap_extent's of 56) and an extent's flags */
#define FIEMAP_FLAG_SYNC 0x1u
#define FIEMAP_FLAG_XATTR 0x2u
#define FIEMAP_FLAG_CACHE 0x4u
#define FIEMAP_EXTENT_LAST 0x1u
#define FIEMAP_EXTENT_MERGED 0x1000u

/* linux/fs.h's inode flags (chattr's): FS_IOC_GETFLAGS and SETFLAGS take
 * them as an int (the "long" in the request is the size's only); the
 * i386 requests (FS_IOC32_*) are the same with an int's size.
 * FS_IOC_FSGETXATTR and FSSETXATTR take struct fsxattr (28 bytes), whose
 * xflags say the common ones as FS_XFLAG_*. */
#define FS_IOC_GETFLAGS 0x80086601
#define FS_IOC_SETFLAGS 0x40086602
#define FS_IOC32_GETFLAGS 0x80046601
#define FS_IOC32_SETFLAGS 0x40046602
#define FS_IOC_FSGETXATTR 0x801c581f
#define FS_IOC_FSSETXATTR 0x401c5820
#define FS_SECRM_FL 0x1
#define FS_UNRM_FL 0x2
#define FS_COMPR_FL 0x4
#define FS_SYNC_FL 0x8
#define FS_IMMUTABLE_FL 0x10
#define FS_APPEND_FL 0x20
#define FS_NODUMP_FL 0x40
#define FS_NOATIME_FL 0x80
#define FS_COMPRBLK_FL 0x200
#define FS_NOCOMP_FL 0x400
#define FS_INDEX_FL 0x1000
#define FS_JOURNAL_DATA_FL 0x4000
#define FS_NOTAIL_FL 0x8000
#define FS_DIRSYNC_FL 0x10000
#define FS_TOPDIR_FL 0x20000
#define FS_DAX_FL 0x2000000
#define FS_PROJINHERIT_FL 0x20000000
#define FS_FL_USER_VISIBLE 0x0003DFFF
#define FS_FL_USER_MODIFIABLE 0x000380FF
#define FS_XFLAG_IMMUTABLE 0x8
#define FS_XFLAG_APPEND 0x10
#define FS_XFLAG_SYNC 0x20
#define FS_XFLAG_NOATIME 0x40
#define FS_XFLAG_NODUMP 0x80
#define FS_XFLAG_PROJINHERIT 0x200
#define FS_XFLAG_DAX 0x8000

/* ---- POSIX ACLs (linux/posix_acl.h, linux/posix_acl_xattr.h) ---- */
#define ACL_TYPE_ACCESS 0x8000
#define ACL_TYPE_DEFAULT 0x4000
#define ACL_USER_OBJ 0x01
#define ACL_USER 0x02
#define ACL_GROUP_OBJ 0x04
#define ACL_GROUP 0x08
#define ACL_MASK 0x10
#define ACL_OTHER 0x20
#define ACL_READ 0x04
#define ACL_WRITE 0x02
#define ACL_EXECUTE 0x01
#define POSIX_ACL_XATTR_VERSION 0x0002
#define ACL_UNDEFINED_ID (-1)
/* ---- the cgroup2 file system's statfs f_type (linux/magic.h) ---- */
#define CGROUP2_SUPER_MAGIC 0x63677270

#endif
