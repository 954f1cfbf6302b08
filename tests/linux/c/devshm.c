/*
 * tests/linux/c/devshm.c - what a Linux /dev holds besides null and zero:
 * /dev/full (reads zeros, writes ENOSPC), the fd, stdin, stdout and
 * stderr links, and /dev/shm, where POSIX shared memory (shm_open) and
 * named semaphores (sem_open) live: a parent and its child share both.
 * One line per check; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
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
    return 0;
}
