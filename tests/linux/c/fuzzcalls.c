/*
 * tests/linux/c/fuzzcalls.c - a deterministic system call fuzzer: every
 * x86-64 system call number (and wild ones past the table, negative ones,
 * x32's) called again and again with arguments drawn from a pool of
 * interesting values (0, -1, small and huge numbers, random flag bits;
 * NULL, unmapped, kernel, misaligned, read-only and end-of-page pointers,
 * buffers of random bytes, of zeros, of iovecs, of valid descriptors, of
 * socket addresses; descriptors of every kind and bad ones; paths).
 * The system must survive it: after each batch of calls the driver checks
 * that it still answers (getpid, a file written and read back, a pipe's
 * round trip).
 *
 * The calls run in a process of their own (the "caller"), started by the
 * driver in new pid, mount, network, IPC and UTS namespaces inside a user
 * namespace whose root is the unprivileged uid 65534 outside: on a tmpfs
 * of its own, its standard descriptors /dev/null, limits on its memory
 * and processes, an interval timer that breaks any blocking call.  Call i's
 * number and arguments come from the seed and i alone, so a run is the same
 * sequence of calls whatever happens: a caller that dies (a fault, a kill,
 * seccomp's strict mode) is replaced by a new one that goes on after the
 * call that killed it; one that makes no progress for a while is killed
 * and its call skipped.  A clone, fork or vfork child exits at once.
 * exit, exit_group and rt_sigreturn are not called (each would only end
 * the caller).
 *
 * Usage: fuzzcalls [SEED [CALLS [-v [FIRST]]]]; without arguments seed 1
 * and a short run; FIRST starts at that call, to replay a part of a run.  Only a summary is printed, the same on Linux and Persona;
 * -v tells each caller's death and skipped call on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define BATCH 250 /* calls between two checks of the system */

/* What the driver and the caller share: the call under way. */
struct shared {
    volatile long index;
    volatile long nr, args[6];
};

static uint64_t seed;
static int verbose;
static struct shared *sh;
/* the callers' new namespaces (FUZZNS, in hex, replaces them by hand) */
static long nsflags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static uint64_t rng;
static uint64_t next(void)
{
    return rng = mix(rng);
}

/* ---- the caller's pools, made anew by each caller ---- */

static long fds[40];
static int nfds;
static long ptrs[40];
static int nptrs;
static long paths[16];
static int npaths;

static const long ints[] = {
    0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 63, 64, 100, 127, 128, 255, 256, 511, 1000, 1023, 1024, 4095,
    4096, 4097, 8192, 65535, 65536, 0x7fff, 0x8000, 0x10000, 0x7fffffff, 0x80000000l, 0xffffffffl,
    0x100000000l, -1, -2, -3, -100, -4095, -4096, -4097, 1l << 40, 1l << 47, 0x7fffffffffffl,
    0x7ffffffff000l, 0x7fffffffffffffffl, (long)0x8000000000000000ul, (long)0xffff800000000000ul,
    (long)0xfffffffffffff000ul,
};
#define NINTS (sizeof ints / sizeof ints[0])

static void addfd(long fd)
{
    if (fd >= 0 && nfds < 40)
        fds[nfds++] = fd;
}

static void *page(int prot, int n)
{
    void *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    return p;
}

static void setup_pools(void)
{
    /* descriptors of every kind */
    int p[2];
    int f = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(f, "some text in a file\n", 20);
    addfd(f);
    mkdir("d", 0755);
    close(open("d/g", O_WRONLY | O_CREAT, 0600));
    symlink("f", "l");
    addfd(open("d", O_RDONLY | O_DIRECTORY));
    addfd(open("f", O_PATH));
    addfd(open("/dev/null", O_RDWR));
    addfd(open("/dev/zero", O_RDONLY));
    addfd(open("/proc/self/status", O_RDONLY));
    if (pipe2(p, O_NONBLOCK) == 0)
        addfd(p[0]), addfd(p[1]);
    if (pipe(p) == 0) {
        write(p[1], "x", 1);
        addfd(p[0]), addfd(p[1]);
    }
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, p) == 0)
        addfd(p[0]), addfd(p[1]);
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, p) == 0)
        addfd(p[0]), addfd(p[1]);
    addfd(socket(AF_UNIX, SOCK_SEQPACKET, 0));
    addfd(socket(AF_INET, SOCK_STREAM, 0));
    addfd(socket(AF_INET, SOCK_DGRAM, 0));
    addfd(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
    addfd(socket(AF_INET6, SOCK_STREAM, 0));
    addfd(socket(AF_INET6, SOCK_DGRAM, 0));
    addfd(socket(AF_NETLINK, SOCK_RAW, 0));
    addfd(socket(AF_PACKET, SOCK_RAW, 0));
    addfd(eventfd(0, 0));
    addfd(epoll_create1(0));
    addfd(timerfd_create(CLOCK_MONOTONIC, 0));
    sigset_t all;
    sigfillset(&all);
    addfd(signalfd(-1, &all, 0));
    addfd(inotify_init1(0));
    addfd(syscall(SYS_pidfd_open, getpid(), 0));
    addfd(syscall(SYS_memfd_create, "m", 0));
    long params[15] = {0}; /* struct io_uring_params, zeroed */
    addfd(syscall(SYS_io_uring_setup, 4, params));
    addfd(syscall(SYS_userfaultfd, 0));
    /* pointers of every kind */
    char *buf = page(PROT_READ | PROT_WRITE, 4);
    char *guard = page(PROT_READ | PROT_WRITE, 2);
    munmap(guard + PAGE, PAGE);       /* guard + PAGE is unmapped */
    char *ro = page(PROT_READ, 1);
    mprotect(ro, PAGE, PROT_READ);
    for (int i = 0; i < PAGE; i++)
        buf[i] = (char)next();
    struct iovec *iov = (struct iovec *)(buf + 2 * PAGE);
    for (int i = 0; i < 8; i++) {
        iov[i].iov_base = buf + PAGE + 64 * i;
        iov[i].iov_len = i * 17;
    }
    int *fdarr = (int *)(buf + 2 * PAGE + 512);
    for (int i = 0; i < nfds; i++)
        fdarr[i] = (int)fds[i];
    struct sockaddr_in *sin = (struct sockaddr_in *)(buf + 2 * PAGE + 1024);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(7777);
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct sockaddr_un *sun = (struct sockaddr_un *)(buf + 2 * PAGE + 1100);
    sun->sun_family = AF_UNIX;
    strcpy(sun->sun_path, "sock");
    struct msghdr *mh = (struct msghdr *)(buf + 2 * PAGE + 1300);
    mh->msg_name = sun;
    mh->msg_namelen = sizeof *sun;
    mh->msg_iov = iov;
    mh->msg_iovlen = 8;
    void *unmapped = page(PROT_READ, 1);
    munmap(unmapped, PAGE);
    long ps[] = {
        0, 1, (long)unmapped, (long)0xffff800000000000ul, -1l, (long)ro, (long)(ro + 8),
        (long)buf, (long)(buf + 1), (long)(buf + PAGE), (long)(buf + 3 * PAGE), (long)iov, (long)fdarr,
        (long)sin, (long)sun, (long)mh, (long)(guard + PAGE - 1), (long)(guard + PAGE - 4),
        (long)(guard + PAGE - 8), (long)(guard + PAGE - 16), (long)(guard + PAGE - 64), (long)guard,
        (long)(buf + 3 * PAGE + PAGE - 3), 0x1000, 0x7ffffffff000l,
    };
    memcpy(ptrs, ps, sizeof ps);
    nptrs = sizeof ps / sizeof ps[0];
    /* paths: in the scratch directory, and a few harmless ones outside */
    char *s = buf + 3 * PAGE;
    static const char *names[] = {"f", "d", "d/g", "l", "", ".", "..", "missing", "d/missing/x",
                                  "/", "/dev/null", "/proc/self/status", "sock", "f/x"};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        paths[npaths++] = (long)s;
        strcpy(s, names[i]);
        s += strlen(names[i]) + 1;
    }
    memset(s, 'a', 300); /* a name too long */
    s[300] = 0;
    paths[npaths++] = (long)s;
}

static long pick(const long *pool, int n)
{
    return pool[next() % (uint64_t)n];
}

static long arg(void)
{
    uint64_t r = next() % 100;
    if (r < 25)
        return ints[next() % NINTS];
    if (r < 45) {
        if (next() % 5 == 0)
            return (long[]){-1, -100, 9999, 1023, 0x7fffffff, 200, 3}[next() % 7];
        return pick(fds, nfds);
    }
    if (r < 70)
        return pick(ptrs, nptrs);
    if (r < 80)
        return pick(paths, npaths);
    if (r < 90) { /* random flag bits */
        uint64_t v = next();
        switch (next() % 4) {
        case 0: return (long)(v & 0xffffffff);
        case 1: return 1l << (v % 64);
        case 2: return (long)(v & next() & next() & 0xffffffff);
        default: return (long)v;
        }
    }
    return next() % 4 ? (long)(next() % 4097) : (long)(next() % 17);
}

/* ---- the numbers called ---- */

static int nums[600];
static int nnums;

static void setup_numbers(void)
{
    for (int n = 0; n < 470; n++) {
        if (n == SYS_exit || n == SYS_exit_group || n == SYS_rt_sigreturn)
            continue;
        if (n > 334 && n < 424)
            n = 424;
        nums[nnums++] = n;
    }
    static const int wild[] = {335, 400, 423, 470, 512, 547, 1000, 0x40000000, 0x40000001, 0x40000000 + 39,
                               0x40000000 + 200, 0x4000013f, 0x7fffffff, -1, -2, -512, (int)0x80000000};
    for (unsigned i = 0; i < sizeof wild / sizeof wild[0]; i++)
        nums[nnums++] = wild[i];
}

static int is_fork(long nr)
{
    return nr == SYS_clone || nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone3;
}

/* One raw call; a child of a clone, fork or vfork exits at once, touching
 * no memory (its stack may be anywhere). */
static long call(long nr, const long *a)
{
    long ret;
    long isfork = is_fork(nr);
    register long r10 __asm__("r10") = a[3];
    register long r8 __asm__("r8") = a[4];
    register long r9 __asm__("r9") = a[5];
    __asm__ volatile("syscall\n\t"
                     "test %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "test %[f], %[f]\n\t"
                     "jz 1f\n\t"
                     "mov $60, %%eax\n\t"
                     "xor %%edi, %%edi\n\t"
                     "syscall\n"
                     "1:"
                     : "=a"(ret)
                     : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9), [f] "r"(isfork)
                     : "rcx", "r11", "memory");
    return ret;
}

static void on_alarm(int sig)
{
    (void)sig;
}

/* The caller: pid 1 of its own namespaces; calls from..to-1. */
static int caller(long from, long to)
{
    setsid(); /* kill(0, ...) reaches no one outside */
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0), dup2(null, 1), dup2(null, 2);
    if (null > 2)
        close(null);
    if (mount("fuzz", "/tmp", "tmpfs", 0, "size=8m") || chdir("/tmp"))
        return 3;
    struct rlimit mem = {256 << 20, 256 << 20}, procs = {64, 64}, fsize = {4 << 20, 4 << 20};
    setrlimit(RLIMIT_AS, &mem);
    setrlimit(RLIMIT_NPROC, &procs);
    setrlimit(RLIMIT_FSIZE, &fsize);
    signal(SIGXFSZ, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    rng = mix(seed ^ 0x5eed0000 ^ (uint64_t)from);
    setup_pools();
    struct sigaction sa = {.sa_handler = on_alarm};
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 20000}, {0, 20000}};
    sigset_t alrm;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    for (long i = from; i < to; i++) {
        long a[6];
        rng = mix(seed * 0x100000001b3ull + (uint64_t)i);
        long nr = nums[i % nnums];
        for (int k = 0; k < 6; k++)
            a[k] = arg();
        sh->nr = nr;
        for (int k = 0; k < 6; k++)
            sh->args[k] = a[k];
        sh->index = i;
        sigprocmask(SIG_UNBLOCK, &alrm, NULL); /* the calls may have changed them */
        sigaction(SIGALRM, &sa, NULL);
        setitimer(ITIMER_REAL, &it, NULL);
        call(nr, a);
    }
    sh->index = to;
    return 0;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs calls from..to-1 in callers, a new one after each death; 0 once
 * done, -1 if a caller could not be started or killed. */
static int run_batch(long from, long to, long *deaths)
{
    long i = from;
    while (i < to) {
        sh->index = i - 1;
        long pid = syscall(SYS_clone, nsflags | SIGCHLD, 0, 0, 0, 0);
        if (pid < 0)
            return -1;
        if (pid == 0)
            _exit(caller(i, to));
        long seen = sh->index, since = now_ms(), killed = 0;
        int status;
        for (;;) {
            long r = waitpid(pid, &status, WNOHANG);
            if (r == pid)
                break;
            if (r < 0)
                return -1;
            if (sh->index != seen)
                seen = sh->index, since = now_ms();
            else if (!killed && now_ms() - since > 5000) {
                if (verbose)
                    fprintf(stderr, "call %ld (nr %ld) hangs: killed\n", seen, sh->nr);
                kill(pid, SIGKILL);
                killed = now_ms();
            } else if (killed && now_ms() - killed > 20000) {
                fprintf(stderr, "caller %ld does not die after SIGKILL, call %ld (nr %ld)\n", pid, seen, sh->nr);
                return -1;
            }
            usleep(killed ? 10000 : 2000);
        }
        if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
            return -1;
        long done = sh->index;
        if (done >= to)
            break;
        (*deaths)++;
        if (verbose)
            fprintf(stderr, "call %ld nr %ld (%lx %lx %lx %lx %lx %lx): caller %s %d\n", done, sh->nr,
                    sh->args[0], sh->args[1], sh->args[2], sh->args[3], sh->args[4], sh->args[5],
                    WIFSIGNALED(status) ? "killed by signal" : "exited", WIFSIGNALED(status) ? WTERMSIG(status)
                                                                                      : WEXITSTATUS(status));
        i = done < i ? i + 1 : done + 1;
    }
    return 0;
}

/* The system still answers: getpid, a file written and read, a pipe. */
static int alive(void)
{
    char b[8] = {0};
    int p[2];
    if (getpid() <= 0)
        return 0;
    int fd = open("health", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, "alive", 5) != 5 || pread(fd, b, 5, 0) != 5 || memcmp(b, "alive", 5))
        return 0;
    close(fd);
    if (pipe(p) || write(p[1], "ping", 4) != 4 || read(p[0], b, 4) != 4 || memcmp(b, "ping", 4))
        return 0;
    close(p[0]), close(p[1]);
    return 1;
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY);
    if (fd >= 0) {
        write(fd, text, strlen(text));
        close(fd);
    }
}

int main(int argc, char **argv)
{
    seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
    long calls = argc > 2 ? strtol(argv[2], NULL, 0) : 4000;
    verbose = argc > 3 && !strcmp(argv[3], "-v");
    long first = argc > 4 ? strtol(argv[4], NULL, 0) : 0;
    if (getenv("FUZZNS"))
        nsflags = strtol(getenv("FUZZNS"), NULL, 16);
    setvbuf(stdout, NULL, _IONBF, 0);
    setup_numbers();
    sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    /* uid 65534 outside, root of a user namespace of its own inside */
    if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534) ||
        prctl(PR_SET_DUMPABLE, 1) || unshare(CLONE_NEWUSER | CLONE_NEWNS)) {
        printf("fuzzcalls: no namespaces: %s\n", strerror(errno));
        return 1;
    }
    write_file("/proc/self/setgroups", "deny");
    write_file("/proc/self/uid_map", "0 65534 1");
    write_file("/proc/self/gid_map", "0 65534 1");
    if (mount("fuzz", "/tmp", "tmpfs", 0, "size=1m") || chdir("/tmp")) {
        printf("fuzzcalls: no tmpfs: %s\n", strerror(errno));
        return 1;
    }
    long deaths = 0, batches = 0;
    for (long from = first; from < calls; from += BATCH, batches++) {
        long to = from + BATCH < calls ? from + BATCH : calls;
        if (run_batch(from, to, &deaths)) {
            printf("fuzzcalls: seed %llu: callers stopped in batch %ld: %s\n", (unsigned long long)seed, batches,
                   strerror(errno));
            return 1;
        }
        if (verbose && batches % 20 == 0) { /* the machine's free memory, to see a leak */
            char m[200] = {0};
            int fd = open("/proc/meminfo", O_RDONLY);
            if (fd >= 0 && read(fd, m, sizeof m - 1) > 0)
                fprintf(stderr, "batch %ld: %.*s\n", batches, (int)strcspn(m + strcspn(m, "\n") + 1, "\n"),
                        m + strcspn(m, "\n") + 1);
            close(fd);
            int others = 0;
            while (waitpid(-1, NULL, WNOHANG) > 0)
                others++;
            fprintf(stderr, "batch %ld: %d other children reaped\n", batches, others);
        }
        if (!alive()) {
            printf("fuzzcalls: seed %llu: system broken after batch %ld\n", (unsigned long long)seed, batches);
            return 1;
        }
    }
    if (verbose)
        fprintf(stderr, "%ld callers died\n", deaths);
    printf("fuzzcalls: seed %llu, %ld calls of %d numbers in %ld batches, system alive\n", (unsigned long long)seed,
           calls, nnums, batches);
    return 0;
}
