/*
 * kernel/irq.c - the 8259 PIC pair: remapped to vectors 32..47, all lines
 * masked until a handler is installed.  Acknowledges before calling the
 * handler, since a handler may switch threads and not return soon.
 * Book: docs/ipc.md (notifications).
 */
#include "irq.h"
#include "x86.h"
#include <stddef.h>

#define PIC1 0x20
#define PIC2 0xa0

static irq_handler_fn handlers[16];
static uint16_t mask = 0xfffb; /* all masked but the cascade line */

static void write_mask(void)
{
    outb(PIC1 + 1, (uint8_t)mask);
    outb(PIC2 + 1, (uint8_t)(mask >> 8));
}

void irq_init(void)
{
    outb(PIC1, 0x11);
    outb(PIC2, 0x11);
    outb(PIC1 + 1, 32); /* vector offsets */
    outb(PIC2 + 1, 40);
    outb(PIC1 + 1, 4); /* slave on line 2 */
    outb(PIC2 + 1, 2);
    outb(PIC1 + 1, 1); /* 8086 mode */
    outb(PIC2 + 1, 1);
    write_mask();
}

void irq_mask(int irq)
{
    mask |= (uint16_t)(1u << irq);
    write_mask();
}

void irq_unmask(int irq)
{
    mask &= (uint16_t) ~(1u << irq);
    write_mask();
}

void irq_set_handler(int irq, irq_handler_fn fn)
{
    handlers[irq] = fn;
    if (fn)
        irq_unmask(irq);
    else
        irq_mask(irq);
}

void irq_dispatch(int irq, struct trap_frame *f)
{
    if (irq == 7 || irq == 15) { /* spurious unless the in-service bit is set */
        outb(irq == 7 ? PIC1 : PIC2, 0x0b);
        if (!(inb(irq == 7 ? PIC1 : PIC2) & 0x80)) {
            if (irq == 15)
                outb(PIC1, 0x20);
            return;
        }
    }
    if (irq >= 8)
        outb(PIC2, 0x20);
    outb(PIC1, 0x20);
    if (handlers[irq])
        handlers[irq](irq, f);
}
