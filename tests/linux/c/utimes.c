/*
 * tests/linux/c/utimes.c - the older calls that set a file's times:
 * utime (seconds), utimes and futimesat (microseconds; futimesat relative
 * to a directory descriptor, or on a descriptor with no path), NULL for
 * now, the errors (bad microseconds, bad pointers, missing files, bad
 * descriptors) and who may: another user may set "now" on a file it may
 * write (EACCES otherwise) and no chosen time (EPERM), nor with utimensat
 * one time now and the other kept (EPERM, as Linux's ATTR_TIMES_SET).  Files are in
 * /dev/shm, a tmpfs on the host as on Persona.  The output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

/* A time as seconds and nanoseconds, or "now" within ten seconds of it. */
static void when(const char *what, struct timespec t)
{
    long long d = t.tv_sec - time(NULL);
    if (d > -10 && d < 10)
        printf(" %s now", what);
    else
        printf(" %s %lld.%09ld", what, (long long)t.tv_sec, t.tv_nsec);
}

static void show(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        printf("%s: %s\n", path, strerror(errno));
        return;
    }
    printf("%s:", path);
    when("atime", st.st_atim);
    when("mtime", st.st_mtim);
    printf("\n");
}

/* the system calls themselves: musl's wrappers go through utimensat */
static long utime_(const char *path, const struct utimbuf *b) { return syscall(SYS_utime, path, b); }
static long utimes_(const char *path, const struct timeval *tv) { return syscall(SYS_utimes, path, tv); }
static long futimesat_(int dirfd, const char *path, const struct timeval *tv)
{
    return syscall(SYS_futimesat, dirfd, path, tv);
}
static long utimensat_(int dirfd, const char *path, const struct timespec *ts, int flags)
{
    return syscall(SYS_utimensat, dirfd, path, ts, flags);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char dir[] = "/dev/shm/utimes-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0)
        return 1;
    close(open("f", O_WRONLY | O_CREAT, 0644));
    mkdir("d", 0755);
    close(open("d/g", O_WRONLY | O_CREAT, 0644));

    struct utimbuf ub = {.actime = 1000000000, .modtime = 1200000000};
    CHECK(utime_("f", &ub));
    show("f");
    CHECK(utime_("f", NULL));
    show("f");
    CHECK(utime_("missing", &ub));
    CHECK(utime_("f", (struct utimbuf *)8));
    CHECK(utime_(NULL, &ub));

    struct timeval tv[2] = {{1100000000, 123456}, {1300000000, 999999}};
    CHECK(utimes_("f", tv));
    show("f");
    CHECK(utimes_("f", NULL));
    show("f");
    tv[1].tv_usec = 1000000;
    CHECK(utimes_("f", tv));
    tv[1].tv_usec = -1;
    CHECK(utimes_("f", tv));
    CHECK(utimes_("missing", tv));
    tv[1].tv_usec = 5;
    CHECK(utimes_("missing", tv));
    CHECK(utimes_("f", (struct timeval *)8));
    CHECK(utimes_(NULL, tv));
    show("f");

    int d = open("d", O_RDONLY | O_DIRECTORY), g = open("d/g", O_RDONLY);
    CHECK(futimesat_(d, "g", tv));
    show("d/g");
    CHECK(futimesat_(d, "g", NULL));
    show("d/g");
    CHECK(futimesat_(AT_FDCWD, "f", tv));
    show("f");
    CHECK(futimesat_(99, "g", tv));
    CHECK(futimesat_(g, "g", tv));
    CHECK(futimesat_(d, "missing", tv));
    tv[0].tv_usec = 2000000;
    CHECK(futimesat_(d, "g", tv));
    tv[0].tv_usec = 7;
    CHECK(futimesat_(g, NULL, tv));
    show("d/g");
    CHECK(futimesat_(AT_FDCWD, NULL, tv));
    CHECK(futimesat_(99, NULL, tv));

    /* another user: now on a file it may write, nothing else */
    chmod("f", 0644);
    close(open("w", O_WRONLY | O_CREAT, 0666));
    chmod("w", 0666);
    chmod(".", 0777);
    pid_t pid = fork();
    if (pid == 0) {
        if (setresgid(1000, 1000, 1000) < 0 || setresuid(1000, 1000, 1000) < 0)
            _exit(1);
        CHECK(utime_("f", NULL));
        CHECK(utime_("f", &ub));
        CHECK(utimes_("w", NULL));
        CHECK(utimes_("w", tv));
        CHECK(utime_("w", &ub));
        CHECK(futimesat_(AT_FDCWD, "w", NULL));
        /* utimensat: both now is "now"; one now and one kept, or both kept, is not */
        struct timespec nows[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}}, now_omit[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
        struct timespec omit_now[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}}, omits[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
        CHECK(utimensat_(AT_FDCWD, "w", nows, 0));
        CHECK(utimensat_(AT_FDCWD, "w", now_omit, 0));
        CHECK(utimensat_(AT_FDCWD, "w", omit_now, 0));
        CHECK(utimensat_(AT_FDCWD, "w", omits, 0));
        CHECK(utimensat_(AT_FDCWD, "f", nows, 0));
        CHECK(utimensat_(AT_FDCWD, "f", now_omit, 0));
        CHECK(utimensat_(AT_FDCWD, "f", omits, 0));
        close(open("mine", O_WRONLY | O_CREAT, 0400));
        CHECK(utimes_("mine", tv));
        CHECK(utime_("mine", NULL));
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child: %d\n", WEXITSTATUS(st));
    show("mine");

    /* utimensat's flags, and two UTIME_OMITs: nothing to do, so not even
     * the path is looked at */
    struct timespec omit[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}}, set[2] = {{5, 0}, {6, 0}};
    CHECK(utimensat_(AT_FDCWD, "missing", omit, 0));
    CHECK(utimensat_(AT_FDCWD, "missing", omit, 0x4000));
    CHECK(utimensat_(AT_FDCWD, "f", set, 0x4000));
    CHECK(utimensat_(AT_FDCWD, "f", set, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH));
    int fd = open("f", O_RDONLY);
    CHECK(utimensat_(fd, NULL, set, AT_SYMLINK_NOFOLLOW));
    CHECK(utimensat_(fd, NULL, set, 0));
    CHECK(utimensat_(fd, "", set, 0));
    CHECK(utimensat_(fd, "", set, AT_EMPTY_PATH));
    show("f");
    return 0;
}
