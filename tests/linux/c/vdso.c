/*
 * tests/linux/c/vdso.c - the vDSO: AT_SYSINFO_EHDR names an ELF shared
 * object, mapped read-only and executable as "[vdso]" in /proc/self/maps,
 * whose dynamic symbols include __vdso_clock_gettime, __vdso_gettimeofday,
 * __vdso_time and __vdso_getcpu (version LINUX_2.6); called directly they
 * agree with the system calls (a system call's time lies between two vDSO
 * readings, on the wall clock and the monotonic one), and a forked child
 * has it too.  One line per check; the output must equal the host Linux's.
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const Elf64_Ehdr *eh;

/* A symbol of the vDSO by name, through its DT_HASH table, or NULL. */
static void *sym(const char *name)
{
    const Elf64_Phdr *ph = (const void *)((const char *)eh + eh->e_phoff);
    uintptr_t base = 0;
    const Elf64_Dyn *dyn = NULL;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && !base)
            base = (uintptr_t)eh + ph[i].p_offset - ph[i].p_vaddr;
        if (ph[i].p_type == PT_DYNAMIC)
            dyn = (const void *)((const char *)eh + ph[i].p_offset);
    }
    const uint32_t *hash = NULL;
    const Elf64_Sym *syms = NULL;
    const char *strs = NULL;
    for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
        if (dyn->d_tag == DT_HASH)
            hash = (const void *)(base + dyn->d_un.d_ptr);
        else if (dyn->d_tag == DT_SYMTAB)
            syms = (const void *)(base + dyn->d_un.d_ptr);
        else if (dyn->d_tag == DT_STRTAB)
            strs = (const void *)(base + dyn->d_un.d_ptr);
    }
    if (!hash || !syms || !strs)
        return NULL;
    for (uint32_t i = 0; i < hash[1]; i++)
        if (syms[i].st_shndx != SHN_UNDEF && !strcmp(strs + syms[i].st_name, name))
            return (void *)(base + syms[i].st_value);
    return NULL;
}

static int64_t ns(const struct timespec *t) { return t->tv_sec * 1000000000ll + t->tv_nsec; }

int main(void)
{
    eh = (const void *)getauxval(AT_SYSINFO_EHDR);
    printf("AT_SYSINFO_EHDR given: %s\n", eh ? "yes" : "no");
    if (!eh)
        return 1;
    printf("an ELF shared object: %s\n", !memcmp(eh->e_ident, ELFMAG, SELFMAG) && eh->e_type == ET_DYN ? "yes" : "no");
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[256], perms[8] = "none";
    while (maps && fgets(line, sizeof line, maps))
        if (strstr(line, "[vdso]"))
            sscanf(line, "%*s %7s", perms);
    printf("[vdso] in /proc/self/maps: %s\n", perms);
    static const char *const names[] = {"__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_getcpu"};
    for (int i = 0; i < 4; i++)
        printf("%s: %s\n", names[i], sym(names[i]) ? "found" : "missing");
    int (*vgettime)(clockid_t, struct timespec *) = sym("__vdso_clock_gettime");
    int (*vgettimeofday)(struct timeval *, void *) = sym("__vdso_gettimeofday");
    time_t (*vtime)(time_t *) = sym("__vdso_time");
    int (*vgetcpu)(unsigned *, unsigned *) = sym("__vdso_getcpu");
    static const clockid_t clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME};
    for (int i = 0; i < 3; i++) {
        struct timespec a, s, b;
        int ra = vgettime(clocks[i], &a);
        long rs = syscall(SYS_clock_gettime, clocks[i], &s);
        int rb = vgettime(clocks[i], &b);
        printf("clock %d: %d %ld %d, in order: %s\n", clocks[i], ra, rs, rb,
               ns(&a) <= ns(&s) && ns(&s) <= ns(&b) ? "yes" : "no");
    }
    struct timeval tv;
    time_t t0 = vtime(NULL);
    int r = vgettimeofday(&tv, NULL);
    time_t t1 = time(NULL);
    printf("gettimeofday %d, time between: %s\n", r, t0 <= tv.tv_sec && tv.tv_sec <= t1 ? "yes" : "no");
    unsigned cpu = 99, node = 99;
    printf("getcpu %d\n", vgetcpu(&cpu, &node));
    fflush(stdout);
    if (fork() == 0) {
        struct timespec c;
        _exit(getauxval(AT_SYSINFO_EHDR) == (unsigned long)eh && vgettime(CLOCK_MONOTONIC, &c) == 0 ? 0 : 1);
    }
    int st;
    wait(&st);
    printf("a forked child has it: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "yes" : "no");
    return 0;
}
