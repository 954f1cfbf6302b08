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

/* While a 64-bit handler runs for an i386 call (i386_call), the calling
 * process's user addresses from here on are a buffer of the server's
 * (mem_in and mem_out copy there): an address above 4 GiB, which no i386
 * program can name. */
#define I386_BOUNCE_VA 0x500000000000ull

/* What a compat handler does with the 64-bit handler's result r and the
 * window's bytes (buf) once the call is over: its result.  ctx: the
 * handler's own words (user addresses to write back to). */
typedef int64_t (*i386_done)(struct proc *p, int64_t r, const void *buf, const uint64_t *ctx);
struct i386_bounce {
    void *buf;
    size_t len;
    i386_done done;     /* a call that waits: run by i386_finish */
    uint64_t ctx[4];
    bool kept;          /* the copy a call that waits keeps */
    bool answered;      /* answered already, while its handler ran */
};
/* Runs a 64-bit entry with the arguments a, the bounce window being the
 * len bytes at buf; then done (if any) on its result.  A call that waits
 * keeps a copy of the window, and done runs when it is answered
 * (proc_reply's i386_finish): results written late land there too. */
int64_t i386_call(struct sys_ctx *c, linux_handler entry, const uint64_t a[6], void *buf, size_t len, i386_done done,
                  const uint64_t ctx[4]);
static inline int64_t i386_run(struct sys_ctx *c, linux_handler entry, const uint64_t a[6], void *buf, size_t len)
{
    return i386_call(c, entry, a, buf, len, NULL, NULL);
}

/* A forked or cloned thread of p's: p's segments (compatibility mode, TLS
 * entries), with the struct user_desc at udesc (CLONE_SETTLS) installed if
 * nonzero.  0 or -errno. */
int i386_copy_segs(struct proc *p, int thread, uint64_t udesc);
/* The TLS entry idx (12..14, else EINVAL) of thread as the struct
 * user_desc at uinfo in p's memory, or set from it (Linux's
 * do_get_thread_area and do_set_thread_area, without allocating): for
 * get_thread_area, and ptrace's GET_THREAD_AREA and SET_THREAD_AREA. */
int i386_thread_area(struct proc *p, int thread, uint32_t idx, uint64_t uinfo, bool set);
/* The i386 name of call nr, or NULL (main.c). */
const char *linux_i386_name(uint64_t nr);

/* semctl's (kind 's'), msgctl's ('m') or shmctl's ('h') commands whose
 * structures differ: IPC_STAT, IPC_SET, the _INFO and _STAT ones, the
 * structure at ubuf.  direct: the call itself (IPC_64's layout), else
 * ipc's (cmd's IPC_64 says which) (i386ipc.c). */
int64_t i386_ipc_ctl(struct sys_ctx *c, char kind, uint64_t id, uint64_t num, int cmd, bool direct, uint64_t ubuf);

/* A siginfo in i386's layout (the union at byte 12, its longs 4 bytes),
 * from the 64-bit one or back (i386sig.c). */
struct siginfo_k;
void i386_siginfo_out(const struct siginfo_k *k, uint8_t out[128]);
void i386_siginfo_in(const uint8_t in[128], struct siginfo_k *k);

/* Runs entry with the iovec arrays at a[i] and (j >= 0) a[j], their
 * counts the next arguments, widened (i386fs.c). */
int64_t i386_iovecs(struct sys_ctx *c, linux_handler entry, uint64_t a[6], int i, int j);
/* A compat_sigevent at uevent read into a struct sigevent's 64 bytes:
 * the value an int (zero-extended, as Linux's compat_ptr), then the
 * signal, the notification and the thread (i386time.c: timer_create's,
 * mq_notify's).  0 or -EFAULT. */
int i386_sigevent(struct proc *p, uint64_t uevent, uint64_t k[8]);

/* The i386 sendmsg and recvmsg (i386net.c: the 32-bit msghdr), which an
 * i386 io_uring's SENDMSG and RECVMSG run too (iouringop.c). */
int64_t entry32_sendmsg(struct sys_ctx *c);
int64_t entry32_recvmsg(struct sys_ctx *c);

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
