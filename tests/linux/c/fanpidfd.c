/*
 * tests/linux/c/fanpidfd.c - fanotify's FAN_REPORT_PIDFD as root on a
 * tmpfs of its own: each event's struct fanotify_event_info_pidfd (a
 * pidfd for the process, one for a zombie child, FAN_NOPIDFD once it is
 * reaped, its fdinfo naming the process), and /proc/self/fdinfo: a
 * file's position, flags and inode, a pidfd's Pid and NSpid, a group's
 * flags and marks (inode, mount and file system; the numbers that
 * differ between machines left out).  On the host it runs in a mount
 * namespace of its own.
 */
#define _GNU_SOURCE
#include "check.h"
#include "fanabi.h"
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define D "/tmp/fanpidfd-test"

/* linux/fanotify.h's, which musl's headers do not have */
#define FAN_OPEN 0x20
#define FAN_CLOSE_NOWRITE 0x10
#define FAN_REPORT_PIDFD 0x80
#define FAN_MARK_ADD 1
#define FAN_MARK_MOUNT 0x10
#define FAN_MARK_IGNORED_MASK 0x20
#define FAN_MARK_IGNORED_SURV_MODIFY 0x40
#define FAN_MARK_FILESYSTEM 0x100

struct event {
    struct meta m;
    uint8_t info_type, pad;
    uint16_t len;
    int32_t pidfd;
};

/* fd's fdinfo lines, each through show (which prints what it keeps). */
static void fdinfo(int fd, void (*show)(const char *line))
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("  %s: %s\n", path, strerror(errno));
        return;
    }
    while (fgets(line, sizeof line, f))
        show(line);
    fclose(f);
}

static int expect_pid;
static unsigned long expect_ino;

static void show_file(const char *line)
{
    unsigned long ino;
    int mnt;
    if (sscanf(line, "ino: %lu", &ino) == 1)
        printf("  ino: %s\n", ino == expect_ino ? "the file's" : "another");
    else if (sscanf(line, "mnt_id: %d", &mnt) == 1)
        printf("  mnt_id: there\n");
    else
        printf("  %s", line);
}

static void show_pidfd(const char *line)
{
    int pid;
    if (sscanf(line, "Pid: %d", &pid) == 1)
        printf("  Pid: %s\n", pid == expect_pid ? "the one expected" : "another");
    else if (sscanf(line, "NSpid: %d", &pid) == 1)
        printf("  NSpid: %s\n", pid == expect_pid ? "the one expected" : "another");
    else if (!strncmp(line, "pos:", 4) || !strncmp(line, "flags:", 6))
        printf("  %s", line);
}

static void show_group(const char *line)
{
    unsigned mflags, mask, ignored;
    if (!strncmp(line, "fanotify flags:", 15))
        printf("  %s", line);
    else if (sscanf(line, "fanotify ino:%*x sdev:%*x mflags:%x mask:%x ignored_mask:%x", &mflags, &mask, &ignored) == 3)
        printf("  inode mark: mflags %x mask %x ignored %x\n", mflags, mask, ignored);
    else if (sscanf(line, "fanotify mnt_id:%*x mflags:%x mask:%x ignored_mask:%x", &mflags, &mask, &ignored) == 3)
        printf("  mount mark: mflags %x mask %x ignored %x\n", mflags, mask, ignored);
    else if (sscanf(line, "fanotify sdev:%*x mflags:%x mask:%x ignored_mask:%x", &mflags, &mask, &ignored) == 3)
        printf("  fs mark: mflags %x mask %x ignored %x\n", mflags, mask, ignored);
}

/* One event: its record and what its pidfd shows. */
static void event(int g, int pid)
{
    struct event e = {0};
    ssize_t n = read(g, &e, sizeof e);
    printf("read %zd: event_len %u metadata_len %u mask %#llx pid %s fd %s info type %u len %u pidfd %s\n", n,
           e.m.event_len, e.m.metadata_len, (unsigned long long)e.m.mask, e.m.pid == pid ? "expected" : "other",
           e.m.fd >= 0 ? "open" : "none", e.info_type, e.len,
           e.pidfd >= 0 ? "open" : e.pidfd == -1 ? "FAN_NOPIDFD" : "error");
    if (e.pidfd >= 0) {
        expect_pid = pid;
        fdinfo(e.pidfd, show_pidfd);
        close(e.pidfd);
    }
    if (e.m.fd >= 0)
        close(e.m.fd);
}

int main(void)
{
    unshare(CLONE_NEWNS);
    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    mkdir(D, 0755);
    CHECK(mount("none", D, "tmpfs", 0, NULL));
    int fd = open(D "/f", O_WRONLY | O_CREAT, 0644);
    CHECK(write(fd, "data", 4));
    close(fd);

    int g = fan_init(FAN_REPORT_PIDFD, O_RDONLY);
    CHECK(g >= 0);
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, D "/f"));
    fd = open(D "/f", O_RDONLY);
    close(fd);
    event(g, getpid());

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fd = open(D "/f", O_RDONLY);
        _exit(0);
    }
    siginfo_t si;
    waitid(P_PID, pid, &si, WEXITED | WNOWAIT); /* a zombie */
    event(g, pid);
    waitpid(pid, NULL, 0);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        fd = open(D "/f", O_RDONLY);
        _exit(0);
    }
    waitpid(pid, NULL, 0); /* reaped */
    event(g, pid);

    printf("a file's fdinfo:\n");
    fd = open(D "/f", O_RDONLY | O_CLOEXEC);
    struct stat st;
    fstat(fd, &st);
    expect_ino = st.st_ino;
    lseek(fd, 2, SEEK_SET);
    fdinfo(fd, show_file);
    close(fd);

    printf("a group's fdinfo:\n");
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY, FAN_CLOSE_NOWRITE,
                   AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_CLOSE_NOWRITE, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_OPEN, AT_FDCWD, D));
    fdinfo(g, show_group);
    close(g);
    g = fan_init(2 /* FAN_NONBLOCK */, O_RDWR | O_CLOEXEC);
    fdinfo(g, show_group);
    close(g);
    CHECK(umount2(D, MNT_DETACH));
    CHECK(rmdir(D));
    return 0;
}
