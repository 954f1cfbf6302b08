/*
 * personalities/native/console.c - the console server: a user-mode driver
 * that owns a 16550 UART (its I/O ports and IRQ, granted at boot) and serves
 * CONSOLE_WRITE and CONSOLE_READ (libc/include/persona/console.h).  It
 * serves the endpoint named like its module (argv[0]); argv[1] is the
 * UART's base port (default COM1, 0x3f8).
 *
 * Output is written to the UART by polling the transmit-empty bit.  Input
 * arrives as IRQ 4, delivered as a notification bound to the server's
 * thread, so one ipc_recv waits for both clients and the device.  Input is
 * cooked: echoed, with backspace, and handed out a line at a time.  A
 * reader whose task died keeps no input (serve_readers).
 */
#include <persona/console.h>
#include <persona/ipc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_READERS 16

static unsigned short COM1 = 0x3f8; /* the UART's base port */

static inline void outb(unsigned short port, unsigned char v) { __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
static inline unsigned char inb(unsigned short port)
{
    unsigned char v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static char line[1024];
static size_t line_len, line_ready; /* line_ready: bytes of complete lines */
static bool raw;                     /* CONSOLE_MODE: bytes pass untouched */
static struct {
    uint64_t token, max;
} readers[MAX_READERS];
static int nreaders;

static void put(char c)
{
    if (c == '\n' && !raw)
        put('\r');
    while (!(inb(COM1 + 5) & 0x20))
        ;
    outb(COM1, (unsigned char)c);
}

static void input_char(char c)
{
    if (raw) {
        if (line_len < sizeof line)
            line[line_len++] = c;
        line_ready = line_len;
        return;
    }
    if (c == '\r')
        c = '\n';
    if (c == 0x7f || c == '\b') {
        if (line_len > line_ready) {
            line_len--;
            put('\b'), put(' '), put('\b');
        }
        return;
    }
    if (line_len == sizeof line)
        return;
    line[line_len++] = c;
    put(c);
    if (c == '\n' || c == 4 /* ^D */)
        line_ready = line_len;
}

/* Replies to waiting readers while complete lines are buffered.  A reader
 * that died meanwhile (its server crashed: the reply is ESRCH) takes
 * nothing: the bytes go to the next, perhaps the restarted server's. */
static void serve_readers(int ep)
{
    while (nreaders && line_ready) {
        char *buf = ipc_buf();
        size_t used = readers[0].max < line_ready ? readers[0].max : line_ready, n = used;
        if (line[n - 1] == 4 && !raw)
            n--; /* ^D ends the read without a byte: end of file on an empty line */
        memcpy(buf, line, n);
        struct ipc_msg m = {{n}};
        bool taken = ipc_reply(ep, readers[0].token, &m, n) >= 0;
        memmove(readers, readers + 1, --nreaders * sizeof readers[0]);
        if (!taken)
            continue;
        memmove(line, line + used, line_len - used);
        line_len -= used;
        line_ready -= used;
    }
}

int main(int argc, char **argv)
{
    int ep = persona_endpoint(argv[0]), dev = persona_device();
    if (argc > 1)
        COM1 = (unsigned short)strtoul(argv[1], NULL, 0);
    long notif = sys_notif_create();
    if (ep < 0 || dev < 0 || sys_ioport_enable(dev) < 0 || notif < 0 || sys_irq_bind(dev, notif, 1) < 0 ||
        sys_notif_bind(notif) < 0 || !ipc_buf()) {
        sys_log_write("console: missing its endpoint, ports or IRQ\n", 45);
        return 1;
    }
    outb(COM1 + 1, 0x01); /* interrupt on received data */
    outb(COM1 + 4, 0x0b); /* OUT2: let the UART's interrupt through */
    for (;;) {
        struct ipc_msg m;
        struct ipc_info info;
        if (ipc_recv(ep, &m, &info) < 0)
            continue;
        if (info.token == BADGE_NOTIFY) {
            while (inb(COM1 + 5) & 1)
                input_char((char)inb(COM1));
            sys_irq_ack(dev);
            serve_readers(ep);
            continue;
        }
        if (m.w[0] == CONSOLE_WRITE) {
            const char *b = ipc_buf();
            for (uint64_t i = 0; i < info.len; i++)
                put(b[i]);
            m.w[0] = info.len;
            ipc_reply(ep, info.token, &m, 0);
        } else if (m.w[0] == CONSOLE_MODE) {
            raw = m.w[1] != 0;
            m.w[0] = 0;
            ipc_reply(ep, info.token, &m, 0);
        } else if (m.w[0] == CONSOLE_READ && nreaders < MAX_READERS) {
            readers[nreaders].token = info.token;
            readers[nreaders++].max = m.w[1] ? m.w[1] : 1;
            serve_readers(ep);
        } else {
            m.w[0] = (uint64_t)-22; /* EINVAL */
            ipc_reply(ep, info.token, &m, 0);
        }
    }
}
