/*
 * tests/linux/c/sysctl.c - writing /proc/sys: the files' modes, how a
 * number is taken (blanks, a sign, C's bases, what follows it), its
 * errors (EINVAL for text and out of range, EACCES for a writer who is
 * not root), and that a write takes effect.  Plain, it writes only what
 * is an IPC namespace's (fs/mqueue, the SysV limits), in one of its own
 * on the host (unshare, as root; Persona has no namespaces, and its
 * values start as a new namespace's).  "sysctl persona-only" writes the
 * machine's settings (pid_max, sched_rr_timeslice_ms, pipe-max-size,
 * drop_caches, printk, the protected_* checks, ...)
 * and puts them back, on Persona alone:
 * tests/linux/c/sysctl.persona-only.expected is Linux 6.1's answer.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SYS "/proc/sys/"

/* name's text, its tabs and newline shown. */
static void rd(const char *name)
{
    char path[128], buf[256], out[512];
    snprintf(path, sizeof path, SYS "%s", name);
    long n = read_text(path, buf, sizeof buf);
    if (n < 0) {
        printf("read %s: %s\n", name, errno_name(errno));
        return;
    }
    size_t k = 0;
    for (long i = 0; i < n; i++)
        k += (size_t)snprintf(out + k, sizeof out - k, "%s", buf[i] == '\t' ? "\\t" : buf[i] == '\n' ? "\\n" : (char[2]){buf[i], 0});
    printf("read %s: \"%s\"\n", name, out);
}

/* text written to name in one write: its result. */
static int wr(const char *name, const char *text)
{
    char path[128];
    int opened;
    snprintf(path, sizeof path, SYS "%s", name);
    long n = write_text(path, text, &opened);
    int e = errno;
    if (!opened) {
        printf("write %s: open %s\n", name, errno_name(e));
        return -1;
    }
    char shown[128] = "";
    size_t k = 0;
    for (const char *c = text; *c; c++)
        k += (size_t)snprintf(shown + k, sizeof shown - k, "%s", *c == '\t' ? "\\t" : *c == '\n' ? "\\n" : (char[2]){*c, 0});
    if (n < 0)
        printf("write %s \"%s\": %s\n", name, shown, errno_name(e));
    else
        printf("write %s \"%s\": %ld\n", name, shown, n);
    return n < 0 ? -1 : 0;
}

static void mode(const char *name)
{
    char path[128];
    struct stat st;
    snprintf(path, sizeof path, SYS "%s", name);
    if (stat(path, &st) < 0)
        printf("mode %s: %s\n", name, errno_name(errno));
    else
        printf("mode %s: %o\n", name, st.st_mode & 07777);
}

/* In a child as uid 65534: fn's report. */
static void as_nobody(void (*fn)(void))
{
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(1);
        fn();
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
}

static void nobody_writes(void)
{
    wr("fs/mqueue/msg_max", "20");
    wr("kernel/shmmax", "4096");
}

static void nobody_mq(void)
{
    struct mq_attr a = {.mq_maxmsg = 6, .mq_msgsize = 64};
    mqd_t q = mq_open("/sysctl-q", O_CREAT | O_RDWR, 0600, &a);
    printf("nobody mq_open maxmsg 6 past msg_max 5: %s\n", q < 0 ? errno_name(errno) : "opened");
    a.mq_maxmsg = 5;
    q = mq_open("/sysctl-q", O_CREAT | O_RDWR, 0600, &a);
    printf("nobody mq_open maxmsg 5: %s\n", q < 0 ? errno_name(errno) : "opened");
    mq_unlink("/sysctl-q");
    q = mq_open("/sysctl-q", O_CREAT | O_RDWR, 0600, NULL);
    if (q >= 0 && mq_getattr(q, &a) == 0)
        printf("nobody mq_open default: maxmsg %ld msgsize %ld\n", a.mq_maxmsg, a.mq_msgsize);
    mq_unlink("/sysctl-q");
}

static void ipc_namespace(void)
{
    static const char *const names[] = {"fs/mqueue/msg_max", "fs/mqueue/msg_default", "fs/mqueue/msgsize_max",
                                        "fs/mqueue/msgsize_default", "fs/mqueue/queues_max", "kernel/shmmax",
                                        "kernel/shmall", "kernel/shmmni", "kernel/shm_rmid_forced", "kernel/msgmax",
                                        "kernel/msgmnb", "kernel/msgmni", "kernel/sem"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        rd(names[i]);
    /* the parsing, on msg_max (1 to 65536) */
    static const char *const texts[] = {"abc", "0", "65537", "-1", "", "\n", "12abc", " \t 20\n", "0x10", "010",
                                        "5 junk", "7 8", "+3", "99999999999999999999999", "6\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        wr("fs/mqueue/msg_max", texts[i]);
        rd("fs/mqueue/msg_max");
    }
    int fd = open(SYS "fs/mqueue/msg_max", O_WRONLY);
    ssize_t first = write(fd, "5", 1), second = write(fd, "9", 1); /* the second is past the start: ignored */
    printf("two writes: %zd %zd\n", first, second);
    close(fd);
    rd("fs/mqueue/msg_max");
    wr("fs/mqueue/msg_default", "30");
    wr("fs/mqueue/msgsize_default", "100");
    wr("fs/mqueue/msgsize_default", "300");
    as_nobody(nobody_mq);
    as_nobody(nobody_writes);
    /* SysV limits */
    wr("kernel/shmmax", "-1");
    wr("kernel/shmmax", "4096");
    rd("kernel/shmmax");
    int id = shmget(IPC_PRIVATE, 8192, 0600);
    printf("shmget 8192 past shmmax 4096: %s\n", id < 0 ? errno_name(errno) : "made");
    id = shmget(IPC_PRIVATE, 4096, 0600);
    printf("shmget 4096: %s\n", id < 0 ? errno_name(errno) : "made");
    shmctl(id, IPC_RMID, NULL);
    wr("kernel/shmmni", "32769");
    wr("kernel/shm_rmid_forced", "2");
    wr("kernel/msgmax", "100");
    int q = msgget(IPC_PRIVATE, 0600);
    struct {
        long type;
        char text[200];
    } m = {1, {0}};
    printf("msgsnd 200 past msgmax 100: %s\n", msgsnd(q, &m, 200, IPC_NOWAIT) < 0 ? errno_name(errno) : "sent");
    printf("msgsnd 100: %s\n", msgsnd(q, &m, 100, IPC_NOWAIT) < 0 ? errno_name(errno) : "sent");
    msgctl(q, IPC_RMID, NULL);
    wr("kernel/sem", "10 20 30 40");
    rd("kernel/sem");
    printf("semget 11 past semmsl 10: %s\n", semget(IPC_PRIVATE, 11, 0600) < 0 ? errno_name(errno) : "made");
    wr("kernel/sem", "1 2 3 40000");
    rd("kernel/sem");
    wr("kernel/sem", "7 8");
    rd("kernel/sem");
    wr("kernel/sem", "5 6 x");
    rd("kernel/sem");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    if (argc == 2 && !strcmp(argv[1], "persona-only")) {
        void persona_only(void);
        persona_only();
        return 0;
    }
    static const char *const modes[] = {"kernel/pid_max", "kernel/threads-max", "kernel/core_pattern",
                                        "kernel/sched_rr_timeslice_ms", "kernel/sched_rt_period_us",
                                        "kernel/sched_rt_runtime_us",
                                        "kernel/hostname", "kernel/osrelease", "kernel/ngroups_max",
                                        "kernel/cap_last_cap", "fs/pipe-max-size", "fs/nr_open", "fs/aio-nr",
                                        "fs/aio-max-nr", "fs/mqueue/msg_max", "fs/inotify/max_user_watches",
                                        "vm/overcommit_memory", "vm/mmap_min_addr", "net/core/somaxconn",
                                        "net/ipv4/ip_local_port_range", "kernel/sem", "kernel/shmmax",
                                        "vm/drop_caches", "vm/vfs_cache_pressure", "kernel/printk"};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        mode(modes[i]);
    unshare(CLONE_NEWIPC);
    ipc_namespace();
    return 0;
}

/* ---- the machine's settings (persona-only) ---- */

static void nobody_global(void)
{
    wr("kernel/pid_max", "1000");
    int fd = open(SYS "kernel/pid_max", O_RDONLY);
    printf("nobody opens pid_max to read: %s\n", fd < 0 ? errno_name(errno) : "yes");
    int p[2];
    if (pipe(p) < 0)
        return;
    printf("nobody's new pipe under pipe-max-size 16384: %d\n", fcntl(p[0], F_GETPIPE_SZ));
    printf("nobody F_SETPIPE_SZ 131072 past pipe-max-size 16384: %s\n",
           fcntl(p[0], F_SETPIPE_SZ, 131072) < 0 ? errno_name(errno) : "set");
    printf("nobody F_SETPIPE_SZ 16384: %d\n", fcntl(p[0], F_SETPIPE_SZ, 16384));
}

static void rr_interval(const char *when)
{
    struct timespec ts;
    if (sched_rr_get_interval(0, &ts) < 0)
        printf("sched_rr_get_interval: %s\n", errno_name(errno));
    else
        printf("SCHED_RR's interval %s: %ld ms\n", when, ts.tv_nsec / 1000000 + ts.tv_sec * 1000);
}

static void pids(void)
{
    wr("kernel/pid_max", "300");
    wr("kernel/pid_max", "4194305");
    wr("kernel/pid_max", "abc");
    wr("kernel/pid_max", "400");
    rd("kernel/pid_max");
    int below = 1, came_round = 0, last = getpid();
    for (int i = 0; i < 450 && !came_round; i++) { /* vfork: the cheapest new pid */
        pid_t c = vfork();
        if (c == 0)
            _exit(0);
        if (c < 0) {
            printf("vfork: %s\n", errno_name(errno));
            break;
        }
        waitpid(c, NULL, 0);
        below &= c < 400;
        came_round |= c < last && c >= 300;
        last = c;
    }
    printf("new pids below 400: %s; came round from 300: %s\n", below ? "yes" : "no", came_round ? "yes" : "no");
    wr("kernel/pid_max", "32768");
    wr("kernel/threads-max", "0");
    wr("kernel/threads-max", "10");
    rd("kernel/threads-max");
    pid_t held[32];
    int n = 0, e = 0;
    for (; n < 32; n++) { /* children that wait, until fork fails */
        if ((held[n] = fork()) == 0) {
            pause();
            _exit(0);
        }
        if (held[n] < 0) {
            e = errno;
            break;
        }
    }
    printf("fork with threads-max 20: %s\n", e ? errno_name(e) : "never failed");
    for (int i = 0; i < n; i++)
        kill(held[i], SIGKILL), waitpid(held[i], NULL, 0);
    wr("kernel/threads-max", "4000");
}

static void scheduling(void)
{
    struct sched_param sp = {.sched_priority = 1};
    if (syscall(SYS_sched_setscheduler, 0, SCHED_RR, &sp) < 0) /* musl's sched_setscheduler is ENOSYS */
        printf("sched_setscheduler: %s\n", errno_name(errno));
    rd("kernel/sched_rr_timeslice_ms");
    rr_interval("at first");
    wr("kernel/sched_rr_timeslice_ms", "40");
    rd("kernel/sched_rr_timeslice_ms");
    rr_interval("after 40");
    wr("kernel/sched_rr_timeslice_ms", "abc");
    wr("kernel/sched_rr_timeslice_ms", "0");
    rr_interval("after 0");
    wr("kernel/sched_rr_timeslice_ms", "-5");
    rr_interval("after -5");
    sp.sched_priority = 0;
    syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp);
    rd("kernel/sched_rt_period_us");
    rd("kernel/sched_rt_runtime_us");
    wr("kernel/sched_rt_runtime_us", "1000001");
    wr("kernel/sched_rt_runtime_us", "-2");
    wr("kernel/sched_rt_period_us", "900000");
    wr("kernel/sched_rt_runtime_us", "-1");
    wr("kernel/sched_rt_period_us", "500000");
    rd("kernel/sched_rt_period_us");
    rd("kernel/sched_rt_runtime_us");
    wr("kernel/sched_rt_period_us", "1000000");
    wr("kernel/sched_rt_runtime_us", "950000");
    rd("kernel/sched_child_runs_first");
    wr("kernel/sched_child_runs_first", "1");
    rd("kernel/sched_child_runs_first");
    wr("kernel/sched_child_runs_first", "0");
}

static void files(void)
{
    rd("fs/pipe-max-size");
    wr("fs/pipe-max-size", "5000");
    rd("fs/pipe-max-size");
    wr("fs/pipe-max-size", "0");
    rd("fs/pipe-max-size");
    wr("fs/pipe-max-size", "-1");
    wr("fs/pipe-max-size", "4294967296");
    wr("fs/pipe-max-size", "16384");
    as_nobody(nobody_global);
    int p[2];
    if (pipe(p) == 0)
        printf("root's new pipe: %d; F_SETPIPE_SZ 65536: %d\n", fcntl(p[0], F_GETPIPE_SZ),
               fcntl(p[0], F_SETPIPE_SZ, 65536));
    wr("fs/pipe-max-size", "1048576");
    wr("fs/nr_open", "63");
    wr("fs/nr_open", "2048");
    struct rlimit rl = {1024, 4096};
    printf("RLIMIT_NOFILE hard 4096 past nr_open 2048: %s\n", setrlimit(RLIMIT_NOFILE, &rl) < 0 ? errno_name(errno) : "set");
    rl.rlim_max = 2048;
    printf("RLIMIT_NOFILE hard 2048: %s\n", setrlimit(RLIMIT_NOFILE, &rl) < 0 ? errno_name(errno) : "set");
    wr("fs/nr_open", "1048576");
    wr("fs/file-max", "-1");
    wr("fs/inotify/max_user_instances", "-1");
    wr("fs/inotify/max_user_instances", "1");
    int a = inotify_init(), b = inotify_init();
    printf("inotify_init past max_user_instances 1: %s\n", a >= 0 && b < 0 ? errno_name(errno) : "made");
    close(a);
    wr("fs/inotify/max_user_instances", "128");
    rd("fs/lease-break-time");
    wr("fs/lease-break-time", "5");
    rd("fs/lease-break-time");
    wr("fs/lease-break-time", "45");
}

static void others(void)
{
    rd("kernel/core_pattern");
    wr("kernel/core_pattern", "core.%e.%p\nrest");
    rd("kernel/core_pattern");
    wr("kernel/core_pattern", "core.%e.%s.%%");
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
        setrlimit(RLIMIT_CORE, &rl);
        signal(SIGQUIT, SIG_DFL); /* a shell may have left it ignored */
        kill(getpid(), SIGQUIT);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    struct stat sb;
    printf("SIGQUIT: core dumped %d, core.sysctl.3.%% %s\n", WCOREDUMP(st) ? 1 : 0,
           stat("core.sysctl.3.%", &sb) == 0 ? "written" : errno_name(errno));
    unlink("core.sysctl.3.%");
    wr("kernel/core_pattern", "core");
    wr("kernel/core_uses_pid", "1");
    rd("kernel/core_uses_pid");
    wr("kernel/core_uses_pid", "0");
    wr("vm/overcommit_memory", "3");
    wr("vm/overcommit_memory", "-1");
    wr("vm/overcommit_memory", "2");
    rd("vm/overcommit_memory");
    wr("vm/overcommit_memory", "0");
    rd("vm/overcommit_ratio");
    rd("vm/max_map_count");
    wr("vm/max_map_count", "-1");
    rd("vm/vfs_cache_pressure");
    wr("vm/vfs_cache_pressure", "-1");
    wr("vm/vfs_cache_pressure", "100");
    wr("vm/mmap_min_addr", "65536");
    wr("net/core/somaxconn", "-1");
    wr("net/core/somaxconn", "4096");
    static const char *const ranges[] = {"40000 30000", "1000 2000", "0 2000", "2000 70000", "2000 3000", "5000",
                                         "32768 60999"};
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        wr("net/ipv4/ip_local_port_range", ranges[i]);
        rd("net/ipv4/ip_local_port_range");
    }
    wr("kernel/perf_event_paranoid", "1");
    rd("kernel/perf_event_paranoid");
    wr("kernel/perf_event_paranoid", "2");
    wr("kernel/randomize_va_space", "2");
    rd("kernel/randomize_va_space");
    wr("kernel/randomize_va_space", "0");
    wr("kernel/osrelease", "1.0");
    wr("kernel/ngroups_max", "5");
    wr("fs/aio-nr", "5");
}

/* drop_caches (write-only, 1..4) and printk (the console's levels,
 * which syslog's console calls move). */
static void caches_and_log(void)
{
    rd("vm/drop_caches");
    static const char *const drops[] = {"0", "5", "-1", "x", "1", "2", "3", "4"};
    for (size_t i = 0; i < sizeof drops / sizeof drops[0]; i++)
        wr("vm/drop_caches", drops[i]);
    wr("kernel/printk", "5 4 1 7");
    rd("kernel/printk");
    printf("syslog(CONSOLE_LEVEL, 3): %ld\n", (long)syscall(SYS_syslog, 8, NULL, 3));
    rd("kernel/printk");
    printf("syslog(CONSOLE_OFF): %ld\n", (long)syscall(SYS_syslog, 6, NULL, 0));
    rd("kernel/printk");
    printf("syslog(CONSOLE_ON): %ld\n", (long)syscall(SYS_syslog, 7, NULL, 0));
    rd("kernel/printk");
    wr("kernel/printk", "6 4 3 7");
    printf("syslog(CONSOLE_LEVEL, 2) under the least 3: %ld\n", (long)syscall(SYS_syslog, 8, NULL, 2));
    rd("kernel/printk");
    printf("syslog(CONSOLE_LEVEL, 9): %s\n", syscall(SYS_syslog, 8, NULL, 9) < 0 ? errno_name(errno) : "set");
    wr("kernel/printk", "7 4 1 7");
}

/* One open (or link) as uid 65534 in a child: its result. */
static void as_user(const char *what, const char *path, int flags, const char *link_to)
{
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        if (setgid(65534) || setuid(65534))
            _exit(1);
        int r = link_to ? link(path, link_to) : open(path, flags | O_NONBLOCK, 0644);
        printf("  nobody %s: %s\n", what, r < 0 ? errno_name(errno) : "done");
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    if (link_to)
        unlink(link_to);
}

/* protected_symlinks, _hardlinks, _fifos and _regular: 0, then each
 * restriction in a sticky directory. */
static void protection(void)
{
    static const char *const names[] = {"fs/protected_symlinks", "fs/protected_hardlinks", "fs/protected_fifos",
                                        "fs/protected_regular"};
    for (int i = 0; i < 4; i++)
        rd(names[i]);
    wr("fs/protected_symlinks", "2");
    wr("fs/protected_regular", "3");
    mkdir("sticky", 01777), chmod("sticky", 01777);
    int fd = open("sticky/other", O_CREAT | O_WRONLY, 0666);
    fchmod(fd, 0666), fchown(fd, 1000, 1000), close(fd);
    fd = open("sticky/secret", O_CREAT | O_WRONLY, 0600);
    close(fd);
    mkfifo("sticky/fifo", 0666), chmod("sticky/fifo", 0666), chown("sticky/fifo", 1000, 1000);
    symlink("other", "sticky/link"), lchown("sticky/link", 1000, 1000);
    for (int level = 0; level <= 1; level++) {
        char v[2] = {(char)('0' + level), 0};
        for (int i = 0; i < 4; i++)
            wr(names[i], v);
        int r = open("sticky/link", O_RDONLY);
        printf("  root follows another's link: %s\n", r < 0 ? errno_name(errno) : "done");
        close(r);
        as_user("follows it", "sticky/link", O_RDONLY, NULL);
        as_user("links root's 0600 file", "sticky/secret", 0, "sticky/hard");
        as_user("links another's 0666 file", "sticky/other", 0, "sticky/hard");
        as_user("opens another's file O_CREAT", "sticky/other", O_CREAT | O_WRONLY, NULL);
        as_user("opens it without O_CREAT", "sticky/other", O_WRONLY, NULL);
        as_user("opens another's FIFO O_CREAT", "sticky/fifo", O_CREAT | O_RDONLY, NULL);
    }
    mkdir("group", 01770), chmod("group", 01770), chown("group", 0, 65534);
    fd = open("group/other", O_CREAT | O_WRONLY, 0666);
    fchmod(fd, 0666), fchown(fd, 1000, 1000), close(fd);
    as_user("opens another's file O_CREAT in a group-writable one, at 1", "group/other", O_CREAT | O_WRONLY, NULL);
    wr("fs/protected_regular", "2");
    as_user("opens it at 2", "group/other", O_CREAT | O_WRONLY, NULL);
    for (int i = 0; i < 4; i++)
        wr(names[i], "0");
    static const char *const made[] = {"sticky/other", "sticky/secret", "sticky/fifo", "sticky/link", "group/other"};
    for (int i = 0; i < 5; i++)
        unlink(made[i]);
    rmdir("sticky"), rmdir("group");
}

void persona_only(void)
{
    pids();
    scheduling();
    files();
    others();
    caches_and_log();
    protection();
}
