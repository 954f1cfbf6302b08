/*
 * tests/native/t-watch.c - task_watch: a task's death signals a
 * notification, however it dies (a fault, task_exit, task_kill), with the
 * watcher's handles to the task or the notification closed first; one
 * watcher per task, replaced or removed; the exit code afterwards.
 */
#include "check.h"

static char stack[4][8192] __attribute__((aligned(16)));

static void crash(uint64_t arg)
{
    (void)arg;
    *(volatile int *)0 = 1;
}

static void leave(uint64_t code) { sys_task_exit((int)code); }

static void idle(uint64_t arg)
{
    (void)arg;
    for (;;)
        sys_sleep_ns(1000000000ull);
}

/* A copy-on-write clone of this task running fn(arg) on stack i (its
 * thread suspended if th is given, its handle there); the task's handle. */
static long child(void (*fn)(uint64_t), uint64_t arg, int i, long *th)
{
    long t = sys_task_clone(H_SELF, 0);
    uint64_t sp = ((uint64_t)stack[i] + sizeof stack[i]) - 8;
    long h = t < 0 ? t : sys_thread_create((int)t, (uint64_t)fn, sp, arg, 10 | (th ? THREAD_SUSPENDED : 0), 0);
    if (th)
        *th = h;
    return h < 0 ? -1 : t;
}

int main(void)
{
    long n = sys_notif_create();
    long t = sys_task_clone(H_SELF, 0);
    CHECK(sys_task_watch((int)t, (int)n, 4) == 0, "a live task is watched: 0");
    long th = sys_thread_create((int)t, (uint64_t)crash, ((uint64_t)stack[0] + sizeof stack[0]) - 8, 0, 10, 0);
    CHECK(th >= 0 && sys_notif_wait((int)n) == 4, "its fault signals the bits (4)");
    long r = sys_task_watch((int)t, -1, 0);
    CHECK(r == (long)(TASK_DEAD | (uint32_t)-142), "then task_watch says it is dead, of #PF: -142 (%#lx)", r);
    CHECK(sys_task_watch((int)t, (int)n, 8) == r && sys_notif_wait((int)n) == 8,
          "watching a dead task signals at once");

    long e = child(leave, 7, 1, NULL);
    CHECK(sys_task_watch((int)e, (int)n, 1) == 0 && sys_task_watch((int)e, (int)n, 2) == 0,
          "a second watch replaces the first");
    CHECK(sys_notif_wait((int)n) == 2, "task_exit signals the new bits only (2)");
    CHECK(sys_task_watch((int)e, -1, 0) == (long)(TASK_DEAD | 7), "the exit code is task_exit's (7)");

    long k = child(idle, 0, 2, NULL);
    CHECK(sys_task_watch((int)k, (int)n, 1) == 0 && sys_task_watch((int)k, -1, 0) == 0, "-1 removes the watch");
    sys_task_kill((int)k);
    sys_notif_signal((int)n, 16);
    CHECK(sys_notif_wait((int)n) == 16, "so its death signals nothing");
    CHECK(sys_task_watch((int)k, -1, 0) == (long)(TASK_DEAD | (uint32_t)-9), "task_kill's code is -9");

    long gth;
    long g = child(leave, 3, 3, &gth);
    CHECK(sys_task_watch((int)g, (int)n, 32) == 0 && sys_handle_close((int)g) == 0,
          "the watcher may close its task handle first");
    CHECK(sys_thread_resume((int)gth) == 0 && sys_notif_wait((int)n) == 32, "the death still signals (32)");

    long n2 = sys_notif_create();
    long k2 = child(idle, 0, 2, NULL);
    CHECK(sys_task_watch((int)k2, (int)n2, 1) == 0 && sys_handle_close((int)n2) == 0,
          "the watcher may close the notification first");
    CHECK(sys_task_kill((int)k2) == 0, "and the task then dies quietly");

    long weak = sys_handle_mint(H_SELF, R_MAP | R_GRANT, 0), sendless = sys_handle_mint((int)n, R_RECV, 0);
    long r1 = sys_task_watch((int)weak, (int)n, 1), r2 = sys_task_watch(H_SELF, (int)sendless, 1);
    CHECK(r1 == -13 && r2 == -13, "EACCES without R_MANAGE on the task or R_SEND on the notification (%ld %ld)", r1, r2);
    CHECK(sys_task_watch(200, (int)n, 1) == -9 && sys_task_watch(H_SELF, 200, 1) == -9 &&
              sys_task_watch((int)n, (int)n, 1) == -9,
          "EBADF for a bad handle, or a notification as the task");
    finish();
    return 0;
}
