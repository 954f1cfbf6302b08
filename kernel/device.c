/*
 * kernel/device.c - IRQs delivered as notifications, and I/O port grants
 * through the TSS I/O bitmap (see device.h).  An IRQ line stays masked
 * from delivery until the driver acknowledges it with irq_ack.
 * Book: docs/objects.md.
 */
#include "device.h"
#include "errno.h"
#include "heap.h"
#include "irq.h"
#include "notif.h"
#include "sched.h"
#include "string.h"

static struct device *irq_owner[16];

struct device *device_create(int irq, uint16_t port, uint16_t nports, bool power)
{
    struct device *d = kzalloc(sizeof *d);
    if (!d)
        return NULL;
    obj_init(&d->obj, OBJ_DEVICE);
    d->irq = irq;
    d->port = port;
    d->nports = nports;
    d->power = power;
    return d;
}

void device_destroy(struct device *d)
{
    if (d->irq >= 0 && irq_owner[d->irq] == d) {
        irq_set_handler(d->irq, NULL);
        irq_owner[d->irq] = NULL;
    }
    if (d->notif)
        obj_put(&d->notif->obj);
    kfree(d);
}

static void device_irq(int irq, struct trap_frame *f)
{
    (void)f;
    struct device *d = irq_owner[irq];
    irq_mask(irq);
    if (d && d->notif) {
        notif_signal(d->notif, d->bits);
        sched_preempt_check(); /* its driver runs now if above what the interrupt stopped */
    }
}

int device_irq_bind(struct device *d, struct notif *n, uint64_t bits)
{
    if (d->irq < 0 || d->irq >= 16 || d->irq == 0)
        return -EINVAL;
    if (d->notif)
        obj_put(&d->notif->obj);
    obj_get(&n->obj);
    d->notif = n;
    d->bits = bits;
    irq_owner[d->irq] = d;
    irq_set_handler(d->irq, device_irq);
    return 0;
}

int device_ports_enable(struct device *d, uint8_t **iobitmap)
{
    if (!d->nports)
        return -EINVAL;
    if (!*iobitmap) {
        if (!(*iobitmap = kmalloc(8192)))
            return -ENOMEM;
        memset(*iobitmap, 0xff, 8192);
    }
    for (uint32_t p = d->port; p < (uint32_t)d->port + d->nports && p < 65536; p++)
        (*iobitmap)[p / 8] &= (uint8_t) ~(1u << (p % 8));
    return 0;
}
