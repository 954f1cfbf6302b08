/*
 * personalities/linux/netns.h - network namespaces (netns.c): what each
 * one owns beyond its ns (ns.h) entry: its loopback's state (lo is down
 * in a new one, with no address, until SIOCSIFFLAGS or RTM_NEWLINK brings
 * it up), its MTU and its /proc/sys/net settings.  A socket keeps the
 * namespace it was made in (struct sock's net, held); its ports
 * (inet.c), its abstract AF_UNIX names (unixname.c), the interface
 * ioctls (netdev.c), netlink's dumps and port ids (netlink.c) and
 * /proc/net's tables are its namespace's.
 *
 * Entry points: netns_new, netns_free (ns.c), netns_sock_hold and netns_sock_put (a
 * socket's making and end), netns_here, netns_of, netns_same,
 * netns_reach, netns_lo_flags, netns_set_flags, netns_has_v6,
 * netns_setlink (RTM_NEWLINK), netns_ioctl_skns (SIOCGSKNS); its
 * settings are netsysctl.h's.  Layer: proc, under the
 * socket files.  Book: docs/linux.md, "Networking".
 */
#ifndef LINUX_NETNS_H
#define LINUX_NETNS_H
#include "netsysctl.h"
#include "uapi.h"
#include <stdbool.h>
#include <stdint.h>

struct cred;
struct ns;
struct sock;
struct sys_ctx;

/* What a network namespace owns, hung from its struct ns (net). */
struct netns {
    uint32_t lo_flags; /* lo's IFF_* flags: IFF_LOOPBACK, and IFF_UP while up */
    bool lo_v4;        /* lo has 127.0.0.1/8: added at its first up, kept while down, as Linux's */
    int lo_mtu;        /* lo's MTU: 65536, or what SIOCSIFMTU set (a made namespace's) */
    struct netsysctl sys; /* its /proc/sys/net settings (netsysctl.c) */
};
extern struct netns netns_initial;

/* A new namespace's state (lo down, Linux's default settings); NULL without memory. */
struct netns *netns_new(void);
void netns_free(struct netns *n);
/* The calling process's namespace (the initial one's outside a call). */
struct ns *netns_here(void);
/* A new socket k is of namespace n (a new one's: the caller's; an
 * accepted end's: its connecting peer's), which it holds; its end lets go. */
void netns_sock_hold(struct sock *k, struct ns *n);
void netns_sock_put(struct sock *k);
/* The state of k's namespace (NULL: the initial one's). */
struct netns *netns_of(const struct ns *n);
/* Whether cr holds cap over network namespace n (NULL: the caller's), as
 * Linux's ns_capable(net->user_ns, cap): in the user namespace owning it. */
bool netns_capable(const struct cred *cr, const struct ns *n, int cap);
/* Whether two sockets are of one namespace. */
bool netns_same(const struct sock *a, const struct sock *b);
/* Whether a packet from socket k to a loopback address (IPv6 form; bind:
 * a bind to it) goes, as Linux 6.1 in k's namespace: 0; an IPv4 one
 * while lo is down ENETUNREACH (its bind 0), ::1 while lo lacks it
 * EADDRNOTAVAIL (no source address; its bind too); anything from an
 * IPv4 address lo lacks (ip_nonlocal_bind's) ENETUNREACH. */
int netns_reach(const struct sock *k, const uint8_t addr[16], bool bind);
/* lo's flags as SIOCGIFFLAGS (IFF_RUNNING while up) and netlink (and
 * IFF_LOWER_UP) show them. */
uint32_t netns_lo_flags(const struct netns *n, bool netlink);
/* lo's flags from now on (the changeable ones; IFF_UP adds its
 * addresses, its loss takes ::1 away). */
void netns_set_flags(struct netns *n, uint32_t flags);
/* Whether lo has ::1 (while up, IPv6 not disabled on it) and 127.0.0.1
 * (since its first up). */
bool netns_has_v6(const struct netns *n);
/* RTM_NEWLINK's body (len bytes: struct ifinfomsg and attributes) to
 * nn's lo, as rtnl_setlink: CAP_NET_ADMIN's (EPERM), lo by index 1 or
 * by IFLA_IFNAME "lo" (else ENODEV), its flags combined with ifi_change's
 * mask (0: all); 0 or -errno, the ack's. */
int32_t netns_setlink(struct netns *nn, const uint8_t *body, uint32_t len);
/* SIOCGSKNS of socket k: a descriptor of its namespace's nsfs file
 * (CAP_NET_ADMIN's, EPERM). */
int64_t netns_ioctl_skns(struct sys_ctx *c, struct sock *k);

#endif
