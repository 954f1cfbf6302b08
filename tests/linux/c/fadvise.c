/*
 * tests/linux/c/fadvise.c - advice about a file's pages: fadvise64 with
 * every POSIX_FADV_* value, readahead, and their errors (an unknown
 * advice, a negative length, a pipe, a socket, a directory, a descriptor
 * not open for reading, a bad descriptor).  On tmpfs the advice changes
 * nothing, on the host as on Persona.  The output must equal the host
 * Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static long fadv(int fd, long off, long len, int advice) { return syscall(SYS_fadvise64, fd, off, len, advice); }
static long rahead(int fd, long off, long len) { return syscall(SYS_readahead, fd, off, len); }

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char dir[] = "/dev/shm/fadvise-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0)
        return 1;
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "hello, world\n", 13);
    for (int a = 0; a <= 5; a++) {
        printf("advice %d: ", a);
        CHECK(fadv(fd, 0, 0, a));
    }
    CHECK(fadv(fd, 100, 4096, POSIX_FADV_WILLNEED));
    CHECK(fadv(fd, -1, 10, POSIX_FADV_DONTNEED));
    CHECK(fadv(fd, 0, -1, POSIX_FADV_NORMAL));
    CHECK(fadv(fd, 0, 0, 6));
    CHECK(fadv(fd, 0, 0, 7));
    CHECK(fadv(fd, 0, 0, -1));
    CHECK(fadv(99, 0, 0, 0));
    CHECK(fadv(99, 0, 0, 9));
    CHECK(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
    CHECK(posix_fadvise(fd, 0, 0, 42));
    char b[16];
    CHECK(pread(fd, b, 13, 0));
    int p[2];
    pipe(p);
    CHECK(fadv(p[0], 0, 0, 0));
    CHECK(fadv(p[1], 0, 0, 9));
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    CHECK(fadv(sv[0], 0, 0, 0));
    int ev = eventfd(0, 0);
    CHECK(fadv(ev, 0, 0, 0));
    int d = open(".", O_RDONLY | O_DIRECTORY);
    CHECK(fadv(d, 0, 0, 0));
    int wo = open("f", O_WRONLY);
    CHECK(fadv(wo, 0, 0, POSIX_FADV_DONTNEED));
    int nul = open("/dev/null", O_RDONLY);
    CHECK(fadv(nul, 0, 0, 0));

    CHECK(rahead(fd, 0, 4096));
    CHECK(rahead(fd, 1 << 20, 1 << 20));
    CHECK(rahead(fd, -1, 10));
    CHECK(rahead(fd, 0, -1));
    CHECK(rahead(wo, 0, 10));
    CHECK(rahead(p[0], 0, 10));
    CHECK(rahead(sv[0], 0, 10));
    CHECK(rahead(d, 0, 10));
    CHECK(rahead(nul, 0, 10));
    CHECK(rahead(99, 0, 10));
    CHECK(lseek(fd, 0, SEEK_CUR));
    return 0;
}
