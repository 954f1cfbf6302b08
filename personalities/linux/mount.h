/*
 * personalities/linux/mount.h - what the two mount families share:
 * mount.c's and tmpfsopts.c's file systems (a new tmpfs, the one procfs), a superblock's
 * reconfiguration, and the mount a path names; fsmount.c's move of a
 * mount, which mount(2)'s MS_MOVE takes too.
 *
 * Entry points: the functions below.  Callers: mount.c (mount(2),
 * umount2), proc.c (proc_collect: mount_reap_lazy) and fsmount.c (fsopen, fsconfig, fsmount, fspick, open_tree,
 * move_mount, mount_setattr).  Layer: calls, over the mount table (fs.h).
 * Book: docs/linux.md, "Mounts".
 */
#ifndef LINUX_MOUNT_H
#define LINUX_MOUNT_H
#include "fs.h"

struct sys_ctx;
struct proc;
/* A mount's locks (mntuserns.c), in its flags above the MS_* ones: it
 * cannot be unmounted or moved alone (Linux's MNT_LOCKED), and which of
 * its flags cannot be taken away (MNT_LOCK_*). */
#define MOUNT_LOCKED (1u << 31)
#define MOUNT_LOCK_ATIME (1u << 30)
#define MOUNT_LOCK_RDONLY (1u << 29)
#define MOUNT_LOCK_NODEV (1u << 28)
#define MOUNT_LOCK_NOSUID (1u << 27)
#define MOUNT_LOCK_NOEXEC (1u << 26)
#define MOUNT_LOCKS (0x3fu << 26)
#define MOUNT_ATIME (MS_NOATIME | MS_NODIRATIME | MS_RELATIME)
/* mntuserns.c: may p mount (may_mount); may it make a file system of
 * type, and with which locks (flags, MS_*, takes those of the mount that
 * shows a proc or sysfs whole): 0 or -EPERM; m's locks as a copy for a
 * less privileged namespace (lock_mnt_tree); whether m's locks refuse
 * the flags to; whether a locked mount is on m below dir; a tmpfs's user
 * namespace, held; whether ino's file system opens no device. */
bool mount_may(const struct proc *p);
int mount_capable(const struct proc *p, const char *type, uint32_t *flags);
/* Its halves: CAP_SYS_ADMIN in the user namespace owning a new file
 * system of type (the caller's for tmpfs, its pid, network or cgroup
 * namespace's owner for proc, sysfs, cgroup2, the initial one's else);
 * whether a new mount of a proc or sysfs (magic) would show more than
 * the caller's mount namespace does (the locks it takes into flags). */
bool mount_fs_capable(const struct proc *p, const char *type);
bool mount_too_revealing(const struct proc *p, uint64_t magic, uint32_t *flags);
void mount_lock_tree(struct mount *m);
bool mount_locked_refuses(const struct mount *m, uint32_t to);
bool mount_has_locked_under(const struct mount *m, const struct inode *dir);
struct ns;
void mount_userns_hold(struct fs *fs, struct ns *u);
void mount_userns_drop(struct fs *fs); /* the hold let go before the file system goes (a procfs instance's) */
bool mount_userns_nodev(const struct inode *ino);
/* The mount flags (MS_*) a call's flags give: relatime unless said otherwise. */
uint32_t mount_flags(uint64_t flags);
/* A new tmpfs from its options (data: "size=1m,mode=700", changed in
 * place) to mount on point, a directory, or (point NULL) detached: its
 * root's ".." stays in it.  0 and *out, or -errno (EINVAL, ENOTDIR). */
int mount_tmpfs_new(char *data, uint64_t flags, const struct inode *point, struct fs **out);
/* Whether one tmpfs option ("size=1m", changed in place) parses: 0 or -EINVAL. */
int mount_tmpfs_check(char *opt);
/* tmpfs's options (comma-separated, as mount(8) passes them; changed in
 * place) into fs's limits and opts, and the root's mode and owner; a
 * remount takes only the sizes, and cannot shrink them below what is used
 * or limit an unlimited one.  0 or -EINVAL (tmpfsopts.c). */
int mount_tmpfs_options(char *data, struct fs *fs, uint32_t *mode, uint32_t *uid, uint32_t *gid, bool remount);
/* Whether a file system unmounted lazily waits to be taken apart, and
 * the check that does it once nothing uses it (proc_collect, between
 * messages; it looks at most every 20 ms). */
extern bool mount_lazy_pending;
void mount_reap_lazy(void);
/* m and the mounts on it go, without propagation (a mount namespace's
 * last user went: Linux's umount_tree of its mounts); a tmpfs no other
 * mount shows is taken apart now, or once nothing uses it (mntns.c). */
void mount_drop(struct mount *m);
/* The st_dev of a new file system: the next unnamed device. */
uint32_t mount_new_dev(void);
/* A superblock's reconfiguration: tmpfs's sizes from data, and if
 * set_ro, read-only or not (EBUSY with writers).  0 or -errno. */
int mount_fs_reconfigure(struct fs *fs, char *data, bool set_ro, bool ro);
/* The mount whose root the path (dfd, upath) names, which resolved to
 * ino (a bind mount's: found by the entry the walk ended on), or NULL. */
struct mount *mount_target(struct sys_ctx *c, int64_t dfd, uint64_t upath, struct inode *ino);
/* Moves the attached mount m to the directory (or file) point, under the
 * mount under (the target's walk's; NULL: the likeliest), as Linux's
 * do_move_mount: EINVAL (the root's, a type mismatch, m under a shared
 * mount), ELOOP (under itself); under a shared mount it propagates
 * (propagate.c).  fsmount.c. */
int mount_move(struct mount *m, struct inode *point, struct mount *under);
/* The mount the last walk, which found ino, went through (or the likeliest
 * one): what a bind mount of ino copies (NULL: none). */
struct mount *mount_walked(struct inode *ino);
/* Whether a file is open for writing through m (Linux's mnt_get_writers:
 * m cannot be made read-only, EBUSY). */
bool mount_has_writers(const struct mount *m);
#endif
