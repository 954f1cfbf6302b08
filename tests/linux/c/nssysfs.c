/*
 * tests/linux/c/nssysfs.c - sysfs per network namespace: a sysfs mounted
 * in a new network namespace shows that namespace's interfaces alone (lo,
 * down until brought up: its flags, operstate, carrier, mtu), as Linux's
 * sysfs ties a mount to the mounter's namespace; a second namespace's lo
 * brought up changes its own mount's lo, not the first one's; once the
 * first namespace ended, its mount shows no interface.  Run as
 * root in a mount and network namespace of its own; the output must
 * equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "nstest.h"
#include <dirent.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>

static char base[64], path[200];

static const char *at(const char *mnt, const char *rel)
{
    snprintf(path, sizeof path, "%s/%s/%s", base, mnt, rel);
    return path;
}

static void names(const char *mnt, const char *rel)
{
    DIR *d = opendir(at(mnt, rel));
    printf("%s %s:", mnt, rel);
    if (!d) {
        printf(" %s\n", errno_name(errno));
        return;
    }
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            printf(" %s", e->d_name);
    closedir(d);
    printf("\n");
}

static void lo(const char *mnt)
{
    static const char *const attrs[] = {"flags", "operstate", "carrier", "mtu", "ifindex", "iflink", "type", "address",
                                        "tx_queue_len", "dormant", "uevent"};
    char buf[256], rel[64];
    for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) {
        snprintf(rel, sizeof rel, "class/net/lo/%s", attrs[i]);
        long n = read_text(at(mnt, rel), buf, sizeof buf);
        for (char *s = buf; *s; s++)
            if (*s == '\n')
                *s = ' ';
        printf("%s lo/%-12s %s\n", mnt, attrs[i], n < 0 ? errno_name(errno) : buf);
    }
}

static long lo_up(void)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    long r = ioctl(s, SIOCGIFFLAGS, &ifr);
    ifr.ifr_flags |= IFF_UP;
    if (r == 0)
        r = ioctl(s, SIOCSIFFLAGS, &ifr);
    close(s);
    return r;
}

int main(void)
{
    if (ns_test_begin(base, sizeof base, "nssysfs"))
        return 0;
    if (ns_test_unshare(CLONE_NEWNET) < 0)
        return 1;
    mkdir(at("a", ""), 0755), mkdir(at("b", ""), 0755);
    CHECK(mount("sysfs", at("a", ""), "sysfs", 0, NULL));
    names("a", "class/net");
    names("a", "devices/virtual/net");
    lo("a");
    int a_ns = open("/proc/self/ns/net", O_RDONLY); /* the first namespace lives while it is open */
    CHECK(a_ns >= 0);
    CHECK(unshare(CLONE_NEWNET));
    CHECK(lo_up());
    CHECK(mount("sysfs", at("b", ""), "sysfs", 0, NULL));
    names("b", "class/net");
    lo("b");
    lo("a");
    CHECK(close(a_ns)); /* the first namespace ends: its lo goes, a little later on Linux */
    struct stat st;
    for (int i = 0; i < 500 && stat(at("a", "class/net/lo"), &st) == 0; i++)
        usleep(10000);
    names("a", "class/net");
    names("a", "devices/virtual/net");
    CHECK(umount2(at("a", ""), MNT_DETACH));
    CHECK(umount2(at("b", ""), MNT_DETACH));
    CHECK(rmdir(at("a", "")));
    CHECK(rmdir(at("b", "")));
    CHECK(rmdir(base));
    return 0;
}
