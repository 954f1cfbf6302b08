/*
 * personalities/linux/netsysctl.c - /proc/sys/net: the network settings,
 * one table as Linux 6.1's net ctl_tables, each naming its file, its
 * field of struct netsysctl (a network namespace's own: the table points
 * into the initial namespace's, netsysctl_var finds the caller's), its
 * kind and bounds; taken and shown by sysctl.c's rules (sysctl_store,
 * sysctl_show).  Checks of the whole: ip_local_port_range's order and
 * floor (ip_unprivileged_port_start, which may not pass into it),
 * ping_group_range's upside-down range read as "1 0", ip_forward's
 * reach to conf/default and conf/lo, conf/default's to lo's until lo's
 * own is written, IPv6's conf/all's to default and lo, the congestion
 * control's name (one built: reno or cubic).  The machine's settings
 * (net.core's buffers and the rest of Linux 6.1's init_net-only tables)
 * are shown to the initial namespace alone, as Linux's; a holder of
 * CAP_NET_ADMIN over the caller's namespace may write as root
 * (netsysctl_mode), and a namespace's own files are its owning user
 * namespace's root's where it maps one.
 *
 * Entry points: netsysctl.h.  Callers: sysctl.c (the files, the writes),
 * procsys.c, the sockets that read the settings (net_sysctl).  Layer:
 * the settings.  Book: docs/linux.md, "/proc".
 */
#include "netsysctl.h"
#include "tcpclose.h"
#include "linux.h"
#include "netns.h"
#include "socket.h"
#include "sysctl.h"
#include "userns.h"
#include "fs.h"
#include "procfs.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>

#define NET(f) (&netns_initial.sys.f) /* a field, the initial namespace's: netsysctl_var finds the caller's */
#define HZ 250 /* Debian 12's CONFIG_HZ: a time in jiffies takes up to INT_MAX / HZ seconds */

int sysctl_rmem_max = 212992, sysctl_wmem_max = 212992, sysctl_rmem_default = 212992, sysctl_wmem_default = 212992,
    sysctl_optmem_max = 20480;
static int backlog = 1000, dev_weight = 64, budget = 300, budget_usecs = 2000, busy_read, busy_poll, msg_cost = 5,
           msg_burst = 10;
static unsigned long tcp_mem[3], udp_mem[3];
static char allowed_cc[32] = "reno cubic";
static char available_cc[] = "reno cubic"; /* the algorithms built here, in Linux's list order */

struct netsysctl *net_sysctl(const struct sock *k) { return &netns_of(k ? k->net : netns_here())->sys; }

void *netsysctl_var(void *var)
{
    char *v = var, *init = (char *)&netns_initial.sys;
    if (v < init || v >= init + sizeof netns_initial.sys)
        return var;
    return (char *)net_sysctl(NULL) + (v - init);
}

void netsysctl_new(struct netns *n)
{
    n->sys = (struct netsysctl)NETSYSCTL_DEFAULTS; /* Linux's defaults, not a copy */
    n->sys.max_tw_buckets = tcp_tw_default();
    memcpy(n->sys.conf4, netns_initial.sys.conf4, 2 * sizeof n->sys.conf4[0]);
    memcpy(n->sys.conf4[CONF_LO], n->sys.conf4[CONF_DFLT], sizeof n->sys.conf4[0]);
    /* tcp_sk_init: the initial namespace's buffers and congestion control */
    memcpy(n->sys.rmem, netns_initial.sys.rmem, sizeof n->sys.rmem);
    memcpy(n->sys.wmem, netns_initial.sys.wmem, sizeof n->sys.wmem);
    memcpy(n->sys.cong, netns_initial.sys.cong, sizeof n->sys.cong);
}

static struct sysctl *writing; /* the entry a check is for */

/* ip_local_port_range: in order, from ip_unprivileged_port_start up. */
static int ports(long *v) { return v[1] < v[0] || v[0] < net_sysctl(NULL)->prot_sock ? -LINUX_EINVAL : 0; }
static int prot_sock(long *v) /* ipv4_privileged_ports: not into the ephemeral range */
{
    return net_sysctl(NULL)->port_range[0] < v[0] ? -LINUX_EINVAL : 0;
}
static int pings(long *v) /* ipv4_ping_group_range: a range upside down is "1 0", nobody */
{
    if (v[1] < v[0])
        v[0] = 1, v[1] = 0;
    return 0;
}
/* ip_forward and conf/all/forwarding, a change of it: default's and lo's
 * too, and all's accept_redirects its opposite (inet_forward_change);
 * IPv6's all: default's and lo's (addrconf's). */
static int forward_all(long *v)
{
    struct netsysctl *t = net_sysctl(NULL);
    if (v[0] != t->conf4[CONF_ALL][C4_FORWARDING])
        t->conf4[CONF_DFLT][C4_FORWARDING] = t->conf4[CONF_LO][C4_FORWARDING] = (int)v[0],
        t->conf4[CONF_ALL][C4_ACCEPT_REDIRECTS] = !v[0];
    return 0;
}
static int v6_all(long *v)
{
    int *row = netsysctl_var(writing->var); /* all's, then default's and lo's */
    row[CONF_DFLT] = row[CONF_LO] = (int)v[0];
    return 0;
}
/* devinet_conf_proc: a write to default's reaches lo's unless lo's was
 * written itself, or lo was ever up (its first up marks them all, as
 * inetdev_event's ipv4_devconf_setall for a loopback); a write to lo's
 * marks it. */
static int conf_v4(long *v)
{
    struct netsysctl *t = net_sysctl(NULL);
    int *at = netsysctl_var(writing->var), col = (int)(at - t->conf4[0]) % NC4;
    if (at == &t->conf4[CONF_DFLT][col] && !(t->lo4_set & 1u << col) && !netns_of(netns_here())->lo_v4)
        t->conf4[CONF_LO][col] = (int)v[0];
    if (at == &t->conf4[CONF_LO][col])
        t->lo4_set |= 1u << col;
    return 0;
}
static bool available(const char *name, size_t n)
{
    return (n == 4 && !strncmp(name, "reno", 4)) || (n == 5 && !strncmp(name, "cubic", 5));
}
bool netsysctl_cc_allowed(const char *name)
{
    size_t n = strlen(name);
    for (const char *a = allowed_cc; *a; a += strcspn(a, " "), a += *a == ' ')
        if (strcspn(a, " ") == n && !strncmp(a, name, n))
            return true;
    return false;
}
/* tcp_set_allowed_congestion_control: each name built (ENOENT); kept in
 * the list's order. */
static int allowed(char *text)
{
    bool reno = false, cubic = false;
    for (char *a = text; *(a += strspn(a, " ")); a += strcspn(a, " ")) {
        size_t n = strcspn(a, " ");
        if (!available(a, n))
            return -LINUX_ENOENT;
        reno |= n == 4, cubic |= n == 5;
    }
    snprintf(text, sizeof allowed_cc, "%s%s%s", reno ? "reno" : "", reno && cubic ? " " : "", cubic ? "cubic" : "");
    return 0;
}
/* tcp_set_default_congestion_control: a built one (ENOENT); outside the
 * initial namespace one tcp_allowed_congestion_control lists (EPERM);
 * the initial namespace's is allowed from then on. */
static int congestion(char *text)
{
    char both[40];
    if (!available(text, strlen(text)))
        return -LINUX_ENOENT;
    if (netsysctl_cc_allowed(text))
        return 0;
    if (netns_of(netns_here()) != &netns_initial)
        return -LINUX_EPERM;
    snprintf(both, sizeof both, "%s %s", allowed_cc, text);
    allowed(both);
    memcpy(allowed_cc, both, sizeof allowed_cc);
    return 0;
}

/* The entries: an int (I, within bounds), a u8 (proc_dou8vec_minmax:
 * 0 to 255 unless narrower), a time (proc_dointvec_jiffies), a vector. */
#define E(d, nm, var, lo, hi, c, fl) {d, nm, SYSCTL_INT, 1, var, lo, hi, c, NULL, 0, NULL, fl}
#define I(d, nm, f, lo, hi) E(d, nm, NET(f), lo, hi, NULL, 0)
#define U8(d, nm, f) E(d, nm, NET(f), 0, 255, NULL, 0)
#define JIF(d, nm, f) E(d, nm, NET(f), -(INT_MAX / HZ), INT_MAX / HZ, NULL, 0)
#define V(d, nm, f, n, lo, hi, c) {d, nm, SYSCTL_INT, n, NET(f), lo, hi, c, NULL, 0, NULL, SYSCTL_WHOLE}
#define C4(d, row, nm, col) E(d, nm, NET(conf4[row][col]), INT_MIN, INT_MAX, col ? conf_v4 : row ? NULL : forward_all, 0)
#define CONF4(d, row)                                                                                                  \
    C4(d, row, "forwarding", C4_FORWARDING), C4(d, row, "rp_filter", C4_RP_FILTER),                                    \
        C4(d, row, "accept_redirects", C4_ACCEPT_REDIRECTS), C4(d, row, "send_redirects", C4_SEND_REDIRECTS),          \
        C4(d, row, "accept_source_route", C4_ACCEPT_SOURCE_ROUTE), C4(d, row, "log_martians", C4_LOG_MARTIANS)
#define CONF6(d, row)                                                                                                  \
    E(d, "disable_ipv6", NET(disable6[row]), INT_MIN, INT_MAX, row ? NULL : v6_all, 0),                                \
        E(d, "forwarding", NET(forwarding6[row]), INT_MIN, INT_MAX, row ? NULL : v6_all, 0),                           \
        I(d, "hop_limit", hop_limit[row], 1, 255)
#define GLOBAL 2  /* the machine's: the initial namespace alone shows it */
#define INIT_RW 4 /* the machine's, shown to all, written in the initial namespace (0444 elsewhere, as Linux's
                     entries without data in ipv4_net_table) */
#define G(d, nm, v, lo, hi) E(d, nm, &(v), lo, hi, NULL, GLOBAL)
static struct sysctl table[] = {
    I("net/core", "somaxconn", somaxconn, 0, INT_MAX),
    I("net/core", "txrehash", txrehash, 0, 1),
    V("net/ipv4", "ip_local_port_range", port_range, 2, 1, 65535, ports),
    V("net/ipv4", "ping_group_range", ping_group_range, 2, 0, INT_MAX, pings),
    E("net/ipv4", "ip_unprivileged_port_start", NET(prot_sock), 0, 65535, prot_sock, 0),
    I("net/ipv4", "ip_default_ttl", default_ttl, 1, 255),
    U8("net/ipv4", "ip_nonlocal_bind", nonlocal_bind),
    E("net/ipv4", "ip_forward", NET(conf4[CONF_ALL][C4_FORWARDING]), INT_MIN, INT_MAX, forward_all, 0),
    I("net/ipv4", "icmp_echo_ignore_all", echo_ignore_all, 0, 1),
    I("net/ipv4", "icmp_echo_ignore_broadcasts", echo_ignore_bcast, 0, 1),
    I("net/ipv4", "icmp_ignore_bogus_error_responses", ignore_bogus, 0, 1),
    I("net/ipv4", "icmp_ratemask", icmp_ratemask, INT_MIN, INT_MAX),
    JIF("net/ipv4", "tcp_fin_timeout", fin_timeout),
    JIF("net/ipv4", "tcp_keepalive_time", keep_time),
    JIF("net/ipv4", "tcp_keepalive_intvl", keep_intvl),
    U8("net/ipv4", "tcp_keepalive_probes", keep_probes),
    I("net/ipv4", "tcp_syn_retries", syn_retries, 1, 127),
    U8("net/ipv4", "tcp_synack_retries", synack_retries),
    U8("net/ipv4", "tcp_retries1", retries1),
    U8("net/ipv4", "tcp_retries2", retries2),
    I("net/ipv4", "tcp_syncookies", syncookies, 0, 255),
    I("net/ipv4", "tcp_tw_reuse", tw_reuse, 0, 2),
    I("net/ipv4", "tcp_max_tw_buckets", max_tw_buckets, INT_MIN, INT_MAX),
    I("net/ipv4", "tcp_ecn", ecn, 0, 2),
    I("net/ipv4", "tcp_fastopen", fastopen, INT_MIN, INT_MAX),
    U8("net/ipv4", "tcp_timestamps", timestamps),
    U8("net/ipv4", "tcp_sack", sack),
    U8("net/ipv4", "tcp_window_scaling", window_scaling),
    {"net/ipv4", "tcp_rmem", SYSCTL_INT, 3, NET(rmem), 1, INT_MAX, NULL, NULL, 0, NULL, 0},
    {"net/ipv4", "tcp_wmem", SYSCTL_INT, 3, NET(wmem), 1, INT_MAX, NULL, NULL, 0, NULL, 0},
    I("net/ipv4", "udp_rmem_min", udp_rmem_min, 1, INT_MAX),
    I("net/ipv4", "udp_wmem_min", udp_wmem_min, 1, INT_MAX),
    {"net/ipv4", "tcp_congestion_control", SYSCTL_STR, 16, NET(cong), 0, 0, NULL, NULL, 0, congestion, 0},
    CONF4("net/ipv4/conf/all", CONF_ALL),
    CONF4("net/ipv4/conf/default", CONF_DFLT),
    CONF4("net/ipv4/conf/lo", CONF_LO),
    CONF6("net/ipv6/conf/all", CONF_ALL),
    CONF6("net/ipv6/conf/default", CONF_DFLT),
    CONF6("net/ipv6/conf/lo", CONF_LO),
    U8("net/ipv6", "bindv6only", bindv6only),
    U8("net/ipv6", "ip_nonlocal_bind", nonlocal_bind6),
    I("net/ipv6/icmp", "echo_ignore_all", echo6_ignore_all, 0, 1),
    I("net/unix", "max_dgram_qlen", max_dgram_qlen, INT_MIN, INT_MAX),
    {"net/core", "rmem_max", SYSCTL_INT, 1, &sysctl_rmem_max, 2304, INT_MAX, NULL, NULL, 0, NULL, GLOBAL},
    {"net/core", "wmem_max", SYSCTL_INT, 1, &sysctl_wmem_max, 4608, INT_MAX, NULL, NULL, 0, NULL, GLOBAL},
    {"net/core", "rmem_default", SYSCTL_INT, 1, &sysctl_rmem_default, 2304, INT_MAX, NULL, NULL, 0, NULL, GLOBAL},
    {"net/core", "wmem_default", SYSCTL_INT, 1, &sysctl_wmem_default, 4608, INT_MAX, NULL, NULL, 0, NULL, GLOBAL},
    G("net/core", "optmem_max", sysctl_optmem_max, INT_MIN, INT_MAX),
    G("net/core", "netdev_max_backlog", backlog, INT_MIN, INT_MAX),
    G("net/core", "dev_weight", dev_weight, INT_MIN, INT_MAX),
    G("net/core", "netdev_budget", budget, INT_MIN, INT_MAX),
    G("net/core", "netdev_budget_usecs", budget_usecs, 0, INT_MAX),
    G("net/core", "busy_read", busy_read, 0, INT_MAX),
    G("net/core", "busy_poll", busy_poll, 0, INT_MAX),
    G("net/core", "message_cost", msg_cost, -(INT_MAX / HZ), INT_MAX / HZ),
    G("net/core", "message_burst", msg_burst, INT_MIN, INT_MAX),
    {"net/ipv4", "tcp_mem", SYSCTL_ULONG, 3, tcp_mem, 0, -1, NULL, NULL, 0, NULL, GLOBAL},
    {"net/ipv4", "udp_mem", SYSCTL_ULONG, 3, udp_mem, 0, -1, NULL, NULL, 0, NULL, GLOBAL},
    {"net/ipv4", "tcp_allowed_congestion_control", SYSCTL_STR, sizeof allowed_cc, allowed_cc, 0, 0, NULL, NULL, 0,
     allowed, INIT_RW},
    {"net/ipv4", "tcp_available_congestion_control", SYSCTL_STR, sizeof available_cc, available_cc, 0, 0, NULL, NULL,
     0444, NULL, 0},
};
#define NTABLE (sizeof table / sizeof table[0])

/* tcp_init_mem and udp_init: pages from free memory, a 16th and an 8th
 * (128 at least), the pressure line at 3/4 of it, the most twice that. */
static void size_mem(void)
{
    struct persona_memstats ms = {0, 0};
    sys_stats(STATS_MEMORY, -1, &ms, sizeof ms);
    unsigned long pages = ms.free_bytes / 4096, t = pages / 16 > 128 ? pages / 16 : 128,
                  u = pages / 8 > 128 ? pages / 8 : 128;
    tcp_mem[0] = t / 4 * 3, tcp_mem[1] = t, tcp_mem[2] = tcp_mem[0] * 2;
    udp_mem[0] = u / 4 * 3, udp_mem[1] = u, udp_mem[2] = udp_mem[0] * 2;
}

void netsysctl_files(struct inode *sys)
{
    bool initial = net_sysctl(NULL) == &netns_initial.sys;
    struct ns *u = userns_owner(netns_here()); /* net_ctl_set_ownership: its root's, where it maps one */
    uint32_t uid = userns_uid_to(u, 0), gid = userns_gid_to(u, 0);
    if (!tcp_mem[0])
        size_mem();
    for (size_t t = 0; t < NTABLE; t++) {
        if (!(table[t].flags & GLOBAL) || initial) {
            sysctl_show(sys, &table[t]);
            if (table[t].node && (table[t].flags & INIT_RW))
                table[t].node->mode = S_IFREG | (initial ? 0644 : 0444);
            if (table[t].node && !(table[t].flags & GLOBAL))
                table[t].node->uid = uid == USERNS_NO_ID ? 0 : uid, table[t].node->gid = gid == USERNS_NO_ID ? 0 : gid;
            continue;
        }
        struct inode *d = fs_dir_find(sys, "net", 3); /* another namespace's view: not there */
        const char *dir = table[t].dir + 4;
        size_t k = strcspn(dir, "/");
        if (d && (d = fs_dir_find(d, dir, k)))
            procfs_remove(d, table[t].name);
        table[t].node = NULL;
    }
}

static struct sysctl *entry(const struct inode *ino)
{
    for (size_t t = 0; ino && t < NTABLE; t++)
        if (table[t].node == ino)
            return &table[t];
    return NULL;
}

uint32_t netsysctl_mode(const struct inode *ino, uint32_t mode)
{
    if (!entry(ino) || !netns_capable(fs_cred, netns_here(), CAP_NET_ADMIN))
        return mode;
    uint32_t owner = (mode >> 6) & 7;
    return (mode & ~0777u) | owner << 6 | owner << 3 | owner;
}

int netsysctl_write(struct inode *ino, uint64_t off, const void *data, size_t n)
{
    struct sysctl *s = entry(ino);
    if (!s)
        return -LINUX_EIO;
    if (s->kind == SYSCTL_STR && !n)
        return 0; /* nothing to name: the setting stays */
    writing = s;
    return sysctl_store(s, off, data, n);
}
