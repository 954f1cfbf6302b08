/*
 * tests/linux/c/seccomp.c - seccomp(2) and prctl's PR_SET/GET_SECCOMP:
 * the operations' errors, a filter's checks (EINVAL, EFAULT, EACCES
 * without no_new_privs or root), every action (ERRNO with its data and
 * its cap, TRACE and USER_NOTIF without a tracer or listener, LOG, TRAP's
 * SIGSYS and its siginfo, KILL_PROCESS, KILL_THREAD of one thread among
 * two), the precedence of several filters, the arguments a filter sees,
 * strict mode, inheritance over fork and execve, TSYNC, and
 * /proc/self/status.  Each case runs in a child of its own.  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "seccompbpf.h"
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define install(f, flags) install_flags(f, sizeof(f) / sizeof(f[0]), flags)

/* A filter answering action for call nr and allowing the rest. */
static long deny(long nr, uint32_t action)
{
    struct sock_filter f[] = {LD_NR, JEQ((uint32_t)nr, 0, 1), RET(action), RET(ALLOW)};
    return install(f, 0);
}

static void status_lines(void)
{
    char buf[4096];
    FILE *fp = fopen("/proc/self/status", "r");
    while (fp && fgets(buf, sizeof buf, fp))
        if (strncmp(buf, "Seccomp", 7) == 0 || strncmp(buf, "NoNewPrivs", 10) == 0)
            printf("  %s", buf);
    if (fp)
        fclose(fp);
}

/* Runs fn in a child; prints how it ended. */
static void run(const char *name, void (*fn)(void))
{
    printf("-- %s\n", name);
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit no = {0, 0};
        setrlimit(RLIMIT_CORE, &no);
        fn();
        exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st))
        printf("  killed by signal %d\n", WTERMSIG(st));
    else
        printf("  exit %d\n", WEXITSTATUS(st));
}

static void errors(void)
{
    uint32_t action;
    uint32_t actions[] = {KILL_PROCESS, KILL_THREAD, TRAP, ERRNO(0), NOTIF, TRACE, LOG, ALLOW, 0x7ffe0000u, 0x12345u};
    for (unsigned i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        action = actions[i];
        printf("action %#x: ", actions[i]);
        CHECK(syscall(SYS_seccomp, 2, 0, &action));
    }
    CHECK(syscall(SYS_seccomp, 2, 1, &action));
    CHECK(syscall(SYS_seccomp, 2, 0, (void *)8));
    uint16_t sizes[3];
    CHECK(syscall(SYS_seccomp, 3, 0, sizes));
    printf("notif sizes %u %u %u\n", sizes[0], sizes[1], sizes[2]);
    CHECK(syscall(SYS_seccomp, 3, 1, sizes));
    CHECK(syscall(SYS_seccomp, 9, 0, NULL));
    CHECK(syscall(SYS_seccomp, 0, 1, NULL));
    CHECK(syscall(SYS_seccomp, 0, 0, sizes));
    CHECK(prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_SECCOMP, 3, 0, 0, 0));
}

static void bad_filters(void)
{
    struct sock_filter ok[] = {RET(ALLOW)};
    struct sock_filter jump_out[] = {LD_NR, JEQ(1, 5, 0), RET(ALLOW)};
    struct sock_filter far_load[] = {{0x20, 0, 0, 64}, RET(ALLOW)};
    struct sock_filter odd_load[] = {{0x20, 0, 0, 2}, RET(ALLOW)};
    struct sock_filter no_ret[] = {LD_NR};
    struct sock_filter mem_unset[] = {{0x60, 0, 0, 3}, RET(ALLOW)};
    struct sock_filter mod[] = {LD_NR, {0x94, 0, 0, 3}, RET(ALLOW)};
    struct sock_filter byte_load[] = {{0x30, 0, 0, 0}, RET(ALLOW)};
    struct sock_filter div0[] = {LD_NR, {0x34, 0, 0, 0}, RET(ALLOW)};
    struct sock_filter shift32[] = {LD_NR, {0x64, 0, 0, 32}, RET(ALLOW)};
    struct sock_filter ja_out[] = {{0x05, 0, 0, 1}, RET(ALLOW)};
    CHECK(install(ok, 0)); /* root: CAP_SYS_ADMIN, no no_new_privs needed */
    CHECK(install(jump_out, 0));
    CHECK(install(far_load, 0));
    CHECK(install(odd_load, 0));
    CHECK(install(no_ret, 0));
    CHECK(install(mem_unset, 0));
    CHECK(install(mod, 0));
    CHECK(install(byte_load, 0));
    CHECK(install(div0, 0));
    CHECK(install(shift32, 0));
    CHECK(install(ja_out, 0));
    CHECK(install_flags(ok, 0, 0));
    CHECK(install_flags(ok, 4097, 0));
    CHECK(install_flags((struct sock_filter *)8, 1, 0));
    CHECK(syscall(SYS_seccomp, 1, 0, (void *)8));
    CHECK(install(ok, 0x40));
    CHECK(install(ok, 0x20));
    CHECK(prctl(PR_SET_SECCOMP, 1, 0, 0, 0)); /* strict after filter */
    CHECK(prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
}

static void unprivileged(void)
{
    struct sock_filter ok[] = {RET(ALLOW)};
    CHECK(syscall(SYS_setresuid, 1000, 1000, 1000));
    CHECK(install(ok, 0));
    CHECK(prctl(PR_SET_SECCOMP, 2, ok, 0, 0));
    CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    struct sock_fprog prog = {1, ok};
    CHECK(prctl(PR_SET_SECCOMP, 2, &prog, 0, 0));
    CHECK(prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    status_lines();
}

static void errno_actions(void)
{
    CHECK(deny(SYS_getpid, ERRNO(EPERM)));
    CHECK(deny(SYS_getuid, ERRNO(5000)));
    CHECK(deny(SYS_getgid, TRACE));
    CHECK(deny(SYS_geteuid, NOTIF));
    CHECK(deny(SYS_getegid, LOG));
    CHECK(deny(SYS_getpgrp, ERRNO(0)));
    CHECK(syscall(SYS_getpid));
    CHECK(syscall(SYS_getuid));
    CHECK(syscall(SYS_getgid));
    CHECK(syscall(SYS_geteuid));
    CHECK(syscall(SYS_getegid));
    CHECK(syscall(SYS_getpgrp));
    CHECK(syscall(SYS_getppid) > 0);
    status_lines();
}

static void precedence(void)
{
    CHECK(deny(SYS_getpid, ERRNO(EPERM)));
    CHECK(deny(SYS_getpid, ERRNO(EACCES))); /* equal actions: the newest's data */
    CHECK(syscall(SYS_getpid));
    CHECK(deny(SYS_getpid, LOG));
    CHECK(syscall(SYS_getpid));
    CHECK(deny(SYS_getuid, ERRNO(EROFS)));
    CHECK(deny(SYS_getuid, TRACE)); /* ERRNO is stronger than TRACE */
    CHECK(syscall(SYS_getuid));
    /* the call's first argument: write to descriptor 99 is EROFS, others run */
    struct sock_filter f[] = {LD_NR, JEQ(SYS_write, 0, 3), LD_ARG0, JEQ(99, 0, 1), RET(ERRNO(EROFS)), RET(ALLOW)};
    CHECK(install(f, 0));
    CHECK(write(99, "x", 1));
    CHECK(write(98, "x", 1));
    /* ret A, scratch memory, tax/txa: the errno is the call's number */
    struct sock_filter g[] = {LD_NR, {0x02, 0, 0, 5}, {0x07, 0, 0, 0}, {0x87, 0, 0, 0}, {0x60, 0, 0, 5},
                              JEQ(SYS_getgid, 0, 2), {0x44, 0, 0, 0x50000}, {0x16, 0, 0, 0}, RET(ALLOW)};
    CHECK(install(g, 0));
    CHECK(syscall(SYS_getgid));
    status_lines();
}

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
    ucontext_t *u = uc;
    printf("  handler: sig %d code %d errno %d syscall %d arch %#x rax %lld\n", sig, si->si_code, si->si_errno,
           si->si_syscall, si->si_arch, (long long)u->uc_mcontext.gregs[REG_RAX]);
}

static void trap(void)
{
    struct sigaction sa = {0};
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSYS, &sa, NULL);
    CHECK(deny(SYS_getppid, TRAP | 42));
    CHECK(syscall(SYS_getppid)); /* the handler returns: rax holds the call's number */
    signal(SIGSYS, SIG_DFL);
    CHECK(syscall(SYS_getppid)); /* no handler: the process ends */
}

static void trap_blocked(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGSYS);
    sigprocmask(SIG_BLOCK, &set, NULL);
    CHECK(deny(SYS_getppid, TRAP));
    CHECK(syscall(SYS_getppid));
}

static void kill_process(void)
{
    CHECK(deny(SYS_getppid, KILL_PROCESS));
    CHECK(syscall(SYS_getppid));
}

static void kill_thread_alone(void)
{
    CHECK(deny(SYS_getppid, KILL_THREAD));
    CHECK(syscall(SYS_getppid));
}

static void div_by_zero(void)
{
    struct sock_filter f[] = {LD_NR, JEQ(SYS_getppid, 0, 2), {0x01, 0, 0, 0}, {0x3c, 0, 0, 0}, RET(ALLOW)};
    CHECK(install(f, 0));
    CHECK(syscall(SYS_getpid) > 0);
    CHECK(syscall(SYS_getppid)); /* A / 0: the program answers 0, KILL_THREAD */
}

static int threads(void)
{
    char buf[256];
    int n = 0;
    FILE *fp = fopen("/proc/self/status", "r");
    while (fp && fgets(buf, sizeof buf, fp))
        if (strncmp(buf, "Threads:", 8) == 0)
            n = atoi(buf + 8);
    if (fp)
        fclose(fp);
    return n;
}

static void *doomed(void *arg)
{
    (void)arg;
    printf("  thread: %ld\n", deny(SYS_getppid, KILL_THREAD));
    syscall(SYS_getppid);
    printf("  thread lives on\n");
    return NULL;
}

static void kill_thread(void)
{
    pthread_t t;
    pthread_create(&t, NULL, doomed, NULL);
    while (threads() > 1) /* not pthread_join: a killed thread leaves its join waiting, on Linux too */
        usleep(1000);
    CHECK(syscall(SYS_getppid) > 0); /* the filter was the thread's alone */
}

static volatile int phase;
static void *waiter(void *arg)
{
    (void)arg;
    while (phase == 0)
        sched_yield();
    long r = syscall(SYS_getpid);
    printf("  thread's getpid: %ld %s\n", r, strerror(errno));
    status_lines();
    phase = 2;
    return NULL;
}

static void tsync(void)
{
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    struct sock_filter f[] = {LD_NR, JEQ(SYS_getpid, 0, 1), RET(ERRNO(EPERM)), RET(ALLOW)};
    CHECK(install(f, 1)); /* SECCOMP_FILTER_FLAG_TSYNC */
    phase = 1;
    pthread_join(t, NULL);
}

static void *own_filter(void *arg)
{
    (void)arg;
    deny(SYS_getuid, ERRNO(EPERM));
    phase = 1;
    while (phase == 1)
        sched_yield();
    return NULL;
}

static void tsync_refused(void)
{
    pthread_t t;
    phase = 0;
    pthread_create(&t, NULL, own_filter, NULL);
    while (phase == 0)
        sched_yield();
    struct sock_filter f[] = {RET(ALLOW)};
    /* the thread runs a filter that is not the caller's: TSYNC names it (its id), or ESRCH */
    printf("  tsync: %s\n", install(f, 1) > 0 ? "a thread's id" : strerror(errno));
    CHECK(install(f, 0x11));
    CHECK(syscall(SYS_getuid));
    phase = 2;
    pthread_join(t, NULL);
}

/* In strict mode stdio's writev would end it: write alone. */
static void strict_ok(void)
{
    if (prctl(PR_SET_SECCOMP, 1, 0, 0, 0) == 0)
        write(1, "  strict mode\n", 14);
    write(1, "  strict: write runs\n", 21);
    syscall(SYS_exit, 3);
}

static void strict_killed(void)
{
    prctl(PR_SET_SECCOMP, 1, 0, 0, 0);
    syscall(SYS_getpid);
    write(1, "  not reached\n", 14);
}

static const char *self;
static void inherited(void)
{
    CHECK(deny(SYS_getpid, ERRNO(EPERM)));
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(syscall(SYS_getpid));
        execl(self, self, "exec", (char *)NULL);
        _exit(1);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("  child exit %d\n", WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    self = argv[0];
    if (argc > 1) { /* after execve: the filters stay */
        CHECK(syscall(SYS_getpid));
        status_lines();
        return 0;
    }
    run("errors", errors);
    run("bad filters", bad_filters);
    run("unprivileged", unprivileged);
    run("errno actions", errno_actions);
    run("precedence", precedence);
    run("trap", trap);
    run("trap blocked", trap_blocked);
    run("kill process", kill_process);
    run("kill thread, alone", kill_thread_alone);
    run("division by zero", div_by_zero);
    run("kill thread", kill_thread);
    run("tsync", tsync);
    run("tsync refused", tsync_refused);
    run("strict", strict_ok);
    run("strict killed", strict_killed);
    run("inherited", inherited);
    return 0;
}
