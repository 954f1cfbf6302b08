/*
 * tests/linux/c/handles.c - name_to_handle_at and open_by_handle_at on
 * tmpfs: the size probe (EOVERFLOW, the size needed), a handle that opens
 * the same inode again (a file, a directory, by AT_EMPTY_PATH), ESTALE once
 * the file is gone, procfs (no handles), EPERM without
 * CAP_DAC_READ_SEARCH, and the other errors.  Only what is stable is
 * printed (the handle's bytes hold a random generation).  The output must
 * equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct handle {
    unsigned bytes;
    int type;
    unsigned char f[128];
};

static long n2h(int dfd, const char *path, struct handle *h, int *mnt, int flags)
{
    return syscall(SYS_name_to_handle_at, dfd, path, h, mnt, flags);
}

static long obh(int mfd, struct handle *h, int flags) { return syscall(SYS_open_by_handle_at, mfd, h, flags); }

static int same(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char dir[] = "/dev/shm/handles-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0)
        return 1;
    int fd = open("f", O_RDWR | O_CREAT, 0644);
    write(fd, "handled\n", 8);
    struct handle h = {0}, d = {0};
    int mnt = -1, mnt2 = -1;
    puts("-- name_to_handle_at");
    CHECK(n2h(AT_FDCWD, "f", &h, &mnt, 0));
    printf("size probe: bytes %u type %d\n", h.bytes, h.type);
    CHECK(n2h(AT_FDCWD, "f", &h, &mnt, 0));
    printf("handle: bytes %u type %d\n", h.bytes, h.type);
    h.bytes = 129;
    CHECK(n2h(AT_FDCWD, "f", &h, &mnt, 0));
    h.bytes = 128;
    CHECK(n2h(AT_FDCWD, "f", &h, &mnt, 0));
    printf("handle: bytes %u type %d\n", h.bytes, h.type);
    d.bytes = 128;
    CHECK(n2h(AT_FDCWD, ".", &d, &mnt2, 0));
    printf("same mount: %d\n", mnt == mnt2);
    CHECK(n2h(AT_FDCWD, "f", &h, &mnt, 0x1000000));
    CHECK(n2h(AT_FDCWD, "missing", &h, &mnt, 0));
    CHECK(n2h(AT_FDCWD, "f", (struct handle *)16, &mnt, 0));
    CHECK(n2h(AT_FDCWD, "f", &h, (int *)16, 0));
    CHECK(n2h(99, "f", &h, &mnt, 0));
    int pp[2]; /* a pipe's file: pipefs exports no handle */
    CHECK(pipe(pp));
    char alias[32];
    snprintf(alias, sizeof alias, "/proc/self/fd/%d", pp[0]);
    CHECK(n2h(pp[0], "", &h, &mnt, AT_EMPTY_PATH));
    CHECK(n2h(AT_FDCWD, alias, &h, &mnt, AT_SYMLINK_FOLLOW));
    CHECK(close(pp[0]) + close(pp[1]));
    CHECK(n2h(fd, "", &h, &mnt, 0));
    struct handle e = {128};
    CHECK(n2h(fd, "", &e, &mnt, AT_EMPTY_PATH));
    printf("by descriptor, the same handle: %d\n", e.bytes == h.bytes && memcmp(e.f, h.f, h.bytes) == 0);
    symlink("f", "l");
    e.bytes = 128;
    CHECK(n2h(AT_FDCWD, "l", &e, &mnt, AT_SYMLINK_FOLLOW));
    printf("through a symlink, the file's: %d\n", memcmp(e.f, h.f, h.bytes) == 0);
    struct handle p = {128};
    CHECK(n2h(AT_FDCWD, "/proc/self", &p, &mnt, 0));
    puts("-- open_by_handle_at");
    int m = open(".", O_RDONLY | O_DIRECTORY);
    int g = (int)obh(m, &h, O_RDONLY);
    printf("open: %d, same inode %d\n", g >= 0, same(g, "f"));
    char buf[16] = {0};
    CHECK(read(g, buf, sizeof buf));
    close(g);
    g = (int)obh(AT_FDCWD, &d, O_RDONLY | O_DIRECTORY);
    printf("a directory: %d, same inode %d\n", g >= 0, same(g, "."));
    close(g);
    g = (int)obh(AT_FDCWD, &h, O_WRONLY | O_APPEND);
    CHECK(write(g, "more\n", 5));
    close(g);
    CHECK(obh(99, &h, O_RDONLY));
    CHECK(obh(m, (struct handle *)16, O_RDONLY));
    struct handle z = h;
    z.bytes = 0;
    CHECK(obh(m, &z, O_RDONLY));
    z.bytes = 129;
    CHECK(obh(m, &z, O_RDONLY));
    z = h, z.bytes = 4;
    CHECK(obh(m, &z, O_RDONLY));
    pid_t pid = fork();
    if (pid == 0) {
        setresuid(1000, 1000, 1000);
        long r = obh(m, &h, O_RDONLY);
        _exit(r < 0 && errno == EPERM ? 0 : 1);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("without CAP_DAC_READ_SEARCH, EPERM: %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);
    chmod(".", 0755);
    pid = fork();
    if (pid == 0) {
        setresuid(1000, 1000, 1000);
        struct handle u = {128};
        _exit(n2h(AT_FDCWD, "f", &u, &mnt, 0) == 0 ? 0 : 1);
    }
    waitpid(pid, &st, 0);
    printf("name_to_handle_at needs no privilege: %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);
    close(fd);
    unlink("l");
    unlink("f");
    CHECK(obh(m, &h, O_RDONLY));
    int proc = open("/proc", O_RDONLY | O_DIRECTORY);
    CHECK(obh(proc, &d, O_RDONLY));
    chdir("/");
    rmdir(dir);
    return 0;
}
