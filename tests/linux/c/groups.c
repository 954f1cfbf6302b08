/*
 * tests/linux/c/groups.c - supplementary groups: setgroups takes up to
 * NGROUPS_MAX (65536, as /proc/sys/kernel/ngroups_max says) and keeps
 * them sorted, duplicates and all (getgroups gives them back so);
 * getgroups with a size too small is EINVAL; the errors (EINVAL past
 * 65536 or below 0, EFAULT, EPERM without CAP_SETGID, before the size);
 * a fork's child has its parent's and changes its own alone; a
 * group far down a long list still grants its permission (to uid 1000);
 * /proc/self/status's Groups line.  The output must equal the host
 * Linux's (run as root).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define MAX 65536
static gid_t list[MAX + 1], got[MAX + 1];

static void show(const char *when)
{
    int n = getgroups(MAX, got);
    printf("%s: %d groups:", when, n);
    for (int i = 0; i < n && i < 8; i++)
        printf(" %u", got[i]);
    printf("%s\n", n > 8 ? " ..." : "");
}

static void status_groups(void)
{
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "Groups:", 7))
            printf("status %s", line);
    if (f)
        fclose(f);
}

static void as_1000(const char *path)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(setresgid(1000, 1000, 1000));
        CHECK(setresuid(1000, 1000, 1000));
        CHECK(setgroups(1, list));
        CHECK(setgroups(MAX + 1, list));
        CHECK(getgroups(0, NULL));
        int fd = open(path, O_RDONLY);
        printf("uid 1000 opens the file of group 60001: %s\n", fd >= 0 ? "yes" : strerror(errno));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    char buf[32] = "";
    FILE *f = fopen("/proc/sys/kernel/ngroups_max", "r");
    if (f && fgets(buf, sizeof buf, f))
        printf("ngroups_max %s", buf);
    gid_t some[] = {5, 3, 9, 3, 70000, 0};
    CHECK(setgroups(6, some));
    show("six, unsorted");
    status_groups();
    CHECK(getgroups(0, NULL));
    CHECK(getgroups(5, got));
    CHECK(getgroups(-1, got));
    CHECK(syscall(SYS_getgroups, 6, 8));
    CHECK(setgroups(-1, some));
    CHECK(setgroups(MAX + 1, list));
    CHECK(setgroups(2, (gid_t *)8));
    show("after the errors");
    for (int i = 0; i < MAX; i++)
        list[i] = (gid_t)(MAX - i) * 7 % 100003;
    list[MAX - 1] = 60001;
    CHECK(setgroups(MAX, list));
    show("65536");
    CHECK(getgroups(MAX - 1, got));
    CHECK(getgroups(MAX, got));
    int sorted = 1;
    for (int i = 1; i < MAX; i++)
        sorted &= got[i - 1] <= got[i];
    printf("sorted: %d\n", sorted);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        show("child");
        CHECK(setgroups(1, some));
        show("child, one");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    show("parent after the child");
    const char *path = "/tmp/groups-test-file";
    unlink(path);
    int fd = open(path, O_CREAT | O_WRONLY, 0040);
    CHECK(fd >= 0);
    CHECK(fchown(fd, 0, 60001));
    CHECK(fchmod(fd, 0040));
    close(fd);
    list[0] = 60001;
    as_1000(path);
    list[0] = 1;
    for (int i = 1; i < 50000; i++) /* 60001 far down the list */
        list[i] = 100000 + (gid_t)i;
    list[40000] = 60001;
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        CHECK(setgroups(50000, list));
        CHECK(setresgid(1000, 1000, 1000));
        CHECK(setresuid(1000, 1000, 1000));
        fd = open(path, O_RDONLY);
        printf("uid 1000 with 50000 groups opens it: %s\n", fd >= 0 ? "yes" : strerror(errno));
        show("uid 1000");
        CHECK(setgroups(0, NULL));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    unlink(path);
    CHECK(setgroups(0, NULL));
    show("none");
    status_groups();
    return 0;
}
