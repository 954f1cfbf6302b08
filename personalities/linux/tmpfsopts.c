/*
 * personalities/linux/tmpfsopts.c - a tmpfs instance's options, as Linux's
 * shmem parses them: size= (or nr_blocks=) and nr_inodes=, the limits that
 * tmpfs.c and fs.c hold its pages and inodes to (ENOSPC), with Linux's
 * defaults of half the memory and its remount rules; mode=, uid= and gid=
 * of its root; and the text /proc/mounts shows of them.  Also the st_dev
 * numbers of new file systems.
 *
 * Entry points: mount.h's mount_tmpfs_options, mount_tmpfs_new,
 * mount_tmpfs_check and mount_new_dev.  Callers: mount.c (mount(2), a
 * remount) and fsmount.c (fsconfig, fsmount).  Layer: calls, over the
 * file system.  Book: docs/linux.md, "Mounts".
 */
#include "fs.h"
#include "mount.h"
#include <persona/ipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t next_dev = 40; /* st_dev of new file systems: unnamed devices after the ones fs.h names */

uint32_t mount_new_dev(void) { return next_dev++; }

/* Linux's memparse: a number with an optional k, m, g, t suffix; end is
 * where it stopped. */
static uint64_t memparse(const char *s, const char **end)
{
    char *e;
    uint64_t v = strtoull(s, &e, 0);
    const char *units = "kmgtpe";
    const char *u = *e ? strchr(units, *e | 0x20) : NULL;
    if (u) {
        v <<= 10 * (u - units + 1);
        e++;
    }
    *end = e;
    return v;
}

/* A number of one option, all of its text: 0, or -EINVAL. */
static int number(const char *s, int base, uint64_t max, uint64_t *out)
{
    char *e;
    if (!*s)
        return -LINUX_EINVAL;
    *out = strtoull(s, &e, base);
    return *e || *out > max ? -LINUX_EINVAL : 0;
}

/* The machine's memory in pages (Linux's totalram_pages). */
static uint64_t memory_pages(void)
{
    struct persona_memstats ms = {0, 0};
    sys_stats(STATS_MEMORY, -1, &ms, sizeof ms);
    return ms.total_bytes / 4096;
}

/* A remount's new size= or nr_inodes= (seen, not 0) must leave room for
 * what is used, and cannot limit an unlimited tmpfs: -EINVAL, as Linux's
 * shmem_reconfigure ("Too small size", "Cannot retroactively limit"). */
static int tmpfs_may_limit(bool seen, uint64_t v, uint64_t max, uint64_t used)
{
    return seen && v && (!max || v < used) ? -LINUX_EINVAL : 0;
}

/* mount.h.  Without size= or nr_inodes=, half the memory's pages, as
 * Linux's defaults; 0 is unlimited. */
int mount_tmpfs_options(char *data, struct fs *fs, uint32_t *mode, uint32_t *uid, uint32_t *gid, bool remount)
{
    uint64_t half = memory_pages() / 2, v;
    uint64_t blocks = remount ? fs->blocks_max : half, inodes = remount ? fs->inodes_max : half;
    bool seen_blocks = false, seen_inodes = false;
    for (char *opt = data, *next; opt && *opt; opt = next) {
        next = strchr(opt, ',');
        if (next)
            *next++ = '\0';
        char *val = strchr(opt, '=');
        if (val)
            *val++ = '\0';
        const char *end;
        if (!strcmp(opt, "ro") || !strcmp(opt, "rw") || !strcmp(opt, "inode64") || !strcmp(opt, "inode32"))
            continue; /* ro and rw: the flags say it (mount(8) turns them into MS_RDONLY) */
        if (fs_sb_flag(opt))
            continue; /* taken by the VFS before tmpfs sees the string, whatever its value */
        if (!val)
            return -LINUX_EINVAL;
        if (!strcmp(opt, "size")) {
            struct persona_memstats ms = {0, 0};
            v = memparse(val, &end);
            if (*end == '%') { /* of the machine's memory */
                sys_stats(STATS_MEMORY, -1, &ms, sizeof ms);
                v = ms.total_bytes / 100 * v, end++;
            }
            if (*end)
                return -LINUX_EINVAL;
            blocks = (v + 4095) / 4096, seen_blocks = true;
        } else if (!strcmp(opt, "nr_blocks")) {
            if ((blocks = memparse(val, &end)), *end)
                return -LINUX_EINVAL;
            seen_blocks = true;
        } else if (!strcmp(opt, "nr_inodes")) {
            if ((inodes = memparse(val, &end)), *end)
                return -LINUX_EINVAL;
            seen_inodes = true;
        } else if (!strcmp(opt, "mode") || !strcmp(opt, "uid") || !strcmp(opt, "gid")) {
            bool m = opt[0] == 'm';
            if (number(val, m ? 8 : 0, m ? UINT64_MAX : UINT32_MAX, &v) < 0 || (!m && v == UINT32_MAX))
                return -LINUX_EINVAL;
            if (!remount)
                *(m ? mode : opt[0] == 'u' ? uid : gid) = m ? (uint32_t)(v & 07777) : (uint32_t)v;
        } else {
            return -LINUX_EINVAL; /* "tmpfs: Unknown parameter" */
        }
    }
    if (remount && (tmpfs_may_limit(seen_blocks, blocks, fs->blocks_max, fs->blocks_used) < 0 ||
                    tmpfs_may_limit(seen_inodes, inodes, fs->inodes_max, fs->inodes_used) < 0))
        return -LINUX_EINVAL;
    /* as Linux's shmem_show_options: what differs from the defaults */
    fs->blocks_max = blocks, fs->inodes_max = inodes;
    char kept[sizeof fs->opts] = "";
    const char *owner = remount ? strstr(fs->opts, ",mode=") : NULL;
    owner = owner ? owner : remount ? strstr(fs->opts, ",uid=") : NULL;
    owner = owner ? owner : remount ? strstr(fs->opts, ",gid=") : NULL;
    if (owner) /* the root's mode and owner, which a remount does not change */
        snprintf(kept, sizeof kept, "%s", owner);
    int n = 0;
    char *o = fs->opts;
    size_t size = sizeof fs->opts;
    if (blocks != half)
        n += snprintf(o + n, size - (size_t)n, ",size=%lluk", (unsigned long long)blocks * 4);
    if (inodes != half)
        n += snprintf(o + n, size - (size_t)n, ",nr_inodes=%llu", (unsigned long long)inodes);
    if (remount)
        snprintf(o + n, size - (size_t)n, "%s", kept);
    else {
        if (*mode != 01777)
            n += snprintf(o + n, size - (size_t)n, ",mode=%03o", *mode);
        if (*uid)
            n += snprintf(o + n, size - (size_t)n, ",uid=%u", *uid);
        if (*gid)
            snprintf(o + n, size - (size_t)n, ",gid=%u", *gid);
    }
    return 0;
}

int mount_tmpfs_new(char *data, uint64_t flags, const struct inode *point, struct fs **out)
{
    static const struct inode none; /* a detached root's: no parent */
    struct fs *fs = calloc(1, sizeof *fs);
    uint32_t mode = 01777, uid = 0, gid = 0;
    if (!fs)
        return -LINUX_ENOMEM;
    *fs = (struct fs){.type = "tmpfs", .magic = TMPFS_MAGIC, .ops = &tmpfs_ops, .iops = &tmpfs_iops, .xattrs = true};
    int r = mount_tmpfs_options(data, fs, &mode, &uid, &gid, false);
    if (r == 0 && point && (point->mode & S_IFMT) != S_IFDIR)
        r = -LINUX_ENOTDIR;
    if (r == 0 && !fs_new_empty_root(fs, point ? point : &none, mode, uid, gid))
        r = -LINUX_ENOMEM;
    if (r < 0) {
        free(fs);
        return r;
    }
    fs->dev = mount_new_dev();
    fs->rdonly = flags & MS_RDONLY;
    *out = fs;
    return 0;
}

int mount_tmpfs_check(char *opt)
{
    struct fs scratch = {.opts = ""};
    uint32_t mode = 01777, uid = 0, gid = 0;
    return mount_tmpfs_options(opt, &scratch, &mode, &uid, &gid, false);
}

