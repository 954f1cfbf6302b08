/*
 * tests/linux/i386/ids16.c - i386's 16-bit user and group id calls, made
 * raw (syscall(), i386 numbers; old programs' getuid, setuid, chown ...):
 * 0xffff taken as -1, ids above 65535 shown as the overflow id 65534, an
 * id given wider than 16 bits cut to 16, getgroups' array of 16-bit ids
 * and its EINVAL and EFAULT, setgroups with -1 in the list, setfsuid's
 * old id answered whole, chown, lchown and fchown, and the 32-bit calls
 * beside them.  Run as root; built gcc -m32 -static, the output must equal
 * the host Linux's running the same binary.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../c/check.h"

static void show(const char *when)
{
    uint16_t r = 1, e = 1, s = 1;
    syscall(SYS_getresuid, &r, &e, &s);
    printf("%s: uid16 %ld euid16 %ld res %u %u %u", when, syscall(SYS_getuid), syscall(SYS_geteuid), r, e, s);
    syscall(SYS_getresgid, &r, &e, &s);
    printf(", gid16 %ld egid16 %ld res %u %u %u", syscall(SYS_getgid), syscall(SYS_getegid), r, e, s);
    uint32_t R, E, S;
    syscall(SYS_getresuid32, &R, &E, &S);
    printf(", uid32 %u %u %u", R, E, S);
    syscall(SYS_getresgid32, &R, &E, &S);
    printf(" gid32 %u %u %u\n", R, E, S);
}

static void groups16(void)
{
    uint16_t g[8] = {0};
    long n = syscall(SYS_getgroups, 0, NULL);
    printf("getgroups16(0) = %ld:", n);
    n = syscall(SYS_getgroups, 8, g);
    for (long i = 0; i < n; i++)
        printf(" %u", g[i]);
    printf("\n");
}

static void group_calls(void)
{
    uint16_t bad[] = {100, 0xffff};
    CHECK(syscall(SYS_setgroups, 2, bad));
    uint16_t g[] = {300, 100, 200};
    CHECK(syscall(SYS_setgroups, 3, g));
    groups16();
    uint16_t one[1];
    CHECK(syscall(SYS_getgroups, 1, one));
    CHECK(syscall(SYS_getgroups, -1, one));
    CHECK(syscall(SYS_getgroups, 3, (void *)16));
    CHECK(syscall(SYS_setgroups, 2, (void *)16));
    CHECK(syscall(SYS_setgroups, -1, g));
    uint32_t wide[] = {70000, 5, 65535};
    CHECK(syscall(SYS_setgroups32, 3, wide));
    groups16();
    uint32_t got[4];
    long n = syscall(SYS_getgroups32, 4, got);
    printf("getgroups32 = %ld: %u %u %u\n", n, got[0], got[1], got[2]);
    CHECK(syscall(SYS_setgroups, 0, NULL));
    groups16();
}

static void owner(const char *path)
{
    struct stat st;
    lstat(path, &st);
    printf("  %s: %u %u\n", path, (unsigned)st.st_uid, (unsigned)st.st_gid);
}

static void chown_calls(void)
{
    int fd = open("f16", O_RDWR | O_CREAT | O_TRUNC, 0644);
    symlink("f16", "l16");
    CHECK(syscall(SYS_chown, "f16", 1000, 0xffff));
    owner("f16");
    CHECK(syscall(SYS_chown, "f16", 0xffff, 0x10007));
    owner("f16");
    CHECK(syscall(SYS_lchown, "l16", 42, 43));
    owner("l16");
    owner("f16");
    CHECK(syscall(SYS_fchown, fd, 0x1ffff, 9));
    owner("f16");
    CHECK(syscall(SYS_fchown, fd, 70000, 70001));
    owner("f16");
    CHECK(syscall(SYS_chown32, "f16", 70000, 70001));
    owner("f16");
    struct { uint32_t dev, ino; uint16_t mode, nlink, uid, gid; uint32_t rest[12]; } old;
    CHECK(syscall(SYS_stat, "f16", &old));
    printf("  the old struct stat shows %u %u\n", old.uid, old.gid);
    CHECK(syscall(SYS_chown, "missing16", 1, 1));
    CHECK(syscall(SYS_fchown, 999, 1, 1));
    close(fd);
    unlink("f16");
    unlink("l16");
}

/* In a child, which gives its ids away. */
static void uid_calls(void)
{
    show("start");
    CHECK(syscall(SYS_setresgid32, 70000, 70001, 5));
    show("gids 70000 70001 5");
    CHECK(syscall(SYS_setregid, 0xffff, 8));
    show("setregid16(-1, 8)");
    CHECK(syscall(SYS_setgid, 0x10009));
    show("setgid16(0x10009)");
    CHECK(syscall(SYS_setfsgid, 0xffff));
    CHECK(syscall(SYS_setresgid, 1, 2, 3));
    CHECK(syscall(SYS_setfsgid, 0xffff));
    CHECK(syscall(SYS_setfsuid, 77));
    CHECK(syscall(SYS_setfsuid, 0xffff));
    CHECK(syscall(SYS_setfsuid32, 70000));
    CHECK(syscall(SYS_setfsuid, 0xffff));
    CHECK(syscall(SYS_setfsuid, 0));
    CHECK(syscall(SYS_setresuid, 0xffff, 0xffff, 0xffff));
    show("setresuid16(-1, -1, -1)");
    CHECK(syscall(SYS_setresuid32, 70000, 0, 70002));
    show("uids 70000 0 70002");
    CHECK(syscall(SYS_setreuid, 1000, 0xffff));
    show("setreuid16(1000, -1)");
    CHECK(syscall(SYS_setuid, 0xffff));
    CHECK(syscall(SYS_setresuid, 0xffff, 2000, 0xffff));
    show("setresuid16(-1, 2000, -1)");
    CHECK(syscall(SYS_setuid, 0));
    CHECK(syscall(SYS_setuid, 1000));
    show("setuid16(1000)");
    CHECK(syscall(SYS_setreuid, 0, 0));
    CHECK(syscall(SYS_setgroups, 0, NULL));
    uint16_t r;
    CHECK(syscall(SYS_getresuid, &r, (void *)16, &r));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    chdir("/tmp");
    group_calls();
    chown_calls();
    pid_t pid = fork();
    if (pid == 0) {
        uid_calls();
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child exit %d\n", WEXITSTATUS(st));
    return 0;
}
