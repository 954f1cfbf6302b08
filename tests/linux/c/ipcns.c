/*
 * tests/linux/c/ipcns.c - IPC namespaces: unshare(CLONE_NEWIPC) gives an
 * empty namespace (the first ids 0, the default limits), whose System V
 * queues, segments and sets, POSIX queues and /proc/sys/kernel and
 * /proc/sys/fs/mqueue settings nobody outside sees; setns through its
 * /proc/<pid>/ns/ipc joins it (the same ids, a message sent across), an
 * open one keeps it after its process ends; leaving an IPC namespace (or
 * unshare(CLONE_SYSVSEM)) applies the SEM_UNDO adjustments; without
 * CAP_SYS_ADMIN EPERM.
 * Everything is made inside new namespaces, so the host's stay as they
 * were.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define KEY 0x5eed

struct msg {
    long type;
    char text[16];
};

static void show(const char *what, long r)
{
    printf("%-44s %ld %s\n", what, r, r < 0 ? errno_name(errno) : "");
    errno = 0;
}

static long setting(const char *path)
{
    char buf[64];
    return read_text(path, buf, sizeof buf) < 0 ? -1 : atol(buf);
}

static int sysvipc_lines(const char *kind)
{
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/sysvipc/%s", kind);
    int fd = open(path, O_RDONLY), n = 0;
    long len = fd < 0 ? -1 : read(fd, buf, sizeof buf);
    for (long i = 0; i < len; i++)
        n += buf[i] == '\n';
    if (fd >= 0)
        close(fd);
    return n;
}

/* What the caller's namespace holds of KEY and its settings. */
static void look(const char *who)
{
    printf("%s: msgget %d shmget %d semget %d", who, msgget(KEY, 0) >= 0, shmget(KEY, 0, 0) >= 0,
           semget(KEY, 0, 0) >= 0);
    mqd_t q = mq_open("/ipcns-q", O_RDONLY);
    printf(" mq_open %d", q != (mqd_t)-1);
    if (q != (mqd_t)-1)
        mq_close(q);
    printf(" msgmax %ld msg_max %ld sysvipc %d/%d/%d\n", setting("/proc/sys/kernel/msgmax"),
           setting("/proc/sys/fs/mqueue/msg_max"), sysvipc_lines("msg"), sysvipc_lines("shm"), sysvipc_lines("sem"));
}

static int up(int id)
{
    struct sembuf b = {0, 1, SEM_UNDO};
    return semop(id, &b, 1);
}

/* SEM_UNDO adjustments are applied when the process leaves its list:
 * unshare(CLONE_SYSVSEM), unshare(CLONE_NEWIPC), setns into an IPC
 * namespace (its own too), as at an exit. */
static void undos(void)
{
    show("u: unshare(CLONE_NEWIPC)", unshare(CLONE_NEWIPC));
    int id = semget(IPC_PRIVATE, 1, 0600), ipc = open("/proc/self/ns/ipc", O_RDONLY);
    up(id);
    printf("u: after semop SEM_UNDO: %d\n", semctl(id, 0, GETVAL));
    show("u: unshare(CLONE_SYSVSEM)", unshare(CLONE_SYSVSEM));
    printf("u: after it: %d\n", semctl(id, 0, GETVAL));
    up(id);
    show("u: unshare(CLONE_NEWIPC) again", unshare(CLONE_NEWIPC));
    show("u: setns back", setns(ipc, CLONE_NEWIPC));
    printf("u: back: %d\n", semctl(id, 0, GETVAL));
    up(id);
    show("u: setns(its own ipc)", setns(ipc, 0));
    printf("u: after it: %d\n", semctl(id, 0, GETVAL));
}

/* A segment attached when its namespace goes stays mapped until its
 * detach. */
static void orphan(void)
{
    show("o: unshare(CLONE_NEWIPC)", unshare(CLONE_NEWIPC));
    int id = shmget(IPC_PRIVATE, 4096, 0600);
    char *m = shmat(id, NULL, 0);
    strcpy(m, "kept");
    show("o: unshare(CLONE_NEWIPC), the old one gone", unshare(CLONE_NEWIPC));
    printf("o: still mapped: %s, segments here %d\n", m, sysvipc_lines("shm") - 1);
    show("o: shmdt", shmdt(m));
}

static int wait_child(pid_t pid)
{
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int up[2];
    pipe(up);
    pid_t a = fork();
    if (a == 0) {
        show("a: unshare(CLONE_NEWIPC)", unshare(CLONE_NEWIPC));
        look("a, new");
        show("a: msgget(KEY, IPC_CREAT)", msgget(KEY, IPC_CREAT | 0600));
        show("a: shmget(KEY, 4096, IPC_CREAT)", shmget(KEY, 4096, IPC_CREAT | 0600));
        show("a: semget(KEY, 2, IPC_CREAT)", semget(KEY, 2, IPC_CREAT | 0600));
        show("a: msgget(IPC_PRIVATE)", msgget(IPC_PRIVATE, 0600));
        struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 64};
        mqd_t q = mq_open("/ipcns-q", O_CREAT | O_RDWR, 0600, &attr);
        show("a: mq_open(O_CREAT)", q == (mqd_t)-1 ? -1 : 0);
        mq_send(q, "hello", 5, 1);
        int w;
        show("a: msgmax = 4096", write_text("/proc/sys/kernel/msgmax", "4096", &w));
        show("a: fs/mqueue/msg_max = 20", write_text("/proc/sys/fs/mqueue/msg_max", "20", &w));
        look("a, made");
        write(up[1], "x", 1);
        pause();
        _exit(0);
    }
    char x;
    read(up[0], &x, 1);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/ipc", (int)a);
    int fd = open(path, O_RDONLY);

    pid_t b = fork();
    if (b == 0) {
        show("b: unshare(CLONE_NEWIPC)", unshare(CLONE_NEWIPC));
        look("b, another new");
        _exit(0);
    }
    wait_child(b);

    pid_t c = fork();
    if (c == 0) {
        show("c: setns(a's ipc, CLONE_NEWIPC)", setns(fd, CLONE_NEWIPC));
        look("c, in a's");
        int id = msgget(KEY, 0);
        struct msg m = {1, "across"};
        show("c: msgsnd", msgsnd(id, &m, sizeof m.text, 0));
        _exit(0);
    }
    wait_child(c);
    kill(a, SIGKILL);
    printf("a ended: %d\n", wait_child(a));

    pid_t d = fork();
    if (d == 0) { /* a's namespace lives on in the open file */
        show("d: setns(a's ipc, 0)", setns(fd, 0));
        look("d, in a's");
        struct msg m;
        show("d: msgrcv", msgrcv(msgget(KEY, 0), &m, sizeof m.text, 0, IPC_NOWAIT));
        printf("d: message %s\n", m.text);
        char buf[64];
        mqd_t q = mq_open("/ipcns-q", O_RDONLY);
        show("d: mq_receive", mq_receive(q, buf, sizeof buf, NULL));
        _exit(0);
    }
    wait_child(d);

    show("clone(CLONE_NEWIPC|CLONE_SYSVSEM)", syscall(SYS_clone, CLONE_NEWIPC | CLONE_SYSVSEM | SIGCHLD, 0L, 0L, 0L, 0L));
    long e = syscall(SYS_clone, CLONE_NEWIPC | SIGCHLD, 0L, 0L, 0L, 0L);
    if (e == 0) {
        look("clone(CLONE_NEWIPC) child");
        _exit(0);
    }
    wait_child((pid_t)e);

    pid_t u = fork();
    if (u == 0) {
        undos();
        orphan();
        _exit(0);
    }
    wait_child(u);

    pid_t n = fork();
    if (n == 0) {
        if (setgid(65534) || setuid(65534))
            _exit(9);
        show("nobody: unshare(CLONE_NEWIPC)", unshare(CLONE_NEWIPC));
        show("nobody: setns(a's ipc, 0)", setns(fd, 0));
        _exit(0);
    }
    printf("nobody: %d\n", wait_child(n));
    close(fd);
    return 0;
}
