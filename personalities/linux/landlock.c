/*
 * personalities/linux/landlock.c - Landlock (landlock.h): rulesets, the
 * three calls, and the one check every hooked operation comes to.
 * A ruleset is the object behind a "[landlock-ruleset]" descriptor, and,
 * frozen, a layer of a domain: a domain is its newest layer, which holds
 * a reference to the layer below it (as seccomp's filters), so children
 * and threads share it.  A rule names an inode (a path-beneath rule,
 * which landlock_pins keeps from being freed) or a TCP port.  The walk up
 * from a file goes through the directory the caller's path found it in
 * (where the call keeps none, the directory of its newest name), then
 * the directories' parents, across mounts to the real root, as Linux's
 * path walk.
 *
 * ABI: version 7 (Linux 6.15): every file-system right (REFER, TRUNCATE
 * and IOCTL_DEV among them), TCP bind and connect, the scopes of
 * abstract sockets and signals (6), and restrict_self's log flags (7),
 * taken and meaning nothing: there is no audit log, as on a Linux
 * without CONFIG_AUDIT.  The errata query says 0: no erratum claimed.
 *
 * Entry points: syscalls.def's three, landlock.h's.  Layer: proc.  Book:
 * docs/linux.md, "Landlock".
 */
#include "proc.h"
#include "file.h"
#include "landlock.h"
#include "uapi_landlock.h"
#include "linux_entries/landlock.h" /* generated: the handlers' prototypes, entries */
#include <stdlib.h>
#include <string.h>

#define LANDLOCK_ABI 7
#define LANDLOCK_MAX_LAYERS 16
#define ACCESS_FS_ALL ((LANDLOCK_ACCESS_FS_IOCTL_DEV << 1) - 1)
#define ACCESS_NET_ALL (LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP)
#define SCOPE_ALL (LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL)
#define RESTRICT_SELF_ALL (LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF | LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON | \
                           LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF)
/* The rights a file (not a directory) can be granted (Linux's ACCESS_FILE). */
#define ACCESS_FILE (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE | \
                     LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV)
/* struct landlock_ruleset_attr as version 7 has it. */
struct ruleset_attr {
    uint64_t handled_fs, handled_net, scoped;
};
struct path_beneath_attr {
    uint64_t allowed;
    int32_t parent_fd;
} __attribute__((packed));
_Static_assert(sizeof(struct path_beneath_attr) == 12, "struct landlock_path_beneath_attr");
struct net_port_attr {
    uint64_t allowed, port;
};

struct rule {
    const struct inode *ino; /* NULL: a port's */
    uint64_t port, access;
};

struct landlock_ruleset {
    int refs;
    uint64_t handled_fs, handled_net, scoped;
    int nrules, room;
    struct rule *rules;
    struct landlock_ruleset *below; /* a layer: the domain it was stacked on */
    int depth;                      /* a layer: its number, from 1 */
    struct landlock_ruleset *next;  /* every ruleset there is (landlock_pins) */
};
static struct landlock_ruleset *rulesets;

static struct landlock_ruleset *ruleset_new(const struct ruleset_attr *a)
{
    struct landlock_ruleset *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->refs = 1, r->handled_fs = a->handled_fs, r->handled_net = a->handled_net, r->scoped = a->scoped;
    r->next = rulesets;
    rulesets = r;
    return r;
}

static void ruleset_put(struct landlock_ruleset *r)
{
    while (r && --r->refs == 0) {
        struct landlock_ruleset *below = r->below;
        for (struct landlock_ruleset **pp = &rulesets; *pp; pp = &(*pp)->next)
            if (*pp == r) {
                *pp = r->next;
                break;
            }
        free(r->rules);
        free(r);
        r = below;
    }
}

void landlock_inherit(struct landlock_ruleset **child, struct landlock_ruleset *domain)
{
    *child = domain;
    if (domain)
        domain->refs++;
}

void landlock_drop(struct landlock_ruleset **domain)
{
    ruleset_put(*domain);
    *domain = NULL;
}

bool landlock_pins(const struct inode *ino)
{
    for (const struct landlock_ruleset *r = rulesets; r; r = r->next)
        for (int i = 0; i < r->nrules; i++)
            if (r->rules[i].ino == ino)
                return true;
    return false;
}

/* ---- rules ---- */

/* Adds access to the rule for ino (or port), made if there is none. */
static int rule_add(struct landlock_ruleset *r, const struct inode *ino, uint64_t port, uint64_t access)
{
    for (int i = 0; i < r->nrules; i++)
        if (r->rules[i].ino == ino && (ino || r->rules[i].port == port)) {
            r->rules[i].access |= access;
            return 0;
        }
    if (r->nrules == r->room) {
        int room = r->room ? 2 * r->room : 8;
        struct rule *more = realloc(r->rules, (size_t)room * sizeof *more);
        if (!more)
            return -LINUX_ENOMEM;
        r->rules = more, r->room = room;
    }
    r->rules[r->nrules++] = (struct rule){ino, port, access};
    return 0;
}

/* The rights layer r's rule for ino (or port) grants, 0 if none. */
static uint64_t rule_of(const struct landlock_ruleset *r, const struct inode *ino, uint64_t port)
{
    for (int i = 0; i < r->nrules; i++)
        if (r->rules[i].ino == ino && (ino || r->rules[i].port == port))
            return r->rules[i].access;
    return 0;
}

/* The next inode up from i: a directory's parent, a file's directory;
 * NULL above the root. */
const struct inode *landlock_dir_of(const struct inode *i)
{
    const struct inode *u = (i->mode & S_IFMT) == S_IFDIR ? i->parent : i->entry_dir;
    return u == i ? NULL : u;
}

/* The file-system rights layer r grants at ino and every directory above. */
static uint64_t granted(const struct landlock_ruleset *r, const struct inode *ino)
{
    uint64_t g = 0;
    for (int n = 0; ino && n < 4096; ino = landlock_dir_of(ino), n++)
        g |= rule_of(r, ino, 0);
    return g;
}

/* What layer r handles: REFER always (Linux's ACCESS_FS_INITIALLY_DENIED). */
static uint64_t handled(const struct landlock_ruleset *r) { return r->handled_fs | LANDLOCK_ACCESS_FS_REFER; }

/* The rights of access some layer of domain d denies at ino, found in
 * dir (NULL: the directory above it). */
static uint64_t denied_in(const struct landlock_ruleset *d, const struct inode *ino, const struct inode *dir,
                          uint64_t access)
{
    uint64_t out = 0;
    for (; d; d = d->below)
        if (access & handled(d))
            out |= access & handled(d) & ~(dir ? rule_of(d, ino, 0) | granted(d, dir) : granted(d, ino));
    return out;
}

static uint64_t denied(const struct landlock_ruleset *d, const struct inode *ino, uint64_t access)
{
    return denied_in(d, ino, NULL, access);
}

int landlock_check_in(const struct proc *p, const struct inode *ino, const struct inode *dir, uint64_t access)
{
    return p->landlock && denied_in(p->landlock, ino, dir, access) ? -LINUX_EACCES : 0;
}

int landlock_check(const struct proc *p, const struct inode *ino, uint64_t access)
{
    return landlock_check_in(p, ino, NULL, access);
}

/* The MAKE_* right of an inode of mode's type (Linux's get_mode_access). */
static uint64_t make_access(uint32_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFLNK: return LANDLOCK_ACCESS_FS_MAKE_SYM;
    case S_IFDIR: return LANDLOCK_ACCESS_FS_MAKE_DIR;
    case S_IFCHR: return LANDLOCK_ACCESS_FS_MAKE_CHAR;
    case S_IFBLK: return LANDLOCK_ACCESS_FS_MAKE_BLOCK;
    case S_IFIFO: return LANDLOCK_ACCESS_FS_MAKE_FIFO;
    case S_IFSOCK: return LANDLOCK_ACCESS_FS_MAKE_SOCK;
    default: return LANDLOCK_ACCESS_FS_MAKE_REG;
    }
}

static uint64_t remove_access(const struct inode *ino)
{
    if (!ino)
        return 0;
    return (ino->mode & S_IFMT) == S_IFDIR ? LANDLOCK_ACCESS_FS_REMOVE_DIR : LANDLOCK_ACCESS_FS_REMOVE_FILE;
}

int landlock_make(const struct proc *p, const struct inode *dir, uint32_t mode)
{
    return landlock_check(p, dir, make_access(mode));
}

int landlock_remove(const struct proc *p, const struct inode *dir, bool rmdir)
{
    return landlock_check(p, dir, rmdir ? LANDLOCK_ACCESS_FS_REMOVE_DIR : LANDLOCK_ACCESS_FS_REMOVE_FILE);
}

int landlock_open(const struct proc *p, const struct inode *ino, const struct inode *dir, int flags, bool truncating,
                  uint64_t *deny)
{
    *deny = 0;
    if (!p->landlock)
        return 0;
    uint32_t type = ino->mode & S_IFMT;
    uint64_t want = 0;
    int mode = flags & O_ACCMODE; /* 3 reads and writes nothing, as Linux's OPEN_FMODE */
    if (mode == O_RDONLY || mode == O_RDWR)
        want = type == S_IFDIR ? LANDLOCK_ACCESS_FS_READ_DIR : LANDLOCK_ACCESS_FS_READ_FILE;
    if ((mode == O_WRONLY || mode == O_RDWR) && type != S_IFDIR)
        want |= LANDLOCK_ACCESS_FS_WRITE_FILE;
    uint64_t optional = LANDLOCK_ACCESS_FS_TRUNCATE | (type == S_IFCHR || type == S_IFBLK ? LANDLOCK_ACCESS_FS_IOCTL_DEV : 0);
    uint64_t no = denied_in(p->landlock, ino, dir, want | optional);
    if ((no & want) || (truncating && (no & LANDLOCK_ACCESS_FS_TRUNCATE)))
        return -LINUX_EACCES;
    *deny = no & optional;
    return 0;
}

/* Linux's no_more_access, layer by layer: a file that moves from (its
 * own rules, then odir's) to ndir gains no right that some layer denied
 * it where it was. */
static bool no_more_access(const struct landlock_ruleset *d, const struct inode *from, const struct inode *odir,
                           const struct inode *ndir)
{
    uint64_t rights = (from->mode & S_IFMT) == S_IFDIR ? ACCESS_FS_ALL : ACCESS_FILE;
    for (; d; d = d->below) {
        uint64_t was = handled(d) & ~(rule_of(d, from, 0) | granted(d, odir));
        uint64_t will = handled(d) & ~granted(d, ndir);
        if (was & ~will & rights)
            return false;
    }
    return true;
}

int landlock_refer(const struct proc *p, const struct inode *odir, const struct inode *from, const struct inode *ndir,
                   const struct inode *to, bool rename, bool exchange)
{
    const struct landlock_ruleset *d = p->landlock;
    if (!d)
        return 0;
    uint64_t want1 = exchange ? make_access(to->mode) : 0, want2 = make_access(from->mode);
    if (rename)
        want1 |= remove_access(from), want2 |= remove_access(to);
    if (odir == ndir) /* no reparenting: no REFER */
        return denied(d, ndir, want1 | want2) ? -LINUX_EACCES : 0;
    want1 |= LANDLOCK_ACCESS_FS_REFER, want2 |= LANDLOCK_ACCESS_FS_REFER;
    uint64_t no = denied(d, odir, want1) | denied(d, ndir, want2);
    if (!no && no_more_access(d, from, odir, ndir) && (!exchange || no_more_access(d, to, ndir, odir)))
        return 0;
    return (no & ~LANDLOCK_ACCESS_FS_REFER) ? -LINUX_EACCES : -LINUX_EXDEV; /* EACCES first, as Linux */
}

int landlock_file_truncate(const struct file *f)
{
    return (f->landlock_denied & LANDLOCK_ACCESS_FS_TRUNCATE) ? -LINUX_EACCES : 0;
}

/* The commands any device may be given (Linux's is_masked_device_ioctl). */
static bool ioctl_harmless(uint32_t cmd)
{
    static const uint32_t ok[] = {FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIOQSIZE, FIFREEZE, FITHAW, FS_IOC_FIEMAP,
                                  FIGETBSZ, FICLONE, FICLONERANGE, FIDEDUPERANGE, FS_IOC_GETFSUUID,
                                  FS_IOC_GETFSSYSFSPATH};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (ok[i] == cmd)
            return true;
    return false;
}

int landlock_file_ioctl(const struct file *f, uint32_t cmd)
{
    if (!(f->landlock_denied & LANDLOCK_ACCESS_FS_IOCTL_DEV) || ioctl_harmless(cmd))
        return 0;
    return -LINUX_EACCES;
}

int landlock_net(const struct proc *p, bool bind, uint16_t port)
{
    uint64_t want = bind ? LANDLOCK_ACCESS_NET_BIND_TCP : LANDLOCK_ACCESS_NET_CONNECT_TCP;
    for (const struct landlock_ruleset *d = p->landlock; d; d = d->below)
        if ((d->handled_net & want) && !(rule_of(d, NULL, port) & want))
            return -LINUX_EACCES;
    return 0;
}

/* ---- scopes ---- */

/* Linux's domain_is_scoped: whether a layer of client with scope keeps
 * server out, server not being in the domain that layer made (nor in one
 * nested in it).  Layers are shared, so a domain is another's ancestor
 * when its layer is in the other's chain at the same depth. */
static bool scoped_out(const struct landlock_ruleset *client, const struct landlock_ruleset *server, uint64_t scope)
{
    int cl = client ? client->depth : 0, sl = server ? server->depth : 0;
    for (; cl > sl; cl--, client = client->below)
        if (client->scoped & scope)
            return true;
    for (; sl > cl; sl--)
        server = server->below;
    for (; client; client = client->below, server = server->below)
        if (client->scoped & scope)
            return client != server;
    return false;
}

void landlock_own(struct file *f, const struct proc *p) { landlock_inherit(&f->landlock, p->landlock); }

int landlock_signal(const struct proc *s, const struct proc *t)
{
    const struct proc *gs = s->leader ? s->leader : s, *gt = t->leader ? t->leader : t;
    if (!s->landlock || gs == gt)
        return 0; /* a process's threads always may (setxid's broadcast) */
    return scoped_out(s->landlock, t->landlock, LANDLOCK_SCOPE_SIGNAL) ? -LINUX_EPERM : 0;
}

int landlock_unix(const struct proc *p, const struct file *server)
{
    if (!p->landlock)
        return 0;
    const struct landlock_ruleset *d = server ? server->landlock : NULL;
    return scoped_out(p->landlock, d, LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET) ? -LINUX_EPERM : 0;
}

/* ---- the calls ---- */

static int64_t ruleset_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)c, (void)f, (void)ubuf, (void)len, (void)at;
    return -LINUX_EINVAL;
}

/* The ruleset goes with the file: file_put drops f->landlock, as any file's. */
static const struct file_ops ruleset_fops = {.read = ruleset_read, .write = ruleset_read, .stat = anon_inode_stat,
                                             .fs = &anon_inodefs, .stream = true};

/* Linux's copy_min_struct_from_user: at least the first field, at most a
 * page, and any bytes past ours zero (E2BIG). */
static int attr_in(struct proc *p, struct ruleset_attr *a, uint64_t uattr, uint64_t size)
{
    memset(a, 0, sizeof *a);
    if (!uattr)
        return -LINUX_EFAULT;
    if (size < sizeof a->handled_fs)
        return -LINUX_EINVAL;
    if (size > 4096)
        return -LINUX_E2BIG;
    for (uint64_t off = sizeof *a; off < size; off++) {
        uint8_t b;
        if (mem_in(p, &b, uattr + off, 1) < 0)
            return -LINUX_EFAULT;
        if (b)
            return -LINUX_E2BIG;
    }
    return mem_in(p, a, uattr, size < sizeof *a ? size : sizeof *a) < 0 ? -LINUX_EFAULT : 0;
}

static int64_t sys_landlock_create_ruleset(struct sys_ctx *c, uint64_t uattr, uint64_t size, uint32_t flags)
{
    if (flags) {
        if (uattr || size || (flags != LANDLOCK_CREATE_RULESET_VERSION && flags != LANDLOCK_CREATE_RULESET_ERRATA))
            return -LINUX_EINVAL;
        return flags == LANDLOCK_CREATE_RULESET_VERSION ? LANDLOCK_ABI : 0; /* no erratum claimed fixed */
    }
    struct ruleset_attr a;
    int r = attr_in(c->p, &a, uattr, size);
    if (r < 0)
        return r;
    if ((a.handled_fs & ~ACCESS_FS_ALL) || (a.handled_net & ~ACCESS_NET_ALL) || (a.scoped & ~SCOPE_ALL))
        return -LINUX_EINVAL;
    if (!a.handled_fs && !a.handled_net && !a.scoped)
        return -LINUX_ENOMSG;
    struct file *f = calloc(1, sizeof *f);
    struct landlock_ruleset *rs = f ? ruleset_new(&a) : NULL;
    if (!rs) {
        free(f);
        return -LINUX_ENOMEM;
    }
    *f = (struct file){.ops = &ruleset_fops, .kind = FILE_LANDLOCK, .flags = O_RDWR, .refs = 1, .landlock = rs};
    int fd = fd_alloc(c->p, 0, f, true);
    if (fd < 0)
        file_put(f);
    return fd;
}

/* The ruleset of descriptor fd: EBADF, or EBADFD for another file. */
static struct landlock_ruleset *ruleset_of(struct proc *p, int fd, int *err)
{
    struct file *f = fd < 0 ? NULL : fd_file(p, (uint64_t)fd);
    *err = !f ? -LINUX_EBADF : f->ops != &ruleset_fops ? -LINUX_EBADFD : 0;
    return *err ? NULL : f->landlock;
}

static int64_t add_path_rule(struct proc *p, struct landlock_ruleset *rs, uint64_t uattr)
{
    struct path_beneath_attr a;
    if (mem_in(p, &a, uattr, sizeof a) < 0)
        return -LINUX_EFAULT;
    if (!a.allowed)
        return -LINUX_ENOMSG; /* a rule that grants nothing */
    if (a.allowed & ~rs->handled_fs)
        return -LINUX_EINVAL;
    struct file *f = a.parent_fd < 0 ? NULL : fd_file_raw(p, (uint64_t)a.parent_fd); /* O_PATH is fine */
    if (!f)
        return -LINUX_EBADF;
    if (f->ops == &ruleset_fops || !f->inode || f->inode->anon_name)
        return -LINUX_EBADFD; /* not a file of a file system one may mount (a pipe, a socket, a memfd) */
    if ((f->inode->mode & S_IFMT) != S_IFDIR && (a.allowed & ~ACCESS_FILE))
        return -LINUX_EINVAL; /* a file gets only the rights that mean anything for it */
    /* the rights it does not handle come with it, as Linux's */
    return rule_add(rs, f->inode, 0, a.allowed | (ACCESS_FS_ALL & ~handled(rs)));
}

static int64_t add_port_rule(struct proc *p, struct landlock_ruleset *rs, uint64_t uattr)
{
    struct net_port_attr a;
    if (mem_in(p, &a, uattr, sizeof a) < 0)
        return -LINUX_EFAULT;
    if (!a.allowed)
        return -LINUX_ENOMSG;
    if ((a.allowed & ~rs->handled_net) || a.port > 65535)
        return -LINUX_EINVAL;
    return rule_add(rs, NULL, a.port, a.allowed);
}

static int64_t sys_landlock_add_rule(struct sys_ctx *c, int ruleset_fd, uint32_t type, uint64_t uattr, uint32_t flags)
{
    int err;
    if (flags)
        return -LINUX_EINVAL;
    struct landlock_ruleset *rs = ruleset_of(c->p, ruleset_fd, &err);
    if (!rs)
        return err;
    if (type == LANDLOCK_RULE_PATH_BENEATH)
        return add_path_rule(c->p, rs, uattr);
    if (type == LANDLOCK_RULE_NET_PORT)
        return add_port_rule(c->p, rs, uattr);
    return -LINUX_EINVAL;
}

/* A frozen copy of rs stacked on domain d. */
static struct landlock_ruleset *layer_new(const struct landlock_ruleset *rs, struct landlock_ruleset *d)
{
    struct ruleset_attr a = {rs->handled_fs, rs->handled_net, rs->scoped};
    struct landlock_ruleset *l = ruleset_new(&a);
    if (!l)
        return NULL;
    l->rules = malloc((size_t)(rs->nrules ? rs->nrules : 1) * sizeof *l->rules);
    if (!l->rules) {
        ruleset_put(l);
        return NULL;
    }
    memcpy(l->rules, rs->rules, (size_t)rs->nrules * sizeof *l->rules);
    l->nrules = l->room = rs->nrules;
    landlock_inherit(&l->below, d);
    l->depth = d ? d->depth + 1 : 1;
    return l;
}

static int64_t sys_landlock_restrict_self(struct sys_ctx *c, int ruleset_fd, uint32_t flags)
{
    int err;
    if (!c->p->no_new_privs && !cred_capable(&c->p->cred, CAP_SYS_ADMIN))
        return -LINUX_EPERM; /* as seccomp: no privileged program may run confused */
    if (flags & ~RESTRICT_SELF_ALL)
        return -LINUX_EINVAL;
    if (ruleset_fd == -1 && flags == LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF)
        return 0; /* the subdomains' denials go unlogged: there is no log */
    struct landlock_ruleset *rs = ruleset_of(c->p, ruleset_fd, &err);
    if (!rs)
        return err;
    if (c->p->landlock && c->p->landlock->depth >= LANDLOCK_MAX_LAYERS)
        return -LINUX_E2BIG;
    struct landlock_ruleset *l = layer_new(rs, c->p->landlock);
    if (!l)
        return -LINUX_ENOMEM;
    landlock_drop(&c->p->landlock);
    c->p->landlock = l; /* the new layer holds the old domain */
    return 0;
}
