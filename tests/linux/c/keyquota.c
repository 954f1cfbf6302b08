/*
 * tests/linux/c/keyquota.c - the key store's quotas and collection: what
 * /proc/key-users says of a user (uid 4252, which owns no key on either
 * machine, and is never given its user keyrings, which would outlive it) as it adds keys, links, unlinks, updates, revokes and clears;
 * its bytes (a description, its end, a payload, four bytes per link);
 * EDQUOT at exactly maxkeys keys and maxbytes bytes (LTP's add_key05
 * arithmetic); a key nothing holds any more gone from the count; a chown
 * moving the burden; /proc/keys' lines of the keys the user may view
 * (serials and usage counts left out: Linux's serials are random), and
 * /proc/sys/kernel/keys.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdbool.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define KEYCTL(...) syscall(SYS_keyctl, __VA_ARGS__)
#define add_key(type, desc, data, len, ring) syscall(SYS_add_key, type, desc, data, (size_t)(len), ring)
#define THREAD (-1)
#define JOIN_SESSION 1
#define UPDATE 2
#define REVOKE 3
#define CHOWN 4
#define CLEAR 7
#define UNLINK 9
#define UID 4252

static int nkeys, maxkeys, nbytes, maxbytes;

/* One read of the user's line in /proc/key-users: whether it is there. */
static bool read_users(int uid, int *keys, int *bytes)
{
    char line[256];
    FILE *f = fopen("/proc/key-users", "r");
    bool seen = false;
    *keys = *bytes = 0;
    while (f && !seen && fgets(line, sizeof line, f)) {
        int u, usage, n, ni;
        seen = sscanf(line, "%d: %d %d/%d %d/%d %d/%d", &u, &usage, &n, &ni, keys, &maxkeys, bytes, &maxbytes) == 8 &&
               u == uid;
    }
    if (f)
        fclose(f);
    if (!seen)
        *keys = *bytes = 0;
    return seen;
}

/* The user's quota in /proc/key-users once Linux's collector has done
 * (it runs in a worker, later on a loaded machine: the line must stay the
 * same for half a second, five at most); its usage and key counts are
 * left out (since 6.10 a key's quota is given back at its last
 * reference, its count when the collector frees it). */
static void users(const char *what, int uid)
{
    int keys, bytes;
    bool seen = read_users(uid, &nkeys, &nbytes);
    for (int same = 0, tries = 0; same < 10 && tries < 100; tries++) {
        usleep(50000);
        bool again = read_users(uid, &keys, &bytes);
        same = again == seen && keys == nkeys && bytes == nbytes ? same + 1 : 0;
        seen = again, nkeys = keys, nbytes = bytes;
    }
    if (seen)
        printf("%-28s %d/%d %d/%d\n", what, nkeys, maxkeys, nbytes, maxbytes);
    else
        printf("%-28s none\n", what);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* /proc/keys without the serial, usage and expiry columns, sorted. */
static void keys(void)
{
    char line[512], *lines[64];
    int n = 0;
    FILE *f = fopen("/proc/keys", "r");
    while (f && n < 64 && fgets(line, sizeof line, f)) {
        char flags[16], type[32], rest[256];
        unsigned serial, perm;
        int usage, uid, gid;
        char exp[16];
        if (sscanf(line, "%x %15s %d %15s %x %d %d %31s %255[^\n]", &serial, flags, &usage, exp, &perm, &uid, &gid, type,
                   rest) != 9)
            continue;
        if (asprintf(&lines[n], "  %s %s %08x %5d %5d %-9s %s\n", flags, exp, perm, uid, gid, type, rest) > 0)
            n++;
    }
    if (f)
        fclose(f);
    qsort(lines, (size_t)n, sizeof *lines, cmp);
    for (int i = 0; i < n; i++)
        fputs(lines[i], stdout), free(lines[i]);
}

static void user_side(void)
{
    static char buf[32768];
    char desc[32];
    CHECK(setuid(UID));
    users("no key yet", UID);
    long k1 = add_key("user", "test1", buf, 64, THREAD);
    printf("add_key test1: %s\n", k1 > 0 ? "a key" : strerror(errno));
    users("a key of 64 bytes", UID);
    long ring = add_key("keyring", "myring", NULL, 0, THREAD);
    users("a keyring", UID);
    long x = add_key("user", "x", buf, 5, ring);
    users("a key in it", UID);
    keys();
    CHECK(KEYCTL(UPDATE, x, buf, 100));
    users("its payload now 100 bytes", UID);
    CHECK(KEYCTL(UNLINK, x, ring));
    users("unlinked: gone", UID);
    printf("its payload: %s\n", KEYCTL(UPDATE, x, buf, 10) < 0 ? strerror(errno) : "updated");
    x = add_key("user", "y", buf, 5, ring);
    CHECK(KEYCTL(REVOKE, x));
    users("y revoked", UID);
    CHECK(KEYCTL(CLEAR, ring));
    users("the keyring cleared", UID);
    CHECK(KEYCTL(REVOKE, ring));
    users("the keyring revoked", UID);
    /* maxbytes: 9 bytes of name, the payload and a link's 4 reach it exactly */
    int plen = maxbytes - nbytes - 4 - (int)strlen("test_max") - 1;
    printf("past the bytes by one: %s\n",
           add_key("user", "test_max", buf, plen + 1, THREAD) < 0 ? strerror(errno) : "added");
    printf("to the bytes exactly: %s\n", add_key("user", "test_max", buf, plen, THREAD) < 0 ? strerror(errno) : "added");
    users("full", UID);
    long upd = add_key("user", "test1", buf, 65, THREAD);
    printf("test1 one byte longer: %s\n", upd < 0 ? strerror(errno) : "updated");
    printf("a keyring more: %s\n", add_key("keyring", "r2", NULL, 0, THREAD) < 0 ? strerror(errno) : "added");
    CHECK(KEYCTL(UNLINK, k1, THREAD));
    users("test1 gone", UID);
    CHECK(KEYCTL(CLEAR, THREAD));
    users("the thread keyring cleared", UID);
    /* maxkeys: small keys up to it */
    long last = 0;
    int added = 0;
    for (int i = 0; i < 1000; i++) {
        snprintf(desc, sizeof desc, "k%d", i);
        if ((last = add_key("user", desc, buf, 1, THREAD)) < 0)
            break;
        added++;
    }
    printf("small keys added: up to the count: %s (%s)\n", nkeys + added == maxkeys ? "yes" : "no",
           last < 0 ? strerror(errno) : "no error");
    users("all keys", UID);
    _exit(0);
}

static void chown_side(void)
{
    static char buf[16];
    long k = add_key("user", "given", buf, 16, THREAD);
    users("root's key, 4243 before", 4243);
    CHECK(KEYCTL(CHOWN, k, 4243, -1));
    users("chowned to 4243", 4243);
    CHECK(KEYCTL(CHOWN, k, 4244, -1));
    users("4243 after a chown on", 4243);
    users("and 4244", 4244);
    _exit(0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const char *const names[] = {"maxkeys", "maxbytes", "root_maxkeys", "root_maxbytes", "gc_delay",
                                        "persistent_keyring_expiry"};
    for (int i = 0; i < 6; i++) {
        char path[96], text[64];
        snprintf(path, sizeof path, "/proc/sys/kernel/keys/%s", names[i]);
        read_text(path, text, sizeof text);
        printf("%s: %s", names[i], text);
    }
    CHECK(KEYCTL(JOIN_SESSION, 0) > 0);
    pid_t pid = fork();
    if (pid == 0)
        user_side();
    waitpid(pid, NULL, 0);
    users("after its end", UID);
    if ((pid = fork()) == 0)
        chown_side();
    waitpid(pid, NULL, 0);
    users("4244 after its end", 4244);
    return 0;
}
