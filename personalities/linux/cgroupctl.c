/*
 * personalities/linux/cgroupctl.c - the controllers of control groups
 * built here, with Linux 6.1's files, formats and parse rules: pids
 * (pids.max enforced at fork and clone: EAGAIN past it, counted in the
 * forker's pids.events), memory (memory.current, the resident pages of
 * the group's processes as the kernel counts them; memory.max enforced
 * as Linux's memcg OOM: past it, with nothing to reclaim, the largest
 * process of the group is killed, or the whole group with
 * memory.oom.group, counted in memory.events; min, low, high, swap.max
 * and swap.high kept; memory.stat) and cpu (weight, weight.nice, max,
 * max.burst and idle kept: the one CPU's scheduler has no groups).
 *
 * Entry points: cgroup.h (cgroupctl_*).  Layer: proc, under cgroupfs.c.
 * Book: docs/linux.md, "Control groups".
 */
#include "cgroup.h"
#include "mm.h"
#include "proc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SZ 4096ull

enum { EV_LOW, EV_HIGH, EV_MAX, EV_OOM, EV_OOM_KILL, EV_OOM_GROUP_KILL, EV_NR };
static const char *const ev_names[EV_NR] = {"low", "high", "max", "oom", "oom_kill", "oom_group_kill"};

/* The controllers' files: which controller, name, mode, and whether the
 * root has it (Linux 6.1's cftypes; the rest are CFTYPE_NOT_ON_ROOT). */
static const struct {
    int ss;
    const char *name;
    uint32_t mode;
    bool on_root;
} files[] = {
    {CG_CPU, "cpu.weight", 0644, false},        {CG_CPU, "cpu.weight.nice", 0644, false},
    {CG_CPU, "cpu.idle", 0644, false},          {CG_CPU, "cpu.max", 0644, false},
    {CG_CPU, "cpu.max.burst", 0644, false},     {CG_MEMORY, "memory.current", 0444, false},
    {CG_MEMORY, "memory.min", 0644, false},     {CG_MEMORY, "memory.low", 0644, false},
    {CG_MEMORY, "memory.high", 0644, false},    {CG_MEMORY, "memory.max", 0644, false},
    {CG_MEMORY, "memory.events", 0444, false},  {CG_MEMORY, "memory.events.local", 0444, false},
    {CG_MEMORY, "memory.stat", 0444, true},     {CG_MEMORY, "memory.oom.group", 0644, false},
    {CG_MEMORY, "memory.swap.current", 0444, false}, {CG_MEMORY, "memory.swap.high", 0644, false},
    {CG_MEMORY, "memory.swap.max", 0644, false}, {CG_MEMORY, "memory.swap.events", 0444, false},
    {CG_PIDS, "pids.max", 0644, false},         {CG_PIDS, "pids.current", 0444, false},
    {CG_PIDS, "pids.events", 0444, false},
};
#define NFILES (sizeof files / sizeof *files)

/* Linux's sched_prio_to_weight, nice -20 to 19. */
static const int prio_weight[40] = {88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
                                    9548,  7620,  6100,  4904,  3906,  3121,  2501,  1991,  1586,  1277,
                                    1024,  820,   655,   526,   423,   335,   272,   215,   172,   137,
                                    110,   87,    70,    56,    45,    36,    29,    23,    18,    15};

void cgroupctl_init(struct cgroup *cg)
{
    cg->pids_max = PIDS_MAX;
    cg->mem_min = cg->mem_low = 0;
    cg->mem_high = cg->mem_max = cg->swap_max = cg->swap_high = PAGE_COUNTER_MAX;
    cg->cpu_shares = 1024, cg->cpu_quota = UINT64_MAX, cg->cpu_period = 100000000ull, cg->cpu_burst = 0;
}

static int file_index(const char *name)
{
    for (size_t i = 0; i < NFILES; i++)
        if (!strcmp(files[i].name, name))
            return (int)i;
    return -1;
}

/* Whether cg shows file i: its controller enabled by its parent, or the root's own. */
static bool shows(const struct cgroup *cg, int i)
{
    return i >= 0 && (cg->parent ? (cg->parent->subtree_control >> files[i].ss) & 1 : files[i].on_root);
}

bool cgroupctl_has(const struct cgroup *cg, const char *name) { return shows(cg, file_index(name)); }

void cgroupctl_files(struct cgroup *cg, void (*fn)(struct cgroup *cg, const char *name, uint32_t mode))
{
    for (size_t i = 0; i < NFILES; i++)
        if (shows(cg, (int)i))
            fn(cg, files[i].name, files[i].mode);
}

uint64_t cgroupctl_mem_current(const struct cgroup *cg)
{
    uint64_t total = 0;
    for (struct proc *p = proc_list(); p; p = p->next) {
        if (p->zombie || p->leader || !cgroup_is_descendant(cgroup_of(p), cg))
            continue;
        bool seen = false; /* a memory shared with an earlier one (CLONE_VM) counts once */
        for (struct proc *q = proc_list(); q != p && !seen; q = q->next)
            seen = !q->zombie && !q->leader && q->mm == p->mm && cgroup_is_descendant(cgroup_of(q), cg);
        if (!seen)
            total += mm_rss(p);
    }
    return total;
}

int cgroupctl_pids_charge(struct cgroup *cg)
{
    for (struct cgroup *a = cg; a && a->parent; a = a->parent) /* the root has no pids.max */
        if (a->pids_max < PIDS_MAX && cgroup_nr_tasks(a) + 1 > a->pids_max) {
            cg->pids_events_max++; /* Linux 6.1 counts it where the fork was */
            cgroup_file_notify(cg, "pids.events");
            return -LINUX_EAGAIN;
        }
    return 0;
}

static void mem_event(struct cgroup *cg, int ev)
{
    cg->ev_local[ev]++;
    cgroup_file_notify(cg, "memory.events.local");
    for (struct cgroup *a = cg; a && a->parent; a = a->parent)
        a->ev[ev]++, cgroup_file_notify(a, "memory.events"); /* hierarchical, as memcg_memory_event */
}

/* Linux's memcg OOM for cg past memory.max: the process of its subtree
 * with the most badness (its resident pages, and oom_score_adj's
 * thousandths of the limit; -1000 spared, as oom_badness) is killed, and
 * with it, if a group from its own up to cg has memory.oom.group, every
 * process of the highest such (mem_cgroup_get_oom_group); false if none
 * could be. */
static bool oom_kill(struct cgroup *cg)
{
    struct proc *victim = NULL;
    int64_t most = 0;
    for (struct proc *p = proc_list(); p; p = p->next) {
        if (p->zombie || p->leader || p->oom_score_adj == -1000 || !cgroup_is_descendant(cgroup_of(p), cg))
            continue;
        int64_t points = (int64_t)(mm_rss(p) / PAGE_SZ) + (int64_t)p->oom_score_adj * cg->mem_max / 1000;
        if (!victim || points > most)
            victim = p, most = points;
    }
    if (!victim)
        return false;
    struct cgroup *grp = NULL;
    for (struct cgroup *a = cgroup_of(victim); a && cgroup_is_descendant(a, cg); a = a->parent)
        if (a->oom_group)
            grp = a;
    mem_event(cgroup_of(victim), EV_OOM_KILL);
    proc_oom_kill(victim);
    if (grp) {
        for (struct proc *p = proc_list(); p; p = p->next)
            if (!p->zombie && !p->leader && p->oom_score_adj != -1000 && cgroup_is_descendant(cgroup_of(p), grp)) {
                mem_event(cgroup_of(p), EV_OOM_KILL);
                proc_oom_kill(p);
            }
        mem_event(grp, EV_OOM_GROUP_KILL);
    }
    return true;
}

/* Every ancestor's memory.max over the memory of its subtree, until none is. */
static void mem_enforce(struct cgroup *from)
{
    for (struct cgroup *a = from; a && a->parent; a = a->parent) {
        if (a->mem_max == PAGE_COUNTER_MAX)
            continue;
        for (int tries = 0; tries < 64 && cgroupctl_mem_current(a) > (uint64_t)a->mem_max * PAGE_SZ; tries++) {
            mem_event(a, EV_MAX);
            mem_event(a, EV_OOM);
            if (!oom_kill(a))
                break;
        }
    }
}

bool cgroupctl_mem_check(struct proc *p)
{
    struct cgroup *cg = cgroup_of(p);
    struct proc *g = proc_group(p); /* a zombie until its parent waits: not freed meanwhile */
    for (struct cgroup *a = cg; a && a->parent; a = a->parent) /* nor memory.max */
        if (a->mem_max != PAGE_COUNTER_MAX || a->mem_high != PAGE_COUNTER_MAX) {
            if (a->mem_high != PAGE_COUNTER_MAX && cgroupctl_mem_current(a) > (uint64_t)a->mem_high * PAGE_SZ)
                mem_event(a, EV_HIGH);
            mem_enforce(cg);
            return g->zombie;
        }
    return false;
}

static int mem_text(int64_t pages, char *buf, size_t size)
{
    return pages == PAGE_COUNTER_MAX ? snprintf(buf, size, "max\n")
                                     : snprintf(buf, size, "%llu\n", (unsigned long long)pages * PAGE_SZ);
}

static int events_text(const uint64_t *ev, char *buf, size_t size)
{
    int n = 0;
    for (int i = 0; i < EV_NR; i++)
        n += snprintf(buf + n, size - (size_t)n, "%s %llu\n", ev_names[i], (unsigned long long)ev[i]);
    return n;
}

/* memory.stat: the resident memory as anonymous and active (the kernel
 * keeps no page lists, no file cache is charged). */
static int stat_text(const struct cgroup *cg, char *buf, size_t size)
{
    static const char *const keys[] = {"anon", "file", "kernel_stack", "pagetables", "percpu", "sock", "shmem",
                                        "file_mapped", "file_dirty", "file_writeback", "swapcached", "anon_thp",
                                        "file_thp", "shmem_thp", "inactive_anon", "active_anon", "inactive_file",
                                        "active_file", "unevictable", "slab_reclaimable", "slab_unreclaimable",
                                        "slab"};
    uint64_t cur = cgroupctl_mem_current(cg);
    int n = 0;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        n += snprintf(buf + n, size - (size_t)n, "%s %llu\n", keys[i],
                      (unsigned long long)(!strcmp(keys[i], "anon") || !strcmp(keys[i], "active_anon") ? cur : 0));
    return n;
}

int cgroupctl_show(struct cgroup *cg, const char *name, char *buf, size_t size)
{
    int i = file_index(name);
    if (i < 0)
        return -1;
    const char *n = name;
    if (!strcmp(n, "pids.max"))
        return cg->pids_max >= PIDS_MAX ? snprintf(buf, size, "max\n") : snprintf(buf, size, "%lld\n", (long long)cg->pids_max);
    if (!strcmp(n, "pids.current"))
        return snprintf(buf, size, "%lld\n", (long long)cgroup_nr_tasks(cg));
    if (!strcmp(n, "pids.events"))
        return snprintf(buf, size, "max %lld\n", (long long)cg->pids_events_max);
    if (!strcmp(n, "memory.current"))
        return snprintf(buf, size, "%llu\n", (unsigned long long)cgroupctl_mem_current(cg));
    if (!strcmp(n, "memory.swap.current"))
        return snprintf(buf, size, "0\n"); /* no swap is charged */
    int64_t *v = !strcmp(n, "memory.min") ? &cg->mem_min : !strcmp(n, "memory.low") ? &cg->mem_low
               : !strcmp(n, "memory.high") ? &cg->mem_high : !strcmp(n, "memory.max") ? &cg->mem_max
               : !strcmp(n, "memory.swap.max") ? &cg->swap_max : !strcmp(n, "memory.swap.high") ? &cg->swap_high : NULL;
    if (v)
        return mem_text(*v, buf, size);
    if (!strcmp(n, "memory.events"))
        return events_text(cg->ev, buf, size);
    if (!strcmp(n, "memory.events.local"))
        return events_text(cg->ev_local, buf, size);
    if (!strcmp(n, "memory.swap.events"))
        return snprintf(buf, size, "high 0\nmax 0\nfail 0\n");
    if (!strcmp(n, "memory.stat"))
        return stat_text(cg, buf, size);
    if (!strcmp(n, "memory.oom.group"))
        return snprintf(buf, size, "%d\n", cg->oom_group);
    if (!strcmp(n, "cpu.weight"))
        return snprintf(buf, size, "%llu\n", (unsigned long long)((cg->cpu_shares * 100 + 512) / 1024));
    if (!strcmp(n, "cpu.weight.nice")) {
        int prio = 0, last = INT32_MAX;
        for (; prio < 40; prio++) {
            int d = abs(prio_weight[prio] - (int)cg->cpu_shares);
            if (d >= last)
                break;
            last = d;
        }
        return snprintf(buf, size, "%d\n", prio - 1 - 20);
    }
    if (!strcmp(n, "cpu.idle"))
        return snprintf(buf, size, "%d\n", cg->cpu_idle);
    if (!strcmp(n, "cpu.max")) {
        int k = cg->cpu_quota == UINT64_MAX ? snprintf(buf, size, "max")
                                             : snprintf(buf, size, "%llu", (unsigned long long)(cg->cpu_quota / 1000));
        return k + snprintf(buf + k, size - (size_t)k, " %llu\n", (unsigned long long)(cg->cpu_period / 1000));
    }
    if (!strcmp(n, "cpu.max.burst"))
        return snprintf(buf, size, "%llu\n", (unsigned long long)(cg->cpu_burst / 1000));
    return -1;
}

/* Linux's page_counter_memparse: "max", or memparse's bytes (a K, M, G,
 * T, P or E suffix) in whole pages. */
static int memparse(const char *s, int64_t *pages)
{
    if (!strcmp(s, "max")) {
        *pages = PAGE_COUNTER_MAX;
        return 0;
    }
    char *end;
    if (*s == '-' || *s == '+' || *s == ' ')
        return -LINUX_EINVAL;
    unsigned long long b = strtoull(s, &end, 0);
    const char *units = "KMGTPE";
    const char *u = *end ? strchr(units, *end & ~0x20) : NULL;
    if (u && *end) {
        b <<= 10 * (u - units + 1);
        end++;
    }
    if (*end)
        return -LINUX_EINVAL;
    *pages = b / PAGE_SZ < (unsigned long long)PAGE_COUNTER_MAX ? (int64_t)(b / PAGE_SZ) : PAGE_COUNTER_MAX;
    return 0;
}

/* kstrtoll / kstrtoull of the whole text. */
static int parse_ll(const char *s, bool is_unsigned, long long *v)
{
    char *end;
    if (!*s || (is_unsigned && *s == '-'))
        return -LINUX_EINVAL;
    *v = is_unsigned ? (long long)strtoull(s, &end, 0) : strtoll(s, &end, 0);
    return *end ? -LINUX_EINVAL : 0;
}

/* Linux's tg_set_cfs_bandwidth's checks (in ns). */
static int cfs_bandwidth(struct cgroup *cg, uint64_t period, uint64_t quota, uint64_t burst)
{
    const uint64_t min = 1000000ull, maxp = 1000000000ull, maxrt = ((1ull << 44) - 1) * 1000ull;
    if (quota < min || period < min || period > maxp)
        return -LINUX_EINVAL;
    if (quota != UINT64_MAX && (quota > maxrt || burst > quota || burst + quota > maxrt))
        return -LINUX_EINVAL;
    cg->cpu_period = period, cg->cpu_quota = quota, cg->cpu_burst = burst;
    return 0;
}

int cgroupctl_write(struct cgroup *cg, const char *name, char *buf)
{
    long long v;
    int r;
    int64_t pages;
    if (file_index(name) < 0)
        return -LINUX_EINVAL;
    if (!strcmp(name, "pids.max")) {
        if (!strcmp(buf, "max"))
            v = PIDS_MAX;
        else if ((r = parse_ll(buf, false, &v)) < 0)
            return r;
        else if (v < 0 || v >= PIDS_MAX)
            return -LINUX_EINVAL;
        cg->pids_max = v;
        return 0;
    }
    int64_t *mv = !strcmp(name, "memory.min") ? &cg->mem_min : !strcmp(name, "memory.low") ? &cg->mem_low
                : !strcmp(name, "memory.high") ? &cg->mem_high : !strcmp(name, "memory.max") ? &cg->mem_max
                : !strcmp(name, "memory.swap.max") ? &cg->swap_max : !strcmp(name, "memory.swap.high") ? &cg->swap_high
                : NULL;
    if (mv) {
        if ((r = memparse(buf, &pages)) < 0)
            return r;
        *mv = pages;
        if (mv == &cg->mem_max) /* a limit under the usage reclaims, then kills (memory_max_write) */
            mem_enforce(cg);
        return 0;
    }
    if (!strcmp(name, "memory.oom.group")) {
        if ((r = parse_ll(buf, false, &v)) < 0)
            return r;
        if (v != 0 && v != 1)
            return -LINUX_EINVAL;
        cg->oom_group = (int)v;
        return 0;
    }
    if (!strcmp(name, "cpu.weight")) {
        if ((r = parse_ll(buf, true, &v)) < 0)
            return r;
        if ((unsigned long long)v < 1 || (unsigned long long)v > 10000)
            return -LINUX_ERANGE;
        cg->cpu_shares = ((uint64_t)v * 1024 + 50) / 100;
        return 0;
    }
    if (!strcmp(name, "cpu.weight.nice")) {
        if ((r = parse_ll(buf, false, &v)) < 0)
            return r;
        if (v < -20 || v > 19)
            return -LINUX_ERANGE;
        cg->cpu_shares = (uint64_t)prio_weight[v + 20];
        return 0;
    }
    if (!strcmp(name, "cpu.idle")) {
        if ((r = parse_ll(buf, false, &v)) < 0)
            return r;
        if (v < 0 || v > 1)
            return -LINUX_EINVAL;
        cg->cpu_idle = (int)v;
        return 0;
    }
    if (!strcmp(name, "cpu.max")) { /* Linux's cpu_period_quota_parse */
        char tok[21];
        unsigned long long period = cg->cpu_period / 1000, quota;
        if (sscanf(buf, "%20s %llu", tok, &period) < 1)
            return -LINUX_EINVAL;
        if (sscanf(tok, "%llu", &quota) == 1)
            quota *= 1000;
        else if (!strcmp(tok, "max"))
            quota = UINT64_MAX;
        else
            return -LINUX_EINVAL;
        return cfs_bandwidth(cg, period * 1000, quota, cg->cpu_burst);
    }
    if (!strcmp(name, "cpu.max.burst")) {
        if ((r = parse_ll(buf, true, &v)) < 0)
            return r;
        return cfs_bandwidth(cg, cg->cpu_period, cg->cpu_quota, (uint64_t)v * 1000);
    }
    return -LINUX_EINVAL;
}
