/*
 * tests/linux/ext2/ext2acl.h - POSIX ACLs on the ext2 image (ext2mount.c's
 * part): access and default ACLs set and read back in Linux's xattr form,
 * the checks of a value, one equal to the mode kept as the mode, chmod's
 * update of the mask, the permission check of a named user, inheritance
 * by a new file and directory, an ACL too large for the room (ENOSPC), the
 * order of a new directory's two in listxattr (the inode's room or the
 * block's), an image whose defaults leave acl out (ACLs all the same), and
 * all of them again after an unmount and a new mount; the ACLs stay in the
 * image, which e2fsck -fn checks after.
 */
#ifndef TESTS_LINUX_EXT2ACL_H
#define TESTS_LINUX_EXT2ACL_H
#include <grp.h>
#include <stdint.h>
#include <sys/wait.h>

enum { A_UO = 1, A_U = 2, A_GO = 4, A_G = 8, A_M = 0x10, A_O = 0x20 };

struct acl_value {
    uint32_t version;
    struct {
        uint16_t tag, perm;
        uint32_t id;
    } e[200];
};

/* An ACL of the owner's, group's and other's permissions, with named
 * users 2000.. (nu of them, r-x) and a mask if any. */
static size_t acl_make(struct acl_value *a, int uo, int nu, int go, int o)
{
    int n = 0;
    a->version = 2;
    a->e[n].tag = A_UO, a->e[n].perm = (uint16_t)uo, a->e[n++].id = 0;
    for (int i = 0; i < nu; i++)
        a->e[n].tag = A_U, a->e[n].perm = 5, a->e[n++].id = 2000 + (uint32_t)i;
    a->e[n].tag = A_GO, a->e[n].perm = (uint16_t)go, a->e[n++].id = 0;
    if (nu)
        a->e[n].tag = A_M, a->e[n].perm = 7, a->e[n++].id = 0;
    a->e[n].tag = A_O, a->e[n].perm = (uint16_t)o, a->e[n++].id = 0;
    return 4 + 8 * (size_t)n;
}

/* path's mode and its ACL of a name, entry by entry. */
static void acl_show(const char *path, const char *name)
{
    static unsigned char buf[2048];
    struct stat st;
    if (lstat(path, &st) < 0) {
        printf("%s: %s\n", path, name_of(errno));
        return;
    }
    ssize_t n = lgetxattr(path, name, buf, sizeof buf);
    printf("%s %s: mode %04o", path, name + 17, st.st_mode & 07777);
    if (n < 0)
        printf(" %s", name_of(errno));
    for (ssize_t at = 4; at + 8 <= n && at < 4 + 8 * 6; at += 8) {
        uint16_t tag, perm;
        int32_t id;
        memcpy(&tag, buf + at, 2), memcpy(&perm, buf + at + 2, 2), memcpy(&id, buf + at + 4, 4);
        printf(" %x:%o:%d", tag, perm, id);
    }
    printf(n > 4 + 8 * 6 ? " ... (%zd bytes)\n" : "\n", n);
}

/* Whether uid 2000 may open path for reading, and writing. */
static void acl_as_2000(const char *path)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (setgroups(0, NULL) < 0 || setresgid(2000, 2000, 2000) < 0 || setresuid(2000, 2000, 2000) < 0)
            _exit(99);
        int r = open(path, O_RDONLY), w = open(path, O_WRONLY);
        printf("as user 2000, %s: read %s, write %s\n", path, r >= 0 ? "ok" : name_of(errno),
               w >= 0 ? "ok" : name_of(errno));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

/* An image whose default mount options do not name acl (busybox's
 * mke2fs makes one): POSIX ACLs all the same, as the ext4 driver turns
 * them on whatever the image says, and "-o acl" changes nothing and is
 * not shown; the default put back after. */
static void acl_default_off(const char *dev)
{
    static struct acl_value a;
    uint32_t defm = 0, off;
    said("umount", umount("mnt"));
    int fd = open(dev, O_RDWR);
    pread(fd, &defm, 4, 1024 + 256); /* s_default_mount_opts */
    off = defm & ~4u;                /* EXT4_DEFM_ACL */
    said("the image's default without acl", pwrite(fd, &off, 4, 1024 + 256));
    fsync(fd);
    said("mount", mount(dev, "mnt", "ext2", 0, NULL));
    show_mounts(dev);
    acl_show("mnt/acl/f", "system.posix_acl_access");
    said("listxattr", listxattr("mnt/acl/f", NULL, 0));
    size_t len = acl_make(&a, 6, 1, 4, 0);
    said("setxattr an ACL", setxattr("mnt/acl/f", "system.posix_acl_access", &a, len, 0));
    said("removexattr an ACL", removexattr("mnt/acl/f", "system.posix_acl_access"));
    mode_t old = umask(027);
    close(open("mnt/acl/d/plain", O_WRONLY | O_CREAT, 0666)); /* d's default ACL not taken: the umask */
    acl_show("mnt/acl/d/plain", "system.posix_acl_access");
    umask(old);
    acl_as_2000("mnt/acl/f");
    said("remount -o acl", mount(dev, "mnt", "ext2", MS_REMOUNT, "acl"));
    show_mounts(dev);
    acl_show("mnt/acl/f", "system.posix_acl_access");
    acl_as_2000("mnt/acl/f");
    said("umount", umount("mnt"));
    said("mount -o acl", mount(dev, "mnt", "ext2", 0, "acl"));
    show_mounts(dev);
    said("umount", umount("mnt"));
    pwrite(fd, &defm, 4, 1024 + 256);
    fsync(fd);
    close(fd);
    said("mount", mount(dev, "mnt", "ext2", 0, NULL));
    show_mounts(dev);
}

static void acls(const char *dev)
{
    static struct acl_value a;
    size_t len;
    const char *A = "system.posix_acl_access", *D = "system.posix_acl_default";
    mode_t old = umask(022);
    for (int i = 0; i < 12; i++) { /* inodes for what follows, on the small image too */
        char name[64];
        snprintf(name, sizeof name, "mnt/d2/file-with-a-long-name-%02d", i);
        unlink(name);
    }
    mkdir("mnt/acl", 0755);
    close(open("mnt/acl/f", O_WRONLY | O_CREAT, 0644));
    said("an ACL's absence", getxattr("mnt/acl/f", A, NULL, 0));
    len = acl_make(&a, 6, 0, 4, 4);
    said("an ACL equal to the mode", setxattr("mnt/acl/f", A, &a, len, 0));
    acl_show("mnt/acl/f", A);
    len = acl_make(&a, 6, 2, 4, 0);
    said("one with named users", setxattr("mnt/acl/f", A, &a, len, 0));
    acl_show("mnt/acl/f", A);
    said("listxattr", listxattr("mnt/acl/f", NULL, 0));
    acl_as_2000("mnt/acl/f");
    said("chmod 0640", chmod("mnt/acl/f", 0640));
    acl_show("mnt/acl/f", A);
    acl_as_2000("mnt/acl/f");
    a.version = 1;
    said("version 1", setxattr("mnt/acl/f", A, &a, len, 0));
    a.version = 2;
    said("no mask", setxattr("mnt/acl/f", A, &a, len - 16, 0));
    said("a default on a file", setxattr("mnt/acl/f", D, &a, len, 0));
    symlink("f", "mnt/acl/l");
    said("on a symlink", lsetxattr("mnt/acl/l", A, &a, len, 0));
    len = acl_make(&a, 6, 150, 4, 0);
    said("150 named users", setxattr("mnt/acl/f", A, &a, len, 0));
    acl_show("mnt/acl/f", A);
    /* inheritance */
    mkdir("mnt/acl/d", 0755);
    len = acl_make(&a, 7, 1, 5, 0);
    said("a default on a directory", setxattr("mnt/acl/d", D, &a, len, 0));
    close(open("mnt/acl/d/new", O_WRONLY | O_CREAT, 0666));
    said("mkdir in it", mkdir("mnt/acl/d/sub", 0777));
    close(open("mnt/acl/e", O_WRONLY | O_CREAT, 0644));
    len = acl_make(&a, 6, 1, 4, 0);
    setxattr("mnt/acl/e", A, &a, len, 0);
    said("removexattr", removexattr("mnt/acl/e", A));
    said("removexattr again", removexattr("mnt/acl/e", A));
    umask(old);
    said("umount", umount("mnt"));
    said("mount", mount(dev, "mnt", "ext2", 0, NULL));
    acl_show("mnt/acl/f", A);
    acl_show("mnt/acl/d", D);
    acl_show("mnt/acl/d", A);
    acl_show("mnt/acl/d/new", A);
    acl_show("mnt/acl/d/sub", A);
    acl_show("mnt/acl/d/sub", D);
    acl_show("mnt/acl/e", A);
    acl_as_2000("mnt/acl/d/new");
    char names[128] = "";
    said("listxattr of a new directory", listxattr("mnt/acl/d/sub", names, sizeof names));
    printf("%s, %s\n", names, names + strlen(names) + 1); /* the order Linux lists them in */
    mkdir("mnt/acl/g", 0755); /* ACLs too large for the inode's room: both in the block */
    len = acl_make(&a, 7, 10, 5, 0);
    said("a default of 10 named users", setxattr("mnt/acl/g", D, &a, len, 0));
    said("mkdir in it", mkdir("mnt/acl/g/sub", 0750));
    said("listxattr of it", listxattr("mnt/acl/g/sub", names, sizeof names));
    printf("%s, %s\n", names, names + strlen(names) + 1);
    acl_show("mnt/acl/g/sub", A);
    acl_default_off(dev);
}
#endif
