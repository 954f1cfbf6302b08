/*
 * personalities/linux/fs.h - the file system: inodes, the tree of names
 * that holds them, path walks, and the tmpfs that keeps every file's data
 * in the server's memory (the root, filled at boot from the initramfs).
 *
 * Entry points: fs_lookup*, fs_create, fs_unlink, fs_link, fs_rename and
 * fs_path/fs_name_of (fs.c); fs_read, fs_write, fs_truncate, fs_page,
 * fs_seek_data and fs_set_link (tmpfs.c); fs_init (fs.c: the root, /dev
 * and /tmp) and fs_load_cpio (initramfs.c).  Callers: the file and path calls (file.c, io.c,
 * stat.c, path.c), exec, mm, sockets (a bound name), procfs.
 *
 * Layer: above uapi.h alone.  The file system knows nothing of processes
 * or signals (scripts/check.sh holds fs.c, tmpfs.c, initramfs.c and dev.c
 * to it); who still points at an inode is asked through fs_sweep's
 * callback.  Book: docs/linux.md, "Files".
 */
#ifndef LINUX_FS_H
#define LINUX_FS_H
#include "uapi.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PATH_MAX_LEN 4096

/*
 * An inode: a file, directory, symlink, FIFO, socket node or device node.
 * The server is single-threaded and the terminal's reader thread touches
 * no inode, so nothing here is locked.  Lifetime: an inode lives while it
 * has a name (nlink), an open file (refs), or something that still points
 * at it (a working directory, a mapping); fs_release puts one with neither
 * name nor open file on the orphan list, and fs_sweep frees it once the
 * callback says nothing points at it.
 */
struct inode {
    uint32_t mode; /* type and permission bits, as st_mode */
    uint32_t uid, gid, nlink;
    uint64_t ino, size;
    int64_t atime, mtime, ctime; /* ns since 1970, on CLOCK_REALTIME */
    void *pages;            /* a regular file's data: tmpfs.c's tree of pages */
    int height;             /* its levels */
    uint32_t cap0;          /* at height 0, the length of its one page, which a small file keeps short */
    uint64_t npages;        /* the pages in it: holes take none */
    char *data;             /* a symlink's target */
    struct dirent_node *children; /* directories: the entries, in creation order */
    struct inode *parent;   /* directories: the one holding it (its ".."); kept once removed */
    int dev;                /* character devices: DEV_* */
    int fs;                 /* the file system it is on: FS_*, its st_dev */
    uint32_t rdev;          /* a device node's number, as mknod gave it */
    struct pipe *fifo;      /* a FIFO's pipe while it is open (pipe.c) */
    struct inode *orphan_next; /* on the list of inodes with no name and no open file */
    bool orphaned;
    int refs;               /* open files */
    int writers;            /* of them, those open for writing: execve refuses it (ETXTBSY) */
    bool exec_mapped;       /* a program's segments may still load pages from it (mm.c) */
};

/* A name in a directory. */
struct dirent_node {
    char *name;
    struct inode *inode;
    struct dirent_node *next;
    bool hidden; /* found by name, left out of listings (/proc/<tid>) */
};

/* The devices there are, behind character nodes. */
enum { DEV_NONE, DEV_NULL, DEV_ZERO, DEV_RANDOM, DEV_TTY };
/* Linux's numbers of those devices, major << 8 | minor
 * (Documentation/admin-guide/devices.txt). */
#define DEVNO_NULL 0x103
#define DEVNO_ZERO 0x105
#define DEVNO_RANDOM 0x108
#define DEVNO_URANDOM 0x109
#define DEVNO_TTY 0x500
#define DEVNO_CONSOLE 0x501
/* The device behind a character node's number, or DEV_NONE. */
int fs_dev_kind(uint32_t rdev);
/* The file systems, as st_dev numbers them: a new inode is on its
 * directory's; FS_ANON: pipes, sockets, eventfds and timerfds. */
enum { FS_ROOT = 1, FS_PROC, FS_ANON };

/* ---- the tree and path walks (fs.c) ---- */
/* The root directory, /dev with its devices, and /tmp. */
void fs_init(void);
struct inode *fs_root(void);
/* Resolves path (relative to cwd) to an inode; follow: the last symlink. */
int fs_lookup(struct inode *cwd, const char *path, bool follow, struct inode **out);
/* The same, following the last symlink, and the directory whose entry
 * named what it found (NULL for the root). */
int fs_lookup_in(struct inode *cwd, const char *path, struct inode **out, struct inode **dir);
/* The parent directory and the last name of path, which is split in
 * place (name points into it). */
int fs_lookup_parent(struct inode *cwd, char *path, struct inode **dir, const char **name);
struct inode *fs_dir_find(struct inode *dir, const char *name, size_t len);
/* Leaves dir/name out of directory listings; lookups still find it. */
void fs_hide(struct inode *dir, const char *name);
int fs_create(struct inode *dir, const char *name, uint32_t mode, struct inode **out);
int fs_unlink(struct inode *dir, const char *name, bool rmdir);
int fs_link(struct inode *dir, const char *name, struct inode *ino);
int fs_rename(struct inode *odir, const char *oname, struct inode *ndir, const char *nname);
/* The absolute path of a directory into buf. */
int fs_path(struct inode *dir, char *buf, size_t size);
/* The path of any inode, or -ENOENT: its name in hint if it has one there
 * (hint may be NULL), else the first name found for it in the tree. */
int fs_name_of(struct inode *ino, struct inode *hint, char *buf, size_t size);
/* A change of contents: the modification and change times are now. */
void fs_modified(struct inode *ino);
/* Once an inode has no name and no open file: its contents are freed,
 * and the inode joins the orphans, freed by fs_sweep when nothing else
 * points at them. */
void fs_release(struct inode *ino);
/* Frees the orphans that pinned() does not claim (a working directory or
 * a mapping still naming one); runs only when fs_sweep_wanted is set. */
extern bool fs_sweep_wanted;
void fs_sweep(bool (*pinned)(const struct inode *));
/* Inodes in existence: in the tree, open, or orphans not yet swept. */
uint64_t fs_inodes_live(void);

/* ---- file contents (tmpfs.c) ----
 * A regular file's data is kept in 4 KiB pages, as tmpfs keeps it: a page
 * never written is a hole, which takes no memory and reads as zeros. */
int fs_write(struct inode *ino, uint64_t off, const void *buf, size_t n);
/* Up to n bytes from off (fewer at the end of the file); holes read 0. */
size_t fs_read(const struct inode *ino, uint64_t off, void *buf, size_t n);
/* Page index of the file, or NULL for a hole. */
const char *fs_page(const struct inode *ino, uint64_t index);
/* SEEK_DATA and SEEK_HOLE: the first offset at or after off in data (or
 * in a hole; the end of the file is one), or -ENXIO. */
int64_t fs_seek_data(const struct inode *ino, uint64_t off, bool hole);
/* Grows (sparse) or cuts the file; a cut drops the pages past the end. */
int fs_truncate(struct inode *ino, uint64_t size);
/* A symlink's target. */
int fs_set_link(struct inode *ino, const char *target, size_t n);
/* Frees an inode's contents: its pages, or its symlink's target. */
void tmpfs_drop(struct inode *ino);

/* ---- the root's files at boot (initramfs.c): a cpio "newc" archive's
 * directories, files and symlinks; an overlay's replace what is there. */
int fs_load_cpio(const void *archive, size_t len);

#endif
