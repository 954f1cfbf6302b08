/*
 * tests/linux/c/keyrings.c - add_key, keyctl and request_key in a session
 * keyring of the test's own (KEYCTL_JOIN_SESSION_KEYRING first, so that
 * the host's own keyrings do not matter): the special keyrings, "user"
 * keys and "keyring" keys, describe, read, update, link, unlink, search,
 * clear, setperm, revoke, invalidate, request_key finding a key or
 * ENOKEY (no /sbin/request-key), fork's inheritance, and the errors.  Key
 * ids differ between kernels: the output shows whether two are equal, not
 * what they are.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KEYCTL(...) syscall(SYS_keyctl, __VA_ARGS__)
#define add_key(type, desc, data, len, ring) syscall(SYS_add_key, type, desc, data, (size_t)(len), ring)
#define request_key(type, desc, info, ring) syscall(SYS_request_key, type, desc, info, ring)

static void describe(const char *what, long id)
{
    char buf[256] = "";
    long n = KEYCTL(6, id, buf, sizeof buf);
    printf("describe %s: %ld %s\n", what, n, n < 0 ? strerror(errno) : buf);
}

static void read_key(const char *what, long id)
{
    char buf[256] = "";
    long n = KEYCTL(11, id, buf, sizeof buf);
    printf("read %s: %ld %s\n", what, n, n < 0 ? strerror(errno) : "");
    if (n > 0 && n <= (long)sizeof buf)
        printf("  %.*s\n", (int)n, buf);
}

/* A keyring's contents as which of the named ids they are. */
static void read_ring(const char *what, long ring, long a, long b)
{
    int32_t ids[16];
    long n = KEYCTL(11, ring, ids, sizeof ids);
    printf("ring %s: %ld%s%s\n", what, n, n < 0 ? " " : "", n < 0 ? strerror(errno) : "");
    for (long i = 0; i < n / 4 && i < 16; i++)
        printf("  %s\n", ids[i] == a ? "a" : ids[i] == b ? "b" : "other");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    long ses = KEYCTL(1, NULL);
    CHECK(ses > 0);
    CHECK(KEYCTL(0, -3, 0) == ses);
    describe("session", -3);
    CHECK(KEYCTL(0, -1, 0));
    CHECK(KEYCTL(0, -2, 0));
    long thr = KEYCTL(0, -1, 1), prc = KEYCTL(0, -2, 1);
    CHECK(thr > 0 && prc > 0 && thr != prc);
    CHECK(KEYCTL(0, -1, 0) == thr);
    describe("thread", -1);
    describe("process", -2);
    CHECK(KEYCTL(0, -4, 0) > 0);
    CHECK(KEYCTL(0, -5, 0) > 0);
    CHECK(KEYCTL(0, -6, 0));
    CHECK(KEYCTL(0, -7, 0));
    CHECK(KEYCTL(0, -8, 0));
    CHECK(KEYCTL(0, -9, 0));
    CHECK(KEYCTL(0, 0, 0));
    CHECK(KEYCTL(0, 0x7ffffff0, 0));

    long foo = add_key("user", "foo", "bar", 3, -3);
    CHECK(foo > 0);
    describe("foo", foo);
    read_key("foo", foo);
    CHECK(add_key("user", "foo", "quux", 4, -3) == foo); /* the same key, updated */
    read_key("foo", foo);
    char small[2];
    CHECK(KEYCTL(11, foo, small, sizeof small));
    CHECK(KEYCTL(6, foo, small, sizeof small));
    CHECK(add_key("nosuch", "x", "y", 1, -3));
    CHECK(add_key(".x", "x", "y", 1, -3));
    CHECK(add_key("user", "", "y", 1, -3));
    CHECK(add_key("user", "x", NULL, 0, -3));
    CHECK(add_key("keyring", "x", "y", 1, -3));
    CHECK(add_key((char *)8, "x", "y", 1, -3));
    CHECK(add_key("user", "x", "y", 1, foo));
    CHECK(add_key("user", "x", "y", 1, 0x7ffffff0));

    long ring = add_key("keyring", "ring", NULL, 0, -3);
    CHECK(ring > 0);
    describe("ring", ring);
    read_ring("ring, empty", ring, foo, ring);
    CHECK(KEYCTL(8, foo, ring));
    read_ring("ring", ring, foo, ring);
    read_ring("session", -3, foo, ring);
    CHECK(KEYCTL(8, ring, ring));
    CHECK(KEYCTL(8, -3, ring));
    CHECK(KEYCTL(8, foo, foo));
    CHECK(KEYCTL(10, -3, "user", "foo", 0) == foo);
    CHECK(KEYCTL(10, ring, "user", "foo", 0) == foo);
    CHECK(KEYCTL(10, -3, "user", "nope", 0));
    CHECK(KEYCTL(10, -3, "keyring", "ring", 0) == ring);
    CHECK(KEYCTL(10, foo, "user", "foo", 0));
    CHECK(request_key("user", "foo", NULL, 0) == foo);
    CHECK(request_key("user", "nope", NULL, 0));
    CHECK(request_key("user", "nope", "callout", 0));
    CHECK(request_key("user", "", NULL, 0));
    CHECK(request_key("nosuch", "foo", NULL, 0));

    CHECK(KEYCTL(9, foo, ring));
    CHECK(KEYCTL(9, foo, ring));
    read_ring("ring, unlinked", ring, foo, ring);
    CHECK(KEYCTL(2, foo, "new", 3));
    read_key("foo, updated", foo);
    CHECK(KEYCTL(2, ring, "new", 3));
    CHECK(KEYCTL(8, foo, ring));
    CHECK(KEYCTL(7, ring));
    read_ring("ring, cleared", ring, foo, ring);
    CHECK(KEYCTL(7, foo));

    pid_t pid = fork();
    if (pid == 0) {
        CHECK(KEYCTL(0, -3, 0) == ses);
        CHECK(KEYCTL(0, -2, 0));
        CHECK(KEYCTL(0, -1, 0));
        CHECK(KEYCTL(10, -3, "user", "foo", 0) == foo);
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    CHECK(KEYCTL(5, foo, 0x40000000));
    CHECK(KEYCTL(5, foo, 0x3f000000)); /* the possessor's rights alone */
    describe("foo, possessor only", foo);
    CHECK(KEYCTL(5, foo, 0x00010000)); /* the user may view, the possessor nothing */
    describe("foo, user view", foo);
    read_key("foo, user view", foo);
    CHECK(KEYCTL(5, foo, 0x3f010000)); /* setattr is the possessor's no more */
    long rev = add_key("user", "rev", "1", 1, -3);
    CHECK(KEYCTL(3, rev));
    read_key("rev, revoked", rev);
    describe("rev, revoked", rev);
    CHECK(KEYCTL(2, rev, "x", 1));
    CHECK(KEYCTL(10, -3, "user", "rev", 0));
    CHECK(KEYCTL(3, rev));

    long bar = add_key("user", "bar", "1", 1, -3);
    CHECK(KEYCTL(21, bar));
    describe("bar, invalidated", bar);

    long named = KEYCTL(1, "named");
    CHECK(named > 0 && named != ses);
    describe("named", -3);
    long again = KEYCTL(1, "named");
    printf("join again: %s\n", again == named ? "the same" : again > 0 ? "another" : strerror(errno));
    describe("named, again", -3);
    CHECK(KEYCTL(99, 0));
    return 0;
}
