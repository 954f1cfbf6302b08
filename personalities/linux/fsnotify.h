/*
 * personalities/linux/fsnotify.h - the file system's events, for inotify
 * (inotify.c): the hooks the VFS operations call at one place each (fs.c:
 * create, link, unlink, rename, an inode gone; file.c: open and the last
 * close; io.c: reads, writes and listings; path.c and xattr.c: attribute
 * changes and truncation; mount.c: an unmount); for fanotify (fanotify.c)
 * the opens, accesses, modifications and closes, (fanfid.c) the
 * directory events its FID groups hear, and (fanperm.c) the
 * permission events an open, a read or an exec waits on; for dnotify (dnotify.c)
 * what fcntl's F_NOTIFY asks for.  fs_release and fs_sweep say when an
 * inode goes: no name and no open file left, or (a watch made since)
 * freed.  Each is one test of fsnotify_watches while no watch exists.
 * inotify and fanotify queue through notifygroup.c, which counts
 * fsnotify_watches.
 *
 * Entry points: the inline hooks below.  Layer: beside fs.h; it includes
 * nothing of processes, so the file system may call it.  Book:
 * docs/linux.md, "inotify".
 */
#ifndef LINUX_FSNOTIFY_H
#define LINUX_FSNOTIFY_H
#include "uapi.h"
#include <stdbool.h>
#include <stdint.h>

struct inode;
struct fs;
extern int fsnotify_watches; /* inotify watches and fanotify marks there are, in every instance */
extern int fanotify_marks;   /* fanotify marks alone */

/* inotify.c's: an event on ino's own watches and on those of a directory
 * holding it (with its name); on ino's own alone; in directory dir about
 * its entry name (for child: IN_ISDIR); ino has no name and no open file
 * left (IN_DELETE_SELF, and its watches go). */
void inotify_inode(struct inode *ino, uint32_t mask);
void inotify_self(struct inode *ino, uint32_t mask);
void inotify_dirent(struct inode *dir, const char *name, const struct inode *child, uint32_t mask, uint32_t cookie);
void inotify_gone(struct inode *ino);
/* fs is unmounted and goes: IN_UNMOUNT and IN_IGNORED on its watches,
 * which go (Linux's fsnotify_unmount_inodes). */
void inotify_unmount(const struct fs *fs);
/* Whether a watch is on ino (its inode reference, which keeps it in
 * Linux's cache: fanotify_drop_caches). */
bool inotify_watches(const struct inode *ino);
/* fanotify.c's: an open (an exec's too: FAN_OPEN_EXEC), access,
 * modification, close or attribute change of ino (heard with the
 * directory holding it; with no path, a change's, not by groups that
 * report descriptors nor by mount marks); ino is gone (FAN_DELETE_SELF, and its marks
 * go).  fanfid.c's, the events only FID groups hear: one of ino's own
 * (a link count's FAN_ATTRIB, FAN_MOVE_SELF), one of an entry in dir,
 * a rename's FAN_RENAME, FAN_MOVED_FROM and FAN_MOVED_TO. */
void fanotify_event(struct inode *ino, uint32_t mask, bool path);
void fanotify_gone(struct inode *ino);
void fanotify_inode(struct inode *ino, uint32_t mask);
void fanotify_dirent(struct inode *dir, const char *name, const struct inode *child, uint32_t mask);
void fanotify_move(struct inode *odir, const char *oname, struct inode *ndir, const char *nname, struct inode *ino);
/* Mount mount_id goes, and with it file system fs (or NULL: another
 * mount still shows it): their marks go, and those on fs's inodes. */
void fanotify_unmount(const struct fs *fs, int mount_id);
/* drop_caches's reclaim of inodes (sysctl.c): the evictable marks of an
 * inode Linux would evict from its cache go with it. */
void fanotify_drop_caches(void);
/* fanperm.c's: a permission event (FAN_OPEN_PERM, FAN_ACCESS_PERM,
 * FAN_OPEN_EXEC_PERM) of c's call on ino: 0 to go on (c->deferred: the
 * call waits for a listener's answer, and is done again if allowed), or
 * -EPERM.  fanotify_perm_groups counts the groups of a permission class. */
struct sys_ctx;
extern int fanotify_perm_groups;
int fanotify_perm(struct sys_ctx *c, struct inode *ino, uint32_t mask);
static inline int fsnotify_perm(struct sys_ctx *c, struct inode *ino, uint32_t mask)
{
    return fanotify_perm_groups ? fanotify_perm(c, ino, mask) : 0;
}
/* A new cookie, tying a rename's IN_MOVED_FROM to its IN_MOVED_TO. */
uint32_t inotify_cookie(void);
/* /proc/sys/fs/inotify's max_queued_events, max_user_instances and
 * max_user_watches (procfs.c). */

/* dnotify.c's: an event of ino (its directory's requests hear it), an
 * entry's event in dir (mask 0: a rename within it); dnotify_marks counts
 * the requests of fcntl's F_NOTIFY. */
extern int dnotify_marks;
void dnotify_inode(struct inode *ino, uint32_t mask);
void dnotify_dirent(struct inode *dir, uint32_t mask);

static inline void fsnotify_path(struct inode *ino, uint32_t mask, bool path)
{
    if (dnotify_marks)
        dnotify_inode(ino, mask);
    if (fsnotify_watches) {
        inotify_inode(ino, mask);
        if (fanotify_marks)
            fanotify_event(ino, mask, path);
    }
}

/* An event of a file's use through a path (an open file's); a change of
 * its attributes, times or size (chmod, chown, utimes, truncate, xattrs:
 * Linux's fsnotify_change and fsnotify_xattr), which has none. */
static inline void fsnotify(struct inode *ino, uint32_t mask) { fsnotify_path(ino, mask, true); }
static inline void fsnotify_change(struct inode *ino, uint32_t mask) { fsnotify_path(ino, mask, false); }

static inline void fsnotify_self(struct inode *ino, uint32_t mask)
{
    if (fsnotify_watches) {
        inotify_self(ino, mask);
        if (fanotify_marks)
            fanotify_inode(ino, mask);
    }
}

static inline void fsnotify_dirent(struct inode *dir, const char *name, const struct inode *child, uint32_t mask)
{
    if (dnotify_marks)
        dnotify_dirent(dir, mask);
    if (fsnotify_watches) {
        inotify_dirent(dir, name, child, mask, 0);
        if (fanotify_marks)
            fanotify_dirent(dir, name, child, mask);
    }
}

static inline void fsnotify_gone(struct inode *ino)
{
    if (fsnotify_watches) {
        inotify_gone(ino);
        if (fanotify_marks)
            fanotify_gone(ino);
    }
}

static inline void fsnotify_unmount(const struct fs *fs, int mount_id)
{
    if (fsnotify_watches) {
        if (fs)
            inotify_unmount(fs);
        if (fanotify_marks)
            fanotify_unmount(fs, mount_id);
    }
}

/* A rename: fanotify's FAN_RENAME, IN_MOVED_FROM and IN_MOVED_TO with one
 * cookie, IN_ATTRIB on the entry it replaces (target, or NULL),
 * IN_MOVE_SELF on what moved (Linux's fsnotify_move). */
static inline void fsnotify_move(struct inode *odir, const char *oname, struct inode *ndir, const char *nname,
                                 struct inode *ino, struct inode *target)
{
    if (dnotify_marks) { /* a rename within a directory is one event more, as Linux's FS_DN_RENAME */
        if (odir == ndir)
            dnotify_dirent(odir, 0);
        dnotify_dirent(odir, IN_MOVED_FROM);
        dnotify_dirent(ndir, IN_MOVED_TO);
    }
    if (!fsnotify_watches)
        return;
    uint32_t cookie = inotify_cookie();
    if (fanotify_marks)
        fanotify_move(odir, oname, ndir, nname, ino);
    inotify_dirent(odir, oname, ino, IN_MOVED_FROM, cookie);
    inotify_dirent(ndir, nname, ino, IN_MOVED_TO, cookie);
    if (target)
        fsnotify_self(target, IN_ATTRIB);
    fsnotify_self(ino, IN_MOVE_SELF);
}

#endif
