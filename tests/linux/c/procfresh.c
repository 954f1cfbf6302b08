/*
 * tests/linux/c/procfresh.c - /proc is fresh at every look: each open of
 * /proc/self/status, stat, comm, maps and each listing of fd/ and task/
 * shows the state as it is now (threads started and ended, descriptors
 * opened, a name set with prctl, an area mapped and unmapped), a child's
 * stat goes from sleeping to zombie, and its directory is gone once it is
 * reaped (by path and through a descriptor open on it); walks that start
 * inside /proc (a working directory in /proc/self, openat with a
 * descriptor of /proc/self) see the same.  Prints no pid or address.
 */
#define _GNU_SOURCE
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char text[65536];

/* path's contents (from dirfd), read afresh; "" if it cannot be opened. */
static const char *slurp_at(int dirfd, const char *path)
{
    int fd = openat(dirfd, path, O_RDONLY);
    size_t n = 0;
    ssize_t r;
    text[0] = '\0';
    if (fd < 0)
        return text;
    while (n < sizeof text - 1 && (r = read(fd, text + n, sizeof text - 1 - n)) > 0)
        n += (size_t)r;
    text[n] = '\0';
    close(fd);
    return text;
}

/* The line of status that starts with key, without its key. */
static void status_field(int dirfd, const char *path, const char *key)
{
    const char *s = slurp_at(dirfd, path), *l = strstr(s, key);
    if (!l) {
        printf("%s: no %s\n", path, key);
        return;
    }
    l += strlen(key);
    int n = (int)strcspn(l, "\n");
    printf("%s %s%.*s\n", path, key, n, l);
}

/* Field k (1-based) of a stat file, after the command's parentheses. */
static void stat_field(const char *path, int k, const char *what)
{
    const char *s = slurp_at(AT_FDCWD, path), *p = strrchr(s, ')');
    if (!p) {
        printf("%s: unreadable (%s)\n", what, errno_name(errno));
        return;
    }
    p += 2; /* field 3 starts here */
    for (int i = 3; i < k && p; i++)
        p = strchr(p, ' '), p = p ? p + 1 : NULL;
    printf("%s: %.*s\n", what, p ? (int)strcspn(p, " \n") : 0, p ? p : "");
}

static int entries(int dirfd, const char *path)
{
    int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY);
    DIR *d = fd < 0 ? NULL : fdopendir(fd);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static int gate[2];
static void *waiter(void *arg)
{
    char c;
    (void)arg;
    return read(gate[0], &c, 1) == 1 ? NULL : NULL;
}

static void threads(void)
{
    pthread_t t[2];
    int before = entries(AT_FDCWD, "/proc/self/task");
    status_field(AT_FDCWD, "/proc/self/status", "Threads:\t");
    pipe(gate);
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, waiter, NULL);
    status_field(AT_FDCWD, "/proc/self/status", "Threads:\t");
    stat_field("/proc/self/stat", 20, "stat's num_threads");
    printf("task/ has %d more\n", entries(AT_FDCWD, "/proc/self/task") - before);
    write(gate[1], "xx", 2);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    status_field(AT_FDCWD, "/proc/self/status", "Threads:\t");
    printf("task/ has %d more\n", entries(AT_FDCWD, "/proc/self/task") - before);
    close(gate[0]), close(gate[1]);
}

static void names(void)
{
    prctl(PR_SET_NAME, "fresh-one");
    status_field(AT_FDCWD, "/proc/self/status", "Name:\t");
    printf("comm: %s", slurp_at(AT_FDCWD, "/proc/self/comm"));
    prctl(PR_SET_NAME, "fresh-two");
    status_field(AT_FDCWD, "/proc/self/status", "Name:\t");
    printf("comm: %s", slurp_at(AT_FDCWD, "/proc/self/comm"));
    stat_field("/proc/self/stat", 3, "stat's state");
}

static void fds(void)
{
    int before = entries(AT_FDCWD, "/proc/self/fd"), fd[3];
    for (int i = 0; i < 3; i++)
        fd[i] = open("/dev/null", O_RDONLY);
    printf("fd/ has %d more after 3 opens\n", entries(AT_FDCWD, "/proc/self/fd") - before);
    char link[64], to[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd[2]);
    ssize_t n = readlink(link, to, sizeof to - 1);
    printf("fd/N names %.*s\n", n > 0 ? (int)n : 0, to);
    for (int i = 0; i < 3; i++)
        close(fd[i]);
    printf("fd/ has %d more after 3 closes\n", entries(AT_FDCWD, "/proc/self/fd") - before);
    struct stat st;
    printf("stat of the closed fd/N: %s\n", stat(link, &st) < 0 ? errno_name(errno) : "there");
}

/* Whether maps has an area starting at a. */
static int mapped(void *a)
{
    char start[32];
    snprintf(start, sizeof start, "\n%lx-", (unsigned long)a);
    const char *s = slurp_at(AT_FDCWD, "/proc/self/maps");
    return strstr(s, start) != NULL || strncmp(s, start + 1, strlen(start + 1)) == 0;
}

static void maps(void)
{
    void *a = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("maps has the new area: %d\n", mapped(a));
    munmap(a, 3 * 4096);
    printf("maps has it once unmapped: %d\n", mapped(a));
}

static void child(void)
{
    int p[2];
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(p[1]);
        read(p[0], &c, 1);
        _exit(3);
    }
    close(p[0]);
    char path[64], dir[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    snprintf(dir, sizeof dir, "/proc/%d", (int)pid);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    struct timespec nap = {0, 5000000};
    for (int i = 0; i < 400 && !strstr(slurp_at(AT_FDCWD, path), ") S "); i++)
        nanosleep(&nap, NULL);
    stat_field(path, 3, "the child, waiting");
    close(p[1]);
    for (int i = 0; i < 400 && !strstr(slurp_at(AT_FDCWD, path), ") Z "); i++)
        nanosleep(&nap, NULL);
    stat_field(path, 3, "the child, ended");
    int status;
    waitpid(pid, &status, 0);
    printf("reaped, exit %d\n", WEXITSTATUS(status));
    struct stat st;
    printf("stat of its directory: %s\n", stat(dir, &st) < 0 ? errno_name(errno) : "there");
    printf("open of its stat: %s\n", open(path, O_RDONLY) < 0 ? errno_name(errno) : "opened");
    printf("openat of status in its open directory: %s\n",
           openat(dfd, "status", O_RDONLY) < 0 ? errno_name(errno) : "opened");
    char self[32];
    snprintf(self, sizeof self, "%d", (int)getpid());
    int listed = 0, found = 0;
    DIR *d = opendir("/proc");
    for (struct dirent *e; d && (e = readdir(d));)
        listed += strcmp(e->d_name, self) == 0, found += atoi(e->d_name) == pid;
    closedir(d);
    printf("/proc lists this process: %d, the reaped child: %d\n", listed, found);
    close(dfd);
}

/* Walks that start inside /proc: a working directory there, and openat. */
static void inside(void)
{
    int self = open("/proc/self", O_RDONLY | O_DIRECTORY), fd;
    if (chdir("/proc/self") < 0)
        printf("chdir: %s\n", errno_name(errno));
    prctl(PR_SET_NAME, "inside-one");
    status_field(AT_FDCWD, "status", "Name:\t");
    status_field(self, "status", "Name:\t");
    prctl(PR_SET_NAME, "inside-two");
    status_field(AT_FDCWD, "status", "Name:\t");
    printf("comm by openat: %s", slurp_at(self, "comm"));
    int before = entries(AT_FDCWD, "fd");
    fd = open("/dev/null", O_RDONLY);
    printf("fd (relative) has %d more\n", entries(AT_FDCWD, "fd") - before);
    printf("fd (openat) has %d more\n", entries(self, "fd") - before);
    char link[32];
    snprintf(link, sizeof link, "fd/%d", fd);
    struct stat st;
    printf("fstatat of the new fd/N: %s\n", fstatat(self, link, &st, 0) < 0 ? errno_name(errno) : "there");
    close(fd);
    printf("fstatat of it closed: %s\n", fstatat(self, link, &st, 0) < 0 ? errno_name(errno) : "there");
    printf("fstatat of task: %s\n", fstatat(AT_FDCWD, "task", &st, 0) < 0 ? errno_name(errno)
                                     : S_ISDIR(st.st_mode)            ? "a directory"
                                                                      : "not a directory");
    chdir("/");
    close(self);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    threads();
    names();
    fds();
    maps();
    child();
    inside();
    return 0;
}
