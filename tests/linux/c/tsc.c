/*
 * tests/linux/c/tsc.c - prctl's PR_SET_TSC and PR_GET_TSC (LTP's
 * prctl10): with PR_TSC_SIGSEGV a thread's rdtsc is SIGSEGV (SI_KERNEL,
 * no address), its children and new threads inherit the setting, an exec
 * keeps it, a thread made before keeps its own, and PR_TSC_ENABLE gives
 * the counter back; other values are EINVAL.  The output must equal the
 * host Linux's; the reads themselves (argument persona-only) are compared
 * with Linux 6.1's answer, tsc.persona-only.expected, as the host's
 * virtual machine lets a refused rdtsc run.
 */
#define _GNU_SOURCE
#include "check.h"
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static int state(void)
{
    int v = -1;
    prctl(PR_GET_TSC, &v, 0, 0, 0);
    return v;
}

/* Runs fn in a child and tells how it ended. */
static void in_child(const char *what, void (*fn)(void))
{
    int status;
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        _exit(0);
    }
    waitpid(pid, &status, 0);
    printf("%s: %s %d\n", what, WIFSIGNALED(status) ? "killed by" : "exited", WIFSIGNALED(status) ? WTERMSIG(status)
                                                                                        : WEXITSTATUS(status));
}

static void read_twice(void)
{
    uint64_t a = rdtsc(), b = rdtsc();
    _exit(b > a ? 0 : 1);
}

static void segv(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    printf("handler: signal %d, code %#x, address %p\n", sig, si->si_code, si->si_addr);
    _exit(3);
}

static void refused_seen(void)
{
    struct sigaction sa = {.sa_sigaction = segv, .sa_flags = SA_SIGINFO};
    sigaction(SIGSEGV, &sa, NULL);
    prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0);
    rdtsc();
}

static void refused(void)
{
    prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0);
    read_twice();
}

static void inherited(void)
{
    prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0);
    in_child("  its child reads", read_twice);
    fflush(stdout);
    execl("/proc/self/exe", "tsc", "exec", (char *)NULL);
}

static void given_back(void)
{
    prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0);
    prctl(PR_SET_TSC, PR_TSC_ENABLE, 0, 0, 0);
    read_twice();
}

static volatile int go;
static void *older(void *arg)
{
    (void)arg;
    while (!go)
        usleep(1000);
    uint64_t a = rdtsc(), b = rdtsc();
    return (void *)(uintptr_t)(b > a);
}

static void *newer(void *arg)
{
    (void)arg;
    printf("  a new thread's state: %d\n", state());
    fflush(stdout);
    rdtsc();
    return NULL;
}

static void *newer_state(void *arg)
{
    (void)arg;
    printf("  a new thread's state: %d\n", state());
    return NULL;
}

static void threads(void)
{
    pthread_t a, b;
    void *r;
    pthread_create(&a, NULL, older, NULL);
    prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0);
    go = 1;
    pthread_join(a, &r);
    printf("  the older thread read the counter: %d\n", (int)(uintptr_t)r);
    fflush(stdout);
    pthread_create(&b, NULL, newer, NULL);
    pthread_join(b, NULL);
}

static void states(void)
{
    prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0);
    int status;
    pid_t pid = fork();
    if (pid == 0) {
        printf("  its child's state: %d\n", state());
        _exit(0);
    }
    waitpid(pid, &status, 0);
    pthread_t t;
    pthread_create(&t, NULL, newer_state, NULL);
    pthread_join(t, NULL);
    execl("/proc/self/exe", "tsc", "state", (char *)NULL);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "exec") == 0) { /* the exec'd image: the setting stayed */
        printf("  after the exec: state %d\n", state());
        read_twice();
    }
    if (argc > 1 && strcmp(argv[1], "state") == 0) {
        printf("  after the exec: state %d\n", state());
        return 0;
    }
    if (argc > 1) {
        in_child("enabled, reads", read_twice);
        in_child("refused, reads", refused);
        in_child("refused, with a handler", refused_seen);
        in_child("given back", given_back);
        in_child("inherited", inherited);
        in_child("threads", threads);
        return 0;
    }
    printf("state: %d\n", state());
    CHECK(prctl(PR_SET_TSC, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_TSC, 3, 0, 0, 0));
    CHECK(prctl(PR_GET_TSC, NULL, 0, 0, 0));
    in_child("states", states);
    CHECK(prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0));
    printf("state: %d\n", state());
    CHECK(prctl(PR_SET_TSC, PR_TSC_ENABLE, 0, 0, 0));
    printf("state: %d\n", state());
    return 0;
}
