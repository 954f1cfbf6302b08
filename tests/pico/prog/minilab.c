/*
 * tests/pico/prog/minilab.c - the personality lab's programs
 * (docs/labs/personality.md, tests/labs/labmini-*.test), on hello's calls
 * and mini's brk (personalities/mini/mini.c): one program, whose name
 * (argv[0], the boot module's) says what it does:
 *   m-write   writes to the console, to a bad fd and from a bad address
 *   m-exit    exits with 7, and says so if exit returned
 *   m-brk     grows its heap, uses it, shrinks it, asks too much
 *   m-sleep-long, m-sleep-short   sleep 400 and 100 ms, then say so
 *   m-fault, m-ud   a write to address 0, an invalid instruction
 */
#include "../../../personalities/hello/prog/hello.h"

enum { MINI_BRK = 6 };

static long mini_brk(unsigned long addr) { return hello_call(MINI_BRK, (long)addr, 0, 0); }

static int same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* "what N\n", written whole. */
static void say(const char *what, long n)
{
    char line[96], digits[24];
    long len = 0, i = 0;
    unsigned long v = n < 0 ? (unsigned long)-n : (unsigned long)n;
    while (*what && len < 64)
        line[len++] = *what++;
    if (n < 0)
        line[len++] = '-';
    do
        digits[i++] = (char)('0' + v % 10);
    while (v /= 10);
    while (i)
        line[len++] = digits[--i];
    line[len++] = '\n';
    hello_write(1, line, len);
}

static int heap(void)
{
    unsigned long base = (unsigned long)mini_brk(0);
    say("brk: the heap starts at GiB ", (long)(base >> 30));
    say("brk: grown by ", mini_brk(base + 20000) - (long)base);
    volatile char *h = (volatile char *)base;
    h[0] = 'a', h[19999] = 'z';
    say("brk: its first and last bytes hold ", h[0] + h[19999]);
    say("brk: shrunk to ", mini_brk(base + 100) - (long)base);
    say("brk: 1 GiB more is refused, the end stays at ", mini_brk(base + (1ul << 30)) - (long)base);
    return 0;
}

int main(int argc, char **argv)
{
    const char *me = argc ? argv[0] : "";
    if (same(me, "m-write")) {
        hello_puts(1, "write: hello, console\n");
        say("write: to fd 7 returns ", hello_write(7, "x", 1));
        say("write: from address 16 returns ", hello_write(1, (const void *)16, 4));
        return 0;
    }
    if (same(me, "m-exit")) {
        hello_call(HELLO_EXIT, 7, 0, 0);
        hello_puts(1, "exit: it returned\n");
        return 3;
    }
    if (same(me, "m-brk"))
        return heap();
    if (same(me, "m-sleep-long") || same(me, "m-sleep-short")) {
        long ms = same(me, "m-sleep-long") ? 400 : 100;
        say("sleep: it returned ", hello_call(HELLO_SLEEP, ms, 0, 0));
        say("sleep: awake after ms ", ms);
        return 0;
    }
    if (same(me, "m-fault"))
        *(volatile int *)0 = 1;
    if (same(me, "m-ud"))
        __asm__ volatile("ud2");
    hello_puts(1, "hellolab: still running\n");
    return 5;
}
