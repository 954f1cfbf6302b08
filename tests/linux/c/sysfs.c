/*
 * tests/linux/c/sysfs.c - the old calls on file system types and
 * devices: sysfs (a type's index by name, a name by index, the count,
 * which must agree with /proc/filesystems; the kernels' lists differ, so
 * only that agreement and two types both have are printed) and ustat (a
 * mounted file system's device, an unknown one, a bad buffer).  The
 * output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static long sysfs_(int option, unsigned long a, unsigned long b) { return syscall(SYS_sysfs, option, a, b); }

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    long n = sysfs_(3, 0, 0);
    int lines = 0;
    char line[128];
    FILE *f = fopen("/proc/filesystems", "r");
    while (f && fgets(line, sizeof line, f))
        lines++;
    printf("count agrees with /proc/filesystems: %s\n", n == lines ? "yes" : "no");
    int agree = 1;
    for (long i = 0; i < n; i++) {
        char name[64] = "";
        if (sysfs_(2, (unsigned long)i, (unsigned long)name) != 0 || sysfs_(1, (unsigned long)name, 0) != i)
            agree = 0;
    }
    printf("names and indexes agree: %s\n", agree ? "yes" : "no");
    CHECK(sysfs_(1, (unsigned long)"tmpfs", 0) >= 0);
    CHECK(sysfs_(1, (unsigned long)"proc", 0) >= 0);
    char name[64];
    CHECK(sysfs_(2, (unsigned long)sysfs_(1, (unsigned long)"proc", 0), (unsigned long)name));
    printf("name: %s\n", name);
    CHECK(sysfs_(1, (unsigned long)"no-such-fs", 0));
    CHECK(sysfs_(1, 8, 0));
    CHECK(sysfs_(2, (unsigned long)n, (unsigned long)name));
    CHECK(sysfs_(2, ~0ul, (unsigned long)name));
    CHECK(sysfs_(2, 0, 8));
    CHECK(sysfs_(0, 0, 0));
    CHECK(sysfs_(4, 0, 0));
    CHECK(sysfs_(-1, 0, 0));

    struct stat st;
    char u[32];
    stat("/dev/shm", &st);
    CHECK(syscall(SYS_ustat, (unsigned)st.st_dev, u));
    stat("/proc/self", &st);
    CHECK(syscall(SYS_ustat, (unsigned)st.st_dev, u));
    CHECK(syscall(SYS_ustat, 0xfff00u, u));
    stat("/dev/shm", &st);
    CHECK(syscall(SYS_ustat, (unsigned)st.st_dev, 8));
    return 0;
}
