/*
 * tests/unit/test_mb2.c - kernel/mb2.c on hand-made multiboot2 tag lists,
 * good and malformed, and the command-line lookup.
 */
#include "check.h"
#include "mb2.h"
#include <string.h>

static uint8_t buf[4096];
static size_t pos;

static void put32(uint32_t v) { memcpy(buf + pos, &v, 4), pos += 4; }
static void put64(uint64_t v) { memcpy(buf + pos, &v, 8), pos += 8; }
static void align8(void) { pos = (pos + 7) & ~(size_t)7; }
static void begin(void) { memset(buf, 0, sizeof buf), pos = 8; }
static size_t end(void)
{
    put32(0), put32(8);
    uint32_t total = (uint32_t)pos;
    memcpy(buf, &total, 4);
    return pos;
}
static void tag_str(uint32_t type, const char *s)
{
    put32(type), put32(8 + (uint32_t)strlen(s) + 1);
    memcpy(buf + pos, s, strlen(s) + 1), pos += strlen(s) + 1;
    align8();
}
static void tag_module(uint32_t start, uint32_t stop, const char *s)
{
    put32(3), put32(16 + (uint32_t)strlen(s) + 1), put32(start), put32(stop);
    memcpy(buf + pos, s, strlen(s) + 1), pos += strlen(s) + 1;
    align8();
}
static void tag_mmap(uint32_t esize)
{
    put32(6), put32(16 + 3 * esize), put32(esize), put32(0);
    uint64_t e[3][3] = {{0, 0x9fc00, 1}, {0x9fc00, 0x400, 2}, {0x100000, 0x7ee0000, 1}};
    for (int i = 0; i < 3; i++) {
        size_t at = pos;
        put64(e[i][0]), put64(e[i][1]), put32((uint32_t)e[i][2]), put32(0);
        pos = at + esize;
    }
}

int main(void)
{
    struct boot_info bi;
    begin();
    tag_str(1, "ktest=pmm trace=hello");
    tag_module(0x200000, 0x201000, "console serve=console");
    tag_module(0x300000, 0x300800, "hello use=console");
    tag_mmap(24);
    size_t n = end();
    CHECK(mb2_parse(buf, n, &bi) == 0);
    CHECK(strcmp(bi.cmdline, "ktest=pmm trace=hello") == 0);
    CHECK(bi.nmods == 2 && bi.mods[1].start == 0x300000 && bi.mods[1].end == 0x300800);
    CHECK(strcmp(bi.mods[0].cmdline, "console serve=console") == 0);
    CHECK(bi.nram == 2 && bi.ram[1].base == 0x100000 && bi.ram[1].len == 0x7ee0000); /* only type 1 */

    begin();
    tag_mmap(32); /* larger entries than the fields we read are fine */
    n = end();
    CHECK(mb2_parse(buf, n, &bi) == 0 && bi.nram == 2);

    CHECK(mb2_parse(buf, n - 1, &bi) == -1);        /* total_size beyond what is available */
    CHECK(mb2_parse(buf, 4, &bi) == -1);
    begin();
    put32(1), put32(4000);                          /* a tag running past the end */
    n = end();
    CHECK(mb2_parse(buf, n, &bi) == -1);
    begin();
    put32(1), put32(4), put32(0), put32(0);         /* a tag smaller than its header */
    n = end();
    CHECK(mb2_parse(buf, n, &bi) == -1);
    begin();
    tag_str(1, "no end tag");
    uint32_t total = (uint32_t)pos;
    memcpy(buf, &total, 4);
    CHECK(mb2_parse(buf, pos, &bi) == -1);
    begin();
    tag_module(0x300000, 0x200000, "backwards");
    n = end();
    CHECK(mb2_parse(buf, n, &bi) == -1);
    begin();
    tag_mmap(16);                                   /* entries too small to hold a region */
    n = end();
    CHECK(mb2_parse(buf, n, &bi) == -1);

    begin();
    for (int i = 0; i < MB2_MAX_MODULES + 3; i++)
        tag_module(0x100000, 0x101000, "m");
    n = end();
    CHECK(mb2_parse(buf, n, &bi) == 0 && bi.nmods == MB2_MAX_MODULES);
    begin();
    char long_line[MB2_CMDLINE_MAX + 100];
    memset(long_line, 'a', sizeof long_line - 1);
    long_line[sizeof long_line - 1] = '\0';
    tag_str(1, long_line);
    n = end();
    CHECK(mb2_parse(buf, n, &bi) == 0 && strlen(bi.cmdline) == MB2_CMDLINE_MAX - 1);

    char v[8];
    CHECK(cmdline_get("ktest=pmm trace=a,b", "trace", v, sizeof v) && strcmp(v, "a,b") == 0);
    CHECK(cmdline_get("ktest=pmm", "ktest", v, sizeof v) && strcmp(v, "pmm") == 0);
    CHECK(cmdline_get("ktestx=1 x", "ktest", v, sizeof v) == NULL); /* a longer key is another key */
    CHECK(cmdline_get("xktest=1", "ktest", v, sizeof v) == NULL);
    CHECK(cmdline_get("  a=1   b=22  ", "b", v, sizeof v) && strcmp(v, "22") == 0);
    CHECK(cmdline_get("a=123456789012", "a", v, sizeof v) && strcmp(v, "1234567") == 0); /* truncated */
    CHECK(cmdline_get("", "a", v, sizeof v) == NULL && cmdline_get("a", "a", v, sizeof v) == NULL);
    return check_summary("mb2");
}
