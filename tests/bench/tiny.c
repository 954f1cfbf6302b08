/*
 * tests/bench/tiny.c - the smallest static program: exits 0 at once.  The
 * target of the fork+exec benchmark; built with -nostdlib -static, so its
 * exec costs the loader and not a C library's start-up.
 */
__attribute__((naked, noreturn)) void _start(void)
{
    __asm__ volatile("mov $60, %eax\n\txor %edi, %edi\n\tsyscall");
}
