/*
 * personalities/linux/mnttab.h - the mount table's part of the file
 * system's interface (mnttab.c, mntns.c, propagate.c): struct mount, the
 * namespaces' view of it, and the lookups a walk makes across mount
 * points.  Included by fs.h, after the walk's own types, which it uses;
 * not on its own.
 *
 * Entry points: below.  Layer: the file system.  Book: docs/linux.md,
 * "Mounts".
 */
#ifndef LINUX_MNTTAB_H
#define LINUX_MNTTAB_H
/* ---- the mount table (mnttab.c) ----
 * A mount shows root, a directory (or file) of fs, at point: a walk that
 * reaches point goes on at root.  A file system's own mount has its root
 * (fs->root); a bind mount, or another view of /proc, an inode that is
 * also elsewhere.  Mounts on the same point stack: the newest is seen. */
struct mount {
    int id, parent;         /* /proc/self/mountinfo's numbers: its own, and the mount point is on */
    struct inode *point;    /* NULL for the root's */
    struct inode *root;
    struct fs *fs;
    uint32_t flags;         /* the mount's own: MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_*ATIME */
    char source[64];        /* mount(2)'s first argument, as /proc/mounts shows it */
    bool unbindable;        /* MS_UNBINDABLE: a bind mount of it is EINVAL */
    int group;              /* its peer group's id (shared:N), 0: not shared (propagate.c) */
    int master;             /* the peer group it is a slave of (master:N), 0: none */
    struct mount *peer_next, *peer_prev; /* its group's ring (Linux's mnt_share): a clone goes after its source */
    struct mount *slave_next, *slave_prev; /* its master group's list of slaves (Linux's mnt_slave) */
    int tree_of;            /* open_tree's recursive clone (detached): the mount whose submounts it clones when attached */
    bool expiry_mark;       /* umount2's MNT_EXPIRE marked it, and no walk has ended in it since */
    struct ns *ns;          /* its mount namespace (mntns.c; NULL: the initial one) */
    struct mount *next;     /* oldest first */
};
/* The mount namespace the call's walks and tables see (the caller's:
 * NULL, the initial one).  Every namespace's mounts are in the one table,
 * each copy a mount of its own with its own id; a walk sees only its
 * namespace's, while peer groups and the mounts under a mount (by its
 * parent id) reach across them. */
extern struct ns *fs_mnt_ns;
/* Set while umount2 finds its target: that walk leaves the mount's
 * expiry mark, as Linux's path_umount puts its path without mntput. */
extern bool fs_walk_keeps_expiry;
/* Mounts fs, whose root fs_new_root made, on the directory point, with
 * mount flags flags (procfs on /proc).  0, or -errno. */
int fs_mount(struct inode *point, struct fs *fs, uint32_t flags);
/* The mounts attached in the caller's namespace (the root's among them):
 * what fs/mount-max bounds (mount.c). */
int fs_mount_count(void);
/* Adds a mount of root (of fs) at point, in fs_mnt_ns.  NULL: no memory. */
struct mount *fs_mount_add(struct inode *point, struct inode *root, struct fs *fs, const char *source, uint32_t flags);
/* A new peer group's id, the smallest free (Linux's mnt_group_ida), held
 * by m; and m out of its group: when it was the last member, the group's
 * slaves become slaves of m's master (none: private), as Linux's
 * do_make_slave.  fs_umount lets m's go. */
int fs_group_new(struct mount *m);
void fs_group_leave(struct mount *m);
/* m a slave of group (0: of none), at the head of the group's slaves or
 * next after after (Linux's list_add on mnt_slave_list); and the first
 * of a group's slaves, each's slave_next the next. */
void fs_slave_of(struct mount *m, int group, struct mount *after);
struct mount *fs_slaves(int group);
/* Takes m's group and master as a clone of like (Linux's clone_mnt without
 * CL_SLAVE or CL_PRIVATE): a clone of a shared mount is its peer, next
 * after it in the group's ring; of a slave, next after it among the
 * master's slaves. */
void fs_group_join(struct mount *m, struct mount *like);
/* The mount a walk that is in mount from (NULL: not known) sees on point
 * (the newest of a stack), or NULL.  A mount made under another is seen
 * from every mount showing its point, but from a mount in a propagation
 * relation with its parent (a peer, a slave, its master) only from the
 * parent itself: there, what is seen is what propagated. */
struct mount *fs_mount_on_from(struct inode *point, const struct mount *from);
/* Moves the attached mount m (not the root's) to point, newest there. */
void fs_mount_move(struct mount *m, struct inode *point);
/* Takes m out of the table (its inodes stay while something holds them). */
void fs_umount(struct mount *m);
/* The attached mount with id id (of any namespace: ids are unique), or
 * NULL; and a new id (a namespace copy's for the root's parent). */
struct mount *fs_mount_by_id(int id);
int fs_mount_new_id(void);
/* Every mount, oldest first: the root's, then procfs's, then mount(2)'s. */
struct mount *fs_mounts(void);
/* The mount table's changes so far, a mount, move, remount or unmount
 * each (Linux's mount namespace event), which /proc/mounts's poll shows;
 * fs_mount_touch counts one, and wakes the waits on that poll. */
extern uint64_t fs_mount_event;
void fs_mount_touch(void);
/* The mount whose root a walk that ended at ino saw (the newest), or NULL
 * if ino is no mount's root. */
struct mount *fs_mount_at(struct inode *ino);
/* The mount a walk sees at the directory point (the newest of a stack),
 * or NULL. */
struct mount *fs_mount_on(struct inode *point);
/* The mount an inode a walk found is seen through: the innermost whose
 * tree holds it (a file's, by its file system). */
struct mount *fs_mount_of(struct inode *ino);
/* What a walk that starts at ino without knowing its mount takes as the
 * mount (fs_walk_mount): the flags every visible mount holding ino has,
 * and the mount if only one holds it. */
struct fs_walk_mount fs_mount_guess(struct inode *ino);
/* Takes the mount a file of ino was opened through (its id, 0 if not
 * known, and its flags then) as the last walk's: a change through a
 * descriptor (fchmod, fchown, futimens, fsetxattr) asks the mount as it
 * is now (Linux's mnt_want_write_file). */
void fs_walk_through(struct inode *ino, int mnt_id, uint32_t flags);
/* A read of ino through a mount with flags mnt_flags: its access time
 * becomes now, as Linux's touch_atime decides (never for an inode with
 * FS_NOATIME_FL, nor with MS_NOATIME or read-only; always with
 * strictatime; with MS_RELATIME only if it is not after the change times
 * or is a day old). */
void fs_accessed(struct inode *ino, uint32_t mnt_flags);
/* Whether ino (a walk's result) is in m's tree. */
bool fs_mount_holds(const struct mount *m, const struct inode *ino);
/* Whether an inode of fs is open for writing (remount read-only: EBUSY). */
bool fs_has_writers(struct fs *fs);
/* A root directory for fs, to be mounted on point, showing what point
 * showed: its number, owner, mode and times. */
struct inode *fs_new_root(struct fs *fs, const struct inode *point);
/* An empty root directory for a new fs (a tmpfs mount's): its own
 * number, mode, owner; ".." leaves by point's parent. */
struct inode *fs_new_empty_root(struct fs *fs, const struct inode *point, uint32_t mode, uint32_t uid, uint32_t gid);
/* The directory a walk sees at ino: the root of what is mounted there, or
 * ino itself. */
struct inode *fs_mounted(struct inode *ino);

#endif
