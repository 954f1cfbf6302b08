/*
 * tests/linux/c/capsets.c - the bounding and ambient sets and the
 * securebits (prctl), capset's rules for them and for other threads, and
 * what execve makes of the sets (Linux's rules for a program without file
 * capabilities: root's permitted set is the bounding set and the
 * inheritable one, effective only for an effective root; the ambient set
 * for anyone else, kept across execve unless a set-ID change clears it;
 * nothing for root under SECBIT_NOROOT; root's sets for a
 * set-user-ID-root program, but nothing gained under no_new_privs), shown
 * by a re-executed copy of
 * this program from /proc/self/status.  CAP_SYS_RESOURCE is dropped from
 * every set first, on both sides (the host's root may lack it), so the
 * masks printed are the same.  Each part runs in a child of its own; the
 * output must equal the host Linux's (run as root).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define CAP_NET_BIND_SERVICE 10
#define CAP_NET_RAW 13
#define CAP_SETPCAP 8
#define CAP_SYS_RESOURCE 24
#define SECBIT_NOROOT 0x01
#define SECBIT_KEEP_CAPS 0x10
#define SECBIT_KEEP_CAPS_LOCKED 0x20
#define SECBIT_NO_CAP_AMBIENT_RAISE 0x40

struct cap_header {
    uint32_t version;
    int pid;
};
struct cap_data {
    uint32_t effective, permitted, inheritable;
};

static const char *self;

static int get(uint64_t *e, uint64_t *p, uint64_t *i)
{
    struct cap_header h = {0x20080522, 0};
    struct cap_data d[2];
    int r = (int)syscall(SYS_capget, &h, d);
    *e = d[0].effective | (uint64_t)d[1].effective << 32;
    *p = d[0].permitted | (uint64_t)d[1].permitted << 32;
    *i = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
    return r;
}

static int set(uint64_t e, uint64_t p, uint64_t i)
{
    struct cap_header h = {0x20080522, 0};
    struct cap_data d[2] = {{(uint32_t)e, (uint32_t)p, (uint32_t)i}, {(uint32_t)(e >> 32), (uint32_t)(p >> 32), (uint32_t)(i >> 32)}};
    return (int)syscall(SYS_capset, &h, d);
}

/* The Cap lines of /proc/self/status, and the ids. */
static void status(const char *when)
{
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");
    printf("%s: uid %d euid %d securebits %#x\n", when, getuid(), geteuid(), prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "Cap", 3))
            printf("  %s", line);
    if (f)
        fclose(f);
}

/* Runs this program again, which shows its status. */
static void reexec(const char *when)
{
    fflush(stdout);
    execl(self, self, "show", when, (char *)NULL);
    perror("execl");
    _exit(1);
}

static void in_child(void (*part)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        part();
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    if (st)
        printf("child status %#x\n", st);
}

static void bounding(void)
{
    CHECK(prctl(PR_CAPBSET_READ, CAP_SYS_RESOURCE, 0, 0, 0));
    CHECK(prctl(PR_CAPBSET_READ, 0, 0, 0, 0));
    CHECK(prctl(PR_CAPBSET_READ, 40, 0, 0, 0));
    CHECK(prctl(PR_CAPBSET_READ, 41, 0, 0, 0));
    CHECK(prctl(PR_CAPBSET_READ, -1L, 0, 0, 0));
    CHECK(prctl(PR_CAPBSET_DROP, 41, 0, 0, 0));
    CHECK(prctl(PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0));
    CHECK(prctl(PR_CAPBSET_READ, CAP_NET_RAW, 0, 0, 0));
    uint64_t e, p, i;
    get(&e, &p, &i);
    printf("permitted still has it: %d\n", (int)(p >> CAP_NET_RAW & 1));
    CHECK(set(e, p, i | 1ull << CAP_NET_RAW)); /* not in the bounding set nor inheritable */
    CHECK(set(e, p, i | 1ull << CAP_NET_BIND_SERVICE));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(prctl(PR_CAPBSET_READ, CAP_NET_RAW, 0, 0, 0));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(set(e & ~(1ull << CAP_SETPCAP), p, i));
    CHECK(prctl(PR_CAPBSET_DROP, 41, 0, 0, 0)); /* EPERM first */
    CHECK(prctl(PR_CAPBSET_DROP, 1, 0, 0, 0));
    reexec("root after dropping CAP_NET_RAW from the bounding set");
}

static void ambient(void)
{
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_BIND_SERVICE, 0, 0));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0));
    uint64_t e, p, i;
    get(&e, &p, &i);
    CHECK(set(e, p, 1ull << CAP_NET_BIND_SERVICE | 1ull << CAP_NET_RAW));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_BIND_SERVICE, 0, 0));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_BIND_SERVICE, 1, 0));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 41, 0, 0));
    CHECK(prctl(PR_CAP_AMBIENT, 5, CAP_NET_BIND_SERVICE, 0, 0));
    CHECK(prctl(PR_CAP_AMBIENT, 0, CAP_NET_BIND_SERVICE, 0, 0));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0));
    status("ambient raised");
    CHECK(set(e, p, 1ull << CAP_NET_BIND_SERVICE)); /* no longer inheritable: not ambient */
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 0, 0));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_NET_BIND_SERVICE, 0, 0));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_BIND_SERVICE, 0, 0));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_BIND_SERVICE, 0, 0));
    CHECK(prctl(PR_SET_SECUREBITS, SECBIT_NO_CAP_AMBIENT_RAISE, 0, 0, 0));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0));
}

/* uid 1000 with an ambient capability: execve gives it, and only it. */
static void ambient_exec(void)
{
    uint64_t e, p, i;
    get(&e, &p, &i);
    CHECK(set(e, p, 1ull << CAP_NET_BIND_SERVICE));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0));
    CHECK(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
    CHECK(setresuid(1000, 1000, 1000)); /* keeps the permitted set, clears the ambient one */
    status("uid 1000, keepcaps");
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0));
    reexec("uid 1000 with CAP_NET_BIND_SERVICE ambient");
}

static void uid1000_exec(void)
{
    CHECK(setresuid(1000, 1000, 1000));
    status("uid 1000");
    CHECK(prctl(PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0));
    CHECK(prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS, 0, 0, 0));
    CHECK(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0));
    CHECK(set(0, 1, 0));
    CHECK(set(0, 0, 1));
    reexec("uid 1000 exec");
}

static void securebits(void)
{
    CHECK(prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_SECUREBITS, 0x100000, 0, 0, 0));
    CHECK(prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS, 0, 0, 0));
    CHECK(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0));
    CHECK(prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS | SECBIT_KEEP_CAPS_LOCKED, 0, 0, 0));
    CHECK(prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0));
    CHECK(prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS_LOCKED, 0, 0, 0));
    CHECK(prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS, 0, 0, 0));
    CHECK(prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS | SECBIT_KEEP_CAPS_LOCKED | SECBIT_NOROOT, 0, 0, 0));
    CHECK(prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
    reexec("root under SECBIT_NOROOT"); /* keepcaps goes, its lock stays */
}

static void securebits_unprivileged(void)
{
    uint64_t e, p, i;
    get(&e, &p, &i);
    CHECK(set(e & ~(1ull << CAP_SETPCAP), p, i));
    CHECK(prctl(PR_SET_SECUREBITS, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
}

/* Real root, effective 1000: the permitted set, not the effective one;
 * the effective uid differs from the real one, so the ambient set goes. */
static void real_root_exec(void)
{
    uint64_t e, p, i;
    get(&e, &p, &i);
    CHECK(set(e, p, 1ull << CAP_NET_BIND_SERVICE));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0));
    CHECK(setresuid(0, 1000, 1000));
    status("real root, euid 1000");
    reexec("real root, euid 1000, exec");
}

#define SUID_COPY "/tmp/capsets-suid"

/* A set-user-ID-root copy of this program. */
static void make_suid_copy(void)
{
    static char buf[1 << 16];
    int in = open("/proc/self/exe", O_RDONLY), out = open(SUID_COPY, O_CREAT | O_TRUNC | O_WRONLY, 0700);
    ssize_t n;
    while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            break;
    close(in);
    if (out < 0 || fchown(out, 0, 0) || fchmod(out, 04755))
        perror("the set-user-ID copy");
    close(out);
}

/* uid 1000 with an ambient capability runs a set-user-ID-root program:
 * root's sets, and the ambient one cleared; under no_new_privs it stays
 * uid 1000 and keeps only its ambient capability. */
static void suid_prepare(void)
{
    uint64_t e, p, i;
    get(&e, &p, &i);
    CHECK(set(e, p, 1ull << CAP_NET_BIND_SERVICE));
    CHECK(prctl(PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0));
    CHECK(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
    CHECK(setresuid(1000, 1000, 1000));
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0));
    self = SUID_COPY;
}

static void suid_exec(void)
{
    suid_prepare();
    reexec("uid 1000 runs a set-user-ID-root program");
}

static void suid_exec_nnp(void)
{
    suid_prepare();
    CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    reexec("the same under no_new_privs");
}

static pid_t main_tid;
static void *thread_part(void *arg)
{
    (void)arg;
    struct cap_header h = {0x20080522, main_tid};
    struct cap_data d[2];
    CHECK(syscall(SYS_capget, &h, d));
    CHECK(syscall(SYS_capset, &h, d)); /* another thread's: EPERM */
    h.pid = (int)syscall(SYS_gettid);
    CHECK(syscall(SYS_capset, &h, d));
    h.pid = 0;
    CHECK(syscall(SYS_capset, &h, d));
    return NULL;
}

static void threads(void)
{
    main_tid = (pid_t)syscall(SYS_gettid);
    pthread_t t;
    fflush(stdout);
    pthread_create(&t, NULL, thread_part, NULL);
    pthread_join(t, NULL);
    struct cap_header h = {0x20080522, getppid()};
    struct cap_data d[2];
    CHECK(syscall(SYS_capset, &h, d));
    h.pid = getpid();
    CHECK(syscall(SYS_capget, &h, d));
    CHECK(syscall(SYS_capset, &h, d));
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    self = "/proc/self/exe";
    if (argc == 3 && !strcmp(argv[1], "show")) {
        status(argv[2]);
        return 0;
    }
    uint64_t e, p, i;
    prctl(PR_CAPBSET_DROP, CAP_SYS_RESOURCE, 0, 0, 0);
    get(&e, &p, &i);
    if (set(e & ~(1ull << CAP_SYS_RESOURCE), p & ~(1ull << CAP_SYS_RESOURCE), i))
        perror("capset");
    status("root");
    in_child(bounding);
    in_child(ambient);
    in_child(ambient_exec);
    in_child(uid1000_exec);
    in_child(securebits);
    in_child(securebits_unprivileged);
    in_child(real_root_exec);
    in_child(threads);
    make_suid_copy();
    in_child(suid_exec);
    in_child(suid_exec_nnp);
    unlink(SUID_COPY);
    return 0;
}
