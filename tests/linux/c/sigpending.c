/*
 * tests/linux/c/sigpending.c - RLIMIT_SIGPENDING, as Linux's
 * __sigqueue_alloc: each siginfo held pending is counted for the real
 * user it was sent to; past the limit a real-time signal sent by
 * sigqueue or rt_tgsigqueueinfo is EAGAIN, one sent by kill is delivered
 * without its siginfo (SI_USER, no sender), as is a standard signal from
 * sigqueue; timer_create takes its signal's room at once (EAGAIN past
 * the limit) and timer_delete gives it back.  The default limit is half
 * of /proc/sys/kernel/threads-max; /proc/self/status's SigQ shows the
 * count and the limit.  The counting runs as a user of its
 * own (uid 4321), whose count starts at 0 on any machine.
 */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int got_sig[16], got_code[16], got_value[16], got_pid0[16], ngot;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (ngot < 16) {
        got_sig[ngot] = sig, got_code[ngot] = si->si_code, got_value[ngot] = si->si_value.sival_int;
        got_pid0[ngot++] = si->si_pid == 0;
    }
}

static void show(const char *what, long r)
{
    printf("%-36s = %ld %s\n", what, r, r < 0 ? (errno == EAGAIN ? "EAGAIN" : errno_name(errno)) : "");
    errno = 0;
}

static long queue(int sig, int value)
{
    union sigval v = {.sival_int = value};
    return sigqueue(getpid(), sig, v);
}

/* /proc/self/status's SigQ: the user's count and the limit. */
static void sigq(void)
{
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "SigQ:", 5))
            printf("%s", line);
    if (f)
        fclose(f);
}

static void deliver(sigset_t *set)
{
    ngot = 0;
    sigprocmask(SIG_UNBLOCK, set, NULL);
    sigprocmask(SIG_BLOCK, set, NULL);
    for (int i = 1; i < ngot; i++) /* by signal, each one's in the order taken (handlers nest differently) */
        for (int j = i; j > 0 && got_sig[j - 1] > got_sig[j]; j--) {
            int *a[4] = {got_sig, got_code, got_value, got_pid0};
            for (int k = 0; k < 4; k++) {
                int x = a[k][j];
                a[k][j] = a[k][j - 1], a[k][j - 1] = x;
            }
        }
    for (int i = 0; i < ngot; i++)
        printf("delivered %s%d code %d value %d no sender %d\n", got_sig[i] >= SIGRTMIN ? "SIGRTMIN+" : "",
               got_sig[i] >= SIGRTMIN ? got_sig[i] - SIGRTMIN : got_sig[i], got_code[i], got_value[i], got_pid0[i]);
}

static void counted(void)
{
    struct rlimit r = {3, 3};
    CHECK(setrlimit(RLIMIT_SIGPENDING, &r));
    struct sigaction sa = {.sa_sigaction = on_sig, .sa_flags = SA_SIGINFO};
    sigset_t set;
    sigemptyset(&set);
    int sigs[] = {SIGUSR1, SIGRTMIN, SIGRTMIN + 1, SIGRTMIN + 2};
    for (int i = 0; i < 4; i++)
        sigaction(sigs[i], &sa, NULL), sigaddset(&set, sigs[i]);
    sigprocmask(SIG_BLOCK, &set, NULL);
    char what[64];
    for (int i = 1; i <= 5; i++) {
        snprintf(what, sizeof what, "sigqueue SIGRTMIN value %d", i);
        show(what, queue(SIGRTMIN, i));
    }
    timer_t t;
    show("timer_create", timer_create(CLOCK_MONOTONIC, NULL, &t));
    siginfo_t si = {.si_code = SI_QUEUE, .si_pid = getpid(), .si_uid = getuid()};
    si.si_value.sival_int = 9;
    show("rt_tgsigqueueinfo SIGRTMIN+1",
         syscall(SYS_rt_tgsigqueueinfo, getpid(), (int)syscall(SYS_gettid), SIGRTMIN + 1, &si));
    show("kill SIGRTMIN", kill(getpid(), SIGRTMIN));
    show("kill SIGRTMIN+2", kill(getpid(), SIGRTMIN + 2));
    show("sigqueue SIGUSR1 value 7", queue(SIGUSR1, 7));
    sigq();
    deliver(&set);
    sigq();
    show("timer_create", timer_create(CLOCK_MONOTONIC, NULL, &t));
    show("sigqueue SIGRTMIN value 1", queue(SIGRTMIN, 1));
    show("sigqueue SIGRTMIN value 2", queue(SIGRTMIN, 2));
    show("sigqueue SIGRTMIN value 3", queue(SIGRTMIN, 3));
    sigq();
    show("timer_delete", timer_delete(t));
    show("sigqueue SIGRTMIN value 4", queue(SIGRTMIN, 4));
    show("sigqueue SIGUSR1 value 5", queue(SIGUSR1, 5));
    deliver(&set);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct rlimit r;
    getrlimit(RLIMIT_SIGPENDING, &r);
    FILE *f = fopen("/proc/sys/kernel/threads-max", "r");
    unsigned long max = 0;
    if (!f || fscanf(f, "%lu", &max) != 1)
        return 1;
    fclose(f);
    printf("default: soft is hard %d, is threads-max/2 %d\n", r.rlim_cur == r.rlim_max, r.rlim_cur == max / 2);
    pid_t pid = fork();
    if (pid == 0) {
        if (setresuid(4321, 4321, 4321) < 0)
            return 1;
        counted();
        return 0;
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));
    return 0;
}
