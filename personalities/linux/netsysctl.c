/*
 * personalities/linux/netsysctl.c - /proc/sys/net: the network settings,
 * one table as Linux 6.1's net ctl_tables, each naming its file, its
 * field of struct netsysctl (a network namespace's own: the table points
 * into the initial namespace's, netsysctl_var finds the caller's), its
 * kind and bounds; taken and shown by sysctl.c's rules (sysctl_store,
 * sysctl_show).  Checks of the whole: ip_local_port_range's order and
 * floor, ping_group_range's upside-down range read as "1 0".
 *
 * Entry points: netsysctl.h.  Callers: sysctl.c (the files, the writes),
 * procsys.c, the sockets that read the settings (net_sysctl).  Layer:
 * the settings.  Book: docs/linux.md, "/proc".
 */
#include "netsysctl.h"
#include "linux.h"
#include "netns.h"
#include "socket.h"
#include "sysctl.h"
#include <limits.h>

#define NET(f) (&netns_initial.sys.f) /* a field, the initial namespace's: netsysctl_var finds the caller's */

struct netsysctl *net_sysctl(const struct sock *k) { return &netns_of(k ? k->net : netns_here())->sys; }

void *netsysctl_var(void *var)
{
    char *v = var, *init = (char *)&netns_initial.sys;
    if (v < init || v >= init + sizeof netns_initial.sys)
        return var;
    return (char *)net_sysctl(NULL) + (v - init);
}

/* ip_local_port_range: in order, from 1024 (ip_prot_sock's) up. */
static int ports(long *v) { return v[1] < v[0] || v[0] < 1024 ? -LINUX_EINVAL : 0; }
static int pings(long *v) /* ipv4_ping_group_range: a range upside down is "1 0", nobody */
{
    if (v[1] < v[0])
        v[0] = 1, v[1] = 0;
    return 0;
}

#define I(d, nm, f, lo, hi) {d, nm, SYSCTL_INT, 1, NET(f), lo, hi, NULL, NULL, 0, NULL, 0}
static struct sysctl table[] = {
    I("net/core", "somaxconn", somaxconn, 0, INT_MAX),
    {"net/ipv4", "ip_local_port_range", SYSCTL_INT, 2, NET(port_range), 1, 65535, ports, NULL, 0, NULL, SYSCTL_WHOLE},
    {"net/ipv4", "ping_group_range", SYSCTL_INT, 2, NET(ping_group_range), 0, INT_MAX, pings, NULL, 0, NULL,
     SYSCTL_WHOLE},
};
#define NTABLE (sizeof table / sizeof table[0])

void netsysctl_files(struct inode *sys)
{
    for (size_t t = 0; t < NTABLE; t++)
        sysctl_show(sys, &table[t]);
}

int netsysctl_write(struct inode *ino, uint64_t off, const void *data, size_t n)
{
    for (size_t t = 0; t < NTABLE; t++)
        if (table[t].node == ino)
            return sysctl_store(&table[t], off, data, n);
    return -LINUX_EIO;
}
