/*
 * personalities/linux/fscontext.c - a file system context of Linux's new
 * mount API: fsopen for a new file system of a type mount(2) makes
 * (tmpfs, ext2, proc, sysfs, cgroup2), fspick for a mounted one's
 * superblock, gives a file (anon_inode:[fscontext]) that fsconfig fills
 * with parameters (fsparam.c takes them) and then creates or
 * reconfigures, in Linux's phases (EBUSY out of turn); fsmount
 * (fsmount.c) mounts what was created.  The context keeps the last eight
 * messages its parameters and commands logged (fsc_log, Linux's logfc),
 * which a read takes one at a time.  fsopen and fspick ask may_mount,
 * CMD_CREATE the type's mount_capable.
 *
 * Entry points: the calls' handlers (syscalls.def), fsc_log
 * (fscontext.h).  Layer: calls, over mount.c and the mount table.  Book:
 * docs/linux.md, "Mounts".
 */
#include "file.h"
#include "fscontext.h"
#include "mount.h"
#include "ext2.h"
#include "proc.h"
#include "procfs.h"
#include "sysfs.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "linux_entries/fscontext.h" /* generated: the handlers' prototypes, entries */

#define PARAM_MAX 256 /* a key's or string's bytes with the NUL (Linux's strndup_user) */

/* ---- the context's file ---- */

int fsc_log(struct fscontext *fc, char level, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char *m = malloc(strlen(text) + 4);
    if (m) {
        sprintf(m, "%c %s\n", level, text);
        if ((uint8_t)(fc->head - fc->tail) == FSC_LOG) /* full: the oldest goes */
            free(fc->log[fc->tail++ % FSC_LOG]);
        fc->log[fc->head++ % FSC_LOG] = m;
    }
    return -LINUX_EINVAL;
}

/* A read takes the oldest message whole (Linux's fscontext_read):
 * ENODATA without one, EMSGSIZE (and it is lost) if len is short. */
static int64_t fsc_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    struct fscontext *fc = f->fsc;
    if (fc->head == fc->tail)
        return -LINUX_ENODATA;
    char *m = fc->log[fc->tail++ % FSC_LOG];
    size_t n = strlen(m);
    int64_t r = n > len ? -LINUX_EMSGSIZE : mem_out(c->p, ubuf, m, n) < 0 ? -LINUX_EFAULT : (int64_t)n;
    free(m);
    return r;
}

static void fsc_release(struct file *f)
{
    struct fscontext *fc = f->fsc;
    if (fc->owned) /* an empty tmpfs no one mounted; an ext2's device is free (its tree stays, unreachable) */
        fc->type == FSC_EXT2 ? ext2_release(fc->fs) : fs_forget(fc->fs);
    while (fc->tail != fc->head)
        free(fc->log[fc->tail++ % FSC_LOG]);
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
    if (!mount_may(c->p)) /* CAP_SYS_ADMIN in the mount namespace's user namespace */
        return -LINUX_EPERM;
    if (flags & ~FSOPEN_CLOEXEC)
        return -LINUX_EINVAL;
    int r = mem_str(c->p, uname, name, sizeof name);
    if (r < 0)
        return r == -LINUX_ENAMETOOLONG ? -LINUX_EINVAL : r; /* strndup_user's, a page at most */
    int type = fsparam_type(name);
    if (type < 0)
        return -LINUX_ENODEV; /* the types mount(2) makes */
    if (type == FSC_SYSFS && !mount_fs_capable(c->p, "sysfs"))
        return -LINUX_EPERM; /* sysfs_init_fs_context: the network namespace's owner */
    struct fscontext *fc = calloc(1, sizeof *fc);
    if (!fc)
        return -LINUX_ENOMEM;
    fc->type = (enum fsc_type)type;
    return fsc_new(c, fc, flags & FSOPEN_CLOEXEC);
}

static int64_t sys_fspick(struct sys_ctx *c, int dfd, uint64_t upath, int flags)
{
    if (!mount_may(c->p))
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
    uint64_t magic = m->fs->magic;
    enum fsc_type t = magic == PROC_SUPER_MAGIC ? FSC_PROC : magic == SYSFS_MAGIC ? FSC_SYSFS
                      : magic == CGROUP2_SUPER_MAGIC ? FSC_CGROUP2 : ext2_is(m->fs) ? FSC_EXT2 : FSC_TMPFS;
    *fc = (struct fscontext){.phase = RECONF_PARAMS, .type = t, .fs = m->fs};
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
 * resolved as Linux does; then only a superblock flag's key takes it,
 * for no key of these types wants one (a type's parser: "Bad value"). */
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

/* The command or parameter once its arguments are copied (Linux's vfs_fsconfig_locked). */
static int config_locked(struct fscontext *fc, struct proc *p, int cmd, enum fsc_value kind, const char *key,
                         const char *value)
{
    if (fc->phase == AWAITING_RECONF) { /* after a mount or a reconfiguration: parameters afresh */
        fc->phase = RECONF_PARAMS, fc->set_ro = false, fc->sb_set = fc->sb_clear = 0, fc->data[0] = '\0';
    }
    int r;
    switch (cmd) {
    case FSCONFIG_CMD_CREATE:
        if (fc->phase != CREATE_PARAMS)
            return -LINUX_EBUSY;
        if (!mount_fs_capable(p, fsparam_type_name(fc->type)))
            return -LINUX_EPERM; /* mount_capable, before the phase moves on */
        r = fsparam_create(fc, p);
        fc->phase = r < 0 ? FAILED : AWAITING_MOUNT;
        return r;
    case FSCONFIG_CMD_RECONFIGURE:
        if (fc->phase != RECONF_PARAMS)
            return -LINUX_EBUSY;
        r = fsparam_reconfigure(fc, p);
        fc->phase = r < 0 ? FAILED : AWAITING_RECONF;
        return r;
    }
    if (fc->phase != CREATE_PARAMS && fc->phase != RECONF_PARAMS)
        return -LINUX_EBUSY;
    return fsparam_set(fc, kind, key, value);
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
    enum fsc_value kind = cmd == FSCONFIG_SET_FLAG ? FSV_FLAG : cmd == FSCONFIG_SET_STRING ? FSV_STRING : FSV_OTHER;
    if (cmd == FSCONFIG_SET_STRING && (r = param_str(c, uvalue, value)) < 0)
        return r;
    if (cmd >= FSCONFIG_SET_BINARY && cmd <= FSCONFIG_SET_FD && (r = other_value(c, cmd, uvalue, aux)) < 0)
        return r;
    return config_locked(f->fsc, c->p, cmd, kind, key, cmd == FSCONFIG_SET_STRING ? value : NULL);
}
