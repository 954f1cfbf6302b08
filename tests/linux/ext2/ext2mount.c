/*
 * tests/linux/ext2/ext2mount.c - ext2 on a loop device, as the
 * "linux-ext2" case runs it on the host and on Persona (tests/lib/ext2case.py,
 * which makes the images with mke2fs): ./ext2mount IMG BAD EXT4 [dump|fuzz].
 * The errors of mount(2) with type "ext2" (a character device, a regular
 * file, an unbound loop device, a corrupt superblock BAD, an ext4 image
 * EXT4), a read-only
 * mount (EROFS), the tree as the image holds it (names, types, modes,
 * links, sizes, blocks, inode numbers, times, symlinks, contents), statfs,
 * /proc/mounts; then writes, creates, removes, renames, links, and the
 * tree again after umount and a new mount; the largest file its block
 * map holds (EFBIG past it), extended attributes and their room (ENOSPC),
 * POSIX ACLs (ext2acl.h),
 * sync_file_range's write to the image, and
 * the superblock's flags (sync, mand); mount options;
 * running out of inodes and blocks (ENOSPC); chattr's flags
 * (FS_IOC_SETFLAGS), what they forbid, statx's attributes of them, and the
 * flags kept across a new mount; file handles of its files;
 * and fsopen's way to mount it.  With "dump", the image's nonzero blocks
 * follow a "--- image" line once it is unmounted, for e2fsck on the host; with
 * "fuzz" (Persona alone), 300 corrupted copies of IMG are mounted.  The
 * loop device's number is not printed, nor new files' inode numbers
 * unless EXT2_NEW_INO is set.
 */
#define _GNU_SOURCE
#include "../c/loopabi.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#ifndef FALLOC_FL_PUNCH_HOLE
#define FALLOC_FL_KEEP_SIZE 0x01
#define FALLOC_FL_PUNCH_HOLE 0x02
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

/* linux/fiemap.h's, which musl's headers do not have */
struct fiemap_extent {
    uint64_t fe_logical, fe_physical, fe_length, fe_reserved64[2];
    uint32_t fe_flags, fe_reserved[3];
};
struct fiemap {
    uint64_t fm_start, fm_length;
    uint32_t fm_flags, fm_mapped_extents, fm_extent_count, fm_reserved;
};
#define FS_IOC_FIEMAP 0xc020660b
#define FIBMAP 1
#define FIEMAP_FLAG_SYNC 1
#define FIEMAP_FLAG_XATTR 2

static const char *name_of(int e)
{
    static const struct { int e; const char *n; } names[] = {
        {ENOTBLK, "ENOTBLK"}, {ENXIO, "ENXIO"}, {EBUSY, "EBUSY"}, {EROFS, "EROFS"}, {ENOSPC, "ENOSPC"},
        {EINVAL, "EINVAL"}, {ENOENT, "ENOENT"}, {EEXIST, "EEXIST"}, {ENOTEMPTY, "ENOTEMPTY"}, {EACCES, "EACCES"},
        {ENODEV, "ENODEV"}, {ENOTDIR, "ENOTDIR"}, {EIO, "EIO"}, {EFBIG, "EFBIG"}, {EBADR, "EBADR"},
        {ENODATA, "ENODATA"}, {EPERM, "EPERM"}, {EOPNOTSUPP, "EOPNOTSUPP"}, {ERANGE, "ERANGE"}, {ENXIO, "ENXIO"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].e == e)
            return names[i].n;
    return strerror(e);
}

static void said(const char *what, long r)
{
    if (r < 0)
        printf("%s: %s\n", what, name_of(errno));
    else
        printf("%s: %ld\n", what, r);
}

/* chattr's flags of path (those Linux's ext2 and the host's ext4 keep
 * alike), and statx's attributes of them; a change of them. */
#define CHATTR_SHOWN 0xf8 /* FS_SYNC_FL, IMMUTABLE, APPEND, NODUMP, NOATIME */
static void lsattr(const char *path)
{
    int fd = open(path, O_RDONLY), fl = 0;
    uint64_t sx[32] = {0}; /* struct statx: stx_attributes at 8, stx_attributes_mask at 56 */
    if (fd < 0 || ioctl(fd, 0x80086601, &fl) < 0 || syscall(SYS_statx, AT_FDCWD, path, 0, 0x7ff, sx) < 0)
        printf("lsattr %s: %s\n", path, name_of(errno));
    else
        printf("lsattr %s: %#x, statx %#llx of %#llx\n", path, fl & CHATTR_SHOWN,
               (unsigned long long)(sx[1] & 0x70), (unsigned long long)(sx[7] & 0x70));
    close(fd);
}

static void chattr(const char *path, int fl)
{
    int fd = open(path, O_RDONLY);
    char what[128];
    snprintf(what, sizeof what, "chattr %s %#x", path, fl);
    said(what, fd < 0 ? fd : ioctl(fd, 0x40086602, &fl));
    close(fd);
}

/* Flags on a file and a directory, and what they do. */
static void chattr_checks(void)
{
    lsattr("mnt/a.txt");
    said("mkdir flagged", mkdir("mnt/flagged", 0755));
    chattr("mnt/flagged", 0xc0); /* NODUMP, NOATIME: inherited */
    said("creat flagged/f", close(open("mnt/flagged/f", O_CREAT | O_WRONLY, 0644)));
    lsattr("mnt/flagged/f");
    chattr("mnt/flagged/f", 0x20); /* APPEND */
    said("open it to write", open("mnt/flagged/f", O_WRONLY));
    int fd = open("mnt/flagged/f", O_WRONLY | O_APPEND);
    said("append to it", write(fd, "tail\n", 5));
    close(fd);
    said("truncate it", truncate("mnt/flagged/f", 0));
    said("creat flagged/i", close(open("mnt/flagged/i", O_CREAT | O_WRONLY, 0644)));
    chattr("mnt/flagged/i", 0x10); /* IMMUTABLE */
    lsattr("mnt/flagged/i");
    said("unlink it", unlink("mnt/flagged/i"));
    said("chmod it", chmod("mnt/flagged/i", 0600));
    said("open it to write", open("mnt/flagged/i", O_RDWR));
    chattr("mnt/flagged", 0x10);
    said("creat in an immutable directory", open("mnt/flagged/g", O_CREAT | O_WRONLY, 0644));
    chattr("mnt/flagged", 0x40);
    lsattr("mnt/flagged");
}
#undef CHATTR_SHOWN

static int times_shown; /* the times of the image's own files; not of those made by the test */
static int ino_shown;   /* the inode numbers: the image's, and new ones where Persona's allocator is Linux's */

static void show(const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) < 0) {
        printf("%s: %s\n", path, name_of(errno));
        return;
    }
    char kind = S_ISDIR(st.st_mode) ? 'd' : S_ISLNK(st.st_mode) ? 'l' : S_ISREG(st.st_mode) ? '-' :
                S_ISFIFO(st.st_mode) ? 'p' : S_ISCHR(st.st_mode) ? 'c' : S_ISBLK(st.st_mode) ? 'b' : 's';
    printf("%*s%s %c%04o n%lu %u:%u size %lld blocks %lld", depth * 2, "", strchr(path, '/') + 1, kind,
           st.st_mode & 07777, (unsigned long)st.st_nlink, st.st_uid, st.st_gid, (long long)st.st_size,
           (long long)st.st_blocks);
    if (ino_shown || times_shown)
        printf(" ino %lu", (unsigned long)st.st_ino);
    if (times_shown)
        printf(" mtime %lld.%09ld", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        printf(" dev %u:%u", major(st.st_rdev), minor(st.st_rdev));
    if (S_ISLNK(st.st_mode)) {
        char t[4096];
        ssize_t n = readlink(path, t, sizeof t - 1);
        printf(" -> %.*s", (int)(n < 0 ? 0 : n), t);
    }
    if (S_ISREG(st.st_mode)) {
        int fd = open(path, O_RDONLY);
        unsigned long h = 5381, len = 0;
        char buf[4096];
        ssize_t n;
        while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
            for (ssize_t i = 0; i < n; i++, len++)
                h = h * 33 + (unsigned char)buf[i];
        printf(" read %lu hash %08lx", len, h & 0xffffffff);
        close(fd);
    }
    printf("\n");
    if (!S_ISDIR(st.st_mode))
        return;
    struct dirent **list;
    int n = scandir(path, &list, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        if (strcmp(list[i]->d_name, ".") && strcmp(list[i]->d_name, "..")) {
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", path, list[i]->d_name);
            show(sub, depth + 1);
        }
        free(list[i]);
    }
    free(n >= 0 ? list : NULL);
}

static void show_statfs(const char *path)
{
    struct statfs s;
    if (statfs(path, &s) < 0) {
        printf("statfs: %s\n", name_of(errno));
        return;
    }
    printf("statfs: type %lx bsize %ld blocks %lu bfree %lu bavail %lu files %lu ffree %lu namelen %ld frsize %ld "
           "flags %lx\n", (unsigned long)s.f_type, (long)s.f_bsize, (unsigned long)s.f_blocks,
           (unsigned long)s.f_bfree, (unsigned long)s.f_bavail, (unsigned long)s.f_files, (unsigned long)s.f_ffree,
           (long)s.f_namelen, (long)s.f_frsize, (unsigned long)s.f_flags & ~0x20ul);
}

static void show_mounts(const char *dev)
{
    char line[512];
    FILE *f = fopen("/proc/mounts", "r");
    while (f && fgets(line, sizeof line, f)) {
        char src[256], point[256], type[64], opts[256];
        if (sscanf(line, "%255s %255s %63s %255s", src, point, type, opts) == 4 && !strcmp(src, dev))
            printf("mounts: %s %s %s\n", strrchr(point, '/') + 1, type, opts);
    }
    if (f)
        fclose(f);
    f = fopen("/proc/filesystems", "r");
    while (f && fgets(line, sizeof line, f))
        if (strstr(line, "\text2\n"))
            printf("filesystems: %s", line);
    if (f)
        fclose(f);
}

/* A loop device of its own, from 600 up (added, removed at the end), so
 * that the tests that take the lowest free one run beside this one. */
static int added[8], nadded;

static int bind_loop(const char *img, char *dev, size_t size)
{
    int ctl = open("/dev/loop-control", O_RDWR);
    for (int n = 600; n < 700; n++) {
        int r = ioctl(ctl, LOOP_CTL_ADD, n);
        if (r < 0)
            continue; /* someone's */
        if (nadded < 8)
            added[nadded++] = n;
        snprintf(dev, size, "/dev/loop%d", n);
        int fd = -1, file = open(img, O_RDWR);
        for (int i = 0; i < 100 && fd < 0; i++) /* udev may be making the node */
            if ((fd = open(dev, O_RDWR)) < 0)
                usleep(10000);
        if (fd < 0 || file < 0 || ioctl(fd, LOOP_SET_FD, file) < 0) {
            printf("bind: %s\n", name_of(errno));
            exit(1);
        }
        close(file), close(ctl);
        return fd;
    }
    printf("no loop device\n");
    exit(1);
}

static void remove_loops(void)
{
    int ctl = open("/dev/loop-control", O_RDWR);
    for (int i = 0; i < nadded; i++) /* Linux clears an autoclear device after its last close, a moment later */
        for (int k = 0; k < 200 && ioctl(ctl, LOOP_CTL_REMOVE, added[i]) < 0 && errno == EBUSY; k++)
            usleep(10000);
    close(ctl);
}

static void put(const char *path, const char *text, size_t times)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    for (size_t i = 0; fd >= 0 && i < times; i++)
        if (write(fd, text, strlen(text)) < 0)
            break;
    if (fd < 0 && strcmp(path, "mnt/new-file"))
        printf("put %s: %s\n", path, name_of(errno));
    close(fd);
}

static void changes(void)
{
    put("mnt/a.txt", "more\n", 1);
    put("mnt/new.txt", "a new file\n", 1);
    put("mnt/grown", "0123456789abcdef", 20000); /* 320000 bytes: double indirect blocks */
    said("unlink fifo", unlink("mnt/fifo"));
    said("rename sub/deep moved", rename("mnt/sub/deep", "mnt/moved"));
    said("rename new.txt sub/b.txt", rename("mnt/new.txt", "mnt/sub/b.txt"));
    said("mkdir d2", mkdir("mnt/d2", 0750));
    said("symlink short", symlink("../a.txt", "mnt/d2/s"));
    char target[200];
    memset(target, 'y', sizeof target - 1);
    target[sizeof target - 1] = '\0';
    said("symlink long", symlink(target, "mnt/d2/l"));
    said("link a.txt hard", link("mnt/a.txt", "mnt/d2/hard"));
    said("truncate big", truncate("mnt/big", 100000));
    said("mknod chr", mknod("mnt/d2/null", S_IFCHR | 0600, makedev(1, 3)));
    said("mkfifo", mkfifo("mnt/d2/fifo", 0640));
    said("chown", lchown("mnt/d2/fifo", 1000, 100000));
    for (int i = 0; i < 40; i++) { /* a directory of more than a block */
        char name[64];
        snprintf(name, sizeof name, "mnt/d2/file-with-a-long-name-%02d", i);
        put(name, name, 1);
    }
    said("rmdir lost+found", rmdir("mnt/lost+found"));
    said("rmdir sub", rmdir("mnt/sub"));
}

#include "ext2acl.h" /* acls(): POSIX ACLs on the image */

/* Extended attributes: set, read, listed, removed, and the room they
 * have (the inode's own, then one attribute block: ENOSPC past both);
 * all removed again, on a file removed after; then a file's attributes
 * in its inode and its block, read again after an unmount (the file stays:
 * the listings after show its blocks, and e2fsck checks what was written). */
static void xattrs(const char *dev)
{
    static char v[4096], got[4096];
    memset(v, 'v', sizeof v);
    int fd = open("mnt/xa", O_RDWR | O_CREAT, 0600);
    said("setxattr user.a", setxattr("mnt/xa", "user.a", "one", 3, 0));
    said("getxattr user.a", getxattr("mnt/xa", "user.a", got, sizeof got));
    said("setxattr XATTR_CREATE of it", setxattr("mnt/xa", "user.a", "two", 3, XATTR_CREATE));
    said("setxattr trusted.t", setxattr("mnt/xa", "trusted.t", "", 0, 0));
    said("setxattr security.s", setxattr("mnt/xa", "security.s", "s", 1, 0));
    said("listxattr", listxattr("mnt/xa", got, sizeof got));
    said("getxattr an ACL", getxattr("mnt/xa", "system.posix_acl_access", got, sizeof got));
    said("removexattr user.a", removexattr("mnt/xa", "user.a"));
    said("removexattr it again", removexattr("mnt/xa", "user.a"));
    said("removexattr trusted.t", removexattr("mnt/xa", "trusted.t"));
    said("removexattr security.s", removexattr("mnt/xa", "security.s"));
    long size = 1, last = -1;
    for (int i = 0; i < 40; i++, size += 101) { /* the room: values of growing sizes under new names */
        char name[32];
        snprintf(name, sizeof name, "user.n%d", i);
        if (setxattr("mnt/xa", name, v, (size_t)size, 0) < 0) {
            printf("setxattr of %ld bytes as %s: %s\n", size, name, name_of(errno));
            last = i;
            break;
        }
    }
    for (int sz = 4000; sz > 0; sz -= 4) /* what is left for one more: the largest that still fits */
        if (setxattr("mnt/xa", "user.last", v, (size_t)sz, 0) == 0) {
            printf("then one of %d bytes fits\n", sz);
            break;
        }
    said("and one byte more", setxattr("mnt/xa", "user.more", v, 1, 0));
    for (int i = 0; i < last; i++) {
        char name[32];
        snprintf(name, sizeof name, "user.n%d", i);
        removexattr("mnt/xa", name);
    }
    removexattr("mnt/xa", "user.last");
    said("listxattr after", listxattr("mnt/xa", got, sizeof got));
    said("setxattr on a FIFO", (mkfifo("mnt/xf", 0600), setxattr("mnt/xf", "user.a", "v", 1, 0)));
    said("setxattr 4000 bytes", setxattr("mnt/xa", "user.big", v, 4000, 0));
    close(fd);
    unlink("mnt/xf");
    said("unlink xa", unlink("mnt/xa"));
    /* kept in the image: one in the inode's room, one in a block, across an unmount */
    close(open("mnt/xk", O_WRONLY | O_CREAT, 0600));
    said("setxattr user.small", setxattr("mnt/xk", "user.small", "tiny", 4, 0));
    said("setxattr user.large", setxattr("mnt/xk", "user.large", v, 600, 0));
    said("setxattr trusted.empty", setxattr("mnt/xk", "trusted.empty", "", 0, 0));
    said("umount", umount("mnt"));
    said("mount", mount(dev, "mnt", "ext2", 0, NULL));
    show("mnt/xk", 0);
    memset(got, 0, sizeof got);
    said("getxattr user.small", getxattr("mnt/xk", "user.small", got, sizeof got));
    printf("its value: %s\n", got);
    said("getxattr user.large", getxattr("mnt/xk", "user.large", got, sizeof got));
    printf("its value as set: %d\n", !memcmp(got, v, 600));
    said("getxattr trusted.empty", getxattr("mnt/xk", "trusted.empty", got, sizeof got));
    said("listxattr", listxattr("mnt/xk", got, sizeof got));
}

/* Whether the image file holds text (what the device was given). */
static int in_image(const char *img, const char *text)
{
    static char b[1 << 16];
    int fd = open(img, O_RDONLY), found = 0;
    size_t k = strlen(text);
    for (off_t at = 0; !found;) {
        ssize_t n = pread(fd, b, sizeof b, at);
        if (n <= (ssize_t)k)
            break;
        found = memmem(b, (size_t)n, text, k) != NULL;
        at += n - (ssize_t)k;
    }
    close(fd);
    return found;
}

/* The largest file the block map holds (the ext4 driver's
 * s_bitmap_maxbytes): a truncate past it EFBIG, a write across it cut
 * short, from it EFBIG, a seek past it EINVAL; then the superblock's
 * flags a mount gives (sync, mand), in /proc/mounts and statfs. */
static void limits(const char *dev, const char *img)
{
    int fd = open("mnt/huge", O_RDWR | O_CREAT, 0600);
    long long lo = 0, hi = 1LL << 45;
    while (hi - lo > 1) {
        long long m = lo + (hi - lo) / 2;
        if (ftruncate(fd, m) == 0)
            lo = m;
        else if (errno == EFBIG)
            hi = m;
        else
            break;
    }
    printf("largest file: %lld\n", lo);
    said("ftruncate past it", ftruncate(fd, lo + 1));
    said("write across it", pwrite(fd, "ab", 2, lo - 1));
    said("write from it", pwrite(fd, "ab", 2, lo));
    said("seek to it", lseek(fd, lo, SEEK_SET) == lo ? 0 : -1);
    said("seek past it", lseek(fd, lo + 1, SEEK_SET));
    close(fd);
    said("unlink huge", unlink("mnt/huge"));
    said("in the image before sync_file_range", in_image(img, "sfr-marker"));
    fd = open("mnt/sfr", O_RDWR | O_CREAT, 0600);
    for (int i = 0; i < 64; i++)
        if (write(fd, "sfr-marker-0123", 16) != 16)
            break;
    said("sync_file_range", sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                                                        SYNC_FILE_RANGE_WAIT_AFTER));
    said("in the image after it", in_image(img, "sfr-marker"));
    close(fd);
    said("unlink sfr", unlink("mnt/sfr"));
    said("umount", umount("mnt"));
    said("mount sync,mand", mount(dev, "mnt", "ext2", MS_SYNCHRONOUS | MS_MANDLOCK | MS_NOSUID, NULL));
    show_mounts(dev);
    show_statfs("mnt");
}

/* mount(2)'s options for ext2 (the ext4 driver's): taken, refused, and
 * shown in /proc/mounts; minixdf's statfs; a remount's options merged
 * over the mount's.  It leaves the image mounted. */
static void options(const char *dev)
{
    static const char *const opts[] = {"errors=continue", "errors=remount-ro", "errors=panic", "acl", "user_xattr",
        "noacl", "bogus", "sb=1", "resuid=5,resgid=6", "nouid32", "grpid", "bsdgroups,nogrpid", "sysvgroups",
        "oldalloc,orlov,nobh,bh", "usrquota", "grpquota", "quota,grpquota", "usrquota,noquota", "minixdf",
        "bsddf", "check=none,nocheck", "debug", "reservation,noreservation", "barrier=1,barrier,nobarrier",
        "data=ordered", "journal_checksum", "nodelalloc", "dax", "inode_readahead_blks=4",
        "inode_readahead_blks=3", "inode_readahead_blks=32", "auto_da_alloc", "lazytime", "sync,dirsync",
        "errors=panic,grpid,debug,resuid=7,inode_readahead_blks=64,usrquota,minixdf,nouid32", "ro", ""};
    said("umount", umount("mnt"));
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++) {
        printf("-o %s\n", opts[i]);
        said("mount", mount(dev, "mnt", "ext2", 0, opts[i]));
        show_mounts(dev);
        if (!strcmp(opts[i], "minixdf"))
            show_statfs("mnt");
        umount("mnt");
    }
    said("mount grpid,errors=panic", mount(dev, "mnt", "ext2", 0, "grpid,errors=panic"));
    said("remount debug", mount(dev, "mnt", "ext2", MS_REMOUNT, "debug"));
    show_mounts(dev);
    said("remount bogus", mount(dev, "mnt", "ext2", MS_REMOUNT, "bogus"));
    said("umount", umount("mnt"));
    said("mount", mount(dev, "mnt", "ext2", 0, NULL));
}

/* Files until the inodes run out, then a file until the blocks do. */
static void fill(void)
{
    int made = 0;
    for (;; made++) {
        char name[64];
        snprintf(name, sizeof name, "mnt/f%d", made);
        int fd = open(name, O_WRONLY | O_CREAT, 0600);
        if (fd < 0) {
            printf("inodes: %d made, then %s\n", made, name_of(errno));
            break;
        }
        close(fd);
    }
    for (int i = 0; i < made; i++) {
        char name[64];
        snprintf(name, sizeof name, "mnt/f%d", i);
        unlink(name);
    }
    int fd = open("mnt/fill", O_WRONLY | O_CREAT, 0600);
    static char chunk[65536];
    memset(chunk, 'z', sizeof chunk);
    ssize_t n = 0;
    for (int i = 0; i < 4096 && (n = write(fd, chunk, sizeof chunk)) > 0; i++)
        ;
    printf("blocks: %s\n", n < 0 ? name_of(errno) : "no error");
    close(fd);
    said("unlink fill", unlink("mnt/fill"));
}

/* FS_IOC_FIEMAP's extents: logical offset, length and flags (where they
 * lie differs: Linux's allocator is not Persona's layout). */
static void fiemap_show(const char *what, int fd, uint32_t flags, uint64_t start, uint64_t len, uint32_t count)
{
    struct {
        struct fiemap m;
        struct fiemap_extent x[4];
    } q;
    memset(&q, 0, sizeof q);
    q.m.fm_start = start, q.m.fm_length = len, q.m.fm_flags = flags, q.m.fm_extent_count = count;
    int r = ioctl(fd, FS_IOC_FIEMAP, &q);
    printf("fiemap %s: %s flags %#x mapped %u", what, r < 0 ? name_of(errno) : "0", q.m.fm_flags,
           q.m.fm_mapped_extents);
    for (uint32_t i = 0; r == 0 && i < q.m.fm_mapped_extents && i < count; i++)
        printf(" [%llu +%llu %#x%s]", (unsigned long long)q.x[i].fe_logical, (unsigned long long)q.x[i].fe_length,
               q.x[i].fe_flags, q.x[i].fe_physical ? "" : " at 0");
    printf("\n");
}

/* FS_IOC_FIEMAP and FIBMAP on a file with holes, as LTP's ioctl_fiemap01
 * asks: written back first, then the image's block map. */
static void block_map(void)
{
    struct statfs sf;
    statfs("mnt", &sf);
    size_t b = (size_t)sf.f_bsize;
    static char buf[4096];
    memset(buf, 'm', sizeof buf);
    int fd = open("mnt/fm", O_RDWR | O_CREAT, 0644);
    fiemap_show("bad flags", fd, ~0u, 0, ~0ull, 1);
    fiemap_show("empty", fd, 0, 0, ~0ull, 1);
    said("write block 0", write(fd, buf, b) == (ssize_t)b);
    fiemap_show("one block", fd, FIEMAP_FLAG_SYNC, 0, ~0ull, 1);
    said("write block 2", pwrite(fd, buf, b, 2 * b) == (ssize_t)b);
    said("write block 4", pwrite(fd, buf, b, 4 * b) == (ssize_t)b);
    static const struct { long at; int whence; } seeks[] = {
        {0, SEEK_HOLE}, {0, SEEK_DATA}, {1, SEEK_DATA}, {2, SEEK_HOLE}, {3, SEEK_DATA}, {4, SEEK_HOLE}, {5, SEEK_DATA}};
    for (size_t i = 0; i < sizeof seeks / sizeof seeks[0]; i++) { /* blocks, not pages: holes within a page */
        off_t to = lseek(fd, (off_t)(seeks[i].at * (long)b), seeks[i].whence);
        printf("%s from block %ld: ", seeks[i].whence == SEEK_HOLE ? "SEEK_HOLE" : "SEEK_DATA", seeks[i].at);
        to < 0 ? printf("%s\n", name_of(errno)) : printf("block %ld\n", (long)(to / (off_t)b));
    }
    fiemap_show("three", fd, FIEMAP_FLAG_SYNC, 0, ~0ull, 3);
    struct stat st;
    fstat(fd, &st);
    printf("blocks of three written: %lld\n", (long long)st.st_blocks);
    fiemap_show("counted", fd, 0, 0, ~0ull, 0);
    fiemap_show("two of three", fd, 0, 0, ~0ull, 2);
    fiemap_show("blocks 1 to 3", fd, 0, b + 1, 2 * b, 4);
    fiemap_show("the hole", fd, 0, b, b, 4);
    fiemap_show("past the end", fd, 0, 6 * b, ~0ull, 4);
    fiemap_show("no length", fd, 0, 0, 0, 4);
    fiemap_show("xattrs (none)", fd, FIEMAP_FLAG_XATTR, 0, ~0ull, 4);
    fiemap_show("too many", fd, 0, 0, ~0ull, 0x7fffffff);
    said("append a block", pwrite(fd, buf, b, 5 * b) == (ssize_t)b);
    fiemap_show("appended", fd, FIEMAP_FLAG_SYNC, 0, ~0ull, 4);
    said("truncate to a block and a half", ftruncate(fd, (off_t)(b + b / 2)));
    said("extend to five blocks", ftruncate(fd, (off_t)(5 * b)));
    fiemap_show("truncated", fd, FIEMAP_FLAG_SYNC, 0, ~0ull, 4);
    fstat(fd, &st);
    printf("blocks of a block and a half: %lld\n", (long long)st.st_blocks);
    said("write block 3", pwrite(fd, buf, b, 3 * b) == (ssize_t)b);
    fiemap_show("written again", fd, FIEMAP_FLAG_SYNC, 0, ~0ull, 4);
    int blk = 0;
    said("fibmap 0", ioctl(fd, FIBMAP, &blk));
    printf("fibmap 0 is a block: %d\n", blk > 0);
    blk = 1;
    said("fibmap 1 (a hole)", ioctl(fd, FIBMAP, &blk));
    printf("fibmap 1: %d\n", blk);
    blk = 100;
    said("fibmap 100 (past the end)", ioctl(fd, FIBMAP, &blk));
    printf("fibmap 100: %d\n", blk);
    blk = -1;
    said("fibmap -1", ioctl(fd, FIBMAP, &blk));
    printf("fibmap -1: %d\n", blk);
    close(fd);
    said("unlink fm", unlink("mnt/fm"));
}

/* grpid (bsdgroups): new inodes take their directory's group, set-group-ID
 * or not, and a new directory not its bit; nogrpid (sysvgroups) undoes it
 * (a remount changes it). */
static void grpid_rule(const char *dev)
{
    static const char *const opts[] = {"nogrpid", "grpid", "sysvgroups", "bsdgroups", "nogrpid"};
    for (int g = 0; g < 5; g++) {
        char what[40];
        snprintf(what, sizeof what, "remount -o %s", opts[g]);
        said(what, mount(dev, "mnt", "ext2", MS_REMOUNT, opts[g]));
        struct stat a = {0}, b = {0}; /* one inode is free: d2 (changes') lends itself */
        chown("mnt/d2", 0, 1234), chmod("mnt/d2", 0750);
        close(open("mnt/d2/f", O_WRONLY | O_CREAT, 0644));
        stat("mnt/d2/f", &a), unlink("mnt/d2/f");
        chmod("mnt/d2", 02750);
        said("mkdir in a set-group-ID directory", mkdir("mnt/d2/d", 0755));
        stat("mnt/d2/d", &b), rmdir("mnt/d2/d");
        printf("file's group %u; in a set-group-ID directory %u mode %04o\n", a.st_gid, b.st_gid, b.st_mode & 07777);
        chown("mnt/d2", 0, 0), chmod("mnt/d2", 0750);
    }
}

static void dump(const char *img)
{
    printf("--- image\n");
    int fd = open(img, O_RDONLY);
    static unsigned char b[1024], zero[1024];
    for (long n = 0; read(fd, b, sizeof b) == (ssize_t)sizeof b; n++) {
        if (!memcmp(b, zero, sizeof b))
            continue;
        printf("%ld ", n);
        for (size_t i = 0; i < sizeof b; i++)
            printf("%02x", b[i]);
        printf("\n");
    }
    close(fd);
}

/* The new mount API: fsopen("ext2"), its source, CMD_CREATE, fsmount,
 * move_mount (raw calls: musl has no wrappers). */
static void new_api(const char *dev, int lfd)
{
    long none = syscall(430, "ext2", 0), fs = syscall(430, "ext2", 0);
    said("fsopen ext2", none < 0 ? none : 0);
    said("fsconfig an unknown option", syscall(431, none, 1, "nosuchoption", "x", 0));
    said("fsconfig create without a source", syscall(431, none, 6, NULL, NULL, 0));
    said("fsconfig flag acl", syscall(431, fs, 0, "acl", NULL, 0));
    said("fsconfig errors=continue", syscall(431, fs, 1, "errors", "continue", 0));
    said("fsconfig resuid=0", syscall(431, fs, 1, "resuid", "0", 0));
    said("fsconfig errors=bogus", syscall(431, fs, 1, "errors", "bogus", 0));
    said("fsconfig acl=1", syscall(431, fs, 1, "acl", "1", 0));
    said("fsconfig flag bogus", syscall(431, fs, 0, "bogus", NULL, 0));
    said("fsconfig source", syscall(431, fs, 1, "source", dev, 0));
    said("fsconfig create", syscall(431, fs, 6, NULL, NULL, 0));
    long m = syscall(432, fs, 0, 0);
    said("fsmount", m < 0 ? m : 0);
    said("move_mount", syscall(429, m, "", AT_FDCWD, "mnt", 4));
    said("its files there", access("mnt/big", F_OK));
    close(m), close(fs), close(none);
    said("LOOP_CLR_FD while mounted", ioctl(lfd, LOOP_CLR_FD, 0));
    said("its files still there", access("mnt/big", F_OK));
    said("umount", umount("mnt"));
    said("mount while it is still open", mount(dev, "mnt", "ext2", 0, NULL));
    said("umount", umount("mnt"));
    static const char *const opts[] = {"acl,user_xattr,errors=remount-ro", "noacl,nouser_xattr,grpid", "sync,lazytime",
        "resuid=0x10,resgid=010,stripe=4", "barrier=1,noquota,discard", "grpid,nouid32,orlov", "nodelalloc", "noacl", "errors=bogus", "acl=1", "bogus",
        "resuid=", "resuid=12x", "data=ordered", "commit=5"};
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++) { /* ext4's options for ext2 (no journal) */
        char what[80];
        snprintf(what, sizeof what, "mount -o %s", opts[i]);
        long r = mount(dev, "mnt", "ext2", 0, opts[i]);
        said(what, r);
        if (r == 0) {
            said("remount -o acl,errors=continue", mount(dev, "mnt", "ext2", MS_REMOUNT, "acl,errors=continue"));
            said("remount -o bogus", mount(dev, "mnt", "ext2", MS_REMOUNT, "bogus"));
            said("umount", umount("mnt"));
        }
    }
}

/* Every file of the tree read, nothing printed. */
/* File handles of the image's files, as Linux's ext2 (and ext4) export
 * them: the inode number and its generation, 8 bytes of type 1; opened
 * again through the mount, a generation that is not the inode's or a
 * number no file has is ESTALE. */
static void handles(void)
{
    struct {
        unsigned bytes;
        int type;
        unsigned w[32];
    } fh = {128, 0, {0}};
    int mnt_id, mfd = open("mnt", O_RDONLY | O_DIRECTORY);
    struct stat st;
    stat("mnt/sub/deep/c", &st);
    said("name_to_handle_at", syscall(SYS_name_to_handle_at, AT_FDCWD, "mnt/sub/deep/c", &fh, &mnt_id, 0));
    printf("handle: %u bytes, type %d, the inode's number %d, generation %u\n", fh.bytes, fh.type,
           fh.w[0] == (unsigned)st.st_ino, fh.w[1]);
    int fd = (int)syscall(SYS_open_by_handle_at, mfd, &fh, O_RDONLY);
    char buf[8] = {0};
    said("open_by_handle_at", fd < 0 ? fd : read(fd, buf, 5));
    printf("read: %s", buf);
    close(fd);
    fh.w[1] = 12345;
    said("another generation", syscall(SYS_open_by_handle_at, mfd, &fh, O_RDONLY));
    fh.w[1] = 0, fh.w[0] = 60;
    said("an unused inode", syscall(SYS_open_by_handle_at, mfd, &fh, O_RDONLY));
    close(mfd);
}

static void walk(const char *path, int depth)
{
    struct dirent **list;
    int n = depth < 64 ? scandir(path, &list, NULL, alphasort) : -1;
    for (int i = 0; i < n; i++) {
        char sub[4096], buf[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, list[i]->d_name);
        struct stat st;
        if (strcmp(list[i]->d_name, ".") && strcmp(list[i]->d_name, "..") && lstat(sub, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                walk(sub, depth + 1);
            int fd = S_ISREG(st.st_mode) ? open(sub, O_RDONLY) : -1;
            while (fd >= 0 && read(fd, buf, sizeof buf) > 0)
                ;
            close(fd);
            if (S_ISLNK(st.st_mode))
                readlink(sub, buf, sizeof buf);
        }
        free(list[i]);
    }
    if (n >= 0)
        free(list);
}

/* Persona alone: images with bytes of their first 64 KiB (the
 * superblock, descriptors, bitmaps, inode table, directories) changed at
 * random, or cut short, mounted, read, written and unmounted (written
 * back): the server must answer each and survive. */
static void fuzz(const char *img)
{
    static unsigned char base[1 << 20], buf[1 << 20];
    int fd = open(img, O_RDONLY);
    ssize_t len = read(fd, base, sizeof base);
    close(fd);
    unsigned long long x = 88172645463325252ull;
    int tries = 300;
    printf("--- fuzz\n");
    for (int t = 0; t < tries && len > 0; t++) {
        memcpy(buf, base, (size_t)len);
        size_t n = (size_t)len;
        for (int k = 0; k < 1 + t % 24; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            size_t at = (size_t)(x >> 20) % 65536;
            buf[at] = t % 3 ? (unsigned char)(x >> 8) : buf[at] ^ (unsigned char)(1u << (x % 8));
        }
        if (t % 17 == 5)
            n = (size_t)(x >> 24) % n;
        int out = open("fz.img", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (write(out, buf, n) != (ssize_t)n)
            break;
        close(out);
        char dev[64];
        int lfd = bind_loop("fz.img", dev, sizeof dev);
        if (mount(dev, "mnt", "ext2", t % 5 == 4 ? MS_RDONLY : 0, NULL) == 0) {
            walk("mnt", 0);
            put("mnt/new-file", "x", 3000);
            unlink("mnt/a.txt");
            mkdir("mnt/newdir", 0755);
            umount("mnt");
        }
        ioctl(lfd, LOOP_CLR_FD, 0);
        close(lfd);
        remove_loops();
        nadded = 0;
    }
    printf("fuzz: %d images, the server answered each\n", tries);
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* new files' numbers: the lowest free on an image of one group, where
     * Linux's allocator agrees; across groups its Orlov allocator spreads
     * directories, which Persona's does not */
    ino_shown = getenv("EXT2_NEW_INO") != NULL;
    char dev[64], bad[64];
    mkdir("mnt", 0755);
    mkdir("mnt2", 0755);
    if (argc > 4 && !strcmp(argv[4], "fuzz")) {
        fuzz(argv[1]);
        return 0;
    }
    said("mount /dev/zero", mount("/dev/zero", "mnt", "ext2", 0, NULL));
    said("mount a regular file", mount(argv[1], "mnt", "ext2", 0, NULL));
    said("mount no such file", mount("nonexistent", "mnt", "ext2", 0, NULL));
    int lfd = bind_loop(argv[1], dev, sizeof dev);
    int bfd = bind_loop(argv[2], bad, sizeof bad);
    said("mount a corrupt image", mount(bad, "mnt", "ext2", 0, NULL));
    ioctl(bfd, LOOP_CLR_FD, 0);
    close(bfd);
    bfd = bind_loop(argv[3], bad, sizeof bad);
    said("mount an ext4 image (extents)", mount(bad, "mnt", "ext2", 0, NULL));
    said("read-only", mount(bad, "mnt", "ext2", MS_RDONLY, NULL));
    ioctl(bfd, LOOP_CLR_FD, 0);
    close(bfd);
    said("mount an unbound loop device", mount(bad, "mnt", "ext2", 0, NULL));

    said("mount read-only", mount(dev, "mnt", "ext2", MS_RDONLY, NULL));
    times_shown = 1;
    show("mnt/", 0);
    times_shown = 0;
    show_statfs("mnt");
    show_mounts(dev);
    handles();
    char origin[32] = "";
    said("getxattr of the image's user.origin", getxattr("mnt/a.txt", "user.origin", origin, sizeof origin - 1));
    printf("its value: %s\n", origin);
    said("create on a read-only mount", open("mnt/x", O_WRONLY | O_CREAT, 0644));
    said("umount", umount("mnt"));

    said("mount", mount(dev, "mnt", "ext2", 0, NULL));
    show_mounts(dev);
    said("mount again read-only", mount(dev, "mnt2", "ext2", MS_RDONLY, NULL));
    said("mount again elsewhere", mount(dev, "mnt2", "ext2", 0, NULL));
    said("the same files there", access("mnt2/big", F_OK));
    said("umount it", umount("mnt2"));
    changes();
    said("remount read-only", mount(dev, "mnt", "ext2", MS_REMOUNT | MS_RDONLY, NULL));
    said("create there", open("mnt/x", O_WRONLY | O_CREAT, 0644));
    said("remount read-write", mount(dev, "mnt", "ext2", MS_REMOUNT, NULL));
    show("mnt/", 0);
    show_statfs("mnt");
    int fd = open("mnt/a.txt", O_RDWR);
    said("fsync", fsync(fd));
    said("fallocate (none on ext2)", fallocate(fd, 0, 0, 4096));
    said("punch a hole (none on ext2)", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 10));
    close(fd);
    said("umount", umount("mnt"));
    said("mount after", mount(dev, "mnt", "ext2", 0, NULL));
    show("mnt/", 0);
    show_statfs("mnt");
    block_map(); /* first: the blocks Linux's allocator picks after other work differ from the write-back's */
    grpid_rule(dev);
    chattr_checks();
    xattrs(dev);
    acls(dev);
    limits(dev, argv[1]);
    options(dev);
    fill();
    show_statfs("mnt");
    said("umount", umount("mnt"));
    said("mount again", mount(dev, "mnt", "ext2", 0, NULL));
    lsattr("mnt/flagged"); /* kept in the image */
    lsattr("mnt/flagged/f");
    lsattr("mnt/flagged/i");
    said("umount", umount("mnt"));
    new_api(dev, lfd);
    ioctl(lfd, LOOP_CLR_FD, 0);
    close(lfd);
    remove_loops();
    if (argc > 4 && !strcmp(argv[4], "dump"))
        dump(argv[1]);
    return 0;
}
