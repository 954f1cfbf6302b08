/*
 * libc/sys/syscalls.c - newlib's OS glue over the native ABI.
 *
 * Standard input and output go to the console server named by
 * PERSONA_EP_console (or, without one, output goes to the kernel log).
 * The heap grows after the program's bss with mem_map on the task itself.
 * There are no files, processes or signals for native programs: those
 * calls fail with ENOSYS, honestly, rather than pretending.
 *
 * newlib, configured without its own glue, calls these by their plain
 * names (write, sbrk, ...); the underscored aliases serve code that wants
 * those.
 */
#include <errno.h>
#include <persona/console.h>
#include <persona/ipc.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>

#undef errno
extern int errno;

static int console_ep(void)
{
    static int ep = -2;
    if (ep == -2)
        ep = persona_endpoint("console");
    return ep;
}

int write(int fd, const char *buf, int len)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    char *b = ipc_buf();
    int ep = console_ep();
    if (ep < 0 || !b)
        return (int)sys_log_write(buf, (size_t)len);
    for (int done = 0; done < len;) {
        int n = len - done < IPC_BUFFER_SIZE ? len - done : IPC_BUFFER_SIZE;
        struct ipc_msg m = {{CONSOLE_WRITE}};
        memcpy(b, buf + done, (size_t)n);
        long r = ipc_call(ep, &m, (size_t)n, NULL);
        if (r < 0) {
            errno = (int)-r;
            return done ? done : -1;
        }
        done += n;
    }
    return len;
}

int read(int fd, char *buf, int len)
{
    char *b = ipc_buf();
    int ep = console_ep();
    if (fd != 0 || ep < 0 || !b) {
        errno = EBADF;
        return -1;
    }
    struct ipc_msg m = {{CONSOLE_READ, (uint64_t)(len < IPC_BUFFER_SIZE ? len : IPC_BUFFER_SIZE)}};
    struct ipc_info info;
    long r = ipc_call(ep, &m, 0, &info);
    if (r < 0) {
        errno = (int)-r;
        return -1;
    }
    size_t n = info.len < (size_t)len ? info.len : (size_t)len;
    memcpy(buf, b, n);
    return (int)n;
}

void *sbrk(ptrdiff_t incr)
{
    extern char end[];
    static uintptr_t brk, mapped;
    if (!brk)
        brk = mapped = ((uintptr_t)end + 4095) & ~(uintptr_t)4095;
    uintptr_t old = brk, want = brk + (uintptr_t)incr;
    if (want > mapped) {
        uintptr_t top = (want + 4095) & ~(uintptr_t)4095;
        long r = sys_mem_map(H_SELF, mapped, top - mapped, PROT_READ | PROT_WRITE);
        if (r < 0) {
            errno = ENOMEM;
            return (void *)-1;
        }
        mapped = top;
    }
    brk = want;
    return (void *)old;
}

void _exit(int code)
{
    sys_task_exit(code);
    for (;;)
        ;
}

int close(int fd)
{
    if (fd >= 0 && fd <= 2)
        return 0;
    errno = EBADF;
    return -1;
}

int fstat(int fd, struct stat *st)
{
    if (fd < 0 || fd > 2) {
        errno = EBADF;
        return -1;
    }
    memset(st, 0, sizeof *st);
    st->st_mode = S_IFCHR | 0620;
    return 0;
}

int isatty(int fd) { return fd >= 0 && fd <= 2; }

int lseek(int fd, int off, int whence)
{
    (void)fd, (void)off, (void)whence;
    errno = ESPIPE;
    return -1;
}

int gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;
    long ns = sys_clock_ns();
    tv->tv_sec = ns / 1000000000;
    tv->tv_usec = (ns % 1000000000) / 1000;
    return 0;
}

clock_t times(struct tms *t)
{
    clock_t c = (clock_t)(sys_clock_ns() / 10000000); /* 100 Hz */
    if (t)
        *t = (struct tms){c, 0, 0, 0};
    return c;
}

int getpid(void) { return 1; } /* native tasks have no process ids */

#define NOSYS(decl)                                                                                      \
    decl                                                                                                 \
    {                                                                                                    \
        errno = ENOSYS;                                                                                  \
        return -1;                                                                                       \
    }
NOSYS(int kill(int pid, int sig))
NOSYS(int open(const char *path, int flags, int mode))
NOSYS(int unlink(const char *path))
NOSYS(int link(const char *a, const char *b))
NOSYS(int wait(int *status))
NOSYS(int fork(void))
NOSYS(int execve(const char *p, char *const a[], char *const e[]))
NOSYS(int stat(const char *p, struct stat *st))

#define ALIAS(name) __typeof__(name) _##name __attribute__((alias(#name)));
ALIAS(write)
ALIAS(read)
ALIAS(sbrk)
ALIAS(close)
ALIAS(fstat)
ALIAS(isatty)
ALIAS(lseek)
ALIAS(getpid)
