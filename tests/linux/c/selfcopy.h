/*
 * tests/linux/c/selfcopy.h - a copy of the running program, run as a
 * second process that says when it runs and then waits to be told to go:
 * how memory.c and textbusy.c test what happens to a program's file while
 * the program runs.
 */
#ifndef TESTS_LINUX_SELFCOPY_H
#define TESTS_LINUX_SELFCOPY_H
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

/* Writes this program to path (mode 0755); the descriptor stays open if
 * keep, and is returned. */
static int copy_self(const char *path, int keep)
{
    static char img[4 << 20];
    int in = open("/proc/self/exe", O_RDONLY), out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    ssize_t n = read(in, img, sizeof img);
    write(out, img, (size_t)n);
    close(in);
    if (!keep)
        close(out);
    return out;
}

/* Runs path with the argument arg and returns once it runs (copy_wait);
 * a byte written to *go, or its close, lets it go on. */
static pid_t start_copy(const char *path, const char *arg, int *go)
{
    int g[2], ready[2];
    pipe(g), pipe(ready);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        dup2(g[0], 0), dup2(ready[1], 3);
        execl(path, path, arg, (char *)NULL);
        _exit(127);
    }
    close(g[0]), close(ready[1]);
    char b;
    read(ready[0], &b, 1);
    close(ready[0]);
    *go = g[1];
    return c;
}

/* The copy's side: says it runs, then waits for start_copy's go (a byte,
 * or the end of its input). */
static void copy_wait(void)
{
    char b;
    write(3, "r", 1);
    read(0, &b, 1);
}

#endif
