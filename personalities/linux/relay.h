/*
 * personalities/linux/relay.h - what the relay program and the server
 * share.  A Linux process that executes another personality's program
 * runs the relay (relay/relay.c) in its place, as binfmt_misc runs an
 * interpreter: the relay moves the foreign program's reads and writes
 * through the process's own descriptors, and ends as the program ends.
 * It reaches the server with one private call, RELAY_NR, which answers
 * ENOSYS in any other process.
 *
 * Entry points: none (constants and the event layout).  Layer: shared by
 * interop.c and the relay.  Book: docs/personality-protocol.md.
 */
#ifndef LINUX_RELAY_H
#define LINUX_RELAY_H

#define RELAY_NR 0x5052 /* far above Linux's own numbers */

/* rdi: what the relay asks. */
enum {
    RELAY_NEXT = 1, /* rsi: 1 if rdx holds the last event's result; r10: the
                       buffer (a READ's bytes go to the server from there, a
                       WRITE's come in there); r8: the struct relay_ev to fill. 0,
                       or -EINTR (the result, if any, was taken) */
    RELAY_SIGNAL,   /* rsi: a signal the process got, for the program */
};

/* The event RELAY_NEXT returns (the personality protocol's events). */
struct relay_ev {
    long kind;   /* RELAY_EV_* */
    long fd;     /* WRITE, READ */
    long len;    /* WRITE: bytes in the buffer; READ: the most wanted */
    long status; /* EXIT: the exit status */
    long sig;    /* EXIT: the signal that ended the program, or 0 */
};
enum { RELAY_EV_WRITE = 1, RELAY_EV_READ, RELAY_EV_EXIT, RELAY_EV_LOST };

#define RELAY_BUF 4096

#endif
