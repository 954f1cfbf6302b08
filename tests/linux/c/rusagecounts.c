/*
 * tests/linux/c/rusagecounts.c - getrusage's minor faults (ru_minflt) and
 * voluntary context switches (ru_nvcsw): first touches of fresh pages
 * count as minor faults, sleeps as voluntary switches, for the process
 * (RUSAGE_SELF), the thread (RUSAGE_THREAD) and the reaped children
 * (RUSAGE_CHILDREN, only once they are waited for).  Prints only what is
 * stable: whether each count grew, not by how much (Linux's own faults,
 * huge pages and wake-ups make the exact numbers differ).
 */
#define _GNU_SOURCE
#include "check.h"
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGES 64

static void touch_pages(void)
{
    char *m = mmap(NULL, PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return;
    for (int i = 0; i < PAGES; i++)
        m[i * 4096] = 1;
    munmap(m, PAGES * 4096);
}

static void nap(int times)
{
    struct timespec t = {0, 2000000};
    for (int i = 0; i < times; i++)
        nanosleep(&t, NULL);
}

static void self_and_thread(int who, const char *name)
{
    struct rusage a, b;
    getrusage(who, &a);
    touch_pages();
    nap(5);
    getrusage(who, &b);
    printf("%s: minflt grew %d, nvcsw grew by 5 or more %d\n", name, b.ru_minflt > a.ru_minflt,
           b.ru_nvcsw >= a.ru_nvcsw + 5);
}

static void children(void)
{
    struct rusage a, b, c;
    getrusage(RUSAGE_CHILDREN, &a);
    int go[2];
    if (pipe(go) < 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        char x;
        touch_pages();
        nap(5);
        if (read(go[0], &x, 1) != 1)
            _exit(1);
        _exit(0);
    }
    nap(20); /* the child has run: not yet counted */
    getrusage(RUSAGE_CHILDREN, &b);
    printf("children, before the wait: minflt same %d, nvcsw same %d\n", b.ru_minflt == a.ru_minflt,
           b.ru_nvcsw == a.ru_nvcsw);
    CHECK(write(go[1], "g", 1));
    int st;
    waitpid(pid, &st, 0);
    getrusage(RUSAGE_CHILDREN, &c);
    printf("children, after it: minflt grew by %d or more %d, nvcsw grew by 5 or more %d\n", PAGES / 2,
           c.ru_minflt >= a.ru_minflt + PAGES / 2, c.ru_nvcsw >= a.ru_nvcsw + 5);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    self_and_thread(RUSAGE_SELF, "self");
    self_and_thread(RUSAGE_THREAD, "thread");
    children();
    return 0;
}
