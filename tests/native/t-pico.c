/*
 * tests/native/t-pico.c - a test personality.  It provides pico tasks on an
 * endpoint, runs tests/pico/prog/p-traps.c once per case, and checks every
 * message the kernel forwards: syscalls (including native call numbers),
 * each kind of exception with its vector, address and error code, and
 * every reply rule.  "t-pico crasher" provides on an endpoint of its own
 * and dies on its first message, to show a provider's death takes only
 * its own pico tasks.
 */
#include "check.h"
#include <persona/pico.h>
#include <string.h>

static int ep;
static const void *img;
static size_t img_len;

struct seen {
    int exc;               /* exception vector seen, or -1 */
    uint64_t error, addr, rip;
    int64_t died;          /* exit code from TASK_DIED, or -1000 */
    int thread_exit;       /* THREAD_EXIT events */
    uint64_t values[4];    /* syscall observations */
};

/* Handles one syscall of the test program; fills the reply. */
static void on_syscall(int c, struct ipc_msg *m, const struct pico_trap *t, struct seen *s, int task, size_t *bulk)
{
    uint64_t nr = m->w[1];
    struct ipc_msg r = {{PICO_RESUME, 0}};
    if (nr == 1000) {
        s->values[0] = m->w[2] + m->w[3] * 10 + m->w[4] * 100 + m->w[5] * 1000 + m->w[6] * 10000 + m->w[7] * 100000;
        r.w[1] = 1234;
    } else if (nr == 1001) {
        s->values[1] = m->w[2];
    } else if (nr == 35 || nr == 0) {
        s->values[2] += nr == 35 ? 1 : 10;
    } else if (nr == 2000) {
        uint64_t magic = 0xfeedbeef;
        sys_mem_map(task, 0x50000000, 4096, PROT_READ | PROT_WRITE);
        sys_mem_write(task, 0x50000000, &magic, sizeof magic);
        struct persona_regs *regs = ipc_buf();
        memset(regs, 0, sizeof *regs);
        regs->rip = m->w[2];
        regs->rsp = (t->rsp & ~15ull) - 8;
        regs->rbx = 0xfeedface;
        regs->rflags = 0x202;
        regs->fs_base = 0x50000000;
        r.w[0] = PICO_RESUME_REGS;
        *bulk = sizeof *regs;
    } else if (nr == 2001) {
        s->values[0] = m->w[2], s->values[1] = m->w[3];
    } else if (nr == 3000) {
        r.w[0] = PICO_KILL_THREAD;
    } else if (nr == 4000) {
        printf("pico: null forwarded syscall round trip: %lu TSC ticks\n", (unsigned long)m->w[2]);
    } else if (nr == 5000) {
        r.w[0] = PICO_RESUME_UNCHANGED;
    } else if (nr == 5001) {
        s->values[2]++;
        if (m->w[2] != 11 || m->w[3] != 22)
            s->values[3]++;
        r.w[0] = s->values[2] == 1 ? PICO_RESTART : PICO_RESUME;
        r.w[1] = 77;
    } else if (nr == 5002) {
        r.w[0] = 99;
    } else if (nr == 60) {
        r.w[0] = PICO_KILL_TASK, r.w[1] = m->w[2];
    }
    (void)c;
    *m = r;
}

/* Runs case c to the death of its task; returns what was seen. */
static struct seen run(int c)
{
    struct seen s = {-1, 0, 0, 0, -1000, 0, {0}};
    int task;
    if (pico_load_elf(ep, img, img_len, (uint64_t)c + 1, (uint64_t)c, 100 + (uint64_t)c, &task, NULL) < 0) {
        printf("FAIL: cannot load case %d\n", c);
        return s;
    }
    struct ipc_msg m;
    struct ipc_info info;
    long r = ipc_recv(ep, &m, &info);
    while (s.died == -1000) {
        if (r < 0) {
            r = ipc_recv(ep, &m, &info);
            continue;
        }
        size_t bulk = 0;
        const struct pico_trap *t = ipc_buf();
        if (m.w[0] == PICO_EV_TASK_DIED) {
            s.died = (int64_t)m.w[1];
            break;
        }
        if (m.w[0] == PICO_EV_THREAD_EXIT) {
            s.thread_exit++;
            sys_task_kill(task);
            r = ipc_recv(ep, &m, &info);
            continue;
        }
        if (info.badge != 100 + (uint64_t)c || t->task_badge != (uint64_t)c + 1)
            printf("FAIL: case %d: badges %lu/%lu\n", c, (unsigned long)info.badge, (unsigned long)t->task_badge);
        if (m.w[0] == PICO_SYSCALL) {
            on_syscall(c, &m, t, &s, task, &bulk);
        } else if (m.w[0] == PICO_SYSCALL32) { /* int $0x80: eax ebx ecx edx esi edi, 32 bits each */
            s.values[3] = m.w[1] == 7 && m.w[2] == 0x11 && m.w[3] == 0x12 && m.w[4] == 0x13 && m.w[5] == 0x14 &&
                          m.w[6] == 0x15;
            uint64_t nr = m.w[1];
            m.w[0] = nr == 9 ? PICO_KILL_TASK : PICO_RESUME; /* case 19 dies with 41 if its ebx arrived */
            m.w[1] = nr == 9 ? 40 + (m.w[2] == 0x21) : 0x1234;
        } else if (c == 14 && m.w[0] == 3) { /* int3: carry on */
            s.exc = 3;
            m.w[0] = PICO_RESUME_UNCHANGED;
        } else {
            s.exc = (int)m.w[0], s.error = t->error, s.addr = t->addr, s.rip = t->rip;
            m.w[0] = PICO_KILL_TASK, m.w[1] = 128 + s.exc;
        }
        r = ipc_reply_recv(ep, info.token, &m, bulk, &info);
    }
    sys_handle_close(task);
    return s;
}

static void check_exception(int c, int vector, uint64_t error, uint64_t addr, const char *what)
{
    struct seen s = run(c);
    CHECK(s.exc == vector && s.error == error && (addr == ~0ull || s.addr == addr) && s.died == 128 + vector,
          "%s reaches the provider: vector %d error 0x%lx addr 0x%lx, then the task dies (%ld)", what, s.exc,
          (unsigned long)s.error, (unsigned long)s.addr, (long)s.died);
}

static int crasher(void)
{
    int cep = (int)sys_endpoint_create();
    struct ipc_msg m;
    struct ipc_info info;
    int task;
    sys_pico_provide(cep, 0);
    pico_load_elf(cep, img, img_len, 1, 13, 1, &task, NULL);
    ipc_recv(cep, &m, &info);
    return *(volatile int *)0; /* the provider crashes with a trap pending */
}

int main(int argc, char **argv)
{
    img = persona_blob("p-traps", &img_len);
    if (argc > 1 && strcmp(argv[1], "crasher") == 0)
        return crasher();
    ep = (int)sys_endpoint_create();
    CHECK(img != NULL && ipc_buf() != NULL, "test program blob and IPC buffer present");
    CHECK(sys_pico_task_create(ep, 1) == -13, "pico_task_create before pico_provide is EACCES");
    CHECK(sys_pico_provide(ep, 6) == -22, "pico_provide with unknown flags is EINVAL");
    CHECK(sys_pico_provide(ep, 0) == 0, "pico_provide on an endpoint");
    CHECK(sys_pico_provide(ep, 0) == -17, "a second pico_provide of the same endpoint is EEXIST");

    struct seen s = run(0);
    CHECK(s.values[0] == 654321, "syscall arguments rdi..r9 arrive in order (%lu)", (unsigned long)s.values[0]);
    CHECK(s.values[1] == 1234, "a PICO_RESUME reply sets rax (%lu)", (unsigned long)s.values[1]);
    CHECK(s.values[2] == 11, "native call numbers 35 and 0 are forwarded, not executed (%lu)",
          (unsigned long)s.values[2]);
    CHECK(s.died == 0, "PICO_KILL_TASK ends the task with its code (%ld)", (long)s.died);

    check_exception(1, 0, 0, ~0ull, "#DE");
    check_exception(2, 6, 0, ~0ull, "#UD");
    check_exception(3, 13, 0, ~0ull, "#GP (hlt in user mode)");
    check_exception(4, 3, 0, ~0ull, "#BP (int3)");
    check_exception(5, 14, PF_USER, 0xdead000, "#PF read of unmapped memory");
    check_exception(6, 14, PF_USER | PF_WRITE | PF_PRESENT, ~0ull, "#PF write to read-only text");
    check_exception(7, 14, PF_USER | PF_FETCH | PF_PRESENT, ~0ull, "#PF execution of data (NX)");
    struct seen ss = run(10); /* the SDM says #SS; QEMU's TCG raises #GP(0) */
    CHECK((ss.exc == 12 || ss.exc == 13) && ss.error == 0 && ss.died == 128 + ss.exc,
          "a non-canonical stack reaches the provider as #SS or #GP: vector %d", ss.exc);
    check_exception(11, 1, 0, ~0ull, "#DB (single step)");

    s = run(8);
    CHECK(s.values[0] == 0xfeedface && s.values[1] == 0xfeedbeef,
          "a PICO_RESUME_REGS reply sets rip, rsp, rbx and the FS base (0x%lx, 0x%lx)", (unsigned long)s.values[0],
          (unsigned long)s.values[1]);
    s = run(9);
    CHECK(s.thread_exit == 1 && s.died != -1000, "a PICO_KILL_THREAD reply kills the thread (exit events: %d)",
          s.thread_exit);
    s = run(14);
    CHECK(s.values[0] == 5000 && s.values[1] == 7 && s.exc == 3 && s.died == 0,
          "a PICO_RESUME_UNCHANGED reply leaves every register: the syscall returns its number (%lu), an int3 "
          "goes on", (unsigned long)s.values[0]);
    s = run(15);
    CHECK(s.values[2] == 2 && s.values[3] == 0 && s.values[0] == 77 && s.died == 0,
          "a PICO_RESTART reply runs the call again with its arguments (traps: %lu)", (unsigned long)s.values[2]);
    s = run(17);
    CHECK(s.values[3] == 1 && s.values[0] == 0x1234,
          "int $0x80 from 64-bit code is a PICO_SYSCALL32 trap with eax..edi cut to 32 bits; the reply sets rax");
    check_exception(18, 6, 0, ~0ull, "the syscall instruction in compatibility mode (#UD)");
    s = run(19);
    CHECK(s.died == 41, "int $0x80 in compatibility mode is a PICO_SYSCALL32 trap (the task died with %ld)",
          (long)s.died);
    s = run(16);
    CHECK(s.died == -22, "an unknown reply kills the task with EINVAL (%ld)", (long)s.died);
    run(12);

    sys_sleep_ns(100000000);
    s = run(0);
    CHECK(s.values[1] == 1234 && s.died == 0, "after the other provider crashed, this one's pico tasks still run");
    finish();
    return 0;
}
