/*
 * personalities/linux/userns.h - user namespaces (userns.c): what a user
 * namespace holds beyond ns.h's struct ns (its level, its creator's
 * effective ids, its uid, gid and project id maps, whether setgroups is
 * denied), the ids a thread sees through its own (cred's userns), the
 * capability checks made relative to a namespace (Linux's ns_capable),
 * and its /proc/PID files (uid_map, gid_map, projid_map, setgroups).
 *
 * Entry points: below.  Callers: ns.c (making and freeing one), cred.c
 * (ids in and out), stat.c, procpidset.c, setns.c, sys.c.  Layer: proc.
 * Book: docs/linux.md, "Users and permissions".
 */
#ifndef LINUX_USERNS_H
#define LINUX_USERNS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct proc;
struct ns;
struct cred;
struct sys_ctx;

#define USERNS_NO_ID 0xffffffffu /* an id a namespace does not map */

/* The user namespace owning n (NULL: the initial one). */
struct ns *userns_owner(const struct ns *n);
/* Linux's create_user_ns's checks, for clone's and unshare's flags: for
 * CLONE_NEWUSER, the depth (ENOSPC past 32 below the initial one), the
 * limit of /proc/sys/user/max_user_namespaces (ENOSPC), a chroot'ed
 * caller (EPERM), a creator whose effective ids its namespace does not
 * map (EPERM). */
int userns_check(struct proc *p, uint64_t flags);
/* The other kinds' limits (max_uts_namespaces...) for p's new ones:
 * ENOSPC when one of the counts on its chain is at its limit. */
int userns_limits(const struct proc *p, uint64_t flags);
/* A new user namespace n (made by ns.c) for t, created by p: t's
 * credentials name it, with every capability in it; 0 or -ENOMEM. */
int userns_init(struct ns *n, struct proc *t, const struct proc *p);
/* n (of any kind), made by a creator of effective id euid in user
 * namespace u, is owned by u from now on (a hold), and counted to them. */
void userns_own(struct ns *n, struct ns *u, uint32_t euid);
/* n goes: its user namespace's part and its hold on its owner. */
void userns_drop(struct ns *n);
/* The namespace of an nsfs ioctl: NS_GET_USERNS's (the owner, EPERM for
 * one the caller's namespace is not an ancestor of), NS_GET_PARENT's of a
 * user namespace, NS_GET_OWNER_UID's uid; NULL with *err set otherwise. */
struct ns *userns_related(const struct proc *p, struct ns *n, bool parent, int *err);
uint32_t userns_owner_uid(const struct proc *p, const struct ns *n);
/* setns into user namespace n: EINVAL for the caller's own, EPERM
 * without CAP_SYS_ADMIN in n, EINVAL for a multithreaded caller or a
 * shared file-system context; then every capability in n. */
int userns_install(struct proc *p, struct ns *n);
/* Its checks alone. */
int userns_may_install(struct proc *p, struct ns *n);

/* ---- ids: kernel ids (the initial namespace's) seen from u ---- */
uint32_t userns_uid_from(const struct ns *u, uint32_t kuid); /* the overflow uid if unmapped */
uint32_t userns_gid_from(const struct ns *u, uint32_t kgid);
uint32_t userns_uid_to(const struct ns *u, uint32_t id); /* USERNS_NO_ID if unmapped */
uint32_t userns_gid_to(const struct ns *u, uint32_t id);
/* A uid of namespace from as namespace to sees it: the overflow uid if
 * either does not map it (a signal's si_uid, Linux's make_kuid then
 * from_kuid_munged). */
uint32_t userns_uid_across(const struct ns *from, const struct ns *to, uint32_t id);
uint32_t userns_id_up(const struct ns *u, bool gid, uint32_t kid); /* USERNS_NO_ID if unmapped */
/* A cred's eight ids (uids, then gids) as reader r's namespace sees them
 * (r NULL: the initial one's), and a gid so. */
void userns_ids_seen(const struct proc *r, const struct cred *c, uint32_t id[8]);
uint32_t userns_gid_seen(const struct proc *r, uint32_t kgid);
/* Whether setgroups is allowed in u (its gid_map written, "allow"). */
bool userns_may_setgroups(const struct ns *u);

/* ---- /proc/PID/{uid_map,gid_map,projid_map,setgroups} of p ---- */
bool userns_file(const char *name);
void userns_show(struct proc *p, const char *name); /* its text, procfs_put's */
int userns_write(struct proc *w, struct proc *p, const char *name, uint64_t off, const void *data, size_t n);
int userns_open(struct proc *w, struct proc *p, const char *name, int flags);

/* ---- /proc/sys/user/max_*_namespaces ---- */
extern int userns_max[8]; /* user, uts, ipc, mnt, net, pid, cgroup, time */
void userns_limits_init(void);
/* A /proc/sys/user sysctl's variable as the caller sees it: an entry of
 * userns_max, or the inotify and fanotify limits' (sysctl.c's), is its
 * user namespace's own (else var itself). */
void *userns_sysctl(void *var);
/* The inotify and fanotify limits of a caller in u: the least of the
 * initial namespace's and those of each namespace on u's chain, as
 * Linux's inc_ucount checks every level (the counts here are by
 * effective uid over all namespaces, the initial one's). */
enum { USERNS_INOTIFY_INSTANCES, USERNS_INOTIFY_WATCHES, USERNS_FANOTIFY_GROUPS, USERNS_FANOTIFY_MARKS };
int userns_notify_max(const struct ns *u, int which);

#endif
