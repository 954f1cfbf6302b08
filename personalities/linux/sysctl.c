/*
 * personalities/linux/sysctl.c - the writable settings of /proc/sys: one
 * table naming each one's file, variable, kind and bounds, as Linux 6.1's
 * ctl_tables do.  A number is taken as Linux's proc_dointvec_minmax and
 * proc_doulongvec_minmax take it (blanks, an optional '-', a number in C's
 * bases, one of blank, tab or newline after it; EINVAL for any other
 * text and outside the bounds), a vector as several of those, a string up
 * to its first newline; a write past a file's start is taken and ignored
 * (Linux's strict writes).  Some settings check the whole (checks below:
 * ip_local_port_range's order, sem's semmni, sched_rt_*'s runtime within
 * the period, pipe-max-size rounded to a power of two of pages,
 * threads-max within 20 and memory's, mmap_min_addr's CAP_SYS_RAWIO,
 * sched_rr_timeslice_ms's 0 or less the default, drop_caches's line in
 * the log, the pairs where a write zeroes the other (overcommit_kbytes
 * and overcommit_ratio, dirty_*bytes and dirty_*ratio), nr_hugepages
 * always 0, dmesg_restrict's and kptr_restrict's CAP_SYS_ADMIN, cad_pid's
 * existing pid).  /proc/sys/net's settings are netsysctl.c's table, taken
 * by the same rules (sysctl_show, sysctl_store).  Many settings are kept and read by nothing, with
 * Linux's defaults and bounds (sysctl.h names those with an effect).  A file is 0644 unless its entry says (drop_caches, 0200).  Each variable is read
 * by the code it governs (sysctl.h says where).
 *
 * Entry points: sysctl_files (procsysfiles.c), sysctl_write (procsys.c),
 * sysctl_rr_ticks (sched.c), sysctl_show and sysctl_store (netsysctl.c).  Layer: /proc.  Book: docs/linux.md, "/proc".
 */
#include "sysctl.h"
#include "aio.h"
#include "file.h"
#include "fsnotify.h"
#include "klog.h"
#include "linux.h"
#include "netsysctl.h"
#include "proc.h"
#include "pidns.h"
#include "procfs.h"
#include "sysvipc.h"
#include "userns.h"
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

int sysctl_pid_max = 32768, sysctl_ns_last_pid, sysctl_threads_max;
char sysctl_core_pattern[128] = "core";
int sysctl_core_uses_pid;
int sysctl_perf_event_paranoid = 2, sysctl_randomize_va_space;
int sysctl_sched_rr_timeslice_ms = 100, sysctl_sched_rt_period_us = 1000000, sysctl_sched_rt_runtime_us = 950000,
    sysctl_sched_child_runs_first;
int sysctl_overcommit_memory, sysctl_overcommit_ratio = 50, sysctl_max_map_count = 65530, sysctl_drop_caches;
int sysctl_vfs_cache_pressure = 100;
unsigned long sysctl_mmap_min_addr = 65536;
int sysctl_nr_open = NR_OPEN, sysctl_lease_break_time = 45, sysctl_leases_enable = 1, sysctl_pipe_max_size = 1048576;
int sysctl_protected_symlinks, sysctl_protected_hardlinks, sysctl_protected_fifos, sysctl_protected_regular;
unsigned long sysctl_file_max, sysctl_aio_max_nr = AIO_MAX_NR, sysctl_pipe_user_pages_soft = 16384,
              sysctl_pipe_user_pages_hard;
int sysctl_inotify_queued = 16384, sysctl_inotify_instances = 128, sysctl_inotify_watches = 8192;
int sysctl_overflowuid = 65534, sysctl_overflowgid = 65534, sysctl_fs_overflowuid = 65534, sysctl_fs_overflowgid = 65534;
int sysctl_dmesg_restrict = 1, sysctl_suid_dumpable, sysctl_pty_max = 4096, sysctl_pty_reserve = 1024;
int sysctl_mount_max = 100000, sysctl_fan_groups = 128, sysctl_fan_marks = 8192, sysctl_fan_queued = 16384;
unsigned long sysctl_epoll_watches, sysctl_overcommit_kbytes, sysctl_nr_hugepages, sysctl_user_reserve_kbytes,
    sysctl_admin_reserve_kbytes;
int sysctl_min_free_kbytes;
/* Kept and read by nothing (docs/linux.md, "/proc"): Linux 6.1's defaults. */
static int vm_swappiness = 60, vm_dirty_bg_ratio = 10, vm_dirty_ratio = 20, vm_dirty_wb = 500, vm_dirty_expire = 3000,
           vm_dirtytime = 43200, vm_panic_oom, vm_oom_kill_alloc, vm_oom_dump = 1, vm_legacy_va, vm_rnd_bits = 28,
           vm_rnd_compat = 8, vm_page_cluster = 3, vm_stat_interval = 1, vm_laptop, vm_zone_reclaim, vm_extfrag = 500,
           vm_compact_unevictable = 1, vm_wm_boost = 15000, vm_wm_scale = 10, vm_hugetlb_group, vm_numa_stat = 1,
           vm_lock_unfair = 5, vm_pcp_fraction, vm_proactive = 20, vm_min_slab = 5, vm_min_unmapped = 1;
static unsigned long vm_dirty_bg_bytes, vm_dirty_bytes, vm_overcommit_huge;
static int k_panic, k_panic_oops, k_panic_warn, k_fatal_sigs, k_kptr, k_cad, k_cad_pid = 1, k_core_pipe,
           k_writes_strict = 1, k_perf_rate = 100000, k_perf_mlock = 516, k_perf_cpu = 25, k_perf_stack = 127,
           k_perf_ctx = 8, k_lock_depth = 1024, k_autogroup = 1, k_numa_bal, k_acct[3] = {4, 2, 30},
           k_rl = 5 * 100, k_rl_burst = 10, k_printk_delay, k_cfs_slice = 5000, k_dl_max = 4194304, k_dl_min = 100,
           k_timer_mig = 1, k_delayacct, k_split_lock = 1, k_nmi_panic, k_unrec_nmi, k_io_nmi, k_traceoff,
           k_oops_bt, k_hung_panic, k_hung_warn = 10, k_soft_panic, k_watchdog = 1,
           k_watchdog_thresh = 10, k_bpf_stats, k_io_delay, k_real_root, k_ftrace_oops;
static unsigned long k_panic_print, k_hung_timeout = 120, k_hung_count = 4194304, k_hung_interval;
int sysctl_dir_notify = 1;
int sysctl_key_maxkeys = 200, sysctl_key_maxbytes = 20000, sysctl_key_root_maxkeys = 1000000,
    sysctl_key_root_maxbytes = 25000000, sysctl_key_gc_delay = 300, sysctl_key_persistent_expiry = 259200;

int sysctl_rr_ticks(void) { return (sysctl_sched_rr_timeslice_ms + 9) / 10; }

#define INT SYSCTL_INT
#define ULONG SYSCTL_ULONG
#define STR SYSCTL_STR
#define CAP_SYS_RAWIO 17
#define CAP_SYS_ADMIN 21
#define NR_OPEN_MAX (INT_MAX & -64) /* Linux's sysctl_nr_open_max on 64 bits */

/* The whole's checks, after each number is within bounds: 0 (v may be
 * changed) or an error, nothing then stored. */
static int semmni(long *v) { return v[3] < 0 || v[3] > IPC_MNI ? -LINUX_ERANGE : 0; } /* sem_check_semmni */
/* sched_rt_global_validate: a runtime (-1: none) within the period. */
static int rt_period(long *v)
{
    return sysctl_sched_rt_runtime_us != -1 && sysctl_sched_rt_runtime_us > v[0] ? -LINUX_EINVAL : 0;
}
static int rt_runtime(long *v) /* below -1: a u64 past max_rt_runtime */
{
    return v[0] < -1 || (v[0] != -1 && v[0] > sysctl_sched_rt_period_us) ? -LINUX_EINVAL : 0;
}
static int rr_slice(long *v)
{
    v[0] = v[0] <= 0 ? 100 : v[0]; /* RR_TIMESLICE's, as it reads after a reset */
    return 0;
}
static int pipe_size(long *v) /* round_pipe_size */
{
    if ((unsigned long)v[0] > 1ul << 31)
        return -LINUX_EINVAL;
    unsigned long s = 4096;
    while (s < (unsigned long)v[0])
        s <<= 1;
    v[0] = (long)s;
    return 0;
}
static int threads(long *v) /* set_max_threads */
{
    long most = (long)linux_max_threads();
    v[0] = v[0] < 20 ? 20 : v[0] > most ? most : v[0];
    return 0;
}
static int checkpoint(long *v) /* marks the *_next_id files (sysctl_checkpoint_writable) */
{
    (void)v;
    return 0;
}
/* checkpoint_restore_ns_capable */
static bool checkpointer(void)
{
    return cred_checkpointer(fs_cred);
}
static int last_pid(long *v) /* pid_ns_ctl_handler: up to pid_max itself (the next then wraps) */
{
    return v[0] > sysctl_pid_max ? -LINUX_EINVAL : 0;
}
static int rawio(long *v)
{
    (void)v;
    return cred_capable(fs_cred, CAP_SYS_RAWIO) ? 0 : -LINUX_EPERM;
}
/* The pairs where a write of one zeroes the other (overcommit_ratio and
 * overcommit_kbytes, dirty_*ratio and dirty_*bytes), as Linux's handlers. */
static int commit_ratio(long *v) { return (void)v, sysctl_overcommit_kbytes = 0, 0; }
static int commit_kbytes(long *v) { return (void)v, sysctl_overcommit_ratio = 0, 0; }
static int bg_ratio(long *v) { return (void)v, vm_dirty_bg_bytes = 0, 0; }
static int bg_bytes(long *v) { return (void)v, vm_dirty_bg_ratio = 0, 0; }
static int dirty_ratio(long *v) { return v[0] != vm_dirty_ratio ? vm_dirty_bytes = 0 : 0; } /* when it changes */
static int dirty_bytes(long *v) { return (unsigned long)v[0] != vm_dirty_bytes ? vm_dirty_ratio = 0 : 0; }
/* No memory is set aside for huge pages: a pool asked for has none, as
 * Linux's when it finds no free huge page. */
static int no_huge(long *v) { return v[0] = 0, 0; }
/* dmesg_restrict and kptr_restrict: CAP_SYS_ADMIN's to write, checked
 * first (proc_dointvec_minmax_sysadmin). */
static int sysadmin(long *v) { return (void)v, 0; }
static int cad_pid(long *v) { return proc_by_pid((int)v[0]) ? 0 : -LINUX_ESRCH; } /* proc_do_cad_pid */
/* drop_caches: no page to drop (tmpfs's are its files, ext2's image is
 * one); with 2, the inodes Linux would evict from its cache lose their
 * evictable fanotify marks.  Said in the log, until a write with 4
 * silences it, as Linux's. */
static int drop_caches(long *v)
{
    static bool quiet;
    struct proc *w = procfs_viewer();
    if (!quiet && w)
        klog(KERN_INFO, "%s (%d): drop_caches: %ld", w->comm, proc_tgid(w), v[0]);
    quiet |= v[0] & 4;
    if (v[0] & 2)
        fanotify_drop_caches();
    return 0;
}

#define I(d, nm, v, lo, hi) {d, nm, INT, 1, &(v), lo, hi, NULL, NULL, 0, NULL, 0}
#define IC(d, nm, v, lo, hi, c) {d, nm, INT, 1, &(v), lo, hi, c, NULL, 0, NULL, 0}
#define UL(d, nm, v, lo, hi) {d, nm, ULONG, 1, &(v), lo, hi, NULL, NULL, 0, NULL, 0}
static struct sysctl table[] = {
    {"kernel", "hostname", STR, __NEW_UTS_LEN + 1, linux_hostname, 0, 0, NULL, NULL, 0, NULL, 0},
    {"kernel", "domainname", STR, __NEW_UTS_LEN + 1, linux_domainname, 0, 0, NULL, NULL, 0, NULL, 0},
    I("kernel", "pid_max", sysctl_pid_max, 301, 4194304),
    IC("kernel", "ns_last_pid", sysctl_ns_last_pid, 0, INT_MAX, last_pid),
    IC("kernel", "threads-max", sysctl_threads_max, 1, 0x3fffffff, threads),
    {"kernel", "core_pattern", STR, sizeof sysctl_core_pattern, sysctl_core_pattern, 0, 0, NULL, NULL, 0, NULL, 0},
    I("kernel", "core_uses_pid", sysctl_core_uses_pid, INT_MIN, INT_MAX),
    UL("kernel", "shmmax", ipc_initial.shmmax, 0, -1),
    UL("kernel", "shmall", ipc_initial.shmall, 0, -1),
    I("kernel", "shmmni", ipc_initial.shmmni, 0, IPC_MNI),
    I("kernel", "shm_rmid_forced", ipc_initial.shm_rmid_forced, 0, 1),
    I("kernel", "msgmax", ipc_initial.msgmax, 0, INT_MAX),
    I("kernel", "msgmnb", ipc_initial.msgmnb, 0, INT_MAX),
    I("kernel", "msgmni", ipc_initial.msgmni, 0, IPC_MNI),
    {"kernel", "sem", INT, 4, ipc_initial.sem, INT_MIN, INT_MAX, semmni, NULL, 0, NULL, 0},
    IC("kernel", "msg_next_id", ipc_initial.msg_next_id, 0, INT_MAX, checkpoint),
    IC("kernel", "sem_next_id", ipc_initial.sem_next_id, 0, INT_MAX, checkpoint),
    IC("kernel", "shm_next_id", ipc_initial.shm_next_id, 0, INT_MAX, checkpoint),
    I("kernel", "perf_event_paranoid", sysctl_perf_event_paranoid, INT_MIN, INT_MAX),
    I("kernel", "randomize_va_space", sysctl_randomize_va_space, INT_MIN, INT_MAX),
    IC("kernel", "sched_rr_timeslice_ms", sysctl_sched_rr_timeslice_ms, INT_MIN, INT_MAX, rr_slice),
    IC("kernel", "sched_rt_period_us", sysctl_sched_rt_period_us, INT_MIN, INT_MAX, rt_period),
    IC("kernel", "sched_rt_runtime_us", sysctl_sched_rt_runtime_us, INT_MIN, INT_MAX, rt_runtime),
    I("kernel", "sched_child_runs_first", sysctl_sched_child_runs_first, INT_MIN, INT_MAX),
    {"kernel", "printk", INT, 4, klog_printk, INT_MIN, INT_MAX, NULL, NULL, 0, NULL, 0},
    I("kernel/keys", "maxkeys", sysctl_key_maxkeys, 1, INT_MAX),
    I("kernel/keys", "maxbytes", sysctl_key_maxbytes, 1, INT_MAX),
    I("kernel/keys", "root_maxkeys", sysctl_key_root_maxkeys, 1, INT_MAX),
    I("kernel/keys", "root_maxbytes", sysctl_key_root_maxbytes, 1, INT_MAX),
    I("kernel/keys", "gc_delay", sysctl_key_gc_delay, 0, INT_MAX),
    I("kernel/keys", "persistent_keyring_expiry", sysctl_key_persistent_expiry, 0, INT_MAX),
    I("user", "max_user_namespaces", userns_max[0], 0, INT_MAX),
    I("user", "max_uts_namespaces", userns_max[1], 0, INT_MAX),
    I("user", "max_ipc_namespaces", userns_max[2], 0, INT_MAX),
    I("user", "max_mnt_namespaces", userns_max[3], 0, INT_MAX),
    I("user", "max_net_namespaces", userns_max[4], 0, INT_MAX),
    I("user", "max_pid_namespaces", userns_max[5], 0, INT_MAX),
    I("user", "max_cgroup_namespaces", userns_max[6], 0, INT_MAX),
    I("user", "max_time_namespaces", userns_max[7], 0, INT_MAX),
    /* the initial namespace's inotify and fanotify limits again (one ucount_max each, as Linux's) */
    I("user", "max_inotify_instances", sysctl_inotify_instances, 0, INT_MAX),
    I("user", "max_inotify_watches", sysctl_inotify_watches, 0, INT_MAX),
    I("user", "max_fanotify_groups", sysctl_fan_groups, 0, INT_MAX),
    I("user", "max_fanotify_marks", sysctl_fan_marks, 0, INT_MAX),
    I("kernel", "overflowuid", sysctl_overflowuid, 0, 65535),
    I("kernel", "overflowgid", sysctl_overflowgid, 0, 65535),
    I("kernel", "panic", k_panic, INT_MIN, INT_MAX),
    I("kernel", "panic_on_oops", k_panic_oops, INT_MIN, INT_MAX),
    I("kernel", "panic_on_warn", k_panic_warn, 0, 1),
    UL("kernel", "panic_print", k_panic_print, 0, -1),
    I("kernel", "print-fatal-signals", k_fatal_sigs, INT_MIN, INT_MAX),
    IC("kernel", "kptr_restrict", k_kptr, 0, 2, sysadmin),
    IC("kernel", "dmesg_restrict", sysctl_dmesg_restrict, 0, 1, sysadmin),
    I("kernel", "ctrl-alt-del", k_cad, INT_MIN, INT_MAX),
    IC("kernel", "cad_pid", k_cad_pid, INT_MIN, INT_MAX, cad_pid),
    I("kernel", "core_pipe_limit", k_core_pipe, 0, INT_MAX),
    I("kernel", "sysctl_writes_strict", k_writes_strict, -1, 1),
    I("kernel", "perf_event_max_sample_rate", k_perf_rate, 1, INT_MAX),
    I("kernel", "perf_event_mlock_kb", k_perf_mlock, INT_MIN, INT_MAX),
    I("kernel", "perf_cpu_time_max_percent", k_perf_cpu, 0, 100),
    I("kernel", "perf_event_max_stack", k_perf_stack, 0, 1024),
    I("kernel", "perf_event_max_contexts_per_stack", k_perf_ctx, 0, 1024),
    I("kernel", "max_lock_depth", k_lock_depth, INT_MIN, INT_MAX),
    I("kernel", "sched_autogroup_enabled", k_autogroup, 0, 1),
    I("kernel", "numa_balancing", k_numa_bal, 0, 3),
    {"kernel", "acct", INT, 3, k_acct, INT_MIN, INT_MAX, NULL, NULL, 0, NULL, 0},
    I("kernel", "printk_ratelimit", k_rl, INT_MIN, INT_MAX / 100),
    I("kernel", "printk_ratelimit_burst", k_rl_burst, INT_MIN, INT_MAX),
    I("kernel", "printk_delay", k_printk_delay, 0, 10000),
    I("kernel", "sched_cfs_bandwidth_slice_us", k_cfs_slice, 1, INT_MAX),
    I("kernel", "sched_deadline_period_max_us", k_dl_max, INT_MIN, INT_MAX),
    I("kernel", "sched_deadline_period_min_us", k_dl_min, INT_MIN, INT_MAX),
    I("kernel", "timer_migration", k_timer_mig, 0, 1),
    I("kernel", "task_delayacct", k_delayacct, 0, 1),
    I("kernel", "split_lock_mitigate", k_split_lock, 0, 1),
    I("kernel", "unknown_nmi_panic", k_nmi_panic, INT_MIN, INT_MAX),
    I("kernel", "panic_on_unrecovered_nmi", k_unrec_nmi, INT_MIN, INT_MAX),
    I("kernel", "panic_on_io_nmi", k_io_nmi, INT_MIN, INT_MAX),
    I("kernel", "traceoff_on_warning", k_traceoff, INT_MIN, INT_MAX),
    I("kernel", "ftrace_dump_on_oops", k_ftrace_oops, INT_MIN, INT_MAX),
    I("kernel", "oops_all_cpu_backtrace", k_oops_bt, 0, 1),
    I("kernel", "hung_task_panic", k_hung_panic, 0, 1),
    UL("kernel", "hung_task_check_count", k_hung_count, 0, 4194304),
    UL("kernel", "hung_task_timeout_secs", k_hung_timeout, 0, LONG_MAX / 100),
    UL("kernel", "hung_task_check_interval_secs", k_hung_interval, 0, LONG_MAX / 100),
    I("kernel", "hung_task_warnings", k_hung_warn, -1, INT_MAX),
    I("kernel", "softlockup_panic", k_soft_panic, 0, 1),
    I("kernel", "watchdog", k_watchdog, 0, 1),
    I("kernel", "watchdog_thresh", k_watchdog_thresh, 0, 60),
    I("kernel", "bpf_stats_enabled", k_bpf_stats, 0, 1),
    I("kernel", "io_delay_type", k_io_delay, INT_MIN, INT_MAX),
    I("kernel", "real-root-dev", k_real_root, INT_MIN, INT_MAX),
    I("kernel/pty", "max", sysctl_pty_max, 0, INT_MAX),
    I("kernel/pty", "reserve", sysctl_pty_reserve, 0, INT_MAX),
    I("vm", "overcommit_memory", sysctl_overcommit_memory, 0, 2),
    IC("vm", "overcommit_ratio", sysctl_overcommit_ratio, INT_MIN, INT_MAX, commit_ratio),
    I("vm", "max_map_count", sysctl_max_map_count, 0, INT_MAX),
    {"vm", "mmap_min_addr", ULONG, 1, &sysctl_mmap_min_addr, 0, -1, rawio, NULL, 0, NULL, 0},
    {"vm", "drop_caches", INT, 1, &sysctl_drop_caches, 1, 4, drop_caches, NULL, 0200, NULL, 0},
    I("vm", "vfs_cache_pressure", sysctl_vfs_cache_pressure, 0, INT_MAX),
    I("vm", "min_free_kbytes", sysctl_min_free_kbytes, 0, INT_MAX),
    I("vm", "swappiness", vm_swappiness, 0, 200),
    IC("vm", "dirty_background_ratio", vm_dirty_bg_ratio, 0, 100, bg_ratio),
    {"vm", "dirty_background_bytes", ULONG, 1, &vm_dirty_bg_bytes, 1, -1, bg_bytes, NULL, 0, NULL, 0},
    IC("vm", "dirty_ratio", vm_dirty_ratio, 0, 100, dirty_ratio),
    {"vm", "dirty_bytes", ULONG, 1, &vm_dirty_bytes, 2 * 4096, -1, dirty_bytes, NULL, 0, NULL, 0},
    I("vm", "dirty_writeback_centisecs", vm_dirty_wb, INT_MIN, INT_MAX),
    I("vm", "dirty_expire_centisecs", vm_dirty_expire, 0, INT_MAX),
    I("vm", "dirtytime_expire_seconds", vm_dirtytime, 0, INT_MAX),
    I("vm", "panic_on_oom", vm_panic_oom, 0, 2),
    I("vm", "oom_kill_allocating_task", vm_oom_kill_alloc, INT_MIN, INT_MAX),
    I("vm", "oom_dump_tasks", vm_oom_dump, INT_MIN, INT_MAX),
    {"vm", "nr_hugepages", ULONG, 1, &sysctl_nr_hugepages, 0, -1, no_huge, NULL, 0, NULL, 0},
    {"vm", "nr_hugepages_mempolicy", ULONG, 1, &sysctl_nr_hugepages, 0, -1, no_huge, NULL, 0, NULL, 0},
    UL("vm", "nr_overcommit_hugepages", vm_overcommit_huge, 0, -1),
    I("vm", "hugetlb_shm_group", vm_hugetlb_group, INT_MIN, INT_MAX),
    {"vm", "overcommit_kbytes", ULONG, 1, &sysctl_overcommit_kbytes, 0, -1, commit_kbytes, NULL, 0, NULL, 0},
    UL("vm", "user_reserve_kbytes", sysctl_user_reserve_kbytes, 0, -1),
    UL("vm", "admin_reserve_kbytes", sysctl_admin_reserve_kbytes, 0, -1),
    I("vm", "legacy_va_layout", vm_legacy_va, 0, INT_MAX),
    I("vm", "mmap_rnd_bits", vm_rnd_bits, 28, 32),
    I("vm", "mmap_rnd_compat_bits", vm_rnd_compat, 8, 16),
    I("vm", "page-cluster", vm_page_cluster, 0, 31),
    I("vm", "stat_interval", vm_stat_interval, INT_MIN, INT_MAX / 100),
    I("vm", "laptop_mode", vm_laptop, INT_MIN, INT_MAX / 100),
    I("vm", "zone_reclaim_mode", vm_zone_reclaim, 0, INT_MAX),
    I("vm", "extfrag_threshold", vm_extfrag, 0, 1000),
    I("vm", "compact_unevictable_allowed", vm_compact_unevictable, 0, 1),
    I("vm", "compaction_proactiveness", vm_proactive, 0, 100),
    I("vm", "watermark_boost_factor", vm_wm_boost, 0, INT_MAX),
    I("vm", "watermark_scale_factor", vm_wm_scale, 1, 3000),
    I("vm", "numa_stat", vm_numa_stat, 0, 1),
    I("vm", "page_lock_unfairness", vm_lock_unfair, 0, INT_MAX),
    I("vm", "percpu_pagelist_high_fraction", vm_pcp_fraction, 0, INT_MAX),
    I("vm", "min_slab_ratio", vm_min_slab, 0, 100),
    I("vm", "min_unmapped_ratio", vm_min_unmapped, 0, 100),
    I("fs", "overflowuid", sysctl_fs_overflowuid, 0, 65535),
    I("fs", "overflowgid", sysctl_fs_overflowgid, 0, 65535),
    I("fs", "suid_dumpable", sysctl_suid_dumpable, 0, 2),
    I("fs", "mount-max", sysctl_mount_max, 1, INT_MAX),
    I("fs", "dir-notify-enable", sysctl_dir_notify, INT_MIN, INT_MAX),
    UL("fs/epoll", "max_user_watches", sysctl_epoll_watches, 0, LONG_MAX),
    I("fs/fanotify", "max_user_groups", sysctl_fan_groups, 0, INT_MAX),
    I("fs/fanotify", "max_user_marks", sysctl_fan_marks, 0, INT_MAX),
    I("fs/fanotify", "max_queued_events", sysctl_fan_queued, 0, INT_MAX),
    I("fs", "nr_open", sysctl_nr_open, 64, NR_OPEN_MAX),
    UL("fs", "file-max", sysctl_file_max, 0, LONG_MAX),
    UL("fs", "aio-max-nr", sysctl_aio_max_nr, 0, -1),
    I("fs", "lease-break-time", sysctl_lease_break_time, INT_MIN, INT_MAX),
    I("fs", "leases-enable", sysctl_leases_enable, INT_MIN, INT_MAX),
    IC("fs", "pipe-max-size", sysctl_pipe_max_size, 0, LONG_MAX, pipe_size),
    UL("fs", "pipe-user-pages-hard", sysctl_pipe_user_pages_hard, 0, -1),
    UL("fs", "pipe-user-pages-soft", sysctl_pipe_user_pages_soft, 0, -1),
    I("fs", "protected_symlinks", sysctl_protected_symlinks, 0, 1),
    I("fs", "protected_hardlinks", sysctl_protected_hardlinks, 0, 1),
    I("fs", "protected_fifos", sysctl_protected_fifos, 0, 2),
    I("fs", "protected_regular", sysctl_protected_regular, 0, 2),
    I("fs/mqueue", "msg_default", ipc_initial.mq_msg_default, 1, 65536),
    I("fs/mqueue", "msg_max", ipc_initial.mq_msg_max, 1, 65536),
    I("fs/mqueue", "msgsize_default", ipc_initial.mq_msgsize_default, 128, 1 << 24),
    I("fs/mqueue", "msgsize_max", ipc_initial.mq_msgsize_max, 128, 1 << 24),
    I("fs/mqueue", "queues_max", ipc_initial.mq_queues_max, INT_MIN, INT_MAX),
    I("fs/inotify", "max_queued_events", sysctl_inotify_queued, 0, INT_MAX),
    I("fs/inotify", "max_user_instances", sysctl_inotify_instances, 0, INT_MAX),
    I("fs/inotify", "max_user_watches", sysctl_inotify_watches, 0, INT_MAX),
};
#define NTABLE (sizeof table / sizeof table[0])

/* Where s's value is: the caller's UTS namespace's names for hostname
 * and domainname, its IPC namespace's settings for the initial one's,
 * its network namespace's net settings (netsysctl.c), its pid
 * namespace's last pid, else the entry's variable. */
static void *var_of(const struct sysctl *s)
{
    struct ns *uts = proc_charged ? ns_of(proc_charged, NS_UTS) : NULL;
    const char *v = s->var, *ipc = (const char *)&ipc_initial;
    if (netsysctl_var(s->var) != s->var)
        return netsysctl_var(s->var); /* a made network namespace's own */
    if (!strcmp(s->dir, "user") && userns_sysctl(s->var) != s->var)
        return userns_sysctl(s->var); /* a made user namespace's own max_* (not /proc/sys/fs's, the initial one's) */
    if (v >= ipc && v < ipc + sizeof ipc_initial)
        return (char *)ipc_cur + (v - ipc);
    if (s->var == &sysctl_ns_last_pid) /* the caller's pid namespace's (pidns.c) */
        return pidns_last_of(proc_charged);
    return !uts ? s->var : s->var == linux_hostname ? uts->host : s->var == linux_domainname ? uts->domain : s->var;
}

static long get(const struct sysctl *s, int i)
{
    return s->kind == ULONG ? (long)((unsigned long *)var_of(s))[i] : ((int *)var_of(s))[i];
}

/* dir ("fs/mqueue") under sys, made if missing. */
static struct inode *subdir(struct inode *sys, const char *dir)
{
    char part[32];
    struct inode *d = sys;
    while (d && *dir) {
        size_t k = strcspn(dir, "/");
        snprintf(part, sizeof part, "%.*s", (int)k, dir);
        d = procfs_node(d, part, S_IFDIR | 0555);
        dir += k + (dir[k] == '/');
    }
    return d;
}

/* The entry's mode if it gives one (drop_caches, 0200); else 0644, the
 * *_next_id files 0444 (procsys_permission lets a checkpointer
 * write them), ns_last_pid 0666 (its write checks the capability). */
static uint32_t file_mode(const struct sysctl *s)
{
    return s->mode ? s->mode : s->check == checkpoint ? 0444 : s->check == last_pid ? 0666 : 0644;
}

void sysctl_files(struct inode *sys)
{
    if (!sysctl_threads_max)
        sysctl_threads_max = (int)linux_max_threads();
    userns_limits_init();
    for (size_t t = 0; t < NTABLE; t++)
        sysctl_show(sys, &table[t]);
    netsysctl_files(sys);
}

void sysctl_show(struct inode *sys, struct sysctl *s)
{
    struct inode *d = subdir(sys, s->dir);
    if (!d || !(s->node = procfs_node(d, s->name, S_IFREG | file_mode(s))))
        return;
    if (s->kind == STR) {
        procfs_text(d, s->name, "%s\n", (const char *)var_of(s));
        return;
    }
    for (int i = 0; i < s->n; i++)
        procfs_put(s->kind == ULONG ? "%s%lu" : "%s%ld", i ? "\t" : "", get(s, i));
    procfs_put("\n");
    procfs_file(d, s->name);
}

/* Linux's proc_get_long: a number at *p (of *left bytes), with its sign;
 * 0 or -EINVAL. */
static int get_long(const char **p, size_t *left, unsigned long *val, bool *neg)
{
    char tmp[22];
    size_t len = *left < sizeof tmp - 1 ? *left : sizeof tmp - 1;
    memcpy(tmp, *p, len);
    tmp[len] = '\0';
    const char *q = tmp;
    *neg = *q == '-' && *left > 1;
    q += *neg;
    if (!isdigit((unsigned char)*q))
        return -LINUX_EINVAL;
    unsigned base = 10;
    if (q[0] == '0')
        base = (q[1] == 'x' || q[1] == 'X') && isxdigit((unsigned char)q[2]) ? 16 : 8;
    q += base == 16 ? 2 : 0;
    unsigned long v = 0;
    for (;; q++) {
        int dg = isdigit((unsigned char)*q) ? *q - '0' : isxdigit((unsigned char)*q) ? (*q | 0x20) - 'a' + 10 : 99;
        if (dg >= (int)base)
            break;
        if (v > (ULONG_MAX - (unsigned)dg) / base)
            return -LINUX_EINVAL;
        v = v * base + (unsigned)dg;
    }
    len = (size_t)(q - tmp);
    if (len == sizeof tmp - 1 || (len < *left && !memchr(" \t\n", *q, 3)))
        return -LINUX_EINVAL;
    *val = v, *p += len, *left -= len;
    return 0;
}

static void skip_spaces(const char **p, size_t *left)
{
    while (*left && isspace((unsigned char)**p))
        (*p)++, (*left)--;
}

/* A number within s's bounds into *v: 0 or -EINVAL. */
static int convert(const struct sysctl *s, unsigned long val, bool neg, long *v)
{
    if (s->kind == ULONG) {
        if (neg || val < (unsigned long)s->min || val > (unsigned long)s->max)
            return -LINUX_EINVAL;
        *v = (long)val;
        return 0;
    }
    if (val > (unsigned long)INT_MAX + neg)
        return -LINUX_EINVAL;
    *v = neg ? -(long)val : (long)val;
    return *v < s->min || *v > s->max ? -LINUX_EINVAL : 0;
}

static int write_numbers(struct sysctl *s, const char *data, size_t n)
{
    long v[4];
    int i = 0, err = 0;
    for (int k = 0; k < s->n; k++)
        v[k] = get(s, k);
    size_t left = n < 4095 ? n : 4095;
    for (; left && i < s->n; i++) {
        unsigned long val;
        bool neg;
        skip_spaces(&data, &left);
        if (!left)
            break;
        if ((err = get_long(&data, &left, &val, &neg)) || (err = convert(s, val, neg, &v[i])))
            break;
    }
    if (!err && left)
        skip_spaces(&data, &left);
    if (!err && !i)
        err = -LINUX_EINVAL;
    /* Linux takes a vector's numbers one by one, those before an error
     * kept; some (ip_local_port_range) all or none; a failed check undoes
     * the write, but sem's puts back semmni alone (proc_ipc_sem_dointvec) */
    int keep = err ? (s->flags & SYSCTL_WHOLE ? 0 : i) : s->n;
    if (!err && s->check && (err = s->check(v)))
        keep = s->check == semmni ? 3 : 0;
    for (int k = 0; k < keep; k++) {
        if (s->kind == ULONG)
            ((unsigned long *)var_of(s))[k] = (unsigned long)v[k];
        else
            ((int *)var_of(s))[k] = (int)v[k];
    }
    return err ? err : (int)(n - left);
}

bool sysctl_checkpoint_writable(const struct inode *ino)
{
    for (size_t t = 0; t < NTABLE; t++)
        if (table[t].node == ino)
            return table[t].check == checkpoint && checkpointer();
    return false;
}

int sysctl_write(struct inode *ino, uint64_t off, const void *data, size_t n)
{
    struct sysctl *s = NULL;
    for (size_t t = 0; !s && t < NTABLE; t++)
        s = table[t].node == ino ? &table[t] : NULL;
    return s ? sysctl_store(s, off, data, n) : netsysctl_write(ino, off, data, n);
}

int sysctl_store(struct sysctl *s, uint64_t off, const void *data, size_t n)
{
    if ((s->check == last_pid && !checkpointer()) || (s->check == sysadmin && !cred_capable(fs_cred, CAP_SYS_ADMIN)))
        return -LINUX_EPERM; /* checked first, as pid_ns_ctl_handler and proc_dointvec_minmax_sysadmin */
    if (s->kind != STR) /* Linux's strict sysctl writes: past the start, nothing more is taken */
        return off || !n ? (int)n : write_numbers(s, data, n);
    /* proc_dostring: from off if within the text, up to a newline or NUL;
     * a checked one (tcp_congestion_control) into a copy first */
    char *var = var_of(s), copy[128], *to = s->text_check ? copy : var;
    size_t len = strlen(var), room = (size_t)s->n - 1;
    if (off > (len < room ? len : room))
        return (int)n;
    snprintf(copy, sizeof copy, "%s", var);
    size_t at = (size_t)off, k = 0;
    while (k < n && at < room && ((const char *)data)[k] && ((const char *)data)[k] != '\n')
        to[at++] = ((const char *)data)[k++];
    to[at] = '\0';
    int err = s->text_check ? s->text_check(copy) : 0;
    if (!err && s->text_check)
        memcpy(var, copy, (size_t)s->n);
    return err ? err : (int)n;
}
