/*
 * tests/linux/c/perfevent.c - perf_event_open's software counters of the
 * calling thread: the call's errors (hardware events are ENOENT on a
 * machine without a PMU, as a VM's), counting only while enabled
 * (disabled at first, ENABLE, DISABLE, RESET), the clocks after some CPU
 * time (and a CPU-wide clock's after a sleep), page faults after touching
 * fresh pages, context switches after
 * sleeps, read_format (the times, the id, a group's values), the
 * ioctls' errors, and a child's counter that starts at its execve
 * (enable_on_exec) and keeps its count once the child is gone.  Counts are printed only as relations (more than N,
 * equal, zero).  If the machine has no perf_event_open, that is the one
 * line.  One line per check; the output must equal the host's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

/* linux/perf_event.h, which musl does not have (the first 64 bytes of
 * struct perf_event_attr, PERF_ATTR_SIZE_VER0, are enough here). */
struct attr {
    uint32_t type, size;
    uint64_t config, sample_period, sample_type, read_format, flags;
    uint32_t wakeup_events, bp_type;
    uint64_t config1;
};
#define TYPE_HARDWARE 0
#define TYPE_SOFTWARE 1
#define TYPE_HW_CACHE 3
#define SW_CPU_CLOCK 0
#define SW_TASK_CLOCK 1
#define SW_PAGE_FAULTS 2
#define SW_CONTEXT_SWITCHES 3
#define SW_CPU_MIGRATIONS 4
#define SW_PAGE_FAULTS_MIN 5
#define SW_PAGE_FAULTS_MAJ 6
#define FMT_ENABLED 1
#define FMT_RUNNING 2
#define FMT_ID 4
#define FMT_GROUP 8
#define F_DISABLED (1ull << 0)
#define F_INHERIT (1ull << 1)
#define F_PINNED (1ull << 2)
#define F_INHERIT_THREAD (1ull << 35)
#define IOC_ENABLE _IO('$', 0)
#define IOC_DISABLE _IO('$', 1)
#define IOC_REFRESH _IO('$', 2)
#define IOC_RESET _IO('$', 3)
#define IOC_PERIOD _IOW('$', 4, uint64_t)
#define IOC_ID _IOR('$', 7, uint64_t *)
#define IOC_FLAG_GROUP 1
#define FLAG_FD_CLOEXEC 8

static struct attr sw(uint64_t config, uint64_t format)
{
    return (struct attr){.type = TYPE_SOFTWARE, .size = sizeof(struct attr), .config = config,
                         .read_format = format, .flags = F_DISABLED};
}

static int open_event(struct attr *a, int pid, int cpu, int group, unsigned long flags)
{
    return (int)syscall(__NR_perf_event_open, a, pid, cpu, group, flags);
}

static int opened(uint64_t config, uint64_t format, int group)
{
    struct attr a = sw(config, format);
    return open_event(&a, 0, -1, group, FLAG_FD_CLOEXEC);
}

static long thread_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* Spends ms of this thread's CPU time. */
static void spin(long ms)
{
    long end = thread_ns() + ms * 1000000L;
    while (thread_ns() < end)
        ;
}

static uint64_t value(int fd)
{
    uint64_t v = 0;
    if (read(fd, &v, sizeof v) != sizeof v)
        printf("read: %s\n", strerror(errno));
    return v;
}

static void errors(void)
{
    struct attr a = sw(SW_TASK_CLOCK, 0);
    a.type = TYPE_HARDWARE;
    CHECK(open_event(&a, 0, -1, -1, 0));
    a.type = TYPE_HW_CACHE;
    CHECK(open_event(&a, 0, -1, -1, 0));
    a.type = 1000;
    CHECK(open_event(&a, 0, -1, -1, 0));
    a = sw(1000, 0);
    CHECK(open_event(&a, 0, -1, -1, 0));
    a = sw(SW_TASK_CLOCK, 0);
    CHECK(open_event(&a, -1, -1, -1, 0));
    CHECK(open_event(&a, 0, 1 << 20, -1, 0));
    CHECK(open_event(&a, 0, -1, -1, 1 << 10));
    CHECK(open_event(&a, 0x7ffffff0, -1, -1, 0));
    CHECK(open_event(&a, 0, -1, 0, 0)); /* not an event */
    CHECK(open_event(&a, 0, -1, 999, 0));
    CHECK(open_event((struct attr *)8, 0, -1, -1, 0));
    a.size = 10;
    CHECK(open_event(&a, 0, -1, -1, 0));
    printf("size written back: %d\n", a.size != 10);
    a = sw(SW_TASK_CLOCK, 1 << 10);
    CHECK(open_event(&a, 0, -1, -1, 0));
    a = sw(SW_TASK_CLOCK, 0);
    a.flags |= F_INHERIT_THREAD;
    CHECK(open_event(&a, 0, -1, -1, 0));
}

static void clocks(void)
{
    int fd = opened(SW_TASK_CLOCK, FMT_ENABLED | FMT_RUNNING, -1);
    uint64_t w[3] = {1, 1, 1};
    CHECK(read(fd, w, sizeof w));
    printf("disabled: %d %d %d\n", w[0] == 0, w[1] == 0, w[2] == 0);
    CHECK(read(fd, w, 16));
    spin(20);
    CHECK(ioctl(fd, IOC_ENABLE, 0));
    spin(150);
    CHECK(ioctl(fd, IOC_DISABLE, 0));
    CHECK(read(fd, w, sizeof w));
    printf("task clock over 100 ms: %d, enabled %d, running equal %d\n", w[0] > 100000000, w[1] > 100000000,
           w[1] == w[2]);
    uint64_t first = w[0];
    spin(30);
    CHECK(read(fd, w, sizeof w));
    printf("unchanged while disabled: %d\n", w[0] == first);
    CHECK(ioctl(fd, IOC_RESET, 0));
    CHECK(read(fd, w, sizeof w));
    printf("reset: %d, times kept %d\n", w[0] == 0, w[1] > 100000000);
    close(fd);
    struct attr a = sw(SW_CPU_CLOCK, 0);
    a.flags = 0; /* counting from the start */
    fd = open_event(&a, getpid(), 0, -1, 0); /* counts only while on CPU 0: not compared */
    printf("cpu clock on cpu 0: %d\n", fd >= 0);
    close(fd);
    fd = open_event(&a, getpid(), -1, -1, 0);
    spin(150);
    printf("cpu clock over 100 ms: %d\n", value(fd) > 100000000);
    close(fd);
    a = sw(SW_CPU_CLOCK, FMT_ENABLED);
    a.flags = 0;
    fd = open_event(&a, -1, 0, -1, 0); /* CPU 0's, every task's: its clock runs all the while */
    printf("CPU-wide: %d\n", fd >= 0);
    usleep(100000);
    uint64_t w2[2] = {0, 0};
    CHECK(read(fd, w2, sizeof w2));
    printf("CPU-wide clock over 50 ms: %d, enabled %d\n", w2[0] > 50000000, w2[1] > 50000000);
    close(fd);
}

static void software(void)
{
    int faults = opened(SW_PAGE_FAULTS, 0, -1), minor = opened(SW_PAGE_FAULTS_MIN, 0, -1);
    int major = opened(SW_PAGE_FAULTS_MAJ, 0, -1), cs = opened(SW_CONTEXT_SWITCHES, 0, -1);
    int mig = opened(SW_CPU_MIGRATIONS, 0, -1);
    char *m = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(ioctl(faults, IOC_ENABLE, 0));
    CHECK(ioctl(minor, IOC_ENABLE, 0));
    CHECK(ioctl(major, IOC_ENABLE, 0));
    for (int i = 0; i < 64; i++)
        m[i * 4096] = 1;
    CHECK(ioctl(faults, IOC_DISABLE, 0));
    CHECK(ioctl(minor, IOC_DISABLE, 0));
    CHECK(ioctl(major, IOC_DISABLE, 0));
    printf("faults >= 64: %d, minor >= 64: %d, major: %lu\n", value(faults) >= 64, value(minor) >= 64,
           (unsigned long)value(major));
    CHECK(ioctl(cs, IOC_ENABLE, 0));
    CHECK(ioctl(mig, IOC_ENABLE, 0));
    for (int i = 0; i < 10; i++)
        usleep(2000);
    CHECK(ioctl(cs, IOC_DISABLE, 0));
    printf("context switches >= 5: %d\n", value(cs) >= 5);
    uint64_t v;
    CHECK(read(mig, &v, sizeof v));
    close(faults), close(minor), close(major), close(cs), close(mig);
}

static void group(void)
{
    uint64_t fmt = FMT_GROUP | FMT_ID | FMT_ENABLED | FMT_RUNNING;
    int leader = opened(SW_TASK_CLOCK, fmt, -1);
    struct attr a = sw(SW_PAGE_FAULTS, fmt);
    a.flags = 0; /* counts as soon as its leader does */
    int faults = open_event(&a, 0, -1, leader, 0);
    int cs = opened(SW_CONTEXT_SWITCHES, fmt, leader);
    printf("members: %d %d\n", faults >= 0, cs >= 0);
    CHECK(open_event(&a, 0, -1, faults, 0)); /* a member is no leader */
    a.flags = F_PINNED;
    CHECK(open_event(&a, 0, -1, leader, 0));
    a.flags = F_INHERIT;
    CHECK(open_event(&a, 0, -1, leader, 0));
    uint64_t ids[3];
    CHECK(ioctl(leader, IOC_ID, &ids[0]));
    CHECK(ioctl(faults, IOC_ID, &ids[1]));
    CHECK(ioctl(cs, IOC_ID, &ids[2]));
    CHECK(ioctl(leader, IOC_ID, (void *)8));
    CHECK(ioctl(leader, IOC_ENABLE, IOC_FLAG_GROUP));
    char *m = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 16; i++)
        m[i * 4096] = 1;
    for (int i = 0; i < 5; i++)
        usleep(2000);
    spin(120);
    CHECK(ioctl(leader, IOC_DISABLE, IOC_FLAG_GROUP));
    uint64_t w[9];
    CHECK(read(leader, w, sizeof w - 8)); /* too small */
    CHECK(read(leader, w, sizeof w));
    printf("nr %lu, enabled %d, running equal %d\n", (unsigned long)w[0], w[1] > 100000000, w[1] == w[2]);
    printf("clock %d id %d; faults %d id %d; switches %d id %d\n", w[3] > 100000000, w[4] == ids[0], w[5] >= 16,
           w[6] == ids[1], w[7] >= 1, w[8] == ids[2]);
    printf("ids differ: %d\n", ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);
    CHECK(read(cs, w, sizeof w)); /* a member's read is its group's */
    printf("nr %lu, first id the leader's %d\n", (unsigned long)w[0], w[4] == ids[0]);
    close(faults), close(cs), close(leader);
}

/* A child's counters, opened by its parent before it execs: with
 * enable_on_exec they count its new image alone, and what it counted is
 * there after it ends. */
static void child(const char *self)
{
    int go[2];
    pipe(go);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        read(go[0], &c, 1);
        spin(800); /* not counted */
        execl(self, self, "spin", (char *)NULL);
        _exit(127);
    }
    struct attr a = sw(SW_TASK_CLOCK, 0);
    a.flags |= 1ull << 12; /* enable_on_exec */
    int fd = open_event(&a, pid, -1, -1, FLAG_FD_CLOEXEC);
    printf("on the child: %d\n", fd >= 0);
    CHECK(value(fd));
    write(go[1], "x", 1);
    int st;
    waitpid(pid, &st, 0);
    uint64_t v = value(fd);
    printf("child exited %d; its image counted: over 30 ms %d, under 600 ms %d\n", WEXITSTATUS(st), v > 30000000,
           v < 600000000);
    close(fd), close(go[0]), close(go[1]);
}

static void ioctls(void)
{
    int fd = opened(SW_TASK_CLOCK, 0, -1);
    uint64_t period = 1000;
    CHECK(ioctl(fd, IOC_REFRESH, 1));
    CHECK(ioctl(fd, IOC_PERIOD, &period));
    CHECK(ioctl(fd, IOC_PERIOD, (void *)8));
    CHECK(ioctl(fd, _IO('$', 0x70), 0));
    CHECK(write(fd, "x", 1));
    CHECK(lseek(fd, 0, SEEK_SET));
    CHECK(fcntl(fd, F_GETFD));
    printf("access mode: %d\n", fcntl(fd, F_GETFL) & O_ACCMODE);
    char link[64] = "", path[32];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    CHECK(readlink(path, link, sizeof link - 1));
    printf("%s\n", link);
    close(fd);
}

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) { /* the child's new image */
        spin(60);
        return 3;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    int fd = opened(SW_TASK_CLOCK, 0, -1);
    if (fd < 0) {
        printf("perf_event_open: %s\n", strerror(errno));
        return 0;
    }
    close(fd);
    errors();
    clocks();
    software();
    group();
    ioctls();
    child("/proc/self/exe");
    return 0;
}
