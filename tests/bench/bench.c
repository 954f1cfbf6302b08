/*
 * tests/bench/bench.c - an lmbench-style microbenchmark, built with
 * musl-gcc -static and run unmodified on Persona's Linux personality and
 * on Debian's Linux kernel (see tests/bench/run.py, `make bench`).
 *
 * Every figure is TSC ticks per operation, read with rdtsc around a loop.
 * Under QEMU's -icount the guest TSC advances with instructions retired, so
 * the figures repeat exactly from run to run.  Around each timed loop the
 * program executes a marker instruction (a multi-byte NOP whose
 * displacement carries the operation's number) that the counting plugin
 * (tests/bench/plugin/count.c) recognises; it then reports the privileged
 * events, kernel entries and CR3 writes, between the two markers.
 *
 * Output, one line per operation:  "op NAME TICKS_PER_OP ITERATIONS"
 * and first "start TSC", the TSC when main began (time since power-on).
 * With -q every loop runs a few times only (a smoke test).
 * Run as process 1 (Linux's rdinit=), it powers the machine off at the end.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MARK_MAGIC 0x7e5a1a00u /* the plugin's marker: nopl MAGIC|n(%rax) */
#define MARK(n) __asm__ volatile(".byte 0x0f, 0x1f, 0x80; .long %c0" ::"i"(MARK_MAGIC | (n)) : "memory")

#define TINY "/bench/tiny"
#define FILE_PATH "/tmp/bench-file"

static int quick;

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return (uint64_t)hi << 32 | lo;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* One timed operation: NAME, iteration count, and the loop body. The marker
 * numbers are 2*id (start) and 2*id+1 (end). */
#define BENCH(id, name, iters, body)                                                    \
    do {                                                                                \
        long n_ = quick ? 3 : (iters);                                                  \
        MARK(2 * (id));                                                                 \
        uint64_t t0_ = rdtsc();                                                         \
        for (long i_ = 0; i_ < n_; i_++) {                                              \
            body;                                                                       \
        }                                                                               \
        uint64_t t1_ = rdtsc();                                                         \
        MARK(2 * (id) + 1);                                                             \
        printf("op %-16s %10llu %ld\n", name, (unsigned long long)((t1_ - t0_) / n_), n_); \
        fflush(stdout);                                                                 \
    } while (0)

static void fork_exit_wait(void)
{
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0)
        _exit(0);
    if (waitpid(pid, NULL, 0) != pid)
        die("waitpid");
}

/* fork, execve of argv[0] with envp, waitpid: it must exit 0. */
static void run_program(char *const argv[], char *const envp[])
{
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        execve(argv[0], argv, envp);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
        die(argv[0]);
}

static void fork_exec_wait(void)
{
    static char *const argv[] = {TINY, NULL}, *envp[] = {NULL};
    run_program(argv, envp);
}

/* Pipe ping-pong: the child echoes each byte back. */
static void pingpong(long iters, int id)
{
    int a[2], b[2];
    char c = 'x';
    if (pipe(a) || pipe(b))
        die("pipe");
    pid_t pid = fork();
    if (pid == 0) {
        close(a[1]), close(b[0]);
        while (read(a[0], &c, 1) == 1)
            if (write(b[1], &c, 1) != 1)
                break;
        _exit(0);
    }
    close(a[0]), close(b[1]);
    BENCH(id, "pipe_pingpong", iters, {
        if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
            die("ping-pong");
    });
    close(a[1]);
    waitpid(pid, NULL, 0);
    close(b[0]);
}

/* Pipe bandwidth: the child writes 64 KiB chunks, we read them all. */
static void bandwidth(long chunks, int id)
{
    enum { CHUNK = 64 * 1024 };
    static char buf[CHUNK];
    int p[2];
    if (quick)
        chunks = 3;
    if (pipe(p))
        die("pipe");
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        memset(buf, 'b', sizeof buf);
        for (long i = 0; i < chunks; i++)
            for (size_t off = 0; off < CHUNK;) {
                ssize_t w = write(p[1], buf + off, CHUNK - off);
                if (w <= 0)
                    _exit(1);
                off += (size_t)w;
            }
        _exit(0);
    }
    close(p[1]);
    long total = 0;
    MARK(2 * id);
    uint64_t t0 = rdtsc();
    for (ssize_t r; (r = read(p[0], buf, sizeof buf)) > 0;)
        total += r;
    uint64_t t1 = rdtsc();
    MARK(2 * id + 1);
    waitpid(pid, NULL, 0);
    close(p[0]);
    if (total != chunks * CHUNK) {
        fprintf(stderr, "pipe bandwidth: read %ld of %ld bytes\n", total, chunks * (long)CHUNK);
        exit(1);
    }
    printf("op %-16s %10llu %ld\n", "pipe_64k", (unsigned long long)((t1 - t0) / chunks), chunks);
    fflush(stdout);
}

static void mmap_touch_unmap(void)
{
    enum { SIZE = 1 << 20 };
    char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        die("mmap");
    for (size_t off = 0; off < SIZE; off += 4096)
        p[off] = 1;
    munmap(p, SIZE);
}

/* Page faults: one write to each page of a fresh 4 MiB mapping, timed
 * alone (the mmap and munmap are outside the timing). */
static void page_faults(int rounds, int id)
{
    enum { SIZE = 4 << 20, PAGES = SIZE / 4096 };
    uint64_t ticks = 0;
    if (quick)
        rounds = 1;
    MARK(2 * id);
    for (int r = 0; r < rounds; r++) {
        char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            die("mmap");
        uint64_t t0 = rdtsc();
        for (size_t off = 0; off < SIZE; off += 4096)
            p[off] = 1;
        ticks += rdtsc() - t0;
        munmap(p, SIZE);
    }
    MARK(2 * id + 1);
    printf("op %-16s %10llu %d\n", "page_fault", (unsigned long long)(ticks / ((uint64_t)rounds * PAGES)),
           rounds * PAGES);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    /* "bench exec N NAME PROGRAM ARG...": N runs of a program, as op NAME
     * (id 12); "bench poweroff": the machine off (a Linux init script's end). */
    if (argc > 4 && strcmp(argv[1], "exec") == 0) {
        run_program(argv + 4, environ); /* untimed: the first run pays for first use */
        BENCH(12, argv[3], atol(argv[2]), run_program(argv + 4, environ));
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "poweroff") == 0) {
        sync();
        return reboot(RB_POWER_OFF);
    }
    uint64_t start = rdtsc();
    quick = argc > 1 && strcmp(argv[1], "-q") == 0;
    printf("start %llu\n", (unsigned long long)start);
    fflush(stdout);

    int fd = open(FILE_PATH, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    char block[4096];
    memset(block, 'f', sizeof block);
    if (fd < 0 || write(fd, block, sizeof block) != sizeof block)
        die(FILE_PATH);
    close(fd);
    int null = open("/dev/null", O_WRONLY);
    if (null < 0)
        die("/dev/null");
    struct stat st;

    /* One untimed round of each first, so that no figure pays for first use. */
    syscall(SYS_getpid);
    fork_exit_wait();
    fork_exec_wait();

    BENCH(1, "null_syscall", 20000, syscall(SYS_getpid));
    BENCH(2, "write_devnull", 20000, {
        if (write(null, block, 64) != 64)
            die("write /dev/null");
    });
    BENCH(3, "open_close", 5000, {
        int f = open(FILE_PATH, O_RDONLY);
        if (f < 0)
            die("open");
        close(f);
    });
    BENCH(4, "stat", 5000, {
        if (stat(FILE_PATH, &st))
            die("stat");
    });
    BENCH(5, "fork_exit_wait", 200, fork_exit_wait());
    BENCH(6, "fork_exec_wait", 100, fork_exec_wait());
    pingpong(2000, 7);
    bandwidth(256, 8);
    BENCH(9, "mmap_1m", 100, mmap_touch_unmap());
    page_faults(4, 10);
    struct timespec ts;
    BENCH(11, "clock_gettime", 20000, clock_gettime(CLOCK_MONOTONIC, &ts)); /* the vDSO's, where there is one */

    unlink(FILE_PATH);
    printf("done\n");
    fflush(stdout);
    if (getpid() == 1) {
        sync();
        reboot(RB_POWER_OFF);
    }
    return 0;
}
