/*
 * tests/linux/c/nssiginfo.c - the ids a signal carries across user
 * namespaces: a child in a user namespace of its own (its root mapped to
 * uid 1000) and its parent in the initial one signal each other with
 * kill, tgkill, rt_sigqueueinfo (a chosen si_uid, mapped and not),
 * pidfd_send_signal, and the child's SIGCHLD (stopped, continued,
 * exited), a signalfd's ssi_uid, the writer's own SIGPIPE, and
 * mq_notify's signal (in an IPC
 * namespace of the test's own).  Each receiver sees the sender's uid in
 * its own namespace, the overflow uid (65534) where it has none, as
 * Linux's send_signal_locked makes it.  Run as root; nothing of the
 * host's changes.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "nstest.h"

static int p2c[2], c2p[2];
static pid_t child, parent;

static void post(int fd) { (void)!write(fd, "x", 1); }
static void await(int fd)
{
    char b;
    (void)!read(fd, &b, 1);
}

static const char *who(pid_t pid)
{
    return pid == 0 ? "0" : pid == child ? "child" : pid == parent ? "parent" : pid == getpid() ? "self" : "other";
}

/* The next of sigs, as sigwaitinfo takes it: its siginfo's ids. */
static void take(const char *what, int sig)
{
    sigset_t s;
    siginfo_t si;
    sigemptyset(&s);
    sigaddset(&s, sig);
    memset(&si, 0, sizeof si);
    int r = sigwaitinfo(&s, &si);
    printf("%-36s sig %d code %d pid %s uid %u\n", what, r, si.si_code, who(si.si_pid), (unsigned)si.si_uid);
}

static long queue(pid_t pid, int sig, uid_t uid)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = sig, si.si_code = SI_QUEUE, si.si_pid = getpid(), si.si_uid = uid;
    return syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
}

static void child_side(void)
{
    CHECK(unshare(CLONE_NEWUSER));
    post(c2p[1]);
    await(p2c[0]); /* the maps are written */
    CHECK(setresgid(0, 0, 0));
    CHECK(setresuid(0, 0, 0));
    printf("child: uid %u\n", (unsigned)getuid());
    CHECK(kill(parent, SIGUSR1));
    post(c2p[1]);
    await(p2c[0]);
    take("child: the parent's kill", SIGUSR1);
    CHECK(queue(parent, SIGUSR2, 0));
    post(c2p[1]);
    await(p2c[0]);
    CHECK(queue(parent, SIGUSR2, 7));
    post(c2p[1]);
    await(p2c[0]);
    take("child: a queue, si_uid 1000", SIGRTMIN);
    take("child: a queue, si_uid 0", SIGRTMIN);
    take("child: the parent's pidfd_send_signal", SIGUSR2);
    CHECK(syscall(SYS_tgkill, parent, parent, SIGUSR1));
    post(c2p[1]);
    await(p2c[0]);
    CHECK(kill(parent, SIGURG)); /* for its signalfd */
    post(c2p[1]);
    await(p2c[0]);
    mqd_t q = mq_open("/nssiginfo", O_WRONLY);
    CHECK(q);
    CHECK(mq_send(q, "m", 1, 0));
    post(c2p[1]);
    await(p2c[0]);
    raise(SIGSTOP);
    post(c2p[1]);
    await(p2c[0]);
    int p[2]; /* a write to a pipe nobody reads: SIGPIPE from the writer itself, its uid as it sees it */
    if (pipe(p) == 0 && close(p[0]) == 0) {
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGPIPE);
        sigprocmask(SIG_BLOCK, &s, NULL);
        CHECK(write(p[1], "x", 1));
        take("child: SIGPIPE", SIGPIPE);
    }
    exit(0);
}

int main(void)
{
    if (ns_test_begin(NULL, 0, "nssiginfo"))
        return 0;
    alarm(20);
    CHECK(unshare(CLONE_NEWIPC));
    CHECK(setresuid(-1, -1, 1000)); /* that the child may signal it */
    sigset_t all;
    sigemptyset(&all);
    int sigs[] = {SIGUSR1, SIGUSR2, SIGRTMIN, SIGCHLD, SIGURG, SIGRTMIN + 1};
    for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaddset(&all, sigs[i]);
    sigprocmask(SIG_BLOCK, &all, NULL);
    if (pipe(p2c) < 0 || pipe(c2p) < 0)
        return 1;
    umask(0);
    struct mq_attr attr = {0, 4, 16, 0};
    mqd_t q = mq_open("/nssiginfo", O_RDONLY | O_CREAT, 0666, &attr);
    CHECK(q);
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL, ev.sigev_signo = SIGRTMIN + 1;
    CHECK(mq_notify(q, &ev));
    parent = getpid();
    child = fork();
    if (child == 0)
        child_side();
    await(c2p[0]);
    char path[64];
    int opened;
    snprintf(path, sizeof path, "/proc/%d/uid_map", child);
    CHECK(write_text(path, "0 1000 1", &opened));
    snprintf(path, sizeof path, "/proc/%d/gid_map", child);
    CHECK(write_text(path, "0 1000 1", &opened));
    post(p2c[1]);
    await(c2p[0]);
    take("parent: the child's kill", SIGUSR1);
    CHECK(kill(child, SIGUSR1));
    post(p2c[1]);
    await(c2p[0]);
    take("parent: a queue, si_uid 0", SIGUSR2);
    post(p2c[1]);
    await(c2p[0]);
    take("parent: a queue, si_uid 7", SIGUSR2);
    CHECK(queue(child, SIGRTMIN, 1000));
    CHECK(queue(child, SIGRTMIN, 0));
    int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
    CHECK(syscall(SYS_pidfd_send_signal, pidfd, SIGUSR2, NULL, 0));
    post(p2c[1]);
    await(c2p[0]);
    take("parent: the child's tgkill", SIGUSR1);
    sigset_t urg;
    sigemptyset(&urg);
    sigaddset(&urg, SIGURG);
    int sfd = signalfd(-1, &urg, 0);
    post(p2c[1]);
    await(c2p[0]);
    struct signalfd_siginfo ssi;
    memset(&ssi, 0, sizeof ssi);
    CHECK(read(sfd, &ssi, sizeof ssi));
    printf("parent: signalfd ssi_signo %u code %d pid %s uid %u\n", ssi.ssi_signo, ssi.ssi_code, who((pid_t)ssi.ssi_pid),
           ssi.ssi_uid);
    post(p2c[1]);
    await(c2p[0]);
    take("parent: mq_notify's", SIGRTMIN + 1);
    post(p2c[1]);
    take("parent: SIGCHLD, stopped", SIGCHLD);
    CHECK(kill(child, SIGCONT));
    take("parent: SIGCHLD, continued", SIGCHLD);
    await(c2p[0]);
    post(p2c[1]);
    take("parent: SIGCHLD, exited", SIGCHLD);
    int status;
    CHECK(waitpid(child, &status, 0) == child);
    printf("exit status %d\n", WEXITSTATUS(status));
    CHECK(mq_unlink("/nssiginfo"));
    return 0;
}
