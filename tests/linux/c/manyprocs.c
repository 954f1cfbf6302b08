/*
 * tests/linux/c/manyprocs.c - 400 processes alive at once: each child
 * blocks reading a pipe until the parent closes its end, then exits; the
 * parent reaps them all.  The Linux server holds two kernel handles per
 * process, and a handle table of fixed size (256) made fork fail with
 * ENOMEM past about 125 (kernel/handle.c now grows its tables).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define N 400

int main(void)
{
    int p[2], forked = 0, reaped = 0;
    if (pipe(p))
        return perror("pipe"), 1;
    for (int i = 0; i < N; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            break;
        }
        if (pid == 0) {
            char c;
            close(p[1]);
            _exit(read(p[0], &c, 1) == 0 ? 0 : 1);
        }
        forked++;
    }
    printf("forked %d\n", forked);
    close(p[1]);
    int status, ok = 0;
    while (wait(&status) > 0) {
        reaped++;
        ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    printf("reaped %d, %d saw end of file\n", reaped, ok);
    return 0;
}
