/*
 * personalities/linux/klog.h - the personality's kernel log, as Linux's
 * printk ring: every diagnostic line the server writes, with its level and
 * its time since boot, kept for syslog(2) (klogctl), which dmesg reads
 * (klog.c).  A line reaches the system console (the server's standard
 * output) only when its level is below the console log level: Linux's
 * default 7 when the Linux terminal is a line of its own (persona-run:
 * the console is then the system log), but 4 when the terminal is the
 * console itself (`make run`), so that only errors and warnings interrupt
 * a person's screen; "loglevel=N" on the kernel command line sets it, as
 * on Linux, and so does syslog(SYSLOG_ACTION_CONSOLE_LEVEL).
 *
 * Entry points: klog (everywhere), klog_init (main.c), klog_printk
 * (sysctl.c), and the ring's records for /dev/kmsg (kmsg.c).  Layer: the bottom,
 * with uapi.h.  Book: docs/linux.md, "The terminal".
 */
#ifndef LINUX_KLOG_H
#define LINUX_KLOG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Linux's log levels (linux/kern_levels.h). */
enum { KERN_EMERG, KERN_ALERT, KERN_CRIT, KERN_ERR, KERN_WARNING, KERN_NOTICE, KERN_INFO, KERN_DEBUG };

/* terminal_is_console: the Linux terminal is the system console. */
void klog_init(const char *cmdline, bool terminal_is_console);
/* A line (no newline needed) into the log, and onto the console if its
 * level is below the console's. */
void klog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* /proc/sys/kernel/printk (sysctl.c writes it): console_loglevel,
 * default_message_loglevel, minimum_console_loglevel and
 * default_console_loglevel, as Linux's console_printk. */
extern int klog_printk[4];
/* /dev/kmsg's view of the ring (kmsg.c): the first line still kept, the
 * next to come, the first SYSLOG_ACTION_CLEAR left; line seq's priority
 * (facility << 3 | level), time since boot (us) and text, false if it is
 * gone or yet to come; and a line written with a priority of its own (n
 * bytes of text): without a final newline it is readable only once the
 * next line is written, as Linux's ring finalizes a record. */
uint64_t klog_first(void);
uint64_t klog_next(void);
uint64_t klog_cleared(void);
bool klog_record(uint64_t seq, int *prio, uint64_t *usec, const char **text);
void klog_user(int prio, const char *text, size_t n);
/* A reader of /dev/kmsg waits or polls for the next line: it is woken
 * (poll_recheck) when one comes. */
void klog_watch(void);
/* Whether cr may read the log: CAP_SYSLOG or CAP_SYS_ADMIN, or anyone
 * for syslog's READ_ALL and SIZE_BUFFER and /dev/kmsg's open
 * (open_action) when kernel/dmesg_restrict is 0. */
struct cred;
bool klog_may_read(const struct cred *cr, bool open_action);
/* Whether lines are there that syslog's READ (and /proc/kmsg) have not
 * read; their copy into ubuf (at most len bytes), the bytes copied, and
 * they count as read (kmsg.c's /proc/kmsg). */
struct sys_ctx;
bool klog_unread(void);
int64_t klog_read_unread(struct sys_ctx *c, uint64_t ubuf, uint64_t len);

#endif
