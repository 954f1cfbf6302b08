/*
 * tests/linux/c/nslastpid.c - kernel/ns_last_pid (CONFIG_CHECKPOINT_RESTORE's):
 * the last pid handed out in the caller's pid namespace; written N, the
 * next process is N+1 (or the next free pid past it), N up to pid_max
 * itself (the next then comes round from 300), past it or below 0
 * EINVAL; mode 0666, and a writer without CAP_SYS_ADMIN or
 * CAP_CHECKPOINT_RESTORE EPERM.  It runs in a pid namespace of its own
 * (unshare, as root: the checks in its process 1), so that no other
 * process takes the pids it asks for (without one, the checks run as
 * they are).  Only pids' differences are printed.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define LAST "/proc/sys/kernel/ns_last_pid"

static long rd(const char *path)
{
    char buf[32];
    return read_text(path, buf, sizeof buf) < 0 ? -1 : atol(buf);
}

static void wr(const char *shown, long v)
{
    char text[32];
    int opened;
    snprintf(text, sizeof text, "%ld", v);
    long n = write_text(LAST, text, &opened);
    if (!opened)
        printf("write %s: open %s\n", shown, errno_name(errno));
    else
        printf("write %s: %s\n", shown, n < 0 ? errno_name(errno) : "taken");
}

/* A child that exits at once: its pid, reaped. */
static pid_t child(void)
{
    pid_t c = fork();
    if (c == 0)
        _exit(0);
    waitpid(c, NULL, 0);
    return c;
}

static void checks(void)
{
    struct stat st;
    if (stat(LAST, &st) == 0)
        printf("mode: %o\n", st.st_mode & 07777);
    pid_t c = child();
    printf("last pid is the last child's: %s\n", rd(LAST) == c ? "yes" : "no");
    pid_t self = getpid();
    wr("self + 100", self + 100);
    printf("read back: self + %ld\n", rd(LAST) - self);
    c = child();
    printf("next child: self + %ld\n", (long)(c - self));
    printf("last pid now: self + %ld\n", rd(LAST) - self);
    wr("self - 1", self - 1); /* self is taken: the one after it */
    c = child();
    printf("next child: self + %ld\n", (long)(c - self));
    long max = rd("/proc/sys/kernel/pid_max");
    wr("-1", -1);
    wr("pid_max + 1", max + 1);
    printf("read back: self + %ld\n", rd(LAST) - self);
    wr("pid_max", max);
    printf("read back is pid_max: %s\n", rd(LAST) == max ? "yes" : "no");
    c = child();
    printf("next child after pid_max: %ld\n", (long)c);
    printf("last pid is it: %s\n", rd(LAST) == c ? "yes" : "no");
    fflush(stdout);
    pid_t n = fork();
    if (n == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(1);
        wr("as nobody", 5000);
        fflush(stdout);
        _exit(0);
    }
    waitpid(n, NULL, 0);
}

int main(void)
{
    if (unshare(CLONE_NEWPID) == 0) { /* the host: the checks in the namespace's process 1 */
        fflush(stdout);
        pid_t init = fork();
        if (init == 0) {
            checks();
            fflush(stdout);
            _exit(0);
        }
        waitpid(init, NULL, 0);
        return 0;
    }
    checks();
    return 0;
}
