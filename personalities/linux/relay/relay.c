/*
 * personalities/linux/relay/relay.c - the relay: the Linux program a
 * process runs in place of another personality's program (relay.h).  It
 * asks the server for the program's next event (RELAY_NEXT) and carries it
 * out with ordinary Linux calls on the process's own descriptors, so that
 * pipes, the terminal, files, SIGPIPE and blocking all behave as for any
 * Linux program; the result goes back with the next RELAY_NEXT.  Signals
 * that would end the process are handed to the program (RELAY_SIGNAL);
 * when it ends, the relay exits with its status, or dies of its signal.
 * Built freestanding and embedded in the server (relay_image.h).
 */
#include "../relay.h"

enum {
    SYS_read = 0,
    SYS_write = 1,
    SYS_rt_sigaction = 13,
    SYS_rt_sigprocmask = 14,
    SYS_rt_sigreturn = 15,
    SYS_getpid = 39,
    SYS_kill = 62,
    SYS_exit_group = 231
};
#define EINTR 4
#define SA_RESTORER 0x04000000

static long sys6(long nr, long a, long b, long c, long d, long e)
{
    long ret;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
                     : "rcx", "r11", "memory");
    return ret;
}
#define sys(nr, a, b, c) sys6(nr, (long)(a), (long)(b), (long)(c), 0, 0)

struct kaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask;
};

void relay_restorer(void);
__asm__(".globl relay_restorer\nrelay_restorer:\n    movl $15, %eax\n    "
        "syscall\n");

static volatile int pending;
static void on_signal(int sig) { pending = sig; }

/* The signals whose default action ends a process: the program gets them. */
static const int forwarded[] = {1, 2, 3, 10, 12, 14, 15, 26, 27, 24, 25};

static char buf[RELAY_BUF];

static void say(const char *s)
{
    long n = 0;
    while (s[n])
        n++;
    sys(SYS_write, 2, s, n);
}

int main(int argc, char **argv)
{
    for (unsigned i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) {
        struct kaction a = {on_signal, SA_RESTORER, relay_restorer, 0};
        sys6(SYS_rt_sigaction, forwarded[i], (long)&a, 0, 8, 0);
    }
    struct relay_ev ev;
    long result = 0, have = 0;
    for (;;) {
        int sig = pending;
        if (sig) {
            pending = 0;
            sys(RELAY_NR, RELAY_SIGNAL, sig, 0);
        }
        long r = sys6(RELAY_NR, RELAY_NEXT, have, result, (long)buf, (long)&ev);
        have = 0;
        if (r == -EINTR)
            continue;
        if (r < 0) {
            say(argc ? argv[0] : "relay");
            say(": the program's personality does not answer\n");
            sys(SYS_exit_group, 126, 0, 0);
        }
        switch (ev.kind) {
        case RELAY_EV_WRITE: result = sys(SYS_write, ev.fd, buf, ev.len), have = 1; break;
        case RELAY_EV_READ:
            result = sys(SYS_read, ev.fd, buf, ev.len < RELAY_BUF ? ev.len : RELAY_BUF), have = 1;
            break;
        case RELAY_EV_EXIT:
            if (ev.sig) { /* die of it, as the caller expects of a program a signal
                             ended */
                struct kaction dfl = {0, SA_RESTORER, relay_restorer, 0};
                sys6(SYS_rt_sigaction, ev.sig, (long)&dfl, 0, 8, 0);
                sys6(SYS_rt_sigprocmask, 1 /* SIG_UNBLOCK */, (long)&(unsigned long){1ul << (ev.sig - 1)}, 0, 8, 0);
                sys(SYS_kill, sys(SYS_getpid, 0, 0, 0), ev.sig, 0);
            }
            sys(SYS_exit_group, ev.status, 0, 0);
            break;
        case RELAY_EV_LOST:
            say(argc ? argv[0] : "relay");
            say(": its personality stopped\n");
            sys(SYS_exit_group, 255, 0, 0);
        }
    }
}

__asm__(".globl _start\n"
        "_start:\n"
        "    xorl %ebp, %ebp\n"
        "    movq (%rsp), %rdi\n"
        "    leaq 8(%rsp), %rsi\n"
        "    andq $-16, %rsp\n"
        "    call main\n"
        "    ud2\n");
