/*
 * personalities/hello/prog/hello.h - what a hello program is built on: the
 * hello personality's five calls (personalities/hello/hello.c) made with
 * the syscall instruction, _start (argc and argv from the stack, main's
 * return value to exit), and the note that marks the file as hello's, so
 * that another personality hands it to hello (<persona/spawn.h>).  Built
 * freestanding, with no C library.
 */
#ifndef HELLO_PROG_H
#define HELLO_PROG_H
#include <persona/spawn.h>

enum { HELLO_WRITE = 1, HELLO_EXIT = 2, HELLO_GETPID = 3, HELLO_SLEEP = 4, HELLO_READ = 5 };

static inline long hello_call(long nr, long a, long b, long c)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return ret;
}

static inline long hello_write(int fd, const void *buf, long len)
{
    return hello_call(HELLO_WRITE, fd, (long)buf, len);
}
static inline long hello_read(int fd, void *buf, long len) { return hello_call(HELLO_READ, fd, (long)buf, len); }

static inline long hello_strlen(const char *s)
{
    long n = 0;
    while (s[n])
        n++;
    return n;
}

static inline long hello_puts(int fd, const char *s) { return hello_write(fd, s, hello_strlen(s)); }

int main(int argc, char **argv);

SPAWN_NOTE("hello");

__asm__(".globl _start\n"
        "_start:\n"
        "    xorl %ebp, %ebp\n"
        "    movq (%rsp), %rdi\n"  /* argc */
        "    leaq 8(%rsp), %rsi\n" /* argv */
        "    andq $-16, %rsp\n"
        "    call main\n"
        "    movl %eax, %edi\n"
        "    movl $2, %eax\n" /* exit */
        "    syscall\n");

#endif
