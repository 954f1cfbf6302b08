/*
 * tests/linux/c/sharedsubtree.c - shared subtrees as root: MS_SHARED, a
 * bind of a shared mount joining its peer group, a mount under one peer
 * appearing under the other and its umount going from both (EBUSY while
 * the copy is in use), MS_SLAVE (receives, does not send), MS_PRIVATE,
 * MS_UNBINDABLE and the MS_REC forms, mount_setattr's propagation,
 * MOVE_MOUNT_SET_GROUP, open_tree's clone of a shared mount, MS_MOVE from
 * a shared parent, and the errors.  mountinfo's lines for the test's own
 * mounts are printed with mount ids and peer group ids renumbered in
 * order of appearance in each table (both are the smallest free on Linux,
 * but the host's other mounts, and other processes, hold some).  It runs in a mount namespace of its own
 * (unshare, / made private), on the host and on Persona.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define D "/tmp/sharedsubtree-test"
#ifndef MOVE_MOUNT_SET_GROUP
#define MOVE_MOUNT_SET_GROUP 0x100
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#define MOVE_MOUNT_F_EMPTY_PATH 4

struct mount_attr_ {
    unsigned long long attr_set, attr_clr, propagation, userns_fd;
};

static long open_tree_(int dfd, const char *path, unsigned flags) { return syscall(SYS_open_tree, dfd, path, flags); }
static long move_mount_(int fd, const char *from, int tfd, const char *to, unsigned flags)
{
    return syscall(SYS_move_mount, fd, from, tfd, to, flags);
}
static long setattr_(const char *path, unsigned flags, unsigned long long prop)
{
    struct mount_attr_ a = {0, 0, prop, 0};
    return syscall(SYS_mount_setattr, AT_FDCWD, path, flags, &a, sizeof a);
}

/* Renumbering: the ids seen so far, in order. */
static long ids[64], groups[64];
static int nids, ngroups;

static int renumber(long *seen, int *n, long v)
{
    for (int i = 0; i < *n; i++)
        if (seen[i] == v)
            return i + 1;
    seen[(*n)++] = v;
    return *n;
}

/* mountinfo's lines for the mounts under D: id, parent (renumbered; "-"
 * for the one D is on), root, point under D, the optional fields with
 * their groups renumbered, the source. */
static void show(const char *what)
{
    char line[1024];
    FILE *f = fopen("/proc/self/mountinfo", "r");
    printf("-- %s\n", what);
    nids = ngroups = 0; /* renumbered in each table: other mounts on the host hold ids too */
    while (f && fgets(line, sizeof line, f)) { /* first the ids, so that a parent listed later has its number */
        long id;
        char point[256];
        if (sscanf(line, "%ld %*d %*s %*s %255s", &id, point) == 2 && !strncmp(point, D, strlen(D)))
            renumber(ids, &nids, id);
    }
    if (f)
        rewind(f);
    while (f && fgets(line, sizeof line, f)) {
        long id, parent;
        char root[256], point[256];
        int used;
        if (sscanf(line, "%ld %ld %*s %255s %255s %*s%n", &id, &parent, root, point, &used) < 4 ||
            strncmp(point, D, strlen(D)))
            continue;
        printf("  %d ", renumber(ids, &nids, id));
        int known = 0;
        for (int i = 0; i < nids; i++)
            known |= ids[i] == parent;
        if (known)
            printf("%d", renumber(ids, &nids, parent));
        else
            printf("-");
        printf(" %s %s", root, point[strlen(D)] ? point + strlen(D) : "/");
        char *p = line + used, *tok;
        while ((tok = strtok(p, " \n")) && strcmp(tok, "-")) {
            p = NULL;
            char *colon = strchr(tok, ':');
            if (colon) {
                *colon = '\0';
                printf(" %s:%d", tok, renumber(groups, &ngroups, atol(colon + 1)));
            } else {
                printf(" %s", tok);
            }
        }
        strtok(NULL, " \n"); /* the type */
        tok = strtok(NULL, " \n");
        printf(" %s\n", tok ? tok : "?");
    }
    if (f)
        fclose(f);
}

static void touch(const char *path) { close(open(path, O_CREAT | O_WRONLY, 0644)); }

/* A tmpfs on D/a with directories x, y and z, made shared. */
static void shared_a(void)
{
    CHECK(mount("A", D "/a", "tmpfs", 0, NULL));
    mkdir(D "/a/x", 0755);
    mkdir(D "/a/y", 0755);
    mkdir(D "/a/z", 0755);
    CHECK(mount(NULL, D "/a", NULL, MS_SHARED, NULL));
}

static void peers(void)
{
    shared_a();
    show("a shared");
    CHECK(mount(D "/a", D "/b", NULL, MS_BIND, NULL));
    show("b a bind of a");
    CHECK(mount("X", D "/a/x", "tmpfs", 0, NULL));
    show("x mounted under a");
    touch(D "/a/x/f");
    CHECK(access(D "/b/x/f", F_OK));
    CHECK(umount2(D "/b/x", 0));
    show("x unmounted under b");
    CHECK(access(D "/a/x/f", F_OK));
    CHECK(mount("Y", D "/b/y", "tmpfs", 0, NULL));
    touch(D "/b/y/f");
    CHECK(access(D "/a/y/f", F_OK));
    show("y mounted under b");
    CHECK(chdir(D "/b/y"));
    CHECK(umount2(D "/a/y", 0));
    CHECK(chdir("/"));
    CHECK(umount2(D "/a/y", 0));
    show("y unmounted");
}

static void slave(void)
{
    CHECK(mount(NULL, D "/b", NULL, MS_SLAVE, NULL));
    show("b a slave");
    CHECK(mount("X", D "/a/x", "tmpfs", 0, NULL));
    touch(D "/a/x/f");
    CHECK(access(D "/b/x/f", F_OK));
    CHECK(mount("Z", D "/b/z", "tmpfs", 0, NULL));
    touch(D "/b/z/f");
    CHECK(access(D "/a/z/f", F_OK));
    show("x under a, z under b");
    CHECK(chdir(D "/a"));
    CHECK(access("z/f", F_OK));
    CHECK(chdir("x"));
    CHECK(access("../z/f", F_OK));
    CHECK(chdir(D "/b/x"));
    CHECK(access("../z/f", F_OK));
    CHECK(chdir(".."));
    CHECK(access("z/f", F_OK));
    int dfd = open(D "/a", O_RDONLY | O_DIRECTORY);
    CHECK(faccessat(dfd, "z/f", F_OK, 0));
    close(dfd);
    CHECK(chdir("/"));
    CHECK(umount2(D "/b/z", 0));
    CHECK(umount2(D "/a/x", 0));
    CHECK(access(D "/b/x/f", F_OK));
    show("x and z unmounted");
    CHECK(mount(NULL, D "/b", NULL, MS_SHARED, NULL));
    show("b shared and a slave");
    CHECK(mount(NULL, D "/b", NULL, MS_SLAVE, NULL));
    show("b a slave again");
    CHECK(mount(NULL, D "/b", NULL, MS_PRIVATE, NULL));
    CHECK(mount(NULL, D "/a", NULL, MS_PRIVATE, NULL));
    show("a and b private");
    CHECK(umount2(D "/b", 0));
}

static void recursive(void)
{
    CHECK(mount("C", D "/c", "tmpfs", 0, NULL));
    mkdir(D "/c/x", 0755);
    CHECK(mount("CX", D "/c/x", "tmpfs", 0, NULL));
    CHECK(mount(NULL, D "/c", NULL, MS_SHARED | MS_REC, NULL));
    show("c shared, recursively");
    CHECK(mount(NULL, D "/c", NULL, MS_UNBINDABLE | MS_REC, NULL));
    show("c unbindable, recursively");
    CHECK(mount(NULL, D "/c", NULL, MS_PRIVATE | MS_REC, NULL));
    show("c private, recursively");
    CHECK(setattr_(D "/c", AT_RECURSIVE, MS_SHARED));
    show("c shared by mount_setattr");
    CHECK(setattr_(D "/c", 0, MS_PRIVATE));
    show("c private by mount_setattr");
    CHECK(umount2(D "/c/x", 0));
    CHECK(umount2(D "/c", 0));
}

static void set_group(void)
{
    CHECK(mount(NULL, D "/a", NULL, MS_SHARED, NULL));
    CHECK(mount(D "/a/x", D "/s", NULL, MS_BIND, NULL));
    show("s a bind of a/x");
    CHECK(move_mount_(AT_FDCWD, D "/a", AT_FDCWD, D "/s", MOVE_MOUNT_SET_GROUP));
    CHECK(mount(NULL, D "/s", NULL, MS_PRIVATE, NULL));
    CHECK(move_mount_(AT_FDCWD, D "/s", AT_FDCWD, D "/a", MOVE_MOUNT_SET_GROUP));
    CHECK(move_mount_(AT_FDCWD, D "/a", AT_FDCWD, D "/a/x", MOVE_MOUNT_SET_GROUP));
    CHECK(move_mount_(AT_FDCWD, D, AT_FDCWD, D "/s", MOVE_MOUNT_SET_GROUP));
    CHECK(move_mount_(AT_FDCWD, D "/a", AT_FDCWD, D "/s", MOVE_MOUNT_SET_GROUP));
    show("s in a's group");
    CHECK(umount2(D "/s", 0));
    int t = open_tree_(AT_FDCWD, D "/a", OPEN_TREE_CLONE);
    CHECK(t >= 0);
    CHECK(move_mount_(t, "", AT_FDCWD, D "/s", MOVE_MOUNT_F_EMPTY_PATH));
    close(t);
    show("s a clone of a");
    CHECK(mount("X", D "/a/x", "tmpfs", 0, NULL));
    CHECK(mount(D "/a/x", D "/c", NULL, MS_MOVE, NULL));
    show("x under a and s");
    t = open_tree_(AT_FDCWD, D "/a", OPEN_TREE_CLONE | AT_RECURSIVE);
    CHECK(t >= 0);
    CHECK(move_mount_(t, "", AT_FDCWD, D "/e", MOVE_MOUNT_F_EMPTY_PATH));
    close(t);
    touch(D "/a/x/f");
    CHECK(access(D "/e/x/f", F_OK));
    show("e a recursive clone of a");
    CHECK(umount2(D "/s/x", 0));
    show("x unmounted under s");
    CHECK(umount2(D "/e", 0));
    CHECK(umount2(D "/s", 0));
    CHECK(umount2(D "/a", 0));
    show("all gone");
}

/* a copy made where a peer already has a mount goes under it, and comes
 * out from under it at umount */
static void tucked(void)
{
    CHECK(mount("A", D "/a", "tmpfs", 0, NULL));
    mkdir(D "/a/x", 0755);
    CHECK(mount(D "/a", D "/b", NULL, MS_BIND, NULL));
    CHECK(mount(NULL, D "/a", NULL, MS_SHARED, NULL));
    CHECK(mount("Z", D "/b/x", "tmpfs", 0, NULL));
    touch(D "/b/x/z");
    CHECK(move_mount_(AT_FDCWD, D "/a", AT_FDCWD, D "/b", MOVE_MOUNT_SET_GROUP));
    CHECK(mount("X", D "/a/x", "tmpfs", 0, NULL));
    show("x under a, its copy under b's z");
    CHECK(access(D "/b/x/z", F_OK));
    CHECK(access(D "/a/x/z", F_OK));
    CHECK(umount2(D "/a/x", 0));
    show("x unmounted, z back on b");
    CHECK(access(D "/b/x/z", F_OK));
    CHECK(umount2(D "/b/x", 0));
    CHECK(umount2(D "/b", 0));
    CHECK(umount2(D "/a", 0));
}

/* four peers: copies go in the order of the group's ring (a clone goes
 * next after its source) */
static void ring(void)
{
    shared_a();
    CHECK(mount(D "/a", D "/b", NULL, MS_BIND, NULL));
    CHECK(mount(D "/a", D "/c", NULL, MS_BIND, NULL));
    CHECK(mount(D "/b", D "/s", NULL, MS_BIND, NULL));
    CHECK(mount("X", D "/a/x", "tmpfs", 0, NULL));
    CHECK(mount("Y", D "/c/y", "tmpfs", 0, NULL));
    show("x under a, y under c, four peers");
    CHECK(umount2(D "/s/x", 0));
    CHECK(umount2(D "/b/y", 0));
    CHECK(umount2(D "/s", 0));
    CHECK(umount2(D "/c", 0));
    CHECK(umount2(D "/b", 0));
    CHECK(umount2(D "/a", 0));
    show("the four gone");
}

/* four slaves of a: copies go in the order of a's list of slaves (the
 * newest slave first, a bind of a slave next after it) */
static void slaves(void)
{
    shared_a();
    CHECK(mount(D "/a", D "/b", NULL, MS_BIND, NULL));
    CHECK(mount(D "/a", D "/c", NULL, MS_BIND, NULL));
    CHECK(mount(NULL, D "/b", NULL, MS_SLAVE, NULL));
    CHECK(mount(NULL, D "/c", NULL, MS_SLAVE, NULL));
    CHECK(mount(D "/b", D "/s", NULL, MS_BIND, NULL));
    CHECK(mount(D "/a", D "/e", NULL, MS_BIND, NULL));
    CHECK(mount(NULL, D "/e", NULL, MS_SLAVE, NULL));
    CHECK(mount(NULL, D "/e", NULL, MS_SHARED, NULL));
    CHECK(mount("X", D "/a/x", "tmpfs", 0, NULL));
    show("x under a, four slaves");
    CHECK(umount2(D "/a/x", 0));
    CHECK(umount2(D "/a", 0));
    show("a gone: its slaves private");
    CHECK(umount2(D "/b", 0));
    CHECK(umount2(D "/c", 0));
    CHECK(umount2(D "/s", 0));
    CHECK(umount2(D "/e", 0));
}

/* a tree with an unbindable mount: no move under a shared mount, a
 * recursive bind without it; MNT_DETACH of the tree */
static void unbindable(void)
{
    shared_a();
    CHECK(mount("C", D "/c", "tmpfs", 0, NULL));
    mkdir(D "/c/q", 0755);
    CHECK(mount("Q", D "/c/q", "tmpfs", 0, NULL));
    CHECK(mount(NULL, D "/c/q", NULL, MS_UNBINDABLE, NULL));
    CHECK(mount(D "/c", D "/a/x", NULL, MS_MOVE, NULL));
    CHECK(mount(D "/c", D "/a/x", NULL, MS_BIND | MS_REC, NULL));
    show("c bound under a without its unbindable q");
    CHECK(umount2(D "/a/x", 0));
    CHECK(umount2(D "/c", MNT_DETACH));
    CHECK(umount2(D "/a", 0));
    show("c detached, a gone");
}

/* a shared slave and its peer, a recursive bind, a move under a shared
 * mount, umount with MNT_DETACH, and a copy with a mount on it */
static void chains(void)
{
    shared_a();
    CHECK(mount(D "/a", D "/b", NULL, MS_BIND, NULL));
    CHECK(mount(NULL, D "/b", NULL, MS_SLAVE, NULL));
    CHECK(mount(NULL, D "/b", NULL, MS_SHARED, NULL));
    CHECK(mount(D "/b", D "/c", NULL, MS_BIND, NULL));
    CHECK(mount("X", D "/a/x", "tmpfs", 0, NULL));
    touch(D "/a/x/f");
    CHECK(access(D "/c/x/f", F_OK));
    show("x under a, b a shared slave, c b's peer");
    CHECK(mount("Y", D "/c/y", "tmpfs", 0, NULL));
    CHECK(access(D "/a/y/f", F_OK));
    touch(D "/c/y/f");
    CHECK(access(D "/b/y/f", F_OK));
    CHECK(access(D "/a/y/f", F_OK));
    show("y under c");
    CHECK(umount2(D "/c/y", MNT_DETACH));
    CHECK(umount2(D "/a/x", MNT_DETACH));
    show("x and y detached");
    CHECK(umount2(D "/c", 0));
    CHECK(umount2(D "/b", 0));

    CHECK(mount("X", D "/a/x", "tmpfs", 0, NULL));
    mkdir(D "/a/x/in", 0755);
    CHECK(mount(D "/a", D "/b", NULL, MS_BIND | MS_REC, NULL));
    show("b a recursive bind of a");
    CHECK(mount("IN", D "/b/x/in", "tmpfs", 0, NULL));
    show("in under b/x");
    CHECK(umount2(D "/a/x/in", 0));
    CHECK(mount(NULL, D "/b/x", NULL, MS_PRIVATE, NULL));
    CHECK(mount("IN", D "/b/x/in", "tmpfs", 0, NULL));
    CHECK(umount2(D "/a/x", 0));
    show("b/x private with a mount on it, a/x unmounted");
    CHECK(umount2(D "/b/x/in", 0));
    CHECK(umount2(D "/b/x", 0));
    CHECK(umount2(D "/b", 0));

    CHECK(mount(D "/a", D "/b", NULL, MS_BIND, NULL));
    CHECK(mount("P", D "/c", "tmpfs", 0, NULL));
    mkdir(D "/c/q", 0755);
    CHECK(mount("Q", D "/c/q", "tmpfs", 0, NULL));
    CHECK(mount(D "/c", D "/a/y", NULL, MS_MOVE, NULL));
    CHECK(access(D "/b/y/q", F_OK));
    show("c and c/q moved under a");
    CHECK(umount2(D "/b/y", 0));
    CHECK(umount2(D "/b/y/q", 0));
    CHECK(umount2(D "/b/y", 0));
    show("y's copies gone");
    CHECK(mount(NULL, D "/b", NULL, MS_SLAVE, NULL));
    CHECK(mount("R", D "/c", "tmpfs", 0, NULL));
    mkdir(D "/c/q", 0755);
    CHECK(mount("Q", D "/c/q", "tmpfs", 0, NULL));
    CHECK(mount(D "/c", D "/a/x", NULL, MS_BIND | MS_REC, NULL));
    show("c bound under a, recursively, b a slave");
    CHECK(umount2(D "/a/x/q", 0));
    CHECK(umount2(D "/a/x", 0));
    CHECK(umount2(D "/c/q", 0));
    CHECK(umount2(D "/c", 0));
    CHECK(umount2(D "/b", 0));
    CHECK(mount(NULL, D "/a", NULL, MS_PRIVATE, NULL));
    CHECK(mount(D "/a", D "/b", NULL, MS_BIND, NULL));
    CHECK(move_mount_(AT_FDCWD, D "/b", AT_FDCWD, D "/a/y", 0));
    show("b, a private bind of a, moved to a/y");
    CHECK(umount2(D "/a/y", 0));
    CHECK(mount(NULL, D "/a", NULL, MS_SLAVE, NULL));
    CHECK(mount(NULL, D "/a", NULL, MS_SHARED | MS_NOSUID | MS_NOEXEC, NULL));
    show("a a private mount made slave, then shared");
    CHECK(umount2(D "/a", 0));
}

static void errors(void)
{
    CHECK(mount(NULL, D, NULL, MS_SHARED | MS_PRIVATE, NULL));
    CHECK(mount(NULL, D, NULL, MS_SHARED | MS_RDONLY, NULL));
    CHECK(mount(NULL, D, NULL, MS_SLAVE | MS_UNBINDABLE | MS_REC, NULL));
    CHECK(mount(NULL, D "/a", NULL, MS_SHARED, NULL));
    CHECK(mount(NULL, D "/missing", NULL, MS_SHARED, NULL));
    CHECK(setattr_(D, 0, MS_SHARED | MS_SLAVE));
    CHECK(setattr_(D, 0, MS_SHARED | MS_REC));
    CHECK(setattr_(D "/a", 0, MS_SHARED));
    CHECK(mount(NULL, D, NULL, MS_SHARED | MS_SILENT, NULL));
    show("D shared");
    CHECK(mount(NULL, D, NULL, MS_PRIVATE, NULL));
}

int main(void)
{
    unshare(CLONE_NEWNS);
    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
    mkdir(D, 0755);
    mount("base", D, "tmpfs", 0, NULL);
    mkdir(D "/a", 0755);
    mkdir(D "/b", 0755);
    mkdir(D "/c", 0755);
    mkdir(D "/s", 0755);
    mkdir(D "/e", 0755);
    show("base");
    peers();
    slave();
    recursive();
    set_group();
    tucked();
    ring();
    slaves();
    unbindable();
    chains();
    errors();
    CHECK(umount2(D, 0));
    rmdir(D);
    return 0;
}
