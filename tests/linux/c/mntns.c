/*
 * tests/linux/c/mntns.c - mount namespaces: unshare(CLONE_NEWNS) and
 * clone(CLONE_NEWNS) give a copy of the mount table (a new mnt:[N], each
 * mount a new id); a tmpfs mounted in a child's namespace under a private
 * mount is invisible to the parent (stat's st_dev, /proc/self/mounts),
 * while /proc/<child>/mounts shows it; under a shared mount it propagates
 * both ways, the copy a peer (the same shared:N in mountinfo), until
 * MS_PRIVATE ends that; an open /proc/<pid>/ns/mnt keeps the namespace
 * after its process ends and setns joins it (the working directory goes
 * to its root); a tmpfs unmounted in the parent's namespace (the child
 * working in its own copy: not busy) stays, files and all, in the
 * child's that still shows it; the errors: EPERM without CAP_SYS_ADMIN, EINVAL with
 * CLONE_FS, setns with another kind's flag; a namespace made a slave of
 * its parent's (a bind and a move in it); unshare(CLONE_NEWNS) by a
 * CLONE_FS child unshares its working directory too.  Everything happens in a
 * namespace of the test's own, so the host's table stays.  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define D "/tmp/mntns-test"
#define E "/tmp/mntns-e"
#define NS_GET_NSTYPE 0xb703

static void show(const char *what, long r)
{
    printf("%-44s %ld %s\n", what, r, r < 0 ? errno_name(errno) : "");
    errno = 0;
}

static dev_t dev_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_dev : 0;
}

/* Whether a mount is on path, seen from here: its st_dev is not its parent's. */
static int mounted(const char *path)
{
    char up[256];
    snprintf(up, sizeof up, "%s/..", path);
    return dev_of(path) != dev_of(up);
}

/* Where file (a /proc mounts table) shows point: " point " in its line
 * (*line its start; NULL: not listed), in a buffer of its own. */
static char *find(const char *file, const char *point, char **line)
{
    static char text[65536];
    char key[256];
    *line = NULL;
    if (read_text(file, text, sizeof text) < 0)
        return NULL;
    snprintf(key, sizeof key, " %s ", point);
    char *at = strstr(text, key);
    for (*line = at; at && *line > text && (*line)[-1] != '\n';)
        --*line;
    return at;
}

/* Whether file lists a mount at point. */
static int listed(const char *file, const char *point)
{
    char *line;
    return find(file, point, &line) != NULL;
}

/* The optional fields of point's mountinfo line ("shared:N" and the
 * others, the numbers as N), and its peer group in *group. */
static void fields(const char *file, const char *point, char *out, size_t size, int *group)
{
    char *line, *at = find(file, point, &line);
    *out = '\0', *group = 0;
    if (!at)
        return;
    char *end = strchr(at, '\n'), *dash = strstr(at, " - ");
    if (!dash || (end && dash > end))
        return;
    char *p = strchr(at + strlen(point) + 2, ' '); /* past the options */
    size_t n = 0;
    for (p = p ? p + 1 : dash; p < dash && n + 16 < size;) {
        char *sp = memchr(p, ' ', (size_t)(dash - p));
        size_t len = sp ? (size_t)(sp - p) : (size_t)(dash - p);
        char *colon = memchr(p, ':', len);
        if (colon && !strncmp(p, "shared:", 7))
            *group = atoi(colon + 1);
        n += (size_t)snprintf(out + n, size - n, "%s%.*s%s", n ? " " : "", colon ? (int)(colon - p + 1) : (int)len, p,
                              colon ? "N" : "");
        p += len + 1;
    }
    if (!n)
        snprintf(out, size, "(none)");
}

/* The id of the mount at point in mountinfo file (0: none). */
static int mount_id(const char *file, const char *point)
{
    char *line;
    return find(file, point, &line) ? atoi(line) : 0;
}

static int to_child[2], to_parent[2];

static void wait_for(int fd)
{
    char c;
    if (read(fd, &c, 1) != 1)
        _exit(9);
}

static void go(int fd) { (void)!write(fd, "x", 1); }

/* The child, in its own namespace: mounts under the shared D, then makes
 * its D private and mounts again. */
static void child(void)
{
    char link[64] = "";
    (void)!readlink("/proc/self/ns/mnt", link, sizeof link);
    printf("child: ns %.4s, D/a %d\n", link, mounted(D "/a"));
    CHECK(chdir(E)); /* its own copy of E: the parent's is not busy for it */
    CHECK(mount("a", D "/a", "tmpfs", 0, NULL));
    go(to_parent[1]);
    wait_for(to_child[0]); /* the parent mounted D/c */
    printf("child: parent's D/c %d\n", mounted(D "/c"));
    CHECK(mount(NULL, D, NULL, MS_PRIVATE, NULL));
    CHECK(mount("b", D "/b", "tmpfs", 0, NULL));
    CHECK(mkdir(D "/b/in-b", 0755));
    go(to_parent[1]);
    wait_for(to_child[0]); /* the parent mounted D/d, unmounted E */
    struct stat st;
    printf("child: parent's D/d %d, E still %d with its file %d\n", mounted(D "/d"), mounted(E),
           stat(E "/f", &st) == 0);
    go(to_parent[1]);
    wait_for(to_child[0]); /* the parent has the namespace's file open */
    _exit(0);
}

/* A grandchild joins the namespace of file fd: it sees the child's D/b
 * and starts at its root. */
static void join(int fd, const char *who)
{
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(chdir(D));
        show("setns(mnt, CLONE_NEWUTS)", setns(fd, CLONE_NEWUTS));
        show("setns(mnt, CLONE_NEWNS)", setns(fd, CLONE_NEWNS));
        char cwd[256] = "";
        (void)!getcwd(cwd, sizeof cwd);
        struct stat st;
        printf("%s: cwd %s, D/b %d, D/b/in-b %d, listed %d\n", who, cwd, mounted(D "/b"),
               stat(D "/b/in-b", &st) == 0, listed("/proc/self/mounts", D "/b"));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

/* A child whose namespace is a slave of the parent's (mount --make-rslave
 * /): the parent's mounts and umounts reach it, its own stay there; a
 * bind and a move inside it. */
#define S "/tmp/mntns-slave"
static void slave(void)
{
    mkdir(S, 0755);
    CHECK(mount("top", S, "tmpfs", 0, NULL));
    CHECK(mount(NULL, S, NULL, MS_SHARED, NULL));
    mkdir(S "/a", 0755), mkdir(S "/b", 0755), mkdir(S "/c", 0755), mkdir(S "/m", 0755);
    CHECK(mount("a", S "/a", "tmpfs", 0, NULL));
    pid_t pid = fork();
    if (pid == 0) {
        show("slave: unshare(CLONE_NEWNS)", unshare(CLONE_NEWNS));
        show("slave: make-rslave /", mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL));
        printf("slave: sees S/a %d\n", mounted(S "/a"));
        show("slave: mount S/b", mount("b", S "/b", "tmpfs", 0, NULL));
        mkdir(S "/b/x", 0755);
        show("slave: bind S/b/x on S/m", mount(S "/b/x", S "/m", NULL, MS_BIND, NULL));
        go(to_parent[1]);
        wait_for(to_child[0]);
        printf("slave: S/a after the parent's umount %d, the parent's S/c %d\n", mounted(S "/a"), mounted(S "/c"));
        show("slave: move S/m to S/c", mount(S "/m", S "/c", NULL, MS_MOVE, NULL));
        char opt[128];
        int g;
        fields("/proc/self/mountinfo", S, opt, sizeof opt, &g);
        printf("slave: S %s, S/m listed %d\n", opt, listed("/proc/self/mounts", S "/m"));
        _exit(0);
    }
    wait_for(to_parent[0]);
    printf("parent: the slave's S/b %d, S/m %d\n", mounted(S "/b"), mounted(S "/m"));
    CHECK(umount2(S "/a", 0));
    CHECK(mount("c", S "/c", "tmpfs", 0, NULL));
    go(to_child[1]);
    waitpid(pid, NULL, 0);
    CHECK(umount2(S "/c", 0));
    CHECK(umount2(S, 0));
    CHECK(rmdir(S));
}

/* A child sharing the working directory (CLONE_FS) unshares CLONE_NEWNS:
 * that unshares the directory too, so its chdir leaves the parent's. */
static void shared_cwd(void)
{
    char before[256] = "", after[256] = "";
    (void)!getcwd(before, sizeof before);
    pid_t pid = (pid_t)syscall(SYS_clone, CLONE_FS | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) {
        show("CLONE_FS child: unshare(CLONE_NEWNS)", unshare(CLONE_NEWNS));
        show("CLONE_FS child: chdir(D)", chdir(D));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    (void)!getcwd(after, sizeof after);
    printf("parent's cwd kept %d\n", strcmp(before, after) == 0);
}

/* The errors, in a child as uid 65534 for the capability ones. */
static void errors(int fd)
{
    show("clone(CLONE_NEWNS|CLONE_FS)", syscall(SYS_clone, CLONE_NEWNS | CLONE_FS | SIGCHLD, 0, 0, 0, 0));
    pid_t pid = fork();
    if (pid == 0) {
        show("unshare(CLONE_NEWNS|CLONE_FS)", unshare(CLONE_NEWNS | CLONE_FS)); /* allowed: NEWNS implies FS */
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    pid = fork();
    if (pid == 0) {
        if (setuid(65534) < 0)
            _exit(1);
        show("uid 65534: unshare(CLONE_NEWNS)", unshare(CLONE_NEWNS));
        show("uid 65534: setns(mnt)", setns(fd, CLONE_NEWNS));
        long r = syscall(SYS_clone, CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0);
        if (r == 0)
            _exit(0);
        show("uid 65534: clone(CLONE_NEWNS)", r);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

int main(void)
{
    char outer[64] = "", inner[64] = "";
    setvbuf(stdout, NULL, _IONBF, 0);
    (void)!readlink("/proc/self/ns/mnt", outer, sizeof outer);
    int first = mount_id("/proc/self/mountinfo", "/proc");
    show("unshare(CLONE_NEWNS)", unshare(CLONE_NEWNS));
    (void)!readlink("/proc/self/ns/mnt", inner, sizeof inner);
    printf("ns %.4s, a new one %d, /proc's id new %d\n", inner, strcmp(outer, inner) != 0,
           mount_id("/proc/self/mountinfo", "/proc") != first);
    CHECK(mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL));
    mkdir(D, 0755);
    CHECK(mount("top", D, "tmpfs", 0, NULL));
    CHECK(mount(NULL, D, NULL, MS_SHARED, NULL));
    mkdir(D "/a", 0755), mkdir(D "/b", 0755), mkdir(D "/c", 0755), mkdir(D "/d", 0755);
    mkdir(E, 0755);
    CHECK(mount("e", E, "tmpfs", 0, NULL));
    close(open(E "/f", O_CREAT | O_WRONLY, 0644));
    char opt[128];
    int g;
    fields("/proc/self/mountinfo", D, opt, sizeof opt, &g);
    printf("D: %s\n", opt);
    if (pipe(to_child) < 0 || pipe(to_parent) < 0)
        return 1;
    pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0)
        child();
    wait_for(to_parent[0]); /* the child mounted D/a */
    char file[64];
    snprintf(file, sizeof file, "/proc/%d/mountinfo", pid);
    int cg;
    fields(file, D, opt, sizeof opt, &cg);
    printf("child's D: %s, a peer %d, its own id %d\n", opt, cg == g,
           mount_id(file, D) != mount_id("/proc/self/mountinfo", D));
    printf("parent: child's D/a %d, listed %d\n", mounted(D "/a"), listed("/proc/self/mounts", D "/a"));
    fields("/proc/self/mountinfo", D "/a", opt, sizeof opt, &cg);
    printf("parent's D/a: %s\n", opt);
    CHECK(mount("c", D "/c", "tmpfs", 0, NULL));
    go(to_child[1]);
    wait_for(to_parent[0]); /* the child made D private, mounted D/b */
    snprintf(file, sizeof file, "/proc/%d/mounts", pid);
    printf("parent: child's D/b %d, listed here %d, in the child's %d\n", mounted(D "/b"),
           listed("/proc/self/mounts", D "/b"), listed(file, D "/b"));
    snprintf(file, sizeof file, "/proc/%d/mountinfo", pid);
    fields(file, D, opt, sizeof opt, &cg);
    printf("child's D now: %s\n", opt);
    CHECK(mount("d", D "/d", "tmpfs", 0, NULL));
    CHECK(umount2(E, 0)); /* the child's namespace still shows it */
    go(to_child[1]);
    wait_for(to_parent[0]);
    snprintf(file, sizeof file, "/proc/%d/ns/mnt", pid);
    int fd = open(file, O_RDONLY);
    struct stat st;
    char link[64] = "", want[64];
    (void)!readlink(file, link, sizeof link);
    fstat(fd, &st);
    snprintf(want, sizeof want, "mnt:[%lu]", (unsigned long)st.st_ino);
    printf("ns file: ino matches %d, NS_GET_NSTYPE is CLONE_NEWNS %d\n", strcmp(link, want) == 0,
           ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNS);
    join(fd, "joined");
    go(to_child[1]);
    waitpid(pid, NULL, 0);
    join(fd, "joined after its end");
    errors(fd);
    shared_cwd();
    slave();
    close(fd);
    CHECK(umount2(D "/a", 0));
    CHECK(umount2(D "/c", 0));
    CHECK(umount2(D "/d", 0));
    CHECK(umount2(D, 0));
    CHECK(rmdir(D));
    CHECK(rmdir(E));
    return 0;
}
