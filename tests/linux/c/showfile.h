/*
 * tests/linux/c/showfile.h - show_file(fd): how an open file shows, its
 * st_mode and its name in /proc/<pid>/fd (anon_inode:[signalfd] and the
 * like), one line for the comparison with the host.
 */
#ifndef TESTS_LINUX_SHOWFILE_H
#define TESTS_LINUX_SHOWFILE_H
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static void show_file(int fd)
{
    struct stat st;
    char path[64], link[64] = "";
    snprintf(path, sizeof path, "/proc/%d/fd/%d", getpid(), fd);
    if (readlink(path, link, sizeof link - 1) < 0 || fstat(fd, &st) < 0)
        st.st_mode = 0;
    printf("st_mode %o link %s\n", st.st_mode, link);
}

#endif
