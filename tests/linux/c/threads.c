/*
 * tests/linux/c/threads.c - POSIX threads on clone(CLONE_THREAD) and futex:
 * 8 threads adding under a mutex, a condition variable hand-off, a
 * barrier, thread ids, join values, detached threads, a timed wait that
 * times out, fork, execve and a NULL dereference in a thread, the working
 * directory and umask shared by threads, and exit_group from a threaded
 * process.  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define THREADS 8
#define ROUNDS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t barrier;
static long total, turn;
static int distinct_tids, after_barrier;

static void *adder(void *arg)
{
    long id = (long)arg;
    if (syscall(SYS_gettid) != getpid())
        __atomic_fetch_add(&distinct_tids, 1, __ATOMIC_SEQ_CST);
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        total += id + 1;
        pthread_mutex_unlock(&lock);
        if (i % 500 == 0)
            sched_yield();
    }
    pthread_barrier_wait(&barrier);
    __atomic_fetch_add(&after_barrier, 1, __ATOMIC_SEQ_CST);
    /* each thread waits for its turn, in order, on one condition variable */
    pthread_mutex_lock(&lock);
    while (turn != id)
        pthread_cond_wait(&cond, &lock);
    turn++;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    return (void *)(id * id);
}

static void *execer(void *arg)
{
    (void)arg;
    execl("/bin/sh", "sh", "-c", "echo exec from a thread; exit 4", (char *)NULL);
    return NULL;
}

static void *crasher(void *arg)
{
    (void)arg;
    *(volatile int *)0 = 1;
    return NULL;
}

static void *sleeper(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 20000000};
    nanosleep(&ts, NULL);
    return NULL;
}

/* /proc as a thread sees it: a task/ entry per thread, /proc/<tid> found
 * though not listed, and thread-self naming it. */
static pthread_barrier_t seen;
static char procview[160];
static void *looker(void *arg)
{
    (void)arg;
    int tid = (int)syscall(SYS_gettid), listed = 0, n = 0;
    char path[64], link[64];
    DIR *d = opendir("/proc");
    for (struct dirent *e; (e = readdir(d));)
        listed += atoi(e->d_name) == tid;
    closedir(d);
    d = opendir("/proc/self/task");
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    snprintf(path, sizeof path, "/proc/%d/status", tid);
    struct stat st;
    ssize_t k = readlink("/proc/thread-self", link, sizeof link - 1);
    link[k > 0 ? k : 0] = 0;
    snprintf(path + 32, 32, "%d/task/%d", getpid(), tid);
    snprintf(procview, sizeof procview, "task entries %d, /proc/<tid> listed %d, found %d, thread-self right %d\n", n,
             listed, stat(path, &st) == 0, strcmp(link, path + 32) == 0);
    pthread_barrier_wait(&seen);
    return NULL;
}

static void *holder(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&seen); /* alive until the looker has looked */
    return NULL;
}

/* Threads share the working directory and the umask (CLONE_FS). */
static void *mover(void *arg)
{
    (void)arg;
    chdir("/");
    umask(027);
    return NULL;
}

int main(void)
{
    pthread_t t[THREADS];
    pthread_barrier_init(&barrier, NULL, THREADS);
    for (long i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, adder, (void *)i) != 0)
            return printf("pthread_create failed\n"), 1;
    long joined = 0;
    for (int i = 0; i < THREADS; i++) {
        void *v;
        pthread_join(t[i], &v);
        joined += (long)v;
    }
    printf("total %ld (want %ld), joined %ld, threads with their own id %d, past the barrier %d, turns %ld\n", total,
           (long)ROUNDS * THREADS * (THREADS + 1) / 2, joined, distinct_tids, after_barrier, turn);

    pthread_t l1, l2;
    pthread_barrier_init(&seen, NULL, 2);
    pthread_create(&l2, NULL, holder, NULL);
    pthread_create(&l1, NULL, looker, NULL);
    pthread_join(l1, NULL);
    pthread_join(l2, NULL);
    printf("%s", procview);

    pthread_t m;
    mode_t before = umask(022);
    pthread_create(&m, NULL, mover, NULL);
    pthread_join(m, NULL);
    char wd[64];
    printf("a thread's chdir moves the process: %d, its umask too: %o\n", strcmp(getcwd(wd, sizeof wd), "/") == 0,
           (unsigned)umask(before));

    pthread_t d;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    printf("detached thread: %d\n", pthread_create(&d, &attr, sleeper, NULL));

    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 30000000;
    if (deadline.tv_nsec >= 1000000000)
        deadline.tv_sec++, deadline.tv_nsec -= 1000000000;
    pthread_mutex_lock(&lock);
    int r = pthread_cond_timedwait(&cond, &lock, &deadline);
    pthread_mutex_unlock(&lock);
    printf("timed wait: %s\n", strerror(r));

    pthread_t s;
    pthread_create(&s, NULL, sleeper, NULL);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("the child of a threaded process runs\n");
        fflush(stdout);
        _exit(7);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    pthread_join(s, NULL);

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        pthread_t e, z;
        pthread_create(&z, NULL, sleeper, NULL);
        pthread_create(&e, NULL, execer, NULL);
        pthread_join(e, NULL);
        _exit(99);
    }
    waitpid(pid, &status, 0);
    printf("execve from a thread: exited %d\n", WEXITSTATUS(status));
    pid = fork();
    if (pid == 0) {
        pthread_t z;
        pthread_create(&z, NULL, crasher, NULL);
        pthread_join(z, NULL);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    printf("NULL dereference in a thread: signaled %d by %d\n", WIFSIGNALED(status), WTERMSIG(status));

    pthread_create(&s, NULL, sleeper, NULL);
    printf("exit with a thread still running\n");
    fflush(stdout);
    exit(3);
}
