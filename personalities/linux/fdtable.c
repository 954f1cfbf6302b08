/*
 * personalities/linux/fdtable.c - a descriptor table's slots: room for a
 * descriptor (a table grows by doubling), the lowest free one (fd_alloc),
 * one at a given number (fd_install_at), and the table a fork's child
 * shares with its parent copy-on-write (fds_fork) until either changes
 * its slots (fds_own, before every change).
 *
 * Entry points: fd_room, fd_table_free, fd_table_copy, fds_fork,
 * fds_copy_out (fds_own), fd_alloc, fd_alloc_pair, fd_install_at (file.h).
 * Callers: every file type installs its files with fd_alloc; file.c's
 * calls (close, dup, fcntl), fork.c, share.c (exit, exec, unshare).
 * Layer: beside file.c.  Book: docs/linux.md, "Files".
 */
#include "fasync.h"
#include "file.h"
#include "fsnotify.h"
#include "proc.h"
#include <stdlib.h>
#include <string.h>

int fd_room(struct proc *p, int fd)
{
    struct fdtable *t = p->fds;
    if (fd < t->size)
        return 0;
    if (fds_own(t) < 0) /* realloc moves the slots: another table's too, if shared */
        return -LINUX_ENOMEM;
    int size = t->size ? t->size : FDS_FIRST;
    while (size <= fd)
        size *= 2;
    struct file **files = realloc(t->fd, (size_t)size * sizeof *files);
    if (!files)
        return -LINUX_ENOMEM;
    t->fd = files;
    uint8_t *cloexec = realloc(t->cloexec, (size_t)size);
    if (!cloexec)
        return -LINUX_ENOMEM; /* the larger fd array is kept; size still says the old */
    t->cloexec = cloexec;
    memset(files + t->size, 0, (size_t)(size - t->size) * sizeof *files);
    memset(cloexec + t->size, 0, (size_t)(size - t->size));
    t->size = size;
    return 0;
}

void fd_table_free(struct fdtable *t)
{
    if (t->sharers && --*t->sharers > 0) { /* the other tables keep the slots */
        *t = (struct fdtable){0};
        return;
    }
    free(t->sharers);
    free(t->fd);
    free(t->cloexec);
    *t = (struct fdtable){0};
}

int fd_table_copy(struct fdtable *to, const struct fdtable *from)
{
    int n = from->size;
    struct file **fd = n ? malloc((size_t)n * sizeof *fd) : NULL;
    uint8_t *cloexec = n ? malloc((size_t)n) : NULL;
    if (n && (!fd || !cloexec)) {
        free(fd);
        free(cloexec);
        return -LINUX_ENOMEM;
    }
    /* one pass, file_get inlined: with a thousand descriptors open, this
     * is what the copy costs */
    struct file *const *from_fd = from->fd;
    for (int i = 0; i < n; i++) {
        struct file *f = from_fd[i];
        if (f)
            f->refs++;
        fd[i] = f;
    }
    if (n)
        memcpy(cloexec, from->cloexec, (size_t)n);
    to->fd = fd, to->cloexec = cloexec, to->size = n, to->next_fd = from->next_fd, to->sharers = NULL;
    return 0;
}

int fds_fork(struct fdtable *to, struct fdtable *from)
{
    if (!from->size)
        return 0;
    if (!from->sharers) {
        if (!(from->sharers = malloc(sizeof *from->sharers)))
            return -LINUX_ENOMEM;
        *from->sharers = 1;
    }
    ++*from->sharers;
    *to = *from;
    to->users = 0;
    return 0;
}

int fds_copy_out(struct fdtable *t)
{
    int *sharers = t->sharers;
    if (*sharers == 1) { /* the others have gone: the slots are t's */
        free(sharers);
        t->sharers = NULL;
        return 0;
    }
    struct fdtable own = *t;
    if (fd_table_copy(&own, t) < 0)
        return -LINUX_ENOMEM;
    --*sharers;
    *t = own;
    return 0;
}

int fd_unused(struct proc *p)
{
    int limit = fd_limit(p);
    for (int fd = p->fds->next_fd; fd < limit; fd++)
        if (fd >= p->fds->size || !p->fds->fd[fd])
            return 0;
    return -LINUX_EMFILE;
}

int fd_alloc(struct proc *p, int from, struct file *f, bool cloexec)
{
    if (fds_own(p->fds) < 0)
        return -LINUX_ENOMEM;
    int limit = fd_limit(p), fd = from > p->fds->next_fd ? from : p->fds->next_fd;
    while (fd < p->fds->size && fd < limit && p->fds->fd[fd])
        fd++;
    if (fd >= limit)
        return -LINUX_EMFILE;
    if (fd_room(p, fd) < 0)
        return -LINUX_ENOMEM;
    if (from <= p->fds->next_fd)
        p->fds->next_fd = fd + 1;
    p->fds->fd[fd] = f;
    p->fds->cloexec[fd] = cloexec;
    return fd;
}

int fd_alloc_pair(struct proc *p, struct file *a, struct file *b, bool cloexec, uint64_t ufds)
{
    int fds[2] = {fd_alloc(p, 0, a, cloexec), -1};
    if (fds[0] >= 0)
        fds[1] = fd_alloc(p, fds[0] + 1, b, cloexec);
    int err = fds[1] < 0 ? -LINUX_EMFILE : mem_out(p, ufds, fds, sizeof fds) < 0 ? -LINUX_EFAULT : 0;
    if (err) {
        for (int i = 0; i < 2; i++)
            if (fds[i] >= 0)
                fd_clear(p->fds, fds[i]);
        file_put(a), file_put(b);
    }
    return err;
}

int64_t fd_install_at(struct proc *p, struct file *f, uint64_t new, bool cloexec)
{
    if (new >= (uint64_t)fd_limit(p))
        return -LINUX_EBADF;
    if (fds_own(p->fds) < 0 || fd_room(p, (int)new) < 0)
        return -LINUX_ENOMEM;
    if (p->fds->fd[new] && reclocks_held)
        reclock_closing(p, p->fds->fd[new]);
    if (p->fds->fd[new] && dnotify_marks)
        dnotify_closing(p->fds, p->fds->fd[new]);
    if (p->fds->fd[new] && mq_notifiers && p->fds->fd[new]->kind == FILE_MQUEUE)
        mq_closing(p, p->fds->fd[new]);
    if (p->fds->fd[new])
        file_put(p->fds->fd[new]);
    p->fds->fd[new] = file_get(f);
    p->fds->cloexec[new] = cloexec;
    return (int64_t)new;
}
