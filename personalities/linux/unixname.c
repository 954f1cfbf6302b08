/*
 * personalities/linux/unixname.c - the names of AF_UNIX sockets, of every
 * kind: bind gives a socket a path (a socket node in the file system), an
 * abstract name (a first byte of 0, outside the file system), or a name
 * of its own (autobind: a 0 and five hex digits); the table of bound
 * sockets finds the socket an address names, for connect and sendto.  As
 * Linux, an abstract name is a name of one socket type (a stream and a
 * datagram socket may both have it), while a path names whatever socket
 * bound it (a connect of another type is EPROTOTYPE).
 *
 * Entry points: the bind call, unix_addr_in, unix_lookup, unix_unbind,
 * unix_autobind (socket.h).  Callers: the syscall table, socket.c,
 * unixmsg.c.  Layer: a file type, with socket.c.  Book: docs/linux.md,
 * "Networking".
 */
#include "inet.h"
#include "netlink.h"
#include "proc.h"
#include "socket.h"
#include <stdio.h>
#include <string.h>
#include "linux_entries/unixname.h" /* generated: the handlers' prototypes, entries */

static struct sock *bound; /* every socket with a name */

int64_t unix_addr_in(struct sys_ctx *c, uint64_t uaddr, uint64_t len, struct sockaddr_k *a)
{
    if ((int)len < 0 || len > 128)
        return -LINUX_EINVAL;
    memset(a, 0, sizeof *a);
    if (mem_in(c->p, a, uaddr, len < sizeof *a ? len : sizeof *a) < 0)
        return -LINUX_EFAULT;
    if (len < SOCKADDR_UN_MIN || len > sizeof *a || a->family != AF_UNIX)
        return -LINUX_EINVAL;
    return 0;
}

static int type_of(const struct sock *k) { return k->type ? k->type : SOCK_STREAM; }

/* The bound socket of an abstract name of a type in network namespace
 * net (abstract names are a namespace's, as Linux's), or of a socket node. */
static struct sock *find_bound(const struct sockaddr_k *a, uint32_t len, const struct inode *node, int type,
                               const struct sock *net)
{
    for (struct sock *k = bound; k; k = k->next_bound)
        if (node ? k->node == node
                 : !k->node && type_of(k) == type && k->namelen == len && memcmp(&k->name, a, len) == 0 &&
                       netns_same(k, net))
            return k;
    return NULL;
}

void unix_unbind(struct sock *k)
{
    for (struct sock **pk = &bound; *pk; pk = &(*pk)->next_bound)
        if (*pk == k) {
            *pk = k->next_bound; /* the name is free again */
            break;
        }
    if (k->node && --k->node->refs == 0)
        fs_release(k->node);
    k->node = NULL;
}

static void add_bound(struct sock *k)
{
    k->next_bound = bound;
    bound = k;
}

void unix_autobind(struct sock *k)
{
    static unsigned next;
    struct sockaddr_k a = {AF_UNIX, ""};
    if (k->namelen)
        return; /* as Linux: it has one */
    do
        snprintf(a.path, sizeof a.path, "%c%05x", 0, next++ & 0xfffff);
    while (find_bound(&a, SOCKADDR_UN_MIN + 6, NULL, type_of(k), k));
    k->name = a, k->namelen = SOCKADDR_UN_MIN + 6;
    add_bound(k);
}

/* A path name: its node is made here (mode 0777 less the umask), where the
 * caller may write (EACCES, EROFS). */
static int64_t bind_path(struct sys_ctx *c, struct sock *k, struct sockaddr_k *a)
{
    static char path[sizeof a->path + 1];
    memcpy(path, a->path, sizeof a->path);
    path[sizeof a->path] = 0;
    uint32_t len = (uint32_t)(SOCKADDR_UN_MIN + strlen(path) + 1);
    struct inode *dir, *node;
    const char *name;
    int r = fs_lookup_parent(c->p->cwd, path, &dir, &name);
    if (r < 0)
        return r;
    if (!*name || fs_dir_find(dir, name, strlen(name)))
        return -LINUX_EADDRINUSE;
    if ((r = landlock_make(c->p, dir, S_IFSOCK)) < 0 || (r = fs_permission(dir, MAY_WRITE | MAY_EXEC)) < 0)
        return r; /* as Linux's mknod: the directory's permission before the socket's own state */
    if (k->namelen)
        return -LINUX_EINVAL; /* named already */
    if ((r = fs_names_fixed(dir, -LINUX_EPERM, true)) < 0 ||
        (r = fs_create(dir, name, S_IFSOCK | (0777 & ~c->p->umask), &node)) < 0)
        return r;
    node->refs++; /* pinned while the socket has the name */
    k->node = node;
    k->name = *a, k->namelen = len;
    return 0;
}

static int64_t sys_bind(struct sys_ctx *c, uint64_t fd, uint64_t uaddr, uint64_t addrlen)
{
    int64_t err;
    struct file *f = socket_of(c, fd, &err);
    struct sockaddr_k a;
    if (!f)
        return err;
    if (f->sock->inet)
        return inet_bind(c, f, uaddr, addrlen);
    if (nl_of(f))
        return nl_bind(c, f, uaddr, addrlen);
    if ((err = unix_addr_in(c, uaddr, addrlen, &a)) < 0)
        return err;
    struct sock *k = f->sock;
    uint32_t len = (uint32_t)addrlen;
    if (!k || f->pipe)
        return -LINUX_EINVAL; /* a connected stream keeps the name it has */
    if (len == SOCKADDR_UN_MIN) { /* autobind */
        unix_autobind(k);
        return 0;
    }
    if (a.path[0]) {
        if ((err = bind_path(c, k, &a)) < 0)
            return err;
    } else {
        if (k->namelen)
            return -LINUX_EINVAL;
        if (find_bound(&a, len, NULL, type_of(k), k))
            return -LINUX_EADDRINUSE;
        k->name = a, k->namelen = len;
    }
    add_bound(k);
    return 0;
}

int64_t unix_lookup(struct sys_ctx *c, struct sockaddr_k *a, uint32_t len, int type, struct sock **out)
{
    struct inode *node = NULL;
    if (a->path[0]) {
        static char path[sizeof a->path + 1];
        memcpy(path, a->path, sizeof a->path);
        path[sizeof a->path] = 0;
        int r = fs_lookup(c->p->cwd, path, true, &node);
        if (r < 0 || (r = fs_permission(node, MAY_WRITE)) < 0) /* Linux's unix_find_bsd: write, then the type */
            return r;
        if ((node->mode & S_IFMT) != S_IFSOCK)
            return -LINUX_ECONNREFUSED;
    }
    struct sock here = {.net = netns_here()}; /* the caller's namespace's names */
    struct sock *k = find_bound(a, len, node, type, &here);
    if (!k)
        return -LINUX_ECONNREFUSED;
    if (type_of(k) != type)
        return -LINUX_EPROTOTYPE;
    if (!node && landlock_unix(c->p, k->file) < 0)
        return -LINUX_EPERM; /* an abstract name outside the caller's Landlock scope */
    *out = k;
    return 0;
}
