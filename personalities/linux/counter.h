/*
 * personalities/linux/counter.h - eventfd and timerfd, the files that
 * hold a 64-bit count (counter.c), which the descriptor calls reach
 * through their file operations.
 *
 * Entry points: timerfd_next and timerfd_fire (the server's timer,
 * wait.c), timerfd_clock_set (clock_settime, time.c), eventfd_signal
 * (native AIO's completions, aio.c).
 *
 * Layer: a file type, above file.h.  Book: docs/linux.md, "Files".
 */
#ifndef LINUX_COUNTER_H
#define LINUX_COUNTER_H
#include "file.h"

uint64_t timerfd_next(void); /* the earliest armed timerfd's expiry, or 0 */
void timerfd_fire(uint64_t now);
/* clock_settime moved CLOCK_REALTIME by moved ns (time.c). */
void timerfd_clock_set(int64_t moved);
/* An eventfd's count grows by n, as a write would (aio.c's IOCB_FLAG_RESFD). */
void eventfd_signal(struct file *f, uint64_t n);

#endif
