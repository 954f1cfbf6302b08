/*
 * tests/linux/c/pivotroot.c - pivot_root's checks, in Linux's order:
 * EPERM without CAP_SYS_ADMIN, the paths' errors, ENOTDIR, EFAULT, and
 * EBUSY when the new root or the old one's place is on the root's own
 * mount.  None of these can move the host's root.  The output must equal
 * the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    close(open("pivot-file", O_CREAT | O_WRONLY, 0600));
    CHECK(syscall(SYS_pivot_root, "/nonexistent", "/"));
    CHECK(syscall(SYS_pivot_root, "/", "/nonexistent"));
    CHECK(syscall(SYS_pivot_root, "pivot-file", "/"));
    CHECK(syscall(SYS_pivot_root, "/", "pivot-file"));
    CHECK(syscall(SYS_pivot_root, (char *)8, "/"));
    CHECK(syscall(SYS_pivot_root, "/", "/"));
    CHECK(syscall(SYS_pivot_root, "/proc", "/"));
    CHECK(syscall(SYS_pivot_root, "/", "/proc"));
    pid_t pid = fork();
    if (pid == 0) {
        CHECK(syscall(SYS_setresuid, 1000, 1000, 1000));
        CHECK(syscall(SYS_pivot_root, "/nonexistent", "/"));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    unlink("pivot-file");
    return 0;
}
