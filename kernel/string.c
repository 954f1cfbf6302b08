/*
 * kernel/string.c - the few C library routines the compiler and the kernel
 * need: memset, memcpy, memmove, memcmp, strlen, strcmp.
 * Book: docs/boot.md.
 */
#include "string.h"
#include <stdint.h>

/* Eight bytes at a time, then the tail: as fast as rep movsb where the
 * processor has fast strings, and an eighth of the steps where it has not
 * (TCG, whose icount counts every iteration). */
void *memset(void *d, int c, size_t n)
{
    void *r = d;
    size_t q = n / 8, b = n % 8;
    uint64_t v = 0x0101010101010101ull * (unsigned char)c;
    __asm__ volatile("rep stosq" : "+D"(d), "+c"(q) : "a"(v) : "memory");
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(b) : "a"(v) : "memory");
    return r;
}

void *memcpy(void *d, const void *s, size_t n)
{
    void *r = d;
    size_t q = n / 8, b = n % 8;
    __asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(q)::"memory");
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(b)::"memory");
    return r;
}

void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    if (dp <= sp || dp >= sp + n)
        return memcpy(d, s, n);
    while (n--)
        dp[n] = sp[n];
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] - y[i];
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}
