/*
 * tests/linux/c/keylife.c - a key's life past add_key: KEYCTL_SET_TIMEOUT
 * and what an expired key answers, negative keys (request_key with a
 * callout and no /sbin/request-key), the construction commands without an
 * authority (INSTANTIATE, NEGATE, REJECT, ASSUME_AUTHORITY), a session
 * keyring given to the parent (SESSION_TO_PARENT), persistent keyrings,
 * KEYCTL_MOVE and KEYCTL_RESTRICT_KEYRING, with their errors and
 * /proc/keys' flags and timeout column.  All in a session keyring of the
 * test's own; key ids differ between kernels, so the output says which
 * key an id is, not its number.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KEYCTL(...) syscall(SYS_keyctl, __VA_ARGS__)
#define add_key(type, desc, data, len, ring) syscall(SYS_add_key, type, desc, data, (size_t)(len), ring)
#define request_key(type, desc, info, ring) syscall(SYS_request_key, type, desc, info, ring)

enum {
    GET_KEYRING_ID = 0, JOIN = 1, UPDATE = 2, REVOKE = 3, SETPERM = 5, DESCRIBE = 6, LINK = 8, UNLINK = 9,
    SEARCH = 10, READ = 11, INSTANTIATE = 12, NEGATE = 13, SET_TIMEOUT = 15, ASSUME_AUTHORITY = 16,
    SESSION_TO_PARENT = 18, REJECT = 19, INSTANTIATE_IOV = 20, GET_PERSISTENT = 22, RESTRICT = 29, MOVE = 30
};

static void describe(const char *what, long id)
{
    char buf[256] = "";
    long n = KEYCTL(DESCRIBE, id, buf, sizeof buf);
    printf("describe %s: %ld %s\n", what, n, n < 0 ? strerror(errno) : buf);
}

/* The key's /proc/keys line: its flags and its timeout column (seconds
 * shown as "Ns" or "Nm" vary with the moment: only the unit is printed). */
static void proc_line(const char *what, long id)
{
    char want[16], line[512];
    snprintf(want, sizeof want, "%08lx ", id);
    FILE *f = fopen("/proc/keys", "r");
    if (!f) {
        printf("/proc/keys: %s\n", strerror(errno));
        return;
    }
    while (fgets(line, sizeof line, f))
        if (strncmp(line, want, 9) == 0) {
            char flags[16], tmo[16];
            int usage;
            sscanf(line + 9, "%15s %d %15s", flags, &usage, tmo);
            size_t n = strlen(tmo);
            const char *shown = strcmp(tmo, "perm") == 0 || strcmp(tmo, "expd") == 0 ? tmo : tmo + n - 1;
            printf("/proc/keys %s: %s %s\n", what, flags, shown);
            fclose(f);
            return;
        }
    printf("/proc/keys %s: absent\n", what);
    fclose(f);
}

static int by_name(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* Which of the named keys ring holds (sorted: a keyring's order is its
 * index's, not the order of linking). */
static void read_ring(const char *what, long ring, const long *ids, const char *const *names, int count)
{
    int32_t got[16];
    const char *shown[16];
    long n = KEYCTL(READ, ring, got, sizeof got);
    printf("ring %s: %ld%s%s\n", what, n, n < 0 ? " " : "", n < 0 ? strerror(errno) : "");
    int m = 0;
    for (long i = 0; i < n / 4 && i < 16; i++) {
        shown[m] = "other";
        for (int j = 0; j < count; j++)
            if (got[i] == ids[j])
                shown[m] = names[j];
        m++;
    }
    qsort(shown, (size_t)m, sizeof *shown, by_name);
    for (int i = 0; i < m; i++)
        printf("  %s\n", shown[i]);
}

static void expiry(void)
{
    long k = add_key("user", "tmo", "data", 4, -3);
    long k2 = add_key("user", "keep", "data", 4, -3);
    CHECK(k > 0 && k2 > 0);
    CHECK(KEYCTL(SET_TIMEOUT, k, 1));
    CHECK(KEYCTL(SET_TIMEOUT, k2, 1000));
    CHECK(KEYCTL(SET_TIMEOUT, k2, 0));
    proc_line("tmo", k);
    proc_line("keep", k2);
    CHECK(KEYCTL(SET_TIMEOUT, 0x7ffffff0, 1));
    CHECK(KEYCTL(SET_TIMEOUT, -3, 3600));
    proc_line("session", KEYCTL(GET_KEYRING_ID, -3, 0));
    CHECK(KEYCTL(SET_TIMEOUT, -3, 0));
    long r = add_key("user", "ro", "x", 1, -3);
    CHECK(KEYCTL(SETPERM, r, 0x1f0f0000) == 0); /* no setattr for the possessor or the user */
    CHECK(KEYCTL(SET_TIMEOUT, r, 5));
    long rv = add_key("user", "rv", "x", 1, -3);
    CHECK(KEYCTL(REVOKE, rv));
    CHECK(KEYCTL(SET_TIMEOUT, rv, 5));

    struct timespec ts = {2, 100000000};
    nanosleep(&ts, NULL);
    char buf[64];
    CHECK(KEYCTL(READ, k, buf, sizeof buf));
    describe("expired", k);
    CHECK(KEYCTL(UPDATE, k, "new", 3));
    CHECK(KEYCTL(SET_TIMEOUT, k, 10));
    CHECK(KEYCTL(SEARCH, -3, "user", "tmo", 0));
    CHECK(request_key("user", "tmo", NULL, 0));
    CHECK(KEYCTL(REVOKE, k));
    CHECK(KEYCTL(LINK, k, -3));
    CHECK(KEYCTL(READ, k2, buf, sizeof buf));
    proc_line("expired", k);
    long k3 = add_key("user", "tmo", "again", 5, -3);
    CHECK(k3 > 0 && k3 != k);
    CHECK(KEYCTL(READ, k3, buf, sizeof buf));
    long ids[] = {k, k2, k3, r, rv};
    const char *names[] = {"expired", "keep", "new tmo", "ro", "rv"};
    read_ring("session", -3, ids, names, 5);
    CHECK(KEYCTL(UNLINK, k, -3)); /* (once more would race with Linux's collector) */
}

static void negative(void)
{
    long ring = add_key("keyring", "neg", NULL, 0, -3);
    CHECK(ring > 0);
    CHECK(request_key("user", "nothing", NULL, ring));
    CHECK(request_key("user", "missing", "callout info", ring));
    int32_t ids[4];
    long n = KEYCTL(READ, ring, ids, sizeof ids);
    CHECK(n);
    long neg = n == 4 ? ids[0] : -1;
    describe("negative", neg);
    char buf[64];
    CHECK(KEYCTL(READ, neg, buf, sizeof buf));
    CHECK(KEYCTL(UPDATE, neg, "x", 1));
    CHECK(KEYCTL(SEARCH, ring, "user", "missing", 0));
    CHECK(request_key("user", "missing", NULL, 0));
    CHECK(request_key("user", "missing", "again", 0));
    proc_line("negative", neg);
    CHECK(KEYCTL(SET_TIMEOUT, neg, 100));
    CHECK(add_key("user", "missing", "real", 4, ring) == neg);
    CHECK(KEYCTL(READ, ring, ids, sizeof ids));
    long pos = ids[0];
    CHECK(pos != neg);
    CHECK(KEYCTL(READ, pos, buf, sizeof buf));
    CHECK(request_key("user", "missing", NULL, 0) == pos);

    /* a callout with the default destination: the thread's, the process's or the session's keyring */
    CHECK(request_key("user", "dflt", "x", 0));
    CHECK(KEYCTL(SEARCH, -3, "user", "dflt", 0));
    CHECK(KEYCTL(SEARCH, -2, "user", "dflt", 0));

    /* the construction commands: no request-key process holds an authority */
    CHECK(KEYCTL(INSTANTIATE, neg, "x", 1, 0));
    CHECK(KEYCTL(INSTANTIATE, neg, "x", 1024 * 1024, 0));
    CHECK(KEYCTL(NEGATE, neg, 10, 0));
    CHECK(KEYCTL(REJECT, neg, 10, 0, 0));
    CHECK(KEYCTL(REJECT, neg, 10, EKEYREJECTED, 0));
    CHECK(KEYCTL(REJECT, neg, 10, 4095, 0));
    CHECK(KEYCTL(REJECT, neg, 10, 512, 0));
    struct iovec iov = {"x", 1};
    CHECK(KEYCTL(INSTANTIATE_IOV, neg, &iov, 1, 0));
    CHECK(KEYCTL(INSTANTIATE_IOV, neg, &iov, 1025, 0));
    CHECK(KEYCTL(ASSUME_AUTHORITY, neg));
    CHECK(KEYCTL(ASSUME_AUTHORITY, 0));
    CHECK(KEYCTL(ASSUME_AUTHORITY, -1));
    CHECK(KEYCTL(ASSUME_AUTHORITY, 0x7ffffff0));

    /* the default keyring needs the write right (a session keyring without it: EACCES, nothing linked) */
    pid_t pid = fork();
    if (pid == 0) {
        KEYCTL(JOIN, NULL);
        CHECK(KEYCTL(SETPERM, -3, 0x0b000000));
        CHECK(KEYCTL(14, 3)); /* KEYCTL_SET_REQKEY_KEYRING: KEY_REQKEY_DEFL_SESSION_KEYRING */
        CHECK(request_key("user", "desc", "callout", 0));
        CHECK(KEYCTL(READ, -3, ids, sizeof ids));
        CHECK(KEYCTL(14, 1)); /* the thread's keyring, none: the process's, none: the session's */
        CHECK(request_key("user", "desc-t", "callout", 0));
        CHECK(KEYCTL(GET_KEYRING_ID, -2, 1) > 0);
        CHECK(request_key("user", "desc-p", "callout", 0));
        CHECK(KEYCTL(READ, -2, ids, sizeof ids));
        CHECK(KEYCTL(14, 2));
        CHECK(request_key("user", "desc-p2", "callout", 0));
        CHECK(KEYCTL(READ, -2, ids, sizeof ids));
        CHECK(KEYCTL(14, 8));
        CHECK(KEYCTL(14, -1));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

/* The "logon" type: a "service:name" description, a payload no one reads;
 * and KEYCTL_UPDATE's page-sized payload. */
static void logon(void)
{
    static char big[40000];
    CHECK(add_key("logon", "nocolon", "x", 1, -3));
    CHECK(add_key("logon", ":x", "x", 1, -3));
    CHECK(add_key("logon", "svc:", "x", 1, -3) > 0);
    long l = add_key("logon", "svc:name", "secret", 6, -3);
    CHECK(l > 0);
    describe("logon", l);
    proc_line("logon", l);
    char buf[64];
    CHECK(KEYCTL(READ, l, buf, sizeof buf));
    CHECK(KEYCTL(UPDATE, l, "new", 3));
    CHECK(add_key("logon", "svc:name", "newer", 5, -3) == l);
    CHECK(add_key("logon", "svc:name", NULL, 0, -3));
    CHECK(add_key("logon", "svc:name", big, 32768, -3));
    CHECK(KEYCTL(SEARCH, -3, "logon", "svc:name", 0) == l);
    CHECK(request_key("logon", "svc:name", NULL, 0) == l);
    CHECK(request_key("logon", "bad", "callout", 0));
    CHECK(request_key("logon", "svc:other", "callout", 0));
    CHECK(add_key("big_key", "b", "x", 1, -3));
    long u = add_key("user", "upd", "x", 1, -3);
    CHECK(KEYCTL(UPDATE, u, big, 4096));
    CHECK(KEYCTL(UPDATE, u, big, 4097));
    CHECK(KEYCTL(UPDATE, u, big, 0));
    CHECK(KEYCTL(UPDATE, u, NULL, 0));
    CHECK(KEYCTL(UPDATE, -3, "x", 1));
}

static void to_parent(void)
{
    long before = KEYCTL(GET_KEYRING_ID, -3, 0);
    int fd[2];
    CHECK(pipe(fd));
    pid_t pid = fork();
    if (pid == 0) {
        long mine = KEYCTL(JOIN, "child-session");
        long r = KEYCTL(SESSION_TO_PARENT);
        printf("child: to parent %ld %s\n", r, r < 0 ? strerror(errno) : "");
        CHECK(KEYCTL(SESSION_TO_PARENT));
        write(fd[1], &mine, sizeof mine);
        _exit(0);
    }
    long mine = 0;
    read(fd[0], &mine, sizeof mine);
    waitpid(pid, NULL, 0);
    long now = KEYCTL(GET_KEYRING_ID, -3, 0);
    CHECK(now == mine);
    CHECK(now != before);
    describe("parent's session", -3);
    close(fd[0]);
    close(fd[1]);

    /* a child with another effective uid: EPERM */
    pid = fork();
    if (pid == 0) {
        KEYCTL(JOIN, NULL);
        if (setresuid(0, 1000, 0) < 0)
            _exit(1);
        CHECK(KEYCTL(SESSION_TO_PARENT));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(KEYCTL(GET_KEYRING_ID, -3, 0) == now);
    /* the same session: nothing to do */
    pid = fork();
    if (pid == 0) {
        CHECK(KEYCTL(SESSION_TO_PARENT));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(KEYCTL(GET_KEYRING_ID, -3, 0) == now);
}

static void persistent(void)
{
    long ring = add_key("keyring", "dest", NULL, 0, -3);
    long p = KEYCTL(GET_PERSISTENT, -1, ring);
    CHECK(p > 0);
    describe("persistent", p);
    CHECK(KEYCTL(GET_PERSISTENT, 0, ring) == p);
    CHECK(KEYCTL(GET_PERSISTENT, -1, -3) == p);
    long ids[] = {p};
    const char *names[] = {"persistent"};
    read_ring("dest", ring, ids, names, 1);
    proc_line("persistent", p);
    long other = KEYCTL(GET_PERSISTENT, 1000, ring);
    CHECK(other > 0 && other != p);
    describe("persistent 1000", other);
    CHECK(KEYCTL(GET_PERSISTENT, -1, 0x7ffffff0));
    CHECK(KEYCTL(GET_PERSISTENT, -1, 0));
    long user = add_key("user", "u", "x", 1, -3);
    CHECK(KEYCTL(GET_PERSISTENT, -1, user));
    pid_t pid = fork();
    if (pid == 0) {
        if (setresuid(1000, 1000, 1000) < 0)
            _exit(1);
        KEYCTL(JOIN, NULL);
        long mine = KEYCTL(GET_PERSISTENT, -1, -3);
        printf("as 1000: %s\n", mine > 0 ? "a keyring" : strerror(errno));
        CHECK(mine == other);
        CHECK(KEYCTL(GET_PERSISTENT, 0, -3));
        CHECK(KEYCTL(GET_PERSISTENT, 1000, -3) == other);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(KEYCTL(UNLINK, p, ring));
    CHECK(KEYCTL(UNLINK, p, -3));
    CHECK(KEYCTL(UNLINK, other, ring));
}

static void move_restrict(void)
{
    long a = add_key("keyring", "a", NULL, 0, -3), b = add_key("keyring", "b", NULL, 0, -3);
    long k = add_key("user", "mv", "1", 1, a);
    long same = add_key("user", "mv", "2", 1, b);
    long ids[] = {k, same};
    const char *names[] = {"k", "same"};
    CHECK(KEYCTL(MOVE, k, a, b, 1)); /* KEYCTL_MOVE_EXCL: one of that name is there */
    CHECK(KEYCTL(MOVE, k, a, b, 2));
    CHECK(KEYCTL(MOVE, k, b, a, 0)); /* b holds one of k's type and name: that one goes, as Linux's index */
    CHECK(KEYCTL(MOVE, k, a, b, 0));
    read_ring("a", a, ids, names, 2);
    read_ring("b", b, ids, names, 2);
    CHECK(KEYCTL(MOVE, k, a, b, 0));
    CHECK(KEYCTL(MOVE, k, b, k, 0));
    CHECK(KEYCTL(MOVE, k, b, 0x7ffffff0, 0));
    CHECK(KEYCTL(MOVE, k, b, b, 0));
    read_ring("b again", b, ids, names, 2);

    long r = add_key("keyring", "r", NULL, 0, -3);
    CHECK(KEYCTL(RESTRICT, r, "user", NULL));
    CHECK(KEYCTL(RESTRICT, r, NULL, "x"));
    CHECK(KEYCTL(RESTRICT, k, NULL, NULL));
    CHECK(KEYCTL(RESTRICT, r, "user", "x"));
    CHECK(KEYCTL(RESTRICT, r, "nosuchtype", "x"));
    CHECK(KEYCTL(RESTRICT, r, NULL, NULL));
    CHECK(KEYCTL(RESTRICT, r, NULL, NULL));
    CHECK(KEYCTL(LINK, k, r));
    CHECK(add_key("user", "in", "x", 1, r));
    CHECK(KEYCTL(MOVE, k, b, r, 0));
    CHECK(request_key("user", "neg-r", "x", r));
    CHECK(KEYCTL(READ, r, NULL, 0));
    CHECK(KEYCTL(RESTRICT, 0x7ffffff0, NULL, NULL));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    CHECK(KEYCTL(JOIN, NULL) > 0);
    printf("-- expiry\n");
    expiry();
    printf("-- negative keys\n");
    negative();
    printf("-- logon keys and updates\n");
    logon();
    printf("-- session to parent\n");
    to_parent();
    printf("-- persistent keyrings\n");
    persistent();
    printf("-- move and restrict\n");
    move_restrict();
    return 0;
}
