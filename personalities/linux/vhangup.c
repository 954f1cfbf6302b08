/*
 * personalities/linux/vhangup.c - vhangup(2): the caller's controlling
 * terminal is hung up, as Linux's tty_vhangup_self.  Every file open on
 * it, in every process, becomes a hung-up file (reads end at once,
 * writes and ioctls fail with EIO, TIOCSPGRP with ENOTTY, poll reports
 * everything), the session loses it as its controlling terminal, and the
 * session leader gets SIGHUP and SIGCONT.  The terminal itself lives on:
 * a new open of it works.  CAP_SYS_TTY_CONFIG is needed (EPERM); a
 * caller with no controlling terminal succeeds doing nothing.
 *
 * Entry points: sys_vhangup.  Callers: the syscall table.  Layer: above
 * the terminals.  Book: docs/linux.md, "The terminal".
 */
#include "proc.h"
#include "tty.h"
#include "linux_entries/vhangup.h" /* generated: the handlers' prototypes, entries */

static int64_t hung_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)c, (void)f, (void)ubuf, (void)len, (void)at;
    return 0;
}

static int64_t hung_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)c, (void)f, (void)ubuf, (void)len, (void)at;
    return -LINUX_EIO;
}

static int hung_poll(struct file *f)
{
    (void)f;
    return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM | POLLWRNORM;
}

static int64_t hung_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    (void)c, (void)f, (void)arg;
    return req == TIOCSPGRP ? -LINUX_ENOTTY : -LINUX_EIO;
}

/* The hung-up operations of the console's files and a slave's (which
 * keep their release: the pseudo-terminal counts its open slaves). */
static struct file_ops hung_console = {.read = hung_read, .write = hung_write, .poll = hung_poll,
                                       .ioctl = hung_ioctl, .stream = true};
static struct file_ops hung_pts = {.read = hung_read, .write = hung_write, .poll = hung_poll,
                                   .ioctl = hung_ioctl, .stream = true};

/* Whether f is a file of terminal t. */
static bool file_of(const struct file *f, const struct tty *t)
{
    return f->ops == &pts_fops ? (const struct tty *)(const void *)f->pty == t /* the slave's terminal is first in its pty */
                               : f->ops == &console_fops && tty_is_console(t);
}

static void hang_files(const struct tty *t)
{
    hung_console.stat = console_fops.stat;
    hung_pts.release = pts_fops.release;
    for (struct proc *p = proc_list(); p; p = p->next)
        for (int i = 0; !p->leader && !p->zombie && i < p->fds->size; i++) {
            struct file *f = p->fds->fd[i];
            if (f && file_of(f, t))
                f->ops = f->ops == &pts_fops ? &hung_pts : &hung_console;
        }
}

static int64_t sys_vhangup(struct sys_ctx *c)
{
    if (!cred_capable(&c->p->cred, CAP_SYS_TTY_CONFIG))
        return -LINUX_EPERM;
    int sid = proc_group(c->p)->sid;
    struct tty *t = tty_of_session(sid);
    if (!t)
        return 0;
    hang_files(t);
    t->sid = 0, t->fg_pgrp = 0; /* the session has no controlling terminal now */
    struct proc *leader = proc_by_pid(sid);
    if (leader && !leader->zombie) {
        signal_send(leader, SIGHUP, NULL);
        signal_send(leader, SIGCONT, NULL);
    }
    return 0;
}
