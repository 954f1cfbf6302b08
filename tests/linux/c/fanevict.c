/*
 * tests/linux/c/fanevict.c - fanotify's evictable inode marks on ext2 (as
 * LTP's fanotify23 uses them): an evictable mark becomes a pinned one by
 * an add without the flag, and not back (EEXIST); an evictable ignore
 * mark hides a file's FAN_ATTRIB from a file system mark until
 * drop_caches evicts the file's inode, and the mark with it (a remove is
 * then ENOENT, and the event is heard again); while the file is open,
 * or a pinned mark or an inotify watch is on it, drop_caches leaves the
 * mark.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "fanabi.h"
#include "ext2img.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define FAN_ACCESS 0x1
#define FAN_ATTRIB 0x4
#define FAN_CLASS_NOTIF 0
#define FAN_NONBLOCK 0x2
#define FAN_MARK_ADD 0x1
#define FAN_MARK_REMOVE 0x2
#define FAN_MARK_IGNORED_MASK 0x20
#define FAN_MARK_IGNORED_SURV_MODIFY 0x40
#define FAN_MARK_FILESYSTEM 0x100
#define FAN_MARK_EVICTABLE 0x200

#define IMG "/tmp/fanevict.img"
#define MNT "/tmp/fanevict.mnt"
#define FILE_ MNT "/f"

static void drop(void)
{
    sync();
    for (int i = 0; i < 2; i++) { /* as LTP's: the second pass reclaims what the first cycled */
        int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
        if (fd < 0 || write(fd, "3", 1) != 1)
            printf("drop_caches: %s\n", errno_name(errno));
        close(fd);
    }
}

/* Whether g's evictable mark on the file is still there: a remove of a
 * bit it never had is ENOENT once the mark is gone. */
static void mark_there(int g, const char *when)
{
    long r = fan_mark(g, FAN_MARK_REMOVE, FAN_ACCESS, AT_FDCWD, FILE_);
    printf("%s: the mark %s\n", when, r == 0 ? "is there" : errno == ENOENT ? "is gone" : errno_name(errno));
}

static void events(int g, const char *when)
{
    char buf[4096];
    long n = read(g, buf, sizeof buf);
    if (n < 0) {
        printf("%s: no event (%s)\n", when, errno_name(errno));
        return;
    }
    for (long off = 0; off < n;) {
        struct meta *m = (struct meta *)(buf + off);
        printf("%s: event mask %#llx\n", when, (unsigned long long)m->mask);
        off += m->event_len;
    }
}

/* A new evictable ignore mark for FAN_ATTRIB on the file, which the
 * file system mark's chmod then does not report. */
static void ignore(int g)
{
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_EVICTABLE | FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY,
                   FAN_ATTRIB | FAN_ACCESS, AT_FDCWD, FILE_));
    CHECK(chmod(FILE_, 0600));
    events(g, "ignored");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int ldev;
    if (ext2_image(IMG, MNT, &ldev) < 0)
        return 1;
    close(open(FILE_, O_CREAT | O_WRONLY, 0644));
    int g = (int)fan_init(FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_NONBLOCK, O_RDONLY);
    printf("group: %s\n", g >= 0 ? "made" : errno_name(errno));

    /* evictable, pinned, not evictable again */
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_EVICTABLE, FAN_ACCESS, AT_FDCWD, FILE_));
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_ACCESS, AT_FDCWD, FILE_));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_EVICTABLE, FAN_ACCESS, AT_FDCWD, FILE_));
    CHECK(fan_mark(g, FAN_MARK_REMOVE, FAN_ACCESS, AT_FDCWD, FILE_));
    mark_there(g, "emptied");
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_EVICTABLE, FAN_ACCESS, AT_FDCWD, MNT));

    /* the file system's ATTRIB, hidden by the evictable ignore mark until drop_caches */
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_ATTRIB, AT_FDCWD, MNT));
    CHECK(chmod(FILE_, 0600));
    events(g, "file system mark");
    ignore(g);
    drop();
    mark_there(g, "after drop_caches");
    CHECK(chmod(FILE_, 0644));
    events(g, "after drop_caches");

    /* what pins it: an open file, a pinned mark of another group, a watch */
    ignore(g);
    int fd = open(FILE_, O_RDONLY);
    drop();
    mark_there(g, "open, after drop_caches");
    close(fd);
    ignore(g);
    int g2 = (int)fan_init(FAN_CLASS_NOTIF | FAN_REPORT_FID, O_RDONLY);
    CHECK(fan_mark(g2, FAN_MARK_ADD, FAN_ACCESS, AT_FDCWD, FILE_));
    drop();
    mark_there(g, "pinned by another group, after drop_caches");
    close(g2);
    ignore(g);
    int in = inotify_init1(0);
    CHECK(inotify_add_watch(in, FILE_, IN_ATTRIB) > 0);
    drop();
    mark_there(g, "watched, after drop_caches");
    close(in);
    drop();
    mark_there(g, "no longer watched, after drop_caches");

    close(g);
    CHECK(umount(MNT));
    CHECK(ioctl(ldev, LOOP_CLR_FD, 0));
    rmdir(MNT);
    unlink(IMG);
    return 0;
}
