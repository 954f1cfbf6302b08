/*
 * tests/linux/c/maxrss.c - ru_maxrss, the peak resident set size in KiB:
 * of the process (RUSAGE_SELF, RUSAGE_THREAD) after it touched N MiB and
 * after it unmapped them again (a peak stays), of the reaped children
 * (RUSAGE_CHILDREN: the largest peak, not the sum; nothing before the
 * wait), in wait4's rusage, through a grandchild, across an exec (the
 * larger peak is kept), and /proc/self/status's VmHWM; and the fields
 * Linux keeps nothing for (ru_nsignals, ru_msgsnd and the like), 0 even
 * after signals.  Prints only whether each figure reaches (or stays
 * below) a bound, never the figure.
 */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB 1024L /* ru_maxrss counts KiB */
/* n MiB touched shows as at least this much: Linux's counts of a
 * process's pages are read without every CPU's last changes (percpu
 * counters), so its peak may fall a little short of what was touched. */
#define AT_LEAST(n) (((n) - 1) * MIB)

/* Maps and touches mib MiB; unmapped again when drop is set. */
static void touch(long mib, int drop)
{
    size_t n = (size_t)mib << 20;
    char *m = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        exit(9);
    for (size_t i = 0; i < n; i += 4096)
        m[i] = 1;
    if (drop)
        munmap(m, n);
}

static long maxrss(int who)
{
    struct rusage r;
    return getrusage(who, &r) < 0 ? -1 : r.ru_maxrss;
}

/* A child that touches mib MiB and ends; its rusage from wait4. */
static long child_touching(long mib, struct rusage *ru)
{
    pid_t pid = fork();
    if (pid == 0) {
        touch(mib, 1);
        _exit(0);
    }
    int st;
    return wait4(pid, &st, 0, ru) == pid && WIFEXITED(st) ? 0 : -1;
}

static void caught(int sig) { (void)sig; }

/* The fields Linux does not maintain: 0 for every who. */
static void unmaintained(void)
{
    signal(SIGUSR1, caught);
    for (int i = 0; i < 3; i++)
        raise(SIGUSR1);
    static const int whos[] = {RUSAGE_SELF, RUSAGE_THREAD, RUSAGE_CHILDREN};
    for (int i = 0; i < 3; i++) {
        struct rusage r;
        getrusage(whos[i], &r);
        printf("who %d: ixrss %ld idrss %ld isrss %ld nswap %ld msgsnd %ld msgrcv %ld nsignals %ld\n", whos[i],
               r.ru_ixrss, r.ru_idrss, r.ru_isrss, r.ru_nswap, r.ru_msgsnd, r.ru_msgrcv, r.ru_nsignals);
    }
}

static long vm_hwm(void)
{
    char line[256];
    long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1) { /* the image a child execs after growing: its peak is kept */
        printf("after exec: self maxrss reaches 24 MiB %d, VmHWM (the new image's) < 24 MiB %d\n",
               maxrss(RUSAGE_SELF) >= AT_LEAST(24), vm_hwm() < 24 * MIB);
        return 0;
    }
    struct rusage ru;
    printf("no children yet: children maxrss 0 %d\n", maxrss(RUSAGE_CHILDREN) == 0);
    printf("self maxrss under 8 MiB at the start %d\n", maxrss(RUSAGE_SELF) < 8 * MIB);

    CHECK(child_touching(8, &ru));
    printf("child of 8 MiB: wait4's maxrss reaches 8 MiB %d, children maxrss reaches 8 MiB %d\n", ru.ru_maxrss >= AT_LEAST(8),
           maxrss(RUSAGE_CHILDREN) >= AT_LEAST(8));
    CHECK(child_touching(8, &ru));
    printf("two children of 8 MiB: children maxrss below 14 MiB (the max, not the sum) %d\n",
           maxrss(RUSAGE_CHILDREN) < 14 * MIB);

    int go[2];
    CHECK(pipe(go));
    pid_t pid = fork();
    if (pid == 0) { /* grows, then waits to be let go */
        char x;
        touch(16, 0);
        _exit(read(go[0], &x, 1) == 1 ? 0 : 1);
    }
    usleep(100000);
    printf("a running child of 16 MiB: children maxrss still below 14 MiB %d\n", maxrss(RUSAGE_CHILDREN) < 14 * MIB);
    CHECK(write(go[1], "g", 1));
    int st;
    CHECK(waitpid(pid, &st, 0) == pid);
    printf("after its wait: children maxrss reaches 16 MiB %d\n", maxrss(RUSAGE_CHILDREN) >= AT_LEAST(16));

    pid = fork();
    if (pid == 0) { /* a grandchild of 20 MiB, reaped by the child */
        struct rusage g;
        if (child_touching(20, &g) < 0)
            _exit(1);
        printf("child: its children maxrss reaches 20 MiB %d, its own below 14 MiB %d\n",
               maxrss(RUSAGE_CHILDREN) >= AT_LEAST(20), maxrss(RUSAGE_SELF) < 14 * MIB);
        _exit(0);
    }
    CHECK(wait4(pid, &st, 0, &ru) == pid);
    printf("grandchild of 20 MiB: wait4's maxrss reaches 20 MiB %d, children maxrss reaches 20 MiB %d\n",
           ru.ru_maxrss >= AT_LEAST(20), maxrss(RUSAGE_CHILDREN) >= AT_LEAST(20));

    pid = fork();
    if (pid == 0) { /* grows to 24 MiB, gives it back, then execs */
        touch(24, 1);
        execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
        _exit(127);
    }
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    printf("child that exec'd: children maxrss reaches 24 MiB %d\n", maxrss(RUSAGE_CHILDREN) >= AT_LEAST(24));

    printf("self below 14 MiB before growing %d\n", maxrss(RUSAGE_SELF) < 14 * MIB);
    touch(12, 0);
    printf("self after 12 MiB: maxrss reaches 12 MiB %d, thread's reaches 12 MiB %d, VmHWM reaches 12 MiB %d\n",
           maxrss(RUSAGE_SELF) >= AT_LEAST(12), maxrss(RUSAGE_THREAD) >= AT_LEAST(12), vm_hwm() >= AT_LEAST(12));
    touch(16, 1);
    printf("self after 16 MiB more, unmapped: maxrss reaches 28 MiB %d, VmHWM reaches 28 MiB %d\n",
           maxrss(RUSAGE_SELF) >= AT_LEAST(28), vm_hwm() >= AT_LEAST(28));
    printf("children maxrss unchanged by the parent's growth: below 28 MiB %d\n", maxrss(RUSAGE_CHILDREN) < 28 * MIB);
    unmaintained();
    return 0;
}
