/*
 * personalities/linux/iouring.h - io_uring (iouring.c, iouringop.c): an
 * instance's rings, which live in the pages of an inode of its own that
 * the process maps (IORING_OFF_SQ_RING, CQ_RING, SQES) and this server
 * reads and writes in place, and the requests that wait for a file or a
 * time.
 *
 * Entry points: iouring_recheck (poll_recheck: a file changed),
 * iouring_next and iouring_fire (the server's timer, wait.c),
 * iouring_wait_end (wait_finish: an io_uring_enter's wait ends),
 * iouring_interrupted (a signal reaches one), iouring_cancel_mm (exec,
 * exit: a process's requests end); and what iouring.c and
 * iouringop.c share.
 *
 * Layer: waits, beside aio.h.  Book: docs/linux.md, "Waiting".
 */
#ifndef LINUX_IOURING_H
#define LINUX_IOURING_H
#include "linux.h"

struct proc;
struct file;
struct inode;

extern int iouring_live; /* instances there are: the hooks have work only then */
/* Pending requests whose file is ready are done, and their completions posted. */
void iouring_recheck(void);
/* The earliest deadline of a pending IORING_OP_TIMEOUT (clock_ns), 0: none. */
uint64_t iouring_next(void);
/* Timeouts whose deadline is past t complete (-ETIME). */
void iouring_fire(uint64_t t);
/* What p's io_uring_enter (WAIT_IOURING) answers as its wait ends with r
 * (1: the completions came; 0: the timeout). */
int64_t iouring_wait_end(struct proc *p, int64_t r);
/* The image whose memory map is mm goes (exec, exit): the requests its
 * threads submitted end (ECANCELED), as Linux cancels a task's. */
struct mm;
void iouring_cancel_mm(const struct mm *mm);
/* A signal reaches p's waiting io_uring_enter: its answer. */
int64_t iouring_interrupted(struct proc *p);

/* ---- between iouring.c (the instance, the rings) and iouringop.c ---- */
/* A request that waits: for its file to be ready (want, the poll bits;
 * the request is done again then), for a time (deadline), or for
 * completions (counted: target). */
struct uring_req {
    struct linux_io_uring_sqe sqe; /* as submitted (IORING_FEAT_SUBMIT_STABLE) */
    int tid;                  /* the thread that submitted it: its descriptors, memory and credentials */
    struct file *file;        /* a reference: the file waited for */
    uint32_t want;
    uint64_t deadline;        /* IORING_OP_TIMEOUT: clock_ns, 0 none */
    uint32_t target;          /* IORING_OP_TIMEOUT with a count: the completions that end it */
    bool counted;
    uint32_t tried;           /* the iouring_recheck pass that parked it again */
    struct uring_req *next;
};

struct uring {
    struct inode *mem;        /* the rings at 0, the SQEs at sqes_off (a reference, held by the instance) */
    uint32_t sq_entries, cq_entries, flags;
    uint64_t rings_size, sqes_off, sqes_size, array_off;
    uint32_t sq_head;         /* the kernel's ends, as the rings show them */
    uint32_t cq_tail;
    uint32_t posted, timeouts; /* completions posted (overflowed ones too), and those of timeouts:
                                  IORING_OP_TIMEOUT's count is of the others, as Linux's */
    struct uring_req *pending;
    struct io_seg *bufs;      /* IORING_REGISTER_BUFFERS */
    uint32_t nbufs;
    struct file *evfd;        /* IORING_REGISTER_EVENTFD's (a reference), signalled as CQEs come */
    bool evfd_async;          /* ..._ASYNC: only for those that come after their submission */
    bool submitting;          /* in io_uring_enter's submission: CQEs posted inline */
    bool posted_inline;       /* one was: the eventfd is signalled once at the submission's end */
    bool compat;              /* set up by an i386 call: its iovecs and msghdrs are 32-bit (Linux's ctx->compat) */
    struct uring *next;
};
extern struct uring *urings; /* every instance */

/* Linux's io_rings layout (offsets into the rings' pages). */
#define UR_SQ_HEAD 0
#define UR_SQ_TAIL 4
#define UR_CQ_HEAD 8
#define UR_CQ_TAIL 12
#define UR_SQ_MASK 16
#define UR_CQ_MASK 20
#define UR_SQ_ENTRIES 24
#define UR_CQ_ENTRIES 28
#define UR_SQ_DROPPED 32
#define UR_SQ_FLAGS 36
#define UR_CQ_FLAGS 40
#define UR_CQ_OVERFLOW 44
#define UR_CQES 64

/* A 32-bit word of the rings' pages (off aligned). */
uint32_t *uring_word(struct uring *u, uint64_t off);
/* A completion (with its IORING_CQE_F_* flags) at the CQ's tail, or
 * counted as overflow when it is full; the waiters and timeouts that have
 * theirs now end. */
void uring_post(struct uring *u, uint64_t user_data, int64_t res, uint32_t flags);
/* One SQE, as Linux's io_submit_sqe: 0 when it went (its completion
 * posted or pending), or -errno when its preparation failed (the
 * completion carries it and submission stops there). */
int uring_issue(struct proc *p, struct uring *u, const struct linux_io_uring_sqe *sqe);
/* Counted timeouts whose count the completions reached complete (0). */
void uring_count_timeouts(struct uring *u);
/* Whether opcode op is one uring_issue does (IORING_REGISTER_PROBE). */
bool uring_op_supported(uint32_t op);
/* u's pending requests go (its last close). */
void uring_drop_pending(struct uring *u);

#endif
