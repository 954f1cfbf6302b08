/*
 * tests/linux/c/netns.c - network namespaces (root): unshare, clone, clone3 and
 * setns of CLONE_NEWNET (EPERM without CAP_SYS_ADMIN, EINVAL for a file of
 * another kind), /proc/self/ns/net, and what a namespace owns: its
 * loopback, down in a new one (flags, SIOCGIFCONF, RTM_GETLINK and
 * RTM_GETADDR, ENETUNREACH, bind still taken, ::1 EADDRNOTAVAIL; its
 * MTU set, SIOCSIFMTU, EINVAL below 0) until SIOCSIFFLAGS or RTM_NEWLINK
 * (acked; ENODEV for an index that is none, EPERM without
 * CAP_NET_ADMIN) brings it up; its TCP and UDP ports (no clash with the
 * parent's, no connect reaching the parent's listener), its abstract
 * AF_UNIX names (a path name reaches across), its netlink port ids, its
 * /proc/net tables, a socket keeping the namespace it was made in
 * (SIOCGSKNS; passed out of a namespace whose process ended, it keeps it
 * alive), and its /proc/sys/net settings (the defaults; ephemeral ports
 * from its own range).  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stddef.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

/* linux/netlink.h and linux/rtnetlink.h, which musl's headers lack */
#define NETLINK_ROUTE 0
struct nlmsghdr { unsigned nlmsg_len; unsigned short nlmsg_type, nlmsg_flags; unsigned nlmsg_seq, nlmsg_pid; };
struct nlmsgerr { int error; struct nlmsghdr msg; };
struct sockaddr_nl_k { unsigned short family, pad; unsigned pid, groups; };
struct ifinfomsg { unsigned char ifi_family, pad; unsigned short ifi_type; int ifi_index; unsigned ifi_flags, ifi_change; };
struct ifaddrmsg { unsigned char ifa_family, ifa_prefixlen, ifa_flags, ifa_scope; unsigned ifa_index; };
#define NLM_F_REQUEST 1
#define NLM_F_ACK 4
#define NLM_F_DUMP 0x300
#define NLMSG_ERROR 2
#define NLMSG_DONE 3
#define RTM_NEWLINK 16
#define RTM_GETLINK 18
#define RTM_GETADDR 22
#define NLMSG_ALIGN(n) (((n) + 3u) & ~3u)
#define NLMSG_DATA(h) ((void *)((char *)(h) + NLMSG_ALIGN(sizeof(struct nlmsghdr))))
#define NLMSG_OK(h, n) ((n) >= (int)sizeof(struct nlmsghdr) && (h)->nlmsg_len >= sizeof(struct nlmsghdr) && \
                        (h)->nlmsg_len <= (unsigned)(n))
#define NLMSG_NEXT(h, n) ((n) -= (int)NLMSG_ALIGN((h)->nlmsg_len), \
                          (struct nlmsghdr *)((char *)(h) + NLMSG_ALIGN((h)->nlmsg_len)))
#ifndef SIOCGSKNS
#define SIOCGSKNS 0x894C
#endif
#define PORT 47311
#define NS_GET_NSTYPE 0xb703

static ino_t ns_ino(const char *path)
{
    struct stat st;
    return stat(path, &st) < 0 ? 0 : st.st_ino;
}

static ino_t fd_ino(int fd)
{
    struct stat st;
    return fstat(fd, &st) < 0 ? 0 : st.st_ino;
}

static struct sockaddr_in loop4(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int lo_flags(void)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq r = {0};
    strcpy(r.ifr_name, "lo");
    int rc = ioctl(s, SIOCGIFFLAGS, &r);
    close(s);
    return rc < 0 ? -errno : r.ifr_flags;
}

static void set_lo(int up)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq r = {0};
    strcpy(r.ifr_name, "lo");
    r.ifr_flags = (short)(up ? IFF_UP : 0);
    printf("SIOCSIFFLAGS lo %s = %d\n", up ? "up" : "down", ioctl(s, SIOCSIFFLAGS, &r) < 0 ? -errno : 0);
    close(s);
}

/* A netlink dump of type (RTM_GETLINK, RTM_GETADDR): each message's
 * index, flags, family and prefix, as relations. */
static void dump(int type)
{
    int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    struct {
        struct nlmsghdr h;
        struct ifinfomsg i;
    } req = {{sizeof req, (unsigned short)type, NLM_F_REQUEST | NLM_F_DUMP, 1, 0}, {0}};
    send(s, &req, sizeof req, 0);
    char buf[8192];
    int n, done = 0, count = 0;
    while (!done && (n = (int)recv(s, buf, sizeof buf, 0)) > 0)
        for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE) {
                done = 1;
                break;
            }
            count++;
            if (type == RTM_GETLINK) {
                struct ifinfomsg *i = NLMSG_DATA(h);
                printf("  link index %d flags %#x\n", i->ifi_index, i->ifi_flags);
            } else {
                struct ifaddrmsg *a = NLMSG_DATA(h);
                printf("  addr family %d prefix %d index %d\n", a->ifa_family, a->ifa_prefixlen, a->ifa_index);
            }
        }
    printf("%s: %d messages\n", type == RTM_GETLINK ? "RTM_GETLINK" : "RTM_GETADDR", count);
    close(s);
}

/* RTM_NEWLINK of index with flags (change IFF_UP), acked: the ack's error. */
static int newlink(int index, unsigned flags)
{
    int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    struct {
        struct nlmsghdr h;
        struct ifinfomsg i;
    } req = {{sizeof req, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, 7, 0}, {0}};
    req.i.ifi_index = index, req.i.ifi_flags = flags, req.i.ifi_change = IFF_UP;
    send(s, &req, sizeof req, 0);
    char buf[1024];
    int n = (int)recv(s, buf, sizeof buf, MSG_DONTWAIT);
    close(s);
    struct nlmsghdr *h = (void *)buf;
    if (n < (int)sizeof *h || h->nlmsg_type != NLMSG_ERROR)
        return 1000;
    return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
}

static int try_connect(int type, struct sockaddr_in a)
{
    int s = socket(AF_INET, type, 0);
    int r = connect(s, (struct sockaddr *)&a, sizeof a) < 0 ? -errno : 0;
    close(s);
    return r;
}

static int try_bind(int type, struct sockaddr_in a)
{
    int s = socket(AF_INET, type, 0);
    int r = bind(s, (struct sockaddr *)&a, sizeof a) < 0 ? -errno : 0;
    close(s);
    return r;
}

static int sendto_lo(void)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = loop4(PORT);
    int r = sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof a) < 0 ? -errno : 0;
    close(s);
    return r;
}

/* An AF_UNIX stream socket and the address of name (len bytes: an
 * abstract one's 0 first) in *a: its length. */
static socklen_t un_addr(struct sockaddr_un *a, const char *name, size_t len, int *s)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    memcpy(a->sun_path, name, len);
    *s = socket(AF_UNIX, SOCK_STREAM, 0);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
}

static int unix_connect(const char *name, size_t len)
{
    struct sockaddr_un a;
    int s;
    socklen_t n = un_addr(&a, name, len, &s);
    int r = connect(s, (struct sockaddr *)&a, n) < 0 ? -errno : 0;
    close(s);
    return r;
}

static int unix_bind(const char *name, size_t len)
{
    struct sockaddr_un a;
    int s;
    socklen_t n = un_addr(&a, name, len, &s);
    if (bind(s, (struct sockaddr *)&a, n) < 0) {
        int e = errno;
        close(s);
        return -e;
    }
    listen(s, 4);
    return s;
}

/* Whether /proc/net/tcp lists a listener on PORT. */
static int tcp_listed(void)
{
    FILE *f = fopen("/proc/net/tcp", "r");
    char line[512], want[16];
    int found = 0;
    snprintf(want, sizeof want, ":%04X ", PORT);
    while (f && fgets(line, sizeof line, f))
        found |= strstr(line, want) != NULL && strstr(line, " 0A ") != NULL;
    if (f)
        fclose(f);
    return found;
}

static int if_inet6_lines(void)
{
    FILE *f = fopen("/proc/net/if_inet6", "r");
    char line[256];
    int n = 0;
    while (f && fgets(line, sizeof line, f))
        n += strstr(line, " lo\n") != NULL;
    if (f)
        fclose(f);
    return n;
}

/* ::1 in a namespace whose lo is `state`: a UDP send, a TCP connect
 * (nobody listens) and a bind. */
static void six_loop(const char *state)
{
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(PORT)};
    a.sin6_addr.s6_addr[15] = 1;
    int u = socket(AF_INET6, SOCK_DGRAM, 0), t = socket(AF_INET6, SOCK_STREAM, 0), b = socket(AF_INET6, SOCK_DGRAM, 0);
    int r = sendto(u, "x", 1, 0, (struct sockaddr *)&a, sizeof a) < 0 ? errno : 0;
    printf("sendto ::1 (%s) = %s\n", state, errno_name(r));
    r = connect(t, (struct sockaddr *)&a, sizeof a) < 0 ? errno : 0;
    printf("connect tcp ::1 (%s) = %s\n", state, errno_name(r));
    r = bind(b, (struct sockaddr *)&a, sizeof a) < 0 ? errno : 0;
    printf("bind ::1 (%s) = %s\n", state, errno_name(r));
    close(u), close(t), close(b);
}

static char parent_range[64];

static void in_new_ns(int parent_ns, ino_t parent_ino)
{
    int old = socket(AF_INET, SOCK_STREAM, 0); /* made before: the parent's namespace */
    int nl_old = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    struct sockaddr_nl_k nla = {AF_NETLINK, 0, 0, 0};
    socklen_t nlen = sizeof nla;
    bind(nl_old, (struct sockaddr *)&nla, sizeof nla);
    getsockname(nl_old, (struct sockaddr *)&nla, &nlen);
    printf("netlink port id is the pid: %d\n", nla.pid == (unsigned)getpid());
    CHECK(unshare(CLONE_NEWNET));
    int nl_new = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    nla.pid = 0;
    bind(nl_new, (struct sockaddr *)&nla, sizeof nla);
    getsockname(nl_new, (struct sockaddr *)&nla, &nlen);
    printf("netlink port id in the new namespace is the pid too: %d\n", nla.pid == (unsigned)getpid());
    close(nl_new);
    close(nl_old);
    printf("ns/net differs from the parent's: %d\n", ns_ino("/proc/self/ns/net") != parent_ino);
    printf("lo flags %#x\n", lo_flags());
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifconf ic = {.ifc_len = 0, .ifc_buf = NULL};
    CHECK(ioctl(s, SIOCGIFCONF, &ic));
    printf("SIOCGIFCONF length %d\n", ic.ifc_len);
    struct ifreq r = {0};
    strcpy(r.ifr_name, "lo");
    CHECK(ioctl(s, SIOCGIFINDEX, &r));
    printf("lo index %d\n", r.ifr_ifindex);
    CHECK(ioctl(s, SIOCGIFADDR, &r));
    close(s);
    dump(RTM_GETLINK);
    dump(RTM_GETADDR);
    printf("if_inet6 lo lines %d\n", if_inet6_lines());
    printf("connect tcp 127.0.0.1 (down) = %s\n", errno_name(-try_connect(SOCK_STREAM, loop4(PORT))));
    printf("connect udp 127.0.0.1 (down) = %s\n", errno_name(-try_connect(SOCK_DGRAM, loop4(PORT))));
    printf("sendto 127.0.0.1 (down) = %s\n", errno_name(-sendto_lo()));
    printf("bind 127.0.0.1 (down) = %s\n", errno_name(-try_bind(SOCK_STREAM, loop4(PORT))));
    struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = htons(PORT)};
    printf("bind 0.0.0.0 (down) = %d\n", try_bind(SOCK_STREAM, any));
    six_loop("down");

    char text[64];
    read_text("/proc/sys/net/core/somaxconn", text, sizeof text);
    printf("somaxconn %s", text);
    read_text("/proc/sys/net/ipv4/ip_local_port_range", text, sizeof text);
    printf("ip_local_port_range %s", text);
    int opened;
    CHECK(write_text("/proc/sys/net/ipv4/ip_local_port_range", "40000 40009", &opened));
    read_text("/proc/sys/net/ipv4/ip_local_port_range", text, sizeof text);
    printf("ip_local_port_range %s", text);
    int e = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in ea = {.sin_family = AF_INET};
    socklen_t elen = sizeof ea;
    bind(e, (struct sockaddr *)&ea, sizeof ea);
    getsockname(e, (struct sockaddr *)&ea, &elen);
    printf("ephemeral port in 40000-40009: %d\n", ntohs(ea.sin_port) >= 40000 && ntohs(ea.sin_port) <= 40009);
    close(e);

    int m = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq mr = {0};
    strcpy(mr.ifr_name, "lo");
    mr.ifr_mtu = -1;
    CHECK(ioctl(m, SIOCSIFMTU, &mr));
    mr.ifr_mtu = 1500;
    CHECK(ioctl(m, SIOCSIFMTU, &mr));
    mr.ifr_mtu = 0;
    CHECK(ioctl(m, SIOCGIFMTU, &mr));
    printf("lo mtu %d\n", mr.ifr_mtu);
    close(m);
    set_lo(1);
    printf("lo flags %#x\n", lo_flags());
    dump(RTM_GETLINK);
    dump(RTM_GETADDR);
    printf("if_inet6 lo lines %d\n", if_inet6_lines());
    /* the parent listens on PORT (TCP) and has UDP PORT bound: not here */
    printf("connect tcp 127.0.0.1:PORT = %s\n", errno_name(-try_connect(SOCK_STREAM, loop4(PORT))));
    six_loop("up");
    printf("tcp listener listed: %d\n", tcp_listed());
    printf("bind udp PORT = %d\n", try_bind(SOCK_DGRAM, loop4(PORT)));
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loop4(PORT);
    CHECK(bind(l, (struct sockaddr *)&a, sizeof a));
    CHECK(listen(l, 4));
    printf("tcp listener listed: %d\n", tcp_listed());
    printf("connect tcp 127.0.0.1:PORT = %d\n", try_connect(SOCK_STREAM, loop4(PORT)));
    /* the old socket is the parent namespace's: PORT is taken there */
    printf("bind old socket to PORT = %s\n", errno_name(bind(old, (struct sockaddr *)&a, sizeof a) < 0 ? errno : 0));
    int nsfd = ioctl(old, SIOCGSKNS);
    printf("SIOCGSKNS old: the parent's: %d, type %#x\n", fd_ino(nsfd) == parent_ino, ioctl(nsfd, NS_GET_NSTYPE));
    int nsfd2 = ioctl(l, SIOCGSKNS);
    printf("SIOCGSKNS new: ours: %d\n", fd_ino(nsfd2) == ns_ino("/proc/self/ns/net"));
    close(nsfd);

    /* abstract names are the namespace's, path names the file system's */
    printf("connect abstract @netns-a = %s\n", errno_name(-unix_connect("\0netns-a", 9)));
    int u = unix_bind("\0netns-a", 9);
    printf("bind abstract @netns-a = %d\n", u >= 0);
    printf("connect abstract @netns-a = %d\n", unix_connect("\0netns-a", 9));
    printf("connect path = %d\n", unix_connect("/tmp/netns-test.sock", 21));
    close(u);

    set_lo(0);
    printf("lo flags %#x\n", lo_flags());
    dump(RTM_GETADDR);
    printf("if_inet6 lo lines %d\n", if_inet6_lines());

    printf("RTM_NEWLINK index 99 = %s\n", errno_name(-newlink(99, IFF_UP)));
    printf("RTM_NEWLINK lo up = %d\n", newlink(1, IFF_UP));
    printf("lo flags %#x\n", lo_flags());
    printf("connect tcp 127.0.0.1:PORT = %d\n", try_connect(SOCK_STREAM, loop4(PORT)));

    CHECK(setns(nsfd2, CLONE_NEWUTS));
    CHECK(setns(parent_ns, CLONE_NEWNET));
    printf("back in the parent's: %d\n", ns_ino("/proc/self/ns/net") == parent_ino);
    read_text("/proc/sys/net/ipv4/ip_local_port_range", text, sizeof text);
    printf("its ip_local_port_range is its own: %d\n", strcmp(text, parent_range) == 0);
    printf("lo flags %#x\n", lo_flags());
    printf("tcp listener listed: %d\n", tcp_listed());
    CHECK(setns(nsfd2, 0));
    printf("in ours again: %d\n", ns_ino("/proc/self/ns/net") == fd_ino(nsfd2));
    close(l);
    close(nsfd2);

    if (fork() == 0) {
        CHECK(setresuid(65534, 65534, 65534));
        CHECK(unshare(CLONE_NEWNET));
        CHECK(setns(parent_ns, CLONE_NEWNET));
        printf("RTM_NEWLINK as nobody = %s\n", errno_name(-newlink(1, 0)));
        set_lo(0);
        exit(0);
    }
    wait(NULL);
}

/* A socket made in a namespace whose only process then exits: passed
 * over an AF_UNIX socket, it keeps that namespace (its nsfs file, its
 * ports). */
static void passed_socket(ino_t mine, int back)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    if (fork() == 0) {
        unshare(CLONE_NEWNET);
        int u = socket(AF_INET, SOCK_DGRAM, 0);
        char c = 0, cbuf[CMSG_SPACE(sizeof(int))] = {0};
        struct iovec iov = {&c, 1};
        struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
        struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
        cm->cmsg_level = SOL_SOCKET, cm->cmsg_type = SCM_RIGHTS, cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &u, sizeof u);
        sendmsg(sv[1], &m, 0);
        exit(0);
    }
    wait(NULL);
    char c, cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {&c, 1};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    int u = -1;
    if (recvmsg(sv[0], &m, 0) == 1 && CMSG_FIRSTHDR(&m))
        memcpy(&u, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof u);
    int nsfd = ioctl(u, SIOCGSKNS);
    printf("passed socket: its namespace is another: %d\n", nsfd >= 0 && fd_ino(nsfd) != mine);
    struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = htons(PORT)};
    printf("passed socket: bind PORT = %d\n", bind(u, (struct sockaddr *)&any, sizeof any) < 0 ? -errno : 0);
    struct sockaddr_in a = loop4(PORT);
    printf("passed socket: sendto 127.0.0.1 (its lo down) = %s\n",
           errno_name(sendto(u, "x", 1, 0, (struct sockaddr *)&a, sizeof a) < 0 ? errno : 0));
    close(u);
    printf("setns to it after its last socket closed = %d\n", setns(nsfd, CLONE_NEWNET) < 0 ? -errno : 0);
    printf("lo flags %#x\n", lo_flags());
    close(nsfd);
    close(sv[0]), close(sv[1]);
    printf("setns back = %d\n", setns(back, CLONE_NEWNET) < 0 ? -errno : 0);
    printf("ns/net ours again: %d\n", ns_ino("/proc/self/ns/net") == mine);
}

static int child_fn(void *arg)
{
    printf("clone child: ns differs %d, lo flags %#x\n", ns_ino("/proc/self/ns/net") != *(ino_t *)arg, lo_flags());
    return 0;
}

/* persona-only: user.max_net_namespaces bounds the namespaces a user
 * makes (ENOSPC at it), which the host's comparison may not change. */
static void limit(void)
{
    char old[32];
    int opened;
    read_text("/proc/sys/user/max_net_namespaces", old, sizeof old);
    printf("max_net_namespaces above 0: %d\n", atoi(old) > 0);
    CHECK(write_text("/proc/sys/user/max_net_namespaces", "-1", &opened));
    CHECK(write_text("/proc/sys/user/max_net_namespaces", "1", &opened));
    if (fork() == 0) {
        CHECK(unshare(CLONE_NEWNET));
        CHECK(unshare(CLONE_NEWNET)); /* the first one is alive while this one is made */
        exit(0);
    }
    wait(NULL);
    CHECK(write_text("/proc/sys/user/max_net_namespaces", "0", &opened));
    CHECK(unshare(CLONE_NEWNET));
    write_text("/proc/sys/user/max_net_namespaces", old, &opened); /* as it was */
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 2 && strcmp(argv[1], "persona-only") == 0) {
        limit();
        return 0;
    }
    ino_t mine = ns_ino("/proc/self/ns/net");
    int parent_ns = open("/proc/self/ns/net", O_RDONLY);
    read_text("/proc/sys/net/ipv4/ip_local_port_range", parent_range, sizeof parent_range);
    printf("max_net_namespaces readable: %d\n", access("/proc/sys/user/max_net_namespaces", R_OK) == 0);
    int l = socket(AF_INET, SOCK_STREAM, 0), d = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = loop4(PORT);
    int one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    CHECK(bind(l, (struct sockaddr *)&a, sizeof a));
    CHECK(listen(l, 4));
    CHECK(bind(d, (struct sockaddr *)&a, sizeof a));
    int u = unix_bind("\0netns-a", 9);
    unlink("/tmp/netns-test.sock");
    int p = unix_bind("/tmp/netns-test.sock", 21);
    printf("parent's unix sockets bound: %d %d\n", u >= 0, p >= 0);
    fflush(stdout);
    if (fork() == 0) {
        in_new_ns(parent_ns, mine);
        exit(0);
    }
    wait(NULL);
    printf("parent's listener has a connection: %d\n",
           (fcntl(l, F_SETFL, O_NONBLOCK), accept(l, NULL, NULL) >= 0));
    printf("ns/net unchanged: %d\n", ns_ino("/proc/self/ns/net") == mine);

    passed_socket(mine, parent_ns);

    static char stack[65536];
    int pid = clone(child_fn, stack + sizeof stack, CLONE_NEWNET | SIGCHLD, &mine);
    waitpid(pid, NULL, 0);
    printf("clone CLONE_NEWNET: %d\n", pid > 0); /* after the child's line */
    struct { unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls; } args = {
        .flags = CLONE_NEWNET, .exit_signal = SIGCHLD};
    pid = (int)syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0) {
        child_fn(&mine);
        exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("clone3 CLONE_NEWNET: %d\n", pid > 0);
    if (fork() == 0) {
        CHECK(setresuid(65534, 65534, 65534));
        printf("clone as nobody = %s\n",
               errno_name(clone(child_fn, stack + sizeof stack, CLONE_NEWNET | SIGCHLD, &mine) < 0 ? errno : 0));
        exit(0);
    }
    wait(NULL);
    unlink("/tmp/netns-test.sock");
    return 0;
}
