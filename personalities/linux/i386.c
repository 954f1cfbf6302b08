/*
 * personalities/linux/i386.c - the i386 ABI's own calls (docs/i386.md):
 * TLS entries (set_thread_area and get_thread_area, which a 64-bit
 * process may use too, as on a Linux with IA32 emulation; clone's
 * CLONE_SETTLS), modify_ldt's reads (the LDT is always empty), clone's
 * argument order, the 32-bit rlimits, mmap2 and the old mmap, _llseek;
 * and i386_run, the bounce window's runner every i386 handler uses.
 *
 * Entry points: i386.h; set_thread_area, get_thread_area and modify_ldt
 * (syscalls.def).  Callers: the i386 table (i386.def), fork.c.
 * Layer: above mm, rlimit, fork.  Book: docs/i386.md.
 */
#include "i386.h"
#include "proc.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/i386.h" /* generated: the handlers' prototypes, entries */
#include "linux_entries/all.h" /* the 64-bit handlers' entries */

int64_t i386_call(struct sys_ctx *c, linux_handler entry, const uint64_t a[6], void *buf, size_t len, i386_done done,
                  const uint64_t ctx[4])
{
    uint64_t *saved = c->a, args[6];
    memcpy(args, a, sizeof args);
    struct i386_bounce w = {buf, len, done, {0}, false, false}, *was = c->p->bounce;
    if (ctx)
        memcpy(w.ctx, ctx, sizeof w.ctx);
    c->a = args;
    c->p->bounce = &w;
    int64_t r = entry(c);
    c->a = saved;
    c->p->bounce = was;
    if (w.answered) /* it waited, and was answered before its handler returned */
        return r;
    if (!c->deferred || c->no_reply)
        return done ? done(c->p, r, buf, w.ctx) : r;
    struct i386_bounce *keep = malloc(sizeof *keep + len); /* the call waits: its window stays */
    if (keep) {
        *keep = w;
        keep->buf = keep + 1;
        keep->kept = true;
        memcpy(keep->buf, buf, len);
    }
    c->p->bounce = keep;
    return r;
}

int64_t i386_finish(struct proc *p, int64_t result)
{
    struct i386_bounce *w = p->bounce;
    if (!w->kept) { /* its handler still runs (i386_call) */
        w->answered = true;
        return w->done ? w->done(p, result, w->buf, w->ctx) : result;
    }
    p->bounce = NULL;
    if (w->done)
        result = w->done(p, result, w->buf, w->ctx);
    free(w);
    return result;
}

/* ---- TLS entries ---- */

/* Linux's struct user_desc. */
struct user_desc {
    uint32_t entry, base, limit;
    uint32_t bits; /* seg_32bit:1 contents:2 read_exec_only:1 limit_in_pages:1 seg_not_present:1 useable:1 */
};
#define UD_32BIT 1u
#define UD_CONTENTS(b) (((b) >> 1) & 3)
#define UD_RX_ONLY 8u
#define UD_PAGES 16u
#define UD_NOT_PRESENT 32u
#define UD_USEABLE 64u

/* Linux's LDT_empty or LDT_zero: a user_desc that clears its entry. */
static bool clears(const struct user_desc *u)
{
    bool zero = !u->base && !u->limit && !(u->bits & 0x7f);
    return zero || (!u->base && !u->limit && (u->bits & 0x7f) == (UD_RX_ONLY | UD_NOT_PRESENT));
}

/* Linux's tls_desc_okay: a TLS entry is cleared, or a present 32-bit
 * data segment. */
static bool tls_okay(const struct user_desc *u)
{
    return clears(u) || ((u->bits & UD_32BIT) && UD_CONTENTS(u->bits) <= 1 && !(u->bits & UD_NOT_PRESENT));
}

/* The descriptor a user_desc makes, as Linux's fill_ldt (accessed set, the
 * lm bit ignored); an empty one makes none. */
static uint64_t descriptor(const struct user_desc *u)
{
    if (clears(u))
        return 0;
    uint64_t type = 1 | (uint64_t)((u->bits & UD_RX_ONLY) ? 0 : 2) | (uint64_t)UD_CONTENTS(u->bits) << 2;
    uint64_t lo = (u->base & 0xffffu) << 16 | (u->limit & 0xffffu);
    uint64_t hi = (u->base & 0xff000000u) | ((u->base >> 16) & 0xff) | (u->limit & 0xf0000u) | type << 8 | 1u << 12 |
                  3u << 13 | (uint64_t)((u->bits & UD_NOT_PRESENT) ? 0 : 1) << 15 |
                  (uint64_t)((u->bits & UD_USEABLE) ? 1 : 0) << 20 | (uint64_t)((u->bits & UD_32BIT) ? 1 : 0) << 22 |
                  (uint64_t)((u->bits & UD_PAGES) ? 1 : 0) << 23;
    return hi << 32 | lo;
}

/* The user_desc of a descriptor (get_thread_area). */
static void user_desc_of(uint64_t d, struct user_desc *u)
{
    uint32_t lo = (uint32_t)d, hi = (uint32_t)(d >> 32), type = (hi >> 8) & 15;
    u->base = (lo >> 16) | (hi & 0xff) << 16 | (hi & 0xff000000u);
    u->limit = (lo & 0xffff) | (hi & 0xf0000u);
    u->bits = (hi >> 22 & 1) | ((type >> 2) & 3) << 1 | ((type & 2) ? 0 : UD_RX_ONLY) |
              (hi >> 23 & 1) << 4 | ((hi >> 15 & 1) ? 0 : UD_NOT_PRESENT) | (hi >> 20 & 1) << 6;
    if (!d)
        u->bits = UD_RX_ONLY | UD_NOT_PRESENT, u->base = u->limit = 0;
}

/* Installs the user_desc at udesc into s: its entry (12..14), or with
 * allocate and entry -1 the first free one, written back.  0 or -errno. */
static int install(struct proc *p, uint64_t udesc, struct persona_segs *s, bool allocate)
{
    struct user_desc u;
    if (mem_in(p, &u, udesc, sizeof u) < 0)
        return -LINUX_EFAULT;
    if (!tls_okay(&u))
        return -LINUX_EINVAL;
    uint32_t e = u.entry;
    if (e == UINT32_MAX && allocate) {
        for (e = 0; e < 3 && s->tls[e]; e++)
            ;
        if (e == 3)
            return -LINUX_ESRCH;
        e += SEG_TLS_MIN;
        if (mem_out(p, udesc, &e, 4) < 0)
            return -LINUX_EFAULT;
    }
    if (e < SEG_TLS_MIN || e >= SEG_TLS_MIN + 3)
        return -LINUX_EINVAL;
    s->tls[e - SEG_TLS_MIN] = descriptor(&u);
    return 0;
}

static int64_t sys_set_thread_area(struct sys_ctx *c, uint64_t uinfo)
{
    struct persona_segs s;
    if (sys_thread_regs(c->p->thread, REGS_SEG_GET, (struct persona_regs *)(void *)&s) < 0)
        return -LINUX_ESRCH;
    int r = install(c->p, uinfo, &s, true);
    if (r < 0)
        return r;
    return sys_thread_regs(c->p->thread, REGS_SEG_SET, (struct persona_regs *)(void *)&s) < 0 ? -LINUX_EINVAL : 0;
}

int i386_thread_area(struct proc *p, int thread, uint32_t idx, uint64_t uinfo, bool set)
{
    struct persona_segs s;
    struct user_desc u;
    if (set && mem_in(p, &u, uinfo, sizeof u) < 0)
        return -LINUX_EFAULT;
    if (set && !tls_okay(&u))
        return -LINUX_EINVAL;
    if (idx < SEG_TLS_MIN || idx >= SEG_TLS_MIN + 3)
        return -LINUX_EINVAL;
    if (sys_thread_regs(thread, REGS_SEG_GET, (struct persona_regs *)(void *)&s) < 0)
        return -LINUX_ESRCH;
    if (set) {
        s.tls[idx - SEG_TLS_MIN] = descriptor(&u);
        return sys_thread_regs(thread, REGS_SEG_SET, (struct persona_regs *)(void *)&s) < 0 ? -LINUX_EINVAL : 0;
    }
    user_desc_of(s.tls[idx - SEG_TLS_MIN], &u);
    u.entry = idx;
    return mem_out(p, uinfo, &u, sizeof u) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys_get_thread_area(struct sys_ctx *c, uint64_t uinfo)
{
    uint32_t idx;
    if (mem_in(c->p, &idx, uinfo, 4) < 0)
        return -LINUX_EFAULT;
    return i386_thread_area(c->p, c->p->thread, idx, uinfo, false);
}

/* ---- the LDT ---- */

#define LDT_ENTRIES 8192
#define DEFAULT_LDT_SIZE 128 /* what x86-64 Linux's read_default_ldt shows, all zeros */

/* write_ldt's checks (oldmode: func 1), as Linux's; a write that passes
 * them needs an LDT the kernel does not load: 1. */
static int ldt_write(struct proc *p, uint64_t ptr, uint64_t bytecount, bool oldmode)
{
    struct user_desc u;
    if (bytecount != sizeof u)
        return -LINUX_EINVAL;
    if (mem_in(p, &u, ptr, sizeof u) < 0)
        return -LINUX_EFAULT;
    if (u.entry >= LDT_ENTRIES)
        return -LINUX_EINVAL;
    if (UD_CONTENTS(u.bits) == 3 && (oldmode || !(u.bits & UD_NOT_PRESENT)))
        return -LINUX_EINVAL; /* a code segment that is not conforming-and-absent */
    return 1;
}

/* The default LDT: bytecount bytes of it (at most 128), all zeros. */
static int ldt_read_default(struct proc *p, uint64_t ptr, uint64_t bytecount)
{
    static const char zeros[DEFAULT_LDT_SIZE];
    size_t n = bytecount > DEFAULT_LDT_SIZE ? DEFAULT_LDT_SIZE : bytecount;
    return n && mem_out(p, ptr, zeros, n) < 0 ? -LINUX_EFAULT : (int)n;
}

/* Linux returns modify_ldt's int as an unsigned one: an error is not
 * -errno in rax but its low 32 bits, which the C library's syscall()
 * takes for a count.  Writes this server cannot make are ENOSYS, whole,
 * as from a Linux without CONFIG_MODIFY_LDT_SYSCALL. */
static int64_t sys_modify_ldt(struct sys_ctx *c, int func, uint64_t ptr, uint64_t bytecount)
{
    int r = -LINUX_ENOSYS;
    if (func == 0)
        r = 0; /* read_ldt of no LDT: nothing, whatever ptr is */
    else if (func == 2)
        r = ldt_read_default(c->p, ptr, bytecount);
    else if (func == 1 || func == 0x11)
        r = ldt_write(c->p, ptr, bytecount, func == 1);
    if (r == 1)
        return -LINUX_ENOSYS;
    return (int64_t)(uint32_t)r;
}

int i386_copy_segs(struct proc *p, int thread, uint64_t udesc)
{
    struct persona_segs s;
    if (sys_thread_regs(p->thread, REGS_SEG_GET, (struct persona_regs *)(void *)&s) < 0)
        return -LINUX_ESRCH;
    int r = udesc ? install(p, udesc, &s, false) : 0;
    if (r < 0)
        return r;
    return sys_thread_regs(thread, REGS_SEG_SET, (struct persona_regs *)(void *)&s) < 0 ? -LINUX_EINVAL : 0;
}

/* i386's clone takes the TLS before the child's tid address (Linux's
 * CLONE_BACKWARDS); the TLS is a user_desc (fork.c's copy_thread). */
static int64_t sys32_clone(struct sys_ctx *c, uint64_t flags, uint64_t stack, uint64_t uparent_tid, uint64_t utls,
                           uint64_t uchild_tid)
{
    uint64_t a[6] = {flags, stack, uparent_tid, uchild_tid, utls};
    return i386_run(c, entry_clone, a, NULL, 0);
}

/* ---- limits ---- */

/* getrlimit's limits as 32-bit numbers: those above max shown as max. */
static int64_t get_limits(struct sys_ctx *c, uint64_t resource, uint64_t urlim, uint32_t max)
{
    uint64_t lim[2];
    uint64_t a[6] = {0, resource, 0, I386_BOUNCE_VA};
    int64_t r = i386_run(c, entry_prlimit64, a, lim, sizeof lim);
    if (r < 0)
        return r;
    uint32_t out[2] = {lim[0] > max ? max : (uint32_t)lim[0], lim[1] > max ? max : (uint32_t)lim[1]};
    return mem_out(c->p, urlim, out, sizeof out) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys32_ugetrlimit(struct sys_ctx *c, uint64_t resource, uint64_t urlim)
{
    return get_limits(c, resource, urlim, UINT32_MAX);
}

static int64_t sys32_getrlimit(struct sys_ctx *c, uint64_t resource, uint64_t urlim)
{
    return get_limits(c, resource, urlim, INT32_MAX);
}

/* 0xffffffff is RLIM_INFINITY. */
static int64_t sys32_setrlimit(struct sys_ctx *c, uint64_t resource, uint64_t urlim)
{
    uint32_t in[2];
    if (mem_in(c->p, in, urlim, sizeof in) < 0)
        return -LINUX_EFAULT;
    uint64_t lim[2] = {in[0] == UINT32_MAX ? RLIM_INFINITY : in[0], in[1] == UINT32_MAX ? RLIM_INFINITY : in[1]};
    uint64_t a[6] = {0, resource, I386_BOUNCE_VA, 0};
    return i386_run(c, entry_prlimit64, a, lim, sizeof lim);
}

/* ---- memory and offsets ---- */

static int64_t sys32_mmap2(struct sys_ctx *c, uint64_t addr, uint64_t length, int prot, int flags, int fd,
                           uint64_t pgoff)
{
    uint64_t a[6] = {addr, length, (uint32_t)prot, (uint32_t)flags, (uint32_t)fd, pgoff << 12};
    return i386_run(c, entry_mmap, a, NULL, 0);
}

static int64_t sys32_mmap(struct sys_ctx *c, uint64_t uargs)
{
    uint32_t v[6];
    if (mem_in(c->p, v, uargs, sizeof v) < 0)
        return -LINUX_EFAULT;
    if (v[5] & 4095)
        return -LINUX_EINVAL;
    uint64_t a[6] = {v[0], v[1], v[2], v[3], v[4], v[5]};
    return i386_run(c, entry_mmap, a, NULL, 0);
}

/* Linux's munmap checks the range against the 32-bit TASK_SIZE. */
static int64_t sys32_munmap(struct sys_ctx *c, uint64_t addr, uint64_t length)
{
    if (length > I386_TOP || addr > I386_TOP - ((length + 4095) & ~4095ull))
        return -LINUX_EINVAL;
    return i386_run(c, entry_munmap, (uint64_t[6]){addr, length}, NULL, 0);
}

/* The 64-bit offset in two halves; the new position written to *uresult. */
static int64_t sys32__llseek(struct sys_ctx *c, uint64_t fd, uint64_t offset_high, uint64_t offset_low, uint64_t uresult,
                             uint64_t whence)
{
    uint64_t a[6] = {fd, offset_high << 32 | offset_low, whence};
    int64_t r = i386_run(c, entry_lseek, a, NULL, 0);
    if (r < 0)
        return r;
    return mem_out(c->p, uresult, &r, 8) < 0 ? -LINUX_EFAULT : 0;
}
