/*
 * tests/bench/tiny.c - the smallest static program: exits 0 at once.  The
 * target of the fork+exec benchmark; built with -nostdlib -static, so its
 * exec costs the loader and not a C library's start-up.  Built -m32 too
 * (tiny32, the 32-bit benchmark's target), it exits through int $0x80.
 */
__attribute__((naked, noreturn)) void _start(void)
{
#ifdef __i386__
    __asm__ volatile("mov $1, %eax\n\txor %ebx, %ebx\n\tint $0x80");
#else
    __asm__ volatile("mov $60, %eax\n\txor %edi, %edi\n\tsyscall");
#endif
}
