/*
 * personalities/linux/seccomp.h - a thread's seccomp state: its mode and
 * the chain of filters it runs before every call, newest first, shared
 * with the threads and children that inherited them.
 *
 * Entry points: seccomp_stops (main.c, before a call runs, in a mode
 * other than disabled), seccomp_inherit (fork.c), seccomp_drop
 * (proc.c), seccomp_prctl (sys.c's prctl), seccomp_filters (procfs.c).
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

#endif
