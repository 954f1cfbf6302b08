/*
 * kernel/irq.h - legacy 8259 PIC routing of IRQs 0..15 to vectors 32..47.
 * A handler is a kernel function (the timer) or, later, a notification
 * bound by a driver server.
 * Book: docs/ipc.md (notifications).
 */
#ifndef PERSONA_IRQ_H
#define PERSONA_IRQ_H

struct trap_frame;
typedef void (*irq_handler_fn)(int irq, struct trap_frame *f);

void irq_init(void);
void irq_set_handler(int irq, irq_handler_fn fn);
void irq_mask(int irq);
void irq_unmask(int irq);
void irq_dispatch(int irq, struct trap_frame *f);

#endif
