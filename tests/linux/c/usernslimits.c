/*
 * tests/linux/c/usernslimits.c - /proc/sys/user/max_*_namespaces in
 * user namespaces (root; as Linux 6.1's ucounts): a new user namespace
 * has limits of its own (INT_MAX), which its root sets and which only
 * it sees; a namespace made is counted to its creator in the user
 * namespace it is made in and, up the chain, to each namespace's owner
 * in the parent, each count held below its namespace's limit (ENOSPC),
 * a nested user namespace's own limits not lifting its parent's; a
 * namespace's end gives its count back.  The host's own limits are left
 * as they are.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "nstest.h"
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

static void say(const char *what, long r)
{
    printf("%-52s %ld %s\n", what, r, r < 0 ? errno_name(errno) : "");
    errno = 0;
}

static long limit(const char *kind)
{
    char path[96], buf[32];
    snprintf(path, sizeof path, "/proc/sys/user/max_%s_namespaces", kind);
    return read_text(path, buf, sizeof buf) < 0 ? -1 : atol(buf);
}

static long set_limit(const char *kind, const char *v)
{
    char path[96];
    int opened;
    snprintf(path, sizeof path, "/proc/sys/user/max_%s_namespaces", kind);
    return write_text(path, v, &opened);
}

static int exit_of(pid_t pid)
{
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

/* A child that makes namespaces of flags and holds them until told. */
static pid_t holder(int flags, int *release)
{
    int ready[2], hold[2];
    pipe(ready), pipe(hold);
    pid_t k = fork();
    if (k == 0) {
        char c, r = unshare(flags) < 0 ? 'n' : 'y';
        write(ready[1], &r, 1);
        read(hold[0], &c, 1);
        _exit(0);
    }
    char r;
    read(ready[0], &r, 1);
    printf("holder's unshare(%#x): %s\n", flags, r == 'y' ? "made" : "refused");
    *release = hold[1];
    return k;
}

/* Maps root to root (from outside, as the parent may). */
static void own_maps(void)
{
    int opened;
    write_text("/proc/self/setgroups", "deny", &opened);
    write_text("/proc/self/uid_map", "0 0 1", &opened);
    write_text("/proc/self/gid_map", "0 0 1", &opened);
}

static int in_user_ns(void)
{
    own_maps();
    printf("in it: max_user %ld, max_uts %ld, max_net %ld\n", limit("user"), limit("uts"), limit("net"));
    say("set max_uts 1", set_limit("uts", "1"));
    say("set max_user 1", set_limit("user", "1"));
    printf("in it: max_user %ld, max_uts %ld\n", limit("user"), limit("uts"));
    int rel;
    pid_t h = holder(CLONE_NEWUTS, &rel);
    say("unshare(NEWUTS) beside the holder's", unshare(CLONE_NEWUTS));
    /* a nested user namespace: its own limits are INT_MAX, its parent's count */
    pid_t k = fork();
    if (k == 0) {
        say("nested: unshare(NEWUSER)", unshare(CLONE_NEWUSER));
        own_maps();
        printf("nested: max_uts %ld\n", limit("uts"));
        say("nested: unshare(NEWUTS)", unshare(CLONE_NEWUTS));
        say("nested: unshare(NEWUSER) again", unshare(CLONE_NEWUSER));
        _exit(0);
    }
    say("nested's end", exit_of(k));
    write(rel, "x", 1);
    say("holder's end", exit_of(h));
    say("unshare(NEWUTS) once it ended", unshare(CLONE_NEWUTS));
    return 0;
}

int main(void)
{
    if (ns_test_begin(NULL, 0, NULL))
        return 0;
    long host_user = limit("user");
    pid_t k = fork();
    if (k == 0) {
        if (unshare(CLONE_NEWUSER) < 0)
            _exit(90);
        _exit(in_user_ns());
    }
    say("the user namespace's end", exit_of(k));
    printf("the host's max_user unchanged: %d\n", limit("user") == host_user);
    return 0;
}
