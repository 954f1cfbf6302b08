/*
 * personalities/linux/iouring.c - io_uring's instances: io_uring_setup,
 * io_uring_enter, io_uring_register.  An instance's rings (Linux's struct
 * io_rings, the SQ's index array after the CQEs) and its SQEs are the
 * pages of an inode of its own on an internal tmpfs, as a memfd's are:
 * mmap of the io_uring file at IORING_OFF_SQ_RING or CQ_RING (one region,
 * IORING_FEAT_SINGLE_MMAP) or IORING_OFF_SQES maps those pages shared
 * (the file's map operation), and this server reads the SQ and writes
 * the CQ in place through its own mapping of the same frames.
 *
 * io_uring_enter consumes SQEs (iouringop.c does each), and with
 * IORING_ENTER_GETEVENTS waits (WAIT_IOURING) until min_complete CQEs are
 * there, a timeout (IORING_ENTER_EXT_ARG) or a signal.  Each completion
 * wakes the waiters that have their count, and poll_recheck (the io_uring
 * file polls readable while its CQ holds entries) and a registered
 * eventfd.  io_uring_register does PROBE, BUFFERS and EVENTFD.
 *
 * Not built (EINVAL, as Linux answers a setup it refuses): SQPOLL,
 * IOPOLL, SQ_AFF, ATTACH_WQ, R_DISABLED, SQE128, CQE32; a full CQ drops
 * (cq_overflow counts) where Linux keeps an overflow list.
 *
 * Entry points: iouring.h, the three calls' handlers.  Layer: waits, over
 * the file types and mm's areas.  Book: docs/linux.md, "Waiting".
 */
#include "counter.h"
#include "iouring.h"
#include "proc.h"
#include "time.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/iouring.h" /* generated: the handlers' prototypes, entries */

#define PAGE 4096ull
#define MAX_ENTRIES 32768u    /* IORING_MAX_ENTRIES */
#define MAX_CQ_ENTRIES 65536u /* IORING_MAX_CQ_ENTRIES */
#define MAX_REG_BUFFERS 16384u
#define REGISTER_LAST 26u     /* Linux 6.1's IORING_REGISTER_LAST */
#define OP_LAST 48u           /* Linux 6.1's IORING_OP_LAST */
#define SETUP_KNOWN 0x3fffu   /* Linux 6.1's setup flags, IOPOLL to DEFER_TASKRUN */
#define SETUP_BUILT (IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN | \
                     IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN)
#define ENTER_KNOWN (IORING_ENTER_GETEVENTS | IORING_ENTER_SQ_WAKEUP | IORING_ENTER_SQ_WAIT | IORING_ENTER_EXT_ARG | \
                     IORING_ENTER_REGISTERED_RING)
/* What is true here: no NODROP (a full CQ drops), no CUR_PERSONALITY (a
 * request done again later runs with its thread's credentials then). */
#define FEATURES (IORING_FEAT_SINGLE_MMAP | IORING_FEAT_SUBMIT_STABLE | IORING_FEAT_RW_CUR_POS | \
                  IORING_FEAT_FAST_POLL | IORING_FEAT_POLL_32BITS | IORING_FEAT_EXT_ARG)

struct uring *urings;
int iouring_live;

/* The internal tmpfs whose unnamed inodes hold the rings. */
static struct fs uringfs = {.type = "tmpfs", .dev = DEV_ANONFS, .magic = TMPFS_MAGIC, .iops = &tmpfs_iops};

uint32_t *uring_word(struct uring *u, uint64_t off)
{
    char *page = fs_whole_page(u->mem, off / PAGE, true); /* made at setup: never NULL */
    return (uint32_t *)(page + off % PAGE);
}

static uint32_t cq_ready(struct uring *u) { return u->cq_tail - __atomic_load_n(uring_word(u, UR_CQ_HEAD), __ATOMIC_ACQUIRE); }

/* io_uring_enter waiters on u that have their min_complete now end. */
static void wake_waiters(struct uring *u)
{
    for (struct proc *w = proc_list(); w; w = w->next)
        if (!w->zombie && w->wait.kind == WAIT_IOURING && w->wait.fds == (uintptr_t)u && cq_ready(u) >= w->wait.nfds)
            wait_finish(w, 1);
}

void uring_post(struct uring *u, uint64_t user_data, int64_t res, uint32_t flags)
{
    u->posted++;
    if (cq_ready(u) >= u->cq_entries) {
        __atomic_fetch_add(uring_word(u, UR_CQ_OVERFLOW), 1, __ATOMIC_RELEASE);
    } else {
        uint64_t at = UR_CQES + (uint64_t)(u->cq_tail & (u->cq_entries - 1)) * sizeof(struct linux_io_uring_cqe);
        struct linux_io_uring_cqe cqe = {user_data, (int32_t)res, flags};
        memcpy(uring_word(u, at), &cqe, sizeof cqe); /* a CQE never straddles a page */
        u->cq_tail++;
        __atomic_store_n(uring_word(u, UR_CQ_TAIL), u->cq_tail, __ATOMIC_RELEASE);
    }
    if (u->evfd && u->submitting)
        u->posted_inline = true; /* signalled once at the end, as Linux's flush of a batch */
    else if (u->evfd)
        eventfd_signal(u->evfd, 1);
    uring_count_timeouts(u);
    wake_waiters(u);
    poll_recheck(); /* the ring's file is readable now */
}

/* ---- the file ---- */

/* Power-of-two pages, as Linux's rings are allocated (their mmap may ask
 * for up to that). */
static uint64_t region(uint64_t bytes)
{
    uint64_t n = PAGE;
    while (n < bytes)
        n *= 2;
    return n;
}

static int uring_map(struct file *f, uint64_t off, uint64_t len, struct inode **ino, uint64_t *at)
{
    struct uring *u = f->uring;
    uint64_t base, size;
    switch (off & IORING_OFF_MMAP_MASK) {
    case IORING_OFF_SQ_RING:
    case IORING_OFF_CQ_RING: base = 0, size = region(u->rings_size); break;
    case IORING_OFF_SQES: base = u->sqes_off, size = region(u->sqes_size); break;
    default: return -LINUX_EINVAL;
    }
    if (len > size)
        return -LINUX_EINVAL;
    *ino = u->mem, *at = base;
    return 0;
}

static int uring_poll(struct file *f)
{
    struct uring *u = f->uring;
    uint32_t sq_used = __atomic_load_n(uring_word(u, UR_SQ_TAIL), __ATOMIC_ACQUIRE) - u->sq_head;
    return (cq_ready(u) ? POLLIN | POLLRDNORM : 0) | (sq_used < u->sq_entries ? POLLOUT | POLLWRNORM : 0);
}

static void uring_release(struct file *f)
{
    struct uring *u = f->uring;
    for (struct proc *w = proc_list(); w; w = w->next) /* another thread closed it under a waiter */
        if (!w->zombie && w->wait.kind == WAIT_IOURING && w->wait.fds == (uintptr_t)u) {
            w->wait.fds = 0;
            wait_finish(w, -LINUX_EBADF);
        }
    uring_drop_pending(u);
    if (u->evfd)
        file_put(u->evfd);
    for (struct uring **pu = &urings; *pu; pu = &(*pu)->next)
        if (*pu == u) {
            *pu = u->next;
            break;
        }
    u->mem->refs = 0;
    fs_release(u->mem); /* its pages go once no mapping names it (fs_sweep) */
    free(u->bufs);
    free(u);
    iouring_live--;
}

static const struct file_ops uring_fops = {.poll = uring_poll, .stat = anon_inode_stat, .release = uring_release,
                                           .fs = &anon_inodefs, .stream = true, .map = uring_map};

/* The instance of descriptor fd: EBADF, or EOPNOTSUPP for another file. */
static struct uring *uring_of(struct proc *p, int fd, int64_t *err)
{
    struct file *f = fd_file(p, (uint64_t)(int64_t)fd);
    *err = !f ? -LINUX_EBADF : f->kind != FILE_IOURING ? -LINUX_EOPNOTSUPP : 0;
    return *err ? NULL : f->uring;
}

/* ---- io_uring_setup ---- */

static uint32_t pow2_up(uint32_t n)
{
    uint32_t r = 1;
    while (r < n)
        r <<= 1;
    return r;
}

/* Linux's io_uring_create's checks of the sizes; 0 or -EINVAL. */
static int setup_sizes(uint32_t entries, struct linux_io_uring_params *pr)
{
    bool clamp = pr->flags & IORING_SETUP_CLAMP;
    if (!entries)
        return -LINUX_EINVAL;
    if (entries > MAX_ENTRIES) {
        if (!clamp)
            return -LINUX_EINVAL;
        entries = MAX_ENTRIES;
    }
    pr->sq_entries = pow2_up(entries);
    if (!(pr->flags & IORING_SETUP_CQSIZE)) {
        pr->cq_entries = 2 * pr->sq_entries;
        return 0;
    }
    if (!pr->cq_entries)
        return -LINUX_EINVAL;
    if (pr->cq_entries > MAX_CQ_ENTRIES) {
        if (!clamp)
            return -LINUX_EINVAL;
        pr->cq_entries = MAX_CQ_ENTRIES;
    }
    pr->cq_entries = pow2_up(pr->cq_entries);
    return pr->cq_entries < pr->sq_entries ? -LINUX_EINVAL : 0;
}

/* The instance's inode, its pages all made, and the rings' constants. */
static struct uring *uring_new(const struct linux_io_uring_params *pr)
{
    struct uring *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->sq_entries = pr->sq_entries, u->cq_entries = pr->cq_entries, u->flags = pr->flags;
    u->array_off = (UR_CQES + (uint64_t)u->cq_entries * sizeof(struct linux_io_uring_cqe) + 63) & ~63ull;
    u->rings_size = u->array_off + 4ull * u->sq_entries;
    u->sqes_off = region(u->rings_size);
    u->sqes_size = (uint64_t)u->sq_entries * sizeof(struct linux_io_uring_sqe);
    u->mem = fs_new_unnamed(&uringfs, S_IFREG | 0600);
    if (!u->mem) {
        free(u);
        return NULL;
    }
    u->mem->size = u->sqes_off + region(u->sqes_size);
    for (uint64_t i = 0; i < u->mem->size / PAGE; i++)
        if (!fs_whole_page(u->mem, i, true)) {
            u->mem->refs = 0;
            fs_release(u->mem);
            free(u);
            return NULL;
        }
    *uring_word(u, UR_SQ_MASK) = u->sq_entries - 1, *uring_word(u, UR_CQ_MASK) = u->cq_entries - 1;
    *uring_word(u, UR_SQ_ENTRIES) = u->sq_entries, *uring_word(u, UR_CQ_ENTRIES) = u->cq_entries;
    return u;
}

static void fill_params(const struct uring *u, struct linux_io_uring_params *pr)
{
    pr->features = FEATURES;
    pr->sq_off = (struct linux_io_sqring_offsets){UR_SQ_HEAD, UR_SQ_TAIL, UR_SQ_MASK, UR_SQ_ENTRIES, UR_SQ_FLAGS,
                                                  UR_SQ_DROPPED, (uint32_t)u->array_off, 0, 0};
    pr->cq_off = (struct linux_io_cqring_offsets){UR_CQ_HEAD, UR_CQ_TAIL, UR_CQ_MASK, UR_CQ_ENTRIES, UR_CQ_OVERFLOW,
                                                  UR_CQES, UR_CQ_FLAGS, 0, 0};
}

static int64_t sys_io_uring_setup(struct sys_ctx *c, uint32_t entries, uint64_t uparams)
{
    struct linux_io_uring_params pr;
    if (mem_in(c->p, &pr, uparams, sizeof pr) < 0)
        return -LINUX_EFAULT;
    if (pr.resv[0] || pr.resv[1] || pr.resv[2] || (pr.flags & ~SETUP_KNOWN))
        return -LINUX_EINVAL;
    int e = setup_sizes(entries, &pr);
    if (e < 0)
        return e;
    if (pr.flags & ~SETUP_BUILT) /* SQPOLL, IOPOLL and the rest this server does not do */
        return -LINUX_EINVAL;
    if (((pr.flags & IORING_SETUP_TASKRUN_FLAG) && !(pr.flags & (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_DEFER_TASKRUN))) ||
        ((pr.flags & IORING_SETUP_DEFER_TASKRUN) && !(pr.flags & IORING_SETUP_SINGLE_ISSUER)))
        return -LINUX_EINVAL;
    struct uring *u = uring_new(&pr);
    if (u)
        u->compat = c->i386;
    struct file *f = u ? calloc(1, sizeof *f) : NULL;
    if (!f) {
        if (u)
            u->mem->refs = 0, fs_release(u->mem), free(u);
        return -LINUX_ENOMEM;
    }
    u->next = urings, urings = u, iouring_live++;
    *f = (struct file){.ops = &uring_fops, .kind = FILE_IOURING, .flags = O_RDWR, .refs = 1, .uring = u};
    fill_params(u, &pr);
    if (mem_out(c->p, uparams, &pr, sizeof pr) < 0) {
        file_put(f);
        return -LINUX_EFAULT;
    }
    int fd = fd_alloc(c->p, 0, f, true); /* always O_CLOEXEC, as Linux's */
    if (fd < 0)
        file_put(f);
    return fd;
}

/* ---- io_uring_enter ---- */

/* Up to n SQEs from the SQ, each done: how many were consumed. */
static int64_t submit(struct proc *p, struct uring *u, uint32_t n)
{
    uint32_t tail = __atomic_load_n(uring_word(u, UR_SQ_TAIL), __ATOMIC_ACQUIRE), done = 0;
    if (tail - u->sq_head < n)
        n = tail - u->sq_head;
    u->submitting = true, u->posted_inline = false;
    while (done < n) {
        uint32_t idx = *uring_word(u, u->array_off + 4ull * (u->sq_head++ & (u->sq_entries - 1)));
        __atomic_store_n(uring_word(u, UR_SQ_HEAD), u->sq_head, __ATOMIC_RELEASE);
        if (idx >= u->sq_entries) { /* Linux drops it and stops there */
            ++*uring_word(u, UR_SQ_DROPPED);
            break;
        }
        struct linux_io_uring_sqe sqe;
        memcpy(&sqe, uring_word(u, u->sqes_off + (uint64_t)idx * sizeof sqe), sizeof sqe);
        done++;
        if (uring_issue(p, u, &sqe) < 0 && !(u->flags & IORING_SETUP_SUBMIT_ALL))
            break;
    }
    u->submitting = false;
    if (u->posted_inline && u->evfd && !u->evfd_async)
        eventfd_signal(u->evfd, 1);
    iouring_recheck(); /* what the requests made ready (a send for a pending recv, say) */
    return done;
}

/* IORING_ENTER_EXT_ARG's argument: the signal mask and the timeout (ns,
 * -1 for none); 0 or -errno. */
static int ext_arg(struct proc *p, uint32_t flags, uint64_t argp, uint64_t argsz, uint64_t sig[2], int64_t *ns)
{
    *ns = -1, sig[0] = argp, sig[1] = argsz;
    if (!(flags & IORING_ENTER_EXT_ARG))
        return 0;
    struct linux_io_uring_getevents_arg a;
    if (argsz != sizeof a)
        return -LINUX_EINVAL;
    if (mem_in(p, &a, argp, sizeof a) < 0)
        return -LINUX_EFAULT;
    sig[0] = a.sigmask, sig[1] = a.sigmask_sz;
    if (a.ts) {
        int64_t ts[2];
        if (mem_in(p, ts, a.ts, sizeof ts) < 0)
            return -LINUX_EFAULT;
        *ns = ts[0] >= INT64_MAX / 1000000000 ? INT64_MAX : ts[0] * 1000000000 + ts[1] > 0 ? ts[0] * 1000000000 + ts[1] : 0;
    }
    return 0;
}

/* Linux's io_cqring_wait: 0 at once when min CQEs are there, else the
 * call waits (c->deferred); or -errno. */
static int64_t getevents(struct sys_ctx *c, struct uring *u, uint32_t min, uint32_t flags, uint64_t argp,
                         uint64_t argsz, int64_t submitted)
{
    uint64_t sig[2];
    int64_t ns;
    int e = ext_arg(c->p, flags, argp, argsz, sig, &ns);
    if (e < 0)
        return e;
    if (min > u->cq_entries)
        min = u->cq_entries;
    if (cq_ready(u) >= min)
        return 0;
    if (sig[0] && (e = wait_mask_swap(c, sig[0], sig[1])) < 0)
        return e;
    if (c->p->sig.saved && signal_deliverable(&c->p->sig))
        return -LINUX_EINTR; /* the mask let a pending signal through: it is delivered now */
    if (ns == 0) { /* a zero timeout: what is there now */
        wait_mask_unswap(c->p, 0);
        return cq_ready(u) ? 0 : -LINUX_ETIME;
    }
    c->p->wait = (struct proc_wait){.kind = WAIT_IOURING, .token = c->token, .fds = (uintptr_t)u, .nfds = min,
                                    .sets = {(uint64_t)submitted, sig[0] != 0},
                                    .deadline = ns > 0 ? clock_after((uint64_t)ns) : 0};
    c->deferred = true;
    wait_rearm_for(c->p);
    return 0;
}

int64_t iouring_wait_end(struct proc *p, int64_t r)
{
    struct uring *u = (struct uring *)p->wait.fds;
    int64_t submitted = (int64_t)p->wait.sets[0];
    if (u) /* 1: the completions came; 0: the timeout, ETIME unless some are there */
        r = r == 1 || cq_ready(u) ? 0 : r == 0 ? -LINUX_ETIME : r;
    if (p->wait.sets[1])
        wait_mask_unswap(p, r);
    return submitted ? submitted : r;
}

int64_t iouring_interrupted(struct proc *p)
{
    struct uring *u = (struct uring *)p->wait.fds;
    int64_t submitted = (int64_t)p->wait.sets[0];
    return submitted ? submitted : u && cq_ready(u) ? 0 : -LINUX_EINTR;
}

static int64_t sys_io_uring_enter(struct sys_ctx *c, int fd, uint32_t to_submit, uint32_t min_complete, uint32_t flags,
                                  uint64_t argp, uint64_t argsz)
{
    if (flags & ~ENTER_KNOWN)
        return -LINUX_EINVAL;
    if (flags & IORING_ENTER_REGISTERED_RING) /* none is ever registered (IORING_REGISTER_RING_FDS) */
        return (uint32_t)fd >= 16 ? -LINUX_EINVAL : -LINUX_EBADF;
    int64_t err;
    struct uring *u = uring_of(c->p, fd, &err);
    if (!u)
        return err;
    int64_t submitted = to_submit ? submit(c->p, u, to_submit) : 0;
    int64_t r = 0;
    if (submitted == to_submit && (flags & IORING_ENTER_GETEVENTS))
        r = getevents(c, u, min_complete, flags, argp, argsz, submitted);
    if (c->deferred)
        return 0;
    return submitted ? submitted : r;
}

/* ---- io_uring_register ---- */

/* IORING_REGISTER_PROBE: the opcodes iouringop.c does are marked supported. */
static int64_t probe(struct proc *p, uint64_t arg, uint32_t nr)
{
    if (nr > OP_LAST)
        nr = OP_LAST;
    size_t size = 16 + 8ull * nr;
    uint8_t buf[16 + 8 * OP_LAST];
    if (mem_in(p, buf, arg, size) < 0)
        return -LINUX_EFAULT;
    for (size_t i = 0; i < size; i++)
        if (buf[i])
            return -LINUX_EINVAL;
    buf[0] = OP_LAST - 1, buf[1] = (uint8_t)nr;
    for (uint32_t i = 0; i < nr; i++)
        buf[16 + 8 * i] = (uint8_t)i, buf[16 + 8 * i + 2] = uring_op_supported(i) ? IO_URING_OP_SUPPORTED : 0;
    return mem_out(p, arg, buf, size) < 0 ? -LINUX_EFAULT : 0;
}

/* IORING_REGISTER_BUFFERS: the iovecs (an i386 ring's struct
 * compat_iovec), checked as Linux's io_buffer_validate. */
static int64_t register_buffers(struct proc *p, struct uring *u, uint64_t arg, uint32_t nr)
{
    if (u->bufs)
        return -LINUX_EBUSY;
    if (!nr || nr > MAX_REG_BUFFERS)
        return -LINUX_EINVAL;
    struct io_seg *segs = malloc(nr * sizeof *segs);
    if (!segs)
        return -LINUX_ENOMEM;
    int64_t e = mem_in(p, segs, arg, nr * (u->compat ? 8 : sizeof *segs)) < 0 ? -LINUX_EFAULT : 0;
    for (uint32_t i = nr; u->compat && !e && i-- > 0;) { /* widened in place, from the top down */
        uint32_t w[2];
        memcpy(w, (char *)segs + i * 8, 8);
        segs[i] = (struct io_seg){w[0], w[1]};
    }
    for (uint32_t i = 0; i < nr && !e; i++)
        if ((segs[i].base && !segs[i].len) || segs[i].len > (1u << 30) || (!segs[i].base && segs[i].len) ||
            (segs[i].len && mm_populate(p, segs[i].base, segs[i].len) < 0))
            e = -LINUX_EFAULT;
    if (e < 0) {
        free(segs);
        return e;
    }
    u->bufs = segs, u->nbufs = nr;
    return 0;
}

/* IORING_REGISTER_EVENTFD and _ASYNC: the eventfd whose descriptor arg holds. */
static int64_t register_eventfd(struct proc *p, struct uring *u, uint64_t arg, uint32_t nr, bool async)
{
    int32_t fd;
    if (nr != 1)
        return -LINUX_EINVAL;
    if (u->evfd)
        return -LINUX_EBUSY;
    if (mem_in(p, &fd, arg, sizeof fd) < 0)
        return -LINUX_EFAULT;
    struct file *f = fd_file(p, (uint64_t)(int64_t)fd);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != FILE_EVENTFD)
        return -LINUX_EINVAL;
    u->evfd = file_get(f), u->evfd_async = async;
    return 0;
}

static int64_t sys_io_uring_register(struct sys_ctx *c, int fd, uint32_t opcode, uint64_t arg, uint32_t nr_args)
{
    if (opcode >= REGISTER_LAST)
        return -LINUX_EINVAL;
    int64_t err;
    struct uring *u = uring_of(c->p, fd, &err);
    if (!u)
        return err;
    switch (opcode) {
    case IORING_REGISTER_PROBE: return probe(c->p, arg, nr_args);
    case IORING_REGISTER_BUFFERS: return register_buffers(c->p, u, arg, nr_args);
    case IORING_REGISTER_EVENTFD:
    case IORING_REGISTER_EVENTFD_ASYNC:
        return register_eventfd(c->p, u, arg, nr_args, opcode == IORING_REGISTER_EVENTFD_ASYNC);
    case IORING_UNREGISTER_EVENTFD:
        if (arg || nr_args)
            return -LINUX_EINVAL;
        if (!u->evfd)
            return -LINUX_ENXIO;
        file_put(u->evfd);
        u->evfd = NULL;
        return 0;
    case IORING_UNREGISTER_BUFFERS:
        if (arg || nr_args)
            return -LINUX_EINVAL;
        if (!u->bufs)
            return -LINUX_ENXIO;
        free(u->bufs);
        u->bufs = NULL, u->nbufs = 0;
        return 0;
    default: return -LINUX_EINVAL; /* files, personalities, restrictions, ...: not built */
    }
}
