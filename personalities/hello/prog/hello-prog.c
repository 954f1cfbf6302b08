/*
 * personalities/hello/prog/hello-prog.c - a pico program of the hello
 * personality.  It knows nothing of Persona: it makes hello's four system
 * calls with the syscall instruction, and the kernel forwards each one to
 * the hello server.  Built freestanding, with no C library.
 */
enum { HELLO_WRITE = 1, HELLO_EXIT = 2, HELLO_GETPID = 3, HELLO_SLEEP = 4 };

static long hello_call(long nr, long a, long b)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return ret;
}

static void print(const char *s)
{
    long n = 0;
    while (s[n])
        n++;
    hello_call(HELLO_WRITE, (long)s, n);
}

static void print_num(long v)
{
    char buf[24];
    int i = sizeof buf - 1;
    buf[i] = '\0';
    do
        buf[--i] = (char)('0' + v % 10);
    while (v /= 10);
    print(buf + i);
}

int main(void)
{
    print("Hello from a pico task! My pid is ");
    print_num(hello_call(HELLO_GETPID, 0, 0));
    print(".\n");
    hello_call(HELLO_SLEEP, 50, 0);
    long r = hello_call(99, 0, 0);
    print("hello-prog: slept 50 ms; unknown call 99 returns ");
    print_num(-r);
    print(" (ENOSYS); now a null pointer...\n");
    return *(volatile int *)0; /* the hello personality reports this fault */
}

__asm__(".globl _start\n"
        "_start:\n"
        "    xorl %ebp, %ebp\n"
        "    andq $-16, %rsp\n"
        "    call main\n"
        "    movl %eax, %edi\n"
        "    movl $2, %eax\n"
        "    syscall\n");
