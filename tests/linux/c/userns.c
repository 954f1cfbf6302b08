/*
 * tests/linux/c/userns.c - user namespaces: unshare and clone with
 * CLONE_NEWUSER, by root and by nobody (every capability in the new
 * namespace, the ids unmapped until uid_map and gid_map are written:
 * the overflow ids, EINVAL to setuid), the maps' rules (written once,
 * malformed or overlapping lines, too many, an unprivileged writer's
 * own id only, gid_map after setgroups "deny", "deny" for good), a
 * parent writing its child's map and reading it from outside, ids seen
 * by stat, other namespaces made by an unprivileged user in its own
 * (sethostname), the nsfs ioctls (NS_GET_USERNS, NS_GET_PARENT,
 * NS_GET_OWNER_UID), setns into a user namespace, the nesting depth,
 * and the refusals: a threaded caller, a chroot'ed one.  Run as root.
 * The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

/* linux/nsfs.h's and linux/capability.h's */
#define NS_GET_USERNS 0xb701
#define NS_GET_PARENT 0xb702
#define NS_GET_OWNER_UID 0xb704
#define CAP_V3 0x20080522

#define FILE_1000 "/tmp/userns-test-file"

static void show(const char *what, long r)
{
    printf("%-44s %ld %s\n", what, r, r < 0 ? errno_name(errno) : "");
}

/* A write of text to a /proc file (at offset off): its result. */
static long put(const char *path, const char *text, off_t off)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return -1;
    long r = off && lseek(fd, off, SEEK_SET) < 0 ? -1 : write(fd, text, strlen(text));
    int e = errno;
    close(fd);
    errno = e;
    return r;
}

static void put_show(const char *path, const char *text)
{
    char what[80];
    snprintf(what, sizeof what, "%s <- \"%.20s\"", path, text);
    for (char *p = what; *p; p++)
        if (*p == '\n')
            *p = '|';
    show(what, put(path, text, 0));
}

static void cat_as(const char *name, const char *path)
{
    char buf[4096];
    int fd = open(path, O_RDONLY);
    long n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0)
        close(fd);
    printf("%s:\n%s", name, n < 0 ? "(error)\n" : (buf[n] = '\0', buf));
}

static void cat(const char *path) { cat_as(path, path); }

static void ids(const char *when)
{
    uid_t r, e, s;
    gid_t gr, ge, gs, groups[8];
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    int n = getgroups(8, groups);
    printf("%s: uid %d %d %d gid %d %d %d groups %d:", when, r, e, s, gr, ge, gs, n);
    for (int i = 0; i < n; i++)
        printf(" %d", groups[i]);
    struct stat st, f;
    stat("/", &st);
    stat(FILE_1000, &f);
    printf(" / %d:%d file %d:%d\n", st.st_uid, st.st_gid, f.st_uid, f.st_gid);
}

static void caps(const char *when)
{
    struct {
        unsigned version;
        int pid;
    } h = {CAP_V3, 0};
    struct {
        unsigned effective, permitted, inheritable;
    } d[2];
    syscall(SYS_capget, &h, d);
    printf("%s: eff %08x %08x prm %08x %08x inh %08x\n", when, d[1].effective, d[0].effective, d[1].permitted,
           d[0].permitted, d[0].inheritable);
}

/* /proc/self/status's id lines. */
static void status_ids(const char *when)
{
    char buf[4096], *at;
    int fd = open("/proc/self/status", O_RDONLY);
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    printf("%s: status", when);
    for (const char *key = "Uid:"; key; key = key[0] == 'U' ? "Gid:" : key[0] == 'G' && key[1] == 'i' ? "Groups:" : NULL)
        if ((at = strstr(buf, key)) != NULL)
            printf(" %.*s", (int)strcspn(at, "\n"), at);
    printf("\n");
}

static const char *self;

/* execve of this program, which prints its capabilities. */
static void exec_caps(const char *when)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl(self, self, "caps", when, (char *)NULL);
        _exit(1);
    }
    int st;
    waitpid(pid, &st, 0);
}

static void wait_child(pid_t pid)
{
    int st;
    waitpid(pid, &st, 0);
    fflush(stdout);
}

/* A limit of 0 for the namespace's own (root in it may set it): ENOSPC. */
static void limit(const char *path, int flag)
{
    char old[32] = "";
    int fd = open(path, O_RDONLY);
    show("read a limit > 0", read(fd, old, sizeof old - 1) > 0 && atoi(old) > 0 ? 0 : -1);
    close(fd);
    put_show(path, "0");
    show("unshare past the limit", unshare(flag));
    show("the limit back", put(path, old, 0) > 0 ? 0 : -1);
}

/* Root makes one and maps itself. */
static void as_root(void)
{
    setgroups(2, (gid_t[]){1000, 0});
    ids("root before");
    show("unshare(CLONE_NEWUSER)", unshare(CLONE_NEWUSER));
    ids("in the new namespace");
    caps("in the new namespace");
    status_ids("in the new namespace");
    exec_caps("execve unmapped");
    cat("/proc/self/uid_map");
    cat("/proc/self/setgroups");
    show("setuid(0) unmapped", setuid(0));
    show("setgid(0) unmapped", setgid(0));
    show("chown(file, 0, -1) unmapped", chown(FILE_1000, 0, -1));
    show("setfsuid(0) unmapped (the old fsuid)", setfsuid(0));
    put_show("/proc/self/uid_map", "0 0");
    put_show("/proc/self/uid_map", "0 0 0");
    put_show("/proc/self/uid_map", "0 0 1\n0 5 1");
    put_show("/proc/self/uid_map", "0 0 1\n5 0 1");
    put_show("/proc/self/uid_map", "-1 0 1");
    put_show("/proc/self/uid_map", "0 0 1 x");
    show("uid_map at offset 1", put("/proc/self/uid_map", "0 0 1", 1));
    char many[8192] = "";
    for (int i = 0; i < 341; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "%d %d 1\n", i, i);
    show("uid_map, 341 lines", put("/proc/self/uid_map", many, 0));
    put_show("/proc/self/uid_map", "0 0 1\n1000 1000 2\n");
    put_show("/proc/self/uid_map", "0 0 1");
    cat("/proc/self/uid_map");
    put_show("/proc/self/setgroups", "deny");
    put_show("/proc/self/setgroups", "deny\n");
    put_show("/proc/self/setgroups", "deny  x");
    put_show("/proc/self/setgroups", "allow");
    cat("/proc/self/setgroups");
    put_show("/proc/self/gid_map", "0 0 1\n1000 1000 1");
    put_show("/proc/self/gid_map", "0 0 1");
    cat("/proc/self/gid_map");
    put_show("/proc/self/setgroups", "deny");
    ids("mapped");
    caps("mapped");
    status_ids("mapped");
    exec_caps("execve as its root");
    show("setgroups(0) (denied)", setgroups(0, NULL));
    show("setuid(1001)", setuid(1001));
    show("setuid(5) unmapped", setuid(5));
    show("setresuid(-1, 1000, -1)", setresuid(-1, 1000, -1));
    ids("euid 1000");
    caps("euid 1000");
    show("setresuid(-1, 0, -1)", setresuid(-1, 0, -1));
    caps("euid 0");
    show("unshare(CLONE_NEWUTS)", unshare(CLONE_NEWUTS));
    show("sethostname in it", sethostname("inside", 6));
    int u = open("/proc/self/ns/user", O_RDONLY), uts = open("/proc/self/ns/uts", O_RDONLY);
    uid_t owner = 99;
    show("NS_GET_OWNER_UID", ioctl(u, NS_GET_OWNER_UID, &owner));
    printf("owner %d\n", owner);
    int parent = ioctl(u, NS_GET_PARENT);
    show("NS_GET_PARENT >= 0", parent >= 0 ? 0 : -1);
    show("NS_GET_OWNER_UID of the parent", ioctl(parent, NS_GET_OWNER_UID, &owner));
    printf("owner %d\n", owner);
    show("NS_GET_PARENT of the parent", ioctl(parent, NS_GET_PARENT));
    show("NS_GET_USERNS of the parent", ioctl(parent, NS_GET_USERNS));
    int up = ioctl(uts, NS_GET_USERNS);
    struct stat a, b;
    fstat(up, &a), fstat(u, &b);
    printf("the UTS namespace's owner is ours: %d\n", a.st_ino == b.st_ino);
    show("NS_GET_OWNER_UID of a UTS one", ioctl(uts, NS_GET_OWNER_UID, &owner));
    show("setns(own user namespace)", setns(u, CLONE_NEWUSER));
    show("setns(parent user namespace)", setns(parent, CLONE_NEWUSER));
    limit("/proc/sys/user/max_uts_namespaces", CLONE_NEWUTS);
    limit("/proc/sys/user/max_user_namespaces", CLONE_NEWUSER);
    show("unshare(CLONE_NEWUSER) again", unshare(CLONE_NEWUSER));
    ids("nested");
    int inner = open("/proc/self/ns/user", O_RDONLY);
    show("NS_GET_USERNS of the parent's UTS", ioctl(uts, NS_GET_USERNS));
    show("setns(the parent's, from below)", setns(u, CLONE_NEWUSER));
    close(inner);
}

/* nobody makes one, with a UTS namespace. */
static void as_nobody(void)
{
    setgroups(0, NULL);
    setresgid(65534, 65534, 65534);
    setresuid(65534, 65534, 65534);
    printf("dumpable after setresuid: %d\n", prctl(PR_GET_DUMPABLE));
    prctl(PR_SET_DUMPABLE, 1); /* its /proc files its own again */
    caps("nobody");
    show("unshare(CLONE_NEWUTS)", unshare(CLONE_NEWUTS));
    show("unshare(CLONE_NEWUSER|CLONE_NEWUTS)", unshare(CLONE_NEWUSER | CLONE_NEWUTS));
    caps("nobody in its namespace");
    show("sethostname in its UTS namespace", sethostname("nobody", 6));
    put_show("/proc/self/uid_map", "0 0 1");
    put_show("/proc/self/uid_map", "0 65534 2");
    put_show("/proc/self/uid_map", "0 65534 1\n1 1 1");
    put_show("/proc/self/uid_map", "0 65534 1");
    put_show("/proc/self/gid_map", "0 65534 1");
    put_show("/proc/self/setgroups", "deny");
    put_show("/proc/self/gid_map", "0 0 1");
    put_show("/proc/self/gid_map", "0 65534 1");
    ids("nobody mapped");
    status_ids("nobody mapped");
    cat("/proc/self/uid_map");
    cat("/proc/1/uid_map");
    show("setuid(0)", setuid(0));
    show("setuid(1)", setuid(1));
    pid_t ch = fork();
    if (ch == 0) {
        show("nobody: chroot(/tmp) as its root", chroot("/tmp"));
        _exit(0);
    }
    wait_child(ch);
    caps("nobody: setuid(0) as its root");
    pid_t pid = fork();
    if (pid == 0) {
        show("nobody: unshare(CLONE_NEWUSER) nested", unshare(CLONE_NEWUSER));
        _exit(0);
    }
    wait_child(pid);
}

/* A parent maps its child's namespace. */
static void parent_maps(void)
{
    int go[2], done[2];
    pipe(go), pipe(done);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        unshare(CLONE_NEWUSER);
        write(done[1], "x", 1);
        read(go[0], &c, 1);
        ids("child mapped by its parent");
        cat("/proc/self/uid_map");
        _exit(0);
    }
    char c, path[64];
    read(done[0], &c, 1);
    snprintf(path, sizeof path, "/proc/%d/setgroups", pid);
    cat_as("the child's setgroups", path);
    snprintf(path, sizeof path, "/proc/%d/uid_map", pid);
    show("write the child's uid_map", put(path, "0 1000 10", 0));
    cat_as("the child's uid_map", path);
    snprintf(path, sizeof path, "/proc/%d/gid_map", pid);
    show("write the child's gid_map", put(path, "0 1000 10\n10 0 1", 0));
    snprintf(path, sizeof path, "/proc/%d/ns/user", pid);
    int cu = open(path, O_RDONLY), mine = open("/proc/self/ns/user", O_RDONLY);
    int owner = ioctl(cu, NS_GET_USERNS), parent = ioctl(cu, NS_GET_PARENT);
    struct stat a, b, o, pa;
    fstat(cu, &a), fstat(mine, &b), fstat(owner, &o), fstat(parent, &pa);
    printf("the child's: its own %d, its owner ours %d, its parent ours %d\n", a.st_ino != b.st_ino,
           o.st_ino == b.st_ino, pa.st_ino == b.st_ino);
    uid_t creator = 99;
    show("NS_GET_OWNER_UID of the child's", ioctl(cu, NS_GET_OWNER_UID, &creator));
    printf("creator %d\n", creator);
    close(cu), close(mine), close(owner), close(parent);
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    show("setns(pidfd, CLONE_NEWUTS|CLONE_NEWUSER)", setns(pfd, CLONE_NEWUTS | CLONE_NEWUSER));
    show("setns(pidfd, CLONE_NEWUSER)", setns(pfd, CLONE_NEWUSER));
    ids("the parent in its child's namespace");
    caps("the parent in its child's namespace");
    show("setns(pidfd, CLONE_NEWUSER) again", setns(pfd, CLONE_NEWUSER));
    show("sethostname in the initial UTS namespace", sethostname("x", 1));
    write(go[1], "x", 1);
    wait_child(pid);
}

static void nesting(void)
{
    int n = 0;
    for (;;) {
        if (unshare(CLONE_NEWUSER) < 0)
            break;
        n++;
        if (put("/proc/self/setgroups", "deny", 0) < 0 || put("/proc/self/uid_map", "0 0 1", 0) < 0 ||
            put("/proc/self/gid_map", "0 0 1", 0) < 0) {
            printf("map at level %d: %s\n", n, errno_name(errno));
            break;
        }
    }
    printf("nested user namespaces: %d, then %s\n", n, errno_name(errno));
}

static void *idle(void *arg)
{
    (void)arg;
    pause();
    return NULL;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* /proc/sys/user's files, sorted. */
static void limits(void)
{
    char *names[64];
    int n = 0;
    DIR *d = opendir("/proc/sys/user");
    for (struct dirent *e; d && n < 64 && (e = readdir(d));)
        if (e->d_name[0] != '.')
            names[n++] = strdup(e->d_name);
    if (d)
        closedir(d);
    qsort(names, (size_t)n, sizeof names[0], by_name);
    printf("/proc/sys/user:");
    for (int i = 0; i < n; i++)
        printf(" %s", names[i]);
    printf("\n");
}

static void in_child(void (*fn)(void))
{
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        fflush(stdout);
        _exit(0);
    }
    wait_child(pid);
}

static void threaded(void)
{
    pthread_t t;
    pthread_create(&t, NULL, idle, NULL);
    show("threaded: unshare(CLONE_NEWUSER)", unshare(CLONE_NEWUSER));
}

static void chrooted(void)
{
    show("chroot(/tmp)", chroot("/tmp"));
    show("chroot'ed: unshare(CLONE_NEWUSER)", unshare(CLONE_NEWUSER));
}

static void unmapped(void)
{
    unshare(CLONE_NEWUSER);
    show("unmapped creator: unshare(CLONE_NEWUSER)", unshare(CLONE_NEWUSER));
}

/* clone with CLONE_NEWUSER: not with CLONE_FS; the child in it, the
 * parent where it was, the initial namespace's maps fixed. */
static void cloned(void)
{
    show("CLONE_NEWUSER|CLONE_FS", syscall(SYS_clone, CLONE_NEWUSER | CLONE_FS | SIGCHLD, 0L, 0L, 0L, 0L));
    long r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0L, 0L, 0L, 0L);
    if (r == 0) {
        ids("clone(CLONE_NEWUSER)'s child");
        caps("clone(CLONE_NEWUSER)'s child");
        _exit(0);
    }
    wait_child((pid_t)r);
    put_show("/proc/self/uid_map", "0 0 1");
    put_show("/proc/self/setgroups", "deny");
    cat("/proc/self/uid_map");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 3 && strcmp(argv[1], "caps") == 0) {
        caps(argv[2]);
        return 0;
    }
    self = argv[0];
    unlink(FILE_1000);
    close(open(FILE_1000, O_CREAT | O_WRONLY, 0644));
    chown(FILE_1000, 1000, 1000);
    limits();
    in_child(as_root);
    in_child(as_nobody);
    in_child(parent_maps);
    in_child(nesting);
    in_child(threaded);
    in_child(chrooted);
    in_child(unmapped);
    in_child(cloned);
    unlink(FILE_1000);
    return 0;
}
