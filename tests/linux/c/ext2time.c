/*
 * tests/linux/c/ext2time.c - the times an ext2 file system holds, as
 * Linux's ext4 driver (which mounts ext2 on Debian's kernel) holds them:
 * 128-byte inodes keep 32-bit seconds and no nanoseconds (a time set
 * past 2038 or before 1901 reads back clamped, a fraction of a second is
 * dropped); 256-byte inodes keep two more epoch bits and the nanoseconds
 * (up to 2446, past the 2262 Persona's inodes reach), and before 1901 is
 * clamped too.  Each image (1 MiB, made
 * with mke2fs -I 128 or -I 256) on a loop device, in a mount namespace of
 * the test's own; what was set reads back the same after a remount.
 */
#define _GNU_SOURCE
#include "check.h"
#include "loopabi.h"
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define IMG "/tmp/ext2time.img"
#define MNT "/tmp/ext2time.mnt"

static const struct timespec times[] = {
    {1700000000, 123456789}, /* 2023, with a fraction */
    {0x7fffffff, 999999999}, /* the last 32-bit second */
    {0x80000000, 5},         /* 2038, a second past it */
    {4102444800, 0},         /* 2100 */
    {9000000000, 7},         /* 2255 (the epoch bits reach 2446; an inode here holds ns up to 2262) */
    {-0x80000000l, 3},       /* 1901, the first 32-bit second */
    {-3000000000l, 0},       /* 1874 */
};

static void show(const char *path, const char *when)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        printf("%s: stat %s\n", when, strerror(errno));
        return;
    }
    printf("%s: mtime %lld.%09ld atime %lld.%09ld\n", when, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
           (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec);
}

static int mount_image(int fd)
{
    char dev[32];
    int ctl = open("/dev/loop-control", O_RDWR);
    long n = ctl < 0 ? -1 : ioctl(ctl, LOOP_CTL_GET_FREE);
    close(ctl);
    snprintf(dev, sizeof dev, "/dev/loop%ld", n);
    int ldev = n < 0 ? -1 : open(dev, O_RDWR);
    if (ldev < 0 || ioctl(ldev, LOOP_SET_FD, fd) < 0 || mount(dev, MNT, "ext2", 0, NULL) < 0) {
        printf("no ext2 mount: %s\n", strerror(errno));
        if (ldev >= 0)
            close(ldev);
        return -1;
    }
    return ldev;
}

static void unmount_image(int ldev)
{
    umount2(MNT, 0);
    ioctl(ldev, LOOP_CLR_FD, 0);
    close(ldev);
}

static void inode_size(int size)
{
    char cmd[256];
    printf("-- %d-byte inodes\n", size);
    int fd = open(IMG, O_CREAT | O_RDWR | O_TRUNC, 0600);
    snprintf(cmd, sizeof cmd, "PATH=$PATH:/sbin:/usr/sbin mke2fs -F -q -b 1024 -I %d %s 1024 >/dev/null 2>&1", size, IMG);
    if (fd < 0 || ftruncate(fd, 1 << 20) < 0 || system(cmd) != 0) {
        printf("no mke2fs\n");
        return;
    }
    int ldev = mount_image(fd);
    if (ldev < 0)
        return;
    char path[64];
    int n = sizeof times / sizeof times[0];
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, MNT "/f%d", i);
        close(open(path, O_CREAT | O_WRONLY, 0644));
        struct timespec ts[2] = {times[i], times[i]};
        CHECK(utimensat(AT_FDCWD, path, ts, 0));
        show(path, "set");
    }
    unmount_image(ldev);
    if ((ldev = mount_image(fd)) < 0)
        return;
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, MNT "/f%d", i);
        show(path, "remounted");
    }
    unmount_image(ldev);
    close(fd);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        printf("no mount namespace: %s\n", strerror(errno));
        return 1;
    }
    /* a time before 1970 where the test runs: the seconds rounded down, the nanoseconds from 0 up */
    close(open("/tmp/ext2time.f", O_CREAT | O_WRONLY, 0644));
    struct timespec before[2] = {{-1, 5}, {-100, 999999999}};
    CHECK(utimensat(AT_FDCWD, "/tmp/ext2time.f", before, 0));
    show("/tmp/ext2time.f", "before 1970");
    unlink("/tmp/ext2time.f");
    mkdir(MNT, 0755);
    inode_size(128);
    inode_size(256);
    rmdir(MNT);
    unlink(IMG);
    return 0;
}
