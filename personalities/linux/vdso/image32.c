/*
 * personalities/linux/vdso/image32.c - the vDSO of i386 programs, as
 * Linux's vdso32 names it: __kernel_vsyscall (version LINUX_2.5, named by
 * AT_SYSINFO, through which glibc's i386 calls go), the signal returns
 * __kernel_sigreturn and __kernel_rt_sigreturn, and __vdso_clock_gettime
 * and its kin (LINUX_2.6), with both time_t widths (the *64 ones for a
 * 64-bit time_t, which glibc and musl look for first).  The clocks are
 * read as image.c reads them, from the TSC and the same figures (its own
 * copy of the data page, which the server writes with the 64-bit one's),
 * with the clock's formula done in 32-bit halves.  Built position
 * independent with -m32 and no library by the Makefile (image32.lds).
 *
 * Book: docs/i386.md, "The vDSO".
 */
#define VDSO_IMAGE
#include "../vdso.h"

struct timespec32 {
    int32_t sec, nsec;
};
struct timespec64 {
    int64_t sec, nsec;
};
struct timeval32 {
    int32_t sec, usec;
};
struct timezone_k {
    int32_t minuteswest, dsttime;
};

__attribute__((section(".vvar"), aligned(4096), used)) static volatile struct vdso_data data;

/* i386's numbers of the calls the clocks fall back on. */
enum { NR_TIME = 13, NR_GETTIMEOFDAY = 78, NR_CLOCK_GETTIME = 265, NR_CLOCK_GETRES = 266,
       NR_CLOCK_GETTIME64 = 403, NR_CLOCK_GETRES_TIME64 = 406 };

static long syscall2(long nr, long a, long b)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b) : "memory");
    return r;
}

/* persona_clock_ns in halves: (counts * mult) >> 32, which fits 64 bits. */
static uint64_t clock_ns(uint64_t tsc)
{
    uint64_t counts = tsc - data.clock.tsc0, mult = data.clock.mult;
    uint32_t cl = (uint32_t)counts, ch = (uint32_t)(counts >> 32), ml = (uint32_t)mult, mh = (uint32_t)(mult >> 32);
    return (((uint64_t)cl * ml) >> 32) + (uint64_t)cl * mh + (uint64_t)ch * ml + (((uint64_t)ch * mh) << 32);
}

/* ns as seconds and the rest, by two 32-bit divisions (no libgcc here). */
static uint64_t split(uint64_t ns, uint32_t *rest)
{
    const uint32_t d = 1000000000;
    uint32_t hi = (uint32_t)(ns >> 32), lo = (uint32_t)ns, qh = hi / d, q, r;
    __asm__("divl %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi % d), "rm"(d));
    *rest = r;
    return (uint64_t)qh << 32 | q;
}

static uint64_t now(int64_t *realtime_base)
{
    uint32_t seq;
    uint64_t ns;
    do {
        seq = data.seq;
        __asm__ volatile("" ::: "memory");
        ns = clock_ns(persona_rdtsc());
        *realtime_base = data.realtime_base;
        __asm__ volatile("" ::: "memory");
    } while ((seq & 1) || seq != data.seq);
    return ns;
}

enum { REALTIME = 0, MONOTONIC = 1, MONOTONIC_RAW = 4, REALTIME_COARSE = 5, MONOTONIC_COARSE = 6, BOOTTIME = 7,
       TAI = 11 };

/* The clock's seconds and ns into *sec and *nsec: 1, or 0 for a clock the
 * data page does not keep. */
static int clock_read(int clock, uint64_t *sec, uint32_t *nsec)
{
    int64_t base;
    uint64_t ns;
    switch (clock) {
    case REALTIME: case REALTIME_COARSE: case TAI:
        ns = now(&base) + (uint64_t)base;
        break;
    case MONOTONIC: case MONOTONIC_RAW: case MONOTONIC_COARSE: case BOOTTIME:
        if (data.timens) /* a time namespace's offsets: the call adds them */
            return 0;
        ns = now(&base);
        break;
    default:
        return 0;
    }
    *sec = split(ns, nsec);
    return 1;
}

int __vdso_clock_gettime64(int clock, struct timespec64 *ts)
{
    uint64_t sec;
    uint32_t nsec;
    if (!clock_read(clock, &sec, &nsec))
        return (int)syscall2(NR_CLOCK_GETTIME64, clock, (long)ts);
    *ts = (struct timespec64){(int64_t)sec, nsec};
    return 0;
}

int __vdso_clock_gettime(int clock, struct timespec32 *ts)
{
    uint64_t sec;
    uint32_t nsec;
    if (!clock_read(clock, &sec, &nsec))
        return (int)syscall2(NR_CLOCK_GETTIME, clock, (long)ts);
    *ts = (struct timespec32){(int32_t)sec, (int32_t)nsec};
    return 0;
}

int __vdso_gettimeofday(struct timeval32 *tv, struct timezone_k *tz)
{
    if (tv) {
        int64_t base;
        uint32_t rest;
        tv->sec = (int32_t)split(now(&base) + (uint64_t)base, &rest);
        tv->usec = (int32_t)(rest / 1000);
    }
    if (tz) {
        tz->minuteswest = data.tz_minuteswest;
        tz->dsttime = data.tz_dsttime;
    }
    return 0;
}

int32_t __vdso_time(int32_t *t)
{
    int64_t base;
    uint32_t rest;
    int32_t s = (int32_t)split(now(&base) + (uint64_t)base, &rest);
    if (t)
        *t = s;
    return s;
}

int __vdso_clock_getres(int clock, struct timespec32 *res)
{
    return (int)syscall2(NR_CLOCK_GETRES, clock, (long)res);
}

int __vdso_clock_getres_time64(int clock, struct timespec64 *res)
{
    return (int)syscall2(NR_CLOCK_GETRES_TIME64, clock, (long)res);
}

/* At fixed places at the start of the code (VDSO32_*_OFFSET in ../vdso.h):
 * a system call as glibc's i386 code makes it (call *%gs:0x10: the number
 * and arguments in registers, the answer in %eax); and the returns from a
 * signal handler installed without SA_RESTORER, which the server makes a
 * frame return to (glibc leaves the restorer out when there is a vDSO),
 * sigreturn's popping the signal number first, as Linux's. */
__asm__(".section .text.vsyscall, \"ax\"\n"
        ".globl __kernel_vsyscall\n"
        ".type __kernel_vsyscall, @function\n"
        "__kernel_vsyscall:\n"
        "    int $0x80\n"
        "    ret\n"
        ".size __kernel_vsyscall, .-__kernel_vsyscall\n"
        ".org 16\n"
        ".globl __kernel_sigreturn\n"
        ".type __kernel_sigreturn, @function\n"
        "__kernel_sigreturn:\n"
        "    popl %eax\n"
        "    movl $119, %eax\n"
        "    int $0x80\n"
        ".size __kernel_sigreturn, .-__kernel_sigreturn\n"
        ".org 32\n"
        ".globl __kernel_rt_sigreturn\n"
        ".type __kernel_rt_sigreturn, @function\n"
        "__kernel_rt_sigreturn:\n"
        "    movl $173, %eax\n"
        "    int $0x80\n"
        ".size __kernel_rt_sigreturn, .-__kernel_rt_sigreturn\n"
        ".text\n");
