/*
 * tests/linux/c/jobs.c - job control without a terminal: stop signals
 * (raised, sent to a sleeping child, blocked then unblocked), SIGCONT,
 * wait status words for stops and continues (WUNTRACED, WCONTINUED,
 * waitid WSTOPPED), SIGCHLD's si_code for them and SA_NOCLDSTOP, waits on
 * a process group, a stopped child killed, a caught SIGTSTP.  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int chld_codes[8], nchld, tstp_caught;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    if (nchld < 8)
        chld_codes[nchld++] = si->si_code;
}

static void on_tstp(int sig) { tstp_caught = sig; }

static void nap(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static void show(const char *what, int st)
{
    printf("%s: ", what);
    if (WIFEXITED(st))
        printf("exited %d\n", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        printf("killed by %d\n", WTERMSIG(st));
    else if (WIFSTOPPED(st))
        printf("stopped by %d\n", WSTOPSIG(st));
    else if (WIFCONTINUED(st))
        printf("continued\n");
    else
        printf("0x%x\n", st);
}

int main(void)
{
    int st, p[2];
    char c;
    struct sigaction sa = {0};
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);
    setvbuf(stdout, NULL, _IONBF, 0);

    /* a child stops itself, is continued, then waits for a byte */
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        raise(SIGSTOP);
        read(p[0], &c, 1);
        _exit(5);
    }
    waitpid(pid, &st, WUNTRACED);
    show("raised SIGSTOP", st);
    kill(pid, SIGCONT);
    waitpid(pid, &st, WCONTINUED);
    show("after SIGCONT", st);
    write(p[1], "x", 1);
    waitpid(pid, &st, 0);
    show("then", st);
    /* Linux sends the continue's SIGCHLD from the child as it resumes, so
     * it may merge with the exit's: which codes came, not how many. */
    int saw_stop = 0, saw_cont = 0;
    for (int i = 0; i < nchld; i++)
        saw_stop |= chld_codes[i] == CLD_STOPPED, saw_cont |= chld_codes[i] == CLD_CONTINUED;
    printf("SIGCHLD for the stop %d, for the continue %d\n", saw_stop, saw_cont);

    /* SIGTSTP to a child blocked in a read; SA_NOCLDSTOP */
    sa.sa_flags |= SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    nchld = 0;
    /* the child gets a process group of its own: Linux discards SIGTSTP
     * sent to an orphaned group, which the test's own group may be when
     * it runs under a container's session */
    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        read(p[0], &c, 1);
        _exit(6);
    }
    setpgid(pid, pid);
    kill(pid, SIGTSTP);
    waitpid(pid, &st, WUNTRACED);
    show("SIGTSTP to a child in a read", st);
    printf("SIGCHLDs for the stop with SA_NOCLDSTOP: %d\n", nchld);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int r = waitid(P_PID, pid, &si, WSTOPPED | WNOHANG);
    printf("waitid WSTOPPED after it was reported: %d pid %d\n", r, si.si_pid == pid);
    write(p[1], "y", 1); /* the read completes while stopped: held */
    nap(50);
    memset(&si, 0, sizeof si);
    r = waitid(P_PID, pid, &si, WEXITED | WNOHANG);
    printf("still stopped with its read done: %d pid %d\n", r, si.si_pid == pid);
    kill(pid, SIGCONT);
    memset(&si, 0, sizeof si);
    waitid(P_PID, pid, &si, WEXITED);
    printf("waitid after SIGCONT: exited %d, status %d\n", si.si_code == CLD_EXITED, si.si_status);

    /* a blocked SIGTSTP stops only when unblocked; waits by group */
    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTSTP);
        sigprocmask(SIG_BLOCK, &set, NULL);
        raise(SIGTSTP);
        printf("child: SIGTSTP pending while blocked, not stopped\n");
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        _exit(7);
    }
    setpgid(pid, pid);
    waitpid(-pid, &st, WUNTRACED);
    show("unblocked SIGTSTP, waited by group", st);
    kill(-pid, SIGKILL);
    waitpid(-pid, &st, 0);
    show("stopped child killed", st);

    /* a caught SIGTSTP does not stop */
    pid = fork();
    if (pid == 0) {
        signal(SIGTSTP, on_tstp);
        raise(SIGTSTP);
        printf("child: caught SIGTSTP %d, still running\n", tstp_caught);
        _exit(8);
    }
    waitpid(pid, &st, WUNTRACED);
    show("caught SIGTSTP", st);

    pid = fork();
    if (pid == 0)
        _exit(9);
    memset(&si, 0, sizeof si);
    r = waitid(P_PGID, 0, &si, WEXITED);
    printf("waitid P_PGID: %d, status %d\n", r, si.si_status);
    r = waitpid(0, &st, 0);
    printf("waitpid(0) with no children: %d %s\n", r, strerror(errno));
    return 0;
}
