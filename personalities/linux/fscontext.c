/*
 * personalities/linux/fscontext.c - a file system context of Linux's new
 * mount API: fsopen for a new tmpfs, an ext2 or proc (or the one sysfs),
 * fspick for a mounted one's superblock, gives a file
 * (anon_inode:[fscontext]) that fsconfig fills with parameters and then
 * creates or reconfigures, in Linux's phases (EBUSY out of turn); fsmount
 * (fsmount.c) mounts what was created.  The context's messages are not
 * kept (its read is ENODATA).
 *
 * Entry points: the calls' handlers (syscalls.def).  Layer: calls, over
 * mount.c and the mount table.  Book: docs/linux.md, "Mounts".
 */
#include "file.h"
#include "fscontext.h"
#include "mount.h"
#include "ext2.h"
#include "proc.h"
#include "procfs.h"
#include "sysfs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux_entries/fscontext.h" /* generated: the handlers' prototypes, entries */

#define PARAM_MAX 256 /* a key's or string's bytes with the NUL (Linux's strndup_user) */

/* ---- the context's file ---- */

static int64_t fsc_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)c, (void)f, (void)ubuf, (void)len, (void)at;
    return -LINUX_ENODATA; /* no message kept */
}

static void fsc_release(struct file *f)
{
    struct fscontext *fc = f->fsc;
    if (fc->owned) /* an empty tmpfs no one mounted; an ext2's device is free (its tree stays, unreachable) */
        fc->ext2 ? ext2_release(fc->fs) : (free(fc->fs->root), free(fc->fs));
    free(fc);
}

static const struct file_ops fsc_fops = {.read = fsc_read, .stat = anon_inode_stat, .release = fsc_release,
                                         .fs = &anon_inodefs, .stream = true};

static int64_t fsc_new(struct sys_ctx *c, struct fscontext *fc, bool cloexec)
{
    struct file *f = calloc(1, sizeof *f);
    if (!f) {
        free(fc);
        return -LINUX_ENOMEM;
    }
    *f = (struct file){.ops = &fsc_fops, .kind = FILE_FSCONTEXT, .flags = O_RDWR, .refs = 1, .fsc = fc};
    int fd = fd_alloc(c->p, 0, f, cloexec);
    if (fd < 0)
        file_put(f);
    return fd;
}
/* ---- the calls ---- */

static int64_t sys_fsopen(struct sys_ctx *c, uint64_t uname, int flags)
{
    char name[PATH_MAX_LEN];
    if (!cred_capable(&c->p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    if (flags & ~FSOPEN_CLOEXEC)
        return -LINUX_EINVAL;
    int r = mem_str(c->p, uname, name, sizeof name);
    if (r < 0)
        return r;
    if (strcmp(name, "tmpfs") && strcmp(name, "proc") && strcmp(name, "sysfs") && strcmp(name, "ext2"))
        return -LINUX_ENODEV; /* the types mount(2) makes */
    struct fscontext *fc = calloc(1, sizeof *fc);
    if (!fc)
        return -LINUX_ENOMEM;
    fc->proc = name[0] == 'p', fc->sysfs = name[0] == 's', fc->ext2 = name[0] == 'e';
    fc->fs = fc->proc ? procfs_for(ns_of(c->p, NS_PID), NULL) : NULL; /* Linux's proc_init_fs_context: the caller's */
    return fsc_new(c, fc, flags & FSOPEN_CLOEXEC);
}

static int64_t sys_fspick(struct sys_ctx *c, int dfd, uint64_t upath, int flags)
{
    if (!cred_capable(&c->p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    if (flags & ~(FSPICK_CLOEXEC | FSPICK_SYMLINK_NOFOLLOW | FSPICK_NO_AUTOMOUNT | FSPICK_EMPTY_PATH))
        return -LINUX_EINVAL;
    struct inode *ino;
    int r = path_target(c, dfd, upath, (flags & FSPICK_EMPTY_PATH ? AT_EMPTY_PATH : 0) |
                                           (flags & FSPICK_SYMLINK_NOFOLLOW ? AT_SYMLINK_NOFOLLOW : 0), &ino);
    if (r < 0)
        return r;
    bool detached;
    struct mount *m = fsmount_named(c, dfd, upath, ino, &detached);
    if (!m)
        return -LINUX_EINVAL; /* not a mount's root */
    struct fscontext *fc = calloc(1, sizeof *fc);
    if (!fc)
        return -LINUX_ENOMEM;
    *fc = (struct fscontext){.phase = RECONF_PARAMS, .proc = m->fs->magic == PROC_SUPER_MAGIC,
                             .sysfs = m->fs->magic == SYSFS_MAGIC, .fs = m->fs};
    return fsc_new(c, fc, flags & FSPICK_CLOEXEC);
}
/* fsconfig's arguments as Linux checks them before the descriptor. */
static int config_args(int cmd, uint64_t ukey, uint64_t uvalue, int aux)
{
    switch (cmd) {
    case FSCONFIG_SET_FLAG:
        return !ukey || uvalue || aux ? -LINUX_EINVAL : 0;
    case FSCONFIG_SET_STRING:
        return !ukey || !uvalue || aux ? -LINUX_EINVAL : 0;
    case FSCONFIG_SET_BINARY:
        return !ukey || !uvalue || aux <= 0 || aux > 1024 * 1024 ? -LINUX_EINVAL : 0;
    case FSCONFIG_SET_PATH:
    case FSCONFIG_SET_PATH_EMPTY:
        return !ukey || !uvalue || (aux != AT_FDCWD && aux < 0) ? -LINUX_EINVAL : 0;
    case FSCONFIG_SET_FD:
        return !ukey || uvalue || aux < 0 ? -LINUX_EINVAL : 0;
    case FSCONFIG_CMD_CREATE:
    case FSCONFIG_CMD_RECONFIGURE:
        return ukey || uvalue || aux ? -LINUX_EINVAL : 0;
    }
    return -LINUX_EOPNOTSUPP;
}

/* A user string of at most PARAM_MAX bytes: EFAULT, or EINVAL if longer. */
static int param_str(struct sys_ctx *c, uint64_t u, char *buf)
{
    int r = mem_str(c->p, u, buf, PARAM_MAX);
    return r == -LINUX_ENAMETOOLONG ? -LINUX_EINVAL : r < 0 ? r : 0;
}

/* A value that is no string (SET_BINARY, SET_PATH*, SET_FD): copied or
 * resolved as Linux does, then only a superblock flag's key takes it. */
static int other_value(struct sys_ctx *c, int cmd, uint64_t uvalue, int aux)
{
    static char path[PATH_MAX_LEN];
    if (cmd == FSCONFIG_SET_FD)
        return fd_file(c->p, (uint64_t)(int64_t)aux) ? 0 : -LINUX_EBADF;
    if (cmd == FSCONFIG_SET_BINARY) {
        char *blob = malloc((size_t)aux);
        int r = !blob ? -LINUX_ENOMEM : mem_in(c->p, blob, uvalue, (size_t)aux) < 0 ? -LINUX_EFAULT : 0;
        free(blob);
        return r;
    }
    int r = mem_str(c->p, uvalue, path, sizeof path);
    return r < 0 ? r : !path[0] && cmd == FSCONFIG_SET_PATH ? -LINUX_ENOENT : 0;
}

/* One parameter: key, and value (NULL: a flag; "" with other: no string). */
static int config_param(struct fscontext *fc, const char *key, const char *value, bool other)
{
    if (!strcmp(key, "ro") || !strcmp(key, "rw")) { /* Linux's vfs_parse_sb_flag: any kind of value */
        fc->set_ro = true, fc->ro = key[1] == 'o';
        return 0;
    }
    if (fs_sb_flag(key))
        return 0; /* kept by no file system here */
    if (other)
        return -LINUX_EINVAL;
    if (!strcmp(key, "source")) {
        if (!value || fc->has_source)
            return -LINUX_EINVAL; /* "Multiple sources" */
        fc->has_source = true;
        snprintf(fc->source, sizeof fc->source, "%.63s", value); /* as long as a mount keeps */
        return 0;
    }
    if (fc->sysfs || fc->ext2) /* "Unknown parameter": sysfs takes none; ext2's as mount(2)'s (ext2opts.c) */
        return fc->ext2 && ext2_option_ok(key, value) ? 0 : -LINUX_EINVAL;
    if (fc->proc) /* gid=, hidepid=, subset=: mount(2) takes them, fsconfig not yet (ENOSYS) */
        return !value || (strcmp(key, "gid") && strcmp(key, "hidepid") && strcmp(key, "subset")) ? -LINUX_EINVAL
                                                                                                 : -LINUX_ENOSYS;
    bool flag = !strcmp(key, "inode32") || !strcmp(key, "inode64");
    if (flag != !value || strchr(key, '=') || strchr(key, ',') || (value && strchr(value, ',')))
        return -LINUX_EINVAL; /* a flag with a value, an option without */
    char opt[2 * PARAM_MAX + 1];
    snprintf(opt, sizeof opt, "%s%s%s", key, value ? "=" : "", value ? value : "");
    size_t n = strlen(fc->data);
    if (n + strlen(opt) + 2 > sizeof fc->data)
        return -LINUX_ENOMEM;
    snprintf(fc->data + n, sizeof fc->data - n, "%s%s", n ? "," : "", opt);
    char check[sizeof opt];
    memcpy(check, opt, sizeof opt);
    int r = mount_tmpfs_check(check);
    if (r < 0)
        fc->data[n] = '\0';
    return r;
}

/* CMD_CREATE: the new file system (proc: the one procfs). */
static int config_create(struct fscontext *fc)
{
    if (fc->proc) { /* the instance of fsopen's caller's pid namespace (procfs_for) */
        if (!fc->fs)
            return -LINUX_ENODEV;
        return fc->ro ? -LINUX_ENOSYS : 0; /* an instance cannot be read-only for one mount */
    }
    if (fc->sysfs) {
        if (!(fc->fs = sysfs_fs()))
            return -LINUX_ENODEV;
        return fc->ro ? -LINUX_ENOSYS : 0; /* as procfs: one instance, not read-only for one mount */
    }
    char data[sizeof fc->data];
    memcpy(data, fc->data, sizeof data);
    uint64_t ro = fc->ro ? MS_RDONLY : 0;
    int r = !fc->ext2 ? mount_tmpfs_new(data, ro, NULL, &fc->fs)
            : fc->dev ? ext2_new(fc->dev, fc->source, "", ro, NULL, &fc->fs) : -LINUX_EINVAL; /* no source */
    fc->owned = r == 0;
    return r > 0 ? 0 : r; /* an ext2 mounted already: that one */
}

/* The command or parameter once its arguments are copied (Linux's vfs_fsconfig_locked). */
static int config_locked(struct fscontext *fc, int cmd, const char *key, const char *value, bool other)
{
    if (fc->phase == AWAITING_RECONF) { /* after a mount or a reconfiguration: parameters afresh */
        fc->phase = RECONF_PARAMS, fc->set_ro = false, fc->data[0] = '\0';
    }
    int r;
    switch (cmd) {
    case FSCONFIG_CMD_CREATE:
        if (fc->phase != CREATE_PARAMS)
            return -LINUX_EBUSY;
        r = config_create(fc);
        fc->phase = r < 0 ? FAILED : AWAITING_MOUNT;
        return r;
    case FSCONFIG_CMD_RECONFIGURE:
        if (fc->phase != RECONF_PARAMS)
            return -LINUX_EBUSY;
        r = (fc->proc || fc->sysfs) && fc->data[0] ? -LINUX_EINVAL : mount_fs_reconfigure(fc->fs, fc->data, fc->set_ro, fc->ro);
        fc->phase = r < 0 ? FAILED : AWAITING_RECONF;
        return r;
    }
    if (fc->phase != CREATE_PARAMS && fc->phase != RECONF_PARAMS)
        return -LINUX_EBUSY;
    return config_param(fc, key, value, other);
}

static int64_t sys_fsconfig(struct sys_ctx *c, int fd, int cmd, uint64_t ukey, uint64_t uvalue, int aux)
{
    char key[PARAM_MAX], value[PARAM_MAX];
    if (fd < 0)
        return -LINUX_EINVAL;
    int r = config_args(cmd, ukey, uvalue, aux);
    if (r < 0)
        return r;
    struct file *f = fd_file(c->p, (uint64_t)(int64_t)fd);
    if (!f)
        return -LINUX_EBADF;
    if (f->kind != FILE_FSCONTEXT)
        return -LINUX_EINVAL;
    key[0] = '\0';
    if (ukey && (r = param_str(c, ukey, key)) < 0)
        return r;
    bool other = cmd >= FSCONFIG_SET_BINARY && cmd <= FSCONFIG_SET_FD;
    if (cmd == FSCONFIG_SET_STRING && (r = param_str(c, uvalue, value)) < 0)
        return r;
    if (other && (r = other_value(c, cmd, uvalue, aux)) < 0)
        return r;
    struct fscontext *fc = f->fsc; /* ext2's source: the caller's path, found now */
    if (cmd == FSCONFIG_CMD_CREATE && fc->ext2 && fc->phase == CREATE_PARAMS && fc->has_source &&
        (r = fs_lookup(c->p->cwd, fc->source, true, &fc->dev)) < 0)
        return r;
    return config_locked(f->fsc, cmd, key, cmd == FSCONFIG_SET_STRING ? value : NULL, other);
}
