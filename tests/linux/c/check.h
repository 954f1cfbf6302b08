/*
 * tests/linux/c/check.h - CHECK(expr): one line per check, the expression,
 * its value, and the error's text when it is negative, so that a program's
 * output can be compared line by line with the host's; errno_name,
 * the name of an errno; and read_text and write_text, a file's one read or write.
 */
#ifndef TESTS_LINUX_CHECK_H
#define TESTS_LINUX_CHECK_H
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
    case EEXIST: return "EEXIST";
    case EACCES: return "EACCES";
    case EBUSY: return "EBUSY";
    default: return strerror(e);
    }
}

/* path's text in one read(2) into buf (of size bytes, NUL-ended): its
 * length, or -1 with errno. */
static inline long read_text(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    long n = fd < 0 ? -1 : (long)read(fd, buf, size - 1);
    int e = errno;
    if (fd >= 0)
        close(fd);
    buf[n < 0 ? 0 : n] = '\0';
    errno = e;
    return n;
}

/* text written to path in one write(2): the bytes taken, or -1 with
 * errno (*opened false when the open itself failed). */
static inline long write_text(const char *path, const char *text, int *opened)
{
    int fd = open(path, O_WRONLY);
    *opened = fd >= 0;
    if (fd < 0)
        return -1;
    long n = (long)write(fd, text, strlen(text));
    int e = errno;
    close(fd);
    errno = e;
    return n;
}

#endif
