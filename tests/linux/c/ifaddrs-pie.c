/*
 * tests/linux/c/ifaddrs-pie.c - glibc's getifaddrs, if_nameindex and
 * if_nametoindex (a glibc static PIE: its names end in -pie), which ask a
 * netlink route socket (bind, getsockname, sendto, recvmsg with
 * MSG_PEEK|MSG_TRUNC): lo's entries only, the host has more interfaces.
 * The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int main(void)
{
    struct ifaddrs *ifa;
    printf("getifaddrs %d\n", getifaddrs(&ifa));
    for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
        if (strcmp(i->ifa_name, "lo"))
            continue;
        int fam = i->ifa_addr ? i->ifa_addr->sa_family : -1;
        char text[64] = "-", mask[64] = "-";
        if (fam == AF_INET) {
            inet_ntop(fam, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, text, sizeof text);
            inet_ntop(fam, &((struct sockaddr_in *)i->ifa_netmask)->sin_addr, mask, sizeof mask);
        } else if (fam == AF_INET6) {
            inet_ntop(fam, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, text, sizeof text);
            inet_ntop(fam, &((struct sockaddr_in6 *)i->ifa_netmask)->sin6_addr, mask, sizeof mask);
        }
        printf("%s flags %#x family %d addr %s mask %s data %d\n", i->ifa_name, i->ifa_flags, fam, text, mask,
               i->ifa_data != NULL);
    }
    freeifaddrs(ifa);
    struct if_nameindex *ni = if_nameindex();
    printf("if_nameindex %d\n", ni != NULL);
    for (struct if_nameindex *i = ni; i && i->if_index; i++)
        if (!strcmp(i->if_name, "lo"))
            printf("if_nameindex: %u %s\n", i->if_index, i->if_name);
    if (ni)
        if_freenameindex(ni);
    char name[IF_NAMESIZE];
    printf("if_nametoindex lo %u, if_indextoname 1 %s\n", if_nametoindex("lo"), if_indextoname(1, name));
    return 0;
}
