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
#define SO_DEBUG 1
#define SO_REUSEADDR 2
#define SO_DONTROUTE 5
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_OOBINLINE 10
#define SO_NO_CHECK 11
#define SO_PRIORITY 12
#define SO_TIMESTAMP 29 /* SO_TIMESTAMP_OLD; its SCM_TIMESTAMP, a struct timeval */
#define SO_LINGER 13
#define SO_REUSEPORT 15
#define SO_PASSCRED 16
#define SO_PEERCRED 17
#define SO_RCVLOWAT 18
#define SO_SNDLOWAT 19
#define SO_RCVTIMEO_OLD 20
#define SO_SNDTIMEO_OLD 21
#define SO_PEERNAME 28
#define SO_PEEK_OFF 42
#define SO_SNDBUFFORCE 32
#define SO_TIMESTAMP_OLD 29
#define SO_TIMESTAMPNS_OLD 35
#define SO_TIMESTAMPING_OLD 37
#define SO_TIMESTAMP_NEW 63
#define SO_TIMESTAMPNS_NEW 64
#define SO_TIMESTAMPING_NEW 65
#define SIOCGSTAMP_OLD 0x8906
#define SIOCGSTAMPNS_OLD 0x8907
#define SO_RCVBUFFORCE 33
#define MSG_OOB 0x1
#define MSG_TRUNC 0x20
#define MSG_ERRQUEUE 0x2000
#define MSG_MORE 0x8000
#define MSG_FASTOPEN 0x20000000
#define MSG_WAITFORONE 0x10000

/* ---- internet sockets (netinet/in.h, netinet/tcp.h, linux/in6.h) ---- */
#define IPPROTO_IP 0
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_IPV6 41
#define IPPROTO_MAX 263
#define IP_TTL 2
#define IPV6_UNICAST_HOPS 16
#define IPV6_V6ONLY 26
#define IP_RECVTTL 12
#define IPV6_RECVHOPLIMIT 51
#define TCP_NODELAY 1
#define TCP_MAXSEG 2
#define TCP_CORK 3
#define TCP_KEEPIDLE 4
#define TCP_KEEPINTVL 5
#define TCP_KEEPCNT 6
#define TCP_SYNCNT 7
#define TCP_LINGER2 8
#define TCP_DEFER_ACCEPT 9
#define TCP_WINDOW_CLAMP 10
#define TCP_INFO 11
#define TCP_QUICKACK 12
#define TCP_CONGESTION 13
#define TCP_THIN_LINEAR_TIMEOUTS 16
#define TCP_THIN_DUPACK 17
#define TCP_USER_TIMEOUT 18
#define TCP_FASTOPEN 23
#define TCP_NOTSENT_LOWAT 25
#define TCP_SAVE_SYN 27
#define TCP_FASTOPEN_CONNECT 30
#define TCP_FASTOPEN_NO_COOKIE 34
#define TCP_INQ 36
#define SIOCOUTQNSD 0x894b
#define SIN6_LEN_RFC2133 24 /* the shortest sockaddr_in6 bind and connect take (no scope id) */
/* the interface ioctls (linux/sockios.h, net/if.h) */
#define SIOCATMARK 0x8905
#define SIOCGIFNAME 0x8910
#define SIOCGIFCONF 0x8912
#define SIOCGIFFLAGS 0x8913
#define SIOCGIFADDR 0x8915
#define SIOCGIFDSTADDR 0x8917
#define SIOCGIFBRDADDR 0x8919
#define SIOCGIFNETMASK 0x891b
#define SIOCGIFMETRIC 0x891d
#define SIOCGIFMTU 0x8921
#define SIOCGIFHWADDR 0x8927
#define SIOCGIFINDEX 0x8933
#define SIOCGIFTXQLEN 0x8942
#define SIOCGSKNS 0x894c /* a socket's network namespace (linux/sockios.h) */
#define SIOCGIFMAP 0x8970
#define IFF_UP 0x1
#define IFF_LOOPBACK 0x8
#define IFF_RUNNING 0x40
#define IFNAMSIZ 16
#define IFF_LOWER_UP 0x10000
#define AF_PACKET 17
#define AF_NETLINK 16

/* ---- packet sockets (linux/if_packet.h, linux/if_ether.h) ---- */
#define LINUX_ENETDOWN 100 /* tpacket_snd's lo while down (asm-generic/errno.h) */
#define SOL_PACKET 263
#define PACKET_HOST 0
#define PACKET_OUTGOING 4
#define PACKET_ADD_MEMBERSHIP 1
#define PACKET_DROP_MEMBERSHIP 2
#define PACKET_RX_RING 5
#define PACKET_STATISTICS 6
#define PACKET_COPY_THRESH 7
#define PACKET_AUXDATA 8
#define PACKET_ORIGDEV 9
#define PACKET_VERSION 10
#define PACKET_HDRLEN 11
#define PACKET_RESERVE 12
#define PACKET_TX_RING 13
#define PACKET_LOSS 14
#define PACKET_VNET_HDR 15
#define PACKET_TX_TIMESTAMP 16
#define PACKET_TIMESTAMP 17
#define PACKET_FANOUT 18
#define PACKET_TX_HAS_OFF 19
#define PACKET_QDISC_BYPASS 20
#define PACKET_ROLLOVER_STATS 21
#define PACKET_FANOUT_DATA 22
#define PACKET_IGNORE_OUTGOING 23
#define PACKET_FANOUT_HASH 0
#define PACKET_FANOUT_LB 1
#define PACKET_FANOUT_CPU 2
#define PACKET_FANOUT_ROLLOVER 3
#define PACKET_FANOUT_RND 4
#define PACKET_FANOUT_QM 5
#define PACKET_FANOUT_CBPF 6
#define PACKET_FANOUT_EBPF 7
#define PACKET_FANOUT_FLAG_ROLLOVER 0x1000
#define PACKET_FANOUT_FLAG_UNIQUEID 0x2000
#define PACKET_FANOUT_FLAG_DEFRAG 0x8000
#define TP_STATUS_KERNEL 0
#define TP_STATUS_USER (1 << 0)
#define TP_STATUS_LOSING (1 << 2)
#define TP_STATUS_CSUMNOTREADY (1 << 3)
#define TP_STATUS_BLK_TMO (1 << 5)
#define TP_STATUS_AVAILABLE 0
#define TP_STATUS_SEND_REQUEST (1 << 0)
#define TP_STATUS_SENDING (1 << 1)
#define TP_STATUS_WRONG_FORMAT (1 << 2)
#define TP_FT_REQ_FILL_RXHASH 0x1
#define TPACKET_ALIGNMENT 16
#define ETH_P_ALL 0x0003
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86dd
#define ETH_HLEN 14

/* ---- netlink route sockets (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h,
 * linux/if_arp.h) ---- */
#define NETLINK_ROUTE 0
#define NETLINK_SOCK_DIAG 4
#define SOCK_DIAG_BY_FAMILY 20
#define NLM_F_REQUEST 0x01
#define NLM_F_MULTI 0x02
#define NLM_F_ACK 0x04
#define NLM_F_DUMP 0x300 /* NLM_F_ROOT | NLM_F_MATCH */
#define NLMSG_ERROR 0x2
#define NLMSG_DONE 0x3
#define NLMSG_MIN_TYPE 0x10
#define NLMSG_ALIGN(n) (((n) + 3) & ~3u)
#define RTM_NEWLINK 16
#define RTM_GETLINK 18
#define RTM_NEWADDR 20
#define RTM_GETADDR 22
#define IFLA_ADDRESS 1
#define IFLA_BROADCAST 2
#define IFLA_IFNAME 3
#define IFLA_MTU 4
#define IFLA_STATS 7
#define IFLA_TXQLEN 13
#define IFLA_OPERSTATE 16
#define IFLA_LINKMODE 17
#define IFA_ADDRESS 1
#define IFA_LOCAL 2
#define IFA_LABEL 3
#define IFA_CACHEINFO 6
#define IFA_FLAGS 8
#define IFA_F_PERMANENT 0x80
#define RT_SCOPE_HOST 254
#define ARPHRD_LOOPBACK 772
struct nlmsghdr_k {
    uint32_t len;
    uint16_t type, flags;
    uint32_t seq, pid;
};

#endif
