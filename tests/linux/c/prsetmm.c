/*
 * tests/linux/c/prsetmm.c - prctl(PR_SET_MM, PR_SET_MM_MAP)
 * (CONFIG_CHECKPOINT_RESTORE's): PR_SET_MM_MAP_SIZE's 104; a struct
 * prctl_mm_map of the bounds /proc/self/stat shows taken back as it is;
 * new argv and environment bounds, which /proc/self/cmdline, environ and
 * stat then follow (the setproctitle case too: argv's last byte not a
 * NUL, cmdline runs to the first NUL); a new auxv, which /proc/self/auxv
 * shows to its AT_NULL; strings in a file's mapping (static data) not
 * read; start_brk and brk moved, where brk(2) grows
 * from; the errors: a size not 104 EINVAL, an unreadable struct EFAULT,
 * a bound outside mmap_min_addr..TASK_SIZE or out of order EINVAL, the
 * heap and data past RLIMIT_DATA EINVAL, auxv_size without auxv or too
 * big EINVAL, an unreadable auxv EFAULT, exe_fd as nobody EPERM, not a
 * descriptor EBADF, a directory EACCES, while the program is mapped
 * EBUSY; stat's bounds to a viewer that may not ptrace: 1 for the code's,
 * 0 for the rest.  The one-field options need CAP_SYS_RESOURCE, which the test
 * drops first (the host's root lacks it): EPERM.  "prsetmm persona-only"
 * runs them with it, on Persona alone (tests/linux/c/prsetmm.persona-only.expected):
 * each bound set and seen in stat, brk's base, an address outside the
 * address space or out of order EINVAL, an unknown field EINVAL (the
 * stack's and strings' EFAULT above every area cannot be had: the stack
 * ends at the top of the address space); PR_SET_MM_AUXV's words over the
 * saved vector's first ones (the rest kept), too long EINVAL, unreadable
 * EFAULT.  Prints no address.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CAP_SYS_RESOURCE 24

struct mm_map { /* linux/prctl.h's struct prctl_mm_map */
    uint64_t start_code, end_code, start_data, end_data, start_brk, brk, start_stack, arg_start, arg_end, env_start,
        env_end, auxv;
    uint32_t auxv_size, exe_fd;
};

/* The program break, asked of the kernel (a C library may keep its own). */
static uintptr_t cur_brk(void) { return (uintptr_t)syscall(SYS_brk, 0); }

/* The bounds /proc/PID/stat shows (path's). */
static void stat_map_of(const char *path, struct mm_map *m)
{
    char buf[2048];
    memset(m, 0, sizeof *m);
    m->exe_fd = (uint32_t)-1;
    if (read_text(path, buf, sizeof buf) < 0)
        return;
    char *p = strrchr(buf, ')') + 2;
    unsigned long f[53] = {0};
    for (int i = 3; i <= 52 && p; i++) {
        f[i] = strtoul(i == 3 ? "0" : p, NULL, 10);
        p = strchr(p, ' ');
        p = p ? p + 1 : NULL;
    }
    m->start_code = f[26], m->end_code = f[27], m->start_stack = f[28];
    m->start_data = f[45], m->end_data = f[46], m->start_brk = f[47];
    m->arg_start = f[48], m->arg_end = f[49], m->env_start = f[50], m->env_end = f[51];
    m->brk = cur_brk();
}

static void stat_map(struct mm_map *m) { stat_map_of("/proc/self/stat", m); }

static long set_map(struct mm_map *m) { return prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)m, sizeof *m, 0); }

static void show(const char *what, long r)
{
    printf("%s: %s\n", what, r < 0 ? errno_name(errno) : "0");
}

static void show_file(const char *path)
{
    char buf[512];
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf);
    printf("%s:", path);
    for (ssize_t i = 0; i < n; i++)
        printf(buf[i] ? "%c" : "\\0", buf[i]);
    printf(" (%zd bytes)\n", n);
    if (fd >= 0)
        close(fd);
}

static void drop_sys_resource(void)
{
    struct { uint32_t version; int pid; } h = {0x20080522, 0};
    struct { uint32_t eff, perm, inh; } d[2];
    if (syscall(SYS_capget, &h, d) == 0) {
        d[0].eff &= ~(1u << CAP_SYS_RESOURCE);
        syscall(SYS_capset, &h, d);
    }
}

/* The one-field options, with CAP_SYS_RESOURCE. */
static void one_field(void)
{
    struct mm_map o, now;
    stat_map(&o);
    static const struct {
        int opt;
        const char *name;
    } f[] = {{PR_SET_MM_START_CODE, "START_CODE"}, {PR_SET_MM_END_CODE, "END_CODE"},
             {PR_SET_MM_START_DATA, "START_DATA"}, {PR_SET_MM_END_DATA, "END_DATA"},
             {PR_SET_MM_START_STACK, "START_STACK"}, {PR_SET_MM_ARG_START, "ARG_START"},
             {PR_SET_MM_ARG_END, "ARG_END"}, {PR_SET_MM_ENV_START, "ENV_START"}, {PR_SET_MM_ENV_END, "ENV_END"}};
    const uint64_t *was = &o.start_code;
    static const int at[] = {0, 1, 2, 3, 6, 7, 8, 9, 10}; /* each option's bound in struct mm_map */
    for (int i = 0; i < 9; i++) { /* each bound to its own value, then nudged where order allows */
        long r = prctl(PR_SET_MM, f[i].opt, was[at[i]], 0, 0);
        printf("PR_SET_MM_%s as it is: %s\n", f[i].name, r < 0 ? errno_name(errno) : "0");
    }
    show("END_CODE + 4096", prctl(PR_SET_MM, PR_SET_MM_END_CODE, o.end_code + 4096, 0, 0));
    stat_map(&now);
    printf("stat's end_code follows: %s\n", now.end_code == o.end_code + 4096 ? "yes" : "no");
    show("START_CODE at END_CODE", prctl(PR_SET_MM, PR_SET_MM_START_CODE, now.end_code, 0, 0));
    show("START_DATA below mmap_min_addr", prctl(PR_SET_MM, PR_SET_MM_START_DATA, 4096, 0, 0));
    show("END_DATA at TASK_SIZE", prctl(PR_SET_MM, PR_SET_MM_END_DATA, 0x7ffffffff000ul, 0, 0));
    show("field 99", prctl(PR_SET_MM, 99, o.start_code, 0, 0));
    char *area = mmap(NULL, 64 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(area, 64 * 4096);
    show("BRK", prctl(PR_SET_MM, PR_SET_MM_BRK, (unsigned long)area + 4096, 0, 0));
    show("START_BRK", prctl(PR_SET_MM, PR_SET_MM_START_BRK, (unsigned long)area + 4096, 0, 0));
    printf("brk is there: %s\n", (char *)cur_brk() == area + 4096 ? "yes" : "no");
    printf("brk grows from it: %s\n", (char *)syscall(SYS_brk, area + 2 * 4096) == area + 2 * 4096 ? "yes" : "no");
    show("START_BRK past BRK", prctl(PR_SET_MM, PR_SET_MM_START_BRK, (unsigned long)area + 3 * 4096, 0, 0));
    uint64_t before[64], after[64], w[50] = {6 /* AT_PAGESZ */, 8192};
    int fd = open("/proc/self/auxv", O_RDONLY);
    ssize_t n0 = read(fd, before, sizeof before);
    close(fd);
    show("AUXV of one entry", prctl(PR_SET_MM, PR_SET_MM_AUXV, (unsigned long)w, 16, 0));
    fd = open("/proc/self/auxv", O_RDONLY);
    ssize_t n1 = read(fd, after, sizeof after);
    close(fd);
    printf("auxv: first entry %llx %llx, the rest kept: %s\n", (unsigned long long)after[0],
           (unsigned long long)after[1], n1 == n0 && !memcmp(after + 2, before + 2, (size_t)n0 - 16) ? "yes" : "no");
    show("AUXV of 400 bytes", prctl(PR_SET_MM, PR_SET_MM_AUXV, (unsigned long)w, 400, 0));
    show("AUXV unreadable", prctl(PR_SET_MM, PR_SET_MM_AUXV, 8ul, 16, 0));
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "persona-only")) {
        one_field();
        return 0;
    }
    drop_sys_resource();
    unsigned size = 0;
    long r = prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, (unsigned long)&size, 0, 0);
    printf("map size: %ld, %u\n", r, size);
    struct mm_map m, orig;
    stat_map(&orig);
    m = orig;
    show("the bounds as they are", set_map(&m));
    show("size 103", prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)&m, sizeof m - 1, 0));
    show("unreadable struct", prctl(PR_SET_MM, PR_SET_MM_MAP, 8ul, sizeof m, 0));
    show("arg5 set", prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)&m, sizeof m, 1));
    m = orig, m.end_code = m.start_code;
    show("end_code at start_code", set_map(&m));
    m = orig, m.start_data = m.end_data + 1;
    show("start_data past end_data", set_map(&m));
    m = orig, m.arg_start = m.arg_end + 1;
    show("arg_start past arg_end", set_map(&m));
    m = orig, m.env_start = m.env_end + 1;
    show("env_start past env_end", set_map(&m));
    m = orig, m.start_brk = m.brk + 4096;
    show("start_brk past brk", set_map(&m));
    m = orig, m.start_stack = 4096;
    show("start_stack below mmap_min_addr", set_map(&m));
    m = orig, m.env_end = 0x7ffffffff000ull;
    show("env_end at TASK_SIZE", set_map(&m));
    m = orig, m.auxv_size = 16;
    show("auxv_size without auxv", set_map(&m));
    uint64_t aux[80] = {6 /* AT_PAGESZ */, 4096, 0, 0};
    m = orig, m.auxv = (uintptr_t)aux, m.auxv_size = sizeof aux;
    show("auxv_size 640", set_map(&m));
    m = orig, m.auxv = 8, m.auxv_size = 32;
    show("unreadable auxv", set_map(&m));
    m = orig, m.exe_fd = 999;
    show("exe_fd not open", set_map(&m));
    m.exe_fd = (uint32_t)open("/", O_RDONLY);
    show("exe_fd a directory", set_map(&m));
    m.exe_fd = (uint32_t)open("/proc/self/exe", O_RDONLY);
    show("exe_fd while the program is mapped", set_map(&m));
    struct rlimit old, tiny;
    getrlimit(RLIMIT_DATA, &old);
    tiny = (struct rlimit){4096, old.rlim_max}; /* the soft limit alone: without CAP_SYS_RESOURCE the hard one would not come back */
    setrlimit(RLIMIT_DATA, &tiny);
    m = orig, m.brk = m.start_brk + 1024 * 1024;
    show("heap past RLIMIT_DATA", set_map(&m));
    setrlimit(RLIMIT_DATA, &old);

    /* new argv and environment strings */
    char *strings = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); /* anonymous: Linux reads no file's pages here */
    memcpy(strings, "new\0argv\0A=1\0B=2\0", 18);
    m = orig, m.arg_start = (uintptr_t)strings, m.arg_end = m.arg_start + 9;
    m.env_start = m.arg_end, m.env_end = m.env_start + 8;
    show("new argv and environment", set_map(&m));
    show_file("/proc/self/cmdline");
    show_file("/proc/self/environ");
    struct mm_map now;
    stat_map(&now);
    printf("stat's arg_start, arg_end, env_start, env_end follow: %s\n",
           now.arg_start == m.arg_start && now.arg_end == m.arg_end && now.env_start == m.env_start &&
           now.env_end == m.env_end ? "yes" : "no");
    strings[8] = 'X'; /* setproctitle's: argv's last byte overwritten */
    show_file("/proc/self/cmdline");
    m.env_start = m.arg_end + 1; /* the environment not right after: no running into it */
    set_map(&m);
    show_file("/proc/self/cmdline");
    strings[8] = '\0';
    m.arg_end = m.arg_start; /* empty */
    set_map(&m);
    show_file("/proc/self/cmdline");
    static char in_file[16] = "data\0"; /* a private file mapping's page: not read */
    m.arg_start = (uintptr_t)in_file, m.arg_end = m.env_start = m.env_end = m.arg_start + 5;
    set_map(&m);
    show_file("/proc/self/cmdline");

    /* a new auxv */
    m = orig, m.auxv = (uintptr_t)aux, m.auxv_size = 48;
    aux[2] = 0x99, aux[3] = 7, aux[4] = 0, aux[5] = 0;
    show("new auxv", set_map(&m));
    uint64_t got[64];
    int fd = open("/proc/self/auxv", O_RDONLY);
    ssize_t n = read(fd, got, sizeof got);
    close(fd);
    printf("auxv: %zd bytes:", n);
    for (ssize_t i = 0; i < n / 8; i++)
        printf(" %llx", (unsigned long long)got[i]);
    printf("\n");

    /* brk moved to a free place */
    char *area = mmap(NULL, 64 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(area, 64 * 4096);
    m = orig, m.start_brk = m.brk = (uintptr_t)area + 4096;
    show("brk moved", set_map(&m));
    char *b0 = (char *)cur_brk();
    printf("brk is there: %s\n", b0 == area + 4096 ? "yes" : "no");
    char *b1 = (char *)syscall(SYS_brk, area + 3 * 4096);
    printf("brk grows from it: %s\n", b1 == area + 3 * 4096 ? "yes" : "no");
    if (b1 == area + 3 * 4096) {
        area[4096 + 5000] = 1;
        printf("new heap writable: yes\n");
    }
    printf("brk below the start refused: %s\n", (char *)syscall(SYS_brk, area) == area + 3 * 4096 ? "yes" : "no");
    stat_map(&now);
    printf("stat's start_brk follows: %s\n", now.start_brk == (uintptr_t)area + 4096 ? "yes" : "no");

    /* the one-field options without CAP_SYS_RESOURCE */
    show("PR_SET_MM_START_CODE", prctl(PR_SET_MM, PR_SET_MM_START_CODE, orig.start_code, 0, 0));
    show("PR_SET_MM_ARG_START", prctl(PR_SET_MM, PR_SET_MM_ARG_START, orig.arg_start, 0, 0));
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(1);
        char parent[32];
        snprintf(parent, sizeof parent, "/proc/%d/stat", (int)getppid());
        stat_map_of(parent, &m); /* root's, which nobody may not ptrace: code 1, the rest 0 */
        printf("nobody sees root's bounds as: %llu %llu %llu, %llu %llu %llu %llu %llu %llu %llu\n",
               (unsigned long long)m.start_code, (unsigned long long)m.end_code, (unsigned long long)m.start_stack,
               (unsigned long long)m.start_data, (unsigned long long)m.end_data, (unsigned long long)m.start_brk,
               (unsigned long long)m.arg_start, (unsigned long long)m.arg_end, (unsigned long long)m.env_start,
               (unsigned long long)m.env_end);
        stat_map(&m);
        show("nobody, the bounds as they are", set_map(&m));
        m.exe_fd = 0;
        show("nobody, exe_fd", set_map(&m));
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    return 0;
}
