/*
 * tests/linux/c/inotifyumount.c - inotify and an unmount, as root: the
 * watches on a tmpfs's files, directories and root each get IN_UNMOUNT
 * (with IN_ISDIR on a directory's) and IN_IGNORED when the tmpfs is
 * unmounted, by umount2 and by a lazy MNT_DETACH; a watch on the
 * directory it was mounted on, and one on a file elsewhere, get nothing;
 * the gone watches' descriptors are EINVAL to inotify_rm_watch.  The
 * order of the watches' events differs with the inodes' order, so each
 * watch's are printed together.  On the host it runs in a mount
 * namespace of its own (unshare, as root), as mount.c; Persona has one.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define D "/tmp/inotifyumount-test"
#define NW 6

static const char *names[NW] = {"root", "file", "dir", "dir/file", "mount point's parent", "file elsewhere"};
static int wds[NW];

/* What each watch was given, in its order. */
static void show(int fd)
{
    char buf[4096] __attribute__((aligned(8)));
    char seen[NW][256] = {{0}};
    long n = read(fd, buf, sizeof buf);
    if (n < 0)
        printf("read: %s\n", errno_name(errno));
    for (char *p = buf; n > 0 && p < buf + n;) {
        struct inotify_event *e = (struct inotify_event *)p;
        for (int i = 0; i < NW; i++)
            if (wds[i] == e->wd) {
                size_t l = strlen(seen[i]);
                snprintf(seen[i] + l, sizeof seen[i] - l, " %x/%u", e->mask, e->len);
            }
        p += sizeof *e + e->len;
    }
    for (int i = 0; i < NW; i++)
        printf("  %s:%s\n", names[i], seen[i][0] ? seen[i] : " nothing");
}

static void unmount_round(const char *how, int flags)
{
    printf("-- %s\n", how);
    CHECK(mount("none", D "/t", "tmpfs", 0, "size=1m"));
    close(open(D "/t/file", O_CREAT | O_WRONLY, 0644));
    mkdir(D "/t/dir", 0755);
    close(open(D "/t/dir/file", O_CREAT | O_WRONLY, 0644));
    int fd = inotify_init1(IN_NONBLOCK);
    const char *paths[NW] = {D "/t", D "/t/file", D "/t/dir", D "/t/dir/file", D, D "/other"};
    for (int i = 0; i < NW; i++)
        wds[i] = inotify_add_watch(fd, paths[i], IN_ALL_EVENTS);
    CHECK(umount2(D "/t", flags));
    show(fd);
    for (int i = 0; i < NW; i++)
        printf("rm_watch %s: %s\n", names[i], inotify_rm_watch(fd, wds[i]) < 0 ? errno_name(errno) : "ok");
    show(fd);
    close(fd);
}

int main(void)
{
    unshare(CLONE_NEWNS);
    mkdir(D, 0755);
    mkdir(D "/t", 0755);
    close(open(D "/other", O_CREAT | O_WRONLY, 0644));
    unmount_round("umount2", 0);
    unmount_round("MNT_DETACH", MNT_DETACH);
    unlink(D "/other");
    rmdir(D "/t");
    rmdir(D);
    return 0;
}
