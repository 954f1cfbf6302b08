/*
 * personalities/linux/cgroup.h - control groups, as Linux 6.1's cgroup v2
 * (the unified hierarchy): one tree of groups, each thread in one group
 * (its children start in it), the controllers built here (cpu, memory,
 * pids), the cgroup2 file system that shows the tree, and the cgroup
 * namespaces whose roots hide what is above them.
 *
 * Entry points: cgroup.c (the tree, membership, moves, fork's charge,
 * the freezer and cgroup.kill, /proc/PID/cgroup), cgroupfs.c (the file
 * system: mount, mkdir, rmdir, the files' reads and writes), cgroupcore.c
 * (the core files' writes), cgroupctl.c
 * (the controllers' files and limits: pids.max at fork, memory.max at a
 * fault).  Callers: fork.c, proc.c, mount.c, path.c, mm.c, ns.c, procfs.
 *
 * Layer: proc (it moves and signals processes).  Book: docs/linux.md,
 * "Control groups".
 */
#ifndef LINUX_CGROUP_H
#define LINUX_CGROUP_H
#include "fs.h"
#include <stdbool.h>
#include <stdint.h>

struct proc;
struct ns;
struct sys_ctx;

/* The controllers, by Linux's subsystem ids' order (cpu, memory, pids),
 * as bits of a mask; the threaded ones (cpu, pids) may be enabled in a
 * threaded subtree. */
enum { CG_CPU, CG_MEMORY, CG_PIDS, CG_NR };
#define CG_ALL ((1u << CG_NR) - 1)
#define CG_THREADED ((1u << CG_CPU) | (1u << CG_PIDS))
extern const char *const cgroup_ss_names[CG_NR];

#define CG_MAX INT32_MAX /* cgroup.max.depth's and max.descendants' "max" */
#define PIDS_MAX (4194304 + 1) /* pids.max's "max": PID_MAX_LIMIT + 1 */
#define PAGE_COUNTER_MAX (INT64_MAX / 4096)

struct cgroup {
    char name[256];
    struct cgroup *parent, *children, *sibling; /* live children, newest first */
    struct cgroup *dom;     /* its domain: itself, or a threaded one's thread root (Linux's dom_cgrp) */
    struct inode *dir;      /* its directory in the cgroup2 file system */
    int level;              /* the root's 0 */
    int refs;               /* threads in it (zombies too), namespaces rooted at it, the tree's while alive */
    bool dead;              /* removed (rmdir) */
    uint32_t subtree_control;
    int nr_descendants, nr_dying, max_depth, max_descendants, nr_threaded_children;
    bool freeze;            /* cgroup.freeze, its own */
    int events_shown;       /* cgroup.events' populated | frozen << 1 as last announced (cgroup_notify) */
    /* the controllers' settings and counts (cgroupctl.c) */
    int64_t pids_max, pids_events_max;
    int64_t mem_min, mem_low, mem_high, mem_max, swap_max, swap_high; /* in pages; PAGE_COUNTER_MAX is "max" */
    int oom_group, cpu_idle;
    uint64_t ev[6], ev_local[6]; /* memory.events' and memory.events.local's counts */
    uint64_t cpu_shares, cpu_quota, cpu_period, cpu_burst; /* cpu_quota UINT64_MAX: "max"; in ns */
    uint64_t gone_user_ns, gone_system_ns; /* the CPU time of threads freed in it */
};

extern struct cgroup cgroup_root;

/* ---- cgroup.c ---- */
/* p's group (the root's when it has none yet). */
struct cgroup *cgroup_of(const struct proc *p);
/* ch, a new thread or process of p's, joins p's group, or into's
 * (CLONE_INTO_CGROUP, after cgroup_can_fork); p's group's pids limits
 * first: -EAGAIN past one (counted in pids.events), else 0. */
int cgroup_can_fork(const struct proc *p, struct cgroup *into);
void cgroup_fork(struct proc *ch, const struct proc *p, struct cgroup *into);
/* The groups from cg up whose cgroup.events changed since last told
 * announce it (inotify's IN_MODIFY on the file, poll looks again), as
 * Linux's cgroup_file_notify; cgroup_file_notify: one file of cg. */
void cgroup_notify(struct cgroup *cg);
void cgroup_file_notify(struct cgroup *cg, const char *name);
/* p's process has ended (exit.c): its groups may be empty now. */
void cgroup_exited(struct proc *p);
/* ch has started: held if its group is frozen. */
void cgroup_started(struct proc *ch);
/* p is freed: its group loses it. */
void cgroup_release(struct proc *p);
void cgroup_get(struct cgroup *cg);
void cgroup_put(struct cgroup *cg);
bool cgroup_is_descendant(const struct cgroup *cg, const struct cgroup *of);
/* Whether a live thread is in cg's subtree (cgroup.events' populated);
 * in cg itself; the threads (pids.current: zombies too) in its subtree. */
bool cgroup_populated(const struct cgroup *cg);
bool cgroup_has_tasks(const struct cgroup *cg);
int64_t cgroup_nr_tasks(const struct cgroup *cg);
/* Linux's tests of the threaded mode (cgroup.c). */
bool cgroup_is_threaded(const struct cgroup *cg);
bool cgroup_is_valid_domain(const struct cgroup *cg);
bool cgroup_is_thread_root(const struct cgroup *cg);
bool cgroup_can_be_thread_root(const struct cgroup *cg);
/* The controllers cg may enable (its parent's subtree_control; all at
 * the root): cgroup.controllers. */
uint32_t cgroup_control(const struct cgroup *cg);
/* A write of a pid to cgroup.procs (threadgroup) or cgroup.threads of
 * dst by caller: Linux 6.1's checks and move.  cgroup_clone_into: the
 * group of directory f that p's new process (threadgroup) or thread may
 * start in (clone3's CLONE_INTO_CGROUP), with the same checks. */
int cgroup_procs_write(struct proc *caller, struct cgroup *dst, const char *buf, bool threadgroup);
struct file;
int cgroup_clone_into(const struct proc *p, const struct file *f, bool threadgroup, struct cgroup **into);
/* Linux's cgroup_migrate_vet_dst and cgroup_attach_permissions' write
 * check for dst, used by CLONE_INTO_CGROUP too. */
int cgroup_vet_dst(const struct cgroup *dst);
int cgroup_may_write_procs(const struct cgroup *cg);
/* The group's effective freezing (its own or an ancestor's), applied to
 * its threads; cgroup.kill. */
bool cgroup_frozen(const struct cgroup *cg);
void cgroup_freeze_apply(struct cgroup *cg);
void cgroup_kill(struct cgroup *cg);
/* /proc/PID/cgroup of p as viewer sees it ("0::/path"). */
void cgroup_proc_text(const struct proc *viewer, const struct proc *p, char *buf, size_t size);
/* cg's path as seen from root ("/" for root itself; above it, "/.." steps). */
void cgroup_path(const struct cgroup *cg, const struct cgroup *root, char *buf, size_t size);
/* Linux's cgroup namespaces: the root of p's (the group it was made in). */
struct cgroup *cgroup_ns_root(const struct proc *p);

/* ---- cgroupfs.c ---- */
/* mount(2)'s "cgroup2" on point (data its options), under the target's walk's mount. */
struct mount;
int cgroupfs_mount(struct proc *p, struct inode *point, struct mount *under, const char *source, char *data,
                   uint64_t flags);
/* fsconfig's: the hierarchy and p's namespace's root group's directory
 * (what a mount shows), its options (data) applied as at mount(2):
 * 0 or -EINVAL (a reconfiguration: cgroupfs_options below). */
int cgroupfs_create(struct proc *p, char *data, struct fs **fs, struct inode **root);
/* mkdir and rmdir of dir/name on the cgroup2 file system (path.c, after
 * the VFS's checks); whether dir is on it. */
bool cgroupfs_is(const struct inode *dir);
int cgroupfs_mkdir(struct inode *dir, const char *name, uint32_t mode);
int cgroupfs_rmdir(struct inode *dir, const char *name);
/* cg's directory's files brought up to date with its controllers; the
 * mount options' parse (remount's too). */
void cgroupfs_files(struct cgroup *cg);
int cgroupfs_options(struct proc *p, char *data);
/* mountinfo's root of a cgroup2 mount whose root is ino: its path from
 * the reader's cgroup namespace's root (Linux's cgroup_show_path), into
 * buf; false for another file system's. */
bool cgroupfs_show_path(struct inode *ino, char *buf, size_t size);
/* The operations of an open cgroup2 file: a regular file's, whose read
 * refuses what Linux's does (cgroup.kill, a threaded group's cgroup.procs). */
struct file_ops;
const struct file_ops *cgroupfs_fops(void);
/* The group whose directory ino is, or NULL. */
struct cgroup *cgroupfs_group(const struct inode *ino);
/* The cgroup2 mount options (cgroupfs.c). */
extern uint32_t cgroup_root_flags;
enum { CGRP_NS_DELEGATE = 1, CGRP_FAVOR_DYNMODS = 2, CGRP_MEMORY_LOCAL_EVENTS = 4, CGRP_MEMORY_RECURSIVE_PROT = 8 };

/* ---- cgroupcore.c ---- */
/* A process's write of buf (stripped) to cg's file name: 0 or -errno. */
int cgroup_core_write(struct cgroup *cg, const char *name, char *buf);

/* ---- cgroupctl.c ---- */
/* A new group's defaults. */
void cgroupctl_init(struct cgroup *cg);
/* The controller file name of cg: its text into buf (length; -1 if it is
 * none), and a write to it (the bytes taken or -errno). */
int cgroupctl_show(struct cgroup *cg, const char *name, char *buf, size_t size);
int cgroupctl_write(struct cgroup *cg, const char *name, char *buf);
bool cgroupctl_has(const struct cgroup *cg, const char *name);
/* The controller files cg has (given its parent's subtree_control), in
 * order, for its directory: fn(name, mode) for each. */
void cgroupctl_files(struct cgroup *cg, void (*fn)(struct cgroup *cg, const char *name, uint32_t mode));
/* pids.max's charge of a new thread for p's group (or into): 0 or -EAGAIN. */
int cgroupctl_pids_charge(struct cgroup *cg);
/* memory.max after p's memory grew by a fault: a group past its limit
 * kills (Linux's memcg OOM); true if p's process was killed. */
bool cgroupctl_mem_check(struct proc *p);
/* A group's resident bytes: memory.current. */
uint64_t cgroupctl_mem_current(const struct cgroup *cg);

#endif
