/*
 * personalities/linux/vdso/image.c - the vDSO's code, as Linux's names it
 * (__vdso_clock_gettime and its kin, version LINUX_2.6, which glibc and
 * musl look for): the clocks read in user mode from the TSC and the
 * figures on the object's data page, which the Linux server keeps
 * (../vdso.h).  Clocks it does not keep (the CPU-time ones, a bad id), and
 * the monotonic ones of a process in a time namespace of its own, go to
 * the real system call.  Built position-independent, with no library,
 * by the Makefile (image.lds); linked into nothing.
 *
 * Book: docs/linux.md, "Programs and processes".
 */
#define VDSO_IMAGE
#include "../vdso.h"

struct timespec_k {
    int64_t sec, nsec;
};
struct timeval_k {
    int64_t sec, usec;
};
struct timezone_k {
    int32_t minuteswest, dsttime;
};

/* The data page: the server writes it; here it is only read. */
__attribute__((section(".vvar"), aligned(4096), used)) static volatile struct vdso_data data;

static long syscall2(long nr, long a, long b)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return r;
}

/* ns since boot, and the wall clock's base, read consistently. */
static uint64_t now(int64_t *realtime_base)
{
    uint32_t seq;
    uint64_t ns;
    do {
        seq = data.seq;
        __asm__ volatile("" ::: "memory");
        ns = persona_clock_ns((const struct persona_clock *)&data.clock, persona_rdtsc());
        *realtime_base = data.realtime_base;
        __asm__ volatile("" ::: "memory");
    } while ((seq & 1) || seq != data.seq);
    return ns;
}

/* Linux's clock ids: the wall clocks, and those counting from boot. */
enum { REALTIME = 0, MONOTONIC = 1, MONOTONIC_RAW = 4, REALTIME_COARSE = 5, MONOTONIC_COARSE = 6, BOOTTIME = 7,
       TAI = 11 };

int __vdso_clock_gettime(int clock, struct timespec_k *ts)
{
    int64_t base;
    uint64_t ns;
    switch (clock) {
    case REALTIME: case REALTIME_COARSE: case TAI:
        ns = now(&base) + (uint64_t)base;
        break;
    case MONOTONIC: case MONOTONIC_RAW: case MONOTONIC_COARSE: case BOOTTIME:
        if (data.timens) /* a time namespace's offsets: the call adds them */
            return (int)syscall2(228, clock, (long)ts);
        ns = now(&base);
        break;
    default:
        return (int)syscall2(228, clock, (long)ts); /* clock_gettime */
    }
    ts->sec = (int64_t)(ns / 1000000000);
    ts->nsec = (int64_t)(ns % 1000000000);
    return 0;
}

int __vdso_gettimeofday(struct timeval_k *tv, struct timezone_k *tz)
{
    if (tv) {
        int64_t base;
        uint64_t ns = now(&base) + (uint64_t)base;
        tv->sec = (int64_t)(ns / 1000000000);
        tv->usec = (int64_t)(ns % 1000000000 / 1000);
    }
    if (tz) {
        tz->minuteswest = data.tz_minuteswest;
        tz->dsttime = data.tz_dsttime;
    }
    return 0;
}

int64_t __vdso_time(int64_t *t)
{
    int64_t base;
    int64_t s = (int64_t)((now(&base) + (uint64_t)base) / 1000000000);
    if (t)
        *t = s;
    return s;
}

int __vdso_getcpu(unsigned *cpu, unsigned *node)
{
    if (cpu)
        *cpu = 0; /* one processor */
    if (node)
        *node = 0;
    return 0;
}

int __vdso_clock_getres(int clock, struct timespec_k *res)
{
    return (int)syscall2(229, clock, (long)res); /* clock_getres */
}

int clock_gettime(int, struct timespec_k *) __attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(struct timeval_k *, struct timezone_k *) __attribute__((weak, alias("__vdso_gettimeofday")));
int64_t time(int64_t *) __attribute__((weak, alias("__vdso_time")));
int getcpu(unsigned *, unsigned *) __attribute__((weak, alias("__vdso_getcpu")));
int clock_getres(int, struct timespec_k *) __attribute__((weak, alias("__vdso_clock_getres")));
