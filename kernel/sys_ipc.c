/*
 * kernel/sys_ipc.c - kernel calls on endpoints, notifications, devices and
 * personalities.  IPC calls read the message registers from the caller's
 * trap frame; the results land in the same registers (endpoint.c).
 * Book: docs/ipc.md, abi.md.
 */
#include "cpu.h"
#include "device.h"
#include "irq.h"
#include "endpoint.h"
#include "errno.h"
#include "notif.h"
#include "pico.h"
#include "pmm.h"
#include "sched.h"
#include "syscall.h"
#include "task.h"
#include "thread.h"
#include "timer.h"
#include "uvm.h"
#include "vm.h"

int64_t sys_endpoint_create(void)
{
    struct endpoint *ep = endpoint_create();
    return ep ? sys_install(&ep->obj, R_ALL, 0) : -ENOMEM;
}

/* The caller's message: words from its registers, bulk from its buffer. */
static int64_t caller_msg(u64 bulk_len, struct ipc_msg *msg)
{
    struct thread *cur = current();
    if (bulk_len > IPC_BUFFER_SIZE || (bulk_len && !cur->ipcbuf))
        return -EINVAL;
    ipc_msg_from(cur, msg, bulk_len);
    return 0;
}

int64_t sys_ipc_call(int ep_h, size_t bulk_len)
{
    int64_t err;
    struct handle *s = sys_handle(ep_h, OBJ_ENDPOINT, R_SEND, &err);
    struct ipc_msg msg;
    if (!s || (err = caller_msg(bulk_len, &msg)) < 0)
        return err;
    return ipc_call((struct endpoint *)s->obj, s->badge, &msg);
}

int64_t sys_ipc_recv(int ep_h)
{
    int64_t err;
    struct endpoint *ep = sys_object(ep_h, OBJ_ENDPOINT, R_RECV, &err);
    return ep ? ipc_recv(ep) : err;
}

static int64_t reply(u64 ep_h, u64 bulk_len, int and_recv)
{
    int64_t err;
    struct endpoint *ep = sys_object(ep_h, OBJ_ENDPOINT, R_RECV, &err);
    struct ipc_msg msg;
    if (!ep || (err = caller_msg(bulk_len, &msg)) < 0)
        return err;
    return ipc_reply(ep, current()->frame->rbx, &msg, and_recv);
}

int64_t sys_ipc_reply(int ep_h, size_t bulk_len)
{
    return reply(ep_h, bulk_len, 0);
}

int64_t sys_ipc_reply_recv(int ep_h, size_t bulk_len)
{
    return reply(ep_h, bulk_len, 1);
}

int64_t sys_ipc_buffer(uint64_t va)
{
    struct thread *cur = current();
    if (va & 0xfff)
        return -EINVAL;
    uint64_t pa = uvm_pin(cur->task, va);
    if (!pa)
        return -EFAULT;
    if (cur->ipcbuf)
        pmm_unref(virt_to_phys(cur->ipcbuf));
    cur->ipcbuf = phys_to_virt(pa);
    cur->ipcbuf_va = va;
    return 0;
}

int64_t sys_notif_create(void)
{
    struct notif *n = notif_create();
    return n ? sys_install(&n->obj, R_ALL, 0) : -ENOMEM;
}

int64_t sys_notif_signal(int h, uint64_t bits)
{
    int64_t err;
    struct notif *n = sys_object(h, OBJ_NOTIF, R_SEND, &err);
    if (!n)
        return err;
    notif_signal(n, bits);
    sched_preempt_check(); /* a waiter above the caller runs at once */
    return 0;
}

int64_t sys_notif_wait(int h)
{
    int64_t err;
    struct notif *n = sys_object(h, OBJ_NOTIF, R_RECV, &err);
    return n ? notif_wait(n) : err;
}

int64_t sys_notif_bind(int h)
{
    int64_t err;
    struct notif *n = sys_object(h, OBJ_NOTIF, R_RECV, &err);
    return n ? notif_bind(n, current()) : err;
}

int64_t sys_irq_bind(int dev_h, int notif_h, uint64_t bits)
{
    int64_t err;
    struct device *d = sys_object(dev_h, OBJ_DEVICE, R_IRQ, &err);
    struct notif *n = d ? sys_object(notif_h, OBJ_NOTIF, R_SEND, &err) : NULL;
    return n ? device_irq_bind(d, n, bits) : err;
}

int64_t sys_irq_ack(int dev_h)
{
    int64_t err;
    struct device *d = sys_object(dev_h, OBJ_DEVICE, R_IRQ, &err);
    if (!d)
        return err;
    if (!d->notif)
        return -EINVAL;
    irq_unmask(d->irq);
    return 0;
}

int64_t sys_ioport_enable(int dev_h)
{
    int64_t err;
    struct device *d = sys_object(dev_h, OBJ_DEVICE, R_IOPORT, &err);
    if (!d)
        return err;
    err = device_ports_enable(d, &current()->task->iobitmap);
    cpu_load_iobitmap(current()->task->iobitmap); /* the bitmap changed */
    return err;
}

int64_t sys_timer_arm(int h, uint64_t ns, uint64_t bits)
{
    int64_t err;
    struct notif *n = sys_object(h, OBJ_NOTIF, R_SEND, &err);
    if (!n)
        return err;
    notif_arm(n, ns ? timer_ns() + ns : 0, bits);
    return 0;
}

int64_t sys_machine_exit(int dev_h, int code)
{
    int64_t err;
    if (!sys_object(dev_h, OBJ_DEVICE, R_POWER, &err))
        return err;
    machine_exit((int)code);
}

int64_t sys_pico_provide(int ep_h, uint64_t flags)
{
    int64_t err;
    struct endpoint *ep = sys_object(ep_h, OBJ_ENDPOINT, R_RECV, &err);
    if (ep && (flags & ~(uint64_t)PICO_TIMED))
        return -EINVAL;
    return ep ? pico_provide(ep, current()->task, flags & PICO_TIMED) : err;
}

int64_t sys_pico_task_create(int ep_h, uint64_t badge)
{
    int64_t err;
    int e;
    struct endpoint *ep = sys_object(ep_h, OBJ_ENDPOINT, R_RECV, &err);
    if (!ep)
        return err;
    struct task *t = pico_task_create(ep, badge, &e);
    return t ? sys_install(&t->obj, R_MAP | R_MANAGE, 0) : e;
}
