/*
 * personalities/linux/fanperm.c - fanotify's permission events
 * (FAN_OPEN_PERM, FAN_ACCESS_PERM, FAN_OPEN_EXEC_PERM) in the groups of
 * class FAN_CLASS_CONTENT and FAN_CLASS_PRE_CONTENT.  An open, a read or
 * an exec asks the groups whose marks want it one at a time, as Linux's
 * fsnotify: pre-content groups first, then content groups, each in the
 * order made.  Asking queues an event (never merged) and the caller
 * waits (WAIT_FANPERM), as Linux's killable wait: only a fatal signal
 * ends it.  The listener reads the event with a descriptor and writes
 * struct fanotify_response naming it: FAN_DENY ends the call with EPERM;
 * FAN_ALLOW (or the group's end, which lets every waiter go, read or
 * not) restarts the call (-ERESTARTNOINTR: after the handler of a signal
 * that came meanwhile, if any), which skips the groups that have said yes (the
 * process's fanperm pass: the inode, the event, the last group's key)
 * and asks the next.  An event whose copy to the reader fails is denied,
 * one past a full queue allowed (the overflow event queued), as Linux's.
 *
 * Entry points: fsnotify.h (fanotify_perm, through fsnotify_perm), and
 * fanperm.h's calls from fanotify.c.  Layer: a file type, above the file
 * system.  Book: docs/linux.md, "fanotify".
 */
#include "fanperm.h"
#include "fsnotify.h"
#include "wait.h"
#include <stdlib.h>

int fanotify_perm_groups;
static uint64_t serial;

void fanperm_group(struct fanotify *g, uint32_t class)
{
    if (!class)
        return;
    uint64_t prio = class & FAN_CLASS_PRE_CONTENT ? 2 : 1;
    g->key = (3 - prio) << 40 | ++serial; /* higher priority first, then older first */
    fanotify_perm_groups++;
}

/* The group with the least key past floor whose marks want mask on ino. */
static struct fanotify *next_group(struct inode *ino, uint32_t mask, uint64_t floor)
{
    const struct inode *dir = fan_event_dir(ino);
    int mount_id = fan_mount_id(ino);
    struct fanotify *best = NULL;
    for (struct fanotify *g = (struct fanotify *)fanotify_kind.groups; g; g = (struct fanotify *)g->g.next)
        if (g->key > floor && (!best || g->key < best->key) && fan_group_mask(g, ino, dir, mount_id, mask))
            best = g;
    return best;
}

int fanotify_perm(struct sys_ctx *c, struct inode *ino, uint32_t mask)
{
    struct proc *p = c->p;
    uint64_t floor = 0;
    if (ino->fs == &anon_inodefs)
        return 0;
    if (p->fanperm.ino == ino && p->fanperm.mask == mask)
        floor = p->fanperm.key; /* the call again, after those groups said yes */
    else if (p->fanperm.ino == ino && mask == FAN_OPEN_EXEC_PERM && p->fanperm.mask == FAN_OPEN_PERM)
        return 0;               /* an exec's first question, answered before its second */
    struct fanotify *g;
    while ((g = next_group(ino, mask, floor))) {
        int room = ng_room(&g->g);
        if (room == NG_ROOM)
            break;
        if (room == NG_OVERFLOW)
            fan_overflow(g); /* the event is lost, and so allowed */
        floor = g->key;
    }
    p->fanperm.ino = NULL;
    struct fan_event *e = g ? calloc(1, sizeof *e) : NULL;
    if (!e) {
        ng_wake();
        return 0;
    }
    *e = (struct fan_event){.q = {NULL, fan_event_len(g), false}, .ino = ino, .mask = mask,
                            .pid = (g->flags & FAN_REPORT_TID) ? p->pid : proc_tgid(p), .perm = true, .key = g->key,
                            .fd = -1};
    ino->refs++;
    ng_queue(&g->g, &e->q);
    p->wait = (struct proc_wait){.kind = WAIT_FANPERM, .token = c->token, .fds = (uintptr_t)e};
    c->deferred = true;
    ng_wake();
    return 0;
}

/* e's answer to the call that waits for it (none if it was killed). */
static void answer(struct fan_event *e, bool allow)
{
    for (struct proc *p = proc_list(); p; p = p->next) {
        if (p->zombie || p->wait.kind != WAIT_FANPERM || p->wait.fds != (uintptr_t)e)
            continue;
        p->fanperm.ino = allow ? e->ino : NULL;
        p->fanperm.made = allow ? p->fanperm.made : NULL;
        p->fanperm.mask = e->mask;
        p->fanperm.key = e->key;
        wait_finish(p, allow ? -ERESTARTNOINTR : -LINUX_EPERM); /* allowed: the call again, past this group,
                                                                   after a handler of a signal that came too */
        return;
    }
}

void fanperm_read(struct fanotify *g, struct fan_event *e, int fd)
{
    if (fd < 0) {
        answer(e, false);
        return;
    }
    e->fd = fd;
    e->asked = true; /* kept: fan_event_free leaves it */
    e->next_asked = g->asked;
    g->asked = e;
}

/* e off the list of events read, answered, freed. */
static void settle(struct fan_event *e, bool allow)
{
    answer(e, allow);
    e->asked = false;
    fan_event_free(&e->q);
}

/* struct fanotify_response */
struct fan_response {
    int32_t fd;
    uint32_t response;
};

int64_t fanperm_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    struct fanotify *g = (struct fanotify *)f->group;
    struct fan_response r;
    if (len < sizeof r)
        return -LINUX_EINVAL;
    if (mem_in(c->p, &r, ubuf, sizeof r) < 0)
        return -LINUX_EFAULT;
    uint32_t verdict = r.response & ~(uint32_t)FAN_AUDIT;
    if ((verdict != FAN_ALLOW && verdict != FAN_DENY) || r.fd < 0 ||
        ((r.response & FAN_AUDIT) && !(g->flags & FAN_ENABLE_AUDIT)))
        return -LINUX_EINVAL;
    for (struct fan_event **pp = &g->asked; *pp; pp = &(*pp)->next_asked) {
        struct fan_event *e = *pp;
        if (e->fd == r.fd) {
            *pp = e->next_asked;
            settle(e, verdict == FAN_ALLOW);
            return sizeof r; /* one answer a write, whatever its length */
        }
    }
    return -LINUX_ENOENT;
}

void fanperm_release(struct fanotify *g)
{
    if (!g->key)
        return;
    fanotify_perm_groups--;
    g->key = 0; /* asks nothing more */
    while (g->asked) {
        struct fan_event *e = g->asked;
        g->asked = e->next_asked;
        settle(e, true);
    }
    for (struct ng_event *q = g->g.head; q; q = q->next) /* not read yet: freed with the queue */
        if (((struct fan_event *)q)->perm)
            answer((struct fan_event *)q, true);
}
