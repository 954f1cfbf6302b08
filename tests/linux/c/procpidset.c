/*
 * tests/linux/c/procpidset.c - the settings of /proc/PID: oom_score_adj
 * (its range, Linux's kstrtoint parsing, inherited over fork, lowering
 * below the least it may go back to without CAP_SYS_RESOURCE: EACCES),
 * oom_adj its scaled view (EINVAL out of -17..15, EACCES below the
 * current without the capability), oom_score's range; timerslack_ns,
 * the same value as prctl's PR_GET/SET_TIMERSLACK, another process's
 * needing CAP_SYS_NICE (EPERM at read and write); coredump_filter (hex,
 * nine bits, inherited); setgroups ("allow"; "deny" EPERM in the initial
 * user namespace, opening it to write EACCES without CAP_SYS_ADMIN);
 * loginuid and sessionid (a process's own to set: a change needs
 * CAP_AUDIT_CONTROL, each setting a new session, inherited).  The
 * capabilities the checks need are dropped first (the host's root lacks
 * CAP_SYS_RESOURCE).  Prints no pid.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char path[64];

/* /proc/PID/name's text, its newline dropped ("" and the error if none). */
static const char *get(int pid, const char *name)
{
    static char text[256];
    snprintf(path, sizeof path, "/proc/%d/%s", pid, name);
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
    if (n < 0)
        snprintf(text, sizeof text, "(%s)", errno_name(errno));
    else
        text[n && text[n - 1] == '\n' ? n - 1 : n] = '\0';
    if (fd >= 0)
        close(fd);
    return text;
}

/* Writes s to /proc/PID/name: the bytes taken or the error's name. */
static void put(int pid, const char *name, const char *s)
{
    snprintf(path, sizeof path, "/proc/%d/%s", pid, name);
    int fd = open(path, O_WRONLY);
    ssize_t n = fd < 0 ? -1 : write(fd, s, strlen(s));
    printf("write %-16s \"%s\": %s", name, s, n < 0 ? errno_name(errno) : "");
    if (n >= 0)
        printf("%zd", n);
    printf(" -> %s\n", get(pid, name));
    if (fd >= 0)
        close(fd);
}

#define CAP_SYS_ADMIN 21
#define CAP_SYS_NICE 23
#define CAP_SYS_RESOURCE 24
#define CAP_AUDIT_CONTROL 30

/* The capability out of the effective set (capset, version 3). */
static void drop_cap(int cap)
{
    struct {
        unsigned version;
        int pid;
    } h = {0x20080522, 0};
    struct {
        unsigned effective, permitted, inheritable;
    } d[2];
    syscall(SYS_capget, &h, d);
    d[cap / 32].effective &= ~(1u << (cap % 32));
    if (syscall(SYS_capset, &h, d))
        perror("capset");
}

static void oom(int me)
{
    printf("oom_score_adj %s,", get(me, "oom_score_adj"));
    printf(" oom_adj %s\n", get(me, "oom_adj"));
    static const char *const values[] = {"500", "1001", "-1001", "abc", "99999999999", " 300\n", "0x64",
                                         "+7", "12 3", "-1", "200", "1000"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        put(me, "oom_score_adj", values[i]);
        printf("  oom_adj %s\n", get(me, "oom_adj"));
    }
    long score = atol(get(me, "oom_score"));
    printf("oom_score at 1000: %s\n", score >= 1300 && score <= 2000 ? "between 1300 and 2000" : get(me, "oom_score"));
    static const char *const adj[] = {"16", "-18", "15", "3", "-17"};
    for (size_t i = 0; i < sizeof adj / sizeof adj[0]; i++) {
        put(me, "oom_adj", adj[i]);
        printf("  oom_score_adj %s\n", get(me, "oom_score_adj"));
    }
    put(me, "oom_score_adj", "340");
    printf("oom_adj of 340: %s\n", get(me, "oom_adj"));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child: oom_score_adj %s\n", get(getpid(), "oom_score_adj"));
        put(getpid(), "oom_score_adj", "0");
        put(getpid(), "oom_score_adj", "900");
        printf("child: parent's still %s\n", get(me, "oom_score_adj"));
        exit(0);
    }
    waitpid(pid, NULL, 0);
    pid = fork();
    if (pid == 0)
        _exit(0);
    siginfo_t si;
    waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT); /* a zombie, not yet reaped */
    put(pid, "oom_score_adj", "600");
    printf("zombie's oom_score %s\n", get(pid, "oom_score"));
    printf("zombie's coredump_filter \"%s\"\n", get(pid, "coredump_filter"));
    put(pid, "coredump_filter", "0x3");
    waitpid(pid, NULL, 0);
}

static void slack(int me)
{
    long first = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    printf("timerslack_ns is prctl's: %s\n", atol(get(me, "timerslack_ns")) == first ? "yes" : "no");
    put(me, "timerslack_ns", "12345");
    CHECK(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    CHECK(prctl(PR_SET_TIMERSLACK, 777, 0, 0, 0));
    printf("after prctl: %s\n", get(me, "timerslack_ns"));
    static const char *const values[] = {"-1", "abc", "99999999999999999999999", "0x10", " 5", "5\n", "+6"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        put(me, "timerslack_ns", values[i]);
    snprintf(path, sizeof path, "/proc/%d/timerslack_ns", me);
    int fd = open(path, O_WRONLY);
    printf("0 restores the default: %s\n", write(fd, "0", 1) == 1 && prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0) == first ? "yes" : "no");
    close(fd);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        put(me, "timerslack_ns", "4000");
        drop_cap(CAP_SYS_NICE);
        printf("child without CAP_SYS_NICE reads its parent's: %s\n", get(me, "timerslack_ns"));
        put(me, "timerslack_ns", "5000");
        put(getpid(), "timerslack_ns", "6000");
        exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("parent's: %s\n", get(me, "timerslack_ns"));
    prctl(PR_SET_TIMERSLACK, 0, 0, 0, 0);
}

static void filter(int me)
{
    printf("coredump_filter %s\n", get(me, "coredump_filter"));
    static const char *const values[] = {"0x7", "0x3ff", "abc", "0x100000000", "-1", "17", "010", "0x33"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        put(me, "coredump_filter", values[i]);
    put(me, "coredump_filter", "0x23");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child: coredump_filter %s\n", get(getpid(), "coredump_filter"));
        exit(0);
    }
    waitpid(pid, NULL, 0);
    put(me, "coredump_filter", "0x33");
}

static void setgroups_file(int me)
{
    printf("setgroups %s\n", get(me, "setgroups"));
    snprintf(path, sizeof path, "/proc/%d/setgroups", me);
    int fd = open(path, O_WRONLY);
    CHECK(write(fd, "allow", 5));
    CHECK(write(fd, "allow", 5));
    close(fd);
    static const char *const values[] = {"deny\n", "nope", "allow  x", "allow \n", "allowing", "deny"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        put(me, "setgroups", values[i]);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        drop_cap(CAP_SYS_ADMIN);
        CHECK(open(path, O_WRONLY));
        CHECK(open(path, O_RDONLY) >= 0);
        exit(0);
    }
    waitpid(pid, NULL, 0);
}

/* In a child: loginuid set (a first time, then changed with
 * CAP_AUDIT_CONTROL, then without it), cleared; sessionid with it; a
 * parent's not the child's to write; inherited by a grandchild. */
static void login(int me)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int self = getpid();
        char first[32];
        snprintf(first, sizeof first, "%s", get(self, "sessionid"));
        put(me, "loginuid", "1000");
        put(self, "loginuid", "abc");
        put(self, "loginuid", "4294967296");
        put(self, "loginuid", "1000");
        char sid[32];
        snprintf(sid, sizeof sid, "%s", get(self, "sessionid"));
        printf("a session: %s\n", strcmp(sid, "4294967295") && strcmp(sid, first) ? "new" : sid);
        put(self, "loginuid", "1001\n");
        snprintf(first, sizeof first, "%s", get(self, "sessionid"));
        printf("another session: %s\n", strcmp(first, sid) ? "yes" : "no");
        snprintf(path, sizeof path, "/proc/%d/loginuid", self);
        int fd = open(path, O_WRONLY);
        CHECK(pwrite(fd, "7", 1, 1));
        close(fd);
        fflush(stdout);
        pid_t g = fork();
        if (g == 0) {
            printf("grandchild: loginuid %s\n", get(getpid(), "loginuid"));
            exit(0);
        }
        waitpid(g, NULL, 0);
        drop_cap(CAP_AUDIT_CONTROL);
        put(self, "loginuid", "1002");
        put(self, "loginuid", "4294967295");
        printf("the same session: %s\n", strcmp(get(self, "sessionid"), first) ? "no" : "yes");
        exit(0);
    }
    waitpid(pid, NULL, 0);
}

int main(void)
{
    int me = getpid();
    drop_cap(CAP_SYS_RESOURCE);
    oom(me);
    slack(me);
    filter(me);
    setgroups_file(me);
    login(me);
    return 0;
}
