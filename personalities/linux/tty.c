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

static struct ktermios tio = {ICRNL | IXON, OPOST | ONLCR, B38400 | CS8 | CREAD,
                              ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN, 0,
                              {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0}};
static uint16_t winsize[4] = {24, 80, 0, 0}; /* rows, columns; the command line's (tty_set_size) */
/* What fstat says of a console descriptor with no node: process 1's, if
 * the root file system had no /dev/console when it started (exec.c gives
 * it that node): a character device, as the kernel's console is. */
struct inode console_inode = {.mode = S_IFCHR | 0620, .nlink = 1, .ino = 0x500, .rdev = DEVNO_CONSOLE, .gid = 5,
                              .fs = &rootfs};
static char in[4096];
static size_t in_len, in_ready; /* in_ready: bytes a read may take */
static int eofs;                /* pending end-of-file reads (VEOF on an empty line) */
static int tty_ep = -1, fg_pgrp = 1, tty_sid = 1; /* init's session has the terminal */

static struct {
    struct proc *p;
    uint64_t token, buf, len;
    uint64_t deadline; /* non-canonical VTIME: when the read returns what it has; 0: none */
} readers[16];
static uint64_t last_input; /* when the last byte came, on the clock */
static int nreaders;

static void out(const char *buf, size_t n)
{
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

static void tty_write(const char *buf, size_t n)
{
    if (!(tio.oflag & OPOST) || !(tio.oflag & ONLCR)) {
        out(buf, n);
        return;
    }
    char tmp[512];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k + 2 > sizeof tmp)
            out(tmp, k), k = 0;
        if (buf[i] == '\n')
            tmp[k++] = '\r';
        tmp[k++] = buf[i];
    }
    out(tmp, k);
}

static void echo(char c)
{
    if (!(tio.lflag & ECHO) && !(c == '\n' && (tio.lflag & ECHONL)))
        return;
    if ((tio.lflag & ECHOCTL) && (unsigned char)c < 32 && c != '\n' && c != '\t') {
        char ctl[2] = {'^', (char)(c + 64)};
        tty_write(ctl, 2);
        return;
    }
    tty_write(&c, 1);
}

static void wake_readers(void);

/* Whether the first reader may return now (non-canonical: VMIN/VTIME). */
static bool reader_done(uint64_t now)
{
    if (tio.lflag & ICANON)
        return in_ready || eofs;
    size_t vmin = tio.cc[VMIN], want = vmin < readers[0].len ? vmin : readers[0].len;
    if (in_ready >= (want ? want : 1))
        return true;
    return readers[0].deadline && now >= readers[0].deadline; /* VTIME: what there is, maybe nothing */
}

/* Arms the first reader's VTIME deadline: from the read's start with VMIN
 * 0, from the last byte once one has come with VMIN > 0. */
static void arm_vtime(uint64_t now)
{
    if (!nreaders || (tio.lflag & ICANON) || !tio.cc[VTIME])
        return;
    uint64_t vtime = (uint64_t)tio.cc[VTIME] * 100000000ull;
    if (!tio.cc[VMIN] && !readers[0].deadline)
        readers[0].deadline = now + vtime;
    else if (tio.cc[VMIN] && in_ready)
        readers[0].deadline = last_input + vtime;
    wait_rearm();
}

uint64_t tty_next_deadline(void) { return nreaders ? readers[0].deadline : 0; }

void tty_timeout(uint64_t now)
{
    if (nreaders && readers[0].deadline && now >= readers[0].deadline)
        wake_readers();
}

/* Serves waiting readers while input is ready. */
static void wake_readers(void)
{
    uint64_t now = clock_now();
    while (nreaders && reader_done(now)) {
        struct proc *p = readers[0].p;
        size_t n = in_ready < readers[0].len ? in_ready : readers[0].len;
        if (tio.lflag & ICANON) { /* one line at most */
            char *nl = memchr(in, '\n', n);
            if (nl)
                n = (size_t)(nl - in) + 1;
        }
        int64_t r = (int64_t)n;
        if (n == 0)
            eofs--;
        else if (mem_out(p, readers[0].buf, in, n) < 0)
            r = -LINUX_EFAULT;
        else {
            memmove(in, in + n, in_len - n);
            in_len -= n, in_ready -= n;
        }
        uint64_t token = readers[0].token;
        memmove(readers, readers + 1, --nreaders * sizeof readers[0]);
        proc_reply(p, token, r);
    }
    arm_vtime(now);
}

static void signal_foreground(int sig)
{
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && !p->leader && p->pgid == fg_pgrp)
            signal_send(p, sig, NULL);
}

static void input_char(char c)
{
    if (c == '\r' && (tio.iflag & IGNCR))
        return;
    if (c == '\r' && (tio.iflag & ICRNL))
        c = '\n';
    else if (c == '\n' && (tio.iflag & INLCR))
        c = '\r';
    if ((tio.lflag & ISIG) && c && c == tio.cc[VSUSP]) {
        if (tio.lflag & ECHO)
            tty_write("^Z", 2);
        in_len = in_ready; /* the partial line is dropped, as with ^C */
        signal_foreground(SIGTSTP);
        return;
    }
    if ((tio.lflag & ISIG) && (c == tio.cc[VINTR] || c == tio.cc[VQUIT])) {
        echo(c);
        in_len = in_ready;
        signal_foreground(c == tio.cc[VINTR] ? SIGINT : SIGQUIT);
        return;
    }
    if (!(tio.lflag & ICANON)) {
        if (in_len < sizeof in)
            in[in_len++] = c;
        in_ready = in_len;
        echo(c);
        return;
    }
    if (c == tio.cc[VERASE] || c == '\b') {
        if (in_len > in_ready) {
            in_len--;
            if ((tio.lflag & ECHO) && (tio.lflag & ECHOE))
                tty_write("\b \b", 3);
        }
        return;
    }
    if (c == tio.cc[VKILL]) {
        for (; in_len > in_ready; in_len--)
            if ((tio.lflag & ECHO) && (tio.lflag & ECHOK))
                tty_write("\b \b", 3);
        return;
    }
    if (c == tio.cc[VEOF]) {
        if (in_len == in_ready)
            eofs++;
        in_ready = in_len;
        return;
    }
    if (in_len < sizeof in - 1 || c == '\n')
        in[in_len < sizeof in ? in_len++ : in_len - 1] = c;
    echo(c);
    if (c == '\n')
        in_ready = in_len;
}

/* A new size: the foreground process group learns of a change. */
static void set_size(const uint16_t ws[4])
{
    if (memcmp(ws, winsize, sizeof winsize) == 0)
        return;
    memcpy(winsize, ws, sizeof winsize);
    signal_foreground(SIGWINCH);
}

/* The bytes of a size report seen so far ("\033[8;" and digits and ';'),
 * held back from the input until it ends ('t') or turns out not to be one. */
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
    uint16_t ws[4] = {(uint16_t)rows, (uint16_t)cols, winsize[2], winsize[3]};
    set_size(ws);
    return true;
}

/* One input byte, through the size-report matcher. */
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
        input_char(report[i]);
    if (c == head[0])
        report[report_len++] = c;
    else
        input_char(c);
}

void tty_input(const char *buf, size_t n)
{
    last_input = clock_now();
    for (size_t i = 0; i < n; i++)
        input_byte(buf[i]);
    if (report_len == 1) { /* a lone ESC is a key (vi's); a report comes whole, or nearly */
        report_len = 0;
        input_char('\033');
    }
    wake_readers();
    poll_recheck();
}

static int tty_readable(void) { return in_ready > 0 || eofs > 0; }

/* A process of the terminal's session outside its foreground group. */
static bool background(struct proc *p) { return p->sid == tty_sid && p->pgid != fg_pgrp; }

/* A background job touching the terminal: its group gets sig (SIGTTIN,
 * SIGTTOU) and the call starts again when it is continued; -EIO if the
 * signal would be ignored or blocked (for SIGTTOU: 0, go ahead). */
static int64_t job_control(struct proc *p, int sig)
{
    if (signal_refused(p, sig) || pgrp_orphaned(p->pgid))
        return sig == SIGTTIN ? -LINUX_EIO : 0;
    signal_group(p->pgid, sig, NULL);
    return -ERESTARTSYS;
}

static int64_t tty_write_check(struct proc *p)
{
    return (tio.lflag & TOSTOP) && background(p) ? job_control(p, SIGTTOU) : 0;
}

static int64_t tty_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len)
{
    if (background(c->p))
        return job_control(c->p, SIGTTIN);
    if (len == 0)
        return 0;
    if (!tty_readable() && (f->flags & O_NONBLOCK))
        return -LINUX_EAGAIN;
    if (nreaders == (int)(sizeof readers / sizeof readers[0]))
        return -LINUX_EAGAIN;
    if (!(tio.lflag & ICANON) && tio.cc[VMIN] == 0 && tio.cc[VTIME] == 0 && !tty_readable())
        return 0;
    readers[nreaders].p = c->p, readers[nreaders].token = c->token, readers[nreaders].deadline = 0;
    readers[nreaders].buf = ubuf, readers[nreaders++].len = len;
    c->deferred = true;
    wake_readers();
    return 0;
}

bool tty_waiting(const struct proc *p)
{
    for (int i = 0; i < nreaders; i++)
        if (readers[i].p == p)
            return true;
    return false;
}

int tty_foreground(void) { return fg_pgrp; }

bool tty_cancel(struct proc *p, uint64_t *token)
{
    for (int i = 0; i < nreaders; i++)
        if (readers[i].p == p) {
            *token = readers[i].token;
            memmove(readers + i, readers + i + 1, (size_t)(--nreaders - i) * sizeof readers[0]);
            return true;
        }
    return false;
}

static int64_t tty_ioctl(struct sys_ctx *c, uint64_t req, uint64_t arg)
{
    struct proc *p = c->p;
    int32_t v;
    int64_t r;
    if ((req == TCSETS || req == TCSETSW || req == TCSETSF || req == TIOCSPGRP) && background(p) &&
        (r = job_control(p, SIGTTOU)) != 0)
        return r;
    switch (req) {
    case TCGETS: return mem_out(p, arg, &tio, sizeof tio) < 0 ? -LINUX_EFAULT : 0;
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
        if (mem_in(p, &tio, arg, sizeof tio) < 0)
            return -LINUX_EFAULT;
        if (req == TCSETSF)
            in_len = in_ready = 0;
        if (!(tio.lflag & ICANON))
            in_ready = in_len; /* a partial line becomes readable */
        wake_readers();
        return 0;
    case TIOCGWINSZ: return mem_out(p, arg, winsize, sizeof winsize) < 0 ? -LINUX_EFAULT : 0;
    case TIOCSWINSZ: {
        uint16_t ws[4];
        if (mem_in(p, ws, arg, sizeof ws) < 0)
            return -LINUX_EFAULT;
        set_size(ws);
        return 0;
    }
    case TIOCGPGRP: return mem_out(p, arg, &fg_pgrp, 4) < 0 ? -LINUX_EFAULT : 0;
    case TIOCSPGRP:
        if (mem_in(p, &v, arg, 4) < 0)
            return -LINUX_EFAULT;
        fg_pgrp = v;
        return 0;
    case TIOCSCTTY:
        tty_sid = p->sid;
        return 0;
    case FIONREAD:
        v = (int32_t)in_ready;
        return mem_out(p, arg, &v, 4) < 0 ? -LINUX_EFAULT : 0;
    }
    return -LINUX_ENOTTY; /* as Linux answers a terminal request it does not know */
}

/* ---- the file operations of the terminal (/dev/tty, /dev/console, and
 * the console process 1 starts with) ---- */

static int64_t console_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    return (f->flags & O_ACCMODE) == O_WRONLY ? -LINUX_EBADF : tty_read(c, f, ubuf, len);
}

static int64_t console_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    (void)at;
    int64_t stop = tty_write_check(c->p);
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
    tty_write(buf, n);
    return (int64_t)n;
}

static int console_poll(struct file *f)
{
    (void)f;
    return (tty_readable() ? POLLIN : 0) | POLLOUT;
}

static int64_t console_ioctl(struct sys_ctx *c, struct file *f, uint64_t req, uint64_t arg)
{
    (void)f;
    return tty_ioctl(c, req, arg);
}

/* Opened by name, the node's stat; else the console's. */
static void console_stat(const struct file *f, struct linux_stat *st)
{
    stat_inode(f->inode ? f->inode : &console_inode, st);
}

static void console_open(struct file *f) { f->kind = FILE_CONSOLE; }

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
        winsize[0] = (uint16_t)rows;
    if (cols && cols <= 0xffff)
        winsize[1] = (uint16_t)cols;
}

void tty_init(const char *name)
{
    tty_ep = persona_endpoint(name);
    if (tty_ep < 0)
        tty_ep = persona_endpoint("console");
    struct ipc_msg m = {{CONSOLE_MODE, 1}};
    long h = sys_handle_mint(linux_ep, R_SEND, TTY_INPUT_BADGE);
    if (tty_ep < 0 || h < 0 || ipc_call(tty_ep, &m, 0, NULL) < 0) {
        klog(KERN_ERR, "linux: no terminal input");
        return;
    }
    input_h = (int)h;
    sys_thread_create(H_SELF, (uint64_t)reader, (uint64_t)reader_stack + sizeof reader_stack - 8, 0, 10, 0);
}
