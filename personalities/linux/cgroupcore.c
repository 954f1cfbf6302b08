/*
 * personalities/linux/cgroupcore.c - the writes to control groups' core
 * files, as Linux 6.1's cgroup core takes them: cgroup.subtree_control
 * (+name and -name, the threaded mode's and the no-internal-process
 * rule's checks), cgroup.type ("threaded"), cgroup.max.depth and
 * max.descendants, cgroup.freeze, cgroup.kill, and cgroup.procs and
 * cgroup.threads (cgroup.c's moves); the controllers' files go to
 * cgroupctl.c.
 *
 * Entry points: cgroup_core_write (cgroupfs.c's write).  Layer: proc,
 * under cgroupfs.c.  Book: docs/linux.md, "Control groups".
 */
#include "cgroup.h"
#include "proc.h"
#include <stdlib.h>
#include <string.h>

/* Linux's cgroup_subtree_control_write. */
static int subtree_write(struct cgroup *cg, char *buf)
{
    uint32_t enable = 0, disable = 0;
    for (char *tok = strtok(buf, " \n\t"); tok; tok = strtok(NULL, " \n\t")) {
        int i = 0;
        while (i < CG_NR && strcmp(tok + 1, cgroup_ss_names[i]))
            i++;
        if (i == CG_NR || (*tok != '+' && *tok != '-'))
            return -LINUX_EINVAL;
        if (*tok == '+')
            enable |= 1u << i, disable &= ~(1u << i);
        else
            disable |= 1u << i, enable &= ~(1u << i);
    }
    if (cg->dead)
        return -LINUX_ENODEV;
    for (int i = 0; i < CG_NR; i++) {
        uint32_t b = 1u << i;
        if (enable & b) {
            if (cg->subtree_control & b)
                enable &= ~b;
            else if (!(cgroup_control(cg) & b))
                return -LINUX_ENOENT;
        } else if (disable & b) {
            if (!(cg->subtree_control & b))
                disable &= ~b;
            for (struct cgroup *ch = cg->children; (disable & b) && ch; ch = ch->sibling)
                if (ch->subtree_control & b)
                    return -LINUX_EBUSY;
        }
    }
    if (!enable && !disable)
        return 0;
    if (enable) { /* Linux's cgroup_vet_subtree_control_enable */
        if (!cgroup_is_valid_domain(cg->dom))
            return -LINUX_EOPNOTSUPP;
        if (cg->parent) {
            if (enable & ~CG_THREADED) {
                if (cgroup_is_thread_root(cg) || cgroup_is_threaded(cg))
                    return -LINUX_EOPNOTSUPP;
                if (cgroup_has_tasks(cg))
                    return -LINUX_EBUSY;
            } else if (!cgroup_can_be_thread_root(cg) && !cgroup_is_threaded(cg) && cgroup_has_tasks(cg)) {
                return -LINUX_EBUSY;
            }
        }
    }
    cg->subtree_control = (cg->subtree_control | enable) & ~disable;
    for (struct cgroup *ch = cg->children; ch; ch = ch->sibling)
        cgroupfs_files(ch);
    return 0;
}

/* Linux's cgroup_enable_threaded: cgroup.type's "threaded". */
static int make_threaded(struct cgroup *cg)
{
    struct cgroup *dom = cg->parent->dom;
    if (cgroup_is_threaded(cg))
        return 0;
    if (cgroup_populated(cg) || (cg->subtree_control & ~CG_THREADED))
        return -LINUX_EOPNOTSUPP;
    if (!cgroup_is_valid_domain(dom) || !cgroup_can_be_thread_root(dom))
        return -LINUX_EOPNOTSUPP;
    cg->dom = dom;
    for (struct cgroup *ch = cg->children; ch; ch = ch->sibling) /* its threaded descendants join the domain */
        if (cgroup_is_threaded(ch))
            ch->dom = dom;
    cg->parent->nr_threaded_children++;
    return 0;
}

/* kstrtoint of the whole (stripped) text: 0, -EINVAL or -ERANGE. */
static int parse_int(const char *s, long long lo, long long hi, long long *v)
{
    char *end;
    if (!*s || *s == ' ')
        return -LINUX_EINVAL;
    *v = strtoll(s, &end, 0);
    if (*end)
        return -LINUX_EINVAL;
    return *v < lo || *v > hi ? -LINUX_ERANGE : 0;
}

static void notify_subtree(struct cgroup *cg)
{
    for (struct cgroup *ch = cg->children; ch; ch = ch->sibling)
        notify_subtree(ch);
    cgroup_notify(cg);
}

int cgroup_core_write(struct cgroup *cg, const char *name, char *buf)
{
    long long v;
    int r;
    if (!strcmp(name, "cgroup.procs") || !strcmp(name, "cgroup.threads"))
        return cgroup_procs_write(proc_charged, cg, buf, name[7] == 'p');
    if (!strcmp(name, "cgroup.subtree_control"))
        return subtree_write(cg, buf);
    if (!strcmp(name, "cgroup.type"))
        return strcmp(buf, "threaded") ? -LINUX_EINVAL : cg->dead ? -LINUX_ENODEV : make_threaded(cg);
    if (!strcmp(name, "cgroup.max.descendants") || !strcmp(name, "cgroup.max.depth")) {
        if (!strcmp(buf, "max"))
            v = CG_MAX;
        else if ((r = parse_int(buf, INT32_MIN, INT32_MAX, &v)) < 0)
            return r;
        if (v < 0)
            return -LINUX_ERANGE;
        if (cg->dead)
            return -LINUX_ENODEV;
        *(name[11] == 'd' && name[12] == 'e' && name[13] == 's' ? &cg->max_descendants : &cg->max_depth) = (int)v;
        return 0;
    }
    if (!strcmp(name, "cgroup.freeze")) {
        if ((r = parse_int(buf, INT32_MIN, INT32_MAX, &v)) < 0)
            return r;
        if (v < 0 || v > 1)
            return -LINUX_ERANGE;
        cg->freeze = v;
        cgroup_freeze_apply(cg);
        notify_subtree(cg); /* every frozen there may change */
        return 0;
    }
    if (!strcmp(name, "cgroup.kill")) {
        if ((r = parse_int(buf, INT32_MIN, INT32_MAX, &v)) < 0)
            return r;
        if (v != 1)
            return -LINUX_ERANGE;
        if (cgroup_is_threaded(cg))
            return -LINUX_EOPNOTSUPP;
        cgroup_kill(cg);
        return 0;
    }
    return cgroupctl_write(cg, name, buf);
}
