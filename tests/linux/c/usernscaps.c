/*
 * tests/linux/c/usernscaps.c - capabilities asked of the right user
 * namespace, and ids seen from it (root; as Linux 6.1): in a user
 * namespace of its own a process installs a seccomp filter without
 * no_new_privs (CAP_SYS_ADMIN in its own namespace), sets a new time
 * namespace's offsets (CAP_SYS_TIME over its owner); a child's SIGCHLD
 * and waitid give the child's uid as the parent's namespace sees it
 * (the overflow uid, unmapped).  The maps are written from outside: 0
 * in it is 1234 outside, so the processes' own uid 0 is not mapped.
 * The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "nstest.h"
#include "seccompbpf.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile int chld_uid = -1;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    chld_uid = (int)si->si_uid;
}

static void say(const char *what, long r)
{
    printf("%-44s %ld %s\n", what, r, r < 0 ? errno_name(errno) : "");
    errno = 0;
}

static int inside(void)
{
    printf("getuid %d, geteuid %d\n", (int)getuid(), (int)geteuid());
    struct sock_filter allow[] = {RET(ALLOW)};
    say("seccomp filter without no_new_privs", install_flags(allow, 1, 0));
    say("unshare(NEWTIME)", unshare(CLONE_NEWTIME));
    int opened;
    say("write timens_offsets", write_text("/proc/self/timens_offsets", "monotonic 100 0", &opened));
    struct sigaction sa = {.sa_sigaction = on_chld, .sa_flags = SA_SIGINFO | SA_RESTART};
    sigaction(SIGCHLD, &sa, NULL);
    pid_t k = fork();
    if (k == 0)
        _exit(7);
    siginfo_t si = {0};
    say("waitid", waitid(P_PID, (id_t)k, &si, WEXITED));
    printf("waitid: si_uid %d, si_status %d\n", (int)si.si_uid, si.si_status);
    while (chld_uid == -1)
        usleep(1000);
    printf("SIGCHLD: si_uid %d\n", chld_uid);
    return 0;
}

int main(void)
{
    if (ns_test_begin(NULL, 0, NULL))
        return 0;
    int go[2], done[2];
    pipe(go), pipe(done);
    pid_t child = fork();
    if (child == 0) {
        char c;
        if (unshare(CLONE_NEWUSER) < 0)
            _exit(90);
        write(go[1], "u", 1);
        read(done[0], &c, 1);
        _exit(inside());
    }
    char c, file[64];
    read(go[0], &c, 1);
    int opened;
    snprintf(file, sizeof file, "/proc/%d/uid_map", child);
    say("uid_map", write_text(file, "0 1234 1", &opened));
    snprintf(file, sizeof file, "/proc/%d/gid_map", child);
    say("gid_map", write_text(file, "0 1234 1", &opened));
    write(done[1], "d", 1);
    int st = 0;
    waitpid(child, &st, 0);
    say("its end", WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st));
    return 0;
}
