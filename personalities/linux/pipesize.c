/*
 * personalities/linux/pipesize.c - a pipe's capacity and what it costs
 * its user, as Linux's pipe.c counts them: a pipe or FIFO charges its
 * creator's real user its pages (16 for a new one); past
 * /proc/sys/fs/pipe-user-pages-soft an unprivileged user's new pipe gets
 * 2 pages, past pipe-user-pages-hard none (ENFILE), and F_SETPIPE_SZ may
 * not grow a pipe past either (EPERM); CAP_SYS_RESOURCE or
 * CAP_SYS_ADMIN is not held to them.  The charge goes with the pipe.
 *
 * Entry points: pipe_account, pipe_unaccount (pipepriv.h), pipe_fcntl_size
 * (pipe.h).  Callers: pipe.c, file.c's fcntl.  Layer: a file type, with
 * pipe.c.  Book: docs/linux.md, "Files".
 */
#include "sysctl.h"
#include "pipe.h"
#include "pipepriv.h"
#include "proc.h"
#include <stdlib.h>

#define PAGE 4096
#define PIPE_MIN_DEF_BUFFERS 2

/* Linux's pipe_is_unprivileged_user. */
static bool unprivileged(const struct cred *cr)
{
    return !cred_capable(cr, CAP_SYS_RESOURCE) && !cred_capable(cr, CAP_SYS_ADMIN);
}

/* too_many_pipe_buffers_soft or _hard for a user holding n pages. */
static bool over_soft(uint64_t n) { return sysctl_pipe_user_pages_soft && n > sysctl_pipe_user_pages_soft; }
static bool over_hard(uint64_t n) { return sysctl_pipe_user_pages_hard && n > sysctl_pipe_user_pages_hard; }
static bool over(uint64_t n) { return over_soft(n) || over_hard(n); }

int pipe_account(struct pipe *pp, const struct cred *cr)
{
    size_t pages = pp->cap / PAGE;
    uint64_t held = ucount_get(cr->uid, UCOUNT_PIPE_BUFS);
    if (unprivileged(cr) && over_soft(held + pages))
        pages = PIPE_MIN_DEF_BUFFERS, pp->cap = pages * PAGE; /* the buffer stays, its ring is smaller */
    if (unprivileged(cr) && over_hard(held + pages))
        return -LINUX_ENFILE;
    ucount_charge(cr->uid, UCOUNT_PIPE_BUFS, pages, UINT64_MAX);
    pp->acct = true, pp->acct_uid = cr->uid, pp->acct_pages = pages;
    return 0;
}

void pipe_unaccount(struct pipe *pp)
{
    if (pp->acct)
        ucount_uncharge(pp->acct_uid, UCOUNT_PIPE_BUFS, pp->acct_pages);
    pp->acct = false;
}

/* F_GETPIPE_SZ and F_SETPIPE_SZ: the capacity, which a change rounds up
 * to a power-of-two number of pages, at most pipe-max-size without
 * CAP_SYS_RESOURCE (and 64 MiB with it: the server's memory), never past
 * the user's limits for an unprivileged user (EPERM), never below what
 * the pipe holds (EBUSY). */
int64_t pipe_fcntl_size(struct file *f, int cmd, uint64_t arg)
{
    if (!f->pipe || (f->kind != FILE_PIPE_R && f->kind != FILE_PIPE_W))
        return -LINUX_EBADF;
    struct pipe *pp = f->pipe;
    if (cmd == F_GETPIPE_SZ)
        return (int64_t)pp->cap;
    uint32_t want = (uint32_t)arg;
    if (want > 1u << 31)
        return -LINUX_EINVAL;
    size_t size = 4096;
    while (size < want)
        size <<= 1;
    if (size > (size_t)sysctl_pipe_max_size && size > pp->cap && !cred_capable(fs_cred, CAP_SYS_RESOURCE))
        return -LINUX_EPERM;
    size_t pages = size / PAGE;
    if (pp->acct && pages > pp->acct_pages && unprivileged(fs_cred) && /* the user's limits */
        over(ucount_get(pp->acct_uid, UCOUNT_PIPE_BUFS) - pp->acct_pages + pages))
        return -LINUX_EPERM;
    if (size > 64 * 1048576)
        return -LINUX_ENOMEM;
    if (pipe_used(pp) > size)
        return -LINUX_EBUSY;
    char *buf = malloc(size);
    if (!buf)
        return -LINUX_ENOMEM;
    pipe_kread(pp, buf, pp->len, 0, true); /* the data, from the start of the new ring */
    free(pp->buf);
    pp->buf = buf, pp->cap = size, pp->head = 0;
    if (pp->acct) {
        ucount_uncharge(pp->acct_uid, UCOUNT_PIPE_BUFS, pp->acct_pages);
        ucount_charge(pp->acct_uid, UCOUNT_PIPE_BUFS, pages, UINT64_MAX);
        pp->acct_pages = pages;
    }
    pipe_progress(pp);
    return (int64_t)size;
}
