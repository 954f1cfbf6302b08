/*
 * personalities/linux/procinfo.c - the global files of /proc that say
 * what the machine holds, in Linux 6.1's formats: meminfo (6.1's fields
 * in its order: memory from the kernel, Shmem (and Cached) tmpfs's pages (shared memory's too),
 * Committed_AS overcommit.c's count,
 * Mlocked from the processes' areas, CommitLimit from the overcommit settings, 0 for what
 * does not exist here: no swap, no page cache apart from tmpfs, no huge
 * pages), vmstat (6.1's first counters: nr_free_pages, the anonymous and
 * shared pages, pgfault true, the others 0), devices (the majors of the drivers dev.c, pty.c and loop.c hold),
 * partitions and diskstats (the loop devices bound to a file, loop.c's
 * counts), consoles, execdomains, misc, interrupts and softirqs (one CPU,
 * no count kept), cgroups (the controllers built, on the v2 hierarchy),
 * buddyinfo and zoneinfo (one zone, its free pages), slabinfo (root's,
 * the header: no slab cache), and the counts /proc/sys/fs shows
 * (file-nr's open files, inode-nr).
 *
 * Entry points: procinfo_* (procfs.h).  Callers: procglobal.c,
 * procsysfiles.c.  Layer: procfs.  Book: docs/linux.md, "/proc".
 */
#include "cgroup.h"
#include "loop.h"
#include "mm.h"
#include "proc.h"
#include "procfs.h"
#include "sysctl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct persona_memstats memstats(void)
{
    struct persona_memstats ms = {0, 0};
    sys_stats(STATS_MEMORY, -1, &ms, sizeof ms);
    return ms;
}

/* Whether p's mm is one an earlier process of the list has (threads and
 * CLONE_VM children share it: counted once). */
static bool mm_seen(const struct proc *p)
{
    for (const struct proc *q = proc_list(); q && q != p; q = q->next)
        if (!q->zombie && q->mm == p->mm)
            return true;
    return false;
}

/* The bytes committed (Linux's vm_committed_as, overcommit.c's count)
 * and those every mm has locked. */
static void mm_totals(uint64_t *committed, uint64_t *locked)
{
    *committed = mm_committed(), *locked = 0;
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && p->mm && !mm_seen(p))
            *locked += mm_locked(p->mm, 0, ~0ull);
}

/* vm_commit_limit: overcommit_kbytes if set, else overcommit_ratio's
 * share of memory; no swap is added (there is none). */
unsigned long procinfo_commit_limit_kb(void)
{
    if (sysctl_overcommit_kbytes)
        return sysctl_overcommit_kbytes;
    return (unsigned long)(mm_total_pages() * (uint64_t)sysctl_overcommit_ratio / 100 * 4);
}

/* A line of meminfo: the name and its colon in 16 columns, as Linux's
 * show_val_kb. */
static void kb_line(const char *name, unsigned long v)
{
    char head[24];
    snprintf(head, sizeof head, "%s:", name);
    procfs_put("%-16s%8lu kB\n", head, v);
}
void procinfo_meminfo(struct inode *root, const char *name)
{
    struct persona_memstats ms = memstats();
    unsigned long total = ms.total_bytes / 1024, free_kb = ms.free_bytes / 1024, used = total - free_kb;
    uint64_t committed, locked;
    mm_totals(&committed, &locked);
    static const char *const head[] = {"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached",
                                       "Active", "Inactive", "Active(anon)", "Inactive(anon)", "Active(file)",
                                       "Inactive(file)", "Unevictable", "Mlocked"};
    /* every page in use is active (nothing is reclaimed); tmpfs's and shared memory's are Shmem, on the
     * anonymous list and in Cached as Linux's; the rest anonymous */
    unsigned long shmem = tmpfs_shmem_pages * 4, anon = used > shmem ? used - shmem : 0;
    unsigned long headv[] = {total, free_kb, free_kb, 0, shmem, 0, anon + shmem, 0, anon + shmem, 0, 0, 0,
                             locked / 1024, locked / 1024};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        kb_line(head[i], headv[i]);
    static const char *const zero1[] = {"SwapTotal", "SwapFree", "Zswap", "Zswapped", "Dirty", "Writeback"};
    for (size_t i = 0; i < sizeof zero1 / sizeof zero1[0]; i++)
        kb_line(zero1[i], 0);
    kb_line("AnonPages", anon);
    kb_line("Mapped", 0);
    kb_line("Shmem", shmem);
    static const char *const zero2[] = {"KReclaimable", "Slab", "SReclaimable", "SUnreclaim",
                                        "KernelStack", "PageTables", "NFS_Unstable", "Bounce", "WritebackTmp"};
    for (size_t i = 0; i < sizeof zero2 / sizeof zero2[0]; i++)
        kb_line(zero2[i], 0);
    kb_line("CommitLimit", procinfo_commit_limit_kb());
    kb_line("Committed_AS", committed / 1024);
    kb_line("VmallocTotal", 34359738367ul); /* x86-64's with 4 levels of page tables */
    static const char *const zero3[] = {"VmallocUsed", "VmallocChunk", "Percpu", "HardwareCorrupted",
                                        "AnonHugePages", "ShmemHugePages", "ShmemPmdMapped", "FileHugePages",
                                        "FilePmdMapped"};
    for (size_t i = 0; i < sizeof zero3 / sizeof zero3[0]; i++)
        kb_line(zero3[i], 0);
    procfs_put("HugePages_Total:       0\nHugePages_Free:        0\nHugePages_Rsvd:        0\n"
               "HugePages_Surp:        0\n");
    kb_line("Hugepagesize", 2048);
    kb_line("Hugetlb", 0);
    kb_line("DirectMap4k", 0);
    kb_line("DirectMap2M", (total + 2047) / 2048 * 2048);
    procfs_file(root, name);
}

/* 6.1's counters up to the events (vmstat_text's order); those this
 * system keeps are true, the rest 0. */
void procinfo_vmstat(struct inode *root, const char *name)
{
    static const char *const names[] = {
        "nr_free_pages", "nr_zone_inactive_anon", "nr_zone_active_anon", "nr_zone_inactive_file",
        "nr_zone_active_file", "nr_zone_unevictable", "nr_zone_write_pending", "nr_mlock", "nr_bounce",
        "nr_zspages", "nr_free_cma", "numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local",
        "numa_other", "nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file",
        "nr_unevictable", "nr_slab_reclaimable", "nr_slab_unreclaimable", "nr_isolated_anon",
        "nr_isolated_file", "workingset_nodes", "workingset_refault_anon", "workingset_refault_file",
        "workingset_activate_anon", "workingset_activate_file", "workingset_restore_anon",
        "workingset_restore_file", "workingset_nodereclaim", "nr_anon_pages", "nr_mapped", "nr_file_pages",
        "nr_dirty", "nr_writeback", "nr_writeback_temp", "nr_shmem", "nr_shmem_hugepages",
        "nr_shmem_pmdmapped", "nr_file_hugepages", "nr_file_pmdmapped", "nr_anon_transparent_hugepages",
        "nr_vmscan_write", "nr_vmscan_immediate_reclaim", "nr_dirtied", "nr_written", "nr_throttled_written",
        "nr_kernel_misc_reclaimable", "nr_foll_pin_acquired", "nr_foll_pin_released", "nr_kernel_stack",
        "nr_page_table_pages", "nr_swapcached", "nr_dirty_threshold", "nr_dirty_background_threshold",
        "pgpgin", "pgpgout", "pswpin", "pswpout", "pgalloc_dma", "pgalloc_dma32", "pgalloc_normal",
        "pgalloc_movable", "pgfree", "pgactivate", "pgdeactivate", "pglazyfree", "pgfault", "pgmajfault",
        "pglazyfreed", "pgrefill", "pgreuse", "pgsteal_kswapd", "pgsteal_direct", "pgdemote_kswapd",
        "pgdemote_direct", "pgscan_kswapd", "pgscan_direct", "pgscan_direct_throttle", "pgscan_anon",
        "pgscan_file", "pgsteal_anon", "pgsteal_file", "pginodesteal", "slabs_scanned", "kswapd_inodesteal",
        "kswapd_low_wmark_hit_quickly", "kswapd_high_wmark_hit_quickly", "pageoutrun", "pgrotated",
        "drop_pagecache", "drop_slab", "oom_kill", "pgmigrate_success", "pgmigrate_fail", "thp_migration_success",
        "thp_migration_fail", "thp_migration_split", "compact_migrate_scanned", "compact_free_scanned",
        "compact_isolated", "compact_stall", "compact_fail", "compact_success", "compact_daemon_wake",
        "compact_daemon_migrate_scanned", "compact_daemon_free_scanned", "htlb_buddy_alloc_success",
        "htlb_buddy_alloc_fail", "unevictable_pgs_culled", "unevictable_pgs_scanned", "unevictable_pgs_rescued",
        "unevictable_pgs_mlocked", "unevictable_pgs_munlocked", "unevictable_pgs_cleared",
        "unevictable_pgs_stranded", "swap_ra", "swap_ra_hit", "direct_map_level2_splits",
        "direct_map_level3_splits", "nr_unstable"};
    struct persona_memstats ms = memstats();
    uint64_t committed, locked, used = (ms.total_bytes - ms.free_bytes) / 4096;
    mm_totals(&committed, &locked);
    uint64_t anon = used > tmpfs_shmem_pages ? used - tmpfs_shmem_pages : 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        unsigned long v = 0;
        if (!strcmp(names[i], "nr_free_pages"))
            v = ms.free_bytes / 4096;
        else if (!strcmp(names[i], "nr_mlock"))
            v = locked / 4096;
        else if (!strcmp(names[i], "nr_anon_pages"))
            v = anon;
        else if (!strcmp(names[i], "nr_active_anon") || !strcmp(names[i], "nr_zone_active_anon"))
            v = anon + tmpfs_shmem_pages;
        else if (!strcmp(names[i], "pgfault"))
            v = counts_all.minflt; /* the faults that found their page here (main.c) */
        else if (!strcmp(names[i], "nr_file_pages") || !strcmp(names[i], "nr_shmem"))
            v = tmpfs_shmem_pages;
        procfs_put("%s %lu\n", names[i], v);
    }
    procfs_file(root, name);
}

/* The drivers' majors (dev.c, pty.c, loop.c). */
void procinfo_devices(struct inode *root, const char *name)
{
    procfs_put("Character devices:\n  1 mem\n  5 /dev/tty\n  5 /dev/console\n  5 /dev/ptmx\n 10 misc\n136 pts\n\n"
               "Block devices:\n  7 loop\n");
    procfs_file(root, name);
}

/* partitions (diskstats false) or diskstats: the bound loop devices. */
static void disks(bool stats)
{
    struct loop_state st;
    for (int n = 0; n < LOOP_MAX; n++) {
        if (!loop_state(n, &st) || !st.backing)
            continue;
        if (!stats) {
            procfs_put("%4d  %7d %10lu loop%d\n", LOOP_MAJOR, n, (unsigned long)(st.size >> 10), n);
            continue;
        }
        const struct loop_iostat *s = &st.stat;
        procfs_put("%4d %7d loop%d %lu 0 %lu %lu %lu 0 %lu %lu 0 %lu %lu 0 0 0 0 0 0\n", LOOP_MAJOR, n, n,
                   (unsigned long)s->ios[0], (unsigned long)s->sectors[0], (unsigned long)(s->ns[0] / 1000000),
                   (unsigned long)s->ios[1], (unsigned long)s->sectors[1], (unsigned long)(s->ns[1] / 1000000),
                   (unsigned long)s->io_ms, (unsigned long)((s->ns[0] + s->ns[1]) / 1000000));
    }
}

void procinfo_partitions(struct inode *root, const char *name)
{
    procfs_put("major minor  #blocks  name\n\n");
    disks(false);
    procfs_file(root, name);
}

void procinfo_diskstats(struct inode *root, const char *name)
{
    disks(true);
    procfs_file(root, name);
}

/* The small tables: one CPU, no interrupt counted, the console, Linux's
 * one execution domain, the misc minors there are, the cgroup controllers,
 * no slab cache (root's: 0400). */
void procinfo_small(struct inode *root, const char *name)
{
    static const char *const texts[][2] = {
        {"consoles", "console              -W- (EC   )    5:1\n"},
        {"execdomains", "0-0\tLinux           \t[kernel]\n"},
        {"misc", "237 loop-control\n257 userfaultfd\n"},
        {"interrupts", "           CPU0       \n  0:          0   IO-APIC   2-edge      timer\n"
                       "NMI:          0   Non-maskable interrupts\nLOC:          0   Local timer interrupts\n"
                       "ERR:          0\nMIS:          0\n"},
        {"softirqs", "                    CPU0       \n          HI:          0\n       TIMER:          0\n"
                     "      NET_TX:          0\n      NET_RX:          0\n       BLOCK:          0\n"
                     "    IRQ_POLL:          0\n     TASKLET:          0\n       SCHED:          0\n"
                     "     HRTIMER:          0\n         RCU:          0\n"},
        {"cgroups", "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"},
        {"slabinfo", "slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize> <objperslab> "
                     "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> "
                     "<num_slabs> <sharedavail>\n"},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (!strcmp(texts[i][0], name))
            procfs_put("%s", texts[i][1]);
    for (int i = 0; i < CG_NR && !strcmp(name, "cgroups"); i++) /* the controllers built, on the v2 hierarchy (0) */
        procfs_put("%s\t0\t%d\t1\n", cgroup_ss_names[i], cgroup_root.nr_descendants + 1);
    procfs_file(root, name);
}

/* buddyinfo and zoneinfo: one zone, Normal, whose free pages the kernel
 * counts; buddyinfo shows them as order-0 blocks (no buddies kept). */
void procinfo_zones(struct inode *root, const char *name)
{
    struct persona_memstats ms = memstats();
    sysctl_sized(); /* min_free_kbytes */
    unsigned long free_pages = ms.free_bytes / 4096, pages = ms.total_bytes / 4096;
    if (!strcmp(name, "buddyinfo")) {
        procfs_put("Node 0, zone   Normal %6lu", free_pages);
        for (int i = 1; i < 11; i++)
            procfs_put(" %6d", 0);
        procfs_put(" \n");
    } else {
        procfs_put("Node 0, zone   Normal\n  pages free     %lu\n        boost    0\n        min      %d\n"
                   "        low      %d\n        high     %d\n        spanned  %lu\n        present  %lu\n"
                   "        managed  %lu\n        cma      0\n        protection: (0, 0, 0, 0, 0)\n",
                   free_pages, sysctl_min_free_kbytes / 4, sysctl_min_free_kbytes * 5 / 16,
                   sysctl_min_free_kbytes * 3 / 8, pages, pages, pages);
    }
    procfs_file(root, name);
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
    return x < y ? -1 : x > y;
}

/* The open files: each distinct file some descriptor table holds. */
unsigned long procinfo_open_files(void)
{
    size_t n = 0, cap = 0;
    uintptr_t *all = NULL;
    for (struct proc *p = proc_list(); p; p = p->next) {
        if (p->zombie || !p->fds)
            continue;
        for (int fd = 0; fd < p->fds->size; fd++) {
            if (!p->fds->fd[fd])
                continue;
            if (n == cap) {
                uintptr_t *m = realloc(all, (cap = cap ? cap * 2 : 256) * sizeof *all);
                if (!m)
                    break;
                all = m;
            }
            if (n < cap)
                all[n++] = (uintptr_t)p->fds->fd[fd];
        }
    }
    if (n)
        qsort(all, n, sizeof *all, cmp_ptr);
    unsigned long distinct = 0;
    for (size_t i = 0; i < n; i++)
        distinct += !i || all[i] != all[i - 1];
    free(all);
    return distinct;
}
