/*
 * personalities/linux/pty.c - pseudo-terminals, as Linux's /dev/ptmx and
 * devpts: each open of /dev/ptmx makes a pair.  The master is the file
 * that open returns; the slave is /dev/pts/N, a terminal with the console's
 * line discipline (tty.c), so that a program on it (a shell under
 * `script`, an editor under tmux) sees a real terminal: canonical input,
 * echo, ^C to its foreground group, job control, a size.
 *
 *     master write -> the slave's input (tty_receive)
 *     slave write, echoes -> OPOST -> out[] -> master read
 *
 * A new pair is locked until unlockpt (TIOCSPTLCK 0), as Linux's; the
 * node /dev/pts/N belongs to the opener, mode 0600 (devpts's defaults), and goes
 * when the master closes.  The slave's output waits in out[] for the
 * master: a writer that finds it full waits (or gets EAGAIN).  A master
 * read after the last slave closed is EIO; a slave read after the master
 * closed is end of file and a write EIO, and the slave's session gets
 * SIGHUP (tty_hangup), as on Linux.
 *
 * Entry points: ptmx_fops, pts_fops (dev.c), pty_open_slave (tty.c's
 * /dev/tty), pty_cancel and pty_waiting (tty.c's waits), pty_init.
 * Layer: a file type over tty.c.  Book: docs/linux.md, "The terminal".
 */
#include "dev.h"
#include "proc.h"
#include "sysctl.h"
#include "tty.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PTY_MAX 64          /* pairs at once (Linux's kernel.pty.max is 4096) */
#define PTY_BUF 16384       /* the slave's output the master has not read */
#define PTY_WAITERS 8

struct pty_writer {
    struct proc *p;
    uint64_t token, buf, len, done;
};

struct pty {
    struct tty tty;         /* the slave's terminal; first, so that tty_of is a cast */
    int index;              /* N of /dev/pts/N */
    bool locked;            /* TIOCSPTLCK: the slave cannot be opened yet */
    int masters, slaves;    /* open files of each side */
    bool slave_closed;      /* the last slave file closed (a master read is EIO then) */
    struct inode *node;     /* /dev/pts/N, while the master is open */
    char out[PTY_BUF];
    size_t out_len;
    struct tty_reader readers[PTY_WAITERS]; /* master reads waiting for output */
    int nreaders;
    struct pty_writer writers[PTY_WAITERS]; /* slave writes waiting for room */
    int nwriters;
};

static struct pty *ptys[PTY_MAX];
static struct inode *pts_dir;

static struct pty *pty_of(struct tty *t) { return (struct pty *)(void *)((char *)t - offsetof(struct pty, tty)); }

static uint32_t pts_devno(int n) { return PTS_MAJOR << 8 | (n & 0xff) | (uint32_t)(n & ~0xff) << 12; }

/* The master's reads waiting: served while there is output (or EIO once
 * no slave is left). */
static void serve_readers(struct pty *pt)
{
    while (pt->nreaders && (pt->out_len || pt->slave_closed)) {
        struct tty_reader *r = &pt->readers[0];
        size_t n = pt->out_len < r->len ? pt->out_len : r->len;
        int64_t res = !n ? -LINUX_EIO : mem_out(r->p, r->buf, pt->out, n) < 0 ? -LINUX_EFAULT : (int64_t)n;
        if (res > 0) {
            memmove(pt->out, pt->out + n, pt->out_len - n);
            pt->out_len -= n;
        }
        struct proc *p = r->p;
        uint64_t token = r->token;
        memmove(pt->readers, pt->readers + 1, (size_t)--pt->nreaders * sizeof pt->readers[0]);
        proc_reply(p, token, res);
    }
}

/* The slave's output (its writes after OPOST, and echoes): what fits. */
static void slave_out(struct tty *t, const char *buf, size_t n)
{
    struct pty *pt = pty_of(t);
    size_t k = PTY_BUF - pt->out_len < n ? PTY_BUF - pt->out_len : n;
    memcpy(pt->out + pt->out_len, buf, k);
    pt->out_len += k;
    serve_readers(pt);
    poll_recheck();
}

/* Moves as much of a slave write as surely fits (ONLCR may double it):
 * the bytes taken, or -EFAULT if none. */
static int64_t slave_put(struct pty *pt, struct proc *p, uint64_t ubuf, uint64_t len)
{
    char buf[512];
    uint64_t done = 0;
    while (done < len) {
        size_t k = (PTY_BUF - pt->out_len) / 2;
        k = k < sizeof buf ? k : sizeof buf;
        k = k < len - done ? k : (size_t)(len - done);
        if (!k)
            break;
        if (mem_in(p, buf, ubuf + done, k) < 0)
            return done ? (int64_t)done : -LINUX_EFAULT;
        tty_write(&pt->tty, buf, k);
        done += k;
    }
    return (int64_t)done;
}

/* Room came: waiting slave writes go on, oldest first. */
static void serve_writers(struct pty *pt)
{
    while (pt->nwriters) {
        struct pty_writer *w = &pt->writers[0];
        int64_t n = pt->masters ? slave_put(pt, w->p, w->buf + w->done, w->len - w->done) : -LINUX_EIO;
        if (n >= 0)
            w->done += (uint64_t)n;
        if (n >= 0 && w->done < w->len)
            return;
        int64_t res = n < 0 && !w->done ? n : (int64_t)w->done;
        struct proc *p = w->p;
        uint64_t token = w->token;
        memmove(pt->writers, pt->writers + 1, (size_t)--pt->nwriters * sizeof pt->writers[0]);
        proc_reply(p, token, res);
    }
}

static void pty_free(struct pty *pt)
{
    tty_remove(&pt->tty);
    ptys[pt->index] = NULL;
    free(pt);
}

/* ---- the master: /dev/ptmx ---- */

static int64_t ptm_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    struct pty *pt = f->pty;
    if (len == 0)
        return 0;
    if (!pt->out_len && !pt->slave_closed && (f->flags & O_NONBLOCK))
        return -LINUX_EAGAIN;
    if (pt->nreaders == PTY_WAITERS)
        return -LINUX_EAGAIN;
    pt->readers[pt->nreaders++] = (struct tty_reader){c->p, c->token, ubuf, len, 0};
    c->deferred = true;
    serve_readers(pt);
    serve_writers(pt);
    poll_recheck();
    return 0;
}

static int64_t ptm_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    char buf[512];
    for (uint64_t done = 0; done < len;) {
        size_t k = len - done < sizeof buf ? (size_t)(len - done) : sizeof buf;
        if (mem_in(c->p, buf, ubuf + done, k) < 0)
            return done ? (int64_t)done : -LINUX_EFAULT;
        tty_receive(&f->pty->tty, buf, k);
        done += k;
    }
    return (int64_t)len;
}

static int ptm_poll(struct file *f)
{
    struct pty *pt = f->pty;
    return (pt->out_len || pt->slave_closed ? POLLIN : 0) | POLLOUT | (pt->slave_closed ? POLLHUP : 0);
}

/* A new file of pt's slave, as open of /dev/pts/N makes it. */
static int slave_attach(struct sys_ctx *c, struct pty *pt, struct file *f, int flags)
{
    if (pt->locked || !pt->masters)
        return -LINUX_EIO;
    f->pty = pt;
    f->ops = &pts_fops;
    pt->slaves++;
    pt->slave_closed = false;
    if (!(flags & O_NOCTTY))
        tty_claim(&pt->tty, c->p);
    return 0;
}

/* TIOCGPTPEER: the slave, opened through the master. */
static int64_t open_peer(struct sys_ctx *c, struct pty *pt, int flags)
{
    if (flags & ~(O_ACCMODE | O_NOCTTY | O_NONBLOCK | O_CLOEXEC))
        return -LINUX_EINVAL;
    struct file *f = calloc(1, sizeof *f);
    if (!f)
        return -LINUX_ENOMEM;
    *f = (struct file){.kind = FILE_INODE, .inode = pt->node, .flags = flags & (O_ACCMODE | O_NONBLOCK), .refs = 1};
    int r = slave_attach(c, pt, f, flags);
    if (r < 0) {
        free(f);
        return r;
    }
    pt->node->refs++;
    int fd = fd_alloc(c->p, 0, f, (flags & O_CLOEXEC) != 0);
    if (fd < 0)
        file_put(f);
    return fd;
}

static int64_t ptm_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    struct pty *pt = f->pty;
    int32_t v;
    switch (req) {
    case TIOCGPTN: return mem_out(c->p, arg, &pt->index, sizeof pt->index) < 0 ? -LINUX_EFAULT : 0;
    case TIOCSPTLCK:
        if (mem_in(c->p, &v, arg, sizeof v) < 0)
            return -LINUX_EFAULT;
        pt->locked = v != 0;
        return 0;
    case TIOCGPTPEER: return open_peer(c, pt, (int)arg);
    case FIONREAD: /* on the master: the slave's output waiting */
        v = (int32_t)pt->out_len;
        return mem_out(c->p, arg, &v, sizeof v) < 0 ? -LINUX_EFAULT : 0;
    case TIOCSCTTY: case TIOCNOTTY: return -LINUX_ENOTTY; /* the master is nobody's terminal here */
    }
    return tty_ioctl(c, &pt->tty, req, arg); /* the settings and the size are the slave's */
}

/* The master's last close: the slave is hung up, its node goes. */
static void ptm_release(struct file *f)
{
    struct pty *pt = f->pty;
    if (--pt->masters)
        return;
    tty_hangup(&pt->tty);
    serve_writers(pt); /* EIO for writes waiting for room */
    if (pt->node) {
        char name[16];
        snprintf(name, sizeof name, "%d", pt->index);
        fs_unlink(pts_dir, name, false);
        pt->node = NULL;
    }
    if (!pt->slaves)
        pty_free(pt);
}

int pty_count(void)
{
    int k = 0;
    for (int i = 0; i < PTY_MAX; i++)
        k += ptys[i] != NULL;
    return k;
}

/* Open of /dev/ptmx: a new pair, locked, with its node /dev/pts/N. */
static int ptm_open(struct sys_ctx *c, struct file *f, int flags)
{
    (void)flags;
    int n = 0;
    while (n < PTY_MAX && ptys[n])
        n++;
    if (n == PTY_MAX || !pts_dir || pty_count() + 1 >= sysctl_pty_max)
        return -LINUX_ENOSPC; /* as Linux past kernel.pty.max */
    struct pty *pt = calloc(1, sizeof *pt);
    if (!pt)
        return -LINUX_ENOMEM;
    char name[16];
    snprintf(name, sizeof name, "%d", n);
    int r = fs_create(pts_dir, name, S_IFCHR | 0600, &pt->node);
    if (r < 0) {
        free(pt);
        return r;
    }
    pt->node->rdev = pts_devno(n); /* the opener's, mode 0600: devpts's defaults (no mount options) */
    pt->index = n, pt->locked = true, pt->masters = 1;
    pt->tty.winsize[0] = pt->tty.winsize[1] = 0; /* Linux's: a new pair's size is 0 by 0 */
    tty_setup(&pt->tty, slave_out);
    ptys[n] = pt;
    f->pty = pt;
    (void)c;
    return 0;
}

const struct file_ops ptmx_fops = {.read = ptm_read, .write = ptm_write, .poll = ptm_poll, .ioctl = ptm_ioctl,
                                   .open = ptm_open, .release = ptm_release, .stream = true};

/* ---- the slave: /dev/pts/N ---- */

static int64_t pts_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    return (f->flags & O_ACCMODE) == O_WRONLY ? -LINUX_EBADF : tty_read(c, &f->pty->tty, f, ubuf, len);
}

static int64_t pts_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    struct pty *pt = f->pty;
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -LINUX_EBADF;
    int64_t stop = tty_write_check(&pt->tty, c->p);
    if (stop)
        return stop;
    int64_t n = pt->nwriters ? 0 : slave_put(pt, c->p, ubuf, len); /* behind the writers already waiting */
    if (n < 0 || (uint64_t)n == len)
        return n;
    if ((f->flags & O_NONBLOCK) || pt->nwriters == PTY_WAITERS)
        return n ? n : -LINUX_EAGAIN;
    pt->writers[pt->nwriters++] = (struct pty_writer){c->p, c->token, ubuf, len, (uint64_t)n};
    c->deferred = true;
    return 0;
}

static int pts_poll(struct file *f)
{
    struct pty *pt = f->pty;
    return (tty_poll(&pt->tty) & ~POLLOUT) | (!pt->tty.hung_up && pt->out_len < PTY_BUF / 2 ? POLLOUT : 0);
}

static int64_t pts_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    if (req == TIOCGPTN || req == TIOCSPTLCK || req == TIOCGPTPEER)
        return -LINUX_ENOTTY; /* the master's */
    return tty_ioctl(c, &f->pty->tty, req, arg);
}

static int pts_open(struct sys_ctx *c, struct file *f, int flags)
{
    uint32_t rdev = f->inode->rdev, n = (rdev & 0xff) | (rdev >> 12 & ~0xffu);
    struct pty *pt = n < PTY_MAX ? ptys[n] : NULL;
    return pt ? slave_attach(c, pt, f, flags) : -LINUX_EIO;
}

static void pts_release(struct file *f)
{
    struct pty *pt = f->pty;
    if (--pt->slaves)
        return;
    if (!pt->masters) {
        pty_free(pt);
        return;
    }
    pt->slave_closed = true; /* the master's reads: what is left, then EIO */
    serve_readers(pt);
    poll_recheck();
}

const struct file_ops pts_fops = {.read = pts_read, .write = pts_write, .poll = pts_poll, .ioctl = pts_ioctl,
                                  .open = pts_open, .release = pts_release, .stream = true};

int pty_open_slave(struct sys_ctx *c, struct file *f, struct tty *t)
{
    return slave_attach(c, pty_of(t), f, O_NOCTTY);
}

/* ---- waits ---- */

bool pty_cancel(struct proc *p, uint64_t *token)
{
    for (int n = 0; n < PTY_MAX; n++) {
        struct pty *pt = ptys[n];
        for (int i = 0; pt && i < pt->nreaders; i++)
            if (pt->readers[i].p == p) {
                *token = pt->readers[i].token;
                memmove(pt->readers + i, pt->readers + i + 1, (size_t)(--pt->nreaders - i) * sizeof pt->readers[0]);
                return true;
            }
        for (int i = 0; pt && i < pt->nwriters; i++)
            if (pt->writers[i].p == p) {
                *token = pt->writers[i].token;
                memmove(pt->writers + i, pt->writers + i + 1, (size_t)(--pt->nwriters - i) * sizeof pt->writers[0]);
                return true;
            }
    }
    return false;
}

bool pty_waiting(const struct proc *p)
{
    for (int n = 0; n < PTY_MAX; n++) {
        struct pty *pt = ptys[n];
        for (int i = 0; pt && i < pt->nreaders; i++)
            if (pt->readers[i].p == p)
                return true;
        for (int i = 0; pt && i < pt->nwriters; i++)
            if (pt->writers[i].p == p)
                return true;
    }
    return false;
}

void pty_init(void)
{
    struct inode *dev = fs_dir_find(fs_root(), "dev", 3);
    if (dev && fs_create(dev, "pts", S_IFDIR | 0755, &pts_dir) < 0)
        pts_dir = NULL;
}
