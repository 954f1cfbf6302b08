/*
 * kernel/serial.h - the kernel's own 16550 console on COM1, for early boot,
 * kernel tests and panics.  Once the user-mode console server owns COM1 the
 * kernel only writes here when it must (panics, kernel warnings).
 * Book: docs/boot.md.
 */
#ifndef PERSONA_SERIAL_H
#define PERSONA_SERIAL_H
#include <stddef.h>

void serial_init(void);
void serial_write(const char *s, size_t n);

#endif
