/*
 * tests/linux/c/nstest.h - what the namespace tests share: the root
 * check ("not root", and nothing done), unbuffered output, a directory
 * of their own under /tmp, and a mount namespace of their own whose
 * mounts are private, so that nothing they mount reaches the host's;
 * and a child's new user namespace mapped, its root the caller's.
 */
#ifndef TESTS_LINUX_NSTEST_H
#define TESTS_LINUX_NSTEST_H
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 when the test is to stop (not root, or no directory), else 0, with
 * base (of size bytes; NULL: none wanted) a new directory /tmp/NAME.*. */
static inline int ns_test_begin(char *base, size_t size, const char *name)
{
    if (geteuid() != 0) {
        printf("not root\n");
        return 1;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    if (!base)
        return 0;
    snprintf(base, size, "/tmp/%s.XXXXXX", name);
    if (!mkdtemp(base))
        return 1;
    chmod(base, 0755);
    return 0;
}

/* unshare(CLONE_NEWNS | flags), its mounts made private: 0, or -1. */
static inline int ns_test_unshare(int flags)
{
    return unshare(CLONE_NEWNS | flags) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ? -1 : 0;
}

/* Once child pid said (a byte on ready) that it made a user namespace of
 * its own: maps its uid and gid 0 to the caller's root, and says so (a
 * byte on mapped). */
static inline void ns_test_map_root(pid_t pid, int ready, int mapped)
{
    char b, path[64];
    const char *const maps[] = {"uid_map", "gid_map"};
    (void)!read(ready, &b, 1);
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "/proc/%d/%s", pid, maps[i]);
        FILE *f = fopen(path, "w");
        if (f)
            fputs("0 0 1", f), fclose(f);
    }
    (void)!write(mapped, "x", 1);
}
#endif
