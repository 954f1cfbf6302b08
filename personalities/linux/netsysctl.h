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

/* conf/{all,default,lo}: the rows of conf4, disable6, hop_limit, forwarding6 */
enum { CONF_ALL, CONF_DFLT, CONF_LO, NCONF };
/* ipv4/conf/X's files, conf4's columns (forwarding is ipv4/ip_forward's for all) */
enum { C4_FORWARDING, C4_RP_FILTER, C4_ACCEPT_REDIRECTS, C4_SEND_REDIRECTS, C4_ACCEPT_SOURCE_ROUTE, C4_LOG_MARTIANS, NC4 };

/* A namespace's settings (the fields Linux 6.1's struct net keeps);
 * times in seconds (Linux's jiffies, shown in seconds). */
struct netsysctl {
    int somaxconn, txrehash;                /* socket.c: listen's cap */
    int port_range[2], ping_group_range[2]; /* inet.c's ephemeral ports; raw.c's ping sockets */
    int prot_sock;                          /* ip_unprivileged_port_start: inet.c's bind */
    int default_ttl, nonlocal_bind, nonlocal_bind6; /* inet.c: IP_TTL's default, bind */
    int echo_ignore_all, echo_ignore_bcast, ignore_bogus, icmp_ratemask, echo6_ignore_all; /* rawip.c */
    int fin_timeout, keep_time, keep_intvl, keep_probes, syn_retries; /* tcpopt.c: the options' defaults */
    int synack_retries, retries1, retries2, syncookies, tw_reuse, ecn, fastopen;
    int timestamps, sack, window_scaling;   /* tcpopt.c: TCP_INFO's options */
    int rmem[3], wmem[3];                   /* a TCP socket's buffers (inet.c, sockopt.c) */
    int udp_rmem_min, udp_wmem_min;
    char cong[16];                          /* tcp_congestion_control: a TCP socket's (tcpopt.c) */
    int conf4[NCONF][NC4];
    unsigned lo4_set;                       /* lo's conf4 columns written: default's writes pass them by */
    int disable6[NCONF], hop_limit[NCONF], forwarding6[NCONF]; /* lo's ::1 (netns.c); IPV6_UNICAST_HOPS */
    int bindv6only;                         /* IPV6_V6ONLY's default (inet.c) */
    int max_dgram_qlen;                     /* unixmsg.c: a datagram socket's queue */
    int max_tw_buckets;                     /* tcpclose.c: timewait sockets at most (tcp_tw_default's;
                                               the initial namespace's set by sysctl_sized) */
};
/* Linux 6.1's defaults, a new namespace's (Debian 12's: its config's). */
#define NETSYSCTL_DEFAULTS                                                                                             \
    {.somaxconn = 4096, .txrehash = 1, .port_range = {32768, 60999},                                                  \
     .ping_group_range = {1, 0} /* nobody may make a ping socket */, .prot_sock = 1024, .default_ttl = 64,           \
     .echo_ignore_bcast = 1, .ignore_bogus = 1, .icmp_ratemask = 6168, .fin_timeout = 60, .keep_time = 7200,       \
     .keep_intvl = 75, .keep_probes = 9, .syn_retries = 6, .synack_retries = 5, .retries1 = 3, .retries2 = 15,      \
     .syncookies = 1, .tw_reuse = 2, .ecn = 2, .fastopen = 1, .timestamps = 1, .sack = 1, .window_scaling = 1,      \
     .rmem = {4096, 131072, 6291456}, .wmem = {4096, 16384, 4194304}, .udp_rmem_min = 4096, .udp_wmem_min = 4096,   \
     .cong = "cubic", .conf4 = {{0, 0, 1, 1, 0, 0}, {0, 0, 1, 1, 1, 0}, {0, 0, 1, 1, 1, 0}},                        \
     .hop_limit = {64, 64, 64}, .max_dgram_qlen = 10}

/* The machine's (net.core's, init_net's alone in Linux 6.1): sockopt.c's
 * SO_RCVBUF and SO_SNDBUF bounds and every socket's first buffers. */
extern int sysctl_rmem_max, sysctl_wmem_max, sysctl_rmem_default, sysctl_wmem_default, sysctl_optmem_max;

struct inode;
struct netns;
struct sock;
/* Whether tcp_allowed_congestion_control lists name: a TCP socket may
 * take it without CAP_NET_ADMIN (TCP_CONGESTION). */
bool netsysctl_cc_allowed(const char *name);
/* A new namespace's settings: Linux's defaults, but its conf/all and
 * conf/default's IPv4 ones the initial namespace's (devinet_init_net's
 * copy, devconf_inherit_init_net 0), lo's its default's, and tcp_rmem,
 * tcp_wmem and tcp_congestion_control the initial one's (tcp_sk_init). */
void netsysctl_new(struct netns *n);
/* The mode ino shows the caller: a network setting's owner bits for
 * everyone who holds CAP_NET_ADMIN over the caller's namespace (Linux's
 * net_ctl_permissions); any other file's mode as it is. */
uint32_t netsysctl_mode(const struct inode *ino, uint32_t mode);
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
