/*
 * tests/linux/c/timens.c - time namespaces: unshare(CLONE_NEWTIME) makes
 * one for the caller's children (the caller stays in its own), whose
 * offsets /proc/self/timens_offsets sets (its text, its errors: EINVAL,
 * ERANGE, EPERM without CAP_SYS_TIME, EACCES once a process has entered
 * it or for the initial one); a child forked then sees CLOCK_MONOTONIC
 * and CLOCK_BOOTTIME (through the vDSO and the system call) moved by
 * them, and sysinfo's and /proc/uptime's uptime, /proc/self/stat's start
 * time, and /proc/stat's btime earlier by it, but not the wall clock;
 * absolute sleeps and timers (clock_nanosleep, timerfd, POSIX timers)
 * are times of the namespace, and so after an execve; clone3(CLONE_NEWTIME);
 * setns into one (and out), EUSERS with a second thread, and the nsfs
 * ioctls of a time namespace.  Run as root; the output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x80
#endif
/* linux/nsfs.h's, linux/capability.h's and linux/sched.h's, which musl's
 * headers do not give */
#define NS_GET_USERNS 0xb701
#define NS_GET_PARENT 0xb702
#define NS_GET_NSTYPE 0xb703
#define NS_GET_OWNER_UID 0xb704
#define CAP_SYS_TIME 25
struct cap_header {
    unsigned version;
    int pid;
};
struct cap_data {
    unsigned effective, permitted, inheritable;
};
struct clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};
#define MONO_OFF 100000 /* s */
#define BOOT_OFF 200000

static const char *err_name(int e)
{
    return e == EUSERS ? "EUSERS" : e == ERANGE ? "ERANGE" : e == ESPIPE ? "ESPIPE" : errno_name(e);
}

static void show(const char *what, long r)
{
    printf("%-48s %ld %s\n", what, r, r < 0 ? err_name(errno) : "");
}

static void show_text(const char *path)
{
    char buf[256];
    if (read_text(path, buf, sizeof buf) < 0)
        printf("%s: %s\n", path, errno_name(errno));
    else
        printf("%s:\n%s", path, buf);
}

/* A write of text to timens_offsets: the bytes taken or the error. */
static void offsets(const char *label, const char *text)
{
    int opened;
    long r = write_text("/proc/self/timens_offsets", text, &opened);
    printf("write %-42s %ld %s\n", label, r, r < 0 ? err_name(errno) : "");
}

static double now_of(clockid_t c, int via_syscall)
{
    struct timespec ts;
    if (via_syscall)
        syscall(SYS_clock_gettime, c, &ts);
    else
        clock_gettime(c, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Whether /proc/self/ns/a and b are links to one namespace. */
static const char *same(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) < 0 || stat(b, &sb) < 0)
        return "?";
    return sa.st_ino == sb.st_ino ? "same" : "different";
}

/* The field'th field of /proc/self/stat (22: the start time); /proc/stat's btime. */
static long long stat_field(int field)
{
    char buf[1024];
    if (read_text("/proc/self/stat", buf, sizeof buf) < 0)
        return -1;
    char *s = strrchr(buf, ')');
    for (int i = 2; s && i < field; i++)
        s = strchr(s + 1, ' ');
    return s ? atoll(s + 1) : -1;
}

static long long btime(void)
{
    char buf[8192];
    read_text("/proc/stat", buf, sizeof buf);
    char *s = strstr(buf, "btime ");
    return s ? atoll(s + 6) : -1;
}

static double proc_uptime(void)
{
    char buf[128];
    read_text("/proc/uptime", buf, sizeof buf);
    return atof(buf);
}

static const char *near(double got, double want) { return got > want - 2 && got < want + 2 ? "near" : "far"; }

/* What a process in the namespace sees, against the parent's readings. */
static void inside(double mono, double boot, double real, double up, long long bt)
{
    printf("child: time and time_for_children: %s\n", same("/proc/self/ns/time", "/proc/self/ns/time_for_children"));
    printf("child: MONOTONIC (vDSO) %s\n", near(now_of(CLOCK_MONOTONIC, 0) - mono, MONO_OFF));
    printf("child: MONOTONIC (call) %s\n", near(now_of(CLOCK_MONOTONIC, 1) - mono, MONO_OFF));
    printf("child: MONOTONIC_RAW %s\n", near(now_of(CLOCK_MONOTONIC_RAW, 0) - mono, MONO_OFF));
    printf("child: MONOTONIC_COARSE %s\n", near(now_of(CLOCK_MONOTONIC_COARSE, 1) - mono, MONO_OFF));
    printf("child: BOOTTIME (vDSO) %s\n", near(now_of(CLOCK_BOOTTIME, 0) - boot, BOOT_OFF));
    printf("child: BOOTTIME (call) %s\n", near(now_of(CLOCK_BOOTTIME, 1) - boot, BOOT_OFF));
    printf("child: REALTIME %s\n", near(now_of(CLOCK_REALTIME, 0) - real, 0));
    struct sysinfo si;
    sysinfo(&si);
    printf("child: sysinfo uptime %s\n", near((double)si.uptime - up, BOOT_OFF));
    printf("child: /proc/uptime %s\n", near(proc_uptime() - up, BOOT_OFF));
    long hz = sysconf(_SC_CLK_TCK);
    printf("child: its start time in its stat %s\n", near((double)stat_field(22) / hz - now_of(CLOCK_BOOTTIME, 1), 0));
    printf("child: btime earlier by the boot offset %s\n", near((double)(bt - btime()), BOOT_OFF));
    show_text("/proc/self/timens_offsets");
    offsets("(entered) monotonic 1 0", "monotonic 1 0");

    /* absolute sleeps and timers are the namespace's times */
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    t = t0;
    t.tv_nsec += 100000000;
    if (t.tv_nsec >= 1000000000)
        t.tv_sec++, t.tv_nsec -= 1000000000;
    show("clock_nanosleep(MONOTONIC, ABSTIME, +0.1s)", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL));
    double slept = now_of(CLOCK_MONOTONIC, 0) - (t0.tv_sec + t0.tv_nsec / 1e9);
    printf("child: slept %s\n", slept >= 0.09 && slept < 5 ? "0.1s" : "wrongly");
    struct timespec past = {(time_t)mono, 0}; /* the parent's time: long past here */
    show("clock_nanosleep(MONOTONIC, ABSTIME, parent's)", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
    struct timespec bt0;
    clock_gettime(CLOCK_BOOTTIME, &bt0);
    bt0.tv_sec += 1;
    show("clock_nanosleep(BOOTTIME, ABSTIME, +1s)", clock_nanosleep(CLOCK_BOOTTIME, TIMER_ABSTIME, &bt0, NULL));
    printf("child: BOOTTIME reached %s\n", now_of(CLOCK_BOOTTIME, 0) >= bt0.tv_sec + bt0.tv_nsec / 1e9 ? "yes" : "no");

    int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {{0, 0}, t};
    clock_gettime(CLOCK_MONOTONIC, &t);
    its.it_value = t;
    its.it_value.tv_sec += 2;
    show("timerfd_settime(ABSTIME, +2s)", timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL));
    struct itimerspec cur;
    show("timerfd_gettime", timerfd_gettime(tfd, &cur));
    printf("child: timerfd left %s\n", cur.it_value.tv_sec <= 2 && cur.it_value.tv_sec >= 1 ? "about 2s" : "wrong");
    its.it_value = past;
    show("timerfd_settime(ABSTIME, parent's)", timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL));
    uint64_t ticks = 0;
    show("read(timerfd)", read(tfd, &ticks, sizeof ticks));
    printf("child: ticks %llu\n", (unsigned long long)ticks);

    timer_t tid;
    struct sigevent sev = {.sigev_notify = SIGEV_NONE};
    show("timer_create(MONOTONIC)", timer_create(CLOCK_MONOTONIC, &sev, &tid));
    clock_gettime(CLOCK_MONOTONIC, &t);
    its.it_value = t;
    its.it_value.tv_sec += 3;
    show("timer_settime(ABSTIME, +3s)", timer_settime(tid, TIMER_ABSTIME, &its, NULL));
    timer_gettime(tid, &cur);
    printf("child: timer left %s\n", cur.it_value.tv_sec <= 3 && cur.it_value.tv_sec >= 2 ? "about 3s" : "wrong");
}

static void *idle_thread(void *arg)
{
    (void)arg;
    pause();
    return NULL;
}

static pid_t clone3_newtime(void)
{
    struct clone_args a = {.flags = CLONE_NEWTIME, .exit_signal = SIGCHLD};
    return (pid_t)syscall(SYS_clone3, &a, sizeof a);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 3) { /* a child's execve, in the namespace: its new image's vDSO too */
        double mono = atof(argv[2]);
        printf("after execve: MONOTONIC (vDSO) %s\n", near(now_of(CLOCK_MONOTONIC, 0) - mono, MONO_OFF));
        printf("after execve: MONOTONIC (call) %s\n", near(now_of(CLOCK_MONOTONIC, 1) - mono, MONO_OFF));
        return 0;
    }
    double booted = now_of(CLOCK_BOOTTIME, 1);
    if (booted < 10) /* the offsets' range checks below want a clock past 10 s */
        usleep((useconds_t)((10 - booted) * 1e6));
    int initial = open("/proc/self/ns/time", O_RDONLY);
    show_text("/proc/self/timens_offsets");
    offsets("(initial) monotonic 1 0", "monotonic 1 0");
    offsets("(initial) bad clock", "realtime 1 0");
    printf("time and time_for_children: %s\n", same("/proc/self/ns/time", "/proc/self/ns/time_for_children"));

    /* unprivileged: no new namespace */
    pid_t pid = fork();
    if (pid == 0) {
        setuid(65534);
        show("uid 65534: unshare(CLONE_NEWTIME)", unshare(CLONE_NEWTIME));
        show("uid 65534: clone3(CLONE_NEWTIME)", clone3_newtime());
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    /* CAP_SYS_TIME is needed (in a child's namespace: a child forked
     * after this process's unshare would enter that one, freezing it) */
    pid = fork();
    if (pid == 0) {
        struct cap_header h = {0x20080522, 0};
        unshare(CLONE_NEWTIME);
        struct cap_data d[2];
        syscall(SYS_capget, &h, d);
        d[0].effective &= ~(1u << CAP_SYS_TIME);
        syscall(SYS_capset, &h, d);
        offsets("(no CAP_SYS_TIME) monotonic 1 0", "monotonic 1 0");
        offsets("(no CAP_SYS_TIME) bad text", "monotonic x 0");
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    show("unshare(CLONE_NEWTIME)", unshare(CLONE_NEWTIME));
    printf("time and time_for_children: %s\n", same("/proc/self/ns/time", "/proc/self/ns/time_for_children"));
    show_text("/proc/self/timens_offsets");
    offsets("ns 1000000000", "monotonic 0 1000000000");
    offsets("negative ns", "monotonic 1 -1");
    offsets("realtime", "realtime 1 0");
    offsets("clock 2", "2 1 0");
    offsets("no ns", "monotonic 1");
    offsets("empty line", "monotonic 1 0\n\n");
    offsets("seconds too many", "monotonic 9223372037 0");
    offsets("seconds too few", "monotonic -9223372037 0");
    offsets("before boot", "boottime -1000000000 0");
    offsets("past KTIME_SEC_MAX/2", "boottime 4611686019 0");
    offsets("three lines", "monotonic 1 0\nboottime 2 0\nmonotonic 3 0\n");
    show_text("/proc/self/timens_offsets");
    offsets("by number", "1 5 100\n7 -3 5");
    show_text("/proc/self/timens_offsets");
    offsets("spaces", "  monotonic   7   8  \n");
    show_text("/proc/self/timens_offsets");
    int fd = open("/proc/self/timens_offsets", O_WRONLY);
    show("lseek 1", lseek(fd, 1, SEEK_SET));
    show("write at 1", write(fd, "monotonic 1 0", 13));
    close(fd);


    char text[64];
    snprintf(text, sizeof text, "monotonic %d 0\nboottime %d 0\n", MONO_OFF, BOOT_OFF);
    offsets("the offsets", text);
    show_text("/proc/self/timens_offsets");

    double mono = now_of(CLOCK_MONOTONIC, 0), boot = now_of(CLOCK_BOOTTIME, 0), real = now_of(CLOCK_REALTIME, 0);
    struct sysinfo si;
    sysinfo(&si);
    double up = (double)si.uptime;
    long long bt = btime();
    pid = fork();
    if (pid == 0) {
        inside(mono, boot, real, up, bt);
        char arg[64];
        snprintf(arg, sizeof arg, "%.6f", mono);
        execl("/proc/self/exe", "timens", "exec", arg, (char *)NULL);
        _exit(1);
    }
    waitpid(pid, NULL, 0);
    offsets("(entered by a child) monotonic 1 0", "monotonic 1 0");
    printf("parent: MONOTONIC unmoved %s\n", near(now_of(CLOCK_MONOTONIC, 0) - mono, 0));

    /* clone3(CLONE_NEWTIME): a new one, a copy of the children's */
    pid = clone3_newtime();
    if (pid == 0) {
        printf("clone3 child: MONOTONIC %s\n", near(now_of(CLOCK_MONOTONIC, 0) - mono, MONO_OFF));
        printf("clone3 child: time ns and its children's: %s\n",
               same("/proc/self/ns/time", "/proc/self/ns/time_for_children"));
        show_text("/proc/self/timens_offsets");
        offsets("(clone3 child) monotonic 1 0", "monotonic 1 0");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    show("clone3(CLONE_NEWTIME)", pid > 0 ? 0 : pid);

    /* the nsfs file's ioctls */
    int tns = open("/proc/self/ns/time_for_children", O_RDONLY);
    show("NS_GET_NSTYPE", ioctl(tns, NS_GET_NSTYPE));
    show("NS_GET_PARENT", ioctl(tns, NS_GET_PARENT));
    int e;
    show("NS_GET_OWNER_UID", ioctl(tns, NS_GET_OWNER_UID, &e));
    int u = ioctl(tns, NS_GET_USERNS);
    show("NS_GET_USERNS", u >= 0 ? 0 : u);

    /* setns: into it, the caller's own time too; and back */
    show("setns(time_for_children, CLONE_NEWUTS)", setns(tns, CLONE_NEWUTS));
    show("setns(time_for_children, CLONE_NEWTIME)", setns(tns, CLONE_NEWTIME));
    printf("time and time_for_children: %s\n", same("/proc/self/ns/time", "/proc/self/ns/time_for_children"));
    printf("after setns: MONOTONIC %s\n", near(now_of(CLOCK_MONOTONIC, 0) - mono, MONO_OFF));
    printf("after setns: BOOTTIME (call) %s\n", near(now_of(CLOCK_BOOTTIME, 1) - boot, BOOT_OFF));
    show("setns(initial, 0)", setns(initial, 0));
    printf("back: MONOTONIC %s\n", near(now_of(CLOCK_MONOTONIC, 0) - mono, 0));
    show_text("/proc/self/timens_offsets");

    /* an ended process is in no time namespace */
    pid = fork();
    if (pid == 0)
        _exit(0);
    siginfo_t si0;
    waitid(P_PID, (id_t)pid, &si0, WEXITED | WNOWAIT);
    char path[64], buf[128];
    snprintf(path, sizeof path, "/proc/%d/timens_offsets", (int)pid);
    long n = read_text(path, buf, sizeof buf);
    printf("zombie's timens_offsets: %ld bytes\n", n);
    int zfd = open(path, O_WRONLY);
    show("write to a zombie's", write(zfd, "monotonic 1 0", 13));
    close(zfd);
    waitpid(pid, NULL, 0);

    /* with a second thread, no setns into a time namespace */
    pthread_t th;
    e = pthread_create(&th, NULL, idle_thread, NULL);
    printf("pthread_create: %s\n", e ? "fails" : "made");
    show("setns(time ns, CLONE_NEWTIME) with a thread", setns(tns, CLONE_NEWTIME));
    show("unshare(CLONE_NEWTIME) with a thread", unshare(CLONE_NEWTIME));
    return 0;
}
