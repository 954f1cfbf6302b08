/*
 * tests/linux/c/netdev.c - the loopback interface as the interface ioctls
 * show it on any socket: SIOCGIFCONF (lo first, with 127.0.0.1; the length
 * a NULL buffer asks for), SIOCGIFFLAGS, SIOCGIFADDR, SIOCGIFNETMASK,
 * SIOCGIFMTU, SIOCGIFINDEX and SIOCGIFNAME of lo, ENODEV for a name that
 * is none, EFAULT; SIOCSIFFLAGS (EFAULT, ENODEV, root's, lo's own flags
 * given back), a device-private request, SIOCATMARK (TCP and AF_UNIX
 * streams: 0; UDP none) and the family's other requests (the ifreq read
 * first: EFAULT, then ENOTTY); /proc/sys/net/ipv4/ip_local_port_range; and the
 * sockets' lines in /proc/net/tcp, tcp6, udp and udp6 (fixed ports).  Only lo
 * is printed: the host has more interfaces.  The output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The line of /proc/net/<table> whose local address is local: its state
 * and inode columns, as relations. */
static void proc_net(const char *table, const char *local, int fd)
{
    char path[64], line[512], header[32] = "";
    snprintf(path, sizeof path, "/proc/net/%s", table);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("%s: %s\n", path, strerror(errno));
        return;
    }
    struct stat st;
    fstat(fd, &st);
    int found = 0;
    if (fgets(line, sizeof line, f))
        snprintf(header, sizeof header, "%.20s", line);
    while (fgets(line, sizeof line, f)) {
        char l[64], r[64];
        unsigned state;
        unsigned long inode;
        if (sscanf(line, "%*d: %63s %63s %x %*s %*s %*s %*s %*s %lu", l, r, &state, &inode) == 4 &&
            strcmp(l, local) == 0) {
            printf("%s: \"%s\" state %02X inode matches %d remote %s\n", table, header, state,
                   inode == (unsigned long)st.st_ino, r);
            found = 1;
        }
    }
    if (!found)
        printf("%s: %s not found\n", table, local);
    fclose(f);
}

static const char *addr(struct sockaddr *sa)
{
    return inet_ntoa(((struct sockaddr_in *)sa)->sin_addr);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int s = socket(AF_INET, SOCK_DGRAM, 0), u = socket(AF_UNIX, SOCK_STREAM, 0);
    struct ifreq r;
    memset(&r, 0, sizeof r);
    strcpy(r.ifr_name, "lo");
    CHECK(ioctl(s, SIOCGIFFLAGS, &r));
    CHECK(r.ifr_flags & (IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_BROADCAST));
    CHECK(ioctl(u, SIOCGIFFLAGS, &r));
    CHECK(ioctl(s, SIOCGIFADDR, &r));
    printf("lo address %s family %d\n", addr(&r.ifr_addr), r.ifr_addr.sa_family);
    CHECK(ioctl(s, SIOCGIFNETMASK, &r));
    printf("lo netmask %s\n", addr(&r.ifr_netmask));
    CHECK(ioctl(s, SIOCGIFMTU, &r));
    CHECK(r.ifr_mtu);
    CHECK(ioctl(s, SIOCGIFINDEX, &r));
    CHECK(r.ifr_ifindex);
    memset(&r, 0, sizeof r);
    r.ifr_ifindex = 1;
    CHECK(ioctl(s, SIOCGIFNAME, &r));
    printf("index 1: %s\n", r.ifr_name);
    r.ifr_ifindex = 9999;
    CHECK(ioctl(s, SIOCGIFNAME, &r));
    strcpy(r.ifr_name, "nosuch0");
    CHECK(ioctl(s, SIOCGIFFLAGS, &r));
    CHECK(ioctl(s, SIOCGIFADDR, &r));
    CHECK(ioctl(s, SIOCGIFFLAGS, (void *)8));
    struct ifconf ic = {.ifc_len = 0, .ifc_buf = NULL};
    CHECK(ioctl(s, SIOCGIFCONF, &ic));
    CHECK(ic.ifc_len >= (int)sizeof(struct ifreq) && ic.ifc_len % (int)sizeof(struct ifreq) == 0);
    struct ifreq list[8];
    ic.ifc_len = sizeof list, ic.ifc_req = list;
    CHECK(ioctl(s, SIOCGIFCONF, &ic));
    printf("first: %s %s\n", list[0].ifr_name, addr(&list[0].ifr_addr));
    ic.ifc_len = sizeof list[0] + 3;
    CHECK(ioctl(s, SIOCGIFCONF, &ic));
    CHECK(ic.ifc_len);
    CHECK(ioctl(s, SIOCGIFCONF, (void *)8));
    CHECK(ioctl(s, TCGETS, &r));
    struct ifreq fl = {.ifr_name = "lo"};
    CHECK(ioctl(s, SIOCGIFFLAGS, &fl));
    CHECK(ioctl(s, SIOCSIFFLAGS, &fl));
    CHECK(ioctl(s, SIOCSIFFLAGS, NULL));
    struct ifreq none = {.ifr_name = "nonexist0"};
    CHECK(ioctl(s, SIOCSIFFLAGS, &none));
    CHECK(ioctl(s, SIOCDEVPRIVATE, &none));
    CHECK(ioctl(s, SIOCDEVPRIVATE, &fl));
    CHECK(ioctl(s, 0x89cf, &fl));
    CHECK(ioctl(s, 0x89cf, NULL));
    fflush(stdout);
    if (fork() == 0) {
        setuid(65534);
        CHECK(ioctl(s, SIOCSIFFLAGS, &fl));
        CHECK(ioctl(s, SIOCSIFFLAGS, &none));
        _exit(0);
    }
    wait(NULL);
    int mark = -1, tcp = socket(AF_INET, SOCK_STREAM, 0), udp = socket(AF_INET, SOCK_DGRAM, 0), pair[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
    CHECK(ioctl(tcp, SIOCATMARK, &mark));
    printf("mark %d\n", mark);
    CHECK(ioctl(tcp, SIOCATMARK, NULL));
    CHECK(ioctl(udp, SIOCATMARK, &mark));
    CHECK(ioctl(udp, SIOCATMARK, NULL));
    CHECK(ioctl(pair[0], SIOCATMARK, &mark));
    CHECK(ioctl(pair[0], SIOCATMARK, NULL));
    char buf[64] = {0};
    int fd = open("/proc/sys/net/ipv4/ip_local_port_range", O_RDONLY);
    CHECK(read(fd, buf, sizeof buf - 1));
    printf("range %s", buf);
    /* the tables in /proc/net, found by a port bound here */
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(47301), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int l = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(bind(l, (struct sockaddr *)&a, sizeof a));
    CHECK(listen(l, 1));
    proc_net("tcp", "0100007F:B8C5", l);
    int d = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(bind(d, (struct sockaddr *)&a, sizeof a));
    proc_net("udp", "0100007F:B8C5", d);
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons(47302), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    int l6 = socket(AF_INET6, SOCK_STREAM, 0);
    CHECK(bind(l6, (struct sockaddr *)&a6, sizeof a6));
    CHECK(listen(l6, 1));
    proc_net("tcp6", "00000000000000000000000001000000:B8C6", l6);
    int d6 = socket(AF_INET6, SOCK_DGRAM, 0);
    CHECK(bind(d6, (struct sockaddr *)&a6, sizeof a6));
    proc_net("udp6", "00000000000000000000000001000000:B8C6", d6);
    return 0;
}
