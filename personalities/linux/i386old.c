/*
 * personalities/linux/i386old.c - i386's old calls that Linux keeps for
 * old programs (docs/i386.md): umount (umount2 without flags), nice,
 * olduname and oldolduname (the old utsname structures), getdents (the
 * 32-bit struct linux_dirent) and readdir (one old_linux_dirent a call),
 * each run on the 64-bit call it was replaced by.
 *
 * Entry points: the i386 table.  Layer: above io, sys, sched, mount.
 * Book: docs/i386.md.
 */
#include "i386.h"
#include "proc.h"
#include <string.h>
#include "linux_entries/i386old.h" /* generated: the handlers' prototypes, entries */
#include "linux_entries/all.h" /* the 64-bit handlers' entries */

static int64_t sys32_umount(struct sys_ctx *c, uint64_t upath)
{
    return i386_run(c, entry_umount2, (uint64_t[6]){upath, 0}, NULL, 0);
}

/* Linux's sys_nice: the increment clamped to 40 either way, the nice
 * value to -20..19; lowering it without the right is EPERM. */
static int64_t sys32_nice(struct sys_ctx *c, int inc)
{
    int64_t prio = i386_run(c, entry_getpriority, (uint64_t[6]){0, 0}, NULL, 0); /* PRIO_PROCESS: 20 - nice */
    if (prio < 0)
        return prio;
    inc = inc < -40 ? -40 : inc > 40 ? 40 : inc;
    int nice = (int)(20 - prio) + inc;
    nice = nice < -20 ? -20 : nice > 19 ? 19 : nice;
    int64_t r = i386_run(c, entry_setpriority, (uint64_t[6]){0, 0, (uint32_t)nice}, NULL, 0);
    return r == -LINUX_EACCES ? -LINUX_EPERM : r;
}

/* ---- the old utsnames ---- */

#define UTS_LEN 65
#define OLD_UTS_LEN 8

/* The 64-bit uname's six fields, or -errno. */
static int64_t uname_of(struct sys_ctx *c, uint64_t ubuf, char u[6][UTS_LEN])
{
    if (!ubuf)
        return -LINUX_EFAULT;
    return i386_run(c, entry_uname, (uint64_t[6]){I386_BOUNCE_VA}, u, 6 * UTS_LEN);
}

/* struct old_utsname: the first five fields. */
static int64_t sys32_olduname(struct sys_ctx *c, uint64_t ubuf)
{
    char u[6][UTS_LEN];
    int64_t r = uname_of(c, ubuf, u);
    return r < 0 ? r : mem_out(c->p, ubuf, u, 5 * UTS_LEN) < 0 ? -LINUX_EFAULT : 0;
}

/* struct oldold_utsname: five fields of nine bytes, eight of each name. */
static int64_t sys32_oldolduname(struct sys_ctx *c, uint64_t ubuf)
{
    char u[6][UTS_LEN], o[5][OLD_UTS_LEN + 1];
    int64_t r = uname_of(c, ubuf, u);
    if (r < 0)
        return r;
    for (int i = 0; i < 5; i++) {
        memcpy(o[i], u[i], OLD_UTS_LEN);
        o[i][OLD_UTS_LEN] = 0;
    }
    return mem_out(c->p, ubuf, o, sizeof o) < 0 ? -LINUX_EFAULT : 0;
}

/* ---- directory entries ---- */

#define DIRENT_ROOM 65536

/* getdents64's records in buf (n bytes) as 32-bit linux_dirents into out
 * (room bytes; with one, an old_linux_dirent, the first alone): the bytes
 * written, or -EOVERFLOW when the first does not fit its numbers.
 * *next: the offset of the directory after the last one taken (-1: all). */
static int64_t dirents32(const uint8_t *buf, int64_t n, uint8_t *out, uint64_t room, bool one, int64_t *next)
{
    uint64_t put = 0;
    *next = -1;
    for (int64_t at = 0; at < n;) {
        uint64_t ino, off;
        uint16_t reclen;
        memcpy(&ino, buf + at, 8);
        memcpy(&off, buf + at + 8, 8);
        memcpy(&reclen, buf + at + 16, 2);
        uint8_t type = buf[at + 18];
        const char *name = (const char *)buf + at + 19;
        size_t len = strlen(name);
        uint16_t rec = one ? (uint16_t)(10 + len + 1) : (uint16_t)((10 + len + 2 + 3) & ~3u);
        if (ino > UINT32_MAX || off > UINT32_MAX || put + rec > room) {
            if (!put)
                return ino > UINT32_MAX || off > UINT32_MAX ? -LINUX_EOVERFLOW : -LINUX_EINVAL;
            return (int64_t)put;
        }
        uint32_t w[2] = {(uint32_t)ino, (uint32_t)off};
        memcpy(out + put, w, 8);
        memcpy(out + put + 8, one ? &(uint16_t){(uint16_t)len} : &rec, 2);
        memcpy(out + put + 10, name, len + 1);
        if (!one) {
            memset(out + put + 11 + len, 0, rec - 11 - len);
            out[put + rec - 1] = type;
        }
        put += rec;
        at += reclen;
        *next = at < n ? (int64_t)off : -1;
        if (one)
            return (int64_t)put;
    }
    *next = -1;
    return (int64_t)put;
}

/* Reads entries with getdents64 (twice the room: a 64-bit record is at
 * most twice a 32-bit one), writes as many as fit, and moves the
 * directory back to just after the last one written. */
static int64_t dirents(struct sys_ctx *c, uint64_t fd, uint64_t udirp, uint64_t count, bool one)
{
    static uint8_t buf[2 * DIRENT_ROOM], out[DIRENT_ROOM];
    uint64_t room = count < DIRENT_ROOM ? count : DIRENT_ROOM;
    int64_t pos = i386_run(c, entry_lseek, (uint64_t[6]){fd, 0, 1}, NULL, 0); /* SEEK_CUR */
    int64_t n = i386_run(c, entry_getdents64, (uint64_t[6]){fd, I386_BOUNCE_VA, one ? 1024 : 2 * room}, buf, sizeof buf);
    if (n <= 0)
        return n;
    int64_t next, put = dirents32(buf, n, out, one ? sizeof out : room, one, &next);
    if (put < 0 || next >= 0) /* not all taken: the directory goes back */
        i386_run(c, entry_lseek, (uint64_t[6]){fd, (uint64_t)(put < 0 ? pos : next), 0}, NULL, 0);
    if (put < 0)
        return put;
    if (mem_out(c->p, udirp, out, (size_t)put) < 0)
        return -LINUX_EFAULT;
    return one ? 1 : put;
}

static int64_t sys32_getdents(struct sys_ctx *c, uint64_t fd, uint64_t udirp, uint64_t count)
{
    return dirents(c, fd, udirp, count, false);
}

/* old_readdir: one entry, 1; at the end, 0. */
static int64_t sys32_readdir(struct sys_ctx *c, uint64_t fd, uint64_t udirent, uint64_t count)
{
    (void)count;
    return dirents(c, fd, udirent, 1024, true);
}
