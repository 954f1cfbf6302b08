/*
 * personalities/linux/loop.h - loop devices: block devices (major 7)
 * whose blocks are a file's bytes, and /dev/loop-control (misc 10:237),
 * which finds, adds and removes them, as Linux's drivers/block/loop.c.
 *
 * Entry points: loop_file_ops (dev.c: a block node's driver by its
 * number), loop_control_fops (dev.c), loop_init (dev.c's dev_init: the
 * nodes /dev/loop0..7), loop_state (sysfs: /sys/block/loopN).  Layer: the file system's, beside dev.c.  Book:
 * docs/linux.md, "Block and loop devices".
 */
#ifndef LINUX_LOOP_H
#define LINUX_LOOP_H
#include "file.h"

#define LOOP_MAJOR 7
#define DEVNO_LOOP_CONTROL 0xaed /* misc 10:237 */

extern const struct file_ops loop_control_fops;
/* The operations of a block node numbered rdev: a loop device's for
 * major 7, else NULL (no driver: open is ENXIO). */
const struct file_ops *loop_file_ops(uint32_t rdev);
/* What /sys shows of loop device n (0 to LOOP_MAX - 1): false if there
 * is none.  backing is the bound file's inode (NULL: unbound; a device
 * running down is still bound, as Linux keeps its loop/ until the end). */
#define LOOP_MAX 1024 /* minors here (Linux's go to 2^20) */
/* The block layer's counts of a device (Linux's struct disk_stats, as
 * /sys/block/loopN/stat shows them): requests, 512-byte sectors and ms
 * spent, reads [0] and writes [1]; io_ms the ms in which it was busy. */
struct loop_iostat {
    uint64_t ios[2], sectors[2], ns[2], io_ms;
};
struct loop_state {
    const struct inode *backing;
    uint64_t size, offset, sizelimit; /* size in bytes, whole sectors */
    uint32_t flags, bsize;            /* LO_FLAGS_*; the logical block size */
    bool ro;
    struct loop_iostat stat;
};
bool loop_state(int n, struct loop_state *out);
/* A request of bytes read or written (write) on device n, which began at
 * started (sys_clock_ns): counted in its iostat.  Its own reads and
 * writes, and a file system's on it (ext2.c). */
void loop_count(int n, bool write, uint64_t bytes, uint64_t started);
/* A file system mounted from the device rdev holds it as an open file
 * does (hold), and lets it go at its unmount: LOOP_CLR_FD meanwhile only
 * sets LO_FLAGS_AUTOCLEAR, as Linux's mount holds the block device. */
void loop_hold(uint32_t rdev, bool hold);
/* /dev/loop0..7, as a Linux booted with max_loop's default has. */
void loop_init(struct inode *dev);

#endif
