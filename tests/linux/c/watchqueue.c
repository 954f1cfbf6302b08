/*
 * tests/linux/c/watchqueue.c - watch queues: pipe2(O_NOTIFICATION_PIPE),
 * its writes (EXDEV) and whole-notification reads (ENOBUFS), the size and
 * filter ioctls with their errors, KEYCTL_WATCH_KEY and the keys'
 * notifications (updated, linked, unlinked, cleared, setattr, revoked,
 * invalidated, the watch's removal), a full queue's loss notification,
 * FIONREAD, poll, a read that waits for a notification, the end of
 * file, and splice's refusal.  Key ids differ between kernels: a
 * notification's key and aux are shown as the test's names for them.
 * Debian's kernel has watch queues, but a host built without them
 * (CONFIG_WATCH_QUEUE: pipe2 answers ENOPKG) cannot show them, so all but
 * the flags' check is the persona-only part: with the argument
 * "persona-only", its output must be watchqueue.persona-only.expected,
 * Linux 6.1's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#define KEYCTL(...) syscall(SYS_keyctl, __VA_ARGS__)
#define add_key(type, desc, data, len, ring) syscall(SYS_add_key, type, desc, data, (size_t)(len), ring)
#define O_NOTIFICATION_PIPE O_EXCL
#define IOC_WATCH_QUEUE_SET_SIZE _IO('W', 0x60)
#define IOC_WATCH_QUEUE_SET_FILTER _IO('W', 0x61)
#define KEYCTL_WATCH_KEY 32

struct type_filter {
    uint32_t type, info_filter, info_mask, subtype_filter[8];
};
struct filter {
    uint32_t nr_filters, reserved;
    struct type_filter filters[4];
};

static long ids[8];
static const char *names[8];
static int nnames;

static const char *name_of(uint32_t id)
{
    for (int i = 0; i < nnames; i++)
        if ((uint32_t)ids[i] == id)
            return names[i];
    return "other";
}

static void named(const char *name, long id) { names[nnames] = name, ids[nnames++] = id; }

/* One read of up to len bytes, each notification on its line. */
static void drain(int fd, size_t len)
{
    unsigned char buf[2048];
    ssize_t n = read(fd, buf, len);
    if (n < 0) {
        printf("read %zu: %s\n", len, errno_name(errno));
        return;
    }
    printf("read %zu: %zd bytes\n", len, n);
    for (ssize_t at = 0; at < n;) {
        uint32_t w[4] = {0};
        memcpy(w, buf + at, n - at < 16 ? (size_t)(n - at) : 16);
        uint32_t type = w[0] & 0xffffff, sub = w[0] >> 24, size = w[1] & 0x7f, id = (w[1] >> 8) & 0xff;
        if (type == 1)
            printf("  key  sub=%u len=%u watch=%u key=%s aux=%s\n", sub, size, id, name_of(w[2]),
                   sub == 2 || sub == 3 ? name_of(w[3]) : w[3] ? "nonzero" : "0");
        else
            printf("  meta sub=%u len=%u watch=%u%s%s\n", sub, size, id, size == 16 ? " key=" : "",
                   size == 16 ? name_of(w[2]) : "");
        if (size == 0)
            break;
        at += size;
    }
}

static int queue(int size, struct filter *f, int flags)
{
    int p[2];
    if (pipe2(p, O_NOTIFICATION_PIPE | flags) < 0) {
        printf("pipe2: %s\n", errno_name(errno));
        exit(1);
    }
    if (size)
        ioctl(p[0], IOC_WATCH_QUEUE_SET_SIZE, size);
    if (f)
        ioctl(p[0], IOC_WATCH_QUEUE_SET_FILTER, f);
    return p[0];
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int p[2], plain[2];
    CHECK(pipe2(p, O_NOTIFICATION_PIPE | O_APPEND));
    if (argc < 2 || strcmp(argv[1], "persona-only") != 0)
        return 0;
    CHECK(pipe2(p, O_NOTIFICATION_PIPE | O_CLOEXEC | O_NONBLOCK));
    CHECK(pipe(plain));
    CHECK(write(p[1], "x", 1));
    char c;
    CHECK(read(p[0], &c, 1));
    CHECK(read(p[0], &c, 0));
    int n = -1;
    CHECK(ioctl(p[0], FIONREAD, &n));
    printf("FIONREAD %d\n", n);
    CHECK(ioctl(p[0], IOC_WATCH_QUEUE_SET_SIZE, 0));
    CHECK(ioctl(p[0], IOC_WATCH_QUEUE_SET_SIZE, 513));
    CHECK(ioctl(p[0], IOC_WATCH_QUEUE_SET_SIZE, 8));
    CHECK(ioctl(p[0], IOC_WATCH_QUEUE_SET_SIZE, 8));
    CHECK(ioctl(p[1], IOC_WATCH_QUEUE_SET_SIZE, 8));
    CHECK(ioctl(plain[0], IOC_WATCH_QUEUE_SET_SIZE, 8));

    struct filter f = {.nr_filters = 0};
    CHECK(ioctl(p[0], IOC_WATCH_QUEUE_SET_FILTER, &f));
    f = (struct filter){.nr_filters = 17};
    CHECK(ioctl(p[0], IOC_WATCH_QUEUE_SET_FILTER, &f));
    f = (struct filter){.nr_filters = 1, .reserved = 1};
    CHECK(ioctl(p[0], IOC_WATCH_QUEUE_SET_FILTER, &f));
    f = (struct filter){.nr_filters = 1, .filters = {{.type = 1, .info_filter = 0x100, .info_mask = 0}}};
    CHECK(ioctl(p[0], IOC_WATCH_QUEUE_SET_FILTER, &f));
    f = (struct filter){.nr_filters = 1, .filters = {{.type = 1, .info_mask = 0x7f}}};
    CHECK(ioctl(p[0], IOC_WATCH_QUEUE_SET_FILTER, &f));
    CHECK(ioctl(p[0], IOC_WATCH_QUEUE_SET_FILTER, (void *)16));
    CHECK(ioctl(p[0], IOC_WATCH_QUEUE_SET_FILTER, NULL));
    f = (struct filter){.nr_filters = 3,
                        .filters = {{.type = 0, .subtype_filter = {UINT_MAX}},
                                    {.type = 1, .subtype_filter = {UINT_MAX}},
                                    {.type = 7, .subtype_filter = {UINT_MAX}}}};
    CHECK(ioctl(p[0], IOC_WATCH_QUEUE_SET_FILTER, &f));

    long ses = KEYCTL(1, NULL); /* a session keyring of the test's own */
    long key = add_key("user", "wq-key", "a", 1, -3), key2 = add_key("user", "wq-key2", "b", 1, -3);
    long hold = add_key("keyring", "wq-hold", NULL, 0, -2); /* the process keyring holds it: no key goes */
    CHECK(KEYCTL(8, hold, -3) == 0 && KEYCTL(8, key, hold) == 0 && KEYCTL(8, key2, hold) == 0);
    named("key", key), named("key2", key2), named("session", ses), named("hold", hold);
    CHECK(KEYCTL(KEYCTL_WATCH_KEY, key, p[0], 256));
    CHECK(KEYCTL(KEYCTL_WATCH_KEY, key, p[0], -2));
    CHECK(KEYCTL(KEYCTL_WATCH_KEY, key, plain[0], 1));
    CHECK(KEYCTL(KEYCTL_WATCH_KEY, key, 99, 1));
    CHECK(KEYCTL(KEYCTL_WATCH_KEY, 0x7ffffff0, p[0], 1));
    CHECK(KEYCTL(KEYCTL_WATCH_KEY, key, p[0], -1));
    CHECK(KEYCTL(KEYCTL_WATCH_KEY, key, p[0], 1));
    CHECK(KEYCTL(KEYCTL_WATCH_KEY, key, p[0], 3));
    CHECK(KEYCTL(KEYCTL_WATCH_KEY, -3, p[1], 2)); /* the write end names the queue too */
    drain(p[0], 1024);

    printf("-- changes\n");
    CHECK(KEYCTL(2, key, "new", 3));      /* KEYCTL_UPDATE */
    CHECK(add_key("user", "wq-key", "newer", 5, -3) == key);
    CHECK(KEYCTL(9, key2, -3));           /* unlink */
    CHECK(KEYCTL(8, key2, -3));           /* link */
    CHECK(KEYCTL(5, key, 0x3f3f0000));    /* setperm */
    CHECK(KEYCTL(15, key, 1000));         /* set_timeout */
    CHECK(KEYCTL(4, key, -1, -1));        /* chown of nothing: no notification */
    CHECK(KEYCTL(4, key, 0, 0));          /* chown */
    n = -1;
    CHECK(ioctl(p[0], FIONREAD, &n));
    printf("FIONREAD %d\n", n);
    struct pollfd pf = {p[0], POLLIN | POLLOUT, 0};
    CHECK(poll(&pf, 1, 0));
    printf("revents %#x\n", pf.revents);
    drain(p[0], 8);
    drain(p[0], 20);
    drain(p[0], 1024);
    pf.revents = 0;
    CHECK(poll(&pf, 1, 0));

    printf("-- a filter without the updates\n");
    f.filters[1].subtype_filter[0] = ~2u;
    CHECK(ioctl(p[0], IOC_WATCH_QUEUE_SET_FILTER, &f));
    CHECK(KEYCTL(2, key, "x", 1));
    CHECK(KEYCTL(5, key, 0x3f3f0000));
    drain(p[0], 1024);
    f.filters[1] = (struct type_filter){.type = 1, .info_filter = 0x200, .info_mask = 0xff00, .subtype_filter = {~0u}};
    CHECK(ioctl(p[0], IOC_WATCH_QUEUE_SET_FILTER, &f)); /* watch 2's alone */
    CHECK(KEYCTL(5, key, 0x3f3f0000));
    CHECK(KEYCTL(5, -3, 0x3f3f0000));
    drain(p[0], 1024);
    CHECK(ioctl(p[0], IOC_WATCH_QUEUE_SET_FILTER, NULL));

    printf("-- removal, revocation, invalidation\n");
    CHECK(KEYCTL(KEYCTL_WATCH_KEY, key, p[0], -1));
    CHECK(KEYCTL(KEYCTL_WATCH_KEY, key, p[0], -1));
    CHECK(KEYCTL(KEYCTL_WATCH_KEY, key2, p[0], 4));
    CHECK(KEYCTL(3, key2));  /* revoke */
    CHECK(KEYCTL(7, -3));    /* clear */
    drain(p[0], 1024);
    CHECK(KEYCTL(8, hold, -3)); /* a child's session holds it again */

    printf("-- a full queue\n");
    int q = queue(1, NULL, 0);
    long k3 = add_key("user", "wq-k3", "c", 1, hold);
    named("k3", k3);
    CHECK(KEYCTL(KEYCTL_WATCH_KEY, k3, q, 5));
    for (int i = 0; i < 40; i++)
        KEYCTL(2, k3, "d", 1);
    n = -1;
    CHECK(ioctl(q, FIONREAD, &n));
    printf("FIONREAD %d\n", n);
    unsigned char big[2048];
    CHECK(read(q, big, 4));
    ssize_t got = read(q, big, sizeof big);
    uint32_t first[2];
    memcpy(first, big, 8);
    printf("read: %zd bytes, first type %u sub %u len %u\n", got, first[0] & 0xffffff, first[0] >> 24, first[1] & 0x7f);
    int nq = queue(0, NULL, O_NONBLOCK); /* no size: every notification is lost */
    long k4 = add_key("user", "wq-k4", "c", 1, hold);
    CHECK(KEYCTL(KEYCTL_WATCH_KEY, k4, nq, 6));
    CHECK(KEYCTL(2, k4, "d", 1));
    drain(nq, 1024);

    printf("-- a read that waits, and the end\n");
    int w[2];
    CHECK(pipe2(w, O_NOTIFICATION_PIPE));
    CHECK(ioctl(w[0], IOC_WATCH_QUEUE_SET_SIZE, 4));
    CHECK(KEYCTL(KEYCTL_WATCH_KEY, k3, w[0], 7));
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec ts = {0, 200000000};
        nanosleep(&ts, NULL);
        KEYCTL(2, k3, "e", 1);
        _exit(0);
    }
    drain(w[0], 1024);
    waitpid(pid, NULL, 0);
    CHECK(splice(w[0], NULL, plain[1], NULL, 16, 0));
    CHECK(tee(w[0], plain[1], 16, 0));
    CHECK(close(w[1]));
    CHECK(read(w[0], big, sizeof big));
    pf = (struct pollfd){w[0], POLLIN, 0};
    CHECK(poll(&pf, 1, 0));
    printf("revents %#x\n", pf.revents);
    KEYCTL(7, hold);
    return 0;
}
