/*
 * personalities/linux/epoll.h - epoll instances (epoll.c): files that hold
 * an interest list of other open files, and report which are ready.
 *
 * Entry points: epoll_collect, epoll_has_ready and epoll_notice (wait.c's
 * epoll_wait, and poll_recheck), epoll_arrival (pipes, counters), epoll_forget (file_put: a file
 * closed for good leaves every list).  Layer: a file type, above file.h.
 * Book: docs/linux.md, "Waiting".
 */
#ifndef LINUX_EPOLL_H
#define LINUX_EPOLL_H
#include "file.h"

/* Up to max ready events of epoll file ep into the user array uevents
 * (edge-triggered and one-shot entries updated as reported): their count,
 * or -EFAULT. */
int epoll_collect(struct file *ep, struct proc *p, uint64_t uevents, int max);
bool epoll_has_ready(struct file *ep);
/* Something changed (poll_recheck): edge-triggered entries note the
 * bits that dropped, which may then be reported when they come back
 * (only when there are such entries: epoll_edge_entries). */
void epoll_notice(void);
/* bits (POLLIN: data came; POLLOUT: room was made) arrived at obj, the
 * pipe or eventfd counter behind files: their edge-triggered entries
 * report those bits again, even if they never dropped, as Linux's
 * wakeups do. */
void epoll_arrival(const void *obj, uint32_t bits);
extern int epoll_edge_entries;
void epoll_forget(struct file *f);
/* kcmp's KCMP_EPOLL_TFD: the file the toff-th entry of descriptor tfd in
 * epoll file ep watches; NULL and *err -EINVAL (ep no epoll) or -ENOENT. */
struct file *epoll_target(struct file *ep, int tfd, uint64_t toff, int *err);
extern int epoll_live; /* instances there are: file_put calls epoll_forget only then */

#endif
