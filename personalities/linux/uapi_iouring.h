/*
 * personalities/linux/uapi_iouring.h - the Linux ABI of io_uring
 * (linux/io_uring.h): io_uring_setup's flags, params and ring offsets,
 * the mmap offsets, io_uring_enter's flags, the opcodes, the SQE and CQE
 * layouts, io_uring_register's opcodes and the probe.  Part of uapi.h,
 * which includes it (the same rules: Linux's names and values, checked
 * by scripts/check-uapi.py; the structures by their sizes below).
 *
 * Entry points: none; names only.  Layer: the bottom.  Book: docs/linux.md,
 * "Waiting" (io_uring).
 */
#ifndef LINUX_UAPI_IOURING_H
#define LINUX_UAPI_IOURING_H
#include <stdint.h>

#define LINUX_ETIME 62 /* asm-generic/errno.h: a timeout's completion */
#define LINUX_EALREADY 114 /* a connect in progress */
#define IORING_SETUP_IOPOLL (1U << 0) /* io_uring_setup's flags */
#define IORING_SETUP_SQPOLL (1U << 1)
#define IORING_SETUP_SQ_AFF (1U << 2)
#define IORING_SETUP_CQSIZE (1U << 3)
#define IORING_SETUP_CLAMP (1U << 4)
#define IORING_SETUP_ATTACH_WQ (1U << 5)
#define IORING_SETUP_R_DISABLED (1U << 6)
#define IORING_SETUP_SUBMIT_ALL (1U << 7)
#define IORING_SETUP_COOP_TASKRUN (1U << 8)
#define IORING_SETUP_TASKRUN_FLAG (1U << 9)
#define IORING_SETUP_SQE128 (1U << 10)
#define IORING_SETUP_CQE32 (1U << 11)
#define IORING_SETUP_SINGLE_ISSUER (1U << 12)
#define IORING_SETUP_DEFER_TASKRUN (1U << 13)
#define IORING_FEAT_SINGLE_MMAP (1U << 0) /* params.features */
#define IORING_FEAT_NODROP (1U << 1)
#define IORING_FEAT_SUBMIT_STABLE (1U << 2)
#define IORING_FEAT_RW_CUR_POS (1U << 3)
#define IORING_FEAT_CUR_PERSONALITY (1U << 4)
#define IORING_FEAT_FAST_POLL (1U << 5)
#define IORING_FEAT_POLL_32BITS (1U << 6)
#define IORING_FEAT_EXT_ARG (1U << 8)
#define IORING_OFF_SQ_RING 0ULL /* mmap offsets */
#define IORING_OFF_CQ_RING 0x8000000ULL
#define IORING_OFF_SQES 0x10000000ULL
#define IORING_OFF_MMAP_MASK 0xf8000000ULL
#define IORING_ENTER_GETEVENTS (1U << 0) /* io_uring_enter's flags */
#define IORING_ENTER_SQ_WAKEUP (1U << 1)
#define IORING_ENTER_SQ_WAIT (1U << 2)
#define IORING_ENTER_EXT_ARG (1U << 3)
#define IORING_ENTER_REGISTERED_RING (1U << 4)
#define IOSQE_FIXED_FILE (1U << 0) /* sqe->flags */
#define IOSQE_IO_DRAIN (1U << 1)
#define IOSQE_IO_LINK (1U << 2)
#define IOSQE_IO_HARDLINK (1U << 3)
#define IOSQE_ASYNC (1U << 4)
#define IOSQE_BUFFER_SELECT (1U << 5)
#define IOSQE_CQE_SKIP_SUCCESS (1U << 6)
#define IORING_OP_NOP 0 /* the opcodes (an enum of Linux's) */
#define IORING_OP_READV 1
#define IORING_OP_WRITEV 2
#define IORING_OP_FSYNC 3
#define IORING_OP_READ_FIXED 4
#define IORING_OP_WRITE_FIXED 5
#define IORING_OP_POLL_ADD 6
#define IORING_OP_POLL_REMOVE 7
#define IORING_OP_SENDMSG 9
#define IORING_OP_RECVMSG 10
#define IORING_OP_TIMEOUT 11
#define IORING_OP_ACCEPT 13
#define IORING_OP_CONNECT 16
#define IORING_OP_OPENAT 18
#define IORING_OP_CLOSE 19
#define IORING_OP_STATX 21
#define IORING_OP_READ 22
#define IORING_OP_WRITE 23
#define IORING_OP_SEND 26
#define IORING_OP_RECV 27
#define IORING_FSYNC_DATASYNC (1U << 0)
#define IORING_CQE_F_SOCK_NONEMPTY (1U << 2) /* cqe->flags */
#define IORING_TIMEOUT_ABS (1U << 0)
#define IORING_TIMEOUT_BOOTTIME (1U << 2)
#define IORING_TIMEOUT_REALTIME (1U << 3)
#define IORING_TIMEOUT_ETIME_SUCCESS (1U << 5)
#define IORING_REGISTER_BUFFERS 0 /* io_uring_register's opcodes (an enum of Linux's) */
#define IORING_UNREGISTER_BUFFERS 1
#define IORING_REGISTER_EVENTFD 4
#define IORING_UNREGISTER_EVENTFD 5
#define IORING_REGISTER_EVENTFD_ASYNC 7
#define IORING_REGISTER_PROBE 8
#define IO_URING_OP_SUPPORTED (1U << 0)

/* The submission and completion entries, and what setup fills. */
struct linux_io_uring_sqe {
    uint8_t opcode, flags;
    uint16_t ioprio;
    int32_t fd;
    uint64_t off;          /* or addr2 */
    uint64_t addr;
    uint32_t len;
    uint32_t op_flags;     /* rw_flags, fsync_flags, poll32_events, msg_flags, timeout_flags, ... */
    uint64_t user_data;
    uint16_t buf_index, personality;
    uint32_t file_index;   /* or splice_fd_in, addr_len */
    uint64_t addr3, pad2;
};
_Static_assert(sizeof(struct linux_io_uring_sqe) == 64, "struct io_uring_sqe");
struct linux_io_uring_cqe {
    uint64_t user_data;
    int32_t res;
    uint32_t flags;
};
_Static_assert(sizeof(struct linux_io_uring_cqe) == 16, "struct io_uring_cqe");
struct linux_io_sqring_offsets {
    uint32_t head, tail, ring_mask, ring_entries, flags, dropped, array, resv1;
    uint64_t user_addr;
};
struct linux_io_cqring_offsets {
    uint32_t head, tail, ring_mask, ring_entries, overflow, cqes, flags, resv1;
    uint64_t user_addr;
};
struct linux_io_uring_params {
    uint32_t sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd, resv[3];
    struct linux_io_sqring_offsets sq_off;
    struct linux_io_cqring_offsets cq_off;
};
_Static_assert(sizeof(struct linux_io_uring_params) == 120, "struct io_uring_params");
struct linux_io_uring_getevents_arg {
    uint64_t sigmask;
    uint32_t sigmask_sz, pad;
    uint64_t ts;
};
_Static_assert(sizeof(struct linux_io_uring_getevents_arg) == 24, "struct io_uring_getevents_arg");

#endif
