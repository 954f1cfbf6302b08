/*
 * personalities/linux/uapi_net.h - the Linux ABI's constants for internet
 * sockets and network interfaces, a part of uapi.h (which includes it, in
 * its sockets section) kept apart to keep that file short.  The same rule
 * holds: Linux's names and values, which `make check` compares with the
 * system's headers (scripts/check-uapi.py reads both files).
 *
 * Entry points: none (constants).  Layer: the bottom, with uapi.h.  Book:
 * docs/linux.md, "Networking".
 */
#ifndef LINUX_UAPI_NET_H
#define LINUX_UAPI_NET_H

/* ---- socket families and options (linux/socket.h, asm-generic/socket.h) ---- */
#define AF_UNSPEC 0
#define AF_INET 2
#define AF_INET6 10
#define SO_REUSEADDR 2
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_LINGER 13
#define SO_REUSEPORT 15
#define SO_PEERCRED 17
#define SO_RCVTIMEO_OLD 20
#define SO_SNDTIMEO_OLD 21
#define MSG_TRUNC 0x20
#define MSG_WAITFORONE 0x10000

/* ---- internet sockets (netinet/in.h, netinet/tcp.h, linux/in6.h) ---- */
#define IPPROTO_IP 0
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_IPV6 41
#define IP_TTL 2
#define IPV6_UNICAST_HOPS 16
#define IPV6_V6ONLY 26
#define TCP_NODELAY 1
#define SIN6_LEN_RFC2133 24 /* the shortest sockaddr_in6 bind and connect take (no scope id) */
/* the interface ioctls (linux/sockios.h, net/if.h) */
#define SIOCGIFNAME 0x8910
#define SIOCGIFCONF 0x8912
#define SIOCGIFFLAGS 0x8913
#define SIOCGIFADDR 0x8915
#define SIOCGIFNETMASK 0x891b
#define SIOCGIFMTU 0x8921
#define SIOCGIFINDEX 0x8933
#define IFF_UP 0x1
#define IFF_LOOPBACK 0x8
#define IFF_RUNNING 0x40
#define IFNAMSIZ 16

#endif
