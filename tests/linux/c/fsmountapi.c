/*
 * tests/linux/c/fsmountapi.c - the new mount API by file system type and
 * in a user namespace (root; as Linux 6.1): fsopen of each type mount(2)
 * makes (tmpfs, ext2, proc, sysfs, cgroup2), their fsconfig keys as each
 * fs_parameter_spec takes them (flags, strings, other kinds refused) and
 * the messages a read of the context gives ("e ..." lines, eight kept,
 * EMSGSIZE for a short buffer, ENODATA when none is left); a proc with
 * gid, hidepid and subset, a cgroup2 (in a cgroup namespace of its own,
 * so that the host's root flags stay), a sysfs; fspick and
 * FSCONFIG_CMD_RECONFIGURE; FSMOUNT_CLOEXEC and fsmount's attributes;
 * move_mount with both empty paths; open_tree's recursive clone;
 * mount_setattr with AT_RECURSIVE and a propagation change.  Then, in a
 * user namespace owning a mount, a pid and a cgroup namespace: what
 * fsopen, CMD_CREATE, fsmount, fspick, move_mount and mount_setattr allow
 * there.  Runs in a
 * mount namespace of its own.  With "persona-only": Linux 6.1's log where
 * later kernels differ (a short read, a u32's messages, ext2's source, an
 * idmapped tmpfs), and user namespaces counted out under a limit of ten
 * (the host's limit is not changed).
 */
#define _GNU_SOURCE
#include "check.h"
#include "nstest.h"
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* linux/mount.h's, which musl's headers do not have */
enum { FSCONFIG_SET_FLAG, FSCONFIG_SET_STRING, FSCONFIG_SET_BINARY, FSCONFIG_SET_PATH, FSCONFIG_SET_PATH_EMPTY,
       FSCONFIG_SET_FD, FSCONFIG_CMD_CREATE, FSCONFIG_CMD_RECONFIGURE };
#define FSMOUNT_CLOEXEC 1
#define OPEN_TREE_CLONE 1
#define MOVE_MOUNT_F_EMPTY_PATH 4
#define MOVE_MOUNT_T_EMPTY_PATH 0x40
#define AT_RECURSIVE 0x8000
#define MOUNT_ATTR_RDONLY 1
#define MOUNT_ATTR_NOEXEC 8
#define MOUNT_ATTR_IDMAP 0x100000
struct mount_attr {
    uint64_t attr_set, attr_clr, propagation, userns_fd;
};

static char base[64], path[160];

static const char *at(const char *rel)
{
    snprintf(path, sizeof path, "%s/%s", base, rel);
    return path;
}

static long fsopen_(const char *name) { return syscall(SYS_fsopen, name, 0); }
static long fsconfig_(int fd, unsigned cmd, const char *key, const void *value, int aux)
{
    return syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}
static long fsmount_(int fd, unsigned flags, unsigned attr) { return syscall(SYS_fsmount, fd, flags, attr); }
static long fspick_(const char *p) { return syscall(SYS_fspick, AT_FDCWD, p, 0); }
static long move_(int fd, const char *to) { return syscall(SYS_move_mount, fd, "", AT_FDCWD, to, MOVE_MOUNT_F_EMPTY_PATH); }
static long setattr_(const char *p, unsigned flags, struct mount_attr *a)
{
    return syscall(SYS_mount_setattr, AT_FDCWD, p, flags, a, sizeof *a);
}

/* Every message the context holds, oldest first. */
static void messages(int fd)
{
    char buf[512];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf - 1)) > 0) {
        buf[n] = '\0';
        printf("  message (%zd): %s", n, buf);
    }
    printf("  then: %s\n", errno_name(errno));
    errno = 0;
}

static void say(const char *what, long r)
{
    printf("%-52s %ld %s\n", what, r, r < 0 ? errno_name(errno) : "");
    errno = 0;
}

/* mountinfo's mount options, type and super options of the mounts at base/rel. */
static void show(const char *rel)
{
    char line[512], want[200];
    snprintf(want, sizeof want, " %s ", at(rel));
    FILE *f = fopen("/proc/self/mountinfo", "r");
    while (f && fgets(line, sizeof line, f)) {
        if (!strstr(line, want))
            continue;
        char *p = line, *sep = strstr(line, " - ");
        for (int i = 0; i < 5; i++)
            p = strchr(p, ' ') + 1;
        char opts[128], type[32], src[64], super[200];
        sscanf(p, "%127s", opts);
        super[0] = '\0';
        sscanf(sep + 3, "%31s %63s %199s", type, src, super);
        printf("  %s: %s %s %s %s%s\n", rel, opts, type, src, super, strstr(line, "shared:") ? " shared" : "");
    }
    if (f)
        fclose(f);
}

/* The keys every type refuses, and "source" twice. */
static void common_keys(const char *type)
{
    int fd = fsopen_(type);
    printf("fsopen(%s): %s\n", type, fd >= 0 ? "a descriptor" : errno_name(errno));
    CHECK(fsconfig_(fd, FSCONFIG_SET_FLAG, "bogus", NULL, 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "bogus", "1", 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_FD, "source", NULL, 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "source", "a", 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "source", "b", 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "sync", "any", 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_FD, "lazytime", NULL, 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_FLAG, "nosuid", NULL, 0));
    messages(fd);
    close(fd);
}

/* One string parameter, then CMD_RECONFIGURE, and what it said. */
static void reconfigure(int fd, const char *key, const char *value)
{
    printf("reconfigure %s=%s\n", key, value);
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, key, value, 0));
    CHECK(fsconfig_(fd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
    messages(fd);
}

static void tmpfs_keys(void)
{
    int fd = fsopen_("tmpfs");
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "size", "abc", 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_FLAG, "size", NULL, 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_PATH, "size", "/", AT_FDCWD));
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "inode64", "1", 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "mode", "99", 0));
    messages(fd);
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "size", "1m", 0));
    CHECK(fsconfig_(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    int m = fsmount_(fd, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOEXEC);
    CHECK(m >= 0);
    CHECK(fcntl(m, F_GETFD));
    CHECK(fsmount_(fd, 0, 0)); /* mounted already */
    int dir = open(at("t"), O_PATH | O_DIRECTORY);
    CHECK(syscall(SYS_move_mount, m, "", dir, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH));
    close(dir), close(m), close(fd);
    show("t");
    /* fspick: reconfigured read-only, with a bad key first */
    fd = fspick_(at("t"));
    CHECK(fd >= 0);
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "nope", "1", 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_FLAG, "ro", NULL, 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "size", "2m", 0));
    CHECK(fsconfig_(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    CHECK(fsmount_(fd, 0, 0));
    CHECK(fsconfig_(fd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
    messages(fd);
    struct statfs s;
    statfs(at("t"), &s);
    printf("  statfs: blocks %ld read-only %d\n", (long)s.f_blocks * s.f_bsize / 1024, !!(s.f_flags & ST_RDONLY));
    CHECK(fsconfig_(fd, FSCONFIG_SET_FLAG, "rw", NULL, 0));
    CHECK(fsconfig_(fd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
    close(fd);
    show("t");
    /* a size below what is used; a limit on an unlimited one */
    int file = open(at("t/f"), O_CREAT | O_WRONLY, 0600);
    char page[4096] = {1};
    for (int i = 0; i < 4; i++)
        write(file, page, sizeof page);
    close(file);
    fd = fspick_(at("t"));
    reconfigure(fd, "size", "8k");
    close(fd);
    fd = fspick_(at("t")); /* the same context again after a reconfiguration */
    reconfigure(fd, "nr_inodes", "0");
    reconfigure(fd, "nr_inodes", "1");
    close(fd);
    unlink(at("t/f"));
}

static void proc_keys(void)
{
    int fd = fsopen_("proc");
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "gid", "x", 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_FLAG, "gid", NULL, 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "hidepid", "7", 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "hidepid", "bogus", 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "subset", "foo", 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "subset", "", 0));
    messages(fd);
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "gid", "5", 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "hidepid", "invisible", 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "subset", "pid", 0));
    CHECK(fsconfig_(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    int m = fsmount_(fd, 0, 0);
    CHECK(move_(m, at("p")));
    close(m), close(fd);
    show("p");
    struct stat st;
    CHECK(stat(at("p/self"), &st));
    CHECK(stat(at("p/uptime"), &st)); /* not in subset=pid */
    CHECK(umount(at("p")));
    fd = fsopen_("proc"); /* a read-only superblock */
    CHECK(fsconfig_(fd, FSCONFIG_SET_FLAG, "ro", NULL, 0));
    CHECK(fsconfig_(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    m = fsmount_(fd, 0, 0);
    CHECK(move_(m, at("p")));
    close(m), close(fd);
    show("p");
    CHECK(open(at("p/self/comm"), O_WRONLY));
    CHECK(open("/proc/self/comm", O_WRONLY) >= 0);
    CHECK(umount(at("p")));
}

static void sysfs_and_cgroup2(void)
{
    int fd = fsopen_("sysfs");
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "source", "sys", 0));
    CHECK(fsconfig_(fd, FSCONFIG_SET_FLAG, "ro", NULL, 0)); /* the superblock there is keeps its own */
    CHECK(fsconfig_(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    int m = fsmount_(fd, 0, 0);
    CHECK(move_(m, at("p")));
    close(m), close(fd);
    show("p");
    struct statfs s;
    CHECK(statfs(at("p"), &s));
    printf("  sysfs magic %d\n", s.f_type == 0x62656572);
    CHECK(umount(at("p")));
    pid_t k = fork(); /* in a cgroup namespace of its own: the hierarchy's root flags are the initial one's */
    if (k == 0) {
        if (unshare(CLONE_NEWCGROUP) < 0)
            _exit(90);
        fd = fsopen_("cgroup2");
        CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "nsdelegate", "1", 0));
        CHECK(fsconfig_(fd, FSCONFIG_SET_FLAG, "memory_localevents", NULL, 0));
        CHECK(fsconfig_(fd, FSCONFIG_SET_PATH_EMPTY, "source", "", AT_FDCWD));
        messages(fd);
        CHECK(fsconfig_(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
        m = fsmount_(fd, 0, 0);
        CHECK(move_(m, at("p")));
        close(m), close(fd);
        CHECK(statfs(at("p"), &s));
        printf("  cgroup2 magic %d\n", s.f_type == 0x63677270);
        CHECK(access(at("p/cgroup.procs"), F_OK));
        CHECK(umount(at("p")));
        _exit(0);
    }
    int st;
    waitpid(k, &st, 0);
    say("the cgroup namespace's child", WEXITSTATUS(st));
}

/* Linux 6.1's log: a read too short for the oldest message loses it
 * (EMSGSIZE; later kernels keep it), one message for a u32 that does
 * not parse (later ones log a second). */
static void log_61(void)
{
    int fd = fsopen_("tmpfs");
    char small[8];
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "uid", "x", 0));
    messages(fd);
    for (int i = 0; i < 10; i++) { /* more than the eight kept */
        char key[8];
        snprintf(key, sizeof key, "k%d", i);
        fsconfig_(fd, FSCONFIG_SET_FLAG, key, NULL, 0);
    }
    CHECK(read(fd, small, sizeof small));
    messages(fd);
    close(fd);
}

/* MOUNT_ATTR_IDMAP with a user namespace of a child's: EINVAL for a tmpfs
 * in Linux 6.1 (no FS_ALLOW_IDMAP), once the path is found; later kernels
 * allow tmpfs and refuse a namespace without maps. */
static void idmap_61(void)
{
    int go[2];
    pipe(go);
    pid_t k = fork();
    if (k == 0) {
        char c;
        unshare(CLONE_NEWUSER);
        read(go[0], &c, 1);
        _exit(0);
    }
    usleep(100000);
    char name[64];
    snprintf(name, sizeof name, "/proc/%d/ns/user", k);
    mkdir(at("t"), 0755);
    CHECK(mount("t", at("t"), "tmpfs", 0, NULL));
    struct mount_attr a = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)open(name, O_RDONLY)};
    CHECK(setattr_(at("t"), 0, &a));
    CHECK(setattr_(at("nonexistent"), 0, &a)); /* the path first */
    write(go[1], "x", 1);
    waitpid(k, NULL, 0);
    close((int)a.userns_fd);
    CHECK(umount(at("t")));
}

static int exit_of(pid_t pid)
{
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

/* Thirty user and pid namespaces, each making a proc, under a limit of
 * ten user namespaces: each is counted out when it ends (the proc's
 * superblock does not keep it).  The limit is put back. */
static void userns_freed(void)
{
    char old[32] = "";
    int f = open("/proc/sys/user/max_user_namespaces", O_RDWR);
    read(f, old, sizeof old - 1);
    pwrite(f, "10", 2, 0);
    int i = 0;
    for (; i < 30; i++) {
        pid_t k = fork();
        if (k == 0) {
            if (unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS) < 0)
                _exit(1);
            pid_t g = fork();
            if (g == 0)
                _exit(fsconfig_(fsopen_("proc"), FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0 ? 0 : 2);
            _exit(exit_of(g));
        }
        if (exit_of(k))
            break;
    }
    printf("%d rounds\n", i);
    pwrite(f, old, strlen(old), 0);
    close(f);
}

static void ext2_source(bool persona_only)
{
    int fd = fsopen_("ext2");
    CHECK(fsconfig_(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    messages(fd);
    close(fd);
    fd = fsopen_("ext2");
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "source", "/nonexistent", 0));
    CHECK(fsconfig_(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    CHECK(fsconfig_(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0)); /* failed: EBUSY */
    if (persona_only) /* Linux 6.1 says "Can't open blockdev", later ones "Can't lookup blockdev" */
        messages(fd);
    close(fd);
    fd = fsopen_("ext2");
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "source", "/tmp", 0));
    CHECK(fsconfig_(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    if (persona_only)
        messages(fd);
    close(fd);
}

/* mount_setattr with AT_RECURSIVE and a propagation change; open_tree's recursive clone. */
static void trees(void)
{
    mkdir(at("t/sub"), 0755); /* read-write again: t */
    CHECK(mount("s", at("t/sub"), "tmpfs", 0, NULL));
    struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY, .propagation = MS_SHARED};
    CHECK(setattr_(at("t"), AT_RECURSIVE, &a));
    show("t"), show("t/sub");
    a = (struct mount_attr){.attr_clr = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOEXEC, .propagation = MS_PRIVATE};
    CHECK(setattr_(at("t"), AT_RECURSIVE, &a));
    show("t"), show("t/sub");
    a = (struct mount_attr){.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = 0};
    CHECK(setattr_(at("t"), 0, &a)); /* no nsfs file */
    int user = open("/proc/self/ns/user", O_RDONLY), mnt = open("/proc/self/ns/mnt", O_RDONLY);
    a.userns_fd = user;
    CHECK(setattr_(at("t"), 0, &a)); /* the initial idmapping */
    a.userns_fd = mnt;
    CHECK(setattr_(at("t"), 0, &a));
    a.userns_fd = 1000;
    CHECK(setattr_(at("t"), 0, &a));
    a = (struct mount_attr){.attr_clr = MOUNT_ATTR_IDMAP, .userns_fd = user};
    CHECK(setattr_(at("t"), 0, &a));
    close(user), close(mnt);
    CHECK(fsmount_(-1, 0, MOUNT_ATTR_IDMAP));
    int m = syscall(SYS_open_tree, AT_FDCWD, at("t"), OPEN_TREE_CLONE | AT_RECURSIVE | O_CLOEXEC);
    CHECK(m >= 0);
    CHECK(move_(m, at("u")));
    close(m);
    show("u"), show("u/sub");
    CHECK(umount2(at("u"), MNT_DETACH));
    CHECK(umount(at("t/sub")));
}

/* A new file system of type attached at p, a file of it looked at, and unmounted. */
static void made_at_p(const char *type, const char *file)
{
    char name[200];
    int fd = fsopen_(type);
    printf("%s at p\n", type);
    CHECK(fsconfig_(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    int m = fsmount_(fd, 0, 0);
    CHECK(m >= 0);
    CHECK(move_(m, at("p")));
    close(m), close(fd);
    snprintf(name, sizeof name, "%s/p/%s", base, file);
    CHECK(access(name, F_OK));
    CHECK(umount(at("p")));
}

/* In a user namespace owning a new mount namespace. */
static int userns_part(void)
{
    int fd = fsopen_("tmpfs");
    CHECK(fd >= 0);
    CHECK(fsconfig_(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    int m = fsmount_(fd, 0, 0);
    CHECK(m >= 0);
    CHECK(move_(m, at("p")));
    close(m), close(fd);
    show("p");
    fd = fspick_(at("p"));
    CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "size", "1m", 0));
    CHECK(fsconfig_(fd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
    close(fd);
    CHECK(umount(at("p")));
    fd = fspick_("/"); /* a superblock of the initial user namespace's */
    CHECK(fsconfig_(fd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
    CHECK(fsconfig_(fd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
    close(fd);
    const char *types[] = {"ext2", "cgroup2"}; /* the initial user namespace's; the cgroup namespace's owner's */
    for (int i = 0; i < 2; i++) {
        fd = fsopen_(types[i]);
        printf("fsopen(%s): %s\n", types[i], fd >= 0 ? "a descriptor" : errno_name(errno));
        CHECK(fsconfig_(fd, FSCONFIG_SET_STRING, "source", "/dev/null", 0));
        CHECK(fsconfig_(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
        CHECK(fsconfig_(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0)); /* EPERM left it as it was */
        messages(fd);
        close(fd);
    }
    /* a proc of its own pid namespace (the one on /proc is shown whole) */
    made_at_p("proc", "1/status");
    fd = fsopen_("proc"); /* and reconfigured: its superblock is its pid namespace's owner's */
    fsconfig_(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
    m = fsmount_(fd, 0, 0);
    CHECK(move_(m, at("p")));
    close(m), close(fd);
    fd = fspick_(at("p"));
    CHECK(fsconfig_(fd, FSCONFIG_SET_FLAG, "ro", NULL, 0));
    CHECK(fsconfig_(fd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0));
    close(fd);
    show("p");
    CHECK(umount(at("p")));
    CHECK(mount("c", at("p"), "cgroup2", 0, NULL)); /* mount(2) asks the same */
    /* a cgroup2 from a cgroup namespace this user namespace owns */
    CHECK(unshare(CLONE_NEWCGROUP));
    made_at_p("cgroup2", "cgroup.procs");
    CHECK(fsopen_("sysfs")); /* the network namespace is the initial user namespace's */
    CHECK(unshare(CLONE_NEWNET));
    made_at_p("sysfs", ""); /* one's own: the one on /sys is shown whole */
    struct mount_attr a = {.attr_clr = MOUNT_ATTR_RDONLY};
    CHECK(setattr_(at("ro"), 0, &a)); /* a locked flag */
    a = (struct mount_attr){.attr_set = MOUNT_ATTR_NOEXEC};
    CHECK(setattr_(at("ro"), 0, &a));
    CHECK(syscall(SYS_move_mount, AT_FDCWD, at("ro"), AT_FDCWD, at("u"), 0)); /* locked */
    m = syscall(SYS_open_tree, AT_FDCWD, at("ro"), OPEN_TREE_CLONE);
    CHECK(m >= 0);
    CHECK(move_(m, at("u")));
    show("u");
    return 0;
}

static void userns(void)
{
    int go[2], done[2];
    pipe(go), pipe(done);
    pid_t child = fork();
    if (child == 0) {
        char c;
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID) < 0) {
            printf("unshare: %s\n", errno_name(errno));
            _exit(1);
        }
        write(go[1], "u", 1);
        read(done[0], &c, 1); /* the maps are written */
        pid_t init = fork();
        if (init == 0)
            _exit(userns_part());
        _exit(exit_of(init));
    }
    char c, file[64];
    read(go[0], &c, 1);
    snprintf(file, sizeof file, "/proc/%d/uid_map", child);
    int opened;
    write_text(file, "0 0 1", &opened);
    snprintf(file, sizeof file, "/proc/%d/gid_map", child);
    write_text(file, "0 0 1", &opened);
    write(done[1], "d", 1);
    say("the user namespace's child", exit_of(child));
}

int main(int argc, char **argv)
{
    if (ns_test_begin(base, sizeof base, "fsmountapi"))
        return 0;
    bool persona_only = argc > 1 && !strcmp(argv[1], "persona-only");
    const char *dirs[] = {"t", "p", "u", "ro"};
    for (int i = 0; i < 4; i++)
        mkdir(at(dirs[i]), 0755);
    if (ns_test_unshare(0) < 0)
        return 1;
    if (persona_only) {
        log_61();
        idmap_61();
        userns_freed();
        ext2_source(true);
    } else {
        const char *types[] = {"tmpfs", "ext2", "proc", "sysfs", "cgroup2"};
        for (int i = 0; i < 5; i++)
            common_keys(types[i]);
        CHECK(fsopen_("nosuchfs"));
        static char longname[5000];
        memset(longname, 'x', sizeof longname - 1);
        CHECK(fsopen_(longname));
        tmpfs_keys();
        proc_keys();
        sysfs_and_cgroup2();
        ext2_source(false);
        trees();
        CHECK(mount("ro", at("ro"), "tmpfs", MS_RDONLY, NULL));
        userns();
        umount2(at("ro"), MNT_DETACH);
        umount2(at("t"), MNT_DETACH);
    }
    for (int i = 0; i < 4; i++)
        rmdir(at(dirs[i]));
    say("rmdir", rmdir(base));
    return 0;
}
