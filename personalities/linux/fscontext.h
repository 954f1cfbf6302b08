/*
 * personalities/linux/fscontext.h - what the new mount API's two files
 * share: a file system context (fscontext.c's, which fsmount in
 * fsmount.c mounts), and the mount a path names (fsmount.c's, which
 * fspick reconfigures).
 *
 * Entry points: struct fscontext, fsmount_named.  Callers: fscontext.c,
 * fsmount.c.  Layer: calls, over mount.c and the mount table.  Book:
 * docs/linux.md, "Mounts".
 */
#ifndef LINUX_FSCONTEXT_H
#define LINUX_FSCONTEXT_H
#include "fs.h"

struct sys_ctx;

/* A context's phase (Linux's enum fs_context_phase). */
enum phase { CREATE_PARAMS, AWAITING_MOUNT, AWAITING_RECONF, RECONF_PARAMS, FAILED };

struct fscontext {
    enum phase phase;
    bool proc;             /* fsopen("proc"): a view of the procfs instance of the caller's pid namespace */
    bool sysfs;            /* fsopen("sysfs"): the one sysfs, which takes no option */
    bool ext2;             /* fsopen("ext2"): from the block device "source" names (ext2.c), no option */
    struct inode *dev;     /* that device, found at CMD_CREATE */
    struct fs *fs;         /* created (CMD_CREATE) or picked (fspick) */
    bool owned;            /* fs was created here and no mount has it yet: it goes with the context */
    bool set_ro, ro;       /* "ro" or "rw" given */
    bool has_source;
    char source[64];
    char data[1024];       /* the tmpfs options given, comma-separated, as mount(2)'s */
};

/* The mount a path names: a mount file's own detached one (an empty path
 * on it: *detached set), or the attached one whose root it is; NULL:
 * EINVAL. */
struct mount *fsmount_named(struct sys_ctx *c, int64_t dfd, uint64_t upath, struct inode *ino, bool *detached);
#endif
