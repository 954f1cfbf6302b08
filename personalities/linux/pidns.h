/*
 * personalities/linux/pidns.h - pid namespaces (pidns.c), as Linux's
 * struct pid_namespace and struct pid's numbers[]: a process has one
 * number in its own pid namespace and one in each ancestor's, up to the
 * initial one, whose number is its pid (struct proc's pid, which the
 * server's tables know it by).  A number crossing the user boundary is
 * the one of the caller's namespace: pidns_vnr going out, pidns_find and
 * pidns_global coming in.
 *
 * Entry points: below.  Callers: ns.c (making one), fork.c (the child's
 * numbers), proc.c, kill.c, exit.c, signal.c and the other calls that
 * take or give a pid.  Layer: proc.  Book: docs/linux.md, "Programs and
 * processes".
 */
#ifndef LINUX_PIDNS_H
#define LINUX_PIDNS_H
#include <stdbool.h>
#include <stdint.h>

struct proc;
struct ns;
struct siginfo_k;

/* A namespace's own (struct ns's pid; NULL for the initial one). */
struct pidns {
    int level;           /* its depth: 1 for a child of the initial one */
    struct ns *parent;   /* the namespace it was made in (held) */
    int last;            /* the last number handed out in it */
    struct proc *reaper; /* its init, the process numbered 1 (NULL before it and after it ended) */
    bool adding;         /* numbers may be handed out: until its init ends (Linux's PIDNS_ADDING) */
    bool started;        /* its init was made */
    int reboot;          /* reboot(2) in it: the signal its init is seen killed by (SIGHUP, SIGINT) */
};

#define MAX_PID_NS_LEVEL 32 /* Linux's deepest nesting */
/* A number that names no process (a lookup's miss). */
#define PIDNS_NONE INT32_MAX

/* kernel/ns_last_pid as p sees it: its pid namespace's last number. */
int *pidns_last_of(const struct proc *p);
/* Whether n had an init (or is the initial one): else its
 * pid_for_children link is ENOENT. */
bool pidns_started(const struct ns *n);
/* Namespace n's depth (0: the initial one). */
int pidns_level(const struct ns *n);
/* clone's and unshare's pid checks (ns_check, after the capability's):
 * a thread stays in its process's namespace and a CLONE_PARENT child
 * would be a sibling of an init (EINVAL, clone only: ns_check's
 * clone_check); a new one only from the namespace the caller is in
 * (EINVAL), at most 32 deep (ENOSPC; max_pid_namespaces is userns_limits'). */
int pidns_clone_check(const struct proc *p, uint64_t flags);
int pidns_new_check(const struct proc *p);
/* A new namespace's part, a child of parent (held by the caller); NULL
 * short of memory.  pidns_release frees it and gives the parent back. */
struct pidns *pidns_new(struct ns *parent);
struct ns *pidns_release(struct pidns *d);
/* Whether p may have a child now: -ENOMEM once the namespace its
 * children go to has lost its init (clone's flags: a new one may). */
int pidns_fork_check(const struct proc *p, uint64_t flags);
/* clone3's set_tid (n numbers, the first the innermost namespace's) for
 * a child of p's made with flags, checked level by level from the
 * innermost as Linux's alloc_pid: more than the levels, a number outside
 * 1..pid_max-1, or other than 1 in a namespace with no init yet, EINVAL;
 * a caller that is no checkpointer EPERM; one in use EEXIST.  0, the
 * initial namespace's number in *global (0: none asked), and the others
 * kept for the next pidns_attach. */
int pidns_set_tid(const struct proc *p, uint64_t flags, const int32_t *tids, uint64_t n, int *global);
/* A new thread or process t, in its namespace (t->ns set): its numbers
 * in each namespace below the initial one (set_tid's, or the next free);
 * the first of a namespace is its init.  p->nsnr freed by pidns_free. */
void pidns_attach(struct proc *t);
void pidns_free(struct proc *t);
/* t's number in namespace n: 0 if t is not in n or below it. */
int pidns_nr(const struct proc *t, const struct ns *n);
/* t's number as viewer sees it (0: outside viewer's namespace). */
int pidns_vnr(const struct proc *viewer, const struct proc *t);
/* The number of the process whose pid is gpid, as viewer sees it (0 if
 * none, or outside); a group or session id the same way. */
int pidns_vpid(const struct proc *viewer, int gpid);
/* The thread numbered nr in namespace n (NULL: the initial one), zombies too; NULL if none. */
struct proc *pidns_find_in(const struct ns *n, int nr);
/* The thread numbered nr in viewer's namespace, zombies too; NULL if none. */
struct proc *pidns_find(const struct proc *viewer, int nr);
/* Its pid (the server's), PIDNS_NONE if none; nr <= 0 as it is. */
int pidns_global(const struct proc *viewer, int nr);
/* /proc/PID/status's NStgid, NSpid, NSpgid and NSsid lines of t, with
 * procfs_put: its numbers from the initial namespace (the one /proc is
 * of) down to its own. */
void pidns_status(const struct proc *t);
/* reboot(2)'s cmd from p, in a namespace below the initial one (Linux's
 * reboot_pid_ns): restart ends the namespace as by SIGHUP, power off and
 * halt as by SIGINT (its init killed, seen so by its parent), the caller
 * ending first: 1; another cmd -EINVAL. */
int pidns_reboot(struct proc *p, uint32_t cmd);
/* Whether t is the init of a namespace below the initial one. */
bool pidns_is_init(const struct proc *t);
/* The process p's orphans go to when no subreaper takes them: its
 * namespace's init (NULL: the initial one's, gone). */
struct proc *pidns_reaper(const struct proc *p);
/* p, an init of a namespace below the initial one, ends: no number is
 * handed out in it again, every other process in it gets SIGKILL, and
 * those it (or another in it) would reap go at once, as Linux's
 * zap_pid_ns_processes; true if p was one. */
bool pidns_init_exit(struct proc *p);
/* A signal from the caller (proc_charged) to t: si_pid 0 when t cannot
 * see the caller, si_uid (made in the caller's user namespace) as t's
 * sees it (a SIGCHLD of a child's is made for its parent already), and whether it is forced past an init's refusal
 * (from an ancestor namespace, or the kernel's), as Linux's
 * send_signal_locked. */
bool pidns_signal_force(const struct proc *t, struct siginfo_k *si);
/* Whether setns may make p's children's namespace n: n itself or below
 * the one p is in (EINVAL otherwise). */
int pidns_may_enter(const struct proc *p, const struct ns *n);
/* NS_GET_PARENT of pid namespace n for p: n's parent if p's namespace is
 * it or above it, else NULL (EPERM). */
struct ns *pidns_parent_for(const struct proc *p, const struct ns *n);

#endif
