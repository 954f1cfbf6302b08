/*
 * tests/linux/c/ext2img.h - an ext2 file system to test on, as LTP's
 * .mount_device gives one: a 1 MiB image made with mke2fs (the host's,
 * or busybox's on Persona), bound to a free loop device and mounted on
 * mnt.  What fanfidrec.c and fanevict.c share.
 */
#ifndef TESTS_LINUX_EXT2IMG_H
#define TESTS_LINUX_EXT2IMG_H
#include "check.h"
#include "loopabi.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>

/* img made and mounted on mnt through a loop device: the image's
 * descriptor (*ldev the loop device's), or -1 with a line said. */
static inline int ext2_image(const char *img, const char *mnt, int *ldev)
{
    char cmd[256], dev[32];
    umount2(mnt, MNT_DETACH);
    rmdir(mnt);
    int fd = open(img, O_CREAT | O_RDWR | O_TRUNC, 0600);
    snprintf(cmd, sizeof cmd, "PATH=$PATH:/sbin:/usr/sbin mke2fs -F -b 1024 %s 1024 >/dev/null 2>&1", img);
    if (fd < 0 || ftruncate(fd, 1 << 20) < 0 || system(cmd) != 0) {
        printf("no mke2fs\n");
        return -1;
    }
    int ctl = open("/dev/loop-control", O_RDWR);
    long nloop = ctl < 0 ? -1 : ioctl(ctl, LOOP_CTL_GET_FREE);
    close(ctl);
    snprintf(dev, sizeof dev, "/dev/loop%ld", nloop);
    *ldev = nloop < 0 ? -1 : open(dev, O_RDWR);
    if (*ldev < 0 || ioctl(*ldev, LOOP_SET_FD, fd) < 0 || mkdir(mnt, 0755) < 0 || mount(dev, mnt, "ext2", 0, NULL) < 0) {
        printf("no ext2 mount: %s\n", errno_name(errno));
        return -1;
    }
    return fd;
}
#endif
