/*
 * tests/linux/c/pivotns.c - pivot_root in a mount namespace of its own,
 * from a chroot on a tmpfs, as LTP's pivot_root01 does it: the new root
 * (a tmpfs mounted in the chroot) becomes the root, the old one is seen
 * at put_old (its file there, its own st_dev) and can be unmounted; the
 * working directory moves with the root; and the cases that fail: the new
 * root on the root's own mount (EBUSY), put_old not under the new root
 * (EINVAL), put_old a file (ENOTDIR), the new root under a shared mount
 * (EINVAL), without CAP_SYS_ADMIN (EPERM).  Each case runs in a child, so
 * that its namespace and chroot go with it.  The output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

enum { NORMAL, ON_ROOT, NOT_UNDER, NOT_DIR, SHARED, NO_CAP };
static const char *const names[] = {"normal", "new root on the root's mount", "put_old not under new_root",
                                    "put_old a file", "new_root's parent shared", "no CAP_SYS_ADMIN"};

/* capget's and capset's structures (linux/capability.h's, version 3). */
struct cap_header {
    unsigned version;
    int pid;
};
struct cap_data {
    unsigned effective, permitted, inheritable;
};

static void drop_sys_admin(void)
{
    struct cap_header h = {0x20080522, 0};
    struct cap_data d[2];
    syscall(SYS_capget, &h, d);
    d[0].effective &= ~(1u << 21); /* CAP_SYS_ADMIN */
    syscall(SYS_capset, &h, d);
}

static void one(int kind)
{
    printf("-- %s\n", names[kind]);
    if (unshare(CLONE_NEWNS | CLONE_FS) < 0 || mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
        mount("none", "chroot", "tmpfs", 0, NULL) < 0 || chroot("chroot") < 0 || chdir("/") < 0) {
        printf("setup failed: %s\n", errno_name(errno));
        return;
    }
    close(open("/old-root-file", O_CREAT | O_WRONLY, 0600));
    mkdir("/new_root", 0777);
    if (kind == SHARED)
        mount(NULL, "/", NULL, MS_SHARED, NULL);
    if (kind != ON_ROOT)
        mount("none", "/new_root", "tmpfs", 0, NULL);
    const char *put_old = "/new_root/put_old";
    if (kind == NOT_UNDER) {
        mkdir("/put_old_fs", 0777);
        mount("none", "/put_old_fs", "tmpfs", 0, NULL);
        mkdir(put_old = "/put_old_fs/put_old", 0777);
    } else if (kind == NOT_DIR) {
        close(open(put_old, O_CREAT | O_WRONLY, 0777));
    } else {
        mkdir(put_old, 0777);
    }
    close(open("/new_root/new-root-file", O_CREAT | O_WRONLY, 0600));
    if (kind == NO_CAP)
        drop_sys_admin();
    long r = syscall(SYS_pivot_root, "/new_root", put_old);
    printf("pivot_root: %ld %s\n", r, r < 0 ? errno_name(errno) : "");
    if (r < 0)
        return;
    struct stat root, old;
    char cwd[64] = "";
    (void)!getcwd(cwd, sizeof cwd);
    stat("/", &root), stat("/put_old", &old);
    printf("cwd %s, / has new-root-file %d, /put_old has old-root-file %d, devices differ %d\n", cwd,
           access("/new-root-file", F_OK) == 0, access("/put_old/old-root-file", F_OK) == 0,
           root.st_dev != old.st_dev);
    CHECK(umount2("/put_old", MNT_DETACH));
    printf("/put_old after: old-root-file %d\n", access("/put_old/old-root-file", F_OK) == 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    mkdir("chroot", 0777);
    for (int kind = NORMAL; kind <= NO_CAP; kind++) {
        pid_t pid = fork();
        if (pid == 0) {
            one(kind);
            _exit(0);
        }
        waitpid(pid, NULL, 0);
    }
    CHECK(rmdir("chroot"));
    return 0;
}
