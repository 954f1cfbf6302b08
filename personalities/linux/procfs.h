/*
 * personalities/linux/procfs.h - /proc (procfs.c): a file system of files
 * written afresh, one name at a time, when a path walk looks them up,
 * and the load averages it shows.
 *
 * Entry points: procfs_init (main.c: mounts it on /proc), a process's
 * figures (procstat.c), and the load
 * averages (loadavg.c): loadavg_next and loadavg_tick (wait.c's timer),
 * loadavg_get (sysinfo), loadavg_running and proc_waiting.  The walks and
 * opens that write it reach it through its file system's lookup and
 * refresh operations; its writers (procpid.c, procglobal.c,
 * procsysfiles.c) through the buffer and nodes below.
 *
 * Layer: a file system that shows processes: it may include proc.h;
 * nothing in the file system below it includes this.  Book:
 * docs/linux.md, "/proc".
 */
#ifndef LINUX_PROCFS_H
#define LINUX_PROCFS_H
#include "fs.h"

void procfs_init(void);
/* The writers' tools (procfs.c).  The file being written: text and bytes
 * put after what is there, or a table written into the buffer procfs_room
 * gives (at least need bytes, emptied; its size in *room) whose length
 * procfs_took takes; procfs_file makes it dir/name's contents (dir/name
 * made if missing), and starts the next file.  dir/name made if missing
 * (owned by, and marked with, what procfs_owner set last: root's and no
 * mark unless a writer says); dir/name's contents, a line of printf's; a
 * symlink; dir/name removed with all under it.  procfs_viewer: the
 * process reading /proc, whose /proc/self it is (NULL: the server). */
void procfs_put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void procfs_bytes(const void *data, size_t n);
char *procfs_room(size_t need, size_t *room);
void procfs_took(size_t n);
void procfs_file(struct inode *dir, const char *name);
void procfs_owner(uint32_t uid, uint32_t gid, uint32_t rdev);
struct inode *procfs_node(struct inode *dir, const char *name, uint32_t mode);
void procfs_text(struct inode *dir, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void procfs_link(struct inode *dir, const char *name, const char *target);
void procfs_remove(struct inode *dir, const char *name);
struct proc;
struct proc *procfs_viewer(void);
/* The instances (procfs.c): the one for processes of pid namespace
 * pidns to mount (the initial one's for it or NULL; made at the first),
 * and its end with its namespace's.  While an instance is written or
 * checked: its namespace, a thread's number there (0: not in it), the
 * number of the process of pid gpid there; and the process a name of
 * fs's root names. */
struct ns;
/* A proc mount's options (procfsopts.c): hidepid= (PROC_HIDEPID_*),
 * gid=, subset=pid; their parse (0 or -EINVAL), their text for
 * /proc/mounts (",gid=5,hidepid=invisible"), and whether the reader may
 * see process p where hidepid is min or more (has_pid_permissions). */
enum { PROC_HIDEPID_OFF, PROC_HIDEPID_NOACCESS, PROC_HIDEPID_INVISIBLE, PROC_HIDEPID_PTRACEABLE = 4 };
struct procfs_opts {
    int hidepid;
    bool pidonly, given;
    uint32_t gid;
};
int procfs_parse(const char *data, struct procfs_opts *o);
void procfs_opts_text(const struct procfs_opts *o, char *buf, size_t size);
bool procfs_may_see(const struct procfs_opts *o, struct proc *p, int min);
/* The instance a mount with options o (NULL: none) shows; one with
 * options is a new one each time. */
struct fs *procfs_for(struct ns *pidns, const struct procfs_opts *o);
void procfs_pidns_gone(const struct ns *pidns);
const struct ns *procfs_pidns(void);
int procfs_nr(const struct proc *t);
int procfs_pid_nr(int gpid);
struct proc *procfs_find(const struct fs *fs, const char *name);
/* What mmap of ino, a file of /proc or /sys, is refused with (none maps):
 * -EIO for /proc's proc_dir_entry files, -ENODEV for the rest. */
int procfs_map_error(const struct inode *ino);
/* /proc/PID (procpid.c): p's directory in root, made with its entries'
 * names if new, its owner brought up to date; and what a lookup of name
 * in dir (d, p's directory, or one below it) needs written, or with name
 * NULL what dir's listing needs. */
struct inode *procpid_dir(struct inode *root, struct proc *p);
void procpid_write(struct inode *d, struct proc *p, struct inode *dir, const char *name);
/* The global names of /proc (procglobal.c): made, empty, in root; and
 * the one named written (a directory's whole subtree), if it is one. */
void procglobal_make(struct inode *root);
void procglobal_write(struct inode *root, const char *name);
/* One lock's line of /proc/locks, numbered id (procglobal.c; also
 * /proc/PID/fdinfo's). */
struct lock_view;
void procfs_lock(const struct lock_view *v, int id);
/* /proc/PID/fdinfo (procfdinfo.c): d/name of p, a file per descriptor. */
void procfdinfo_dir(struct inode *d, struct proc *p, const char *name);
/* /proc/config.gz's bytes into out (ikconfig.c): their length, 0 if cap is short. */
size_t ikconfig_gz(uint8_t *out, size_t cap);
/* /proc/sys's files, in sys (procsysfiles.c). */
void procsys_files(struct inode *sys, uint64_t total_bytes);
/* procinfo.c: the global files of what the machine holds, each written
 * as procglobal.c's table names it; the count of open files (file-nr);
 * the kilobytes a commit may reach (meminfo's CommitLimit). */
void procinfo_meminfo(struct inode *root, const char *name);
void procinfo_vmstat(struct inode *root, const char *name);
void procinfo_devices(struct inode *root, const char *name);
void procinfo_partitions(struct inode *root, const char *name);
void procinfo_diskstats(struct inode *root, const char *name);
void procinfo_small(struct inode *root, const char *name);
void procinfo_zones(struct inode *root, const char *name);
unsigned long procinfo_open_files(void);
unsigned long procinfo_commit_limit_kb(void);

/* /proc/sys (procsys.c): its files are marked by an rdev of SYSCTL_NODE
 * (procfs has no device nodes), whose permission is Linux's proc_sys one;
 * procsys_write is procfs's files' write, which the settings of sysctl.c
 * take. */
#define SYSCTL_NODE 1u
/* /proc/PID/mem (procpidmem.c): marked PROCMEM_NODE; the operations an
 * open of it has, or NULL for any other inode. */
#define PROCMEM_NODE 2u
/* /proc/PID's settings (procpidset.c): marked PROCSET_NODE, opened with
 * procset_fops (procmem_file_ops gives them too); procpidset_file writes
 * d/name of p, procpidset_write takes a write to one (the bytes taken,
 * or an error). */
#define PROCSET_NODE 3u
/* /proc/mounts, /proc/PID/mounts and mountinfo: marked PROCMOUNTS_NODE,
 * whose poll shows the mount table's changes (procpidmem.c). */
#define PROCMOUNTS_NODE 4u
/* /proc/kmsg: marked PROCKMSG_NODE, opened with kmsg.c's prockmsg_fops. */
#define PROCKMSG_NODE 5u
/* /proc/PID/pagemap (procpidmem.c): marked PROCPAGEMAP_NODE. */
#define PROCPAGEMAP_NODE 6u
/* /proc/PID's files made at each read (procpidlive.c): marked
 * PROCLIVE_NODE, opened with proclive_fops; procpidlive_node makes d/name
 * (syscall, stack, sched, autogroup, children, smaps_rollup, numa_maps,
 * clear_refs), procpidlive_attr the directory attr/; procpidlive_put puts
 * text on the file being made.  procsmaps.c: the text of smaps_rollup and
 * numa_maps of t, a write to clear_refs (0 or -errno).  Linux's kstrtoint
 * and strstrip (procpidset.c). */
#define PROCLIVE_NODE 7u
extern const struct file_ops proclive_fops;
void procpidlive_node(struct inode *d, struct proc *p, const char *name);
void procpidlive_attr(struct inode *d, struct proc *p, const char *name);
void procpidlive_put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The thread a node of /proc/PID or task/TID is of (the directory above
 * it, or above attr/), the node's name, and whether it is in attr/. */
struct proc *procpid_node_thread(struct inode *ino, const char **name, bool *attr);
void procsmaps_text(struct proc *t, const char *name);
int procsmaps_clear_refs(struct proc *t, char *text);
int procpid_kstrtoint(const char *s, unsigned base, int *res);
char *procpid_strip(char *s);
struct file_ops;
const struct file_ops *procmem_file_ops(const struct inode *ino);
/* f, just opened: if it is a process's /proc/PID directory (not a
 * thread's), it keeps the process as a pidfd does (f->pidfd's pid and
 * start), for pidfd_send_signal (Linux's tgid_pidfd_to_pid). */
struct file;
void procmem_dir_opened(struct file *f);
extern const struct file_ops procset_fops;
void procpidset_file(struct inode *d, struct proc *p, const char *name);
int procpidset_write(struct inode *ino, uint64_t off, const void *data, size_t n);
/* The smaller files of /proc/PID (procpidinfo.c): d/name of p (wchan, timers, schedstat, mountstats, net, cgroup, cpuset, the id maps,
 * timens_offsets, arch_status, ksm_merging_pages, ksm_stat). */
void procpidinfo_file(struct inode *d, struct proc *p, const char *name);
/* /proc/PID/io (procio.c): d/name of p. */
void procio_file(struct inode *d, struct proc *p, const char *name);
void procio_thread_file(struct inode *d, struct proc *t, const char *name);
/* t's memory in [from, to) onto the buffer (cmdline, environ). */
size_t procmem_put(struct proc *t, uint64_t from, uint64_t to, bool to_nul);
int procsys_permission(const struct inode *ino, int mask);
int procsys_write(struct inode *ino, uint64_t off, const void *data, size_t n);
/* /proc/sysrq-trigger, whose write of 'c' makes the server itself fault,
 * as Linux's crashes the kernel (docs/supervision.md). */
void procsys_sysrq(struct inode *trigger);

/* The mount table as /proc/mounts (info false) or /proc/self/mountinfo
 * shows it, into buf (mount.c); its length. */
size_t mount_table_text(char *buf, size_t size, bool info);

/* threads-max (rlimit.c): Linux's max_threads, as many threads'
 * stacks as an eighth of memory holds (20 at least); RLIMIT_NPROC's and
 * RLIMIT_SIGPENDING's default is half. */
uint64_t linux_max_threads(void);

/* A process's figures (procstat.c): its threads not yet ended (at least
 * 1), its areas' total size, its resident bytes (and, in shared, those
 * of shared memory), its text and data bytes as statm counts them, and
 * the set of signals whose handler is SIG_IGN (handler_is_ign) or a
 * function (0). */
struct proc;
int proc_threads(struct proc *g);
uint64_t proc_vsize(struct proc *p);
uint64_t proc_resident(struct proc *p, uint64_t *shared);
void proc_text_data(struct proc *p, uint64_t *text, uint64_t *data);
uint64_t proc_sigset(struct proc *p, uint64_t handler_is_ign);

/* Load averages: sampled every 5 s from the server's timer. */
uint64_t loadavg_next(void);
void loadavg_tick(uint64_t now);
/* The 1, 5 and 15 minute averages in LOADAVG_FSHIFT-bit fixed point,
 * shifted left. */
void loadavg_get(uint64_t out[3], int shift);
#define LOADAVG_FSHIFT 11 /* 11 bits of fraction, as Linux's FSHIFT */
struct proc;
/* Threads running or ready to, and viewer (the reader of /proc, which
 * runs) if not NULL (loadavg.c). */
int loadavg_running(struct proc *viewer);
/* Whether p waits in a call: a pipe, a poll or sleep, wait4, a terminal. */
bool proc_waiting(struct proc *p);

#endif
