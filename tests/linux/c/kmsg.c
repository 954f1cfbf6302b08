/*
 * tests/linux/c/kmsg.c - /dev/kmsg: the node (1:11, 0644); records
 * written (a "<N>" prefix's level and facility, LOG_USER's when there is
 * none or it names the kernel's, a final newline dropped; every record
 * but one ends in one, for a record without is read only once another
 * is written, from anywhere on the host) read back one a
 * read as "PRIO,SEQ,USEC,FLAGS;TEXT" with unprintable bytes escaped,
 * sequence numbers rising; a short buffer's EINVAL (the record passed),
 * EAGAIN at the end, poll's POLLIN, a poll and a read that wait for
 * another process's record; lseek's SEEK_END and ESPIPE/EINVAL;
 * a write past 1024 bytes EINVAL (992 on Linux 6.1, 1024 since); ten
 * records a writer in 5 s, the rest dropped (the host's newer Linux keeps
 * nine); a user's opens (EACCES to write, EPERM to read without
 * CAP_SYSLOG) and syslog(2) calls (EPERM, each action, as Debian's
 * dmesg_restrict 1).  Only this run's records are printed (a tag of its own
 * marks them, not printed), without their numbers and times.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <unistd.h>

static char tag[32];

static void put(int fd, const char *prefix, const char *text)
{
    char line[256];
    int n = snprintf(line, sizeof line, "%s%s%s", prefix, tag, text);
    ssize_t r = write(fd, line, (size_t)n);
    printf("write \"%s...\": %s\n", prefix, r == n ? "whole" : r < 0 ? errno_name(errno) : "short");
}

/* Reads records until EAGAIN: ours printed (unless quiet); their count. */
static int drain(int fd, int quiet)
{
    int kept = 0;
    char rec[8192];
    unsigned long last = 0;
    int rising = 1, first = 1;
    for (;;) {
        ssize_t n = read(fd, rec, sizeof rec - 1);
        if (n < 0) {
            printf("  read: %s\n", errno_name(errno));
            if (errno != EPIPE)
                break;
            continue;
        }
        rec[n] = '\0';
        unsigned prio;
        unsigned long seq, usec;
        char flags;
        int at = 0;
        if (sscanf(rec, "%u,%lu,%lu,%c;%n", &prio, &seq, &usec, &flags, &at) < 4 || !at) {
            printf("  unparsed record\n");
            continue;
        }
        rising &= first || seq > last;
        first = 0, last = seq;
        char *text = rec + at, *mine = strstr(text, tag);
        if (!mine)
            continue;
        kept++;
        if (quiet)
            continue;
        printf("  prio %u flags %c: \"%.*sTAG%s", prio, flags, (int)(mine - text), text, mine + strlen(tag));
        printf("%s\"\n", rec[n - 1] == '\n' ? "" : " (no newline)");
    }
    printf("  numbers rising: %s\n", rising ? "yes" : "no");
    return kept;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    snprintf(tag, sizeof tag, "kmsgtest%d: ", getpid());
    struct stat st;
    CHECK(stat("/dev/kmsg", &st));
    printf("char %d, %u:%u, mode %o\n", S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev), st.st_mode & 07777);
    int fd = open("/dev/kmsg", O_RDWR | O_NONBLOCK);
    CHECK(fd >= 0);
    CHECK(lseek(fd, 0, SEEK_END));
    CHECK(lseek(fd, 1, SEEK_SET));
    CHECK(lseek(fd, 0, SEEK_CUR));
    struct pollfd pfd = {fd, POLLIN | POLLOUT, 0};
    CHECK(poll(&pfd, 1, 0));
    put(fd, "<5>", "one\n");
    CHECK(poll(&pfd, 1, 0));
    printf("revents %#x\n", pfd.revents);
    put(fd, "", "two");
    put(fd, "<13>", "three\\ with\ta tab\nand a line\n");
    put(fd, "<14>", "four\n\n");
    put(fd, "<0>", "five, the kernel's facility\n");
    drain(fd, 0);
    close(fd);
    fd = open("/dev/kmsg", O_RDWR | O_NONBLOCK); /* fewer than nine records a writer: the host keeps no more */
    lseek(fd, 0, SEEK_END);
    put(fd, "<>", "six, no number\n");
    put(fd, "<30x", "seven, no closing\n");
    put(fd, " <6>", "eight, a blank first\n");
    put(fd, "<134>", "nine, local0\n");
    drain(fd, 0);
    close(fd);

    fd = open("/dev/kmsg", O_RDWR | O_NONBLOCK); /* a writer of its own: ten records at most each 5 s */
    lseek(fd, 0, SEEK_END);
    put(fd, "<6>", "a record longer than the buffer\n");
    char small[16];
    CHECK(read(fd, small, sizeof small));
    CHECK(read(fd, small, sizeof small));
    static char big[1100];
    memset(big, 'x', sizeof big);
    CHECK(write(fd, big, 1025));
    memcpy(big, tag, strlen(tag));
    big[899] = '\n';
    CHECK(write(fd, big, 900));
    printf("records: %d\n", drain(fd, 1));
    close(fd);

    fd = open("/dev/kmsg", O_RDWR | O_NONBLOCK);
    lseek(fd, 0, SEEK_END);
    for (int i = 0; i < 12; i++) {
        char text[32];
        snprintf(text, sizeof text, "burst %d\n", i);
        put(fd, "<6>", text);
    }
    int kept = drain(fd, 1);
    printf("of 12 in a burst, kept: %s\n", kept >= 9 && kept <= 10 ? "9 or 10" : "another count");
    close(fd);

    fd = open("/dev/kmsg", O_RDONLY); /* blocking: poll and read wait for a record */
    lseek(fd, 0, SEEK_END);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(100000);
        int w = open("/dev/kmsg", O_WRONLY);
        char line[64];
        int n = snprintf(line, sizeof line, "<6>%swaited for\n", tag);
        write(w, line, (size_t)n);
        _exit(0);
    }
    struct pollfd wait_pfd = {fd, POLLIN, 0};
    printf("poll for a record: %d\n", poll(&wait_pfd, 1, 10000));
    int found = 0;
    for (int i = 0; i < 100 && !found; i++) { /* the host's own records may come first */
        char rec[8192];
        ssize_t n = read(fd, rec, sizeof rec - 1);
        rec[n > 0 ? n : 0] = '\0';
        found = n > 0 && strstr(rec, tag) && strstr(rec, "waited for");
    }
    printf("blocking reads got it: %s\n", found ? "yes" : "no");
    waitpid(pid, NULL, 0);
    close(fd);

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        setgid(65534), setuid(65534);
        CHECK(open("/dev/kmsg", O_WRONLY));
        CHECK(open("/dev/kmsg", O_RDONLY));
        char one;
        CHECK(syscall(SYS_syslog, 2, &one, 0)); /* every action (dmesg_restrict) */
        CHECK(syscall(SYS_syslog, 3, &one, 1));
        CHECK(syscall(SYS_syslog, 10, NULL, 0));
        CHECK(syscall(SYS_syslog, 0, NULL, 0));
        CHECK(syscall(SYS_syslog, 8, NULL, 5));
        CHECK(syscall(SYS_syslog, 100, NULL, 0));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
