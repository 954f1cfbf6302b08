/*
 * kernel/serial.c - polled 16550 output on COM1 and kprintf.
 * Callers: anything in the kernel.  Interrupts are disabled while a line is
 * written so that lines from different contexts do not interleave.
 * Book: docs/boot.md.
 */
#include "serial.h"
#include "printf.h"
#include "x86.h"

#define COM1 0x3f8

void serial_init(void)
{
    outb(COM1 + 1, 0x00); /* no interrupts */
    outb(COM1 + 3, 0x80); /* DLAB */
    outb(COM1 + 0, 0x01); /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03); /* 8N1 */
    outb(COM1 + 2, 0xc7); /* FIFO on, cleared */
    outb(COM1 + 4, 0x0b); /* DTR, RTS, OUT2 */
}

static void serial_putc(char c)
{
    while (!(inb(COM1 + 5) & 0x20))
        ;
    outb(COM1, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
}

void kprintf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = sizeof buf - 1;
    uint64_t flags;
    __asm__ volatile("pushfq; pop %0; cli" : "=r"(flags)::"memory");
    serial_write(buf, (size_t)n);
    if (flags & 0x200)
        sti();
}
