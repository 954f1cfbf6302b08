/*
 * personalities/linux/netlink.h - netlink route and sock_diag sockets (netlink.c): the
 * calls socket.c and sockmsg.c hand a netlink socket's work to.
 *
 * Entry points: nl_of, nl_socket, nl_bind, nl_connect, nl_name, nl_sendto,
 * nl_recvfrom, nl_msg, nl_deliver.  Layer: a file type, beside socket.c.  Book:
 * docs/linux.md, "Networking".
 */
#ifndef LINUX_NETLINK_H
#define LINUX_NETLINK_H
#include "socket.h"

bool nl_of(const struct file *f);
int64_t nl_socket(struct sys_ctx *c, int type, int flags, uint64_t protocol);
int64_t nl_bind(struct sys_ctx *c, struct file *f, uint64_t uaddr, uint64_t len);
/* connect: the default destination (AF_UNSPEC: the kernel again). */
int64_t nl_connect(struct sys_ctx *c, struct file *f, uint64_t uaddr, uint64_t len);
/* getsockname (peer false) and getpeername (the kernel's, port 0). */
int64_t nl_name(struct sys_ctx *c, struct file *f, uint64_t uaddr, uint64_t ulen, bool peer);
int64_t nl_sendto(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, uint64_t uaddr, uint64_t addrlen);
int64_t nl_recvfrom(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, uint64_t flags, uint64_t uaddr,
                    uint64_t uaddrlen);
int64_t nl_msg(struct sys_ctx *c, struct file *f, uint64_t umsg, uint64_t flags, bool write);
/* A datagram from the kernel (port 0) onto netlink socket f's queue: 0, or -ENOMEM. */
int nl_deliver(struct file *f, const void *data, uint32_t len);

#endif
