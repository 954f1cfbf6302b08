/*
 * personalities/linux/klog.c - the personality's kernel log (klog.h): a
 * ring of the last KLOG_LINES lines, each with its level and its time since
 * boot, and syslog(2), which reads it as Linux's does ("<6>[    1.234567]
 * text" lines): read all, read and clear, clear, the sizes, the console's
 * level and switch, each root's (CAP_SYSLOG: Debian's dmesg_restrict).  A
 * destructive read (SYSLOG_ACTION_READ) takes what
 * is unread without waiting for more.  The console's levels are
 * /proc/sys/kernel/printk's (klog_printk).
 *
 * Entry points: klog.h; the call syslog.  Layer: the bottom, with uapi.h
 * and the clock (and poll_recheck, which wakes /dev/kmsg's readers).
 * Book: docs/linux.md, "The terminal".
 */
#include "klog.h"
#include "proc.h"
#include "sysctl.h"
#include "time.h"
#include "wait.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "linux_entries/klog.h" /* generated: the handlers' prototypes, entries */

#define KLOG_LINES 256
#define KLOG_TEXT 1024 /* Linux's LOG_LINE_MAX is 992 */

static struct {
    uint64_t seq;          /* the line's number, from 0 */
    uint64_t usec;         /* since boot */
    int level;             /* with its facility: facility << 3 | level (0: the kernel's) */
    char text[KLOG_TEXT];
} lines[KLOG_LINES];
static uint64_t next_seq;       /* the next line's number */
static uint64_t first_shown;    /* SYSLOG_ACTION_CLEAR: reads start here */
static uint64_t first_unread;   /* SYSLOG_ACTION_READ's */
/* /proc/sys/kernel/printk: the console's level (lines below it reach the
 * console), the level of a line that names none, the least the console's
 * may be set to, and its default; and the console's level before
 * SYSLOG_ACTION_CONSOLE_OFF (-1: none saved), as Linux's. */
int klog_printk[4] = {7, 4, 1, 7};
#define console_level klog_printk[0]
static int saved_level = -1;

void klog_init(const char *cmdline, bool terminal_is_console)
{
    if (terminal_is_console)
        console_level = KERN_WARNING;
    unsigned n = cmdline_number(cmdline, "loglevel=");
    if (n >= 1 && n <= 8)
        console_level = (int)n;
}

static bool last_open; /* the newest line, written without a newline, is not yet readable */
static bool watched;   /* a reader of /dev/kmsg waits or polls for the next line (klog_watch) */

void klog_watch(void) { watched = true; }

/* A new line of the ring, its text to be written. */
static __typeof__(lines[0]) *new_line(int prio)
{
    last_open = false; /* a new line ends the one before it, as Linux's ring finalizes it */
    uint64_t seq = next_seq++;
    __typeof__(lines[0]) *l = &lines[seq % KLOG_LINES];
    l->seq = seq, l->level = prio, l->usec = clock_now() / 1000;
    return l;
}

/* Line l written: the console shows it if its level is below the
 * console's, and the readers of /dev/kmsg waiting for a line look again. */
static void shown(const __typeof__(lines[0]) *l)
{
    if ((l->level & 7) < console_level) {
        printf("%s\n", l->text);
        fflush(stdout);
    }
    if (watched) {
        watched = false;
        poll_recheck();
    }
}

void klog(int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    __typeof__(lines[0]) *l = new_line(level);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
    size_t n = strlen(linux_name);
    if (strncmp(l->text, "linux: ", 7) == 0 && n < 40 && strcmp(linux_name, "linux") != 0) {
        char tmp[KLOG_TEXT]; /* another instance: its own name starts its lines */
        snprintf(tmp, sizeof tmp, "%s: %s", linux_name, l->text + 7);
        memcpy(l->text, tmp, sizeof tmp);
    }
    shown(l);
}

void klog_user(int prio, const char *text, size_t n)
{
    __typeof__(lines[0]) *l = new_line(prio);
    bool newline = n && text[n - 1] == '\n';
    n -= newline;
    n = n < KLOG_TEXT - 1 ? n : KLOG_TEXT - 1;
    memcpy(l->text, text, n);
    l->text[n] = '\0';
    last_open = !newline;
    shown(l);
}

uint64_t klog_first(void) { return next_seq > KLOG_LINES ? next_seq - KLOG_LINES : 0; }
uint64_t klog_next(void) { return next_seq - last_open; }
uint64_t klog_cleared(void) { return first_shown > klog_first() ? first_shown : klog_first(); }

bool klog_record(uint64_t seq, int *prio, uint64_t *usec, const char **text)
{
    if (seq < klog_first() || seq >= klog_next())
        return false;
    const __typeof__(lines[0]) *l = &lines[seq % KLOG_LINES];
    *prio = l->level, *usec = l->usec, *text = l->text;
    return true;
}

/* Line seq as syslog shows it, into buf (at most size bytes); its length. */
static size_t format(uint64_t seq, char *buf, size_t size)
{
    const __typeof__(lines[0]) *l = &lines[seq % KLOG_LINES];
    int n = snprintf(buf, size, "<%d>[%5lu.%06lu] %s\n", l->level, (unsigned long)(l->usec / 1000000),
                     (unsigned long)(l->usec % 1000000), l->text);
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

/* The oldest line still in the ring at or after from. */
static uint64_t oldest(uint64_t from) { return next_seq > KLOG_LINES && from < next_seq - KLOG_LINES ? next_seq - KLOG_LINES : from; }

/* Copies the lines from first to the end into ubuf, at most len bytes:
 * the most recent that fit (newest, as Linux's READ_ALL), else the oldest
 * (READ), with *reached the first line not copied.  The bytes written. */
static int64_t copy_lines(struct sys_ctx *c, uint64_t first, uint64_t ubuf, uint64_t len, bool newest,
                          uint64_t *reached)
{
    char line[KLOG_TEXT + 32];
    uint64_t from = oldest(first), total = 0;
    for (uint64_t s = from; s < next_seq; s++)
        total += format(s, line, sizeof line);
    for (uint64_t s = from; newest && s < next_seq && total > len; s++)
        total -= format(s, line, sizeof line), from = s + 1;
    uint64_t at = 0;
    for (uint64_t s = from; s < next_seq; s++) {
        size_t n = format(s, line, sizeof line);
        if (at + n > len)
            break;
        if (mem_out(c->p, ubuf + at, line, n) < 0)
            return -LINUX_EFAULT;
        at += n;
        *reached = s + 1;
    }
    return (int64_t)at;
}

enum { SYSLOG_CLOSE, SYSLOG_OPEN, SYSLOG_READ, SYSLOG_READ_ALL, SYSLOG_READ_CLEAR, SYSLOG_CLEAR, SYSLOG_CONSOLE_OFF,
       SYSLOG_CONSOLE_ON, SYSLOG_CONSOLE_LEVEL, SYSLOG_SIZE_UNREAD, SYSLOG_SIZE_BUFFER };

bool klog_may_read(const struct cred *cr, bool open_action)
{
    return (open_action && !sysctl_dmesg_restrict) || cred_capable(cr, CAP_SYSLOG) || cred_capable(cr, CAP_SYS_ADMIN);
}

bool klog_unread(void) { return oldest(first_unread) < next_seq; }

/* SYSLOG_ACTION_READ's copy of the lines not read yet, and /proc/kmsg's:
 * those that fit, the rest left for the next read, as Linux's
 * syslog_print. */
int64_t klog_read_unread(struct sys_ctx *c, uint64_t ubuf, uint64_t len)
{
    uint64_t reached = oldest(first_unread);
    int64_t r = copy_lines(c, first_unread, ubuf, len, false, &reached);
    if (r >= 0)
        first_unread = reached;
    return r;
}

static int64_t sys_syslog(struct sys_ctx *c, int type, uint64_t ubuf, int len)
{
    char line[KLOG_TEXT + 32];
    int64_t r;
    /* Linux's check_syslog_permissions: every action is CAP_SYSLOG's (or
     * CAP_SYS_ADMIN's), before anything, but READ_ALL and SIZE_BUFFER
     * anyone's when kernel/dmesg_restrict is 0 (Debian's default is 1) */
    if (!klog_may_read(&c->p->cred, type == SYSLOG_READ_ALL || type == SYSLOG_SIZE_BUFFER))
        return -LINUX_EPERM;
    switch (type) {
    case SYSLOG_CLOSE:
    case SYSLOG_OPEN:
        return 0;
    case SYSLOG_READ:
    case SYSLOG_READ_ALL:
    case SYSLOG_READ_CLEAR:
        if (!ubuf || len < 0)
            return -LINUX_EINVAL;
        if (!len)
            return 0;
        if (type == SYSLOG_READ)
            return klog_read_unread(c, ubuf, (uint64_t)len);
        uint64_t reached;
        r = copy_lines(c, first_shown, ubuf, (uint64_t)len, true, &reached);
        if (r >= 0 && type == SYSLOG_READ_CLEAR)
            first_shown = next_seq;
        return r;
    case SYSLOG_CLEAR:
        first_shown = next_seq;
        return 0;
    case SYSLOG_CONSOLE_OFF: /* down to the least, the level kept for CONSOLE_ON */
        saved_level = saved_level < 0 ? console_level : saved_level;
        console_level = klog_printk[2];
        return 0;
    case SYSLOG_CONSOLE_ON:
        if (saved_level >= 0)
            console_level = saved_level, saved_level = -1;
        return 0;
    case SYSLOG_CONSOLE_LEVEL:
        if (len < 1 || len > 8)
            return -LINUX_EINVAL;
        console_level = len < klog_printk[2] ? klog_printk[2] : len;
        saved_level = -1;
        return 0;
    case SYSLOG_SIZE_UNREAD:
        r = 0;
        for (uint64_t s = oldest(first_unread); s < next_seq; s++)
            r += (int64_t)format(s, line, sizeof line);
        return r;
    case SYSLOG_SIZE_BUFFER:
        return KLOG_LINES * (KLOG_TEXT + 32);
    default:
        return -LINUX_EINVAL;
    }
}
