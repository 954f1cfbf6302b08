/*
 * personalities/linux/ns.h - namespaces (ns.c): the namespaces each
 * thread is in, one slot a kind as /proc/<pid>/ns lists them (NULL: the
 * initial one), the nsfs files /proc/<pid>/ns's links lead to, and what
 * a namespace of its own holds (UTS: the host and domain names; IPC: its
 * objects and settings, sysvipc.h's struct ipc_ns; time: its clocks'
 * offsets, timens.h; a mount namespace's mounts are the mount table's
 * that name it, mntns.c).
 *
 * Entry points: ns_of, ns_fork, ns_thread, ns_exit, ns_check, ns_unshare,
 * ns_dir (procpid.c), ns_follow (fs.c's walk), ns_link_access (readlink),
 * ns_file_name (/proc/<pid>/fd), ns_fops (file.c's open).  Layer: proc.
 * Book: docs/linux.md, "Programs and processes".
 */
#ifndef LINUX_NS_H
#define LINUX_NS_H
#include "timens.h"
#include "uapi.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct proc;
struct inode;
struct file;
struct ipc_ns;
struct netns;
struct sys_ctx;
struct pidns;
struct userns;
struct cgroup;

/* A thread's namespaces, in /proc/<pid>/ns's order. */
enum ns_slot { NS_CGROUP, NS_IPC, NS_MNT, NS_NET, NS_PID, NS_PID_CHILD, NS_TIME, NS_TIME_CHILD, NS_USER, NS_UTS,
               NS_SLOTS };

struct ns {
    uint32_t type;       /* its CLONE_NEW* flag */
    uint32_t inum;       /* its nsfs inode's number: /proc/<pid>/ns's "uts:[N]" */
    int refs;            /* the threads' slots naming it (an initial one is never counted) */
    struct inode *inode; /* its nsfs file: the namespace's hold while refs > 0, and open files' */
    struct ns *next;     /* every namespace made */
    char *host, *domain; /* UTS: uname's node and domain names (the initial one's are sys.c's) */
    struct ipc_ns *ipc;  /* IPC: its objects and settings (sysvipc.h; the initial one's, ipc_initial) */
    struct timens time;  /* time: its clocks' offsets (timens.h) */
    struct netns *net;   /* network: its loopback's state (netns.h; the initial one's, netns_initial) */
    struct pidns *pidns; /* pid: its level, parent, numbers and init (pidns.h; the initial one's, NULL) */
    char names[2][__NEW_UTS_LEN + 1];
    struct ns *owner;      /* the user namespace owning it, a user one's parent (userns.c; NULL: the initial) */
    struct userns *user;   /* USER: its levels, owner's ids, maps (userns.c; the initial one's NULL) */
    struct cgroup *cgroot; /* CGROUP: its root, the group it was made in (cgroup.c; the initial one's NULL) */
};

/* The namespace of slot s that p is in (never NULL); the initial one. */
struct ns *ns_of(const struct proc *p, int s);
struct ns *ns_initial(int s);
/* A new descriptor (O_RDONLY, close-on-exec) of n's nsfs file, or -errno. */
int64_t ns_open_related(struct sys_ctx *c, struct ns *n);
/* A new process ch of p's (clone's flags, checked by ns_check): p's
 * namespaces, its children's pid and time ones as ch's own, and a new
 * one for each CLONE_NEW* asked; 0 or -ENOMEM. */
int ns_fork(struct proc *ch, const struct proc *p, uint64_t flags);
/* A new thread t of p's: p's namespaces, and new ones as flags ask (as
 * ns_fork); 0 or -ENOMEM. */
int ns_thread(struct proc *t, const struct proc *p, uint64_t flags);
/* p is freed: its namespaces lose it. */
void ns_exit(struct proc *p);
/* clone's and unshare's CLONE_NEW* flags, as Linux's copy_namespaces
 * checks them: 0, -EPERM without CAP_SYS_ADMIN, -EINVAL for a kind there
 * is none of (a Linux built without it), -ENOSPC past max_net_namespaces. */
int ns_check(struct proc *p, uint64_t flags);
/* unshare's: p's thread moves to new namespaces of the kinds flags ask
 * (checked); 0 or -ENOMEM. */
int ns_unshare(struct proc *p, uint64_t flags);
/* /proc/<pid>/ns in dir d, for p: a link per slot. */
void ns_dir(struct inode *d, struct proc *p, const char *name);
/* Whether link is a /proc/<pid>/ns link: then *target is the namespace's
 * nsfs inode, or the result -EACCES (the caller may not read the
 * process's, as ptrace's PTRACE_MODE_READ), -ENOENT (it is gone). */
bool ns_follow(struct inode *link, struct inode **target, int *err);
/* readlink of link: 0, or -EACCES as ns_follow. */
int ns_link_access(struct inode *link);
/* An nsfs inode's name, "uts:[N]" (0), or -1 if ino is none. */
int ns_file_name(const struct inode *ino, char *buf, size_t size);
/* The namespace nsfs inode ino is the file of (its slot, a pid or time
 * one's the process's own, in *slot), or NULL. */
struct ns *ns_by_inode(const struct inode *ino, int *slot);
/* p's thread's slot s names n from now on (setns). */
void ns_enter(struct proc *p, int s, struct ns *n);
/* The namespaces made, newest first (their next links): userns.c's limits. */
struct ns *ns_made(void);
/* fn for every IPC namespace's objects (sysv_collect). */
void ns_each_ipc(void (*fn)(struct ipc_ns *n));
/* The operations of an open nsfs file: no read, no write, no lseek. */
extern const struct file_ops ns_fops;

#endif
