/*
 * personalities/linux/fscontext.h - what the new mount API's files
 * share: a file system context (fscontext.c's, whose parameters and
 * superblock fsparam.c makes, which fsmount in fsmount.c mounts), and
 * the mount a path names (fsmount.c's, which fspick reconfigures).
 *
 * Entry points: struct fscontext, fsc_log, fsparam_*, fsmount_named.
 * Callers: fscontext.c, fsparam.c, fsmount.c.  Layer: calls, over
 * mount.c and the mount table.  Book: docs/linux.md, "Mounts".
 */
#ifndef LINUX_FSCONTEXT_H
#define LINUX_FSCONTEXT_H
#include "fs.h"

struct sys_ctx;

/* A context's phase (Linux's enum fs_context_phase). */
enum phase { CREATE_PARAMS, AWAITING_MOUNT, AWAITING_RECONF, RECONF_PARAMS, FAILED };

/* The file system types fsopen knows: those mount(2) makes. */
enum fsc_type { FSC_TMPFS, FSC_EXT2, FSC_PROC, FSC_SYSFS, FSC_CGROUP2 };

/* How fsconfig gave a value (Linux's enum fs_value_type, the three
 * kinds a parser tells apart). */
enum fsc_value { FSV_FLAG, FSV_STRING, FSV_OTHER };

#define FSC_LOG 8 /* messages kept, the oldest dropped (Linux's fc_log) */

struct fscontext {
    enum phase phase;
    enum fsc_type type;
    struct inode *dev;     /* ext2: the block device "source" names, found at CMD_CREATE */
    struct fs *fs;         /* created (CMD_CREATE) or picked (fspick) */
    struct inode *root;    /* what a mount of it shows (cgroup2: the mounter's cgroup namespace's group) */
    bool owned;            /* fs was created here and no mount has it yet: it goes with the context */
    bool set_ro, ro;       /* "ro" or "rw" given */
    uint32_t sb_set, sb_clear; /* the other superblock flags given (MS_SYNCHRONOUS ...) */
    bool has_source;
    char source[64];
    char data[1024];       /* the file system's options given, comma-separated, as mount(2)'s */
    uint8_t head, tail;    /* the messages: log[tail % FSC_LOG] is the oldest */
    char *log[FSC_LOG];
};

/* fscontext.c: a message ("e ...", as Linux's logfc) kept for read;
 * returns -EINVAL, what the call that logs it answers. */
int fsc_log(struct fscontext *fc, char level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* fsparam.c: the type fsopen's name names (-1: none, ENODEV); one
 * parameter as its fs_parameter_spec takes it (value NULL but for a
 * string): 0, or -EINVAL with its message; CMD_CREATE for p (its
 * capability in the type's user namespace first, as Linux's
 * mount_capable: EPERM) and CMD_RECONFIGURE: 0 or -errno. */
int fsparam_type(const char *name);
const char *fsparam_type_name(enum fsc_type t);
int fsparam_set(struct fscontext *fc, enum fsc_value kind, const char *key, const char *value);
struct proc;
int fsparam_create(struct fscontext *fc, struct proc *p);
int fsparam_reconfigure(struct fscontext *fc, struct proc *p);

/* The mount a path names: a mount file's own detached one (an empty path
 * on it: *detached set), or the attached one whose root it is; NULL:
 * EINVAL. */
struct mount *fsmount_named(struct sys_ctx *c, int64_t dfd, uint64_t upath, struct inode *ino, bool *detached);
#endif
