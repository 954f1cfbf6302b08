/*
 * personalities/linux/dnotify.c - directory notifications, fcntl's
 * F_NOTIFY (Linux's dnotify): a directory's open file asks for DN_ACCESS,
 * DN_MODIFY, DN_ATTRIB (of the directory or a file in it), DN_CREATE (an
 * entry made or moved in), DN_DELETE (removed or moved out), DN_RENAME
 * (renamed within it); each event sends the file's owner (made the
 * caller's process if none) SIGIO, or F_SETSIG's signal with POLL_MSG,
 * through fasync.c.  A request adds to the events the same file asked
 * for through the same descriptor table; without DN_MULTISHOT it ends at
 * its first event; a mask of 0, or a close of the descriptor by that
 * table, ends it.
 *
 * Entry points: dnotify_fcntl (file.c's fcntl), dnotify_inode and
 * dnotify_dirent (fsnotify.h's hooks, while dnotify_marks counts
 * requests), dnotify_closing (the descriptor calls that close).  Layer:
 * beside inotify.c.  Book: docs/linux.md, "Signal-driven I/O".
 */
#include "fasync.h"
#include "fsnotify.h"
#include "proc.h"
#include "sysctl.h"
#include <stdlib.h>

#define DN_ALL (DN_ACCESS | DN_MODIFY | DN_CREATE | DN_DELETE | DN_RENAME | DN_ATTRIB)

/* One request: Linux's dnotify_struct, by its open file and table. */
struct dnotify {
    struct inode *dir;
    struct file *file;    /* not a reference: the request goes at the file's close */
    struct fdtable *fds;  /* the table whose descriptor asked (Linux's fl_owner_t) */
    int fd;               /* si_fd */
    uint32_t mask;        /* DN_* and DN_MULTISHOT */
    struct dnotify *next;
};

int dnotify_marks;
static struct dnotify *requests;

static void drop(struct dnotify **pp)
{
    struct dnotify *d = *pp;
    *pp = d->next;
    free(d);
    dnotify_marks--;
}

/* The requests of (f, fds) go (fds NULL: f's every one): a mask of 0, a
 * close, the file's end. */
static void flush(struct file *f, struct fdtable *fds)
{
    for (struct dnotify **pp = &requests; *pp;)
        if ((*pp)->file == f && (!fds || (*pp)->fds == fds))
            drop(pp);
        else
            pp = &(*pp)->next;
}

void dnotify_closing(struct fdtable *t, struct file *f) { flush(f, t); }

int64_t dnotify_fcntl(struct sys_ctx *c, struct file *f, int fd, uint32_t arg)
{
    if (!sysctl_dir_notify)
        return -LINUX_EINVAL; /* fs/dir-notify-enable 0 */
    if (!(arg & DN_ALL)) {
        flush(f, c->p->fds);
        return 0;
    }
    if (f->kind != FILE_INODE || (f->inode->mode & S_IFMT) != S_IFDIR)
        return -LINUX_ENOTDIR;
    int r = fasync_owner_default(c, f);
    if (r < 0)
        return r;
    for (struct dnotify *d = requests; d; d = d->next)
        if (d->file == f && d->fds == c->p->fds) { /* more events for the same request */
            d->fd = fd, d->mask |= arg & (DN_ALL | DN_MULTISHOT);
            return 0;
        }
    struct dnotify *d = malloc(sizeof *d);
    if (!d)
        return -LINUX_ENOMEM;
    *d = (struct dnotify){f->inode, f, c->p->fds, fd, arg & (DN_ALL | DN_MULTISHOT), requests};
    requests = d;
    dnotify_marks++;
    return 0;
}

/* Event dn at directory dir: each request for it signals, and a one-shot
 * one goes. */
static void event(const struct inode *dir, uint32_t dn)
{
    for (struct dnotify **pp = &requests; *pp;) {
        struct dnotify *d = *pp;
        if (d->dir != dir || !(d->mask & dn)) {
            pp = &d->next;
            continue;
        }
        fasync_signal(d->file, d->fd, POLL_MSG);
        if (d->mask & DN_MULTISHOT)
            pp = &d->next;
        else
            drop(pp);
    }
}

static uint32_t dn_of(uint32_t in_mask)
{
    return (in_mask & IN_ACCESS ? DN_ACCESS : 0) | (in_mask & IN_MODIFY ? DN_MODIFY : 0) |
           (in_mask & IN_ATTRIB ? DN_ATTRIB : 0) | (in_mask & (IN_CREATE | IN_MOVED_TO) ? DN_CREATE : 0) |
           (in_mask & (IN_DELETE | IN_MOVED_FROM) ? DN_DELETE : 0);
}

void dnotify_inode(struct inode *ino, uint32_t mask)
{
    uint32_t dn = dn_of(mask);
    if (!dn)
        return;
    if ((ino->mode & S_IFMT) == S_IFDIR) /* the directory's own */
        event(ino, dn);
    const struct inode *dirs[8]; /* the directories holding it, each once (events drop one-shot requests) */
    int n = 0;
    for (struct dnotify *d = requests; d && n < 8; d = d->next) {
        bool known = d->dir == ino || !(d->mask & dn);
        for (int i = 0; i < n; i++)
            known |= dirs[i] == d->dir;
        for (struct dirent_node *e = known ? NULL : d->dir->children; e; e = e->next)
            if (e->inode == ino && !e->hidden) {
                dirs[n++] = d->dir;
                break;
            }
    }
    for (int i = 0; i < n; i++)
        event(dirs[i], dn);
}

void dnotify_dirent(struct inode *dir, uint32_t mask) { event(dir, mask ? dn_of(mask) : DN_RENAME); }
