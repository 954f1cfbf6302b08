/*
 * personalities/linux/i386net.c - socketcall, the i386 ABI's one call for
 * every socket operation (docs/i386.md): its number picks the operation,
 * its arguments are 32-bit words in the caller's memory, as many as
 * Linux's socketcall table says; each runs the 64-bit handler (send and
 * recv as sendto and recvfrom without an address, accept as accept4
 * without flags).  sendmsg, recvmsg, sendmmsg and recvmmsg, whose
 * structures differ, are ENOSYS here (i386.def's note).
 *
 * Entry points: the handler, through the i386 table (i386.def).  Layer:
 * above socket.c, unixname.c, sockmsg.c, sockopt.c.  Book: docs/i386.md.
 */
#include "i386.h"
#include "klog.h"
#include "proc.h"
#include "linux_entries/i386net.h" /* generated: the handlers' prototypes, entries */

int64_t entry_socket(struct sys_ctx *c);
int64_t entry_bind(struct sys_ctx *c);
int64_t entry_connect(struct sys_ctx *c);
int64_t entry_listen(struct sys_ctx *c);
int64_t entry_accept4(struct sys_ctx *c);
int64_t entry_getsockname(struct sys_ctx *c);
int64_t entry_getpeername(struct sys_ctx *c);
int64_t entry_socketpair(struct sys_ctx *c);
int64_t entry_sendto(struct sys_ctx *c);
int64_t entry_recvfrom(struct sys_ctx *c);
int64_t entry_shutdown(struct sys_ctx *c);
int64_t entry_setsockopt(struct sys_ctx *c);
int64_t entry_getsockopt(struct sys_ctx *c);

/* socketcall's operations (linux/net.h): the words each takes, which of
 * them are addresses or sizes (zero-extended; the others are ints,
 * sign-extended), and the 64-bit handler (NULL: the msghdr calls). */
enum { SOCKETCALL_MAX = 20 };
static const struct {
    uint8_t words, unsigned_args;
    linux_handler entry;
} socketcalls[SOCKETCALL_MAX + 1] = {
    [1] = {3, 0, entry_socket},         [2] = {3, 1 << 1, entry_bind},
    [3] = {3, 1 << 1, entry_connect},   [4] = {2, 0, entry_listen},
    [5] = {3, 3 << 1, entry_accept4},   [6] = {3, 3 << 1, entry_getsockname},
    [7] = {3, 3 << 1, entry_getpeername}, [8] = {4, 1 << 3, entry_socketpair},
    [9] = {4, 3 << 1, entry_sendto},    [10] = {4, 3 << 1, entry_recvfrom},
    [11] = {6, 3 << 1 | 1 << 4, entry_sendto}, [12] = {6, 3 << 1 | 3 << 4, entry_recvfrom},
    [13] = {2, 0, entry_shutdown},      [14] = {5, 1 << 3, entry_setsockopt},
    [15] = {5, 3 << 3, entry_getsockopt}, [16] = {3, 0, NULL},
    [17] = {3, 0, NULL},                [18] = {4, 3 << 1, entry_accept4},
    [19] = {5, 0, NULL},                [20] = {4, 0, NULL},
};

/* The operation's words as the 64-bit handler's arguments; send and recv
 * (4 words) leave sendto's and recvfrom's address NULL, accept (3)
 * accept4's flags 0. */
static int64_t sys32_socketcall(struct sys_ctx *c, uint64_t call, uint64_t uargs)
{
    if (call < 1 || call > SOCKETCALL_MAX)
        return -LINUX_EINVAL;
    uint32_t w[6] = {0};
    if (mem_in(c->p, w, uargs, socketcalls[call].words * sizeof w[0]) < 0)
        return -LINUX_EFAULT;
    if (!socketcalls[call].entry) {
        static bool warned;
        if (!warned)
            klog(KERN_INFO, "linux: i386 socketcall's msghdr calls are not implemented: ENOSYS");
        warned = true;
        return -LINUX_ENOSYS;
    }
    uint64_t a[6];
    for (int i = 0; i < 6; i++)
        a[i] = socketcalls[call].unsigned_args >> i & 1 ? w[i] : (uint64_t)(int64_t)(int32_t)w[i];
    return i386_run(c, socketcalls[call].entry, a, NULL, 0);
}
