/*
 * tests/linux/c/tmpfshole.c - a hole of a tmpfs file (/dev/shm, tmpfs on
 * both sides) as Linux's shmem keeps it: a fault through a private
 * mapping, a read or a write, gives the file the page (its st_blocks grow,
 * and mincore of another mapping shows it in memory), as a lock in a
 * child does (mincore04's case); a pread of a hole gives it none.
 * One line per check; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define P 4096L

static int fd;

static long blocks(void)
{
    struct stat st;
    return fstat(fd, &st) < 0 ? -1 : (long)st.st_blocks;
}

static void core(const char *what, char *m)
{
    unsigned char v[3];
    if (mincore(m, 3 * P, v) < 0)
        printf("%s: mincore %s\n", what, errno_name(errno));
    else
        printf("%s: %d%d%d, st_blocks %ld\n", what, v[0] & 1, v[1] & 1, v[2] & 1, blocks());
}

int main(void)
{
    fd = open("/dev/shm/tmpfshole", O_CREAT | O_RDWR | O_TRUNC, 0600);
    CHECK(ftruncate(fd, 3 * P));
    char *a = mmap(NULL, 3 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    char *b = mmap(NULL, 3 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    core("fresh", b);
    char buf[4];
    CHECK(pread(fd, buf, 1, 2 * P));
    core("after a pread of page 2", b);
    volatile char r = a[0];
    (void)r;
    core("after a read of page 0 through a private mapping", b);
    a[P] = 1;
    core("after a write to page 1", b);
    printf("the file's byte there: %ld\n", (long)(pread(fd, buf, 1, P) == 1 ? buf[0] : -1));
    CHECK(ftruncate(fd, 0));
    CHECK(ftruncate(fd, 3 * P));
    munmap(a, 3 * P);
    munmap(b, 3 * P);
    a = mmap(NULL, 3 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    core("emptied", a);
    int locked[2], looked[2];
    CHECK(pipe(locked));
    CHECK(pipe(looked));
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        mlock(a, 3 * P);
        write(locked[1], "x", 1);
        read(looked[0], buf, 1); /* until the parent has looked */
        _exit(0);
    }
    read(locked[0], buf, 1);
    core("after a child locked it", a);
    write(looked[1], "x", 1);
    waitpid(c, NULL, 0);
    unlink("/dev/shm/tmpfshole");
    return 0;
}
