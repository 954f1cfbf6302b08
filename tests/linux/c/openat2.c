/*
 * tests/linux/c/openat2.c - openat2 and its struct open_how: the size
 * checks (EINVAL, E2BIG, trailing zeros), the flags, mode and resolve
 * checks, and the RESOLVE_* restrictions of the walk: NO_SYMLINKS,
 * BENEATH (EXDEV for "..", absolute paths and symlinks that leave),
 * IN_ROOT (the directory as "/"), NO_XDEV, NO_MAGICLINKS, CACHED.  Files
 * are in /dev/shm, a tmpfs on the host as on Persona.  The output must
 * equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct how {
    uint64_t flags, mode, resolve, extra;
};
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10
#define RESOLVE_CACHED 0x20

static long o2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve)
{
    struct how h = {flags, mode, resolve, 0};
    return syscall(437, dirfd, path, &h, 24);
}

/* opens and says what it read, or the error */
static void rd(const char *what, int dirfd, const char *path, uint64_t resolve)
{
    char b[32];
    long fd = o2(dirfd, path, O_RDONLY, 0, resolve);
    if (fd < 0) {
        printf("%-40s: %s\n", what, strerror(errno));
        return;
    }
    ssize_t n = read((int)fd, b, sizeof b);
    printf("%-40s: \"%.*s\"\n", what, (int)(n > 0 ? n : 0), b);
    close((int)fd);
}

static void put(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, text, strlen(text));
    close(fd);
}

int main(void)
{
    char dir[] = "/dev/shm/openat2-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0)
        return 1;
    mkdir("d", 0755), mkdir("d/sub", 0755);
    put("d/f", "inside"), put("outside", "outside");
    symlink("f", "d/ls"), symlink("../outside", "d/up"), symlink("/f", "d/abs"), symlink("sub/../f", "d/rel");
    int d = open("d", O_RDONLY | O_DIRECTORY);

    struct how h = {O_RDONLY, 0, 0, 0};
    CHECK(syscall(437, d, "f", &h, 0));
    CHECK(syscall(437, d, "f", &h, 23));
    CHECK(syscall(437, d, "f", &h, 4097));
    long fd = syscall(437, d, "f", &h, 32);
    CHECK(fd >= 0);
    close((int)fd);
    h.extra = 1;
    CHECK(syscall(437, d, "f", &h, 32));
    CHECK(syscall(437, d, "f", NULL, 24));
    CHECK(syscall(437, d, "f", (void *)8, 24));
    CHECK(o2(d, "f", 1ull << 40, 0, 0));
    CHECK(o2(d, "f", 0x80000000u, 0, 0));
    CHECK(o2(d, "f", O_RDONLY, 0, 0x40));
    CHECK(o2(d, "f", O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT));
    CHECK(o2(d, "f", O_RDONLY, 0644, 0));
    CHECK(o2(d, "new", O_RDWR | O_CREAT, 010000, 0));
    fd = o2(d, "new", O_RDWR | O_CREAT | O_EXCL, 0600, 0);
    CHECK(fd >= 0);
    CHECK(fcntl((int)fd, F_GETFD));
    close((int)fd);
    CHECK(o2(d, "new", O_RDWR | O_CREAT | O_EXCL, 0600, 0));
    CHECK(o2(99, "f", O_RDONLY, 0, 0));

    rd("plain", d, "f", 0);
    rd("symlink", d, "ls", 0);
    rd("no symlinks: symlink", d, "ls", RESOLVE_NO_SYMLINKS);
    rd("no symlinks: file", d, "f", RESOLVE_NO_SYMLINKS);
    rd("no symlinks: up", d, "up", RESOLVE_NO_SYMLINKS);
    rd("beneath: file", d, "f", RESOLVE_BENEATH);
    rd("beneath: sub/../f", d, "sub/../f", RESOLVE_BENEATH);
    rd("beneath: ../outside", d, "../outside", RESOLVE_BENEATH);
    rd("beneath: up", d, "up", RESOLVE_BENEATH);
    rd("beneath: abs", d, "abs", RESOLVE_BENEATH);
    rd("beneath: rel", d, "rel", RESOLVE_BENEATH);
    rd("beneath: /etc/hostname", d, "/etc/hostname", RESOLVE_BENEATH);
    rd("beneath: ../d/f", d, "../d/f", RESOLVE_BENEATH);
    rd("in root: abs", d, "abs", RESOLVE_IN_ROOT);
    rd("in root: ../../f", d, "../../f", RESOLVE_IN_ROOT);
    rd("in root: /f", d, "/f", RESOLVE_IN_ROOT);
    rd("in root: up", d, "up", RESOLVE_IN_ROOT);
    rd("abs without", d, "abs", 0);
    int root = open("/", O_RDONLY | O_DIRECTORY);
    rd("no xdev: proc/self/comm", root, "proc/self/comm", RESOLVE_NO_XDEV);
    rd("no xdev: d/f", AT_FDCWD, "d/f", RESOLVE_NO_XDEV);
    rd("../.. from /proc/self", AT_FDCWD, "/proc/self/../../proc/self/comm", 0);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", d);
    CHECK(o2(AT_FDCWD, path, O_RDONLY, 0, RESOLVE_NO_MAGICLINKS));
    CHECK(o2(AT_FDCWD, path, O_RDONLY, 0, RESOLVE_NO_SYMLINKS));
    fd = o2(AT_FDCWD, path, O_RDONLY, 0, 0);
    CHECK(fd >= 0);
    close((int)fd);
    rd("no magic links: /proc/self/comm", AT_FDCWD, "/proc/self/comm", RESOLVE_NO_MAGICLINKS);
    rd("no magic links: ls", d, "ls", RESOLVE_NO_MAGICLINKS);
    rd("cached", d, "f", RESOLVE_CACHED);
    CHECK(o2(d, "f", O_RDWR | O_CREAT, 0600, RESOLVE_CACHED));
    CHECK(o2(d, "f", O_RDWR | O_TRUNC, 0, RESOLVE_CACHED));
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    chdir("/");
    return system(cmd);
}
