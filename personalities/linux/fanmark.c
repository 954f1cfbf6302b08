/*
 * personalities/linux/fanmark.c - fanotify's marks seen from outside the
 * calls: the lines /proc/PID/fdinfo shows of a group's marks, and the end
 * of the evictable ones when drop_caches evicts their inode, as Linux's
 * fsnotify_inode_delete takes them.
 *
 * Entry points: fan_fdinfo (fanperm.h, fanotify.c's file), fanotify_drop_caches
 * (fsnotify.h, sysctl.c).  Layer: a file type, above the file system.
 * Book: docs/linux.md, "fanotify".
 */
#include "fanperm.h"
#include "fsnotify.h"
#include "proc.h"

/* Linux's fanotify_show_fdinfo: the group's
 * flags, then a line per mark, newest first. */
void fan_fdinfo(const struct file *f, void (*put)(const char *fmt, ...))
{
    struct fanotify *g = (struct fanotify *)f->group;
    put("fanotify flags:%x event-flags:%x\n", g->flags, g->f_flags);
    int n = 0;
    FOR_MARKS(k, next)
        n += k->k.g == &g->g;
    for (int want = n - 1; want >= 0; want--) { /* newest first, as Linux's list */
        int i = 0;
        FOR_MARKS(k, next) {
            if (k->k.g != &g->g || i++ != want)
                continue;
            uint32_t mflags = (k->surv ? FAN_MARK_IGNORED_SURV_MODIFY : 0) | (k->evictable ? FAN_MARK_EVICTABLE : 0) |
                              (k->ignore_flags ? FAN_MARK_IGNORE : 0);
            const struct inode *ino = k->k.obj;
            struct linux_stat st = {0};
            if (k->type != FAN_MARK_MOUNT) /* an inode's file system, or the marked one */
                st.dev = k->type == FAN_MARK_INODE ? ino->fs->dev : ((const struct fs *)k->k.obj)->dev;
            if (k->type == FAN_MARK_INODE) { /* with the inode's handle, as Linux's show_mark_fhandle */
                put("fanotify ino:%lx sdev:%x mflags:%x mask:%x ignored_mask:%x ", (unsigned long)ino->ino,
                    stat_kdev(&st), mflags, k->k.mask, k->ignore);
                handle_fdinfo(ino, put);
                put("\n");
            }
            else if (k->type == FAN_MARK_MOUNT)
                put("fanotify mnt_id:%x mflags:%x mask:%x ignored_mask:%x\n", k->mount_id, mflags, k->k.mask,
                    k->ignore);
            else
                put("fanotify sdev:%x mflags:%x mask:%x ignored_mask:%x\n", stat_kdev(&st), mflags, k->k.mask,
                    k->ignore);
        }
    }
}

/* Whether Linux could evict ino from its inode cache: only a file of a
 * file system kept on a disk (ext2: one with a sync; a tmpfs's files are
 * their data), and not while anything holds it: an open file or a
 * mapping, a process's working directory, an inotify watch or a mark
 * without FAN_MARK_EVICTABLE (a mark's inode reference).  A directory
 * stays: its names' dentries keep it. */
static bool evictable(const struct inode *ino)
{
    if (!ino->fs->ops || !ino->fs->ops->sync || (ino->mode & S_IFMT) == S_IFDIR || ino->refs || ino->lazily_mapped ||
        inotify_watches(ino))
        return false;
    FOR_MARKS(k, next)
        if (k->type == FAN_MARK_INODE && k->k.obj == ino && !k->evictable)
            return false;
    for (struct proc *p = proc_list(); p; p = p->next)
        if (p->cwd == ino)
            return false;
    return true;
}

void fanotify_drop_caches(void)
{
    FOR_MARKS(k, next)
        if (k->type == FAN_MARK_INODE && k->evictable && evictable(k->k.obj))
            fan_drop_mark(k);
}

