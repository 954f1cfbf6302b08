/*
 * tests/linux/c/netlo.h - own_lo(): the calling process into a network
 * namespace of its own (root's unshare of CLONE_NEWNET) and its lo up, so
 * that a test sees on lo only its own packets, never the host's; 0, or
 * -1 (said on stdout) when there is none.
 */
#ifndef TESTS_LINUX_NETLO_H
#define TESTS_LINUX_NETLO_H
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static inline int own_lo(void)
{
    if (unshare(CLONE_NEWNET) < 0) {
        printf("unshare: %s\n", strerror(errno));
        return -1;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq r = {0};
    strcpy(r.ifr_name, "lo");
    r.ifr_flags = IFF_UP;
    int e = ioctl(fd, SIOCSIFFLAGS, &r);
    printf("lo up: %d\n", e < 0 ? -errno : 0);
    close(fd);
    return e < 0 ? -1 : 0;
}

#endif
