/*
 * personalities/linux/fs.h - the virtual file system: inodes, the tree of
 * names that holds them, path walks, and the mount table on which file
 * systems plug in.  A file system (struct fs) is an st_dev, a statfs, the
 * operations on its inodes' contents (struct inode_ops) and on itself
 * (struct fs_ops), and a root directory, which fs_mount puts on a
 * directory of another.  The root is a tmpfs (tmpfs.c), filled at boot
 * from the initramfs (initramfs.c); /proc is procfs (procfs.c), mounted on
 * /proc, and /sys sysfs (sysfs.c); device nodes lead to their drivers by number (dev.c), wherever
 * they are, as Linux's character devices do.
 *
 * Entry points: fs_lookup*, fs_create, fs_unlink, fs_link, fs_rename,
 * fs_path/fs_name_of, fs_mount, and fs_read, fs_write and the other
 * contents calls, which go to the inode's file system (fs.c); fs_init
 * (fs.c: the root, /dev and /tmp) and fs_load_cpio (initramfs.c).
 * Callers: the file and path calls (file.c, io.c, stat.c, path.c), exec,
 * mm, sockets (a bound name), procfs.
 *
 * Layer: above uapi.h alone.  The file system knows nothing of processes
 * or signals (scripts/check.sh holds fs.c, tmpfs.c, initramfs.c, dev.c
 * and sysfs's files to it); who still points at an inode is asked through fs_sweep's
 * callback.  Book: docs/linux.md, "Files".
 */
#ifndef LINUX_FS_H
#define LINUX_FS_H
#include "uapi.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PATH_MAX_LEN 4096
/* A directory's size counts its entries, "." and ".." included, at 20
 * bytes each, as tmpfs's does (its BOGO_DIRENT_SIZE). */
#define DIRENT_SIZE 20

struct inode;
struct fs;
struct xattr;
struct ns;

/* Who asks: a thread's ids, as Linux's struct cred (real, effective,
 * saved, file-system; supplementary groups) and its capabilities
 * (effective, permitted, inheritable, bounding, ambient), which follow the
 * ids as Linux's do without file capabilities: root's are its bounding
 * set, and they go when it becomes someone else (cred.c, caps.c).  The file system checks permissions
 * against fs_cred, the caller's (main.c sets it for each call; the
 * server's own work is root's). */
/* The most supplementary groups a thread has (Linux's NGROUPS_MAX). */
#define CRED_GROUPS_MAX 65536
/* The capabilities that a check asks for (linux/capability.h). */
enum {
    CAP_CHOWN = 0, CAP_DAC_OVERRIDE = 1, CAP_DAC_READ_SEARCH = 2, CAP_FOWNER = 3, CAP_FSETID = 4, CAP_KILL = 5,
    CAP_SETGID = 6, CAP_SETUID = 7, CAP_SETPCAP = 8, CAP_LINUX_IMMUTABLE = 9, CAP_NET_BIND_SERVICE = 10, CAP_NET_ADMIN = 12,
    CAP_NET_RAW = 13, CAP_IPC_LOCK = 14,
    CAP_IPC_OWNER = 15, CAP_SYS_RAWIO = 17, CAP_SYS_CHROOT = 18, CAP_SYS_PTRACE = 19, CAP_SYS_ADMIN = 21, CAP_SYS_BOOT = 22, CAP_SYS_NICE = 23,
    CAP_SYS_RESOURCE = 24, CAP_SYS_TIME = 25, CAP_SYS_TTY_CONFIG = 26, CAP_MKNOD = 27, CAP_LEASE = 28, CAP_PACCT = 20,
    CAP_AUDIT_CONTROL = 30, CAP_SETFCAP = 31, CAP_MAC_OVERRIDE = 32, CAP_SYSLOG = 34, CAP_WAKE_ALARM = 35, CAP_CHECKPOINT_RESTORE = 40,
    CAP_LAST = 40
};
#define CAP_ALL ((1ull << (CAP_LAST + 1)) - 1)
/* The ones a file-system id of 0 brings (Linux's CAP_FS_MASK). */
#define CAP_FS_SET ((1ull << CAP_CHOWN) | (1ull << CAP_DAC_OVERRIDE) | (1ull << CAP_DAC_READ_SEARCH) | \
                    (1ull << CAP_FOWNER) | (1ull << CAP_FSETID) | (1ull << CAP_LINUX_IMMUTABLE) | \
                    (1ull << CAP_MKNOD) | (1ull << CAP_MAC_OVERRIDE))
/* A list of supplementary groups, shared by the creds that copy it. */
struct cred_groups {
    int refs;
    uint32_t gid[];
};
struct cred {
    union { /* cred.c's rules take the four as a row */
        struct {
            uint32_t uid, euid, suid, fsuid;
        };
        uint32_t uids[4];
    };
    union {
        struct {
            uint32_t gid, egid, sgid, fsgid;
        };
        uint32_t gids[4];
    };
    int ngroups;
    struct cred_groups *grp; /* the groups, sorted; shared by the creds copied from one (NULL: none) */
    /* the capability sets, the bounding and ambient ones too (caps.c), and
     * prctl's securebits (SECBIT_KEEP_CAPS is PR_SET_KEEPCAPS's) */
    uint64_t cap_eff, cap_prm, cap_inh, cap_bnd, cap_amb;
    uint32_t securebits;
    /* chroot's directory, where absolute paths start and ".." stops (NULL:
     * the root of everything).  No id, but what the file system asks of
     * the caller along with them; a process's threads share it. */
    struct inode *root;
    /* its user namespace (userns.c; NULL: the initial one), the one its
     * thread's ns slot names: its ids are seen through it, its
     * capabilities hold in it */
    struct ns *userns;
};
extern const struct cred *fs_cred;
/* Linux's capable: c holds capability cap in the initial user namespace
 * (its effective set, and no namespace of its own). */
static inline bool cred_capable(const struct cred *c, int cap) { return !c->userns && ((c->cap_eff >> cap) & 1); }
/* ns_capable(current_user_ns(), cap): c holds cap in its own namespace. */
static inline bool cred_own_capable(const struct cred *c, int cap) { return (c->cap_eff >> cap) & 1; }
/* Linux's ns_capable: c holds cap in user namespace u (NULL: the initial
 * one), its own or one its namespace's owner made below it (userns.c). */
bool cred_ns_capable(const struct cred *c, const struct ns *u, int cap);
/* capable_wrt_inode_uidgid: cap in c's own namespace, which maps ino's
 * owner and group (userns.c). */
bool cred_inode_capable(const struct cred *c, const struct inode *ino, int cap);
/* Linux's checkpoint_restore_ns_capable: CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE. */
static inline bool cred_checkpointer(const struct cred *c)
{
    return cred_capable(c, CAP_SYS_ADMIN) || cred_capable(c, CAP_CHECKPOINT_RESTORE);
}
/* A /proc link only a checkpointer may follow (its rdev): map_files/'s
 * entries (procpid.c); fs.c's walk answers EPERM to anyone else. */
#define PROC_CHECKPOINT_LINK 3u
/* Root's, which fs_cred is for the server's own work (between calls, at
 * boot); any other fs_cred is a thread's, in its struct proc (procfs
 * finds /proc/self's process by it). */
extern const struct cred fs_server_cred;
/* A cred that goes away (its thread's): fs_cred becomes root's if it was it. */
void fs_cred_drop(const struct cred *c);
/* execve of ino: a set-user-ID or set-group-ID program's owner becomes the
 * effective id (not with no_new_privs), and the effective ids are saved
 * (cred.c); true if an effective id changed. */
bool cred_exec(struct cred *cr, const struct inode *ino, bool no_new_privs);
/* A copy of a cred (fork, clone) holds its groups too; a cred that goes
 * lets them go (cred.c). */
void cred_hold(struct cred *c);
void cred_release(struct cred *c);
/* execve's capabilities, as Linux's cap_bprm_creds_from_file for a
 * program without file capabilities: old is the cred before, setid whether
 * an id changed (caps.c). */
void caps_exec(struct cred *cr, const struct cred *old, bool setid, bool no_new_privs);
/* Linux's MAY_* of a permission check. */
enum { MAY_EXEC = 1, MAY_WRITE = 2, MAY_READ = 4 };
/* 0 if fs_cred may do mask to ino, else -EACCES (Linux's generic_permission).
 * Inline, root's common case: root reads, writes and searches anything;
 * every walk asks for each directory. */
int fs_permission_check(const struct inode *ino, int mask); /* fs_permission is below struct inode */
/* fs_cred owns ino, or is root (CAP_FOWNER). */
bool fs_owner(const struct inode *ino);
/* gid is fs_cred's file-system group or one of its groups. */
bool fs_in_group(uint32_t gid);
/* A write or truncation by one without CAP_FSETID: the set-user-ID bit
 * goes, and set-group-ID with group execute (Linux's file_remove_privs). */
void fs_remove_privs(struct inode *ino);
/* Removing or renaming ino from dir: write and search on dir, then EPERM
 * in an append-only dir, or in a sticky one for someone who owns neither
 * ino nor dir (nor is root), or for an append-only or immutable ino
 * (Linux's may_delete). */
int fs_may_delete(const struct inode *dir, const struct inode *ino);
/* /proc/sys/fs/protected_*, as Linux's namei: following symlink link
 * found in dir (protected_symlinks: in a sticky world-writable directory
 * only the link's owner, or the directory's owner's link, EACCES); a
 * hard link to ino (protected_hardlinks: its owner, CAP_FOWNER, or a
 * regular file that is not set-id and that the caller may read and
 * write, EPERM); an O_CREAT open of ino that exists in dir
 * (protected_fifos, protected_regular: in a sticky directory someone
 * else's FIFO or file, world-writable, or group-writable at 2, EACCES). */
int fs_may_follow(const struct inode *dir, const struct inode *link);
int fs_may_link(const struct inode *ino);
int fs_may_open_sticky(const struct inode *dir, const struct inode *ino);

/* What a file system does with its inodes' contents: tmpfs's pages, for
 * tmpfs and procfs alike.  The names in its directories are the tree's
 * (fs.c), which holds every name there is. */
struct inode_ops {
    /* Up to n bytes from off (fewer at the end of the file); holes read 0. */
    size_t (*read)(const struct inode *ino, uint64_t off, void *buf, size_t n);
    int (*write)(struct inode *ino, uint64_t off, const void *buf, size_t n);
    int (*truncate)(struct inode *ino, uint64_t size);
    /* The page index of the file, or NULL for a hole (mm.c maps them). */
    const char *(*page)(const struct inode *ino, uint64_t index);
    /* The same as a whole page, a mapping of its own in this server whose
     * frame processes may map (a short page made whole); with create, a
     * hole becomes a page of zeros.  NULL: a hole, or no memory. */
    char *(*whole_page)(struct inode *ino, uint64_t index, bool create);
    int64_t (*seek_data)(const struct inode *ino, uint64_t off, bool hole);
    int (*set_link)(struct inode *ino, const char *target, size_t n);
    /* fallocate: pages of zeros in the holes of pages [first, end) (the
     * size is the caller's); a range's bytes made zero, its whole pages
     * freed.  NULL: EOPNOTSUPP (falloc.c). */
    int (*allocate)(struct inode *ino, uint64_t first, uint64_t end);
    void (*punch)(struct inode *ino, uint64_t off, uint64_t len);
    /* Frees the contents of an inode with no name and no open file left. */
    void (*drop)(struct inode *ino);
};

/* What a file system does as a whole.  Any may be NULL. */
struct fs_ops {
    /* statfs: the sizes (and flags) beyond the magic and the defaults. */
    void (*statfs)(struct fs *fs, struct linux_statfs *s);
    /* Its own permission check (procfs's /proc/sys), instead of
     * fs_generic_permission, after the read-only one. */
    int (*permission)(const struct inode *ino, int mask);
    /* A file system written on demand (procfs), one name at a time: a
     * path walk (or fs_lookup_parent) is about to look name (n bytes, not
     * "." or "..") up in its directory dir, which brings that entry up to
     * date, or removes it; refresh: its directory dir is opened, to be
     * listed, which brings the listing up to date. */
    void (*lookup)(struct fs *fs, struct inode *dir, const char *name, size_t n);
    void (*refresh)(struct fs *fs, struct inode *dir);
    /* What stat says of ino, once filled from it (sysfs's attributes'
     * size of a page). */
    void (*getattr)(const struct inode *ino, struct linux_stat *st);
    /* Whether the caller may stat ino at all: 0 or -errno (procfs's
     * hidepid=invisible; NULL: always). */
    int (*may_getattr)(const struct inode *ino);
    /* lseek's SEEK_END, SEEK_DATA and SEEK_HOLE on a regular file of its
     * own: the new position or -errno (NULL: from the size and pages). */
    int64_t (*seek)(const struct inode *ino, int64_t off, int whence);
    /* A file system kept elsewhere (ext2's image): writes it back whole
     * (sync, syncfs, fsync, a remount read-only, umount); 0 or -errno. */
    int (*sync)(struct fs *fs);
    /* A new inode's number, before it gets its name: -ENOSPC when none is
     * left (ext2's inode table). */
    int (*new_inode)(struct inode *ino);
    /* Its last inode went after fs_forget: frees the record (free(fs)
     * when NULL: a tmpfs's). */
    void (*free)(struct fs *fs);
    /* Where an attribute name of size bytes (replacing old, or NULL) goes
     * on ino: 0, the inode, or 1, an attribute block (xattr.in_block), or
     * -ENOSPC (ext2's room; NULL: anywhere, tmpfs's). */
    int (*xattr_room)(const struct inode *ino, const char *name, size_t size, const struct xattr *old);
};

/* The st_dev of each file system, as Linux numbers unnamed ones. */
enum { DEV_ROOTFS = 1, DEV_PROCFS = 2, DEV_ANONFS = 3, DEV_SYSFS = 4, DEV_NSFS = 5 };

/* A file system.  Its inodes point at it (inode->fs); mounted, its root's
 * parent is the mountpoint's parent, so that ".." leaves it. */
struct fs {
    const char *type;       /* as /proc/mounts names it */
    uint32_t dev;           /* st_dev of its inodes */
    uint64_t magic;         /* statfs's f_type */
    const struct fs_ops *ops;
    const struct inode_ops *iops;
    struct inode *root;
    struct inode *point;    /* the directory it is mounted on; NULL for the root's */
    bool xattrs;            /* its inodes take extended attributes (tmpfs) */
    bool kernfs;            /* sysfs, as Linux's kernfs: its names are the server's (fs_names_fixed),
                               and a file opens for writing only with a write bit (file.c) */
    bool rdonly;            /* mounted or remounted MS_RDONLY: writes are EROFS (fs_permission, fs_want_write) */
    bool immutable;         /* its inodes are Linux's S_IMMUTABLE (nsfs): writes and attribute changes EPERM */
    uint64_t maxbytes;      /* the largest size of a regular file (Linux's s_maxbytes; 0: MAX_LFS_FILESIZE) */
    uint32_t sb_flags;      /* MS_SYNCHRONOUS, MS_DIRSYNC, MS_MANDLOCK, MS_LAZYTIME as mount(2) gave them (its
                               superblock's, not a mount's: /proc/mounts and statfs show them) */
    bool grpid;             /* new inodes take their directory's group, set-group-ID or not, and a new
                               directory not its set-group-ID bit (ext2's grpid option, as ext4_new_inode) */
    /* A tmpfs's size= in pages and nr_inodes= (0: unlimited; the root's
     * statfs shows the machine's memory), and what is used of them as
     * Linux's shmem counts it: the pages of data (a long symlink's one too),
     * and the inodes, each hard link beyond a file's first as one more.
     * Past either, ENOSPC (tmpfs.c, fs.c). */
    uint64_t blocks_max, inodes_max, blocks_used, inodes_used;
    /* Of blocks_used, the pages fallocate reserved that hold no memory yet
     * (tmpfs.c's RESERVED): the root's statfs counts them as used. */
    uint64_t blocks_unbacked;
    char opts[160];         /* its own options as /proc/mounts shows them after "rw" ("size=1024k,mode=700") */
    /* The inodes of it that exist, and whether its last mount went (a
     * tmpfs unmounted whole, its root orphaned: fs_forget): the struct
     * goes with its last inode. */
    uint64_t inodes_live;
    bool gone;
    struct ns *userns;      /* a tmpfs mounted in a user namespace: it (held; Linux's s_user_ns), else NULL */
};

/* The largest size a regular file of fs may have: a write from there is
 * EFBIG, one across it stops at it, a truncate past it is EFBIG and a
 * seek past it EINVAL (an ext2's block map's limit; Linux's s_maxbytes). */
static inline uint64_t fs_maxbytes(const struct fs *fs) { return fs->maxbytes ? fs->maxbytes : (uint64_t)INT64_MAX; }

/* An extended attribute of an inode (xattr.c): its whole name, with the
 * namespace ("user.mime_type"), and its value; POSIX ACLs are kept as
 * ones too, in their xattr form (acl.c). */
struct xattr {
    struct xattr *next;
    char *name;
    void *value;
    size_t size;
    bool in_block; /* ext2's: kept in the file's attribute block, not in the inode (ext2xattr.c) */
};

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
    uint64_t ino, size;     /* a directory's: DIRENT_SIZE an entry */
    int64_t atime, mtime, ctime; /* ns since 1970, on CLOCK_REALTIME */
    int64_t btime;          /* when it was made (statx's STATX_BTIME on tmpfs, as Linux's i_crtime) */
    void *pages;            /* a regular file's data: tmpfs.c's tree of pages */
    int height;             /* its levels */
    uint32_t cap0;          /* at height 0, the length of its one page, which a small file keeps short */
    uint64_t npages;        /* the pages in it: holes take none */
    char *data;             /* a symlink's target */
    struct dirent_node *children; /* directories: the entries, in creation order */
    struct inode *parent;   /* directories: the one holding it (its ".."); kept once removed */
    struct inode *entry_dir; /* a directory holding an entry for it (the newest link's), or NULL: fs_name_of's
                                first guess, so that a name is not a search of the whole tree */
    struct fs *fs;          /* the file system it is on */
    uint32_t rdev;          /* a device node's number, as mknod gave it (dev.c finds its driver) */
    bool mounted_on;        /* a file system is mounted on it (fs.c's mount table) */
    struct pipe *fifo;      /* a FIFO's pipe while it is open (pipe.c) */
    struct inode *orphan_next; /* on the list of inodes with no name and no open file */
    bool orphaned;
    bool linkable;          /* an O_TMPFILE file opened without O_EXCL: linkat may name it (Linux's I_LINKABLE) */
    uint8_t write_hint;     /* fcntl's F_SET_RW_HINT, kept and reported */
    int refs;               /* open files */
    int writers;            /* of them, those open for writing: execve refuses it (ETXTBSY) */
    struct xattr *xattrs;   /* extended attributes, oldest first */
    bool lazily_mapped;     /* areas (a program's segments, private mappings) may still load pages from it (mm.c) */
    char *anon_name;        /* a file with no name that /proc names all the same: memfd_create's
                               "/memfd:NAME (deleted)" (malloc'd, freed with the inode) */
    uint32_t seals;         /* a memfd's F_SEAL_* (memfd.c), which writes, truncations and shared
                               mappings obey; 0 for every other file */
    uint32_t iflags;        /* chattr's FS_*_FL, tmpfs's and ext2's (its i_flags): iflags.c */
    void *fs_private;       /* its file system's own, freed by its drop (ext2map.c: the blocks of an ext2
                               file's pages that no write touched) */
};

/* Linux's IS_IMMUTABLE (an inode's FS_IMMUTABLE_FL, or every inode of an
 * immutable file system: nsfs) and IS_APPEND (FS_APPEND_FL). */
static inline bool fs_is_immutable(const struct inode *ino)
{
    return ino->fs->immutable || (ino->iflags & FS_IMMUTABLE_FL);
}
static inline bool fs_is_append(const struct inode *ino) { return ino->iflags & FS_APPEND_FL; }
/* The chattr flags a new inode of type mode takes from its directory dir
 * (tmpfs's shmem_get_inode, ext2's ext2_new_inode): fsperm.c. */
uint32_t fs_iflags_inherited(const struct inode *dir, uint32_t mode);

/* The mount the last walk of this call reached its result through, as
 * Linux's struct path's mnt: its flags (MS_RDONLY, MS_NOSUID, MS_NODEV,
 * MS_NOEXEC), and the mount itself when the walk knows it.  A walk from
 * a working directory or a descriptor's directory knows only the inode:
 * it takes the flags every mount that shows it has (the least
 * restrictive) and the mount only if one shows it.  Cleared at each
 * call's start (main.c); a file keeps its open's flags (file->mnt_flags). */
struct fs_walk_mount {
    const struct fs *fs;
    uint32_t flags;
    const struct mount *mount; /* NULL: not known */
};
extern struct fs_walk_mount fs_walk_mount;
/* Where a call's relative walk starts (the working directory, a
 * descriptor's directory: at_dir) and the id of the mount it was reached
 * through (0: not known), which a walk from ino takes as its mount
 * rather than a guess (fs_mount_guess), if that mount still holds it.
 * Cleared at each call, as fs_walk_mount. */
struct fs_walk_start {
    const struct inode *ino;
    int mnt_id;
};
extern struct fs_walk_start fs_walk_start;
/* Whether a write to ino, which the last walk found, is EROFS: its file
 * system's or its mount's read-only flag (Linux's mnt_want_write). */
static inline bool fs_rdonly(const struct inode *ino)
{
    return ino->fs->rdonly || (fs_walk_mount.fs == ino->fs && (fs_walk_mount.flags & MS_RDONLY));
}
/* Whether two walks' results are known to be seen through different
 * mounts (rename and link between them: EXDEV, even on one file system). */
static inline bool fs_walk_mounts_differ(const struct fs_walk_mount *a, const struct fs_walk_mount *b)
{
    return a->mount && b->mount && a->mount != b->mount;
}
/* The per-mount flags (MS_*) of the last walk's result ino: 0 if the walk
 * ended elsewhere. */
static inline uint32_t fs_walk_flags(const struct inode *ino)
{
    return fs_walk_mount.fs == ino->fs ? fs_walk_mount.flags : 0;
}

/* Linux's generic_permission: the mode bits, root's capabilities. */
static inline int fs_generic_permission(const struct inode *ino, int mask)
{
    if (cred_inode_capable(fs_cred, ino, CAP_DAC_OVERRIDE) && (!(mask & MAY_EXEC) || (ino->mode & S_IFMT) == S_IFDIR))
        return 0;
    return fs_permission_check(ino, mask);
}

/* Linux's inode_permission: a write to a file, directory or symlink of a
 * read-only file system is EROFS (whatever the caller's rights), then the
 * file system's own check or the generic one. */
static inline int fs_permission(const struct inode *ino, int mask)
{
    uint32_t type = ino->mode & S_IFMT;
    if ((mask & MAY_WRITE) && fs_rdonly(ino) && (type == S_IFREG || type == S_IFDIR || type == S_IFLNK))
        return -LINUX_EROFS;
    if ((mask & MAY_WRITE) && fs_is_immutable(ino))
        return -LINUX_EPERM; /* nobody writes an immutable inode (Linux's inode_permission) */
    if ((mask & MAY_EXEC) && type == S_IFREG && (fs_walk_flags(ino) & MS_NOEXEC))
        return -LINUX_EACCES; /* exec or access(X_OK) through a noexec mount (Linux's path_noexec) */
    if (ino->fs->ops && ino->fs->ops->permission)
        return ino->fs->ops->permission(ino, mask);
    return fs_generic_permission(ino, mask);
}

/* Linux's mnt_want_write, before a change of attributes (chmod, chown,
 * utimes, xattrs) of any inode: EROFS on a read-only file system. */
static inline int fs_want_write(const struct inode *ino) { return fs_rdonly(ino) ? -LINUX_EROFS : 0; }


/* A process's change of the names in dir after its permission checks:
 * err on a file system whose names are the server's alone (sysfs, as
 * Linux's kernfs has no create, mkdir, mknod, symlink, link, unlink or
 * rename: EPERM, but a create by open EACCES); on /proc a new name is
 * ENOENT (its lookups fail rather than find nothing) and a removal or
 * rename EPERM; else 0. */
static inline int fs_names_fixed(const struct inode *dir, int err, bool making)
{
    return dir->fs->kernfs ? err : dir->fs->magic != PROC_SUPER_MAGIC ? 0 : making ? -LINUX_ENOENT : -LINUX_EPERM;
}

/* A name in a directory. */
struct dirent_node {
    char *name;
    struct inode *inode;
    struct dirent_node *next;
    uint64_t seq; /* its place in listings: above every entry before it in its directory's list (the
                     order of making), so that a tmpfs or ext2 listing goes on after the entry it last
                     gave whatever went meanwhile (getdents, io.c) */
    bool hidden;  /* found by name, left out of listings (/proc/<tid>) */
};

/* ---- the tree, path walks and mounts (fs.c) ---- */
/* An inode of fs with no name, held (refs 1) by whoever made it, who lets
 * it go with refs = 0 and fs_release (System V shared memory's segments). */
struct inode *fs_new_unnamed(struct fs *fs, uint32_t mode);
/* The root directory (the root tmpfs's), /dev and /tmp. */
void fs_init(void);
struct inode *fs_root(void);
#include "mnttab.h" /* the mount table: struct mount, its lookups (mnttab.c) */
/* openat2's restrictions on the walks of one call (RESOLVE_NO_XDEV,
 * NO_MAGICLINKS, NO_SYMLINKS, BENEATH: file.c's openat2 sets them for its
 * open and clears them after; IN_ROOT is a chroot for the call): a
 * symlink followed is ELOOP, a mount crossed or a ".." from beneath (or
 * an absolute path with BENEATH) EXDEV. */
struct fs_walk_limits {
    uint64_t resolve;
    struct inode *beneath;
};
extern struct fs_walk_limits fs_walk_limits;
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
/* The mode a file made in dir with mode gets (Linux's vfs_prepare_mode):
 * set-group-ID dropped first if it would give a group the caller is not
 * in (dir set-group-ID, mode group-executable, no CAP_FSETID), then
 * umask's permission bits off, unless dir has a default ACL (acl.c). */
uint32_t fs_prepare_mode(const struct inode *dir, uint32_t mode, uint32_t umask);
/* A new inode named dir/name, owned by the caller; a NULL name makes one
 * with no name (nlink 0) on dir's file system, as O_TMPFILE does. */
int fs_create(struct inode *dir, const char *name, uint32_t mode, struct inode **out);
int fs_unlink(struct inode *dir, const char *name, bool rmdir);
int fs_link(struct inode *dir, const char *name, struct inode *ino);
int fs_rename(struct inode *odir, const char *oname, struct inode *ndir, const char *nname);
/* renameat2's RENAME_EXCHANGE: the two names swap their inodes (of any
 * types); -EINVAL if a directory would go inside itself. */
int fs_exchange(struct inode *odir, const char *oname, struct inode *ndir, const char *nname);
/* The absolute path of a directory into buf. */
int fs_path(struct inode *dir, char *buf, size_t size);
/* The path of any inode, or -ENOENT: its name in hint if it has one there
 * (hint may be NULL), else the first name found for it in the tree; a
 * memfd's anon_name. */
int fs_name_of(struct inode *ino, struct inode *hint, char *buf, size_t size);
/* A change of contents: the modification and change times are now. */
void fs_modified(struct inode *ino);
/* Once an inode has no name and no open file: its contents are freed,
 * and the inode joins the orphans, freed by fs_sweep when nothing else
 * points at them. */
void fs_release(struct inode *ino);
/* fs's last mount went and nothing uses it (a tmpfs unmounted whole, its
 * tree removed): its root joins the orphans, and the struct goes with the
 * last of its inodes (inode_free). */
void fs_forget(struct fs *fs);
/* Frees the orphans that pinned() does not claim (a working directory or
 * a mapping still naming one); runs only when fs_sweep_wanted is set. */
extern bool fs_sweep_wanted;
void fs_sweep(bool (*pinned)(const struct inode *));
/* Inodes in existence: in the tree, open, or orphans not yet swept. */
uint64_t fs_inodes_live(void);

/* ---- an inode's contents, through its file system's inode_ops ---- */
int fs_write(struct inode *ino, uint64_t off, const void *buf, size_t n);
/* Up to n bytes from off (fewer at the end of the file); holes read 0. */
size_t fs_read(const struct inode *ino, uint64_t off, void *buf, size_t n);
/* Page index of the file, or NULL for a hole. */
const char *fs_page(const struct inode *ino, uint64_t index);
/* The same, as a whole page processes may map (inode_ops.whole_page). */
char *fs_whole_page(struct inode *ino, uint64_t index, bool create);
/* SEEK_DATA and SEEK_HOLE: the first offset at or after off in data (or
 * in a hole; the end of the file is one), or -ENXIO. */
/* Whether a mount option is one of the superblock flags Linux's VFS takes
 * from the options before the file system's own (vfs_parse_sb_flag: sync,
 * dirsync, lazytime, mand and their opposites), whatever its value; kept
 * by no file system here.  ro and rw are the caller's. */
bool fs_sb_flag(const char *key);
int64_t fs_seek_data(const struct inode *ino, uint64_t off, bool hole);
/* Grows (sparse) or cuts the file; a cut drops the pages past the end. */
int fs_truncate(struct inode *ino, uint64_t size);
/* A symlink's target. */
int fs_set_link(struct inode *ino, const char *target, size_t n);
/* What statfs says of fs (the defaults filled in by the caller). */
void fs_statfs(struct fs *fs, struct linux_statfs *s);

/* ---- tmpfs (tmpfs.c): a regular file's data in 4 KiB pages, a page never
 * written being a hole, which takes no memory and reads as zeros; and a
 * symlink's target.  The root is one; procfs keeps its files so too. ---- */
extern const struct inode_ops tmpfs_iops;
/* The pages tmpfs instances' files hold (shared memory and memfds too: Linux's Shmem; meminfo's
 * and vmstat's, procinfo.c). */
extern uint64_t tmpfs_shmem_pages;
extern const struct fs_ops tmpfs_ops;
extern struct fs rootfs;

/* ---- the root's files at boot (initramfs.c): a cpio "newc" archive's
 * directories, files and symlinks; an overlay's replace what is there. */
int fs_load_cpio(const void *archive, size_t len);

#endif
