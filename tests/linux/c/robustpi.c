/* Robust and priority-inheritance futexes: a robust mutex whose owner
 * dies (a thread, or a process sharing the memory) comes to the next
 * locker with EOWNERDEAD; PI mutexes hand over between threads; the raw
 * calls' errors (FUTEX_LOCK_PI, TRYLOCK_PI, UNLOCK_PI, WAKE_OP), and
 * set/get_robust_list. */
#define _GNU_SOURCE
#include "check.h"
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* linux/futex.h's, which musl's headers do not carry */
#define FUTEX_WAKE_OP 5
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_SET 0
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP(op, oparg, cmp, cmparg) \
    ((((op) & 0xf) << 28) | (((cmp) & 0xf) << 24) | (((oparg) & 0xfff) << 12) | ((cmparg) & 0xfff))
struct robust_list_head;

static pthread_mutex_t *shared;
static pthread_mutex_t pi;
static int order[4], norder;

static void *die_holding(void *arg)
{
    pthread_mutex_lock(arg);
    return NULL; /* ends holding it */
}

static void *pi_taker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&pi);
    order[norder++] = 2;
    pthread_mutex_unlock(&pi);
    return NULL;
}

static void init_robust(pthread_mutex_t *m, int pshared, int protocol)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutexattr_setpshared(&a, pshared);
    pthread_mutexattr_setprotocol(&a, protocol);
    pthread_mutex_init(m, &a);
}

static long futex(uint32_t *w, int op, uint32_t val, void *t, uint32_t *w2, uint32_t val3)
{
    return syscall(SYS_futex, w, op, val, t, w2, val3);
}

int main(void)
{
    /* a robust mutex whose owning thread ends */
    for (int protocol = PTHREAD_PRIO_NONE; protocol <= PTHREAD_PRIO_INHERIT; protocol++) {
        pthread_mutex_t m;
        init_robust(&m, PTHREAD_PROCESS_PRIVATE, protocol);
        pthread_t t;
        pthread_create(&t, NULL, die_holding, &m);
        pthread_join(t, NULL);
        int r = pthread_mutex_lock(&m);
        printf("protocol %d: a dead thread's robust mutex: %s\n", protocol, strerror(r));
        CHECK(pthread_mutex_consistent(&m));
        CHECK(pthread_mutex_unlock(&m));
        CHECK(pthread_mutex_lock(&m));
        CHECK(pthread_mutex_unlock(&m));
    }

    /* a process-shared robust mutex whose owning process dies */
    shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    for (int protocol = PTHREAD_PRIO_NONE; protocol <= PTHREAD_PRIO_INHERIT; protocol++) {
        init_robust(shared, PTHREAD_PROCESS_SHARED, protocol);
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            pthread_mutex_lock(shared);
            _exit(0);
        }
        waitpid(pid, NULL, 0);
        int r = pthread_mutex_lock(shared);
        printf("protocol %d: a dead process's robust mutex: %s\n", protocol, strerror(r));
        pthread_mutex_consistent(shared);
        pthread_mutex_unlock(shared);
        /* and one killed while another process waits for it */
        int ready[2];
        pipe(ready);
        fflush(stdout);
        pid = fork();
        if (pid == 0) {
            pthread_mutex_lock(shared);
            write(ready[1], "x", 1);
            pause();
            _exit(0);
        }
        char ch;
        read(ready[0], &ch, 1);
        fflush(stdout);
        pid_t waiter = fork();
        if (waiter == 0) {
            int r2 = pthread_mutex_lock(shared);
            printf("protocol %d: the waiter, after the owner is killed: %s\n", protocol, strerror(r2));
            fflush(stdout);
            _exit(0);
        }
        usleep(100000);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        waitpid(waiter, NULL, 0);
        close(ready[0]), close(ready[1]);
    }

    /* a PI mutex handed from one thread to another */
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&pi, &a);
    pthread_mutex_lock(&pi);
    pthread_t t;
    pthread_create(&t, NULL, pi_taker, NULL);
    usleep(100000);
    printf("trylock while held: %s\n", strerror(pthread_mutex_trylock(&pi)));
    order[norder++] = 1;
    pthread_mutex_unlock(&pi);
    pthread_join(t, NULL);
    printf("order: %d %d\n", order[0], order[1]);

    /* the raw calls */
    uint32_t w = 0, w2 = 5;
    pid_t me = (pid_t)syscall(SYS_gettid);
    CHECK(futex(&w, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    printf("the word holds our tid: %d\n", w == (uint32_t)me);
    CHECK(futex(&w, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    CHECK(futex(&w, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0));
    CHECK(futex(&w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
    printf("unlocked: %u\n", w);
    CHECK(futex(&w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
    w = 0x3ffffff0; /* no such thread */
    CHECK(futex(&w, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    CHECK(futex(&w, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0));
    w = 1; /* init: alive, and not us */
    CHECK(futex(&w, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0));
    struct timespec past = {1, 0};
    CHECK(futex(&w, FUTEX_LOCK_PI, 0, &past, NULL, 0));
    w = FUTEX_OWNER_DIED;
    CHECK(futex(&w, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    printf("owner died, taken: %#x\n", w & ~FUTEX_TID_MASK);
    CHECK(futex((uint32_t *)((char *)&w + 1), FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    CHECK(futex((uint32_t *)8, FUTEX_LOCK_PI, 0, NULL, NULL, 0));

    /* WAKE_OP: nobody waits; the second word changes */
    CHECK(futex(&w, FUTEX_WAKE_OP, 1, (void *)1, &w2, FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 5)));
    printf("w2 %u\n", w2);
    CHECK(futex(&w, FUTEX_WAKE_OP, 1, (void *)1, &w2, FUTEX_OP(FUTEX_OP_OR | 8, 4, FUTEX_OP_CMP_GT, 0)));
    printf("w2 %u\n", w2);
    CHECK(futex(&w, FUTEX_WAKE_OP, 1, (void *)1, &w2, FUTEX_OP(7, 4, FUTEX_OP_CMP_GT, 0)));
    CHECK(futex(&w, FUTEX_WAKE_OP, 1, (void *)1, &w2, FUTEX_OP(FUTEX_OP_SET, 4, 9, 0)));
    CHECK(futex(&w, FUTEX_WAKE_OP, 1, (void *)1, (uint32_t *)8, FUTEX_OP(FUTEX_OP_SET, 4, 0, 0)));

    /* the robust list calls */
    struct robust_list_head *head;
    size_t len;
    CHECK(syscall(SYS_get_robust_list, 0, &head, &len));
    printf("len %zu\n", len);
    CHECK(syscall(SYS_set_robust_list, head, 23));
    CHECK(syscall(SYS_get_robust_list, 999999, &head, &len));
    CHECK(syscall(SYS_get_robust_list, 0, (void *)8, &len));
    return 0;
}
