/*
 * personalities/linux/wait.h - waiting for descriptors or for time: poll,
 * ppoll, select, pselect6, epoll_wait and its kin, nanosleep and
 * clock_nanosleep, the waits other
 * subsystems park a process in (futex, sigtimedwait, eventfd, accept,
 * connect), and the server's one timer behind every deadline (its
 * functions here, their code and the deadlines' heap in deadline.c).
 *
 * Entry points: wait_init (main.c), wait_finish, wait_cancel,
 * wait_rearm, wait_rearm_for, poll_recheck (whoever changes what a poll waits on), and
 * timers_fire (main.c, when the timer's notification comes).
 *
 * Layer: above file types.  Book: docs/linux.md, "Waiting".
 */
#ifndef LINUX_WAIT_H
#define LINUX_WAIT_H
#include <stdbool.h>
#include <stdint.h>

/*
 * A wait in progress, a proc's (kind WAIT_NONE: none).  It holds the
 * call's reply token until wait_finish (or a signal, through
 * wait_cancel) ends it; the meaning of the other fields is the kind's.
 */
enum { WAIT_NONE, WAIT_POLL, WAIT_SLEEP, WAIT_SIGSUSPEND, WAIT_SELECT, WAIT_FUTEX, WAIT_SIGWAIT, WAIT_COUNTER,
       WAIT_ACCEPT, WAIT_CONNECT, WAIT_EPOLL, WAIT_FLOCK, WAIT_RECLOCK, WAIT_READ, WAIT_SPLICE, WAIT_SYSV,
       WAIT_MQUEUE, WAIT_DGRAM, WAIT_UNIXQ, WAIT_AIO, WAIT_AIOSUB,
       WAIT_FUTEXV, WAIT_RELAY, WAIT_SECCOMP, WAIT_IOURING, WAIT_LEASE, WAIT_FANPERM };
struct proc_wait {
    int kind;
    uint64_t token, fds, nfds; /* poll: the pollfd array; select: nfds; futex: address, bitset;
                                  epoll: the instance's file (a reference), maxevents;
                                  flock: the open file (a reference), 1 for exclusive;
                                  a record lock: the file's key, the lock's type;
                                  sigtimedwait: the set; counter: the file, 1 to write;
                                  accept: the listening socket, the flags;
                                  connect: the listener, the connecting descriptor;
                                  read: the file (a reference), the length;
                                  splice: the pipe's file (a reference), the poll events awaited;
                                  System V IPC, a POSIX queue: its malloc'd record (sysvipc.h);
                                  dgram: the UDP socket (inet_sock), the flags;
                                  unixq: the AF_UNIX socket (usock) whose queue must move;
                                  aio (io_getevents): the context, min_nr (sets[0]: nr, sets[2]: 1 for
                                  io_pgetevents); aiosub (io_submit): the file waited for (a reference),
                                  the iocbs' count (sets: the index, the context, the poll bits);
                                  futexv: its malloc'd keys, their count;
                                  lease: the inode whose leases an open breaks (lease.c);
                                  fanperm: the permission event answered (fanperm.c);
                                  seccomp: its notification (seccompnotify.c);
                                  read, sets[0] 1: an ioctl's again, nfds the request, tv the argument;
                                  iouring (io_uring_enter): the instance, min_complete (sets: the
                                  SQEs submitted, 1 with a signal mask swapped) */
    uint64_t deadline;    /* clock_ns; 0: none */
    uint64_t sets[3];     /* select: the read, write and except fd_sets */
    uint64_t tv;          /* select: its struct timeval, updated at the end; futex: queue order;
                             sigtimedwait: where the siginfo goes; counter: the user buffer;
                             accept: where the address goes (its length: sets[0]);
                             futex, futexv: queue order; epoll, aio: the user's event array; aiosub: the iocb list; read: the user buffer; dgram: the buffer, with
                             its length, the address and its length in sets */
    uint64_t space;       /* futex: with fds, the key: the memory map, or shared memory (futex.c);
                             dgram: a recvmsg's msghdr */
};

struct proc;
struct sys_ctx;
void wait_init(void);
/* Ends p's wait with result r (its reply). */
void wait_finish(struct proc *p, int64_t r);
/* Takes p out of its wait; true and the reply token if it waited. */
bool wait_cancel(struct proc *p, uint64_t *token);
/* ppoll's, pselect6's, epoll_pwait's and io_pgetevents' own signal mask
 * (umask 0: none) for the call's wait: 0, -EINVAL, -EFAULT; undone with
 * the call's result r unless a signal interrupts it. */
int wait_mask_swap(struct sys_ctx *c, uint64_t umask, uint64_t size);
void wait_mask_unswap(struct proc *p, int64_t r);
/* Arms the server's timer for the earliest deadline there is, after
 * noting the deadlines of the process whose call is being served (those
 * of any other process p that changed: wait_rearm_for(p)). */
void wait_rearm(void);
void wait_rearm_for(struct proc *p);
/* Something a poll or select may wait for changed: each looks again. */
void poll_recheck(void);
/* p's wait is one poll_recheck looks at (poll, select, epoll, WAIT_READ,
 * WAIT_SPLICE): set with the wait; dropped when it ends or p is freed. */
void poll_waiter_add(struct proc *p);
void poll_waiter_drop(struct proc *p);
/* The process whose poll, select or epoll asks a file's poll operation
 * (NULL: none): a signalfd is ready for the signals of its asker, as
 * Linux's is for current's. */
extern struct proc *poll_current;
/* A read of a file that has nothing yet (signalfd, inotify): p waits
 * (WAIT_READ, holding f) until f's poll says POLLIN, and the read is then
 * done again with f's read operation, its answer the reply. */
struct sys_ctx;
struct file;
void wait_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len);
/* The same for an ioctl (a seccomp listener's NOTIF_RECV): done again
 * with f's ioctl operation once f's poll says POLLIN; a signal ends it
 * with EINTR. */
void wait_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg);
/* The timer's notification: deadlines that passed end their waits. */
void timers_fire(void);

#endif
