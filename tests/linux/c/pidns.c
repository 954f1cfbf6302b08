/*
 * tests/linux/c/pidns.c - pid namespaces (root): clone(CLONE_NEWPID)'s
 * child is pid 1 of a new namespace, whose parent, group and session
 * are outside (0); its children are numbered 2, 3 ...; unshare's caller
 * stays and its next child is the new namespace's init; the refusals
 * (EPERM as nobody, EINVAL for a second namespace, a thread or an init's
 * sibling, ENOSPC past 32 levels); ids crossing from one namespace to
 * another (kill, wait, si_pid, ESRCH for one outside); the init's
 * refusal of its default-action signals from inside, SIGKILL from
 * outside; orphans going to it; its end killing the namespace, and
 * fork's ENOMEM after; NS_GET_PARENT and setns.  The output must equal
 * the host Linux's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define NS_GET_PARENT 0xb702

static void show(const char *what, long r)
{
    printf("%-44s %ld %s\n", what, r, r < 0 ? errno_name(errno) : "");
    errno = 0;
}

/* fork by the raw call, with clone's flags. */
static pid_t rclone(unsigned long flags) { return (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0); }

static int exit_of(pid_t pid)
{
    int st = 0;
    if (waitpid(pid, &st, 0) < 0)
        return -1000;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

static volatile int got_sig, got_pid = -1;
static void on_sig(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_sig = sig, got_pid = si->si_pid;
}

static void handle(int sig)
{
    struct sigaction sa = {.sa_sigaction = on_sig, .sa_flags = SA_SIGINFO | SA_RESTART};
    sigaction(sig, &sa, NULL);
}

/* /proc/self/status's line key: how many numbers, and the last. */
static void ns_line(const char *who, const char *key)
{
    char buf[4096];
    read_text("/proc/self/status", buf, sizeof buf);
    char *l = strstr(buf, key);
    if (!l) {
        printf("%s: %s missing\n", who, key);
        return;
    }
    l += strlen(key);
    int n = 0;
    long last = -1;
    while (*l == '\t')
        last = strtol(l + 1, &l, 10), n++;
    printf("%s: %s %d numbers, the last %ld\n", who, key, n, last);
}

static ino_t ino_of(const char *path)
{
    struct stat st;
    return stat(path, &st) < 0 ? 0 : st.st_ino;
}

/* The namespace's init: ids, children, signals from inside. */
static int init_body(pid_t outside)
{
    show("init: getpid", getpid());
    ns_line("init", "NStgid:");
    ns_line("init", "NSpid:");
    ns_line("init", "NSpgid:");
    ns_line("init", "NSsid:");
    show("init: gettid", syscall(SYS_gettid));
    show("init: getppid", getppid());
    show("init: getpgid(0)", getpgid(0));
    show("init: getsid(0)", getsid(0));
    show("init: kill(parent's pid, 0)", kill(outside, 0) == 0 ? 0 : -1);
    show("init: getpgid(parent's pid)", getpgid(outside) < 0 ? -1 : 0);
    int pp[2];
    pipe(pp);
    show("init: F_SETOWN(own pid)", fcntl(pp[0], F_SETOWN, getpid()));
    show("init: F_GETOWN", fcntl(pp[0], F_GETOWN));
    show("init: F_SETOWN(parent's pid)", fcntl(pp[0], F_SETOWN, outside) == 0 ? 0 : -1);
    close(pp[0]), close(pp[1]);
    show("init: unshare(NEWPID)", unshare(CLONE_NEWPID));
    show("init: unshare(NEWPID) again", unshare(CLONE_NEWPID));
    show("init: clone(NEWPID) after it", rclone(CLONE_NEWPID));
    show("init: clone(PARENT)", rclone(CLONE_PARENT));
    /* the next child is the new namespace's init: 1 there, 2 here */
    pid_t k = fork();
    if (k == 0) {
        printf("grandchild: getpid %d getppid %d\n", getpid(), getppid());
        ns_line("grandchild", "NSpid:");
        fflush(stdout);
        _exit(7);
    }
    show("init: wait", waitpid(k, NULL, 0));
    show("init: fork (into the unshared one)", k);
    show("init: fork after that init ended", fork());
    show("init: setsid", setsid());
    show("init: getsid(0) after", getsid(0));
    show("init: getpgrp after", getpgrp());
    show("init: setpgid(-1, 0)", setpgid(-1, 0));
    show("init: setpgid(0, parent's pid)", setpgid(0, outside));
    ns_line("init", "NSsid:");
    return 0;
}

/* A child in a new namespace through clone. */
static void clone_case(void)
{
    pid_t me = getpid();
    ino_t mine = ino_of("/proc/self/ns/pid");
    int p[2];
    pipe(p);
    pid_t c = rclone(CLONE_NEWPID);
    if (c == 0) {
        char b;
        read(p[0], &b, 1);
        int fd = open("/proc/self/ns/pid", O_RDONLY);
        show("child: NS_GET_PARENT (above its own)", ioctl(fd, NS_GET_PARENT));
        show("child: own pid ns differs", ino_of("/proc/self/ns/pid") != mine);
        show("child: pid_for_children is it", ino_of("/proc/self/ns/pid_for_children") == ino_of("/proc/self/ns/pid"));
        fflush(stdout);
        _exit(init_body(me));
    }
    show("parent: clone(NEWPID) child > 1", c > 1);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/pid", c);
    int fd = open(path, O_RDONLY), up = ioctl(fd, NS_GET_PARENT);
    struct stat st;
    show("parent: NS_GET_PARENT of child's is its own", up >= 0 && fstat(up, &st) == 0 && st.st_ino == mine);
    show("parent: child's differs", ino_of(path) != mine);
    close(fd), close(up);
    int pfd = (int)syscall(SYS_pidfd_open, c, 0);
    char info[64], buf[512];
    snprintf(info, sizeof info, "/proc/self/fdinfo/%d", pfd);
    read_text(info, buf, sizeof buf);
    char *l = strstr(buf, "NSpid:");
    int n = 0;
    long last = -1;
    for (l = l ? l + 6 : buf + strlen(buf); *l == '\t'; n++)
        last = strtol(l + 1, &l, 10);
    printf("parent: pidfd's NSpid: %d numbers, the last %ld\n", n, last);
    close(pfd);
    write(p[1], "x", 1);
    close(p[0]), close(p[1]);
    show("parent: child's exit", exit_of(c));
}

/* Signals between the namespaces and the init's protection. */
static void signal_case(void)
{
    int p[2], q[2];
    pipe(p), pipe(q);
    pid_t c = rclone(CLONE_NEWPID);
    if (c == 0) {
        handle(SIGUSR1);
        close(p[0]), close(q[1]);
        pid_t k = fork();
        if (k == 0) {
            show("inner: kill(1, SIGTERM)", kill(1, SIGTERM));
            show("inner: kill(1, SIGKILL)", kill(1, SIGKILL));
            show("inner: kill(1, SIGUSR1)", kill(1, SIGUSR1));
            show("inner: kill(-1, 0)", kill(-1, 0));
            show("inner: kill(5000, 0)", kill(5000, 0));
            fflush(stdout);
            _exit(3);
        }
        int st;
        show("init: waitpid(2)", waitpid(2, &st, 0));
        show("init: its exit", WEXITSTATUS(st));
        printf("init: SIGUSR1 from inside: sig %d si_pid %d\n", got_sig, got_pid);
        got_sig = 0, got_pid = -1;
        /* orphans come to the init */
        k = fork();
        if (k == 0) {
            pid_t self = getpid();
            if (fork() == 0) {
                while (getppid() == self)
                    usleep(1000); /* until its parent has ended */
                printf("orphan: getppid %d\n", getppid());
                fflush(stdout);
                _exit(0);
            }
            _exit(0);
        }
        waitpid(k, NULL, 0);
        show("init: waits for the orphan", wait(NULL) > 0);
        show("init: then none", wait(NULL));
        fflush(stdout);
        write(p[1], "r", 1); /* ready for the outside's signals */
        char b;
        read(q[0], &b, 1);
        printf("init: SIGUSR1 from outside: sig %d si_pid %d\n", got_sig, got_pid);
        fflush(stdout);
        write(p[1], "s", 1);
        for (;;)
            pause();
    }
    close(p[1]), close(q[0]);
    char b;
    read(p[0], &b, 1);
    show("outer: kill(init, SIGTERM)", kill(c, SIGTERM));
    show("outer: kill(init, SIGUSR1)", kill(c, SIGUSR1));
    usleep(50000);
    write(q[1], "g", 1);
    read(p[0], &b, 1);
    show("outer: init lives", kill(c, 0));
    show("outer: kill(init, SIGKILL)", kill(c, SIGKILL));
    show("outer: init's end", exit_of(c));
    close(p[0]), close(q[1]);
}

/* The init's end kills its namespace; unshare's namespace then takes no
 * child (ENOMEM). */
static void end_case(void)
{
    pid_t h = fork();
    if (h == 0) {
        show("helper: unshare(NEWPID)", unshare(CLONE_NEWPID));
        show("helper: getpid unchanged", getpid() > 1);
        char l[64];
        show("helper: readlink pid_for_children", readlink("/proc/self/ns/pid_for_children", l, sizeof l) > 0 ? 1 : -1);
        show("helper: open it", open("/proc/self/ns/pid_for_children", O_RDONLY) >= 0 ? 1 : -1);
        int p[2];
        pipe(p);
        pid_t init = fork();
        if (init == 0) {
            close(p[0]);
            if (fork() == 0) { /* holds the pipe until it is killed */
                for (;;)
                    pause();
            }
            close(p[1]);
            _exit(4);
        }
        close(p[1]);
        char l2[64];
        show("helper: readlink it with an init", readlink("/proc/self/ns/pid_for_children", l2, sizeof l2) > 0);
        char b;
        show("helper: read sees the end", read(p[0], &b, 1));
        show("helper: init's exit", exit_of(init));
        show("helper: fork after", fork());
        show("helper: clone(NEWPID) after", rclone(CLONE_NEWPID));
        fflush(stdout);
        _exit(0);
    }
    exit_of(h);
}

/* At most 32 levels below the initial namespace. */
static void depth_case(void)
{
    pid_t h = fork();
    if (h == 0) {
        int level = 0;
        for (;;) {
            if (unshare(CLONE_NEWPID) < 0) {
                printf("depth: %d, then %s\n", level, errno_name(errno));
                fflush(stdout);
                _exit(0);
            }
            pid_t k = fork();
            if (k < 0)
                _exit(1);
            if (k > 0)
                _exit(exit_of(k));
            level++;
        }
    }
    show("depth: exit", exit_of(h));
}

/* setns into a child's pid namespace: the next child is in it; not into
 * an ancestor's. */
static void setns_case(void)
{
    int p[2], q[2];
    pipe(p), pipe(q);
    int self = open("/proc/self/ns/pid", O_RDONLY);
    pid_t c = rclone(CLONE_NEWPID);
    if (c == 0) {
        show("child: setns(parent's pid ns)", setns(self, CLONE_NEWPID));
        fflush(stdout);
        write(q[1], "r", 1);
        char b;
        read(p[0], &b, 1);
        _exit(0);
    }
    char b;
    read(q[0], &b, 1);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/pid", c);
    int fd = open(path, O_RDONLY);
    show("parent: setns(child's pid ns)", setns(fd, CLONE_NEWPID));
    show("parent: setns(it, CLONE_NEWNS)", setns(fd, CLONE_NEWNS));
    pid_t k = fork();
    if (k == 0) {
        printf("joined: getpid %d getppid %d\n", getpid(), getppid());
        fflush(stdout);
        _exit(0);
    }
    show("parent: its exit", exit_of(k));
    show("parent: setns(own pid ns)", setns(self, CLONE_NEWPID));
    write(p[1], "x", 1);
    show("parent: child's exit", exit_of(c));
    close(fd), close(self), close(p[0]), close(p[1]), close(q[0]), close(q[1]);
}

static void nobody_case(void)
{
    pid_t h = fork();
    if (h == 0) {
        if (setgid(65534) || setuid(65534))
            _exit(9);
        show("nobody: unshare(NEWPID)", unshare(CLONE_NEWPID));
        show("nobody: clone(NEWPID)", rclone(CLONE_NEWPID));
        fflush(stdout);
        _exit(0);
    }
    exit_of(h);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int fd = open("/proc/self/ns/pid", O_RDONLY);
    show("initial: NS_GET_PARENT", ioctl(fd, NS_GET_PARENT));
    close(fd);
    char buf[32];
    long n = read_text("/proc/sys/user/max_pid_namespaces", buf, sizeof buf);
    show("max_pid_namespaces is a number above 0", n > 0 && atol(buf) > 0);
    nobody_case();
    clone_case();
    signal_case();
    end_case();
    depth_case();
    setns_case();
    return 0;
}
