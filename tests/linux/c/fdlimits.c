/* Descriptor limits as Linux's: a table that grows with RLIMIT_NOFILE (up
 * to fs.nr_open), dup2 and F_DUPFD at its end, select and poll past the
 * first 1024 descriptors, and /proc/self/status's FDSize as it grows. */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <unistd.h>

static int fdsize(void)
{
    char line[256];
    int n = -1;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        sscanf(line, "FDSize: %d", &n);
    if (f)
        fclose(f);
    return n;
}

int main(void)
{
    struct rlimit rl;
    long nr_open = 0;
    FILE *f = fopen("/proc/sys/fs/nr_open", "r");
    if (!f || fscanf(f, "%ld", &nr_open) != 1)
        return 1;
    fclose(f);
    /* the hard limit as it is (Linux's default is 4096; raising it is root's, and
     * the host's root here may not have CAP_SYS_RESOURCE) */
    getrlimit(RLIMIT_NOFILE, &rl);
    printf("the hard limit is at least 4096: %d\n", rl.rlim_max >= 4096);
    rl.rlim_cur = 1024;
    CHECK(setrlimit(RLIMIT_NOFILE, &rl));
    CHECK(dup2(0, 1023));
    CHECK(dup2(0, 1024));
    CHECK(fcntl(0, F_DUPFD, 1023));
    CHECK(fcntl(0, F_DUPFD, 1000));
    CHECK(fcntl(0, F_DUPFD, 1024));
    printf("FDSize with 1023 open: %d\n", fdsize());
    close(1023), close(1000), close(1001);

    /* as many descriptors as the soft limit allows */
    int n = 0, last = -1;
    for (;;) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd < 0) {
            printf("open fails after %s: %s\n", n > 1000 ? "over 1000 more" : "too few", strerror(errno));
            break;
        }
        last = fd, n++;
    }
    printf("the last descriptor: %d\n", last);
    for (int fd = 3; fd <= last; fd++)
        close(fd);

    /* a higher soft limit, up to the hard one; never past nr_open */
    rl.rlim_cur = 4096;
    CHECK(setrlimit(RLIMIT_NOFILE, &rl));
    int null = open("/dev/null", O_RDONLY);
    CHECK(dup2(null, 4000));
    close(null);
    printf("FDSize with 4000 open: %d\n", fdsize());
    struct rlimit big = {nr_open + 1, nr_open + 1};
    CHECK(setrlimit(RLIMIT_NOFILE, &big));

    /* select and poll past 1024: a pipe at 3000 */
    int p[2];
    CHECK(pipe(p));
    CHECK(dup2(p[0], 3000));
    CHECK(write(p[1], "x", 1));
    static uint64_t set[4096 / 64];
    set[3000 / 64] |= 1ull << (3000 % 64);
    set[4000 / 64] |= 1ull << (4000 % 64);
    struct timeval tv = {0, 0};
    CHECK(select(4001, (fd_set *)set, NULL, NULL, &tv));
    printf("3000 readable: %d, 4000 readable: %d\n", !!(set[3000 / 64] & (1ull << (3000 % 64))),
           !!(set[4000 / 64] & (1ull << (4000 % 64))));
    struct pollfd pfd = {3000, POLLIN, 0};
    CHECK(poll(&pfd, 1, 0));
    printf("revents %#x\n", pfd.revents);

    /* poll: more entries than the soft limit is EINVAL */
    static struct pollfd many[4097];
    for (int i = 0; i < 4097; i++)
        many[i].fd = -1;
    CHECK(poll(many, 4096, 0));
    CHECK(poll(many, 4097, 0));

    /* a lower soft limit than an open descriptor: it stays open, new ones stop there */
    rl.rlim_cur = 64;
    CHECK(setrlimit(RLIMIT_NOFILE, &rl));
    CHECK(fcntl(3000, F_GETFD));
    CHECK(dup(3000) < 64);
    CHECK(dup2(0, 64));
    return 0;
}
