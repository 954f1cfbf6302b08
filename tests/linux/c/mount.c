/*
 * tests/linux/c/mount.c - mount and umount2 as root: a tmpfs of its own
 * (options, statfs, st_dev, its root's mode and owner), its lines in
 * /proc/mounts and /proc/self/mountinfo (the fields that do not depend on
 * the machine), EBUSY while in use, MNT_DETACH, a remount read-only
 * (EROFS; EBUSY while a removed file is still open), a bind mount, another /proc, the superblock's flags
 * (sync, dirsync, mand, lazytime: the tables, statfs, a remount), and the errors.  On the host it
 * runs in a mount namespace of its own (unshare, as root) so that the
 * machine's table is not touched; Persona has one (unshare is ENOSYS).
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define D "/tmp/mount-test"

/* The lines of a table for mount point D/<at>, from field skip on. */
static void show(const char *table, const char *at, int skip)
{
    char line[512], want[64];
    snprintf(want, sizeof want, " %s/%s ", D, at);
    FILE *f = fopen(table, "r");
    int found = 0;
    while (f && fgets(line, sizeof line, f))
        if (strstr(line, want)) {
            char *p = line;
            for (int i = 0; i < skip; i++)
                p = strchr(p, ' ') + 1;
            printf("%s: %s", table, p);
            found++;
        }
    printf("%s: %d lines for %s\n", table, found, at);
    if (f)
        fclose(f);
}

int main(void)
{
    struct stat st, up;
    struct statfs sf;
    unshare(CLONE_NEWNS);
    mkdir(D, 0755);
    mkdir(D "/t", 0755);
    mkdir(D "/b", 0755);
    mkdir(D "/p", 0755);
    close(open(D "/file", O_CREAT | O_WRONLY, 0644));

    CHECK(mount("none", D "/t", "tmpfs", 0, "size=1m,mode=700,uid=5,gid=6"));
    CHECK(statfs(D "/t", &sf));
    printf("magic %lx blocks %ld flags %lx\n", (long)sf.f_type, (long)sf.f_blocks, (long)sf.f_flags);
    CHECK(stat(D "/t", &st));
    CHECK(stat(D, &up));
    printf("mode %o uid %d gid %d nlink %d dev differs %d\n", st.st_mode, st.st_uid, st.st_gid, (int)st.st_nlink,
           st.st_dev != up.st_dev);
    show("/proc/mounts", "t", 0);
    show("/proc/self/mountinfo", "t", 4);
    CHECK(close(open(D "/t/x", O_CREAT | O_WRONLY, 0644)));
    CHECK(mkdir(D "/t/sub", 0755));
    CHECK(rmdir(D "/t"));
    CHECK(rename(D "/t", D "/t2"));
    CHECK(rename(D "/b", D "/t"));

    /* in use: a working directory, an open file */
    CHECK(chdir(D "/t/sub"));
    CHECK(umount2(D "/t", 0));
    CHECK(chdir("/"));
    int fd = open(D "/t/x", O_RDONLY);
    CHECK(umount2(D "/t", 0));
    CHECK(umount2(D "/t/sub", 0));
    CHECK(umount2(D "/t", MNT_EXPIRE | MNT_DETACH));
    CHECK(umount2(D "/t", 0x100));
    CHECK(close(fd));

    /* a removed file still open keeps it from becoming read-only */
    int gone = open(D "/t/gone", O_CREAT | O_RDONLY, 0644);
    CHECK(unlink(D "/t/gone"));
    CHECK(mount(NULL, D "/t", NULL, MS_REMOUNT | MS_RDONLY, NULL));
    CHECK(close(gone));

    /* read-only */
    CHECK(mount(NULL, D "/t", NULL, MS_REMOUNT | MS_RDONLY, NULL));
    show("/proc/mounts", "t", 0);
    CHECK(statfs(D "/t", &sf));
    printf("flags %lx\n", (long)sf.f_flags);
    CHECK(open(D "/t/x", O_WRONLY));
    CHECK(open(D "/t/new", O_CREAT | O_WRONLY, 0644));
    CHECK(mkdir(D "/t/d", 0755));
    CHECK(mkdir(D "/t/sub", 0755));
    CHECK(unlink(D "/t/x"));
    CHECK(chmod(D "/t/x", 0600));
    CHECK(chown(D "/t/x", 1, 1));
    CHECK(access(D "/t/x", W_OK));
    CHECK(access(D "/t/x", R_OK));
    CHECK(rename(D "/t/x", D "/t/y"));
    CHECK(setxattr(D "/t/x", "user.a", "1", 1, 0));
    CHECK(utimensat(AT_FDCWD, D "/t/x", NULL, 0));
    CHECK(mount(NULL, D "/t", NULL, MS_REMOUNT, NULL));
    fd = open(D "/t/x", O_WRONLY);
    CHECK(fd >= 0);
    CHECK(mount(NULL, D "/t", NULL, MS_REMOUNT | MS_RDONLY, NULL));
    close(fd);
    CHECK(unlink(D "/t/x"));

    /* bind */
    CHECK(mount(D "/t", D "/b", NULL, MS_BIND, NULL));
    CHECK(access(D "/b/sub", F_OK));
    CHECK(mkdir(D "/b/sub2", 0755));
    CHECK(access(D "/t/sub2", F_OK));
    CHECK(stat(D "/b", &up));
    CHECK(stat(D "/t", &st));
    printf("same inode %d\n", st.st_ino == up.st_ino && st.st_dev == up.st_dev);
    show("/proc/self/mountinfo", "b", 3);
    CHECK(umount2(D "/t", 0));
    CHECK(umount2(D "/b", 0));
    CHECK(access(D "/b/sub", F_OK));
    CHECK(mount(D "/file", D "/b", NULL, MS_BIND, NULL));
    CHECK(mount(D "/nothing", D "/b", NULL, MS_BIND, NULL));

    /* proc */
    CHECK(mount("proc", D "/p", "proc", 0, NULL));
    CHECK(statfs(D "/p", &sf));
    printf("magic %lx\n", (long)sf.f_type);
    CHECK(access(D "/p/self/status", R_OK));
    show("/proc/mounts", "p", 0);
    CHECK(umount2(D "/p", MNT_DETACH));
    CHECK(access(D "/p/self", F_OK));

    /* the tmpfs, gone */
    CHECK(umount2(D "/t", 0));
    CHECK(access(D "/t/sub", F_OK));
    show("/proc/mounts", "t", 0);

    /* errors */
    CHECK(mount("none", D "/missing", "tmpfs", 0, NULL));
    CHECK(mount("none", D "/file/x", "tmpfs", 0, NULL));
    CHECK(mount("none", D "/file", "tmpfs", 0, NULL));
    CHECK(mount("none", D "/t", "nosuchfs", 0, NULL));
    CHECK(mount("none", D "/t", "tmpfs", 0, "bogus=1"));
    CHECK(mount("none", D "/t", "tmpfs", 0, "size=12q"));
    CHECK(mount("none", D "/t", "tmpfs", 0, "sync,lazytime=1,nomand,size=64k")); /* the VFS's flags, any value */
    CHECK(umount2(D "/t", 0));
    CHECK(mount("none", D "/t", NULL, 0, NULL));
    CHECK(mount(NULL, D "/t", NULL, MS_REMOUNT, NULL));
    CHECK(mount(NULL, D "/t", NULL, MS_PRIVATE, NULL));
    CHECK(umount2(D "/t", 0));
    CHECK(umount2(D "/missing", 0));
    CHECK(umount2(D "/file/x", 0));
    CHECK(umount2(D "/t", 0x40));
    CHECK(mount("none", D "/t", (const char *)16, 0, NULL));

    /* the superblock's flags: sync, dirsync, mand and lazytime in both tables and statfs; a remount
     * changes all but dirsync */
    CHECK(mount("none", D "/t", "tmpfs", MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK | MS_LAZYTIME | MS_NOSUID, NULL));
    show("/proc/mounts", "t", 0);
    show("/proc/self/mountinfo", "t", 4);
    CHECK(statfs(D "/t", &sf));
    printf("flags %lx\n", (long)sf.f_flags);
    CHECK(mount(NULL, D "/t", NULL, MS_REMOUNT | MS_SYNCHRONOUS, NULL));
    show("/proc/mounts", "t", 0);
    CHECK(statfs(D "/t", &sf));
    printf("flags %lx\n", (long)sf.f_flags);
    CHECK(umount2(D "/t", 0));

    /* MNT_EXPIRE: marked by a first call, unmounted by a second unless used between */
    CHECK(mount("none", D "/t", "tmpfs", 0, NULL));
    CHECK(umount2(D "/t", MNT_EXPIRE));
    CHECK(access(D "/t", F_OK));
    CHECK(umount2(D "/t", MNT_EXPIRE));
    int held = open(D "/t", O_RDONLY);
    CHECK(umount2(D "/t", MNT_EXPIRE));
    CHECK(close(held));
    CHECK(umount2(D "/t", MNT_EXPIRE));
    CHECK(umount2(D "/t", MNT_EXPIRE));
    CHECK(umount2(D "/t", MNT_EXPIRE));

    /* not root */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(1000) < 0)
            return 1;
        CHECK(mount("none", D "/t", "tmpfs", 0, NULL));
        CHECK(mount("none", D "/missing", "tmpfs", 0, NULL));
        CHECK(umount2(D "/t", 0));
        CHECK(umount2("/proc", 0));
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);

    unlink(D "/file");
    rmdir(D "/t");
    rmdir(D "/b");
    rmdir(D "/p");
    CHECK(rmdir(D));
    return 0;
}
