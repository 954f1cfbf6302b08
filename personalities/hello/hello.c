/*
 * personalities/hello/hello.c - the smallest complete personality.
 *
 * Read this file first if you want to see how a personality works.  The
 * hello server registers with the kernel under the name "hello", loads its
 * pico programs from boot blobs, and then serves their traps forever:
 *
 *   1. A pico thread executes `syscall` (or faults).  It never reaches the
 *      kernel's own calls: the kernel blocks it and sends us one message.
 *   2. We receive it with ipc_recv: w0 is the kind (PICO_SYSCALL or a CPU
 *      vector), w1..w7 are rax, rdi, rsi, rdx, r10, r8, r9, the badge names
 *      the thread, and struct pico_trap in our IPC buffer has the rest.
 *   3. We reply with PICO_RESUME and a result for rax, or PICO_KILL_TASK.
 *      A reply can also wait: sleep keeps the token and replies later.
 *
 * The hello ABI: rax = call number, rdi and rsi = arguments.
 *   1 write(buf, len)   2 exit(code)   3 getpid()   4 sleep(ms)
 *
 * Command line: blob=NAME... (the programs), use=console, and optionally
 * "exit-when-done" with a power device: power off once all programs end,
 * and "crash=N": fault at its Nth message (docs/supervision.md).
 * "hello.trace=SPEC" on the kernel command line traces the programs with
 * libc's tracer (<persona/trace.h>, docs/tracing.md): hello only names
 * its calls and writes each result.
 */
#include <persona/ipc.h>
#include <persona/pico.h>
#include <persona/supervisor.h>
#include <persona/trace.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HELLO_WRITE = 1, HELLO_EXIT = 2, HELLO_GETPID = 3, HELLO_SLEEP = 4 };
#define ENOSYS 38
#define EFAULT 14
#define MAX_PROCS 8
#define MAX_SLEEPERS 8

struct proc {
    int task;   /* handle to the pico task */
    bool alive;
};

static struct proc procs[MAX_PROCS + 1]; /* indexed by pid = badge */
static struct {
    uint64_t token, wake_ns;
} sleepers[MAX_SLEEPERS];
static int nsleepers, ep, timer;

static void reply(uint64_t token, struct ipc_msg *m); /* every reply, traced */

/* Starts a program from a boot blob as pico task number pid. */
static int load(const void *img, size_t size, int pid)
{
    int task;
    if (pico_load_elf(ep, img, size, (uint64_t)pid, 0, (uint64_t)pid, &task, NULL) < 0)
        return -1;
    procs[pid] = (struct proc){task, true};
    return 0;
}

/* ---- The calls ---- */

static long do_write(struct proc *p, uint64_t buf, uint64_t len)
{
    char chunk[256];
    for (uint64_t done = 0; done < len;) {
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        if (sys_mem_read(p->task, buf + done, chunk, n) < 0)
            return -EFAULT;
        fwrite(chunk, 1, n, stdout);
        done += n;
    }
    fflush(stdout);
    return (long)len;
}

static void rearm_timer(void)
{
    uint64_t next = 0, now = (uint64_t)sys_clock_ns();
    for (int i = 0; i < nsleepers; i++)
        if (!next || sleepers[i].wake_ns < next)
            next = sleepers[i].wake_ns;
    sys_timer_arm(timer, next ? (next > now ? next - now : 1) : 0, 1);
}

static void wake_sleepers(void)
{
    uint64_t now = (uint64_t)sys_clock_ns();
    for (int i = 0; i < nsleepers;) {
        if (sleepers[i].wake_ns > now) {
            i++;
            continue;
        }
        struct ipc_msg m = {{PICO_RESUME, 0}};
        reply(sleepers[i].token, &m);
        sleepers[i] = sleepers[--nsleepers];
    }
    rearm_timer();
}

/* ---- Tracing: the names, and each reply's outcome ---- */

static const char *call_name(uint64_t nr)
{
    static const char *const names[] = {[HELLO_WRITE] = "write", [HELLO_EXIT] = "exit", [HELLO_GETPID] = "getpid",
                                        [HELLO_SLEEP] = "sleep"};
    return nr < sizeof names / sizeof names[0] ? names[nr] : NULL;
}
static const struct trace_names trace_names = {call_name, HELLO_SLEEP + 1};

static void trace_trap(int pid, uint64_t token, const struct ipc_msg *in)
{
    struct trace_call *c = trace_enter((uint64_t)pid, pid, pid, token, in->w[0], in->w[1], &in->w[2], ipc_buf());
    if (c && c->exception)
        c->nargs = -1, snprintf(c->name, sizeof c->name, "--- %s ---", persona_exception_name(c->nr));
    else if (c) {
        snprintf(c->name, sizeof c->name, "%s", call_name(c->nr) ? call_name(c->nr) : "syscall");
        for (c->nargs = 0; c->nargs < 2; c->nargs++)
            snprintf(c->arg[c->nargs], sizeof c->arg[0], "%#lx", (unsigned long)c->args[c->nargs]);
    }
}

static void reply(uint64_t token, struct ipc_msg *m)
{
    struct trace_call *c = trace_on ? trace_reply(token, m->w[0], m->w[1]) : NULL;
    if (c)
        snprintf(c->outcome, sizeof c->outcome, m->w[0] == PICO_RESUME ? " = %ld" : " -> killed", (long)m->w[1]);
    ipc_reply(ep, token, m, 0);
}

/* Returns true when the reply is left for later. */
static bool hello_syscall(struct proc *p, int pid, const struct ipc_msg *in, uint64_t token, struct ipc_msg *out)
{
    static bool warned[512];
    uint64_t nr = in->w[1], a0 = in->w[2], a1 = in->w[3];
    out->w[0] = PICO_RESUME;
    switch (nr) {
    case HELLO_WRITE: out->w[1] = (uint64_t)do_write(p, a0, a1); return false;
    case HELLO_GETPID: out->w[1] = (uint64_t)pid; return false;
    case HELLO_EXIT: out->w[0] = PICO_KILL_TASK, out->w[1] = a0; return false;
    case HELLO_SLEEP:
        if (nsleepers < MAX_SLEEPERS) {
            sleepers[nsleepers].token = token;
            sleepers[nsleepers++].wake_ns = (uint64_t)sys_clock_ns() + a0 * 1000000;
            rearm_timer();
            return true;
        }
        out->w[1] = 0;
        return false;
    }
    if (nr < 512 && !warned[nr] && (warned[nr] = true))
        printf("hello: task %d: unknown call %lu, returning ENOSYS\n", pid, (unsigned long)nr);
    out->w[1] = (uint64_t)-ENOSYS;
    return false;
}

static void exception(int pid, const struct ipc_msg *in, struct ipc_msg *out)
{
    const struct pico_trap *t = ipc_buf();
    if (in->w[0] == 14)
        printf("task %d: page fault at 0x%lx (%s, %s)\n", pid, (unsigned long)t->addr,
               t->error & PF_FETCH ? "exec" : t->error & PF_WRITE ? "write" : "read",
               t->error & PF_PRESENT ? "protection" : "user");
    else /* the vector's name from <persona/abi.h>: "#UD invalid opcode" */
        printf("task %d: %s at 0x%lx\n", pid, persona_exception_name(in->w[0]), (unsigned long)t->rip);
    fflush(stdout);
    out->w[0] = PICO_KILL_TASK;
    out->w[1] = 128 + in->w[0];
}

int main(int argc, char **argv)
{
    bool exit_when_done = false;
    int nprocs = 0, running = 0;
    unsigned long crash_at = persona_crash_at(argc, argv), messages = 0; /* crash=N */
    const char *cmdline = getenv("PERSONA_CMDLINE");
    uint64_t flags = trace_init("hello", cmdline ? cmdline : "", &trace_names) ? PICO_TIMED : 0;
    ep = (int)sys_endpoint_create();
    timer = (int)sys_notif_create();
    if (ep < 0 || timer < 0 || sys_notif_bind(timer) < 0 || !ipc_buf() ||
        sys_pico_provide(ep, flags) < 0) {
        printf("hello: cannot register\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        size_t len;
        const void *img = persona_blob(argv[i], &len);
        if (strcmp(argv[i], "exit-when-done") == 0)
            exit_when_done = true;
        else if (strncmp(argv[i], "crash=", 6) == 0)
            continue;
        else if (!img || nprocs == MAX_PROCS || load(img, len, nprocs + 1) < 0)
            printf("hello: cannot start %s\n", argv[i]);
        else
            nprocs++, running++;
    }
    printf("hello: personality ready, %d program(s) started\n", nprocs);
    fflush(stdout);
    for (;;) {
        struct ipc_msg in, out = {{0}};
        struct ipc_info info;
        if (++messages == crash_at) /* crash=N: as it would take its Nth message */
            persona_crash();
        if (trace_on)
            trace_handled(), trace_idle();
        if (ipc_recv(ep, &in, &info) < 0)
            continue;
        int pid = (int)info.badge;
        if (trace_on && in.w[0] < PICO_INTERRUPT && info.token != BADGE_NOTIFY)
            trace_trap(pid, info.token, &in);
        if (info.token == BADGE_NOTIFY) {
            wake_sleepers();
        } else if (in.w[0] == PICO_EV_TASK_DIED) {
            char how[32];
            snprintf(how, sizeof how, "exited with %ld", (long)in.w[1]);
            trace_end(pid, how);
            printf("hello: task %d exited with status %ld\n", pid, (long)in.w[1]);
            fflush(stdout);
            if (pid > 0 && pid <= MAX_PROCS && procs[pid].alive)
                procs[pid].alive = false, running--;
            if (running == 0 && exit_when_done)
                trace_summary(), fflush(stdout), sys_machine_exit(persona_device(), 0);
        } else if (in.w[0] == PICO_EV_THREAD_EXIT) {
            /* one thread per task here: the task's death says it all */
        } else if (pid < 1 || pid > MAX_PROCS || !procs[pid].alive) {
            out.w[0] = PICO_KILL_TASK;
            reply(info.token, &out);
        } else if (in.w[0] == PICO_SYSCALL) {
            if (!hello_syscall(&procs[pid], pid, &in, info.token, &out))
                reply(info.token, &out);
        } else {
            exception(pid, &in, &out);
            reply(info.token, &out);
        }
    }
}
