/*
 * tests/linux/c/labpipe.h - what the pipes lab's tests share: nap(ms),
 * and late_write, a child that writes to a pipe after a while.
 */
#ifndef TESTS_LINUX_LABPIPE_H
#define TESTS_LINUX_LABPIPE_H
#include <time.h>
#include <unistd.h>

static inline void nap(long ms) { nanosleep(&(struct timespec){0, ms * 1000000}, NULL); }

/* A child that writes "late" to fd 100 ms from now, then exits; its pid. */
static inline pid_t late_write(int fd)
{
    pid_t pid = fork();
    if (pid == 0) {
        nap(100);
        write(fd, "late", 4);
        _exit(0);
    }
    return pid;
}
#endif
