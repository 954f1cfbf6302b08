/*
 * tests/linux/i386/mqueue32.c - POSIX message queues from a 32-bit
 * program, made raw (syscall(), i386 numbers): mq_open's compat_mq_attr
 * (read with O_CREAT only), mq_getsetattr's both ways, mq_timedsend and
 * mq_timedreceive with old_timespec32 deadlines (ETIMEDOUT, EINVAL,
 * EFAULT) and their _time64 forms, and mq_notify's compat_sigevent (the
 * signal's value an int).  Built gcc -m32 -static; the output must equal
 * the host Linux's running the same binary.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "../c/check.h"

struct ts32 { int32_t sec, nsec; };
struct attr32 { int32_t flags, maxmsg, msgsize, curmsgs, reserved[4]; };
struct sigevent32 { int32_t value, signo, notify, tid; int32_t pad[12]; };

static volatile int got, value, code;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    got++;
    value = si->si_value.sival_int;
    code = si->si_code;
}

static void show(const char *what, const struct attr32 *a)
{
    printf("%s: flags %#x maxmsg %d msgsize %d curmsgs %d reserved %d %d %d %d\n", what, a->flags, a->maxmsg,
           a->msgsize, a->curmsgs, a->reserved[0], a->reserved[1], a->reserved[2], a->reserved[3]);
}

int main(void)
{
    char name[64];
    snprintf(name, sizeof name, "persona-mq32-%d", getpid());
    struct attr32 a = {0, 3, 16, 0, {0}}, old;
    syscall(SYS_mq_unlink, name);

    CHECK(syscall(SYS_mq_open, name, O_RDWR | O_CREAT, 0600, (struct attr32 *)16));
    a.maxmsg = 0;
    CHECK(syscall(SYS_mq_open, name, O_RDWR | O_CREAT, 0600, &a));
    a.maxmsg = 3;
    int q = (int)syscall(SYS_mq_open, name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
    CHECK(q >= 0);
    /* without O_CREAT the attributes are not read: a bad address is no error */
    int q2 = (int)syscall(SYS_mq_open, name, O_RDONLY, 0, (struct attr32 *)16);
    CHECK(q2 >= 0);

    memset(&old, 0x55, sizeof old);
    CHECK(syscall(SYS_mq_getsetattr, q, NULL, &old));
    show("created", &old);
    struct attr32 nb = {O_NONBLOCK, 99, 99, 99, {7, 7, 7, 7}};
    memset(&old, 0x55, sizeof old);
    CHECK(syscall(SYS_mq_getsetattr, q, &nb, &old));
    show("old", &old);
    CHECK(syscall(SYS_mq_getsetattr, q, NULL, &old));
    show("nonblocking", &old);
    nb.flags = 0;
    CHECK(syscall(SYS_mq_getsetattr, q, &nb, NULL));
    CHECK(syscall(SYS_mq_getsetattr, q, (struct attr32 *)16, NULL));
    CHECK(syscall(SYS_mq_getsetattr, q, NULL, (struct attr32 *)16));

    struct ts32 past = {1, 0}, bad = {1, 1000000000};
    CHECK(syscall(SYS_mq_timedsend, q, "one", 3, 1, &past));
    CHECK(syscall(SYS_mq_timedsend, q, "two", 3, 5, NULL));
    CHECK(syscall(SYS_mq_timedsend, q, "three", 5, 2, &bad));
    CHECK(syscall(SYS_mq_timedsend, q, "three", 5, 2, (struct ts32 *)16));
    struct timespec past64 = {1, 0};
    CHECK(syscall(SYS_mq_timedsend_time64, q, "four", 4, 3, &past64));
    CHECK(syscall(SYS_mq_timedsend, q, "full", 4, 0, &past));
    CHECK(syscall(SYS_mq_getsetattr, q, NULL, &old));
    show("three in", &old);

    char buf[17];
    unsigned prio = 0;
    for (int i = 0; i < 3; i++) {
        memset(buf, 0, sizeof buf);
        long n = syscall(SYS_mq_timedreceive, q, buf, 16, &prio, &past);
        printf("received %ld '%s' prio %u\n", n, buf, prio);
    }
    CHECK(syscall(SYS_mq_timedreceive, q, buf, 16, NULL, &past));
    CHECK(syscall(SYS_mq_timedreceive, q, buf, 16, NULL, &bad));
    CHECK(syscall(SYS_mq_timedreceive, q, buf, 16, NULL, (struct ts32 *)16));
    CHECK(syscall(SYS_mq_timedreceive_time64, q, buf, 16, NULL, &past64));
    /* a deadline a little ahead: the wait ends with ETIMEDOUT */
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct ts32 soon = {(int32_t)now.tv_sec, (int32_t)now.tv_nsec + 50000000};
    if (soon.nsec >= 1000000000)
        soon.sec++, soon.nsec -= 1000000000;
    CHECK(syscall(SYS_mq_timedreceive, q, buf, 16, NULL, &soon));

    struct sigaction sa = {0};
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    struct sigevent32 ev = {0x12345678, SIGUSR1, SIGEV_SIGNAL, 0, {0}};
    CHECK(syscall(SYS_mq_notify, q, (struct sigevent32 *)16));
    CHECK(syscall(SYS_mq_notify, q, &ev));
    CHECK(syscall(SYS_mq_notify, q, &ev));
    CHECK(syscall(SYS_mq_timedsend, q, "wake", 4, 0, NULL));
    printf("signal %d value %#x code %d\n", got, value, code);
    ev.notify = 99;
    CHECK(syscall(SYS_mq_notify, q, &ev));
    ev.notify = SIGEV_NONE;
    CHECK(syscall(SYS_mq_notify, q, &ev));
    CHECK(syscall(SYS_mq_notify, q, NULL));
    CHECK(syscall(SYS_mq_notify, 999, NULL));

    close(q2);
    close(q);
    CHECK(syscall(SYS_mq_unlink, name));
    return 0;
}
