/*
 * tests/linux/c/rename2.c - renameat2's flags on tmpfs (in /dev/shm, a
 * tmpfs on the host as on Persona): RENAME_NOREPLACE (EEXIST), RENAME_EXCHANGE
 * (two files, a file and a directory, two directories in different
 * parents: the names swap, the link counts follow), RENAME_WHITEOUT (a
 * 0:0 character device left at the old name), their errors; and linkat's
 * AT_SYMLINK_FOLLOW and AT_EMPTY_PATH.  The output must equal the host
 * Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#define RENAME_WHITEOUT 4
#endif

static long ren(const char *a, const char *b, unsigned flags)
{
    return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

static void put(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, text, strlen(text));
    close(fd);
}

static void show(const char *path)
{
    char b[32] = "";
    struct stat st;
    if (lstat(path, &st) < 0) {
        printf("%s: %s\n", path, strerror(errno));
        return;
    }
    int fd = S_ISREG(st.st_mode) ? open(path, O_RDONLY) : -1;
    ssize_t n = fd >= 0 ? read(fd, b, sizeof b - 1) : 0;
    close(fd);
    printf("%s: mode %o nlink %ld rdev %u:%u \"%.*s\"\n", path, st.st_mode, (long)st.st_nlink, major(st.st_rdev),
           minor(st.st_rdev), (int)(n > 0 ? n : 0), b);
}

int main(void)
{
    char dir[] = "/dev/shm/rename2-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0)
        return 1;
    put("a", "A"), put("b", "B");
    CHECK(ren("a", "b", RENAME_NOREPLACE));
    CHECK(ren("a", "c", RENAME_NOREPLACE));
    show("a"), show("c");
    CHECK(ren("c", "a", 0));
    CHECK(ren("a", "b", RENAME_EXCHANGE));
    show("a"), show("b");
    CHECK(ren("a", "nothere", RENAME_EXCHANGE));
    CHECK(ren("nothere", "a", RENAME_EXCHANGE));
    CHECK(ren("nothere", "a", RENAME_NOREPLACE));
    CHECK(ren("a", "a", RENAME_EXCHANGE));
    CHECK(ren("a", "a", RENAME_NOREPLACE));
    CHECK(ren("a", "b", RENAME_EXCHANGE | RENAME_NOREPLACE));
    CHECK(ren("a", "b", RENAME_EXCHANGE | RENAME_WHITEOUT));
    CHECK(ren("a", "b", 8));
    CHECK(ren("a", "b", 0x80000000u));
    mkdir("d1", 0755), mkdir("d2", 0755), mkdir("d1/sub", 0755);
    put("d1/f", "F"), put("d2/g", "G");
    CHECK(ren("d1/sub", "d2/g", RENAME_EXCHANGE)); /* a directory and a file in different parents */
    show("d1"), show("d2"), show("d1/sub"), show("d2/g"), show("d2/g/..");
    CHECK(ren("d1", "d2", RENAME_EXCHANGE));
    show("d1/f"), show("d2/f"), show("d1/sub");
    CHECK(ren("d1", "d1/g", RENAME_EXCHANGE));     /* into itself */
    CHECK(ren("d1/g", "d1", RENAME_EXCHANGE));     /* the other way */
    CHECK(ren("d1/g", "d1/g", RENAME_EXCHANGE));
    CHECK(ren("d2", "d2/g", RENAME_NOREPLACE));
    CHECK(ren("d2", "a", RENAME_NOREPLACE));
    CHECK(ren("d2/f", "d1", RENAME_NOREPLACE));
    CHECK(ren("b", "w", RENAME_WHITEOUT));
    show("b"), show("w");
    CHECK(ren("w", "a", RENAME_WHITEOUT));
    show("w"), show("a");
    CHECK(unlink("w"));
    CHECK(unlink("b"));
    CHECK(ren("a", "b", RENAME_NOREPLACE | RENAME_WHITEOUT));
    show("a"), show("b");
    CHECK(ren("/proc/self", "x", RENAME_EXCHANGE));
    CHECK(ren("b", "/proc/x", RENAME_NOREPLACE));

    /* linkat: a symlink itself, or what it names with AT_SYMLINK_FOLLOW */
    CHECK(symlink("b", "sl"));
    CHECK(linkat(AT_FDCWD, "sl", AT_FDCWD, "l1", 0));
    CHECK(linkat(AT_FDCWD, "sl", AT_FDCWD, "l2", AT_SYMLINK_FOLLOW));
    show("l1"), show("l2"), show("b");
    CHECK(linkat(AT_FDCWD, "sl", AT_FDCWD, "l3", 0x8000));
    int fd = open("b", O_RDONLY);
    CHECK(linkat(fd, "", AT_FDCWD, "l4", AT_EMPTY_PATH));
    show("l4");
    CHECK(linkat(fd, "", AT_FDCWD, "l5", 0));
    CHECK(linkat(AT_FDCWD, "", AT_FDCWD, "l5", AT_EMPTY_PATH));
    int d = open("d1", O_RDONLY | O_DIRECTORY);
    CHECK(linkat(d, "", AT_FDCWD, "l6", AT_EMPTY_PATH));
    CHECK(linkat(fd, "", AT_FDCWD, "l4", AT_EMPTY_PATH));
    CHECK(linkat(fd, "", AT_FDCWD, "d1/l7", AT_EMPTY_PATH | AT_SYMLINK_FOLLOW));
    show("d1/l7");
    unlink("b"), unlink("l2"), unlink("l4"), unlink("d1/l7");
    CHECK(linkat(fd, "", AT_FDCWD, "gone", AT_EMPTY_PATH)); /* no name left */
    CHECK(linkat(99, "", AT_FDCWD, "gone", AT_EMPTY_PATH));
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    chdir("/");
    return system(cmd);
}
