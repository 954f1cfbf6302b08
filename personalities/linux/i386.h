/*
 * personalities/linux/i386.h - the i386 ABI's shared parts (docs/i386.md):
 * the bounce window, through which a handler of i386.def runs a 64-bit
 * handler on structures it translated, and the 32-bit structures more
 * than one file translates.
 *
 * Entry points: i386_run (every i386*.c), i386_copy_segs (fork.c),
 * linux_i386_name (main.c; the tracer).  Layer: above the subsystems
 * whose handlers it runs.  Book: docs/i386.md.
 */
#ifndef LINUX_I386_H
#define LINUX_I386_H
#include "linux.h"

/* While i386_run runs a 64-bit handler, user addresses from here on are
 * buf (mem_in and mem_out copy there): an address above 4 GiB, which no
 * i386 program can name. */
#define I386_BOUNCE_VA 0x500000000000ull
extern struct i386_bounce {
    void *buf;
    size_t len;
} i386_bounce;
/* Runs a 64-bit entry with the arguments a, the bounce window being the
 * len bytes at buf; its result.  Only for a call that finishes at once: a
 * deferred one would find the window gone. */
int64_t i386_run(struct sys_ctx *c, linux_handler entry, const uint64_t a[6], void *buf, size_t len);

/* A forked or cloned thread of p's: p's segments (compatibility mode, TLS
 * entries), with the struct user_desc at udesc (CLONE_SETTLS) installed if
 * nonzero.  0 or -errno. */
int i386_copy_segs(struct proc *p, int thread, uint64_t udesc);
/* The i386 name of call nr, or NULL (main.c). */
const char *linux_i386_name(uint64_t nr);

struct timespec32 {
    int32_t sec, nsec;
};
struct timeval32 {
    int32_t sec, usec;
};
struct iovec32 {
    uint32_t base, len;
};

#endif
