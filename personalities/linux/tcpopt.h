/*
 * personalities/linux/tcpopt.h - TCP's own socket options (level
 * IPPROTO_TCP) and what reads a TCP connection's state: TCP_INFO, the
 * state /proc/net and ss show.  The loopback's connections lose nothing
 * and wait for nothing, so most options are kept as set and read back, in
 * Linux's ranges; TCP_INFO says the state and plausible loopback figures.
 *
 * Entry points: tcp_getsockopt and tcp_setsockopt (sockopt.c hands a TCP
 * socket's IPPROTO_TCP level here whole), tcp_state.  Layer: a file type,
 * over inet.c.  Book: docs/linux.md, "Networking".
 */
#ifndef LINUX_TCPOPT_H
#define LINUX_TCPOPT_H
#include <stdbool.h>
#include <stdint.h>

/* A TCP socket's options, as set (0: the default, which a read says). An
 * accepted connection inherits its listener's, as Linux's clone does. */
struct tcp_opts {
    bool nodelay, cork, pingpong, inq, thin_lto, fastopen_connect, no_cookie;
    uint8_t save_syn, congestion; /* 0 cubic, 1 reno */
    int user_timeout, keepidle, keepintvl, keepcnt, syncnt;
    int linger2;        /* seconds; -1: none (a negative set) */
    int defer_accept;   /* in retransmissions, as Linux keeps it */
    int maxseg;         /* TCP_MAXSEG's user MSS */
    int notsent_lowat, window_clamp, fastopen_qlen;
};

struct sys_ctx;
struct file;
int64_t tcp_getsockopt(struct sys_ctx *c, struct file *f, int name, uint64_t uoptval, uint64_t uoptlen);
int64_t tcp_setsockopt(struct sys_ctx *c, struct file *f, int name, uint64_t uoptval, int optlen);
/* A TCP socket's state as Linux numbers them (TCP_ESTABLISHED 1 ... TCP_LISTEN 10). */
int tcp_state(const struct file *f);

#endif
