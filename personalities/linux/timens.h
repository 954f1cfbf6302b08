/*
 * personalities/linux/timens.h - time namespaces (timens.c): the offsets a
 * time namespace adds to CLOCK_MONOTONIC and CLOCK_BOOTTIME (and their
 * kin) for the processes in it, as Linux's struct time_namespace keeps
 * them: set through /proc/PID/timens_offsets of a process whose children
 * will be in it, until a first process enters it (then they are frozen);
 * read by clock_gettime, the vDSO (through the system call: vdso.c),
 * sysinfo, /proc/uptime and /proc/PID/stat; and taken off an absolute time
 * given in the namespace (clock_nanosleep, timer_settime, timerfd_settime,
 * futex) to make it the kernel's.
 *
 * Entry points: timens_from_host, timens_to_host, timens_fork (ns.c),
 * timens_install (setns.c), timens_away (vdso.c), timens_show and
 * timens_write (procpidset.c).  Layer: proc.  Book: docs/linux.md,
 * "Programs and processes".
 */
#ifndef LINUX_TIMENS_H
#define LINUX_TIMENS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct proc;
struct ns;

/* A time namespace's offsets (struct ns's time): CLOCK_MONOTONIC's and
 * CLOCK_BOOTTIME's, each seconds and ns (0..999999999) as
 * timens_offsets shows them; frozen once a process has entered it. */
struct timens {
    int64_t sec[2], nsec[2];
    bool frozen;
};

/* clock's time ns (the kernel's) as p's time namespace shows it (p NULL:
 * the initial one's, no offset). */
uint64_t timens_from_host(const struct proc *p, int clock, uint64_t ns);
/* An absolute time ns on clock in p's namespace as the kernel's (Linux's
 * timens_ktime_to_host): one before the offset is 0, long past. */
uint64_t timens_to_host(const struct proc *p, int clock, uint64_t ns);
/* Whether p is in a time namespace other than the initial one. */
bool timens_away(const struct proc *p);
/* A new process or thread t of p's, its namespaces copied (ns_fork,
 * ns_thread): as Linux's timens_on_fork, it enters its time namespace
 * for children if that is not its own, freezing its offsets; a process
 * with memory of its own has its vDSO read them. */
void timens_fork(struct proc *t, const struct proc *p);
/* setns: p (single-threaded, checked) enters time namespace n, its own
 * and its children's, as Linux's timens_install and timens_commit. */
void timens_install(struct proc *p, struct ns *n);
/* /proc/PID/timens_offsets of p: its time namespace for children's
 * offsets, through procfs_put (none for an ended process). */
void timens_show(struct proc *p);
/* A write of data (n bytes at off) to p's timens_offsets by w: the bytes
 * taken, or -EINVAL (bad text), -ESRCH (p has ended), -EPERM (no
 * CAP_SYS_TIME), -ERANGE, -EACCES
 * (a process has entered the namespace), as Linux's
 * proc_timens_set_offset. */
int64_t timens_write(struct proc *p, struct proc *w, uint64_t off, const void *data, size_t n);

#endif
