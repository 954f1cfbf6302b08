/*
 * tests/linux/c/mapfiles.c - /proc/PID/map_files (for checkpoint/restore):
 * a link named START-END (lowercase hex) per file-backed mapping, none
 * for anonymous ones, each naming the file as maps does; the directory
 * 0500, a link's mode the mapped descriptor's r and w for the owner;
 * a split mapping shows as its parts, an unmapped one goes (ENOENT, as
 * a name that is no mapping's start and end); readlink and listing as
 * the owner, following (open) only with CAP_SYS_ADMIN or
 * CAP_CHECKPOINT_RESTORE (EPERM), another user's directory EACCES.
 * Prints no address.
 */
#define _GNU_SOURCE
#include "check.h"
#include <dirent.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char path[64];

/* How many of self's map_files entries name path, and whether all are links. */
static int naming(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        printf("opendir %s: %s\n", strncmp(dir, "/proc/self", 10) ? "the parent's" : dir, errno_name(errno));
        return -1;
    }
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        char p[128], t[128];
        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        ssize_t k = readlink(p, t, sizeof t - 1);
        if (k >= 0 && (t[k] = 0, strcmp(t, path) == 0))
            n++;
    }
    closedir(d);
    return n;
}

static void name_of(char *out, size_t size, const void *start, const void *end)
{
    snprintf(out, size, "/proc/self/map_files/%lx-%lx", (unsigned long)start, (unsigned long)end);
}

static void try_open(const char *what, const char *link)
{
    int fd = open(link, O_RDONLY);
    char buf[8] = {0};
    if (fd < 0) {
        printf("%s: open %s\n", what, errno_name(errno));
        return;
    }
    printf("%s: opened, reads \"%.5s\"\n", what, read(fd, buf, 5) == 5 ? buf : "?");
    close(fd);
}

int main(void)
{
    snprintf(path, sizeof path, "/tmp/mapfiles.%d", (int)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    long pg = sysconf(_SC_PAGESIZE);
    char *data = calloc(1, 3 * pg);
    memcpy(data, "hello", 5), memcpy(data + pg, "world", 5);
    if (fd < 0 || write(fd, data, 3 * pg) != 3 * pg)
        return 1;
    int ro = open(path, O_RDONLY);
    char *a = mmap(NULL, 3 * pg, PROT_READ, MAP_PRIVATE, ro, 0);
    char *w = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *anon = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct stat st;
    if (stat("/proc/self/map_files", &st) == 0)
        printf("directory mode %o\n", st.st_mode & 07777);
    printf("links naming the file: %d\n", naming("/proc/self/map_files"));
    char l[128], t[128];
    name_of(l, sizeof l, a, a + 3 * pg);
    if (lstat(l, &st) == 0)
        printf("read-only mapping's link: mode %o, link %s\n", st.st_mode & 07777, S_ISLNK(st.st_mode) ? "yes" : "no");
    ssize_t k = readlink(l, t, sizeof t - 1);
    printf("readlink names the file: %s\n", k > 0 && (t[k] = 0, strcmp(t, path) == 0) ? "yes" : "no");
    try_open("read-only mapping", l);
    name_of(l, sizeof l, w, w + pg);
    if (lstat(l, &st) == 0)
        printf("read-write mapping's link: mode %o\n", st.st_mode & 07777);
    name_of(l, sizeof l, anon, anon + pg);
    printf("anonymous mapping: %s\n", lstat(l, &st) == 0 ? "listed" : errno_name(errno));
    name_of(l, sizeof l, a, a + pg);
    printf("part of a mapping: %s\n", lstat(l, &st) == 0 ? "listed" : errno_name(errno));
    mprotect(a + pg, pg, PROT_NONE);
    printf("split in three, links naming the file: %d\n", naming("/proc/self/map_files"));
    name_of(l, sizeof l, a + pg, a + 2 * pg);
    try_open("middle part", l);
    printf("garbage name: %s\n", lstat("/proc/self/map_files/zz-1", &st) == 0 ? "listed" : errno_name(errno));
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        char parent[64];
        snprintf(parent, sizeof parent, "/proc/%d/map_files", (int)getppid());
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(1);
        printf("nobody, own directory: links naming the file: %d\n", naming("/proc/self/map_files"));
        name_of(l, sizeof l, w, w + pg);
        k = readlink(l, t, sizeof t - 1);
        printf("nobody, readlink: %s\n", k > 0 ? "names the file" : errno_name(errno));
        try_open("nobody, own link", l);
        naming(parent);
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    munmap(a, 3 * pg);
    name_of(l, sizeof l, a, a + pg);
    printf("after munmap: %s\n", lstat(l, &st) == 0 ? "listed" : errno_name(errno));
    printf("links naming the file: %d\n", naming("/proc/self/map_files"));
    unlink(path);
    return 0;
}
