/*
 * personalities/linux/main.c - the Linux personality's server: registers
 * "linux", builds the root file system from the initramfs (and an overlay),
 * starts the command its module line or else the kernel command line names
 * after "--" (default /bin/sh) as process 1, and serves every trap of
 * every Linux process.  crash=N on its line makes it fault at its Nth
 * message (docs/supervision.md).
 *
 * A syscall goes to its handler through the table built from
 * syscalls.def; a number without a handler is -ENOSYS, logged once, and a
 * call syscalls.def declares ENOSYS on purpose (LINUX_NOSYS) is -ENOSYS
 * with nothing logged.  A page
 * fault either grows the stack or ends the process with SIGSEGV; any other
 * exception ends it with the signal Linux would send.  Every reply leaves
 * through linux_reply or the outbox (linux_answer), and handlers reach
 * user memory through mem_in, mem_out and mem_str.  A traced thread's
 * call may stop at its entry first (ptrace_entry), and runs later through
 * linux_run_call.
 *
 * Entry points: main; linux.h's replies and user memory.  Layer: the top:
 * it calls every subsystem.  Book: docs/linux.md, "How a Linux system
 * call runs".
 */
#include "cgroup.h"
#include "klog.h"
#include "dev.h"
#include "exec.h"
#include "interop.h"
#include "mount.h"
#include "relay.h"
#include "linux_names.h"
#include "proc.h"
#include "procfs.h"
#include "sysfs.h"
#include "sysvipc.h"
#include "socket.h"
#include "tty.h"
#include "userfaultfd.h"
#include "vdso.h"
#include <persona/supervisor.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int linux_ep = -1, linux_power = -1;
const char *linux_cmdline = "", *linux_name = "linux";

/* A call syscalls.def or i386.def answers ENOSYS on purpose (not
 * provided: Linux's own answer, or one the personality cannot give, for the
 * reason the table says): -ENOSYS, logged once per call, as a call not
 * implemented is (not_implemented below). */
static int64_t linux_not_provided(const struct sys_ctx *c, uint64_t nr)
{
    static bool warned[2][512];
    if (nr < 512 && !warned[c->i386][nr]) {
        warned[c->i386][nr] = true;
        const char *name = c->i386 ? linux_i386_name(nr) : linux_syscall_name(nr);
        klog(KERN_INFO, "linux: %s%s (%lu) is not provided: ENOSYS", c->i386 ? "i386 " : "", name ? name : "?",
             (unsigned long)nr);
    }
    return -LINUX_ENOSYS;
}

/* linux_table, every call's handler (a tail-calling trampoline that
 * unpacks the registers the handler takes; entry_nosys_NAME for a
 * LINUX_NOSYS call), and linux_arg_formats, the letters the tracer shows
 * the arguments by: both from syscalls.def. */
#include "linux_table.h"
/* linux_table32: the i386 calls' entries (i386.def). */
#include "linux_table32.h"
#include "i386.h"

const char *linux_arg_format(uint64_t nr) { return nr < LINUX_NR_COUNT ? linux_arg_formats[nr] : NULL; }

/* The bounce window's part of a copy (i386.h): 1 if va is in it, and the
 * bytes copied, or -EFAULT past its end. */
static int bounce(struct i386_bounce *w, void *to, const void *from, uint64_t va, size_t n, bool in)
{
    uint64_t off = va - I386_BOUNCE_VA;
    if (off >= w->len)
        return 0;
    if (n > w->len - off)
        return -LINUX_EFAULT;
    memcpy(in ? to : (char *)w->buf + off, in ? (char *)w->buf + off : from, n);
    return 1;
}

/* Copies from or to a process; pages not touched yet are mapped first. */
int mem_in(struct proc *p, void *dst, uint64_t va, size_t n)
{
    int b = p->bounce ? bounce(p->bounce, dst, NULL, va, n, true) : 0;
    if (b)
        return b < 0 ? b : 0;
    if (!n || sys_mem_read(p->task, va, dst, n) == 0)
        return 0;
    return mm_populate(p, va, n) < 0 || sys_mem_read(p->task, va, dst, n) < 0 ? -LINUX_EFAULT : 0;
}

int mem_out_force(struct proc *p, uint64_t va, const void *src, size_t n)
{
    int b = p->bounce ? bounce(p->bounce, NULL, src, va, n, false) : 0;
    if (b)
        return b < 0 ? b : 0;
    if (!n || sys_mem_write(p->task, va, src, n) == 0)
        return 0;
    return mm_populate(p, va, n) < 0 || sys_mem_write(p->task, va, src, n) < 0 ? -LINUX_EFAULT : 0;
}

/* Whether the areas over [va, va+n) let p write there, as Linux's
 * copy_to_user faults on a page without PROT_WRITE; a gap is left to the
 * write itself (nothing there, or the stack growing into it). */
static bool writable(struct proc *p, uint64_t va, size_t n)
{
    uint64_t end = va + n;
    for (struct vma *v = p->mm ? p->mm->vmas : NULL; v && va < end; v = v->next) {
        if (v->end <= va)
            continue;
        if (v->start > va)
            return true;
        if (!(v->prot & PROT_WRITE))
            return false;
        va = v->end;
    }
    return true;
}

int mem_out(struct proc *p, uint64_t va, const void *src, size_t n)
{
    if (n && !(p->bounce && va - I386_BOUNCE_VA < p->bounce->len) && !writable(p, va, n))
        return -LINUX_EFAULT;
    return mem_out_force(p, va, src, n);
}

int mem_zeros(struct proc *p, uint64_t va, uint64_t n)
{
    static const char zeros[64];
    char rest[64];
    for (uint64_t off = 0; off < n; off += sizeof rest) {
        size_t k = n - off < sizeof rest ? n - off : sizeof rest;
        if (mem_in(p, rest, va + off, k) < 0)
            return -LINUX_EFAULT;
        if (memcmp(rest, zeros, k) != 0)
            return 1;
    }
    return 0;
}

int mem_str(struct proc *p, uint64_t va, char *buf, size_t size)
{
    size_t got = 0;
    while (got < size) {
        /* up to 256 bytes, most paths in one read, but never past the end
         * of a page: the next may not be mapped */
        size_t chunk = 4096 - (va + got) % 4096;
        chunk = chunk < 256 ? chunk : 256;
        if (chunk > size - got)
            chunk = size - got;
        if (mem_in(p, buf + got, va + got, chunk) < 0)
            return -LINUX_EFAULT;
        char *nul = memchr(buf + got, 0, chunk);
        if (nul)
            return (int)(nul - buf);
        got += chunk;
    }
    return -LINUX_ENAMETOOLONG;
}

struct linux_outbox linux_outbox;

void linux_reply(uint64_t token, const struct ipc_msg *m, size_t bulk)
{
    if (bulk || linux_outbox.full) {
        if (trace_on)
            linux_trace_reply(token, m->w[0], m->w[1]);
        ipc_reply(linux_ep, token, (struct ipc_msg *)m, bulk);
        return;
    }
    linux_answer(token, m->w[0], m->w[1]);
}

void linux_answer_now(uint64_t token, uint64_t action, uint64_t value)
{
    struct ipc_msg m = {{action, value}};
    if (trace_on)
        linux_trace_reply(token, action, value);
    ipc_reply(linux_ep, token, &m, 0);
}

/* Sends the outbox's reply, if any, and receives the next message. */
static inline long exchange(struct ipc_msg *in, struct ipc_info *info)
{
    if (!linux_outbox.full)
        return ipc_recv(linux_ep, in, info);
    linux_outbox.full = false;
    return ipc_answer_recv(linux_ep, linux_outbox.token, linux_outbox.action, linux_outbox.value, in, info);
}

static const struct pico_trap *trap_in; /* the IPC buffer, where a trap's record arrives */

/* The same, traced: the message handled, the outbox's reply traced, the
 * lines printed; then the new message, if it is a trap. */
static __attribute__((noinline)) long exchange_traced(struct ipc_msg *in, struct ipc_info *info)
{
    trace_handled();
    if (linux_outbox.full)
        linux_trace_reply(linux_outbox.token, linux_outbox.action, linux_outbox.value);
    trace_idle();
    long r = exchange(in, info);
    struct proc *p = r >= 0 && info->token != BADGE_NOTIFY && in->w[0] < PICO_EV_THREAD_EXIT
                         ? proc_by_thread_badge(info->badge)
                         : NULL;
    if (p)
        linux_trace_trap(p, info->token, in, trap_in);
    return r;
}

/* The next message (one test of trace_on on the way: the common path's only). */
static long next_message(struct ipc_msg *in, struct ipc_info *info)
{
    return trace_on ? exchange_traced(in, info) : exchange(in, info);
}

static void reply(uint64_t token, uint64_t action, uint64_t value) { linux_answer(token, action, value); }

uint64_t linux_messages;
struct task_counts counts_all;

/* A call the personality does not implement: ENOSYS, logged once per call. */
static __attribute__((noinline)) int64_t not_implemented(uint64_t nr)
{
    static bool warned[LINUX_NR_COUNT + 1];
    if (!warned[nr < LINUX_NR_COUNT ? nr : LINUX_NR_COUNT]) {
        warned[nr < LINUX_NR_COUNT ? nr : LINUX_NR_COUNT] = true;
        klog(KERN_INFO, "linux: %s (%lu) is not implemented: ENOSYS",
             linux_syscall_name(nr) ? linux_syscall_name(nr) : "unknown syscall", (unsigned long)nr);
    }
    return -LINUX_ENOSYS;
}

/* A call's file-system context: whose permissions the file system
 * checks (and whom /proc/self names), no walk yet (no mount's flags),
 * and whose mounts its walks see; 64-bit and i386 calls alike. */
static inline void call_context(struct proc *p)
{
    fs_cred = &p->cred;
    fs_walk_mount = (struct fs_walk_mount){NULL, 0, NULL};
    fs_walk_start = (struct fs_walk_start){NULL, 0};
    fs_mnt_ns = p->ns[NS_MNT];
}

static int64_t run_syscall(struct sys_ctx *c, uint64_t nr)
{
    call_context(c->p);
    if (nr < LINUX_NR_COUNT && linux_table[nr])
        return linux_table[nr](c);
    if (nr == RELAY_NR && c->p->relay) /* a relay's own call (interop.c) */
        return relay_call(c, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
    return not_implemented(nr);
}

/* A 64-bit call: the filters first, after a tracer's entry stop, as
 * Linux's; then its handler, and the reply unless it waits.  Inline:
 * this is every call's path. */
static inline __attribute__((always_inline)) void run_call(struct proc *p, uint64_t token,
                                                           const struct pico_trap *trap, uint64_t nr, uint64_t *args)
{
    struct sys_ctx c = {p, token, trap, args, false, false, NULL, NULL, false};
    int64_t r;
    if (__builtin_expect(!p->seccomp.mode, 1) || !seccomp_stops(&c, nr, &r)) {
        p->io_call = io_kind(nr, false); /* a read or write: counted at its reply, whenever (procio.c) */
        r = run_syscall(&c, nr);
    }
    if (!c.deferred && !c.no_reply)
        proc_reply(p, token, r);
    else if (c.deferred) /* it waits: off the CPU (perf's context switches) */
        p->counts.switches++, counts_all.switches++, p->wait_nr = (int)nr;
}

void linux_run_call(struct proc *p, uint64_t token, const struct pico_trap *trap, uint64_t nr, uint64_t *args)
{
    run_call(p, token, trap, nr, args);
}

void linux_run_allowed(struct proc *p, uint64_t token, const struct pico_trap *trap, uint64_t nr, uint64_t *args)
{
    struct sys_ctx c = {p, token, trap, args, false, false, NULL, NULL, false};
    p->io_call = io_kind(nr, false);
    int64_t r = run_syscall(&c, nr);
    if (!c.deferred && !c.no_reply)
        proc_reply(p, token, r);
}

static void handle_syscall(struct proc *p, struct ipc_msg *in, uint64_t token)
{
    uint64_t nr = in->w[1];
    if (__builtin_expect(p->pt.tracer != 0, 0) && ptrace_entry(p, token, trap_in, in->w))
        return; /* stopped at the call's entry: it runs when the tracer resumes it (ptrace.c) */
    run_call(p, token, trap_in, nr, &in->w[2]);
}

/* An i386 call (int 0x80): its entry in the i386 table, the arguments
 * i386.def says are signed sign-extended; one without is ENOSYS, logged
 * once. */
void linux_run_call32(struct proc *p, uint64_t token, const struct pico_trap *trap, uint64_t nr, uint64_t *args)
{
    static bool warned[I386_NR_COUNT + 1];
    struct sys_ctx c = {p, token, trap, args, false, false, NULL, NULL, true};
    int64_t r = -LINUX_ENOSYS;
    call_context(p); /* an i386 process in a mount namespace of its own walks its mounts */
    if (p->seccomp.mode && seccomp_stops(&c, nr, &r)) {
        /* answered by the filters, which see the i386 number and arch */
    } else if (nr < I386_NR_COUNT && linux_table32[nr].entry) {
        for (int i = 0; i < 6; i++)
            if (linux_table32[nr].sext >> i & 1)
                c.a[i] = (uint64_t)(int64_t)(int32_t)c.a[i];
        p->io_call = io_kind(nr, true);
        r = linux_table32[nr].entry(&c);
    } else if (!warned[nr < I386_NR_COUNT ? nr : I386_NR_COUNT]) {
        warned[nr < I386_NR_COUNT ? nr : I386_NR_COUNT] = true;
        klog(KERN_INFO, "linux: i386 %s (%lu) is not implemented: ENOSYS",
             nr < I386_NR_COUNT && linux_names32[nr] ? linux_names32[nr] : "unknown syscall", (unsigned long)nr);
    }
    if (!c.deferred && !c.no_reply)
        proc_reply(p, token, r);
    else if (c.deferred)
        p->counts.switches++, counts_all.switches++, p->wait_nr = -1;
}

static void handle_syscall32(struct proc *p, struct ipc_msg *in, uint64_t token)
{
    if (__builtin_expect(p->pt.tracer != 0, 0) && ptrace_entry(p, token, trap_in, in->w))
        return; /* stopped at the call's entry: it runs when the tracer resumes it (ptrace.c) */
    linux_run_call32(p, token, trap_in, in->w[1], &in->w[2]);
}

const char *linux_i386_name(uint64_t nr) { return nr < I386_NR_COUNT ? linux_names32[nr] : NULL; }

enum { X86_PF = 14 }; /* the page fault's vector */

static void handle_exception(struct proc *p, const struct ipc_msg *in, uint64_t token)
{
    const struct pico_trap *t = trap_in;
    int u = in->w[0] == X86_PF ? uffd_fault(p, t->addr, t->error, token) : UFFD_NOT_MINE;
    p->counts.faults += in->w[0] == X86_PF, counts_all.faults += in->w[0] == X86_PF;
    if (u == UFFD_QUEUED) { /* a userfaultfd serves it: the reply waits for the page */
        p->counts.switches++, counts_all.switches++;
        return;
    }
    int r = u == UFFD_SIGBUS ? MM_SIGBUS : in->w[0] == X86_PF ? mm_fault(p, t->addr, t->error) : -1;
    p->counts.minflt += r == 0, counts_all.minflt += r == 0;
    if (r == 0 && p->cgroup && cgroupctl_mem_check(p))
        return; /* past its group's memory.max, and killed (cgroupctl.c) */
    if (r == 0) {
        reply(token, PICO_RESUME_UNCHANGED, 0); /* the instruction runs again, and finds its page */
        return;
    }
    if (r == -LINUX_ENOMEM) { /* as Linux's OOM killer, for the process that asked */
        proc_oom_kill(p);
        return;
    }
    signal_exception(p, in->w[0], t->error, t->addr, t->rip, r == MM_SIGBUS, token);
}

/* The number after word (e.g. "linux.rows=") among the words of the
 * kernel command line before "--", or 0. */
unsigned cmdline_number(const char *cmdline, const char *word)
{
    size_t n = strlen(word);
    for (const char *s = cmdline; *s;) {
        while (*s == ' ')
            s++;
        if (strncmp(s, "--", 2) == 0 && (s[2] == ' ' || !s[2]))
            break;
        if (strncmp(s, word, n) == 0)
            return (unsigned)strtoul(s + n, NULL, 10);
        while (*s && *s != ' ')
            s++;
    }
    return 0;
}

/* Splits the words after "--" on the kernel command line, as a shell
 * would: '...' and "..." quote, and a backslash outside '...' takes the
 * next byte as it is (GRUB writes a module line's argument that holds
 * spaces as "...", with \, \' and \" inside). */
static int command_from_cmdline(char *line, const char *argv[], int max)
{
    char *p = strstr(line, " -- ");
    int n = 0;
    if (!p && strncmp(line, "-- ", 3) == 0)
        p = line - 1;
    if (!p)
        return 0;
    for (p += 4; *p && n < max - 1;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        char *out = p;
        argv[n++] = out;
        for (char quote = 0; *p && (quote || *p != ' '); p++) {
            if (*p == '\\' && quote != '\'' && p[1])
                *out++ = *++p;
            else if ((*p == '\'' || *p == '"') && (!quote || quote == *p))
                quote = quote ? 0 : *p;
            else
                *out++ = *p;
        }
        if (*p)
            p++;
        *out = '\0';
    }
    argv[n] = NULL;
    return n;
}

/* The command after "--" among this server's own words (its module
 * line), which comes before the kernel command line's: two instances run
 * commands of their own. */
static int command_from_words(int argc, char **words, const char *argv[], int max)
{
    static char line[1024];
    size_t at = 0;
    for (int i = 1, on = 0; i < argc && at < sizeof line; i++) {
        on = on || strcmp(words[i], "--") == 0;
        if (on)
            at += (size_t)snprintf(line + at, sizeof line - at, "%s%s", at ? " " : "", words[i]);
    }
    return at ? command_from_cmdline(line, argv, max) : 0;
}

/* The command from a "cmd" blob: NUL-separated words (scripts/persona-run). */
static int command_from_blob(const char *argv[], int max)
{
    size_t len;
    const char *b = persona_blob("cmd", &len), *end = b + len;
    int n = 0;
    while (b && b < end && n < max - 1 && memchr(b, 0, (size_t)(end - b))) {
        argv[n++] = b;
        b += strlen(b) + 1;
    }
    argv[n] = NULL;
    return n;
}

int main(int argc_, char **argv_)
{
    static char cmdline[1024];
    linux_cmdline = cmdline;
    const char *argv[64] = {"/bin/sh", NULL};
    const char *env = getenv("PERSONA_CMDLINE");
    snprintf(cmdline, sizeof cmdline, "%s", env ? env : "");
    int argc = command_from_words(argc_, argv_, argv, 64);
    if (argc == 0)
        argc = command_from_blob(argv, 64);
    if (argc == 0)
        argc = command_from_cmdline(cmdline, argv, 64);
    if (argc == 0) /* no command: /bin/sh */
        argv[0] = "/bin/sh", argv[1] = NULL, argc = 1;
    const char *tty = "console";
    bool input = true; /* noinput: this instance leaves the keyboard to another */
    linux_name = argc_ > 0 ? argv_[0] : "linux";
    unsigned long crash_at = persona_crash_at(argc_, argv_); /* crash=N: fault at the Nth message */
    for (int i = 1; i < argc_ && strcmp(argv_[i], "--") != 0; i++) /* the words before the command */
        if (strncmp(argv_[i], "tty=", 4) == 0)
            tty = argv_[i] + 4;
        else if (strcmp(argv_[i], "noinput") == 0)
            input = false;

    time_init();
    uint64_t provide = linux_trace_init(cmdline) ? PICO_TIMED : 0;
    linux_ep = (int)sys_endpoint_create();
    linux_power = persona_device();
    if (linux_ep < 0 || !(trap_in = ipc_buf()) || sys_pico_provide(linux_ep, provide) < 0) {
        printf("linux: cannot register the personality\n");
        return 1;
    }
    klog_init(cmdline, strcmp(tty, "console") == 0);
    tty_init(tty, input);
    tty_set_size(cmdline);
    wait_init();
    fs_init();
    dev_init();
    size_t len;
    const void *blob = persona_blob("initramfs", &len);
    if (!blob || fs_load_cpio(blob, len) < 0)
        klog(KERN_ERR, "linux: no usable initramfs");
    if ((blob = persona_blob("overlay", &len)) && fs_load_cpio(blob, len) < 0)
        klog(KERN_ERR, "linux: the overlay archive is malformed");
    procfs_init();
    sysfs_init();
    if (vdso_init() < 0)
        klog(KERN_WARNING, "linux: no vDSO: its clocks go through system calls");
    int r = proc_start_init(argv, argc);
    if (r < 0) {
        klog(KERN_ERR, "linux: cannot start %s: error %d", argv[0], -r);
        if (linux_power >= 0)
            sys_machine_exit(linux_power, 127);
        return 1;
    }
    for (;;) {
        struct ipc_msg in;
        struct ipc_info info;
        if (linux_messages + 1 == crash_at)
            persona_crash();
        if (fs_sweep_wanted || mount_lazy_pending)
            proc_collect();
        if (unix_gc_wanted) /* AF_UNIX sockets only the queues hold (unixctl.c) */
            unix_gc();
        if (next_message(&in, &info) < 0)
            continue;
        linux_messages++;
        if (info.token == BADGE_NOTIFY) {
            timers_fire();
            continue;
        }
        struct proc *p = proc_by_thread_badge(info.badge);
        uint64_t start = persona_rdtsc(); /* this server's time on p's call is p's system time */
        if (p && in.w[0] == PICO_SYSCALL) { /* the common case first */
            proc_charged = p, ipc_cur = ns_of(p, NS_IPC)->ipc; /* the IPC objects it sees */
            handle_syscall(p, &in, info.token);
            if (proc_charged)
                proc_charged->server_tsc += persona_rdtsc() - start;
            continue;
        }
        if (p && in.w[0] == PICO_SYSCALL32) { /* int 0x80: an i386 call */
            proc_charged = p, ipc_cur = ns_of(p, NS_IPC)->ipc;
            handle_syscall32(p, &in, info.token);
            if (proc_charged)
                proc_charged->server_tsc += persona_rdtsc() - start;
            continue;
        }
        if (tty_is_input(&info)) {
            static char bytes[IPC_BUFFER_SIZE];
            memcpy(bytes, ipc_buf(), info.len); /* echoing reuses the IPC buffer */
            reply(info.token, 0, 0);
            tty_input(bytes, info.len);
            continue;
        }
        if (interop_is_event(&info)) { /* another personality's program did something */
            static char bytes[IPC_BUFFER_SIZE];
            memcpy(bytes, ipc_buf(), info.len);
            reply(info.token, 0, 0);
            interop_event(&info, in.w, bytes);
            continue;
        }
        if (in.w[0] == PICO_EV_TASK_DIED) {
            struct proc *dead = proc_by_task_badge(info.badge);
            if (dead)
                proc_exit(dead, SIGKILL); /* killed from outside */
            continue;
        }
        if (in.w[0] == PICO_EV_THREAD_EXIT)
            continue;
        if (!p) {
            reply(info.token, PICO_KILL_TASK, 0);
            continue;
        }
        proc_charged = p;
        if (in.w[0] == PICO_INTERRUPT)
            proc_reply(p, info.token, RESUME_UNCHANGED); /* signals, or a stop, for code making no calls */
        else
            handle_exception(p, &in, info.token);
        if (proc_charged)
            proc_charged->server_tsc += persona_rdtsc() - start;
    }
}
