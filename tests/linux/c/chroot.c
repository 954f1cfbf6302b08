/*
 * tests/linux/c/chroot.c - chroot: absolute paths, symlinks and ".."
 * stop at the new root; the working directory stays outside until a
 * chdir, and getcwd then says "(unreachable)"; its errors, and that only
 * root may.  In a child, so the test's own process keeps its root.  One
 * line per check; the output must equal the host Linux's (run as root).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static void cat(const char *path)
{
    char b[64] = "";
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, b, sizeof b - 1);
    printf("%s: %s\n", path, n < 0 ? strerror(errno) : (b[n > 0 ? n - 1 : 0] = '\0', b));
    if (fd >= 0)
        close(fd);
}

int main(void)
{
    mkdir("jail", 0755);
    mkdir("jail/etc", 0755);
    mkdir("jail/sub", 0755);
    int fd = open("jail/etc/msg", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, "inside\n", 7);
    close(fd);
    symlink("/etc/msg", "jail/link");
    CHECK(chroot("no-such-dir"));
    CHECK(chroot("jail/etc/msg"));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char cwd[512];
        CHECK(chroot("jail"));
        char *got = getcwd(cwd, sizeof cwd);
        printf("getcwd before chdir: %s (%s)\n", got ? got : "NULL", got ? "" : strerror(errno));
        long n = syscall(SYS_getcwd, cwd, sizeof cwd);
        printf("the call: %ld bytes, %s\n", n > 0 ? 1L : n, !strncmp(cwd, "(unreachable)/", 14) ? "(unreachable)/..." : cwd);
        cat("/etc/msg");
        cat("/link");
        CHECK(chdir("/sub"));
        printf("getcwd: %s\n", getcwd(cwd, sizeof cwd));
        cat("../../../etc/msg");
        CHECK(chdir("/.."));
        printf("getcwd after /..: %s\n", getcwd(cwd, sizeof cwd));
        CHECK(access("/jail", F_OK));
        CHECK(access("/proc/self", F_OK));
        CHECK(chroot("sub"));
        cat("/msg");
        CHECK(syscall(SYS_setresuid, 1000, 1000, 1000));
        CHECK(chroot("/"));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    cat("jail/etc/msg");
    CHECK(access("jail/link", F_OK));
    return 0;
}
