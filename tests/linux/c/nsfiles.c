/*
 * tests/linux/c/nsfiles.c - the files of /proc/<pid>/ns: each link reads
 * "kind:[N]" (the initial namespaces' fixed numbers shown; mnt's and net's,
 * which differ between kernels, checked against stat), the file it leads
 * to is nsfs's (st_ino N, one device for all, 0444 root's, one link); it
 * opens O_RDONLY and O_PATH (read, write and lseek refused as Linux's;
 * immutable: writes and attribute changes EPERM), /proc/self/fd/N names
 * it, an openat2 jump through the link is EXDEV under RESOLVE_NO_XDEV and
 * BENEATH, another user's process's links are EACCES; setns takes it with
 * Linux's checks: the type matching (0 for any), the caller's own user
 * namespace EINVAL, an O_PATH descriptor EBADF, no CAP_SYS_ADMIN EPERM.
 * The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

static const char *const kinds[] = {"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
                                    "time", "time_for_children", "user", "uts"};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static void show(const char *what, long r)
{
    printf("%-44s %ld %s\n", what, r, r < 0 ? errno_name(errno) : "");
    errno = 0;
}

/* One link: its text (its number only when it is the same on every
 * kernel), the stat through it and of it, and the file opened. */
static void one(const char *kind, dev_t *dev)
{
    char path[64], text[64], fdpath[64], fdtext[64];
    snprintf(path, sizeof path, "/proc/self/ns/%s", kind);
    long n = readlink(path, text, sizeof text - 1);
    text[n < 0 ? 0 : n] = '\0';
    struct stat st, lst;
    long r = stat(path, &st);
    lstat(path, &lst);
    char *open_br = strchr(text, '[');
    unsigned long num = open_br ? strtoul(open_br + 1, NULL, 10) : 0;
    bool fixed = strcmp(kind, "mnt") != 0 && strcmp(kind, "net") != 0;
    printf("%-18s %s ino=num:%d mode=%o nlink=%lu uid=%u size=%ld link=%o stat=%ld\n", kind,
           fixed ? text : "(varies)", st.st_ino == num, st.st_mode, (unsigned long)st.st_nlink, st.st_uid,
           (long)st.st_size, lst.st_mode, r);
    if (*dev && st.st_dev != *dev)
        printf("  another device\n");
    *dev = st.st_dev;
    int fd = open(path, O_RDONLY);
    struct stat fst;
    fstat(fd, &fst);
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
    n = readlink(fdpath, fdtext, sizeof fdtext - 1);
    fdtext[n < 0 ? 0 : n] = '\0';
    printf("  open %d fstat-same:%d fd-link-same:%d flags=%o\n", fd >= 0, fst.st_ino == st.st_ino && fst.st_dev == st.st_dev,
           strcmp(fdtext, text) == 0, fcntl(fd, F_GETFL) & ~0100000);
    close(fd);
}

/* As uid 65534: its own namespaces' files, the descriptors it was
 * given, and a root process's links (not its to read). */
static void as_nobody(int uts, int user, int mnt)
{
    pid_t root = fork();
    if (root == 0) {
        pause();
        _exit(0);
    }
    char other[64], cwd[64];
    snprintf(other, sizeof other, "/proc/%d/ns/uts", (int)root);
    pid_t kid = fork();
    if (kid == 0) {
        if (setgid(65534) || setuid(65534))
            _exit(9);
        int own = open("/proc/self/ns/uts", O_RDONLY);
        show("uid 65534: open(own uts)", own >= 0 ? 0 : -1);
        show("uid 65534: setns(own uts, 0)", setns(own, 0));
        show("uid 65534: setns(inherited uts, 0)", setns(uts, 0));
        show("uid 65534: setns(inherited user, 0)", setns(user, 0));
        show("uid 65534: setns(inherited mnt, 0)", setns(mnt, 0));
        show("uid 65534: open(root's uts)", open(other, O_RDONLY));
        show("uid 65534: readlink(root's uts)", readlink(other, cwd, sizeof cwd));
        struct stat s;
        show("uid 65534: stat(root's uts)", stat(other, &s));
        show("uid 65534: lstat(root's uts)", lstat(other, &s));
        _exit(0);
    }
    int status;
    waitpid(kid, &status, 0);
    printf("child status %d\n", WEXITSTATUS(status));
    kill(root, SIGKILL);
    waitpid(root, NULL, 0);
}

/* openat2 through the magic link: the walk's limits (the numbers are
 * linux/openat2.h's). */
static void resolving(void)
{
    static const struct {
        const char *name;
        unsigned long long resolve;
    } how[] = {{"NO_XDEV", 1}, {"NO_MAGICLINKS", 2}, {"NO_SYMLINKS", 4}, {"BENEATH", 8}};
    int dir = open("/proc/self/ns", O_RDONLY | O_DIRECTORY);
    for (size_t i = 0; i < sizeof how / sizeof how[0]; i++) {
        unsigned long long h[3] = {O_RDONLY, 0, how[i].resolve};
        char what[64];
        snprintf(what, sizeof what, "openat2(ns dir, uts, %s)", how[i].name);
        long r = syscall(SYS_openat2, dir, "uts", h, sizeof h);
        show(what, r < 0 ? r : 0);
        if (r >= 0)
            close((int)r);
    }
    close(dir);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    dev_t dev = 0;
    for (size_t i = 0; i < NKINDS; i++)
        one(kinds[i], &dev);
    struct stat proc;
    stat("/proc/self", &proc);
    printf("nsfs is not proc's device: %d\n", proc.st_dev != dev);

    char buf[8];
    int uts = open("/proc/self/ns/uts", O_RDONLY);
    show("read(uts)", read(uts, buf, sizeof buf));
    show("write(uts)", write(uts, "x", 1));
    show("lseek(uts)", lseek(uts, 0, SEEK_SET));
    show("open(uts, O_RDWR)", open("/proc/self/ns/uts", O_RDWR));
    show("access(uts, W_OK)", access("/proc/self/ns/uts", W_OK));
    show("access(uts, R_OK)", access("/proc/self/ns/uts", R_OK));
    show("fchmod(uts, 0600)", fchmod(uts, 0600));
    show("fchown(uts, 1, 1)", fchown(uts, 1, 1));
    show("futimens(uts, NULL)", futimens(uts, NULL));
    show("fsetxattr(uts, user.x)", fsetxattr(uts, "user.x", "1", 1, 0));
    show("fgetxattr(uts, user.x)", fgetxattr(uts, "user.x", buf, sizeof buf));
    show("fremovexattr(uts, user.x)", fremovexattr(uts, "user.x"));
    show("truncate(uts, 0)", truncate("/proc/self/ns/uts", 0));
    show("open(uts, O_RDONLY|O_DIRECTORY)", open("/proc/self/ns/uts", O_RDONLY | O_DIRECTORY));
    show("open(uts, O_NOFOLLOW)", open("/proc/self/ns/uts", O_RDONLY | O_NOFOLLOW));
    int upath = open("/proc/self/ns/uts", O_PATH);
    struct stat a, b;
    fstat(upath, &a), fstat(uts, &b);
    printf("O_PATH same file: %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
    int lpath = open("/proc/self/ns/uts", O_PATH | O_NOFOLLOW);
    fstat(lpath, &a);
    printf("O_PATH|O_NOFOLLOW a link: %d\n", S_ISLNK(a.st_mode));

    int ipc = open("/proc/self/ns/ipc", O_RDONLY), user = open("/proc/self/ns/user", O_RDONLY);
    int mnt = open("/proc/self/ns/mnt", O_RDONLY), pid = open("/proc/self/ns/pid", O_RDONLY);
    int pidc = open("/proc/self/ns/pid_for_children", O_RDONLY), net = open("/proc/self/ns/net", O_RDONLY);
    int cg = open("/proc/self/ns/cgroup", O_RDONLY), tm = open("/proc/self/ns/time", O_RDONLY);
    show("setns(uts, 0)", setns(uts, 0));
    show("setns(uts, CLONE_NEWUTS)", setns(uts, CLONE_NEWUTS));
    show("setns(uts, CLONE_NEWIPC)", setns(uts, CLONE_NEWIPC));
    show("setns(uts, NEWUTS|NEWIPC)", setns(uts, CLONE_NEWUTS | CLONE_NEWIPC));
    show("setns(uts, CLONE_VM)", setns(uts, CLONE_VM));
    show("setns(ipc, CLONE_NEWIPC)", setns(ipc, CLONE_NEWIPC));
    show("setns(net, CLONE_NEWNET)", setns(net, CLONE_NEWNET));
    show("setns(cgroup, 0)", setns(cg, 0));
    show("setns(pid, CLONE_NEWPID)", setns(pid, CLONE_NEWPID));
    show("setns(pid_for_children, 0)", setns(pidc, 0));
    show("setns(time, CLONE_NEWTIME)", setns(tm, CLONE_NEWTIME));
    show("setns(user, 0)", setns(user, 0));
    show("setns(user, CLONE_NEWUSER)", setns(user, CLONE_NEWUSER));
    show("setns(user, CLONE_NEWUTS)", setns(user, CLONE_NEWUTS));
    show("setns(O_PATH uts, 0)", setns(upath, 0));
    as_nobody(uts, user, mnt);
    resolving();
    chdir("/proc");
    show("setns(mnt, CLONE_NEWNS)", setns(mnt, CLONE_NEWNS));
    char cwd[64];
    printf("cwd %s\n", getcwd(cwd, sizeof cwd));

    return 0;
}
