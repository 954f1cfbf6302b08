/*
 * personalities/linux/i386io.c - the i386 calls of asynchronous I/O,
 * POSIX message queues and iovecs across processes (docs/i386.md):
 * io_setup's 32-bit context, io_getevents' and io_pgetevents'
 * old_timespec32 and compat_aio_sigset, the mq calls' compat_mq_attr,
 * old_timespec32 and compat_sigevent, and the compat_iovec arrays of
 * vmsplice, process_vm_readv and writev and process_madvise.  Each runs
 * the 64-bit handler on the translated structures (i386_call); io_submit
 * is the 64-bit handler itself, which reads an i386 call's 32-bit iocb
 * pointers and iovecs (aiosubmit.c).
 *
 * Entry points: the i386 table.  Layer: above aio, mqueue, splice,
 * procmem.  Book: docs/i386.md.
 */
#include "i386.h"
#include "proc.h"
#include <string.h>
#include "linux_entries/i386io.h" /* generated: the handlers' prototypes, entries */
#include "linux_entries/all.h" /* the 64-bit handlers' entries */

/* Reads an old_timespec32 at u (0: none) widened into k[0..1]: 0, or
 * -EFAULT.  *va: where the 64-bit handler finds it (the window's byte
 * off), or 0. */
static int timespec_in(struct proc *p, uint64_t u, int64_t *k, uint64_t off, uint64_t *va)
{
    struct timespec32 t;
    *va = 0;
    if (!u)
        return 0;
    if (mem_in(p, &t, u, sizeof t) < 0)
        return -LINUX_EFAULT;
    k[0] = t.sec, k[1] = t.nsec;
    *va = I386_BOUNCE_VA + off;
    return 0;
}

/* ---- asynchronous I/O ---- */

/* io_setup: the context a 32-bit word (compat_sys_io_setup), read
 * (nonzero: EINVAL) and written back; a context the caller cannot be
 * told of is destroyed again. */
static int64_t sys32_io_setup(struct sys_ctx *c, uint32_t nr_events, uint64_t uctx)
{
    uint32_t ctx32;
    uint64_t k = 0;
    if (mem_in(c->p, &ctx32, uctx, sizeof ctx32) < 0)
        return -LINUX_EFAULT;
    k = ctx32;
    int64_t r = i386_run(c, entry_io_setup, (uint64_t[6]){nr_events, I386_BOUNCE_VA}, &k, sizeof k);
    if (r < 0)
        return r;
    ctx32 = (uint32_t)k;
    if (mem_out(c->p, uctx, &ctx32, sizeof ctx32) < 0) {
        i386_run(c, entry_io_destroy, (uint64_t[6]){k}, NULL, 0);
        return -LINUX_EFAULT;
    }
    return r;
}

/* io_getevents, io_pgetevents and its time64 form: min_nr and nr signed
 * 32-bit numbers, the timeout an old_timespec32 (time64: a timespec, as
 * it is), usig a struct __compat_aio_sigset {mask, size} of 32-bit words. */
static int64_t getevents32(struct sys_ctx *c, linux_handler entry, const uint64_t in[6], bool time64)
{
    int64_t k[4] = {0};
    uint64_t a[6] = {(uint32_t)in[0], (uint64_t)(int64_t)(int32_t)in[1], (uint64_t)(int64_t)(int32_t)in[2], in[3],
                     in[4], 0};
    if (!time64 && timespec_in(c->p, in[4], k, 0, &a[4]) < 0)
        return -LINUX_EFAULT;
    if (in[5]) {
        uint32_t sig[2];
        if (mem_in(c->p, sig, in[5], sizeof sig) < 0)
            return -LINUX_EFAULT;
        k[2] = sig[0], k[3] = sig[1];
        a[5] = I386_BOUNCE_VA + 16;
    }
    return i386_run(c, entry, a, k, sizeof k);
}

static int64_t sys32_io_getevents(struct sys_ctx *c, uint64_t ctx_id, uint64_t min_nr, uint64_t nr, uint64_t uevents,
                                  uint64_t utimeout)
{
    return getevents32(c, entry_io_getevents, (uint64_t[6]){ctx_id, min_nr, nr, uevents, utimeout, 0}, false);
}

static int64_t sys32_io_pgetevents(struct sys_ctx *c, uint64_t ctx_id, uint64_t min_nr, uint64_t nr,
                                   uint64_t uevents, uint64_t utimeout, uint64_t usig)
{
    return getevents32(c, entry_io_pgetevents, (uint64_t[6]){ctx_id, min_nr, nr, uevents, utimeout, usig}, false);
}

static int64_t sys32_io_pgetevents_time64(struct sys_ctx *c, uint64_t ctx_id, uint64_t min_nr, uint64_t nr,
                                          uint64_t uevents, uint64_t utimeout, uint64_t usig)
{
    return getevents32(c, entry_io_pgetevents, (uint64_t[6]){ctx_id, min_nr, nr, uevents, utimeout, usig}, true);
}

/* ---- POSIX message queues ---- */

/* struct compat_mq_attr: four signed 32-bit numbers, then four reserved. */
static int mq_attr_in(struct proc *p, uint64_t u, int64_t k[8])
{
    int32_t a[8];
    if (mem_in(p, a, u, sizeof a) < 0)
        return -LINUX_EFAULT;
    memset(k, 0, 64);
    for (int i = 0; i < 4; i++)
        k[i] = a[i];
    return 0;
}

/* mq_open: the attributes read only with O_CREAT, as Linux's compat call;
 * the mode a compat_mode_t (16 bits). */
static int64_t sys32_mq_open(struct sys_ctx *c, uint64_t uname, int oflag, uint32_t mode, uint64_t uattr)
{
    int64_t k[8];
    uint64_t a[6] = {uname, (uint32_t)oflag, (uint16_t)mode, 0};
    if (uattr && (oflag & O_CREAT)) {
        if (mq_attr_in(c->p, uattr, k) < 0)
            return -LINUX_EFAULT;
        a[3] = I386_BOUNCE_VA;
    }
    return i386_run(c, entry_mq_open, a, k, sizeof k);
}

static int64_t sys32_mq_getsetattr(struct sys_ctx *c, int mqdes, uint64_t unew, uint64_t uold)
{
    int64_t k[16] = {0};
    uint64_t a[6] = {(uint64_t)(int64_t)mqdes, 0, uold ? I386_BOUNCE_VA + 64 : 0};
    if (unew) {
        if (mq_attr_in(c->p, unew, k) < 0)
            return -LINUX_EFAULT;
        a[1] = I386_BOUNCE_VA;
    }
    int64_t r = i386_run(c, entry_mq_getsetattr, a, k, sizeof k);
    if (r < 0 || !uold)
        return r;
    int32_t o[8] = {0};
    for (int i = 0; i < 4; i++)
        o[i] = (int32_t)k[8 + i];
    return mem_out(c->p, uold, o, sizeof o) < 0 ? -LINUX_EFAULT : r;
}

/* mq_timedsend and mq_timedreceive: the deadline an old_timespec32; x is
 * the priority (send) or where it goes (receive). */
static int64_t mq_timed(struct sys_ctx *c, linux_handler entry, int mqdes, uint64_t umsg, uint64_t len, uint64_t x,
                        uint64_t uts)
{
    int64_t k[2];
    uint64_t a[6] = {(uint64_t)(int64_t)mqdes, umsg, len, x, 0};
    if (timespec_in(c->p, uts, k, 0, &a[4]) < 0)
        return -LINUX_EFAULT;
    return i386_run(c, entry, a, k, sizeof k);
}

static int64_t sys32_mq_timedsend(struct sys_ctx *c, int mqdes, uint64_t umsg, uint64_t len, uint32_t prio,
                                  uint64_t uts)
{
    return mq_timed(c, entry_mq_timedsend, mqdes, umsg, len, prio, uts);
}

static int64_t sys32_mq_timedreceive(struct sys_ctx *c, int mqdes, uint64_t umsg, uint64_t len, uint64_t uprio,
                                     uint64_t uts)
{
    return mq_timed(c, entry_mq_timedreceive, mqdes, umsg, len, uprio, uts);
}

/* mq_notify: a compat_sigevent (SIGEV_THREAD's cookie address is the
 * value, zero-extended, as Linux's compat_ptr). */
static int64_t sys32_mq_notify(struct sys_ctx *c, int mqdes, uint64_t unotification)
{
    uint64_t k[8] = {0};
    if (unotification && i386_sigevent(c->p, unotification, k) < 0)
        return -LINUX_EFAULT;
    uint64_t a[6] = {(uint64_t)(int64_t)mqdes, unotification ? I386_BOUNCE_VA : 0};
    return i386_run(c, entry_mq_notify, a, k, sizeof k);
}

/* ---- compat_iovec arrays ---- */

static int64_t sys32_vmsplice(struct sys_ctx *c, uint64_t fd, uint64_t uiov, uint64_t nr_segs, uint32_t flags)
{
    return i386_iovecs(c, entry_vmsplice, (uint64_t[6]){fd, uiov, nr_segs, flags}, 1, -1);
}

static int64_t sys32_process_vm_readv(struct sys_ctx *c, int pid, uint64_t lvec, uint64_t liovcnt, uint64_t rvec,
                                      uint64_t riovcnt, uint64_t flags)
{
    return i386_iovecs(c, entry_process_vm_readv,
                       (uint64_t[6]){(uint64_t)(int64_t)pid, lvec, liovcnt, rvec, riovcnt, flags}, 1, 3);
}

static int64_t sys32_process_vm_writev(struct sys_ctx *c, int pid, uint64_t lvec, uint64_t liovcnt, uint64_t rvec,
                                       uint64_t riovcnt, uint64_t flags)
{
    return i386_iovecs(c, entry_process_vm_writev,
                       (uint64_t[6]){(uint64_t)(int64_t)pid, lvec, liovcnt, rvec, riovcnt, flags}, 1, 3);
}

static int64_t sys32_process_madvise(struct sys_ctx *c, int pidfd, uint64_t vec, uint64_t vlen, int advice,
                                     uint32_t flags)
{
    return i386_iovecs(c, entry_process_madvise,
                       (uint64_t[6]){(uint64_t)(int64_t)pidfd, vec, vlen, (uint64_t)(int64_t)advice, flags}, 1, -1);
}
