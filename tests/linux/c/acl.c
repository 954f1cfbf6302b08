/*
 * tests/linux/c/acl.c - POSIX ACLs on a tmpfs mounted in a mount namespace
 * of the test's own: system.posix_acl_access and _default set, read back
 * (in Linux's xattr form), listed and removed; the checks of a value
 * (size, version, tags, order, a missing entry, a missing mask, bad
 * permission bits), a default ACL on a file, a symlink, who may set one
 * (EPERM) and the order of those errors; an ACL equal to the mode kept as
 * the mode; the set-group-ID bit dropped; the permission check (owner,
 * named users, groups through the mask, others); chmod's update of the
 * mask; inheritance by open(O_CREAT), mkdir, mknod, symlink and O_TMPFILE
 * (umask ignored); CAP_DAC_READ_SEARCH and CAP_DAC_OVERRIDE after the ACL;
 * ids through a user namespace.  The output must equal
 * the host Linux's (run as root).
 */
#define _GNU_SOURCE
#include "check.h"
#include <grp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#define A "system.posix_acl_access"
#define D "system.posix_acl_default"
enum { UO = 1, U = 2, GO = 4, G = 8, M = 0x10, O = 0x20 };

struct ent {
    uint16_t tag, perm;
    uint32_t id;
};
static struct {
    uint32_t version;
    struct ent e[16];
} acl;
static size_t len;

/* acl made of n (tag, perm, id) triples. */
static size_t mk(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    acl.version = 2;
    for (int i = 0; i < n; i++) {
        acl.e[i].tag = (uint16_t)va_arg(ap, int);
        acl.e[i].perm = (uint16_t)va_arg(ap, int);
        acl.e[i].id = va_arg(ap, uint32_t);
    }
    va_end(ap);
    return len = 4 + 8 * (size_t)n;
}

/* path's ACL of a name, as entries, and its mode. */
static void show(const char *what, const char *path, const char *name)
{
    struct stat st;
    unsigned char buf[256];
    int fd = !strncmp(path, "fd ", 3) ? atoi(path + 3) : -1; /* a descriptor's file */
    bool magic = !strncmp(path, "/proc/", 6);               /* followed: /proc/self/fd/N */
    ssize_t n = fd >= 0 ? fgetxattr(fd, name, buf, sizeof buf)
                : magic ? getxattr(path, name, buf, sizeof buf) : lgetxattr(path, name, buf, sizeof buf);
    fd >= 0 ? fstat(fd, &st) : magic ? stat(path, &st) : lstat(path, &st);
    printf("%-30s mode %04o", what, st.st_mode & 07777);
    if (n < 0) {
        printf(" %s\n", errno_name(errno));
        return;
    }
    uint32_t v;
    memcpy(&v, buf, 4);
    printf(" v%u", v);
    for (ssize_t at = 4; at + 8 <= n; at += 8) {
        struct ent e;
        memcpy(&e, buf + at, 8);
        printf(" %x:%o:%d", e.tag, e.perm, (int)e.id);
    }
    printf("\n");
    errno = 0;
}

static void show_list(const char *path)
{
    char buf[256];
    ssize_t n = listxattr(path, buf, sizeof buf);
    printf("listxattr(%s) = %zd:", path, n);
    for (ssize_t at = 0; at < n; at += (ssize_t)strlen(buf + at) + 1)
        printf(" %s", buf + at);
    printf("\n");
}

/* In a child as uid/gid (and one more group, or -1): open's answer. */
static void as_user(const char *what, uid_t uid, gid_t gid, gid_t extra, const char *path, int flags)
{
    pid_t pid = fork();
    if (pid == 0) {
        gid_t groups[1] = {extra};
        if (setgroups(extra == (gid_t)-1 ? 0 : 1, groups) < 0 || setresgid(gid, gid, gid) < 0 ||
            setresuid(uid, uid, uid) < 0)
            _exit(99);
        int fd = open(path, flags);
        printf("%-44s %s\n", what, fd >= 0 ? "ok" : errno_name(errno));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

/* setxattr in a child as uid/gid (no other groups). */
static void set_as(const char *what, uid_t uid, gid_t gid, const char *path, const char *name)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
            _exit(99);
        long r = setxattr(path, name, &acl, len, 0);
        printf("%-44s %ld %s\n", what, r, r < 0 ? errno_name(errno) : "");
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

static void errors(void)
{
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    close(fd);
    mkdir("d", 0755);
    symlink("f", "l");
    CHECK(getxattr("f", A, NULL, 0));
    CHECK(getxattr("d", D, NULL, 0));
    CHECK(setxattr("f", A, &acl, 2, 0));
    mk(3, UO, 6, 0, GO, 4, 0, O, 4, 0);
    acl.version = 1;
    CHECK(setxattr("f", A, &acl, len, 0));
    acl.version = 2;
    CHECK(setxattr("f", A, &acl, len - 3, 0));
    mk(3, GO, 6, 0, UO, 4, 0, O, 4, 0);
    CHECK(setxattr("f", A, &acl, len, 0)); /* order */
    mk(4, UO, 6, 0, UO, 6, 0, GO, 4, 0, O, 4, 0);
    CHECK(setxattr("f", A, &acl, len, 0)); /* duplicate owner */
    mk(2, UO, 6, 0, GO, 4, 0);
    CHECK(setxattr("f", A, &acl, len, 0)); /* no other */
    mk(4, UO, 6, 0, U, 6, 1001, GO, 4, 0, O, 4, 0);
    CHECK(setxattr("f", A, &acl, len, 0)); /* no mask */
    mk(3, UO, 8, 0, GO, 4, 0, O, 4, 0);
    CHECK(setxattr("f", A, &acl, len, 0)); /* perm */
    mk(4, UO, 6, 0, 0x40, 4, 0, GO, 4, 0, O, 4, 0);
    CHECK(setxattr("f", A, &acl, len, 0)); /* tag */
    mk(5, UO, 6, 0, U, 6, -1, GO, 4, 0, M, 6, 0, O, 4, 0);
    CHECK(setxattr("f", A, &acl, len, 0)); /* id -1 */
    mk(6, UO, 6, 0, U, 6, 1001, U, 4, 1001, GO, 4, 0, M, 6, 0, O, 4, 0);
    CHECK(setxattr("f", A, &acl, len, 0)); /* the same user twice */
    show("duplicate user", "f", A);
    mk(6, UO, 6, 0, U, 6, 1002, U, 4, 1001, GO, 4, 0, M, 6, 0, O, 4, 0);
    CHECK(setxattr("f", A, &acl, len, 0)); /* users out of order */
    show("users out of order", "f", A);
    mk(3, UO, 7, 0, GO, 5, 0, O, 5, 0);
    CHECK(setxattr("f", D, &acl, len, 0));
    CHECK(setxattr("f", D, &acl, 0, 0));
    CHECK(setxattr("f", D, &acl, 4, 0));
    CHECK(removexattr("f", D));
    CHECK(lsetxattr("l", A, &acl, len, 0));
    CHECK(lgetxattr("l", A, NULL, 0));
    CHECK(lremovexattr("l", A));
    CHECK(removexattr("f", A));
    CHECK(removexattr("f", A));
    show("removed", "f", A);
    unlink("f"), unlink("l"), rmdir("d");
}

static void setting(void)
{
    int fd = open("f", O_CREAT | O_RDWR, 0644);
    close(fd);
    mk(3, UO, 6, 0, GO, 4, 0, O, 4, 0);
    CHECK(setxattr("f", A, &acl, len, 0));
    show("equal to the mode", "f", A);
    mk(3, UO, 7, 7, GO, 5, 9, O, 0, 0);
    CHECK(setxattr("f", A, &acl, len, XATTR_REPLACE));
    show("a mode of its own", "f", A);
    mk(5, UO, 6, 0, U, 6, 1001, GO, 4, 0, M, 4, 0, O, 0, 0);
    CHECK(setxattr("f", A, &acl, len, XATTR_CREATE));
    show("named user, mask r", "f", A);
    show_list("f");
    char small[8];
    CHECK(getxattr("f", A, small, sizeof small));
    CHECK(getxattr("f", A, NULL, 0));
    /* chmod: the mask follows the group bits */
    CHECK(chmod("f", 0751));
    show("chmod 0751", "f", A);
    /* the permission check */
    mk(7, UO, 6, 0, U, 6, 1001, U, 0, 1005, GO, 0, 0, G, 4, 2002, M, 4, 0, O, 4, 0);
    CHECK(setxattr("f", A, &acl, len, 0));
    show("for the checks", "f", A);
    as_user("named user 1001 reads", 1001, 1001, -1, "f", O_RDONLY);
    as_user("named user 1001 writes (mask r)", 1001, 1001, -1, "f", O_WRONLY);
    as_user("named user 1005 (---) reads", 1005, 1005, -1, "f", O_RDONLY);
    as_user("group 2002 reads", 1003, 1003, 2002, "f", O_RDONLY);
    as_user("group 2002 writes", 1003, 1003, 2002, "f", O_WRONLY);
    as_user("owning group (---) reads, other r", 1003, 0, -1, "f", O_RDONLY);
    as_user("other reads", 1003, 1003, -1, "f", O_RDONLY);
    as_user("other writes", 1003, 1003, -1, "f", O_WRONLY);
    CHECK(chmod("f", 0600));
    show("chmod 0600", "f", A);
    as_user("named user 1001 reads (mask ---)", 1001, 1001, -1, "f", O_RDONLY);
    as_user("other reads (---)", 1003, 1003, -1, "f", O_RDONLY);
    /* who may set it, and the order of the errors */
    CHECK(chown("f", 1000, 5000));
    mk(3, UO, 7, 0, GO, 7, 0, O, 0, 0);
    set_as("another user sets it", 1001, 1001, "f", A);
    acl.version = 3;
    set_as("another user, a bad version", 1001, 1001, "f", A);
    mk(2, UO, 7, 0, O, 0, 0);
    set_as("another user, no group entry", 1001, 1001, "f", A);
    /* the set-group-ID bit: dropped for an owner outside the group */
    CHECK(chmod("f", 02770));
    mk(3, UO, 7, 0, GO, 5, 0, O, 0, 0);
    set_as("the owner, outside group 5000", 1000, 1000, "f", A);
    show("set-group-ID dropped", "f", A);
    CHECK(chmod("f", 02770));
    set_as("the owner, in group 5000", 1000, 5000, "f", A);
    show("set-group-ID kept", "f", A);
    CHECK(chmod("f", 02770));
    set_as("the owner removes none", 1000, 1000, "f", A);
    mk(5, UO, 7, 0, U, 7, 1, GO, 5, 0, M, 7, 0, O, 0, 0);
    CHECK(setxattr("f", A, &acl, len, 0));
    CHECK(setxattr("f", A, &acl, 0, 0));
    show("set empty", "f", A);
    unlink("f");
}

static void inherit(void)
{
    mkdir("d", 0755);
    mk(5, UO, 7, 0, U, 5, 1001, GO, 5, 0, M, 7, 0, O, 0, 0);
    CHECK(setxattr("d", D, &acl, len, 0));
    show("the default", "d", D);
    show("its access", "d", A);
    show_list("d");
    umask(022);
    int fd = open("d/f", O_CREAT | O_RDWR, 0666);
    close(fd);
    show("open(O_CREAT, 0666)", "d/f", A);
    show("open's default", "d/f", D);
    fd = open("d/g", O_CREAT | O_RDWR, 0640);
    close(fd);
    show("open(O_CREAT, 0640)", "d/g", A);
    CHECK(mkdir("d/sub", 0777));
    show("mkdir 0777", "d/sub", A);
    show("mkdir's default", "d/sub", D);
    CHECK(mkdir("d/sub/deeper", 0700));
    show("mkdir 0700 in it", "d/sub/deeper", A);
    show("and its default", "d/sub/deeper", D);
    CHECK(mknod("d/fifo", S_IFIFO | 0666, 0));
    show("mknod fifo 0666", "d/fifo", A);
    CHECK(symlink("f", "d/link"));
    show("symlink", "d/link", A);
    fd = open("d", O_TMPFILE | O_RDWR, 0664);
    char p[64];
    snprintf(p, sizeof p, "fd %d", fd);
    CHECK(fd >= 0);
    show("O_TMPFILE 0664", p, A);
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    show("through /proc/self/fd", p, A);
    close(fd);
    /* a default equal to a mode: no access ACL, the umask ignored all the same */
    mkdir("e", 0755);
    mk(3, UO, 7, 0, GO, 5, 0, O, 5, 0);
    CHECK(setxattr("e", D, &acl, len, 0));
    show("a plain default", "e", D);
    umask(077);
    fd = open("e/f", O_CREAT | O_RDWR, 0666);
    close(fd);
    show("umask 077, open 0666", "e/f", A);
    CHECK(removexattr("e", D));
    fd = open("e/g", O_CREAT | O_RDWR, 0666);
    close(fd);
    show("no default: umask 077", "e/g", A);
    umask(022);
}

/* As root with only some of the capabilities that override a check
 * (capset's effective set, as mask says: CAP_DAC_OVERRIDE 2, CAP_DAC_READ_SEARCH 4):
 * what the ACL refuses, the capabilities allow after it. */
static void capable_after(const char *what, uint32_t keep)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct { uint32_t version; int pid; } h = {0x20080522, 0};
        struct { uint32_t eff, prm, inh; } d[2];
        syscall(SYS_capget, &h, d);
        d[0].eff = keep, d[1].eff = 0;
        if (syscall(SYS_capset, &h, d) < 0)
            _exit(99);
        int r = open("c/f", O_RDONLY), w = open("c/f", O_WRONLY);
        int l = open("c", O_RDONLY | O_DIRECTORY), n = open("c/new", O_WRONLY | O_CREAT, 0600);
        printf("%-36s read %s, write %s, list %s, create %s\n", what, r >= 0 ? "ok" : "EACCES",
               w >= 0 ? "ok" : "EACCES", l >= 0 ? "ok" : "EACCES", n >= 0 ? "ok" : "EACCES");
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

static void capabilities(void)
{
    mkdir("c", 0700);
    int fd = open("c/f", O_CREAT | O_RDWR, 0600);
    close(fd);
    chown("c", 1000, 1000), chown("c/f", 1000, 1000);
    mk(5, UO, 7, 0, U, 7, 1001, GO, 0, 0, M, 7, 0, O, 0, 0);
    CHECK(setxattr("c/f", A, &acl, len, 0));
    CHECK(setxattr("c", A, &acl, len, 0));
    show("c/f", "c/f", A);
    capable_after("with CAP_DAC_READ_SEARCH alone", 4);
    capable_after("with CAP_DAC_OVERRIDE alone", 2);
    capable_after("with neither", 0);
    unlink("c/new"), unlink("c/f"), rmdir("c");
}

/* Ids through a user namespace mapping 0..65535 to 100000..165535. */
static void userns(void)
{
    int fd = open("u", O_CREAT | O_RDWR, 0644);
    close(fd);
    chown("u", 100000, 100000);
    mk(6, UO, 6, 0, U, 4, 100005, U, 4, 1001, GO, 4, 0, M, 4, 0, O, 0, 0);
    CHECK(setxattr("u", A, &acl, len, 0));
    int sync[2];
    pipe(sync);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(sync[1]);
        if (unshare(CLONE_NEWUSER) < 0 || read(sync[0], &c, 1) != 1)
            _exit(99);
        show("in the namespace", "u", A);
        mk(5, UO, 6, 0, U, 4, 7, GO, 4, 0, M, 4, 0, O, 0, 0);
        CHECK(setxattr("u", A, &acl, len, 0));
        mk(5, UO, 6, 0, U, 4, 70000, GO, 4, 0, M, 4, 0, O, 0, 0);
        CHECK(setxattr("u", A, &acl, len, 0));
        fflush(stdout);
        _exit(0);
    }
    close(sync[0]);
    char path[64], map[] = "0 100000 65536\n";
    usleep(100000);
    snprintf(path, sizeof path, "/proc/%d/uid_map", pid);
    fd = open(path, O_WRONLY);
    CHECK(write(fd, map, strlen(map)));
    close(fd);
    snprintf(path, sizeof path, "/proc/%d/gid_map", pid);
    fd = open(path, O_WRONLY);
    CHECK(write(fd, map, strlen(map)));
    close(fd);
    write(sync[1], "x", 1);
    waitpid(pid, NULL, 0);
    show("outside it", "u", A);
    unlink("u");
}

int main(void)
{
    char dir[] = "/tmp/acl-XXXXXX";
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!mkdtemp(dir) || unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
        mount("tmpfs", dir, "tmpfs", 0, "mode=0755") < 0 || chdir(dir) < 0) {
        printf("no tmpfs: %s\n", errno_name(errno));
        return 1;
    }
    umask(022);
    errors();
    setting();
    inherit();
    capabilities();
    userns();
    chdir("/");
    umount2(dir, MNT_DETACH);
    rmdir(dir);
    return 0;
}
