/*
 * tests/linux/i386/vdso32.c - an i386 program's vDSO, as Linux's vdso32:
 * AT_SYSINFO names __kernel_vsyscall, through which a call goes (getpid
 * by hand); AT_SYSINFO_EHDR an ELF object whose dynamic symbols, found by
 * their version LINUX_2.6 as the C libraries look them up, tell the time
 * with both time_t widths in agreement with the system calls; and a
 * handler installed by a raw rt_sigaction and sigaction without
 * SA_RESTORER returns through the vDSO's __kernel_rt_sigreturn and
 * __kernel_sigreturn (glibc leaves the restorer out when a vDSO exists).
 * /proc/self/auxv holds the same vector in 32-bit words, with one or two
 * pairs of zeros after AT_NULL's (Linux reads its array of longs up to
 * an even-numbered pair that is zero).
 * Built gcc -m32 -static; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* A symbol of the vDSO at base, of version LINUX_2.6: its address or NULL. */
static void *vdso_sym(uintptr_t base, const char *name)
{
    const Elf32_Ehdr *eh = (const Elf32_Ehdr *)base;
    const Elf32_Phdr *ph = (const Elf32_Phdr *)(base + eh->e_phoff);
    const Elf32_Dyn *dyn = NULL;
    uintptr_t load = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && !load)
            load = base + ph[i].p_offset - ph[i].p_vaddr;
        if (ph[i].p_type == PT_DYNAMIC)
            dyn = (const Elf32_Dyn *)(base + ph[i].p_offset);
    }
    const Elf32_Sym *sym = NULL;
    const char *str = NULL;
    const Elf32_Word *hash = NULL;
    const Elf32_Half *versym = NULL;
    const Elf32_Verdef *verdef = NULL;
    for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
        uintptr_t at = load + dyn->d_un.d_ptr;
        switch (dyn->d_tag) {
        case DT_SYMTAB: sym = (const Elf32_Sym *)at; break;
        case DT_STRTAB: str = (const char *)at; break;
        case DT_HASH: hash = (const Elf32_Word *)at; break;
        case DT_VERSYM: versym = (const Elf32_Half *)at; break;
        case DT_VERDEF: verdef = (const Elf32_Verdef *)at; break;
        }
    }
    if (!sym || !str || !hash)
        return NULL;
    for (Elf32_Word i = 0; i < hash[1]; i++) {
        if (strcmp(str + sym[i].st_name, name) != 0 || !sym[i].st_shndx)
            continue;
        if (versym && verdef) { /* its version's name must be LINUX_2.6 */
            const Elf32_Verdef *d = verdef;
            while (d->vd_ndx != (versym[i] & 0x7fff) && d->vd_next)
                d = (const Elf32_Verdef *)((const char *)d + d->vd_next);
            const Elf32_Verdaux *a = (const Elf32_Verdaux *)((const char *)d + d->vd_aux);
            if (d->vd_ndx != (versym[i] & 0x7fff) || strcmp(str + a->vda_name, "LINUX_2.6") != 0)
                continue;
        }
        return (void *)(load + sym[i].st_value);
    }
    return NULL;
}

struct ts32 {
    int32_t sec, nsec;
};
struct ts64 {
    int64_t sec, nsec;
};

static volatile int caught;
static void on_signal(int sig)
{
    caught = sig;
}

/* rt_sigaction and the old sigaction, raw: no restorer. */
struct k_sigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long long mask;
};
struct old_sigaction {
    void (*handler)(int);
    unsigned long mask, flags;
    void (*restorer)(void);
};

static void proc_auxv(void)
{
    uint32_t w[512];
    int fd = open("/proc/self/auxv", O_RDONLY);
    int n = (int)read(fd, w, sizeof w) / 4, agree = 1, pairs = 0;
    close(fd);
    while (2 * pairs + 1 < n && w[2 * pairs]) {
        if (w[2 * pairs] != AT_HWCAP && getauxval(w[2 * pairs]) != w[2 * pairs + 1]) /* glibc's own hwcap differs */
            agree = 0, printf("type %u: %x in the file\n", w[2 * pairs], w[2 * pairs + 1]);
        pairs++;
    }
    int last = pairs, zeros = 0; /* AT_NULL's pair */
    for (int i = 2 * last; i < n; i++)
        zeros += !w[i];
    printf("/proc/self/auxv: the vector's values agree %d, ends at AT_NULL's pair or the next %d, all zeros after %d\n",
           agree, n / 2 == (last % 2 ? last + 3 : last + 2), zeros == n - 2 * last);
}

int main(void)
{
    proc_auxv();
    uintptr_t vsys = getauxval(AT_SYSINFO), ehdr = getauxval(AT_SYSINFO_EHDR);
    printf("AT_SYSINFO %s, AT_SYSINFO_EHDR %s\n", vsys ? "set" : "missing", ehdr ? "set" : "missing");
    if (!vsys || !ehdr)
        return 1;
    printf("the object is ELF: %d, 32-bit: %d\n", !memcmp((void *)ehdr, ELFMAG, SELFMAG),
           ((unsigned char *)ehdr)[EI_CLASS] == ELFCLASS32);
    long pid;
    __asm__ volatile("call *%1" : "=a"(pid) : "r"(vsys), "a"(SYS_getpid) : "memory");
    printf("getpid through __kernel_vsyscall agrees: %d\n", pid == syscall(SYS_getpid));

    static const char *const names[] = {"__vdso_clock_gettime", "__vdso_clock_gettime64", "__vdso_gettimeofday",
                                        "__vdso_time", "__vdso_clock_getres"};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        printf("%-24s %s\n", names[i], vdso_sym(ehdr, names[i]) ? "found" : "missing");

    int (*cgt)(int, struct ts32 *) = vdso_sym(ehdr, "__vdso_clock_gettime");
    int (*cgt64)(int, struct ts64 *) = vdso_sym(ehdr, "__vdso_clock_gettime64");
    int32_t (*vtime)(int32_t *) = vdso_sym(ehdr, "__vdso_time");
    if (!cgt || !cgt64 || !vtime)
        return 1;
    static const int clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_PROCESS_CPUTIME_ID};
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        struct ts32 a;
        struct ts64 b, k;
        int ra = cgt(clocks[i], &a), rb = cgt64(clocks[i], &b);
        syscall(403, clocks[i], &k); /* clock_gettime64 */
        printf("clock %d: %d %d, nsec in range %d %d, within a second of the call %d %d\n", clocks[i], ra, rb,
               a.nsec >= 0 && a.nsec < 1000000000, b.nsec >= 0 && b.nsec < 1000000000, k.sec - a.sec <= 1 && k.sec >= a.sec,
               k.sec - b.sec <= 1 && k.sec >= b.sec);
    }
    int32_t t;
    int32_t now = vtime(&t);
    printf("time agrees with itself %d and with time(2) %d\n", now == t, (long)syscall(SYS_time, NULL) - now <= 1);
    struct ts32 a, b;
    cgt(CLOCK_MONOTONIC, &a);
    usleep(20000);
    cgt(CLOCK_MONOTONIC, &b);
    long ns = (b.sec - a.sec) * 1000000000L + (b.nsec - a.nsec);
    printf("20 ms later, the monotonic clock moved 20 ms to 2 s: %d\n", ns >= 20000000 && ns < 2000000000);

    struct k_sigaction ka = {on_signal, 0, NULL, 0};
    printf("rt_sigaction without SA_RESTORER = %ld\n", syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 8));
    raise(SIGUSR1);
    printf("the handler ran (%d) and returned\n", caught == SIGUSR1);
    struct old_sigaction oa = {on_signal, 0, 0, NULL};
    caught = 0;
    printf("sigaction without SA_RESTORER = %ld\n", syscall(SYS_sigaction, SIGUSR2, &oa, NULL));
    raise(SIGUSR2);
    printf("the handler ran (%d) and returned\n", caught == SIGUSR2);
    return 0;
}
