/*
 * kernel/sys_task.c - kernel calls on tasks, threads, handles and time.
 * Each handler checks its arguments and rights, copies user memory through
 * the typed helpers, and calls the object.
 * Book: docs/objects.md, abi.md.
 */
#include "errno.h"
#include "heap.h"
#include "notif.h"
#include "pico.h"
#include "printf.h"
#include "sched.h"
#include "serial.h"
#include "syscall.h"
#include "task.h"
#include "thread.h"
#include "timer.h"
#include "uvm.h"
#include "vm.h"

int64_t sys_log_write(u64 buf, size_t len)
{
    char chunk[128];
    for (u64 done = 0; done < len;) {
        u64 n = len - done < sizeof chunk ? len - done : sizeof chunk;
        if (copy_from_user(chunk, buf + done, n) < 0)
            return -EFAULT;
        serial_write(chunk, n);
        done += n;
    }
    return (int64_t)len;
}

int64_t sys_task_exit(int code)
{
    task_kill(current()->task, (int)code);
    return 0; /* not reached */
}

int64_t sys_thread_exit(void)
{
    struct thread *th = current();
    if (th->task->threads.next == &th->task_link && th->task->threads.prev == &th->task_link)
        task_kill(th->task, 0); /* the last thread */
    thread_kill(th);
    return 0;
}

int64_t sys_yield(void)
{
    sched_yield();
    return 0;
}

int64_t sys_clock_ns(void)
{
    return (int64_t)timer_ns();
}

int64_t sys_sleep_ns(uint64_t ns)
{
    sched_sleep_until(timer_ns() + (ns ? ns : 1));
    return 0;
}

int64_t sys_handle_close(int h)
{
    if (h >= HANDLE_MAX)
        return -EBADF;
    return handle_close(&current()->task->handles, (int)h);
}

int64_t sys_handle_mint(int h, uint32_t rights, uint64_t badge)
{
    int64_t err;
    struct handle *s = sys_handle(h, OBJ_NONE, R_GRANT, &err);
    if (!s)
        return err;
    return handle_install(&current()->task->handles, s->obj, s->rights & (uint32_t)rights, badge);
}

int64_t sys_handle_grant(int task_h, int h)
{
    int64_t err;
    struct task *t = sys_object(task_h, OBJ_TASK, R_MANAGE, &err);
    struct handle *s = t ? sys_handle(h, OBJ_NONE, R_GRANT, &err) : NULL;
    if (!s)
        return err;
    if (t->pico || t->dead)
        return -EINVAL; /* pico tasks hold no handles */
    return handle_install(&t->handles, s->obj, s->rights, s->badge);
}

/* A new task holding itself at H_SELF; the caller gets a handle with all
 * rights. */
static int64_t task_new(const char *name)
{
    struct task *t = task_create(name);
    if (!t)
        return -ENOMEM;
    int h = handle_install(&t->handles, &t->obj, R_ALL, 0);
    if (h < 0) {
        obj_put(&t->obj);
        return h;
    }
    return sys_install(&t->obj, R_ALL, 0);
}

int64_t sys_task_create(void)
{
    return task_new("task");
}

int64_t sys_task_create_named(u64 name, size_t len)
{
    char buf[TASK_NAME_MAX + 1];
    _Static_assert(sizeof buf == sizeof ((struct task *)0)->name, "task names");
    if (len == 0 || len > TASK_NAME_MAX)
        return -EINVAL;
    if (copy_from_user(buf, name, len) < 0)
        return -EFAULT;
    buf[len] = '\0';
    return task_new(buf);
}

int64_t sys_task_kill(int task_h)
{
    int64_t err;
    struct task *t = sys_object(task_h, OBJ_TASK, R_MANAGE, &err);
    if (!t)
        return err;
    task_kill(t, -9);
    return 0;
}

int64_t sys_task_watch(int task_h, int notif_h, uint64_t bits)
{
    int64_t err;
    struct task *t = sys_object(task_h, OBJ_TASK, R_MANAGE, &err);
    struct notif *n = NULL;
    if (!t || (notif_h != -1 && !(n = sys_object(notif_h, OBJ_NOTIF, R_SEND, &err))))
        return err;
    if (!t->dead) {
        task_watch(t, n, bits);
        return 0;
    }
    if (n) /* gone already: at once */
        notif_signal(n, bits);
    return (int64_t)(TASK_DEAD | (uint32_t)t->exit_code);
}

int64_t sys_thread_create(int task_h, uint64_t rip, uint64_t rsp, uint64_t arg, int prio, uint64_t badge)
{
    int64_t err;
    struct task *t = sys_object(task_h, OBJ_TASK, R_MANAGE, &err);
    if (!t)
        return err;
    bool compat = prio & THREAD_COMPAT;
    if (rip >= USER_TOP || rsp > USER_TOP || t->dead || (compat && (rip >> 32 || rsp >> 32)))
        return -EINVAL;
    int max = current()->prio, p = (int)(prio & 0xff);
    struct thread *th = thread_create(t, rip, rsp, arg, p > max ? max : p, (prio & THREAD_SUSPENDED) != 0);
    if (!th)
        return -ENOMEM;
    if (compat)
        th->frame->cs = SEL_UCODE32, th->seg.on = true;
    th->notsc = (prio & THREAD_NOTSC) != 0;
    if (t->pico)
        pico_thread_init(th, badge);
    int h = handle_install(&current()->task->handles, &th->obj, R_ALL, 0);
    if (h < 0)
        thread_kill(th);
    return h;
}

int64_t sys_thread_kill(int th_h)
{
    int64_t err;
    struct thread *th = sys_object(th_h, OBJ_THREAD, R_MANAGE, &err);
    if (!th)
        return err;
    thread_kill(th);
    return 0;
}

int64_t sys_thread_resume(int th_h)
{
    int64_t err;
    struct thread *th = sys_object(th_h, OBJ_THREAD, R_MANAGE, &err);
    if (!th)
        return err;
    if (th->state != TS_SUSPENDED)
        return -EINVAL;
    sched_ready(th);
    return 0;
}

int64_t sys_thread_prio(int th_h, int prio, int quantum)
{
    bool fifo = prio & THREAD_FIFO;
    prio &= ~THREAD_FIFO;
    int64_t err;
    struct thread *th = sys_object(th_h, OBJ_THREAD, R_MANAGE, &err);
    if (!th)
        return err;
    if (prio < 0 || prio >= PRIO_LEVELS || quantum < 0 || quantum > THREAD_QUANTUM_MAX)
        return -EINVAL;
    if (prio > current()->prio)
        return -EPERM;
    if (th->state == TS_DEAD)
        return -ESRCH;
    th->fifo = fifo, th->slice = quantum;
    sched_set_prio(th, prio);
    return 0;
}

static int64_t thread_fpu(struct thread *th, u64 op, u64 ufpu)
{
    static struct persona_fpu fpu; /* 512 bytes: off the kernel stack; the kernel is not preemptible */
    if (op == REGS_FPU_GET) {
        thread_get_fpu(th, fpu.fxsave);
        return copy_to_user(ufpu, &fpu, sizeof fpu);
    }
    if (th == current())
        return -EINVAL;
    if (copy_from_user(&fpu, ufpu, sizeof fpu) < 0)
        return -EFAULT;
    return thread_set_fpu(th, fpu.fxsave);
}

static int64_t thread_debug(struct thread *th, u64 op, u64 udebug)
{
    struct persona_debug d;
    if (op == REGS_DEBUG_GET) {
        thread_get_debug(th, &d);
        return copy_to_user(udebug, &d, sizeof d);
    }
    if (th == current())
        return -EINVAL; /* its DR7 is loaded already */
    return copy_from_user(&d, udebug, sizeof d) < 0 ? -EFAULT : thread_set_debug(th, &d);
}

static int64_t thread_segs(struct thread *th, u64 op, u64 useg)
{
    struct persona_segs s;
    if (op == REGS_SEG_GET) {
        thread_get_segs(th, &s);
        return copy_to_user(useg, &s, sizeof s);
    }
    if (th == current())
        return -EINVAL;
    return copy_from_user(&s, useg, sizeof s) < 0 ? -EFAULT : thread_set_segs(th, &s);
}

int64_t sys_thread_interrupt(int th_h)
{
    int64_t err;
    struct thread *th = sys_object(th_h, OBJ_THREAD, R_MANAGE, &err);
    if (!th)
        return err;
    if (!th->task->pico)
        return -EINVAL;
    if (th->state != TS_READY && th->state != TS_SUSPENDED)
        return -EBUSY; /* in a trap (its personality answers it anyway), or dead */
    th->interrupt_pending = true;
    return 0;
}

int64_t sys_thread_regs(int th_h, int op, u64 uregs)
{
    int64_t err;
    struct thread *th = sys_object(th_h, OBJ_THREAD, R_MANAGE, &err);
    struct persona_regs r;
    if (!th)
        return err;
    if (th->state == TS_DEAD)
        return -ESRCH;
    if (op == REGS_GET) {
        thread_get_regs(th, &r);
        return copy_to_user(uregs, &r, sizeof r);
    }
    if (op == REGS_FPU_GET || op == REGS_FPU_SET)
        return thread_fpu(th, op, uregs);
    if (op == REGS_SEG_GET || op == REGS_SEG_SET)
        return thread_segs(th, op, uregs);
    if (op == REGS_DEBUG_GET || op == REGS_DEBUG_SET)
        return thread_debug(th, op, uregs);
    if (op == REGS_TSC_SET) {
        uint64_t on;
        return th == current() ? -EINVAL : copy_from_user(&on, uregs, sizeof on) < 0 ? -EFAULT : thread_set_notsc(th, on);
    }
    if (op != REGS_SET || th == current())
        return -EINVAL;
    if (copy_from_user(&r, uregs, sizeof r) < 0)
        return -EFAULT;
    return thread_set_regs(th, &r);
}
