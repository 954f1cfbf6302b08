/*
 * personalities/linux/seccomp.h - a thread's seccomp state: its mode and
 * the chain of filters it runs before every call, newest first, shared
 * with the threads and children that inherited them.
 *
 * Entry points: seccomp_stops (main.c, before a call runs, in a mode
 * other than disabled), seccomp_inherit (fork.c), seccomp_drop
 * (proc.c), seccomp_prctl (prctl.c), seccomp_filters (procfs.c).
 * Layer: proc (its state is in struct proc).  Book: docs/linux.md,
 * "Seccomp".
 */
#ifndef LINUX_SECCOMP_H
#define LINUX_SECCOMP_H
#include <stdbool.h>
#include <stdint.h>

struct seccomp_filter;
struct seccomp_state {
    int mode;                      /* SECCOMP_MODE_* */
    struct seccomp_filter *filter; /* the newest; each holds a reference to the one before */
};

struct sys_ctx;
struct proc;
/* Whether the call nr must not run, by p's mode and filters: then *result
 * is its answer (an errno's), or c->no_reply is set (the thread or its
 * process ended, or a SIGSYS handler runs). */
bool seccomp_stops(struct sys_ctx *c, uint64_t nr, int64_t *result);
/* A child or new thread of p starts with p's mode and filters. */
void seccomp_inherit(struct seccomp_state *child, const struct seccomp_state *p);
/* A thread is gone: its reference to its filters is dropped. */
void seccomp_drop(struct seccomp_state *s);
/* prctl's PR_SET_SECCOMP and PR_GET_SECCOMP. */
int64_t seccomp_prctl(struct sys_ctx *c, int option, uint64_t mode, uint64_t prog);
/* How many filters a thread runs (/proc/PID/status's Seccomp_filters). */
int seccomp_filters(const struct seccomp_state *s);

/* User notification (seccompnotify.c): a new listener, its file at a
 * new close-on-exec descriptor of p (the descriptor, or -errno), with a
 * reference for the filter; whether it is still open; the filter's
 * (filter true: no thread runs it now) or the file's reference dropped;
 * the call of c queued on it, waiting (false: no memory); a waiting
 * thread p interrupted, its notification gone. */
struct seccomp_listener;
struct seccomp_data;
int64_t seccomp_listener_new(struct proc *p, struct seccomp_listener **out);
bool seccomp_listener_live(const struct seccomp_listener *l);
void seccomp_listener_put(struct seccomp_listener *l, bool filter);
bool seccomp_notify(struct sys_ctx *c, struct seccomp_listener *l, uint64_t nr, const struct seccomp_data *d);
void seccomp_notify_cancel(struct proc *p);

#endif
