/*
 * tests/linux/c/uring.h - a tiny io_uring helper over the raw system
 * calls (no liburing; musl has no linux/io_uring.h): the structures and
 * constants of linux/io_uring.h the tests use, a ring set up and mapped
 * as liburing maps it, an SQE to fill, submit-and-wait, and the CQEs
 * taken in user_data order (so that completions that race print the
 * same on every kernel).
 */
#ifndef TESTS_LINUX_URING_H
#define TESTS_LINUX_URING_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NR_setup 425
#define NR_enter 426
#define NR_register 427
#define FEAT_SINGLE_MMAP 1u
#define FEAT_SUBMIT_STABLE 4u
#define FEAT_RW_CUR_POS 8u
#define FEAT_EXT_ARG 256u
#define SETUP_CQSIZE 8u
#define SETUP_CLAMP 16u
#define ENTER_GETEVENTS 1u
#define ENTER_EXT_ARG 8u
#define OFF_SQ_RING 0ull
#define OFF_SQES 0x10000000ull
enum { OP_NOP = 0, OP_READV = 1, OP_WRITEV = 2, OP_FSYNC = 3, OP_READ_FIXED = 4, OP_WRITE_FIXED = 5, OP_POLL_ADD = 6,
       OP_POLL_REMOVE = 7, OP_SENDMSG = 9, OP_RECVMSG = 10, OP_TIMEOUT = 11, OP_ACCEPT = 13, OP_CONNECT = 16,
       OP_OPENAT = 18, OP_CLOSE = 19, OP_STATX = 21, OP_READ = 22, OP_WRITE = 23, OP_SEND = 26, OP_RECV = 27 };
enum { REG_BUFFERS = 0, UNREG_BUFFERS = 1, REG_EVENTFD = 4, UNREG_EVENTFD = 5, REG_PROBE = 8 };

struct sqe {
    uint8_t opcode, flags;
    uint16_t ioprio;
    int32_t fd;
    uint64_t off, addr;
    uint32_t len, op_flags;
    uint64_t user_data;
    uint16_t buf_index, personality;
    uint32_t file_index;
    uint64_t addr3, pad2;
};
struct cqe {
    uint64_t user_data;
    int32_t res;
    uint32_t flags;
};
struct params {
    uint32_t sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd, resv[3];
    uint32_t sq_head, sq_tail, sq_mask, sq_entries_off, sq_flags, sq_dropped, sq_array, sq_resv1;
    uint64_t sq_user_addr;
    uint32_t cq_head, cq_tail, cq_mask, cq_entries_off, cq_overflow, cq_cqes, cq_flags, cq_resv1;
    uint64_t cq_user_addr;
};
struct getevents_arg {
    uint64_t sigmask;
    uint32_t sigmask_sz, pad;
    uint64_t ts;
};

struct ring {
    int fd;
    struct params p;
    char *rings;
    struct sqe *sqes;
    unsigned tail; /* the SQ's, ours */
};

static inline long uring_setup(unsigned entries, struct params *p) { return syscall(NR_setup, entries, p); }
static inline long uring_enter(int fd, unsigned n, unsigned min, unsigned flags, void *arg, size_t sz)
{
    return syscall(NR_enter, fd, n, min, flags, arg, sz);
}
static inline long uring_register(int fd, unsigned op, void *arg, unsigned n) { return syscall(NR_register, fd, op, arg, n); }

#define RING_U32(r, off) ((volatile uint32_t *)((r)->rings + (off)))

/* A ring of entries set up and mapped (one mapping for both rings); 0 or -1. */
static inline int ring_init(struct ring *r, unsigned entries)
{
    memset(r, 0, sizeof *r);
    r->fd = (int)uring_setup(entries, &r->p);
    if (r->fd < 0)
        return -1;
    size_t sq = r->p.sq_array + r->p.sq_entries * 4, cq = r->p.cq_cqes + r->p.cq_entries * sizeof(struct cqe);
    r->rings = mmap(0, sq > cq ? sq : cq, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, OFF_SQ_RING);
    r->sqes = mmap(0, r->p.sq_entries * sizeof(struct sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
                   OFF_SQES);
    if (r->rings == MAP_FAILED || r->sqes == MAP_FAILED)
        return -1;
    r->tail = *RING_U32(r, r->p.sq_tail);
    return 0;
}

/* The next SQE, zeroed, with its opcode, fd and user_data; queued at once. */
static inline struct sqe *ring_sqe(struct ring *r, uint8_t op, int fd, uint64_t data)
{
    unsigned i = r->tail & (r->p.sq_entries - 1);
    struct sqe *s = &r->sqes[i];
    memset(s, 0, sizeof *s);
    s->opcode = op, s->fd = fd, s->user_data = data;
    RING_U32(r, r->p.sq_array)[i] = i;
    r->tail++;
    __atomic_store_n(RING_U32(r, r->p.sq_tail), r->tail, __ATOMIC_RELEASE);
    return s;
}

static inline unsigned ring_ready(struct ring *r)
{
    return __atomic_load_n(RING_U32(r, r->p.cq_tail), __ATOMIC_ACQUIRE) - *RING_U32(r, r->p.cq_head);
}

/* Every CQE there is, taken, and printed in user_data order: their count. */
static inline int ring_reap(struct ring *r, const char *what)
{
    struct cqe got[64];
    int n = 0;
    while (ring_ready(r) && n < 64) {
        unsigned h = *RING_U32(r, r->p.cq_head);
        got[n++] = ((struct cqe *)(r->rings + r->p.cq_cqes))[h & (r->p.cq_entries - 1)];
        __atomic_store_n(RING_U32(r, r->p.cq_head), h + 1, __ATOMIC_RELEASE);
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && got[j].user_data < got[j - 1].user_data; j--) {
            struct cqe t = got[j];
            got[j] = got[j - 1], got[j - 1] = t;
        }
    for (int i = 0; i < n; i++)
        printf("%s: cqe %llu res %d%s%s flags %u\n", what, (unsigned long long)got[i].user_data, got[i].res,
               got[i].res < 0 ? " " : "", got[i].res < 0 ? strerror(-got[i].res) : "", got[i].flags);
    return n;
}

#endif
