/*
 * tests/linux/c/corefilter.c - /proc/self/coredump_filter chooses what a
 * core file holds: a child maps anonymous memory (private and shared), a
 * file privately and shared, and a file that starts with an ELF header,
 * writes what it may, sets a filter and dies of SIGABRT in a directory
 * of its own; the parent reads the core's program headers and prints,
 * for each mapping, the bytes the core holds of it (filesz), under the
 * default filter and others.  Prints no address.
 */
#define _GNU_SOURCE
#include "check.h"
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

enum { ANON, ANON_SHARED, FILE_PRIVATE, FILE_SHARED, ELF_FILE, NMAPS };
static const char *const names[NMAPS] = {"anonymous private", "anonymous shared", "file private",
                                         "file shared", "ELF file private"};

static int file_of(const char *name, const char *head)
{
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    char page[8192] = {0};
    memcpy(page, head, strlen(head));
    write(fd, page, sizeof page);
    return fd;
}

/* The child: its mappings' addresses into out, then SIGABRT under filter
 * (NULL: the default). */
static void child(int out, const char *filter)
{
    struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
    setrlimit(RLIMIT_CORE, &rl);
    char *m[NMAPS];
    int f = file_of("data", "plain text"), e = file_of("elf", "\x7f" "ELF");
    m[ANON] = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m[ANON_SHARED] = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    m[FILE_PRIVATE] = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, f, 0);
    m[FILE_SHARED] = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
    m[ELF_FILE] = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, e, 0);
    m[ANON][0] = m[ANON][4096] = m[ANON_SHARED][0] = 1;
    m[FILE_SHARED][100] = 'x';
    volatile char sum = m[FILE_PRIVATE][0] + m[FILE_PRIVATE][4096] + m[ELF_FILE][0] + m[ELF_FILE][4096];
    (void)sum;
    write(out, m, sizeof m);
    if (filter) {
        int fd = open("/proc/self/coredump_filter", O_WRONLY);
        write(fd, filter, strlen(filter));
        close(fd);
    }
    raise(SIGABRT);
    _exit(99);
}

static void run(const char *filter)
{
    int p[2];
    pipe(p);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        child(p[1], filter);
    close(p[1]);
    char *m[NMAPS];
    ssize_t got = read(p[0], m, sizeof m);
    close(p[0]);
    int status;
    waitpid(pid, &status, 0);
    printf("filter %s: %s, core %s\n", filter ? filter : "(default)", got == sizeof m ? "mapped" : "not mapped",
           WIFSIGNALED(status) && WCOREDUMP(status) ? "dumped" : "not dumped");
    int fd = open("core", O_RDONLY);
    Elf64_Ehdr h;
    if (fd < 0 || read(fd, &h, sizeof h) != sizeof h) {
        printf("  no core: %s\n", errno_name(errno));
        return;
    }
    for (int i = 0; i < NMAPS; i++) {
        Elf64_Phdr ph;
        long size = -1;
        for (int k = 0; k < h.e_phnum; k++)
            if (pread(fd, &ph, sizeof ph, (off_t)(h.e_phoff + (uint64_t)k * sizeof ph)) == sizeof ph &&
                ph.p_type == PT_LOAD && ph.p_vaddr == (uint64_t)(unsigned long)m[i])
                size = (long)ph.p_filesz;
        printf("  %-18s %ld\n", names[i], size);
    }
    close(fd);
    unlink("core");
}

int main(void)
{
    char dir[] = "/tmp/corefilter-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0)
        return 1;
    run(NULL);
    run("0");
    run("0x1");
    run("0x2");
    run("0x4");
    run("0x8");
    run("0x10");
    run("0x1ff");
    unlink("data");
    unlink("elf");
    chdir("/");
    rmdir(dir);
    return 0;
}
