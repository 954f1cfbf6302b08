/*
 * tests/linux/c/rtsignals.c - real-time signals queue: five of one sent
 * while it is blocked are five deliveries, in order, each with its own
 * value (sigqueue); an ordinary signal sent five times is one; sigpending
 * shows them; sigwaitinfo takes them one at a time; rt_sigqueueinfo's
 * rules about who may send what, and the order of its checks; five
 * queued to a stopped process wait for SIGCONT, all five (none lost
 * to the stop), whether it stopped in a sleep or in its own code.  One
 * line per check; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define RT 40 /* a real-time signal that no C library keeps for itself */

static int got[16], ngot;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (ngot < 16)
        got[ngot++] = sig == RT ? si->si_value.sival_int : -sig;
}

static long queue(pid_t pid, int sig, int value, int code)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = sig;
    si.si_code = code;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = value;
    return syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
}

static void show(const char *what)
{
    printf("%s: %d:", what, ngot);
    for (int i = 0; i < ngot; i++)
        printf(" %d", got[i]);
    printf("\n");
    ngot = 0;
}

static volatile int handled;
static void count(int sig) { (void)sig, handled++; }

/* A child stopped in a sleep (or spinning in its code) gets five RT
 * signals queued, then SIGCONT: it handles all five. */
static void stopped_queue(int spin)
{
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        struct sigaction sa = {.sa_handler = count};
        sigaction(RT, &sa, NULL);
        write(p[1], "x", 1);
        if (spin) {
            while (handled < 5)
                ;
            _exit(handled);
        }
        struct timespec ts = {3, 0};
        int r = nanosleep(&ts, NULL);
        printf("child's sleep: %d %s, handled %d\n", r, r ? strerror(errno) : "", handled);
        fflush(stdout);
        _exit(handled);
    }
    char x;
    read(p[0], &x, 1);
    usleep(100000);
    kill(c, SIGSTOP);
    int st;
    waitpid(c, &st, WUNTRACED);
    for (int i = 0; i < 5; i++)
        queue(c, RT, i, SI_QUEUE);
    kill(c, SIGCONT);
    waitpid(c, &st, 0);
    printf("stopped %s: handled %d\n", spin ? "spinning" : "in a sleep", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    close(p[0]), close(p[1]);
}

int main(void)
{
    stopped_queue(0);
    stopped_queue(1);
    struct sigaction sa = {.sa_sigaction = handler, .sa_flags = SA_SIGINFO};
    sigaction(RT, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block, old, pend;
    sigemptyset(&block);
    sigaddset(&block, RT);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    for (int i = 1; i <= 5; i++)
        CHECK(queue(getpid(), RT, 100 + i, SI_QUEUE));
    for (int i = 0; i < 5; i++)
        kill(getpid(), SIGUSR1);
    sigpending(&pend);
    printf("pending: RT %d, SIGUSR1 %d\n", sigismember(&pend, RT), sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, NULL);
    show("delivered");

    /* sigwaitinfo takes them one at a time */
    sigprocmask(SIG_BLOCK, &block, NULL);
    for (int i = 1; i <= 3; i++)
        queue(getpid(), RT, 200 + i, SI_QUEUE);
    kill(getpid(), RT); /* one from kill queues too */
    for (int i = 0; i < 4; i++) {
        siginfo_t si;
        int sig = sigwaitinfo(&block, &si);
        printf("sigwaitinfo: %d code %d value %d\n", sig, si.si_code, si.si_code == SI_QUEUE ? si.si_value.sival_int : -1);
    }
    sigpending(&pend);
    printf("pending after: RT %d\n", sigismember(&pend, RT));

    /* who may send what */
    CHECK(queue(getpid(), RT, 1, SI_USER)); /* to oneself, anything */
    siginfo_t si;
    sigwaitinfo(&block, &si);
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    CHECK(queue(child, RT, 1, SI_USER));
    CHECK(queue(child, RT, 1, SI_TKILL));
    CHECK(queue(child, RT, 1, 5));
    CHECK(queue(child, 0, 1, SI_QUEUE));
    CHECK(queue(child, 99, 1, SI_QUEUE));
    CHECK(queue(999999, RT, 1, SI_QUEUE));
    CHECK(syscall(SYS_rt_sigqueueinfo, child, RT, (void *)8));
    CHECK(syscall(SYS_rt_tgsigqueueinfo, getpid(), getpid(), RT, &si));
    sigwaitinfo(&block, &si);
    CHECK(syscall(SYS_rt_tgsigqueueinfo, 0, getpid(), RT, &si));
    /* the order of the checks: the siginfo, the ids, si_code, the target, the signal */
    CHECK(syscall(SYS_rt_tgsigqueueinfo, 0, child, RT, (void *)8));
    CHECK(queue(999999, RT, 1, SI_USER));
    CHECK(queue(999999, 99, 1, SI_QUEUE));
    CHECK(queue(child, 99, 1, SI_USER));
    CHECK(queue(-1, RT, 1, SI_QUEUE));
    kill(child, SIGKILL);
    int st;
    waitpid(child, &st, 0);
    printf("child killed: %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
    return 0;
}
