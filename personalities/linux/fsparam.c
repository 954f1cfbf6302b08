/*
 * personalities/linux/fsparam.c - a file system context's parameters, as
 * Linux 6.1's vfs_parse_fs_param and each type's fs_parameter_spec take
 * them, and the superblock CMD_CREATE makes of them or CMD_RECONFIGURE
 * changes.  The superblock flags come first (ro, rw, sync, dirsync, mand,
 * lazytime and their opposites: any kind of value); then the type's own
 * keys: a flag key given a value is "Unexpected value for", a key wanting
 * a string given none or another kind (a path, a descriptor, a blob) or a
 * value it does not parse "Bad value for"; then "source", once and a
 * string; anything else "Unknown parameter".  Each refusal is EINVAL with
 * its message in the context's log (fsc_log).  The options taken are
 * kept as mount(2)'s text and parsed by mount(2)'s own parsers at
 * CMD_CREATE.
 *
 * Entry points: fsparam_type, fsparam_type_name, fsparam_set,
 * fsparam_create, fsparam_reconfigure (fscontext.h).  Callers:
 * fscontext.c.  Layer: calls, over mount.c's, tmpfsopts.c's, ext2opts.c's,
 * procfsopts.c's and cgroupfs.c's parsers.  Book: docs/linux.md, "Mounts".
 */
#include "fscontext.h"
#include "cgroup.h"
#include "ext2.h"
#include "mount.h"
#include "proc.h"
#include "procfs.h"
#include "sysfs.h"
#include "userns.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_PARAM 1 /* the type has no such key (Linux's ENOPARAM) */

static const char *const type_names[] = {"tmpfs", "ext2", "proc", "sysfs", "cgroup2"};

int fsparam_type(const char *name)
{
    for (int i = 0; i < (int)(sizeof type_names / sizeof *type_names); i++)
        if (!strcmp(name, type_names[i]))
            return i;
    return -1;
}

const char *fsparam_type_name(enum fsc_type t) { return type_names[t]; }

static bool among(const char *key, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(key, names[i]))
            return true;
    return false;
}
#define AMONG(key, names) among(key, names, sizeof names / sizeof *names)

/* The superblock flags (Linux's common_set_sb_flag and common_clear_sb_flag). */
static bool sb_flag(struct fscontext *fc, const char *key)
{
    static const char *const set[] = {"dirsync", "lazytime", "mand", "ro", "sync"};
    static const char *const clear[] = {"", "nolazytime", "nomand", "rw", "async"};
    static const uint32_t bits[] = {MS_DIRSYNC, MS_LAZYTIME, MS_MANDLOCK, MS_RDONLY, MS_SYNCHRONOUS};
    for (int i = 0; i < 5; i++) {
        bool on = !strcmp(key, set[i]);
        if (!on && strcmp(key, clear[i]))
            continue;
        if (bits[i] == MS_RDONLY)
            fc->set_ro = true, fc->ro = on;
        else if (on)
            fc->sb_set |= bits[i], fc->sb_clear &= ~bits[i];
        else
            fc->sb_clear |= bits[i], fc->sb_set &= ~bits[i];
        return true;
    }
    return false;
}

/* key[=value] added to the options' text: 0, or -ENOMEM when full. */
static int keep(struct fscontext *fc, const char *key, const char *value)
{
    size_t n = strlen(fc->data);
    int w = snprintf(fc->data + n, sizeof fc->data - n, "%s%s%s%s", n ? "," : "", key, value ? "=" : "",
                     value ? value : "");
    if (w < 0 || (size_t)w >= sizeof fc->data - n) {
        fc->data[n] = '\0';
        return -LINUX_ENOMEM;
    }
    return 0;
}

static int bad_value(struct fscontext *fc, const char *key)
{
    return fsc_log(fc, 'e', "%s: Bad value for '%s'", type_names[fc->type], key);
}

/* A key whose spec is a flag, given a value; or one wanting a string given none. */
static int kind_refused(struct fscontext *fc, bool flag_key, enum fsc_value kind, const char *key)
{
    if (flag_key)
        return kind == FSV_FLAG ? 0 : fsc_log(fc, 'e', "%s: Unexpected value for '%s'", type_names[fc->type], key);
    return kind == FSV_STRING ? 0 : bad_value(fc, key);
}

/* tmpfs's keys (shmem_fs_parameters), parsed as mount(2)'s (tmpfsopts.c). */
static int tmpfs_param(struct fscontext *fc, enum fsc_value kind, const char *key, const char *value)
{
    static const char *const keys[] = {"gid", "huge", "mode", "mpol", "nr_blocks", "nr_inodes", "size", "uid"};
    bool flag = !strcmp(key, "inode32") || !strcmp(key, "inode64");
    if (!flag && !AMONG(key, keys))
        return NO_PARAM;
    int r = kind_refused(fc, flag, kind, key);
    if (r < 0)
        return r;
    char opt[600];
    snprintf(opt, sizeof opt, "%s%s%s", key, value ? "=" : "", value ? value : "");
    if ((value && strchr(value, ',')) || mount_tmpfs_check(opt) < 0)
        return bad_value(fc, key);
    return keep(fc, key, value);
}

/* proc's (proc_fs_parameters: gid, hidepid, subset), as proc_parse_param. */
static int proc_param(struct fscontext *fc, enum fsc_value kind, const char *key, const char *value)
{
    static const char *const keys[] = {"gid", "hidepid", "subset"};
    if (!AMONG(key, keys))
        return NO_PARAM;
    if (kind != FSV_STRING || !*value)
        return bad_value(fc, key);
    char *end;
    unsigned long n = strtoul(value, &end, key[0] == 'g' ? 0 : 10);
    bool number = *value != '-' && *value != '+' && !*end && n <= UINT32_MAX;
    if (key[0] == 'g')
        return number ? keep(fc, key, value) : bad_value(fc, key);
    if (key[0] == 'h') {
        static const char *const names[] = {"off", "noaccess", "invisible", "ptraceable"};
        if (number && n != 0 && n != 1 && n != 2 && n != 4)
            return fsc_log(fc, 'e', "proc: unknown value of hidepid - %lu\n", n);
        if (!number && !AMONG(value, names))
            return fsc_log(fc, 'e', "proc: unknown value of hidepid - %s\n", value);
        return keep(fc, key, value);
    }
    char list[256]; /* subset: a list of which "pid" is the one known */
    bool pid = false;
    snprintf(list, sizeof list, "%s", value);
    for (char *s = list, *next; s; s = next) {
        if ((next = strchr(s, ',')))
            *next++ = '\0';
        if (*s && strcmp(s, "pid"))
            return fsc_log(fc, 'e', "proc: unsupported subset option - %s\n", s);
        pid |= *s != '\0';
    }
    return pid && !strstr(fc->data, "subset=pid") ? keep(fc, key, "pid") : 0;
}

/* cgroup2's flags (cgroup2_fs_parameters). */
static int cgroup2_param(struct fscontext *fc, enum fsc_value kind, const char *key)
{
    static const char *const keys[] = {"nsdelegate", "favordynmods", "memory_localevents", "memory_recursiveprot"};
    if (!AMONG(key, keys))
        return NO_PARAM;
    int r = kind_refused(fc, true, kind, key);
    return r < 0 ? r : keep(fc, key, NULL);
}

/* ext2's (the ext4 driver's ext4_param_specs), as ext2opts.c takes them. */
static int ext2_param(struct fscontext *fc, enum fsc_value kind, const char *key, const char *value)
{
    bool flag = ext2_option_ok(key, NULL), string = ext2_option_ok(key, "0") || !strcmp(key, "errors");
    if (!flag && !string)
        return NO_PARAM;
    if (kind != (flag ? FSV_FLAG : FSV_STRING))
        return kind_refused(fc, flag, kind, key);
    return ext2_option_ok(key, value) ? keep(fc, key, value) : bad_value(fc, key);
}

int fsparam_set(struct fscontext *fc, enum fsc_value kind, const char *key, const char *value)
{
    if (sb_flag(fc, key))
        return 0;
    int r = NO_PARAM;
    switch (fc->type) {
    case FSC_TMPFS: r = tmpfs_param(fc, kind, key, value); break;
    case FSC_PROC: r = proc_param(fc, kind, key, value); break;
    case FSC_CGROUP2: r = cgroup2_param(fc, kind, key); break;
    case FSC_EXT2: r = ext2_param(fc, kind, key, value); break;
    case FSC_SYSFS: break; /* no parameter of its own */
    }
    if (r != NO_PARAM)
        return r;
    if (!strcmp(key, "source")) { /* Linux's vfs_parse_fs_param_source */
        if (kind != FSV_STRING)
            return fsc_log(fc, 'e', "Non-string source");
        if (fc->has_source)
            return fsc_log(fc, 'e', "Multiple sources");
        fc->has_source = true;
        snprintf(fc->source, sizeof fc->source, "%.63s", value); /* as long as a mount keeps */
        return 0;
    }
    return fsc_log(fc, 'e', "%s: Unknown parameter '%s'", type_names[fc->type], key);
}

/* ext2's device: the path "source" names, a block device (get_tree_bdev). */
static int ext2_device(struct fscontext *fc, struct proc *p)
{
    if (!fc->has_source)
        return fsc_log(fc, 'e', "No source specified");
    int r = fs_lookup(p->cwd, fc->source, true, &fc->dev);
    if (r == 0 && (fc->dev->mode & S_IFMT) != S_IFBLK)
        r = -LINUX_ENOTBLK;
    if (r < 0) /* Linux 6.1's words (later ones say "Can't lookup blockdev") */
        fsc_log(fc, 'e', "%s: Can't open blockdev", fc->source);
    return r;
}

/* Whether a mount shows fs. */
static bool shown(const struct fs *fs)
{
    for (const struct mount *m = fs_mounts(); m; m = m->next)
        if (m->fs == fs)
            return true;
    return false;
}

int fsparam_create(struct fscontext *fc, struct proc *p)
{
    if (!mount_fs_capable(p, type_names[fc->type])) /* sget_fc's mount_capable */
        return -LINUX_EPERM;
    char data[sizeof fc->data];
    memcpy(data, fc->data, sizeof data);
    uint64_t flags = (fc->ro ? MS_RDONLY : 0) | fc->sb_set;
    int r = -LINUX_ENODEV;
    switch (fc->type) {
    case FSC_PROC: { /* the instance of the caller's pid namespace, or one of its own with options */
        struct procfs_opts o;
        if ((r = procfs_parse(data, &o)) < 0)
            return r;
        o.given |= fc->ro; /* read-only: an instance of its own (Linux makes a superblock each time) */
        if (!(fc->fs = procfs_for(ns_of(p, NS_PID), o.given ? &o : NULL)))
            return -LINUX_ENODEV;
        fc->fs->rdonly |= fc->ro;
        return 0;
    }
    case FSC_SYSFS: /* the network namespace's superblock, which exists already: "ro" is not its */
        return (fc->fs = sysfs_fs()) ? 0 : -LINUX_ENODEV;
    case FSC_CGROUP2: /* the one superblock: a new one (none shows it) takes ro or rw, one shown keeps its own */
        if ((r = cgroupfs_create(p, data, &fc->fs, &fc->root)) == 0 && !shown(fc->fs))
            fc->fs->rdonly = fc->ro;
        return r;
    case FSC_EXT2:
        if ((r = ext2_device(fc, p)) < 0)
            return r;
        r = ext2_new(fc->dev, fc->source, data, flags, NULL, &fc->fs);
        break;
    case FSC_TMPFS:
        if ((r = mount_tmpfs_new(data, flags, NULL, &fc->fs)) == 0)
            mount_userns_hold(fc->fs, p->cred.userns); /* its s_user_ns: the creator's */
        break;
    }
    if (r == 0) /* a new superblock's flags; an ext2 mounted already keeps its own */
        fc->fs->sb_flags |= fc->sb_set & (MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK | MS_LAZYTIME);
    fc->owned = r == 0;
    return r > 0 ? 0 : r;
}

/* Why a tmpfs's reconfiguration refused its new size or inode count
 * (shmem_reconfigure's words): each given alone to a copy of it. */
static int tmpfs_refused(struct fscontext *fc)
{
    static const char *const keys[] = {"size=", "nr_blocks=", "nr_inodes="};
    char data[sizeof fc->data];
    memcpy(data, fc->data, sizeof data);
    for (char *opt = data, *next; opt && *opt; opt = next) {
        if ((next = strchr(opt, ',')))
            *next++ = '\0';
        for (int i = 0; i < 3; i++) {
            struct fs scratch = *fc->fs;
            uint32_t mode, uid, gid;
            char one[300];
            snprintf(one, sizeof one, "%s", opt);
            if (strncmp(opt, keys[i], strlen(keys[i])) || mount_tmpfs_options(one, &scratch, &mode, &uid, &gid, true) == 0)
                continue;
            bool inodes = i == 2, unlimited = !(inodes ? fc->fs->inodes_max : fc->fs->blocks_max);
            return fsc_log(fc, 'e', "tmpfs: %s", unlimited ? (inodes ? "Cannot retroactively limit inodes"
                                                                     : "Cannot retroactively limit size")
                                                           : (inodes ? "Too few inodes for current use"
                                                                     : "Too small a size for current use"));
        }
    }
    return -LINUX_EINVAL;
}

int fsparam_reconfigure(struct fscontext *fc, struct proc *p)
{
    if (!cred_ns_capable(&p->cred, fc->fs->userns, CAP_SYS_ADMIN)) /* the superblock's s_user_ns */
        return -LINUX_EPERM;
    char data[sizeof fc->data];
    memcpy(data, fc->data, sizeof data);
    if (fc->type == FSC_PROC && data[0])
        return -LINUX_EINVAL; /* an instance's options are not changed after it is made */
    int r = mount_fs_reconfigure(fc->fs, data, fc->set_ro, fc->ro);
    if (r == -LINUX_EINVAL && fc->type == FSC_TMPFS)
        return tmpfs_refused(fc);
    if (r == 0) /* the flags given, as reconfigure_super's sb_flags_mask */
        fc->fs->sb_flags = (fc->fs->sb_flags | fc->sb_set) & ~fc->sb_clear;
    return r;
}
