/*
 * personalities/linux/sysfs.h - /sys (sysfs.c, sysfsdev.c): a file system
 * of attributes, one value a file as Linux's sysfs writes them, for what
 * the personality really has: its one CPU, the loopback interface, the
 * character devices dev.c, tty.c and loop.c provide and the loop devices
 * there are, in Linux's layout of directories and links.
 *
 * Entry points: sysfs_init (main.c: mounts it on /sys at boot), sysfs_fs
 * (mount(2)'s and fsopen's "sysfs").  The
 * writers of its contents (sysfsdev.c) through sysfs_dir, sysfs_attr and
 * sysfs_link below.
 *
 * Layer: a file system over the tmpfs it writes (procfs.h's writers),
 * beside dev.c: it reads the loop devices' state (loop.h) and includes
 * no process or signal header.  Book: docs/linux.md, "/sys".
 */
#ifndef LINUX_SYSFS_H
#define LINUX_SYSFS_H
#include "fs.h"

void sysfs_init(void);
/* The sysfs of the caller's network namespace (made at its first
 * mount), or NULL if it could not be made. */
struct fs *sysfs_fs(void);
/* The instances of network namespace n (netns.c's netns_free): its lo goes. */
struct netns;
void sysfs_netns_gone(const struct netns *n);
/* lo's attributes that follow its state (flags, operstate, carrier,
 * dormant, mtu): marked SYSFS_LIVE_NODE, opened with sysfs_live_fops
 * (file.c), made by sysfs_live. */
#define SYSFS_LIVE_NODE 1u
struct file_ops;
extern const struct file_ops sysfs_live_fops;
void sysfs_live(struct inode *dir, const char *name, uint32_t mode);

/* The writers' tools (sysfs.c), each doing nothing with dir NULL.
 * dir/name made if missing (a directory of mode 0755); an attribute's
 * value (a line of printf's) with its mode (0444, or 0644 where Linux's
 * has a store); a symlink; dir/name removed with all under it. */
struct inode *sysfs_dir(struct inode *dir, const char *name);
void sysfs_attr(struct inode *dir, const char *name, uint32_t mode, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void sysfs_link(struct inode *dir, const char *name, const char *target);
void sysfs_remove(struct inode *dir, const char *name);

/* The contents (sysfsdev.c): the tree that does not change, made once in
 * root; and the loop devices' directories and links brought up to date
 * (those of devices gone removed, new ones made), with the files of the
 * one holding dir (a walk looks into it) written afresh. */
void sysfs_tree(struct inode *root);
void sysfs_loops(struct inode *root, struct inode *dir);

#endif
