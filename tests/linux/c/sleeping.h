/*
 * tests/linux/c/sleeping.h - wait_sleeping(pid, zombie_too): returns once
 * process pid sleeps in a blocking call (state S in /proc/PID/stat), or
 * has ended (Z) when zombie_too, so that a test signals or wakes a child
 * known to be waiting, with no timing race.
 */
#ifndef TESTS_LINUX_SLEEPING_H
#define TESTS_LINUX_SLEEPING_H
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static void wait_sleeping(pid_t pid, bool zombie_too)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    for (;;) {
        int fd = open(path, O_RDONLY);
        ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n > 0) {
            buf[n] = 0;
            char *e = strrchr(buf, ')');
            if (e && (e[2] == 'S' || (zombie_too && e[2] == 'Z')))
                return;
        }
        struct timespec t = {0, 1000000};
        nanosleep(&t, NULL);
    }
}

#endif
