/*
 * personalities/linux/ns.c - namespaces, as Linux's nsproxy keeps them:
 * each thread names one of each kind (a slot of struct proc's ns; NULL is
 * the initial one, numbered as Linux's initial namespaces are), a child
 * takes its parent's (its pid and time ones from the parent's "for
 * children" slots), clone and unshare make new ones of the kinds built
 * here (mount, UTS, IPC, time, network: netns.c, pid: pidns.c), and each
 * has an nsfs file, the inode its number names, which
 * /proc/<pid>/ns's links lead to: opened, it keeps the namespace, and
 * setns (setns.c) joins it.
 *
 * A namespace is counted by the slots naming it; while any does, it holds
 * its nsfs inode, so an open file of it keeps the inode and the inode's
 * last release (nsfs_drop) frees the namespace.
 *
 * Entry points: ns.h.  Layer: proc.  Book: docs/linux.md, "Programs and
 * processes".
 */
#include "ns.h"
#include "cgroup.h"
#include "file.h"
#include "linux.h"
#include "mntns.h"
#include "netns.h"
#include "pidns.h"
#include "proc.h"
#include "procfs.h"
#include "sysvipc.h"
#include "userns.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const slot_names[NS_SLOTS] = {"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
                                                 "time", "time_for_children", "user", "uts"};
/* The kind of each slot, as /proc's link names it. */
static const char *const kind_names[NS_SLOTS] = {"cgroup", "ipc", "mnt", "net", "pid", "pid",
                                                 "time", "time", "user", "uts"};

/* The initial namespaces, with Linux 6.1's numbers (mnt's and net's are
 * the ones proc_alloc_inum gives them at boot). */
static struct ns initial[NS_SLOTS] = {
    [NS_CGROUP] = {.type = CLONE_NEWCGROUP, .inum = 4026531835u},
    [NS_IPC] = {.type = CLONE_NEWIPC, .inum = 4026531839u, .ipc = &ipc_initial},
    [NS_MNT] = {.type = CLONE_NEWNS, .inum = 4026531840u},
    [NS_NET] = {.type = CLONE_NEWNET, .inum = 4026531992u, .net = &netns_initial},
    [NS_PID] = {.type = CLONE_NEWPID, .inum = 4026531836u},
    [NS_TIME] = {.type = CLONE_NEWTIME, .inum = 4026531834u, .time.frozen = true},
    [NS_USER] = {.type = CLONE_NEWUSER, .inum = 4026531837u},
    [NS_UTS] = {.type = CLONE_NEWUTS, .inum = 4026531838u, .host = linux_hostname, .domain = linux_domainname},
};
static struct ns *made; /* the namespaces made since, newest first */
static uint32_t next_inum = 4026532160u; /* past the numbers Linux's boot takes */

/* An nsfs file shows one link, as Linux's (it has no name to count). */
static void nsfs_getattr(const struct inode *ino, struct linux_stat *st)
{
    (void)ino;
    st->nlink = 1;
}

static struct inode_ops nsfs_iops;
static const struct fs_ops nsfs_ops = {.getattr = nsfs_getattr};
static struct fs nsfs = {.type = "nsfs", .dev = DEV_NSFS, .magic = NSFS_MAGIC, .ops = &nsfs_ops, .iops = &nsfs_iops,
                         .immutable = true};

static struct ns *slot_initial(int s) { return &initial[s == NS_PID_CHILD ? NS_PID : s == NS_TIME_CHILD ? NS_TIME : s]; }

struct ns *ns_of(const struct proc *p, int s) { return p->ns[s] ? p->ns[s] : slot_initial(s); }

struct ns *ns_initial(int s) { return slot_initial(s); }

static bool is_initial(const struct ns *n) { return n >= initial && n < initial + NS_SLOTS; }

static void ns_put(struct ns *n);

/* Its last nsfs inode's release: a made namespace goes with it. */
static void nsfs_drop(struct inode *ino)
{
    tmpfs_iops.drop(ino);
    for (struct ns **pn = &made, *n; (n = *pn); pn = &n->next)
        if (n->inode == ino) {
            *pn = n->next;
            userns_drop(n); /* a user namespace's part, the hold on its owner */
            if (n->ipc)
                ipc_ns_free(n->ipc); /* its objects go with it */
            if (n->net)
                netns_free(n->net);
            if (n->type == CLONE_NEWNS)
                mntns_release(n); /* and a mount namespace's mounts */
            cgroup_put(n->cgroot);
            if (n->pidns)
                procfs_pidns_gone(n); /* its proc instances show none */
            struct ns *up = pidns_release(n->pidns); /* a pid namespace's hold of its parent */
            free(n);
            ns_put(up);
            return;
        }
}

/* n's nsfs inode, made at its first use (an initial namespace's). */
static struct inode *ns_inode(struct ns *n)
{
    if (!nsfs_iops.drop)
        nsfs_iops = tmpfs_iops, nsfs_iops.drop = nsfs_drop;
    if (!n->inode && (n->inode = fs_new_unnamed(&nsfs, S_IFREG | 0444)))
        n->inode->ino = n->inum; /* held for good: an initial namespace never goes */
    return n->inode;
}

static void ns_hold(struct ns *n)
{
    if (n && !is_initial(n) && n->refs++ == 0)
        n->inode->refs++; /* taken again from an open file's: setns */
}

static void ns_put(struct ns *n)
{
    if (!n || is_initial(n) || --n->refs)
        return;
    n->inode->refs--;
    fs_release(n->inode); /* freed now (nsfs_drop), or at its last open file's close */
}

/* A new namespace of slot s's kind, a copy of from's; NULL when memory
 * is short. */
static struct ns *ns_new(int s, const struct ns *from)
{
    struct ns *n = calloc(1, sizeof *n);
    if (!n || !ns_inode(n)) {
        free(n);
        return NULL;
    }
    n->type = slot_initial(s)->type;
    n->inum = n->inode->ino = next_inum++;
    n->host = n->names[0], n->domain = n->names[1];
    if (from->host)
        strcpy(n->host, from->host), strcpy(n->domain, from->domain);
    n->time = from->time, n->time.frozen = false; /* a time one's offsets, until a process enters it */
    /* a new one's are the defaults, not a copy */
    if ((from->ipc && !(n->ipc = ipc_ns_new())) || (from->net && !(n->net = netns_new()))) {
        if (n->ipc)
            ipc_ns_free(n->ipc);
        n->inode->refs = 0;
        fs_release(n->inode);
        free(n);
        return NULL;
    }
    if (n->type == CLONE_NEWPID && !(n->pidns = pidns_new((struct ns *)from))) {
        n->inode->refs = 0;
        fs_release(n->inode);
        free(n);
        return NULL;
    }
    if (n->pidns)
        ns_hold((struct ns *)from); /* a child holds its parent */
    n->refs = 1; /* the slot it is made for */
    n->next = made;
    made = n;
    return n;
}

/* The namespace kinds clone and unshare can make here. */
#define NS_BUILT (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWTIME | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWUSER | \
                  CLONE_NEWCGROUP)
#define NS_ALL (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP | \
                CLONE_NEWTIME)

int ns_check(struct proc *p, uint64_t flags)
{
    int r = userns_check(p, flags); /* a new user namespace first: the others are its */
    if (r < 0 || !(flags & NS_ALL))
        return r;
    if (!(flags & CLONE_NEWUSER) && !cred_own_capable(&p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    if (flags & NS_ALL & ~(uint64_t)NS_BUILT)
        return -LINUX_EINVAL;
    r = (flags & CLONE_NEWPID) ? pidns_new_check(p) : 0;
    return r < 0 ? r : userns_limits(p, flags); /* the max_*_namespaces */
}

/* The slots a CLONE_NEW* flag gives a new namespace to. */
static int slot_of(uint64_t flag)
{
    return flag == CLONE_NEWUTS ? NS_UTS : flag == CLONE_NEWIPC ? NS_IPC : flag == CLONE_NEWNS ? NS_MNT
         : flag == CLONE_NEWTIME ? NS_TIME_CHILD /* a new time namespace is the children's */
         : flag == CLONE_NEWNET ? NS_NET
         : flag == CLONE_NEWCGROUP ? NS_CGROUP
         : NS_PID_CHILD; /* CLONE_NEWPID: unshare's caller stays, its next child is the init */
}

/* t's slots as asked by flags, new namespaces copied from p's; a new
 * user namespace first, which owns the others. */
static int ns_make(struct proc *t, const struct proc *p, uint64_t flags)
{
    if (flags & CLONE_NEWUSER) {
        struct ns *u = ns_new(NS_USER, ns_of(p, NS_USER));
        if (!u || userns_init(u, t, p) < 0) {
            ns_put(u);
            return -LINUX_ENOMEM;
        }
        ns_put(t->ns[NS_USER]);
        t->ns[NS_USER] = u;
    }
    for (uint64_t f = flags & NS_BUILT & ~(uint64_t)CLONE_NEWUSER; f; f &= f - 1) {
        int s = slot_of(f & -f);
        struct ns *n = ns_new(s, ns_of(p, s));
        if (!n)
            return -LINUX_ENOMEM;
        userns_own(n, t->cred.userns, t->cred.euid); /* first: a mount namespace's copies are locked by it */
        if (s == NS_MNT && mntns_copy(n, p->ns[NS_MNT], t) < 0) { /* its copy of the mounts */
            ns_put(n);
            return -LINUX_ENOMEM;
        }
        if (s == NS_CGROUP) /* rooted at the maker's group (Linux's copy_cgroup_ns) */
            cgroup_get(n->cgroot = cgroup_of(p));
        ns_put(t->ns[s]);
        t->ns[s] = n;
    }
    return 0;
}

int ns_fork(struct proc *ch, const struct proc *p, uint64_t flags)
{
    for (int s = 0; s < NS_SLOTS; s++)
        ch->ns[s] = p->ns[s];
    ch->ns[NS_PID] = p->ns[NS_PID_CHILD], ch->ns[NS_TIME] = p->ns[NS_TIME_CHILD];
    for (int s = 0; s < NS_SLOTS; s++)
        ns_hold(ch->ns[s]);
    int r = ns_make(ch, p, flags);
    timens_fork(ch, p); /* its time namespace for children, if new, its own */
    if (r == 0 && (flags & CLONE_NEWPID)) /* the child is in the new pid namespace */
        ns_enter(ch, NS_PID, ch->ns[NS_PID_CHILD]);
    return r;
}

int ns_thread(struct proc *t, const struct proc *p, uint64_t flags)
{
    for (int s = 0; s < NS_SLOTS; s++)
        ns_hold(t->ns[s] = p->ns[s]);
    int r = ns_make(t, p, flags);
    timens_fork(t, p);
    return r;
}

void ns_exit(struct proc *p)
{
    pidns_free(p); /* its numbers, while it is in its namespace */
    for (int s = 0; s < NS_SLOTS; s++) {
        ns_put(p->ns[s]);
        p->ns[s] = NULL;
    }
}

int ns_unshare(struct proc *p, uint64_t flags) { return ns_make(p, p, flags); }

/* /proc/<pid>/ns/<slot>: its link's rdev, which walks know it by. */
#define NS_LINK 0x40000000u
#define NS_LINK_RDEV(s, pid) (NS_LINK | (uint32_t)(s) << 24 | (uint32_t)(pid))

void ns_dir(struct inode *d, struct proc *p, const char *name)
{
    struct inode *nsd = procfs_node(d, name, S_IFDIR | 0511);
    char text[40];
    for (int s = 0; nsd && s < NS_SLOTS; s++) {
        snprintf(text, sizeof text, "%s:[%u]", kind_names[s], ns_of(p, s)->inum);
        procfs_link(nsd, slot_names[s], text);
        struct inode *l = fs_dir_find(nsd, slot_names[s], strlen(slot_names[s]));
        if (l)
            l->rdev = NS_LINK_RDEV(s, p->pid);
    }
}

/* The process of an ns link, if the caller may see its namespaces
 * (Linux's proc_ns_get_link: ptrace's PTRACE_MODE_READ_FSCREDS). */
static int link_proc(struct inode *link, struct proc **t)
{
    *t = proc_by_pid((int)(link->rdev & 0xffffff));
    if (!*t || (*t)->zombie)
        return -LINUX_ENOENT;
    if ((link->rdev >> 24 & 0x3f) == NS_PID_CHILD && !pidns_started(ns_of(*t, NS_PID_CHILD)))
        return -LINUX_ENOENT; /* unshared, no init yet (pidns_for_children_get) */
    struct proc *me = proc_charged;
    return !me || proc_may_ptrace(me, *t) ? 0 : -LINUX_EACCES;
}

static bool ns_link(const struct inode *link)
{
    return link->fs->magic == PROC_SUPER_MAGIC && (link->mode & S_IFMT) == S_IFLNK && (link->rdev & 0xc0000000u) == NS_LINK;
}

bool ns_follow(struct inode *link, struct inode **target, int *err)
{
    if (!ns_link(link))
        return false;
    struct proc *t;
    *err = link_proc(link, &t);
    if (*err == 0 && !(*target = ns_inode(ns_of(t, (int)(link->rdev >> 24 & 0x3f)))))
        *err = -LINUX_ENOMEM;
    return true;
}

int ns_link_access(struct inode *link)
{
    struct proc *t;
    return ns_link(link) ? link_proc(link, &t) : 0;
}

int ns_file_name(const struct inode *ino, char *buf, size_t size)
{
    if (ino->fs != &nsfs)
        return -1;
    for (int s = 0; s < NS_SLOTS; s++)
        if (initial[s].inode == ino) {
            snprintf(buf, size, "%s:[%u]", kind_names[s], initial[s].inum);
            return 0;
        }
    for (struct ns *n = made; n; n = n->next)
        if (n->inode == ino)
            for (int s = 0; s < NS_SLOTS; s++)
                if (slot_initial(s)->type == n->type) {
                    snprintf(buf, size, "%s:[%u]", kind_names[s], n->inum);
                    return 0;
                }
    return -1;
}

struct ns *ns_made(void) { return made; }

void ns_each_ipc(void (*fn)(struct ipc_ns *n))
{
    fn(&ipc_initial);
    for (struct ns *n = made; n; n = n->next)
        if (n->ipc)
            fn(n->ipc);
}

/* The namespace an nsfs inode is the file of, and its slot in *slot. */
struct ns *ns_by_inode(const struct inode *ino, int *slot)
{
    struct ns *found = NULL;
    for (int s = 0; s < NS_SLOTS && !found; s++)
        found = initial[s].inode == ino ? &initial[s] : NULL;
    for (struct ns *n = made; n && !found; n = n->next)
        found = n->inode == ino ? n : NULL;
    for (int s = 0; found && s < NS_SLOTS; s++)
        if (slot_initial(s)->type == found->type) {
            *slot = s;
            break;
        }
    return found;
}

/* p's slot s names n from now on. */
void ns_enter(struct proc *p, int s, struct ns *n)
{
    ns_hold(n);
    ns_put(p->ns[s]);
    p->ns[s] = is_initial(n) ? NULL : n;
}

static int64_t ns_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)c, (void)f, (void)ubuf, (void)len, (void)at;
    return -LINUX_EINVAL; /* Linux's ns_file_operations have no read or write */
}

/* The ioctls of an nsfs file (linux/nsfs.h). */
#define NS_GET_USERNS 0xb701
#define NS_GET_PARENT 0xb702
#define NS_GET_NSTYPE 0xb703
#define NS_GET_OWNER_UID 0xb704

/* A new descriptor of n's nsfs file, as Linux's open_related_ns gives. */
int64_t ns_open_related(struct sys_ctx *c, struct ns *n)
{
    struct inode *ino = ns_inode(n);
    struct file *f = ino ? calloc(1, sizeof *f) : NULL;
    if (!f)
        return -LINUX_ENOMEM;
    *f = (struct file){.ops = &ns_fops, .kind = FILE_INODE, .inode = ino, .flags = O_RDONLY | O_LARGEFILE, .refs = 1};
    ino->refs++;
    int fd = fd_alloc(c->p, 0, f, true);
    if (fd < 0)
        file_put(f);
    return fd;
}

/* A namespace's owner (NS_GET_USERNS) and a user namespace's parent
 * are userns.c's (EPERM for the initial one's, or one outside the
 * caller's); the initial pid namespace has no parent either, the other
 * kinds no hierarchy (EINVAL). */
static int64_t ns_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    int s;
    struct ns *n = ns_by_inode(f->inode, &s);
    if (!n)
        return -LINUX_ENOTTY;
    switch (req) {
    case NS_GET_PARENT:
        if (n->type == CLONE_NEWPID) { /* one the caller's own namespace is or is above (pidns_get_parent) */
            struct ns *up = pidns_parent_for(c->p, n);
            return up ? ns_open_related(c, up) : -LINUX_EPERM;
        }
        /* fall through */
    case NS_GET_USERNS: {
        int err;
        struct ns *o = userns_related(c->p, n, req == NS_GET_PARENT, &err);
        return err ? err : ns_open_related(c, o ? o : &initial[NS_USER]);
    }
    case NS_GET_NSTYPE: return n->type;
    case NS_GET_OWNER_UID: {
        if (n->type != CLONE_NEWUSER)
            return -LINUX_EINVAL;
        uint32_t uid = userns_owner_uid(c->p, n); /* its creator's, as the caller sees it */
        return mem_out(c->p, arg, &uid, sizeof uid) < 0 ? -LINUX_EFAULT : 0;
    }
    default: return -LINUX_ENOTTY;
    }
}

const struct file_ops ns_fops = {.read = ns_read, .write = ns_read, .ioctl = ns_ioctl, .stream = true};
