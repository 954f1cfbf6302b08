/*
 * tests/linux/c/dotnames.c - "." and ".." as the last name of a path:
 * rename of or onto one is EBUSY (EEXIST under RENAME_NOREPLACE), rmdir
 * of "." EINVAL and of ".." ENOTEMPTY, unlink EISDIR, link and mkdir
 * EEXIST, as on Linux.  One line per check; the output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    CHECK(mkdir("d", 0755));
    CHECK(mkdir("d/sub", 0755));
    CHECK(close(open("f", O_CREAT | O_WRONLY, 0644)));
    static const char *const renames[][2] = {
        {".", "x"}, {"x", "."}, {"f", "."}, {"d", "."}, {"..", "x"}, {"d/.", "x"}, {"d/..", "x"},
        {"d/sub", "d/.."}, {"d/sub", "d/."}, {"f", "d/."}, {".", "."}, {"d/sub/.", "d/sub/.."},
    };
    for (size_t i = 0; i < sizeof renames / sizeof renames[0]; i++) {
        int r = rename(renames[i][0], renames[i][1]);
        printf("rename(\"%s\", \"%s\") = %d %s\n", renames[i][0], renames[i][1], r, r < 0 ? strerror(errno) : "");
    }
    CHECK(syscall(SYS_renameat2, AT_FDCWD, ".", AT_FDCWD, "x", RENAME_NOREPLACE));
    CHECK(syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, ".", RENAME_NOREPLACE));
    CHECK(syscall(SYS_renameat2, AT_FDCWD, "d", AT_FDCWD, "..", RENAME_EXCHANGE));
    CHECK(rmdir("."));
    CHECK(rmdir(".."));
    CHECK(rmdir("d/."));
    CHECK(rmdir("d/.."));
    CHECK(rmdir("d/sub/."));
    CHECK(unlink("."));
    CHECK(unlink("d/."));
    CHECK(link("f", "d/."));
    CHECK(mkdir(".", 0755));
    CHECK(mkdir("d/.", 0755));
    CHECK(access("d/sub", F_OK));
    CHECK(access("f", F_OK));
    return 0;
}
