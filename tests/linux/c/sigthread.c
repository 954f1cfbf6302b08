/*
 * tests/linux/c/sigthread.c - pending signals per thread and per process:
 * tgkill's signal is pending in that thread only (sigpending), kill's in
 * every thread's; sigwaitinfo takes the thread's own before the process's;
 * real-time signals queue in both, each with its value; tgkill(pid, pid)
 * reaches the main thread only; a process signal goes to the thread that
 * does not block it, or waits until one unblocks it; tgkill and tkill of
 * ids that cannot be (EINVAL before the signal's checks), and
 * rt_sigpending's set size (EINVAL past 8 bytes, a smaller set gets its
 * first bytes); a default-ignored signal (SIGCONT, SIGCHLD, SIGURG,
 * SIGWINCH) that the main thread blocks and another thread takes leaves
 * the process alive.  One line per check; the output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define RT 40

static int to_thread[2], to_main[2];
static pid_t thread_tid;
static volatile pid_t handled_in;
static volatile int handled_sig;

static void handler(int sig)
{
    handled_in = (pid_t)syscall(SYS_gettid);
    handled_sig = sig;
}

static void say(int fd, char c) { (void)!write(fd, &c, 1); }
static char hear(int fd)
{
    char c = 0;
    while (read(fd, &c, 1) < 0 && errno == EINTR)
        ;
    return c;
}

static const char *who(pid_t tid) { return tid == thread_tid ? "thread" : tid == getpid() ? "main" : "none"; }

static void show_pending(const char *who_)
{
    sigset_t s;
    sigpending(&s);
    printf("%s pending:", who_);
    for (int sig = 1; sig < 64; sig++)
        if (sigismember(&s, sig))
            printf(" %d", sig);
    printf("\n");
}

/* rt_tgsigqueueinfo: a value to one thread */
static long tgqueue(pid_t tid, int sig, int value)
{
    siginfo_t si = {.si_signo = sig, .si_code = SI_QUEUE};
    si.si_pid = getpid(), si.si_uid = getuid(), si.si_value.sival_int = value;
    return syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, sig, &si);
}

static void take(const char *who_, const sigset_t *set)
{
    siginfo_t si;
    struct timespec zero = {0, 0};
    int sig = sigtimedwait(set, &si, &zero);
    if (sig < 0)
        printf("%s sigtimedwait: %s\n", who_, errno == EAGAIN ? "EAGAIN" : strerror(errno));
    else
        printf("%s sigtimedwait: %d code %d value %d\n", who_, sig, si.si_code,
               si.si_code == SI_QUEUE ? si.si_value.sival_int : 0);
}

static void *thread_main(void *arg)
{
    (void)arg;
    sigset_t set, usr1;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1), sigaddset(&set, SIGUSR2), sigaddset(&set, RT);
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    thread_tid = (pid_t)syscall(SYS_gettid);
    say(to_main[1], 'r');
    for (char c; (c = hear(to_thread[0])) != 'q';) {
        if (c == 'p')
            show_pending("thread");
        else if (c == 't') {
            for (int i = 0; i < 5; i++)
                take("thread", &set);
        } else if (c == 's') { /* wait for SIGUSR1 with it unblocked */
            sigset_t during;
            pthread_sigmask(SIG_SETMASK, NULL, &during);
            sigdelset(&during, SIGUSR1);
            say(to_main[1], 'w');
            sigsuspend(&during);
        } else if (c == 'u') { /* unblock SIGUSR2: a pending process one comes here */
            sigset_t u2;
            sigemptyset(&u2);
            sigaddset(&u2, SIGUSR2);
            pthread_sigmask(SIG_UNBLOCK, &u2, NULL);
            pthread_sigmask(SIG_BLOCK, &u2, NULL);
        }
        say(to_main[1], 'd');
    }
    return NULL;
}

static void ask(char c)
{
    say(to_thread[1], c);
    hear(to_main[0]);
    fflush(stdout);
}

static void call(const char *what, long r)
{
    printf("%s = %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

static void bad_ids(void)
{
    printf("ids that cannot be, set sizes\n");
    call("tgkill(0, pid, 0)", syscall(SYS_tgkill, 0, getpid(), 0));
    call("tgkill(pid, 0, 0)", syscall(SYS_tgkill, getpid(), 0, 0));
    call("tgkill(-1, pid, 0)", syscall(SYS_tgkill, -1, getpid(), 0));
    call("tgkill(pid, -1, 99)", syscall(SYS_tgkill, getpid(), -1, 99));
    call("tgkill(pid, pid, 99)", syscall(SYS_tgkill, getpid(), getpid(), 99));
    call("tkill(0, 0)", syscall(SYS_tkill, 0, 0));
    call("tkill(-1, 99)", syscall(SYS_tkill, -1, 99));
    call("tkill(pid, 0)", syscall(SYS_tkill, getpid(), 0));
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1), sigaddset(&set, RT);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1), raise(RT);
    unsigned char bytes[16];
    memset(bytes, 0xee, sizeof bytes);
    call("rt_sigpending(set, 16)", syscall(SYS_rt_sigpending, bytes, 16));
    call("rt_sigpending(set, 4)", syscall(SYS_rt_sigpending, bytes, 4));
    printf("bytes:");
    for (int i = 0; i < 16; i++)
        printf(" %02x", bytes[i]);
    printf("\n");
    call("rt_sigpending(set, 8)", syscall(SYS_rt_sigpending, bytes, 8));
    printf("SIGUSR1 %d RT %d\n", sigismember((sigset_t *)bytes, SIGUSR1), sigismember((sigset_t *)bytes, RT));
    call("rt_sigpending(NULL, 8)", syscall(SYS_rt_sigpending, NULL, 8));
    call("rt_sigpending(set, 0)", syscall(SYS_rt_sigpending, bytes, 0));
    signal(SIGUSR1, SIG_IGN), signal(RT, SIG_IGN);
}

static void *idle_thread(void *arg)
{
    char c;
    read(*(int *)arg, &c, 1);
    return NULL;
}

/* Linux queues a default-ignored signal the main thread blocks (it is not
 * ignored while blocked there), and the thread that takes it ignores it. */
static void default_ignored(void)
{
    int p[2];
    pipe(p);
    sigset_t set, old;
    sigemptyset(&set);
    int sigs[] = {SIGCONT, SIGCHLD, SIGURG, SIGWINCH};
    for (int i = 0; i < 4; i++)
        sigaddset(&set, sigs[i]);
    sigprocmask(SIG_BLOCK, &set, &old);
    pthread_t th;
    pthread_create(&th, NULL, idle_thread, &p[0]);
    usleep(50000);
    for (int i = 0; i < 4; i++) {
        kill(getpid(), sigs[i]);
        usleep(20000);
        printf("alive after %s taken by the other thread\n", strsignal(sigs[i]));
    }
    write(p[1], "q", 1);
    pthread_join(th, NULL);
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(p[0]), close(p[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1), sigaddset(&set, SIGUSR2), sigaddset(&set, RT);
    sigprocmask(SIG_BLOCK, &set, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    if (pipe(to_thread) < 0 || pipe(to_main) < 0)
        return 1;
    pthread_t th;
    pthread_create(&th, NULL, thread_main, NULL);
    hear(to_main[0]);

    printf("tgkill SIGUSR2 to the thread, kill SIGUSR1 to the process\n");
    syscall(SYS_tgkill, getpid(), thread_tid, SIGUSR2);
    kill(getpid(), SIGUSR1);
    show_pending("main");
    ask('p');
    printf("the thread takes its own first, then the process's\n");
    ask('t');
    show_pending("main");

    printf("tgkill(pid, pid) reaches the main thread only\n");
    syscall(SYS_tgkill, getpid(), getpid(), SIGUSR2);
    show_pending("main");
    ask('p');
    take("main", &set);
    take("main", &set);

    printf("real-time signals queue per thread and per process\n");
    tgqueue(thread_tid, RT, 1);
    tgqueue(thread_tid, RT, 2);
    tgqueue(getpid(), RT, 7);
    sigqueue(getpid(), RT, (union sigval){.sival_int = 3});
    sigqueue(getpid(), RT, (union sigval){.sival_int = 4});
    show_pending("main");
    ask('p');
    take("main", &set);
    take("main", &set);
    ask('t');
    take("main", &set);

    printf("a process signal goes to the thread that does not block it\n");
    say(to_thread[1], 's');
    hear(to_main[0]); /* 'w': it is about to wait */
    kill(getpid(), SIGUSR1);
    hear(to_main[0]);
    printf("SIGUSR1 handled in %s\n", who(handled_in));
    show_pending("main");
    ask('p');

    printf("a blocked process signal waits for a thread to unblock it\n");
    handled_in = 0;
    kill(getpid(), SIGUSR2);
    ask('p');
    printf("before unblocking: handled in %s\n", who(handled_in));
    ask('u');
    printf("after the thread unblocked it: SIGUSR2 %d handled in %s\n", handled_sig == SIGUSR2, who(handled_in));
    show_pending("main");

    say(to_thread[1], 'q');
    pthread_join(th, NULL);
    bad_ids();
    default_ignored();
    return 0;
}
