/*
 * tests/linux/c/nspersist.c - a user namespace's persistent keyrings
 * end with it: a child in a user namespace of its own gets its
 * persistent keyring (KEYCTL_GET_PERSISTENT) and ends; the keyring, held
 * by nothing but the namespace's register, goes when the namespace does
 * (ENOKEY), and a second namespace gets a keyring of its own, not the
 * first one's, as Linux's free_user_ns drops the register.  Run as root;
 * the host's own persistent keyrings are not touched.  The output must
 * equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "nstest.h"

#define KEYCTL_DESCRIBE 6
#define KEYCTL_LINK 8
#define KEYCTL_SETPERM 5
#define KEYCTL_JOIN_SESSION_KEYRING 1
#define KEYCTL_GET_PERSISTENT 22
#define KEY_SPEC_SESSION_KEYRING -3

static long keyctl(long cmd, long a, long b) { return syscall(SYS_keyctl, cmd, a, b, 0, 0); }

/* A child in a new user namespace (its root the host's) gets its
 * persistent keyring, linked into holder when holder is not 0: its
 * serial, or -1. */
static long in_new_ns(long holder)
{
    int ready[2], mapped[2], back[2];
    if (pipe(ready) < 0 || pipe(mapped) < 0 || pipe(back) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        char b;
        long r = unshare(CLONE_NEWUSER);
        (void)!write(ready[1], "x", 1);
        (void)!read(mapped[0], &b, 1);
        long k = r < 0 ? -1 : keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0, 0) < 0 ? -2 : keyctl(KEYCTL_GET_PERSISTENT, -1, KEY_SPEC_SESSION_KEYRING);
        if (k > 0 && holder)
            k = keyctl(KEYCTL_LINK, k, holder) < 0 ? -3 : k;
        (void)!write(back[1], &k, sizeof k);
        _exit(0);
    }
    ns_test_map_root(pid, ready[0], mapped[1]);
    long k = -1;
    (void)!read(back[0], &k, sizeof k);
    waitpid(pid, NULL, 0);
    close(ready[0]), close(ready[1]), close(mapped[0]), close(mapped[1]), close(back[0]), close(back[1]);
    return k;
}

/* Whether key k is there, asked for up to five seconds until it is not
 * (Linux frees a namespace and collects keys a little later). */
static const char *gone_later(long k)
{
    char buf[256];
    for (int i = 0; i < 500; i++) {
        if (syscall(SYS_keyctl, KEYCTL_DESCRIBE, k, buf, sizeof buf, 0) < 0)
            return errno == ENOKEY ? "gone (ENOKEY)" : strerror(errno);
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    return "still there";
}

int main(void)
{
    if (ns_test_begin(NULL, 0, "nspersist"))
        return 0;
    CHECK(keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0, 0) > 0);
    long a = in_new_ns(0);
    CHECK(a > 0);
    printf("the first namespace's keyring, once it ended: %s\n", gone_later(a));
    long h1 = syscall(SYS_add_key, "keyring", "h1", NULL, 0, KEY_SPEC_SESSION_KEYRING);
    long h2 = syscall(SYS_add_key, "keyring", "h2", NULL, 0, KEY_SPEC_SESSION_KEYRING);
    CHECK(keyctl(KEYCTL_SETPERM, h1, 0x3f3f0000)); /* its user may link into it */
    CHECK(keyctl(KEYCTL_SETPERM, h2, 0x3f3f0000));
    long b = in_new_ns(h1), c = in_new_ns(h2);
    CHECK(b > 0);
    CHECK(c > 0);
    CHECK(b != c); /* each namespace its own register */
    char buf[256];
    CHECK(syscall(SYS_keyctl, KEYCTL_DESCRIBE, b, buf, sizeof buf, 0));
    printf("held: %s\n", strchr(buf, ';') ? strrchr(buf, ';') + 1 : buf);
    return 0;
}
