/*
 * tests/linux/i386/int80-64.c - a 64-bit program's `int $0x80` runs the
 * i386 call of that number, as Linux's does: write (4) and getpid (20) with
 * their arguments in ebx, ecx and edx (a buffer below 4 GiB), the upper
 * halves of the registers ignored; an i386 number x86-64 has not (the
 * old time, 13); a number past the table (ENOSYS); and the 64-bit
 * `syscall` still the 64-bit table after it.  Built 64-bit
 * (musl-gcc -static, not PIE); the output must equal the host Linux's.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long int80(long nr, long a, long b, long c)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory", "r8", "r9", "r10", "r11");
    return r;
}

static char msg[] = "written by int 0x80\n";

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("the buffer is below 4 GiB: %d\n", (uintptr_t)msg < 0xffffffffu);
    long r = int80(4, 1, (long)(uintptr_t)msg, (long)strlen(msg));
    printf("i386 write: %ld\n", r);
    r = int80(4, 0x100000001l, (long)(uintptr_t)msg | 0x500000000l, 8 | 0x700000000l);
    printf("\ni386 write with high halves set: %ld\n", r);
    printf("i386 getpid is getpid: %d\n", int80(20, 0, 0, 0) == getpid());
    static int32_t t;
    r = int80(13, (long)(uintptr_t)&t, 0, 0);
    printf("i386 time returns what it stores: %d\n", r == t && t > 0);
    printf("i386 number 5000: %ld\n", int80(5000, 0, 0, 0));
    printf("64-bit getpid after: %d\n", syscall(SYS_getpid) == getpid());
    return 0;
}
