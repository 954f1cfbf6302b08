/*
 * tests/linux/c/pidnscross.c - pids that cross a pid namespace's edge,
 * each as the receiver's namespace numbers it (0 where it has none), as
 * Linux 6.1 does (root): SO_PEERCRED, SCM_CREDENTIALS (and explicit
 * credentials named in the sender's namespace: ESRCH for a pid it does
 * not see), F_GETLK's l_pid, /proc/locks of a proc mounted in the
 * namespace (a lock of a process it does not see left out), the si_pid
 * of mq_notify's signal, fanotify's event pid, a pidfd's fdinfo Pid and
 * NSpid, ptrace's fork and exec event messages.  A parent outside the
 * namespace and its init (and the init's children) inside look at each
 * other.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "nstest.h"
#include "fanabi.h"
#include <mqueue.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#define FAN_CLASS_NOTIF 0
#define FAN_MARK_ADD 1
#define FAN_OPEN 0x20

static char base[64], file[96], sock1[96], sock2[96], procdir[96], qname[64];
static pid_t outside, child;
static volatile int got_pid = -1, got_code;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    got_pid = si->si_pid, got_code = si->si_code;
}

static void say(const char *who, const char *what, long v)
{
    printf("%s: %-40s %ld %s\n", who, what, v, v < 0 ? errno_name(errno) : "");
    errno = 0;
}

static int listener(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(s, (struct sockaddr *)&a, sizeof a);
    listen(s, 4);
    return s;
}

static int connect_to(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    return connect(s, (struct sockaddr *)&a, sizeof a) < 0 ? -1 : s;
}

static struct ucred peer(int s)
{
    struct ucred u = {-1, 1, 1};
    socklen_t n = sizeof u;
    getsockopt(s, SOL_SOCKET, SO_PEERCRED, &u, &n);
    return u;
}

/* A datagram with credentials (explicit when u), the send's result. */
static long send_cred(int s, const struct ucred *u)
{
    char data = 'x';
    struct iovec io = {&data, 1};
    union {
        char b[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr h;
    } ctl;
    struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1};
    if (u) {
        m.msg_control = ctl.b, m.msg_controllen = sizeof ctl.b;
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET, c->cmsg_type = SCM_CREDENTIALS, c->cmsg_len = CMSG_LEN(sizeof *u);
        memcpy(CMSG_DATA(c), u, sizeof *u);
    }
    return sendmsg(s, &m, 0);
}

static struct ucred recv_cred(int s)
{
    char data;
    struct iovec io = {&data, 1};
    union {
        char b[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr h;
    } ctl;
    struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = ctl.b, .msg_controllen = sizeof ctl.b};
    struct ucred u = {-1, 1, 1};
    if (recvmsg(s, &m, 0) >= 0)
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
            if (c->cmsg_type == SCM_CREDENTIALS)
                memcpy(&u, CMSG_DATA(c), sizeof u);
    return u;
}

static int getlk(int fd, off_t start)
{
    struct flock l = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = 10};
    return fcntl(fd, F_GETLK, &l) < 0 ? -2 : l.l_type == F_UNLCK ? -1 : l.l_pid;
}

static int setlk(int fd, off_t start)
{
    struct flock l = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = 10};
    return fcntl(fd, F_SETLK, &l);
}

static int fan_pid(int g)
{
    char buf[256];
    long n = read(g, buf, sizeof buf);
    if (n < (long)sizeof(struct meta))
        return -100;
    struct meta m;
    memcpy(&m, buf, sizeof m);
    return m.pid; /* its descriptor stays: a close would drop the process's locks of the file */
}

/* fdinfo's Pid and NSpid of descriptor fd, through the proc at dir. */
static void fdinfo(const char *who, const char *dir, int fd, bool global)
{
    char path[160], buf[1024];
    snprintf(path, sizeof path, "%s/self/fdinfo/%d", dir, fd);
    if (read_text(path, buf, sizeof buf) < 0) {
        printf("%s: fdinfo: %s\n", who, errno_name(errno));
        return;
    }
    char *l = strstr(buf, "Pid:"), *ns = strstr(buf, "NSpid:");
    long pid = l ? strtol(l + 4, NULL, 10) : -100, last = -100;
    int n = 0;
    for (char *s = ns ? ns + 6 : NULL; s && *s == '\t'; n++)
        last = strtol(s + 1, &s, 10);
    printf("%s: fdinfo Pid %ld, NSpid %d numbers, the last %ld\n", who, global ? pid > 0 : pid, n, last);
}

static void locks_of(const char *who, const char *path, ino_t ino)
{
    char buf[8192], tail[32];
    snprintf(tail, sizeof tail, ":%lu ", (unsigned long)ino);
    if (read_text(path, buf, sizeof buf) < 0) {
        printf("%s: %s: %s\n", who, path, errno_name(errno));
        return;
    }
    printf("%s: locks of the file:", who);
    for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
        if (strstr(l, tail)) {
            int pid = -100;
            sscanf(l, "%*d: %*s %*s %*s %d", &pid);
            printf(" %d", pid);
        }
    printf("\n");
}

static void tracing(void)
{
    pid_t k = fork();
    if (k == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        pid_t g = fork();
        if (g == 0)
            _exit(0);
        execl("/proc/self/exe", "pidnscross", "noop", (char *)NULL);
        _exit(99);
    }
    int st;
    unsigned long msg = 0;
    waitpid(k, &st, 0);
    ptrace(PTRACE_SETOPTIONS, k, 0, PTRACE_O_TRACEFORK | PTRACE_O_TRACEEXEC);
    ptrace(PTRACE_CONT, k, 0, 0);
    waitpid(k, &st, 0);
    say("init", "fork event", st >> 16);
    ptrace(PTRACE_GETEVENTMSG, k, 0, &msg);
    say("init", "fork event's message (the child)", (long)msg);
    pid_t g = (pid_t)msg;
    waitpid(g, &st, __WALL); /* its first stop */
    ptrace(PTRACE_DETACH, g, 0, 0);
    /* on to its exec (its child's SIGCHLD may stop it first) and its end */
    for (ptrace(PTRACE_CONT, k, 0, 0); waitpid(k, &st, 0) == k && WIFSTOPPED(st); ptrace(PTRACE_CONT, k, 0, 0))
        if (st >> 16 == PTRACE_EVENT_EXEC) {
            ptrace(PTRACE_GETEVENTMSG, k, 0, &msg);
            say("init", "exec event's message (its old tid)", (long)msg);
        }
    say("init", "tracee's end", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    waitpid(g, &st, 0);
}

static int init_body(int sp, int go, int back)
{
    char c;
    say("init", "mount proc", mount("proc", procdir, "proc", 0, NULL));
    int s = connect_to(sock1);
    struct ucred u = peer(s);
    printf("init: SO_PEERCRED of the outside listener: pid %d uid %d gid %d\n", u.pid, u.uid, u.gid);
    say("init", "send (its own credentials)", send_cred(sp, NULL));
    struct ucred mine = {1, 0, 0}, theirs = {outside, 0, 0}, none = {12345, 0, 0};
    say("init", "send (explicit pid 1)", send_cred(sp, &mine));
    say("init", "send (explicit: the outside pid)", send_cred(sp, &theirs));
    say("init", "send (explicit: no such pid)", send_cred(sp, &none));
    int fd = open(file, O_RDWR);
    say("init", "lock bytes 20-29", setlk(fd, 20));
    say("init", "F_GETLK of the outside's lock: l_pid", getlk(fd, 0));
    struct sigaction sa = {.sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO | SA_RESTART}; /* the waits go on */
    sigaction(SIGUSR1, &sa, NULL);
    struct mq_attr qa = {.mq_maxmsg = 4, .mq_msgsize = 16};
    mqd_t q = mq_open(qname, O_CREAT | O_RDWR, 0600, &qa);
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
    say("init", "mq_notify", mq_notify(q, &ev));
    int g = (int)fan_init(FAN_CLASS_NOTIF, O_RDONLY);
    say("init", "fanotify mark", fan_mark(g, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, file));
    write(go, "a", 1);
    read(back, &c, 1);
    u = recv_cred(sp);
    printf("init: SCM_CREDENTIALS from outside: pid %d uid %d gid %d\n", u.pid, u.uid, u.gid);
    while (got_pid == -1)
        usleep(1000);
    printf("init: mq_notify's signal: si_pid %d, si_code %d\n", got_pid, got_code);
    say("init", "fanotify event of the outside's open: pid", fan_pid(g));
    char path[160];
    snprintf(path, sizeof path, "%s/locks", procdir);
    struct stat st;
    stat(file, &st);
    locks_of("init", path, st.st_ino);

    /* inside: a child, numbered 2 */
    int pp[2], hold[2], sp2[2];
    pipe(pp), pipe(hold);
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sp2);
    int on = 1;
    setsockopt(sp2[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    int l2 = listener(sock2);
    char m[16];
    mq_receive(q, m, sizeof m, NULL); /* the outside's message: empty again */
    got_pid = -1;
    mq_notify(q, &ev);
    pid_t k = fork();
    if (k == 0) {
        int s2 = connect_to(sock2);
        struct ucred v = peer(s2);
        printf("child: SO_PEERCRED of init's listener: pid %d\n", v.pid);
        int f2 = open(file, O_RDWR); /* a fanotify event */
        printf("child: F_GETLK of init's lock: l_pid %d\n", getlk(f2, 20));
        send_cred(sp2[1], NULL);
        mq_send(q, "k", 1, 0);
        write(pp[1], "r", 1);
        read(hold[0], &c, 1);
        _exit(0);
    }
    read(pp[0], &c, 1);
    say("init", "fork", k);
    int a = accept(l2, NULL, NULL);
    u = peer(a);
    printf("init: SO_PEERCRED of its child: pid %d\n", u.pid);
    u = recv_cred(sp2[0]);
    printf("init: SCM_CREDENTIALS of its child: pid %d\n", u.pid);
    while (got_pid == -1)
        usleep(1000);
    printf("init: mq_notify's signal from its child: si_pid %d, si_code %d\n", got_pid, got_code);
    say("init", "fanotify event of its child's open: pid", fan_pid(g));
    int pfd = (int)syscall(SYS_pidfd_open, k, 0);
    fdinfo("init (its proc)", procdir, pfd, false);
    fdinfo("init (the initial proc)", "/proc", pfd, true);
    write(hold[1], "h", 1);
    waitpid(k, NULL, 0);
    close(pfd);
    pid_t z = fork(); /* a session of its own, ended, not yet reaped: its ids are there still */
    if (z == 0) {
        setsid();
        _exit(0);
    }
    siginfo_t zi;
    waitid(P_PID, (id_t)z, &zi, WEXITED | WNOWAIT);
    say("init", "getsid of an unreaped child is its pid", getsid(z) == z);
    say("init", "getpgid of it is its pid", getpgid(z) == z);
    waitpid(z, NULL, 0);
    say("init", "getsid once reaped", getsid(z));
    tracing();
    mq_close(q);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "noop"))
        return 0;
    if (ns_test_begin(base, sizeof base, "pidnscross"))
        return 0;
    snprintf(file, sizeof file, "%s/f", base);
    snprintf(sock1, sizeof sock1, "%s/s1", base);
    snprintf(sock2, sizeof sock2, "%s/s2", base);
    snprintf(procdir, sizeof procdir, "%s/p", base);
    snprintf(qname, sizeof qname, "/pidnscross.%d", getpid());
    mkdir(procdir, 0755);
    int wf = open(file, O_CREAT | O_RDWR, 0600);
    write(wf, "0123456789012345678901234567890123456789", 40);
    close(wf);
    outside = getpid();
    if (ns_test_unshare(CLONE_NEWPID) < 0) {
        printf("unshare: %s\n", errno_name(errno));
        return 1;
    }
    int sp[2], go[2], back[2], on = 1;
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sp);
    setsockopt(sp[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    setsockopt(sp[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    pipe(go), pipe(back);
    int l1 = listener(sock1);
    int fd = open(file, O_RDWR);
    setlk(fd, 0);
    child = fork();
    if (child == 0)
        _exit(init_body(sp[1], go[1], back[0]));
    char c;
    read(go[0], &c, 1);
    int a = accept(l1, NULL, NULL);
    struct ucred u = peer(a);
    printf("outside: SO_PEERCRED of the init: the child's pid %d, uid %d gid %d\n", u.pid == child, u.uid, u.gid);
    for (int i = 0; i < 2; i++) {
        u = recv_cred(sp[0]);
        printf("outside: SCM_CREDENTIALS %d: the child's pid %d, uid %d gid %d\n", i, u.pid == child, u.uid, u.gid);
    }
    printf("outside: F_GETLK of the init's lock: the child's pid %d\n", getlk(fd, 20) == child);
    say("outside", "send", send_cred(sp[0], NULL));
    mqd_t q = mq_open(qname, O_RDWR);
    say("outside", "mq_send", mq_send(q, "o", 1, 0));
    int f2 = open(file, O_RDONLY); /* the init's fanotify event (kept open: a close drops the lock) */
    int pfd = (int)syscall(SYS_pidfd_open, child, 0);
    fdinfo("outside", "/proc", pfd, true);
    write(back[1], "b", 1);
    int st = 0;
    waitpid(child, &st, 0);
    close(f2);
    say("outside", "init's end", WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st));
    mq_unlink(qname);
    umount2(procdir, MNT_DETACH);
    unlink(file), unlink(sock1), unlink(sock2), rmdir(procdir);
    say("outside", "rmdir", rmdir(base));
    return 0;
}
