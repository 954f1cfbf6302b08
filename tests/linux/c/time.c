/*
 * tests/linux/c/time.c - clocks, sleeps, identity and system information
 * whose results can be compared with the host's; settimeofday's checks in
 * Linux's order (EPERM without CAP_SYS_TIME even for nothing to set, and
 * before a time zone's range).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/sysinfo.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    struct timespec a, b, req = {0, 20000000};
    clock_gettime(CLOCK_MONOTONIC, &a);
    printf("nanosleep: %d\n", nanosleep(&req, NULL));
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
    printf("slept at least 20 ms: %d\n", ms >= 20);
    struct timeval tv;
    printf("gettimeofday: %d, after 2023: %d\n", gettimeofday(&tv, NULL), tv.tv_sec > 1672531200);
    printf("settimeofday, a bad time zone pointer: %ld\n", syscall(SYS_settimeofday, NULL, (void *)8) < 0 ? (long)errno : 0l);
    printf("time() agrees: %d\n", time(NULL) - tv.tv_sec <= 1);
    int r = clock_gettime(12345, &a);
    printf("bad clock: %d %s\n", r, strerror(errno));
    req.tv_nsec = 2000000000;
    r = nanosleep(&req, NULL);
    printf("bad timespec: %d %s\n", r, strerror(errno));
    struct utsname u;
    printf("uname: %d %s %s\n", uname(&u), u.sysname, u.machine);
    char rnd[16];
    printf("getrandom: %zd\n", getrandom(rnd, sizeof rnd, 0));
    struct sysinfo si;
    printf("sysinfo: %d\n", sysinfo(&si)); /* its figures are the machine's own */
    printf("uid %d gid %d euid %d egid %d\n", getuid(), getgid(), geteuid(), getegid());
    uid_t ru, eu, su;
    gid_t rg, eg, sg;
    printf("getresuid %d: %d %d %d\n", getresuid(&ru, &eu, &su), ru, eu, su);
    printf("getresgid %d: %d %d %d\n", getresgid(&rg, &eg, &sg), rg, eg, sg);
    printf("setuid(0) %d, setresuid(-1, 0, -1) %d, setgroups(0) %d\n", setuid(0), setresuid(-1, 0, -1),
           setgroups(0, NULL));
    printf("page size %ld, clock ticks %ld\n", sysconf(_SC_PAGESIZE), sysconf(_SC_CLK_TCK));
    struct timezone far = {16 * 60, 0};
    struct timeval bad = {0, 1000000};
    printf("settimeofday, a zone too far: %ld\n", syscall(SYS_settimeofday, NULL, &far) < 0 ? (long)errno : 0l);
    fflush(stdout);
    if (fork() == 0) { /* without CAP_SYS_TIME: EPERM even for nothing, and before the zone's range */
        setuid(65534);
        printf("nobody: settimeofday(NULL, NULL) %ld, a zone too far %ld, a bad time %ld\n",
               syscall(SYS_settimeofday, NULL, NULL) < 0 ? (long)errno : 0l,
               syscall(SYS_settimeofday, NULL, &far) < 0 ? (long)errno : 0l,
               syscall(SYS_settimeofday, &bad, NULL) < 0 ? (long)errno : 0l);
        fflush(stdout);
        _exit(0);
    }
    wait(NULL);
    return 0;
}
