/*
 * tests/linux/c/initsigwait.c - signals to init (pid 1): one with the
 * default action that init has not blocked is dropped (Linux's
 * SIGNAL_UNKILLABLE), but one it blocks stays pending and a sigtimedwait
 * for it takes it, from kill, sigqueue and a POSIX timer, as Linux's
 * sig_ignored spares blocked signals; a blocked SIGTSTP waited for is
 * taken, not a stop.  With the argument "init" the
 * checks run as pid 1: the program itself when it is (run-all.py's
 * linux-init-sigwait starts it as Persona's init), else the pid 1 of a
 * new pid namespace (as root); without, as any process.  The output must
 * equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static void report(const char *what, int r, const siginfo_t *si)
{
    printf("%s: %s code %d value %d\n", what, r > 0 ? "taken" : errno_name(errno), r > 0 ? si->si_code : 0,
           r > 0 && si->si_code != SI_USER ? si->si_value.sival_int : 0);
}

static void as_init(void)
{
    sigset_t set, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN + 1);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    siginfo_t si;
    struct timespec wait = {2, 0}, none = {0, 0};

    /* a POSIX timer's signal, while init waits for it */
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN + 1, .sigev_value.sival_int = 5};
    timer_t t;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t));
    struct itimerspec its = {{0, 0}, {0, 20000000}};
    CHECK(timer_settime(t, 0, &its, NULL));
    report("timer", sigtimedwait(&set, &si, &wait), &si);

    /* sigqueue and kill from a child, while init waits, and before */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(50000);
        sigqueue(getppid(), SIGRTMIN + 1, (union sigval){.sival_int = 7});
        usleep(50000);
        kill(getppid(), SIGUSR1);
        if (getppid() == 1)
            kill(1, SIGUSR2); /* not blocked, default action: init drops it */
        _exit(0);
    }
    report("sigqueue", sigtimedwait(&set, &si, &wait), &si);
    report("kill", sigtimedwait(&set, &si, &wait), &si);
    waitpid(pid, NULL, 0);
    sigpending(&pend);
    printf("pending usr1 %d usr2 %d\n", sigismember(&pend, SIGUSR1), sigismember(&pend, SIGUSR2));
    CHECK(kill(getpid(), SIGUSR1));
    sigpending(&pend);
    printf("pending usr1 %d\n", sigismember(&pend, SIGUSR1));
    report("pending", sigtimedwait(&set, &si, &none), &si);
    report("none", sigtimedwait(&set, &si, &none), &si);

    /* a blocked stop signal a sigtimedwait waits for is taken, no stop */
    sigaddset(&set, SIGTSTP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    fflush(stdout);
    if ((pid = fork()) == 0) {
        usleep(50000);
        kill(getppid(), SIGTSTP);
        _exit(0);
    }
    int r = sigtimedwait(&set, &si, &wait);
    printf("stop: %s\n", r == SIGTSTP ? "taken" : errno_name(errno));
    waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "init") || getpid() == 1) { /* "init": as pid 1 */
        as_init();
        return 0;
    }
    if (unshare(CLONE_NEWPID) < 0) {
        printf("unshare: %s\n", strerror(errno));
        return 1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        as_init();
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}
