/*
 * tests/linux/c/sysfsfiles.c - /sys, the sysfs file system: its statfs
 * type and its line in /proc/filesystems; the loopback interface's
 * attributes (the same on any Linux) and its class link; stat of
 * attributes (mode, size of a page, one link), directories and links;
 * what no one may do there even as root (open for writing a file
 * without a write bit: EACCES; create: EACCES; mkdir, unlink, symlink,
 * rename: EPERM; truncate succeeds and changes nothing; a missing name:
 * ENOENT); lseek's SEEK_END counting from a page; a loop device's files
 * while bound (dev, size, ro, removable, stat's counts of what was written
 * and read, queue/logical_block_size, loop/
 * backing_file, offset, sizelimit, autoclear, partscan, dio) and loop/
 * gone once it is cleared, and its links from block/, class/block and
 * dev/block; a device added through /dev/loop-control there, and gone
 * once removed; sysfs mounted again by mount(2) (its /proc/mounts
 * options; an option: EINVAL) and by fsopen and fsmount.  The bound
 * device's number is not printed (another program may hold loop devices
 * on the host).  The output must equal the host Linux's.
 *
 * "sysfsfiles persona-only" prints what differs from the host by the
 * machine (one CPU here, the host's are more; sysfs's mount options, a
 * container's differ): tests/linux/c/sysfsfiles.persona-only.expected,
 * from Linux 6.1's drivers/base/cpu.c and topology.c on a machine of one
 * CPU (tests/run-all.py's linux-sysfsfiles-persona-only).
 */
#define _GNU_SOURCE
#include "check.h"
#include "loopabi.h"
#include <stdbool.h>
#ifndef BLKFLSBUF
#define BLKFLSBUF 0x1261
#endif
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { FSCONFIG_SET_FLAG, FSCONFIG_SET_STRING, FSCONFIG_SET_BINARY, FSCONFIG_SET_PATH, FSCONFIG_SET_PATH_EMPTY,
       FSCONFIG_SET_FD, FSCONFIG_CMD_CREATE, FSCONFIG_CMD_RECONFIGURE };

static const char *img = "/tmp/sysfsfiles-test.img";

/* A file's contents, its newlines shown as "\n". */
static void show(const char *label, const char *path)
{
    char buf[512];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("%s: %s\n", label, errno_name(errno));
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("%s: ", label);
    for (ssize_t i = 0; i < n; i++)
        if (buf[i] == '\n')
            printf("\\n");
        else
            putchar(buf[i]);
    printf(" (%zd bytes)\n", n);
}

static const char *kind(mode_t m)
{
    return S_ISREG(m) ? "file" : S_ISDIR(m) ? "dir" : S_ISLNK(m) ? "link" : "other";
}

static void show_stat_as(const char *label, const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0) {
        printf("lstat %s: %s\n", label, errno_name(errno));
        return;
    }
    printf("lstat %s: %s %04o size %lld blocks %lld", label, kind(st.st_mode), st.st_mode & 07777,
           (long long)st.st_size, (long long)st.st_blocks);
    if (!S_ISDIR(st.st_mode))
        printf(" nlink %lu", (unsigned long)st.st_nlink);
    printf(" uid %u\n", st.st_uid);
}

static void show_stat(const char *path) { show_stat_as(path, path); }

static void show_link(const char *label, const char *path)
{
    char to[256];
    ssize_t n = readlink(path, to, sizeof to - 1);
    if (n < 0) {
        printf("readlink %s: %s\n", label, errno_name(errno));
        return;
    }
    to[n] = 0;
    printf("readlink %s: %s\n", label, to);
}

static int e(int r) { return r < 0 ? -errno : r; }

static void lo_files(void)
{
    static const char *const attrs[] = {"address", "addr_len", "broadcast", "mtu", "flags", "ifindex", "iflink",
                                        "type", "operstate", "carrier", "tx_queue_len", "dev_id", "dev_port",
                                        "link_mode", "addr_assign_type", "uevent"};
    char path[128];
    for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) {
        snprintf(path, sizeof path, "/sys/class/net/lo/%s", attrs[i]);
        show(attrs[i], path);
    }
    show_link("class/net/lo", "/sys/class/net/lo");
    show_link("lo/subsystem", "/sys/devices/virtual/net/lo/subsystem");
    show_link("dev/char/1:3", "/sys/dev/char/1:3");
    show_link("class/mem/null", "/sys/class/mem/null");
    show("mem/null/dev", "/sys/class/mem/null/dev");
    show("mem/null/uevent", "/sys/devices/virtual/mem/null/uevent");
    show("misc/loop-control/dev", "/sys/dev/char/10:237/dev");
}

static void refusals(void)
{
    const char *online = "/sys/devices/system/cpu/online";
    CHECK(e(open(online, O_WRONLY)));
    CHECK(e(open(online, O_RDWR)));
    CHECK(e(open("/sys/devices/system/cpu/made", O_WRONLY | O_CREAT, 0644)));
    CHECK(e(mkdir("/sys/devices/system/cpu/made", 0755)));
    CHECK(e(unlink(online)));
    CHECK(e(rmdir("/sys/devices/system/cpu/cpu0")));
    CHECK(e(symlink("online", "/sys/devices/system/cpu/made")));
    CHECK(e(rename(online, "/sys/devices/system/cpu/made")));
    CHECK(e(open("/sys/devices/system/cpu/no-such-file", O_RDONLY)));
    CHECK(e(open("/sys/class/net/no-such-interface/mtu", O_RDONLY)));
    CHECK(e(truncate("/sys/class/net/lo/mtu", 0)));
    show("mtu after truncate", "/sys/class/net/lo/mtu");
    int fd = open("/sys/class/net/lo/mtu", O_RDONLY);
    CHECK(lseek(fd, 0, SEEK_END)); /* from the attribute's size, a page */
    CHECK(lseek(fd, -2, SEEK_END));
    char buf[16];
    CHECK(read(fd, buf, sizeof buf));
    CHECK(pread(fd, buf, sizeof buf, 2));
    close(fd);
    CHECK(e(access(online, W_OK)));
    CHECK(e(access(online, R_OK)));
}

/* The loop device's files; with n < 0 the links alone. */
static void loop_files(int n, const char *file)
{
    char path[128], want[64], got[128];
    static const char *const attrs[] = {"size", "ro", "removable", "queue/logical_block_size", "loop/offset",
                                        "loop/sizelimit", "loop/autoclear", "loop/partscan", "loop/dio"};
    for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) {
        snprintf(path, sizeof path, "/sys/block/loop%d/%s", n, attrs[i]);
        show(attrs[i], path);
    }
    snprintf(path, sizeof path, "/sys/block/loop%d/dev", n);
    int fd = open(path, O_RDONLY);
    ssize_t k = fd < 0 ? -1 : read(fd, got, sizeof got - 1);
    got[k > 0 ? k : 0] = 0;
    snprintf(want, sizeof want, "7:%d\n", n);
    printf("dev is 7:N: %s\n", strcmp(got, want) ? "no" : "yes");
    if (fd >= 0)
        close(fd);
    snprintf(path, sizeof path, "/sys/block/loop%d/loop/backing_file", n);
    fd = open(path, O_RDONLY);
    k = fd < 0 ? -errno : read(fd, got, sizeof got - 1);
    got[k > 0 ? k : 0] = 0;
    snprintf(want, sizeof want, "%s\n", file);
    printf("backing_file: %s\n", k < 0 ? errno_name((int)-k) : strcmp(got, want) ? got : "the file's path");
    if (fd >= 0)
        close(fd);
    static const char *const links[][2] = {{"/sys/block/loop%d", "../devices/virtual/block/loop%d"},
                                           {"/sys/class/block/loop%d", "../../devices/virtual/block/loop%d"},
                                           {"/sys/dev/block/7:%d", "../../devices/virtual/block/loop%d"}};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, links[i][0], n);
        snprintf(want, sizeof want, links[i][1], n);
        k = readlink(path, got, sizeof got - 1);
        got[k > 0 ? k : 0] = 0;
        printf("link %zu: %s\n", i, k < 0 ? errno_name(errno) : strcmp(got, want) ? got : "as Linux's");
    }
    snprintf(path, sizeof path, "/sys/devices/virtual/block/loop%d/dev", n);
    struct stat st;
    printf("stat dev: %s\n", stat(path, &st) < 0 ? errno_name(errno) : S_ISREG(st.st_mode) && st.st_size == 4096 &&
                                                                           (st.st_mode & 0777) == 0444 ? "0444 4096" : "other");
}

/* stat's 17 counts of device n: false if it cannot be read. */
static bool disk_stat(int n, unsigned long long v[17])
{
    char path[64];
    snprintf(path, sizeof path, "/sys/block/loop%d/stat", n);
    FILE *f = fopen(path, "r");
    int k = 0;
    while (f && k < 17 && fscanf(f, "%llu", &v[k]) == 1)
        k++;
    if (f)
        fclose(f);
    return k == 17;
}

/* What the device's stat counts of 64 KiB written and read back (the
 * numbers themselves are the block layer's: its page cache merges and
 * splits requests, so only what must hold is printed). */
static void io_counts(int n, int fd)
{
    unsigned long long a[17], b[17], c[17];
    static char buf[65536];
    memset(buf, 'x', sizeof buf);
    printf("stat: %s\n", disk_stat(n, a) ? "17 counts" : "unreadable");
    if (pwrite(fd, buf, sizeof buf, 0) != (ssize_t)sizeof buf || fsync(fd) < 0)
        printf("write: %s\n", errno_name(errno));
    bool wrote = disk_stat(n, b);
    printf("written: sectors %s, requests %s, busy time %s\n",
           wrote && b[6] - a[6] >= sizeof buf / 512 ? "128 or more" : "fewer",
           wrote && b[4] > a[4] ? "more" : "none", wrote && b[9] > 0 ? "counted" : "none");
    ioctl(fd, BLKFLSBUF, 0); /* the page cache would answer a read of what was written: dropped */
    if (pread(fd, buf, sizeof buf, 0) != (ssize_t)sizeof buf)
        printf("read: %s\n", errno_name(errno));
    printf("read: sectors %s\n", disk_stat(n, c) && c[2] - b[2] >= sizeof buf / 512 ? "128 or more" : "fewer");
}

static void loop_device(void)
{
    int ctl = open("/dev/loop-control", O_RDWR);
    int back = open(img, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(e(ftruncate(back, 1048576 + 1000)));
    /* the free device found may be taken by another program on the host
     * before it is bound (EBUSY): then another is asked for */
    int n = -1, fd = -1, r = -EBUSY;
    for (int tries = 0; tries < 50 && r == -EBUSY; tries++) {
        if (fd >= 0)
            close(fd);
        if ((n = ctl < 0 ? -1 : ioctl(ctl, LOOP_CTL_GET_FREE)) < 0) {
            printf("no free loop device: %s\n", errno_name(errno));
            return;
        }
        char dev[32];
        snprintf(dev, sizeof dev, "/dev/loop%d", n);
        fd = open(dev, O_RDWR);
        r = e(ioctl(fd, LOOP_SET_FD, back));
    }
    printf("LOOP_SET_FD: %d\n", r);
    struct loop_info64 info;
    memset(&info, 0, sizeof info);
    info.lo_offset = 1024;
    info.lo_flags = LO_FLAGS_AUTOCLEAR;
    CHECK(e(ioctl(fd, LOOP_SET_STATUS64, &info)));
    loop_files(n, img);
    char path[128];
    snprintf(path, sizeof path, "/sys/block/loop%d/loop/offset", n);
    show_stat_as("loop/offset", path);
    CHECK(e(open(path, O_WRONLY)));
    io_counts(n, fd);
    CHECK(e(ioctl(fd, LOOP_CLR_FD, 0)));
    close(fd);
    close(back);
    unlink(img);
    printf("cleared:\n");
    snprintf(path, sizeof path, "/sys/block/loop%d/loop", n);
    struct stat st;
    printf("loop/: %s\n", stat(path, &st) < 0 ? errno_name(errno) : "there");
    snprintf(path, sizeof path, "/sys/block/loop%d/size", n);
    show("size", path);
    close(ctl);
}

/* A device added through /dev/loop-control shows, and goes when removed
 * (201: loopdev.c takes 200). */
static void loop_add_remove(void)
{
    int ctl = open("/dev/loop-control", O_RDWR);
    struct stat st;
    printf("before add: %s\n", lstat("/sys/block/loop201", &st) < 0 ? errno_name(errno) : "there");
    int r = e(ioctl(ctl, LOOP_CTL_ADD, 201));
    printf("add: %d\n", r);
    if (r != 201) {
        close(ctl);
        return;
    }
    show("added: dev", "/sys/block/loop201/dev");
    show("added: size", "/sys/block/loop201/size");
    show_link("dev/block/7:201", "/sys/dev/block/7:201");
    printf("added: loop/: %s\n", lstat("/sys/block/loop201/loop", &st) < 0 ? errno_name(errno) : "there");
    printf("remove: %d\n", e(ioctl(ctl, LOOP_CTL_REMOVE, 201)));
    printf("removed: %s\n", lstat("/sys/block/loop201", &st) < 0 ? errno_name(errno) : "there");
    printf("removed: %s\n", lstat("/sys/devices/virtual/block/loop201", &st) < 0 ? errno_name(errno) : "there");
    printf("removed: %s\n", lstat("/sys/dev/block/7:201", &st) < 0 ? errno_name(errno) : "there");
    close(ctl);
}

/* sysfs mounted again, by mount(2) and by fsopen, in the directory m. */
static void mounts(void)
{
    struct statfs sf;
    CHECK(e(mkdir("m", 0755)));
    CHECK(e(mount("sysfs", "m", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)));
    printf("f_type %#lx\n", statfs("m", &sf) < 0 ? 0ul : (unsigned long)sf.f_type);
    show_link("m/class/net/lo", "m/class/net/lo");
    show("m/class/net/lo/mtu", "m/class/net/lo/mtu");
    FILE *f = fopen("/proc/mounts", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        char *at = strstr(line, "/m sysfs ");
        if (at && !strncmp(line, "sysfs /", 7))
            printf("mounts: sysfs .../m %s", at + 3);
    }
    if (f)
        fclose(f);
    CHECK(e(umount("m")));
    CHECK(e(mount("sysfs", "m", "sysfs", 0, "foo=1")));
    CHECK(e(mount("sysfs", "no-such-dir", "sysfs", 0, NULL)));
    int fc = (int)syscall(SYS_fsopen, "sysfs", 0);
    printf("fsopen: %s\n", fc < 0 ? errno_name(errno) : "a descriptor");
    CHECK(e((int)syscall(SYS_fsconfig, fc, FSCONFIG_SET_STRING, "foo", "1", 0)));
    CHECK(e((int)syscall(SYS_fsconfig, fc, FSCONFIG_SET_STRING, "source", "sysfs", 0)));
    CHECK(e((int)syscall(SYS_fsconfig, fc, FSCONFIG_CMD_CREATE, NULL, NULL, 0)));
    int mfd = (int)syscall(SYS_fsmount, fc, 0, 0);
    printf("fsmount: %s\n", mfd < 0 ? errno_name(errno) : "a descriptor");
    char to[128];
    ssize_t n = readlinkat(mfd, "class/net/lo", to, sizeof to - 1);
    to[n > 0 ? n : 0] = 0;
    printf("readlinkat(mfd, class/net/lo): %s\n", n < 0 ? errno_name(errno) : to);
    printf("fstatfs(mfd): %#lx\n", fstatfs(mfd, &sf) < 0 ? 0ul : (unsigned long)sf.f_type);
    close(mfd);
    close(fc);
    CHECK(e(rmdir("m")));
}

/* What differs with the machine: the CPUs, sysfs's mount options. */
static void persona_only(void)
{
    static const char *const cpu[] = {"online", "possible", "present", "offline", "kernel_max",
                                      "cpu0/topology/core_id", "cpu0/topology/physical_package_id",
                                      "cpu0/topology/core_cpus_list", "cpu0/topology/thread_siblings",
                                      "cpu0/topology/thread_siblings_list", "cpu0/topology/package_cpus_list",
                                      "cpu0/online"};
    char path[128];
    for (size_t i = 0; i < sizeof cpu / sizeof *cpu; i++) {
        snprintf(path, sizeof path, "/sys/devices/system/cpu/%s", cpu[i]);
        show(cpu[i], path);
    }
    DIR *d = opendir("/sys/devices/system/cpu");
    int cpus = 0;
    for (struct dirent *de; d && (de = readdir(d));)
        cpus += !strncmp(de->d_name, "cpu", 3) && de->d_name[3] >= '0' && de->d_name[3] <= '9';
    if (d)
        closedir(d);
    printf("cpuN directories: %d\n", cpus);
    printf("sysconf: %ld %ld\n", sysconf(_SC_NPROCESSORS_ONLN), sysconf(_SC_NPROCESSORS_CONF));
    FILE *f = fopen("/proc/mounts", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (strstr(line, " /sys "))
            printf("mounts: %s", line);
    if (f)
        fclose(f);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 2 && !strcmp(argv[1], "persona-only")) {
        persona_only();
        return 0;
    }
    struct statfs sf;
    CHECK(e(statfs("/sys", &sf)));
    printf("f_type %#lx, blocks %ld, files %ld, bsize %ld, namelen %ld\n", (unsigned long)sf.f_type,
           (long)sf.f_blocks, (long)sf.f_files, (long)sf.f_bsize, (long)sf.f_namelen);
    FILE *f = fopen("/proc/filesystems", "r");
    char line[128];
    int listed = 0;
    while (f && fgets(line, sizeof line, f))
        listed |= !strcmp(line, "nodev\tsysfs\n");
    if (f)
        fclose(f);
    printf("/proc/filesystems lists sysfs: %s\n", listed ? "yes" : "no");
    lo_files();
    show_stat("/sys");
    show_stat("/sys/class/net/lo");
    show_stat("/sys/class/net/lo/mtu");
    show_stat("/sys/class/net/lo/address");
    show_stat("/sys/devices/virtual/net/lo");
    show_stat("/sys/devices/system/cpu/online");
    show_stat("/sys/devices/system/cpu/kernel_max");
    show_stat("/sys/devices/system/cpu/cpu0");
    show_stat("/sys/dev/char/1:3");
    refusals();
    loop_device();
    loop_add_remove();
    mounts();
    return 0;
}
