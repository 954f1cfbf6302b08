/*
 * tests/linux/fuzz/tcpscale.c - the loopback at scale: TCP connections
 * opened, used for a byte each way and closed, 1,000 to warm up and then
 * 10,000 more, must leave the free memory where the warm-up left it, and
 * /proc/net/tcp listing only the listener.  Then 1,000 connections stay
 * open and idle while the program checks that all 2,000 ends still answer.
 * Persona only (the host's free memory moves with everything else on it);
 * tests/run-all.py runs it with the fuzzers.  How much the idle ones cost
 * an unrelated call is measured, not asserted: tests/bench's
 * null_syscall_idle row.
 */
#include "slots.h"
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* A /proc/net/tcp line of a timewait socket: TIME_WAIT (06), or an orphan
 * in FIN_WAIT2 (05), which a closed connection leaves for a while, as
 * Linux's (tcp_max_tw_buckets of them at most). */
static int timewait(const char *line)
{
    char st[8] = "";
    sscanf(line, "%*s %*s %*s %7s", st);
    return !strcmp(st, "06") || !strcmp(st, "05");
}

/* The sockets /proc/net/tcp lists, timewait ones left out (tw: those
 * counted instead). */
static int tcp_listed_tw(int tw)
{
    int n = tw ? 0 : -1;
    char line[256];
    FILE *f = fopen("/proc/net/tcp", "r");
    while (f && fgets(line, sizeof line, f))
        n += timewait(line) == tw;
    if (f)
        fclose(f);
    return n;
}

static int tcp_listed(void) { return tcp_listed_tw(0); }

/* One connection to the listener: its two ends in e[0] (ours) and e[1]. */
static void connect_one(int l, const struct sockaddr_in *to, int e[2])
{
    e[0] = socket(AF_INET, SOCK_STREAM, 0);
    if (e[0] < 0 || connect(e[0], (const struct sockaddr *)to, sizeof *to))
        die("connect");
    e[1] = accept(l, NULL, NULL);
    if (e[1] < 0)
        die("accept");
}

static void round_trip(const int e[2])
{
    char c = 'x';
    if (write(e[0], &c, 1) != 1 || read(e[1], &c, 1) != 1 || write(e[1], &c, 1) != 1 || read(e[0], &c, 1) != 1)
        die("round trip");
}

static void churn(int l, const struct sockaddr_in *to, int n)
{
    for (int i = 0; i < n; i++) {
        int e[2];
        connect_one(l, to, e);
        round_trip(e);
        close(e[0]);
        close(e[1]);
    }
}

int main(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 16) ||
        getsockname(l, (struct sockaddr *)&a, &len))
        die("listener");

    churn(l, &a, 1000);
    long before = mem_free_kb();
    churn(l, &a, 10000);
    long grew = before - mem_free_kb();
    printf("tcpscale: 10000 connections opened and closed, memory %s\n", grew < 64 ? "level" : "grew");
    if (grew >= 64)
        printf("tcpscale: grew by %ld KiB\n", grew);
    printf("tcpscale: /proc/net/tcp lists %d socket(s)\n", tcp_listed());
    int tw = tcp_listed_tw(1); /* one per connection, up to tcp_max_tw_buckets */
    printf("tcpscale: timewait sockets after 11000 closes: %s\n", !tw ? "none" : tw < 1100 ? "some, within the limit" : "too many");

    struct rlimit r;
    getrlimit(RLIMIT_NOFILE, &r);
    r.rlim_cur = r.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &r))
        die("setrlimit");
    static int idle[1000][2];
    for (int i = 0; i < 1000; i++)
        connect_one(l, &a, idle[i]);
    int answered = 0;
    for (int i = 0; i < 1000; i++) {
        round_trip(idle[i]);
        struct pollfd p[2] = {{idle[i][0], POLLIN, 0}, {idle[i][1], POLLIN, 0}};
        answered += poll(p, 2, 0) == 0 ? 2 : 0;
    }
    printf("tcpscale: 1000 idle connections open, %d ends answer and have nothing to read\n", answered);
    printf("tcpscale: /proc/net/tcp lists %d socket(s)\n", tcp_listed());
    return 0;
}
