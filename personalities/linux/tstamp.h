/*
 * personalities/linux/tstamp.h - receive timestamps (tstamp.c):
 * SO_TIMESTAMP, SO_TIMESTAMPNS, their _NEW twins and SO_TIMESTAMPING's
 * software receive times, as control messages of a recvmsg, and
 * SIOCGSTAMP/SIOCGSTAMPNS.
 *
 * Entry points: below.  Callers: sockopt.c, udp.c, netdev.c.  Layer: a
 * file type, over socket.c.  Book: docs/linux.md, "Networking".
 */
#ifndef LINUX_TSTAMP_H
#define LINUX_TSTAMP_H
#include <stdbool.h>
#include <stdint.h>

struct sock;
struct proc;
struct sys_ctx;
struct file;

/* Whether name is one of the SOL_SOCKET timestamp options; its value as
 * getsockopt reads it (SO_TIMESTAMPING: the flags); a set of it. */
bool tstamp_option(int name);
int32_t tstamp_getsockopt(const struct sock *k, int name);
int64_t tstamp_setsockopt(struct sock *k, int name, int32_t v);
/* A receive took a datagram that came at `when` (ns of CLOCK_REALTIME):
 * the control messages k asked for, into control (room bytes; MSG_CTRUNC
 * into *mflags for what did not fit), their length or -EFAULT; or, for a
 * receive without a msghdr, the time alone (SIOCGSTAMP's). */
int64_t tstamp_cmsgs(struct proc *p, struct sock *k, int64_t when, uint64_t control, uint64_t room, int32_t *mflags);
void tstamp_taken(struct sock *k, int64_t when);
/* SIOCGSTAMP and SIOCGSTAMPNS (old and new): 0 or -errno; 1: not one of
 * these, or not the socket's (the caller goes on). */
int64_t tstamp_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg);

#endif
