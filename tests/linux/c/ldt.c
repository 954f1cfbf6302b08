/*
 * tests/linux/c/ldt.c - modify_ldt from a 64-bit process: reading the
 * LDT (none: 0 bytes) and the default one (128 zero bytes), the checks a
 * write goes through (EINVAL, EFAULT), unknown functions; the result is
 * Linux's int returned as an unsigned one, so that an error shows as a
 * large count in rax and syscall() leaves errno alone: the raw value is
 * printed.  No write succeeds here (Persona has no LDT: ENOSYS).
 *
 * set_thread_area and get_thread_area from a 64-bit process work on a
 * Linux with IA32 emulation (Debian's) and are ENOSYS without it (this
 * host's may lack it): one line, "ok" when the call is ENOSYS or when it
 * works as it should (an entry from 12 to 14 given back, the descriptor
 * read back the same, %gs loaded with it reading through its base; code,
 * absent and 16-bit segments refused, as Linux's tls_desc_okay; an empty
 * descriptor clearing the entry).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct user_desc {
    unsigned int entry_number, base_addr, limit;
    unsigned int seg_32bit : 1, contents : 2, read_exec_only : 1, limit_in_pages : 1, seg_not_present : 1,
        useable : 1, lm : 1;
};

static long ldt(int func, void *ptr, unsigned long n) { return syscall(SYS_modify_ldt, func, ptr, n); }

#define SHOW(expr)                                                                                       \
    do {                                                                                                 \
        errno = 0;                                                                                       \
        long r_ = (expr);                                                                                \
        printf("%-44s = %ld (as int %d)%s%s\n", #expr, r_, (int)r_, errno ? " errno " : "",              \
               errno ? strerror(errno) : "");                                                            \
    } while (0)

static unsigned char buf[256];

static void reads(void)
{
    memset(buf, 0xff, sizeof buf);
    SHOW(ldt(0, buf, sizeof buf));
    SHOW(ldt(0, NULL, 16));
    SHOW(ldt(0, buf, 0));
    SHOW(ldt(2, buf, sizeof buf));
    int zeros = 0;
    for (int i = 0; i < 128; i++)
        zeros += buf[i] == 0;
    printf("zeroed: %d, past them: %#x\n", zeros, buf[128]);
    memset(buf, 0xff, sizeof buf);
    SHOW(ldt(2, buf, 16));
    printf("byte 15: %#x, byte 16: %#x\n", buf[15], buf[16]);
    SHOW(ldt(2, NULL, 16));
    SHOW(ldt(2, NULL, 0));
}

static void bad_writes(void)
{
    struct user_desc u = {.entry_number = 0, .base_addr = 0x1000, .limit = 0xff, .seg_32bit = 1};
    SHOW(ldt(1, &u, sizeof u - 1));
    SHOW(ldt(0x11, &u, sizeof u + 1));
    SHOW(ldt(1, NULL, sizeof u));
    SHOW(ldt(0x11, (void *)16, sizeof u));
    u.entry_number = 8192;
    SHOW(ldt(1, &u, sizeof u));
    u.entry_number = 1, u.contents = 3;
    SHOW(ldt(1, &u, sizeof u));
    SHOW(ldt(0x11, &u, sizeof u));
    SHOW(ldt(3, buf, 16));
    SHOW(ldt(-1, buf, 16));
    SHOW(ldt(0x12, buf, 16));
    SHOW(ldt(0, buf, 16)); /* still no LDT */
}

/* set_thread_area: ENOSYS, or working (then "ok" too). */
static const char *thread_area(void)
{
    static uint32_t target = 0x5eedf00d;
    struct user_desc u = {.entry_number = -1u, .base_addr = (uint32_t)(uintptr_t)&target, .limit = 0xfffff,
                          .seg_32bit = 1, .limit_in_pages = 1, .useable = 1};
    errno = 0;
    if (syscall(SYS_set_thread_area, &u) < 0)
        return errno == ENOSYS ? "ok" : strerror(errno);
    if ((uintptr_t)&target >> 32)
        return "ok"; /* a base past 4 GiB cannot be tried */
    if (u.entry_number < 12 || u.entry_number > 14)
        return "entry out of range";
    struct user_desc back = {.entry_number = u.entry_number};
    if (syscall(SYS_get_thread_area, &back) < 0 || back.base_addr != u.base_addr || back.limit != u.limit ||
        !back.seg_32bit || !back.limit_in_pages || !back.useable)
        return "read back differs";
    uint32_t got;
    uint16_t sel = (uint16_t)(u.entry_number << 3 | 3), none = 0;
    __asm__ volatile("mov %1, %%gs; movl %%gs:0, %0; mov %2, %%gs" : "=r"(got) : "r"(sel), "r"(none));
    if (got != target)
        return "%gs does not reach the base";
    struct user_desc bad = {.entry_number = 11};
    if (syscall(SYS_set_thread_area, &bad) != -1 || errno != EINVAL)
        return "entry 11 accepted";
    bad = u, bad.contents = 2; /* code: not for TLS */
    if (syscall(SYS_set_thread_area, &bad) != -1 || errno != EINVAL)
        return "a code segment accepted";
    bad = u, bad.seg_not_present = 1;
    if (syscall(SYS_set_thread_area, &bad) != -1 || errno != EINVAL)
        return "an absent segment accepted";
    bad = u, bad.seg_32bit = 0;
    if (syscall(SYS_set_thread_area, &bad) != -1 || errno != EINVAL)
        return "a 16-bit segment accepted";
    bad = (struct user_desc){.entry_number = u.entry_number, .read_exec_only = 1, .seg_not_present = 1};
    if (syscall(SYS_set_thread_area, &bad) != 0 || syscall(SYS_get_thread_area, &bad) != 0 || bad.base_addr)
        return "an empty entry not cleared";
    if (syscall(SYS_get_thread_area, (void *)16) != -1 || errno != EFAULT)
        return "no EFAULT";
    return "ok";
}

int main(void)
{
    reads();
    bad_writes();
    printf("thread_area: %s\n", thread_area());
    return 0;
}
