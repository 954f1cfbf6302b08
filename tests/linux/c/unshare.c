/*
 * tests/linux/c/unshare.c - unshare: a CLONE_FILES or CLONE_FS child
 * takes its own table or directory back, CLONE_SYSVSEM, and CLONE_VM,
 * CLONE_SIGHAND and CLONE_THREAD (nothing to do alone, EINVAL beside a
 * thread); unknown flags; namespaces without CAP_SYS_ADMIN (EPERM).  And
 * clone(CLONE_VM|CLONE_SIGHAND): a child's sigaction is its parent's.
 * The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static void show(const char *what, long r)
{
    if (r < 0)
        printf("%-36s -1 %s\n", what, errno_name(errno));
    else
        printf("%-36s %ld\n", what, r);
}

static int status_of(pid_t pid)
{
    int st = -1;
    if (waitpid(pid, &st, __WALL) < 0)
        return -errno;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

static volatile int stop;

static void *spin(void *arg)
{
    (void)arg;
    while (!stop)
        usleep(1000);
    return NULL;
}

static char stack[65536] __attribute__((aligned(16)));

static int ignore_usr2(void *arg)
{
    (void)arg;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    return sigaction(SIGUSR2, &sa, NULL) == 0 ? 0 : 1;
}

static const char *usr2(void)
{
    struct sigaction sa;
    sigaction(SIGUSR2, NULL, &sa);
    return sa.sa_handler == SIG_IGN ? "ignored" : sa.sa_handler == SIG_DFL ? "default" : "handled";
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    show("unshare(0)", unshare(0));
    show("unshare(1)", unshare(1));
    show("unshare(CLONE_VFORK)", unshare(CLONE_VFORK));
    show("unshare(CLONE_SYSVSEM)", unshare(CLONE_SYSVSEM));
    show("unshare(CLONE_VM|CLONE_SIGHAND)", unshare(CLONE_VM | CLONE_SIGHAND));
    show("unshare(CLONE_THREAD)", unshare(CLONE_THREAD));
    show("unshare(CLONE_FILES|CLONE_FS)", unshare(CLONE_FILES | CLONE_FS));

    /* a CLONE_FILES child unshares, then closes: ours stays */
    int fd = open("/dev/null", O_RDONLY);
    fflush(stdout);
    long r = syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0L, 0L, 0L, 0L);
    if (r == 0) {
        if (unshare(CLONE_FILES))
            _exit(2);
        _exit(close(fd) == 0 ? 0 : 1);
    }
    printf("CLONE_FILES child: %d\n", status_of((pid_t)r));
    printf("  ours still open: %d\n", fcntl(fd, F_GETFD) >= 0);
    r = syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0L, 0L, 0L, 0L);
    if (r == 0)
        _exit(close(fd) == 0 ? 0 : 1);
    int st = status_of((pid_t)r);
    printf("  without unshare: %d, ours open: %d\n", st, fcntl(fd, F_GETFD) >= 0);

    /* a CLONE_FS child unshares, then moves */
    char cwd[256];
    r = syscall(SYS_clone, CLONE_FS | SIGCHLD, 0L, 0L, 0L, 0L);
    if (r == 0) {
        if (unshare(CLONE_FS))
            _exit(2);
        umask(077);
        _exit(chdir("/tmp") == 0 ? 0 : 1);
    }
    printf("CLONE_FS child: %d\n", status_of((pid_t)r));
    printf("  cwd is /tmp: %d, umask %03o\n", strcmp(getcwd(cwd, sizeof cwd), "/tmp") == 0, umask(022));

    /* CLONE_SIGHAND: the child's sigaction is ours */
    r = clone(ignore_usr2, stack + sizeof stack, CLONE_VM | CLONE_SIGHAND | SIGCHLD, NULL);
    printf("CLONE_VM|CLONE_SIGHAND child: %d\n", status_of((pid_t)r));
    printf("  SIGUSR2 here: %s\n", usr2());
    signal(SIGUSR2, SIG_DFL);
    r = clone(ignore_usr2, stack + sizeof stack, CLONE_VM | SIGCHLD, NULL);
    printf("CLONE_VM child: %d\n", status_of((pid_t)r));
    printf("  SIGUSR2 here: %s\n", usr2());

    /* beside a thread */
    pthread_t t;
    pthread_create(&t, NULL, spin, NULL);
    show("threaded: unshare(CLONE_VM)", unshare(CLONE_VM));
    show("threaded: unshare(CLONE_SIGHAND)", unshare(CLONE_SIGHAND));
    show("threaded: unshare(CLONE_THREAD)", unshare(CLONE_THREAD));
    show("threaded: unshare(CLONE_SYSVSEM)", unshare(CLONE_SYSVSEM));
    stop = 1;
    pthread_join(t, NULL);

    /* namespaces without CAP_SYS_ADMIN */
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) || setuid(65534))
            _exit(9);
        show("uid 65534: CLONE_NEWUTS", unshare(CLONE_NEWUTS));
        show("uid 65534: CLONE_NEWNS", unshare(CLONE_NEWNS));
        show("uid 65534: CLONE_NEWIPC", unshare(CLONE_NEWIPC));
        show("uid 65534: CLONE_NEWNET", unshare(CLONE_NEWNET));
        show("uid 65534: CLONE_NEWPID", unshare(CLONE_NEWPID));
        show("uid 65534: CLONE_NEWCGROUP", unshare(CLONE_NEWCGROUP));
        show("uid 65534: CLONE_NEWTIME", unshare(0x80));
        fflush(stdout);
        _exit(0);
    }
    printf("user's child: %d\n", status_of(pid));
    return 0;
}
