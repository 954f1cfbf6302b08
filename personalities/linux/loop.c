/*
 * personalities/linux/loop.c - loop devices, as Linux's
 * drivers/block/loop.c: /dev/loopN (block, 7:N) reads and writes a
 * backing file's bytes from lo_offset, at most lo_sizelimit of them, in
 * 512-byte sectors; /dev/loop-control (10:237) finds a free device
 * (LOOP_CTL_GET_FREE, making one if none is), adds and removes them.
 * The backing file must be a regular file (Linux also takes a block
 * device).  A device is unbound (reads 0 bytes, writes ENOSPC), or bound
 * to a file it holds open until LOOP_CLR_FD or, with LO_FLAGS_AUTOCLEAR
 * (which LOOP_CLR_FD sets while another descriptor has it open), until
 * its last close; a mounted file system holds it as an open file does
 * (ext2.c).  There is no partition table (BLKRRPART is EINVAL).
 *
 * Each device counts its requests as the block layer does
 * (/sys/block/loopN/stat), a file system's on it too (loop_count).
 *
 * Entry points: loop_file_ops, loop_control_fops, loop_init, loop_state,
 * loop_hold, loop_count (loop.h).  Callers: dev.c, sysfs, ext2.c.  Layer: the file system's; it reads the caller's
 * descriptors (proc.h).  Book: docs/linux.md, "Block and loop devices".
 */
#include "loop.h"
#include "proc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LO_SETTABLE (LO_FLAGS_AUTOCLEAR | LO_FLAGS_PARTSCAN) /* by LOOP_SET_STATUS; only AUTOCLEAR clears */
#define BLKBSZGET_32 0x80041270 /* i386's numbers of the size_t ones (Linux's compat_blkdev_ioctl) */
#define BLKBSZSET_32 0x40041271
#define BLKGETSIZE64_32 0x80041272

struct loop_info_i386 { /* the old one, i386's (Linux's compat_loop_info) */
    int32_t lo_number;
    uint16_t lo_device;
    uint32_t lo_inode;
    uint16_t lo_rdevice;
    int32_t lo_offset, lo_encrypt_type, lo_encrypt_key_size, lo_flags;
    char lo_name[64];
    uint8_t lo_encrypt_key[32];
    uint32_t lo_init[2];
    char reserved[4];
};
_Static_assert(sizeof(struct loop_info_i386) == 140, "struct compat_loop_info");


/* A loop device.  backing is NULL while it is unbound; size is the
 * device's bytes, fixed at binding and by LOOP_SET_STATUS and
 * LOOP_SET_CAPACITY (the file may grow or shrink meanwhile, as on Linux). */
struct loop {
    int number;
    struct file *backing;
    uint64_t offset, sizelimit, size;
    uint32_t flags;     /* LO_FLAGS_* */
    bool ro;            /* BLKROSET's */
    bool disk_ro;       /* the last binding was read-only (Linux's set_disk_ro): kept once unbound */
    uint32_t bsize;     /* the logical block size: 512 to 4096 */
    uint64_t ra_pages;  /* the read-ahead (BLKRASET's, in pages; Linux's bdi ra_pages, 128 KiB at first) */
    char name[64];      /* lo_file_name, as LOOP_SET_STATUS gave it */
    bool rundown;       /* LOOP_CLR_FD from its one open file: still holding the file, which its I/O may
                           no longer reach (EIO), until that file closes (Linux's Lo_rundown) */
    int openers;        /* open files of its nodes */
    struct inode *node; /* /dev/loopN */
    struct loop_iostat stat;
    uint64_t last_ms;   /* the ms of the last request, which io_ms counted */
};

static struct loop *loops[LOOP_MAX];
static struct inode *devdir;

static struct loop *loop_of(uint32_t rdev)
{
    uint32_t minor = (rdev & 0xff) | (rdev >> 12 & 0xfff00);
    return minor < LOOP_MAX ? loops[minor] : NULL;
}

static int loop_add(int n)
{
    if (n < 0)
        for (n = 0; n < LOOP_MAX && loops[n]; n++)
            ;
    if (n >= LOOP_MAX)
        return -LINUX_ENOMEM;
    if (loops[n])
        return -LINUX_EEXIST;
    struct loop *lo = calloc(1, sizeof *lo);
    if (!lo)
        return -LINUX_ENOMEM;
    *lo = (struct loop){.number = n, .bsize = 512, .ra_pages = 32};
    loops[n] = lo;
    char name[16];
    snprintf(name, sizeof name, "loop%d", n);
    if (devdir && fs_create(devdir, name, S_IFBLK | 0660, &lo->node) == 0) {
        lo->node->rdev = (uint32_t)(LOOP_MAJOR << 8 | (n & 0xff) | (n & ~0xff) << 12);
        lo->node->gid = 6; /* disk, as udev makes them */
    }
    return n;
}

static void loop_size(struct loop *lo)
{
    uint64_t bytes = lo->backing->inode->size;
    bytes = bytes > lo->offset ? bytes - lo->offset : 0;
    if (lo->sizelimit && lo->sizelimit < bytes)
        bytes = lo->sizelimit;
    lo->size = bytes & ~511ull;
}

static void loop_unbind(struct loop *lo)
{
    struct file *b = lo->backing;
    *lo = (struct loop){.number = lo->number, .ro = lo->ro, .disk_ro = lo->disk_ro, .bsize = 512,
                        .openers = lo->openers, .node = lo->node};
    file_put(b);
}

static bool loop_ro(const struct loop *lo) { return lo->ro || lo->disk_ro; }

/* Bound and not running down: what the status calls and LOOP_CLR_FD need
 * (else ENXIO). */
static bool loop_bound(const struct loop *lo) { return lo->backing && !lo->rundown; }

/* ---- /dev/loopN ---- */

static int loop_open(struct sys_ctx *c, struct file *f, int flags)
{
    (void)c, (void)flags;
    struct loop *lo = loop_of(f->inode->rdev);
    if (!lo)
        return -LINUX_ENXIO;
    f->loop = lo;
    lo->openers++;
    return 0;
}

static void loop_put(struct loop *lo)
{
    if (--lo->openers == 0 && lo->backing && (lo->flags & LO_FLAGS_AUTOCLEAR))
        loop_unbind(lo);
}

static void loop_release(struct file *f) { loop_put(f->loop); }

void loop_hold(uint32_t rdev, bool hold)
{
    struct loop *lo = ((rdev >> 8) & 0xfff) == LOOP_MAJOR ? loop_of(rdev) : NULL;
    if (lo && hold)
        lo->openers++;
    else if (lo)
        loop_put(lo);
}

void loop_count(int n, bool write, uint64_t bytes, uint64_t started)
{
    struct loop *lo = n >= 0 && n < LOOP_MAX ? loops[n] : NULL;
    if (!lo || !bytes)
        return;
    uint64_t now = (uint64_t)sys_clock_ns(), first = started / 1000000, last = now / 1000000;
    struct loop_iostat *st = &lo->stat;
    st->ios[write]++;
    st->sectors[write] += (bytes + 511) / 512;
    st->ns[write] += now - started;
    /* busy time as Linux's update_io_ticks counts it: each tick (here a
     * ms) in which a request ran, once */
    uint64_t from = first > lo->last_ms ? first : lo->last_ms + 1; /* the first ms not counted yet */
    if (last >= from)
        st->io_ms += last - from + 1, lo->last_ms = last;
}

static int64_t loop_kread(struct file *f, char *buf, uint64_t n, uint64_t *pos)
{
    struct loop *lo = f->loop;
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return -LINUX_EBADF;
    if (!lo->backing || *pos >= lo->size || !n)
        return 0;
    if (lo->rundown)
        return -LINUX_EIO;
    n = n < lo->size - *pos ? n : lo->size - *pos;
    uint64_t t0 = (uint64_t)sys_clock_ns();
    size_t k = fs_read(lo->backing->inode, lo->offset + *pos, buf, n);
    memset(buf + k, 0, n - k); /* a file cut short since: zeros */
    loop_count(lo->number, false, n, t0);
    *pos += n;
    return (int64_t)n;
}

static int64_t loop_kwrite(struct file *f, const char *buf, uint64_t n, uint64_t *pos)
{
    struct loop *lo = f->loop;
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -LINUX_EBADF;
    if (loop_ro(lo))
        return -LINUX_EPERM;
    if (!n)
        return 0;
    if (*pos >= lo->size)
        return -LINUX_ENOSPC;
    if (lo->rundown || (lo->backing->inode->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
        return -LINUX_EIO; /* a sealed memfd refuses the write the device passes on */
    n = n < lo->size - *pos ? n : lo->size - *pos;
    uint64_t t0 = (uint64_t)sys_clock_ns();
    int r = fs_write(lo->backing->inode, lo->offset + *pos, buf, n);
    if (r < 0)
        return r;
    loop_count(lo->number, true, n, t0);
    *pos += n;
    return (int64_t)n;
}

static int64_t loop_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    return file_copy_io(c, f, ubuf, len, false, at);
}

static int64_t loop_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    return file_copy_io(c, f, ubuf, len, true, at);
}

static int64_t loop_dev_size(const struct file *f) { return (int64_t)f->loop->size; }

/* LOOP_SET_FD and LOOP_CONFIGURE's binding: EBADF, EBUSY if bound (or
 * running down), EINVAL for a file that is not regular. */
static int loop_bind(struct sys_ctx *c, struct file *f, struct loop *lo, uint64_t fd)
{
    struct file *b = fd_file(c->p, fd);
    if (!b)
        return -LINUX_EBADF;
    if (lo->backing)
        return -LINUX_EBUSY;
    if (b->kind != FILE_INODE || (b->inode->mode & S_IFMT) != S_IFREG || b->ops != &inode_fops)
        return -LINUX_EINVAL;
    lo->backing = file_get(b);
    lo->flags = (b->flags & O_ACCMODE) == O_RDONLY || (f->flags & O_ACCMODE) == O_RDONLY ? LO_FLAGS_READ_ONLY : 0;
    lo->disk_ro = lo->flags & LO_FLAGS_READ_ONLY;
    loop_size(lo);
    return 0;
}

/* LOOP_SET_STATUS's fields, from the 64-bit form. */
static int loop_set_status(struct loop *lo, const struct loop_info64 *i)
{
    if (!loop_bound(lo))
        return -LINUX_ENXIO;
    if (i->lo_encrypt_type || i->lo_encrypt_key_size > 32)
        return -LINUX_EINVAL;
    if (i->lo_offset > INT64_MAX || i->lo_sizelimit > INT64_MAX)
        return -LINUX_EOVERFLOW;
    uint32_t prev = lo->flags;
    lo->flags = (i->lo_flags & LO_SETTABLE) | (prev & ~LO_SETTABLE) | (prev & ~LO_FLAGS_AUTOCLEAR & LO_SETTABLE);
    lo->offset = i->lo_offset, lo->sizelimit = i->lo_sizelimit;
    memcpy(lo->name, i->lo_file_name, sizeof lo->name);
    lo->name[sizeof lo->name - 1] = 0;
    loop_size(lo);
    return 0;
}

static void loop_get_status(const struct loop *lo, struct loop_info64 *i)
{
    memset(i, 0, sizeof *i);
    *i = (struct loop_info64){.lo_inode = lo->backing->inode->ino,
                              .lo_offset = lo->offset, .lo_sizelimit = lo->sizelimit,
                              .lo_number = (uint32_t)lo->number, .lo_flags = lo->flags};
    memcpy(i->lo_file_name, lo->name, sizeof lo->name);
}

/* The old structure to and from an i386 program: the same fields, narrower. */
static int loop_old_in(struct sys_ctx *c, uint64_t arg, struct loop_info *o)
{
    if (!c->i386)
        return mem_in(c->p, o, arg, sizeof *o);
    struct loop_info_i386 n;
    if (mem_in(c->p, &n, arg, sizeof n) < 0)
        return -1;
    *o = (struct loop_info){.lo_number = n.lo_number, .lo_offset = n.lo_offset,
                            .lo_encrypt_type = n.lo_encrypt_type, .lo_flags = n.lo_flags};
    memcpy(o->lo_name, n.lo_name, sizeof n.lo_name);
    return 0;
}

static int loop_old_out(struct sys_ctx *c, uint64_t arg, const struct loop_info *o)
{
    if (!c->i386)
        return mem_out(c->p, arg, o, sizeof *o);
    struct loop_info_i386 n;
    memset(&n, 0, sizeof n);
    n.lo_number = o->lo_number, n.lo_inode = (uint32_t)o->lo_inode, n.lo_offset = o->lo_offset;
    n.lo_flags = o->lo_flags;
    memcpy(n.lo_name, o->lo_name, sizeof n.lo_name);
    return mem_out(c->p, arg, &n, sizeof n);
}

static int64_t loop_status_old(struct sys_ctx *c, struct loop *lo, uint64_t arg, bool set)
{
    struct loop_info o;
    struct loop_info64 i;
    if (!arg)
        return -LINUX_EINVAL;
    if (set) {
        if (loop_old_in(c, arg, &o) < 0)
            return -LINUX_EFAULT;
        i = (struct loop_info64){.lo_offset = (uint64_t)(int64_t)o.lo_offset, /* no sizelimit: 0 */
                                 .lo_encrypt_type = (uint32_t)o.lo_encrypt_type, .lo_flags = (uint32_t)o.lo_flags};
        memcpy(i.lo_file_name, o.lo_name, sizeof o.lo_name);
        return loop_set_status(lo, &i);
    }
    if (!loop_bound(lo))
        return -LINUX_ENXIO;
    loop_get_status(lo, &i);
    if (i.lo_offset > INT32_MAX)
        return -LINUX_EOVERFLOW;
    memset(&o, 0, sizeof o);
    o = (struct loop_info){.lo_number = lo->number, .lo_inode = i.lo_inode, .lo_offset = (int32_t)i.lo_offset,
                           .lo_flags = (int32_t)i.lo_flags};
    memcpy(o.lo_name, i.lo_file_name, sizeof o.lo_name);
    return loop_old_out(c, arg, &o) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t loop_configure(struct sys_ctx *c, struct file *f, struct loop *lo, uint64_t arg)
{
    struct loop_config cfg;
    if (mem_in(c->p, &cfg, arg, sizeof cfg) < 0)
        return -LINUX_EFAULT;
    uint32_t bs = cfg.block_size;
    if (bs && (bs < 512 || bs > 4096 || (bs & (bs - 1))))
        return -LINUX_EINVAL;
    if (lo->backing)
        return -LINUX_EBUSY;
    int r = loop_bind(c, f, lo, cfg.fd);
    if (r < 0)
        return r;
    uint32_t ro = lo->flags & LO_FLAGS_READ_ONLY;
    lo->offset = cfg.info.lo_offset, lo->sizelimit = cfg.info.lo_sizelimit;
    lo->flags = ro | (cfg.info.lo_flags & (LO_FLAGS_READ_ONLY | LO_SETTABLE | LO_FLAGS_DIRECT_IO));
    lo->disk_ro = lo->flags & LO_FLAGS_READ_ONLY;
    memcpy(lo->name, cfg.info.lo_file_name, sizeof lo->name);
    lo->name[sizeof lo->name - 1] = 0;
    lo->bsize = bs ? bs : 512;
    loop_size(lo);
    return 0;
}

/* LOOP_CLR_FD: the file goes at the last close (Linux sets
 * LO_FLAGS_AUTOCLEAR); from the one open file, the device runs down at
 * once. */
static int64_t loop_clear(struct loop *lo)
{
    if (!loop_bound(lo))
        return -LINUX_ENXIO;
    lo->flags |= LO_FLAGS_AUTOCLEAR;
    lo->rundown = lo->openers == 1;
    return 0;
}

static int64_t put_u64(struct sys_ctx *c, uint64_t arg, uint64_t v)
{
    return mem_out(c->p, arg, &v, sizeof v) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t put_int(struct sys_ctx *c, uint64_t arg, int v)
{
    return mem_out(c->p, arg, &v, sizeof v) < 0 ? -LINUX_EFAULT : 0;
}

/* BLKDISCARD: a range of whole sectors within the device, punched out
 * of the backing file. */
static int64_t loop_discard(struct sys_ctx *c, struct file *f, struct loop *lo, uint64_t arg)
{
    uint64_t range[2];
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -LINUX_EBADF;
    if (loop_ro(lo))
        return -LINUX_EPERM;
    if (mem_in(c->p, range, arg, sizeof range) < 0)
        return -LINUX_EFAULT;
    if ((range[0] | range[1]) & 511 || range[0] + range[1] < range[0] || range[0] + range[1] > lo->size)
        return -LINUX_EINVAL;
    struct inode *b = lo->backing ? lo->backing->inode : NULL;
    if (b && !b->fs->iops->punch)
        return -LINUX_EOPNOTSUPP; /* a backing file whose file system punches no holes (ext2) */
    if (range[1] && b)
        b->fs->iops->punch(b, lo->offset + range[0], range[1]);
    return 0;
}

/* The block layer's ioctls (Linux's blkdev_ioctl), for any loop device. */
static int64_t loop_block_ioctl(struct sys_ctx *c, struct file *f, struct loop *lo, uint64_t req, uint64_t arg)
{
    int v;
    if (c->i386 && (req == BLKBSZGET || req == BLKBSZSET || req == BLKGETSIZE64))
        return -LINUX_ENOTTY; /* 64-bit numbers: i386's are the _32 ones */
    switch (req) {
    case BLKGETSIZE64: return put_u64(c, arg, lo->size);
    case BLKGETSIZE:
        if (!c->i386)
            return put_u64(c, arg, lo->size >> 9);
        return lo->size >> 9 > UINT32_MAX ? -LINUX_EFBIG : put_int(c, arg, (int)(lo->size >> 9));
    case BLKGETSIZE64_32: return c->i386 ? put_u64(c, arg, lo->size) : -LINUX_ENOTTY;
    case BLKBSZGET_32: return c->i386 ? put_int(c, arg, 4096) : -LINUX_ENOTTY;
    case BLKBSZSET_32: return c->i386 ? -LINUX_EINVAL : -LINUX_ENOTTY;
    case BLKSSZGET: case BLKPBSZGET: case BLKIOMIN: return put_int(c, arg, (int)lo->bsize);
    case BLKIOOPT: return put_int(c, arg, 0);
    case BLKBSZGET: return put_int(c, arg, 4096); /* the page size, as the block layer sets it at open */
    case BLKBSZSET: return -LINUX_EINVAL;
    case BLKROGET: return put_int(c, arg, loop_ro(lo));
    case BLKROSET:
        if (!cred_capable(fs_cred, CAP_SYS_ADMIN))
            return -LINUX_EACCES;
        if (mem_in(c->p, &v, arg, sizeof v) < 0)
            return -LINUX_EFAULT;
        lo->ro = v != 0;
        return 0;
    case BLKFLSBUF: return cred_capable(fs_cred, CAP_SYS_ADMIN) ? 0 : -LINUX_EACCES;
    case BLKRAGET: case BLKFRAGET: /* a long: i386's is 32 bits */
        if (!arg)
            return -LINUX_EINVAL;
        return c->i386 ? put_int(c, arg, (int)(lo->ra_pages * 8)) : put_u64(c, arg, lo->ra_pages * 8);
    case BLKRASET: case BLKFRASET: /* the sectors asked for, as whole pages */
        if (!cred_capable(fs_cred, CAP_SYS_ADMIN))
            return -LINUX_EACCES;
        lo->ra_pages = (c->i386 ? (uint32_t)arg : arg) * 512 / 4096;
        return 0;
    case BLKDISCARD: return loop_discard(c, f, lo, arg);
    case BLKRRPART:
        if (!cred_capable(fs_cred, CAP_SYS_ADMIN))
            return -LINUX_EACCES;
        return (lo->flags & LO_FLAGS_PARTSCAN) && lo->backing ? 0 : -LINUX_EINVAL; /* no partitions */
    default: return -LINUX_ENOTTY;
    }
}

static int64_t loop_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    struct loop *lo = f->loop;
    struct loop_info64 i;
    switch (req) {
    case LOOP_SET_FD: return loop_bind(c, f, lo, arg);
    case LOOP_CONFIGURE: return loop_configure(c, f, lo, arg);
    case LOOP_CLR_FD: return loop_clear(lo);
    case LOOP_SET_STATUS64:
        if (mem_in(c->p, &i, arg, sizeof i) < 0)
            return -LINUX_EFAULT;
        return loop_set_status(lo, &i);
    case LOOP_GET_STATUS64:
        if (!loop_bound(lo))
            return -LINUX_ENXIO;
        loop_get_status(lo, &i);
        return mem_out(c->p, arg, &i, sizeof i) < 0 ? -LINUX_EFAULT : 0;
    case LOOP_SET_STATUS: return loop_status_old(c, lo, arg, true);
    case LOOP_GET_STATUS: return loop_status_old(c, lo, arg, false);
    case LOOP_CHANGE_FD: { /* only for a read-only loop, to a file of the same size */
        struct file *b = fd_file(c->p, arg);
        if (!loop_bound(lo))
            return -LINUX_ENXIO;
        if (!b)
            return -LINUX_EBADF;
        if (!(lo->flags & LO_FLAGS_READ_ONLY) || b->kind != FILE_INODE ||
            (b->inode->mode & S_IFMT) != S_IFREG || b->inode->size != lo->backing->inode->size)
            return -LINUX_EINVAL;
        file_put(lo->backing);
        lo->backing = file_get(b);
        return 0;
    }
    case LOOP_SET_CAPACITY:
        if (!loop_bound(lo))
            return -LINUX_ENXIO;
        loop_size(lo);
        return 0;
    case LOOP_SET_DIRECT_IO:
        if (!loop_bound(lo))
            return -LINUX_ENXIO;
        lo->flags = arg ? lo->flags | LO_FLAGS_DIRECT_IO : lo->flags & ~LO_FLAGS_DIRECT_IO;
        return 0;
    case LOOP_SET_BLOCK_SIZE:
        if (arg < 512 || arg > 4096 || (arg & (arg - 1)))
            return -LINUX_EINVAL;
        if (!loop_bound(lo))
            return -LINUX_ENXIO;
        lo->bsize = (uint32_t)arg;
        return 0;
    default: return loop_block_ioctl(c, f, lo, req, arg);
    }
}

/* mmap: the backing file's pages from lo_offset, which must be a whole
 * page (ENODEV else, and unbound, where Linux maps the device's own page
 * cache). */
static int loop_map(struct file *f, uint64_t off, uint64_t len, struct inode **ino, uint64_t *at)
{
    (void)len;
    struct loop *lo = f->loop;
    if (!loop_bound(lo) || lo->offset % 4096)
        return -LINUX_ENODEV;
    *ino = lo->backing->inode;
    *at = lo->offset + off;
    return 0;
}

static const struct file_ops loop_fops = {.read = loop_read, .write = loop_write, .kread = loop_kread,
                                          .kwrite = loop_kwrite, .ioctl = loop_ioctl, .open = loop_open,
                                          .release = loop_release, .size = loop_dev_size, .syncs = true,
                                          .map = loop_map, .map_as_asked = true};

const struct file_ops *loop_file_ops(uint32_t rdev)
{
    return (rdev >> 8 & 0xfff) == LOOP_MAJOR ? &loop_fops : NULL;
}

bool loop_state(int n, struct loop_state *out)
{
    const struct loop *lo = n >= 0 && n < LOOP_MAX ? loops[n] : NULL;
    if (!lo)
        return false;
    *out = (struct loop_state){.backing = lo->backing ? lo->backing->inode : NULL, .size = lo->size,
                               .offset = lo->offset, .sizelimit = lo->sizelimit, .flags = lo->flags,
                               .bsize = lo->bsize, .ro = loop_ro(lo), .stat = lo->stat};
    return true;
}

/* ---- /dev/loop-control ---- */

/* LOOP_CTL_REMOVE: ENODEV for none, EBUSY while bound or open. */
static int64_t loop_remove(int64_t n)
{
    if (n < 0)
        return -LINUX_EINVAL;
    struct loop *lo = n < LOOP_MAX ? loops[n] : NULL;
    if (!lo)
        return -LINUX_ENODEV;
    if (lo->backing || lo->openers)
        return -LINUX_EBUSY;
    char name[16];
    snprintf(name, sizeof name, "loop%d", (int)n);
    if (devdir && lo->node && fs_dir_find(devdir, name, strlen(name)) == lo->node)
        fs_unlink(devdir, name, false);
    loops[n] = NULL;
    free(lo);
    return 0;
}

static int64_t loop_control_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    (void)c, (void)f;
    switch (req) {
    case LOOP_CTL_ADD: return loop_add((int)arg);
    case LOOP_CTL_REMOVE: return loop_remove((int)arg);
    case LOOP_CTL_GET_FREE:
        for (int n = 0; n < LOOP_MAX; n++)
            if (loops[n] && !loops[n]->backing)
                return n;
        return loop_add(-1);
    default: return -LINUX_ENOSYS;
    }
}

const struct file_ops loop_control_fops = {.ioctl = loop_control_ioctl};

void loop_init(struct inode *dev)
{
    devdir = dev;
    struct inode *i;
    if (fs_create(dev, "loop-control", S_IFCHR | 0660, &i) == 0) {
        i->rdev = DEVNO_LOOP_CONTROL;
        i->gid = 6;
    }
    for (int n = 0; n < 8; n++)
        loop_add(n);
}
