/*
 * personalities/linux/cgroup.c - control groups' tree and membership, as
 * Linux 6.1's cgroup v2: every thread is in one group (struct proc's
 * cgroup; NULL is the root), a child starts in its parent's (or in
 * clone3's CLONE_INTO_CGROUP one), and a write of a pid to cgroup.procs
 * or cgroup.threads moves it, under Linux's rules (the writer's access to
 * the common ancestor's cgroup.procs, the no-internal-process rule, the
 * threaded mode's domains).  What is counted is looked up in the process
 * table when asked: a group is populated while a live thread is in its
 * subtree, and pids.current counts its threads until they are reaped.
 * The freezer holds a frozen group's threads as a job stop holds them
 * (their replies parked) until thawed; cgroup.kill sends SIGKILL to the
 * subtree's processes.  /proc/PID/cgroup's line is the group's path from
 * the reader's cgroup namespace's root (the group it was made in).
 *
 * Entry points: cgroup.h.  Layer: proc.  Book: docs/linux.md, "Control
 * groups".
 */
#include "cgroup.h"
#include "file.h"
#include "fsnotify.h"
#include "ns.h"
#include "pidns.h"
#include "proc.h"
#include "procfs.h"
#include "signal.h"
#include "wait.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const cgroup_ss_names[CG_NR] = {"cpu", "memory", "pids"};

struct cgroup cgroup_root = {.name = "", .dom = &cgroup_root, .refs = 1, .max_depth = CG_MAX,
                             .max_descendants = CG_MAX};

struct cgroup *cgroup_of(const struct proc *p) { return p->cgroup ? p->cgroup : &cgroup_root; }

void cgroup_get(struct cgroup *cg)
{
    if (cg)
        cg->refs++;
}

void cgroup_put(struct cgroup *cg)
{
    if (!cg || cg == &cgroup_root || --cg->refs > 0)
        return;
    for (struct cgroup *a = cg->parent; a; a = a->parent)
        a->nr_dying--; /* a removed group's last user went */
    struct cgroup *parent = cg->parent;
    free(cg);
    cgroup_put(parent);
}

bool cgroup_is_descendant(const struct cgroup *cg, const struct cgroup *of)
{
    for (; cg; cg = cg->parent)
        if (cg == of)
            return true;
    return false;
}

static bool live(const struct proc *t) { return !t->zombie && !(t == proc_group((struct proc *)t) && t->thread_gone); }

bool cgroup_populated(const struct cgroup *cg)
{
    for (struct proc *t = proc_list(); t; t = t->next)
        if (live(t) && cgroup_is_descendant(cgroup_of(t), cg))
            return true;
    return false;
}

bool cgroup_has_tasks(const struct cgroup *cg)
{
    for (struct proc *t = proc_list(); t; t = t->next)
        if (live(t) && cgroup_of(t) == cg)
            return true;
    return false;
}

int64_t cgroup_nr_tasks(const struct cgroup *cg)
{
    int64_t n = 0;
    for (struct proc *t = proc_list(); t; t = t->next)
        n += cgroup_is_descendant(cgroup_of(t), cg); /* a zombie until it is reaped, as Linux's pids_release */
    return n;
}

/* Whether a live child of cg has a domain (not threaded) one populated
 * (Linux's nr_populated_domain_children). */
static bool populated_domain_children(const struct cgroup *cg)
{
    for (const struct cgroup *ch = cg->children; ch; ch = ch->sibling)
        if (!cgroup_is_threaded(ch) && cgroup_populated(ch))
            return true;
    return false;
}

bool cgroup_is_threaded(const struct cgroup *cg) { return cg->dom != cg; }
static bool mixable(const struct cgroup *cg) { return !cg->parent; }

bool cgroup_can_be_thread_root(const struct cgroup *cg)
{
    if (mixable(cg))
        return true;
    if (cgroup_is_threaded(cg) || populated_domain_children(cg))
        return false;
    return !(cg->subtree_control & ~CG_THREADED);
}

bool cgroup_is_thread_root(const struct cgroup *cg)
{
    if (cgroup_is_threaded(cg))
        return false;
    if (cg->nr_threaded_children)
        return true;
    return cgroup_has_tasks(cg) && (cg->subtree_control & CG_THREADED);
}

bool cgroup_is_valid_domain(const struct cgroup *cg)
{
    if (cgroup_is_threaded(cg))
        return false;
    while ((cg = cg->parent)) {
        if (!mixable(cg) && cgroup_is_thread_root(cg))
            return false;
        if (cgroup_is_threaded(cg))
            return false;
    }
    return true;
}

uint32_t cgroup_control(const struct cgroup *cg) { return cg->parent ? cg->parent->subtree_control : CG_ALL; }

int cgroup_vet_dst(const struct cgroup *dst)
{
    if (!cgroup_is_valid_domain(dst->dom))
        return -LINUX_EOPNOTSUPP;
    if (mixable(dst) || cgroup_can_be_thread_root(dst) || cgroup_is_threaded(dst))
        return 0;
    return dst->subtree_control ? -LINUX_EBUSY : 0; /* the no-internal-process rule */
}

int cgroup_may_write_procs(const struct cgroup *cg)
{
    struct inode *f = cg->dir ? fs_dir_find(cg->dir, "cgroup.procs", 12) : NULL;
    return f ? fs_generic_permission(f, MAY_WRITE) : 0;
}

struct cgroup *cgroup_ns_root(const struct proc *p)
{
    struct ns *n = ns_of(p, NS_CGROUP);
    return n->cgroot ? n->cgroot : &cgroup_root;
}

/* Linux's cgroup_attach_permissions: the writer's access to the common
 * ancestor's cgroup.procs, both groups inside its namespace (with
 * nsdelegate), the destination's vetting, one domain for a thread. */
static int attach_permissions(const struct proc *caller, struct cgroup *src, struct cgroup *dst, bool threadgroup)
{
    struct cgroup *com = src;
    while (!cgroup_is_descendant(dst, com))
        com = com->parent;
    int r = cgroup_may_write_procs(com);
    if (r < 0)
        return r;
    struct cgroup *root = cgroup_ns_root(caller);
    if ((cgroup_root_flags & CGRP_NS_DELEGATE) && (!cgroup_is_descendant(src, root) || !cgroup_is_descendant(dst, root)))
        return -LINUX_ENOENT;
    if ((r = cgroup_vet_dst(dst)) < 0)
        return r;
    return !threadgroup && src->dom != dst->dom ? -LINUX_EOPNOTSUPP : 0;
}

/* Thread t goes to group to; a freezing there holds it, a thawing frees it. */
static void move_thread(struct proc *t, struct cgroup *to)
{
    struct cgroup *from = cgroup_of(t);
    if (from == to)
        return;
    cgroup_get(to);
    t->cgroup = to == &cgroup_root ? NULL : to;
    cgroup_put(from);
}

int cgroup_procs_write(struct proc *caller, struct cgroup *dst, const char *buf, bool threadgroup)
{
    char *end;
    while (*buf == ' ' || *buf == '\n' || *buf == '\t')
        buf++;
    long pid = strtol(buf, &end, 0);
    while (*end == ' ' || *end == '\n' || *end == '\t')
        end++;
    if (dst->dead)
        return -LINUX_ENODEV;
    if (end == buf || *end || pid < 0 || pid > INT32_MAX || *buf == '-' || *buf == '+')
        return -LINUX_EINVAL; /* kstrtoint's number, not negative */
    struct proc *t = pid ? pidns_find(caller, (int)pid) : caller;
    if (!t)
        return -LINUX_ESRCH;
    if (threadgroup)
        t = proc_group(t);
    int r = attach_permissions(caller, cgroup_of(t), dst, threadgroup);
    if (r < 0 || t->zombie)
        return r; /* an exiting task is not moved, and that is no error (cgroup_migrate_add_task) */
    struct cgroup *src = cgroup_of(t);
    cgroup_get(src);
    if (threadgroup) {
        for_each_thread(th, t)
            if (!th->zombie)
                move_thread(th, dst);
    } else {
        move_thread(t, dst);
    }
    cgroup_freeze_apply(dst);
    cgroup_notify(src), cgroup_notify(dst);
    cgroup_put(src);
    return 0;
}

void cgroup_fork(struct proc *ch, const struct proc *p, struct cgroup *into)
{
    struct cgroup *cg = into ? into : cgroup_of(p);
    cgroup_get(cg);
    ch->cgroup = cg == &cgroup_root ? NULL : cg;
    ch->frozen = cgroup_frozen(cg); /* it starts held: cgroup_started */
    if (into)
        cgroup_notify(into); /* an empty group it starts in is populated now */
}

int cgroup_can_fork(const struct proc *p, struct cgroup *into)
{
    return cgroupctl_pids_charge(into ? into : cgroup_of(p));
}

void cgroup_file_notify(struct cgroup *cg, const char *name)
{
    struct inode *f = cg->dir ? fs_dir_find(cg->dir, name, strlen(name)) : NULL;
    if (f)
        fsnotify(f, IN_MODIFY);
    poll_recheck();
}

void cgroup_notify(struct cgroup *cg)
{
    for (struct cgroup *a = cg; a; a = a->parent) {
        int now = cgroup_populated(a) | cgroup_frozen(a) << 1;
        if (now != a->events_shown && a->parent) { /* the root has no cgroup.events */
            a->events_shown = now;
            cgroup_file_notify(a, "cgroup.events");
        }
    }
}

void cgroup_exited(struct proc *p)
{
    if (p->cgroup) /* its other threads told theirs as they were freed (cgroup_release) */
        cgroup_notify(p->cgroup);
}

void cgroup_started(struct proc *ch)
{
    if (ch->frozen) /* started in a frozen group: held at once */
        sys_thread_interrupt(ch->thread);
}

void cgroup_release(struct proc *p)
{
    struct cgroup *cg = cgroup_of(p);
    uint64_t u, s;
    proc_thread_cpu_ns(p, &u, &s);
    cg->gone_user_ns += u, cg->gone_system_ns += s;
    p->cgroup = NULL;
    if (cg != &cgroup_root)
        cgroup_notify(cg); /* a thread's end may empty its group */
    cgroup_put(cg);
}

int cgroup_clone_into(const struct proc *p, const struct file *f, bool threadgroup, struct cgroup **into)
{
    if (!f || !f->inode || !cgroupfs_is(f->inode) || (f->inode->mode & S_IFMT) != S_IFDIR)
        return -LINUX_EBADF; /* not a cgroup2 directory (cgroup_get_from_file) */
    struct cgroup *dst = cgroupfs_group(f->inode);
    if (!dst)
        return -LINUX_ENOENT; /* removed: no longer online */
    int r = cgroup_may_write_procs(dst);
    if (r < 0 || (r = attach_permissions(p, cgroup_of(p), dst, threadgroup)) < 0)
        return r;
    *into = dst;
    return 0;
}

bool cgroup_frozen(const struct cgroup *cg)
{
    for (; cg; cg = cg->parent)
        if (cg->freeze)
            return true;
    return false;
}

void cgroup_freeze_apply(struct cgroup *cg)
{
    for (struct proc *t = proc_list(), *n; t; t = n) {
        n = t->next;
        if (t->zombie || !cgroup_is_descendant(cgroup_of(t), cg))
            continue;
        bool want = cgroup_frozen(cgroup_of(t));
        if (want && !t->frozen) {
            t->frozen = true; /* running: stopped at once; in a call: parked when it is answered */
            if (!proc_waiting(t) && !t->parked.held)
                sys_thread_interrupt(t->thread);
        } else if (!want && t->frozen) {
            t->frozen = false;
            if (t->parked.held && !proc_group(t)->job.stopped) {
                t->parked.held = false;
                proc_reply(t, t->parked.token, t->parked.result);
            }
        }
    }
    poll_recheck(); /* a move or a freeze: the pollers of cgroup.events look again */
}

void cgroup_kill(struct cgroup *cg)
{
    for (struct proc *t = proc_list(), *n; t; t = n) {
        n = t->next;
        if (!t->zombie && !t->leader && cgroup_is_descendant(cgroup_of(t), cg))
            signal_send(t, SIGKILL, NULL);
    }
    for (struct proc *t = proc_list(); t; t = t->next) /* a thread alone in the subtree */
        if (!t->zombie && t->leader && cgroup_is_descendant(cgroup_of(t), cg) && !proc_group(t)->zombie)
            signal_send(proc_group(t), SIGKILL, NULL);
}

/* Appends "/name" steps from root down to cg. */
static size_t path_down(const struct cgroup *cg, const struct cgroup *root, char *buf, size_t size)
{
    if (cg == root || !cg)
        return 0;
    size_t n = path_down(cg->parent, root, buf, size);
    int k = snprintf(buf + n, n < size ? size - n : 0, "/%s", cg->name);
    return n + (k > 0 ? (size_t)k : 0);
}

void cgroup_path(const struct cgroup *cg, const struct cgroup *root, char *buf, size_t size)
{
    const struct cgroup *com = root;
    size_t n = 0;
    buf[0] = '\0';
    while (!cgroup_is_descendant(cg, com)) { /* above the namespace's root: ".." steps, as kernfs_path_from_node */
        int k = snprintf(buf + n, n < size ? size - n : 0, "/..");
        n += k > 0 ? (size_t)k : 0;
        com = com->parent;
    }
    path_down(cg, com, buf + (n < size ? n : size), n < size ? size - n : 0);
    if (!buf[0])
        snprintf(buf, size, "/");
}

void cgroup_proc_text(const struct proc *viewer, const struct proc *p, char *buf, size_t size)
{
    char path[PATH_MAX_LEN];
    const struct cgroup *cg = cgroup_of(p);
    cgroup_path(cg, viewer ? cgroup_ns_root(viewer) : &cgroup_root, path, sizeof path);
    snprintf(buf, size, "0::%s%s\n", path, cg->dead ? " (deleted)" : ""); /* a zombie's removed group */
}
