/*
 * personalities/linux/netsysctl.h - the /proc/sys/net settings
 * (netsysctl.c): each network namespace's own (struct netsysctl, in its
 * struct netns; a new one's are Linux 6.1's defaults, its conf/all and
 * conf/default the initial one's, as devinet_init_net copies them) and
 * the machine's (net.core's buffers, tcp_mem, udp_mem: the initial
 * namespace shows them, as Linux 6.1's init_net-only tables), read by the
 * code each governs.
 *
 * Entry points: the variables below, netsysctl_files and netsysctl_write
 * (sysctl.c), netsysctl_var, netsysctl_mode (procsys.c), net_sysctl (the
 * settings of a socket's namespace).  Layer: the settings, below the
 * sockets that read them.  Book: docs/linux.md, "/proc".
 */
#ifndef LINUX_NETSYSCTL_H
#define LINUX_NETSYSCTL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A namespace's settings (the fields Linux 6.1's struct net keeps). */
struct netsysctl {
    int somaxconn;                         /* socket.c: listen's cap */
    int port_range[2], ping_group_range[2]; /* inet.c's ephemeral ports; raw.c's ping sockets */
};
/* Linux 6.1's defaults, a new namespace's (Debian 12's: its config's). */
#define NETSYSCTL_DEFAULTS                                                                                             \
    {.somaxconn = 4096, .port_range = {32768, 60999}, .ping_group_range = {1, 0} /* nobody may make a ping socket */}

struct inode;
struct sock;
/* The settings of socket k's namespace; of the caller's (NULL k). */
struct netsysctl *net_sysctl(const struct sock *k);
/* Where the setting at var (in the initial namespace's settings) is for
 * the caller's namespace; any other var as it is. */
void *netsysctl_var(void *var);
/* The files under sys/net the caller's namespace shows (the machine's
 * only to the initial one), each with its value; a write to one (ino):
 * the bytes taken or an error, -EIO if ino is none of them. */
void netsysctl_files(struct inode *sys);
int netsysctl_write(struct inode *ino, uint64_t off, const void *data, size_t n);
#endif
