/*
 * personalities/linux/trace.c - the Linux decoder of the tracer (libc's
 * <persona/trace.h>, which keeps the times, filters, lines and summary):
 * calls by name, their arguments as strace shows them (strings, buffers,
 * open, mmap and protection flags, AT_FDCWD) from the letters of
 * syscalls.def, results as "= 3", "= 0x7f..." or "= -1 ENOENT (No such
 * file or directory)", and CPU exceptions as "--- #PF ... ---".
 *
 * Entry points: trace.h's.  Layer: beside
 * main.c, above every subsystem; it reads processes' memory through
 * mem_in/mem_str.  Book: docs/tracing.md.
 */
#include "trace.h"
#include "linux_names.h"
#include "proc.h"
#include <persona/trace.h>
#include <stdio.h>
#include <string.h>

const char *linux_syscall_name(uint64_t nr) { return nr < LINUX_NR_COUNT ? linux_names[nr] : NULL; }

static const struct trace_names names = {linux_syscall_name, LINUX_NR_COUNT};

bool linux_trace_init(const char *cmdline) { return trace_init("linux", cmdline, &names); }

struct flag_name {
    int bit;
    const char *name;
};

/* bits as NAME|NAME, a remainder in hex, or zero's name. */
static int flags(char *out, size_t size, unsigned v, const struct flag_name *f, size_t n, const char *zero)
{
    int len = 0;
    for (size_t i = 0; i < n; i++)
        if (v & (unsigned)f[i].bit) {
            len += snprintf(out + len, size - len, "%s%s", len ? "|" : "", f[i].name);
            v &= ~(unsigned)f[i].bit;
        }
    if (v || !len)
        len += v || !zero ? snprintf(out + len, size - len, "%s%#x", len ? "|" : "", v)
                          : snprintf(out + len, size - len, "%s", zero);
    return len;
}

static void open_flags(char *out, size_t size, int v)
{
    static const struct flag_name f[] = {
        {O_CREAT, "O_CREAT"}, {O_EXCL, "O_EXCL"}, {O_TRUNC, "O_TRUNC"}, {O_APPEND, "O_APPEND"},
        {O_NONBLOCK, "O_NONBLOCK"}, {O_DIRECTORY, "O_DIRECTORY"}, {O_NOFOLLOW, "O_NOFOLLOW"},
        {O_NOATIME, "O_NOATIME"}, {O_CLOEXEC, "O_CLOEXEC"}, {O_PATH, "O_PATH"}};
    static const char *const mode[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
    int n = snprintf(out, size, "%s", mode[v & O_ACCMODE]);
    if (v & ~O_ACCMODE)
        flags(out + n, size - n, (unsigned)(v & ~O_ACCMODE), f, sizeof f / sizeof f[0], NULL), out[n] = '|';
}

/* Bytes as strace shows them: "text\n", at most 32, then "...". */
static void bytes(struct proc *p, uint64_t va, int64_t len, char *out, size_t size)
{
    unsigned char buf[32];
    size_t n = len < 0 ? 0 : len > 32 ? 32 : (size_t)len, o = 0;
    if (mem_in(p, buf, va, n) < 0) {
        snprintf(out, size, "%#lx", (unsigned long)va);
        return;
    }
    out[o++] = '"';
    for (size_t i = 0; i < n && o + 6 < size; i++) {
        static const char esc[] = "\t\n\v\f\r\"\\", letter[] = "tnvfr\"\\";
        const char *e = buf[i] ? strchr(esc, buf[i]) : NULL;
        bool digit_next = i + 1 < n && buf[i + 1] >= '0' && buf[i + 1] <= '7';
        if (e)
            o += (size_t)snprintf(out + o, size - o, "\\%c", letter[e - esc]);
        else if (buf[i] >= 32 && buf[i] < 127)
            out[o++] = (char)buf[i];
        else
            o += (size_t)snprintf(out + o, size - o, digit_next ? "\\%03o" : "\\%o", buf[i]);
    }
    snprintf(out + o, size - o, "\"%s", len > 32 ? "..." : "");
}

static const char *linux_arg_letters(uint64_t nr)
{
    const char *f = linux_arg_format(nr);
    return f ? f : "xxxxxx"; /* a call the personality does not know: all six */
}

/* Argument i as it reads before the call runs. */
static void format_arg(struct proc *p, char letter, const uint64_t *a, int i, char *out, size_t size)
{
    static const struct flag_name prot[] = {{PROT_READ, "PROT_READ"}, {PROT_WRITE, "PROT_WRITE"},
                                            {PROT_EXEC, "PROT_EXEC"}};
    static const struct flag_name map[] = {{MAP_SHARED, "MAP_SHARED"}, {MAP_PRIVATE, "MAP_PRIVATE"},
                                           {MAP_FIXED, "MAP_FIXED"}, {MAP_ANONYMOUS, "MAP_ANONYMOUS"},
                                           {MAP_GROWSDOWN, "MAP_GROWSDOWN"},
                                           {MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"}};
    int64_t v = (int64_t)a[i];
    char s[TRACE_ARG_MAX - 2];
    switch (letter) {
    case 'f':
    case 'a':
        snprintf(out, size, (int)v == AT_FDCWD && letter == 'a' ? "AT_FDCWD" : "%d", (int)v);
        break;
    case 's':
        if (!v)
            snprintf(out, size, "NULL");
        else if (mem_str(p, a[i], s, sizeof s) < 0)
            snprintf(out, size, "%#lx", (unsigned long)v);
        else
            snprintf(out, size, "\"%s\"", s);
        break;
    case 'b': bytes(p, a[i], i < 5 ? (int64_t)a[i + 1] : 0, out, size); break;
    case 'o': open_flags(out, size, (int)v); break;
    case 'w': flags(out, size, (unsigned)v, prot, 3, "PROT_NONE"); break;
    case 'k': flags(out, size, (unsigned)v, map, sizeof map / sizeof map[0], NULL); break;
    case 'm': snprintf(out, size, "%#o", (unsigned)v); break;
    case 'd': snprintf(out, size, "%d", (int)v); break;
    case 'u': snprintf(out, size, "%u", (unsigned)v); break;
    case 'l': snprintf(out, size, "%ld", (long)v); break;
    case 'n': snprintf(out, size, "%lu", (unsigned long)v); break;
    case 'i': snprintf(out, size, "%#x", (unsigned)v); break;
    case 'p':
    case 'r': snprintf(out, size, v ? "%#lx" : "NULL", (unsigned long)v); break;
    default: snprintf(out, size, "%#lx", (unsigned long)v); break;
    }
}

/* The whole line's text in name, as strace shows a signal:
 * "--- #PF write at 0 (not present), rip 0x401000 ---" */
static void format_exception(struct trace_call *c, const struct pico_trap *t)
{
    c->nargs = -1;
    if (c->nr == 14)
        snprintf(c->name, sizeof c->name, "--- #PF %s at %#lx (%s), rip %#lx ---",
                 t->error & PF_FETCH ? "exec" : t->error & PF_WRITE ? "write" : "read", (unsigned long)t->addr,
                 t->error & PF_PRESENT ? "protection" : "not present", (unsigned long)t->rip);
    else
        snprintf(c->name, sizeof c->name, "--- %s, rip %#lx ---", persona_exception_name(c->nr), (unsigned long)t->rip);
}

void linux_trace_trap(struct proc *p, uint64_t token, const struct ipc_msg *in, const struct pico_trap *t)
{
    uint64_t kind = in->w[0], nr = in->w[1];
    if (kind == PICO_INTERRUPT)
        return;
    struct trace_call *c = trace_enter(p->thread_badge, p->pid, proc_tgid(p), token, kind, nr, &in->w[2], t);
    if (!c)
        return;
    if (kind != PICO_SYSCALL && kind != PICO_SYSCALL32) {
        format_exception(c, t);
        return;
    }
    const char *name = kind == PICO_SYSCALL32 ? linux_i386_name(nr) : linux_syscall_name(nr);
    const char *letters = kind == PICO_SYSCALL32 ? "xxxxxx" : linux_arg_letters(nr); /* i386: the words */
    snprintf(c->name, sizeof c->name, "%s%s", kind == PICO_SYSCALL32 ? "i386 " : "", name ? name : "syscall");
    for (c->nargs = 0; letters[c->nargs] && c->nargs < 6; c->nargs++) {
        int i = c->nargs;
        if (letters[i] == 'm' && i && letters[i - 1] == 'o' && !(c->args[i - 1] & O_CREAT) && (c->args[i - 1] & O_TMPFILE) != O_TMPFILE)
            break; /* as strace: a mode only where the flags use one */
        format_arg(p, letters[i], c->args, i, c->arg[i], sizeof c->arg[0]);
    }
}

void linux_trace_result(uint64_t token, int64_t result) { trace_result(token, result); }

/* " = 3", " = 0x7f0000", " = -1 ENOENT (No such file or directory)" */
static void format_result(struct trace_call *c, int64_t r)
{
    bool address = c->nr == LNR_mmap || c->nr == LNR_brk || c->nr == LNR_mremap || c->nr == LNR_shmat;
    if (r < 0 && r > -4096) {
        uint64_t e = (uint64_t)-r;
        bool known = e < LINUX_ERRNO_COUNT && linux_errnos[e].name;
        if (e == 512) /* ERESTARTSYS: the call starts again */
            snprintf(c->outcome, sizeof c->outcome, " = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
        else
            snprintf(c->outcome, sizeof c->outcome, " = -1 %s (%s)", known ? linux_errnos[e].name : "E?",
                     known ? linux_errnos[e].text : "Unknown error");
    } else if (address)
        snprintf(c->outcome, sizeof c->outcome, " = %#lx", (unsigned long)r);
    else
        snprintf(c->outcome, sizeof c->outcome, " = %ld", (long)r);
}

void linux_trace_reply(uint64_t token, uint64_t action, uint64_t value)
{
    struct trace_call *c = trace_reply(token, action, value);
    if (!c)
        return;
    if (c->exception) {
        snprintf(c->outcome, sizeof c->outcome, action == PICO_RESUME_UNCHANGED ? " resolved"
                                                 : action == PICO_RESUME_REGS     ? " signal delivered"
                                                                                  : " killed");
        return;
    }
    if (!c->has_result) {
        snprintf(c->outcome, sizeof c->outcome, action == PICO_RESTART ? " = ? (restarted)" : " = ?");
        return;
    }
    format_result(c, c->result);
    const char *letters = linux_arg_letters(c->nr);
    struct proc *p = proc_by_pid(c->pid);
    for (int i = 0; p && i < c->nargs; i++)
        if (letters[i] == 'r' && c->result >= 0)
            bytes(p, c->args[i], c->result, c->arg[i], sizeof c->arg[i]);
    if (c->result >= 0 && action == PICO_RESUME_REGS)
        snprintf(c->outcome + strlen(c->outcome), sizeof c->outcome - strlen(c->outcome), " (then a signal)");
}

void linux_trace_exit(int pid, int status)
{
    static const char *const sig[32] = {
        [1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP", [6] = "SIGABRT",
        [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
        [13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM", [16] = "SIGSTKFLT", [17] = "SIGCHLD",
        [18] = "SIGCONT", [19] = "SIGSTOP", [20] = "SIGTSTP", [21] = "SIGTTIN", [22] = "SIGTTOU", [23] = "SIGURG",
        [24] = "SIGXCPU", [25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO",
        [30] = "SIGPWR", [31] = "SIGSYS"};
    char how[48];
    int s = status & 0x7f;
    if (s == 0)
        snprintf(how, sizeof how, "exited with %d", (status >> 8) & 0xff);
    else
        snprintf(how, sizeof how, "killed by %s%s", sig[s] ? sig[s] : "a signal", status & 0x80 ? " (core dumped)" : "");
    trace_end(pid, how);
}
