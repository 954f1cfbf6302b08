/*
 * personalities/linux/fanfid.c - fanotify's FID groups (FAN_REPORT_FID,
 * FAN_REPORT_DIR_FID, FAN_REPORT_NAME, FAN_REPORT_TARGET_FID): their
 * events name files by the file system's fsid and a file handle (as
 * name_to_handle_at gives it) instead of a descriptor, so they may hear
 * what no open file stands for: an entry made, removed or moved in a
 * directory (FAN_CREATE, FAN_DELETE, FAN_MOVED_FROM, FAN_MOVED_TO,
 * FAN_RENAME), an attribute changed (FAN_ATTRIB), a file gone or moved
 * (FAN_DELETE_SELF, FAN_MOVE_SELF).  Which objects an event reports
 * follows Linux 6.1's fanotify_alloc_event: the directory and the entry's
 * name, the child's handle besides with FAN_REPORT_TARGET_FID (and with
 * FAN_REPORT_FID on a file's own event), a rename's old and new places as
 * its marks heard them; a read gives each as a struct
 * fanotify_event_info_fid record (FID, DFID, DFID_NAME, OLD_DFID_NAME,
 * NEW_DFID_NAME) in Linux's order, with FAN_NOFD for the descriptor.
 * Events merge when they name the same objects and names (Linux's
 * fanotify_should_merge).  Only a file system with an fsid can be marked
 * (ext2 here; tmpfs and /proc have none, as in 6.1).
 *
 * Entry points: fsnotify.h's hooks (fanotify_inode, fanotify_dirent,
 * fanotify_move) and fanperm.h's fanfid calls from fanotify.c.  Layer: a
 * file type, above the file system.  Book: docs/linux.md, "fanotify".
 */
#include "fanperm.h"
#include "fsnotify.h"
#include <stdlib.h>
#include <string.h>

#define FID_BITS (FAN_REPORT_FID | FAN_REPORT_DIR_FID | FAN_REPORT_NAME | FAN_REPORT_TARGET_FID)
#define DIRENT_EVENTS (FAN_MOVED_FROM | FAN_MOVED_TO | FAN_CREATE | FAN_DELETE | FAN_RENAME)
#define EVENT_FLAGS (FAN_EVENT_ON_CHILD | FAN_ONDIR)
/* struct fanotify_event_info_fid's types */
#define INFO_FID 1
#define INFO_DFID_NAME 2
#define INFO_DFID 3
#define INFO_OLD_DFID_NAME 10
#define INFO_NEW_DFID_NAME 12
#define FILEID_INVALID 255

static bool is_dir(const struct inode *ino) { return (ino->mode & S_IFMT) == S_IFDIR; }

static void fh_of(const struct inode *ino, struct fan_fh *fh)
{
    uint32_t len = 0;
    fh->type = (uint8_t)handle_encode(ino, fh->w, &len);
    fh->len = (uint8_t)len;
}

/* Linux's fanotify_report_child_fid: whether a directory's event reports
 * the child's handle too. */
static bool child_fid(uint32_t fid_mode, uint32_t mask)
{
    if (mask & DIRENT_EVENTS)
        return fid_mode & FAN_REPORT_TARGET_FID;
    return (fid_mode & FAN_REPORT_FID) && !(mask & FAN_ONDIR);
}

void fanfid_event(struct fanotify *g, uint32_t mask, const int32_t fsid[2], uint32_t heard, int pid,
                  const struct inode *data, const struct inode *dir, const char *name, const struct inode *ndir,
                  const char *nname)
{
    uint32_t fid_mode = g->flags & FID_BITS;
    bool dirent = mask & DIRENT_EVENTS, ondir = mask & FAN_ONDIR, named = false, moved = false;
    /* the object (fanotify_fid_inode), the directory (fanotify_dfid_inode) */
    const struct inode *id = dirent && !(fid_mode & FAN_REPORT_TARGET_FID) ? dir : data;
    const struct inode *dirid = dirent ? dir : is_dir(data) ? data : dir, *child = NULL;
    if ((fid_mode & FAN_REPORT_DIR_FID) && dirid) {
        if (child_fid(fid_mode, mask) && id != dirid)
            child = id;
        id = dirid;
        if (!(fid_mode & FAN_REPORT_NAME)) {
            named = child != NULL;
            name = NULL;
        } else if (dirent || !ondir) {
            named = true;
        }
        if (mask & FAN_RENAME) { /* the old place if its directory's mark heard it, the new one if its did */
            bool sb = heard & FAN_HEARD_SB;
            if (!sb && !(heard & FAN_HEARD_INODE))
                dirid = NULL, name = NULL;
            moved = sb || (heard & FAN_HEARD_INODE2);
        }
    }
    struct fan_event *e = calloc(1, sizeof *e);
    if (!e)
        return;
    *e = (struct fan_event){.mask = mask, .pid = pid, .fid = true, .fd = -1, .fsid = {fsid[0], fsid[1]}};
    if (named && (name || moved || child)) {
        e->named = true;
        if (dirid)
            fh_of(dirid, &e->dir);
        if (child)
            fh_of(child, &e->obj);
        e->name = name ? strdup(name) : NULL;
        if (moved) {
            fh_of(ndir, &e->dir2);
            e->name2 = strdup(nname);
        }
    } else if (id) {
        fh_of(id, &e->obj);
    }
    e->q.size = fanfid_len(g, e);
    if (e->q.size > FAN_EVENT_MAX || (e->named && ((name && !e->name) || (moved && !e->name2)))) {
        fan_event_free(&e->q); /* no name is that long (NAME_MAX); or no memory */
        return;
    }
    fan_enqueue(g, e);
}

/* The bytes of one info record (Linux's fanotify_fid_info_len). */
static uint32_t info_len(uint32_t fh_len, size_t name_len)
{
    uint32_t n = 12 + 8 + fh_len + (name_len ? (uint32_t)name_len + 1 : 0);
    return (n + 3) & ~3u;
}

static size_t slen(const char *s) { return s ? strlen(s) : 0; }

/* Whether the event reports the name "." for a directory's own event. */
static bool dot(const struct fanotify *g, const struct fan_event *e)
{
    return !e->dir.len && !e->dir2.len && (g->flags & FAN_REPORT_NAME) && (e->mask & FAN_ONDIR);
}

uint32_t fanfid_len(const struct fanotify *g, const struct fan_event *e)
{
    uint32_t n = fan_event_len(g);
    if (e->dir.len)
        n += info_len(e->dir.len, slen(e->name));
    if (e->dir2.len)
        n += info_len(e->dir2.len, slen(e->name2));
    if (e->obj.len)
        n += info_len(e->obj.len, dot(g, e));
    return n;
}

/* One struct fanotify_event_info_fid: its header, the fsid, a struct
 * file_handle and the name (NUL-ended), padded with zeros. */
static size_t record(const struct fan_event *e, uint8_t type, const struct fan_fh *fh, const char *name, uint8_t *out)
{
    size_t nl = slen(name);
    uint32_t len = info_len(fh->len, nl), bytes = fh->len, ftype = fh->len ? fh->type : FILEID_INVALID;
    memset(out, 0, len);
    out[0] = type;
    uint16_t l16 = (uint16_t)len;
    memcpy(out + 2, &l16, 2);
    memcpy(out + 4, e->fsid, 8);
    memcpy(out + 12, &bytes, 4);
    memcpy(out + 16, &ftype, 4);
    memcpy(out + 20, fh->w, fh->len);
    if (nl)
        memcpy(out + 20 + fh->len, name, nl);
    return len;
}

size_t fanfid_records(const struct fanotify *g, const struct fan_event *e, uint8_t *out)
{
    uint32_t fid_mode = g->flags & FID_BITS;
    uint8_t type = 0;
    size_t n = 0;
    if (e->dir.len) { /* the directory and name */
        type = e->mask & FAN_RENAME ? INFO_OLD_DFID_NAME : e->name ? INFO_DFID_NAME : INFO_DFID;
        n += record(e, type, &e->dir, e->name, out + n);
    }
    if (e->dir2.len) /* a rename's new directory and name */
        n += record(e, type = INFO_NEW_DFID_NAME, &e->dir2, e->name2, out + n);
    if (e->obj.len) {
        bool d = false;
        if (fid_mode == FAN_REPORT_FID || type)
            type = INFO_FID; /* a second record is the child's */
        else if ((fid_mode & FAN_REPORT_NAME) && (e->mask & FAN_ONDIR))
            type = INFO_DFID_NAME, d = true; /* a directory's own event: the name "." */
        else if (e->mask & (DIRENT_EVENTS | FAN_ONDIR))
            type = INFO_DFID;
        else
            type = INFO_FID; /* a file's event with no directory to report (FAN_DELETE_SELF) */
        n += record(e, type, &e->obj, d ? "." : NULL, out + n);
    }
    return n;
}

static bool fh_same(const struct fan_fh *a, const struct fan_fh *b)
{
    return a->type == b->type && a->len == b->len && !memcmp(a->w, b->w, a->len);
}

static bool name_same(const char *a, const char *b) { return !a || !b ? a == b : !strcmp(a, b); }

bool fanfid_same(const struct fan_event *a, const struct fan_event *b)
{
    if (((a->mask ^ b->mask) & (FAN_ONDIR | FAN_RENAME)) || a->named != b->named || a->fsid[0] != b->fsid[0] ||
        a->fsid[1] != b->fsid[1])
        return false;
    if (!a->named)
        return a->obj.len && fh_same(&a->obj, &b->obj); /* not without a handle */
    return fh_same(&a->dir, &b->dir) && fh_same(&a->dir2, &b->dir2) && fh_same(&a->obj, &b->obj) &&
           name_same(a->name, b->name) && name_same(a->name2, b->name2);
}

void fanfid_hear(const struct fan_where *w, uint32_t mask, const struct inode *data, const struct inode *dir,
                 const char *name, const struct inode *ndir, const char *nname)
{
    struct proc *p = proc_charged;
    if (!fanfid_groups)
        return;
    if (w->ondir)
        mask |= FAN_ONDIR;
    for (struct fanotify *g = (struct fanotify *)fanotify_kind.groups; g; g = (struct fanotify *)g->g.next) {
        if (!(g->flags & FID_BITS))
            continue;
        uint32_t heard;
        int32_t fsid[2] = {0, 0};
        uint32_t got = fan_marks_mask(g, w, mask, &heard, fsid);
        if (!(got & ~(uint32_t)EVENT_FLAGS) || (!fsid[0] && !fsid[1]))
            continue; /* no event, or its flags alone */
        if (!(g->flags & FAN_REPORT_FID) && !dir && !w->ondir)
            continue; /* no directory to report */
        int pid = !p ? 0 : (g->flags & FAN_REPORT_TID) ? p->pid : proc_tgid(p);
        fanfid_event(g, got & ~(uint32_t)FAN_EVENT_ON_CHILD, fsid, heard, pid, data, dir, name, ndir, nname);
    }
    ng_wake();
}

/* ---- the hooks ---- */

void fanotify_inode(struct inode *ino, uint32_t mask)
{
    struct fan_where w = {ino, NULL, NULL, ino->fs, 0, is_dir(ino)};
    fanfid_hear(&w, mask, ino, NULL, NULL, NULL, NULL);
}

void fanotify_dirent(struct inode *dir, const char *name, const struct inode *child, uint32_t mask)
{
    struct fan_where w = {dir, NULL, NULL, dir->fs, 0, is_dir(child)};
    fanfid_hear(&w, mask, child, dir, name, NULL, NULL);
}

void fanotify_move(struct inode *odir, const char *oname, struct inode *ndir, const char *nname, struct inode *ino)
{
    struct fan_where w = {odir, NULL, ndir, odir->fs, 0, is_dir(ino)};
    fanfid_hear(&w, FAN_RENAME, ino, odir, oname, ndir, nname); /* both places in one event */
    fanotify_dirent(odir, oname, ino, FAN_MOVED_FROM);
    fanotify_dirent(ndir, nname, ino, FAN_MOVED_TO);
}
