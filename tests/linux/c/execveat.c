/*
 * tests/linux/c/execveat.c - execveat: a program run by descriptor
 * (AT_EMPTY_PATH, as fexecve does), by a path relative to a directory
 * descriptor, from a memfd (its /proc/self/exe), through a symlink (ELOOP
 * with AT_SYMLINK_NOFOLLOW), and the errors (bad flags, descriptors,
 * empty paths, directories, files that may not run, a file open for
 * writing; execve's missing file before its bad argv).  The program runs itself, with an argument saying what to
 * print.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static long execveat_(int dirfd, const char *path, char *const argv[], int flags)
{
    return syscall(SYS_execveat, dirfd, path, argv, environ, flags);
}

/* Runs execveat in a child: what the child printed, or the error. */
static void run(const char *what, int dirfd, const char *path, int flags)
{
    char *argv[] = {"execveat", (char *)what, NULL};
    pid_t pid = fork();
    if (pid == 0) {
        long r = execveat_(dirfd, path, argv, flags);
        printf("%s: %ld %s\n", what, r, strerror(errno));
        _exit(1);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("%s: status %d\n", what, WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1) { /* run again: say so */
        char exe[256] = "";
        readlink("/proc/self/exe", exe, sizeof exe - 1);
        printf("%s: running%s%s\n", argv[1], strncmp(exe, "/memfd:", 7) ? "" : " as ", strncmp(exe, "/memfd:", 7) ? "" : exe);
        return 0;
    }
    char self[512] = "", copy[512];
    readlink("/proc/self/exe", self, sizeof self - 1);
    strcpy(copy, self);
    int exe = open(self, O_RDONLY), dir = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    strcpy(copy, self);
    const char *base = basename(copy);

    run("by descriptor", exe, "", AT_EMPTY_PATH);
    run("relative", dir, base, 0);
    run("absolute", 99, self, 0);
    run("cwd", AT_FDCWD, self, 0);
    run("path with AT_EMPTY_PATH", dir, base, AT_EMPTY_PATH);
    char tmp[] = "/dev/shm/execveat-XXXXXX";
    mkdtemp(tmp);
    int t = open(tmp, O_RDONLY | O_DIRECTORY);
    symlinkat(self, t, "link");
    run("through a symlink", t, "link", 0);
    run("symlink, no follow", t, "link", AT_SYMLINK_NOFOLLOW);
    run("bad flags", dir, base, 0x1);
    run("bad flags 2", dir, base, 0x20000);
    run("check only", dir, base, 0x10000); /* AT_EXECVE_CHECK: may it run? */
    run("bad flags, empty path", exe, "", 0x1);
    run("bad descriptor", 99, "", AT_EMPTY_PATH);
    run("bad dirfd", 99, base, 0);
    run("empty path", exe, "", 0);
    run("a directory", dir, "", AT_EMPTY_PATH);
    run("file as dirfd", exe, base, 0);
    run("missing", dir, "no-such-program", 0);
    int nx = openat(t, "noexec", O_RDWR | O_CREAT, 0644);
    run("not executable", nx, "", AT_EMPTY_PATH);
    close(nx);
    nx = openat(t, "noexec", O_RDONLY);
    fchmod(nx, 0755);
    run("not a program", nx, "", AT_EMPTY_PATH);
    run("check, missing", t, "noexec-either", 0x10000);
    close(openat(t, "noexec-either", O_RDWR | O_CREAT, 0644));
    run("check, not executable", t, "noexec-either", 0x10000);

    /* a copy in a memfd: open for writing it is busy; a read-only
     * descriptor of it (through /proc) runs */
    int m = (int)syscall(SYS_memfd_create, "self", 0);
    char buf[65536];
    ssize_t n;
    while ((n = read(exe, buf, sizeof buf)) > 0)
        write(m, buf, (size_t)n);
    run("memfd open for writing", m, "", AT_EMPTY_PATH);
    char mp[64];
    snprintf(mp, sizeof mp, "/proc/self/fd/%d", m);
    int mr = open(mp, O_RDONLY);
    close(m);
    run("memfd", mr, "", AT_EMPTY_PATH);
    char *fargv[] = {"execveat", "fexecve", NULL};
    pid_t pid = fork();
    if (pid == 0) {
        fexecve(mr, fargv, environ);
        printf("fexecve: %s\n", strerror(errno));
        _exit(1);
    }
    waitpid(pid, NULL, 0);
    /* the file is looked up before argv and envp are read */
    CHECK(execve("no-such-program", (char **)8, NULL));
    CHECK(execve("no-such-program", fargv, (char **)8));
    CHECK(execve("/proc/self/exe", (char **)8, NULL));
    return 0;
}
