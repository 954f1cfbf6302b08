/*
 * tests/linux/c/busy.c - signals reach code that makes no system calls:
 * a handler runs in a busy loop (from a timer, and from another process),
 * and a spinning child is stopped, continued and killed.  And a loop that
 * makes system calls without end does not keep a sleeper from running.
 * The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t flag;
static volatile unsigned long spins;

static void on_sig(int sig) { flag = sig; }

static void show(const char *what, int st)
{
    printf("%s: ", what);
    if (WIFSTOPPED(st))
        printf("stopped by %d\n", WSTOPSIG(st));
    else if (WIFCONTINUED(st))
        printf("continued\n");
    else if (WIFSIGNALED(st))
        printf("killed by %d\n", WTERMSIG(st));
    else
        printf("exited %d\n", WEXITSTATUS(st));
}

/* A child that sleeps 50 ms, then sends its parent SIGUSR1. */
static pid_t usr1_later(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec ts = {0, 50000000};
        nanosleep(&ts, NULL);
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    return pid;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sig;
    sigaction(SIGALRM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);

    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    while (!flag)
        spins++;
    printf("SIGALRM's handler ran in a busy loop: %d\n", flag == SIGALRM);

    flag = 0;
    pid_t pid = usr1_later();
    while (!flag)
        spins++;
    printf("SIGUSR1 from another process reached the loop: %d\n", flag == SIGUSR1);
    waitpid(pid, NULL, 0);

    flag = 0;
    pid = usr1_later();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (!flag)
        getppid();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("a loop of system calls did not starve the sleeper: %d\n",
           flag == SIGUSR1 && t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9 < 1.0);
    waitpid(pid, NULL, 0);

    pid = fork();
    if (pid == 0)
        for (;;)
            spins++;
    int st;
    struct timespec ts = {0, 20000000};
    nanosleep(&ts, NULL);
    kill(pid, SIGSTOP);
    waitpid(pid, &st, WUNTRACED);
    show("a spinning child", st);
    kill(pid, SIGCONT);
    waitpid(pid, &st, WCONTINUED);
    show("then", st);
    kill(pid, SIGTERM);
    waitpid(pid, &st, 0);
    show("then", st);
    return 0;
}
