/*
 * personalities/linux/prctl.c - prctl(2): the options a program or a test
 * suite uses, answered as Linux 6.1 on x86-64 answers them in QEMU's
 * default CPU (qemu64): the name, the parent-death signal, dumpable, the
 * child subreaper, no_new_privs, seccomp (seccomp.c), the capability
 * options (caps.c), the timer slack, TSC, THP, MCE and I/O-flusher
 * settings (kept, told back, inherited), the clear-tid address, the
 * speculation controls of a CPU without IBPB or STIBP, PR_SET_MM's checks,
 * and PR_SET_VMA's names for anonymous memory (shown in /proc/PID/maps).
 * The options of other architectures (endian, FPEMU, FPEXC, unaligned
 * access) and of features not built (core scheduling, memory merging)
 * are EINVAL, as on such a Linux.
 *
 * Entry points: prctl's handler (syscalls.def).  Layer: calls, over proc,
 * mm and caps.c.  Book: docs/linux.md, "Programs and processes".
 */
#include "file.h"
#include "mm.h"
#include "prctl.h"
#include "seccomp.h"
#include "sysctl.h"
#include "uapi_sec.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/prctl.h" /* generated: the handlers' prototypes, entries */

/* An int prctl writes to arg2. */
static int64_t put_int(struct sys_ctx *c, uint64_t arg2, int v)
{
    return mem_out(c->p, arg2, &v, sizeof v) < 0 ? -LINUX_EFAULT : 0;
}

/* ---- PR_SET_VMA: names of anonymous areas ---- */

#define ANON_VMA_NAME_MAX_LEN 80 /* with its NUL (linux/mm_types.h) */

/* Each name once, kept for good: areas copied by fork, split and merged
 * share it, and two areas are named alike when their pointers are equal. */
static const char *intern(const char *name)
{
    static struct name {
        struct name *next;
        char s[ANON_VMA_NAME_MAX_LEN];
    } *names;
    for (struct name *n = names; n; n = n->next)
        if (!strcmp(n->s, name))
            return n->s;
    struct name *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    strcpy(n->s, name);
    n->next = names, names = n;
    return n->s;
}

/* Names [start, end), anonymous private areas only (a file's, or shared
 * memory's, is EBADF in Linux 6.1); a hole is ENOMEM, after the areas
 * around it are named. */
static int64_t name_range(struct proc *p, uint64_t start, uint64_t end, const char *name)
{
    if (mm_split(p->mm, start) < 0 || mm_split(p->mm, end) < 0)
        return -LINUX_EAGAIN; /* as madvise's (Linux's madvise_vma_anon_name) */
    uint64_t at = start;
    bool hole = false, file = false;
    for (struct vma *v = p->mm->vmas; v && v->start < end && !file; v = v->next) {
        if (v->end <= at)
            continue;
        hole |= v->start > at;
        if (!(file = v->file || v->shm_id))
            v->anon_name = name, at = v->end;
    }
    for (struct vma *v = p->mm->vmas; v && v->start <= end; v = v->next)
        if (v->end >= start) /* neighbours named alike are one area again, as Linux merges them */
            mm_merge_after(p->mm, v);
    return file ? -LINUX_EBADF : hole || at < end ? -LINUX_ENOMEM : 0;
}

static int64_t set_vma(struct sys_ctx *c, uint64_t opt, uint64_t addr, uint64_t size, uint64_t uname)
{
    char name[ANON_VMA_NAME_MAX_LEN];
    const char *kept = NULL;
    if (opt != PR_SET_VMA_ANON_NAME)
        return -LINUX_EINVAL;
    if (uname) {
        int n = mem_str(c->p, uname, name, sizeof name);
        if (n < 0)
            return n == -LINUX_EFAULT ? n : -LINUX_EINVAL;
        for (const char *s = name; *s; s++)
            if (*s < 0x20 || *s > 0x7e || strchr("\\`$[]", *s))
                return -LINUX_EINVAL;
        if (!(kept = intern(name)))
            return -LINUX_ENOMEM;
    }
    uint64_t len = (size + 4095) & ~4095ull;
    if ((addr & 4095) || (size && !len) || addr + len < addr)
        return -LINUX_EINVAL;
    return len ? name_range(c->p, addr, addr + len, kept) : 0;
}

/* ---- PR_SET_MM: the memory map's recorded bounds, auxv and program,
 * as Linux 6.1's prctl_set_mm and (CONFIG_CHECKPOINT_RESTORE's)
 * prctl_set_mm_map ---- */

#define AUXV_WORDS 48 /* Linux's AT_VECTOR_SIZE on x86-64: mm->saved_auxv's words */

/* struct prctl_mm_map (linux/prctl.h). */
struct mm_map {
    uint64_t start_code, end_code, start_data, end_data, start_brk, brk, start_stack, arg_start, arg_end, env_start,
        env_end, auxv;
    uint32_t auxv_size, exe_fd;
};
_Static_assert(sizeof(struct mm_map) == 104, "struct prctl_mm_map");

static struct mm_map map_of(const struct mm *mm)
{
    return (struct mm_map){mm->start_code, mm->end_code, mm->start_data, mm->end_data, mm->brk_start, mm->brk,
                           mm->start_stack, mm->arg_start, mm->arg_end, mm->env_start, mm->env_end, 0, 0, (uint32_t)-1};
}

static void map_set(struct mm *mm, const struct mm_map *m)
{
    mm->start_code = m->start_code, mm->end_code = m->end_code, mm->start_data = m->start_data;
    mm->end_data = m->end_data, mm->brk_start = m->start_brk, mm->brk = m->brk, mm->start_stack = m->start_stack;
    mm->arg_start = m->arg_start, mm->arg_end = m->arg_end, mm->env_start = m->env_start, mm->env_end = m->env_end;
}

/* The end of p's address space: Linux's TASK_SIZE, an i386 program's 4 GiB less a page. */
static uint64_t task_size(const struct proc *p) { return p->mm->compat ? I386_TOP : TASK_SIZE; }

/* Linux's validate_prctl_map_addr: every bound inside the address space
 * (mmap_min_addr to TASK_SIZE), the pairs in order, and the heap with the
 * data within RLIMIT_DATA; EINVAL otherwise. */
static int validate_map(struct proc *p, const struct mm_map *m)
{
    const uint64_t *b = &m->start_code;
    for (int i = 0; i < 11; i++)
        if (b[i] >= task_size(p) || b[i] < sysctl_mmap_min_addr)
            return -LINUX_EINVAL;
    if (m->start_code >= m->end_code || m->start_data > m->end_data || m->start_brk > m->brk ||
        m->arg_start > m->arg_end || m->env_start > m->env_end)
        return -LINUX_EINVAL;
    uint64_t rlim = proc_group(p)->rlim[RLIMIT_DATA][0];
    if (rlim != RLIM_INFINITY && (m->brk - m->start_brk) + (m->end_data - m->start_data) > rlim)
        return -LINUX_EINVAL;
    return 0;
}

/* The saved auxiliary vector becomes n bytes of words (the rest as they
 * were, or zeros with clear), its last entry AT_NULL; /proc/PID/auxv
 * shows it to its first AT_NULL. */
static void auxv_set(struct mm *mm, const uint64_t *w, size_t n, bool clear)
{
    if (clear)
        memset(mm->auxv, 0, AUXV_WORDS * 8);
    memcpy(mm->auxv, w, n);
    mm->auxv[AUXV_WORDS - 2] = mm->auxv[AUXV_WORDS - 1] = AT_NULL;
    mm->auxv_len = mm_auxv_words(mm);
}

/* PR_SET_MM_EXE_FILE: a regular file the caller may execute, of a mount
 * that allows it (EACCES), and only once the old program is mapped no
 * more (EBUSY); one open for writing is EACCES (Linux's
 * replace_mm_exe_file, whose deny_write_access fails); then
 * /proc/PID/exe names it, and nobody may open it for writing. */
static int64_t set_exe_file(struct sys_ctx *c, uint32_t fd)
{
    struct file *f = fd_file(c->p, fd);
    struct mm *mm = c->p->mm;
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != FILE_INODE || (f->inode->mode & S_IFMT) != S_IFREG || (f->mnt_flags & MS_NOEXEC) ||
        fs_permission(f->inode, MAY_EXEC) < 0)
        return -LINUX_EACCES;
    for (struct vma *v = mm->vmas; v && mm->exe; v = v->next)
        if (v->file && v->file == mm->exe)
            return -LINUX_EBUSY;
    if (f->inode->writers)
        return -LINUX_EACCES;
    char path[sizeof c->p->exe];
    if (fs_name_of(f->inode, NULL, path, sizeof path) < 0)
        path[0] = '\0';
    mm->exe = f->inode;
    for (struct proc *t = proc_list(); t; t = t->next)
        if (t->mm == mm)
            memcpy(t->exe, path, sizeof t->exe);
    return 0;
}

/* PR_SET_MM_MAP: every bound at once, validated but not checked against
 * the areas; auxv (at most AUXV_WORDS words) and the program (a
 * checkpointer's: EPERM) if given.  PR_SET_MM_MAP_SIZE: the struct's size. */
static int64_t set_mm_map(struct sys_ctx *c, uint64_t opt, uint64_t addr, uint64_t size)
{
    struct mm_map m;
    uint64_t auxv[AUXV_WORDS] = {0};
    if (opt == PR_SET_MM_MAP_SIZE)
        return put_int(c, addr, (int)sizeof m);
    if (size != sizeof m)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &m, addr, sizeof m) < 0)
        return -LINUX_EFAULT;
    int r = validate_map(c->p, &m);
    if (r < 0)
        return r;
    if (m.auxv_size && (!m.auxv || m.auxv_size > sizeof auxv))
        return -LINUX_EINVAL;
    if (m.auxv_size && mem_in(c->p, auxv, m.auxv, m.auxv_size) < 0)
        return -LINUX_EFAULT;
    if (m.exe_fd != (uint32_t)-1 && !cred_checkpointer(&c->p->cred))
        return -LINUX_EPERM;
    if (m.exe_fd != (uint32_t)-1 && (r = (int)set_exe_file(c, m.exe_fd)) < 0)
        return r;
    map_set(c->p->mm, &m);
    if (m.auxv_size)
        auxv_set(c->p->mm, auxv, sizeof auxv, true);
    return 0;
}

/* One bound (PR_SET_MM_START_CODE to ENV_END), auxv or the program, in
 * Linux's order of checks: CAP_SYS_RESOURCE (EPERM); an address inside
 * the address space; the map with it validated; the stack's and the
 * strings' bounds inside or below an area (EFAULT). */
static int64_t set_mm(struct sys_ctx *c, uint64_t opt, uint64_t addr, uint64_t arg4, uint64_t arg5)
{
    bool map = opt == PR_SET_MM_MAP || opt == PR_SET_MM_MAP_SIZE;
    if (arg5 || (arg4 && opt != PR_SET_MM_AUXV && !map))
        return -LINUX_EINVAL;
    if (map)
        return set_mm_map(c, opt, addr, arg4);
    if (!cred_capable(&c->p->cred, CAP_SYS_RESOURCE))
        return -LINUX_EPERM;
    if (opt == PR_SET_MM_EXE_FILE)
        return set_exe_file(c, (uint32_t)addr);
    if (opt == PR_SET_MM_AUXV) {
        uint64_t w[AUXV_WORDS] = {0};
        if (arg4 > sizeof w)
            return -LINUX_EINVAL;
        if (mem_in(c->p, w, addr, arg4) < 0)
            return -LINUX_EFAULT;
        auxv_set(c->p->mm, w, arg4, false);
        return 0;
    }
    if (addr >= task_size(c->p) || addr < sysctl_mmap_min_addr || opt < PR_SET_MM_START_CODE || opt > PR_SET_MM_ENV_END)
        return -LINUX_EINVAL;
    struct mm_map m = map_of(c->p->mm);
    static const uint8_t field[] = {0, 0, 1, 2, 3, 6, 4, 5, 7, 8, 9, 10}; /* PR_SET_MM_* to the map's order */
    (&m.start_code)[field[opt]] = addr;
    int r = validate_map(c->p, &m);
    if (r < 0)
        return r;
    bool on_area = false; /* Linux's find_vma: an area ending above addr */
    for (struct vma *v = c->p->mm->vmas; v && !on_area; v = v->next)
        on_area = v->end > addr;
    if (!on_area && (opt == PR_SET_MM_START_STACK || opt >= PR_SET_MM_ARG_START))
        return -LINUX_EFAULT;
    map_set(c->p->mm, &m);
    return 0;
}

/* ---- the speculation controls, as Linux on qemu64 (family 15 AMD):
 * not affected by store bypass, Spectre v2 with no IBPB nor STIBP to
 * control (always enabled), L1D flushing off ---- */

static int64_t spec_get(uint64_t which)
{
    switch (which) {
    case PR_SPEC_STORE_BYPASS: return PR_SPEC_NOT_AFFECTED;
    case PR_SPEC_INDIRECT_BRANCH: return PR_SPEC_ENABLE;
    case PR_SPEC_L1D_FLUSH: return PR_SPEC_FORCE_DISABLE;
    }
    return -LINUX_ENODEV;
}

static int64_t spec_set(uint64_t which, uint64_t ctrl)
{
    switch (which) {
    case PR_SPEC_STORE_BYPASS: return -LINUX_ENXIO;
    case PR_SPEC_INDIRECT_BRANCH:
        if (ctrl == PR_SPEC_ENABLE)
            return 0;
        return ctrl == PR_SPEC_DISABLE || ctrl == PR_SPEC_FORCE_DISABLE ? -LINUX_EPERM : -LINUX_ERANGE;
    case PR_SPEC_L1D_FLUSH: return -LINUX_EPERM;
    }
    return -LINUX_ENODEV;
}

/* ---- the rest ---- */

/* PR_MCE_KILL, as Linux's: PR_MCE_KILL_SET marks the thread's own policy
 * before it looks at the policy (a bad one is EINVAL, the mark stays). */
static int64_t mce_kill(struct prctl_state *s, uint64_t how, uint64_t policy, uint64_t a4, uint64_t a5)
{
    if (a4 | a5 || (how != PR_MCE_KILL_CLEAR && how != PR_MCE_KILL_SET) || (how == PR_MCE_KILL_CLEAR && policy))
        return -LINUX_EINVAL;
    s->mce_process = how == PR_MCE_KILL_SET;
    if (how == PR_MCE_KILL_CLEAR)
        return 0;
    if (policy == PR_MCE_KILL_EARLY || policy == PR_MCE_KILL_LATE)
        s->mce_early = policy == PR_MCE_KILL_EARLY;
    else if (policy == PR_MCE_KILL_DEFAULT)
        s->mce_process = s->mce_early = false;
    else
        return -LINUX_EINVAL;
    return 0;
}

static int64_t io_flusher(struct sys_ctx *c, uint64_t option, uint64_t arg2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    if (!cred_capable(&c->p->cred, CAP_SYS_RESOURCE))
        return -LINUX_EPERM;
    if (a3 || a4 || a5 || (option == PR_GET_IO_FLUSHER && arg2) || arg2 > 1)
        return -LINUX_EINVAL;
    if (option == PR_GET_IO_FLUSHER)
        return c->p->pr.io_flusher;
    c->p->pr.io_flusher = arg2;
    return 0;
}

/* PR_GET_AUXV: the auxiliary vector execve gave, in Linux 6.18's
 * saved_auxv of 56 words (zeros past AT_NULL): up to len bytes of it
 * copied, and its whole size the answer. */
static int64_t get_auxv(struct sys_ctx *c, uint64_t uaddr, uint64_t len)
{
    uint64_t saved[56] = {0};
    const struct mm *mm = c->p->mm;
    memcpy(saved, mm->auxv, (mm->auxv_len < 56 ? mm->auxv_len : 56) * sizeof *saved);
    uint64_t n = len < sizeof saved ? len : sizeof saved;
    return n && mem_out(c->p, uaddr, saved, n) < 0 ? -LINUX_EFAULT : (int64_t)sizeof saved;
}

/* The options kept in struct prctl_state, and the ones only checked. */
static int64_t kept(struct sys_ctx *c, uint64_t option, uint64_t arg2, uint64_t arg3, uint64_t arg4, uint64_t arg5)
{
    struct proc *p = c->p, *g = proc_group(c->p);
    struct prctl_state *s = &p->pr;
    switch (option) {
    case PR_GET_TIMING: return PR_TIMING_STATISTICAL;
    case PR_SET_TIMING: return arg2 != PR_TIMING_STATISTICAL ? -LINUX_EINVAL : 0;
    case PR_GET_TSC: return put_int(c, arg2, s->tsc_sigsegv ? PR_TSC_SIGSEGV : PR_TSC_ENABLE);
    case PR_SET_TSC:
        if (arg2 != PR_TSC_ENABLE && arg2 != PR_TSC_SIGSEGV)
            return -LINUX_EINVAL;
        if (sys_thread_regs(c->p->thread, REGS_TSC_SET, (struct persona_regs *)(void *)&(uint64_t){arg2 == PR_TSC_SIGSEGV}) < 0)
            return -LINUX_EINVAL;
        s->tsc_sigsegv = arg2 == PR_TSC_SIGSEGV;
        return 0;
    case PR_GET_TIMERSLACK: return (int64_t)s->timer_slack; /* as Linux: past LONG_MAX, an "error" */
    case PR_SET_TIMERSLACK:
        s->timer_slack = arg2 ? arg2 : s->default_slack;
        return 0;
    case PR_TASK_PERF_EVENTS_DISABLE:
    case PR_TASK_PERF_EVENTS_ENABLE: return 0; /* not yet: the caller's own counters (perfevent.c) stay as they are */
    case PR_MCE_KILL: return mce_kill(s, arg2, arg3, arg4, arg5);
    case PR_MCE_KILL_GET:
        if (arg2 | arg3 | arg4 | arg5)
            return -LINUX_EINVAL;
        return !s->mce_process ? PR_MCE_KILL_DEFAULT : s->mce_early ? PR_MCE_KILL_EARLY : PR_MCE_KILL_LATE;
    case PR_GET_TID_ADDRESS: return mem_out(p, arg2, &p->clear_tid, 8) < 0 ? -LINUX_EFAULT : 0;
    case PR_GET_THP_DISABLE: return arg2 || arg3 || arg4 || arg5 ? -LINUX_EINVAL : g->pr.thp_disable;
    case PR_SET_THP_DISABLE:
        if (arg3 || arg4 || arg5)
            return -LINUX_EINVAL;
        g->pr.thp_disable = arg2 != 0;
        return 0;
    case PR_GET_SPECULATION_CTRL: return arg3 || arg4 || arg5 ? -LINUX_EINVAL : spec_get(arg2);
    case PR_SET_SPECULATION_CTRL: return arg4 || arg5 ? -LINUX_EINVAL : spec_set(arg2, arg3);
    case PR_SET_IO_FLUSHER:
    case PR_GET_IO_FLUSHER: return io_flusher(c, option, arg2, arg3, arg4, arg5);
    case PR_SET_MM: return set_mm(c, arg2, arg3, arg4, arg5);
    case PR_SET_VMA: return set_vma(c, arg2, arg3, arg4, arg5);
    case PR_GET_AUXV: return arg4 || arg5 ? -LINUX_EINVAL : get_auxv(c, arg2, arg3);
    }
    return -LINUX_EINVAL; /* as Linux answers an option it does not know or has not built */
}

static int64_t sys_prctl(struct sys_ctx *c, uint64_t option, uint64_t arg2, uint64_t arg3, uint64_t arg4,
                         uint64_t arg5)
{
    struct proc *p = c->p, *g = proc_group(c->p);
    int64_t r = caps_prctl(p, option, arg2, arg3, arg4, arg5);
    if (r != -LINUX_ENOSYS)
        return r;
    switch (option) {
    case PR_GET_NAME: return mem_out(p, arg2, p->comm, sizeof p->comm) < 0 ? -LINUX_EFAULT : 0;
    case PR_SET_NAME: return mem_str(p, arg2, p->comm, sizeof p->comm) == -LINUX_EFAULT ? -LINUX_EFAULT : 0;
    case PR_SET_PDEATHSIG:
        if (arg2 > LINUX_NSIG)
            return -LINUX_EINVAL;
        p->pdeathsig = (int)arg2;
        return 0;
    case PR_GET_PDEATHSIG: return put_int(c, arg2, p->pdeathsig);
    case PR_GET_DUMPABLE: return !g->undumpable;
    case PR_SET_DUMPABLE:
        if (arg2 > 1)
            return -LINUX_EINVAL;
        g->undumpable = !arg2;
        return 0;
    case PR_SET_CHILD_SUBREAPER:
        g->subreaper = arg2 != 0;
        return 0;
    case PR_GET_CHILD_SUBREAPER: return put_int(c, arg2, g->subreaper);
    case PR_SET_NO_NEW_PRIVS: /* for good: there is no way back */
        if (arg2 != 1 || arg3 || arg4 || arg5)
            return -LINUX_EINVAL;
        p->no_new_privs = true;
        return 0;
    case PR_GET_NO_NEW_PRIVS: return arg2 || arg3 || arg4 || arg5 ? -LINUX_EINVAL : p->no_new_privs;
    case PR_GET_SECCOMP:
    case PR_SET_SECCOMP: return seccomp_prctl(c, (int)option, arg2, arg3);
    }
    return kept(c, option, arg2, arg3, arg4, arg5);
}
