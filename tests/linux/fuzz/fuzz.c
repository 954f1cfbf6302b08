/*
 * tests/linux/fuzz/fuzz.c - random Linux system calls against the Linux
 * personality, which must answer every one and survive: a crash of the
 * server would take every Linux process with it.  Run on Persona only
 * (never on the host: the calls are random, and the host's are real).
 *
 * Each round forks a child that opens two socket pairs and a pipe, then
 * makes CALLS random calls (a random number, from every x86-64 call there
 * is plus wild ones, with arguments drawn from small numbers, valid and
 * invalid pointers, and extremes), with its standard descriptors on
 * /dev/null.  Calls that would end the round early
 * or reach outside it are left out: the exits, the kill family, fork,
 * clone and exec, the timers that could stand in for the watchdog, and
 * those that would unmap or rewrite the child's own memory.  A child that
 * blocks is killed after 0.3 s; one that faults dies alone.  The
 * parent prints how the rounds ended and checks the server still answers.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


static uint64_t seed = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
    return seed;
}

static char scratch[8192];

static uint64_t arg(void)
{
    switch (next() % 10) {
    case 0: return 0;
    case 1: return next() % 8;
    case 2: return next() % 4096;
    case 3: return (uint64_t)(scratch + next() % 4096); /* valid memory, random bytes */
    case 4: return (uint64_t)scratch;
    case 5: return 0xffff800000000000ull + (next() & 0xffff); /* the kernel's half */
    case 6: return next() & 0x7fffffffffffull;               /* anywhere in the user half */
    case 7: return (uint64_t)-1;
    case 8: return (uint64_t)-100; /* AT_FDCWD */
    default: return next();
    }
}

/* Calls left out, by number (asm/unistd_64.h). */
static int excluded(long nr)
{
    static const long no[] = {
        SYS_exit, SYS_exit_group, SYS_kill, SYS_tkill, SYS_tgkill, SYS_rt_sigqueueinfo, SYS_rt_tgsigqueueinfo,
        SYS_fork, SYS_vfork, SYS_clone, SYS_clone3, SYS_execve, SYS_execveat, SYS_alarm, SYS_setitimer,
        SYS_timer_create, SYS_timer_settime, SYS_munmap, SYS_mprotect, SYS_mremap, SYS_brk, SYS_madvise,
        SYS_mmap, SYS_rt_sigreturn, SYS_arch_prctl, SYS_set_tid_address, SYS_set_robust_list, SYS_reboot,
        SYS_pidfd_send_signal, SYS_process_vm_writev, SYS_shmdt, SYS_seccomp, SYS_prctl, SYS_vhangup, SYS_acct,
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (nr == no[i])
            return 1;
    return 0;
}

static void tick(int sig) { (void)sig; }

static void child(int calls)
{
    int null = open("/dev/null", O_RDWR);
    for (int fd = 0; fd < 3; fd++)
        dup2(null, fd);
    /* A call that blocks is interrupted (EINTR) by a 20 ms tick, so that a
     * round goes on past it; the tick's handler and mask are put back
     * after every call. */
    struct sigaction sa = {.sa_handler = tick};
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 20000}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv); /* descriptors 3 to 8: sockets and a pipe for the */
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv); /* small numbers the calls draw */
    pipe(sv);
    sigset_t alrm;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    for (int i = 0; i < calls; i++) {
        for (size_t k = 0; k < sizeof scratch; k += 8)
            *(uint64_t *)(scratch + k) = (k & 64) ? 0 : next(); /* random bytes, NUL runs for strings */
        long nr = next() % 8 == 0 ? (long)next() : (long)(next() % 460);
        uint64_t a[6] = {arg(), arg(), arg(), arg(), arg(), arg()};
        if (excluded(nr) || (nr == SYS_rt_sigaction && a[0] == SIGALRM))
            continue;
        syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        sigprocmask(SIG_UNBLOCK, &alrm, NULL);
    }
    _exit(0);
}

/* fuzz [ROUNDS [CALLS [SEED]]]: 40 rounds of 1000 calls from a fixed seed
 * unless told otherwise (the test uses the default, to repeat exactly). */
int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 40, calls = argc > 2 ? atoi(argv[2]) : 1000;
    if (argc > 3)
        seed = strtoull(argv[3], NULL, 0) | 1;
    int done = 0, killed = 0, faulted = 0;
    for (int round = 0; round < rounds; round++) {
        next(); /* each round its own stream */
        pid_t pid = fork();
        if (pid == 0)
            child(calls);
        int status = 0;
        for (int waited = 0; waitpid(pid, &status, WNOHANG) == 0; waited++) {
            if (waited == 30)
                kill(pid, SIGKILL); /* blocked for 0.3 s: the watchdog */
            struct timespec ts = {0, 10000000};
            nanosleep(&ts, NULL);
        }
        if (WIFEXITED(status))
            done++;
        else if (WTERMSIG(status) == SIGKILL)
            killed++;
        else
            faulted++;
    }
    printf("fuzz: %d rounds of %d random calls: %d finished, %d blocked and killed, %d died of a signal\n", rounds,
           calls, done, killed, faulted);
    printf("fuzz: the server still answers: %d\n", getpid() > 0 && access("/bin/sh", X_OK) == 0);
    return 0;
}
