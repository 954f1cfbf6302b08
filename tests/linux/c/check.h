/*
 * tests/linux/c/check.h - CHECK(expr): one line per check, the expression,
 * its value, and the error's text when it is negative, so that a program's
 * output can be compared line by line with the host's; and errno_name,
 * the name of an errno.
 */
#ifndef TESTS_LINUX_CHECK_H
#define TESTS_LINUX_CHECK_H
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define CHECK(expr)                                                                                      \
    do {                                                                                                 \
        long r_ = (long)(expr);                                                                          \
        printf("%-56s = %ld%s%s\n", #expr, r_, r_ < 0 ? " " : "", r_ < 0 ? strerror(errno) : "");      \
        errno = 0;                                                                                       \
    } while (0)

/* An errno's name, for the common ones (else its text). */
static inline const char *errno_name(int e)
{
    switch (e) {
    case EINVAL: return "EINVAL";
    case EPERM: return "EPERM";
    case ESRCH: return "ESRCH";
    case EBADF: return "EBADF";
    case EFAULT: return "EFAULT";
    case ENOENT: return "ENOENT";
    case ECHILD: return "ECHILD";
    case ENOSYS: return "ENOSYS";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    default: return strerror(e);
    }
}

#endif
