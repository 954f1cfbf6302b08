/*
 * personalities/linux/packetfanout.c - PACKET_FANOUT's groups of packet
 * sockets (not built yet: ENOPROTOOPT, a kernel's answer to an option it
 * has not).
 *
 * Entry points: packet.h's packet_fanout_*.  Callers: packet.c.  Layer:
 * a file type, over packet.c.  Book: docs/linux.md, "Networking".
 */
#include "packet.h"

int64_t packet_fanout_set(struct sys_ctx *c, struct inet_sock *s, int name, uint64_t uval, int len)
{
    (void)c, (void)s, (void)name, (void)uval, (void)len;
    return -LINUX_ENOPROTOOPT;
}

int64_t packet_fanout_get(struct inet_sock *s, int name, int32_t *v, uint32_t *size)
{
    (void)s, (void)name, (void)v, (void)size;
    return -LINUX_ENOPROTOOPT;
}

void packet_fanout_leave(struct inet_sock *s) { (void)s; }
