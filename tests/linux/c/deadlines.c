/*
 * tests/linux/c/deadlines.c - timeouts centuries off wait for ever, as
 * Linux's saturate at KTIME_MAX, rather than wrapping round into the past
 * and ending at once: futex waits (relative, absolute on both clocks),
 * rt_sigtimedwait, ppoll, pselect6, select and semtimedop, each in a child
 * the parent wakes once it sleeps (/proc/PID/stat); FUTEX_CLOCK_REALTIME
 * with FUTEX_WAIT is ENOSYS.  One line per call;
 * the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "sleeping.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAIT_BITSET 9
#define FUTEX_CLOCK_REALTIME 256

static int p[2], sem;
static int *word;
static const struct timespec far = {LLONG_MAX, 999999999};

static long c_futex(void) { return syscall(SYS_futex, word, FUTEX_WAIT, 0, &far, NULL, 0); }
static long c_futex_abs(void) { return syscall(SYS_futex, word, FUTEX_WAIT_BITSET, 0, &far, NULL, ~0u); }
static long c_futex_abs_rt(void)
{
    return syscall(SYS_futex, word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &far, NULL, ~0u);
}
static long c_sigtimedwait(void)
{
    sigset_t s;
    sigemptyset(&s), sigaddset(&s, SIGUSR2);
    return syscall(SYS_rt_sigtimedwait, &s, NULL, &far, 8);
}
static long c_ppoll(void)
{
    struct pollfd f = {p[0], POLLIN, 0};
    return syscall(SYS_ppoll, &f, 1, &far, NULL, 8);
}
static long c_pselect(void)
{
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    return syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &far, NULL);
}
static long c_select(void)
{
    fd_set r;
    struct timeval tv = {LLONG_MAX / 2, 999999};
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    return syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv);
}
static long c_semop(void)
{
    struct sembuf op = {0, -1, 0};
    return syscall(SYS_semtimedop, sem, &op, 1, &far);
}

static void wake(pid_t child)
{
    *word = 1;
    syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
    kill(child, SIGUSR2);
    (void)!write(p[1], "x", 1);
    struct sembuf op = {0, 1, 0};
    semop(sem, &op, 1);
}

static const struct {
    const char *name;
    long (*call)(void);
} calls[] = {
    {"futex wait, relative", c_futex},
    {"futex wait, absolute monotonic", c_futex_abs},
    {"futex wait, absolute realtime", c_futex_abs_rt},
    {"rt_sigtimedwait", c_sigtimedwait},
    {"ppoll", c_ppoll},
    {"pselect6", c_pselect},
    {"select", c_select},
    {"semtimedop", c_semop},
};

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    struct timespec zero = {0, 0}; /* FUTEX_WAIT takes no clock: ENOSYS, as FUTEX_WAKE's */
    printf("FUTEX_WAIT|FUTEX_CLOCK_REALTIME: %s\n",
           syscall(SYS_futex, word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 0, &zero, NULL, 0) < 0 ? strerror(errno) : "0");
    printf("FUTEX_WAKE|FUTEX_CLOCK_REALTIME: %s\n",
           syscall(SYS_futex, word, 1 | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0) < 0 ? strerror(errno) : "0");
    sigset_t s;
    sigemptyset(&s), sigaddset(&s, SIGUSR2);
    sigprocmask(SIG_BLOCK, &s, NULL);
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        if (pipe(p) < 0)
            return 1;
        sem = semget(IPC_PRIVATE, 1, 0600);
        *word = 0;
        pid_t pid = fork();
        if (pid == 0) {
            errno = 0;
            long r = calls[i].call();
            printf("%-32s: %ld %s\n", calls[i].name, r, r < 0 ? strerror(errno) : "");
            exit(0);
        }
        wait_sleeping(pid, true);
        wake(pid);
        waitpid(pid, NULL, 0);
        semctl(sem, 0, IPC_RMID);
        close(p[0]), close(p[1]);
    }
    return 0;
}
