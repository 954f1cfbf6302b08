/*
 * personalities/linux/tty.h - terminals: a Linux line discipline (tty.c)
 * over the console server, and the pseudo-terminals (pty.c), whose slave
 * side is a terminal of the same kind with its output going to the
 * master.  A terminal's state (settings, the input line, the readers
 * waiting) is the server thread's; the reader thread that brings typed
 * bytes only calls the server's endpoint (TTY_INPUT_BADGE).
 *
 * Entry points: tty_init, tty_set_size and tty_input (main.c),
 * console_fops (the file operations of the console's devices, which dev.c
 * hands out, and of process 1's console), ptmx_fops (/dev/ptmx), the waits
 * tty_cancel, tty_waiting, tty_next_deadline and tty_timeout, and
 * tty_foreground (procfs).
 *
 * Layer: a file type, above file.h; it signals process groups (job
 * control).  Book: docs/linux.md, "The terminal".
 */
#ifndef LINUX_TTY_H
#define LINUX_TTY_H
#include "file.h"

/* A read waiting for input. */
struct tty_reader {
    struct proc *p;
    uint64_t token, buf, len;
    uint64_t deadline; /* non-canonical VTIME: when the read returns what it has; 0: none */
};

/* A terminal: the console, or a pseudo-terminal's slave. */
struct tty {
    struct ktermios tio;
    uint16_t winsize[4];         /* rows, columns, and the pixel sizes nobody uses */
    char in[4096];               /* typed input: the lines ready, then the line being edited */
    size_t in_len, in_ready;     /* in_ready: bytes a read may take */
    int eofs;                    /* pending end-of-file reads (VEOF on an empty line) */
    int fg_pgrp, sid;            /* the foreground process group; the session it is the controlling
                                    terminal of (0: none) */
    struct tty_reader readers[16];
    int nreaders;
    uint64_t last_input;         /* when the last byte came, on the clock */
    bool hung_up;                /* a pseudo-terminal whose master is closed: reads end, writes fail */
    void (*out)(struct tty *t, const char *buf, size_t n); /* the output, after OPOST */
    struct tty *next;            /* every terminal, for the waits */
};

/* The console through the endpoint so named; with input false, its output
 * only (a second instance beside one that reads the keyboard). */
void tty_init(const char *endpoint_name, bool input);
/* The initial size from the kernel command line's linux.rows= and
 * linux.cols= (the words before "--"). */
void tty_set_size(const char *cmdline);
/* The badge of the console's calls with typed bytes: above every badge
 * proc_new_badge hands out. */
#define TTY_INPUT_BADGE (1ull << 62)
static inline bool tty_is_input(const struct ipc_info *info) { return info->badge == TTY_INPUT_BADGE; }
void tty_input(const char *buf, size_t n);
/* The console's file operations (dev.c: /dev/tty and /dev/console). */
extern const struct file_ops console_fops;
bool tty_cancel(struct proc *p, uint64_t *token);
bool tty_waiting(const struct proc *p);
uint64_t tty_next_deadline(void); /* a reader's VTIME, or 0 */
void tty_timeout(uint64_t now);
int tty_foreground(void); /* the console's foreground process group */
/* What fstat says of a console descriptor with no node of the file system
 * (process 1's, when there was no /dev/console to give it). */
extern struct inode console_inode;

/* ---- the line discipline, for pty.c ---- */
/* A new terminal with Linux's default settings, listed; its output goes to out. */
void tty_setup(struct tty *t, void (*out)(struct tty *t, const char *buf, size_t n));
void tty_remove(struct tty *t);
/* Whether t is the console (not a pseudo-terminal's slave). */
bool tty_is_console(const struct tty *t);
/* The controlling terminal of session sid, or NULL. */
struct tty *tty_of_session(int sid);
/* An open without O_NOCTTY: t becomes the controlling terminal of p's
 * session if p leads one that has none, and t belongs to no session. */
void tty_claim(struct tty *t, struct proc *p);
/* Input (what a master writes), through the line discipline. */
void tty_receive(struct tty *t, const char *buf, size_t n);
/* Output through OPOST (and echoes) to t->out. */
void tty_write(struct tty *t, const char *buf, size_t n);
int64_t tty_read(struct sys_ctx *c, struct tty *t, struct file *f, uint64_t ubuf, uint64_t len);
/* Before a write: 0, -EIO (hung up), or a background job's SIGTTOU. */
int64_t tty_write_check(struct tty *t, struct proc *p);
int tty_poll(struct tty *t);
int64_t tty_ioctl(struct sys_ctx *c, struct tty *t, uint64_t req, uint64_t arg);
/* The master is gone: readers get end of file, the session SIGHUP. */
void tty_hangup(struct tty *t);

/* ---- pseudo-terminals (pty.c) ---- */
/* /dev/ptmx: each open makes a pseudo-terminal, its slave /dev/pts/N. */
extern const struct file_ops ptmx_fops;
/* /dev/pts/N's nodes open the slave through dev_file_ops (dev.c). */
extern const struct file_ops pts_fops;
/* f (opened as /dev/tty) becomes a file of t, a pseudo-terminal's slave. */
int pty_open_slave(struct sys_ctx *c, struct file *f, struct tty *t);
bool pty_cancel(struct proc *p, uint64_t *token);
bool pty_waiting(const struct proc *p);
/* The pairs open (kernel/pty/nr); /dev/ptmx's open is ENOSPC when one
 * more would reach kernel/pty/max, as Linux's devpts_new_index. */
int pty_count(void);
/* /dev/pts, made at boot. */
void pty_init(void);
#define DEVNO_PTMX 0x502
#define PTS_MAJOR 136

/* struct termio's view of k (termio.c): TCGETA's copy out to arg, and
 * TCSETA's copy in, onto k (the flags' high bits and the other control
 * characters kept, as Linux's user_termio_to_kernel_termios); 0 or
 * -EFAULT. */
int termio_out(struct proc *p, const struct ktermios *k, uint64_t arg);
int termio_in(struct proc *p, struct ktermios *k, uint64_t arg);

#endif
