/*
 * personalities/linux/loop.h - loop devices: block devices (major 7)
 * whose blocks are a file's bytes, and /dev/loop-control (misc 10:237),
 * which finds, adds and removes them, as Linux's drivers/block/loop.c.
 *
 * Entry points: loop_file_ops (dev.c: a block node's driver by its
 * number), loop_control_fops (dev.c), loop_init (dev.c's dev_init: the
 * nodes /dev/loop0..7).  Layer: the file system's, beside dev.c.  Book:
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
/* /dev/loop0..7, as a Linux booted with max_loop's default has. */
void loop_init(struct inode *dev);

#endif
