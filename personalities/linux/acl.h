/*
 * personalities/linux/acl.h - POSIX access control lists (acl.c): an
 * inode's "system.posix_acl_access" and "system.posix_acl_default"
 * attributes, kept among its extended attributes in Linux's xattr form
 * (posix_acl_xattr_header version 2, then 8-byte entries) with kernel
 * ids, as Linux 6.1's tmpfs and ext2 (through the ext4 driver) have them.
 *
 * Entry points below.  Callers: xattr.c (the calls), fsperm.c (the
 * check), attrs.c (chmod), fs.c (a new inode), ext2xattr.c (the image's
 * form).  Layer: the file system.  Book: docs/linux.md, "Users and
 * permissions".
 */
#ifndef LINUX_ACL_H
#define LINUX_ACL_H
#include "fs.h"

#define ACL_NAME_ACCESS "system.posix_acl_access"
#define ACL_NAME_DEFAULT "system.posix_acl_default"

/* The ACL type a name is (ACL_TYPE_ACCESS, ACL_TYPE_DEFAULT), or 0. */
int acl_type_of(const char *name);
/* Whether ino's file system keeps ACLs (Linux's IS_POSIXACL). */
bool acl_fs(const struct inode *ino);
/* setxattr of an ACL name (value NULL, size 0: removexattr's), the value
 * the caller's, its ids in the caller's user namespace u; 0 or -errno. */
int acl_set(const struct ns *u, struct inode *ino, int type, void *value, size_t size);
/* getxattr's: the ACL in the caller's ids into *out (a static buffer),
 * its size, or -ENODATA, -EOPNOTSUPP. */
int64_t acl_get(const struct ns *u, const struct inode *ino, int type, const void **out);
/* Linux's check_acl over ino's access ACL: 0, -EACCES, or -EAGAIN when
 * it has none. */
int acl_permission(const struct inode *ino, int mask);
/* chmod's: the access ACL's owner, mask (or group) and other entries
 * follow the new mode (Linux's posix_acl_chmod). */
void acl_chmod(struct inode *ino);
/* Whether dir has a default ACL (then a new inode's umask is not taken). */
bool acl_inherits(const struct inode *dir);
/* A new inode ino in dir: the default ACL becomes its access ACL (its
 * mode masked by it) and a directory's default (posix_acl_create);
 * 0 or -errno. */
int acl_create(const struct inode *dir, struct inode *ino);
/* The size of an ACL value in an ext2 image's form (ext4_acl_header and
 * short entries), and the two conversions (to: into out, its size; from:
 * a malloc'd xattr form, or NULL for a malformed one). */
size_t acl_disk_size(const void *value, size_t size);
size_t acl_to_disk(const void *value, size_t size, uint8_t *out);
void *acl_from_disk(const uint8_t *disk, size_t len, size_t *size);

#endif
