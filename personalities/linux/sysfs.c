/*
 * personalities/linux/sysfs.c - /sys, the sysfs file system: mounted on
 * /sys at boot (nosuid, nodev, noexec, relatime, as a Linux system mounts
 * it), and by mount(2) or fsopen wherever asked: the instance of the
 * mounter's network namespace (one each, as Linux's sysfs takes the
 * mounter's; the initial one's on /sys), whose net/ shows that
 * namespace's lo, its flags, operstate, carrier, dormant and mtu read
 * from it at each read (EINVAL for carrier and dormant while it is down,
 * as net-sysfs.c's netif_running check); once the namespace ended, its
 * lo is gone from the instance, as Linux unregisters it.
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
 * Entry points: sysfs.h, sysfs_live_fops and sysfs_netns_gone (netns.c).  Layer: a file system over the tmpfs it writes
 * (procfs.h's writers), beside dev.c.  Book: docs/linux.md, "/sys".
 */
#include "sysfs.h"
#include "file.h"
#include "mount.h"
#include "netns.h"
#include "procfs.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
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

/* An instance: a network namespace's (net NULL once it ended). */
struct sysfs_inst {
    struct fs fs;
    const struct netns *net;
    struct sysfs_inst *next;
};
static struct sysfs_inst initial = {.fs = {.type = "sysfs", .dev = DEV_SYSFS, .magic = SYSFS_MAGIC, .ops = &sysfs_ops,
                                           .iops = &sysfs_iops, .kernfs = true},
                                    .net = &netns_initial};
static struct sysfs_inst *insts; /* the made ones whose namespace lives */
#define sysfs (initial.fs)

static const struct sysfs_inst *inst_of(const struct fs *fs)
{
    return (const struct sysfs_inst *)((const char *)fs - offsetof(struct sysfs_inst, fs));
}

struct fs *sysfs_fs(void)
{
    const struct netns *net = netns_of(netns_here());
    if (!sysfs.root || net == &netns_initial)
        return sysfs.root ? &sysfs : NULL;
    struct sysfs_inst *in = insts;
    while (in && in->net != net)
        in = in->next;
    if (in)
        return &in->fs;
    if (!(in = calloc(1, sizeof *in)))
        return NULL;
    in->fs = sysfs;
    in->fs.dev = mount_new_dev(), in->fs.point = NULL, in->net = net;
    if (!fs_new_empty_root(&in->fs, sysfs.root, 0555, 0, 0)) {
        free(in);
        return NULL;
    }
    in->next = insts, insts = in;
    sysfs_tree(in->fs.root);
    sysfs_loops(in->fs.root, NULL);
    return &in->fs;
}

static struct inode *sub(struct inode *dir, const char *name)
{
    return dir ? fs_dir_find(dir, name, strlen(name)) : NULL;
}

void sysfs_netns_gone(const struct netns *n)
{
    for (struct sysfs_inst **at = &insts, *in; (in = *at);) {
        if (in->net != n) {
            at = &in->next;
            continue;
        }
        *at = in->next; /* kept while a mount shows it (Linux's superblock holds its net passively) */
        in->net = NULL;
        sysfs_remove(sub(sub(in->fs.root, "class"), "net"), "lo");
        sysfs_remove(sub(sub(sub(in->fs.root, "devices"), "virtual"), "net"), "lo");
    }
}

/* ---- lo's attributes that follow it, read at each read ---- */

void sysfs_live(struct inode *dir, const char *name, uint32_t mode)
{
    struct inode *i = dir ? procfs_node(dir, name, S_IFREG | mode) : NULL;
    if (i)
        i->rdev = SYSFS_LIVE_NODE;
}

static int64_t live_kread(struct file *f, char *buf, uint64_t n, uint64_t *pos)
{
    const struct netns *net = inst_of(f->inode->fs)->net;
    const char *name = "";
    for (const struct dirent_node *e = f->inode->entry_dir ? f->inode->entry_dir->children : NULL; e; e = e->next)
        if (e->inode == f->inode)
            name = e->name;
    if (!net)
        return -LINUX_ENODEV; /* removed, as kernfs's read of a node gone */
    bool up = net->lo_flags & IFF_UP;
    char text[32];
    if (!strcmp(name, "carrier") || !strcmp(name, "dormant")) {
        if (!up)
            return -LINUX_EINVAL; /* netif_running's check */
        snprintf(text, sizeof text, "%d\n", name[0] == 'c');
    } else if (!strcmp(name, "flags")) {
        snprintf(text, sizeof text, "0x%x\n", net->lo_flags);
    } else if (!strcmp(name, "operstate")) {
        snprintf(text, sizeof text, "%s\n", up ? "unknown" : "down");
    } else {
        snprintf(text, sizeof text, "%d\n", net->lo_mtu);
    }
    uint64_t len = strlen(text), k = *pos < len ? len - *pos : 0;
    k = k < n ? k : n;
    memcpy(buf, text + (*pos < len ? *pos : len), k);
    *pos += k;
    return (int64_t)k;
}

static int64_t live_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    return file_copy_io(c, f, ubuf, len, false, at);
}

static int64_t live_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)c, (void)ubuf, (void)len, (void)at;
    return (f->flags & O_ACCMODE) == O_RDONLY ? -LINUX_EBADF : -LINUX_EIO; /* as sysfs_store */
}

const struct file_ops sysfs_live_fops = {.read = live_read, .write = live_write, .kread = live_kread};

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
