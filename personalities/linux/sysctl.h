/*
 * personalities/linux/sysctl.h - the settings /proc/sys shows and root
 * may write (sysctl.c): the variables the personality lives by, read by
 * the code each one governs.
 *
 * Entry points: the variables below; sysctl_files (procsysfiles.c) and
 * sysctl_write (procsys.c).  Layer: the settings, below everything that
 * reads them; it includes only what its defaults name.  Book:
 * docs/linux.md, "/proc".
 */
#ifndef LINUX_SYSCTL_H
#define LINUX_SYSCTL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* kernel/ */
extern int sysctl_pid_max;                    /* proc.c: pids wrap below it */
extern int sysctl_ns_last_pid;                /* proc.c: the last pid handed out (the next is past it) */
extern int sysctl_threads_max; /* rlimit.c: fork's EAGAIN at it; 0 until /proc shows it (linux_max_threads) */
extern char sysctl_core_pattern[128];         /* coredump.c's file name */
extern int sysctl_core_uses_pid;
/* SysV IPC (sysvshm.c, sysvmsg.c): the caller's IPC namespace's (sysvipc.h) */
#define sysctl_shmmax (ipc_cur->shmmax)
#define sysctl_shmall (ipc_cur->shmall)
#define sysctl_shmmni (ipc_cur->shmmni)
#define sysctl_shm_rmid_forced (ipc_cur->shm_rmid_forced)
#define sysctl_msgmax (ipc_cur->msgmax)
#define sysctl_msgmnb (ipc_cur->msgmnb)
#define sysctl_msgmni (ipc_cur->msgmni)
#define sysctl_sem (ipc_cur->sem) /* semmsl, semmns, semopm, semmni */
/* sysvipc.c: the id the next object of each kind asks for, -1 none
 * (CONFIG_CHECKPOINT_RESTORE's msg_next_id, sem_next_id, shm_next_id) */
#define sysctl_msg_next_id (ipc_cur->msg_next_id)
#define sysctl_sem_next_id (ipc_cur->sem_next_id)
#define sysctl_shm_next_id (ipc_cur->shm_next_id)
extern int sysctl_perf_event_paranoid, sysctl_randomize_va_space;
extern int sysctl_sched_rr_timeslice_ms;      /* sched.c: SCHED_RR's turn */
extern int sysctl_sched_rt_period_us, sysctl_sched_rt_runtime_us, sysctl_sched_child_runs_first;
/* kernel/printk is klog.c's klog_printk (the console's levels). */
/* net/ is netsysctl.h's (each network namespace's settings). */
/* vm/ */
extern int sysctl_overcommit_memory, sysctl_overcommit_ratio, sysctl_max_map_count;
extern int sysctl_drop_caches;                /* write-only, 1..4: nothing to drop, the root is a tmpfs */
extern int sysctl_vfs_cache_pressure;         /* 100; read by nothing: no inode or dentry is reclaimed */
extern unsigned long sysctl_mmap_min_addr;
/* fs/ */
extern int sysctl_nr_open, sysctl_lease_break_time, sysctl_leases_enable, sysctl_pipe_max_size;
extern unsigned long sysctl_file_max, sysctl_aio_max_nr, sysctl_pipe_user_pages_soft, sysctl_pipe_user_pages_hard;
/* fsperm.c: the kernel's default 0 (Debian's systemd sets hardlinks and
 * symlinks to 1, fifos and regular to 1 at boot; no init of its does here) */
extern int sysctl_protected_symlinks, sysctl_protected_hardlinks, sysctl_protected_fifos, sysctl_protected_regular;
/* keyquota.c: a user's and root's key quotas; the collector's delay and
 * persistent keyrings' expiry are kept and used by nothing (no timed key) */
extern int sysctl_key_maxkeys, sysctl_key_maxbytes, sysctl_key_root_maxkeys, sysctl_key_root_maxbytes;
extern int sysctl_key_gc_delay, sysctl_key_persistent_expiry;
#define sysctl_mq_msg_default (ipc_cur->mq_msg_default)
#define sysctl_mq_msg_max (ipc_cur->mq_msg_max)
#define sysctl_mq_msgsize_default (ipc_cur->mq_msgsize_default)
#define sysctl_mq_msgsize_max (ipc_cur->mq_msgsize_max)
#define sysctl_mq_queues_max (ipc_cur->mq_queues_max)
extern int sysctl_inotify_queued, sysctl_inotify_instances, sysctl_inotify_watches;

/* Settings with an effect: kernel/overflowuid and overflowgid (the id
 * an unmapped or too wide id shows as), dmesg_restrict (klog.c, kmsg.c),
 * pty/max and reserve (pty.c), fs/suid_dumpable (exec.c), mount-max
 * (mount.c), dir-notify-enable (dnotify.c), fanotify's limits
 * (fanotify.c), epoll's max_user_watches (epoll.c), vm/overcommit_memory,
 * overcommit_kbytes, overcommit_ratio, user_reserve_kbytes and
 * admin_reserve_kbytes (overcommit.c's check; meminfo's CommitLimit),
 * min_free_kbytes (zoneinfo's watermarks); nr_hugepages (always 0: no
 * huge page here) is shown.  The others of
 * sysctl.c's table are kept and read by nothing. */
extern int sysctl_overflowuid, sysctl_overflowgid, sysctl_fs_overflowuid, sysctl_fs_overflowgid;
extern int sysctl_dmesg_restrict, sysctl_suid_dumpable, sysctl_pty_max, sysctl_pty_reserve, sysctl_mount_max;
extern int sysctl_dir_notify, sysctl_fan_groups, sysctl_fan_marks, sysctl_fan_queued, sysctl_min_free_kbytes;
extern unsigned long sysctl_epoll_watches, sysctl_overcommit_kbytes, sysctl_nr_hugepages;
extern unsigned long sysctl_user_reserve_kbytes, sysctl_admin_reserve_kbytes;

/* Sizes, once, what Linux sizes from memory at boot (min_free_kbytes,
 * user_reserve_kbytes, admin_reserve_kbytes, epoll's max_user_watches:
 * procsysfiles.c); whoever reads one calls it first. */
void sysctl_sized(void);

/* SCHED_RR's turn in 10 ms ticks, from sched_rr_timeslice_ms rounded up. */
int sysctl_rr_ticks(void);

/* The writable files into sys (/proc/sys), each with its value; the
 * setting whose node ino is, written with n bytes of data at off (Linux's
 * proc_dointvec_minmax and kin): the bytes taken or an error; -EIO if ino
 * is no setting. */
struct inode;
void sysctl_files(struct inode *sys);
int sysctl_write(struct inode *ino, uint64_t off, const void *data, size_t n);
/* Whether ino is a *_next_id file and the caller holds CAP_SYS_ADMIN or
 * CAP_CHECKPOINT_RESTORE: then it is 0666, not its 0444 (Linux's
 * ipc_permissions). */
bool sysctl_checkpoint_writable(const struct inode *ino);

/* A setting's entry (sysctl.c's table, netsysctl.c's): its file, where
 * its value is (the initial namespace's), its kind and bounds, a check
 * of the whole (0, or an error: nothing stored). */
enum sysctl_kind { SYSCTL_INT, SYSCTL_ULONG, SYSCTL_STR };
struct sysctl {
    const char *dir, *name;
    enum sysctl_kind kind;
    int n;         /* numbers in a vector; a string's room */
    void *var;
    long min, max; /* a number's bounds (ULONG: as unsigned long) */
    int (*check)(long *v);
    struct inode *node;
    uint32_t mode;                  /* 0: 0644 */
    int (*text_check)(char *text); /* a string's, on its new text */
    uint8_t flags;
};
#define SYSCTL_WHOLE 1 /* a vector taken all or none (ip_local_port_range) */
/* s's file under sys, with its value (the caller's namespace's); a
 * write to it, as sysctl_write. */
void sysctl_show(struct inode *sys, struct sysctl *s);
int sysctl_store(struct sysctl *s, uint64_t off, const void *data, size_t n);
#endif
