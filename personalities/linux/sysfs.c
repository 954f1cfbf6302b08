/*
 * personalities/linux/sysfs.c - /sys, the sysfs file system: mounted on
 * /sys at boot (nosuid, nodev, noexec, relatime, as a Linux system mounts
 * it), and by mount(2) or fsopen wherever asked, always the one instance.
 * Its files are kept as tmpfs keeps its own and written by the server
 * alone (procfs's writers): the tree that does not change once at boot,
 * the loop devices' parts whenever a walk looks into sysfs (sysfsdev.c).
 * As Linux's kernfs: an attribute stats as a page (4096 bytes, no
 * blocks) and a symlink as 0 bytes; a file without a write bit does not
 * open for writing even for root (EACCES, file.c), a process's write to
 * one with a bit (which Linux would store) is EIO here, a truncation
 * changes nothing, and no process makes, removes or renames a name in it
 * (fs_names_fixed: EPERM, a create by open EACCES).
 *
 * Entry points: sysfs.h.  Layer: a file system over the tmpfs it writes
 * (procfs.h's writers), beside dev.c.  Book: docs/linux.md, "/sys".
 */
#include "sysfs.h"
#include "procfs.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static struct inode_ops sysfs_iops;

static void sysfs_lookup(struct fs *fs, struct inode *dir, const char *name, size_t n)
{
    (void)name, (void)n;
    sysfs_loops(fs->root, dir);
}

static void sysfs_refresh(struct fs *fs, struct inode *dir) { sysfs_loops(fs->root, dir); }

/* Linux's kernfs_iop_getattr: an attribute's size is a page, whatever it
 * holds, and nothing is counted in blocks; a link's size is 0. */
static void sysfs_getattr(const struct inode *ino, struct linux_stat *st)
{
    uint32_t type = ino->mode & S_IFMT;
    if (type == S_IFREG)
        st->size = 4096;
    else if (type == S_IFLNK)
        st->size = 0;
    st->blocks = 0;
}

static const struct fs_ops sysfs_ops = {.lookup = sysfs_lookup, .refresh = sysfs_refresh, .getattr = sysfs_getattr};
static struct fs sysfs = {.type = "sysfs", .dev = DEV_SYSFS, .magic = SYSFS_MAGIC, .ops = &sysfs_ops,
                          .iops = &sysfs_iops, .kernfs = true};

struct fs *sysfs_fs(void) { return sysfs.root ? &sysfs : NULL; }

/* A process's write to an attribute that has a write bit: Linux would
 * store the value (an MTU, a queue length); nothing here takes one. */
static int sysfs_store(struct inode *ino, uint64_t off, const void *data, size_t n)
{
    (void)ino, (void)off, (void)data, (void)n;
    return -LINUX_EIO;
}

/* truncate(2) and O_TRUNC: kernfs's setattr takes no size, and succeeds. */
static int sysfs_truncate(struct inode *ino, uint64_t size)
{
    (void)ino, (void)size;
    return 0;
}

struct inode *sysfs_dir(struct inode *dir, const char *name)
{
    return dir ? procfs_node(dir, name, S_IFDIR | 0755) : NULL;
}

void sysfs_attr(struct inode *dir, const char *name, uint32_t mode, const char *fmt, ...)
{
    static char value[PATH_MAX_LEN + 16];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    if (!dir || !procfs_node(dir, name, S_IFREG | mode))
        return;
    procfs_put("%s", value);
    procfs_file(dir, name);
}

void sysfs_link(struct inode *dir, const char *name, const char *target)
{
    if (dir)
        procfs_link(dir, name, target);
}

void sysfs_remove(struct inode *dir, const char *name)
{
    if (dir)
        procfs_remove(dir, name);
}

void sysfs_init(void)
{
    sysfs_iops = tmpfs_iops;
    sysfs_iops.write = sysfs_store;
    sysfs_iops.truncate = sysfs_truncate;
    struct inode *point;
    if (fs_lookup(fs_root(), "/sys", true, &point) < 0 && fs_create(fs_root(), "sys", S_IFDIR | 0555, &point) < 0)
        return;
    if (!fs_new_root(&sysfs, point) ||
        fs_mount(point, &sysfs, MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME) != 0)
        return;
    sysfs.root->mode = S_IFDIR | 0555; /* Linux's sysfs root, whatever /sys was */
    sysfs_tree(sysfs.root);
    sysfs_loops(sysfs.root, NULL);
}
