/*
 * tests/linux/c/vfork.c - vfork shares memory with the parent until the
 * child execs or exits: a write by the child is seen by the parent, the
 * parent waits meanwhile, exec and _exit both release it; posix_spawn
 * (musl: clone with CLONE_VM|CLONE_VFORK on a stack of its own) runs a
 * program.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static volatile int shared;

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int st;
    pid_t pid = vfork();
    if (pid == 0) {
        shared = 42; /* the parent's memory */
        _exit(3);
    }
    printf("after the child's _exit: shared %d\n", shared);
    waitpid(pid, &st, 0);
    printf("child exited %d\n", WEXITSTATUS(st));

    char *heap = malloc(16);
    heap[0] = 'p';
    pid = vfork();
    if (pid == 0) {
        heap[0] = 'c';
        execl("/bin/sh", "sh", "-c", "echo exec from a vfork child; exit 4", (char *)NULL);
        _exit(127);
    }
    char seen = heap[0]; /* printed after the wait: the exec'd child's output races ours */
    waitpid(pid, &st, 0);
    printf("after the child's exec: heap[0] %c\n", seen);
    printf("child exited %d\n", WEXITSTATUS(st));

    pid = vfork();
    if (pid == 0) {
        execl("/nonexistent", "x", (char *)NULL);
        shared = 127; /* exec failed: still in our memory */
        _exit(127);
    }
    waitpid(pid, &st, 0);
    printf("failed exec: shared %d, status %d\n", shared, WEXITSTATUS(st));

    char *argv[] = {"sh", "-c", "echo spawned; exit 6", NULL};
    int r = posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ);
    waitpid(pid, &st, 0);
    printf("posix_spawn: %d, exited %d\n", r, WEXITSTATUS(st));
    return 0;
}
