/*
 * kernel/printf.c - fmt_vsnprintf: a small, freestanding vsnprintf.
 *
 * Supports %d %i %u %x %X %o %p %s %c %%, the flags '-' and '0', a width
 * and a precision (numbers or '*'), and the length modifiers hh h l ll z.
 * Like C's vsnprintf it always NUL-terminates when size > 0 and returns the
 * length the full output would have had.  Pure logic: built into the kernel
 * and into tests/unit.
 * Book: docs/boot.md.
 */
#include "printf.h"
#include <stdbool.h>
#include <stdint.h>

struct out {
    char *buf;
    size_t size;
    size_t len;
};

static void out_char(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void out_pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        out_char(o, c);
}

struct spec {
    bool left, zero;
    int width, prec; /* prec < 0: none */
};

static void out_str(struct out *o, const char *s, const struct spec *sp)
{
    size_t n = 0;
    if (!s)
        s = "(null)";
    while (s[n] && (sp->prec < 0 || n < (size_t)sp->prec))
        n++;
    int pad = sp->width - (int)n;
    if (!sp->left)
        out_pad(o, ' ', pad);
    for (size_t i = 0; i < n; i++)
        out_char(o, s[i]);
    if (sp->left)
        out_pad(o, ' ', pad);
}

static void out_num(struct out *o, uint64_t v, bool neg, unsigned base, bool upper, const char *prefix,
                    const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    int plen = neg ? 1 : 0;
    for (const char *p = prefix; *p; p++)
        plen++;
    int zeros = sp->prec > n ? sp->prec - n : 0;
    int pad = sp->width - n - zeros - plen;
    if (sp->zero && !sp->left && sp->prec < 0) {
        zeros += pad > 0 ? pad : 0;
        pad = 0;
    }
    if (!sp->left)
        out_pad(o, ' ', pad);
    if (neg)
        out_char(o, '-');
    for (const char *p = prefix; *p; p++)
        out_char(o, *p);
    out_pad(o, '0', zeros);
    while (n)
        out_char(o, tmp[--n]);
    if (sp->left)
        out_pad(o, ' ', pad);
}

static int parse_int(const char **fmt, va_list *ap, bool *star)
{
    int v = 0;
    *star = false;
    if (**fmt == '*') {
        (*fmt)++;
        *star = true;
        return va_arg(*ap, int);
    }
    while (**fmt >= '0' && **fmt <= '9')
        v = v * 10 + (*(*fmt)++ - '0');
    return v;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
    struct out o = {buf, size, 0};
    va_list ap;
    va_copy(ap, ap_in);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out_char(&o, *fmt);
            continue;
        }
        fmt++;
        struct spec sp = {false, false, 0, -1};
        for (;; fmt++) {
            if (*fmt == '-')
                sp.left = true;
            else if (*fmt == '0')
                sp.zero = true;
            else
                break;
        }
        bool star;
        sp.width = parse_int(&fmt, &ap, &star);
        if (sp.width < 0) {
            sp.left = true;
            sp.width = -sp.width;
        }
        if (*fmt == '.') {
            fmt++;
            sp.prec = parse_int(&fmt, &ap, &star);
            if (sp.prec < 0)
                sp.prec = -1;
        }
        int lng = 0; /* -2 hh, -1 h, 1 l, 2 ll/z */
        for (;; fmt++) {
            if (*fmt == 'l')
                lng++;
            else if (*fmt == 'z')
                lng = 2;
            else if (*fmt == 'h')
                lng--;
            else
                break;
        }
        uint64_t u;
        int64_t s;
        switch (*fmt) {
        case 'd':
        case 'i':
            s = lng >= 1 ? va_arg(ap, int64_t) : va_arg(ap, int);
            if (lng == -1)
                s = (short)s;
            else if (lng <= -2)
                s = (signed char)s;
            out_num(&o, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0, 10, false, "", &sp);
            break;
        case 'u':
        case 'x':
        case 'X':
        case 'o':
            u = lng >= 1 ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            if (lng == -1)
                u = (unsigned short)u;
            else if (lng <= -2)
                u = (unsigned char)u;
            out_num(&o, u, false, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, *fmt == 'X', "", &sp);
            break;
        case 'p':
            out_num(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, "0x", &sp);
            break;
        case 's':
            out_str(&o, va_arg(ap, const char *), &sp);
            break;
        case 'c': {
            char c[2] = {(char)va_arg(ap, int), 0};
            sp.prec = 1;
            out_str(&o, c, &sp);
            break;
        }
        case '%':
            out_char(&o, '%');
            break;
        case '\0':
            fmt--;
            break;
        default:
            out_char(&o, '%');
            out_char(&o, *fmt);
            break;
        }
    }
    va_end(ap);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
