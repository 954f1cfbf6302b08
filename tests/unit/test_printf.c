/*
 * tests/unit/test_printf.c - kernel/printf.c against the host's snprintf
 * where the two agree, and its own guarantees (truncation, NULL strings).
 */
#include "check.h"
#include "printf.h"
#include <stdint.h>
#include <string.h>

#define SAME(...)                                                                                        \
    do {                                                                                                 \
        char a[128], b[128];                                                                             \
        int na = fmt_snprintf(a, sizeof a, __VA_ARGS__);                                                 \
        int nb = snprintf(b, sizeof b, __VA_ARGS__);                                                     \
        CHECK(na == nb && strcmp(a, b) == 0);                                                            \
        if (strcmp(a, b) != 0)                                                                           \
            printf("    got \"%s\", host \"%s\"\n", a, b);                                               \
    } while (0)

int main(void)
{
    SAME("%d %i %u", 42, -7, 3000000000u);
    SAME("%x %X %o", 0xbeefu, 0xbeefu, 8u);
    SAME("%ld %lu %lx", (long)INT64_MIN, (unsigned long)UINT64_MAX, 0x123456789abcul);
    SAME("%lld %llu", (long long)-1, 18446744073709551615ull);
    SAME("%zu %zx", (size_t)12345, (size_t)0xfff);
    SAME("%hd %hhu %hx", (short)-2, (unsigned char)255, (unsigned short)0xffff);
    SAME("[%5d] [%-5d] [%05d] [%-05d]", 42, 42, 42, 42);
    SAME("[%5s] [%-5s] [%.2s] [%5.1s]", "abc", "abc", "abc", "abc");
    SAME("[%*d] [%-*d] [%.*s]", 6, 7, 6, 7, 3, "abcdef");
    SAME("[%.3d] [%8.3d] [%08x]", 5, -5, 0xabu);
    SAME("%c%c%c %%", 'a', 'b', 'c');
    SAME("%p", (void *)0x1234);
    SAME("%s", "");
    SAME("%d", 0);
    SAME("%x", 0u);

    char buf[8];
    memset(buf, 'x', sizeof buf);
    int n = fmt_snprintf(buf, sizeof buf, "%s", "0123456789");
    CHECK(n == 10 && strcmp(buf, "0123456") == 0); /* truncated, terminated, full length returned */
    memset(buf, 'x', sizeof buf);
    CHECK(fmt_snprintf(buf, 0, "%d", 12345) == 5 && buf[0] == 'x'); /* size 0 writes nothing */
    CHECK(fmt_snprintf(buf, 1, "abc") == 3 && buf[0] == '\0');
    char nul[16];
    fmt_snprintf(nul, sizeof nul, "%s", (char *)NULL);
    CHECK(strcmp(nul, "(null)") == 0);
    fmt_snprintf(nul, sizeof nul, "%q|%");
    CHECK(strcmp(nul, "%q|") == 0); /* unknown conversions are printed, a lone % is dropped */
    return check_summary("printf");
}
