/*
 * personalities/linux/aio.h - Linux native AIO (aio.c): contexts, each a
 * ring of completions mapped in its process, and the requests that wait
 * for a file to be ready.
 *
 * Entry points: aio_recheck (poll_recheck: a file changed), aio_wait_end
 * (wait_finish: an io_getevents' wait ends), aio_submit_interrupted (a
 * signal reaches an io_submit waiting on a pipe), aio_exit (exec and exit:
 * the memory map goes), aio_live; and what aio.c and aiosubmit.c share.
 *
 * Layer: waits, beside wait.h.  Book: docs/linux.md, "Waiting".
 */
#ifndef LINUX_AIO_H
#define LINUX_AIO_H
#include <stdbool.h>
#include <stdint.h>

struct proc;
struct mm;
extern int aio_live; /* contexts there are: aio_recheck has work only then */
/* Pending IOCB_CMD_POLLs whose file is ready complete, and io_submits
 * waiting on a file that is ready go on. */
void aio_recheck(void);
/* What p's io_getevents (WAIT_AIO) answers as its wait ends with r: r,
 * or (0: the timeout) the events there are now. */
int64_t aio_wait_end(struct proc *p, int64_t r);
/* p's io_submit waits (WAIT_AIOSUB) and a signal comes: the read it waits
 * for completes with EINTR, as Linux's, and the rest is submitted; the
 * answer. */
int64_t aio_submit_interrupted(struct proc *p);
/* mm goes (exec, exit): its contexts go, as Linux's exit_aio. */
void aio_exit(struct mm *mm);

/* ---- between aio.c (contexts, the ring, io_getevents) and aiosubmit.c ---- */
struct file;
/* A pending IOCB_CMD_POLL: it holds its file and eventfd. */
struct aio_poll {
    struct file *file, *resfd;
    uint64_t obj, data;         /* the user's iocb, its aio_data */
    uint32_t events;
    struct aio_poll *next;
};

struct aio_ctx {
    struct mm *mm;
    uint64_t ring, size;        /* the mapping: its address is the context's id */
    uint32_t nr, id, max_reqs;  /* events the ring holds; index in the mm's table; io_setup's nr_events */
    uint32_t tail;              /* where the next completion goes */
    int pending;                /* polls waiting */
    struct aio_poll *polls;
    struct aio_ctx *next;
};
extern struct aio_ctx *aio_contexts; /* every context, of every process */
/* Linux's lookup_ioctx: the context whose ring p names by ctx_id, or NULL. */
struct aio_ctx *aio_lookup(struct proc *p, uint64_t ctx_id);
/* Events the ring holds, not taken yet. */
uint32_t aio_ready_events(struct proc *p, struct aio_ctx *x);
#define AIO_MAX_NR 65536 /* fs.aio-max-nr: the events all contexts may reserve */
/* fs.aio-nr: the events every context reserves. */
uint32_t aio_events_reserved(void);
/* A request's end, as Linux's aio_complete: its event at the ring's tail,
 * resfd (a reference, or NULL) signalled and put, the waiters woken. */
void aio_complete(struct aio_ctx *x, uint64_t obj, uint64_t data, int64_t res, struct file *resfd);
void aio_poll_free(struct aio_poll *q);

/* ---- aiosubmit.c's, which io_uring's reads and writes go through too ---- */
struct linux_iocb;
#define AIO_BLOCK 1 /* aio_rw: the request must wait for its file */
/* What a file's poll says, with the RDNORM and WRNORM bits Linux's files add. */
uint32_t aio_poll_mask(struct file *f);
/* IOCB_CMD_PREAD, PWRITE, PREADV and PWRITEV of f, as Linux's aio_read
 * and aio_write check them: 0 with *res the answer, AIO_BLOCK (and *wait
 * the poll bits awaited) when a stream is not ready (intr: *res EINTR
 * instead), or -errno.  vectored: 0, or the kind of iovec array aio_buf
 * is: AIO_IOV, or AIO_IOV32 (an i386 io_submit's struct compat_iovec). */
enum { AIO_IOV = 1, AIO_IOV32 = 2 };
int64_t aio_rw(struct proc *p, uint64_t token, struct file *f, const struct linux_iocb *cb, bool write, int vectored,
               bool intr, uint32_t *wait, int64_t *res);

#endif
