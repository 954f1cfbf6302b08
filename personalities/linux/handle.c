/*
 * personalities/linux/handle.c - file handles: name_to_handle_at and
 * open_by_handle_at, as Linux's shmem (tmpfs) and ext2 make and decode
 * them.  A tmpfs handle is three 32-bit words, FILEID_INO32_GEN: the
 * inode's generation (0 here: inode numbers are never reused) and its
 * 64-bit number, low word first; an ext2 one two words of that type, the
 * number and a generation (0: none is kept, and 0 matches any).  Opening
 * one looks for the inode in the tree of the file system the mount
 * descriptor is on, as Linux's ilookup and d_find_alias do: a file with no
 * name left is ESTALE.  procfs and the other pseudo file
 * systems make no handles (EOPNOTSUPP), as Linux's, which have no export
 * operations.
 *
 * Entry points: the calls' handlers.  Callers: the syscall table.  Layer:
 * the file calls, above file.h.  Book: docs/linux.md, "Files".
 */
#include "proc.h"
#include <string.h>
#include "linux_entries/handle.h" /* generated: the handlers' prototypes, entries */

#define MAX_HANDLE_SZ 128
#define FILEID_INO32_GEN 1
#define FILEID_INVALID 255
#define HANDLE_WORDS 3
#define AT_HANDLE_FID 0x200 /* a handle to compare, not to open (Linux 6.5) */

static bool is_tmpfs(const struct inode *ino) { return ino->fs && !strcmp(ino->fs->type, "tmpfs"); }
bool handle_exportable(const struct inode *ino) { return is_tmpfs(ino) || (ino->fs && !strcmp(ino->fs->type, "ext2")); }

/* tmpfs's handle (shmem_encode_fh), or for the file systems without
 * their own (ext2's) what Linux's export_encode_fh makes: the number's
 * low word and the generation. */
int handle_encode(const struct inode *ino, uint32_t fh[3], uint32_t *len)
{
    if (is_tmpfs(ino)) {
        fh[0] = 0, fh[1] = (uint32_t)ino->ino, fh[2] = (uint32_t)(ino->ino >> 32);
        *len = 3 * sizeof *fh;
    } else {
        fh[0] = (uint32_t)ino->ino, fh[1] = 0;
        *len = 2 * sizeof *fh;
    }
    return FILEID_INO32_GEN;
}

/* What /proc/PID/fdinfo's inotify and fanotify mark lines end with:
 * the inode's handle, as Linux's show_mark_fhandle. */
void handle_fdinfo(const struct inode *ino, void (*put)(const char *fmt, ...))
{
    uint32_t fh[3], len;
    int type = handle_encode(ino, fh, &len);
    put("fhandle-bytes:%x fhandle-type:%x f_handle:", len, type);
    for (uint32_t i = 0; i < len; i++)
        put("%02x", ((const uint8_t *)fh)[i]);
}

/* Whether the call names a descriptor's file that no file system holds
 * (a pipe, a socket, an eventfd: "" with AT_EMPTY_PATH, or /proc/self/fd/N
 * followed), which Linux's pseudo file systems export no handle for. */
static bool pseudo_file(struct sys_ctx *c, int dirfd, uint64_t upath, int flags)
{
    char path[32];
    if (mem_str(c->p, upath, path, sizeof path) < 0)
        return false; /* no alias is that long */
    int fd = !path[0] && (flags & AT_EMPTY_PATH) ? dirfd : (flags & AT_SYMLINK_FOLLOW) ? fd_alias(path) : -1;
    struct file *f = fd >= 0 ? fd_file_raw(c->p, (uint64_t)fd) : NULL;
    return f && !f->inode && f->kind != FILE_CONSOLE;
}

static int64_t sys_name_to_handle_at(struct sys_ctx *c, int dirfd, uint64_t upath, uint64_t uhandle, uint64_t umnt,
                                     int flags)
{
    struct inode *ino;
    uint32_t hdr[2]; /* handle_bytes, handle_type */
    if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH | AT_HANDLE_FID))
        return -LINUX_EINVAL;
    if (!upath)
        return -LINUX_EFAULT;
    if (pseudo_file(c, dirfd, upath, flags))
        return -LINUX_EOPNOTSUPP;
    int r = path_target(c, dirfd, upath, (flags & AT_EMPTY_PATH) | (flags & AT_SYMLINK_FOLLOW ? 0 : AT_SYMLINK_NOFOLLOW),
                        &ino);
    if (r < 0)
        return r;
    if (!handle_exportable(ino))
        return -LINUX_EOPNOTSUPP;
    if (mem_in(c->p, hdr, uhandle, sizeof hdr) < 0)
        return -LINUX_EFAULT;
    if (hdr[0] > MAX_HANDLE_SZ)
        return -LINUX_EINVAL;
    uint32_t fh[HANDLE_WORDS], len;
    int type = handle_encode(ino, fh, &len);
    bool fits = hdr[0] >= len;
    uint32_t out[2] = {len, fits ? (uint32_t)type : FILEID_INVALID}; /* the size needed, on EOVERFLOW too */
    struct mount *m = fs_mount_of(ino);
    int id = m ? m->id : 0;
    if (mem_out(c->p, umnt, &id, sizeof id) < 0 || mem_out(c->p, uhandle, out, sizeof out) < 0 ||
        (fits && mem_out(c->p, uhandle + sizeof out, fh, len) < 0))
        return -LINUX_EFAULT;
    return fits ? 0 : -LINUX_EOVERFLOW;
}

/* The inode numbered ino under dir, by its names (NULL: none has it). */
static struct inode *find_ino(struct inode *dir, uint64_t ino, int depth)
{
    if (dir->ino == ino)
        return dir;
    if ((dir->mode & S_IFMT) != S_IFDIR || depth > 64)
        return NULL;
    for (struct dirent_node *e = dir->children; e; e = e->next) {
        if (e->inode->fs != dir->fs)
            continue;
        struct inode *i = e->inode->ino == ino ? e->inode : find_ino(e->inode, ino, depth + 1);
        if (i)
            return i;
    }
    return NULL;
}

static int64_t sys_open_by_handle_at(struct sys_ctx *c, int mountfd, uint64_t uhandle, int flags)
{
    uint32_t hdr[2], fh[MAX_HANDLE_SZ / 4];
    struct inode *at;
    if (!cred_capable(&c->p->cred, CAP_DAC_READ_SEARCH))
        return -LINUX_EPERM;
    if (mem_in(c->p, hdr, uhandle, sizeof hdr) < 0)
        return -LINUX_EFAULT;
    if (!hdr[0] || hdr[0] > MAX_HANDLE_SZ)
        return -LINUX_EINVAL;
    if (mem_in(c->p, fh, uhandle + sizeof hdr, hdr[0]) < 0)
        return -LINUX_EFAULT;
    if (mountfd == AT_FDCWD) {
        at = c->p->cwd;
    } else {
        struct file *f = mountfd >= 0 ? fd_file(c->p, (uint64_t)mountfd) : NULL;
        if (!f)
            return -LINUX_EBADF;
        at = f->inode;
    }
    /* tmpfs's three words with generation 0; ext2's two, the number and
     * a generation of 0 (none is kept: 0 matches any, as ext2_nfs_get_inode) */
    bool tmpfs = at && is_tmpfs(at);
    if (!at || !handle_exportable(at) || hdr[0] / 4 < (tmpfs ? HANDLE_WORDS : 2u) || (tmpfs ? fh[0] : fh[1]))
        return -LINUX_ESTALE;
    struct mount *m = fs_mount_of(at);
    uint64_t number = tmpfs ? (uint64_t)fh[2] << 32 | fh[1] : fh[0];
    struct inode *ino = m && number ? find_ino(m->root, number, 0) : NULL;
    if (!ino)
        return -LINUX_ESTALE;
    return file_open_inode(c, ino, flags & ~FMODE_NONOTIFY, false, NULL);
}
