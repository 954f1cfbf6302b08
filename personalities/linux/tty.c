/*
 * personalities/linux/tty.c - the terminal: a Linux line discipline over
 * the console server, which runs raw.  Input arrives through a reader
 * thread (the only other thread of this server): it waits on the console
 * and calls our own endpoint with the bytes, badged TTY_INPUT_BADGE.
 *
 * Canonical mode assembles lines with VERASE, VKILL and VEOF and echoes;
 * non-canonical mode follows VMIN and VTIME: a read returns once VMIN
 * bytes are there, or VTIME tenths of a second after the last byte (VMIN
 * > 0), or after it started (VMIN 0); the server's timer (wait.c) asks
 * tty_next_deadline for those.
 * ISIG's VINTR and VQUIT signal the foreground process group.  Output
 * gets OPOST/ONLCR.  The size (TIOCGWINSZ) starts as the kernel command
 * line's linux.rows= and linux.cols= say, or 24 by 80, and follows the
 * host terminal's: xterm's size report in the input, "ESC [ 8 ; ROWS ;
 * COLS t", which scripts/persona-shell sends when its terminal is resized,
 * is taken out of the input and changes the size, as TIOCSWINSZ does
 * (SIGWINCH to the foreground process group when the size changed).
 *
 * Entry points: tty.h.  Layer: a file type, above file.h; it signals
 * process groups (job control).  Book: docs/linux.md, "The terminal".
 */
#include "klog.h"
#include "dev.h"
#include "proc.h"
#include "time.h"
#include "tty.h"
#include <persona/console.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What fstat says of a console descriptor with no node: process 1's, if
 * the root file system had no /dev/console when it started (exec.c gives
 * it that node): a character device, as the kernel's console is. */
struct inode console_inode = {.mode = S_IFCHR | 0620, .nlink = 1, .ino = 0x500, .rdev = DEVNO_CONSOLE, .gid = 5,
                              .fs = &rootfs};
static int tty_ep = -1;
static struct tty *ttys; /* every terminal: the console, and each pseudo-terminal's slave */

static void console_out(struct tty *t, const char *buf, size_t n);
/* The console: init's session (1) has it as its controlling terminal. */
static struct tty console = {.out = console_out, .fg_pgrp = 1, .sid = 1, .winsize = {24, 80, 0, 0}};

void tty_setup(struct tty *t, void (*out)(struct tty *t, const char *buf, size_t n))
{
    static const struct ktermios defaults = {ICRNL | IXON, OPOST | ONLCR, B38400 | CS8 | CREAD,
                                             ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN, 0,
                                             {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0}};
    t->tio = defaults;
    t->out = out;
    t->next = ttys;
    ttys = t;
}

void tty_remove(struct tty *t)
{
    for (struct tty **pp = &ttys; *pp; pp = &(*pp)->next)
        if (*pp == t) {
            *pp = t->next;
            return;
        }
}

bool tty_is_console(const struct tty *t) { return t == &console; }

struct tty *tty_of_session(int sid)
{
    for (struct tty *t = ttys; t; t = t->next)
        if (t->sid == sid && !t->hung_up)
            return t;
    return NULL;
}

static void console_out(struct tty *t, const char *buf, size_t n)
{
    (void)t;
    char *b = ipc_buf();
    for (size_t done = 0; done < n;) {
        size_t k = n - done < IPC_BUFFER_SIZE ? n - done : IPC_BUFFER_SIZE;
        struct ipc_msg m = {{CONSOLE_WRITE}};
        memcpy(b, buf + done, k);
        if (tty_ep < 0 || ipc_call(tty_ep, &m, k, NULL) < 0)
            return;
        done += k;
    }
}

void tty_write(struct tty *t, const char *buf, size_t n)
{
    if (!(t->tio.oflag & OPOST) || !(t->tio.oflag & ONLCR)) {
        t->out(t, buf, n);
        return;
    }
    char tmp[512];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k + 2 > sizeof tmp)
            t->out(t, tmp, k), k = 0;
        if (buf[i] == '\n')
            tmp[k++] = '\r';
        tmp[k++] = buf[i];
    }
    t->out(t, tmp, k);
}

static void echo(struct tty *t, char c)
{
    if (!(t->tio.lflag & ECHO) && !(c == '\n' && (t->tio.lflag & ECHONL)))
        return;
    if ((t->tio.lflag & ECHOCTL) && (unsigned char)c < 32 && c != '\n' && c != '\t') {
        char ctl[2] = {'^', (char)(c + 64)};
        tty_write(t, ctl, 2);
        return;
    }
    tty_write(t, &c, 1);
}

static void wake_readers(struct tty *t);

/* Whether the first reader may return now (non-canonical: VMIN/VTIME). */
static bool reader_done(struct tty *t, uint64_t now)
{
    if ((t->tio.lflag & ICANON) || t->hung_up)
        return t->in_ready || t->eofs || t->hung_up;
    size_t vmin = t->tio.cc[VMIN], want = vmin < t->readers[0].len ? vmin : t->readers[0].len;
    if (t->in_ready >= (want ? want : 1))
        return true;
    return t->readers[0].deadline && now >= t->readers[0].deadline; /* VTIME: what there is, maybe nothing */
}

/* Arms the first reader's VTIME deadline: from the read's start with VMIN
 * 0, from the last byte once one has come with VMIN > 0. */
static void arm_vtime(struct tty *t, uint64_t now)
{
    if (!t->nreaders || (t->tio.lflag & ICANON) || !t->tio.cc[VTIME])
        return;
    uint64_t vtime = (uint64_t)t->tio.cc[VTIME] * 100000000ull;
    if (!t->tio.cc[VMIN] && !t->readers[0].deadline)
        t->readers[0].deadline = now + vtime;
    else if (t->tio.cc[VMIN] && t->in_ready)
        t->readers[0].deadline = t->last_input + vtime;
    wait_rearm();
}

uint64_t tty_next_deadline(void)
{
    uint64_t next = 0;
    for (struct tty *t = ttys; t; t = t->next)
        if (t->nreaders && t->readers[0].deadline && (!next || t->readers[0].deadline < next))
            next = t->readers[0].deadline;
    return next;
}

void tty_timeout(uint64_t now)
{
    for (struct tty *t = ttys; t; t = t->next)
        if (t->nreaders && t->readers[0].deadline && now >= t->readers[0].deadline)
            wake_readers(t);
}

/* Serves waiting readers while input is ready. */
static void wake_readers(struct tty *t)
{
    uint64_t now = clock_now();
    while (t->nreaders && reader_done(t, now)) {
        struct proc *p = t->readers[0].p;
        size_t n = t->in_ready < t->readers[0].len ? t->in_ready : t->readers[0].len;
        if (t->tio.lflag & ICANON) { /* one line at most */
            char *nl = memchr(t->in, '\n', n);
            if (nl)
                n = (size_t)(nl - t->in) + 1;
        }
        int64_t r = (int64_t)n;
        if (n == 0 && t->eofs)
            t->eofs--;
        else if (n && mem_out(p, t->readers[0].buf, t->in, n) < 0)
            r = -LINUX_EFAULT;
        else if (n) {
            memmove(t->in, t->in + n, t->in_len - n);
            t->in_len -= n, t->in_ready -= n;
        }
        uint64_t token = t->readers[0].token;
        memmove(t->readers, t->readers + 1, --t->nreaders * sizeof t->readers[0]);
        proc_reply(p, token, r);
    }
    arm_vtime(t, now);
}

static void signal_foreground(struct tty *t, int sig)
{
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && !p->leader && p->pgid == t->fg_pgrp)
            signal_send(p, sig, NULL);
}

static void input_char(struct tty *t, char c)
{
    const struct ktermios *tio = &t->tio;
    if (c == '\r' && (tio->iflag & IGNCR))
        return;
    if (c == '\r' && (tio->iflag & ICRNL))
        c = '\n';
    else if (c == '\n' && (tio->iflag & INLCR))
        c = '\r';
    if ((tio->lflag & ISIG) && c && c == tio->cc[VSUSP]) {
        if (tio->lflag & ECHO)
            tty_write(t, "^Z", 2);
        t->in_len = t->in_ready; /* the partial line is dropped, as with ^C */
        signal_foreground(t, SIGTSTP);
        return;
    }
    if ((tio->lflag & ISIG) && (c == tio->cc[VINTR] || c == tio->cc[VQUIT])) {
        echo(t, c);
        t->in_len = t->in_ready;
        signal_foreground(t, c == tio->cc[VINTR] ? SIGINT : SIGQUIT);
        return;
    }
    if (!(tio->lflag & ICANON)) {
        if (t->in_len < sizeof t->in)
            t->in[t->in_len++] = c;
        t->in_ready = t->in_len;
        echo(t, c);
        return;
    }
    if (c == tio->cc[VERASE] || c == '\b') {
        if (t->in_len > t->in_ready) {
            t->in_len--;
            if ((tio->lflag & ECHO) && (tio->lflag & ECHOE))
                tty_write(t, "\b \b", 3);
        }
        return;
    }
    if (c == tio->cc[VKILL]) {
        for (; t->in_len > t->in_ready; t->in_len--)
            if ((tio->lflag & ECHO) && (tio->lflag & ECHOK))
                tty_write(t, "\b \b", 3);
        return;
    }
    if (c == tio->cc[VEOF]) {
        if (t->in_len == t->in_ready)
            t->eofs++;
        t->in_ready = t->in_len;
        return;
    }
    if (t->in_len < sizeof t->in - 1 || c == '\n')
        t->in[t->in_len < sizeof t->in ? t->in_len++ : t->in_len - 1] = c;
    echo(t, c);
    if (c == '\n')
        t->in_ready = t->in_len;
}

void tty_receive(struct tty *t, const char *buf, size_t n)
{
    t->last_input = clock_now();
    for (size_t i = 0; i < n; i++)
        input_char(t, buf[i]);
    wake_readers(t);
    poll_recheck();
}

/* A new size: the foreground process group learns of a change. */
static void set_size(struct tty *t, const uint16_t ws[4])
{
    if (memcmp(ws, t->winsize, sizeof t->winsize) == 0)
        return;
    memcpy(t->winsize, ws, sizeof t->winsize);
    signal_foreground(t, SIGWINCH);
}

/* The bytes of a size report seen so far ("\033[8;" and digits and ';'),
 * held back from the console's input until it ends ('t') or turns out not
 * to be one. */
static char report[24];
static size_t report_len;

/* A whole report "\033[8;ROWS;COLS": applied, or false if it is no size. */
static bool apply_report(void)
{
    char *end;
    report[report_len] = '\0';
    unsigned long rows = strtoul(report + 4, &end, 10), cols = *end == ';' ? strtoul(end + 1, &end, 10) : 0;
    if (*end || !rows || !cols || rows > 0xffff || cols > 0xffff || report[4] == ';')
        return false;
    uint16_t ws[4] = {(uint16_t)rows, (uint16_t)cols, console.winsize[2], console.winsize[3]};
    set_size(&console, ws);
    return true;
}

/* One input byte of the console, through the size-report matcher. */
static void input_byte(char c)
{
    static const char head[] = "\033[8;";
    bool digit = (c >= '0' && c <= '9') || c == ';';
    if (report_len < 4 ? c == head[report_len] : digit && report_len < sizeof report - 1) {
        report[report_len++] = c;
        return;
    }
    if (report_len >= 4 && c == 't' && apply_report()) {
        report_len = 0;
        return;
    }
    size_t held = report_len;
    report_len = 0;
    for (size_t i = 0; i < held; i++) /* not a report after all: input */
        input_char(&console, report[i]);
    if (c == head[0])
        report[report_len++] = c;
    else
        input_char(&console, c);
}

void tty_input(const char *buf, size_t n)
{
    console.last_input = clock_now();
    for (size_t i = 0; i < n; i++)
        input_byte(buf[i]);
    if (report_len == 1) { /* a lone ESC is a key (vi's); a report comes whole, or nearly */
        report_len = 0;
        input_char(&console, '\033');
    }
    wake_readers(&console);
    poll_recheck();
}

int tty_poll(struct tty *t)
{
    return (t->in_ready > 0 || t->eofs > 0 || t->hung_up ? POLLIN : 0) | (t->hung_up ? POLLHUP : POLLOUT);
}

/* A process of the terminal's session outside its foreground group. */
static bool background(struct tty *t, struct proc *p) { return p->sid == t->sid && p->pgid != t->fg_pgrp; }

/* A background job touching the terminal: its group gets sig (SIGTTIN,
 * SIGTTOU) and the call starts again when it is continued; -EIO if the signal would be ignored
 * or blocked (for SIGTTOU: 0, go ahead), or the group is orphaned (Linux's __tty_check_change). */
static int64_t job_control(struct proc *p, int sig)
{
    if (signal_refused(p, sig) || pgrp_orphaned(p->pgid))
        return sig == SIGTTIN || !signal_refused(p, sig) ? -LINUX_EIO : 0;
    signal_group(p->pgid, sig, NULL);
    return -ERESTARTSYS;
}

int64_t tty_write_check(struct tty *t, struct proc *p)
{
    if (t->hung_up)
        return -LINUX_EIO;
    return (t->tio.lflag & TOSTOP) && background(t, p) ? job_control(p, SIGTTOU) : 0;
}

int64_t tty_read(struct sys_ctx *c, struct tty *t, struct file *f, uint64_t ubuf, uint64_t len)
{
    if (background(t, c->p))
        return job_control(c->p, SIGTTIN);
    if (len == 0)
        return 0;
    bool readable = t->in_ready > 0 || t->eofs > 0;
    if (t->hung_up && !readable)
        return 0; /* the other end is gone: end of file */
    if (!readable && (f->flags & O_NONBLOCK))
        return -LINUX_EAGAIN;
    if (t->nreaders == (int)(sizeof t->readers / sizeof t->readers[0]))
        return -LINUX_EAGAIN;
    if (!(t->tio.lflag & ICANON) && t->tio.cc[VMIN] == 0 && t->tio.cc[VTIME] == 0 && !readable)
        return 0;
    t->readers[t->nreaders++] = (struct tty_reader){c->p, c->token, ubuf, len, 0};
    c->deferred = true;
    wake_readers(t);
    return 0;
}

void tty_hangup(struct tty *t)
{
    t->hung_up = true;
    wake_readers(t);
    if (t->sid) { /* the session loses its terminal: its foreground group hears of it */
        signal_foreground(t, SIGHUP);
        signal_foreground(t, SIGCONT);
    }
    t->sid = 0;
    poll_recheck();
}

bool tty_waiting(const struct proc *p)
{
    for (struct tty *t = ttys; t; t = t->next)
        for (int i = 0; i < t->nreaders; i++)
            if (t->readers[i].p == p)
                return true;
    return pty_waiting(p);
}

int tty_foreground(void) { return console.fg_pgrp; }

bool tty_cancel(struct proc *p, uint64_t *token)
{
    for (struct tty *t = ttys; t; t = t->next)
        for (int i = 0; i < t->nreaders; i++)
            if (t->readers[i].p == p) {
                *token = t->readers[i].token;
                memmove(t->readers + i, t->readers + i + 1, (size_t)(--t->nreaders - i) * sizeof t->readers[0]);
                return true;
            }
    return pty_cancel(p, token);
}

void tty_claim(struct tty *t, struct proc *p)
{
    if (p->pid == p->sid && !t->sid && !t->hung_up && !tty_of_session(p->sid))
        t->sid = p->sid, t->fg_pgrp = p->pgid;
}

int64_t tty_ioctl(struct sys_ctx *c, struct tty *t, uint64_t req, uint64_t arg)
{
    struct proc *p = c->p;
    int32_t v;
    int64_t r; /* settings come from TCSETS's struct termios or TCSETA's termio (termio.c) */
    bool set = (req >= TCSETS && req <= TCSETSF) || (req >= TCSETA && req <= TCSETAF);
    if ((set || req == TIOCSPGRP) && background(t, p) && (r = job_control(p, SIGTTOU)) != 0)
        return r;
    struct ktermios k = t->tio;
    switch (req) {
    case TCGETS: return mem_out(p, arg, &t->tio, sizeof t->tio) < 0 ? -LINUX_EFAULT : 0;
    case TCGETA: return termio_out(p, &t->tio, arg);
    case TCSETS: case TCSETSW: case TCSETSF: case TCSETA: case TCSETAW: case TCSETAF:
        if (req >= TCSETA ? termio_in(p, &k, arg) < 0 : mem_in(p, &k, arg, sizeof k) < 0)
            return -LINUX_EFAULT;
        t->tio = k;
        if (req == TCSETSF || req == TCSETAF)
            t->in_len = t->in_ready = 0;
        if (!(t->tio.lflag & ICANON))
            t->in_ready = t->in_len; /* a partial line becomes readable */
        wake_readers(t);
        return 0;
    case TIOCGWINSZ: return mem_out(p, arg, t->winsize, sizeof t->winsize) < 0 ? -LINUX_EFAULT : 0;
    case TIOCSWINSZ: {
        uint16_t ws[4];
        if (mem_in(p, ws, arg, sizeof ws) < 0)
            return -LINUX_EFAULT;
        set_size(t, ws);
        return 0;
    }
    case TIOCGPGRP: return mem_out(p, arg, &t->fg_pgrp, 4) < 0 ? -LINUX_EFAULT : 0;
    case TIOCSPGRP:
        if (mem_in(p, &v, arg, 4) < 0)
            return -LINUX_EFAULT;
        t->fg_pgrp = v;
        return 0;
    case TIOCGSID:
        if (!t->sid)
            return -LINUX_ENOTTY;
        return mem_out(p, arg, &t->sid, 4) < 0 ? -LINUX_EFAULT : 0;
    case TIOCSCTTY:
        t->sid = p->sid, t->fg_pgrp = p->pgid;
        return 0;
    case TIOCNOTTY:
        if (t->sid != p->sid)
            return -LINUX_ENOTTY;
        if (p->pid == p->sid) /* the session leader gives it up: the session loses it */
            t->sid = 0;
        return 0;
    case TCFLSH: /* input (0) or both (2): what was typed and not read goes */
        if (arg > 2)
            return -LINUX_EINVAL;
        if (arg != 1)
            t->in_len = t->in_ready = 0, t->eofs = 0;
        return 0;
    case TCSBRK: case TCXONC: return 0; /* output is written at once: nothing to drain or hold */
    case TIOCOUTQ:
        v = 0;
        return mem_out(p, arg, &v, 4) < 0 ? -LINUX_EFAULT : 0;
    case FIONREAD:
        v = (int32_t)t->in_ready;
        return mem_out(p, arg, &v, 4) < 0 ? -LINUX_EFAULT : 0;
    }
    return -LINUX_ENOTTY; /* as Linux answers a terminal request it does not know */
}

/* ---- the file operations of the terminal (/dev/tty, /dev/console, and
 * the console process 1 starts with) ---- */

static int64_t console_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    return (f->flags & O_ACCMODE) == O_WRONLY ? -LINUX_EBADF : tty_read(c, &console, f, ubuf, len);
}

static int64_t console_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    int64_t stop = tty_write_check(&console, c->p);
    return stop ? stop : file_copy_io(c, f, ubuf, len, true, -1);
}

static int64_t console_kread(struct file *f, char *buf, uint64_t n, uint64_t *pos)
{
    (void)buf, (void)n, (void)pos;
    return (f->flags & O_ACCMODE) == O_WRONLY ? -LINUX_EBADF : -LINUX_EIO; /* reads go through tty_read */
}

static int64_t console_kwrite(struct file *f, const char *buf, uint64_t n, uint64_t *pos)
{
    (void)pos;
    if ((f->flags & O_ACCMODE) == O_RDONLY)
        return -LINUX_EBADF;
    tty_write(&console, buf, n);
    return (int64_t)n;
}

static int console_poll(struct file *f)
{
    (void)f;
    return tty_poll(&console);
}

static int64_t console_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    (void)f;
    return tty_ioctl(c, &console, req, arg);
}

/* Opened by name, the node's stat; else the console's. */
static void console_stat(const struct file *f, struct linux_stat *st)
{
    stat_inode(f->inode ? f->inode : &console_inode, st);
}

/* /dev/tty is the caller's controlling terminal (ENXIO without one), which
 * may be a pseudo-terminal's; /dev/console is the console, and becomes the
 * controlling terminal of a session leader without one, as Linux's. */
static int console_open(struct sys_ctx *c, struct file *f, int flags)
{
    if (f->inode && f->inode->rdev == DEVNO_TTY) {
        struct tty *t = tty_of_session(c->p->sid);
        if (!t)
            return -LINUX_ENXIO;
        if (t != &console)
            return pty_open_slave(c, f, t);
    } else if (!(flags & O_NOCTTY)) {
        tty_claim(&console, c->p);
    }
    f->kind = FILE_CONSOLE;
    return 0;
}

const struct file_ops console_fops = {.read = console_read, .write = console_write, .kread = console_kread,
                                      .kwrite = console_kwrite, .poll = console_poll, .ioctl = console_ioctl,
                                      .stat = console_stat, .open = console_open, .stream = true};

/* ---- the reader thread ---- */

static char reader_buf[IPC_BUFFER_SIZE] __attribute__((aligned(4096)));
static char reader_stack[16384] __attribute__((aligned(16)));
static int input_h;

/* Runs on its own thread with its own IPC buffer; touches no libc state. */
static void reader(uint64_t arg)
{
    (void)arg;
    sys_ipc_buffer((uint64_t)reader_buf);
    for (;;) {
        uint64_t w[IPC_WORDS] = {CONSOLE_READ, sizeof reader_buf};
        struct ipc_info info;
        if (persona_ipc(SYS_ipc_call, tty_ep, 0, 0, w, &info) < 0)
            break;
        uint64_t fwd[IPC_WORDS] = {0};
        if (persona_ipc(SYS_ipc_call, input_h, (long)info.len, 0, fwd, NULL) < 0)
            break;
    }
    sys_thread_exit();
}

void tty_set_size(const char *cmdline)
{
    unsigned rows = cmdline_number(cmdline, "linux.rows="), cols = cmdline_number(cmdline, "linux.cols=");
    if (rows && rows <= 0xffff)
        console.winsize[0] = (uint16_t)rows;
    if (cols && cols <= 0xffff)
        console.winsize[1] = (uint16_t)cols;
}

void tty_init(const char *name, bool input)
{
    tty_setup(&console, console_out);
    console.fg_pgrp = console.sid = 1; /* init's session has the console */
    tty_ep = persona_endpoint(name);
    if (tty_ep < 0)
        tty_ep = persona_endpoint("console");
    if (!input)
        return;
    struct ipc_msg m = {{CONSOLE_MODE, 1}};
    long h = sys_handle_mint(linux_ep, R_SEND, TTY_INPUT_BADGE);
    if (tty_ep < 0 || h < 0 || ipc_call(tty_ep, &m, 0, NULL) < 0) {
        klog(KERN_ERR, "linux: no terminal input");
        return;
    }
    input_h = (int)h;
    sys_thread_create(H_SELF, (uint64_t)reader, (uint64_t)reader_stack + sizeof reader_stack - 8, 0, PRIO_HELPER, 0);
}
