/*
 * tests/linux/c/inotify.c - inotify: the calls' errors, watches on a
 * directory and on files (the same watch for the same inode), the events
 * of creating, opening, reading, writing, changing, renaming (cookies
 * that match) and removing, IN_ISDIR, IN_IGNORED, IN_ONESHOT,
 * IN_MASK_ADD, IN_MASK_CREATE, IN_ONLYDIR, IN_DONT_FOLLOW, IN_EXCL_UNLINK,
 * identical events merged, reads too small, FIONREAD, a read that waits,
 * poll and epoll readiness, the queue's overflow, /proc/sys/fs/inotify,
 * two instances, watched directories renamed and removed, an instance
 * closed by an exit, and how an instance shows in /proc.  One line per
 * check; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/sendfile.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "showfile.h"

#define D "/tmp/inotify-test"

static const char *names[] = {"ACCESS", "MODIFY", "ATTRIB", "CLOSE_WRITE", "CLOSE_NOWRITE", "OPEN", "MOVED_FROM",
                              "MOVED_TO", "CREATE", "DELETE", "DELETE_SELF", "MOVE_SELF", "?", "UNMOUNT",
                              "Q_OVERFLOW", "IGNORED"};

static void show_mask(uint32_t m)
{
    for (int i = 0; i < 16; i++)
        if (m & (1u << i))
            printf(" %s", names[i]);
    if (m & IN_ISDIR)
        printf(" ISDIR");
    if (m & ~(IN_ISDIR | 0xffffu))
        printf(" other:%#x", m & ~(IN_ISDIR | 0xffffu));
}

static uint32_t last_cookie;

/* Reads what is queued (the instance is non-blocking) and shows each. */
static int drain(int fd, const char *what)
{
    char buf[4096] __attribute__((aligned(8)));
    int count = 0;
    printf("%s:\n", what);
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno != EAGAIN)
                printf("  read: %s\n", strerror(errno));
            break;
        }
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *e = (struct inotify_event *)p;
            printf("  wd %d", e->wd);
            show_mask(e->mask);
            if (e->mask & IN_MOVED_FROM)
                last_cookie = e->cookie;
            if (e->mask & (IN_MOVED_FROM | IN_MOVED_TO))
                printf(" cookie_set %d", e->cookie != 0);
            if (e->mask & IN_MOVED_TO)
                printf(" cookie_matches %d", e->cookie == last_cookie);
            else if (!(e->mask & IN_MOVED_FROM) && e->cookie)
                printf(" cookie %u", e->cookie);
            printf(" len %u name \"%s\"\n", e->len, e->len ? e->name : "");
            p += sizeof *e + e->len;
            count++;
        }
    }
    return count;
}

static void touch(const char *path)
{
    int fd = open(path, O_CREAT | O_WRONLY, 0644);
    close(fd);
}

static void show_sysctl(const char *name)
{
    char path[128], buf[32] = "";
    snprintf(path, sizeof path, "/proc/sys/fs/inotify/%s", name);
    int fd = open(path, O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    long v = 0;
    sscanf(buf, "%ld", &v);
    printf("%s: read %d value_ok %d\n", name, n > 0, strcmp(name, "max_user_watches") ? v > 0 : v >= 8192);
    if (strcmp(name, "max_user_watches"))
        printf("  %s", buf);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char rm[64];
    for (const char *n = "abcdefgoxyzl"; *n; n++) {
        snprintf(rm, sizeof rm, D "/%c", *n);
        unlink(rm);
    }
    rmdir(D "/sub");
    rmdir(D);
    mkdir(D, 0755);

    /* the errors */
    CHECK(inotify_init1(1));
    CHECK(inotify_init1(IN_NONBLOCK | 4));
    CHECK(inotify_add_watch(77, D, IN_ALL_EVENTS));
    CHECK(inotify_add_watch(77, D, 0));
    CHECK(inotify_add_watch(0, D, IN_ALL_EVENTS));
    CHECK(inotify_rm_watch(77, 1));
    CHECK(inotify_rm_watch(0, 1));
    int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    CHECK(in >= 0);
    CHECK(inotify_add_watch(in, D, 0));
    CHECK(inotify_add_watch(in, D, IN_MASK_ADD | IN_MASK_CREATE | IN_OPEN));
    CHECK(inotify_add_watch(in, D, 0x00100000 | IN_OPEN)); /* a bit inotify does not have */
    CHECK(inotify_add_watch(77, D, 0x00100000 | IN_OPEN));
    CHECK(inotify_add_watch(in, D "/none", IN_ALL_EVENTS));
    CHECK(inotify_add_watch(in, (char *)16, IN_ALL_EVENTS));
    CHECK(inotify_add_watch(in, "", IN_ALL_EVENTS));
    CHECK(inotify_rm_watch(in, 1));
    CHECK(inotify_rm_watch(in, -1));
    CHECK(fcntl(in, F_GETFD));
    CHECK(fcntl(in, F_GETFL) & (O_NONBLOCK | O_ACCMODE));
    show_file(in);
    char buf[256];
    CHECK(read(in, buf, sizeof buf));
    CHECK(write(in, buf, 8));
    CHECK(lseek(in, 0, SEEK_END));
    CHECK(pread(in, buf, sizeof buf, 0));
    CHECK(ioctl(in, FIONREAD, (int *)16));
    int queued = -1;
    CHECK(ioctl(in, FIONREAD, &queued));
    printf("queued %d\n", queued);
    show_sysctl("max_queued_events");
    show_sysctl("max_user_instances");
    show_sysctl("max_user_watches");

    /* a directory's events */
    int wd = inotify_add_watch(in, D, IN_ALL_EVENTS);
    printf("wd %d\n", wd);
    CHECK(inotify_add_watch(in, D "/", IN_ALL_EVENTS) == wd);
    CHECK(inotify_add_watch(in, D, IN_ALL_EVENTS | IN_MASK_CREATE));
    int fd = open(D "/a", O_CREAT | O_WRONLY, 0644);
    CHECK(write(fd, "hello", 5));
    CHECK(write(fd, "hello", 5)); /* merged with the one before */
    CHECK(ioctl(in, FIONREAD, &queued));
    printf("queued %d\n", queued);
    close(fd);
    drain(in, "create, write, close");
    fd = open(D "/a", O_RDONLY);
    CHECK(read(fd, buf, 3));
    CHECK(pread(fd, buf, 3, 1));
    close(fd);
    CHECK(chmod(D "/a", 0600));
    CHECK(utimensat(AT_FDCWD, D "/a", NULL, 0));
    CHECK(truncate(D "/a", 2));
    fd = open(D "/a", O_WRONLY | O_TRUNC);
    close(fd);
    drain(in, "read, chmod, utimes, truncate");
    CHECK(mkdir(D "/sub", 0755));
    fd = open(D, O_RDONLY | O_DIRECTORY);
    CHECK(syscall(SYS_getdents64, fd, buf, sizeof buf) > 0);
    close(fd);
    CHECK(rmdir(D "/sub"));
    CHECK(symlink("a", D "/l"));
    CHECK(link(D "/a", D "/b"));
    CHECK(unlink(D "/b"));
    drain(in, "mkdir, list, rmdir, symlink, link, unlink");

    /* a watch on the file too: both see a change; renames; removal */
    int wa = inotify_add_watch(in, D "/a", IN_ALL_EVENTS);
    printf("wa %d\n", wa);
    CHECK(inotify_add_watch(in, D "/l", IN_ALL_EVENTS) == wa); /* the symlink followed */
    int wl = inotify_add_watch(in, D "/l", IN_ALL_EVENTS | IN_DONT_FOLLOW);
    printf("wl %d\n", wl);
    CHECK(inotify_add_watch(in, D "/a", IN_ALL_EVENTS | IN_ONLYDIR));
    CHECK(chmod(D "/a", 0644));
    CHECK(rename(D "/a", D "/b"));
    touch(D "/c");
    CHECK(rename(D "/b", D "/c"));
    drain(in, "two watches, renames");
    CHECK(unlink(D "/c"));
    CHECK(unlink(D "/l"));
    drain(in, "unlink of a watched file");
    CHECK(inotify_rm_watch(in, wa));

    /* IN_ONESHOT, IN_MASK_ADD, a changed mask, inotify_rm_watch */
    touch(D "/d");
    drain(in, "touch");
    int wo = inotify_add_watch(in, D "/d", IN_ATTRIB | IN_ONESHOT);
    printf("wo %d\n", wo);
    CHECK(chmod(D "/d", 0600));
    CHECK(chmod(D "/d", 0644));
    CHECK(inotify_rm_watch(in, wd));
    drain(in, "oneshot, rm_watch");
    CHECK(inotify_rm_watch(in, wo));
    int wm = inotify_add_watch(in, D "/d", IN_ATTRIB);
    CHECK(inotify_add_watch(in, D "/d", IN_MODIFY | IN_MASK_ADD) == wm);
    fd = open(D "/d", O_WRONLY);
    CHECK(write(fd, "x", 1));
    CHECK(fchmod(fd, 0600));
    CHECK(inotify_add_watch(in, D "/d", IN_CLOSE) == wm);
    CHECK(write(fd, "x", 1));
    close(fd);
    drain(in, "mask add, new mask");
    CHECK(inotify_rm_watch(in, wm));
    drain(in, "rm_watch");

    /* an unlinked file's events are still the directory's, unless
     * IN_EXCL_UNLINK */
    wd = inotify_add_watch(in, D, IN_ALL_EVENTS);
    fd = open(D "/e", O_CREAT | O_RDWR, 0644);
    CHECK(unlink(D "/e"));
    CHECK(write(fd, "x", 1));
    close(fd);
    drain(in, "unlinked while open");
    CHECK(inotify_add_watch(in, D, IN_ALL_EVENTS | IN_EXCL_UNLINK) == wd);
    fd = open(D "/e", O_CREAT | O_RDWR, 0644);
    CHECK(unlink(D "/e"));
    CHECK(write(fd, "x", 1));
    close(fd);
    drain(in, "excl_unlink");

    /* reads too small, FIONREAD, poll, epoll, a read that waits */
    touch(D "/f");
    CHECK(ioctl(in, FIONREAD, &queued));
    printf("queued %d\n", queued);
    CHECK(read(in, buf, 16));
    CHECK(read(in, buf, 0));
    CHECK(read(in, buf, 40)); /* one event fits */
    struct pollfd pfd = {in, POLLIN | POLLOUT | POLLRDNORM, 0};
    CHECK(poll(&pfd, 1, 0));
    printf("revents %#x\n", pfd.revents);
    CHECK(read(in, (char *)16, sizeof buf)); /* lost, as on Linux */
    drain(in, "the rest");
    CHECK(poll(&pfd, 1, 0));
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 9}, out[2];
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, in, &ev));
    pid_t child = fork();
    if (child == 0) {
        usleep(100000);
        touch(D "/g");
        _exit(0);
    }
    CHECK(epoll_wait(ep, out, 2, 5000));
    printf("events %#x data %lu\n", out[0].events, (unsigned long)out[0].data.u64);
    waitpid(child, NULL, 0);
    drain(in, "after epoll");
    int bin = inotify_init();
    CHECK(bin >= 0);
    CHECK(fcntl(bin, F_GETFL) & O_NONBLOCK);
    CHECK(inotify_add_watch(bin, D, IN_CREATE));
    child = fork();
    if (child == 0) {
        usleep(100000);
        touch(D "/x");
        _exit(0);
    }
    ssize_t n = read(bin, buf, sizeof buf);
    struct inotify_event *e = (struct inotify_event *)buf;
    printf("blocking read %zd wd %d mask %#x name %s\n", n, e->wd, e->mask, e->name);
    waitpid(child, NULL, 0);
    close(bin);

    /* the queue overflows past max_queued_events */
    int fx = open(D "/x", O_WRONLY), fy = open(D "/y", O_CREAT | O_WRONLY, 0644);
    drain(in, "open x, y");
    for (int i = 0; i < 8200; i++) {
        pwrite(fx, "x", 1, 0);
        pwrite(fy, "y", 1, 0);
    }
    CHECK(ioctl(in, FIONREAD, &queued));
    printf("queued %d\n", queued);
    int total = 0, overflows = 0, last_wd = 0;
    uint32_t last_mask = 0;
    for (;;) {
        static char big[65536] __attribute__((aligned(8)));
        ssize_t k = read(in, big, sizeof big);
        if (k <= 0)
            break;
        for (char *p = big; p < big + k;) {
            struct inotify_event *q = (struct inotify_event *)p;
            total++;
            overflows += (q->mask & IN_Q_OVERFLOW) != 0;
            last_wd = q->wd, last_mask = q->mask;
            p += sizeof *q + q->len;
        }
    }
    printf("events %d overflows %d last wd %d mask %#x\n", total, overflows, last_wd, last_mask);
    close(fx);
    close(fy);
    drain(in, "after the overflow");

    /* sendfile: an access of one, a modification of the other */
    fd = open(D "/x", O_RDONLY);
    int fo = open(D "/y", O_WRONLY);
    CHECK(sendfile(fo, fd, NULL, 1));
    close(fd);
    close(fo);
    drain(in, "sendfile");

    /* two instances; a watched directory renamed with an open file in it,
     * renamed over an empty one; an instance closed by its process's exit */
    CHECK(mkdir(D "/s", 0755));
    CHECK(mkdir(D "/s/b", 0755));
    CHECK(mkdir(D "/t", 0755));
    drain(in, "mkdir s, s/b, t");
    int i2 = inotify_init1(IN_NONBLOCK);
    int ws = inotify_add_watch(in, D "/s", IN_ALL_EVENTS), wb = inotify_add_watch(in, D "/s/b", IN_ALL_EVENTS);
    int wt = inotify_add_watch(in, D "/t", IN_ALL_EVENTS);
    printf("ws %d wb %d wt %d\n", ws, wb, wt);
    CHECK(inotify_add_watch(i2, D "/s", IN_ALL_EVENTS | IN_ONESHOT));
    CHECK(inotify_add_watch(i2, D "/t", IN_MOVED_TO));
    fd = open(D "/s/b/x", O_CREAT | O_RDWR, 0600);
    CHECK(write(fd, "a", 1));
    CHECK(rename(D "/s/b", D "/t/b2"));
    CHECK(write(fd, "b", 1));
    close(fd);
    drain(in, "a directory renamed");
    drain(i2, "the other instance");
    CHECK(rename(D "/t/b2/x", D "/t/y"));
    CHECK(mkdir(D "/t/d", 0755));
    CHECK(rename(D "/t/b2", D "/t/d"));
    drain(in, "renamed over an empty directory");
    drain(i2, "the other instance");
    child = fork();
    if (child == 0) {
        int i3 = inotify_init1(0);
        inotify_add_watch(i3, D "/t", IN_ALL_EVENTS);
        inotify_add_watch(i3, D "/t/y", IN_ALL_EVENTS);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    CHECK(close(i2));
    CHECK(unlink(D "/t/y"));
    CHECK(rmdir(D "/t/d"));
    CHECK(rmdir(D "/s"));
    CHECK(rmdir(D "/t"));
    drain(in, "removed");

    /* a watch on a removed working directory: no events, and nothing
     * left behind when the directory goes for good */
    CHECK(mkdir(D "/gone", 0755));
    CHECK(chdir(D "/gone"));
    CHECK(rmdir(D "/gone"));
    drain(in, "mkdir, rmdir");
    int wg = inotify_add_watch(in, ".", IN_ALL_EVENTS);
    CHECK(wg > 0);
    CHECK(chdir("/"));
    touch(D "/z");
    CHECK(unlink(D "/z"));
    drain(in, "after the working directory went");
    CHECK(inotify_rm_watch(in, wg));
    drain(in, "its watch removed");

    /* a watch of flags alone hears nothing; a device's write is a
     * modification */
    int wf = inotify_add_watch(in, D, IN_DONT_FOLLOW | IN_ISDIR);
    CHECK(wf > 0);
    touch(D "/h");
    CHECK(unlink(D "/h"));
    drain(in, "a watch of flags alone");
    CHECK(inotify_rm_watch(in, wf));
    /* a device node of the test's own (/dev/null's number), which no other
     * process opens meanwhile, as they may /dev/null itself */
    const char *null = mknod(D "/null", S_IFCHR | 0666, makedev(1, 3)) == 0 ? D "/null" : "/dev/null";
    int wn = inotify_add_watch(in, null, IN_ALL_EVENTS);
    CHECK(wn > 0);
    fd = open(null, O_RDWR);
    CHECK(write(fd, "x", 1));
    CHECK(read(fd, buf, 1));
    close(fd);
    drain(in, "/dev/null written and read");
    CHECK(inotify_rm_watch(in, wn));
    unlink(D "/null");

    /* /proc's files: opened, read, closed */
    int wp = inotify_add_watch(in, "/proc/sys/fs/inotify/max_queued_events", IN_ALL_EVENTS);
    CHECK(wp > 0);
    show_sysctl("max_queued_events");
    drain(in, "a /proc file read");

    for (const char *c = "dfgxy"; *c; c++) {
        snprintf(rm, sizeof rm, D "/%c", *c);
        unlink(rm);
    }
    drain(in, "the files removed");
    CHECK(rmdir(D));
    drain(in, "the directory removed");
    CHECK(close(in));
    return 0;
}
