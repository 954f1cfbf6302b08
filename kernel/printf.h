/*
 * kernel/printf.h - formatted printing into a buffer (pure, host-testable)
 * and the kernel log built on it.
 * Book: docs/boot.md.
 */
#ifndef PERSONA_PRINTF_H
#define PERSONA_PRINTF_H
#include <stdarg.h>
#include <stddef.h>

/* %d %u %x %s %%, l, a width and '0' (printf.c). */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* Kernel log on the early serial console; defined in serial.c. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
