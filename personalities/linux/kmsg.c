/*
 * personalities/linux/kmsg.c - /dev/kmsg (1:11), the kernel log as
 * Linux's devkmsg gives it: each read one record of klog.c's ring,
 * "PRIO,SEQ,USEC,-;TEXT\n" (PRIO facility << 3 | level, the text's
 * unprintable bytes and '\' as \xNN), EINVAL if the buffer is short (the
 * record is then passed), EPIPE once if records the reader had not read
 * were overwritten, EAGAIN with O_NONBLOCK at the end, else a wait for
 * the next record (poll's POLLIN); lseek's SEEK_SET (the first record
 * kept), SEEK_DATA (the first after SYSLOG_ACTION_CLEAR) and SEEK_END
 * (the next to come), any offset but 0 ESPIPE.  Each write is one record
 * (at most 992 bytes, else EINVAL): a "<N>" prefix gives its level and
 * facility (the kernel's facility 0 becomes LOG_USER's 1, as does no
 * prefix, with default_message_loglevel), a final newline is dropped (a
 * record without one is read only once another comes: klog.c); a
 * writer's records past 10 in 5 s are dropped, as Linux's ratelimit.
 * Reading it needs CAP_SYSLOG (or CAP_SYS_ADMIN), EPERM, while
 * kernel/dmesg_restrict is 1 (Debian's); opening it only to write does
 * not.  The reader's place is the file's position, the next record's
 * number.  And /proc/kmsg (root's, 0400): the log as syslog's READ takes
 * it, the lines not read yet, once for all readers, a wait or EAGAIN
 * when there are none; its open needs CAP_SYSLOG whatever dmesg_restrict
 * says, as Linux's SYSLOG_ACTION_OPEN.
 *
 * Entry points: kmsg_fops (dev.c), prockmsg_fops (file.c's open of
 * procfs's node).  Layer: a device over klog.c's ring.
 * Book: docs/linux.md, "The terminal".
 */
#include "file.h"
#include "klog.h"
#include "proc.h"
#include "time.h"
#include "wait.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_LINE_MAX 992 /* CONSOLE_LOG_MAX - PREFIX_MAX */
#define RATELIMIT_NS 5000000000ull
#define RATELIMIT_BURST 10

/* A writer's rate limit: its window's start and the records in it. */
struct kmsg_user {
    uint64_t begin;
    int printed;
};

static int kmsg_open(struct sys_ctx *c, struct file *f, int flags)
{
    if ((flags & O_ACCMODE) != O_WRONLY && !klog_may_read(&c->p->cred, true)) /* as SYSLOG_ACTION_READ_ALL */
        return -LINUX_EPERM;
    f->pos = klog_first();
    return 0;
}

static void kmsg_release(struct file *f) { free(f->kmsg); }

/* Record seq in the format of /dev/kmsg into out (room for the longest);
 * its length. */
static size_t record(uint64_t seq, int prio, uint64_t usec, const char *text, char *out, size_t room)
{
    size_t n = (size_t)snprintf(out, room, "%d,%lu,%lu,-;", prio, (unsigned long)seq, (unsigned long)usec);
    for (const unsigned char *t = (const unsigned char *)text; *t && n + 5 < room; t++)
        n += *t < ' ' || *t >= 127 || *t == '\\' ? (size_t)snprintf(out + n, room - n, "\\x%02x", *t)
                                                 : (size_t)snprintf(out + n, room - n, "%c", *t);
    out[n++] = '\n';
    return n;
}

static int64_t kmsg_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    static char out[4 * LOG_LINE_MAX + 64];
    int prio;
    uint64_t usec;
    const char *text;
    if ((f->flags & O_ACCMODE) == O_WRONLY)
        return -LINUX_EBADF;
    if (f->pos < klog_first()) { /* what it had not read is gone */
        f->pos = klog_first();
        return -LINUX_EPIPE;
    }
    if (!klog_record(f->pos, &prio, &usec, &text)) {
        if (f->flags & O_NONBLOCK)
            return -LINUX_EAGAIN;
        klog_watch();
        wait_read(c, f, ubuf, len);
        return 0;
    }
    size_t n = record(f->pos, prio, usec, text, out, sizeof out);
    f->pos++;
    if (n > len)
        return -LINUX_EINVAL;
    return mem_out(c->p, ubuf, out, n) < 0 ? -LINUX_EFAULT : (int64_t)n;
}

static int64_t kmsg_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    static char buf[LOG_LINE_MAX + 1];
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -LINUX_EBADF;
    if (len > LOG_LINE_MAX)
        return -LINUX_EINVAL;
    if (!f->kmsg && !(f->kmsg = calloc(1, sizeof *f->kmsg)))
        return -LINUX_ENOMEM;
    uint64_t now = clock_now();
    if (!f->kmsg->begin || now - f->kmsg->begin >= RATELIMIT_NS)
        f->kmsg->begin = now, f->kmsg->printed = 0;
    if (f->kmsg->printed >= RATELIMIT_BURST)
        return (int64_t)len; /* dropped, as Linux's ___ratelimit */
    f->kmsg->printed++;
    if (mem_in(c->p, buf, ubuf, len) < 0)
        return -LINUX_EFAULT;
    buf[len] = '\0';
    int level = klog_printk[1], facility = 1; /* default_message_loglevel, LOG_USER */
    char *line = buf;
    if (line[0] == '<') { /* simple_strtoul's digits, then '>' */
        unsigned u = 0;
        char *end = line + 1;
        for (; *end >= '0' && *end <= '9'; end++)
            u = u * 10 + (unsigned)(*end - '0');
        if (*end == '>') {
            level = (int)(u & 7), facility = u >> 3 & 0xff ? (int)(u >> 3 & 0xff) : facility;
            line = end + 1;
        }
    }
    klog_user(facility << 3 | level, line, strlen(line));
    return (int64_t)len;
}

static int kmsg_poll(struct file *f)
{
    int prio;
    uint64_t usec;
    const char *text;
    if (f->pos < klog_first())
        return POLLIN | POLLRDNORM | POLLERR | POLLPRI;
    if (klog_record(f->pos, &prio, &usec, &text))
        return POLLIN | POLLRDNORM;
    klog_watch(); /* a poll, select or epoll may wait for the next */
    return 0;
}

static int64_t kmsg_llseek(struct file *f, int64_t off, int whence)
{
    if (off)
        return -LINUX_ESPIPE;
    switch (whence) {
    case SEEK_SET: f->pos = klog_first(); return 0;
    case SEEK_DATA: f->pos = klog_cleared(); return 0;
    case SEEK_END: f->pos = klog_next(); return 0;
    default: return -LINUX_EINVAL;
    }
}

/* /proc/kmsg (root's, 0400): the log as syslog's SYSLOG_ACTION_READ
 * reads it, each line once for all its readers; its open needs
 * CAP_SYSLOG or CAP_SYS_ADMIN whatever dmesg_restrict says (Linux's
 * SYSLOG_ACTION_OPEN); a read with nothing unread waits, or EAGAIN. */
static int prockmsg_open(struct sys_ctx *c, struct file *f, int flags)
{
    (void)f, (void)flags;
    return klog_may_read(&c->p->cred, false) ? 0 : -LINUX_EPERM;
}

static int64_t prockmsg_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    if (!ubuf)
        return -LINUX_EINVAL;
    if (!len)
        return 0;
    if (!klog_unread()) {
        if (f->flags & O_NONBLOCK)
            return -LINUX_EAGAIN;
        klog_watch();
        wait_read(c, f, ubuf, len);
        return 0;
    }
    return klog_read_unread(c, ubuf, len);
}

static int prockmsg_poll(struct file *f)
{
    (void)f;
    if (klog_unread())
        return POLLIN | POLLRDNORM;
    klog_watch();
    return 0;
}

const struct file_ops prockmsg_fops = {.read = prockmsg_read, .open = prockmsg_open, .poll = prockmsg_poll};

const struct file_ops kmsg_fops = {.read = kmsg_read, .write = kmsg_write, .open = kmsg_open, .release = kmsg_release,
                                   .poll = kmsg_poll, .llseek = kmsg_llseek, .stream = false};
