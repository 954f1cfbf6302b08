/*
 * tests/linux/c/namecalls.c - the calls on names and descriptors at their
 * edges, in Linux's order of checks: read and write of nothing on a
 * descriptor of the wrong mode or a directory, an end past the largest
 * offset, lseek on a directory, a copy to the largest offset; faccessat2
 * with AT_EMPTY_PATH, readlink's int size, utimensat of no path and no
 * descriptor; a trailing slash on link, unlink, rmdir,
 * rename, symlink and mknod; names longer than NAME_MAX; unlinkat's
 * flags, the root, and /proc's names (ENOENT to make, EPERM to remove);
 * a read-only tmpfs's EROFS in its place among the checks;
 * the stat calls' flags, statx's mask, its mount id (mountinfo's) and
 * attributes.  Run as root, on a tmpfs of its own.  One line per check;
 * the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

#define STATX_BASIC 0x7ffu
#define STATX_MNT 0x1000u
#define STATX_MOUNT_ROOT 0x2000ull

static long statx_raw(int dirfd, const char *path, int flags, unsigned mask, uint64_t *x)
{
    return syscall(SYS_statx, dirfd, path, flags, mask, x); /* x: 256 bytes */
}

/* The mount id mountinfo gives the mount at point. */
static long mountinfo_id(const char *point)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    char line[512], where[256];
    long id, found = -1, parent;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "%ld %ld %*s %*s %255s", &id, &parent, where) == 3 && !strcmp(where, point))
            found = id;
    if (f)
        fclose(f);
    return found;
}

static void io(void)
{
    char buf[8];
    int fd = open("f", O_RDWR | O_CREAT | O_EXCL, 0644), ro = open("f", O_RDONLY), wo = open("f", O_WRONLY);
    int dfd = open(".", O_RDONLY);
    CHECK(write(fd, "0123456789", 10));
    CHECK(read(wo, buf, 0));
    CHECK(read(dfd, buf, 0));
    CHECK(write(ro, buf, 0));
    CHECK(write(dfd, buf, 0));
    int neither = open("f", 3); /* O_ACCMODE: opened to read nor write (ioctl's) */
    CHECK(read(neither, buf, 1));
    CHECK(write(neither, buf, 1));
    CHECK(ftruncate(neither, 1));
    CHECK(fcntl(neither, F_GETFL) & O_ACCMODE);
    CHECK(close(neither));
    CHECK(pwrite(fd, "x", 1, INT64_MAX));
    CHECK(pwrite(fd, "xy", 2, INT64_MAX - 1));
    CHECK(pread(fd, buf, 2, INT64_MAX - 1));
    CHECK(lseek(fd, INT64_MAX, SEEK_SET) == INT64_MAX);
    CHECK(write(fd, "x", 1));
    CHECK(read(fd, buf, 1));
    CHECK(lseek(dfd, 0, SEEK_END));
    CHECK(lseek(dfd, 0, SEEK_SET));
    int g = open("g", O_RDWR | O_CREAT, 0644);
    loff_t in = 0, out = INT64_MAX - 4; /* a copy ends at the largest offset */
    CHECK(copy_file_range(fd, &in, g, &out, 10, 0));
    CHECK(syscall(SYS_faccessat2, fd, "", R_OK, AT_EMPTY_PATH));
    CHECK(syscall(SYS_faccessat2, AT_FDCWD, "", R_OK, AT_EMPTY_PATH));
    CHECK(syscall(SYS_faccessat2, AT_FDCWD, "", R_OK, 0));
    CHECK(symlink("f", "fl"));
    CHECK(readlink("fl", buf, (size_t)-1)); /* the size is an int */
    CHECK(readlink("fl", buf, 0));
    CHECK(unlink("fl"));
    CHECK(utimensat(AT_FDCWD, NULL, NULL, 0));
    CHECK(utimensat(fd, NULL, NULL, 0));
    CHECK(utimensat(fd, NULL, NULL, AT_SYMLINK_NOFOLLOW));
    close(g), unlink("g");
    close(fd), close(ro), close(wo), close(dfd);
}

static void names(void)
{
    char lng[300];
    memset(lng, 'n', sizeof lng - 1);
    lng[sizeof lng - 1] = 0;
    CHECK(mkdir("d", 0755));
    CHECK(symlink("f", "sl"));
    CHECK(link("f/", "x"));
    CHECK(link("f", "x/"));
    CHECK(link("f", "d/"));
    CHECK(link("f", lng));
    CHECK(unlink("f/"));
    CHECK(unlink("f/x"));
    CHECK(unlink("d/"));
    CHECK(unlink("sl/"));
    CHECK(unlink("none/"));
    CHECK(unlink(lng));
    CHECK(unlinkat(AT_FDCWD, "f", 0x100));
    CHECK(unlinkat(AT_FDCWD, "d", AT_REMOVEDIR | 0x1));
    CHECK(unlinkat(AT_FDCWD, "f", AT_REMOVEDIR));
    CHECK(unlink("/"));
    CHECK(rmdir("/"));
    CHECK(rmdir("f/"));
    CHECK(rmdir("sl"));
    CHECK(rename("f/", "g"));
    CHECK(rename("f", "g/"));
    CHECK(rename("sl/", "g"));
    CHECK(rename("d/", "d2"));
    CHECK(rename("d2/", "d/"));
    CHECK(rename("f", lng));
    CHECK(syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "d/", 2)); /* RENAME_EXCHANGE: "d/" is a directory */
    CHECK(syscall(SYS_renameat2, AT_FDCWD, "d", AT_FDCWD, "f/", 2));
    CHECK(syscall(SYS_renameat2, AT_FDCWD, "d", AT_FDCWD, "f", 2));
    CHECK(syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, "d", 2));
    CHECK(mkdir("f", 0755));
    CHECK(mkdir("f/x", 0755));
    CHECK(mkdir("sl", 0755));
    CHECK(mkdir("n/", 0755));
    CHECK(mkdir(lng, 0755));
    CHECK(symlink("x", "s/"));
    CHECK(symlink("x", "f/"));
    CHECK(symlink("", "empty"));
    CHECK(symlink("x", lng));
    CHECK(mknod("m/", S_IFREG | 0644, 0));
    CHECK(mknod("f/", S_IFREG | 0644, 0));
    CHECK(open(lng, O_RDONLY | O_CREAT, 0644));
    CHECK(access("f", F_OK) + access("d", F_OK) + access("sl", F_OK));
}

static void proc(void)
{
    CHECK(mkdir("/proc/x", 0755));
    CHECK(mkdir("/proc/self/x", 0755));
    CHECK(symlink("x", "/proc/x"));
    CHECK(mknod("/proc/x", S_IFREG | 0600, 0));
    CHECK(link("f", "/proc/x"));
    CHECK(link("f", "/proc/self"));
    CHECK(link("d", "f"));
    CHECK(open("/proc/x", O_RDWR | O_CREAT, 0600));
    CHECK(mkdir("/proc/self", 0755));
    CHECK(unlink("/proc/self/status"));
    CHECK(rmdir("/proc/self/fd"));
    CHECK(rmdir("/proc/self"));
}

/* A read-only tmpfs: EROFS, before a name to remove is looked up, after
 * one to make is (EEXIST first). */
static void rofs(void)
{
    CHECK(mkdir("ro", 0755));
    CHECK(mount("none", "ro", "tmpfs", 0, NULL));
    close(open("ro/f", O_CREAT | O_RDWR, 0644));
    CHECK(mkdir("ro/d", 0755));
    CHECK(mount(NULL, "ro", NULL, MS_REMOUNT | MS_RDONLY, NULL));
    CHECK(unlink("ro/none"));
    CHECK(unlink("ro/f"));
    CHECK(unlink("ro/."));
    CHECK(rmdir("ro/none"));
    CHECK(rmdir("ro/d/."));
    CHECK(rename("ro/none", "ro/g"));
    CHECK(rename("ro/f", "ro/."));
    CHECK(mkdir("ro/d", 0755));
    CHECK(mkdir("ro/new", 0755));
    CHECK(open("ro/d", O_TMPFILE | O_RDWR, 0600));
    CHECK(open("ro/f", O_CREAT | O_EXCL | O_RDWR, 0600));
    CHECK(open("ro/f", O_RDONLY | O_TRUNC));
    CHECK(umount("ro"));
}

static void stats(void)
{
    struct stat st;
    uint64_t x[32];
    CHECK(fstatat(AT_FDCWD, "f", &st, 0x8000));
    CHECK(fstatat(AT_FDCWD, "f", &st, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT));
    CHECK(statx_raw(AT_FDCWD, "f", 0x6000, STATX_BASIC, x)); /* AT_STATX_FORCE_SYNC and DONT_SYNC */
    CHECK(statx_raw(AT_FDCWD, "f", 0x2000, STATX_BASIC, x));
    CHECK(statx_raw(AT_FDCWD, "f", 0x8000, STATX_BASIC, x));
    CHECK(statx_raw(AT_FDCWD, "f", 0, 0x80000000u, x)); /* STATX__RESERVED */
    CHECK(statx_raw(AT_FDCWD, "f", 0, STATX_BASIC | STATX_MNT, x));
    printf("f: mask has basic and mnt_id %d, mount root %d\n", (x[0] & 0xffffffff & (STATX_BASIC | STATX_MNT)) ==
           (STATX_BASIC | STATX_MNT), (x[1] & STATX_MOUNT_ROOT) != 0);
    printf("attributes known %llx\n", (unsigned long long)x[7]);
    CHECK(statx_raw(AT_FDCWD, "/proc", 0, STATX_BASIC | STATX_MNT, x));
    printf("/proc: mount root %d, mnt_id is mountinfo's %d\n", (x[1] & STATX_MOUNT_ROOT) != 0,
           (long)x[18] == mountinfo_id("/proc"));
    int fd = open("/proc/self/status", O_RDONLY);
    CHECK(statx_raw(fd, "", AT_EMPTY_PATH, STATX_BASIC | STATX_MNT, x));
    printf("/proc/self/status: mount root %d, mnt_id is mountinfo's %d\n", (x[1] & STATX_MOUNT_ROOT) != 0,
           (long)x[18] == mountinfo_id("/proc"));
    close(fd);
    CHECK(statx_raw(AT_FDCWD, "/proc/self", 0, STATX_BASIC | STATX_MNT, x));
    printf("/proc/self: mount root %d, mnt_id is mountinfo's %d\n", (x[1] & STATX_MOUNT_ROOT) != 0,
           (long)x[18] == mountinfo_id("/proc"));
}

int main(void)
{
    /* a tmpfs of its own, in a mount namespace of its own, so that both
     * sides' files are tmpfs's (the host's test directory may be ext4's) */
    unshare(CLONE_NEWNS);
    CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
    CHECK(mkdir("t", 0755));
    CHECK(mount("none", "t", "tmpfs", 0, NULL));
    CHECK(chdir("t"));
    io();
    names();
    proc();
    rofs();
    stats();
    CHECK(chdir(".."));
    CHECK(umount("t"));
    return 0;
}
