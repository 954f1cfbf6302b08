/*
 * personalities/linux/userns.c - user namespaces, as Linux 6.1's
 * kernel/user_namespace.c keeps them.  A thread's credentials name one
 * (struct cred's userns, which its ns slot holds; NULL the initial one),
 * where its ids are seen and its capabilities hold.  Anyone may make one
 * (unshare or clone with CLONE_NEWUSER): its creator's effective ids own
 * it, and the thread in it has every capability there, none outside.
 * Until its maps are written (/proc/PID/uid_map and gid_map, once each,
 * by a writer with CAP_SYS_ADMIN in it and in it or its parent; an
 * unprivileged one may map only its own effective id, and a gid only
 * after setgroups "deny"), it maps nothing: ids show as the overflow
 * ids (kernel/overflowuid), and ids given to calls are EINVAL.  Ids are
 * kept as the initial namespace's ("kernel ids") everywhere else; the
 * maps' lower ids are stored so, as Linux's.
 *
 * A capability in a namespace (cred_ns_capable, Linux's cap_capable)
 * holds for a thread in it with the capability, and for the owner of
 * one made below the thread's own; a file's (cred_inode_capable) also
 * needs the file's owner and group mapped.  Every namespace of another
 * kind has the user namespace of its creator for owner (ns.h's owner).
 *
 * The limits of /proc/sys/user (max_*_namespaces) are each user
 * namespace's own (INT_MAX in a new one; a reader sees its own), and a
 * new namespace is counted as Linux's ucounts count it: to its creator's
 * effective id in the user namespace it is made in, then to that
 * namespace's owner in its parent, and so on up; at each step the count
 * of that id there must stay below that namespace's limit (ENOSPC).
 *
 * Entry points: userns.h, and fs.h's cred_ns_capable and
 * cred_inode_capable.  Layer: proc.  Book: docs/linux.md, "Users and
 * permissions".
 */
#include "userns.h"
#include "keys.h"
#include "linux.h"
#include "ns.h"
#include "proc.h"
#include "procfs.h"
#include "sysctl.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EXTENTS 340 /* UID_GID_MAP_MAX_EXTENTS */
#define MAX_LEVEL 32

enum { MAP_UID, MAP_GID, MAP_PROJID };

struct extent {
    uint32_t first, lower, count;
};

struct idmap {
    int n;
    struct extent e[MAX_EXTENTS];
};

struct userns {
    int level;             /* 1 below the initial one */
    uint32_t owner, group; /* its creator's effective ids */
    bool denied;           /* setgroups "deny" (inherited from the parent) */
    bool could_setfcap;    /* its creator had CAP_SETFCAP (may map root) */
    struct idmap map[3];
    int max[8];            /* its max_*_namespaces, as userns_max's */
    int notify_max[4];     /* its max_inotify_instances, _watches, max_fanotify_groups, _marks */
};

/* What a made namespace is counted to (Linux's ucounts): the user
 * namespace it was made in (NULL: the initial one) and its creator's
 * effective id; one for each namespace alive. */
struct charge {
    const struct ns *n, *at;
    uint32_t uid;
    int kind;
    struct charge *next;
};
static struct charge *charges;

int userns_max[8] = {-1, -1, -1, -1, -1, -1, -1, -1};
static const uint32_t kinds[8] = {CLONE_NEWUSER, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWNS,
                                  CLONE_NEWNET,  CLONE_NEWPID, CLONE_NEWCGROUP, CLONE_NEWTIME};

/* Linux's fork_init: every limit at half the most threads. */
void userns_limits_init(void)
{
    for (int i = 0; i < 8; i++)
        if (userns_max[i] < 0)
            userns_max[i] = (int)(linux_max_threads() / 2);
}

static struct userns *ud(const struct ns *u) { return u ? u->user : NULL; }
static int level(const struct ns *u) { return ud(u) ? ud(u)->level : 0; }

struct ns *userns_owner(const struct ns *n) { return n ? n->owner : NULL; }

/* ---- ids ---- */

/* map_id_down: id of u's to the kernel's, the whole range [id, id+count)
 * in one extent (USERNS_NO_ID otherwise). */
static uint32_t down(const struct ns *u, int m, uint32_t id, uint32_t count)
{
    const struct userns *x = ud(u);
    if (!x)
        return id == USERNS_NO_ID ? USERNS_NO_ID : id;
    for (int i = 0; i < x->map[m].n; i++) {
        const struct extent *e = &x->map[m].e[i];
        uint32_t last = id + count - 1;
        if (id >= e->first && id - e->first < e->count && last >= e->first && last - e->first < e->count)
            return e->lower + (id - e->first);
    }
    return USERNS_NO_ID;
}

/* map_id_up: a kernel id as u sees it (USERNS_NO_ID if unmapped). */
static uint32_t up(const struct ns *u, int m, uint32_t kid)
{
    const struct userns *x = ud(u);
    if (!x)
        return kid;
    for (int i = 0; i < x->map[m].n; i++) {
        const struct extent *e = &x->map[m].e[i];
        if (kid >= e->lower && kid - e->lower < e->count)
            return e->first + (kid - e->lower);
    }
    return USERNS_NO_ID;
}

uint32_t userns_uid_to(const struct ns *u, uint32_t id) { return down(u, MAP_UID, id, 1); }
uint32_t userns_gid_to(const struct ns *u, uint32_t id) { return down(u, MAP_GID, id, 1); }

uint32_t userns_id_up(const struct ns *u, bool gid, uint32_t kid) { return up(u, gid ? MAP_GID : MAP_UID, kid); }

uint32_t userns_uid_from(const struct ns *u, uint32_t kuid)
{
    uint32_t id = up(u, MAP_UID, kuid);
    return id == USERNS_NO_ID ? (uint32_t)sysctl_overflowuid : id;
}

uint32_t userns_gid_from(const struct ns *u, uint32_t kgid)
{
    uint32_t id = up(u, MAP_GID, kgid);
    return id == USERNS_NO_ID ? (uint32_t)sysctl_overflowgid : id;
}

uint32_t userns_uid_across(const struct ns *from, const struct ns *to, uint32_t id)
{
    if (from == to)
        return id;
    uint32_t kuid = userns_uid_to(from, id);
    return kuid == USERNS_NO_ID ? (uint32_t)sysctl_overflowuid : userns_uid_from(to, kuid);
}

void userns_ids_seen(const struct proc *r, const struct cred *c, uint32_t id[8])
{
    const struct ns *u = r ? r->cred.userns : NULL;
    for (int i = 0; i < 4; i++)
        id[i] = userns_uid_from(u, c->uids[i]), id[4 + i] = userns_gid_from(u, c->gids[i]);
}

uint32_t userns_gid_seen(const struct proc *r, uint32_t kgid) { return userns_gid_from(r ? r->cred.userns : NULL, kgid); }

bool userns_may_setgroups(const struct ns *u)
{
    const struct userns *x = ud(u);
    return !x || (x->map[MAP_GID].n && !x->denied);
}

/* ---- capabilities ---- */

bool cred_ns_capable(const struct cred *c, const struct ns *u, int cap)
{
    const struct userns *mine = ud(c->userns);
    for (const struct ns *n = u;; n = n->owner) {
        const struct userns *t = ud(n);
        if (t == mine)
            return (c->cap_eff >> cap) & 1;
        if (!t || t->level <= (mine ? mine->level : 0))
            return false; /* not below the caller's */
        if (ud(n->owner) == mine && t->owner == c->euid)
            return true; /* its owner has every capability in it */
    }
}

bool cred_inode_capable(const struct cred *c, const struct inode *ino, int cap)
{
    return cred_own_capable(c, cap) && up(c->userns, MAP_UID, ino->uid) != USERNS_NO_ID &&
           up(c->userns, MAP_GID, ino->gid) != USERNS_NO_ID;
}

/* ---- making and freeing ---- */

static int kind_of(uint32_t type)
{
    int k = 0;
    while (k < 7 && kinds[k] != type)
        k++;
    return k;
}

/* Whether charge c counts to uid in x: (x, uid) is on its chain. */
static bool counts_to(const struct charge *c, const struct ns *x, uint32_t uid)
{
    const struct ns *a = c->at;
    for (uint32_t id = c->uid;; id = ud(a)->owner, a = a->owner) {
        if (a == x && id == uid)
            return true;
        if (!ud(a))
            return false;
    }
}

/* One more namespace of kind k made in u by euid: below every limit on
 * its chain (Linux's inc_ucount), else ENOSPC. */
static int under_limits(const struct ns *u, uint32_t euid, int k)
{
    userns_limits_init();
    for (const struct ns *x = u;; euid = ud(x)->owner, x = x->owner) {
        int n = 0;
        for (const struct charge *c = charges; c; c = c->next)
            n += c->kind == k && counts_to(c, x, euid);
        if (n >= (ud(x) ? ud(x)->max[k] : userns_max[k]))
            return -LINUX_ENOSPC;
        if (!ud(x))
            return 0;
    }
}

int userns_check(struct proc *p, uint64_t flags)
{
    const struct cred *cr = &p->cred;
    if (flags & CLONE_NEWUSER) {
        if (level(cr->userns) > MAX_LEVEL || under_limits(cr->userns, cr->euid, 0) < 0)
            return -LINUX_ENOSPC;
        if (cr->root)
            return -LINUX_EPERM; /* chroot'ed: the root would be escaped */
        if (up(cr->userns, MAP_UID, cr->euid) == USERNS_NO_ID || up(cr->userns, MAP_GID, cr->egid) == USERNS_NO_ID)
            return -LINUX_EPERM; /* its creator must be someone in the parent */
    }
    return 0;
}

int userns_limits(const struct proc *p, uint64_t flags)
{
    for (int k = 1; k < 8; k++)
        if ((flags & kinds[k]) && under_limits(p->cred.userns, p->cred.euid, k) < 0)
            return -LINUX_ENOSPC; /* a new user namespace's own limits are INT_MAX: its parent's count */
    return 0;
}

void userns_own(struct ns *n, struct ns *u, uint32_t euid)
{
    struct charge *c = malloc(sizeof *c);
    if (c) /* short of memory: not counted */
        *c = (struct charge){n, ud(u) ? u : NULL, euid, kind_of(n->type), charges}, charges = c;
    if (ud(u)) {
        n->owner = u;
        u->inode->refs++;
    }
}

/* The initial namespace's inotify and fanotify limits (/proc/sys/fs's too), by USERNS_INOTIFY_INSTANCES... */
static int *const notify_global[4] = {&sysctl_inotify_instances, &sysctl_inotify_watches, &sysctl_fan_groups,
                                      &sysctl_fan_marks};

void *userns_sysctl(void *var)
{
    struct userns *x = (struct userns *)ud(proc_charged ? proc_charged->cred.userns : NULL);
    int *v = var;
    for (int k = 0; x && k < 4; k++)
        if (v == notify_global[k])
            return &x->notify_max[k];
    return x && v >= userns_max && v < userns_max + 8 ? &x->max[v - userns_max] : var;
}

int userns_notify_max(const struct ns *u, int which)
{
    int m = *notify_global[which];
    for (; ud(u); u = u->owner)
        m = ud(u)->notify_max[which] < m ? ud(u)->notify_max[which] : m;
    return m;
}

int userns_init(struct ns *n, struct proc *t, const struct proc *p)
{
    struct userns *x = calloc(1, sizeof *x);
    if (!x)
        return -LINUX_ENOMEM;
    const struct cred *cr = &p->cred;
    x->level = level(cr->userns) + 1;
    x->owner = cr->euid, x->group = cr->egid;
    x->denied = ud(cr->userns) && ud(cr->userns)->denied;
    x->could_setfcap = (cr->cap_eff >> CAP_SETFCAP) & 1;
    for (int k = 0; k < 8; k++)
        x->max[k] = INT32_MAX; /* Linux's create_user_ns */
    for (int k = 0; k < 4; k++)
        x->notify_max[k] = INT32_MAX;
    n->user = x;
    userns_own(n, cr->userns, cr->euid);
    /* set_cred_user_ns: every capability in it */
    struct cred *nc = &t->cred;
    nc->userns = n;
    nc->securebits = 0;
    nc->cap_inh = nc->cap_amb = 0;
    nc->cap_prm = nc->cap_eff = nc->cap_bnd = CAP_ALL;
    return 0;
}

void userns_drop(struct ns *n)
{
    for (struct charge **pc = &charges, *c; (c = *pc); pc = &c->next)
        if (c->n == n) {
            *pc = c->next;
            free(c);
            break;
        }
    if (n->user)
        key_userns_gone(n); /* its persistent keyrings' register */
    free(n->user);
    n->user = NULL;
    struct ns *o = n->owner;
    n->owner = NULL;
    if (o) {
        o->inode->refs--;
        fs_release(o->inode);
    }
}

/* ---- nsfs ---- */

struct ns *userns_related(const struct proc *p, struct ns *n, bool parent, int *err)
{
    *err = 0;
    if (parent && n->type != CLONE_NEWUSER)
        return *err = -LINUX_EINVAL, NULL;
    if (n->type == CLONE_NEWUSER && !ud(n))
        return *err = -LINUX_EPERM, NULL; /* the initial one has no parent */
    struct ns *o = n->owner;
    const struct userns *mine = ud(p->cred.userns);
    for (struct ns *q = o;; q = q->owner) {
        if (ud(q) == mine)
            return o;
        if (!ud(q))
            return *err = -LINUX_EPERM, NULL; /* an owner outside the caller's namespace */
    }
}

uint32_t userns_owner_uid(const struct proc *p, const struct ns *n)
{
    return userns_uid_from(p->cred.userns, ud(n) ? ud(n)->owner : 0);
}

/* n's credentials: every capability there (set_cred_user_ns). */
static void userns_enter_cred(struct cred *nc, struct ns *n)
{
    nc->userns = ud(n) ? n : NULL;
    nc->securebits = 0;
    nc->cap_inh = nc->cap_amb = 0;
    nc->cap_prm = nc->cap_eff = nc->cap_bnd = CAP_ALL;
}

int userns_install(struct proc *p, struct ns *n)
{
    int r = userns_may_install(p, n);
    if (r < 0)
        return r;
    ns_enter(p, NS_USER, n);
    userns_enter_cred(&p->cred, n);
    return 0;
}

int userns_may_install(struct proc *p, struct ns *n)
{
    struct proc *g = proc_group(p);
    if (ud(n) == ud(p->cred.userns))
        return -LINUX_EINVAL; /* no capabilities gained by entering it again */
    if (proc_live_threads(g) > 1)
        return -LINUX_EINVAL;
    for (struct proc *q = proc_list(); q; q = q->next)
        if (q != p && !q->zombie && proc_fs_shared(q, g))
            return -LINUX_EINVAL;
    return cred_ns_capable(&p->cred, n, CAP_SYS_ADMIN) ? 0 : -LINUX_EPERM;
}

/* ---- /proc/PID/uid_map, gid_map, projid_map and setgroups ---- */

static const char *const map_names[3] = {"uid_map", "gid_map", "projid_map"};

static int map_of(const char *name)
{
    for (int m = 0; m < 3; m++)
        if (strcmp(name, map_names[m]) == 0)
            return m;
    return -1;
}

bool userns_file(const char *name) { return map_of(name) >= 0 || strcmp(name, "setgroups") == 0; }

/* A map's lines as the reader r sees them: the lower ids in r's
 * namespace, or the parent's when r reads its own (uid_m_show). */
void userns_show(struct proc *p, const char *name)
{
    struct proc *r = procfs_viewer();
    struct ns *u = p->cred.userns, *lower = r ? r->cred.userns : NULL;
    int m = map_of(name);
    if (m < 0) {
        procfs_put("%s\n", ud(u) && ud(u)->denied ? "deny" : "allow");
        return;
    }
    if (ud(lower) && ud(lower) == ud(u))
        lower = lower->owner;
    if (!ud(u)) {
        procfs_put("%10u %10u %10u\n", 0u, up(lower, m, 0), 4294967295u);
        return;
    }
    for (int i = 0; i < ud(u)->map[m].n; i++) {
        const struct extent *e = &ud(u)->map[m].e[i];
        procfs_put("%10u %10u %10u\n", e->first, up(lower, m, e->lower), e->count);
    }
}

/* Linux's simple_strtoul in base 10, cut to 32 bits. */
static uint32_t number(const char **s)
{
    unsigned long v = 0;
    for (; isdigit((unsigned char)**s); (*s)++)
        v = v * 10 + (unsigned long)(**s - '0');
    return (uint32_t)v;
}

static const char *blanks(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

static bool overlaps(const struct idmap *map, const struct extent *x)
{
    for (int i = 0; i < map->n; i++) {
        const struct extent *e = &map->e[i];
        if ((x->first <= e->first + e->count - 1 && e->first <= x->first + x->count - 1) ||
            (x->lower <= e->lower + e->count - 1 && e->lower <= x->lower + x->count - 1))
            return true;
    }
    return false;
}

/* The lines of a map (map_write's parse): "first lower count" each. */
static int parse_map(char *text, struct idmap *map)
{
    for (char *pos = text, *next; pos; pos = next) {
        if ((next = strchr(pos, '\n')) && !*(*next = '\0', ++next))
            next = NULL;
        const char *s = blanks(pos);
        struct extent x;
        x.first = number(&s);
        if (!isspace((unsigned char)*s))
            return -LINUX_EINVAL;
        s = blanks(s);
        x.lower = number(&s);
        if (!isspace((unsigned char)*s))
            return -LINUX_EINVAL;
        s = blanks(s);
        x.count = number(&s);
        if ((*s && !isspace((unsigned char)*s)) || *blanks(s))
            return -LINUX_EINVAL;
        if (x.first == USERNS_NO_ID || x.lower == USERNS_NO_ID || x.first + x.count <= x.first ||
            x.lower + x.count <= x.lower || overlaps(map, &x) || (map->n + 1 == MAX_EXTENTS && next))
            return -LINUX_EINVAL;
        map->e[map->n++] = x;
    }
    return map->n ? 0 : -LINUX_EINVAL;
}

/* new_idmap_permitted (verify_root_map first): the namespace's owner may
 * map its own effective id alone (a gid once setgroups is denied);
 * anyone else needs CAP_SETUID (CAP_SETGID) over the parent; mapping the
 * parent's root needs CAP_SETFCAP there (its creator's, for the one in
 * the namespace). */
static bool permitted(const struct cred *w, struct ns *u, int m, const struct idmap *map)
{
    const struct userns *x = ud(u);
    if (m == MAP_UID)
        for (int i = 0; i < map->n; i++)
            if (map->e[i].lower == 0 &&
                !(ud(w->userns) == x ? x->could_setfcap : cred_ns_capable(w, u->owner, CAP_SETFCAP)))
                return false;
    if (map->n == 1 && map->e[0].count == 1 && x->owner == w->euid) {
        if (m == MAP_UID && down(u->owner, MAP_UID, map->e[0].lower, 1) == w->euid)
            return true;
        if (m == MAP_GID && x->denied && down(u->owner, MAP_GID, map->e[0].lower, 1) == w->egid)
            return true;
    }
    if (m == MAP_PROJID)
        return true;
    return cred_ns_capable(w, u->owner, m == MAP_UID ? CAP_SETUID : CAP_SETGID);
}

static int write_map(struct proc *w, struct ns *u, int m, uint64_t off, const void *data, size_t n)
{
    struct userns *x = ud(u);
    if (!x)
        return -LINUX_EPERM; /* the initial one's are fixed */
    if (ud(w->cred.userns) != x && ud(w->cred.userns) != ud(u->owner))
        return -LINUX_EPERM;
    if (off || n >= 4096)
        return -LINUX_EINVAL;
    if (x->map[m].n)
        return -LINUX_EPERM; /* written once */
    if (m != MAP_PROJID && !cred_ns_capable(&w->cred, u, CAP_SYS_ADMIN))
        return -LINUX_EPERM;
    char text[4096];
    memcpy(text, data, n);
    text[n] = '\0';
    struct idmap *map = malloc(sizeof *map);
    if (!map)
        return -LINUX_ENOMEM;
    map->n = 0;
    int r = parse_map(text, map);
    if (r == 0 && !permitted(&w->cred, u, m, map))
        r = -LINUX_EPERM;
    for (int i = 0; r == 0 && i < map->n; i++) { /* the lower ids to the kernel's */
        uint32_t k = down(u->owner, m, map->e[i].lower, map->e[i].count);
        if (k == USERNS_NO_ID)
            r = -LINUX_EPERM;
        map->e[i].lower = k;
    }
    if (r == 0)
        x->map[m] = *map;
    free(map);
    return r;
}

/* proc_setgroups_write: "allow" or "deny", blanks after; "deny" only
 * before the gid_map, and for good. */
static int write_setgroups(struct ns *u, uint64_t off, const void *data, size_t n)
{
    char buf[8];
    if (off || n >= sizeof buf)
        return -LINUX_EINVAL;
    memcpy(buf, data, n);
    buf[n] = '\0';
    bool allow = strncmp(buf, "allow", 5) == 0;
    if (!allow && strncmp(buf, "deny", 4) != 0)
        return -LINUX_EINVAL;
    if (*blanks(buf + (allow ? 5 : 4)))
        return -LINUX_EINVAL;
    struct userns *x = ud(u);
    if (allow)
        return x && x->denied ? -LINUX_EPERM : 0;
    if (!x || x->map[MAP_GID].n)
        return -LINUX_EPERM; /* the initial one has its gid_map */
    x->denied = true;
    return 0;
}

int userns_write(struct proc *w, struct proc *p, const char *name, uint64_t off, const void *data, size_t n)
{
    int m = map_of(name);
    return m < 0 ? write_setgroups(p->cred.userns, off, data, n) : write_map(w, p->cred.userns, m, off, data, n);
}

int userns_open(struct proc *w, struct proc *p, const char *name, int flags)
{
    if (strcmp(name, "setgroups") == 0 && (flags & O_ACCMODE) != O_RDONLY &&
        !cred_ns_capable(&w->cred, p->cred.userns, CAP_SYS_ADMIN))
        return -LINUX_EACCES;
    return 0;
}
