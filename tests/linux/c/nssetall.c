/*
 * tests/linux/c/nssetall.c - setns through a pidfd with several kinds at
 * once, into a child's namespaces of its own (user, mount, UTS, IPC,
 * network, pid, cgroup, time): root joins them all in one call, the user
 * namespace first (so its capabilities there count for the rest), or none
 * when one refuses (all or nothing); a pidfd of a child that ended
 * (ESRCH); each /proc/self/ns link compared with the child's.  Run as
 * root; nothing of the host's changes.  The output must equal the host
 * Linux's; with "persona-only", what Linux 6.1 answers where later
 * kernels changed (nssetall.persona-only.expected).
 */
#define _GNU_SOURCE
#include "check.h"
#include "nstest.h"
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

static const char *const kinds[] = {"user", "mnt", "uts", "ipc", "net", "pid_for_children", "cgroup",
                                    "time_for_children"};

/* Which of the caller's namespaces are pid's, and its host name. */
static void compare(const char *who, pid_t pid)
{
    printf("%s:", who);
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        char a[64], b[64], la[64] = "", lb[64] = "";
        snprintf(a, sizeof a, "/proc/self/ns/%s", kinds[i]);
        snprintf(b, sizeof b, "/proc/%d/ns/%s", pid, kinds[i]);
        (void)!readlink(a, la, sizeof la - 1);
        (void)!readlink(b, lb, sizeof lb - 1);
        printf(" %s %s", kinds[i], strcmp(la, lb) ? "other" : "same");
    }
    struct utsname u;
    uname(&u);
    printf(" (hostname %s)\n", strcmp(u.nodename, "inner") ? "the outer one" : "inner");
}

static int p2c[2], c2p[2];

static pid_t child_in_own(int flags)
{
    pid_t pid = fork();
    if (pid == 0) {
        char b;
        if (unshare(flags) < 0)
            _exit(1);
        (void)!write(c2p[1], "x", 1);
        (void)!read(p2c[0], &b, 1); /* the maps */
        if (sethostname("inner", 5) < 0)
            _exit(2);
        (void)!write(c2p[1], "x", 1);
        (void)!read(p2c[0], &b, 1);
        _exit(0);
    }
    char b;
    ns_test_map_root(pid, c2p[0], p2c[1]);
    (void)!read(c2p[0], &b, 1);
    return pid;
}

static void done(pid_t pid)
{
    (void)!write(p2c[1], "x", 1);
    waitpid(pid, NULL, 0);
}

/* What Linux 6.1 answers where later kernels grew more: nsfs's ioctls
 * past NS_GET_OWNER_UID (6.10's NS_GET_MNTNS_ID, 6.11's pid
 * translations, 6.12's NS_MNT_GET_INFO, NEXT and PREV) are ENOTTY; 6.9's
 * pidfd_open(PIDFD_THREAD) and pidfd_send_signal's flags EINVAL. */
static int persona_only(void)
{
    static const unsigned long reqs[] = {0x8008b705, 0x8004b706, 0x8004b707, 0x8004b708,
                                         0x8004b709, 0x8010b70a, 0x8010b70b, 0x8010b70c};
    char buf[64] = {0};
    int fds[] = {open("/proc/self/ns/pid", O_RDONLY), open("/proc/self/ns/mnt", O_RDONLY)};
    for (unsigned i = 0; i < sizeof reqs / sizeof *reqs; i++) {
        long r = ioctl(fds[i == 0 || i >= 5], reqs[i], buf);
        printf("nsfs ioctl %#lx = %ld %s\n", reqs[i], r, r < 0 ? errno_name(errno) : "");
    }
    CHECK(syscall(SYS_pidfd_open, getpid(), O_EXCL)); /* PIDFD_THREAD */
    int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
    CHECK(syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 1)); /* PIDFD_SIGNAL_THREAD */
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "persona-only"))
        return persona_only();
    if (ns_test_begin(NULL, 0, "nssetall"))
        return 0;
    if (pipe(p2c) < 0 || pipe(c2p) < 0)
        return 1;
    int all = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID |
              CLONE_NEWCGROUP | CLONE_NEWTIME;
    pid_t c = child_in_own(all);
    int pidfd = (int)syscall(SYS_pidfd_open, c, 0);
    CHECK(pidfd >= 0);
    pid_t k = fork();
    if (k == 0) { /* joins them all at once */
        CHECK(setns(pidfd, all));
        compare("after all", c);
        CHECK(setns(pidfd, CLONE_NEWUTS)); /* again, from inside: it is root there */
        CHECK(setns(pidfd, CLONE_NEWUSER)); /* its own now: EINVAL */
        _exit(0);
    }
    waitpid(k, NULL, 0);
    k = fork();
    if (k == 0) { /* without the user namespace: the others need CAP_SYS_ADMIN over theirs, which root has */
        CHECK(setns(pidfd, CLONE_NEWUTS | CLONE_NEWNET));
        compare("uts and net", c);
        _exit(0);
    }
    waitpid(k, NULL, 0);
    k = fork();
    if (k == 0) { /* a user without it in the child's user namespace: none joined */
        if (setresuid(1000, 1000, 1000) < 0)
            _exit(1);
        CHECK(setns(pidfd, CLONE_NEWUTS | CLONE_NEWNET));
        CHECK(setns(pidfd, all));
        compare("as 1000", c);
        _exit(0);
    }
    waitpid(k, NULL, 0);
    k = fork();
    if (k == 0) { /* a kind that refuses (the mount namespace while a CLONE_FS child shares the root): none */
        CHECK(setns(pidfd, CLONE_NEWUTS | CLONE_NEWNET | 0x1000000)); /* CLONE_NEWUTS|CLONE_NEWNET|unknown */
        CHECK(setns(pidfd, 0));
        compare("refused", c);
        _exit(0);
    }
    waitpid(k, NULL, 0);
    done(c);
    CHECK(setns(pidfd, CLONE_NEWUTS)); /* it ended */
    close(pidfd);
    return 0;
}
