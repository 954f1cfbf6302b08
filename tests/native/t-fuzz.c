/*
 * tests/native/t-fuzz.c - the kernel must survive anything a task passes
 * it.  Makes 20,000 kernel calls with random numbers (including ones that
 * do not exist) and random arguments: handles, addresses (user, kernel,
 * non-canonical), lengths and flags.  Calls that would end or block this
 * task, or power the machine off, are left out; everything else may fail,
 * but the kernel must not panic and this task must live to report.
 */
#include "check.h"
#include <stdlib.h>

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return state;
}

static uint64_t random_arg(void)
{
    static const uint64_t interesting[] = {0, 1, 4096, 0x1000, 0x400000, 0x7ffffffff000ull, 0x800000000000ull,
                                           0xffff800000000000ull, 0xffffffff80100000ull, ~0ull, 0x8000000000000000ull,
                                           1ull << 40, 200, 255, 256, 0xfff};
    switch (next() % 4) {
    case 0: return interesting[next() % (sizeof interesting / sizeof interesting[0])];
    case 1: return next() % 16;            /* small: handles, flags */
    case 2: return next() & ~0xfffull;     /* page-aligned anything */
    default: return next();
    }
}

int main(int argc, char **argv)
{
    static const int avoid[] = {SYS_task_exit, SYS_thread_exit, SYS_machine_exit, SYS_ipc_call, SYS_ipc_recv,
                                SYS_ipc_reply_recv, SYS_notif_wait, SYS_sleep_ns, SYS_ipc_buffer, SYS_log_write};
    /* Calls whose first argument is a task handle: never ours (handle 0). */
    static const int on_task[] = {SYS_mem_map, SYS_mem_unmap, SYS_mem_protect, SYS_mem_read, SYS_mem_write,
                                  SYS_mem_share, SYS_task_kill, SYS_task_clone, SYS_thread_create, SYS_handle_grant,
                                  SYS_thread_kill, SYS_thread_regs, SYS_handle_close, SYS_irq_bind,
                                  SYS_handle_mint};
    int calls = 0, failures = 0, verbose = argc > 1 && argv[1][0] == 'v';
    printf("fuzz: starting\n");
    fflush(stdout);
    for (int i = 0; i < 20000; i++) {
        long nr = (long)(next() % (SYS_COUNT + 8)) - 2, skip = 0;
        for (unsigned k = 0; k < sizeof avoid / sizeof avoid[0]; k++)
            skip |= nr == avoid[k];
        uint64_t a[6];
        for (int k = 0; k < 6; k++)
            a[k] = random_arg();
        for (unsigned k = 0; k < sizeof on_task / sizeof on_task[0]; k++)
            if (nr == on_task[k])
                a[0] = 3 + next() % 40; /* not ours (0), nor the console's (1) or the device's (2) */
        if (nr == SYS_mem_share)
            a[2] = 3 + next() % 40;
        if (skip)
            continue;
        if (verbose) { printf("call %ld %lx %lx %lx\n", nr, (unsigned long)a[0], (unsigned long)a[1], (unsigned long)a[2]); fflush(stdout); }
        long r = persona_syscall6(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
        calls++;
        failures += r < 0;
    }
    CHECK(calls > 10000, "%d random kernel calls made, %d failed cleanly, and this task lives", calls, failures);
    finish();
    return 0;
}
