/*
 * kernel/errno.h - error numbers of the native ABI.  Kernel calls return a
 * negative one of these.  The values match Linux's so that tools and
 * personalities read them the same way.
 * Book: docs/abi.md.
 */
#ifndef PERSONA_ERRNO_H
#define PERSONA_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define ENOEXEC 8
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EINVAL 22
#define ENOSPC 28
#define EPIPE 32
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ETIMEDOUT 110

#endif
