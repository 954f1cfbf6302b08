/*
 * personalities/mini/mini.c - the personality lab's server
 * (docs/labs/personality.md): a personality in one file, smaller than
 * hello (personalities/hello/hello.c, the model), serving programs built
 * on hello's calls (personalities/hello/prog/hello.h): 1 write(fd, buf,
 * len) to the console, 2 exit(code), 4 sleep(ms), and one of its own, 6
 * brk(addr), a heap from 4 GiB; any other call is -ENOSYS.  A fault is
 * reported and kills the program with 128 + the vector.
 *
 * Entry point: main, which registers, starts the boot programs its module
 * line names (with blob=NAME for each), and serves their traps until the
 * last one ends: then, with exit-when-done and power, the machine powers
 * off.  Book: docs/hello.md, docs/write-your-own-personality.md.
 */
#include <persona/ipc.h>
#include <persona/pico.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum { MINI_WRITE = 1, MINI_EXIT = 2, MINI_SLEEP = 4, MINI_BRK = 6 };
enum { EBADF = 9, EFAULT = 14, ENOSYS = 38 };
enum { NTASKS = 8, FIRST_BADGE = 0x100 };
#define HEAP_BASE 0x100000000ull /* a program's heap starts at 4 GiB */
#define HEAP_MAX (16ull << 20)   /* and grows to 16 MiB at most */
#define PAGE_UP(a) (((a) + 4095) & ~4095ull)

struct task {
    int handle;          /* the pico task; 0: a free slot */
    uint64_t heap_end;   /* brk's end (0: not asked yet, HEAP_BASE) */
    uint64_t sleep_tok;  /* the sleeping call's reply token, 0: awake */
    uint64_t wake_at;    /* when it wakes (sys_clock_ns) */
};

static struct task tasks[NTASKS];
static int ep, timer, running;

/* write: up to len bytes from the program's buf to the console. */
static int64_t mini_write(struct task *t, uint64_t fd, uint64_t buf, uint64_t len)
{
    /* LAB(personality): solution */
    char chunk[512];
    if (fd != 1 && fd != 2)
        return -EBADF;
    for (uint64_t done = 0; done < len;) {
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        if (sys_mem_read(t->handle, buf + done, chunk, n) < 0)
            return done ? (int64_t)done : -EFAULT;
        fwrite(chunk, 1, n, stdout);
        done += n;
    }
    fflush(stdout);
    return (int64_t)len;
    /* LAB(personality): skeleton
    // the bytes are in the program's address space, not this server's
    (void)t, (void)fd, (void)buf, (void)len;
    return -ENOSYS;
    LAB(personality): end */
}

/* LAB(personality): solution */
/* brk: the heap's end moves to addr, pages mapped as it grows and
 * unmapped as it shrinks; 0, or an address out of the heap's range,
 * leaves it.  Returns the end, as Linux's brk (a failure: the old one). */
static int64_t mini_brk(struct task *t, uint64_t addr)
{
    uint64_t old = t->heap_end ? t->heap_end : HEAP_BASE;
    uint64_t from = PAGE_UP(old), to = PAGE_UP(addr);
    long r = 0;
    if (addr < HEAP_BASE || addr > HEAP_BASE + HEAP_MAX)
        addr = old;
    else if (to > from)
        r = sys_mem_map(t->handle, from, to - from, PROT_READ | PROT_WRITE);
    else if (to < from)
        r = sys_mem_unmap(t->handle, to, from - to);
    t->heap_end = r < 0 ? old : addr;
    return (int64_t)t->heap_end;
}

/* The timer fires when the first sleeper is due. */
static void arm_timer(void)
{
    uint64_t first = UINT64_MAX, now = (uint64_t)sys_clock_ns();
    for (int i = 0; i < NTASKS; i++)
        if (tasks[i].sleep_tok && tasks[i].wake_at < first)
            first = tasks[i].wake_at;
    sys_timer_arm(timer, first == UINT64_MAX ? 0 : first > now ? first - now : 1, 1);
}

/* The timer fired: the sleepers that are due go on. */
static void mini_wake(void)
{
    uint64_t now = (uint64_t)sys_clock_ns();
    for (int i = 0; i < NTASKS; i++)
        if (tasks[i].sleep_tok && tasks[i].wake_at <= now) {
            ipc_reply(ep, tasks[i].sleep_tok, &(struct ipc_msg){{PICO_RESUME, 0}}, 0);
            tasks[i].sleep_tok = 0;
        }
    arm_timer();
}
/* LAB(personality): skeleton
static void mini_wake(void)
{
    // the timer fired: which sleepers are due, and when must it fire next?
}
LAB(personality): end */

/* A system call: its reply in out, or false when the reply waits. */
static bool mini_call(struct task *t, const struct ipc_msg *in, uint64_t token, struct ipc_msg *out)
{
    uint64_t a0 = in->w[2], a1 = in->w[3], a2 = in->w[4];
    out->w[0] = PICO_RESUME;
    switch (in->w[1]) {
    case MINI_WRITE: out->w[1] = (uint64_t)mini_write(t, a0, a1, a2); return true;
    /* LAB(personality): solution */
    case MINI_EXIT: out->w[0] = PICO_KILL_TASK, out->w[1] = a0 & 255; return true;
    case MINI_BRK: out->w[1] = (uint64_t)mini_brk(t, a0); return true;
    case MINI_SLEEP:
        t->sleep_tok = token, t->wake_at = (uint64_t)sys_clock_ns() + a0 * 1000000;
        arm_timer();
        return false;
    /* LAB(personality): skeleton
    // exit, brk and sleep
    LAB(personality): end */
    }
    (void)token;
    out->w[1] = (uint64_t)-ENOSYS;
    return true;
}

/* A CPU exception: reported, and the program killed. */
static void mini_fault(int id, const struct ipc_msg *in, struct ipc_msg *out)
{
    /* LAB(personality): solution */
    const struct pico_trap *trap = ipc_buf();
    if (in->w[0] == 14)
        printf("mini: task %d: page fault at 0x%lx (%s)\n", id, (unsigned long)trap->addr,
               trap->error & PF_WRITE ? "write" : trap->error & PF_FETCH ? "exec" : "read");
    else
        printf("mini: task %d: %s at 0x%lx\n", id, persona_exception_name(in->w[0]), (unsigned long)trap->rip);
    fflush(stdout);
    out->w[0] = PICO_KILL_TASK, out->w[1] = 128 + in->w[0];
    /* LAB(personality): skeleton
    // say what happened (which fault, where), then end the task: with what status?
    (void)id, (void)in;
    out->w[0] = PICO_KILL_TASK;
    LAB(personality): end */
}

/* Starts the boot program blob NAME as task slot i. */
static bool start(int i, const char *name)
{
    size_t len;
    const void *img = persona_blob(name, &len);
    const char *argv[] = {name};
    if (!img || pico_load_elf_argv(ep, img, len, FIRST_BADGE + (uint64_t)i, FIRST_BADGE + (uint64_t)i, 1, argv,
                                   &tasks[i].handle, NULL) < 0) {
        printf("mini: cannot start %s\n", name);
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    bool exit_when_done = false;
    ep = (int)sys_endpoint_create();
    timer = (int)sys_notif_create();
    if (ep < 0 || timer < 0 || sys_notif_bind(timer) < 0 || !ipc_buf()) {
        printf("mini: no endpoint, timer or IPC buffer\n");
        return 1;
    }
    /* LAB(personality): solution */
    if (sys_pico_provide(ep, 0) < 0) {
        printf("mini: cannot register\n");
        return 1;
    }
    /* LAB(personality): skeleton
    // the kernel must learn that this endpoint serves pico tasks' traps
    LAB(personality): end */
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "exit-when-done") == 0)
            exit_when_done = true;
        else if (running < NTASKS && start(running, argv[i]))
            running++;
    printf("mini: %d program(s) started\n", running);
    fflush(stdout);
    while (running) {
        struct ipc_msg in, out = {{0}};
        struct ipc_info info;
        if (ipc_recv(ep, &in, &info) < 0)
            continue;
        int id = (int)(info.badge - FIRST_BADGE);
        if (info.token == BADGE_NOTIFY) {
            mini_wake();
        } else if (id < 0 || id >= NTASKS || !tasks[id].handle) {
            continue; /* not one of ours */
        } else if (in.w[0] == PICO_EV_TASK_DIED) {
            printf("mini: task %d exited with status %d\n", id + 1, (int)in.w[1]);
            fflush(stdout);
            sys_handle_close(tasks[id].handle);
            tasks[id] = (struct task){0};
            running--;
        } else if (in.w[0] == PICO_EV_THREAD_EXIT) {
            /* one thread a task: its death event says it all */
        /* LAB(personality): solution */
        } else if (in.w[0] == PICO_SYSCALL) {
            if (mini_call(&tasks[id], &in, info.token, &out))
                ipc_reply(ep, info.token, &out, 0);
        } else {
            mini_fault(id + 1, &in, &out);
            ipc_reply(ep, info.token, &out, 0);
        }
        /* LAB(personality): skeleton
        } else {
            // a trap: a system call (mini_call) or a CPU exception (mini_fault)
            (void)mini_call, (void)mini_fault;
            out.w[0] = PICO_KILL_TASK;
            ipc_reply(ep, info.token, &out, 0);
        }
        LAB(personality): end */
    }
    if (exit_when_done)
        sys_machine_exit(persona_device(), 0);
    return 0;
}
