/*
 * tests/linux/c/procglobals.c - the global files of /proc and the
 * settings of /proc/sys that the Linux Test Project's library and
 * Debian's tools read, checked for their presence, their modes, their
 * form and the relations between them (values differ between machines,
 * so none is printed that is not the same everywhere): meminfo's fields
 * (CommitLimit from overcommit_ratio, no huge pages), the settings'
 * numbers, file-nr's third number file-max, /proc/devices' mem and loop,
 * slabinfo and kmsg root's alone, kernel/pty/nr counting an open
 * /dev/ptmx, and kernel/dmesg_restrict's say over a reader who is not
 * root.  Run as root.  "procglobals persona-only" writes the machine's
 * settings (their bounds, the pairs where one write zeroes the other,
 * huge pages that never come, pty/max, mount-max, dmesg_restrict 0,
 * dir-notify-enable 0, fanotify's max_user_groups) and puts them back,
 * on Persona alone: tests/linux/c/procglobals.persona-only.expected is
 * Linux 6.1's answer.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdlib.h>
#include <sys/fanotify.h>
#include <sys/klog.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char buf[65536];

/* meminfo's value for name (its number), -1 when missing. */
static long field(const char *text, const char *name)
{
    size_t k = strlen(name);
    for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
        if (!strncmp(l, name, k) && l[k] == ':')
            return strtol(l + k + 1, NULL, 10);
    return -1;
}

/* Whether every line of meminfo is "Name:", blanks, a number, and " kB"
 * or nothing. */
static int meminfo_form(const char *text)
{
    for (const char *l = text; *l;) {
        const char *colon = strchr(l, ':'), *end = strchr(l, '\n');
        if (!colon || !end || colon > end)
            return 0;
        char *after;
        const char *p = colon + 1;
        while (*p == ' ')
            p++;
        strtoul(p, &after, 10);
        if (after == p || (*after != '\n' && strncmp(after, " kB\n", 4)))
            return 0;
        l = end + 1;
    }
    return 1;
}

static long number(const char *path)
{
    char t[256];
    return read_text(path, t, sizeof t) < 0 ? -1 : strtol(t, NULL, 10);
}

/* How many numbers path holds, and whether that is all it holds. */
static void numbers(const char *path)
{
    char t[256], *p = t, *end;
    int n = 0;
    if (read_text(path, t, sizeof t) < 0) {
        printf("%s: %s\n", path, errno_name(errno));
        return;
    }
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\n' || !*p)
            break;
        strtol(p, &end, 10);
        if (end == p)
            break;
        n++, p = end;
    }
    printf("%s: %d number%s%s\n", path + 10, n, n == 1 ? "" : "s", strcmp(p, "\n") ? ", then text" : "");
}

static void mode(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        printf("%s: %s\n", path, errno_name(errno));
    else
        printf("%s: %04o\n", path, st.st_mode & 07777);
}

void persona_only(void);

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "persona-only")) {
        persona_only();
        return 0;
    }
    CHECK(read_text("/proc/meminfo", buf, sizeof buf) > 0);
    printf("meminfo's lines well formed: %s\n", meminfo_form(buf) ? "yes" : "no");
    static const char *const need[] = {"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached",
                                       "Active", "Inactive", "Active(anon)", "Inactive(anon)", "Active(file)",
                                       "Inactive(file)", "Unevictable", "Mlocked", "SwapTotal", "SwapFree",
                                       "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem", "KReclaimable",
                                       "Slab", "SReclaimable", "SUnreclaim", "KernelStack", "PageTables",
                                       "CommitLimit", "Committed_AS", "VmallocTotal", "VmallocUsed",
                                       "VmallocChunk", "HugePages_Total", "HugePages_Free", "HugePages_Rsvd",
                                       "HugePages_Surp", "Hugepagesize", "Hugetlb", "DirectMap4k"};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (field(buf, need[i]) < 0)
            printf("meminfo: no %s\n", need[i]);
    long total = field(buf, "MemTotal"), swap = field(buf, "SwapTotal"), limit = field(buf, "CommitLimit");
    long ratio = number("/proc/sys/vm/overcommit_ratio"), kbytes = number("/proc/sys/vm/overcommit_kbytes");
    long want = kbytes ? kbytes + swap : swap + total / 4 * ratio / 100 * 4;
    printf("CommitLimit is swap + MemTotal * overcommit_ratio / 100: %s\n",
           labs(limit - want) <= 8 ? "yes" : "no");
    printf("Hugepagesize: %ld; MemFree <= MemTotal: %s\n", field(buf, "Hugepagesize"),
           field(buf, "MemFree") <= total ? "yes" : "no");

    static const char *const settings[] = {
        "vm/min_free_kbytes", "vm/swappiness", "vm/dirty_ratio", "vm/dirty_background_ratio", "vm/dirty_bytes",
        "vm/dirty_background_bytes", "vm/dirty_expire_centisecs", "vm/dirty_writeback_centisecs",
        "vm/panic_on_oom", "vm/oom_kill_allocating_task", "vm/oom_dump_tasks", "vm/nr_hugepages",
        "vm/nr_overcommit_hugepages", "vm/overcommit_kbytes", "vm/overcommit_ratio", "vm/user_reserve_kbytes",
        "vm/admin_reserve_kbytes", "vm/legacy_va_layout", "vm/mmap_rnd_bits", "vm/page-cluster",
        "vm/stat_interval", "vm/laptop_mode", "vm/zone_reclaim_mode", "kernel/overflowuid",
        "kernel/overflowgid", "kernel/panic", "kernel/panic_on_oops", "kernel/print-fatal-signals",
        "kernel/kptr_restrict", "kernel/dmesg_restrict", "kernel/ctrl-alt-del", "kernel/cad_pid",
        "kernel/core_pipe_limit", "kernel/sysctl_writes_strict", "kernel/perf_event_max_sample_rate",
        "kernel/perf_event_mlock_kb", "kernel/max_lock_depth", "kernel/pty/max", "kernel/pty/reserve",
        "kernel/pty/nr", "kernel/acct", "kernel/sched_autogroup_enabled", "kernel/numa_balancing",
        "kernel/tainted", "fs/file-nr", "fs/inode-nr", "fs/inode-state", "fs/dentry-state", "fs/overflowuid",
        "fs/overflowgid", "fs/suid_dumpable", "fs/epoll/max_user_watches", "fs/fanotify/max_user_groups",
        "fs/fanotify/max_user_marks", "fs/fanotify/max_queued_events", "fs/mount-max", "fs/dir-notify-enable"};
    char path[128];
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        snprintf(path, sizeof path, "/proc/sys/%s", settings[i]);
        numbers(path);
    }
    mode("/proc/sys/kernel/pty/nr");
    mode("/proc/sys/fs/file-nr");
    mode("/proc/sys/kernel/dmesg_restrict");

    char t[256];
    unsigned long open_files, zero, max;
    read_text("/proc/sys/fs/file-nr", t, sizeof t);
    int got = sscanf(t, "%lu %lu %lu", &open_files, &zero, &max);
    printf("file-nr: %d numbers, the second 0: %s, the third file-max: %s, some open: %s\n", got,
           zero == 0 ? "yes" : "no", (long)max == number("/proc/sys/fs/file-max") ? "yes" : "no",
           open_files > 0 ? "yes" : "no");

    static const char *const globals[] = {"meminfo", "vmstat", "devices", "partitions", "diskstats", "consoles",
                                          "execdomains", "misc", "interrupts", "softirqs", "cgroups",
                                          "buddyinfo", "zoneinfo", "slabinfo", "kmsg"};
    for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++) {
        snprintf(path, sizeof path, "/proc/%s", globals[i]);
        mode(path);
    }
    read_text("/proc/devices", buf, sizeof buf);
    printf("devices: mem 1: %s, pts 136: %s, block loop 7: %s\n", strstr(buf, "Character devices:\n  1 mem\n") ? "yes" : "no",
           strstr(buf, "\n136 pts\n") ? "yes" : "no", strstr(buf, "Block devices:\n") && strstr(buf, "  7 loop\n") ? "yes" : "no");
    read_text("/proc/vmstat", buf, sizeof buf);
    printf("vmstat starts with nr_free_pages: %s; has pgfault: %s\n", !strncmp(buf, "nr_free_pages ", 14) ? "yes" : "no",
           strstr(buf, "\npgfault ") ? "yes" : "no");
    read_text("/proc/partitions", buf, sizeof buf);
    printf("partitions' header: %s\n", !strncmp(buf, "major minor  #blocks  name\n\n", 28) ? "yes" : "no");
    read_text("/proc/execdomains", buf, sizeof buf);
    printf("execdomains: %s", buf);

    int m = open("/dev/ptmx", O_RDWR | O_NOCTTY); /* others' may come and go meanwhile: at least ours */
    long during = number("/proc/sys/kernel/pty/nr");
    close(m);
    printf("an open /dev/ptmx counts in pty/nr: %s\n", m >= 0 && during >= 1 ? "yes" : "no");

    /* A reader who is not root: syslog's READ_ALL and SIZE_BUFFER as
     * dmesg_restrict says; the others always EPERM. */
    long restrict_ = number("/proc/sys/kernel/dmesg_restrict");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(1);
        int r = klogctl(10, NULL, 0); /* SYSLOG_ACTION_SIZE_BUFFER */
        int e = errno;
        printf("nobody's SIZE_BUFFER as dmesg_restrict says: %s\n", (restrict_ ? r < 0 && e == EPERM : r > 0) ? "yes" : "no");
        r = klogctl(9, NULL, 0); /* SYSLOG_ACTION_SIZE_UNREAD */
        printf("nobody's SIZE_UNREAD: %s\n", r < 0 ? errno_name(errno) : "taken");
        int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
        printf("nobody's /dev/kmsg as dmesg_restrict says: %s\n", (restrict_ ? fd < 0 && errno == EPERM : fd >= 0) ? "yes" : "no");
        fd = open("/proc/sys/kernel/dmesg_restrict", O_WRONLY);
        printf("nobody writes dmesg_restrict: %s\n", fd < 0 ? errno_name(errno) : "opened");
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    return 0;
}

/* ---- the machine's settings (persona-only) ---- */

static void wr(const char *name, const char *text)
{
    char path[128];
    int opened;
    snprintf(path, sizeof path, "/proc/sys/%s", name);
    long n = write_text(path, text, &opened);
    if (n < 0)
        printf("write %s \"%s\": %s%s\n", name, text, opened ? "" : "open ", errno_name(errno));
    else
        printf("write %s \"%s\": %ld\n", name, text, n);
}

static void rd(const char *name)
{
    char path[128], t[256];
    snprintf(path, sizeof path, "/proc/sys/%s", name);
    if (read_text(path, t, sizeof t) < 0)
        printf("read %s: %s\n", name, errno_name(errno));
    else
        printf("read %s: %s", name, t);
}

static void bounds(void)
{
    static const char *const bad[][2] = {
        {"vm/swappiness", "201"}, {"vm/swappiness", "-1"}, {"vm/panic_on_oom", "3"}, {"vm/mmap_rnd_bits", "27"},
        {"vm/mmap_rnd_bits", "33"}, {"vm/dirty_bytes", "4096"},
        {"vm/dirty_background_bytes", "0"}, {"vm/dirty_ratio", "101"}, {"vm/legacy_va_layout", "-1"},
        {"kernel/overflowuid", "65536"}, {"kernel/overflowgid", "-1"}, {"fs/overflowuid", "70000"},
        {"fs/suid_dumpable", "3"}, {"fs/mount-max", "0"}, {"kernel/pty/max", "-1"},
        {"kernel/sysctl_writes_strict", "2"}, {"kernel/dmesg_restrict", "2"}, {"kernel/kptr_restrict", "3"},
        {"kernel/cad_pid", "99999"}, {"kernel/sched_autogroup_enabled", "2"},
        {"fs/fanotify/max_user_groups", "-1"}, {"kernel/perf_event_max_sample_rate", "0"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        wr(bad[i][0], bad[i][1]);
    wr("vm/swappiness", "100");
    rd("vm/swappiness");
    wr("vm/swappiness", "60");
    wr("kernel/acct", "6 3 20");
    rd("kernel/acct");
    wr("kernel/acct", "4 2 30");
}

static void commit_limit(const char *when)
{
    read_text("/proc/meminfo", buf, sizeof buf);
    printf("%s: CommitLimit %ld kB\n", when, field(buf, "CommitLimit"));
}

/* overcommit_kbytes and overcommit_ratio, dirty_bytes and dirty_ratio:
 * one write zeroes the other; nr_hugepages finds no huge page. */
static void pairs(void)
{
    wr("vm/overcommit_kbytes", "100000");
    rd("vm/overcommit_ratio");
    commit_limit("overcommit_kbytes 100000");
    wr("vm/overcommit_ratio", "50");
    rd("vm/overcommit_kbytes");
    wr("vm/dirty_bytes", "1048576");
    rd("vm/dirty_ratio");
    wr("vm/dirty_ratio", "20");
    rd("vm/dirty_bytes");
    wr("vm/dirty_background_bytes", "1048576");
    rd("vm/dirty_background_ratio");
    wr("vm/dirty_background_ratio", "10");
    rd("vm/dirty_background_bytes");
    rd("vm/nr_hugepages");
    read_text("/proc/meminfo", buf, sizeof buf);
    printf("HugePages_Total %ld, HugePages_Free %ld\n", field(buf, "HugePages_Total"), field(buf, "HugePages_Free"));
}

static void ptys(void)
{
    wr("kernel/pty/max", "2");
    int a = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    printf("first /dev/ptmx under pty/max 2: %s\n", a < 0 ? errno_name(errno) : "opened");
    rd("kernel/pty/nr");
    int b = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    printf("second /dev/ptmx: %s\n", b < 0 ? (errno == ENOSPC ? "ENOSPC" : errno_name(errno)) : "opened");
    close(a);
    if (b >= 0)
        close(b);
    rd("kernel/pty/nr");
    wr("kernel/pty/max", "4096");
}

static void mounts(void)
{
    mkdir("/tmp/pg-a", 0755);
    mkdir("/tmp/pg-b", 0755);
    int r = mount("none", "/tmp/pg-a", "tmpfs", 0, NULL);
    printf("tmpfs under mount-max as it is: %s\n", r < 0 ? errno_name(errno) : "mounted");
    char t[64];
    read_text("/proc/mounts", buf, sizeof buf);
    int n = 0;
    for (char *l = buf; (l = strchr(l, '\n')); l++)
        n++;
    snprintf(t, sizeof t, "%d", n);
    int opened;
    printf("fs/mount-max set to the mounts there are: %s\n", write_text("/proc/sys/fs/mount-max", t, &opened) > 0 ? "yes" : "no");
    r = mount("none", "/tmp/pg-b", "tmpfs", 0, NULL);
    printf("a tmpfs past mount-max: %s\n", r < 0 ? (errno == ENOSPC ? "ENOSPC" : errno_name(errno)) : "mounted");
    r = mount("/tmp/pg-a", "/tmp/pg-b", NULL, MS_BIND, NULL);
    printf("a bind mount past it: %s\n", r < 0 ? (errno == ENOSPC ? "ENOSPC" : errno_name(errno)) : "mounted");
    wr("fs/mount-max", "100000");
    umount("/tmp/pg-b");
    umount("/tmp/pg-a");
    rmdir("/tmp/pg-a");
    rmdir("/tmp/pg-b");
}

static void nobody_reads_log(void)
{
    int r = klogctl(10, NULL, 0);
    printf("nobody's SIZE_BUFFER with dmesg_restrict 0: %s\n", r > 0 ? "a size" : errno_name(errno));
    r = klogctl(9, NULL, 0);
    printf("nobody's SIZE_UNREAD with dmesg_restrict 0: %s\n", r < 0 ? errno_name(errno) : "taken");
    int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
    printf("nobody's /dev/kmsg with dmesg_restrict 0: %s\n", fd < 0 ? errno_name(errno) : "opened");
}

static void notify_limits(void)
{
    wr("kernel/dmesg_restrict", "0");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(1);
        nobody_reads_log();
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    wr("kernel/dmesg_restrict", "1");
    wr("fs/dir-notify-enable", "0");
    int d = open("/tmp", O_RDONLY | O_DIRECTORY);
    int r = fcntl(d, F_NOTIFY, DN_CREATE);
    printf("F_NOTIFY with dir-notify-enable 0: %s\n", r < 0 ? errno_name(errno) : "taken");
    wr("fs/dir-notify-enable", "1");
    r = fcntl(d, F_NOTIFY, DN_CREATE);
    printf("F_NOTIFY with dir-notify-enable 1: %s\n", r < 0 ? errno_name(errno) : "taken");
    close(d);
    wr("fs/fanotify/max_user_groups", "1");
    int f1 = fanotify_init(FAN_CLASS_NOTIF, O_RDONLY), f2 = fanotify_init(FAN_CLASS_NOTIF, O_RDONLY);
    printf("fanotify_init under max_user_groups 1: %s, then %s\n", f1 < 0 ? errno_name(errno) : "made",
           f2 < 0 ? (errno == EMFILE ? "EMFILE" : errno_name(errno)) : "made");
    close(f1);
    wr("fs/fanotify/max_user_groups", "128");
}

/* fs/epoll/max_user_watches: the user's entries in all its instances. */
static void epoll_watches(void)
{
    char was[64];
    int opened;
    read_text("/proc/sys/fs/epoll/max_user_watches", was, sizeof was);
    wr("fs/epoll/max_user_watches", "-1");
    wr("fs/epoll/max_user_watches", "2");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) { /* as nobody, whose are no other instances (root's are a system's daemons') */
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(1);
        int p[2], e1 = epoll_create1(0), e2 = epoll_create1(0);
        struct epoll_event ev = {.events = EPOLLIN};
        if (pipe(p) < 0)
            _exit(1);
        printf("first add: %d\n", epoll_ctl(e1, EPOLL_CTL_ADD, p[0], &ev));
        printf("second, in another instance: %d\n", epoll_ctl(e2, EPOLL_CTL_ADD, p[1], &ev));
        int r = epoll_ctl(e1, EPOLL_CTL_ADD, p[1], &ev);
        printf("third past max_user_watches 2: %s\n", r < 0 ? (errno == ENOSPC ? "ENOSPC" : errno_name(errno)) : "added");
        close(e2);
        printf("once the other instance is closed: %d\n", epoll_ctl(e1, EPOLL_CTL_ADD, p[1], &ev));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("max_user_watches put back: %s\n",
           write_text("/proc/sys/fs/epoll/max_user_watches", was, &opened) > 0 ? "yes" : "no");
}

/* /proc/kmsg: each line once, as syslog's READ (the host's is not read:
 * that would take its lines from whoever reads it there). */
static void proc_kmsg(void)
{
    int w = open("/dev/kmsg", O_WRONLY);
    if (w < 0 || write(w, "procglobals: a line\n", 20) < 0)
        printf("/dev/kmsg: %s\n", errno_name(errno));
    close(w);
    int fd = open("/proc/kmsg", O_RDONLY | O_NONBLOCK), seen = 0;
    long n;
    while (fd >= 0 && (n = read(fd, buf, sizeof buf - 1)) > 0) { /* the boot's lines first, then ours */
        buf[n] = '\0';
        seen |= strstr(buf, "procglobals: a line\n") != NULL;
    }
    printf("/proc/kmsg has the line: %s\n", seen ? "yes" : "no");
    printf("then: %s\n", fd < 0 ? "not opened" : errno_name(errno));
    close(fd);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(1);
        fd = open("/proc/kmsg", O_RDONLY);
        printf("nobody opens /proc/kmsg: %s\n", fd < 0 ? errno_name(errno) : "opened");
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

void persona_only(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    bounds();
    pairs();
    ptys();
    mounts();
    notify_limits();
    epoll_watches();
    proc_kmsg();
}
