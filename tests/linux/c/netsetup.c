/*
 * tests/linux/c/netsetup.c - a network namespace of one's own, as LTP's
 * tst_setup_netns makes it for its CVE tests: unshare(CLONE_NEWUSER),
 * unshare(CLONE_NEWNET), setgroups "deny", the uid and gid maps, then lo
 * brought up and the sockets the tests use: the network capabilities
 * are the ones held in the user namespace owning the network namespace
 * (packet and raw sockets, a port below 1024, SO_PRIORITY past 6, the
 * interface's flags and MTU), for root and for nobody alike.  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define ETH_P_ALL 0x0003

static void map(const char *file, const char *text)
{
    int opened;
    long r = write_text(file, text, &opened);
    printf("%s: %s\n", file, r >= 0 ? "written" : errno_name(errno));
}

static void setup(void)
{
    char text[64];
    unsigned uid = getuid(), gid = getgid();
    CHECK(unshare(CLONE_NEWUSER));
    CHECK(unshare(CLONE_NEWNET));
    map("/proc/self/setgroups", "deny");
    snprintf(text, sizeof text, "0 %u 1\n", uid);
    map("/proc/self/uid_map", text);
    snprintf(text, sizeof text, "0 %u 1\n", gid);
    map("/proc/self/gid_map", text);
    printf("uid %d gid %d\n", (int)getuid(), (int)getgid());

    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq r = {0};
    strcpy(r.ifr_name, "lo");
    CHECK(ioctl(s, SIOCGIFFLAGS, &r));
    printf("lo up: %d\n", !!(r.ifr_flags & IFF_UP));
    r.ifr_flags |= IFF_UP;
    CHECK(ioctl(s, SIOCSIFFLAGS, &r));
    r.ifr_mtu = 1500;
    CHECK(ioctl(s, SIOCSIFMTU, &r));
    CHECK(ioctl(s, SIOCGIFFLAGS, &r));
    printf("lo up: %d\n", !!(r.ifr_flags & IFF_UP));
    int prio = 7;
    CHECK(setsockopt(s, SOL_SOCKET, SO_PRIORITY, &prio, sizeof prio));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(80), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK(bind(s, (struct sockaddr *)&a, sizeof a));
    int pk = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    printf("packet socket: %s\n", pk >= 0 ? "made" : errno_name(errno));
    int raw = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
    printf("raw socket: %s\n", raw >= 0 ? "made" : errno_name(errno));
    int icmp = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    printf("raw ICMP socket: %s\n", icmp >= 0 ? "made" : errno_name(errno));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int status;
    printf("as root\n");
    if (fork() == 0) {
        setup();
        _exit(0);
    }
    wait(&status);
    printf("as nobody\n");
    if (fork() == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            printf("setuid: %s\n", errno_name(errno));
        setup();
        _exit(0);
    }
    wait(&status);
    printf("a nobody outside: ");
    if (fork() == 0) {
        setgid(65534), setuid(65534);
        int pk = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
        printf("packet socket %s\n", pk >= 0 ? "made" : errno_name(errno));
        _exit(0);
    }
    wait(&status);
    return 0;
}
