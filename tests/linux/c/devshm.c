/*
 * tests/linux/c/devshm.c - what a Linux /dev holds besides null and zero:
 * /dev/full (reads zeros, writes ENOSPC), the fd, stdin, stdout and
 * stderr links, and /dev/shm, where POSIX shared memory (shm_open) and
 * named semaphores (sem_open) live: a parent and its child share both;
 * statx's birth time there (tmpfs's since Linux 5.18, given only when
 * asked for), on a memfd, and none on a pipe.  One line per check; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static void link_of(const char *path)
{
    char b[64];
    ssize_t n = readlink(path, b, sizeof b - 1);
    printf("%s -> %.*s\n", path, (int)(n > 0 ? n : 0), b);
}

int main(void)
{
    char buf[8] = "xxxxxxx";
    int full = open("/dev/full", O_RDWR);
    CHECK(full >= 0);
    CHECK(write(full, "a", 1));
    CHECK(read(full, buf, sizeof buf));
    printf("read zeros: %d\n", buf[0] == 0 && buf[7] == 0);
    struct stat st;
    CHECK(stat("/dev/full", &st));
    printf("/dev/full: %o %u:%u\n", st.st_mode & S_IFMT, major(st.st_rdev), minor(st.st_rdev));
    link_of("/dev/fd");
    link_of("/dev/stdin");
    link_of("/dev/stdout");
    link_of("/dev/stderr");
    CHECK(stat("/dev/shm", &st));
    printf("/dev/shm: %o\n", st.st_mode);

    /* shared memory and a named semaphore, between a parent and its child */
    shm_unlink("/persona-devshm");
    sem_unlink("/persona-devshm-sem");
    int fd = shm_open("/persona-devshm", O_CREAT | O_EXCL | O_RDWR, 0600);
    CHECK(fd >= 0);
    CHECK(ftruncate(fd, 4096));
    char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    sem_t *sem = sem_open("/persona-devshm-sem", O_CREAT | O_EXCL, 0600, 0);
    CHECK(sem != SEM_FAILED);
    CHECK(access("/dev/shm/persona-devshm", F_OK));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        strcpy(m, "written by the child");
        sem_post(sem);
        _exit(0);
    }
    CHECK(sem_wait(sem));
    printf("shared: %s\n", m);
    waitpid(pid, NULL, 0);
    CHECK(shm_unlink("/persona-devshm"));
    CHECK(shm_unlink("/persona-devshm"));
    CHECK(sem_unlink("/persona-devshm-sem"));

    /* struct statx: the mask at 0, btime at 80, ctime at 96, mtime at 112 */
    unsigned char x[256];
    unsigned mask;
    long long born, changed, modified;
    int f = open("/dev/shm/persona-born", O_CREAT | O_RDWR | O_TRUNC, 0600), pfd[2];
    pipe(pfd);
    const struct { const char *what; int fd; const char *path; unsigned ask; } cases[] = {
        {"tmpfs file, basic stats", AT_FDCWD, "/dev/shm/persona-born", 0x7ff},
        {"tmpfs file, btime", AT_FDCWD, "/dev/shm/persona-born", 0xfff},
        {"tmpfs directory, btime", AT_FDCWD, "/dev/shm", 0x800},
        {"memfd, btime", memfd_create("born", 0), "", 0xfff},
        {"pipe, btime", pfd[0], "", 0xfff},
    };
    for (int i = 0; i < 5; i++) {
        memset(x, 0xff, sizeof x);
        long r = syscall(SYS_statx, cases[i].fd, cases[i].path, AT_EMPTY_PATH, cases[i].ask, x);
        memcpy(&mask, x, 4), memcpy(&born, x + 80, 8), memcpy(&changed, x + 96, 8);
        printf("%s: %ld, btime %s", cases[i].what, r, mask & 0x800 ? "given" : "not given");
        printf(i == 1 || i == 3 ? ", equals ctime %d\n" : "\n", born == changed); /* a new file's */
    }
    usleep(1100000);
    write(f, "x", 1);
    syscall(SYS_statx, AT_FDCWD, "/dev/shm/persona-born", 0, 0xfff, x);
    memcpy(&born, x + 80, 8), memcpy(&modified, x + 112, 8);
    printf("after a write a second later: btime before mtime %d\n", born < modified);
    CHECK(unlink("/dev/shm/persona-born"));
    return 0;
}
