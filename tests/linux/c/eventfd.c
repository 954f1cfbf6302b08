/*
 * tests/linux/c/eventfd.c - eventfd and timerfd: counts added and taken,
 * the semaphore mode, non-blocking reads, a reader woken by a child's
 * write, poll on both, a periodic timerfd counting its expirations,
 * gettime, disarming, bad input, the alarm clocks (root's: EPERM for
 * another user), and sendfile into one (EINVAL: it is no file to write
 * pages to).  A buffer past user space is EFAULT before the file is asked
 * (vfs_read's access_ok: an empty non-blocking eventfd or pipe, a huge
 * count), a write end's read EBADF first; a user-space buffer the copy
 * faults on takes the count all the same; TFD_IOC_SET_TICKS.  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, ssize_t r, uint64_t v)
{
    if (r < 0)
        printf("%s: %zd %s\n", what, r, strerror(errno));
    else
        printf("%s: %zd, value %llu\n", what, r, (unsigned long long)v);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    uint64_t v = 0;
    int e = eventfd(3, EFD_NONBLOCK);
    ssize_t r = read(e, &v, 8);
    show("initial count", r, v);
    r = read(e, &v, 8);
    show("empty, non-blocking", r, v);
    v = 5;
    write(e, &v, 8);
    v = 2;
    write(e, &v, 8);
    r = read(e, &v, 8);
    show("after adding 5 and 2", r, v);
    r = read(e, &v, 4);
    show("a short buffer", r, v);
    v = ~0ull;
    r = write(e, &v, 8);
    show("writing the maximum", r, v);
    v = 0xfffffffffffffffeull;
    write(e, &v, 8);
    v = 1;
    r = write(e, &v, 8);
    show("overflowing, non-blocking", r, v);
    read(e, &v, 8);
    close(e);

    int s = eventfd(2, EFD_SEMAPHORE);
    r = read(s, &v, 8);
    show("semaphore", r, v);
    r = read(s, &v, 8);
    show("semaphore again", r, v);
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec ts = {0, 50000000};
        nanosleep(&ts, NULL);
        uint64_t one = 1;
        write(s, &one, 8);
        _exit(0);
    }
    r = read(s, &v, 8); /* blocks until the child writes */
    show("woken by the child", r, v);
    waitpid(pid, NULL, 0);
    struct pollfd pf = {s, POLLIN | POLLOUT, 0};
    printf("poll on an empty eventfd: %d, revents 0x%x\n", poll(&pf, 1, 0), pf.revents);
    struct stat st;
    fstat(s, &st);
    printf("fstat: a regular file %d, a fifo %d\n", S_ISREG(st.st_mode), S_ISFIFO(st.st_mode));
    close(s);

    int t = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {{0, 20000000}, {0, 20000000}}, cur;
    timerfd_settime(t, 0, &its, NULL);
    r = read(t, &v, 8); /* the first expiry */
    show("first expiry", r, v > 0);
    struct timespec ts = {0, 70000000};
    nanosleep(&ts, NULL);
    r = read(t, &v, 8);
    printf("after 70 ms: %zd, at least 2 expiries %d\n", r, v >= 2);
    timerfd_gettime(t, &cur);
    printf("gettime: interval %ld ns, armed %d\n", cur.it_interval.tv_nsec, cur.it_value.tv_sec || cur.it_value.tv_nsec);
    struct itimerspec off = {{0, 0}, {0, 0}};
    timerfd_settime(t, 0, &off, &cur);
    printf("disarmed; old interval %ld ns\n", cur.it_interval.tv_nsec);
    timerfd_gettime(t, &cur);
    printf("now armed %d\n", cur.it_value.tv_sec || cur.it_value.tv_nsec);
    pf = (struct pollfd){t, POLLIN, 0};
    printf("poll on a disarmed timer, 30 ms: %d\n", poll(&pf, 1, 30));
    r = write(t, &v, 8);
    show("writing a timerfd", r, v);
    its = (struct itimerspec){{0, 0}, {0, 1000000000}};
    r = timerfd_settime(t, 0, &its, NULL);
    show("nanoseconds out of range", r, 0);
    r = timerfd_create(99, 0);
    show("a bad clock", r, 0);
    /* the alarm clocks: root's (CAP_WAKE_ALARM), with or without a device to wake the machine */
    for (int clock = CLOCK_REALTIME_ALARM; clock <= CLOCK_BOOTTIME_ALARM; clock++) {
        int a = timerfd_create(clock, 0);
        printf("alarm clock %d: %s\n", clock, a < 0 ? strerror(errno) : "made");
        its = (struct itimerspec){{0, 0}, {0, 10000000}};
        if (clock == CLOCK_REALTIME_ALARM) /* absolute, on the wall clock */
            clock_gettime(CLOCK_REALTIME, &its.it_value), its.it_value.tv_nsec = 0, its.it_value.tv_sec++;
        timerfd_settime(a, clock == CLOCK_REALTIME_ALARM ? TFD_TIMER_ABSTIME : 0, &its, NULL);
        v = 0;
        r = read(a, &v, 8);
        show("  its expiry read", r, v);
        close(a);
        fflush(stdout);
        if (fork() == 0) {
            setuid(65534);
            r = timerfd_create(clock, 0);
            show("  another user's", r, 0);
            _exit(0);
        }
        wait(NULL);
    }
    r = eventfd(0, 0x40);
    show("bad eventfd flags", r, 0);
    int in = open("sendfile-in", O_RDWR | O_CREAT | O_TRUNC, 0644);
    unlink("sendfile-in");
    write(in, "12345678", 8);
    lseek(in, 0, SEEK_SET);
    r = sendfile(e = eventfd(0, 0), in, NULL, 8);
    show("sendfile into an eventfd", r, 0);
    r = sendfile(t, in, NULL, 8);
    show("sendfile into a timerfd", r, 0);
    int empty = eventfd(0, EFD_NONBLOCK), pfd[2], zero = open("/dev/zero", O_RDONLY);
    char small[8];
    pipe2(pfd, O_NONBLOCK);
    show("empty eventfd, buffer past user space", read(empty, (void *)-1, 8), 0);
    show("empty eventfd, kernel buffer", read(empty, (void *)0xffff800000000000ull, 8), 0);
    show("empty eventfd, short buffer past user space", read(empty, (void *)-1, 4), 0);
    show("empty pipe, buffer past user space", read(pfd[0], (void *)-1, 8), 0);
    show("pipe's write end, buffer past user space", read(pfd[1], (void *)-1, 8), 0);
    show("pipe, write from past user space", write(pfd[1], (void *)-1, 8), 0);
    show("/dev/zero, count past user space", read(zero, small, (size_t)-1), 0);
    show("/dev/zero, pread past user space", pread(zero, (void *)-8, 8, 0), 0);
    show("/dev/zero, count 0 past user space", read(zero, (void *)-1, 0), 0);
    int full = eventfd(5, EFD_NONBLOCK);
    show("eventfd, unmapped buffer", read(full, (void *)8, 8), 0);
    r = read(full, &v, 8);
    show("eventfd, after it", r, v);
    show("eventfd, an ioctl", ioctl(full, 0x40085400, &v), 0);
    int ticks = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    uint64_t set = 7, none = 0;
    show("TFD_IOC_SET_TICKS 0", ioctl(ticks, 0x40085400, &none), 0);
    show("TFD_IOC_SET_TICKS, unmapped", ioctl(ticks, 0x40085400, (void *)8), 0);
    show("TFD_IOC_SET_TICKS 7", ioctl(ticks, 0x40085400, &set), 0);
    show("timerfd, unmapped buffer", read(ticks, (void *)8, 8), 0);
    r = read(ticks, &v, 8);
    show("timerfd, after it", r, v);
    show("TFD_IOC_SET_TICKS 7", ioctl(ticks, 0x40085400, &set), 0);
    r = read(ticks, &v, 8);
    show("timerfd, its count", r, v);
    show("timerfd, another ioctl", ioctl(ticks, 0x40085401, &set), 0);
    return 0;
}
