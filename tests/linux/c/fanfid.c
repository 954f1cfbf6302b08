/*
 * tests/linux/c/fanfid.c - fanotify's FID reporting groups as root:
 * checks of FAN_REPORT_FID, FAN_REPORT_DIR_FID, FAN_REPORT_NAME and
 * FAN_REPORT_TARGET_FID (with the classes, with each other, with
 * FAN_REPORT_PIDFD), fanotify_mark's checks of the events that need FID
 * (a mount's, FAN_RENAME without names), and a user's group, which may
 * report FIDs alone and mark inodes alone.  The marks that get past
 * these checks are not made here: fanfidrec.c marks ext2 and /tmp's
 * file system, which have an fsid.
 */
#define _GNU_SOURCE
#include "check.h"
#include "fanabi.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* linux/fanotify.h's, which musl's headers do not have */
#define FAN_OPEN 0x20
#define FAN_CREATE 0x100
#define FAN_RENAME 0x10000000
#define FAN_OPEN_PERM 0x10000
#define FAN_CLASS_CONTENT 0x4
#define FAN_REPORT_PIDFD 0x80
#define FAN_UNLIMITED_QUEUE 0x10
#define FAN_MARK_ADD 1
#define FAN_MARK_MOUNT 0x10
#define FAN_MARK_FILESYSTEM 0x100

/* An init's result: ok, or its errno (its descriptor closed). */
#define INIT(flags)                                                                                                    \
    do {                                                                                                               \
        long g_ = fan_init(flags, O_RDONLY);                                                                           \
        printf("%-70s = %s\n", "fan_init(" #flags ")", g_ >= 0 ? "ok" : strerror(errno));                              \
        if (g_ >= 0)                                                                                                   \
            close((int)g_);                                                                                            \
        errno = 0;                                                                                                     \
    } while (0)

int main(void)
{
    INIT(FAN_REPORT_FID);
    INIT(FAN_REPORT_DIR_FID);
    INIT(FAN_REPORT_NAME);
    INIT(FAN_REPORT_DFID_NAME);
    INIT(FAN_REPORT_FID | FAN_REPORT_DFID_NAME);
    INIT(FAN_REPORT_TARGET_FID);
    INIT(FAN_REPORT_TARGET_FID | FAN_REPORT_FID | FAN_REPORT_DIR_FID);
    INIT(FAN_REPORT_TARGET_FID | FAN_REPORT_DFID_NAME);
    INIT(FAN_REPORT_TARGET_FID | FAN_REPORT_FID | FAN_REPORT_DFID_NAME);
    INIT(FAN_REPORT_FID | FAN_CLASS_CONTENT);
    INIT(FAN_REPORT_PIDFD | FAN_REPORT_FID | FAN_REPORT_DFID_NAME);

    int g = fan_init(FAN_REPORT_FID, O_RDONLY);
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_CREATE, AT_FDCWD, "/proc"));
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_RENAME, AT_FDCWD, "/proc"));
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD, "/proc"));
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_CREATE, AT_FDCWD, "/nonexistent"));
    close(g);
    g = fan_init(0, O_RDONLY);
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, "/proc/self/status"));
    close(g);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(1000) < 0)
            _exit(1);
        INIT(0);
        INIT(FAN_REPORT_FID | FAN_UNLIMITED_QUEUE);
        INIT(FAN_REPORT_PIDFD | FAN_REPORT_FID);
        INIT(FAN_REPORT_FID);
        g = fan_init(FAN_REPORT_DFID_NAME, O_RDONLY);
        CHECK(g >= 0);
        CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD, "/proc"));
        CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_CREATE, AT_FDCWD, "/proc"));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
