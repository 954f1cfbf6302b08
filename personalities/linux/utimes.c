/*
 * personalities/linux/utimes.c - a file's access and modification times:
 * utimensat (nanoseconds, UTIME_NOW and UTIME_OMIT), and the older calls
 * over it: utime (seconds), utimes and futimesat (microseconds).  NULL
 * times mean now, which anyone who may write the file may set; times of
 * one's choosing, or one time now and the other kept, are the owner's (or
 * root's).  The change time becomes
 * now.
 *
 * Entry points: the calls' handlers (syscalls.def).  Callers: the syscall
 * table.  Layer: above file.h and fs.h, beside path.c.  Book:
 * docs/linux.md, "Files".
 */
#include "file.h"
#include "fsnotify.h"
#include "proc.h"
#include "time.h"
#include "linux_entries/utimes.h" /* generated: the handlers' prototypes, entries */

/* Seconds and nanoseconds as the ns count an inode keeps, saturated past
 * the 292 years either side of 1970 it holds. */
static int64_t times_ns(int64_t sec, int64_t nsec)
{
    const int64_t max = INT64_MAX / 1000000000 - 1;
    return (sec > max ? max : sec < -max ? -max : sec) * 1000000000 + nsec;
}

/* Sets ino's times from ts, two (seconds, nanoseconds) pairs whose
 * nanoseconds may be UTIME_NOW or UTIME_OMIT, under Linux's rules. */
static int64_t set_times(struct inode *ino, const int64_t ts[4])
{
    int64_t now = realtime_ns();
    if (fs_want_write(ino) < 0)
        return -LINUX_EROFS;
    for (int k = 1; k < 4; k += 2)
        if (ts[k] != UTIME_NOW && ts[k] != UTIME_OMIT && (ts[k] < 0 || ts[k] >= 1000000000))
            return -LINUX_EINVAL;
    /* times of one's choosing, or one time left (UTIME_OMIT): the owner's (or root's), as Linux's
     * ATTR_TIMES_SET; both now (or NULL): also anyone who may write it (ATTR_TOUCH) */
    bool now_only = ts[1] == UTIME_NOW && ts[3] == UTIME_NOW;
    if (fs_is_immutable(ino) || (!now_only && fs_is_append(ino)))
        return -LINUX_EPERM; /* Linux's may_setattr, before the owner's checks: append-only takes now alone */
    if (!fs_owner(ino) && (!now_only || fs_permission(ino, MAY_WRITE) < 0))
        return now_only ? -LINUX_EACCES : -LINUX_EPERM;
    int64_t *dst[2] = {&ino->atime, &ino->mtime};
    for (int k = 0; k < 2; k++)
        if (ts[2 * k + 1] != UTIME_OMIT) /* which keeps it */
            *dst[k] = ts[2 * k + 1] == UTIME_NOW ? now : times_ns(ts[2 * k], ts[2 * k + 1]);
    ino->ctime = now;
    /* both times: an attribute change; one: an access or a modification (Linux's fsnotify_change) */
    bool at = ts[1] != UTIME_OMIT, mt = ts[3] != UTIME_OMIT;
    if (at || mt)
        fsnotify_change(ino, at && mt ? IN_ATTRIB : at ? IN_ACCESS : IN_MODIFY);
    return 0;
}

/* Access and modification times: NULL for now, or two timespecs each
 * of which may be UTIME_NOW or UTIME_OMIT. */
static int64_t sys_utimensat(struct sys_ctx *c, int dirfd, uint64_t upath, uint64_t utimes, int flags)
{
    struct inode *ino;
    int64_t ts[4] = {0, UTIME_NOW, 0, UTIME_NOW};
    if (utimes && mem_in(c->p, ts, utimes, sizeof ts) < 0)
        return -LINUX_EFAULT;
    if (ts[1] == UTIME_OMIT && ts[3] == UTIME_OMIT)
        return 0; /* nothing to do: as Linux, not even the path is looked at */
    if (upath || dirfd == AT_FDCWD ? flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) : flags)
        return -LINUX_EINVAL; /* a descriptor's own times (NULL path) take no flag */
    if (!upath && dirfd == AT_FDCWD)
        return -LINUX_EFAULT; /* no descriptor: the NULL is a path, as Linux's do_utimes */
    int r = path_target(c, dirfd, upath, flags, &ino);
    return r < 0 ? r : set_times(ino, ts);
}

/* The times ts of the file a path names from dirfd, or dirfd's own for
 * a NULL path (futimesat's; AT_FDCWD has none: EFAULT, as Linux's
 * getname of NULL). */
static int64_t path_times(struct sys_ctx *c, int dirfd, uint64_t upath, const int64_t ts[4])
{
    struct inode *ino;
    if (!upath && dirfd == AT_FDCWD)
        return -LINUX_EFAULT;
    int r = path_target(c, dirfd, upath, 0, &ino);
    return r < 0 ? r : set_times(ino, ts);
}

/* utimes and futimesat: two timevals, or NULL for now, read and checked
 * (microseconds from 0 to 999999) before the path is looked up, as
 * Linux's. */
static int64_t timevals(struct sys_ctx *c, int dirfd, uint64_t upath, uint64_t utv)
{
    int64_t tv[4], ts[4] = {0, UTIME_NOW, 0, UTIME_NOW};
    if (utv) {
        if (mem_in(c->p, tv, utv, sizeof tv) < 0)
            return -LINUX_EFAULT;
        for (int k = 1; k < 4; k += 2)
            if (tv[k] < 0 || tv[k] >= 1000000)
                return -LINUX_EINVAL;
        for (int k = 0; k < 4; k++)
            ts[k] = k & 1 ? tv[k] * 1000 : tv[k];
    }
    return path_times(c, dirfd, upath, ts);
}

static int64_t sys_utimes(struct sys_ctx *c, uint64_t upath, uint64_t utimes)
{
    return timevals(c, AT_FDCWD, upath, utimes);
}

static int64_t sys_futimesat(struct sys_ctx *c, int dirfd, uint64_t upath, uint64_t utimes)
{
    return timevals(c, dirfd, upath, utimes);
}

/* utime: a struct utimbuf, two times in whole seconds, or NULL for now. */
static int64_t sys_utime(struct sys_ctx *c, uint64_t upath, uint64_t utimes)
{
    int64_t b[2], ts[4] = {0, UTIME_NOW, 0, UTIME_NOW};
    if (utimes && mem_in(c->p, b, utimes, sizeof b) < 0)
        return -LINUX_EFAULT;
    if (utimes)
        ts[0] = b[0], ts[1] = 0, ts[2] = b[1], ts[3] = 0;
    return path_times(c, AT_FDCWD, upath, ts);
}
