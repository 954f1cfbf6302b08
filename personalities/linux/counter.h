/*
 * personalities/linux/counter.h - eventfd and timerfd, the files that
 * hold a 64-bit count (counter.c).
 *
 * Entry points: counter_io, counter_poll, counter_close (the file type's
 * operations: io.c, wait.c, file_put), timerfd_next and timerfd_fire (the
 * server's timer, wait.c).
 *
 * Layer: a file type, above file.h.  Book: docs/linux.md, "Files".
 */
#ifndef LINUX_COUNTER_H
#define LINUX_COUNTER_H
#include "file.h"

int64_t counter_io(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, bool write);
int counter_poll(struct file *f);
void counter_close(struct file *f);
uint64_t timerfd_next(void); /* the earliest armed timerfd's expiry, or 0 */
void timerfd_fire(uint64_t now);

#endif
