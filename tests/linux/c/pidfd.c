/*
 * tests/linux/c/pidfd.c - process descriptors: pidfd_open (close-on-exec,
 * PIDFD_NONBLOCK, its errors), polling one (readable once the process has
 * ended), pidfd_send_signal, pidfd_getfd (a copy of the target's
 * descriptor; EPERM for another user's process), waitid with P_PIDFD and
 * WNOWAIT (the child stays to be waited for again), CLONE_PIDFD in clone
 * and clone3 (EINVAL with CLONE_PARENT_SETTID into the same place), what
 * /proc/<pid>/fd shows for one; waitid's ids that cannot be (EINVAL) and
 * a siginfo it cannot write (EFAULT, the child reaped all the same); a
 * process's /proc/<pid> directory taken by pidfd_send_signal.  The
 * output must equal the host Linux's; "pidfd persona-only" checks what
 * Linux 6.1 refuses and a later host takes.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#define PIDFD_NONBLOCK O_NONBLOCK
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif
#define CLONE_PARENT_SETTID 0x00100000

static int pidfd_open(int pid, unsigned flags) { return (int)syscall(434, pid, flags); }
static int pidfd_send_signal(int fd, int sig, siginfo_t *info, unsigned flags)
{
    return (int)syscall(424, fd, sig, info, flags);
}
static int pidfd_getfd(int fd, int target, unsigned flags) { return (int)syscall(438, fd, target, flags); }

struct clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static int ready(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    int n = poll(&p, 1, 0);
    return n <= 0 ? n : p.revents;
}

static void show_wait(int idtype, int id, int options)
{
    siginfo_t si = {0};
    int r = waitid(idtype, (id_t)id, &si, options);
    printf("waitid(%d, _, %#x) = %d %s: code %d status %d\n", idtype, options, r, r < 0 ? strerror(errno) : "",
           si.si_code, si.si_status);
}

/* A process's /proc/<pid> directory is a pidfd to pidfd_send_signal
 * alone (ESRCH once the process is reaped); a thread's directory, an
 * O_PATH one and /proc/<pid>/task are not (EBADF), nor is any to waitid. */
static void proc_dirs(void)
{
    int go[2];
    pipe(go);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(go[1]);
        read(go[0], &c, 1);
        _exit(0);
    }
    close(go[0]);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d", pid);
    int dir = open(path, O_RDONLY | O_DIRECTORY);
    CHECK(pidfd_send_signal(dir, 0, NULL, 0));
    CHECK(pidfd_send_signal(dir, SIGCONT, NULL, 0));
    siginfo_t si;
    CHECK(waitid(P_PIDFD, (id_t)dir, &si, WEXITED | WNOHANG));
    snprintf(path, sizeof path, "/proc/%d/task/%d", pid, pid);
    int task = open(path, O_RDONLY | O_DIRECTORY);
    CHECK(pidfd_send_signal(task, 0, NULL, 0));
    int tasks = open("/proc/self/task", O_RDONLY | O_DIRECTORY);
    CHECK(pidfd_send_signal(tasks, 0, NULL, 0));
    int self = open("/proc/self", O_PATH);
    CHECK(pidfd_send_signal(self, 0, NULL, 0));
    close(go[1]);
    waitpid(pid, NULL, 0);
    CHECK(pidfd_send_signal(dir, 0, NULL, 0));
    close(dir), close(task), close(tasks), close(self);
}

/* "pidfd persona-only": Linux 6.1's answers to what a later kernel takes
 * (6.9's PIDFD_THREAD and PIDFD_SIGNAL_* flags, a pidfd of a live thread):
 * EINVAL for each (tests/linux/c/pidfd.persona-only.expected). */
static void *thread_id(void *arg)
{
    __atomic_store_n((pid_t *)arg, (pid_t)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
    for (;;)
        pause(); /* alive while its id is asked about */
    return NULL;
}

static void before_6_9(void)
{
    pid_t tid = 0;
    pthread_t th;
    pthread_create(&th, NULL, thread_id, &tid);
    while (!__atomic_load_n(&tid, __ATOMIC_SEQ_CST))
        sched_yield();
    CHECK(pidfd_open(getpid(), 0x80)); /* PIDFD_THREAD */
    int fd = pidfd_open(getpid(), 0);
    CHECK(fd >= 0);
    for (unsigned flag = 1; flag <= 4; flag <<= 1) /* PIDFD_SIGNAL_THREAD, _THREAD_GROUP, _PROCESS_GROUP */
        CHECK(pidfd_send_signal(fd, 0, NULL, flag));
    CHECK(pidfd_send_signal(fd, 0, NULL, 0));
    CHECK(pidfd_open(tid, 0));
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "persona-only")) {
        setvbuf(stdout, NULL, _IONBF, 0);
        before_6_9();
        return 0;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    int go[2], back[2];
    pipe(go), pipe(back);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(go[1]);
        read(go[0], &c, 1); /* until the parent closes it */
        _exit(3);
    }
    close(go[0]), close(back[1]);
    int fd = pidfd_open(pid, 0);
    CHECK(fd >= 0);
    CHECK(fcntl(fd, F_GETFD));
    CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
    int nb = pidfd_open(pid, PIDFD_NONBLOCK);
    CHECK(fcntl(nb, F_GETFL) & O_NONBLOCK);
    char link[64], target[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    printf("%s\n", n > 0 ? (target[n] = 0, target) : strerror(errno));
    CHECK(pidfd_open(-1, 0));
    CHECK(pidfd_open(0, 0));
    CHECK(pidfd_open(pid, 1));
    CHECK(pidfd_open(4000000, 0));
    CHECK(ready(fd));
    char buf[8];
    CHECK(read(fd, buf, sizeof buf));
    CHECK(pidfd_send_signal(fd, 0, NULL, 0));
    CHECK(pidfd_send_signal(fd, 0, NULL, 0x10));
    CHECK(pidfd_send_signal(fd, 99, NULL, 0));
    CHECK(pidfd_send_signal(go[1], 0, NULL, 0));
    CHECK(pidfd_send_signal(77, 0, NULL, 0));
    CHECK(waitid(P_PIDFD, nb, NULL, WEXITED));
    show_wait(P_PIDFD, nb, WEXITED | WNOHANG);
    show_wait(P_PIDFD, go[1], WEXITED);
    show_wait(P_PIDFD, -1, WEXITED);

    /* a copy of the child's descriptor: the write end of back, which only the child has */
    int copy = pidfd_getfd(fd, back[1], 0);
    CHECK(copy >= 0);
    CHECK(fcntl(copy, F_GETFD));
    CHECK(pidfd_getfd(fd, go[0], 1));
    CHECK(pidfd_getfd(fd, 200, 0));
    CHECK(pidfd_getfd(go[1], 0, 0));
    CHECK(write(copy, "x", 1));
    CHECK(read(back[0], buf, 1));
    close(copy);

    CHECK(pidfd_send_signal(fd, SIGTERM, NULL, 0));
    struct pollfd p = {fd, POLLIN, 0};
    CHECK(poll(&p, 1, 5000));
    CHECK(p.revents);
    CHECK(pidfd_send_signal(fd, 0, NULL, 0)); /* ended, not yet waited for */
    show_wait(P_PIDFD, fd, WEXITED | WNOWAIT);
    show_wait(P_PIDFD, fd, WEXITED | WNOWAIT);
    show_wait(P_PIDFD, fd, WEXITED);
    show_wait(P_PIDFD, fd, WEXITED);
    CHECK(pidfd_send_signal(fd, 0, NULL, 0));
    CHECK(ready(fd));
    CHECK(pidfd_getfd(fd, 0, 0));
    close(fd), close(nb), close(go[1]);

    /* WNOWAIT with P_ALL, then wait4 reaps the same child */
    pid = fork();
    if (pid == 0)
        _exit(5);
    siginfo_t si = {0};
    CHECK(waitid(P_ALL, 0, &si, WEXITED | WNOWAIT));
    CHECK(si.si_pid == pid);
    CHECK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT | WNOHANG));
    int st;
    CHECK(wait4(pid, &st, WNOWAIT, NULL));
    CHECK(waitpid(pid, &st, 0) == pid);
    CHECK(WEXITSTATUS(st));

    /* CLONE_PIDFD, in clone and clone3 */
    int cfd = -1;
    pid = (pid_t)syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &cfd, 0, 0);
    if (pid == 0)
        _exit(7);
    CHECK(cfd >= 0);
    CHECK(fcntl(cfd, F_GETFD));
    show_wait(P_PIDFD, cfd, WEXITED);
    close(cfd);
    CHECK(syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0, &cfd, 0, 0));
    CHECK(syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, (void *)8, 0, 0));
    struct clone_args ca = {.flags = CLONE_PIDFD, .pidfd = (uintptr_t)&cfd, .exit_signal = SIGCHLD};
    cfd = -1;
    pid = (pid_t)syscall(435, &ca, sizeof ca);
    if (pid == 0)
        _exit(9);
    CHECK(cfd >= 0);
    show_wait(P_PIDFD, cfd, WEXITED);
    close(cfd);
    ca.flags = CLONE_PIDFD | CLONE_PARENT_SETTID, ca.parent_tid = ca.pidfd;
    CHECK(syscall(435, &ca, sizeof ca)); /* both in one place */

    /* waitid's ids that cannot be, and a siginfo it cannot write */
    CHECK(waitid(P_PID, 0, &si, WEXITED | WNOHANG));
    CHECK(waitid(P_PID, (id_t)-1, &si, WEXITED | WNOHANG));
    CHECK(waitid(P_PGID, (id_t)-1, &si, WEXITED | WNOHANG));
    CHECK(waitid(P_PGID, 0, &si, WEXITED | WNOHANG));
    pid = fork();
    if (pid == 0)
        _exit(4);
    CHECK(syscall(SYS_waitid, P_PID, pid, (void *)8, WEXITED, NULL));
    CHECK(waitid(P_PID, pid, &si, WEXITED | WNOHANG)); /* reaped all the same */

    /* another user's process: no descriptor of it to take */
    pid = fork();
    if (pid == 0) {
        int pfd = pidfd_open(getppid(), 0);
        setuid(1000);
        CHECK(pidfd_getfd(pfd, 0, 0));
        CHECK(pidfd_send_signal(pfd, 0, NULL, 0));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    proc_dirs();
    return 0;
}
