/*
 * tests/linux/c/robustexec.c - execve releases the robust list, as
 * Linux's futex_exec_release: a robust mutex in shared memory that a
 * child holds when it execs is marked FUTEX_OWNER_DIED, so the parent's
 * lock gets EOWNERDEAD, while the child's new image runs on; and the new
 * image starts with no robust list (get_robust_list).  One line per
 * check; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *err(int e) { return e == 0 ? "0" : e == EOWNERDEAD ? "EOWNERDEAD" : e == ETIMEDOUT ? "ETIMEDOUT" : strerror(e); }

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 2) { /* the new image: its robust list, then tell the parent and wait */
        long len = 0;
        void *head = (void *)1;
        syscall(SYS_get_robust_list, 0, &head, &len);
        printf("after exec: robust list %s\n", head ? "set" : "none");
        int tell = atoi(argv[1]), hold = atoi(argv[2]);
        (void)!write(tell, "e", 1);
        char c;
        (void)!read(hold, &c, 1);
        return 0;
    }
    pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(m, &a);
    int up[2], down[2];
    if (pipe(up) < 0 || pipe(down) < 0)
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        printf("child lock: %s\n", err(pthread_mutex_lock(m)));
        char t[16], h[16];
        snprintf(t, sizeof t, "%d", up[1]);
        snprintf(h, sizeof h, "%d", down[0]);
        execl(argv[0], argv[0], t, h, (char *)NULL);
        _exit(127);
    }
    char c;
    (void)!read(up[0], &c, 1); /* the new image runs */
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 20;
    int r = pthread_mutex_timedlock(m, &until);
    printf("parent lock after the child's exec: %s\n", err(r));
    if (r == EOWNERDEAD)
        printf("consistent: %s\n", err(pthread_mutex_consistent(m)));
    printf("unlock: %s\n", err(pthread_mutex_unlock(m)));
    (void)!write(down[1], "q", 1);
    int st;
    waitpid(pid, &st, 0);
    printf("child exit %d\n", WEXITSTATUS(st));
    return 0;
}
