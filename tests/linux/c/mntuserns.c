/*
 * tests/linux/c/mntuserns.c - mounting in a user namespace (root; as
 * Linux 6.1): a process with CAP_SYS_ADMIN in the user namespace owning
 * its mount namespace mounts a tmpfs and remounts it, a proc of its own
 * pid namespace (the mounts of a proc shown whole are there, their locked
 * flags kept), changes propagation and binds; a sysfs of a network
 * namespace it does not own is EPERM, and so is any mount from a user
 * namespace below the owner's.  The mounts inherited from the more
 * privileged namespace are locked: umount and MS_MOVE EINVAL, a remount
 * taking their read-only or nosuid away EPERM (one keeping them is
 * allowed, a remount of their file system is EPERM), a bind leaving a
 * locked mount under it out EINVAL (MS_REC takes it).  Runs in mount,
 * user and pid namespaces of its own; the output must equal the host
 * Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "nstest.h"
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char base[64], lk[80], sub[96], t[80], path[160];

static const char *in_t(const char *rel)
{
    snprintf(path, sizeof path, "%s/%s", t, rel);
    return path;
}

static void say(const char *what, long r)
{
    printf("%-52s %ld %s\n", what, r, r < 0 ? errno_name(errno) : "");
    errno = 0;
}

static int exit_of(pid_t pid)
{
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

static void map(const char *file, const char *text)
{
    int opened;
    if (write_text(file, text, &opened) < 0)
        printf("%s: %s\n", file, errno_name(errno));
}

/* pid 1 of the new pid namespace, in the new user and mount namespaces. */
static int inside(void)
{
    say("make / private", mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
    say("tmpfs", mount("t", t, "tmpfs", 0, "mode=755"));
    say("mkdir in it", mkdir(in_t("x"), 0755) | mkdir(in_t("p"), 0755) | mkdir(in_t("s"), 0755));
    say("remount it read-only", mount(NULL, t, NULL, MS_REMOUNT | MS_RDONLY, NULL));
    say("mkdir on it now", mkdir(in_t("y"), 0755));
    say("remount it read-write", mount(NULL, t, NULL, MS_REMOUNT, NULL));
    say("make it shared", mount(NULL, t, NULL, MS_SHARED, NULL));
    say("make it private", mount(NULL, t, NULL, MS_PRIVATE, NULL));
    /* the inherited ones: locked */
    say("umount the inherited one under", umount(sub));
    say("umount2 the inherited one, MNT_DETACH", umount2(lk, MNT_DETACH));
    say("remount-bind it taking ro and nosuid away", mount(NULL, lk, NULL, MS_REMOUNT | MS_BIND, NULL));
    say("remount-bind it taking nosuid away", mount(NULL, lk, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
    say("remount-bind it keeping them", mount(NULL, lk, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID, NULL));
    say("remount its file system", mount(NULL, lk, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID, NULL));
    say("move it", mount(lk, in_t("x"), NULL, MS_MOVE, NULL));
    say("bind it (a locked mount under it)", mount(lk, in_t("x"), NULL, MS_BIND, NULL));
    say("bind it with MS_REC", mount(lk, in_t("x"), NULL, MS_BIND | MS_REC, NULL));
    say("remount-bind the bind taking ro away", mount(NULL, in_t("x"), NULL, MS_REMOUNT | MS_BIND, NULL));
    say("umount2 the bind, MNT_DETACH", umount2(in_t("x"), MNT_DETACH));
    say("bind the one under (no mount under it)", mount(sub, in_t("x"), NULL, MS_BIND, NULL));
    say("umount that bind", umount(in_t("x")));
    /* proc and sysfs */
    say("proc", mount("proc", in_t("p"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL));
    char buf[32];
    snprintf(path, sizeof path, "%s/p/self", t);
    long n = readlink(path, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = '\0';
    printf("its self: %s\n", buf);
    say("sysfs (the network namespace is not its)", mount("s", in_t("s"), "sysfs", 0, NULL));
    /* a user namespace below: not the mount namespace's owner */
    pid_t k = fork();
    if (k == 0) {
        if (unshare(CLONE_NEWUSER) < 0)
            _exit(90);
        say("below: tmpfs", mount("t", in_t("x"), "tmpfs", 0, NULL));
        say("below: make private", mount(NULL, t, NULL, MS_PRIVATE, NULL));
        say("below: umount", umount(t));
        _exit(0);
    }
    say("below's end", exit_of(k));
    say("umount the proc", umount(in_t("p")));
    say("umount the tmpfs", umount(t));
    return 0;
}

int main(void)
{
    if (ns_test_begin(base, sizeof base, "mntuserns"))
        return 0;
    snprintf(lk, sizeof lk, "%s/lk", base);
    snprintf(sub, sizeof sub, "%s/lk/sub", base);
    snprintf(t, sizeof t, "%s/t", base);
    mkdir(lk, 0755), mkdir(t, 0755);
    if (ns_test_unshare(0) < 0)
        return 1;
    /* in the first mount namespace: a read-only nosuid tmpfs with another on it */
    mount("lk", lk, "tmpfs", 0, "mode=755");
    mkdir(sub, 0755);
    mount("sub", sub, "tmpfs", 0, NULL);
    say("outside: remount ro,nosuid", mount(NULL, lk, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID, NULL));
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
            _exit(inside());
        _exit(exit_of(init));
    }
    char c, file[64];
    read(go[0], &c, 1);
    snprintf(file, sizeof file, "/proc/%d/uid_map", child);
    map(file, "0 0 1");
    snprintf(file, sizeof file, "/proc/%d/gid_map", child);
    map(file, "0 0 1");
    write(done[1], "d", 1);
    say("the namespaces' end", exit_of(child));
    umount2(lk, MNT_DETACH);
    rmdir(t), rmdir(lk);
    say("rmdir", rmdir(base));
    return 0;
}
