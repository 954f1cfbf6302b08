/*
 * personalities/linux/propagate.h - shared subtrees (Linux's
 * Documentation/filesystems/sharedsubtree.rst): peer groups (a mount's
 * group, shared:N), slaves (master:N), the propagation of a new mount to
 * the peers and slaves of the mount it goes under, and of an umount.
 *
 * Entry points: the functions below.  Callers: mount.c (mount(2)'s
 * MS_SHARED and the others, umount2) and fsmount.c (mount_setattr,
 * move_mount, open_tree).  Layer: calls, over the mount table (mnttab.c
 * holds the groups' ids).  Book: docs/linux.md, "Mounts".
 */
#ifndef LINUX_PROPAGATE_H
#define LINUX_PROPAGATE_H
#include "fs.h"

/* m, just attached (added or moved) under parent (NULL: keep the table's
 * guess): its parent, and if parent is shared, m's group (a new one if m
 * has none) and copies of m under each of parent's peers and slaves that
 * show m's point (Linux's attach_recursive_mnt and propagate_mnt).
 * 0, or -ENOSPC (no group id left). */
int prop_attach(struct mount *m, struct mount *parent);
/* Whether m or a mount under it is unbindable (Linux's
 * tree_contains_unbindable: such a tree cannot go under a shared mount,
 * EINVAL).  depth: 0. */
bool prop_tree_unbindable(const struct mount *m, int depth);
/* A bind mount of like's root at point under parent, a clone of like (a
 * clone of a shared mount is its peer; of a slave, a slave of its
 * master), with (rec) clones of the mounts under like that it shows;
 * then propagated as prop_attach.  NULL: no memory. */
struct mount *prop_bind(struct mount *parent, struct inode *point, struct inode *root, struct mount *like,
                        bool rec);
/* Clones under m of the mounts under like that m shows, and of theirs,
 * the unbindable ones left out (a recursive bind's, Linux's copy_tree). */
void prop_clone_under(struct mount *m, const struct mount *like);
/* The mounts an umount of m takes with it: under each peer and slave of
 * m's parent, the newest at m's point with none on it, or one covering it
 * whole, which stays (prop_untuck; Linux's propagate_umount).  Their number, at most max, into out. */
int prop_umount_set(const struct mount *m, struct mount **out, int max);
/* The one mount on c, if it covers c's root whole (Linux's find_topper),
 * or NULL; and that mount put back at c's point under c's parent, as c
 * goes.  A copy made where its parent already has a mount goes under it. */
struct mount *prop_topper(const struct mount *c);
void prop_untuck(struct mount *c);
/* A propagation change (MS_SHARED, MS_SLAVE, MS_PRIVATE or MS_UNBINDABLE,
 * one of them) of m, and with rec of the mounts under it, as Linux's
 * do_change_type: MS_SHARED gives each a group first.  0 or -ENOSPC. */
int mount_propagation(struct mount *m, uint64_t prop, bool rec);
/* MOVE_MOUNT_SET_GROUP: to joins from's peer group and master, with
 * Linux's do_set_group's checks (EINVAL).  0 or -errno. */
int prop_set_group(struct mount *from, struct mount *to);
/* Where m's point is, for mountinfo: through its parents' (a propagated
 * copy's point inode is its original's, but it sits in its own parent). */
void prop_point_path(const struct mount *m, char *buf, size_t size);
/* mountinfo's optional fields (Linux's show_mountinfo's "tagged" ones:
 * " shared:N master:N unbindable"); propagate_from is not shown (Linux
 * shows it only when the master group has no member under the process's
 * root but a further master has: a chroot's case). */
void prop_fields(const struct mount *m, char *buf, size_t size);
#endif
