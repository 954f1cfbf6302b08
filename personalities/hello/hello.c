/*
 * personalities/hello/hello.c - the smallest complete personality; read it
 * first to see how one works.  It registers with the kernel and serves its
 * pico programs' traps forever:
 *   1. A pico thread executes `syscall` (or faults).  The kernel blocks it
 *      and sends us one message.
 *   2. ipc_recv gives it: w0 is the kind (PICO_SYSCALL or a CPU vector),
 *      w1..w7 are rax, rdi, rsi, rdx, r10, r8, r9, the badge names the
 *      thread, and struct pico_trap in our IPC buffer has the rest.
 *   3. We reply PICO_RESUME with a result for rax, or PICO_KILL_TASK; or
 *      keep the token and reply later (sleep, and streams).
 * The hello ABI: rax = call, rdi, rsi, rdx = arguments: 1 write(fd, buf,
 * len), 2 exit(code), 3 getpid(), 4 sleep(ms), 5 read(fd, buf, len).  A
 * program starts with rsp at argc, argv's pointers and a NULL.
 * Boot programs (blobs named on the module line, hello-prog with
 * hello.demo on the kernel command line) write to the console.  Programs
 * another personality starts by the personality protocol (<persona/spawn.h>,
 * docs/personality-protocol.md) use that caller's streams: a read or write
 * is an event the caller fetches (SPAWN_NEXT); its SPAWN_RESULT is the
 * call's result.  Module words: serve=hello, use=console, blob=NAME NAME,
 * exit-when-done (with power), crash=N (fault on the Nth message);
 * hello.trace=SPEC traces (docs/tracing.md).
 */
#include <persona/ipc.h>
#include <persona/pico.h>
#include <persona/spawn.h>
#include <persona/trace.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HELLO_WRITE = 1, HELLO_EXIT = 2, HELLO_GETPID = 3, HELLO_SLEEP = 4, HELLO_READ = 5 };
enum { EBADF = 9, EAGAIN = 11, ENOMEM = 12, EFAULT = 14, EINVAL = 22, ENOSYS = 38 };
enum { MAX_PROCS = 16, MAX_SLEEPERS = 16, MAX_CLIENTS = 8, MAX_IMAGE = 1 << 20 };
#define PID_BADGE 0x10000 /* pico badges are PID_BADGE + pid: callers' badges are small */

struct proc {
    bool used;
    int task;        /* handle to the pico task, -1 once it has died */
    uint64_t client; /* a spawned program's caller (its badge); 0: a boot program */
    uint64_t job;    /* the caller's number for it */
    int ev;          /* the event waiting for the caller (SPAWN_EV_*), 0: none */
    bool ev_sent;    /* fetched by SPAWN_NEXT: the program waits for SPAWN_RESULT */
    uint64_t token;  /* the program's write or read, held meanwhile */
    uint64_t fd, buf, len;
    int status, sig;        /* how it ended */
    bool fault;             /* data holds its fault report */
    char data[SPAWN_CHUNK]; /* a write's bytes, or a fault's report (for fd 2,
                               before the EXIT) */
};

static struct proc procs[MAX_PROCS + 1]; /* indexed by pid */
static struct {
    uint64_t token, wake_ns;
} sleepers[MAX_SLEEPERS];
static struct {
    uint64_t badge, token; /* a caller, and its SPAWN_NEXT while it waits (0: none) */
} clients[MAX_CLIENTS];
static int nsleepers, ep, timer, nboot;
static char *image; /* the program a caller is loading (SPAWN_LOAD), image_len bytes */
static uint64_t image_len;
static int *volatile nowhere; /* crash=N writes here: address 0 */
static void reply(uint64_t token, struct ipc_msg *m); /* every reply, traced */

static void answer(uint64_t token, uint64_t w0) { reply(token, &(struct ipc_msg){{w0}}); }
/* Starts a program as the first free pid; the pid, or -errno. */
static int start(const void *img, size_t size, int argc, const char *const argv[], uint64_t client, uint64_t job)
{
    int pid = 1, task;
    while (pid <= MAX_PROCS && procs[pid].used)
        pid++;
    if (pid > MAX_PROCS)
        return -EAGAIN;
    int r = pico_load_elf_argv(ep, img, size, PID_BADGE + (uint64_t)pid, PID_BADGE + (uint64_t)pid, argc, argv, &task,
                               NULL);
    if (r < 0)
        return r;
    procs[pid] = (struct proc){.used = true, .task = task, .client = client, .job = job};
    return pid;
}

/* ---- The personality protocol: events for callers ---- */

static int client_slot(uint64_t badge) /* the caller's slot, taken if it is new; -1 if all are */
{
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (clients[i].badge == badge || (clients[i].badge == 0 && (clients[i].badge = badge)))
            return i;
    return -1;
}

/* Hands the caller waiting in SPAWN_NEXT (if any) one of its events. */
static void deliver(uint64_t client)
{
    int c = client_slot(client);
    if (c < 0 || !clients[c].token)
        return;
    for (int pid = 1; pid <= MAX_PROCS; pid++) {
        struct proc *p = &procs[pid];
        if (!p->used || p->client != client || !p->ev || p->ev_sent)
            continue;
        struct ipc_msg m = {{(uint64_t)p->ev, p->job, p->fd, p->len}};
        size_t bulk = p->ev == SPAWN_EV_WRITE ? p->len : 0;
        memcpy(ipc_buf(), p->data, bulk);
        if (p->ev == SPAWN_EV_EXIT)
            m.w[2] = (uint64_t)p->status, m.w[3] = (uint64_t)p->sig, *p = (struct proc){0}; /* the pid is free */
        else
            p->ev_sent = true;
        ipc_reply(ep, clients[c].token, &m, bulk);
        clients[c].token = 0;
        return;
    }
}

/* The program's write or read becomes an event; its reply waits. */
static bool stream_event(struct proc *p, int ev, uint64_t token, uint64_t fd, uint64_t buf, uint64_t len)
{
    len = len > SPAWN_CHUNK ? SPAWN_CHUNK : len;
    if (ev == SPAWN_EV_WRITE && sys_mem_read(p->task, buf, p->data, len) < 0)
        return false; /* EFAULT at once */
    p->ev = ev, p->ev_sent = false, p->token = token, p->fd = fd, p->buf = buf, p->len = len;
    deliver(p->client);
    return true;
}

/* A program has ended (its task is gone): its caller gets the EXIT,
 * after the fault report if there is one. */
static void ended(struct proc *p, int status)
{
    sys_handle_close(p->task);
    p->task = -1;
    p->status = status & 255;
    if (!p->client)
        return (void)(*p = (struct proc){0});
    p->ev = p->fault ? SPAWN_EV_WRITE : SPAWN_EV_EXIT, p->ev_sent = false, p->fd = 2;
    deliver(p->client);
}

/* A request of the protocol, from the caller with this badge. */
static void protocol(uint64_t client, const struct ipc_msg *in, uint64_t token, size_t bulk)
{
    struct proc *p = NULL;
    char *b = ipc_buf();
    for (int pid = 1; pid <= MAX_PROCS && !p; pid++)
        p = procs[pid].used && procs[pid].client == client && procs[pid].job == in->w[1] ? &procs[pid] : NULL;
    switch (in->w[0]) {
    case SPAWN_LOAD: {
        uint64_t off = in->w[2], total = in->w[3];
        if (total > MAX_IMAGE || off > total || bulk > total - off)
            return answer(token, (uint64_t) - (total > MAX_IMAGE ? ENOMEM : EINVAL));
        if (off == 0)
            free(image), image = malloc(total ? total : 1), image_len = total;
        if (!image || image_len != total)
            return answer(token, (uint64_t)-ENOMEM);
        memcpy(image + off, b, bulk);
        return answer(token, 0);
    }
    case SPAWN_START: {
        const char *argv[PICO_ARGV_MAX], *s = b;
        uint64_t argc = in->w[2];
        b[bulk < SPAWN_CHUNK ? bulk : SPAWN_CHUNK - 1] = '\0';
        for (uint64_t i = 0; i < argc && i < PICO_ARGV_MAX; i++, s += strlen(s) + 1)
            argv[i] = s < b + bulk ? s : "";
        int r = p || !image || client_slot(client) < 0
                    ? -EINVAL
                    : start(image, image_len, argc < PICO_ARGV_MAX ? (int)argc : PICO_ARGV_MAX, argv, client, in->w[1]);
        free(image), image = NULL;
        return answer(token, r < 0 ? (uint64_t)r : 0);
    }
    case SPAWN_NEXT: {
        int c = client_slot(client);
        if (c < 0)
            return answer(token, (uint64_t)-EAGAIN);
        if (clients[c].token) /* one waits already: its caller died and came back with the same badge */
            answer(clients[c].token, (uint64_t)-EAGAIN);
        return clients[c].token = token, deliver(client);
    }
    case SPAWN_RESULT:
        answer(token, 0);
        if (!p || !p->ev_sent)
            return;
        if (p->task < 0) { /* its fault report went out: now the EXIT */
            p->fault = false, p->ev = SPAWN_EV_EXIT, p->ev_sent = false;
            return deliver(client);
        }
        int64_t r = (int64_t)in->w[2];
        if (p->ev == SPAWN_EV_READ && r > 0 &&
            (r > (int64_t)p->len || (uint64_t)r > bulk || sys_mem_write(p->task, p->buf, b, (uint64_t)r) < 0))
            r = -EFAULT;
        p->ev = 0, p->ev_sent = false;
        return reply(p->token, &(struct ipc_msg){{PICO_RESUME, (uint64_t)r}});
    case SPAWN_SIGNAL:
        answer(token, 0);
        if (p && p->task >= 0)
            p->sig = (int)in->w[2], sys_task_kill(p->task); /* its death event ends it */
        return;
    }
    answer(token, (uint64_t)-ENOSYS);
}

/* A boot program's write goes to the console, at most SPAWN_CHUNK bytes of it. */
static long do_write(struct proc *p, uint64_t fd, uint64_t buf, uint64_t len)
{
    len = len > SPAWN_CHUNK ? SPAWN_CHUNK : len;
    if (fd != 1 && fd != 2)
        return -EBADF;
    if (sys_mem_read(p->task, buf, p->data, len) < 0)
        return -EFAULT;
    fwrite(p->data, 1, len, stdout), fflush(stdout);
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
    for (int i = 0; i < nsleepers;)
        if (sleepers[i].wake_ns <= now)
            reply(sleepers[i].token, &(struct ipc_msg){{PICO_RESUME, 0}}), sleepers[i] = sleepers[--nsleepers];
        else
            i++;
    rearm_timer();
}

/* ---- Tracing: the names, and each reply's outcome ---- */

static const char *call_name(uint64_t nr)
{
    static const char *const names[] = {[HELLO_WRITE] = "write",
                                        [HELLO_EXIT] = "exit",
                                        [HELLO_GETPID] = "getpid",
                                        [HELLO_SLEEP] = "sleep",
                                        [HELLO_READ] = "read"};
    return nr < sizeof names / sizeof names[0] ? names[nr] : NULL;
}
static const struct trace_names trace_names = {call_name, HELLO_READ + 1};

static void trace_trap(int pid, uint64_t token, const struct ipc_msg *in)
{
    struct trace_call *c = trace_enter((uint64_t)pid, pid, pid, token, in->w[0], in->w[1], &in->w[2], ipc_buf());
    if (c && c->exception)
        c->nargs = -1, snprintf(c->name, sizeof c->name, "--- %s ---", persona_exception_name(c->nr));
    else if (c) {
        snprintf(c->name, sizeof c->name, "%s", call_name(c->nr) ? call_name(c->nr) : "syscall");
        for (c->nargs = 0; c->nargs < 3; c->nargs++)
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
    uint64_t nr = in->w[1], a0 = in->w[2], a1 = in->w[3], a2 = in->w[4];
    out->w[0] = PICO_RESUME;
    switch (nr) {
    case HELLO_WRITE:
    case HELLO_READ:
        if (p->client && a0 <= 2 && (a0 == 0) == (nr == HELLO_READ)) /* the caller's fd 0, 1 or 2 */
            return stream_event(p, nr == HELLO_READ ? SPAWN_EV_READ : SPAWN_EV_WRITE, token, a0, a1, a2) ||
                   (out->w[1] = (uint64_t)-EFAULT, false);
        out->w[1] = (uint64_t)(p->client          ? -EBADF
                               : nr == HELLO_READ ? (a0 == 0 ? 0 : -EBADF)
                                                  : do_write(p, a0, a1, a2));
        return false;
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

/* A fault: reported in plain words (to the console, or to a spawned
 * program's fd 2), and the task ends with 128 + the vector. */
static void exception(struct proc *p, int pid, const struct ipc_msg *in, struct ipc_msg *out)
{
    const struct pico_trap *t = ipc_buf();
    char *s = p->data;
    if (in->w[0] == 14)
        p->len = (uint64_t)snprintf(s, sizeof p->data, "task %d: page fault at 0x%lx (%s, %s)\n", pid,
                                    (unsigned long)t->addr,
                                    t->error & PF_FETCH   ? "exec"
                                    : t->error & PF_WRITE ? "write"
                                                          : "read",
                                    t->error & PF_PRESENT ? "protection" : "user");
    else /* the vector's name from <persona/abi.h>: "#UD invalid opcode" */
        p->len = (uint64_t)snprintf(s, sizeof p->data, "task %d: %s at 0x%lx\n", pid, persona_exception_name(in->w[0]),
                                    (unsigned long)t->rip);
    p->fault = p->client != 0;
    if (!p->client)
        fputs(s, stdout), fflush(stdout);
    out->w[0] = PICO_KILL_TASK;
    out->w[1] = 128 + in->w[0];
}

int main(int argc, char **argv)
{
    bool exit_when_done = false;
    long crash_at = 0, messages = 0;
    size_t demo_len;
    const char *cmdline = getenv("PERSONA_CMDLINE");
    uint64_t flags = trace_init("hello", cmdline ? cmdline : "", &trace_names) ? PICO_TIMED : 0;
    ep = persona_endpoint("hello"); /* serve=hello: callers reach us there */
    if (ep < 0)
        ep = (int)sys_endpoint_create();
    timer = (int)sys_notif_create();
    if (ep < 0 || timer < 0 || sys_notif_bind(timer) < 0 || !ipc_buf() || sys_pico_provide(ep, flags) < 0) {
        printf("hello: cannot register\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        size_t len;
        const void *img = persona_blob(argv[i], &len);
        if (strcmp(argv[i], "exit-when-done") == 0)
            exit_when_done = true;
        else if (strncmp(argv[i], "crash=", 6) == 0)
            crash_at = atol(argv[i] + 6);
        else if (!img || start(img, len, 1, (const char *const *)&argv[i], 0, 0) < 0)
            printf("hello: cannot start %s\n", argv[i]);
        else
            nboot++;
    }
    const char *demo = "hello-prog";
    const void *img = cmdline && strstr(cmdline, "hello.demo") && !nboot ? persona_blob(demo, &demo_len) : NULL;
    if (img && start(img, demo_len, 1, &demo, 0, 0) > 0)
        nboot++;
    if (nboot) /* quiet otherwise: the console is Linux's */
        printf("hello: personality ready, %d program(s) started\n", nboot), fflush(stdout);
    for (;;) {
        struct ipc_msg in, out = {{0}};
        struct ipc_info info;
        if (trace_on)
            trace_handled(), trace_idle();
        if (ipc_recv(ep, &in, &info) < 0)
            continue;
        if (++messages == crash_at) /* crash=N: a real fault, for the supervisor */
            *nowhere = 0;
        int pid = info.badge > PID_BADGE && info.badge <= PID_BADGE + MAX_PROCS ? (int)(info.badge - PID_BADGE) : 0;
        struct proc *p = &procs[pid];
        if (trace_on && pid && in.w[0] < PICO_INTERRUPT && info.token != BADGE_NOTIFY)
            trace_trap(pid, info.token, &in);
        if (info.token == BADGE_NOTIFY) {
            wake_sleepers();
        } else if (!pid && info.token) {
            protocol(info.badge, &in, info.token, info.len);
        } else if (in.w[0] == PICO_EV_TASK_DIED) {
            char how[32];
            int status = p->sig ? 128 + p->sig : (int)in.w[1];
            snprintf(how, sizeof how, "exited with %d", status);
            trace_end(pid, how);
            if (!p->client)
                printf("hello: task %d exited with status %d\n", pid, status), fflush(stdout);
            bool boot = p->used && !p->client;
            if (pid && p->used)
                ended(p, status);
            if (boot && --nboot == 0 && exit_when_done)
                trace_summary(), fflush(stdout), sys_machine_exit(persona_device(), 0);
        } else if (in.w[0] == PICO_EV_THREAD_EXIT) {
            /* one thread per task here: the task's death says it all */
        } else if (!pid || !p->used || p->task < 0) {
            out.w[0] = PICO_KILL_TASK;
            reply(info.token, &out);
        } else if (in.w[0] == PICO_SYSCALL) {
            if (!hello_syscall(p, pid, &in, info.token, &out))
                reply(info.token, &out);
        } else {
            exception(p, pid, &in, &out);
            reply(info.token, &out);
        }
    }
}
