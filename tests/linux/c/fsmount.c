/*
 * tests/linux/c/fsmount.c - the new mount API as root: fsopen, fsconfig
 * (parameters, phases, errors), fsmount (a detached mount, its files
 * reached through its descriptor), move_mount (attaching it, moving an
 * attached mount, ELOOP), fspick and a reconfiguration read-only,
 * open_tree (O_PATH, and OPEN_TREE_CLONE's detached bind), mount_setattr
 * (read-only, atime, the argument's errors), mount(2)'s MS_MOVE, a proc
 * mount, and EPERM for a user.  The mount tables are shown by the fields
 * that do not depend on the machine.  On the host it runs in a mount
 * namespace of its own, private, as tests/linux/c/mount.c does.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define D "/tmp/fsmount-test"

/* linux/mount.h's, which musl's headers do not have */
#define OPEN_TREE_CLONE 1
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#define MOVE_MOUNT_F_EMPTY_PATH 4
#define FSOPEN_CLOEXEC 1
#define FSPICK_CLOEXEC 1
#define FSMOUNT_CLOEXEC 1
#define AT_RECURSIVE 0x8000
enum { FSCONFIG_SET_FLAG, FSCONFIG_SET_STRING, FSCONFIG_SET_BINARY, FSCONFIG_SET_PATH, FSCONFIG_SET_PATH_EMPTY,
       FSCONFIG_SET_FD, FSCONFIG_CMD_CREATE, FSCONFIG_CMD_RECONFIGURE };
#define MOUNT_ATTR_RDONLY 1
#define MOUNT_ATTR_NOSUID 2
#define MOUNT_ATTR_NODEV 4
#define MOUNT_ATTR_NOEXEC 8
#define MOUNT_ATTR__ATIME 0x70
#define MOUNT_ATTR_NOATIME 0x10
#define MOUNT_ATTR_NODIRATIME 0x80
struct mount_attr {
    uint64_t attr_set, attr_clr, propagation, userns_fd;
};

static long fsopen_(const char *name, unsigned flags) { return syscall(SYS_fsopen, name, flags); }
static long fsconfig_(int fd, unsigned cmd, const char *key, const void *value, int aux)
{
    return syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}
static long fsmount_(int fd, unsigned flags, unsigned attr) { return syscall(SYS_fsmount, fd, flags, attr); }
static long fspick_(int dfd, const char *path, unsigned flags) { return syscall(SYS_fspick, dfd, path, flags); }
static long open_tree_(int dfd, const char *path, unsigned flags) { return syscall(SYS_open_tree, dfd, path, flags); }
static long move_mount_(int fd, const char *from, int tfd, const char *to, unsigned flags)
{
    return syscall(SYS_move_mount, fd, from, tfd, to, flags);
}
static long setattr_(int dfd, const char *path, unsigned flags, void *attr, size_t size)
{
    return syscall(SYS_mount_setattr, dfd, path, flags, attr, size);
}

/* /proc/mounts' lines for D/<at> (all of them), and mountinfo's mount
 * options and what follows the separator but the superblock's options. */
static void show(const char *at)
{
    char line[512], want[64];
    int n = 0;
    snprintf(want, sizeof want, " %s/%s ", D, at);
    FILE *f = fopen("/proc/mounts", "r");
    while (f && fgets(line, sizeof line, f))
        if (strstr(line, want))
            printf("mounts: %s", line), n++;
    if (f)
        fclose(f);
    f = fopen("/proc/self/mountinfo", "r");
    while (f && fgets(line, sizeof line, f)) {
        if (!strstr(line, want))
            continue;
        char *p = line, *opts, *sep = strstr(line, " - ");
        for (int i = 0; i < 5; i++)
            p = strchr(p, ' ') + 1;
        opts = p;
        *strchr(opts, ' ') = '\0';
        char type[64], src[128];
        sscanf(sep + 3, "%63s %127s", type, src);
        printf("mountinfo: %s %s %s\n", opts, type, src);
    }
    if (f)
        fclose(f);
    printf("%d mounts at %s\n", n, at);
}

static void fsopen_errors(void)
{
    int file = open(D "/file", O_RDONLY);
    CHECK(fsopen_("nosuchfs", 0));
    CHECK(fsopen_("tmpfs", 2));
    CHECK(fsopen_((const char *)16, 0));
    CHECK(fsconfig_(-1, FSCONFIG_SET_FLAG, "ro", NULL, 0));
    CHECK(fsconfig_(100, FSCONFIG_SET_FLAG, "ro", NULL, 0));
    CHECK(fsconfig_(file, FSCONFIG_SET_FLAG, "ro", NULL, 0));
    CHECK(fsmount_(100, 0, 0));
    CHECK(fsmount_(file, 0, 0));
    close(file);
}

/* A tmpfs made with fsopen, its parameters' errors and its phases; the
 * detached mount's descriptor. */
static int new_tmpfs(void)
{
    char buf[128];
    int fs = fsopen_("tmpfs", FSOPEN_CLOEXEC);
    CHECK(fs >= 0);
    CHECK(fcntl(fs, F_GETFD));
    CHECK(read(fs, buf, sizeof buf)); /* no message yet */
    snprintf(buf, sizeof buf, "/proc/self/fd/%d", fs);
    char link[64];
    ssize_t n = readlink(buf, link, sizeof link - 1);
    printf("%.*s\n", (int)(n > 0 ? n : 0), link);
    CHECK(fsconfig_(fs, 99, NULL, NULL, 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_FLAG, NULL, NULL, 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_FLAG, "ro", "x", 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_STRING, "size", NULL, 0));
    CHECK(fsconfig_(fs, FSCONFIG_CMD_CREATE, "x", NULL, 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_BINARY, "size", "1m", 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_FD, "size", "x", 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_STRING, "size", "12q", 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_STRING, "bogus", "1", 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_FLAG, "size", NULL, 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_STRING, (const char *)16, "1", 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_BINARY, "size", "1m", 2));
    CHECK(fsconfig_(fs, FSCONFIG_SET_FD, "size", NULL, 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_FD, "size", NULL, 100));
    CHECK(fsconfig_(fs, FSCONFIG_SET_STRING, "source", "mysrc", 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_STRING, "source", "again", 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_STRING, "size", "1m", 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_STRING, "mode", "700", 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_FLAG, "async", NULL, 0));
    CHECK(fsmount_(fs, 0, 0));
    CHECK(fsconfig_(fs, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
    CHECK(fsconfig_(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    CHECK(fsconfig_(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    CHECK(fsconfig_(fs, FSCONFIG_SET_STRING, "size", "2m", 0));
    CHECK(fsmount_(fs, 2, 0));
    CHECK(fsmount_(fs, 0, 0x70));
    CHECK(fsmount_(fs, 0, 0x400));
    int m = fsmount_(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID);
    CHECK(m >= 0);
    CHECK(fsmount_(fs, 0, 0));
    CHECK(fcntl(m, F_GETFD));
    CHECK(fcntl(m, F_GETFL) & O_PATH);
    close(fs);
    return m;
}

/* The detached mount's files, then attached at D/a. */
static void attach(int m)
{
    struct stat st;
    struct statfs sf;
    CHECK(fstat(m, &st));
    printf("mode %o\n", st.st_mode);
    int fd = openat(m, "x", O_CREAT | O_WRONLY, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "hi", 2));
    close(fd);
    CHECK(faccessat(m, "x", F_OK, 0));
    show("a");
    CHECK(move_mount_(m, "", AT_FDCWD, D "/a", 0));
    CHECK(move_mount_(m, "", AT_FDCWD, D "/file", MOVE_MOUNT_F_EMPTY_PATH));
    CHECK(move_mount_(m, "", AT_FDCWD, D "/missing", MOVE_MOUNT_F_EMPTY_PATH));
    CHECK(move_mount_(m, "", AT_FDCWD, D "/a", 0x1000));
    CHECK(move_mount_(m, "", AT_FDCWD, D "/a", MOVE_MOUNT_F_EMPTY_PATH));
    show("a");
    CHECK(access(D "/a/x", F_OK));
    CHECK(statfs(D "/a", &sf));
    printf("magic %lx flags %lx\n", (long)sf.f_type, (long)sf.f_flags);
    CHECK(faccessat(m, "x", F_OK, 0));
}

/* fspick: the superblock read-only and back, EBUSY with a writer, a new size. */
static void pick(void)
{
    CHECK(fspick_(AT_FDCWD, D, 0));
    CHECK(fspick_(AT_FDCWD, D "/a", 0x10));
    CHECK(fspick_(AT_FDCWD, D "/missing", 0));
    int p = fspick_(AT_FDCWD, D "/a", FSPICK_CLOEXEC);
    CHECK(p >= 0);
    CHECK(fsconfig_(p, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    CHECK(fsconfig_(p, FSCONFIG_SET_FLAG, "ro", NULL, 0));
    CHECK(fsconfig_(p, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
    CHECK(open(D "/a/y", O_CREAT | O_WRONLY, 0644));
    show("a");
    CHECK(fsconfig_(p, FSCONFIG_SET_FLAG, "rw", NULL, 0));
    CHECK(fsconfig_(p, FSCONFIG_SET_STRING, "size", "2m", 0));
    CHECK(fsconfig_(p, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
    show("a");
    int fd = open(D "/a/x", O_WRONLY);
    CHECK(fd >= 0);
    CHECK(fsconfig_(p, FSCONFIG_SET_FLAG, "ro", NULL, 0));
    CHECK(fsconfig_(p, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
    CHECK(fsconfig_(p, FSCONFIG_SET_FLAG, "rw", NULL, 0));
    close(fd);
    close(p);
    CHECK(fsmount_(p, 0, 0));
}

static void setattr(int m)
{
    struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY};
    struct {
        struct mount_attr a;
        uint64_t more;
    } big = {{0}, 1};
    CHECK(setattr_(AT_FDCWD, D "/a", 0, &a, sizeof a));
    CHECK(open(D "/a/y", O_CREAT | O_WRONLY, 0644));
    show("a");
    a = (struct mount_attr){.attr_clr = MOUNT_ATTR_RDONLY};
    CHECK(setattr_(AT_FDCWD, D "/a", 0, &a, sizeof a));
    int fd = open(D "/a/y", O_CREAT | O_WRONLY, 0644);
    CHECK(fd >= 0);
    a = (struct mount_attr){.attr_set = MOUNT_ATTR_RDONLY};
    CHECK(setattr_(AT_FDCWD, D "/a", 0, &a, sizeof a));
    close(fd);
    CHECK(setattr_(AT_FDCWD, D "/a", 1, &a, sizeof a));
    CHECK(setattr_(AT_FDCWD, D "/a", 0, &a, 8));
    CHECK(setattr_(AT_FDCWD, D "/a", 0, &a, 5000));
    CHECK(setattr_(AT_FDCWD, D "/a", 0, &big, sizeof big));
    CHECK(setattr_(AT_FDCWD, D "/a", 0, NULL, sizeof a));
    a = (struct mount_attr){0};
    CHECK(setattr_(AT_FDCWD, D "/missing", 0, &a, sizeof a));
    a = (struct mount_attr){.attr_set = MOUNT_ATTR_NOATIME};
    CHECK(setattr_(AT_FDCWD, D "/a", 0, &a, sizeof a));
    a = (struct mount_attr){.attr_set = MOUNT_ATTR_NOATIME, .attr_clr = MOUNT_ATTR_NOATIME};
    CHECK(setattr_(AT_FDCWD, D "/a", 0, &a, sizeof a));
    a = (struct mount_attr){.attr_set = 0x70, .attr_clr = MOUNT_ATTR__ATIME};
    CHECK(setattr_(AT_FDCWD, D "/a", 0, &a, sizeof a));
    a = (struct mount_attr){.propagation = MS_SHARED | MS_PRIVATE};
    CHECK(setattr_(AT_FDCWD, D "/a", 0, &a, sizeof a));
    a = (struct mount_attr){.attr_set = 0x400};
    CHECK(setattr_(AT_FDCWD, D "/a", 0, &a, sizeof a));
    a = (struct mount_attr){.attr_set = MOUNT_ATTR_NOEXEC};
    CHECK(setattr_(AT_FDCWD, D, 0, &a, sizeof a));
    CHECK(setattr_(AT_FDCWD, D "/missing", 0, &a, sizeof a));
    a = (struct mount_attr){.attr_set = MOUNT_ATTR_NOATIME | MOUNT_ATTR_NOEXEC, .attr_clr = MOUNT_ATTR__ATIME};
    CHECK(setattr_(AT_FDCWD, D "/a", 0, &a, sizeof a));
    a = (struct mount_attr){.attr_set = MOUNT_ATTR_NODIRATIME, .attr_clr = MOUNT_ATTR_RDONLY,
                            .propagation = MS_PRIVATE};
    CHECK(setattr_(m, "", AT_EMPTY_PATH, &a, sizeof a));
    show("a");
    CHECK(close(open(D "/a/y", O_CREAT | O_WRONLY, 0644)));
}

/* Moving an attached mount: move_mount and mount(2)'s MS_MOVE. */
static void move(void)
{
    CHECK(move_mount_(AT_FDCWD, D "/a", AT_FDCWD, D "/b", 0));
    CHECK(access(D "/b/x", F_OK));
    CHECK(access(D "/a/x", F_OK));
    show("b");
    CHECK(mkdir(D "/b/sub", 0755));
    CHECK(move_mount_(AT_FDCWD, D "/b", AT_FDCWD, D "/b/sub", 0));
    CHECK(move_mount_(AT_FDCWD, D "/b", AT_FDCWD, D "/b", 0));
    CHECK(move_mount_(AT_FDCWD, D, AT_FDCWD, D "/c", 0));
    CHECK(mount(D "/b", D "/a", NULL, MS_MOVE, NULL));
    CHECK(access(D "/a/x", F_OK));
    CHECK(mount(D "/c", D "/b", NULL, MS_MOVE, NULL));
    show("a");
    show("b");
}

/* open_tree: an O_PATH file, and a detached bind mount. */
static void tree(void)
{
    int t = open_tree_(AT_FDCWD, D "/a", 0);
    CHECK(t >= 0);
    CHECK(fcntl(t, F_GETFL) & O_PATH);
    CHECK(faccessat(t, "x", F_OK, 0));
    CHECK(move_mount_(t, "", AT_FDCWD, D "/c", MOVE_MOUNT_F_EMPTY_PATH));
    CHECK(access(D "/c/x", F_OK));
    CHECK(move_mount_(t, "", AT_FDCWD, D "/a", MOVE_MOUNT_F_EMPTY_PATH));
    close(t);
    CHECK(open_tree_(AT_FDCWD, D "/a", AT_RECURSIVE));
    CHECK(open_tree_(AT_FDCWD, D "/a", 4));
    CHECK(open_tree_(AT_FDCWD, D "/missing", OPEN_TREE_CLONE));
    int c = open_tree_(AT_FDCWD, D "/a", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    CHECK(c >= 0);
    CHECK(fcntl(c, F_GETFD));
    show("c");
    CHECK(move_mount_(c, "", AT_FDCWD, D "/c", MOVE_MOUNT_F_EMPTY_PATH));
    CHECK(access(D "/c/x", F_OK));
    show("c");
    CHECK(close(c));
    CHECK(mkdir(D "/a/sub2", 0755));
    c = open_tree_(AT_FDCWD, D "/a/sub2", OPEN_TREE_CLONE | AT_RECURSIVE);
    CHECK(c >= 0);
    CHECK(move_mount_(c, "", AT_FDCWD, D "/b", MOVE_MOUNT_F_EMPTY_PATH));
    CHECK(mkdir(D "/b/in", 0755));
    CHECK(access(D "/a/sub2/in", F_OK));
    close(c);
    c = open_tree_(AT_FDCWD, D "/a", OPEN_TREE_CLONE);
    CHECK(close(c));
    show("b");
    CHECK(umount2(D "/b", 0));
    CHECK(umount2(D "/c", 0));
}

static void proc(void)
{
    struct statfs sf;
    int p = fsopen_("proc", 0);
    CHECK(p >= 0);
    CHECK(fsconfig_(p, FSCONFIG_SET_STRING, "bogus", "1", 0));
    CHECK(fsconfig_(p, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    int m = fsmount_(p, 0, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
    CHECK(m >= 0);
    CHECK(faccessat(m, "self/status", R_OK, 0));
    CHECK(move_mount_(m, "", AT_FDCWD, D "/p", MOVE_MOUNT_F_EMPTY_PATH));
    CHECK(statfs(D "/p", &sf));
    printf("magic %lx\n", (long)sf.f_type);
    show("p");
    CHECK(umount2(D "/p", 0)); /* its descriptor holds it */
    close(m);
    close(p);
    CHECK(umount2(D "/p", 0));
}

static void user(void)
{
    struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY};
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(1000) < 0)
            _exit(1);
        CHECK(fsopen_("tmpfs", 0));
        CHECK(fsmount_(100, 0, 0));
        CHECK(fspick_(AT_FDCWD, D "/a", 0));
        CHECK(move_mount_(AT_FDCWD, D "/a", AT_FDCWD, D "/b", 0));
        CHECK(open_tree_(AT_FDCWD, D "/a", OPEN_TREE_CLONE));
        int t = open_tree_(AT_FDCWD, D "/a", 0);
        CHECK(t >= 0);
        CHECK(setattr_(AT_FDCWD, D "/a", 0, &a, sizeof a));
        CHECK(setattr_(AT_FDCWD, D "/a", 1, &a, sizeof a));
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
}

int main(void)
{
    unshare(CLONE_NEWNS);
    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    mkdir(D, 0755);
    mkdir(D "/a", 0755);
    mkdir(D "/b", 0755);
    mkdir(D "/c", 0755);
    mkdir(D "/p", 0755);
    close(open(D "/file", O_CREAT | O_WRONLY, 0644));
    fsopen_errors();
    int m = new_tmpfs();
    attach(m);
    pick();
    setattr(m);
    close(m);
    move();
    tree();
    proc();
    user();
    CHECK(umount2(D "/a", 0));
    show("a");
    unlink(D "/file");
    rmdir(D "/a");
    rmdir(D "/b");
    rmdir(D "/c");
    rmdir(D "/p");
    CHECK(rmdir(D));
    return 0;
}
