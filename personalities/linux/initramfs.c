/*
 * personalities/linux/initramfs.c - the root file system's files at boot:
 * cpio "newc" archives (the initramfs, then an optional overlay) unpacked
 * into the tmpfs, their owners, modes and times kept.
 *
 * Entry point: fs_load_cpio (main.c).  Layer: the file system.  Book:
 * docs/linux.md, "Files".
 */
#include "fs.h"
#include <stdlib.h>
#include <string.h>

/* ---- cpio newc ---- */

static uint64_t hex(const char *s)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v * 16 + (uint64_t)(s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
    return v;
}

/* Makes the parent directories of path; returns the parent. */
static struct inode *make_parents(char *path, const char **leaf)
{
    struct inode *dir = fs_root();
    char *p = path;
    for (char *slash; (slash = strchr(p, '/')); p = slash + 1) {
        *slash = '\0';
        struct inode *next = *p ? fs_dir_find(dir, p, strlen(p)) : dir;
        if (!next && fs_create(dir, p, S_IFDIR | 0755, &next) < 0)
            return NULL;
        *slash = '/';
        dir = next;
    }
    *leaf = p;
    return dir;
}

int fs_load_cpio(const void *archive, size_t len)
{
    const char *a = archive;
    size_t off = 0;
    while (off + 110 <= len) {
        const char *h = a + off;
        if (memcmp(h, "070701", 6) != 0)
            return -LINUX_EINVAL;
        uint32_t mode = (uint32_t)hex(h + 14), uid = (uint32_t)hex(h + 22), gid = (uint32_t)hex(h + 30);
        uint64_t mtime = hex(h + 46), size = hex(h + 54), namesize = hex(h + 94);
        if (off + 110 + namesize > len)
            return -LINUX_EINVAL;
        char *name = strndup(h + 110, namesize);
        size_t data = (off + 110 + namesize + 3) & ~(size_t)3;
        if (!name || data + size > len) {
            free(name);
            return -LINUX_EINVAL;
        }
        off = (data + size + 3) & ~(size_t)3;
        if (strcmp(name, "TRAILER!!!") == 0) {
            free(name);
            break;
        }
        const char *leaf;
        char *path = name[0] == '.' && name[1] == '/' ? name + 2 : name;
        struct inode *dir = strcmp(path, ".") == 0 ? NULL : make_parents(path, &leaf), *ino;
        if (dir && *leaf) {
            ino = fs_dir_find(dir, leaf, strlen(leaf));
            if (ino && (ino->mode & S_IFMT) != S_IFDIR && (mode & S_IFMT) != S_IFDIR) {
                fs_unlink(dir, leaf, false); /* an overlay replaces the file */
                ino = NULL;
            }
            if (!ino && fs_create(dir, leaf, mode, &ino) < 0) {
                free(name);
                return -LINUX_ENOMEM;
            }
            ino->mode = mode, ino->uid = uid, ino->gid = gid;
            if ((mode & S_IFMT) == S_IFREG)
                fs_write(ino, 0, a + data, size);
            else if ((mode & S_IFMT) == S_IFLNK)
                fs_set_link(ino, a + data, size);
            ino->atime = ino->mtime = ino->ctime = (int64_t)mtime * 1000000000; /* the archive's */
        }
        free(name);
    }
    return 0;
}
