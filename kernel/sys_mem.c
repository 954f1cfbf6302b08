/*
 * kernel/sys_mem.c - kernel calls on address spaces: map, unmap, protect,
 * read, write, share, clone; and stats, the figures the kernel keeps
 * (memory, CPU time, a task's resident pages).  The target task comes from
 * a handle with R_MAP; the work is done by uvm.c.
 * Book: docs/memory.md, docs/abi.md.
 */
#include "errno.h"
#include "heap.h"
#include "pico.h"
#include "pmm.h"
#include "sched.h"
#include "timer.h"
#include "syscall.h"
#include "task.h"
#include "thread.h"
#include "uvm.h"

static struct task *map_target(u64 h, int64_t *err)
{
    struct task *t = sys_object(h, OBJ_TASK, R_MAP, err);
    if (t && t->dead) {
        *err = -ESRCH;
        return NULL;
    }
    return t;
}

int64_t sys_mem_map(int task_h, uint64_t va, uint64_t len, int prot)
{
    int64_t err;
    struct task *t = map_target(task_h, &err);
    return t ? uvm_map_zero(t, va, len, (int)prot) : err;
}

int64_t sys_mem_unmap(int task_h, uint64_t va, uint64_t len)
{
    int64_t err;
    struct task *t = map_target(task_h, &err);
    return t ? uvm_unmap(t, va, len) : err;
}

int64_t sys_mem_protect(int task_h, uint64_t va, uint64_t len, int prot)
{
    int64_t err;
    struct task *t = map_target(task_h, &err);
    return t ? uvm_protect(t, va, len, (int)prot) : err;
}

/* Moves len bytes between the caller and another task; to_target selects
 * the direction.  A server may write its client's read-only pages. */
static int64_t transfer(u64 task_h, u64 va, u64 buf, u64 len, bool to_target)
{
    int64_t err;
    struct task *t = map_target(task_h, &err), *self = current()->task;
    if (!t)
        return err;
    if (va + len < va || buf + len < buf)
        return -EFAULT;
    return to_target ? uvm_copy_between(t, va, self, buf, len, true) : uvm_copy_between(self, buf, t, va, len, false);
}

int64_t sys_mem_read(int task_h, uint64_t va, u64 buf, uint64_t len)
{
    return transfer(task_h, va, buf, len, false);
}

int64_t sys_mem_write(int task_h, uint64_t va, u64 buf, uint64_t len)
{
    return transfer(task_h, va, buf, len, true);
}

int64_t sys_mem_share(int src_h, uint64_t sva, int dst_h, uint64_t dva, uint64_t len, int flags)
{
    int64_t err;
    struct task *src = map_target(src_h, &err);
    struct task *dst = src ? map_target(dst_h, &err) : NULL;
    return dst ? uvm_share(src, sva, dst, dva, len, (int)flags) : err;
}

int64_t sys_task_clone(int task_h, uint64_t badge)
{
    int64_t err;
    struct task *src = map_target(task_h, &err);
    if (!src)
        return err;
    struct task *dst = task_create(src->name);
    if (!dst)
        return -ENOMEM;
    dst->badge = badge;
    if (src->pico) { /* a clone of a pico task is a pico task of the same personality */
        dst->pico = src->pico;
        dst->timed = src->timed;
        list_add_tail(&src->pico->tasks, &dst->pico_link);
    }
    if (uvm_clone(src, dst) < 0) {
        obj_put(&dst->obj);
        return -ENOMEM;
    }
    return sys_install(&dst->obj, R_ALL & ~R_GRANT, 0);
}

/* stats(STATS_CPU): a thread's ticks, or with h -1 the machine's. */
static int64_t cpu_figures(u64 h, struct persona_cputimes *t)
{
    *t = (struct persona_cputimes){0, 0, 0, TIMER_HZ};
    if ((int64_t)h == -1) {
        sched_totals(&t->user, &t->kernel, &t->idle);
        return 0;
    }
    int64_t err;
    struct thread *th = sys_object(h, OBJ_THREAD, R_MANAGE, &err);
    if (th)
        t->user = th->user_ticks, t->kernel = th->kernel_ticks;
    return th ? 0 : err;
}

/* stats(STATS_TASK_MEM): a task's resident pages, in bytes. */
static int64_t task_figures(u64 h, struct persona_taskmem *m)
{
    int64_t err;
    struct task *t = map_target(h, &err);
    if (!t)
        return err;
    *m = (struct persona_taskmem){t->pages * PAGE_SIZE, t->shared * PAGE_SIZE}; /* counted as they come and go */
    return 0;
}

int64_t sys_stats(int what, int h, u64 buf, size_t len)
{
    union {
        struct persona_memstats mem;
        struct persona_cputimes cpu;
        struct persona_taskmem task;
        struct persona_clock clock;
    } u;
    size_t size;
    int64_t err = 0;
    if (what == STATS_MEMORY) {
        u.mem = (struct persona_memstats){pmm_total_frames() * PAGE_SIZE, pmm_free_frames() * PAGE_SIZE};
        size = sizeof u.mem;
    } else if (what == STATS_CPU) {
        err = cpu_figures(h, &u.cpu);
        size = sizeof u.cpu;
    } else if (what == STATS_TASK_MEM) {
        err = task_figures(h, &u.task);
        size = sizeof u.task;
    } else if (what == STATS_CLOCK) {
        u.clock = *timer_clock();
        size = sizeof u.clock;
    } else {
        return -EINVAL;
    }
    if (err < 0)
        return err;
    return len < size ? -EINVAL : copy_to_user(buf, &u, size);
}
