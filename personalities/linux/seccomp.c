/*
 * personalities/linux/seccomp.c - seccomp(2) and prctl's PR_SET_SECCOMP:
 * a thread limits the calls it and its children may make.  Strict mode
 * leaves read, write, exit and rt_sigreturn, and ends the thread with
 * SIGKILL at any other.  Filter mode runs the thread's classic BPF
 * programs (seccompbpf.c) over a struct seccomp_data before every call,
 * the server seeing every call, and acts on the most restrictive answer:
 * KILL_PROCESS, KILL_THREAD (SIGSYS, with a core as Linux), TRAP (a forced
 * SIGSYS whose siginfo names the call), ERRNO, TRACE (ENOSYS: no
 * tracer), USER_NOTIF (the call waits for the answer of the filter's
 * listener, seccompnotify.c; ENOSYS without one), LOG and ALLOW (the call
 * runs).  Installing a filter takes no_new_privs or CAP_SYS_ADMIN (else
 * EACCES); filters pass to children and new threads and stay over execve;
 * SECCOMP_FILTER_FLAG_TSYNC gives the caller's to every thread of its
 * process; SECCOMP_FILTER_FLAG_NEW_LISTENER makes the filter's listener,
 * one to a chain (EBUSY), and returns its descriptor.
 *
 * Entry points: sys_seccomp (syscalls.def), seccomp.h's.  Layer: proc.
 * Book: docs/linux.md, "Seccomp".
 */
#include "proc.h"
#include "seccomp.h"
#include "seccompbpf.h"
#include "uapi_sec.h"
#include "linux_names.h"
#include "linux_entries/seccomp.h" /* generated: the handlers' prototypes, entries */
#include <stdlib.h>
#include <string.h>

struct seccomp_filter {
    int refs;
    bool log;                    /* SECCOMP_FILTER_FLAG_LOG: its LOG answers are logged (there is no audit log here) */
    struct seccomp_filter *prev; /* the filter installed before it */
    struct seccomp_listener *listener; /* SECCOMP_FILTER_FLAG_NEW_LISTENER's (seccompnotify.c), or NULL */
    uint16_t len;
    struct sock_filter insns[];
};

/* Linux's MAX_INSNS_PER_PATH: the instructions of a chain, 4 more a filter. */
#define SECCOMP_CHAIN_MAX 32768
#define SECCOMP_MAX_ERRNO 4095
/* struct seccomp_notif, seccomp_notif_resp and seccomp_data's sizes. */
#define SECCOMP_NOTIF_SIZE 80
#define SECCOMP_NOTIF_RESP_SIZE 24

void seccomp_inherit(struct seccomp_state *child, const struct seccomp_state *p)
{
    *child = *p;
    if (child->filter)
        child->filter->refs++;
}

void seccomp_drop(struct seccomp_state *s)
{
    for (struct seccomp_filter *f = s->filter, *prev; f && --f->refs == 0; f = prev) {
        prev = f->prev;
        if (f->listener)
            seccomp_listener_put(f->listener, true);
        free(f);
    }
    s->filter = NULL;
}

int seccomp_filters(const struct seccomp_state *s)
{
    int n = 0;
    for (const struct seccomp_filter *f = s->filter; f; f = f->prev)
        n++;
    return n;
}

/* Linux's ordering of actions: the lowest, as a signed word, wins. */
static int32_t action_rank(uint32_t ret) { return (int32_t)(ret & SECCOMP_RET_ACTION_FULL); }

/* What the filters answer for this call: the most restrictive, the
 * newest filter's among equals (*match, the filter that answered). */
static uint32_t filters_run(const struct seccomp_state *s, const struct seccomp_data *d,
                            struct seccomp_filter **match)
{
    uint32_t ret = SECCOMP_RET_ALLOW;
    for (struct seccomp_filter *f = s->filter; f; f = f->prev) {
        uint32_t r = bpf_run(f->insns, d);
        if (action_rank(r) < action_rank(ret))
            ret = r, *match = f;
    }
    return ret;
}

/* The arch a filter sees: the ABI of the call (an i386 call is int 0x80's). */
static uint32_t call_arch(const struct sys_ctx *c) { return c->i386 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64; }

/* The thread ends with sig (SIGKILL in strict mode, SIGSYS for
 * KILL_THREAD) while its process has others; else the process does,
 * SIGSYS with a core file. */
static void seccomp_kill(struct sys_ctx *c, uint64_t nr, uint32_t action, int sig)
{
    struct siginfo_k si = {sig, 0, sig == SIGSYS ? SYS_SECCOMP : SI_KERNEL, 0, {.raw = {0}}};
    c->no_reply = true;
    if (action != SECCOMP_RET_KILL_PROCESS && proc_live_threads(proc_group(c->p)) > 1) {
        thread_exit(c);
        return;
    }
    if (sig == SIGSYS) {
        uint32_t call[2] = {(uint32_t)nr, call_arch(c)};
        memcpy(si.raw, &c->trap->rip, 8);
        memcpy(si.raw + 8, call, sizeof call);
    }
    signal_die(c->p, sig, &si);
}

/* SECCOMP_RET_TRAP: SIGSYS, forced, naming the call; the call does not run. */
static void seccomp_trap(struct sys_ctx *c, uint64_t nr, uint32_t data)
{
    struct siginfo_k si = {SIGSYS, (int32_t)data, SYS_SECCOMP, 0, {.raw = {0}}};
    uint32_t call[2] = {(uint32_t)nr, call_arch(c)};
    memcpy(si.raw, &c->trap->rip, 8); /* si_call_addr, si_syscall, si_arch */
    memcpy(si.raw + 8, call, sizeof call);
    c->no_reply = true;
    signal_force(c->p, &si, c->token);
}

/* Strict mode's four calls: read, write, exit and sigreturn, by the
 * numbers of the ABI that called (i386's int 0x80: 3, 4, 1 and 119). */
static bool strict_allows(const struct sys_ctx *c, uint64_t nr)
{
    if (c->i386)
        return nr == 3 || nr == 4 || nr == 1 || nr == 119;
    return nr == LNR_read || nr == LNR_write || nr == LNR_exit || nr == LNR_rt_sigreturn;
}

bool seccomp_stops(struct sys_ctx *c, uint64_t nr, int64_t *result)
{
    struct seccomp_state *s = &c->p->seccomp;
    if (s->mode == SECCOMP_MODE_STRICT) {
        if (strict_allows(c, nr))
            return false;
        seccomp_kill(c, nr, SECCOMP_RET_KILL_THREAD, SIGKILL);
        return true;
    }
    struct seccomp_data d = {(int32_t)nr, call_arch(c), c->trap->rip, {0}};
    memcpy(d.args, c->a, sizeof d.args);
    struct seccomp_filter *match = NULL;
    uint32_t ret = filters_run(s, &d, &match), data = ret & SECCOMP_RET_DATA;
    switch (ret & SECCOMP_RET_ACTION_FULL) {
    case SECCOMP_RET_ALLOW:
    case SECCOMP_RET_LOG: return false;
    case SECCOMP_RET_ERRNO: *result = -(int64_t)(data > SECCOMP_MAX_ERRNO ? SECCOMP_MAX_ERRNO : data); return true;
    case SECCOMP_RET_USER_NOTIF: /* waits for the listener's answer (seccompnotify.c) */
        if (!c->i386 && seccomp_listener_live(match->listener) && seccomp_notify(c, match->listener, nr, &d))
            return true;
        *result = -LINUX_ENOSYS; /* no listener, as Linux */
        return true;
    case SECCOMP_RET_TRACE: *result = -LINUX_ENOSYS; return true; /* no tracer: the call is skipped, as Linux */
    case SECCOMP_RET_TRAP: seccomp_trap(c, nr, data); return true;
    case SECCOMP_RET_KILL_THREAD: seccomp_kill(c, nr, SECCOMP_RET_KILL_THREAD, SIGSYS); return true;
    default: seccomp_kill(c, nr, SECCOMP_RET_KILL_PROCESS, SIGSYS); return true; /* unknown: KILL_PROCESS, as Linux */
    }
}

/* Linux's seccomp_may_assign_mode: a mode once set stays. */
static bool may_assign(const struct proc *p, int mode)
{
    return p->seccomp.mode == SECCOMP_MODE_DISABLED || p->seccomp.mode == mode;
}

static int64_t set_strict(struct proc *p)
{
    if (!may_assign(p, SECCOMP_MODE_STRICT))
        return -LINUX_EINVAL;
    p->seccomp.mode = SECCOMP_MODE_STRICT;
    return 0;
}

/* A filter from a struct sock_fprog at prog (compat: an i386 call's
 * compat_sock_fprog), checked as Linux checks one. */
static int64_t filter_load(struct proc *p, uint64_t prog, bool compat, struct seccomp_filter **out)
{
    struct {
        uint16_t len, pad[3];
        uint64_t filter;
    } fprog;
    struct {
        uint16_t len, pad;
        uint32_t filter;
    } fprog32; /* an i386 call's: struct compat_sock_fprog */
    if (compat) {
        if (mem_in(p, &fprog32, prog, sizeof fprog32) < 0)
            return -LINUX_EFAULT;
        fprog.len = fprog32.len, fprog.filter = fprog32.filter;
    } else if (mem_in(p, &fprog, prog, sizeof fprog) < 0) {
        return -LINUX_EFAULT;
    }
    if (fprog.len == 0 || fprog.len > BPF_MAXINSNS)
        return -LINUX_EINVAL;
    if (!p->no_new_privs && !cred_own_capable(&p->cred, CAP_SYS_ADMIN))
        return -LINUX_EACCES; /* CAP_SYS_ADMIN in its own user namespace */
    struct seccomp_filter *f = malloc(sizeof *f + fprog.len * sizeof(struct sock_filter));
    if (!f)
        return -LINUX_ENOMEM;
    *f = (struct seccomp_filter){1, false, NULL, NULL, fprog.len};
    int64_t r = mem_in(p, f->insns, fprog.filter, fprog.len * sizeof(struct sock_filter));
    if (r == 0)
        r = bpf_check(f->insns, fprog.len) ? 0 : -LINUX_EINVAL;
    if (r < 0) {
        free(f);
        return r;
    }
    *out = f;
    return 0;
}

/* SECCOMP_FILTER_FLAG_TSYNC: 0 if every other thread of p's process runs
 * p's filters or an older part of them, else the first one's id. */
static int tsync_blocker(struct proc *p)
{
    for (struct proc *t = proc_list(); t; t = t->next) {
        if (t == p || t->zombie || proc_group(t) != proc_group(p) || (t == proc_group(t) && t->thread_gone))
            continue;
        const struct seccomp_filter *f = p->seccomp.filter;
        while (f && f != t->seccomp.filter)
            f = f->prev;
        if (t->seccomp.mode == SECCOMP_MODE_STRICT || (t->seccomp.filter && !f))
            return t->pid;
    }
    return 0;
}

/* Gives p's filters (and no_new_privs) to the other threads of its process. */
static void tsync(struct proc *p)
{
    for (struct proc *t = proc_list(); t; t = t->next)
        if (t != p && !t->zombie && proc_group(t) == proc_group(p)) {
            seccomp_drop(&t->seccomp);
            seccomp_inherit(&t->seccomp, &p->seccomp);
            t->no_new_privs = t->no_new_privs || p->no_new_privs;
        }
}

static int chain_length(const struct seccomp_filter *f)
{
    int n = 0;
    for (; f; f = f->prev)
        n += f->len + 4;
    return n;
}

/* Whether a filter of the chain has a listener still open: one only. */
static bool listening(const struct seccomp_filter *f)
{
    for (; f; f = f->prev)
        if (seccomp_listener_live(f->listener))
            return true;
    return false;
}

static int64_t set_filter(struct proc *p, uint64_t flags, uint64_t prog, bool compat)
{
    const uint64_t known = SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW |
                           SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_TSYNC_ESRCH |
                           SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
    const uint64_t tsync_listener = SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_NEW_LISTENER;
    if ((flags & ~known) || ((flags & tsync_listener) == tsync_listener && !(flags & SECCOMP_FILTER_FLAG_TSYNC_ESRCH)))
        return -LINUX_EINVAL; /* TSYNC's failure, a thread id, could not be told from a listener */
    if ((flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) && !(flags & SECCOMP_FILTER_FLAG_NEW_LISTENER))
        return -LINUX_EINVAL;
    struct seccomp_filter *f;
    int64_t r = filter_load(p, prog, compat, &f);
    if (r < 0)
        return r;
    int blocker = flags & SECCOMP_FILTER_FLAG_TSYNC ? tsync_blocker(p) : 0;
    if (!may_assign(p, SECCOMP_MODE_FILTER))
        r = -LINUX_EINVAL;
    else if (f->len + chain_length(p->seccomp.filter) > SECCOMP_CHAIN_MAX)
        r = -LINUX_ENOMEM;
    else if (blocker)
        r = flags & SECCOMP_FILTER_FLAG_TSYNC_ESRCH ? -LINUX_ESRCH : blocker;
    else if (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) /* the descriptor, or EBUSY, EMFILE */
        r = listening(p->seccomp.filter) ? -LINUX_EBUSY : seccomp_listener_new(p, &f->listener);
    if (r < 0 || (r > 0 && !f->listener)) {
        free(f);
        return r;
    }
    f->log = flags & SECCOMP_FILTER_FLAG_LOG;
    f->prev = p->seccomp.filter; /* the thread's reference passes to the new filter */
    p->seccomp.filter = f;
    p->seccomp.mode = SECCOMP_MODE_FILTER;
    if (flags & SECCOMP_FILTER_FLAG_TSYNC)
        tsync(p);
    return r;
}

static int64_t action_avail(struct proc *p, uint64_t arg)
{
    uint32_t action;
    if (mem_in(p, &action, arg, sizeof action) < 0)
        return -LINUX_EFAULT;
    switch (action) {
    case SECCOMP_RET_KILL_PROCESS: case SECCOMP_RET_KILL_THREAD: case SECCOMP_RET_TRAP: case SECCOMP_RET_ERRNO:
    case SECCOMP_RET_USER_NOTIF: case SECCOMP_RET_TRACE: case SECCOMP_RET_LOG: case SECCOMP_RET_ALLOW: return 0;
    default: return -LINUX_EOPNOTSUPP;
    }
}

static int64_t notif_sizes(struct proc *p, uint64_t arg)
{
    uint16_t sizes[3] = {SECCOMP_NOTIF_SIZE, SECCOMP_NOTIF_RESP_SIZE, sizeof(struct seccomp_data)};
    return mem_out(p, arg, sizes, sizeof sizes) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys_seccomp(struct sys_ctx *c, uint32_t op, uint32_t flags, uint64_t args)
{
    switch (op) {
    case SECCOMP_SET_MODE_STRICT: return flags || args ? -LINUX_EINVAL : set_strict(c->p);
    case SECCOMP_SET_MODE_FILTER: return set_filter(c->p, flags, args, c->i386);
    case SECCOMP_GET_ACTION_AVAIL: return flags ? -LINUX_EINVAL : action_avail(c->p, args);
    case SECCOMP_GET_NOTIF_SIZES: return flags ? -LINUX_EINVAL : notif_sizes(c->p, args);
    default: return -LINUX_EINVAL;
    }
}

int64_t seccomp_prctl(struct sys_ctx *c, int option, uint64_t mode, uint64_t prog)
{
    if (option == PR_GET_SECCOMP)
        return c->p->seccomp.mode;
    switch (mode) {
    case SECCOMP_MODE_STRICT: return set_strict(c->p); /* the prog argument is ignored, as Linux */
    case SECCOMP_MODE_FILTER: return set_filter(c->p, 0, prog, c->i386);
    default: return -LINUX_EINVAL;
    }
}
