/*
 * personalities/hello/prog/hello-prog.c - a pico program of the hello
 * personality.  It knows nothing of Persona: it makes hello's four system
 * calls (hello.h), and the kernel forwards each one to the hello server.
 */
#include "hello.h"

/* A line is built here and written whole, so that it does not mix with
 * what other programs print to the console at the same time. */
static char line[128];
static long used;

static void add(const char *s)
{
    while (*s && used < (long)sizeof line)
        line[used++] = *s++;
}

static void add_num(long v)
{
    char buf[24];
    int i = sizeof buf - 1;
    buf[i] = '\0';
    do
        buf[--i] = (char)('0' + v % 10);
    while (v /= 10);
    add(buf + i);
}

static void end_line(void)
{
    add("\n");
    hello_write(1, line, used);
    used = 0;
}

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    add("Hello from a pico task! My pid is ");
    add_num(hello_call(HELLO_GETPID, 0, 0, 0));
    add(".");
    end_line();
    hello_call(HELLO_SLEEP, 50, 0, 0);
    long r = hello_call(99, 0, 0, 0);
    add("hello-prog: slept 50 ms; unknown call 99 returns ");
    add_num(-r);
    add(" (ENOSYS); now a null pointer...");
    end_line();
    return *(volatile int *)0; /* the hello personality reports this fault */
}
