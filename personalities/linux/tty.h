/*
 * personalities/linux/tty.h - the terminal: a Linux line discipline over
 * the console server (tty.c).  Its state (settings, the input line, the
 * readers waiting) is the server thread's; the reader thread that brings
 * typed bytes only calls the server's endpoint (TTY_INPUT_BADGE).
 *
 * Entry points: tty_init, tty_set_size and tty_input (main.c),
 * console_fops (the file operations of the terminal's devices, which dev.c
 * hands out, and of process 1's console), the waits tty_cancel,
 * tty_waiting, tty_next_deadline and tty_timeout, and tty_foreground
 * (procfs).
 *
 * Layer: a file type, above file.h; it signals process groups (job
 * control).  Book: docs/linux.md, "The terminal".
 */
#ifndef LINUX_TTY_H
#define LINUX_TTY_H
#include "file.h"

void tty_init(const char *endpoint_name);
/* The initial size from the kernel command line's linux.rows= and
 * linux.cols= (the words before "--"). */
void tty_set_size(const char *cmdline);
/* The badge of the console's calls with typed bytes: above every badge
 * proc_new_badge hands out. */
#define TTY_INPUT_BADGE (1ull << 62)
static inline bool tty_is_input(const struct ipc_info *info) { return info->badge == TTY_INPUT_BADGE; }
void tty_input(const char *buf, size_t n);
/* The terminal's file operations (dev.c: /dev/tty and /dev/console). */
extern const struct file_ops console_fops;
bool tty_cancel(struct proc *p, uint64_t *token);
bool tty_waiting(const struct proc *p);
uint64_t tty_next_deadline(void); /* a reader's VTIME, or 0 */
void tty_timeout(uint64_t now);
int tty_foreground(void); /* the foreground process group */
/* What fstat says of a console descriptor with no node of the file system
 * (process 1's, when there was no /dev/console to give it). */
extern struct inode console_inode;

#endif
