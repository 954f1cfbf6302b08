/*
 * kernel/printf.c - fmt_vsnprintf, the formatter behind kprintf and panic,
 * as small as the kernel's own messages need: %d %u %x %s %%, the length
 * modifier l, and a width padded with spaces or, after a '0', zeros
 * (%016lx).  Anything else after a '%' is printed as it stands.  Like C's
 * vsnprintf it NUL-terminates when size > 0 and returns the length the
 * whole output would have had.  Pure logic: built into the kernel and
 * into tests/unit, which holds it to the host's snprintf.
 * Book: docs/boot.md.
 */
#include "printf.h"
#include <stdbool.h>
#include <stdint.h>

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

/* A number in base 10 or 16, at least width characters wide. */
static void put_num(struct out *o, uint64_t v, bool neg, unsigned base, int width, char pad)
{
    char digits[20];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg && pad == '0') /* "-0042", but "  -42" */
        put(o, '-');
    for (int w = n + neg; w < width; w++)
        put(o, pad);
    if (neg && pad != '0')
        put(o, '-');
    while (n)
        put(o, digits[--n]);
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
    struct out o = {buf, size, 0};
    va_list ap;
    va_copy(ap, ap_in);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        const char *start = fmt++;
        char pad = *fmt == '0' ? '0' : ' ';
        int width = 0;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        bool l = *fmt == 'l';
        fmt += l;
        int64_t s;
        switch (*fmt) {
        case 'd':
            s = l ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_num(&o, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0, 10, width, pad);
            break;
        case 'u':
        case 'x':
            put_num(&o, l ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), false, *fmt == 'u' ? 10 : 16, width, pad);
            break;
        case 's':
            for (const char *str = va_arg(ap, const char *), *p = str ? str : "(null)"; *p; p++)
                put(&o, *p);
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0': /* a lone '%' at the end */
            fmt--;
            break;
        default:
            while (start <= fmt)
                put(&o, *start++);
        }
    }
    va_end(ap);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}
