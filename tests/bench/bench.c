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
 * With -q every loop runs a few times only (a smoke test); "bench flat"
 * runs only the flat-cost rows (run.py --flat-only).
 * Run as process 1 (Linux's rdinit=), it powers the machine off at the end.
 * Built 32-bit as well (gcc -m32 -static, i386 glibc: bench32), whose
 * fork+exec target is tiny's 32-bit build (-DTINY=\"/bench/tiny32\").
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

#define MARK_MAGIC 0x7e5a1a00u /* the plugin's marker: nopl MAGIC|n(%rax) */
#define MARK(n) __asm__ volatile(".byte 0x0f, 0x1f, 0x80; .long %c0" ::"i"(MARK_MAGIC | (n)) : "memory")

#ifndef TINY
#define TINY "/bench/tiny"
#endif
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

/* Ping-pong: the child echoes each byte back.  The parent writes w and
 * reads r; the child reads cr and writes cw (for a socket, r == w). */
/* always inlined: the markers need id as a constant */
static inline __attribute__((always_inline)) void pingpong_on(int r, int w, int cr, int cw, long iters, int id, const char *name)
{
    char c = 'x';
    pid_t pid = fork();
    if (pid == 0) {
        close(r), close(w);
        while (read(cr, &c, 1) == 1)
            if (write(cw, &c, 1) != 1)
                break;
        _exit(0);
    }
    close(cr), close(cw);
    BENCH(id, name, iters, {
        if (write(w, &c, 1) != 1 || read(r, &c, 1) != 1)
            die("ping-pong");
    });
    close(w);
    waitpid(pid, NULL, 0);
    close(r);
}

/* Bandwidth: the child writes 64 KiB chunks into w, we read them all from r. */
static inline __attribute__((always_inline)) void bandwidth_on(int r, int w, long chunks, int id, const char *name)
{
    enum { CHUNK = 64 * 1024 };
    static char buf[CHUNK];
    if (quick)
        chunks = 3;
    pid_t pid = fork();
    if (pid == 0) {
        close(r);
        memset(buf, 'b', sizeof buf);
        for (long i = 0; i < chunks; i++)
            for (size_t off = 0; off < CHUNK;) {
                ssize_t n = write(w, buf + off, CHUNK - off);
                if (n <= 0)
                    _exit(1);
                off += (size_t)n;
            }
        _exit(0);
    }
    close(w);
    long total = 0;
    MARK(2 * id);
    uint64_t t0 = rdtsc();
    for (ssize_t n; (n = read(r, buf, sizeof buf)) > 0;)
        total += n;
    uint64_t t1 = rdtsc();
    MARK(2 * id + 1);
    waitpid(pid, NULL, 0);
    close(r);
    if (total != chunks * CHUNK) {
        fprintf(stderr, "%s: read %ld of %ld bytes\n", name, total, chunks * (long)CHUNK);
        exit(1);
    }
    printf("op %-16s %10llu %ld\n", name, (unsigned long long)((t1 - t0) / chunks), chunks);
    fflush(stdout);
}

static void pingpong(long iters, int id)
{
    int a[2], b[2];
    if (pipe(a) || pipe(b))
        die("pipe");
    pingpong_on(b[0], a[1], a[0], b[1], iters, id, "pipe_pingpong");
}

static void bandwidth(long chunks, int id)
{
    int p[2];
    if (pipe(p))
        die("pipe");
    bandwidth_on(p[0], p[1], chunks, id, "pipe_64k");
}

/* A connected TCP pair over the loopback (127.0.0.1), brought up first:
 * as process 1 of a fresh Linux, lo is down. */
static void tcp_pair(int *a, int *b)
{
    struct ifreq ifr = {.ifr_name = "lo"};
    int l = socket(AF_INET, SOCK_STREAM, 0);
    if (l < 0)
        die("socket");
    if (ioctl(l, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(l, SIOCSIFFLAGS, &ifr))
            die("SIOCSIFFLAGS lo");
    }
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    if (bind(l, (struct sockaddr *)&sa, sizeof sa) || listen(l, 1) || getsockname(l, (struct sockaddr *)&sa, &len))
        die("tcp listen");
    *a = socket(AF_INET, SOCK_STREAM, 0);
    if (*a < 0 || connect(*a, (struct sockaddr *)&sa, sizeof sa) || (*b = accept(l, NULL, NULL)) < 0)
        die("tcp connect");
    close(l);
}

static void tcp_pingpong(long iters, int id)
{
    int a, b;
    tcp_pair(&a, &b);
    pingpong_on(a, a, b, b, iters, id, "tcp_pingpong");
}

static void tcp_bandwidth(long chunks, int id)
{
    int a, b;
    tcp_pair(&a, &b);
    bandwidth_on(a, b, chunks, id, "tcp_64k");
}

/* n connected TCP pairs left open and idle: an unrelated call should cost
 * what it did without them (the null_syscall_idle row). */
static void idle_connections(int n)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < (rlim_t)(2 * n + 64)) {
        r.rlim_cur = r.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &r))
            die("setrlimit");
    }
    for (int i = 0; i < n; i++) {
        int a, b;
        tcp_pair(&a, &b);
    }
}

/* Cost that stays flat: the null call, the pipe round trip, open+close,
 * fork+exit and an alarm set and cleared (the server's timer rearmed
 * twice) again with sleepers in the background (processes in a long
 * nanosleep, as `sleep 1000 &` leaves them: each a pending deadline) and
 * with many descriptors open, each against the same ops measured alone
 * just before the first sleeper ("s0"), in the state the earlier rows
 * left the process in.  Each op's id is base + 0..4 (see run.py's FLAT). */
static pid_t sleepers[1000];

/* ITIMER_REAL set far ahead and cleared: two calls that each rearm the
 * server's timer, none of them firing. */
static void alarm_cycle(void)
{
    alarm(100000);
    alarm(0);
}
static int nsleepers;

/* Each new sleeper writes a byte just before its sleep; once all have,
 * 50 ms of the parent's own sleep lets them all reach theirs, so that no
 * sleeper's first call falls inside a timed loop. */
static void sleepers_add(int upto)
{
    int ready[2], added = upto - nsleepers;
    char c;
    if (pipe(ready))
        die("pipe");
    for (; nsleepers < upto; nsleepers++) {
        pid_t pid = fork();
        if (pid < 0)
            die("fork sleeper");
        if (pid == 0) {
            struct timespec ts = {.tv_sec = 100000};
            close(ready[0]);
            if (write(ready[1], "s", 1) != 1)
                _exit(1);
            close(ready[1]);
            for (;;)
                nanosleep(&ts, NULL);
        }
        sleepers[nsleepers] = pid;
    }
    close(ready[1]);
    for (int i = 0; i < added; i++)
        if (read(ready[0], &c, 1) != 1)
            die("sleeper");
    close(ready[0]);
    struct timespec settle = {.tv_nsec = 50000000};
    nanosleep(&settle, NULL);
}

static void sleepers_end(void)
{
    for (int i = 0; i < nsleepers; i++)
        kill(sleepers[i], SIGKILL);
    for (int i = 0; i < nsleepers; i++)
        waitpid(sleepers[i], NULL, 0);
    nsleepers = 0;
}

/* The five ops under one configuration, ids base..base+4 (always inlined:
 * the markers need them as constants). */
static inline __attribute__((always_inline)) void flat_ops(int base, const char *tag)
{
    char name[5][40];
    const char *ops[5] = {"null", "pipe", "open", "fork", "alarm"};
    for (int k = 0; k < 5; k++)
        snprintf(name[k], sizeof name[k], "flat_%s_%s", ops[k], tag);
    BENCH(base, name[0], 20000, syscall(SYS_getpid));
    {
        int a[2], b[2];
        if (pipe(a) || pipe(b))
            die("pipe");
        pingpong_on(b[0], a[1], a[0], b[1], 2000, base + 1, name[1]);
    }
    BENCH(base + 2, name[2], 5000, {
        int f = open(FILE_PATH, O_RDONLY);
        if (f < 0)
            die("open");
        close(f);
    });
    BENCH(base + 3, name[3], 200, fork_exit_wait());
    BENCH(base + 4, name[4], 10000, alarm_cycle());
}

static void flat(void)
{
    flat_ops(37, "s0"); /* alone, ids 37..41 */
    sleepers_add(1);
    flat_ops(16, "s1");
    sleepers_add(quick ? 5 : 100);
    flat_ops(21, "s100");
    sleepers_add(quick ? 10 : 1000);
    flat_ops(26, "s1000");
    sleepers_end();
    int fds[1000], n = quick ? 10 : 1000;
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < (rlim_t)(n + 64)) {
        r.rlim_cur = r.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &r))
            die("setrlimit");
    }
    for (int i = 0; i < n; i++)
        if ((fds[i] = open("/dev/null", O_RDONLY)) < 0)
            die("open /dev/null");
    flat_ops(31, "fd1000");
    for (int i = 0; i < n; i++)
        close(fds[i]);
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
     * (id 12), after one untimed; "bench poweroff": the machine off (a Linux init script's end). */
    if (argc > 4 && strcmp(argv[1], "exec") == 0) {
        run_program(argv + 4, environ); /* untimed: the first run pays for first use */
        BENCH(12, argv[3], atol(argv[2]), run_program(argv + 4, environ));
        return 0;
    }
    /* "bench time NAME PROGRAM ARG...": one run of a program, as op NAME
     * (id 12); its failure is the benchmark's. */
    if (argc > 3 && strcmp(argv[1], "time") == 0) {
        BENCH(12, argv[2], 1, run_program(argv + 3, environ));
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "poweroff") == 0) {
        sync();
        return reboot(RB_POWER_OFF);
    }
    uint64_t start = rdtsc();
    quick = argc > 1 && strcmp(argv[1], "-q") == 0;
    bool flat_only = argc > 1 && strcmp(argv[1], "flat") == 0;
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

    if (flat_only) { /* the flat-cost rows alone */
        flat();
        unlink(FILE_PATH);
        printf("done\n");
        fflush(stdout);
        return 0;
    }
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
    tcp_pingpong(2000, 13); /* 12 is the program runs' */
    tcp_bandwidth(256, 14);
    BENCH(36, "alarm_cycle", 10000, alarm_cycle());
    flat();
    idle_connections(quick ? 10 : 1000);
    BENCH(15, "null_syscall_idle", 20000, syscall(SYS_getpid));

    unlink(FILE_PATH);
    printf("done\n");
    fflush(stdout);
    if (getpid() == 1) {
        sync();
        reboot(RB_POWER_OFF);
    }
    return 0;
}
