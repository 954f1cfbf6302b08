/*
 * tests/linux/c/nsioctl.c - the ioctls of /proc/<pid>/ns files
 * (linux/nsfs.h): NS_GET_NSTYPE, NS_GET_USERNS (a close-on-exec
 * descriptor of the owning user namespace; the initial one has no owner,
 * EPERM), NS_GET_PARENT (EPERM for the initial pid and user namespaces,
 * EINVAL for the kinds without a hierarchy), NS_GET_OWNER_UID (the user
 * namespace's only, EINVAL else, EFAULT), another request ENOTTY; in a
 * new UTS namespace too.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define NS_GET_USERNS 0xb701
#define NS_GET_PARENT 0xb702
#define NS_GET_NSTYPE 0xb703
#define NS_GET_OWNER_UID 0xb704

static const char *const kinds[] = {"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
                                    "time", "time_for_children", "user", "uts"};

static void show(const char *what, const char *kind, long r)
{
    char line[80];
    snprintf(line, sizeof line, "%s(%s)", what, kind);
    printf("%-40s %ld %s\n", line, r, r < 0 ? errno_name(errno) : "");
    errno = 0;
}

/* The ioctls on one kind's file. */
static void kind(const char *k)
{
    char path[64], link[64], fdpath[32];
    snprintf(path, sizeof path, "/proc/self/ns/%s", k);
    int fd = open(path, O_RDONLY);
    show("NS_GET_NSTYPE", k, ioctl(fd, NS_GET_NSTYPE));
    int u = ioctl(fd, NS_GET_USERNS);
    show("NS_GET_USERNS", k, u < 0 ? u : 0);
    if (u >= 0) {
        snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", u);
        long n = readlink(fdpath, link, sizeof link - 1);
        link[n < 0 ? 0 : n] = '\0';
        struct stat a, b;
        fstat(u, &a), stat("/proc/self/ns/user", &b);
        printf("  %s cloexec %d same %d flags %o\n", link, fcntl(u, F_GETFD), a.st_ino == b.st_ino && a.st_dev == b.st_dev,
               fcntl(u, F_GETFL) & ~0100000);
        close(u);
    }
    show("NS_GET_PARENT", k, ioctl(fd, NS_GET_PARENT));
    unsigned int uid = 77;
    long r = ioctl(fd, NS_GET_OWNER_UID, &uid);
    show("NS_GET_OWNER_UID", k, r);
    if (r == 0)
        printf("  uid %u\n", uid);
    close(fd);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        kind(kinds[i]);
    int user = open("/proc/self/ns/user", O_RDONLY), uts = open("/proc/self/ns/uts", O_RDONLY);
    show("NS_GET_OWNER_UID NULL", "user", ioctl(user, NS_GET_OWNER_UID, NULL));
    show("0xb7ff", "uts", ioctl(uts, 0xb7ff));
    char termios[64];
    show("TCGETS", "uts", ioctl(uts, 0x5401, termios));
    int upath = open("/proc/self/ns/uts", O_PATH);
    show("NS_GET_NSTYPE O_PATH", "uts", ioctl(upath, NS_GET_NSTYPE));
    pid_t c = fork();
    if (c == 0) {
        show("unshare(CLONE_NEWUTS)", "", unshare(CLONE_NEWUTS));
        kind("uts");
        _exit(0);
    }
    waitpid(c, NULL, 0);
    return 0;
}
