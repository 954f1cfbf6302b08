/*
 * tests/linux/c/procmnt.h - what the tests of proc mounts in a pid
 * namespace of their own share (prochidepid.c, nsproctask.c): the
 * directory their mounts go under (base), a path in it, one line per
 * result with the errno's name, and their main: init_body run as the
 * init of a pid namespace (and in a mount namespace) of their own, then
 * its mounts, the directories dirs under base, undone.
 */
#ifndef TESTS_LINUX_PROCMNT_H
#define TESTS_LINUX_PROCMNT_H
#include "check.h"
#include "nstest.h"
#include <sys/mount.h>
#include <sys/wait.h>

static char base[64], path[160];

static const char *at(const char *rel)
{
    snprintf(path, sizeof path, "%s/%s", base, rel);
    return path;
}

static void say(const char *who, const char *what, long r)
{
    printf("%s: %-40s %ld %s\n", who, what, r, r < 0 ? errno_name(errno) : "");
    errno = 0;
}

static int procmnt_main(const char *name, int (*init_body)(void), const char *const *dirs, int ndirs)
{
    if (ns_test_begin(base, sizeof base, name))
        return 0;
    if (ns_test_unshare(CLONE_NEWPID) < 0)
        return 1;
    pid_t k = fork();
    if (k == 0)
        _exit(init_body());
    int st;
    waitpid(k, &st, 0);
    say("main", "init's end", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    for (int i = 0; i < ndirs; i++) {
        umount2(at(dirs[i]), MNT_DETACH);
        rmdir(at(dirs[i]));
    }
    say("main", "rmdir", rmdir(base));
    return 0;
}
#endif
