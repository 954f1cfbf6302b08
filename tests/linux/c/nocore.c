/* When a core file is not written, as Linux decides it whatever its
 * core_pattern: RLIMIT_CORE 0, or a process that is not dumpable; the wait
 * status and SIGCHLD's si_code then say killed, not dumped.  And
 * /proc/self/auxv is the vector getauxval reads. */
#include "check.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

static void die_in_child(int dumpable, rlim_t limit, int sig)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit rl = {limit, limit};
        setrlimit(RLIMIT_CORE, &rl);
        prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0);
        chdir("/nonexistent-dir-for-cores"); /* and nowhere to write one, should it be tried */
        raise(sig);
        _exit(0);
    }
    siginfo_t si;
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, pid, &si, WEXITED));
    printf("signal %d: si_code %d (CLD_KILLED %d), si_status %d\n", sig, si.si_code, CLD_KILLED, si.si_status);
}

int main(void)
{
    die_in_child(1, 0, SIGSEGV);
    die_in_child(1, 0, SIGABRT);
    die_in_child(0, RLIM_INFINITY, SIGQUIT);
    die_in_child(1, 0, SIGTERM);
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl);
        abort();
    }
    int st;
    waitpid(pid, &st, 0);
    printf("abort: signaled %d, signal %d, core %d\n", WIFSIGNALED(st), WTERMSIG(st), WCOREDUMP(st));

    /* /proc/self/auxv */
    unsigned long aux[128];
    int fd = open("/proc/self/auxv", O_RDONLY);
    ssize_t n = read(fd, aux, sizeof aux);
    close(fd);
    int found = 0, ends = 0;
    for (ssize_t i = 0; i + 1 < n / 8; i += 2) {
        if (aux[i] == AT_PAGESZ)
            found += aux[i + 1] == getauxval(AT_PAGESZ);
        if (aux[i] == AT_ENTRY)
            found += aux[i + 1] == getauxval(AT_ENTRY);
        if (aux[i] == AT_PHDR)
            found += aux[i + 1] == getauxval(AT_PHDR);
        if (aux[i] == AT_NULL)
            ends = i + 2 == n / 8;
    }
    printf("auxv: %d of 3 as getauxval, ends with AT_NULL %d, whole pairs %d\n", found, ends, n % 16 == 0);
    return 0;
}
