/*
 * personalities/linux/dev.c - the devices: /dev/null, /dev/zero,
 * /dev/full, /dev/random and /dev/urandom (/dev/kmsg is kmsg.c's, the terminals' are tty.c's and
 * pty.c's, /dev/loop-control and the loop devices loop.c's),
 * their nodes in /dev with the links a Linux /dev has (fd, stdin, stdout,
 * stderr) and /dev/shm (where POSIX shared memory and named semaphores
 * live), and getrandom.  A device is found by the number of the node
 * opened, so that a node mknod makes elsewhere works too.
 *
 * Entry points: dev_file_ops, dev_init (dev.h).  Callers: file.c's open,
 * main.c, the syscall table.  Layer: the file system's; it includes no
 * process or signal header.  Book: docs/linux.md, "Files".
 */
#include "dev.h"
#include "loop.h"
#include "mm.h"
#include "tty.h"
#include "userfaultfd.h"
#include <stdlib.h>
#include <string.h>
#include "linux_entries/dev.h" /* generated: the handlers' prototypes, entries */

/* Linux's /dev/null never touches the buffer: only the range is checked
 * (access_ok), and a write takes at most MAX_RW_COUNT. */
static int64_t null_io(const struct file *f, uint64_t ubuf, uint64_t len, bool write)
{
    const uint64_t max_rw = 0x7ffff000;
    if ((f->flags & O_ACCMODE) == (write ? O_RDONLY : O_WRONLY))
        return -LINUX_EBADF;
    if (len > TASK_SIZE || ubuf > TASK_SIZE - len)
        return -LINUX_EFAULT;
    return write ? (int64_t)(len < max_rw ? len : max_rw) : 0;
}

static int64_t null_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)c, (void)at;
    return null_io(f, ubuf, len, false);
}

static int64_t null_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)c, (void)at;
    return null_io(f, ubuf, len, true);
}

/* From the server's buffer (sendfile, splice): zero reads zeros, random
 * random bytes, and each takes whatever is written; null has no kread,
 * as Linux's /dev/null no splice_read (EINVAL). */

static int64_t fill_kread(struct file *f, char *buf, uint64_t n, bool random)
{
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return -LINUX_EBADF;
    for (uint64_t k = 0; k < n; k++)
        buf[k] = random ? (char)rand() : 0;
    return (int64_t)n;
}

static int64_t zero_kread(struct file *f, char *buf, uint64_t n, uint64_t *pos)
{
    (void)pos;
    return fill_kread(f, buf, n, false);
}

static int64_t random_kread(struct file *f, char *buf, uint64_t n, uint64_t *pos)
{
    (void)pos;
    return fill_kread(f, buf, n, true);
}

static int64_t sink_kwrite(struct file *f, const char *buf, uint64_t n, uint64_t *pos)
{
    (void)buf, (void)pos;
    return (f->flags & O_ACCMODE) == O_RDONLY ? -LINUX_EBADF : (int64_t)n;
}

/* /dev/full: always full. */
static int64_t full_kwrite(struct file *f, const char *buf, uint64_t n, uint64_t *pos)
{
    (void)buf, (void)n, (void)pos;
    return (f->flags & O_ACCMODE) == O_RDONLY ? -LINUX_EBADF : -LINUX_ENOSPC;
}

/* zero and random move through the server's buffer, as files do. */
static int64_t copy_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    return file_copy_io(c, f, ubuf, len, false, at);
}

static int64_t copy_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    return file_copy_io(c, f, ubuf, len, true, at);
}

/* Any seek of these leaves them at 0, whatever the whence (Linux's
 * null_lseek of null, zero and full; random's noop_llseek, at a position
 * no read moves). */
static int64_t dev_llseek(struct file *f, int64_t off, int whence)
{
    (void)off, (void)whence;
    return (int64_t)(f->pos = 0);
}

static const struct file_ops null_fops = {
    .read = null_read, .write = null_write, .kwrite = sink_kwrite, .llseek = dev_llseek};
static const struct file_ops zero_fops = {.read = copy_read, .write = copy_write, .kread = zero_kread,
                                          .kwrite = sink_kwrite, .map_anonymous = true, .llseek = dev_llseek};
static const struct file_ops full_fops = {
    .read = copy_read, .write = copy_write, .kread = zero_kread, .kwrite = full_kwrite, .llseek = dev_llseek};
/* Linux 6.1's random_ioctl: the pool is always initialized, so its
 * count is 256 bits (entropy_avail's); adding entropy or a count takes
 * CAP_SYS_ADMIN and checks its arguments (the bytes are read, and mixed
 * into nothing: rand() serves reads); the rest is EINVAL. */
static int64_t random_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    (void)f;
    int32_t v[2] = {256, 0};
    char chunk[256];
    if (req == RNDGETENTCNT)
        return mem_out(c->p, arg, v, sizeof v[0]) < 0 ? -LINUX_EFAULT : 0;
    if (req != RNDADDTOENTCNT && req != RNDADDENTROPY && req != RNDZAPENTCNT && req != RNDCLEARPOOL &&
        req != RNDRESEEDCRNG)
        return -LINUX_EINVAL;
    if (!cred_capable(fs_cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    if (req == RNDADDTOENTCNT || req == RNDADDENTROPY) {
        if (mem_in(c->p, v, arg, req == RNDADDENTROPY ? sizeof v : sizeof v[0]) < 0)
            return -LINUX_EFAULT;
        if (v[0] < 0)
            return -LINUX_EINVAL;
        for (int32_t done = 0, n; req == RNDADDENTROPY && done < v[1]; done += n) /* the bytes must be there */
            if (mem_in(c->p, chunk, arg + 8 + (uint64_t)done, (size_t)(n = v[1] - done < 256 ? v[1] - done : 256)) < 0)
                return -LINUX_EFAULT;
        if (req == RNDADDENTROPY && v[1] < 0)
            return -LINUX_EFAULT;
    }
    return 0;
}

static const struct file_ops random_fops = {.read = copy_read, .write = copy_write, .kread = random_kread,
                                            .kwrite = sink_kwrite, .llseek = dev_llseek, .ioctl = random_ioctl};

const struct file_ops *dev_file_ops(uint32_t rdev)
{
    switch (rdev) {
    case DEVNO_NULL: return &null_fops;
    case DEVNO_ZERO: return &zero_fops;
    case DEVNO_FULL: return &full_fops;
    case DEVNO_RANDOM: case DEVNO_URANDOM: return &random_fops;
    case DEVNO_KMSG: return &kmsg_fops;
    case DEVNO_TTY: case DEVNO_CONSOLE: return &console_fops;
    case DEVNO_PTMX: return &ptmx_fops;
    case DEVNO_USERFAULTFD: return &uffd_dev_fops;
    case DEVNO_LOOP_CONTROL: return &loop_control_fops;
    default: return (rdev >> 8 & 0xfff) == PTS_MAJOR ? &pts_fops : NULL;
    }
}

static void add_dev(struct inode *dev, const char *name, uint32_t rdev, uint32_t perm)
{
    struct inode *i;
    if (fs_create(dev, name, S_IFCHR | perm, &i) == 0)
        i->rdev = rdev;
}

void dev_init(void)
{
    struct inode *dev = fs_dir_find(fs_root(), "dev", 3);
    if (!dev)
        return;
    add_dev(dev, "null", DEVNO_NULL, 0666);
    add_dev(dev, "zero", DEVNO_ZERO, 0666);
    add_dev(dev, "full", DEVNO_FULL, 0666);
    add_dev(dev, "urandom", DEVNO_URANDOM, 0666);
    add_dev(dev, "random", DEVNO_RANDOM, 0666);
    add_dev(dev, "kmsg", DEVNO_KMSG, 0644);
    add_dev(dev, "tty", DEVNO_TTY, 0666);
    add_dev(dev, "console", DEVNO_CONSOLE, 0600);
    add_dev(dev, "ptmx", DEVNO_PTMX, 0666);
    add_dev(dev, "userfaultfd", DEVNO_USERFAULTFD, 0600);
    pty_init();
    loop_init(dev);
    static const char *const links[][2] = {{"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"},
                                           {"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"}};
    struct inode *i;
    for (size_t k = 0; k < sizeof links / sizeof links[0]; k++)
        if (fs_create(dev, links[k][0], S_IFLNK | 0777, &i) == 0)
            fs_set_link(i, links[k][1], strlen(links[k][1]));
    fs_create(dev, "shm", S_IFDIR | 01777, &i); /* a tmpfs of its own on Linux; the root's tmpfs here */
}

/* getrandom: as many bytes as /dev/urandom gives, at most 256 a call. */
/* getrandom as Linux 6.1's: the flags checked, the range too (access_ok,
 * the length cut at MAX_RW_COUNT), then the bytes a page at a time, up
 * to the first page that cannot be written (EFAULT if that is the
 * first).  The pool is always ready here: GRND_NONBLOCK never waits. */
#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4
static int64_t sys_getrandom(struct sys_ctx *c, uint64_t ubuf, uint64_t buflen, uint64_t flags)
{
    uint32_t f = (uint32_t)flags; /* an unsigned int */
    if ((f & ~(uint32_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) ||
        (f & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
        return -LINUX_EINVAL;
    uint64_t len = buflen < 0x7ffff000 ? buflen : 0x7ffff000, done = 0;
    if (len > TASK_SIZE || ubuf > TASK_SIZE - len)
        return -LINUX_EFAULT;
    char buf[4096];
    while (done < len) {
        uint64_t n = 4096 - ((ubuf + done) & 4095); /* to the page's end: a fault stops at a page */
        n = n < len - done ? n : len - done;
        for (uint64_t i = 0; i < n; i++)
            buf[i] = (char)rand();
        if (mem_out(c->p, ubuf + done, buf, n) < 0)
            break;
        done += n;
    }
    return done || !len ? (int64_t)done : -LINUX_EFAULT;
}
