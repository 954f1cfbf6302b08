/*
 * personalities/linux/dev.h - character devices: a node of any file system
 * leads by its number (inode->rdev) to the operations of its driver, as
 * Linux's character devices do.  The drivers are dev.c's (null, zero,
 * random, urandom), kmsg.c's (kmsg), the terminal's (tty.c: tty, console) and loop.c's
 * (loop-control; a block node's, by loop_file_ops).
 *
 * Entry points: dev_file_ops (file.c's open), dev_init (main.c: the nodes
 * in /dev).  Layer: the file system's; it includes no process or signal
 * header.  Book: docs/linux.md, "Files".
 */
#ifndef LINUX_DEV_H
#define LINUX_DEV_H
#include "file.h"

/* Linux's numbers of the devices there are, major << 8 | minor
 * (Documentation/admin-guide/devices.txt). */
#define DEVNO_NULL 0x103
#define DEVNO_ZERO 0x105
#define DEVNO_FULL 0x107
#define DEVNO_RANDOM 0x108
#define DEVNO_URANDOM 0x109
#define DEVNO_KMSG 0x10b
#define DEVNO_TTY 0x500
#define DEVNO_CONSOLE 0x501
#define DEVNO_USERFAULTFD 0x100a01 /* misc 10:257, a dynamic minor (Linux's new_encode_dev) */

/* The operations of a file open on device rdev, or NULL: no driver (an
 * open is ENXIO, as on Linux); /dev/kmsg's (kmsg.c). */
extern const struct file_ops kmsg_fops;
/* /proc/kmsg's (kmsg.c), on procfs's node marked PROCKMSG_NODE. */
extern const struct file_ops prockmsg_fops;
const struct file_ops *dev_file_ops(uint32_t rdev);
/* The device nodes in /dev: null, zero, urandom, random, kmsg, tty, console. */
void dev_init(void);

#endif
