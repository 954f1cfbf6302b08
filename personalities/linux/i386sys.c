/*
 * personalities/linux/i386sys.c - i386 calls of the system's own state
 * (docs/i386.md): ustat's compat_ustat, adjtimex and clock_adjtime's
 * old_timex32, fanotify_mark's mask in two registers, arch_prctl (the
 * options Linux's compat arch_prctl takes) and the old bdflush.  Each
 * runs the 64-bit handler on the translated structures (i386_run).
 *
 * Entry points: the i386 table.  Layer: above stat, time, fanotify,
 * fork.  Book: docs/i386.md.
 */
#include "i386.h"
#include "proc.h"
#include "klog.h"
#include <string.h>
#include "linux_entries/i386sys.h" /* generated: the handlers' prototypes, entries */
#include "linux_entries/all.h" /* the 64-bit handlers' entries */

/* ustat: struct compat_ustat, a 32-bit free inode count, 20 bytes. */
static int64_t sys32_ustat(struct sys_ctx *c, uint32_t dev, uint64_t ubuf)
{
    uint8_t k[32] = {0}, u[20] = {0};
    int64_t r = i386_run(c, entry_ustat, (uint64_t[6]){dev, I386_BOUNCE_VA}, k, sizeof k);
    if (r < 0)
        return r;
    memcpy(u, k, 4);     /* f_tfree */
    memcpy(u + 4, k + 8, 4); /* f_tinode, cut as Linux's compat_ino_t */
    return mem_out(c->p, ubuf, u, sizeof u) < 0 ? -LINUX_EFAULT : 0;
}

/* struct old_timex32: 32 words, the first 21 struct timex's fields (each
 * a 64-bit word there, the ints in their low halves), then padding.
 * Linux's get_old_timex32 and put_old_timex32. */
#define TIMEX32_FIELDS 21

static int64_t timex32(struct sys_ctx *c, linux_handler entry, uint64_t clockid, uint64_t utx)
{
    int32_t w[32];
    int64_t k[26] = {0}; /* struct timex, 208 bytes */
    if (mem_in(c->p, w, utx, sizeof w) < 0)
        return -LINUX_EFAULT;
    k[0] = (uint32_t)w[0]; /* modes */
    for (int i = 1; i < TIMEX32_FIELDS; i++)
        k[i] = w[i];
    uint64_t a[6] = {clockid, I386_BOUNCE_VA};
    if (entry == entry_adjtimex)
        a[0] = I386_BOUNCE_VA;
    int64_t r = i386_run(c, entry, a, k, sizeof k);
    if (r == -LINUX_EFAULT)
        return r;
    memset(w, 0, sizeof w);
    for (int i = 0; i < TIMEX32_FIELDS; i++)
        w[i] = (int32_t)k[i];
    return mem_out(c->p, utx, w, sizeof w) < 0 ? -LINUX_EFAULT : r;
}

static int64_t sys32_adjtimex(struct sys_ctx *c, uint64_t utx)
{
    return timex32(c, entry_adjtimex, 0, utx);
}

static int64_t sys32_clock_adjtime(struct sys_ctx *c, int clockid, uint64_t utx)
{
    return timex32(c, entry_clock_adjtime, (uint64_t)(int64_t)clockid, utx);
}

/* fanotify_mark: the 64-bit mask in two registers, its low half first. */
static int64_t sys32_fanotify_mark(struct sys_ctx *c, int fd, uint32_t flags, uint32_t mask_lo, uint32_t mask_hi,
                                   int dfd, uint64_t upath)
{
    uint64_t a[6] = {(uint64_t)(int64_t)fd, flags, (uint64_t)mask_hi << 32 | mask_lo, (uint64_t)(int64_t)dfd, upath};
    return i386_run(c, entry_fanotify_mark, a, NULL, 0);
}

/* arch_prctl: Linux's compat one takes only the options common to both
 * ABIs (do_arch_prctl_common: cpuid's, the XSTATE permissions); the FS
 * and GS bases are x86-64's (a 32-bit program has set_thread_area). */
static int64_t sys32_arch_prctl(struct sys_ctx *c, uint64_t code, uint64_t addr)
{
    if ((uint32_t)code >= 0x1001 && (uint32_t)code <= 0x1004) /* ARCH_SET_GS ... ARCH_GET_GS */
        return -LINUX_EINVAL;
    return i386_run(c, entry_arch_prctl, (uint64_t[6]){(uint32_t)code, addr}, NULL, 0);
}

/* bdflush: Linux 6.1 keeps it for i386 alone, doing nothing: CAP_SYS_ADMIN
 * or EPERM; function 1 (the old daemon's loop) ends the caller; the rest
 * answer 0, with Linux's warning logged five times at most. */
static int64_t sys32_bdflush(struct sys_ctx *c, int func, uint64_t data)
{
    static int warned;
    (void)data;
    if (!cred_capable(&c->p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    if (warned < 5) {
        warned++;
        klog(KERN_INFO, "warning: process `%s' used the obsolete bdflush system call", c->p->comm);
        klog(KERN_INFO, "Fix your initscripts?");
    }
    if (func == 1)
        return i386_run(c, entry_exit, (uint64_t[6]){0}, NULL, 0);
    return 0;
}
