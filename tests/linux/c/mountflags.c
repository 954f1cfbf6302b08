/*
 * tests/linux/c/mountflags.c - per-mount flags as root: a read-only bind
 * mount (MS_REMOUNT | MS_BIND | MS_RDONLY) refuses writes through it
 * (EROFS) while the file system stays writable through its own mount,
 * EBUSY while a file is open for writing through it, statfs's ST_RDONLY,
 * mount_setattr's MOUNT_ATTR_RDONLY both ways; noexec (execve and
 * access(X_OK) EACCES, mmap PROT_EXEC EPERM), nodev (a device node
 * EACCES) and nosuid (a set-user-ID program keeps the caller's ids);
 * changes through a descriptor (fchmod, fchown, futimens, fsetxattr;
 * fstatvfs); MS_UNBINDABLE (a bind mount of it EINVAL, open_tree's clone
 * too, until MS_PRIVATE) and a bind mount of a read-only one; the access
 * time a read sets (relatime, strictatime, noatime, read-only).  On
 * the host it runs in a mount namespace of its own (unshare, as root).
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define D "/tmp/mountflags-test"
#define RB (MS_REMOUNT | MS_BIND)
#define MOUNT_ATTR_RDONLY 1
#define OPEN_TREE_CLONE 1

struct attr { unsigned long long set, clr, prop, userns; };

static void statvfs_flags(const char *path)
{
    struct statvfs s;
    CHECK(statvfs(path, &s));
    printf("  %s: ro %d nosuid %d nodev %d noexec %d\n", path, !!(s.f_flag & ST_RDONLY), !!(s.f_flag & ST_NOSUID),
           !!(s.f_flag & ST_NODEV), !!(s.f_flag & ST_NOEXEC));
}

/* Whether D/b's line of /proc/self/mountinfo says "unbindable". */
static void unbindable_shown(void)
{
    char line[512];
    FILE *f = fopen("/proc/self/mountinfo", "r");
    while (f && fgets(line, sizeof line, f))
        if (strstr(line, " " D "/b "))
            printf("  mountinfo unbindable %d\n", strstr(line, " unbindable ") != NULL);
    if (f)
        fclose(f);
}

/* Whether a read of path changes its access time, set first to atime
 * and its modification time to mtime. */
static void atime_after_read(const char *path, long atime, long mtime)
{
    struct timeval tv[2] = {{atime, 0}, {mtime, 0}};
    struct stat before, after;
    char c;
    utimes(D "/a/f", tv); /* through the writable mount */
    stat(path, &before);
    int fd = open(path, O_RDONLY);
    if (read(fd, &c, 1) < 0)
        perror("read");
    close(fd);
    stat(path, &after);
    printf("  atime %ld: %s\n", atime, after.st_atime != before.st_atime ? "updated" : "kept");
}

/* Whether a second read of path, right after a first, changes its access
 * time. */
static void atime_second_read(const char *path)
{
    struct stat before, after;
    char c;
    int fd = open(path, O_RDONLY);
    if (read(fd, &c, 1) < 0 || fstat(fd, &before) < 0 || pread(fd, &c, 1, 0) < 0 || fstat(fd, &after) < 0)
        perror("read");
    close(fd);
    printf("  second read: %s\n", after.st_atim.tv_sec != before.st_atim.tv_sec ||
                                          after.st_atim.tv_nsec != before.st_atim.tv_nsec ? "updated" : "kept");
}

/* Runs path as a child (argv[1] "euid": it prints its effective uid). */
static void run(const char *path)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl(path, path, "euid", (char *)NULL);
        printf("  exec %s: %s\n", path, errno_name(errno));
        fflush(stdout);
        _exit(1);
    }
    int st;
    waitpid(pid, &st, 0);
}

/* Copies this program to path. */
static void copy_self(const char *path)
{
    static char buf[1 << 16];
    int in = open("/proc/self/exe", O_RDONLY), out = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            break;
    close(in);
    close(out);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        printf("  euid %d\n", (int)geteuid());
        return 0;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    unshare(CLONE_NEWNS);
    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
    mkdir(D, 0755);
    mkdir(D "/a", 0755);
    mkdir(D "/b", 0755);
    CHECK(mount("none", D "/a", "tmpfs", 0, "size=4m"));
    close(open(D "/a/f", O_CREAT | O_WRONLY, 0644));
    mkdir(D "/a/dir", 0755);
    copy_self(D "/a/exe");
    CHECK(mount(D "/a", D "/b", NULL, MS_BIND, NULL));

    puts("read-only bind mount");
    int w = open(D "/b/f", O_WRONLY);
    CHECK(mount(NULL, D "/b", NULL, RB | MS_RDONLY, NULL));
    CHECK(write(w, "x", 1));
    CHECK(close(w));
    CHECK(mount(NULL, D "/b", NULL, RB | MS_RDONLY, NULL));
    statvfs_flags(D "/a");
    statvfs_flags(D "/b");
    CHECK(open(D "/b/f", O_WRONLY));
    CHECK(open(D "/b/f", O_RDONLY | O_TRUNC));
    CHECK(close(open(D "/b/f", O_RDONLY)));
    CHECK(open(D "/b/new", O_CREAT | O_WRONLY, 0644));
    CHECK(creat(D "/b/f", 0644));
    CHECK(mkdir(D "/b/d2", 0755));
    CHECK(mkdir(D "/b/dir", 0755));
    CHECK(mknod(D "/b/fifo", S_IFIFO | 0644, 0));
    CHECK(unlink(D "/b/f"));
    CHECK(rmdir(D "/b/dir"));
    CHECK(rename(D "/b/f", D "/b/g"));
    CHECK(rename(D "/a/f", D "/b/g"));
    CHECK(link(D "/b/f", D "/b/h"));
    CHECK(symlink("f", D "/b/s"));
    CHECK(chmod(D "/b/f", 0600));
    CHECK(chown(D "/b/f", 1, 1));
    CHECK(utimes(D "/b/f", NULL));
    CHECK(truncate(D "/b/f", 0));
    CHECK(setxattr(D "/b/f", "user.x", "1", 1, 0));
    CHECK(removexattr(D "/b/f", "user.x"));
    CHECK(access(D "/b/f", W_OK));
    CHECK(access(D "/b/f", R_OK));
    int r0 = open(D "/b/f", O_RDONLY);
    CHECK(fchmod(r0, 0600));
    CHECK(fchown(r0, 1, 1));
    CHECK(futimens(r0, NULL));
    CHECK(fsetxattr(r0, "user.x", "1", 1, 0));
    struct statvfs sv;
    CHECK(fstatvfs(r0, &sv));
    printf("  fstatvfs ro %d\n", !!(sv.f_flag & ST_RDONLY));
    CHECK(close(r0));
    puts("the same file system through its own mount");
    r0 = open(D "/a/f", O_RDONLY);
    CHECK(fchmod(r0, 0644));
    CHECK(fstatvfs(r0, &sv));
    printf("  fstatvfs ro %d\n", !!(sv.f_flag & ST_RDONLY));
    CHECK(close(r0));
    CHECK(access(D "/a/f", W_OK));
    CHECK(close(open(D "/a/f", O_WRONLY)));
    CHECK(mkdir(D "/a/d2", 0755));
    CHECK(rmdir(D "/a/d2"));
    CHECK(chmod(D "/a/f", 0644));
    CHECK(rename(D "/a/f", D "/a/g"));
    CHECK(rename(D "/a/g", D "/a/f"));
    CHECK(chdir(D "/a"));
    CHECK(mkdir("rel", 0755));
    CHECK(rmdir("rel"));
    CHECK(chdir("/"));

    puts("mount_setattr");
    struct attr a = {0, MOUNT_ATTR_RDONLY, 0, 0};
    CHECK(syscall(SYS_mount_setattr, AT_FDCWD, D "/b", 0, &a, sizeof a));
    CHECK(mkdir(D "/b/d3", 0755));
    CHECK(rmdir(D "/b/d3"));
    w = open(D "/b/f", O_WRONLY);
    a = (struct attr){MOUNT_ATTR_RDONLY, 0, 0, 0};
    CHECK(syscall(SYS_mount_setattr, AT_FDCWD, D "/b", 0, &a, sizeof a));
    CHECK(close(w));
    CHECK(syscall(SYS_mount_setattr, AT_FDCWD, D "/b", 0, &a, sizeof a));
    CHECK(mkdir(D "/b/d3", 0755));
    statvfs_flags(D "/b");

    puts("noexec");
    CHECK(mount(NULL, D "/b", NULL, RB | MS_NOEXEC, NULL));
    statvfs_flags(D "/b");
    CHECK(access(D "/b/exe", X_OK));
    CHECK(access(D "/a/exe", X_OK));
    run(D "/b/exe");
    run(D "/a/exe");
    int fb = open(D "/b/exe", O_RDONLY), fa = open(D "/a/exe", O_RDONLY);
    void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fb, 0);
    printf("  mmap exec through noexec: %s\n", p == MAP_FAILED ? errno_name(errno) : "mapped");
    p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fb, 0);
    printf("  mmap read through noexec: %s\n", p == MAP_FAILED ? errno_name(errno) : "mapped");
    munmap(p, 4096);
    p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fa, 0);
    printf("  mmap exec through its own: %s\n", p == MAP_FAILED ? errno_name(errno) : "mapped");
    munmap(p, 4096);
    close(fa);
    close(fb);

    puts("nodev");
    CHECK(mknod(D "/a/null", S_IFCHR | 0666, makedev(1, 3)));
    CHECK(mount(NULL, D "/b", NULL, RB | MS_NODEV, NULL));
    statvfs_flags(D "/b");
    CHECK(open(D "/b/null", O_RDONLY));
    CHECK(close(open(D "/a/null", O_RDONLY)));

    puts("nosuid");
    CHECK(chown(D "/a/exe", 1234, 1234));
    CHECK(chmod(D "/a/exe", 04755));
    CHECK(mount(NULL, D "/b", NULL, RB | MS_NOSUID, NULL));
    statvfs_flags(D "/b");
    run(D "/b/exe");
    run(D "/a/exe");

    puts("atime");
    CHECK(mount(NULL, D "/b", NULL, RB, NULL)); /* relatime, the default */
    atime_after_read(D "/b/f", 1000, 2000);    /* older than the modification */
    atime_after_read(D "/b/f", 3000, 2000);    /* a day old */
    atime_second_read(D "/b/f");               /* recent */
    CHECK(mount(NULL, D "/b", NULL, RB | MS_STRICTATIME, NULL));
    atime_second_read(D "/b/f");
    CHECK(mount(NULL, D "/b", NULL, RB | MS_NOATIME, NULL));
    atime_after_read(D "/b/f", 1000, 2000);
    atime_after_read(D "/a/f", 1000, 2000);    /* the same file through its own mount */
    CHECK(mount(NULL, D "/b", NULL, RB | MS_RDONLY, NULL));
    atime_after_read(D "/b/f", 1000, 2000);

    puts("unbindable");
    mkdir(D "/c", 0755);
    CHECK(mount(NULL, D "/b", NULL, MS_UNBINDABLE, NULL));
    unbindable_shown();
    CHECK(mount(D "/b", D "/c", NULL, MS_BIND, NULL));
    CHECK(mount(D "/b/dir", D "/c", NULL, MS_BIND, NULL));
    CHECK(syscall(SYS_open_tree, AT_FDCWD, D "/b", OPEN_TREE_CLONE));
    CHECK(mount(D "/a/dir", D "/c", NULL, MS_BIND, NULL));
    CHECK(umount2(D "/c", 0));
    CHECK(mount(NULL, D "/b", NULL, MS_PRIVATE, NULL));
    unbindable_shown();
    CHECK(mount(D "/b", D "/c", NULL, MS_BIND, NULL));
    CHECK(umount2(D "/c", 0));
    CHECK(mount(NULL, D "/b", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
    CHECK(mount(D "/b", D "/c", NULL, MS_BIND, NULL));
    statvfs_flags(D "/c");
    CHECK(mkdir(D "/c/d4", 0755));
    CHECK(umount2(D "/c", 0));

    CHECK(umount2(D "/b", 0));
    CHECK(umount2(D "/a", 0));
    rmdir(D "/a");
    rmdir(D "/b");
    rmdir(D "/c");
    CHECK(rmdir(D));
    return 0;
}
