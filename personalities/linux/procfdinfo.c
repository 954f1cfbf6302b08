/*
 * personalities/linux/procfdinfo.c - /proc/PID/fdinfo: a file per
 * descriptor, as Linux's seq_show writes it.  Every file has four lines:
 * its position, its open flags (O_CLOEXEC added for a close-on-exec
 * descriptor), the id of the mount it was opened through and its inode
 * number.  Then come the locks this descriptor holds on it ("lock:"
 * lines, as /proc/locks shows them), and the lines of the file's own type,
 * which its operations' fdinfo writes (an eventfd's count, a timerfd's
 * times, an epoll instance's entries, a signalfd's mask, an inotify
 * instance's watches, a pidfd's pid, an AF_UNIX socket's passed
 * descriptors).  Like fd/, the directory is written whole when it is
 * looked up.
 *
 * Entry points: procfdinfo_dir (procfs.h).  Callers: procpid.c.  Layer:
 * procfs, which shows processes.  Book: docs/linux.md, "/proc".
 */
#include "fasync.h"
#include "file.h"
#include "mount.h"
#include "proc.h"
#include "procfs.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Linux's mounts of the file systems that hold no names (pipefs, sockfs,
 * anon_inodefs), which mountinfo does not list: a number for each, below
 * the first mount's (21, mnttab.c). */
static int internal_mount_id(const struct file *f)
{
    const struct fs *fs = f->ops->fs;
    return !fs ? 0 : !strcmp(fs->type, "pipefs") ? 12 : !strcmp(fs->type, "sockfs") ? 8 : 13;
}

static int mount_id(const struct file *f)
{
    if (f->inode && f->mnt_id)
        return f->mnt_id;
    const struct mount *m = f->inode ? fs_mount_of(f->inode) : NULL;
    return m ? m->id : internal_mount_id(f);
}

/* The descriptor's own file and table: the locks it shows. */
static const struct file *shown;
static const void *shown_table;
static int lock_id;

static void fd_lock(const struct lock_view *v)
{
    const struct inode *ino = v->file ? v->file->inode : v->ino;
    if (ino != shown->inode || (v->owner != shown && v->owner != shown_table))
        return;
    procfs_put("lock:\t");
    procfs_lock(v, ++lock_id);
}

static void put(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    procfs_put("%s", line);
}

static void fdinfo_file(struct inode *dir, struct proc *p, int fd)
{
    const struct file *f = p->fds->fd[fd];
    struct linux_stat st;
    char name[16];
    file_stat(f, &st);
    procfs_put("pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n", (long long)(f->pipe ? 0 : f->pos),
               (unsigned)f->flags | (p->fds->cloexec[fd] ? O_CLOEXEC : 0), mount_id(f), (unsigned long)st.ino);
    if (f->inode) {
        shown = f, shown_table = p->fds, lock_id = 0;
        reclock_each(fd_lock);
        flock_each(fd_lock);
        lease_each(fd_lock);
    }
    if (f->ops->fdinfo)
        f->ops->fdinfo(f, put);
    snprintf(name, sizeof name, "%d", fd);
    procfs_file(dir, name);
}

void procfdinfo_dir(struct inode *d, struct proc *p, const char *name)
{
    struct inode *dir = procfs_node(d, name, S_IFDIR | 0555);
    while (dir && dir->children) {
        char child[16];
        snprintf(child, sizeof child, "%s", dir->children->name);
        fs_unlink(dir, child, false);
    }
    for (int i = 0; dir && !p->zombie && i < p->fds->size; i++)
        if (p->fds->fd[i])
            fdinfo_file(dir, p, i);
}
