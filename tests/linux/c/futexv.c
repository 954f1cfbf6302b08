/*
 * tests/linux/c/futexv.c - futex_waitv: a wait on several futexes at once
 * (struct futex_waitv, FUTEX_32 with and without FUTEX_PRIVATE_FLAG), the
 * index of the one a FUTEX_WAKE woke, EAGAIN when a value differs,
 * absolute timeouts on CLOCK_MONOTONIC and CLOCK_REALTIME, a shared futex
 * woken from another process, and the errors.  The output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#define FUTEX_WAKE 1
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#define F32 2     /* FUTEX_32 (FUTEX2_SIZE_U32) */
#define PRIV 128  /* FUTEX_PRIVATE_FLAG (FUTEX2_PRIVATE) */

struct waitv {
    uint64_t val, uaddr;
    uint32_t flags, reserved;
};

static long waitv(struct waitv *w, unsigned n, unsigned flags, struct timespec *ts, int clock)
{
    return syscall(SYS_futex_waitv, w, n, flags, ts, clock);
}

static long wake(uint32_t *a, int n, int priv) { return syscall(SYS_futex, a, FUTEX_WAKE | (priv ? PRIV : 0), n); }

static uint32_t words[4];
static struct waitv w3[3];
static long woke;

static void *waiter(void *arg)
{
    (void)arg;
    woke = waitv(w3, 3, 0, NULL, 0);
    return NULL;
}

static struct timespec in(int clock, long ms)
{
    struct timespec t;
    clock_gettime(clock, &t);
    t.tv_nsec += ms * 1000000;
    t.tv_sec += t.tv_nsec / 1000000000, t.tv_nsec %= 1000000000;
    return t;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct waitv w[129];
    for (int i = 0; i < 129; i++)
        w[i] = (struct waitv){0, (uintptr_t)&words[i % 4], F32 | PRIV, 0};
    struct timespec ts = {0, 0}, bad = {0, 1000000000};
    puts("-- errors");
    CHECK(waitv(w, 1, 1, NULL, 0));
    CHECK(waitv(w, 0, 0, NULL, 0));
    CHECK(waitv(w, 129, 0, NULL, 0));
    CHECK(waitv(NULL, 1, 0, NULL, 0));
    CHECK(waitv((struct waitv *)16, 1, 0, NULL, 0));
    CHECK(waitv(w, 1, 0, &ts, CLOCK_BOOTTIME));
    CHECK(waitv(w, 1, 0, (struct timespec *)16, CLOCK_MONOTONIC));
    CHECK(waitv(w, 1, 0, &bad, CLOCK_MONOTONIC));
    ts.tv_sec = -1;
    CHECK(waitv(w, 1, 0, &ts, CLOCK_MONOTONIC));
    ts.tv_sec = 0;
    w[0].flags = PRIV;
    CHECK(waitv(w, 1, 0, &ts, CLOCK_MONOTONIC));
    w[0].flags = 1 | PRIV;
    CHECK(waitv(w, 1, 0, &ts, CLOCK_MONOTONIC));
    w[0].flags = F32 | 0x10000;
    CHECK(waitv(w, 1, 0, &ts, CLOCK_MONOTONIC));
    w[0].flags = F32, w[0].reserved = 1;
    CHECK(waitv(w, 1, 0, &ts, CLOCK_MONOTONIC));
    w[0].reserved = 0, w[0].uaddr = (uintptr_t)&words[0] + 1;
    CHECK(waitv(w, 1, 0, &ts, CLOCK_MONOTONIC));
    w[0].uaddr = 16;
    CHECK(waitv(w, 1, 0, &ts, CLOCK_MONOTONIC));
    w[0].flags = F32 | PRIV;
    CHECK(waitv(w, 1, 0, &ts, CLOCK_MONOTONIC));
    w[0].uaddr = (uintptr_t)&words[0];
    puts("-- values and timeouts");
    w[0].val = 1;
    CHECK(waitv(w, 1, 0, NULL, 0));
    w[0].val = 0, w[1].val = 5;
    CHECK(waitv(w, 2, 0, NULL, 0));
    w[1].val = 0;
    CHECK(waitv(w, 128, 0, &ts, CLOCK_MONOTONIC));
    struct timespec t = in(CLOCK_MONOTONIC, 50);
    CHECK(waitv(w, 3, 0, &t, CLOCK_MONOTONIC));
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    printf("the deadline passed: %d\n", now.tv_sec > t.tv_sec || (now.tv_sec == t.tv_sec && now.tv_nsec >= t.tv_nsec));
    t = in(CLOCK_REALTIME, 50);
    CHECK(waitv(w, 2, 0, &t, CLOCK_REALTIME));
    puts("-- wakes");
    w3[0] = (struct waitv){0, (uintptr_t)&words[0], F32 | PRIV, 0};
    w3[1] = (struct waitv){0, (uintptr_t)&words[1], F32, 0};
    w3[2] = (struct waitv){7, (uintptr_t)&words[2], F32 | PRIV, 0};
    words[2] = 7;
    pthread_t th;
    pthread_create(&th, NULL, waiter, NULL);
    usleep(100000);
    CHECK(wake(&words[3], 1, 1));
    CHECK(wake(&words[2], 1, 1));
    pthread_join(th, NULL);
    printf("woken: index %ld\n", woke);
    pthread_create(&th, NULL, waiter, NULL);
    usleep(100000);
    CHECK(wake(&words[1], 5, 0));
    pthread_join(th, NULL);
    printf("woken: index %ld\n", woke);
    CHECK(wake(&words[1], 5, 0));
    puts("-- a shared futex, another process");
    uint32_t *shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t pid = fork();
    if (pid == 0) {
        struct waitv cw[2] = {{0, (uintptr_t)&words[0], F32 | PRIV, 0}, {0, (uintptr_t)&shm[1], F32, 0}};
        struct timespec d = in(CLOCK_MONOTONIC, 5000);
        _exit((int)waitv(cw, 2, 0, &d, CLOCK_MONOTONIC) + 10);
    }
    usleep(100000);
    long n;
    while ((n = wake(&shm[1], 1, 0)) == 0)
        usleep(10000);
    CHECK(n);
    int st;
    waitpid(pid, &st, 0);
    printf("child: %d\n", WEXITSTATUS(st) - 10);
    return 0;
}
